/**
 * Supplier calendars for replenishment: the weekdays a supplier takes orders and the weekdays it
 * delivers, and review days of periodic policies. Dates are calendar dates `YYYY-MM-DD`; weekdays
 * are ISO (1 = Monday … 7 = Sunday). Pure date arithmetic, no clock.
 *
 * @module
 */
import { daysBetweenDates } from "./lead-time.js";

/** The ISO weekday (1 = Monday … 7 = Sunday) of a date `YYYY-MM-DD`. */
export const isoWeekday = (date: string): number => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

/** The date `days` days after `date` (before, when negative). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Days from `date` to the first delivery day on or after `date + days`; `days` itself when the
 * supplier delivers every day (no delivery weekdays given).
 */
export const daysToDelivery = (date: string, days: number, deliveryWeekdays?: ReadonlyArray<number>): number => {
  if (deliveryWeekdays === undefined || deliveryWeekdays.length === 0) return days;
  for (let extra = 0; extra < 7; extra++) if (deliveryWeekdays.includes(isoWeekday(addDays(date, days + extra)))) return days + extra;
  return days;
};

/** Whether `date` is a review day of a periodic policy reviewing every `reviewDays` days from `anchor`. */
export const isReviewDay = (date: string, reviewDays: number, anchor: string): boolean => {
  const n = daysBetweenDates(anchor, date);
  return ((n % reviewDays) + reviewDays) % reviewDays === 0;
};
