/**
 * AutoETS: fits every admissible ETS class and keeps the one with the smallest AICc, as R's
 * `forecast::ets(y)` with its defaults (`model = "ZZZ"`, `ic = "aicc"`, `restrict = TRUE`,
 * `allow.multiplicative.trend = FALSE`).
 *
 * @module
 */
import { Result } from "effect";
import { etsMinimumLength, fitEts, type EtsOptions, type EtsSpec, type FittedEts } from "./ets.js";
import { FitFailed, InvalidSeries, SeriesTooShort, type FitOptions, type ForecastError, type ForecastModel } from "./model.js";

/** Options of {@link fitAutoEts}. */
export interface AutoEtsOptions extends EtsOptions {
  /** Restrict the search to additive components (R's `additive.only`). Default `false`. */
  readonly additiveOnly?: boolean;
  /** Consider damped trends. Default `true` (R's `damped = NULL`: both). */
  readonly allowDamped?: boolean;
}

/** One candidate of an AutoETS search: its class and AICc (`Infinity` when it could not be fitted). */
export interface AutoEtsCandidate {
  /** The class, e.g. ETS(M,Ad,M). */
  readonly spec: EtsSpec;
  /** AICc, or `Infinity` when the fit failed or the class needs more data. */
  readonly aicc: number;
}

/** A fitted AutoETS: the selected model plus the table of candidates. */
export interface FittedAutoEts extends FittedEts {
  /** Every class tried, in R's search order. */
  readonly candidates: ReadonlyArray<AutoEtsCandidate>;
}

/**
 * The classes AutoETS considers for a series, in R's order: error A, M; trend N, A (damped and
 * not); season N, A, M. Multiplicative trend is excluded; additive error with multiplicative
 * season is excluded; multiplicative error and season only for strictly positive data; seasonal
 * classes only for `seasonLength` in [2, 24] and more than `seasonLength` observations.
 */
export const autoEtsCandidates = (
  y: Float64Array,
  seasonLength: number,
  options: { readonly additiveOnly?: boolean; readonly allowDamped?: boolean } = {},
): EtsSpec[] => {
  let positive = y.length > 0;
  for (const v of y) if (!(v > 0)) positive = false;
  const seasonal = seasonLength >= 2 && seasonLength <= 24 && y.length > seasonLength;
  const out: EtsSpec[] = [];
  for (const error of ["A", "M"] as const) {
    for (const trend of ["N", "A"] as const) {
      for (const season of seasonal ? (["N", "A", "M"] as const) : (["N"] as const)) {
        for (const damped of [true, false]) {
          if (trend === "N" && damped) continue;
          if (damped && options.allowDamped === false) continue;
          if (error === "A" && season === "M") continue;
          if (options.additiveOnly === true && (error === "M" || season === "M")) continue;
          if (!positive && (error === "M" || season === "M")) continue;
          out.push({ error, trend: damped ? "Ad" : trend, season });
        }
      }
    }
  }
  return out;
};

/**
 * Fits every class of {@link autoEtsCandidates} with {@link fitEts} and returns the one with the
 * smallest AICc (the first in R's order on ties). The result's `name` is `AutoETS`; its `spec`
 * is the selected class. Classes that need more data than the series has
 * are skipped. Fails with `SeriesTooShort` when not even ETS(A,N,N) can be fitted.
 */
export const fitAutoEts = (
  y: Float64Array,
  options: FitOptions & AutoEtsOptions = {},
): Result.Result<FittedAutoEts, ForecastError> => {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) return Result.fail(new InvalidSeries({ reason: `AutoETS: value at index ${i} is not finite` }));
  }
  const m = options.seasonLength ?? 1;
  if (!Number.isInteger(m) || m < 1) {
    return Result.fail(new InvalidSeries({ reason: `AutoETS: seasonLength must be a positive integer, got ${m}` }));
  }
  const candidates: AutoEtsCandidate[] = [];
  let best: FittedEts | undefined;
  for (const spec of autoEtsCandidates(y, m, options)) {
    if (y.length < etsMinimumLength(spec, m)) {
      candidates.push({ spec, aicc: Number.POSITIVE_INFINITY });
      continue;
    }
    const fit = fitEts(y, spec, options);
    const aicc = Result.isSuccess(fit) && Number.isFinite(fit.success.aicc) ? fit.success.aicc : Number.POSITIVE_INFINITY;
    candidates.push({ spec, aicc });
    if (Result.isSuccess(fit) && aicc < (best?.aicc ?? Number.POSITIVE_INFINITY)) best = fit.success;
  }
  if (best === undefined) {
    const needed = etsMinimumLength({ error: "A", trend: "N", season: "N" }, 1);
    if (y.length < needed) return Result.fail(new SeriesTooShort({ model: "AutoETS", needed, got: y.length }));
    return Result.fail(new FitFailed({ model: "AutoETS", reason: "no ETS class could be fitted" }));
  }
  return Result.succeed({ ...best, name: "AutoETS", candidates });
};

/**
 * AutoETS as a {@link ForecastModel} (name `AutoETS`); forecasts carry the selected class's
 * name (e.g. `ETS(M,Ad,M)`) in {@link Forecast.model}.
 */
export const autoEts = (options: AutoEtsOptions = {}): ForecastModel => ({
  name: "AutoETS",
  fit: (y, fitOptions) => fitAutoEts(y, { ...options, ...fitOptions }),
});
