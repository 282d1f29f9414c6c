import { TZDate } from "@date-fns/tz";
import { addDays, differenceInCalendarDays, format } from "date-fns";
import { z } from "zod";
import { type Dec, ZERO } from "./decimal.js";
import { DateString } from "./document.js";

/** A lot (批次) of an item with its production and expiry dates. */
export const LotSchema = z.object({
  item: z.string().min(1),
  lot: z.string().min(1),
  productionDate: DateString.optional(),
  expiryDate: DateString.optional(),
});
/** A parsed {@link LotSchema}. */
export type Lot = z.output<typeof LotSchema>;

/** Quantity of one lot at one place. */
export interface LotQuantity {
  readonly item: string;
  readonly warehouse: string;
  readonly location?: string | undefined;
  readonly lot: string;
  readonly qty: Dec;
  readonly expiryDate?: string | undefined;
}

/** Expiry date from a production date and a shelf life in days. */
export const expiryFromShelfLife = (productionDate: string, shelfLifeDays: number): string =>
  format(addDays(new Date(`${productionDate}T00:00:00Z`), shelfLifeDays), "yyyy-MM-dd");

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export const businessDate = (instant: string | number, timeZone: string): string => {
  const day = new TZDate(typeof instant === "number" ? instant : Date.parse(instant), timeZone);
  return `${String(day.getFullYear()).padStart(4, "0")}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
};

/** Days from `date` until `expiryDate` (negative once expired; 0 on the expiry day). */
export const daysToExpiry = (expiryDate: string, date: string): number =>
  differenceInCalendarDays(new Date(`${expiryDate}T00:00:00Z`), new Date(`${date}T00:00:00Z`));

/** One line of a FEFO picking suggestion. */
export interface PickSuggestion {
  readonly lot: string;
  readonly warehouse: string;
  readonly location?: string | undefined;
  readonly qty: Dec;
  readonly expiryDate?: string | undefined;
}

/** The result of {@link suggestFefoPicks}: the picks, and what could not be covered. */
export interface FefoSuggestion {
  readonly picks: ReadonlyArray<PickSuggestion>;
  /** Quantity still missing after every usable lot; zero when fully covered. */
  readonly shortfall: Dec;
}

/**
 * FEFO (first-expired-first-out) picking: takes `qty` from the lots that expire first. Lots
 * already expired on `date` are skipped (they must be quarantined, not sold); lots without an
 * expiry date come last; ties go by lot code, then place, so the suggestion is deterministic.
 */
export const suggestFefoPicks = (stock: ReadonlyArray<LotQuantity>, qty: Dec, date: string): FefoSuggestion => {
  const usable = stock
    .filter((s) => s.qty.gt(0) && (s.expiryDate === undefined || s.expiryDate >= date))
    .slice()
    .sort(
      (a, b) =>
        (a.expiryDate ?? "9999-99-99").localeCompare(b.expiryDate ?? "9999-99-99") ||
        a.lot.localeCompare(b.lot) ||
        a.warehouse.localeCompare(b.warehouse) ||
        (a.location ?? "").localeCompare(b.location ?? ""),
    );
  const picks: PickSuggestion[] = [];
  let left = qty;
  for (const s of usable) {
    if (left.lte(0)) break;
    const take = left.lt(s.qty) ? left : s.qty;
    picks.push({ lot: s.lot, warehouse: s.warehouse, location: s.location, qty: take, expiryDate: s.expiryDate });
    left = left.minus(take);
  }
  return { picks, shortfall: left.gt(0) ? left : ZERO };
};

/** A shelf-life bucket: lots whose remaining days are at most `maxDays` (and above the previous bucket's). */
export interface ShelfLifeBucket {
  /** `expired`, `≤7d`, `≤30d`, `>30d`, `no-expiry` with the default bounds. */
  readonly label: string;
  readonly qty: Dec;
  readonly lots: ReadonlyArray<LotQuantity>;
}

/**
 * Groups stock by remaining shelf life as of `date`: expired (past the expiry date), then one
 * bucket per bound in `bounds` (days remaining ≤ bound), then the rest, then lots without expiry.
 */
export const groupByShelfLife = (
  stock: ReadonlyArray<LotQuantity>,
  date: string,
  bounds: ReadonlyArray<number> = [7, 30],
): ShelfLifeBucket[] => {
  const sorted = [...bounds].sort((a, b) => a - b);
  const labels = ["expired", ...sorted.map((b) => `≤${b}d`), `>${sorted.at(-1) ?? 0}d`, "no-expiry"];
  const groups = labels.map(() => [] as LotQuantity[]);
  for (const s of stock) {
    if (!s.qty.gt(0)) continue;
    if (s.expiryDate === undefined) {
      groups[labels.length - 1]!.push(s);
      continue;
    }
    const days = daysToExpiry(s.expiryDate, date);
    if (days < 0) groups[0]!.push(s);
    else {
      const k = sorted.findIndex((b) => days <= b);
      groups[k === -1 ? sorted.length + 1 : k + 1]!.push(s);
    }
  }
  return labels.map((label, i) => ({
    label,
    lots: groups[i]!,
    qty: groups[i]!.reduce((t, s) => t.plus(s.qty), ZERO),
  }));
};
