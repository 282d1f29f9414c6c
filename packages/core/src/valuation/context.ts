import type { Dec } from "../decimal.js";
import type { InsufficientStock, ValuationError } from "../errors.js";
import type { ValuationMethod } from "../item.js";
import type { MoveValuation, StockMove } from "../move.js";

/** A move of the ledger as the valuation sees it: the move, where it sits, and its current valuation. */
export interface Entry {
  readonly move: StockMove;
  /** Arrival number (tie-break for equal business times). */
  readonly seq: number;
  /** Business time in epoch milliseconds. */
  readonly atMs: number;
  /** Period (`YYYY-MM`) of the business time in the tenant's zone. */
  readonly period: string;
  readonly position: string;
  /** Current valuation; replaced (never mutated) when the move is re-valued. */
  val: MoveValuation;
  /** Some move takes its cost from this one (a transfer-in, a return, a cost adjustment): re-valuing it re-values them. */
  referenced?: boolean | undefined;
  /** Immutable back-dating policy: the valuation as first posted, never rewritten. */
  booked?: MoveValuation | undefined;
  /** Immutable back-dating policy: the move's effect on stock value as booked (first valuation plus adjustments since). */
  bookedEffect?: Dec | undefined;
  /** Immutable back-dating policy: the move's cost as booked (first valuation plus adjustments since). */
  bookedCost?: Dec | undefined;
}

/** What valuing one move needs besides the position's state. */
export interface ValuationContext {
  readonly method: ValuationMethod;
  readonly moneyScale: number;
  readonly negativeStock: "reject" | "allow";
  readonly provisionalUnitCost: Dec | undefined;
  readonly positionLabel: string;
  /** Standard unit cost of the position's item, if it has one. */
  readonly standardCost: Dec | undefined;
  /** The referenced move (transfer source, original issue, original receipt) and its current valuation. */
  referenced(moveId: string): Entry | undefined;
  /** Whether a period is closed (monthly weighted average costs are final). */
  isClosed(period: string): boolean;
}

/** A move could not be valued. */
export type ValuationFailure = InsufficientStock | ValuationError;
