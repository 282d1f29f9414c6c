import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { type Hlc, HLC_ZERO, compareHlc, decodeHlc, encodeHlc, receiveHlc, tickHlc } from "@jxc/sync";
import { hlcArb, hlcEventsArb } from "@jxc/sync/testing";
import { failWith, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const T = 1_767_225_600_000;

describe("hybrid logical clock", () => {
  it("a tick follows wall time, and counts within one millisecond", () => {
    const a = ok(tickHlc({ ...HLC_ZERO, node: "s1" }, T, "s1"));
    expect(a).toEqual({ wall: T, logical: 0, node: "s1" });
    const b = ok(tickHlc(a, T, "s1"));
    expect(b).toEqual({ wall: T, logical: 1, node: "s1" });
    const c = ok(tickHlc(b, T - 500, "s1")); // the wall clock stepped back
    expect(c).toEqual({ wall: T, logical: 2, node: "s1" });
  });

  it("receiving a later remote clock moves past it", () => {
    const local: Hlc = { wall: T, logical: 3, node: "hq" };
    const r = ok(receiveHlc(local, { wall: T + 10, logical: 7, node: "s1" }, T, "hq", 60_000));
    expect(r).toEqual({ wall: T + 10, logical: 8, node: "hq" });
  });

  it("a remote clock too far ahead is ClockDrift, naming the drift", () => {
    const e = failWith(receiveHlc(HLC_ZERO, { wall: T + 120_000, logical: 0, node: "s1" }, T, "hq", 60_000), "ClockDrift");
    expect(e.drift).toBe(120_000);
    expect(e.maxDrift).toBe(60_000);
  });

  it("an exhausted logical counter is ClockOverflow", () => {
    failWith(tickHlc({ wall: T + 5000, logical: 0xffff, node: "s1" }, T, "s1"), "ClockOverflow");
  });

  it("encodes compactly and reads back; bad text is InvalidHlc", () => {
    const h: Hlc = { wall: T, logical: 42, node: "store-7" };
    expect(encodeHlc(h)).toBe("019b76daa800002a@store-7");
    expect(ok(decodeHlc(encodeHlc(h)))).toEqual(h);
    failWith(decodeHlc("yesterday"), "InvalidHlc");
  });

  it("timestamps only move forward, and a received one ends after the remote (fast-check)", () => {
    fc.assert(
      fc.property(hlcEventsArb(T), (events) => {
        let clock: Hlc = { ...HLC_ZERO, node: "hq" };
        for (const e of events) {
          const next = e.kind === "tick" ? tickHlc(clock, e.now, "hq") : receiveHlc(clock, e.remote, e.now, "hq", 60_000);
          const n = Result.getOrThrow(next);
          expect(compareHlc(n, clock)).toBeGreaterThan(0);
          expect(n.wall).toBeGreaterThanOrEqual(e.now);
          if (e.kind === "receive") expect(n.wall > e.remote.wall || (n.wall === e.remote.wall && n.logical > e.remote.logical)).toBe(true);
          clock = n;
        }
      }),
      runs,
    );
  });

  it("the encoding round-trips and sorts like compareHlc for one node (fast-check)", () => {
    fc.assert(
      fc.property(hlcArb(T), hlcArb(T), (a, b) => {
        expect(ok(decodeHlc(encodeHlc(a)))).toEqual(a);
        const x = { ...a, node: "n" };
        const y = { ...b, node: "n" };
        const [ex, ey] = [encodeHlc(x), encodeHlc(y)];
        expect(ex < ey ? -1 : ex > ey ? 1 : 0).toBe(Math.sign(compareHlc(x, y)));
      }),
      runs,
    );
  });
});
