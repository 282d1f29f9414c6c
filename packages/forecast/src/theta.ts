/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000) as R's `forecast::thetaf` — simple
 * exponential smoothing with drift equal to half the OLS slope (Hyndman & Billah 2003), on data
 * deseasonalised by classical multiplicative decomposition when a 90% autocorrelation test at
 * the seasonal lag says so — and the optimised Theta method (Fiorucci et al. 2016), which
 * chooses θ ≥ 1 (with α and ℓ₀) by in-sample one-step MSE.
 *
 * @module
 */
import { Result } from "effect";
import { normalForecast, normalQuantile } from "./baselines.js";
import { classicalSeasonal, fitEts, normalizeSeries } from "./ets.js";
import { FitFailed, InvalidSeries, SeriesTooShort, type FitOptions, type Forecast, type ForecastError, type ForecastModel, type FittedModel } from "./model.js";
import { nelderMead } from "./optimize.js";

/** A fitted Theta model. */
export interface FittedTheta extends FittedModel {
  /** θ: 2 for the standard method, estimated (≥ 1) for the optimised one. */
  readonly theta: number;
  /** SES smoothing parameter α. */
  readonly alpha: number;
  /** OLS slope of the (deseasonalised) series on time. */
  readonly slope: number;
  /** Whether the series was deseasonalised. */
  readonly seasonal: boolean;
  /** Variance of the one-step errors of the SES part (as `thetaf`). */
  readonly sigma2: number;
  /** In-sample one-step fitted values. */
  readonly fitted: Float64Array;
  /** `y − fitted`. */
  readonly residuals: Float64Array;
}

/**
 * `thetaf`'s seasonality test: `seasonLength > 1`, a non-constant series with more than two
 * seasons, and |r_m| / √((1 + 2 Σ_{k<m} r_k²)/n) > Φ⁻¹(0.95), r_k the sample autocorrelation.
 */
export const thetaSeasonalityTest = (y: Float64Array, m: number): boolean => {
  const n = y.length;
  if (!(m > 1) || n <= 2 * m) return false;
  let constant = true;
  for (const v of y) if (v !== y[0]) constant = false;
  if (constant) return false;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let c0 = 0;
  for (const v of y) c0 += (v - mean) * (v - mean);
  const r: number[] = [];
  for (let k = 1; k <= m; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += ((y[t] as number) - mean) * ((y[t + k] as number) - mean);
    r.push(s / c0);
  }
  let s2 = 0;
  for (let k = 0; k < m - 1; k++) s2 += (r[k] as number) ** 2;
  const stat = Math.sqrt((1 + 2 * s2) / n);
  return Math.abs(r[m - 1] as number) / stat > normalQuantile(0.95);
};

/** Options of {@link fitTheta}. */
export interface ThetaOptions {
  /** `"standard"` (θ = 2, as `thetaf`) or `"optimized"` (Fiorucci et al. 2016). Default `"standard"`. */
  readonly variant?: "standard" | "optimized";
}

const olsSlope = (x: Float64Array): [number, number] => {
  const n = x.length;
  const mt = (n - 1) / 2;
  let my = 0;
  for (const v of x) my += v;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - mt) * ((x[t] as number) - my);
    sxx += (t - mt) * (t - mt);
  }
  const b = sxx === 0 ? 0 : sxy / sxx;
  return [my - b * mt, b];
};

/**
 * Fits the Theta method. Standard: SES (ETS(A,N,N) by in-sample MSE, as `ses`) on the
 * (deseasonalised) series, forecasts `ℓ_n + (b/2)(h − 1 + (1 − (1−α)ⁿ)/α)` reseasonalised with
 * the last season's indices. Optimised: (α, θ, ℓ₀) minimise the in-sample MSE of
 * `μ_t = ℓ_{t−1} + (1 − 1/θ)((1−α)^{t−1} A + (1 − (1−α)^{t−1})/α · B)` (A, B the OLS line on
 * t = 0…n−1) and forecasts `ℓ_n + (1 − 1/θ)((1−α)ⁿ A + (h − 1 + (1 − (1−α)ⁿ)/α) B)`.
 * Prediction intervals as `thetaf`: normal, σ_h = σ̂ √(1 + (h−1)α²) (σ̂ of the deseasonalised
 * one-step errors; not reseasonalised, as `thetaf`). `fitted` is, as `thetaf`, the SES fit
 * (without drift) times the seasonal indices for the standard variant, and μ_t for the optimised.
 * Fails with `SeriesTooShort` below 7 observations and `InvalidSeries` for non-finite values.
 */
export const fitTheta = (
  y: Float64Array,
  options: FitOptions & ThetaOptions = {},
): Result.Result<FittedTheta, ForecastError> => {
  const variant = options.variant ?? "standard";
  const name = variant === "standard" ? "Theta" : "OptimizedTheta";
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) return Result.fail(new InvalidSeries({ reason: `${name}: value at index ${i} is not finite` }));
  }
  const m = options.seasonLength ?? 1;
  if (!Number.isInteger(m) || m < 1) return Result.fail(new InvalidSeries({ reason: `${name}: seasonLength must be a positive integer, got ${m}` }));
  const n = y.length;
  const needed = 7;
  if (n < needed) return Result.fail(new SeriesTooShort({ model: name, needed, got: n }));
  let seasonalIdx: Float64Array | undefined;
  if (thetaSeasonalityTest(y, m)) {
    let positive = true;
    for (const v of y) if (!(v > 0)) positive = false;
    const s = positive ? classicalSeasonal(y, m, "multiplicative") : undefined;
    if (s !== undefined && s.every((v) => Math.abs(v) >= 1e-4)) seasonalIdx = s;
  }
  const x = seasonalIdx === undefined ? y : y.map((v, t) => v / (seasonalIdx?.[t] ?? 1));
  const ses = fitEts(x, { error: "A", trend: "N", season: "N" }, { criterion: "mse" });
  if (Result.isFailure(ses)) return Result.fail(ses.failure);
  const [A, B] = olsSlope(x);
  let alpha = Math.max(1e-10, ses.success.parameters.alpha);
  let theta = 2;
  let level = ses.success.finalState[0] as number;
  let fittedX: Float64Array = ses.success.fitted;
  let sse = 0;
  for (const e of ses.success.innovations) sse += e * e;
  let nPar = 2;
  if (variant === "optimized") {
    const scale = x.reduce((a, v) => Math.max(a, Math.abs(v)), 0) || 1;
    const xs = normalizeSeries(x, scale);
    const [An, Bn] = olsSlope(xs);
    const run = (z: Float64Array, a0: number, b0: number, a: number, th: number, l0: number, out?: Float64Array): [number, number] => {
      let l = l0;
      let s = 0;
      const w = 1 - 1 / th;
      let pw = 1; // (1−α)^{t−1}
      for (let t = 0; t < n; t++) {
        const mu = l + w * (pw * a0 + ((1 - pw) / a) * b0);
        if (out !== undefined) out[t] = mu;
        const e = (z[t] as number) - mu;
        s += e * e;
        l = a * (z[t] as number) + (1 - a) * l;
        pw *= 1 - a;
      }
      return [s, l];
    };
    const objective = (p: Float64Array): number => {
      const a = p[0] as number;
      const th = p[1] as number;
      if (!(a >= 1e-4 && a <= 0.9999) || !(th >= 1)) return Number.POSITIVE_INFINITY;
      return run(xs, An, Bn, a, th, p[2] as number)[0] / n;
    };
    const start = [Math.min(Math.max(alpha, 0.01), 0.99), 2, (ses.success.initialState[0] as number) / scale];
    const first = nelderMead(objective, start);
    if (Result.isFailure(first)) return Result.fail(new FitFailed({ model: name, reason: first.failure.message }));
    let opt = first.success;
    for (let k = 0; k < 6; k++) {
      const again = nelderMead(objective, opt.x);
      if (Result.isFailure(again)) break;
      const improved = again.success.value < opt.value - 1e-12;
      if (again.success.value < opt.value) opt = again.success;
      if (!improved) break;
    }
    if (!Number.isFinite(opt.value) || opt.value >= 1e35) return Result.fail(new FitFailed({ model: name, reason: "optimiser found no admissible (α, θ)" }));
    alpha = opt.x[0] as number;
    theta = opt.x[1] as number;
    fittedX = new Float64Array(n);
    const [s, l] = run(x, A, B, alpha, theta, (opt.x[2] as number) * scale, fittedX);
    sse = s;
    level = l;
    nPar = 3;
  }
  const sigma2 = sse / (n - nPar);
  const fitted = seasonalIdx === undefined ? fittedX : fittedX.map((v, t) => v * (seasonalIdx?.[t] ?? 1));
  const residuals = y.map((v, t) => v - (fitted[t] as number));
  const pn = Math.pow(1 - alpha, n);
  const w = 1 - 1 / theta;
  const idx = seasonalIdx;
  const forecast = (hIn: number, levels: ReadonlyArray<number>): Forecast => {
    const h = Number.isInteger(hIn) && hIn > 0 ? hIn : 0;
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      const drift =
        variant === "standard" ? (B / 2) * (i + (1 - pn) / alpha) : w * (pn * A + (i + (1 - pn) / alpha) * B);
      let v = level + drift;
      if (idx !== undefined) v *= idx[n - m + (i % m)] as number;
      mean[i] = v;
      sd[i] = Math.sqrt(sigma2) * Math.sqrt(i * alpha * alpha + 1);
    }
    return normalForecast(name, mean, sd, levels);
  };
  return Result.succeed({ name, theta, alpha, slope: B, seasonal: idx !== undefined, sigma2, fitted, residuals, forecast });
};

/** The standard Theta method (`thetaf`) as a {@link ForecastModel} named `Theta`. */
export const thetaModel: ForecastModel = {
  name: "Theta",
  fit: (y, options) => fitTheta(y, { ...options, variant: "standard" }),
};

/** The optimised Theta method (Fiorucci et al. 2016) as a {@link ForecastModel} named `OptimizedTheta`. */
export const optimizedThetaModel: ForecastModel = {
  name: "OptimizedTheta",
  fit: (y, options) => fitTheta(y, { ...options, variant: "optimized" }),
};
