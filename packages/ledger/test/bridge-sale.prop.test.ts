import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, StockLedger } from "@jxc/core";
import { ImpairmentAllowance, Journal, casChart, defaultTemplateSet, deriveVouchers, eventsFromPosting, loadTemplates, reconcileInventory, subLedgerEntries } from "@jxc/ledger";
import { ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const chart = casChart();
const templates = ok(loadTemplates(defaultTemplateSet, chart));
const GENERAL = { id: "E1", taxpayer: "general" as const };
const CAS = { standard: "CAS" as const, moneyScale: 2 };
const at = (day: number) => `2026-07-${String(day).padStart(2, "0")}T10:00:00+08:00`;

const newStock = () =>
  ok(
    StockLedger.create({
      items: [
        { id: "A", name: "A", baseUnit: "件" },
        { id: "B", name: "B", baseUnit: "件" },
      ],
      warehouses: [{ id: "W1" }, { id: "W2" }],
    }),
  );
const receive = (stock: StockLedger, id: string, item: string, warehouse: string, qty: string, unitCost: string, day: number) =>
  ok(stock.post({ id, businessId: id, type: "purchase-receipt", at: at(day), lines: [{ item, warehouse, qty, unitCost }] }));
const rows = (event: unknown) => ok(deriveVouchers(event, chart, templates, GENERAL)).flatMap((v) => v.lines.map((l) => `${l.account} ${l.side} ${l.amount.toFixed(2)}${l.auxiliaries["item"] ? ` ${l.auxiliaries["item"]}` : ""}`));

describe("eventsFromPosting: export flag and 存货跌价准备 transferred on sale", () => {
  it("a sale the terms call an export carries export: true, and an exporter with 出口退税 books it by the export template", () => {
    const stock = newStock();
    receive(stock, "PR-1", "A", "W1", "10", "8.00", 1);
    const posted = ok(stock.post({ id: "SO-1", businessId: "SO-1", type: "sales-outbound", at: at(2), lines: [{ item: "A", warehouse: "W1", qty: "2", price: "20.00" }] }));
    const [exported] = eventsFromPosting(stock, posted, { taxRate: "0", customer: "US-1", export: true });
    expect(exported?.export).toBe(true);
    const vouchers = ok(deriveVouchers(exported, chart, templates, { ...GENERAL, exportRebate: true }));
    expect(new Set(vouchers.map((v) => v.template))).toEqual(new Set(["sales-outbound/export-rebate"]));
    const [domestic] = eventsFromPosting(stock, posted, { taxRate: "0.13", customer: "C1" });
    expect(domestic !== undefined && "export" in domestic).toBe(false);
    expect(new Set(ok(deriveVouchers(domestic, chart, templates, { ...GENERAL, exportRebate: true })).map((v) => v.template))).toEqual(new Set(["sales-outbound/general"]));
  });

  it("given the allowance, a sale transfers out the allowance of the units sold, item by item, in one event after the sale's (hand-computed)", () => {
    const stock = newStock();
    receive(stock, "PR-A1", "A", "W1", "20", "10.00", 1);
    receive(stock, "PR-A2", "A", "W2", "10", "10.00", 1);
    receive(stock, "PR-B", "B", "W1", "4", "25.00", 1);
    // A: 30 units, 300.00 at cost, NRV 255.00 → 45.00 provided; B: 100.00, NRV 90.00 → 10.00
    let allowance = ok(ImpairmentAllowance.empty().assess({ item: "A", businessId: "IMP", at: at(3), cost: "300.00", netRealisableValue: "255.00" }, CAS)).allowance;
    allowance = ok(allowance.assess({ item: "B", businessId: "IMP", at: at(3), cost: "100.00", netRealisableValue: "90.00" }, CAS)).allowance;
    const posted = ok(
      stock.post({
        id: "OUT-1",
        businessId: "SO-1",
        type: "sales-outbound",
        at: at(4),
        lines: [
          { item: "A", warehouse: "W1", qty: "6", price: "12.00" },
          { item: "B", warehouse: "W1", qty: "1", price: "30.00" },
          { item: "A", warehouse: "W2", qty: "3", price: "12.00" },
        ],
      }),
    );
    const { events, allowance: left } = ok(eventsFromPosting(stock, posted, { taxRate: "0.13", customer: "C1" }, { allowance, entity: CAS }));
    expect(events.map((e) => e.type)).toEqual(["sales-outbound", "impairment-transfer"]);
    const transfer = events[1]!;
    expect([transfer.businessId, transfer.document, transfer.at]).toEqual(["SO-1", "OUT-1", at(4)]);
    // A: 45.00 × 9 ÷ 30 = 13.50 (two warehouses: none named); B: 10.00 × 1 ÷ 4 = 2.50 (W1)
    expect(transfer.lines.map((l) => [l.item, l.warehouse, l.qty, l.amount])).toEqual([
      ["A", undefined, "9", "13.5"],
      ["B", "W1", "1", "2.5"],
    ]);
    expect(rows(transfer)).toEqual(["1471 debit 13.50 A", "1471 debit 2.50 B", "6401 credit 16.00"]);
    expect([left.provided("A").toFixed(2), left.provided("B").toFixed(2)]).toEqual(["31.50", "7.50"]);
    // without the allowance, the same posting gives the sale alone
    expect(eventsFromPosting(stock, posted, { taxRate: "0.13", customer: "C1" }).map((e) => e.type)).toEqual(["sales-outbound"]);
    // under 小企业会计准则 nothing is transferred
    const small = ok(eventsFromPosting(stock, posted, { taxRate: "0.13" }, { allowance, entity: { standard: "small-enterprise", moneyScale: 2 } }));
    expect(small.events.map((e) => e.type)).toEqual(["sales-outbound"]);
    expect(small.allowance).toBe(allowance);
  });

  it("a sale into negative stock sells out: it takes all that is provided", () => {
    const stock = ok(StockLedger.create({ settings: { negativeStock: "allow" }, items: [{ id: "A", name: "A", baseUnit: "件" }], warehouses: [{ id: "W1" }] }));
    receive(stock, "PR-1", "A", "W1", "4", "10.00", 1);
    const allowance = ok(ImpairmentAllowance.empty().assess({ item: "A", businessId: "IMP", at: at(2), cost: "40.00", netRealisableValue: "30.00" }, CAS)).allowance;
    const posted = ok(stock.post({ id: "OUT-1", businessId: "SO-1", type: "sales-outbound", at: at(3), lines: [{ item: "A", warehouse: "W1", qty: "6", price: "12.00" }] }));
    const r = ok(eventsFromPosting(stock, posted, { taxRate: "0.13" }, { allowance, entity: CAS }));
    expect(r.events[1]?.lines.map((l) => [l.qty, l.amount])).toEqual([["6", "10"]]);
    expect(r.allowance.provided("A").isZero()).toBe(true);
  });

  it("a receipt or a return transfers nothing and leaves the allowance as it was", () => {
    const stock = newStock();
    receive(stock, "PR-1", "A", "W1", "5", "10.00", 1);
    const allowance = ok(ImpairmentAllowance.empty().assess({ item: "A", businessId: "IMP", at: at(2), cost: "50.00", netRealisableValue: "40.00" }, CAS)).allowance;
    const posted = ok(stock.post({ id: "PR-2", businessId: "PR-2", type: "purchase-receipt", at: at(3), lines: [{ item: "A", warehouse: "W1", qty: "5", unitCost: "10.00" }] }));
    const r = ok(eventsFromPosting(stock, posted, { taxRate: "0.13" }, { allowance, entity: CAS }));
    expect(r.events.map((e) => e.type)).toEqual(["purchase-receipt"]);
    expect(r.allowance).toBe(allowance);
  });

  it("over any sales and returns of stock held in several warehouses: the transfers never exceed what was provided, a return gives back at most what its sale took and a sale returned in full gives back all of it, selling out leaves none, and 1471 equals the allowance left (fast-check)", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("buy" as const), warehouse: fc.constantFrom("W1", "W2"), qty: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant("test" as const), nrvPct: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ kind: fc.constant("sell" as const), w1: fc.integer({ min: 0, max: 40 }), w2: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant("return" as const), pick: fc.nat(), qty: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const stock = newStock();
        const journal = new Journal(chart);
        const held = { W1: 0, W2: 0 };
        let allowance = ImpairmentAllowance.empty();
        let provided = new Dec(0);
        let transferred = new Dec(0);
        // sales open to returns: their lines' units not yet returned, and the allowance they took and did not get back
        const sales: { id: string; lines: { line: number; warehouse: "W1" | "W2"; open: number }[]; taken: Dec }[] = [];
        for (const [n, s] of steps.entries()) {
          const day = 1 + n;
          if (s.kind === "buy") {
            const posted = receive(stock, `PR-${n}`, "A", s.warehouse, String(s.qty), "3.70", day);
            for (const e of eventsFromPosting(stock, posted, { taxRate: "0.13", supplier: "S1" })) ok(journal.post(ok(deriveVouchers(e, chart, templates, GENERAL))));
            held[s.warehouse] += s.qty;
          } else if (s.kind === "test") {
            const cost = ok(stock.balance({ item: "A" })).value;
            const r = ok(allowance.assess({ item: "A", businessId: `T-${n}`, at: at(day), cost: cost.toFixed(2), netRealisableValue: cost.times(s.nrvPct).dividedBy(100).toFixed(2) }, CAS));
            provided = provided.plus(r.assessment.change);
            allowance = r.allowance;
            if (r.assessment.event) ok(journal.post(ok(deriveVouchers(r.assessment.event, chart, templates, GENERAL))));
          } else if (s.kind === "return") {
            const candidates = sales.filter((x) => x.lines.some((l) => l.open > 0));
            const sale = candidates[s.pick % Math.max(1, candidates.length)];
            if (!sale) continue;
            const line = sale.lines.find((l) => l.open > 0)!;
            const qty = Math.min(line.open, s.qty);
            const before = allowance.provided("A");
            const posted = ok(
              stock.post({ id: `RET-${n}`, businessId: `SR-${n}`, type: "sales-return", at: at(day), lines: [{ item: "A", warehouse: line.warehouse, qty: String(qty), ref: { document: sale.id, line: line.line } }] }),
            );
            const r = ok(eventsFromPosting(stock, posted, { taxRate: "0.13", customer: "C1" }, { allowance, entity: CAS }));
            const restored = r.allowance.provided("A").minus(before);
            expect(restored.gte(0) && restored.lte(sale.taken)).toBe(true);
            line.open -= qty;
            held[line.warehouse] += qty;
            sale.taken = sale.taken.minus(restored);
            if (sale.lines.every((l) => l.open === 0)) expect(sale.taken.isZero()).toBe(true);
            transferred = transferred.minus(restored);
            allowance = r.allowance;
            for (const e of r.events) ok(journal.post(ok(deriveVouchers(e, chart, templates, GENERAL))));
            const back = r.events.find((e) => e.type === "impairment-transfer");
            expect(back === undefined).toBe(restored.isZero());
          } else {
            const lines = (["W1", "W2"] as const)
              .map((w) => ({ w, qty: Math.min(held[w], w === "W1" ? s.w1 : s.w2) }))
              .filter((l) => l.qty > 0)
              .map((l) => ({ item: "A", warehouse: l.w, qty: String(l.qty), price: "5.00" }));
            if (lines.length === 0) continue;
            const before = allowance.provided("A");
            const posted = ok(stock.post({ id: `OUT-${n}`, businessId: `SO-${n}`, type: "sales-outbound", at: at(day), lines }));
            const r = ok(eventsFromPosting(stock, posted, { taxRate: "0.13", customer: "C1" }, { allowance, entity: CAS }));
            for (const l of lines) held[l.warehouse as "W1" | "W2"] -= Number(l.qty);
            const taken = before.minus(r.allowance.provided("A"));
            expect(taken.gte(0) && taken.lte(before)).toBe(true);
            transferred = transferred.plus(taken);
            sales.push({ id: `OUT-${n}`, lines: lines.map((l, k) => ({ line: k, warehouse: l.warehouse as "W1" | "W2", open: Number(l.qty) })), taken });
            allowance = r.allowance;
            for (const e of r.events) ok(journal.post(ok(deriveVouchers(e, chart, templates, GENERAL))));
            const transfer = r.events.find((e) => e.type === "impairment-transfer");
            expect(transfer === undefined).toBe(taken.isZero());
          }
          const left = allowance.provided("A");
          expect(left.eq(provided.minus(transferred))).toBe(true);
          expect(journal.debitBalance("1471").negated().eq(left)).toBe(true);
          if (held.W1 + held.W2 === 0) expect(left.isZero()).toBe(true);
        }
        expect(reconcileInventory(journal, subLedgerEntries(stock)).ok).toBe(true);
      }),
      runs,
    );
  });
});

describe("eventsFromPosting: a sales return gives back the 存货跌价准备 its sale transferred", () => {
  it("returns of part and then the rest of a sale give back 4.50 and 9.00 in red, and the allowance is whole again (hand-computed)", () => {
    const stock = newStock();
    receive(stock, "PR-A", "A", "W1", "30", "10.00", 1);
    // 300.00 at cost, NRV 255.00 → 45.00 provided
    let allowance = ok(ImpairmentAllowance.empty().assess({ item: "A", businessId: "IMP", at: at(2), cost: "300.00", netRealisableValue: "255.00" }, CAS)).allowance;
    const sold = ok(stock.post({ id: "OUT-1", businessId: "SO-1", type: "sales-outbound", at: at(3), lines: [{ item: "A", warehouse: "W1", qty: "9", price: "12.00" }] }));
    allowance = ok(eventsFromPosting(stock, sold, { taxRate: "0.13" }, { allowance, entity: CAS })).allowance; // 45.00 × 9 ÷ 30 = 13.50 out
    expect(allowance.provided("A").toFixed(2)).toBe("31.50");
    const part = ok(stock.post({ id: "RET-1", businessId: "SR-1", type: "sales-return", at: at(4), lines: [{ item: "A", warehouse: "W1", qty: "3", ref: { document: "OUT-1", line: 0 } }] }));
    const r1 = ok(eventsFromPosting(stock, part, { taxRate: "0.13" }, { allowance, entity: CAS }));
    expect(r1.events.map((e) => e.type)).toEqual(["sales-return", "impairment-transfer"]);
    const red = r1.events[1]!;
    expect([red.businessId, red.document, red.lines.map((l) => [l.item, l.warehouse, l.qty, l.amount])]).toEqual(["SR-1", "RET-1", [["A", "W1", "-3", "-4.5"]]]);
    // the sale's transfer in red: negative amounts on its own sides
    expect(rows(red)).toEqual(["1471 debit -4.50 A", "6401 credit -4.50"]);
    expect(r1.allowance.provided("A").toFixed(2)).toBe("36.00"); // 13.50 × 3 ÷ 9 back
    const rest = ok(stock.post({ id: "RET-2", businessId: "SR-2", type: "sales-return", at: at(5), lines: [{ item: "A", warehouse: "W1", qty: "6", ref: { document: "OUT-1", line: 0 } }] }));
    const r2 = ok(eventsFromPosting(stock, rest, { taxRate: "0.13" }, { allowance: r1.allowance, entity: CAS }));
    expect(r2.events[1]?.lines.map((l) => l.amount)).toEqual(["-9"]); // the rest of what the sale took
    expect(r2.allowance.provided("A").toFixed(2)).toBe("45.00");
    // returning more than the sale has open is refused by name
    const more = r2.allowance.restoreOnReturn({ item: "A", businessId: "SR-3", at: at(6), saleDocument: "OUT-1", qtyReturned: "1" }, CAS);
    expect(ok(more).restoration.restored.isZero()).toBe(true); // nothing open any more: nothing to give back
    const twice = r1.allowance.restoreOnReturn({ item: "A", businessId: "SR-3", at: at(6), saleDocument: "OUT-1", qtyReturned: "7" }, CAS);
    expect(Result.isFailure(twice) && twice.failure.message).toMatch(/qtyReturned: 7 is more than the 6 of OUT-1/);
  });

  it("a return of a sale that transferred nothing, and returns under 小企业会计准则, give nothing back", () => {
    const stock = newStock();
    receive(stock, "PR-A", "A", "W1", "10", "10.00", 1);
    const sold = ok(stock.post({ id: "OUT-1", businessId: "SO-1", type: "sales-outbound", at: at(2), lines: [{ item: "A", warehouse: "W1", qty: "4", price: "12.00" }] }));
    const none = ok(eventsFromPosting(stock, sold, { taxRate: "0.13" }, { allowance: ImpairmentAllowance.empty(), entity: CAS }));
    const back = ok(stock.post({ id: "RET-1", businessId: "SR-1", type: "sales-return", at: at(3), lines: [{ item: "A", warehouse: "W1", qty: "4", ref: { document: "OUT-1", line: 0 } }] }));
    const r = ok(eventsFromPosting(stock, back, { taxRate: "0.13" }, { allowance: none.allowance, entity: CAS }));
    expect(r.events.map((e) => e.type)).toEqual(["sales-return"]);
    expect(r.allowance.provided("A").isZero()).toBe(true);
    const small = ok(eventsFromPosting(stock, back, { taxRate: "0.13" }, { allowance: none.allowance, entity: { standard: "small-enterprise", moneyScale: 2 } }));
    expect(small.events.map((e) => e.type)).toEqual(["sales-return"]);
  });
});
