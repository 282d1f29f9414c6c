/**
 * One entry of a replica's audit chain: a key operation (transfer created, stock changed,
 * approval…) with the replica that did it, its place in the replica's chain, the hash of the
 * previous entry, its own hash and the replica's ed25519 signature.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { isCanonicalJson, writeCanonicalJson } from "./canonical-json.js";

/** The `prev` of the first entry of every chain: 32 zero bytes, in hex. */
export const GENESIS_HASH = "0".repeat(64);

/** The format tag hashed and signed with every entry body (domain separation, versioning). */
export const AUDIT_ENTRY_FORMAT = "jxc-audit-entry/1";

/** The key operations the audit log records; other kebab-case kinds are allowed too. */
export const AUDIT_ENTRY_KINDS = Object.freeze(["transfer-created", "stock-changed", "approval", "rights-moved", "price-changed", "document-status"] as const);

/** What an entry records: one of {@link AUDIT_ENTRY_KINDS} or another kebab-case name. */
export type AuditEntryKind = (typeof AUDIT_ENTRY_KINDS)[number] | (string & {});

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, "expected 32 bytes as lower-case hex");
const Text = z.string().min(1).max(1024);

/** The schema of an entry's kind: kebab-case, e.g. `transfer-created`. */
export const AuditEntryKindSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "expected a kebab-case kind such as transfer-created");

/** The schema of a replica id as used in the audit log. */
export const AuditReplicaIdSchema = Text;

/** The schema of a stored entry (what {@link verifyAuditChain} reads before checking hashes and signatures). */
export const AuditEntrySchema = z
  .object({
    kind: AuditEntryKindSchema,
    replica: AuditReplicaIdSchema,
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    timestamp: Text,
    businessId: Text,
    payload: z.string().refine(isCanonicalJson, "expected canonical JSON text"),
    prev: Hex32,
    hash: Hex32,
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "expected a 64-byte signature in base64"),
  })
  .strict();

/** An entry of a replica's audit chain. */
export interface AuditEntry {
  /** What happened, e.g. `transfer-created`. */
  readonly kind: AuditEntryKind;
  /** The replica that recorded (and signed) it. */
  readonly replica: string;
  /** Its place in the replica's chain, from 1, without gaps. */
  readonly sequence: number;
  /** When it happened, as text (an ISO-8601 instant or a hybrid logical clock stamp). */
  readonly timestamp: string;
  /** The business ID of the documents it concerns. */
  readonly businessId: string;
  /** The operation's data as canonical JSON text. */
  readonly payload: string;
  /** The hash of the previous entry of the same replica, or {@link GENESIS_HASH}. */
  readonly prev: string;
  /** SHA-256 of {@link auditEntryBody}, lower-case hex. */
  readonly hash: string;
  /** The replica's ed25519 signature of {@link auditEntryBody}, base64. */
  readonly signature: string;
}

/** The fields of an entry that are hashed and signed. */
export type AuditEntryBody = Omit<AuditEntry, "hash" | "signature">;

/** The bytes that are hashed and signed: the canonical JSON of the body with the format tag. */
export const auditEntryBody = (entry: AuditEntryBody): Uint8Array =>
  new TextEncoder().encode(
    writeCanonicalJson({
      format: AUDIT_ENTRY_FORMAT,
      kind: entry.kind,
      replica: entry.replica,
      sequence: entry.sequence,
      timestamp: entry.timestamp,
      businessId: entry.businessId,
      payload: entry.payload,
      prev: entry.prev,
    }),
  );

/** SHA-256 of the entry body, lower-case hex (the value stored in `hash` and linked by the next `prev`). */
export const auditEntryHash = (entry: AuditEntryBody): string => createHash("sha256").update(auditEntryBody(entry)).digest("hex");

/**
 * The Merkle leaf of an entry in the center's log: the canonical JSON of the whole entry,
 * signature included, so that the center commits to what the replica signed.
 */
export const auditEntryLeaf = (entry: AuditEntry): Uint8Array =>
  new TextEncoder().encode(
    writeCanonicalJson({
      kind: entry.kind,
      replica: entry.replica,
      sequence: entry.sequence,
      timestamp: entry.timestamp,
      businessId: entry.businessId,
      payload: entry.payload,
      prev: entry.prev,
      hash: entry.hash,
      signature: entry.signature,
    }),
  );
