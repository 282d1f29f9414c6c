/**
 * The rule engine as it was before evaluation plans: a tree-walking interpreter over the AST that
 * looks every node's text and type up by path, reading facts through zod only. Kept here as the
 * oracle the fast path is held to (values, facts, traces, explanations and errors alike).
 */
import { Result } from "effect";
import { Dec, explainTrace, factValueToWire, readFactsWith, RuleEvaluationError, type CheckedCondition, type ConditionEvaluation, type Expr, type FactValue, type InvalidInput, type RuleOutcome, type RuleSet, type RuleSetEvaluation, type RuleType, type TraceStep, type TraceValue, type FiredRule } from "@jxc/core";
import { childPath } from "../src/rules/ast.js";
import { dateOfDayNumber, dayNumber, instantMillis } from "../src/rules/calendar.js";
import { formatCondition } from "../src/rules/format.js";
import type { RuleEvaluationProblem } from "../src/rules/rule-errors.js";

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

/** Facts read by zod alone (a copy of the reader carries no prepared fast path). */
export const referenceReadFacts = (reader: CheckedCondition["reader"], facts: unknown) => readFactsWith({ ...reader }, facts);

/** The reference `evaluateWithFacts`. */
export const referenceEvaluateWithFacts = (checked: CheckedCondition, facts: Readonly<Record<string, FactValue>>): Result.Result<ConditionEvaluation, RuleEvaluationError> => {
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

/** The reference `evaluateCondition`. */
export const referenceEvaluateCondition = (checked: CheckedCondition, facts: unknown): Result.Result<ConditionEvaluation, InvalidInput | RuleEvaluationError> => {
  const read = referenceReadFacts(checked.reader, facts);
  if (Result.isFailure(read)) return Result.fail(read.failure);
  return referenceEvaluateWithFacts(checked, read.success);
};

/** The reference `evaluateRuleSet`. */
export const referenceEvaluateRuleSet = (set: RuleSet, facts: unknown): Result.Result<RuleSetEvaluation, InvalidInput | RuleEvaluationError> => {
  const names = [...set.reader.schemas.keys()];
  const read = referenceReadFacts(set.reader, facts);
  if (Result.isFailure(read)) return Result.fail(read.failure);
  const fired: FiredRule[] = [];
  const outcomes: RuleOutcome[] = [];
  for (const rule of set.rules) {
    const evaluated = referenceEvaluateWithFacts(rule.condition, read.success);
    if (Result.isFailure(evaluated)) {
      const e = evaluated.failure;
      return Result.fail(new RuleEvaluationError({ problem: e.problem, path: e.path, rule: rule.id, message: `rule ${rule.id}: ${e.message}` }));
    }
    const evaluation = evaluated.success;
    const outcome: RuleOutcome = { rule: rule.id, matched: evaluation.value, evaluation, explanation: explainTrace(evaluation.trace, rule.condition.condition) };
    outcomes.push(outcome);
    if (evaluation.value) {
      fired.push({ ...outcome, description: rule.description, priority: rule.priority, action: rule.action, params: rule.params });
      if (set.mode === "first-match") break;
    }
  }
  const factValues: Record<string, TraceValue> = {};
  for (const name of names) factValues[name] = factValueToWire(read.success[name]!);
  return Result.succeed({ ruleSet: { id: set.id, version: set.version, hash: set.hash }, mode: set.mode, fired, outcomes, facts: factValues });
};
