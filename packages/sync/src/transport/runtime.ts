/**
 * The replica runtime: drives a replica over a {@link Transport} with the Effect `Clock` —
 * every incoming frame goes to the replica and its replies go back out; every flush interval
 * the replica's outgoing frames (deltas not yet acknowledged, and the hello/summary when its
 * interval is due) are sent. The replica itself stays pure: the runtime owns time and I/O.
 *
 * @module
 */
import { Clock, Data, Effect, Result, Stream } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { Transport, type AddressedFrame, type TransportError } from "./transport.js";

/**
 * What the runtime needs from a replica: take a frame from a peer (returning the frames to send
 * in reply, or why the frame was refused — the replica is then unchanged) and give the frames
 * due at an instant. Instants are epoch milliseconds from the Clock.
 */
export interface ReplicaEndpoint<E> {
  /** Applies a frame from `from`; the replies to send, or the typed reason it was refused. */
  receive(from: string, frame: Uint8Array, now: number): Result.Result<ReadonlyArray<AddressedFrame>, E>;
  /** The frames due at `now` (deltas, acknowledgements, summaries). */
  outgoing(now: number): ReadonlyArray<AddressedFrame>;
}

/** A frame the replica refused (malformed, forged, replayed…): reported, never fatal. */
export class FrameRefused<E> extends Data.TaggedError("FrameRefused")<{
  /** The sending node. */
  readonly from: string;
  /** The replica's typed reason. */
  readonly reason: E;
  readonly message: string;
}> {}

/** Options of {@link runReplica}. */
export interface RunReplicaOptions<E> {
  /** How often the replica's outgoing frames are collected and sent, in ms (default 1,000; the replica decides when a summary is due). */
  readonly flushIntervalMs?: number;
  /** Called for every refused frame (default: logged as a warning). */
  readonly onRefused?: (refused: FrameRefused<E>) => Effect.Effect<void>;
}

const RunReplicaOptionsSchema = z.object({ flushIntervalMs: z.number().int().positive().optional() }).loose();

const sendAll = (frames: ReadonlyArray<AddressedFrame>): Effect.Effect<void, TransportError, Transport> =>
  Effect.gen(function* () {
    const transport = yield* Transport;
    for (const f of frames) yield* transport.send(f.to, f.frame);
  });

/**
 * Sends the replica's outgoing frames now (for example right after a local operation, so that
 * it propagates without waiting for the next flush).
 */
export const flushReplica = <E>(replica: ReplicaEndpoint<E>): Effect.Effect<void, TransportError, Transport> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => sendAll(replica.outgoing(now)));

/**
 * Runs `replica` over the {@link Transport} until interrupted (fork it in a scope): incoming
 * frames are applied in arrival order and their replies sent; every `flushIntervalMs` the
 * outgoing frames are sent. A refused frame goes to `onRefused` and the run goes on; it fails
 * only when the transport does. Fails at once with `InvalidInput` on malformed options.
 */
export const runReplica = <E>(
  replica: ReplicaEndpoint<E>,
  options: RunReplicaOptions<E> = {},
): Effect.Effect<never, TransportError | InvalidInput, Transport> =>
  Effect.gen(function* () {
    const parsed = yield* Effect.fromResult(parseInput(RunReplicaOptionsSchema, options, "replica runtime options"));
    const interval = parsed.flushIntervalMs ?? 1_000;
    const onRefused = options.onRefused ?? ((r: FrameRefused<E>) => Effect.logWarning(r.message));
    const transport = yield* Transport;
    const receiving = Stream.runForEach(transport.incoming, (incoming) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis;
        const result = replica.receive(incoming.from, incoming.frame, now);
        if (Result.isFailure(result)) {
          const reason = result.failure;
          const text = typeof reason === "object" && reason !== null && "message" in reason ? String(reason.message) : String(reason);
          return yield* onRefused(new FrameRefused({ from: incoming.from, reason, message: `frame from ${incoming.from} refused: ${text}` }));
        }
        yield* sendAll(result.success);
      }),
    );
    const flushing = Effect.forever(Effect.andThen(Effect.sleep(interval), flushReplica(replica)));
    return yield* Effect.raceFirst(
      Effect.andThen(receiving, Effect.never),
      flushing,
    ).pipe(Effect.provideService(Transport, transport));
  });
