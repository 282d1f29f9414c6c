import type { Entry, FixedSlices, ValuationContext, ValuationFailure } from "./context.js";
import { insufficient } from "./apply.js";
import { decOf } from "../decimal.js";
import { QTY_SCALE, plusFixed, shareFixed } from "./fixed.js";
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
  /** A transfer-in's transfer-out, when the caller has it at hand (else it is looked up by id). */
  transferOut?: Entry,
): ValuationFailure | typeof NEEDS_DECIMAL | undefined => {
  const q = entry.qtyN;
  if (q === undefined) return NEEDS_DECIMAL;
  if (entry.direction === "in") return receiveFixed(state, entry, q, ctx, out, transferOut);
  if (entry.direction === "out") return ctx.method === "fifo" ? issueFifo(state, entry, q, ctx, out) : issueAverage(state, entry, q, ctx, out);
  return NEEDS_DECIMAL;
};

const receiveFixed = (state: FixedState, entry: Entry, q: number, ctx: ValuationContext, out: FixedValuation, transferOut: Entry | undefined): typeof NEEDS_DECIMAL | undefined => {
  let value: number | undefined;
  let slices: FixedSlices | undefined;
  let sliceQty = q;
  switch (entry.sourceType) {
    case "unit-cost":
    case "value":
      value = entry.inN;
      break;
    case "transfer-in": {
      const from = transferOut ?? ctx.referenced((entry.source as { from: string }).from);
      if (from === undefined) return NEEDS_DECIMAL;
      value = from.costN;
      slices = from.slicesN;
      if (typeof slices === "string") {
        // one slice: the transfer-out's own quantity and value
        if (from.qtyN === undefined) return NEEDS_DECIMAL;
        sliceQty = from.qtyN;
      }
      break;
    }
    case "sales-return": {
      const of = ctx.referenced((entry.source as { of: string }).of);
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
    if (typeof slices === "string") state.pushLayer(sliceQty, value, slices, undefined);
    else if (slices !== undefined && slices.length > 0)
      for (let i = 0; i < slices.length; i += 4) state.pushLayer(slices[i] as number, slices[i + 1] as number, slices[i + 2] as string, slices[i + 3] as string | undefined);
    else state.pushLayer(q, value, entry.id, entry.lot);
  }
  out.cost = value;
  out.slices = undefined;
  return undefined;
};

const issueAverage = (state: FixedState, entry: Entry, q: number, ctx: ValuationContext, out: FixedValuation): ValuationFailure | typeof NEEDS_DECIMAL | undefined => {
  if (q > state.qty) return ctx.negativeStock === "reject" ? insufficient(entry, decOf(state.qty, QTY_SCALE)) : NEEDS_DECIMAL;
  let cost: number;
  if (q === state.qty) cost = state.value;
  else {
    const src = entry.source;
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
  if (entry.sourceType === "purchase-return") return NEEDS_DECIMAL;
  if (q > state.qty) return ctx.negativeStock === "reject" ? insufficient(entry, decOf(state.qty, QTY_SCALE)) : NEEDS_DECIMAL;
  // the first slice is kept in locals; an array only when a second one follows
  let slices: (number | string | undefined)[] | undefined;
  let firstOrigin: string | undefined;
  let firstLot: string | undefined;
  let firstQty = 0;
  let firstValue = 0;
  let remaining = q;
  let cost = 0;
  const figures = state.layerFigures;
  const tags = state.layerTags;
  let i = 2 * state.head;
  const n = figures.length;
  while (i < n && remaining > 0) {
    const layerQty = figures[i]!;
    const layerValue = figures[i + 1]!;
    const whole = layerQty <= remaining;
    const qty = whole ? layerQty : remaining;
    const value = whole ? layerValue : shareFixed(layerValue, remaining, layerQty);
    if (firstOrigin === undefined) {
      firstQty = qty;
      firstValue = value;
      firstOrigin = tags[i]!;
      firstLot = tags[i + 1];
    } else (slices ??= [firstQty, firstValue, firstOrigin, firstLot]).push(qty, value, tags[i], tags[i + 1]);
    cost += value;
    remaining -= qty;
    if (whole) i += 2;
    else {
      figures[i] = layerQty - qty;
      figures[i + 1] = layerValue - value;
    }
  }
  state.head = i >> 1;
  state.compact();
  state.qty -= q;
  state.value -= cost;
  out.cost = cost;
  // an entry keeps its slices for good: a copy of exactly their length, not the grown list
  out.slices = slices !== undefined ? slices.slice() : firstOrigin === undefined ? [] : firstLot === undefined ? firstOrigin : [firstQty, firstValue, firstOrigin, firstLot];
  return undefined;
};
