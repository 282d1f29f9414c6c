import { describe, expect, it } from "vitest";
import { type Hlc, HLC_ZERO, decodeHlc, encodeHlc, receiveHlc, tickHlc } from "@jxc/sync";
import { failWith, ok } from "../../../scripts/test-support.js";

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

});
