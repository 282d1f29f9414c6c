import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, StockDocumentSchema } from "@jxc/core";
import { decodeLlrp, encodeLlrp } from "../src/llrp.js";
import type { RoAccessReport } from "../src/llrp-messages.js";
import {
  rfidTick,
  runRfidStream,
  startRfidStream,
  stepRfidStream,
  tagReadsFromReport,
  type RfidEvent,
  type RfidStreamConfigInput,
  type RfidStreamInput,
  type RfidStreamState,
} from "../src/rfid-stream.js";
import { buildCycleCount, type CycleCountInput, type TagItemIdentity } from "../src/cycle-count.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const start = (config: RfidStreamConfigInput): RfidStreamState => Result.getOrThrow(startRfidStream(config));

const run = (state: RfidStreamState, inputs: RfidStreamInput[]) => {
  const r = runRfidStream(state, inputs);
  expect(r.rejected).toEqual([]);
  return r;
};

const A = "3034257BF7194E4000001A85";
const B = "3034257BF7194E4000001A86";

describe("RFID read stream: examples", () => {
  const config: RfidStreamConfigInput = {
    zones: [
      { zone: "dock", antennas: [1, 2] },
      { zone: "shelf", antennas: [3] },
    ],
    dedupWindowMs: 1000,
    rssiAlpha: 0.5,
    stayIntervalMs: 2000,
    leaveAfterMs: 5000,
  };

  it("enters, deduplicates with counts, smooths RSSI, stays periodically and leaves", () => {
    const { events } = run(start(config), [
      { epc: A, antenna: 1, rssi: -60, at: 0 }, // enter dock; window A@1 opens
      { epc: A, antenna: 1, rssi: -50, at: 300 }, // same window: count 2; EMA −55
      { epc: A, antenna: 2, rssi: -40, at: 600 }, // already in dock; window A@2 opens; EMA −47.5
      rfidTick(1000), // window A@1 closes
      rfidTick(1600), // window A@2 closes
      rfidTick(2000), // 2000 ms since enter: stay
      rfidTick(5599), // stay again; leave due at 600 + 5000 = 5600
      rfidTick(5600), // leave
    ]);
    expect(events).toEqual([
      { type: "enter", epc: A, zone: "dock", antenna: 1, at: 0, rssi: -60 },
      { type: "read", epc: A, antenna: 1, zone: "dock", firstAt: 0, lastAt: 300, count: 2, rssi: -47.5, peakRssi: -50 },
      { type: "read", epc: A, antenna: 2, zone: "dock", firstAt: 600, lastAt: 600, count: 1, rssi: -47.5, peakRssi: -40 },
      { type: "stay", epc: A, zone: "dock", at: 2000, enteredAt: 0, lastSeenAt: 600, rssi: -47.5 },
      { type: "stay", epc: A, zone: "dock", at: 5599, enteredAt: 0, lastSeenAt: 600, rssi: -47.5 },
      { type: "leave", epc: A, zone: "dock", at: 5600, enteredAt: 0, lastSeenAt: 600 },
    ]);
  });

  it("keeps presence per EPC and zone, and a later read after leaving enters again", () => {
    const { events } = run(start({ ...config, stayIntervalMs: undefined }), [
      { epc: A, antenna: 1, rssi: -60, at: 0 },
      { epc: A, antenna: 3, rssi: -60, at: 100 }, // also on the shelf
      { epc: B, antenna: 3, rssi: -70, at: 200 },
      { epc: A, antenna: 3, rssi: -60, at: 5050 }, // the dock leave due at 5000 fires; A stays on the shelf
      { epc: A, antenna: 1, rssi: -60, at: 5300 }, // B leaves the shelf at 5200; A enters the dock again
    ]);
    const presence = events.filter((e) => e.type !== "read").map((e) => `${e.type} ${e.epc === A ? "A" : "B"} ${e.zone} ${"at" in e ? e.at : ""}`);
    expect(presence).toEqual(["enter A dock 0", "enter A shelf 100", "enter B shelf 200", "leave A dock 5000", "leave B shelf 5200", "enter A dock 5300"]);
  });

  it("ignores reads from antennas outside every zone: same state, no events", () => {
    const s = start(config);
    const r = Result.getOrThrow(stepRfidStream(s, { epc: A, antenna: 9, rssi: -50, at: 10 }));
    expect(r.events).toEqual([]);
    expect(r.state).toBe(s);
  });

  it("takes ISO-8601 instants with offsets, and treats late reads as happening at the clock", () => {
    const { events } = run(start(config), [
      { epc: A, antenna: 1, rssi: -60, at: "2026-01-01T08:00:00+08:00" },
      { epc: B, antenna: 1, rssi: -60, at: "2025-12-31T23:00:00Z" }, // an hour late
    ]);
    expect(events.map((e) => e.type === "enter" && e.at)).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1)]);
  });

  it("refuses malformed reads and ticks, leaving the state as it was", () => {
    const s = start(config);
    const bad = runRfidStream(s, [
      { epc: A, antenna: 1, rssi: Number.NaN, at: 0 },
      { epc: A, antenna: 1, rssi: -50, at: "yesterday" },
      { epc: A, antenna: 1, rssi: -50, at: "2026-01-01T08:00:00" }, // no offset: ambiguous
      rfidTick("soon"),
    ]);
    expect(bad.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(bad.rejected[0]!.error._tag).toBe("InvalidInput");
    expect(bad.state).toBe(s);
  });

  it("validates the zone mapping", () => {
    const r = startRfidStream({ zones: [{ zone: "a", antennas: [1] }, { zone: "b", antennas: [1] }] });
    expect(Result.isFailure(r) && r.failure.issues).toEqual([{ path: "zones.1.antennas.0", message: "antenna 1 is already in zone a" }]);
    expect(Result.isFailure(startRfidStream({ zones: [{ zone: "a", antennas: [1] }], rssiAlpha: 0 }))).toBe(true);
  });

  it("with a zero window, every read is its own", () => {
    const { events } = run(start({ ...config, dedupWindowMs: 0 }), [
      { epc: A, antenna: 1, rssi: -60, at: 0 },
      { epc: A, antenna: 1, rssi: -60, at: 0 },
    ]);
    expect(events.filter((e) => e.type === "read").map((e) => e.type === "read" && e.count)).toEqual([1, 1]);
  });

  it("turns a decoded RO_ACCESS_REPORT into tag reads", () => {
    const report: RoAccessReport = {
      type: "RO_ACCESS_REPORT",
      version: 1,
      id: 1,
      tagReports: [
        { epc: { form: "EPC-96", hex: A }, antennaId: 1, peakRssi: -61, lastSeenUtc: 1767225600250000n },
        { epc: { form: "EPCData", bitLength: 96, hex: B }, antennaId: 3 },
      ],
    };
    const decoded = Result.getOrThrow(decodeLlrp(encodeLlrp(report)));
    if (decoded.type !== "RO_ACCESS_REPORT") throw new Error("not a report");
    const reads = tagReadsFromReport(decoded, { receivedAt: 1767225601000, defaultRssi: -90 });
    expect(reads).toEqual([
      { epc: A, antenna: 1, rssi: -61, at: 1767225600250 },
      { epc: B, antenna: 3, rssi: -90, at: 1767225601000 },
    ]);
    const { events } = run(start(config), reads);
    expect(events.map((e) => `${e.type} ${e.zone}`)).toEqual(["enter dock", "enter shelf"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const MAPPED = [1, 2, 3, 4];
const configArb = fc.record({
  zones: fc.constant<RfidStreamConfigInput["zones"]>([
    { zone: "z1", antennas: [1, 2] },
    { zone: "z2", antennas: [3] },
    { zone: "z3", antennas: [4] },
  ]),
  dedupWindowMs: fc.integer({ min: 0, max: 2000 }),
  rssiAlpha: fc.double({ min: 0.05, max: 1, noNaN: true }),
  stayIntervalMs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
  leaveAfterMs: fc.integer({ min: 1, max: 6000 }),
});

/** Inputs with increasing (sometimes equal, sometimes late) instants; antennas 0–6, of which 1–4 are mapped. */
const inputsArb = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("read" as const), epc: fc.constantFrom("E1", "E2", "E3"), antenna: fc.integer({ min: 0, max: 6 }), rssi: fc.integer({ min: -90, max: -20 }), dt: fc.integer({ min: -500, max: 3000 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("tick" as const), dt: fc.integer({ min: 0, max: 8000 }) }) },
    ),
    { maxLength: 40 },
  )
  .map((steps) => {
    let t = 1_000_000;
    return steps.map((s): RfidStreamInput => {
      t += Math.max(0, s.dt);
      const at = s.dt < 0 ? t + s.dt : t;
      return s.kind === "read" ? { epc: s.epc, antenna: s.antenna, rssi: s.rssi, at } : rfidTick(at);
    });
  });

const presenceOf = (events: readonly RfidEvent[]) => {
  const byKey = new Map<string, string[]>();
  for (const e of events) {
    if (e.type === "read") continue;
    const key = `${e.epc}@${e.zone}`;
    byKey.set(key, [...(byKey.get(key) ?? []), e.type]);
  }
  return byKey;
};

describe("RFID read stream properties (fast-check, ≥ 1,000 runs each)", () => {
  it("per EPC and zone, events follow (enter stay* leave)* (enter stay*)? — enter always precedes leave", () => {
    fc.assert(
      fc.property(configArb, inputsArb, (config, inputs) => {
        const { events } = run(start(config), inputs);
        for (const sequence of presenceOf(events).values()) {
          expect(sequence.join(" ")).toMatch(/^(enter( stay)* leave ?)*(enter( stay)*)?$/);
        }
      }),
      runs,
    );
  });

  it("reads outside mapped antennas change nothing: the same events as without them, none naming an unmapped zone", () => {
    fc.assert(
      fc.property(configArb, inputsArb, (config, inputs) => {
        const all = run(start(config), inputs);
        const mappedOnly = run(
          start(config),
          inputs.filter((i) => !("epc" in i) || MAPPED.includes(i.antenna)),
        );
        expect(all.events).toEqual(mappedOnly.events);
        expect(all.events.every((e) => ["z1", "z2", "z3"].includes(e.zone))).toBe(true);
        expect(all.events.every((e) => e.type !== "read" || MAPPED.includes(e.antenna))).toBe(true);
      }),
      runs,
    );
  });

  it("is deterministic, conserves reads through deduplication, and smoothed RSSI stays within the raw range", () => {
    fc.assert(
      fc.property(configArb, inputsArb, (config, inputs) => {
        const first = run(start(config), [...inputs, rfidTick(10_000_000)]);
        const second = run(start(config), [...inputs, rfidTick(10_000_000)]);
        expect(second.events).toEqual(first.events);

        const mapped = inputs.filter((i): i is Extract<RfidStreamInput, { epc: string }> => "epc" in i && MAPPED.includes(i.antenna));
        const counted = first.events.reduce((n, e) => n + (e.type === "read" ? e.count : 0), 0);
        expect(counted).toBe(mapped.length);

        for (const e of first.events) {
          if (e.type === "leave") continue;
          const raw = mapped.filter((r) => r.epc === e.epc).map((r) => r.rssi);
          expect(e.rssi).toBeGreaterThanOrEqual(Math.min(...raw) - 1e-9);
          expect(e.rssi).toBeLessThanOrEqual(Math.max(...raw) + 1e-9);
        }
        // Far in the future everything has left and every window has closed.
        expect(first.state.presence.size).toBe(0);
        expect(first.state.windows.size).toBe(0);
        expect(first.state.rssi.size).toBe(0);
      }),
      runs,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Cycle count
// ---------------------------------------------------------------------------------------------

/** EPCs in these tests are `item:serial` or `item:lot:serial` ("-" for no serial), and `?` for tags that are not ours. */
const identify = (epc: string): TagItemIdentity | undefined => {
  if (epc.startsWith("?")) return undefined;
  const parts = epc.split(":");
  const [item, a, b] = parts;
  if (parts.length === 3) return { item: item!, lot: a!, ...(b !== "-" && { serial: b! }) };
  return { item: item!, ...(a !== "-" && !a!.startsWith("-") && { serial: a! }) };
};

const header = { id: "CC-1", businessId: "BIZ-CC-1", at: "2026-01-02T09:00:00+08:00", warehouse: "WH1", location: "A-01-01" };

describe("cycle count → stocktake", () => {
  const book: CycleCountInput["book"] = [
    { item: "A", qty: new Dec(3), serials: ["s1", "s2", "s3"] },
    { item: "B", qty: new Dec(5) },
    { item: "C", serials: ["c1", "c2"] },
  ];
  const seen = ["A:s1", "A:s2", "A:s9", "A:s1", "B:-1", "B:-2", "B:-3", "B:-4", "D:d1", "?foreign"];

  it("counts the whole location: unseen book items count 0, found items are counted, serials reported", () => {
    const r = Result.getOrThrow(buildCycleCount({ ...header, scope: "book", book, seen }, identify));
    expect(r.document).toEqual({
      id: "CC-1",
      businessId: "BIZ-CC-1",
      at: "2026-01-02T09:00:00+08:00",
      type: "stocktake",
      lines: [
        { item: "A", warehouse: "WH1", location: "A-01-01", counted: "3" },
        { item: "B", warehouse: "WH1", location: "A-01-01", counted: "4" },
        { item: "C", warehouse: "WH1", location: "A-01-01", counted: "0" },
        { item: "D", warehouse: "WH1", location: "A-01-01", counted: "1" },
      ],
    });
    const parsed = StockDocumentSchema.safeParse(r.document);
    expect(parsed.success).toBe(true);
    expect(r.report.lines.map((l) => `${l.item} ${l.book.toString()} ${l.counted.toString()} ${l.difference.toString()}`)).toEqual([
      "A 3 3 0",
      "B 5 4 -1",
      "C 2 0 -2",
      "D 0 1 1",
    ]);
    expect(r.report.missingSerials).toEqual([
      { item: "A", serial: "s3" },
      { item: "C", serial: "c1" },
      { item: "C", serial: "c2" },
    ]);
    expect(r.report.unexpectedSerials).toEqual([
      { item: "A", serial: "s9", epc: "A:s9" },
      { item: "D", serial: "d1", epc: "D:d1" },
    ]);
    expect(r.report.unknownEpcs).toEqual(["?foreign"]);
    expect(r.report.outOfScope).toEqual([]);
  });

  it("a count of chosen items never zeroes items outside it", () => {
    const r = Result.getOrThrow(buildCycleCount({ ...header, scope: { items: ["A", "C"] }, book, seen }, identify));
    expect(r.document.lines).toEqual([
      { item: "A", warehouse: "WH1", location: "A-01-01", counted: "3" },
      { item: "C", warehouse: "WH1", location: "A-01-01", counted: "0" },
    ]);
    expect(r.report.outOfScope.map((o) => o.epc)).toEqual(["B:-1", "B:-2", "B:-3", "B:-4", "D:d1"]);
    expect(r.report.missingSerials.map((m) => m.serial)).toEqual(["s3", "c1", "c2"]);
    expect(StockDocumentSchema.safeParse(r.document).success).toBe(true);
  });

  it("a spot check covers only the items seen", () => {
    const r = Result.getOrThrow(buildCycleCount({ ...header, scope: "seen", book, seen }, identify));
    expect(r.document.lines.map((l) => `${l.item}=${l.counted}`)).toEqual(["A=3", "B=4", "D=1"]);
    expect(r.report.missingSerials.map((m) => m.serial)).toEqual(["s3"]);
  });

  it("counts per lot, once per serial, and reports serials read under several EPCs", () => {
    const r = Result.getOrThrow(
      buildCycleCount(
        {
          ...header,
          location: undefined,
          book: [
            { item: "M", lot: "L1", qty: new Dec("2") },
            { item: "M", lot: "L2", qty: new Dec("1") },
          ],
          seen: ["M:L1:x1", "M:L1:x2", "M:L2:x3", "M:L2:x3", "M:L3:x4"],
        },
        (epc) => (epc === "M:L1:x2" ? { item: "M", lot: "L1", serial: "x1" } : identify(epc)),
      ),
    );
    expect(r.document.lines).toEqual([
      { item: "M", warehouse: "WH1", lot: "L1", counted: "1" },
      { item: "M", warehouse: "WH1", lot: "L2", counted: "1" },
      { item: "M", warehouse: "WH1", lot: "L3", counted: "1" },
    ]);
    expect(r.report.duplicateSerials).toEqual([{ item: "M", lot: "L1", serial: "x1", epcs: ["M:L1:x1", "M:L1:x2"] }]);
    expect(StockDocumentSchema.safeParse(r.document).success).toBe(true);
  });

  it("fails when nothing is covered, and on malformed input", () => {
    const empty = buildCycleCount({ ...header, scope: "seen", book, seen: ["?x"] }, identify);
    expect(Result.isFailure(empty) && empty.failure._tag).toBe("EmptyCycleCount");
    const bad = buildCycleCount({ ...header, warehouse: "", book, seen }, identify);
    expect(Result.isFailure(bad) && bad.failure._tag).toBe("InvalidInput");
    const noQty = buildCycleCount({ ...header, book: [{ item: "A" }], seen }, identify);
    expect(Result.isFailure(noQty) && noQty.failure._tag).toBe("InvalidInput");
  });

  it("property: only covered items get lines, each counted ≥ 0, and the document validates", () => {
    const items = ["A", "B", "C", "D", "E"];
    fc.assert(
      fc.property(
        fc.array(fc.record({ item: fc.constantFrom(...items), qty: fc.integer({ min: 0, max: 5 }) }), { maxLength: 5 }),
        fc.array(fc.tuple(fc.constantFrom(...items), fc.integer({ min: 1, max: 6 })), { maxLength: 15 }),
        fc.oneof(fc.constant("book" as const), fc.constant("seen" as const), fc.subarray(items, { minLength: 1 }).map((i) => ({ items: i }))),
        (bookLines, reads, scope) => {
          const r = buildCycleCount(
            { ...header, scope, book: bookLines.map((b) => ({ item: b.item, qty: new Dec(b.qty) })), seen: reads.map(([i, s]) => `${i}:s${s}`) },
            identify,
          );
          if (Result.isFailure(r)) {
            expect(r.failure._tag).toBe("EmptyCycleCount");
            return;
          }
          expect(StockDocumentSchema.safeParse(r.success.document).success).toBe(true);
          const seenItems = new Set(reads.map(([i]) => i));
          const bookItems = new Set(bookLines.map((b) => b.item));
          for (const line of r.success.document.lines) {
            if (typeof scope === "object") expect(scope.items).toContain(line.item);
            if (scope === "seen") expect(seenItems.has(line.item)).toBe(true);
            if (scope === "book") expect(seenItems.has(line.item) || bookItems.has(line.item)).toBe(true);
            const distinct = new Set(reads.filter(([i]) => i === line.item).map(([, s]) => s)).size;
            expect(line.counted).toBe(String(distinct));
          }
        },
      ),
      runs,
    );
  });
});
