import type { Expr } from "./ast.js";

/**
 * Binding strength of each node in text, loosest first: `or` 1, `and` 2, `not` 3, comparisons /
 * `in` / `between` 4, `+ -` 5, `* /` 6, unary minus 7, `N days` 8, literals, facts, calls and
 * parentheses 9.
 */
export const precedenceOf = (expr: Expr): number => {
  switch (expr.kind) {
    case "or":
      return 1;
    case "and":
      return 2;
    case "not":
      return 3;
    case "compare":
    case "in":
    case "between":
      return 4;
    case "arith":
      return expr.op === "+" || expr.op === "-" ? 5 : 6;
    case "neg":
      return 7;
    case "days":
      return 8;
    default:
      return 9;
  }
};

const at = (expr: Expr, min: number): string => {
  const text = formatCondition(expr);
  return precedenceOf(expr) < min ? `(${text})` : text;
};

/**
 * Writes an expression as rule text, in the canonical spelling (`and`, `or`, `not`, `!=`, `<=`,
 * `>=`, `*`, `/`), with only the parentheses the precedence needs. {@link parseCondition} reads
 * the text back to the same AST.
 */
export const formatCondition = (expr: Expr): string => {
  switch (expr.kind) {
    case "number":
      return expr.value;
    case "string":
      return JSON.stringify(expr.value);
    case "boolean":
      return expr.value ? "true" : "false";
    case "date":
      return `date${JSON.stringify(expr.value)}`;
    case "instant":
      return `instant${JSON.stringify(expr.value)}`;
    case "list":
      return `[${expr.items.map(formatCondition).join(", ")}]`;
    case "fact":
    case "var":
      return expr.name;
    case "neg": {
      const operand = at(expr.operand, 7);
      // "-3" and "-3 days" would read back as a negative literal: keep the minus outside.
      return /^\d/.test(operand) ? `-(${operand})` : `-${operand}`;
    }
    case "days":
      return `${at(expr.count, 9)} days`;
    case "arith": {
      const level = expr.op === "+" || expr.op === "-" ? 5 : 6;
      return `${at(expr.left, level)} ${expr.op} ${at(expr.right, level + 1)}`;
    }
    case "compare":
      return `${at(expr.left, 5)} ${expr.op} ${at(expr.right, 5)}`;
    case "in":
      return `${at(expr.value, 5)} in ${at(expr.list, 5)}`;
    case "between":
      return `${at(expr.value, 5)} between ${at(expr.low, 5)} and ${at(expr.high, 5)}`;
    case "not":
      return `not ${at(expr.operand, 3)}`;
    case "and":
      return `${at(expr.left, 2)} and ${at(expr.right, 3)}`;
    case "or":
      return `${at(expr.left, 1)} or ${at(expr.right, 2)}`;
    case "all":
    case "any":
      return `${expr.kind}(${expr.conditions.map(formatCondition).join(", ")})`;
    case "allIn":
    case "anyIn":
      return `${expr.kind === "allIn" ? "all" : "any"}(${expr.variable} in ${at(expr.list, 5)}: ${formatCondition(expr.condition)})`;
    case "call":
      return `${expr.fn}(${expr.args.map(formatCondition).join(", ")})`;
  }
};
