import { InvalidInput } from "@jxc/core";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { casChart } from "../src/chart-cas.js";
import { smallEnterpriseChart } from "../src/chart-small-enterprise.js";
import {
  ACCOUNT_ROLES,
  ChartSchema,
  extendChart,
  loadChart,
  type AccountCategory,
  type AccountInput,
  type ChartInput,
  type ChartOfAccounts,
} from "../src/chart.js";

/** Role → [CAS code, 小企业 code]; `undefined` where the standard has no such account. */
const ROLE_CODES: Record<string, readonly [string, string | undefined]> = {
  cash: ["1001", "1001"],
  bank: ["1002", "1002"],
  receivable: ["1122", "1122"],
  prepayment: ["1123", "1123"],
  "other-receivable": ["1221", "1221"],
  "export-rebate-receivable": ["1221.01", "1221.01"],
  "materials-purchase": ["1401", "1401"],
  "in-transit": ["1402", "1402"],
  "raw-materials": ["1403", "1403"],
  "material-cost-variance": ["1404", "1404"],
  inventory: ["1405", "1405"],
  "goods-shipped": ["1406", "1406"],
  "consignment-in-goods": ["1321", "1321"],
  processing: ["1408", "1408"],
  "inventory-impairment": ["1471", undefined],
  "pending-loss": ["1901", "1901"],
  payable: ["2202", "2202"],
  "advance-receipt": ["2203", "2203"],
  "consignment-in-payable": ["2314", "2314"],
  vat: ["2221.01", "2221.01"],
  "vat-simple": ["2221.01", "2221.01"],
  "vat-input": ["2221.01.01", "2221.01.01"],
  "vat-output": ["2221.01.02", "2221.01.02"],
  "vat-input-transfer-out": ["2221.01.03", "2221.01.03"],
  "vat-export-rebate": ["2221.01.04", "2221.01.04"],
  "vat-export-offset": ["2221.01.05", "2221.01.05"],
  revenue: ["6001", "5001"],
  "other-revenue": ["6051", "5051"],
  cogs: ["6401", "5401"],
  "other-cogs": ["6402", "5402"],
  "tax-surcharges": ["6403", "5403"],
  "selling-expense": ["6601", "5601"],
  "admin-expense": ["6602", "5602"],
  "finance-expense": ["6603", "5603"],
  "impairment-loss": ["6701", undefined],
  "non-operating-income": ["6301", "5301"],
  "non-operating-expense": ["6711", "5711"],
  "production-cost": ["5001", "4001"],
  "manufacturing-overhead": ["5101", "4101"],
  "paid-in-capital": ["4001", "3001"],
  "current-year-profit": ["4103", "3103"],
  "retained-earnings": ["4104", "3104"],
};

/** The category each first digit of a code stands for, per standard. */
const CATEGORY_BY_DIGIT: Record<string, Record<string, AccountCategory>> = {
  CAS: { "1": "asset", "2": "liability", "3": "common", "4": "equity", "5": "cost", "6": "profit-loss" },
  "small-enterprise": { "1": "asset", "2": "liability", "3": "equity", "4": "cost", "5": "profit-loss" },
};

const builtIns: ReadonlyArray<readonly [string, () => ChartOfAccounts, 0 | 1]> = [
  ["CAS", casChart, 0],
  ["small-enterprise", smallEnterpriseChart, 1],
];

const account = (code: string, name: string, category: AccountCategory, extra: Partial<AccountInput> = {}): AccountInput => ({
  code,
  name,
  nameEn: name,
  direction: "debit",
  category,
  ...extra,
});

const chartOf = (accounts: unknown[]): ChartInput =>
  ({ id: "test", name: "测试科目表", standard: "CAS", accounts }) as ChartInput;

const issuesOf = (input: unknown): ReadonlyArray<{ path: string; message: string }> => {
  const loaded = loadChart(input);
  expect(Result.isFailure(loaded)).toBe(true);
  if (!Result.isFailure(loaded)) return [];
  expect(loaded.failure).toBeInstanceOf(InvalidInput);
  expect(loaded.failure._tag).toBe("InvalidInput");
  expect(loaded.failure.subject).toBe("chart of accounts");
  return loaded.failure.issues;
};

describe.each(builtIns)("built-in chart %s", (standard, build, column) => {
  const chart = build();

  it("loads, validates and round-trips through its definition", () => {
    expect(chart.standard).toBe(standard);
    expect(ChartSchema.safeParse(chart.toDefinition()).success).toBe(true);
    const again = loadChart(chart.toDefinition());
    expect(Result.isSuccess(again)).toBe(true);
    if (Result.isSuccess(again)) expect(again.success.accounts()).toEqual(chart.accounts());
    const firstLevel = chart.accounts().filter((a) => chart.level(a.code) === 1);
    expect(firstLevel.length).toBeGreaterThanOrEqual(50);
  });

  it("resolves every role to its code, and holds no other built-in role", () => {
    for (const [role, codes] of Object.entries(ROLE_CODES)) {
      expect(chart.byRole(role)?.code, role).toBe(codes[column]);
    }
    expect(Object.keys(ROLE_CODES).sort()).toEqual([...ACCOUNT_ROLES].sort());
    const held = chart.accounts().flatMap((a) => a.roles);
    expect(held.filter((r) => !(r in ROLE_CODES))).toEqual([]);
  });

  it("has the conformance vectors' accounts postable", () => {
    for (const code of ["1122", "1405", "1901", "2202", "2221.01", "2221.01.01", "2221.01.02"]) {
      expect(chart.isPostable(code), code).toBe(true);
    }
  });

  it("has postability by leaves, except 2221.01 which is declared postable", () => {
    expect(chart.isPostable("2221")).toBe(false);
    expect(chart.isPostable("1221")).toBe(false);
    expect(chart.isPostable("1221.01")).toBe(true);
    expect(chart.isPostable("1221.99")).toBe(true);
    expect(chart.isPostable("2221.01")).toBe(true);
    expect(chart.account("2221.01")?.postable).toBe(true);
    expect(chart.children("2221.01").length).toBeGreaterThan(0);
    expect(chart.isPostable("1901")).toBe(true);
    expect(chart.children("1901")).toEqual([]);
    expect(chart.isPostable("9999")).toBe(false);
    for (const a of chart.accounts()) {
      if (a.code !== "2221.01") expect(a.postable, a.code).toBe(chart.children(a.code).length === 0);
    }
  });

  it("keeps codes, names and auxiliaries of the listed accounts", () => {
    expect(chart.account("1001")?.name).toBe("库存现金");
    expect(chart.account("1002")?.name).toBe("银行存款");
    expect(chart.account("1405")?.name).toBe("库存商品");
    expect(chart.account("1406")?.name).toBe("发出商品");
    expect(chart.account("1901")?.name).toBe("待处理财产损溢");
    expect(chart.account("1122")?.auxiliaries).toEqual(["customer"]);
    expect(chart.account("1123")?.auxiliaries).toEqual(["supplier"]);
    expect(chart.account("2202")?.auxiliaries).toEqual(["supplier"]);
    expect(chart.account("1405")?.auxiliaries).toEqual(["warehouse", "item"]);
    expect(chart.fullName("2221.01.01")).toBe("应交税费—应交增值税—进项税额");
    expect(chart.fullName("2221.01.05")).toBe("应交税费—应交增值税—出口抵减内销产品应纳税额");
    expect(chart.byRole("revenue")?.name).toBe("主营业务收入");
    expect(chart.byRole("tax-surcharges")?.name).toBe("税金及附加");
    expect(chart.byRole("retained-earnings")?.name).toBe("利润分配");
  });

  it("has directions right", () => {
    const direction = (code: string) => chart.account(code)?.direction;
    for (const code of ["1001", "1122", "1403", "1404", "1405", "1901", "2221.01.01", "2221.01.05"]) {
      expect(direction(code), code).toBe("debit");
    }
    for (const code of ["2202", "2203", "2221", "2221.01", "2221.01.02", "2221.01.03", "2221.01.04", "1602", "1702"]) {
      expect(direction(code), code).toBe("credit");
    }
    for (const role of ["paid-in-capital", "current-year-profit", "retained-earnings", "revenue", "other-revenue", "non-operating-income"]) {
      expect(chart.byRole(role)?.direction, role).toBe("credit");
    }
    for (const role of ["cogs", "other-cogs", "tax-surcharges", "selling-expense", "admin-expense", "finance-expense", "non-operating-expense", "production-cost", "manufacturing-overhead"]) {
      expect(chart.byRole(role)?.direction, role).toBe("debit");
    }
    if (standard === "CAS") {
      expect(direction("1471")).toBe("credit");
      expect(chart.byRole("impairment-loss")?.direction).toBe("debit");
    }
  });

  it("follows its standard's code classes (first digit ↔ category)", () => {
    const classes = CATEGORY_BY_DIGIT[standard] ?? {};
    for (const a of chart.accounts()) expect(a.category, a.code).toBe(classes[a.code.charAt(0)]);
  });

  it("navigates levels, children and parents", () => {
    expect(chart.level("2221")).toBe(1);
    expect(chart.level("2221.01")).toBe(2);
    expect(chart.level("2221.01.01")).toBe(3);
    expect(chart.children("2221.01").map((a) => a.code).slice(0, 5)).toEqual([
      "2221.01.01",
      "2221.01.02",
      "2221.01.03",
      "2221.01.04",
      "2221.01.05",
    ]);
    expect(chart.children("2221").map((a) => a.code)).toContain("2221.01");
    expect(chart.children("2221").every((a) => chart.level(a.code) === 2)).toBe(true);
    expect(chart.children("1221").map((a) => a.code)).toEqual(["1221.01", "1221.99"]);
    expect(chart.children("1001")).toEqual([]);
    expect(chart.children("9999")).toEqual([]);
    expect(chart.parent("2221.01.02")?.code).toBe("2221.01");
    expect(chart.parent("2221.01")?.code).toBe("2221");
    expect(chart.parent("2221")).toBeUndefined();
    expect(chart.parent("9999.01")).toBeUndefined();
  });

  it("lists accounts sorted by code, parents before their sub-accounts, and is immutable", () => {
    const codes = chart.accounts().map((a) => a.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes.indexOf("2221")).toBeLessThan(codes.indexOf("2221.01"));
    expect(codes.indexOf("2221.01.09")).toBeLessThan(codes.indexOf("2221.02"));
    expect(Object.isFrozen(chart)).toBe(true);
    expect(Object.isFrozen(chart.accounts())).toBe(true);
    expect(Object.isFrozen(chart.account("1001"))).toBe(true);
    expect(Object.isFrozen(chart.account("1001")?.roles)).toBe(true);
    const definition = chart.toDefinition();
    definition.accounts.length = 0;
    expect(chart.accounts().length).toBeGreaterThan(0);
    expect(build().accounts()).toEqual(chart.accounts());
  });
});

describe("the small-enterprise chart", () => {
  it("has no impairment accounts or roles", () => {
    const chart = smallEnterpriseChart();
    expect(chart.byRole("inventory-impairment")).toBeUndefined();
    expect(chart.byRole("impairment-loss")).toBeUndefined();
    expect(chart.account("1471")).toBeUndefined();
    expect(chart.accounts().some((a) => a.name.includes("减值"))).toBe(false);
    expect(chart.accounts().some((a) => a.category === "common")).toBe(false);
  });
});

describe("loadChart refuses a malformed chart, naming the field", () => {
  const valid = () => [
    account("1001", "库存现金", "asset", { roles: ["cash"] }),
    account("2221", "应交税费", "liability", { direction: "credit" }),
    account("2221.01", "应交增值税", "liability", { direction: "credit", roles: ["vat"] }),
  ];

  it("accepts the valid base", () => {
    const loaded = loadChart(chartOf(valid()));
    expect(Result.isSuccess(loaded)).toBe(true);
    if (Result.isSuccess(loaded)) {
      expect(loaded.success.isPostable("2221")).toBe(false);
      expect(loaded.success.isPostable("2221.01")).toBe(true);
      expect(loaded.success.account("1001")?.auxiliaries).toEqual([]);
    }
  });

  it("duplicate code", () => {
    const issues = issuesOf(chartOf([...valid(), account("1001", "现金", "asset")]));
    expect(issues).toEqual([{ path: "accounts.3.code", message: expect.stringContaining("duplicate account code 1001") }]);
  });

  it("orphan sub-account", () => {
    const issues = issuesOf(chartOf([...valid(), account("1234.01", "孤儿", "asset")]));
    expect(issues).toEqual([{ path: "accounts.3.code", message: expect.stringContaining("parent account 1234") }]);
  });

  it("child category different from its parent's", () => {
    const issues = issuesOf(chartOf([...valid(), account("2221.02", "未交增值税", "asset")]));
    expect(issues).toEqual([{ path: "accounts.3.category", message: expect.stringContaining("parent 2221 is liability") }]);
  });

  it("role held by two accounts", () => {
    const issues = issuesOf(chartOf([...valid(), account("1002", "银行存款", "asset", { roles: ["bank", "cash"] })]));
    expect(issues).toEqual([{ path: "accounts.3.roles.1", message: expect.stringContaining("already held by account 1001") }]);
  });

  it("bad code format", () => {
    for (const code of ["101", "10011", "1001.1", "1001.001", "1001-01", "1001."]) {
      const issues = issuesOf(chartOf([...valid(), account(code, "坏编码", "asset")]));
      expect(issues.map((i) => i.path), code).toEqual(["accounts.3.code"]);
    }
  });

  it("unknown category, direction and auxiliary", () => {
    const issues = issuesOf(
      chartOf([
        ...valid(),
        { ...account("1002", "银行存款", "asset"), category: "revenue" },
        { ...account("1003", "某科目", "asset"), direction: "both", auxiliaries: ["employee"] },
      ]),
    );
    expect(issues.map((i) => i.path)).toEqual(["accounts.3.category", "accounts.4.direction", "accounts.4.auxiliaries.0"]);
  });

  it("missing fields and a bad standard", () => {
    const issues = issuesOf({ id: "", name: "x", standard: "IFRS", accounts: [{ code: "1001" }] });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["id", "standard", "accounts.0.name", "accounts.0.nameEn", "accounts.0.direction", "accounts.0.category"]));
  });

  it("several problems at once, each named", () => {
    const issues = issuesOf(
      chartOf([
        ...valid(),
        account("1001", "现金", "asset"),
        account("1234.01", "孤儿", "asset"),
        account("2221.02", "未交增值税", "asset", { roles: ["vat"] }),
      ]),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(["accounts.3.code", "accounts.4.code", "accounts.5.category", "accounts.5.roles.0"]);
  });
});

describe("disabled accounts", () => {
  it("are in the chart but not postable", () => {
    const loaded = loadChart(chartOf([account("1001", "库存现金", "asset", { disabled: true })]));
    expect(Result.isSuccess(loaded)).toBe(true);
    if (!Result.isSuccess(loaded)) return;
    expect(loaded.success.account("1001")?.disabled).toBe(true);
    expect(loaded.success.isPostable("1001")).toBe(false);
  });
});

describe("extendChart", () => {
  const commission = account("6601.01", "佣金", "profit-loss");

  it("adds a sub-account, leaving the original chart unchanged", () => {
    const chart = casChart();
    const extended = extendChart(chart, [commission]);
    expect(Result.isSuccess(extended)).toBe(true);
    if (!Result.isSuccess(extended)) return;
    const next = extended.success;
    expect(next.account("6601.01")?.name).toBe("佣金");
    expect(next.parent("6601.01")?.code).toBe("6601");
    expect(next.children("6601").map((a) => a.code)).toEqual(["6601.01"]);
    expect(next.isPostable("6601.01")).toBe(true);
    expect(next.isPostable("6601")).toBe(false);
    expect(next.fullName("6601.01")).toBe("销售费用—佣金");
    expect(next.byRole("selling-expense")?.code).toBe("6601");
    expect(next.id).toBe(chart.id);
    expect(chart.account("6601.01")).toBeUndefined();
    expect(chart.isPostable("6601")).toBe(true);
  });

  it("refuses an orphan, naming the extension's field", () => {
    const extended = extendChart(casChart(), [commission, account("1234.01", "孤儿", "asset")]);
    expect(Result.isFailure(extended)).toBe(true);
    if (!Result.isFailure(extended)) return;
    expect(extended.failure).toBeInstanceOf(InvalidInput);
    expect(extended.failure.issues).toEqual([{ path: "accounts.1.code", message: expect.stringContaining("parent account 1234") }]);
  });

  it("refuses an existing code unless replace is set", () => {
    const chart = casChart();
    const renamed = account("6601", "销售费用（含佣金）", "profit-loss", { roles: ["selling-expense"] });
    const refused = extendChart(chart, [renamed]);
    expect(Result.isFailure(refused)).toBe(true);
    if (Result.isFailure(refused)) expect(refused.failure.issues.map((i) => i.path)).toEqual(["accounts.0.code"]);

    const replaced = extendChart(chart, [renamed], { replace: true });
    expect(Result.isSuccess(replaced)).toBe(true);
    if (Result.isSuccess(replaced)) {
      expect(replaced.success.account("6601")?.name).toBe("销售费用（含佣金）");
      expect(replaced.success.accounts().length).toBe(chart.accounts().length);
    }
  });

  it("re-validates roles and categories against the existing accounts", () => {
    const chart = casChart();
    const stolenRole = extendChart(chart, [account("6601.02", "广告费", "profit-loss", { roles: ["revenue"] })]);
    expect(Result.isFailure(stolenRole)).toBe(true);
    if (Result.isFailure(stolenRole)) {
      expect(stolenRole.failure.issues).toEqual([{ path: "accounts.0.roles.0", message: expect.stringContaining("already held by account 6001") }]);
    }
    const wrongCategory = extendChart(chart, [account("6601.02", "广告费", "cost")]);
    expect(Result.isFailure(wrongCategory)).toBe(true);
    if (Result.isFailure(wrongCategory)) expect(wrongCategory.failure.issues.map((i) => i.path)).toEqual(["accounts.0.category"]);

    // Replacing a parent's category strands its existing sub-accounts, which are named in the chart.
    const recategorized = extendChart(chart, [account("1221", "其他应收款", "liability", { roles: ["other-receivable"] })], { replace: true });
    expect(Result.isFailure(recategorized)).toBe(true);
    if (Result.isFailure(recategorized)) {
      const paths = recategorized.failure.issues.map((i) => i.path);
      const i = chart.accounts().findIndex((a) => a.code === "1221.01");
      expect(paths).toContain(`chart.accounts.${i}.category`);
    }
  });

  it("refuses malformed extension accounts", () => {
    const extended = extendChart(casChart(), [{ ...commission, code: "6601.1" }]);
    expect(Result.isFailure(extended)).toBe(true);
    if (Result.isFailure(extended)) expect(extended.failure.issues.map((i) => i.path)).toEqual(["accounts.0.code"]);
  });
});
