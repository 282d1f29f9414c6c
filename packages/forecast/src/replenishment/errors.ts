/**
 * The expected failures of replenishment planning, each naming what is wrong.
 *
 * @module
 */
import { Data } from "effect";

/** Receipt history that cannot give a lead-time distribution (no receipts, dates out of order…). */
export class InvalidReceiptHistory extends Data.TaggedError("InvalidReceiptHistory")<{
  /** Why the history is not usable. */
  readonly reason: string;
}> {}

/** A forecast that cannot be used for lead-time demand (too short for the lead time, non-finite values…). */
export class UnusableForecast extends Data.TaggedError("UnusableForecast")<{
  /** The item and warehouse the forecast is for, as `item@warehouse`, or empty when not known. */
  readonly position: string;
  /** Why the forecast is not usable. */
  readonly reason: string;
}> {}

/** The reorder-trigger rule set could not be evaluated over a position's facts. */
export class TriggerRuleFailed extends Data.TaggedError("TriggerRuleFailed")<{
  /** The position, as `item@warehouse`. */
  readonly position: string;
  /** What the rule engine reported. */
  readonly reason: string;
}> {}
