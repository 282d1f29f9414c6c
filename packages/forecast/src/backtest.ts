/**
 * Rolling-origin cross-validation (time-series backtests), per-series model selection and an
 * inverse-error weighted ensemble.
 *
 * Windows: with `n` observations, horizon `h`, `windows` W and `step` s, the origins are
 * `n − h − (W − 1 − k)·s` for k = 0…W−1 (the last window ends at the last observation). For each
 * origin the model is fitted on a **copy** of `y[0, origin)` — never a view — so no value at or
 * after the origin can reach `fit`, and scored against `y[origin, origin + h)`.
 *
 * @module
 */
import { Result } from "effect";
import { InvalidSeries, SeriesTooShort, type Forecast, type ForecastError, type ForecastModel, type FittedModel } from "./model.js";
import { scoreForecast, type ForecastScores, type MetricName } from "./metrics.js";

/** Progress of a long computation: `done` of `total` units (backtest windows). */
export interface BacktestProgress {
  readonly done: number;
  readonly total: number;
}

/** Options of {@link backtest}. */
export interface BacktestOptions {
  /** Forecast horizon h in steps (7–28 typical for daily data). */
  readonly horizon: number;
  /** Number of rolling windows (origins), at least 1. */
  readonly windows: number;
  /** Steps between consecutive origins (default: the horizon, i.e. non-overlapping windows). */
  readonly step?: number;
  /** Quantile levels in (0, 1) to forecast and score (default none). */
  readonly levels?: ReadonlyArray<number>;
  /** Season length passed to `fit` and used for the MASE scale (default 1). */
  readonly seasonLength?: number;
  /** Called after each window with the number of windows done. */
  readonly onProgress?: (progress: BacktestProgress) => void;
}

/** One backtest window: the origin, the forecast, the actuals and their scores. */
export interface BacktestWindow {
  /** Index of the first forecast step; the model was fitted on `y[0, origin)`. */
  readonly origin: number;
  readonly forecast: Forecast;
  /** `y[origin, origin + h)`. */
  readonly actual: Float64Array;
  /** `actual − forecast.mean` per step. */
  readonly residuals: Float64Array;
  readonly scores: ForecastScores;
}

/** The result of {@link backtest}. */
export interface BacktestResult {
  readonly model: string;
  readonly horizon: number;
  readonly windows: ReadonlyArray<BacktestWindow>;
  /** Each scalar metric averaged over the windows where it is finite (NaN if none). */
  readonly summary: Readonly<Record<MetricName, number>>;
}

const METRICS: ReadonlyArray<MetricName> = ["mae", "rmse", "mase", "rmsse", "wape", "bias", "spl"];

/** The origins of a backtest, oldest first, or the error explaining why there are none. */
export const backtestOrigins = (
  length: number,
  options: Pick<BacktestOptions, "horizon" | "windows" | "step">,
  model = "backtest",
): Result.Result<ReadonlyArray<number>, ForecastError> => {
  const { horizon, windows } = options;
  const step = options.step ?? horizon;
  if (!Number.isInteger(horizon) || horizon < 1) return Result.fail(new InvalidSeries({ reason: `horizon must be a positive integer, got ${horizon}` }));
  if (!Number.isInteger(windows) || windows < 1) return Result.fail(new InvalidSeries({ reason: `windows must be a positive integer, got ${windows}` }));
  if (!Number.isInteger(step) || step < 1) return Result.fail(new InvalidSeries({ reason: `step must be a positive integer, got ${step}` }));
  const first = length - horizon - (windows - 1) * step;
  if (first < 1) return Result.fail(new SeriesTooShort({ model, needed: horizon + (windows - 1) * step + 1, got: length }));
  return Result.succeed(Array.from({ length: windows }, (_, k) => first + k * step));
};

const summarize = (windows: ReadonlyArray<BacktestWindow>): Record<MetricName, number> => {
  const summary = {} as Record<MetricName, number>;
  for (const metric of METRICS) {
    let sum = 0;
    let count = 0;
    for (const w of windows) {
      const v = w.scores[metric];
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    summary[metric] = count === 0 ? Number.NaN : sum / count;
  }
  return summary;
};

/**
 * Rolling-origin backtest of `model` on `y`. Fails with the first fit error, or with
 * `SeriesTooShort`/`InvalidSeries` when the windows do not fit in the series.
 */
export const backtest = (
  y: Float64Array,
  model: ForecastModel,
  options: BacktestOptions,
): Result.Result<BacktestResult, ForecastError> => {
  const origins = backtestOrigins(y.length, options, model.name);
  if (Result.isFailure(origins)) return Result.fail(origins.failure);
  const levels = options.levels ?? [];
  const seasonLength = options.seasonLength ?? 1;
  const fitOptions = options.seasonLength === undefined ? {} : { seasonLength: options.seasonLength };
  const total = origins.success.length;
  const windows: BacktestWindow[] = [];
  for (const origin of origins.success) {
    const train = y.slice(0, origin); // a copy: the model cannot reach y[origin…]
    const fitted = model.fit(train, fitOptions);
    if (Result.isFailure(fitted)) return Result.fail(fitted.failure);
    const forecast = fitted.success.forecast(options.horizon, levels);
    const actual = y.slice(origin, origin + options.horizon);
    const residuals = new Float64Array(actual.length);
    for (let i = 0; i < actual.length; i++) residuals[i] = (actual[i] ?? Number.NaN) - (forecast.mean[i] ?? Number.NaN);
    windows.push({ origin, forecast, actual, residuals, scores: scoreForecast(actual, forecast, train, seasonLength) });
    options.onProgress?.({ done: windows.length, total });
  }
  return Result.succeed({ model: model.name, horizon: options.horizon, windows, summary: summarize(windows) });
};

/** Options of {@link selectModel} and {@link inverseErrorEnsemble}. */
export interface SelectionOptions extends Omit<BacktestOptions, "onProgress"> {
  /** The metric to minimise (lower is better; for `bias` its absolute value is used). */
  readonly metric: MetricName;
  /** Called after each backtest window of each candidate; `total` = candidates × windows. */
  readonly onProgress?: (progress: BacktestProgress) => void;
}

/** One candidate's backtest score in a {@link ModelSelection}. */
export interface CandidateScore {
  readonly model: string;
  /** Mean backtest metric (absolute for bias); `NaN` if the backtest failed or gave no value. */
  readonly score: number;
  /** The backtest failure, if any. */
  readonly error?: ForecastError;
}

/** The result of {@link selectModel}: the best candidate and every candidate's score. */
export interface ModelSelection {
  readonly best: ForecastModel;
  readonly bestScore: number;
  readonly scores: ReadonlyArray<CandidateScore>;
}

const scoreCandidates = (
  y: Float64Array,
  models: ReadonlyArray<ForecastModel>,
  options: SelectionOptions,
): CandidateScore[] => {
  const total = models.length * options.windows;
  let done = 0;
  return models.map((model) => {
    const { onProgress: _ignored, metric, ...rest } = options;
    const result = backtest(y, model, {
      ...rest,
      onProgress: () => {
        done++;
        options.onProgress?.({ done, total });
      },
    });
    if (Result.isFailure(result)) return { model: model.name, score: Number.NaN, error: result.failure };
    const value = result.success.summary[metric];
    return { model: model.name, score: metric === "bias" ? Math.abs(value) : value };
  });
};

/**
 * Per-series model selection: backtests every candidate on `y` and picks the one with the
 * lowest mean `metric` (ties go to the earlier candidate). Candidates whose backtest fails or
 * scores NaN are not eligible; if none is eligible, fails with the first candidate's error (or
 * `InvalidSeries` when there are no candidates or no finite score).
 */
export const selectModel = (
  y: Float64Array,
  models: ReadonlyArray<ForecastModel>,
  options: SelectionOptions,
): Result.Result<ModelSelection, ForecastError> => {
  const scores = scoreCandidates(y, models, options);
  let bestIndex = -1;
  scores.forEach((s, i) => {
    if (Number.isNaN(s.score)) return;
    const current = scores[bestIndex];
    if (current === undefined || s.score < current.score) bestIndex = i;
  });
  const best = models[bestIndex];
  const bestScore = scores[bestIndex];
  if (best === undefined || bestScore === undefined) {
    const error = scores.find((s) => s.error !== undefined)?.error;
    return Result.fail(error ?? new InvalidSeries({ reason: "no candidate model has a finite backtest score" }));
  }
  return Result.succeed({ best, bestScore: bestScore.score, scores });
};

/**
 * A fixed-weight combination of models: the forecast mean and each quantile are the weighted
 * averages of the members' (quantile averaging keeps quantiles ordered). A quantile level is
 * present only if every member produced it. Weights are normalised to sum to 1. Fitting fails if
 * any member fails.
 */
export const weightedEnsemble = (
  members: ReadonlyArray<{ readonly model: ForecastModel; readonly weight: number }>,
  name = "ensemble",
): ForecastModel => ({
  name,
  fit(y, options) {
    const total = members.reduce((sum, m) => sum + m.weight, 0);
    if (members.length === 0 || !(total > 0) || members.some((m) => !(m.weight >= 0) || !Number.isFinite(m.weight))) {
      return Result.fail(new InvalidSeries({ reason: `${name}: needs members with finite non-negative weights summing to > 0` }));
    }
    const fittedMembers: { fitted: FittedModel; weight: number }[] = [];
    for (const m of members) {
      if (m.weight === 0) continue;
      const fitted = m.model.fit(y, options);
      if (Result.isFailure(fitted)) return Result.fail(fitted.failure);
      fittedMembers.push({ fitted: fitted.success, weight: m.weight / total });
    }
    const fittedModel: FittedModel = {
      name,
      forecast(h, levels) {
        const forecasts = fittedMembers.map((m) => ({ forecast: m.fitted.forecast(h, levels), weight: m.weight }));
        const steps = forecasts[0]?.forecast.mean.length ?? 0;
        const combine = (pick: (f: Forecast) => Float64Array | undefined): Float64Array | undefined => {
          const out = new Float64Array(steps);
          for (const { forecast, weight } of forecasts) {
            const values = pick(forecast);
            if (values === undefined) return undefined;
            for (let i = 0; i < steps; i++) out[i] = (out[i] ?? 0) + weight * (values[i] ?? Number.NaN);
          }
          return out;
        };
        const mean = combine((f) => f.mean) ?? new Float64Array(steps);
        const quantiles = new Map<number, Float64Array>();
        for (const level of forecasts[0]?.forecast.quantiles.keys() ?? []) {
          const values = combine((f) => f.quantiles.get(level));
          if (values !== undefined) quantiles.set(level, values);
        }
        return { mean, quantiles, model: name };
      },
    };
    return Result.succeed(fittedModel);
  },
});

/**
 * Inverse-error weighted ensemble for one series: backtests every candidate (as
 * {@link selectModel}) and combines the eligible ones with weights ∝ 1 / score. If some
 * candidates score exactly 0, they share the weight equally. Fails as {@link selectModel} when
 * no candidate is eligible.
 */
export const inverseErrorEnsemble = (
  y: Float64Array,
  models: ReadonlyArray<ForecastModel>,
  options: SelectionOptions,
): Result.Result<{ readonly ensemble: ForecastModel; readonly scores: ReadonlyArray<CandidateScore> }, ForecastError> => {
  const scores = scoreCandidates(y, models, options);
  const eligible = models.flatMap((model, i) => {
    const score = scores[i]?.score ?? Number.NaN;
    return Number.isNaN(score) || score < 0 ? [] : [{ model, score }];
  });
  if (eligible.length === 0) {
    const error = scores.find((s) => s.error !== undefined)?.error;
    return Result.fail(error ?? new InvalidSeries({ reason: "no candidate model has a finite backtest score" }));
  }
  const perfect = eligible.filter((e) => e.score === 0);
  const members = perfect.length > 0
    ? perfect.map((e) => ({ model: e.model, weight: 1 }))
    : eligible.map((e) => ({ model: e.model, weight: Number.isFinite(e.score) ? 1 / e.score : 0 }));
  if (!members.some((m) => m.weight > 0)) {
    return Result.fail(new InvalidSeries({ reason: "no candidate model has a finite backtest score" }));
  }
  return Result.succeed({ ensemble: weightedEnsemble(members, `ensemble(${members.filter((m) => m.weight > 0).map((m) => m.model.name).join(",")})`), scores });
};
