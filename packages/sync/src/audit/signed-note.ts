/**
 * C2SP signed notes (c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note): a text
 * ending in a newline, a blank line, then signature lines `— <key name> <base64(key ID || sig)>`.
 * Only ed25519 (signature type 0x01) is supported; its key ID is the first four bytes of
 * SHA-256(key name || 0x0A || 0x01 || 32-byte public key), big-endian.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { Data, Result } from "effect";
import { z } from "zod";
import { publicKeyOf, rawPublicKey, signEd25519, verifyEd25519, type AuditPrivateKey, type AuditPublicKey, type InvalidAuditKey } from "./keys.js";

/** Who signs a note: a key name (e.g. `hq.example.com/audit`) and its ed25519 private key. */
export interface NoteSigner {
  /** The key name: non-empty, no Unicode spaces, no `+`. */
  readonly name: string;
  /** The ed25519 private key. */
  readonly key: AuditPrivateKey;
}

/** A trusted key a note is verified against: its name and ed25519 public key. */
export interface NoteVerifier {
  /** The key name. */
  readonly name: string;
  /** The ed25519 public key. */
  readonly publicKey: AuditPublicKey;
}

/** Text that is not a well-formed signed note (or a note text or key name that cannot be signed). */
export class SignedNoteMalformed extends Data.TaggedError("SignedNoteMalformed")<{
  /** What is wrong. */
  readonly reason: string;
  readonly message: string;
}> {}

/** A note with no valid signature from any of the trusted keys (e.g. signed by another key). */
export class NoteNotSigned extends Data.TaggedError("NoteNotSigned")<{
  /** The names of the trusted keys looked for. */
  readonly keyNames: ReadonlyArray<string>;
  readonly message: string;
}> {}

/** A note carrying a signature line of a trusted key (same name and key ID) that does not verify. */
export class NoteSignatureInvalid extends Data.TaggedError("NoteSignatureInvalid")<{
  /** The trusted key whose signature failed. */
  readonly keyName: string;
  readonly message: string;
}> {}

/** The errors of {@link openNote}. */
export type NoteError = SignedNoteMalformed | NoteNotSigned | NoteSignatureInvalid;

const ED25519 = 0x01;
const DASH = "\u2014 ";
const MAX_SIGNATURES = 100;

const Text = z.string();
const SignersSchema = z.array(z.object({ name: z.string(), key: z.unknown() })).min(1, "a note needs at least one signer");
const VerifiersSchema = z.array(z.object({ name: z.string(), publicKey: z.unknown() }));

const malformed = (reason: string) => Result.fail(new SignedNoteMalformed({ reason, message: `malformed signed note: ${reason}` }));

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether `name` is a valid key name: non-empty, valid UTF-8, no Unicode spaces, no `+`. */
export const isNoteKeyName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name) && !LONE_SURROGATE.test(name) && !CONTROL.test(name) && !name.includes("\n");

/** The 4-byte key ID of an ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4], as a uint32. */
export const noteKeyId = (name: string, publicKey: AuditPublicKey): Result.Result<number, InvalidAuditKey> =>
  Result.map(rawPublicKey(publicKey), (pk) =>
    createHash("sha256").update(name, "utf8").update(Uint8Array.of(0x0a, ED25519)).update(pk).digest().readUInt32BE(0),
  );

/** The problem with a note text, if any: it must be non-empty valid UTF-8 ending in a newline, without other control characters. */
const textProblem = (text: string): string | undefined => {
  if (text.length === 0 || !text.endsWith("\n")) return "the text must end with a newline";
  if (CONTROL.test(text)) return "the text contains a control character other than newline";
  if (LONE_SURROGATE.test(text)) return "the text is not valid UTF-8";
  return undefined;
};

/** Signs a note text with one or more ed25519 keys: the signed note (text, blank line, signature lines). */
export const signNote = (text: string, signers: ReadonlyArray<NoteSigner>): Result.Result<string, SignedNoteMalformed | InvalidAuditKey> => {
  if (!Text.safeParse(text).success) return malformed("the note text must be a string");
  const listed = SignersSchema.safeParse(signers);
  if (!listed.success) return malformed(listed.error.issues.map((i) => i.message).join("; "));
  const problem = textProblem(text);
  if (problem !== undefined) return malformed(problem);
  if (signers.length === 0) return malformed("a note needs at least one signer");
  const message = Buffer.from(text, "utf8");
  const lines: string[] = [];
  for (const signer of signers) {
    if (!isNoteKeyName(signer.name)) return malformed(`invalid key name ${JSON.stringify(signer.name)}`);
    const signature = signEd25519(signer.key, message);
    if (Result.isFailure(signature)) return Result.fail(signature.failure);
    const pk = publicKeyOf(signer.key);
    if (Result.isFailure(pk)) return Result.fail(pk.failure);
    const id = noteKeyId(signer.name, pk.success);
    if (Result.isFailure(id)) return Result.fail(id.failure);
    const idBytes = Buffer.alloc(4);
    idBytes.writeUInt32BE(id.success, 0);
    lines.push(`${DASH}${signer.name} ${Buffer.concat([idBytes, signature.success]).toString("base64")}\n`);
  }
  return Result.succeed(`${text}\n${lines.join("")}`);
};

/** A parsed signature line of a note. */
export interface NoteSignature {
  /** The key name. */
  readonly name: string;
  /** The key ID (first four bytes of the decoded signature, big-endian). */
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly signature: Uint8Array;
}

/** A parsed (not yet verified) signed note: its text and its signature lines. */
export interface ParsedNote {
  /** The note text, ending in a newline (what the signatures cover). */
  readonly text: string;
  /** The signature lines, in order. */
  readonly signatures: ReadonlyArray<NoteSignature>;
}

/** Splits a signed note into text and signatures, checking the format only (no signature is verified). */
export const parseNote = (note: string): Result.Result<ParsedNote, SignedNoteMalformed> => {
  if (!Text.safeParse(note).success) return malformed("a signed note must be a string");
  if (CONTROL.test(note)) return malformed("the note contains a control character other than newline");
  if (LONE_SURROGATE.test(note)) return malformed("the note is not valid UTF-8");
  if (!note.endsWith("\n")) return malformed("the note must end with a newline");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return malformed("no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  const lines = block.split("\n").slice(0, -1);
  if (lines.length === 0) return malformed("no signature lines");
  if (lines.length > MAX_SIGNATURES) return malformed(`more than ${MAX_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(DASH)) return malformed(`a signature line must start with an em dash and a space: ${JSON.stringify(line)}`);
    const rest = line.slice(DASH.length);
    const space = rest.indexOf(" ");
    if (space < 0) return malformed(`a signature line needs a key name and a signature: ${JSON.stringify(line)}`);
    const name = rest.slice(0, space);
    const encoded = rest.slice(space + 1);
    if (!isNoteKeyName(name)) return malformed(`invalid key name ${JSON.stringify(name)}`);
    if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return malformed(`the signature of ${name} is not base64`);
    const bytes = Buffer.from(encoded, "base64");
    if (bytes.toString("base64") !== encoded) return malformed(`the signature of ${name} is not canonical base64`);
    if (bytes.length < 5) return malformed(`the signature of ${name} is too short`);
    signatures.push({ name, keyId: bytes.readUInt32BE(0), signature: new Uint8Array(bytes.subarray(4)) });
  }
  return Result.succeed({ text, signatures });
};

/** A verified note: its text and the names of the trusted keys whose signatures verified. */
export interface OpenedNote {
  /** The note text, ending in a newline. */
  readonly text: string;
  /** The trusted keys that signed it. */
  readonly verifiedBy: ReadonlyArray<string>;
}

/**
 * Verifies a signed note against trusted keys (C2SP signed-note §Signatures): signatures of
 * unknown keys are ignored, a signature of a trusted key (same name and key ID) that fails
 * rejects the whole note, and at least one trusted signature must verify.
 */
export const openNote = (note: string, verifiers: ReadonlyArray<NoteVerifier>): Result.Result<OpenedNote, NoteError | InvalidAuditKey> => {
  const parsed = parseNote(note);
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const listed = VerifiersSchema.safeParse(verifiers);
  if (!listed.success) return malformed(`the trusted keys are not a list of names and keys: ${listed.error.issues.map((i) => i.message).join("; ")}`);
  const { text, signatures } = parsed.success;
  const message = Buffer.from(text, "utf8");
  const verifiedBy: string[] = [];
  for (const verifier of verifiers) {
    const id = noteKeyId(verifier.name, verifier.publicKey);
    if (Result.isFailure(id)) return Result.fail(id.failure);
    for (const sig of signatures) {
      if (sig.name !== verifier.name || sig.keyId !== id.success) continue;
      if (!verifyEd25519(verifier.publicKey, message, sig.signature)) {
        return Result.fail(new NoteSignatureInvalid({ keyName: verifier.name, message: `the signature of ${verifier.name} does not verify` }));
      }
      if (!verifiedBy.includes(verifier.name)) verifiedBy.push(verifier.name);
    }
  }
  if (verifiedBy.length === 0) {
    const keyNames = verifiers.map((v) => v.name);
    return Result.fail(new NoteNotSigned({ keyNames, message: `the note is not signed by any trusted key (${keyNames.join(", ") || "none given"})` }));
  }
  return Result.succeed({ text, verifiedBy });
};

/**
 * The verifier key text of golang.org/x/mod/sumdb/note: `<name>+<hex key ID>+<base64(0x01 || public key)>`,
 * the form in which a center publishes its checkpoint key to edges.
 */
export const formatVerifierKey = (verifier: NoteVerifier): Result.Result<string, SignedNoteMalformed | InvalidAuditKey> => {
  if (!isNoteKeyName(verifier.name)) return malformed(`invalid key name ${JSON.stringify(verifier.name)}`);
  const pk = rawPublicKey(verifier.publicKey);
  if (Result.isFailure(pk)) return Result.fail(pk.failure);
  const id = noteKeyId(verifier.name, pk.success);
  if (Result.isFailure(id)) return Result.fail(id.failure);
  return Result.succeed(`${verifier.name}+${id.success.toString(16).padStart(8, "0")}+${Buffer.concat([Uint8Array.of(ED25519), pk.success]).toString("base64")}`);
};

/** Reads a verifier key text (see {@link formatVerifierKey}), checking its key ID. */
export const parseVerifierKey = (text: string): Result.Result<NoteVerifier, SignedNoteMalformed> => {
  if (!Text.safeParse(text).success) return malformed("a verifier key must be a string");
  const parts = text.split("+");
  if (parts.length !== 3) return malformed("a verifier key has the form name+keyid+key");
  const [name, hexId, encoded] = parts as [string, string, string];
  if (!isNoteKeyName(name)) return malformed(`invalid key name ${JSON.stringify(name)}`);
  if (!/^[0-9a-f]{8}$/.test(hexId)) return malformed("the key ID must be 8 lower-case hex digits");
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.toString("base64") !== encoded || bytes.length !== 33 || bytes[0] !== ED25519) return malformed("the key must be base64 of 0x01 and a 32-byte ed25519 public key");
  const publicKey = new Uint8Array(bytes.subarray(1));
  const id = noteKeyId(name, publicKey);
  if (Result.isFailure(id) || id.success !== Number.parseInt(hexId, 16)) return malformed("the key ID does not match the key");
  return Result.succeed({ name, publicKey });
};
