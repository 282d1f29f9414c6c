import type { ValuationMethod } from "../item.js";
import { decOf, QTY_SCALE } from "./fixed.js";
import { type Layer, type PositionState, cloneState, emptyState } from "./state.js";

/**
 * The valuation state of a moving-average or FIFO position in scaled integers (quantities at
 * {@link QTY_SCALE}, money at the ledger's money scale): the same figures as a
 * {@link PositionState}, without a decimal object per figure. A fixed state has no shortage;
 * whatever it cannot hold exactly is valued on its decimal twin (see `toDecimalState`).
 */
export class FixedState {
  qty = 0;
  value = 0;
  /** Value and quantity of the last receipt seen (NaN before the first). */
  lastInValue = Number.NaN;
  lastInQty = Number.NaN;
  /** FIFO layers, oldest first, live from `head` on (consumed layers are dropped lazily). */
  layerQty: number[] = [];
  layerValue: number[] = [];
  layerOrigin: string[] = [];
  layerLot: (string | undefined)[] = [];
  head = 0;

  /** A copy that later mutation of this state cannot reach. */
  clone(): FixedState {
    const c = new FixedState();
    c.qty = this.qty;
    c.value = this.value;
    c.lastInValue = this.lastInValue;
    c.lastInQty = this.lastInQty;
    c.layerQty = this.layerQty.slice(this.head);
    c.layerValue = this.layerValue.slice(this.head);
    c.layerOrigin = this.layerOrigin.slice(this.head);
    c.layerLot = this.layerLot.slice(this.head);
    return c;
  }

  /** Appends a FIFO layer. */
  pushLayer(qty: number, value: number, origin: string, lot: string | undefined): void {
    this.layerQty.push(qty);
    this.layerValue.push(value);
    this.layerOrigin.push(origin);
    this.layerLot.push(lot);
  }

  /** Forgets consumed layers once they are the larger part of the arrays. */
  compact(): void {
    if (this.head < 32 || this.head * 2 < this.layerQty.length) return;
    this.layerQty.splice(0, this.head);
    this.layerValue.splice(0, this.head);
    this.layerOrigin.splice(0, this.head);
    this.layerLot.splice(0, this.head);
    this.head = 0;
  }
}

/** A position's valuation state in either representation. */
export type ValuationState = PositionState | FixedState;

/** The state of an empty position: fixed-point for moving average and FIFO unless decimal arithmetic is asked for. */
export const initialState = (method: ValuationMethod, arithmetic: "fixed" | "decimal"): ValuationState =>
  arithmetic === "fixed" && (method === "moving-average" || method === "fifo") ? new FixedState() : emptyState();

/** A copy of a state in either representation. */
export const cloneAnyState = (s: ValuationState): ValuationState => (s instanceof FixedState ? s.clone() : cloneState(s));

/** The decimal twin of a state (a fixed state converted exactly; a decimal state as it is). */
export const toDecimalState = (s: ValuationState, moneyScale: number): PositionState => {
  if (!(s instanceof FixedState)) return s;
  const d = emptyState();
  d.qty = decOf(s.qty, QTY_SCALE);
  d.value = decOf(s.value, moneyScale);
  if (s.lastInQty === s.lastInQty) {
    d.lastInQty = decOf(s.lastInQty, QTY_SCALE);
    d.lastInValue = decOf(s.lastInValue, moneyScale);
  }
  const layers: Layer[] = [];
  for (let i = s.head; i < s.layerQty.length; i++)
    layers.push({ qty: decOf(s.layerQty[i]!, QTY_SCALE), value: decOf(s.layerValue[i]!, moneyScale), origin: s.layerOrigin[i]!, lot: s.layerLot[i] });
  d.layers = layers;
  return d;
};
