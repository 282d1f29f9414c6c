/**
 * The center's audit log inside the simulator, through the package's audit API: the center
 * admits the entries of every replica's own signed chain into its RFC 9162 Merkle tree and
 * publishes signed C2SP checkpoints; an edge uploads the entries no accepted checkpoint covers
 * yet, accepts a new checkpoint only after checking the consistency proof from the last one it
 * accepted, and then releases the entries the checkpoint covers (checking an inclusion proof of
 * each). Uploads and offers cross the simulated network: they need a live link to the center and
 * are lost as often as frames are. The center persists its entries (in log order) and rebuilds
 * its log from them after a crash; an edge persists its accepted checkpoint and what it covered.
 *
 * At the end ({@link SimulatedAuditLog.finish}), with every replica up and the network healed:
 * every replica's chain reaches the log whole, every edge accepts the final checkpoint, an
 * inclusion proof of each of every replica's entries verifies against it, and an audit of the
 * whole exported log ({@link auditCenterLog}) verifies every chain in it and the checkpoint's root.
 *
 * @module
 */
import { Result } from "effect";
import {
  acceptCheckpoint,
  admitAuditEntry,
  auditCenterLog,
  openCheckpoint,
  proveEntryInclusion,
  proveLogConsistency,
  releaseCoveredEntries,
  signCenterCheckpoint,
  startCenterAuditLog,
  startEdgeAuditLog,
  type AuditChain,
  type AuditEntry,
  type AuditPublicKey,
  type CenterAuditLog,
  type Checkpoint,
  type EntryInclusionProof,
  type NoteSigner,
  type NoteVerifier,
} from "../audit/index.js";
import type { RandomSource } from "./network.js";

/** A replica as the simulated audit log sees it. */
export interface AuditLogParticipant {
  /** The replica's id. */
  readonly id: string;
  /** The replica's raw ed25519 public key. */
  readonly publicKey: AuditPublicKey;
  /** The replica's own audit chain now, or `undefined` while it is down. */
  chain(): AuditChain | undefined;
  /** Whether the replica can reach the center now (both up, not partitioned apart). */
  reachesCenter(): boolean;
}

/** What {@link startSimulatedAuditLog} needs. */
export interface SimulatedAuditLogConfig {
  /** The center's id (a participant too: its own entries go into the log). */
  readonly center: string;
  /** Every replica, the center included. */
  readonly participants: ReadonlyArray<AuditLogParticipant>;
  /** The center's checkpoint key (its name is the log's origin). */
  readonly signer: NoteSigner;
  /** The public half of `signer`, as the edges trust it. */
  readonly verifier: NoteVerifier;
  /** Draws the losses. */
  readonly random: RandomSource;
  /** Probability that an upload or a checkpoint offer is lost. */
  readonly loss: number;
  /** Reports a failed check, naming the replica concerned when there is one. */
  readonly fail: (message: string, replica?: string) => void;
}

/** The simulated audit log (see the module documentation). */
export interface SimulatedAuditLog {
  /** Uploads what the edges that reach the center hold, and publishes a checkpoint to them (nothing while the center is down). */
  publish(): void;
  /** The center crashes: its log is lost but for what it persisted. */
  crashCenter(): void;
  /** The center restarts: its log is rebuilt from the persisted entries. */
  restartCenter(): void;
  /** The final publication to everyone, and the end checks. */
  finish(): void;
  /** Checkpoints published. */
  readonly checkpoints: number;
  /** Entries in the center's log. */
  readonly size: number;
}

/** An edge's side: the last checkpoint it accepted and the last of its entries a checkpoint covered. */
interface EdgeSide {
  checkpoint: Checkpoint | undefined;
  covered: number;
}

/** Starts the simulated audit log of one simulation. */
export const startSimulatedAuditLog = (config: SimulatedAuditLogConfig): SimulatedAuditLog => {
  const { center, participants, signer, verifier, random, fail } = config;
  const keys = new Map(participants.map((p) => [p.id, p.publicKey]));
  const edges = new Map(participants.filter((p) => p.id !== center).map((p) => [p.id, { checkpoint: undefined, covered: 0 } as EdgeSide]));
  let log: CenterAuditLog | undefined = startCenterAuditLog();
  let persisted = "[]";
  let checkpoints = 0;

  const entriesOf = (l: CenterAuditLog): AuditEntry[] => Array.from({ length: l.size }, (_, i) => l.entryAt(i)!);
  const lost = (lossless: boolean) => !lossless && config.loss > 0 && random.next() < config.loss;

  /** The entries of `chain` after sequence `after`. */
  const after = (chain: AuditChain, sequence: number): AuditChain => chain.withoutFirst(sequence - chain.base.sequence);

  /** The center admits `p`'s entries after `from`; false when it refused one. */
  const admit = (p: AuditLogParticipant, chain: AuditChain, from: number): boolean => {
    for (const entry of after(chain, from).entries()) {
      const admitted = admitAuditEntry(log!, entry, keys);
      if (Result.isFailure(admitted)) {
        fail(`the center refused ${p.id}'s entry ${entry.sequence}: ${admitted.failure.message}`, p.id);
        return false;
      }
      log = admitted.success.log;
    }
    return true;
  };

  /** Inclusion proofs of the entries of `chain` (oldest first) that the checkpoint of `size` covers. */
  const inclusionProofs = (id: string, chain: AuditChain, size: number): EntryInclusionProof[] | undefined => {
    const proofs: EntryInclusionProof[] = [];
    for (const entry of chain.entries()) {
      const index = log!.leafIndexOf(id, entry.sequence);
      if (index === undefined || index >= size) break;
      const proof = proveEntryInclusion(log!, id, entry.sequence, size);
      if (Result.isFailure(proof)) {
        fail(`the center cannot prove ${id}'s entry ${entry.sequence}: ${proof.failure.message}`, id);
        return undefined;
      }
      proofs.push(proof.success);
    }
    return proofs;
  };

  /** Offers the checkpoint `note` (of the whole log) to edge `p`: consistency checked, covered entries released. */
  const offer = (p: AuditLogParticipant, chain: AuditChain, side: EdgeSide, note: string) => {
    const current = log!;
    const consistencyProof = side.checkpoint === undefined ? Result.succeed([]) : proveLogConsistency(current, side.checkpoint.size);
    if (Result.isFailure(consistencyProof)) {
      fail(`the center cannot prove its log of ${current.size} consistent with ${p.id}'s checkpoint of ${side.checkpoint?.size}: ${consistencyProof.failure.message}`, p.id);
      return;
    }
    const edge = startEdgeAuditLog({ origin: signer.name, chain: after(chain, side.covered), checkpoint: side.checkpoint });
    const accepted = acceptCheckpoint(edge, { note, consistencyProof: consistencyProof.success }, verifier);
    if (Result.isFailure(accepted)) {
      fail(`${p.id} refused the checkpoint of ${current.size} entries (${accepted.failure._tag}): ${accepted.failure.message}`, p.id);
      return;
    }
    side.checkpoint = accepted.success.checkpoint;
    const proofs = inclusionProofs(p.id, accepted.success.chain, current.size);
    if (proofs === undefined) return;
    const released = releaseCoveredEntries(accepted.success, proofs);
    if (Result.isFailure(released)) {
      fail(`${p.id} refused an inclusion proof (${released.failure._tag}): ${released.failure.message}`, p.id);
      return;
    }
    side.covered = released.success.edge.chain.base.sequence;
  };

  const round = (lossless: boolean): string | undefined => {
    if (log === undefined) return undefined;
    for (const p of participants) {
      const chain = p.chain();
      if (chain === undefined) continue;
      if (p.id === center) {
        if (!admit(p, chain, log.headOf(center).sequence)) return undefined;
      } else if (p.reachesCenter() && !lost(lossless)) {
        // The edge sends every entry it still keeps (no checkpoint covers them yet): the center takes the new ones, the rest are duplicates.
        if (!admit(p, chain, edges.get(p.id)!.covered)) return undefined;
      }
    }
    const note = signCenterCheckpoint(log, signer);
    if (Result.isFailure(note)) {
      fail(`the center cannot sign a checkpoint: ${note.failure.message}`, center);
      return undefined;
    }
    checkpoints++;
    for (const p of participants) {
      const side = edges.get(p.id);
      const chain = p.chain();
      if (side === undefined || chain === undefined || !p.reachesCenter() || lost(lossless)) continue;
      offer(p, chain, side, note.success);
    }
    return note.success;
  };

  const finish = () => {
    if (log === undefined) {
      fail("the center is down at the end", center);
      return;
    }
    const note = round(true);
    if (note === undefined) return;
    const final = log;
    const checkpoint = openCheckpoint(note, verifier, signer.name);
    if (Result.isFailure(checkpoint)) {
      fail(`the final checkpoint does not open: ${checkpoint.failure.message}`, center);
      return;
    }
    for (const p of participants) {
      const chain = p.chain();
      if (chain === undefined) {
        fail(`${p.id} is down at the end`, p.id);
        continue;
      }
      const held = final.headOf(p.id);
      if (held.sequence !== chain.head.sequence || held.hash !== chain.head.hash) {
        fail(`the center's log holds ${p.id}'s chain up to entry ${held.sequence}, the replica's goes up to ${chain.head.sequence}`, p.id);
        continue;
      }
      const side = edges.get(p.id);
      if (side !== undefined && side.checkpoint?.size !== final.size) {
        fail(`${p.id} did not accept the final checkpoint of ${final.size} entries (it holds one of ${side.checkpoint?.size ?? 0})`, p.id);
        continue;
      }
      // Every entry of the replica, from its first, has a verified inclusion proof in the final checkpoint it accepted.
      const proofs = inclusionProofs(p.id, chain, final.size);
      if (proofs === undefined) continue;
      const whole = startEdgeAuditLog({ origin: signer.name, chain, checkpoint: side?.checkpoint ?? checkpoint.success });
      const released = releaseCoveredEntries(whole, proofs);
      if (Result.isFailure(released)) fail(`${p.id}: ${released.failure.message}`, p.id);
      else if (released.success.released.length !== chain.length) {
        fail(`the final checkpoint covers ${released.success.released.length} of ${p.id}'s ${chain.length} entries`, p.id);
      }
    }
    // An auditor's check of the whole log: every chain in it, and the final checkpoint's root.
    const audited = auditCenterLog(entriesOf(final), keys, checkpoint.success);
    if (Result.isFailure(audited)) fail(`the center's log does not verify (${audited.failure._tag}): ${audited.failure.message}`, center);
  };

  return {
    publish: () => void round(false),
    crashCenter: () => {
      if (log === undefined) return;
      persisted = JSON.stringify(entriesOf(log));
      log = undefined;
    },
    restartCenter: () => {
      if (log !== undefined) return;
      let rebuilt = startCenterAuditLog();
      for (const entry of JSON.parse(persisted) as unknown[]) {
        const admitted = admitAuditEntry(rebuilt, entry, keys);
        if (Result.isFailure(admitted)) {
          fail(`the center cannot rebuild its log: ${admitted.failure.message}`, center);
          return;
        }
        rebuilt = admitted.success.log;
      }
      log = rebuilt;
    },
    finish,
    get checkpoints() {
      return checkpoints;
    },
    get size() {
      return log?.size ?? 0;
    },
  };
};
