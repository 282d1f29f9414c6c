import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { StockLedger } from "@jxc/core";

describe("the README example", () => {
  it("re-values a sale when a receipt dated before it arrives late", () => {
    const ledger = Result.getOrThrow(
      StockLedger.create({
        settings: { method: "fifo" },
        items: [{ id: "tea", name: "绿茶", baseUnit: "件", conversions: [{ unit: "箱", factor: "12" }] }],
        warehouses: [{ id: "SH" }],
      }),
    );
    Result.getOrThrow(
      ledger.post({
        id: "PR-1", businessId: "PO-1", type: "purchase-receipt", at: "2026-01-02T09:00:00+08:00",
        lines: [{ item: "tea", warehouse: "SH", qty: "10", unit: "箱", unitCost: "120.00" }],
      }),
    );
    const sale = Result.getOrThrow(
      ledger.post({
        id: "SO-1", businessId: "SO-1", type: "sales-outbound", at: "2026-01-05T15:00:00+08:00",
        lines: [{ item: "tea", warehouse: "SH", qty: "100" }],
      }),
    );
    expect(sale.moves[0]!.cost.toFixed(2)).toBe("1000.00");
    const late = Result.getOrThrow(
      ledger.post({
        id: "PR-0", businessId: "PO-0", type: "purchase-receipt", at: "2026-01-01T09:00:00+08:00",
        lines: [{ item: "tea", warehouse: "SH", qty: "50", unitCost: "8.00" }],
      }),
    );
    expect(late.costChanges.map((c) => [c.move, c.oldCost.toFixed(2), c.newCost.toFixed(2)])).toEqual([["SO-1#0", "1000.00", "900.00"]]);
    const balance = Result.getOrThrow(ledger.balance({ item: "tea", warehouse: "SH" }));
    expect([balance.qty.toString(), balance.value.toFixed(2)]).toEqual(["70", "700.00"]);
  });
});
