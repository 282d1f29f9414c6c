import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  addDays,
  eventMultipliers,
  fixedLeadTime,
  forecastWithEvents,
  leadTimeDemand,
  leadTimeDistribution,
  planReplenishment,
  windowAverage,
  type DemandEvent,
  type Forecast,
  type LeadTimeDistribution,
} from "../src/index.js";
import { failWith, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const LEVELS = [0.5, 0.8, 0.9, 0.95, 0.99];
const START = "2025-08-01";
const H = 14;

const historyArb = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 14, maxLength: 40 }).map((v) => Float64Array.from(v));
const leadTimeArb: fc.Arbitrary<LeadTimeDistribution> = fc
  .array(fc.record({ days: fc.integer({ min: 0, max: 10 }), probability: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 3 })
  .map(leadTimeDistribution);
const spreadArb = fc.oneof(fc.constantFrom("proportional" as const, "poisson" as const), fc.double({ min: 0, max: 1, noNaN: true }));
const methodArb = fc.constantFrom("normal" as const, "simulation" as const);

/** An event starting on the first forecast day whose multiplier rises over the whole horizon (its ramp is longer). */
const risingEvent = (y: Float64Array, uplift: number, rampDays: number): DemandEvent => {
  const first = addDays(START, y.length);
  return { name: "开学季", start: first, end: addDays(first, 2 * rampDays + H), uplift, rampDays };
};

describe("lead-time demand over a known event (properties)", () => {
  it("over a rising event multiplier it is never below the same over a constant multiplier equal to its first day (mean and every quantile ≥ ½)", () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer({ min: H, max: 40 }),
        spreadArb,
        leadTimeArb,
        methodArb,
        fc.double({ min: 0.5, max: 0.995, noNaN: true }),
        (y, uplift, rampDays, spread, leadTime, method, p) => {
          const rising = risingEvent(y, uplift, rampDays);
          const firstDay = uplift / rampDays; // the rising event's uplift on its first day
          const constant: DemandEvent = { ...rising, uplift: firstDay, rampDays: 0 };
          const f = (e: DemandEvent): Forecast => ok(forecastWithEvents(windowAverage(7), y, H, LEVELS, { start: START, events: [e], spread }));
          const options = { method, samples: 200, seed: 3 };
          const up = ok(leadTimeDemand(f(rising), leadTime, options));
          const flat = ok(leadTimeDemand(f(constant), leadTime, options));
          const tol = 1e-9 * (1 + flat.quantile(p));
          expect(up.mean).toBeGreaterThanOrEqual(flat.mean - tol);
          expect(up.forecastMean).toBeGreaterThanOrEqual(flat.forecastMean - tol);
          expect(up.quantile(p)).toBeGreaterThanOrEqual(flat.quantile(p) - tol);
        },
      ),
      runs,
    );
  });

  it("each day of the lead time counts with its own multiplier: the normal lead-time demand is Σ m_d·μ_d with variance Σ m_d^{2e}·σ_d²", () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.double({ min: -0.9, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        (y, uplift, rampDays, offset, e, days) => {
          const first = addDays(START, y.length + offset);
          const event: DemandEvent = { name: "promo", start: first, end: addDays(first, 9), uplift, rampDays };
          const withEvent = ok(forecastWithEvents(windowAverage(7), y, H, LEVELS, { start: START, events: [event], spread: e }));
          const plain = ok(windowAverage(7).fit(y, {})).forecast(H, LEVELS);
          const m = ok(eventMultipliers([event], START, y.length + H)).subarray(y.length);
          const z = 2.3263478740408408; // Φ⁻¹(0.99): the normal method reads each day's σ from the 99 % quantile
          let mean = 0;
          let variance = 0;
          for (let d = 0; d < days; d++) {
            mean += Math.max(0, plain.mean[d]!) * m[d]!;
            variance += ((m[d]! ** e * (plain.quantiles.get(0.99)![d]! - plain.mean[d]!)) / z) ** 2;
          }
          const demand = ok(leadTimeDemand(withEvent, fixedLeadTime(days), { method: "normal" }));
          expect(demand.mean).toBeCloseTo(mean, 6);
          expect(demand.sd).toBeCloseTo(Math.sqrt(variance), 4);
        },
      ),
      runs,
    );
  });
});

describe("planning with a forecast made before the review (forecastStart, properties)", () => {
  const ASOF = "2026-09-01";
  const forecastArb = fc
    .record({
      mean: fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 30, maxLength: 30 }),
      spread: fc.double({ min: 0, max: 3, noNaN: true }),
    })
    .map(({ mean, spread }): Forecast => {
      const m = Float64Array.from(mean);
      return { mean: m, quantiles: new Map([[0.5, m], [0.9, m.map((x) => x + 1.28 * spread)], [0.99, m.map((x) => x + 2.33 * spread)]]), model: "arb" };
    });
  const drop = (f: Forecast, k: number): Forecast => ({ ...f, mean: f.mean.slice(k), quantiles: new Map([...f.quantiles].map(([p, v]) => [p, v.slice(k)] as const)) });
  const position = (forecast: Forecast, leadTime: LeadTimeDistribution, extra: object = {}) =>
    ({ item: "A", warehouse: "WH1", supplier: "S1", unitCost: "2", onHand: "10", forecast, leadTime, policy: { kind: "s,S" as const }, ...extra });
  const plan = (pos: object, method: "normal" | "simulation") => planReplenishment({ asOf: ASOF, positions: [pos], method, samples: 64, seed: 5 });
  /** The figures of a plan that lead-time demand decides. */
  const figures = (r: ReturnType<typeof plan>) => {
    const x = ok(r);
    const e = [...x.suggestions, ...x.skipped][0]!.explanation!;
    return { s: e.reorderPoint.toString(), S: e.orderUpTo.toString(), mean: e.forecast.leadTimeDemandMean, sd: e.forecast.leadTimeDemandSd, next7d: e.forecast.next7d, qty: x.suggestions[0]?.qty.toString() };
  };
  const leadArb = fc.array(fc.record({ days: fc.integer({ min: 0, max: 8 }), probability: fc.double({ min: 0.01, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 3 }).map(leadTimeDistribution);

  it("a forecast starting k days before the day after the plan date plans as the same forecast without its first k days", () => {
    fc.assert(
      fc.property(forecastArb, fc.integer({ min: 0, max: 5 }), leadArb, methodArb, (f, k, leadTime, method) => {
        const early = figures(plan(position(f, leadTime, { forecastStart: addDays(ASOF, 1 - k) }), method));
        const trimmed = figures(plan(position(drop(f, k), leadTime), method));
        expect(early).toEqual(trimmed);
      }),
      runs,
    );
  });

  it("a forecast starting after the day after the plan date is refused, naming the position", () => {
    fc.assert(
      fc.property(forecastArb, fc.integer({ min: 1, max: 30 }), leadArb, (f, k, leadTime) => {
        const e = failWith(plan(position(f, leadTime, { forecastStart: addDays(ASOF, 1 + k) }), "normal"), "UnusableForecast");
        expect(e.position).toBe("A@WH1");
      }),
      runs,
    );
  });

  it("a malformed forecastStart is refused by the schema, naming the field", () => {
    const f: Forecast = { mean: new Float64Array(20).fill(3), quantiles: new Map(), model: "given" };
    const r = plan(position(f, fixedLeadTime(2), { forecastStart: "2026-9-1" }), "normal");
    expect(Result.isFailure(r)).toBe(true);
    const e = failWith(r, "InvalidInput");
    expect(e.issues.map((i) => i.path)).toContain("positions.0.forecastStart");
  });
});
