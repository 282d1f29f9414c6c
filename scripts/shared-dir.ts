import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Finds the shared conformance folder: `$JXC_SHARED_DIR/conformance` when set, else the first
 * `shared/conformance` beside the repository or one of its ancestors, else `/work/shared/conformance`.
 * Undefined when none exists (the tests then fail: a vector that cannot be run is a failure).
 */
export const findSharedConformance = (): string | undefined => {
  if (process.env.JXC_SHARED_DIR) return join(process.env.JXC_SHARED_DIR, "conformance");
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  for (;;) {
    const candidate = join(dir, "..", "shared", "conformance");
    if (existsSync(candidate)) return resolve(candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // A clone elsewhere on the development machine still finds the workplace's shared folder.
  return existsSync("/work/shared/conformance") ? "/work/shared/conformance" : undefined;
};
