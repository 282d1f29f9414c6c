import type { ValuationMethod } from "../item.js";
import { decOf } from "../decimal.js";
import { QTY_SCALE } from "./fixed.js";
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
  /**
   * FIFO layers, oldest first, live from layer `head` on (consumed layers are dropped lazily):
   * layer i's quantity and value at `layerFigures[2i]`, `[2i + 1]`, its origin and lot at
   * `layerTags[2i]`, `[2i + 1]` — two arrays, so that taking a layer reads two places in memory, not four.
   */
  layerFigures: number[] = [];
  layerTags: (string | undefined)[] = [];
  /** Index of the oldest live layer. */
  head = 0;

  /** Number of layers in the arrays, consumed ones included (live: `head` … `layerCount − 1`). */
  get layerCount(): number {
    return this.layerFigures.length >> 1;
  }

  /** A copy that later mutation of this state cannot reach. */
  clone(): FixedState {
    const c = new FixedState();
    c.qty = this.qty;
    c.value = this.value;
    c.lastInValue = this.lastInValue;
    c.lastInQty = this.lastInQty;
    c.layerFigures = this.layerFigures.slice(2 * this.head);
    c.layerTags = this.layerTags.slice(2 * this.head);
    return c;
  }

  /** Appends a FIFO layer. */
  pushLayer(qty: number, value: number, origin: string, lot: string | undefined): void {
    this.layerFigures.push(qty, value);
    this.layerTags.push(origin, lot);
  }

  /**
   * Forgets consumed layers: all of them at once when none is live, else once they are the larger
   * part of the arrays (each live layer moves at most once per layer consumed: amortized O(1)).
   */
  compact(): void {
    const head = this.head;
    if (head === 0) return;
    if (2 * head === this.layerFigures.length) {
      this.layerFigures.length = 0;
      this.layerTags.length = 0;
    } else if (head >= 8 && head * 2 >= this.layerCount) {
      this.layerFigures.splice(0, 2 * head);
      this.layerTags.splice(0, 2 * head);
    } else return;
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
  const figures = s.layerFigures;
  const tags = s.layerTags;
  for (let i = 2 * s.head; i < figures.length; i += 2)
    layers.push({ qty: decOf(figures[i]!, QTY_SCALE), value: decOf(figures[i + 1]!, moneyScale), origin: tags[i]!, lot: tags[i + 1] });
  d.layers = layers;
  return d;
};
