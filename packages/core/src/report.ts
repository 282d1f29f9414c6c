import { Result } from "effect";
import { type Dec, ZERO } from "./decimal.js";
import type { StockDocumentInput } from "./document.js";
import { StockLedger } from "./ledger.js";
import { stockValueEffect, type ValuedMove } from "./move.js";

/** The invariants the report checks. */
export type InvariantName =
  | "quantity-conservation"
  | "value-conservation"
  | "zero-quantity-zero-value"
  | "no-negative-stock"
  | "non-negative-average-cost"
  | "transfer-changes-no-total"
  | "recompute-equals-incremental";

/** One broken invariant, naming where. */
export interface InvariantViolation {
  readonly invariant: InvariantName;
  readonly position?: string | undefined;
  readonly move?: string | undefined;
  readonly message: string;
}

/** What {@link invariantReport} found. */
export interface InvariantReport {
  readonly ok: boolean;
  readonly positions: number;
  readonly moves: number;
  readonly violations: ReadonlyArray<InvariantViolation>;
}

/** Options of {@link invariantReport}. */
export interface InvariantReportOptions {
  /** Also rebuild the ledger from scratch (documents in business-time order) and compare every cost and balance. Default true. */
  readonly recompute?: boolean;
}


/** Change of a position's book quantity caused by a move. */
export const bookQtyChange = (m: ValuedMove): Dec => (m.direction === "out" ? m.qty.negated() : m.direction === "in" ? m.qty : ZERO);

/**
 * The ledger invariant report an operator runs over a real ledger. From the valued moves alone it
 * re-adds every position in ledger order and checks, after every move: quantity and value
 * conservation (opening + in − out = closing, to the cent), zero quantity ⇒ zero value, no
 * negative on-hand under the `reject` policy, no negative average cost; that every transfer
 * moves out exactly the value it moves in; and (optionally) that rebuilding the ledger from its
 * documents in business-time order gives the same cost for every move and the same balances.
 */
export const invariantReport = (ledger: StockLedger, options: InvariantReportOptions = {}): InvariantReport => {
  const violations: InvariantViolation[] = [];
  const moves = ledger.moves();
  const balances = Result.getOrThrow(ledger.balances());
  const running = new Map<string, { qty: Dec; value: Dec }>();
  const book = ledger.settings.backdating === "immutable";
  const adjustmentsByPosition = new Map<string, Dec>();
  if (book) for (const a of ledger.bookedAdjustments()) adjustmentsByPosition.set(a.position, (adjustmentsByPosition.get(a.position) ?? ZERO).plus(a.stockValueChange));

  for (const m of moves) {
    const r = running.get(m.position) ?? { qty: ZERO, value: ZERO };
    r.qty = r.qty.plus(bookQtyChange(m));
    r.value = r.value.plus(stockValueEffect(m.direction, m));
    running.set(m.position, r);
    if (book) continue; // booked costs plus adjustments only add up at the end
    if (r.qty.isZero() && !r.value.isZero())
      violations.push({ invariant: "zero-quantity-zero-value", position: m.position, move: m.id, message: `${m.position} holds ${r.value} at zero quantity after ${m.id}` });
    if (ledger.settings.negativeStock === "reject" && r.qty.isNegative())
      violations.push({ invariant: "no-negative-stock", position: m.position, move: m.id, message: `${m.position} is at ${r.qty} after ${m.id}` });
    if (r.qty.gt(0) && r.value.isNegative())
      violations.push({ invariant: "non-negative-average-cost", position: m.position, move: m.id, message: `${m.position} has ${r.qty} units worth ${r.value} after ${m.id}` });
  }
  for (const b of balances) {
    const r = running.get(b.position) ?? { qty: ZERO, value: ZERO };
    const value = r.value.plus(adjustmentsByPosition.get(b.position) ?? ZERO);
    if (!r.qty.eq(b.qty))
      violations.push({ invariant: "quantity-conservation", position: b.position, message: `${b.position}: moves add up to ${r.qty}, the balance says ${b.qty}` });
    if (!value.eq(b.value))
      violations.push({ invariant: "value-conservation", position: b.position, message: `${b.position}: moves add up to ${value}, the balance says ${b.value}` });
  }
  const transfers = new Map<string, Dec>();
  for (const m of moves) {
    if (m.documentType !== "transfer") continue;
    const key = `${m.document}#${m.line}`;
    transfers.set(key, (transfers.get(key) ?? ZERO).plus(m.direction === "out" ? m.cost : m.cost.negated()));
  }
  for (const [line, diff] of transfers)
    if (!diff.isZero()) violations.push({ invariant: "transfer-changes-no-total", move: line, message: `transfer ${line} moves out ${diff} more than it moves in` });

  if ((options.recompute ?? true) && !book) violations.push(...compareWithRecomputed(ledger));
  return { ok: violations.length === 0, positions: balances.length, moves: moves.length, violations };
};

/**
 * The documents of a ledger as they would be posted into a fresh one: in business-time order
 * (arrival order for ties), stocktakes replaced by the adjustments they booked (a count
 * difference is fixed when the count is posted).
 */
export const documentsForRebuild = (ledger: StockLedger): StockDocumentInput[] => {
  const posted = ledger.documentIds().map((id, arrival) => ({ arrival, posted: ledger.document(id)! }));
  posted.sort((a, b) => Date.parse(a.posted.document.at) - Date.parse(b.posted.document.at) || a.arrival - b.arrival);
  return posted.flatMap(({ posted: { document, input, moves } }): StockDocumentInput[] => {
    if (document.type !== "stocktake") return [input];
    if (moves.length === 0) return [];
    return [{
      id: document.id,
      businessId: document.businessId,
      at: document.at,
      type: "adjustment",
      reason: "stocktake",
      lines: moves.map((m) => ({
        item: m.item,
        warehouse: m.warehouse,
        ...(m.location ? { location: m.location } : {}),
        ...(m.lot ? { lot: m.lot } : {}),
        qty: (m.direction === "out" ? m.qty.negated() : m.qty).toString(),
      })),
    }];
  });
};

/** Rebuilds the ledger from scratch and lists every move cost or balance that differs. */
const compareWithRecomputed = (ledger: StockLedger): InvariantViolation[] => {
  const violations: InvariantViolation[] = [];
  const fresh = StockLedger.create(ledger.configuration());
  if (Result.isFailure(fresh)) return [{ invariant: "recompute-equals-incremental", message: `cannot rebuild: ${fresh.failure.message}` }];
  const rebuilt = fresh.success;
  for (const doc of documentsForRebuild(ledger)) {
    const r = rebuilt.post(doc);
    if (Result.isFailure(r)) {
      violations.push({ invariant: "recompute-equals-incremental", move: doc.id, message: `rebuilding refuses ${doc.id}: ${r.failure.message}` });
      return violations;
    }
  }
  if (ledger.closedPeriod) rebuilt.closePeriod(ledger.closedPeriod);
  for (const m of ledger.moves()) {
    const other = rebuilt.move(m.id);
    if (!other || !other.cost.eq(m.cost))
      violations.push({
        invariant: "recompute-equals-incremental",
        position: m.position,
        move: m.id,
        message: `${m.id} costs ${m.cost} incrementally, ${other ? other.cost.toString() : "nothing"} recomputed`,
      });
  }
  const expected = Result.getOrThrow(rebuilt.balances());
  const actual = Result.getOrThrow(ledger.balances());
  const byKey = new Map(expected.map((b) => [b.position, b]));
  for (const b of actual) {
    const e = byKey.get(b.position);
    if (!e || !e.qty.eq(b.qty) || !e.value.eq(b.value))
      violations.push({
        invariant: "recompute-equals-incremental",
        position: b.position,
        message: `${b.position} is ${b.qty} / ${b.value} incrementally, ${e ? `${e.qty} / ${e.value}` : "absent"} recomputed`,
      });
  }
  return violations;
};
