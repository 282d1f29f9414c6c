import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { CellDeltaSchema, type DeltaMessage, type Frame, decodeFrame, encodeFrame, encodeFrameUnchecked, isCellDelta } from "@jxc/sync";
import { REPLICA_IDS, cellDeltaArb, frameArb, historyArb, playHistory } from "@jxc/sync/testing";
import { ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The frame with the counters of each delta in item, position, lot order (no lot first): the order the codec writes them in. */
const inItemOrder = (frame: Frame): Frame => ({
  ...frame,
  messages: frame.messages.map((m) =>
    m.kind !== "delta"
      ? m
      : { ...m, cells: [...m.cells].sort((a, b) => byString(a.item, b.item) || byString(a.position, b.position) || (a.lot === b.lot ? 0 : a.lot === undefined ? -1 : b.lot === undefined ? 1 : byString(a.lot, b.lot))) },
  ),
});

describe("binary frame invariants (fast-check, 1,000 runs each)", () => {
  it("a delta of packed counters is encoded as the same bytes as its counters as objects, for every version and row selection (fast-check)", () => {
    fc.assert(
      fc.property(
        historyArb(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom("only", "except", "all"),
        fc.constantFrom(...REPLICA_IDS),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        (h, fraction, mode, replica, maxEntries) => {
          for (const s of playHistory(h).states) {
            const after = Math.floor(s.version * fraction);
            const options = { ...(mode === "only" ? { onlyRowsOf: replica } : mode === "except" ? { exceptRowsOf: replica } : {}), ...(maxEntries === undefined ? {} : { maxEntries }) };
            const packed = s.packedDeltaSince(after, options);
            const plain = s.deltaSince(after, options);
            const header = { version: 1 as const, sender: replica, to: "hq", epoch: 7, seq: 3n, hlc: { wall: 1000, logical: 2, node: replica }, scale: 3 };
            const ack = { kind: "ack" as const, upTo: 5 };
            const delta = { kind: "delta" as const, from: after, to: plain.to, complete: plain.complete, registers: plain.delta.registers, statuses: plain.delta.statuses };
            expect(packed.to).toBe(plain.to);
            const bytes = encodeFrameUnchecked({ ...header, messages: [ack, { ...delta, cells: packed.cells }] });
            expect(bytes).toEqual(encodeFrameUnchecked({ ...header, messages: [ack, { ...delta, cells: plain.delta.cells, registers: [...plain.delta.registers], statuses: [...plain.delta.statuses] } as DeltaMessage] }));
            expect(ok(decodeFrame(bytes)).messages[1]).toEqual({ ...delta, cells: plain.delta.cells });
          }
        },
      ),
      runs,
    );
  });

  it("round-trips every valid frame, the counters of a delta in item order (fast-check)", () => {
    fc.assert(
      fc.property(frameArb(), (frame) => {
        const bytes = ok(encodeFrame(frame));
        expect(ok(decodeFrame(bytes))).toEqual(inItemOrder(frame));
      }),
      runs,
    );
  });

  it("random bytes are a typed error, never a throw (fast-check)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = decodeFrame(bytes);
        if (Result.isFailure(r)) expect(["MalformedFrame", "InvalidFrame"]).toContain(r.failure._tag);
      }),
      runs,
    );
  });

  it("a valid frame with bytes flipped, cut or appended is a typed error or another valid frame, never a throw (fast-check)", () => {
    fc.assert(
      fc.property(frameArb(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (frame, flips, cut) => {
        const bytes = ok(encodeFrame(frame)).slice();
        for (const [at, x] of flips) bytes[at % bytes.length] = bytes[at % bytes.length]! ^ x;
        for (const b of [bytes, bytes.subarray(0, cut % bytes.length), Uint8Array.from([...bytes, 0])]) {
          const r = decodeFrame(b);
          if (Result.isFailure(r)) expect(["MalformedFrame", "InvalidFrame"]).toContain(r.failure._tag);
        }
      }),
      runs,
    );
  });

  it("the in-place counter check of decoded frames accepts exactly what CellDeltaSchema accepts (fast-check)", () => {
    const broken = cellDeltaArb().chain((c) =>
      fc.constantFrom<unknown>(
        c,
        { ...c, item: "" },
        { ...c, lot: 5 },
        { ...c, inc: [["x", -1]] },
        { ...c, dec: [["x", 1.5]] },
        { ...c, xfer: [["a", "b"]] },
        { ...c, xfer: [["a", "b", 1, 2]] },
        { ...c, position: "p".repeat(257) },
        { ...c, dec: "none" },
        null,
      ),
    );
    fc.assert(
      fc.property(fc.oneof(broken, fc.anything()), (v) => {
        expect(isCellDelta(v)).toBe(CellDeltaSchema.safeParse(v).success);
      }),
      runs,
    );
  });
});
