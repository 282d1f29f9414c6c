import * as net from "node:net";
import { Duration, Effect, Exit, Schedule, Scope, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { llrpReader, type LlrpReaderEvent } from "../src/connection/llrp-client.js";
import { reconnectSchedule } from "../src/connection/tcp.js";
import { LlrpFrameDecoder, encodeLlrp } from "../src/llrp.js";
import type { LlrpMessage } from "../src/llrp-messages.js";

// ---------------------------------------------------------------------------------------------
// A fake LLRP reader: a TCP server that writes encoded frames in odd-sized pieces and decodes
// what the client sends.
// ---------------------------------------------------------------------------------------------

interface FakeReader {
  readonly port: number;
  /** Messages received from the client, per connection (1-based index − 1). */
  readonly received: LlrpMessage[][];
}

type OnConnection = (connection: {
  readonly index: number;
  readonly socket: net.Socket;
  /** Writes `bytes` split into pieces of the given sizes (cycled), one piece per event-loop turn; resolves when all are written. */
  readonly writeSplit: (bytes: Uint8Array, sizes: readonly number[]) => Promise<void>;
  /** Resolves with the first message from the client that satisfies `predicate`. */
  readonly receive: (predicate: (m: LlrpMessage) => boolean) => Promise<LlrpMessage>;
}) => void;

const fakeReader = (onConnection: OnConnection): Effect.Effect<FakeReader, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ server: net.Server; sockets: net.Socket[]; reader: FakeReader }>((resume) => {
      const sockets: net.Socket[] = [];
      const received: LlrpMessage[][] = [];
      const server = net.createServer((socket) => {
        socket.setNoDelay(true);
        socket.on("error", () => {});
        sockets.push(socket);
        const mine: LlrpMessage[] = [];
        received.push(mine);
        const waiters: { predicate: (m: LlrpMessage) => boolean; resolve: (m: LlrpMessage) => void }[] = [];
        let decoder = LlrpFrameDecoder.start();
        socket.on("data", (chunk) => {
          const pushed = decoder.push(chunk);
          decoder = pushed.decoder;
          for (const m of pushed.messages) {
            mine.push(m);
            for (const w of waiters.splice(0)) (w.predicate(m) ? w.resolve(m) : waiters.push(w));
          }
        });
        const writeSplit = (bytes: Uint8Array, sizes: readonly number[]) =>
          new Promise<void>((resolve) => {
            let offset = 0;
            let i = 0;
            const next = () => {
              if (offset >= bytes.length || socket.destroyed) return resolve();
              const n = sizes[i++ % sizes.length]!;
              socket.write(bytes.subarray(offset, offset + n));
              offset += n;
              setImmediate(next);
            };
            next();
          });
        const receive = (predicate: (m: LlrpMessage) => boolean) =>
          new Promise<LlrpMessage>((resolve) => {
            const seen = mine.find(predicate);
            if (seen) resolve(seen);
            else waiters.push({ predicate, resolve });
          });
        onConnection({ index: sockets.length, socket, writeSplit, receive });
      });
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, sockets, reader: { port: (server.address() as net.AddressInfo).port, received } })));
    }),
    ({ server, sockets }) =>
      Effect.callback<void>((resume) => {
        for (const s of sockets) s.destroy();
        server.close(() => resume(Effect.void));
      }),
  ).pipe(Effect.map((r) => r.reader));

/** A port nothing listens on (bound, then released). */
const closedPort = Effect.callback<number>((resume) => {
  const server = net.createServer();
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resume(Effect.succeed(port)));
  });
});

const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Promise<A> => Effect.runPromise(Effect.scoped(effect));

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const hex = (text: string) => Uint8Array.from(text.trim().split(/\s+/).map((b) => parseInt(b, 16)));

const report = (id: number, epc: string): LlrpMessage => ({
  type: "RO_ACCESS_REPORT",
  version: 1,
  id,
  tagReports: [{ epc: { form: "EPC-96", hex: epc }, antennaId: 1, peakRssi: -60, tagSeenCount: 3 }],
});
const notification: LlrpMessage = {
  type: "READER_EVENT_NOTIFICATION",
  version: 1,
  id: 0,
  data: { timestamp: { clock: "UTC", microseconds: 1767225600000000n }, connectionAttempt: { status: 0 } },
};
/** GET_READER_CAPABILITIES (type 1): well delimited, but not a message this codec reads. */
const unknownFrame = hex("04 01 00 00 00 0B 00 00 00 03 00");

const shape = (e: LlrpReaderEvent): string => {
  switch (e._tag) {
    case "Message":
      return `${e.message.type} #${e.message.id}`;
    case "DecodeError":
      return `decode error ${e.error._tag}`;
    case "Connected":
      return `connected ${e.connection}`;
    case "Disconnected":
      return `disconnected ${e.connection} ${e.reason?._tag ?? "clean"}`;
    case "Reconnecting":
      return `reconnecting ${e.attempt} ${e.cause?._tag ?? "clean"}`;
  }
};

const fast = reconnectSchedule({ base: Duration.millis(5), cap: Duration.millis(20) });

describe("llrpReader", { timeout: 15_000 }, () => {
  it("decodes frames split across odd chunks, answers KEEPALIVE, reports bad frames, reconnects and sends", () =>
    run(
      Effect.gen(function* () {
        const acks: LlrpMessage[] = [];
        const fake = yield* fakeReader(({ index, socket, writeSplit, receive }) => {
          if (index === 1) {
            const bytes = concat(
              encodeLlrp(notification),
              encodeLlrp({ type: "KEEPALIVE", version: 1, id: 77 }),
              unknownFrame,
              encodeLlrp(report(10, "3034257BF7194E4000001A85")),
            );
            // Everything written and the KEEPALIVE answered: drop the client.
            void Promise.all([writeSplit(bytes, [1, 3, 7, 2, 11, 5, 13]), receive((m) => m.type === "KEEPALIVE_ACK").then((ack) => acks.push(ack))]).then(() => socket.end());
          } else {
            const written = writeSplit(encodeLlrp(report(11, "3034257BF7194E4000001A86")), [4, 9]);
            // Answer once the report is fully written (frames must not interleave).
            void Promise.all([receive((m) => m.type === "ENABLE_ROSPEC"), written]).then(([m]) =>
              socket.write(encodeLlrp({ type: "ENABLE_ROSPEC_RESPONSE", version: 1, id: m.id, status: { code: 0, description: "" } })),
            );
          }
        });
        const reader = yield* llrpReader({ host: "127.0.0.1", port: fake.port, schedule: fast });
        const events = yield* reader.events.pipe(
          Stream.tap((e) => (e._tag === "Connected" && e.connection === 2 ? reader.send({ type: "ENABLE_ROSPEC", version: 1, id: 5, roSpecId: 1 }) : Effect.void)),
          Stream.takeUntil((e) => e._tag === "Message" && e.message.type === "ENABLE_ROSPEC_RESPONSE"),
          Stream.runCollect,
        );
        expect(events.map(shape)).toEqual([
          "connected 1",
          "READER_EVENT_NOTIFICATION #0",
          "KEEPALIVE #77",
          "decode error LlrpUnknownMessage",
          "RO_ACCESS_REPORT #10",
          "disconnected 1 clean",
          "reconnecting 1 clean",
          "connected 2",
          "RO_ACCESS_REPORT #11",
          "ENABLE_ROSPEC_RESPONSE #5",
        ]);
        expect(events[1]).toEqual({ _tag: "Message", message: notification });
        expect(events[4]).toEqual({ _tag: "Message", message: report(10, "3034257BF7194E4000001A85") });
        expect(acks).toEqual([{ type: "KEEPALIVE_ACK", version: 1, id: 77 }]);
        expect(fake.received[1]).toEqual([{ type: "ENABLE_ROSPEC", version: 1, id: 5, roSpecId: 1 }]);
      }),
    ));

  it("drops and reopens the connection when a frame length makes the stream unreadable", () =>
    run(
      Effect.gen(function* () {
        const fake = yield* fakeReader(({ index, socket }) => {
          // A header declaring 5 bytes (below the 10-byte header): nothing after it can be framed.
          if (index === 1) socket.write(hex("04 3E 00 00 00 05 00 00 00 01"));
          else socket.write(encodeLlrp({ type: "KEEPALIVE", version: 1, id: 2 }));
        });
        const reader = yield* llrpReader({ host: "127.0.0.1", port: fake.port, schedule: fast });
        const events = yield* reader.events.pipe(
          Stream.takeUntil((e) => e._tag === "Message"),
          Stream.runCollect,
        );
        expect(events.map(shape)).toEqual(["connected 1", "disconnected 1 LlrpLengthMismatch", "reconnecting 1 LlrpLengthMismatch", "connected 2", "KEEPALIVE #2"]);
      }),
    ));

  it("messages yields the messages only; send fails with TcpClosed while disconnected", () =>
    run(
      Effect.gen(function* () {
        const fake = yield* fakeReader(({ socket }) => {
          socket.write(concat(unknownFrame, encodeLlrp(report(3, "3034257BF7194E4000001A87"))));
        });
        const reader = yield* llrpReader({ host: "127.0.0.1", port: fake.port, schedule: fast });
        const [message] = yield* reader.messages.pipe(Stream.take(1), Stream.runCollect);
        expect(message).toEqual(report(3, "3034257BF7194E4000001A87"));
        expect(yield* reader.connected).toBe(true);

        const offline = yield* llrpReader({ host: "127.0.0.1", port: yield* closedPort, schedule: Schedule.spaced(Duration.hours(1)) });
        const sent = yield* Effect.exit(offline.send({ type: "KEEPALIVE_ACK", version: 1, id: 1 }));
        expect(Exit.isFailure(sent) && sent.cause.toString()).toContain("TcpClosed");
        expect(yield* offline.connected).toBe(false);
      }),
    ));
});
