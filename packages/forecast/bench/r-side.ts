/**
 * The R side of the forecast benchmark: writes the training series of a data set to a temporary
 * folder, generates an R script that fits R's forecast-package models (and Prophet) to every
 * series with the same horizon, runs it with `Rscript`, and reads back the forecasts and the
 * seconds R spent fitting and forecasting (measured inside R, excluding start-up and file I/O).
 *
 * Nothing is installed: a missing `Rscript` or R package is reported and its figures are missing.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LEVELS, type BenchDataset, type SeriesForecast } from "./protocol.js";

/** The R models the bench knows, in table order. */
export const R_MODELS = ["ets", "arima", "croston", "sba", "ses", "naive", "prophet"] as const;

/** One R model name. */
export type RModel = (typeof R_MODELS)[number];

/** Which R package each model needs. */
const PACKAGE_OF: Record<RModel, string> = {
  ets: "forecast", arima: "forecast", croston: "forecast", sba: "forecast", ses: "forecast", naive: "forecast", prophet: "prophet",
};

/** Debian package that provides an R package (what to tell the user to install). */
const DEBIAN_OF: Record<string, string> = { forecast: "r-cran-forecast", prophet: "r-cran-prophet" };

/** R's display name of each model in the table. */
export const R_LABEL: Record<RModel, string> = {
  ets: "R ets", arima: "R auto.arima", croston: "R croston", sba: "R SBA", ses: "R ses", naive: "R naive", prophet: "R prophet",
};

/** What is available to run: `Rscript` and the R packages, with a message for each thing missing. */
export interface RAvailability {
  readonly rscript: boolean;
  readonly packages: ReadonlySet<string>;
  readonly missing: ReadonlyArray<string>;
}

/** Checks for `Rscript` and the R packages the requested models need. */
export const checkR = (models: ReadonlyArray<RModel>): RAvailability => {
  const version = spawnSync("Rscript", ["--version"], { encoding: "utf8" });
  if (version.error !== undefined || version.status !== 0) {
    return { rscript: false, packages: new Set(), missing: ["Rscript (Debian: apt-get install r-base-core r-cran-forecast r-cran-prophet)"] };
  }
  const needed = [...new Set(models.map((m) => PACKAGE_OF[m]))];
  const probe = spawnSync(
    "Rscript",
    ["-e", `for (p in c(${needed.map((p) => `"${p}"`).join(",")})) cat(p, requireNamespace(p, quietly = TRUE), "\\n")`],
    { encoding: "utf8" },
  );
  const packages = new Set<string>();
  for (const line of probe.stdout.split("\n")) {
    const [name, present] = line.trim().split(/\s+/);
    if (name !== undefined && present === "TRUE") packages.add(name);
  }
  const missing = needed.filter((p) => !packages.has(p)).map((p) => `R package ${p} (Debian: apt-get install ${DEBIAN_OF[p] ?? `r-cran-${p}`})`);
  return { rscript: true, packages, missing };
};

/** Whether `model` can run under `availability`. */
export const canRun = (model: RModel, availability: RAvailability): boolean =>
  availability.rscript && availability.packages.has(PACKAGE_OF[model]);

/** Forecasts and seconds of one R model on one data set. */
export interface RRun {
  readonly model: RModel;
  /** Aligned with the data set's series; `undefined` where R failed on the series. */
  readonly forecasts: ReadonlyArray<SeriesForecast | undefined>;
  /** Seconds R spent fitting and forecasting every series (elapsed, measured inside R). */
  readonly seconds: number;
  /** CPU seconds (user + system) of the R process over the same span (the fair figure on a shared machine). */
  readonly cpuSeconds: number;
  /** Series R could not forecast. */
  readonly failures: number;
}

// central interval levels whose upper bounds are the quantiles 0.8, 0.9, 0.95, 0.99
const INTERVALS = LEVELS.filter((l) => l > 0.5).map((l) => Math.round((2 * l - 1) * 1000) / 10);

/** The generated R script (arguments: series file, start-date file, output file, timing file). */
export const rScript = (dataset: BenchDataset, models: ReadonlyArray<RModel>): string => `
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
h <- ${dataset.horizon}
freq <- ${dataset.seasonLength}
lv <- c(${INTERVALS.join(", ")})
qs <- c(${LEVELS.filter((l) => l > 0.5).join(", ")})
series <- lapply(strsplit(readLines(args[1]), ","), as.numeric)
starts <- readLines(args[2])
out <- file(args[3], "w")
timing <- file(args[4], "w")
withLevels <- function(fc) list(mean = as.numeric(fc$mean), q = if (is.null(fc$upper)) NULL else cbind(as.numeric(fc$mean), matrix(as.numeric(fc$upper), ncol = length(lv))))
fitters <- list(
  ets = function(y, i) withLevels(forecast(ets(y), h = h, level = lv)),
  arima = function(y, i) withLevels(forecast(auto.arima(y), h = h, level = lv)),
  # croston() also computes in-sample fits by refitting every prefix (quadratic in the length:
  # minutes per daily series); the forecast is croston2's, called without the fits
  croston = function(y, i) list(mean = as.numeric(forecast:::croston2(y, h = h, alpha = 0.1, nofits = TRUE)), q = NULL),
  # forecast 8.20 has no SBA option: SBA is Croston's forecast times (1 - alpha/2)
  sba = function(y, i) list(mean = as.numeric(forecast:::croston2(y, h = h, alpha = 0.1, nofits = TRUE)) * (1 - 0.1 / 2), q = NULL),
  ses = function(y, i) withLevels(ses(y, h = h, level = lv)),
  naive = function(y, i) withLevels(naive(y, h = h, level = lv)),
  prophet = function(y, i) {
    df <- data.frame(ds = seq(as.Date(starts[i]), by = "${dataset.freq === "monthly" ? "month" : "day"}", length.out = length(y)), y = as.numeric(y))
    m <- suppressMessages(prophet::prophet(df, weekly.seasonality = ${dataset.freq === "daily" ? "TRUE" : "FALSE"}, daily.seasonality = FALSE, uncertainty.samples = 1000))
    future <- prophet::make_future_dataframe(m, periods = h, freq = "${dataset.freq === "monthly" ? "month" : "day"}", include_history = FALSE)
    p <- predict(m, future)
    s <- prophet::predictive_samples(m, future)$yhat
    list(mean = as.numeric(p$yhat), q = cbind(as.numeric(p$yhat), t(apply(s, 1, quantile, probs = qs, names = FALSE))))
  }
)
for (model in c(${models.map((m) => `"${m}"`).join(", ")})) {
  set.seed(20080101)
  results <- vector("list", length(series))
  t0 <- proc.time()[["elapsed"]]
  cpu0 <- proc.time()
  for (i in seq_along(series)) {
    y <- ts(series[[i]], frequency = freq)
    results[[i]] <- tryCatch(fitters[[model]](y, i), error = function(e) NULL)
    if (i %% 250 == 0) message(model, ": ", i, "/", length(series), " series, ", round(proc.time()[["elapsed"]] - t0, 1), " s")
  }
  seconds <- proc.time()[["elapsed"]] - t0
  used <- proc.time() - cpu0
  writeLines(paste(model, format(seconds, digits = 6), format(used[["user.self"]] + used[["sys.self"]], digits = 6)), timing)
  flush(timing)
  for (i in seq_along(results)) {
    r <- results[[i]]
    if (is.null(r)) next
    writeLines(paste(c(model, i, "mean", format(r$mean, digits = 15)), collapse = ","), out)
    if (!is.null(r$q)) for (k in seq_len(ncol(r$q))) writeLines(paste(c(model, i, k, format(r$q[, k], digits = 15)), collapse = ","), out)
  }
  flush(out)
}
close(out)
close(timing)
`;

/**
 * Runs the R models on `dataset` in one `Rscript` process (progress goes to stderr) and returns
 * one {@link RRun} per model that finished. Throws if Rscript fails as a whole.
 */
export const runR = (dataset: BenchDataset, models: ReadonlyArray<RModel>): RRun[] => {
  if (models.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), "jxc-forecast-bench-"));
  try {
    const files = { script: join(dir, "bench.R"), series: join(dir, "series.csv"), starts: join(dir, "starts.txt"), out: join(dir, "out.csv"), timing: join(dir, "timing.txt") };
    writeFileSync(files.script, rScript(dataset, models));
    writeFileSync(files.series, dataset.series.map((s) => Array.from(s.train).join(",")).join("\n") + "\n");
    writeFileSync(files.starts, dataset.series.map((s) => s.start).join("\n") + "\n");
    const run = spawnSync("Rscript", [files.script, files.series, files.starts, files.out, files.timing], { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error(`Rscript failed with status ${run.status}`);
    const seconds = new Map<string, number>();
    const cpuSeconds = new Map<string, number>();
    for (const line of readFileSync(files.timing, "utf8").trim().split("\n")) {
      const [model, value, cpu] = line.split(" ");
      if (model === undefined) continue;
      seconds.set(model, Number(value));
      cpuSeconds.set(model, Number(cpu));
    }
    const means = new Map<string, Map<number, Float64Array>>();
    const quantiles = new Map<string, Map<number, Map<number, Float64Array>>>();
    const qLevels = [0.5, ...LEVELS.filter((l) => l > 0.5)];
    for (const line of readFileSync(files.out, "utf8").split("\n")) {
      if (line === "") continue;
      const [model, index, kind, ...values] = line.split(",");
      const i = Number(index) - 1;
      const v = Float64Array.from(values.map(Number));
      if (kind === "mean") {
        if (!means.has(model!)) means.set(model!, new Map());
        means.get(model!)!.set(i, v);
      } else {
        if (!quantiles.has(model!)) quantiles.set(model!, new Map());
        const perSeries = quantiles.get(model!)!;
        if (!perSeries.has(i)) perSeries.set(i, new Map());
        perSeries.get(i)!.set(qLevels[Number(kind) - 1]!, v);
      }
    }
    return models.filter((m) => seconds.has(m)).map((model) => {
      const forecasts = dataset.series.map((_, i): SeriesForecast | undefined => {
        const mean = means.get(model)?.get(i);
        if (mean === undefined) return undefined;
        return { mean, quantiles: quantiles.get(model)?.get(i) ?? new Map() };
      });
      return { model, forecasts, seconds: seconds.get(model)!, cpuSeconds: cpuSeconds.get(model)!, failures: forecasts.filter((f) => f === undefined).length };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
