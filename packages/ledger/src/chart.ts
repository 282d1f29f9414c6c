import { InvalidInput, parseInput, type FieldIssue } from "@jxc/core";
import { Result } from "effect";
import { z } from "zod";

// The built-in charts live in their own modules (data) and are re-exported here, so that the
// package index (`export * from "./chart.js"`) and `../chart.js` importers see them. The import
// cycle this makes is harmless: neither module uses the other's bindings while it is evaluated.
export { casChart } from "./chart-cas.js";
export { smallEnterpriseChart } from "./chart-small-enterprise.js";

const ACCOUNT_CODE = /^\d{4}(\.\d{2})*$/;
const ROLE_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * An account code (科目编码): four digits for a first-level account, then one dotted two-digit
 * segment per sub-account level — `2221`, `2221.01`, `2221.01.01`.
 */
export const AccountCodeSchema = z.string().regex(ACCOUNT_CODE, {
  message: "must be a 4-digit account code with dotted 2-digit sub-account segments, e.g. 2221 or 2221.01.01",
});

/** The side on which an account normally carries its balance (余额方向): `debit` (借) or `credit` (贷). */
export const BalanceDirectionSchema = z.enum(["debit", "credit"]);
/** 余额方向: `debit` (借) or `credit` (贷). */
export type BalanceDirection = z.output<typeof BalanceDirectionSchema>;

/**
 * The class of an account (科目类别): `asset` 资产, `liability` 负债, `common` 共同 (CAS only),
 * `equity` 所有者权益, `cost` 成本, `profit-loss` 损益.
 */
export const AccountCategorySchema = z.enum(["asset", "liability", "common", "equity", "cost", "profit-loss"]);
/** 科目类别: 资产 · 负债 · 共同 · 所有者权益 · 成本 · 损益. */
export type AccountCategory = z.output<typeof AccountCategorySchema>;

/**
 * A dimension of auxiliary accounting (辅助核算) kept on an account: `customer` 客户, `supplier`
 * 供应商, `warehouse` 仓库, `project` 项目, `department` 部门, `item` 存货/物料.
 */
export const AuxiliaryKindSchema = z.enum(["customer", "supplier", "warehouse", "project", "department", "item"]);
/** 辅助核算 dimension: customer, supplier, warehouse, project, department or item. */
export type AuxiliaryKind = z.output<typeof AuxiliaryKindSchema>;

/**
 * A semantic role key (kebab-case, e.g. `receivable`, `vat-output`): how voucher templates find an
 * account independently of the standard and of the codes a tenant uses. See {@link ACCOUNT_ROLES}.
 */
export const AccountRoleSchema = z.string().regex(ROLE_KEY, {
  message: "must be a kebab-case role key such as vat-output",
});
/** A semantic role key such as `receivable` or `vat-output`. */
export type AccountRole = z.output<typeof AccountRoleSchema>;

/**
 * The roles the built-in charts assign. Both {@link casChart} and {@link smallEnterpriseChart} hold
 * every one of them, except `inventory-impairment` and `impairment-loss`, which only the CAS chart
 * holds (小企业会计准则 recognizes no impairment). A custom chart may hold any role key.
 */
export const ACCOUNT_ROLES = [
  "cash",
  "bank",
  "receivable",
  "prepayment",
  "other-receivable",
  "export-rebate-receivable",
  "materials-purchase",
  "in-transit",
  "raw-materials",
  "material-cost-variance",
  "inventory",
  "goods-shipped",
  "consignment-in-goods",
  "processing",
  "inventory-impairment",
  "pending-loss",
  "payable",
  "advance-receipt",
  "consignment-in-payable",
  "vat",
  "vat-simple",
  "vat-input",
  "vat-output",
  "vat-input-transfer-out",
  "vat-export-rebate",
  "vat-export-offset",
  "revenue",
  "other-revenue",
  "cogs",
  "other-cogs",
  "tax-surcharges",
  "selling-expense",
  "admin-expense",
  "finance-expense",
  "impairment-loss",
  "non-operating-income",
  "non-operating-expense",
  "production-cost",
  "manufacturing-overhead",
  "paid-in-capital",
  "current-year-profit",
  "retained-earnings",
] as const;

/** One of the role keys of {@link ACCOUNT_ROLES}. */
export type BuiltInAccountRole = (typeof ACCOUNT_ROLES)[number];

/** One account (会计科目) of a chart, as written in configuration. */
export const AccountSchema = z.object({
  /** 科目编码, e.g. `2221.01.01`. */
  code: AccountCodeSchema,
  /** 科目名称 in Chinese, e.g. `进项税额` (the name of this level only). */
  name: z.string().min(1),
  /** English name, e.g. `Input VAT`. */
  nameEn: z.string().min(1),
  /** 余额方向. */
  direction: BalanceDirectionSchema,
  /** 科目类别; a sub-account has its parent's. */
  category: AccountCategorySchema,
  /** 辅助核算 dimensions every posting to this account carries. */
  auxiliaries: z.array(AuxiliaryKindSchema).default([]),
  /** Semantic roles this account holds; a role is held by one account of a chart only. */
  roles: z.array(AccountRoleSchema).default([]),
  /** Whether vouchers may post to it; when absent, true exactly when the account has no sub-accounts. */
  postable: z.boolean().optional(),
  /** A disabled (停用) account stays in the chart but is not postable. */
  disabled: z.boolean().optional(),
});
/** A parsed {@link AccountSchema}. */
export type Account = z.output<typeof AccountSchema>;
/** An account as written in configuration (defaults not yet applied). */
export type AccountInput = z.input<typeof AccountSchema>;

/** The accounting standard a chart follows: `CAS` (企业会计准则) or `small-enterprise` (小企业会计准则). */
export const ChartStandardSchema = z.enum(["CAS", "small-enterprise"]);
/** 企业会计准则 (`CAS`) or 小企业会计准则 (`small-enterprise`). */
export type ChartStandard = z.output<typeof ChartStandardSchema>;

/** One problem of a list of accounts taken together: the index of the account at fault and its field. */
interface AccountListIssue {
  readonly index: number;
  readonly field: ReadonlyArray<string | number>;
  readonly message: string;
}

/** The code of the parent of `code` (`2221.01` for `2221.01.01`), or undefined for a first-level code. */
const parentCodeOf = (code: string): string | undefined => {
  const cut = code.lastIndexOf(".");
  return cut < 0 ? undefined : code.slice(0, cut);
};

/** Checks that hold of a chart's accounts together: unique codes, parents present, categories inherited, roles unique. */
const accountListIssues = (accounts: ReadonlyArray<Account>): AccountListIssue[] => {
  const issues: AccountListIssue[] = [];
  const byCode = new Map<string, Account>();
  accounts.forEach((account, index) => {
    if (byCode.has(account.code)) {
      issues.push({ index, field: ["code"], message: `duplicate account code ${account.code}` });
    } else {
      byCode.set(account.code, account);
    }
  });
  const roleHolder = new Map<string, string>();
  accounts.forEach((account, index) => {
    const parentCode = parentCodeOf(account.code);
    if (parentCode !== undefined) {
      const parent = byCode.get(parentCode);
      if (parent === undefined) {
        issues.push({ index, field: ["code"], message: `parent account ${parentCode} of ${account.code} does not exist` });
      } else if (parent.category !== account.category) {
        issues.push({
          index,
          field: ["category"],
          message: `sub-account ${account.code} is ${account.category} but its parent ${parentCode} is ${parent.category}`,
        });
      }
    }
    account.roles.forEach((role, roleIndex) => {
      const holder = roleHolder.get(role);
      if (holder === undefined) {
        roleHolder.set(role, account.code);
      } else {
        issues.push({
          index,
          field: ["roles", roleIndex],
          message:
            holder === account.code
              ? `role ${role} is listed twice on account ${account.code}`
              : `role ${role} is already held by account ${holder}`,
        });
      }
    });
  });
  return issues;
};

/**
 * A chart of accounts (会计科目表) as written in configuration. Besides the shape of each account,
 * it checks, naming the field at fault (e.g. `accounts.12.code`): codes are unique; the parent of
 * every sub-account exists; a sub-account has its parent's category; a role is held by one
 * account only.
 */
export const ChartSchema = z
  .object({
    /** Identifier of the chart, e.g. `cas-2006`. */
    id: z.string().min(1),
    /** Display name, e.g. `企业会计准则科目表`. */
    name: z.string().min(1),
    /** The standard it follows. */
    standard: ChartStandardSchema,
    /** Every account, first-level and sub-accounts, in any order. */
    accounts: z.array(AccountSchema),
  })
  .superRefine((chart, ctx) => {
    for (const issue of accountListIssues(chart.accounts)) {
      ctx.addIssue({ code: "custom", path: ["accounts", issue.index, ...issue.field], message: issue.message });
    }
  });
/** A parsed {@link ChartSchema}. */
export type Chart = z.output<typeof ChartSchema>;
/** A chart as written in configuration (defaults not yet applied). */
export type ChartInput = z.input<typeof ChartSchema>;

/** An account of a loaded {@link ChartOfAccounts}, with its defaults resolved. Frozen. */
export interface ChartAccount {
  /** 科目编码, e.g. `2221.01.01`. */
  readonly code: string;
  /** 科目名称 of this level, e.g. `进项税额`. */
  readonly name: string;
  /** English name. */
  readonly nameEn: string;
  /** 余额方向. */
  readonly direction: BalanceDirection;
  /** 科目类别. */
  readonly category: AccountCategory;
  /** 辅助核算 dimensions. */
  readonly auxiliaries: ReadonlyArray<AuxiliaryKind>;
  /** Roles held. */
  readonly roles: ReadonlyArray<AccountRole>;
  /** Declared or default postability (true exactly for leaves unless declared); see {@link ChartOfAccounts.isPostable}. */
  readonly postable: boolean;
  /** 停用. */
  readonly disabled: boolean;
}

/**
 * A loaded, validated chart of accounts (会计科目表). Immutable: extending it with
 * {@link extendChart} yields a new chart.
 */
export interface ChartOfAccounts {
  /** Identifier of the chart. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The standard it follows. */
  readonly standard: ChartStandard;
  /** The account with this code, or undefined. */
  account(code: string): ChartAccount | undefined;
  /** Every account, sorted by code (a parent right before its sub-accounts). */
  accounts(): ReadonlyArray<ChartAccount>;
  /** The account holding `role`, or undefined when no account of this chart holds it. */
  byRole(role: AccountRole): ChartAccount | undefined;
  /**
   * Whether a voucher line may post to `code`: the account exists, is not disabled, and is
   * postable (declared so, or by default because it has no sub-accounts).
   */
  isPostable(code: string): boolean;
  /** The level of a code: 1 for `2221`, 2 for `2221.01`, 3 for `2221.01.01`. Read from the code itself. */
  level(code: string): number;
  /** The direct sub-accounts of `code`, sorted by code; empty for a leaf or an unknown code. */
  children(code: string): ReadonlyArray<ChartAccount>;
  /** The parent account of `code`, or undefined for a first-level or unknown code. */
  parent(code: string): ChartAccount | undefined;
  /** The full name from the first level down, joined by `—`, e.g. `应交税费—应交增值税—进项税额`; undefined for an unknown code. */
  fullName(code: string): string | undefined;
  /** The chart as configuration (a fresh copy), which {@link loadChart} reads back into an equal chart. */
  toDefinition(): Chart;
}

const byCodeOrder = (a: { readonly code: string }, b: { readonly code: string }): number =>
  a.code < b.code ? -1 : a.code > b.code ? 1 : 0;

const copyAccount = (account: Account): Account => ({
  ...account,
  auxiliaries: [...account.auxiliaries],
  roles: [...account.roles],
});

/** Builds the immutable chart from a definition already validated by {@link ChartSchema}'s checks. */
const buildChart = (definition: Chart): ChartOfAccounts => {
  const declared = Object.freeze(definition.accounts.map(copyAccount).sort(byCodeOrder));
  const childCodes = new Map<string, string[]>();
  for (const account of declared) {
    const parentCode = parentCodeOf(account.code);
    if (parentCode !== undefined) {
      const siblings = childCodes.get(parentCode) ?? [];
      siblings.push(account.code);
      childCodes.set(parentCode, siblings);
    }
  }
  const byCode = new Map<string, ChartAccount>();
  const byRole = new Map<string, ChartAccount>();
  const sorted = declared.map((account): ChartAccount => {
    const resolved: ChartAccount = Object.freeze({
      code: account.code,
      name: account.name,
      nameEn: account.nameEn,
      direction: account.direction,
      category: account.category,
      auxiliaries: Object.freeze([...account.auxiliaries]),
      roles: Object.freeze([...account.roles]),
      postable: account.postable ?? !childCodes.has(account.code),
      disabled: account.disabled ?? false,
    });
    byCode.set(resolved.code, resolved);
    for (const role of resolved.roles) byRole.set(role, resolved);
    return resolved;
  });
  const all = Object.freeze(sorted);
  const children = new Map<string, ReadonlyArray<ChartAccount>>();
  for (const [code, codes] of childCodes) {
    children.set(code, Object.freeze(codes.map((c) => byCode.get(c)).filter((a): a is ChartAccount => a !== undefined)));
  }
  const none: ReadonlyArray<ChartAccount> = Object.freeze([]);
  const { id, name, standard } = definition;

  const chart: ChartOfAccounts = {
    id,
    name,
    standard,
    account: (code) => byCode.get(code),
    accounts: () => all,
    byRole: (role) => byRole.get(role),
    isPostable: (code) => {
      const account = byCode.get(code);
      return account !== undefined && account.postable && !account.disabled;
    },
    level: (code) => code.split(".").length,
    children: (code) => children.get(code) ?? none,
    parent: (code) => {
      const parentCode = parentCodeOf(code);
      return parentCode === undefined || !byCode.has(code) ? undefined : byCode.get(parentCode);
    },
    fullName: (code) => {
      if (!byCode.has(code)) return undefined;
      const names: string[] = [];
      for (let c: string | undefined = code; c !== undefined; c = parentCodeOf(c)) {
        const account = byCode.get(c);
        if (account !== undefined) names.unshift(account.name);
      }
      return names.join("—");
    },
    toDefinition: () => ({ id, name, standard, accounts: declared.map(copyAccount) }),
  };
  return Object.freeze(chart);
};

/**
 * Reads and validates a chart of accounts (see {@link ChartSchema}). A malformed chart becomes an
 * `InvalidInput` (subject `chart of accounts`) naming every field at fault; nothing throws.
 */
export const loadChart = (input: unknown): Result.Result<ChartOfAccounts, InvalidInput> =>
  Result.map(parseInput(ChartSchema, input, "chart of accounts"), buildChart);

/** How {@link extendChart} treats accounts whose code the chart already has. */
export interface ExtendChartOptions {
  /** Replace an existing account of the same code instead of refusing it as a duplicate. Default false. */
  readonly replace?: boolean;
}

const ExtensionSchema = z.object({ accounts: z.array(AccountSchema) });

/**
 * Adds accounts to a chart (e.g. `6601.01 佣金` under `6601 销售费用`) and re-validates the whole,
 * returning a new chart; the given chart is unchanged. An account whose code the chart already has
 * is refused, unless `replace` is set, in which case it overrides the existing account.
 *
 * Issues name the extension's field as `accounts.<i>.<field>` (e.g. an orphan `1234.01` at
 * `accounts.0.code`), or an existing account made invalid by the extension as
 * `chart.accounts.<j>.<field>`, `j` its index in {@link ChartOfAccounts.accounts}.
 * Adding a sub-account makes its parent non-postable unless the parent declared `postable: true`.
 */
export const extendChart = (
  chart: ChartOfAccounts,
  accounts: ReadonlyArray<AccountInput>,
  options: ExtendChartOptions = {},
): Result.Result<ChartOfAccounts, InvalidInput> => {
  const subject = "chart extension";
  const parsed = parseInput(ExtensionSchema, { accounts }, subject);
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const definition = chart.toDefinition();
  const merged = [...definition.accounts];
  const origin: string[] = merged.map((_, j) => `chart.accounts.${j}`);
  const existing = new Map(merged.map((account, j) => [account.code, j] as const));
  const issues: FieldIssue[] = [];
  parsed.success.accounts.forEach((account, i) => {
    const at = existing.get(account.code);
    if (at === undefined) {
      merged.push(account);
      origin.push(`accounts.${i}`);
    } else if (options.replace === true) {
      merged[at] = account;
      origin[at] = `accounts.${i}`;
    } else {
      issues.push({
        path: `accounts.${i}.code`,
        message: `account ${account.code} already exists in chart ${chart.id}; pass { replace: true } to override it`,
      });
    }
  });
  for (const issue of accountListIssues(merged)) {
    issues.push({ path: [origin[issue.index] ?? `accounts.${issue.index}`, ...issue.field].join("."), message: issue.message });
  }
  if (issues.length > 0) {
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return Result.fail(new InvalidInput({ subject, issues, message: `invalid ${subject}: ${summary}` }));
  }
  return Result.succeed(buildChart({ ...definition, accounts: merged }));
};
