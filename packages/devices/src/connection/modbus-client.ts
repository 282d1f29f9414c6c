/**
 * A Modbus TCP client: requests as Effects over one TCP connection, responses matched to their
 * requests by MBAP transaction id, with a per-request timeout, serialized by default and
 * optionally pipelined.
 *
 * @module
 */
import { Cause, Data, Deferred, Duration, Effect, Exit, Option, Result, Scope, Semaphore, Stream } from "effect";
import {
  MODBUS_MAX_PDU_LENGTH,
  ModbusBadLength,
  decodeModbusTcpResponse,
  encodeModbusTcpRequest,
  modbusTcpFrameSize,
  type ModbusDecodeError,
  type ModbusEncodeError,
  type ModbusException,
  type ModbusRequest,
  type ModbusResponse,
} from "../modbus.js";
import { TcpClosed, tcpConnect, type TcpConnectFailed, type TcpConnection, type TcpError } from "./tcp.js";

/** The IANA port of Modbus TCP. */
export const MODBUS_TCP_PORT = 502;

/** No response came within the client's timeout. A response arriving later is dropped. */
export class ModbusTimeout extends Data.TaggedError("ModbusTimeout")<{
  readonly transactionId: number;
  readonly timeoutMs: number;
  readonly message: string;
}> {}

/**
 * Every Modbus-level failure of a request: the request cannot be encoded, the response cannot
 * be decoded or does not answer it, the device answered with an exception, or no answer came.
 */
export type ModbusError = ModbusEncodeError | ModbusDecodeError | ModbusException | ModbusTimeout;

/** Options of {@link modbusTcpClient}. */
export interface ModbusTcpClientOptions {
  readonly host: string;
  /** Default {@link MODBUS_TCP_PORT}. */
  readonly port?: number;
  /** The unit id of every request (0–255; 0xFF or 0 address the TCP device itself, others a slave behind a gateway). */
  readonly unitId: number;
  /** Time allowed for each response (default 1 s). */
  readonly timeout?: Duration.Input;
  /** Time allowed to open the connection (default 5 s). */
  readonly connectTimeout?: Duration.Input;
  /**
   * Requests sent before their responses arrive (default 1: serialized, one request on the
   * wire at a time, which every device and gateway supports). Larger values pipeline requests;
   * only use them with devices known to queue requests (the standard allows it, many serial
   * gateways do not).
   */
  readonly maxInFlight?: number;
}

/** A Modbus TCP client. */
export interface ModbusTcpClient {
  readonly unitId: number;
  /**
   * Sends `request` and waits for its response (matched by transaction id). Fails with a
   * {@link ModbusError}, or a {@link TcpError} when the connection cannot be (re)opened or
   * breaks while the request is outstanding.
   */
  readonly request: (request: ModbusRequest) => Effect.Effect<ModbusResponse, ModbusError | TcpError>;
}

interface Pending {
  readonly request: ModbusRequest;
  readonly deferred: Deferred.Deferred<ModbusResponse, ModbusError | TcpClosed>;
}

interface Session {
  readonly conn: TcpConnection;
  readonly scope: Scope.Closeable;
  readonly pending: Map<number, Pending>;
  alive: boolean;
}

/** An MBAP length field outside 2–254 makes the rest of the byte stream unreadable. */
const MIN_FRAME = 8;
const MAX_FRAME = 7 + MODBUS_MAX_PDU_LENGTH;

/**
 * Opens a Modbus TCP client for the life of the current `Scope`. The connection is opened at
 * once (so a wrong address fails here, with {@link TcpConnectFailed}); when it breaks later,
 * the requests outstanding fail with {@link TcpClosed} and the next request reopens it.
 *
 * Matching and timeouts: each request gets the next transaction id (mod 65536, skipping ids
 * still outstanding); a response is handed to the request of its transaction id and checked
 * against it (function code, unit id, echoed address/quantity). A response for no outstanding
 * request (e.g. one arriving after its timeout) is dropped. A response whose MBAP length is
 * impossible breaks the framing: the connection is dropped and every outstanding request fails
 * with `ModbusBadLength`.
 *
 * Serialized or pipelined: at most `maxInFlight` requests (default 1) are on the wire at once;
 * others wait their turn in order.
 */
export const modbusTcpClient = (options: ModbusTcpClientOptions): Effect.Effect<ModbusTcpClient, TcpConnectFailed, Scope.Scope> =>
  Effect.gen(function* () {
    const host = options.host;
    const port = options.port ?? MODBUS_TCP_PORT;
    const unitId = options.unitId;
    const timeout = options.timeout ?? Duration.seconds(1);
    const timeoutMs = Duration.toMillis(timeout);
    const parent = yield* Effect.scope;
    const inFlight = yield* Semaphore.make(Math.max(1, Math.floor(options.maxInFlight ?? 1)));
    const connecting = yield* Semaphore.make(1);
    let session: Session | undefined;
    let nextTransactionId = 0;

    const failAll = (s: Session, error: ModbusError | TcpClosed) => {
      s.alive = false;
      for (const p of s.pending.values()) Deferred.doneUnsafe(p.deferred, Effect.fail(error));
      s.pending.clear();
    };

    /** Cuts frames out of the byte stream and completes the matching requests. */
    const readLoop = (s: Session) => {
      let buffer: Uint8Array = new Uint8Array(0);
      const onChunk = (chunk: Uint8Array): Effect.Effect<void, ModbusBadLength> => {
        buffer = buffer.length === 0 ? chunk : concat(buffer, chunk);
        for (;;) {
          const size = modbusTcpFrameSize(buffer);
          if (size === undefined) return Effect.void;
          if (size < MIN_FRAME || size > MAX_FRAME) {
            return Effect.fail(
              new ModbusBadLength({ field: "MBAP length", actual: size - 6, expected: `2–${MODBUS_MAX_PDU_LENGTH + 1}`, message: `${host}:${port}: MBAP length ${size - 6} is impossible; the stream cannot be resynchronised` }),
            );
          }
          if (buffer.length < size) return Effect.void;
          const frame = buffer.subarray(0, size);
          buffer = buffer.subarray(size);
          const transactionId = (frame[0]! << 8) | frame[1]!;
          const pending = s.pending.get(transactionId);
          if (pending === undefined) continue; // late (timed out) or unsolicited: dropped
          s.pending.delete(transactionId);
          const decoded = decodeModbusTcpResponse(frame, { unitId, request: pending.request });
          Deferred.doneUnsafe(pending.deferred, Result.isSuccess(decoded) ? Effect.succeed(decoded.success.response) : Effect.fail(decoded.failure));
        }
      };
      return Stream.runForEach(s.conn.incoming, onChunk).pipe(
        Effect.exit,
        Effect.flatMap((exit) =>
          Effect.sync(() => {
            if (Exit.isSuccess(exit)) failAll(s, new TcpClosed({ host, port, message: `${host}:${port}: connection closed by the device` }));
            else {
              const error = Cause.findErrorOption(exit.cause);
              failAll(s, Option.isSome(error) ? error.value : new TcpClosed({ host, port, message: `${host}:${port}: connection lost` }));
            }
          }),
        ),
      );
    };

    const open: Effect.Effect<Session, TcpConnectFailed> = Effect.gen(function* () {
      const scope = yield* Scope.fork(parent);
      const opened = yield* Effect.exit(Scope.provide(tcpConnect({ host, port, ...(options.connectTimeout === undefined ? {} : { connectTimeout: options.connectTimeout }) }), scope));
      if (Exit.isFailure(opened)) {
        yield* Scope.close(scope, opened);
        return yield* Effect.failCause(opened.cause);
      }
      const s: Session = { conn: opened.value, scope, pending: new Map(), alive: true };
      yield* Effect.forkIn(readLoop(s), scope);
      return s;
    });

    /** The open session, reopening the connection if it broke. */
    const current = connecting.withPermits(1)(
      Effect.suspend(() => {
        if (session?.alive) return Effect.succeed(session);
        const stale = session;
        session = undefined;
        return (stale === undefined ? Effect.void : Scope.close(stale.scope, Exit.void)).pipe(
          Effect.andThen(open),
          Effect.tap((s) => Effect.sync(() => (session = s))),
        );
      }),
    );

    yield* current;

    const allocateTransactionId = (s: Session): number => {
      for (let i = 0; i < 0x10000; i++) {
        const id = nextTransactionId;
        nextTransactionId = (nextTransactionId + 1) & 0xffff;
        if (!s.pending.has(id)) return id;
      }
      throw new Error("no free Modbus transaction id"); // unreachable: maxInFlight is far below 65536
    };

    const request = (req: ModbusRequest): Effect.Effect<ModbusResponse, ModbusError | TcpError> => {
      // Validate and encode first (transaction id patched in later): a bad request fails without I/O.
      const encoded = encodeModbusTcpRequest({ transactionId: 0, unitId }, req);
      if (Result.isFailure(encoded)) return Effect.fail(encoded.failure);
      return inFlight.withPermits(1)(
        Effect.gen(function* () {
          const s = yield* current;
          const transactionId = allocateTransactionId(s);
          const frame = encoded.success.slice();
          frame[0] = transactionId >> 8;
          frame[1] = transactionId & 0xff;
          const deferred = Deferred.makeUnsafe<ModbusResponse, ModbusError | TcpClosed>();
          s.pending.set(transactionId, { request: req, deferred });
          return yield* s.conn.send(frame).pipe(
            Effect.andThen(Deferred.await(deferred)),
            Effect.timeoutOrElse({
              duration: timeout,
              orElse: () => Effect.fail(new ModbusTimeout({ transactionId, timeoutMs, message: `${host}:${port}: no response to transaction ${transactionId} within ${timeoutMs} ms` })),
            }),
            Effect.ensuring(Effect.sync(() => s.pending.delete(transactionId))),
          );
        }),
      );
    };

    return { unitId, request } satisfies ModbusTcpClient;
  });

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};
