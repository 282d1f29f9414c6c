import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import { ImpairmentAllowance, Journal, casChart, defaultTemplateSet, deriveVouchers, loadTemplates, smallEnterpriseChart } from "@jxc/ledger";
import { failWith, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const CAS = { standard: "CAS" as const, moneyScale: 2 };
const chart = casChart();
const templates = ok(loadTemplates(defaultTemplateSet, chart));
const AT = "2026-07-10T10:00:00+08:00";
const test = (cost: string, nrv: string) => ({ item: "A", businessId: "IMP", at: "2026-06-30T18:00:00+08:00", cost, netRealisableValue: nrv });
const sale = (qtySold: string, qtyOnHand: string, businessId = "SO-1") => ({ item: "A", warehouse: "W1", businessId, document: `OUT-${businessId}`, at: AT, qtySold, qtyOnHand });
const rows = (event: unknown) => ok(deriveVouchers(event, chart, templates, { taxpayer: "general" })).flatMap((v) => v.lines.map((l) => `${l.account} ${l.side} ${l.amount.toFixed(2)}`));

describe("存货跌价准备 on sale: the allowance of the units sold is transferred out (结转已售存货的跌价准备)", () => {
  it("transfers provided × sold ÷ on hand, and all that is left when the stock sells out (hand-computed)", () => {
    // 30 units at cost 1,000.00, NRV 850.00: 150.00 provided
    const provided = ok(ImpairmentAllowance.empty().assess(test("1000.00", "850.00"), CAS)).allowance;
    const first = ok(provided.transferOnSale(sale("10", "30", "SO-1"), CAS));
    expect(first.transfer.transferred.toFixed(2)).toBe("50.00"); // 150 × 10/30
    expect(first.transfer.event?.type).toBe("impairment-transfer");
    expect(first.transfer.event?.businessId).toBe("SO-1");
    expect(rows(first.transfer.event)).toEqual(["1471 debit 50.00", "6401 credit 50.00"]);
    const second = ok(first.allowance.transferOnSale(sale("7", "20", "SO-2"), CAS));
    expect(second.transfer.transferred.toFixed(2)).toBe("35.00"); // 100 × 7/20
    const last = ok(second.allowance.transferOnSale(sale("13", "13", "SO-3"), CAS));
    expect(last.transfer.transferred.toFixed(2)).toBe("65.00"); // what is left
    expect(last.allowance.provided("A").toFixed(2)).toBe("0.00");
  });

  it("rounds half-up per sale and the shares add up to what was provided", () => {
    // 100.00 over 3 units: 33.33, then 66.67 × 1/2 = 33.335 → 33.34, then the 33.33 left
    let allowance = ok(ImpairmentAllowance.empty().assess(test("300.00", "200.00"), CAS)).allowance;
    const shares: string[] = [];
    for (const [sold, held] of [["1", "3"], ["1", "2"], ["1", "1"]] as const) {
      const r = ok(allowance.transferOnSale(sale(sold, held), CAS));
      shares.push(r.transfer.transferred.toFixed(2));
      allowance = r.allowance;
    }
    expect(shares).toEqual(["33.33", "33.34", "33.33"]);
  });

  it("transfers nothing without an allowance or under 小企业会计准则; refuses selling more than is held", () => {
    const none = ok(ImpairmentAllowance.empty().transferOnSale(sale("1", "2"), CAS));
    expect(none.transfer.transferred.isZero()).toBe(true);
    expect(none.transfer.event).toBeUndefined();
    const provided = ok(ImpairmentAllowance.empty().assess(test("10.00", "5.00"), CAS)).allowance;
    const small = ok(provided.transferOnSale(sale("1", "2"), { standard: "small-enterprise", moneyScale: 2 }));
    expect(small.transfer.event).toBeUndefined();
    // the 小企业 template set has no transfer template, since its chart has no 1471
    const se = smallEnterpriseChart();
    expect(ok(loadTemplates(defaultTemplateSet, se)).templates.some((t) => t.event === "impairment-transfer")).toBe(false);
    expect(failWith(provided.transferOnSale(sale("3", "2"), CAS), "RuleViolation").path).toBe("qtySold");
    expect(failWith(provided.transferOnSale(sale("0", "2"), CAS), "RuleViolation").path).toBe("qtySold");
    const bad = failWith(provided.transferOnSale({ ...sale("1", "2"), qtySold: 1 } as never, CAS), "InvalidInput");
    expect(bad.issues.map((i) => i.path)).toEqual(["qtySold"]);
  });

  it("provided − reversed − transferred out ≥ 0 and equals the 1471 balance of the journal (fast-check)", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("test" as const), unitCost: fc.integer({ min: 1, max: 10_000 }), nrvPct: fc.integer({ min: 0, max: 150 }) }),
      fc.record({ kind: fc.constant("sale" as const), permille: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({ kind: fc.constant("buy" as const), qty: fc.integer({ min: 1, max: 500 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(step, { minLength: 1, maxLength: 25 }), (start, steps) => {
        const journal = new Journal(chart);
        let allowance = ImpairmentAllowance.empty();
        let onHand = start;
        let provided = new Dec(0);
        let reversed = new Dec(0);
        let transferred = new Dec(0);
        for (const [n, s] of steps.entries()) {
          let event: unknown;
          if (s.kind === "buy") onHand += s.qty;
          else if (s.kind === "test") {
            const cost = new Dec(onHand).times(s.unitCost).dividedBy(100);
            const r = ok(allowance.assess({ ...test(cost.toFixed(2), cost.times(s.nrvPct).dividedBy(100).toFixed(2)), businessId: `T${n}` }, CAS));
            if (r.assessment.change.gt(0)) provided = provided.plus(r.assessment.change);
            else reversed = reversed.minus(r.assessment.change);
            allowance = r.allowance;
            event = r.assessment.event;
          } else if (onHand > 0) {
            const sold = Math.max(1, Math.floor((onHand * s.permille) / 1000));
            const r = ok(allowance.transferOnSale(sale(String(sold), String(onHand), `S${n}`), CAS));
            expect(r.transfer.transferred.lte(r.transfer.provided)).toBe(true);
            transferred = transferred.plus(r.transfer.transferred);
            onHand -= sold;
            allowance = r.allowance;
            event = r.transfer.event;
          }
          if (event !== undefined) ok(journal.post(ok(deriveVouchers(event, chart, templates, { taxpayer: "general" }))));
          const left = provided.minus(reversed).minus(transferred);
          expect(left.gte(0)).toBe(true);
          expect(left.eq(allowance.provided("A"))).toBe(true);
          expect(journal.debitBalance("1471").negated().eq(left)).toBe(true);
          if (onHand === 0) expect(left.isZero()).toBe(true);
        }
      }),
      runs,
    );
  });
});
