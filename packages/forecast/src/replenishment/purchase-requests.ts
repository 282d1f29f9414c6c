/**
 * From suggestions to 采购申请: groups a plan's suggestions by supplier and warehouse into
 * `@jxc/core` purchase-request documents (status `draft`), one line per item with its need-by date
 * and the suggestion's explanation in words.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, parsePurchaseRequest, type InvalidInput, type PurchaseRequest, type PurchaseRequestInput } from "@jxc/core";
import type { ReplenishmentSuggestion } from "./plan.js";

const round = (x: number): string => (Math.round(x * 100) / 100).toString();

/**
 * A suggestion's explanation in words: forecast and quantiles, stock, pipeline, safety stock
 * (dynamic and classic), policy parameters, the rule that fired with its facts, and adjustments.
 */
export const explainSuggestion = (s: ReplenishmentSuggestion): string => {
  const e = s.explanation;
  const qs = Object.entries(e.forecast.quantiles).map(([p, v]) => `P${Math.round(Number(p) * 100)}=${round(v)}`).join(" ");
  return [
    `policy (${e.policy}) at service level ${e.serviceLevel}: s=${e.reorderPoint.toDecimalPlaces(2)} S=${e.orderUpTo.toDecimalPlaces(2)} Q=${e.orderQty.toDecimalPlaces(2)}`,
    `forecast ${e.forecast.model}: next 7 days ${round(e.forecast.next7d)}; lead-time demand over ${round(e.leadTime.protectionDays)} days mean ${round(e.forecast.leadTimeDemandMean)} sd ${round(e.forecast.leadTimeDemandSd)} (${qs})`,
    `stock on hand ${e.stock.onHand} + pipeline ${e.stock.pipeline} − backordered ${e.stock.backordered} = position ${e.stock.position}`,
    `safety stock dynamic ${round(e.safetyStock.dynamic)} (classic z·σ·√L ${round(e.safetyStock.classic)}); lead time ${round(e.leadTime.meanDays)}±${round(e.leadTime.sdDays)} days`,
    `rule ${e.trigger.ruleSet}/${e.trigger.rule} (${e.trigger.description}): ${e.trigger.explanation}`,
    `quantity ${e.rawQty.toDecimalPlaces(4)}${e.adjustments.length > 0 ? `; ${e.adjustments.join("; ")}` : ""} → ${s.qty}`,
  ].join(". ");
};

/** Options of {@link suggestionsToPurchaseRequests}. */
export const PurchaseRequestOptionsSchema = z.strictObject({
  /** When the requests are made (instant with offset). */
  at: z.iso.datetime({ offset: true }),
  /** Request ids are `${idPrefix}-${n}` (n from 1, in supplier then warehouse order). */
  idPrefix: z.string().min(1).max(100),
  /** Business ids are `${businessIdPrefix}-${n}`; default the id prefix. */
  businessIdPrefix: z.string().min(1).max(100).optional(),
});
/** A {@link PurchaseRequestOptionsSchema} value. */
export type PurchaseRequestOptions = z.input<typeof PurchaseRequestOptionsSchema>;

/**
 * Turns suggestions into draft purchase requests, one per supplier × warehouse, validated with the
 * core schema. Fails with {@link InvalidInput} on bad options.
 */
export const suggestionsToPurchaseRequests = (
  suggestions: ReadonlyArray<ReplenishmentSuggestion>,
  options: PurchaseRequestOptions,
): Result.Result<ReadonlyArray<PurchaseRequest>, InvalidInput> => {
  const opts = parseInput(PurchaseRequestOptionsSchema, options, "purchase request options");
  if (Result.isFailure(opts)) return Result.fail(opts.failure);
  const groups = new Map<string, ReplenishmentSuggestion[]>();
  for (const s of suggestions) {
    const key = `${s.supplier}\u0000${s.warehouse}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [s]);
    else g.push(s);
  }
  const keys = [...groups.keys()].sort();
  const out: PurchaseRequest[] = [];
  for (const [n, key] of keys.entries()) {
    const lines = groups.get(key)!;
    const first = lines[0]!;
    const doc: PurchaseRequestInput = {
      id: `${opts.success.idPrefix}-${n + 1}`,
      businessId: `${opts.success.businessIdPrefix ?? opts.success.idPrefix}-${n + 1}`,
      at: opts.success.at,
      type: "purchase-request",
      supplier: first.supplier,
      warehouse: first.warehouse,
      status: "draft",
      lines: lines.map((s) => ({
        item: s.item,
        qty: s.qty.toString(),
        ...(s.unit === undefined ? {} : { unit: s.unit }),
        needBy: s.needBy,
        explanation: explainSuggestion(s).slice(0, 8000),
      })),
    };
    const parsed = parsePurchaseRequest(doc);
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    out.push(parsed.success);
  }
  return Result.succeed(out);
};
