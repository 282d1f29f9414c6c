import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Journal, deriveVouchers, loadTemplates, reverseVoucher, type TemplateSetInput } from "@jxc/ledger";
import {
  bookScenario,
  booksScenarioArb,
  defaultBooks,
  netByAccount,
  reconcileBooked,
  trialBalanceProblems,
  unbalancedVouchers,
  unexplainedDifferences,
  vouchersWithoutBusinessId,
} from "@jxc/ledger/testing";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const transfers = (documents: ReadonlyArray<{ type: string; businessId: string }>) => new Set(documents.filter((d) => d.type === "transfer").map((d) => d.businessId));

describe("books derived from stock postings (fast-check, 1,000 runs each)", () => {
  it("every voucher balances, carries a business ID, and the trial balance balances", () => {
    fc.assert(
      fc.property(booksScenarioArb(), (scenario) => {
        const booked = bookScenario(scenario);
        expect(booked.failures).toEqual([]);
        expect(unbalancedVouchers(booked.vouchers)).toEqual([]);
        expect(vouchersWithoutBusinessId(booked.vouchers)).toEqual([]);
        expect(trialBalanceProblems(booked.journal)).toEqual([]);
      }),
      runs,
    );
  });

  it("the stock sub-ledger equals the inventory accounts after any sequence of documents, returns and backdated re-valuations", () => {
    fc.assert(
      fc.property(booksScenarioArb(), (scenario) => {
        const booked = bookScenario(scenario);
        expect(booked.failures).toEqual([]);
        expect(unexplainedDifferences(reconcileBooked(booked), transfers(scenario.documents))).toEqual([]);
      }),
      runs,
    );
  });

  it("under the immutable policy too, where re-valuations are booked as adjustments", () => {
    fc.assert(
      fc.property(booksScenarioArb({ backdating: "immutable" }), (scenario) => {
        const booked = bookScenario(scenario);
        expect(booked.failures).toEqual([]);
        expect(unexplainedDifferences(reconcileBooked(booked), transfers(scenario.documents))).toEqual([]);
      }),
      runs,
    );
  });

  it("a reversal nets its original to zero, and the journal takes it once only", () => {
    fc.assert(
      fc.property(booksScenarioArb(), fc.nat(), (scenario, pick) => {
        const booked = bookScenario(scenario);
        if (booked.vouchers.length === 0) return;
        const original = booked.vouchers[pick % booked.vouchers.length]!;
        const reversal = reverseVoucher(original);
        expect(netByAccount([original, reversal]).size).toBe(0);
        expect(Result.isSuccess(booked.journal.post([reversal]))).toBe(true);
        expect(booked.journal.reversalOf(original.id)).toBe(reversal.id);
        expect(Result.isFailure(booked.journal.post([reverseVoucher(original, { id: "again" })]))).toBe(true);
        const all = booked.journal.vouchers();
        const without = all.filter((v) => v.id !== original.id && v.id !== reversal.id);
        const show = (m: Map<string, { toString(): string }>) => [...m].map(([k, v]) => [k, v.toString()]).sort();
        expect(show(netByAccount(all))).toEqual(show(netByAccount(without)));
        expect(trialBalanceProblems(booked.journal)).toEqual([]);
      }),
      runs,
    );
  });
});

const AMOUNTS = ["net", "tax", "gross", "cost", "fee", "amount", "gain", "loss"] as const;
const ACCOUNTS = [{ role: "inventory" }, { role: "payable" }, { role: "receivable" }, { role: "revenue" }, { role: "cogs" }, { code: "1901" }, { role: "vat-output" }];

describe("templates are checked when loaded (fast-check, 1,000 runs)", () => {
  it("a template set is refused exactly when a template cannot balance, and an accepted one always derives balanced vouchers", () => {
    const { chart } = defaultBooks();
    const line = fc.record({
      account: fc.constantFrom(...ACCOUNTS),
      side: fc.constantFrom("debit" as const, "credit" as const),
      amount: fc.array(fc.constantFrom(...AMOUNTS), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(" + ")),
    });
    const eventLine = fc.record({
      qty: fc.integer({ min: -50, max: 50 }).map(String),
      unitPrice: fc.integer({ min: 0, max: 9999 }).map((c) => (c / 100).toFixed(2)),
      taxRate: fc.constantFrom("0", "0.06", "0.13"),
      cost: fc.integer({ min: 0, max: 99999 }).map((c) => (c / 100).toFixed(2)),
      fee: fc.integer({ min: 0, max: 999 }).map((c) => (c / 100).toFixed(2)),
      amount: fc.integer({ min: -999, max: 999 }).map((c) => (c / 100).toFixed(2)),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.array(eventLine, { minLength: 1, maxLength: 4 }), fc.boolean(), (lines, eventLines, inclusive) => {
        // a mirrored template balances by construction; the raw one may not
        const mirrored = [...lines, ...lines.map((l) => ({ ...l, side: l.side === "debit" ? ("credit" as const) : ("debit" as const) }))];
        for (const [candidate, mustBalance] of [[lines, undefined], [mirrored, true]] as const) {
          const set: TemplateSetInput = { id: "t", templates: [{ id: "x", event: "scrap", lines: [...candidate] }] };
          const loaded = loadTemplates(set, chart);
          const sums = new Map<string, number>();
          for (const l of candidate)
            for (const a of l.amount.split(" + ")) for (const b of a === "gross" ? ["net", "tax"] : [a]) sums.set(b, (sums.get(b) ?? 0) + (l.side === "debit" ? 1 : -1));
          const balances = [...sums.values()].every((v) => v === 0);
          if (mustBalance) expect(balances).toBe(true);
          expect(Result.isSuccess(loaded)).toBe(balances);
          if (Result.isFailure(loaded)) expect(loaded.failure._tag).toBe("UnbalancedTemplate");
          else {
            const derived = deriveVouchers(
              { type: "scrap", businessId: "B", at: "2026-01-05T10:00:00+08:00", priceIncludesTax: inclusive, lines: eventLines.map((l) => ({ item: "A", ...l })) },
              chart,
              loaded.success,
              { taxpayer: "general" },
            );
            expect(Result.isSuccess(derived)).toBe(true);
            if (Result.isSuccess(derived)) expect(unbalancedVouchers(derived.success)).toEqual([]);
          }
        }
      }),
      runs,
    );
  });

  it("every posted voucher lands in the journal once; a batch with a bad voucher posts nothing", () => {
    const { chart, templates } = defaultBooks();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat(), (n, bad) => {
        const journal = new Journal(chart);
        const vouchers = Array.from({ length: n }, (_, i) =>
          Result.getOrThrow(
            deriveVouchers(
              { type: "stocktake", businessId: `B${i}`, document: `D${i}`, at: "2026-01-31T18:00:00+08:00", lines: [{ item: "A", warehouse: "W1", qty: "-1", cost: "10.00" }] },
              chart,
              templates,
              { taxpayer: "general" },
            ),
          )[0]!,
        );
        const broken = vouchers.map((v, i) => (i === bad % n ? { ...v, lines: v.lines.slice(1) } : v));
        expect(Result.isFailure(journal.post(broken))).toBe(true);
        expect(journal.vouchers()).toEqual([]);
        expect(Result.isSuccess(journal.post(vouchers))).toBe(true);
        expect(Result.isFailure(journal.post([vouchers[0]!]))).toBe(true);
        expect(journal.vouchers().length).toBe(n);
      }),
      runs,
    );
  });
});
