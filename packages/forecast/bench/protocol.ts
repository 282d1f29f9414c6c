/**
 * The evaluation protocol of the forecast benchmark (../shared/data/README.md): loading the
 * carparts and m5-tiny data sets into train/test series and scoring forecasts — MASE, RMSSE and
 * scaled pinball loss per series, averaged over the series where the value is finite, with every
 * forecast (mean and quantiles) clipped at zero.
 *
 * This is bench code (it reads files); the package itself stays pure.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { meanAbsoluteScaledError, rootMeanSquaredScaledError, scaledPinballLoss } from "../src/index.js";
import { findShared } from "../../../scripts/shared-dir.js";

/** One series of a benchmark data set: the training history and the held-out actuals. */
export interface BenchSeries {
  /** Series id (a part number, an M5 item×store id). */
  readonly id: string;
  /** Training history, oldest first. */
  readonly train: Float64Array;
  /** Held-out actuals (length = the data set's horizon). */
  readonly test: Float64Array;
  /** ISO date of `train[0]` (first of the month for monthly data). */
  readonly start: string;
  /**
   * Exogenous columns aligned with `train` and continuing over the horizon (known future values:
   * prices, SNAP days, events). m5 only: `sell_price`, `snap`, `event`.
   */
  readonly exogenous?: Readonly<Record<string, Float64Array>>;
}

/** A benchmark data set. */
export interface BenchDataset {
  /** `carparts`, `m5` or `m5@<origin>` (an earlier m5 window, {@link loadM5}). */
  readonly name: string;
  /** Forecast horizon (the hold-out length). */
  readonly horizon: number;
  /** Season length given to seasonal models (12 monthly, 7 daily). */
  readonly seasonLength: number;
  /** Frequency of the dates. */
  readonly freq: "monthly" | "daily";
  /** The series. */
  readonly series: ReadonlyArray<BenchSeries>;
}

/** Quantile levels scored by the scaled pinball loss: the median and the levels safety stock uses. */
export const LEVELS: ReadonlyArray<number> = [0.5, 0.8, 0.9, 0.95, 0.99];

/** The forecast of one series: mean and quantiles (either may be absent when a model has none). */
export interface SeriesForecast {
  readonly mean: Float64Array;
  readonly quantiles: ReadonlyMap<number, Float64Array>;
}

/** Data directory: `JXC_DATA_DIR`, else the shared `data` folder (beside the repository, or the workplace's). */
export const dataDir = (): string => process.env.JXC_DATA_DIR ?? findShared("data") ?? join(import.meta.dirname, "../../../../shared/data");

/**
 * carparts: series without missing values and with at least two non-zero months in training;
 * the last 6 months held out.
 */
export const loadCarparts = (dir = dataDir()): BenchDataset => {
  const lines = readFileSync(join(dir, "carparts/carparts.csv"), "utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  const horizon = 6;
  const months = rows.map((r) => r[0]!);
  const series: BenchSeries[] = [];
  for (let c = 1; c < header.length; c++) {
    const values = rows.map((r) => (r[c] === undefined || r[c]!.trim() === "" ? Number.NaN : Number(r[c])));
    if (values.some((v) => !Number.isFinite(v))) continue;
    const train = Float64Array.from(values.slice(0, values.length - horizon));
    if (train.filter((v) => v !== 0).length < 2) continue;
    series.push({ id: header[c]!, train, test: Float64Array.from(values.slice(values.length - horizon)), start: monthStart(months[0]!) });
  }
  return { name: "carparts", horizon, seasonLength: 12, freq: "monthly", series };
};

const monthStart = (label: string): string => {
  const m = /^(\d{4})-?(\d{2})/.exec(label);
  return m === null ? "1998-01-01" : `${m[1]}-${m[2]}-01`;
};

/** The last training day of m5-tiny's official protocol (d_1913). */
export const M5_OFFICIAL_ORIGIN = 1913;

/** The m5 forecast horizon (days). */
const M5_HORIZON = 28;

/**
 * Name of the m5 data set with training days d_1…d_`origin`: `m5` for the official protocol,
 * `m5@<origin>` for an earlier evaluation window.
 */
export const m5Name = (origin: number): string => (origin === M5_OFFICIAL_ORIGIN ? "m5" : `m5@${origin}`);

/**
 * m5-tiny: train on d_1…d_`origin` from each series' first non-zero sale (series without a sale
 * by then are left out), forecast 28 days, score on the next 28 days. The default origin 1913 is
 * the official protocol (score on d_1914…d_1941); an earlier origin (e.g. 1885) is the same
 * protocol on an earlier window, named `m5@<origin>` ({@link m5Name}). Throws on an origin
 * outside 28…1913 (bench code: a wrong command line stops the run).
 */
export const loadM5 = (dir = dataDir(), origin = M5_OFFICIAL_ORIGIN): BenchDataset => {
  if (!Number.isInteger(origin) || origin < M5_HORIZON || origin > M5_OFFICIAL_ORIGIN) {
    throw new RangeError(`m5 origin must be an integer day in ${M5_HORIZON}…${M5_OFFICIAL_ORIGIN} (train d_1…d_N, score the next ${M5_HORIZON} days), got ${origin}`);
  }
  const lines = readFileSync(join(dir, "m5-tiny/sales.csv"), "utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const first = header.indexOf("d_1");
  const trainEnd = header.indexOf(`d_${origin}`);
  const calendar = readFileSync(join(dir, "m5-tiny/calendar.csv"), "utf8").trim().split(/\r?\n/);
  const calHeader = calendar[0]!.split(",");
  const cal = calendar.slice(1).map((l) => l.split(","));
  const col = (name: string): number => calHeader.indexOf(name);
  const dateOf = new Map(cal.map((f) => [f[col("d")]!, f[col("date")]!] as const));
  const prices = new Map<string, number>();
  for (const l of readFileSync(join(dir, "m5-tiny/prices.csv"), "utf8").trim().split(/\r?\n/).slice(1)) {
    const [store, item, week, price] = l.split(",");
    prices.set(`${store}|${item}|${week}`, Number(price));
  }
  const salesCol = (name: string): number => header.indexOf(name);
  const horizon = M5_HORIZON;
  const series: BenchSeries[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(",");
    const values = f.slice(first).map(Number);
    const trainAll = values.slice(0, trainEnd - first + 1);
    const start = trainAll.findIndex((v) => v > 0);
    if (start < 0) continue;
    const store = f[salesCol("store_id")]!;
    const item = f[salesCol("item_id")]!;
    const state = f[salesCol("state_id")]!;
    const days = cal.slice(start, trainEnd - first + 1 + horizon);
    series.push({
      id: f[0]!,
      train: Float64Array.from(trainAll.slice(start)),
      test: Float64Array.from(values.slice(trainEnd - first + 1, trainEnd - first + 1 + horizon)),
      start: dateOf.get(`d_${start + 1}`) ?? "2011-01-29",
      exogenous: {
        sell_price: Float64Array.from(days, (c) => prices.get(`${store}|${item}|${c[col("wm_yr_wk")]}`) ?? Number.NaN),
        snap: Float64Array.from(days, (c) => Number(c[col(`snap_${state}`)] ?? 0)),
        event: Float64Array.from(days, (c) => ((c[col("event_name_1")] ?? "") === "" ? 0 : 1)),
      },
    });
  }
  return { name: m5Name(origin), horizon, seasonLength: 7, freq: "daily", series };
};

const clip = (v: Float64Array): Float64Array => v.map((x) => (x < 0 ? 0 : x));

/** Averages of the per-series metrics of one model on one data set. */
export interface DatasetScores {
  readonly mase: number;
  readonly rmsse: number;
  /** Scaled pinball loss over {@link LEVELS} (NaN when the model gave no quantiles). */
  readonly pinball: number;
  /** Number of series with a forecast. */
  readonly forecasts: number;
}

const average = (values: ReadonlyArray<number>): number => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
};

/**
 * Scores forecasts (aligned with `dataset.series`; `undefined` = no forecast, skipped) by the
 * protocol: clipped at zero; MASE with the one-step naive in-sample scale; RMSSE with the one-step
 * mean squared naive error; scaled pinball loss over {@link LEVELS} (only when every level is
 * present) with the MASE scale.
 */
export const scoreDataset = (dataset: BenchDataset, forecasts: ReadonlyArray<SeriesForecast | undefined>): DatasetScores => {
  const mase: number[] = [];
  const rmsse: number[] = [];
  const pinball: number[] = [];
  let count = 0;
  dataset.series.forEach((s, i) => {
    const f = forecasts[i];
    if (f === undefined) return;
    count++;
    const mean = clip(f.mean);
    mase.push(meanAbsoluteScaledError(s.test, mean, s.train, 1));
    rmsse.push(rootMeanSquaredScaledError(s.test, mean, s.train));
    if (LEVELS.every((l) => f.quantiles.has(l))) {
      const q = new Map(LEVELS.map((l) => [l, clip(f.quantiles.get(l)!)] as const));
      pinball.push(scaledPinballLoss(s.test, q, s.train, 1));
    }
  });
  return { mase: average(mase), rmsse: average(rmsse), pinball: pinball.length === 0 ? Number.NaN : average(pinball), forecasts: count };
};

/**
 * A reference, not a forecast: each series' true mean over its hold-out, as a flat line, with
 * no quantiles. It reads the hold-out, so no model can be held to it; it shows how far a
 * forecaster who knew every series' level in advance (and nothing of its day-to-day pattern)
 * would get, i.e. how much of a data set's RMSSE is noise around the level.
 */
export const clairvoyantLevelForecasts = (dataset: BenchDataset): SeriesForecast[] =>
  dataset.series.map((s) => {
    const level = s.test.reduce((a, b) => a + b, 0) / s.test.length;
    return { mean: new Float64Array(dataset.horizon).fill(level), quantiles: new Map() };
  });

/** The all-zero forecast of every series (the README's anchor). */
export const zeroForecasts = (dataset: BenchDataset): SeriesForecast[] =>
  dataset.series.map(() => {
    const zero = new Float64Array(dataset.horizon);
    return { mean: zero, quantiles: new Map(LEVELS.map((l) => [l, zero] as const)) };
  });
