import { Result } from "effect";
import { z } from "zod";
import { InvalidInput, parseInput } from "@jxc/core";
import { type AmountFormula, AmountExpression, BASE_AMOUNTS, addFormulas, formatFormula, parseAmount } from "./amount.js";
import type { ChartOfAccounts } from "./chart.js";
import { AccountError, UnbalancedTemplate } from "./errors.js";
import { EventTypeSchema } from "./event.js";

/** An account named directly by code, or by a role the chart resolves (so one template serves CAS and 小企业). */
export const AccountNameSchema = z.union([
  z.object({ code: z.string().regex(/^\d{4}(\.\d{2})*$/, { message: "must be an account code such as 2221.01.01" }) }),
  z.object({ role: z.string().min(1) }),
]);
/** A parsed {@link AccountNameSchema}. */
export type AccountName = z.output<typeof AccountNameSchema>;

/** Where a template line posts: an account, or a mapping by item category, warehouse or counterparty type. */
export const AccountRefSchema = z.union([
  AccountNameSchema,
  z.object({
    mapping: z.object({
      by: z.enum(["category", "warehouse", "counterpartyType"]),
      map: z.record(z.string(), AccountNameSchema),
      default: AccountNameSchema,
    }),
  }),
]);
/** A parsed {@link AccountRefSchema}. */
export type AccountRef = z.output<typeof AccountRefSchema>;

/** Auxiliary dimensions (辅助核算) a line carries, filled from the event. */
export const AuxiliarySchema = z.enum(["customer", "supplier", "warehouse", "project", "department", "item"]);

/** One line of a template: account, side, amount expression. */
export const TemplateLineSchema = z.object({
  /** A key by which a document may override the account (unless `locked`). */
  key: z.string().min(1).optional(),
  account: AccountRefSchema,
  side: z.enum(["debit", "credit"]),
  /** `net`, `tax`, `gross`, `cost`, `fee`, `amount`, `gain`, `loss`, combined with + and −. */
  amount: AmountExpression,
  /** The voucher this line belongs to (revenue and cost carry-over may be separate vouchers). */
  voucher: z.string().min(1).default("main"),
  /** The account mapping cannot be overridden by a document. */
  locked: z.boolean().default(false),
  auxiliaries: z.array(AuxiliarySchema).default([]),
  summary: z.string().max(200).optional(),
});

/** Conditions under which a template applies (all given must hold); the most specific fitting template wins. */
export const TemplateConditionSchema = z.object({
  taxpayer: z.enum(["general", "small-scale"]).optional(),
  standard: z.enum(["CAS", "small-enterprise"]).optional(),
  exportRebate: z.boolean().optional(),
});

/** A voucher template (凭证模板) for one event type. */
export const TemplateSchema = z.object({
  id: z.string().min(1),
  event: EventTypeSchema,
  description: z.string().optional(),
  when: TemplateConditionSchema.default({}),
  /** −1: red-letter (红字): the amounts are negated on the same sides. */
  sign: z.union([z.literal(1), z.literal(-1)]).default(1),
  /** No lines: the event produces no voucher (a transfer inside one entity). */
  lines: z.array(TemplateLineSchema),
});
/** A parsed template. */
export type Template = z.output<typeof TemplateSchema>;
/** A template as written in JSON. */
export type TemplateInput = z.input<typeof TemplateSchema>;

/** A template set as written in JSON. */
export const TemplateSetSchema = z.object({
  id: z.string().min(1),
  templates: z.array(TemplateSchema).min(1),
});
/** A template set as written in JSON. */
export type TemplateSetInput = z.input<typeof TemplateSetSchema>;

/** A template line ready to evaluate: its amount expression parsed. */
export interface CompiledLine extends Omit<z.output<typeof TemplateLineSchema>, "amount"> {
  readonly amount: string;
  readonly formula: AmountFormula;
  /** The account code when it does not depend on the event (a code or a role), resolved at load. */
  readonly code?: string | undefined;
  /** The formula as integer factors of the base amounts, in the order of {@link BASE_AMOUNTS} (compiled at load). */
  readonly factors: ReadonlyArray<number>;
  /** The accounts of an account mapping, resolved at load against the chart of the set (absent when the line is not mapped). */
  readonly mapped?: CompiledMapping | undefined;
}

/** An account mapping resolved at load: the code per mapped value, and the code of the default. */
export interface CompiledMapping {
  /** What the mapping is keyed by. */
  readonly by: "category" | "warehouse" | "counterpartyType";
  /** Code per mapped value (own keys of the mapping only). */
  readonly codes: ReadonlyMap<string, string>;
  /** Code of the default account. */
  readonly fallback: string;
}

/** A checked template. */
export interface CompiledTemplate extends Omit<Template, "lines"> {
  readonly lines: ReadonlyArray<CompiledLine>;
}

/** A template set that passed every check when it was loaded. */
export interface TemplateSet {
  readonly id: string;
  readonly templates: ReadonlyArray<CompiledTemplate>;
  /** The chart the set was loaded (and its mappings resolved) for. */
  readonly chart?: ChartOfAccounts | undefined;
}

/**
 * Loads a template set for a chart: validates its shape, keeps the templates of the chart's
 * accounting standard, parses every amount expression, checks that every
 * account (or role, or mapped account) exists and is postable in `chart`, and refuses a template
 * whose debits and credits cannot be equal for every amount — per voucher, symbolically: the
 * debit formulas must add up to the credit formulas (`gross` = `net` + `tax`).
 */
export const loadTemplates = (
  input: unknown,
  chart: ChartOfAccounts,
): Result.Result<TemplateSet, InvalidInput | AccountError | UnbalancedTemplate> => {
  const parsed = parseInput(TemplateSetSchema, input, "template set");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const set = parsed.success;
  const ids = new Set<string>();
  const templates: CompiledTemplate[] = [];
  for (const [t, template] of set.templates.entries()) {
    // A template for another accounting standard is not checked against this chart, nor kept.
    if (template.when.standard !== undefined && template.when.standard !== chart.standard) continue;
    if (ids.has(template.id))
      return Result.fail(new InvalidInput({ subject: "template set", issues: [{ path: `templates.${t}.id`, message: `template ${template.id} is defined twice` }], message: `templates.${t}.id: template ${template.id} is defined twice` }));
    ids.add(template.id);
    const lines: CompiledLine[] = [];
    for (const [l, line] of template.lines.entries()) {
      const path = `templates.${t}.lines.${l}`;
      const formula = parseAmount(line.amount, `${path}.amount`);
      if (Result.isFailure(formula)) return Result.fail(formula.failure);
      const accountCheck = checkAccountRef(line.account, chart, `${path}.account`);
      if (accountCheck) return Result.fail(accountCheck);
      const code = "mapping" in line.account ? undefined : resolveAccountName(line.account, chart, `${path}.account`);
      lines.push({
        ...line,
        formula: formula.success,
        code: typeof code === "string" ? code : undefined,
        factors: BASE_AMOUNTS.map((name) => formula.success[name] ?? 0),
        mapped: "mapping" in line.account ? compileMapping(line.account.mapping, chart) : undefined,
      });
    }
    const groups = new Map<string, { formula: AmountFormula; sign: 1 | -1 }[]>();
    for (const line of lines) {
      const terms = groups.get(line.voucher) ?? [];
      terms.push({ formula: line.formula, sign: line.side === "debit" ? 1 : -1 });
      groups.set(line.voucher, terms);
    }
    for (const [voucher, terms] of groups) {
      const difference = addFormulas(terms);
      if (Object.keys(difference).length > 0)
        return Result.fail(
          new UnbalancedTemplate({
            template: template.id,
            voucher,
            difference: formatFormula(difference),
            message: `template ${template.id} (voucher ${voucher}) cannot balance: debit − credit = ${formatFormula(difference)}`,
          }),
        );
    }
    templates.push({ ...template, lines });
  }
  return Result.succeed({ id: set.id, templates, chart });
};

/** Resolves the accounts of a mapping that passed {@link checkAccountRef} (so every name resolves). */
const compileMapping = (mapping: Extract<AccountRef, { mapping: unknown }>["mapping"], chart: ChartOfAccounts): CompiledMapping | undefined => {
  const codes = new Map<string, string>();
  for (const [value, name] of Object.entries(mapping.map)) {
    const code = resolveAccountName(name, chart, "");
    if (typeof code !== "string") return undefined;
    codes.set(value, code);
  }
  const fallback = resolveAccountName(mapping.default, chart, "");
  return typeof fallback === "string" ? { by: mapping.by, codes, fallback } : undefined;
};

const checkAccountRef = (ref: AccountRef, chart: ChartOfAccounts, path: string): AccountError | undefined => {
  if ("mapping" in ref) {
    for (const [key, name] of Object.entries(ref.mapping.map)) {
      const e = checkAccountName(name, chart, `${path}.mapping.map.${key}`);
      if (e) return e;
    }
    return checkAccountName(ref.mapping.default, chart, `${path}.mapping.default`);
  }
  return checkAccountName(ref, chart, path);
};

/** Resolves an account name to a postable code of the chart, or the error naming `path`. */
export const resolveAccountName = (name: AccountName, chart: ChartOfAccounts, path: string): string | AccountError => {
  const code = "code" in name ? name.code : chart.byRole(name.role)?.code;
  const label = "code" in name ? name.code : `role ${name.role}`;
  if (code === undefined) return new AccountError({ account: label, path, message: `${path}: the chart ${chart.id} has no account with ${label}` });
  if (!chart.account(code)) return new AccountError({ account: label, path, message: `${path}: the chart ${chart.id} has no account ${code}` });
  if (!chart.isPostable(code)) return new AccountError({ account: label, path, message: `${path}: account ${code} has sub-accounts and cannot be posted to` });
  return code;
};

const checkAccountName = (name: AccountName, chart: ChartOfAccounts, path: string): AccountError | undefined => {
  const r = resolveAccountName(name, chart, path);
  return typeof r === "string" ? undefined : r;
};

/**
 * Chooses the template for an event type and an entity: among the templates whose conditions
 * all hold, the one with the most conditions. None, or a tie, is a failure naming the candidates.
 */
export const selectTemplate = (
  set: TemplateSet,
  event: string,
  entity: { taxpayer: string; standard: string; exportRebate: boolean },
): CompiledTemplate | { none: true; candidates: string[] } => {
  const fitting = set.templates.filter(
    (t) =>
      t.event === event &&
      (t.when.taxpayer === undefined || t.when.taxpayer === entity.taxpayer) &&
      (t.when.standard === undefined || t.when.standard === entity.standard) &&
      (t.when.exportRebate === undefined || t.when.exportRebate === entity.exportRebate),
  );
  const specificity = (t: CompiledTemplate) => Object.values(t.when).filter((v) => v !== undefined).length;
  const best = Math.max(-1, ...fitting.map(specificity));
  const top = fitting.filter((t) => specificity(t) === best);
  if (top.length === 1) return top[0]!;
  return { none: true, candidates: top.map((t) => t.id) };
};
