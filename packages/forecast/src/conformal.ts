/**
 * Split-conformal prediction intervals from backtest residuals, for models without a
 * distributional assumption (or to recalibrate one). Deterministic: no resampling.
 *
 * For each horizon step j the calibration set is the absolute residuals |actual − mean| of step j
 * over the backtest windows. A central interval of coverage c uses the ⌈(n + 1)c⌉-th smallest of
 * the n scores (the finite-sample conformal quantile; `Infinity` when that rank exceeds n). The
 * quantile at level p is then `mean + sign(p − ½) · q_j(|2p − 1|)` — symmetric intervals, and
 * the level ½ is the point forecast. Steps beyond the calibrated horizon reuse the last step's
 * scores.
 *
 * @module
 */
import { Result } from "effect";
import { backtest, type BacktestOptions, type BacktestResult } from "./backtest.js";
import { InvalidSeries, type Forecast, type ForecastModel, type FittedModel } from "./model.js";

/** Absolute residuals per horizon step (index j = step j + 1), each sorted ascending, NaNs dropped. */
export type ConformalScores = ReadonlyArray<Float64Array>;

/** Collects the sorted absolute residuals of each horizon step from a backtest. */
export const conformalScores = (result: BacktestResult): ConformalScores =>
  Array.from({ length: result.horizon }, (_, j) => {
    const values: number[] = [];
    for (const w of result.windows) {
      const r = w.residuals[j];
      if (r !== undefined && !Number.isNaN(r)) values.push(Math.abs(r));
    }
    return Float64Array.from(values).sort();
  });

/**
 * The conformal half-width for central coverage `coverage` in [0, 1] from sorted scores: the
 * ⌈(n + 1)·coverage⌉-th smallest score, 0 for coverage 0, `Infinity` when the rank exceeds n.
 */
export const conformalHalfWidth = (sorted: Float64Array, coverage: number): number => {
  const rank = Math.ceil((sorted.length + 1) * coverage - 1e-12);
  if (rank <= 0) return 0;
  if (rank > sorted.length) return Number.POSITIVE_INFINITY;
  return sorted[rank - 1] ?? Number.POSITIVE_INFINITY;
};

/** Replaces the quantiles of `forecast` with conformal ones at `levels` (each in (0, 1)). */
export const conformalForecast = (forecast: Forecast, scores: ConformalScores, levels: ReadonlyArray<number>): Forecast => {
  const quantiles = new Map<number, Float64Array>();
  const h = forecast.mean.length;
  for (const p of [...new Set(levels)].filter((l) => l > 0 && l < 1).sort((a, b) => a - b)) {
    const values = new Float64Array(h);
    const coverage = Math.abs(2 * p - 1);
    const sign = p < 0.5 ? -1 : p > 0.5 ? 1 : 0;
    for (let i = 0; i < h; i++) {
      const mean = forecast.mean[i] ?? Number.NaN;
      const stepScores = scores[Math.min(i, scores.length - 1)];
      if (sign === 0) values[i] = mean;
      else values[i] = stepScores === undefined ? Number.NaN : mean + sign * conformalHalfWidth(stepScores, coverage);
    }
    quantiles.set(p, values);
  }
  return { mean: forecast.mean, quantiles, model: forecast.model };
};

/** Options of {@link conformalModel}: how the calibration backtest runs on the training series. */
export type ConformalOptions = Pick<BacktestOptions, "horizon" | "windows" | "step">;

/**
 * Wraps `model` so that its quantiles are conformal: `fit` first backtests the model on the
 * training series (only on it — the calibration never sees later data), then fits on the whole
 * training series; `forecast` returns the model's mean with conformal quantiles.
 */
export const conformalModel = (model: ForecastModel, options: ConformalOptions): ForecastModel => {
  const name = `conformal(${model.name})`;
  return {
    name,
    fit(y, fitOptions) {
      const calibration = backtest(y, model, { ...options, ...fitOptions });
      if (Result.isFailure(calibration)) return Result.fail(calibration.failure);
      const scores = conformalScores(calibration.success);
      if (scores.length === 0) return Result.fail(new InvalidSeries({ reason: `${name}: no calibration residuals` }));
      const fitted = model.fit(y, fitOptions);
      if (Result.isFailure(fitted)) return Result.fail(fitted.failure);
      const inner = fitted.success;
      const wrapped: FittedModel = {
        name,
        ...(inner.fitted === undefined ? {} : { fitted: inner.fitted }),
        ...(inner.residuals === undefined ? {} : { residuals: inner.residuals }),
        forecast(h, levels) {
          const base = inner.forecast(h, []);
          return { ...conformalForecast(base, scores, levels), model: name };
        },
      };
      return Result.succeed(wrapped);
    },
  };
};
