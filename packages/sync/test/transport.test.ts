import { Effect, Fiber, Layer, Result, type Scope, Stream } from "effect";
import { TestClock } from "effect/testing";
import { describe, expect, it } from "vitest";
import { flushReplica, inMemoryTransport, makeInMemoryHub, Replica, runReplica, Transport, type AddressedFrame, type FrameRefused, type ReplicaEndpoint } from "@jxc/sync";
import { seededRandom } from "@jxc/sync/testing";

const text = (s: string) => new TextEncoder().encode(s);
const read = (b: Uint8Array) => new TextDecoder().decode(b);

/** A toy replica: answers "ping" with "pong", refuses anything else, and emits queued frames on flush. */
const toyReplica = (peer: string) => {
  const received: string[] = [];
  let queued: AddressedFrame[] = [];
  const replica: ReplicaEndpoint<string> & { received: string[]; queue: (s: string) => void } = {
    received,
    queue: (s) => {
      queued.push({ to: peer, frame: text(s) });
    },
    receive: (from, frame) => {
      const s = read(frame);
      received.push(`${from}:${s}`);
      if (s === "ping") return Result.succeed([{ to: from, frame: text("pong") }]);
      if (s.startsWith("bad")) return Result.fail(`malformed ${s}`);
      return Result.succeed([]);
    },
    outgoing: () => {
      const out = queued;
      queued = [];
      return out;
    },
  };
  return replica;
};

const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Effect.scoped(effect).pipe(Effect.provide(TestClock.layer())) as Effect.Effect<A, E>);

describe("in-memory transport", () => {
  it("carries frames after the link delay in virtual time", async () => {
    const got = await run(
      Effect.gen(function* () {
        const hub = yield* makeInMemoryHub({ nodes: ["center", "edge"], random: seededRandom(1) });
        const center = yield* Effect.fromResult(hub.port("center"));
        const edge = yield* Effect.fromResult(hub.port("edge"));
        const fiber = yield* Effect.forkScoped(Stream.runCollect(Stream.take(edge.incoming, 2)));
        yield* center.send("edge", text("a"));
        yield* center.send("edge", text("b"));
        yield* TestClock.adjust(19);
        expect(hub.network.stats().delivered).toBe(0);
        yield* TestClock.adjust(1);
        const frames = yield* Fiber.join(fiber);
        return frames.map((f) => `${f.from}:${read(f.frame)}`);
      }),
    );
    expect(got).toEqual(["center:a", "center:b"]);
  });

  it("refuses a node not on the hub with a typed error", async () => {
    const tags = await run(
      Effect.gen(function* () {
        const hub = yield* makeInMemoryHub({ nodes: ["a"], random: seededRandom(1) });
        const port = hub.port("zz");
        const a = yield* Effect.fromResult(hub.port("a"));
        const sent = yield* Effect.result(a.send("zz", text("x")));
        return [Result.isFailure(port) ? port.failure._tag : "ok", Result.isFailure(sent) ? sent.failure._tag : "ok"];
      }),
    );
    expect(tags).toEqual(["TransportError", "TransportError"]);
  });

  it("refuses a malformed network configuration", async () => {
    const r = await run(Effect.result(makeInMemoryHub({ nodes: ["a", "a"], random: seededRandom(1) })));
    expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
  });
});

describe("runReplica", () => {
  it("applies incoming frames, sends replies, flushes on its interval and reports refused frames", async () => {
    const result = await run(
      Effect.gen(function* () {
        const hub = yield* makeInMemoryHub({ nodes: ["center", "edge"], random: seededRandom(2) });
        const center = toyReplica("edge");
        const edge = toyReplica("center");
        const refused: string[] = [];
        const onRefused = (r: FrameRefused<string>) => Effect.sync(() => void refused.push(`${r.from}:${r.reason}`));
        yield* Effect.forkScoped(runReplica(center, { flushIntervalMs: 1000, onRefused }).pipe(Effect.provide(inMemoryTransport(hub, "center"))));
        yield* Effect.forkScoped(runReplica(edge, { flushIntervalMs: 1000, onRefused }).pipe(Effect.provide(inMemoryTransport(hub, "edge"))));
        yield* TestClock.adjust(1);
        edge.queue("ping");
        edge.queue("bad frame");
        // Not sent before the flush interval.
        yield* TestClock.adjust(500);
        expect(center.received).toEqual([]);
        yield* TestClock.adjust(520); // flush at 1000, arrival at 1020
        expect(center.received).toEqual(["edge:ping", "edge:bad frame"]);
        yield* TestClock.adjust(20); // the pong
        // A flush on demand goes out at once.
        center.queue("hello");
        yield* flushReplica(center).pipe(Effect.provide(inMemoryTransport(hub, "center")));
        yield* TestClock.adjust(20);
        return { edge: edge.received, refused };
      }),
    );
    expect(result.edge).toEqual(["center:pong", "center:hello"]);
    expect(result.refused).toEqual(["edge:malformed bad frame"]);
  });

  it("refuses malformed options", async () => {
    const r = await run(
      Effect.gen(function* () {
        const hub = yield* makeInMemoryHub({ nodes: ["a"], random: seededRandom(1) });
        return yield* Effect.result(runReplica(toyReplica("a"), { flushIntervalMs: -5 }).pipe(Effect.provide(inMemoryTransport(hub, "a"))));
      }),
    );
    expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
  });

  it("is a service any transport can provide", () => {
    const layer: Layer.Layer<Transport> = Layer.succeed(Transport, { self: "x", send: () => Effect.void, incoming: Stream.empty });
    expect(layer).toBeDefined();
  });

  it("drives real replicas: an edge's sale reaches the center, the center's receipt reaches the edge", async () => {
    const seen = await run(
      Effect.gen(function* () {
        const hub = yield* makeInMemoryHub({ nodes: ["hq", "s1"], random: seededRandom(3), faults: { delayMs: 20 } });
        const center = Result.getOrThrow(Replica.create({ id: "hq", role: "center", peers: ["s1"], summaryIntervalMs: 5_000 }, 0));
        const edge = Result.getOrThrow(Replica.create({ id: "s1", role: "edge", center: "hq", summaryIntervalMs: 5_000 }, 0));
        const refused: string[] = [];
        const onRefused = (r: FrameRefused<unknown>) => Effect.sync(() => void refused.push(r.message));
        yield* Effect.forkScoped(runReplica(center, { flushIntervalMs: 200, onRefused }).pipe(Effect.provide(inMemoryTransport(hub, "hq"))));
        yield* Effect.forkScoped(runReplica(edge, { flushIntervalMs: 200, onRefused }).pipe(Effect.provide(inMemoryTransport(hub, "s1"))));
        Result.getOrThrow(edge.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "10" }, 0));
        Result.getOrThrow(edge.localOperation({ kind: "sale", id: "s1", item: "tea", position: "S1", qty: "3" }, 0));
        Result.getOrThrow(center.localOperation({ kind: "receipt", id: "r2", item: "rice", position: "HQ", qty: "5" }, 0));
        yield* TestClock.adjust(2_000);
        return {
          atCenter: center.quantity("tea", "S1").toString(),
          atEdge: edge.quantity("rice", "HQ").toString(),
          same: center.digest() === edge.digest(),
          refused,
        };
      }),
    );
    expect(seen).toEqual({ atCenter: "7", atEdge: "5", same: true, refused: [] });
  });
});
