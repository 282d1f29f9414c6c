import { describe, expect, it } from "vitest";
import { type ItemInput, type LedgerSettingsInput, type StockDocumentInput, StockLedger } from "@jxc/core";
import { ok, failWith, m } from "../../../scripts/test-support.js";

const on = (month: number, day: number, hour = 9) =>
  `2026-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00+08:00`;

const receipt = (id: string, when: string, item: string, qty: string, unitCost: string, lot?: string): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "purchase-receipt",
  lines: [{ item, qty, unitCost, warehouse: "W1", lot }],
});
const outbound = (id: string, when: string, item: string, qty: string, lot?: string): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "sales-outbound",
  lines: [{ item, qty, warehouse: "W1", lot }],
});
const ledger = (items: ItemInput[], settings: LedgerSettingsInput = {}) => ok(StockLedger.create({ settings, items, warehouses: [{ id: "W1" }] }));
const bal = (l: StockLedger, item: string) => {
  const b = ok(l.balance({ item }));
  return [b.qty.toString(), m(b.value)];
};
const outCost = (l: StockLedger, doc: StockDocumentInput) => m(ok(l.post(doc)).moves[0]!.cost);

describe("FIFO", () => {
  it("issues take the oldest layers first, splitting a layer when needed", () => {
    const l = ledger([{ id: "A", name: "A", baseUnit: "件", method: "fifo" }]);
    ok(l.post(receipt("PR1", on(1, 2), "A", "10", "10.00")));
    ok(l.post(receipt("PR2", on(1, 3), "A", "10", "12.00")));
    ok(l.post(receipt("PR3", on(1, 4), "A", "10", "15.00")));
    const o1 = ok(l.post(outbound("SO1", on(1, 5), "A", "15")));
    expect(m(o1.moves[0]!.cost)).toBe("160.00");
    expect(o1.moves[0]!.slices?.map((s) => [s.origin, s.qty.toString(), m(s.value)])).toEqual([
      ["PR1#0", "10", "100.00"],
      ["PR2#0", "5", "60.00"],
    ]);
    expect(outCost(l, outbound("SO2", on(1, 6), "A", "10"))).toBe("135.00"); // 5 × 12 + 5 × 15
    expect(bal(l, "A")).toEqual(["5", "75.00"]);
  });

  it("a split layer shares its value half-up and keeps the remainder: 3 units worth 10.00 → 1 out at 3.33, 2 left at 6.67", () => {
    const l = ledger([{ id: "A", name: "A", baseUnit: "件", method: "fifo" }]);
    ok(l.post(receipt("PR1", on(1, 2), "A", "3", "3.3333333")));
    expect(outCost(l, outbound("SO1", on(1, 3), "A", "1"))).toBe("3.33");
    expect(bal(l, "A")).toEqual(["2", "6.67"]);
  });
});

describe("moving average (移动加权平均)", () => {
  it("re-averages on every receipt", () => {
    const l = ledger([{ id: "A", name: "A", baseUnit: "件" }], { method: "moving-average" });
    ok(l.post(receipt("PR1", on(1, 2), "A", "10", "10.00")));
    expect(outCost(l, outbound("SO1", on(1, 3), "A", "4"))).toBe("40.00");
    ok(l.post(receipt("PR2", on(1, 4), "A", "6", "15.00"))); // 12 units, 150.00
    expect(outCost(l, outbound("SO2", on(1, 5), "A", "5"))).toBe("62.50");
    ok(l.post(receipt("PR3", on(1, 6), "A", "3", "7.77"))); // 7 + 3 = 10 units, 87.50 + 23.31 = 110.81
    expect(outCost(l, outbound("SO3", on(1, 7), "A", "3"))).toBe("33.24"); // 110.81 × 0.3 = 33.243
    expect(bal(l, "A")).toEqual(["7", "77.57"]);
  });
});

describe("monthly weighted average (月末一次加权平均)", () => {
  const setup = () => {
    const l = ledger([{ id: "A", name: "A", baseUnit: "件" }], { method: "monthly-weighted-average" });
    ok(l.post(receipt("PR1", on(1, 2), "A", "10", "10.00")));
    ok(l.post(outbound("SO1", on(1, 5), "A", "5")));
    ok(l.post(receipt("PR2", on(1, 10), "A", "10", "16.00")));
    ok(l.post(outbound("SO2", on(1, 20), "A", "10")));
    return l;
  };

  it("before closePeriod, issues are costed provisionally at the month-to-date average", () => {
    const l = setup();
    expect(m(l.move("SO1#0")?.cost)).toBe("50.00"); // 100 / 10
    expect(m(l.move("SO2#0")?.cost)).toBe("130.00"); // (100 + 160) / 20
    expect(bal(l, "A")).toEqual(["5", "80.00"]);
  });

  it("closePeriod gives the final cost (opening + month's receipts) ÷ qty = 13.00 and lists the cost changes", () => {
    const l = setup();
    const r = ok(l.closePeriod("2026-01"));
    expect(r.action).toBe("close-period");
    expect(r.costChanges.map((c) => [c.move, c.document, c.businessId, m(c.oldCost), m(c.newCost)])).toEqual([["SO1#0", "SO1", "B-SO1", "50.00", "65.00"]]);
    expect(m(l.move("SO1#0")?.cost)).toBe("65.00");
    expect(m(l.move("SO2#0")?.cost)).toBe("130.00");
    expect(bal(l, "A")).toEqual(["5", "65.00"]);
    expect(l.closedPeriod).toBe("2026-01");
  });

  it("the next month opens at the closed month's closing value; its own close lists its changes", () => {
    const l = setup();
    ok(l.closePeriod("2026-01"));
    ok(l.post(outbound("SO3", on(2, 2), "A", "4"))); // month-to-date: 65 / 5 = 13.00 → 52.00
    expect(m(l.move("SO3#0")?.cost)).toBe("52.00");
    ok(l.post(receipt("PR3", on(2, 3), "A", "5", "19.00")));
    expect(bal(l, "A")).toEqual(["6", "108.00"]);
    const r = ok(l.closePeriod("2026-02"));
    // (65 + 95) / (5 + 5) = 16.00 → 64.00
    expect(r.costChanges.map((c) => [c.move, m(c.oldCost), m(c.newCost)])).toEqual([["SO3#0", "52.00", "64.00"]]);
    expect(bal(l, "A")).toEqual(["6", "96.00"]);
  });

  it("the balance as of a date inside the month uses the provisional cost before the close and the final cost after", () => {
    const l = setup();
    const before = ok(l.balance({ item: "A", asOf: on(1, 6) }));
    expect([before.qty.toString(), m(before.value)]).toEqual(["5", "50.00"]); // 100 − 50
    ok(l.closePeriod("2026-01"));
    const after = ok(l.balance({ item: "A", asOf: on(1, 6) }));
    expect([after.qty.toString(), m(after.value)]).toEqual(["5", "35.00"]); // 100 − 65
  });

  it("a landed cost booked in the month is part of the month's average at close", () => {
    const l = ledger([{ id: "A", name: "A", baseUnit: "件" }], { method: "monthly-weighted-average" });
    ok(l.post(receipt("PR1", on(1, 2), "A", "10", "10.00")));
    ok(
      l.post({ id: "CA1", businessId: "B-PR1", at: on(1, 3), type: "cost-adjustment", reason: "landed-cost", receipt: "PR1", allocation: { by: "value", amount: "20.00" } }),
    );
    ok(l.post(outbound("SO1", on(1, 5), "A", "5")));
    // provisional: (100 + 20) / 10 = 12.00
    expect(m(l.move("SO1#0")?.cost)).toBe("60.00");
    expect(bal(l, "A")).toEqual(["5", "60.00"]);
    ok(l.closePeriod("2026-01"));
    // final: (0 + 100 + 20) / 10 = 12.00 — the issue stays at 60.00 and 5 units are worth 60.00
    expect(m(l.move("SO1#0")?.cost)).toBe("60.00");
    expect(bal(l, "A")).toEqual(["5", "60.00"]);
  });
});

describe("specific identification (个别计价)", () => {
  const items: ItemInput[] = [{ id: "P", name: "Painting", baseUnit: "件", method: "specific" }];

  it("an issue takes the cost of its own lot", () => {
    const l = ledger(items);
    ok(l.post(receipt("PR1", on(1, 2), "P", "5", "10.00", "X")));
    ok(l.post(receipt("PR2", on(1, 3), "P", "5", "20.00", "Y")));
    const o = ok(l.post(outbound("SO1", on(1, 4), "P", "3", "Y")));
    expect(m(o.moves[0]!.cost)).toBe("60.00");
    expect(o.moves[0]!.slices?.map((s) => [s.origin, s.lot])).toEqual([["PR2#0", "Y"]]);
    expect(outCost(l, outbound("SO2", on(1, 5), "P", "2", "X"))).toBe("20.00");
    expect(bal(l, "P")).toEqual(["5", "70.00"]);
  });

  it("an issue without a lot is a ValuationError; more than the lot holds is InsufficientStock", () => {
    const l = ledger(items);
    ok(l.post(receipt("PR1", on(1, 2), "P", "5", "10.00", "X")));
    ok(l.post(receipt("PR2", on(1, 3), "P", "2", "20.00", "Y")));
    failWith(l.post(outbound("SO1", on(1, 4), "P", "1")), "ValuationError");
    const e = failWith(l.post(outbound("SO2", on(1, 4), "P", "3", "Y")), "InsufficientStock");
    expect([e.requested, e.onHand, e.shortage]).toEqual(["3", "2", "1"]);
    expect(bal(l, "P")).toEqual(["7", "90.00"]);
  });
});

describe("standard cost (标准成本)", () => {
  const items: ItemInput[] = [{ id: "S", name: "Std", baseUnit: "件", method: "standard", standardCost: "10.00" }];

  it("stock is kept at standard; each receipt reports its price variance (actual − standard)", () => {
    const l = ledger(items);
    const r1 = ok(l.post(receipt("PR1", on(1, 2), "S", "10", "12.00")));
    expect([m(r1.moves[0]!.cost), m(r1.moves[0]!.priceVariance)]).toEqual(["100.00", "20.00"]);
    const r2 = ok(l.post(receipt("PR2", on(1, 3), "S", "5", "9.00")));
    expect([m(r2.moves[0]!.cost), m(r2.moves[0]!.priceVariance)]).toEqual(["50.00", "-5.00"]);
    const o = ok(l.post(outbound("SO1", on(1, 4), "S", "8")));
    expect(m(o.moves[0]!.cost)).toBe("80.00");
    expect(o.moves[0]!.priceVariance).toBeUndefined();
    expect(bal(l, "S")).toEqual(["7", "70.00"]);
  });

  it("a landed cost on a standard-cost receipt is a price variance, not stock value", () => {
    const l = ledger(items);
    ok(l.post(receipt("PR1", on(1, 2), "S", "10", "12.00")));
    const r = ok(
      l.post({ id: "CA1", businessId: "B", at: on(1, 3), type: "cost-adjustment", reason: "landed-cost", receipt: "PR1", allocation: { by: "value", amount: "7.50" } }),
    );
    expect([m(r.moves[0]!.cost), m(r.moves[0]!.priceVariance)]).toEqual(["0.00", "7.50"]);
    expect(bal(l, "S")).toEqual(["10", "100.00"]);
  });

  it("a standard-cost item without standardCost is refused with ValuationError", () => {
    const l = ledger([{ id: "S", name: "Std", baseUnit: "件", method: "standard" }]);
    failWith(l.post(receipt("PR1", on(1, 2), "S", "1", "1.00")), "ValuationError");
    expect(l.size).toBe(0);
  });
});

describe("LIFO", () => {
  it("an item with method lifo is refused unless settings.allowLifo", () => {
    const l = ledger([{ id: "L", name: "L", baseUnit: "件", method: "lifo" }]);
    failWith(l.post(receipt("PR1", on(1, 2), "L", "1", "1.00")), "ValuationError");
    expect(l.size).toBe(0);
    expect(ok(l.balances())).toEqual([]);
  });

  it("with allowLifo, issues take the newest layers first", () => {
    const l = ledger([{ id: "L", name: "L", baseUnit: "件", method: "lifo" }], { allowLifo: true });
    ok(l.post(receipt("PR1", on(1, 2), "L", "10", "10.00")));
    ok(l.post(receipt("PR2", on(1, 3), "L", "10", "12.00")));
    expect(outCost(l, outbound("SO1", on(1, 4), "L", "15"))).toBe("170.00"); // 10 × 12 + 5 × 10
    expect(bal(l, "L")).toEqual(["5", "50.00"]);
  });

  it("a category mapped to lifo needs allowLifo at ledger creation", () => {
    const e = failWith(StockLedger.create({ settings: { methodByCategory: { old: "lifo" } } }), "InvalidInput");
    expect(e.issues.map((i) => i.path)).toEqual(["settings.method"]);
  });
});

describe("method resolution", () => {
  it("item method beats category method beats tenant method", () => {
    const l = ledger(
      [
        { id: "I", name: "I", baseUnit: "件", category: "c", method: "moving-average" },
        { id: "C", name: "C", baseUnit: "件", category: "c" },
        { id: "T", name: "T", baseUnit: "件" },
      ],
      { method: "moving-average", methodByCategory: { c: "fifo" } },
    );
    for (const item of ["I", "C", "T"]) {
      ok(l.post(receipt(`PR1-${item}`, on(1, 2), item, "1", "10.00")));
      ok(l.post(receipt(`PR2-${item}`, on(1, 3), item, "1", "20.00")));
    }
    expect(outCost(l, outbound("SO-I", on(1, 4), "I", "1"))).toBe("15.00");
    expect(outCost(l, outbound("SO-C", on(1, 4), "C", "1"))).toBe("10.00");
    expect(outCost(l, outbound("SO-T", on(1, 4), "T", "1"))).toBe("15.00");
    expect(ok(l.balances()).map((b) => [b.position, b.method])).toEqual([
      ["C@W1", "fifo"],
      ["I@W1", "moving-average"],
      ["T@W1", "moving-average"],
    ]);
  });

  it("an item's method cannot change once it has moves", () => {
    const l = ledger([{ id: "A", name: "A", baseUnit: "件", method: "fifo" }]);
    ok(l.upsertItem({ id: "A", name: "A", baseUnit: "件", method: "moving-average" }));
    ok(l.post(receipt("PR1", on(1, 2), "A", "1", "1.00")));
    expect(failWith(l.upsertItem({ id: "A", name: "A", baseUnit: "件", method: "fifo" }), "RuleViolation").path).toBe("method");
  });
});
