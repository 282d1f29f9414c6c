import { type Dec, ZERO } from "@jxc/core";
import type { EventType } from "./event.js";
import { inRange, placesOf, unitsOfDec } from "./fixed-units.js";
import type { SelectionExplanation } from "./template.js";

/** One line of a voucher (凭证分录). A red-letter (红字) line keeps its side with a negative amount. */
export interface VoucherLine {
  readonly account: string;
  readonly side: "debit" | "credit";
  readonly amount: Dec;
  /** Auxiliary dimensions (辅助核算): customer, supplier, warehouse, project, department, item. */
  readonly auxiliaries: Readonly<Record<string, string>>;
  readonly summary?: string | undefined;
}

/** A voucher (会计凭证) derived from a business event. Immutable once derived; corrected by reversal. */
export interface Voucher {
  readonly id: string;
  /** The business ID shared with the documents, invoices and payments of the business. */
  readonly businessId: string;
  readonly document?: string | undefined;
  readonly event: EventType;
  /** Which voucher of the template (e.g. `main`, `cost`). */
  readonly kind: string;
  readonly template: string;
  readonly entity: string;
  /** The business instant and its date in the entity's zone. */
  readonly at: string;
  readonly date: string;
  readonly lines: ReadonlyArray<VoucherLine>;
  /** Which rule condition (`when.rule`) chose the template, explained; absent for a template without a rule. */
  readonly selection?: SelectionExplanation | undefined;
  /** The voucher this one reverses (红冲), if any. */
  readonly reverses?: string | undefined;
}

/** Debit and credit totals of a voucher. */
export const voucherTotals = (voucher: Voucher): { debit: Dec; credit: Dec } => {
  let debit = ZERO;
  let credit = ZERO;
  for (const line of voucher.lines) {
    if (line.side === "debit") debit = debit.plus(line.amount);
    else credit = credit.plus(line.amount);
  }
  return { debit, credit };
};

/**
 * Whether debits equal credits exactly. Amounts of at most 8 places are added as integers of
 * their smallest place (no decimal built); anything else in decimal.js, with the same answer.
 */
export const isBalanced = (voucher: Voucher): boolean => {
  const lines = voucher.lines;
  let scale = 0;
  for (let i = 0; i < lines.length; i++) {
    const places = placesOf(lines[i]!.amount);
    if (places > scale) scale = places;
  }
  if (scale <= 8) {
    let debit = 0;
    let credit = 0;
    let exact = true;
    for (let i = 0; i < lines.length && exact; i++) {
      const line = lines[i]!;
      const units = unitsOfDec(line.amount, scale);
      if (line.side === "debit") debit += units;
      else credit += units;
      exact = inRange(debit) && inRange(credit);
    }
    if (exact) return debit === credit;
  }
  const { debit, credit } = voucherTotals(voucher);
  return debit.eq(credit);
};

/**
 * The red-letter reversal (红字冲销) of a voucher: the same lines with negated amounts on the same
 * sides, linked to the original. Together they net every account to zero.
 */
export const reverseVoucher = (voucher: Voucher, options: { readonly id?: string; readonly at?: string; readonly date?: string } = {}): Voucher => ({
  ...voucher,
  id: options.id ?? `${voucher.id}~reversal`,
  at: options.at ?? voucher.at,
  date: options.date ?? voucher.date,
  reverses: voucher.id,
  lines: voucher.lines.map((l) => ({ ...l, amount: l.amount.negated() })),
});
