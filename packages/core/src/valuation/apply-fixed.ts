import type { Entry, FixedSlices, ValuationContext, ValuationFailure } from "./context.js";
import { insufficient } from "./apply.js";
import { QTY_SCALE, decOf, plusFixed, shareFixed } from "./fixed.js";
import type { FixedState } from "./fixed-state.js";

/** Where {@link applyFixed} writes a move's fixed-point valuation (one per ledger, reused). */
export interface FixedValuation {
  /** Cost at the money scale. */
  cost: number;
  /** FIFO slices of an outbound move. */
  slices: FixedSlices | undefined;
}

/** {@link applyFixed}'s answer when the move needs the decimal engine; the state is then untouched. */
export const NEEDS_DECIMAL = "needs-decimal";

/**
 * Values one move of a moving-average or FIFO position in fixed point, mutating the state and
 * writing the valuation to `out` (answer `undefined`), or answers the failure that stops it, or
 * {@link NEEDS_DECIMAL} — leaving the state as it was — for whatever it does not cover exactly:
 * shortages under negative-stock `allow`, value moves (landed costs), stocktake gains at current
 * cost, FIFO purchase returns, figures beyond 2^52, quantities with more than six places. The
 * result always equals `applyEntry` on the decimal twin of the state (a property test holds it).
 */
export const applyFixed = (
  state: FixedState,
  entry: Entry,
  ctx: ValuationContext,
  out: FixedValuation,
): ValuationFailure | typeof NEEDS_DECIMAL | undefined => {
  const q = entry.qtyN;
  if (q === undefined) return NEEDS_DECIMAL;
  const move = entry.move;
  if (move.direction === "in") return receiveFixed(state, entry, q, ctx, out);
  if (move.direction === "out") return ctx.method === "fifo" ? issueFifo(state, entry, q, ctx, out) : issueAverage(state, entry, q, ctx, out);
  return NEEDS_DECIMAL;
};

const receiveFixed = (state: FixedState, entry: Entry, q: number, ctx: ValuationContext, out: FixedValuation): typeof NEEDS_DECIMAL | undefined => {
  const src = entry.move.source;
  let value: number | undefined;
  let slices: FixedSlices | undefined;
  switch (src.type) {
    case "unit-cost":
    case "value":
      value = entry.inN;
      break;
    case "transfer-in": {
      const from = ctx.referenced(src.from);
      if (from === undefined) return NEEDS_DECIMAL;
      value = from.costN;
      slices = from.slicesN;
      if (typeof slices === "string") {
        // one slice: the transfer-out's own quantity and value
        if (value === undefined || from.qtyN === undefined) return NEEDS_DECIMAL;
        slices = [from.qtyN, value, slices, undefined];
      }
      break;
    }
    case "sales-return": {
      const of = ctx.referenced(src.of);
      if (of === undefined || of.costN === undefined || of.qtyN === undefined) return NEEDS_DECIMAL;
      value = shareFixed(of.costN, q, of.qtyN);
      break;
    }
    default:
      return NEEDS_DECIMAL;
  }
  if (value === undefined || value !== value) return NEEDS_DECIMAL;
  const qty = plusFixed(state.qty, q);
  const total = plusFixed(state.value, value);
  if (qty !== qty || total !== total) return NEEDS_DECIMAL;
  state.lastInValue = value;
  state.lastInQty = q;
  state.qty = qty;
  state.value = total;
  if (ctx.method === "fifo") {
    if (slices !== undefined && slices.length > 0)
      for (let i = 0; i < slices.length; i += 4) state.pushLayer(slices[i] as number, slices[i + 1] as number, slices[i + 2] as string, slices[i + 3] as string | undefined);
    else state.pushLayer(q, value, entry.move.id, entry.move.lot);
  }
  out.cost = value;
  out.slices = undefined;
  return undefined;
};

const issueAverage = (state: FixedState, entry: Entry, q: number, ctx: ValuationContext, out: FixedValuation): ValuationFailure | typeof NEEDS_DECIMAL | undefined => {
  if (q > state.qty) return ctx.negativeStock === "reject" ? insufficient(entry, ctx, decOf(state.qty, QTY_SCALE)) : NEEDS_DECIMAL;
  let cost: number;
  if (q === state.qty) cost = state.value;
  else {
    const src = entry.move.source;
    const of = src.type === "purchase-return" ? ctx.referenced(src.of) : undefined;
    if (of !== undefined) {
      if (of.costN === undefined || of.qtyN === undefined) return NEEDS_DECIMAL;
      cost = shareFixed(of.costN, q, of.qtyN);
    } else cost = shareFixed(state.value, q, state.qty);
    if (cost !== cost) return NEEDS_DECIMAL;
    if (cost > state.value) cost = state.value;
  }
  state.qty -= q;
  state.value -= cost;
  out.cost = cost;
  out.slices = undefined;
  return undefined;
};

const issueFifo = (state: FixedState, entry: Entry, q: number, ctx: ValuationContext, out: FixedValuation): ValuationFailure | typeof NEEDS_DECIMAL | undefined => {
  if (entry.move.source.type === "purchase-return") return NEEDS_DECIMAL;
  if (q > state.qty) return ctx.negativeStock === "reject" ? insufficient(entry, ctx, decOf(state.qty, QTY_SCALE)) : NEEDS_DECIMAL;
  // the first slice is kept in locals; an array only when a second one follows
  let slices: (number | string | undefined)[] | undefined;
  let firstOrigin: string | undefined;
  let firstLot: string | undefined;
  let firstQty = 0;
  let firstValue = 0;
  let remaining = q;
  let cost = 0;
  let i = state.head;
  const n = state.layerQty.length;
  while (i < n && remaining > 0) {
    const layerQty = state.layerQty[i]!;
    const layerValue = state.layerValue[i]!;
    const whole = layerQty <= remaining;
    const qty = whole ? layerQty : remaining;
    const value = whole ? layerValue : shareFixed(layerValue, remaining, layerQty);
    if (firstOrigin === undefined) {
      firstQty = qty;
      firstValue = value;
      firstOrigin = state.layerOrigin[i]!;
      firstLot = state.layerLot[i];
    } else (slices ??= [firstQty, firstValue, firstOrigin, firstLot]).push(qty, value, state.layerOrigin[i], state.layerLot[i]);
    cost += value;
    remaining -= qty;
    if (whole) i++;
    else {
      state.layerQty[i] = layerQty - qty;
      state.layerValue[i] = layerValue - value;
    }
  }
  state.head = i;
  state.compact();
  state.qty -= q;
  state.value -= cost;
  out.cost = cost;
  out.slices = slices ?? (firstOrigin === undefined ? [] : firstLot === undefined ? firstOrigin : [firstQty, firstValue, firstOrigin, firstLot]);
  return undefined;
};
