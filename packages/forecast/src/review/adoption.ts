/**
 * Adoption rate of replenishment suggestions over time (采纳率): per period (day, ISO week or
 * month, in the tenant's time zone) and optionally per reviewer, category or warehouse, the
 * number of reviewed suggestions and how many were accepted as suggested, accepted with a changed
 * quantity, and rejected.
 *
 * - `acceptedRate` = accepted ÷ reviewed, `changedRate` = accepted-with-change ÷ reviewed,
 *   `adoptionRate` = (accepted + accepted-with-change) ÷ reviewed — each in [0, 1] (statistics,
 *   float64).
 * - Each reviewed suggestion counts once, with its decision in force (a revision replaces the
 *   earlier decision), in the period of that decision's time and under its reviewer.
 * - Suggestions without a category are grouped under `(none)`.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { format } from "date-fns";
import { TZDate } from "@date-fns/tz";
import { parseInput, type InvalidInput } from "@jxc/core";
import type { ReviewLog } from "./review.js";

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** The length of a reporting period. */
export type ReportingPeriod = "day" | "week" | "month";

/**
 * Options of {@link adoptionRates}: period (default `month`), grouping (default `none`), IANA
 * time zone of the periods (default `Asia/Shanghai`), and an optional half-open window
 * `[from, to)` of decision times.
 */
export const AdoptionOptionsSchema = z.strictObject({
  period: z.enum(["day", "week", "month"]).default("month"),
  by: z.enum(["none", "reviewer", "category", "warehouse"]).default("none"),
  timeZone: z.string().refine(isTimeZone, "must be an IANA time zone such as Asia/Shanghai").default("Asia/Shanghai"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
/** An {@link AdoptionOptionsSchema} input. */
export type AdoptionOptions = z.input<typeof AdoptionOptionsSchema>;

/** Adoption figures of one period (and group). */
export interface AdoptionRow {
  /** The period: `2026-01-05` (day), `2026-W02` (ISO week) or `2026-01` (month). */
  readonly period: string;
  /** The reviewer, category or warehouse; `undefined` when not grouped. */
  readonly group?: string | undefined;
  /** Suggestions reviewed. */
  readonly reviewed: number;
  /** Accepted as suggested. */
  readonly accepted: number;
  /** Accepted with a changed quantity. */
  readonly acceptedWithChange: number;
  /** Rejected. */
  readonly rejected: number;
  /** accepted ÷ reviewed. */
  readonly acceptedRate: number;
  /** acceptedWithChange ÷ reviewed. */
  readonly changedRate: number;
  /** (accepted + acceptedWithChange) ÷ reviewed — the adoption rate (采纳率). */
  readonly adoptionRate: number;
}

/** The period key of an instant in a time zone. */
export const periodKey = (instant: string, period: ReportingPeriod, timeZone: string): string => {
  const date = new TZDate(Date.parse(instant), timeZone);
  return format(date, period === "day" ? "yyyy-MM-dd" : period === "week" ? "RRRR-'W'II" : "yyyy-MM");
};

/**
 * Adoption rates of a review log per period (and group), sorted by period then group. Fails with
 * `InvalidInput` on malformed options.
 */
export const adoptionRates = (log: ReviewLog, options: AdoptionOptions = {}): Result.Result<ReadonlyArray<AdoptionRow>, InvalidInput> => {
  const parsed = parseInput(AdoptionOptionsSchema, options, "adoption options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const opts = parsed.success;
  const from = opts.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(opts.from);
  const to = opts.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(opts.to);
  const counts = new Map<string, { period: string; group: string | undefined; accepted: number; changed: number; rejected: number }>();
  for (const review of log.reviews.values()) {
    const d = review.decision;
    const t = Date.parse(d.at);
    if (t < from || t >= to) continue;
    const period = periodKey(d.at, opts.period, opts.timeZone);
    const group =
      opts.by === "none"
        ? undefined
        : opts.by === "reviewer"
          ? d.reviewer
          : opts.by === "category"
            ? (review.suggestion.category ?? "(none)")
            : review.suggestion.warehouse;
    const key = JSON.stringify([period, group ?? null]);
    let c = counts.get(key);
    if (c === undefined) {
      c = { period, group, accepted: 0, changed: 0, rejected: 0 };
      counts.set(key, c);
    }
    if (d.action === "accept") c.accepted++;
    else if (d.action === "change") c.changed++;
    else c.rejected++;
  }
  const rows = [...counts.values()].map((c): AdoptionRow => {
    const reviewed = c.accepted + c.changed + c.rejected;
    return {
      period: c.period,
      ...(c.group === undefined ? {} : { group: c.group }),
      reviewed,
      accepted: c.accepted,
      acceptedWithChange: c.changed,
      rejected: c.rejected,
      acceptedRate: c.accepted / reviewed,
      changedRate: c.changed / reviewed,
      adoptionRate: (c.accepted + c.changed) / reviewed,
    };
  });
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => cmp(a.period, b.period) || cmp(a.group ?? "", b.group ?? ""));
  return Result.succeed(rows);
};
