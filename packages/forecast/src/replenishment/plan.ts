/**
 * Replenishment planning (补货计划): for each item × warehouse position, the policy's reorder point
 * and order-up-to level from the lead-time demand of its probabilistic forecast, the reorder
 * trigger evaluated as rules (see {@link DEFAULT_TRIGGER_RULES}), and an order quantity that
 * respects MOQ, whole packs (箱规), the supplier's order and delivery days, the review period, the
 * shelf life, and — across positions — the budget and warehouse capacity.
 *
 * Policies (inventory position IP = on hand + pipeline − backordered):
 * - `s,Q`: when IP ≤ s, order the smallest multiple n·Q with IP + n·Q > s.
 * - `s,S`: when IP ≤ s, order S − IP.
 * - `R,S`: every R days (a review day), order S − IP when IP < S.
 * - `R,s,S`: every R days, when IP ≤ s, order S − IP.
 * Unless given, s is the service-level quantile of demand over the protection period (lead time,
 * plus R for periodic policies) — so s = mean + dynamic safety stock; S = s + the forecast demand of
 * `cycleDays` (default R, or 7) after it — with `cycleDays: 0`, S = s, a base-stock policy that
 * orders back up to the quantile at every review — and for `R,S` S is that quantile itself; Q is
 * the forecast demand of `cycleDays`.
 *
 * Lead-time demand is read from the day after the plan date: a position's forecast starts then, or
 * says with `forecastStart` that it starts earlier (made before the review), and its days before
 * are dropped.
 *
 * Quantities: the raw quantity is raised to the MOQ, then rounded **up** to whole packs. The shelf
 * life caps the order at what the forecast says can be sold before expiry — the forecast demand
 * from now to (mean lead time + shelf-life days), minus the inventory position — rounded **down**
 * to whole packs; below the MOQ the order is dropped.
 *
 * Budget and capacity are allocated by priority: positions with the fewest days of cover
 * (IP ÷ mean daily forecast) first, then the larger order value, then item and warehouse id. Each
 * gets its full quantity if it fits, else the most whole packs (at least the MOQ) that fit, else
 * nothing. The total value never exceeds the budget; a warehouse's total space never exceeds its
 * capacity.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { Dec, evaluateRuleSet, loadRuleSet, parseInput, type InvalidInput, type RuleSet, type RuleSetEvaluation, type RuleSyntaxError, type RuleTypeError } from "@jxc/core";
import type { Forecast } from "../model.js";
import { addDays, daysToDelivery, isoWeekday, isReviewDay } from "./calendar.js";
import { TriggerRuleFailed, UnusableForecast } from "./errors.js";
import { daysBetweenDates, leadTimeDistribution, type LeadTimeDistribution } from "./lead-time.js";
import { classicSafetyStock, leadTimeDemand, type LeadTimeDemandMethod } from "./lead-time-demand.js";
import { DEFAULT_TRIGGER_RULES } from "./trigger-rules.js";

const DecText = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "12.5"');
const PositiveDecText = DecText.refine((s) => new Dec(s).gt(0), "must be greater than 0");
const IsoDate = z.iso.date();
const Weekdays = z.array(z.number().int().min(1).max(7)).min(1);

/** The four reorder policies. */
export const ReplenishmentPolicyKindSchema = z.enum(["s,Q", "s,S", "R,S", "R,s,S"]);
/** A {@link ReplenishmentPolicyKindSchema} value. */
export type ReplenishmentPolicyKind = z.output<typeof ReplenishmentPolicyKindSchema>;

/** A policy with optional fixed parameters (decimal strings); missing ones come from the forecast. */
export const ReplenishmentPolicySchema = z.strictObject({
  kind: ReplenishmentPolicyKindSchema,
  /** Review period R in days (periodic policies; default 7). */
  reviewDays: z.number().int().min(1).max(365).optional(),
  /** The first review date; default: the plan date is a review day. */
  reviewAnchor: IsoDate.optional(),
  /** Fixed reorder point s. */
  reorderPoint: DecText.optional(),
  /** Fixed order-up-to level S. */
  orderUpTo: DecText.optional(),
  /** Fixed order quantity Q (`s,Q`). */
  orderQty: PositiveDecText.optional(),
  /**
   * Days of demand an order covers beyond the protection period (default R, or 7). 0 makes `s,S`
   * and `R,s,S` base-stock policies (S = s: each review orders back up to the quantile); `s,Q`
   * needs at least 1 day (or a fixed `orderQty`).
   */
  cycleDays: z.number().int().min(0).max(365).optional(),
}).refine((p) => !(p.kind === "s,Q" && p.cycleDays === 0 && p.orderQty === undefined), {
  message: "s,Q needs cycleDays of at least 1 or a fixed orderQty",
  path: ["cycleDays"],
});
/** A {@link ReplenishmentPolicySchema} value. */
export type ReplenishmentPolicy = z.output<typeof ReplenishmentPolicySchema>;

const ForecastShape = z.custom<Forecast>(
  (f) => typeof f === "object" && f !== null && (f as Forecast).mean instanceof Float64Array && (f as Forecast).quantiles instanceof Map,
  "must be a Forecast (mean Float64Array, quantiles Map)",
);
const LeadTimeShape = z.custom<LeadTimeDistribution>(
  (l) =>
    typeof l === "object" && l !== null && Array.isArray((l as LeadTimeDistribution).days) && (l as LeadTimeDistribution).days.length > 0 &&
    (l as LeadTimeDistribution).days.length === (l as LeadTimeDistribution).probabilities?.length &&
    (l as LeadTimeDistribution).days.every((d) => Number.isInteger(d) && d >= 0),
  "must be a LeadTimeDistribution (whole days ≥ 0 with probabilities)",
);

/** One item × warehouse to plan: stock, open orders, forecast, lead time, policy and constraints. */
export const ReplenishmentPositionSchema = z.strictObject({
  item: z.string().min(1),
  warehouse: z.string().min(1),
  supplier: z.string().min(1),
  unit: z.string().min(1).max(16).optional(),
  /** Purchase cost per unit (money, for the budget and order value). */
  unitCost: DecText,
  /** Space one unit takes in the warehouse's capacity measure (default 1). */
  unitSpace: DecText.optional(),
  onHand: DecText,
  backordered: DecText.optional(),
  /** Open purchase orders and requests not yet received (在途). */
  pipeline: z.array(z.strictObject({ qty: DecText, arrives: IsoDate })).optional(),
  /** Daily forecast; step 1 is the day after the plan date unless `forecastStart` says otherwise. */
  forecast: ForecastShape,
  /**
   * The date of the forecast's step 1; default the day after the plan date. A forecast made
   * before the review (a nightly run whose step 1 is the plan date itself, or earlier) is read
   * from the day after the plan date on, so that lead-time demand covers the days an order placed
   * now must cover — on a rising event ramp, reading it from its step 1 would order for days that
   * are already past and miss the last day of the lead time. A start later than the day after
   * the plan date leaves days uncovered and is refused ({@link UnusableForecast}).
   */
  forecastStart: IsoDate.optional(),
  leadTime: LeadTimeShape,
  policy: ReplenishmentPolicySchema,
  /** Cycle service level in (0, 1) (default: the plan's). */
  serviceLevel: z.number().gt(0).lt(1).optional(),
  /** Minimum order quantity (最小起订量). */
  moq: DecText.optional(),
  /** Pack size (箱规): orders are whole packs. Default 1. */
  packSize: PositiveDecText.optional(),
  /** Days the goods can be sold after they arrive. */
  shelfLifeDays: z.number().int().min(1).optional(),
  /** Weekdays (1 = Monday) the supplier takes orders; default every day. */
  orderWeekdays: Weekdays.optional(),
  /** Weekdays the supplier delivers; default every day. */
  deliveryWeekdays: Weekdays.optional(),
});
/** A {@link ReplenishmentPositionSchema} value. */
export type ReplenishmentPosition = z.input<typeof ReplenishmentPositionSchema>;

/** The planning request: the plan date, positions, service level, budget, capacities and trigger rules. */
export const ReplenishmentPlanInputSchema = z.strictObject({
  /** The order date; forecasts start the day after. */
  asOf: IsoDate,
  positions: z.array(ReplenishmentPositionSchema),
  /** Default cycle service level (default 0.95). */
  serviceLevel: z.number().gt(0).lt(1).optional(),
  /** Total purchase value allowed in this plan (money). */
  budget: DecText.optional(),
  /** Warehouse → free capacity, in the unit of `unitSpace`. */
  capacity: z.record(z.string(), DecText).optional(),
  /** Lead-time demand method (default `simulation`). */
  method: z.enum(["simulation", "normal"]).optional(),
  /** Monte Carlo draws per position (default 1,000). */
  samples: z.number().int().min(1).max(1_000_000).optional(),
  /** Seed of the generator (default 1). */
  seed: z.number().int().optional(),
  /** Reorder trigger rule set (default {@link DEFAULT_TRIGGER_RULES}). */
  triggerRules: z.unknown().optional(),
});
/** A {@link ReplenishmentPlanInputSchema} value. */
export type ReplenishmentPlanInput = z.input<typeof ReplenishmentPlanInputSchema>;

/** The rule that decided a position: rule set, rule, its explanation and the facts it read. */
export interface FiredTrigger {
  /** Rule set id and version. */
  readonly ruleSet: string;
  /** The rule id, or `none` when no rule held. */
  readonly rule: string;
  readonly description: string;
  /** The rule's action (`reorder`, `hold`…). */
  readonly action: string;
  /** The evaluation as text, e.g. `inventory.position (10) <= policy.reorderPoint (31.2) → true`. */
  readonly explanation: string;
  /** Every fact read, as wire values. */
  readonly facts: Readonly<Record<string, unknown>>;
}

/** Why a suggestion has its quantity: everything the planner read and decided. */
export interface SuggestionExplanation {
  readonly policy: ReplenishmentPolicyKind;
  readonly serviceLevel: number;
  /** The forecast model, its demand over the next 7 days, and lead-time demand (mean, quantiles). */
  readonly forecast: {
    readonly model: string;
    readonly next7d: number;
    readonly leadTimeDemandMean: number;
    readonly leadTimeDemandSd: number;
    readonly quantiles: Readonly<Record<string, number>>;
  };
  readonly stock: { readonly onHand: Dec; readonly pipeline: Dec; readonly backordered: Dec; readonly position: Dec };
  readonly leadTime: { readonly meanDays: number; readonly sdDays: number; readonly protectionDays: number };
  /** Dynamic safety stock (quantile − mean) and the classic z·σ·√L for comparison. */
  readonly safetyStock: { readonly dynamic: number; readonly classic: number };
  readonly reorderPoint: Dec;
  readonly orderUpTo: Dec;
  readonly orderQty: Dec;
  readonly trigger: FiredTrigger;
  /** The policy's quantity before MOQ, packs, shelf life, budget and capacity. */
  readonly rawQty: Dec;
  /** Most the shelf life allows (when a shelf life is given). */
  readonly shelfLifeLimit?: Dec;
  /** What changed the quantity, in order, e.g. `pack 12: 37 → 48`. */
  readonly adjustments: ReadonlyArray<string>;
}

/** A suggested purchase (补货建议) for one position. */
export interface ReplenishmentSuggestion {
  readonly item: string;
  readonly warehouse: string;
  readonly supplier: string;
  readonly unit?: string;
  readonly qty: Dec;
  /** qty × unit cost. */
  readonly value: Dec;
  readonly orderDate: string;
  /** Expected arrival (mean lead time, moved to a delivery day). */
  readonly needBy: string;
  readonly explanation: SuggestionExplanation;
}

/** A position that gets no order, and why. */
export interface ReplenishmentSkip {
  readonly item: string;
  readonly warehouse: string;
  /** `not an order day`, `not a review day`, `no rule fired`, `held by rule`, `nothing to order`, `shelf life`, `budget`, `capacity`. */
  readonly reason: string;
  readonly explanation?: SuggestionExplanation;
}

/** The result of {@link planReplenishment}. */
export interface ReplenishmentPlan {
  readonly asOf: string;
  readonly suggestions: ReadonlyArray<ReplenishmentSuggestion>;
  readonly skipped: ReadonlyArray<ReplenishmentSkip>;
  /** Σ suggestion values. */
  readonly totalValue: Dec;
}

/** Any expected failure of {@link planReplenishment}. */
export type ReplenishmentError = InvalidInput | RuleSyntaxError | RuleTypeError | UnusableForecast | TriggerRuleFailed;

const ZERO = new Dec(0);
const decOf = (x: number): Dec => new Dec(Number.isFinite(x) ? Math.max(0, x).toFixed(6) : "0");
const text = (d: Dec): string => d.toDecimalPlaces(4).toString();
const wholePacksUp = (q: Dec, pack: Dec): Dec => q.div(pack).ceil().mul(pack);
const wholePacksDown = (q: Dec, pack: Dec): Dec => q.div(pack).floor().mul(pack);

const sumMean = (f: Forecast, from: number, to: number): number => {
  let s = 0;
  for (let d = Math.max(0, from); d < Math.min(to, f.mean.length); d++) s += Math.max(0, f.mean[d]!);
  return s;
};

/**
 * The forecast as read from the day after `asOf`: unchanged when it starts then (or no start is
 * given), without its first days when it starts earlier; {@link UnusableForecast} when it starts
 * later (the days between would be missing).
 */
const forecastFromDayAfter = (forecast: Forecast, asOf: string, start: string | undefined, position: string): Result.Result<Forecast, UnusableForecast> => {
  const skip = start === undefined ? 0 : daysBetweenDates(start, addDays(asOf, 1));
  if (skip === 0) return Result.succeed(forecast);
  if (skip < 0) return Result.fail(new UnusableForecast({ position, reason: `forecast starts ${start}, after ${addDays(asOf, 1)}, the day after the plan date` }));
  if (skip >= forecast.mean.length) return Result.fail(new UnusableForecast({ position, reason: `forecast starts ${start} and ends before ${addDays(asOf, 1)}, the day after the plan date` }));
  const quantiles = new Map<number, Float64Array>();
  for (const [p, v] of forecast.quantiles) quantiles.set(p, v.subarray(skip));
  return Result.succeed({ ...forecast, mean: forecast.mean.subarray(skip), quantiles });
};

const dailySdOf = (f: Forecast, days: number): number => {
  const levels = [...f.quantiles.keys()].filter((p) => p > 0.5 && p < 1).sort((a, b) => b - a);
  const top = levels[0];
  if (top === undefined) return 0;
  const q = f.quantiles.get(top)!;
  const z = Math.SQRT2 * erfInv(2 * top - 1);
  let s = 0;
  const n = Math.max(1, Math.min(days, f.mean.length));
  for (let d = 0; d < n; d++) s += Math.max(0, (q[d]! - Math.max(0, f.mean[d]!)) / z);
  return s / n;
};

const erfInv = (x: number): number => {
  const a = 0.147;
  const ln = Math.log(1 - x * x);
  const t = 2 / (Math.PI * a) + ln / 2;
  return Math.sign(x) * Math.sqrt(Math.sqrt(t * t - ln / a) - t);
};

interface Candidate {
  readonly suggestion: ReplenishmentSuggestion;
  readonly pack: Dec;
  readonly moq: Dec;
  readonly unitCost: Dec;
  readonly unitSpace: Dec;
  readonly daysOfCover: number;
}

/**
 * Plans replenishment for every position (see the module description). Fails with
 * {@link InvalidInput} on malformed input, rule errors on a bad trigger rule set,
 * {@link UnusableForecast} when a forecast does not cover the protection period and
 * {@link TriggerRuleFailed} when the trigger cannot be evaluated.
 */
export const planReplenishment = (input: unknown): Result.Result<ReplenishmentPlan, ReplenishmentError> => {
  const parsed = parseInput(ReplenishmentPlanInputSchema, input, "replenishment plan");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const plan = parsed.success;
  const loaded = loadRuleSet(plan.triggerRules ?? DEFAULT_TRIGGER_RULES);
  if (Result.isFailure(loaded)) return Result.fail(loaded.failure);
  const rules: RuleSet = loaded.success;
  const weekday = isoWeekday(plan.asOf);
  const candidates: Candidate[] = [];
  const skipped: ReplenishmentSkip[] = [];
  for (const p of plan.positions) {
    const where = { item: p.item, warehouse: p.warehouse };
    if (p.orderWeekdays !== undefined && !p.orderWeekdays.includes(weekday)) {
      skipped.push({ ...where, reason: "not an order day" });
      continue;
    }
    const kind = p.policy.kind;
    const periodic = kind === "R,S" || kind === "R,s,S";
    const review = periodic ? (p.policy.reviewDays ?? 7) : 0;
    if (periodic && !isReviewDay(plan.asOf, review, p.policy.reviewAnchor ?? plan.asOf)) {
      skipped.push({ ...where, reason: "not a review day" });
      continue;
    }
    // Delivery days stretch each possible lead time to the next delivery day.
    const leadTime = p.deliveryWeekdays === undefined
      ? p.leadTime
      : leadTimeDistribution(p.leadTime.days.map((d, i) => ({ days: daysToDelivery(plan.asOf, d, p.deliveryWeekdays), probability: p.leadTime.probabilities[i]! })));
    const serviceLevel = p.serviceLevel ?? plan.serviceLevel ?? 0.95;
    const position = `${p.item}@${p.warehouse}`;
    const aligned = forecastFromDayAfter(p.forecast, plan.asOf, p.forecastStart, position);
    if (Result.isFailure(aligned)) return Result.fail(aligned.failure);
    const forecast = aligned.success;
    const ltd = leadTimeDemand(forecast, leadTime, { reviewDays: review, method: plan.method as LeadTimeDemandMethod | undefined, samples: plan.samples, seed: plan.seed, position });
    if (Result.isFailure(ltd)) return Result.fail(ltd.failure);
    const demand = ltd.success;
    const q = demand.quantile(serviceLevel);
    const protectionEnd = Math.ceil(demand.protectionDays);
    const cycleDays = p.policy.cycleDays ?? (periodic ? review : 7);
    const cycleDemand = forecast.mean.length >= protectionEnd + cycleDays
      ? sumMean(forecast, protectionEnd, protectionEnd + cycleDays)
      : (demand.mean / Math.max(1, demand.protectionDays)) * cycleDays;
    const s = p.policy.reorderPoint !== undefined ? new Dec(p.policy.reorderPoint) : decOf(q);
    const S = p.policy.orderUpTo !== undefined ? new Dec(p.policy.orderUpTo) : kind === "R,S" ? decOf(q) : s.add(decOf(cycleDemand));
    const Q = p.policy.orderQty !== undefined ? new Dec(p.policy.orderQty) : decOf(cycleDemand);
    const onHand = new Dec(p.onHand);
    const pipeline = (p.pipeline ?? []).reduce((a, o) => a.add(new Dec(o.qty)), ZERO);
    const backordered = new Dec(p.backordered ?? "0");
    const ip = onHand.add(pipeline).sub(backordered);
    const next7d = sumMean(forecast, 0, 7);
    const facts = {
      "policy.kind": kind,
      "policy.reorderPoint": text(s),
      "policy.orderUpTo": text(S),
      "policy.orderQty": text(Q),
      "inventory.position": text(ip),
      "stock.onHand": text(onHand),
      "stock.pipeline": text(pipeline),
      "stock.backordered": text(backordered),
      "forecast.next7d": text(decOf(next7d)),
      "forecast.leadTimeDemand": text(decOf(demand.mean)),
      "safetyStock.dynamic": text(decOf(q - demand.mean)),
      "supplier.leadTimeDays": String(Math.round(leadTime.mean)),
      "item.id": p.item,
      "warehouse.id": p.warehouse,
    };
    const evaluated = evaluateRuleSet(rules, facts);
    if (Result.isFailure(evaluated)) return Result.fail(new TriggerRuleFailed({ position, reason: evaluated.failure.message }));
    const trigger = firedTrigger(evaluated.success);
    const quantiles: Record<string, number> = {};
    for (const level of [0.5, 0.8, 0.9, 0.95, 0.99, serviceLevel]) quantiles[String(level)] = demand.quantile(level);
    const adjustments: string[] = [];
    let raw = ZERO;
    if (trigger.action === "reorder") {
      if (kind === "s,Q") {
        raw = Q.gt(0) ? Dec.max(s.sub(ip).div(Q).floor().add(1), 1).mul(Q) : ZERO;
        if (ip.gt(s)) raw = Q; // a custom rule fired above s: one Q
      } else raw = Dec.max(S.sub(ip), 0);
    }
    const pack = new Dec(p.packSize ?? "1");
    const moq = new Dec(p.moq ?? "0");
    let qty = raw;
    if (qty.gt(0) && qty.lt(moq)) {
      adjustments.push(`MOQ ${text(moq)}: ${text(qty)} → ${text(moq)}`);
      qty = moq;
    }
    if (qty.gt(0)) {
      const packed = wholePacksUp(qty, pack);
      if (!packed.eq(qty)) adjustments.push(`pack ${text(pack)}: ${text(qty)} → ${text(packed)}`);
      qty = packed;
    }
    let shelfLifeLimit: Dec | undefined;
    if (p.shelfLifeDays !== undefined) {
      const sellable = Dec.max(decOf(sumMean(forecast, 0, Math.round(leadTime.mean) + p.shelfLifeDays)).sub(ip), 0);
      shelfLifeLimit = sellable;
      if (qty.gt(sellable)) {
        const capped = wholePacksDown(sellable, pack);
        adjustments.push(`shelf life ${p.shelfLifeDays}d sells ${text(sellable)}: ${text(qty)} → ${capped.gte(moq) ? text(capped) : "0 (below MOQ)"}`);
        qty = capped.gte(moq) ? capped : ZERO;
      }
    }
    const explanation: SuggestionExplanation = {
      policy: kind,
      serviceLevel,
      forecast: { model: forecast.model, next7d, leadTimeDemandMean: demand.mean, leadTimeDemandSd: demand.sd, quantiles },
      stock: { onHand, pipeline, backordered, position: ip },
      leadTime: { meanDays: leadTime.mean, sdDays: leadTime.sd, protectionDays: demand.protectionDays },
      safetyStock: {
        dynamic: q - demand.mean,
        classic: classicSafetyStock({ serviceLevel, dailySd: dailySdOf(forecast, protectionEnd), leadTimeDays: demand.protectionDays, dailyMean: demand.forecastMean / Math.max(1, demand.protectionDays), leadTimeSd: leadTime.sd }),
      },
      reorderPoint: s,
      orderUpTo: S,
      orderQty: Q,
      trigger,
      rawQty: raw,
      ...(shelfLifeLimit === undefined ? {} : { shelfLifeLimit }),
      adjustments,
    };
    if (trigger.action !== "reorder") {
      skipped.push({ ...where, reason: trigger.rule === "none" ? "no rule fired" : "held by rule", explanation });
      continue;
    }
    if (qty.lte(0)) {
      skipped.push({ ...where, reason: raw.gt(0) ? "shelf life" : "nothing to order", explanation });
      continue;
    }
    const unitCost = new Dec(p.unitCost);
    const meanDaily = demand.forecastMean / Math.max(1, demand.protectionDays);
    candidates.push({
      suggestion: {
        item: p.item,
        warehouse: p.warehouse,
        supplier: p.supplier,
        ...(p.unit === undefined ? {} : { unit: p.unit }),
        qty,
        value: qty.mul(unitCost),
        orderDate: plan.asOf,
        needBy: addDays(plan.asOf, daysToDelivery(plan.asOf, Math.round(leadTime.mean), p.deliveryWeekdays)),
        explanation,
      },
      pack,
      moq,
      unitCost,
      unitSpace: new Dec(p.unitSpace ?? "1"),
      daysOfCover: meanDaily > 0 ? ip.toNumber() / meanDaily : Number.POSITIVE_INFINITY,
    });
  }
  const allocated = allocate(candidates, plan.budget === undefined ? undefined : new Dec(plan.budget), plan.capacity, skipped);
  const totalValue = allocated.reduce((a, s) => a.add(s.value), ZERO);
  return Result.succeed({ asOf: plan.asOf, suggestions: allocated, skipped, totalValue });
};

const firedTrigger = (evaluation: RuleSetEvaluation): FiredTrigger => {
  const ruleSet = `${evaluation.ruleSet.id}@${evaluation.ruleSet.version}`;
  const fired = evaluation.fired[0];
  if (fired === undefined) {
    return { ruleSet, rule: "none", description: "no rule held", action: "none", explanation: evaluation.outcomes.map((o) => `${o.rule}: ${o.explanation}`).join("; "), facts: evaluation.facts };
  }
  return { ruleSet, rule: fired.rule, description: fired.description, action: fired.action, explanation: fired.explanation, facts: fired.evaluation.facts };
};

/** Budget and capacity allocation by priority (fewest days of cover first); see the module description. */
const allocate = (
  candidates: Candidate[],
  budget: Dec | undefined,
  capacity: Readonly<Record<string, string>> | undefined,
  skipped: ReplenishmentSkip[],
): ReplenishmentSuggestion[] => {
  if (budget === undefined && capacity === undefined) return candidates.map((c) => c.suggestion);
  const order = [...candidates].sort(
    (a, b) =>
      a.daysOfCover - b.daysOfCover ||
      b.suggestion.value.comparedTo(a.suggestion.value) ||
      (a.suggestion.item < b.suggestion.item ? -1 : a.suggestion.item > b.suggestion.item ? 1 : 0) ||
      (a.suggestion.warehouse < b.suggestion.warehouse ? -1 : a.suggestion.warehouse > b.suggestion.warehouse ? 1 : 0),
  );
  let left = budget;
  const room = new Map<string, Dec>(Object.entries(capacity ?? {}).map(([w, c]) => [w, new Dec(c)]));
  const out: ReplenishmentSuggestion[] = [];
  for (const c of order) {
    const s = c.suggestion;
    let qty = s.qty;
    let limitedBy = "";
    if (left !== undefined && qty.mul(c.unitCost).gt(left)) {
      qty = c.unitCost.gt(0) ? wholePacksDown(left.div(c.unitCost), c.pack) : qty;
      limitedBy = "budget";
    }
    const free = room.get(s.warehouse);
    if (free !== undefined && c.unitSpace.gt(0) && qty.mul(c.unitSpace).gt(free)) {
      qty = wholePacksDown(free.div(c.unitSpace), c.pack);
      limitedBy = "capacity";
    }
    if (qty.lte(0) || qty.lt(c.moq)) {
      skipped.push({ item: s.item, warehouse: s.warehouse, reason: limitedBy, explanation: s.explanation });
      continue;
    }
    const value = qty.mul(c.unitCost);
    if (left !== undefined) left = left.sub(value);
    if (free !== undefined) room.set(s.warehouse, free.sub(qty.mul(c.unitSpace)));
    const adjustments = qty.eq(s.qty) ? s.explanation.adjustments : [...s.explanation.adjustments, `${limitedBy}: ${text(s.qty)} → ${text(qty)}`];
    out.push({ ...s, qty, value, explanation: { ...s.explanation, adjustments } });
  }
  return out;
};
