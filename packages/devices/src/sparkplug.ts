/**
 * Eclipse Sparkplug B 3.0: the topic namespace, the Payload protobuf (a small hand-written codec
 * for the fields a host reads: no protobuf dependency), and the session rules of one edge node as
 * a pure state machine (births, deaths, `seq` 0–255, `bdSeq`, metric aliases).
 *
 * Source: Sparkplug Specification 3.0.0 — topics §4.1 (`namespace/group_id/message_type/
 * edge_node_id/[device_id]`, `spBv1.0/STATE/sparkplug_host_id`), payload schema §6.4 (proto2
 * `org.eclipse.tahu.protobuf.Payload`), sequence numbers §6.4.19 and the NBIRTH/NDEATH bdSeq
 * rules (tck-id-payloads-nbirth-bdseq, tck-id-payloads-ndeath-bdseq).
 *
 * uint64 fields (timestamps, aliases, `seq`, `long_value`) are `bigint`, so no value is rounded.
 *
 * @module
 */
import { Data, Result } from "effect";
import { Dec } from "@jxc/core";
import { float32ToDecimal } from "./modbus-registers.js";

// ---------------------------------------------------------------------------------------------
// Topic namespace
// ---------------------------------------------------------------------------------------------

/** The namespace element of every Sparkplug B topic. */
export const SPARKPLUG_NAMESPACE = "spBv1.0";

/** Message types of an edge node's own topic (no device id). */
export const SparkplugNodeMessageTypes = ["NBIRTH", "NDEATH", "NDATA", "NCMD"] as const;
/** `NBIRTH`, `NDEATH`, `NDATA` or `NCMD`. */
export type SparkplugNodeMessageType = (typeof SparkplugNodeMessageTypes)[number];

/** Message types of a device's topic (device id required). */
export const SparkplugDeviceMessageTypes = ["DBIRTH", "DDEATH", "DDATA", "DCMD"] as const;
/** `DBIRTH`, `DDEATH`, `DDATA` or `DCMD`. */
export type SparkplugDeviceMessageType = (typeof SparkplugDeviceMessageTypes)[number];

/** A parsed Sparkplug B topic: an edge node's, a device's, or a host application's STATE topic. */
export type SparkplugTopic =
  | { readonly kind: "node"; readonly group: string; readonly type: SparkplugNodeMessageType; readonly edgeNode: string }
  | { readonly kind: "device"; readonly group: string; readonly type: SparkplugDeviceMessageType; readonly edgeNode: string; readonly device: string }
  | { readonly kind: "state"; readonly host: string };

/** A topic that is not a Sparkplug B topic, or an id that may not appear in one. */
export class SparkplugBadTopic extends Data.TaggedError("SparkplugBadTopic")<{
  readonly topic: string;
  readonly message: string;
}> {}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a group, edge node, device or host id, or `undefined` (tck-id-topic-structure-namespace-valid-*). */
const idProblem = (what: string, id: string): string | undefined => {
  if (id.length === 0) return `${what} is empty`;
  if (/[+/#]/.test(id)) return `${what} "${id}" contains a reserved character (+ / #)`;
  if (LONE_SURROGATE.test(id)) return `${what} is not valid UTF-8`;
  return undefined;
};

const isNodeType = (s: string): s is SparkplugNodeMessageType => (SparkplugNodeMessageTypes as ReadonlyArray<string>).includes(s);
const isDeviceType = (s: string): s is SparkplugDeviceMessageType => (SparkplugDeviceMessageTypes as ReadonlyArray<string>).includes(s);

/**
 * Reads a Sparkplug B topic. `spBv1.0/STATE/{host}` is the host application's state topic; every
 * other topic is `spBv1.0/{group}/{type}/{edge node}` for the node types and
 * `spBv1.0/{group}/{type}/{edge node}/{device}` for the device types.
 */
export const parseSparkplugTopic = (topic: string): Result.Result<SparkplugTopic, SparkplugBadTopic> => {
  const bad = (message: string) => Result.fail(new SparkplugBadTopic({ topic, message: `${topic}: ${message}` }));
  const parts = topic.split("/");
  if (parts[0] !== SPARKPLUG_NAMESPACE) return bad(`namespace must be ${SPARKPLUG_NAMESPACE}`);
  if (parts.length === 3 && parts[1] === "STATE") {
    const host = parts[2] ?? "";
    const problem = idProblem("host id", host);
    return problem ? bad(problem) : Result.succeed({ kind: "state", host });
  }
  const [, group = "", type = "", edgeNode = "", device] = parts;
  if (parts.length < 4 || parts.length > 5) return bad("expected spBv1.0/group/type/edge_node[/device] or spBv1.0/STATE/host");
  const problem = idProblem("group id", group) ?? idProblem("edge node id", edgeNode);
  if (problem) return bad(problem);
  if (isNodeType(type)) {
    if (device !== undefined) return bad(`${type} topics carry no device id`);
    return Result.succeed({ kind: "node", group, type, edgeNode });
  }
  if (isDeviceType(type)) {
    if (device === undefined) return bad(`${type} topics need a device id`);
    const deviceProblem = idProblem("device id", device);
    if (deviceProblem) return bad(deviceProblem);
    return Result.succeed({ kind: "device", group, type, edgeNode, device });
  }
  return bad(`unknown message type "${type}"`);
};

/** Writes a Sparkplug B topic; ids that are empty or hold `+`, `/`, `#` are refused. */
export const formatSparkplugTopic = (topic: SparkplugTopic): Result.Result<string, SparkplugBadTopic> => {
  const text =
    topic.kind === "state"
      ? `${SPARKPLUG_NAMESPACE}/STATE/${topic.host}`
      : topic.kind === "node"
        ? `${SPARKPLUG_NAMESPACE}/${topic.group}/${topic.type}/${topic.edgeNode}`
        : `${SPARKPLUG_NAMESPACE}/${topic.group}/${topic.type}/${topic.edgeNode}/${topic.device}`;
  const problem =
    topic.kind === "state"
      ? idProblem("host id", topic.host)
      : (idProblem("group id", topic.group) ??
        idProblem("edge node id", topic.edgeNode) ??
        (topic.kind === "device" ? idProblem("device id", topic.device) : undefined) ??
        (topic.kind === "node" ? (isNodeType(topic.type) ? undefined : `${topic.type} is not a node message type`) : isDeviceType(topic.type) ? undefined : `${topic.type} is not a device message type`));
  return problem ? Result.fail(new SparkplugBadTopic({ topic: text, message: `${text}: ${problem}` })) : Result.succeed(text);
};

// ---------------------------------------------------------------------------------------------
// Payload model
// ---------------------------------------------------------------------------------------------

/** The Sparkplug data types (enum `DataType`, §6.4.16), by name. */
export const SparkplugDataType = {
  Unknown: 0,
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
  DataSet: 16,
  Bytes: 17,
  File: 18,
  Template: 19,
  PropertySet: 20,
  PropertySetList: 21,
} as const;

/**
 * A metric's value: the `oneof value` of `Payload.Metric`. `int` is `int_value` (uint32: Int8,
 * Int16, Int32 travel as their two's complement), `long` is `long_value` (uint64), `float` a
 * float32, `double` a float64. DataSet (17), Template (18) and extension (19) values are not
 * decoded: they are kept as their raw bytes, so re-encoding gives them back unchanged.
 */
export type SparkplugMetricValue =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "long"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "double"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "bytes"; readonly value: Uint8Array }
  | { readonly kind: "raw"; readonly field: 17 | 18 | 19; readonly bytes: Uint8Array };

/** `Payload.MetaData` (§6.4.6): describes bytes, file and multi-part values. */
export interface SparkplugMetaData {
  readonly isMultiPart?: boolean;
  readonly contentType?: string;
  readonly size?: bigint;
  readonly seq?: bigint;
  readonly fileName?: string;
  readonly fileType?: string;
  readonly md5?: string;
  readonly description?: string;
}

/** `Payload.Metric` (§6.4.5). Absent optional fields are left out. */
export interface SparkplugMetric {
  /** Slash-delimited name; in BIRTH messages (DATA and CMD messages may send only the alias). */
  readonly name?: string;
  /** Alias tied to the name in the BIRTH. */
  readonly alias?: bigint;
  /** Milliseconds since the epoch (UTC) at which the value was acquired. */
  readonly timestamp?: bigint;
  /** A {@link SparkplugDataType} code. */
  readonly datatype?: number;
  readonly isHistorical?: boolean;
  readonly isTransient?: boolean;
  readonly isNull?: boolean;
  readonly metadata?: SparkplugMetaData;
  /** The `properties` PropertySet, kept encoded (not decoded here). */
  readonly properties?: Uint8Array;
  readonly value?: SparkplugMetricValue;
}

/** `Payload` (§6.4.4). Absent optional fields are left out; `metrics` is always present. */
export interface SparkplugPayload {
  /** Milliseconds since the epoch (UTC) at which the message was published. */
  readonly timestamp?: bigint;
  readonly metrics: ReadonlyArray<SparkplugMetric>;
  /** Sequence number 0–255; absent in NDEATH, NCMD, DCMD. */
  readonly seq?: bigint;
  readonly uuid?: string;
  readonly body?: Uint8Array;
}

/** Bytes that are not a well-formed Sparkplug B payload (bad varint, overrun, wrong wire type, bad UTF-8). */
export class SparkplugMalformedPayload extends Data.TaggedError("SparkplugMalformedPayload")<{
  /** Byte offset of the problem within the (innermost) message being read. */
  readonly offset: number;
  /** Where: `payload`, `metrics.2`, `metrics.2.metadata`. */
  readonly path: string;
  readonly message: string;
}> {}

/** A payload value that does not fit its protobuf field (an `int` above 2^32 − 1, a negative uint64…). */
export class SparkplugInvalidPayload extends Data.TaggedError("SparkplugInvalidPayload")<{
  readonly path: string;
  readonly message: string;
}> {}

// ---------------------------------------------------------------------------------------------
// Protobuf wire format (only what the Payload needs)
// ---------------------------------------------------------------------------------------------

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;
const UINT64_MAX = (1n << 64n) - 1n;

const utf8Encoder = new TextEncoder();

/** An append-only byte buffer for one message. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  varint(value: bigint): void {
    let v = value;
    while (v > 0x7fn) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  uint(field: number, value: bigint | number): void {
    this.tag(field, VARINT);
    this.varint(BigInt(value));
  }

  bool(field: number, value: boolean): void {
    this.tag(field, VARINT);
    this.bytes.push(value ? 1 : 0);
  }

  bytesField(field: number, value: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(BigInt(value.length));
    for (const b of value) this.bytes.push(b);
  }

  string(field: number, value: string): void {
    this.bytesField(field, utf8Encoder.encode(value));
  }

  float(field: number, value: number): void {
    this.tag(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.bytes.push(x);
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    for (const x of b) this.bytes.push(x);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** One field as read off the wire. */
type WireField =
  | { readonly field: number; readonly wireType: 0; readonly varint: bigint; readonly offset: number }
  | { readonly field: number; readonly wireType: 1 | 5; readonly fixed: Uint8Array; readonly offset: number }
  | { readonly field: number; readonly wireType: 2; readonly bytes: Uint8Array; readonly offset: number };

/** Thrown only inside this module and turned into a {@link SparkplugMalformedPayload} at the boundary. */
class WireProblem {
  constructor(
    readonly offset: number,
    readonly path: string,
    readonly message: string,
  ) {}
}

const readVarint = (bytes: Uint8Array, at: number, path: string): [bigint, number] => {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    const b = bytes[at + i];
    if (b === undefined) throw new WireProblem(at, path, "varint runs past the end");
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      if (result > UINT64_MAX) throw new WireProblem(at, path, "varint exceeds 64 bits");
      return [result, at + i + 1];
    }
    shift += 7n;
  }
  throw new WireProblem(at, path, "varint longer than 10 bytes");
};

/** Splits one message into its fields, in wire order. */
const readFields = (bytes: Uint8Array, path: string): WireField[] => {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const offset = at;
    const [key, next] = readVarint(bytes, at, path);
    at = next;
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0 || key >> 3n > 0x1fffffffn) throw new WireProblem(offset, path, `invalid field number ${key >> 3n}`);
    switch (wireType) {
      case VARINT: {
        const [varint, after] = readVarint(bytes, at, path);
        at = after;
        fields.push({ field, wireType, varint, offset });
        break;
      }
      case FIXED64:
      case FIXED32: {
        const size = wireType === FIXED64 ? 8 : 4;
        if (at + size > bytes.length) throw new WireProblem(offset, path, `field ${field}: fixed${size * 8} runs past the end`);
        fields.push({ field, wireType, fixed: bytes.slice(at, at + size), offset });
        at += size;
        break;
      }
      case LENGTH_DELIMITED: {
        const [length, after] = readVarint(bytes, at, path);
        if (BigInt(after) + length > BigInt(bytes.length)) throw new WireProblem(offset, path, `field ${field}: length ${length} runs past the end`);
        at = after + Number(length);
        fields.push({ field, wireType, bytes: bytes.slice(after, at), offset });
        break;
      }
      default:
        throw new WireProblem(offset, path, `field ${field}: unsupported wire type ${wireType}`);
    }
  }
  return fields;
};

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

const asVarint = (f: WireField, path: string, name: string): bigint => {
  if (f.wireType !== VARINT) throw new WireProblem(f.offset, path, `${name} (field ${f.field}) must be a varint, got wire type ${f.wireType}`);
  return f.varint;
};
const asBytes = (f: WireField, path: string, name: string): Uint8Array => {
  if (f.wireType !== LENGTH_DELIMITED) throw new WireProblem(f.offset, path, `${name} (field ${f.field}) must be length-delimited, got wire type ${f.wireType}`);
  return f.bytes;
};
const asString = (f: WireField, path: string, name: string): string => {
  const bytes = asBytes(f, path, name);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new WireProblem(f.offset, path, `${name} (field ${f.field}) is not valid UTF-8`);
  }
};
const asFixed = (f: WireField, size: 4 | 8, path: string, name: string): DataView => {
  if (f.wireType !== (size === 4 ? FIXED32 : FIXED64)) throw new WireProblem(f.offset, path, `${name} (field ${f.field}) must be fixed${size * 8}, got wire type ${f.wireType}`);
  return new DataView(f.fixed.buffer, f.fixed.byteOffset, f.fixed.byteLength);
};

// ---------------------------------------------------------------------------------------------
// Payload codec
// ---------------------------------------------------------------------------------------------

/** Mutable twin of a readonly record, used only while a decoder fills it. */
type Building<T> = { -readonly [K in keyof T]: T[K] };

const decodeMetaData = (bytes: Uint8Array, path: string): SparkplugMetaData => {
  const m: Building<SparkplugMetaData> = {};
  for (const f of readFields(bytes, path)) {
    switch (f.field) {
      case 1:
        m.isMultiPart = asVarint(f, path, "is_multi_part") !== 0n;
        break;
      case 2:
        m.contentType = asString(f, path, "content_type");
        break;
      case 3:
        m.size = asVarint(f, path, "size");
        break;
      case 4:
        m.seq = asVarint(f, path, "seq");
        break;
      case 5:
        m.fileName = asString(f, path, "file_name");
        break;
      case 6:
        m.fileType = asString(f, path, "file_type");
        break;
      case 7:
        m.md5 = asString(f, path, "md5");
        break;
      case 8:
        m.description = asString(f, path, "description");
        break;
      default:
        break; // extensions 9 to max: skipped
    }
  }
  return m;
};

const decodeMetric = (bytes: Uint8Array, path: string): SparkplugMetric => {
  const m: Building<SparkplugMetric> = {};
  for (const f of readFields(bytes, path)) {
    switch (f.field) {
      case 1:
        m.name = asString(f, path, "name");
        break;
      case 2:
        m.alias = asVarint(f, path, "alias");
        break;
      case 3:
        m.timestamp = asVarint(f, path, "timestamp");
        break;
      case 4:
        m.datatype = Number(asVarint(f, path, "datatype") & 0xffffffffn);
        break;
      case 5:
        m.isHistorical = asVarint(f, path, "is_historical") !== 0n;
        break;
      case 6:
        m.isTransient = asVarint(f, path, "is_transient") !== 0n;
        break;
      case 7:
        m.isNull = asVarint(f, path, "is_null") !== 0n;
        break;
      case 8:
        m.metadata = decodeMetaData(asBytes(f, path, "metadata"), `${path}.metadata`);
        break;
      case 9:
        m.properties = asBytes(f, path, "properties");
        break;
      case 10:
        m.value = { kind: "int", value: Number(asVarint(f, path, "int_value") & 0xffffffffn) };
        break;
      case 11:
        m.value = { kind: "long", value: asVarint(f, path, "long_value") };
        break;
      case 12:
        m.value = { kind: "float", value: asFixed(f, 4, path, "float_value").getFloat32(0, true) };
        break;
      case 13:
        m.value = { kind: "double", value: asFixed(f, 8, path, "double_value").getFloat64(0, true) };
        break;
      case 14:
        m.value = { kind: "boolean", value: asVarint(f, path, "boolean_value") !== 0n };
        break;
      case 15:
        m.value = { kind: "string", value: asString(f, path, "string_value") };
        break;
      case 16:
        m.value = { kind: "bytes", value: asBytes(f, path, "bytes_value") };
        break;
      case 17:
      case 18:
      case 19:
        m.value = { kind: "raw", field: f.field, bytes: asBytes(f, path, f.field === 17 ? "dataset_value" : f.field === 18 ? "template_value" : "extension_value") };
        break;
      default:
        break; // unknown fields: skipped
    }
  }
  return m;
};

/**
 * Decodes a Sparkplug B payload. Fields of the schema outside the ones modelled here (Payload
 * extensions 6+, unknown Metric fields) are skipped; a known field with the wrong wire type, a
 * truncated field or invalid UTF-8 is a {@link SparkplugMalformedPayload}. When a field repeats,
 * the last occurrence wins (protobuf semantics for optional fields and `oneof`).
 */
export const decodeSparkplugPayload = (bytes: Uint8Array): Result.Result<SparkplugPayload, SparkplugMalformedPayload> => {
  try {
    const p: Building<Omit<SparkplugPayload, "metrics">> = {};
    const metrics: SparkplugMetric[] = [];
    for (const f of readFields(bytes, "payload")) {
      switch (f.field) {
        case 1:
          p.timestamp = asVarint(f, "payload", "timestamp");
          break;
        case 2:
          metrics.push(decodeMetric(asBytes(f, "payload", "metrics"), `metrics.${metrics.length}`));
          break;
        case 3:
          p.seq = asVarint(f, "payload", "seq");
          break;
        case 4:
          p.uuid = asString(f, "payload", "uuid");
          break;
        case 5:
          p.body = asBytes(f, "payload", "body");
          break;
        default:
          break; // extensions 6 to max: skipped
      }
    }
    return Result.succeed({ ...(p.timestamp !== undefined ? { timestamp: p.timestamp } : {}), metrics, ...(p.seq !== undefined ? { seq: p.seq } : {}), ...(p.uuid !== undefined ? { uuid: p.uuid } : {}), ...(p.body !== undefined ? { body: p.body } : {}) });
  } catch (problem) {
    if (problem instanceof WireProblem) {
      return Result.fail(new SparkplugMalformedPayload({ offset: problem.offset, path: problem.path, message: `${problem.path}: ${problem.message} (byte ${problem.offset})` }));
    }
    throw problem;
  }
};

const checkUint = (path: string, value: bigint | number, max: bigint): SparkplugInvalidPayload | undefined => {
  const ok = typeof value === "bigint" ? value >= 0n && value <= max : Number.isSafeInteger(value) && value >= 0 && BigInt(value) <= max;
  return ok ? undefined : new SparkplugInvalidPayload({ path, message: `${path}: ${value} is not an integer in 0–${max}` });
};

const encodeMetaData = (m: SparkplugMetaData, path: string): Result.Result<Uint8Array, SparkplugInvalidPayload> => {
  const bad = (m.size !== undefined ? checkUint(`${path}.size`, m.size, UINT64_MAX) : undefined) ?? (m.seq !== undefined ? checkUint(`${path}.seq`, m.seq, UINT64_MAX) : undefined);
  if (bad) return Result.fail(bad);
  const w = new ProtoWriter();
  if (m.isMultiPart !== undefined) w.bool(1, m.isMultiPart);
  if (m.contentType !== undefined) w.string(2, m.contentType);
  if (m.size !== undefined) w.uint(3, m.size);
  if (m.seq !== undefined) w.uint(4, m.seq);
  if (m.fileName !== undefined) w.string(5, m.fileName);
  if (m.fileType !== undefined) w.string(6, m.fileType);
  if (m.md5 !== undefined) w.string(7, m.md5);
  if (m.description !== undefined) w.string(8, m.description);
  return Result.succeed(w.finish());
};

const encodeMetric = (m: SparkplugMetric, path: string): Result.Result<Uint8Array, SparkplugInvalidPayload> => {
  const bad =
    (m.alias !== undefined ? checkUint(`${path}.alias`, m.alias, UINT64_MAX) : undefined) ??
    (m.timestamp !== undefined ? checkUint(`${path}.timestamp`, m.timestamp, UINT64_MAX) : undefined) ??
    (m.datatype !== undefined ? checkUint(`${path}.datatype`, m.datatype, 0xffffffffn) : undefined) ??
    (m.value?.kind === "int" ? checkUint(`${path}.value`, m.value.value, 0xffffffffn) : undefined) ??
    (m.value?.kind === "long" ? checkUint(`${path}.value`, m.value.value, UINT64_MAX) : undefined);
  if (bad) return Result.fail(bad);
  const w = new ProtoWriter();
  if (m.name !== undefined) w.string(1, m.name);
  if (m.alias !== undefined) w.uint(2, m.alias);
  if (m.timestamp !== undefined) w.uint(3, m.timestamp);
  if (m.datatype !== undefined) w.uint(4, m.datatype);
  if (m.isHistorical !== undefined) w.bool(5, m.isHistorical);
  if (m.isTransient !== undefined) w.bool(6, m.isTransient);
  if (m.isNull !== undefined) w.bool(7, m.isNull);
  if (m.metadata !== undefined) {
    const meta = encodeMetaData(m.metadata, `${path}.metadata`);
    if (Result.isFailure(meta)) return Result.fail(meta.failure);
    w.bytesField(8, meta.success);
  }
  if (m.properties !== undefined) w.bytesField(9, m.properties);
  const v = m.value;
  if (v !== undefined) {
    switch (v.kind) {
      case "int":
        w.uint(10, v.value);
        break;
      case "long":
        w.uint(11, v.value);
        break;
      case "float":
        w.float(12, v.value);
        break;
      case "double":
        w.double(13, v.value);
        break;
      case "boolean":
        w.bool(14, v.value);
        break;
      case "string":
        w.string(15, v.value);
        break;
      case "bytes":
        w.bytesField(16, v.value);
        break;
      case "raw":
        w.bytesField(v.field, v.bytes);
        break;
    }
  }
  return Result.succeed(w.finish());
};

/**
 * Encodes a Sparkplug B payload, fields in field-number order (as protobuf encoders write them).
 * Values that do not fit their field are refused with {@link SparkplugInvalidPayload}.
 */
export const encodeSparkplugPayload = (payload: SparkplugPayload): Result.Result<Uint8Array, SparkplugInvalidPayload> => {
  const bad = (payload.timestamp !== undefined ? checkUint("timestamp", payload.timestamp, UINT64_MAX) : undefined) ?? (payload.seq !== undefined ? checkUint("seq", payload.seq, UINT64_MAX) : undefined);
  if (bad) return Result.fail(bad);
  const w = new ProtoWriter();
  if (payload.timestamp !== undefined) w.uint(1, payload.timestamp);
  for (let i = 0; i < payload.metrics.length; i++) {
    const metric = payload.metrics[i];
    if (metric === undefined) continue;
    const encoded = encodeMetric(metric, `metrics.${i}`);
    if (Result.isFailure(encoded)) return Result.fail(encoded.failure);
    w.bytesField(2, encoded.success);
  }
  if (payload.seq !== undefined) w.uint(3, payload.seq);
  if (payload.uuid !== undefined) w.string(4, payload.uuid);
  if (payload.body !== undefined) w.bytesField(5, payload.body);
  return Result.succeed(w.finish());
};

// ---------------------------------------------------------------------------------------------
// Metric values as decimals
// ---------------------------------------------------------------------------------------------

/** A metric whose value is not a number (null, boolean, string, bytes, dataset…). */
export class SparkplugNotNumeric extends Data.TaggedError("SparkplugNotNumeric")<{
  readonly metric: string;
  readonly message: string;
}> {}

const SIGNED_WIDTH: Partial<Record<number, number>> = { 1: 8, 2: 16, 3: 32, 4: 64 };

/**
 * The numeric value of a metric as an exact decimal, read by its datatype: Int8/Int16/Int32 are
 * sign-extended from their width (so both `0xFF` and `0xFFFFFFFF` are −1 for an Int8), Int64 from
 * 64 bits, unsigned types and DateTime as they are, Float as the shortest decimal that reads back
 * as the same float32, Double as the shortest that reads back as the same float64.
 */
export const sparkplugMetricDecimal = (metric: SparkplugMetric, datatype: number | undefined = metric.datatype): Result.Result<Dec, SparkplugNotNumeric> => {
  const label = metric.name ?? (metric.alias !== undefined ? `alias ${metric.alias}` : "metric");
  const notNumeric = (why: string) => Result.fail(new SparkplugNotNumeric({ metric: label, message: `${label}: ${why}` }));
  const v = metric.value;
  if (metric.isNull === true || v === undefined) return notNumeric("has no value");
  const width = datatype === undefined ? undefined : SIGNED_WIDTH[datatype];
  switch (v.kind) {
    case "int":
      return Result.succeed(new Dec(width !== undefined ? BigInt.asIntN(width, BigInt(v.value)).toString() : String(v.value)));
    case "long":
      return Result.succeed(new Dec(width !== undefined ? BigInt.asIntN(width, v.value).toString() : v.value.toString()));
    case "float": {
      const d = float32ToDecimal(v.value);
      return d === undefined ? notNumeric("float is NaN or infinite") : Result.succeed(d);
    }
    case "double":
      return Number.isFinite(v.value) ? Result.succeed(new Dec(String(v.value))) : notNumeric("double is NaN or infinite");
    default:
      return notNumeric(`value is ${v.kind}`);
  }
};

// ---------------------------------------------------------------------------------------------
// Session rules of one edge node
// ---------------------------------------------------------------------------------------------

/** A metric as its BIRTH defined it. */
export interface SparkplugMetricDefinition {
  readonly name: string;
  readonly alias: bigint | undefined;
  readonly datatype: number | undefined;
}

/** What a host knows of one device of the edge node. */
export interface SparkplugDeviceSession {
  /** Born (DBIRTH) and not dead (DDEATH, NDEATH, a new NBIRTH) since. */
  readonly online: boolean;
  /** The metrics of its last DBIRTH, by name. */
  readonly metrics: ReadonlyMap<string, SparkplugMetricDefinition>;
}

/** What a host knows of one edge node's Sparkplug session; immutable, replaced on every step. */
export interface SparkplugNodeSession {
  readonly group: string;
  readonly edgeNode: string;
  /** `online` between a valid NBIRTH and the NDEATH with its bdSeq. */
  readonly status: "offline" | "online";
  /** bdSeq of the last valid NBIRTH. */
  readonly bdSeq: bigint | undefined;
  /** `seq` of the last message accepted in sequence (0–255). */
  readonly seq: number | undefined;
  /**
   * Set when the host lost track (a sequence gap, a DATA before BIRTH, a bad BIRTH, an unknown
   * metric): it should send `Node Control/Rebirth` (NCMD). Cleared by the next valid NBIRTH.
   */
  readonly needsRebirth: boolean;
  /** The metrics of the last NBIRTH, by name. */
  readonly metrics: ReadonlyMap<string, SparkplugMetricDefinition>;
  /** The devices seen, by device id. */
  readonly devices: ReadonlyMap<string, SparkplugDeviceSession>;
}

/** The session of an edge node nothing has been heard from yet. */
export const initialSparkplugSession = (group: string, edgeNode: string): SparkplugNodeSession => ({
  group,
  edgeNode,
  status: "offline",
  bdSeq: undefined,
  seq: undefined,
  needsRebirth: false,
  metrics: new Map(),
  devices: new Map(),
});

/** A DATA/DEATH/DBIRTH/CMD for an edge node or device that has no valid BIRTH in force. */
export class SparkplugNotBorn extends Data.TaggedError("SparkplugNotBorn")<{
  readonly type: string;
  /** The device, for device messages. */
  readonly device: string | undefined;
  readonly message: string;
}> {}

/** A `seq` that is not the previous one + 1 (mod 256), or missing where required. */
export class SparkplugSequenceGap extends Data.TaggedError("SparkplugSequenceGap")<{
  readonly type: string;
  readonly expected: number;
  /** The `seq` received; `undefined` when the payload had none. */
  readonly received: bigint | undefined;
  readonly message: string;
}> {}

/** An NBIRTH or DBIRTH that breaks the rules: seq ≠ 0, no bdSeq metric, a metric without name, a duplicate alias or name. */
export class SparkplugBadBirth extends Data.TaggedError("SparkplugBadBirth")<{
  readonly type: "NBIRTH" | "DBIRTH";
  readonly device: string | undefined;
  readonly reason: string;
  readonly message: string;
}> {}

/** An NDEATH whose bdSeq is not the one of the NBIRTH in force (a death of an older session): ignored. */
export class SparkplugBdSeqMismatch extends Data.TaggedError("SparkplugBdSeqMismatch")<{
  readonly expected: bigint | undefined;
  readonly received: bigint | undefined;
  readonly message: string;
}> {}

/** A DATA or CMD metric whose alias or name its BIRTH did not define. */
export class SparkplugUnknownMetric extends Data.TaggedError("SparkplugUnknownMetric")<{
  readonly device: string | undefined;
  readonly alias: bigint | undefined;
  readonly name: string | undefined;
  readonly message: string;
}> {}

/** Every rule a message can break. */
export type SparkplugSessionError =
  | SparkplugBadTopic
  | SparkplugNotBorn
  | SparkplugSequenceGap
  | SparkplugBadBirth
  | SparkplugBdSeqMismatch
  | SparkplugUnknownMetric;

/** A metric of a message with its name and datatype resolved from the BIRTH (aliases replaced by names). */
export type SparkplugResolvedMetric = SparkplugMetric & { readonly name: string; readonly datatype: number | undefined };

/** What an accepted message means. */
export type SparkplugSessionEvent =
  | { readonly kind: "node-birth"; readonly bdSeq: bigint; readonly metrics: ReadonlyArray<SparkplugResolvedMetric> }
  | { readonly kind: "node-death"; readonly bdSeq: bigint }
  | { readonly kind: "node-data"; readonly metrics: ReadonlyArray<SparkplugResolvedMetric> }
  | { readonly kind: "node-command"; readonly metrics: ReadonlyArray<SparkplugResolvedMetric> }
  | { readonly kind: "device-birth"; readonly device: string; readonly metrics: ReadonlyArray<SparkplugResolvedMetric> }
  | { readonly kind: "device-death"; readonly device: string }
  | { readonly kind: "device-data"; readonly device: string; readonly metrics: ReadonlyArray<SparkplugResolvedMetric> }
  | { readonly kind: "device-command"; readonly device: string; readonly metrics: ReadonlyArray<SparkplugResolvedMetric> };

/**
 * One step of the session: the session after the message (always — a refused message can still
 * change it, e.g. set `needsRebirth` or resynchronise `seq`) and what the message meant, or the
 * rule it broke.
 */
export interface SparkplugSessionStep {
  readonly session: SparkplugNodeSession;
  readonly result: Result.Result<SparkplugSessionEvent, SparkplugSessionError>;
}

/** The name of the bdSeq metric in NBIRTH and NDEATH. */
export const BDSEQ_METRIC = "bdSeq";

const bdSeqOf = (payload: SparkplugPayload): bigint | undefined => {
  const metric = payload.metrics.find((m) => m.name === BDSEQ_METRIC);
  const v = metric?.value;
  return v?.kind === "long" ? v.value : v?.kind === "int" ? BigInt(v.value) : undefined;
};

/** Definitions of a BIRTH's metrics, or why the BIRTH is bad. Aliases must be unique across the whole edge node. */
const definitionsOf = (
  metrics: ReadonlyArray<SparkplugMetric>,
  aliasesElsewhere: ReadonlySet<bigint>,
): { readonly defs: Map<string, SparkplugMetricDefinition> } | { readonly reason: string } => {
  const defs = new Map<string, SparkplugMetricDefinition>();
  const aliases = new Set<bigint>();
  for (const [i, m] of metrics.entries()) {
    if (m.name === undefined || m.name.length === 0) return { reason: `metric ${i} has no name` };
    if (defs.has(m.name)) return { reason: `metric name ${m.name} appears twice` };
    if (m.alias !== undefined) {
      if (aliases.has(m.alias) || aliasesElsewhere.has(m.alias)) return { reason: `alias ${m.alias} of ${m.name} is not unique across the edge node` };
      aliases.add(m.alias);
    }
    defs.set(m.name, { name: m.name, alias: m.alias, datatype: m.datatype });
  }
  return { defs };
};

const aliasesIn = (metrics: ReadonlyMap<string, SparkplugMetricDefinition>, into: Set<bigint>): Set<bigint> => {
  for (const d of metrics.values()) if (d.alias !== undefined) into.add(d.alias);
  return into;
};

const resolveMetrics = (
  metrics: ReadonlyArray<SparkplugMetric>,
  defs: ReadonlyMap<string, SparkplugMetricDefinition>,
  device: string | undefined,
): Result.Result<SparkplugResolvedMetric[], SparkplugUnknownMetric> => {
  const byAlias = new Map<bigint, SparkplugMetricDefinition>();
  for (const d of defs.values()) if (d.alias !== undefined) byAlias.set(d.alias, d);
  const resolved: SparkplugResolvedMetric[] = [];
  for (const m of metrics) {
    const def = m.alias !== undefined ? byAlias.get(m.alias) : m.name !== undefined ? defs.get(m.name) : undefined;
    if (def === undefined || (m.name !== undefined && m.name !== def.name)) {
      const what = m.alias !== undefined ? `alias ${m.alias}` : m.name !== undefined ? `metric ${m.name}` : "a metric with neither name nor alias";
      return Result.fail(new SparkplugUnknownMetric({ device, alias: m.alias, name: m.name, message: `${what} was not defined by the ${device === undefined ? "NBIRTH" : `DBIRTH of ${device}`}` }));
    }
    resolved.push({ ...m, name: def.name, datatype: m.datatype ?? def.datatype });
  }
  return Result.succeed(resolved);
};

/**
 * Applies one message of an edge node (or one of its devices) to what the host knows of that
 * node, by the rules of Sparkplug B 3.0:
 *
 * - NBIRTH must carry `seq` 0 and a `bdSeq` metric; it starts a new session (every device is
 *   offline again until its DBIRTH) and clears `needsRebirth`.
 * - DBIRTH, NDATA, DDATA and DDEATH need the node born (else {@link SparkplugNotBorn}), DDATA and
 *   DDEATH their device born too, and their `seq` must be the previous + 1 mod 256 (else
 *   {@link SparkplugSequenceGap}: the message is not applied, `seq` resynchronises to it, and
 *   `needsRebirth` is set).
 * - NDEATH carries no `seq`; it ends the session only if its `bdSeq` is the NBIRTH's (else
 *   {@link SparkplugBdSeqMismatch}, ignored: the death of an older session).
 * - Metrics of DATA and CMD messages are resolved by alias (or name) against their BIRTH; one
 *   unknown metric refuses the message ({@link SparkplugUnknownMetric}) but its `seq` still counts.
 * - NCMD and DCMD come from a host and are outside the node's sequence; they change nothing.
 *
 * Not checked here: MQTT QoS/retain flags, timestamps, and the `Node Control/Rebirth` metric of
 * an NBIRTH.
 */
export const stepSparkplugSession = (session: SparkplugNodeSession, topic: SparkplugTopic, payload: SparkplugPayload): SparkplugSessionStep => {
  const refuse = (error: SparkplugSessionError, next: SparkplugNodeSession = session): SparkplugSessionStep => ({ session: next, result: Result.fail(error) });
  const accept = (event: SparkplugSessionEvent, next: SparkplugNodeSession): SparkplugSessionStep => ({ session: next, result: Result.succeed(event) });
  const lost = { ...session, needsRebirth: true };

  if (topic.kind === "state" || topic.group !== session.group || topic.edgeNode !== session.edgeNode) {
    const where = topic.kind === "state" ? `STATE/${topic.host}` : `${topic.group}/${topic.edgeNode}`;
    return refuse(new SparkplugBadTopic({ topic: where, message: `${where}: not a message of edge node ${session.group}/${session.edgeNode}` }));
  }
  const device = topic.kind === "device" ? topic.device : undefined;

  if (topic.type === "NBIRTH") {
    const badBirth = (reason: string) =>
      refuse(new SparkplugBadBirth({ type: "NBIRTH", device: undefined, reason, message: `NBIRTH of ${session.group}/${session.edgeNode}: ${reason}` }), {
        ...initialSparkplugSession(session.group, session.edgeNode),
        bdSeq: session.bdSeq,
        needsRebirth: true,
      });
    if (payload.seq !== 0n) return badBirth(payload.seq === undefined ? "no seq (must be 0)" : `seq ${payload.seq} (must be 0)`);
    const bdSeq = bdSeqOf(payload);
    if (bdSeq === undefined) return badBirth("no bdSeq metric");
    const defs = definitionsOf(payload.metrics, new Set());
    if ("reason" in defs) return badBirth(defs.reason);
    const metrics = payload.metrics.map((m) => ({ ...m, name: m.name ?? "", datatype: m.datatype }));
    const devices = new Map<string, SparkplugDeviceSession>();
    for (const [id, d] of session.devices) devices.set(id, { ...d, online: false });
    return accept({ kind: "node-birth", bdSeq, metrics }, { ...session, status: "online", bdSeq, seq: 0, needsRebirth: false, metrics: defs.defs, devices });
  }

  if (topic.type === "NDEATH") {
    if (session.status !== "online") {
      return refuse(new SparkplugNotBorn({ type: "NDEATH", device: undefined, message: `NDEATH of ${session.group}/${session.edgeNode}, which is not online` }));
    }
    const bdSeq = bdSeqOf(payload);
    if (bdSeq === undefined || bdSeq !== session.bdSeq) {
      return refuse(
        new SparkplugBdSeqMismatch({ expected: session.bdSeq, received: bdSeq, message: `NDEATH bdSeq ${bdSeq ?? "missing"} does not match the NBIRTH's ${session.bdSeq}: ignored` }),
      );
    }
    const devices = new Map<string, SparkplugDeviceSession>();
    for (const [id, d] of session.devices) devices.set(id, { ...d, online: false });
    return accept({ kind: "node-death", bdSeq }, { ...session, status: "offline", seq: undefined, needsRebirth: false, devices });
  }

  if (session.status !== "online") {
    return refuse(
      new SparkplugNotBorn({ type: topic.type, device, message: `${topic.type} from ${session.group}/${session.edgeNode}${device ? `/${device}` : ""} before its NBIRTH` }),
      topic.type === "NCMD" || topic.type === "DCMD" ? session : lost,
    );
  }

  if (topic.type === "NCMD" || topic.type === "DCMD") {
    const d = device === undefined ? undefined : session.devices.get(device);
    if (device !== undefined && d?.online !== true) {
      return refuse(new SparkplugNotBorn({ type: topic.type, device, message: `DCMD to device ${device}, which is not online` }));
    }
    const resolved = resolveMetrics(payload.metrics, d?.metrics ?? session.metrics, device);
    if (Result.isFailure(resolved)) return refuse(resolved.failure);
    return accept(device === undefined ? { kind: "node-command", metrics: resolved.success } : { kind: "device-command", device, metrics: resolved.success }, session);
  }

  // DBIRTH, NDATA, DDATA, DDEATH: in the node's sequence.
  const expected = ((session.seq ?? 0) + 1) % 256;
  if (payload.seq === undefined || payload.seq !== BigInt(expected)) {
    const resync = payload.seq !== undefined && payload.seq >= 0n && payload.seq <= 255n ? Number(payload.seq) : session.seq;
    return refuse(
      new SparkplugSequenceGap({ type: topic.type, expected, received: payload.seq, message: `${topic.type}: seq ${payload.seq ?? "missing"}, expected ${expected}` }),
      { ...lost, seq: resync },
    );
  }
  const inSequence: SparkplugNodeSession = { ...session, seq: expected };

  if (topic.type === "NDATA") {
    const resolved = resolveMetrics(payload.metrics, session.metrics, undefined);
    if (Result.isFailure(resolved)) return refuse(resolved.failure, { ...inSequence, needsRebirth: true });
    return accept({ kind: "node-data", metrics: resolved.success }, inSequence);
  }

  // Device messages.
  const id = device ?? "";
  if (topic.type === "DBIRTH") {
    const others = aliasesIn(session.metrics, new Set());
    for (const [other, d] of session.devices) if (other !== id) aliasesIn(d.metrics, others);
    const defs = definitionsOf(payload.metrics, others);
    if ("reason" in defs) {
      return refuse(new SparkplugBadBirth({ type: "DBIRTH", device: id, reason: defs.reason, message: `DBIRTH of ${id}: ${defs.reason}` }), { ...inSequence, needsRebirth: true });
    }
    const devices = new Map(session.devices);
    devices.set(id, { online: true, metrics: defs.defs });
    const metrics = payload.metrics.map((m) => ({ ...m, name: m.name ?? "", datatype: m.datatype }));
    return accept({ kind: "device-birth", device: id, metrics }, { ...inSequence, devices });
  }

  const known = session.devices.get(id);
  if (known?.online !== true) {
    return refuse(new SparkplugNotBorn({ type: topic.type, device: id, message: `${topic.type} from device ${id} before its DBIRTH` }), { ...inSequence, needsRebirth: true });
  }
  if (topic.type === "DDEATH") {
    const devices = new Map(session.devices);
    devices.set(id, { ...known, online: false });
    return accept({ kind: "device-death", device: id }, { ...inSequence, devices });
  }
  const resolved = resolveMetrics(payload.metrics, known.metrics, id);
  if (Result.isFailure(resolved)) return refuse(resolved.failure, { ...inSequence, needsRebirth: true });
  return accept({ kind: "device-data", device: id, metrics: resolved.success }, inSequence);
};
