/**
 * The weekly shape of demand (周内分布): retail sells more at weekends, and a lead time that takes
 * in a Saturday and a Sunday needs more stock than one of three weekdays. A forecast model that
 * sees no week (a window average, simple exponential smoothing) spreads the weekend over every
 * day: it orders too little before weekends and too much before weekdays, and counts the weekly
 * swing as noise, widening every quantile.
 *
 * {@link learnWeekdayProfile} reads the shape pooled over a group of series (a store, a category
 * — the caller chooses the group, so that slow movers borrow the shape of the group instead of
 * reading it from a handful of sales): for each ISO weekday, the mean demand per series-day on
 * that weekday over the mean demand per series-day, normalised so that the seven factors average
 * 1. {@link weekdayMultipliers} gives the factor of every date; `forecastWithEvents` divides the
 * history by it with the events and multiplies it back into the forecast.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { IsoDateSchema, epochDayOf } from "../calendar.js";
import type { DatedSeries } from "./event-uplift.js";

/** Demand factors by ISO weekday: index 0 = Monday … 6 = Sunday, each > 0, averaging 1. */
export const WeekdayProfileSchema = z.array(z.number().positive().finite()).length(7);

/** A {@link WeekdayProfileSchema} value. */
export type WeekdayProfile = ReadonlyArray<number>;

/** The ISO weekday index (0 = Monday … 6 = Sunday) of an epoch day (1970-01-01 was a Thursday). */
const weekdayIndex = (epochDay: number): number => (((epochDay + 3) % 7) + 7) % 7;

/**
 * The weekday profile pooled over `history` (see the module description), from the last `days`
 * days of each series (default all). Every factor is 1 when the history has no demand, and a
 * weekday without any day or demand gets the smallest factor found among the others (never 0,
 * so that dividing by it stays finite). Fails with {@link InvalidInput} on malformed history.
 */
export const learnWeekdayProfile = (
  history: ReadonlyArray<DatedSeries>,
  options: { readonly days?: number } = {},
): Result.Result<WeekdayProfile, InvalidInput> => {
  const parsed = parseInput(
    z.strictObject({
      history: z.array(z.strictObject({ start: IsoDateSchema, y: z.instanceof(Float64Array) })),
      options: z.strictObject({ days: z.number().int().min(1).optional() }),
    }),
    { history, options },
    "weekday profile",
  );
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const sums = new Float64Array(7);
  const counts = new Float64Array(7);
  for (const s of history) {
    const first = epochDayOf(s.start);
    for (let t = Math.max(0, s.y.length - (options.days ?? s.y.length)); t < s.y.length; t++) {
      const y = s.y[t]!;
      if (!Number.isFinite(y)) continue;
      const w = weekdayIndex(first + t);
      sums[w]! += y;
      counts[w]!++;
    }
  }
  const rates = Array.from(sums, (x, w) => (counts[w]! > 0 ? x / counts[w]! : 0));
  const positive = rates.filter((r) => r > 0);
  if (positive.length === 0) return Result.succeed([1, 1, 1, 1, 1, 1, 1]);
  const floor = Math.min(...positive);
  const filled = rates.map((r) => (r > 0 ? r : floor));
  const mean = filled.reduce((a, r) => a + r, 0) / 7;
  return Result.succeed(filled.map((r) => r / mean));
};

/** The factor of each date from `start` for `days` days under `profile` (index 0 = Monday). */
export const weekdayMultipliers = (profile: WeekdayProfile, start: string, days: number): Float64Array => {
  const first = epochDayOf(start);
  return Float64Array.from({ length: days }, (_, t) => profile[weekdayIndex(first + t)]!);
};
