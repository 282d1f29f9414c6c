import fc from "fast-check";
import type { ArithmeticOperator, ComparisonOperator, Expr } from "../rules/ast.js";
import { dateOfDayNumber } from "../rules/calendar.js";
import type { FactSchema, FactType } from "../rules/fact-schema.js";
import { formatCondition } from "../rules/format.js";
import type { ParamWire, RuleDefinition, RuleSetDefinition } from "../rules/rule-set.js";

/**
 * The fact schema the rule arbitraries draw from: one or more facts of every type, dotted and
 * Chinese names included.
 */
export const ruleTestFacts: FactSchema = {
  "stock.onHand": "decimal",
  "forecast.next7d": "decimal",
  "库存.安全库存": "decimal",
  "supplier.leadTimeDays": "integer",
  "order.lineCount": "integer",
  "store.open": "boolean",
  "item.name": "string",
  taxpayer: { enum: ["general", "small"] },
  "order.date": "date",
  "ship.date": "date",
  "order.at": "instant",
  "store.tags": "list",
};

/** Options of the rule-expression arbitraries. */
export interface RuleArbOptions {
  /** Deepest nesting of operators (default 4). */
  readonly maxDepth?: number;
}

type Sort = "num" | "int" | "bool" | "text" | "enum" | "date" | "days" | "instant" | "textList" | "numList";
const ENUM_VALUES = ["general", "small"] as const;
const VARIABLES = ["t", "x", "标签"] as const;

const factsOf = (type: FactType): ReadonlyArray<string> =>
  Object.entries(ruleTestFacts)
    .filter(([, t]) => JSON.stringify(t) === JSON.stringify(type))
    .map(([name]) => name);

/** A decimal literal as text: up to 7 integer digits and 4 decimals, maybe negative. */
export const decimalTextArb = (): fc.Arbitrary<string> =>
  fc.tuple(fc.boolean(), fc.nat({ max: 9_999_999 }), fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined })).map(([negative, whole, fraction]) =>
    `${negative && (whole > 0 || fraction !== undefined) ? "-" : ""}${whole}${fraction !== undefined ? `.${fraction}` : ""}`,
  );

/** A calendar date `YYYY-MM-DD` between 1900 and 2199. */
export const dateTextArb = (): fc.Arbitrary<string> => fc.integer({ min: -25_567, max: 83_600 }).map((n) => dateOfDayNumber(n)!);

/** An ISO-8601 instant with an offset (`Z` or `±hh:mm`). */
export const instantTextArb = (): fc.Arbitrary<string> =>
  fc
    .tuple(dateTextArb(), fc.nat({ max: 23 }), fc.nat({ max: 59 }), fc.nat({ max: 59 }), fc.constantFrom("Z", "+08:00", "-05:00", "+00:00"))
    .map(([d, h, m, s, z]) => `${d}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${z}`);

/** Any string, including escapes, quotes, control characters and lone surrogates. */
const stringValueArb = (): fc.Arbitrary<string> => fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom(...ENUM_VALUES, "", '"', "\\", "vip"));

const lit = {
  number: (value: string): Expr => ({ kind: "number", value }),
  fact: (name: string): Expr => ({ kind: "fact", name }),
};

class WellTyped {
  private readonly memo = new Map<string, fc.Arbitrary<Expr>>();

  of(sort: Sort, depth: number, scope: ReadonlyArray<string>): fc.Arbitrary<Expr> {
    const key = `${sort}|${depth}|${scope.join(",")}`;
    let arb = this.memo.get(key);
    if (arb === undefined) {
      const leaves = this.leaves(sort, scope);
      const composite = depth > 0 ? this.composite(sort, depth - 1, scope) : [];
      arb = composite.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.oneof(...leaves) }, { weight: 3, arbitrary: fc.oneof(...composite) }) : fc.oneof(...leaves);
      this.memo.set(key, arb);
    }
    return arb;
  }

  private leaves(sort: Sort, scope: ReadonlyArray<string>): fc.Arbitrary<Expr>[] {
    const facts = (type: FactType) => factsOf(type).map((name) => fc.constant(lit.fact(name)));
    switch (sort) {
      case "num":
        return [decimalTextArb().map(lit.number), ...facts("decimal"), ...facts("integer")];
      case "int":
        return [fc.integer({ min: -400, max: 400 }).map((n) => lit.number(String(n))), ...facts("integer")];
      case "bool":
        return [fc.boolean().map((value): Expr => ({ kind: "boolean", value })), ...facts("boolean")];
      case "text":
        return [stringValueArb().map((value): Expr => ({ kind: "string", value })), ...facts("string"), ...scope.map((name) => fc.constant<Expr>({ kind: "var", name }))];
      case "enum":
        return [fc.constantFrom(...ENUM_VALUES).map((value): Expr => ({ kind: "string", value })), ...facts({ enum: ENUM_VALUES })];
      case "date":
        return [dateTextArb().map((value): Expr => ({ kind: "date", value })), ...facts("date")];
      case "days":
        return [this.of("int", 0, scope).map((count): Expr => ({ kind: "days", count }))];
      case "instant":
        return [instantTextArb().map((value): Expr => ({ kind: "instant", value })), ...facts("instant")];
      case "textList":
        return [...facts("list"), fc.array(this.of("text", 0, scope), { minLength: 1, maxLength: 3 }).map((items): Expr => ({ kind: "list", items }))];
      case "numList":
        return [fc.array(this.of("num", 0, scope), { minLength: 1, maxLength: 3 }).map((items): Expr => ({ kind: "list", items }))];
    }
  }

  private composite(sort: Sort, d: number, scope: ReadonlyArray<string>): fc.Arbitrary<Expr>[] {
    const of = (s: Sort, sc = scope) => this.of(s, d, sc);
    const arith = (s: Sort, ops: ReadonlyArray<ArithmeticOperator>) =>
      fc.tuple(fc.constantFrom(...ops), of(s), of(s)).map(([op, left, right]): Expr => ({ kind: "arith", op, left, right }));
    switch (sort) {
      case "num":
        return [
          arith("num", ["+", "-", "*", "/"]),
          of("num").map((operand): Expr => ({ kind: "neg", operand })),
          fc.tuple(fc.constantFrom("abs" as const, "min" as const, "max" as const), fc.array(of("num"), { minLength: 1, maxLength: 3 })).map(([fn, args]): Expr => ({ kind: "call", fn, args: fn === "abs" ? args.slice(0, 1) : args })),
        ];
      case "int":
        return [
          arith("int", ["+", "-", "*"]),
          of("int").map((operand): Expr => ({ kind: "neg", operand })),
          fc.tuple(of("date"), of("date")).map(([a, b]): Expr => ({ kind: "call", fn: "daysBetween", args: [a, b] })),
          fc.oneof(of("textList"), of("numList")).map((list): Expr => ({ kind: "call", fn: "count", args: [list] })),
        ];
      case "date":
        return [
          fc.tuple(fc.constantFrom<ArithmeticOperator>("+", "-"), of("date"), of("days")).map(([op, left, right]): Expr => ({ kind: "arith", op, left, right })),
          fc.tuple(of("days"), of("date")).map(([left, right]): Expr => ({ kind: "arith", op: "+", left, right })),
        ];
      case "days":
        return [of("int").map((count): Expr => ({ kind: "days", count }))];
      case "bool": {
        const equality = fc.constantFrom<ComparisonOperator>("=", "!=");
        const anyOp = fc.constantFrom<ComparisonOperator>("=", "!=", "<", "<=", ">", ">=");
        const compare = (op: fc.Arbitrary<ComparisonOperator>, a: fc.Arbitrary<Expr>, b: fc.Arbitrary<Expr>) =>
          fc.tuple(op, a, b).map(([o, left, right]): Expr => ({ kind: "compare", op: o, left, right }));
        const between = (s: Sort) => fc.tuple(of(s), of(s), of(s)).map(([value, low, high]): Expr => ({ kind: "between", value, low, high }));
        const variable = fc.constantFrom(...VARIABLES);
        const quantifier = variable.chain((v) =>
          fc.tuple(fc.constantFrom("allIn" as const, "anyIn" as const), of("textList"), of("bool", [...scope.filter((s) => s !== v), v])).map(
            ([kind, list, condition]): Expr => ({ kind, variable: v, list, condition }),
          ),
        );
        return [
          compare(anyOp, of("num"), of("num")),
          compare(anyOp, of("date"), of("date")),
          compare(anyOp, of("instant"), of("instant")),
          compare(equality, of("text"), of("text")),
          compare(equality, of("enum"), of("enum")),
          compare(equality, of("bool"), of("bool")),
          fc.tuple(of("num"), of("numList")).map(([value, list]): Expr => ({ kind: "in", value, list })),
          fc.tuple(of("text"), of("textList")).map(([value, list]): Expr => ({ kind: "in", value, list })),
          fc.tuple(of("enum"), fc.array(fc.constantFrom(...ENUM_VALUES), { minLength: 1, maxLength: 2 })).map(([value, items]): Expr => ({ kind: "in", value, list: { kind: "list", items: items.map((v) => ({ kind: "string", value: v })) } })),
          between("num"),
          between("date"),
          of("bool").map((operand): Expr => ({ kind: "not", operand })),
          fc.tuple(fc.constantFrom("and" as const, "or" as const), of("bool"), of("bool")).map(([kind, left, right]): Expr => ({ kind, left, right })),
          fc.tuple(fc.constantFrom("all" as const, "any" as const), fc.array(of("bool"), { minLength: 1, maxLength: 3 })).map(([kind, conditions]): Expr => ({ kind, conditions })),
          quantifier,
        ];
      }
      default:
        return [];
    }
  }
}

/**
 * Random boolean conditions over {@link ruleTestFacts} that the checker accepts: every operator,
 * literal kind, function and quantifier, nested up to `maxDepth`.
 */
export const wellTypedConditionArb = (options: RuleArbOptions = {}): fc.Arbitrary<Expr> => new WellTyped().of("bool", options.maxDepth ?? 4, []);

/** A type fault that would stand where a condition is expected. */
const faultArb = (ok: WellTyped): fc.Arbitrary<Expr> => {
  const num = ok.of("num", 1, []);
  const date = ok.of("date", 1, []);
  const text = ok.of("text", 1, []);
  const bool = ok.of("bool", 1, []);
  const cmp = (op: ComparisonOperator, left: Expr, right: Expr): Expr => ({ kind: "compare", op, left, right });
  return fc.oneof(
    // a date compared with a quantity
    fc.tuple(num, date).map(([n, d]) => cmp(">", d, n)),
    // a string added to a decimal
    fc.tuple(text, num).map(([s, n]) => cmp("=", { kind: "arith", op: "+", left: s, right: n }, n)),
    // in against a non-list
    fc.tuple(text, text).map(([a, b]): Expr => ({ kind: "in", value: a, list: b })),
    // an unknown fact
    fc.tuple(fc.constantFrom("stock.onhand", "forecast.next8d", "nope"), num).map(([name, n]) => cmp("<", lit.fact(name), n)),
    // a number used as a condition
    fc.tuple(num, bool).map(([n, b]): Expr => ({ kind: "and", left: b, right: { kind: "not", operand: n } })),
    // days that are not whole
    fc.tuple(date, fc.constantFrom("1.5", "0.25")).map(([d, v]) => cmp("=", d, { kind: "arith", op: "+", left: d, right: { kind: "days", count: lit.number(v) } })),
    // an enum compared with a value it cannot take
    fc.constantFrom("General", "large", "").map((v) => cmp("=", lit.fact("taxpayer"), { kind: "string", value: v })),
    // a variable outside its quantifier
    fc.constant(cmp("=", { kind: "var", name: "t" }, { kind: "string", value: "vip" })),
    // between mixing dates and numbers
    fc.tuple(date, num).map(([d, n]): Expr => ({ kind: "between", value: d, low: n, high: d })),
    // a function with the wrong arguments
    fc.tuple(num, date).map(([n, d]) => cmp(">", { kind: "call", fn: "daysBetween", args: [d, n] }, n)),
    // a list in arithmetic
    num.map((n) => cmp("<", { kind: "arith", op: "*", left: lit.fact("store.tags"), right: n }, n)),
    // a decimal condition at the root of a quantifier
    fc.tuple(ok.of("textList", 0, []), num).map(([list, n]): Expr => ({ kind: "anyIn", variable: "t", list, condition: n })),
  );
};

/**
 * Random conditions over {@link ruleTestFacts} with exactly one type fault somewhere inside a
 * well-typed context: a date compared with a quantity, a string added to a decimal, `in` against
 * a non-list, an unknown fact, a number used as a condition, fractional days, an enum value it
 * cannot take, an unbound variable, a mixed `between`, bad function arguments…
 */
export const illTypedConditionArb = (options: RuleArbOptions = {}): fc.Arbitrary<Expr> => {
  const ok = new WellTyped();
  const fault = faultArb(ok);
  const embed = (depth: number): fc.Arbitrary<Expr> => {
    if (depth === 0) return fault;
    const inner = embed(depth - 1);
    const bool = ok.of("bool", Math.min(depth, 2), []);
    return fc.oneof(
      inner,
      fc.tuple(fc.constantFrom("and" as const, "or" as const), inner, bool, fc.boolean()).map(([kind, f, b, faultLeft]): Expr => (faultLeft ? { kind, left: f, right: b } : { kind, left: b, right: f })),
      inner.map((operand): Expr => ({ kind: "not", operand })),
      fc.tuple(fc.constantFrom("all" as const, "any" as const), inner, fc.array(bool, { maxLength: 2 }), fc.nat()).map(([kind, f, others, at]): Expr => {
        const conditions = [...others];
        conditions.splice(at % (others.length + 1), 0, f);
        return { kind, conditions };
      }),
    );
  };
  return embed(options.maxDepth ?? 3);
};

/**
 * Random shape-valid ASTs over {@link ruleTestFacts} (and a few undeclared names) with no regard
 * for types: the checker must accept or refuse each without throwing, and whatever it accepts
 * must evaluate without throwing.
 */
export const anyConditionArb = (options: RuleArbOptions = {}): fc.Arbitrary<Expr> => {
  const names = [...Object.keys(ruleTestFacts), "unknown.fact", "t"];
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
    const e = tie("expr");
    const leaf: fc.Arbitrary<Expr> = fc.oneof(
      decimalTextArb().map(lit.number),
      stringValueArb().map((value): Expr => ({ kind: "string", value })),
      fc.boolean().map((value): Expr => ({ kind: "boolean", value })),
      dateTextArb().map((value): Expr => ({ kind: "date", value })),
      instantTextArb().map((value): Expr => ({ kind: "instant", value })),
      fc.constantFrom(...names).map(lit.fact),
      fc.constantFrom(...VARIABLES).map((name): Expr => ({ kind: "var", name })),
    );
    const two = fc.tuple(e, e);
    return {
      expr: fc.oneof(
        { depthSize: "small", maxDepth: options.maxDepth ?? 5, withCrossShrink: true },
        leaf,
        fc.array(e, { minLength: 1, maxLength: 3 }).map((items): Expr => ({ kind: "list", items })),
        e.map((operand): Expr => ({ kind: "neg", operand })),
        e.map((count): Expr => ({ kind: "days", count })),
        fc.tuple(fc.constantFrom<ArithmeticOperator>("+", "-", "*", "/"), e, e).map(([op, left, right]): Expr => ({ kind: "arith", op, left, right })),
        fc.tuple(fc.constantFrom<ComparisonOperator>("=", "!=", "<", "<=", ">", ">="), e, e).map(([op, left, right]): Expr => ({ kind: "compare", op, left, right })),
        two.map(([value, list]): Expr => ({ kind: "in", value, list })),
        fc.tuple(e, e, e).map(([value, low, high]): Expr => ({ kind: "between", value, low, high })),
        e.map((operand): Expr => ({ kind: "not", operand })),
        fc.tuple(fc.constantFrom("and" as const, "or" as const), e, e).map(([kind, left, right]): Expr => ({ kind, left, right })),
        fc.tuple(fc.constantFrom("all" as const, "any" as const), fc.array(e, { minLength: 1, maxLength: 3 })).map(([kind, conditions]): Expr => ({ kind, conditions })),
        fc.tuple(fc.constantFrom("allIn" as const, "anyIn" as const), fc.constantFrom(...VARIABLES), e, e).map(([kind, variable, list, condition]): Expr => ({ kind, variable, list, condition })),
        fc.tuple(fc.constantFrom("daysBetween" as const, "count" as const, "abs" as const, "min" as const, "max" as const), fc.array(e, { maxLength: 3 })).map(([fn, args]): Expr => ({ kind: "call", fn, args })),
      ),
    };
  });
  return expr;
};

/** A valid value, as wire data, of one fact type. */
export const factWireArb = (type: FactType): fc.Arbitrary<ParamWire> => {
  if (typeof type === "object") return fc.constantFrom(...type.enum);
  switch (type) {
    case "decimal":
      return decimalTextArb();
    case "integer":
      return fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }).map(String));
    case "boolean":
      return fc.boolean();
    case "string":
      return stringValueArb();
    case "date":
      return dateTextArb();
    case "instant":
      return instantTextArb();
    case "list":
      return fc.array(fc.oneof(stringValueArb(), fc.constantFrom("vip", "flagship")), { maxLength: 4 });
  }
};

/** Valid facts for a schema (default {@link ruleTestFacts}), as a flat object keyed by fact name. */
export const factsArb = (schema: FactSchema = ruleTestFacts): fc.Arbitrary<Record<string, ParamWire>> =>
  fc.record(Object.fromEntries(Object.entries(schema).map(([name, type]) => [name, factWireArb(type)])) as Record<string, fc.Arbitrary<ParamWire>>);

/**
 * Rule text mutated by deleting, duplicating, inserting or swapping characters — the fuzz input
 * of the parser: each result must give a value or a typed error, never a throw.
 */
export const mutatedTextArb = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      text,
      fc.array(
        fc.tuple(fc.constantFrom("delete", "insert", "duplicate", "swap"), fc.nat(), fc.nat({ max: 6 }), fc.constantFrom(...'()[]",:.-+*/<>=!&| andornotinbetweendaysdate"0123456789x'.split(""), "and", " or ", "not ", "in", "days", '"', "\\", "\u{1F600}", "\u0000")),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([base, mutations]) => {
      let s = base;
      for (const [kind, at, width, insert] of mutations) {
        const i = s.length === 0 ? 0 : at % (s.length + 1);
        if (kind === "delete") s = s.slice(0, i) + s.slice(i + 1 + width);
        else if (kind === "insert") s = s.slice(0, i) + insert + s.slice(i);
        else if (kind === "duplicate") s = s.slice(0, i + width) + s.slice(i);
        else {
          const j = Math.min(s.length - 1, i + 1 + width);
          if (i < j) s = s.slice(0, i) + s[j] + s.slice(i + 1, j) + s[i] + s.slice(j + 1);
        }
      }
      return s;
    });

const ACTIONS: RuleSetDefinition["actions"] = {
  approve: { description: "approve automatically", params: {} },
  reorder: { params: { qty: "decimal", supplier: "string", urgent: "boolean", by: "date" } },
  template: { params: { name: { enum: ["general-vat", "small-scale", "export-rebate"] } } },
};

/**
 * Random rule sets over {@link ruleTestFacts}: unique rule ids, conditions as text or as AST,
 * declared actions with typed parameters, either mode; `hash` omitted (the loader fills it in).
 */
export const ruleSetDefinitionArb = (options: RuleArbOptions = {}): fc.Arbitrary<RuleSetDefinition> => {
  const condition = wellTypedConditionArb({ maxDepth: options.maxDepth ?? 3 });
  const rule = (id: string): fc.Arbitrary<RuleDefinition> =>
    fc
      .tuple(
        fc.string({ maxLength: 20 }),
        fc.integer({ min: -5, max: 5 }),
        condition,
        fc.boolean(),
        fc.constantFrom(...Object.keys(ACTIONS)),
      )
      .chain(([description, priority, expr, asText, action]) =>
        fc.record(Object.fromEntries(Object.entries(ACTIONS[action]!.params).map(([name, type]) => [name, factWireArb(type)])) as Record<string, fc.Arbitrary<ParamWire>>).map(
          (params): RuleDefinition => ({ id, description, priority, condition: asText ? formatCondition(expr) : expr, action, params }),
        ),
      );
  return fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 1000 }),
      fc.constantFrom("first-match" as const, "all-matches" as const),
      fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { minLength: 0, maxLength: 5 }),
    )
    .chain(([id, version, mode, description, ids]) =>
      fc.tuple(...ids.map(rule)).map(
        (rules): RuleSetDefinition => ({ id, version, mode, ...(description !== undefined ? { description } : {}), facts: ruleTestFacts, actions: ACTIONS, rules }),
      ),
    );
};
