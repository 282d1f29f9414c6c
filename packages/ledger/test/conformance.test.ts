import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runVoucherVector } from "@jxc/ledger/testing";
import { findSharedConformance } from "../../../scripts/shared-dir.js";

const found = findSharedConformance();
const shared = join(found ?? "(shared/conformance not found: set JXC_SHARED_DIR)", "vouchers");
const dirs = [shared, ...(process.env.JXC_CONFORMANCE_DIR ? [join(process.env.JXC_CONFORMANCE_DIR, "vouchers")] : [])];

describe("voucher golden vectors", () => {
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
      it(file, () => expect(runVoucherVector(JSON.parse(readFileSync(join(dir, file), "utf8"))).failures).toEqual([]));
  }
});
