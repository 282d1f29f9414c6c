import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LlrpFrameDecoder, decodeLlrp, encodeLlrp, llrpMicrosToEpochMs, tryEncodeLlrp } from "../src/llrp.js";
import {
  LlrpInvalidField,
  buildAddRoSpec,
  type AiSpec,
  type LlrpDecodeError,
  type LlrpMessage,
  type LlrpStatus,
  type ParameterError,
  type ReaderEventNotificationData,
  type RoSpec,
  type TagReportData,
  type UnknownParameter,
} from "../src/llrp-messages.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** Bytes from spaced hex, e.g. `"04 3E 00 00"`. */
const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.trim().split(/\s+/).map((b) => parseInt(b, 16)));

const decoded = (b: Uint8Array): LlrpMessage => {
  const r = decodeLlrp(b);
  if (Result.isFailure(r)) throw new Error(`unexpected failure: ${r.failure.message}`);
  return r.success;
};

const failure = (b: Uint8Array): LlrpDecodeError => {
  const r = decodeLlrp(b);
  if (Result.isSuccess(r)) throw new Error(`expected a failure, got ${r.success.type}`);
  return r.failure;
};

/** A byte vector and the message it is: decode(bytes) = message and encode(message) = bytes. */
const vector = (name: string, hex: string, message: LlrpMessage) =>
  it(name, () => {
    const b = bytes(hex);
    expect(decoded(b)).toEqual(message);
    expect(encodeLlrp(message)).toEqual(b);
  });

// Header: byte 0-1 = 3 reserved bits (0) | 3-bit version | 10-bit type; bytes 2-5 length (with
// the 10-byte header); bytes 6-9 message ID. Version 1 (LLRP 1.0.1): (1 << 10) | type = 0x0400 | type.
describe("LLRP byte vectors, one per message type", () => {
  // KEEPALIVE (62 = 0x3E): 0x0400|0x3E = 04 3E; length 10; ID 0x1234.
  vector("KEEPALIVE", "04 3E 00 00 00 0A 00 00 12 34", { type: "KEEPALIVE", version: 1, id: 0x1234 });
  // KEEPALIVE_ACK (72 = 0x48), same ID.
  vector("KEEPALIVE_ACK", "04 48 00 00 00 0A 00 00 12 34", { type: "KEEPALIVE_ACK", version: 1, id: 0x1234 });
  // LLRP 1.1 (version 2): (2 << 10) | 62 = 0x083E.
  vector("KEEPALIVE, LLRP 1.1", "08 3E 00 00 00 0A FF FF FF FF", { type: "KEEPALIVE", version: 2, id: 0xffffffff });

  // DELETE/START/STOP/ENABLE_ROSPEC (21..24 = 0x15..0x18): length 14 = header + ROSpecID u32.
  vector("DELETE_ROSPEC", "04 15 00 00 00 0E 00 00 00 07 00 00 00 00", { type: "DELETE_ROSPEC", version: 1, id: 7, roSpecId: 0 });
  vector("START_ROSPEC", "04 16 00 00 00 0E 00 00 00 07 00 00 00 01", { type: "START_ROSPEC", version: 1, id: 7, roSpecId: 1 });
  vector("STOP_ROSPEC", "04 17 00 00 00 0E 00 00 00 07 00 00 00 01", { type: "STOP_ROSPEC", version: 1, id: 7, roSpecId: 1 });
  vector("ENABLE_ROSPEC", "04 18 00 00 00 0E 00 00 00 07 DE AD BE EF", { type: "ENABLE_ROSPEC", version: 1, id: 7, roSpecId: 0xdeadbeef });

  // *_ROSPEC_RESPONSE (30..34 = 0x1E..0x22): LLRPStatus TLV 287 = 0x011F, length 8:
  // StatusCode u16 0 (M_Success), ErrorDescription utf8v of 0 bytes. Message length 18 = 0x12.
  const ok: LlrpStatus = { code: 0, description: "" };
  vector("ADD_ROSPEC_RESPONSE", "04 1E 00 00 00 12 00 00 00 07 01 1F 00 08 00 00 00 00", { type: "ADD_ROSPEC_RESPONSE", version: 1, id: 7, status: ok });
  vector("DELETE_ROSPEC_RESPONSE", "04 1F 00 00 00 12 00 00 00 07 01 1F 00 08 00 00 00 00", { type: "DELETE_ROSPEC_RESPONSE", version: 1, id: 7, status: ok });
  vector("START_ROSPEC_RESPONSE", "04 20 00 00 00 12 00 00 00 07 01 1F 00 08 00 00 00 00", { type: "START_ROSPEC_RESPONSE", version: 1, id: 7, status: ok });
  vector("STOP_ROSPEC_RESPONSE", "04 21 00 00 00 12 00 00 00 07 01 1F 00 08 00 00 00 00", { type: "STOP_ROSPEC_RESPONSE", version: 1, id: 7, status: ok });
  // ENABLE_ROSPEC_RESPONSE with M_FieldError (101 = 0x65) and a FieldError TLV 288 = 0x0120 (length 8:
  // FieldNum 2, ErrorCode A_OutOfRange 301 = 0x012D). LLRPStatus length 4+2+2+8 = 16; message 26 = 0x1A.
  vector(
    "ENABLE_ROSPEC_RESPONSE with a FieldError",
    "04 22 00 00 00 1A 00 00 00 08  01 1F 00 10 00 65 00 00  01 20 00 08 00 02 01 2D",
    { type: "ENABLE_ROSPEC_RESPONSE", version: 1, id: 8, status: { code: 101, description: "", fieldError: { fieldNum: 2, errorCode: 301 } } },
  );

  // ERROR_MESSAGE (100 = 0x64): LLRPStatus M_UnsupportedVersion (110 = 0x6E), description "bad"
  // (utf8v: 00 03 62 61 64); LLRPStatus length 4+2+2+3 = 11 = 0x0B; message 21 = 0x15.
  vector("ERROR_MESSAGE", "04 64 00 00 00 15 00 00 00 09  01 1F 00 0B 00 6E 00 03 62 61 64", {
    type: "ERROR_MESSAGE",
    version: 1,
    id: 9,
    status: { code: 110, description: "bad" },
  });

  // READER_EVENT_NOTIFICATION (63 = 0x3F): ReaderEventNotificationData TLV 246 = 0x00F6 holding
  //   UTCTimestamp TLV 128 = 0x0080, length 12, µs 1767225600000000 (2026-01-01T00:00:00Z) = 00 06 47 48 46 20 40 00
  //   ConnectionAttemptEvent TLV 256 = 0x0100, length 6, Status 0 (Success)
  // data length 4+12+6 = 22 = 0x16; message 32 = 0x20.
  vector(
    "READER_EVENT_NOTIFICATION with ConnectionAttemptEvent",
    "04 3F 00 00 00 20 00 00 00 00  00 F6 00 16  00 80 00 0C 00 06 47 48 46 20 40 00  01 00 00 06 00 00",
    {
      type: "READER_EVENT_NOTIFICATION",
      version: 1,
      id: 0,
      data: { timestamp: { clock: "UTC", microseconds: 1767225600000000n }, connectionAttempt: { status: 0 } },
    },
  );
  // Uptime TLV 129 = 0x0081 (1,000,000 µs = 00 00 00 00 00 0F 42 40) and AntennaEvent TLV 255 = 0x00FF,
  // length 7: EventType 0 (disconnected), AntennaID 3. Data 4+12+7 = 23 = 0x17; message 33 = 0x21.
  vector(
    "READER_EVENT_NOTIFICATION with AntennaEvent",
    "04 3F 00 00 00 21 00 00 00 05  00 F6 00 17  00 81 00 0C 00 00 00 00 00 0F 42 40  00 FF 00 07 00 00 03",
    {
      type: "READER_EVENT_NOTIFICATION",
      version: 1,
      id: 5,
      data: { timestamp: { clock: "Uptime", microseconds: 1_000_000n }, antennaEvent: { connected: false, antennaId: 3 } },
    },
  );

  // RO_ACCESS_REPORT (61 = 0x3D) with three TagReportData (TLV 240 = 0x00F0):
  // #1 EPC-96 form, length 34 = 0x22:
  //   8D + 12 bytes           EPC-96 (TV 13: 0x80|13 = 0x8D)
  //   81 00 01                AntennaID 1 (TV 1)
  //   86 C4                   PeakRSSI −60 dBm (TV 6, s8 0xC4)
  //   82 00 06 47 48 46 20 40 00   FirstSeenTimestampUTC (TV 2) 1767225600000000 µs
  //   88 00 03                TagSeenCount 3 (TV 8)
  // #2 EPCData form, length 63 = 0x3F:
  //   00 F1 00 16 00 80 + 16 bytes  EPCData (TLV 241), 128 bits
  //   89 00 00 00 01          ROSpecID 1 (TV 9)
  //   8E 00 01                SpecIndex 1 (TV 14)
  //   81 00 02                AntennaID 2
  //   86 B9                   PeakRSSI −71 dBm
  //   87 00 05                ChannelIndex 5 (TV 7)
  //   84 00 06 47 48 46 24 10 90   LastSeenTimestampUTC (TV 4) 1767225600250000 µs
  //   03 FF 00 0C 00 00 65 1A 00 00 00 01   Custom (TLV 1023), vendor 25882, subtype 1: unknown, skipped and listed
  // #3 EPCData of 20 bits (3 bytes, low 4 bits of the last unused), length 16 = 0x10:
  //   00 F1 00 09 00 14 AB CD E0   EPCData
  //   81 00 01                     AntennaID 1
  // Body 34 + 63 + 16 = 113; message 123 = 0x7B.
  const report: LlrpMessage = {
    type: "RO_ACCESS_REPORT",
    version: 1,
    id: 10,
    tagReports: [
      { epc: { form: "EPC-96", hex: "3034257BF7194E4000001A85" }, antennaId: 1, peakRssi: -60, firstSeenUtc: 1767225600000000n, tagSeenCount: 3 },
      {
        epc: { form: "EPCData", bitLength: 128, hex: "E2801160600002 04C3B8C011223344 55".replace(/ /g, "") },
        roSpecId: 1,
        specIndex: 1,
        antennaId: 2,
        peakRssi: -71,
        channelIndex: 5,
        lastSeenUtc: 1767225600250000n,
        unknown: [{ encoding: "TLV", type: 1023, value: bytes("00 00 65 1A 00 00 00 01") }],
      },
      { epc: { form: "EPCData", bitLength: 20, hex: "ABCDE0" }, antennaId: 1 },
    ],
  };
  vector(
    "RO_ACCESS_REPORT with EPC-96 and EPCData tag reports",
    `04 3D 00 00 00 7B 00 00 00 0A
     00 F0 00 22  8D 30 34 25 7B F7 19 4E 40 00 00 1A 85  81 00 01  86 C4  82 00 06 47 48 46 20 40 00  88 00 03
     00 F0 00 3F  00 F1 00 16 00 80 E2 80 11 60 60 00 02 04 C3 B8 C0 11 22 33 44 55  89 00 00 00 01  8E 00 01  81 00 02  86 B9  87 00 05
                  84 00 06 47 48 46 24 10 90  03 FF 00 0C 00 00 65 1A 00 00 00 01
     00 F0 00 10  00 F1 00 09 00 14 AB CD E0  81 00 01`,
    report,
  );

  // ADD_ROSPEC (20 = 0x14) as built by buildAddRoSpec(1, { roSpecId: 1, antennaIds: [1, 2] }):
  //   ROSpec TLV 177 = 0x00B1, length 67 = 0x43: ROSpecID 1, Priority 0, CurrentState 0 (disabled)
  //     ROBoundarySpec 178 = 0x00B2, length 18: ROSpecStartTrigger 179 = 0x00B3 (length 5, type 0 null)
  //                                             ROSpecStopTrigger 182 = 0x00B6 (length 9, type 0, duration 0)
  //     AISpec 183 = 0x00B7, length 26: AntennaIDs u16v [1, 2] = 00 02 00 01 00 02
  //       AISpecStopTrigger 184 = 0x00B8 (length 9, type 0 null, duration 0)
  //       InventoryParameterSpec 186 = 0x00BA (length 7, ID 1, ProtocolID 1 = EPCGlobalClass1Gen2)
  //     ROReportSpec 237 = 0x00ED, length 13: trigger 1 (N tags or end of AISpec), N = 1
  //       TagReportContentSelector 238 = 0x00EE, length 6, flags 0x1780 = AntennaID(bit 12) PeakRSSI(10)
  //         FirstSeen(9) LastSeen(8) TagSeenCount(7)
  //   Message 10 + 67 = 77 = 0x4D.
  it("ADD_ROSPEC from the ROSpec builder", () => {
    const built = Result.getOrThrow(buildAddRoSpec(1, { roSpecId: 1, antennaIds: [1, 2] }));
    const b = bytes(`04 14 00 00 00 4D 00 00 00 01
      00 B1 00 43 00 00 00 01 00 00
        00 B2 00 12  00 B3 00 05 00  00 B6 00 09 00 00 00 00 00
        00 B7 00 1A 00 02 00 01 00 02  00 B8 00 09 00 00 00 00 00  00 BA 00 07 00 01 01
        00 ED 00 0D 01 00 01  00 EE 00 06 17 80`);
    expect(encodeLlrp(built)).toEqual(b);
    expect(decoded(b)).toEqual(built);
  });
});

describe("LLRP decoding failures name what is wrong", () => {
  it("a header shorter than 10 bytes is truncated", () => {
    const e = failure(bytes("04 3E 00 00 00 0A 00 00 12"));
    expect(e._tag).toBe("LlrpTruncated");
  });
  it("a declared length beyond the bytes is truncated; below the header it mismatches; trailing bytes mismatch", () => {
    expect(failure(bytes("04 3E 00 00 00 0B 00 00 12 34"))).toMatchObject({ _tag: "LlrpTruncated", needed: 11, available: 10 });
    expect(failure(bytes("04 3E 00 00 00 08 00 00 12 34"))).toMatchObject({ _tag: "LlrpLengthMismatch", declared: 8 });
    expect(failure(bytes("04 3E 00 00 00 0A 00 00 12 34 00"))).toMatchObject({ _tag: "LlrpLengthMismatch", declared: 10, actual: 11 });
  });
  it("an unknown message type is reported with its type and ID", () => {
    // GET_READER_CAPABILITIES (1): 04 01, length 11, ID 3, RequestedData 0.
    expect(failure(bytes("04 01 00 00 00 0B 00 00 00 03 00"))).toMatchObject({ _tag: "LlrpUnknownMessage", messageType: 1, messageId: 3 });
  });
  it("a TLV whose length runs past its container mismatches, naming it", () => {
    // RO_ACCESS_REPORT whose TagReportData declares 50 bytes but holds 17.
    const e = failure(bytes("04 3D 00 00 00 1B 00 00 00 01  00 F0 00 32  8D 30 34 25 7B F7 19 4E 40 00 00 1A 85"));
    expect(e).toMatchObject({ _tag: "LlrpLengthMismatch", at: "RO_ACCESS_REPORT.TagReportData", declared: 50, actual: 17 });
  });
  it("a TLV length below its header is refused", () => {
    expect(failure(bytes("04 3D 00 00 00 0E 00 00 00 01  00 F0 00 02"))).toMatchObject({ _tag: "LlrpLengthMismatch", declared: 2 });
  });
  it("a TV type of unknown length cannot be skipped", () => {
    // TagReportData with EPC-96 then TV type 0x7F.
    const e = failure(bytes("04 3D 00 00 00 1D 00 00 00 01  00 F0 00 13  8D 30 34 25 7B F7 19 4E 40 00 00 1A 85  FF 00"));
    expect(e).toMatchObject({ _tag: "LlrpBadParameter", parameterType: 127, at: "RO_ACCESS_REPORT.TagReportData[0]" });
  });
  it("a truncated TV value is truncated, naming the parameter", () => {
    // TagReportData holding only 6 bytes of an EPC-96 (TLV length 4+1+6 = 11, message 21).
    const e = failure(bytes("04 3D 00 00 00 15 00 00 00 01  00 F0 00 0B  8D 30 34 25 7B F7 19"));
    expect(e).toMatchObject({ _tag: "LlrpTruncated", at: "RO_ACCESS_REPORT.TagReportData[0].EPC_96", needed: 12, available: 6 });
  });
  it("a missing required parameter is a bad parameter naming the type", () => {
    expect(failure(bytes("04 1E 00 00 00 0A 00 00 00 07"))).toMatchObject({ _tag: "LlrpBadParameter", parameterType: 287, at: "ADD_ROSPEC_RESPONSE" });
    // TagReportData without an EPC parameter (only AntennaID).
    expect(failure(bytes("04 3D 00 00 00 11 00 00 00 01  00 F0 00 07 81 00 01"))).toMatchObject({ _tag: "LlrpBadParameter", parameterType: 241 });
  });
  it("a duplicate single parameter is refused", () => {
    const e = failure(bytes("04 3D 00 00 00 21 00 00 00 01  00 F0 00 17  8D 30 34 25 7B F7 19 4E 40 00 00 1A 85  81 00 01  81 00 02"));
    expect(e).toMatchObject({ _tag: "LlrpBadParameter", parameterType: 1 });
  });
  it("invalid UTF-8 in an error description is refused", () => {
    expect(failure(bytes("04 64 00 00 00 13 00 00 00 09  01 1F 00 09 00 6E 00 01 FF"))).toMatchObject({ _tag: "LlrpBadParameter", parameterType: 287 });
  });
  it("parameters nested too deep are refused, not followed", () => {
    // ERROR_MESSAGE whose LLRPStatus holds ParameterError (TLV 289 = 0x0121) nested 40 deep.
    let inner = new Uint8Array(0);
    for (let i = 0; i < 40; i++) {
      const p = new Uint8Array(8 + inner.length);
      new DataView(p.buffer).setUint16(0, 289);
      new DataView(p.buffer).setUint16(2, p.length);
      p.set(inner, 8);
      inner = p;
    }
    const status = new Uint8Array(8 + inner.length);
    new DataView(status.buffer).setUint16(0, 287);
    new DataView(status.buffer).setUint16(2, status.length);
    status.set(inner, 8);
    const frame = new Uint8Array(10 + status.length);
    new DataView(frame.buffer).setUint16(0, (1 << 10) | 100);
    new DataView(frame.buffer).setUint32(2, frame.length);
    frame.set(status, 10);
    expect(failure(frame)).toMatchObject({ _tag: "LlrpBadParameter" });
  });
  it("a leaf parameter with extra bytes mismatches", () => {
    // ConnectionAttemptEvent of length 8 (2 bytes too many).
    const e = failure(bytes("04 3F 00 00 00 22 00 00 00 00  00 F6 00 18  00 80 00 0C 00 06 47 48 46 20 40 00  01 00 00 08 00 00 00 00"));
    expect(e._tag).toBe("LlrpLengthMismatch");
  });
});

describe("forward compatibility: unknown parameters are skipped by length and listed", () => {
  it("lists unknown TLV and TV parameters where they occur, and decodes what follows", () => {
    // KEEPALIVE carrying a Custom TLV (1023, 8-byte value), then TagReport-level unknown TV 18
    // (C1G2SingulationDetails, 4 bytes) inside an RO_ACCESS_REPORT.
    const keepalive = decoded(bytes("04 3E 00 00 00 16 00 00 00 01  03 FF 00 0C 00 00 65 1A 00 00 00 02"));
    expect(keepalive.unknown).toEqual([{ encoding: "TLV", type: 1023, value: bytes("00 00 65 1A 00 00 00 02") }]);
    const report = decoded(bytes("04 3D 00 00 00 23 00 00 00 01  00 F0 00 19  8D 30 34 25 7B F7 19 4E 40 00 00 1A 85  92 00 01 00 02  81 00 04"));
    expect(report).toMatchObject({
      tagReports: [{ antennaId: 4, unknown: [{ encoding: "TV", type: 18, value: bytes("00 01 00 02") }] }],
    });
    // Encoding writes unknown parameters back after the known ones.
    expect(decoded(encodeLlrp(report))).toEqual(report);
  });
});

describe("LLRP encoding refuses values outside their wire range", () => {
  it("returns LlrpInvalidField from tryEncodeLlrp and throws it from encodeLlrp", () => {
    const bad: LlrpMessage = { type: "RO_ACCESS_REPORT", version: 1, id: 1, tagReports: [{ epc: { form: "EPC-96", hex: "30" }, antennaId: 1 }] };
    const r = tryEncodeLlrp(bad);
    expect(Result.isFailure(r) && r.failure).toMatchObject({ _tag: "LlrpInvalidField", path: "tagReports.0.epc.hex" });
    const antenna: LlrpMessage = { type: "START_ROSPEC", version: 1, id: 1, roSpecId: -1 };
    expect(() => encodeLlrp(antenna)).toThrow(LlrpInvalidField);
    expect(Result.isFailure(tryEncodeLlrp({ type: "KEEPALIVE", version: 8, id: 1 }))).toBe(true);
    expect(Result.isFailure(tryEncodeLlrp({ ...report(), tagReports: [{ epc: { form: "EPC-96", hex: "3034257BF7194E4000001A85" }, peakRssi: -129 }] }))).toBe(true);
  });
  const report = (): LlrpMessage & { type: "RO_ACCESS_REPORT" } => ({ type: "RO_ACCESS_REPORT", version: 1, id: 1, tagReports: [] });
});

describe("the ROSpec builder", () => {
  it("validates its settings", () => {
    const r = buildAddRoSpec(1, { roSpecId: 0, antennaIds: [] });
    expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
  });
  it("builds periodic and duration triggers that round-trip", () => {
    const built = Result.getOrThrow(
      buildAddRoSpec(2, {
        roSpecId: 7,
        antennaIds: [0],
        start: { trigger: "periodic", offsetMs: 0, periodMs: 10_000 },
        stop: { trigger: "duration", durationMs: 5_000 },
        aiSpecStop: { trigger: "duration", durationMs: 1_000 },
        report: { trigger: "every-n-or-end-of-rospec", n: 0, channelIndex: true },
      }),
    );
    expect(built.roSpec.boundary).toEqual({
      startTrigger: { triggerType: 2, periodic: { offset: 0, period: 10_000 } },
      stopTrigger: { triggerType: 1, duration: 5_000 },
    });
    expect(decoded(encodeLlrp(built))).toEqual(built);
  });
});

describe("timestamps", () => {
  it("converts LLRP UTC microseconds to epoch milliseconds", () => {
    expect(new Date(llrpMicrosToEpochMs(1767225600250000n)).toISOString()).toBe("2026-01-01T00:00:00.250Z");
  });
});

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const hexOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("").toUpperCase());

/** Unknown parameters no container models: Custom (TLV 1023) and C1G2SingulationDetails (TV 18). */
const unknownArb: fc.Arbitrary<readonly UnknownParameter[] | undefined> = opt(
  fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 12 }).map((value): UnknownParameter => ({ encoding: "TLV", type: 1023, value })),
      fc.uint8Array({ minLength: 4, maxLength: 4 }).map((value): UnknownParameter => ({ encoding: "TV", type: 18, value })),
    ),
    { minLength: 1, maxLength: 2 },
  ),
);

const epcArb = fc.oneof(
  hexOf(12).map((hex) => ({ form: "EPC-96" as const, hex })),
  fc.integer({ min: 0, max: 256 }).chain((bitLength) => hexOf(Math.ceil(bitLength / 8)).map((hex) => ({ form: "EPCData" as const, bitLength, hex }))),
);

const tagReportArb: fc.Arbitrary<TagReportData> = fc.record({
  epc: epcArb,
  roSpecId: opt(u32),
  specIndex: opt(u16),
  inventoryParameterSpecId: opt(u16),
  antennaId: opt(u16),
  peakRssi: opt(fc.integer({ min: -128, max: 127 })),
  channelIndex: opt(u16),
  firstSeenUtc: opt(u64),
  firstSeenUptime: opt(u64),
  lastSeenUtc: opt(u64),
  lastSeenUptime: opt(u64),
  tagSeenCount: opt(u16),
  c1g2Pc: opt(u16),
  c1g2Crc: opt(u16),
  accessSpecId: opt(u32),
  unknown: unknownArb,
});

const fieldErrorArb = fc.record({ fieldNum: u16, errorCode: u16 });
const parameterErrorArb: fc.Arbitrary<ParameterError> = fc.letrec<{ pe: ParameterError }>((tie) => ({
  pe: fc.record({
    parameterType: u16,
    errorCode: u16,
    fieldError: opt(fieldErrorArb),
    parameterError: fc.option(tie("pe"), { nil: undefined, depthSize: "small" }),
    unknown: unknownArb,
  }),
})).pe;
const statusArb: fc.Arbitrary<LlrpStatus> = fc.record({
  code: u16,
  description: fc.string({ unit: "grapheme", maxLength: 20 }),
  fieldError: opt(fieldErrorArb),
  parameterError: opt(parameterErrorArb),
  unknown: unknownArb,
});

const eventDataArb: fc.Arbitrary<ReaderEventNotificationData> = fc.record({
  timestamp: fc.record({ clock: fc.constantFrom("UTC" as const, "Uptime" as const), microseconds: u64 }),
  roSpecEvent: opt(fc.record({ eventType: u8, roSpecId: u32, preemptingRoSpecId: u32 })),
  antennaEvent: opt(fc.record({ connected: fc.boolean(), antennaId: u16 })),
  connectionAttempt: opt(fc.record({ status: u16 })),
  connectionClose: opt(fc.constant(true as const)),
  unknown: unknownArb,
});

const aiSpecArb: fc.Arbitrary<AiSpec> = fc.record({
  antennaIds: fc.array(u16, { maxLength: 4 }),
  stopTrigger: fc.record({
    triggerType: u8,
    duration: u32,
    tagObservation: opt(fc.record({ triggerType: u8, numberOfTags: u16, numberOfAttempts: u16, t: u16, timeout: u32 })),
    unknown: unknownArb,
  }),
  inventoryParameterSpecs: fc.array(fc.record({ id: u16, protocolId: u8, unknown: unknownArb }), { minLength: 1, maxLength: 2 }),
  unknown: unknownArb,
});

const roSpecArb: fc.Arbitrary<RoSpec> = fc.record({
  roSpecId: u32,
  priority: u8,
  currentState: u8,
  boundary: fc.record({
    startTrigger: fc.record({
      triggerType: u8,
      periodic: opt(fc.record({ offset: u32, period: u32, utc: opt(u64), unknown: unknownArb })),
      unknown: unknownArb,
    }),
    stopTrigger: fc.record({ triggerType: u8, duration: u32, unknown: unknownArb }),
    unknown: unknownArb,
  }),
  aiSpecs: fc.array(aiSpecArb, { maxLength: 2 }),
  reportSpec: opt(
    fc.record({
      trigger: u8,
      n: u16,
      contentSelector: fc.record({
        enableRoSpecId: fc.boolean(),
        enableSpecIndex: fc.boolean(),
        enableInventoryParameterSpecId: fc.boolean(),
        enableAntennaId: fc.boolean(),
        enableChannelIndex: fc.boolean(),
        enablePeakRssi: fc.boolean(),
        enableFirstSeenTimestamp: fc.boolean(),
        enableLastSeenTimestamp: fc.boolean(),
        enableTagSeenCount: fc.boolean(),
        enableAccessSpecId: fc.boolean(),
        c1g2EpcMemorySelector: opt(fc.record({ enableCrc: fc.boolean(), enablePcBits: fc.boolean() })),
        unknown: unknownArb,
      }),
      unknown: unknownArb,
    }),
  ),
  unknown: unknownArb,
});

const head = { version: fc.constantFrom(1, 2), id: u32, unknown: unknownArb };

const messageArb: fc.Arbitrary<LlrpMessage> = fc.oneof(
  fc.record({ type: fc.constant("ADD_ROSPEC" as const), ...head, roSpec: roSpecArb }),
  fc.record({ type: fc.constantFrom("DELETE_ROSPEC" as const, "START_ROSPEC" as const, "STOP_ROSPEC" as const, "ENABLE_ROSPEC" as const), ...head, roSpecId: u32 }),
  fc.record({
    type: fc.constantFrom(
      "ADD_ROSPEC_RESPONSE" as const,
      "DELETE_ROSPEC_RESPONSE" as const,
      "START_ROSPEC_RESPONSE" as const,
      "STOP_ROSPEC_RESPONSE" as const,
      "ENABLE_ROSPEC_RESPONSE" as const,
      "ERROR_MESSAGE" as const,
    ),
    ...head,
    status: statusArb,
  }),
  fc.record({ type: fc.constant("RO_ACCESS_REPORT" as const), ...head, tagReports: fc.array(tagReportArb, { maxLength: 4 }) }),
  fc.record({ type: fc.constant("READER_EVENT_NOTIFICATION" as const), ...head, data: eventDataArb }),
  fc.record({ type: fc.constantFrom("KEEPALIVE" as const, "KEEPALIVE_ACK" as const), ...head }),
);

/** A frame of a message type the codec does not read (GET_READER_CAPABILITIES = 1, CUSTOM_MESSAGE = 1023…). */
const foreignFrameArb = fc
  .record({ type: fc.constantFrom(1, 2, 3, 60, 64, 1023), id: u32, body: fc.uint8Array({ maxLength: 16 }) })
  .map(({ type, id, body }) => {
    const f = new Uint8Array(10 + body.length);
    const v = new DataView(f.buffer);
    v.setUint16(0, (1 << 10) | type);
    v.setUint32(2, f.length);
    v.setUint32(6, id);
    f.set(body, 10);
    return f;
  });

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Splits `b` at the given cut points (any values; taken modulo the length, sorted, deduplicated). */
const chunk = (b: Uint8Array, cuts: readonly number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((c) => (b.length === 0 ? 0 : c % (b.length + 1))))].sort((x, y) => x - y);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, b.length]) {
    out.push(b.slice(at, p));
    at = p;
  }
  return out;
};

const pushAll = (chunks: readonly Uint8Array[]) => {
  let decoder = LlrpFrameDecoder.start();
  const messages: LlrpMessage[] = [];
  const errors: LlrpDecodeError[] = [];
  for (const c of chunks) {
    const r = decoder.push(c);
    messages.push(...r.messages);
    errors.push(...r.errors);
    decoder = r.decoder;
  }
  return { messages, errors, decoder };
};

describe("LLRP properties (fast-check, ≥ 1,000 runs each)", () => {
  it("decode(encode(m)) = m for every message", () => {
    fc.assert(
      fc.property(messageArb, (m) => {
        expect(decoded(encodeLlrp(m))).toEqual(m);
      }),
      runs,
    );
  });

  it("any chunking of a sequence of frames decodes to the same messages and errors", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: messageArb.map((m) => ({ m, frame: encodeLlrp(m) })) }, { weight: 1, arbitrary: foreignFrameArb.map((frame) => ({ m: undefined, frame })) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (frames, cuts) => {
          const stream = concat(frames.map((f) => f.frame));
          const whole = pushAll([stream]);
          const split = pushAll(chunk(stream, cuts));
          const expected = frames.flatMap((f) => (f.m ? [f.m] : []));
          expect(whole.messages).toEqual(expected);
          expect(split.messages).toEqual(expected);
          expect(split.errors.map((e) => e._tag)).toEqual(whole.errors.map((e) => e._tag));
          expect(split.errors.every((e) => e._tag === "LlrpUnknownMessage")).toBe(true);
          expect(split.decoder.pending.length).toBe(0);
          expect(split.decoder.finish()).toEqual([]);
        },
      ),
      runs,
    );
  });

  it("a byte-at-a-time stream decodes like the whole", () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 3 }), (ms) => {
        const stream = concat(ms.map(encodeLlrp));
        const r = pushAll([...stream].map((b) => Uint8Array.of(b)));
        expect(r.messages).toEqual(ms);
      }),
      { numRuns: 200 },
    );
  });

  it("fuzzed bytes never throw: random bytes, random bodies behind valid headers, mutated frames", () => {
    const types = [20, 21, 22, 23, 24, 30, 31, 32, 33, 34, 61, 62, 63, 72, 100];
    const bodyBehindHeader = fc.record({ type: fc.constantFrom(...types), body: fc.uint8Array({ maxLength: 64 }) }).map(({ type, body }) => {
      const f = new Uint8Array(10 + body.length);
      const v = new DataView(f.buffer);
      v.setUint16(0, (1 << 10) | type);
      v.setUint32(2, f.length);
      f.set(body, 10);
      return f;
    });
    const mutated = fc
      .tuple(messageArb, fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 4 }))
      .map(([m, flips]) => {
        const f = encodeLlrp(m).slice();
        for (const [i, v] of flips) if (f.length > 10) f[10 + (i % (f.length - 10))] = v;
        return f;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), bodyBehindHeader, mutated), fc.array(fc.nat(), { maxLength: 8 }), (b, cuts) => {
        const r = decodeLlrp(b);
        expect(Result.isSuccess(r) || typeof r.failure._tag === "string").toBe(true);
        const s = pushAll(chunk(b, cuts));
        expect(s.decoder.finish().length).toBeLessThanOrEqual(1);
      }),
      runs,
    );
  });
});

describe("LlrpFrameDecoder", () => {
  const keepalive = bytes("04 3E 00 00 00 0A 00 00 00 01");
  it("keeps incomplete frames pending and reports them at the end of the stream", () => {
    const r = LlrpFrameDecoder.start().push(keepalive.slice(0, 4));
    expect(r.messages).toEqual([]);
    expect(r.decoder.pending.length).toBe(4);
    expect(r.decoder.finish()).toMatchObject([{ _tag: "LlrpTruncated", needed: 10, available: 4 }]);
  });
  it("is a value: pushing does not change the decoder pushed to", () => {
    const start = LlrpFrameDecoder.start();
    const a = start.push(keepalive.slice(0, 5));
    const b = start.push(keepalive);
    expect(start.pending.length).toBe(0);
    expect(a.messages).toEqual([]);
    expect(b.messages).toHaveLength(1);
  });
  it("skips a well-delimited bad frame and continues", () => {
    const bad = bytes("04 1E 00 00 00 0A 00 00 00 07"); // ADD_ROSPEC_RESPONSE without LLRPStatus
    const r = LlrpFrameDecoder.start().push(concat([bad, keepalive]));
    expect(r.errors).toMatchObject([{ _tag: "LlrpBadParameter", parameterType: 287 }]);
    expect(r.messages).toEqual([{ type: "KEEPALIVE", version: 1, id: 1 }]);
  });
  it("stops at an impossible length: reports it once and drops later bytes", () => {
    const broken = bytes("04 3E 00 00 00 03 00 00 00 01");
    const r = LlrpFrameDecoder.start().push(concat([keepalive, broken, keepalive]));
    expect(r.messages).toHaveLength(1);
    expect(r.errors).toMatchObject([{ _tag: "LlrpLengthMismatch", declared: 3 }]);
    expect(r.decoder.stopped).toBe(true);
    const later = r.decoder.push(keepalive);
    expect(later).toMatchObject({ messages: [], errors: [] });
    expect(later.decoder.failure?._tag).toBe("LlrpLengthMismatch");
  });
  it("stops at a length above the maximum frame length", () => {
    const huge = bytes("04 3D 7F FF FF FF 00 00 00 01");
    const r = LlrpFrameDecoder.start({ maxFrameLength: 1024 }).push(huge);
    expect(r.errors).toMatchObject([{ _tag: "LlrpLengthMismatch", declared: 0x7fffffff }]);
    expect(r.decoder.stopped).toBe(true);
  });
});
