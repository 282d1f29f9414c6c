/**
 * Series frames: demand history in long format, as in statsforecast — one row per series and
 * date, `{ id, date, y, ...exogenous }` — validated with zod and turned into regular series.
 *
 * Numbers: model arithmetic in `@jxc/forecast` is float64 — forecasts are statistical
 * estimates, not booked quantities. The frame therefore accepts `y` (and exogenous values) as a
 * decimal string (the wire format of `@jxc/core` quantities, e.g. `"12.5"`) or a finite number,
 * and converts it to a `number` here, at the boundary. `null` marks a missing observation (NaN).
 *
 * Dates are business dates `YYYY-MM-DD` (already in the tenant's time zone); they are compared
 * as calendar dates (computed in UTC with date-fns, so no time-zone shift can occur).
 *
 * Frequencies: `daily` (consecutive days), `weekly` (7 days apart, every date on the weekday of
 * the series' first date) and `monthly` (every date the first of its month, `YYYY-MM-01`).
 *
 * Gaps: sales histories derived from stock moves have **no row on a day without sales**. With
 * `fill: "zero"` such missing periods become explicit zero-sales periods (y = 0); with
 * `fill: "missing"` they become NaN (the value is unknown, e.g. the store was closed or the
 * feed broke); with `fill: "reject"` a gap is a {@link DateGap} error naming the row after it.
 * Exogenous values of a filled period are NaN in every mode (an unknown price is not zero).
 *
 * @module
 */
import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, differenceInCalendarDays, differenceInCalendarMonths, format } from "date-fns";
import { Data, Result } from "effect";
import { parseInput, type InvalidInput } from "@jxc/core";
import { z } from "zod";

/** A decimal string such as `"12"`, `"-3.5"` or `"0.125"`. */
const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal string such as 12.5");

/** A numeric cell: a decimal string or a finite number, converted to `number`; `null` → NaN. */
const NumericCell = z
  .union([z.number(), DecimalString, z.null()])
  .transform((v): number => (v === null ? Number.NaN : Number(v)));

/** An exogenous cell: numeric as `y`, or a boolean flag (true → 1, false → 0). */
const ExogenousCell = z.union([NumericCell, z.boolean().transform((b): number => (b ? 1 : 0))]);

/**
 * One row of a series frame: the series id, the business date `YYYY-MM-DD`, the observation `y`
 * (decimal string or finite number; null = missing) and any further exogenous columns (numbers,
 * decimal strings, booleans or null), e.g. `price`, `promo`, `snap`.
 */
export const SeriesRowSchema = z
  .object({
    id: z.string().min(1),
    date: z.iso.date(),
    y: NumericCell,
  })
  .catchall(ExogenousCell);

/** A long series frame: rows of any number of series, in any order. */
export const SeriesFrameSchema = z.array(SeriesRowSchema);

/** A row as accepted by {@link toSeries} (before conversion). */
export type SeriesRowInput = z.input<typeof SeriesRowSchema>;
/** A validated row, with `y` and exogenous values as numbers. */
export type SeriesRow = z.output<typeof SeriesRowSchema>;

/** Sampling frequency of a series. */
export type Frequency = "daily" | "weekly" | "monthly";

/** What to do with a period that has no row: see the module notes. */
export type GapFill = "zero" | "missing" | "reject";

/** Options of {@link toSeries}. */
export interface ToSeriesOptions {
  readonly freq: Frequency;
  readonly fill: GapFill;
}

/** A regular series: one value per period from `start`, with aligned exogenous columns. */
export interface Series {
  readonly id: string;
  /** Date of the first period, `YYYY-MM-DD`. */
  readonly start: string;
  readonly freq: Frequency;
  readonly y: Float64Array;
  /** Exogenous column name → values aligned with `y` (NaN where unknown). */
  readonly exogenous: Record<string, Float64Array>;
  /** Indices of the periods that had no row and were filled. */
  readonly filled: ReadonlyArray<number>;
}

/** Two rows of the same series on the same date. */
export class DuplicateDate extends Data.TaggedError("DuplicateDate")<{
  readonly id: string;
  readonly date: string;
  /** Index in the frame of the first row. */
  readonly firstRow: number;
  /** Index in the frame of the duplicate row. */
  readonly row: number;
}> {}

/** Missing periods in a series when `fill: "reject"`. */
export class DateGap extends Data.TaggedError("DateGap")<{
  readonly id: string;
  /** The last date before the gap. */
  readonly after: string;
  /** The first date after the gap (the date of `row`). */
  readonly before: string;
  /** Index in the frame of the row after the gap. */
  readonly row: number;
  /** Number of missing periods. */
  readonly missing: number;
}> {}

/** A date that is not on the frequency's grid (weekly: another weekday; monthly: not the 1st). */
export class MisalignedDate extends Data.TaggedError("MisalignedDate")<{
  readonly id: string;
  readonly date: string;
  readonly freq: Frequency;
  /** Index in the frame of the row. */
  readonly row: number;
}> {}

/** Any failure of {@link toSeries}. */
export type SeriesFrameError = InvalidInput | DuplicateDate | DateGap | MisalignedDate;

const parseDate = (date: string): TZDate => {
  const [y, m, d] = date.split("-").map(Number);
  return new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, "UTC");
};

const formatDate = (date: TZDate): string => format(date, "yyyy-MM-dd");

/** Period index of `date` relative to `start`, or undefined if `date` is off the grid. */
const periodIndex = (start: TZDate, date: TZDate, freq: Frequency): number | undefined => {
  switch (freq) {
    case "daily":
      return differenceInCalendarDays(date, start);
    case "weekly": {
      const days = differenceInCalendarDays(date, start);
      return days % 7 === 0 ? days / 7 : undefined;
    }
    case "monthly":
      return date.getDate() === 1 ? differenceInCalendarMonths(date, start) : undefined;
  }
};

const periodDate = (start: TZDate, k: number, freq: Frequency): string =>
  formatDate(freq === "daily" ? addDays(start, k) : freq === "weekly" ? addDays(start, 7 * k) : addMonths(start, k));

/**
 * Validates a long frame and turns it into regular series, one per `id` (sorted by id): rows
 * are sorted by date, duplicates rejected ({@link DuplicateDate}), off-grid dates rejected
 * ({@link MisalignedDate}), gaps filled or rejected per `fill` (see the module notes). Each series
 * spans its first to its last row.
 */
export const toSeries = (
  frame: unknown,
  options: ToSeriesOptions,
): Result.Result<ReadonlyArray<Series>, SeriesFrameError> => {
  const parsed = parseInput(SeriesFrameSchema, frame, "series frame");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const rows = parsed.success;
  const byId = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const list = byId.get(row.id);
    if (list === undefined) byId.set(row.id, [index]);
    else list.push(index);
  });
  const ids = [...byId.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Series[] = [];
  for (const id of ids) {
    const indices = (byId.get(id) ?? []).slice().sort((a, b) => {
      const da = rows[a]?.date ?? "";
      const db = rows[b]?.date ?? "";
      return da < db ? -1 : da > db ? 1 : a - b;
    });
    const firstRow = rows[indices[0] ?? 0];
    if (firstRow === undefined) continue;
    const start = parseDate(firstRow.date);
    if (options.freq === "monthly" && start.getDate() !== 1) {
      return Result.fail(new MisalignedDate({ id, date: firstRow.date, freq: options.freq, row: indices[0] ?? 0 }));
    }
    const positions: { row: number; k: number }[] = [];
    let previous: { row: number; k: number; date: string } | undefined;
    for (const row of indices) {
      const r = rows[row];
      if (r === undefined) continue;
      const k = periodIndex(start, parseDate(r.date), options.freq);
      if (k === undefined) return Result.fail(new MisalignedDate({ id, date: r.date, freq: options.freq, row }));
      if (previous !== undefined) {
        if (k === previous.k) return Result.fail(new DuplicateDate({ id, date: r.date, firstRow: previous.row, row }));
        if (k > previous.k + 1 && options.fill === "reject") {
          return Result.fail(new DateGap({ id, after: previous.date, before: r.date, row, missing: k - previous.k - 1 }));
        }
      }
      positions.push({ row, k });
      previous = { row, k, date: r.date };
    }
    const length = (previous?.k ?? 0) + 1;
    const y = new Float64Array(length).fill(options.fill === "zero" ? 0 : Number.NaN);
    const present = new Uint8Array(length);
    const exogenousNames = new Set<string>();
    for (const { row } of positions) for (const key of Object.keys(rows[row] ?? {})) if (key !== "id" && key !== "date" && key !== "y") exogenousNames.add(key);
    const exogenous: Record<string, Float64Array> = {};
    for (const name of [...exogenousNames].sort()) exogenous[name] = new Float64Array(length).fill(Number.NaN);
    for (const { row, k } of positions) {
      const r = rows[row];
      if (r === undefined) continue;
      y[k] = r.y;
      present[k] = 1;
      for (const name of exogenousNames) {
        const value = r[name];
        const column = exogenous[name];
        if (column !== undefined && typeof value === "number") column[k] = value;
      }
    }
    const filled: number[] = [];
    present.forEach((p, k) => {
      if (p === 0) filled.push(k);
    });
    out.push({ id, start: formatDate(start), freq: options.freq, y, exogenous, filled });
  }
  return Result.succeed(out);
};

/** The date of period `k` (0-based) of a series, `YYYY-MM-DD`. */
export const seriesDate = (series: Pick<Series, "start" | "freq">, k: number): string =>
  periodDate(parseDate(series.start), k, series.freq);
