import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TRIGGER_RULES,
  fixedLeadTime,
  normalForecast,
  planReplenishment,
  suggestionsToPurchaseRequests,
  type Forecast,
  type ReplenishmentPlan,
  type ReplenishmentPosition,
} from "../src/index.js";
import { failWith, ok } from "../../../scripts/test-support.js";

// Certain demand of 10 a day (no quantiles): lead-time demand is exact, so every figure is hand-computable.
const tenADay: Forecast = { mean: new Float64Array(40).fill(10), quantiles: new Map(), model: "point" };
const base: ReplenishmentPosition = {
  item: "A",
  warehouse: "WH1",
  supplier: "S1",
  unitCost: "2.5",
  onHand: "25",
  forecast: tenADay,
  leadTime: fixedLeadTime(3),
  policy: { kind: "s,Q" },
};
// 2026-09-01 is a Tuesday.
const plan = (positions: ReadonlyArray<ReplenishmentPosition>, extra: object = {}): ReplenishmentPlan =>
  ok(planReplenishment({ asOf: "2026-09-01", positions, ...extra }));

describe("textbook policies (certain demand 10/day, lead time 3 days)", () => {
  it("base stock ((s,S) with cycleDays 0): S = s = 30, so the order brings the position back to 30 → 5", () => {
    const s = plan([{ ...base, policy: { kind: "s,S", cycleDays: 0 } }]).suggestions[0]!;
    expect(s.explanation.reorderPoint.toString()).toBe("30");
    expect(s.explanation.orderUpTo.toString()).toBe("30");
    expect(s.qty.toString()).toBe("5");
    // (s,Q) needs a cycle (or a fixed Q) to have a quantity
    const e = failWith(planReplenishment({ asOf: "2026-09-01", positions: [{ ...base, policy: { kind: "s,Q", cycleDays: 0 } }] }), "InvalidInput");
    expect(e.issues[0]!.path).toBe("positions.0.policy.cycleDays");
  });

  it("(s,Q): s = 30, Q = 70 (7 days); IP 25 ≤ 30 → one Q, rounded up to packs of 12 → 72", () => {
    const p = plan([{ ...base, packSize: "12", moq: "50" }]);
    const s = p.suggestions[0]!;
    expect(s.explanation.reorderPoint.toString()).toBe("30");
    expect(s.explanation.orderQty.toString()).toBe("70");
    expect(s.explanation.rawQty.toString()).toBe("70");
    expect(s.qty.toString()).toBe("72");
    expect(s.value.toString()).toBe("180");
    expect(s.needBy).toBe("2026-09-04");
    expect(s.explanation.trigger.rule).toBe("reorder-point-reached");
    expect(s.explanation.trigger.facts["inventory.position"]).toBe("25");
    expect(s.explanation.safetyStock.dynamic).toBe(0);
  });

  it("(s,Q): a fixed Q and a position far below s orders enough multiples of Q: IP 5, s 30, Q 10 → 30", () => {
    const p = plan([{ ...base, onHand: "5", policy: { kind: "s,Q", orderQty: "10" } }]);
    expect(p.suggestions[0]!.qty.toString()).toBe("30");
  });

  it("(s,S): s = 30, S = 100; IP 20 → 80; IP 25 + pipeline 10 = 35 > s → nothing", () => {
    const order = plan([{ ...base, onHand: "20", policy: { kind: "s,S" } }]);
    expect(order.suggestions[0]!.explanation.orderUpTo.toString()).toBe("100");
    expect(order.suggestions[0]!.qty.toString()).toBe("80");
    const none = plan([{ ...base, pipeline: [{ qty: "10", arrives: "2026-09-02" }], policy: { kind: "s,S" } }]);
    expect(none.suggestions).toEqual([]);
    expect(none.skipped[0]!.reason).toBe("no rule fired");
  });

  it("(R,S), R = 7: S = demand over L + R = 100; IP 40 → 60; a non-review day orders nothing", () => {
    const p = plan([{ ...base, onHand: "40", policy: { kind: "R,S", reviewDays: 7 } }]);
    expect(p.suggestions[0]!.explanation.orderUpTo.toString()).toBe("100");
    expect(p.suggestions[0]!.qty.toString()).toBe("60");
    expect(p.suggestions[0]!.explanation.trigger.rule).toBe("order-up-to-at-review");
    const off = plan([{ ...base, onHand: "40", policy: { kind: "R,S", reviewDays: 7, reviewAnchor: "2026-08-30" } }]);
    expect(off.skipped[0]!.reason).toBe("not a review day");
  });

  it("(R,s,S), R = 7: s = 100, S = 170; IP 90 → 80; IP 120 → nothing", () => {
    const p = plan([{ ...base, onHand: "90", policy: { kind: "R,s,S", reviewDays: 7 } }]);
    expect(p.suggestions[0]!.explanation.reorderPoint.toString()).toBe("100");
    expect(p.suggestions[0]!.explanation.orderUpTo.toString()).toBe("170");
    expect(p.suggestions[0]!.qty.toString()).toBe("80");
    expect(plan([{ ...base, onHand: "120", policy: { kind: "R,s,S", reviewDays: 7 } }]).suggestions).toEqual([]);
  });

  it("MOQ raises a small order; shelf life caps it at what sells before expiry, in whole packs", () => {
    const moq = plan([{ ...base, onHand: "90", policy: { kind: "R,s,S", reviewDays: 7, orderUpTo: "95" }, moq: "24", packSize: "12" }]);
    expect(moq.suggestions[0]!.qty.toString()).toBe("24");
    // (s,S) raw 80; sells 10/day over 3 + 4 days = 70, minus position 20 → 50 → 4 packs of 12 = 48.
    const shelf = plan([{ ...base, onHand: "20", policy: { kind: "s,S" }, packSize: "12", shelfLifeDays: 4 }]);
    expect(shelf.suggestions[0]!.explanation.shelfLifeLimit!.toString()).toBe("50");
    expect(shelf.suggestions[0]!.qty.toString()).toBe("48");
  });

  it("supplier calendar: no order on a non-order day; delivery only on Mondays moves need-by and lead time", () => {
    expect(plan([{ ...base, orderWeekdays: [1] }]).skipped[0]!.reason).toBe("not an order day");
    const p = plan([{ ...base, onHand: "20", policy: { kind: "s,S" }, orderWeekdays: [2], deliveryWeekdays: [1] }]);
    // Tuesday + 3 days = Friday → next Monday, 6 days: s = 60, S = 130.
    expect(p.suggestions[0]!.needBy).toBe("2026-09-07");
    expect(p.suggestions[0]!.explanation.reorderPoint.toString()).toBe("60");
    expect(p.suggestions[0]!.qty.toString()).toBe("110");
  });

  it("budget and capacity: the position with fewer days of cover is served first, the rest cut to whole packs", () => {
    const a = { ...base, item: "A", onHand: "0", policy: { kind: "s,S" as const }, packSize: "10" };
    const b = { ...base, item: "B", onHand: "20", policy: { kind: "s,S" as const }, packSize: "10" };
    // A needs 100 (value 250), B needs 80 (value 200); budget 400 → A 100, B cut to 60 (150).
    const p = plan([b, a], { budget: "400" });
    expect(p.suggestions.map((s) => [s.item, s.qty.toString()])).toEqual([["A", "100"], ["B", "60"]]);
    expect(p.totalValue.toString()).toBe("400");
    expect(p.suggestions[1]!.explanation.adjustments.at(-1)).toBe("budget: 80 → 60");
    const c = plan([b, a], { capacity: { WH1: "125" } });
    expect(c.suggestions.map((s) => [s.item, s.qty.toString()])).toEqual([["A", "100"], ["B", "20"]]);
  });

  it("a custom trigger rule set fires with its explanation and facts", () => {
    const rules = {
      ...DEFAULT_TRIGGER_RULES,
      id: "surge",
      rules: [{ id: "surge", description: "next week's demand exceeds 1.5 × on hand", priority: 1, condition: "forecast.next7d > stock.onHand * 1.5", action: "reorder", params: {} }],
    };
    const p = plan([{ ...base, onHand: "40", policy: { kind: "s,S" } }], { triggerRules: rules });
    const t = p.suggestions[0]!.explanation.trigger;
    expect(t.rule).toBe("surge");
    expect(t.explanation).toBe("forecast.next7d (70) > (stock.onHand (40) * 1.5 → 60) → true");
    expect(p.suggestions[0]!.qty.toString()).toBe("60");
    failWith(planReplenishment({ asOf: "2026-09-01", positions: [base], triggerRules: { ...rules, rules: [{ ...rules.rules[0]!, condition: "stock.onHand > date\"2026-01-01\"" }] } }), "RuleTypeError");
  });

  it("refuses bad input naming the field, and a forecast shorter than the lead time", () => {
    const bad = failWith(planReplenishment({ asOf: "2026-09-01", positions: [{ ...base, onHand: 25 }] }), "InvalidInput");
    expect(bad.issues[0]!.path).toBe("positions.0.onHand");
    failWith(planReplenishment({ asOf: "2026-09-01", positions: [{ ...base, leadTime: fixedLeadTime(50) }] }), "UnusableForecast");
  });

  it("suggestions become draft purchase requests, one per supplier × warehouse, with explanations", () => {
    const p = plan([{ ...base, packSize: "12" }, { ...base, item: "B", onHand: "0" }, { ...base, item: "C", warehouse: "WH2" }]);
    const docs = ok(suggestionsToPurchaseRequests(p.suggestions, { at: "2026-09-01T09:00:00+08:00", idPrefix: "PR-20260901" }));
    expect(docs.map((d) => [d.id, d.warehouse, d.lines.map((l) => l.item)])).toEqual([
      ["PR-20260901-1", "WH1", ["A", "B"]],
      ["PR-20260901-2", "WH2", ["C"]],
    ]);
    expect(docs[0]!.status).toBe("draft");
    expect(docs[0]!.lines[0]!.qty.toString()).toBe("72");
    expect(docs[0]!.lines[0]!.explanation).toContain("rule replenishment-trigger@1/reorder-point-reached");
    expect(docs[0]!.lines[0]!.explanation).toContain("pack 12: 70 → 72");
    expect(Result.isFailure(suggestionsToPurchaseRequests(p.suggestions, { at: "now", idPrefix: "x" }))).toBe(true);
  });

  it("the README example: S ≈ 108 from a normal forecast, position 25 → 84 in packs of 12", () => {
    const forecast = normalForecast("given", new Float64Array(28).fill(10), new Float64Array(28).fill(3), [0.5, 0.9, 0.95, 0.99]);
    // The forecast is normal, so the exact (analytic) lead-time demand is used: no Monte Carlo noise near a pack boundary.
    const p = plan([{ ...base, forecast, policy: { kind: "s,S" }, moq: "24", packSize: "12" }], { method: "normal" });
    expect(p.suggestions[0]!.qty.toString()).toBe("84");
    expect(p.suggestions[0]!.explanation.trigger.rule).toBe("reorder-point-reached");
    expect(p.suggestions[0]!.explanation.orderUpTo.toNumber()).toBeCloseTo(108.55, 0);
    expect(ok(suggestionsToPurchaseRequests(p.suggestions, { at: "2026-09-01T09:00:00+08:00", idPrefix: "PR" }))).toHaveLength(1);
  });
});
