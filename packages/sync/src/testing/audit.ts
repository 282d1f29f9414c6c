/**
 * Arbitraries and tampering helpers for the audit log: random records, random single acts of
 * tampering with a chain (edit, drop, reorder, forge) together with what verification must
 * report, and random merge orders of several replicas' entry streams.
 *
 * @module
 */
import fc from "fast-check";
import { Result } from "effect";
import {
  auditEntryBody,
  auditEntryHash,
  type AuditChainBreak,
  type AuditEntry,
  type AuditPrivateKey,
  type AuditRecord,
} from "../audit/index.js";
import { signEd25519 } from "../audit/keys.js";

/** Random audit records: a known kind, an ISO instant, a business ID and a small JSON payload with decimal strings. */
export const auditRecordArbitrary = (): fc.Arbitrary<AuditRecord> =>
  fc.record({
    kind: fc.constantFrom("transfer-created", "stock-changed", "approval", "rights-moved"),
    timestamp: fc.integer({ min: 0, max: 86_399 }).map((s) => new Date(Date.UTC(2026, 0, 5, 1) + s * 1000).toISOString().replace("Z", "+00:00")),
    businessId: fc.stringMatching(/^[A-Z]{2}-[0-9]{1,6}$/),
    payload: fc.record({
      item: fc.stringMatching(/^SKU-[0-9]{1,4}$/),
      qty: fc.integer({ min: -999, max: 999 }).map(String),
      note: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
    }),
  });

/** One act of tampering with a chain of entries (positions are 0-based). */
export type AuditTamper =
  | { readonly kind: "edit"; readonly index: number; readonly field: "payload" | "businessId" | "timestamp" | "kind" | "sequence" | "prev" }
  | { readonly kind: "drop"; readonly index: number }
  | { readonly kind: "reorder"; readonly first: number; readonly second: number }
  | { readonly kind: "forge"; readonly index: number; readonly rewrite: boolean };

/** Random single acts of tampering with a chain of `length` ≥ 2 entries. */
export const auditTamperArbitrary = (length: number): fc.Arbitrary<AuditTamper> => {
  const index = fc.integer({ min: 0, max: length - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant("edit" as const), index, field: fc.constantFrom("payload", "businessId", "timestamp", "kind", "sequence", "prev") }),
    fc.record({ kind: fc.constant("drop" as const), index }),
    fc
      .tuple(index, index)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ kind: "reorder" as const, first: Math.min(a, b), second: Math.max(a, b) })),
    fc.record({ kind: fc.constant("forge" as const), index, rewrite: fc.boolean() }),
  );
};

/** What verifying a tampered chain must report: the position, the expected sequence there, and the kind of tampering. */
export interface ExpectedAuditBreak {
  /** Position in the tampered list. */
  readonly index: number;
  /** The sequence the chain expects at that position. */
  readonly sequence: number;
  /** The kind of tampering. */
  readonly reason: AuditChainBreak;
}

const edited = (entry: AuditEntry, field: Extract<AuditTamper, { kind: "edit" }>["field"]): AuditEntry => {
  switch (field) {
    case "payload":
      return { ...entry, payload: entry.payload === "{}" ? "[]" : "{}" };
    case "businessId":
      return { ...entry, businessId: `${entry.businessId}x` };
    case "timestamp":
      return { ...entry, timestamp: `${entry.timestamp} ` };
    case "kind":
      return { ...entry, kind: entry.kind === "approval" ? "stock-changed" : "approval" };
    case "sequence":
      return { ...entry, sequence: entry.sequence + 1 };
    case "prev":
      return { ...entry, prev: entry.prev.startsWith("f") ? `e${entry.prev.slice(1)}` : `f${entry.prev.slice(1)}` };
  }
};

/**
 * Applies one act of tampering to a verified chain's entries and says what verification must
 * report. A forgery signs with `forgerKey` (a key that is not the replica's); with `rewrite` it
 * first changes the payload and recomputes the hash, as a forger who can hash but not sign would.
 * A drop of the last entry is only detectable against a trusted head, which callers pass.
 */
export const tamperAuditChain = (
  entries: ReadonlyArray<AuditEntry>,
  tamper: AuditTamper,
  forgerKey: AuditPrivateKey,
): { readonly entries: ReadonlyArray<AuditEntry>; readonly expected: ExpectedAuditBreak } => {
  const copy = entries.slice();
  switch (tamper.kind) {
    case "edit":
      copy[tamper.index] = edited(copy[tamper.index] as AuditEntry, tamper.field);
      return { entries: copy, expected: { index: tamper.index, sequence: tamper.index + 1, reason: "edited" } };
    case "drop":
      copy.splice(tamper.index, 1);
      return { entries: copy, expected: { index: tamper.index, sequence: tamper.index + 1, reason: "dropped" } };
    case "reorder":
      copy[tamper.first] = entries[tamper.second] as AuditEntry;
      copy[tamper.second] = entries[tamper.first] as AuditEntry;
      return { entries: copy, expected: { index: tamper.first, sequence: tamper.first + 1, reason: "reordered" } };
    case "forge": {
      const original = entries[tamper.index] as AuditEntry;
      const body = tamper.rewrite ? { ...original, payload: original.payload === "{}" ? "[]" : "{}" } : original;
      const signature = Result.getOrThrow(signEd25519(forgerKey, auditEntryBody(body)));
      copy[tamper.index] = { ...body, hash: auditEntryHash(body), signature: Buffer.from(signature).toString("base64") };
      return { entries: copy, expected: { index: tamper.index, sequence: tamper.index + 1, reason: "forged" } };
    }
  }
};

/** Random merge orders of replica streams: a list of replica positions, replica `r` appearing `counts[r]` times. */
export const mergeOrderArbitrary = (counts: ReadonlyArray<number>): fc.Arbitrary<ReadonlyArray<number>> =>
  fc
    .array(fc.nat(), { minLength: counts.reduce((a, b) => a + b, 0), maxLength: counts.reduce((a, b) => a + b, 0) })
    .map((keys) => {
      const slots = counts.flatMap((c, r) => Array.from({ length: c }, () => r));
      return slots.map((r, i) => [keys[i] as number, i, r] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , r]) => r);
    });
