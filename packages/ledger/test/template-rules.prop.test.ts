import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInput } from "@jxc/core";
import { BusinessEventSchema, EntitySchema, casChart, deriveVouchers, loadTemplates, selectTemplate, type TemplateInput, type Voucher } from "@jxc/ledger";
import { ok } from "../../../scripts/test-support.js";
import { deriveWithDecimals } from "../src/derive-decimal.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const cas = casChart();

type Fields = { taxpayer?: "general" | "small-scale"; standard?: "CAS" | "small-enterprise"; exportRebate?: boolean; export?: boolean };

/** The field conditions as rule text (a conjunction, one comparison per field). */
const asRule = (w: Fields): string | undefined => {
  const parts = [
    ...(w.taxpayer !== undefined ? [`entity.taxpayer = "${w.taxpayer}"`] : []),
    ...(w.standard !== undefined ? [`entity.standard = "${w.standard}"`] : []),
    ...(w.exportRebate !== undefined ? [`entity.exportRebate = ${w.exportRebate}`] : []),
    ...(w.export !== undefined ? [`event.export = ${w.export}`] : []),
  ];
  return parts.length === 0 ? undefined : parts.join(" and ");
};

const lines = (revenue: string): TemplateInput["lines"] => [
  { account: { role: "receivable" }, side: "debit", amount: "gross" },
  { account: { code: revenue }, side: "credit", amount: "net" },
  { account: { role: "vat-output" }, side: "credit", amount: "tax" },
];

const fields: fc.Arbitrary<Fields> = fc.record(
  {
    taxpayer: fc.constantFrom("general" as const, "small-scale" as const),
    standard: fc.constant("CAS" as const),
    exportRebate: fc.boolean(),
    export: fc.boolean(),
  },
  { requiredKeys: [] },
);
/** Templates of one event type: field conditions, a priority, and whether the rule form is written as a rule. */
const templates = fc.array(fc.record({ when: fields, priority: fc.constantFrom(0, 0, 1), byRule: fc.boolean() }), { minLength: 1, maxLength: 6 });
const entity = fc.record({ taxpayer: fc.constantFrom("general" as const, "small-scale" as const), exportRebate: fc.boolean() });

const withoutSelection = (vs: ReadonlyArray<Voucher>) => vs.map(({ selection: _, ...v }) => ({ ...v, lines: v.lines.map((l) => ({ ...l, amount: l.amount.toString() })) }));

describe("template selection by rule conditions (fast-check)", () => {
  it("agrees with the field conditions when the same conditions are written both ways", () => {
    fc.assert(
      fc.property(templates, entity, fc.boolean(), (specs, e, exported) => {
        const byFields = ok(loadTemplates({ id: "f", templates: specs.map((s, i) => ({ id: `t${i}`, event: "sales-outbound", when: s.when, priority: s.priority, lines: lines("6001") })) }, cas));
        const byRules = ok(
          loadTemplates(
            {
              id: "r",
              templates: specs.map((s, i) => {
                const rule = asRule(s.when);
                return { id: `t${i}`, event: "sales-outbound", when: s.byRule && rule !== undefined ? { rule } : s.when, priority: s.priority, lines: lines("6001") };
              }),
            },
            cas,
          ),
        );
        const qualification = { ...e, standard: "CAS" };
        const a = selectTemplate(byFields, { type: "sales-outbound", export: exported }, qualification);
        const b = selectTemplate(byRules, { type: "sales-outbound", export: exported }, qualification);
        expect("none" in b ? b : b.id).toEqual("none" in a ? a : a.id);
        const event = { type: "sales-outbound", export: exported, businessId: "B", at: "2026-03-01T09:00:00+08:00", lines: [{ item: "A", qty: "3", unitPrice: "9.99", taxRate: "0.13" }] };
        const fromFields = deriveVouchers(event, cas, byFields, e);
        const fromRules = deriveVouchers(event, cas, byRules, e);
        expect(Result.isSuccess(fromRules)).toBe(Result.isSuccess(fromFields));
        if (Result.isSuccess(fromFields) && Result.isSuccess(fromRules)) {
          expect(withoutSelection(fromRules.success)).toEqual(withoutSelection(fromFields.success));
          // a voucher says which rule chose it exactly when its template was written as a rule
          const chosen = specs[Number(fromRules.success[0]!.template.slice(1))]!;
          expect(fromRules.success[0]!.selection?.condition).toBe(chosen.byRule ? asRule(chosen.when) : undefined);
        } else if (Result.isFailure(fromFields) && Result.isFailure(fromRules)) expect(fromRules.failure).toEqual(fromFields.failure);
      }),
      runs,
    );
  });

  it("the integer path and the decimal.js path choose the same template and give the same vouchers and explanations", () => {
    const rules = [
      'item.category = "fresh"',
      'counterparty.type in ["related-party"]',
      'entity.taxpayer = "general" and not (item.category in ["fresh", "frozen"])',
      "event.priceIncludesTax or entity.exportRebate",
      'entity.id != "e2" and counterparty.type = ""',
    ];
    const set = fc.array(fc.record({ rule: fc.option(fc.constantFrom(...rules), { nil: undefined }), priority: fc.constantFrom(0, 1) }), { minLength: 1, maxLength: 4 });
    const event = fc.record({
      type: fc.constant("sales-outbound"),
      businessId: fc.constant("B"),
      at: fc.constant("2026-03-01T09:00:00+08:00"),
      priceIncludesTax: fc.boolean(),
      counterpartyType: fc.option(fc.constantFrom("related-party", "domestic"), { nil: undefined }),
      lines: fc.array(
        fc.record({
          item: fc.constantFrom("A", "B"),
          category: fc.option(fc.constantFrom("fresh", "frozen", "dry"), { nil: undefined }),
          qty: fc.integer({ min: 1, max: 50 }).map(String),
          unitPrice: fc.integer({ min: 0, max: 100_000 }).map((n) => (n / 100).toFixed(2)),
          taxRate: fc.constantFrom("0.13", "0.09", "0"),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    const who = fc.record({ id: fc.constantFrom("e1", "e2"), taxpayer: fc.constantFrom("general" as const, "small-scale" as const), exportRebate: fc.boolean() });
    fc.assert(
      fc.property(set, event, who, (specs, input, entityInput) => {
        const loaded = ok(
          loadTemplates({ id: "s", templates: specs.map((s, i) => ({ id: `t${i}`, event: "sales-outbound", when: s.rule === undefined ? {} : s.rule, priority: s.priority, lines: lines(i % 2 === 0 ? "6001" : "6051") })) }, cas),
        );
        const fast = deriveVouchers(input, cas, loaded, entityInput);
        const parsedEvent = ok(parseInput(BusinessEventSchema, input, "event"));
        const parsedEntity = ok(parseInput(EntitySchema, entityInput, "entity"));
        const slow = deriveWithDecimals(parsedEvent, cas, loaded, parsedEntity);
        const plain = (r: typeof fast) => (Result.isSuccess(r) ? r.success.map((v) => ({ ...v, lines: v.lines.map((l) => ({ ...l, amount: l.amount.toString() })) })) : r.failure);
        expect(plain(fast)).toEqual(plain(slow));
      }),
      runs,
    );
  });
});
