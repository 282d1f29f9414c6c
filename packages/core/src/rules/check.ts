import { Result } from "effect";
import type { InvalidInput } from "../errors.js";
import { childPath, childrenOf, isVariableName, readCondition, type Expr } from "./ast.js";
import { factReader, type FactReader, type FactSchema } from "./fact-schema.js";
import { withPlan } from "./evaluation-plan.js";
import { formatCondition } from "./format.js";
import { parseCondition, type SourceMap } from "./parse.js";
import { RuleTypeError, type RuleSyntaxError, type RuleTypeIssue } from "./rule-errors.js";

/**
 * The type of an expression: the fact types, plus `days` (a number of days to add to a date)
 * and lists of any element type (`{ list: "decimal" }` for `[1, 2.5]`).
 */
export type RuleType =
  | "decimal"
  | "integer"
  | "boolean"
  | "string"
  | "date"
  | "instant"
  | "days"
  | { readonly enum: ReadonlyArray<string> }
  | { readonly list: RuleType };

/** A condition that passed {@link checkCondition}: the only thing {@link evaluateCondition} accepts. */
export interface CheckedCondition {
  /** The boolean condition, as checked. */
  readonly condition: Expr;
  /** The fact schema it was checked against. */
  readonly schema: FactSchema;
  /** The facts the condition reads, in order of first appearance. */
  readonly reads: ReadonlyArray<string>;
  /** The type of every node, by AST path. */
  readonly types: ReadonlyMap<string, RuleType>;
  /** The span of every node in the rule text, when the condition came from text. */
  readonly spans?: SourceMap;
  /** The canonical text of every node, by AST path (for traces). */
  readonly texts: ReadonlyMap<string, string>;
  /** The zod readers of the facts the condition reads, built once. */
  readonly reader: FactReader;
}

/** Options of {@link checkCondition}. */
export interface CheckOptions {
  /** Spans from {@link parseCondition}, so that every issue also points at the characters at fault. */
  readonly spans?: SourceMap;
}

/** A type's name in messages: `decimal`, `enum(a|b)`, `list of string`. */
export const ruleTypeName = (type: RuleType): string => {
  if (typeof type === "string") return type;
  if ("enum" in type) return `enum(${type.enum.join("|")})`;
  return `list of ${ruleTypeName(type.list)}`;
};

const isNumeric = (t: RuleType): boolean => t === "decimal" || t === "integer";
const isText = (t: RuleType): boolean => t === "string" || (typeof t === "object" && "enum" in t);
const isList = (t: RuleType): t is { readonly list: RuleType } => typeof t === "object" && "list" in t;
const family = (t: RuleType): string => (isNumeric(t) ? "number" : isText(t) ? "text" : typeof t === "string" ? t : "list");
/** Whether values of two types can be tested for equality. */
const comparable = (a: RuleType, b: RuleType): boolean => family(a) === family(b) && family(a) !== "list" && family(a) !== "days";
/** Whether values of two types can be ordered (`<`, `between`). */
const orderable = (a: RuleType, b: RuleType): boolean => comparable(a, b) && (isNumeric(a) || a === "date" || a === "instant");

const FUNCTION_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  daysBetween: [2, 2],
  count: [1, 1],
  abs: [1, 1],
  min: [1, Infinity],
  max: [1, Infinity],
};

class Checker {
  readonly issues: RuleTypeIssue[] = [];
  readonly types = new Map<string, RuleType>();
  readonly reads: string[] = [];

  constructor(
    private readonly schema: FactSchema,
    private readonly spans: SourceMap | undefined,
  ) {}

  private issue(path: string, message: string): undefined {
    const span = this.spans?.get(path);
    this.issues.push(span ? { path, span, message } : { path, message });
    return undefined;
  }

  /** The enum literal check: `taxpayer = "genral"` is refused when `taxpayer` is an enum. */
  private enumMember(type: RuleType, other: Expr, otherPath: string): void {
    if (typeof type === "object" && "enum" in type && other.kind === "string" && !type.enum.includes(other.value)) {
      this.issue(otherPath, `"${other.value}" is not one of ${type.enum.map((v) => `"${v}"`).join(", ")}`);
    }
  }

  /** Type of `expr` at `path`, or `undefined` when it is ill-typed (the issue is recorded once, where it arises). */
  check(expr: Expr, path: string, scope: ReadonlyMap<string, RuleType>): RuleType | undefined {
    const type = this.infer(expr, path, scope);
    if (type !== undefined) this.types.set(path, type);
    return type;
  }

  private sub(expr: Expr, path: string, segment: string, scope: ReadonlyMap<string, RuleType>): RuleType | undefined {
    return this.check(expr, childPath(path, segment), scope);
  }

  private boolean(expr: Expr, path: string, segment: string, scope: ReadonlyMap<string, RuleType>, what: string): boolean {
    const at = childPath(path, segment);
    const t = this.check(expr, at, scope);
    if (t === undefined) return false;
    if (t !== "boolean") {
      this.issue(at, `${what} needs a condition (boolean), got ${ruleTypeName(t)}`);
      return false;
    }
    return true;
  }

  private infer(expr: Expr, path: string, scope: ReadonlyMap<string, RuleType>): RuleType | undefined {
    switch (expr.kind) {
      case "number":
        return expr.value.includes(".") ? "decimal" : "integer";
      case "string":
        return "string";
      case "boolean":
        return "boolean";
      case "date":
        return "date";
      case "instant":
        return "instant";
      case "list": {
        const types = expr.items.map((item, i) => this.sub(item, path, `items.${i}`, scope));
        if (types.some((t) => t === undefined)) return undefined;
        const [first, ...rest] = types as RuleType[];
        if (first === undefined) return this.issue(path, "a list literal needs at least one item");
        if (isList(first) || first === "days" || first === "boolean") return this.issue(childPath(path, "items.0"), `a list cannot hold ${ruleTypeName(first)} values`);
        for (const [i, t] of rest.entries()) {
          if (!comparable(first, t)) return this.issue(childPath(path, `items.${i + 1}`), `list items must all be of one type: ${ruleTypeName(first)} and ${ruleTypeName(t)}`);
        }
        const element: RuleType = isNumeric(first) ? (types.every((t) => t === "integer") ? "integer" : "decimal") : isText(first) ? "string" : first;
        return { list: element };
      }
      case "fact": {
        const declared = Object.prototype.hasOwnProperty.call(this.schema, expr.name) ? this.schema[expr.name] : undefined;
        if (declared === undefined) return this.issue(path, `unknown fact ${expr.name}${this.suggest(expr.name)}`);
        if (!this.reads.includes(expr.name)) this.reads.push(expr.name);
        return declared === "list" ? { list: "string" } : declared;
      }
      case "var": {
        const t = scope.get(expr.name);
        return t ?? this.issue(path, `unknown variable ${expr.name} (only inside all(${expr.name} in list: …) or any(…))`);
      }
      case "neg": {
        const t = this.sub(expr.operand, path, "operand", scope);
        if (t === undefined) return undefined;
        return isNumeric(t) ? t : this.issue(path, `cannot negate ${ruleTypeName(t)}`);
      }
      case "days": {
        const t = this.sub(expr.count, path, "count", scope);
        if (t === undefined) return undefined;
        return t === "integer" ? "days" : this.issue(childPath(path, "count"), `a number of days must be an integer, got ${ruleTypeName(t)}`);
      }
      case "arith": {
        const l = this.sub(expr.left, path, "left", scope);
        const r = this.sub(expr.right, path, "right", scope);
        if (l === undefined || r === undefined) return undefined;
        if (isNumeric(l) && isNumeric(r)) return expr.op !== "/" && l === "integer" && r === "integer" ? "integer" : "decimal";
        if (l === "date" && r === "days" && (expr.op === "+" || expr.op === "-")) return "date";
        if (l === "days" && r === "date" && expr.op === "+") return "date";
        const hint = l === "date" && r === "date" && expr.op === "-" ? " (use daysBetween(from, to) for the days between two dates)" : l === "date" && isNumeric(r) ? ` (write ${"N days"} to add days to a date)` : "";
        return this.issue(path, `cannot apply ${expr.op} to ${ruleTypeName(l)} and ${ruleTypeName(r)}${hint}`);
      }
      case "compare": {
        const l = this.sub(expr.left, path, "left", scope);
        const r = this.sub(expr.right, path, "right", scope);
        if (l === undefined || r === undefined) return undefined;
        const equality = expr.op === "=" || expr.op === "!=";
        const ok = equality ? comparable(l, r) || (l === "boolean" && r === "boolean") : orderable(l, r);
        if (!ok) return this.issue(path, `cannot compare ${ruleTypeName(l)} with ${ruleTypeName(r)} using ${expr.op}`);
        this.enumMember(l, expr.right, childPath(path, "right"));
        this.enumMember(r, expr.left, childPath(path, "left"));
        return "boolean";
      }
      case "in": {
        const v = this.sub(expr.value, path, "value", scope);
        const l = this.sub(expr.list, path, "list", scope);
        if (v === undefined || l === undefined) return undefined;
        if (!isList(l)) return this.issue(childPath(path, "list"), `in needs a list on the right, got ${ruleTypeName(l)}`);
        if (!comparable(v, l.list)) return this.issue(path, `cannot look for ${ruleTypeName(v)} in a list of ${ruleTypeName(l.list)}`);
        if (expr.list.kind === "list") expr.list.items.forEach((item, i) => this.enumMember(v, item, childPath(path, `list.items.${i}`)));
        return "boolean";
      }
      case "between": {
        const v = this.sub(expr.value, path, "value", scope);
        const lo = this.sub(expr.low, path, "low", scope);
        const hi = this.sub(expr.high, path, "high", scope);
        if (v === undefined || lo === undefined || hi === undefined) return undefined;
        if (!orderable(v, lo) || !orderable(v, hi)) return this.issue(path, `between needs numbers, dates or instants alike, got ${ruleTypeName(v)} between ${ruleTypeName(lo)} and ${ruleTypeName(hi)}`);
        return "boolean";
      }
      case "not":
        return this.boolean(expr.operand, path, "operand", scope, "not") ? "boolean" : undefined;
      case "and":
      case "or": {
        const l = this.boolean(expr.left, path, "left", scope, expr.kind);
        const r = this.boolean(expr.right, path, "right", scope, expr.kind);
        return l && r ? "boolean" : undefined;
      }
      case "all":
      case "any": {
        const oks = expr.conditions.map((c, i) => this.boolean(c, path, `conditions.${i}`, scope, expr.kind));
        return oks.every(Boolean) && oks.length > 0 ? "boolean" : undefined;
      }
      case "allIn":
      case "anyIn": {
        const l = this.sub(expr.list, path, "list", scope);
        let ok = l !== undefined;
        if (l !== undefined && !isList(l)) {
          this.issue(childPath(path, "list"), `${expr.kind === "allIn" ? "all" : "any"}(${expr.variable} in …) needs a list, got ${ruleTypeName(l)}`);
          ok = false;
        }
        if (!isVariableName(expr.variable)) {
          this.issue(path, `${expr.variable} cannot name a variable`);
          ok = false;
        } else if (Object.prototype.hasOwnProperty.call(this.schema, expr.variable)) {
          this.issue(path, `variable ${expr.variable} would hide the fact of the same name; choose another name`);
          ok = false;
        }
        const inner = new Map(scope);
        if (l !== undefined && isList(l)) inner.set(expr.variable, l.list);
        else inner.delete(expr.variable);
        const body = l !== undefined && isList(l) ? this.boolean(expr.condition, path, "condition", inner, expr.kind === "allIn" ? "all" : "any") : false;
        return ok && body ? "boolean" : undefined;
      }
      case "call": {
        const [min, max] = FUNCTION_ARITY[expr.fn] ?? [0, 0];
        const types = expr.args.map((a, i) => this.sub(a, path, `args.${i}`, scope));
        if (expr.args.length < min || expr.args.length > max) {
          return this.issue(path, `${expr.fn} takes ${min === max ? min : `at least ${min}`} argument${min === 1 && max === 1 ? "" : "s"}, got ${expr.args.length}`);
        }
        if (types.some((t) => t === undefined)) return undefined;
        const args = types as RuleType[];
        const bad = (i: number, want: string) => this.issue(childPath(path, `args.${i}`), `${expr.fn} needs ${want}, got ${ruleTypeName(args[i]!)}`);
        switch (expr.fn) {
          case "daysBetween":
            if (args[0] !== "date") return bad(0, "a date");
            if (args[1] !== "date") return bad(1, "a date");
            return "integer";
          case "count":
            return isList(args[0]!) ? "integer" : bad(0, "a list");
          case "abs":
          case "min":
          case "max": {
            const i = args.findIndex((t) => !isNumeric(t));
            if (i >= 0) return bad(i, "a number");
            return args.every((t) => t === "integer") ? "integer" : "decimal";
          }
        }
      }
    }
  }

  private suggest(name: string): string {
    const known = Object.keys(this.schema);
    const close = known.filter((k) => distance(k, name) <= Math.max(1, Math.floor(name.length / 4)));
    return close.length > 0 ? ` (did you mean ${close.slice(0, 3).join(", ")}?)` : "";
  }
}

/** Edit distance (Levenshtein), for "did you mean" hints; long names are not compared. */
const distance = (a: string, b: string): number => {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
};

/**
 * Type-checks a condition against a fact schema before anything is evaluated. The condition is
 * JSON data (validated as an {@link Expr} first) or an {@link Expr}. Refused with a
 * {@link RuleTypeError} listing every problem with its AST path (and span, given `spans`): an
 * unknown fact or variable, a date compared with a quantity, a string added to a decimal, `in`
 * against a non-list, an enum compared with a value it cannot take, a condition that is not
 * boolean.
 */
export const checkCondition = (
  condition: unknown,
  schema: FactSchema,
  options: CheckOptions = {},
): Result.Result<CheckedCondition, RuleTypeError | InvalidInput> => {
  const read = readCondition(condition);
  if (Result.isFailure(read)) return Result.fail(read.failure);
  const checker = new Checker(schema, options.spans);
  const type = checker.check(read.success, "", new Map());
  if (type !== undefined && type !== "boolean") checker.issues.push({ path: "", ...(options.spans?.get("") ? { span: options.spans.get("")! } : {}), message: `a rule condition must be true or false, got ${ruleTypeName(type)}` });
  if (checker.issues.length > 0) {
    const summary = checker.issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    return Result.fail(new RuleTypeError({ issues: checker.issues, message: `ill-typed rule: ${summary}` }));
  }
  const texts = new Map<string, string>();
  const stack: Array<readonly [string, Expr]> = [["", read.success]];
  while (stack.length > 0) {
    const [path, node] = stack.pop()!;
    texts.set(path, formatCondition(node));
    for (const [segment, child] of childrenOf(node)) stack.push([childPath(path, segment), child]);
  }
  return Result.succeed(withPlan({
    condition: read.success,
    schema,
    reads: checker.reads,
    types: checker.types,
    ...(options.spans ? { spans: options.spans } : {}),
    texts,
    reader: factReader(schema, checker.reads),
  }));
};

/**
 * Parses rule text and checks it against a fact schema in one step; type issues point at their
 * characters in the text.
 */
export const compileCondition = (text: string, schema: FactSchema): Result.Result<CheckedCondition, RuleSyntaxError | RuleTypeError | InvalidInput> => {
  const parsed = parseCondition(text);
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  return checkCondition(parsed.success.condition, schema, { spans: parsed.success.spans });
};
