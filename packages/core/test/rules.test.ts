import { Result } from "effect";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import {
  checkCondition,
  compileCondition,
  diffRuleSets,
  evaluateCondition,
  evaluateRuleSet,
  explainTrace,
  formatCondition,
  loadRuleSet,
  parseCondition,
  ruleSetHash,
  ruleSetToJson,
  sha256Hex,
  ExprSchema,
  RuleSetDefinitionSchema,
  type FactSchema,
  type RuleSetDefinition,
} from "@jxc/core";
import { err, failWith, ok } from "../../../scripts/test-support.js";

const facts: FactSchema = {
  "forecast.next7d": "decimal",
  "stock.onHand": "decimal",
  "supplier.leadTimeDays": "integer",
  "store.salesGrowth30d": "decimal",
  "store.tags": "list",
  "store.open": "boolean",
  "order.date": "date",
  "order.at": "instant",
  "item.name": "string",
  taxpayer: { enum: ["general", "small"] },
};

const values = {
  forecast: { next7d: "120" },
  stock: { onHand: "70" },
  "supplier.leadTimeDays": 2,
  "store.salesGrowth30d": "0.25",
  "store.tags": ["flagship", "east"],
  "store.open": true,
  "order.date": "2026-08-30",
  "order.at": "2026-08-30T09:00:00+08:00",
  "item.name": "绿茶",
  taxpayer: "general",
};

const run = (text: string, given: unknown = values) => ok(evaluateCondition(ok(compileCondition(text, facts)), given));
const holds = (text: string, given: unknown = values) => run(text, given).value;

describe("rule text", () => {
  it("parses the replenishment trigger with a human precedence and writes it back canonically", () => {
    const parsed = ok(parseCondition("forecast.next7d > stock.onHand * 1.5 && supplier.leadTimeDays < 3"));
    expect(parsed.condition).toEqual({
      kind: "and",
      left: {
        kind: "compare",
        op: ">",
        left: { kind: "fact", name: "forecast.next7d" },
        right: { kind: "arith", op: "*", left: { kind: "fact", name: "stock.onHand" }, right: { kind: "number", value: "1.5" } },
      },
      right: { kind: "compare", op: "<", left: { kind: "fact", name: "supplier.leadTimeDays" }, right: { kind: "number", value: "3" } },
    });
    expect(formatCondition(parsed.condition)).toBe("forecast.next7d > stock.onHand * 1.5 and supplier.leadTimeDays < 3");
    expect(parsed.spans.get("left.right")).toEqual({ start: 18, end: 36 });
  });

  it("accepts the alternative spellings and keeps only needed parentheses", () => {
    const t = ok(parseCondition("!(a ≥ 1 || b ≠ 2) ∧ c".replace(" ∧ ", " && ")));
    expect(formatCondition(t.condition)).toBe("not (a >= 1 or b != 2) and c");
    expect(formatCondition(ok(parseCondition("(a - (b - c)) × 2 ÷ (d)")).condition)).toBe("(a - (b - c)) * 2 / d");
    expect(formatCondition(ok(parseCondition("x not in [\"a\", \"b\"]")).condition)).toBe('not x in ["a", "b"]');
    expect(formatCondition(ok(parseCondition("-(3) = --3")).condition)).toBe("-(3) = --3");
  });

  it("reads every literal kind, between, days, functions and quantifiers", () => {
    const text =
      'order.date + 3 days between date"2026-09-01" and date"2026-09-30" and order.at < instant"2026-09-01T00:00:00Z" and any(t in store.tags: t = "flagship") and all(store.open, true) and daysBetween(order.date, date"2026-09-01") = 2 and count(store.tags) = 2 and max(1, 2.5) = 2.5';
    const checked = ok(compileCondition(text, facts));
    expect(formatCondition(checked.condition)).toBe(text);
    expect(ok(evaluateCondition(checked, values)).value).toBe(true);
  });

  it("refuses bad text with a typed error pointing at the characters", () => {
    const e = failWith(parseCondition("stock.onHand > (1 + "), "RuleSyntaxError");
    expect(e.span).toEqual({ start: 20, end: 20 });
    expect(e.message).toContain("line 1, column 21");
    expect(failWith(parseCondition('x = "open'), "RuleSyntaxError").span.start).toBe(4);
    expect(failWith(parseCondition("a < b < c"), "RuleSyntaxError").message).toContain("expected an operator or the end");
    expect(failWith(parseCondition("frobnicate(1)"), "RuleSyntaxError").message).toContain("unknown function");
    expect(failWith(parseCondition('date"2026-02-30" = order.date'), "RuleSyntaxError").message).toContain("YYYY-MM-DD");
    expect(failWith(parseCondition("(".repeat(5000)), "RuleSyntaxError").message).toContain("nested deeper");
  });
});

describe("checking before evaluation", () => {
  it("refuses an unknown fact, naming it with a suggestion, its AST path and its span", () => {
    const e = failWith(compileCondition("forecast.next7d > stok.onHand", facts), "RuleTypeError");
    expect(e.issues).toEqual([{ path: "right", span: { start: 18, end: 29 }, message: "unknown fact stok.onHand (did you mean stock.onHand?)" }]);
  });

  it("refuses comparing a date with a quantity, adding a string to a decimal, in against a non-list", () => {
    expect(failWith(compileCondition("order.date > stock.onHand", facts), "RuleTypeError").issues[0]!.message).toBe("cannot compare date with decimal using >");
    const plus = failWith(compileCondition('stock.onHand + item.name > 1', facts), "RuleTypeError").issues[0]!;
    expect([plus.path, plus.span, plus.message]).toEqual(["left", { start: 0, end: 24 }, "cannot apply + to decimal and string"]);
    const inList = failWith(compileCondition('"x" in item.name', facts), "RuleTypeError").issues[0]!;
    expect([inList.path, inList.message]).toEqual(["list", "in needs a list on the right, got string"]);
  });

  it("refuses an enum value the fact cannot take, a non-boolean condition, fractional days, and lists every problem", () => {
    const e = failWith(compileCondition('taxpayer = "genral" or stock.onHand + 1 or order.date + 1.5 days > order.date', facts), "RuleTypeError");
    expect(e.issues.map((i) => [i.path, i.message])).toEqual([
      ["left.left.right", '"genral" is not one of "general", "small"'],
      ["left.right", "or needs a condition (boolean), got decimal"],
      ["right.left.right.count", "a number of days must be an integer, got decimal"],
    ]);
    expect(failWith(compileCondition("stock.onHand * 2", facts), "RuleTypeError").issues[0]!.message).toContain("must be true or false");
    expect(failWith(compileCondition("order.date - order.date > 1", facts), "RuleTypeError").issues[0]!.message).toContain("daysBetween");
  });

  it("refuses a malformed JSON AST as InvalidInput with the path at fault", () => {
    const e = failWith(checkCondition({ kind: "compare", op: "≈", left: { kind: "fact", name: "a" }, right: { kind: "number", value: 1 } }, facts), "InvalidInput");
    expect(e.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["op"]));
  });

  it("a quantifier variable may not hide a fact", () => {
    const schema: FactSchema = { ...facts, t: "string" };
    expect(err(checkCondition({ kind: "anyIn", variable: "t", list: { kind: "fact", name: "store.tags" }, condition: { kind: "boolean", value: true } }, schema))._tag).toBe("RuleTypeError");
  });
});

describe("evaluation", () => {
  it("explains itself: which facts, with which values, and every intermediate result", () => {
    const result = run("forecast.next7d > stock.onHand * 1.5 and supplier.leadTimeDays < 3");
    expect(result.value).toBe(true);
    expect(result.facts).toEqual({ "forecast.next7d": "120", "stock.onHand": "70", "supplier.leadTimeDays": "2" });
    const compare = result.trace.children[0]!;
    expect(compare.children.map((c) => [c.expression, c.value])).toEqual([
      ["forecast.next7d", "120"],
      ["stock.onHand * 1.5", "105"],
    ]);
    expect(explainTrace(result.trace, ok(parseCondition("forecast.next7d > stock.onHand * 1.5 and supplier.leadTimeDays < 3")).condition)).toBe(
      "(forecast.next7d (120) > (stock.onHand (70) * 1.5 → 105) → true) and (supplier.leadTimeDays (2) < 3 → true) → true",
    );
  });

  it("is exact: 0.1 + 0.2 = 0.3, and division keeps 34 digits", () => {
    expect(holds("0.1 + 0.2 = 0.3")).toBe(true);
    expect(holds("1 / 3 * 3 = 1")).toBe(false);
    expect(run("stock.onHand / 3 > 0").trace.children[0]!.value).toBe("23.33333333333333333333333333333333");
  });

  it("short-circuits and records what it skipped", () => {
    const r = run("stock.onHand = 0 and forecast.next7d / stock.onHand > 1");
    expect(r.value).toBe(false);
    expect(r.trace.children[1]).toEqual({ path: "right", expression: "forecast.next7d / stock.onHand > 1", value: null, children: [] });
  });

  it("division by zero is a typed evaluation error naming the node", () => {
    const e = failWith(evaluateCondition(ok(compileCondition("forecast.next7d / (stock.onHand - 70) > 1", facts)), values), "RuleEvaluationError");
    expect([e.problem, e.path]).toEqual(["division-by-zero", "left"]);
  });

  it("dates: + N days, days between, comparisons; instants compare by the instant, whatever the offset", () => {
    expect(holds('order.date + 3 days = date"2026-09-02"')).toBe(true);
    expect(holds('order.date - 31 days = date"2026-07-30"')).toBe(true);
    expect(holds('daysBetween(date"2024-02-28", date"2024-03-01") = 2')).toBe(true);
    expect(holds('order.at = instant"2026-08-30T01:00:00Z"')).toBe(true);
    expect(failWith(evaluateCondition(ok(compileCondition("order.date + 3000000 days > order.date", facts)), values), "RuleEvaluationError").problem).toBe("date-out-of-range");
  });

  it("in, between, all/any over lists and conditions", () => {
    expect(holds('"east" in store.tags and taxpayer in ["general"]')).toBe(true);
    expect(holds("supplier.leadTimeDays in [1, 2.0, 3]")).toBe(true);
    expect(holds("stock.onHand between 70 and 70.00")).toBe(true);
    expect(holds('all(t in store.tags: t != "closed") and not any(t in store.tags: t = "west")')).toBe(true);
    expect(holds("any(false, store.open)")).toBe(true);
    expect(holds('all(t in store.tags: t = "x")', { ...values, "store.tags": [] })).toBe(true);
  });

  it("validates the facts it reads, naming each missing or ill-typed one", () => {
    const checked = ok(compileCondition("forecast.next7d > stock.onHand and supplier.leadTimeDays < 3", facts));
    const e = failWith(evaluateCondition(checked, { "forecast.next7d": 120, "stock.onHand": "70" }), "InvalidInput");
    expect(e.issues.map((i) => i.path)).toEqual(["forecast.next7d", "supplier.leadTimeDays"]);
    expect(e.issues[1]!.message).toContain("missing fact");
    expect(failWith(evaluateCondition(checked, { ...values, "supplier.leadTimeDays": 2.5 }), "InvalidInput").issues[0]!.path).toBe("supplier.leadTimeDays");
  });
});

const definition: RuleSetDefinition = {
  id: "replenishment",
  version: 1,
  mode: "first-match",
  facts,
  actions: {
    reorder: { description: "raise a purchase request", params: { qtyFactor: "decimal", urgent: "boolean" } },
    hold: { params: {} },
  },
  rules: [
    { id: "hold-small", description: "small taxpayers wait", priority: 1, condition: 'taxpayer = "small"', action: "hold", params: {} },
    {
      id: "urgent",
      description: "demand outruns stock and the supplier is quick",
      priority: 10,
      condition: "forecast.next7d > stock.onHand * 1.5 and supplier.leadTimeDays < 3",
      action: "reorder",
      params: { qtyFactor: "1.20", urgent: true },
    },
    { id: "normal", description: "demand outruns stock", priority: 5, condition: { kind: "compare", op: ">", left: { kind: "fact", name: "forecast.next7d" }, right: { kind: "fact", name: "stock.onHand" } }, action: "reorder", params: { qtyFactor: "1", urgent: false } },
  ],
};

describe("rule sets", () => {
  it("evaluates by priority: first-match stops at the first rule that fires, all-matches runs every rule", () => {
    const set = ok(loadRuleSet(definition));
    expect(set.rules.map((r) => r.id)).toEqual(["urgent", "normal", "hold-small"]);
    const first = ok(evaluateRuleSet(set, values));
    expect(first.fired.map((f) => [f.rule, f.action, f.params.qtyFactor!.toString(), f.params.urgent])).toEqual([["urgent", "reorder", "1.2", true]]);
    expect(first.fired[0]!.explanation).toContain("stock.onHand (70) * 1.5 → 105");
    expect(first.outcomes).toHaveLength(1);
    const all = ok(evaluateRuleSet(ok(loadRuleSet({ ...definition, mode: "all-matches" })), values));
    expect(all.fired.map((f) => f.rule)).toEqual(["urgent", "normal"]);
    expect(all.outcomes.map((o) => [o.rule, o.matched])).toEqual([
      ["urgent", true],
      ["normal", true],
      ["hold-small", false],
    ]);
  });

  it("is versioned with a content hash that ignores the version and is checked on load", () => {
    const set = ok(loadRuleSet(definition));
    expect(set.hash).toBe(ruleSetHash(definition));
    expect(ok(loadRuleSet({ ...definition, version: 2 })).hash).toBe(set.hash);
    expect(ruleSetToJson(set)).toEqual({ ...definition, hash: set.hash });
    expect(failWith(loadRuleSet({ ...definition, hash: "0".repeat(64) }), "InvalidInput").issues[0]!.path).toBe("hash");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("refuses rules naming unknown actions, missing or ill-typed parameters, duplicate ids, ill-typed conditions", () => {
    const bad = {
      ...definition,
      rules: [
        { ...definition.rules[1]!, params: { qtyFactor: 1.2 } },
        { ...definition.rules[0]!, action: "ship" },
        { ...definition.rules[0]! },
      ],
    };
    expect(failWith(loadRuleSet(bad), "InvalidInput").issues.map((i) => i.path)).toEqual(["rules.0.params.qtyFactor", "rules.0.params.urgent", "rules.1.action", "rules.2.id"]);
    const typed = failWith(loadRuleSet({ ...definition, rules: [{ ...definition.rules[0]!, condition: "taxpayer > 1" }] }), "RuleTypeError");
    expect(typed.rule).toBe("hold-small");
    expect(failWith(loadRuleSet({ ...definition, rules: [{ ...definition.rules[0]!, condition: "taxpayer >" }] }), "RuleSyntaxError").rule).toBe("hold-small");
  });

  it("diffs two versions field by field", () => {
    const before = ok(loadRuleSet(definition));
    const after = ok(
      loadRuleSet({
        ...definition,
        version: 2,
        mode: "all-matches",
        rules: [
          { ...definition.rules[1]!, condition: "forecast.next7d > stock.onHand * 2 and supplier.leadTimeDays < 3", params: { qtyFactor: "1.50", urgent: true } },
          // the same condition written as text instead of AST is no change
          { ...definition.rules[2]!, condition: "forecast.next7d > stock.onHand" },
          { id: "new", description: "", priority: 0, condition: "store.open", action: "hold", params: {} },
        ],
      }),
    );
    const diff = diffRuleSets(before, after);
    expect([diff.from.version, diff.to.version]).toEqual([1, 2]);
    expect(diff.settings).toEqual([{ field: "mode", before: "first-match", after: "all-matches" }]);
    expect(diff.added.map((r) => r.id)).toEqual(["new"]);
    expect(diff.removed.map((r) => r.id)).toEqual(["hold-small"]);
    expect(diff.changed).toEqual([
      {
        rule: "urgent",
        changes: [
          { field: "condition", before: "forecast.next7d > stock.onHand * 1.5 and supplier.leadTimeDays < 3", after: "forecast.next7d > stock.onHand * 2 and supplier.leadTimeDays < 3" },
          { field: "params.qtyFactor", before: "1.20", after: "1.50" },
        ],
      },
    ]);
  });
});

describe("the README example of the rule language", () => {
  it("compiles, evaluates and explains the replenishment trigger, and refuses a date compared with a quantity", () => {
    const schema = {
      "forecast.next7d": "decimal", "stock.onHand": "decimal", "supplier.leadTimeDays": "integer",
      "order.date": "date", "store.tags": "list", taxpayer: { enum: ["general", "small"] },
    } as const;
    const trigger = Result.getOrThrow(compileCondition("forecast.next7d > stock.onHand * 1.5 and supplier.leadTimeDays < 3", schema));
    const result = Result.getOrThrow(evaluateCondition(trigger, { forecast: { next7d: "120" }, "stock.onHand": "70", "supplier.leadTimeDays": 2 }));
    expect(result.value).toBe(true);
    expect(result.facts).toEqual({ "forecast.next7d": "120", "stock.onHand": "70", "supplier.leadTimeDays": "2" });
    expect(explainTrace(result.trace, trigger.condition)).toBe(
      "(forecast.next7d (120) > (stock.onHand (70) * 1.5 → 105) → true) and (supplier.leadTimeDays (2) < 3 → true) → true",
    );
    expect(failWith(compileCondition("order.date > stock.onHand", schema), "RuleTypeError").issues).toEqual([
      { path: "", span: { start: 0, end: 25 }, message: "cannot compare date with decimal using >" },
    ]);
  });
});

describe("names", () => {
  it("refuses reserved words and __proto__ as fact names, accepts dotted and Chinese names", () => {
    expect(failWith(checkCondition({ kind: "fact", name: "a.__proto__" }, facts), "InvalidInput").issues[0]!.path).toBe("name");
    expect(failWith(parseCondition("__proto__ = 1"), "RuleSyntaxError").message).toContain("reserved");
    expect(failWith(parseCondition("days > 1"), "RuleSyntaxError")._tag).toBe("RuleSyntaxError");
    expect(ok(parseCondition("库存.安全库存 > 1 and order.in = 2")).condition).toMatchObject({ left: { left: { kind: "fact", name: "库存.安全库存" } } });
  });
});

describe("schemas", () => {
  it("the AST and rule-set schemas convert to JSON Schema (for the server's OpenAPI document)", () => {
    expect(z.toJSONSchema(ExprSchema)).toHaveProperty("oneOf");
    expect(z.toJSONSchema(RuleSetDefinitionSchema)).toHaveProperty("properties.rules");
  });
});
