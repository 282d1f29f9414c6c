/**
 * The messages replicas exchange, as zod schemas (protocol version {@link PROTOCOL_VERSION}).
 * Quantities travel as scaled integer units; the frame says the scale.
 *
 * - `hello`: a replica (re)connected with a new epoch; says its role and state version.
 * - `summary`: every N seconds (default 30): the highest version of the peer's state this
 *   replica has applied without gaps (`acked`), its own version, and its state digest.
 * - `delta`: the changes after version `from` up to `to` (see `SyncState.deltaSince`).
 * - `ack`: the receiver has applied the sender's changes up to `upTo` without gaps.
 * - `rights-request` / `rights-grant`: an edge asks the center for rights on a counter; the
 *   center answers with what it gave (the transfer itself travels in a delta).
 * - `op-request`: an operation that needs the center's approval (pending until decided).
 * - `decision`: the center approved or rejected a pending operation.
 *
 * @module
 */
import { z } from "zod";
import { DocumentStatusSchema } from "../crdt/status.js";

/** The version of the protocol this package speaks. */
export const PROTOCOL_VERSION = 1;

const Id = z.string().min(1).max(256);
const Units = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Version = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A hybrid logical clock timestamp on the wire. */
export const HlcSchema = z.object({
  wall: z.number().int().nonnegative().max(2 ** 48 - 1),
  logical: z.number().int().nonnegative().max(0xffff),
  node: z.string().max(256),
});

/** A JSON value. */
export const JsonValueSchema: z.ZodType<import("../crdt/lww.js").JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

/** One counter's entries in a delta. */
export const CellDeltaSchema = z.object({
  item: Id,
  position: Id,
  lot: Id.optional(),
  inc: z.array(z.tuple([Id, Units])),
  dec: z.array(z.tuple([Id, Units])),
  xfer: z.array(z.tuple([Id, Id, Units])),
});

/** One register write in a delta. */
export const LwwEntrySchema = z.object({ table: Id, key: Id, value: JsonValueSchema, hlc: HlcSchema });

/** One document status in a delta. */
export const StatusEntrySchema = z.object({ doc: Id, status: DocumentStatusSchema, by: Id });

/** The role of a replica. */
export const RoleSchema = z.enum(["center", "edge"]);

/** `hello`: a replica (re)connected. */
export const HelloSchema = z.object({ kind: z.literal("hello"), role: RoleSchema, version: Version });
/** `summary`: the periodic version summary. */
export const SummarySchema = z.object({ kind: z.literal("summary"), acked: Version, version: Version, digest: z.string().max(64) });
/** `delta`: changes after `from` up to `to`. */
export const DeltaSchema = z.object({
  kind: z.literal("delta"),
  from: Version,
  to: Version,
  complete: z.boolean(),
  cells: z.array(CellDeltaSchema),
  registers: z.array(LwwEntrySchema),
  statuses: z.array(StatusEntrySchema),
});
/** `ack`: changes applied up to `upTo`. */
export const AckSchema = z.object({ kind: z.literal("ack"), upTo: Version });
/** `rights-request`: an edge asks for rights on a counter. */
export const RightsRequestSchema = z.object({
  kind: z.literal("rights-request"),
  request: Id,
  item: Id,
  position: Id,
  lot: Id.optional(),
  units: Units,
});
/** `rights-grant`: what the center gave for a request (0 when it had none to give). */
export const RightsGrantSchema = z.object({
  kind: z.literal("rights-grant"),
  request: Id,
  item: Id,
  position: Id,
  lot: Id.optional(),
  units: Units,
});
/** `op-request`: an operation waiting for the center's approval; `operation` is its JSON text. */
export const OpRequestSchema = z.object({ kind: z.literal("op-request"), op: Id, operation: z.string().max(65536), reason: z.enum(["policy", "rights"]) });
/** `decision`: the center's approval or rejection of a pending operation. */
export const DecisionSchema = z.object({ kind: z.literal("decision"), op: Id, decision: z.enum(["approved", "rejected"]), reason: z.string().max(500).optional() });

/** Any message. */
export const MessageSchema = z.discriminatedUnion("kind", [
  HelloSchema,
  SummarySchema,
  DeltaSchema,
  AckSchema,
  RightsRequestSchema,
  RightsGrantSchema,
  OpRequestSchema,
  DecisionSchema,
]);
/** A message. */
export type Message = z.output<typeof MessageSchema>;
/** A `delta` message. */
export type DeltaMessage = z.output<typeof DeltaSchema>;

/**
 * A frame: messages from one replica to another, with the sender's connection epoch (birth /
 * death sequence à la Sparkplug B `bdSeq`: a new epoch per (re)connection or restart) and a
 * 64-bit sequence number per (sender, receiver, epoch), so every frame is applied exactly once.
 */
export const FrameSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  sender: Id,
  to: Id,
  epoch: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  seq: z.bigint().min(1n).max(2n ** 64n - 1n),
  hlc: HlcSchema,
  scale: z.number().int().min(0).max(6),
  messages: z.array(MessageSchema),
});
/** A frame. */
export type Frame = z.output<typeof FrameSchema>;

const isWireId = (v: unknown): boolean => typeof v === "string" && v.length >= 1 && v.length <= 256;
const isUnits = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Whether a value is a valid counter of a delta (what {@link CellDeltaSchema} accepts), checked without copying it. */
export const isCellDelta = (v: unknown): boolean => {
  if (typeof v !== "object" || v === null) return false;
  const c = v as Record<string, unknown>;
  if (!isWireId(c.item) || !isWireId(c.position) || (c.lot !== undefined && !isWireId(c.lot))) return false;
  if (!Array.isArray(c.inc) || !Array.isArray(c.dec) || !Array.isArray(c.xfer)) return false;
  for (const row of c.inc) if (!Array.isArray(row) || row.length !== 2 || !isWireId(row[0]) || !isUnits(row[1])) return false;
  for (const row of c.dec) if (!Array.isArray(row) || row.length !== 2 || !isWireId(row[0]) || !isUnits(row[1])) return false;
  for (const row of c.xfer) if (!Array.isArray(row) || row.length !== 3 || !isWireId(row[0]) || !isWireId(row[1]) || !isUnits(row[2])) return false;
  return true;
};

/**
 * The frame schema the decoder checks a decoded frame with: {@link FrameSchema}, with the
 * counters of deltas checked in place by {@link isCellDelta} (the same rules, without copying
 * thousands of tuples).
 */
export const WireFrameSchema = FrameSchema.extend({
  messages: z.array(
    z.discriminatedUnion("kind", [
      HelloSchema,
      SummarySchema,
      DeltaSchema.extend({ cells: z.array(z.custom<z.output<typeof CellDeltaSchema>>(isCellDelta, { message: "invalid counter (ids of 1–256 characters, units safe integers ≥ 0)" })) }),
      AckSchema,
      RightsRequestSchema,
      RightsGrantSchema,
      OpRequestSchema,
      DecisionSchema,
    ]),
  ),
});
