import { describe, expect, it } from "vitest";
import { TEMPLATE_FACTS, casChart, chooseTemplate, deriveVouchers, loadTemplates, selectTemplate, type BusinessEventInput, type TemplateInput, type TemplateSetInput } from "@jxc/ledger";
import { failWith, ok } from "../../../scripts/test-support.js";

const cas = casChart();
const AT = "2026-03-15T10:00:00+08:00";
const GENERAL = { id: "acme", taxpayer: "general" } as const;

const set = (...templates: TemplateInput[]): TemplateSetInput => ({ id: "rules", templates });
/** A balanced sales template posting revenue to `revenue` (so the chosen template shows in the voucher). */
const sale = (id: string, when: TemplateInput["when"], revenue = "6001", priority?: number): TemplateInput => ({
  id,
  event: "sales-outbound",
  when,
  ...(priority === undefined ? {} : { priority }),
  lines: [
    { account: { role: "receivable" }, side: "debit", amount: "gross" },
    { account: { code: revenue }, side: "credit", amount: "net" },
    { account: { role: "vat-output" }, side: "credit", amount: "tax" },
  ],
});
const line = (category?: string) => ({ item: "tea", ...(category ? { category } : {}), qty: "2", unitPrice: "50.00", taxRate: "0.13", cost: "60.00" });
const outbound = (extra: Partial<BusinessEventInput> = {}): BusinessEventInput => ({ type: "sales-outbound", businessId: "BIZ-1", at: AT, customer: "C1", lines: [line()], ...extra });

describe("template selection by the rule language of @jxc/core", () => {
  it("a `when` rule over entity facts selects its template, and the voucher explains the choice", () => {
    const templates = ok(
      loadTemplates(
        set(sale("general", { taxpayer: "general" }), sale("small", { taxpayer: "small-scale" }), sale("small-export", 'entity.taxpayer = "small-scale" and entity.exportRebate = true', "6051")),
        cas,
      ),
    );
    const plain = ok(deriveVouchers(outbound(), cas, templates, { ...GENERAL, taxpayer: "small-scale" }));
    expect(plain[0]!.template).toBe("small");
    expect(plain[0]!.selection).toBeUndefined();
    const [v] = ok(deriveVouchers(outbound(), cas, templates, { ...GENERAL, taxpayer: "small-scale", exportRebate: true }));
    expect(v!.template).toBe("small-export");
    expect(v!.lines.map((l) => `${l.account} ${l.side} ${l.amount.toFixed(2)}`)).toEqual(["1122 debit 113.00", "6051 credit 100.00", "2221.01.02 credit 13.00"]);
    expect(v!.selection).toEqual({
      condition: 'entity.taxpayer = "small-scale" and entity.exportRebate = true',
      facts: { "entity.taxpayer": "small-scale", "entity.exportRebate": true },
      explanation: expect.stringContaining("→ true"),
    });
    expect(v!.selection!.explanation).toContain('entity.taxpayer (small-scale) = "small-scale" → true');
  });

  it("counterparty.type in [...] picks the related-party template; others fall back to the general one", () => {
    const templates = ok(loadTemplates(set(sale("general", {}), sale("related", { rule: 'counterparty.type in ["related-party", "group"]' }, "6051")), cas));
    const related = ok(deriveVouchers(outbound({ counterpartyType: "related-party" }), cas, templates, GENERAL));
    expect(related[0]!.template).toBe("related");
    expect(related[0]!.selection?.facts).toEqual({ "counterparty.type": "related-party" });
    expect(ok(deriveVouchers(outbound({ counterpartyType: "domestic" }), cas, templates, GENERAL))[0]!.template).toBe("general");
    expect(ok(deriveVouchers(outbound(), cas, templates, GENERAL))[0]!.template).toBe("general");
  });

  it("item.category must hold for every line of the event", () => {
    const templates = ok(loadTemplates(set(sale("general", {}), sale("fresh", 'item.category = "fresh"', "6051")), cas));
    expect(ok(deriveVouchers(outbound({ lines: [line("fresh"), line("fresh")] }), cas, templates, GENERAL))[0]!.template).toBe("fresh");
    expect(ok(deriveVouchers(outbound({ lines: [line("fresh"), line("dry")] }), cas, templates, GENERAL))[0]!.template).toBe("general");
    expect(ok(deriveVouchers(outbound({ lines: [line("fresh"), line()] }), cas, templates, GENERAL))[0]!.template).toBe("general");
  });

  it("a rule may be given as its JSON AST", () => {
    const ast = { kind: "compare", op: "=", left: { kind: "fact", name: "entity.taxpayer" }, right: { kind: "string", value: "general" } };
    const templates = ok(loadTemplates(set(sale("any", {}), sale("ast", { rule: ast }, "6051")), cas));
    expect(ok(deriveVouchers(outbound(), cas, templates, GENERAL))[0]!.selection?.condition).toBe('entity.taxpayer = "general"');
  });

  it("explicit priority wins over specificity; equal priority and specificity is an ambiguity", () => {
    const prioritised = ok(loadTemplates(set(sale("specific", 'entity.taxpayer = "general" and entity.exportRebate = false'), sale("preferred", {}, "6051", 5)), cas));
    expect(ok(deriveVouchers(outbound(), cas, prioritised, GENERAL))[0]!.template).toBe("preferred");
    const tied = ok(loadTemplates(set(sale("by-field", { taxpayer: "general" }), sale("by-rule", 'entity.taxpayer = "general"', "6051")), cas));
    const e = failWith(deriveVouchers(outbound(), cas, tied, GENERAL), "TemplateSelection");
    expect(e.candidates).toEqual(["by-field", "by-rule"]);
    const none = ok(loadTemplates(set(sale("small", 'entity.taxpayer = "small-scale"')), cas));
    expect(failWith(deriveVouchers(outbound(), cas, none, GENERAL), "TemplateSelection").candidates).toEqual([]);
    expect(selectTemplate(none, "sales-outbound", { taxpayer: "general", standard: "CAS", exportRebate: false })).toEqual({ none: true, candidates: [] });
  });

  it("an unknown fact, an ill-typed or a malformed rule refuses the set, naming the template", () => {
    const unknown = failWith(loadTemplates(set(sale("ok", {}), sale("bad", 'entity.region = "north"')), cas), "RuleTypeError");
    expect(unknown.rule).toBe("bad");
    expect(unknown.message).toContain("templates.1.when.rule (template bad)");
    expect(unknown.issues[0]!.message).toContain("entity.region");
    const illTyped = failWith(loadTemplates(set(sale("bad", "entity.exportRebate = 1")), cas), "RuleTypeError");
    expect(illTyped.rule).toBe("bad");
    const wrongEnum = failWith(loadTemplates(set(sale("bad", 'entity.taxpayer = "small"')), cas), "RuleTypeError");
    expect(wrongEnum.rule).toBe("bad");
    const syntax = failWith(loadTemplates(set(sale("bad", "entity.taxpayer = ")), cas), "RuleSyntaxError");
    expect(syntax.rule).toBe("bad");
    expect(syntax.message).toContain("template bad");
    const badAst = failWith(loadTemplates(set(sale("bad", { rule: { kind: "nope" } })), cas), "InvalidInput");
    expect(badAst.issues[0]!.path.startsWith("templates.0.when.rule")).toBe(true);
  });

  it("a rule that cannot be evaluated is a RuleEvaluationError naming the template", () => {
    const templates = ok(loadTemplates(set(sale("zero", "1 / 0 > 0")), cas));
    const e = failWith(deriveVouchers(outbound(), cas, templates, GENERAL), "RuleEvaluationError");
    expect(e.rule).toBe("zero");
    const choice = chooseTemplate(templates, { type: "sales-outbound" }, { taxpayer: "general", standard: "CAS", exportRebate: false });
    expect("_tag" in choice && choice._tag).toBe("RuleEvaluationError");
  });

  it("declares its facts", () => {
    expect(Object.keys(TEMPLATE_FACTS)).toEqual(["entity.id", "entity.taxpayer", "entity.standard", "entity.exportRebate", "event.type", "event.priceIncludesTax", "event.export", "counterparty.type", "item.category"]);
  });
});
