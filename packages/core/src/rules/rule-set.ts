import { Result } from "effect";
import { z } from "zod";
import { InvalidInput, type FieldIssue } from "../errors.js";
import { stableStringify } from "../stable-json.js";
import { parseInput } from "../validation.js";
import type { Expr } from "./ast.js";
import { checkCondition, compileCondition, type CheckedCondition } from "./check.js";
import { sha256Hex } from "./content-hash.js";
import { runPlan, type ConditionEvaluation, type TraceValue } from "./evaluate.js";
import { explainPlanTrace, planOf, Stop } from "./evaluation-plan.js";
import { factReader, factValueSchema, factValueToWire, FactSchemaSchema, FactTypeSchema, preparedFacts, readFactsWith, type FactReader, type FactSchema, type FactType, type FactValue } from "./fact-schema.js";
import { formatCondition } from "./format.js";
import { RuleEvaluationError, RuleSyntaxError, RuleTypeError } from "./rule-errors.js";

/** A parameter value on the wire: decimals and dates as strings, integers as numbers or strings. */
export type ParamWire = string | number | boolean | ReadonlyArray<string>;

/** An action rules can name, with its typed parameters (declared like facts). */
export interface ActionDefinition {
  readonly description?: string;
  /** Parameter name → type; every rule naming the action gives every parameter. */
  readonly params: Readonly<Record<string, FactType>>;
}

/** One rule as data. */
export interface RuleDefinition {
  /** Unique within the rule set. */
  readonly id: string;
  readonly description: string;
  /** Higher first; rules of equal priority keep their order in the set. */
  readonly priority: number;
  /** Rule text (`forecast.next7d > stock.onHand * 1.5`) or its JSON AST; kept as given. */
  readonly condition: string | Expr;
  /** The action to take when the condition holds, declared in {@link RuleSetDefinition.actions}. */
  readonly action: string;
  /** The action's parameters, as wire values. */
  readonly params: Readonly<Record<string, ParamWire>>;
}

/** How a rule set picks rules: the first that matches (by priority), or every one that matches. */
export type RuleSetMode = "first-match" | "all-matches";

/** A rule set as stored: JSON data, versioned, with a content hash. */
export interface RuleSetDefinition {
  readonly id: string;
  /** Version number, 1 and up; bump it when the content changes. */
  readonly version: number;
  /** SHA-256 of the content (everything but `version` and `hash`); checked on load when present. */
  readonly hash?: string;
  readonly description?: string;
  readonly mode: RuleSetMode;
  readonly facts: FactSchema;
  readonly actions: Readonly<Record<string, ActionDefinition>>;
  readonly rules: ReadonlyArray<RuleDefinition>;
}

const ParamWireSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** The zod schema of a {@link RuleDefinition} (the condition's own shape is checked when the set is loaded). */
export const RuleDefinitionSchema = z.strictObject({
  id: z.string().min(1),
  description: z.string(),
  priority: z.number().int(),
  // The AST's own shape is checked (with paths) when the set is loaded; here it is any object, so
  // that the schema converts to JSON Schema (z.toJSONSchema) as it is.
  condition: z.union([z.string(), z.record(z.string(), z.unknown())], { error: "must be rule text or a rule AST (an object)" }),
  action: z.string().min(1),
  params: z.record(z.string(), ParamWireSchema),
});

/** The zod schema of a {@link RuleSetDefinition}. */
export const RuleSetDefinitionSchema = z.strictObject({
  id: z.string().min(1),
  version: z.number().int().min(1),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits")
    .optional(),
  description: z.string().optional(),
  mode: z.enum(["first-match", "all-matches"]),
  facts: FactSchemaSchema,
  actions: z.record(z.string().min(1), z.strictObject({ description: z.string().optional(), params: z.record(z.string().min(1), FactTypeSchema) })),
  rules: z.array(RuleDefinitionSchema),
});

/** A rule ready to run. */
export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly priority: number;
  readonly action: string;
  /** The action's parameters, read with their declared types. */
  readonly params: Readonly<Record<string, FactValue>>;
  readonly condition: CheckedCondition;
  /** The rule as stored. */
  readonly definition: RuleDefinition;
}

/** Identity of one version of a rule set. */
export interface RuleSetVersion {
  readonly id: string;
  readonly version: number;
  readonly hash: string;
}

/** A loaded rule set: its stored form, and its rules compiled in evaluation order. */
export interface RuleSet extends RuleSetVersion {
  readonly mode: RuleSetMode;
  /** The stored form, with `hash` filled in. */
  readonly definition: RuleSetDefinition;
  /** By priority, highest first; equal priorities in stored order. */
  readonly rules: ReadonlyArray<CompiledRule>;
  /** The zod readers of every fact any rule reads, built once. */
  readonly reader: FactReader;
}

/** The content hash of a rule set: SHA-256 (hex) of its canonical JSON without `version` and `hash`. */
export const ruleSetHash = (definition: RuleSetDefinition): string => {
  const { version: _version, hash: _hash, ...content } = definition;
  return sha256Hex(stableStringify(content));
};

const invalid = (issues: FieldIssue[]): InvalidInput =>
  new InvalidInput({ subject: "rule set", issues, message: `invalid rule set: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}` });

/**
 * Loads a rule set from JSON data: validates its shape with zod, parses and type-checks every
 * condition against the declared facts, checks that every rule names a declared action with
 * exactly its parameters (typed), that rule ids are unique, and that a stored `hash` matches
 * the content. Refused with {@link InvalidInput}, {@link RuleSyntaxError} or {@link RuleTypeError}
 * (the last two name the rule).
 */
export const loadRuleSet = (input: unknown): Result.Result<RuleSet, InvalidInput | RuleSyntaxError | RuleTypeError> => {
  const parsed = parseInput(RuleSetDefinitionSchema, input, "rule set");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const raw = parsed.success as RuleSetDefinition;
  const hash = ruleSetHash(raw);
  if (raw.hash !== undefined && raw.hash !== hash) return Result.fail(invalid([{ path: "hash", message: `does not match the content (expected ${hash})` }]));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const compiled: Array<CompiledRule & { readonly position: number }> = [];
  for (const [position, rule] of raw.rules.entries()) {
    const at = `rules.${position}`;
    if (seen.has(rule.id)) issues.push({ path: `${at}.id`, message: `duplicate rule id ${rule.id}` });
    seen.add(rule.id);
    const action = Object.prototype.hasOwnProperty.call(raw.actions, rule.action) ? raw.actions[rule.action] : undefined;
    const params: Record<string, FactValue> = {};
    if (action === undefined) {
      issues.push({ path: `${at}.action`, message: `unknown action ${rule.action}; declared: ${Object.keys(raw.actions).join(", ") || "none"}` });
    } else {
      for (const [name, type] of Object.entries(action.params)) {
        if (!Object.prototype.hasOwnProperty.call(rule.params, name)) {
          issues.push({ path: `${at}.params.${name}`, message: `missing parameter of ${rule.action}` });
          continue;
        }
        const value = factValueSchema(type).safeParse(rule.params[name]);
        if (value.success) params[name] = value.data;
        else issues.push({ path: `${at}.params.${name}`, message: value.error.issues.map((i) => i.message).join("; ") });
      }
      for (const name of Object.keys(rule.params)) {
        if (!Object.prototype.hasOwnProperty.call(action.params, name)) issues.push({ path: `${at}.params.${name}`, message: `${rule.action} has no parameter ${name}` });
      }
    }
    const checked = typeof rule.condition === "string" ? compileCondition(rule.condition, raw.facts) : checkCondition(rule.condition, raw.facts);
    if (Result.isFailure(checked)) {
      const failure = checked.failure;
      if (failure._tag === "InvalidInput") {
        issues.push(...failure.issues.map((i) => ({ path: i.path ? `${at}.condition.${i.path}` : `${at}.condition`, message: i.message })));
        continue;
      }
      return Result.fail(
        failure._tag === "RuleSyntaxError"
          ? new RuleSyntaxError({ span: failure.span, line: failure.line, column: failure.column, rule: rule.id, message: `rule ${rule.id}: ${failure.message}` })
          : new RuleTypeError({ issues: failure.issues, rule: rule.id, message: `rule ${rule.id}: ${failure.message}` }),
      );
    }
    compiled.push({ id: rule.id, description: rule.description, priority: rule.priority, action: rule.action, params, condition: checked.success, definition: rule, position });
  }
  if (issues.length > 0) return Result.fail(invalid(issues));
  const rules = [...compiled].sort((a, b) => b.priority - a.priority || a.position - b.position).map(({ position: _position, ...rule }) => rule);
  // The stored form is the input itself (validated above), so that key order survives too.
  const stored = JSON.parse(JSON.stringify(input)) as RuleSetDefinition;
  return Result.succeed({ id: raw.id, version: raw.version, hash, mode: raw.mode, definition: { ...stored, hash }, rules, reader: factReader(raw.facts, rules.flatMap((r) => r.condition.reads)) });
};

/** The stored form of a loaded rule set (with its hash), ready for `JSON.stringify`. */
export const ruleSetToJson = (set: RuleSet): RuleSetDefinition => set.definition;

/** How one rule fared in an evaluation. */
export interface RuleOutcome {
  readonly rule: string;
  readonly matched: boolean;
  readonly evaluation: ConditionEvaluation;
  /** The trace as one line, e.g. `forecast.next7d (120) > (stock.onHand (70) * 1.5 → 105) → true`. */
  readonly explanation: string;
}

/** A rule whose condition held: the action to take, with its parameters and why. */
export interface FiredRule extends RuleOutcome {
  readonly description: string;
  readonly priority: number;
  readonly action: string;
  readonly params: Readonly<Record<string, FactValue>>;
}

/** The result of running a rule set over facts. */
export interface RuleSetEvaluation {
  readonly ruleSet: RuleSetVersion;
  readonly mode: RuleSetMode;
  /** Rules that fired, in evaluation order (at most one under `first-match`). */
  readonly fired: ReadonlyArray<FiredRule>;
  /** Every rule evaluated, in order, matched or not. */
  readonly outcomes: ReadonlyArray<RuleOutcome>;
  /** Every fact any rule reads, with the value given. */
  readonly facts: Readonly<Record<string, TraceValue>>;
}

/**
 * Runs a rule set over facts: reads (and validates) every fact its rules read, then evaluates the
 * rules by priority — stopping at the first that holds under `first-match`, all of them under
 * `all-matches`. A missing or ill-typed fact is an {@link InvalidInput} naming it; a rule that
 * divides by zero is a {@link RuleEvaluationError} naming the rule.
 */
export const evaluateRuleSet = (set: RuleSet, facts: unknown): Result.Result<RuleSetEvaluation, InvalidInput | RuleEvaluationError> => {
  const read = readFactsWith(set.reader, facts);
  if (Result.isFailure(read)) return Result.fail(read.failure);
  // Every fact's wire value, rendered once: the result's facts, and the trace values of decimal facts.
  const factValues: Record<string, TraceValue> = {};
  for (const name of preparedFacts(set.reader).names) factValues[name] = factValueToWire(read.success[name]!);
  const input = { facts: read.success, wire: factValues };
  const fired: FiredRule[] = [];
  const outcomes: RuleOutcome[] = [];
  for (const rule of set.rules) {
    const plan = planOf(rule.condition);
    let evaluation: ConditionEvaluation;
    try {
      evaluation = runPlan(plan, rule.condition.reads, input);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      return Result.fail(new RuleEvaluationError({ problem: e.problem, path: e.path, rule: rule.id, message: `rule ${rule.id}: ${e.message}` }));
    }
    const explanation = explainPlanTrace(plan, evaluation.trace);
    const outcome: RuleOutcome = { rule: rule.id, matched: evaluation.value, evaluation, explanation };
    outcomes.push(outcome);
    if (evaluation.value) {
      fired.push({
        rule: rule.id,
        matched: evaluation.value,
        evaluation,
        explanation,
        description: rule.description,
        priority: rule.priority,
        action: rule.action,
        params: rule.params,
      });
      if (set.mode === "first-match") break;
    }
  }
  return Result.succeed({ ruleSet: { id: set.id, version: set.version, hash: set.hash }, mode: set.mode, fired, outcomes, facts: factValues });
};

/** One field that differs between two versions; values as text (`null` when absent). */
export interface FieldChange {
  /** e.g. `condition`, `priority`, `params.qty`, `facts.stock.onHand`, `mode`. */
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** A rule present in both versions whose content differs. */
export interface RuleChange {
  readonly rule: string;
  readonly changes: ReadonlyArray<FieldChange>;
}

/** What changed between two versions of a rule set. */
export interface RuleSetDiff {
  readonly from: RuleSetVersion;
  readonly to: RuleSetVersion;
  /** Changes outside the rules: description, mode, declared facts and actions. */
  readonly settings: ReadonlyArray<FieldChange>;
  readonly added: ReadonlyArray<RuleDefinition>;
  readonly removed: ReadonlyArray<RuleDefinition>;
  readonly changed: ReadonlyArray<RuleChange>;
}

const text = (value: unknown): string | null => (value === undefined ? null : typeof value === "string" ? value : stableStringify(value));

const compareRecords = (prefix: string, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, out: FieldChange[]): void => {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const b = Object.prototype.hasOwnProperty.call(before, key) ? text(before[key]) : null;
    const a = Object.prototype.hasOwnProperty.call(after, key) ? text(after[key]) : null;
    if (a !== b) out.push({ field: `${prefix}${key}`, before: b, after: a });
  }
};

/**
 * Compares two versions of a rule set: rules added and removed (by id), and for rules in both,
 * each field that changed — `description`, `priority`, `condition` (compared as canonical text,
 * so rule text and its AST are the same condition), `action`, `params.<name>` — plus changes to
 * the description, mode, declared facts and actions.
 */
export const diffRuleSets = (before: RuleSet, after: RuleSet): RuleSetDiff => {
  const settings: FieldChange[] = [];
  compareRecords("", { description: before.definition.description, mode: before.mode }, { description: after.definition.description, mode: after.mode }, settings);
  compareRecords("facts.", before.definition.facts, after.definition.facts, settings);
  compareRecords("actions.", before.definition.actions, after.definition.actions, settings);
  const oldRules = new Map(before.rules.map((r) => [r.id, r]));
  const newRules = new Map(after.rules.map((r) => [r.id, r]));
  const added = after.definition.rules.filter((r) => !oldRules.has(r.id));
  const removed = before.definition.rules.filter((r) => !newRules.has(r.id));
  const changed: RuleChange[] = [];
  for (const rule of after.definition.rules) {
    const old = oldRules.get(rule.id);
    const now = newRules.get(rule.id)!;
    if (old === undefined) continue;
    const changes: FieldChange[] = [];
    const field = (name: string, b: unknown, a: unknown) => {
      if (text(b) !== text(a)) changes.push({ field: name, before: text(b), after: text(a) });
    };
    field("description", old.description, now.description);
    field("priority", old.priority, now.priority);
    field("condition", formatCondition(old.condition.condition), formatCondition(now.condition.condition));
    field("action", old.action, now.action);
    compareRecords("params.", old.definition.params, now.definition.params, changes);
    if (changes.length > 0) changed.push({ rule: rule.id, changes });
  }
  return {
    from: { id: before.id, version: before.version, hash: before.hash },
    to: { id: after.id, version: after.version, hash: after.hash },
    settings,
    added,
    removed,
    changed,
  };
};
