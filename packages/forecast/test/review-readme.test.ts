import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { adoptionRates, emptyReviewLog, monthlyReviewReports, recordReview, selectPilotSkus } from "@jxc/forecast";

describe("the README example of pilot selection and human review", () => {
  it("selects P1, records a changed quantity and attributes the stockout to the override", () => {
    const pilot = Result.getOrThrow(
      selectPilotSkus([
        { sku: "P1", sales: [{ qty: "4", price: "15", cost: "5" }], demand: ["0", "0", "0", "0", "0", "0", "0", "0", "0", "12"] },
        { sku: "P2", sales: [{ qty: "3", price: "15", cost: "5" }], demand: ["5", "5"] },
        { sku: "P3", sales: [{ qty: "3", price: "15", cost: "5" }], demand: ["0", "9"] },
      ]),
    );
    expect(pilot.selected.map((s) => s.sku)).toEqual(["P1"]);
    expect(pilot.excluded.map((s) => [s.sku, s.excludedBy])).toEqual([
      ["P2", "stable-demand"],
      ["P3", "outside-profit-share"],
    ]);
    const suggestion = { id: "sug-1", item: "P1", warehouse: "WH1", suggestedQty: "100", createdAt: "2026-01-05T08:00:00+08:00" };
    const log = Result.getOrThrow(
      recordReview(emptyReviewLog(), suggestion, {
        action: "change",
        qty: "60",
        reason: { code: "overstock-risk" },
        reviewer: "王",
        at: "2026-01-05T09:00:00+08:00",
      }),
    );
    expect(Result.getOrThrow(adoptionRates(log, { period: "month" }))[0]?.adoptionRate).toBe(1);
    const [january] = Result.getOrThrow(
      monthlyReviewReports(
        [
          {
            item: "P1",
            warehouse: "WH1",
            date: "2026-01-20",
            outcome: "stockout",
            demand: "30",
            stock: "0",
            evidence: { suggestion: "sug-1", forecast: { forecast: "90", actual: "100" } },
          },
        ],
        {},
        log,
      ),
    );
    expect(january?.byCause["human-override"].events).toBe(1);
  });
});
