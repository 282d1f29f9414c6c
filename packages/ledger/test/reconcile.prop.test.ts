import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import { type InventoryReconciliation, InventoryReconciler, type SubLedgerEntry, type Voucher, reconcileInventory, subLedgerEntries } from "@jxc/ledger";
import { bookScenario, booksScenarioArb, defaultBooks } from "@jxc/ledger/testing";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** What a reconciliation decides: totals, per warehouse totals, and the businesses that differ with their differences. */
const decided = (r: InventoryReconciliation) => ({
  ok: r.ok,
  accounts: r.accounts,
  subLedger: r.subLedger.toString(),
  generalLedger: r.generalLedger.toString(),
  warehouses: r.warehouses.map((w) => ({
    warehouse: w.warehouse,
    subLedger: w.subLedger.toString(),
    generalLedger: w.generalLedger.toString(),
    difference: w.difference.toString(),
    businesses: w.businesses.map((b) => [b.businessId, b.difference.toString()]),
  })),
});

/** Splits a list into consecutive runs at the given cut points. */
const split = <T>(xs: ReadonlyArray<T>, cuts: ReadonlyArray<number>): T[][] => {
  const at = [...new Set(cuts.map((c) => c % (xs.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const c of [...at, xs.length]) {
    out.push(xs.slice(from, c));
    from = c;
  }
  return out;
};

describe("InventoryReconciler (fast-check, 1,000 runs each)", () => {
  it("folding the books of a scenario in any slices, in any order, decides what reconcileInventory decides over the journal", () => {
    fc.assert(
      fc.property(booksScenarioArb(), fc.array(fc.nat(), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (scenario, entryCuts, voucherCuts, reverse) => {
        const booked = bookScenario(scenario);
        const entries = subLedgerEntries(booked.stock);
        const vouchers = booked.journal.vouchers();
        const batch = reconcileInventory(booked.journal, entries);
        const reconciler = new InventoryReconciler(booked.journal.chart);
        const es = split(entries, entryCuts);
        const vs = split(vouchers, voucherCuts);
        const folds = Array.from({ length: Math.max(es.length, vs.length) }, (_, i) => [es[i] ?? [], vs[i] ?? []] as const);
        for (const [e, v] of reverse ? folds.reverse() : folds) reconciler.add(e, v);
        expect(decided(reconciler.result())).toEqual(decided(batch));
      }),
      runs,
    );
  });

  it("a business folded at once is reported with all its documents and vouchers; amounts of any places and sizes stay exact", () => {
    const { chart } = defaultBooks();
    const amount = fc.oneof(
      fc.integer({ min: -999_999, max: 999_999 }).map((c) => new Dec(c).dividedBy(100)),
      fc.tuple(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.integer({ min: 0, max: 6 })).map(([m, p]) => new Dec(`${m}e-${p}`)),
    );
    const business = fc.record({
      id: fc.constantFrom("B1", "B2", "B3", "B4"),
      entries: fc.array(fc.record({ warehouse: fc.constantFrom("W1", "W2"), value: amount }), { maxLength: 3 }),
      lines: fc.array(fc.record({ warehouse: fc.constantFrom("W1", "W2", undefined), side: fc.constantFrom("debit" as const, "credit" as const), account: fc.constantFrom("1405", "1403", "6401"), amount }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(business, { selector: (b) => b.id, maxLength: 4 }), (businesses) => {
        const reconciler = new InventoryReconciler(chart);
        const sub = new Map<string, Dec>();
        const gl = new Map<string, Dec>();
        const key = (w: string, b: string) => `${w}/${b}`;
        let subTotal = new Dec(0);
        let glTotal = new Dec(0);
        for (const b of businesses) {
          const entries: SubLedgerEntry[] = b.entries.map((e, i) => ({ businessId: b.id, document: `${b.id}-D${i}`, warehouse: e.warehouse, value: e.value }));
          const voucher: Voucher = {
            id: `${b.id}-V`,
            businessId: b.id,
            event: "scrap",
            kind: "main",
            template: "t",
            entity: "e",
            at: "2026-01-01T00:00:00+08:00",
            date: "2026-01-01",
            lines: b.lines.map((l) => ({ account: l.account, side: l.side, amount: l.amount, auxiliaries: l.warehouse ? { warehouse: l.warehouse } : ({} as Record<string, string>) })),
          };
          reconciler.add(entries, [voucher]);
          for (const e of entries) {
            sub.set(key(e.warehouse, b.id), (sub.get(key(e.warehouse, b.id)) ?? new Dec(0)).plus(e.value));
            subTotal = subTotal.plus(e.value);
          }
          for (const l of b.lines) {
            if (l.account === "6401") continue;
            const signed = l.side === "debit" ? l.amount : l.amount.negated();
            glTotal = glTotal.plus(signed);
            if (l.warehouse) gl.set(key(l.warehouse, b.id), (gl.get(key(l.warehouse, b.id)) ?? new Dec(0)).plus(signed));
          }
        }
        const r = reconciler.result();
        expect(r.subLedger.eq(subTotal)).toBe(true);
        expect(r.generalLedger.eq(glTotal)).toBe(true);
        for (const w of r.warehouses) {
          expect(w.difference.eq(w.subLedger.minus(w.generalLedger))).toBe(true);
          const expected = businesses
            .filter((b) => !(sub.get(key(w.warehouse, b.id)) ?? new Dec(0)).eq(gl.get(key(w.warehouse, b.id)) ?? new Dec(0)))
            .map((b) => b.id)
            .sort();
          expect(w.businesses.map((b) => b.businessId)).toEqual(w.difference.isZero() ? [] : expected);
          for (const d of w.businesses) {
            const b = businesses.find((x) => x.id === d.businessId)!;
            expect(d.subLedger.eq(sub.get(key(w.warehouse, b.id)) ?? new Dec(0))).toBe(true);
            expect(d.generalLedger.eq(gl.get(key(w.warehouse, b.id)) ?? new Dec(0))).toBe(true);
            expect(d.documents).toEqual(b.entries.flatMap((e, i) => (e.warehouse === w.warehouse ? [`${b.id}-D${i}`] : [])).sort());
            expect(d.vouchers).toEqual(b.lines.some((l) => l.warehouse === w.warehouse && l.account !== "6401") ? [`${b.id}-V`] : []);
          }
        }
        expect(r.ok).toBe(subTotal.eq(glTotal) && r.warehouses.every((w) => w.difference.isZero()));
      }),
      runs,
    );
  });
});
