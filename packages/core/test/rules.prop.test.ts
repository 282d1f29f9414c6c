import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCondition, compileCondition, Dec, evaluateCondition, formatCondition, loadRuleSet, parseCondition, readCondition, ruleSetToJson, type Expr } from "@jxc/core";
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
        expectTypedOutcome(parseCondition(text));
        expectTypedOutcome(compileCondition(text, ruleTestFacts));
      }),
      runs,
    );
  });

  it("mutated valid rules give a value or a typed parse/check/evaluation error, never a throw", () => {
    fc.assert(
      fc.property(mutatedTextArb(wellTypedConditionArb({ maxDepth: 3 }).map(formatCondition)), factsArb(), (text, facts) => {
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
});
