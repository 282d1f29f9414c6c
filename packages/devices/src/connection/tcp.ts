/**
 * TCP connections to devices as Effect resources, and a reconnecting wrapper that turns any
 * connection into one endless stream of messages and connection events.
 *
 * - {@link tcpConnect}: one `node:net` connection in a `Scope`. Its `incoming` bytes are a
 *   `Stream` with backpressure: the socket is paused while the consumer is behind (a bounded
 *   queue of chunks is full) and resumed when it catches up. Closing the scope ends the socket
 *   (FIN, then destroy after a grace period) and removes every listener and timer.
 * - {@link reconnecting}: given an Effect that opens a connection and returns the stream of its
 *   decoded messages, and a `Schedule`, a `Stream` that emits the messages together with
 *   `Connected`, `Disconnected` and `Reconnecting` events, and reconnects after every drop.
 *
 * @module
 */
import * as net from "node:net";
import { Cause, Clock, Data, Duration, Effect, Exit, Option, Queue, Schedule, Scope, Stream } from "effect";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The connection could not be opened: refused, unreachable, or not established in time. */
export class TcpConnectFailed extends Data.TaggedError("TcpConnectFailed")<{
  readonly host: string;
  readonly port: number;
  /** `timeout` when `connectTimeout` elapsed, else `error` (the socket error is in `cause`). */
  readonly reason: "error" | "timeout";
  readonly cause?: unknown;
  readonly message: string;
}> {}

/** The connection broke (a socket error such as ECONNRESET) or was already closed when writing. */
export class TcpClosed extends Data.TaggedError("TcpClosed")<{
  readonly host: string;
  readonly port: number;
  readonly cause?: unknown;
  readonly message: string;
}> {}

/** Every failure of a TCP connection. */
export type TcpError = TcpConnectFailed | TcpClosed;

// ---------------------------------------------------------------------------------------------
// One connection
// ---------------------------------------------------------------------------------------------

/** Where and how to connect. */
export interface TcpConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Time allowed to establish the connection (default 5 s). */
  readonly connectTimeout?: Duration.Input;
  /**
   * Receive chunks buffered before the socket is paused (default 16). Node reads at most 64 KiB
   * per chunk, so at most about `highWaterMark` × 64 KiB wait for a slow consumer, plus the
   * batch it is working on.
   */
  readonly highWaterMark?: number;
  /** On scope close, time allowed for the peer to acknowledge our FIN before the socket is destroyed (default 1 s). */
  readonly closeTimeout?: Duration.Input;
  /** Disable Nagle's algorithm, as request/response device protocols want (default true). */
  readonly noDelay?: boolean;
}

/** Counters and flow-control state of a connection, for diagnostics and tests. */
export interface TcpStats {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Chunks received and not yet taken by the consumer of `incoming`. */
  readonly queued: number;
  /** True while reading is paused because the consumer is behind. */
  readonly paused: boolean;
  /** True once the socket is destroyed. */
  readonly destroyed: boolean;
}

/** An open TCP connection. */
export interface TcpConnection {
  readonly host: string;
  readonly port: number;
  /** The local port of the connection (lets a server or test tell its connections apart). */
  readonly localPort: number;
  /**
   * The bytes received, chunk by chunk as the socket delivers them (frames may be split or
   * joined anywhere). Ends when the peer closes the connection or the scope closes; fails with
   * {@link TcpClosed} on a socket error. Single consumer: the chunks are taken from one queue,
   * so two concurrent consumers would each see part of the data.
   */
  readonly incoming: Stream.Stream<Uint8Array, TcpClosed>;
  /** Writes `bytes`; completes when they are handed to the kernel. Fails with {@link TcpClosed} when the connection is closed. */
  readonly send: (bytes: Uint8Array) => Effect.Effect<void, TcpClosed>;
  readonly stats: Effect.Effect<TcpStats>;
}

const DEFAULT_CONNECT_TIMEOUT = Duration.seconds(5);
const DEFAULT_CLOSE_TIMEOUT = Duration.seconds(1);
const DEFAULT_HIGH_WATER_MARK = 16;

const errorText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

/** Opens the socket; interruption (e.g. the connect timeout) destroys it. */
const openSocket = (host: string, port: number): Effect.Effect<net.Socket, TcpConnectFailed> =>
  Effect.callback<net.Socket, TcpConnectFailed>((resume) => {
    const socket = net.connect({ host, port });
    const cleanup = () => {
      socket.off("connect", onConnect);
      socket.off("error", onError);
    };
    const onConnect = () => {
      cleanup();
      resume(Effect.succeed(socket));
    };
    const onError = (cause: Error) => {
      cleanup();
      socket.destroy();
      resume(Effect.fail(new TcpConnectFailed({ host, port, reason: "error", cause, message: `connect to ${host}:${port} failed: ${errorText(cause)}` })));
    };
    socket.once("connect", onConnect);
    socket.once("error", onError);
    return Effect.sync(() => {
      cleanup();
      socket.destroy();
    });
  });

/**
 * Opens a TCP connection for the life of the current `Scope`.
 *
 * Backpressure: received chunks go into a bounded queue of `highWaterMark` chunks; when it is
 * full the socket is paused (the kernel's receive window then closes and the peer's writes
 * block), and it is resumed as soon as the consumer of `incoming` takes the queued chunks.
 *
 * Shutdown when the scope closes: `incoming` ends, the data listener is removed, our side sends
 * FIN (`end()`), and the socket is destroyed when the peer has closed too or after
 * `closeTimeout`, whichever is first; then every listener and the timer are removed.
 */
export const tcpConnect = (options: TcpConnectOptions): Effect.Effect<TcpConnection, TcpConnectFailed, Scope.Scope> => {
  const { host, port } = options;
  const connectTimeout = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
  const closeTimeoutMs = Duration.toMillis(options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT);
  const highWaterMark = Math.max(1, Math.floor(options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK));
  const closed = (message: string, cause?: unknown) => new TcpClosed({ host, port, cause, message: `${host}:${port}: ${message}` });

  return Effect.uninterruptibleMask((restore) =>
    Effect.gen(function* () {
      const socket = yield* restore(
        openSocket(host, port).pipe(
          Effect.timeoutOrElse({
            duration: connectTimeout,
            orElse: () =>
              Effect.fail(new TcpConnectFailed({ host, port, reason: "timeout", message: `connect to ${host}:${port} timed out after ${Duration.format(Duration.fromInputUnsafe(connectTimeout))}` })),
          }),
        ),
      );
      socket.setNoDelay(options.noDelay ?? true);
      const queue = yield* Queue.bounded<Uint8Array, TcpClosed | Cause.Done>(highWaterMark);
      let closing = false;

      const onData = (chunk: Buffer) => {
        Queue.offerUnsafe(queue, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        // Pausing stops further 'data' events at once, so the queue never overflows.
        if (Queue.isFullUnsafe(queue)) socket.pause();
      };
      const onEnd = () => {
        Queue.endUnsafe(queue);
      };
      const onError = (cause: Error) => {
        Queue.failCauseUnsafe(queue, Cause.fail(closed(`connection failed: ${errorText(cause)}`, cause)));
      };
      const onClose = () => {
        Queue.endUnsafe(queue);
      };
      socket.on("data", onData);
      socket.on("end", onEnd);
      socket.on("error", onError);
      socket.on("close", onClose);

      const resumeReading = Effect.sync(() => {
        if (!closing && !socket.destroyed && socket.isPaused()) socket.resume();
      });
      const incoming: Stream.Stream<Uint8Array, TcpClosed> = Stream.fromPull(Effect.succeed(Effect.tap(Queue.takeAll(queue), () => resumeReading)));

      const send = (bytes: Uint8Array): Effect.Effect<void, TcpClosed> =>
        Effect.callback<void, TcpClosed>((resume) => {
          if (closing || socket.destroyed || socket.writableEnded) {
            resume(Effect.fail(closed("connection is closed")));
            return;
          }
          socket.write(bytes, (cause) => resume(cause ? Effect.fail(closed(`write failed: ${errorText(cause)}`, cause)) : Effect.void));
        });

      const stats = Effect.sync(
        (): TcpStats => ({
          bytesRead: socket.bytesRead,
          bytesWritten: socket.bytesWritten,
          queued: Queue.sizeUnsafe(queue),
          paused: socket.isPaused(),
          destroyed: socket.destroyed,
        }),
      );

      const release = Effect.callback<void>((resume) => {
        closing = true;
        Queue.endUnsafe(queue);
        socket.off("data", onData);
        socket.off("end", onEnd);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const finish = () => {
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
          socket.off("close", finish);
          socket.off("close", onClose);
          socket.off("error", onError);
          socket.off("error", ignoreError);
          resume(Effect.void);
        };
        // Errors while closing (e.g. ECONNRESET from a peer that did not read) are expected.
        const ignoreError = () => {};
        socket.on("error", ignoreError);
        if (socket.destroyed) {
          finish();
          return;
        }
        socket.once("close", finish);
        timer = setTimeout(() => socket.destroy(), closeTimeoutMs);
        // Read (and drop) what is still coming, so that the peer's FIN is seen.
        socket.resume();
        socket.end();
        return Effect.sync(() => socket.destroy());
      });
      yield* Effect.addFinalizer(() => release);

      return { host, port, localPort: socket.localPort ?? 0, incoming, send, stats } satisfies TcpConnection;
    }),
  );
};

// ---------------------------------------------------------------------------------------------
// Reconnecting
// ---------------------------------------------------------------------------------------------

/** What happened to the connection of a {@link reconnecting} stream. */
export type ConnectionEvent<E> =
  /** The `connection`-th connection (1, 2, …) is open. */
  | { readonly _tag: "Connected"; readonly connection: number }
  /** The `connection`-th connection ended: `reason` is its failure, `undefined` when the peer closed it cleanly. */
  | { readonly _tag: "Disconnected"; readonly connection: number; readonly reason: E | undefined }
  /**
   * The `attempt`-th reconnection (1, 2, … since the last successful connection) starts after
   * `delay`; `cause` is why the previous connection or attempt ended (`undefined` for a clean end).
   */
  | { readonly _tag: "Reconnecting"; readonly attempt: number; readonly delay: Duration.Duration; readonly cause: E | undefined };

/** An element of a {@link reconnecting} stream: a connection event or a message. */
export type Reconnecting<A, E> = ConnectionEvent<E> | { readonly _tag: "Message"; readonly message: A };

/**
 * The default reconnection schedule: exponential backoff from `base` (×`factor` per attempt),
 * each delay capped at `cap`, forever, without jitter (deterministic; add `Schedule.jittered`
 * when many clients reconnect to one server at once).
 */
export const reconnectSchedule = (options: { readonly base?: Duration.Input; readonly factor?: number; readonly cap?: Duration.Input } = {}): Schedule.Schedule<Duration.Duration> => {
  const cap = Duration.fromInputUnsafe(options.cap ?? Duration.seconds(10));
  return Schedule.exponential(options.base ?? Duration.millis(100), options.factor ?? 2).pipe(
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, cap))),
  );
};

/** Options of {@link reconnecting}. */
export interface ReconnectingOptions<E> {
  /**
   * When to try again after a drop or a failed attempt; its input is the failure (`undefined`
   * for a clean end). Restarts from its beginning after every successful connection. When it
   * stops, so does the stream: failing with the last failure, or ending after a clean end.
   * Default: {@link reconnectSchedule}`()` (100 ms × 2ⁿ, capped at 10 s, forever).
   */
  readonly schedule?: Schedule.Schedule<unknown, E | undefined>;
  /** Elements buffered ahead of the consumer before the connection is no longer read (default 16). */
  readonly bufferSize?: number;
}

/**
 * Keeps a connection open: runs `connect` (which opens a connection in the given `Scope` and
 * returns the stream of its decoded messages), emits `Connected`, the messages, and
 * `Disconnected` when that stream ends or fails; then waits as `schedule` says, emits
 * `Reconnecting`, and connects again. A failed attempt also consults the schedule.
 *
 * Errors: typed failures of `connect` or of a connection's stream are not failures of this
 * stream: they are the `reason`/`cause` of its events, and this stream fails only when the
 * schedule gives up (with the last failure). Defects are not retried: they fail the stream.
 *
 * Backpressure is kept: a connection is read only as fast as this stream is consumed (with
 * `bufferSize` elements of slack). Interrupting the consumer closes the current connection's
 * scope and stops reconnecting.
 */
export const reconnecting = <A, EC, ES, R>(
  connect: Effect.Effect<Stream.Stream<A, ES, R>, EC, R | Scope.Scope>,
  options: ReconnectingOptions<EC | ES> = {},
): Stream.Stream<Reconnecting<A, EC | ES>, EC | ES, Exclude<R, Scope.Scope>> => {
  type E = EC | ES;
  const schedule: Schedule.Schedule<unknown, E | undefined> = options.schedule ?? reconnectSchedule();
  return Stream.callback<Reconnecting<A, E>, E, Exclude<R, Scope.Scope>>(
    (queue) =>
      Effect.gen(function* () {
        let step = yield* Schedule.toStep(schedule);
        let attempt = 0;
        let connection = 0;
        while (true) {
          let connected = false;
          const exit = yield* Effect.exit(
            Effect.scoped(
              Effect.gen(function* () {
                const messages = yield* connect;
                connected = true;
                connection += 1;
                attempt = 0;
                step = yield* Schedule.toStep(schedule);
                yield* Queue.offer(queue, { _tag: "Connected", connection });
                yield* Stream.runForEach(messages, (message) => Queue.offer(queue, { _tag: "Message", message }));
              }),
            ),
          );
          let reason: E | undefined;
          if (Exit.isFailure(exit)) {
            const error = Cause.findErrorOption(exit.cause as Cause.Cause<E>);
            if (Option.isNone(error)) return yield* Effect.failCause(exit.cause as Cause.Cause<never>);
            reason = error.value;
          }
          if (connected) yield* Queue.offer(queue, { _tag: "Disconnected", connection, reason });
          attempt += 1;
          const now = yield* Clock.currentTimeMillis;
          const next = yield* Effect.exit(step(now, reason));
          if (Exit.isFailure(next)) {
            // The schedule is done (or failed): stop with the last failure, or end after a clean end.
            if (reason !== undefined) return yield* Queue.fail(queue, reason);
            return yield* Queue.end(queue);
          }
          const delay = next.value[1];
          yield* Queue.offer(queue, { _tag: "Reconnecting", attempt, delay, cause: reason });
          yield* Effect.sleep(delay);
        }
      }),
    { bufferSize: Math.max(1, options.bufferSize ?? 16), strategy: "suspend" },
  );
};
