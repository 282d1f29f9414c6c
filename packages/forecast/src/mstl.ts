/**
 * MSTL: decomposition with several seasonal periods (Bandara, Hyndman & Bergmeir, 2021) and its
 * forecasts, as R's `forecast::mstl` and `forecast(mstl(x))` (i.e. `forecast.stl`, as `stlf`).
 *
 * Decomposition ({@link mstl}): periods that do not have two full cycles (`period ≥ n/2`) are
 * dropped and the rest sorted ascending; the series is optionally Box–Cox transformed with a
 * given λ; then, `iterate` times (default 2), for each period in turn its seasonal component is
 * added back and re-estimated by {@link stl} with that period and its seasonal window (default
 * 11, 15, 19, 23, 27, 31 for the 1st, 2nd… period: R's `7 + 4·seq(6)`). The trend is the last
 * STL trend; the remainder is the seasonally adjusted series minus the trend.
 *
 * Forecasts ({@link mstlModel}): AutoETS restricted to non-seasonal classes (R's `etsmodel =
 * "ZZN"`) on the seasonally adjusted series (trend + remainder), plus the seasonal naive
 * forecast of every seasonal component (its last ⌊period⌋ values repeated); quantiles of the ETS
 * forecast are shifted by the same seasonal values; with λ, everything is back-transformed
 * (R's default `biasadj = FALSE`: the back-transformed mean is the median). With no period left
 * (a series shorter than two cycles of every period) the model is AutoETS on the series.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { boxCox, boxCoxLambda, inverseBoxCox } from "./box-cox.js";
import { fitAutoEts } from "./ets-auto.js";
import { InvalidSeries, SeriesTooShort, type Forecast, type FittedModel, type ForecastError, type ForecastModel } from "./model.js";
import { stl } from "./stl.js";

/** Options of {@link mstl} and {@link mstlModel}, validated with zod. */
export const MstlOptionsSchema = z.strictObject({
  /** Seasonal periods (R's `msts` seasonal.periods), each ≥ 2, e.g. `[7, 365.25]` for daily retail. */
  periods: z.array(z.number().gte(2).finite()).min(1),
  /**
   * Box–Cox λ applied before decomposing (none by default); `"auto"` chooses it as R's
   * `mstl(x, lambda = "auto")`: Guerrero's method over [−0.9, 2] at the frequency of the
   * largest period kept.
   */
  lambda: z.union([z.number().finite(), z.literal("auto")]).optional(),
  /** Number of passes over the periods; default 2 (as R). */
  iterate: z.number().int().min(1).default(2),
  /** Seasonal windows per period (sorted order); one value is used for every period. Default R's 11, 15, 19, 23, 27, 31. */
  seasonalWindows: z.array(z.union([z.literal("periodic"), z.number().int().min(1)])).min(1).default([11, 15, 19, 23, 27, 31]),
  /** Trend window passed to every STL (default: STL's). */
  trendWindow: z.number().int().min(1).optional(),
  /** Robust STL fits; default false. */
  robust: z.boolean().default(false),
});

/** Options of {@link mstl} and {@link mstlModel} as given (only `periods` is required). */
export type MstlOptions = z.input<typeof MstlOptionsSchema>;

/** One seasonal component of an {@link MstlDecomposition}. */
export interface MstlSeasonal {
  /** Its period. */
  readonly period: number;
  /** Its values, aligned with the series. */
  readonly values: Float64Array;
}

/** An MSTL decomposition of the (Box–Cox transformed) series: `x = trend + Σ seasonals + remainder`. */
export interface MstlDecomposition {
  /** Trend component. */
  readonly trend: Float64Array;
  /** Seasonal components, by ascending period (only the periods kept). */
  readonly seasonals: ReadonlyArray<MstlSeasonal>;
  /** Remainder. */
  readonly remainder: Float64Array;
  /** The transformed series that was decomposed (the series itself without λ). */
  readonly transformed: Float64Array;
  /** The Box–Cox λ used, if any (the chosen one when it was `"auto"`). */
  readonly lambda?: number;
}

type Parsed = z.output<typeof MstlOptionsSchema>;

const decompose = (y: Float64Array, o: Parsed): Result.Result<MstlDecomposition, ForecastError | InvalidInput> => {
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) return Result.fail(new InvalidSeries({ reason: `MSTL: y[${i}] is not finite` }));
  }
  const periods = [...o.periods].filter((p) => p < n / 2).sort((a, b) => a - b);
  if (periods.length === 0) {
    return Result.fail(new SeriesTooShort({ model: "MSTL", needed: Math.floor(2 * Math.min(...o.periods)) + 1, got: n }));
  }
  const lambda = resolveLambda(y, o.lambda, periods);
  const x = lambda === undefined ? Float64Array.from(y) : boxCox(y, lambda);
  if (lambda !== undefined && x.some((v) => !Number.isFinite(v))) {
    return Result.fail(new InvalidSeries({ reason: `MSTL: the Box–Cox transform with λ = ${lambda} is not finite for this series` }));
  }
  const seasonals: Float64Array[] = periods.map(() => new Float64Array(n));
  const deseas = Float64Array.from(x);
  let trend: Float64Array = new Float64Array(n);
  for (let pass = 0; pass < o.iterate; pass++) {
    for (let i = 0; i < periods.length; i++) {
      const s = seasonals[i]!;
      for (let t = 0; t < n; t++) deseas[t] = deseas[t]! + s[t]!;
      const windows = o.seasonalWindows;
      const fit = stl(deseas, {
        period: periods[i]!,
        seasonalWindow: windows.length === 1 ? windows[0]! : (windows[i] ?? windows[windows.length - 1]!),
        robust: o.robust,
        ...(o.trendWindow === undefined ? {} : { trendWindow: o.trendWindow }),
      });
      if (Result.isFailure(fit)) return Result.fail(fit.failure);
      seasonals[i] = fit.success.seasonal;
      trend = fit.success.trend;
      for (let t = 0; t < n; t++) deseas[t] = deseas[t]! - fit.success.seasonal[t]!;
    }
  }
  const remainder = new Float64Array(n);
  for (let t = 0; t < n; t++) remainder[t] = deseas[t]! - trend[t]!;
  return Result.succeed({
    trend,
    seasonals: periods.map((period, i) => ({ period, values: seasonals[i]! })),
    remainder,
    transformed: x,
    ...(lambda === undefined ? {} : { lambda }),
  });
};

/** The λ to use: as given, or chosen by Guerrero's method (R: `BoxCox.lambda(x, lower = -0.9)` on the msts of the periods kept). */
const resolveLambda = (y: Float64Array, lambda: number | "auto" | undefined, periods: ReadonlyArray<number>): number | undefined =>
  lambda === "auto" ? boxCoxLambda(y, Math.floor(Math.max(...periods)), { lower: -0.9 }) : lambda;

/**
 * Decomposes `y` (oldest first) by MSTL as R's `mstl(msts(y, seasonal.periods = periods))`.
 * Fails with `InvalidInput` for invalid options, `InvalidSeries` for non-finite values (or a
 * Box–Cox transform that is not finite) and `SeriesTooShort` when no period has two full cycles.
 */
export const mstl = (y: Float64Array, options: MstlOptions): Result.Result<MstlDecomposition, ForecastError | InvalidInput> => {
  const parsed = parseInput(MstlOptionsSchema, options, "mstl options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  return decompose(y, parsed.success);
};

/** Seasonal naive forecast of all components: Σ over components of its last ⌊period⌋ values repeated. */
const seasonalNaiveSum = (seasonals: ReadonlyArray<MstlSeasonal>, n: number, h: number): Float64Array => {
  const out = new Float64Array(h);
  for (const { period, values } of seasonals) {
    const mp = Math.floor(period);
    for (let i = 0; i < h; i++) out[i] = out[i]! + values[n - mp + (i % mp)]!;
  }
  return out;
};

/**
 * MSTL forecasts as a {@link ForecastModel} (name `MSTL`): see the module notes. The fitted
 * model's `fitted` values are the ETS one-step fitted values plus the seasonal components
 * (back-transformed with λ). Fails to fit where {@link mstl} or AutoETS fails, except that a
 * series too short for every period falls back to AutoETS on the series.
 */
export const mstlModel = (options: MstlOptions): Result.Result<ForecastModel, InvalidInput> => {
  const parsed = parseInput(MstlOptionsSchema, options, "mstl options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const o = parsed.success;
  const name = "MSTL";
  return Result.succeed({
    name,
    fit(y): Result.Result<FittedModel, ForecastError> {
      const decomposition = decompose(y, o);
      let adjusted: Float64Array;
      let seasonals: ReadonlyArray<MstlSeasonal> = [];
      let lambda: number | undefined;
      if (Result.isFailure(decomposition)) {
        const failure = decomposition.failure;
        if (failure._tag === "InvalidInput") return Result.fail(new InvalidSeries({ reason: failure.message }));
        if (failure._tag !== "SeriesTooShort") return Result.fail(failure);
        lambda = resolveLambda(y, o.lambda, o.periods);
        adjusted = lambda === undefined ? Float64Array.from(y) : boxCox(y, lambda);
      } else {
        const d = decomposition.success;
        lambda = d.lambda;
        seasonals = d.seasonals;
        adjusted = new Float64Array(y.length);
        for (let t = 0; t < y.length; t++) adjusted[t] = d.trend[t]! + d.remainder[t]!;
      }
      const ets = fitAutoEts(adjusted, { seasonLength: 1 });
      if (Result.isFailure(ets)) return Result.fail(ets.failure);
      const fittedEts = ets.success;
      const n = y.length;
      const back = (v: Float64Array): Float64Array => (lambda === undefined ? v : inverseBoxCox(v, lambda));
      const seasonalAt = (t: number): number => seasonals.reduce((sum, s) => sum + s.values[t]!, 0);
      const fitted = fittedEts.fitted === undefined ? undefined : back(fittedEts.fitted.map((v, t) => v + seasonalAt(t)));
      const label = `MSTL(${seasonals.map((s) => s.period).join(",")})+${fittedEts.spec.error},${fittedEts.spec.trend},N`;
      const model: FittedModel = {
        name,
        forecast(h, levels): Forecast {
          const base = fittedEts.forecast(h, levels);
          const seas = seasonalNaiveSum(seasonals, n, h);
          const shift = (v: Float64Array): Float64Array => back(v.map((x, i) => x + seas[i]!));
          const quantiles = new Map<number, Float64Array>();
          for (const [level, values] of base.quantiles) quantiles.set(level, shift(values));
          return { mean: shift(base.mean), quantiles, model: label };
        },
        ...(fitted === undefined ? {} : { fitted, residuals: y.map((v, t) => v - fitted[t]!) }),
      };
      return Result.succeed(model);
    },
  });
};
