import { describe, expect, it } from "vitest";
import { type LedgerSettingsInput, type PostingResult, type StockDocumentInput, StockLedger } from "@jxc/core";
import { ok, failWith, m, at } from "../../../scripts/test-support.js";


const receipt = (id: string, when: string, item: string, qty: string, unitCost: string, warehouse = "W1"): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "purchase-receipt",
  lines: [{ item, qty, unitCost, warehouse }],
});
const outbound = (id: string, when: string, item: string, qty: string, warehouse = "W1"): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "sales-outbound",
  lines: [{ item, qty, warehouse }],
});
const transfer = (id: string, when: string, item: string, qty: string, from: string, to: string): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "transfer",
  lines: [{ item, qty, from: { warehouse: from }, to: { warehouse: to } }],
});
const ledgerWith = (settings: LedgerSettingsInput = {}) =>
  ok(
    StockLedger.create({
      settings,
      items: [
        { id: "F", name: "Fifo", baseUnit: "件", method: "fifo" },
        { id: "A", name: "Average", baseUnit: "件", method: "moving-average" },
      ],
      warehouses: [{ id: "W1" }, { id: "W2" }, { id: "W3" }],
    }),
  );
const bal = (l: StockLedger, item: string, warehouse?: string) => {
  const b = ok(l.balance(warehouse === undefined ? { item } : { item, warehouse }));
  return [b.qty.toString(), m(b.value)];
};
const changes = (r: PostingResult) => r.costChanges.map((c) => [c.move, m(c.oldCost), m(c.newCost)]);
/** Everything observable about the ledger, as plain text, to compare before/after. */
const snapshot = (l: StockLedger) =>
  JSON.stringify({
    balances: ok(l.balances()).map((b) => [b.position, b.qty.toString(), m(b.value)]),
    moves: l.moves().map((x) => [x.id, x.at, x.qty.toString(), m(x.cost), x.provisional ?? false, (x.slices ?? []).map((s) => [s.origin, s.qty.toString(), m(s.value)])]),
    docs: l.documentIds(),
    size: l.size,
  });

describe("replay policy: a backdated receipt re-values later issues", () => {
  const fifo = () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "F", "8"))); // 80.00
    ok(l.post(receipt("R2", at(12), "F", "10", "20.00")));
    ok(l.post(outbound("I2", at(15), "F", "6"))); // 2 × 10 + 4 × 20 = 100.00
    return l;
  };

  it("FIFO: costChanges lists every changed move old → new, in ledger order", () => {
    const l = fifo();
    expect(m(l.move("I1#0")?.cost)).toBe("80.00");
    expect(m(l.move("I2#0")?.cost)).toBe("100.00");
    const r = ok(l.post(receipt("R0", at(1), "F", "10", "5.00")));
    expect(m(r.moves[0]!.cost)).toBe("50.00");
    // I1: 8 × 5 = 40.00; I2: 2 × 5 + 4 × 10 = 50.00
    expect(changes(r)).toEqual([
      ["I1#0", "80.00", "40.00"],
      ["I2#0", "100.00", "50.00"],
    ]);
    expect(r.costChanges.map((c) => [c.document, c.businessId, c.position])).toEqual([
      ["I1", "B-I1", "F@W1"],
      ["I2", "B-I2", "F@W1"],
    ]);
    expect(m(l.move("I1#0")?.cost)).toBe("40.00");
    expect(m(l.move("I2#0")?.cost)).toBe("50.00");
    expect(bal(l, "F")).toEqual(["16", "260.00"]);
    expect(ok(l.layers({ item: "F" })).map((x) => [x.origin, x.qty.toString(), m(x.value)])).toEqual([
      ["R1#0", "6", "60.00"],
      ["R2#0", "10", "200.00"],
    ]);
  });

  it("FIFO: the backdated ledger equals the ledger posted in business-time order", () => {
    const l = fifo();
    ok(l.post(receipt("R0", at(1), "F", "10", "5.00")));
    const inOrder = ledgerWith();
    ok(inOrder.post(receipt("R0", at(1), "F", "10", "5.00")));
    ok(inOrder.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(inOrder.post(outbound("I1", at(10), "F", "8")));
    ok(inOrder.post(receipt("R2", at(12), "F", "10", "20.00")));
    ok(inOrder.post(outbound("I2", at(15), "F", "6")));
    const costs = (x: StockLedger) => x.moves().map((mv) => [mv.id, m(mv.cost)]);
    expect(costs(l)).toEqual(costs(inOrder));
    expect(ok(l.balances()).map((b) => m(b.value))).toEqual(ok(inOrder.balances()).map((b) => m(b.value)));
  });

  it("moving average: a backdated receipt changes the averages of every later issue", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "A", "5"))); // 50.00
    ok(l.post(receipt("R2", at(12), "A", "10", "16.00"))); // 15, 210.00
    ok(l.post(outbound("I2", at(15), "A", "6"))); // 84.00
    expect(bal(l, "A")).toEqual(["9", "126.00"]);
    const r = ok(l.post(receipt("R0", at(1), "A", "10", "7.00")));
    // 20 units, 170.00 → I1 = 42.50; 15, 127.50 + 160 = 25, 287.50 → I2 = 69.00
    expect(changes(r)).toEqual([
      ["I1#0", "50.00", "42.50"],
      ["I2#0", "84.00", "69.00"],
    ]);
    expect(bal(l, "A")).toEqual(["19", "218.50"]);
  });

  it("moves whose cost does not change are not listed", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "F", "5")));
    // a receipt backdated between R1 and I1 does not change I1 under FIFO
    const r = ok(l.post(receipt("R0", at(5), "F", "10", "99.00")));
    expect(r.costChanges).toEqual([]);
  });

  it("business time is an instant: offsets are honoured (00:30Z is before 09:00+08:00 = 01:00Z)", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", "2026-01-02T09:00:00+08:00", "F", "10", "10.00")));
    ok(l.post(receipt("R2", "2026-01-02T00:30:00Z", "F", "10", "20.00")));
    expect(m(ok(l.post(outbound("I1", at(3), "F", "5"))).moves[0]!.cost)).toBe("100.00");
  });

  it("moves at the same instant keep arrival order", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(receipt("R2", at(2), "F", "10", "20.00")));
    expect(m(ok(l.post(outbound("I1", at(2), "F", "15"))).moves[0]!.cost)).toBe("200.00");
  });

  it("checkpoints do not change results: checkpointEvery 1 gives the same costs as the default", () => {
    const run = (settings: LedgerSettingsInput) => {
      const l = ledgerWith(settings);
      for (let d = 2; d <= 20; d += 2) {
        ok(l.post(receipt(`R${d}`, at(d), "A", "3", `${d}.10`)));
        ok(l.post(outbound(`I${d}`, at(d + 1), "A", "2")));
      }
      const r = ok(l.post(receipt("R0", at(1), "A", "7", "1.11")));
      return { moves: l.moves().map((x) => [x.id, m(x.cost)]), changes: changes(r), mid: m(ok(l.balance({ item: "A", asOf: at(9) })).value) };
    };
    const a = run({ checkpointEvery: 1 });
    const b = run({});
    expect(a).toEqual(b);
    expect(a.changes.length).toBe(10);
  });
});

describe("replay policy: a backdated issue that makes a later issue short is refused atomically", () => {
  it("InsufficientStock names the later issue; balances and moves are identical afterwards", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "F", "8")));
    const before = snapshot(l);
    const e = failWith(l.post(outbound("I0", at(5), "F", "5")), "InsufficientStock");
    expect([e.move, e.document, e.line, e.position]).toEqual(["I1#0", "I1", 0, "F@W1"]);
    expect([e.requested, e.onHand, e.shortage]).toEqual(["8", "5", "3"]);
    expect(snapshot(l)).toBe(before);
    expect(l.document("I0")).toBeUndefined();
    expect(l.movesOf("B-I0").moves).toEqual([]);
    // the ledger still works, and the id I0 is free
    ok(l.post(outbound("I0", at(5), "F", "2")));
    expect(bal(l, "F")).toEqual(["0", "0.00"]);
  });

  it("moving average: same refusal, and a later as-of query still sees the old state", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(receipt("R2", at(3), "A", "10", "12.00")));
    ok(l.post(outbound("I1", at(10), "A", "15"))); // 165.00
    const before = snapshot(l);
    const asOf = ok(l.balance({ item: "A", asOf: at(6) }));
    failWith(l.post(outbound("I0", at(5), "A", "6")), "InsufficientStock");
    expect(snapshot(l)).toBe(before);
    const asOf2 = ok(l.balance({ item: "A", asOf: at(6) }));
    expect([asOf2.qty.toString(), m(asOf2.value)]).toEqual([asOf.qty.toString(), m(asOf.value)]);
    expect(m(l.move("I1#0")?.cost)).toBe("165.00");
  });

  it("a multi-line document whose second line fails leaves the first line's position untouched", () => {
    const l = ledgerWith();
    ok(l.post(receipt("RF", at(2), "F", "10", "10.00")));
    ok(l.post(receipt("RA", at(2), "A", "1", "10.00")));
    const before = snapshot(l);
    failWith(
      l.post({
        id: "I9",
        businessId: "B9",
        at: at(3),
        type: "sales-outbound",
        lines: [
          { item: "F", qty: "4", warehouse: "W1" },
          { item: "A", qty: "2", warehouse: "W1" },
        ],
      }),
      "InsufficientStock",
    );
    expect(snapshot(l)).toBe(before);
  });

  it("a backdated document into a new warehouse that fails leaves no trace of the new position", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "F", "8")));
    const before = snapshot(l);
    failWith(l.post(transfer("T0", at(5), "F", "5", "W1", "W3")), "InsufficientStock");
    expect(snapshot(l)).toBe(before);
  });
});

describe("replay policy: transfer chains", () => {
  it("a backdated receipt in W1 changes a transfer's cost and the W2 issue after it", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(transfer("T1", at(5), "F", "6", "W1", "W2"))); // 60.00
    ok(l.post(outbound("I2", at(8), "F", "4", "W2"))); // 40.00
    expect(bal(l, "F", "W2")).toEqual(["2", "20.00"]);
    const r = ok(l.post(receipt("R0", at(1), "F", "10", "4.00")));
    expect(changes(r)).toEqual([
      ["T1#0:out", "60.00", "24.00"],
      ["T1#0:in", "60.00", "24.00"],
      ["I2#0", "40.00", "16.00"],
    ]);
    expect(bal(l, "F", "W1")).toEqual(["14", "116.00"]);
    expect(bal(l, "F", "W2")).toEqual(["2", "8.00"]);
  });

  it("a chain W1 → W2 → W3 follows every hop (moving average)", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(transfer("T1", at(4), "A", "6", "W1", "W2"))); // 60.00
    ok(l.post(receipt("R2", at(5), "A", "2", "15.00", "W2"))); // W2: 8, 90.00
    ok(l.post(transfer("T2", at(6), "A", "4", "W2", "W3"))); // 45.00
    ok(l.post(outbound("I3", at(7), "A", "3", "W3"))); // 33.75
    const r = ok(l.post(receipt("R0", at(1), "A", "10", "13.00")));
    // W1: 20, 230.00 → T1 = 69.00; W2: 8, 99.00 → T2 = 49.50; W3: 4, 49.50 → I3 = 37.13 (37.125)
    expect(changes(r)).toEqual([
      ["T1#0:out", "60.00", "69.00"],
      ["T1#0:in", "60.00", "69.00"],
      ["T2#0:out", "45.00", "49.50"],
      ["T2#0:in", "45.00", "49.50"],
      ["I3#0", "33.75", "37.13"],
    ]);
    expect(bal(l, "A", "W3")).toEqual(["1", "12.37"]);
    expect(bal(l, "A")).toEqual(["19", "222.87"]); // 130 + 100 + 30 − 37.13
  });

  it("a backdated issue in W1 that starves a transfer is refused, whatever the transfer's destination holds", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(transfer("T1", at(5), "F", "6", "W1", "W2")));
    const before = snapshot(l);
    const e = failWith(l.post(outbound("I0", at(3), "F", "5")), "InsufficientStock");
    expect(e.move).toBe("T1#0:out");
    expect(snapshot(l)).toBe(before);
  });
});

describe("immutable policy", () => {
  const scenario = (settings: LedgerSettingsInput) => {
    const l = ledgerWith(settings);
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "F", "8"))); // 80.00
    ok(l.post(receipt("R2", at(12), "F", "10", "20.00")));
    ok(l.post(outbound("I2", at(15), "F", "6"))); // 100.00
    return l;
  };
  const NOW = "2026-01-20T10:00:00+08:00";

  it("adjustments carry the differences, dated at options.now", () => {
    const l = scenario({ backdating: "immutable" });
    const r = ok(l.post(receipt("R0", at(1), "F", "10", "5.00"), { now: NOW }));
    expect(changes(r)).toEqual([
      ["I1#0", "80.00", "40.00"],
      ["I2#0", "100.00", "50.00"],
    ]);
    // an outbound move's cost falls by 40.00 / 50.00: stock value rises by as much
    expect(r.adjustments.map((a) => [a.move, a.document, a.businessId, a.position, a.at, m(a.costChange), m(a.stockValueChange)])).toEqual([
      ["I1#0", "I1", "B-I1", "F@W1", NOW, "-40.00", "40.00"],
      ["I2#0", "I2", "B-I2", "F@W1", NOW, "-50.00", "50.00"],
    ]);
    expect(l.bookedAdjustments()).toHaveLength(2);
    expect(l.movesOf("B-I1").adjustments.map((a) => m(a.costChange))).toEqual(["-40.00"]);
  });

  it("the final position value equals the replay policy's", () => {
    const immutable = scenario({ backdating: "immutable" });
    ok(immutable.post(receipt("R0", at(1), "F", "10", "5.00"), { now: NOW }));
    const replay = scenario({});
    ok(replay.post(receipt("R0", at(1), "F", "10", "5.00")));
    expect(bal(immutable, "F")).toEqual(["16", "260.00"]);
    // the books: moves at their booked costs plus the adjustments' stock value changes give the same value
    const booked = immutable
      .moves()
      .reduce((t, x) => (x.direction === "in" ? t.plus(x.cost) : x.direction === "out" ? t.minus(x.cost) : t.plus(x.cost)), immutable.moves()[0]!.cost.times(0));
    const adj = immutable.bookedAdjustments().reduce((t, a) => t.plus(a.stockValueChange), booked.times(0));
    expect(m(booked)).toBe("170.00"); // 50 + 100 + 200 − 80 − 100
    expect(m(booked.plus(adj))).toBe("260.00");
    expect(bal(replay, "F")).toEqual(["16", "260.00"]);
    expect(replay.bookedAdjustments()).toEqual([]);
  });

  it("earlier moves keep their booked cost: the booked cost plus the adjustments is the replay cost", () => {
    const l = scenario({ backdating: "immutable" });
    ok(l.post(receipt("R0", at(1), "F", "10", "5.00"), { now: NOW }));
    // the document's move still shows the cost it was booked at
    expect(m(l.document("I1")?.moves[0]!.cost)).toBe("80.00");
    // the move keeps the cost it was booked at; the difference lives in the adjustment
    const { moves, adjustments } = l.movesOf("B-I1");
    expect(moves.map((x) => [x.id, m(x.cost)])).toEqual([["I1#0", "80.00"]]);
    expect(m(l.move("I1#0")?.cost)).toBe("80.00");
    expect(m(moves[0]!.cost.plus(adjustments[0]!.costChange))).toBe("40.00");
  });

  it("a second backdated document books only the further difference", () => {
    const l = scenario({ backdating: "immutable" });
    ok(l.post(receipt("R0", at(1), "F", "10", "5.00"), { now: NOW }));
    // another 10 at 1.00 on Jan 1 (after R0): I1 still 8 × 5 = 40.00; I2: 2 × 5 + 4 × 1 = 14.00
    const r = ok(l.post(receipt("R00", at(1, 10), "F", "10", "1.00"), { now: "2026-01-21T10:00:00+08:00" }));
    expect(r.adjustments.map((a) => [a.move, m(a.costChange)])).toEqual([["I2#0", "-36.00"]]);
    const total = l
      .bookedAdjustments()
      .filter((a) => a.move === "I2#0")
      .reduce((t, a) => t.plus(a.costChange), l.document("I2")!.moves[0]!.cost);
    expect(m(total)).toBe("14.00");
  });

  it("without options.now, adjustments are dated at the latest business time", () => {
    const l = scenario({ backdating: "immutable" });
    const r = ok(l.post(receipt("R0", at(1), "F", "10", "5.00")));
    expect(r.adjustments.map((a) => Date.parse(a.at))).toEqual([Date.parse(at(15)), Date.parse(at(15))]);
  });

  it("cancelling is refused under the immutable policy", () => {
    const l = scenario({ backdating: "immutable" });
    expect(failWith(l.cancel("I2"), "RuleViolation").path).toBe("document");
    expect(bal(l, "F")).toEqual(["6", "120.00"]); // 300 − 80 − 100
    expect(l.document("I2")).toBeDefined();
  });

  it("a monthly close under the immutable policy books its adjustments in an open period", () => {
    const l = ok(
      StockLedger.create({
        settings: { backdating: "immutable" },
        items: [{ id: "M", name: "M", baseUnit: "件", method: "monthly-weighted-average" }],
        warehouses: [{ id: "W1" }],
      }),
    );
    ok(l.post(receipt("R1", at(2), "M", "10", "10.00")));
    ok(l.post(outbound("I1", at(5), "M", "5"))); // provisional 50.00
    ok(l.post(receipt("R2", at(10), "M", "10", "16.00")));
    const r = ok(l.closePeriod("2026-01"));
    expect(r.adjustments.map((a) => [a.move, m(a.costChange)])).toEqual([["I1#0", "15.00"]]);
    // January is closed: the adjustment must not be dated in it
    for (const a of r.adjustments) expect(Date.parse(a.at)).toBeGreaterThanOrEqual(Date.parse("2026-02-01T00:00:00+08:00"));
  });
});
