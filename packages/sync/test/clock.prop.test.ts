import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { type Hlc, HLC_ZERO, compareHlc, decodeHlc, encodeHlc, receiveHlc, tickHlc } from "@jxc/sync";
import { hlcArb, hlcEventsArb } from "@jxc/sync/testing";
import { ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const T = 1_767_225_600_000;

describe("hybrid logical clock invariants (fast-check, 1,000 runs each)", () => {
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
