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
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { epochDayOf } from "../calendar.js";
import type { BacktestOptions, BacktestProgress, BacktestWindow } from "../backtest.js";
import type { Frequency } from "../frame.js";
import { scoreForecast, type MetricName } from "../metrics.js";
import { InvalidSeries, SeriesTooShort, type Forecast } from "../model.js";
import type { InvalidTrainingData } from "./booster.js";
import type { crossSeriesFeatures, SeriesGroupsSchema } from "./cross-series-features.js";

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
  /**
   * Hierarchy keys of the series ({@link SeriesGroupsSchema}), e.g. `{ item: "FOODS_1_033",
   * store: "CA_1", dept: "FOODS_1" }`: which item, store, department… it belongs to. A global
   * model may build features across the series that share keys (the tree model's
   * `crossSeries`, {@link crossSeriesFeatures}).
   */
  readonly groups?: Readonly<Record<string, string>>;
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

/** Options of {@link backtestGlobal}: those of a per-series backtest. */
export type GlobalBacktestOptions = BacktestOptions;

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

/**
 * One row of known future exogenous values: the series id, a business date after the series'
 * last observation, and exogenous columns (numbers, decimal strings, booleans or null), e.g.
 * `{ id: "SKU-1", date: "2026-07-01", price: "9.90", promo: true }`.
 */
export const FutureExogenousRowSchema = z
  .object({ id: z.string().min(1), date: z.iso.date() })
  .catchall(
    z.union([
      z.number(),
      z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal string such as 12.5").transform(Number),
      z.boolean().transform((b): number => (b ? 1 : 0)),
      z.null().transform((): number => Number.NaN),
    ]),
  );

/** A row of known future exogenous values as given. */
export type FutureExogenousRow = z.input<typeof FutureExogenousRowSchema>;

/**
 * Extends the exogenous columns of `series` past `y` with known future values (planned prices,
 * promotions, events), given as long rows like a series frame without `y`. Periods without a
 * row are NaN (unknown). A row for an unknown series id, on an observed period, or off the
 * series' date grid is an {@link InvalidSeries}; malformed rows are an `InvalidInput`.
 */
export const withFutureExogenous = (
  series: ReadonlyArray<GlobalSeries>,
  future: unknown,
): Result.Result<ReadonlyArray<GlobalSeries>, InvalidInput | InvalidSeries> => {
  const parsed = parseInput(z.array(FutureExogenousRowSchema), future, "future exogenous rows");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const byId = new Map(series.map((s, i) => [s.id, i]));
  const updates = series.map(() => [] as { k: number; values: Record<string, number> }[]);
  for (const [row, r] of parsed.success.entries()) {
    const index = byId.get(r.id);
    if (index === undefined) return Result.fail(new InvalidSeries({ reason: `future row ${row}: unknown series ${r.id}` }));
    const s = series[index]!;
    const days = epochDayOf(r.date) - epochDayOf(s.start);
    let k: number | undefined;
    if (s.freq === "daily") k = days;
    else if (s.freq === "weekly") k = days % 7 === 0 ? days / 7 : undefined;
    else if (r.date.endsWith("-01")) k = (Number(r.date.slice(0, 4)) - Number(s.start.slice(0, 4))) * 12 + Number(r.date.slice(5, 7)) - Number(s.start.slice(5, 7));
    if (k === undefined) return Result.fail(new InvalidSeries({ reason: `future row ${row}: ${r.date} is off the ${s.freq} grid of series ${s.id}` }));
    if (k < s.y.length) return Result.fail(new InvalidSeries({ reason: `future row ${row}: ${r.date} is not after the last observation of series ${s.id}` }));
    const { id: _id, date: _date, ...values } = r;
    updates[index]!.push({ k, values: values as Record<string, number> });
  }
  return Result.succeed(
    series.map((s, i) => {
      const rows = updates[i]!;
      if (rows.length === 0) return s;
      const names = new Set([...Object.keys(s.exogenous), ...rows.flatMap((u) => Object.keys(u.values))]);
      const length = Math.max(s.y.length, ...Object.values(s.exogenous).map((c) => c.length), ...rows.map((u) => u.k + 1));
      const exogenous: Record<string, Float64Array> = {};
      for (const name of [...names].sort()) {
        const column = new Float64Array(length).fill(Number.NaN);
        const old = s.exogenous[name];
        if (old !== undefined) column.set(old);
        for (const u of rows) {
          const v = u.values[name];
          if (v !== undefined) column[u.k] = v;
        }
        exogenous[name] = column;
      }
      return { ...s, exogenous };
    }),
  );
};
