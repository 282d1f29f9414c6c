import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulate } from "@jxc/sync/testing";
import { ok } from "../../../scripts/test-support.js";

// A simulation costs tenths of a second, so the default is 30 runs; JXC_PROP_RUNS raises it.
const runs = { numRuns: Math.max(30, Number(process.env.JXC_PROP_RUNS ?? 0)) };

describe("simulator properties", () => {
  it("every seed converges with no negative position, no lost operation and a verified audit log", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const report = ok(simulate({ seed, steps: 30 }));
        expect(report.failures, report.summary).toEqual([]);
        return report.ok;
      }),
      runs,
    );
  });
});
