import { describe, expect, it } from "vitest";
import { type LedgerSettingsInput, type StockDocumentInput, StockLedger } from "@jxc/core";
import { ok, failWith, m } from "../../../scripts/test-support.js";

const at = (day: number, hour = 9, month = 1) =>
  `2026-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00+08:00`;

const receipt = (id: string, when: string, item: string, qty: string, unitCost: string, warehouse = "W1", serials?: string[]): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "purchase-receipt",
  lines: [{ item, qty, unitCost, warehouse, serials }],
});
const outbound = (id: string, when: string, item: string, qty: string, warehouse = "W1"): StockDocumentInput => ({
  id,
  businessId: `B-${id}`,
  at: when,
  type: "sales-outbound",
  lines: [{ item, qty, warehouse }],
});
const ledgerWith = (settings: LedgerSettingsInput = {}) =>
  ok(
    StockLedger.create({
      settings,
      items: [
        { id: "A", name: "Average", baseUnit: "件", method: "moving-average" },
        { id: "F", name: "Fifo", baseUnit: "件", method: "fifo" },
        { id: "SN", name: "Phone", baseUnit: "台", serialTracked: true },
      ],
      warehouses: [{ id: "W1" }, { id: "W2" }],
    }),
  );
const bal = (l: StockLedger, item: string, warehouse?: string) => {
  const b = ok(l.balance(warehouse === undefined ? { item } : { item, warehouse }));
  return [b.qty.toString(), m(b.value)];
};
const snapshot = (l: StockLedger) =>
  JSON.stringify({
    balances: ok(l.balances()).map((b) => [b.position, b.qty.toString(), m(b.value)]),
    moves: l.moves().map((x) => [x.id, x.at, x.qty.toString(), m(x.cost), (x.slices ?? []).map((s) => [s.origin, s.qty.toString(), m(s.value)])]),
    docs: l.documentIds(),
    size: l.size,
  });

describe("period locks", () => {
  const setup = (settings: LedgerSettingsInput = {}) => {
    const l = ledgerWith(settings);
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "A", "4")));
    return l;
  };

  it("after closePeriod(2026-01), posting a document dated in January is PeriodClosed", () => {
    const l = setup();
    ok(l.closePeriod("2026-01"));
    const before = snapshot(l);
    const e = failWith(l.post(receipt("R9", at(15), "A", "1", "1.00")), "PeriodClosed");
    expect([e.period, e.document]).toEqual(["2026-01", "R9"]);
    expect(snapshot(l)).toBe(before);
  });

  it("after closePeriod(2026-01), cancelling a January document is PeriodClosed", () => {
    const l = setup();
    ok(l.closePeriod("2026-01"));
    const e = failWith(l.cancel("I1"), "PeriodClosed");
    expect([e.period, e.document]).toEqual(["2026-01", "I1"]);
    expect(l.document("I1")).toBeDefined();
    expect(bal(l, "A")).toEqual(["6", "60.00"]);
  });

  it("the month is cut in the tenant's zone (Asia/Shanghai by default)", () => {
    const l = setup();
    ok(l.closePeriod("2026-01"));
    // 15:59:59Z = 23:59:59 in Shanghai on Jan 31: closed; 16:00:00Z = Feb 1 00:00 in Shanghai: open
    expect(failWith(l.post(receipt("R8", "2026-01-31T15:59:59Z", "A", "1", "1.00")), "PeriodClosed").period).toBe("2026-01");
    ok(l.post(receipt("R9", "2026-01-31T16:00:00Z", "A", "1", "1.00")));
  });

  it("with timeZone UTC, Feb 1 06:00 +08:00 (Jan 31 22:00Z) is still January", () => {
    const l = setup({ timeZone: "UTC" });
    ok(l.closePeriod("2026-01"));
    expect(failWith(l.post(receipt("R9", "2026-02-01T06:00:00+08:00", "A", "1", "1.00")), "PeriodClosed").period).toBe("2026-01");
    ok(l.post(receipt("R10", "2026-02-01T08:00:00+08:00", "A", "1", "1.00")));
  });

  it("closing a later month closes every month before it; closing again is refused", () => {
    const l = setup();
    ok(l.closePeriod("2026-02"));
    expect(l.closedPeriod).toBe("2026-02");
    failWith(l.post(receipt("R9", at(20), "A", "1", "1.00")), "PeriodClosed");
    failWith(l.post(receipt("R10", at(20, 9, 2), "A", "1", "1.00")), "PeriodClosed");
    ok(l.post(receipt("R11", at(1, 9, 3), "A", "1", "1.00")));
    failWith(l.closePeriod("2026-01"), "PeriodClosed");
    failWith(l.closePeriod("2026-02"), "PeriodClosed");
  });

  it("a malformed period is InvalidInput", () => {
    failWith(setup().closePeriod("2026-13"), "InvalidInput");
    failWith(setup().closePeriod("2026-1"), "InvalidInput");
  });

  it("options.now inside a closed period is PeriodClosed", () => {
    const l = setup();
    ok(l.closePeriod("2026-01"));
    failWith(l.post(receipt("R9", at(3, 9, 2), "A", "1", "1.00"), { now: at(31) }), "PeriodClosed");
    ok(l.post(receipt("R9", at(3, 9, 2), "A", "1", "1.00"), { now: at(3, 10, 2) }));
  });
});

describe("cancel", () => {
  it("cancelling a backdated receipt restores exactly the balances and costs as if it had never been posted", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(outbound("I1", at(10), "A", "5"))); // 50.00
    const before = snapshot(l);
    ok(l.post(receipt("R2", at(5), "A", "10", "16.00")));
    expect(m(l.move("I1#0")?.cost)).toBe("65.00"); // 260 × 5/20
    const r = ok(l.cancel("R2"));
    expect(r.action).toBe("cancel");
    expect(r.document).toBe("R2");
    expect(r.moves).toEqual([]);
    expect(r.costChanges.map((c) => [c.move, m(c.oldCost), m(c.newCost)])).toEqual([["I1#0", "65.00", "50.00"]]);
    expect(snapshot(l)).toBe(before);
    expect(l.document("R2")).toBeUndefined();
    expect(l.movesOf("B-R2").moves).toEqual([]);
  });

  it("cancelling an issue gives its layers back (FIFO): later issues take them again", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(receipt("R2", at(3), "F", "10", "20.00")));
    ok(l.post(outbound("I1", at(4), "F", "6"))); // 60.00
    ok(l.post(outbound("I2", at(5), "F", "6"))); // 4 × 10 + 2 × 20 = 80.00
    const r = ok(l.cancel("I1"));
    expect(r.costChanges.map((c) => [c.move, m(c.oldCost), m(c.newCost)])).toEqual([["I2#0", "80.00", "60.00"]]);
    expect(bal(l, "F")).toEqual(["14", "240.00"]);
  });

  it("a cancelled document leaves balances() as in a ledger that never saw it (even when it opened a new position)", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    const never = snapshot(l);
    ok(l.post(receipt("R2", at(3), "A", "5", "12.00", "W2")));
    ok(l.cancel("R2"));
    expect(snapshot(l)).toBe(never);
  });

  it("cancelling a transfer restores both warehouses", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "F", "10", "10.00")));
    ok(l.post(receipt("R2", at(2), "F", "5", "12.00", "W2")));
    const before = snapshot(l);
    ok(l.post({ id: "T1", businessId: "BT", at: at(3), type: "transfer", lines: [{ item: "F", qty: "4", from: { warehouse: "W1" }, to: { warehouse: "W2" } }] }));
    expect(bal(l, "F", "W2")).toEqual(["9", "100.00"]);
    ok(l.cancel("T1"));
    expect(snapshot(l)).toBe(before);
  });

  it("cancelling an outbound that a sales return references is refused; after cancelling the return it works", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(outbound("I1", at(3), "A", "4")));
    ok(l.post({ id: "SR1", businessId: "B-I1", at: at(4), type: "sales-return", lines: [{ item: "A", qty: "1", warehouse: "W1", ref: { document: "I1", line: 0 } }] }));
    const before = snapshot(l);
    expect(failWith(l.cancel("I1"), "RuleViolation").path).toBe("document");
    expect(snapshot(l)).toBe(before);
    ok(l.cancel("SR1"));
    ok(l.cancel("I1"));
    expect(bal(l, "A")).toEqual(["10", "100.00"]);
  });

  it("cancelling a receipt that a purchase return or a cost adjustment references is refused", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post({ id: "RT1", businessId: "B-R1", at: at(3), type: "purchase-return", lines: [{ item: "A", qty: "2", warehouse: "W1", ref: { document: "R1", line: 0 } }] }));
    failWith(l.cancel("R1"), "RuleViolation");
    ok(l.cancel("RT1"));
    ok(l.post({ id: "CA1", businessId: "B-R1", at: at(4), type: "cost-adjustment", reason: "landed-cost", receipt: "R1", allocation: { by: "value", amount: "5.00" } }));
    failWith(l.cancel("R1"), "RuleViolation");
    ok(l.cancel("CA1"));
    ok(l.cancel("R1"));
    expect(bal(l, "A")).toEqual(["0", "0.00"]);
  });

  it("a cancellation that would leave a later issue short is refused and changes nothing", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    ok(l.post(receipt("R2", at(3), "A", "10", "20.00")));
    ok(l.post(outbound("I1", at(10), "A", "15")));
    const before = snapshot(l);
    const e = failWith(l.cancel("R1"), "InsufficientStock");
    expect(e.move).toBe("I1#0");
    expect(snapshot(l)).toBe(before);
    expect(l.document("R1")).toBeDefined();
  });

  it("an unknown document cannot be cancelled", () => {
    expect(failWith(ledgerWith().cancel("NOPE"), "UnknownReference").ref).toBe("NOPE");
  });

  it("after a cancel the id is free again, and serial numbers go back to where they were", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "SN", "2", "100.00", "W1", ["S1", "S2"])));
    ok(l.cancel("R1"));
    ok(l.post(receipt("R1", at(2), "SN", "1", "90.00", "W1", ["S1"])));
    expect(bal(l, "SN")).toEqual(["1", "90.00"]);
    ok(l.post({ id: "I1", businessId: "X", at: at(3), type: "sales-outbound", lines: [{ item: "SN", qty: "1", warehouse: "W1", serials: ["S1"] }] }));
    ok(l.cancel("I1"));
    // S1 is back in W1: it can leave again
    ok(l.post({ id: "I2", businessId: "X", at: at(4), type: "sales-outbound", lines: [{ item: "SN", qty: "1", warehouse: "W1", serials: ["S1"] }] }));
  });
});

describe("idempotency", () => {
  it("posting the identical document twice returns the same result and changes nothing", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    const first = ok(l.post(outbound("I1", at(3), "A", "4")));
    const before = snapshot(l);
    const second = ok(l.post(outbound("I1", at(3), "A", "4")));
    expect(second).toEqual(first);
    expect(m(second.moves[0]!.cost)).toBe("40.00");
    expect(snapshot(l)).toBe(before);
    expect(l.movesOf("B-I1").moves).toHaveLength(1);
  });

  it("key order does not matter", () => {
    const l = ledgerWith();
    const a = ok(l.post({ id: "R1", businessId: "B", at: at(2), type: "purchase-receipt", lines: [{ item: "A", qty: "1", unitCost: "1.00", warehouse: "W1" }] }));
    const b = ok(l.post({ lines: [{ warehouse: "W1", unitCost: "1.00", qty: "1", item: "A" }], type: "purchase-receipt", at: at(2), businessId: "B", id: "R1" }));
    expect(b).toEqual(a);
    expect(l.size).toBe(1);
  });

  it("the same id with other content is DuplicateDocument and changes nothing", () => {
    const l = ledgerWith();
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    const before = snapshot(l);
    const e = failWith(l.post(receipt("R1", at(2), "A", "10", "11.00")), "DuplicateDocument");
    expect(e.document).toBe("R1");
    failWith(l.post(outbound("R1", at(3), "A", "1")), "DuplicateDocument");
    expect(snapshot(l)).toBe(before);
  });

  it("a refused document can be retried once the reason is gone", () => {
    const l = ledgerWith();
    failWith(l.post(outbound("I1", at(3), "A", "4")), "InsufficientStock");
    ok(l.post(receipt("R1", at(2), "A", "10", "10.00")));
    expect(m(ok(l.post(outbound("I1", at(3), "A", "4"))).moves[0]!.cost)).toBe("40.00");
  });
});
