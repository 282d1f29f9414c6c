/**
 * An LLRP reader connection (the client side of LLRP over TCP, port 5084 by default): a scoped
 * service that keeps the connection open (reconnecting with backoff), decodes the byte stream
 * with {@link LlrpFrameDecoder}, answers the reader's KEEPALIVE with KEEPALIVE_ACK, and sends
 * messages to the reader.
 *
 * @module
 */
import { Duration, Effect, Queue, Ref, Result, Schedule, Scope, Stream, type Cause } from "effect";
import { LlrpFrameDecoder, tryEncodeLlrp } from "../llrp.js";
import type { LlrpDecodeError, LlrpInvalidField, LlrpLengthMismatch, LlrpMessage } from "../llrp-messages.js";
import { TcpClosed, reconnecting, tcpConnect, type ConnectionEvent, type TcpConnection, type TcpError } from "./tcp.js";

/** The IANA port of LLRP. */
export const LLRP_PORT = 5084;

/** Why a reader connection ended: a TCP failure, or a frame length that leaves no way to find the next frame. */
export type LlrpConnectionError = TcpError | LlrpLengthMismatch;

/**
 * What a reader connection yields, in order: connection events, the messages received, and the
 * frames that could not be decoded.
 */
export type LlrpReaderEvent =
  | ConnectionEvent<LlrpConnectionError>
  | { readonly _tag: "Message"; readonly message: LlrpMessage }
  | { readonly _tag: "DecodeError"; readonly error: LlrpDecodeError };

/** Options of {@link llrpReader}. */
export interface LlrpReaderOptions {
  readonly host: string;
  /** Default {@link LLRP_PORT}. */
  readonly port?: number;
  /** Time allowed for each connection attempt (default 5 s). */
  readonly connectTimeout?: Duration.Input;
  /** When to reconnect (see {@link reconnecting}); default exponential backoff 100 ms … 10 s, forever. */
  readonly schedule?: Schedule.Schedule<unknown, LlrpConnectionError | undefined>;
  /** Events buffered ahead of the consumer before the connection is no longer read (default 64). */
  readonly bufferSize?: number;
  /** Largest frame accepted (default 16 MiB, see {@link LlrpFrameDecoder}). */
  readonly maxFrameLength?: number;
  /** Answer each KEEPALIVE with a KEEPALIVE_ACK of the same version and message ID (default true). */
  readonly answerKeepalives?: boolean;
}

/** A connected LLRP reader. */
export interface LlrpReader {
  /**
   * Everything the connection yields (see {@link LlrpReaderEvent}). Single consumer: `events`
   * and `messages` take from one queue, so use one of them, once at a time.
   */
  readonly events: Stream.Stream<LlrpReaderEvent, LlrpConnectionError>;
  /**
   * The messages only (KEEPALIVEs included). Connection events are dropped and decode errors
   * are logged (`Effect.logWarning`); use `events` to handle them.
   */
  readonly messages: Stream.Stream<LlrpMessage, LlrpConnectionError>;
  /** Sends a message on the current connection; {@link TcpClosed} while disconnected, {@link LlrpInvalidField} for a value outside its wire range. */
  readonly send: (message: LlrpMessage) => Effect.Effect<void, TcpClosed | LlrpInvalidField>;
  /** True while a connection is open. */
  readonly connected: Effect.Effect<boolean>;
}

/** What {@link decodeLlrpStream} yields: a message, or a frame that could not be decoded (and was skipped). */
export type LlrpDecoded = { readonly _tag: "Message"; readonly message: LlrpMessage } | { readonly _tag: "DecodeError"; readonly error: LlrpDecodeError };

type Decoded = LlrpDecoded | { readonly _tag: "Fatal"; readonly error: LlrpLengthMismatch };

/**
 * Decodes a connection's byte stream into messages and decode errors. The stream fails with the
 * decoder's `LlrpLengthMismatch` when a header's length is impossible (no way to resynchronise:
 * the connection must be dropped); an incomplete frame at the end is reported as `LlrpTruncated`.
 */
export const decodeLlrpStream = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options: { readonly maxFrameLength?: number } = {},
): Stream.Stream<LlrpDecoded, E | LlrpLengthMismatch, R> =>
  bytes.pipe(
    Stream.mapAccum(
      () => LlrpFrameDecoder.start(options.maxFrameLength === undefined ? {} : { maxFrameLength: options.maxFrameLength }),
      (decoder, chunk: Uint8Array): readonly [LlrpFrameDecoder, ReadonlyArray<Decoded>] => {
        const pushed = decoder.push(chunk);
        const out: Decoded[] = pushed.messages.map((message) => ({ _tag: "Message", message }));
        const fatal = pushed.decoder.failure;
        for (const error of pushed.errors) if (error !== fatal) out.push({ _tag: "DecodeError", error });
        if (fatal !== undefined && !decoder.stopped) out.push({ _tag: "Fatal", error: fatal });
        return [pushed.decoder, out];
      },
      { onHalt: (decoder) => decoder.finish().map((error): Decoded => ({ _tag: "DecodeError", error })) },
    ),
    Stream.mapEffect((d): Effect.Effect<LlrpDecoded, LlrpLengthMismatch> => (d._tag === "Fatal" ? Effect.fail(d.error) : Effect.succeed(d))),
  );

/**
 * Connects to an LLRP reader for the life of the current `Scope` and keeps the connection open:
 * after a drop it reconnects as `schedule` says. Connecting starts at once, in the background;
 * the events wait in a bounded queue until consumed (backpressure reaches the socket).
 *
 * Errors, as elements or as failures:
 * - a frame that is well delimited but cannot be decoded (unknown message type, bad parameter,
 *   TLV length mismatch) is a `DecodeError` element, and decoding goes on with the next frame;
 * - a header whose length is impossible (below 10 or above `maxFrameLength`) leaves no way to
 *   find the next frame: the connection is dropped and reopened, and the error is the `reason`
 *   of its `Disconnected` event; so are TCP failures;
 * - the streams fail only when the schedule gives up (never, by default), with the last error.
 *
 * Keepalive: every KEEPALIVE is answered with KEEPALIVE_ACK as it is decoded (and still
 * emitted). The answer is part of the stream's processing, so a consumer that stalls for longer
 * than the reader's keepalive period will see the reader drop the connection.
 */
export const llrpReader = (options: LlrpReaderOptions): Effect.Effect<LlrpReader, never, Scope.Scope> =>
  Effect.gen(function* () {
    const host = options.host;
    const port = options.port ?? LLRP_PORT;
    const current = yield* Ref.make<TcpConnection | undefined>(undefined);
    const answerKeepalives = options.answerKeepalives ?? true;

    const connect = Effect.gen(function* () {
      const conn = yield* tcpConnect({ host, port, ...(options.connectTimeout === undefined ? {} : { connectTimeout: options.connectTimeout }) });
      yield* Ref.set(current, conn);
      yield* Effect.addFinalizer(() => Ref.set(current, undefined));
      return decodeLlrpStream(conn.incoming, options.maxFrameLength === undefined ? {} : { maxFrameLength: options.maxFrameLength }).pipe(
        Stream.tap((d) =>
          answerKeepalives && d._tag === "Message" && d.message.type === "KEEPALIVE"
            ? Effect.ignore(sendOn(conn, { type: "KEEPALIVE_ACK", version: d.message.version, id: d.message.id }))
            : Effect.void,
        ),
      );
    });

    const queue = yield* Queue.bounded<LlrpReaderEvent, LlrpConnectionError | Cause.Done>(Math.max(1, options.bufferSize ?? 64));
    const source = reconnecting(connect, options.schedule === undefined ? {} : { schedule: options.schedule }).pipe(
      Stream.map((e): LlrpReaderEvent => (e._tag === "Message" ? e.message : e)),
    );
    yield* Effect.forkScoped(Stream.runIntoQueue(source, queue));
    yield* Effect.addFinalizer(() => Queue.shutdown(queue));

    const events: Stream.Stream<LlrpReaderEvent, LlrpConnectionError> = Stream.fromQueue(queue);
    const messages = events.pipe(
      Stream.tap((e) => (e._tag === "DecodeError" ? Effect.logWarning(`LLRP ${host}:${port}: ${e.error.message}`) : Effect.void)),
      Stream.filter((e): e is Extract<LlrpReaderEvent, { _tag: "Message" }> => e._tag === "Message"),
      Stream.map((e) => e.message),
    );
    const send = (message: LlrpMessage) =>
      Effect.flatMap(Ref.get(current), (conn) =>
        conn === undefined ? Effect.fail(new TcpClosed({ host, port, message: `${host}:${port}: not connected` })) : sendOn(conn, message),
      );
    return { events, messages, send, connected: Effect.map(Ref.get(current), (c) => c !== undefined) } satisfies LlrpReader;
  });

const sendOn = (conn: TcpConnection, message: LlrpMessage): Effect.Effect<void, TcpClosed | LlrpInvalidField> => {
  const encoded = tryEncodeLlrp(message);
  return Result.isFailure(encoded) ? Effect.fail(encoded.failure) : conn.send(encoded.success);
};
