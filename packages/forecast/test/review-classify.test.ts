import { describe, expect, it } from "vitest";
import { classifySkus, selectPilotSkus } from "@jxc/forecast";
import { failWith, ok } from "../../../scripts/test-support.js";

const line = (qty: string, price: string, cost: string) => ({ qty, price, cost });

// Gross profits: S1 10×(10−4)=60, S2 5×(20−14) − 1×(20−14) = 24, S3 4×(5−1)=16, S4 0, S5 −1.
// Positive total 100: shares 0.6, 0.24, 0.16.
const histories = [
  { sku: "S3", sales: [line("4", "5", "1")], demand: ["2", "6"] }, // mean 4, sd 2, CV 0.5
  { sku: "S5", sales: [line("1", "1", "2")], demand: ["0", "0"] }, // no demand: CV NaN
  { sku: "S1", sales: [line("10", "10", "4")], demand: ["10", "10", "10", "10"] }, // CV 0
  { sku: "S2", category: "饮料", sales: [line("5", "20", "14"), line("-1", "20", "14")], demand: ["0", "0", "0", "8"] }, // mean 2, sd √12
  { sku: "S4", sales: [line("2", "3", "3")], demand: ["1", "3", "1", "3"] }, // mean 2, sd 1, CV 0.5
];

describe("ABC/XYZ classification (hand-computed)", () => {
  it("ranks by gross profit and classes by the cumulative share before each SKU (80/95)", () => {
    const c = ok(classifySkus(histories));
    expect(c.skus.map((s) => s.sku)).toEqual(["S1", "S2", "S3", "S4", "S5"]);
    expect(c.skus.map((s) => s.grossProfit.toString())).toEqual(["60", "24", "16", "0", "-1"]);
    expect(c.skus.map((s) => s.share.toString())).toEqual(["0.6", "0.24", "0.16", "0", "0"]);
    expect(c.skus.map((s) => s.cumulativeShareBefore.toString())).toEqual(["0", "0.6", "0.84", "1", "1"]);
    expect(c.skus.map((s) => s.abc)).toEqual(["A", "A", "B", "C", "C"]);
    expect(c.totalGrossProfit.toString()).toBe("99");
    expect(c.positiveGrossProfit.toString()).toBe("100");
    expect(c.skus[1]!.category).toBe("饮料");
  });

  it("gives the CV of demand per period and its XYZ class (0.5 / 1.0)", () => {
    const c = ok(classifySkus(histories));
    const bySku = new Map(c.skus.map((s) => [s.sku, s]));
    expect(bySku.get("S1")!.cv).toBe(0);
    expect(bySku.get("S2")!.cv).toBeCloseTo(Math.sqrt(12) / 2, 12);
    expect(bySku.get("S3")!.cv).toBe(0.5);
    expect(bySku.get("S4")!.meanDemand.toString()).toBe("2");
    expect(Number.isNaN(bySku.get("S5")!.cv)).toBe(true);
    expect(c.skus.map((s) => s.xyz)).toEqual(["X", "Z", "X", "X", "Z"]);
    const tight = ok(classifySkus(histories, { xyz: { x: 0.4, y: 2 } }));
    expect(tight.skus.map((s) => s.xyz)).toEqual(["X", "Y", "Y", "Y", "Z"]);
  });

  it("the SKU that crosses boundary a is in A; one that starts exactly at a is not (pilot rule 60 %)", () => {
    const c = ok(classifySkus(histories, { abc: { a: 0.6, b: 0.95 } }));
    expect(c.skus.map((s) => s.abc)).toEqual(["A", "B", "B", "C", "C"]);
    const c2 = ok(classifySkus(histories, { abc: { a: 0.61, b: 0.62 } }));
    expect(c2.skus.map((s) => s.abc)).toEqual(["A", "A", "C", "C", "C"]);
  });

  it("breaks gross-profit ties by SKU code, whatever the input order", () => {
    const tie = [
      { sku: "b", sales: [line("1", "2", "1")], demand: ["1"] },
      { sku: "a", sales: [line("1", "2", "1")], demand: ["1"] },
    ];
    expect(ok(classifySkus(tie)).skus.map((s) => s.sku)).toEqual(["a", "b"]);
    expect(ok(classifySkus([...tie].reverse())).skus.map((s) => s.sku)).toEqual(["a", "b"]);
  });

  it("refuses duplicates, boundaries out of order, numbers as money and negative demand", () => {
    failWith(classifySkus([histories[0], histories[0]]), "DuplicateSku");
    failWith(classifySkus(histories, { abc: { a: 0.9, b: 0.8 } }), "InvalidClassBoundaries");
    failWith(classifySkus(histories, { xyz: { x: 2, y: 1 } }), "InvalidClassBoundaries");
    failWith(classifySkus([{ sku: "x", sales: [{ qty: 1, price: "1", cost: "1" }], demand: ["1"] }]), "InvalidInput");
    failWith(classifySkus([{ sku: "x", sales: [], demand: ["-1"] }]), "InvalidInput");
    failWith(classifySkus(histories, { abc: { a: 0 } }), "InvalidInput");
  });

  it("with no positive gross profit every SKU is C", () => {
    const c = ok(classifySkus([{ sku: "x", sales: [line("1", "1", "2")], demand: ["1"] }]));
    expect(c.skus[0]!.abc).toBe("C");
  });
});

// Pilot: gross profits 40, 30, 20, 10 (total 100); demand CV 3 (nine zeros and a 12) or 0.
const volatile = ["0", "0", "0", "0", "0", "0", "0", "0", "0", "12"];
const pilotHistories = [
  { sku: "P4", sales: [line("1", "15", "5")], demand: volatile },
  { sku: "P2", sales: [line("3", "15", "5")], demand: ["5", "5"] },
  { sku: "P1", sales: [line("4", "15", "5")], demand: volatile },
  { sku: "P3", sales: [line("2", "15", "5")], demand: volatile },
];

describe("pilot selection (hand-computed)", () => {
  it("takes the SKUs covering the first 60 % with CV > 1.8, and says why for every SKU", () => {
    const p = ok(selectPilotSkus(pilotHistories));
    expect(p.selected.map((s) => s.sku)).toEqual(["P1"]);
    expect(p.selected[0]!.cv).toBeCloseTo(3, 12);
    expect(p.selected[0]!.reason).toContain("CV 3.00 > 1.8");
    expect(p.excluded.map((s) => [s.sku, s.excludedBy])).toEqual([
      ["P2", "stable-demand"],
      ["P3", "outside-profit-share"],
      ["P4", "outside-profit-share"],
    ]);
    expect(p.options).toEqual({ profitShare: 0.6, minCv: 1.8, limit: 20 });
  });

  it("honours all three parameters", () => {
    expect(ok(selectPilotSkus(pilotHistories, { profitShare: 0.75 })).selected.map((s) => s.sku)).toEqual(["P1", "P3"]);
    const limited = ok(selectPilotSkus(pilotHistories, { profitShare: 1, limit: 2 }));
    expect(limited.selected.map((s) => s.sku)).toEqual(["P1", "P3"]);
    expect(limited.excluded.find((s) => s.sku === "P4")!.excludedBy).toBe("beyond-limit");
    expect(ok(selectPilotSkus(pilotHistories, { profitShare: 1, minCv: 3 })).selected).toEqual([]);
    failWith(selectPilotSkus(pilotHistories, { limit: 0 }), "InvalidInput");
  });
});
