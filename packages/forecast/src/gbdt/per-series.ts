/**
 * Bridges between per-series models ({@link ForecastModel}) and global ones
 * ({@link GlobalForecastModel}), so that both meet in the same backtests and selections:
 *
 * - {@link perSeriesGlobalModel} runs a per-series model (ETS, Theta, Croston…) as a global one
 *   — each series fitted on its own — so {@link backtestGlobal} scores it on exactly the same
 *   windows as the global tree model;
 * - {@link gbdtSeriesModel} runs the tree model on a single series as a per-series
 *   {@link ForecastModel} (history features only: without dates there is no calendar), for
 *   {@link backtest}, {@link selectModel} and the ensembles;
 * - {@link selectPerSeries} picks, for every series, the model with the best mean backtest
 *   metric over several global backtests (ties go to the earlier result).
 *
 * @module
 */
import { Result } from "effect";
import type { MetricName } from "../metrics.js";
import { FitFailed, InvalidSeries, type FitOptions, type FittedModel, type ForecastError, type ForecastModel, type Forecast } from "../model.js";
import { fitGbdtGlobal, type GbdtGlobalOptions } from "./global-gbdt.js";
import type { FittedGlobalModel, GlobalBacktestResult, GlobalForecastModel } from "./global-model.js";

/** A fitted {@link perSeriesGlobalModel}: the series whose fit failed are left out of its forecasts. */
export interface FittedPerSeriesModel extends FittedGlobalModel {
  /** Series id → the error of its fit, for the series left out. */
  readonly failures: ReadonlyMap<string, ForecastError>;
}

/**
 * A per-series model run as a global model: `fit` fits `model` on each series' `y` with
 * `fitOptions` (exogenous columns are ignored); a series whose fit fails is left out of the
 * forecasts and reported in {@link FittedPerSeriesModel.failures}. Any horizon can be forecast.
 */
export const perSeriesGlobalModel = (model: ForecastModel, fitOptions: FitOptions = {}): GlobalForecastModel => ({
  name: model.name,
  fit(series, options) {
    const fitted = new Map<string, FittedModel>();
    const failures = new Map<string, ForecastError>();
    series.forEach((s, i) => {
      const r = model.fit(s.y.slice(), fitOptions);
      if (Result.isFailure(r)) failures.set(s.id, r.failure);
      else fitted.set(s.id, r.success);
      options?.onProgress?.({ done: i + 1, total: series.length });
    });
    const result: FittedPerSeriesModel = {
      name: model.name,
      horizon: Number.MAX_SAFE_INTEGER,
      failures,
      forecast(h, levels) {
        if (!Number.isInteger(h) || h < 1) return Result.fail(new InvalidSeries({ reason: `${model.name}: horizon must be a positive integer, got ${h}` }));
        const out = new Map<string, Forecast>();
        for (const [id, f] of fitted) out.set(id, f.forecast(h, levels));
        return Result.succeed(out);
      },
    };
    return Result.succeed(result);
  },
});

/** Options of {@link gbdtSeriesModel}: those of the global model that need no dates. */
export type GbdtSeriesOptions = Omit<GbdtGlobalOptions, "calendar" | "events" | "signals" | "exogenous" | "relativeExogenous">;

/**
 * The tree model on one series as a per-series {@link ForecastModel} (see the module notes).
 * The season length of `fit` is used when the options give none. Forecast steps beyond the
 * fitted horizon are NaN. Invalid options are an `InvalidSeries`, training failures a `FitFailed`.
 */
export const gbdtSeriesModel = (options: GbdtSeriesOptions): ForecastModel => {
  const name = options.name ?? "gbdt";
  return {
    name,
    fit(y, fitOptions) {
      const seasonLength = options.seasonLength ?? fitOptions.seasonLength ?? 7;
      const fitted = fitGbdtGlobal([{ id: "y", start: "2000-01-01", freq: "daily", y: y.slice(), exogenous: {} }], { ...options, seasonLength, calendar: false });
      if (Result.isFailure(fitted)) {
        const e = fitted.failure;
        switch (e._tag) {
          case "InvalidSeries":
          case "SeriesTooShort":
            return Result.fail(e);
          case "InvalidInput":
            return Result.fail(new InvalidSeries({ reason: e.message }));
          case "InvalidTrainingData":
            return Result.fail(new FitFailed({ model: name, reason: e.reason }));
        }
      }
      const model = fitted.success;
      return Result.succeed({
        name,
        forecast(h: number, levels: ReadonlyArray<number>): Forecast {
          const steps = Math.max(0, Math.floor(h));
          const inner = model.forecast(Math.min(steps, model.horizon), levels);
          const base = Result.isSuccess(inner) ? inner.success.get("y") : undefined;
          const pad = (values: Float64Array | undefined): Float64Array => {
            const out = new Float64Array(steps).fill(Number.NaN);
            if (values !== undefined) out.set(values.subarray(0, Math.min(steps, values.length)));
            return out;
          };
          const quantiles = new Map<number, Float64Array>();
          for (const [level, values] of base?.quantiles ?? []) quantiles.set(level, pad(values));
          return { mean: pad(base?.mean), quantiles, model: name };
        },
      });
    },
  };
};

/** The choice of {@link selectPerSeries} for one series. */
export interface SeriesChoice {
  /** Name of the chosen model. */
  readonly model: string;
  /** Its mean backtest metric over the windows (absolute for bias). */
  readonly score: number;
}

/**
 * For every series, the model whose mean `metric` over its backtest windows is lowest (absolute
 * value for `bias`; ties go to the earlier result; NaN scores are not eligible). Series without
 * any finite score are absent.
 */
export const selectPerSeries = (
  results: ReadonlyArray<GlobalBacktestResult>,
  metric: MetricName,
): ReadonlyMap<string, SeriesChoice> => {
  const best = new Map<string, SeriesChoice>();
  for (const result of results) {
    const sums = new Map<string, { sum: number; count: number }>();
    for (const w of result.windows) {
      for (const [id, s] of w.series) {
        const raw = s.scores[metric];
        const v = metric === "bias" ? Math.abs(raw) : raw;
        if (!Number.isFinite(v)) continue;
        const acc = sums.get(id) ?? { sum: 0, count: 0 };
        acc.sum += v;
        acc.count++;
        sums.set(id, acc);
      }
    }
    for (const [id, { sum, count }] of sums) {
      const score = sum / count;
      const current = best.get(id);
      if (current === undefined || score < current.score) best.set(id, { model: result.model, score });
    }
  }
  return best;
};
