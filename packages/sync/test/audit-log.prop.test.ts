import { createPrivateKey, createPublicKey } from "node:crypto";
import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  acceptCheckpoint,
  admitAuditEntry,
  appendAuditEntry,
  auditEntryLeaf,
  emptyMerkleTree,
  signCheckpoint,
  proveEntryInclusion,
  proveLogConsistency,
  releaseCoveredEntries,
  signCenterCheckpoint,
  startAuditChain,
  startCenterAuditLog,
  startEdgeAuditLog,
  verifyAuditChain,
  type AuditEntry,
  type CenterAuditLog,
  type EdgeAuditLog,
} from "@jxc/sync";
import { mergeOrderArbitrary } from "@jxc/sync/testing";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const keyFromSeed = (byte: number) => {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.alloc(32, byte)]), format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
const ORIGIN = "hq.example.com/jxc-audit";
const hq = keyFromSeed(9);
const signer = { name: ORIGIN, key: hq.privateKey };
const verifier = { name: ORIGIN, publicKey: hq.publicKey };
const REPLICAS = ["edge-a", "edge-b", "edge-c"] as const;
const replicaKeys = REPLICAS.map((_, i) => keyFromSeed(i + 1));
const keys = new Map(REPLICAS.map((r, i) => [r, replicaKeys[i]!.publicKey]));
const PER_REPLICA = 4;

// The replicas' chains are signed once; the properties vary the order in which the center
// receives them and when it publishes checkpoints (signing a checkpoint costs one signature).
const chains = REPLICAS.map((replica, i) => {
  let chain = Result.getOrThrow(startAuditChain({ replica, publicKey: replicaKeys[i]!.publicKey }));
  for (let n = 1; n <= PER_REPLICA; n++) {
    chain = Result.getOrThrow(appendAuditEntry(chain, { kind: "stock-changed", timestamp: `2026-01-05T09:0${n}:00+08:00`, businessId: `SO-${replica}-${n}`, payload: { qty: String(-n) } }, replicaKeys[i]!.privateKey)).chain;
  }
  return chain;
});

const scenario = fc.tuple(
  fc.subarray([0, 1, 2]).filter((rs) => rs.length > 0),
  fc.integer({ min: 1, max: PER_REPLICA }),
).chain(([replicas, count]) =>
  fc.record({
    replicas: fc.constant(replicas),
    order: mergeOrderArbitrary(replicas.map(() => count)),
    checkpointsAfter: fc.uniqueArray(fc.integer({ min: 1, max: replicas.length * count }), { minLength: 1, maxLength: 3 }).map((xs) => [...xs].sort((a, b) => a - b)),
    edgePick: fc.nat(),
  }),
);

describe("center log and edge properties (fast-check, 1,000 runs each)", () => {
  it("whatever the arrival order: each replica's chain in the center verifies, the edge accepts every checkpoint by consistency proof, and ends up releasing all its entries", () => {
    fc.assert(
      fc.property(scenario, ({ replicas, order, checkpointsAfter, edgePick }) => {
        const next = replicas.map(() => 0);
        let log: CenterAuditLog = startCenterAuditLog();
        const edgeIndex = replicas[edgePick % replicas.length]!;
        let edge: EdgeAuditLog = startEdgeAuditLog({ origin: ORIGIN, chain: chains[edgeIndex]! });
        let released = 0;
        let acceptedSize = 0;
        order.forEach((slot, k) => {
          const r = replicas[slot]!;
          const entry = chains[r]!.at(next[slot]!)!;
          next[slot]! += 1;
          log = Result.getOrThrow(admitAuditEntry(log, entry, keys)).log;
          if (!checkpointsAfter.includes(k + 1)) return;
          const note = Result.getOrThrow(signCenterCheckpoint(log, signer));
          const consistencyProof = edge.checkpoint === undefined ? [] : Result.getOrThrow(proveLogConsistency(log, acceptedSize));
          edge = Result.getOrThrow(acceptCheckpoint(edge, { note, consistencyProof }, verifier));
          acceptedSize = log.size;
          const proofs = edge.chain.entries().flatMap((e) => {
            const p = proveEntryInclusion(log, e.replica, e.sequence);
            return Result.isSuccess(p) ? [p.success] : [];
          });
          const step = Result.getOrThrow(releaseCoveredEntries(edge, proofs));
          released += step.released.length;
          edge = step.edge;
        });
        for (const [slot, r] of replicas.entries()) {
          const stored: AuditEntry[] = [];
          for (let i = 0; i < log.size; i++) if (log.entryAt(i)!.replica === REPLICAS[r]) stored.push(log.entryAt(i)!);
          expect(stored).toHaveLength(next[slot]!);
          expect(Result.isSuccess(verifyAuditChain(stored, { replica: REPLICAS[r]!, keys }))).toBe(true);
        }
        // everything the edge sent before the last checkpoint is released; the rest is kept
        const edgeSlot = replicas.indexOf(edgeIndex);
        const lastCheckpoint = checkpointsAfter[checkpointsAfter.length - 1]!;
        const sentBefore = order.slice(0, lastCheckpoint).filter((s) => s === edgeSlot).length;
        expect(released).toBe(sentBefore);
        expect(edge.chain.base.sequence).toBe(sentBefore);
      }),
      runs,
    );
  });

  it("an edge refuses any checkpoint of a log that dropped, changed or reordered an entry it already saw covered", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: PER_REPLICA }), fc.nat(), fc.constantFrom("drop", "swap", "replace"), (seen, pick, how) => {
        const entries = [...chains[0]!.entries(), ...chains[1]!.entries()];
        const honest = entries.slice(0, seen).reduce((l, e) => Result.getOrThrow(admitAuditEntry(l, e, keys)).log, startCenterAuditLog());
        let edge = startEdgeAuditLog({ origin: ORIGIN, chain: chains[0]! });
        edge = Result.getOrThrow(acceptCheckpoint(edge, { note: Result.getOrThrow(signCenterCheckpoint(honest, signer)), consistencyProof: [] }, verifier));
        // a dishonest log: built from a tampered history (the center signs it with its real key)
        const i = pick % seen;
        let history = entries.slice(0, seen + 2);
        if (how === "drop") history = history.filter((_, k) => k !== i);
        if (how === "swap") history = history.map((e, k) => (k === i ? history[seen]! : k === seen ? history[i]! : e));
        if (how === "replace") history = history.map((e, k) => (k === i ? chains[2]!.at(0)! : e));
        // the dishonest center builds its tree from the tampered history without checks and signs it with its real key
        let tree = emptyMerkleTree();
        for (const e of history) tree = tree.append(auditEntryLeaf(e));
        const note = Result.getOrThrow(signCheckpoint({ origin: ORIGIN, size: tree.size, root: tree.root(), extensions: [] }, signer));
        const forked = { note, consistencyProof: Result.getOrThrow(tree.consistencyProof(seen)) };
        const result = acceptCheckpoint(edge, forked, verifier);
        expect(Result.isFailure(result) && result.failure._tag).toBe("CheckpointFork");
        expect(edge.checkpoint?.size).toBe(seen);
      }),
      runs,
    );
  });
});
