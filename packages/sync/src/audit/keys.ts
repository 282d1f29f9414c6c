/**
 * Ed25519 keys of the audit log: replicas sign their chain entries, the center signs its
 * checkpoints. Keys are arguments, given either as node:crypto `KeyObject`s or as raw 32-byte
 * values (the RFC 8032 private seed, the RFC 8032 public key).
 *
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { Data, Result } from "effect";

/** An ed25519 private key: a node:crypto private `KeyObject` or the raw 32-byte seed (RFC 8032). */
export type AuditPrivateKey = KeyObject | Uint8Array;

/** An ed25519 public key: a node:crypto public `KeyObject` or the raw 32-byte key (RFC 8032). */
export type AuditPublicKey = KeyObject | Uint8Array;

/** Key material that is not an ed25519 key of the expected kind (private or public). */
export class InvalidAuditKey extends Data.TaggedError("InvalidAuditKey")<{
  /** Which key was expected: `private` or `public`. */
  readonly expected: "private" | "public";
  /** Why the key was refused. */
  readonly reason: string;
  readonly message: string;
}> {}

// DER prefixes of PKCS#8 (private) and SPKI (public) ed25519 keys (RFC 8410): raw key appended.
// (Kept as text: no mutable byte arrays at module level.)
const PKCS8_PREFIX = "302e020100300506032b657004220420";
const SPKI_PREFIX = "302a300506032b6570032100";
const SPKI_PREFIX_BYTES = SPKI_PREFIX.length / 2;

const concat = (prefixHex: string, key: Uint8Array): Buffer => Buffer.concat([Buffer.from(prefixHex, "hex"), key]);

const refuse = (expected: "private" | "public", reason: string) =>
  Result.fail(new InvalidAuditKey({ expected, reason, message: `invalid ed25519 ${expected} key: ${reason}` }));

const isKeyObject = (key: unknown): key is KeyObject =>
  typeof key === "object" && key !== null && "asymmetricKeyType" in key && "type" in key && !(key instanceof Uint8Array);

/** The private `KeyObject` for an ed25519 private key given as a `KeyObject` or a raw 32-byte seed. */
export const toPrivateKeyObject = (key: AuditPrivateKey): Result.Result<KeyObject, InvalidAuditKey> => {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) return refuse("private", `a raw seed has 32 bytes, got ${key.length}`);
    try {
      return Result.succeed(createPrivateKey({ key: concat(PKCS8_PREFIX, key), format: "der", type: "pkcs8" }));
    } catch (e) {
      return refuse("private", String(e));
    }
  }
  if (!isKeyObject(key)) return refuse("private", "neither a KeyObject nor a Uint8Array");
  if (key.type !== "private") return refuse("private", `a ${key.type} key was given`);
  if (key.asymmetricKeyType !== "ed25519") return refuse("private", `a ${String(key.asymmetricKeyType)} key was given`);
  return Result.succeed(key);
};

/** The public `KeyObject` for an ed25519 public key given as a `KeyObject` or raw 32 bytes. */
export const toPublicKeyObject = (key: AuditPublicKey): Result.Result<KeyObject, InvalidAuditKey> => {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) return refuse("public", `a raw public key has 32 bytes, got ${key.length}`);
    try {
      return Result.succeed(createPublicKey({ key: concat(SPKI_PREFIX, key), format: "der", type: "spki" }));
    } catch (e) {
      return refuse("public", String(e));
    }
  }
  if (!isKeyObject(key)) return refuse("public", "neither a KeyObject nor a Uint8Array");
  if (key.type !== "public") return refuse("public", `a ${key.type} key was given`);
  if (key.asymmetricKeyType !== "ed25519") return refuse("public", `a ${String(key.asymmetricKeyType)} key was given`);
  return Result.succeed(key);
};

/** The raw 32-byte ed25519 public key (RFC 8032 encoding) of a public key. */
export const rawPublicKey = (key: AuditPublicKey): Result.Result<Uint8Array, InvalidAuditKey> =>
  Result.map(toPublicKeyObject(key), (k) => new Uint8Array(k.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX_BYTES)));

/** The ed25519 public key that belongs to a private key, as raw 32 bytes. */
export const publicKeyOf = (key: AuditPrivateKey): Result.Result<Uint8Array, InvalidAuditKey> =>
  Result.flatMap(toPrivateKeyObject(key), (k) => rawPublicKey(createPublicKey(k)));

/** Signs `message` with ed25519 (RFC 8032, pure): the 64-byte signature. */
export const signEd25519 = (key: AuditPrivateKey, message: Uint8Array): Result.Result<Uint8Array, InvalidAuditKey> =>
  Result.map(toPrivateKeyObject(key), (k) => new Uint8Array(sign(null, message, k)));

/** Whether `signature` is a valid ed25519 signature of `message` by `key`; false for malformed keys or signatures. */
export const verifyEd25519 = (key: AuditPublicKey, message: Uint8Array, signature: Uint8Array): boolean => {
  const k = toPublicKeyObject(key);
  if (Result.isFailure(k) || signature.length !== 64) return false;
  try {
    return verify(null, message, k.success, signature);
  } catch {
    return false;
  }
};
