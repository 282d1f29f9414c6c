import { TZDate } from "@date-fns/tz";
import { z } from "zod";

/** An accounting period (month), `YYYY-MM`. */
export const PeriodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "must be a month YYYY-MM" });

/**
 * Cuts instants into months of a time zone. Caches month boundaries, so that mapping an instant
 * to its period costs a comparison in the common case.
 */
export class PeriodCalendar {
  private readonly starts = new Map<string, number>();
  private lastStart = Number.POSITIVE_INFINITY;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private lastPeriod = "";

  /** @param timeZone IANA zone, e.g. `Asia/Shanghai`. */
  constructor(readonly timeZone: string) {}

  /** The period (`YYYY-MM`) of an instant given in epoch milliseconds. */
  periodOf(ms: number): string {
    if (ms >= this.lastStart && ms < this.lastEnd) return this.lastPeriod;
    const local = new TZDate(ms, this.timeZone);
    const year = local.getFullYear();
    const month = local.getMonth();
    this.lastStart = new TZDate(year, month, 1, this.timeZone).getTime();
    this.lastEnd = new TZDate(year, month + 1, 1, this.timeZone).getTime();
    this.lastPeriod = `${year}-${String(month + 1).padStart(2, "0")}`;
    return this.lastPeriod;
  }

  /** The first instant (epoch ms) of a period. */
  startOf(period: string): number {
    const cached = this.starts.get(period);
    if (cached !== undefined) return cached;
    const [y, m] = period.split("-").map(Number) as [number, number];
    const start = new TZDate(y, m - 1, 1, this.timeZone).getTime();
    this.starts.set(period, start);
    return start;
  }

  /** The first instant (epoch ms) after a period. */
  endOf(period: string): number {
    const [y, m] = period.split("-").map(Number) as [number, number];
    return new TZDate(y, m, 1, this.timeZone).getTime();
  }
}
