import { describe, expect, it } from "vitest";
import { type LedgerSettingsInput, type StockDocumentInput, StockLedger } from "@jxc/core";
import { ok, failWith, m, at } from "../../../scripts/test-support.js";


const receipt = (id: string, day: number, item: string, qty: string, unitCost: string): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: at(day),
  type: "purchase-receipt",
  lines: [{ item, qty, unitCost, warehouse: "W1" }],
});
const outbound = (id: string, day: number, item: string, qty: string): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: at(day),
  type: "sales-outbound",
  lines: [{ item, qty, warehouse: "W1" }],
});
const ledgerWith = (settings: LedgerSettingsInput = {}) =>
  ok(
    StockLedger.create({
      settings: { negativeStock: "allow", ...settings },
      items: [
        { id: "A", name: "Average", baseUnit: "件", method: "moving-average" },
        { id: "F", name: "Fifo", baseUnit: "件", method: "fifo" },
      ],
      warehouses: [{ id: "W1" }],
    }),
  );
const bal = (l: StockLedger, item: string) => {
  const b = ok(l.balance({ item }));
  return [b.qty.toString(), m(b.value)];
};

describe("negative stock: allow", () => {
  it("the default policy refuses; allow costs the shortage provisionally at the last unit cost", () => {
    const strict = ok(StockLedger.create({ items: [{ id: "A", name: "A", baseUnit: "件" }], warehouses: [{ id: "W1" }] }));
    ok(strict.post(receipt("R1", 2, "A", "5", "10.00")));
    failWith(strict.post(outbound("I1", 5, "A", "8")), "InsufficientStock");

    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "A", "5", "10.00")));
    const r = ok(l.post(outbound("I1", 5, "A", "8")));
    expect(m(r.moves[0]!.cost)).toBe("80.00"); // 50.00 on hand + 3 × 10.00 provisional
    expect(r.moves[0]!.provisional).toBe(true);
    expect(bal(l, "A")).toEqual(["-3", "-30.00"]);
  });

  it("moving average: the next receipt trues the shortage up (costOfSalesDifference) and the rest goes to stock", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "A", "5", "10.00")));
    ok(l.post(outbound("I1", 5, "A", "8")));
    const r = ok(l.post(receipt("R2", 10, "A", "10", "12.00")));
    expect(m(r.moves[0]!.cost)).toBe("120.00");
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("6.00"); // 3 × (12 − 10)
    expect(bal(l, "A")).toEqual(["7", "84.00"]);
  });

  it("a receipt that exactly covers the shortage leaves the position at zero quantity and zero value", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "A", "5", "10.00")));
    ok(l.post(outbound("I1", 5, "A", "8")));
    const r = ok(l.post(receipt("R2", 10, "A", "3", "12.00")));
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("6.00");
    expect(bal(l, "A")).toEqual(["0", "0.00"]);
  });

  it("partial settlement: two receipts true the shortage up in two steps and end at zero", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "A", "5", "10.00")));
    ok(l.post(outbound("I1", 5, "A", "8")));
    const r2 = ok(l.post(receipt("R2", 10, "A", "2", "12.00")));
    expect(m(r2.moves[0]!.costOfSalesDifference)).toBe("4.00"); // 24.00 − 20.00
    expect(bal(l, "A")).toEqual(["-1", "-10.00"]);
    const r3 = ok(l.post(receipt("R3", 11, "A", "1", "15.00")));
    expect(m(r3.moves[0]!.costOfSalesDifference)).toBe("5.00");
    expect(bal(l, "A")).toEqual(["0", "0.00"]);
  });

  it("a further issue while short adds to the shortage", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "A", "5", "10.00")));
    ok(l.post(outbound("I1", 5, "A", "8")));
    const i2 = ok(l.post(outbound("I2", 6, "A", "2")));
    expect([m(i2.moves[0]!.cost), i2.moves[0]!.provisional]).toEqual(["20.00", true]);
    expect(bal(l, "A")).toEqual(["-5", "-50.00"]);
    const r = ok(l.post(receipt("R2", 10, "A", "10", "12.00")));
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("10.00");
    expect(bal(l, "A")).toEqual(["5", "60.00"]);
  });

  it("FIFO: the on-hand layers go first, the shortage is provisional, and a receipt with a rounding value still ends at zero", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "F", "5", "10.00")));
    const i = ok(l.post(outbound("I1", 5, "F", "8")));
    expect(m(i.moves[0]!.cost)).toBe("80.00");
    expect(i.moves[0]!.provisional).toBe(true);
    expect(i.moves[0]!.slices?.map((s) => [s.origin, s.qty.toString(), m(s.value)])).toEqual([
      ["R1#0", "5", "50.00"],
      ["I1#0", "3", "30.00"], // the shortage, at the provisional cost, is a slice of its own
    ]);
    const r = ok(l.post(receipt("R2", 10, "F", "3", "12.333"))); // 36.999 → 37.00
    expect(m(r.moves[0]!.cost)).toBe("37.00");
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("7.00");
    expect(bal(l, "F")).toEqual(["0", "0.00"]);
    expect(ok(l.layers({ item: "F" }))).toEqual([]);
  });

  it("a position that never had a cost uses settings.provisionalUnitCost", () => {
    const l = ledgerWith({ provisionalUnitCost: "9.00" });
    const i = ok(l.post(outbound("I1", 2, "A", "2")));
    expect([m(i.moves[0]!.cost), i.moves[0]!.provisional]).toEqual(["18.00", true]);
    expect(bal(l, "A")).toEqual(["-2", "-18.00"]);
    const r = ok(l.post(receipt("R1", 3, "A", "2", "10.00")));
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("2.00");
    expect(bal(l, "A")).toEqual(["0", "0.00"]);
  });

  it("a backdated receipt that covers the issue removes the provisional costing", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", 2, "A", "5", "10.00")));
    ok(l.post(outbound("I1", 5, "A", "8")));
    const r = ok(l.post(receipt("R0", 1, "A", "10", "11.00")));
    // 15 units, 160.00 → 8 out = 85.33 (85.333…)
    expect(r.costChanges.map((c) => [c.move, m(c.oldCost), m(c.newCost)])).toEqual([["I1#0", "80.00", "85.33"]]);
    expect(l.move("I1#0")?.provisional ?? false).toBe(false);
    expect(bal(l, "A")).toEqual(["7", "74.67"]);
  });
});
