import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Result } from "effect";
import {
  acceptCheckpoint,
  admitAuditEntry,
  auditCenterLog,
  centerCheckpoint,
  appendAuditEntry,
  proveEntryInclusion,
  proveLogConsistency,
  recordEdgeOperation,
  restoreAuditChain,
  releaseCoveredEntries,
  signCenterCheckpoint,
  startAuditChain,
  startCenterAuditLog,
  startEdgeAuditLog,
  type AuditEntry,
  type CenterAuditLog,
  type EdgeAuditLog,
} from "@jxc/sync";
import { err, failWith, ok } from "../../../scripts/test-support.js";

const ORIGIN = "hq.example.com/jxc-audit";
const hq = generateKeyPairSync("ed25519");
const rogue = generateKeyPairSync("ed25519");
const signer = { name: ORIGIN, key: hq.privateKey };
const verifier = { name: ORIGIN, publicKey: hq.publicKey };
const edgeKeys = { "store-01": generateKeyPairSync("ed25519"), "store-02": generateKeyPairSync("ed25519") };
const keys = new Map(Object.entries(edgeKeys).map(([r, k]) => [r, k.publicKey]));

const record = (n: number) => ({ kind: "stock-changed", timestamp: `2026-01-05T09:00:${String(n % 60).padStart(2, "0")}+08:00`, businessId: `SO-${n}`, payload: { item: "SKU-9", delta: `-${n}` } });

const edgeOf = (replica: "store-01" | "store-02"): EdgeAuditLog =>
  startEdgeAuditLog({ origin: ORIGIN, chain: ok(startAuditChain({ replica, publicKey: edgeKeys[replica].publicKey })) });

const record3 = (edge: EdgeAuditLog, replica: "store-01" | "store-02", from: number): { edge: EdgeAuditLog; entries: AuditEntry[] } => {
  const entries: AuditEntry[] = [];
  for (let n = from; n < from + 3; n++) {
    const step = ok(recordEdgeOperation(edge, record(n), edgeKeys[replica].privateKey));
    edge = step.edge;
    entries.push(step.entry);
  }
  return { edge, entries };
};

const admitAll = (log: CenterAuditLog, entries: AuditEntry[]) => entries.reduce((l, e) => ok(admitAuditEntry(l, e, keys)).log, log);

describe("center log and edges", () => {
  it("admits entries of many replicas, once each, and refuses gaps, forgeries and unknown replicas", () => {
    const a = record3(edgeOf("store-01"), "store-01", 1);
    const b = record3(edgeOf("store-02"), "store-02", 1);
    let log = startCenterAuditLog();
    log = admitAll(log, [a.entries[0]!, b.entries[0]!, a.entries[1]!, b.entries[1]!]);
    expect(log.size).toBe(4);
    const again = ok(admitAuditEntry(log, a.entries[1], keys));
    expect([again.duplicate, again.leafIndex, again.log.size]).toEqual([true, 2, 4]);
    failWith(admitAuditEntry(startCenterAuditLog(), a.entries[1], keys), "AuditChainBroken");
    expect(failWith(admitAuditEntry(log, { ...a.entries[2]!, payload: '{"delta":"-999"}' }, keys), "AuditChainBroken").reason).toBe("edited");
    expect(failWith(admitAuditEntry(log, a.entries[2], new Map()), "AuditChainBroken").detail).toBe("unknown-key");
    expect(log.size).toBe(4);
    expect(log.headOf("store-01").sequence).toBe(2);
    expect(log.leafIndexOf("store-02", 2)).toBe(3);
  });

  it("an edge keeps its entries until a checkpoint covers them, then releases them", () => {
    let { edge, entries } = record3(edgeOf("store-01"), "store-01", 1);
    const other = record3(edgeOf("store-02"), "store-02", 1);
    let log = admitAll(startCenterAuditLog(), [other.entries[0]!, entries[0]!, entries[1]!, other.entries[1]!]);

    edge = ok(acceptCheckpoint(edge, { note: ok(signCenterCheckpoint(log, signer)), consistencyProof: [] }, verifier));
    expect(edge.checkpoint?.size).toBe(4);
    const proofs = [1, 2].map((s) => ok(proveEntryInclusion(log, "store-01", s)));
    const released = ok(releaseCoveredEntries(edge, proofs));
    expect(released.released.map((e) => e.sequence)).toEqual([1, 2]);
    expect(released.edge.chain.length).toBe(1);
    expect(released.edge.chain.base.sequence).toBe(2);

    // entry 3 is not in the checkpoint yet: no proof, it stays
    failWith(proveEntryInclusion(log, "store-01", 3), "AuditEntryUnknown");
    // a proof for entry 2 presented as entry 1, or against another size, is refused and nothing is released
    failWith(releaseCoveredEntries(edge, [{ ...proofs[1]!, sequence: 1 }]), "EntryNotCovered");
    failWith(releaseCoveredEntries(edge, [{ ...proofs[0]!, treeSize: 3 }]), "EntryNotCovered");
    expect(edge.chain.length).toBe(3);

    // the log grows; the edge accepts the next checkpoint with a consistency proof and releases entry 3
    log = admitAll(log, [entries[2]!, other.entries[2]!]);
    edge = released.edge;
    edge = ok(acceptCheckpoint(edge, { note: ok(signCenterCheckpoint(log, signer)), consistencyProof: ok(proveLogConsistency(log, 4)) }, verifier));
    const last = ok(releaseCoveredEntries(edge, [ok(proveEntryInclusion(log, "store-01", 3))]));
    expect(last.released.map((e) => e.sequence)).toEqual([3]);
    expect(last.edge.chain.length).toBe(0);
    // the edge keeps appending after its chain was pruned
    const next = ok(recordEdgeOperation(last.edge, record(4), edgeKeys["store-01"].privateKey));
    expect([next.entry.sequence, next.entry.prev]).toEqual([4, entries[2]!.hash]);
    ok(admitAuditEntry(log, next.entry, keys));
  });

  it("refuses rollbacks, forks, foreign logs and checkpoints signed by another key", () => {
    const { edge: e0, entries } = record3(edgeOf("store-01"), "store-01", 1);
    const log = admitAll(startCenterAuditLog(), entries);
    const edge = ok(acceptCheckpoint(e0, { note: ok(signCenterCheckpoint(log, signer)), consistencyProof: [] }, verifier));

    const older = ok(signCenterCheckpoint(log, signer, 2));
    expect(failWith(acceptCheckpoint(edge, { note: older, consistencyProof: [] }, verifier), "CheckpointRollback").offeredSize).toBe(2);

    // a forked log: same first two entries, a different third leaf
    const forked = admitAll(startCenterAuditLog(), entries.slice(0, 2));
    const b = record3(edgeOf("store-02"), "store-02", 10);
    const fork = admitAll(forked, b.entries);
    const forkNote = ok(signCenterCheckpoint(fork, signer));
    failWith(acceptCheckpoint(edge, { note: forkNote, consistencyProof: ok(proveLogConsistency(fork, 3)) }, verifier), "CheckpointFork");
    // same size, different root
    const sameSize = ok(signCenterCheckpoint(admitAll(forked, [b.entries[0]!]), signer));
    failWith(acceptCheckpoint(edge, { note: sameSize, consistencyProof: [] }, verifier), "CheckpointFork");

    failWith(acceptCheckpoint(edge, { note: ok(signCenterCheckpoint(log, { name: ORIGIN, key: rogue.privateKey })), consistencyProof: [] }, verifier), "NoteNotSigned");
    failWith(acceptCheckpoint(edge, { note: ok(signCenterCheckpoint(log, { name: "other.example/log", key: hq.privateKey })), consistencyProof: [] }, { name: "other.example/log", publicKey: hq.publicKey }), "CheckpointOriginMismatch");
    expect(err(acceptCheckpoint(edge, { note: "garbage", consistencyProof: [] }, verifier))._tag).toBe("SignedNoteMalformed");
    expect(edge.checkpoint?.size).toBe(3);
  });

  it("keeps older log values intact when a newer one is admitted into", () => {
    const { entries } = record3(edgeOf("store-01"), "store-01", 1);
    const two = admitAll(startCenterAuditLog(), entries.slice(0, 2));
    const three = ok(admitAuditEntry(two, entries[2], keys)).log;
    // admitting into the older value again forks the storage
    const again = ok(admitAuditEntry(two, entries[2], keys)).log;
    expect([two.size, three.size, again.size]).toEqual([2, 3, 3]);
    expect(two.headOf("store-01").sequence).toBe(2);
    expect(Buffer.from(again.tree.root()).equals(Buffer.from(three.tree.root()))).toBe(true);
    expect(Result.isSuccess(two.tree.rootAt(2))).toBe(true);
  });

  it("audits a whole center log from its entries against a checkpoint", () => {
    const a = record3(edgeOf("store-01"), "store-01", 1);
    const b = record3(edgeOf("store-02"), "store-02", 1);
    const log = admitAll(startCenterAuditLog(), [a.entries[0]!, b.entries[0]!, b.entries[1]!, a.entries[1]!, a.entries[2]!]);
    const exported = Array.from({ length: log.size }, (_, i) => log.entryAt(i)!);
    const checkpoint = ok(centerCheckpoint(log, ORIGIN, 4));
    const audit = ok(auditCenterLog(exported, keys, checkpoint));
    expect([audit.size, audit.heads.get("store-01")?.sequence, audit.heads.get("store-02")?.sequence]).toEqual([5, 3, 2]);
    // a dropped entry breaks its replica's chain; a reordered export breaks the checkpoint's root
    expect(failWith(auditCenterLog(exported.filter((_, i) => i !== 3), keys), "AuditChainBroken").reason).toBe("dropped");
    failWith(auditCenterLog([exported[1]!, exported[0]!, ...exported.slice(2)], keys, checkpoint), "CheckpointMismatch");
  });

  it("an edge restarts from its persisted uncovered entries, base and checkpoint", () => {
    let { edge, entries } = record3(edgeOf("store-01"), "store-01", 1);
    const log = admitAll(startCenterAuditLog(), entries.slice(0, 2));
    edge = ok(acceptCheckpoint(edge, { note: ok(signCenterCheckpoint(log, signer)), consistencyProof: [] }, verifier));
    edge = ok(releaseCoveredEntries(edge, [1, 2].map((s) => ok(proveEntryInclusion(log, "store-01", s))))).edge;
    const saved = JSON.parse(JSON.stringify({ entries: edge.chain.entries(), base: edge.chain.base })) as { entries: unknown[]; base: { sequence: number; hash: string } };
    const chain = ok(restoreAuditChain(saved.entries, { replica: "store-01", publicKey: edgeKeys["store-01"].publicKey, from: saved.base }));
    const resumed = startEdgeAuditLog({ origin: ORIGIN, chain, ...(edge.checkpoint ? { checkpoint: edge.checkpoint } : {}) });
    expect([resumed.chain.length, resumed.chain.head.sequence]).toEqual([1, 3]);
    const next = ok(recordEdgeOperation(resumed, record(4), edgeKeys["store-01"].privateKey));
    expect(next.entry.prev).toBe(entries[2]!.hash);
    // a tampered save is refused
    failWith(restoreAuditChain(saved.entries, { replica: "store-01", publicKey: edgeKeys["store-01"].publicKey }), "AuditChainBroken");
  });

  it("the center never admits an entry whose chain was started with another key", () => {
    const chain = ok(startAuditChain({ replica: "store-01", publicKey: rogue.publicKey }));
    const forged = ok(appendAuditEntry(chain, record(1), rogue.privateKey)).entry;
    expect(failWith(admitAuditEntry(startCenterAuditLog(), forged, keys), "AuditChainBroken").reason).toBe("forged");
  });
});
