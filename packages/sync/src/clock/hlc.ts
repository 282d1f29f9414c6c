/**
 * Hybrid logical clocks (Kulkarni et al., 2014): a timestamp is the wall-clock millisecond, a
 * logical counter that breaks ties within one millisecond, and the id of the node that stamped
 * it. Timestamps order events causally, stay close to wall time and are totally ordered
 * (wall, then logical, then node id).
 *
 * Pure: the current wall time is always an argument (`now`, milliseconds since the epoch).
 *
 * @module
 */
import { Data, Result } from "effect";

/** A hybrid logical clock timestamp. */
export interface Hlc {
  /** Wall-clock milliseconds since the Unix epoch (the largest physical time seen). */
  readonly wall: number;
  /** Logical counter within `wall` (0 when the wall time advanced). */
  readonly logical: number;
  /** Id of the node (replica) that stamped the event. */
  readonly node: string;
}

/** The largest logical counter; a clock that would overflow it waits for the wall clock instead. */
export const MAX_LOGICAL = 0xffff;

/** The largest wall time accepted (year 10889): keeps `wall` a safe integer with room to spare. */
export const MAX_WALL = 2 ** 48 - 1;

/** The timestamp before every other: wall 0, logical 0, empty node id. */
export const HLC_ZERO: Hlc = { wall: 0, logical: 0, node: "" };

/** A remote clock further ahead of local wall time than the allowed drift. */
export class ClockDrift extends Data.TaggedError("ClockDrift")<{
  /** The remote timestamp, encoded with {@link encodeHlc}. */
  readonly remote: string;
  /** Local wall time when it arrived (ms). */
  readonly localWall: number;
  /** How far ahead it is (ms). */
  readonly drift: number;
  /** The drift allowed (ms). */
  readonly maxDrift: number;
  readonly message: string;
}> {}

/** A logical counter that would pass {@link MAX_LOGICAL} (a clock driven far ahead of wall time). */
export class ClockOverflow extends Data.TaggedError("ClockOverflow")<{
  /** The clock that cannot advance, encoded. */
  readonly clock: string;
  readonly message: string;
}> {}

/** Text that is not an encoded timestamp. */
export class InvalidHlc extends Data.TaggedError("InvalidHlc")<{
  /** The text as given (truncated to 64 characters). */
  readonly text: string;
  readonly message: string;
}> {}

/** Orders two timestamps: negative, zero or positive as `a` is before, equal to or after `b`. */
export const compareHlc = (a: Hlc, b: Hlc): number =>
  a.wall !== b.wall ? a.wall - b.wall : a.logical !== b.logical ? a.logical - b.logical : a.node < b.node ? -1 : a.node > b.node ? 1 : 0;

/** The later of two timestamps. */
export const maxHlc = (a: Hlc, b: Hlc): Hlc => (compareHlc(a, b) >= 0 ? a : b);

const wallOf = (now: number): number => (Number.isFinite(now) ? Math.min(Math.max(Math.floor(now), 0), MAX_WALL) : 0);

/**
 * Stamps a local or send event: the new timestamp is after `last` and at least `now`.
 * Fails with {@link ClockOverflow} only when the logical counter is exhausted (65,536 events in
 * one millisecond of a clock that runs ahead of wall time).
 */
export const tickHlc = (last: Hlc, now: number, node: string): Result.Result<Hlc, ClockOverflow> => {
  if (tickExhausted(last, now))
    return Result.fail(new ClockOverflow({ clock: encodeHlc(last), message: `clock ${encodeHlc(last)} cannot advance: logical counter exhausted` }));
  return Result.succeed(nextHlc(last, now, node));
};

/**
 * The timestamp {@link tickHlc} gives when the clock is not exhausted (check
 * {@link tickExhausted} first): the hot path of a replica's operations, without a `Result`.
 */
export const nextHlc = (last: Hlc, now: number, node: string): Hlc => {
  const wall = wallOf(now);
  return wall > last.wall ? { wall, logical: 0, node } : { wall: last.wall, logical: last.logical + 1, node };
};

/** Whether {@link tickHlc} at `now` fails with {@link ClockOverflow} (a check that allocates nothing). */
export const tickExhausted = (last: Hlc, now: number): boolean => wallOf(now) <= last.wall && last.logical >= MAX_LOGICAL;

/**
 * Merges a timestamp received from another node: the result is after both `last` and
 * `remote`, and at least `now`. A remote wall time more than `maxDriftMs` ahead of `now` is
 * refused with {@link ClockDrift} (the local clock is left as it was).
 */
export const receiveHlc = (
  last: Hlc,
  remote: Hlc,
  now: number,
  node: string,
  maxDriftMs: number,
): Result.Result<Hlc, ClockDrift | ClockOverflow> => {
  const wall = wallOf(now);
  const drift = remote.wall - wall;
  if (drift > maxDriftMs)
    return Result.fail(
      new ClockDrift({
        remote: encodeHlc(remote),
        localWall: wall,
        drift,
        maxDrift: maxDriftMs,
        message: `remote clock ${encodeHlc(remote)} is ${drift} ms ahead of local wall time (at most ${maxDriftMs} ms allowed)`,
      }),
    );
  const top = Math.max(wall, last.wall, remote.wall);
  let logical: number;
  if (top === last.wall && top === remote.wall) logical = Math.max(last.logical, remote.logical) + 1;
  else if (top === last.wall) logical = last.logical + 1;
  else if (top === remote.wall) logical = remote.logical + 1;
  else logical = 0;
  if (logical > MAX_LOGICAL)
    return Result.fail(new ClockOverflow({ clock: encodeHlc(last), message: `clock ${encodeHlc(last)} cannot advance: logical counter exhausted` }));
  return Result.succeed({ wall: top, logical, node });
};

/**
 * Encodes a timestamp as compact text that sorts like {@link compareHlc} for equal-length node
 * ids: 12 hex digits of wall time, 4 of the logical counter, then the node id
 * (`0192f3a4b5c6000a@store-7`).
 */
export const encodeHlc = (h: Hlc): string =>
  `${h.wall.toString(16).padStart(12, "0")}${h.logical.toString(16).padStart(4, "0")}@${h.node}`;

const HLC_TEXT = /^([0-9a-f]{12})([0-9a-f]{4})@(.*)$/s;

/** Reads a timestamp written by {@link encodeHlc}; anything else is an {@link InvalidHlc}. */
export const decodeHlc = (text: string): Result.Result<Hlc, InvalidHlc> => {
  const m = typeof text === "string" ? HLC_TEXT.exec(text) : null;
  if (!m) return Result.fail(new InvalidHlc({ text: String(text).slice(0, 64), message: "not an encoded hybrid logical clock (wall12hex logical4hex @ node)" }));
  return Result.succeed({ wall: parseInt(m[1]!, 16), logical: parseInt(m[2]!, 16), node: m[3]! });
};
