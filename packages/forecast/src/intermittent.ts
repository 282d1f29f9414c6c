/**
 * Intermittent-demand forecasting methods: Croston, SBA (Syntetos–Boylan approximation), TSB
 * (Teunter–Syntetos–Babai), ADIDA (aggregate–disaggregate) and IMAPA (multiple aggregation
 * levels). Each factory returns a {@link ForecastModel}; model arithmetic is float64.
 *
 * **Point forecasts** are flat over the horizon (these methods forecast a per-period demand rate).
 *
 * **Quantiles.** None of these methods has a predictive distribution of its own. Quantiles are
 * produced by one of two documented approaches, chosen by the `quantiles` option and recorded in
 * the {@link Forecast.model} name as a suffix:
 *
 * - `"poisson"` (default, `…[q=poisson]`): per-period demand is taken as Poisson with mean equal
 *   to the point forecast; the quantile at level `p` is the smallest integer `k` with
 *   `P(X ≤ k) ≥ p` (a normal approximation with continuity correction is used above a mean of
 *   500). Suited to integer (count) demand.
 * - `"empirical"` (`…[q=empirical]`): the point forecast plus the empirical quantile (type 7,
 *   linear interpolation) of the finite in-sample one-step residuals, clamped at zero. When the
 *   series has no finite residual the quantiles are absent from the forecast.
 *
 * **Edge cases.** An empty series is {@link SeriesTooShort}; a non-finite or negative value is
 * {@link InvalidSeries}. An all-zero series is *not* an error: every method forecasts zero (and
 * every quantile is zero) — there has been no demand, so the demand rate estimate is zero.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import {
  InvalidSeries,
  SeriesTooShort,
  type FitOptions,
  type Forecast,
  type FittedModel,
  type ForecastError,
  type ForecastModel,
} from "./model.js";

/** How an intermittent-demand model derives quantiles (see the module documentation). */
export const IntermittentQuantileMethodSchema = z.enum(["poisson", "empirical"]);

/** How an intermittent-demand model derives quantiles: `"poisson"` or `"empirical"`. */
export type IntermittentQuantileMethod = z.output<typeof IntermittentQuantileMethodSchema>;

const smoothing = z.number().gt(0).lte(1);

/** Options of {@link crostonModel} and {@link sbaModel}. */
export const CrostonOptionsSchema = z.strictObject({
  /** Smoothing constant for both demand sizes and intervals, in (0, 1]; default 0.1 (as R's `croston`). */
  alpha: smoothing.default(0.1),
  /** Quantile method; default `"poisson"`. */
  quantiles: IntermittentQuantileMethodSchema.default("poisson"),
});

/** Options of {@link crostonModel} and {@link sbaModel} as given (all optional). */
export type CrostonOptions = z.input<typeof CrostonOptionsSchema>;

/** Options of {@link tsbModel}. */
export const TsbOptionsSchema = z.strictObject({
  /** Smoothing constant for demand sizes (updated on demand periods), in (0, 1]; default 0.1. */
  alpha: smoothing.default(0.1),
  /** Smoothing constant for the demand probability (updated every period), in (0, 1]; default 0.1. */
  beta: smoothing.default(0.1),
  /** Quantile method; default `"poisson"`. */
  quantiles: IntermittentQuantileMethodSchema.default("poisson"),
});

/** Options of {@link tsbModel} as given (all optional). */
export type TsbOptions = z.input<typeof TsbOptionsSchema>;

/** Options of {@link adidaModel}. */
export const AdidaOptionsSchema = z.strictObject({
  /** SES smoothing constant on the aggregated series, in (0, 1]; default 0.1. */
  alpha: smoothing.default(0.1),
  /**
   * Bucket length (periods per non-overlapping bucket). Default: the mean inter-demand interval
   * of the series, rounded to the nearest integer (at least 1, at most the series length).
   */
  aggregationLevel: z.number().int().positive().optional(),
  /** Quantile method; default `"poisson"`. */
  quantiles: IntermittentQuantileMethodSchema.default("poisson"),
});

/** Options of {@link adidaModel} as given (all optional). */
export type AdidaOptions = z.input<typeof AdidaOptionsSchema>;

/** Options of {@link imapaModel}. */
export const ImapaOptionsSchema = z.strictObject({
  /** SES smoothing constant on every aggregated series, in (0, 1]; default 0.1. */
  alpha: smoothing.default(0.1),
  /**
   * Highest aggregation level; levels `1..maxLevel` are averaged. Default: the maximum
   * inter-demand interval of the series (at least 1). Levels longer than the series are skipped.
   */
  maxLevel: z.number().int().positive().optional(),
  /** Quantile method; default `"poisson"`. */
  quantiles: IntermittentQuantileMethodSchema.default("poisson"),
});

/** Options of {@link imapaModel} as given (all optional). */
export type ImapaOptions = z.input<typeof ImapaOptionsSchema>;

// ---------------------------------------------------------------------------------------------
// helpers

const validateSeries = (model: string, y: Float64Array): Result.Result<void, ForecastError> => {
  if (y.length === 0) return Result.fail(new SeriesTooShort({ model, needed: 1, got: 0 }));
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) return Result.fail(new InvalidSeries({ reason: `${model}: y[${i}] is not finite (${v})` }));
    if (v < 0) return Result.fail(new InvalidSeries({ reason: `${model}: y[${i}] is negative (${v}); demand must be ≥ 0` }));
  }
  return Result.succeed(undefined);
};

const isAllZero = (y: Float64Array): boolean => y.every((v) => v === 0);

/** Inter-demand intervals as R computes them: `diff(c(0, positions))` with 1-based positions. */
const demandIntervals = (y: Float64Array): number[] => {
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! > 0) {
      out.push(i + 1 - last);
      last = i + 1;
    }
  }
  return out;
};

/** Quantile of Poisson(`lambda`) at level `p` in (0, 1): smallest k with CDF(k) ≥ p. */
export const poissonQuantile = (lambda: number, p: number): number => {
  if (!(lambda > 0)) return 0;
  if (lambda > 500) {
    const k = Math.ceil(lambda + inverseStandardNormal(p) * Math.sqrt(lambda) - 0.5);
    return Math.max(0, k);
  }
  let pmf = Math.exp(-lambda);
  let cdf = pmf;
  let k = 0;
  // guard against p indistinguishable from 1 in float64
  while (cdf < p && k < 100_000) {
    k++;
    pmf *= lambda / k;
    cdf += pmf;
    if (pmf === 0 && k > lambda) break;
  }
  return k;
};

/** Inverse of the standard normal CDF (Acklam's rational approximation, |rel. error| < 1.2e-9). */
const inverseStandardNormal = (p: number): number => {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
};

/** Empirical quantile, type 7 (linear interpolation between order statistics) of sorted `xs`. */
const empiricalQuantile = (sorted: ReadonlyArray<number>, p: number): number => {
  const n = sorted.length;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
};

/**
 * Builds a fitted model with a flat point forecast `rate` and quantiles from the chosen method.
 * Levels outside (0, 1) are ignored.
 */
const flatFitted = (
  name: string,
  rate: number,
  method: IntermittentQuantileMethod,
  y: Float64Array,
  fitted: Float64Array,
  detail = "",
): FittedModel => {
  const residuals = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) residuals[i] = y[i]! - fitted[i]!;
  const finiteResiduals = Array.from(residuals)
    .filter((r) => Number.isFinite(r))
    .sort((a, b) => a - b);
  const model = `${name}${detail}[q=${method}]`;
  return {
    name,
    fitted,
    residuals,
    forecast(h: number, levels: ReadonlyArray<number>): Forecast {
      const steps = Math.max(0, Math.floor(h));
      const mean = new Float64Array(steps).fill(rate);
      const quantiles = new Map<number, Float64Array>();
      for (const level of levels) {
        if (!(level > 0 && level < 1)) continue;
        let value: number;
        if (rate === 0) value = 0;
        else if (method === "poisson") value = poissonQuantile(rate, level);
        else {
          if (finiteResiduals.length === 0) continue;
          value = Math.max(0, rate + empiricalQuantile(finiteResiduals, level));
        }
        quantiles.set(level, new Float64Array(steps).fill(value));
      }
      return { mean, quantiles, model };
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Croston and SBA

/**
 * Croston state run over `y` exactly as R's `forecast::croston` (`croston2`): demand sizes
 * `y[y > 0]` and intervals `diff(c(0, positions))` are each smoothed by SES with
 * `initial = "simple"` (level starts at the first size / first interval, i.e. the first demand
 * initialises both). With a single demand the forecast is `size / interval`. `factor` multiplies
 * the ratio (1 for Croston, 1 − α/2 for SBA). Returns the forecast and the one-step in-sample
 * fitted values (NaN before the first demand).
 */
const crostonRun = (y: Float64Array, alpha: number, factor: number): { rate: number; fitted: Float64Array } => {
  const fitted = new Float64Array(y.length).fill(Number.NaN);
  let size = Number.NaN;
  let interval = Number.NaN;
  let seen = 0;
  let sinceLast = 0;
  for (let t = 0; t < y.length; t++) {
    if (seen > 0) fitted[t] = factor * (size / interval);
    sinceLast++;
    const v = y[t]!;
    if (v > 0) {
      if (seen === 0) {
        size = v;
        interval = sinceLast;
      } else {
        size = size + alpha * (v - size);
        interval = interval + alpha * (sinceLast - interval);
      }
      seen++;
      sinceLast = 0;
    }
  }
  return { rate: seen === 0 ? 0 : factor * (size / interval), fitted };
};

const crostonFamily = (
  name: string,
  options: CrostonOptions | undefined,
  sba: boolean,
): Result.Result<ForecastModel, InvalidInput> => {
  const parsed = parseInput(CrostonOptionsSchema, options ?? {}, `${name} options`);
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const { alpha, quantiles } = parsed.success;
  const factor = sba ? 1 - alpha / 2 : 1;
  return Result.succeed({
    name,
    fit(y: Float64Array, _options: FitOptions): Result.Result<FittedModel, ForecastError> {
      const ok = validateSeries(name, y);
      if (Result.isFailure(ok)) return Result.fail(ok.failure);
      const { rate, fitted } = crostonRun(y, alpha, factor);
      return Result.succeed(flatFitted(name, rate, quantiles, y, fitted));
    },
  });
};

/**
 * Croston's method (classic), matching R's `forecast::croston` (default α = 0.1, SES with simple
 * initialisation on demand sizes and on inter-demand intervals, first demand initialises both;
 * the forecast is size / interval). Options are validated; invalid options are an
 * {@link InvalidInput}.
 */
export const crostonModel = (options?: CrostonOptions): Result.Result<ForecastModel, InvalidInput> =>
  crostonFamily("croston", options, false);

/**
 * SBA — the Syntetos–Boylan approximation: Croston's forecast times `1 − α/2`, which removes
 * most of Croston's positive bias. Same options and initialisation as {@link crostonModel}.
 */
export const sbaModel = (options?: CrostonOptions): Result.Result<ForecastModel, InvalidInput> =>
  crostonFamily("sba", options, true);

// ---------------------------------------------------------------------------------------------
// TSB

/**
 * TSB — Teunter–Syntetos–Babai: the demand probability `p` is updated every period
 * (`p ← p + β(1[y > 0] − p)`) and the demand size `z` only on demand periods
 * (`z ← z + α(y − z)`); the forecast is `p·z`. Initialisation ("naive", first demand):
 * `z₀` = the first non-zero demand and `p₀` = 1 / (1-based position of the first demand); the
 * updates then run over every period from the first. Unlike Croston, the forecast decays during
 * long runs of zeros (obsolescence).
 */
export const tsbModel = (options?: TsbOptions): Result.Result<ForecastModel, InvalidInput> => {
  const parsed = parseInput(TsbOptionsSchema, options ?? {}, "tsb options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const { alpha, beta, quantiles } = parsed.success;
  const name = "tsb";
  return Result.succeed({
    name,
    fit(y: Float64Array, _options: FitOptions): Result.Result<FittedModel, ForecastError> {
      const ok = validateSeries(name, y);
      if (Result.isFailure(ok)) return Result.fail(ok.failure);
      const fitted = new Float64Array(y.length).fill(Number.NaN);
      const first = y.findIndex((v) => v > 0);
      if (first < 0) return Result.succeed(flatFitted(name, 0, quantiles, y, fitted));
      let z = y[first]!;
      let p = 1 / (first + 1);
      for (let t = 0; t < y.length; t++) {
        fitted[t] = p * z;
        const v = y[t]!;
        p = p + beta * ((v > 0 ? 1 : 0) - p);
        if (v > 0) z = z + alpha * (v - z);
      }
      return Result.succeed(flatFitted(name, p * z, quantiles, y, fitted));
    },
  });
};

// ---------------------------------------------------------------------------------------------
// ADIDA and IMAPA

/**
 * ADIDA forecast at one aggregation level `k`: the series is cut into non-overlapping buckets of
 * `k` periods aligned to the *end* of the series (the first `n mod k` periods are dropped so the
 * last bucket is complete), bucket sums are smoothed by SES (simple initialisation), and the
 * SES level is disaggregated equally (divided by `k`). Fitted values are the one-step bucket
 * forecast / k for every period of the next bucket (NaN for the dropped head and first bucket).
 */
const adidaAt = (y: Float64Array, k: number, alpha: number): { rate: number; fitted: Float64Array } => {
  const n = y.length;
  const fitted = new Float64Array(n).fill(Number.NaN);
  const start = n % k;
  const buckets = Math.floor(n / k);
  let level = Number.NaN;
  for (let b = 0; b < buckets; b++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += y[start + b * k + i]!;
    if (b > 0) for (let i = 0; i < k; i++) fitted[start + b * k + i] = level / k;
    level = b === 0 ? sum : level + alpha * (sum - level);
  }
  return { rate: level / k, fitted };
};

/** Mean inter-demand interval (R convention), or 1 for a series without demand. */
const meanInterval = (y: Float64Array): number => {
  const iv = demandIntervals(y);
  return iv.length === 0 ? 1 : iv.reduce((a, b) => a + b, 0) / iv.length;
};

/**
 * ADIDA — aggregate–disaggregate intermittent demand approach (Nikolopoulos et al.): temporal
 * aggregation into non-overlapping buckets of `aggregationLevel` periods (aligned to the end of
 * the series), SES on the bucket totals, and equal disaggregation of the bucket forecast. A
 * series shorter than one bucket is {@link SeriesTooShort}.
 */
export const adidaModel = (options?: AdidaOptions): Result.Result<ForecastModel, InvalidInput> => {
  const parsed = parseInput(AdidaOptionsSchema, options ?? {}, "adida options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const { alpha, aggregationLevel, quantiles } = parsed.success;
  const name = "adida";
  return Result.succeed({
    name,
    fit(y: Float64Array, _options: FitOptions): Result.Result<FittedModel, ForecastError> {
      const ok = validateSeries(name, y);
      if (Result.isFailure(ok)) return Result.fail(ok.failure);
      const k = aggregationLevel ?? Math.min(y.length, Math.max(1, Math.round(meanInterval(y))));
      if (y.length < k) return Result.fail(new SeriesTooShort({ model: name, needed: k, got: y.length }));
      if (isAllZero(y)) return Result.succeed(flatFitted(name, 0, quantiles, y, new Float64Array(y.length).fill(Number.NaN)));
      const { rate, fitted } = adidaAt(y, k, alpha);
      return Result.succeed(flatFitted(name, rate, quantiles, y, fitted, `(k=${k})`));
    },
  });
};

/**
 * IMAPA — intermittent multiple aggregation prediction algorithm (Petropoulos & Kourentzes), in
 * its simple form: the ADIDA forecast (SES on the aggregate) is computed at every aggregation
 * level `1..maxLevel` that fits in the series and the per-period forecasts are averaged with
 * equal weights. Fitted values are the average over the levels that define them.
 */
export const imapaModel = (options?: ImapaOptions): Result.Result<ForecastModel, InvalidInput> => {
  const parsed = parseInput(ImapaOptionsSchema, options ?? {}, "imapa options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const { alpha, maxLevel, quantiles } = parsed.success;
  const name = "imapa";
  return Result.succeed({
    name,
    fit(y: Float64Array, _options: FitOptions): Result.Result<FittedModel, ForecastError> {
      const ok = validateSeries(name, y);
      if (Result.isFailure(ok)) return Result.fail(ok.failure);
      const top = Math.min(y.length, maxLevel ?? Math.max(1, ...demandIntervals(y)));
      if (isAllZero(y)) return Result.succeed(flatFitted(name, 0, quantiles, y, new Float64Array(y.length).fill(Number.NaN)));
      let rateSum = 0;
      const fitSum = new Float64Array(y.length);
      const fitCount = new Float64Array(y.length);
      for (let k = 1; k <= top; k++) {
        const { rate, fitted } = adidaAt(y, k, alpha);
        rateSum += rate;
        for (let i = 0; i < y.length; i++) {
          const f = fitted[i]!;
          if (Number.isFinite(f)) {
            fitSum[i] = fitSum[i]! + f;
            fitCount[i] = fitCount[i]! + 1;
          }
        }
      }
      const fitted = new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) fitted[i] = fitCount[i]! > 0 ? fitSum[i]! / fitCount[i]! : Number.NaN;
      return Result.succeed(flatFitted(name, rateSum / top, quantiles, y, fitted, `(k=1..${top})`));
    },
  });
};
