import * as net from "node:net";
import { Deferred, Duration, Effect, Exit, Fiber, Schedule, Scope, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { reconnectSchedule, reconnecting, tcpConnect, type Reconnecting, type TcpClosed, type TcpConnectFailed, type TcpError } from "../src/connection/tcp.js";

// ---------------------------------------------------------------------------------------------
// A fake server on 127.0.0.1 with a free port, closed with the test's scope.
// ---------------------------------------------------------------------------------------------

interface FakeServer {
  readonly port: number;
  readonly server: net.Server;
  /** Server-side sockets, in the order they were accepted. */
  readonly sockets: net.Socket[];
  /** Per accepted socket: whether the server saw the client's FIN ('end') and the socket closed. */
  readonly seen: { end: boolean; closed: boolean }[];
}

const fakeServer = (onConnection: (socket: net.Socket, index: number) => void): Effect.Effect<FakeServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<FakeServer>((resume) => {
      const sockets: net.Socket[] = [];
      const seen: { end: boolean; closed: boolean }[] = [];
      const server = net.createServer((socket) => {
        const flags = { end: false, closed: false };
        sockets.push(socket);
        seen.push(flags);
        socket.on("end", () => (flags.end = true));
        socket.on("close", () => (flags.closed = true));
        socket.on("error", () => {});
        onConnection(socket, sockets.length);
        // A socket nobody reads never sees the client's FIN: read (and drop) unless the test reads.
        if (socket.listenerCount("data") === 0) socket.resume();
      });
      server.listen(0, "127.0.0.1", () => {
        const address = server.address() as net.AddressInfo;
        resume(Effect.succeed({ port: address.port, server, sockets, seen }));
      });
    }),
    (fake) =>
      Effect.callback<void>((resume) => {
        // Resumes once the server and every accepted socket are closed: no handle outlives a test.
        let pending = 1 + fake.sockets.length;
        const done = () => {
          if (--pending === 0) resume(Effect.void);
        };
        fake.sockets.forEach((s, i) => {
          if (fake.seen[i]?.closed) done();
          else {
            s.once("close", done);
            s.destroy();
          }
        });
        fake.server.close(done);
      }),
  );

const connectionCount = (server: net.Server) =>
  Effect.callback<number>((resume) => {
    server.getConnections((_, count) => resume(Effect.succeed(count)));
  });

/** Waits (bounded) until `check` holds; a wait for a condition, never an assertion on time. */
const eventually = <E, R>(check: Effect.Effect<boolean, E, R>, what: string) =>
  Effect.gen(function* () {
    for (let i = 0; i < 500; i++) {
      if (yield* check) return;
      yield* Effect.sleep(Duration.millis(10));
    }
    return yield* Effect.die(new Error(`condition never held: ${what}`));
  });

/** A port nothing listens on (bound, then released). */
const closedPort = Effect.callback<number>((resume) => {
  const server = net.createServer();
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resume(Effect.succeed(port)));
  });
});

const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Promise<A> => Effect.runPromise(Effect.scoped(effect));

const resources = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
const tcpSockets = () => resources("TCPSocketWrap");

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Writes `total` bytes of a known pattern, honouring the socket's own backpressure, then ends. */
const pattern = (i: number) => (i * 31 + 7) & 0xff;
const writePattern = (socket: net.Socket, total: number) => {
  const piece = 64 * 1024;
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const n = Math.min(piece, total - sent);
      const buf = Buffer.allocUnsafe(n);
      for (let j = 0; j < n; j++) buf[j] = pattern(sent + j);
      sent += n;
      if (!socket.write(buf)) {
        socket.once("drain", pump);
        return;
      }
    }
    socket.end();
  };
  pump();
};

// ---------------------------------------------------------------------------------------------

describe("tcpConnect", { timeout: 15_000 }, () => {
  it("sends and receives bytes", () =>
    run(
      Effect.gen(function* () {
        const server = yield* fakeServer((socket) => socket.on("data", (d) => socket.write(Buffer.concat([Buffer.from("echo:"), d]))));
        const conn = yield* tcpConnect({ host: "127.0.0.1", port: server.port });
        yield* conn.send(new TextEncoder().encode("ping"));
        const [chunk] = yield* conn.incoming.pipe(Stream.take(1), Stream.runCollect);
        expect(text(chunk!)).toBe("echo:ping");
      }),
    ));

  it("pauses the socket while the consumer is behind, and loses nothing when it catches up", () =>
    run(
      Effect.gen(function* () {
        const total = 16 * 1024 * 1024;
        const server = yield* fakeServer((socket) => writePattern(socket, total));
        const highWaterMark = 4;
        const conn = yield* tcpConnect({ host: "127.0.0.1", port: server.port, highWaterMark });
        const gate = yield* Deferred.make<void>();
        const firstSeen = yield* Deferred.make<void>();
        let received = 0;
        let mismatches = 0;
        const consumer = yield* conn.incoming.pipe(
          Stream.runForEach((chunk) =>
            Effect.gen(function* () {
              for (let j = 0; j < chunk.length; j++) if (chunk[j] !== pattern(received + j)) mismatches++;
              received += chunk.length;
              if (yield* Deferred.succeed(firstSeen, undefined)) yield* Deferred.await(gate); // stall after the first chunk
            }),
          ),
          Effect.forkChild,
        );
        yield* Deferred.await(firstSeen);
        yield* eventually(Effect.map(conn.stats, (s) => s.paused), "socket paused");
        const paused = yield* conn.stats;
        expect(paused.queued).toBeLessThanOrEqual(highWaterMark);
        // While paused nothing more is read from the kernel.
        yield* Effect.sleep(Duration.millis(50));
        const later = yield* conn.stats;
        expect(later.bytesRead).toBe(paused.bytesRead);
        expect(later.paused).toBe(true);
        expect(later.bytesRead).toBeLessThan(total);
        // Release the consumer: everything arrives, in order.
        yield* Deferred.succeed(gate, undefined);
        yield* Fiber.join(consumer);
        expect(received).toBe(total);
        expect(mismatches).toBe(0);
      }),
    ));

  it("on scope close ends the socket, the server sees the end, and no handle is left", () =>
    run(
      Effect.gen(function* () {
        const server = yield* fakeServer(() => {});
        const before = tcpSockets();
        const timersBefore = resources("Timeout");
        const scope = yield* Scope.make();
        const conn = yield* tcpConnect({ host: "127.0.0.1", port: server.port }).pipe(Scope.provide(scope));
        yield* eventually(Effect.map(connectionCount(server.server), (n) => n === 1), "server accepted");
        expect(tcpSockets()).toBe(before + 2);
        yield* Scope.close(scope, Exit.void);
        expect((yield* conn.stats).destroyed).toBe(true);
        yield* eventually(Effect.map(connectionCount(server.server), (n) => n === 0), "server connection gone");
        expect(server.seen[0]).toEqual({ end: true, closed: true });
        expect(tcpSockets()).toBe(before);
        expect(resources("Timeout")).toBeLessThanOrEqual(timersBefore); // the close timer is cleared
        // A closed connection refuses writes and its stream is over.
        const sent = yield* Effect.exit(conn.send(Uint8Array.of(1)));
        expect(Exit.isFailure(sent) && sent.cause.toString()).toContain("TcpClosed");
        expect(yield* Stream.runCollect(conn.incoming)).toEqual([]);
      }),
    ));

  it("closes cleanly while the peer is still sending and the consumer never read", () =>
    run(
      Effect.gen(function* () {
        const server = yield* fakeServer((socket) => writePattern(socket, 8 * 1024 * 1024));
        const before = tcpSockets();
        yield* Effect.scoped(
          Effect.gen(function* () {
            const conn = yield* tcpConnect({ host: "127.0.0.1", port: server.port, highWaterMark: 2 });
            yield* eventually(Effect.map(conn.stats, (s) => s.paused), "socket paused");
          }),
        );
        yield* eventually(Effect.map(connectionCount(server.server), (n) => n === 0), "server connection gone");
        expect(server.seen[0]?.closed).toBe(true);
        expect(tcpSockets()).toBe(before);
      }),
    ));

  it("fails with TcpConnectFailed when nothing listens", () =>
    run(
      Effect.gen(function* () {
        const port = yield* closedPort;
        const exit = yield* Effect.exit(tcpConnect({ host: "127.0.0.1", port }));
        expect(Exit.isFailure(exit)).toBe(true);
        if (Exit.isFailure(exit)) expect(exit.cause.toString()).toContain("TcpConnectFailed");
      }),
    ));

  it("ends incoming when the peer closes, fails it with TcpClosed when the peer resets", () =>
    run(
      Effect.gen(function* () {
        // The server resets a connection only once the client has written on it: a reset before
        // the client saw the handshake complete would be a connect failure instead.
        const server = yield* fakeServer((socket, i) => {
          if (i === 1) socket.end("bye");
          else socket.once("data", () => socket.resetAndDestroy());
        });
        const clean = yield* tcpConnect({ host: "127.0.0.1", port: server.port });
        expect(text(Buffer.concat(yield* Stream.runCollect(clean.incoming)))).toBe("bye");
        const reset = yield* tcpConnect({ host: "127.0.0.1", port: server.port });
        yield* reset.send(Uint8Array.of(1));
        const exit = yield* Effect.exit(Stream.runCollect(reset.incoming));
        expect(Exit.isFailure(exit)).toBe(true);
        if (Exit.isFailure(exit)) expect(exit.cause.toString()).toContain("TcpClosed");
      }),
    ));
});

// ---------------------------------------------------------------------------------------------

/** A connection whose messages are its chunks as text; it says "hi" first, so the server knows it is connected. */
const textConnection = (port: number) =>
  Effect.gen(function* () {
    const conn = yield* tcpConnect({ host: "127.0.0.1", port });
    yield* conn.send(new TextEncoder().encode("hi"));
    return Stream.map(conn.incoming, text);
  });

const shape = (e: Reconnecting<string, TcpError>) => {
  switch (e._tag) {
    case "Message":
      return `message ${e.message}`;
    case "Connected":
      return `connected ${e.connection}`;
    case "Disconnected":
      return `disconnected ${e.connection} ${e.reason?._tag ?? "clean"}`;
    case "Reconnecting":
      return `reconnecting ${e.attempt} ${Duration.toMillis(e.delay)}ms ${e.cause?._tag ?? "clean"}`;
  }
};

describe("reconnecting", { timeout: 15_000 }, () => {
  it("reconnects after the server closes or resets the connection, reporting each event", () =>
    run(
      Effect.gen(function* () {
        const server = yield* fakeServer((socket, i) => {
          if (i === 1) socket.end("one");
          else if (i === 2) socket.once("data", () => socket.resetAndDestroy());
          else socket.write("three");
        });
        const events = yield* reconnecting(textConnection(server.port), { schedule: reconnectSchedule({ base: Duration.millis(5), cap: Duration.millis(8) }) }).pipe(
          Stream.takeUntil((e) => e._tag === "Message" && e.message === "three"),
          Stream.runCollect,
        );
        expect(events.map(shape)).toEqual([
          "connected 1",
          "message one",
          "disconnected 1 clean",
          "reconnecting 1 5ms clean",
          "connected 2",
          "disconnected 2 TcpClosed",
          "reconnecting 1 5ms TcpClosed",
          "connected 3",
          "message three",
        ]);
        // The consumer stopped: the third connection is closed too.
        yield* eventually(Effect.map(connectionCount(server.server), (n) => n === 0), "last connection closed");
      }),
    ));

  it("backs off exponentially up to the cap while the server is down, and fails when the schedule gives up", () =>
    run(
      Effect.gen(function* () {
        const port = yield* closedPort;
        const schedule = reconnectSchedule({ base: Duration.millis(1), factor: 2, cap: Duration.millis(4) }).pipe(Schedule.upTo({ times: 4 }));
        const seen: string[] = [];
        const exit = yield* reconnecting(textConnection(port), { schedule }).pipe(
          Stream.runForEach((e) => Effect.sync(() => seen.push(shape(e)))),
          Effect.exit,
        );
        expect(seen).toEqual([
          "reconnecting 1 1ms TcpConnectFailed",
          "reconnecting 2 2ms TcpConnectFailed",
          "reconnecting 3 4ms TcpConnectFailed",
          "reconnecting 4 4ms TcpConnectFailed",
        ]);
        expect(Exit.isFailure(exit)).toBe(true);
        if (Exit.isFailure(exit)) expect(exit.cause.toString()).toContain("TcpConnectFailed");
      }),
    ));

  it("stops cleanly when interrupted while waiting to reconnect", () =>
    run(
      Effect.gen(function* () {
        const port = yield* closedPort;
        const reconnectingSeen = yield* Deferred.make<void>();
        const fiber = yield* reconnecting(textConnection(port), { schedule: Schedule.spaced(Duration.hours(1)) }).pipe(
          Stream.runForEach(() => Deferred.succeed(reconnectingSeen, undefined)),
          Effect.forkChild,
        );
        yield* Deferred.await(reconnectingSeen);
        yield* Fiber.interrupt(fiber);
        const exit = yield* Fiber.await(fiber);
        expect(Exit.isFailure(exit) && exit.cause.toString()).toContain("Interrupt");
      }),
    ));
});

// Type-level: the errors are the documented ones.
const _errors: TcpError[] = [] as (TcpConnectFailed | TcpClosed)[];
void _errors;
