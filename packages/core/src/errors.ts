import { Data } from "effect";

/** One problem found in an input: the path of the field and what is wrong with it. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `lines.0.qty`; empty for the input as a whole. */
  readonly path: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/** Input that does not match its schema (a document, a command, a configuration). */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{
  /** What was being read, e.g. `document` or `ledger settings`. */
  readonly subject: string;
  /** Every problem found, each naming its field. */
  readonly issues: ReadonlyArray<FieldIssue>;
  readonly message: string;
}> {}

/** A reference to something that does not exist (an item, a warehouse, an original document line). */
export class UnknownReference extends Data.TaggedError("UnknownReference")<{
  /** The kind of thing referenced, e.g. `item`, `warehouse`, `outbound line`. */
  readonly kind: string;
  /** The reference as given. */
  readonly ref: string;
  /** Where it was referenced, e.g. `lines.2.item`. */
  readonly path: string;
  readonly message: string;
}> {}

/** A document or move that breaks a business rule (unit not convertible, lot missing, return exceeds the original…). */
export class RuleViolation extends Data.TaggedError("RuleViolation")<{
  /** The field at fault, e.g. `lines.0.lot`. */
  readonly path: string;
  readonly message: string;
}> {}

/** An issue larger than what is on hand, under the `reject` negative-stock policy. */
export class InsufficientStock extends Data.TaggedError("InsufficientStock")<{
  /** The move that would drive the position negative. */
  readonly move: string;
  /** The document of that move and its line (0-based). */
  readonly document: string;
  readonly line: number;
  /** The position, as `item@warehouse[/location][#lot]`. */
  readonly position: string;
  /** Base-unit quantity asked for, on hand at that instant, and the shortage, as decimal strings. */
  readonly requested: string;
  readonly onHand: string;
  readonly shortage: string;
  readonly message: string;
}> {}

/** Posting, cancelling or re-valuing inside a closed period (period lock). */
export class PeriodClosed extends Data.TaggedError("PeriodClosed")<{
  /** The closed period, `YYYY-MM`. */
  readonly period: string;
  /** The document refused. */
  readonly document: string;
  readonly message: string;
}> {}

/** A document id that was already posted (posting is idempotent only through {@link InvalidInput}-free retries that carry the same id). */
export class DuplicateDocument extends Data.TaggedError("DuplicateDocument")<{
  readonly document: string;
  readonly message: string;
}> {}

/** A valuation that cannot be computed: a missing standard cost, LIFO without opt-in, a transfer cycle that does not settle. */
export class ValuationError extends Data.TaggedError("ValuationError")<{
  readonly move: string;
  readonly message: string;
}> {}

/** Every failure the stock ledger returns. */
export type LedgerError =
  | InvalidInput
  | UnknownReference
  | RuleViolation
  | InsufficientStock
  | PeriodClosed
  | DuplicateDocument
  | ValuationError;
