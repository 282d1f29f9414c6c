/**
 * LLRP frame codec: {@link encodeLlrp} / {@link decodeLlrp} for one frame, and
 * {@link LlrpFrameDecoder} for a TCP byte stream (frames split across chunks, several per chunk).
 *
 * Binary layout (LLRP 1.0.1 §15 / 1.1): a message is a 10-byte header — 3 reserved bits, 3-bit
 * version, 10-bit message type, 32-bit length (header included), 32-bit message ID — then fields
 * and parameters, big-endian. A TLV parameter is 6 reserved bits + 10-bit type (128–1023) +
 * 16-bit length (header included) + value; a TV parameter is 1 set bit + 7-bit type (1–127) +
 * a value of fixed length per type. Parameters are not padded.
 *
 * Decoding never throws: every failure is an `LlrpDecodeError` in a `Result`. Unknown parameters
 * inside a known message or parameter are skipped by their length and listed in its `unknown`;
 * encoding writes them back after the known ones.
 *
 * @module
 */
import { Result } from "effect";
import {
  LLRP_TV_VALUE_LENGTHS,
  LlrpBadParameter,
  LlrpInvalidField,
  LlrpLengthMismatch,
  LlrpMessageType,
  LlrpParameterType as P,
  LlrpTruncated,
  LlrpUnknownMessage,
  type AiSpec,
  type AiSpecStopTrigger,
  type FieldError,
  type InventoryParameterSpec,
  type LlrpDecodeError,
  type LlrpMessage,
  type LlrpMessageName,
  type LlrpStatus,
  type LlrpTimestamp,
  type ParameterError,
  type PeriodicTriggerValue,
  type ReaderEventNotificationData,
  type RoBoundarySpec,
  type RoReportSpec,
  type RoSpec,
  type RoSpecStartTrigger,
  type RoSpecStopTrigger,
  type TagEpc,
  type TagObservationTrigger,
  type TagReportContentSelector,
  type TagReportData,
  type UnknownParameter,
} from "./llrp-messages.js";

/** Size of the message header in bytes. */
export const LLRP_HEADER_LENGTH = 10;

/** Deepest nesting of parameters the decoder follows (ParameterError may nest itself). */
const MAX_DEPTH = 16;

const MESSAGE_NAMES: ReadonlyMap<number, LlrpMessageName> = new Map(
  (Object.entries(LlrpMessageType) as [LlrpMessageName, number][]).map(([name, type]) => [type, name]),
);

// =============================================================================================
// Reading
// =============================================================================================

/** Carries a decode error out of nested readers; caught only by the entry points of this module. */
class Abort {
  constructor(readonly error: LlrpDecodeError) {}
}

const abort = (error: LlrpDecodeError): never => {
  throw new Abort(error);
};

/** A read position inside `bytes[start, end)`; `at` names what is being read for errors. */
class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
    readonly at: string,
    readonly depth: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  /**
   * Claims the next `n` bytes; `what` names the field, or `whole` the whole parameter. The path
   * of an error is only built when there is one (this runs for every field of every tag).
   */
  private need(n: number, what: string, whole?: string): number {
    if (this.end - this.pos < n) {
      const path = whole ?? `${this.at}.${what}`;
      abort(
        new LlrpTruncated({
          at: path,
          needed: n,
          available: this.remaining,
          message: `${path}: needs ${n} byte(s), ${this.remaining} left`,
        }),
      );
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(what: string): number {
    return this.bytes[this.need(1, what)]!;
  }

  s8(what: string): number {
    const v = this.u8(what);
    return v >= 0x80 ? v - 0x100 : v;
  }

  u16(what: string): number {
    const i = this.need(2, what);
    return (this.bytes[i]! << 8) | this.bytes[i + 1]!;
  }

  u32(what: string): number {
    const i = this.need(4, what);
    return ((this.bytes[i]! << 24) >>> 0) + ((this.bytes[i + 1]! << 16) | (this.bytes[i + 2]! << 8) | this.bytes[i + 3]!);
  }

  u64(what: string): bigint {
    const hi = this.u32(what);
    const lo = this.u32(what);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  take(n: number, what: string): Uint8Array {
    const i = this.need(n, what);
    return this.bytes.slice(i, i + n);
  }

  /** A cursor over the next `n` bytes, which this one skips. */
  sub(n: number, at: string): Cursor {
    const i = this.need(n, "", at);
    return new Cursor(this.bytes, i, i + n, at, this.depth + 1);
  }
}

/** One parameter as split from its container, before its value is interpreted. */
interface RawParameter {
  readonly encoding: "TV" | "TLV";
  readonly type: number;
  /** Over the value (after the TV type byte or the TLV header). */
  readonly value: Cursor;
}

/** Parameter names by type number, built once (error locations name parameters on every split). */
const PARAMETER_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(P).map(([name, value]) => [value as number, name]));

const parameterName = (type: number): string => PARAMETER_NAMES.get(type) ?? `parameter ${type}`;

/** Splits the rest of `c` into parameters, using each TLV's length and each TV type's fixed length. */
const splitParameters = (c: Cursor): RawParameter[] => {
  if (c.depth > MAX_DEPTH) {
    abort(new LlrpBadParameter({ at: c.at, parameterType: 0, message: `${c.at}: parameters nested deeper than ${MAX_DEPTH}` }));
  }
  const out: RawParameter[] = [];
  while (c.remaining > 0) {
    const first = c.bytes[c.pos]!;
    if (first & 0x80) {
      const type = first & 0x7f;
      const length = LLRP_TV_VALUE_LENGTHS.get(type);
      if (length === undefined) {
        abort(
          new LlrpBadParameter({
            at: c.at,
            parameterType: type,
            message: `${c.at}: TV parameter type ${type} is unknown, and a TV parameter has no length to skip it by`,
          }),
        );
      }
      c.pos += 1;
      out.push({ encoding: "TV", type, value: c.sub(length!, `${c.at}.${parameterName(type)}`) });
    } else {
      const start = c.pos;
      const header = c.u16("TLV type");
      const type = header & 0x3ff;
      const length = c.u16("TLV length");
      const at = `${c.at}.${parameterName(type)}`;
      if (type < 128) {
        abort(new LlrpBadParameter({ at, parameterType: type, message: `${at}: TLV parameter type ${type} is below 128 (TV range)` }));
      }
      if (length < 4) {
        abort(new LlrpLengthMismatch({ at, declared: length, actual: 4, message: `${at}: TLV length ${length} is shorter than its 4-byte header` }));
      }
      if (start + length > c.end) {
        abort(
          new LlrpLengthMismatch({
            at,
            declared: length,
            actual: c.end - start,
            message: `${at}: TLV length ${length} runs past its container (${c.end - start} byte(s) left)`,
          }),
        );
      }
      out.push({ encoding: "TLV", type, value: c.sub(length - 4, at) });
    }
  }
  return out;
};

const unknownOf = (raw: RawParameter): UnknownParameter => ({
  encoding: raw.encoding,
  type: raw.type,
  value: raw.value.bytes.slice(raw.value.pos, raw.value.end),
});

/**
 * Walks the parameters of a container: `known` handles the types it models (returning false for
 * the others), duplicates of single parameters are refused, and everything else is collected.
 */
class ParameterWalk {
  /** Keys of the single parameters seen: a handful per container, so a list beats a set. */
  private readonly seen: number[] = [];
  readonly unknown: UnknownParameter[] = [];

  constructor(readonly at: string) {}

  /** Marks a type seen once; a second occurrence is a duplicate. */
  once(raw: RawParameter): void {
    const key = raw.encoding === "TV" ? raw.type : raw.type + 1000;
    if (this.seen.includes(key)) {
      abort(
        new LlrpBadParameter({
          at: this.at,
          parameterType: raw.type,
          message: `${this.at}: duplicate ${parameterName(raw.type)}`,
        }),
      );
    }
    this.seen.push(key);
  }

  skip(raw: RawParameter): void {
    this.unknown.push(unknownOf(raw));
  }

  withUnknown<T extends object>(value: T): T {
    return this.unknown.length > 0 ? { ...value, unknown: this.unknown } : value;
  }
}

const missing = (at: string, type: number): never =>
  abort(new LlrpBadParameter({ at, parameterType: type, message: `${at}: missing ${parameterName(type)}` }));

/** A leaf parameter must be consumed exactly by its fields. */
const done = (c: Cursor): void => {
  if (c.remaining !== 0) {
    const declared = c.end - c.pos;
    abort(
      new LlrpLengthMismatch({
        at: c.at,
        declared,
        actual: 0,
        message: `${c.at}: ${declared} byte(s) after the last field of a parameter that has no sub-parameters`,
      }),
    );
  }
};

/** `00`–`FF` by byte value. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0").toUpperCase());

const hex = (bytes: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX_BYTE[bytes[i] ?? 0] ?? "";
  return s;
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

const readUtf8v = (c: Cursor, what: string, type: number): string => {
  const n = c.u16(`${what} length`);
  const bytes = c.take(n, what);
  try {
    return utf8.decode(bytes);
  } catch {
    return abort(new LlrpBadParameter({ at: c.at, parameterType: type, message: `${c.at}: ${what} is not valid UTF-8` }));
  }
};

// --- leaf parameters ------------------------------------------------------------------------

const readEpcData = (c: Cursor): TagEpc => {
  const bitLength = c.u16("EPC bit length");
  const bytes = c.take(Math.ceil(bitLength / 8), "EPC bits");
  done(c);
  return { form: "EPCData", bitLength, hex: hex(bytes) };
};

const readTimestamp = (raw: RawParameter): LlrpTimestamp => {
  const microseconds = raw.value.u64("Microseconds");
  done(raw.value);
  return { clock: raw.type === P.UTCTimestamp ? "UTC" : "Uptime", microseconds };
};

const readFieldError = (c: Cursor): FieldError => {
  const fieldNum = c.u16("FieldNum");
  const errorCode = c.u16("ErrorCode");
  done(c);
  return { fieldNum, errorCode };
};

const readTagObservationTrigger = (c: Cursor): TagObservationTrigger => {
  const triggerType = c.u8("TriggerType");
  c.u8("Reserved");
  const numberOfTags = c.u16("NumberOfTags");
  const numberOfAttempts = c.u16("NumberOfAttempts");
  const t = c.u16("T");
  const timeout = c.u32("Timeout");
  done(c);
  return { triggerType, numberOfTags, numberOfAttempts, t, timeout };
};

// --- container parameters ------------------------------------------------------------------

/** The optional FieldError and ParameterError inside an LLRPStatus or a ParameterError, plus what else is there. */
const readErrorDetails = <T extends object>(c: Cursor, head: T) => {
  const walk = new ParameterWalk(c.at);
  let fieldError: FieldError | undefined;
  let parameterError: ParameterError | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.FieldError) {
      walk.once(raw);
      fieldError = readFieldError(raw.value);
    } else if (raw.encoding === "TLV" && raw.type === P.ParameterError) {
      walk.once(raw);
      parameterError = readParameterError(raw.value);
    } else walk.skip(raw);
  }
  return walk.withUnknown({ ...head, ...(fieldError && { fieldError }), ...(parameterError && { parameterError }) });
};

const readParameterError = (c: Cursor): ParameterError => {
  const parameterType = c.u16("ParameterType");
  const errorCode = c.u16("ErrorCode");
  return readErrorDetails(c, { parameterType, errorCode });
};

const readLlrpStatus = (c: Cursor): LlrpStatus => {
  const code = c.u16("StatusCode");
  const description = readUtf8v(c, "ErrorDescription", P.LLRPStatus);
  return readErrorDetails(c, { code, description });
};

/** The TV parameters of TagReportData that carry one number: field name and reader, by type. Built once. */
const TAG_REPORT_TV_FIELDS: ReadonlyMap<number, readonly [string, (v: Cursor) => number | bigint]> = new Map<
  number,
  readonly [string, (v: Cursor) => number | bigint]
>([
  [P.ROSpecID, ["roSpecId", (v) => v.u32("ROSpecID")]],
  [P.SpecIndex, ["specIndex", (v) => v.u16("SpecIndex")]],
  [P.InventoryParameterSpecID, ["inventoryParameterSpecId", (v) => v.u16("InventoryParameterSpecID")]],
  [P.AntennaID, ["antennaId", (v) => v.u16("AntennaID")]],
  [P.PeakRSSI, ["peakRssi", (v) => v.s8("PeakRSSI")]],
  [P.ChannelIndex, ["channelIndex", (v) => v.u16("ChannelIndex")]],
  [P.FirstSeenTimestampUTC, ["firstSeenUtc", (v) => v.u64("Microseconds")]],
  [P.FirstSeenTimestampUptime, ["firstSeenUptime", (v) => v.u64("Microseconds")]],
  [P.LastSeenTimestampUTC, ["lastSeenUtc", (v) => v.u64("Microseconds")]],
  [P.LastSeenTimestampUptime, ["lastSeenUptime", (v) => v.u64("Microseconds")]],
  [P.TagSeenCount, ["tagSeenCount", (v) => v.u16("TagCount")]],
  [P.C1G2_PC, ["c1g2Pc", (v) => v.u16("PC_Bits")]],
  [P.C1G2_CRC, ["c1g2Crc", (v) => v.u16("CRC")]],
  [P.AccessSpecID, ["accessSpecId", (v) => v.u32("AccessSpecID")]],
]);

const readTagReportData = (c: Cursor): TagReportData => {
  const walk = new ParameterWalk(c.at);
  let epc: TagEpc | undefined;
  // `epc` comes first whatever the order on the wire, then the fields in the order they came.
  const report: Record<string, unknown> = { epc: undefined };
  for (const raw of splitParameters(c)) {
    const tv = raw.encoding === "TV";
    if (tv && raw.type === P.EPC_96) {
      if (epc) abort(new LlrpBadParameter({ at: c.at, parameterType: P.EPC_96, message: `${c.at}: a second EPC parameter` }));
      epc = { form: "EPC-96", hex: hex(raw.value.take(12, "EPC")) };
    } else if (!tv && raw.type === P.EPCData) {
      if (epc) abort(new LlrpBadParameter({ at: c.at, parameterType: P.EPCData, message: `${c.at}: a second EPC parameter` }));
      epc = readEpcData(raw.value);
    } else {
      const field = tv ? TAG_REPORT_TV_FIELDS.get(raw.type) : undefined;
      if (field === undefined) walk.skip(raw);
      else {
        walk.once(raw);
        report[field[0]] = field[1](raw.value);
      }
    }
  }
  if (!epc) return missing(c.at, P.EPCData);
  report.epc = epc;
  return walk.withUnknown(report as unknown as TagReportData);
};

const readReaderEventNotificationData = (c: Cursor): ReaderEventNotificationData => {
  const walk = new ParameterWalk(c.at);
  let timestamp: LlrpTimestamp | undefined;
  const data: Record<string, unknown> = {};
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TV") {
      walk.skip(raw);
      continue;
    }
    switch (raw.type) {
      case P.UTCTimestamp:
      case P.Uptime:
        if (timestamp) abort(new LlrpBadParameter({ at: c.at, parameterType: raw.type, message: `${c.at}: a second timestamp` }));
        timestamp = readTimestamp(raw);
        break;
      case P.ROSpecEvent: {
        walk.once(raw);
        const v = raw.value;
        data.roSpecEvent = { eventType: v.u8("EventType"), roSpecId: v.u32("ROSpecID"), preemptingRoSpecId: v.u32("PreemptingROSpecID") };
        done(v);
        break;
      }
      case P.AntennaEvent: {
        walk.once(raw);
        const v = raw.value;
        const eventType = v.u8("EventType");
        const antennaId = v.u16("AntennaID");
        done(v);
        if (eventType > 1) {
          abort(new LlrpBadParameter({ at: v.at, parameterType: P.AntennaEvent, message: `${v.at}: EventType ${eventType} is neither 0 (disconnected) nor 1 (connected)` }));
        }
        data.antennaEvent = { connected: eventType === 1, antennaId };
        break;
      }
      case P.ConnectionAttemptEvent: {
        walk.once(raw);
        data.connectionAttempt = { status: raw.value.u16("Status") };
        done(raw.value);
        break;
      }
      case P.ConnectionCloseEvent:
        walk.once(raw);
        done(raw.value);
        data.connectionClose = true;
        break;
      default:
        walk.skip(raw);
    }
  }
  if (!timestamp) return missing(c.at, P.UTCTimestamp);
  return walk.withUnknown({ timestamp, ...data } as ReaderEventNotificationData);
};

const readPeriodicTriggerValue = (c: Cursor): PeriodicTriggerValue => {
  const offset = c.u32("Offset");
  const period = c.u32("Period");
  const walk = new ParameterWalk(c.at);
  let utc: bigint | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.UTCTimestamp) {
      walk.once(raw);
      utc = readTimestamp(raw).microseconds;
    } else walk.skip(raw);
  }
  return walk.withUnknown({ offset, period, ...(utc !== undefined && { utc }) });
};

const readStartTrigger = (c: Cursor): RoSpecStartTrigger => {
  const triggerType = c.u8("ROSpecStartTriggerType");
  const walk = new ParameterWalk(c.at);
  let periodic: PeriodicTriggerValue | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.PeriodicTriggerValue) {
      walk.once(raw);
      periodic = readPeriodicTriggerValue(raw.value);
    } else walk.skip(raw);
  }
  return walk.withUnknown({ triggerType, ...(periodic && { periodic }) });
};

const readStopTrigger = (c: Cursor): RoSpecStopTrigger => {
  const triggerType = c.u8("ROSpecStopTriggerType");
  const duration = c.u32("DurationTriggerValue");
  const walk = new ParameterWalk(c.at);
  for (const raw of splitParameters(c)) walk.skip(raw);
  return walk.withUnknown({ triggerType, duration });
};

const readBoundary = (c: Cursor): RoBoundarySpec => {
  const walk = new ParameterWalk(c.at);
  let startTrigger: RoSpecStartTrigger | undefined;
  let stopTrigger: RoSpecStopTrigger | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.ROSpecStartTrigger) {
      walk.once(raw);
      startTrigger = readStartTrigger(raw.value);
    } else if (raw.encoding === "TLV" && raw.type === P.ROSpecStopTrigger) {
      walk.once(raw);
      stopTrigger = readStopTrigger(raw.value);
    } else walk.skip(raw);
  }
  if (!startTrigger) return missing(c.at, P.ROSpecStartTrigger);
  if (!stopTrigger) return missing(c.at, P.ROSpecStopTrigger);
  return walk.withUnknown({ startTrigger, stopTrigger });
};

const readAiSpecStopTrigger = (c: Cursor): AiSpecStopTrigger => {
  const triggerType = c.u8("AISpecStopTriggerType");
  const duration = c.u32("DurationTrigger");
  const walk = new ParameterWalk(c.at);
  let tagObservation: TagObservationTrigger | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.TagObservationTrigger) {
      walk.once(raw);
      tagObservation = readTagObservationTrigger(raw.value);
    } else walk.skip(raw);
  }
  return walk.withUnknown({ triggerType, duration, ...(tagObservation && { tagObservation }) });
};

const readInventoryParameterSpec = (c: Cursor): InventoryParameterSpec => {
  const id = c.u16("InventoryParameterSpecID");
  const protocolId = c.u8("ProtocolID");
  const walk = new ParameterWalk(c.at);
  for (const raw of splitParameters(c)) walk.skip(raw);
  return walk.withUnknown({ id, protocolId });
};

const readAiSpec = (c: Cursor): AiSpec => {
  const count = c.u16("AntennaIDs count");
  const antennaIds: number[] = [];
  for (let i = 0; i < count; i++) antennaIds.push(c.u16("AntennaIDs"));
  const walk = new ParameterWalk(c.at);
  let stopTrigger: AiSpecStopTrigger | undefined;
  const inventoryParameterSpecs: InventoryParameterSpec[] = [];
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.AISpecStopTrigger) {
      walk.once(raw);
      stopTrigger = readAiSpecStopTrigger(raw.value);
    } else if (raw.encoding === "TLV" && raw.type === P.InventoryParameterSpec) {
      inventoryParameterSpecs.push(readInventoryParameterSpec(raw.value));
    } else walk.skip(raw);
  }
  if (!stopTrigger) return missing(c.at, P.AISpecStopTrigger);
  if (inventoryParameterSpecs.length === 0) return missing(c.at, P.InventoryParameterSpec);
  return walk.withUnknown({ antennaIds, stopTrigger, inventoryParameterSpecs });
};

const CONTENT_FLAGS = [
  "enableRoSpecId",
  "enableSpecIndex",
  "enableInventoryParameterSpecId",
  "enableAntennaId",
  "enableChannelIndex",
  "enablePeakRssi",
  "enableFirstSeenTimestamp",
  "enableLastSeenTimestamp",
  "enableTagSeenCount",
  "enableAccessSpecId",
] as const;

const readContentSelector = (c: Cursor): TagReportContentSelector => {
  const bits = c.u16("flags");
  const flags: Record<string, boolean> = {};
  CONTENT_FLAGS.forEach((name, i) => (flags[name] = (bits & (0x8000 >> i)) !== 0));
  const walk = new ParameterWalk(c.at);
  let selector: { enableCrc: boolean; enablePcBits: boolean } | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.C1G2EPCMemorySelector) {
      walk.once(raw);
      const b = raw.value.u8("flags");
      done(raw.value);
      selector = { enableCrc: (b & 0x80) !== 0, enablePcBits: (b & 0x40) !== 0 };
    } else walk.skip(raw);
  }
  return walk.withUnknown({ ...flags, ...(selector && { c1g2EpcMemorySelector: selector }) } as TagReportContentSelector);
};

const readReportSpec = (c: Cursor): RoReportSpec => {
  const trigger = c.u8("ROReportTrigger");
  const n = c.u16("N");
  const walk = new ParameterWalk(c.at);
  let contentSelector: TagReportContentSelector | undefined;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.TagReportContentSelector) {
      walk.once(raw);
      contentSelector = readContentSelector(raw.value);
    } else walk.skip(raw);
  }
  if (!contentSelector) return missing(c.at, P.TagReportContentSelector);
  return walk.withUnknown({ trigger, n, contentSelector });
};

const readRoSpec = (c: Cursor): RoSpec => {
  const roSpecId = c.u32("ROSpecID");
  const priority = c.u8("Priority");
  const currentState = c.u8("CurrentState");
  const walk = new ParameterWalk(c.at);
  let boundary: RoBoundarySpec | undefined;
  let reportSpec: RoReportSpec | undefined;
  const aiSpecs: AiSpec[] = [];
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === P.ROBoundarySpec) {
      walk.once(raw);
      boundary = readBoundary(raw.value);
    } else if (raw.encoding === "TLV" && raw.type === P.AISpec) {
      aiSpecs.push(readAiSpec(raw.value));
    } else if (raw.encoding === "TLV" && raw.type === P.ROReportSpec) {
      walk.once(raw);
      reportSpec = readReportSpec(raw.value);
    } else walk.skip(raw);
  }
  if (!boundary) return missing(c.at, P.ROBoundarySpec);
  return walk.withUnknown({ roSpecId, priority, currentState, boundary, aiSpecs, ...(reportSpec && { reportSpec }) });
};

/** Reads the one required parameter of `type` of a message (e.g. LLRPStatus), listing the others. */
const readRequired = <T>(c: Cursor, type: number, read: (v: Cursor) => T): { value: T; walk: ParameterWalk } => {
  const walk = new ParameterWalk(c.at);
  let value: T | undefined;
  let found = false;
  for (const raw of splitParameters(c)) {
    if (raw.encoding === "TLV" && raw.type === type) {
      walk.once(raw);
      value = read(raw.value);
      found = true;
    } else walk.skip(raw);
  }
  if (!found) return missing(c.at, type);
  return { value: value as T, walk };
};

const readBody = (name: LlrpMessageName, version: number, id: number, c: Cursor): LlrpMessage => {
  const head = { version, id };
  switch (name) {
    case "ADD_ROSPEC": {
      const { value, walk } = readRequired(c, P.ROSpec, readRoSpec);
      return walk.withUnknown({ type: name, ...head, roSpec: value });
    }
    case "DELETE_ROSPEC":
    case "START_ROSPEC":
    case "STOP_ROSPEC":
    case "ENABLE_ROSPEC": {
      const roSpecId = c.u32("ROSpecID");
      const walk = new ParameterWalk(c.at);
      for (const raw of splitParameters(c)) walk.skip(raw);
      return walk.withUnknown({ type: name, ...head, roSpecId });
    }
    case "ADD_ROSPEC_RESPONSE":
    case "DELETE_ROSPEC_RESPONSE":
    case "START_ROSPEC_RESPONSE":
    case "STOP_ROSPEC_RESPONSE":
    case "ENABLE_ROSPEC_RESPONSE":
    case "ERROR_MESSAGE": {
      const { value, walk } = readRequired(c, P.LLRPStatus, readLlrpStatus);
      return walk.withUnknown({ type: name, ...head, status: value });
    }
    case "RO_ACCESS_REPORT": {
      const walk = new ParameterWalk(c.at);
      const tagReports: TagReportData[] = [];
      for (const raw of splitParameters(c)) {
        if (raw.encoding === "TLV" && raw.type === P.TagReportData) {
          tagReports.push(readTagReportData(new Cursor(raw.value.bytes, raw.value.pos, raw.value.end, `${c.at}.TagReportData[${tagReports.length}]`, raw.value.depth)));
        } else walk.skip(raw);
      }
      return walk.withUnknown({ type: name, ...head, tagReports });
    }
    case "READER_EVENT_NOTIFICATION": {
      const { value, walk } = readRequired(c, P.ReaderEventNotificationData, readReaderEventNotificationData);
      return walk.withUnknown({ type: name, ...head, data: value });
    }
    case "KEEPALIVE":
    case "KEEPALIVE_ACK": {
      const walk = new ParameterWalk(c.at);
      for (const raw of splitParameters(c)) walk.skip(raw);
      return walk.withUnknown({ type: name, ...head });
    }
  }
};

/** The header of a frame: 3-bit version, 10-bit message type, length (header included), message ID. */
interface FrameHeader {
  readonly version: number;
  readonly messageType: number;
  readonly length: number;
  readonly id: number;
}

const readHeader = (bytes: Uint8Array, at: number): FrameHeader => {
  const b0 = bytes[at]!;
  const b1 = bytes[at + 1]!;
  const u32 = (i: number) => ((bytes[i]! << 24) >>> 0) + ((bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!);
  return { version: (b0 >> 2) & 0x7, messageType: ((b0 & 0x3) << 8) | b1, length: u32(at + 2), id: u32(at + 6) };
};

/** Decodes the body of one well-delimited frame (`bytes[at, at + header.length)`). */
const decodeFrame = (bytes: Uint8Array, at: number, header: FrameHeader): Result.Result<LlrpMessage, LlrpDecodeError> => {
  const name = MESSAGE_NAMES.get(header.messageType);
  if (name === undefined) {
    return Result.fail(
      new LlrpUnknownMessage({
        messageType: header.messageType,
        messageId: header.id,
        message: `message type ${header.messageType} (ID ${header.id}) is not one this codec reads`,
      }),
    );
  }
  try {
    return Result.succeed(readBody(name, header.version, header.id, new Cursor(bytes, at + LLRP_HEADER_LENGTH, at + header.length, name, 0)));
  } catch (e) {
    if (e instanceof Abort) return Result.fail(e.error);
    throw e;
  }
};

/**
 * Decodes exactly one LLRP frame. Fails with `LlrpTruncated` when `bytes` is shorter than the
 * header or the declared length, `LlrpLengthMismatch` when the declared length is below 10 or
 * bytes follow the frame, `LlrpUnknownMessage` for a message type not modelled, and
 * `LlrpBadParameter` / `LlrpTruncated` / `LlrpLengthMismatch` naming the parameter at fault.
 * Never throws.
 */
export const decodeLlrp = (bytes: Uint8Array): Result.Result<LlrpMessage, LlrpDecodeError> => {
  if (bytes.length < LLRP_HEADER_LENGTH) {
    return Result.fail(
      new LlrpTruncated({ at: "header", needed: LLRP_HEADER_LENGTH, available: bytes.length, message: `header: needs 10 bytes, ${bytes.length} given` }),
    );
  }
  const header = readHeader(bytes, 0);
  if (header.length < LLRP_HEADER_LENGTH) {
    return Result.fail(
      new LlrpLengthMismatch({ at: "header", declared: header.length, actual: bytes.length, message: `header: message length ${header.length} is shorter than the 10-byte header` }),
    );
  }
  if (header.length > bytes.length) {
    return Result.fail(
      new LlrpTruncated({ at: "frame", needed: header.length, available: bytes.length, message: `frame: declares ${header.length} bytes, ${bytes.length} given` }),
    );
  }
  if (header.length < bytes.length) {
    return Result.fail(
      new LlrpLengthMismatch({ at: "frame", declared: header.length, actual: bytes.length, message: `frame: declares ${header.length} bytes, ${bytes.length} given (use LlrpFrameDecoder for several frames)` }),
    );
  }
  return decodeFrame(bytes, 0, header);
};

// =============================================================================================
// Writing
// =============================================================================================

/** Collects big-endian bytes; checks every number against its wire range. */
class Writer {
  private readonly out: number[] = [];

  private check(value: number, min: number, max: number, path: string, what: string): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new LlrpInvalidField({ path, message: `${path}: ${String(value)} is not ${what}` });
    }
  }

  u8(v: number, path: string): void {
    this.check(v, 0, 0xff, path, "an unsigned 8-bit integer");
    this.out.push(v);
  }

  s8(v: number, path: string): void {
    this.check(v, -128, 127, path, "a signed 8-bit integer");
    this.out.push(v & 0xff);
  }

  u16(v: number, path: string): void {
    this.check(v, 0, 0xffff, path, "an unsigned 16-bit integer");
    this.out.push(v >> 8, v & 0xff);
  }

  u32(v: number, path: string): void {
    this.check(v, 0, 0xffffffff, path, "an unsigned 32-bit integer");
    this.out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }

  u64(v: bigint, path: string): void {
    if (typeof v !== "bigint" || v < 0n || v > 0xffffffffffffffffn) {
      throw new LlrpInvalidField({ path, message: `${path}: ${String(v)} is not an unsigned 64-bit bigint` });
    }
    this.u32(Number(v >> 32n), path);
    this.u32(Number(v & 0xffffffffn), path);
  }

  bytes(b: Uint8Array): void {
    for (const x of b) this.out.push(x);
  }

  hexBytes(h: string, byteLength: number, path: string): void {
    if (!/^[0-9a-fA-F]*$/.test(h) || h.length !== byteLength * 2) {
      throw new LlrpInvalidField({ path, message: `${path}: expected ${byteLength * 2} hex digits, got "${h}"` });
    }
    for (let i = 0; i < h.length; i += 2) this.out.push(parseInt(h.slice(i, i + 2), 16));
  }

  utf8v(s: string, path: string): void {
    const b = new TextEncoder().encode(s);
    this.u16(b.length, `${path} (UTF-8 byte length)`);
    this.bytes(b);
  }

  tv(type: number, body: () => void): void {
    this.out.push(0x80 | type);
    body();
  }

  /** Writes a TLV parameter; its length is patched once `body` has written the value. */
  tlv(type: number, path: string, body: () => void): void {
    const start = this.out.length;
    this.out.push((type >> 8) & 0x03, type & 0xff, 0, 0);
    body();
    const length = this.out.length - start;
    this.check(length, 4, 0xffff, path, "a TLV length (at most 65535 bytes)");
    this.out[start + 2] = length >> 8;
    this.out[start + 3] = length & 0xff;
  }

  unknown(list: readonly UnknownParameter[] | undefined, path: string): void {
    (list ?? []).forEach((u, i) => {
      const p = `${path}.unknown.${i}`;
      if (u.encoding === "TV") {
        const length = LLRP_TV_VALUE_LENGTHS.get(u.type);
        if (length === undefined || u.value.length !== length) {
          throw new LlrpInvalidField({ path: p, message: `${p}: TV type ${u.type} needs a value of its fixed length` });
        }
        this.tv(u.type, () => this.bytes(u.value));
      } else {
        this.check(u.type, 128, 1023, `${p}.type`, "a TLV type (128–1023)");
        this.tlv(u.type, p, () => this.bytes(u.value));
      }
    });
  }

  get length(): number {
    return this.out.length;
  }

  patchU32(at: number, v: number): void {
    this.out[at] = (v >>> 24) & 0xff;
    this.out[at + 1] = (v >>> 16) & 0xff;
    this.out[at + 2] = (v >>> 8) & 0xff;
    this.out[at + 3] = v & 0xff;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

const writeTimestampTlv = (w: Writer, type: number, micros: bigint, path: string): void =>
  w.tlv(type, path, () => w.u64(micros, `${path}.microseconds`));

const writeFieldError = (w: Writer, e: FieldError, path: string): void =>
  w.tlv(P.FieldError, path, () => {
    w.u16(e.fieldNum, `${path}.fieldNum`);
    w.u16(e.errorCode, `${path}.errorCode`);
  });

const writeParameterError = (w: Writer, e: ParameterError, path: string): void =>
  w.tlv(P.ParameterError, path, () => {
    w.u16(e.parameterType, `${path}.parameterType`);
    w.u16(e.errorCode, `${path}.errorCode`);
    if (e.fieldError) writeFieldError(w, e.fieldError, `${path}.fieldError`);
    if (e.parameterError) writeParameterError(w, e.parameterError, `${path}.parameterError`);
    w.unknown(e.unknown, path);
  });

const writeLlrpStatus = (w: Writer, s: LlrpStatus, path: string): void =>
  w.tlv(P.LLRPStatus, path, () => {
    w.u16(s.code, `${path}.code`);
    w.utf8v(s.description, `${path}.description`);
    if (s.fieldError) writeFieldError(w, s.fieldError, `${path}.fieldError`);
    if (s.parameterError) writeParameterError(w, s.parameterError, `${path}.parameterError`);
    w.unknown(s.unknown, path);
  });

const writeTagReportData = (w: Writer, t: TagReportData, path: string): void =>
  w.tlv(P.TagReportData, path, () => {
    const e = t.epc;
    if (e.form === "EPC-96") w.tv(P.EPC_96, () => w.hexBytes(e.hex, 12, `${path}.epc.hex`));
    else
      w.tlv(P.EPCData, `${path}.epc`, () => {
        w.u16(e.bitLength, `${path}.epc.bitLength`);
        w.hexBytes(e.hex, Math.ceil(e.bitLength / 8), `${path}.epc.hex`);
      });
    // Order of the TagReportData sub-parameters in the specification.
    if (t.roSpecId !== undefined) w.tv(P.ROSpecID, () => w.u32(t.roSpecId!, `${path}.roSpecId`));
    if (t.specIndex !== undefined) w.tv(P.SpecIndex, () => w.u16(t.specIndex!, `${path}.specIndex`));
    if (t.inventoryParameterSpecId !== undefined)
      w.tv(P.InventoryParameterSpecID, () => w.u16(t.inventoryParameterSpecId!, `${path}.inventoryParameterSpecId`));
    if (t.antennaId !== undefined) w.tv(P.AntennaID, () => w.u16(t.antennaId!, `${path}.antennaId`));
    if (t.peakRssi !== undefined) w.tv(P.PeakRSSI, () => w.s8(t.peakRssi!, `${path}.peakRssi`));
    if (t.channelIndex !== undefined) w.tv(P.ChannelIndex, () => w.u16(t.channelIndex!, `${path}.channelIndex`));
    if (t.firstSeenUtc !== undefined) w.tv(P.FirstSeenTimestampUTC, () => w.u64(t.firstSeenUtc!, `${path}.firstSeenUtc`));
    if (t.firstSeenUptime !== undefined) w.tv(P.FirstSeenTimestampUptime, () => w.u64(t.firstSeenUptime!, `${path}.firstSeenUptime`));
    if (t.lastSeenUtc !== undefined) w.tv(P.LastSeenTimestampUTC, () => w.u64(t.lastSeenUtc!, `${path}.lastSeenUtc`));
    if (t.lastSeenUptime !== undefined) w.tv(P.LastSeenTimestampUptime, () => w.u64(t.lastSeenUptime!, `${path}.lastSeenUptime`));
    if (t.tagSeenCount !== undefined) w.tv(P.TagSeenCount, () => w.u16(t.tagSeenCount!, `${path}.tagSeenCount`));
    if (t.c1g2Pc !== undefined) w.tv(P.C1G2_PC, () => w.u16(t.c1g2Pc!, `${path}.c1g2Pc`));
    if (t.c1g2Crc !== undefined) w.tv(P.C1G2_CRC, () => w.u16(t.c1g2Crc!, `${path}.c1g2Crc`));
    if (t.accessSpecId !== undefined) w.tv(P.AccessSpecID, () => w.u32(t.accessSpecId!, `${path}.accessSpecId`));
    w.unknown(t.unknown, path);
  });

const writeEventData = (w: Writer, d: ReaderEventNotificationData, path: string): void =>
  w.tlv(P.ReaderEventNotificationData, path, () => {
    writeTimestampTlv(w, d.timestamp.clock === "UTC" ? P.UTCTimestamp : P.Uptime, d.timestamp.microseconds, `${path}.timestamp`);
    if (d.roSpecEvent) {
      const e = d.roSpecEvent;
      w.tlv(P.ROSpecEvent, `${path}.roSpecEvent`, () => {
        w.u8(e.eventType, `${path}.roSpecEvent.eventType`);
        w.u32(e.roSpecId, `${path}.roSpecEvent.roSpecId`);
        w.u32(e.preemptingRoSpecId, `${path}.roSpecEvent.preemptingRoSpecId`);
      });
    }
    if (d.antennaEvent) {
      const e = d.antennaEvent;
      w.tlv(P.AntennaEvent, `${path}.antennaEvent`, () => {
        w.u8(e.connected ? 1 : 0, `${path}.antennaEvent.connected`);
        w.u16(e.antennaId, `${path}.antennaEvent.antennaId`);
      });
    }
    if (d.connectionAttempt) {
      const e = d.connectionAttempt;
      w.tlv(P.ConnectionAttemptEvent, `${path}.connectionAttempt`, () => w.u16(e.status, `${path}.connectionAttempt.status`));
    }
    if (d.connectionClose) w.tlv(P.ConnectionCloseEvent, `${path}.connectionClose`, () => undefined);
    w.unknown(d.unknown, path);
  });

const writeRoSpec = (w: Writer, r: RoSpec, path: string): void =>
  w.tlv(P.ROSpec, path, () => {
    w.u32(r.roSpecId, `${path}.roSpecId`);
    w.u8(r.priority, `${path}.priority`);
    w.u8(r.currentState, `${path}.currentState`);
    const b = r.boundary;
    const bp = `${path}.boundary`;
    w.tlv(P.ROBoundarySpec, bp, () => {
      const s = b.startTrigger;
      w.tlv(P.ROSpecStartTrigger, `${bp}.startTrigger`, () => {
        w.u8(s.triggerType, `${bp}.startTrigger.triggerType`);
        if (s.periodic) {
          const p = s.periodic;
          const pp = `${bp}.startTrigger.periodic`;
          w.tlv(P.PeriodicTriggerValue, pp, () => {
            w.u32(p.offset, `${pp}.offset`);
            w.u32(p.period, `${pp}.period`);
            if (p.utc !== undefined) writeTimestampTlv(w, P.UTCTimestamp, p.utc, `${pp}.utc`);
            w.unknown(p.unknown, pp);
          });
        }
        w.unknown(s.unknown, `${bp}.startTrigger`);
      });
      const t = b.stopTrigger;
      w.tlv(P.ROSpecStopTrigger, `${bp}.stopTrigger`, () => {
        w.u8(t.triggerType, `${bp}.stopTrigger.triggerType`);
        w.u32(t.duration, `${bp}.stopTrigger.duration`);
        w.unknown(t.unknown, `${bp}.stopTrigger`);
      });
      w.unknown(b.unknown, bp);
    });
    r.aiSpecs.forEach((a, i) => {
      const ap = `${path}.aiSpecs.${i}`;
      w.tlv(P.AISpec, ap, () => {
        w.u16(a.antennaIds.length, `${ap}.antennaIds`);
        a.antennaIds.forEach((id, j) => w.u16(id, `${ap}.antennaIds.${j}`));
        const st = a.stopTrigger;
        w.tlv(P.AISpecStopTrigger, `${ap}.stopTrigger`, () => {
          w.u8(st.triggerType, `${ap}.stopTrigger.triggerType`);
          w.u32(st.duration, `${ap}.stopTrigger.duration`);
          if (st.tagObservation) {
            const o = st.tagObservation;
            const op = `${ap}.stopTrigger.tagObservation`;
            w.tlv(P.TagObservationTrigger, op, () => {
              w.u8(o.triggerType, `${op}.triggerType`);
              w.u8(0, `${op}.reserved`);
              w.u16(o.numberOfTags, `${op}.numberOfTags`);
              w.u16(o.numberOfAttempts, `${op}.numberOfAttempts`);
              w.u16(o.t, `${op}.t`);
              w.u32(o.timeout, `${op}.timeout`);
            });
          }
          w.unknown(st.unknown, `${ap}.stopTrigger`);
        });
        a.inventoryParameterSpecs.forEach((s, j) => {
          const sp = `${ap}.inventoryParameterSpecs.${j}`;
          w.tlv(P.InventoryParameterSpec, sp, () => {
            w.u16(s.id, `${sp}.id`);
            w.u8(s.protocolId, `${sp}.protocolId`);
            w.unknown(s.unknown, sp);
          });
        });
        w.unknown(a.unknown, ap);
      });
    });
    if (r.reportSpec) {
      const rs = r.reportSpec;
      const rp = `${path}.reportSpec`;
      w.tlv(P.ROReportSpec, rp, () => {
        w.u8(rs.trigger, `${rp}.trigger`);
        w.u16(rs.n, `${rp}.n`);
        const cs = rs.contentSelector;
        const cp = `${rp}.contentSelector`;
        w.tlv(P.TagReportContentSelector, cp, () => {
          let bits = 0;
          CONTENT_FLAGS.forEach((name, i) => {
            if (cs[name]) bits |= 0x8000 >> i;
          });
          w.u16(bits, cp);
          if (cs.c1g2EpcMemorySelector) {
            const m = cs.c1g2EpcMemorySelector;
            w.tlv(P.C1G2EPCMemorySelector, `${cp}.c1g2EpcMemorySelector`, () =>
              w.u8((m.enableCrc ? 0x80 : 0) | (m.enablePcBits ? 0x40 : 0), `${cp}.c1g2EpcMemorySelector`),
            );
          }
          w.unknown(cs.unknown, cp);
        });
        w.unknown(rs.unknown, rp);
      });
    }
    w.unknown(r.unknown, path);
  });

const writeBody = (w: Writer, m: LlrpMessage): void => {
  switch (m.type) {
    case "ADD_ROSPEC":
      writeRoSpec(w, m.roSpec, "roSpec");
      break;
    case "DELETE_ROSPEC":
    case "START_ROSPEC":
    case "STOP_ROSPEC":
    case "ENABLE_ROSPEC":
      w.u32(m.roSpecId, "roSpecId");
      break;
    case "ADD_ROSPEC_RESPONSE":
    case "DELETE_ROSPEC_RESPONSE":
    case "START_ROSPEC_RESPONSE":
    case "STOP_ROSPEC_RESPONSE":
    case "ENABLE_ROSPEC_RESPONSE":
    case "ERROR_MESSAGE":
      writeLlrpStatus(w, m.status, "status");
      break;
    case "RO_ACCESS_REPORT":
      m.tagReports.forEach((t, i) => writeTagReportData(w, t, `tagReports.${i}`));
      break;
    case "READER_EVENT_NOTIFICATION":
      writeEventData(w, m.data, "data");
      break;
    case "KEEPALIVE":
    case "KEEPALIVE_ACK":
      break;
  }
  w.unknown(m.unknown, "message");
};

/**
 * Encodes a message as one LLRP frame. Returns `LlrpInvalidField` for a field outside its wire
 * range (a u16 above 65535, an EPC-96 hex that is not 24 digits, a version above 7…).
 */
export const tryEncodeLlrp = (message: LlrpMessage): Result.Result<Uint8Array, LlrpInvalidField> => {
  try {
    const w = new Writer();
    const type = LlrpMessageType[message.type];
    if (!Number.isInteger(message.version) || message.version < 0 || message.version > 7) {
      throw new LlrpInvalidField({ path: "version", message: `version: ${message.version} is not a 3-bit version` });
    }
    w.u16((message.version << 10) | type, "type");
    w.u32(0, "length");
    w.u32(message.id, "id");
    writeBody(w, message);
    w.patchU32(2, w.length);
    return Result.succeed(w.finish());
  } catch (e) {
    if (e instanceof LlrpInvalidField) return Result.fail(e);
    throw e;
  }
};

/**
 * Encodes a message as one LLRP frame. A field outside its wire range is a defect of the caller
 * and throws `LlrpInvalidField`; use {@link tryEncodeLlrp} for messages built from untrusted data.
 */
export const encodeLlrp = (message: LlrpMessage): Uint8Array => {
  const r = tryEncodeLlrp(message);
  if (Result.isFailure(r)) throw r.failure;
  return r.success;
};

// =============================================================================================
// Stream decoding
// =============================================================================================

/** What one {@link LlrpFrameDecoder.push} yields: the messages completed, the frames refused, and the next decoder. */
export interface LlrpFramePush {
  readonly messages: readonly LlrpMessage[];
  readonly errors: readonly LlrpDecodeError[];
  readonly decoder: LlrpFrameDecoder;
}

/** Options of an {@link LlrpFrameDecoder}. */
export interface LlrpFrameDecoderOptions {
  /** Largest frame accepted, in bytes (default 16 MiB); a larger declared length stops the decoder. */
  readonly maxFrameLength?: number;
}

const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/**
 * Incremental decoder of an LLRP byte stream (one TCP connection), as an immutable value:
 * `push(chunk)` returns the messages completed by the chunk, the errors, and the decoder holding
 * the bytes of the incomplete frame. Chunks may split frames anywhere and hold several frames.
 *
 * Errors and recovery:
 * - a frame that is well delimited but cannot be decoded (unknown message type, bad parameter)
 *   is reported in `errors` and skipped; decoding continues with the next frame;
 * - a header whose length field is impossible (below 10, or above `maxFrameLength`) leaves no
 *   way to find the next frame: it is reported once as `LlrpLengthMismatch` and the decoder
 *   **stops** (`stopped` is true, `failure` holds the error, later bytes are dropped). LLRP has no
 *   frame marker to resynchronise on safely, so the caller should close the connection and
 *   start over with a new decoder.
 */
export class LlrpFrameDecoder {
  private constructor(
    /** Bytes received but not yet decoded, as the chunks (or their tails) they came in. */
    private readonly chunks: readonly Uint8Array[],
    /** Total length of `chunks`. */
    readonly buffered: number,
    /** The length error that stopped the decoder, if any. */
    readonly failure: LlrpLengthMismatch | undefined,
    private readonly maxFrameLength: number,
  ) {}

  /** A decoder at the start of a stream. */
  static start(options: LlrpFrameDecoderOptions = {}): LlrpFrameDecoder {
    return new LlrpFrameDecoder([], 0, undefined, options.maxFrameLength ?? DEFAULT_MAX_FRAME);
  }

  /** True once an impossible length field stopped the decoder. */
  get stopped(): boolean {
    return this.failure !== undefined;
  }

  /** The bytes of the incomplete frame, not yet decoded (a copy). */
  get pending(): Uint8Array {
    return gather(this.chunks, this.buffered).bytes.slice();
  }

  /**
   * Decodes the frames `chunk` completes. Pure: this decoder is left unchanged, and `chunk` is
   * copied, so the caller may reuse its buffer.
   */
  push(chunk: Uint8Array): LlrpFramePush {
    if (this.failure) return { messages: [], errors: [], decoder: this };
    let chunks: readonly Uint8Array[] = chunk.length > 0 ? [...this.chunks, chunk.slice()] : this.chunks;
    let buffered = this.buffered + chunk.length;
    const messages: LlrpMessage[] = [];
    const errors: LlrpDecodeError[] = [];
    let consumed = 0;
    while (buffered >= LLRP_HEADER_LENGTH) {
      const header = readHeader(gather(chunks, LLRP_HEADER_LENGTH).bytes, 0);
      if (header.length < LLRP_HEADER_LENGTH || header.length > this.maxFrameLength) {
        const failure = new LlrpLengthMismatch({
          at: `stream offset +${consumed}`,
          declared: header.length,
          actual: header.length < LLRP_HEADER_LENGTH ? LLRP_HEADER_LENGTH : this.maxFrameLength,
          message:
            header.length < LLRP_HEADER_LENGTH
              ? `frame length ${header.length} is shorter than the 10-byte header; the stream cannot be resynchronised`
              : `frame length ${header.length} exceeds the maximum of ${this.maxFrameLength}; the stream cannot be resynchronised`,
        });
        errors.push(failure);
        return { messages, errors, decoder: new LlrpFrameDecoder([], 0, failure, this.maxFrameLength) };
      }
      if (buffered < header.length) break;
      const { bytes, rest } = gather(chunks, header.length);
      const r = decodeFrame(bytes, 0, header);
      if (Result.isSuccess(r)) messages.push(r.success);
      else errors.push(r.failure);
      chunks = rest;
      buffered -= header.length;
      consumed += header.length;
    }
    return { messages, errors, decoder: new LlrpFrameDecoder(chunks, buffered, undefined, this.maxFrameLength) };
  }

  /**
   * At the end of the stream: `LlrpTruncated` if an incomplete frame is pending, else nothing.
   */
  finish(): readonly LlrpDecodeError[] {
    if (this.failure || this.buffered === 0) return [];
    const pending = this.pending;
    const needed = pending.length >= LLRP_HEADER_LENGTH ? readHeader(pending, 0).length : LLRP_HEADER_LENGTH;
    return [
      new LlrpTruncated({
        at: "end of stream",
        needed,
        available: pending.length,
        message: `end of stream: an incomplete frame of ${pending.length} byte(s) (needs ${needed})`,
      }),
    ];
  }
}

/**
 * The first `n` bytes of `chunks` (at most their total) and the chunks after them. Copies only
 * when the bytes span several chunks; never mutates a chunk.
 */
const gather = (chunks: readonly Uint8Array[], n: number): { bytes: Uint8Array; rest: readonly Uint8Array[] } => {
  const first = chunks[0];
  if (first === undefined) return { bytes: new Uint8Array(0), rest: chunks };
  if (first.length >= n) {
    return { bytes: first.subarray(0, n), rest: first.length > n ? [first.subarray(n), ...chunks.slice(1)] : chunks.slice(1) };
  }
  const bytes = new Uint8Array(Math.min(n, chunks.reduce((t, c) => t + c.length, 0)));
  let filled = 0;
  let i = 0;
  for (; i < chunks.length && filled < bytes.length; i++) {
    const c = chunks[i]!;
    const take = Math.min(c.length, bytes.length - filled);
    bytes.set(c.subarray(0, take), filled);
    filled += take;
    if (take < c.length) return { bytes, rest: [c.subarray(take), ...chunks.slice(i + 1)] };
  }
  return { bytes, rest: chunks.slice(i) };
};

/**
 * Converts an LLRP UTC timestamp (µs since the Unix epoch) to epoch milliseconds (floored).
 */
export const llrpMicrosToEpochMs = (microseconds: bigint): number => Number(microseconds / 1000n);

/** Converts epoch milliseconds to an LLRP UTC timestamp in microseconds. */
export const epochMsToLlrpMicros = (epochMs: number): bigint => BigInt(Math.trunc(epochMs)) * 1000n;
