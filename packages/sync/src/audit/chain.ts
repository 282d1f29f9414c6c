/**
 * A replica's audit chain: entries linked by hash, numbered without gaps, each signed with the
 * replica's ed25519 key. Appending gives a new chain (the old value stays valid); verifying a
 * list of entries names the first bad entry and why (edited, dropped, reordered, forged).
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { AuditJsonSchema, writeCanonicalJson, type AuditJson } from "./canonical-json.js";
import {
  AuditEntryKindSchema,
  AuditEntrySchema,
  AuditReplicaIdSchema,
  GENESIS_HASH,
  auditEntryBody,
  auditEntryHash,
  type AuditEntry,
  type AuditEntryKind,
} from "./entry.js";
import { createPublicKey, type KeyObject } from "node:crypto";
import { rawPublicKey, signEd25519, toPrivateKeyObject, toPublicKeyObject, verifyEd25519, type AuditPrivateKey, type AuditPublicKey, type InvalidAuditKey } from "./keys.js";

/** The schema of what a replica records: the operation, without chain position, hash or signature. */
export const AuditRecordSchema = z
  .object({
    kind: AuditEntryKindSchema,
    timestamp: z.string().min(1).max(1024),
    businessId: z.string().min(1).max(1024),
    payload: AuditJsonSchema,
  })
  .strict();

/** What a replica records in its chain: {@link appendAuditEntry} adds the replica, sequence, links and signature. */
export interface AuditRecord {
  /** What happened, e.g. `stock-changed`. */
  readonly kind: AuditEntryKind;
  /** When, as text (ISO-8601 instant or HLC stamp); time is an argument, never read from a clock. */
  readonly timestamp: string;
  /** The business ID of the documents concerned. */
  readonly businessId: string;
  /** The operation's data: any JSON value ({@link AuditJson}; money and quantities as decimal strings). */
  readonly payload: unknown;
}

/** The signing key given to {@link appendAuditEntry} is not the key the chain was started with. */
export class AuditKeyMismatch extends Data.TaggedError("AuditKeyMismatch")<{
  /** The replica whose chain was appended to. */
  readonly replica: string;
  readonly message: string;
}> {}

/** Why a chain failed verification: the four kinds of tampering the log detects. */
export type AuditChainBreak = "edited" | "dropped" | "reordered" | "forged";

/** The precise finding behind an {@link AuditChainBreak}. */
export type AuditChainBreakDetail =
  | "malformed"
  | "hash-mismatch"
  | "sequence-gap"
  | "prev-hash-mismatch"
  | "missing-tail"
  | "out-of-order"
  | "duplicate"
  | "bad-signature"
  | "unknown-key"
  | "wrong-replica";

/** A chain that does not verify; names the first bad entry. */
export class AuditChainBroken extends Data.TaggedError("AuditChainBroken")<{
  /** The replica whose chain was verified. */
  readonly replica: string;
  /** Position in the given list of entries where verification failed (the list length when entries are missing at the end). */
  readonly index: number;
  /** The sequence the chain expected at that position: the entry that is edited, forged, missing or out of place. */
  readonly sequence: number;
  /** The sequence the entry found at that position declares, if there is one. */
  readonly found: number | undefined;
  /** What kind of tampering was found. */
  readonly reason: AuditChainBreak;
  /** The precise finding. */
  readonly detail: AuditChainBreakDetail;
  readonly message: string;
}> {}

/** Public keys of replicas by replica id. */
export type AuditKeyring = ReadonlyMap<string, AuditPublicKey> | { readonly [replica: string]: AuditPublicKey };

/** The public key of `replica` in a keyring, if it is known. */
export const keyOf = (keys: AuditKeyring, replica: string): AuditPublicKey | undefined =>
  keys instanceof Map ? keys.get(replica) : Object.prototype.hasOwnProperty.call(keys, replica) ? (keys as { readonly [r: string]: AuditPublicKey })[replica] : undefined;

/** A chain position: the last sequence and its hash (sequence 0 and {@link GENESIS_HASH} before the first entry). */
export interface AuditChainHead {
  /** The sequence of the last entry (0 for an empty chain). */
  readonly sequence: number;
  /** The hash of the last entry ({@link GENESIS_HASH} for an empty chain). */
  readonly hash: string;
}

/** The position before the first entry of every chain. */
export const GENESIS_HEAD: AuditChainHead = Object.freeze({ sequence: 0, hash: GENESIS_HASH });

/** Store shared by chain values of one lineage: only the value whose length equals the store's may push in place. */
interface ChainStore {
  readonly entries: AuditEntry[];
}

/**
 * A replica's audit chain, immutable: {@link appendAuditEntry} returns a new chain that shares
 * storage with this one (appending to an older value copies, so every value keeps its entries).
 */
export class AuditChain {
  /** The replica whose chain this is. */
  readonly replica: string;
  /** The replica's raw 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The sequence and hash of the first entry's predecessor (GENESIS_HEAD for a full chain). */
  readonly base: AuditChainHead;
  /** How many entries the chain holds. */
  readonly length: number;
  /** The last entry's sequence and hash (`base` when empty). */
  readonly head: AuditChainHead;
  readonly #store: ChainStore;
  readonly #key: KeyObject;

  /** @internal Use {@link startAuditChain} or {@link restoreAuditChain}. */
  constructor(replica: string, publicKey: Uint8Array, key: KeyObject, base: AuditChainHead, store: { readonly entries: AuditEntry[] }, length: number) {
    this.replica = replica;
    this.publicKey = publicKey;
    this.#key = key;
    this.base = base;
    this.#store = store;
    this.length = length;
    const last = length === 0 ? undefined : store.entries[length - 1];
    this.head = last === undefined ? base : { sequence: last.sequence, hash: last.hash };
  }

  /** The entry at position `index` (0-based), if any. */
  at(index: number): AuditEntry | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.length ? this.#store.entries[index] : undefined;
  }

  /** The entries, oldest first (a copy). */
  entries(): readonly AuditEntry[] {
    return this.#store.entries.slice(0, this.length);
  }

  /** @internal The chain without its first `count` entries: `base` moves to the last one dropped (an edge prunes what a checkpoint covers). */
  withoutFirst(count: number): AuditChain {
    if (count <= 0) return this;
    const n = Math.min(count, this.length);
    const last = this.#store.entries[n - 1] as AuditEntry;
    return new AuditChain(this.replica, this.publicKey, this.#key, { sequence: last.sequence, hash: last.hash }, { entries: this.#store.entries.slice(n, this.length) }, this.length - n);
  }

  /** @internal Whether `key` is the private key of this chain's replica. */
  isSignedBy(key: KeyObject): boolean {
    return createPublicKey(key).equals(this.#key);
  }

  /** @internal The replica's public key object. */
  get publicKeyObject(): KeyObject {
    return this.#key;
  }

  /** @internal A chain with `entry` appended (shares the store when this value is its tip). */
  withEntry(entry: AuditEntry): AuditChain {
    const store = this.#store.entries.length === this.length ? this.#store : { entries: this.#store.entries.slice(0, this.length) };
    store.entries.push(entry);
    return new AuditChain(this.replica, this.publicKey, this.#key, this.base, store, this.length + 1);
  }
}

const StartSchema = z.object({ replica: AuditReplicaIdSchema }).passthrough();

/** An empty chain for `replica`, whose entries will be signed by the private key matching `publicKey`. */
export const startAuditChain = (input: { readonly replica: string; readonly publicKey: AuditPublicKey }): Result.Result<AuditChain, InvalidInput | InvalidAuditKey> =>
  Result.flatMap(parseInput(StartSchema, input, "audit chain"), () =>
    Result.flatMap(toPublicKeyObject(input.publicKey), (key) =>
      Result.map(rawPublicKey(key), (pk) => new AuditChain(input.replica, pk, key, GENESIS_HEAD, { entries: [] }, 0)),
    ),
  );

/**
 * Appends a record to the chain: numbers it, links it to the head, hashes and signs it with the
 * replica's key. Returns the new chain and the entry; the given chain is unchanged.
 */
export const appendAuditEntry = (
  chain: AuditChain,
  record: AuditRecord,
  key: AuditPrivateKey,
): Result.Result<{ readonly chain: AuditChain; readonly entry: AuditEntry }, InvalidInput | InvalidAuditKey | AuditKeyMismatch> => {
  const parsed = parseInput(AuditRecordSchema, record, "audit record");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const privateKey = toPrivateKeyObject(key);
  if (Result.isFailure(privateKey)) return Result.fail(privateKey.failure);
  if (!chain.isSignedBy(privateKey.success)) {
    return Result.fail(new AuditKeyMismatch({ replica: chain.replica, message: `${chain.replica}: the signing key does not match the chain's public key` }));
  }
  const body = {
    kind: parsed.success.kind,
    replica: chain.replica,
    sequence: chain.head.sequence + 1,
    timestamp: parsed.success.timestamp,
    businessId: parsed.success.businessId,
    payload: writeCanonicalJson(parsed.success.payload as AuditJson),
    prev: chain.head.hash,
  };
  const signature = signEd25519(privateKey.success, auditEntryBody(body));
  if (Result.isFailure(signature)) return Result.fail(signature.failure);
  const entry: AuditEntry = { ...body, hash: auditEntryHash(body), signature: Buffer.from(signature.success).toString("base64") };
  return Result.succeed({ chain: chain.withEntry(entry), entry });
};

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /** The replica whose chain this is; every entry must carry it. */
  readonly replica: string;
  /** Public keys by replica; the replica's key must be there. */
  readonly keys: AuditKeyring;
  /** Where the given entries start: the predecessor of the first (default {@link GENESIS_HEAD}). */
  readonly from?: AuditChainHead;
  /** A trusted head (e.g. from a checkpoint or the replica's last summary): entries missing at the end are reported as dropped. */
  readonly head?: AuditChainHead;
}

const HeadSchema = z.object({ sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), hash: z.string().regex(/^[0-9a-f]{64}$/) });
const VerifyOptionsSchema = z.object({
  entries: z.array(z.unknown()),
  replica: AuditReplicaIdSchema,
  keys: z.union([z.instanceof(Map), z.record(z.string(), z.unknown())]),
  from: HeadSchema.optional(),
  head: HeadSchema.optional(),
});

/** A verified chain: its replica, the number of entries checked, and its head. */
export interface AuditChainVerified {
  /** The replica. */
  readonly replica: string;
  /** How many entries were verified. */
  readonly length: number;
  /** The last verified entry's sequence and hash. */
  readonly head: AuditChainHead;
}

/**
 * Verifies a list of entries as one replica's chain. Checks each entry in order — its shape, its
 * hash (edited), its key and signature (forged), its sequence and link to the previous entry
 * (dropped, reordered) — and fails on the first bad one, naming it.
 */
export const verifyAuditChain = (
  entries: ReadonlyArray<unknown>,
  options: VerifyAuditChainOptions,
): Result.Result<AuditChainVerified, AuditChainBroken | InvalidInput> => {
  const checked = parseInput(VerifyOptionsSchema, { ...options, entries }, "audit chain verification");
  if (Result.isFailure(checked)) return Result.fail(checked.failure);
  const { replica, keys } = options;
  const given = keyOf(keys, replica);
  const converted = given === undefined ? undefined : toPublicKeyObject(given);
  const key = converted !== undefined && Result.isSuccess(converted) ? converted.success : undefined;
  let prev: AuditChainHead = options.from ?? GENESIS_HEAD;
  const broken = (index: number, found: number | undefined, reason: AuditChainBreak, detail: AuditChainBreakDetail, what: string) =>
    Result.fail(
      new AuditChainBroken({
        replica,
        index,
        sequence: prev.sequence + 1,
        found,
        reason,
        detail,
        message: `${replica}: entry ${prev.sequence + 1} (position ${index}) is ${reason}: ${what}`,
      }),
    );
  for (let index = 0; index < entries.length; index++) {
    const parsed = AuditEntrySchema.safeParse(entries[index]);
    const raw = entries[index] as { readonly sequence?: unknown } | undefined;
    const declared = typeof raw?.sequence === "number" ? raw.sequence : undefined;
    if (!parsed.success) return broken(index, declared, "edited", "malformed", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const entry = parsed.data;
    if (auditEntryHash(entry) !== entry.hash) return broken(index, declared, "edited", "hash-mismatch", "its content does not match its hash");
    if (entry.replica !== replica) return broken(index, declared, "forged", "wrong-replica", `it claims replica ${entry.replica}`);
    if (key === undefined) return broken(index, declared, "forged", "unknown-key", `no public key is known for ${replica}`);
    if (!verifyEd25519(key, auditEntryBody(entry), Buffer.from(entry.signature, "base64"))) {
      return broken(index, declared, "forged", "bad-signature", "its signature does not verify with the replica's key");
    }
    const expected = prev.sequence + 1;
    if (entry.sequence > expected) {
      const movedLater = entries.slice(index + 1).some((e) => typeof (e as { sequence?: unknown })?.sequence === "number" && (e as { sequence: number }).sequence < entry.sequence);
      return movedLater
        ? broken(index, entry.sequence, "reordered", "out-of-order", `entry ${entry.sequence} comes before it`)
        : broken(index, entry.sequence, "dropped", "sequence-gap", `the next entry found is ${entry.sequence}`);
    }
    if (entry.sequence < expected) {
      return entry.sequence === prev.sequence && entry.hash === prev.hash
        ? broken(index, entry.sequence, "reordered", "duplicate", `entry ${entry.sequence} is repeated`)
        : broken(index, entry.sequence, "reordered", "out-of-order", `entry ${entry.sequence} comes after entry ${prev.sequence}`);
    }
    if (entry.prev !== prev.hash) return broken(index, entry.sequence, "dropped", "prev-hash-mismatch", "it does not link to the previous entry");
    prev = { sequence: entry.sequence, hash: entry.hash };
  }
  if (options.head !== undefined && (options.head.sequence !== prev.sequence || options.head.hash !== prev.hash)) {
    if (options.head.sequence > prev.sequence) return broken(entries.length, undefined, "dropped", "missing-tail", `the chain ends at ${prev.sequence}, the trusted head is ${options.head.sequence}`);
    return broken(entries.length - 1, prev.sequence, "dropped", "prev-hash-mismatch", `the chain's head does not match the trusted head ${options.head.sequence}`);
  }
  return Result.succeed({ replica, length: entries.length, head: prev });
};

/**
 * Rebuilds a chain value from stored entries (after a restart), verifying them first: the
 * entries must form `replica`'s chain from `from` (default the genesis) and be signed by `publicKey`.
 */
export const restoreAuditChain = (
  entries: ReadonlyArray<unknown>,
  input: { readonly replica: string; readonly publicKey: AuditPublicKey; readonly from?: AuditChainHead },
): Result.Result<AuditChain, AuditChainBroken | InvalidInput | InvalidAuditKey> => {
  const started = startAuditChain(input);
  if (Result.isFailure(started)) return started;
  const verified = verifyAuditChain(entries, { replica: input.replica, keys: new Map([[input.replica, input.publicKey]]), ...(input.from ? { from: input.from } : {}) });
  if (Result.isFailure(verified)) return Result.fail(verified.failure);
  const base = input.from ?? GENESIS_HEAD;
  return Result.succeed(new AuditChain(input.replica, started.success.publicKey, started.success.publicKeyObject, base, { entries: entries.map((e) => AuditEntrySchema.parse(e)) }, entries.length));
};
