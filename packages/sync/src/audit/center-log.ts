/**
 * The center's audit log: every replica's entries, admitted in the order they arrive as long as
 * each extends its replica's verified chain, as leaves of one RFC 9162 Merkle tree. The center
 * publishes signed checkpoints of the tree and proves inclusion of entries and consistency
 * between checkpoints.
 *
 * @module
 */
import { Data, Result } from "effect";
import type { InvalidInput } from "@jxc/core";
import { GENESIS_HEAD, verifyAuditChain, type AuditChainBroken, type AuditChainHead, type AuditKeyring } from "./chain.js";
import { signCheckpoint, type Checkpoint, type CheckpointMalformed } from "./checkpoint.js";
import { AuditEntrySchema, auditEntryLeaf, type AuditEntry } from "./entry.js";
import type { InvalidAuditKey } from "./keys.js";
import { emptyMerkleTree, type MerkleRangeError, type MerkleTree } from "./merkle.js";
import type { NoteSigner, SignedNoteMalformed } from "./signed-note.js";

interface CenterStore {
  readonly entries: AuditEntry[];
  /** `replica \u0000 sequence` → leaf index. */
  readonly positions: Map<string, number>;
  /** replica → leaf indexes of its entries, in sequence order. */
  readonly byReplica: Map<string, number[]>;
}

const positionKey = (replica: string, sequence: number) => `${replica}\u0000${sequence}`;

/**
 * The center's log, immutable: {@link admitAuditEntry} returns a new log sharing storage with
 * this one (admitting into an older value copies, so every value keeps its entries).
 */
export class CenterAuditLog {
  /** The Merkle tree over all admitted entries (leaf i = {@link auditEntryLeaf} of entry i). */
  readonly tree: MerkleTree;
  readonly #store: CenterStore;

  /** @internal Use {@link startCenterAuditLog}. */
  constructor(store: { readonly entries: AuditEntry[]; readonly positions: Map<string, number>; readonly byReplica: Map<string, number[]> }, tree: MerkleTree) {
    this.#store = store;
    this.tree = tree;
  }

  /** Number of entries admitted (the tree size). */
  get size(): number {
    return this.tree.size;
  }

  /** The entry at leaf `index`, if any. */
  entryAt(index: number): AuditEntry | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.size ? this.#store.entries[index] : undefined;
  }

  /** The leaf index of `replica`'s entry `sequence`, if admitted. */
  leafIndexOf(replica: string, sequence: number): number | undefined {
    const index = this.#store.positions.get(positionKey(replica, sequence));
    return index !== undefined && index < this.size ? index : undefined;
  }

  /** The head of `replica`'s chain as the center holds it ({@link GENESIS_HEAD} if none admitted). */
  headOf(replica: string): AuditChainHead {
    const indexes = this.#store.byReplica.get(replica) ?? [];
    let lo = 0;
    let hi = indexes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((indexes[mid] as number) < this.size) lo = mid + 1;
      else hi = mid;
    }
    const last = lo === 0 ? undefined : this.#store.entries[indexes[lo - 1] as number];
    return last === undefined ? GENESIS_HEAD : { sequence: last.sequence, hash: last.hash };
  }

  /** @internal The log with `entry` admitted as the next leaf. */
  withEntry(entry: AuditEntry): CenterAuditLog {
    const own = this.#store.entries.length === this.size;
    const store: CenterStore = own
      ? this.#store
      : {
          entries: this.#store.entries.slice(0, this.size),
          positions: new Map([...this.#store.positions].filter(([, i]) => i < this.size)),
          byReplica: new Map([...this.#store.byReplica].map(([r, is]) => [r, is.filter((i) => i < this.size)])),
        };
    const index = this.size;
    store.entries.push(entry);
    store.positions.set(positionKey(entry.replica, entry.sequence), index);
    const list = store.byReplica.get(entry.replica);
    if (list === undefined) store.byReplica.set(entry.replica, [index]);
    else list.push(index);
    return new CenterAuditLog(store, this.tree.append(auditEntryLeaf(entry)));
  }
}

/** A new, empty center log (a fresh value each call). */
export const startCenterAuditLog = (): CenterAuditLog => new CenterAuditLog({ entries: [], positions: new Map(), byReplica: new Map() }, emptyMerkleTree());

/** The outcome of admitting an entry: the new log, the entry's leaf index, and whether it was already there. */
export interface AuditEntryAdmitted {
  /** The log with the entry (the same log for a duplicate). */
  readonly log: CenterAuditLog;
  /** The entry's leaf index. */
  readonly leafIndex: number;
  /** True when the same entry had already been admitted (a redelivery): nothing changed. */
  readonly duplicate: boolean;
}

/**
 * Admits an entry sent by a replica: it must be well-formed, signed by the replica's key and
 * extend the replica's chain as the center holds it (next sequence, linked hash). A redelivered
 * entry is accepted once (`duplicate`); anything else is refused with the chain error naming it,
 * and the log is unchanged.
 */
export const admitAuditEntry = (log: CenterAuditLog, entry: unknown, keys: AuditKeyring): Result.Result<AuditEntryAdmitted, AuditChainBroken | InvalidInput> => {
  const parsed = AuditEntrySchema.safeParse(entry);
  const replica = parsed.success ? parsed.data.replica : typeof (entry as { replica?: unknown })?.replica === "string" ? (entry as { replica: string }).replica : "(unknown)";
  if (parsed.success) {
    const existing = log.leafIndexOf(parsed.data.replica, parsed.data.sequence);
    if (existing !== undefined && log.entryAt(existing)?.hash === parsed.data.hash && log.entryAt(existing)?.signature === parsed.data.signature) {
      return Result.succeed({ log, leafIndex: existing, duplicate: true });
    }
  }
  const verified = verifyAuditChain([entry], { replica, keys, from: log.headOf(replica) });
  if (Result.isFailure(verified)) return Result.fail(verified.failure);
  const admitted: AuditEntry = AuditEntrySchema.parse(entry); // a copy: later changes to the caller's object do not reach the log
  return Result.succeed({ log: log.withEntry(admitted), leafIndex: log.size, duplicate: false });
};

/** The checkpoint of the center's log at `size` (default: the whole log) under `origin`. */
export const centerCheckpoint = (log: CenterAuditLog, origin: string, size: number = log.size): Result.Result<Checkpoint, MerkleRangeError> =>
  Result.map(log.tree.rootAt(size), (root) => ({ origin, size, root, extensions: [] }));

/** The signed checkpoint note of the center's log (origin = the signer's key name, as the spec recommends). */
export const signCenterCheckpoint = (
  log: CenterAuditLog,
  signer: NoteSigner,
  size: number = log.size,
): Result.Result<string, MerkleRangeError | CheckpointMalformed | SignedNoteMalformed | InvalidAuditKey> => {
  const checkpoint = centerCheckpoint(log, signer.name, size);
  if (Result.isFailure(checkpoint)) return Result.fail(checkpoint.failure);
  return signCheckpoint(checkpoint.success, signer);
};

/** An inclusion proof of one replica entry in a checkpoint of the center's log. */
export interface EntryInclusionProof {
  /** The replica. */
  readonly replica: string;
  /** The entry's sequence in the replica's chain. */
  readonly sequence: number;
  /** The entry's leaf index in the center's tree. */
  readonly leafIndex: number;
  /** The tree size (checkpoint) the proof is for. */
  readonly treeSize: number;
  /** The RFC 9162 inclusion path. */
  readonly proof: ReadonlyArray<Uint8Array>;
}

/** The center holds no such entry (or not within the requested tree size). */
export class AuditEntryUnknown extends Data.TaggedError("AuditEntryUnknown")<{
  /** The replica asked for. */
  readonly replica: string;
  /** The sequence asked for. */
  readonly sequence: number;
  /** The tree size asked for. */
  readonly treeSize: number;
  readonly message: string;
}> {}

/** Proves that `replica`'s entry `sequence` is in the tree of `treeSize` leaves (default: the whole log). */
export const proveEntryInclusion = (
  log: CenterAuditLog,
  replica: string,
  sequence: number,
  treeSize: number = log.size,
): Result.Result<EntryInclusionProof, AuditEntryUnknown | MerkleRangeError> => {
  const leafIndex = log.leafIndexOf(replica, sequence);
  if (leafIndex === undefined || leafIndex >= treeSize) {
    return Result.fail(new AuditEntryUnknown({ replica, sequence, treeSize, message: `${replica}: entry ${sequence} is not in the log's first ${treeSize} leaves` }));
  }
  return Result.map(log.tree.inclusionProof(leafIndex, treeSize), (proof) => ({ replica, sequence, leafIndex, treeSize, proof }));
};

/** The RFC 9162 consistency proof from the checkpoint of `fromSize` to the one of `toSize` (default: the whole log). */
export const proveLogConsistency = (log: CenterAuditLog, fromSize: number, toSize: number = log.size): Result.Result<ReadonlyArray<Uint8Array>, MerkleRangeError> =>
  log.tree.consistencyProof(fromSize, toSize);

/** A center log whose tree does not match the checkpoint it is audited against. */
export class CheckpointMismatch extends Data.TaggedError("CheckpointMismatch")<{
  /** The checkpoint's tree size. */
  readonly size: number;
  /** How many entries the audited log holds. */
  readonly entries: number;
  readonly message: string;
}> {}

/** What an audit of a whole center log found: its size, tree head, and each replica's chain head. */
export interface CenterLogAudit {
  /** Number of entries. */
  readonly size: number;
  /** The RFC 9162 tree head over all entries. */
  readonly root: Uint8Array;
  /** Each replica's verified chain head. */
  readonly heads: ReadonlyMap<string, AuditChainHead>;
}

/**
 * Audits a center log from its entries (e.g. an export): every replica's entries, in log order,
 * must form its verified chain from the genesis (the error's `index` counts within that
 * replica's entries), and with a checkpoint, the tree over the first `checkpoint.size` entries
 * must have the checkpoint's root.
 */
export const auditCenterLog = (
  entries: ReadonlyArray<unknown>,
  keys: AuditKeyring,
  checkpoint?: Checkpoint,
): Result.Result<CenterLogAudit, AuditChainBroken | CheckpointMismatch | InvalidInput> => {
  const groups = new Map<string, unknown[]>();
  for (const entry of entries) {
    const replica = typeof (entry as { replica?: unknown })?.replica === "string" ? (entry as { replica: string }).replica : "(unknown)";
    const group = groups.get(replica);
    if (group === undefined) groups.set(replica, [entry]);
    else group.push(entry);
  }
  const heads = new Map<string, AuditChainHead>();
  for (const [replica, group] of groups) {
    const verified = verifyAuditChain(group, { replica, keys });
    if (Result.isFailure(verified)) return Result.fail(verified.failure);
    heads.set(replica, verified.success.head);
  }
  let tree = emptyMerkleTree();
  for (const entry of entries) tree = tree.append(auditEntryLeaf(entry as AuditEntry));
  if (checkpoint !== undefined) {
    const root = tree.rootAt(checkpoint.size);
    if (Result.isFailure(root) || Buffer.compare(root.success, checkpoint.root) !== 0) {
      return Result.fail(
        new CheckpointMismatch({
          size: checkpoint.size,
          entries: entries.length,
          message: `the log of ${entries.length} entries does not have the root of the checkpoint of ${checkpoint.size}`,
        }),
      );
    }
  }
  return Result.succeed({ size: tree.size, root: tree.root(), heads });
};
