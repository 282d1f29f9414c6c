/**
 * Inventory simulator (库存仿真): replays a daily demand history (or a hold-out) under a reorder
 * policy, with lead times and lost or backordered sales, and reports the KPIs that matter.
 *
 * Each day t: (1) orders due on day t arrive at the start of the day; (2) demand is served from
 * stock — under `backorder`, the backlog first, then today's demand; under `lost`, what cannot be
 * served is lost; (3) at the end of the day the policy reviews the inventory position
 * (on hand + pipeline − backlog) — every day for (s,Q) and (s,S), on days t ≡ 0 (mod R) for
 * (R,S) and (R,s,S) — and places its order (MOQ, whole packs), which arrives on day
 * t + leadTime (at least 1). Policy parameters may change by day (a dynamic policy recomputed from
 * forecasts as they change) or stay fixed (a static one).
 *
 * KPIs, precisely:
 * - **stockout rate (断货率)**: days on which demand was positive and not fully served from stock,
 *   divided by days with positive demand (per SKU; summed over SKUs when aggregated). A day with a
 *   backlog outstanding and new demand is a stockout day as well.
 * - **stockout day share**: the same stockout days divided by all days.
 * - **fill rate**: units served on the day they were demanded ÷ units demanded.
 * - **lost sales value**: units lost × unit price (only under `lost`).
 * - **缺货损失率 (stockout loss rate)**: value of demand not served on its day ÷ value of demand.
 * - **average inventory value**: mean end-of-day on hand × unit cost.
 * - **turnover days (周转天数)**: average inventory value ÷ average daily cost of goods served.
 *
 * Quantities and money are exact: they enter as decimal strings (or {@link Dec}) and the replay
 * runs on integers scaled by 10^d, d the most decimal places of any quantity given (BigInt, so no
 * size limit), converted back to {@link Dec} in the report. Only the ratios (stockout rate, fill
 * rate, 缺货损失率, turnover days) are float64.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { Dec, NonNegativeDecimalString, parseInput, sumDecimals, ZERO, type InvalidInput } from "@jxc/core";
import { ReplenishmentPolicyKindSchema, type ReplenishmentPolicyKind } from "./plan.js";

/** A non-negative quantity or amount: a decimal string such as `"12.5"`, or a {@link Dec}. */
const Amount = z.union([z.instanceof(Dec).refine((d) => d.isFinite() && d.gte(0), "must be a finite decimal, 0 or greater"), NonNegativeDecimalString]);
const PositiveAmount = Amount.refine((d) => d.gt(0), "must be greater than 0");
const Level = z.union([Amount, z.array(Amount).min(1)]);

/** A policy for the simulator: parameters as one value or one value per day (decimal strings or {@link Dec}). */
export const SimulationPolicySchema = z.strictObject({
  kind: ReplenishmentPolicyKindSchema,
  /** Reorder point s (not used by `R,S`). */
  reorderPoint: Level.optional(),
  /** Order-up-to level S (`s,S`, `R,S`, `R,s,S`). */
  orderUpTo: Level.optional(),
  /** Order quantity Q (`s,Q`). */
  orderQty: Level.optional(),
  /** Review period R in days (periodic policies; default 7). */
  reviewDays: z.number().int().min(1).optional(),
  moq: Amount.optional(),
  /** Pack size: orders are whole packs (default 1). */
  packSize: PositiveAmount.optional(),
});
/** A {@link SimulationPolicySchema} value. */
export type SimulationPolicy = z.input<typeof SimulationPolicySchema>;

/** What the simulator replays: demand by day, the starting stock, lead time, policy and prices (decimal strings or {@link Dec}). */
export const SimulationInputSchema = z.strictObject({
  demand: z.array(Amount),
  initialOnHand: Amount,
  /** Orders already open: quantity arriving at the start of day `day` (0-based). */
  openOrders: z.array(z.strictObject({ qty: Amount, day: z.number().int().nonnegative() })).optional(),
  /** Lead time in days: one value, or one per order day. */
  leadTimeDays: z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]),
  policy: SimulationPolicySchema,
  /** What happens to demand that cannot be served: lost (default) or backordered. */
  unmet: z.enum(["lost", "backorder"]).optional(),
  /** Cost of one unit (money): inventory value and cost of goods served. */
  unitCost: Amount,
  /** Price of one unit (money): lost sales value and 缺货损失率. */
  unitPrice: Amount,
});
/** A {@link SimulationInputSchema} value. */
export type SimulationInput = z.input<typeof SimulationInputSchema>;

/** The KPIs of one simulation (see the module description for definitions); quantities and money exact. */
export interface SimulationReport {
  readonly days: number;
  /** SKU-days simulated (days × SKUs when aggregated). */
  readonly skuDays: number;
  readonly demandDays: number;
  readonly stockoutDays: number;
  /** 断货率: stockout days ÷ days with demand (0 when there is no demand). */
  readonly stockoutRate: number;
  /** Stockout days ÷ all SKU-days. */
  readonly stockoutDayShare: number;
  readonly demand: Dec;
  /** Units served, on their day or later from the backlog. */
  readonly served: Dec;
  /** Units served on the day they were demanded. */
  readonly servedOnDay: Dec;
  readonly lost: Dec;
  /** Served on the day ÷ demanded (1 when there is no demand). */
  readonly fillRate: number;
  readonly lostSalesValue: Dec;
  /** 缺货损失率: value not served on its day ÷ value demanded. */
  readonly stockoutLossRate: number;
  /** Mean end-of-day on hand (Σ ÷ days, 34 significant digits). */
  readonly averageInventory: Dec;
  /** Mean end-of-day inventory value at cost (Σ ÷ days, 34 significant digits). */
  readonly averageInventoryValue: Dec;
  /** 周转天数: average inventory value ÷ average daily cost of goods served (Infinity when nothing was served). */
  readonly turnoverDays: number;
  readonly orders: number;
  readonly orderedQty: Dec;
  /** End-of-day on hand per day. */
  readonly onHand: ReadonlyArray<Dec>;
  /** Exact sums for aggregation: demand value, value not served on its day, cost of goods served, Σ end-of-day on hand and its value. */
  readonly sums: { readonly demandValue: Dec; readonly unservedValue: Dec; readonly cogs: Dec; readonly inventoryDays: Dec; readonly inventoryValueDays: Dec };
}

/** The order quantity of a policy at a review with inventory position `ip` (scaled integers, before MOQ and packs). */
const policyOrder = (kind: ReplenishmentPolicyKind, ip: bigint, s: bigint, S: bigint, Q: bigint): bigint => {
  switch (kind) {
    case "s,Q":
      return ip <= s && Q > 0n ? ((s - ip) / Q + 1n) * Q : 0n;
    case "s,S":
    case "R,s,S":
      return ip <= s && S > ip ? S - ip : 0n;
    case "R,S":
      return ip < S ? S - ip : 0n;
  }
};

/** Decimal places of a decimal (0 for integers). */
const placesOf = (d: Dec): number => d.decimalPlaces();

/** Replays demand under a policy (see the module description). Fails with {@link InvalidInput} on malformed input. */
export const simulateInventory = (input: unknown): Result.Result<SimulationReport, InvalidInput> => {
  const parsed = parseInput(SimulationInputSchema, input, "inventory simulation");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const x = parsed.success;
  const n = x.demand.length;
  const p = x.policy;
  const levels = (v: Dec | Dec[] | undefined): Dec[] => (v === undefined ? [ZERO] : Array.isArray(v) ? v : [v]);
  const sLevels = levels(p.reorderPoint);
  const SLevels = levels(p.orderUpTo);
  const QLevels = levels(p.orderQty);
  const moqDec = p.moq ?? ZERO;
  const packDec = p.packSize ?? new Dec(1);
  // The scale: the most decimal places of any quantity.
  let places = Math.max(placesOf(x.initialOnHand), placesOf(moqDec), placesOf(packDec));
  for (const list of [x.demand, sLevels, SLevels, QLevels, (x.openOrders ?? []).map((o) => o.qty)]) for (const d of list) places = Math.max(places, placesOf(d));
  const unit = new Dec(10).pow(places);
  const scaled = (d: Dec): bigint => BigInt(d.mul(unit).toFixed(0));
  const unscaled = (b: bigint): Dec => new Dec(b.toString()).div(unit);
  const demandQ = x.demand.map(scaled);
  const sQ = sLevels.map(scaled);
  const SQ = SLevels.map(scaled);
  const QQ = QLevels.map(scaled);
  const at = (v: bigint[], t: number): bigint => v[Math.min(t, v.length - 1)]!;
  const moq = scaled(moqDec);
  const pack = scaled(packDec);
  const periodic = p.kind === "R,S" || p.kind === "R,s,S";
  const review = p.reviewDays ?? 7;
  const backorder = x.unmet === "backorder";
  const arrivals = new Map<number, bigint>();
  let pipeline = 0n;
  for (const o of x.openOrders ?? []) {
    const q = scaled(o.qty);
    arrivals.set(o.day, (arrivals.get(o.day) ?? 0n) + q);
    pipeline += q;
  }
  let onHand = scaled(x.initialOnHand);
  let backlog = 0n;
  let demandDays = 0;
  let stockoutDays = 0;
  let demand = 0n;
  let servedOnDay = 0n;
  let served = 0n;
  let lost = 0n;
  let invSum = 0n;
  let orders = 0;
  let orderedQty = 0n;
  const trail: bigint[] = [];
  for (let t = 0; t < n; t++) {
    const arriving = arrivals.get(t) ?? 0n;
    onHand += arriving;
    pipeline -= arriving;
    if (backorder && backlog > 0n) {
      const b = backlog < onHand ? backlog : onHand;
      onHand -= b;
      backlog -= b;
      served += b;
    }
    const d = demandQ[t]!;
    const now = d < onHand ? d : onHand;
    onHand -= now;
    served += now;
    servedOnDay += now;
    demand += d;
    if (d > 0n) {
      demandDays++;
      if (now < d) stockoutDays++;
    }
    if (backorder) backlog += d - now;
    else lost += d - now;
    if (!periodic || t % review === 0) {
      const ip = onHand + pipeline - backlog;
      let q = policyOrder(p.kind, ip, at(sQ, t), at(SQ, t), at(QQ, t));
      if (q > 0n) {
        if (q < moq) q = moq;
        q = ((q + pack - 1n) / pack) * pack;
        const lt = Math.max(1, typeof x.leadTimeDays === "number" ? x.leadTimeDays : (x.leadTimeDays[Math.min(t, x.leadTimeDays.length - 1)] ?? 1));
        arrivals.set(t + lt, (arrivals.get(t + lt) ?? 0n) + q);
        pipeline += q;
        orders++;
        orderedQty += q;
      }
    }
    invSum += onHand;
    trail.push(onHand);
  }
  const demandDec = unscaled(demand);
  const servedOnDayDec = unscaled(servedOnDay);
  const inventoryDays = unscaled(invSum);
  return Result.succeed(
    finish({
      days: n,
      skuDays: n,
      demandDays,
      stockoutDays,
      demand: demandDec,
      served: unscaled(served),
      servedOnDay: servedOnDayDec,
      lost: unscaled(lost),
      lostSalesValue: unscaled(lost).mul(x.unitPrice),
      orders,
      orderedQty: unscaled(orderedQty),
      onHand: trail.map(unscaled),
      sums: {
        demandValue: demandDec.mul(x.unitPrice),
        unservedValue: demandDec.sub(servedOnDayDec).mul(x.unitPrice),
        cogs: unscaled(served).mul(x.unitCost),
        inventoryDays,
        inventoryValueDays: inventoryDays.mul(x.unitCost),
      },
    }),
  );
};

type Totals = Omit<SimulationReport, "stockoutRate" | "stockoutDayShare" | "fillRate" | "stockoutLossRate" | "averageInventory" | "averageInventoryValue" | "turnoverDays">;

const ratio = (a: Dec, b: Dec): number => a.div(b).toNumber();

const finish = (t: Totals): SimulationReport => {
  const averageInventory = t.days > 0 ? t.sums.inventoryDays.div(t.days) : ZERO;
  const averageInventoryValue = t.days > 0 ? t.sums.inventoryValueDays.div(t.days) : ZERO;
  return {
    ...t,
    stockoutRate: t.demandDays > 0 ? t.stockoutDays / t.demandDays : 0,
    stockoutDayShare: t.skuDays > 0 ? t.stockoutDays / t.skuDays : 0,
    fillRate: t.demand.gt(0) ? ratio(t.servedOnDay, t.demand) : 1,
    stockoutLossRate: t.sums.demandValue.gt(0) ? ratio(t.sums.unservedValue, t.sums.demandValue) : 0,
    averageInventory,
    averageInventoryValue,
    // average inventory value ÷ (cogs ÷ days) = Σ inventory value ÷ cogs
    turnoverDays: t.sums.cogs.gt(0) ? ratio(t.sums.inventoryValueDays, t.sums.cogs) : Number.POSITIVE_INFINITY,
  };
};

/**
 * Aggregates simulations of many SKUs over the same days: stockout rate over all SKU-days with
 * demand, fill rate over all units, inventory value summed over SKUs (average per day), turnover
 * days of the whole assortment. `onHand` is the summed end-of-day stock. Exact sums.
 */
export const aggregateSimulations = (reports: ReadonlyArray<SimulationReport>): SimulationReport => {
  const days = Math.max(0, ...reports.map((r) => r.days));
  const count = (f: (r: SimulationReport) => number): number => reports.reduce((a, r) => a + f(r), 0);
  const sum = (f: (r: SimulationReport) => Dec): Dec => sumDecimals(reports.map(f));
  return finish({
    days,
    skuDays: count((r) => r.skuDays),
    demandDays: count((r) => r.demandDays),
    stockoutDays: count((r) => r.stockoutDays),
    demand: sum((r) => r.demand),
    served: sum((r) => r.served),
    servedOnDay: sum((r) => r.servedOnDay),
    lost: sum((r) => r.lost),
    lostSalesValue: sum((r) => r.lostSalesValue),
    orders: count((r) => r.orders),
    orderedQty: sum((r) => r.orderedQty),
    onHand: Array.from({ length: days }, (_, t) => sum((r) => r.onHand[t] ?? ZERO)),
    sums: {
      demandValue: sum((r) => r.sums.demandValue),
      unservedValue: sum((r) => r.sums.unservedValue),
      cogs: sum((r) => r.sums.cogs),
      inventoryDays: sum((r) => r.sums.inventoryDays),
      inventoryValueDays: sum((r) => r.sums.inventoryValueDays),
    },
  });
};
