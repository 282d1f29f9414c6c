/**
 * Calendar arithmetic of the rule language, on plain `YYYY-MM-DD` strings (proleptic Gregorian,
 * years 0001–9999) and ISO-8601 instants. No clock: every function is pure.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;
const MS_PER_DAY = 86_400_000;
/** Day numbers of 0001-01-01 and 9999-12-31 (days since 1970-01-01). */
const FIRST_DAY = -719_162;
const LAST_DAY = 2_932_896;

const utcDays = (year: number, month: number, day: number): number => {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return Math.round(t.getTime() / MS_PER_DAY);
};

/** Whether `text` is a real calendar date `YYYY-MM-DD` between 0001-01-01 and 9999-12-31. */
export const isCalendarDate = (text: string): boolean => {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  return dateOfDayNumber(utcDays(year, month, day)) === text;
};

/** Days since 1970-01-01 of a valid calendar date. */
export const dayNumber = (date: string): number => {
  const m = DATE.exec(date)!;
  return utcDays(Number(m[1]), Number(m[2]), Number(m[3]));
};

/** The date of a day number, or `undefined` outside 0001-01-01 … 9999-12-31. */
export const dateOfDayNumber = (days: number): string | undefined => {
  if (!Number.isSafeInteger(days) || days < FIRST_DAY || days > LAST_DAY) return undefined;
  const t = new Date(days * MS_PER_DAY);
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
};

/** Whether `text` is an ISO-8601 instant with a valid date, time and offset (`Z` or `±hh:mm`). */
export const isInstantText = (text: string): boolean => {
  const m = INSTANT.exec(text);
  if (!m || !isCalendarDate(m[1]!)) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || (m[5] !== undefined && Number(m[5]) > 59)) return false;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return Number.isFinite(Date.parse(text));
};

/** Milliseconds since the epoch of a valid instant (sub-millisecond digits are ignored). */
export const instantMillis = (text: string): number => Date.parse(text);
