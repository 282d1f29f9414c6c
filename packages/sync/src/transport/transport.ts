/**
 * The Transport port: what a replica needs from the network — send a frame to a named peer,
 * and a stream of the frames addressed to it. The package declares it; adapters bind it (MQTT
 * 3.1.1 in `@jxc/adapters`), {@link inMemoryTransport} binds it to the in-memory network.
 * Delivery is at most once per send and in no particular order: frames may be lost, duplicated,
 * delayed or reordered, and the protocol copes (sequence numbers, epochs, acknowledgements).
 *
 * @module
 */
import { Context, Data, type Effect, type Stream } from "effect";

/** A frame that arrived, with the name of the node that sent it. */
export interface IncomingFrame {
  /** The sending node. */
  readonly from: string;
  /** The bytes, owned by the receiver. */
  readonly frame: Uint8Array;
}

/** A frame to send, with the name of the node it is for. */
export interface AddressedFrame {
  /** The receiving node. */
  readonly to: string;
  /** The bytes. */
  readonly frame: Uint8Array;
}

/** A failure of the transport: a frame that could not be handed over, or a broken incoming stream. */
export class TransportError extends Data.TaggedError("TransportError")<{
  readonly operation: "send" | "receive";
  /** The peer concerned, when there is one. */
  readonly peer?: string;
  readonly cause?: unknown;
  readonly message: string;
}> {}

/** The Transport port of one node. */
export interface TransportPort {
  /** The name of this node on the network. */
  readonly self: string;
  /** Hands `frame` to the network for node `to` (no guarantee it arrives). */
  readonly send: (to: string, frame: Uint8Array) => Effect.Effect<void, TransportError>;
  /** The frames addressed to this node, as they arrive (one consumer). */
  readonly incoming: Stream.Stream<IncomingFrame, TransportError>;
}

/** The Transport port as an Effect service. */
export class Transport extends Context.Service<Transport, TransportPort>()("@jxc/sync/Transport") {}
