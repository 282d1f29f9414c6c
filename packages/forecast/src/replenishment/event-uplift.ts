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
 *   the event, the planner declares its expected uplift instead. It also learns how the event
 *   scales the **spread** of demand: the exponent `e` with which the squared deviations in the
 *   windows, `(y − b·m)²`, grow over the baseline's, `m^{2e}·σ²` (`σ²` the mean squared deviation
 *   of the baseline days from `b`) — 1 when the event multiplies demand as a whole (its noise
 *   too), ½ when it adds independent count demand (Poisson: the variance grows like the mean).
 * - {@link forecastWithEvents}: fits any {@link ForecastModel} on the history divided by its
 *   multipliers (the base demand) and multiplies the forecast mean by the multipliers of the
 *   forecast days — the event's effect is multiplicative — and each quantile's distance from the
 *   mean by `m^e`: the multiplier itself (`proportional`, e = 1), its square root (`poisson`,
 *   e = ½, count demand) or the exponent learnt with the uplift.
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
import { WeekdayProfileSchema, weekdayMultipliers, type learnWeekdayProfile, type WeekdayProfile } from "./weekday-profile.js";

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
  /**
   * The spread exponent e (see the module description), within [0, 2]: a quantile's distance from
   * the mean grows as `m^e` on event days — give it as {@link EventForecastOptions.spread}.
   * Undefined when the windows say nothing about it (no uplift, or no deviation at all).
   */
  readonly spread?: number;
}

/**
 * Learns an event's peak uplift from past occurrences in sales history (see the module
 * description): `u = Σ ramp·(y − b) / Σ b·ramp²` (at least −0.99) over every series and window
 * fully inside its history, with finite values and a positive baseline `b`; then the spread
 * exponent e solving `Σ m^{2e}·σ² = Σ (y − b·m)²` over the same days, `m = 1 + u·ramp` (by
 * bisection within [0, 2]). Fails with {@link InvalidInput} on malformed history or options.
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
  /** One usable window of one series: the demand of its days, its baseline level and the baseline's mean squared deviation. */
  const found: Array<UsableWindow> = [];
  for (const s of history) {
    const first = epochDayOf(s.start);
    for (const w of o.windows) {
      const from = epochDayOf(w.start) - first;
      const length = epochDayOf(w.end) - epochDayOf(w.start) + 1;
      if (length < 1 || from - o.baselineDays < 0 || from + length > s.y.length) continue;
      if (!s.y.subarray(from - o.baselineDays, from + length).every(Number.isFinite)) continue;
      const after = from + length + o.baselineDays;
      const around = o.baseline === "around" && after <= s.y.length && s.y.subarray(from + length, after).every(Number.isFinite);
      const baseDays = [s.y.subarray(from - o.baselineDays, from), ...(around ? [s.y.subarray(from + length, after)] : [])];
      const count = around ? 2 * o.baselineDays : o.baselineDays;
      let b = 0;
      for (const days of baseDays) for (const x of days) b += x;
      b /= count;
      if (!(b > 0)) continue;
      let noise = 0;
      for (const days of baseDays) for (const x of days) noise += (x - b) ** 2;
      found.push({ y: s.y.subarray(from, from + length), b, noise: noise / count });
    }
  }
  let num = 0;
  let den = 0;
  for (const { y, b } of found) {
    for (let k = 0; k < y.length; k++) {
      const r = eventRamp(k, y.length, o.rampDays);
      num += r * (y[k]! - b);
      den += b * r * r;
    }
  }
  const uplift = den > 0 ? Math.max(-0.99, num / den) : 0;
  const spread = learnSpread(found, uplift, o.rampDays);
  return Result.succeed({ uplift, occurrences: found.length, ...(spread === undefined ? {} : { spread }) });
};

/** One past window of one series usable for learning: its days' demand, baseline level and the baseline days' mean squared deviation from it. */
interface UsableWindow {
  readonly y: Float64Array;
  readonly b: number;
  readonly noise: number;
}

/**
 * The spread exponent e in [0, 2] with `Σ m^{2e}·noise = Σ (y − b·m)²` over the windows' days
 * (`m = 1 + uplift·ramp`; the left side is monotone in e because every m lies on the same side of
 * 1), undefined when no day has m ≠ 1 or nothing deviates.
 */
const learnSpread = (found: ReadonlyArray<UsableWindow>, uplift: number, rampDays: number): number | undefined => {
  let deviation = 0;
  let lifted = false;
  for (const { y, b, noise } of found) {
    for (let k = 0; k < y.length; k++) {
      const m = 1 + uplift * eventRamp(k, y.length, rampDays);
      deviation += (y[k]! - b * m) ** 2;
      if (m !== 1 && noise > 0) lifted = true;
    }
  }
  if (!lifted || !(deviation > 0)) return undefined;
  /** Expected minus observed squared deviation at exponent e, increasing in e. */
  const excess = (e: number): number => {
    let expected = 0;
    for (const { y, noise } of found) for (let k = 0; k < y.length; k++) expected += (1 + uplift * eventRamp(k, y.length, rampDays)) ** (2 * e) * noise;
    return uplift > 0 ? expected - deviation : deviation - expected;
  };
  let lo = 0;
  let hi = 2;
  if (excess(lo) >= 0) return lo;
  if (excess(hi) <= 0) return hi;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};

/** How quantiles widen on event days: `proportional`, `poisson` or an exponent e within [0, 2] (see {@link EventForecastOptions.spread}). */
export const EventSpreadSchema = z.union([z.literal("proportional"), z.literal("poisson"), z.number().min(0).max(2)]);

/** Options of {@link forecastWithEvents}. */
export interface EventForecastOptions extends FitOptions {
  /** Date of `y[0]`, `YYYY-MM-DD`. */
  readonly start: string;
  /** The known events, past and coming. */
  readonly events: ReadonlyArray<DemandEvent>;
  /**
   * How a quantile's distance from the mean grows with the multiplier `m`: `proportional` (default;
   * × m, uncertainty in the level), `poisson` (× √m, count demand whose variance grows with its
   * mean), or an exponent e within [0, 2] (× m^e, e.g. {@link LearnedEventUplift.spread}).
   */
  readonly spread?: "proportional" | "poisson" | number;
  /**
   * The weekly shape of demand ({@link learnWeekdayProfile}), divided out of the history and
   * multiplied into the forecast with the events (and widening the quantiles as they do); none by
   * default.
   */
  readonly weekdayProfile?: WeekdayProfile;
}

/**
 * Forecasts `h` days after `y` with `model` fitted on the base demand (`y` ÷ its event
 * multipliers), then multiplies the mean of each forecast day by that day's multiplier `m` and
 * each quantile's distance from the mean by `m` (or `√m`, `spread: "poisson"`, or `m^e`,
 * `spread: e`); with a `weekdayProfile`, its factors are multipliers too. Fails with
 * {@link InvalidInput} on malformed events, dates, spread or profile, or with the model's error.
 */
export const forecastWithEvents = (
  model: ForecastModel,
  y: Float64Array,
  h: number,
  levels: ReadonlyArray<number>,
  options: EventForecastOptions,
): Result.Result<Forecast, InvalidInput | ForecastError> => {
  const parsed = parseInput(
    z.strictObject({ spread: EventSpreadSchema.default("proportional"), weekdayProfile: WeekdayProfileSchema.optional() }),
    { spread: options.spread, weekdayProfile: options.weekdayProfile },
    "event forecast",
  );
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const spread = parsed.success.spread;
  const exponent = spread === "poisson" ? 0.5 : spread === "proportional" ? 1 : spread;
  const m = eventMultipliers(options.events, options.start, y.length + h);
  if (Result.isFailure(m)) return Result.fail(m.failure);
  const multipliers = m.success;
  const touched = multipliers.subarray(y.length).some((x) => x !== 1); // by an event
  const weekly = parsed.success.weekdayProfile;
  if (weekly !== undefined) {
    const w = weekdayMultipliers(weekly, options.start, y.length + h);
    for (let t = 0; t < multipliers.length; t++) multipliers[t]! *= w[t]!;
  }
  const base = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) base[t] = y[t]! / multipliers[t]!;
  const fitted = model.fit(base, options.seasonLength === undefined ? {} : { seasonLength: options.seasonLength });
  if (Result.isFailure(fitted)) return Result.fail(fitted.failure);
  const f = fitted.success.forecast(h, levels);
  const future = multipliers.subarray(y.length);
  const mean = f.mean.map((x, i) => x * future[i]!);
  const widen = future.map((x) => x ** exponent);
  const quantiles = new Map<number, Float64Array>();
  for (const [p, v] of f.quantiles) quantiles.set(p, v.map((q, i) => mean[i]! + (q - f.mean[i]!) * widen[i]!));
  const label = weekly !== undefined ? `${f.model} × weekdays` : f.model;
  return Result.succeed({ mean, quantiles, model: touched ? `${label} × events` : label });
};

