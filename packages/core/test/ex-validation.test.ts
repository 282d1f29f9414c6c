import { describe, expect, it } from "vitest";
import { type LedgerConfigInput, type StockDocumentInput, StockLedger } from "@jxc/core";
import { ok, failWith, at } from "../../../scripts/test-support.js";


const config: LedgerConfigInput = {
  settings: { method: "moving-average" },
  items: [
    { id: "A", name: "Widget", baseUnit: "件", conversions: [{ unit: "箱", factor: "12" }] },
    { id: "R", name: "Rice", baseUnit: "kg", conversions: [{ unit: "斤", factor: "0.5" }, { unit: "两", factor: "0.05" }, { unit: "dag", factor: "0.1" }] },
    { id: "LT", name: "Milk", baseUnit: "瓶", lotTracked: true },
    { id: "SN", name: "Phone", baseUnit: "台", serialTracked: true },
  ],
  warehouses: [{ id: "W1", locations: [{ id: "L1" }, { id: "L2" }] }, { id: "W2" }],
};
const newLedger = () => ok(StockLedger.create(config));

const receipt = (over: Record<string, unknown> = {}, line: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: "PR1",
  businessId: "B1",
  at: at(2),
  type: "purchase-receipt",
  lines: [{ item: "A", qty: "10", unitCost: "10.00", warehouse: "W1", ...line }],
  ...over,
});
const paths = (issues: ReadonlyArray<{ path: string }>) => issues.map((i) => i.path);

describe("document validation: malformed documents are InvalidInput naming the field", () => {
  it("a missing lines array names `lines`", () => {
    const doc = receipt();
    delete doc.lines;
    const e = failWith(newLedger().post(doc), "InvalidInput");
    expect(e.subject).toBe("document");
    expect(paths(e.issues)).toContain("lines");
  });

  it("a missing header field names it (businessId)", () => {
    const doc = receipt();
    delete doc.businessId;
    const e = failWith(newLedger().post(doc), "InvalidInput");
    expect(paths(e.issues)).toEqual(["businessId"]);
  });

  it("a missing line field names its full path (lines.0.warehouse, lines.0.unitCost)", () => {
    const e = failWith(
      newLedger().post({ id: "PR1", businessId: "B1", at: at(2), type: "purchase-receipt", lines: [{ item: "A", qty: "10" }] }),
      "InvalidInput",
    );
    expect(paths(e.issues).sort()).toEqual(["lines.0.unitCost", "lines.0.warehouse"]);
  });

  it("a number instead of a decimal string is refused at lines.0.qty", () => {
    const e = failWith(newLedger().post(receipt({}, { qty: 10 })), "InvalidInput");
    expect(paths(e.issues)).toEqual(["lines.0.qty"]);
  });

  it("a number as unit cost is refused at lines.1.unitCost (second line)", () => {
    const doc = receipt({
      lines: [
        { item: "A", qty: "1", unitCost: "1.00", warehouse: "W1" },
        { item: "A", qty: "1", unitCost: 1.5, warehouse: "W1" },
      ],
    });
    const e = failWith(newLedger().post(doc), "InvalidInput");
    expect(paths(e.issues)).toEqual(["lines.1.unitCost"]);
  });

  it("a negative or zero qty is refused at lines.0.qty", () => {
    expect(paths(failWith(newLedger().post(receipt({}, { qty: "-3" })), "InvalidInput").issues)).toEqual(["lines.0.qty"]);
    expect(paths(failWith(newLedger().post(receipt({}, { qty: "0" })), "InvalidInput").issues)).toEqual(["lines.0.qty"]);
  });

  it("a non-decimal text qty is refused at lines.0.qty", () => {
    expect(paths(failWith(newLedger().post(receipt({}, { qty: "12,5" })), "InvalidInput").issues)).toEqual(["lines.0.qty"]);
  });

  it("a negative unit cost is refused, zero is accepted", () => {
    expect(paths(failWith(newLedger().post(receipt({}, { unitCost: "-0.01" })), "InvalidInput").issues)).toEqual(["lines.0.unitCost"]);
    const l = newLedger();
    const r = ok(l.post(receipt({}, { unitCost: "0" })));
    expect(r.moves[0]!.cost.toFixed(2)).toBe("0.00");
  });

  it("an instant without offset is refused at `at`; with an offset (or Z) it is accepted", () => {
    expect(paths(failWith(newLedger().post(receipt({ at: "2026-01-02T09:00:00" })), "InvalidInput").issues)).toEqual(["at"]);
    expect(paths(failWith(newLedger().post(receipt({ at: "2026-01-02" })), "InvalidInput").issues)).toEqual(["at"]);
    ok(newLedger().post(receipt({ at: "2026-01-02T01:00:00Z" })));
  });

  it("an unknown document type is refused at `type`", () => {
    const e = failWith(newLedger().post(receipt({ type: "gift" })), "InvalidInput");
    expect(paths(e.issues)).toEqual(["type"]);
  });

  it("an empty lines array is refused at `lines`", () => {
    expect(paths(failWith(newLedger().post(receipt({ lines: [] })), "InvalidInput").issues)).toEqual(["lines"]);
  });

  it("an adjustment of 0 is refused at lines.0.qty; a negative adjustment is accepted by the schema", () => {
    const adj = (qty: string) => ({ id: "ADJ", businessId: "B", at: at(3), type: "adjustment", lines: [{ item: "A", qty, warehouse: "W1" }] });
    expect(paths(failWith(newLedger().post(adj("0")), "InvalidInput").issues)).toEqual(["lines.0.qty"]);
    const l = newLedger();
    ok(l.post(receipt()));
    ok(l.post(adj("-1")));
  });

  it("a malformed document changes nothing", () => {
    const l = newLedger();
    failWith(l.post(receipt({}, { qty: 10 })), "InvalidInput");
    expect(l.size).toBe(0);
    expect(l.documentIds()).toEqual([]);
    // the id is still free
    ok(l.post(receipt()));
    expect(l.size).toBe(1);
  });

  it("ledger settings are validated: LIFO without allowLifo names settings.method", () => {
    const e = failWith(StockLedger.create({ settings: { method: "lifo" } }), "InvalidInput");
    expect(paths(e.issues)).toEqual(["settings.method"]);
    ok(StockLedger.create({ settings: { method: "lifo", allowLifo: true } }));
  });
});

describe("document validation: references", () => {
  it("an unknown item is UnknownReference at lines.0.item", () => {
    const e = failWith(newLedger().post(receipt({}, { item: "NOPE" })), "UnknownReference");
    expect(e.kind).toBe("item");
    expect(e.ref).toBe("NOPE");
    expect(e.path).toBe("lines.0.item");
  });

  it("an unknown warehouse is UnknownReference at lines.0.warehouse", () => {
    const e = failWith(newLedger().post(receipt({}, { warehouse: "W9" })), "UnknownReference");
    expect(e.kind).toBe("warehouse");
    expect(e.ref).toBe("W9");
    expect(e.path).toBe("lines.0.warehouse");
  });

  it("an unknown location is UnknownReference at lines.0.location", () => {
    const e = failWith(newLedger().post(receipt({}, { location: "L9" })), "UnknownReference");
    expect(e.kind).toBe("location");
    expect(e.ref).toBe("L9");
    expect(e.path).toBe("lines.0.location");
  });

  it("the path names the faulty line (lines.1.item)", () => {
    const doc = receipt({
      lines: [
        { item: "A", qty: "1", unitCost: "1.00", warehouse: "W1" },
        { item: "B", qty: "1", unitCost: "1.00", warehouse: "W1" },
      ],
    });
    expect(failWith(newLedger().post(doc), "UnknownReference").path).toBe("lines.1.item");
  });

  it("transfer: an unknown destination warehouse is named at lines.0.to.warehouse, an unknown source at lines.0.from.warehouse", () => {
    const l = newLedger();
    ok(l.post(receipt()));
    const tr = (from: string, to: string) => ({
      id: `T-${from}-${to}`,
      businessId: "BT",
      at: at(3),
      type: "transfer",
      lines: [{ item: "A", qty: "1", from: { warehouse: from }, to: { warehouse: to } }],
    });
    expect(failWith(l.post(tr("W1", "W9")), "UnknownReference").path).toBe("lines.0.to.warehouse");
    expect(failWith(l.post(tr("W9", "W2")), "UnknownReference").path).toBe("lines.0.from.warehouse");
  });

  it("transfer: an unknown item is named at lines.0.item (the field of the line that holds it)", () => {
    const l = newLedger();
    const e = failWith(
      l.post({ id: "T1", businessId: "BT", at: at(3), type: "transfer", lines: [{ item: "NOPE", qty: "1", from: { warehouse: "W1" }, to: { warehouse: "W2" } }] }),
      "UnknownReference",
    );
    expect(e.kind).toBe("item");
    expect(e.path).toBe("lines.0.item");
  });

  it("transfer: an unknown unit is a RuleViolation at lines.0.unit (the field of the line that holds it)", () => {
    const l = newLedger();
    ok(l.post(receipt()));
    const e = failWith(
      l.post({ id: "T1", businessId: "BT", at: at(3), type: "transfer", lines: [{ item: "A", qty: "1", unit: "托", from: { warehouse: "W1" }, to: { warehouse: "W2" } }] }),
      "RuleViolation",
    );
    expect(e.path).toBe("lines.0.unit");
  });

  it("a sales return referencing a line that is not an outbound is UnknownReference at lines.0.ref", () => {
    const l = newLedger();
    ok(l.post(receipt()));
    const e = failWith(
      l.post({ id: "SR1", businessId: "B1", at: at(4), type: "sales-return", lines: [{ item: "A", qty: "1", warehouse: "W1", ref: { document: "PR1", line: 0 } }] }),
      "UnknownReference",
    );
    expect(e.path).toBe("lines.0.ref");
  });

  it("a cost adjustment of an unknown receipt is UnknownReference at `receipt`", () => {
    const e = failWith(
      newLedger().post({
        id: "CA1",
        businessId: "B1",
        at: at(4),
        type: "cost-adjustment",
        reason: "landed-cost",
        receipt: "PR404",
        allocation: { by: "value", amount: "10.00" },
      }),
      "UnknownReference",
    );
    expect(e.path).toBe("receipt");
  });
});

describe("document validation: units", () => {
  it("2 箱 (1 箱 = 12 件) at 120.00 per 箱 comes in as 24 件 worth 240.00; 1 箱 out costs 120.00", () => {
    const l = newLedger();
    const r = ok(l.post(receipt({}, { qty: "2", unit: "箱", unitCost: "120.00" })));
    expect(r.moves[0]!.qty.toString()).toBe("24");
    expect(r.moves[0]!.cost.toFixed(2)).toBe("240.00");
    const o = ok(l.post({ id: "SO1", businessId: "B2", at: at(3), type: "sales-outbound", lines: [{ item: "A", qty: "1", unit: "箱", warehouse: "W1" }] }));
    expect(o.moves[0]!.qty.toString()).toBe("12");
    expect(o.moves[0]!.cost.toFixed(2)).toBe("120.00");
    const b = ok(l.balance({ item: "A" }));
    expect(b.qty.toString()).toBe("12");
    expect(b.value.toFixed(2)).toBe("120.00");
  });

  it("a per-箱 unit cost that is not a whole per-件 cost still values the line exactly: 2 箱 at 100.00 = 200.00", () => {
    const l = newLedger();
    const r = ok(l.post(receipt({}, { qty: "2", unit: "箱", unitCost: "100.00" })));
    expect(r.moves[0]!.qty.toString()).toBe("24");
    expect(r.moves[0]!.cost.toFixed(2)).toBe("200.00");
  });

  it("exact decimal factors: 3 斤 (0.5 kg) = 1.5 kg; 3 dag (0.1 kg) = 0.3 kg exactly, not 0.30000000000000004", () => {
    const l = newLedger();
    const r = ok(l.post(receipt({}, { item: "R", qty: "3", unit: "斤", unitCost: "7.00" })));
    expect(r.moves[0]!.qty.toString()).toBe("1.5");
    expect(r.moves[0]!.cost.toFixed(2)).toBe("21.00");
    const o = ok(l.post({ id: "SO1", businessId: "B2", at: at(3), type: "sales-outbound", lines: [{ item: "R", qty: "3", unit: "dag", warehouse: "W1" }] }));
    expect(o.moves[0]!.qty.toString()).toBe("0.3");
    // moving average: round(21.00 × 0.3 / 1.5) = 4.20
    expect(o.moves[0]!.cost.toFixed(2)).toBe("4.20");
    const b = ok(l.balance({ item: "R" }));
    expect(b.qty.toString()).toBe("1.2");
    expect(b.value.toFixed(2)).toBe("16.80");
  });

  it("7 两 (0.05 kg) = 0.35 kg", () => {
    const l = newLedger();
    const r = ok(l.post(receipt({}, { item: "R", qty: "7", unit: "两", unitCost: "1.10" })));
    expect(r.moves[0]!.qty.toString()).toBe("0.35");
    expect(r.moves[0]!.cost.toFixed(2)).toBe("7.70");
  });

  it("the base unit may be named explicitly", () => {
    const r = ok(newLedger().post(receipt({}, { qty: "5", unit: "件" })));
    expect(r.moves[0]!.qty.toString()).toBe("5");
  });

  it("an unknown unit is a RuleViolation at lines.0.unit", () => {
    const e = failWith(newLedger().post(receipt({}, { unit: "托" })), "RuleViolation");
    expect(e.path).toBe("lines.0.unit");
  });

  it("another item's unit is not accepted (斤 on a 件 item)", () => {
    expect(failWith(newLedger().post(receipt({}, { unit: "斤" })), "RuleViolation").path).toBe("lines.0.unit");
  });
});

describe("document validation: lot and serial tracking", () => {
  it("a lot-tracked item without a lot is a RuleViolation at lines.0.lot", () => {
    const e = failWith(newLedger().post(receipt({}, { item: "LT" })), "RuleViolation");
    expect(e.path).toBe("lines.0.lot");
    ok(newLedger().post(receipt({}, { item: "LT", lot: "L-1" })));
  });

  it("a lot-tracked outbound without a lot is refused too", () => {
    const l = newLedger();
    ok(l.post(receipt({}, { item: "LT", lot: "L-1" })));
    const e = failWith(l.post({ id: "SO1", businessId: "B2", at: at(3), type: "sales-outbound", lines: [{ item: "LT", qty: "1", warehouse: "W1" }] }), "RuleViolation");
    expect(e.path).toBe("lines.0.lot");
  });

  it("a serial-tracked item needs one serial per unit: 2 serials for 3 units, or none, are refused at lines.0.serials", () => {
    expect(failWith(newLedger().post(receipt({}, { item: "SN", qty: "3", serials: ["S1", "S2"] })), "RuleViolation").path).toBe("lines.0.serials");
    expect(failWith(newLedger().post(receipt({}, { item: "SN", qty: "2" })), "RuleViolation").path).toBe("lines.0.serials");
    expect(failWith(newLedger().post(receipt({}, { item: "SN", qty: "2", serials: ["S1", "S1"] })), "RuleViolation").path).toBe("lines.0.serials");
    const r = ok(newLedger().post(receipt({}, { item: "SN", qty: "3", serials: ["S1", "S2", "S3"] })));
    expect(r.moves[0]!.serials).toEqual(["S1", "S2", "S3"]);
  });

  it("a serial already in stock cannot be received again; a serial not in stock cannot be issued", () => {
    const l = newLedger();
    ok(l.post(receipt({}, { item: "SN", qty: "2", serials: ["S1", "S2"] })));
    expect(failWith(l.post(receipt({ id: "PR2" }, { item: "SN", qty: "1", serials: ["S2"] })), "RuleViolation").path).toBe("lines.0.serials");
    const so = (id: string, serial: string) => ({ id, businessId: "B2", at: at(3), type: "sales-outbound", lines: [{ item: "SN", qty: "1", warehouse: "W1", serials: [serial] }] });
    expect(failWith(l.post(so("SO1", "S9")), "RuleViolation").path).toBe("lines.0.serials");
    ok(l.post(so("SO2", "S1")));
    // S1 has left: it cannot leave twice, but it may come back in
    expect(failWith(l.post(so("SO3", "S1")), "RuleViolation").path).toBe("lines.0.serials");
    ok(l.post(receipt({ id: "PR3", at: at(4) }, { item: "SN", qty: "1", serials: ["S1"] })));
  });

  it("a lot received again with other dates is a RuleViolation at lines.0.lot", () => {
    const l = newLedger();
    ok(l.post(receipt({}, { item: "LT", lot: "L-1", expiryDate: "2026-06-30" })));
    expect(failWith(l.post(receipt({ id: "PR2" }, { item: "LT", lot: "L-1", expiryDate: "2026-07-31" })), "RuleViolation").path).toBe("lines.0.lot");
    ok(l.post(receipt({ id: "PR3" }, { item: "LT", lot: "L-1", expiryDate: "2026-06-30" })));
  });

  it("a typed document input is accepted as is", () => {
    const doc: StockDocumentInput = { id: "PR1", businessId: "B1", at: at(2), type: "purchase-receipt", lines: [{ item: "A", qty: "1", unitCost: "3.335", warehouse: "W1" }] };
    // round half-up: 3.335 → 3.34
    expect(ok(newLedger().post(doc)).moves[0]!.cost.toFixed(2)).toBe("3.34");
  });
});
