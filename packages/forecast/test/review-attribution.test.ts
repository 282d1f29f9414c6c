import { describe, expect, it } from "vitest";
import { attributeOutcomes, emptyReviewLog, monthlyReviewReports, recordReview } from "@jxc/forecast";
import { failWith, ok } from "../../../scripts/test-support.js";

const log = ok(
  recordReview(
    emptyReviewLog(),
    { id: "sug-1", item: "A", warehouse: "WH1", suggestedQty: "100", createdAt: "2026-01-01T09:00:00+08:00" },
    { action: "change", qty: "60", reason: { code: "overstock-risk" }, reviewer: "王", at: "2026-01-01T10:00:00+08:00" },
  ),
);

const day = (date: string, item: string, outcome: string, evidence: Record<string, unknown>, impact?: string) => ({
  item,
  warehouse: "WH1",
  date,
  outcome,
  demand: "10",
  stock: "0",
  ...(impact === undefined ? {} : { impact }),
  evidence,
});

const outcomes = [
  // 1. reviewer cut 100 → 60, and the forecast was low too: human override comes first
  day("2026-01-10", "A", "stockout", { suggestion: "sug-1", forecast: { forecast: "50", actual: "100" } }, "300"),
  // 2. supplier 3 days late (promised 3, took 6) and a signal gap: supplier comes before data quality
  day("2026-01-11", "B", "stockout", { supplier: { promisedLeadDays: 3, actualLeadDays: 6, orderedQty: "50", receivedQty: "50" }, signals: [{ signal: "douyin", expected: 10, missing: 3 }] }, "200"),
  // 3. signal missed 3 of 10 (30 % > 10 %) and the forecast was half the demand: data quality
  day("2026-01-12", "C", "stockout", { signals: [{ signal: "weather", expected: 10, missing: 3 }], forecast: { forecast: "50", actual: "100" } }),
  // 4. forecast 130 vs 100 (> 120): forecast error; supplier within tolerance (1 day late, 2 % short)
  day("2026-01-13", "D", "overstock", { forecast: { forecast: "130", actual: "100" }, supplier: { promisedLeadDays: 3, actualLeadDays: 4, orderedQty: "100", receivedQty: "98" } }, "50.5"),
  // 5. forecast 110 vs 100 (within 20 %), signal gap 1 of 10 (not above 10 %): unexplained
  day("2026-01-14", "E", "overstock", { forecast: { forecast: "110", actual: "100" }, signals: [{ signal: "weather", expected: 10, missing: 1 }] }),
  // 6. a normal day is skipped
  day("2026-01-15", "F", "none", {}),
  // 7. February: under-forecast
  day("2026-02-01", "A", "stockout", { forecast: { forecast: "10", actual: "100" } }),
  // 8. February: reviewer raised 100 → 150 inline, overstock
  day("2026-02-02", "B", "overstock", { override: { suggestedQty: "100", decidedQty: "150" } }),
];

describe("monthly review report (hand-computed)", () => {
  it("attributes each event to one primary cause under the default precedence", () => {
    const a = ok(attributeOutcomes(outcomes, {}, log));
    expect(a.map((x) => [x.item, x.outcome, x.cause, x.department])).toEqual([
      ["A", "stockout", "human-override", "purchasing"],
      ["B", "stockout", "supplier", "purchasing"],
      ["C", "stockout", "data-quality", "it"],
      ["D", "overstock", "forecast-error", "sales"],
      ["E", "overstock", "unexplained", "unassigned"],
      ["A", "stockout", "forecast-error", "sales"],
      ["B", "overstock", "human-override", "purchasing"],
    ]);
    expect(a[0]!.contributing).toEqual(["human-override", "forecast-error"]);
    expect(a[0]!.override).toEqual({ suggestion: "sug-1", reviewer: "王", reason: { code: "overstock-risk" } });
    expect(a[0]!.findings[0]).toBe("reviewer ordered 60 instead of the suggested 100");
    expect(a[1]!.contributing).toEqual(["supplier", "data-quality"]);
    expect(a[2]!.contributing).toEqual(["data-quality", "forecast-error"]);
    expect(a[3]!.contributing).toEqual(["forecast-error"]);
  });

  it("sums causes and departments per month, so each department sees its share", () => {
    const [jan, feb] = ok(monthlyReviewReports(outcomes, {}, log));
    expect(jan!.month).toBe("2026-01");
    expect([jan!.events, jan!.stockouts, jan!.overstocks]).toEqual([5, 3, 2]);
    expect(Object.fromEntries(Object.entries(jan!.byCause).map(([c, t]) => [c, [t.stockouts, t.overstocks, t.share, t.impact.toString()]]))).toEqual({
      "human-override": [1, 0, 0.2, "300"],
      supplier: [1, 0, 0.2, "200"],
      "data-quality": [1, 0, 0.2, "0"],
      "forecast-error": [0, 1, 0.2, "50.5"],
      unexplained: [0, 1, 0.2, "0"],
    });
    expect(jan!.byDepartment.map((d) => [d.department, d.events, d.share, d.impact.toString()])).toEqual([
      ["it", 1, 0.2, "0"],
      ["purchasing", 2, 0.4, "500"],
      ["sales", 1, 0.2, "50.5"],
      ["unassigned", 1, 0.2, "0"],
    ]);
    expect(feb!.month).toBe("2026-02");
    expect(feb!.byDepartment.map((d) => [d.department, d.stockouts, d.overstocks])).toEqual([
      ["purchasing", 0, 1],
      ["sales", 1, 0],
    ]);
  });

  it("precedence, tolerances and departments are parameters", () => {
    const forecastFirst = ok(attributeOutcomes(outcomes, { precedence: ["forecast-error", "data-quality", "supplier", "human-override"] }, log));
    expect(forecastFirst.map((x) => x.cause).slice(0, 3)).toEqual(["forecast-error", "data-quality", "forecast-error"]);
    const loose = ok(attributeOutcomes(outcomes, { leadTimeToleranceDays: 3, gapTolerance: 0.5, forecastTolerance: 0.6 }, log));
    expect(loose.map((x) => x.cause)).toEqual(["human-override", "unexplained", "unexplained", "unexplained", "unexplained", "forecast-error", "human-override"]);
    const strict = ok(attributeOutcomes(outcomes, { leadTimeToleranceDays: 0, fillTolerance: 0 }, log));
    expect(strict[3]!.contributing).toEqual(["forecast-error"]); // late and short deliveries never explain an overstock
    const over = ok(attributeOutcomes([day("2026-03-01", "G", "overstock", { supplier: { promisedLeadDays: 5, actualLeadDays: 2, orderedQty: "100", receivedQty: "120" } })]));
    expect(over[0]!.findings).toEqual(["supplier: lead time 2 days against 5 promised, received 120 of 100 ordered"]);
    const renamed = ok(monthlyReviewReports(outcomes, { departments: { "human-override": "采购部", supplier: "采购部" } }, log));
    expect(renamed[0]!.byDepartment.map((d) => d.department)).toEqual(["it", "sales", "unassigned", "采购部"]);
  });

  it("refuses unknown suggestions and malformed evidence or options", () => {
    failWith(attributeOutcomes(outcomes), "UnknownSuggestion");
    failWith(attributeOutcomes([day("2026-01-01", "A", "stockout", { signals: [{ signal: "x", expected: 1, missing: 2 }] })]), "InvalidInput");
    failWith(attributeOutcomes(outcomes, { precedence: ["supplier", "supplier", "data-quality", "forecast-error"] }, log), "InvalidInput");
    expect(ok(monthlyReviewReports([]))).toEqual([]);
  });
});
