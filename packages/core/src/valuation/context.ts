import { type Dec, ZERO, decOf, roundMoney } from "../decimal.js";
import type { InsufficientStock, ValuationError } from "../errors.js";
import type { ValuationMethod } from "../item.js";
import type { StockDocument } from "../document.js";
import { ISSUE, type LayerSlice, type MoveCostSource, type MoveDirection, type MoveValuation, type StockMove, type ValuedMove } from "../move.js";
import { QTY_SCALE, fixedOf, timesFixed, unboxedInt } from "./fixed.js";

/**
 * FIFO slices of an outbound move in fixed point: flattened (qty, value, origin, lot for each
 * slice), or — for the usual single slice without a lot, whose quantity and value are the move's
 * own — just its origin.
 */
export type FixedSlices = ReadonlyArray<number | string | undefined> | string;

/** The valuation of a move not yet valued (shared, immutable). */
export const UNVALUED: MoveValuation = Object.freeze({ cost: ZERO });

/**
 * A move of the ledger as the valuation sees it: the move, where it sits, and its current
 * valuation — in fixed point (`costN`, `slicesN`) when the fixed engine valued it, else as a
 * decimal {@link MoveValuation}. `val` reads either as a decimal valuation.
 *
 * The move of a plain line — a purchase receipt, sales outbound or transfer line in base units,
 * without location, lot or serials — is not kept: it is rebuilt from the document's line when
 * read (`move`), equal field for field to the one posting built. A ledger then holds, per move,
 * this entry and the document's line, not a second copy of the line.
 */
export class Entry {
  // The fixed-point figures are integers or `undefined`, never NaN: a field that only ever holds
  // small integers and `undefined` keeps them unboxed, where NaN would box every value.
  /** Quantity at {@link QTY_SCALE} (undefined when the fixed engine cannot hold it). */
  readonly qtyN: number | undefined;
  /** Inbound value at the money scale for unit-cost and value sources (undefined otherwise). */
  readonly inN: number | undefined;
  /** Fixed-point cost at the money scale; undefined while the valuation is decimal (`general`). */
  costN: number | undefined = undefined;
  /** Fixed-point FIFO slices of an outbound move. */
  slicesN: FixedSlices | undefined = undefined;
  private general: MoveValuation = UNVALUED;
  /** The move, unless it is a plain line's (rebuilt from the document when read). */
  private readonly kept: StockMove | undefined;
  /**
   * The line, the direction and whether the move is referenced, in one small integer (one field
   * instead of three on every entry of the ledger): `line × 8 + referenced × 4 + direction`.
   */
  private bits: number;

  private constructor(
    kept: StockMove | undefined,
    line: number,
    direction: MoveDirection,
    /** The posting of the move's document (shared by its entries). */
    readonly posting: PostingStamp,
    /** Arrival number (tie-break for equal business times). */
    readonly seq: number,
    readonly position: string,
    qtyN: number,
    inN: number,
  ) {
    this.qtyN = qtyN === qtyN ? unboxedInt(qtyN) : undefined;
    this.inN = inN === inN ? unboxedInt(inN) : undefined;
    this.kept = kept;
    this.bits = line * 8 + DIRECTION_CODE[direction];
  }

  /** 0-based line of the document. */
  get line(): number {
    return (this.bits - (this.bits % 8)) / 8;
  }

  /** In, out or value only. */
  get direction(): MoveDirection {
    return DIRECTIONS[this.bits % 4]!;
  }

  /** Some move takes its cost from this one (a transfer-in, a return, a cost adjustment): re-valuing it re-values them. */
  get referenced(): boolean {
    return this.bits % 8 >= 4;
  }

  set referenced(yes: boolean) {
    if (yes !== this.referenced) this.bits += yes ? 4 : -4;
  }

  /**
   * The entry of a move at a position (`fixed`: whether the fixed engine may value it, which
   * fills `qtyN` and `inN`). A plain line's move is not kept (see {@link Entry.move}).
   */
  static ofMove(move: StockMove, posting: PostingStamp, seq: number, position: string, fixed: boolean): Entry {
    const qtyN = fixed ? fixedOf(move.qty, QTY_SCALE) : Number.NaN;
    const inN = qtyN === qtyN ? inboundFixed(move.source, move.qty, qtyN, posting.moneyScale) : Number.NaN;
    return new Entry(isPlainLine(move, posting.doc) ? undefined : move, move.line, move.direction, posting, seq, position, qtyN, inN);
  }

  /**
   * The entry of a plain line's move — the move {@link Entry.move} rebuilds from line `line` of
   * the posting's receipt, outbound or transfer (`direction` picks a transfer's side) — read
   * straight from the line, without building the move.
   */
  static ofPlainLine(posting: PostingStamp, line: number, direction: MoveDirection, seq: number, position: string): Entry {
    const l = plainLineOf(posting.doc, line);
    const qtyN = fixedOf(l.qty, QTY_SCALE);
    const inN = qtyN === qtyN && !("from" in l) && direction === "in" ? inboundUnitCost(l.unitCost, l.qty, qtyN, posting.moneyScale) : Number.NaN;
    return new Entry(undefined, line, direction, posting, seq, position, qtyN, inN);
  }

  /** The document the move was posted for. */
  get doc(): StockDocument {
    return this.posting.doc;
  }

  /** Business time in epoch milliseconds. */
  get atMs(): number {
    return this.posting.atMs;
  }

  /** Period (`YYYY-MM`) of the business time in the tenant's zone. */
  get period(): string {
    return this.posting.period;
  }

  /** Decimal places of money (the scale of `costN`). */
  get moneyScale(): number {
    return this.posting.moneyScale;
  }

  /** The move (for a plain line, built anew from the document at each read). */
  get move(): StockMove {
    return this.kept ?? plainLineMove(this.doc, this.line, this.direction);
  }

  /** The move's id, `<document>#<line>` (transfers with `:out` / `:in`). */
  get id(): string {
    return this.kept !== undefined ? this.kept.id : plainLineId(this.doc, this.line, this.direction);
  }

  /** The move's cost source. */
  get source(): MoveCostSource {
    return this.kept !== undefined ? this.kept.source : plainLineSource(this.doc, this.line, this.direction);
  }

  /** The kind of the move's cost source (without building it). */
  get sourceType(): MoveCostSource["type"] {
    if (this.kept !== undefined) return this.kept.source.type;
    return this.direction === "out" ? "issue" : this.doc.type === "transfer" ? "transfer-in" : "unit-cost";
  }

  /** The move's lot, if any. */
  get lot(): string | undefined {
    return this.kept?.lot;
  }

  /**
   * The move with a valuation, as the ledger answers it. A plain line's move is read straight from
   * its line into the answer (the same fields {@link Entry.move} gives), not built first.
   */
  valued(v: MoveValuation): ValuedMove {
    const { doc } = this.posting;
    const { line, direction } = this;
    const m = this.kept;
    const plain = m === undefined ? plainLineOf(doc, line) : undefined;
    return {
      id: m !== undefined ? m.id : plainLineId(doc, line, direction),
      document: doc.id,
      documentType: doc.type,
      businessId: doc.businessId,
      line,
      at: doc.at,
      item: m !== undefined ? m.item : plain!.item,
      warehouse: m !== undefined ? m.warehouse : plainLineWarehouse(plain!, direction),
      location: m?.location,
      lot: m?.lot,
      serials: m?.serials,
      direction,
      qty: m !== undefined ? m.qty : plain!.qty,
      source: m !== undefined ? m.source : plainLineSource(doc, line, direction),
      cost: v.cost,
      slices: v.slices,
      priceVariance: v.priceVariance,
      costOfSalesDifference: v.costOfSalesDifference,
      provisional: v.provisional,
      seq: this.seq,
      position: this.position,
    };
  }

  /** Whether the move's id is `<document>#<line>` followed by `suffix` (`""`, `":out"` or `":in"`). */
  isLine(line: number, suffix: string): boolean {
    if (this.kept !== undefined) return this.kept.line === line && this.kept.id.endsWith(`#${line}${suffix}`);
    return this.line === line && suffix === (this.doc.type !== "transfer" ? "" : this.direction === "out" ? ":out" : ":in");
  }

  /** Whether the move has been valued. */
  get isValued(): boolean {
    return this.costN !== undefined || this.general !== UNVALUED;
  }

  /** The current valuation as decimals (built from the fixed point when the fixed engine valued it). */
  get val(): MoveValuation {
    if (this.costN === undefined) return this.general;
    const cost = decOf(this.costN, this.moneyScale);
    const slices = this.slicesN;
    if (slices === undefined) return { cost };
    // one slice: the move's own quantity and cost
    if (typeof slices === "string") return { cost, slices: [{ qty: decOf(this.qtyN!, QTY_SCALE), value: cost, origin: slices, lot: undefined }] };
    return { cost, slices: decimalSlices(slices, this.moneyScale, this.qtyN!, this.costN) };
  }

  /** The current cost as a decimal (without building the rest of the valuation). */
  get cost(): Dec {
    return this.costN !== undefined ? decOf(this.costN, this.moneyScale) : this.general.cost;
  }

  /** Replaces the valuation by a decimal one. */
  set val(v: MoveValuation) {
    this.general = v;
    this.costN = undefined;
    this.slicesN = undefined;
  }

  /** Replaces the valuation by a fixed-point one. */
  setFixed(cost: number, slices: FixedSlices | undefined): void {
    this.costN = unboxedInt(cost);
    this.slicesN = slices;
    this.general = UNVALUED;
  }

  /** Whether the valuation equals a fixed-point one. */
  sameAsFixed(cost: number, slices: FixedSlices | undefined): boolean {
    if (this.costN !== undefined) return this.costN === cost && sameFixedSlices(this.slicesN, slices);
    const v = this.general;
    if (v === UNVALUED || v.priceVariance !== undefined || v.costOfSalesDifference !== undefined || v.provisional) return false;
    if (!v.cost.eq(decOf(cost, this.moneyScale))) return false;
    const mine = slices === undefined ? undefined : decimalSlices(slices, this.moneyScale, this.qtyN!, cost);
    if ((v.slices?.length ?? 0) !== (mine?.length ?? 0)) return false;
    return (v.slices ?? []).every((s, i) => s.origin === mine![i]!.origin && s.qty.eq(mine![i]!.qty) && s.value.eq(mine![i]!.value));
  }

  /** The representation of the valuation, to put back on rollback. */
  snapshot(): EntryValuation {
    return { costN: this.costN, slicesN: this.slicesN, general: this.general };
  }

  /** Puts back a representation taken by {@link Entry.snapshot}. */
  restore(s: EntryValuation): void {
    this.costN = s.costN;
    this.slicesN = s.slicesN;
    this.general = s.general;
  }
}

const DIRECTIONS: ReadonlyArray<MoveDirection> = ["in", "out", "value"];
const DIRECTION_CODE: Readonly<Record<MoveDirection, number>> = { in: 0, out: 1, value: 2 };

/**
 * What the entries of one posted document share: the document, its business time and period,
 * and the ledger's money scale — held once per document instead of once per move.
 */
export interface PostingStamp {
  readonly doc: StockDocument;
  /** Business time in epoch milliseconds. */
  readonly atMs: number;
  /** Period (`YYYY-MM`) of the business time in the tenant's zone. */
  readonly period: string;
  /** Decimal places of money. */
  readonly moneyScale: number;
}

/** Under the `immutable` back-dating policy: what was booked for a move. */
export interface BookedValuation {
  /** The valuation as first posted. */
  readonly first: MoveValuation;
  /** The move's effect on stock value as booked (first valuation plus adjustments since). */
  effect: Dec;
  /** The move's cost as booked (first valuation plus adjustments since). */
  cost: Dec;
}

type PlainLine = { readonly item: string; readonly warehouse: string; readonly qty: Dec; readonly unitCost: Dec };
type PlainTransferLine = { readonly item: string; readonly qty: Dec; readonly from: { readonly warehouse: string }; readonly to: { readonly warehouse: string } };

/**
 * Whether a move is exactly what {@link plainLineMove} rebuilds from its line: a receipt,
 * outbound or transfer line whose base quantity and unit cost are the line's own (no unit
 * conversion), without location, lot or serials.
 */
const isPlainLine = (move: StockMove, doc: StockDocument): boolean => {
  if (move.location !== undefined || move.lot !== undefined || move.serials !== undefined) return false;
  const type = doc.type;
  if (type !== "purchase-receipt" && type !== "sales-outbound" && type !== "transfer") return false;
  const line = (doc.lines as ReadonlyArray<{ qty: Dec; unitCost?: Dec }>)[move.line];
  if (line === undefined || move.qty !== line.qty || move.document !== doc.id) return false;
  const src = move.source;
  if (type === "purchase-receipt") return src.type === "unit-cost" && src.unitCost === line.unitCost;
  if (type === "sales-outbound") return src.type === "issue";
  return move.direction === "out" ? src.type === "issue" : src.type === "transfer-in";
};

const plainLineId = (doc: StockDocument, line: number, direction: MoveDirection): string =>
  doc.type !== "transfer" ? `${doc.id}#${line}` : `${doc.id}#${line}${direction === "out" ? ":out" : ":in"}`;

const plainLineSource = (doc: StockDocument, line: number, direction: MoveDirection): MoveCostSource => {
  if (direction === "out") return ISSUE;
  if (doc.type === "transfer") return { type: "transfer-in", from: `${doc.id}#${line}:out` };
  return { type: "unit-cost", unitCost: (doc as { lines: ReadonlyArray<PlainLine> }).lines[line]!.unitCost };
};

const plainLineOf = (doc: StockDocument, i: number): PlainLine | PlainTransferLine => (doc as { lines: ReadonlyArray<PlainLine | PlainTransferLine> }).lines[i]!;

const plainLineWarehouse = (line: PlainLine | PlainTransferLine, direction: MoveDirection): string =>
  "from" in line ? (direction === "out" ? line.from.warehouse : line.to.warehouse) : line.warehouse;

/** The move of a plain line (see {@link isPlainLine}), as posting builds it. */
const plainLineMove = (doc: StockDocument, i: number, direction: MoveDirection): StockMove => {
  const line = plainLineOf(doc, i);
  return {
    id: plainLineId(doc, i, direction),
    document: doc.id,
    documentType: doc.type,
    businessId: doc.businessId,
    line: i,
    at: doc.at,
    item: line.item,
    warehouse: plainLineWarehouse(line, direction),
    location: undefined,
    lot: undefined,
    serials: undefined,
    direction,
    qty: line.qty,
    source: plainLineSource(doc, i, direction),
  };
};

/** The cost of a stored valuation (see {@link Entry.snapshot}) as a decimal. */
export const costOf = (v: EntryValuation, moneyScale: number): Dec => (v.costN !== undefined ? decOf(v.costN, moneyScale) : v.general.cost);

/** An entry's valuation as stored, for rollback. */
export interface EntryValuation {
  readonly costN: number | undefined;
  readonly slicesN: FixedSlices | undefined;
  readonly general: MoveValuation;
}

const sameFixedSlices = (a: FixedSlices | undefined, b: FixedSlices | undefined): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a === "string" || typeof b === "string" || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Fixed-point slices as decimal {@link LayerSlice}s. */
export const decimalSlices = (slices: FixedSlices, moneyScale: number, qtyN: number, costN: number): LayerSlice[] => {
  if (typeof slices === "string") return [{ qty: decOf(qtyN, QTY_SCALE), value: decOf(costN, moneyScale), origin: slices, lot: undefined }];
  const out: LayerSlice[] = [];
  for (let i = 0; i < slices.length; i += 4)
    out.push({ qty: decOf(slices[i] as number, QTY_SCALE), value: decOf(slices[i + 1] as number, moneyScale), origin: slices[i + 2] as string, lot: slices[i + 3] as string | undefined });
  return out;
};

/** The value of an inbound move with its own cost (unit cost or value), at the money scale; NaN for other sources. */
const inboundFixed = (src: MoveCostSource, qty: Dec, qtyN: number, moneyScale: number): number => {
  if (src.type === "value") return fixedOf(roundMoney(src.value, moneyScale), moneyScale);
  if (src.type !== "unit-cost") return Number.NaN;
  return inboundUnitCost(src.unitCost, qty, qtyN, moneyScale);
};

/** The value of `qty` (`qtyN` at {@link QTY_SCALE}) at `unitCost`, rounded at the money scale. */
const inboundUnitCost = (unitCost: Dec, qty: Dec, qtyN: number, moneyScale: number): number => {
  const places = unitCost.decimalPlaces();
  if (places <= 12) {
    const unit = fixedOf(unitCost, places);
    if (unit === unit) {
      const value = timesFixed(qtyN, QTY_SCALE, unit, places, moneyScale);
      if (value === value) return value;
    }
  }
  return fixedOf(roundMoney(qty.times(unitCost), moneyScale), moneyScale);
};

/** What valuing one move needs besides the position's state. */
export interface ValuationContext {
  readonly method: ValuationMethod;
  readonly moneyScale: number;
  readonly negativeStock: "reject" | "allow";
  readonly provisionalUnitCost: Dec | undefined;
  /** Standard unit cost of the position's item, if it has one. */
  readonly standardCost: Dec | undefined;
  /** The referenced move (transfer source, original issue, original receipt) and its current valuation. */
  referenced(moveId: string): Entry | undefined;
  /** Whether a period is closed (monthly weighted average costs are final). */
  isClosed(period: string): boolean;
}

/** A move could not be valued. */
export type ValuationFailure = InsufficientStock | ValuationError;
