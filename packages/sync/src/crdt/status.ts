/**
 * The document-status register: a status that only moves forward, as a join-semilattice.
 *
 * ```
 *                 ┌──► approved ──► posted ──┐
 * draft ──► pending                          ├──► cancelled
 *                 └──► rejected ─────────────┘
 * ```
 *
 * `draft < pending < approved < posted < cancelled` and `pending < rejected < cancelled`.
 * `approved` and `rejected` are incomparable: two conflicting decisions (only possible with two
 * approvers) join to `cancelled`, the safe answer — the document is void and the audit log shows
 * both decisions. `rejected` and `posted` likewise join to `cancelled`. The join is the least
 * upper bound, so merging statuses is commutative, associative and idempotent.
 *
 * @module
 */
import { z } from "zod";

/** The statuses of a document (单据状态). */
export const DocumentStatusSchema = z.enum(["draft", "pending", "approved", "rejected", "posted", "cancelled"]);
/** A document status. */
export type DocumentStatus = z.output<typeof DocumentStatusSchema>;

const RANK: Record<DocumentStatus, number> = { draft: 0, pending: 1, approved: 2, rejected: 2, posted: 3, cancelled: 4 };

/** Whether `a ≤ b` in the status lattice (b is `a` or comes after it). */
export const statusLeq = (a: DocumentStatus, b: DocumentStatus): boolean => {
  if (a === b || b === "cancelled") return true;
  if (a === "cancelled") return false;
  if (a === "rejected" || b === "rejected") return a !== "rejected" && RANK[a] < RANK.rejected;
  return RANK[a] < RANK[b];
};

/** The join (least upper bound) of two statuses. */
export const joinStatus = (a: DocumentStatus, b: DocumentStatus): DocumentStatus => {
  if (statusLeq(a, b)) return b;
  if (statusLeq(b, a)) return a;
  return "cancelled";
};

/** The status of one document and the replica that set it (the writer of the larger status wins; ties keep the smaller id). */
export interface StatusEntry {
  /** The document (operation) id. */
  readonly doc: string;
  readonly status: DocumentStatus;
  /** The replica that set this status. */
  readonly by: string;
}

/** Joins two entries of the same document. */
export const joinStatusEntry = (a: StatusEntry, b: StatusEntry): StatusEntry => {
  const status = joinStatus(a.status, b.status);
  if (status === a.status && status === b.status) return a.by <= b.by ? a : b;
  if (status === a.status) return a;
  if (status === b.status) return b;
  return { doc: a.doc, status, by: a.by <= b.by ? a.by : b.by };
};
