import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalQuantile, valueBasedServiceLevel } from "../src/index.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

describe("service levels by value", () => {
  it("z solves φ(z) = λ·c·σ: λ = 0.001, c = 2, σ = 10 → z = √(−2 ln(0.02·√(2π)))", () => {
    const p = valueBasedServiceLevel({ unitCost: 2, leadTimeDemandSd: 10, lambda: 0.001 });
    const z = Math.sqrt(-2 * Math.log(0.02 * Math.sqrt(2 * Math.PI)));
    expect(normalQuantile(p)).toBeCloseTo(z, 5);
    const density = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
    expect(density).toBeCloseTo(0.001 * 2 * 10, 12);
  });

  it("nothing to cover (σ = 0 or free goods) → the highest level; covering dearer than a stockout → the lowest", () => {
    expect(valueBasedServiceLevel({ unitCost: 5, leadTimeDemandSd: 0, lambda: 0.01 })).toBe(0.9995);
    expect(valueBasedServiceLevel({ unitCost: 0, leadTimeDemandSd: 3, lambda: 0.01, max: 0.99 })).toBe(0.99);
    expect(valueBasedServiceLevel({ unitCost: 100, leadTimeDemandSd: 100, lambda: 1 })).toBe(0.5);
    expect(valueBasedServiceLevel({ unitCost: 100, leadTimeDemandSd: 100, lambda: 1, min: 0.8 })).toBe(0.8);
  });

  it("never higher for a dearer SKU, a wider spread or a larger λ; always within [min, max]", () => {
    const pos = fc.double({ min: 1e-6, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(pos, pos, pos, fc.double({ min: 1, max: 3, noNaN: true }), fc.constantFrom("cost", "sd", "lambda"), (c, sd, lambda, factor, which) => {
        const input = { unitCost: c, leadTimeDemandSd: sd, lambda: lambda / 1e4 };
        const p = valueBasedServiceLevel(input);
        const more = valueBasedServiceLevel({
          ...input,
          ...(which === "cost" ? { unitCost: c * factor } : which === "sd" ? { leadTimeDemandSd: sd * factor } : { lambda: (lambda / 1e4) * factor }),
        });
        expect(more).toBeLessThanOrEqual(p);
        expect(p).toBeGreaterThanOrEqual(0.5);
        expect(p).toBeLessThanOrEqual(0.9995);
      }),
      runs,
    );
  });
});
