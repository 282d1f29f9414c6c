import { Result } from "effect";
import { z } from "zod";
import type { InvalidInput } from "../errors.js";
import { parseInput } from "../validation.js";
import { isCalendarDate, isInstantText } from "./calendar.js";

/** Arithmetic operators of the rule language: `+ - * /` (text also accepts `× ÷ −`). */
export type ArithmeticOperator = "+" | "-" | "*" | "/";

/** Comparison operators of the rule language: `= != < <= > >=` (text also accepts `== <> ≠ ≤ ≥`). */
export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** Built-in functions: `daysBetween(from, to)`, `count(list)`, `abs(x)`, `min(a, b, …)`, `max(a, b, …)`. */
export type RuleFunction = "daysBetween" | "count" | "abs" | "min" | "max";

/**
 * A rule expression as JSON data (the AST). Text such as `forecast.next7d > stock.onHand * 1.5`
 * parses into it ({@link parseCondition}) and is written back by {@link formatCondition}.
 * Decimals are strings, so nothing is lost on the wire.
 */
export type Expr =
  /** A decimal or integer literal, e.g. `"1.5"`, `"-3"` (integer when it has no point). */
  | { readonly kind: "number"; readonly value: string }
  /** A string literal. */
  | { readonly kind: "string"; readonly value: string }
  /** `true` or `false`. */
  | { readonly kind: "boolean"; readonly value: boolean }
  /** A business date `YYYY-MM-DD` (text: `date"2026-09-01"`). */
  | { readonly kind: "date"; readonly value: string }
  /** An ISO-8601 instant with offset (text: `instant"2026-09-01T09:00:00+08:00"`). */
  | { readonly kind: "instant"; readonly value: string }
  /** A list literal `[a, b, …]` (at least one item, all of one type). */
  | { readonly kind: "list"; readonly items: ReadonlyArray<Expr> }
  /** A fact declared in the fact schema, by its dotted name. */
  | { readonly kind: "fact"; readonly name: string }
  /** The variable bound by an `all`/`any` quantifier over a list. */
  | { readonly kind: "var"; readonly name: string }
  /** Unary minus. */
  | { readonly kind: "neg"; readonly operand: Expr }
  /** A number of days, `N days`, to add to or subtract from a date. */
  | { readonly kind: "days"; readonly count: Expr }
  /** `left op right` over decimals, or `date ± N days`. */
  | { readonly kind: "arith"; readonly op: ArithmeticOperator; readonly left: Expr; readonly right: Expr }
  /** `left op right`: numbers with numbers, dates with dates, instants with instants, text with text. */
  | { readonly kind: "compare"; readonly op: ComparisonOperator; readonly left: Expr; readonly right: Expr }
  /** `value in list`. */
  | { readonly kind: "in"; readonly value: Expr; readonly list: Expr }
  /** `value between low and high`, bounds included. */
  | { readonly kind: "between"; readonly value: Expr; readonly low: Expr; readonly high: Expr }
  /** `not operand`. */
  | { readonly kind: "not"; readonly operand: Expr }
  /** `left and right` (short-circuit). */
  | { readonly kind: "and"; readonly left: Expr; readonly right: Expr }
  /** `left or right` (short-circuit). */
  | { readonly kind: "or"; readonly left: Expr; readonly right: Expr }
  /** `all(c1, c2, …)`: every condition holds. */
  | { readonly kind: "all"; readonly conditions: ReadonlyArray<Expr> }
  /** `any(c1, c2, …)`: at least one condition holds. */
  | { readonly kind: "any"; readonly conditions: ReadonlyArray<Expr> }
  /** `all(x in list: condition)`: the condition holds for every element. */
  | { readonly kind: "allIn"; readonly variable: string; readonly list: Expr; readonly condition: Expr }
  /** `any(x in list: condition)`: the condition holds for some element. */
  | { readonly kind: "anyIn"; readonly variable: string; readonly list: Expr; readonly condition: Expr }
  /** A built-in function call. */
  | { readonly kind: "call"; readonly fn: RuleFunction; readonly args: ReadonlyArray<Expr> };

/** The kinds of {@link Expr} node. */
export type ExprKind = Expr["kind"];

/** Words that cannot be a fact or variable name on their own. */
export const reservedWords: ReadonlyArray<string> = ["and", "or", "not", "in", "between", "true", "false", "days", "all", "any"];

const SEGMENT = "[\\p{L}_][\\p{L}\\p{N}_]*";
const IDENTIFIER = new RegExp(`^${SEGMENT}$`, "u");
const DOTTED = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`, "u");

/** Whether `name` can name a fact: dotted identifier segments (letters, digits, `_`, not starting with a digit; never `__proto__`), not a reserved word. */
export const isFactName = (name: string): boolean => DOTTED.test(name) && !reservedWords.includes(name) && !name.split(".").includes("__proto__");

/** Whether `name` can name a quantifier variable: one identifier segment, not a reserved word. */
export const isVariableName = (name: string): boolean => IDENTIFIER.test(name) && !reservedWords.includes(name) && name !== "__proto__";

/** Deepest nesting of an expression accepted from text or JSON (keeps every walk well inside the stack). */
export const maxExpressionDepth = 200;

/** A number literal as written in JSON and text: optional minus, digits, optional fraction. */
export const NUMBER_LITERAL = /^-?\d+(\.\d+)?$/;

const FactName = z.string().refine(isFactName, "must be a dotted name such as forecast.next7d (letters, digits, _; not a reserved word)");
const VariableName = z.string().refine(isVariableName, "must be one identifier such as t (not a reserved word)");

/** The zod schema of {@link Expr} (strict: unknown keys are refused, so JSON round-trips unchanged). */
export const ExprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("number"), value: z.string().regex(NUMBER_LITERAL, 'must be a decimal literal such as "1.5" or "-3"') }),
    z.strictObject({ kind: z.literal("string"), value: z.string() }),
    z.strictObject({ kind: z.literal("boolean"), value: z.boolean() }),
    z.strictObject({ kind: z.literal("date"), value: z.string().refine(isCalendarDate, "must be a date YYYY-MM-DD") }),
    z.strictObject({ kind: z.literal("instant"), value: z.string().refine(isInstantText, "must be an ISO-8601 instant with offset") }),
    z.strictObject({ kind: z.literal("list"), items: z.array(ExprSchema).min(1, "a list literal needs at least one item") }),
    z.strictObject({ kind: z.literal("fact"), name: FactName }),
    z.strictObject({ kind: z.literal("var"), name: VariableName }),
    z.strictObject({ kind: z.literal("neg"), operand: ExprSchema }),
    z.strictObject({ kind: z.literal("days"), count: ExprSchema }),
    z.strictObject({ kind: z.literal("arith"), op: z.enum(["+", "-", "*", "/"]), left: ExprSchema, right: ExprSchema }),
    z.strictObject({ kind: z.literal("compare"), op: z.enum(["=", "!=", "<", "<=", ">", ">="]), left: ExprSchema, right: ExprSchema }),
    z.strictObject({ kind: z.literal("in"), value: ExprSchema, list: ExprSchema }),
    z.strictObject({ kind: z.literal("between"), value: ExprSchema, low: ExprSchema, high: ExprSchema }),
    z.strictObject({ kind: z.literal("not"), operand: ExprSchema }),
    z.strictObject({ kind: z.literal("and"), left: ExprSchema, right: ExprSchema }),
    z.strictObject({ kind: z.literal("or"), left: ExprSchema, right: ExprSchema }),
    z.strictObject({ kind: z.literal("all"), conditions: z.array(ExprSchema).min(1) }),
    z.strictObject({ kind: z.literal("any"), conditions: z.array(ExprSchema).min(1) }),
    z.strictObject({ kind: z.literal("allIn"), variable: VariableName, list: ExprSchema, condition: ExprSchema }),
    z.strictObject({ kind: z.literal("anyIn"), variable: VariableName, list: ExprSchema, condition: ExprSchema }),
    z.strictObject({ kind: z.literal("call"), fn: z.enum(["daysBetween", "count", "abs", "min", "max"]), args: z.array(ExprSchema) }),
  ]),
);

/** The direct sub-expressions of a node, each with its path segment(s) relative to the node. */
export const childrenOf = (expr: Expr): ReadonlyArray<readonly [string, Expr]> => {
  switch (expr.kind) {
    case "number":
    case "string":
    case "boolean":
    case "date":
    case "instant":
    case "fact":
    case "var":
      return [];
    case "list":
      return expr.items.map((item, i) => [`items.${i}`, item] as const);
    case "neg":
    case "not":
      return [["operand", expr.operand]];
    case "days":
      return [["count", expr.count]];
    case "arith":
    case "compare":
    case "and":
    case "or":
      return [
        ["left", expr.left],
        ["right", expr.right],
      ];
    case "in":
      return [
        ["value", expr.value],
        ["list", expr.list],
      ];
    case "between":
      return [
        ["value", expr.value],
        ["low", expr.low],
        ["high", expr.high],
      ];
    case "all":
    case "any":
      return expr.conditions.map((c, i) => [`conditions.${i}`, c] as const);
    case "allIn":
    case "anyIn":
      return [
        ["list", expr.list],
        ["condition", expr.condition],
      ];
    case "call":
      return expr.args.map((a, i) => [`args.${i}`, a] as const);
  }
};

/** Joins an AST path and a child segment: `""` + `left` → `left`, `left` + `right` → `left.right`. */
export const childPath = (path: string, segment: string): string => (path === "" ? segment : `${path}.${segment}`);

/** Nesting depth of any JSON value, measured without recursion (so hostile input cannot overflow the stack). */
export const jsonDepth = (value: unknown): number => {
  let deepest = 0;
  const stack: Array<readonly [unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (depth > maxExpressionDepth * 4) return depth;
    if (v !== null && typeof v === "object") for (const child of Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return deepest;
};

/**
 * Reads a rule expression from JSON data, refusing anything that is not an {@link Expr}
 * (with the path of every field at fault) or that nests deeper than {@link maxExpressionDepth}.
 * This only checks the shape; {@link checkCondition} checks the types against a fact schema.
 */
export const readCondition = (input: unknown): Result.Result<Expr, InvalidInput> => {
  // Each Expr level is at most 2 JSON levels (node → array → node).
  if (jsonDepth(input) > maxExpressionDepth * 2) {
    return parseInput(z.never({ error: `nested deeper than ${maxExpressionDepth} levels` }), input, "rule condition");
  }
  return parseInput(ExprSchema, input, "rule condition");
};
