import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { historicAverage, naive, normalQuantile, seasonalNaive, windowAverage, zeroForecast } from "../src/baselines.js";
import type { FitOptions, Forecast, ForecastModel } from "../src/model.js";
import { demandSeries, constantSeries, seasonalSeries, trendSeries } from "../src/testing/series.js";

const f = (...v: number[]) => Float64Array.from(v);
const Z975 = 1.959963984540054;

const forecastOf = (model: ForecastModel, y: Float64Array, h: number, levels: number[], options: FitOptions = {}): Forecast => {
  const fitted = model.fit(y, options);
  if (Result.isFailure(fitted)) throw new Error(`${fitted.failure._tag}`);
  return fitted.success.forecast(h, levels);
};

const relClose = (actual: number, expected: number, rel = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1e-300, Math.abs(expected)));

describe("normalQuantile (AS 241)", () => {
  it("matches known values to 1e-9 relative", () => {
    relClose(normalQuantile(0.975), 1.959963984540054);
    expect(normalQuantile(0.5)).toBe(0);
    relClose(normalQuantile(0.05), -1.6448536269514722);
    relClose(normalQuantile(0.995), 2.5758293035489004);
    relClose(normalQuantile(1e-10), -6.361340902404056); // tail branch (r > 5)
    relClose(normalQuantile(0.025), -1.959963984540054);
  });
  it("edge values", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
  it("is increasing and antisymmetric", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 0.5, noNaN: true }), fc.double({ min: 1e-12, max: 0.5, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(normalQuantile(lo)).toBeLessThanOrEqual(normalQuantile(hi));
        // 1 − a is inexact for tiny a, so antisymmetry is checked where that error is negligible
        if (a >= 1e-6) expect(Math.abs(normalQuantile(a) + normalQuantile(1 - a))).toBeLessThan(1e-8 * (1 + Math.abs(normalQuantile(a))));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("baselines on small series (hand-computed)", () => {
  it("naive: last value, σ√h with σ² = Σe²/(T−1)", () => {
    // y = 1,3,2,6 → residuals 2,−1,4 → σ² = 21/3 = 7
    const fc2 = forecastOf(naive, f(1, 3, 2, 6), 2, [0.025, 0.5, 0.975]);
    expect([...fc2.mean]).toEqual([6, 6]);
    relClose(fc2.quantiles.get(0.975)?.[0] ?? 0, 6 + Z975 * Math.sqrt(7));
    relClose(fc2.quantiles.get(0.975)?.[1] ?? 0, 6 + Z975 * Math.sqrt(14));
    relClose(fc2.quantiles.get(0.025)?.[1] ?? 0, 6 - Z975 * Math.sqrt(14));
    expect([...(fc2.quantiles.get(0.5) ?? [])]).toEqual([6, 6]);
  });

  it("seasonal naive: repeats the last season, σ√(k+1)", () => {
    // m = 2, y = 1,3,2,6,4 → residuals 1,3,2 → σ² = 14/3
    const out = forecastOf(seasonalNaive, f(1, 3, 2, 6, 4), 3, [0.975], { seasonLength: 2 });
    expect([...out.mean]).toEqual([6, 4, 6]);
    const s = Math.sqrt(14 / 3);
    relClose(out.quantiles.get(0.975)?.[0] ?? 0, 6 + Z975 * s);
    relClose(out.quantiles.get(0.975)?.[1] ?? 0, 4 + Z975 * s);
    relClose(out.quantiles.get(0.975)?.[2] ?? 0, 6 + Z975 * s * Math.SQRT2);
  });

  it("historic average: mean, σ√(1+1/T)", () => {
    // y = 1,3,2,6 → mean 3, residuals −2,0,−1,3 → σ² = 14/3
    const out = forecastOf(historicAverage, f(1, 3, 2, 6), 2, [0.975]);
    expect([...out.mean]).toEqual([3, 3]);
    relClose(out.quantiles.get(0.975)?.[1] ?? 0, 3 + Z975 * Math.sqrt(14 / 3) * Math.sqrt(1.25));
  });

  it("window average: mean of the last w, σ from one-step window errors", () => {
    // w = 2, y = 1,3,2,6 → level 4; residuals 2−2 = 0, 6−2.5 = 3.5 → σ² = 12.25/2
    const out = forecastOf(windowAverage(2), f(1, 3, 2, 6), 2, [0.975]);
    expect([...out.mean]).toEqual([4, 4]);
    relClose(out.quantiles.get(0.975)?.[0] ?? 0, 4 + Z975 * Math.sqrt(6.125));
  });

  it("the all-zero forecast: every step and quantile 0, residuals y", () => {
    const out = forecastOf(zeroForecast, f(0, 3, 0, 1), 3, [0.5, 0.95, 1.5]);
    expect([...out.mean]).toEqual([0, 0, 0]);
    expect([...out.quantiles.keys()]).toEqual([0.5, 0.95]);
    expect([...(out.quantiles.get(0.95) ?? [])]).toEqual([0, 0, 0]);
    const fitted = zeroForecast.fit(f(0, 3, 0, 1), {});
    expect(Result.isSuccess(fitted) && [...(fitted.success.residuals ?? [])]).toEqual([0, 3, 0, 1]);
    const nan = zeroForecast.fit(f(1, Number.NaN), {});
    expect(Result.isFailure(nan) && nan.failure._tag).toBe("InvalidSeries");
  });

  it("typed errors: too short, non-finite, bad season", () => {
    const short = seasonalNaive.fit(f(1, 2), { seasonLength: 7 });
    expect(Result.isFailure(short) && short.failure._tag).toBe("SeriesTooShort");
    const nan = naive.fit(f(1, Number.NaN), {});
    expect(Result.isFailure(nan) && nan.failure._tag).toBe("InvalidSeries");
    const empty = historicAverage.fit(f(), {});
    expect(Result.isFailure(empty) && empty.failure._tag).toBe("SeriesTooShort");
    const bad = seasonalNaive.fit(f(1, 2, 3), { seasonLength: 0 });
    expect(Result.isFailure(bad) && bad.failure._tag).toBe("InvalidSeries");
  });
});

const BASELINES: ReadonlyArray<ForecastModel> = [naive, seasonalNaive, historicAverage, windowAverage(3)];
const OPTIONS: FitOptions = { seasonLength: 7 };
const RUNS = { numRuns: 1000 };

describe("baseline properties", () => {
  it("forecasts (and quantiles) of a constant series are that constant, for every baseline", () => {
    fc.assert(
      fc.property(constantSeries({ minLength: 8 }), fc.integer({ min: 1, max: 28 }), (y, h) => {
        const v = y[0] ?? 0;
        for (const model of BASELINES) {
          const out = forecastOf(model, y, h, [0.05, 0.5, 0.95], OPTIONS);
          expect(out.mean.length).toBe(h);
          for (const x of out.mean) expect(x === v).toBe(true);
          for (const q of out.quantiles.values()) for (const x of q) expect(x === v).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("quantiles are ordered for every level set", () => {
    fc.assert(
      fc.property(
        demandSeries({ minLength: 8 }),
        fc.array(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 28 }),
        (y, levels, h) => {
          for (const model of BASELINES) {
            const out = forecastOf(model, y, h, levels, OPTIONS);
            const sorted = [...out.quantiles.keys()].sort((a, b) => a - b);
            expect(sorted.length).toBe(new Set(levels).size);
            for (let step = 0; step < h; step++) {
              for (let i = 1; i < sorted.length; i++) {
                const lo = out.quantiles.get(sorted[i - 1] ?? 0)?.[step] ?? Number.NaN;
                const hi = out.quantiles.get(sorted[i] ?? 0)?.[step] ?? Number.NaN;
                expect(lo).toBeLessThanOrEqual(hi);
              }
            }
          }
        },
      ),
      RUNS,
    );
  });

  it("scaling the series by c > 0 scales point forecasts (and quantiles) by c", () => {
    fc.assert(
      fc.property(
        fc.oneof(trendSeries({ minLength: 8 }), seasonalSeries({ minLength: 8 }), demandSeries({ minLength: 8 })),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        (y, c) => {
          const scaled = y.map((v) => c * v);
          const magnitude = y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          const tol = 1e-9 * c * (magnitude + 1);
          for (const model of BASELINES) {
            const a = forecastOf(model, y, 10, [0.1, 0.9], OPTIONS);
            const b = forecastOf(model, scaled, 10, [0.1, 0.9], OPTIONS);
            for (let i = 0; i < 10; i++) {
              expect(Math.abs((b.mean[i] ?? 0) - c * (a.mean[i] ?? 0))).toBeLessThanOrEqual(tol);
              for (const level of [0.1, 0.9]) {
                const qa = a.quantiles.get(level)?.[i] ?? 0;
                const qb = b.quantiles.get(level)?.[i] ?? 0;
                expect(Math.abs(qb - c * qa)).toBeLessThanOrEqual(tol * 10);
              }
            }
          }
        },
      ),
      RUNS,
    );
  });
});
