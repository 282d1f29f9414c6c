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
 * The simulator is a statistical replay in float64 (like forecasts); it books nothing.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { ReplenishmentPolicyKindSchema, type ReplenishmentPolicyKind } from "./plan.js";

const Level = z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]);

/** A policy for the simulator: parameters as one value or one value per day. */
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
  moq: z.number().nonnegative().optional(),
  /** Pack size: orders are whole packs (default 1). */
  packSize: z.number().positive().optional(),
});
/** A {@link SimulationPolicySchema} value. */
export type SimulationPolicy = z.input<typeof SimulationPolicySchema>;

/** What the simulator replays: demand by day, the starting stock, lead time, policy and prices. */
export const SimulationInputSchema = z.strictObject({
  demand: z.array(z.number().nonnegative()),
  initialOnHand: z.number().nonnegative(),
  /** Orders already open: quantity arriving at the start of day `day` (0-based). */
  openOrders: z.array(z.strictObject({ qty: z.number().nonnegative(), day: z.number().int().nonnegative() })).optional(),
  /** Lead time in days: one value, or one per order day. */
  leadTimeDays: z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]),
  policy: SimulationPolicySchema,
  /** What happens to demand that cannot be served: lost (default) or backordered. */
  unmet: z.enum(["lost", "backorder"]).optional(),
  unitCost: z.number().nonnegative(),
  unitPrice: z.number().nonnegative(),
});
/** A {@link SimulationInputSchema} value. */
export type SimulationInput = z.input<typeof SimulationInputSchema>;

/** The KPIs of one simulation (see the module description for definitions). */
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
  readonly demand: number;
  readonly served: number;
  readonly lost: number;
  /** Served on the day ÷ demanded (1 when there is no demand). */
  readonly fillRate: number;
  readonly lostSalesValue: number;
  /** 缺货损失率: value not served on its day ÷ value demanded. */
  readonly stockoutLossRate: number;
  readonly averageInventory: number;
  readonly averageInventoryValue: number;
  /** 周转天数 (Infinity when nothing was served). */
  readonly turnoverDays: number;
  readonly orders: number;
  readonly orderedQty: number;
  /** End-of-day on hand per day. */
  readonly onHand: ReadonlyArray<number>;
  /** Internal sums for aggregation: demand value, unserved value, cost of goods served, Σ inventory value. */
  readonly sums: { readonly demandValue: number; readonly unservedValue: number; readonly cogs: number; readonly inventoryValueDays: number };
}

const at = (v: number | ReadonlyArray<number> | undefined, t: number, fallback: number): number =>
  v === undefined ? fallback : typeof v === "number" ? v : (v[Math.min(t, v.length - 1)] ?? fallback);

/** The order quantity of a policy at a review with inventory position `ip` (before MOQ and packs). */
const policyOrder = (kind: ReplenishmentPolicyKind, ip: number, s: number, S: number, Q: number): number => {
  switch (kind) {
    case "s,Q":
      return ip <= s && Q > 0 ? (Math.floor((s - ip) / Q) + 1) * Q : 0;
    case "s,S":
    case "R,s,S":
      return ip <= s ? Math.max(0, S - ip) : 0;
    case "R,S":
      return ip < S ? S - ip : 0;
  }
};

/** Replays demand under a policy (see the module description). Fails with {@link InvalidInput} on malformed input. */
export const simulateInventory = (input: unknown): Result.Result<SimulationReport, InvalidInput> => {
  const parsed = parseInput(SimulationInputSchema, input, "inventory simulation");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const x = parsed.success;
  const n = x.demand.length;
  const p = x.policy;
  const periodic = p.kind === "R,S" || p.kind === "R,s,S";
  const review = p.reviewDays ?? 7;
  const pack = p.packSize ?? 1;
  const moq = p.moq ?? 0;
  const backorder = x.unmet === "backorder";
  const arrivals = new Float64Array(n + 400);
  let pipeline = 0;
  for (const o of x.openOrders ?? []) {
    if (o.day < arrivals.length) arrivals[o.day]! += o.qty;
    pipeline += o.qty;
  }
  let onHand = x.initialOnHand;
  let backlog = 0;
  let demandDays = 0;
  let stockoutDays = 0;
  let demand = 0;
  let servedOnDay = 0;
  let served = 0;
  let lost = 0;
  let invSum = 0;
  let orders = 0;
  let orderedQty = 0;
  const trail: number[] = [];
  for (let t = 0; t < n; t++) {
    const arriving = arrivals[t]!;
    onHand += arriving;
    pipeline -= arriving;
    if (backorder && backlog > 0) {
      const b = Math.min(backlog, onHand);
      onHand -= b;
      backlog -= b;
      served += b;
    }
    const d = x.demand[t]!;
    const now = Math.min(d, onHand);
    onHand -= now;
    served += now;
    servedOnDay += now;
    demand += d;
    if (d > 0) {
      demandDays++;
      if (now < d - 1e-9) stockoutDays++;
    }
    if (backorder) backlog += d - now;
    else lost += d - now;
    if (!periodic || t % review === 0) {
      const ip = onHand + pipeline - backlog;
      let q = policyOrder(p.kind, ip, at(p.reorderPoint, t, 0), at(p.orderUpTo, t, 0), at(p.orderQty, t, 0));
      if (q > 1e-9) {
        q = Math.ceil(Math.max(q, moq) / pack - 1e-9) * pack;
        const lt = Math.max(1, typeof x.leadTimeDays === "number" ? x.leadTimeDays : (x.leadTimeDays[Math.min(t, x.leadTimeDays.length - 1)] ?? 1));
        if (t + lt < arrivals.length) arrivals[t + lt]! += q;
        pipeline += q;
        orders++;
        orderedQty += q;
      }
    }
    invSum += onHand;
    trail.push(onHand);
  }
  const averageInventory = n > 0 ? invSum / n : 0;
  const demandValue = demand * x.unitPrice;
  const unservedValue = (demand - servedOnDay) * x.unitPrice;
  const cogs = served * x.unitCost;
  return Result.succeed(
    finish({
      days: n,
      skuDays: n,
      demandDays,
      stockoutDays,
      demand,
      served,
      servedOnDay,
      lost,
      lostSalesValue: lost * x.unitPrice,
      orders,
      orderedQty,
      onHand: trail,
      sums: { demandValue, unservedValue, cogs, inventoryValueDays: invSum * x.unitCost },
      averageInventory,
    }),
  );
};

interface Totals {
  readonly days: number;
  readonly skuDays: number;
  readonly demandDays: number;
  readonly stockoutDays: number;
  readonly demand: number;
  readonly served: number;
  readonly servedOnDay: number;
  readonly lost: number;
  readonly lostSalesValue: number;
  readonly orders: number;
  readonly orderedQty: number;
  readonly onHand: ReadonlyArray<number>;
  readonly sums: SimulationReport["sums"];
  readonly averageInventory: number;
}

const finish = (t: Totals): SimulationReport => {
  const averageInventoryValue = t.days > 0 ? t.sums.inventoryValueDays / t.days : 0;
  const dailyCogs = t.days > 0 ? t.sums.cogs / t.days : 0;
  return {
    days: t.days,
    skuDays: t.skuDays,
    demandDays: t.demandDays,
    stockoutDays: t.stockoutDays,
    stockoutRate: t.demandDays > 0 ? t.stockoutDays / t.demandDays : 0,
    stockoutDayShare: t.skuDays > 0 ? t.stockoutDays / t.skuDays : 0,
    demand: t.demand,
    served: t.served,
    lost: t.lost,
    fillRate: t.demand > 0 ? t.servedOnDay / t.demand : 1,
    lostSalesValue: t.lostSalesValue,
    stockoutLossRate: t.sums.demandValue > 0 ? t.sums.unservedValue / t.sums.demandValue : 0,
    averageInventory: t.averageInventory,
    averageInventoryValue,
    turnoverDays: dailyCogs > 0 ? averageInventoryValue / dailyCogs : Number.POSITIVE_INFINITY,
    orders: t.orders,
    orderedQty: t.orderedQty,
    onHand: t.onHand,
    sums: t.sums,
  };
};

/**
 * Aggregates simulations of many SKUs over the same days: stockout rate over all SKU-days with
 * demand, fill rate over all units, inventory value summed over SKUs (average per day), turnover
 * days of the whole assortment. `onHand` is the summed end-of-day stock.
 */
export const aggregateSimulations = (reports: ReadonlyArray<SimulationReport>): SimulationReport => {
  const days = Math.max(0, ...reports.map((r) => r.days));
  const sum = (f: (r: SimulationReport) => number): number => reports.reduce((a, r) => a + f(r), 0);
  const onHand = Array.from({ length: days }, (_, t) => sum((r) => r.onHand[t] ?? 0));
  return finish({
    days,
    skuDays: sum((r) => r.skuDays),
    demandDays: sum((r) => r.demandDays),
    stockoutDays: sum((r) => r.stockoutDays),
    demand: sum((r) => r.demand),
    served: sum((r) => r.served),
    servedOnDay: sum((r) => r.fillRate * r.demand),
    lost: sum((r) => r.lost),
    lostSalesValue: sum((r) => r.lostSalesValue),
    orders: sum((r) => r.orders),
    orderedQty: sum((r) => r.orderedQty),
    onHand,
    sums: {
      demandValue: sum((r) => r.sums.demandValue),
      unservedValue: sum((r) => r.sums.unservedValue),
      cogs: sum((r) => r.sums.cogs),
      inventoryValueDays: sum((r) => r.sums.inventoryValueDays),
    },
    averageInventory: sum((r) => r.averageInventory),
  });
};
