import { type Dec, ZERO } from "@jxc/core";
import type { Journal } from "../journal.js";
import type { InventoryReconciliation } from "../reconcile.js";
import { type Voucher, isBalanced, voucherTotals } from "../voucher.js";

/** Vouchers whose debits and credits differ, with both totals. */
export const unbalancedVouchers = (vouchers: Iterable<Voucher>): string[] => {
  const out: string[] = [];
  for (const v of vouchers)
    if (!isBalanced(v)) {
      const t = voucherTotals(v);
      out.push(`${v.id}: debit ${t.debit} ≠ credit ${t.credit}`);
    }
  return out;
};

/** Vouchers without a business ID (every derived voucher must carry one). */
export const vouchersWithoutBusinessId = (vouchers: Iterable<Voucher>): string[] => [...vouchers].filter((v) => !v.businessId).map((v) => v.id);

/** Net amount per account over vouchers (debit − credit), omitting accounts that net to zero. */
export const netByAccount = (vouchers: Iterable<Voucher>): Map<string, Dec> => {
  const net = new Map<string, Dec>();
  for (const v of vouchers)
    for (const l of v.lines) net.set(l.account, (net.get(l.account) ?? ZERO).plus(l.side === "debit" ? l.amount : l.amount.negated()));
  for (const [k, v] of net) if (v.isZero()) net.delete(k);
  return net;
};

/**
 * Differences between the stock sub-ledger and the general ledger that a transfer inside the
 * entity does not explain: the totals must be equal, and a warehouse may differ only by
 * businesses that are transfers (which derive no voucher) — listed here otherwise.
 */
export const unexplainedDifferences = (reconciliation: InventoryReconciliation, transferBusinesses: ReadonlySet<string>): string[] => {
  const out: string[] = [];
  if (!reconciliation.subLedger.eq(reconciliation.generalLedger))
    out.push(`total: sub-ledger ${reconciliation.subLedger} ≠ general ledger ${reconciliation.generalLedger}`);
  for (const w of reconciliation.warehouses)
    for (const b of w.businesses)
      if (!transferBusinesses.has(b.businessId)) out.push(`${w.warehouse} ${b.businessId}: sub-ledger ${b.subLedger} ≠ general ledger ${b.generalLedger}`);
  return out;
};

/** The trial balance of a journal does not balance: its totals, otherwise nothing. */
export const trialBalanceProblems = (journal: Journal): string[] => {
  const tb = journal.trialBalance();
  return tb.balanced ? [] : [`trial balance: debit ${tb.debit} ≠ credit ${tb.credit}`];
};
