/**
 * Exactly-once delivery of frames over an at-least-once transport (MQTT QoS 1 redelivers):
 * per sender, the receiver remembers the sender's connection epoch (birth/death sequence, à la
 * Sparkplug B `bdSeq`) and a sliding window of the 64-bit sequence numbers it has applied, as
 * IPsec's anti-replay window does. A frame is accepted once; a duplicate, a frame older than the
 * window or a frame of an earlier epoch is refused with a typed error and changes nothing.
 * Frames inside the window may arrive in any order.
 *
 * @module
 */
import { Data, Result } from "effect";

/** How many sequence numbers behind the highest one are still accepted out of order. */
export const REPLAY_WINDOW = 1024;

/** A frame already applied (a redelivery), or older than the replay window. */
export class ReplayedFrame extends Data.TaggedError("ReplayedFrame")<{
  readonly sender: string;
  readonly epoch: number;
  /** The frame's sequence number, as decimal text (64-bit). */
  readonly seq: string;
  /** `duplicate` (already applied) or `too-old` (behind the window). */
  readonly reason: "duplicate" | "too-old";
  readonly message: string;
}> {}

/** A frame of a connection epoch that has ended (the sender has since reconnected or restarted). */
export class StaleEpoch extends Data.TaggedError("StaleEpoch")<{
  readonly sender: string;
  /** The frame's epoch and the sender's current one. */
  readonly epoch: number;
  readonly current: number;
  readonly message: string;
}> {}

/** What the receiver remembers of one sender (persisted with the replica). */
export interface PeerSession {
  /** The sender's current epoch. */
  readonly epoch: number;
  /** The highest sequence number applied in this epoch, as decimal text. */
  readonly highest: string;
  /** Sequence numbers applied within the window below `highest`, as decimal text. */
  readonly seen: ReadonlyArray<string>;
}

/** Tracks, per sender, which frames were applied. */
export class SessionTracker {
  private readonly sessions = new Map<string, { epoch: number; highest: bigint; seen: Set<bigint> }>();

  /** A tracker, optionally restored from {@link SessionTracker.toData}. */
  constructor(data: Readonly<Record<string, PeerSession>> = {}) {
    for (const [sender, s] of Object.entries(data))
      this.sessions.set(sender, { epoch: s.epoch, highest: BigInt(s.highest), seen: new Set(s.seen.map((x) => BigInt(x))) });
  }

  /** Whether a frame would be accepted; nothing is recorded. */
  check(sender: string, epoch: number, seq: bigint): Result.Result<void, ReplayedFrame | StaleEpoch> {
    const s = this.sessions.get(sender);
    if (!s || epoch > s.epoch) return Result.succeed(undefined);
    if (epoch < s.epoch)
      return Result.fail(new StaleEpoch({ sender, epoch, current: s.epoch, message: `frame of ${sender} from epoch ${epoch}, which ended (current epoch ${s.epoch})` }));
    if (seq + BigInt(REPLAY_WINDOW) <= s.highest)
      return Result.fail(new ReplayedFrame({ sender, epoch, seq: seq.toString(), reason: "too-old", message: `frame ${seq} of ${sender} is behind the replay window` }));
    if (seq === s.highest || s.seen.has(seq))
      return Result.fail(new ReplayedFrame({ sender, epoch, seq: seq.toString(), reason: "duplicate", message: `frame ${seq} of ${sender} (epoch ${epoch}) was already applied` }));
    return Result.succeed(undefined);
  }

  /** Records a frame as applied (call after {@link SessionTracker.check} succeeded and the frame was applied). */
  record(sender: string, epoch: number, seq: bigint): void {
    let s = this.sessions.get(sender);
    if (!s || epoch > s.epoch) {
      s = { epoch, highest: 0n, seen: new Set() };
      this.sessions.set(sender, s);
    }
    if (seq > s.highest) {
      if (s.highest > 0n) s.seen.add(s.highest);
      s.highest = seq;
      const floor = seq - BigInt(REPLAY_WINDOW);
      for (const x of s.seen) if (x <= floor) s.seen.delete(x);
    } else s.seen.add(seq);
  }

  /** The current epoch of a sender, if it ever sent a frame. */
  epochOf(sender: string): number | undefined {
    return this.sessions.get(sender)?.epoch;
  }

  /** The sessions as plain data, for persistence. */
  toData(): Record<string, PeerSession> {
    const out: Record<string, PeerSession> = {};
    for (const [sender, s] of this.sessions) out[sender] = { epoch: s.epoch, highest: s.highest.toString(), seen: [...s.seen].map(String) };
    return out;
  }
}
