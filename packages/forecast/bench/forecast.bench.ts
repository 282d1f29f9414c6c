/**
 * Forecast benchmark: jxc's models and, in the same run, R's forecast package (ets, auto.arima,
 * croston, SBA, ses, naive) and Prophet, on the real data sets of ../shared/data (carparts:
 * monthly intermittent, last 6 months held out; m5-tiny: daily retail, 28 days held out), scored
 * by the protocol of the data README (bench/protocol.ts): MASE, RMSSE, scaled pinball loss over
 * the quantiles 0.5, 0.8, 0.9, 0.95, 0.99, and seconds spent fitting and forecasting.
 *
 * Run: `npm run bench -w @jxc/forecast` [-- --r ets,croston] [--series N] [--datasets carparts,m5]
 * [--jxc selected,autoets,croston,sba,gbdt] [--m5-origin 1829,1857,1885]
 * `--r none` runs jxc only. `--m5-origin N` adds the data set `m5@N`: the m5 protocol on an earlier
 * window (train d_1…d_N, score d_N+1…d_N+28; R on the same series and window), a clean check
 * away from the official hold-out (whose daily total halves at d_1914); `m5@N` may also be named
 * in `--datasets`. Every figure comes from this run; nothing is reused. The last line is
 * machine-readable key=value pairs.
 */
import { performance } from "node:perf_hooks";
import { Result } from "effect";
import {
  autoEts,
  backtest,
  crostonModel,
  gbdtGlobalModel,
  historicAverage,
  imapaModel,
  mstlModel,
  sbaModel,
  seasonalNaive,
  simpleExponentialSmoothing,
  tsbModel,
  weightedEnsemble,
  windowAverage,
  zeroForecast,
  type FittedModel,
  type ForecastModel,
  type GlobalForecastModel,
  type GlobalSeries,
} from "../src/index.js";
import { LEVELS, M5_OFFICIAL_ORIGIN, clairvoyantLevelForecasts, loadCarparts, loadM5, m5Name, scoreDataset, zeroForecasts, type BenchDataset, type DatasetScores, type SeriesForecast } from "./protocol.js";
import { R_LABEL, R_MODELS, canRun, checkR, runR, type RModel } from "./r-side.js";

// `npm run bench -w @jxc/forecast -- replenishment`: the replenishment benchmark instead (bench/replenishment.bench.ts).
if (process.argv[2] === "replenishment") {
  await import("./replenishment.bench.js");
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Arguments

const argValue = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : process.argv[i + 1];
};
const rArg = argValue("--r");
const requestedR: RModel[] = rArg === undefined ? [...R_MODELS] : rArg === "none" ? [] : (rArg.split(",").map((s) => s.trim()) as RModel[]);
const unknownR = requestedR.filter((m) => !(R_MODELS as ReadonlyArray<string>).includes(m));
if (unknownR.length > 0) {
  console.error(`unknown R model(s): ${unknownR.join(", ")}; known: ${R_MODELS.join(", ")}, or none`);
  process.exit(2);
}
const seriesLimit = argValue("--series") === undefined ? undefined : Number(argValue("--series"));
/** `--m5-origin N[,M…]`: the m5 protocol also on earlier windows, as the data sets `m5@N`. */
const m5Origins = (argValue("--m5-origin")?.split(",") ?? []).map((s) => s.trim());
const datasetNames = [...(argValue("--datasets") ?? "carparts,m5").split(","), ...m5Origins.map((n) => `m5@${n}`)];
/** The origin of an m5 data set name: 1913 for `m5`, N for `m5@N`; undefined for other names. */
const m5OriginOf = (name: string): number | undefined =>
  name === "m5" ? M5_OFFICIAL_ORIGIN : name.startsWith("m5@") ? Number(name.slice(3)) : undefined;
for (const name of datasetNames) {
  const origin = m5OriginOf(name);
  if (name !== "carparts" && (origin === undefined || !Number.isInteger(origin) || origin < 28 || origin > M5_OFFICIAL_ORIGIN || (name !== "m5" && origin === M5_OFFICIAL_ORIGIN))) {
    console.error(`unknown data set ${name}: known are carparts, m5 and m5@N (N an integer day in 28…${M5_OFFICIAL_ORIGIN - 1})`);
    process.exit(2);
  }
}
/** `--jxc selected,autoets,croston,sba,gbdt`: only these jxc models (default all). */
const jxcArg = argValue("--jxc")?.split(",").map((s) => s.trim().toLowerCase());

/** `--series N`: N series evenly spaced over the data set (deterministic), not the first N. */
const limit = (d: BenchDataset): BenchDataset => {
  if (seriesLimit === undefined || seriesLimit >= d.series.length) return d;
  const step = d.series.length / seriesLimit;
  return { ...d, series: Array.from({ length: seriesLimit }, (_, k) => d.series[Math.floor(k * step)]!) };
};

// ---------------------------------------------------------------------------------------------
// jxc models

const must = <A>(r: Result.Result<A, unknown>): A => {
  if (Result.isFailure(r)) throw new Error(`bench setup: ${String(r.failure)}`);
  return r.success;
};

/** Selection candidates: for the point forecast and for the quantiles (a model may be in both). */
interface Candidates {
  readonly point: ReadonlyArray<ForecastModel>;
  readonly quantiles: ReadonlyArray<ForecastModel>;
}

/** Backtest summaries (RMSSE, scaled pinball) of each candidate on one training series. */
type CandidateScores = ReadonlyMap<ForecastModel, { readonly rmsse: number; readonly spl: number }>;

/**
 * jxc's per-series selection on rolling-origin backtests of the training series: every candidate
 * is backtested once (`backtest`, with the quantile levels; the scores are kept per series in
 * `cache`, so selections of different `top` share them); the point forecast is the mean of the
 * `top` point candidates with the lowest mean RMSSE, the quantiles the mean of the `top` quantile
 * candidates with the lowest scaled pinball loss (`weightedEnsemble`, equal weights; averaging
 * keeps quantiles ordered). Falls back to the first point candidate.
 */
const selected = (
  candidates: Candidates,
  top: number,
  windows: number,
  step: number,
  horizon: number,
  seasonLength: number,
  cache: WeakMap<Float64Array, CandidateScores>,
): ForecastModel => ({
  name: `selected(top ${top})`,
  fit(y, options) {
    const first = candidates.point[0]!;
    let scores = cache.get(y);
    if (scores === undefined) {
      const computed = new Map<ForecastModel, { rmsse: number; spl: number }>();
      for (const model of new Set([...candidates.point, ...candidates.quantiles])) {
        const result = backtest(y, model, { horizon, windows, step, seasonLength, levels: LEVELS });
        if (Result.isSuccess(result)) computed.set(model, { rmsse: result.success.summary.rmsse, spl: result.success.summary.spl });
      }
      cache.set(y, computed);
      scores = computed;
    }
    const best = (models: ReadonlyArray<ForecastModel>, metric: "rmsse" | "spl"): ForecastModel[] =>
      models
        .flatMap((model) => {
          const value = scores.get(model)?.[metric] ?? Number.NaN;
          return Number.isFinite(value) ? [{ model, value }] : [];
        })
        .sort((p, q) => p.value - q.value)
        .slice(0, top)
        .map((c) => c.model);
    const ensembleOf = (models: ReadonlyArray<ForecastModel>): FittedModel | undefined => {
      const fitted = (models.length === 0 ? first : weightedEnsemble(models.map((model) => ({ model, weight: 1 })))).fit(y, options);
      if (Result.isSuccess(fitted)) return fitted.success;
      const fallback = first.fit(y, options);
      return Result.isSuccess(fallback) ? fallback.success : undefined;
    };
    const meanModel = ensembleOf(best(candidates.point, "rmsse"));
    const quantileModel = ensembleOf(best(candidates.quantiles, "spl"));
    if (meanModel === undefined || quantileModel === undefined) return first.fit(y, options);
    return Result.succeed({
      name: `selected(top ${top})`,
      forecast: (h, levels) => ({ mean: meanModel.forecast(h, levels).mean, quantiles: quantileModel.forecast(h, levels).quantiles, model: `selected(top ${top})` }),
    });
  },
});

/** A model fitted per series ({@link ForecastModel}). */
interface LocalBenchModel {
  readonly kind: "local";
  readonly label: string;
  readonly model: (d: BenchDataset) => ForecastModel;
}
/**
 * A model run over a whole data set at once: the global tree model, and the selection (whose
 * strategy is chosen per data set on its inner hold-out).
 */
interface GlobalBenchModel {
  readonly kind: "global";
  readonly label: string;
  /** Only on this data set and its earlier windows (`m5` and `m5@N`: the global model is fitted for daily retail). */
  readonly only?: string;
  readonly run: (d: BenchDataset) => ReadonlyArray<SeriesForecast | undefined>;
}
type BenchModel = LocalBenchModel | GlobalBenchModel;

const croston = must(crostonModel());
const sba = must(sbaModel());
const tsb = must(tsbModel());
const imapa = must(imapaModel());
const sbaEmpirical = must(sbaModel({ quantiles: "empirical" }));
const tsbEmpirical = must(tsbModel({ quantiles: "empirical" }));

/**
 * Selection candidates: the point forecast may also be the all-zero forecast (demand that has
 * died out) and a short window average; the quantiles may also come from SBA/TSB with empirical
 * residual quantiles (instead of Poisson). AutoETS is left out (it is its own row).
 */
const candidatesFor = (d: BenchDataset): Candidates => {
  const common = d.freq === "monthly"
    ? [tsb, sba, imapa, simpleExponentialSmoothing(), windowAverage(12), historicAverage]
    : [tsb, sba, imapa, simpleExponentialSmoothing(), windowAverage(28), seasonalNaive, must(mstlModel({ periods: [7, 365.25] }))];
  const recent = windowAverage(d.freq === "monthly" ? 6 : 7);
  return { point: [...common, zeroForecast, recent], quantiles: [...common, sbaEmpirical, tsbEmpirical, recent] };
};

/**
 * The inner hold-outs of a data set: for k = 1…`origins`, each training series cut k horizons
 * before its end, the next horizon being the test. Only training data: the benchmark's hold-out
 * is never looked at.
 */
const innerHoldouts = (d: BenchDataset, origins: number): BenchDataset[] =>
  Array.from({ length: origins }, (_, i) => {
    const cut = (i + 1) * d.horizon;
    return {
      ...d,
      series: d.series
        .filter((s) => s.train.length - cut > 2 * d.horizon)
        .map((s) => ({ ...s, train: s.train.subarray(0, s.train.length - cut), test: s.train.subarray(s.train.length - cut, s.train.length - cut + d.horizon) })),
    };
  });

/** A strategy of the selection: a name and its forecasts of every series of a data set. */
interface Strategy {
  readonly name: string;
  readonly run: (d: BenchDataset) => ReadonlyArray<SeriesForecast | undefined>;
}

/** Runs each strategy once per data set (blends reuse their parts' forecasts). */
const memo = (strategy: Strategy): Strategy => {
  const runs = new WeakMap<BenchDataset, ReadonlyArray<SeriesForecast | undefined>>();
  return {
    name: strategy.name,
    run: (d) => {
      const cached = runs.get(d);
      if (cached !== undefined) return cached;
      const forecasts = strategy.run(d);
      runs.set(d, forecasts);
      return forecasts;
    },
  };
};

const localStrategy = (model: ForecastModel, name = model.name): Strategy => memo({ name, run: (d) => runLocal(d, model, name) });

/** The equal-weight mean of two strategies' forecasts, means and quantiles alike (averaging keeps quantiles ordered). */
const meanOf = (a: Strategy, b: Strategy): Strategy => ({
  name: `mean(${a.name}, ${b.name})`,
  run: (d) => {
    const x = a.run(d);
    const y = b.run(d);
    return x.map((f, i) => {
      const g = y[i];
      if (f === undefined || g === undefined) return f ?? g;
      const average = (u: Float64Array, v: Float64Array): Float64Array => u.map((value, k) => (value + v[k]!) / 2);
      const quantiles = new Map<number, Float64Array>();
      for (const [level, q] of f.quantiles) {
        const r = g.quantiles.get(level);
        if (r !== undefined) quantiles.set(level, average(q, r));
      }
      return { mean: average(f.mean, g.mean), quantiles };
    });
  },
});

/**
 * jxc's selected forecast for a data set: per-series selection of the top 1 or the mean of the
 * top 3 candidates on backtests, or one cheap model for every series; on daily data also the
 * global tree model and its mean with the top-3 selection. Which of these gives the point
 * forecast (lowest RMSSE) and which the quantiles (lowest scaled pinball loss) is decided on
 * three inner hold-outs ({@link innerHoldouts}, mean score), then run on the full training series.
 */
const runSelected = (d: BenchDataset): ReadonlyArray<SeriesForecast | undefined> => {
  const candidates = candidatesFor(d);
  const [windows, step] = d.freq === "monthly" ? [4, 3] : [2, d.horizon];
  const cache = new WeakMap<Float64Array, CandidateScores>();
  const top3 = localStrategy(selected(candidates, 3, windows, step, d.horizon, d.seasonLength, cache));
  const local: Strategy[] = [
    localStrategy(selected(candidates, 1, windows, step, d.horizon, d.seasonLength, cache)),
    top3,
    ...[tsb, sba, simpleExponentialSmoothing(), zeroForecast].map((model) => localStrategy(model)),
    localStrategy(tsbEmpirical, "tsb (empirical quantiles)"),
    localStrategy(sbaEmpirical, "sba (empirical quantiles)"),
  ];
  const trees = memo({ name: "gbdt", run: (x) => runGlobal(x, gbdtFor(x)) });
  const strategies = d.freq === "daily" ? [...local, trees, meanOf(trees, top3)] : local;
  const inner = innerHoldouts(d, 3);
  let point: { strategy: Strategy; score: number } | undefined;
  let quantiles: { strategy: Strategy; score: number } | undefined;
  for (const strategy of strategies) {
    const scores = inner.map((holdout) => scoreDataset(holdout, strategy.run(holdout)));
    const rmsse = scores.reduce((sum, x) => sum + x.rmsse, 0) / scores.length;
    const pinball = scores.reduce((sum, x) => sum + x.pinball, 0) / scores.length;
    process.stderr.write(`  ${d.name} inner ${strategy.name}: RMSSE ${rmsse.toFixed(4)} pinball ${pinball.toFixed(4)}\n`);
    if (Number.isFinite(rmsse) && (point === undefined || rmsse < point.score)) point = { strategy, score: rmsse };
    if (Number.isFinite(pinball) && (quantiles === undefined || pinball < quantiles.score)) quantiles = { strategy, score: pinball };
  }
  const pointStrategy = point?.strategy ?? strategies[0]!;
  const quantileStrategy = quantiles?.strategy ?? strategies[0]!;
  process.stderr.write(`  ${d.name} jxc selected: point forecast by ${pointStrategy.name} (inner RMSSE ${point?.score.toFixed(4)}), quantiles by ${quantileStrategy.name} (inner pinball ${quantiles?.score.toFixed(4)})\n`);
  const means = pointStrategy.run(d);
  const bounds = quantileStrategy.run(d);
  return means.map((m, i) => {
    const q = bounds[i];
    return m === undefined || q === undefined ? undefined : { mean: m.mean, quantiles: q.quantiles };
  });
};

/**
 * The global tree model as the benchmark fits it on a data set: Tweedie boosting (the package
 * defaults), prices also relative to their running mean, the last two years of origins, and the
 * calendar columns that mean something outside China (the Chinese holiday and Spring Festival
 * columns were noise to it on the inner hold-outs of m5). On m5, features across the series
 * (the item over all stores, the store, the department in the store; {@link m5Groups}) and a
 * fixed 200 trees: early stopping on the one 28-day calibration slice kept from 17 to 229 trees
 * and was worse on the development windows m5@1745, m5@1773, m5@1801.
 */
const gbdtFor = (d: BenchDataset): GlobalForecastModel =>
  gbdtGlobalModel({
    horizon: d.horizon,
    seasonLength: d.seasonLength,
    relativeExogenous: ["sell_price"],
    calendarColumns: ["day_of_week", "week_of_year", "month", "day_of_month", "is_weekend"],
    maxTrainingPeriods: 730,
    ...(d.series.every((s) => m5Groups(s.id) !== undefined) ? { crossSeries: { groupings: [["item"], ["store"], ["store", "dept"]] } } : {}),
    booster: { iterations: 200, earlyStoppingRounds: undefined },
  });

/** The jxc models in table order. The global tree model is one more entry here. */
const JXC_MODELS: ReadonlyArray<BenchModel> = [
  { kind: "global", label: "jxc selected", run: runSelected },
  { kind: "local", label: "jxc AutoETS", model: () => autoEts() },
  { kind: "local", label: "jxc Croston", model: () => croston },
  { kind: "local", label: "jxc SBA", model: () => sba },
  { kind: "global", label: "jxc gbdt", only: "m5", run: (d) => runGlobal(d, gbdtFor(d)) },
];

/**
 * The hierarchy keys of an m5 series from its id `<item>_<store>` (e.g. `FOODS_1_033_CA_1`:
 * item `FOODS_1_033`, store `CA_1`, dept `FOODS_1`, cat `FOODS`, state `CA`); none for other ids.
 */
const m5Groups = (id: string): Record<string, string> | undefined => {
  const m = /^(([A-Z]+)_\d+)_\d+_(([A-Z]+)_\d+)$/.exec(id);
  return m === null ? undefined : { item: id.slice(0, id.length - m[3]!.length - 1), store: m[3]!, dept: m[1]!, cat: m[2]!, state: m[4]! };
};

/** Fits a global model on every series of `d` (with their exogenous columns and m5 hierarchy keys) and forecasts the horizon. */
const runGlobal = (d: BenchDataset, model: GlobalForecastModel): ReadonlyArray<SeriesForecast | undefined> => {
  const series: GlobalSeries[] = d.series.map((s) => {
    const groups = m5Groups(s.id);
    return { id: s.id, start: s.start, freq: d.freq, y: s.train, exogenous: s.exogenous ?? {}, ...(groups === undefined ? {} : { groups }) };
  });
  const fitted = model.fit(series, {
    onProgress: ({ done, total }) => {
      if (done % 50 === 0) process.stderr.write(`  ${d.name} ${model.name}: ${done}/${total}\n`);
    },
  });
  if (Result.isFailure(fitted)) {
    process.stderr.write(`  ${d.name} ${model.name} failed: ${String(fitted.failure)}\n`);
    return d.series.map(() => undefined);
  }
  const forecasts = fitted.success.forecast(d.horizon, LEVELS);
  if (Result.isFailure(forecasts)) return d.series.map(() => undefined);
  return d.series.map((s) => {
    const f = forecasts.success.get(s.id);
    return f === undefined ? undefined : { mean: f.mean, quantiles: f.quantiles };
  });
};

const runLocal = (d: BenchDataset, model: ForecastModel, label: string): ReadonlyArray<SeriesForecast | undefined> =>
  d.series.map((s, i) => {
    if ((i + 1) % 500 === 0) process.stderr.write(`  ${d.name} ${label}: ${i + 1}/${d.series.length}\n`);
    const fitted: Result.Result<FittedModel, unknown> = model.fit(s.train, { seasonLength: d.seasonLength });
    if (Result.isFailure(fitted)) return undefined;
    const f = fitted.success.forecast(d.horizon, LEVELS);
    return { mean: f.mean, quantiles: f.quantiles };
  });

// ---------------------------------------------------------------------------------------------
// Run

interface Row {
  readonly dataset: string;
  readonly model: string;
  readonly scores?: DatasetScores;
  readonly seconds?: number;
  /** CPU seconds of the process that ran the model (jxc: this one; R: Rscript). */
  readonly cpuSeconds?: number;
  readonly note?: string;
}

/** The reference row of {@link clairvoyantLevelForecasts}: each series' true hold-out mean (not a model). */
const CLAIRVOYANT = "true level (reference)";

const rows: Row[] = [];
/** Records a row and shows it at once on stderr (a long run keeps its figures if interrupted). */
const record = (row: Row): void => {
  rows.push(row);
  const s = row.scores;
  process.stderr.write(`  = ${row.dataset} ${row.model}: MASE ${s?.mase.toFixed(4) ?? "—"} RMSSE ${s?.rmsse.toFixed(4) ?? "—"} pinball ${s?.pinball.toFixed(4) ?? "—"} ${row.seconds?.toFixed(1) ?? "—"} s (CPU ${row.cpuSeconds?.toFixed(1) ?? "—"} s) ${row.note ?? ""}\n`);
};
const availability = checkR(requestedR);
for (const m of availability.missing) console.error(`missing: ${m} — its figures are reported as missing`);

for (const name of datasetNames) {
  const data = limit(name === "carparts" ? loadCarparts() : loadM5(undefined, m5OriginOf(name)));
  process.stderr.write(`${data.name}: ${data.series.length} series, h = ${data.horizon}\n`);
  record({ dataset: data.name, model: "all-zero", scores: scoreDataset(data, zeroForecasts(data)), seconds: 0 });
  record({ dataset: data.name, model: CLAIRVOYANT, scores: scoreDataset(data, clairvoyantLevelForecasts(data)), seconds: 0, note: "reference: reads the hold-out" });
  for (const m of JXC_MODELS) {
    if (jxcArg !== undefined && !jxcArg.includes(m.label.replace(/^jxc /, "").toLowerCase())) continue;
    if (m.kind === "global" && m.only !== undefined && m.only !== data.name && !data.name.startsWith(`${m.only}@`)) continue;
    process.stderr.write(`  ${data.name} ${m.label}…\n`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const forecasts = m.kind === "local" ? runLocal(data, m.model(data), m.label) : m.run(data);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const failures = forecasts.filter((f) => f === undefined).length;
    record({ dataset: data.name, model: m.label, scores: scoreDataset(data, forecasts), seconds, cpuSeconds, ...(failures > 0 ? { note: `${failures} series failed` } : {}) });
  }
  const runnable = requestedR.filter((m) => canRun(m, availability));
  for (const m of requestedR.filter((m) => !canRun(m, availability))) record({ dataset: data.name, model: R_LABEL[m], note: "missing (not installed)" });
  if (runnable.length > 0) {
    process.stderr.write(`  ${data.name} R: ${runnable.join(", ")}…\n`);
    for (const run of runR(data, runnable)) {
      record({
        dataset: data.name,
        model: R_LABEL[run.model],
        scores: scoreDataset(data, run.forecasts),
        seconds: run.seconds,
        cpuSeconds: run.cpuSeconds,
        ...(run.failures > 0 ? { note: `${run.failures} series failed` } : {}),
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const header = ["dataset", "model", "MASE", "RMSSE", "scaled pinball", "seconds", "CPU s", "series", "note"];
const table = rows.map((r) => [
  r.dataset,
  r.model,
  fmt(r.scores?.mase),
  fmt(r.scores?.rmsse),
  fmt(r.scores?.pinball),
  fmt(r.seconds, 1),
  fmt(r.cpuSeconds, 1),
  r.scores === undefined ? "—" : String(r.scores.forecasts),
  r.note ?? "",
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
const line = (cells: ReadonlyArray<string>): string => cells.map((cell, c) => (c < 2 || c === 8 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd();
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
console.log(`quantile levels ${LEVELS.join(", ")}; forecasts clipped at zero; R seconds measured inside R (fit + forecast), jxc seconds in this process; CPU s = user + system CPU of that process over the same span (the fair comparison on a shared machine)`);

const find = (dataset: string, model: string): Row | undefined => rows.find((r) => r.dataset === dataset && r.model === model);
const bestR = (dataset: string, metric: "rmsse" | "pinball"): number | undefined => {
  const values = rows
    .filter((r) => r.dataset === dataset && r.model.startsWith("R ") && r.scores !== undefined)
    .map((r) => r.scores![metric])
    .filter(Number.isFinite);
  return values.length === 0 ? undefined : Math.min(...values);
};
/** R ets seconds ÷ jxc AutoETS seconds on a data set (wall-clock or CPU). */
const etsSpeedup = (dataset: string, field: "seconds" | "cpuSeconds"): number | undefined => {
  const jxc = find(dataset, "jxc AutoETS")?.[field];
  const r = find(dataset, "R ets")?.[field];
  return jxc !== undefined && r !== undefined && jxc > 0 ? r / jxc : undefined;
};
const speedup = etsSpeedup("carparts", "seconds");
const cpuSpeedup = etsSpeedup("carparts", "cpuSeconds");
const kv = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? "missing" : v.toFixed(digits));
console.log(
  [
    `carparts_rmsse=${kv(find("carparts", "jxc selected")?.scores?.rmsse)}`,
    `carparts_pinball=${kv(find("carparts", "jxc selected")?.scores?.pinball)}`,
    `carparts_r_best_rmsse=${kv(bestR("carparts", "rmsse"))}`,
    `carparts_r_best_pinball=${kv(bestR("carparts", "pinball"))}`,
    `m5_rmsse=${kv(find("m5", "jxc selected")?.scores?.rmsse)}`,
    `m5_r_best_rmsse=${kv(bestR("m5", "rmsse"))}`,
    `m5_gbdt_rmsse=${kv(find("m5", "jxc gbdt")?.scores?.rmsse)}`,
    `m5_ets_rmsse=${kv(find("m5", "jxc AutoETS")?.scores?.rmsse)}`,
    `autoets_speedup_vs_r=${kv(speedup, 1)}`,
    `autoets_cpu_speedup_vs_r=${kv(cpuSpeedup, 1)}`,
    `m5_autoets_speedup_vs_r=${kv(etsSpeedup("m5", "seconds"), 1)}`,
    `m5_autoets_cpu_speedup_vs_r=${kv(etsSpeedup("m5", "cpuSeconds"), 1)}`,
    `m5_true_level_rmsse=${kv(find("m5", CLAIRVOYANT)?.scores?.rmsse)}`,
    // the earlier m5 windows (--m5-origin), after the official keys
    ...datasetNames.flatMap((name) => {
      const origin = m5OriginOf(name);
      if (origin === undefined || name === "m5") return [];
      const d = m5Name(origin);
      const key = `m5_${origin}`;
      return [
        `${key}_rmsse=${kv(find(d, "jxc selected")?.scores?.rmsse)}`,
        `${key}_pinball=${kv(find(d, "jxc selected")?.scores?.pinball)}`,
        `${key}_r_best_rmsse=${kv(bestR(d, "rmsse"))}`,
        `${key}_r_best_pinball=${kv(bestR(d, "pinball"))}`,
        `${key}_gbdt_rmsse=${kv(find(d, "jxc gbdt")?.scores?.rmsse)}`,
        `${key}_ets_rmsse=${kv(find(d, "jxc AutoETS")?.scores?.rmsse)}`,
        `${key}_true_level_rmsse=${kv(find(d, CLAIRVOYANT)?.scores?.rmsse)}`,
      ];
    }),
  ].join(" "),
);
