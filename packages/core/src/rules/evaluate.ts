import { Result } from "effect";
import type { InvalidInput } from "../errors.js";
import { childPath, type Expr } from "./ast.js";
import type { CheckedCondition } from "./check.js";
import { Evaluation, planOf, Stop, type PlanInput, type PlanNode, type Value } from "./evaluation-plan.js";
import { factValueToWire, readFactsWith, type FactValue } from "./fact-schema.js";
import { formatCondition } from "./format.js";
import { RuleEvaluationError } from "./rule-errors.js";

/** A value in a trace, as JSON: decimals as plain decimal strings, lists as arrays. */
export type TraceValue = string | boolean | ReadonlyArray<TraceValue>;

/** One evaluated node: its text, its value, and the nodes it evaluated to get there. */
export interface TraceStep {
  /** Dotted AST path (empty for the whole condition). */
  readonly path: string;
  /** The node as rule text. */
  readonly expression: string;
  /** The node's value, or `null` when it was not evaluated (the other side of a short-circuit `and`/`or`). */
  readonly value: TraceValue | null;
  /** Sub-expressions, in order (elements of a quantifier are evaluated once per element and not listed). */
  readonly children: ReadonlyArray<TraceStep>;
}

/** The outcome of a condition: its value, every fact it read, and the trace of its evaluation. */
export interface ConditionEvaluation {
  readonly value: boolean;
  /** Every fact the condition reads, with the value given. */
  readonly facts: Readonly<Record<string, TraceValue>>;
  readonly trace: TraceStep;
}

/**
 * Evaluates a checked condition against facts. The facts it reads are validated first with the
 * zod schema built from the fact schema (flat `{ "stock.onHand": "70" }` or nested
 * `{ stock: { onHand: "70" } }`); a missing or ill-typed fact is an {@link InvalidInput} naming it.
 * Arithmetic is exact decimal.js (division to 34 significant digits); division by zero and dates
 * beyond 9999-12-31 are a {@link RuleEvaluationError}. `and`, `or`, `all` and `any` short-circuit.
 * The result carries every fact read and the trace of every sub-expression ({@link explainTrace}).
 */
export const evaluateCondition = (checked: CheckedCondition, facts: unknown): Result.Result<ConditionEvaluation, InvalidInput | RuleEvaluationError> => {
  const read = readFactsWith(checked.reader, facts);
  if (Result.isFailure(read)) return Result.fail(read.failure);
  return evaluateWithFacts(checked, read.success);
};

/** {@link evaluateCondition} over facts already read with {@link readFacts}. */
export const evaluateWithFacts = (
  checked: CheckedCondition,
  facts: Readonly<Record<string, FactValue>>,
): Result.Result<ConditionEvaluation, RuleEvaluationError> => {
  const read: Record<string, TraceValue> = {};
  for (const name of checked.reads) read[name] = factValueToWire(facts[name]!);
  return evaluatePlan(planOf(checked), checked.reads, { facts, wire: read });
};

/**
 * Runs a plan over facts whose wire values (`input.wire`) include those of `reads`: the evaluation,
 * with the facts read as `input.wire` gives them. Throws {@link Stop} when the rule cannot be evaluated.
 */
export const runPlan = (plan: PlanNode, reads: ReadonlyArray<string>, input: PlanInput): ConditionEvaluation => {
  const ev = new Evaluation(input.facts, input.wire);
  const value = plan.run(ev, EMPTY_SCOPE) as boolean;
  const read: Record<string, TraceValue> = {};
  for (const name of reads) read[name] = input.wire[name] as TraceValue;
  return { value, facts: read, trace: ev.step };
};

const evaluatePlan = (plan: PlanNode, reads: ReadonlyArray<string>, input: PlanInput): Result.Result<ConditionEvaluation, RuleEvaluationError> => {
  try {
    return Result.succeed(runPlan(plan, reads, input));
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return Result.fail(new RuleEvaluationError({ problem: e.problem, path: e.path, message: e.message }));
  }
};

const EMPTY_SCOPE: ReadonlyMap<string, Value> = new Map();

const show = (v: TraceValue | null): string => (v === null ? "not evaluated" : Array.isArray(v) ? `[${v.map(show).join(", ")}]` : String(v));

const LEAVES = new Set(["number", "string", "boolean", "date", "instant", "fact", "var", "list"]);

/**
 * The trace as one line a person can read, each fact with its value and each computed
 * sub-expression with its result, e.g.
 * `forecast.next7d (120) > (stock.onHand (70) * 1.5 → 105) → true`.
 */
export const explainTrace = (trace: TraceStep, condition: Expr): string => {
  const byPath = new Map<string, TraceStep>();
  const stack = [trace];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (!byPath.has(step.path)) byPath.set(step.path, step);
    stack.push(...step.children);
  }
  const render = (expr: Expr, path: string, top: boolean): string => {
    const step = byPath.get(path);
    if (expr.kind === "fact" || expr.kind === "var") return `${expr.name} (${show(step?.value ?? null)})`;
    if (LEAVES.has(expr.kind) || step === undefined) return formatCondition(expr);
    if (step.value === null) return `(${formatCondition(expr)}: not evaluated)`;
    const part = (e: Expr, segment: string) => render(e, childPath(path, segment), false);
    let body: string;
    switch (expr.kind) {
      case "neg":
        body = `-${part(expr.operand, "operand")}`;
        break;
      case "days":
        return `${part(expr.count, "count")} days`;
      case "arith":
      case "compare":
        body = `${part(expr.left, "left")} ${expr.op} ${part(expr.right, "right")}`;
        break;
      case "in":
        body = `${part(expr.value, "value")} in ${part(expr.list, "list")}`;
        break;
      case "between":
        body = `${part(expr.value, "value")} between ${part(expr.low, "low")} and ${part(expr.high, "high")}`;
        break;
      case "not":
        body = `not ${part(expr.operand, "operand")}`;
        break;
      case "and":
      case "or":
        body = `${part(expr.left, "left")} ${expr.kind} ${part(expr.right, "right")}`;
        break;
      case "all":
      case "any":
        body = `${expr.kind}(${expr.conditions.map((c, i) => part(c, `conditions.${i}`)).join(", ")})`;
        break;
      case "allIn":
      case "anyIn":
        body = `${expr.kind === "allIn" ? "all" : "any"}(${expr.variable} in ${part(expr.list, "list")}: ${part(expr.condition, "condition")})`;
        break;
      case "call":
        body = `${expr.fn}(${expr.args.map((a, i) => part(a, `args.${i}`)).join(", ")})`;
        break;
      default:
        body = formatCondition(expr);
    }
    return top ? `${body} → ${show(step.value)}` : `(${body} → ${show(step.value)})`;
  };
  return render(condition, trace.path, true);
};
