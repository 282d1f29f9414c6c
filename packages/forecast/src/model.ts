/**
 * The shared model interface of `@jxc/forecast`: every forecasting model (baselines, ETS,
 * Theta, intermittent-demand methods…) is a {@link ForecastModel} that is fitted on a series and
 * yields a {@link FittedModel}, which produces a {@link Forecast} — a point forecast (the mean)
 * and quantiles per horizon step.
 *
 * Model arithmetic is float64 (`number`, `Float64Array`): forecasts are statistical estimates,
 * not booked quantities, so they are not `decimal.js` values.
 *
 * Expected failures (a series too short for the model, a series with non-finite values, a fit
 * that does not converge) are returned as `Result` failures carrying a {@link ForecastError}.
 *
 * @module
 */
import { Data, type Result } from "effect";

/**
 * A forecast over `h` steps: the point forecast (`mean[i]` is step `i + 1`) and, per requested
 * quantile level in (0, 1), the quantile values per step.
 */
export interface Forecast {
  /** Point forecast per step (length `h`). */
  readonly mean: Float64Array;
  /** Quantile level in (0, 1) → quantile values per step (each of length `h`). */
  readonly quantiles: ReadonlyMap<number, Float64Array>;
  /** Name of the model that produced the forecast. */
  readonly model: string;
}

/** Options given to {@link ForecastModel.fit}. */
export interface FitOptions {
  /** Length of the seasonal cycle in steps (7 for daily data with a weekly cycle, 12 for monthly). */
  readonly seasonLength?: number;
}

/**
 * A forecasting model before fitting: a name and a pure `fit` function. `fit` must not keep a
 * reference to `y` that it later mutates; it must not read beyond `y`.
 */
export interface ForecastModel {
  /** Model name, used in forecasts, backtest reports and model selection. */
  readonly name: string;
  /** Fits the model to the series `y` (oldest first). */
  fit(y: Float64Array, options: FitOptions): Result.Result<FittedModel, ForecastError>;
}

/** A fitted model: produces forecasts for any horizon and quantile levels. */
export interface FittedModel {
  /** Model name (same as the {@link ForecastModel} it came from). */
  readonly name: string;
  /**
   * Forecasts `h` steps ahead with the quantiles at `levels` (each in (0, 1)). Levels the model
   * cannot produce (no distribution) are absent from {@link Forecast.quantiles}.
   */
  forecast(h: number, levels: ReadonlyArray<number>): Forecast;
  /** In-sample one-step fitted values, aligned with `y` (NaN where undefined). */
  readonly fitted?: Float64Array;
  /** In-sample residuals `y - fitted`, aligned with `y` (NaN where undefined). */
  readonly residuals?: Float64Array;
}

/** The series is too short for the model (e.g. fewer than one season for seasonal naive). */
export class SeriesTooShort extends Data.TaggedError("SeriesTooShort")<{
  /** Model name. */
  readonly model: string;
  /** Number of observations the model needs. */
  readonly needed: number;
  /** Number of observations it got. */
  readonly got: number;
}> {}

/** The series (or an option that describes it) is not usable: non-finite values, bad season length… */
export class InvalidSeries extends Data.TaggedError("InvalidSeries")<{
  /** Why the series is not usable. */
  readonly reason: string;
}> {}

/** The model could not be fitted (e.g. an optimiser did not converge). */
export class FitFailed extends Data.TaggedError("FitFailed")<{
  /** Model name. */
  readonly model: string;
  /** Why the fit failed. */
  readonly reason: string;
}> {}

/** Any expected failure of fitting a forecasting model. */
export type ForecastError = SeriesTooShort | InvalidSeries | FitFailed;
