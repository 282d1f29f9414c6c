/**
 * The edge's side of the audit log: an edge keeps its own entries until a checkpoint of the
 * center covers them (an inclusion proof of each), and accepts a new checkpoint only after
 * verifying a consistency proof from the last one it accepted — so the center can neither fork
 * its log for this edge nor roll it back.
 *
 * @module
 */
import { Data, Result } from "effect";
import type { InvalidInput } from "@jxc/core";
import { appendAuditEntry, type AuditChain, type AuditKeyMismatch, type AuditRecord } from "./chain.js";
import type { EntryInclusionProof } from "./center-log.js";
import { openCheckpoint, type Checkpoint, type CheckpointMalformed, type CheckpointOriginMismatch } from "./checkpoint.js";
import { auditEntryLeaf, type AuditEntry } from "./entry.js";
import type { AuditPrivateKey, InvalidAuditKey } from "./keys.js";
import { merkleLeafHash, verifyConsistency, verifyInclusion } from "./merkle.js";
import type { NoteError, NoteVerifier } from "./signed-note.js";

/** An edge's audit state: its chain of entries not yet covered, and the last checkpoint it accepted. */
export interface EdgeAuditLog {
  /** The origin of the center's log this edge follows. */
  readonly origin: string;
  /** The edge's own chain, holding the entries no accepted checkpoint covers yet (its `base` is the last covered entry). */
  readonly chain: AuditChain;
  /** The last checkpoint accepted, if any. */
  readonly checkpoint: Checkpoint | undefined;
}

/** An edge audit state following the center log `origin`, with the edge's chain (e.g. from {@link startAuditChain}). */
export const startEdgeAuditLog = (input: { readonly origin: string; readonly chain: AuditChain; readonly checkpoint?: Checkpoint }): EdgeAuditLog => ({
  origin: input.origin,
  chain: input.chain,
  checkpoint: input.checkpoint,
});

/** Records an operation in the edge's chain (see {@link appendAuditEntry}); the entry stays until covered. */
export const recordEdgeOperation = (
  edge: EdgeAuditLog,
  record: AuditRecord,
  key: AuditPrivateKey,
): Result.Result<{ readonly edge: EdgeAuditLog; readonly entry: AuditEntry }, InvalidInput | InvalidAuditKey | AuditKeyMismatch> =>
  Result.map(appendAuditEntry(edge.chain, record, key), ({ chain, entry }) => ({ edge: { ...edge, chain }, entry }));

/** A checkpoint smaller than the one already accepted: the center tried to roll its log back. */
export class CheckpointRollback extends Data.TaggedError("CheckpointRollback")<{
  /** The size of the checkpoint accepted before. */
  readonly acceptedSize: number;
  /** The size of the checkpoint offered. */
  readonly offeredSize: number;
  readonly message: string;
}> {}

/** A checkpoint that is not an extension of the one already accepted (the consistency proof fails, or equal sizes with different roots). */
export class CheckpointFork extends Data.TaggedError("CheckpointFork")<{
  /** The size of the checkpoint accepted before. */
  readonly acceptedSize: number;
  /** The size of the checkpoint offered. */
  readonly offeredSize: number;
  /** Why the consistency check failed. */
  readonly reason: string;
  readonly message: string;
}> {}

/** The errors of {@link acceptCheckpoint}. */
export type CheckpointRefusal = NoteError | CheckpointMalformed | CheckpointOriginMismatch | CheckpointRollback | CheckpointFork | InvalidAuditKey;

/** A new checkpoint offered to an edge: the signed note and the consistency proof from the edge's last accepted size. */
export interface CheckpointOffer {
  /** The signed checkpoint note. */
  readonly note: string;
  /** The RFC 9162 consistency proof from the accepted checkpoint's size to the offered one (empty for the first checkpoint). */
  readonly consistencyProof: ReadonlyArray<Uint8Array>;
}

/**
 * Accepts a checkpoint: it must be signed by the center's key, be of the edge's origin, and — if
 * a checkpoint was accepted before — be consistent with it (RFC 9162 consistency proof). A
 * smaller tree is a rollback, an inconsistent one a fork; both are refused and the state stays.
 */
export const acceptCheckpoint = (edge: EdgeAuditLog, offer: CheckpointOffer, center: NoteVerifier): Result.Result<EdgeAuditLog, CheckpointRefusal> => {
  const opened = openCheckpoint(offer.note, center, edge.origin);
  if (Result.isFailure(opened)) return Result.fail(opened.failure);
  const next = opened.success;
  const prev = edge.checkpoint;
  if (prev !== undefined) {
    if (next.size < prev.size) {
      return Result.fail(new CheckpointRollback({ acceptedSize: prev.size, offeredSize: next.size, message: `checkpoint of ${next.size} entries offered after one of ${prev.size}: a rollback` }));
    }
    const consistent = verifyConsistency(prev.size, next.size, prev.root, next.root, offer.consistencyProof);
    if (Result.isFailure(consistent)) {
      return Result.fail(
        new CheckpointFork({
          acceptedSize: prev.size,
          offeredSize: next.size,
          reason: consistent.failure.reason,
          message: `checkpoint of ${next.size} entries does not extend the accepted one of ${prev.size}: ${consistent.failure.reason}`,
        }),
      );
    }
  }
  return Result.succeed({ ...edge, checkpoint: next });
};

/** An inclusion proof offered to an edge that does not show its entry in the accepted checkpoint. */
export class EntryNotCovered extends Data.TaggedError("EntryNotCovered")<{
  /** The edge's replica id. */
  readonly replica: string;
  /** The entry's sequence. */
  readonly sequence: number;
  /** Why the proof was refused. */
  readonly reason: string;
  readonly message: string;
}> {}

/**
 * Releases the entries that the accepted checkpoint covers: every proof must be for the
 * accepted checkpoint's size and prove an entry the edge still holds; then the longest run of
 * oldest entries that all have a verified proof is dropped from the edge's chain. A proof that
 * does not verify refuses the whole call, state unchanged.
 */
export const releaseCoveredEntries = (
  edge: EdgeAuditLog,
  proofs: ReadonlyArray<Omit<EntryInclusionProof, "replica">>,
): Result.Result<{ readonly edge: EdgeAuditLog; readonly released: ReadonlyArray<AuditEntry> }, EntryNotCovered> => {
  const replica = edge.chain.replica;
  const refuse = (sequence: number, reason: string) =>
    Result.fail(new EntryNotCovered({ replica, sequence, reason, message: `${replica}: entry ${sequence} is not covered: ${reason}` }));
  const checkpoint = edge.checkpoint;
  const covered = new Set<number>();
  const firstSequence = edge.chain.base.sequence + 1;
  for (const p of proofs) {
    if (checkpoint === undefined) return refuse(p.sequence, "no checkpoint has been accepted");
    if (p.treeSize !== checkpoint.size) return refuse(p.sequence, `the proof is for a tree of ${p.treeSize}, the accepted checkpoint has ${checkpoint.size}`);
    const entry = edge.chain.at(p.sequence - firstSequence);
    if (entry === undefined || entry.sequence !== p.sequence) return refuse(p.sequence, "the edge does not hold this entry");
    const verified = verifyInclusion(merkleLeafHash(auditEntryLeaf(entry)), p.leafIndex, p.treeSize, p.proof, checkpoint.root);
    if (Result.isFailure(verified)) return refuse(p.sequence, verified.failure.reason);
    covered.add(p.sequence);
  }
  let count = 0;
  while (count < edge.chain.length && covered.has(firstSequence + count)) count += 1;
  const released = edge.chain.entries().slice(0, count);
  return Result.succeed({ edge: { ...edge, chain: edge.chain.withoutFirst(count) }, released });
};
