/**
 * The global gradient-boosted tree model — the family of model that won the M5 competition:
 * one LightGBM-style booster ({@link trainBooster}) fitted on every series at once, with
 * Tweedie loss by default, on
 *
 * - the series' own history at the forecast origin ({@link historyFeatures}: the step k, lags
 *   before the origin, same-weekday values, rolling means / std / zero shares, the series
 *   level, periods since the last sale, age) — **direct multi-horizon strategy**: a row is an
 *   (origin o, step k) pair whose features read y only up to o, so every step 1…h is forecast
 *   from the origin without feeding forecasts back (no recursion, no error accumulation, one
 *   model with the step as a feature). Training origins are taken every `originStride`
 *   periods back from the calibration origin;
 * - with `crossSeries`, features across the series that share hierarchy keys (`groups` of each
 *   series, e.g. item, store, department): per grouping, the group's level, trends and
 *   seasonal profile at the origin and the series' share of it ({@link crossSeriesFeatures},
 *   `group[<keys>]:<name>`) — read, like the history features, only up to the origin's date;
 * - calendar features of the target date ({@link calendarFeatures}: day of week, month, Chinese
 *   public holidays, 调休 working weekends, lunar festivals, days to / since 春节, event windows
 *   as `cal:event:<name>`), holiday data outside its coverage marked unknown (missing);
 * - exogenous columns of the series at the target period (`exo:<name>`: prices, promotions,
 *   SNAP days, events…; their future values are the part of the column past `y`), optionally
 *   also relative to their own running mean (`exo_rel:<name>`, e.g. price / usual price);
 * - external signals joined by date with their per-signal lead ({@link joinSignals},
 *   `signal:<name>`): the value on target date t is the signal at t − lead. A lead ≥ h means
 *   the value is known at the origin; with a shorter lead, the signal's observations (or its
 *   own forecasts) must reach the target dates, or the feature is missing there.
 *
 * **Baseline.** With `baseline: "recent-mean"` (default) every row starts from a baseline
 * forecast made at its origin — the mean of the last `baselineWindow` observed values, shrunk
 * towards the series level with the weight of 7 observations, `(Σ recent + 7·level) / (count + 7)`,
 * at least 0.001 — passed to the booster as a per-row offset on the link scale (LightGBM's
 * `init_score`). The trees then learn corrections to it (weekday, price, promotion, signal
 * effects), and low-volume series need not be reached from the global mean through many
 * trees.
 *
 * **Fit.** The last h periods of each series are held out as a calibration slice (a genuine
 * h-step backtest from origin n − h − 1: its rows read y only up to that origin). Booster 1
 * trains on the earlier rows with early stopping on that slice (when the booster parameters set
 * `earlyStoppingRounds`); its residuals on the slice calibrate the quantiles; booster 2 is then
 * refitted on all rows with booster 1's best number of trees (`refit`, default on).
 *
 * **Quantiles.** Residuals on the calibration slice are divided by the series scale (mean
 * absolute observed value from the first usable period to the calibration origin; at forecast
 * time, to the last observation) and pooled over series and steps
 * (the direct model treats every step alike). `intervals: "empirical"` (default): the quantile
 * at level p is `mean + scale · r_(⌈(n + 1)p⌉)` over the sorted pooled residuals r — asymmetric,
 * as intermittent demand is; `"conformal"`: symmetric split-conformal intervals
 * `mean ± scale · q(|2p − 1|)` with {@link conformalHalfWidth} over the absolute residuals.
 * With the log-link losses every value is clipped at 0. A series whose scale is 0 (no sale
 * before its calibration origin) gets degenerate quantiles equal to its mean.
 *
 * Pure and deterministic: the booster's `seed` fixes the bagging and feature draws.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput } from "@jxc/core";
import { CalendarEventSchema, calendarFeatures, dateOfEpochDay, epochDayOf } from "../calendar.js";
import { conformalHalfWidth } from "../conformal.js";
import { InvalidSeries, SeriesTooShort, type Forecast } from "../model.js";
import { ExternalSignalSchema, joinSignals, type SignalQuality } from "../signals.js";
import { BoosterParamsSchema, featureImportance, predictBooster, trainBooster, type Booster, type BoosterData, type BoosterParams } from "./booster.js";
import type { FittedGlobalModel, GlobalFitOptions, GlobalForecastModel, GlobalModelError, GlobalSeries } from "./global-model.js";
import { historyFeatureNames, historyFeatures } from "./history-features.js";
import { CrossSeriesOptionsSchema, SeriesGroupsSchema, crossSeriesFeatureNames, crossSeriesFeatures, periodIndex, type CrossSeriesMember } from "./cross-series-features.js";

/** Booster parameters the global model uses unless overridden (M5-style Tweedie setup). */
export const GLOBAL_BOOSTER_DEFAULTS: BoosterParams = {
  loss: { kind: "tweedie", power: 1.1 },
  iterations: 300,
  learningRate: 0.05,
  maxLeaves: 63,
  minDataInLeaf: 50,
  lambdaL2: 1,
  rowSubsample: 0.7,
  featureSubsample: 0.8,
  earlyStoppingRounds: 30,
  seed: 0,
};

/** Options of {@link gbdtGlobalModel}. */
export const GbdtGlobalOptionsSchema = z.strictObject({
  /** Forecast horizon h the model is fitted for (1…366). */
  horizon: z.number().int().min(1).max(366),
  /** Season length in periods (7 for daily data) of the same-season features. Default 7. */
  seasonLength: z.number().int().min(1).max(366).default(7),
  /** Lags j ≥ 0 (`lag_j` = y[origin − j]), default 0…6. */
  lags: z.array(z.number().int().min(0)).default([0, 1, 2, 3, 4, 5, 6]),
  /** Rolling windows ending at the origin, default [7, 14, 28, 56, 112]. */
  rollingWindows: z.array(z.number().int().min(1)).default([7, 14, 28, 56, 112]),
  /** Periods between training origins; default ⌈h / 2⌉ (each target period in about two rows). */
  originStride: z.number().int().min(1).optional(),
  /** Calendar features of the target date, default true. */
  calendar: z.boolean().default(true),
  /**
   * Which calendar columns to use (names of {@link calendarFeatures}, e.g. `["day_of_week",
   * "month"]`; `event:<name>` columns are always used); default all. Outside China, the holiday
   * and Spring Festival columns are noise a model can overfit to.
   */
  calendarColumns: z.array(z.string().min(1)).optional(),
  /** Calendar events (e.g. 开学季) turned into `cal:event:<name>` windows. */
  events: z.array(CalendarEventSchema).default([]),
  /** External signals with their per-signal lead. */
  signals: z.array(ExternalSignalSchema).default([]),
  /** Exogenous columns to use: `"all"` (default, the union over the series) or a list of names. */
  exogenous: z.union([z.literal("all"), z.array(z.string().min(1))]).default("all"),
  /** Exogenous columns also given relative to their running mean (e.g. `["sell_price"]`). */
  relativeExogenous: z.array(z.string().min(1)).default([]),
  /**
   * Features across series ({@link crossSeriesFeatures}): for each grouping of hierarchy keys
   * (e.g. `[["item"], ["store"], ["store", "dept"]]`), the level, trends and seasonal profile
   * of the series' group at the origin and the series' share of it. Every series must then
   * carry those keys in its `groups`. Default: none.
   */
  crossSeries: CrossSeriesOptionsSchema.optional(),
  /** Treat the periods before a series' first positive sale as missing, default true. */
  trimLeadingZeros: z.boolean().default(true),
  /** Use only origins in the last N periods of each series for training (bounds the training time). */
  maxTrainingPeriods: z.number().int().min(1).optional(),
  /** Booster parameters, merged over {@link GLOBAL_BOOSTER_DEFAULTS}. */
  booster: z.custom<BoosterParams>((v) => typeof v === "object" && v !== null).optional(),
  /**
   * The baseline the trees correct (see the module notes): `"recent-mean"` (default) or
   * `"none"` (start from the global mean).
   */
  baseline: z.enum(["recent-mean", "none"]).default("recent-mean"),
  /** Window of the recent-mean baseline, default 28 periods. */
  baselineWindow: z.number().int().min(1).default(28),
  /** Refit on all rows after calibration, default true. */
  refit: z.boolean().default(true),
  /** How quantiles are made: `"empirical"` (default) or `"conformal"` (see the module notes). */
  intervals: z.enum(["empirical", "conformal"]).default("empirical"),
  /** Model name, default `"gbdt"`. */
  name: z.string().min(1).default("gbdt"),
});

/** Options of {@link gbdtGlobalModel} as given. */
export type GbdtGlobalOptions = z.input<typeof GbdtGlobalOptionsSchema>;

/** A fitted global tree model, with what it learned. */
export interface FittedGbdtGlobalModel extends FittedGlobalModel {
  /** The booster that forecasts (the refitted one when `refit`). */
  readonly booster: Booster;
  /** Feature names, in column order. */
  readonly featureNames: ReadonlyArray<string>;
  /** Total split gain per feature, largest first. */
  readonly importance: ReadonlyArray<{ readonly feature: string; readonly gain: number }>;
  /** Trees kept after early stopping on the calibration slice. */
  readonly bestIteration: number;
  /** Data-quality report of each external signal over the modelled dates. */
  readonly signalQuality: ReadonlyMap<string, SignalQuality>;
  /** Number of scaled residuals the quantiles are calibrated on. */
  readonly calibrationResiduals: number;
}

/** Day number (since 1970-01-01) of period k of a series. */
const periodDay = (start: number, startDate: string, freq: GlobalSeries["freq"], k: number): number => {
  if (freq === "daily") return start + k;
  if (freq === "weekly") return start + 7 * k;
  const y = Number(startDate.slice(0, 4));
  const m = Number(startDate.slice(5, 7)) - 1;
  return Date.UTC(y, m + k, 1) / 86_400_000;
};

/** The recent-mean baseline at `origin` (see the module notes): never below 0.001. */
const baselineAt = (y: Float64Array, first: number, origin: number, window: number): number => {
  let recent = 0;
  let recentCount = 0;
  let all = 0;
  let allCount = 0;
  for (let k = Math.max(0, first); k <= origin && k < y.length; k++) {
    const v = y[k]!;
    if (Number.isNaN(v)) continue;
    all += v;
    allCount++;
    if (k > origin - window) {
      recent += v;
      recentCount++;
    }
  }
  if (allCount === 0) return 1e-3;
  const level = all / allCount;
  return Math.max(1e-3, (recent + 7 * level) / (recentCount + 7));
};

interface Prepared {
  readonly series: GlobalSeries;
  /** First usable period. */
  readonly first: number;
  /** Origins of the training rows (ascending), then the calibration origin (if any), then the forecast origin. */
  readonly origins: ReadonlyArray<number>;
  /** Earliest target period of any row. */
  readonly lo: number;
  readonly startDay: number;
}

/**
 * The global gradient-boosted tree model (see the module notes). Options are validated when
 * fitting: invalid ones make `fit` fail with an `InvalidInput`.
 */
export const gbdtGlobalModel = (options: GbdtGlobalOptions): GlobalForecastModel => ({
  name: options.name ?? "gbdt",
  fit: (series, fitOptions) => fitGbdtGlobal(series, options, fitOptions),
});

/** Fits the global tree model on `series`; {@link gbdtGlobalModel} wraps it as a {@link GlobalForecastModel}. */
export const fitGbdtGlobal = (
  series: ReadonlyArray<GlobalSeries>,
  options: GbdtGlobalOptions,
  fitOptions: GlobalFitOptions = {},
): Result.Result<FittedGbdtGlobalModel, GlobalModelError> => {
  const parsed = parseInput(GbdtGlobalOptionsSchema, options, "global tree model options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const o = parsed.success;
  const boosterParsed = parseInput(BoosterParamsSchema, { ...GLOBAL_BOOSTER_DEFAULTS, ...(o.booster ?? {}) }, "booster parameters");
  if (Result.isFailure(boosterParsed)) return Result.fail(boosterParsed.failure);
  const boosterParams = boosterParsed.success;
  const H = o.horizon;
  const spec = { horizon: H, seasonLength: o.seasonLength, lags: o.lags, windows: o.rollingWindows };
  const stride = o.originStride ?? Math.ceil(H / 2);
  const logLink = boosterParams.loss.kind !== "squared";

  // --- the series ---------------------------------------------------------------------------
  if (series.length === 0) return Result.fail(new InvalidSeries({ reason: "no series" }));
  const ids = new Set<string>();
  const prepared: Prepared[] = [];
  for (const s of series) {
    if (ids.has(s.id)) return Result.fail(new InvalidSeries({ reason: `series id ${s.id} appears twice` }));
    if (s.y.length === 0) return Result.fail(new InvalidSeries({ reason: `series ${s.id} has no observations` }));
    ids.add(s.id);
    const startDay = epochDayOf(s.start);
    if (!Number.isFinite(startDay)) return Result.fail(new InvalidSeries({ reason: `series ${s.id}: start ${s.start} is not a date` }));
    for (const [name, column] of Object.entries(s.exogenous)) {
      if (column.length < s.y.length) return Result.fail(new InvalidSeries({ reason: `series ${s.id}: exogenous column ${name} is shorter than y` }));
    }
    if (o.crossSeries !== undefined) {
      const groups = parseInput(SeriesGroupsSchema, s.groups ?? {}, `groups of series ${s.id}`);
      if (Result.isFailure(groups)) return Result.fail(groups.failure);
      for (const by of o.crossSeries.groupings) {
        const missing = by.find((key) => groups.success[key] === undefined);
        if (missing !== undefined) return Result.fail(new InvalidSeries({ reason: `series ${s.id} has no group key ${missing} (cross-series grouping ${by.join("+")})` }));
      }
      if (s.freq !== series[0]!.freq) return Result.fail(new InvalidSeries({ reason: `series ${s.id} is ${s.freq} and series ${series[0]!.id} ${series[0]!.freq}: cross-series features need one frequency` }));
    }
    let first = 0;
    while (first < s.y.length && (Number.isNaN(s.y[first]!) || (o.trimLeadingZeros && s.y[first]! <= 0))) first++;
    if (logLink) {
      for (let k = first; k < s.y.length; k++) {
        if (s.y[k]! < 0) return Result.fail(new InvalidSeries({ reason: `series ${s.id}: y[${k}] = ${s.y[k]} is negative; ${boosterParams.loss.kind} loss needs y ≥ 0` }));
      }
    }
    for (let k = first; k < s.y.length; k++) {
      if (!Number.isNaN(s.y[k]!) && !Number.isFinite(s.y[k]!)) return Result.fail(new InvalidSeries({ reason: `series ${s.id}: y[${k}] is not finite` }));
    }
    const n = s.y.length;
    const earliest = Math.max(first, o.maxTrainingPeriods === undefined ? 0 : n - o.maxTrainingPeriods);
    const calibrationOrigin = n - H - 1;
    const origins: number[] = [];
    for (let origin = calibrationOrigin - stride; origin >= earliest; origin -= stride) origins.push(origin);
    origins.reverse();
    if (calibrationOrigin >= first) origins.push(calibrationOrigin);
    origins.push(n - 1);
    prepared.push({ series: s, first, origins, lo: Math.min(n, origins[0]! + 1), startDay });
  }

  // --- dates, calendar and signals -------------------------------------------------------------
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  for (const p of prepared) {
    const n = p.series.y.length;
    minDay = Math.min(minDay, periodDay(p.startDay, p.series.start, p.series.freq, Math.min(p.lo, n)));
    maxDay = Math.max(maxDay, periodDay(p.startDay, p.series.start, p.series.freq, n - 1 + H));
  }
  const calendarColumns: { name: string; values: Float64Array }[] = [];
  if (o.calendar) {
    const cal = calendarFeatures({ start: dateOfEpochDay(minDay), end: dateOfEpochDay(maxDay), events: o.events, outsideHolidayCoverage: "unknown" });
    if (Result.isFailure(cal)) {
      const failure = cal.failure;
      return Result.fail(failure._tag === "InvalidInput" ? failure : new InvalidSeries({ reason: failure.message }));
    }
    for (const [name, values] of cal.success.columns) {
      if (name === "holiday_known") continue;
      if (o.calendarColumns !== undefined && !name.startsWith("event:") && !o.calendarColumns.includes(name)) continue;
      calendarColumns.push({ name: `cal:${name}`, values });
    }
  }
  const joined = joinSignals(o.signals, { start: dateOfEpochDay(minDay), end: dateOfEpochDay(maxDay) });
  if (Result.isFailure(joined)) return Result.fail(joined.failure);
  const signalColumns = [...joined.success.columns].map(([name, values]) => ({ name: `signal:${name}`, values }));

  const exoNames = o.exogenous === "all" ? [...new Set(series.flatMap((s) => Object.keys(s.exogenous)))].sort() : [...o.exogenous];
  for (const name of o.relativeExogenous) {
    if (!exoNames.includes(name)) return Result.fail(new InvalidSeries({ reason: `relative exogenous column ${name} is not among the exogenous columns used` }));
  }
  const crossSpec = o.crossSeries === undefined ? undefined : { horizon: H, seasonLength: o.seasonLength, groupings: o.crossSeries.groupings, windows: o.crossSeries.windows };
  const featureNames = [
    ...historyFeatureNames(spec),
    ...(crossSpec === undefined ? [] : crossSeriesFeatureNames(crossSpec)),
    ...calendarColumns.map((c) => c.name),
    ...exoNames.map((n) => `exo:${n}`),
    ...o.relativeExogenous.map((n) => `exo_rel:${n}`),
    ...signalColumns.map((c) => c.name),
  ];
  const F = featureNames.length;

  // --- rows ------------------------------------------------------------------------------------
  // A row is (origin, step k) with target t = origin + k. Sets: 0 = training (targets before the
  // calibration slice), 1 = calibration (origin n − H − 1), 2 = forecast (origin n − 1).
  const counts = [0, 0, 0];
  const setOf = (p: Prepared, origin: number, t: number): number => {
    const n = p.series.y.length;
    if (origin === n - 1) return 2;
    if (Number.isNaN(p.series.y[t]!)) return -1;
    if (origin === n - H - 1) return 1;
    return t < n - H ? 0 : -1;
  };
  for (const p of prepared) {
    for (const origin of p.origins) {
      for (let k = 1; k <= H; k++) {
        const set = setOf(p, origin, origin + k);
        if (set >= 0) counts[set]!++;
      }
    }
  }
  if (counts[0]! + counts[1]! === 0) {
    return Result.fail(new SeriesTooShort({ model: o.name, needed: H + 1, got: Math.max(...series.map((s) => s.y.length)) }));
  }
  const sets = counts.map((c) => ({
    columns: Array.from({ length: F }, () => new Float64Array(c)),
    y: new Float64Array(c),
    offset: new Float64Array(c),
    series: new Int32Array(c),
    step: new Int32Array(c),
    filled: 0,
  }));
  const cross =
    crossSpec === undefined
      ? undefined
      : crossSeriesFeatures(
          prepared.map((p): CrossSeriesMember => ({ y: p.series.y, first: p.first, period: periodIndex(p.series.start, p.series.freq), groups: p.series.groups ?? {} })),
          prepared.map((p) => p.origins),
          crossSpec,
        );
  prepared.forEach((p, si) => {
    const s = p.series;
    const n = s.y.length;
    const from = p.lo;
    const crossColumns = cross?.[si] ?? [];
    const to = n + H;
    const history = historyFeatures(s.y, p.first, p.origins, spec);
    const baselines = p.origins.map((origin) => baselineAt(s.y, p.first, origin, o.baselineWindow));
    const relative = o.relativeExogenous.map((name) => {
      const column = s.exogenous[name];
      const out = new Float64Array(to - from).fill(Number.NaN);
      if (column === undefined) return out;
      let sum = 0;
      let count = 0;
      for (let t = 0; t < to; t++) {
        const v = t < column.length ? column[t]! : Number.NaN;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
        if (t >= from && count > 0 && !Number.isNaN(v)) out[t - from] = v / (sum / count);
      }
      return out;
    });
    p.origins.forEach((origin, i) => {
      for (let k = 1; k <= H; k++) {
        const t = origin + k;
        const set = setOf(p, origin, t);
        if (set < 0) continue;
        const target = sets[set]!;
        const r = target.filled++;
        const day = periodDay(p.startDay, s.start, s.freq, t) - minDay;
        let c = 0;
        const row = i * H + k - 1;
        for (const column of history) target.columns[c++]![r] = column[row]!;
        for (const column of crossColumns) target.columns[c++]![r] = column[row]!;
        for (const { values } of calendarColumns) target.columns[c++]![r] = values[day] ?? Number.NaN;
        for (const name of exoNames) {
          const column = s.exogenous[name];
          target.columns[c++]![r] = column !== undefined && t < column.length ? column[t]! : Number.NaN;
        }
        for (const column of relative) target.columns[c++]![r] = column[t - from]!;
        for (const { values } of signalColumns) target.columns[c++]![r] = values[day] ?? Number.NaN;
        target.y[r] = t < n ? s.y[t]! : Number.NaN;
        target.offset[r] = o.baseline === "none" ? 0 : logLink ? Math.log(baselines[i]!) : baselines[i]!;
        target.series[r] = si;
        target.step[r] = k - 1;
      }
    });
  });
  const [train, calibration, future] = sets as [(typeof sets)[number], (typeof sets)[number], (typeof sets)[number]];

  // --- boosting --------------------------------------------------------------------------------
  const hasCalibration = calibration.y.length > 0;
  const firstData: BoosterData =
    train.y.length > 0 ? { columns: train.columns, y: train.y, offset: train.offset } : { columns: calibration.columns, y: calibration.y, offset: calibration.offset };
  const totalUnits = boosterParams.iterations * (o.refit && hasCalibration && train.y.length > 0 ? 2 : 1);
  const first = trainBooster(
    {
      train: firstData,
      ...(hasCalibration && train.y.length > 0 ? { validation: { columns: calibration.columns, y: calibration.y, offset: calibration.offset } } : {}),
      featureNames,
      onProgress: (p) => fitOptions.onProgress?.({ done: p.done, total: totalUnits }),
    },
    hasCalibration && train.y.length > 0 ? boosterParams : { ...boosterParams, earlyStoppingRounds: undefined },
  );
  if (Result.isFailure(first)) return Result.fail(first.failure);
  const bestIteration = Math.max(1, first.success.bestIteration);

  // scaled calibration residuals
  const scales = prepared.map((p) => {
    const n = p.series.y.length;
    let sum = 0;
    let count = 0;
    for (let k = p.first; k < n - H; k++) {
      const v = p.series.y[k]!;
      if (!Number.isNaN(v)) {
        sum += Math.abs(v);
        count++;
      }
    }
    return count > 0 ? sum / count : 0;
  });
  const residuals: number[] = [];
  if (hasCalibration && train.y.length > 0) {
    const predicted = predictBooster(first.success, calibration.columns, bestIteration, calibration.offset);
    for (let r = 0; r < calibration.y.length; r++) {
      const scale = scales[calibration.series[r]!]!;
      if (scale > 0) residuals.push((calibration.y[r]! - predicted[r]!) / scale);
    }
  }
  const signed = Float64Array.from(residuals).sort();
  const absolute = Float64Array.from(residuals, Math.abs).sort();

  let booster = first.success;
  if (o.refit && hasCalibration && train.y.length > 0) {
    const all: BoosterData = {
      columns: train.columns.map((c, f) => {
        const out = new Float64Array(c.length + calibration.y.length);
        out.set(c);
        out.set(calibration.columns[f]!, c.length);
        return out;
      }),
      y: Float64Array.from([...train.y, ...calibration.y]),
      offset: Float64Array.from([...train.offset, ...calibration.offset]),
    };
    const second = trainBooster(
      { train: all, featureNames, onProgress: (p) => fitOptions.onProgress?.({ done: boosterParams.iterations + p.done, total: totalUnits }) },
      { ...boosterParams, iterations: bestIteration, earlyStoppingRounds: undefined },
    );
    if (Result.isFailure(second)) return Result.fail(second.failure);
    booster = second.success;
  }

  const predictions = predictBooster(booster, future.columns, undefined, future.offset);
  const means = prepared.map(() => new Float64Array(H).fill(Number.NaN));
  for (let r = 0; r < future.y.length; r++) means[future.series[r]!]![future.step[r]!] = predictions[r]!;

  const forecastScales = prepared.map((p) => {
    let sum = 0;
    let count = 0;
    for (let k = p.first; k < p.series.y.length; k++) {
      const v = p.series.y[k]!;
      if (!Number.isNaN(v)) {
        sum += Math.abs(v);
        count++;
      }
    }
    return count > 0 ? sum / count : 0;
  });
  const name = o.name;
  const fitted: FittedGbdtGlobalModel = {
    name,
    horizon: H,
    booster,
    featureNames,
    importance: featureImportance(booster),
    bestIteration,
    signalQuality: joined.success.quality,
    calibrationResiduals: residuals.length,
    forecast(h, levels) {
      if (!Number.isInteger(h) || h < 1 || h > H) return Result.fail(new InvalidSeries({ reason: `${name}: horizon ${h} outside 1…${H} (the model was fitted for ${H})` }));
      const wanted = [...new Set(levels)].filter((l) => l > 0 && l < 1).sort((a, b) => a - b);
      const out = new Map<string, Forecast>();
      prepared.forEach((p, si) => {
        const mean = means[si]!.slice(0, h);
        const scale = forecastScales[si]!;
        const quantiles = new Map<number, Float64Array>();
        if (signed.length > 0) {
          for (const level of wanted) {
            let offset: number;
            if (o.intervals === "empirical") {
              const rank = Math.min(signed.length, Math.max(1, Math.ceil((signed.length + 1) * level - 1e-12)));
              offset = signed[rank - 1]!;
            } else {
              const half = conformalHalfWidth(absolute, Math.abs(2 * level - 1));
              offset = level < 0.5 ? -half : level > 0.5 ? half : 0;
            }
            const values = new Float64Array(h);
            for (let i = 0; i < h; i++) {
              const v = mean[i]! + (scale > 0 ? scale * offset : 0);
              values[i] = logLink ? Math.max(0, v) : v;
            }
            quantiles.set(level, values);
          }
        }
        out.set(p.series.id, { mean, quantiles, model: name });
      });
      return Result.succeed(out);
    },
  };
  return Result.succeed(fitted);
};
