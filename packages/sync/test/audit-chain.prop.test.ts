import { createPrivateKey, createPublicKey } from "node:crypto";
import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { appendAuditEntry, startAuditChain, verifyAuditChain, type AuditEntry, type AuditRecord } from "@jxc/sync";
import { auditRecordArbitrary, auditTamperArbitrary, tamperAuditChain } from "@jxc/sync/testing";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

// Fixed keys (raw RFC 8032 seeds) so that a failing run reproduces exactly.
const keyFromSeed = (byte: number) => {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.alloc(32, byte)]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
const replicaKey = keyFromSeed(1);
const forgerKey = keyFromSeed(2);
const keys = new Map([["edge-07", replicaKey.publicKey]]);

// Chains are short: each entry costs an ed25519 signature and a verification (~50 µs each).
const chainOf = (records: ReadonlyArray<AuditRecord>): AuditEntry[] => {
  let chain = Result.getOrThrow(startAuditChain({ replica: "edge-07", publicKey: replicaKey.publicKey }));
  const entries: AuditEntry[] = [];
  for (const r of records) {
    const step = Result.getOrThrow(appendAuditEntry(chain, r, replicaKey.privateKey));
    chain = step.chain;
    entries.push(step.entry);
  }
  return entries;
};

const scenario = fc.array(auditRecordArbitrary(), { minLength: 2, maxLength: 5 }).chain((records) => fc.tuple(fc.constant(records), auditTamperArbitrary(records.length)));

describe("audit chain properties (fast-check, 1,000 runs each)", () => {
  it("an untampered chain verifies, and so does every prefix against its own head", () => {
    fc.assert(
      fc.property(fc.array(auditRecordArbitrary(), { minLength: 0, maxLength: 5 }), fc.nat(), (records, cut) => {
        const entries = chainOf(records);
        const full = verifyAuditChain(entries, { replica: "edge-07", keys });
        expect(Result.isSuccess(full)).toBe(true);
        const k = entries.length === 0 ? 0 : cut % (entries.length + 1);
        const head = k === 0 ? undefined : { sequence: k, hash: entries[k - 1]!.hash };
        expect(Result.isSuccess(verifyAuditChain(entries.slice(0, k), { replica: "edge-07", keys, ...(head ? { head } : {}) }))).toBe(true);
      }),
      runs,
    );
  });

  it("any single edit, drop, reorder or forgery is detected, and the named entry and kind are the right ones", () => {
    fc.assert(
      fc.property(scenario, ([records, tamper]) => {
        const entries = chainOf(records);
        const head = { sequence: entries.length, hash: entries[entries.length - 1]!.hash };
        const { entries: tampered, expected } = tamperAuditChain(entries, tamper, forgerKey.privateKey);
        const result = verifyAuditChain(tampered, { replica: "edge-07", keys, head });
        expect(Result.isFailure(result) && result.failure._tag).toBe("AuditChainBroken");
        if (Result.isFailure(result) && result.failure._tag === "AuditChainBroken") {
          const { index, sequence, reason } = result.failure;
          expect({ index, sequence, reason }).toEqual(expected);
        }
      }),
      runs,
    );
  });

  it("verification of the entries before the tampered one still succeeds (the break is the first bad entry)", () => {
    fc.assert(
      fc.property(scenario, ([records, tamper]) => {
        const entries = chainOf(records);
        const { entries: tampered, expected } = tamperAuditChain(entries, tamper, forgerKey.privateKey);
        expect(Result.isSuccess(verifyAuditChain(tampered.slice(0, expected.index), { replica: "edge-07", keys }))).toBe(true);
      }),
      runs,
    );
  });
});
