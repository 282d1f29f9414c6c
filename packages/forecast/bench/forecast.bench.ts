/**
 * Forecast benchmark: jxc's models and, in the same run, R's forecast package (ets, auto.arima,
 * croston, SBA, ses, naive) and Prophet, on the real data sets of ../shared/data (carparts:
 * monthly intermittent, last 6 months held out; m5-tiny: daily retail, 28 days held out), scored
 * by the protocol of the data README (bench/protocol.ts): MASE, RMSSE, scaled pinball loss over
 * the quantiles 0.5, 0.8, 0.9, 0.95, 0.99, and seconds spent fitting and forecasting.
 *
 * Run: `npm run bench -w @jxc/forecast` [-- --r ets,croston] [--series N] [--datasets carparts,m5]
 * [--jxc selected,autoets,croston,sba,gbdt]
 * `--r none` runs jxc only. Every figure comes from this run; nothing is reused. The last line is
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
  windowAverage,
  type FittedModel,
  type ForecastModel,
  type GlobalForecastModel,
  type GlobalSeries,
} from "../src/index.js";
import { LEVELS, loadCarparts, loadM5, scoreDataset, zeroForecasts, type BenchDataset, type DatasetScores, type SeriesForecast } from "./protocol.js";
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
const datasetNames = (argValue("--datasets") ?? "carparts,m5").split(",");
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

/**
 * jxc's per-series selection on rolling-origin backtests of the training series: every candidate
 * is backtested once (`backtest`, with the quantile levels); the point forecast comes from the
 * candidate with the lowest mean RMSSE, the quantiles from the one with the lowest scaled pinball
 * loss (the metric safety stock cares about). Falls back to the first candidate.
 */
const selected = (candidates: ReadonlyArray<ForecastModel>, windows: number, step: number, horizon: number, seasonLength: number): ForecastModel => ({
  name: "selected",
  fit(y, options) {
    let bestMean: { model: ForecastModel; score: number } | undefined;
    let bestQuantiles: { model: ForecastModel; score: number } | undefined;
    for (const model of candidates) {
      const result = backtest(y, model, { horizon, windows, step, seasonLength, levels: LEVELS });
      if (Result.isFailure(result)) continue;
      const { rmsse, spl } = result.success.summary;
      if (Number.isFinite(rmsse) && (bestMean === undefined || rmsse < bestMean.score)) bestMean = { model, score: rmsse };
      if (Number.isFinite(spl) && (bestQuantiles === undefined || spl < bestQuantiles.score)) bestQuantiles = { model, score: spl };
    }
    const fitOr = (m: ForecastModel | undefined): FittedModel | undefined => {
      const fitted = (m ?? candidates[0]!).fit(y, options);
      if (Result.isSuccess(fitted)) return fitted.success;
      const fallback = candidates[0]!.fit(y, options);
      return Result.isSuccess(fallback) ? fallback.success : undefined;
    };
    const meanModel = fitOr(bestMean?.model);
    const quantileModel = bestQuantiles?.model === bestMean?.model ? meanModel : fitOr(bestQuantiles?.model);
    if (meanModel === undefined || quantileModel === undefined) return candidates[0]!.fit(y, options);
    return Result.succeed({
      name: "selected",
      forecast: (h, levels) => {
        const mean = meanModel.forecast(h, levels);
        const quantiles = quantileModel === meanModel ? mean : quantileModel.forecast(h, levels);
        return { mean: mean.mean, quantiles: quantiles.quantiles, model: `${mean.model} / ${quantiles.model}` };
      },
    });
  },
});

/** A model fitted per series ({@link ForecastModel}). */
interface LocalBenchModel {
  readonly kind: "local";
  readonly label: string;
  readonly model: (d: BenchDataset) => ForecastModel;
}
/** A global model over all series of a data set at once (the gradient-boosted tree model). */
interface GlobalBenchModel {
  readonly kind: "global";
  readonly label: string;
  /** Only on this data set (the global model is fitted for daily retail). */
  readonly only?: string;
  readonly run: (d: BenchDataset) => ReadonlyArray<SeriesForecast | undefined>;
}
type BenchModel = LocalBenchModel | GlobalBenchModel;

const croston = must(crostonModel());
const sba = must(sbaModel());
const tsb = must(tsbModel());
const imapa = must(imapaModel());

/**
 * Selection candidates. AutoETS is left out of the selection (it is its own row): fitting it in
 * every backtest window triples the bench's slowest part for little gain on these data.
 */
const candidatesFor = (d: BenchDataset): ForecastModel[] =>
  d.freq === "monthly"
    ? [tsb, sba, imapa, simpleExponentialSmoothing(), windowAverage(12), historicAverage]
    : [tsb, sba, imapa, simpleExponentialSmoothing(), windowAverage(28), seasonalNaive, must(mstlModel({ periods: [7, 365.25] }))];

/** The jxc models in table order. The global tree model is one more entry here. */
const JXC_MODELS: ReadonlyArray<BenchModel> = [
  { kind: "local", label: "jxc selected", model: (d) => (d.freq === "monthly" ? selected(candidatesFor(d), 4, 3, d.horizon, d.seasonLength) : selected(candidatesFor(d), 2, d.horizon, d.horizon, d.seasonLength)) },
  { kind: "local", label: "jxc AutoETS", model: () => autoEts() },
  { kind: "local", label: "jxc Croston", model: () => croston },
  { kind: "local", label: "jxc SBA", model: () => sba },
  { kind: "global", label: "jxc gbdt", only: "m5", run: (d) => runGlobal(d, gbdtGlobalModel({ horizon: d.horizon, seasonLength: d.seasonLength, relativeExogenous: ["sell_price"], maxTrainingPeriods: 730 })) },
];

/** Fits a global model on every series of `d` (with their exogenous columns) and forecasts the horizon. */
const runGlobal = (d: BenchDataset, model: GlobalForecastModel): ReadonlyArray<SeriesForecast | undefined> => {
  const series: GlobalSeries[] = d.series.map((s) => ({ id: s.id, start: s.start, freq: d.freq, y: s.train, exogenous: s.exogenous ?? {} }));
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
  readonly note?: string;
}

const rows: Row[] = [];
/** Records a row and shows it at once on stderr (a long run keeps its figures if interrupted). */
const record = (row: Row): void => {
  rows.push(row);
  const s = row.scores;
  process.stderr.write(`  = ${row.dataset} ${row.model}: MASE ${s?.mase.toFixed(4) ?? "—"} RMSSE ${s?.rmsse.toFixed(4) ?? "—"} pinball ${s?.pinball.toFixed(4) ?? "—"} ${row.seconds?.toFixed(1) ?? "—"} s ${row.note ?? ""}\n`);
};
const availability = checkR(requestedR);
for (const m of availability.missing) console.error(`missing: ${m} — its figures are reported as missing`);

for (const name of datasetNames) {
  const data = limit(name === "carparts" ? loadCarparts() : loadM5());
  process.stderr.write(`${data.name}: ${data.series.length} series, h = ${data.horizon}\n`);
  record({ dataset: data.name, model: "all-zero", scores: scoreDataset(data, zeroForecasts(data)), seconds: 0 });
  for (const m of JXC_MODELS) {
    if (jxcArg !== undefined && !jxcArg.includes(m.label.replace(/^jxc /, "").toLowerCase())) continue;
    if (m.kind === "global" && m.only !== undefined && m.only !== data.name) continue;
    process.stderr.write(`  ${data.name} ${m.label}…\n`);
    const t0 = performance.now();
    const forecasts = m.kind === "local" ? runLocal(data, m.model(data), m.label) : m.run(data);
    const seconds = (performance.now() - t0) / 1000;
    const failures = forecasts.filter((f) => f === undefined).length;
    record({ dataset: data.name, model: m.label, scores: scoreDataset(data, forecasts), seconds, ...(failures > 0 ? { note: `${failures} series failed` } : {}) });
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
        ...(run.failures > 0 ? { note: `${run.failures} series failed` } : {}),
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const header = ["dataset", "model", "MASE", "RMSSE", "scaled pinball", "seconds", "series", "note"];
const table = rows.map((r) => [
  r.dataset,
  r.model,
  fmt(r.scores?.mase),
  fmt(r.scores?.rmsse),
  fmt(r.scores?.pinball),
  fmt(r.seconds, 1),
  r.scores === undefined ? "—" : String(r.scores.forecasts),
  r.note ?? "",
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
const line = (cells: ReadonlyArray<string>): string => cells.map((cell, c) => (c < 2 || c === 7 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd();
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
console.log(`quantile levels ${LEVELS.join(", ")}; forecasts clipped at zero; R seconds measured inside R (fit + forecast), jxc seconds in this process`);

const find = (dataset: string, model: string): Row | undefined => rows.find((r) => r.dataset === dataset && r.model === model);
const bestR = (dataset: string, metric: "rmsse" | "pinball"): number | undefined => {
  const values = rows
    .filter((r) => r.dataset === dataset && r.model.startsWith("R ") && r.scores !== undefined)
    .map((r) => r.scores![metric])
    .filter(Number.isFinite);
  return values.length === 0 ? undefined : Math.min(...values);
};
const jxcEts = find("carparts", "jxc AutoETS");
const rEts = find("carparts", "R ets");
const speedup = jxcEts?.seconds !== undefined && rEts?.seconds !== undefined && jxcEts.seconds > 0 ? rEts.seconds / jxcEts.seconds : undefined;
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
  ].join(" "),
);
