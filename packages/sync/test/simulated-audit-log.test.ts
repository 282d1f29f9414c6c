import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Result } from "effect";
import { appendAuditEntry, publicKeyOf, startAuditChain, type AuditChain } from "@jxc/sync";
import { seededRandom } from "@jxc/sync/testing";
import { startSimulatedAuditLog } from "../src/testing/simulated-audit-log.js";

const hq = generateKeyPairSync("ed25519");
const keys = { hq: generateKeyPairSync("ed25519"), e1: generateKeyPairSync("ed25519"), e2: generateKeyPairSync("ed25519") };
const publicKey = (id: keyof typeof keys) => Result.getOrThrow(publicKeyOf(keys[id].privateKey));

/** A replica's chain with `n` more entries (business ids `tag-1`…). */
const grow = (chain: AuditChain, id: keyof typeof keys, n: number, tag = "op"): AuditChain => {
  let c = chain;
  for (let i = 0; i < n; i++) {
    const record = { kind: "stock-changed", timestamp: "2026-01-01T00:00:00.000Z", businessId: `${tag}-${c.length + 1}`, payload: { qty: String(i) } };
    c = Result.getOrThrow(appendAuditEntry(c, record, keys[id].privateKey)).chain;
  }
  return c;
};

/** Three replicas whose chains and links the test drives; failures collected. */
const world = (loss = 0) => {
  const chains = new Map<string, AuditChain | undefined>();
  for (const id of ["hq", "e1", "e2"] as const) chains.set(id, Result.getOrThrow(startAuditChain({ replica: id, publicKey: publicKey(id) })));
  const reach = new Map<string, boolean>([["hq", true], ["e1", true], ["e2", true]]);
  const failures: string[] = [];
  const log = startSimulatedAuditLog({
    center: "hq",
    participants: (["hq", "e1", "e2"] as const).map((id) => ({ id, publicKey: publicKey(id), chain: () => chains.get(id), reachesCenter: () => reach.get(id)! })),
    signer: { name: "hq.test/audit", key: hq.privateKey },
    verifier: { name: "hq.test/audit", publicKey: hq.publicKey },
    random: seededRandom(1),
    loss,
    fail: (message, replica) => failures.push(`${replica}: ${message}`),
  });
  const add = (id: keyof typeof keys, n: number) => chains.set(id, grow(chains.get(id)!, id, n));
  return { chains, reach, failures, log, add };
};

describe("the simulated audit log", () => {
  it("admits every chain, publishes checkpoints and verifies them at the end", () => {
    const w = world();
    w.add("hq", 2);
    w.add("e1", 3);
    w.log.publish();
    w.reach.set("e2", false); // partitioned: its entries and the next checkpoint wait
    w.add("e2", 4);
    w.add("e1", 1);
    w.log.publish();
    w.log.crashCenter();
    w.log.publish(); // the center is down: nothing
    w.log.restartCenter();
    w.reach.set("e2", true);
    w.add("hq", 1);
    w.log.finish();
    expect(w.failures).toEqual([]);
    expect(w.log.checkpoints).toBe(3);
    expect(w.log.size).toBe(11);
  });

  it("survives lost uploads and offers (an edge checks consistency across skipped checkpoints)", () => {
    const w = world(0.5);
    for (let i = 0; i < 20; i++) {
      w.add(i % 2 === 0 ? "e1" : "e2", 1 + (i % 3));
      w.log.publish();
    }
    w.log.finish();
    expect(w.failures).toEqual([]);
    expect(w.log.size).toBe(39);
  });

  it("reports an edge whose new entries do not extend the chain the center holds (a rewritten history)", () => {
    const w = world();
    w.add("e1", 3);
    w.log.publish();
    const fresh = Result.getOrThrow(startAuditChain({ replica: "e1", publicKey: publicKey("e1") }));
    w.chains.set("e1", grow(fresh, "e1", 4, "forged"));
    w.log.finish();
    expect(w.failures.join("\n")).toMatch(/^e1: the center refused e1's entry 4: .*does not link/);
  });

  it("reports an edge that lost entries the center holds (a rolled-back chain)", () => {
    const w = world();
    w.add("e1", 3);
    w.log.publish();
    const fresh = Result.getOrThrow(startAuditChain({ replica: "e1", publicKey: publicKey("e1") }));
    w.chains.set("e1", grow(fresh, "e1", 2));
    w.log.finish();
    expect(w.failures).toEqual(["e1: the center's log holds e1's chain up to entry 3, the replica's goes up to 2"]);
  });

  it("reports a replica that is down at the end", () => {
    const w = world();
    w.add("e2", 1);
    w.chains.set("e2", undefined);
    w.log.finish();
    expect(w.failures).toEqual(["e2: e2 is down at the end"]);
  });
});
