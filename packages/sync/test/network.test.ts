import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { createInMemoryNetwork, seededRandom, type InMemoryNetworkConfig } from "@jxc/sync/testing";
import { failWith, ok } from "../../../scripts/test-support.js";

const bytes = (n: number) => new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
const id = (f: Uint8Array) => f[0]! | (f[1]! << 8);
const net = (config: Omit<InMemoryNetworkConfig, "random"> & { seed?: number }) => ok(createInMemoryNetwork({ ...config, random: seededRandom(config.seed ?? 1) }));

describe("seededRandom", () => {
  it("repeats its stream for a seed and differs between seeds", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    const r = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const k = r.nextInt(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
    }
  });
});

describe("in-memory network", () => {
  it("delivers after the link delay, in order, with copies owned by the receiver", () => {
    const n = net({ nodes: ["a", "b"] });
    const frame = bytes(1);
    ok(n.send("a", "b", frame));
    frame[0] = 99;
    ok(n.send("a", "b", bytes(2)));
    expect(n.advanceTo(19)).toEqual([]);
    const got = n.advanceTo(20);
    expect(got.map((d) => id(d.frame))).toEqual([1, 2]);
    expect(got[0]).toMatchObject({ from: "a", to: "b", sentAt: 0, deliverAt: 20, duplicate: false });
    expect(n.now()).toBe(20);
    expect(n.inFlight()).toBe(0);
  });

  it("loses every frame at loss 1 and duplicates every frame at duplication 1", () => {
    const lossy = net({ nodes: ["a", "b"], faults: { loss: 1 } });
    for (let i = 0; i < 10; i++) ok(lossy.send("a", "b", bytes(i)));
    expect(lossy.advanceTo(1000)).toEqual([]);
    expect(lossy.stats()).toMatchObject({ sent: 10, lost: 10, delivered: 0 });

    const doubling = net({ nodes: ["a", "b"], faults: { duplication: 1 } });
    ok(doubling.send("a", "b", bytes(5)));
    const got = doubling.advanceTo(1000);
    expect(got.map((d) => id(d.frame))).toEqual([5, 5]);
    expect(got.map((d) => d.duplicate).sort()).toEqual([false, true]);
  });

  it("reorders frames with jitter or reordering, deterministically per seed", () => {
    const run = (seed: number) => {
      const n = net({ nodes: ["a", "b"], faults: { jitterMs: 50, reordering: 0.3 }, seed });
      const got: number[] = [];
      for (let i = 0; i < 50; i++) {
        ok(n.send("a", "b", bytes(i)));
        got.push(...n.advanceTo(n.now() + 1).map((d) => id(d.frame)));
      }
      return [...got, ...n.advanceTo(10_000).map((d) => id(d.frame))];
    };
    const order = run(3);
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
    expect(run(3)).toEqual(order);
    expect(run(4)).not.toEqual(order);
  });

  it("drops frames across a partition, at sending and at arrival, and carries them after healing", () => {
    const n = net({ nodes: ["c", "e1", "e2"] });
    ok(n.split([["c"], ["e1"]]));
    expect(n.connected("c", "e1")).toBe(false);
    expect(n.connected("e1", "e2")).toBe(false);
    expect(n.connected("c", "c")).toBe(true);
    ok(n.send("c", "e1", bytes(1)));
    n.heal();
    ok(n.send("c", "e1", bytes(2)));
    n.advanceTo(10);
    ok(n.split([["c", "e2"]]));
    expect(n.advanceTo(100)).toEqual([]);
    expect(n.stats().cut).toBe(2);
    n.heal();
    ok(n.send("c", "e1", bytes(3)));
    expect(n.advanceTo(200).map((d) => id(d.frame))).toEqual([3]);
  });

  it("follows a partition schedule as virtual time passes", () => {
    const n = net({
      nodes: ["c", "e"],
      partitions: [
        { at: 100, kind: "split", groups: [["c"], ["e"]] },
        { at: 300, kind: "heal" },
      ],
    });
    ok(n.send("c", "e", bytes(1))); // arrives at 20
    n.advanceTo(90);
    ok(n.send("c", "e", bytes(2))); // would arrive at 110: cut at 100
    expect(n.advanceTo(150).map((d) => id(d.frame))).toEqual([]);
    expect(n.connected("c", "e")).toBe(false);
    ok(n.send("c", "e", bytes(3)));
    n.advanceTo(300);
    expect(n.connected("c", "e")).toBe(true);
    ok(n.send("c", "e", bytes(4)));
    expect(n.advanceTo(400).map((d) => id(d.frame))).toEqual([4]);
  });

  it("drops frames to a node that is down", () => {
    const n = net({ nodes: ["a", "b"] });
    ok(n.setDown("b", true));
    ok(n.send("a", "b", bytes(1)));
    expect(n.advanceTo(50)).toEqual([]);
    ok(n.setDown("b", false));
    ok(n.send("a", "b", bytes(2)));
    expect(n.step().map((d) => id(d.frame))).toEqual([2]);
  });

  it("applies per-link faults over the network's", () => {
    const n = net({ nodes: ["a", "b", "c"], links: { "a->b": { delayMs: 100 } } });
    ok(n.send("a", "b", bytes(1)));
    ok(n.send("a", "c", bytes(2)));
    expect(n.nextDeliveryAt()).toBe(20);
    expect(n.step().map((d) => d.to)).toEqual(["c"]);
    expect(n.step().map((d) => [d.to, d.deliverAt])).toEqual([["b", 100]]);
  });

  it("broadcasts to every other node", () => {
    const n = net({ nodes: ["a", "b", "c"] });
    ok(n.broadcast("a", bytes(1)));
    expect(n.advanceTo(20).map((d) => d.to)).toEqual(["b", "c"]);
  });

  it("refuses unknown nodes and malformed configurations with typed errors", () => {
    const n = net({ nodes: ["a", "b"] });
    expect(failWith(n.send("a", "x", bytes(1)), "UnknownNode").node).toBe("x");
    failWith(n.split([["zz"]]), "UnknownNode");
    failWith(n.setDown("zz", true), "UnknownNode");
    expect(n.stats().sent).toBe(0);
    failWith(n.setFaults({ loss: 2 }), "InvalidInput");
    const bad = (config: Omit<InMemoryNetworkConfig, "random">) => createInMemoryNetwork({ ...config, random: seededRandom(1) });
    failWith(bad({ nodes: ["a", "a"] }), "InvalidInput");
    failWith(bad({ nodes: ["a"], faults: { delayMs: -1 } }), "InvalidInput");
    failWith(bad({ nodes: ["a"], links: { "a->q": { loss: 0.5 } } }), "InvalidInput");
    const e = failWith(bad({ nodes: ["a"], partitions: [{ at: 1, kind: "split", groups: [["q"]] }] }), "InvalidInput");
    expect(e.issues[0]?.path).toBe("partitions.0.groups");
    expect(Result.isSuccess(bad({ nodes: ["a"], faults: { loss: 0.5 } }))).toBe(true);
  });
});
