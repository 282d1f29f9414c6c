import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import {
  dynamicSafetyStock,
  leadTimeDemand,
  leadTimeDistribution,
  planReplenishment,
  type Forecast,
  type LeadTimeDistribution,
  type ReplenishmentPosition,
} from "../src/index.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const H = 40;

/** A daily forecast: per-day mean and a spread, with quantiles 0.5…0.99 (or none: a certain forecast). */
const forecastArb = (zero = false): fc.Arbitrary<Forecast> =>
  fc
    .record({
      level: zero ? fc.constant(0) : fc.double({ min: 0, max: 50, noNaN: true }),
      spread: zero ? fc.constant(0) : fc.double({ min: 0, max: 3, noNaN: true }),
      wiggle: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: H, maxLength: H }),
      withQuantiles: fc.boolean(),
    })
    .map(({ level, spread, wiggle, withQuantiles }) => {
      const mean = Float64Array.from(wiggle, (w) => level * w);
      const quantiles = new Map<number, Float64Array>();
      if (withQuantiles) {
        for (const [p, z] of [[0.5, 0], [0.8, 0.84], [0.9, 1.28], [0.95, 1.64], [0.99, 2.33]] as const) {
          quantiles.set(p, Float64Array.from(mean, (m) => Math.max(0, m + z * spread * Math.sqrt(m + 1) * (zero ? 0 : 1))));
        }
      }
      return { mean, quantiles, model: "arb" };
    });

const leadTimeArb: fc.Arbitrary<LeadTimeDistribution> = fc
  .array(fc.record({ days: fc.integer({ min: 0, max: 12 }), probability: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 4 })
  .map(leadTimeDistribution);

const decArb = (max: number, scale = 1): fc.Arbitrary<string> => fc.integer({ min: 0, max: max * scale }).map((n) => new Dec(n).div(scale).toString());
const policyArb = fc.oneof(
  fc.record({ kind: fc.constant("s,Q" as const) }),
  fc.record({ kind: fc.constant("s,Q" as const), orderQty: fc.integer({ min: 1, max: 100 }).map(String) }),
  fc.record({ kind: fc.constant("s,S" as const) }),
  fc.record({ kind: fc.constant("R,S" as const), reviewDays: fc.integer({ min: 1, max: 14 }) }),
  fc.record({ kind: fc.constant("R,s,S" as const), reviewDays: fc.integer({ min: 1, max: 14 }) }),
  fc.record({ kind: fc.constant("s,S" as const), reorderPoint: decArb(100), orderUpTo: decArb(300) }),
  // base stock: S = s
  fc.record({ kind: fc.constant("s,S" as const), cycleDays: fc.constant(0) }),
  fc.record({ kind: fc.constant("R,s,S" as const), reviewDays: fc.integer({ min: 1, max: 14 }), cycleDays: fc.constant(0) }),
);

const positionArb = (zero = false): fc.Arbitrary<ReplenishmentPosition> =>
  fc
    .record({
      item: fc.constantFrom("A", "B", "C", "D"),
      warehouse: fc.constantFrom("WH1", "WH2"),
      unitCost: decArb(50, 100),
      unitSpace: fc.option(decArb(5, 10).filter((s) => s !== "0"), { nil: undefined }),
      onHand: decArb(200),
      backordered: fc.option(decArb(20), { nil: undefined }),
      pipeline: fc.array(fc.record({ qty: decArb(50), arrives: fc.constant("2026-09-03") }), { maxLength: 2 }),
      forecast: forecastArb(zero),
      leadTime: leadTimeArb,
      policy: policyArb,
      serviceLevel: fc.option(fc.double({ min: 0.5, max: 0.995, noNaN: true }), { nil: undefined }),
      moq: fc.option(decArb(60), { nil: undefined }),
      packSize: fc.option(fc.oneof(fc.integer({ min: 1, max: 24 }).map(String), fc.constantFrom("0.5", "2.5")), { nil: undefined }),
      shelfLifeDays: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    })
    .map((p) => {
      const out: Record<string, unknown> = { ...p, supplier: "S1" };
      for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
      return out as unknown as ReplenishmentPosition;
    });

const planArb = (zero = false) =>
  fc.record({
    positions: fc.uniqueArray(positionArb(zero), { minLength: 1, maxLength: 4, selector: (p) => `${p.item}@${p.warehouse}` }),
    budget: fc.option(decArb(3000), { nil: undefined }),
    capacity: fc.option(fc.record({ WH1: decArb(300), WH2: decArb(300) }), { nil: undefined }),
    method: fc.constantFrom("simulation" as const, "normal" as const),
    seed: fc.integer(),
  });

const run = (p: object) => {
  const input: Record<string, unknown> = { asOf: "2026-09-01", samples: 64, ...p };
  for (const [k, v] of Object.entries(input)) if (v === undefined) delete input[k];
  const r = planReplenishment(input);
  if (Result.isFailure(r)) throw new Error(String(r.failure));
  return r.success;
};

describe("replenishment properties (fast-check, ≥1,000 runs each)", () => {
  it("a higher service level never lowers the dynamic safety stock (both methods, any lead-time distribution)", () => {
    fc.assert(
      fc.property(
        forecastArb(),
        leadTimeArb,
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.constantFrom("simulation" as const, "normal" as const),
        fc.integer({ min: 0, max: 7 }),
        fc.integer(),
        (f, lt, a, b, method, reviewDays, seed) => {
          const d = leadTimeDemand(f, lt, { method, reviewDays, seed, samples: 200 });
          if (Result.isFailure(d)) throw new Error(String(d.failure));
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(dynamicSafetyStock(d.success, lo)).toBeLessThanOrEqual(dynamicSafetyStock(d.success, hi));
        },
      ),
      runs,
    );
  });

  it("zero demand orders nothing, whatever the policy, stock, MOQ or pack size", () => {
    fc.assert(
      fc.property(planArb(true), (p) => {
        expect(run(p).suggestions).toEqual([]);
      }),
      runs,
    );
  });

  it("MOQ and pack sizes are always respected: every quantity is ≥ MOQ and a whole number of packs", () => {
    fc.assert(
      fc.property(planArb(), (p) => {
        const plan = run(p);
        for (const s of plan.suggestions) {
          const pos = p.positions.find((x) => x.item === s.item && x.warehouse === s.warehouse)!;
          expect(s.qty.gt(0)).toBe(true);
          expect(s.qty.gte(new Dec(pos.moq ?? "0"))).toBe(true);
          expect(s.qty.mod(new Dec(pos.packSize ?? "1")).isZero()).toBe(true);
        }
      }),
      runs,
    );
  });

  it("shelf life is never exceeded: no order beyond the forecast sales up to expiry minus the position", () => {
    fc.assert(
      fc.property(planArb(), (p) => {
        const plan = run(p);
        for (const s of plan.suggestions) {
          const pos = p.positions.find((x) => x.item === s.item && x.warehouse === s.warehouse)!;
          if (pos.shelfLifeDays === undefined) continue;
          let sells = 0;
          for (let d = 0; d < Math.min(H, Math.round(pos.leadTime.mean) + pos.shelfLifeDays); d++) sells += Math.max(0, pos.forecast.mean[d]!);
          const position = s.explanation.stock.position.toNumber();
          expect(s.qty.toNumber()).toBeLessThanOrEqual(Math.max(0, sells - position) + 1e-6);
          expect(s.qty.lte(s.explanation.shelfLifeLimit!)).toBe(true);
        }
      }),
      runs,
    );
  });

  it("base stock (cycleDays 0): S = s, and the raw order brings the position exactly back to s", () => {
    fc.assert(
      fc.property(planArb(), (p) => {
        const plan = run(p);
        for (const x of [...plan.suggestions, ...plan.skipped]) {
          const pos = p.positions.find((y) => y.item === x.item && y.warehouse === x.warehouse)!;
          if (pos.policy.cycleDays !== 0 || x.explanation === undefined) continue;
          const e = x.explanation;
          expect(e.orderUpTo.eq(e.reorderPoint)).toBe(true);
          if (e.rawQty.gt(0)) expect(e.stock.position.add(e.rawQty).eq(e.reorderPoint)).toBe(true);
        }
      }),
      runs,
    );
  });

  it("the budget and warehouse capacities are never exceeded", () => {
    fc.assert(
      fc.property(planArb(), (p) => {
        const plan = run(p);
        expect(plan.totalValue.eq(plan.suggestions.reduce((a, s) => a.add(s.value), new Dec(0)))).toBe(true);
        if (p.budget !== undefined) expect(plan.totalValue.lte(new Dec(p.budget))).toBe(true);
        if (p.capacity !== undefined) {
          for (const [w, cap] of Object.entries(p.capacity)) {
            let used = new Dec(0);
            for (const s of plan.suggestions.filter((x) => x.warehouse === w)) {
              const pos = p.positions.find((x) => x.item === s.item && x.warehouse === s.warehouse)!;
              used = used.add(s.qty.mul(new Dec(pos.unitSpace ?? "1")));
            }
            expect(used.lte(new Dec(cap))).toBe(true);
          }
        }
      }),
      runs,
    );
  });
});
