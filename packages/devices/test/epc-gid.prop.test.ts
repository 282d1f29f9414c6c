import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEpc, encodeEpc, formatEpcUri, parseEpcUri, type EpcError } from "../src/epc.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const ok = <A>(result: Result.Result<A, EpcError>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${result.failure._tag}: ${result.failure.message}`);
  return result.success;
};

/** The TDS layout of GID-96, built with bigint independently of the codec. */
const referenceHex = (manager: bigint, klass: bigint, serial: bigint): string =>
  ((0x35n << 88n) | (manager << 60n) | (klass << 36n) | serial).toString(16).toUpperCase().padStart(24, "0");

const gid = fc.record({
  manager: fc.bigInt({ min: 0n, max: 2n ** 28n - 1n }),
  klass: fc.bigInt({ min: 0n, max: 2n ** 24n - 1n }),
  serial: fc.bigInt({ min: 0n, max: 2n ** 36n - 1n }),
});

describe("GID-96 properties", () => {
  it("every 96-bit value with header 0x35 decodes to the TDS fields and encodes back to itself", () => {
    fc.assert(
      fc.property(gid, ({ manager, klass, serial }) => {
        const hex = referenceHex(manager, klass, serial);
        const decoded = ok(decodeEpc(hex));
        const body = `${manager}.${klass}.${serial}`;
        expect(decoded).toEqual({
          kind: "gid",
          generalManagerNumber: String(manager),
          objectClass: String(klass),
          serial: String(serial),
          scheme: "gid-96",
          tagUri: `urn:epc:tag:gid-96:${body}`,
          pureIdentityUri: `urn:epc:id:gid:${body}`,
        });
        expect(ok(encodeEpc(decoded, { scheme: "gid-96", filter: 0 }))).toBe(hex);
        expect(ok(encodeEpc(decoded.tagUri))).toBe(hex);
      }),
      runs,
    );
  });

  it("format ∘ parse is the identity on GID tag and pure identity URIs", () => {
    fc.assert(
      fc.property(gid, ({ manager, klass, serial }) => {
        const body = `${manager}.${klass}.${serial}`;
        for (const uri of [`urn:epc:tag:gid-96:${body}`, `urn:epc:id:gid:${body}`]) expect(formatEpcUri(ok(parseEpcUri(uri)))).toBe(uri);
      }),
      runs,
    );
  });

  it("mutated GID-96 hex never throws: it decodes or returns a typed error", () => {
    fc.assert(
      fc.property(gid, fc.nat(23), fc.string({ maxLength: 3 }), fc.nat(3), ({ manager, klass, serial }, at, insert, cut) => {
        const hex = referenceHex(manager, klass, serial);
        const mutated = hex.slice(0, at) + insert + hex.slice(at + cut);
        const result = decodeEpc(mutated);
        if (Result.isFailure(result)) expect(result.failure).toBeInstanceOf(Error);
        else expect(result.success.tagUri.startsWith("urn:epc:tag:")).toBe(true);
      }),
      runs,
    );
  });
});
