import { generateKeyPairSync } from "node:crypto";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { type OutgoingFrame, Replica, publicKeyOf, verifyAuditChain } from "@jxc/sync";
import { failWith, ok } from "../../../scripts/test-support.js";

const T0 = Date.parse("2026-01-05T09:00:00+08:00");
const keyPair = () => generateKeyPairSync("ed25519").privateKey;

const deliver = (replicas: Map<string, Replica>, frames: OutgoingFrame[], from: string, now: number): void => {
  let queue = frames.map((f) => ({ from, ...f }));
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const f of queue) next.push(...ok(replicas.get(f.to)!.receive(f.from, f.frame, now)).map((x) => ({ from: f.to, ...x })));
    queue = next;
  }
};
const sync = (replicas: Map<string, Replica>, now: number) => {
  for (let round = 0; round < 3; round++) for (const [id, r] of replicas) deliver(replicas, r.outgoing(now), id, now);
};

/** The chain's entries as [kind, businessId], after checking that the chain verifies under the replica's key. */
const logged = (replica: Replica, key: ReturnType<typeof keyPair>) => {
  const chain = replica.audit!;
  ok(verifyAuditChain(chain.entries(), { replica: replica.id, keys: { [replica.id]: ok(publicKeyOf(key)) } }));
  return chain.entries().map((e) => [e.kind, e.businessId]);
};

describe("a replica keeps its own tamper-evident log", () => {
  it("appends every operation it applies, signed, in order — and nothing for a refused one", () => {
    const key = keyPair();
    const hq = ok(Replica.create({ id: "hq", role: "center", peers: ["s1"] }, T0, { audit: { key } }));
    ok(hq.localOperation({ kind: "receipt", id: "PR-1", item: "tea", position: "SH", qty: "10" }, T0));
    ok(hq.localOperation({ kind: "sale", id: "SO-1", item: "tea", position: "SH", qty: "3" }, T0 + 1000));
    ok(hq.localOperation({ kind: "transfer-out", id: "TR-1", item: "tea", from: "SH", to: "BJ", qty: "2" }, T0 + 2000));
    ok(hq.localOperation({ kind: "price-change", id: "PX-1", item: "tea", price: "12.50" }, T0 + 3000));
    failWith(hq.localOperation({ kind: "sale", id: "SO-2", item: "tea", position: "SH", qty: "99" }, T0 + 4000), "InsufficientRights");
    expect(logged(hq, key)).toEqual([
      ["stock-changed", "PR-1"],
      ["stock-changed", "SO-1"],
      ["transfer-created", "TR-1"],
      ["price-changed", "PX-1"],
    ]);
    const [first] = hq.audit!.entries();
    expect([first!.replica, first!.sequence, first!.timestamp]).toEqual(["hq", 1, new Date(T0).toISOString()]);
    expect(JSON.parse(first!.payload)).toMatchObject({ operation: expect.stringContaining('"qty":"10"') });
  });

  it("the center logs its approvals; the edge logs the operation once approved and applied", () => {
    const hqKey = keyPair();
    const s1Key = keyPair();
    const rs = new Map<string, Replica>([
      ["hq", ok(Replica.create({ id: "hq", role: "center", peers: ["s1"] }, T0, { audit: { key: hqKey }, autoApprove: (r) => r.operation.kind === "scrap" }))],
      ["s1", ok(Replica.create({ id: "s1", role: "edge", center: "hq" }, T0, { audit: { key: s1Key } }))],
    ]);
    const s1 = rs.get("s1")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "milk", position: "S1", qty: "5" }, T0));
    expect(ok(s1.localOperation({ kind: "scrap", id: "x1", item: "milk", position: "S1", qty: "2" }, T0)).status).toBe("pending");
    expect(logged(s1, s1Key)).toEqual([["stock-changed", "r1"]]);
    sync(rs, T0 + 1000);
    expect(s1.status("x1")).toBe("posted");
    expect(logged(rs.get("hq")!, hqKey)).toEqual([["approval", "x1"]]);
    expect(JSON.parse(rs.get("hq")!.audit!.entries()[0]!.payload)).toMatchObject({ decision: "approved", from: "s1" });
    expect(logged(s1, s1Key)).toEqual([
      ["stock-changed", "r1"],
      ["stock-changed", "x1"],
    ]);
  });

  it("the chain is in the snapshot: a restart with the key goes on appending; another key, or an edited entry, is refused by name", () => {
    const key = keyPair();
    const s1 = ok(Replica.create({ id: "s1", role: "center" }, T0, { audit: { key } }));
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    ok(s1.localOperation({ kind: "sale", id: "s1", item: "tea", position: "S1", qty: "1" }, T0 + 1000));
    const stored = JSON.parse(JSON.stringify(s1.snapshot()));
    const again = ok(Replica.restore(stored, T0 + 2000, { audit: { key } }));
    ok(again.localOperation({ kind: "sale", id: "s2", item: "tea", position: "S1", qty: "1" }, T0 + 3000));
    expect(logged(again, key)).toEqual([
      ["stock-changed", "r1"],
      ["stock-changed", "s1"],
      ["stock-changed", "s2"],
    ]);
    expect(again.audit!.head.sequence).toBe(3);

    const other = Replica.restore(stored, T0 + 2000, { audit: { key: keyPair() } });
    expect(Result.isFailure(other) && other.failure._tag).toBe("AuditChainBroken");

    stored.audit.entries[1].businessId = "s1-edited";
    const edited = Replica.restore(stored, T0 + 2000, { audit: { key } });
    expect(Result.isFailure(edited) && edited.failure._tag === "AuditChainBroken" && edited.failure.message).toMatch(/edited/);
  });

  it("without the option a replica keeps no log and its snapshot holds none", () => {
    const r = ok(Replica.create({ id: "s1", role: "center" }, T0));
    ok(r.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    expect(r.audit).toBeUndefined();
    expect("audit" in r.snapshot()).toBe(false);
  });
});
