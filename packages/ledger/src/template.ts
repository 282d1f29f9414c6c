import { Result } from "effect";
import { z } from "zod";
import {
  type CheckedCondition,
  type FactSchema,
  type FactValue,
  InvalidInput,
  RuleEvaluationError,
  RuleSyntaxError,
  RuleTypeError,
  type TraceValue,
  checkCondition,
  compileCondition,
  evaluateWithFacts,
  explainTrace,
  formatCondition,
  parseInput,
} from "@jxc/core";
import { type AmountFormula, AmountExpression, BASE_AMOUNTS, addFormulas, formatFormula, parseAmount } from "./amount.js";
import type { ChartOfAccounts } from "./chart.js";
import { AccountError, UnbalancedTemplate } from "./errors.js";
import { EVENT_TYPES, EventTypeSchema } from "./event.js";

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

/**
 * Conditions under which a template applies (all given must hold); the most specific fitting
 * template wins. `rule` is a condition in the rule language of `@jxc/core` over
 * {@link TEMPLATE_FACTS} (text such as `entity.taxpayer = "small-scale" and
 * counterparty.type in ["related-party"]`, or its JSON AST), checked when the set is loaded.
 */
export const TemplateConditionSchema = z.object({
  taxpayer: z.enum(["general", "small-scale"]).optional(),
  standard: z.enum(["CAS", "small-enterprise"]).optional(),
  /** The entity is qualified for 出口退税. */
  exportRebate: z.boolean().optional(),
  /** The event is an export (出口). */
  export: z.boolean().optional(),
  rule: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});
/** A parsed {@link TemplateConditionSchema}. */
export type TemplateCondition = z.output<typeof TemplateConditionSchema>;

/**
 * The facts a template's `when.rule` may read: the entity (核算主体), the event, its counterparty
 * type (`""` when the event names none) and the category of its items (`""` when a line has
 * none). A rule reading `item.*` holds for an event when it holds for every line of it.
 */
export const TEMPLATE_FACTS = {
  "entity.id": "string",
  "entity.taxpayer": { enum: ["general", "small-scale"] },
  "entity.standard": { enum: ["CAS", "small-enterprise"] },
  "entity.exportRebate": "boolean",
  "event.type": { enum: [...EVENT_TYPES] },
  "event.priceIncludesTax": "boolean",
  "event.export": "boolean",
  "counterparty.type": "string",
  "item.category": "string",
} as const satisfies FactSchema;

/** A voucher template (凭证模板) for one event type. */
export const TemplateSchema = z.object({
  id: z.string().min(1),
  event: EventTypeSchema,
  description: z.string().optional(),
  /** The field conditions, or rule text alone (shorthand for `{ rule: text }`). */
  when: z.union([z.string().min(1).transform((rule): TemplateCondition => ({ rule })), TemplateConditionSchema]).default({}),
  /** Among fitting templates the highest priority wins, then the most specific (default 0). */
  priority: z.number().int().default(0),
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
  /** The checked `when.rule`, when there is one. */
  readonly rule?: CheckedCondition | undefined;
  /** How specific the conditions are: the field conditions given plus the facts the rule reads. */
  readonly specificity: number;
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
): Result.Result<TemplateSet, InvalidInput | AccountError | UnbalancedTemplate | RuleSyntaxError | RuleTypeError> => {
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
    const rule = checkRule(template.when.rule, template.id, `templates.${t}.when.rule`);
    if (rule !== undefined && Result.isFailure(rule)) return Result.fail(rule.failure);
    const checked = rule?.success;
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
    const fields = (["taxpayer", "standard", "exportRebate", "export"] as const).filter((k) => template.when[k] !== undefined).length;
    templates.push({ ...template, lines, rule: checked, specificity: fields + (checked?.reads.length ?? 0) });
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

/** Checks a template's rule against {@link TEMPLATE_FACTS}; the error names the template and where its rule is. */
const checkRule = (
  rule: TemplateCondition["rule"],
  template: string,
  path: string,
): Result.Result<CheckedCondition, InvalidInput | RuleSyntaxError | RuleTypeError> | undefined => {
  if (rule === undefined) return undefined;
  const checked = typeof rule === "string" ? compileCondition(rule, TEMPLATE_FACTS) : checkCondition(rule, TEMPLATE_FACTS);
  if (Result.isSuccess(checked)) return checked;
  const e = checked.failure;
  const where = `${path} (template ${template})`;
  if (e._tag === "RuleTypeError") return Result.fail(new RuleTypeError({ issues: e.issues, rule: template, message: `${where}: ${e.message}` }));
  if (e._tag === "RuleSyntaxError") return Result.fail(new RuleSyntaxError({ span: e.span, line: e.line, column: e.column, rule: template, message: `${where}: ${e.message}` }));
  return Result.fail(new InvalidInput({ subject: "template set", issues: e.issues.map((i) => ({ ...i, path: i.path ? `${path}.${i.path}` : path })), message: `${where}: ${e.message}` }));
};

/** The entity qualification template selection reads. */
export interface SelectionEntity {
  readonly id?: string | undefined;
  readonly taxpayer: string;
  readonly standard: string;
  readonly exportRebate: boolean;
}

/** The parts of an event template selection reads (the event type alone, or a whole event). */
export interface SelectionEvent {
  readonly type: string;
  readonly priceIncludesTax?: boolean | undefined;
  /** The event is an export (出口); false when absent. */
  readonly export?: boolean | undefined;
  readonly counterpartyType?: string | undefined;
  readonly lines?: ReadonlyArray<{ readonly category?: string | undefined }> | undefined;
}

/** Why a template was chosen by its rule: the condition, its facts and the evaluation explained. */
export interface SelectionExplanation {
  /** The rule as canonical text. */
  readonly condition: string;
  /** Every fact the rule read, with its value (for a rule reading `item.*`, the facts of the first line). */
  readonly facts: Readonly<Record<string, TraceValue>>;
  /** Each fact with its value and each sub-expression with its result, e.g. `entity.taxpayer ("general") = "general" → true`. */
  readonly explanation: string;
}

/** A chosen template, and the explanation of its rule when it has one. */
export interface TemplateChoice {
  readonly template: CompiledTemplate;
  readonly explanation?: SelectionExplanation | undefined;
}

/**
 * Whether a template's conditions hold for an event and an entity: its field conditions, then its
 * rule evaluated over {@link TEMPLATE_FACTS} (once, or per line when it reads `item.*`). Returns
 * the explanation of the rule when it holds (`true` when there is no rule), `false` when not.
 */
const fits = (t: CompiledTemplate, event: SelectionEvent, entity: SelectionEntity): SelectionExplanation | boolean | RuleEvaluationError => {
  const w = t.when;
  if (w.taxpayer !== undefined && w.taxpayer !== entity.taxpayer) return false;
  if (w.standard !== undefined && w.standard !== entity.standard) return false;
  if (w.exportRebate !== undefined && w.exportRebate !== entity.exportRebate) return false;
  if (w.export !== undefined && w.export !== (event.export ?? false)) return false;
  const rule = t.rule;
  if (rule === undefined) return true;
  const facts: Record<string, FactValue> = {
    "entity.id": entity.id ?? "default",
    "entity.taxpayer": entity.taxpayer,
    "entity.standard": entity.standard,
    "entity.exportRebate": entity.exportRebate,
    "event.type": event.type,
    "event.priceIncludesTax": event.priceIncludesTax ?? false,
    "event.export": event.export ?? false,
    "counterparty.type": event.counterpartyType ?? "",
  };
  const perLine = rule.reads.some((name) => name.startsWith("item."));
  const categories = perLine ? [...new Set((event.lines ?? [{}]).map((l) => l.category ?? ""))] : [""];
  let first: SelectionExplanation | undefined;
  for (const category of categories) {
    facts["item.category"] = category;
    const run = evaluateWithFacts(rule, facts);
    if (Result.isFailure(run)) return new RuleEvaluationError({ problem: run.failure.problem, path: run.failure.path, rule: t.id, message: `template ${t.id}: ${run.failure.message}` });
    if (!run.success.value) return false;
    first ??= { condition: formatCondition(rule.condition), facts: run.success.facts, explanation: explainTrace(run.success.trace, rule.condition) };
  }
  return first ?? true;
};

/**
 * Chooses the template for an event and an entity: among the templates of the event's type whose
 * conditions all hold (field conditions and `when.rule`), the one of highest `priority`, then
 * the most specific (field conditions given plus facts its rule reads). None, or a tie, is
 * `{ none: true, candidates }` naming the tied templates; a rule that cannot be evaluated is a
 * `RuleEvaluationError` naming the template. Both derivation paths choose through this.
 */
export const chooseTemplate = (
  set: TemplateSet,
  event: SelectionEvent,
  entity: SelectionEntity,
): TemplateChoice | { readonly none: true; readonly candidates: string[] } | RuleEvaluationError => {
  // one pass without allocation on the hot path; the tied candidates are listed only on failure
  let chosen: CompiledTemplate | undefined;
  let explanation: SelectionExplanation | undefined;
  let ties: CompiledTemplate[] | undefined;
  let bestPriority = -Infinity;
  let bestSpecificity = -1;
  for (const t of set.templates) {
    if (t.event !== event.type) continue;
    // a template that cannot win is not evaluated
    if (t.priority < bestPriority || (t.priority === bestPriority && t.specificity < bestSpecificity)) continue;
    const fit = fits(t, event, entity);
    if (fit === false) continue;
    if (fit instanceof RuleEvaluationError) return fit;
    if (t.priority > bestPriority || t.specificity > bestSpecificity) {
      bestPriority = t.priority;
      bestSpecificity = t.specificity;
      chosen = t;
      explanation = fit === true ? undefined : fit;
      ties = undefined;
    } else (ties ??= [chosen!]).push(t);
  }
  if (chosen !== undefined && ties === undefined) return explanation === undefined ? { template: chosen } : { template: chosen, explanation };
  return { none: true, candidates: (ties ?? []).map((t) => t.id) };
};

/**
 * Chooses the template for an event type and an entity (see {@link chooseTemplate}): the chosen
 * template, or `{ none: true, candidates }` for none, a tie, or a rule that cannot be evaluated.
 */
export const selectTemplate = (
  set: TemplateSet,
  event: string | SelectionEvent,
  entity: SelectionEntity,
): CompiledTemplate | { none: true; candidates: string[] } => {
  const choice = chooseTemplate(set, typeof event === "string" ? { type: event } : event, entity);
  if (choice instanceof RuleEvaluationError) return { none: true, candidates: [choice.rule ?? ""] };
  return "none" in choice ? { none: true, candidates: choice.candidates } : choice.template;
};
