import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { baseStockExpectedOnHand, lambdaForInventoryBudget, normalQuantile, valueBasedServiceLevel } from "../src/index.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const density = (z: number): number => Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
/** The expected stock value of positions at λ, recomputed from the two public functions. */
const valueAt = (positions: ReadonlyArray<{ unitCost: number; leadTimeDemandSd: number }>, lambda: number): number =>
  positions.reduce((a, p) => a + p.unitCost * baseStockExpectedOnHand(p.leadTimeDemandSd, valueBasedServiceLevel({ ...p, lambda })), 0);

describe("expected stock of a base-stock level", () => {
  it("is σ·(z·Φ(z) + φ(z)): 0.4σ at the median, about the safety stock z·σ at high levels", () => {
    expect(baseStockExpectedOnHand(10, 0.5)).toBeCloseTo(10 * density(0), 6);
    const z = normalQuantile(0.99);
    expect(baseStockExpectedOnHand(10, 0.99)).toBeCloseTo(10 * (z * 0.99 + density(z)), 5);
    expect(baseStockExpectedOnHand(10, 0.99) - 10 * z).toBeLessThan(0.04); // the expected shortfall is small
    expect(baseStockExpectedOnHand(0, 0.99)).toBe(0);
  });

  it("is never negative, never below the safety stock, never lower for a higher level or a wider spread", () => {
    const level = fc.double({ min: 0.01, max: 0.9999, noNaN: true });
    const sd = fc.double({ min: 0, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(sd, level, level, fc.double({ min: 1, max: 3, noNaN: true }), (s, p, q, k) => {
        const [lo, hi] = p <= q ? [p, q] : [q, p];
        const e = baseStockExpectedOnHand(s, lo);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeGreaterThanOrEqual(normalQuantile(lo) * s - 1e-9 * (1 + s));
        expect(baseStockExpectedOnHand(s, hi)).toBeGreaterThanOrEqual(e - 1e-9 * (1 + s));
        expect(baseStockExpectedOnHand(s * k, lo)).toBeGreaterThanOrEqual(e - 1e-9 * (1 + s));
      }),
      runs,
    );
  });
});

describe("λ for an inventory budget", () => {
  it("one SKU: the budget of its 95 % level gives back φ(z₀.₉₅) = λ·c·σ", () => {
    const positions = [{ unitCost: 2, leadTimeDemandSd: 10 }];
    const budget = 2 * baseStockExpectedOnHand(10, 0.95);
    const found = Result.getOrThrow(lambdaForInventoryBudget({ positions, budget }));
    expect(found.withinBudget).toBe(true);
    expect(found.lambda).toBeCloseTo(density(normalQuantile(0.95)) / 20, 8);
    expect(valueBasedServiceLevel({ ...positions[0]!, lambda: found.lambda })).toBeCloseTo(0.95, 6);
  });

  it("a budget that covers every SKU at the highest level gives λ = 0; one below the lowest levels is not met", () => {
    const positions = [{ unitCost: 3, leadTimeDemandSd: 4 }, { unitCost: 0, leadTimeDemandSd: 9 }, { unitCost: 1, leadTimeDemandSd: 0 }];
    const rich = Result.getOrThrow(lambdaForInventoryBudget({ positions, budget: 1e6 }));
    expect(rich).toEqual({ lambda: 0, expectedValue: 3 * baseStockExpectedOnHand(4, 0.9995), withinBudget: true });
    const poor = Result.getOrThrow(lambdaForInventoryBudget({ positions, budget: 1 }));
    expect(poor.withinBudget).toBe(false);
    expect(valueBasedServiceLevel({ ...positions[0]!, lambda: poor.lambda })).toBe(0.5);
    expect(poor.expectedValue).toBeCloseTo(3 * 4 * density(0), 9);
    expect(Result.getOrThrow(lambdaForInventoryBudget({ positions: [], budget: 0 })).lambda).toBe(0);
  });

  it("refuses a negative budget, a negative cost and levels in the wrong order, naming them", () => {
    const bad = (input: unknown, path: string): void => {
      const r = lambdaForInventoryBudget(input as never);
      expect(Result.isFailure(r)).toBe(true);
      if (Result.isFailure(r)) expect(String(r.failure.message)).toContain(path);
    };
    bad({ positions: [], budget: -1 }, "budget");
    bad({ positions: [{ unitCost: -1, leadTimeDemandSd: 1 }], budget: 1 }, "unitCost");
    bad({ positions: [{ unitCost: 1, leadTimeDemandSd: Number.NaN }], budget: 1 }, "leadTimeDemandSd");
    bad({ positions: [], budget: 1, min: 0.9, max: 0.8 }, "max");
  });

  // Costs from a cent, spreads from a thousandth of a unit (or nothing), so that no product underflows.
  const orZero = (min: number, max: number): fc.Arbitrary<number> => fc.oneof(fc.constant(0), fc.double({ min, max, noNaN: true }));
  const position = fc.record({ unitCost: orZero(0.01, 500), leadTimeDemandSd: orZero(1e-3, 200) });
  const assortment = fc.array(position, { minLength: 1, maxLength: 12 });

  it("stays within the budget, and a slightly smaller λ would not", () => {
    fc.assert(
      fc.property(assortment, fc.double({ min: 0, max: 1, noNaN: true }), (positions, share) => {
        const budget = share * valueAt(positions, 0);
        const found = Result.getOrThrow(lambdaForInventoryBudget({ positions, budget }));
        expect(found.expectedValue).toBeCloseTo(valueAt(positions, found.lambda), 6);
        if (!found.withinBudget) return;
        expect(found.expectedValue).toBeLessThanOrEqual(budget * (1 + 1e-9) + 1e-9);
        // A slightly smaller λ is over the budget — up to the error of the normal CDF (1.5e-7 in Φ; near the highest level,
        // where a level moves the stock by 1/φ(z), that is up to ~1e-5 of the value).
        if (found.lambda > 0) expect(valueAt(positions, found.lambda / (1 + 1e-6))).toBeGreaterThan(budget * (1 - 1e-4));
      }),
      runs,
    );
  });

  it("a larger budget never gives a larger λ", () => {
    fc.assert(
      fc.property(assortment, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (positions, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const top = valueAt(positions, 0);
        const l1 = Result.getOrThrow(lambdaForInventoryBudget({ positions, budget: small * top })).lambda;
        const l2 = Result.getOrThrow(lambdaForInventoryBudget({ positions, budget: large * top })).lambda;
        expect(l2).toBeLessThanOrEqual(l1 * (1 + 1e-8));
      }),
      runs,
    );
  });
});
