import * as net from "node:net";
import { Duration, Effect, Exit, Result, Scope } from "effect";
import { describe, expect, it } from "vitest";
import { modbusTcpClient } from "../src/connection/modbus-client.js";
import {
  decodeModbusTcpRequest,
  encodeModbusTcpResponse,
  modbusTcpFrameSize,
  type ModbusExceptionReply,
  type ModbusRequest,
  type ModbusResponse,
  type ModbusTcpRequest,
} from "../src/modbus.js";

// ---------------------------------------------------------------------------------------------
// A fake Modbus TCP server: cuts request frames out of the stream and hands each to `handle`,
// which answers through `reply` whenever it likes (or never).
// ---------------------------------------------------------------------------------------------

interface Incoming extends ModbusTcpRequest {
  readonly socket: net.Socket;
  /** The connection's index, 1-based. */
  readonly connection: number;
  readonly reply: (response: ModbusResponse | ModbusExceptionReply) => void;
}

interface FakeModbus {
  readonly port: number;
  /** Largest number of requests received and not yet answered, at any moment. */
  readonly maxOutstanding: () => number;
}

const fakeModbus = (handle: (request: Incoming) => void): Effect.Effect<FakeModbus, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ server: net.Server; sockets: net.Socket[]; fake: FakeModbus }>((resume) => {
      const sockets: net.Socket[] = [];
      let outstanding = 0;
      let maxOutstanding = 0;
      const server = net.createServer((socket) => {
        sockets.push(socket);
        const connection = sockets.length;
        socket.on("error", () => {});
        let buffer = Buffer.alloc(0);
        socket.on("data", (chunk) => {
          buffer = Buffer.concat([buffer, chunk]);
          for (let size = modbusTcpFrameSize(buffer); size !== undefined && buffer.length >= size; size = modbusTcpFrameSize(buffer)) {
            const frame = buffer.subarray(0, size);
            buffer = buffer.subarray(size);
            const decoded = decodeModbusTcpRequest(frame);
            if (Result.isFailure(decoded)) throw new Error(`fake server: bad request ${decoded.failure.message}`);
            outstanding++;
            maxOutstanding = Math.max(maxOutstanding, outstanding);
            let answered = false;
            handle({
              ...decoded.success,
              socket,
              connection,
              reply: (response) => {
                if (!answered) outstanding--;
                answered = true;
                const bytes = encodeModbusTcpResponse({ transactionId: decoded.success.transactionId, unitId: decoded.success.unitId }, response);
                if (Result.isFailure(bytes)) throw new Error(bytes.failure.message);
                socket.write(bytes.success);
              },
            });
          }
        });
      });
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({ server, sockets, fake: { port: (server.address() as net.AddressInfo).port, maxOutstanding: () => maxOutstanding } })),
      );
    }),
    ({ server, sockets }) =>
      Effect.callback<void>((resume) => {
        for (const s of sockets) s.destroy();
        server.close(() => resume(Effect.void));
      }),
  ).pipe(Effect.map((r) => r.fake));

/** Register `a` holds the value 1000 + a. */
const registersAt = (address: number, quantity: number) => Array.from({ length: quantity }, (_, i) => 1000 + address + i);

/** A well-behaved device: reads return {@link registersAt}, writes are echoed, addresses ≥ 100 are illegal. */
const answer = (request: ModbusRequest): ModbusResponse | ModbusExceptionReply => {
  if (request.address >= 100) return { kind: "exception", functionCode: request.kind === "read-holding-registers" ? 3 : 6, code: 2 };
  switch (request.kind) {
    case "read-holding-registers":
    case "read-input-registers":
      return { kind: request.kind, registers: registersAt(request.address, request.quantity) };
    case "write-single-register":
      return { kind: request.kind, address: request.address, value: request.value };
    case "write-multiple-registers":
      return { kind: request.kind, address: request.address, quantity: request.values.length };
  }
};

const read = (address: number, quantity = 2): ModbusRequest => ({ kind: "read-holding-registers", address, quantity });

const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Promise<A> => Effect.runPromise(Effect.scoped(effect));

const failureTag = <A, E>(exit: Exit.Exit<A, E>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined;
  const fail = exit.cause.reasons.find((r) => r._tag === "Fail");
  return fail?._tag === "Fail" ? (fail.error as { _tag?: string })._tag : "defect";
};

describe("modbusTcpClient", { timeout: 15_000 }, () => {
  it("reads and writes registers, and surfaces exception responses as ModbusException", () =>
    run(
      Effect.gen(function* () {
        const fake = yield* fakeModbus((r) => r.reply(answer(r.request)));
        const client = yield* modbusTcpClient({ host: "127.0.0.1", port: fake.port, unitId: 1 });
        expect(yield* client.request(read(10, 3))).toEqual({ kind: "read-holding-registers", registers: [1010, 1011, 1012] });
        expect(yield* client.request({ kind: "write-single-register", address: 4, value: 0xbeef })).toEqual({ kind: "write-single-register", address: 4, value: 0xbeef });
        const refused = yield* Effect.exit(client.request(read(200)));
        expect(failureTag(refused)).toBe("ModbusException");
        expect(refused).toMatchObject({ cause: { reasons: [{ error: { code: 2, codeName: "ILLEGAL DATA ADDRESS" } }] } });
        // An invalid request fails before anything is sent.
        expect(failureTag(yield* Effect.exit(client.request(read(0, 500))))).toBe("ModbusBadQuantity");
      }),
    ));

  it("serializes requests by default: one on the wire at a time", () =>
    run(
      Effect.gen(function* () {
        const fake = yield* fakeModbus((r) => setImmediate(() => r.reply(answer(r.request))));
        const client = yield* modbusTcpClient({ host: "127.0.0.1", port: fake.port, unitId: 1 });
        const responses = yield* Effect.all([0, 10, 20, 30, 40].map((a) => client.request(read(a))), { concurrency: "unbounded" });
        expect(responses).toEqual([0, 10, 20, 30, 40].map((a) => ({ kind: "read-holding-registers", registers: registersAt(a, 2) })));
        expect(fake.maxOutstanding()).toBe(1);
      }),
    ));

  it("pipelines up to maxInFlight requests and matches responses arriving out of order by transaction id", () =>
    run(
      Effect.gen(function* () {
        const held: Parameters<Parameters<typeof fakeModbus>[0]>[0][] = [];
        // Hold four requests, then answer them in reverse order.
        const fake = yield* fakeModbus((r) => {
          held.push(r);
          if (held.length === 4) for (const h of held.splice(0).reverse()) h.reply(answer(h.request));
        });
        const client = yield* modbusTcpClient({ host: "127.0.0.1", port: fake.port, unitId: 1, maxInFlight: 4 });
        const addresses = [0, 10, 20, 30];
        const responses = yield* Effect.all(addresses.map((a) => client.request(read(a))), { concurrency: "unbounded" });
        expect(responses).toEqual(addresses.map((a) => ({ kind: "read-holding-registers", registers: registersAt(a, 2) })));
        expect(fake.maxOutstanding()).toBe(4);
      }),
    ));

  it("times out a request that gets no answer, and drops its late response", () =>
    run(
      Effect.gen(function* () {
        let late: Incoming | undefined;
        const fake = yield* fakeModbus((r) => {
          if (late === undefined) late = r; // never answered in time
          else {
            late.reply(answer(late.request)); // the late answer to the first request comes first…
            r.reply(answer(r.request)); // …then the answer to this one
          }
        });
        const client = yield* modbusTcpClient({ host: "127.0.0.1", port: fake.port, unitId: 1, timeout: Duration.millis(100) });
        const first = yield* Effect.exit(client.request(read(1)));
        expect(failureTag(first)).toBe("ModbusTimeout");
        expect(yield* client.request(read(50, 1))).toEqual({ kind: "read-holding-registers", registers: [1050] });
      }),
    ));

  it("fails outstanding requests with TcpClosed when the connection drops, and reconnects for the next", () =>
    run(
      Effect.gen(function* () {
        const fake = yield* fakeModbus((r) => {
          if (r.connection === 1) r.socket.destroy();
          else r.reply(answer(r.request));
        });
        const client = yield* modbusTcpClient({ host: "127.0.0.1", port: fake.port, unitId: 7 });
        expect(failureTag(yield* Effect.exit(client.request(read(1))))).toBe("TcpClosed");
        expect(yield* client.request(read(2, 1))).toEqual({ kind: "read-holding-registers", registers: [1002] });
      }),
    ));
});
