/**
 * Baseline forecasting models — naive, seasonal naive, historic average and window average —
 * each a {@link ForecastModel} whose quantiles follow the model's standard distributional
 * assumption (normal errors, as in Hyndman & Athanasopoulos, *Forecasting: Principles and
 * Practice*, §5.5, and statsforecast):
 *
 * | model | point forecast | σ̂² (from in-sample residuals e) | σ at step h |
 * | --- | --- | --- | --- |
 * | naive | y_T | Σe² / (T − 1), e_t = y_t − y_{t−1} | σ̂ √h |
 * | seasonal naive (m) | y_{T+h−m(k+1)}, k = ⌊(h−1)/m⌋ | Σe² / (T − m), e_t = y_t − y_{t−m} | σ̂ √(k+1) |
 * | historic average | ȳ | Σ(y − ȳ)² / (T − 1) | σ̂ √(1 + 1/T) |
 * | window average (w) | mean of the last w values | Σe² / (T − w), e_t = y_t − mean(y_{t−w..t−1}) | σ̂ |
 *
 * For the window average the one-step in-sample error already contains the estimation error of
 * the window mean (under i.i.d. demand its variance is σ²(1 + 1/w)), so σ̂ is used at every step.
 *
 * The quantile at level p is `mean + z_p · σ_h`, with `z_p` from {@link normalQuantile}. Levels
 * outside (0, 1) are ignored. Quantiles are not clipped at zero: clip downstream if demand is
 * non-negative. Arithmetic is float64; means are computed as `y₀ + Σ(y_i − y₀)/n` so that the
 * forecast of a constant series is exactly that constant.
 *
 * The all-zero forecast ({@link zeroForecast}) is a baseline too: every step and quantile 0.
 *
 * @module
 */
import { Result } from "effect";
import {
  InvalidSeries,
  SeriesTooShort,
  type FitOptions,
  type FittedModel,
  type Forecast,
  type ForecastError,
  type ForecastModel,
} from "./model.js";

// --- the normal quantile function (Wichura, AS 241, PPND16) -------------------------------------

const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const;
const B = [
  1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
] as const;
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const D = [
  1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const;
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const F = [
  1.0, 0.599832206555887937690, 0.136929880922735805310, 0.0148753612908506148525,
  7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
] as const;

const horner = (c: ReadonlyArray<number>, x: number): number => {
  let value = 0;
  for (let i = c.length - 1; i >= 0; i--) value = value * x + (c[i] ?? 0);
  return value;
};

/**
 * The standard normal quantile function Φ⁻¹(p) (inverse CDF), by Wichura's algorithm AS 241
 * (PPND16, *Applied Statistics* 37(3), 1988), accurate to about 1 part in 10¹⁶.
 *
 * Returns `-Infinity` for p = 0, `Infinity` for p = 1 and `NaN` for p outside [0, 1] or NaN.
 * `normalQuantile(0.5)` is exactly 0.
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(A, r)) / horner(B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = horner(C, r) / horner(D, r);
  } else {
    r -= 5;
    value = horner(E, r) / horner(F, r);
  }
  return q < 0 ? -value : value;
};

// --- shared helpers ------------------------------------------------------------------------------

/** Mean of `y[from..to)` computed as `y[from] + Σ(y_i − y[from]) / n` (exact for constant runs). */
const shiftedMean = (y: Float64Array, from: number, to: number): number => {
  const first = y[from] ?? Number.NaN;
  let sum = 0;
  for (let i = from; i < to; i++) sum += (y[i] ?? Number.NaN) - first;
  return first + sum / (to - from);
};

/** √(Σe² / denominator) over the finite residuals; 0 when there are none. */
const residualSigma = (residuals: Float64Array, denominator: number): number => {
  let sum = 0;
  for (const e of residuals) if (Number.isFinite(e)) sum += e * e;
  return denominator > 0 ? Math.sqrt(sum / denominator) : 0;
};

const validateSeries = (model: string, y: Float64Array, needed: number): Result.Result<void, ForecastError> => {
  if (y.length < needed) return Result.fail(new SeriesTooShort({ model, needed, got: y.length }));
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) return Result.fail(new InvalidSeries({ reason: `${model}: value at index ${i} is not finite` }));
  }
  return Result.succeed(undefined);
};

const validLevels = (levels: ReadonlyArray<number>): number[] =>
  [...new Set(levels)].filter((p) => p > 0 && p < 1).sort((a, b) => a - b);

/**
 * Builds a {@link Forecast} from a point forecast and the forecast standard deviation per step,
 * with normal quantiles `mean + z_p · σ_h` for each level p in (0, 1).
 */
export const normalForecast = (
  model: string,
  mean: Float64Array,
  sigma: Float64Array,
  levels: ReadonlyArray<number>,
): Forecast => {
  const quantiles = new Map<number, Float64Array>();
  for (const p of validLevels(levels)) {
    const z = normalQuantile(p);
    const values = new Float64Array(mean.length);
    for (let i = 0; i < mean.length; i++) {
      const s = sigma[i] ?? 0;
      values[i] = s === 0 ? (mean[i] ?? Number.NaN) : (mean[i] ?? Number.NaN) + z * s;
    }
    quantiles.set(p, values);
  }
  return { mean, quantiles, model };
};

const seasonLengthOf = (options: FitOptions, model: string): Result.Result<number, ForecastError> => {
  const m = options.seasonLength ?? 1;
  if (!Number.isInteger(m) || m < 1) return Result.fail(new InvalidSeries({ reason: `${model}: seasonLength must be a positive integer, got ${m}` }));
  return Result.succeed(m);
};

const horizonOf = (h: number): number => (Number.isInteger(h) && h > 0 ? h : 0);

// --- the models ----------------------------------------------------------------------------------

/**
 * Naive (random walk) forecasts: every step is the last observation `y_T`. Residuals are the
 * one-step differences; σ_h = σ̂ √h. Needs at least 1 observation (σ̂ = 0 with exactly 1).
 */
export const naive: ForecastModel = {
  name: "naive",
  fit(y, _options) {
    const checked = validateSeries("naive", y, 1);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const n = y.length;
    const last = y[n - 1] ?? Number.NaN;
    const fitted = new Float64Array(n).fill(Number.NaN);
    const residuals = new Float64Array(n).fill(Number.NaN);
    for (let t = 1; t < n; t++) {
      fitted[t] = y[t - 1] ?? Number.NaN;
      residuals[t] = (y[t] ?? Number.NaN) - (y[t - 1] ?? Number.NaN);
    }
    const sigma = residualSigma(residuals, n - 1);
    const fittedModel: FittedModel = {
      name: "naive",
      fitted,
      residuals,
      forecast(h, levels) {
        const steps = horizonOf(h);
        const mean = new Float64Array(steps).fill(last);
        const sd = new Float64Array(steps);
        for (let i = 0; i < steps; i++) sd[i] = sigma * Math.sqrt(i + 1);
        return normalForecast("naive", mean, sd, levels);
      },
    };
    return Result.succeed(fittedModel);
  },
};

/**
 * Seasonal naive forecasts: step h repeats the observation one season earlier,
 * `y_{T+h−m(k+1)}` with `k = ⌊(h−1)/m⌋` and `m = seasonLength` (default 1, i.e. naive).
 * Residuals `y_t − y_{t−m}`; σ_h = σ̂ √(k+1). Needs at least one full season (m observations).
 */
export const seasonalNaive: ForecastModel = {
  name: "seasonal-naive",
  fit(y, options) {
    const name = "seasonal-naive";
    const season = seasonLengthOf(options, name);
    if (Result.isFailure(season)) return Result.fail(season.failure);
    const m = season.success;
    const checked = validateSeries(name, y, m);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const n = y.length;
    const fitted = new Float64Array(n).fill(Number.NaN);
    const residuals = new Float64Array(n).fill(Number.NaN);
    for (let t = m; t < n; t++) {
      fitted[t] = y[t - m] ?? Number.NaN;
      residuals[t] = (y[t] ?? Number.NaN) - (y[t - m] ?? Number.NaN);
    }
    const sigma = residualSigma(residuals, n - m);
    const lastSeason = y.slice(n - m);
    const fittedModel: FittedModel = {
      name,
      fitted,
      residuals,
      forecast(h, levels) {
        const steps = horizonOf(h);
        const mean = new Float64Array(steps);
        const sd = new Float64Array(steps);
        for (let i = 0; i < steps; i++) {
          mean[i] = lastSeason[i % m] ?? Number.NaN;
          sd[i] = sigma * Math.sqrt(Math.floor(i / m) + 1);
        }
        return normalForecast(name, mean, sd, levels);
      },
    };
    return Result.succeed(fittedModel);
  },
};

/**
 * Historic average (mean method): every step is the mean ȳ of all observations. Residuals
 * `y_t − ȳ`, σ̂² = Σe²/(T − 1), σ_h = σ̂ √(1 + 1/T). Needs at least 1 observation.
 */
export const historicAverage: ForecastModel = {
  name: "historic-average",
  fit(y, _options) {
    const name = "historic-average";
    const checked = validateSeries(name, y, 1);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const n = y.length;
    const level = shiftedMean(y, 0, n);
    const fitted = new Float64Array(n).fill(level);
    const residuals = new Float64Array(n);
    for (let t = 0; t < n; t++) residuals[t] = (y[t] ?? Number.NaN) - level;
    const sigma = residualSigma(residuals, n - 1) * Math.sqrt(1 + 1 / n);
    const fittedModel: FittedModel = {
      name,
      fitted,
      residuals,
      forecast(h, levels) {
        const steps = horizonOf(h);
        return normalForecast(name, new Float64Array(steps).fill(level), new Float64Array(steps).fill(sigma), levels);
      },
    };
    return Result.succeed(fittedModel);
  },
};

/**
 * Window average: every step is the mean of the last `window` observations. In-sample one-step
 * residuals `y_t − mean(y_{t−w..t−1})` for t ≥ w; σ̂² = Σe²/(T − w), the same σ̂ at every step
 * (see the module notes). Needs at least `window` observations.
 *
 * @param window number of most recent observations averaged (a positive integer, e.g. 7 or 28)
 */
export const windowAverage = (window: number): ForecastModel => {
  const name = `window-average(${window})`;
  return {
    name,
    fit(y, _options) {
      if (!Number.isInteger(window) || window < 1) {
        return Result.fail(new InvalidSeries({ reason: `${name}: window must be a positive integer` }));
      }
      const checked = validateSeries(name, y, window);
      if (Result.isFailure(checked)) return Result.fail(checked.failure);
      const n = y.length;
      const level = shiftedMean(y, n - window, n);
      const fitted = new Float64Array(n).fill(Number.NaN);
      const residuals = new Float64Array(n).fill(Number.NaN);
      for (let t = window; t < n; t++) {
        fitted[t] = shiftedMean(y, t - window, t);
        residuals[t] = (y[t] ?? Number.NaN) - (fitted[t] ?? Number.NaN);
      }
      const sigma = residualSigma(residuals, n - window);
      const fittedModel: FittedModel = {
        name,
        fitted,
        residuals,
        forecast(h, levels) {
          const steps = horizonOf(h);
          return normalForecast(name, new Float64Array(steps).fill(level), new Float64Array(steps).fill(sigma), levels);
        },
      };
      return Result.succeed(fittedModel);
    },
  };
};

/**
 * The all-zero forecast: every step and every requested quantile is 0 (fitted values 0,
 * residuals `y`). The reference forecast for intermittent demand that may have died out — on
 * the carparts data it beats every R model on RMSSE (see the data README) — and a candidate for
 * per-series selection of the point forecast. Needs at least 1 observation.
 */
export const zeroForecast: ForecastModel = {
  name: "zero",
  fit(y, _options) {
    const name = "zero";
    const checked = validateSeries(name, y, 1);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const fittedModel: FittedModel = {
      name,
      fitted: new Float64Array(y.length),
      residuals: Float64Array.from(y),
      forecast(h, levels) {
        const steps = horizonOf(h);
        const quantiles = new Map<number, Float64Array>();
        for (const level of levels) if (level > 0 && level < 1) quantiles.set(level, new Float64Array(steps));
        return { mean: new Float64Array(steps), quantiles, model: name };
      },
    };
    return Result.succeed(fittedModel);
  },
};
