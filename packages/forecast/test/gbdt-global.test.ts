import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backtestGlobal,
  dateOfEpochDay,
  epochDayOf,
  fitGbdtGlobal,
  gbdtGlobalModel,
  historyFeatures,
  type ExternalSignal,
  type GlobalSeries,
} from "@jxc/forecast";
import { err, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const START = "2024-01-01";
const start = epochDayOf(START);
/** A deterministic pseudo-random number in [0, 1) for an integer. */
const hash = (i: number): number => (((Math.imul(i ^ 0x5bd1e995, 0x27d4eb2d) >>> 0) ^ (i * 2654435761)) >>> 0) / 4294967296;

describe("history features (direct multi-horizon strategy)", () => {
  it("read y only up to the origin: hand-computed rows of origin 30", () => {
    const y = Float64Array.from({ length: 40 }, (_, i) => i);
    const spec = { horizon: 7, seasonLength: 7, lags: [0, 1], windows: [3] };
    const columns = historyFeatures(y, 0, [30], spec);
    const row = (k: number): number[] => columns.map((c) => c[k - 1]!);
    // step, lag_0, lag_1, season_lag_1, season_lag_2, season_mean_4, roll_mean_3, roll_std_3, zero_share_3, level, since, age
    const first = row(1);
    expect(first[7]!).toBeCloseTo(Math.sqrt((1 + 0 + 1) / 3), 12);
    first[7] = 0;
    expect(first).toEqual([1, 30, 29, 24, 17, 13.5, 29, 0, 0, 15, 0, 30]);
    expect(row(7)[3]).toBe(30); // the target 37 is a week after the origin: its latest same-weekday value is y[30]
    expect(row(7)[4]).toBe(23);
  });

  it("periods before the first usable period count as missing", () => {
    const y = Float64Array.from([0, 0, 0, 4, 0, 2]);
    const columns = historyFeatures(y, 3, [5], { horizon: 1, seasonLength: 7, lags: [0, 3], windows: [4] });
    expect(columns.map((c) => c[0]!)).toEqual([1, 2, Number.NaN, Number.NaN, Number.NaN, Number.NaN, 2, Math.sqrt(8 / 3), 1 / 3, 2, 0, 2]);
  });

  it("property: features at origin t never use y after t (no leakage)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(50), fc.constant(Number.NaN)), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 3 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 80, maxLength: 80 }),
        (values, h, m, lags, windows, originSeed, firstSeed, future) => {
          const y = Float64Array.from(values);
          const origin = originSeed % y.length;
          const first = firstSeed % y.length;
          const spec = { horizon: h, seasonLength: m, lags, windows };
          const changed = Float64Array.from(y, (v, k) => (k > origin ? future[k]! : v));
          // the rows of targets origin + 1 … origin + h are forecast from the origin
          expect(historyFeatures(changed, first, [origin], spec)).toEqual(historyFeatures(y, first, [origin], spec));
        },
      ),
      runs,
    );
  });
});

/** A bounded, smooth trend signal (not weekly) on day d. */
const trend = (d: number): number => Math.sin((2 * Math.PI * d) / 29) + 0.5 * Math.sin((2 * Math.PI * d) / 11 + 1);

/** Series whose demand follows the trend 12 days earlier, with a weekly pattern and noise. */
const leadDrivenSeries = (count: number, length: number): GlobalSeries[] =>
  Array.from({ length: count }, (_, s) => {
    const scale = 1 + s * 0.5;
    const y = Float64Array.from({ length }, (_, t) => {
      const day = start + t;
      const weekly = [0, 0.5, 0.2, 0, 0.3, 1.5, 2][(day + 3) % 7]!;
      return Math.max(0, scale * (10 + 6 * trend(day - 12) + weekly) + 0.6 * (hash(s * 10_000 + t) - 0.5));
    });
    return { id: `sku-${s}`, start: START, freq: "daily" as const, y, exogenous: {} };
  });

const trendSignal = (lead: number): ExternalSignal => ({
  name: "social-trend",
  kind: "social-trend",
  lead,
  observations: Array.from({ length: 700 }, (_, i) => ({ date: dateOfEpochDay(start - 60 + i), value: trend(start - 60 + i) })),
});

describe("exogenous regression: a signal that leads demand by 12 days", () => {
  const series = leadDrivenSeries(6, 360);
  // small trees and few bins keep the three backtests quick; refit off halves the fits
  const base = { horizon: 7, refit: false, booster: { iterations: 100, learningRate: 0.1, maxLeaves: 15, maxBins: 64, minDataInLeaf: 10, earlyStoppingRounds: undefined } };
  const options = { horizon: 7, windows: 3, step: 7, levels: [0.1, 0.5, 0.9] };

  it("forecasts much better WITH the signal (lead 12) than without", () => {
    const without = ok(backtestGlobal(series, gbdtGlobalModel({ ...base, name: "gbdt" }), options));
    const withSignal = ok(backtestGlobal(series, gbdtGlobalModel({ ...base, name: "gbdt+signal", signals: [trendSignal(12)] }), options));
    const wrongLead = ok(backtestGlobal(series, gbdtGlobalModel({ ...base, name: "gbdt+late-signal", signals: [trendSignal(-20)] }), options));
    // figures: printed for the report, asserted only as ratios
    console.log(`MAE without ${without.summary.mae.toFixed(3)}, with the lead-12 signal ${withSignal.summary.mae.toFixed(3)}, with a wrong lead ${wrongLead.summary.mae.toFixed(3)}`);
    expect(withSignal.summary.mae).toBeLessThan(0.5 * without.summary.mae);
    expect(withSignal.summary.rmsse).toBeLessThan(0.5 * without.summary.rmsse);
    expect(withSignal.summary.mae).toBeLessThan(wrongLead.summary.mae);
  });

  it("reports the signal's data quality and ranks the signal first by gain", () => {
    const fitted = ok(fitGbdtGlobal(series, { ...base, signals: [trendSignal(12)] }));
    expect(fitted.importance[0]!.feature).toBe("signal:social-trend");
    expect(fitted.signalQuality.get("social-trend")!.coverage).toBe(1);
  });
});

describe("the global tree model", () => {
  const series = leadDrivenSeries(4, 200);
  const options = { horizon: 14, booster: { iterations: 40, seed: 7 } };

  it("forecasts every series for h steps with ordered, non-negative quantiles", () => {
    const fitted = ok(fitGbdtGlobal(series, options));
    const forecasts = ok(fitted.forecast(14, [0.5, 0.8, 0.9, 0.95, 0.99]));
    expect([...forecasts.keys()]).toEqual(series.map((s) => s.id));
    for (const f of forecasts.values()) {
      expect(f.mean.length).toBe(14);
      const levels = [...f.quantiles.keys()];
      expect(levels).toEqual([0.5, 0.8, 0.9, 0.95, 0.99]);
      for (let i = 0; i < 14; i++) {
        expect(f.mean[i]!).toBeGreaterThanOrEqual(0);
        for (let k = 1; k < levels.length; k++) expect(f.quantiles.get(levels[k]!)![i]!).toBeGreaterThanOrEqual(f.quantiles.get(levels[k - 1]!)![i]!);
      }
    }
    expect(fitted.calibrationResiduals).toBe(4 * 14);
    expect(Result.isFailure(fitted.forecast(15, []))).toBe(true);
  });

  it("uses only the calendar columns asked for (event windows always)", () => {
    const fitted = ok(fitGbdtGlobal(series, {
      ...options,
      calendarColumns: ["day_of_week", "month"],
      events: [{ name: "开学季", start: "2024-02-20", end: "2024-03-05" }],
    }));
    expect(fitted.featureNames.filter((f) => f.startsWith("cal:"))).toEqual(["cal:day_of_week", "cal:month", "cal:event:开学季"]);
  });

  it("is deterministic: the same seed gives identical forecasts", () => {
    const a = ok(ok(fitGbdtGlobal(series, options)).forecast(14, [0.9]));
    const b = ok(ok(fitGbdtGlobal(series, options)).forecast(14, [0.9]));
    expect(b).toEqual(a);
  });

  it("uses future exogenous values: a promotion flag past the end of y", () => {
    const n = 300;
    const promo = (t: number): number => (t % 11 === 3 || t % 11 === 4 ? 1 : 0);
    const withPromo: GlobalSeries[] = Array.from({ length: 3 }, (_, s) => ({
      id: `p${s}`,
      start: START,
      freq: "daily",
      y: Float64Array.from({ length: n }, (_, t) => (5 + s) * (1 + 2 * promo(t))),
      exogenous: { promo: Float64Array.from({ length: n + 7 }, (_, t) => promo(t)) },
    }));
    const fitted = ok(fitGbdtGlobal(withPromo, { horizon: 7, calendar: false, booster: { iterations: 200, learningRate: 0.2, minDataInLeaf: 5 } }));
    const f = ok(fitted.forecast(7, [])).get("p0")!;
    for (let i = 0; i < 7; i++) expect(f.mean[i]!).toBeCloseTo(5 * (1 + 2 * promo(n + i)), 0);
  });

  it("backtests like the per-series backtest: windows end at the last observation and never see the future", () => {
    const result = ok(backtestGlobal(series, gbdtGlobalModel(options), { horizon: 14, windows: 2, levels: [0.5, 0.9] }));
    expect(result.windows.map((w) => w.offset)).toEqual([28, 14]);
    const w = result.windows[1]!.series.get("sku-0")!;
    expect(w.origin).toBe(186);
    expect([...w.actual]).toEqual([...series[0]!.y.slice(186, 200)]);
    // the same forecast as a model fitted only on the data before the origin
    const cut = series.map((s) => ({ ...s, y: s.y.slice(0, s.y.length - 14) }));
    const alone = ok(ok(fitGbdtGlobal(cut, options)).forecast(14, [0.5, 0.9])).get("sku-0")!;
    expect(w.forecast.mean).toEqual(alone.mean);
    expect(Number.isFinite(result.summary.rmsse)).toBe(true);
    expect(Number.isFinite(result.summary.spl)).toBe(true);
  });

  it("property: Poisson and Tweedie global forecasts and quantiles are never negative", () => {
    // Each run fits a global model (two boosters, ~60 ms), so 100 runs rather than 1,000 (about a
    // minute); the booster-level property in gbdt-booster.prop.test.ts runs 1,000 times.
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(20), { minLength: 20, maxLength: 60 }), { minLength: 1, maxLength: 3 }),
        fc.oneof(fc.constant({ kind: "poisson" as const }), fc.record({ kind: fc.constant("tweedie" as const), power: fc.double({ min: 1.05, max: 1.95, noNaN: true }) })),
        fc.constantFrom<"recent-mean" | "none">("recent-mean", "none"),
        fc.integer(),
        (ys, loss, baseline, seed) => {
          const s = ys.map((y, i) => ({ id: `s${i}`, start: START, freq: "daily" as const, y: Float64Array.from(y), exogenous: {} }));
          const fitted = fitGbdtGlobal(s, { horizon: 5, baseline, calendar: false, booster: { loss, seed, iterations: 15, minDataInLeaf: 3, maxLeaves: 7 } });
          if (Result.isFailure(fitted)) return; // e.g. a series without any sale: too short
          for (const f of ok(fitted.success.forecast(5, [0.01, 0.5, 0.99])).values()) {
            for (const v of [...f.mean, ...[...f.quantiles.values()].flatMap((q) => [...q])]) expect(v).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("names what is wrong", () => {
    expect(err(fitGbdtGlobal(series, { horizon: 0 }))._tag).toBe("InvalidInput");
    expect(err(fitGbdtGlobal(series, { horizon: 7, lags: [-1] }))._tag).toBe("InvalidInput");
    expect(err(fitGbdtGlobal([{ ...series[0]!, y: new Float64Array(0) }], { horizon: 7 }))._tag).toBe("InvalidSeries");
    expect(err(fitGbdtGlobal([series[0]!, series[0]!], { horizon: 7 }))._tag).toBe("InvalidSeries");
    const negative = [{ ...series[0]!, y: Float64Array.from([1, -1, 2]) }];
    expect(err(fitGbdtGlobal(negative, { horizon: 1 }))._tag).toBe("InvalidSeries");
    expect(err(fitGbdtGlobal([{ ...series[0]!, y: Float64Array.from([1, 2]) }], { horizon: 7 }))._tag).toBe("SeriesTooShort");
  });
});
