import { type Dec, ZERO } from "./decimal.js";
import type { StockDocumentType } from "./document.js";

/**
 * Where the value of a move comes from. Inbound moves carry their cost (or say whose cost they
 * take); outbound moves are costed by the position's valuation method unless they reference
 * the move whose cost they give back.
 */
export type MoveCostSource =
  /** In at a given unit cost per base unit; value = round(qty × unitCost). */
  | { readonly type: "unit-cost"; readonly unitCost: Dec }
  /** In at a given total value (opening balances). */
  | { readonly type: "value"; readonly value: Dec }
  /** In at exactly the cost (and, under FIFO, the layers) of the transfer-out move `from`. */
  | { readonly type: "transfer-in"; readonly from: string }
  /** In at the unit cost of the issue `of` (a sales return, 红字出库): round(issueCost × qty ÷ issueQty). */
  | { readonly type: "sales-return"; readonly of: string }
  /** In at the position's current unit cost (a stocktake gain, an adjustment without a cost). */
  | { readonly type: "current-cost" }
  /** Out at the valuation method's cost. */
  | { readonly type: "issue" }
  /** Out at the cost of the receipt `of` (a purchase return): round(receiptValue × qty ÷ receiptQty). */
  | { readonly type: "purchase-return"; readonly of: string }
  /** Zero-quantity value change linked to the receipt move `of`, split between on-hand and issued units. */
  | { readonly type: "cost-adjustment"; readonly of: string; readonly amount: Dec };

/** The cost source of every plain issue (shared, immutable). */
export const ISSUE: MoveCostSource = Object.freeze({ type: "issue" });

/** The direction of a move: stock in, stock out, or value only (zero quantity). */
export type MoveDirection = "in" | "out" | "value";

/** A stock move as produced by posting a document: what happened, before valuation. */
export interface StockMove {
  /** Unique id: `<document>#<line>` (transfers add `:out` / `:in`). */
  readonly id: string;
  readonly document: string;
  readonly documentType: StockDocumentType;
  readonly businessId: string;
  /** 0-based line of the document. */
  readonly line: number;
  /** Business time, ISO-8601 with offset. */
  readonly at: string;
  readonly item: string;
  readonly warehouse: string;
  readonly location?: string | undefined;
  readonly lot?: string | undefined;
  readonly serials?: ReadonlyArray<string> | undefined;
  readonly direction: MoveDirection;
  /** Base-unit quantity, positive for in and out, zero for value moves. */
  readonly qty: Dec;
  readonly source: MoveCostSource;
}

/** A slice of a FIFO/LIFO/specific-identification layer taken by an outbound move. */
export interface LayerSlice {
  readonly qty: Dec;
  readonly value: Dec;
  /** The move that created the layer. */
  readonly origin: string;
  readonly lot?: string | undefined;
}

/** The valuation the ledger assigned to a move. */
export interface MoveValuation {
  /** Total value moved (always ≥ 0 for in and out; signed for value moves). */
  readonly cost: Dec;
  /** For outbound moves under layer methods: the layers consumed, oldest first. */
  readonly slices?: ReadonlyArray<LayerSlice> | undefined;
  /** Standard cost: purchase price variance of a receipt (材料成本差异), actual − standard. */
  readonly priceVariance?: Dec | undefined;
  /** Part of a cost adjustment, or of a negative-stock true-up, that went to cost of sales. */
  readonly costOfSalesDifference?: Dec | undefined;
  /** The move was costed at a provisional cost because stock was short (negative-stock `allow`). */
  readonly provisional?: boolean | undefined;
}

/** A move together with its valuation and its place in the ledger. */
export interface ValuedMove extends StockMove, MoveValuation {
  /** Arrival number: the tie-break for moves at the same business time. */
  readonly seq: number;
  /** The valuation position (`item@warehouse`, per the configured grain). */
  readonly position: string;
}

/** A move whose cost changed because of a backdated document, a cancellation or a period close. */
export interface CostChange {
  readonly move: string;
  readonly document: string;
  readonly businessId: string;
  readonly position: string;
  readonly oldCost: Dec;
  readonly newCost: Dec;
}

/**
 * The change a valued move makes to its position's book value: −cost for an outbound move; for
 * an inbound move its cost less any true-up to cost of sales; for a value move its cost.
 */
export const stockValueEffect = (direction: MoveDirection, valuation: MoveValuation): Dec =>
  direction === "out"
    ? valuation.cost.negated()
    : direction === "in"
      ? valuation.cost.minus(valuation.costOfSalesDifference ?? ZERO)
      : valuation.cost;
