import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedConformance } from "./shared-dir.js";

/**
 * A vitest suite over one folder of golden vectors: the shared one (../shared/conformance/<folder>)
 * and, when set, `$JXC_CONFORMANCE_DIR/<folder>`. A missing folder or an unreadable vector fails;
 * nothing is skipped.
 */
export const conformanceSuite = (folder: string, runner: (json: unknown) => { readonly failures: ReadonlyArray<string> }): void => {
  const found = findSharedConformance();
  const shared = join(found ?? "(shared/conformance not found: set JXC_SHARED_DIR)", folder);
  const dirs = [shared, ...(process.env.JXC_CONFORMANCE_DIR ? [join(process.env.JXC_CONFORMANCE_DIR, folder)] : [])];
  describe(`${folder} golden vectors`, () => {
    it("finds the shared vectors", () => {
      expect(existsSync(shared)).toBe(true);
      expect(readdirSync(shared).filter((f) => f.endsWith(".json")).length).toBeGreaterThan(0);
    });
    for (const dir of dirs) {
      if (!existsSync(dir)) {
        it(`reads ${dir}`, () => expect.fail(`conformance folder ${dir} does not exist`));
        continue;
      }
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort())
        it(`${dir === shared ? "" : `${dir}/`}${file}`, () => expect(runner(JSON.parse(readFileSync(join(dir, file), "utf8"))).failures).toEqual([]));
    }
  });
};
