import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCondition, Dec, evaluateCondition, evaluateRuleSet, evaluateWithFacts, explainTrace, factReader, loadRuleSet, readFactsWith, type CheckedCondition, type FactType } from "@jxc/core";
import { anyConditionArb, factsArb, ruleSetDefinitionArb, ruleTestFacts, wellTypedConditionArb } from "@jxc/core/testing";
import { readPlainFactValue, factValueSchema } from "../src/rules/fact-schema.js";
import { explainPlanTrace, planOf } from "../src/rules/evaluation-plan.js";
import { referenceEvaluateCondition, referenceEvaluateRuleSet, referenceEvaluateWithFacts, referenceReadFacts } from "./rules-reference.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** A result as everything a caller can see of it: the success as JSON and as data, or the typed error with its fields. */
const seen = (r: Result.Result<unknown, { readonly _tag: string; readonly message: string }>) =>
  Result.isSuccess(r) ? { ok: JSON.stringify(r.success), value: r.success } : { error: r.failure._tag, message: r.failure.message, fields: JSON.stringify(r.failure) };

/** Holds the fast result to the reference: same JSON, same data, same typed error. */
const expectSame = (fast: Result.Result<unknown, { readonly _tag: string; readonly message: string }>, reference: Result.Result<unknown, { readonly _tag: string; readonly message: string }>) => {
  expect(seen(fast)).toEqual(seen(reference));
};

/** Near misses of valid values of every fact type. */
const NEAR_MISSES: ReadonlyArray<unknown> = [
  ...["0", "-0", "+5", "0.50", "007", "1e3", "1E-2", ".5", "5.", "-.5", " 1", "1 ", "１", "", "abc", "1,5", "NaN", "Infinity", "12345678901234567890123456789012345678.5"],
  ...["2026-02-29", "2024-02-29", "2026-13-01", "0000-01-01", "2026-01-02T09:00:00+08:00", "2026-01-02T24:00:00Z", "2026-01-02T09:00Z", "general", "small", "General"],
  ...[undefined, null, 0, 1, -1, 1.5, 2 ** 53, NaN, Infinity, true, false, [], {}, ["a"], ["a", 1], [undefined], new Dec("1.5"), new Dec("2"), new Dec(NaN)],
];

/** Values a mutated fact may take: near misses of valid values of every type, and plain junk. */
const junkArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NEAR_MISSES),
  fc.string(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.anything(),
);

/** Facts with some values replaced, removed or nested under their dotted path. */
const mutatedFactsArb = fc
  .tuple(factsArb(), fc.array(fc.tuple(fc.constantFrom(...Object.keys(ruleTestFacts)), fc.constantFrom("set", "delete", "nest"), junkArb), { maxLength: 3 }), fc.nat({ max: 9 }))
  .map(([facts, mutations, root]): unknown => {
    const out: Record<string, unknown> = { ...facts };
    for (const [name, how, junk] of mutations) {
      if (how === "set") out[name] = junk;
      else if (how === "delete") delete out[name];
      else {
        const value = out[name];
        delete out[name];
        const [head, ...rest] = name.split(".");
        if (rest.length > 0) out[head!] = { [rest.join(".")]: value };
        else out[name] = value;
      }
    }
    return root === 0 ? [out] : root === 1 ? null : out;
  });

/** Every fact type the rule arbitraries use. */
const FACT_TYPES: ReadonlyArray<FactType> = [...new Set(Object.values(ruleTestFacts).map((t) => JSON.stringify(t))), '"list"'].map((t) => JSON.parse(t) as FactType);

/** The plain reading of `value` is zod's reading, and it reads nothing zod refuses. */
const expectPlainAsZod = (type: FactType, value: unknown) => {
  const plain = readPlainFactValue(type, value);
  if (plain === undefined) return;
  const parsed = factValueSchema(type).safeParse(value);
  expect({ type, value, accepted: parsed.success }).toEqual({ type, value, accepted: true });
  if (!parsed.success) return;
  expect(plain).toEqual(parsed.data);
  expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed.data));
};

describe("evaluation plans against the reference interpreter (fast-check, 1,000 runs each)", () => {
  it("every near miss of every fact type is read plainly only as zod reads it", () => {
    for (const type of FACT_TYPES) for (const value of NEAR_MISSES) expectPlainAsZod(type, value);
  });

  it("a plain fact value is read exactly as its zod schema reads it, and nothing the schema refuses is read", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FACT_TYPES), fc.oneof(junkArb, fc.constantFrom(...FACT_TYPES).chain((t) => factsArb({ x: t }).map((f) => f.x))), expectPlainAsZod),
      runs,
    );
  });

  it("facts, valid or mutated, are read as zod alone reads them: the same values or the same issues", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...Object.keys(ruleTestFacts), "unknown.fact"]), mutatedFactsArb, (names, facts) => {
        const reader = factReader(ruleTestFacts, names);
        expectSame(readFactsWith(reader, facts), referenceReadFacts(reader, facts));
      }),
      runs,
    );
  });

  it("well-typed conditions over valid or mutated facts: the same value, facts, trace and error as the reference", () => {
    fc.assert(
      fc.property(wellTypedConditionArb(), fc.oneof(factsArb(), mutatedFactsArb), (expr, facts) => {
        const checked = Result.getOrThrow(checkCondition(expr, ruleTestFacts));
        expectSame(evaluateCondition(checked, facts), referenceEvaluateCondition(checked, facts));
      }),
      runs,
    );
  });

  it("any condition the checker accepts: the same result as the reference, and the plan's explanation is explainTrace's", () => {
    fc.assert(
      fc.property(fc.oneof(anyConditionArb(), wellTypedConditionArb()), factsArb(), (expr, facts) => {
        const checked = checkCondition(expr, ruleTestFacts);
        if (Result.isFailure(checked)) return;
        const read = Result.getOrThrow(readFactsWith(checked.success.reader, facts));
        const fast = evaluateWithFacts(checked.success, read);
        expectSame(fast, referenceEvaluateWithFacts(checked.success, read));
        if (Result.isSuccess(fast)) expect(explainPlanTrace(planOf(checked.success), fast.success.trace)).toBe(explainTrace(fast.success.trace, expr));
      }),
      runs,
    );
  });

  it("a copy of a checked condition (which carries no plan) evaluates as the condition itself", () => {
    fc.assert(
      fc.property(wellTypedConditionArb({ maxDepth: 3 }), factsArb(), (expr, facts) => {
        const checked = Result.getOrThrow(checkCondition(expr, ruleTestFacts));
        const copy: CheckedCondition = { ...checked };
        expect(copy).toEqual(checked);
        expectSame(evaluateCondition(copy, facts), evaluateCondition(checked, facts));
      }),
      runs,
    );
  });

  it("rule sets over valid or mutated facts: the same outcomes, fired rules, explanations, facts and errors as the reference", () => {
    fc.assert(
      fc.property(ruleSetDefinitionArb({ maxDepth: 3 }), fc.oneof(factsArb(), mutatedFactsArb), (definition, facts) => {
        const set = Result.getOrThrow(loadRuleSet(definition));
        expectSame(evaluateRuleSet(set, facts), referenceEvaluateRuleSet(set, facts));
      }),
      runs,
    );
  });
});
