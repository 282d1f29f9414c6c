import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  casChart,
  defaultTemplateSet,
  deriveVouchers,
  loadTemplates,
  parseAmount,
  selectTemplate,
  smallEnterpriseChart,
  type BusinessEventInput,
  type TemplateInput,
  type TemplateSetInput,
  type Voucher,
} from "@jxc/ledger";
import { ok, failWith } from "../../../scripts/test-support.js";


const cas = casChart();
const se = smallEnterpriseChart();
const defaults = ok(loadTemplates(defaultTemplateSet, cas));
const GENERAL = { id: "acme", taxpayer: "general" } as const;
const AT = "2026-03-15T10:00:00+08:00";

const event = (e: Omit<BusinessEventInput, "businessId" | "at"> & Partial<Pick<BusinessEventInput, "businessId" | "at">>): BusinessEventInput => ({
  businessId: "BIZ-1",
  at: AT,
  ...e,
});

/** [account, side, amount to the cent] of every line, sorted, so a comparison covers every line whatever the order. */
const rows = (v: Voucher): string[] => v.lines.map((l) => `${l.account} ${l.side} ${l.amount.toFixed(2)}`).sort();
const voucherOf = (vs: ReadonlyArray<Voucher>, kind: string): Voucher => {
  const v = vs.find((x) => x.kind === kind);
  if (!v) throw new Error(`no voucher ${kind} among ${vs.map((x) => x.kind).join(", ")}`);
  return v;
};

const set = (...templates: TemplateInput[]): TemplateSetInput => ({ id: "custom", templates });
const balancedLines = (): TemplateInput["lines"] => [
  { account: { role: "receivable" }, side: "debit", amount: "gross" },
  { account: { role: "revenue" }, side: "credit", amount: "net" },
  { account: { role: "vat-output" }, side: "credit", amount: "tax" },
];

describe("loading a template set: malformed sets are typed errors naming the field", () => {
  it("a bad amount expression is InvalidInput at templates.0.lines.1.amount", () => {
    const lines = balancedLines();
    lines[1] = { account: { role: "revenue" }, side: "credit", amount: "net * 1.13" };
    const e = failWith(loadTemplates(set({ id: "t", event: "sales-outbound", lines }), cas), "InvalidInput");
    expect(e.issues.map((i) => i.path)).toEqual(["templates.0.lines.1.amount"]);
    expect(e.message).toContain("templates.0.lines.1.amount");

    const unknownName = balancedLines();
    unknownName[1] = { account: { role: "revenue" }, side: "credit", amount: "price" };
    const e2 = failWith(loadTemplates(set({ id: "t", event: "sales-outbound", lines: unknownName }), cas), "InvalidInput");
    expect(e2.issues[0]?.path).toBe("templates.0.lines.1.amount");
    expect(e2.issues[0]?.message).toContain('unknown amount "price"');
  });

  it("an unknown role or code is an AccountError with the path", () => {
    const byRole = balancedLines();
    byRole[2] = { account: { role: "no-such-role" }, side: "credit", amount: "tax" };
    const e = failWith(loadTemplates(set({ id: "t", event: "sales-outbound", lines: byRole }), cas), "AccountError");
    expect(e.path).toBe("templates.0.lines.2.account");
    expect(e.account).toBe("role no-such-role");

    const byCode = balancedLines();
    byCode[0] = { account: { code: "9999" }, side: "debit", amount: "gross" };
    const e2 = failWith(loadTemplates(set({ id: "t", event: "sales-outbound", lines: byCode }), cas), "AccountError");
    expect(e2.path).toBe("templates.0.lines.0.account");
    expect(e2.account).toBe("9999");

    // inside a mapping: the path names the map key
    const mapped = balancedLines();
    mapped[0] = { account: { mapping: { by: "counterpartyType", map: { export: { code: "1234" } }, default: { role: "receivable" } } }, side: "debit", amount: "gross" };
    const e3 = failWith(loadTemplates(set({ id: "t", event: "sales-outbound", lines: mapped }), cas), "AccountError");
    expect(e3.path).toBe("templates.0.lines.0.account.mapping.map.export");
  });

  it("a role the chart lacks is an AccountError: impairment-loss on the small-enterprise chart", () => {
    const e = failWith(
      loadTemplates(
        set({
          id: "imp",
          event: "impairment",
          lines: [
            { account: { role: "impairment-loss" }, side: "debit", amount: "amount" },
            { account: { role: "inventory" }, side: "credit", amount: "amount" },
          ],
        }),
        se,
      ),
      "AccountError",
    );
    expect(e.path).toBe("templates.0.lines.0.account");
  });

  it("a non-postable parent account (2221 应交税费) is an AccountError; its postable sub-account 2221.01 is fine", () => {
    const lines = balancedLines();
    lines[2] = { account: { code: "2221" }, side: "credit", amount: "tax" };
    const e = failWith(loadTemplates(set({ id: "t", event: "sales-outbound", lines }), cas), "AccountError");
    expect(e.path).toBe("templates.0.lines.2.account");
    expect(e.account).toBe("2221");
    expect(e.message).toContain("cannot be posted");

    const ok2 = balancedLines();
    ok2[2] = { account: { code: "2221.01" }, side: "credit", amount: "tax" };
    expect(Result.isSuccess(loadTemplates(set({ id: "t", event: "sales-outbound", lines: ok2 }), cas))).toBe(true);
  });

  it("a duplicate template id is InvalidInput at the second one's id", () => {
    const e = failWith(
      loadTemplates(set({ id: "dup", event: "sales-outbound", lines: balancedLines() }, { id: "dup", event: "sales-return", lines: balancedLines() }), cas),
      "InvalidInput",
    );
    expect(e.issues.map((i) => i.path)).toEqual(["templates.1.id"]);
  });

  it("an unknown event type is InvalidInput at templates.0.event", () => {
    const e = failWith(loadTemplates({ id: "s", templates: [{ id: "t", event: "purchase-reciept", lines: [] }] }, cas), "InvalidInput");
    expect(e.issues.map((i) => i.path)).toEqual(["templates.0.event"]);
  });

  it("an unbalanced template is refused naming the template, the voucher group and the difference", () => {
    const e = failWith(
      loadTemplates(
        set({
          id: "sale-without-vat",
          event: "sales-outbound",
          lines: [
            { account: { role: "cogs" }, side: "debit", amount: "cost", voucher: "cost" },
            { account: { role: "inventory" }, side: "credit", amount: "cost", voucher: "cost" },
            { account: { role: "receivable" }, side: "debit", amount: "gross", voucher: "revenue" },
            { account: { role: "revenue" }, side: "credit", amount: "net", voucher: "revenue" },
          ],
        }),
        cas,
      ),
      "UnbalancedTemplate",
    );
    expect(e.template).toBe("sale-without-vat");
    expect(e.voucher).toBe("revenue");
    expect(e.difference).toBe("tax");
  });

  it("an integer factor written as documented (`2 * tax`) parses; debit 2 × tax against tax is refused with difference `tax`", () => {
    // amount.ts documents "an optional integer factor (`2 * tax`)"
    expect(ok(parseAmount("2 * tax", "p"))).toEqual({ tax: 2 });
    expect(ok(parseAmount("net + 2 * tax", "p"))).toEqual({ net: 1, tax: 2 });
    const e = failWith(
      loadTemplates(
        set({
          id: "double-tax",
          event: "scrap",
          lines: [
            { account: { role: "pending-loss" }, side: "debit", amount: "2 * tax" },
            { account: { role: "vat-input-transfer-out" }, side: "credit", amount: "tax" },
          ],
        }),
        cas,
      ),
      "UnbalancedTemplate",
    );
    expect(e.voucher).toBe("main");
    expect(e.difference).toBe("tax");
  });

  it("debit gross − fee against credit net is refused with difference `tax - fee`", () => {
    const e = failWith(
      loadTemplates(
        set({
          id: "fee",
          event: "consignment-settlement",
          lines: [
            { account: { role: "receivable" }, side: "debit", amount: "gross - fee" },
            { account: { role: "revenue" }, side: "credit", amount: "net" },
          ],
        }),
        cas,
      ),
      "UnbalancedTemplate",
    );
    expect(e.template).toBe("fee");
    expect(e.difference).toBe("tax - fee");
  });

  it("`gross = net + tax` balances, and so does the default set on both built-in charts", () => {
    const loaded = ok(loadTemplates(set({ id: "sale", event: "sales-outbound", lines: balancedLines() }), cas));
    expect(loaded.templates.map((t) => t.id)).toEqual(["sale"]);
    expect(loaded.templates[0]!.lines[0]!.formula).toEqual({ net: 1, tax: 1 });
    expect(Result.isSuccess(loadTemplates(defaultTemplateSet, se))).toBe(true);
  });

  it("templates for another standard are skipped (not checked against the chart, not kept)", () => {
    const seOnly: TemplateInput = {
      id: "se-sale",
      event: "sales-outbound",
      when: { standard: "small-enterprise" },
      lines: [
        { account: { code: "1122" }, side: "debit", amount: "net" },
        { account: { code: "5001" }, side: "credit", amount: "net" },
      ],
    };
    const casOnly: TemplateInput = {
      id: "cas-sale",
      event: "sales-outbound",
      when: { standard: "CAS" },
      lines: [
        { account: { code: "1122" }, side: "debit", amount: "net" },
        { account: { code: "6001" }, side: "credit", amount: "net" }, // 6001 is not in the small-enterprise chart
      ],
    };
    expect(ok(loadTemplates(set(seOnly, casOnly), cas)).templates.map((t) => t.id)).toEqual(["cas-sale"]);
    expect(ok(loadTemplates(set(seOnly, casOnly), se)).templates.map((t) => t.id)).toEqual(["se-sale"]);

    const seDefaults = ok(loadTemplates(defaultTemplateSet, se)).templates.map((t) => t.id);
    for (const id of ["impairment", "impairment-reversal", "consignment-in-receipt", "consignment-in-sale"]) {
      expect(seDefaults).not.toContain(id);
      expect(defaults.templates.map((t) => t.id)).toContain(id);
    }
  });
});

describe("template selection", () => {
  const saleLine = { item: "tea", warehouse: "W1", qty: "1", unitPrice: "100.00", taxRate: "0", cost: "60.00" };

  it("the most specific fitting template wins: export-rebate over general, for an export of an entity with 出口退税 only", () => {
    const general = ok(deriveVouchers(event({ type: "sales-outbound", customer: "C1", lines: [saleLine] }), cas, defaults, GENERAL));
    expect(new Set(general.map((v) => v.template))).toEqual(new Set(["sales-outbound/general"]));
    const exported = ok(deriveVouchers(event({ type: "sales-outbound", export: true, customer: "C1", lines: [saleLine] }), cas, defaults, { ...GENERAL, exportRebate: true }));
    expect(new Set(exported.map((v) => v.template))).toEqual(new Set(["sales-outbound/export-rebate"]));
    // the same exporter's domestic sale, and an export of an entity without 出口退税: the domestic template
    const domestic = ok(deriveVouchers(event({ type: "sales-outbound", customer: "C1", lines: [saleLine] }), cas, defaults, { ...GENERAL, exportRebate: true }));
    expect(new Set(domestic.map((v) => v.template))).toEqual(new Set(["sales-outbound/general"]));
    const noRebate = ok(deriveVouchers(event({ type: "sales-outbound", export: true, customer: "C1", lines: [saleLine] }), cas, defaults, GENERAL));
    expect(new Set(noRebate.map((v) => v.template))).toEqual(new Set(["sales-outbound/general"]));
    const picked = selectTemplate(defaults, { type: "sales-outbound", export: true }, { taxpayer: "general", standard: "CAS", exportRebate: true });
    expect("id" in picked && picked.id).toBe("sales-outbound/export-rebate");
    expect(ok(deriveVouchers(event({ type: "sales-outbound", customer: "C1", lines: [saleLine] }), cas, defaults, { ...GENERAL, exportRebate: true }))[0]!.selection).toBeUndefined();
    // a small-scale exporter: the export template (general only) does not fit
    const small = selectTemplate(defaults, { type: "sales-outbound", export: true }, { taxpayer: "small-scale", standard: "CAS", exportRebate: true });
    expect("id" in small && small.id).toBe("sales-outbound/small-scale");
  });

  it("a rule may read event.export", () => {
    const set = ok(
      loadTemplates(
        {
          id: "t",
          templates: [
            { id: "domestic", event: "scrap", lines: [{ account: { role: "cogs" }, side: "debit", amount: "cost" }, { account: { role: "inventory" }, side: "credit", amount: "cost" }] },
            { id: "export", event: "scrap", when: "event.export = true", lines: [{ account: { role: "cogs" }, side: "debit", amount: "cost" }, { account: { role: "inventory" }, side: "credit", amount: "cost" }] },
          ],
        },
        cas,
      ),
    );
    const scrap = (exported: boolean) => ok(deriveVouchers(event({ type: "scrap", export: exported, lines: [{ item: "tea", warehouse: "W1", cost: "5.00" }] }), cas, set, GENERAL))[0]!;
    expect(scrap(false).template).toBe("domestic");
    expect(scrap(true).template).toBe("export");
    expect(scrap(true).selection?.facts["event.export"]).toBe(true);
  });

  it("no fitting template is TemplateSelection with no candidates", () => {
    const e = failWith(
      deriveVouchers(
        event({ type: "consignment-settlement", lines: [{ item: "tea", qty: "1", unitPrice: "10.00", taxRate: "0.03", cost: "5.00" }] }),
        cas,
        defaults,
        { taxpayer: "small-scale" },
      ),
      "TemplateSelection",
    );
    expect(e.event).toBe("consignment-settlement");
    expect(e.candidates).toEqual([]);
  });

  it("two equally specific templates are TemplateSelection listing both", () => {
    const scrap = (id: string, when: TemplateInput["when"]): TemplateInput => ({
      id,
      event: "scrap",
      when,
      lines: [
        { account: { role: "pending-loss" }, side: "debit", amount: "cost" },
        { account: { role: "inventory" }, side: "credit", amount: "cost" },
      ],
    });
    const templates = ok(loadTemplates(set(scrap("scrap/general", { taxpayer: "general" }), scrap("scrap/cas", { standard: "CAS" }), scrap("scrap/any", {})), cas));
    const e = failWith(deriveVouchers(event({ type: "scrap", lines: [{ item: "tea", cost: "5.00" }] }), cas, templates, GENERAL), "TemplateSelection");
    expect([...e.candidates].sort()).toEqual(["scrap/cas", "scrap/general"]);
    // for a small-scale taxpayer only scrap/cas (1 condition) beats scrap/any (0)
    const vs = ok(deriveVouchers(event({ type: "scrap", lines: [{ item: "tea", cost: "5.00" }] }), cas, templates, { taxpayer: "small-scale" }));
    expect(vs.map((v) => v.template)).toEqual(["scrap/cas"]);
  });
});

describe("account overrides by document", () => {
  const sale = (accountOverrides: Record<string, string>) =>
    event({ type: "sales-outbound", customer: "C1", accountOverrides, lines: [{ item: "tea", warehouse: "W1", qty: "2", unitPrice: "50.00", taxRate: "0.13", cost: "70.00" }] });

  it("an unlocked line key (revenue → 6051 其他业务收入) is overridden", () => {
    const vs = ok(deriveVouchers(sale({ revenue: "6051" }), cas, defaults, GENERAL));
    expect(rows(voucherOf(vs, "main"))).toEqual(["1122 debit 113.00", "2221.01.02 credit 13.00", "6051 credit 100.00"].sort());
    expect(rows(voucherOf(vs, "cost"))).toEqual(["1405 credit 70.00", "6401 debit 70.00"]);
  });

  it("an override to an account that cannot be posted is an AccountError naming accountOverrides.<key>", () => {
    const e = failWith(deriveVouchers(sale({ revenue: "6001.01" }), cas, defaults, GENERAL), "AccountError");
    expect(e.path).toBe("accountOverrides.revenue");
    const e2 = failWith(deriveVouchers(sale({ receivable: "2221" }), cas, defaults, GENERAL), "AccountError");
    expect(e2.path).toBe("accountOverrides.receivable");
  });

  it("a locked line is refused with LockedAccountMapping", () => {
    const templates = ok(
      loadTemplates(
        set({
          id: "sale-locked-vat",
          event: "sales-outbound",
          lines: [
            { key: "receivable", account: { role: "receivable" }, side: "debit", amount: "gross" },
            { key: "revenue", account: { role: "revenue" }, side: "credit", amount: "net" },
            { key: "vat", account: { role: "vat-output" }, side: "credit", amount: "tax", locked: true },
          ],
        }),
        cas,
      ),
    );
    const e = failWith(deriveVouchers(sale({ vat: "2221.01" }), cas, templates, GENERAL), "LockedAccountMapping");
    expect(e.template).toBe("sale-locked-vat");
    expect(e.line).toBe("vat");
    // the unlocked key of the same template still works
    const vs = ok(deriveVouchers(sale({ revenue: "6051" }), cas, templates, GENERAL));
    expect(rows(voucherOf(vs, "main"))).toEqual(["1122 debit 113.00", "2221.01.02 credit 13.00", "6051 credit 100.00"].sort());
  });
});

describe("account mappings and auxiliaries", () => {
  it("purchase receipt maps by item category: raw-material → 1403 原材料, anything else → 1405 库存商品", () => {
    const vs = ok(
      deriveVouchers(
        event({
          type: "purchase-receipt",
          supplier: "S1",
          lines: [
            { item: "steel", category: "raw-material", warehouse: "W1", qty: "10", unitPrice: "8.00", taxRate: "0.13" }, // net 80.00 tax 10.40
            { item: "tea", category: "goods", warehouse: "W1", qty: "3", unitPrice: "21.50", taxRate: "0.13" }, // net 64.50 tax 8.385 → 8.39
            { item: "cup", warehouse: "W2", qty: "1", unitPrice: "5.00", taxRate: "0.13" }, // no category: default; net 5.00 tax 0.65
          ],
        }),
        cas,
        defaults,
        GENERAL,
      ),
    );
    expect(vs).toHaveLength(1);
    const v = vs[0]!;
    expect(rows(v)).toEqual(["1403 debit 80.00", "1405 debit 64.50", "1405 debit 5.00", "2202 credit 168.94", "2221.01.01 debit 19.44"].sort());
    expect(v.lines.find((l) => l.account === "1403")?.auxiliaries).toEqual({ warehouse: "W1", item: "steel" });
    expect(v.lines.filter((l) => l.account === "1405").map((l) => l.auxiliaries)).toEqual([
      { warehouse: "W1", item: "tea" },
      { warehouse: "W2", item: "cup" },
    ]);
    expect(v.lines.find((l) => l.account === "2202")?.auxiliaries).toEqual({ supplier: "S1" });
  });

  it("a custom template maps by warehouse and by counterparty type", () => {
    const templates = ok(
      loadTemplates(
        set({
          id: "custom-sale",
          event: "sales-outbound",
          lines: [
            {
              account: { mapping: { by: "counterpartyType", map: { "related-party": { code: "1221.99" } }, default: { role: "receivable" } } },
              side: "debit",
              amount: "gross",
              auxiliaries: ["customer"],
            },
            { account: { role: "revenue" }, side: "credit", amount: "net" },
            { account: { role: "vat-output" }, side: "credit", amount: "tax" },
            { voucher: "cost", account: { role: "cogs" }, side: "debit", amount: "cost" },
            {
              voucher: "cost",
              account: { mapping: { by: "warehouse", map: { "RAW-WH": { role: "raw-materials" } }, default: { role: "inventory" } } },
              side: "credit",
              amount: "cost",
              auxiliaries: ["warehouse", "item"],
            },
          ],
        }),
        cas,
      ),
    );
    const lines = [
      { item: "steel", warehouse: "RAW-WH", qty: "1", unitPrice: "10.00", taxRate: "0.13", cost: "7.00" },
      { item: "tea", warehouse: "SHOP", qty: "1", unitPrice: "20.00", taxRate: "0.13", cost: "11.00" },
    ];
    const related = ok(deriveVouchers(event({ type: "sales-outbound", customer: "SISTER-CO", counterpartyType: "related-party", lines }), cas, templates, GENERAL));
    // gross: 11.30 + 22.60 = 33.90; net 30.00; tax 1.30 + 2.60 = 3.90
    expect(rows(voucherOf(related, "main"))).toEqual(["1221.99 debit 33.90", "2221.01.02 credit 3.90", "6001 credit 30.00"].sort());
    expect(rows(voucherOf(related, "cost"))).toEqual(["1403 credit 7.00", "1405 credit 11.00", "6401 debit 18.00"].sort());
    const other = ok(deriveVouchers(event({ type: "sales-outbound", customer: "C9", counterpartyType: "retail", lines }), cas, templates, GENERAL));
    expect(rows(voucherOf(other, "main"))).toEqual(["1122 debit 33.90", "2221.01.02 credit 3.90", "6001 credit 30.00"].sort());
    expect(voucherOf(other, "main").lines.find((l) => l.account === "1122")?.auxiliaries).toEqual({ customer: "C9" });
  });

  it("auxiliaries are filled from the event: customer on 1122, warehouse and item on 1405, project on 5001", () => {
    const sale = ok(
      deriveVouchers(
        event({ type: "sales-outbound", customer: "C1", lines: [{ item: "tea", warehouse: "W1", qty: "1", unitPrice: "10.00", taxRate: "0.13", cost: "6.00" }] }),
        cas,
        defaults,
        GENERAL,
      ),
    );
    const main = voucherOf(sale, "main");
    expect(main.lines.find((l) => l.account === "1122")?.auxiliaries).toEqual({ customer: "C1" });
    expect(main.lines.find((l) => l.account === "6001")?.auxiliaries).toEqual({});
    expect(voucherOf(sale, "cost").lines.find((l) => l.account === "1405")?.auxiliaries).toEqual({ warehouse: "W1", item: "tea" });

    const issue = ok(
      deriveVouchers(event({ type: "production-issue", lines: [{ item: "steel", warehouse: "RAW", project: "P-7", cost: "12.00" }] }), cas, defaults, GENERAL),
    );
    expect(issue[0]!.lines.find((l) => l.account === "5001")?.auxiliaries).toEqual({ project: "P-7" });
    expect(issue[0]!.lines.find((l) => l.account === "1403")?.auxiliaries).toEqual({ warehouse: "RAW", item: "steel" });
  });

  it("lines with the same account, side and auxiliaries are summed; different auxiliaries stay apart", () => {
    const vs = ok(
      deriveVouchers(
        event({
          type: "sales-outbound",
          customer: "C1",
          lines: [
            { item: "tea", warehouse: "W1", qty: "1", unitPrice: "10.00", taxRate: "0.13", cost: "6.00" },
            { item: "tea", warehouse: "W1", qty: "2", unitPrice: "10.00", taxRate: "0.13", cost: "12.00" },
            { item: "tea", warehouse: "W2", qty: "1", unitPrice: "10.00", taxRate: "0.13", cost: "6.50" },
          ],
        }),
        cas,
        defaults,
        GENERAL,
      ),
    );
    expect(rows(voucherOf(vs, "main"))).toEqual(["1122 debit 45.20", "2221.01.02 credit 5.20", "6001 credit 40.00"].sort());
    expect(rows(voucherOf(vs, "cost"))).toEqual(["1405 credit 18.00", "1405 credit 6.50", "6401 debit 24.50"].sort());
  });
});

describe("malformed events and entities are InvalidInput naming the field", () => {
  const good = event({ type: "sales-outbound", customer: "C1", lines: [{ item: "tea", warehouse: "W1", qty: "1", unitPrice: "10.00", taxRate: "0.13", cost: "6.00" }] });

  it("the well-formed event derives (the baseline of the cases below)", () => {
    expect(Result.isSuccess(deriveVouchers(good, cas, defaults, GENERAL))).toBe(true);
  });

  it("a unit price given as a number is refused at lines.0.unitPrice", () => {
    const e = failWith(deriveVouchers({ ...good, lines: [{ item: "tea", qty: "1", unitPrice: 10, taxRate: "0.13" }] }, cas, defaults, GENERAL), "InvalidInput");
    expect(e.subject).toBe("business event");
    expect(e.issues.map((i) => i.path)).toEqual(["lines.0.unitPrice"]);
  });

  it("a missing businessId, an unknown event type, a bad instant and an empty line list are each named", () => {
    const { businessId: _omit, ...noId } = good;
    expect(failWith(deriveVouchers(noId, cas, defaults, GENERAL), "InvalidInput").issues.map((i) => i.path)).toEqual(["businessId"]);
    expect(failWith(deriveVouchers({ ...good, type: "sale" }, cas, defaults, GENERAL), "InvalidInput").issues.map((i) => i.path)).toEqual(["type"]);
    expect(failWith(deriveVouchers({ ...good, at: "2026-03-15 10:00" }, cas, defaults, GENERAL), "InvalidInput").issues.map((i) => i.path)).toEqual(["at"]);
    expect(failWith(deriveVouchers({ ...good, lines: [] }, cas, defaults, GENERAL), "InvalidInput").issues.map((i) => i.path)).toEqual(["lines"]);
    expect(
      failWith(deriveVouchers({ ...good, lines: [{ item: "tea", qty: "1", taxRate: "13%" }] }, cas, defaults, GENERAL), "InvalidInput").issues.map((i) => i.path),
    ).toEqual(["lines.0.taxRate"]);
  });

  it("an unknown taxpayer or standard of the entity is refused at the entity's field", () => {
    const e = failWith(deriveVouchers(good, cas, defaults, { taxpayer: "medium" }), "InvalidInput");
    expect(e.subject).toBe("entity");
    expect(e.issues.map((i) => i.path)).toEqual(["taxpayer"]);
    expect(failWith(deriveVouchers(good, cas, defaults, { taxpayer: "general", standard: "IFRS" }), "InvalidInput").issues.map((i) => i.path)).toEqual(["standard"]);
    expect(failWith(deriveVouchers(good, cas, defaults, {}), "InvalidInput").issues.map((i) => i.path)).toEqual(["taxpayer"]);
  });
});
