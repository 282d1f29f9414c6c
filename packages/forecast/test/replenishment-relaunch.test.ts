import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { fillDormantRuns } from "../src/index.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const fill = (y: number[], options = {}): number[] => Array.from(Result.getOrThrow(fillDormantRuns(Float64Array.from(y), options)));

describe("dormant runs of relaunched items", () => {
  it("fills a run of at least minDays zeros between sales with the mean of the levelDays before it", () => {
    expect(fill([4, 2, 0, 0, 0, 3], { minDays: 3, levelDays: 2 })).toEqual([4, 2, 3, 3, 3, 3]);
    expect(fill([6, 1, 2, 0, 0, 0, 5], { minDays: 3, levelDays: 28 })).toEqual([6, 1, 2, 3, 3, 3, 5]);
  });

  it("keeps shorter runs, a run still going on and a run at the start", () => {
    expect(fill([4, 0, 0, 3], { minDays: 3 })).toEqual([4, 0, 0, 3]);
    expect(fill([4, 2, 0, 0, 0], { minDays: 3 })).toEqual([4, 2, 0, 0, 0]);
    expect(fill([0, 0, 0, 3, 1], { minDays: 3 })).toEqual([0, 0, 0, 3, 1]);
    expect(fill([])).toEqual([]);
  });

  it("refuses negative or non-finite demand and malformed options, naming them", () => {
    const bad = (y: number[], options: object, what: string): void => {
      const r = fillDormantRuns(Float64Array.from(y), options);
      expect(Result.isFailure(r)).toBe(true);
      if (Result.isFailure(r)) expect(String(r.failure.message)).toContain(what);
    };
    bad([1, -1], {}, "y");
    bad([1, Number.NaN], {}, "y");
    bad([1], { minDays: 0 }, "minDays");
    bad([1], { levelDays: 1.5 }, "levelDays");
  });

  const demand = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 30 })), { maxLength: 80 }).map((a) => Float64Array.from(a));
  const options = fc.record({ minDays: fc.integer({ min: 1, max: 8 }), levelDays: fc.integer({ min: 1, max: 10 }) });

  it("changes only zeros, each into the mean of the levelDays before its run; the sales days stay as they were", () => {
    fc.assert(
      fc.property(demand, options, (y, o) => {
        const out = Result.getOrThrow(fillDormantRuns(y, o));
        expect(out.length).toBe(y.length);
        for (let t = 0; t < y.length; t++) {
          if (y[t]! > 0) expect(out[t]).toBe(y[t]);
          if (out[t] === y[t]) continue;
          let start = t;
          while (start > 0 && y[start - 1] === 0) start--;
          const before = y.subarray(Math.max(0, start - o.levelDays), start);
          expect(start).toBeGreaterThan(0);
          expect(out[t]).toBeCloseTo(before.reduce((a, x) => a + x, 0) / before.length, 12);
        }
      }),
      runs,
    );
  });

  it("leaves no run of minDays zeros between two sales, and never lowers demand", () => {
    fc.assert(
      fc.property(demand, options, (y, o) => {
        const out = Result.getOrThrow(fillDormantRuns(y, o));
        let zeros = 0;
        let sold = false;
        for (let t = 0; t < out.length; t++) {
          expect(out[t]).toBeGreaterThanOrEqual(y[t]!);
          if (out[t] === 0) zeros++;
          else {
            if (sold) expect(zeros).toBeLessThan(o.minDays);
            sold = true;
            zeros = 0;
          }
        }
      }),
      runs,
    );
  });
});
