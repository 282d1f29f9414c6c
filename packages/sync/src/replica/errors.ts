/**
 * Errors of a replica beyond those of the CRDTs, clock and codec.
 *
 * @module
 */
import { Data } from "effect";

/**
 * A frame that is not what its sender may send: addressed to another replica, sent by a node
 * other than the one it names, from a peer this replica does not talk to, or writing a row,
 * register or status it does not own, or a message only the center may send.
 */
export class ForgedFrame extends Data.TaggedError("ForgedFrame")<{
  /** The sender the frame names. */
  readonly sender: string;
  /** What is wrong, e.g. `row dec[store-2] of tea@SH written by store-1`. */
  readonly reason: string;
  readonly message: string;
}> {}

/** A delta after which some replica would hold negative rights: it claims rights nobody gave it. */
export class RightsViolation extends Data.TaggedError("RightsViolation")<{
  /** The sender of the delta. */
  readonly sender: string;
  /** The replica whose rights would be negative. */
  readonly replica: string;
  readonly item: string;
  readonly position: string;
  readonly lot: string | undefined;
  /** Its rights after the delta, as a decimal string (negative). */
  readonly rights: string;
  readonly message: string;
}> {}

/** An operation id already used by a pending or decided operation of this replica. */
export class DuplicateOperation extends Data.TaggedError("DuplicateOperation")<{
  readonly op: string;
  readonly message: string;
}> {}

/** A request for something this replica's role does not do (e.g. an edge deciding an approval), or an unknown pending operation. */
export class NotApplicable extends Data.TaggedError("NotApplicable")<{
  /** What was asked, e.g. `decide`. */
  readonly action: string;
  readonly reason: string;
  readonly message: string;
}> {}
