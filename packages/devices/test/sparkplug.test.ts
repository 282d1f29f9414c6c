import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  formatSparkplugTopic,
  initialSparkplugSession,
  parseSparkplugTopic,
  sparkplugMetricDecimal,
  stepSparkplugSession,
  type SparkplugMetric,
  type SparkplugMetricValue,
  type SparkplugNodeSession,
  type SparkplugPayload,
  type SparkplugSessionStep,
  type SparkplugTopic,
} from "../src/sparkplug.js";
import { ok, err } from "../../../scripts/test-support.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const hex = (text: string): Uint8Array => Uint8Array.from(text.trim().split(/\s+/).map((b) => Number.parseInt(b, 16)));
const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");

describe("topic namespace", () => {
  it("parses and formats the specification's examples", () => {
    const cases: ReadonlyArray<[string, SparkplugTopic]> = [
      ["spBv1.0/Sparkplug B Devices/NBIRTH/Raspberry Pi", { kind: "node", group: "Sparkplug B Devices", type: "NBIRTH", edgeNode: "Raspberry Pi" }],
      ["spBv1.0/Sparkplug B Devices/NDEATH/Raspberry Pi", { kind: "node", group: "Sparkplug B Devices", type: "NDEATH", edgeNode: "Raspberry Pi" }],
      ["spBv1.0/Sparkplug B Devices/NDATA/Raspberry Pi", { kind: "node", group: "Sparkplug B Devices", type: "NDATA", edgeNode: "Raspberry Pi" }],
      ["spBv1.0/Sparkplug B Devices/NCMD/Raspberry Pi", { kind: "node", group: "Sparkplug B Devices", type: "NCMD", edgeNode: "Raspberry Pi" }],
      ["spBv1.0/Sparkplug B Devices/DBIRTH/Raspberry Pi/Pibrella", { kind: "device", group: "Sparkplug B Devices", type: "DBIRTH", edgeNode: "Raspberry Pi", device: "Pibrella" }],
      ["spBv1.0/Sparkplug B Devices/DDEATH/Raspberry Pi/Pibrella", { kind: "device", group: "Sparkplug B Devices", type: "DDEATH", edgeNode: "Raspberry Pi", device: "Pibrella" }],
      ["spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella", { kind: "device", group: "Sparkplug B Devices", type: "DDATA", edgeNode: "Raspberry Pi", device: "Pibrella" }],
      ["spBv1.0/Sparkplug B Devices/DCMD/Raspberry Pi/Pibrella", { kind: "device", group: "Sparkplug B Devices", type: "DCMD", edgeNode: "Raspberry Pi", device: "Pibrella" }],
      ["spBv1.0/STATE/scada-host-1", { kind: "state", host: "scada-host-1" }],
      ["spBv1.0/冷库/DDATA/网关1/温湿度计", { kind: "device", group: "冷库", type: "DDATA", edgeNode: "网关1", device: "温湿度计" }],
    ];
    for (const [text, topic] of cases) {
      expect(ok(parseSparkplugTopic(text))).toEqual(topic);
      expect(ok(formatSparkplugTopic(topic))).toBe(text);
    }
  });

  it("refuses other namespaces, misplaced device ids, unknown types, empty and reserved ids", () => {
    for (const bad of [
      "spAv1.0/G/NBIRTH/E",
      "spBv1.0/G/NBIRTH/E/D",
      "spBv1.0/G/DDATA/E",
      "spBv1.0/G/NDATUM/E",
      "spBv1.0/G/NDATA",
      "spBv1.0//NDATA/E",
      "spBv1.0/G/DDATA/E/D/X",
      "spBv1.0/STATE/",
      "spBv1.0/G/DDATA/E/",
    ]) {
      expect(err(parseSparkplugTopic(bad))._tag).toBe("SparkplugBadTopic");
    }
    expect(err(formatSparkplugTopic({ kind: "node", group: "G+1", type: "NDATA", edgeNode: "E" }))._tag).toBe("SparkplugBadTopic");
    expect(err(formatSparkplugTopic({ kind: "device", group: "G", type: "DDATA", edgeNode: "E", device: "a#b" }))._tag).toBe("SparkplugBadTopic");
    expect(err(formatSparkplugTopic({ kind: "state", host: "h/1" }))._tag).toBe("SparkplugBadTopic");
  });
});

describe("payload codec", () => {
  it("encodes an NBIRTH's bdSeq payload to hand-checked bytes", () => {
    // timestamp 1486144502122 = varint ea f2 f5 a8 a0 2b; field 1 varint → 08.
    // metric (field 2, length 0x12): name "bdSeq" (0a 05 …), timestamp (18 …), datatype UInt64 (20 08), long_value 0 (58 00).
    // seq 0 (18 00).
    const payload: SparkplugPayload = {
      timestamp: 1486144502122n,
      metrics: [{ name: "bdSeq", timestamp: 1486144502122n, datatype: 8, value: { kind: "long", value: 0n } }],
      seq: 0n,
    };
    const bytes = "08 ea f2 f5 a8 a0 2b 12 12 0a 05 62 64 53 65 71 18 ea f2 f5 a8 a0 2b 20 08 58 00 18 00";
    expect(toHex(ok(encodeSparkplugPayload(payload)))).toBe(bytes);
    expect(ok(decodeSparkplugPayload(hex(bytes)))).toEqual(payload);
  });

  it("encodes aliases, float, boolean, null and string metrics to hand-checked bytes", () => {
    // 12.1 as float32 is 0x4141999A, little-endian on the wire (field 12, wire type 5 → 65).
    const payload: SparkplugPayload = {
      timestamp: 1000n,
      metrics: [
        { alias: 5n, datatype: 9, value: { kind: "float", value: Math.fround(12.1) } },
        { alias: 6n, value: { kind: "boolean", value: true } },
        { name: "T", isNull: true },
        { alias: 7n, value: { kind: "string", value: "ok" } },
      ],
      seq: 2n,
    };
    const bytes = "08 e8 07 12 09 10 05 20 09 65 9a 99 41 41 12 04 10 06 70 01 12 05 0a 01 54 38 01 12 06 10 07 7a 02 6f 6b 18 02";
    expect(toHex(ok(encodeSparkplugPayload(payload)))).toBe(bytes);
    expect(ok(decodeSparkplugPayload(hex(bytes)))).toEqual(payload);
  });

  it("encodes metadata, a uint32 two's complement and a double to hand-checked bytes", () => {
    const payload: SparkplugPayload = {
      metrics: [
        { name: "x", metadata: { contentType: "a", size: 3n }, value: { kind: "int", value: 0xffffffff } },
        { value: { kind: "double", value: -1.5 } },
      ],
    };
    const bytes = "12 10 0a 01 78 42 05 12 01 61 18 03 50 ff ff ff ff 0f 12 09 69 00 00 00 00 00 00 f8 bf";
    expect(toHex(ok(encodeSparkplugPayload(payload)))).toBe(bytes);
    expect(ok(decodeSparkplugPayload(hex(bytes)))).toEqual(payload);
  });

  it("skips unknown fields, keeps DataSet/Template values and properties as raw bytes", () => {
    // Payload extension field 6 (varint 1) is skipped; metric field 17 (dataset) is kept raw.
    const decoded = ok(decodeSparkplugPayload(hex("30 01 12 07 0a 01 64 8a 01 01 00")));
    expect(decoded).toEqual({ metrics: [{ name: "d", value: { kind: "raw", field: 17, bytes: Uint8Array.of(0) } }] });
    expect(toHex(ok(encodeSparkplugPayload(decoded)))).toBe("12 07 0a 01 64 8a 01 01 00");
    const withProperties: SparkplugPayload = { metrics: [{ name: "q", properties: hex("0a 07 51 75 61 6c 69 74 79") }] };
    expect(ok(decodeSparkplugPayload(ok(encodeSparkplugPayload(withProperties))))).toEqual(withProperties);
  });

  it("refuses truncated fields, wrong wire types, bad UTF-8 and overlong varints", () => {
    expect(err(decodeSparkplugPayload(hex("08 ea f2")))._tag).toBe("SparkplugMalformedPayload");
    expect(err(decodeSparkplugPayload(hex("12 05 0a 01")))._tag).toBe("SparkplugMalformedPayload");
    expect(err(decodeSparkplugPayload(hex("0a 01 00")))).toMatchObject({ path: "payload" });
    expect(err(decodeSparkplugPayload(hex("12 03 0a 01 ff")))).toMatchObject({ path: "metrics.0" });
    expect(err(decodeSparkplugPayload(hex("08 ff ff ff ff ff ff ff ff ff ff 01")))._tag).toBe("SparkplugMalformedPayload");
    expect(err(decodeSparkplugPayload(hex("08 ff ff ff ff ff ff ff ff ff 7f")))._tag).toBe("SparkplugMalformedPayload");
    expect(err(decodeSparkplugPayload(hex("0b 00")))._tag).toBe("SparkplugMalformedPayload");
  });

  it("refuses values that do not fit their field when encoding", () => {
    expect(err(encodeSparkplugPayload({ metrics: [{ value: { kind: "int", value: 2 ** 32 } }] }))).toMatchObject({ _tag: "SparkplugInvalidPayload", path: "metrics.0.value" });
    expect(err(encodeSparkplugPayload({ metrics: [], seq: -1n }))._tag).toBe("SparkplugInvalidPayload");
    expect(err(encodeSparkplugPayload({ metrics: [{ alias: 1n << 64n }] }))._tag).toBe("SparkplugInvalidPayload");
  });

  it("reads metric values as exact decimals by datatype", () => {
    expect(ok(sparkplugMetricDecimal({ datatype: 1, value: { kind: "int", value: 0xffffffff } })).toString()).toBe("-1");
    expect(ok(sparkplugMetricDecimal({ datatype: 1, value: { kind: "int", value: 0xff } })).toString()).toBe("-1");
    expect(ok(sparkplugMetricDecimal({ datatype: 2, value: { kind: "int", value: 0xff38 } })).toString()).toBe("-200");
    expect(ok(sparkplugMetricDecimal({ datatype: 7, value: { kind: "int", value: 0xffffffff } })).toString()).toBe("4294967295");
    expect(ok(sparkplugMetricDecimal({ datatype: 4, value: { kind: "long", value: (1n << 64n) - 2n } })).toString()).toBe("-2");
    expect(ok(sparkplugMetricDecimal({ datatype: 8, value: { kind: "long", value: (1n << 64n) - 2n } })).toString()).toBe("18446744073709551614");
    expect(ok(sparkplugMetricDecimal({ datatype: 9, value: { kind: "float", value: Math.fround(5.3) } })).toString()).toBe("5.3");
    expect(ok(sparkplugMetricDecimal({ datatype: 10, value: { kind: "double", value: 0.1 + 0.2 } })).toString()).toBe("0.30000000000000004");
    expect(err(sparkplugMetricDecimal({ name: "n", isNull: true, datatype: 9 }))._tag).toBe("SparkplugNotNumeric");
    expect(err(sparkplugMetricDecimal({ name: "s", value: { kind: "string", value: "5" } }))._tag).toBe("SparkplugNotNumeric");
  });
});

// -----------------------------------------------------------------------------------------------
// Session rules
// -----------------------------------------------------------------------------------------------

const node = (type: "NBIRTH" | "NDEATH" | "NDATA" | "NCMD"): SparkplugTopic => ({ kind: "node", group: "G", type, edgeNode: "E" });
const dev = (type: "DBIRTH" | "DDEATH" | "DDATA" | "DCMD", device = "D"): SparkplugTopic => ({ kind: "device", group: "G", type, edgeNode: "E", device });
const long = (value: bigint): SparkplugMetricValue => ({ kind: "long", value });
const nbirth = (bdSeq: bigint, seq = 0n): SparkplugPayload => ({
  timestamp: 1n,
  seq,
  metrics: [
    { name: "bdSeq", datatype: 8, value: long(bdSeq) },
    { name: "Node Control/Rebirth", datatype: 11, value: { kind: "boolean", value: false } },
    { name: "Supply Voltage", alias: 1n, datatype: 9, value: { kind: "float", value: Math.fround(12.1) } },
  ],
});
const dbirth = (seq: bigint): SparkplugPayload => ({
  timestamp: 2n,
  seq,
  metrics: [
    { name: "Temperature", alias: 10n, datatype: 9, value: { kind: "float", value: Math.fround(5.5) } },
    { name: "Humidity", alias: 11n, datatype: 9, value: { kind: "float", value: Math.fround(45) } },
  ],
});

/** Runs messages in order, failing the test on any refusal; returns the session. */
const run = (session: SparkplugNodeSession, messages: ReadonlyArray<[SparkplugTopic, SparkplugPayload]>): SparkplugNodeSession =>
  messages.reduce((s, [topic, payload]) => {
    const step = stepSparkplugSession(s, topic, payload);
    ok(step.result);
    return step.session;
  }, session);

const refusal = (step: SparkplugSessionStep) => err(step.result);

describe("session rules of an edge node", () => {
  const fresh = initialSparkplugSession("G", "E");

  it("NBIRTH with seq 0 and bdSeq starts the session; DBIRTH and DATA follow in sequence; aliases resolve", () => {
    const born = stepSparkplugSession(fresh, node("NBIRTH"), nbirth(3n));
    expect(ok(born.result)).toMatchObject({ kind: "node-birth", bdSeq: 3n });
    expect(born.session).toMatchObject({ status: "online", bdSeq: 3n, seq: 0, needsRebirth: false });
    const withDevice = run(born.session, [[dev("DBIRTH"), dbirth(1n)]]);
    const data = stepSparkplugSession(withDevice, dev("DDATA"), { timestamp: 3n, seq: 2n, metrics: [{ alias: 11n, timestamp: 3n, value: { kind: "float", value: Math.fround(47.5) } }] });
    expect(ok(data.result)).toEqual({
      kind: "device-data",
      device: "D",
      metrics: [{ name: "Humidity", alias: 11n, timestamp: 3n, datatype: 9, value: { kind: "float", value: 47.5 } }],
    });
    const ndata = stepSparkplugSession(data.session, node("NDATA"), { seq: 3n, metrics: [{ alias: 1n, value: { kind: "float", value: Math.fround(12.3) } }] });
    expect(ok(ndata.result)).toMatchObject({ kind: "node-data", metrics: [{ name: "Supply Voltage", datatype: 9 }] });
    expect(ndata.session.seq).toBe(3);
  });

  it("seq wraps from 255 to 0", () => {
    let s = run(fresh, [[node("NBIRTH"), nbirth(0n)]]);
    for (let i = 1; i <= 300; i++) s = run(s, [[node("NDATA"), { seq: BigInt(i % 256), metrics: [{ alias: 1n, value: { kind: "float", value: i } }] }]]);
    expect(s.seq).toBe(300 % 256);
  });

  it("a gap is a SparkplugSequenceGap: not applied, seq resynchronised, rebirth needed", () => {
    const s = run(fresh, [[node("NBIRTH"), nbirth(0n)], [node("NDATA"), { seq: 1n, metrics: [] }]]);
    const gap = stepSparkplugSession(s, node("NDATA"), { seq: 3n, metrics: [] });
    expect(refusal(gap)).toMatchObject({ _tag: "SparkplugSequenceGap", expected: 2, received: 3n });
    expect(gap.session).toMatchObject({ seq: 3, needsRebirth: true, status: "online" });
    const next = stepSparkplugSession(gap.session, node("NDATA"), { seq: 4n, metrics: [] });
    expect(ok(next.result).kind).toBe("node-data");
    expect(next.session.needsRebirth).toBe(true);
    expect(refusal(stepSparkplugSession(next.session, node("NDATA"), { metrics: [] }))).toMatchObject({ _tag: "SparkplugSequenceGap", received: undefined });
    const reborn = stepSparkplugSession(next.session, node("NBIRTH"), nbirth(1n));
    expect(reborn.session).toMatchObject({ needsRebirth: false, seq: 0, bdSeq: 1n });
  });

  it("DATA before BIRTH is SparkplugNotBorn, for the node and for a device", () => {
    const early = stepSparkplugSession(fresh, node("NDATA"), { seq: 1n, metrics: [] });
    expect(refusal(early)).toMatchObject({ _tag: "SparkplugNotBorn", type: "NDATA" });
    expect(early.session.needsRebirth).toBe(true);
    expect(refusal(stepSparkplugSession(fresh, dev("DBIRTH"), dbirth(1n)))._tag).toBe("SparkplugNotBorn");
    const s = run(fresh, [[node("NBIRTH"), nbirth(0n)]]);
    const ddata = stepSparkplugSession(s, dev("DDATA"), { seq: 1n, metrics: [] });
    expect(refusal(ddata)).toMatchObject({ _tag: "SparkplugNotBorn", device: "D" });
    expect(ddata.session.seq).toBe(1);
    const dead = run(s, [
      [dev("DBIRTH"), dbirth(1n)],
      [dev("DDEATH"), { seq: 2n, metrics: [] }],
    ]);
    expect(refusal(stepSparkplugSession(dead, dev("DDATA"), { seq: 3n, metrics: [{ alias: 10n }] }))._tag).toBe("SparkplugNotBorn");
  });

  it("NBIRTH must carry seq 0, a bdSeq metric, named metrics and unique aliases", () => {
    expect(refusal(stepSparkplugSession(fresh, node("NBIRTH"), nbirth(0n, 1n)))).toMatchObject({ _tag: "SparkplugBadBirth", reason: "seq 1 (must be 0)" });
    expect(refusal(stepSparkplugSession(fresh, node("NBIRTH"), { seq: 0n, metrics: [{ name: "x", value: long(1n) }] }))).toMatchObject({ reason: "no bdSeq metric" });
    const dup = { seq: 0n, metrics: [{ name: "bdSeq", value: long(0n) }, { name: "a", alias: 1n }, { name: "b", alias: 1n }] };
    expect(refusal(stepSparkplugSession(fresh, node("NBIRTH"), dup))._tag).toBe("SparkplugBadBirth");
    const unnamed = { seq: 0n, metrics: [{ name: "bdSeq", value: long(0n) }, { alias: 2n }] };
    const bad = stepSparkplugSession(fresh, node("NBIRTH"), unnamed);
    expect(refusal(bad)._tag).toBe("SparkplugBadBirth");
    expect(bad.session).toMatchObject({ status: "offline", needsRebirth: true });
  });

  it("DBIRTH aliases must be unique across the edge node", () => {
    const s = run(fresh, [[node("NBIRTH"), nbirth(0n)]]);
    const clash: SparkplugPayload = { seq: 1n, metrics: [{ name: "T", alias: 1n, datatype: 9 }] };
    expect(refusal(stepSparkplugSession(s, dev("DBIRTH"), clash))).toMatchObject({ _tag: "SparkplugBadBirth", device: "D" });
    const two = run(s, [[dev("DBIRTH", "D1"), dbirth(1n)]]);
    expect(refusal(stepSparkplugSession(two, dev("DBIRTH", "D2"), dbirth(2n)))._tag).toBe("SparkplugBadBirth");
    // The same device may re-announce its own aliases.
    expect(ok(stepSparkplugSession(two, dev("DBIRTH", "D1"), dbirth(2n)).result).kind).toBe("device-birth");
  });

  it("an unknown alias refuses the DATA but its seq counts", () => {
    const s = run(fresh, [[node("NBIRTH"), nbirth(0n)]]);
    const step = stepSparkplugSession(s, node("NDATA"), { seq: 1n, metrics: [{ alias: 1n }, { alias: 99n }] });
    expect(refusal(step)).toMatchObject({ _tag: "SparkplugUnknownMetric", alias: 99n });
    expect(step.session).toMatchObject({ seq: 1, needsRebirth: true });
    expect(refusal(stepSparkplugSession(s, node("NDATA"), { seq: 1n, metrics: [{ name: "Nope" }] }))).toMatchObject({ _tag: "SparkplugUnknownMetric", name: "Nope" });
  });

  it("NDEATH's bdSeq must match the NBIRTH's; a stale death is ignored", () => {
    const s = run(fresh, [
      [node("NBIRTH"), nbirth(5n)],
      [dev("DBIRTH"), dbirth(1n)],
    ]);
    const stale = stepSparkplugSession(s, node("NDEATH"), { metrics: [{ name: "bdSeq", value: long(4n) }] });
    expect(refusal(stale)).toMatchObject({ _tag: "SparkplugBdSeqMismatch", expected: 5n, received: 4n });
    expect(stale.session).toBe(s);
    const death = stepSparkplugSession(s, node("NDEATH"), { metrics: [{ name: "bdSeq", datatype: 8, value: long(5n) }] });
    expect(ok(death.result)).toEqual({ kind: "node-death", bdSeq: 5n });
    expect(death.session.status).toBe("offline");
    expect(death.session.devices.get("D")?.online).toBe(false);
    expect(refusal(stepSparkplugSession(death.session, node("NDATA"), { seq: 2n, metrics: [] }))._tag).toBe("SparkplugNotBorn");
    expect(refusal(stepSparkplugSession(death.session, node("NDEATH"), { metrics: [{ name: "bdSeq", value: long(5n) }] }))._tag).toBe("SparkplugNotBorn");
  });

  it("a new NBIRTH puts every device offline until its DBIRTH", () => {
    const s = run(fresh, [
      [node("NBIRTH"), nbirth(0n)],
      [dev("DBIRTH"), dbirth(1n)],
      [node("NBIRTH"), nbirth(1n)],
    ]);
    expect(s.devices.get("D")?.online).toBe(false);
    expect(refusal(stepSparkplugSession(s, dev("DDATA"), { seq: 1n, metrics: [{ alias: 10n }] }))._tag).toBe("SparkplugNotBorn");
  });

  it("commands are outside the node's sequence and resolve aliases; other nodes' topics are refused", () => {
    const s = run(fresh, [
      [node("NBIRTH"), nbirth(0n)],
      [dev("DBIRTH"), dbirth(1n)],
    ]);
    const cmd = stepSparkplugSession(s, node("NCMD"), { timestamp: 9n, metrics: [{ name: "Node Control/Rebirth", value: { kind: "boolean", value: true } }] });
    expect(ok(cmd.result)).toMatchObject({ kind: "node-command", metrics: [{ name: "Node Control/Rebirth", datatype: 11 }] });
    expect(cmd.session).toBe(s);
    expect(ok(stepSparkplugSession(s, dev("DCMD"), { metrics: [{ alias: 10n, value: { kind: "float", value: 4 } }] }).result)).toMatchObject({
      kind: "device-command",
      metrics: [{ name: "Temperature" }],
    });
    expect(refusal(stepSparkplugSession(s, { kind: "node", group: "G", type: "NDATA", edgeNode: "Other" }, { seq: 2n, metrics: [] }))._tag).toBe("SparkplugBadTopic");
    expect(refusal(stepSparkplugSession(s, { kind: "state", host: "h" }, { metrics: [] }))._tag).toBe("SparkplugBadTopic");
  });
});

// -----------------------------------------------------------------------------------------------
// Properties
// -----------------------------------------------------------------------------------------------

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const text = fc.string({ unit: "grapheme", maxLength: 12 });
const valueArb: fc.Arbitrary<SparkplugMetricValue> = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ kind: "int" as const, value })),
  u64.map((value) => ({ kind: "long" as const, value })),
  fc.float().map((value) => ({ kind: "float" as const, value })),
  fc.double().map((value) => ({ kind: "double" as const, value })),
  fc.boolean().map((value) => ({ kind: "boolean" as const, value })),
  text.map((value) => ({ kind: "string" as const, value })),
  fc.uint8Array({ maxLength: 8 }).map((value) => ({ kind: "bytes" as const, value })),
  fc.record({ field: fc.constantFrom(17 as const, 18 as const, 19 as const), bytes: fc.uint8Array({ maxLength: 8 }) }).map(({ field, bytes }) => ({ kind: "raw" as const, field, bytes })),
);
const metricArb: fc.Arbitrary<SparkplugMetric> = fc.record(
  {
    name: text,
    alias: u64,
    timestamp: u64,
    datatype: fc.integer({ min: 0, max: 0xffffffff }),
    isHistorical: fc.boolean(),
    isTransient: fc.boolean(),
    isNull: fc.boolean(),
    metadata: fc.record(
      { isMultiPart: fc.boolean(), contentType: text, size: u64, seq: u64, fileName: text, fileType: text, md5: text, description: text },
      { requiredKeys: [] },
    ),
    properties: fc.uint8Array({ maxLength: 8 }),
    value: valueArb,
  },
  { requiredKeys: [] },
).map((m) => ({ ...m, ...(m.metadata !== undefined ? { metadata: { ...m.metadata } } : {}) })); // plain objects, for toStrictEqual
const payloadArb: fc.Arbitrary<SparkplugPayload> = fc.record(
  { timestamp: u64, metrics: fc.array(metricArb, { maxLength: 4 }), seq: u64, uuid: text, body: fc.uint8Array({ maxLength: 8 }) },
  { requiredKeys: ["metrics"] },
).map((p) => ({ ...p }));

describe("Sparkplug properties (fast-check, 1,000 runs each)", () => {
  it("payload encode → decode round trip", () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const bytes = ok(encodeSparkplugPayload(payload));
        expect(ok(decodeSparkplugPayload(bytes))).toStrictEqual(payload);
      }),
      runs,
    );
  });

  it("decoding arbitrary bytes never throws", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const r = decodeSparkplugPayload(bytes);
        if (Result.isFailure(r)) expect(r.failure._tag).toBe("SparkplugMalformedPayload");
      }),
      runs,
    );
  });

  it("with messages seq 1, 2, …, 255, 0, … dropped at random, one is accepted exactly when no gap precedes it (mod 256)", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 600 }), (delivered) => {
        let s = run(initialSparkplugSession("G", "E"), [[node("NBIRTH"), nbirth(0n)]]);
        let dropped = 0;
        delivered.forEach((arrives, i) => {
          if (!arrives) {
            dropped++;
            return;
          }
          const step = stepSparkplugSession(s, node("NDATA"), { seq: BigInt((i + 1) % 256), metrics: [] });
          expect(Result.isSuccess(step.result)).toBe(dropped % 256 === 0);
          if (Result.isFailure(step.result)) expect(step.result.failure._tag).toBe("SparkplugSequenceGap");
          dropped = 0;
          s = step.session;
          expect(s.seq).toBe((i + 1) % 256);
        });
      }),
      runs,
    );
  });
});
