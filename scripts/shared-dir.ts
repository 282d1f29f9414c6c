import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Finds a folder of the workplace's shared directory (`conformance`, `data`): `$JXC_SHARED_DIR/<name>`
 * when set, else the first `shared/<name>` beside the repository or one of its ancestors, else
 * `/work/shared/<name>`. Undefined when none exists (the tests then fail: a vector or data set that
 * cannot be read is a failure).
 */
export const findShared = (name: string): string | undefined => {
  if (process.env.JXC_SHARED_DIR) return join(process.env.JXC_SHARED_DIR, name);
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  for (;;) {
    const candidate = join(dir, "..", "shared", name);
    if (existsSync(candidate)) return resolve(candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // A clone elsewhere on the development machine still finds the workplace's shared folder.
  return existsSync(`/work/shared/${name}`) ? `/work/shared/${name}` : undefined;
};

/** The shared conformance folder (golden vectors), see {@link findShared}. */
export const findSharedConformance = (): string | undefined => findShared("conformance");
