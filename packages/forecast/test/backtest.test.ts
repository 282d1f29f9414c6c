import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backtest, backtestOrigins, inverseErrorEnsemble, selectModel, type BacktestProgress } from "../src/backtest.js";
import { historicAverage, naive, seasonalNaive, windowAverage } from "../src/baselines.js";
import { conformalHalfWidth, conformalModel } from "../src/conformal.js";
import type { FittedModel, ForecastModel } from "../src/model.js";
import { demandSeries } from "../src/testing/series.js";
import { ok } from "../../../scripts/test-support.js";

const f = (...v: number[]) => Float64Array.from(v);

/** A model that copies the largest value it can see, and records everything it was fitted on. */
const spyModel = (seen: Float64Array[]): ForecastModel => ({
  name: "spy",
  fit(y) {
    seen.push(Float64Array.from(y));
    const peak = y.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
    const fitted: FittedModel = {
      name: "spy",
      forecast: (h) => ({ mean: new Float64Array(h).fill(peak), quantiles: new Map(), model: "spy" }),
    };
    return Result.succeed(fitted);
  },
});

describe("backtest", () => {
  it("origins: the last window ends at the last observation", () => {
    expect(ok(backtestOrigins(20, { horizon: 4, windows: 3, step: 2 }))).toEqual([12, 14, 16]);
    expect(ok(backtestOrigins(20, { horizon: 4, windows: 2 }))).toEqual([12, 16]);
    const short = backtestOrigins(5, { horizon: 4, windows: 2 });
    expect(Result.isFailure(short) && short.failure._tag).toBe("SeriesTooShort");
  });

  it("naive on a small series: forecasts, actuals, metrics and progress", () => {
    const progress: BacktestProgress[] = [];
    const y = f(1, 2, 3, 4, 5, 6);
    const result = ok(backtest(y, naive, { horizon: 2, windows: 2, step: 1, levels: [0.1, 0.9], onProgress: (p) => progress.push(p) }));
    expect(result.windows.map((w) => w.origin)).toEqual([3, 4]);
    expect([...(result.windows[0]?.forecast.mean ?? [])]).toEqual([3, 3]);
    expect([...(result.windows[0]?.actual ?? [])]).toEqual([4, 5]);
    expect(result.windows[0]?.scores.mae).toBe(1.5);
    expect(result.windows[1]?.scores.mae).toBe(1.5);
    expect(result.windows[0]?.scores.mase).toBe(1.5); // in-sample naive MAE of 1,2,3 is 1
    expect(result.summary.mae).toBe(1.5);
    expect(progress).toEqual([{ done: 1, total: 2 }, { done: 2, total: 2 }]);
  });

  it("never passes a value at or after the origin to fit (leakage, planted future spike)", () => {
    fc.assert(
      fc.property(
        demandSeries({ minLength: 30, maxLength: 80 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        (base, horizon, windows, step) => {
          const y = Float64Array.from(base, (v) => Math.min(Math.abs(v), 1e6));
          const origins = backtestOrigins(y.length, { horizon, windows, step });
          if (Result.isFailure(origins)) return;
          // plant a spike right at the first origin: a cheating model would copy it
          const first = origins.success[0] ?? 0;
          y[first] = 1e12;
          const seen: Float64Array[] = [];
          const result = ok(backtest(y, spyModel(seen), { horizon, windows, step }));
          expect(seen.length).toBe(origins.success.length);
          seen.forEach((train, k) => {
            const origin = origins.success[k] ?? 0;
            expect(train.length).toBe(origin); // only indices < origin
            expect([...train]).toEqual([...y.subarray(0, origin)]);
          });
          // the first window's forecast never contains the planted value
          expect(result.windows[0]?.forecast.mean.includes(1e12)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a model mutating its training copy cannot corrupt the series", () => {
    const y = f(1, 2, 3, 4, 5, 6, 7, 8);
    const vandal: ForecastModel = {
      name: "vandal",
      fit(train) {
        train.fill(-1);
        return naive.fit(train, {});
      },
    };
    ok(backtest(y, vandal, { horizon: 2, windows: 2 }));
    expect([...y]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("propagates fit errors", () => {
    const r = backtest(f(1, 2, 3, 4, 5, 6), seasonalNaive, { horizon: 2, windows: 1, seasonLength: 7 });
    expect(Result.isFailure(r) && r.failure._tag).toBe("SeriesTooShort");
  });
});

describe("model selection and ensembles", () => {
  const seasonal = Float64Array.from({ length: 70 }, (_, t) => [10, 0, 5, 20, 3, 8, 1][t % 7] ?? 0);

  it("selectModel picks seasonal naive on a purely seasonal series and reports progress", () => {
    const progress: BacktestProgress[] = [];
    const selection = ok(
      selectModel(seasonal, [naive, historicAverage, seasonalNaive, windowAverage(7)], {
        metric: "mae",
        horizon: 7,
        windows: 3,
        seasonLength: 7,
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(selection.best.name).toBe("seasonal-naive");
    expect(selection.bestScore).toBe(0);
    expect(selection.scores).toHaveLength(4);
    expect(progress.at(-1)).toEqual({ done: 12, total: 12 });
  });

  it("selectModel fails when no candidate can be backtested", () => {
    const r = selectModel(f(1, 2), [naive], { metric: "mae", horizon: 7, windows: 1 });
    expect(Result.isFailure(r) && r.failure._tag).toBe("SeriesTooShort");
  });

  it("inverse-error ensemble weights models by 1/error", () => {
    const y = Float64Array.from({ length: 40 }, (_, t) => t);
    const { ensemble, scores } = ok(inverseErrorEnsemble(y, [naive, historicAverage], { metric: "mae", horizon: 4, windows: 2 }));
    const [e1, e2] = scores.map((s) => s.score) as [number, number];
    const out = ok(ensemble.fit(y, {})).forecast(1, [0.1, 0.9]);
    const naiveMean = 39;
    const avgMean = 19.5;
    const expected = ((1 / e1) * naiveMean + (1 / e2) * avgMean) / (1 / e1 + 1 / e2);
    expect(out.mean[0]).toBeCloseTo(expected, 9);
    expect((out.quantiles.get(0.1)?.[0] ?? 0) <= (out.quantiles.get(0.9)?.[0] ?? 0)).toBe(true);
  });
});

describe("conformal intervals", () => {
  it("half-width is the ⌈(n+1)c⌉-th smallest score", () => {
    const sorted = f(1, 2, 3, 4);
    expect(conformalHalfWidth(sorted, 0.5)).toBe(3); // ⌈2.5⌉ = 3
    expect(conformalHalfWidth(sorted, 0.9)).toBe(Number.POSITIVE_INFINITY); // ⌈4.5⌉ = 5 > 4
    expect(conformalHalfWidth(sorted, 0)).toBe(0);
  });

  it("wraps a model with symmetric, deterministic, ordered intervals", () => {
    const y = Float64Array.from({ length: 60 }, (_, t) => (t % 3) * 2);
    const model = conformalModel(windowAverage(3), { horizon: 3, windows: 9, step: 1 });
    const a = ok(model.fit(y, {})).forecast(3, [0.1, 0.5, 0.9]);
    const b = ok(model.fit(y, {})).forecast(3, [0.1, 0.5, 0.9]);
    expect(a).toEqual(b);
    for (let i = 0; i < 3; i++) {
      const lo = a.quantiles.get(0.1)?.[i] ?? Number.NaN;
      const mid = a.quantiles.get(0.5)?.[i] ?? Number.NaN;
      const hi = a.quantiles.get(0.9)?.[i] ?? Number.NaN;
      expect(mid).toBe(a.mean[i]);
      expect(lo <= mid && mid <= hi).toBe(true);
      expect(hi - mid).toBeCloseTo(mid - lo, 12);
    }
  });
});
