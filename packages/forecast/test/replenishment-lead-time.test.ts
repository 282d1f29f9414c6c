import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  classicSafetyStock,
  dynamicSafetyStock,
  fixedLeadTime,
  leadTimeDemand,
  leadTimeFor,
  learnSupplierDelay,
  normalForecast,
  type Forecast,
} from "../src/index.js";
import { failWith, ok } from "../../../scripts/test-support.js";

const constant = (h: number, mean: number, sd: number, levels = [0.5, 0.8, 0.9, 0.95, 0.99]): Forecast =>
  normalForecast("test", new Float64Array(h).fill(mean), new Float64Array(h).fill(sd), levels);

describe("supplier lead time from receipt history", () => {
  it("learns the delay distribution from promised vs received dates", () => {
    const delay = ok(
      learnSupplierDelay([
        { ordered: "2026-01-01", promised: "2026-01-04", received: "2026-01-04" },
        { ordered: "2026-01-05", promised: "2026-01-08", received: "2026-01-10" },
        { ordered: "2026-01-10", promised: "2026-01-13", received: "2026-01-12" },
        { ordered: "2026-01-15", promised: "2026-01-18", received: "2026-01-20" },
      ]),
    );
    expect(delay.receipts).toBe(4);
    expect(delay.delays).toEqual([
      { days: -1, probability: 0.25 },
      { days: 0, probability: 0.25 },
      { days: 2, probability: 0.5 },
    ]);
    expect(delay.meanDelay).toBe(0.75);
    expect(delay.lateShare).toBe(0.5);
    expect(delay.meanPromisedDays).toBe(3);
    const lt = leadTimeFor(delay, 5);
    expect(lt.days).toEqual([4, 5, 7]);
    expect(lt.mean).toBeCloseTo(5.75, 12);
  });

  it("refuses an empty history and malformed dates", () => {
    failWith(learnSupplierDelay([]), "InvalidReceiptHistory");
    failWith(learnSupplierDelay([{ ordered: "2026-01-05", promised: "x", received: "2026-01-04" }]), "InvalidInput");
    failWith(learnSupplierDelay([{ ordered: "2026-01-05", promised: "2026-01-06", received: "2026-01-04" }]), "InvalidReceiptHistory");
  });
});

describe("lead-time demand and safety stock", () => {
  it("a certain forecast and a fixed lead time: lead-time demand is exact, safety stock 0", () => {
    const f: Forecast = { mean: new Float64Array(10).fill(4), quantiles: new Map(), model: "point" };
    const d = ok(leadTimeDemand(f, fixedLeadTime(3)));
    expect(d.mean).toBe(12);
    expect(d.quantile(0.99)).toBe(12);
    expect(dynamicSafetyStock(d, 0.95)).toBe(0);
  });

  it("normal daily demand, fixed lead time: both methods agree with z·σ·√L", () => {
    const f = constant(20, 10, 3);
    const classic = classicSafetyStock({ serviceLevel: 0.95, dailySd: 3, leadTimeDays: 4 });
    expect(classic).toBeCloseTo(1.6449 * 3 * 2, 3);
    const normal = ok(leadTimeDemand(f, fixedLeadTime(4), { method: "normal" }));
    expect(normal.mean).toBeCloseTo(40, 9);
    expect(dynamicSafetyStock(normal, 0.95)).toBeCloseTo(classic, 3);
    const sim = ok(leadTimeDemand(f, fixedLeadTime(4), { samples: 20_000, seed: 7 }));
    expect(Math.abs(sim.mean - 40)).toBeLessThan(0.3);
    expect(Math.abs(dynamicSafetyStock(sim, 0.95) - classic)).toBeLessThan(0.6);
  });

  it("lead-time variability raises safety stock; the classic formula with σ_L agrees with the normal mixture roughly", () => {
    const f = constant(30, 10, 2);
    const fixed = ok(leadTimeDemand(f, fixedLeadTime(5), { method: "normal" }));
    const varying = ok(leadTimeDemand(f, leadTimeFor({ receipts: 2, delays: [{ days: 0, probability: 0.5 }, { days: 4, probability: 0.5 }], meanDelay: 2, sdDelay: 2, lateShare: 0.5, meanPromisedDays: 3 }, 3), { method: "normal" }));
    expect(dynamicSafetyStock(varying, 0.95)).toBeGreaterThan(dynamicSafetyStock(fixed, 0.95));
  });

  it("the same seed gives the same figures; review days extend the protection period", () => {
    const f = constant(20, 5, 2);
    const a = ok(leadTimeDemand(f, fixedLeadTime(3), { seed: 3, reviewDays: 7 }));
    const b = ok(leadTimeDemand(f, fixedLeadTime(3), { seed: 3, reviewDays: 7 }));
    expect(a.quantile(0.9)).toBe(b.quantile(0.9));
    expect(a.protectionDays).toBe(10);
    expect(a.forecastMean).toBeCloseTo(50, 9);
  });

  it("a forecast shorter than the protection period is refused, naming the position", () => {
    const e = failWith(leadTimeDemand(constant(3, 1, 1), fixedLeadTime(5), { position: "A@WH1" }), "UnusableForecast");
    expect(e.position).toBe("A@WH1");
    expect(Result.isSuccess(leadTimeDemand(constant(5, 1, 1), fixedLeadTime(5)))).toBe(true);
  });
});
