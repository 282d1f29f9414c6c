import { Result } from "effect";
import fc from "fast-check";
import { type Scenario, scenarioArb } from "@jxc/core/testing";
import { type StockDocumentInput, StockLedger } from "@jxc/core";
import { type CommercialTerms, eventsFromPosting, subLedgerEntries } from "../bridge.js";
import { casChart, smallEnterpriseChart } from "../chart.js";
import type { ChartOfAccounts } from "../chart.js";
import { deriveVouchers } from "../derive.js";
import type { EntityInput } from "../event.js";
import { Journal } from "../journal.js";
import { type InventoryReconciliation, reconcileInventory } from "../reconcile.js";
import { type TemplateSet, loadTemplates } from "../template.js";
import { defaultTemplateSet } from "../templates-default.js";
import type { Voucher } from "../voucher.js";

/** A stock scenario of `@jxc/core` with the commercial terms of every document and the entity that books it. */
export interface BooksScenario extends Scenario {
  readonly entity: EntityInput;
  /** Terms per document id (prices and tax of sales, tax of purchases). */
  readonly terms: Readonly<Record<string, CommercialTerms>>;
}

/** VAT rates a Chinese general taxpayer meets. */
export const taxRateArb = (): fc.Arbitrary<string> => fc.constantFrom("0", "0.01", "0.03", "0.06", "0.09", "0.13");

/**
 * Document sequences of `@jxc/core` (receipts, sales, returns, transfers, adjustments, landed
 * costs, with backdated documents that re-value costs already carried over), each with a tax
 * rate and — for sales — a price, booked by a general taxpayer under CAS.
 */
export const booksScenarioArb = (options: { readonly maxDocuments?: number; readonly backdating?: "replay" | "immutable" } = {}): fc.Arbitrary<BooksScenario> =>
  scenarioArb({ maxDocuments: options.maxDocuments ?? 25, settings: { backdating: options.backdating ?? "replay" } }).chain((scenario) =>
    fc
      .record({
        rates: fc.array(taxRateArb(), { minLength: scenario.documents.length, maxLength: scenario.documents.length }),
        prices: fc.array(fc.integer({ min: 1, max: 99_999 }), { minLength: scenario.documents.length, maxLength: scenario.documents.length }),
        inclusive: fc.boolean(),
      })
      .map(({ rates, prices, inclusive }) => ({
        ...scenario,
        entity: { id: "E1", taxpayer: "general" as const },
        terms: Object.fromEntries(
          scenario.documents.map((d, i): [string, CommercialTerms] => [
            d.id,
            {
              taxRate: rates[i]!,
              priceIncludesTax: inclusive,
              customer: "C1",
              supplier: "S1",
              ...(d.type === "sales-outbound" || d.type === "sales-return" ? { lines: { 0: { unitPrice: (prices[i]! / 100).toFixed(2) } } } : {}),
            },
          ]),
        ),
      })),
  );

/** What booking a scenario produced. */
export interface BookedScenario {
  readonly stock: StockLedger;
  readonly journal: Journal;
  readonly vouchers: ReadonlyArray<Voucher>;
  /** Documents or vouchers refused, with the reason (none for a valid scenario). */
  readonly failures: ReadonlyArray<string>;
}

/** The default chart of a standard, and the default templates loaded for it. */
export const defaultBooks = (standard: "CAS" | "small-enterprise" = "CAS"): { chart: ChartOfAccounts; templates: TemplateSet } => {
  const chart = standard === "CAS" ? casChart() : smallEnterpriseChart();
  return { chart, templates: Result.getOrThrow(loadTemplates(defaultTemplateSet, chart)) };
};

/**
 * Posts every document of a scenario to a `@jxc/core` ledger and, in the same step, derives and
 * posts the vouchers of each posting (the document's own, and the re-valuations it caused).
 */
export const bookScenario = (scenario: BooksScenario, documents: Iterable<StockDocumentInput> = scenario.documents): BookedScenario => {
  const { chart, templates } = defaultBooks();
  const stock = Result.getOrThrow(StockLedger.create(scenario.config));
  const journal = new Journal(chart);
  const vouchers: Voucher[] = [];
  const failures: string[] = [];
  for (const doc of documents) {
    const posted = stock.post(doc);
    if (Result.isFailure(posted)) {
      failures.push(`${doc.id}: ${posted.failure.message}`);
      continue;
    }
    for (const event of eventsFromPosting(stock, posted.success, scenario.terms[doc.id] ?? {})) {
      const derived = deriveVouchers(event, chart, templates, scenario.entity);
      if (Result.isFailure(derived)) {
        failures.push(`${doc.id} ${event.type}: ${derived.failure.message}`);
        continue;
      }
      const booked = journal.post(derived.success);
      if (Result.isFailure(booked)) failures.push(`${doc.id}: ${booked.failure.message}`);
      else vouchers.push(...derived.success);
    }
  }
  return { stock, journal, vouchers, failures };
};

/** The reconciliation of a booked scenario's stock sub-ledger with its general ledger. */
export const reconcileBooked = (booked: BookedScenario): InventoryReconciliation => reconcileInventory(booked.journal, subLedgerEntries(booked.stock));
