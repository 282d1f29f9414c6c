import { describe, expect, it } from "vitest";
import { aggregateSimulations, simulateInventory } from "../src/index.js";
import { failWith, ok } from "../../../scripts/test-support.js";

describe("inventory simulator (hand-computed)", () => {
  it("(s,S) s = 10, S = 20, lead time 2, steady demand 5: no stockout, average stock 6.5", () => {
    const r = ok(simulateInventory({ demand: ["5", "5", "5", "5", "5", "5"], initialOnHand: "12", leadTimeDays: 2, policy: { kind: "s,S", reorderPoint: "10", orderUpTo: "20" }, unitCost: "2", unitPrice: "3" }));
    expect(r.onHand.map(String)).toEqual(["7", "2", "10", "5", "10", "5"]);
    expect(r.orders).toBe(3);
    expect(r.orderedQty.toString()).toBe("33");
    expect(r.stockoutRate).toBe(0);
    expect(r.fillRate).toBe(1);
    expect(r.averageInventory.toString()).toBe("6.5");
    expect(r.averageInventoryValue.toString()).toBe("13");
    expect(r.turnoverDays).toBeCloseTo(13 / 10, 12);
  });

  it("(s,Q) s = 3, Q = 6, lead time 1, lost sales: one stockout day of four, fill 16/18", () => {
    const r = ok(simulateInventory({ demand: ["4", "4", "6", "4"], initialOnHand: "6", leadTimeDays: 1, policy: { kind: "s,Q", reorderPoint: "3", orderQty: "6" }, unitCost: "1", unitPrice: "2" }));
    expect(r.onHand.map(String)).toEqual(["2", "4", "0", "2"]);
    expect(r.stockoutDays).toBe(1);
    expect(r.stockoutRate).toBe(0.25);
    expect(r.fillRate).toBeCloseTo(16 / 18, 12);
    expect(r.lost.toString()).toBe("2");
    expect(r.lostSalesValue.toString()).toBe("4");
    expect(r.stockoutLossRate).toBeCloseTo(2 / 18, 12);
    expect(r.turnoverDays).toBeCloseTo(2 / 4, 12);
  });

  it("the same with backorders: the backlog is served first, nothing is lost", () => {
    const r = ok(simulateInventory({ demand: ["4", "4", "6", "4"], initialOnHand: "6", leadTimeDays: 1, policy: { kind: "s,Q", reorderPoint: "3", orderQty: "6" }, unmet: "backorder", unitCost: "1", unitPrice: "2" }));
    expect(r.onHand.map(String)).toEqual(["2", "4", "0", "0"]);
    expect(r.lost.toString()).toBe("0");
    expect(r.served.toString()).toBe("18");
    expect(r.stockoutDays).toBe(1);
    expect(r.fillRate).toBeCloseTo(16 / 18, 12);
  });

  it("(R,S) with R = 3 reviews on days 0 and 3 only; MOQ and packs round the order; aggregation sums SKUs", () => {
    const r = ok(simulateInventory({ demand: ["2", "2", "2", "2", "2", "2"], initialOnHand: "10", leadTimeDays: 1, policy: { kind: "R,S", orderUpTo: "12", reviewDays: 3, packSize: "5" }, unitCost: "1", unitPrice: "1" }));
    // day 0: 8 → order 4 → 5 (pack); day 1: 13 → 11; day 2: 9; day 3: 7 → order 5 → 5; day 4: 12 − 2 = 10; day 5: 8.
    expect(r.onHand.map(String)).toEqual(["8", "11", "9", "7", "10", "8"]);
    expect(r.orders).toBe(2);
    const agg = aggregateSimulations([r, r]);
    expect(agg.skuDays).toBe(12);
    expect(agg.averageInventoryValue.eq(r.averageInventoryValue.mul(2))).toBe(true);
    expect(agg.fillRate).toBe(1);
  });

  it("fractional quantities are exact: 0.1 + 0.2 units of demand leave exactly 0.7 of 1", () => {
    const r = ok(simulateInventory({ demand: ["0.1", "0.2"], initialOnHand: "1", leadTimeDays: 1, policy: { kind: "s,S", reorderPoint: "0", orderUpTo: "1" }, unitCost: "0.1", unitPrice: "0.3" }));
    expect(r.onHand.map(String)).toEqual(["0.9", "0.7"]);
    expect(r.sums.inventoryValueDays.toString()).toBe("0.16");
    expect(r.demand.toString()).toBe("0.3");
  });

  it("refuses negative demand, naming it", () => {
    const e = failWith(simulateInventory({ demand: ["1", "-1"], initialOnHand: "0", leadTimeDays: 1, policy: { kind: "s,S", reorderPoint: "1", orderUpTo: "2" }, unitCost: "1", unitPrice: "1" }), "InvalidInput");
    expect(e.issues[0]!.path).toBe("demand.1");
    // numbers are refused: a JS number may already have lost digits
    failWith(simulateInventory({ demand: [1], initialOnHand: "0", leadTimeDays: 1, policy: { kind: "s,S", reorderPoint: "1", orderUpTo: "2" }, unitCost: "1", unitPrice: "1" }), "InvalidInput");
  });
});
