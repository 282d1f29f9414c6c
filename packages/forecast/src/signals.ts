/**
 * External signals — weather, social-media trends, competitor promotions, school calendars,
 * custom series — as typed inputs, joined to a target date range with a per-signal lead, and a
 * data-quality report per signal.
 *
 * **Lead.** A signal with lead `L` contributes, on target date `t`, its observation at `t − L`
 * (a social-media trend that peaks 12 days before demand has `lead: 12`). A negative lead reads
 * the future of the signal (only sensible for planned signals such as a promotion calendar).
 * The *source window* of a signal is `[start − L, end − L]`: the signal dates the joined column
 * reads. All quality figures are computed over that window.
 *
 * **Quality figures** (per signal, `n` = number of target dates):
 *
 * - `coverage` = observed / n, where observed = target dates whose source date has an observation;
 * - `gaps` = maximal runs of target dates without an observation (`start` is the first target
 *   date of the run, `sourceStart` the first missing signal date, `length` in days);
 * - `staleness` = days from the last observation on or before the source window's end to that
 *   end (0 when the last source date is observed; `null` when there is none);
 * - `outliers` = observed values whose robust z-score `0.6745·(x − median)/MAD` exceeds the
 *   threshold in absolute value (default 3.5, Iglewicz–Hoaglin). When MAD is 0 the mean absolute
 *   deviation around the median scaled by 1.2533 is used instead (`(x − median)/(1.2533·meanAD)`);
 *   when that is 0 too, no value is an outlier. Fewer than 3 observations: no outliers;
 * - `usableShare` = (observed − outliers) / n — the share of target dates that have a
 *   trustworthy (present and not outlying) signal value. This is the figure to track.
 *
 * Dates are business dates `YYYY-MM-DD`; arithmetic is on whole days. Pure: no clock, no I/O.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { IsoDateSchema, dateOfEpochDay, epochDayOf } from "./calendar.js";

/** The kinds of external signal. */
export const SignalKindSchema = z.enum(["weather", "social-trend", "competitor-promotion", "school-calendar", "custom"]);

/** The kind of an external signal. */
export type SignalKind = z.output<typeof SignalKindSchema>;

/** One observation of a signal: a business date and a finite value. */
export const SignalObservationSchema = z.strictObject({
  /** Business date `YYYY-MM-DD`. */
  date: IsoDateSchema,
  /** The observed value (finite). */
  value: z.number(),
});

/** One observation of a signal. */
export type SignalObservation = z.output<typeof SignalObservationSchema>;

/** An external signal: a named, typed series of dated observations (at most one per date). */
export const ExternalSignalSchema = z
  .strictObject({
    /** Unique name; the joined column is keyed by it. */
    name: z.string().min(1),
    /** What the signal measures. */
    kind: SignalKindSchema,
    /** Observations in any order, at most one per date. */
    observations: z.array(SignalObservationSchema),
    /** Days by which the signal leads demand: the value joined on date t is the one at t − lead. Default 0. */
    lead: z.number().int().min(-3660).max(3660).default(0),
  })
  .refine((s) => new Set(s.observations.map((o) => o.date)).size === s.observations.length, {
    message: "at most one observation per date",
    path: ["observations"],
  });

/** An external signal as given (`lead` optional). */
export type ExternalSignal = z.input<typeof ExternalSignalSchema>;

/** Options of {@link joinSignals}. */
export const SignalJoinOptionsSchema = z
  .strictObject({
    /** First target date (inclusive). */
    start: IsoDateSchema,
    /** Last target date (inclusive). */
    end: IsoDateSchema,
    /** Robust z-score above which (in absolute value) an observation is an outlier; default 3.5. */
    outlierThreshold: z.number().positive().default(3.5),
  })
  .refine((o) => o.start <= o.end, { message: "start must not be after end", path: ["end"] })
  .refine((o) => epochDayOf(o.end) - epochDayOf(o.start) < 36_600, { message: "range longer than 100 years", path: ["end"] });

/** Options of {@link joinSignals} as given. */
export type SignalJoinOptions = z.input<typeof SignalJoinOptionsSchema>;

const SignalListSchema = z
  .array(ExternalSignalSchema)
  .refine((xs) => new Set(xs.map((s) => s.name)).size === xs.length, { message: "signal names must be unique" });

/** A run of target dates without a signal value. */
export interface SignalGap {
  /** First target date of the run. */
  readonly start: string;
  /** First missing signal date (`start − lead`). */
  readonly sourceStart: string;
  /** Length of the run in days. */
  readonly length: number;
}

/** An observation flagged as an outlier. */
export interface SignalOutlier {
  /** Date of the observation (signal date, not target date). */
  readonly date: string;
  readonly value: number;
  /** Its robust z-score. */
  readonly robustZ: number;
}

/** Data-quality report of one signal over the target range (see the module documentation for formulas). */
export interface SignalQuality {
  readonly name: string;
  readonly kind: SignalKind;
  readonly lead: number;
  /** Number of target dates. */
  readonly days: number;
  /** Target dates with an observation. */
  readonly observed: number;
  /** observed / days. */
  readonly coverage: number;
  /** Runs of target dates without an observation. */
  readonly gaps: ReadonlyArray<SignalGap>;
  /** Date of the last observation on or before the source window's end, or `null`. */
  readonly lastObservation: string | null;
  /** Days from {@link SignalQuality.lastObservation} to the source window's end, or `null`. */
  readonly staleness: number | null;
  /** Observed values in the source window with |robust z| above the threshold. */
  readonly outliers: ReadonlyArray<SignalOutlier>;
  /** (observed − outliers) / days. */
  readonly usableShare: number;
}

/** Signals joined to a target range. */
export interface JoinedSignals {
  /** Target dates, consecutive. */
  readonly dates: ReadonlyArray<string>;
  /** Signal name → value per target date (observation at t − lead), `NaN` where missing. */
  readonly columns: ReadonlyMap<string, Float64Array>;
  /** Signal name → data-quality report. */
  readonly quality: ReadonlyMap<string, SignalQuality>;
}

const median = (sorted: ReadonlyArray<number>): number => {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Robust z-scores of `values`: `0.6745·(x − median)/MAD`, or `(x − median)/(1.2533·meanAD)`
 * when MAD is 0; all zero when both spreads are 0.
 */
export const robustZScores = (values: ReadonlyArray<number>): Float64Array => {
  const out = new Float64Array(values.length);
  if (values.length === 0) return out;
  const med = median([...values].sort((a, b) => a - b));
  const dev = values.map((v) => Math.abs(v - med));
  const mad = median([...dev].sort((a, b) => a - b));
  if (mad > 0) {
    values.forEach((v, i) => (out[i] = (0.6745 * (v - med)) / mad));
    return out;
  }
  const meanAd = dev.reduce((a, b) => a + b, 0) / dev.length;
  if (meanAd > 0) values.forEach((v, i) => (out[i] = (v - med) / (1.2533141373155 * meanAd)));
  return out;
};

/**
 * Joins `signals` to the target dates `start..end` (inclusive), each shifted by its lead, and
 * reports the data quality of each. Invalid signals or options are an {@link InvalidInput}.
 */
export const joinSignals = (
  signals: ReadonlyArray<ExternalSignal>,
  options: SignalJoinOptions,
): Result.Result<JoinedSignals, InvalidInput> => {
  const parsedSignals = parseInput(SignalListSchema, signals, "external signals");
  if (Result.isFailure(parsedSignals)) return Result.fail(parsedSignals.failure);
  const parsedOptions = parseInput(SignalJoinOptionsSchema, options, "signal join options");
  if (Result.isFailure(parsedOptions)) return Result.fail(parsedOptions.failure);
  const { start, end, outlierThreshold } = parsedOptions.success;
  const first = epochDayOf(start);
  const last = epochDayOf(end);
  const n = last - first + 1;
  const dates: string[] = [];
  for (let d = first; d <= last; d++) dates.push(dateOfEpochDay(d));

  const columns = new Map<string, Float64Array>();
  const quality = new Map<string, SignalQuality>();
  for (const signal of parsedSignals.success) {
    const byDay = new Map<number, number>();
    for (const o of signal.observations) byDay.set(epochDayOf(o.date), o.value);
    const lead = signal.lead;
    const column = new Float64Array(n).fill(Number.NaN);
    const gaps: SignalGap[] = [];
    const inWindow: { day: number; value: number }[] = [];
    let gapStart = -1;
    for (let i = 0; i < n; i++) {
      const source = first + i - lead;
      const v = byDay.get(source);
      if (v !== undefined) {
        column[i] = v;
        inWindow.push({ day: source, value: v });
        if (gapStart >= 0) {
          gaps.push({ start: dateOfEpochDay(first + gapStart), sourceStart: dateOfEpochDay(first + gapStart - lead), length: i - gapStart });
          gapStart = -1;
        }
      } else if (gapStart < 0) gapStart = i;
    }
    if (gapStart >= 0) gaps.push({ start: dateOfEpochDay(first + gapStart), sourceStart: dateOfEpochDay(first + gapStart - lead), length: n - gapStart });

    const sourceEnd = last - lead;
    let lastDay: number | undefined;
    for (const day of byDay.keys()) if (day <= sourceEnd && (lastDay === undefined || day > lastDay)) lastDay = day;

    const outliers: SignalOutlier[] = [];
    if (inWindow.length >= 3) {
      const z = robustZScores(inWindow.map((o) => o.value));
      inWindow.forEach((o, i) => {
        const score = z[i]!;
        if (Math.abs(score) > outlierThreshold) outliers.push({ date: dateOfEpochDay(o.day), value: o.value, robustZ: score });
      });
    }

    columns.set(signal.name, column);
    quality.set(signal.name, {
      name: signal.name,
      kind: signal.kind,
      lead,
      days: n,
      observed: inWindow.length,
      coverage: inWindow.length / n,
      gaps,
      lastObservation: lastDay === undefined ? null : dateOfEpochDay(lastDay),
      staleness: lastDay === undefined ? null : sourceEnd - lastDay,
      outliers,
      usableShare: (inWindow.length - outliers.length) / n,
    });
  }
  return Result.succeed({ dates, columns, quality });
};
