/**
 * The evaluation plan of a checked condition: its AST compiled once into a tree of closures with
 * every node's path, trace text, explanation text and operand type worked out in advance, so that
 * evaluating it builds no path strings and looks nothing up by path. A plan is immutable; the
 * checker attaches one to every {@link CheckedCondition} it returns (as a hidden property, so that
 * the condition's data — what `JSON.stringify`, spreads and equality see — is unchanged).
 */
import { Dec } from "../decimal.js";
import { childPath, childrenOf, type Expr } from "./ast.js";
import { dateOfDayNumber, dayNumber, instantMillis } from "./calendar.js";
import type { CheckedCondition, RuleType } from "./check.js";
import type { TraceStep, TraceValue } from "./evaluate.js";
import type { FactValue } from "./fact-schema.js";
import { formatCondition } from "./format.js";
import type { RuleEvaluationProblem } from "./rule-errors.js";

/** A value during evaluation. */
export type Value = Dec | boolean | string | ReadonlyArray<Value>;

/** Thrown inside an evaluation to stop it with a rule evaluation error. */
export class Stop {
  constructor(
    readonly problem: RuleEvaluationProblem,
    readonly path: string,
    readonly message: string,
  ) {}
}

/** Whether a value is a decimal (text and booleans, the most frequent values, are told apart without asking decimal.js). */
const isDecimal = (v: unknown): v is Dec => typeof v !== "string" && typeof v !== "boolean" && Dec.isDecimal(v);

/** A value as it appears in a trace. */
const toTrace = (v: Value): TraceValue => (isDecimal(v) ? v.toFixed() : Array.isArray(v) ? v.map(toTrace) : (v as string | boolean));

/** What one evaluation reads: the facts, and the wire values of those already rendered (decimals as text). */
export interface PlanInput {
  readonly facts: Readonly<Record<string, FactValue>>;
  readonly wire: Readonly<Record<string, unknown>>;
}

/** The step an evaluation starts with, before any node is evaluated (never part of a trace). */
const NO_STEP: TraceStep = Object.freeze({ path: "", expression: "", value: null, children: Object.freeze([]) });

/** One evaluation under way: its input, and the trace step of the node evaluated last. */
export class Evaluation {
  /** The step of the node that was evaluated last (each node sets it before returning its value). */
  step: TraceStep = NO_STEP;
  constructor(
    readonly facts: Readonly<Record<string, FactValue>>,
    readonly wire: Readonly<Record<string, unknown>>,
  ) {}
}

type Vars = ReadonlyMap<string, Value>;
/** Evaluates a node to its value, leaving its trace step in `ev.step`. */
type Run = (ev: Evaluation, vars: Vars) => Value;

/** One node of a plan. */
export interface PlanNode {
  readonly expr: Expr;
  readonly path: string;
  /** The node's text in traces (the checked condition's text of the path). */
  readonly text: string;
  /** The node's canonical text in explanations. */
  readonly formatted: string;
  readonly children: ReadonlyArray<PlanNode>;
  readonly run: Run;
}

const equal = (a: Value, b: Value, type: RuleType | undefined): boolean => {
  if (isDecimal(a) && isDecimal(b)) return a.eq(b);
  if (type === "instant") return instantMillis(a as string) === instantMillis(b as string);
  return a === b;
};

const order = (a: Value, b: Value, type: RuleType | undefined): number => {
  if (isDecimal(a)) return a.cmp(b as Dec);
  if (type === "instant") return Math.sign(instantMillis(a as string) - instantMillis(b as string));
  return a < b ? -1 : a > b ? 1 : 0;
};

/** The step of a node not evaluated (the other side of a short circuit). */
const skipped = (node: PlanNode): TraceStep => ({ path: node.path, expression: node.text, value: null, children: [] });

/** How a plan is built: the types and texts of the checked condition, and the canonical text of a node. */
interface PlanSource {
  readonly types: ReadonlyMap<string, RuleType>;
  readonly texts: ReadonlyMap<string, string>;
  readonly format: (expr: Expr, path: string) => string;
}

const compileNode = (expr: Expr, path: string, source: PlanSource): PlanNode => {
  const children = childrenOf(expr).map(([segment, child]) => compileNode(child, childPath(path, segment), source));
  const formatted = source.format(expr, path);
  const text = source.texts.get(path) ?? formatted;
  const node = (run: Run): PlanNode => ({ expr, path, text, formatted, children, run });
  const done = (ev: Evaluation, value: Value, steps: TraceStep[]): Value => {
    ev.step = { path, expression: text, value: toTrace(value), children: steps };
    return value;
  };
  /** A node of one child: its value from the child's. */
  const unary = (child: PlanNode, f: (v: Value) => Value): PlanNode =>
    node((ev, vars) => {
      const v = child.run(ev, vars);
      return done(ev, f(v), [ev.step]);
    });
  /** A node of two children, both evaluated: its value from theirs. */
  const binary = (f: (l: Value, r: Value) => Value): PlanNode =>
    node((ev, vars) => {
      const l = first!.run(ev, vars);
      const ls = ev.step;
      const r = second!.run(ev, vars);
      return done(ev, f(l, r), [ls, ev.step]);
    });
  /** A node whose children are all evaluated, in order: its value from theirs. */
  const nary = (f: (values: Value[]) => Value): PlanNode =>
    node((ev, vars) => {
      const values: Value[] = new Array(children.length);
      const steps: TraceStep[] = new Array(children.length);
      for (let i = 0; i < children.length; i++) {
        values[i] = children[i]!.run(ev, vars);
        steps[i] = ev.step;
      }
      return done(ev, f(values), steps);
    });
  const constant = (value: Value): PlanNode => {
    const trace = toTrace(value);
    return Array.isArray(trace)
      ? node((ev) => done(ev, value, []))
      : node((ev) => {
          ev.step = { path, expression: text, value: trace, children: [] };
          return value;
        });
  };
  const [first, second] = children;
  switch (expr.kind) {
    case "number":
      return constant(new Dec(expr.value));
    case "string":
    case "boolean":
    case "date":
    case "instant":
      return constant(expr.value);
    case "list":
      return nary((values) => values);
    case "fact": {
      const name = expr.name;
      return node((ev) => {
        const value = ev.facts[name] as Value;
        // A decimal fact's wire text is its trace value: rendered once per evaluation, not per node.
        const wire = ev.wire[name];
        ev.step = { path, expression: text, value: typeof wire === "string" && isDecimal(value) ? wire : toTrace(value), children: [] };
        return value;
      });
    }
    case "var": {
      const name = expr.name;
      return node((ev, vars) => done(ev, vars.get(name)!, []));
    }
    case "neg":
      return unary(first!, (v) => (v as Dec).neg());
    case "days":
      return unary(first!, (v) => v);
    case "not":
      return unary(first!, (v) => !v);
    case "arith": {
      const op = expr.op;
      return binary((l, r) => {
        if (typeof l === "string" || typeof r === "string") {
          const [date, days] = typeof l === "string" ? [l, r as Dec] : [r as string, l as Dec];
          const shift = op === "-" ? days.neg() : days;
          const moved = shift.abs().lte(5_000_000) ? dateOfDayNumber(dayNumber(date) + shift.toNumber()) : undefined;
          if (moved === undefined) throw new Stop("date-out-of-range", path, `${date} ${op} ${days.toFixed()} days is outside 0001-01-01 … 9999-12-31`);
          return moved;
        }
        const a = l as Dec;
        const b = r as Dec;
        switch (op) {
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
      });
    }
    case "compare": {
      const type = source.types.get(childPath(path, "left"));
      switch (expr.op) {
        case "=":
          return binary((l, r) => equal(l, r, type));
        case "!=":
          return binary((l, r) => !equal(l, r, type));
        case "<":
          return binary((l, r) => order(l, r, type) < 0);
        case "<=":
          return binary((l, r) => order(l, r, type) <= 0);
        case ">":
          return binary((l, r) => order(l, r, type) > 0);
        case ">=":
          return binary((l, r) => order(l, r, type) >= 0);
      }
    }
    // falls through (unreachable: every operator returns)
    case "in": {
      const type = source.types.get(childPath(path, "value"));
      return binary((v, list) => (list as ReadonlyArray<Value>).some((item) => equal(v, item, type)));
    }
    case "between": {
      const type = source.types.get(childPath(path, "value"));
      return nary(([v, lo, hi]) => order(lo!, v!, type) <= 0 && order(v!, hi!, type) <= 0);
    }
    case "and":
    case "or": {
      const shortCircuit = expr.kind === "or";
      return node((ev, vars) => {
        const l = first!.run(ev, vars) as boolean;
        const ls = ev.step;
        if (l === shortCircuit) return done(ev, l, [ls, skipped(second!)]);
        const r = second!.run(ev, vars) as boolean;
        return done(ev, r, [ls, ev.step]);
      });
    }
    case "all":
    case "any": {
      const stopAt = expr.kind === "any";
      return node((ev, vars) => {
        const steps: TraceStep[] = [];
        for (let i = 0; i < children.length; i++) {
          const holds = children[i]!.run(ev, vars) as boolean;
          steps.push(ev.step);
          if (holds === stopAt) {
            for (let j = i + 1; j < children.length; j++) steps.push(skipped(children[j]!));
            return done(ev, stopAt, steps);
          }
        }
        return done(ev, !stopAt, steps);
      });
    }
    case "allIn":
    case "anyIn": {
      const stopAt = expr.kind === "anyIn";
      const variable = expr.variable;
      return node((ev, vars) => {
        const list = first!.run(ev, vars) as ReadonlyArray<Value>;
        const ls = ev.step;
        for (const element of list) {
          // Each element's evaluation is traced under the condition's path; only the deciding one is kept.
          const holds = second!.run(ev, new Map(vars).set(variable, element)) as boolean;
          if (holds === stopAt) return done(ev, stopAt, [ls, ev.step]);
        }
        return done(ev, !stopAt, [ls]);
      });
    }
    case "call":
      switch (expr.fn) {
        case "daysBetween":
          return nary((args) => new Dec(dayNumber(args[1] as string) - dayNumber(args[0] as string)));
        case "count":
          return nary((args) => new Dec((args[0] as ReadonlyArray<Value>).length));
        case "abs":
          return nary((args) => (args[0] as Dec).abs());
        case "min":
          return nary((args) => Dec.min(...(args as Dec[])));
        case "max":
          return nary((args) => Dec.max(...(args as Dec[])));
      }
  }
};

const PLAN = Symbol("evaluation plan");

/**
 * Compiles the plan of a condition checked with these types and texts (every node's text in
 * `texts` being its canonical text, as the checker makes it) and attaches it to `checked`.
 */
export const withPlan = <C extends CheckedCondition>(checked: C): C => {
  const plan = compileNode(checked.condition, "", { types: checked.types, texts: checked.texts, format: (_expr, path) => checked.texts.get(path)! });
  return Object.defineProperty(checked, PLAN, { value: plan, enumerable: false, writable: false, configurable: false });
};

/**
 * The plan of a checked condition: the one the checker attached, or (for a condition built by
 * other means, e.g. a copy) one compiled now from the condition's own data.
 */
export const planOf = (checked: CheckedCondition): PlanNode =>
  (checked as CheckedCondition & { readonly [PLAN]?: PlanNode })[PLAN] ?? compileNode(checked.condition, "", { types: checked.types, texts: checked.texts, format: (expr) => formatCondition(expr) });

const show = (v: TraceValue | null): string => (v === null ? "not evaluated" : Array.isArray(v) ? `[${v.map(show).join(", ")}]` : String(v));

/** The step of child `i` of the node traced by `step`: where the plan puts it, else wherever it is among the steps. */
const stepOf = (step: TraceStep, i: number, path: string): TraceStep | undefined => {
  const at = step.children[i];
  if (at !== undefined && at.path === path) return at;
  for (let j = 0; j < step.children.length; j++) if (step.children[j]!.path === path) return step.children[j];
  return undefined;
};

/** Writes the explanation of child `i` of `node`, within the node traced by `step`. */
const part = (node: PlanNode, i: number, step: TraceStep, out: string[]): void => {
  const child = node.children[i]!;
  write(child, stepOf(step, i, child.path), false, out);
};

/** Writes the explanation of a node traced by `step` (or not evaluated, `undefined`), piece by piece. */
const write = (node: PlanNode, step: TraceStep | undefined, top: boolean, out: string[]): void => {
  const expr = node.expr;
  switch (expr.kind) {
    case "fact":
    case "var":
      out.push(expr.name, " (", show(step === undefined ? null : step.value), ")");
      return;
    case "number":
    case "string":
    case "boolean":
    case "date":
    case "instant":
    case "list":
      out.push(node.formatted);
      return;
  }
  if (step === undefined) {
    out.push(node.formatted);
    return;
  }
  if (step.value === null) {
    out.push("(", node.formatted, ": not evaluated)");
    return;
  }
  if (expr.kind === "days") {
    part(node, 0, step, out);
    out.push(" days");
    return;
  }
  if (!top) out.push("(");
  switch (expr.kind) {
    case "neg":
      out.push("-");
      part(node, 0, step, out);
      break;
    case "arith":
    case "compare":
      part(node, 0, step, out);
      out.push(" ", expr.op, " ");
      part(node, 1, step, out);
      break;
    case "in":
      part(node, 0, step, out);
      out.push(" in ");
      part(node, 1, step, out);
      break;
    case "between":
      part(node, 0, step, out);
      out.push(" between ");
      part(node, 1, step, out);
      out.push(" and ");
      part(node, 2, step, out);
      break;
    case "not":
      out.push("not ");
      part(node, 0, step, out);
      break;
    case "and":
    case "or":
      part(node, 0, step, out);
      out.push(" ", expr.kind, " ");
      part(node, 1, step, out);
      break;
    case "all":
    case "any":
    case "call":
      out.push(expr.kind === "call" ? expr.fn : expr.kind, "(");
      for (let i = 0; i < node.children.length; i++) {
        if (i > 0) out.push(", ");
        part(node, i, step, out);
      }
      out.push(")");
      break;
    case "allIn":
    case "anyIn":
      out.push(expr.kind === "allIn" ? "all" : "any", "(", expr.variable, " in ");
      part(node, 0, step, out);
      out.push(": ");
      part(node, 1, step, out);
      out.push(")");
      break;
  }
  out.push(" → ", show(step.value));
  if (!top) out.push(")");
};

/**
 * The explanation of a trace this plan produced: the same text as `explainTrace`, found by walking
 * the plan and the trace together instead of indexing the trace by path, and written as one flat
 * string (not a tree of concatenations, which costs several times the memory when kept).
 */
export const explainPlanTrace = (node: PlanNode, step: TraceStep): string => {
  const out: string[] = [];
  write(node, step, true, out);
  return out.join("");
};
