import { describe, expect, it } from "vitest";
import {
  Dec as D,
  type LedgerSettingsInput,
  type LotQuantity,
  type StockDocumentInput,
  StockLedger,
  businessDate,
  daysToExpiry,
  expiryFromShelfLife,
  groupByShelfLife,
  suggestFefoPicks,
} from "@jxc/core";
import { ok, failWith, m, at } from "../../../scripts/test-support.js";


interface Place {
  readonly warehouse?: string;
  readonly location?: string;
  readonly lot?: string;
}
const receipt = (id: string, when: string, item: string, qty: string, unitCost: string, p: Place = {}, businessId = `B-${id}`): StockDocumentInput => ({
  id,
  businessId,
  at: when,
  type: "purchase-receipt",
  lines: [{ item, qty, unitCost, warehouse: p.warehouse ?? "W1", location: p.location, lot: p.lot }],
});
const outbound = (id: string, when: string, item: string, qty: string, p: Place = {}, businessId = `B-${id}`): StockDocumentInput => ({
  id,
  businessId,
  at: when,
  type: "sales-outbound",
  lines: [{ item, qty, warehouse: p.warehouse ?? "W1", location: p.location, lot: p.lot }],
});
const ledgerWith = (settings: LedgerSettingsInput = {}) =>
  ok(
    StockLedger.create({
      settings,
      items: [
        { id: "A", name: "Average", baseUnit: "件", method: "moving-average" },
        { id: "F", name: "Fifo", baseUnit: "件", method: "fifo" },
        { id: "M", name: "Milk", baseUnit: "瓶", lotTracked: true, shelfLifeDays: 60 },
      ],
      warehouses: [
        { id: "W1", company: "C1", locations: [{ id: "L1" }, { id: "L2" }] },
        { id: "W2", company: "C1" },
        { id: "W3", company: "C2" },
      ],
    }),
  );
const balAt = (l: StockLedger, filter: Parameters<StockLedger["balance"]>[0]) => {
  const b = ok(l.balance(filter));
  return [b.qty.toString(), m(b.value)];
};
const layerRows = (l: StockLedger, filter: Parameters<StockLedger["layers"]>[0]) =>
  ok(l.layers(filter)).map((x) => [x.origin, x.qty.toString(), m(x.value)]);

describe("balance and layers as of an instant", () => {
  const setup = () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(receipt("R2", at(5), "F", "10", "12.00")));
    ok(l.post(outbound("I1", at(8), "F", "15"))); // 160.00
    return l;
  };

  it("as of an earlier instant, the state just after every move at or before it", () => {
    const l = setup();
    expect(balAt(l, { item: "F", asOf: at(1) })).toEqual(["0", "0.00"]);
    expect(balAt(l, { item: "F", asOf: "2026-01-05T08:59:59+08:00" })).toEqual(["10", "100.00"]);
    expect(balAt(l, { item: "F", asOf: at(5) })).toEqual(["20", "220.00"]);
    expect(balAt(l, { item: "F", asOf: "2026-01-05T01:00:00Z" })).toEqual(["20", "220.00"]); // the same instant
    expect(balAt(l, { item: "F", asOf: at(7) })).toEqual(["20", "220.00"]);
    expect(balAt(l, { item: "F" })).toEqual(["5", "60.00"]);
  });

  it("FIFO layers as of an instant", () => {
    const l = setup();
    expect(layerRows(l, { item: "F", asOf: at(1) })).toEqual([]);
    expect(layerRows(l, { item: "F", asOf: at(6) })).toEqual([
      ["R1#0", "10", "100.00"],
      ["R2#0", "10", "120.00"],
    ]);
    expect(layerRows(l, { item: "F" })).toEqual([["R2#0", "5", "60.00"]]);
  });

  it("balances() as of an instant lists every position", () => {
    const l = setup();
    ok(l.post(receipt("RA", at(6), "A", "3", "1.00", { warehouse: "W2" })));
    const early = ok(l.balances(at(5))).map((b) => [b.position, b.qty.toString(), m(b.value)]);
    expect(early.find((r) => r[0] === "F@W1")).toEqual(["F@W1", "20", "220.00"]);
    // A@W2 had no move yet on Jan 5: if listed at all, it is empty
    for (const row of early.filter((r) => r[0] !== "F@W1")) expect(row).toEqual(["A@W2", "0", "0.00"]);
    expect(ok(l.balances()).map((b) => [b.position, b.qty.toString(), m(b.value)])).toEqual([
      ["A@W2", "3", "3.00"],
      ["F@W1", "5", "60.00"],
    ]);
  });

  it("an average position has one layer: its quantity and value", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(receipt("R2", at(5), "A", "10", "13.00")));
    expect(layerRows(l, { item: "A" })).toEqual([["A@W1", "20", "230.00"]]);
    expect(layerRows(l, { item: "A", asOf: at(3) })).toEqual([["A@W1", "10", "100.00"]]);
  });

  it("a malformed asOf is InvalidInput", () => {
    const l = setup();
    failWith(l.balance({ item: "F", asOf: "2026-01-06" }), "InvalidInput");
    failWith(l.layers({ item: "F", asOf: "yesterday" }), "InvalidInput");
    failWith(l.balances("2026-01-06T00:00:00"), "InvalidInput");
  });

  it("an item without moves has a zero balance", () => {
    expect(balAt(ledgerWith(), { item: "A" })).toEqual(["0", "0.00"]);
  });
});

describe("movesOf(businessId)", () => {
  it("every move of every document of one business, in ledger order, with current costs", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(5), "A", "10", "10.00", {}, "BIZ")));
    ok(l.post(receipt("RX", at(6), "A", "10", "99.00", { warehouse: "W2" }, "OTHER")));
    ok(l.post(outbound("I1", at(8), "A", "4", {}, "BIZ")));
    ok(l.post({ id: "SR1", businessId: "BIZ", at: at(9), type: "sales-return", lines: [{ item: "A", qty: "1", warehouse: "W1", ref: { document: "I1", line: 0 } }] }));
    // backdated, same business
    ok(l.post(receipt("R0", at(3), "A", "10", "8.00", {}, "BIZ")));
    const { moves, adjustments } = l.movesOf("BIZ");
    // 20 units 180.00 → I1 = 36.00, SR1 = 9.00
    expect(moves.map((x) => [x.id, x.document, x.businessId, m(x.cost)])).toEqual([
      ["R0#0", "R0", "BIZ", "80.00"],
      ["R1#0", "R1", "BIZ", "100.00"],
      ["I1#0", "I1", "BIZ", "36.00"],
      ["SR1#0", "SR1", "BIZ", "9.00"],
    ]);
    expect(adjustments).toEqual([]);
    expect(l.movesOf("OTHER").moves.map((x) => x.id)).toEqual(["RX#0"]);
    expect(l.movesOf("NOBODY").moves).toEqual([]);
  });

  it("a transfer contributes both of its moves", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post({ id: "T1", businessId: "BT", at: at(3), type: "transfer", lines: [{ item: "A", qty: "3", from: { warehouse: "W1" }, to: { warehouse: "W3" } }] }));
    expect(l.movesOf("BT").moves.map((x) => [x.id, x.warehouse, x.direction, m(x.cost)])).toEqual([
      ["T1#0:out", "W1", "out", "30.00"],
      ["T1#0:in", "W3", "in", "30.00"],
    ]);
  });
});

describe("lots: lotQuantities, FEFO picks and shelf-life groups", () => {
  const ASOF = "2026-03-10T12:00:00+08:00";
  const setup = () => {
    const l = ledgerWith();
    const line = (lot: string, qty: string, dates: { expiryDate?: string; productionDate?: string } = {}) => ({ item: "M", qty, unitCost: "1.00", warehouse: "W1", lot, ...dates });
    ok(
      l.post({
        id: "PM1",
        businessId: "BM",
        at: "2026-03-01T09:00:00+08:00",
        type: "purchase-receipt",
        lines: [
          line("E", "10", { expiryDate: "2026-03-09" }),
          line("D0", "4", { expiryDate: "2026-03-10" }),
          line("S7", "20", { expiryDate: "2026-03-17" }),
          line("M30", "30", { expiryDate: "2026-04-09" }),
          line("F31", "40", { expiryDate: "2026-04-10" }),
          line("P", "50", { productionDate: "2026-03-01" }),
          line("N", "6"),
        ],
      }),
    );
    ok(l.post({ id: "SM1", businessId: "BM", at: "2026-03-05T09:00:00+08:00", type: "sales-outbound", lines: [{ item: "M", qty: "5", warehouse: "W1", lot: "S7" }] }));
    ok(l.post({ id: "PM2", businessId: "BM", at: "2026-03-12T09:00:00+08:00", type: "purchase-receipt", lines: [line("LATE", "7", { expiryDate: "2026-03-11" })] }));
    return l;
  };
  const rows = (stock: ReadonlyArray<LotQuantity>) =>
    stock
      .map((s) => [s.lot, s.warehouse, s.qty.toString(), s.expiryDate ?? "-"])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));

  it("the expiry date comes from the receipt, or from the production date + shelf life", () => {
    const l = setup();
    expect(expiryFromShelfLife("2026-03-01", 60)).toBe("2026-04-30");
    expect(l.lot("M", "P")?.expiryDate).toBe("2026-04-30");
    expect(l.lot("M", "P")?.productionDate).toBe("2026-03-01");
    expect(l.lot("M", "S7")?.expiryDate).toBe("2026-03-17");
    expect(l.lot("M", "N")?.expiryDate).toBeUndefined();
  });

  it("lotQuantities as of a date: net of issues, later receipts excluded", () => {
    const l = setup();
    expect(rows(ok(l.lotQuantities("M", ASOF)))).toEqual([
      ["D0", "W1", "4", "2026-03-10"],
      ["E", "W1", "10", "2026-03-09"],
      ["F31", "W1", "40", "2026-04-10"],
      ["M30", "W1", "30", "2026-04-09"],
      ["N", "W1", "6", "-"],
      ["P", "W1", "50", "2026-04-30"],
      ["S7", "W1", "15", "2026-03-17"],
    ]);
    expect(rows(ok(l.lotQuantities("M", "2026-03-03T00:00:00+08:00"))).find((r) => r[0] === "S7")).toEqual(["S7", "W1", "20", "2026-03-17"]);
    expect(rows(ok(l.lotQuantities("M"))).map((r) => r[0])).toContain("LATE");
    expect(ok(l.lotQuantities("A", ASOF))).toEqual([]);
  });

  it("FEFO: expired lots are skipped, earliest expiry first, lots without expiry last", () => {
    const l = setup();
    const date = businessDate(ASOF, "Asia/Shanghai");
    expect(date).toBe("2026-03-10");
    const stock = ok(l.lotQuantities("M", ASOF));
    const s = suggestFefoPicks(stock, new D(30), date);
    expect(s.picks.map((p) => [p.lot, p.qty.toString()])).toEqual([
      ["D0", "4"], // expires today: still usable
      ["S7", "15"],
      ["M30", "11"],
    ]);
    expect(s.shortfall.toString()).toBe("0");
    const all = suggestFefoPicks(stock, new D(200), date);
    expect(all.picks.map((p) => [p.lot, p.qty.toString()])).toEqual([
      ["D0", "4"],
      ["S7", "15"],
      ["M30", "30"],
      ["F31", "40"],
      ["P", "50"],
      ["N", "6"],
    ]);
    expect(all.shortfall.toString()).toBe("55");
    // one day later D0 is expired too
    expect(suggestFefoPicks(stock, new D(5), "2026-03-11").picks.map((p) => [p.lot, p.qty.toString()])).toEqual([["S7", "5"]]);
  });

  it("the business date of an instant is taken in the tenant's zone", () => {
    expect(businessDate("2026-03-09T20:00:00Z", "Asia/Shanghai")).toBe("2026-03-10");
    expect(businessDate("2026-03-09T20:00:00Z", "UTC")).toBe("2026-03-09");
  });

  it("groupByShelfLife: expired, ≤7d, ≤30d, >30d, no-expiry, with the bounds inclusive", () => {
    const l = setup();
    expect(daysToExpiry("2026-03-17", "2026-03-10")).toBe(7);
    expect(daysToExpiry("2026-03-09", "2026-03-10")).toBe(-1);
    const groups = groupByShelfLife(ok(l.lotQuantities("M", ASOF)), "2026-03-10");
    expect(groups.map((g) => [g.label, g.qty.toString(), g.lots.map((x) => x.lot).sort()])).toEqual([
      ["expired", "10", ["E"]],
      ["≤7d", "19", ["D0", "S7"]],
      ["≤30d", "30", ["M30"]],
      [">30d", "90", ["F31", "P"]],
      ["no-expiry", "6", ["N"]],
    ]);
  });

  it("groupByShelfLife with other bounds", () => {
    const l = setup();
    const groups = groupByShelfLife(ok(l.lotQuantities("M", ASOF)), "2026-03-10", [30, 3]);
    expect(groups.map((g) => [g.label, g.qty.toString()])).toEqual([
      ["expired", "10"],
      ["≤3d", "4"],
      ["≤30d", "45"],
      [">30d", "90"],
      ["no-expiry", "6"],
    ]);
  });

  it("lotQuantities keeps lots apart per warehouse and location", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "M", "5", "1.00", { warehouse: "W1", location: "L1", lot: "X" })));
    ok(l.post(receipt("R2", at(2), "M", "3", "1.00", { warehouse: "W1", location: "L2", lot: "X" })));
    ok(l.post({ id: "T1", businessId: "BT", at: at(3), type: "transfer", lines: [{ item: "M", qty: "2", lot: "X", from: { warehouse: "W1", location: "L1" }, to: { warehouse: "W2" } }] }));
    const q = ok(l.lotQuantities("M"))
      .map((s) => [s.warehouse, s.location ?? "-", s.qty.toString()])
      .sort((a, b) => (a.join() < b.join() ? -1 : 1));
    expect(q).toEqual([
      ["W1", "L1", "3"],
      ["W1", "L2", "3"],
      ["W2", "-", "2"],
    ]);
  });
});

describe("valuation grains", () => {
  const post3 = (l: StockLedger) => {
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00", { warehouse: "W1" })));
    ok(l.post(receipt("R2", at(2), "A", "10", "20.00", { warehouse: "W2" })));
    ok(l.post(receipt("R3", at(2), "A", "5", "30.00", { warehouse: "W3" })));
  };

  it("company: the warehouses of one company share one cost pool", () => {
    const l = ledgerWith({ grain: "company" });
    post3(l);
    // C1 pool: 20 units, 300.00 → 4 out of W1 at 15.00
    expect(m(ok(l.post(outbound("I1", at(3), "A", "4", { warehouse: "W1" }))).moves[0]!.cost)).toBe("60.00");
    expect(balAt(l, { item: "A", company: "C1" })).toEqual(["16", "240.00"]);
    expect(balAt(l, { item: "A", company: "C2" })).toEqual(["5", "150.00"]);
    expect(balAt(l, { item: "A" })).toEqual(["21", "390.00"]);
    expect(ok(l.balances()).map((b) => b.position)).toEqual(["A@C1", "A@C2"]);
    expect(failWith(l.balance({ item: "A", warehouse: "W1" }), "RuleViolation").path).toBe("warehouse");
    // a transfer inside the company moves no value between pools
    const t = ok(l.post({ id: "T1", businessId: "BT", at: at(4), type: "transfer", lines: [{ item: "A", qty: "2", from: { warehouse: "W1" }, to: { warehouse: "W2" } }] }));
    expect(t.moves.map((x) => m(x.cost))).toEqual(["30.00", "30.00"]);
    expect(balAt(l, { item: "A", company: "C1" })).toEqual(["16", "240.00"]);
  });

  it("warehouse (default): one pool per warehouse; a company filter sums its warehouses", () => {
    const l = ledgerWith();
    post3(l);
    expect(m(ok(l.post(outbound("I1", at(3), "A", "4", { warehouse: "W1" }))).moves[0]!.cost)).toBe("40.00");
    expect(balAt(l, { item: "A", warehouse: "W1" })).toEqual(["6", "60.00"]);
    expect(balAt(l, { item: "A", company: "C1" })).toEqual(["16", "260.00"]);
    expect(balAt(l, { item: "A" })).toEqual(["21", "410.00"]);
    expect(ok(l.balances()).map((b) => b.position)).toEqual(["A@W1", "A@W2", "A@W3"]);
    expect(failWith(l.balance({ item: "A", warehouse: "W1", location: "L1" }), "RuleViolation").path).toBe("location");
  });

  it("location: one pool per location; a warehouse filter sums its locations", () => {
    const l = ledgerWith({ grain: "location" });
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00", { location: "L1" })));
    ok(l.post(receipt("R2", at(2), "A", "10", "20.00", { location: "L2" })));
    expect(m(ok(l.post(outbound("I1", at(3), "A", "4", { location: "L1" }))).moves[0]!.cost)).toBe("40.00");
    expect(balAt(l, { item: "A", warehouse: "W1", location: "L1" })).toEqual(["6", "60.00"]);
    expect(balAt(l, { item: "A", warehouse: "W1", location: "L2" })).toEqual(["10", "200.00"]);
    expect(balAt(l, { item: "A", warehouse: "W1" })).toEqual(["16", "260.00"]);
    expect(ok(l.balances()).map((b) => b.position)).toEqual(["A@W1/L1", "A@W1/L2"]);
    // stock at L2 does not cover an issue at L1
    failWith(l.post(outbound("I2", at(4), "A", "7", { location: "L1" })), "InsufficientStock");
  });

  it("byLot: each lot is its own pool", () => {
    const l = ledgerWith({ byLot: true });
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00", { lot: "X" })));
    ok(l.post(receipt("R2", at(2), "A", "10", "20.00", { lot: "Y" })));
    expect(m(ok(l.post(outbound("I1", at(3), "A", "5", { lot: "Y" }))).moves[0]!.cost)).toBe("100.00");
    expect(balAt(l, { item: "A", lot: "Y" })).toEqual(["5", "100.00"]);
    expect(balAt(l, { item: "A", lot: "X" })).toEqual(["10", "100.00"]);
    expect(balAt(l, { item: "A" })).toEqual(["15", "200.00"]);
    expect(ok(l.balances()).map((b) => b.position)).toEqual(["A@W1#X", "A@W1#Y"]);
  });

  it("without byLot, lots share the pool and a lot filter is refused", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00", { lot: "X" })));
    ok(l.post(receipt("R2", at(2), "A", "10", "20.00", { lot: "Y" })));
    expect(m(ok(l.post(outbound("I1", at(3), "A", "5", { lot: "Y" }))).moves[0]!.cost)).toBe("75.00");
    expect(failWith(l.balance({ item: "A", lot: "Y" }), "RuleViolation").path).toBe("lot");
  });
});
