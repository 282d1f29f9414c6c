import { Result } from "effect";
import { type Dec, ZERO, sumDecimals } from "./decimal.js";
import type { StockDocument } from "./document.js";
import { type LedgerError, RuleViolation, UnknownReference } from "./errors.js";
import { type Item, toBaseQuantity } from "./item.js";
import { ISSUE, type MoveCostSource, type MoveDirection, type StockMove } from "./move.js";
import type { Warehouse } from "./warehouse.js";

/** What turning a document into moves needs to know about the ledger and the master data. */
export interface PostingLookup {
  /** An item of the master data. */
  item(id: string): Item | undefined;
  /** A warehouse of the master data. */
  warehouse(id: string): Warehouse | undefined;
  /** The move posted for a line of an earlier document. */
  moveOfLine(document: string, line: number): StockMove | undefined;
  /** Base quantity already returned against a move (by sales or purchase returns). */
  returnedQty(moveId: string): Dec;
  /** Book quantity of an item at a place (and lot) just after `atMs`, for stocktakes. */
  bookQtyAt(item: string, warehouse: string, location: string | undefined, lot: string | undefined, atMs: number): Dec;
}

/** Shared cost source (immutable) of stocktake gains; issues share {@link ISSUE}. */
const AT_CURRENT_COST: MoveCostSource = Object.freeze({ type: "current-cost" });

/** The id of the move posted for line `line` of document `document`. */
export const moveIdOf = (document: string, line: number): string => `${document}#${line}`;

interface Place {
  readonly warehouse: string;
  readonly location?: string | undefined;
}

/**
 * Turns a validated document into its stock moves (base units), checking every reference:
 * items, units, warehouses and locations, lots and serials, the original lines of returns.
 * Pure: the ledger state is read through `lookup`.
 */
export const documentToMoves = (doc: StockDocument, lookup: PostingLookup): Result.Result<StockMove[], LedgerError> => {
  const moves: StockMove[] = [];
  const atMs = Date.parse(doc.at);

  const itemAt = (id: string, path: string): Item | UnknownReference =>
    lookup.item(id) ?? new UnknownReference({ kind: "item", ref: id, path, message: `${path}: unknown item ${id}` });

  const checkPlace = (place: Place, path: string): UnknownReference | undefined => {
    const wh = lookup.warehouse(place.warehouse);
    if (!wh) return new UnknownReference({ kind: "warehouse", ref: place.warehouse, path: `${path}.warehouse`, message: `${path}.warehouse: unknown warehouse ${place.warehouse}` });
    if (place.location !== undefined && !wh.locations.some((l) => l.id === place.location))
      return new UnknownReference({
        kind: "location",
        ref: place.location,
        path: `${path}.location`,
        message: `${path}.location: warehouse ${place.warehouse} has no location ${place.location}`,
      });
    return undefined;
  };

  const checkTracking = (item: Item, qty: Dec, lot: string | undefined, serials: ReadonlyArray<string> | undefined, path: string) => {
    if (item.lotTracked && lot === undefined) return new RuleViolation({ path: `${path}.lot`, message: `${path}.lot: item ${item.id} is lot-tracked; the lot is required` });
    if (item.serialTracked) {
      if (!serials || !qty.eq(serials.length))
        return new RuleViolation({ path: `${path}.serials`, message: `${path}.serials: item ${item.id} is serial-tracked; give one serial per unit (${qty} units)` });
      if (new Set(serials).size !== serials.length) return new RuleViolation({ path: `${path}.serials`, message: `${path}.serials: a serial number appears twice` });
    }
    return undefined;
  };

  /** A move; `item` and `warehouse` are the master data's own id strings (so later lookups compare pointers). */
  const stockMove = (
    i: number,
    id: string,
    item: string,
    warehouse: string,
    location: string | undefined,
    lot: string | undefined,
    serials: ReadonlyArray<string> | undefined,
    direction: MoveDirection,
    qty: Dec,
    source: MoveCostSource,
  ): StockMove => ({
    id,
    document: doc.id,
    documentType: doc.type,
    businessId: doc.businessId,
    line: i,
    at: doc.at,
    item,
    warehouse,
    location,
    lot,
    serials,
    direction,
    qty,
    source,
  });

  /** The item and base quantity of the last line {@link stockLine} accepted (one per call, reused). */
  const checked: { item: Item; qty: Dec; warehouse: string } = { item: undefined as unknown as Item, qty: ZERO, warehouse: "" };

  /**
   * Common checks of line `i`, which moves `qty` of an item at one place; fills `checked` with
   * the item and the base quantity, or answers what is wrong (paths are built only then).
   */
  const stockLine = (
    line: { item: string; unit?: string | undefined; lot?: string | undefined; serials?: string[] | undefined },
    qty: Dec,
    place: Place,
    i: number,
  ): LedgerError | undefined => {
    const item = lookup.item(line.item) ?? itemAt(line.item, `lines.${i}.item`);
    if (item instanceof UnknownReference) return item;
    const wh = lookup.warehouse(place.warehouse);
    if (wh === undefined || place.location !== undefined) {
      const wrong = checkPlace(place, `lines.${i}`);
      if (wrong) return wrong;
    }
    let base = qty;
    if (line.unit !== undefined && line.unit !== item.baseUnit) {
      const converted = toBaseQuantity(item, qty, line.unit, `lines.${i}.unit`);
      if (Result.isFailure(converted)) return converted.failure;
      base = converted.success;
    }
    if (item.lotTracked || item.serialTracked) {
      const tracking = checkTracking(item, base, line.lot, line.serials, `lines.${i}`);
      if (tracking) return tracking;
    }
    checked.item = item;
    checked.qty = base;
    checked.warehouse = wh!.id;
    return undefined;
  };

  const originalMove = (ref: { document: string; line: number }, expected: StockDocument["type"], item: string, qty: Dec, path: string) => {
    const original = lookup.moveOfLine(ref.document, ref.line);
    if (!original || original.documentType !== expected)
      return new UnknownReference({
        kind: `${expected} line`,
        ref: `${ref.document}#${ref.line}`,
        path: `${path}.ref`,
        message: `${path}.ref: no ${expected} line ${ref.line} in document ${ref.document}`,
      });
    if (Date.parse(original.at) > atMs)
      return new RuleViolation({ path: `${path}.ref`, message: `${path}.ref: the return is dated before ${original.id} (${original.at})` });
    if (original.item !== item) return new RuleViolation({ path: `${path}.item`, message: `${path}.item: ${item} differs from the original line's item ${original.item}` });
    const open = original.qty.minus(lookup.returnedQty(original.id));
    if (qty.gt(open))
      return new RuleViolation({ path: `${path}.qty`, message: `${path}.qty: returns ${qty} but only ${open} of ${original.id} is left to return` });
    return original;
  };

  switch (doc.type) {
    case "purchase-receipt":
    case "sales-outbound":
    case "opening-balance": {
      for (let i = 0; i < doc.lines.length; i++) {
        const line = doc.lines[i]!;
        const wrong = stockLine(line, line.qty, line, i);
        if (wrong) return Result.fail(wrong);
        const { qty, item } = checked;
        let source: MoveCostSource;
        if (doc.type === "purchase-receipt") {
          const unitCost = (line as { unitCost: Dec }).unitCost;
          const perBase = line.unit && line.unit !== item.baseUnit ? unitCost.times(line.qty).dividedBy(qty) : unitCost;
          source = { type: "unit-cost", unitCost: perBase };
        } else if (doc.type === "opening-balance") source = { type: "value", value: (line as { value: Dec }).value };
        else source = ISSUE;
        const direction = doc.type === "sales-outbound" ? "out" : "in";
        moves.push(stockMove(i, moveIdOf(doc.id, i), item.id, checked.warehouse, line.location, line.lot, line.serials, direction, qty, source));
      }
      break;
    }
    case "sales-return":
    case "purchase-return": {
      const returned = new Map<string, Dec>();
      for (let i = 0; i < doc.lines.length; i++) {
        const line = doc.lines[i]!;
        const path = `lines.${i}`;
        const wrong = stockLine(line, line.qty, line, i);
        if (wrong) return Result.fail(wrong);
        const sameDocument = returned.get(`${line.ref.document}#${line.ref.line}`) ?? ZERO;
        const expected = doc.type === "sales-return" ? "sales-outbound" : "purchase-receipt";
        const original = originalMove(line.ref, expected, line.item, checked.qty.plus(sameDocument), path);
        if (!("direction" in original)) return Result.fail(original);
        returned.set(original.id, checked.qty.plus(sameDocument));
        const source: MoveCostSource =
          doc.type === "sales-return" ? { type: "sales-return", of: original.id } : { type: "purchase-return", of: original.id };
        const direction = doc.type === "sales-return" ? "in" : "out";
        moves.push(stockMove(i, moveIdOf(doc.id, i), checked.item.id, checked.warehouse, line.location, line.lot ?? original.lot, line.serials, direction, checked.qty, source));
      }
      break;
    }
    case "transfer": {
      for (let i = 0; i < doc.lines.length; i++) {
        const line = doc.lines[i]!;
        const path = `lines.${i}`;
        const fromPlace = checkPlace(line.from, `${path}.from`);
        if (fromPlace) return Result.fail(fromPlace);
        const wrong = stockLine(line, line.qty, line.from, i);
        if (wrong) return Result.fail(wrong);
        const qty = checked.qty;
        const to = checkPlace(line.to, `${path}.to`);
        if (to) return Result.fail(to);
        if (line.from.warehouse === line.to.warehouse && line.from.location === line.to.location)
          return Result.fail(new RuleViolation({ path: `${path}.to`, message: `${path}.to: a transfer must change warehouse or location` }));
        const outId = `${moveIdOf(doc.id, i)}:out`;
        const item = checked.item.id;
        moves.push(stockMove(i, outId, item, checked.warehouse, line.from.location, line.lot, line.serials, "out", qty, ISSUE));
        const toWarehouse = lookup.warehouse(line.to.warehouse)!.id;
        moves.push(stockMove(i, `${moveIdOf(doc.id, i)}:in`, item, toWarehouse, line.to.location, line.lot, line.serials, "in", qty, { type: "transfer-in", from: outId }));
      }
      break;
    }
    case "stocktake": {
      for (let i = 0; i < doc.lines.length; i++) {
        const line = doc.lines[i]!;
        const wrong = stockLine(line, line.counted, line, i);
        if (wrong) return Result.fail(wrong);
        const book = lookup.bookQtyAt(line.item, line.warehouse, line.location, line.lot, atMs);
        const diff = checked.qty.minus(book);
        if (diff.isZero()) continue;
        const gain = diff.gt(0);
        moves.push(
          stockMove(i, moveIdOf(doc.id, i), checked.item.id, checked.warehouse, line.location, line.lot, undefined, gain ? "in" : "out", diff.abs(), gain ? AT_CURRENT_COST : ISSUE),
        );
      }
      break;
    }
    case "adjustment": {
      for (let i = 0; i < doc.lines.length; i++) {
        const line = doc.lines[i]!;
        const wrong = stockLine(line, line.qty.abs(), line, i);
        if (wrong) return Result.fail(wrong);
        const increase = line.qty.gt(0);
        const source: MoveCostSource = !increase
          ? ISSUE
          : line.unitCost
            ? { type: "unit-cost", unitCost: line.unit && line.unit !== checked.item.baseUnit ? line.unitCost.times(line.qty).dividedBy(checked.qty) : line.unitCost }
            : AT_CURRENT_COST;
        moves.push(stockMove(i, moveIdOf(doc.id, i), checked.item.id, checked.warehouse, line.location, line.lot, undefined, increase ? "in" : "out", checked.qty, source));
      }
      break;
    }
    case "cost-adjustment": {
      const receiptMoves: StockMove[] = [];
      for (let line = 0; ; line++) {
        const m = lookup.moveOfLine(doc.receipt, line);
        if (!m) break;
        receiptMoves.push(m);
      }
      if (receiptMoves.length === 0 || receiptMoves[0]!.documentType !== "purchase-receipt")
        return Result.fail(new UnknownReference({ kind: "purchase receipt", ref: doc.receipt, path: "receipt", message: `receipt: no purchase receipt ${doc.receipt}` }));
      if (Date.parse(receiptMoves[0]!.at) > atMs)
        return Result.fail(new RuleViolation({ path: "at", message: `at: the cost adjustment is dated before receipt ${doc.receipt} (${receiptMoves[0]!.at})` }));
      const amounts = allocate(doc.allocation, receiptMoves);
      if (amounts instanceof RuleViolation) return Result.fail(amounts);
      amounts.forEach((amount, i) => {
        const of = receiptMoves[i]!;
        if (amount.isZero()) return;
        moves.push(stockMove(i, moveIdOf(doc.id, i), of.item, of.warehouse, of.location, of.lot, undefined, "value", ZERO, { type: "cost-adjustment", of: of.id, amount }));
      });
      break;
    }
  }
  return Result.succeed(moves);
};

type Allocation = Extract<StockDocument, { type: "cost-adjustment" }>["allocation"];

/** Splits a cost adjustment over the receipt's lines; the last line takes the rounding residue. */
const allocate = (allocation: Allocation, receipt: StockMove[]): Dec[] | RuleViolation => {
  if (allocation.by === "lines") {
    const amounts = receipt.map(() => ZERO);
    for (const [k, l] of allocation.lines.entries()) {
      if (l.line >= receipt.length) return new RuleViolation({ path: `allocation.lines.${k}.line`, message: `allocation.lines.${k}.line: the receipt has no line ${l.line}` });
      amounts[l.line] = amounts[l.line]!.plus(l.amount);
    }
    return amounts;
  }
  const weights = receipt.map((m) =>
    allocation.by === "qty" ? m.qty : m.source.type === "unit-cost" ? m.qty.times(m.source.unitCost) : ZERO,
  );
  const total = sumDecimals(weights);
  if (total.isZero()) return new RuleViolation({ path: "allocation.by", message: `allocation.by: the receipt's lines have no ${allocation.by} to allocate by` });
  let left = allocation.amount;
  return weights.map((w, i) => {
    if (i === weights.length - 1) return left;
    const part = allocation.amount.times(w).dividedBy(total).toDecimalPlaces(2, 4);
    left = left.minus(part);
    return part;
  });
};
