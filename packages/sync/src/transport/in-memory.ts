/**
 * The {@link Transport} port over the in-memory network of `@jxc/sync/testing`: every node of
 * one {@link InMemoryHub} gets its port, frames travel with the network's faults (loss,
 * duplication, reordering, delay, partitions), and the network's virtual time follows the
 * Effect `Clock` — real time in production code, `TestClock` in tests (deterministic).
 *
 * @module
 */
import { Clock, Effect, Layer, Queue, Result, Stream, type Scope } from "effect";
import type { InvalidInput } from "@jxc/core";
import { createInMemoryNetwork, type InMemoryNetwork, type InMemoryNetworkConfig } from "../testing/network.js";
import { Transport, TransportError, type IncomingFrame, type TransportPort } from "./transport.js";

/** An in-memory network shared by the nodes of one process, with a port per node. */
export interface InMemoryHub {
  /** The network itself (to split, heal, take nodes down, read its statistics). */
  readonly network: InMemoryNetwork;
  /** The Transport port of `node` (a node's incoming stream has one consumer). */
  readonly port: (node: string) => Result.Result<TransportPort, TransportError>;
}

/**
 * Starts an in-memory hub for the life of the current `Scope`: a fiber delivers the frames in
 * flight as the Clock reaches their arrival (the network's instant 0 is the Clock's time now).
 * Fails with `InvalidInput` on a malformed network configuration.
 */
export const makeInMemoryHub = (config: InMemoryNetworkConfig): Effect.Effect<InMemoryHub, InvalidInput, Scope.Scope> =>
  Effect.gen(function* () {
    const network = yield* Effect.fromResult(createInMemoryNetwork(config));
    const origin = (yield* Clock.currentTimeMillis) - network.now();
    const inboxes = new Map<string, Queue.Queue<IncomingFrame>>();
    for (const node of network.nodes) inboxes.set(node, yield* Queue.unbounded<IncomingFrame>());
    const wake = yield* Queue.unbounded<void>();

    const deliverDue = Effect.gen(function* () {
      const now = (yield* Clock.currentTimeMillis) - origin;
      for (const d of network.advanceTo(now)) {
        const inbox = inboxes.get(d.to);
        if (inbox !== undefined) Queue.offerUnsafe(inbox, { from: d.from, frame: d.frame });
      }
      return now;
    });

    yield* Effect.forkScoped(
      Effect.forever(
        Effect.gen(function* () {
          const now = yield* deliverDue;
          const next = network.nextDeliveryAt();
          if (next === undefined) yield* Queue.take(wake);
          else yield* Effect.raceFirst(Effect.sleep(Math.max(0, next - now)), Queue.take(wake));
        }),
      ),
    );

    const port = (node: string): Result.Result<TransportPort, TransportError> => {
      const inbox = inboxes.get(node);
      if (inbox === undefined) return Result.fail(new TransportError({ operation: "receive", peer: node, message: `node ${JSON.stringify(node)} is not on the in-memory network` }));
      return Result.succeed({
        self: node,
        send: (to, frame) =>
          Effect.gen(function* () {
            yield* deliverDue;
            const sent = network.send(node, to, frame);
            if (Result.isFailure(sent)) return yield* Effect.fail(new TransportError({ operation: "send", peer: to, cause: sent.failure, message: sent.failure.message }));
            Queue.offerUnsafe(wake, undefined);
          }),
        incoming: Stream.fromQueue(inbox),
      });
    };
    return { network, port };
  });

/** The {@link Transport} of `node` on `hub`, as a Layer (fails with {@link TransportError} for a node not on the hub). */
export const inMemoryTransport = (hub: InMemoryHub, node: string): Layer.Layer<Transport, TransportError> =>
  Layer.effect(Transport, Effect.fromResult(hub.port(node)));
