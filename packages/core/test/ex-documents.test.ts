import { describe, expect, it } from "vitest";
import { type LedgerConfigInput, type LedgerSettingsInput, type StockDocumentInput, StockLedger } from "@jxc/core";
import { ok, failWith, m, at } from "../../../scripts/test-support.js";


interface LineOpts {
  readonly warehouse?: string;
  readonly location?: string;
  readonly lot?: string;
  readonly unit?: string;
}
const receipt = (id: string, day: number, item: string, qty: string, unitCost: string, o: LineOpts = {}): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: at(day),
  type: "purchase-receipt",
  lines: [{ item, qty, unitCost, warehouse: o.warehouse ?? "W1", location: o.location, lot: o.lot, unit: o.unit }],
});
const outbound = (id: string, day: number, item: string, qty: string, o: LineOpts = {}): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: at(day),
  type: "sales-outbound",
  lines: [{ item, qty, warehouse: o.warehouse ?? "W1", location: o.location, lot: o.lot, unit: o.unit }],
});
const ledgerWith = (settings: LedgerSettingsInput = {}) => {
  const config: LedgerConfigInput = {
    settings,
    items: [
      { id: "A", name: "Widget", baseUnit: "件", conversions: [{ unit: "箱", factor: "12" }] },
      { id: "B", name: "Gadget", baseUnit: "件" },
      { id: "C", name: "Gizmo", baseUnit: "件" },
      { id: "F", name: "Fifo part", baseUnit: "件", method: "fifo" },
    ],
    warehouses: [{ id: "W1", locations: [{ id: "L1" }, { id: "L2" }] }, { id: "W2" }],
  };
  return ok(StockLedger.create(config));
};
const bal = (l: StockLedger, item: string, warehouse?: string) => {
  const b = ok(l.balance(warehouse === undefined ? { item } : { item, warehouse }));
  return [b.qty.toString(), m(b.value)];
};
const cost = (l: StockLedger, move: string) => m(l.move(move)?.cost);

describe("purchase-receipt", () => {
  it("comes in at round(qty × unitCost), half-up", () => {
    const l = ledgerWith();
    const r = ok(l.post(receipt("PR1", 2, "A", "100", "10.00")));
    expect(r.action).toBe("post");
    expect(r.document).toBe("PR1");
    expect(r.businessId).toBe("B-PR1");
    expect(r.moves).toHaveLength(1);
    expect(r.moves[0]!.id).toBe("PR1#0");
    expect(r.moves[0]!.direction).toBe("in");
    expect(m(r.moves[0]!.cost)).toBe("1000.00");
    expect(r.costChanges).toEqual([]);
    // 3 × 3.335 = 10.005 → 10.01
    const r2 = ok(l.post(receipt("PR2", 3, "B", "3", "3.335")));
    expect(m(r2.moves[0]!.cost)).toBe("10.01");
    expect(bal(l, "A")).toEqual(["100", "1000.00"]);
    expect(bal(l, "B")).toEqual(["3", "10.01"]);
  });

  it("a multi-line receipt makes one move per line", () => {
    const l = ledgerWith();
    const r = ok(
      l.post({
        id: "PR1",
        businessId: "B1",
        at: at(2),
        type: "purchase-receipt",
        lines: [
          { item: "A", qty: "2", unitCost: "1.25", warehouse: "W1" },
          { item: "B", qty: "4", unitCost: "0.99", warehouse: "W2" },
        ],
      }),
    );
    expect(r.moves.map((x) => [x.id, x.warehouse, m(x.cost)])).toEqual([
      ["PR1#0", "W1", "2.50"],
      ["PR1#1", "W2", "3.96"],
    ]);
  });
});

describe("sales-outbound (moving average)", () => {
  it("costs round(value × qty ÷ onHand); the issue that empties the position takes the whole value", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "100", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "50", "13.00")));
    // 150 units, 1650.00 → 40 cost 440.00
    const o1 = ok(l.post(outbound("SO1", 4, "A", "40")));
    expect(m(o1.moves[0]!.cost)).toBe("440.00");
    expect(o1.moves[0]!.direction).toBe("out");
    expect(bal(l, "A")).toEqual(["110", "1210.00"]);
    const o2 = ok(l.post(outbound("SO2", 5, "A", "110")));
    expect(m(o2.moves[0]!.cost)).toBe("1210.00");
    expect(bal(l, "A")).toEqual(["0", "0.00"]);
  });

  it("rounding residue stays in stock and the last issue takes it: 3 units worth 10.00 go out at 3.33, 3.34, 3.33", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "B", "3", "3.3333333"))); // 9.9999999 → 10.00
    expect(bal(l, "B")).toEqual(["3", "10.00"]);
    expect(m(ok(l.post(outbound("SO1", 3, "B", "1"))).moves[0]!.cost)).toBe("3.33"); // 10/3
    expect(m(ok(l.post(outbound("SO2", 4, "B", "1"))).moves[0]!.cost)).toBe("3.34"); // 6.67/2 = 3.335
    expect(m(ok(l.post(outbound("SO3", 5, "B", "1"))).moves[0]!.cost)).toBe("3.33");
    expect(bal(l, "B")).toEqual(["0", "0.00"]);
  });

  it("an outbound beyond on-hand is InsufficientStock naming the move, position and quantities", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    const e = failWith(l.post(outbound("SO1", 3, "A", "12")), "InsufficientStock");
    expect(e.move).toBe("SO1#0");
    expect(e.document).toBe("SO1");
    expect(e.line).toBe(0);
    expect(e.position).toBe("A@W1");
    expect([e.requested, e.onHand, e.shortage]).toEqual(["12", "10", "2"]);
    expect(bal(l, "A")).toEqual(["10", "100.00"]);
    expect(l.document("SO1")).toBeUndefined();
  });

  it("stock of another warehouse does not count", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00", { warehouse: "W2" })));
    failWith(l.post(outbound("SO1", 3, "A", "1")), "InsufficientStock");
  });
});

describe("sales-return", () => {
  const setup = () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "10", "12.00")));
    ok(l.post(outbound("SO1", 4, "A", "10"))); // 220.00 × 10/20 = 110.00
    ok(l.post(receipt("PR3", 5, "A", "10", "20.00"))); // 20 units, 310.00
    return l;
  };
  const sret = (id: string, day: number, qty: string, ref = { document: "SO1", line: 0 }): StockDocumentInput => ({
    id,
    businessId: "B-SO1",
    at: at(day),
    type: "sales-return",
    lines: [{ item: "A", qty, warehouse: "W1", ref }],
  });

  it("comes back at the referenced outbound's unit cost, not the current average", () => {
    const l = setup();
    expect(cost(l, "SO1#0")).toBe("110.00");
    const r = ok(l.post(sret("SR1", 6, "4")));
    // round(110.00 × 4 / 10) = 44.00 (the average is now 15.50)
    expect(m(r.moves[0]!.cost)).toBe("44.00");
    expect(r.moves[0]!.direction).toBe("in");
    expect(bal(l, "A")).toEqual(["24", "354.00"]);
  });

  it("returning more than was issued is refused at lines.0.qty, also over several returns", () => {
    const l = setup();
    ok(l.post(sret("SR1", 6, "4")));
    const e = failWith(l.post(sret("SR2", 7, "7")), "RuleViolation");
    expect(e.path).toBe("lines.0.qty");
    expect(bal(l, "A")).toEqual(["24", "354.00"]);
    ok(l.post(sret("SR3", 7, "6"))); // 4 + 6 = 10: the whole outbound
    expect(bal(l, "A")).toEqual(["30", "420.00"]); // + 66.00
    failWith(l.post(sret("SR4", 8, "0.001")), "RuleViolation");
  });

  it("two lines of one return against the same outbound line are summed", () => {
    const l = setup();
    const e = failWith(
      l.post({
        id: "SR1",
        businessId: "B-SO1",
        at: at(6),
        type: "sales-return",
        lines: [
          { item: "A", qty: "6", warehouse: "W1", ref: { document: "SO1", line: 0 } },
          { item: "A", qty: "5", warehouse: "W1", ref: { document: "SO1", line: 0 } },
        ],
      }),
      "RuleViolation",
    );
    expect(e.path).toBe("lines.1.qty");
  });

  it("a partial return rounds its share of the outbound cost half-up: 1 of 3 units costing 10.00 → 3.33", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "B", "3", "3.3333333"))); // 10.00
    ok(l.post(outbound("SO1", 3, "B", "3"))); // 10.00
    const r = ok(l.post({ id: "SR1", businessId: "X", at: at(4), type: "sales-return", lines: [{ item: "B", qty: "1", warehouse: "W1", ref: { document: "SO1", line: 0 } }] }));
    expect(m(r.moves[0]!.cost)).toBe("3.33");
  });

  it("a return of another item than the outbound's is a RuleViolation at lines.0.item", () => {
    const l = setup();
    ok(l.post(receipt("PRB", 2, "B", "1", "1.00")));
    const e = failWith(
      l.post({ id: "SR1", businessId: "X", at: at(6), type: "sales-return", lines: [{ item: "B", qty: "1", warehouse: "W1", ref: { document: "SO1", line: 0 } }] }),
      "RuleViolation",
    );
    expect(e.path).toBe("lines.0.item");
  });
});

describe("purchase-return", () => {
  const pret = (id: string, day: number, item: string, qty: string, ref: { document: string; line: number }): StockDocumentInput => ({
    id,
    businessId: `B-${ref.document}`,
    at: at(day),
    type: "purchase-return",
    lines: [{ item, qty, warehouse: "W1", ref }],
  });

  it("moving average: leaves at the referenced receipt's unit cost, not the average", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "10", "16.00"))); // 20 units, 260.00, average 13
    const r = ok(l.post(pret("RT1", 4, "A", "5", { document: "PR2", line: 0 })));
    expect(m(r.moves[0]!.cost)).toBe("80.00");
    expect(r.moves[0]!.direction).toBe("out");
    expect(bal(l, "A")).toEqual(["15", "180.00"]);
  });

  it("FIFO: takes the referenced receipt's layer first", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "F", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "F", "10", "16.00")));
    const r = ok(l.post(pret("RT1", 4, "F", "5", { document: "PR2", line: 0 })));
    expect(m(r.moves[0]!.cost)).toBe("80.00");
    expect(r.moves[0]!.slices?.map((s) => [s.origin, s.qty.toString(), m(s.value)])).toEqual([["PR2#0", "5", "80.00"]]);
    const layers = ok(l.layers({ item: "F" }));
    expect(layers.map((x) => [x.origin, x.qty.toString(), m(x.value)])).toEqual([
      ["PR1#0", "10", "100.00"],
      ["PR2#0", "5", "80.00"],
    ]);
    // then an issue of 12 takes 10 × 10 + 2 × 16 = 132.00
    expect(m(ok(l.post(outbound("SO1", 5, "F", "12"))).moves[0]!.cost)).toBe("132.00");
    expect(bal(l, "F")).toEqual(["3", "48.00"]);
  });

  it("returning more than was received is refused at lines.0.qty", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "10", "16.00")));
    expect(failWith(l.post(pret("RT1", 4, "A", "11", { document: "PR2", line: 0 })), "RuleViolation").path).toBe("lines.0.qty");
    ok(l.post(pret("RT2", 4, "A", "6", { document: "PR2", line: 0 })));
    expect(failWith(l.post(pret("RT3", 4, "A", "5", { document: "PR2", line: 0 })), "RuleViolation").path).toBe("lines.0.qty");
  });

  it("a purchase return referencing an outbound is UnknownReference at lines.0.ref", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(outbound("SO1", 3, "A", "1")));
    expect(failWith(l.post(pret("RT1", 4, "A", "1", { document: "SO1", line: 0 })), "UnknownReference").path).toBe("lines.0.ref");
    expect(failWith(l.post(pret("RT2", 4, "A", "1", { document: "PR1", line: 1 })), "UnknownReference").path).toBe("lines.0.ref");
  });
});

describe("transfer", () => {
  const transfer = (id: string, day: number, item: string, qty: string, from = "W1", to = "W2"): StockDocumentInput => ({
    id,
    businessId: `B-${id}`,
    at: at(day),
    type: "transfer",
    lines: [{ item, qty, from: { warehouse: from }, to: { warehouse: to } }],
  });

  it("FIFO: the layers travel with their own unit costs", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "F", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "F", "10", "12.00")));
    const r = ok(l.post(transfer("T1", 4, "F", "15")));
    expect(r.moves.map((x) => [x.id, x.warehouse, x.direction, m(x.cost)])).toEqual([
      ["T1#0:out", "W1", "out", "160.00"],
      ["T1#0:in", "W2", "in", "160.00"],
    ]);
    expect(ok(l.layers({ item: "F", warehouse: "W2" })).map((x) => [x.origin, x.qty.toString(), m(x.value)])).toEqual([
      ["PR1#0", "10", "100.00"],
      ["PR2#0", "5", "60.00"],
    ]);
    expect(bal(l, "F", "W1")).toEqual(["5", "60.00"]);
    // in W2, 12 out = 10 × 10 + 2 × 12 = 124.00 (not 12 × 160/15 = 128.00)
    expect(m(ok(l.post(outbound("SO1", 5, "F", "12", { warehouse: "W2" }))).moves[0]!.cost)).toBe("124.00");
    expect(bal(l, "F", "W2")).toEqual(["3", "36.00"]);
    expect(bal(l, "F")).toEqual(["8", "96.00"]);
  });

  it("moving average: the average cost is carried to the destination", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "10", "13.00"))); // 20, 230.00
    const r = ok(l.post(transfer("T1", 4, "A", "6"))); // 230 × 6/20 = 69.00
    expect(r.moves.map((x) => m(x.cost))).toEqual(["69.00", "69.00"]);
    ok(l.post(receipt("PR3", 5, "A", "4", "20.00", { warehouse: "W2" }))); // W2: 10, 149.00
    expect(bal(l, "A", "W2")).toEqual(["10", "149.00"]);
    expect(m(ok(l.post(outbound("SO1", 6, "A", "5", { warehouse: "W2" }))).moves[0]!.cost)).toBe("74.50");
    expect(bal(l, "A", "W1")).toEqual(["14", "161.00"]);
    expect(bal(l, "A", "W2")).toEqual(["5", "74.50"]);
  });

  it("a transfer between locations of one warehouse is allowed; one to the same place is a RuleViolation at lines.0.to", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00", { location: "L1" })));
    const same: StockDocumentInput = {
      id: "T1",
      businessId: "B",
      at: at(3),
      type: "transfer",
      lines: [{ item: "A", qty: "1", from: { warehouse: "W1", location: "L1" }, to: { warehouse: "W1", location: "L1" } }],
    };
    expect(failWith(l.post(same), "RuleViolation").path).toBe("lines.0.to");
    ok(l.post({ ...same, id: "T2", lines: [{ item: "A", qty: "4", from: { warehouse: "W1", location: "L1" }, to: { warehouse: "W1", location: "L2" } }] }));
    expect(bal(l, "A")).toEqual(["10", "100.00"]);
  });

  it("a transfer beyond the source's stock is InsufficientStock on the :out move", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    expect(failWith(l.post(transfer("T1", 3, "A", "11")), "InsufficientStock").move).toBe("T1#0:out");
    expect(bal(l, "A", "W2")).toEqual(["0", "0.00"]);
  });
});

describe("stocktake", () => {
  const count = (id: string, day: number, counted: string, item = "A", unit?: string): StockDocumentInput => ({
    id,
    businessId: `B-${id}`,
    at: at(day),
    type: "stocktake",
    lines: [{ item, warehouse: "W1", counted, unit }],
  });
  const setup = () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "5", "13.00"))); // 15, 165.00, 11.00 each
    return l;
  };

  it("a gain comes in at the current cost", () => {
    const l = setup();
    const r = ok(l.post(count("ST1", 4, "17")));
    expect(r.moves).toHaveLength(1);
    expect(r.moves[0]!.direction).toBe("in");
    expect(r.moves[0]!.qty.toString()).toBe("2");
    expect(m(r.moves[0]!.cost)).toBe("22.00");
    expect(bal(l, "A")).toEqual(["17", "187.00"]);
  });

  it("a loss is an issue at cost", () => {
    const l = setup();
    ok(l.post(count("ST1", 4, "17")));
    const r = ok(l.post(count("ST2", 5, "12")));
    expect(r.moves[0]!.direction).toBe("out");
    expect(r.moves[0]!.qty.toString()).toBe("5");
    expect(m(r.moves[0]!.cost)).toBe("55.00"); // 187 × 5/17
    expect(bal(l, "A")).toEqual(["12", "132.00"]);
  });

  it("counted equal to book gives no move", () => {
    const l = setup();
    const size = l.size;
    const r = ok(l.post(count("ST1", 4, "15")));
    expect(r.moves).toEqual([]);
    expect(l.size).toBe(size);
    expect(bal(l, "A")).toEqual(["15", "165.00"]);
  });

  it("counting in 箱 converts: 2 箱 = 24 件 counted against 15 on the books → gain 9 at 11.00", () => {
    const l = setup();
    const r = ok(l.post(count("ST1", 4, "2", "A", "箱")));
    expect(r.moves[0]!.qty.toString()).toBe("9");
    expect(m(r.moves[0]!.cost)).toBe("99.00");
  });

  it("counted 0 empties the position at its whole value", () => {
    const l = setup();
    const r = ok(l.post(count("ST1", 4, "0")));
    expect(m(r.moves[0]!.cost)).toBe("165.00");
    expect(bal(l, "A")).toEqual(["0", "0.00"]);
  });

  it("book quantity is taken at the stocktake's business time (a later outbound does not count)", () => {
    const l = setup();
    ok(l.post(outbound("SO1", 10, "A", "5")));
    const r = ok(l.post(count("ST1", 4, "15")));
    expect(r.moves).toEqual([]);
  });
});

describe("adjustment", () => {
  const adj = (id: string, day: number, qty: string, unitCost?: string, unit?: string): StockDocumentInput => ({
    id,
    businessId: `B-${id}`,
    at: at(day),
    type: "adjustment",
    reason: "test",
    lines: [{ item: "A", qty, warehouse: "W1", unitCost, unit }],
  });

  it("+ with a unit cost, + at the current cost, − at cost", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    const a1 = ok(l.post(adj("ADJ1", 3, "5", "16.00")));
    expect([a1.moves[0]!.direction, m(a1.moves[0]!.cost)]).toEqual(["in", "80.00"]);
    expect(bal(l, "A")).toEqual(["15", "180.00"]);
    const a2 = ok(l.post(adj("ADJ2", 4, "3"))); // at 12.00
    expect([a2.moves[0]!.direction, m(a2.moves[0]!.cost)]).toEqual(["in", "36.00"]);
    expect(bal(l, "A")).toEqual(["18", "216.00"]);
    const a3 = ok(l.post(adj("ADJ3", 5, "-6")));
    expect([a3.moves[0]!.direction, a3.moves[0]!.qty.toString(), m(a3.moves[0]!.cost)]).toEqual(["out", "6", "72.00"]);
    expect(bal(l, "A")).toEqual(["12", "144.00"]);
  });

  it("+1 箱 at 120.00 per 箱 is 12 件 worth 120.00", () => {
    const l = ledgerWith();
    const r = ok(l.post(adj("ADJ1", 3, "1", "120.00", "箱")));
    expect(r.moves[0]!.qty.toString()).toBe("12");
    expect(m(r.moves[0]!.cost)).toBe("120.00");
  });

  it("− beyond on-hand is InsufficientStock", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    failWith(l.post(adj("ADJ1", 3, "-11")), "InsufficientStock");
  });
});

describe("cost-adjustment (landed cost)", () => {
  const landed = (id: string, day: number, receiptId: string, allocation: Record<string, unknown>): Record<string, unknown> => ({
    id,
    businessId: `B-${receiptId}`,
    at: at(day),
    type: "cost-adjustment",
    reason: "landed-cost",
    receipt: receiptId,
    allocation,
  });

  it("FIFO: split between the receipt's units on hand (stock) and already issued (costOfSalesDifference)", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "F", "100", "10.00")));
    ok(l.post(outbound("SO1", 3, "F", "40"))); // 400.00
    const r = ok(l.post(landed("CA1", 4, "PR1", { by: "lines", lines: [{ line: 0, amount: "50.00" }] })));
    expect(r.moves).toHaveLength(1);
    const mv = r.moves[0]!;
    expect(mv.direction).toBe("value");
    expect(mv.qty.toString()).toBe("0");
    expect(m(mv.cost)).toBe("30.00"); // 50 × 60/100
    expect(m(mv.costOfSalesDifference)).toBe("20.00");
    expect(bal(l, "F")).toEqual(["60", "630.00"]);
    expect(m(ok(l.post(outbound("SO2", 5, "F", "60"))).moves[0]!.cost)).toBe("630.00");
  });

  it("FIFO: only the receipt's own layer is raised, not the other layers", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR0", 1, "F", "10", "5.00")));
    ok(l.post(receipt("PR1", 2, "F", "10", "10.00")));
    ok(l.post(landed("CA1", 3, "PR1", { by: "value", amount: "20.00" })));
    expect(ok(l.layers({ item: "F" })).map((x) => [x.origin, m(x.value)])).toEqual([
      ["PR0#0", "50.00"],
      ["PR1#0", "120.00"],
    ]);
    // 15 out: 50.00 + 5 × 12.00
    expect(m(ok(l.post(outbound("SO1", 4, "F", "15"))).moves[0]!.cost)).toBe("110.00");
  });

  it("moving average: the receipt's units on hand are min(on hand, received)", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "100", "10.00")));
    ok(l.post(receipt("PR2", 3, "A", "50", "16.00"))); // 150, 1800.00
    ok(l.post(outbound("SO1", 4, "A", "120"))); // 1440.00 → 30, 360.00
    const r = ok(l.post(landed("CA1", 5, "PR1", { by: "value", amount: "100.00" })));
    expect(m(r.moves[0]!.cost)).toBe("30.00"); // 100 × 30/100
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("70.00");
    expect(bal(l, "A")).toEqual(["30", "390.00"]);
  });

  it("allocation by value and by qty over the receipt's lines", () => {
    const two = (): Record<string, unknown> => ({
      id: "PR1",
      businessId: "B-PR1",
      at: at(2),
      type: "purchase-receipt",
      lines: [
        { item: "A", qty: "10", unitCost: "10.00", warehouse: "W1" },
        { item: "B", qty: "10", unitCost: "30.00", warehouse: "W1" },
      ],
    });
    const byValue = ledgerWith();
    ok(byValue.post(two()));
    const rv = ok(byValue.post(landed("CA1", 3, "PR1", { by: "value", amount: "40.00" })));
    expect(rv.moves.map((x) => [x.item, m(x.cost)])).toEqual([
      ["A", "10.00"],
      ["B", "30.00"],
    ]);
    expect(bal(byValue, "A")).toEqual(["10", "110.00"]);
    expect(bal(byValue, "B")).toEqual(["10", "330.00"]);
    const byQty = ledgerWith();
    ok(byQty.post(two()));
    const rq = ok(byQty.post(landed("CA1", 3, "PR1", { by: "qty", amount: "40.00" })));
    expect(rq.moves.map((x) => [x.item, m(x.cost)])).toEqual([
      ["A", "20.00"],
      ["B", "20.00"],
    ]);
  });

  it("the last line takes the rounding residue: 10.00 by qty over three equal lines = 3.33 + 3.33 + 3.34", () => {
    const l = ledgerWith();
    ok(
      l.post({
        id: "PR1",
        businessId: "B-PR1",
        at: at(2),
        type: "purchase-receipt",
        lines: [
          { item: "A", qty: "1", unitCost: "1.00", warehouse: "W1" },
          { item: "B", qty: "1", unitCost: "1.00", warehouse: "W1" },
          { item: "C", qty: "1", unitCost: "1.00", warehouse: "W1" },
        ],
      }),
    );
    const r = ok(l.post(landed("CA1", 3, "PR1", { by: "qty", amount: "10.00" })));
    expect(r.moves.map((x) => m(x.cost))).toEqual(["3.33", "3.33", "3.34"]);
    const total = ["A", "B", "C"].map((i) => ok(l.balance({ item: i })).value).reduce((a, b) => a.plus(b));
    expect(m(total)).toBe("13.00");
  });

  it("an allocation to a line the receipt does not have is a RuleViolation naming it", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "1", "1.00")));
    expect(failWith(l.post(landed("CA1", 3, "PR1", { by: "lines", lines: [{ line: 1, amount: "1.00" }] })), "RuleViolation").path).toBe("allocation.lines.0.line");
  });

  it("a revaluation can lower the cost (negative amount)", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "A", "10", "10.00")));
    ok(l.post(outbound("SO1", 3, "A", "5")));
    const r = ok(
      l.post({ id: "CA1", businessId: "B", at: at(4), type: "cost-adjustment", reason: "revaluation", receipt: "PR1", allocation: { by: "value", amount: "-10.00" } }),
    );
    expect(m(r.moves[0]!.cost)).toBe("-5.00");
    expect(m(r.moves[0]!.costOfSalesDifference)).toBe("-5.00");
    expect(bal(l, "A")).toEqual(["5", "45.00"]);
  });
});

describe("opening-balance", () => {
  it("comes in at the given total value; issues then share it", () => {
    const l = ledgerWith();
    const r = ok(
      l.post({ id: "OB1", businessId: "OPEN", at: at(1, 0), type: "opening-balance", lines: [{ item: "A", qty: "10", value: "123.45", warehouse: "W1" }] }),
    );
    expect(m(r.moves[0]!.cost)).toBe("123.45");
    expect(bal(l, "A")).toEqual(["10", "123.45"]);
    // 123.45 × 3/10 = 37.035 → 37.04
    expect(m(ok(l.post(outbound("SO1", 2, "A", "3"))).moves[0]!.cost)).toBe("37.04");
    expect(bal(l, "A")).toEqual(["7", "86.41"]);
  });

  it("FIFO: an opening balance is the oldest layer", () => {
    const l = ledgerWith();
    ok(l.post(receipt("PR1", 2, "F", "10", "20.00")));
    ok(l.post({ id: "OB1", businessId: "OPEN", at: at(1, 0), type: "opening-balance", lines: [{ item: "F", qty: "4", value: "30.00", warehouse: "W1" }] }));
    // 6 out: 4 at the opening (30.00) + 2 × 20.00
    expect(m(ok(l.post(outbound("SO1", 3, "F", "6"))).moves[0]!.cost)).toBe("70.00");
  });
});
