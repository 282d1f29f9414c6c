import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runValuationVector } from "@jxc/core/testing";
import { findSharedConformance } from "../../../scripts/shared-dir.js";

const found = findSharedConformance();
const shared = join(found ?? "(shared/conformance not found: set JXC_SHARED_DIR)", "valuation");
const dirs = [shared, ...(process.env.JXC_CONFORMANCE_DIR ? [join(process.env.JXC_CONFORMANCE_DIR, "valuation")] : [])];

describe("valuation golden vectors", () => {
  it("finds the shared vectors", () => {
    expect(existsSync(shared)).toBe(true);
    expect(readdirSync(shared).filter((f) => f.endsWith(".json")).length).toBeGreaterThan(0);
  });
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      it(`reads ${dir}`, () => expect.fail(`conformance folder ${dir} does not exist`));
      continue;
    }
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      it(`${file}`, () => {
        const outcome = runValuationVector(JSON.parse(readFileSync(join(dir, file), "utf8")));
        expect(outcome.failures).toEqual([]);
      });
    }
  }
});
