/**
 * Calendar features for a range of business dates: day of week, ISO week, month, day of month,
 * weekend, Chinese public holidays (法定节假日), 调休 working weekends (补班), lunar festivals,
 * days to / since Spring Festival (春节, which moves every year) and event windows (e.g. 开学季
 * from a school calendar) with lead/lag days. Every feature is a `Float64Array` column, one value
 * per date, keyed by feature name.
 *
 * Dates are business dates `YYYY-MM-DD` already in the tenant's time zone; no clock is read and
 * arithmetic is on whole calendar days (time-zone independent).
 *
 * **Data source and coverage.** Holidays, 调休 and lunar dates come from the `chinese-days`
 * package. Its official holiday schedule covers the years it ships (2004–2026 in version 1.5;
 * a year counts as covered when its 1 January carries the 元旦 holiday). For dates in an
 * uncovered year the `outsideHolidayCoverage` option decides: `"error"` (default) returns a
 * {@link HolidayDataUnavailable}; `"unknown"` sets the `holiday_known` column to 0 and the
 * holiday-derived columns (`is_public_holiday`, `is_adjusted_workday`, `is_working_day`) to `NaN`
 * — unknown, not "no holiday". Lunar dates are covered 1900–2100, so the range must lie within
 * 1901-01-01 … 2099-12-31.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import chineseDays from "chinese-days";
import { parseInput, type InvalidInput } from "@jxc/core";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or NaN when it is not a real calendar date. */
export const epochDayOf = (date: string): number => {
  const m = ISO_DATE.exec(date);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return Number.NaN;
  return ms / 86_400_000;
};

/** The `YYYY-MM-DD` date of a day number since 1970-01-01. */
export const dateOfEpochDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** A business date `YYYY-MM-DD` (a real calendar date). */
export const IsoDateSchema = z
  .string()
  .regex(ISO_DATE, "expected a date YYYY-MM-DD")
  .refine((s) => Number.isFinite(epochDayOf(s)), "not a calendar date");

/** One event of a school (or other) calendar, e.g. `{ name: "开学季", start: "2025-08-25", end: "2025-09-07" }`. */
export const CalendarEventSchema = z
  .strictObject({
    /** Feature name suffix; events sharing a name share one column. */
    name: z.string().min(1),
    /** First day of the event (inclusive). */
    start: IsoDateSchema,
    /** Last day of the event (inclusive). */
    end: IsoDateSchema,
  })
  .refine((e) => e.start <= e.end, { message: "start must not be after end", path: ["end"] });

/** One event of a school (or other) calendar. */
export type CalendarEvent = z.output<typeof CalendarEventSchema>;

/** Options of {@link calendarFeatures}. */
export const CalendarFeatureOptionsSchema = z
  .strictObject({
    /** First date of the range (inclusive), within 1901-01-01 … 2099-12-31. */
    start: IsoDateSchema,
    /** Last date of the range (inclusive), within 1901-01-01 … 2099-12-31. */
    end: IsoDateSchema,
    /** Events (e.g. 开学季 from a school calendar); each becomes / joins the column `event:<name>`. */
    events: z.array(CalendarEventSchema).default([]),
    /** Days before an event's start that already count as inside its window (anticipation); default 0. */
    eventLeadDays: z.number().int().min(0).max(366).default(0),
    /** Days after an event's end that still count as inside its window (after-effect); default 0. */
    eventLagDays: z.number().int().min(0).max(366).default(0),
    /** What to do for dates in a year without official holiday data: `"error"` (default) or `"unknown"`. */
    outsideHolidayCoverage: z.enum(["error", "unknown"]).default("error"),
  })
  .refine((o) => o.start <= o.end, { message: "start must not be after end", path: ["end"] })
  .refine((o) => o.start >= "1901-01-01" && o.end <= "2099-12-31", {
    message: "range must lie within 1901-01-01 … 2099-12-31 (lunar calendar coverage)",
    path: ["start"],
  });

/** Options of {@link calendarFeatures} as given. */
export type CalendarFeatureOptions = z.input<typeof CalendarFeatureOptionsSchema>;

/** The range includes a year without official holiday/调休 data, under `outsideHolidayCoverage: "error"`. */
export class HolidayDataUnavailable extends Data.TaggedError("HolidayDataUnavailable")<{
  /** Years of the range without holiday data. */
  readonly years: ReadonlyArray<number>;
  readonly message: string;
}> {}

/**
 * Calendar features: `dates[i]` is the date of row `i` of every column. Columns (1 = yes, 0 = no):
 *
 * - `day_of_week` (ISO, 1 = Monday … 7 = Sunday), `week_of_year` (ISO 8601 week, 1–53),
 *   `month` (1–12), `day_of_month` (1–31), `is_weekend` (Saturday or Sunday);
 * - `holiday_known` (1 when the year has official holiday data), `is_public_holiday`
 *   (a statutory holiday day off, including weekends inside a holiday block),
 *   `is_adjusted_workday` (调休补班: a Saturday/Sunday that is a working day), `is_working_day`
 *   — the last three `NaN` where `holiday_known` is 0;
 * - lunar festivals `is_spring_festival` (春节, 正月初一), `is_lantern_festival` (元宵, 正月十五),
 *   `is_qingming` (清明, the solar term day), `is_dragon_boat` (端午, 五月初五),
 *   `is_mid_autumn` (中秋, 八月十五), `is_double_ninth` (重阳, 九月初九);
 * - `days_to_spring_festival` (days until the next 春节, 0 on the day) and
 *   `days_since_spring_festival` (days since the latest 春节, 0 on the day);
 * - `event:<name>` for each event name: 1 inside `[start − lead, end + lag]` of any event of
 *   that name.
 */
export interface CalendarFeatures {
  /** The dates of the rows, `YYYY-MM-DD`, consecutive. */
  readonly dates: ReadonlyArray<string>;
  /** Feature name → one value per date. */
  readonly columns: ReadonlyMap<string, Float64Array>;
}

/** Whether `chinese-days` carries the official holiday schedule of `year` (its 1 January is 元旦). */
export const hasHolidayData = (year: number): boolean =>
  chineseDays.getDayDetail(`${String(year).padStart(4, "0")}-01-01`).name.includes("元旦");

/** Gregorian date of 春节 (lunar 正月初一) of `year`. */
export const springFestivalDate = (year: number): string =>
  chineseDays.getSolarDateFromLunar(`${year}-01-01`).date;

/** ISO 8601 week number of an epoch day. */
const isoWeek = (day: number): number => {
  const dow = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
  const thursday = day - dow + 4;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / 86_400_000;
  return Math.floor((thursday - jan1) / 7) + 1;
};

/**
 * Computes the calendar features of every date from `start` to `end` (inclusive). Invalid options
 * are an {@link InvalidInput}; a year without holiday data under the default policy is a
 * {@link HolidayDataUnavailable}.
 */
export const calendarFeatures = (
  options: CalendarFeatureOptions,
): Result.Result<CalendarFeatures, InvalidInput | HolidayDataUnavailable> => {
  const parsed = parseInput(CalendarFeatureOptionsSchema, options, "calendar feature options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const o = parsed.success;
  const first = epochDayOf(o.start);
  const last = epochDayOf(o.end);
  const n = last - first + 1;

  const firstYear = Number(o.start.slice(0, 4));
  const lastYear = Number(o.end.slice(0, 4));
  const known = new Map<number, boolean>();
  for (let y = firstYear; y <= lastYear; y++) known.set(y, hasHolidayData(y));
  const missing = [...known].filter(([, k]) => !k).map(([y]) => y);
  if (missing.length > 0 && o.outsideHolidayCoverage === "error") {
    return Result.fail(
      new HolidayDataUnavailable({
        years: missing,
        message: `no official holiday/调休 data for ${missing.join(", ")}; pass outsideHolidayCoverage: "unknown" to mark these dates unknown`,
      }),
    );
  }

  const col = (): Float64Array => new Float64Array(n);
  const names = [
    "day_of_week", "week_of_year", "month", "day_of_month", "is_weekend",
    "holiday_known", "is_public_holiday", "is_adjusted_workday", "is_working_day",
    "is_spring_festival", "is_lantern_festival", "is_qingming", "is_dragon_boat", "is_mid_autumn", "is_double_ninth",
    "days_to_spring_festival", "days_since_spring_festival",
  ] as const;
  const columns = new Map<string, Float64Array>();
  for (const name of names) columns.set(name, col());
  const c = (name: (typeof names)[number]): Float64Array => columns.get(name)!;

  const springFestivals: number[] = [];
  for (let y = firstYear - 1; y <= lastYear + 1; y++) springFestivals.push(epochDayOf(springFestivalDate(y)));
  const qingming = new Set(
    chineseDays.getSolarTerms(o.start, o.end).filter((t) => t.term === "pure_brightness").map((t) => t.date),
  );

  const dates: string[] = [];
  for (let i = 0; i < n; i++) {
    const day = first + i;
    const date = dateOfEpochDay(day);
    dates.push(date);
    const dow = ((((day + 3) % 7) + 7) % 7) + 1;
    const weekend = dow >= 6;
    c("day_of_week")[i] = dow;
    c("week_of_year")[i] = isoWeek(day);
    c("month")[i] = Number(date.slice(5, 7));
    c("day_of_month")[i] = Number(date.slice(8, 10));
    c("is_weekend")[i] = weekend ? 1 : 0;

    if (known.get(Number(date.slice(0, 4))) === true) {
      const detail = chineseDays.getDayDetail(date);
      // a holiday entry carries "English,中文,days"; plain days carry a weekday name
      const holidayEntry = detail.name.includes(",");
      c("holiday_known")[i] = 1;
      c("is_public_holiday")[i] = !detail.work && holidayEntry ? 1 : 0;
      c("is_adjusted_workday")[i] = detail.work && weekend ? 1 : 0;
      c("is_working_day")[i] = detail.work ? 1 : 0;
    } else {
      c("holiday_known")[i] = 0;
      c("is_public_holiday")[i] = Number.NaN;
      c("is_adjusted_workday")[i] = Number.NaN;
      c("is_working_day")[i] = Number.NaN;
    }

    const lunar = chineseDays.getLunarDate(date);
    const on = (mon: number, d: number): number => (!lunar.isLeap && lunar.lunarMon === mon && lunar.lunarDay === d ? 1 : 0);
    c("is_spring_festival")[i] = on(1, 1);
    c("is_lantern_festival")[i] = on(1, 15);
    c("is_dragon_boat")[i] = on(5, 5);
    c("is_mid_autumn")[i] = on(8, 15);
    c("is_double_ninth")[i] = on(9, 9);
    c("is_qingming")[i] = qingming.has(date) ? 1 : 0;

    const next = springFestivals.find((sf) => sf >= day);
    let prev: number | undefined;
    for (const sf of springFestivals) if (sf <= day) prev = sf;
    c("days_to_spring_festival")[i] = next === undefined ? Number.NaN : next - day;
    c("days_since_spring_festival")[i] = prev === undefined ? Number.NaN : day - prev;
  }

  for (const event of o.events) {
    const key = `event:${event.name}`;
    const column = columns.get(key) ?? col();
    columns.set(key, column);
    const from = epochDayOf(event.start) - o.eventLeadDays;
    const to = epochDayOf(event.end) + o.eventLagDays;
    for (let d = Math.max(from, first); d <= Math.min(to, last); d++) column[d - first] = 1;
  }

  return Result.succeed({ dates, columns });
};
