/**
 * The authority policy: which operations an edge may do alone and which wait for the center's
 * approval, and what happens when an edge runs out of rights. Plain data (zod), so it can be
 * stored, sent and shown. The center does everything alone.
 *
 * Default: cross-region transfers, scrapping and price changes need approval; store sales,
 * requisitions, receipts, local moves, transfers within the region and stocktakes do not; an
 * operation beyond the edge's rights is refused (`outOfRights: "refuse"`) — or, with
 * `"queue"`, sent to the center, which grants the rights it holds and approves, or rejects.
 *
 * Auto-approval at the center is `ReplicaOptions.autoApprove`: a predicate, or a rule set of the
 * core rule language through `approvalByRules`.
 *
 * @module
 */
import { z } from "zod";
import type { LocalOperation } from "./operation.js";

/** What the policy speaks of: an operation kind, with cross-region transfers apart. */
export const AuthorityKindSchema = z.enum([
  "sale",
  "requisition",
  "scrap",
  "receipt",
  "transfer-out",
  "cross-region-transfer",
  "transfer-in",
  "move",
  "stocktake",
  "price-change",
  "master-data",
]);
/** An authority kind. */
export type AuthorityKind = z.output<typeof AuthorityKindSchema>;

/** The authority policy of edges. */
export const AuthorityPolicySchema = z.object({
  /** Kinds an edge may only request: they stay pending until the center approves or rejects. */
  approval: z.array(AuthorityKindSchema).default(["cross-region-transfer", "scrap", "price-change"]),
  /** An operation beyond the edge's rights: `refuse` it (typed error), or `queue` it for the center. */
  outOfRights: z.enum(["refuse", "queue"]).default("refuse"),
});
/** A parsed authority policy. */
export type AuthorityPolicy = z.output<typeof AuthorityPolicySchema>;
/** An authority policy as written (every field has a default). */
export type AuthorityPolicyInput = z.input<typeof AuthorityPolicySchema>;

/** The policy's name for an operation. */
export const authorityKindOf = (op: LocalOperation): AuthorityKind =>
  op.kind === "transfer-out" && op.crossRegion ? "cross-region-transfer" : op.kind;

/** Whether an edge needs the center's approval for `op` under `policy`. */
export const needsApproval = (policy: AuthorityPolicy, op: LocalOperation): boolean => policy.approval.includes(authorityKindOf(op));
