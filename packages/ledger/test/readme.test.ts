import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { StockLedger } from "@jxc/core";
import {
  BusinessTrace,
  Journal,
  casChart,
  checkCompliance,
  defaultTemplateSet,
  deriveVouchers,
  eventsFromPosting,
  loadTemplates,
  reconcileInventory,
  subLedgerEntries,
  traceEventsOfBooks,
} from "@jxc/ledger";

describe("the README example", () => {
  it("books a purchase and a sale as the documents post, and the books reconcile", () => {
    const chart = casChart();
    const templates = Result.getOrThrow(loadTemplates(defaultTemplateSet, chart));
    const entity = { id: "SH01", taxpayer: "general" } as const;
    const stock = Result.getOrThrow(StockLedger.create({ items: [{ id: "tea", name: "绿茶", baseUnit: "件" }], warehouses: [{ id: "SH" }] }));
    const journal = new Journal(chart);
    const book = (doc: unknown, terms = {}) => {
      const posted = Result.getOrThrow(stock.post(doc));
      for (const event of eventsFromPosting(stock, posted, terms))
        Result.getOrThrow(journal.post(Result.getOrThrow(deriveVouchers(event, chart, templates, entity))));
    };
    book(
      { id: "PR-1", businessId: "PO-1", type: "purchase-receipt", at: "2026-07-01T09:00:00+08:00", lines: [{ item: "tea", warehouse: "SH", qty: "100", unitCost: "8.00" }] },
      { taxRate: "0.13" },
    );
    book(
      { id: "SO-1", businessId: "SO-1", type: "sales-outbound", at: "2026-07-02T10:00:00+08:00", lines: [{ item: "tea", warehouse: "SH", qty: "10", price: "100.00" }] },
      { taxRate: "0.13", customer: "C1" },
    );
    const lines = journal.vouchers().flatMap((v) => v.lines.map((l) => `${l.account} ${l.side} ${l.amount.toFixed(2)}`));
    expect(lines).toEqual([
      "1405 debit 800.00",
      "2221.01.01 debit 104.00",
      "2202 credit 904.00",
      "1122 debit 1130.00",
      "6001 credit 1000.00",
      "2221.01.02 credit 130.00",
      "6401 debit 80.00",
      "1405 credit 80.00",
    ]);
    expect(journal.trialBalance().balanced).toBe(true);
    expect(reconcileInventory(journal, subLedgerEntries(stock)).ok).toBe(true);
    // every linked record of SO-1 is stamped at the same instant: compliant
    const trace = Result.getOrThrow(BusinessTrace.empty().add(traceEventsOfBooks(stock, journal)));
    expect(checkCompliance(trace)).toEqual([]);
    // an invoice issued 52 minutes before the goods left is found, with the evidence
    const late = Result.getOrThrow(trace.add([{ kind: "invoice", id: "26442000000000000001", businessId: "SO-1", at: "2026-07-02T09:08:00+08:00" }]));
    expect(checkCompliance(late).map((f) => [f.businessId, f.rule])).toEqual([
      ["SO-1", "time-skew"],
      ["SO-1", "invoice-before-goods"],
    ]);
  });
});
