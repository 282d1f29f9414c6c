import { type Dec, ZERO } from "../decimal.js";
import type { ValuationMethod } from "../item.js";

/** A cost layer (FIFO, LIFO, specific identification): units received together at one cost. */
export interface Layer {
  readonly qty: Dec;
  readonly value: Dec;
  /** The move that created the layer (a receipt, a return; a transfer keeps the original). */
  readonly origin: string;
  readonly lot?: string | undefined;
}

/**
 * The valuation state of one position: what is on hand and its value, plus a shortage
 * (units issued without stock under negative-stock `allow`, at a provisional value).
 * On-hand = qty − shortQty; value on the books = value − shortValue.
 */
export interface PositionState {
  qty: Dec;
  value: Dec;
  shortQty: Dec;
  shortValue: Dec;
  /**
   * Value and quantity of the last receipt seen, whose quotient is the last unit cost (for
   * shortages and stocktake gains on an empty position); divided only when it is needed.
   */
  lastInValue: Dec | undefined;
  lastInQty: Dec | undefined;
  /** Layer methods only, oldest first. */
  layers: Layer[];
  /** Monthly weighted average: the period being accumulated and its totals. */
  period: string;
  monthOpenQty: Dec;
  monthOpenValue: Dec;
  monthInQty: Dec;
  monthInValue: Dec;
  /** Monthly weighted average: the month's final unit cost once the period is closed. */
  monthUnitCost: Dec | undefined;
}

/** The state of an empty position. */
export const emptyState = (): PositionState => ({
  qty: ZERO,
  value: ZERO,
  shortQty: ZERO,
  shortValue: ZERO,
  lastInValue: undefined,
  lastInQty: undefined,
  layers: [],
  period: "",
  monthOpenQty: ZERO,
  monthOpenValue: ZERO,
  monthInQty: ZERO,
  monthInValue: ZERO,
  monthUnitCost: undefined,
});

/** A copy that later mutation of the original cannot reach (layers are immutable objects). */
export const cloneState = (s: PositionState): PositionState => ({
  qty: s.qty,
  value: s.value,
  shortQty: s.shortQty,
  shortValue: s.shortValue,
  lastInValue: s.lastInValue,
  lastInQty: s.lastInQty,
  layers: s.layers.slice(),
  period: s.period,
  monthOpenQty: s.monthOpenQty,
  monthOpenValue: s.monthOpenValue,
  monthInQty: s.monthInQty,
  monthInValue: s.monthInValue,
  monthUnitCost: s.monthUnitCost,
});

/** Whether a method keeps cost layers. */
export const usesLayers = (method: ValuationMethod): boolean => method === "fifo" || method === "lifo" || method === "specific";

/** Book quantity of a state: on hand minus shortage. */
export const bookQty = (s: PositionState): Dec => (s.shortQty.isZero() ? s.qty : s.qty.minus(s.shortQty));

/** Book value of a state: value minus the provisional value of the shortage. */
export const bookValue = (s: PositionState): Dec => (s.shortValue.isZero() ? s.value : s.value.minus(s.shortValue));

/** The position's current unit cost (value ÷ qty), or the last one seen when it is empty. */
export const currentUnitCost = (s: PositionState): Dec | undefined =>
  s.qty.gt(0) ? s.value.dividedBy(s.qty) : lastUnitCost(s);

/** The unit cost of the last receipt seen, if any. */
export const lastUnitCost = (s: PositionState): Dec | undefined =>
  s.lastInValue === undefined || s.lastInQty === undefined ? undefined : s.lastInValue.dividedBy(s.lastInQty);

