import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import { adoptionRates, classifySkus, emptyReviewLog, monthlyReviewReports, recordReview, selectPilotSkus, type ReviewLog } from "@jxc/forecast";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const money = fc.integer({ min: 0, max: 50_000 }).map((n) => (n / 100).toFixed(2));
const qty = fc.integer({ min: -3, max: 40 }).map(String);
const demand = fc.array(fc.oneof(fc.constant("0"), fc.integer({ min: 0, max: 60 }).map(String)), { minLength: 1, maxLength: 12 });
const history = (sku: string) =>
  fc.record({ sku: fc.constant(sku), sales: fc.array(fc.record({ qty, price: money, cost: money }), { maxLength: 4 }), demand });
const histories = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][0-9]{1,3}$/), { minLength: 0, maxLength: 25 })
  .chain((skus) => fc.tuple(...skus.map(history)).map((h) => [...h]));
const share = fc.integer({ min: 1, max: 100 }).map((n) => n / 100);

describe("review properties (fast-check, 1,000 runs each)", () => {
  it("ABC classes partition the SKUs, follow the rank, and A's share ≤ a + the last A SKU's share", () => {
    fc.assert(
      fc.property(histories, share, share, (hs, s1, s2) => {
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const c = Result.getOrThrow(classifySkus(hs, { abc: { a, b } }));
        expect(c.skus.map((s) => s.sku).sort()).toEqual(hs.map((h) => h.sku).sort());
        for (const s of c.skus) expect(["A", "B", "C"]).toContain(s.abc);
        const order = { A: 0, B: 1, C: 2 };
        for (let i = 1; i < c.skus.length; i++) expect(order[c.skus[i]!.abc]).toBeGreaterThanOrEqual(order[c.skus[i - 1]!.abc]);
        const aSkus = c.skus.filter((s) => s.abc === "A");
        const aShare = aSkus.reduce((t, s) => t.plus(s.share), new Dec(0));
        const last = aSkus.at(-1)?.share ?? new Dec(0);
        expect(aShare.lte(new Dec(a).plus(last))).toBe(true);
        if (c.positiveGrossProfit.gt(0)) expect(aSkus.length).toBeGreaterThan(0);
        const shares = c.skus.reduce((t, s) => t.plus(s.share), new Dec(0));
        expect(shares.eq(c.positiveGrossProfit.gt(0) ? 1 : 0) || shares.minus(1).abs().lt("1e-30")).toBe(true);
      }),
      runs,
    );
  });

  it("classification and pilot do not depend on the input order (ties by SKU code)", () => {
    fc.assert(
      fc.property(
        histories.chain((hs) => fc.shuffledSubarray(hs, { minLength: hs.length, maxLength: hs.length }).map((shuffled) => [hs, shuffled] as const)),
        ([hs, shuffled]) => {
          const key = (r: ReturnType<typeof classifySkus>) => Result.getOrThrow(r).skus.map((s) => `${s.sku}:${s.abc}${s.xyz}:${s.share.toString()}`);
          expect(key(classifySkus(shuffled))).toEqual(key(classifySkus(hs)));
          const pilot = (x: unknown) => Result.getOrThrow(selectPilotSkus(x, { minCv: 0.5 })).selected.map((s) => s.sku);
          expect(pilot(shuffled)).toEqual(pilot(hs));
        },
      ),
      runs,
    );
  });

  it("the pilot is a subset of class A (boundary = profit share) with CV > threshold, at most N, in rank order", () => {
    fc.assert(
      fc.property(histories, share, fc.integer({ min: 0, max: 30 }).map((n) => n / 10), fc.integer({ min: 1, max: 8 }), (hs, profitShare, minCv, limit) => {
        const p = Result.getOrThrow(selectPilotSkus(hs, { profitShare, minCv, limit }));
        const c = Result.getOrThrow(classifySkus(hs, { abc: { a: profitShare, b: 1 } }));
        const bySku = new Map(c.skus.map((s) => [s.sku, s]));
        expect(p.selected.length).toBeLessThanOrEqual(limit);
        for (const s of p.selected) {
          expect(bySku.get(s.sku)!.abc).toBe("A");
          expect(s.cv).toBeGreaterThan(minCv);
        }
        expect(p.selected.length + p.excluded.length).toBe(hs.length);
        for (let i = 1; i < p.selected.length; i++) expect(p.selected[i]!.rank).toBeGreaterThan(p.selected[i - 1]!.rank);
        const eligible = c.skus.filter((s) => s.abc === "A" && s.cv > minCv);
        expect(p.selected.map((s) => s.sku)).toEqual(eligible.slice(0, limit).map((s) => s.sku));
      }),
      runs,
    );
  });

  const decisionArb = fc.record({
    action: fc.constantFrom("accept", "change", "reject"),
    reviewer: fc.constantFrom("王", "李", "张"),
    day: fc.integer({ min: 1, max: 59 }),
    revise: fc.option(fc.constantFrom("accept", "change", "reject"), { nil: undefined }),
  });
  const instant = (day: number, hour: number) => new Date(Date.UTC(2026, 0, day, hour)).toISOString();
  const decide = (action: string, reviewer: string, at: string, revision: boolean) =>
    action === "accept"
      ? { action, reviewer, at, revision }
      : action === "change"
        ? { action, qty: "7", reason: { code: "promotion-known" }, reviewer, at, revision }
        : { action, reason: { code: "overstock-risk" }, reviewer, at, revision };

  it("adoption rates are in [0, 1] and equal the hand count of decisions in force, per period and reviewer", () => {
    fc.assert(
      fc.property(fc.array(decisionArb, { maxLength: 30 }), fc.constantFrom("day", "week", "month"), (ds, period) => {
        let log: ReviewLog = emptyReviewLog();
        const inForce = new Map<string, { action: string; reviewer: string; at: string }>();
        for (const [i, d] of ds.entries()) {
          const sug = { id: `s${i}`, item: "x", warehouse: "w", suggestedQty: "10", createdAt: instant(1, 0), category: i % 2 ? "odd" : "even" };
          log = Result.getOrThrow(recordReview(log, sug, decide(d.action, d.reviewer, instant(d.day, 1), false)));
          inForce.set(sug.id, { action: d.action, reviewer: d.reviewer, at: instant(d.day, 1) });
          if (d.revise !== undefined && d.revise !== d.action) {
            log = Result.getOrThrow(recordReview(log, sug, decide(d.revise, "张", instant(d.day, 2), true)));
            inForce.set(sug.id, { action: d.revise, reviewer: "张", at: instant(d.day, 2) });
          }
        }
        const rows = Result.getOrThrow(adoptionRates(log, { period, by: "reviewer", timeZone: "UTC" }));
        const keyOf = (at: string) => (period === "day" ? at.slice(0, 10) : period === "month" ? at.slice(0, 7) : null);
        let total = 0;
        for (const r of rows) {
          expect(r.adoptionRate).toBeGreaterThanOrEqual(0);
          expect(r.adoptionRate).toBeLessThanOrEqual(1);
          expect(r.accepted + r.acceptedWithChange + r.rejected).toBe(r.reviewed);
          total += r.reviewed;
          if (period !== "week") {
            const mine = [...inForce.values()].filter((d) => keyOf(d.at) === r.period && d.reviewer === r.group);
            const accepted = mine.filter((d) => d.action === "accept").length;
            const changed = mine.filter((d) => d.action === "change").length;
            expect(r.reviewed).toBe(mine.length);
            expect(r.accepted).toBe(accepted);
            expect(r.acceptedWithChange).toBe(changed);
            expect(r.adoptionRate).toBe((accepted + changed) / mine.length);
          }
        }
        expect(total).toBe(ds.length);
      }),
      runs,
    );
  });

  const dec = fc.integer({ min: 0, max: 200 }).map(String);
  const outcomeArb = fc.record({
    item: fc.constantFrom("A", "B", "C"),
    warehouse: fc.constant("WH1"),
    date: fc.integer({ min: 0, max: 89 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
    outcome: fc.constantFrom("stockout", "overstock", "none"),
    demand: dec,
    stock: dec,
    evidence: fc.record(
      {
        forecast: fc.record({ forecast: dec, actual: dec }),
        supplier: fc.record({ promisedLeadDays: fc.nat(10), actualLeadDays: fc.nat(10), orderedQty: dec, receivedQty: dec }),
        signals: fc.array(fc.record({ signal: fc.constantFrom("s1", "s2"), expected: fc.constant(10), missing: fc.nat(10) }), { maxLength: 2 }),
        override: fc.record({ suggestedQty: dec, decidedQty: dec }),
      },
      { requiredKeys: [] },
    ),
  });
  const causes = ["human-override", "supplier", "data-quality", "forecast-error"] as const;

  it("attribution: per month, cause and department tallies each sum to the number of events", () => {
    fc.assert(
      fc.property(fc.array(outcomeArb, { maxLength: 40 }), fc.shuffledSubarray([...causes], { minLength: 4, maxLength: 4 }), (outcomes, precedence) => {
        const reports = Result.getOrThrow(monthlyReviewReports(outcomes, { precedence }));
        let events = 0;
        for (const r of reports) {
          const byCause = Object.values(r.byCause);
          expect(byCause.reduce((t, c) => t + c.events, 0)).toBe(r.events);
          expect(r.byDepartment.reduce((t, c) => t + c.events, 0)).toBe(r.events);
          expect(r.stockouts + r.overstocks).toBe(r.events);
          expect(r.attributions.length).toBe(r.events);
          for (const a of r.attributions) {
            expect(a.contributing[0] ?? "unexplained").toBe(a.cause);
            expect(a.contributing).toEqual(precedence.filter((c) => a.contributing.includes(c)));
          }
          events += r.events;
        }
        expect(events).toBe(outcomes.filter((o) => o.outcome !== "none").length);
      }),
      runs,
    );
  });
});
