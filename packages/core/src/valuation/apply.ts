import { Dec, ZERO, roundMoney } from "../decimal.js";
import { InsufficientStock, ValuationError } from "../errors.js";
import type { LayerSlice, MoveValuation } from "../move.js";
import type { Entry, ValuationContext, ValuationFailure } from "./context.js";
import { type Layer, type PositionState, currentUnitCost, lastUnitCost, usesLayers } from "./state.js";

/** Proportional share of a total, rounded to money: round(total × part ÷ whole). */
const share = (total: Dec, part: Dec, whole: Dec, scale: number): Dec =>
  part.eq(whole) ? total : roundMoney(total.times(part).dividedBy(whole), scale);

/**
 * Values one move against a position's state, mutating the state in place, and returns the
 * move's valuation or the failure that stops it. Deterministic: the same state, move and
 * context give the same result.
 */
export const applyEntry = (state: PositionState, entry: Entry, ctx: ValuationContext): MoveValuation | ValuationFailure => {
  const move = entry.move;
  if (ctx.method === "monthly-weighted-average") beginPeriod(state, entry);
  if (move.direction === "in") {
    const inbound = inboundValue(state, entry, ctx);
    if (inbound instanceof InsufficientStock || inbound instanceof ValuationError) return inbound;
    return receive(state, entry, ctx, inbound);
  }
  if (move.direction === "out") return issue(state, entry, ctx);
  return adjustValue(state, entry, ctx);
};

type Inbound = { value: Dec; slices?: ReadonlyArray<LayerSlice> | undefined; variance?: Dec | undefined };

const inboundValue = (state: PositionState, entry: Entry, ctx: ValuationContext): Inbound | ValuationFailure => {
  const { move } = entry;
  const src = move.source;
  const scale = ctx.moneyScale;
  let actual: Inbound;
  switch (src.type) {
    case "unit-cost":
      actual = { value: roundMoney(move.qty.times(src.unitCost), scale) };
      break;
    case "value":
      actual = { value: roundMoney(src.value, scale) };
      break;
    case "transfer-in": {
      const from = ctx.referenced(src.from);
      if (!from) return new ValuationError({ move: move.id, message: `transfer source ${src.from} not found` });
      actual = { value: from.val.cost, slices: from.val.slices };
      break;
    }
    case "sales-return": {
      const of = ctx.referenced(src.of);
      if (!of) return new ValuationError({ move: move.id, message: `returned issue ${src.of} not found` });
      actual = { value: share(of.val.cost, move.qty, of.move.qty, scale) };
      break;
    }
    case "current-cost": {
      const unit =
        ctx.method === "standard"
          ? ctx.standardCost
          : ctx.method === "monthly-weighted-average"
            ? (state.monthUnitCost ?? monthToDateUnitCost(state))
            : currentUnitCost(state);
      actual = { value: roundMoney(move.qty.times(unit ?? ctx.provisionalUnitCost ?? ZERO), scale) };
      break;
    }
    default:
      return new ValuationError({ move: move.id, message: `an inbound move cannot take its cost from ${src.type}` });
  }
  if (ctx.method !== "standard") return actual;
  if (ctx.standardCost === undefined)
    return new ValuationError({ move: move.id, message: `item ${move.item} has no standard cost` });
  if (src.type !== "unit-cost" && src.type !== "value") return { value: actual.value };
  const standard = roundMoney(move.qty.times(ctx.standardCost), scale);
  return { value: standard, variance: actual.value.minus(standard) };
};

const receive = (state: PositionState, entry: Entry, ctx: ValuationContext, inbound: Inbound): MoveValuation => {
  const { move } = entry;
  let qty = move.qty;
  let value = inbound.value;
  let costOfSalesDifference: Dec | undefined;
  if (qty.gt(0)) {
    state.lastInValue = value;
    state.lastInQty = qty;
  }
  // Settle a shortage first: the units issued without stock get this receipt's cost; the
  // difference from their provisional cost is trued up to cost of sales.
  if (state.shortQty.gt(0)) {
    const settled = Dec.min(qty, state.shortQty);
    const actual = share(value, settled, qty, ctx.moneyScale);
    const provisional = share(state.shortValue, settled, state.shortQty, ctx.moneyScale);
    costOfSalesDifference = actual.minus(provisional);
    state.shortQty = state.shortQty.minus(settled);
    state.shortValue = state.shortValue.minus(provisional);
    qty = qty.minus(settled);
    value = value.minus(actual);
  }
  if (qty.gt(0)) {
    state.qty = state.qty.plus(qty);
    state.value = state.value.plus(value);
    if (usesLayers(ctx.method)) addLayers(state, entry, inbound, qty, value);
    if (ctx.method === "monthly-weighted-average" && move.source.type !== "sales-return" && move.source.type !== "current-cost") {
      state.monthInQty = state.monthInQty.plus(qty);
      state.monthInValue = state.monthInValue.plus(value);
    }
  }
  return {
    cost: inbound.value,
    priceVariance: inbound.variance,
    costOfSalesDifference,
  };
};

const addLayers = (state: PositionState, entry: Entry, inbound: Inbound, qty: Dec, value: Dec): void => {
  const { move } = entry;
  const slices = inbound.slices;
  if (slices && slices.length > 0 && qty.eq(move.qty)) {
    for (const s of slices) state.layers.push({ qty: s.qty, value: s.value, origin: s.origin, lot: s.lot });
    return;
  }
  state.layers.push({ qty, value, origin: move.id, lot: move.lot });
};

const issue = (state: PositionState, entry: Entry, ctx: ValuationContext): MoveValuation | ValuationFailure => {
  const { move } = entry;
  const want = move.qty;
  if (usesLayers(ctx.method)) {
    const available = ctx.method === "specific" ? lotQty(state, move.lot) : state.qty;
    if (ctx.method === "specific" && move.lot === undefined)
      return new ValuationError({ move: move.id, message: "specific identification needs the lot of every issue" });
    if (want.gt(available)) {
      if (ctx.negativeStock === "reject") return insufficient(entry, available);
      const slices = takeLayers(state, entry, ctx, available);
      return withShortage(state, ctx, want.minus(available), slices, entry);
    }
    const slices = takeLayers(state, entry, ctx, want);
    return { cost: sliceTotal(slices), slices };
  }
  if (want.gt(state.qty)) {
    if (ctx.negativeStock === "reject") return insufficient(entry, state.qty);
    const cost = state.value;
    const shortage = want.minus(state.qty);
    state.qty = ZERO;
    state.value = ZERO;
    const v = withShortage(state, ctx, shortage, undefined);
    return { ...v, cost: v.cost.plus(cost) };
  }
  let cost: Dec;
  if (want.eq(state.qty)) cost = state.value;
  else {
    cost = averageIssueCost(state, entry, ctx);
    if (cost.gt(state.value)) cost = state.value;
  }
  state.qty = state.qty.minus(want);
  state.value = state.value.minus(cost);
  return { cost };
};

const averageIssueCost = (state: PositionState, entry: Entry, ctx: ValuationContext): Dec => {
  const { move } = entry;
  const src = move.source;
  if (src.type === "purchase-return") {
    const of = ctx.referenced(src.of);
    if (of) return share(of.val.cost, move.qty, of.move.qty, ctx.moneyScale);
  }
  switch (ctx.method) {
    case "standard":
      return roundMoney(move.qty.times(ctx.standardCost ?? ZERO), ctx.moneyScale);
    case "monthly-weighted-average":
      return roundMoney(move.qty.times(state.monthUnitCost ?? monthToDateUnitCost(state) ?? ZERO), ctx.moneyScale);
    default:
      return share(state.value, move.qty, state.qty, ctx.moneyScale);
  }
};

/**
 * Books the part of an issue that has no stock at a provisional cost (the last unit cost seen, or
 * the configured provisional cost). Under layer methods the provisional part is a slice of its
 * own (origin: the issue), so that a transfer carries every unit it moves.
 */
const withShortage = (
  state: PositionState,
  ctx: ValuationContext,
  shortage: Dec,
  slices: ReadonlyArray<LayerSlice> | undefined,
  entry?: Entry,
): MoveValuation => {
  const unit = (ctx.method === "standard" ? ctx.standardCost : undefined) ?? lastUnitCost(state) ?? ctx.provisionalUnitCost ?? ZERO;
  const provisional = roundMoney(shortage.times(unit), ctx.moneyScale);
  state.shortQty = state.shortQty.plus(shortage);
  state.shortValue = state.shortValue.plus(provisional);
  const taken = slices ? sliceTotal(slices) : ZERO;
  const all = slices && entry ? [...slices, { qty: shortage, value: provisional, origin: entry.move.id, lot: entry.move.lot }] : slices;
  return { cost: taken.plus(provisional), slices: all, provisional: true };
};

/** The refusal of an issue beyond the quantity on hand, naming the document line and the shortage. */
export const insufficient = (entry: Entry, onHand: Dec): InsufficientStock => {
  const { move } = entry;
  const shortage = move.qty.minus(onHand);
  return new InsufficientStock({
    move: move.id,
    document: move.document,
    line: move.line,
    position: entry.position,
    requested: move.qty.toString(),
    onHand: onHand.toString(),
    shortage: shortage.toString(),
    message: `${move.document} line ${move.line}: ${move.qty} of ${entry.position} requested at ${move.at}, ${onHand} on hand, short ${shortage}`,
  });
};

const lotQty = (state: PositionState, lot: string | undefined): Dec => {
  let total = ZERO;
  for (const l of state.layers) if (l.lot === lot) total = total.plus(l.qty);
  return total;
};

const sliceTotal = (slices: ReadonlyArray<LayerSlice>): Dec => {
  let total = ZERO;
  for (const s of slices) total = total.plus(s.value);
  return total;
};

/** Order in which layers are consumed: the referenced receipt's first, then FIFO/LIFO/lot order. */
const layerOrder = (state: PositionState, entry: Entry, ctx: ValuationContext): number[] => {
  const { move } = entry;
  const n = state.layers.length;
  const order: number[] = [];
  const preferred = move.source.type === "purchase-return" ? move.source.of : undefined;
  if (preferred !== undefined) for (let i = 0; i < n; i++) if (state.layers[i]!.origin === preferred) order.push(i);
  const rest: number[] = [];
  for (let i = 0; i < n; i++) {
    const layer = state.layers[i]!;
    if (preferred !== undefined && layer.origin === preferred) continue;
    if (ctx.method === "specific" && layer.lot !== move.lot) continue;
    rest.push(i);
  }
  if (ctx.method === "lifo") rest.reverse();
  return order.concat(rest);
};

const takeLayers = (state: PositionState, entry: Entry, ctx: ValuationContext, qty: Dec): LayerSlice[] => {
  const slices: LayerSlice[] = [];
  if (qty.isZero()) return slices;
  if (ctx.method === "fifo" && entry.move.source.type !== "purchase-return") takeOldestFirst(state.layers, qty, slices, ctx.moneyScale);
  else state.layers = takeInOrder(state.layers, layerOrder(state, entry, ctx), qty, slices, ctx.moneyScale);
  const taken = sliceTotal(slices);
  state.qty = state.qty.minus(qty);
  state.value = state.value.minus(taken);
  return slices;
};

/** A layer with part of its quantity and value taken away (layers are immutable; the state's array is its own copy). */
const remainder = (layer: Layer, qty: Dec, value: Dec): Layer => ({ qty: layer.qty.minus(qty), value: layer.value.minus(value), origin: layer.origin, lot: layer.lot });

/** FIFO: consumes the oldest layers of `layers` in place (the state's own copy). */
const takeOldestFirst = (layers: Layer[], qty: Dec, slices: LayerSlice[], scale: number): void => {
  let remaining = qty;
  let used = 0;
  while (used < layers.length && remaining.gt(0)) {
    const layer = layers[used]!;
    if (layer.qty.lte(remaining)) {
      slices.push(layer);
      remaining = remaining.minus(layer.qty);
      used++;
    } else {
      const value = share(layer.value, remaining, layer.qty, scale);
      slices.push({ qty: remaining, value, origin: layer.origin, lot: layer.lot });
      layers[used] = remainder(layer, remaining, value);
      remaining = ZERO;
    }
  }
  if (used > 0) layers.splice(0, used);
};

/** Consumes layers in the given order of indexes; returns the layers left, in their original order. */
const takeInOrder = (layers: ReadonlyArray<Layer>, order: ReadonlyArray<number>, qty: Dec, slices: LayerSlice[], scale: number): Layer[] => {
  let remaining = qty;
  const replaced = new Map<number, Layer | null>();
  for (let k = 0; k < order.length && remaining.gt(0); k++) {
    const i = order[k]!;
    const layer = layers[i]!;
    if (layer.qty.lte(remaining)) {
      slices.push(layer);
      remaining = remaining.minus(layer.qty);
      replaced.set(i, null);
    } else {
      const value = share(layer.value, remaining, layer.qty, scale);
      slices.push({ qty: remaining, value, origin: layer.origin, lot: layer.lot });
      replaced.set(i, remainder(layer, remaining, value));
      remaining = ZERO;
    }
  }
  const next: Layer[] = [];
  layers.forEach((layer, i) => {
    const r = replaced.get(i);
    if (r === undefined) next.push(layer);
    else if (r !== null) next.push(r);
  });
  return next;
};

const adjustValue = (state: PositionState, entry: Entry, ctx: ValuationContext): MoveValuation | ValuationFailure => {
  const { move } = entry;
  const src = move.source;
  if (src.type !== "cost-adjustment")
    return new ValuationError({ move: move.id, message: `a value move cannot take its cost from ${src.type}` });
  const receipt = ctx.referenced(src.of);
  if (!receipt) return new ValuationError({ move: move.id, message: `adjusted receipt ${src.of} not found` });
  const amount = roundMoney(src.amount, ctx.moneyScale);
  if (ctx.method === "standard") return { cost: ZERO, priceVariance: amount };
  const receivedQty = receipt.move.qty;
  let onHandOfReceipt: Dec;
  if (usesLayers(ctx.method)) onHandOfReceipt = state.layers.reduce((t, l) => (l.origin === src.of ? t.plus(l.qty) : t), ZERO);
  else onHandOfReceipt = Dec.min(state.qty, receivedQty);
  let toStock = onHandOfReceipt.isZero() ? ZERO : share(amount, onHandOfReceipt, receivedQty, ctx.moneyScale);
  if (state.value.plus(toStock).isNegative()) toStock = state.value.negated();
  if (usesLayers(ctx.method) && !toStock.isZero()) spreadOverLayers(state, src.of, toStock, onHandOfReceipt, ctx.moneyScale);
  state.value = state.value.plus(toStock);
  if (ctx.method === "monthly-weighted-average") state.monthInValue = state.monthInValue.plus(toStock);
  const rest = amount.minus(toStock);
  return { cost: toStock, costOfSalesDifference: rest.isZero() ? undefined : rest };
};

const spreadOverLayers = (state: PositionState, origin: string, amount: Dec, qty: Dec, scale: number): void => {
  let left = amount;
  let qtyLeft = qty;
  state.layers = state.layers.map((layer) => {
    if (layer.origin !== origin || qtyLeft.isZero()) return layer;
    const part = share(left, layer.qty, qtyLeft, scale);
    left = left.minus(part);
    qtyLeft = qtyLeft.minus(layer.qty);
    return { ...layer, value: layer.value.plus(part) };
  });
};

/** Monthly weighted average: start a new month's accumulation when the move is in a later period. */
const beginPeriod = (state: PositionState, entry: Entry): void => {
  if (state.period === entry.period) return;
  state.period = entry.period;
  state.monthOpenQty = state.qty;
  state.monthOpenValue = state.value;
  state.monthInQty = ZERO;
  state.monthInValue = ZERO;
  state.monthUnitCost = undefined;
};

/** Month-to-date weighted unit cost: (opening + inflows so far) ÷ (their quantity). */
const monthToDateUnitCost = (state: PositionState): Dec | undefined => {
  const qty = state.monthOpenQty.plus(state.monthInQty);
  return qty.gt(0) ? state.monthOpenValue.plus(state.monthInValue).dividedBy(qty) : lastUnitCost(state);
};

/**
 * Monthly weighted average of a closed month: (opening value + the month's inflows, landed costs
 * included) ÷ (their quantity), over every move of the month from `from` on. Returns undefined when nothing was
 * available in the month.
 */
export const closedMonthUnitCost = (
  state: PositionState,
  entries: ReadonlyArray<Entry>,
  from: number,
  ctx: ValuationContext,
): Dec | undefined => {
  const period = entries[from]!.period;
  let qty = state.qty;
  let value = state.value;
  let onHand = state.qty;
  for (let i = from; i < entries.length && entries[i]!.period === period; i++) {
    const { move } = entries[i]!;
    const src = move.source;
    if (move.direction === "in") onHand = onHand.plus(move.qty);
    else if (move.direction === "out") onHand = onHand.minus(move.qty);
    if (src.type === "cost-adjustment") {
      // the stock part of a landed cost, as adjustValue books it: it depends on quantities only
      const receipt = ctx.referenced(src.of);
      if (receipt && onHand.gt(0)) value = value.plus(share(roundMoney(src.amount, ctx.moneyScale), Dec.min(onHand, receipt.move.qty), receipt.move.qty, ctx.moneyScale));
    } else if (src.type === "unit-cost") {
      qty = qty.plus(move.qty);
      value = value.plus(roundMoney(move.qty.times(src.unitCost), ctx.moneyScale));
    } else if (src.type === "value") {
      qty = qty.plus(move.qty);
      value = value.plus(roundMoney(src.value, ctx.moneyScale));
    } else if (src.type === "transfer-in") {
      const from = ctx.referenced(src.from);
      if (from) {
        qty = qty.plus(move.qty);
        value = value.plus(from.val.cost);
      }
    }
  }
  return qty.gt(0) ? value.dividedBy(qty) : lastUnitCost(state);
};

/** Called before valuing the first move of a closed month under the monthly weighted average. */
export const settleClosedMonth = (state: PositionState, entries: ReadonlyArray<Entry>, index: number, ctx: ValuationContext): void => {
  beginPeriod(state, entries[index]!);
  state.monthUnitCost = closedMonthUnitCost(state, entries, index, ctx);
};
