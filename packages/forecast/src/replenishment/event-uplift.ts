/**
 * Known events in replenishment forecasts (活动/开学季 uplift): an event of a school or promotion
 * calendar is a window of dates with a demand uplift — rising over `rampDays`, at its peak
 * `uplift` (1 = +100 %) in between, falling over the last `rampDays` — so that a forecast made
 * before (or during) the event already orders for it, and a forecast at its end stops ordering
 * for it.
 *
 * - {@link eventMultipliers}: the demand multiplier `1 + uplift · ramp(k)` per date (1 outside
 *   every event; overlapping events multiply).
 * - {@link learnEventUplift}: the peak uplift learnt from past occurrences of the event in sales
 *   history — the pooled least-squares fit of `y = b · (1 + u · ramp)` over every series and past
 *   window, `b` the mean demand of the `baselineDays` before and after each window (a level read
 *   on one side only takes a trend through the window for uplift). When there is no history of
 *   the event, the planner declares its expected uplift instead.
 * - {@link forecastWithEvents}: fits any {@link ForecastModel} on the history divided by its
 *   multipliers (the base demand) and multiplies the forecast mean by the multipliers of the
 *   forecast days — the event's effect is multiplicative — and each quantile's distance from the
 *   mean by the multiplier (or its square root for count demand).
 *
 * Dates are business dates `YYYY-MM-DD`; day arithmetic is on whole calendar days. Statistics are
 * float64 like every forecast.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { IsoDateSchema, epochDayOf } from "../calendar.js";
import type { FitOptions, Forecast, ForecastError, ForecastModel } from "../model.js";

/** A known event with its demand uplift, e.g. `{ name: "开学季", start: "2025-08-25", end: "2025-09-21", uplift: 1, rampDays: 7 }`. */
export const DemandEventSchema = z
  .strictObject({
    /** The event's name (开学季, 618…). */
    name: z.string().min(1),
    /** First day of the event (inclusive). */
    start: IsoDateSchema,
    /** Last day of the event (inclusive). */
    end: IsoDateSchema,
    /** Relative uplift at the peak: 1 = demand doubles; −0.5 = demand halves. */
    uplift: z.number().gt(-1).max(100),
    /** Days over which the uplift rises at the start and falls at the end (0 = a step); default 0. */
    rampDays: z.number().int().min(0).max(366).default(0),
  })
  .refine((e) => e.start <= e.end, { message: "start must not be after end", path: ["end"] });

/** A {@link DemandEventSchema} value as given (`rampDays` optional). */
export type DemandEvent = z.input<typeof DemandEventSchema>;

/**
 * The share of the peak uplift on day `k` (0-based) of an event of `length` days with `rampDays`:
 * `(k + 1) / rampDays` while rising, 1 at the peak, `(length − k) / rampDays` while falling (the
 * smaller of the two when the ramps overlap), 0 outside the event.
 */
export const eventRamp = (k: number, length: number, rampDays: number): number => {
  if (k < 0 || k >= length) return 0;
  if (rampDays <= 0) return 1;
  return Math.min(1, (k + 1) / rampDays, (length - k) / rampDays);
};

/**
 * The demand multiplier of every date from `start` for `days` days: the product over the events of
 * `1 + uplift · ramp`, 1 where no event runs. Fails with {@link InvalidInput} on a malformed event
 * or date.
 */
export const eventMultipliers = (
  events: ReadonlyArray<DemandEvent>,
  start: string,
  days: number,
): Result.Result<Float64Array, InvalidInput> => {
  const parsed = parseInput(
    z.strictObject({ events: z.array(DemandEventSchema), start: IsoDateSchema, days: z.number().int().min(0) }),
    { events, start, days },
    "event multipliers",
  );
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const first = epochDayOf(start);
  const out = new Float64Array(days).fill(1);
  for (const e of parsed.success.events) {
    const from = epochDayOf(e.start);
    const length = epochDayOf(e.end) - from + 1;
    for (let d = Math.max(from, first); d < Math.min(from + length, first + days); d++) {
      out[d - first]! *= 1 + e.uplift * eventRamp(d - from, length, e.rampDays);
    }
  }
  return Result.succeed(out);
};

/** One sales history for {@link learnEventUplift}: the date of `y[0]` and daily demand. */
export interface DatedSeries {
  /** Date of `y[0]`, `YYYY-MM-DD`. */
  readonly start: string;
  /** Daily demand, oldest first. */
  readonly y: Float64Array;
}

/** Options of {@link learnEventUplift}. */
export const EventUpliftLearningSchema = z.strictObject({
  /** Past windows of the event (start and end dates, inclusive). */
  windows: z.array(z.strictObject({ start: IsoDateSchema, end: IsoDateSchema })).min(1),
  /** The event's ramp (from its calendar), as in {@link DemandEventSchema}; default 0. */
  rampDays: z.number().int().min(0).max(366).default(0),
  /** Days on each side of a window whose mean demand is its baseline; default 28. */
  baselineDays: z.number().int().min(1).max(366).default(28),
  /**
   * Where the baseline is taken: `around` (default) — the days before and the days after each
   * window, so that a trend through the window does not pass for uplift (the days before only
   * when the history ends sooner); `before` — the days before only.
   */
  baseline: z.enum(["around", "before"]).default("around"),
});

/** Options of {@link learnEventUplift} as given. */
export type EventUpliftLearning = z.input<typeof EventUpliftLearningSchema>;

/** The uplift learnt by {@link learnEventUplift}. */
export interface LearnedEventUplift {
  /** Peak uplift (1 = +100 %); 0 when no window was usable. */
  readonly uplift: number;
  /** Series × windows that entered the fit (window and baseline inside the history, baseline > 0). */
  readonly occurrences: number;
}

/**
 * Learns an event's peak uplift from past occurrences in sales history (see the module
 * description): `u = Σ ramp·(y − b) / Σ b·ramp²` (at least −0.99) over every series and window
 * fully inside its history, with finite values and a positive baseline `b`. Fails with
 * {@link InvalidInput} on malformed history or options.
 */
export const learnEventUplift = (
  history: ReadonlyArray<DatedSeries>,
  options: EventUpliftLearning,
): Result.Result<LearnedEventUplift, InvalidInput> => {
  const parsed = parseInput(
    z.strictObject({ history: z.array(z.strictObject({ start: IsoDateSchema, y: z.instanceof(Float64Array) })), options: EventUpliftLearningSchema }),
    { history, options },
    "event uplift learning",
  );
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const o = parsed.success.options;
  let num = 0;
  let den = 0;
  let occurrences = 0;
  for (const s of history) {
    const first = epochDayOf(s.start);
    for (const w of o.windows) {
      const from = epochDayOf(w.start) - first;
      const length = epochDayOf(w.end) - epochDayOf(w.start) + 1;
      if (length < 1 || from - o.baselineDays < 0 || from + length > s.y.length) continue;
      if (!s.y.subarray(from - o.baselineDays, from + length).every(Number.isFinite)) continue;
      const after = from + length + o.baselineDays;
      const around = o.baseline === "around" && after <= s.y.length && s.y.subarray(from + length, after).every(Number.isFinite);
      let b = 0;
      for (let t = from - o.baselineDays; t < from; t++) b += s.y[t]!;
      if (around) for (let t = from + length; t < after; t++) b += s.y[t]!;
      b /= around ? 2 * o.baselineDays : o.baselineDays;
      if (!(b > 0)) continue;
      occurrences++;
      for (let k = 0; k < length; k++) {
        const r = eventRamp(k, length, o.rampDays);
        num += r * (s.y[from + k]! - b);
        den += b * r * r;
      }
    }
  }
  return Result.succeed({ uplift: den > 0 ? Math.max(-0.99, num / den) : 0, occurrences });
};

/** Options of {@link forecastWithEvents}. */
export interface EventForecastOptions extends FitOptions {
  /** Date of `y[0]`, `YYYY-MM-DD`. */
  readonly start: string;
  /** The known events, past and coming. */
  readonly events: ReadonlyArray<DemandEvent>;
  /**
   * How a quantile's distance from the mean grows with the multiplier `m`: `proportional` (default;
   * × m, uncertainty in the level) or `poisson` (× √m, count demand whose variance grows with its
   * mean).
   */
  readonly spread?: "proportional" | "poisson";
}

/**
 * Forecasts `h` days after `y` with `model` fitted on the base demand (`y` ÷ its event
 * multipliers), then multiplies the mean of each forecast day by that day's multiplier `m` and
 * each quantile's distance from the mean by `m` (or `√m`, `spread: "poisson"`). Fails with
 * {@link InvalidInput} on malformed events or dates, or with the model's error.
 */
export const forecastWithEvents = (
  model: ForecastModel,
  y: Float64Array,
  h: number,
  levels: ReadonlyArray<number>,
  options: EventForecastOptions,
): Result.Result<Forecast, InvalidInput | ForecastError> => {
  const m = eventMultipliers(options.events, options.start, y.length + h);
  if (Result.isFailure(m)) return Result.fail(m.failure);
  const multipliers = m.success;
  const base = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) base[t] = y[t]! / multipliers[t]!;
  const fitted = model.fit(base, options.seasonLength === undefined ? {} : { seasonLength: options.seasonLength });
  if (Result.isFailure(fitted)) return Result.fail(fitted.failure);
  const f = fitted.success.forecast(h, levels);
  const future = multipliers.subarray(y.length);
  const mean = f.mean.map((x, i) => x * future[i]!);
  const poisson = options.spread === "poisson";
  const quantiles = new Map<number, Float64Array>();
  for (const [p, v] of f.quantiles) {
    quantiles.set(p, poisson ? v.map((q, i) => mean[i]! + (q - f.mean[i]!) * Math.sqrt(future[i]!)) : v.map((q, i) => q * future[i]!));
  }
  const touched = future.some((x) => x !== 1);
  return Result.succeed({ mean, quantiles, model: touched ? `${f.model} × events` : f.model });
};

