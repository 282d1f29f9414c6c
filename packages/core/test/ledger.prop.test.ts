import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StockLedger, type StockDocumentInput } from "@jxc/core";
import {
  arrivalOrderArb,
  buildLedger,
  checkLedgerInvariants,
  ledgerDifferences,
  ledgerTotals,
  referencesOf,
  scenarioArb,
  sortByBusinessTime,
} from "@jxc/core/testing";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

describe("stock ledger invariants (fast-check, 1,000 runs each)", () => {
  it("every generated sequence posts, and the invariant report holds: conservation, zero ⇒ zero, no negative stock, transfers, recompute = incremental", () => {
    fc.assert(
      fc.property(scenarioArb(), ({ config, documents }) => {
        const { ledger, refused } = buildLedger(config, documents);
        expect(refused).toEqual([]);
        const report = checkLedgerInvariants(ledger);
        expect(report.violations).toEqual([]);
      }),
      runs,
    );
  });

  it("posting in any arrival order gives the same ledger as posting sorted by business time (negative stock allowed, so every order posts)", () => {
    fc.assert(
      fc.property(
        scenarioArb({ settings: { negativeStock: "allow" } }).chain((s) => arrivalOrderArb(s.documents).map((order) => ({ ...s, order }))),
        ({ config, documents, order }) => {
          const sorted = buildLedger(config, sortByBusinessTime(documents));
          const shuffled = buildLedger(config, order);
          expect(sorted.refused).toEqual([]);
          expect(shuffled.refused).toEqual([]);
          expect(ledgerDifferences(shuffled.ledger, sorted.ledger)).toEqual([]);
          expect(checkLedgerInvariants(shuffled.ledger).violations).toEqual([]);
        },
      ),
      runs,
    );
  });

  it("posting backdated documents as they arrive gives the same ledger as posting sorted by business time (reject policy)", () => {
    fc.assert(
      fc.property(scenarioArb({ backdatedShare: 0.5 }), ({ config, documents }) => {
        const arrived = buildLedger(config, documents);
        const sorted = buildLedger(config, sortByBusinessTime(documents));
        expect(sorted.refused).toEqual([]);
        expect(ledgerDifferences(arrived.ledger, sorted.ledger)).toEqual([]);
      }),
      runs,
    );
  });

  it("cancelling a document equals never having posted it", () => {
    fc.assert(
      fc.property(
        scenarioArb({ settings: { negativeStock: "allow" } }).chain((s) => fc.nat().map((pick) => ({ ...s, pick }))),
        ({ config, documents, pick }) => {
          const referenced = new Set(documents.flatMap(referencesOf));
          const candidates = documents.filter((d) => !referenced.has(d.id));
          const victim = candidates[pick % Math.max(1, candidates.length)];
          if (!victim) return;
          const { ledger } = buildLedger(config, documents);
          const cancelled = ledger.cancel(victim.id);
          expect(Result.isSuccess(cancelled)).toBe(true);
          const without = buildLedger(
            config,
            documents.filter((d) => d.id !== victim.id),
          );
          expect(ledgerDifferences(ledger, without.ledger)).toEqual([]);
          expect(checkLedgerInvariants(ledger).violations).toEqual([]);
        },
      ),
      runs,
    );
  });

  it("a transfer changes no total quantity or value", () => {
    fc.assert(
      fc.property(scenarioArb({ backdatedShare: 0 }), ({ config, documents }) => {
        const ledger = Result.getOrThrow(StockLedger.create(config));
        for (const doc of documents) {
          const before = ledgerTotals(ledger);
          const posted = Result.getOrThrow(ledger.post(doc));
          if (doc.type !== "transfer") continue;
          const after = ledgerTotals(ledger);
          expect(posted.costChanges).toEqual([]);
          expect(after.qty.eq(before.qty)).toBe(true);
          expect(after.value.eq(before.value)).toBe(true);
        }
      }),
      runs,
    );
  });

  it("a refused document leaves the ledger exactly as it was", () => {
    fc.assert(
      fc.property(scenarioArb(), fc.nat(), fc.integer({ min: 1, max: 1000 }), ({ config, documents }, pick, extra) => {
        const { ledger } = buildLedger(config, documents);
        const target = documents[pick % Math.max(1, documents.length)];
        const before = buildLedger(config, documents).ledger;
        // An issue of more than there can be, dated at a posted document's time: always short.
        const doc: StockDocumentInput = {
          id: "X-too-much",
          businessId: "X",
          at: target?.at ?? "2026-01-15T10:00:00+08:00",
          type: "sales-outbound",
          lines: [{ item: "A", warehouse: "W1", qty: String(100_000 + extra) }],
        };
        const r = ledger.post(doc);
        expect(Result.isFailure(r) && r.failure._tag).toBe("InsufficientStock");
        expect(ledgerDifferences(ledger, before)).toEqual([]);
        expect(ledger.document("X-too-much")).toBeUndefined();
      }),
      runs,
    );
  });

  it("malformed documents are answered with typed errors, never a crash", () => {
    const ledger = Result.getOrThrow(StockLedger.create({ items: [{ id: "A", name: "A", baseUnit: "件" }], warehouses: [{ id: "W1" }] }));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.record({ id: fc.string(), type: fc.constantFrom("purchase-receipt", "sales-outbound", "transfer"), at: fc.string(), lines: fc.array(fc.anything()) })), (input) => {
        const r = ledger.post(input);
        expect(Result.isFailure(r)).toBe(true);
        if (Result.isFailure(r)) expect(typeof r.failure._tag).toBe("string");
      }),
      runs,
    );
    expect(ledger.size).toBe(0);
  });

  it("the immutable policy books the differences as adjustments and ends with the same balances as replay", () => {
    fc.assert(
      fc.property(scenarioArb({ backdatedShare: 0.5 }), ({ config, documents }) => {
        const replay = buildLedger(config, documents);
        const immutable = { ledger: Result.getOrThrow(StockLedger.create({ ...config, settings: { ...config.settings, backdating: "immutable" } })) };
        const postedCosts = new Map<string, string>();
        for (const doc of documents) for (const m of Result.getOrThrow(immutable.ledger.post(doc)).moves) postedCosts.set(m.id, m.cost.toString());
        const report = checkLedgerInvariants(immutable.ledger);
        expect(report.violations).toEqual([]);
        const a = Result.getOrThrow(replay.ledger.balances());
        const b = Result.getOrThrow(immutable.ledger.balances());
        expect(b.map((x) => [x.position, x.qty.toString(), x.value.toFixed(2)])).toEqual(a.map((x) => [x.position, x.qty.toString(), x.value.toFixed(2)]));
        // booked costs of earlier moves never change: each move's cost is what it was when posted
        for (const [id, cost] of postedCosts) expect(immutable.ledger.move(id)!.cost.toString()).toBe(cost);
      }),
      runs,
    );
  });

  it("monthly weighted average: closing periods keeps every invariant, and later documents in a closed period are refused", () => {
    fc.assert(
      fc.property(scenarioArb({ method: "monthly-weighted-average" }), fc.constantFrom("2025-12", "2026-01", "2026-02"), ({ config, documents }, period) => {
        const { ledger } = buildLedger(config, documents);
        const closed = ledger.closePeriod(period);
        expect(Result.isSuccess(closed)).toBe(true);
        expect(checkLedgerInvariants(ledger).violations).toEqual([]);
        const late = ledger.post({ id: "late", businessId: "late", at: `${period}-15T12:00:00+08:00`, type: "purchase-receipt", lines: [{ item: "A", warehouse: "W1", qty: "1", unitCost: "1.00" }] });
        expect(Result.isFailure(late) && late.failure._tag).toBe("PeriodClosed");
      }),
      runs,
    );
  });

  it("the company grain pools warehouses and keeps every invariant", () => {
    fc.assert(
      fc.property(scenarioArb({ settings: { grain: "company" } }), ({ config, documents }) => {
        const { ledger, refused } = buildLedger(config, documents);
        expect(refused).toEqual([]);
        expect(checkLedgerInvariants(ledger).violations).toEqual([]);
      }),
      runs,
    );
  });
});
