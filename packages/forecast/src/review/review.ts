/**
 * Human review of replenishment suggestions (人工审核): each suggestion is accepted, accepted with
 * a changed quantity, or rejected, with a reason code from the log's {@link ReasonCatalogue}, by a
 * reviewer at a time given as arguments. A suggestion is reviewed once: a second decision is an
 * {@link AlreadyReviewed} error unless it is an explicit revision (`revision: true`), which
 * supersedes the decision in force and keeps every earlier one in the history.
 *
 * Rules:
 * - `change` and `reject` need a reason; `accept` may carry one. A code whose definition
 *   `requiresNote` (built-in: `other`) needs a note.
 * - `change` gives a quantity greater than 0 and different from the one suggested (to order
 *   nothing, reject; to order the suggestion, accept).
 * - A decision is not dated before the suggestion's `createdAt`; a revision not before the
 *   decision it supersedes.
 * - The ordered quantity of a decision is the suggested quantity (accept), the changed quantity
 *   (change) or 0 (reject).
 *
 * The suggestion shape is deliberately small — `{ id, item, warehouse, suggestedQty, createdAt,
 * category?, explanation? }` — and extra fields are ignored, so suggestions of the replenishment
 * planner can be passed as they are. The log is immutable: {@link recordReview} returns a new one.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { Dec, NonNegativeDecimalString, PositiveDecimalString, parseInput, type InvalidInput } from "@jxc/core";
import { AlreadyReviewed, InvalidReviewTime, NotReviewed, ReasonRequired, SuggestionConflict, UnchangedQuantity, UnknownReasonCode } from "./errors.js";
import { defaultReasonCatalogue, findReasonCode, type ReasonCatalogue, type ReasonCode } from "./reasons.js";

const Instant = z.iso.datetime({ offset: true });

const NonNegativeQty = z.union([
  z.instanceof(Dec).refine((d) => d.isFinite() && d.gte(0), "must be a finite decimal, 0 or greater"),
  NonNegativeDecimalString,
]);

/**
 * A replenishment suggestion to review: `suggestedQty` as a decimal string (or a `Dec`),
 * `createdAt` an ISO-8601 instant with offset. Unknown fields are dropped.
 */
export const ReviewSuggestionSchema = z.object({
  id: z.string().min(1),
  item: z.string().min(1),
  warehouse: z.string().min(1),
  suggestedQty: NonNegativeQty,
  createdAt: Instant,
  category: z.string().min(1).optional(),
  explanation: z.unknown().optional(),
});
/** A {@link ReviewSuggestionSchema} input. */
export type ReviewSuggestionInput = z.input<typeof ReviewSuggestionSchema>;
/** A parsed {@link ReviewSuggestionSchema} value. */
export type ReviewSuggestion = z.output<typeof ReviewSuggestionSchema>;

/** A reason given with a decision: a code of the catalogue and an optional note. */
export const ReviewReasonSchema = z.strictObject({ code: z.string().min(1), note: z.string().min(1).optional() });
/** A {@link ReviewReasonSchema} value. */
export interface ReviewReason {
  /** The reason code. */
  readonly code: ReasonCode;
  /** Free text, required by some codes. */
  readonly note?: string | undefined;
}

const decisionCommon = {
  reason: ReviewReasonSchema.optional(),
  reviewer: z.string().min(1),
  at: Instant,
  revision: z.boolean().default(false),
};

/** A reviewer's decision on one suggestion: `accept`, `change` (with `qty`) or `reject`. */
export const ReviewDecisionSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("accept"), ...decisionCommon }),
  z.strictObject({ action: z.literal("change"), qty: PositiveDecimalString, ...decisionCommon }),
  z.strictObject({ action: z.literal("reject"), ...decisionCommon }),
]);
/** A {@link ReviewDecisionSchema} input (decimals as strings). */
export type ReviewDecisionInput = z.input<typeof ReviewDecisionSchema>;

/** What a reviewer did with a suggestion. */
export type ReviewAction = "accept" | "change" | "reject";

/** One recorded decision. */
export interface ReviewRecord {
  /** What was decided. */
  readonly action: ReviewAction;
  /** The quantity to order as decided: suggested (accept), changed (change) or 0 (reject). */
  readonly qty: Dec;
  /** The reason given, if any. */
  readonly reason?: ReviewReason | undefined;
  /** Who decided. */
  readonly reviewer: string;
  /** When, as given (ISO-8601 with offset). */
  readonly at: string;
  /** 0 for the first decision, 1 for the first revision, … */
  readonly revision: number;
}

/** A reviewed suggestion: the decision in force and the full history (oldest first, the one in force last). */
export interface SuggestionReview {
  /** The suggestion as reviewed. */
  readonly suggestion: ReviewSuggestion;
  /** The decision in force. */
  readonly decision: ReviewRecord;
  /** Every decision, oldest first. */
  readonly history: ReadonlyArray<ReviewRecord>;
}

/** The review log: reviewed suggestions by id, and the reason catalogue decisions are checked against. */
export interface ReviewLog {
  /** Reviewed suggestions by suggestion id, in order of first review. */
  readonly reviews: ReadonlyMap<string, SuggestionReview>;
  /** The reason codes accepted. */
  readonly catalogue: ReasonCatalogue;
}

/** The failures of {@link recordReview}. */
export type ReviewFailure =
  | InvalidInput
  | AlreadyReviewed
  | NotReviewed
  | UnknownReasonCode
  | ReasonRequired
  | InvalidReviewTime
  | SuggestionConflict
  | UnchangedQuantity;

/** An empty review log over a reason catalogue (default: the built-in codes). */
export const emptyReviewLog = (catalogue: ReasonCatalogue = defaultReasonCatalogue): ReviewLog => ({ reviews: new Map(), catalogue });

const conflictField = (previous: ReviewSuggestion, next: ReviewSuggestion): string | undefined => {
  if (previous.item !== next.item) return "item";
  if (previous.warehouse !== next.warehouse) return "warehouse";
  if (!previous.suggestedQty.eq(next.suggestedQty)) return "suggestedQty";
  if (Date.parse(previous.createdAt) !== Date.parse(next.createdAt)) return "createdAt";
  if (previous.category !== next.category) return "category";
  return undefined;
};

/**
 * Records a decision on a suggestion and returns the new log (the given one is unchanged).
 * Fails with `InvalidInput` on a malformed suggestion or decision, {@link AlreadyReviewed} on a
 * second decision that is not a revision, {@link NotReviewed} on a revision of an unreviewed
 * suggestion, {@link UnknownReasonCode}, {@link ReasonRequired}, {@link InvalidReviewTime},
 * {@link SuggestionConflict} (same id, different content) and {@link UnchangedQuantity}.
 */
export const recordReview = (log: ReviewLog, suggestion: unknown, decision: unknown): Result.Result<ReviewLog, ReviewFailure> => {
  const s = parseInput(ReviewSuggestionSchema, suggestion, "suggestion");
  if (Result.isFailure(s)) return Result.fail(s.failure);
  const d = parseInput(ReviewDecisionSchema, decision, "review decision");
  if (Result.isFailure(d)) return Result.fail(d.failure);
  const sug = s.success;
  const dec = d.success;
  const previous = log.reviews.get(sug.id);
  if (previous !== undefined) {
    const field = conflictField(previous.suggestion, sug);
    if (field !== undefined) return Result.fail(new SuggestionConflict({ suggestion: sug.id, field }));
    if (!dec.revision) return Result.fail(new AlreadyReviewed({ suggestion: sug.id, reviewer: previous.decision.reviewer, at: previous.decision.at }));
  } else if (dec.revision) {
    return Result.fail(new NotReviewed({ suggestion: sug.id }));
  }
  const notBefore = previous?.decision.at ?? sug.createdAt;
  if (Date.parse(dec.at) < Date.parse(notBefore)) return Result.fail(new InvalidReviewTime({ suggestion: sug.id, at: dec.at, notBefore }));
  if (dec.reason === undefined && dec.action !== "accept") {
    return Result.fail(new ReasonRequired({ suggestion: sug.id, reason: `a ${dec.action} needs a reason code` }));
  }
  if (dec.reason !== undefined) {
    const definition = findReasonCode(log.catalogue, dec.reason.code);
    if (definition === undefined) return Result.fail(new UnknownReasonCode({ code: dec.reason.code, known: log.catalogue.codes.map((c) => c.code) }));
    if (definition.requiresNote && dec.reason.note === undefined) {
      return Result.fail(new ReasonRequired({ suggestion: sug.id, reason: `reason code ${dec.reason.code} needs a note` }));
    }
  }
  let qty: Dec;
  if (dec.action === "change") {
    if (dec.qty.eq(sug.suggestedQty)) return Result.fail(new UnchangedQuantity({ suggestion: sug.id, qty: dec.qty.toString() }));
    qty = dec.qty;
  } else {
    qty = dec.action === "accept" ? sug.suggestedQty : new Dec(0);
  }
  const record: ReviewRecord = {
    action: dec.action,
    qty,
    ...(dec.reason === undefined ? {} : { reason: dec.reason }),
    reviewer: dec.reviewer,
    at: dec.at,
    revision: previous === undefined ? 0 : previous.history.length,
  };
  const reviews = new Map(log.reviews);
  reviews.set(sug.id, {
    suggestion: previous?.suggestion ?? sug,
    decision: record,
    history: [...(previous?.history ?? []), record],
  });
  return Result.succeed({ reviews, catalogue: log.catalogue });
};
