import { Result } from "effect";
import { childPath, childrenOf, isFactName, isVariableName, maxExpressionDepth, type ArithmeticOperator, type ComparisonOperator, type Expr, type RuleFunction } from "./ast.js";
import { isCalendarDate, isInstantText } from "./calendar.js";
import { lineColumnOf, RuleSyntaxError, type Span } from "./rule-errors.js";

/** Where each node of a parsed expression sits in the text: AST path (`""` for the root, `left.right`…) → span. */
export type SourceMap = ReadonlyMap<string, Span>;

/** Rule text read into its AST, with the span of every node. */
export interface ParsedCondition {
  /** The text as given. */
  readonly text: string;
  readonly condition: Expr;
  readonly spans: SourceMap;
}

type TokenKind = "number" | "string" | "name" | "op" | "end";
interface Token {
  readonly kind: TokenKind;
  /** For `op`: the canonical operator; for `name`: the name; for `string`: the decoded value. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const SEGMENT = "[\\p{L}_][\\p{L}\\p{N}_]*";
const NAME = new RegExp(`${SEGMENT}(\\.${SEGMENT})*`, "uy");
const NUMBER = /\d+(\.\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /\s+/y;
const OPERATORS: ReadonlyArray<readonly [string, string]> = [
  ["&&", "and"],
  ["||", "or"],
  ["==", "="],
  ["!=", "!="],
  ["<>", "!="],
  ["<=", "<="],
  [">=", ">="],
  ["≠", "!="],
  ["≤", "<="],
  ["≥", ">="],
  ["<", "<"],
  [">", ">"],
  ["=", "="],
  ["!", "not"],
  ["+", "+"],
  ["-", "-"],
  ["−", "-"],
  ["*", "*"],
  ["×", "*"],
  ["/", "/"],
  ["÷", "/"],
  ["(", "("],
  [")", ")"],
  ["[", "["],
  ["]", "]"],
  [",", ","],
  [":", ":"],
];
const WORD_OPERATORS = new Set(["and", "or", "not", "in", "between", "days"]);
const FUNCTIONS = new Set<string>(["daysBetween", "count", "abs", "min", "max"]);

/** A syntax error while parsing (internal: caught by {@link parseCondition}). */
class Stop {
  constructor(
    readonly span: Span,
    readonly message: string,
  ) {}
}

const sticky = (re: RegExp, text: string, at: number): string | undefined => {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0] : undefined;
};

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const space = sticky(SPACE, text, i);
    if (space) {
      i += space.length;
      continue;
    }
    const number = sticky(NUMBER, text, i);
    if (number) {
      tokens.push({ kind: "number", value: number, start: i, end: i + number.length });
      i += number.length;
      continue;
    }
    if (text[i] === '"') {
      const literal = sticky(STRING, text, i);
      if (!literal) throw new Stop({ start: i, end: text.length }, "unterminated or malformed string literal");
      tokens.push({ kind: "string", value: JSON.parse(literal) as string, start: i, end: i + literal.length });
      i += literal.length;
      continue;
    }
    const name = sticky(NAME, text, i);
    if (name) {
      const word = WORD_OPERATORS.has(name);
      tokens.push({ kind: word ? "op" : "name", value: name, start: i, end: i + name.length });
      i += name.length;
      continue;
    }
    const op = OPERATORS.find(([spelling]) => text.startsWith(spelling, i));
    if (!op) {
      const width = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      throw new Stop({ start: i, end: i + width }, `unexpected character ${JSON.stringify(text.slice(i, i + width))}`);
    }
    tokens.push({ kind: "op", value: op[1], start: i, end: i + op[0].length });
    i += op[0].length;
  }
  tokens.push({ kind: "end", value: "", start: text.length, end: text.length });
  return tokens;
};

const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly scopes: string[] = [];
  readonly spans = new Map<Expr, Span>();

  constructor(private readonly tokens: ReadonlyArray<Token>) {}

  private get peek(): Token {
    return this.tokens[this.pos]!;
  }

  private isOp(value: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t !== undefined && t.kind === "op" && t.value === value;
  }

  private describe(t: Token): string {
    return t.kind === "end" ? "the end of the rule" : t.kind === "string" ? `string ${JSON.stringify(t.value)}` : `"${t.value}"`;
  }

  private fail(message: string, t: Token = this.peek): never {
    throw new Stop({ start: t.start, end: t.end }, message);
  }

  private expectOp(value: string, context: string): Token {
    const t = this.peek;
    if (!this.isOp(value)) this.fail(`expected "${value}" ${context}, found ${this.describe(t)}`);
    this.pos++;
    return t;
  }

  private node<E extends Expr>(expr: E, start: number, end: number): E {
    this.spans.set(expr, { start, end });
    return expr;
  }

  private spanOf(expr: Expr): Span {
    return this.spans.get(expr)!;
  }

  parseAll(): Expr {
    const expr = this.expression();
    if (this.peek.kind !== "end") this.fail(`expected an operator or the end of the rule, found ${this.describe(this.peek)}`);
    return expr;
  }

  private expression(): Expr {
    if (++this.depth > maxExpressionDepth) this.fail(`the rule is nested deeper than ${maxExpressionDepth} levels`);
    const expr = this.or();
    this.depth--;
    return expr;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isOp("or")) {
      this.pos++;
      const right = this.and();
      left = this.node({ kind: "or", left, right }, this.spanOf(left).start, this.spanOf(right).end);
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isOp("and")) {
      this.pos++;
      const right = this.not();
      left = this.node({ kind: "and", left, right }, this.spanOf(left).start, this.spanOf(right).end);
    }
    return left;
  }

  private not(): Expr {
    if (this.isOp("not")) {
      const start = this.peek.start;
      this.pos++;
      if (++this.depth > maxExpressionDepth) this.fail(`the rule is nested deeper than ${maxExpressionDepth} levels`);
      const operand = this.not();
      this.depth--;
      return this.node({ kind: "not", operand }, start, this.spanOf(operand).end);
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek;
    const start = this.spanOf(left).start;
    if (t.kind === "op" && COMPARISONS.has(t.value)) {
      this.pos++;
      const right = this.additive();
      return this.node({ kind: "compare", op: t.value as ComparisonOperator, left, right }, start, this.spanOf(right).end);
    }
    if (this.isOp("in")) {
      this.pos++;
      const list = this.additive();
      return this.node({ kind: "in", value: left, list }, start, this.spanOf(list).end);
    }
    if (this.isOp("not") && this.isOp("in", 1)) {
      this.pos += 2;
      const list = this.additive();
      const inner = this.node({ kind: "in", value: left, list } as const, start, this.spanOf(list).end);
      return this.node({ kind: "not", operand: inner }, start, this.spanOf(list).end);
    }
    if (this.isOp("between")) {
      this.pos++;
      const low = this.additive();
      this.expectOp("and", "between the bounds of `between`");
      const high = this.additive();
      return this.node({ kind: "between", value: left, low, high }, start, this.spanOf(high).end);
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.peek.value as ArithmeticOperator;
      this.pos++;
      const right = this.multiplicative();
      left = this.node({ kind: "arith", op, left, right }, this.spanOf(left).start, this.spanOf(right).end);
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/")) {
      const op = this.peek.value as ArithmeticOperator;
      this.pos++;
      const right = this.unary();
      left = this.node({ kind: "arith", op, left, right }, this.spanOf(left).start, this.spanOf(right).end);
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp("-")) {
      const minus = this.peek;
      const next = this.tokens[this.pos + 1]!;
      if (next.kind === "number") {
        this.pos += 2;
        return this.postfix(this.node({ kind: "number", value: `-${next.value}` }, minus.start, next.end));
      }
      this.pos++;
      if (++this.depth > maxExpressionDepth) this.fail(`the rule is nested deeper than ${maxExpressionDepth} levels`);
      const operand = this.unary();
      this.depth--;
      return this.node({ kind: "neg", operand }, minus.start, this.spanOf(operand).end);
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    if (this.isOp("days")) {
      const end = this.peek.end;
      this.pos++;
      return this.node({ kind: "days", count: expr }, this.spanOf(expr).start, end);
    }
    return expr;
  }

  private list(): Expr {
    const open = this.expectOp("[", "");
    const items: Expr[] = [];
    do {
      items.push(this.expression());
    } while (this.isOp(",") && ++this.pos);
    const close = this.expectOp("]", "to close the list");
    return this.node({ kind: "list", items }, open.start, close.end);
  }

  private arguments(name: string): Expr[] {
    this.expectOp("(", `after ${name}`);
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      do {
        args.push(this.expression());
      } while (this.isOp(",") && ++this.pos);
    }
    return args;
  }

  private quantifier(name: Token): Expr {
    const q = name.value as "all" | "any";
    this.expectOp("(", `after ${q}`);
    const first = this.expression();
    if (this.isOp(":")) {
      const colon = this.peek;
      if (first.kind !== "in" || (first.value.kind !== "fact" && first.value.kind !== "var") || !isVariableName(first.value.name)) {
        throw new Stop(this.spanOf(first), `expected "variable in list" before ":" in ${q}(…)`);
      }
      this.pos++;
      if (this.peek.kind === "end") this.fail(`expected a condition after ":"`, colon);
      const variable = first.value.name;
      this.scopes.push(variable);
      const condition = this.expression();
      this.scopes.pop();
      const close = this.expectOp(")", `to close ${q}(…)`);
      return this.node({ kind: q === "all" ? "allIn" : "anyIn", variable, list: first.list, condition }, name.start, close.end);
    }
    const conditions = [first];
    while (this.isOp(",")) {
      this.pos++;
      conditions.push(this.expression());
    }
    const close = this.expectOp(")", `to close ${q}(…)`);
    return this.node({ kind: q, conditions }, name.start, close.end);
  }

  private primary(): Expr {
    const t = this.peek;
    switch (t.kind) {
      case "number":
        this.pos++;
        return this.node({ kind: "number", value: t.value }, t.start, t.end);
      case "string":
        this.pos++;
        return this.node({ kind: "string", value: t.value }, t.start, t.end);
      case "name": {
        const next = this.tokens[this.pos + 1]!;
        if ((t.value === "date" || t.value === "instant") && next.kind === "string") {
          this.pos += 2;
          const valid = t.value === "date" ? isCalendarDate(next.value) : isInstantText(next.value);
          if (!valid) throw new Stop({ start: t.start, end: next.end }, t.value === "date" ? "expected a date YYYY-MM-DD" : "expected an ISO-8601 instant with offset");
          return this.node({ kind: t.value, value: next.value }, t.start, next.end);
        }
        if (t.value === "true" || t.value === "false") {
          this.pos++;
          return this.node({ kind: "boolean", value: t.value === "true" }, t.start, t.end);
        }
        if (t.value === "all" || t.value === "any") {
          this.pos++;
          return this.quantifier(t);
        }
        if (next.kind === "op" && next.value === "(" && next.start === t.end) {
          if (!FUNCTIONS.has(t.value)) this.fail(`unknown function ${t.value}; known: ${[...FUNCTIONS].join(", ")}`);
          this.pos++;
          const args = this.arguments(t.value);
          const close = this.expectOp(")", `to close ${t.value}(…)`);
          return this.node({ kind: "call", fn: t.value as RuleFunction, args }, t.start, close.end);
        }
        if (!isFactName(t.value)) this.fail(`${t.value} is a reserved word`);
        this.pos++;
        if (this.scopes.includes(t.value)) return this.node({ kind: "var", name: t.value }, t.start, t.end);
        return this.node({ kind: "fact", name: t.value }, t.start, t.end);
      }
      case "op":
        if (t.value === "(") {
          this.pos++;
          const inner = this.expression();
          const close = this.expectOp(")", "to close the parenthesis");
          // The parenthesised node keeps its own span; record the parentheses too for error messages.
          this.spans.set(inner, { start: t.start, end: close.end });
          return inner;
        }
        if (t.value === "[") return this.list();
        return this.fail(`expected a value, a fact or "(", found ${this.describe(t)}`);
      case "end":
        return this.fail("expected a value, a fact or \"(\", found the end of the rule");
    }
  }
}

const collectSpans = (expr: Expr, spans: ReadonlyMap<Expr, Span>): SourceMap => {
  const out = new Map<string, Span>();
  const stack: Array<readonly [string, Expr]> = [["", expr]];
  while (stack.length > 0) {
    const [path, node] = stack.pop()!;
    const span = spans.get(node);
    if (span) out.set(path, span);
    for (const [segment, child] of childrenOf(node)) stack.push([childPath(path, segment), child]);
  }
  return out;
};

const depthOf = (expr: Expr): number => {
  let deepest = 0;
  const stack: Array<readonly [Expr, number]> = [[expr, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    for (const [, child] of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return deepest;
};

/**
 * Parses rule text into its AST, e.g. `forecast.next7d > stock.onHand * 1.5 and
 * supplier.leadTimeDays < 3`. Precedence, loosest first: `or` (`||`), `and` (`&&`), `not` (`!`),
 * comparisons / `in` / `not in` / `between … and …`, `+ -`, `* /`, unary minus, `N days`.
 * Literals: `1.5`, `-3`, `"text"`, `true`, `date"2026-09-01"`, `instant"2026-09-01T09:00:00+08:00"`,
 * `["a", "b"]`. Calls: `daysBetween(a, b)`, `count(list)`, `abs`, `min`, `max`, `all(c1, c2…)`,
 * `any(…)`, and quantifiers `all(t in list: condition)`, `any(t in list: condition)`.
 * Text that does not parse is a {@link RuleSyntaxError} with its span; nothing throws.
 */
export const parseCondition = (text: string): Result.Result<ParsedCondition, RuleSyntaxError> => {
  try {
    const parser = new Parser(tokenize(text));
    const condition = parser.parseAll();
    if (depthOf(condition) > maxExpressionDepth) throw new Stop({ start: 0, end: text.length }, `the rule is nested deeper than ${maxExpressionDepth} levels`);
    return Result.succeed({ text, condition, spans: collectSpans(condition, parser.spans) });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const { line, column } = lineColumnOf(text, e.span.start);
    return Result.fail(new RuleSyntaxError({ span: e.span, line, column, message: `${e.message} (line ${line}, column ${column})` }));
  }
};
