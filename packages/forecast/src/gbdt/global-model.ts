/**
 * The interface of **global** forecasting models — one model fitted on many series at once (the
 * gradient-boosted tree model {@link gbdtGlobalModel}) — and their rolling-origin backtest.
 *
 * The per-series {@link ForecastModel} sees one `Float64Array`; a global model sees every
 * series with its dates and exogenous columns. Exogenous values for the forecast periods
 * (planned prices, promotions, events) travel in the same columns: a column may be **longer
 * than `y`** — its values past the end of `y` are the known future. A global model forecasts,
 * for every series, the periods right after its last observation.
 *
 * {@link backtestGlobal} runs the same protocol as {@link backtest}: for window k of W the
 * origin of a series of length n is `n − h − (W − 1 − k)·step`; every series is cut at its
 * origin (a **copy** of `y[0, origin)`; exogenous columns are kept whole, as they hold known
 * future values), the model is fitted on all cut series together, and each series' forecast is
 * scored against `y[origin, origin + h)` with {@link scoreForecast}. Series too short for a
 * window sit that window out.
 *
 * @module
 */
import { Result } from "effect";
import type { InvalidInput } from "@jxc/core";
import type { BacktestProgress, BacktestWindow } from "../backtest.js";
import type { Frequency } from "../frame.js";
import { scoreForecast, type MetricName } from "../metrics.js";
import { InvalidSeries, SeriesTooShort, type Forecast } from "../model.js";
import type { InvalidTrainingData } from "./booster.js";

/**
 * One series as a global model takes it — the shape {@link toSeries} produces. Exogenous columns
 * are aligned with `y` from `start` and may extend past `y` with the known future values.
 */
export interface GlobalSeries {
  /** Series id, unique among the series given to one fit. */
  readonly id: string;
  /** Date of period 0, `YYYY-MM-DD`. */
  readonly start: string;
  readonly freq: Frequency;
  /** Observations (NaN = missing), oldest first. */
  readonly y: Float64Array;
  /** Exogenous column name → values from `start` (NaN = unknown); may be longer than `y`. */
  readonly exogenous: Readonly<Record<string, Float64Array>>;
}

/** Any expected failure of fitting or forecasting with a global model. */
export type GlobalModelError = InvalidInput | InvalidSeries | SeriesTooShort | InvalidTrainingData;

/** Options of {@link GlobalForecastModel.fit}. */
export interface GlobalFitOptions {
  /** Called as the fit progresses (`done` of `total` units, e.g. boosting iterations). */
  readonly onProgress?: (progress: BacktestProgress) => void;
}

/** A model fitted on many series at once; see the module notes. */
export interface GlobalForecastModel {
  /** Model name, used in forecasts and backtest reports. */
  readonly name: string;
  /** Fits the model on all `series` together. */
  fit(series: ReadonlyArray<GlobalSeries>, options?: GlobalFitOptions): Result.Result<FittedGlobalModel, GlobalModelError>;
}

/** A fitted global model. */
export interface FittedGlobalModel {
  readonly name: string;
  /** The longest horizon the model can forecast (a direct model is fitted for one horizon). */
  readonly horizon: number;
  /**
   * Forecasts the `h` periods after each series' last observation (h ≤ {@link FittedGlobalModel.horizon}),
   * with the quantiles at `levels` (each in (0, 1)): series id → forecast.
   */
  forecast(h: number, levels: ReadonlyArray<number>): Result.Result<ReadonlyMap<string, Forecast>, InvalidSeries>;
}

/** Options of {@link backtestGlobal}. */
export interface GlobalBacktestOptions {
  /** Forecast horizon h. */
  readonly horizon: number;
  /** Number of rolling windows, at least 1. */
  readonly windows: number;
  /** Periods between consecutive origins (default: the horizon). */
  readonly step?: number;
  /** Quantile levels to forecast and score (default none). */
  readonly levels?: ReadonlyArray<number>;
  /** Season of the MASE and pinball-loss scale (default 1). */
  readonly seasonLength?: number;
  /** Called after each window (`done` of `total` windows). */
  readonly onProgress?: (progress: BacktestProgress) => void;
}

/** One window of a global backtest: per series, the same record as a per-series backtest window. */
export interface GlobalBacktestWindow {
  /** Periods between the origin and the end of each series (`h + (W − 1 − k)·step`). */
  readonly offset: number;
  /** Series id → its window (origin, forecast, actuals, residuals, scores). */
  readonly series: ReadonlyMap<string, BacktestWindow>;
}

/** The result of {@link backtestGlobal}. */
export interface GlobalBacktestResult {
  readonly model: string;
  readonly horizon: number;
  readonly windows: ReadonlyArray<GlobalBacktestWindow>;
  /** Each scalar metric averaged over every (series, window) where it is finite (NaN if none). */
  readonly summary: Readonly<Record<MetricName, number>>;
}

const METRICS: ReadonlyArray<MetricName> = ["mae", "rmse", "mase", "rmsse", "wape", "bias", "spl"];

/** Rolling-origin backtest of a global model (see the module notes). */
export const backtestGlobal = (
  series: ReadonlyArray<GlobalSeries>,
  model: GlobalForecastModel,
  options: GlobalBacktestOptions,
): Result.Result<GlobalBacktestResult, GlobalModelError> => {
  const { horizon, windows } = options;
  const step = options.step ?? horizon;
  if (!Number.isInteger(horizon) || horizon < 1) return Result.fail(new InvalidSeries({ reason: `horizon must be a positive integer, got ${horizon}` }));
  if (!Number.isInteger(windows) || windows < 1) return Result.fail(new InvalidSeries({ reason: `windows must be a positive integer, got ${windows}` }));
  if (!Number.isInteger(step) || step < 1) return Result.fail(new InvalidSeries({ reason: `step must be a positive integer, got ${step}` }));
  const levels = options.levels ?? [];
  const seasonLength = options.seasonLength ?? 1;
  const out: GlobalBacktestWindow[] = [];
  for (let k = 0; k < windows; k++) {
    const offset = horizon + (windows - 1 - k) * step;
    const cut = series.filter((s) => s.y.length - offset >= 1).map((s) => ({ ...s, y: s.y.slice(0, s.y.length - offset) }));
    if (cut.length === 0) return Result.fail(new SeriesTooShort({ model: model.name, needed: offset + 1, got: Math.max(0, ...series.map((s) => s.y.length)) }));
    const fitted = model.fit(cut);
    if (Result.isFailure(fitted)) return Result.fail(fitted.failure);
    const forecasts = fitted.success.forecast(horizon, levels);
    if (Result.isFailure(forecasts)) return Result.fail(forecasts.failure);
    const perSeries = new Map<string, BacktestWindow>();
    for (const s of cut) {
      const forecast = forecasts.success.get(s.id);
      if (forecast === undefined) continue;
      const origin = s.y.length;
      const full = series.find((x) => x.id === s.id)!;
      const actual = full.y.slice(origin, origin + horizon);
      const residuals = new Float64Array(actual.length);
      for (let i = 0; i < actual.length; i++) residuals[i] = actual[i]! - (forecast.mean[i] ?? Number.NaN);
      perSeries.set(s.id, { origin, forecast, actual, residuals, scores: scoreForecast(actual, forecast, s.y, seasonLength) });
    }
    out.push({ offset, series: perSeries });
    options.onProgress?.({ done: k + 1, total: windows });
  }
  const summary = {} as Record<MetricName, number>;
  for (const metric of METRICS) {
    let sum = 0;
    let count = 0;
    for (const w of out) {
      for (const s of w.series.values()) {
        const v = s.scores[metric];
        if (Number.isFinite(v)) {
          sum += v;
          count++;
        }
      }
    }
    summary[metric] = count === 0 ? Number.NaN : sum / count;
  }
  return Result.succeed({ model: model.name, horizon, windows: out, summary });
};
