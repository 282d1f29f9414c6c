import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Finds the shared conformance folder: `$JXC_SHARED_DIR/conformance` when set, else the first
 * `shared/conformance` beside the repository or one of its ancestors. Undefined when none exists.
 */
export const findSharedConformance = (): string | undefined => {
  if (process.env.JXC_SHARED_DIR) return join(process.env.JXC_SHARED_DIR, "conformance");
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  for (;;) {
    const candidate = join(dir, "..", "shared", "conformance");
    if (existsSync(candidate)) return resolve(candidate);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
};
