/**
 * Auto-approval by the core rule language: the center runs a rule set over what it knows about
 * an edge's request — e.g. `approve a transfer to a store whose 30-day sales growth > 20%`,
 * `store.salesGrowth30d > 0.2 and request.kind = "cross-region-transfer"` — and the first rule
 * that fires decides. Rules are data (stored, versioned, diffed with `@jxc/core`'s rule sets);
 * every decision comes with the rule's explanation, and a request no rule decides waits for a
 * person ({@link Replica.decide}).
 *
 * @module
 */
import { InvalidInput, type RuleEvaluationError, type RuleSet, type RuleSetEvaluation, evaluateRuleSet } from "@jxc/core";
import { Result } from "effect";
import type { ApprovalRequest } from "./replica.js";

/** The actions an approval rule set may name. */
export const APPROVAL_ACTIONS = ["approve", "reject"] as const;

/** What the rules made of one request: the decision (none: left to a person) and why. */
export interface RuledApproval {
  readonly request: ApprovalRequest;
  /** `approved` or `rejected` by the first rule that fired; absent when none fired or the facts were wrong. */
  readonly decision?: "approved" | "rejected" | undefined;
  /** The evaluation (fired rule, its explanation and every fact read), when the facts were valid. */
  readonly evaluation?: RuleSetEvaluation | undefined;
  /** Why the rules could not run (a missing or ill-typed fact, a division by zero). */
  readonly error?: InvalidInput | RuleEvaluationError | undefined;
}

/**
 * Builds the center's `autoApprove` function (`ReplicaOptions.autoApprove`) from a loaded rule
 * set whose actions are `approve` and `reject`. `factsOf` gives the facts of a request (what the
 * center knows: the store's sales growth, the request's kind and quantity…); `onRuled` receives
 * every outcome with its explanation (for the audit log or a review screen). A rule set naming
 * another action is refused with an {@link InvalidInput}.
 */
export const approvalByRules = (
  rules: RuleSet,
  factsOf: (request: ApprovalRequest) => unknown,
  onRuled?: (outcome: RuledApproval) => void,
): Result.Result<(request: ApprovalRequest) => "approved" | "rejected" | undefined, InvalidInput> => {
  const foreign = Object.keys(rules.definition.actions).filter((a) => !(APPROVAL_ACTIONS as ReadonlyArray<string>).includes(a));
  if (foreign.length > 0)
    return Result.fail(
      new InvalidInput({
        subject: "approval rule set",
        issues: foreign.map((a) => ({ path: `actions.${a}`, message: `an approval rule set acts only by ${APPROVAL_ACTIONS.join(" or ")}` })),
        message: `invalid approval rule set: actions ${foreign.join(", ")} are neither approve nor reject`,
      }),
    );
  return Result.succeed((request) => {
    const evaluated = evaluateRuleSet(rules, factsOf(request));
    if (Result.isFailure(evaluated)) {
      onRuled?.({ request, error: evaluated.failure });
      return undefined;
    }
    const fired = evaluated.success.fired[0];
    const decision = fired === undefined ? undefined : fired.action === "approve" ? "approved" : "rejected";
    onRuled?.({ request, decision, evaluation: evaluated.success });
    return decision;
  });
};
