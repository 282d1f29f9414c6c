import { Result } from "effect";
import { Dec } from "../decimal.js";
import type { InvalidInput } from "../errors.js";
import { childPath, type Expr } from "./ast.js";
import { dateOfDayNumber, dayNumber, instantMillis } from "./calendar.js";
import type { CheckedCondition, RuleType } from "./check.js";
import { factValueToWire, readFactsWith, type FactValue } from "./fact-schema.js";
import { formatCondition } from "./format.js";
import { RuleEvaluationError, type RuleEvaluationProblem } from "./rule-errors.js";

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

type Value = Dec | boolean | string | ReadonlyArray<Value>;

class Stop {
  constructor(
    readonly problem: RuleEvaluationProblem,
    readonly path: string,
    readonly message: string,
  ) {}
}

const toTrace = (v: Value): TraceValue => (Dec.isDecimal(v) ? (v as Dec).toFixed() : Array.isArray(v) ? v.map(toTrace) : (v as string | boolean));

class Evaluator {
  constructor(
    private readonly facts: Readonly<Record<string, FactValue>>,
    private readonly types: ReadonlyMap<string, RuleType>,
    private readonly texts: ReadonlyMap<string, string>,
  ) {}

  private text(expr: Expr, path: string): string {
    return this.texts.get(path) ?? formatCondition(expr);
  }

  private equal(a: Value, b: Value, type: RuleType | undefined): boolean {
    if (Dec.isDecimal(a) && Dec.isDecimal(b)) return (a as Dec).eq(b as Dec);
    if (type === "instant") return instantMillis(a as string) === instantMillis(b as string);
    return a === b;
  }

  private order(a: Value, b: Value, type: RuleType | undefined): number {
    if (Dec.isDecimal(a)) return (a as Dec).cmp(b as Dec);
    if (type === "instant") return Math.sign(instantMillis(a as string) - instantMillis(b as string));
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Evaluates `expr`, recording its trace step; `vars` holds quantifier variables. */
  run(expr: Expr, path: string, vars: ReadonlyMap<string, Value>, steps: TraceStep[]): Value {
    const children: TraceStep[] = [];
    const value = this.value(expr, path, vars, children);
    steps.push({ path, expression: this.text(expr, path), value: toTrace(value), children });
    return value;
  }

  private skipped(expr: Expr, path: string, steps: TraceStep[]): void {
    steps.push({ path, expression: this.text(expr, path), value: null, children: [] });
  }

  private value(expr: Expr, path: string, vars: ReadonlyMap<string, Value>, steps: TraceStep[]): Value {
    const sub = (e: Expr, segment: string, scope = vars) => this.run(e, childPath(path, segment), scope, steps);
    switch (expr.kind) {
      case "number":
        return new Dec(expr.value);
      case "string":
      case "boolean":
      case "date":
      case "instant":
        return expr.value;
      case "list":
        return expr.items.map((item, i) => sub(item, `items.${i}`));
      case "fact":
        return this.facts[expr.name] as Value;
      case "var":
        return vars.get(expr.name)!;
      case "neg":
        return (sub(expr.operand, "operand") as Dec).neg();
      case "days":
        return sub(expr.count, "count");
      case "arith": {
        const l = sub(expr.left, "left");
        const r = sub(expr.right, "right");
        if (typeof l === "string" || typeof r === "string") {
          const [date, days] = typeof l === "string" ? [l, r as Dec] : [r as string, l as Dec];
          const shift = expr.op === "-" ? days.neg() : days;
          const moved = shift.abs().lte(5_000_000) ? dateOfDayNumber(dayNumber(date) + shift.toNumber()) : undefined;
          if (moved === undefined) throw new Stop("date-out-of-range", path, `${date} ${expr.op} ${days.toFixed()} days is outside 0001-01-01 … 9999-12-31`);
          return moved;
        }
        const a = l as Dec;
        const b = r as Dec;
        switch (expr.op) {
          case "+":
            return a.plus(b);
          case "-":
            return a.minus(b);
          case "*":
            return a.times(b);
          case "/":
            if (b.isZero()) throw new Stop("division-by-zero", path, `division by zero in ${formatCondition(expr)}`);
            return a.div(b);
        }
      }
      // falls through (unreachable: every operator returns)
      case "compare": {
        const l = sub(expr.left, "left");
        const r = sub(expr.right, "right");
        const type = this.types.get(childPath(path, "left"));
        switch (expr.op) {
          case "=":
            return this.equal(l, r, type);
          case "!=":
            return !this.equal(l, r, type);
          case "<":
            return this.order(l, r, type) < 0;
          case "<=":
            return this.order(l, r, type) <= 0;
          case ">":
            return this.order(l, r, type) > 0;
          case ">=":
            return this.order(l, r, type) >= 0;
        }
      }
      // falls through (unreachable)
      case "in": {
        const v = sub(expr.value, "value");
        const list = sub(expr.list, "list") as ReadonlyArray<Value>;
        const type = this.types.get(childPath(path, "value"));
        return list.some((item) => this.equal(v, item, type));
      }
      case "between": {
        const v = sub(expr.value, "value");
        const lo = sub(expr.low, "low");
        const hi = sub(expr.high, "high");
        const type = this.types.get(childPath(path, "value"));
        return this.order(lo, v, type) <= 0 && this.order(v, hi, type) <= 0;
      }
      case "not":
        return !sub(expr.operand, "operand");
      case "and":
      case "or": {
        const l = sub(expr.left, "left") as boolean;
        if (l === (expr.kind === "or")) {
          this.skipped(expr.right, childPath(path, "right"), steps);
          return l;
        }
        return sub(expr.right, "right") as boolean;
      }
      case "all":
      case "any": {
        const stopAt = expr.kind === "any";
        for (const [i, c] of expr.conditions.entries()) {
          if ((sub(c, `conditions.${i}`) as boolean) === stopAt) {
            expr.conditions.slice(i + 1).forEach((rest, j) => this.skipped(rest, childPath(path, `conditions.${i + 1 + j}`), steps));
            return stopAt;
          }
        }
        return !stopAt;
      }
      case "allIn":
      case "anyIn": {
        const list = sub(expr.list, "list") as ReadonlyArray<Value>;
        const stopAt = expr.kind === "anyIn";
        const conditionPath = childPath(path, "condition");
        for (const element of list) {
          const scope = new Map(vars).set(expr.variable, element);
          // Each element's evaluation is traced under the condition's path; only the deciding one is kept.
          const elementSteps: TraceStep[] = [];
          const holds = this.run(expr.condition, conditionPath, scope, elementSteps) as boolean;
          if (holds === stopAt) {
            steps.push(...elementSteps);
            return stopAt;
          }
        }
        return !stopAt;
      }
      case "call": {
        const args = expr.args.map((a, i) => sub(a, `args.${i}`));
        switch (expr.fn) {
          case "daysBetween":
            return new Dec(dayNumber(args[1] as string) - dayNumber(args[0] as string));
          case "count":
            return new Dec((args[0] as ReadonlyArray<Value>).length);
          case "abs":
            return (args[0] as Dec).abs();
          case "min":
            return Dec.min(...(args as Dec[]));
          case "max":
            return Dec.max(...(args as Dec[]));
        }
      }
    }
  }
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
  try {
    const steps: TraceStep[] = [];
    const value = new Evaluator(facts, checked.types, checked.texts).run(checked.condition, "", new Map(), steps) as boolean;
    const read: Record<string, TraceValue> = {};
    for (const name of checked.reads) read[name] = factValueToWire(facts[name]!);
    return Result.succeed({ value, facts: read, trace: steps[steps.length - 1]! });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return Result.fail(new RuleEvaluationError({ problem: e.problem, path: e.path, message: e.message }));
  }
};

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
