import { Result } from "effect";
import { type Dec, type InvalidInput, type PostingResult, type RuleViolation, type StockLedger, type ValuedMove, ZERO, stockValueEffect } from "@jxc/core";
import type { BusinessEventInput, Entity, EventType } from "./event.js";
import type { ImpairmentAllowance } from "./impairment.js";
import type { SubLedgerEntry } from "./reconcile.js";

/** Prices, tax and counterparties of a posted document: what the stock ledger does not know. */
export interface CommercialTerms {
  readonly priceIncludesTax?: boolean;
  /** VAT rate of every line unless a line says otherwise (e.g. `"0.13"`). */
  readonly taxRate?: string;
  /** Per document line (0-based): price per document unit, tax rate, item category. */
  readonly lines?: Readonly<Record<number, { readonly unitPrice?: string; readonly taxRate?: string; readonly category?: string }>>;
  /** Purchase receipts: `false` books a 暂估入库 (the invoice has not arrived). Default true. */
  readonly invoiceReceived?: boolean;
  readonly customer?: string;
  readonly supplier?: string;
  readonly counterpartyType?: string;
  /** The document is an export (出口, declared at customs): its event carries `export: true`. */
  readonly export?: boolean;
}

/**
 * 存货跌价准备 to transfer on sale: the allowance as it stands before the posting, and the
 * entity whose books it belongs to (its standard, and the places of money).
 */
export interface AllowanceOnSale {
  readonly allowance: ImpairmentAllowance;
  readonly entity: Pick<Entity, "standard" | "moneyScale">;
}

/** The events of one posting, and the allowance left once the sale has taken its share. */
export interface PostingEvents {
  readonly events: BusinessEventInput[];
  readonly allowance: ImpairmentAllowance;
}

const eventTypeOf = (documentType: string, invoiceReceived: boolean): EventType | undefined => {
  switch (documentType) {
    case "purchase-receipt":
      return invoiceReceived ? "purchase-receipt" : "purchase-receipt-estimated";
    case "sales-outbound":
    case "sales-return":
    case "purchase-return":
    case "transfer":
    case "stocktake":
      return documentType;
    case "adjustment":
      return "stocktake";
    case "cost-adjustment":
      return "landed-cost";
    default:
      return undefined; // opening balances are entered in the general ledger directly
  }
};

/**
 * The business events of one posting of `@jxc/core` — the document's own event (with
 * `export: true` when the terms say the document is an export), plus the corrections the stock
 * ledger reported: re-valued moves (replay policy) or booked adjustments (immutable policy) as
 * `revaluation`, negative-stock true-ups and standard-cost price variances. Deriving vouchers from
 * these keeps the inventory accounts equal to the stock sub-ledger.
 *
 * Given an {@link AllowanceOnSale}, a sales outbound also transfers out the 存货跌价准备 of the
 * units sold (`ImpairmentAllowance.transferOnSale`, 借 1471 贷 6401, nothing under 小企业会计准则):
 * per item, the quantity sold is the document's, and the quantity on hand before the sale is what
 * the stock ledger holds of the item in every warehouse after it plus what it sold (a sale into
 * negative stock sells out, and takes all that is provided). The transfers
 * of one sale are one `impairment-transfer` event of its business and document, right after the
 * sale's own; the result carries the allowance left, for the next posting. A sales return gives
 * back what the original sale transferred for the units returned
 * (`ImpairmentAllowance.restoreOnReturn`): one red-letter `impairment-transfer` event after the
 * return's own.
 */
export function eventsFromPosting(ledger: StockLedger, result: PostingResult, terms?: CommercialTerms): BusinessEventInput[];
export function eventsFromPosting(
  ledger: StockLedger,
  result: PostingResult,
  terms: CommercialTerms,
  impairment: AllowanceOnSale,
): Result.Result<PostingEvents, InvalidInput | RuleViolation>;
export function eventsFromPosting(
  ledger: StockLedger,
  result: PostingResult,
  terms: CommercialTerms = {},
  impairment?: AllowanceOnSale,
): BusinessEventInput[] | Result.Result<PostingEvents, InvalidInput | RuleViolation> {
  const events: BusinessEventInput[] = [];
  let allowance = impairment?.allowance;
  /** What caused a correction: it names the correction's voucher, so a move re-valued twice gets two vouchers. */
  const cause = `${result.action}:${result.document}`;
  const posted = result.document ? ledger.document(result.document) : undefined;
  const counterparties = {
    ...(terms.customer ? { customer: terms.customer } : {}),
    ...(terms.supplier ? { supplier: terms.supplier } : {}),
    ...(terms.counterpartyType ? { counterpartyType: terms.counterpartyType } : {}),
  };
  if (posted && result.action === "post" && result.moves.length > 0) {
    const doc = posted.document;
    const type = eventTypeOf(doc.type, terms.invoiceReceived ?? true);
    if (type) {
      const lines = result.moves
        .filter((m) => !(doc.type === "transfer" && m.direction === "in"))
        .map((m) => eventLine(m, "lines" in doc ? (doc.lines[m.line] as DocumentLine | undefined) : undefined, terms, type));
      // A receipt's unit cost is net of deductible VAT: prices taken from it never include tax.
      const pricedFromCost = (type.startsWith("purchase") || type === "landed-cost") && !Object.values(terms.lines ?? {}).some((l) => l.unitPrice !== undefined);
      const priceIncludesTax = pricedFromCost ? false : (terms.priceIncludesTax ?? false);
      events.push({ type, businessId: doc.businessId, document: doc.id, at: doc.at, priceIncludesTax, ...(terms.export ? { export: true } : {}), ...counterparties, lines });
    }
    if (impairment !== undefined && allowance !== undefined && doc.type === "sales-outbound") {
      const transfer = transferOnSale(ledger, result, doc, allowance, impairment.entity);
      if (Result.isFailure(transfer)) return Result.fail(transfer.failure);
      allowance = transfer.success.allowance;
      if (transfer.success.event !== undefined) events.push(transfer.success.event);
    }
    if (impairment !== undefined && allowance !== undefined && doc.type === "sales-return") {
      const back = restoreOnReturn(ledger, result, doc, allowance, impairment.entity);
      if (Result.isFailure(back)) return Result.fail(back.failure);
      allowance = back.success.allowance;
      if (back.success.event !== undefined) events.push(back.success.event);
    }
    const corrections = result.moves.flatMap((m) => {
      const out: { type: EventType; move: ValuedMove; amount: Dec }[] = [];
      if (m.direction === "in" && m.costOfSalesDifference && !m.costOfSalesDifference.isZero()) out.push({ type: "revaluation", move: m, amount: m.costOfSalesDifference });
      // Receipts and landed costs are booked at actual: their variance moves out of stock. (An
      // adjustment's gain is booked at the standard cost the valuation gave it.)
      const bookedAtActual = type === "purchase-receipt" || type === "purchase-receipt-estimated" || type === "landed-cost";
      if (bookedAtActual && m.priceVariance && !m.priceVariance.isZero()) out.push({ type: "standard-cost-variance", move: m, amount: m.priceVariance });
      return out;
    });
    for (const c of corrections) events.push(correction(c.type, c.move, c.amount, posted.document.at, counterparties, cause));
  }
  const changes =
    result.adjustments.length > 0
      ? result.adjustments.map((a) => ({ move: ledger.move(a.move), effect: a.stockValueChange }))
      : result.costChanges.map((c) => {
          const move = ledger.move(c.move);
          const delta = c.newCost.minus(c.oldCost);
          return { move, effect: move?.direction === "out" ? delta.negated() : delta };
        });
  for (const { move, effect } of changes) {
    if (!move || effect.isZero() || move.documentType === "transfer") continue;
    events.push(correction("revaluation", move, effect.negated(), move.at, counterparties, cause));
  }
  return allowance === undefined ? events : Result.succeed({ events, allowance });
}

/** Moves of one item (and one reference) of a posting, in the order of their first move: their quantity and warehouses. */
interface MoveGroup {
  readonly item: string;
  /** What groups them besides the item (the original sale of a return; empty for a sale). */
  readonly ref: string;
  qty: Dec;
  readonly warehouses: Set<string>;
}

/** Groups the moves `refOf` keeps (a string) by item and that reference, summing their quantities. */
const groupMoves = (moves: ReadonlyArray<ValuedMove>, refOf: (m: ValuedMove) => string | undefined): MoveGroup[] => {
  const groups = new Map<string, MoveGroup>();
  for (const m of moves) {
    const ref = refOf(m);
    if (ref === undefined) continue;
    const key = `${ref}\u0000${m.item}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { item: m.item, ref, qty: m.qty, warehouses: new Set([m.warehouse]) });
    else {
      g.qty = g.qty.plus(m.qty);
      g.warehouses.add(m.warehouse);
    }
  }
  return [...groups.values()];
};

/** The warehouse of a group when all its moves are in one. */
const warehouseOf = (g: MoveGroup): { warehouse?: string } => (g.warehouses.size === 1 ? { warehouse: [...g.warehouses][0]! } : {});

/** One `impairment-transfer` event of the document with these lines, or none without lines. */
const allowanceEvent = (doc: PostedHeader, lines: BusinessEventInput["lines"]): BusinessEventInput | undefined =>
  lines.length === 0 ? undefined : { type: "impairment-transfer", businessId: doc.businessId, document: doc.id, at: doc.at, lines };

/** The header of the posted document an allowance event belongs to. */
interface PostedHeader {
  readonly id: string;
  readonly businessId: string;
  readonly at: string;
}

/** What a posting does to the allowance: the allowance after it, and the event that books it. */
type AllowanceStep = Result.Result<{ allowance: ImpairmentAllowance; event?: BusinessEventInput | undefined }, InvalidInput | RuleViolation>;

/**
 * The allowance a sale transfers out, item by item in the order the sale first moves them, as
 * one `impairment-transfer` event (none when nothing is transferred).
 */
const transferOnSale = (ledger: StockLedger, result: PostingResult, doc: PostedHeader, allowance: ImpairmentAllowance, entity: Pick<Entity, "standard" | "moneyScale">): AllowanceStep => {
  let left = allowance;
  const lines: BusinessEventInput["lines"] = [];
  for (const g of groupMoves(result.moves, (m) => (m.direction === "out" ? "" : undefined))) {
    const after = ledger.balance({ item: g.item });
    if (Result.isFailure(after)) return Result.fail(after.failure);
    const before = after.success.qty.plus(g.qty);
    const onHand = before.lt(g.qty) ? g.qty : before;
    const taken = left.transferOnSale(
      { item: g.item, ...warehouseOf(g), businessId: doc.businessId, document: doc.id, at: doc.at, qtySold: g.qty.toString(), qtyOnHand: onHand.toString() },
      entity,
    );
    if (Result.isFailure(taken)) return Result.fail(taken.failure);
    left = taken.success.allowance;
    for (const line of taken.success.transfer.event?.lines ?? []) lines.push(line);
  }
  return Result.succeed({ allowance: left, event: allowanceEvent(doc, lines) });
};

/**
 * The allowance a sales return gives back, per original sale and item in the order the return
 * first moves them, as one red-letter `impairment-transfer` event (none when nothing comes back).
 */
const restoreOnReturn = (ledger: StockLedger, result: PostingResult, doc: PostedHeader, allowance: ImpairmentAllowance, entity: Pick<Entity, "standard" | "moneyScale">): AllowanceStep => {
  let left = allowance;
  const lines: BusinessEventInput["lines"] = [];
  const saleOf = (m: ValuedMove) => (m.direction === "in" && m.source.type === "sales-return" ? ledger.move(m.source.of)?.document : undefined);
  for (const g of groupMoves(result.moves, saleOf)) {
    const back = left.restoreOnReturn(
      { item: g.item, ...warehouseOf(g), businessId: doc.businessId, document: doc.id, at: doc.at, saleDocument: g.ref, qtyReturned: g.qty.toString() },
      entity,
    );
    if (Result.isFailure(back)) return Result.fail(back.failure);
    left = back.success.allowance;
    for (const line of back.success.restoration.event?.lines ?? []) lines.push(line);
  }
  return Result.succeed({ allowance: left, event: allowanceEvent(doc, lines) });
};

type DocumentLine = { qty?: Dec; unit?: string; price?: Dec; unitCost?: Dec };

const eventLine = (m: ValuedMove, docLine: DocumentLine | undefined, terms: CommercialTerms, type: EventType) => {
  const lineTerms = terms.lines?.[m.line] ?? {};
  const taxRate = lineTerms.taxRate ?? terms.taxRate ?? "0";
  const base = { item: m.item, warehouse: m.warehouse, cost: m.cost.toString(), taxRate, ...(lineTerms.category ? { category: lineTerms.category } : {}) };
  switch (type) {
    case "purchase-receipt":
    case "purchase-receipt-estimated": {
      const unitPrice = lineTerms.unitPrice ?? (m.source.type === "unit-cost" ? m.source.unitCost.toString() : undefined);
      return { ...base, qty: m.qty.toString(), ...(unitPrice ? { unitPrice } : {}) };
    }
    case "sales-outbound":
    case "sales-return": {
      const price = lineTerms.unitPrice ?? docLine?.price?.toString();
      const qty = lineTerms.unitPrice !== undefined || docLine?.price !== undefined ? (docLine?.qty ?? m.qty).toString() : m.qty.toString();
      return { ...base, qty, ...(price ? { unitPrice: price } : {}) };
    }
    case "purchase-return":
      return { ...base, qty: m.qty.toString(), unitPrice: lineTerms.unitPrice ?? (m.qty.isZero() ? "0" : m.cost.dividedBy(m.qty).toString()) };
    case "stocktake":
      return { ...base, qty: (m.direction === "out" ? m.qty.negated() : m.qty).toString() };
    case "landed-cost": {
      // Under standard cost the whole charge is a price variance: booked into stock here, then
      // moved to 材料成本差异 by the standard-cost-variance correction.
      const variance = m.priceVariance ?? ZERO;
      return { ...base, cost: m.cost.plus(variance).toString(), amount: m.cost.plus(m.costOfSalesDifference ?? ZERO).plus(variance).toString() };
    }
    default:
      return { ...base, qty: m.qty.toString() };
  }
};

const correction = (type: EventType, move: ValuedMove, amount: Dec, at: string, counterparties: object, cause: string): BusinessEventInput => ({
  type,
  businessId: move.businessId,
  document: `${move.id}~${type}~${cause}`,
  at,
  ...counterparties,
  lines: [{ item: move.item, warehouse: move.warehouse, amount: amount.toString() }],
});

/** The stock sub-ledger of a `@jxc/core` ledger as value changes per warehouse and business (for {@link reconcileInventory}). */
export const subLedgerEntries = (ledger: StockLedger): SubLedgerEntry[] => {
  const entries: SubLedgerEntry[] = ledger.moves().map((m) => ({ businessId: m.businessId, document: m.document, warehouse: m.warehouse, value: stockValueEffect(m.direction, m) }));
  for (const a of ledger.bookedAdjustments()) {
    const m = ledger.move(a.move);
    if (m) entries.push({ businessId: a.businessId, document: a.document, warehouse: m.warehouse, value: a.stockValueChange });
  }
  return entries;
};
