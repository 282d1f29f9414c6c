/**
 * The vocabulary of LLRP (EPCglobal Low Level Reader Protocol 1.0.1 / 1.1): message and parameter
 * type numbers, the typed messages the codec in `llrp.ts` reads and writes, its errors, and a
 * minimal ROSpec builder for a reader integration.
 *
 * Type numbers and field layouts follow the LLRP binary encoding (LTK `llrp-1x0-def`).
 *
 * @module
 */
import { Result } from "effect";
import { TaggedDecodeError } from "./decode-error.js";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Fewer bytes than the frame, parameter or field being read needs. */
export class LlrpTruncated extends TaggedDecodeError("LlrpTruncated")<{
  /** Where the read stopped, e.g. `RO_ACCESS_REPORT.TagReportData[1].EPCData`. */
  readonly at: string;
  /** Bytes needed from the position where the read started. */
  readonly needed: number;
  /** Bytes that were there. */
  readonly available: number;
  readonly message: string;
}> {}

/** A frame whose message type this codec does not know (the frame itself was well delimited). */
export class LlrpUnknownMessage extends TaggedDecodeError("LlrpUnknownMessage")<{
  /** The 10-bit message type of the header. */
  readonly messageType: number;
  /** The message ID of the header (a reader answers an unknown message with an ERROR_MESSAGE of this ID). */
  readonly messageId: number;
  readonly message: string;
}> {}

/**
 * A parameter that cannot be read: a required one missing, a duplicate, a TV type of unknown
 * length (TV parameters carry no length, so they cannot be skipped), a field out of its range,
 * invalid UTF-8, or nesting deeper than the codec allows.
 */
export class LlrpBadParameter extends TaggedDecodeError("LlrpBadParameter")<{
  /** Where, e.g. `ADD_ROSPEC_RESPONSE`. */
  readonly at: string;
  /** The parameter type at fault (the missing one, for a missing parameter). */
  readonly parameterType: number;
  readonly message: string;
}> {}

/** A length field that disagrees with the bytes it delimits (a frame or a TLV parameter). */
export class LlrpLengthMismatch extends TaggedDecodeError("LlrpLengthMismatch")<{
  /** Where, e.g. `header` or `RO_ACCESS_REPORT.TagReportData[0]`. */
  readonly at: string;
  /** The length the field declares. */
  readonly declared: number;
  /** The length actually there, or the bound the declared length breaks. */
  readonly actual: number;
  readonly message: string;
}> {}

/** Every failure of LLRP decoding. */
export type LlrpDecodeError = LlrpTruncated | LlrpUnknownMessage | LlrpBadParameter | LlrpLengthMismatch;

/**
 * A message value that cannot be written: a number outside its wire range (u8, u16, u32, s8…) or
 * an EPC whose hex does not match its form. The TypeScript types cannot say these ranges, so
 * `encodeLlrp` throws it (a defect of the caller); `tryEncodeLlrp` returns it.
 */
export class LlrpInvalidField extends TaggedDecodeError("LlrpInvalidField")<{
  /** The field at fault, e.g. `roSpec.aiSpecs.0.antennaIds.2`. */
  readonly path: string;
  readonly message: string;
}> {}

// ---------------------------------------------------------------------------------------------
// Type numbers
// ---------------------------------------------------------------------------------------------

/** LLRP protocol versions as written in the 3-bit header field. */
export const LlrpVersion = {
  /** LLRP 1.0.1. */
  V1_0_1: 1,
  /** LLRP 1.1. */
  V1_1: 2,
} as const;

/** The 10-bit message types this codec reads and writes. */
export const LlrpMessageType = {
  ADD_ROSPEC: 20,
  DELETE_ROSPEC: 21,
  START_ROSPEC: 22,
  STOP_ROSPEC: 23,
  ENABLE_ROSPEC: 24,
  ADD_ROSPEC_RESPONSE: 30,
  DELETE_ROSPEC_RESPONSE: 31,
  START_ROSPEC_RESPONSE: 32,
  STOP_ROSPEC_RESPONSE: 33,
  ENABLE_ROSPEC_RESPONSE: 34,
  RO_ACCESS_REPORT: 61,
  KEEPALIVE: 62,
  READER_EVENT_NOTIFICATION: 63,
  KEEPALIVE_ACK: 72,
  ERROR_MESSAGE: 100,
} as const;

/** A message name this codec knows. */
export type LlrpMessageName = keyof typeof LlrpMessageType;

/**
 * Parameter types. Types 1–127 are TV-encoded (1 bit set + 7-bit type, fixed length, no length
 * field); types 128–1023 are TLV-encoded (6 reserved bits + 10-bit type + 16-bit length).
 */
export const LlrpParameterType = {
  AntennaID: 1,
  FirstSeenTimestampUTC: 2,
  FirstSeenTimestampUptime: 3,
  LastSeenTimestampUTC: 4,
  LastSeenTimestampUptime: 5,
  PeakRSSI: 6,
  ChannelIndex: 7,
  TagSeenCount: 8,
  ROSpecID: 9,
  InventoryParameterSpecID: 10,
  C1G2_CRC: 11,
  C1G2_PC: 12,
  EPC_96: 13,
  SpecIndex: 14,
  ClientRequestOpSpecResult: 15,
  AccessSpecID: 16,
  OpSpecID: 17,
  C1G2SingulationDetails: 18,
  C1G2XPCW1: 19,
  C1G2XPCW2: 20,
  UTCTimestamp: 128,
  Uptime: 129,
  ROSpec: 177,
  ROBoundarySpec: 178,
  ROSpecStartTrigger: 179,
  PeriodicTriggerValue: 180,
  GPITriggerValue: 181,
  ROSpecStopTrigger: 182,
  AISpec: 183,
  AISpecStopTrigger: 184,
  TagObservationTrigger: 185,
  InventoryParameterSpec: 186,
  ROReportSpec: 237,
  TagReportContentSelector: 238,
  TagReportData: 240,
  EPCData: 241,
  ReaderEventNotificationData: 246,
  ROSpecEvent: 249,
  AntennaEvent: 255,
  ConnectionAttemptEvent: 256,
  ConnectionCloseEvent: 257,
  LLRPStatus: 287,
  FieldError: 288,
  ParameterError: 289,
  C1G2EPCMemorySelector: 348,
  Custom: 1023,
} as const;

/**
 * Value length in bytes (after the 1-byte type) of every TV parameter of LLRP 1.0.1 and 1.1.
 * A TV type not listed cannot be skipped, since TV parameters carry no length.
 */
export const LLRP_TV_VALUE_LENGTHS: ReadonlyMap<number, number> = new Map([
  [1, 2], // AntennaID u16
  [2, 8], // FirstSeenTimestampUTC u64 µs
  [3, 8], // FirstSeenTimestampUptime u64 µs
  [4, 8], // LastSeenTimestampUTC u64 µs
  [5, 8], // LastSeenTimestampUptime u64 µs
  [6, 1], // PeakRSSI s8 dBm
  [7, 2], // ChannelIndex u16
  [8, 2], // TagSeenCount u16
  [9, 4], // ROSpecID u32
  [10, 2], // InventoryParameterSpecID u16
  [11, 2], // C1G2_CRC u16
  [12, 2], // C1G2_PC u16
  [13, 12], // EPC-96 u96
  [14, 2], // SpecIndex u16
  [15, 2], // ClientRequestOpSpecResult u16
  [16, 4], // AccessSpecID u32
  [17, 2], // OpSpecID u16
  [18, 4], // C1G2SingulationDetails u16 + u16
  [19, 2], // C1G2XPCW1 u16 (LLRP 1.1)
  [20, 2], // C1G2XPCW2 u16 (LLRP 1.1)
]);

/** LLRPStatus codes (M_ message, P_ parameter, A_ field, R_ reader). */
export const LlrpStatusCode = {
  M_Success: 0,
  M_ParameterError: 100,
  M_FieldError: 101,
  M_UnexpectedParameter: 102,
  M_MissingParameter: 103,
  M_DuplicateParameter: 104,
  M_OverflowParameter: 105,
  M_OverflowField: 106,
  M_UnknownParameter: 107,
  M_UnknownField: 108,
  M_UnsupportedMessage: 109,
  M_UnsupportedVersion: 110,
  M_UnsupportedParameter: 111,
  P_ParameterError: 200,
  P_FieldError: 201,
  P_UnexpectedParameter: 202,
  P_MissingParameter: 203,
  P_DuplicateParameter: 204,
  P_OverflowParameter: 205,
  P_OverflowField: 206,
  P_UnknownParameter: 207,
  P_UnknownField: 208,
  P_UnsupportedParameter: 209,
  A_Invalid: 300,
  A_OutOfRange: 301,
  R_DeviceError: 401,
} as const;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/**
 * A parameter the codec does not model, kept as read (forward compatibility): its encoding, type
 * and value bytes (after the TV type byte or the 4-byte TLV header). Encoding writes it back after
 * the known parameters of its container.
 */
export interface UnknownParameter {
  readonly encoding: "TV" | "TLV";
  readonly type: number;
  readonly value: Uint8Array;
}

/** A container parameter or message: `unknown` lists the parameters skipped inside it (absent when none). */
export interface LlrpExtensible {
  readonly unknown?: readonly UnknownParameter[];
}

/** The EPC of a tag: the fixed EPC-96 (TV 13) or the variable EPCData (TLV 241, bit length + bits). Hex is uppercase. */
export type TagEpc =
  | { readonly form: "EPC-96"; readonly hex: string }
  | {
      readonly form: "EPCData";
      /** Number of significant bits; `hex` holds ceil(bitLength / 8) bytes, the unused low bits of the last byte as read. */
      readonly bitLength: number;
      readonly hex: string;
    };

/** One tag observation of an RO_ACCESS_REPORT (TagReportData, TLV 240). Timestamps are microseconds (UTC: since the Unix epoch). */
export interface TagReportData extends LlrpExtensible {
  readonly epc: TagEpc;
  readonly roSpecId?: number;
  readonly specIndex?: number;
  readonly inventoryParameterSpecId?: number;
  readonly antennaId?: number;
  /** Peak RSSI in dBm (signed 8-bit). */
  readonly peakRssi?: number;
  readonly channelIndex?: number;
  readonly firstSeenUtc?: bigint;
  readonly firstSeenUptime?: bigint;
  readonly lastSeenUtc?: bigint;
  readonly lastSeenUptime?: bigint;
  readonly tagSeenCount?: number;
  /** Gen2 protocol-control word (C1G2_PC, TV 12). */
  readonly c1g2Pc?: number;
  /** Gen2 CRC (C1G2_CRC, TV 11). */
  readonly c1g2Crc?: number;
  readonly accessSpecId?: number;
}

/** FieldError (TLV 288): which field of a message or parameter a reader refused. */
export interface FieldError {
  readonly fieldNum: number;
  readonly errorCode: number;
}

/** ParameterError (TLV 289): which parameter a reader refused, possibly with a nested cause. */
export interface ParameterError extends LlrpExtensible {
  readonly parameterType: number;
  readonly errorCode: number;
  readonly fieldError?: FieldError;
  readonly parameterError?: ParameterError;
}

/** LLRPStatus (TLV 287): the outcome of a request; `code` 0 is success (see {@link LlrpStatusCode}). */
export interface LlrpStatus extends LlrpExtensible {
  readonly code: number;
  readonly description: string;
  readonly fieldError?: FieldError;
  readonly parameterError?: ParameterError;
}

/** A reader timestamp: UTCTimestamp (TLV 128, µs since the Unix epoch) or Uptime (TLV 129, µs since boot). */
export interface LlrpTimestamp {
  readonly clock: "UTC" | "Uptime";
  readonly microseconds: bigint;
}

/** ROSpecEvent (TLV 249): 0 start, 1 end, 2 preemption of an ROSpec. */
export interface RoSpecEvent {
  readonly eventType: number;
  readonly roSpecId: number;
  readonly preemptingRoSpecId: number;
}

/** ReaderEventNotificationData (TLV 246): one reader event with its timestamp. */
export interface ReaderEventNotificationData extends LlrpExtensible {
  readonly timestamp: LlrpTimestamp;
  readonly roSpecEvent?: RoSpecEvent;
  /** AntennaEvent (TLV 255): an antenna connected or disconnected. */
  readonly antennaEvent?: { readonly connected: boolean; readonly antennaId: number };
  /** ConnectionAttemptEvent (TLV 256): status 0 success, 1–4 the reasons of a refused connection. */
  readonly connectionAttempt?: { readonly status: number };
  /** ConnectionCloseEvent (TLV 257): the reader is closing the connection. */
  readonly connectionClose?: true;
}

/** PeriodicTriggerValue (TLV 180): start `offset` ms after enable (or at `utc` µs), then every `period` ms. */
export interface PeriodicTriggerValue extends LlrpExtensible {
  readonly offset: number;
  readonly period: number;
  readonly utc?: bigint;
}

/** ROSpecStartTrigger (TLV 179): 0 null (START_ROSPEC), 1 immediate, 2 periodic, 3 GPI. */
export interface RoSpecStartTrigger extends LlrpExtensible {
  readonly triggerType: number;
  readonly periodic?: PeriodicTriggerValue;
}

/** ROSpecStopTrigger (TLV 182): 0 null (STOP_ROSPEC), 1 duration (`duration` ms), 2 GPI with timeout. */
export interface RoSpecStopTrigger extends LlrpExtensible {
  readonly triggerType: number;
  readonly duration: number;
}

/** ROBoundarySpec (TLV 178): when an ROSpec starts and stops. */
export interface RoBoundarySpec extends LlrpExtensible {
  readonly startTrigger: RoSpecStartTrigger;
  readonly stopTrigger: RoSpecStopTrigger;
}

/** TagObservationTrigger (TLV 185). */
export interface TagObservationTrigger {
  readonly triggerType: number;
  readonly numberOfTags: number;
  readonly numberOfAttempts: number;
  readonly t: number;
  readonly timeout: number;
}

/** AISpecStopTrigger (TLV 184): 0 null, 1 duration (`duration` ms), 2 GPI with timeout, 3 tag observation. */
export interface AiSpecStopTrigger extends LlrpExtensible {
  readonly triggerType: number;
  readonly duration: number;
  readonly tagObservation?: TagObservationTrigger;
}

/** InventoryParameterSpec (TLV 186): protocol 1 is EPCglobal Class 1 Gen 2. */
export interface InventoryParameterSpec extends LlrpExtensible {
  readonly id: number;
  readonly protocolId: number;
}

/** AISpec (TLV 183): an antenna inventory; antenna ID 0 means every antenna. */
export interface AiSpec extends LlrpExtensible {
  readonly antennaIds: readonly number[];
  readonly stopTrigger: AiSpecStopTrigger;
  readonly inventoryParameterSpecs: readonly InventoryParameterSpec[];
}

/** The report fields a TagReportContentSelector (TLV 238) switches on. */
export interface TagReportContentSelector extends LlrpExtensible {
  readonly enableRoSpecId: boolean;
  readonly enableSpecIndex: boolean;
  readonly enableInventoryParameterSpecId: boolean;
  readonly enableAntennaId: boolean;
  readonly enableChannelIndex: boolean;
  readonly enablePeakRssi: boolean;
  readonly enableFirstSeenTimestamp: boolean;
  readonly enableLastSeenTimestamp: boolean;
  readonly enableTagSeenCount: boolean;
  readonly enableAccessSpecId: boolean;
  /** C1G2EPCMemorySelector (TLV 348). */
  readonly c1g2EpcMemorySelector?: { readonly enableCrc: boolean; readonly enablePcBits: boolean };
}

/** ROReportSpec (TLV 237): trigger 0 none, 1 every N tags or end of AISpec, 2 every N tags or end of ROSpec. */
export interface RoReportSpec extends LlrpExtensible {
  readonly trigger: number;
  readonly n: number;
  readonly contentSelector: TagReportContentSelector;
}

/** ROSpec (TLV 177): a reader operation. `currentState` 0 disabled, 1 inactive, 2 active. */
export interface RoSpec extends LlrpExtensible {
  readonly roSpecId: number;
  readonly priority: number;
  readonly currentState: number;
  readonly boundary: RoBoundarySpec;
  /** The AISpecs, in order (other spec parameters, e.g. RFSurveySpec, are in `unknown`). */
  readonly aiSpecs: readonly AiSpec[];
  readonly reportSpec?: RoReportSpec;
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** Header fields of every message: the 3-bit protocol version and the 32-bit message ID. */
export interface LlrpMessageHeader extends LlrpExtensible {
  readonly version: number;
  readonly id: number;
}

/** ADD_ROSPEC (20): hand an ROSpec to the reader. */
export interface AddRoSpec extends LlrpMessageHeader {
  readonly type: "ADD_ROSPEC";
  readonly roSpec: RoSpec;
}

/** DELETE_ROSPEC (21), START_ROSPEC (22), STOP_ROSPEC (23), ENABLE_ROSPEC (24): act on one ROSpec (ID 0: all, for delete). */
export interface RoSpecCommand extends LlrpMessageHeader {
  readonly type: "DELETE_ROSPEC" | "START_ROSPEC" | "STOP_ROSPEC" | "ENABLE_ROSPEC";
  readonly roSpecId: number;
}

/** The responses (30–34) to the ROSpec requests: an LLRPStatus. */
export interface RoSpecResponse extends LlrpMessageHeader {
  readonly type:
    | "ADD_ROSPEC_RESPONSE"
    | "DELETE_ROSPEC_RESPONSE"
    | "START_ROSPEC_RESPONSE"
    | "STOP_ROSPEC_RESPONSE"
    | "ENABLE_ROSPEC_RESPONSE";
  readonly status: LlrpStatus;
}

/** RO_ACCESS_REPORT (61): tag observations (RFSurveyReportData and Custom are in `unknown`). */
export interface RoAccessReport extends LlrpMessageHeader {
  readonly type: "RO_ACCESS_REPORT";
  readonly tagReports: readonly TagReportData[];
}

/** READER_EVENT_NOTIFICATION (63). */
export interface ReaderEventNotification extends LlrpMessageHeader {
  readonly type: "READER_EVENT_NOTIFICATION";
  readonly data: ReaderEventNotificationData;
}

/** KEEPALIVE (62) from the reader, and the client's KEEPALIVE_ACK (72). */
export interface KeepaliveMessage extends LlrpMessageHeader {
  readonly type: "KEEPALIVE" | "KEEPALIVE_ACK";
}

/** ERROR_MESSAGE (100): the reader could not parse or does not support a message. */
export interface ErrorMessage extends LlrpMessageHeader {
  readonly type: "ERROR_MESSAGE";
  readonly status: LlrpStatus;
}

/** Every LLRP message this codec reads and writes, discriminated by `type`. */
export type LlrpMessage =
  | AddRoSpec
  | RoSpecCommand
  | RoSpecResponse
  | RoAccessReport
  | ReaderEventNotification
  | KeepaliveMessage
  | ErrorMessage;

// ---------------------------------------------------------------------------------------------
// ROSpec builder
// ---------------------------------------------------------------------------------------------

const U32 = z.number().int().min(0).max(0xffffffff);
const U16 = z.number().int().min(0).max(0xffff);

/**
 * Settings of a minimal inventory ROSpec: one AISpec over `antennaIds` (0 = every antenna) with
 * a Gen2 InventoryParameterSpec, start/stop triggers and a tag report.
 */
export const RoSpecSettingsSchema = z.object({
  roSpecId: U32.refine((n) => n !== 0, { message: "ROSpec ID 0 is reserved" }),
  /** 0 (highest) to 7. */
  priority: z.number().int().min(0).max(7).default(0),
  antennaIds: z.array(U16).min(1),
  start: z
    .discriminatedUnion("trigger", [
      z.object({ trigger: z.literal("null") }),
      z.object({ trigger: z.literal("immediate") }),
      z.object({ trigger: z.literal("periodic"), offsetMs: U32, periodMs: U32 }),
    ])
    .default({ trigger: "null" }),
  stop: z
    .discriminatedUnion("trigger", [z.object({ trigger: z.literal("null") }), z.object({ trigger: z.literal("duration"), durationMs: U32 })])
    .default({ trigger: "null" }),
  /** When one AISpec pass ends: never (null) or after a duration. */
  aiSpecStop: z
    .discriminatedUnion("trigger", [z.object({ trigger: z.literal("null") }), z.object({ trigger: z.literal("duration"), durationMs: U32 })])
    .default({ trigger: "null" }),
  report: z
    .object({
      trigger: z.enum(["none", "every-n-or-end-of-aispec", "every-n-or-end-of-rospec"]).default("every-n-or-end-of-aispec"),
      /** Tags per report (0: only at the end of the AISpec / ROSpec). */
      n: U16.default(1),
      antennaId: z.boolean().default(true),
      peakRssi: z.boolean().default(true),
      firstSeen: z.boolean().default(true),
      lastSeen: z.boolean().default(true),
      tagSeenCount: z.boolean().default(true),
      channelIndex: z.boolean().default(false),
      roSpecId: z.boolean().default(false),
    })
    .prefault({}),
});

/** ROSpec settings as written by a caller (defaults omitted). */
export type RoSpecSettingsInput = z.input<typeof RoSpecSettingsSchema>;

const REPORT_TRIGGERS = { none: 0, "every-n-or-end-of-aispec": 1, "every-n-or-end-of-rospec": 2 } as const;

/**
 * Builds an ADD_ROSPEC message (ROSpec with ROBoundarySpec, one AISpec and an ROReportSpec) from
 * {@link RoSpecSettingsSchema} settings. The ROSpec is added disabled (state 0); send ENABLE_ROSPEC
 * then, with a null start trigger, START_ROSPEC.
 */
export const buildAddRoSpec = (
  messageId: number,
  settings: RoSpecSettingsInput,
  version: number = LlrpVersion.V1_0_1,
): Result.Result<AddRoSpec, InvalidInput> => {
  const parsed = parseInput(RoSpecSettingsSchema, settings, "ROSpec settings");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const s = parsed.success;
  const r = s.report;
  const startTrigger: RoSpecStartTrigger =
    s.start.trigger === "periodic"
      ? { triggerType: 2, periodic: { offset: s.start.offsetMs, period: s.start.periodMs } }
      : { triggerType: s.start.trigger === "immediate" ? 1 : 0 };
  return Result.succeed({
    type: "ADD_ROSPEC",
    version,
    id: messageId,
    roSpec: {
      roSpecId: s.roSpecId,
      priority: s.priority,
      currentState: 0,
      boundary: {
        startTrigger,
        stopTrigger: s.stop.trigger === "duration" ? { triggerType: 1, duration: s.stop.durationMs } : { triggerType: 0, duration: 0 },
      },
      aiSpecs: [
        {
          antennaIds: s.antennaIds,
          stopTrigger: s.aiSpecStop.trigger === "duration" ? { triggerType: 1, duration: s.aiSpecStop.durationMs } : { triggerType: 0, duration: 0 },
          inventoryParameterSpecs: [{ id: 1, protocolId: 1 }],
        },
      ],
      reportSpec: {
        trigger: REPORT_TRIGGERS[r.trigger],
        n: r.n,
        contentSelector: {
          enableRoSpecId: r.roSpecId,
          enableSpecIndex: false,
          enableInventoryParameterSpecId: false,
          enableAntennaId: r.antennaId,
          enableChannelIndex: r.channelIndex,
          enablePeakRssi: r.peakRssi,
          enableFirstSeenTimestamp: r.firstSeen,
          enableLastSeenTimestamp: r.lastSeen,
          enableTagSeenCount: r.tagSeenCount,
          enableAccessSpecId: false,
        },
      },
    },
  });
};
