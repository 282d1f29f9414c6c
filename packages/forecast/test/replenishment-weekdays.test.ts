import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecastWithEvents, isoWeekday, learnWeekdayProfile, weekdayMultipliers, windowAverage } from "../src/index.js";
import { failWith, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const day = (n: number): string => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);

describe("weekday profile (hand-computed)", () => {
  it("10 a day on weekdays and 20 at weekends: factors 70/90 and 140/90, read pooled over the series", () => {
    // 2025-01-06 is a Monday; four weeks; a second series of half the level has the same shape
    const week = (level: number) => Float64Array.from({ length: 28 }, (_, t) => (t % 7 < 5 ? level : 2 * level));
    const profile = ok(learnWeekdayProfile([{ start: "2025-01-06", y: week(10) }, { start: "2025-01-06", y: week(5) }]));
    for (let w = 0; w < 5; w++) expect(profile[w]).toBeCloseTo(70 / 90, 12);
    expect(profile[5]).toBeCloseTo(140 / 90, 12);
    expect(profile[6]).toBeCloseTo(140 / 90, 12);
    // 2025-01-04 is a Saturday: Sat, Sun, Mon
    expect(Array.from(weekdayMultipliers(profile, "2025-01-04", 3))).toEqual([profile[5], profile[6], profile[0]]);
  });

  it("no demand gives the flat profile; a weekday never sold on gets the smallest factor of the others", () => {
    expect(ok(learnWeekdayProfile([{ start: "2025-01-06", y: new Float64Array(21) }]))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const closedSunday = Float64Array.from({ length: 14 }, (_, t) => (t % 7 === 6 ? 0 : t % 7 === 5 ? 4 : 2));
    const profile = ok(learnWeekdayProfile([{ start: "2025-01-06", y: closedSunday }]));
    expect(profile[6]).toBeCloseTo(profile[0]!, 12);
  });

  it("a forecast with the profile orders for the weekend: the base is flat, the forecast has the weekly shape", () => {
    const profile = [0.8, 0.8, 0.8, 0.9, 1.1, 1.4, 1.4];
    const start = "2025-01-06"; // Monday
    const y = Float64Array.from({ length: 28 }, (_, t) => 10 * profile[t % 7]!);
    const f = ok(forecastWithEvents(windowAverage(14), y, 7, [0.5, 0.9], { start, events: [], weekdayProfile: profile }));
    for (let i = 0; i < 7; i++) expect(f.mean[i]).toBeCloseTo(10 * profile[i]!, 9);
    expect(f.model).toBe("window-average(14) × weekdays");
  });

  it("refuses a profile that is not seven positive factors, naming it", () => {
    const e = failWith(forecastWithEvents(windowAverage(7), new Float64Array(14).fill(1), 3, [0.5], { start: "2025-01-01", events: [], weekdayProfile: [1, 1, 1] }), "InvalidInput");
    expect(e.issues[0]!.path).toBe("weekdayProfile");
  });
});

describe("weekday profile (properties)", () => {
  const profileArb = fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 7, maxLength: 7 });

  it("the learnt factors average 1, and a history shaped by a profile gives that profile back (normalised)", () => {
    fc.assert(
      fc.property(profileArb, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.1, max: 100, noNaN: true }), (shape, offset, weeks, level) => {
        const start = day(offset);
        const first = isoWeekday(start) - 1;
        const y = Float64Array.from({ length: 7 * weeks }, (_, t) => level * shape[(first + t) % 7]!);
        const profile = ok(learnWeekdayProfile([{ start, y }]));
        const mean = shape.reduce((a, x) => a + x, 0) / 7;
        expect(profile.reduce((a, x) => a + x, 0) / 7).toBeCloseTo(1, 9);
        for (let w = 0; w < 7; w++) expect(profile[w]).toBeCloseTo(shape[w]! / mean, 9);
      }),
      runs,
    );
  });

  it("with a profile, each forecast day is the deseasonalised forecast × that day's factor, and quantiles stay ordered", () => {
    fc.assert(
      fc.property(profileArb, fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 14, maxLength: 40 }), fc.integer({ min: 0, max: 400 }), (profile, values, offset) => {
        const y = Float64Array.from(values);
        const start = day(offset);
        const m = weekdayMultipliers(profile, start, y.length + 7);
        const base = y.map((v, t) => v / m[t]!);
        const plain = ok(windowAverage(7).fit(base, {})).forecast(7, [0.5, 0.9, 0.99]);
        const f = ok(forecastWithEvents(windowAverage(7), y, 7, [0.5, 0.9, 0.99], { start, events: [], weekdayProfile: profile, spread: "poisson" }));
        for (let i = 0; i < 7; i++) {
          expect(f.mean[i]).toBeCloseTo(plain.mean[i]! * m[y.length + i]!, 9);
          expect(f.quantiles.get(0.5)![i]!).toBeLessThanOrEqual(f.quantiles.get(0.9)![i]! + 1e-9);
          expect(f.quantiles.get(0.9)![i]!).toBeLessThanOrEqual(f.quantiles.get(0.99)![i]! + 1e-9);
        }
      }),
      runs,
    );
  });
});
