import fc from "fast-check";
import { Result } from "effect";
import { seededUniform } from "@jxc/core";
import { describe, expect, it } from "vitest";
import { eventMultipliers, eventRamp, forecastWithEvents, learnEventUplift, windowAverage, type DemandEvent } from "../src/index.js";
import { failWith, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const LEVELS = [0.5, 0.9, 0.99];

const school: DemandEvent = { name: "开学季", start: "2025-09-01", end: "2025-09-07", uplift: 1, rampDays: 3 };

describe("known events (hand-computed)", () => {
  it("a 7-day event with a 3-day ramp: 1/3, 2/3, 1, 1, 1, 2/3, 1/3 of the uplift", () => {
    const m = ok(eventMultipliers([school], "2025-08-31", 9));
    expect(Array.from(m)).toEqual([1, 1 + 1 / 3, 1 + 2 / 3, 2, 2, 2, 1 + 2 / 3, 1 + 1 / 3, 1]);
  });

  it("overlapping events multiply; a step event (no ramp) is the full uplift on every day", () => {
    const promo: DemandEvent = { name: "promo", start: "2025-09-03", end: "2025-09-04", uplift: -0.5 };
    const m = ok(eventMultipliers([{ ...school, rampDays: 0 }, promo], "2025-09-02", 3));
    expect(Array.from(m)).toEqual([2, 1, 1]);
  });

  it("learns the uplift of past occurrences pooled over series (here exactly +80 %)", () => {
    const y = new Float64Array(60).fill(10);
    // one past window of 7 days starting at index 40 (2025-02-10 from 2025-01-01), ramp 3
    for (let k = 0; k < 7; k++) y[40 + k] = 10 * (1 + 0.8 * eventRamp(k, 7, 3));
    const learned = ok(learnEventUplift([{ start: "2025-01-01", y }, { start: "2025-01-01", y: new Float64Array(10) }], { windows: [{ start: "2025-02-10", end: "2025-02-16" }], rampDays: 3 }));
    expect(learned.uplift).toBeCloseTo(0.8, 12);
    expect(learned.occurrences).toBe(1); // the second series is too short for the window
  });

  it("forecasts the base demand and lifts the days of the coming event; the history's event is divided out", () => {
    // 14 days at 10, of which the last 7 are a past +100 % event (20): the base is 10 throughout.
    const y = Float64Array.from({ length: 14 }, (_, t) => (t < 7 ? 10 : 20));
    const past: DemandEvent = { name: "开学季", start: "2025-08-08", end: "2025-08-14", uplift: 1 };
    const f = ok(forecastWithEvents(windowAverage(14), y, 3, LEVELS, { start: "2025-08-01", events: [past, { ...school, start: "2025-08-16", end: "2025-08-20", rampDays: 0 }] }));
    expect(Array.from(f.mean)).toEqual([10, 20, 20]);
    expect(f.model).toBe("window-average(14) × events");
  });

  it("widens a quantile's distance from the mean by m^e: e = 1 is proportional, e = ½ is poisson", () => {
    const y = Float64Array.from({ length: 14 }, (_, t) => 10 + (t % 3));
    const options = { start: "2025-08-01", events: [{ ...school, start: "2025-08-15", end: "2025-08-17", rampDays: 0, uplift: 3 }] };
    const plain = ok(windowAverage(7).fit(y, {})).forecast(3, LEVELS);
    const q = (spread: "proportional" | "poisson" | number): Float64Array => ok(forecastWithEvents(windowAverage(7), y, 3, LEVELS, { ...options, spread })).quantiles.get(0.99)!;
    // multiplier 4 on every forecast day: the 99 % quantile is 4·mean + 4^e·(q − mean)
    for (const [spread, widen] of [["proportional", 4], ["poisson", 2], [1, 4], [0.5, 2], [0, 1], [1.5, 8]] as const) {
      for (let i = 0; i < 3; i++) expect(q(spread)[i]).toBeCloseTo(4 * plain.mean[i]! + widen * (plain.quantiles.get(0.99)![i]! - plain.mean[i]!), 9);
    }
    const e = failWith(forecastWithEvents(windowAverage(7), y, 3, LEVELS, { ...options, spread: 2.5 }), "InvalidInput");
    expect(e.issues[0]!.path).toBe("spread");
  });

  it("learns the spread exponent of a planted surge with noise: squared deviations that grow as m^{2e} give e", () => {
    // baseline days alternate 10 ± 2 (level 10, squared deviation 4); the window's days are 10·m ± 2·m^e with
    // opposite signs on the two days of equal ramp, so that the noise leaves the uplift as planted.
    const e = 0.75;
    const y = new Float64Array(10 + 8 + 10).fill(0).map((_, t) => 10 + (t % 2 === 0 ? 2 : -2));
    for (let k = 0; k < 8; k++) {
      const m = 1 + 1.5 * eventRamp(k, 8, 3);
      y[10 + k] = 10 * m + (k < 4 ? 2 : -2) * m ** e;
    }
    const learned = ok(learnEventUplift([{ start: "2025-01-01", y }], { windows: [{ start: "2025-01-11", end: "2025-01-18" }], rampDays: 3, baselineDays: 10 }));
    expect(learned.uplift).toBeCloseTo(1.5, 12);
    expect(learned.spread).toBeCloseTo(e, 9);
  });

  it("noiseless history gives no spread exponent (nothing deviates)", () => {
    const y = new Float64Array(60).fill(10);
    for (let k = 0; k < 7; k++) y[40 + k] = 10 * (1 + 0.8 * eventRamp(k, 7, 3));
    expect(ok(learnEventUplift([{ start: "2025-01-01", y }], { windows: [{ start: "2025-02-10", end: "2025-02-16" }], rampDays: 3 })).spread).toBeUndefined();
  });

  it("refuses a malformed event, naming it", () => {
    const e = failWith(eventMultipliers([{ ...school, end: "2025-08-01" }], "2025-08-01", 3), "InvalidInput");
    expect(e.issues[0]!.path).toBe("events.0.end");
  });
});

describe("known events (properties)", () => {
  const eventArb = fc.record({
    offset: fc.integer({ min: -10, max: 40 }),
    length: fc.integer({ min: 1, max: 30 }),
    uplift: fc.double({ min: -0.9, max: 3, noNaN: true }),
    rampDays: fc.integer({ min: 0, max: 10 }),
  });
  const asEvent = (e: { offset: number; length: number; uplift: number; rampDays: number }): DemandEvent => {
    const day = (n: number): string => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);
    return { name: "e", start: day(e.offset), end: day(e.offset + e.length - 1), uplift: e.uplift, rampDays: e.rampDays };
  };

  it("multipliers are 1 outside every event and 1 + uplift·ramp inside, the ramp in [0, 1] and symmetric", () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        const m = ok(eventMultipliers([asEvent(e)], "2025-01-01", 40));
        for (let t = 0; t < 40; t++) {
          const k = t - e.offset;
          const r = eventRamp(k, e.length, e.rampDays);
          expect(r).toBeGreaterThanOrEqual(0);
          expect(r).toBeLessThanOrEqual(1);
          expect(r).toBe(eventRamp(e.length - 1 - k, e.length, e.rampDays));
          expect(m[t]).toBe(k < 0 || k >= e.length ? 1 : 1 + e.uplift * r);
        }
      }),
      runs,
    );
  });

  it("learning recovers the uplift of noiseless history exactly (any base level and ramp)", () => {
    fc.assert(
      fc.property(eventArb.filter((e) => e.offset >= 5), fc.double({ min: 0.1, max: 500, noNaN: true }), (e, base) => {
        const y = new Float64Array(80).fill(base);
        for (let k = 0; k < e.length; k++) y[e.offset + k] = base * (1 + e.uplift * eventRamp(k, e.length, e.rampDays));
        const w = asEvent(e);
        const learned = ok(learnEventUplift([{ start: "2025-01-01", y }], { windows: [{ start: w.start, end: w.end }], rampDays: e.rampDays, baselineDays: 5 }));
        expect(learned.occurrences).toBe(1);
        expect(learned.uplift).toBeCloseTo(e.uplift, 9);
      }),
      runs,
    );
  });

  it("learning reads a linear trend through the window as no uplift: history trending up or down gives the uplift exactly", () => {
    fc.assert(
      fc.property(
        eventArb.filter((e) => e.offset >= 5 && e.offset + e.length + 5 <= 80),
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        (e, base, slope) => {
          // level base·(1 + slope·t), positive over the 80 days
          const y = Float64Array.from({ length: 80 }, (_, t) => base * (1 + slope * t));
          for (let k = 0; k < e.length; k++) y[e.offset + k]! *= 1 + e.uplift * eventRamp(k, e.length, e.rampDays);
          const w = asEvent(e);
          const options = { windows: [{ start: w.start, end: w.end }], rampDays: e.rampDays, baselineDays: 5 };
          const learned = ok(learnEventUplift([{ start: "2025-01-01", y }], options));
          expect(learned.occurrences).toBe(1);
          expect(learned.uplift).toBeCloseTo(e.uplift, 9);
          // the days before alone read the trend as uplift (or its opposite)
          if (Math.abs(slope) > 1e-3) expect(Math.abs(ok(learnEventUplift([{ start: "2025-01-01", y }], { ...options, baseline: "before" })).uplift - e.uplift)).toBeGreaterThan(1e-4);
        },
      ),
      runs,
    );
  });

  it("with events, each forecast day is the no-event forecast × its multiplier and the quantiles stay ordered", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 10, maxLength: 40 }),
        eventArb,
        fc.oneof(fc.constantFrom("proportional" as const, "poisson" as const), fc.double({ min: 0, max: 2, noNaN: true })),
        (values, e, spread) => {
          const y = Float64Array.from(values);
          const event = asEvent({ ...e, offset: y.length + (Math.abs(e.offset) % 10) });
          const plain = windowAverage(7).fit(y, {});
          if (Result.isFailure(plain)) return;
          const base = plain.success.forecast(10, LEVELS);
          const f = ok(forecastWithEvents(windowAverage(7), y, 10, LEVELS, { start: "2025-01-01", events: [event], spread }));
          const m = ok(eventMultipliers([event], "2025-01-01", y.length + 10)).subarray(y.length);
          for (let i = 0; i < 10; i++) {
            expect(f.mean[i]).toBeCloseTo(base.mean[i]! * m[i]!, 9);
            expect(f.quantiles.get(0.5)![i]!).toBeLessThanOrEqual(f.quantiles.get(0.9)![i]! + 1e-9);
            expect(f.quantiles.get(0.9)![i]!).toBeLessThanOrEqual(f.quantiles.get(0.99)![i]! + 1e-9);
          }
        },
      ),
      runs,
    );
  });
});

describe("known events (planted in noisy count demand)", () => {
  /** A Poisson draw by inversion (small means). */
  const poisson = (u: () => number, mean: number): number => {
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const x = u();
    while (x > cdf && k < 1000) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  };
  /** 60 series of 200 days, Poisson around levels 2…14, with a +150 % surge (ramp 7) in two 28-day windows. */
  const planted = (surge: "scales" | "adds"): Array<{ start: string; y: Float64Array }> => {
    const u = seededUniform(11);
    return Array.from({ length: 60 }, (_, j) => {
      const level = 2 + (j % 7) * 2;
      const y = new Float64Array(200);
      for (let t = 0; t < 200; t++) {
        const k = t >= 40 && t < 68 ? t - 40 : t >= 130 && t < 158 ? t - 130 : -1;
        const m = 1 + 1.5 * eventRamp(k, 28, 7);
        // scales: the day's demand multiplied (its noise too); adds: more customers, a Poisson draw of the lifted mean
        y[t] = surge === "scales" ? Math.round(poisson(u, level) * m) : poisson(u, level * m);
      }
      return { start: "2025-01-01", y };
    });
  };
  const windows = [{ start: "2025-02-10", end: "2025-03-09" }, { start: "2025-05-11", end: "2025-06-07" }];

  it("finds the planted uplift, and e ≈ 1 when the surge scales demand, e ≈ ½ when it adds Poisson demand", () => {
    const scaled = ok(learnEventUplift(planted("scales"), { windows, rampDays: 7 }));
    expect(scaled.occurrences).toBe(120);
    expect(scaled.uplift).toBeGreaterThan(1.4);
    expect(scaled.uplift).toBeLessThan(1.6);
    expect(scaled.spread).toBeGreaterThan(0.85);
    expect(scaled.spread).toBeLessThan(1.15);
    const added = ok(learnEventUplift(planted("adds"), { windows, rampDays: 7 }));
    expect(added.uplift).toBeGreaterThan(1.4);
    expect(added.uplift).toBeLessThan(1.6);
    expect(added.spread).toBeGreaterThan(0.35);
    expect(added.spread).toBeLessThan(0.65);
  });
});

describe("known events (refusals)", () => {
  it("a history whose start is not a date is refused, naming it; a window with a missing value is skipped", () => {
    const e = failWith(learnEventUplift([{ start: "2025-02-30", y: new Float64Array(60) }], { windows: [{ start: "2025-02-10", end: "2025-02-16" }] }), "InvalidInput");
    expect(e.issues[0]!.path).toBe("history.0.start");
    const y = new Float64Array(60).fill(10);
    y[42] = Number.NaN;
    expect(ok(learnEventUplift([{ start: "2025-01-01", y }], { windows: [{ start: "2025-02-10", end: "2025-02-16" }] })).occurrences).toBe(0);
  });
});
