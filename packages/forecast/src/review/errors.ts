/**
 * The expected failures of pilot selection, human review and the monthly review report, each
 * naming what is wrong.
 *
 * @module
 */
import { Data } from "effect";

/** The same SKU appears twice in a classification input. */
export class DuplicateSku extends Data.TaggedError("DuplicateSku")<{
  /** The SKU given more than once. */
  readonly sku: string;
}> {}

/** Class boundaries that are not in order (ABC shares must satisfy A ≤ B ≤ 1, XYZ CVs X ≤ Y). */
export class InvalidClassBoundaries extends Data.TaggedError("InvalidClassBoundaries")<{
  /** Which boundaries, `abc` or `xyz`. */
  readonly kind: "abc" | "xyz";
  /** What is wrong with them. */
  readonly reason: string;
}> {}

/** A second decision on a suggestion that was already reviewed, without asking for a revision. */
export class AlreadyReviewed extends Data.TaggedError("AlreadyReviewed")<{
  /** The suggestion id. */
  readonly suggestion: string;
  /** Who made the decision in force. */
  readonly reviewer: string;
  /** When the decision in force was made. */
  readonly at: string;
}> {}

/** A revision of a suggestion that has no decision yet (review it first). */
export class NotReviewed extends Data.TaggedError("NotReviewed")<{
  /** The suggestion id. */
  readonly suggestion: string;
}> {}

/** A reason code that is not in the reason catalogue in use. */
export class UnknownReasonCode extends Data.TaggedError("UnknownReasonCode")<{
  /** The code given. */
  readonly code: string;
  /** The codes the catalogue knows. */
  readonly known: ReadonlyArray<string>;
}> {}

/** A decision that lacks its reason code, or a reason code that requires a note given without one. */
export class ReasonRequired extends Data.TaggedError("ReasonRequired")<{
  /** The suggestion id. */
  readonly suggestion: string;
  /** What is missing, in words. */
  readonly reason: string;
}> {}

/** A decision dated before the suggestion was created, or before the decision it revises. */
export class InvalidReviewTime extends Data.TaggedError("InvalidReviewTime")<{
  /** The suggestion id. */
  readonly suggestion: string;
  /** The decision time given. */
  readonly at: string;
  /** The earliest acceptable time (exclusive for revisions, inclusive for first decisions). */
  readonly notBefore: string;
}> {}

/** A suggestion given with the id of one already in the review log but different content. */
export class SuggestionConflict extends Data.TaggedError("SuggestionConflict")<{
  /** The suggestion id. */
  readonly suggestion: string;
  /** Which field differs. */
  readonly field: string;
}> {}

/** A change of quantity to the quantity suggested (that is an acceptance, record it as one). */
export class UnchangedQuantity extends Data.TaggedError("UnchangedQuantity")<{
  /** The suggestion id. */
  readonly suggestion: string;
  /** The quantity, as text. */
  readonly qty: string;
}> {}

/** An outcome that names a suggestion the review log given to the report does not hold. */
export class UnknownSuggestion extends Data.TaggedError("UnknownSuggestion")<{
  /** The suggestion id named. */
  readonly suggestion: string;
  /** Where it was named, e.g. `outcomes.3.evidence.suggestion`. */
  readonly path: string;
}> {}

/** A reason code defined twice in a reason catalogue. */
export class DuplicateReasonCode extends Data.TaggedError("DuplicateReasonCode")<{
  /** The code defined twice. */
  readonly code: string;
}> {}
