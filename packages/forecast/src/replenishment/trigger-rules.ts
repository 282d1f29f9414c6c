/**
 * The reorder trigger as a rule set of the `@jxc/core` rule language: whether a position is
 * reordered is decided by rules over facts the planner computes (`inventory.position`,
 * `policy.reorderPoint`, `forecast.next7d`, `supplier.leadTimeDays`…), so that a business can edit
 * the trigger as text and every suggestion carries the rule that fired with its fact values.
 *
 * Actions: `reorder` (order by the policy: up to S, or multiples of Q) and `hold` (order nothing).
 * Under `first-match`, the first rule that holds decides; when none holds nothing is ordered.
 *
 * @module
 */
import type { FactSchema, RuleSetDefinition } from "@jxc/core";

/** The facts the planner provides to trigger rules (decimals are quantities in the base unit). */
export const REPLENISHMENT_FACTS = {
  "policy.kind": { enum: ["s,Q", "s,S", "R,S", "R,s,S"] },
  "policy.reorderPoint": "decimal",
  "policy.orderUpTo": "decimal",
  "policy.orderQty": "decimal",
  "inventory.position": "decimal",
  "stock.onHand": "decimal",
  "stock.pipeline": "decimal",
  "stock.backordered": "decimal",
  "forecast.next7d": "decimal",
  "forecast.leadTimeDemand": "decimal",
  "safetyStock.dynamic": "decimal",
  "supplier.leadTimeDays": "integer",
  "item.id": "string",
  "warehouse.id": "string",
} as const satisfies FactSchema;

/**
 * The default reorder trigger (first-match): a continuous-review policy reorders when the
 * inventory position is at or below the reorder point s and some demand is expected over the lead
 * time; an order-up-to (R,S) policy at each review when the position is below S.
 */
export const DEFAULT_TRIGGER_RULES: RuleSetDefinition = {
  id: "replenishment-trigger",
  version: 1,
  description: "Reorder when the inventory position reaches the reorder point (or is below S at an (R,S) review).",
  mode: "first-match",
  facts: REPLENISHMENT_FACTS,
  actions: { reorder: { description: "order by the policy", params: {} }, hold: { description: "order nothing", params: {} } },
  rules: [
    {
      id: "order-up-to-at-review",
      description: "(R,S): at a review, order up to S when the position is below it",
      priority: 10,
      condition: 'policy.kind = "R,S" and inventory.position < policy.orderUpTo and forecast.leadTimeDemand > 0',
      action: "reorder",
      params: {},
    },
    {
      id: "reorder-point-reached",
      description: "(s,Q), (s,S), (R,s,S): the inventory position is at or below the reorder point s",
      priority: 20,
      condition: 'policy.kind != "R,S" and inventory.position <= policy.reorderPoint and forecast.leadTimeDemand > 0',
      action: "reorder",
      params: {},
    },
  ],
};
