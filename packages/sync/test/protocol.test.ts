import { describe, expect, it } from "vitest";
import { type Frame, REPLAY_WINDOW, SessionTracker, decodeFrame, encodeFrame } from "@jxc/sync";
import { failWith, ok } from "../../../scripts/test-support.js";


const base: Frame = {
  version: 1,
  sender: "s1",
  to: "hq",
  epoch: 1_767_225_600_000,
  seq: 1n,
  hlc: { wall: 1_767_225_600_000, logical: 0, node: "s1" },
  scale: 3,
  messages: [],
};

/** 100 sales of a store, batched: 30 items, one to three units each. */
const storeBatch = (): Frame => {
  const dec = new Map<string, number>();
  let x = 7;
  for (let i = 0; i < 100; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const item = `6901234${String(x % 30).padStart(6, "0")}`;
    dec.set(item, (dec.get(item) ?? 0) + (1 + (x % 3)) * 1000);
  }
  const cells = [...dec].sort().map(([item, units]) => ({ item, position: "S1", inc: [], dec: [["s1", units] as [string, number]], xfer: [] }));
  return { ...base, messages: [{ kind: "delta", from: 0, to: 100, complete: true, cells, registers: [], statuses: [] }] };
};

describe("binary frames", () => {
  it("names what is wrong", () => {
    expect(failWith(decodeFrame(Uint8Array.from([1, 2, 3])), "MalformedFrame").reason).toContain("magic");
    expect(failWith(decodeFrame(ok(encodeFrame(base)).subarray(0, 10)), "MalformedFrame").reason).toBe("truncated");
    const bad = { ...base, sender: "" };
    expect(failWith(encodeFrame(bad), "InvalidFrame").issues[0]!.path).toBe("sender");
  });

  it("100 stock operations of a store, batched, on the wire", () => {
    const bytes = ok(encodeFrame(storeBatch()));
    console.log(`100 sales over 30 items in one delta frame: ${bytes.length} bytes`);
    expect(ok(decodeFrame(bytes))).toEqual(storeBatch());
  });
});

describe("exactly-once sessions", () => {
  it("accepts each sequence number once, in any order within the window; refuses old epochs", () => {
    const t = new SessionTracker();
    for (const seq of [3n, 1n, 2n]) {
      ok(t.check("s1", 5, seq));
      t.record("s1", 5, seq);
    }
    expect(failWith(t.check("s1", 5, 2n), "ReplayedFrame").reason).toBe("duplicate");
    t.record("s1", 5, BigInt(REPLAY_WINDOW) + 10n);
    expect(failWith(t.check("s1", 5, 4n), "ReplayedFrame").reason).toBe("too-old");
    ok(t.check("s1", 6, 1n));
    t.record("s1", 6, 1n);
    failWith(t.check("s1", 5, 99999n), "StaleEpoch");
    const back = new SessionTracker(JSON.parse(JSON.stringify(t.toData())));
    failWith(back.check("s1", 6, 1n), "ReplayedFrame");
    ok(back.check("s1", 6, 2n));
  });
});
