import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ImpairmentAllowance, casChart, deriveVouchers, loadTemplates, defaultTemplateSet } from "@jxc/ledger";

const cas = { standard: "CAS" as const, moneyScale: 2 };
const test = (cost: string, nrv: string) => ({ item: "A", businessId: "IMP-1", at: "2026-06-30T18:00:00+08:00", cost, netRealisableValue: nrv });

describe("存货跌价准备 (lower of cost and NRV)", () => {
  it("provides cost − NRV, reverses when NRV recovers, never below zero, and derives the vouchers", () => {
    const chart = casChart();
    const templates = Result.getOrThrow(loadTemplates(defaultTemplateSet, chart));
    const first = Result.getOrThrow(ImpairmentAllowance.empty().assess(test("1000.00", "850.00"), cas));
    expect(first.assessment.change.toFixed(2)).toBe("150.00");
    const v1 = Result.getOrThrow(deriveVouchers(first.assessment.event, chart, templates, { taxpayer: "general" }));
    expect(v1[0]!.lines.map((l) => [l.account, l.side, l.amount.toFixed(2)])).toEqual([
      ["6701", "debit", "150.00"],
      ["1471", "credit", "150.00"],
    ]);
    const second = Result.getOrThrow(first.allowance.assess(test("1000.00", "1200.00"), cas));
    expect(second.assessment.change.toFixed(2)).toBe("-150.00"); // reversed only up to what was provided
    expect(second.assessment.event?.type).toBe("impairment-reversal");
    expect(second.allowance.provided("A").toFixed(2)).toBe("0.00");
    const third = Result.getOrThrow(second.allowance.assess(test("1000.00", "1300.00"), cas));
    expect(third.assessment.event).toBeUndefined();
  });

  it("is off under 小企业会计准则 and refuses malformed input by field", () => {
    const r = ImpairmentAllowance.empty().assess(test("1", "0"), { standard: "small-enterprise", moneyScale: 2 });
    expect(Result.isFailure(r) && r.failure._tag).toBe("RuleViolation");
    const bad = ImpairmentAllowance.empty().assess({ ...test("1", "0"), cost: 12 } as never, cas);
    expect(Result.isFailure(bad) && bad.failure._tag === "InvalidInput" && bad.failure.issues.map((i) => i.path)).toEqual(["cost"]);
  });

  it("the allowance always equals max(0, cost − NRV) of the last test and reversals never exceed provisions (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 })), { minLength: 1, maxLength: 20 }), (tests) => {
        let allowance = ImpairmentAllowance.empty();
        let provisions = 0;
        for (const [cost, nrv] of tests) {
          const r = Result.getOrThrow(allowance.assess(test((cost / 100).toFixed(2), (nrv / 100).toFixed(2)), cas));
          provisions += Number(r.assessment.change.times(100).toFixed(0));
          expect(provisions).toBeGreaterThanOrEqual(0);
          allowance = r.allowance;
          expect(allowance.provided("A").times(100).toNumber()).toBe(Math.max(0, cost - nrv));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
