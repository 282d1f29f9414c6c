import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appendAuditEntry, canonicalJson, publicKeyOf, restoreAuditChain, startAuditChain, verifyAuditChain, type AuditChain, type AuditEntry } from "@jxc/sync";
import { err, failWith, ok } from "../../../scripts/test-support.js";

const store = generateKeyPairSync("ed25519");
const intruder = generateKeyPairSync("ed25519");
const keys = new Map([["store-01", store.publicKey]]);

const record = (n: number) => ({
  kind: n % 2 === 0 ? "stock-changed" : "transfer-created",
  timestamp: `2026-01-0${(n % 9) + 1}T09:00:00+08:00`,
  businessId: `TR-${n}`,
  payload: { item: "SKU-1", qty: String(n), from: "WH-A", to: "WH-B" },
});

const build = (n: number): { chain: AuditChain; entries: AuditEntry[] } => {
  let chain = ok(startAuditChain({ replica: "store-01", publicKey: store.publicKey }));
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= n; i++) {
    const step = ok(appendAuditEntry(chain, record(i), store.privateKey));
    chain = step.chain;
    entries.push(step.entry);
  }
  return { chain, entries };
};

describe("audit chain", () => {
  it("numbers, links and signs entries; payloads are canonical JSON", () => {
    const { chain, entries } = build(3);
    expect(chain.length).toBe(3);
    expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(entries[1]?.prev).toBe(entries[0]?.hash);
    expect(entries[0]?.payload).toBe('{"from":"WH-A","item":"SKU-1","qty":"1","to":"WH-B"}');
    expect(chain.head).toEqual({ sequence: 3, hash: entries[2]?.hash });
    expect(ok(verifyAuditChain(entries, { replica: "store-01", keys }))).toEqual({ replica: "store-01", length: 3, head: chain.head });
  });

  it("is immutable: appending to an older value forks without touching the newer one", () => {
    const { chain } = build(2);
    const a = ok(appendAuditEntry(chain, record(3), store.privateKey));
    const b = ok(appendAuditEntry(chain, record(4), store.privateKey));
    expect(chain.length).toBe(2);
    expect(a.chain.at(2)?.businessId).toBe("TR-3");
    expect(b.chain.at(2)?.businessId).toBe("TR-4");
    expect(a.chain.entries()).toHaveLength(3);
  });

  it("refuses a signing key that is not the chain's, and bad records, leaving the chain as it was", () => {
    const { chain } = build(1);
    failWith(appendAuditEntry(chain, record(2), intruder.privateKey), "AuditKeyMismatch");
    failWith(appendAuditEntry(chain, { ...record(2), payload: { x: Number.NaN } }, store.privateKey), "InvalidInput");
    failWith(appendAuditEntry(chain, { ...record(2), kind: "Not Kebab" }, store.privateKey), "InvalidInput");
    failWith(appendAuditEntry(chain, record(2), new Uint8Array(5)), "InvalidAuditKey");
    expect(chain.length).toBe(1);
  });

  it("accepts raw 32-byte keys", () => {
    const seed = new Uint8Array(32).fill(7);
    const pub = ok(publicKeyOf(seed));
    let chain = ok(startAuditChain({ replica: "edge-raw", publicKey: pub }));
    chain = ok(appendAuditEntry(chain, record(1), seed)).chain;
    ok(verifyAuditChain(chain.entries(), { replica: "edge-raw", keys: { "edge-raw": pub } }));
  });

  it("names an edited entry", () => {
    const { entries } = build(4);
    const tampered = entries.map((e, i) => (i === 2 ? { ...e, payload: '{"qty":"999"}' } : e));
    const f = failWith(verifyAuditChain(tampered, { replica: "store-01", keys }), "AuditChainBroken");
    expect([f.index, f.sequence, f.reason, f.detail]).toEqual([2, 3, "edited", "hash-mismatch"]);
  });

  it("names a dropped entry, in the middle or at the end against a trusted head", () => {
    const { chain, entries } = build(4);
    const f = failWith(verifyAuditChain(entries.filter((_, i) => i !== 1), { replica: "store-01", keys }), "AuditChainBroken");
    expect([f.index, f.sequence, f.found, f.reason, f.detail]).toEqual([1, 2, 3, "dropped", "sequence-gap"]);
    const g = failWith(verifyAuditChain(entries.slice(0, 3), { replica: "store-01", keys, head: chain.head }), "AuditChainBroken");
    expect([g.index, g.sequence, g.reason, g.detail]).toEqual([3, 4, "dropped", "missing-tail"]);
  });

  it("names reordered and replayed entries", () => {
    const { entries } = build(4);
    const swapped = [entries[0], entries[2], entries[1], entries[3]];
    const f = failWith(verifyAuditChain(swapped, { replica: "store-01", keys }), "AuditChainBroken");
    expect([f.index, f.sequence, f.found, f.reason]).toEqual([1, 2, 3, "reordered"]);
    const replayed = [entries[0], entries[1], entries[1], entries[2]];
    const g = failWith(verifyAuditChain(replayed, { replica: "store-01", keys }), "AuditChainBroken");
    expect([g.index, g.reason, g.detail]).toEqual([2, "reordered", "duplicate"]);
  });

  it("names forged entries: another key's signature, a garbage signature, an unknown replica", () => {
    const { entries } = build(3);
    const other = ok(startAuditChain({ replica: "store-01", publicKey: intruder.publicKey }));
    const forged = ok(appendAuditEntry(other, record(1), intruder.privateKey)).entry;
    const f = failWith(verifyAuditChain([forged, ...entries.slice(1)], { replica: "store-01", keys }), "AuditChainBroken");
    expect([f.index, f.reason, f.detail]).toEqual([0, "forged", "bad-signature"]);
    const flipped = { ...entries[1]!, signature: Buffer.alloc(64, 1).toString("base64") };
    const g = failWith(verifyAuditChain([entries[0], flipped], { replica: "store-01", keys }), "AuditChainBroken");
    expect([g.index, g.reason]).toEqual([1, "forged"]);
    const h = failWith(verifyAuditChain(entries, { replica: "store-01", keys: {} }), "AuditChainBroken");
    expect(h.detail).toBe("unknown-key");
    failWith(verifyAuditChain(entries, { replica: "", keys }), "InvalidInput");
    failWith(verifyAuditChain(entries, { replica: "store-01", keys, head: { sequence: -1, hash: "x" } }), "InvalidInput");
  });

  it("restores a chain from stored entries and refuses tampered ones", () => {
    const { entries } = build(3);
    const chain = ok(restoreAuditChain(entries, { replica: "store-01", publicKey: store.publicKey }));
    expect(chain.head.sequence).toBe(3);
    expect(ok(appendAuditEntry(chain, record(4), store.privateKey)).entry.prev).toBe(entries[2]?.hash);
    expect(err(restoreAuditChain(entries.slice(1), { replica: "store-01", publicKey: store.publicKey }))._tag).toBe("AuditChainBroken");
  });

  it("writes canonical JSON with sorted keys and refuses non-JSON", () => {
    expect(ok(canonicalJson({ b: [1, { d: true, c: null }], a: "x" }))).toBe('{"a":"x","b":[1,{"c":null,"d":true}]}');
    failWith(canonicalJson({ a: undefined }), "InvalidInput");
  });
});
