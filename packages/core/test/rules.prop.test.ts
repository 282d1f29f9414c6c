import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkCondition,
  compileCondition,
  Dec,
  diffRuleSets,
  evaluateCondition,
  evaluateRuleSet,
  formatCondition,
  loadRuleSet,
  parseCondition,
  readCondition,
  ruleSetToJson,
  type Expr,
  type RuleSetDefinition,
} from "@jxc/core";
import {
  anyConditionArb,
  decimalTextArb,
  factsArb,
  illTypedConditionArb,
  mutatedTextArb,
  ruleSetDefinitionArb,
  ruleTestFacts,
  wellTypedConditionArb,
} from "@jxc/core/testing";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const ERROR_TAGS = ["RuleSyntaxError", "RuleTypeError", "InvalidInput", "RuleEvaluationError"];

/** The result is a Result, and a failure carries one of the rule language's typed errors. */
const expectTypedOutcome = (r: Result.Result<unknown, { readonly _tag: string }>) => {
  expect(Result.isResult(r)).toBe(true);
  if (Result.isFailure(r)) expect(ERROR_TAGS).toContain(r.failure._tag);
};

/** Text that parses is stable (text → AST → text → AST); text that does not gets a span inside it. */
const expectStableOrPointed = (text: string, parsed: ReturnType<typeof parseCondition>) => {
  if (Result.isSuccess(parsed)) {
    const again = Result.getOrThrow(parseCondition(formatCondition(parsed.success.condition)));
    expect(again.condition).toEqual(parsed.success.condition);
  } else {
    const { start, end } = parsed.failure.span;
    expect(0 <= start && start <= end && end <= text.length).toBe(true);
  }
};

describe("rule language properties (fast-check, 1,000 runs each)", () => {
  it("every generated well-typed condition is accepted by the checker", () => {
    fc.assert(
      fc.property(wellTypedConditionArb(), (expr) => {
        const checked = checkCondition(expr, ruleTestFacts);
        if (Result.isFailure(checked)) throw new Error(`${formatCondition(expr)}: ${checked.failure.message}`);
      }),
      runs,
    );
  });

  it("parse(format(ast)) equals ast, and the text is stable: text → AST → text → AST", () => {
    fc.assert(
      fc.property(wellTypedConditionArb(), (expr) => {
        const text = formatCondition(expr);
        const parsed = parseCondition(text);
        if (Result.isFailure(parsed)) throw new Error(`${text}: ${parsed.failure.message}`);
        expect(parsed.success.condition).toEqual(expr);
        expect(formatCondition(parsed.success.condition)).toBe(text);
        // every node has a span, and the root spans the whole text
        expect(parsed.success.spans.get("")).toEqual({ start: 0, end: text.length });
      }),
      runs,
    );
  });

  it("any shape-valid AST, well-typed or not, also survives format → parse", () => {
    fc.assert(
      fc.property(anyConditionArb(), (expr) => {
        const read = readCondition(expr);
        if (Result.isFailure(read)) return; // e.g. a variable named like a fact: refused as a shape error
        const parsed = parseCondition(formatCondition(expr));
        // Only a `var` outside its quantifier or a fact named like a bound variable changes meaning in text.
        if (Result.isSuccess(parsed) && JSON.stringify(parsed.success.condition) !== JSON.stringify(expr)) {
          expect(JSON.stringify(expr)).toMatch(/"kind":"var"|"name":"t"/);
        } else expect(Result.isSuccess(parsed)).toBe(true);
      }),
      runs,
    );
  });

  it("a condition round-trips through JSON unchanged and is read back identically", () => {
    fc.assert(
      fc.property(wellTypedConditionArb(), (expr) => {
        const wire = JSON.parse(JSON.stringify(expr)) as unknown;
        expect(wire).toEqual(expr);
        expect(Result.getOrThrow(readCondition(wire))).toEqual(expr);
      }),
      runs,
    );
  });

  it("every ill-typed condition is refused by the checker with a typed error naming a path (never evaluated, never thrown)", () => {
    fc.assert(
      fc.property(illTypedConditionArb(), (expr) => {
        const checked = checkCondition(expr, ruleTestFacts);
        expect(Result.isFailure(checked)).toBe(true);
        if (Result.isSuccess(checked)) return;
        expect(checked.failure._tag).toBe("RuleTypeError");
        if (checked.failure._tag !== "RuleTypeError") return;
        expect(checked.failure.issues.length).toBeGreaterThan(0);
        // the same fault found from text points at characters of the text
        const text = formatCondition(expr);
        const compiled = compileCondition(text, ruleTestFacts);
        expect(Result.isFailure(compiled) && compiled.failure._tag).toBe("RuleTypeError");
        if (Result.isFailure(compiled) && compiled.failure._tag === "RuleTypeError") {
          for (const issue of compiled.failure.issues) {
            expect(issue.span).toBeDefined();
            expect(issue.span!.end).toBeLessThanOrEqual(text.length);
          }
        }
      }),
      runs,
    );
  });

  it("random ASTs: the checker answers without throwing, and whatever it accepts evaluates without throwing", () => {
    fc.assert(
      fc.property(anyConditionArb(), factsArb(), (expr, facts) => {
        const checked = checkCondition(expr, ruleTestFacts);
        expectTypedOutcome(checked);
        if (Result.isSuccess(checked)) {
          const evaluated = evaluateCondition(checked.success, facts);
          expectTypedOutcome(evaluated);
          if (Result.isSuccess(evaluated)) expect(typeof evaluated.success.value).toBe("boolean");
        }
      }),
      runs,
    );
  });

  it("well-typed conditions evaluate over any valid facts to a boolean or a typed evaluation error, with a trace of every fact read", () => {
    fc.assert(
      fc.property(wellTypedConditionArb(), factsArb(), (expr, facts) => {
        const checked = Result.getOrThrow(checkCondition(expr, ruleTestFacts));
        const evaluated = evaluateCondition(checked, facts);
        if (Result.isFailure(evaluated)) {
          expect(evaluated.failure._tag).toBe("RuleEvaluationError");
          return;
        }
        expect(evaluated.success.trace.value).toBe(evaluated.success.value);
        expect(Object.keys(evaluated.success.facts).sort()).toEqual([...checked.reads].sort());
      }),
      runs,
    );
  });

  it("decimal exactness: a sum computed by a rule equals the decimal.js sum, to the last digit", () => {
    fc.assert(
      fc.property(fc.array(decimalTextArb(), { minLength: 1, maxLength: 8 }), (terms) => {
        const expected = terms.reduce((sum, t) => sum.plus(new Dec(t)), new Dec(0));
        const sum = terms.slice(1).reduce<Expr>((left, t) => ({ kind: "arith", op: "+", left, right: { kind: "number", value: t } }), { kind: "number", value: terms[0]! });
        const expr: Expr = { kind: "compare", op: "=", left: sum, right: { kind: "fact", name: "stock.onHand" } };
        const checked = Result.getOrThrow(checkCondition(expr, ruleTestFacts));
        const evaluated = Result.getOrThrow(evaluateCondition(checked, { "stock.onHand": expected.toFixed() }));
        expect(evaluated.value).toBe(true);
        expect(evaluated.trace.children[0]!.value).toBe(expected.toFixed());
        // and from text
        const fromText = Result.getOrThrow(compileCondition(`${terms.join(" + ")} = stock.onHand`, ruleTestFacts));
        expect(Result.getOrThrow(evaluateCondition(fromText, { "stock.onHand": expected.toFixed() })).value).toBe(true);
      }),
      runs,
    );
  });

  it("fuzzed text (random strings) gives a value or a typed parse/check error, never a throw", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom(..."()[]\",:.-+*/<>=!&|abdeinorstyx0123456789 ".split("")) })), (text) => {
        const parsed = parseCondition(text);
        expectTypedOutcome(parsed);
        expectStableOrPointed(text, parsed);
        expectTypedOutcome(compileCondition(text, ruleTestFacts));
      }),
      runs,
    );
  });

  it("mutated valid rules give a value or a typed parse/check/evaluation error, never a throw", () => {
    fc.assert(
      fc.property(mutatedTextArb(wellTypedConditionArb({ maxDepth: 3 }).map(formatCondition)), factsArb(), (text, facts) => {
        expectStableOrPointed(text, parseCondition(text));
        const compiled = compileCondition(text, ruleTestFacts);
        expectTypedOutcome(compiled);
        if (Result.isSuccess(compiled)) expectTypedOutcome(evaluateCondition(compiled.success, facts));
      }),
      runs,
    );
  });

  it("random JSON is refused as a condition with a typed error, never a throw", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        expectTypedOutcome(checkCondition(json, ruleTestFacts));
      }),
      runs,
    );
  });

  it("a rule set round-trips through JSON unchanged (with its hash), and loads again to the same rules", () => {
    fc.assert(
      fc.property(ruleSetDefinitionArb(), (definition) => {
        const loaded = loadRuleSet(JSON.parse(JSON.stringify(definition)));
        if (Result.isFailure(loaded)) throw new Error(loaded.failure.message);
        const json = ruleSetToJson(loaded.success);
        expect(json).toEqual({ ...definition, hash: loaded.success.hash });
        const wire = JSON.parse(JSON.stringify(json)) as unknown;
        const again = Result.getOrThrow(loadRuleSet(wire));
        expect(ruleSetToJson(again)).toEqual(json);
        expect(JSON.stringify(ruleSetToJson(again))).toBe(JSON.stringify(json));
        expect(again.hash).toBe(loaded.success.hash);
        expect(again.rules.map((r) => r.id)).toEqual(loaded.success.rules.map((r) => r.id));
      }),
      runs,
    );
  });

  it("rule sets run by priority: all-matches fires exactly the matching rules, first-match the first of them", () => {
    fc.assert(
      fc.property(ruleSetDefinitionArb({ maxDepth: 2 }), factsArb(), (definition, facts) => {
        const set = Result.getOrThrow(loadRuleSet(definition));
        const all = evaluateRuleSet(Result.getOrThrow(loadRuleSet({ ...definition, mode: "all-matches" })), facts);
        if (Result.isFailure(all)) {
          expect(all.failure._tag).toBe("RuleEvaluationError");
          return;
        }
        const priorities = all.success.outcomes.map((o) => set.rules.find((r) => r.id === o.rule)!.priority);
        expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
        expect(all.success.fired.map((f) => f.rule)).toEqual(all.success.outcomes.filter((o) => o.matched).map((o) => o.rule));
        const first = evaluateRuleSet(Result.getOrThrow(loadRuleSet({ ...definition, mode: "first-match" })), facts);
        if (Result.isFailure(first)) return; // a rule after the first match divided by zero under all-matches only
        expect(first.success.fired.map((f) => f.rule)).toEqual(all.success.fired.slice(0, 1).map((f) => f.rule));
      }),
      { numRuns: runs.numRuns },
    );
  });

  it("a version diffed with itself is empty; with another version it names exactly the rule ids added and removed", () => {
    fc.assert(
      fc.property(ruleSetDefinitionArb({ maxDepth: 2 }), ruleSetDefinitionArb({ maxDepth: 2 }), (a, b) => {
        const before = Result.getOrThrow(loadRuleSet(a));
        const after = Result.getOrThrow(loadRuleSet({ ...b, version: a.version + 1 }));
        const self = diffRuleSets(before, before);
        expect([self.settings, self.added, self.removed, self.changed]).toEqual([[], [], [], []]);
        const diff = diffRuleSets(before, after);
        const ids = (d: RuleSetDefinition) => new Set(d.rules.map((r) => r.id));
        expect(diff.added.map((r) => r.id)).toEqual(b.rules.map((r) => r.id).filter((id) => !ids(a).has(id)));
        expect(diff.removed.map((r) => r.id)).toEqual(a.rules.map((r) => r.id).filter((id) => !ids(b).has(id)));
        expect(diff.to.version).toBe(a.version + 1);
      }),
      runs,
    );
  });

  it("fuzzed rule sets (random JSON, mutated conditions and parameters) give a rule set or a typed error, never a throw", () => {
    fc.assert(
      fc.property(
        ruleSetDefinitionArb({ maxDepth: 2 }),
        mutatedTextArb(wellTypedConditionArb({ maxDepth: 2 }).map(formatCondition)),
        fc.jsonValue(),
        fc.nat(),
        (definition, text, junk, at) => {
          expectTypedOutcome(loadRuleSet(junk));
          if (definition.rules.length === 0) return;
          const i = at % definition.rules.length;
          const rules = definition.rules.map((r, j) => (j === i ? { ...r, condition: text, params: at % 3 === 0 ? { junk } : r.params } : r));
          expectTypedOutcome(loadRuleSet({ ...definition, rules }));
          expectTypedOutcome(loadRuleSet({ ...definition, rules: rules.map((r, j) => (j === i ? { ...r, condition: junk } : r)) } as unknown));
        },
      ),
      runs,
    );
  });
});
