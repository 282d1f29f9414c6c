/**
 * Forecast accuracy metrics on `Float64Array`s (float64 arithmetic).
 *
 * Conventions:
 * - `actual[i]` and `forecast[i]` are the observation and the forecast of step `i + 1`; the two
 *   arrays must have the same length (a length mismatch is a programming error and throws a
 *   `RangeError`).
 * - The error is `forecast − actual`: a positive {@link bias} means over-forecasting.
 * - **NaN-safe rule**: a step where the actual or the forecast is not finite (NaN, ±∞) is skipped.
 *   A metric with no usable step is `NaN`. In-sample scales skip the same way.
 * - Scaled metrics divide by an in-sample scale; a zero scale (a constant history) gives
 *   `Infinity` (or `NaN` for a zero error), which callers averaging over series should drop.
 *
 * @module
 */
import type { Forecast } from "./model.js";

const checkLengths = (actual: Float64Array, forecast: Float64Array): void => {
  if (actual.length !== forecast.length) {
    throw new RangeError(`actual (${actual.length}) and forecast (${forecast.length}) differ in length`);
  }
};

/** Mean of `f(a, p)` over the steps where both values are finite; NaN if there is none. */
const meanOver = (actual: Float64Array, forecast: Float64Array, f: (a: number, p: number) => number): number => {
  checkLengths(actual, forecast);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const p = forecast[i] ?? Number.NaN;
    if (!Number.isFinite(a) || !Number.isFinite(p)) continue;
    sum += f(a, p);
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
};

/** Mean absolute error: mean of |forecast − actual|. */
export const meanAbsoluteError = (actual: Float64Array, forecast: Float64Array): number =>
  meanOver(actual, forecast, (a, p) => Math.abs(p - a));

/** Root mean squared error: √(mean of (forecast − actual)²). */
export const rootMeanSquaredError = (actual: Float64Array, forecast: Float64Array): number =>
  Math.sqrt(meanOver(actual, forecast, (a, p) => (p - a) * (p - a)));

/** Bias (mean error): mean of (forecast − actual); positive means over-forecasting. */
export const bias = (actual: Float64Array, forecast: Float64Array): number => meanOver(actual, forecast, (a, p) => p - a);

/**
 * Weighted absolute percentage error: Σ|forecast − actual| / Σ|actual| over the usable steps.
 * `NaN` when there is no usable step; `Infinity` when every actual is zero and some error is not.
 */
export const weightedAbsolutePercentageError = (actual: Float64Array, forecast: Float64Array): number => {
  checkLengths(actual, forecast);
  let errors = 0;
  let volume = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const p = forecast[i] ?? Number.NaN;
    if (!Number.isFinite(a) || !Number.isFinite(p)) continue;
    errors += Math.abs(p - a);
    volume += Math.abs(a);
    count++;
  }
  return count === 0 ? Number.NaN : errors / volume;
};

/**
 * In-sample mean absolute seasonal-naive error, `mean |y_t − y_{t−m}|` for t ≥ m — the MASE
 * scale (and the scale of {@link scaledPinballLoss}). `NaN` if the history has no usable pair.
 *
 * @param seasonLength m, default 1 (the one-step naive error)
 */
export const maseScale = (insample: Float64Array, seasonLength = 1): number =>
  meanOver(insample.subarray(seasonLength), insample.subarray(0, Math.max(0, insample.length - seasonLength)), (a, p) =>
    Math.abs(a - p),
  );

/**
 * In-sample mean squared one-step naive error, `mean (y_t − y_{t−1})²` — the RMSSE scale of the
 * M5 competition and of the evaluation protocol (always one-step, whatever the season).
 */
export const rmsseScale = (insample: Float64Array): number =>
  meanOver(insample.subarray(1), insample.subarray(0, Math.max(0, insample.length - 1)), (a, p) => (a - p) * (a - p));

/**
 * Mean absolute scaled error (Hyndman & Koehler 2006): MAE / {@link maseScale}(insample, m).
 */
export const meanAbsoluteScaledError = (
  actual: Float64Array,
  forecast: Float64Array,
  insample: Float64Array,
  seasonLength = 1,
): number => meanAbsoluteError(actual, forecast) / maseScale(insample, seasonLength);

/**
 * Root mean squared scaled error (M5): √(MSE / {@link rmsseScale}(insample)).
 */
export const rootMeanSquaredScaledError = (actual: Float64Array, forecast: Float64Array, insample: Float64Array): number =>
  Math.sqrt(meanOver(actual, forecast, (a, p) => (p - a) * (p - a)) / rmsseScale(insample));

/**
 * Pinball (quantile) loss of the quantile forecast `q` at level τ, averaged over the steps:
 * `τ (a − q)` when a ≥ q, `(1 − τ)(q − a)` otherwise.
 */
export const pinballLoss = (actual: Float64Array, quantile: Float64Array, level: number): number =>
  meanOver(actual, quantile, (a, q) => (a >= q ? level * (a - q) : (1 - level) * (q - a)));

/**
 * Scaled pinball loss: for each level of `quantiles`, the {@link pinballLoss} divided by the
 * {@link maseScale} of the history, averaged over the levels (the M5 uncertainty metric without
 * series weights). `NaN` when `quantiles` is empty.
 */
export const scaledPinballLoss = (
  actual: Float64Array,
  quantiles: ReadonlyMap<number, Float64Array>,
  insample: Float64Array,
  seasonLength = 1,
): number => {
  if (quantiles.size === 0) return Number.NaN;
  const scale = maseScale(insample, seasonLength);
  let sum = 0;
  for (const [level, values] of quantiles) sum += pinballLoss(actual, values, level) / scale;
  return sum / quantiles.size;
};

/**
 * Interval coverage: the share of usable steps with `lower ≤ actual ≤ upper`. A step is usable
 * when the actual and both bounds are not NaN (infinite bounds are allowed). NaN if none is.
 */
export const intervalCoverage = (actual: Float64Array, lower: Float64Array, upper: Float64Array): number => {
  checkLengths(actual, lower);
  checkLengths(actual, upper);
  let inside = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const lo = lower[i] ?? Number.NaN;
    const hi = upper[i] ?? Number.NaN;
    if (Number.isNaN(a) || !Number.isFinite(a) || Number.isNaN(lo) || Number.isNaN(hi)) continue;
    if (lo <= a && a <= hi) inside++;
    count++;
  }
  return count === 0 ? Number.NaN : inside / count;
};

/** All metrics of one forecast against its actuals; see {@link scoreForecast}. */
export interface ForecastScores {
  readonly mae: number;
  readonly rmse: number;
  readonly mase: number;
  readonly rmsse: number;
  readonly wape: number;
  readonly bias: number;
  /** Scaled pinball loss over the forecast's quantile levels (NaN without quantiles). */
  readonly spl: number;
  /**
   * Coverage of each central interval the quantiles make: nominal coverage `1 − 2p` → observed
   * coverage, for every level p < 0.5 whose mirror `1 − p` is also present.
   */
  readonly coverage: ReadonlyMap<number, number>;
}

/** Names of the scalar metrics of {@link ForecastScores}, for model selection. */
export type MetricName = "mae" | "rmse" | "mase" | "rmsse" | "wape" | "bias" | "spl";

/**
 * Scores a {@link Forecast} against the actuals that followed the history `insample`.
 *
 * @param seasonLength season of the MASE and pinball-loss scale (default 1)
 */
export const scoreForecast = (
  actual: Float64Array,
  forecast: Forecast,
  insample: Float64Array,
  seasonLength = 1,
): ForecastScores => {
  const coverage = new Map<number, number>();
  for (const [level, lower] of forecast.quantiles) {
    if (level >= 0.5) continue;
    const mirror = [...forecast.quantiles.keys()].find((other) => Math.abs(other - (1 - level)) < 1e-12);
    const upper = mirror === undefined ? undefined : forecast.quantiles.get(mirror);
    if (upper !== undefined) coverage.set(1 - 2 * level, intervalCoverage(actual, lower, upper));
  }
  return {
    mae: meanAbsoluteError(actual, forecast.mean),
    rmse: rootMeanSquaredError(actual, forecast.mean),
    mase: meanAbsoluteScaledError(actual, forecast.mean, insample, seasonLength),
    rmsse: rootMeanSquaredScaledError(actual, forecast.mean, insample),
    wape: weightedAbsolutePercentageError(actual, forecast.mean),
    bias: bias(actual, forecast.mean),
    spl: scaledPinballLoss(actual, forecast.quantiles, insample, seasonLength),
    coverage,
  };
};
