import { describe, expect, it } from "vitest";
import { Dec, StockLedger, ZERO } from "@jxc/core";
import {
  Journal,
  casChart,
  defaultTemplateSet,
  deriveVouchers,
  eventsFromPosting,
  isBalanced,
  loadTemplates,
  reconcileInventory,
  reverseVoucher,
  smallEnterpriseChart,
  subLedgerEntries,
  voucherTotals,
  type BusinessEventInput,
  type ChartOfAccounts,
  type EntityInput,
  type TemplateSet,
  type Voucher,
} from "@jxc/ledger";
import { ok, failWith } from "../../../scripts/test-support.js";


const cas = casChart();
const se = smallEnterpriseChart();
const casTemplates = ok(loadTemplates(defaultTemplateSet, cas));
const seTemplates = ok(loadTemplates(defaultTemplateSet, se));
const GENERAL: EntityInput = { id: "acme", taxpayer: "general" };
const SMALL_SCALE: EntityInput = { id: "acme", taxpayer: "small-scale" };
const AT = "2026-03-15T10:00:00+08:00";

type EventSpec = Omit<BusinessEventInput, "businessId" | "at"> & Partial<Pick<BusinessEventInput, "businessId" | "at">>;
const derive = (e: EventSpec, entity: EntityInput = GENERAL, chart: ChartOfAccounts = cas, templates: TemplateSet = casTemplates): Voucher[] =>
  ok(deriveVouchers({ businessId: "BIZ-1", at: AT, ...e }, chart, templates, entity));

/** `account side amount` of every line, sorted, so a comparison covers every line whatever the order. */
const rows = (v: Voucher): string[] => v.lines.map((l) => `${l.account} ${l.side} ${l.amount.toFixed(2)}`).sort();

/**
 * Every voucher (by kind) with every line, and its debit and credit totals — each equal to the
 * hand-computed `total`, so every voucher balances at the figure expected.
 */
const expectVouchers = (vs: ReadonlyArray<Voucher>, expected: Record<string, { readonly lines: ReadonlyArray<string>; readonly total: string }>): void => {
  expect(vs.map((v) => v.kind).sort()).toEqual(Object.keys(expected).sort());
  for (const v of vs) {
    const x = expected[v.kind]!;
    expect(rows(v), `voucher ${v.kind}`).toEqual([...x.lines].sort());
    const t = voucherTotals(v);
    expect([t.debit.toFixed(2), t.credit.toFixed(2)], `totals of voucher ${v.kind}`).toEqual([x.total, x.total]);
    expect(isBalanced(v)).toBe(true);
  }
};

const kind = (vs: ReadonlyArray<Voucher>, k: string): Voucher => {
  const v = vs.find((x) => x.kind === k);
  if (!v) throw new Error(`no voucher ${k}`);
  return v;
};
const line = (v: Voucher, account: string, item?: string) => {
  const l = v.lines.find((x) => x.account === account && (item === undefined || x.auxiliaries["item"] === item));
  if (!l) throw new Error(`no line on ${account}`);
  return l;
};

/** Debit − credit per account over vouchers, to the cent, omitting zeros. */
const net = (vs: ReadonlyArray<Voucher>): Record<string, string> => {
  const m = new Map<string, Dec>();
  for (const v of vs) for (const l of v.lines) m.set(l.account, (m.get(l.account) ?? ZERO).plus(l.side === "debit" ? l.amount : l.amount.negated()));
  return Object.fromEntries([...m].filter(([, d]) => !d.isZero()).map(([a, d]) => [a, d.toFixed(2)]));
};

describe("purchases", () => {
  it("purchase-receipt, general taxpayer: stock at net, input VAT deducted, payable at gross; VAT rounded per line", () => {
    const vs = derive({
      type: "purchase-receipt",
      document: "PR-1",
      supplier: "S1",
      lines: [
        { item: "tea", warehouse: "W1", qty: "3", unitPrice: "33.33", taxRate: "0.13" }, // net 99.99, tax 12.9987 → 13.00
        { item: "cup", warehouse: "W1", qty: "7", unitPrice: "1.01", taxRate: "0.09" }, // net 7.07, tax 0.6363 → 0.64
      ],
    });
    expectVouchers(vs, { main: { lines: ["1405 debit 99.99", "1405 debit 7.07", "2221.01.01 debit 13.64", "2202 credit 120.70"], total: "120.70" } });
    const v = vs[0]!;
    expect(v.id).toBe("acme/BIZ-1/PR-1/purchase-receipt/main");
    expect([v.businessId, v.document, v.event, v.template, v.entity, v.date]).toEqual(["BIZ-1", "PR-1", "purchase-receipt", "purchase-receipt/general", "acme", "2026-03-15"]);
    expect(line(v, "2202").auxiliaries).toEqual({ supplier: "S1" });
    expect(line(v, "1405", "cup").auxiliaries).toEqual({ warehouse: "W1", item: "cup" });
  });

  it("the voucher date is the business date in the entity's zone", () => {
    const [v] = derive({ type: "purchase-receipt", at: "2026-03-15T23:30:00Z", lines: [{ item: "tea", qty: "1", unitPrice: "1.00" }] });
    expect(v!.date).toBe("2026-03-16");
    const [utc] = derive({ type: "purchase-receipt", at: "2026-03-15T23:30:00Z", lines: [{ item: "tea", qty: "1", unitPrice: "1.00" }] }, { ...GENERAL, timeZone: "UTC" });
    expect(utc!.date).toBe("2026-03-15");
  });

  it("purchase-receipt, small-scale taxpayer: the VAT is capitalised (stock at gross)", () => {
    const vs = derive(
      {
        type: "purchase-receipt",
        supplier: "S1",
        lines: [
          { item: "tea", warehouse: "W1", qty: "10", unitPrice: "10.00", taxRate: "0.03" }, // 100.00 + 3.00
          { item: "cup", warehouse: "W1", qty: "3", unitPrice: "3.33", taxRate: "0.03" }, // 9.99 + 0.2997 → 0.30
        ],
      },
      SMALL_SCALE,
    );
    expectVouchers(vs, { main: { lines: ["1405 debit 103.00", "1405 debit 10.29", "2202 credit 113.29"], total: "113.29" } });
    expect(vs[0]!.template).toBe("purchase-receipt/small-scale");
  });

  it("暂估入库 at net, its red reversal when the invoice arrives: the pair nets 1405 and 2202 to zero; then the invoiced receipt", () => {
    const goods = { supplier: "S1", lines: [{ item: "tea", warehouse: "W1", qty: "5", unitPrice: "20.00", taxRate: "0.13" }] };
    const estimated = derive({ type: "purchase-receipt-estimated", document: "GRN-1", ...goods });
    expectVouchers(estimated, { main: { lines: ["1405 debit 100.00", "2202 credit 100.00"], total: "100.00" } });
    const reversal = derive({ type: "purchase-estimate-reversal", document: "GRN-1-R", ...goods });
    expectVouchers(reversal, { main: { lines: ["1405 debit -100.00", "2202 credit -100.00"], total: "-100.00" } });
    expect(net([...estimated, ...reversal])).toEqual({});

    const invoiced = derive({ type: "purchase-receipt", document: "PR-1", ...goods });
    expectVouchers(invoiced, { main: { lines: ["1405 debit 100.00", "2221.01.01 debit 13.00", "2202 credit 113.00"], total: "113.00" } });
    const journal = new Journal(cas);
    ok(journal.post([...estimated, ...reversal, ...invoiced]));
    expect(journal.debitBalance("1405", { dimension: "warehouse", value: "W1" }).toFixed(2)).toBe("100.00");
    expect(journal.debitBalance("2202", { dimension: "supplier", value: "S1" }).toFixed(2)).toBe("-113.00");
    expect(journal.ofBusiness("BIZ-1")).toHaveLength(3);
  });

  it("purchase-return, general taxpayer (red): stock leaves at cost, the price difference to 6401, VAT and payable reversed", () => {
    // 4 × 25.00 = 100.00 net, 13.00 VAT, 113.00 gross; the stock cost 96.00
    const vs = derive({ type: "purchase-return", supplier: "S1", lines: [{ item: "tea", warehouse: "W1", qty: "4", unitPrice: "25.00", taxRate: "0.13", cost: "96.00" }] });
    expectVouchers(vs, { main: { lines: ["1405 debit -96.00", "6401 debit -4.00", "2221.01.01 debit -13.00", "2202 credit -113.00"], total: "-113.00" } });
  });

  it("purchase-return, small-scale taxpayer (red): no VAT line, the difference from gross to 6401", () => {
    // 4 × 25.00 = 100.00 + 3.00 = 103.00 gross; stock cost 100.00
    const vs = derive(
      { type: "purchase-return", supplier: "S1", lines: [{ item: "tea", warehouse: "W1", qty: "4", unitPrice: "25.00", taxRate: "0.03", cost: "100.00" }] },
      SMALL_SCALE,
    );
    expectVouchers(vs, { main: { lines: ["1405 debit -100.00", "6401 debit -3.00", "2202 credit -103.00"], total: "-103.00" } });
  });
});

describe("sales", () => {
  it("sales-outbound: revenue and cost carry-over are separate vouchers; tax-inclusive prices are split per line, half-up", () => {
    const vs = derive({
      type: "sales-outbound",
      document: "SO-1",
      customer: "C1",
      priceIncludesTax: true,
      lines: [
        { item: "tea", warehouse: "W1", qty: "3", unitPrice: "10.00", taxRate: "0.13", cost: "18.00" }, // 30.00 ÷ 1.13 = 26.5487 → 26.55, tax 3.45
        { item: "cup", warehouse: "W1", qty: "1", unitPrice: "0.57", taxRate: "0.13", cost: "0.30" }, // 0.57 ÷ 1.13 = 0.5044 → 0.50, tax 0.07
        { item: "cup", warehouse: "W2", qty: "1", unitPrice: "0.57", taxRate: "0.13", cost: "0.30" }, // same
      ],
    });
    // per line: net 27.55 (on the total it would be 31.14 ÷ 1.13 = 27.5575 → 27.56)
    expectVouchers(vs, {
      main: { lines: ["1122 debit 31.14", "6001 credit 27.55", "2221.01.02 credit 3.59"], total: "31.14" },
      cost: { lines: ["6401 debit 18.60", "1405 credit 18.00", "1405 credit 0.30", "1405 credit 0.30"], total: "18.60" },
    });
    expect(kind(vs, "main").id).toBe("acme/BIZ-1/SO-1/sales-outbound/main");
    expect(kind(vs, "cost").id).toBe("acme/BIZ-1/SO-1/sales-outbound/cost");
    expect(kind(vs, "cost").lines.filter((l) => l.account === "1405").map((l) => l.auxiliaries["warehouse"]).sort()).toEqual(["W1", "W1", "W2"]);
  });

  it("sales-outbound, small-scale taxpayer: VAT at the levy rate to 2221.01 应交增值税", () => {
    // 2 × 51.50 = 103.00 incl. 3%: net 100.00, tax 3.00
    const vs = derive(
      { type: "sales-outbound", customer: "C1", priceIncludesTax: true, lines: [{ item: "tea", warehouse: "W1", qty: "2", unitPrice: "51.50", taxRate: "0.03", cost: "70.00" }] },
      SMALL_SCALE,
    );
    expectVouchers(vs, {
      main: { lines: ["1122 debit 103.00", "6001 credit 100.00", "2221.01 credit 3.00"], total: "103.00" },
      cost: { lines: ["6401 debit 70.00", "1405 credit 70.00"], total: "70.00" },
    });
  });

  it("sales-return (red): receivable, revenue and output VAT negated; the cost comes back into stock", () => {
    const vs = derive({ type: "sales-return", customer: "C1", lines: [{ item: "tea", warehouse: "W1", qty: "1", unitPrice: "50.00", taxRate: "0.13", cost: "30.00" }] });
    expectVouchers(vs, {
      main: { lines: ["1122 debit -56.50", "6001 credit -50.00", "2221.01.02 credit -6.50"], total: "-56.50" },
      cost: { lines: ["6401 debit -30.00", "1405 credit -30.00"], total: "-30.00" },
    });
    expect(kind(vs, "main").template).toBe("sales-return/general");
  });

  it("an export (export: true) of an entity with 出口退税 (exportRebate: true): zero-rated revenue, cost, and the rebate voucher (不得免征和抵扣 to cost, 应收出口退税款)", () => {
    const vs = derive(
      {
        type: "sales-outbound",
        export: true,
        customer: "US-1",
        lines: [{ item: "tea", warehouse: "W1", qty: "100", unitPrice: "50.00", taxRate: "0", cost: "4000.00", amount: "200.00", fee: "360.00" }],
      },
      { ...GENERAL, exportRebate: true },
    );
    expectVouchers(vs, {
      main: { lines: ["1122 debit 5000.00", "6001 credit 5000.00"], total: "5000.00" },
      cost: { lines: ["6401 debit 4000.00", "1405 credit 4000.00"], total: "4000.00" },
      rebate: { lines: ["6401 debit 200.00", "2221.01.03 credit 200.00", "1221.01 debit 360.00", "2221.01.04 credit 360.00"], total: "560.00" },
    });
    expect(new Set(vs.map((v) => v.template))).toEqual(new Set(["sales-outbound/export-rebate"]));
  });
});

describe("stock counts, scrap, transfers", () => {
  const countLines = [
    { item: "tea", warehouse: "W1", qty: "-1", cost: "50.00", category: "abnormal" }, // loss by a flood: 营业外支出, no VAT transfer-out
    { item: "tea", warehouse: "W1", qty: "-2", cost: "30.00", unitPrice: "15.00", taxRate: "0.13" }, // loss by mismanagement: VAT 30.00 × 13% = 3.90 out
    { item: "cup", warehouse: "W2", qty: "1", cost: "12.50" }, // gain
  ];

  it("stocktake: losses and gains wait in 1901 待处理财产损溢", () => {
    const vs = derive({ type: "stocktake", lines: countLines });
    expectVouchers(vs, { main: { lines: ["1901 debit 80.00", "1405 credit 80.00", "1405 debit 12.50", "1901 credit 12.50"], total: "92.50" } });
    expect(line(vs[0]!, "1405", "cup").auxiliaries).toEqual({ warehouse: "W2", item: "cup" });
  });

  it("stocktake-approval clears 1901: abnormal loss → 6711, mismanagement loss + its input VAT → 6602, gain against 6602", () => {
    const approval = derive({ type: "stocktake-approval", lines: countLines });
    expectVouchers(approval, {
      main: { lines: ["6711 debit 50.00", "6602 debit 33.90", "1901 credit 80.00", "2221.01.03 credit 3.90", "1901 debit 12.50", "6602 credit 12.50"], total: "96.40" },
    });
    const count = derive({ type: "stocktake", lines: countLines });
    expect(net([...count, ...approval])).toEqual({ "1405": "-67.50", "6711": "50.00", "6602": "21.40", "2221.01.03": "-3.90" });
  });

  it("stocktake-approval of a gain line that carries a price transfers no input VAT out (盘盈 has none)", () => {
    const vs = derive({ type: "stocktake-approval", lines: [{ item: "cup", warehouse: "W2", qty: "1", cost: "12.50", unitPrice: "15.00", taxRate: "0.13" }] });
    expectVouchers(vs, { main: { lines: ["1901 debit 12.50", "6602 credit 12.50"], total: "12.50" } });
  });

  it("scrap: cost (and, with a price, the input VAT transferred out) to 1901", () => {
    const vs = derive({
      type: "scrap",
      lines: [
        { item: "tea", warehouse: "W1", qty: "8", cost: "80.00", unitPrice: "10.00", taxRate: "0.13" }, // VAT 10.40 out
        { item: "cup", warehouse: "W2", qty: "1", cost: "5.00" },
      ],
    });
    expectVouchers(vs, { main: { lines: ["1901 debit 95.40", "1405 credit 80.00", "1405 credit 5.00", "2221.01.03 credit 10.40"], total: "95.40" } });
  });

  it("transfer and vmi-transfer derive no voucher", () => {
    const lines = [{ item: "tea", warehouse: "W1", qty: "3", cost: "36.00" }];
    expect(derive({ type: "transfer", lines })).toEqual([]);
    expect(derive({ type: "vmi-transfer", supplier: "S1", lines })).toEqual([]);
    expect(derive({ type: "transfer", lines }, SMALL_SCALE, se, seTemplates)).toEqual([]);
  });
});

describe("consignment", () => {
  it("consignment-out then consignment-settlement with commission: 1406 发出商品 nets to zero", () => {
    const out = derive({ type: "consignment-out", customer: "AGENT-1", lines: [{ item: "tea", warehouse: "W1", qty: "10", cost: "600.00" }] });
    expectVouchers(out, { main: { lines: ["1406 debit 600.00", "1405 credit 600.00"], total: "600.00" } });
    // 10 × 100.00 = 1000.00 net, 130.00 VAT, commission 100.00
    const settled = derive({
      type: "consignment-settlement",
      customer: "AGENT-1",
      lines: [{ item: "tea", warehouse: "W1", qty: "10", unitPrice: "100.00", taxRate: "0.13", fee: "100.00", cost: "600.00" }],
    });
    expectVouchers(settled, {
      main: { lines: ["1122 debit 1030.00", "6601 debit 100.00", "6001 credit 1000.00", "2221.01.02 credit 130.00"], total: "1130.00" },
      cost: { lines: ["6401 debit 600.00", "1406 credit 600.00"], total: "600.00" },
    });
    expect(net([...out, ...settled])["1406"]).toBeUndefined();
  });

  it("consignment-in-receipt and consignment-in-sale (收取手续费): 1321 and 2314 net to zero, commission to 6051", () => {
    const received = derive({ type: "consignment-in-receipt", supplier: "S2", lines: [{ item: "pen", qty: "10", unitPrice: "50.00" }] });
    expectVouchers(received, { main: { lines: ["1321 debit 500.00", "2314 credit 500.00"], total: "500.00" } });
    // sold at the agreed 50.00: 500.00 + 65.00 VAT; commission 50.00
    const sold = derive({
      type: "consignment-in-sale",
      customer: "C3",
      supplier: "S2",
      lines: [{ item: "pen", qty: "10", unitPrice: "50.00", taxRate: "0.13", fee: "50.00" }],
    });
    expectVouchers(sold, {
      main: { lines: ["1122 debit 565.00", "2202 credit 450.00", "6051 credit 50.00", "2221.01.02 credit 65.00"], total: "565.00" },
      goods: { lines: ["2314 debit 500.00", "1321 credit 500.00"], total: "500.00" },
    });
    expect(net([...received, ...sold])).toEqual({ "1122": "565.00", "2202": "-450.00", "6051": "-50.00", "2221.01.02": "-65.00" });
  });
});

describe("production and cost corrections", () => {
  it("production-issue (materials from 1403, goods from 1405) and production-receipt", () => {
    const issued = derive({
      type: "production-issue",
      lines: [
        { item: "steel", warehouse: "RAW", project: "P1", cost: "300.00" },
        { item: "tea", warehouse: "W1", category: "goods", project: "P1", cost: "40.00" },
      ],
    });
    expectVouchers(issued, { main: { lines: ["5001 debit 340.00", "1403 credit 300.00", "1405 credit 40.00"], total: "340.00" } });
    const received = derive({ type: "production-receipt", lines: [{ item: "widget", warehouse: "W1", project: "P1", cost: "340.00" }] });
    expectVouchers(received, { main: { lines: ["1405 debit 340.00", "5001 credit 340.00"], total: "340.00" } });
    expect(net([...issued, ...received])).toEqual({ "1403": "-300.00", "1405": "300.00" });
  });

  it("standard-cost-variance: unfavourable and favourable variances move out of stock into 1404", () => {
    const vs = derive({
      type: "standard-cost-variance",
      lines: [
        { item: "steel", warehouse: "RAW", category: "raw-material", amount: "25.00" },
        { item: "tea", warehouse: "W1", amount: "-10.00" },
      ],
    });
    expectVouchers(vs, { main: { lines: ["1404 debit 15.00", "1403 credit 25.00", "1405 credit -10.00"], total: "15.00" } });
  });

  it("landed-cost: the part on hand to stock, the part already sold to cost of sales", () => {
    const vs = derive({ type: "landed-cost", supplier: "FREIGHT-1", lines: [{ item: "tea", warehouse: "W1", amount: "100.00", cost: "60.00" }] });
    expectVouchers(vs, { main: { lines: ["1405 debit 60.00", "6401 debit 40.00", "2202 credit 100.00"], total: "100.00" } });
    expect(line(vs[0]!, "2202").auxiliaries).toEqual({ supplier: "FREIGHT-1" });
  });

  it("revaluation with a positive and with a negative amount", () => {
    expectVouchers(derive({ type: "revaluation", lines: [{ item: "tea", warehouse: "W1", amount: "12.34" }] }), {
      main: { lines: ["6401 debit 12.34", "1405 credit 12.34"], total: "12.34" },
    });
    expectVouchers(derive({ type: "revaluation", lines: [{ item: "tea", warehouse: "W1", amount: "-5.67" }] }), {
      main: { lines: ["6401 debit -5.67", "1405 credit -5.67"], total: "-5.67" },
    });
  });

  it("impairment and impairment-reversal under CAS (1471 by item, 6701)", () => {
    const provided = derive({ type: "impairment", lines: [{ item: "tea", amount: "80.00" }] });
    expectVouchers(provided, { main: { lines: ["6701 debit 80.00", "1471 credit 80.00"], total: "80.00" } });
    expect(line(provided[0]!, "1471").auxiliaries).toEqual({ item: "tea" });
    const reversed = derive({ type: "impairment-reversal", lines: [{ item: "tea", amount: "30.00" }] });
    expectVouchers(reversed, { main: { lines: ["1471 debit 30.00", "6701 credit 30.00"], total: "30.00" } });
    expect(net([...provided, ...reversed])).toEqual({ "6701": "50.00", "1471": "-50.00" });
  });

  it("impairment is unavailable on the small-enterprise standard (TemplateSelection)", () => {
    const SE: EntityInput = { id: "small", taxpayer: "general", standard: "small-enterprise" };
    for (const type of ["impairment", "impairment-reversal"] as const) {
      const e = failWith(deriveVouchers({ type, businessId: "B", at: AT, lines: [{ item: "tea", amount: "80.00" }] }, se, seTemplates, SE), "TemplateSelection");
      expect(e.event).toBe(type);
      expect(e.candidates).toEqual([]);
    }
  });
});

describe("the small-enterprise chart", () => {
  const SE: EntityInput = { id: "small", taxpayer: "general", standard: "small-enterprise" };
  it("sales-outbound posts revenue to 5001 and cost to 5401", () => {
    const vs = derive({ type: "sales-outbound", customer: "C1", lines: [{ item: "tea", warehouse: "W1", qty: "2", unitPrice: "50.00", taxRate: "0.13", cost: "70.00" }] }, SE, se, seTemplates);
    expectVouchers(vs, {
      main: { lines: ["1122 debit 113.00", "5001 credit 100.00", "2221.01.02 credit 13.00"], total: "113.00" },
      cost: { lines: ["5401 debit 70.00", "1405 credit 70.00"], total: "70.00" },
    });
  });

  it("a small-scale taxpayer on the small-enterprise chart: 2221.01, 5001, 5401", () => {
    const vs = derive(
      { type: "sales-outbound", customer: "C1", priceIncludesTax: true, lines: [{ item: "tea", warehouse: "W1", qty: "2", unitPrice: "51.50", taxRate: "0.03", cost: "70.00" }] },
      { ...SE, taxpayer: "small-scale" },
      se,
      seTemplates,
    );
    expectVouchers(vs, {
      main: { lines: ["1122 debit 103.00", "5001 credit 100.00", "2221.01 credit 3.00"], total: "103.00" },
      cost: { lines: ["5401 debit 70.00", "1405 credit 70.00"], total: "70.00" },
    });
  });
});

describe("the Journal", () => {
  const sale = () =>
    derive({ type: "sales-outbound", document: "SO-1", customer: "C1", lines: [{ item: "tea", warehouse: "W1", qty: "2", unitPrice: "100.00", taxRate: "0.13", cost: "60.00" }] });
  const mainOf = () => kind(sale(), "main");

  it("refuses an unbalanced voucher and posts nothing of its batch", () => {
    const journal = new Journal(cas);
    const [main, cost] = [mainOf(), kind(sale(), "cost")];
    const unbalanced: Voucher = { ...main, id: "bad", lines: main.lines.filter((l) => l.account !== "2221.01.02") };
    const e = failWith(journal.post([cost, unbalanced]), "VoucherRejected");
    expect(e.voucher).toBe("bad");
    expect(e.message).toContain("does not balance");
    expect(journal.vouchers()).toEqual([]);
    expect(journal.debitBalance("6401").isZero()).toBe(true);
  });

  it("refuses a duplicate id (posted before, or twice in one batch)", () => {
    const journal = new Journal(cas);
    const main = mainOf();
    ok(journal.post([main]));
    expect(failWith(journal.post([main]), "VoucherRejected").message).toContain("already posted");
    const cost = kind(sale(), "cost");
    expect(failWith(journal.post([cost, cost]), "VoucherRejected").voucher).toBe(cost.id);
    expect(journal.vouchers().map((v) => v.id)).toEqual([main.id]);
  });

  it("refuses a voucher without a business ID", () => {
    const e = failWith(new Journal(cas).post([{ ...mainOf(), businessId: "" }]), "VoucherRejected");
    expect(e.message).toContain("no business ID");
  });

  it("refuses a line on a non-postable account (2221) or an unknown one", () => {
    const main = mainOf();
    const onParent: Voucher = { ...main, lines: main.lines.map((l) => (l.account === "2221.01.02" ? { ...l, account: "2221" } : l)) };
    expect(failWith(new Journal(cas).post([onParent]), "VoucherRejected").message).toContain("2221");
    const unknown: Voucher = { ...main, lines: main.lines.map((l) => (l.account === "6001" ? { ...l, account: "6999" } : l)) };
    expect(failWith(new Journal(cas).post([unknown]), "VoucherRejected").message).toContain("6999");
  });

  it("refuses the reversal of an unposted voucher and a second reversal; a reversal nets the original to zero", () => {
    const journal = new Journal(cas);
    const main = mainOf();
    expect(failWith(journal.post([reverseVoucher(main)]), "VoucherRejected").message).toContain("not posted");
    ok(journal.post([main]));
    ok(journal.post([reverseVoucher(main)]));
    expect(journal.reversalOf(main.id)).toBe(`${main.id}~reversal`);
    const second = failWith(journal.post([reverseVoucher(main, { id: "another-reversal" })]), "VoucherRejected");
    expect(second.voucher).toBe("another-reversal");
    expect(second.message).toContain("already reversed");
    for (const a of ["1122", "6001", "2221.01.02"]) expect(journal.debitBalance(a).isZero(), a).toBe(true);
    // an original and its reversal in one batch are accepted
    const other = new Journal(cas);
    ok(other.post([main, reverseVoucher(main)]));
    expect(other.vouchers()).toHaveLength(2);
  });

  it("trialBalance rolls leaves up to their parents (2221 and 2221.01 show the VAT sub-accounts) and its totals balance", () => {
    const journal = new Journal(cas);
    ok(journal.post(derive({ type: "purchase-receipt", document: "PR-1", supplier: "S1", lines: [{ item: "tea", warehouse: "W1", qty: "10", unitPrice: "10.00", taxRate: "0.13" }] })));
    ok(journal.post(sale())); // 1122 226.00 / 6001 200.00 / 2221.01.02 26.00; 6401 60.00 / 1405 60.00
    const tb = journal.trialBalance();
    const row = (a: string) => {
      const r = tb.rows.find((x) => x.account === a);
      if (!r) throw new Error(`no row ${a}`);
      return [r.debit.toFixed(2), r.credit.toFixed(2), r.balance.toFixed(2), r.direction, r.level];
    };
    expect(tb.rows.map((r) => r.account)).toEqual(["1122", "1405", "2202", "2221", "2221.01", "2221.01.01", "2221.01.02", "6001", "6401"]);
    expect(row("2221.01.02")).toEqual(["0.00", "26.00", "26.00", "credit", 3]);
    expect(row("2221.01.01")).toEqual(["13.00", "0.00", "13.00", "debit", 3]);
    expect(row("2221.01")).toEqual(["13.00", "26.00", "13.00", "credit", 2]);
    expect(row("2221")).toEqual(["13.00", "26.00", "13.00", "credit", 1]);
    expect(row("1405")).toEqual(["100.00", "60.00", "40.00", "debit", 1]);
    expect(row("2202")).toEqual(["0.00", "113.00", "113.00", "credit", 1]);
    // totals over leaves only: 100 + 13 + 226 + 60 = 399 each side (parents not counted twice)
    expect([tb.debit.toFixed(2), tb.credit.toFixed(2), tb.balanced]).toEqual(["399.00", "399.00", true]);
  });
});

describe("reconcileInventory over a @jxc/core stock ledger", () => {
  it("totals agree; per warehouse the transfer's business is the difference, with its documents, netting to zero", () => {
    const stock = ok(
      StockLedger.create({
        settings: { method: "fifo" },
        items: [{ id: "tea", name: "绿茶", baseUnit: "件" }],
        warehouses: [{ id: "W1" }, { id: "W2" }],
      }),
    );
    const journal = new Journal(cas);
    const book = (doc: Parameters<StockLedger["post"]>[0], terms: Parameters<typeof eventsFromPosting>[2]) => {
      const posted = ok(stock.post(doc));
      const vouchers = eventsFromPosting(stock, posted, terms).flatMap((e) => ok(deriveVouchers(e, cas, casTemplates, GENERAL)));
      ok(journal.post(vouchers));
      return vouchers;
    };
    const receipt = book(
      { id: "PR-1", businessId: "PO-1", type: "purchase-receipt", at: "2026-03-01T09:00:00+08:00", lines: [{ item: "tea", warehouse: "W1", qty: "10", unitCost: "12.00" }] },
      { taxRate: "0.13", supplier: "S1" },
    );
    expectVouchers(receipt, { main: { lines: ["1405 debit 120.00", "2221.01.01 debit 15.60", "2202 credit 135.60"], total: "135.60" } });
    const saleVouchers = book(
      { id: "SO-1", businessId: "SO-1", type: "sales-outbound", at: "2026-03-02T09:00:00+08:00", lines: [{ item: "tea", warehouse: "W1", qty: "4", price: "20.00" }] },
      { taxRate: "0.13", customer: "C1" },
    );
    expectVouchers(saleVouchers, {
      main: { lines: ["1122 debit 90.40", "6001 credit 80.00", "2221.01.02 credit 10.40"], total: "90.40" },
      cost: { lines: ["6401 debit 48.00", "1405 credit 48.00"], total: "48.00" },
    });

    const before = reconcileInventory(journal, subLedgerEntries(stock));
    expect(before.ok).toBe(true);
    expect(before.warehouses.map((w) => [w.warehouse, w.subLedger.toFixed(2), w.generalLedger.toFixed(2)])).toEqual([["W1", "72.00", "72.00"]]);

    const transfer = book(
      { id: "TR-1", businessId: "TR-1", type: "transfer", at: "2026-03-03T09:00:00+08:00", lines: [{ item: "tea", qty: "3", from: { warehouse: "W1" }, to: { warehouse: "W2" } }] },
      {},
    );
    expect(transfer).toEqual([]);

    const r = reconcileInventory(journal, subLedgerEntries(stock));
    expect(r.accounts).toEqual(["1405", "1403"]);
    expect([r.subLedger.toFixed(2), r.generalLedger.toFixed(2)]).toEqual(["72.00", "72.00"]);
    // `ok` also requires every warehouse to agree: the transfer (no voucher) makes W1 and W2 differ
    expect(r.ok).toBe(false);
    const summary = r.warehouses.map((w) => ({
      warehouse: w.warehouse,
      sub: w.subLedger.toFixed(2),
      gl: w.generalLedger.toFixed(2),
      diff: w.difference.toFixed(2),
      businesses: w.businesses.map((b) => ({ id: b.businessId, sub: b.subLedger.toFixed(2), gl: b.generalLedger.toFixed(2), diff: b.difference.toFixed(2), documents: b.documents, vouchers: b.vouchers })),
    }));
    expect(summary).toEqual([
      { warehouse: "W1", sub: "36.00", gl: "72.00", diff: "-36.00", businesses: [{ id: "TR-1", sub: "-36.00", gl: "0.00", diff: "-36.00", documents: ["TR-1"], vouchers: [] }] },
      { warehouse: "W2", sub: "36.00", gl: "0.00", diff: "36.00", businesses: [{ id: "TR-1", sub: "36.00", gl: "0.00", diff: "36.00", documents: ["TR-1"], vouchers: [] }] },
    ]);
    const total = r.warehouses.reduce((s, w) => s.plus(w.difference), ZERO);
    expect(total.isZero()).toBe(true);
    expect(journal.trialBalance().balanced).toBe(true);
  });
});
