import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  formatCheckpoint,
  formatVerifierKey,
  merkleTreeOf,
  noteKeyId,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  publicKeyOf,
  signCheckpoint,
  signNote,
} from "@jxc/sync";
import { failWith, ok } from "../../../scripts/test-support.js";

// The known-answer vector of golang.org/x/mod/sumdb/note (package documentation of note.go and
// note_test.go): the PeterNeumann key pair and its signed note. Ed25519 is deterministic, so
// signing the same text with the same seed must give the same bytes.
const SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;
const seed = Uint8Array.from(Buffer.from(SKEY.split("+").slice(4).join("+"), "base64").subarray(1));
const peter = { name: "PeterNeumann", key: seed };

const hq = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
const ORIGIN = "hq.example.com/jxc-audit";
const hqSigner = { name: ORIGIN, key: hq.privateKey };
const hqVerifier = { name: ORIGIN, publicKey: hq.publicKey };

describe("C2SP signed notes", () => {
  it("reproduces the sumdb/note known answer: key ID, verifier key and signature", () => {
    const pub = ok(publicKeyOf(seed));
    expect(ok(noteKeyId("PeterNeumann", pub)).toString(16)).toBe("c74f20a3");
    expect(ok(formatVerifierKey({ name: "PeterNeumann", publicKey: pub }))).toBe(VKEY);
    expect(ok(signNote(TEXT, [peter]))).toBe(NOTE);
    expect(ok(openNote(NOTE, [ok(parseVerifierKey(VKEY))]))).toEqual({ text: TEXT, verifiedBy: ["PeterNeumann"] });
  });

  it("rejects a tampered text, another key, and ignores unknown signatures", () => {
    const verifier = ok(parseVerifierKey(VKEY));
    failWith(openNote(NOTE.replace("cryptography", "cryptographY"), [verifier]), "NoteSignatureInvalid");
    failWith(openNote(NOTE, [{ name: "PeterNeumann", publicKey: other.publicKey }]), "NoteNotSigned");
    failWith(openNote(NOTE, []), "NoteNotSigned");
    const cosigned = ok(signNote(TEXT, [peter, { name: "witness.example", key: other.privateKey }]));
    expect(ok(openNote(cosigned, [verifier])).verifiedBy).toEqual(["PeterNeumann"]);
  });

  it("rejects malformed notes and unsignable texts", () => {
    for (const bad of [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n-- PeterNeumann AAAA\n`,
      `${TEXT}\n— PeterNeumann\n`,
      `${TEXT}\n— Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${TEXT}\n— PeterNeumann AAA=\n`,
      `${TEXT}\n— PeterNeumann not-base64!\n`,
      NOTE.slice(0, -1),
      `a\tb\n${NOTE}`,
    ]) {
      failWith(parseNote(bad), "SignedNoteMalformed");
    }
    failWith(signNote("no newline", [peter]), "SignedNoteMalformed");
    failWith(signNote(42 as unknown as string, [peter]), "SignedNoteMalformed");
    failWith(signNote(TEXT, []), "SignedNoteMalformed");
    failWith(parseNote(null as unknown as string), "SignedNoteMalformed");
    failWith(parseCheckpoint(7 as unknown as string), "CheckpointMalformed");
    failWith(signNote("bell\u0007\n", [peter]), "SignedNoteMalformed");
    failWith(signNote(TEXT, [{ name: "has space", key: seed }]), "SignedNoteMalformed");
    failWith(parseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), "SignedNoteMalformed");
  });
});

describe("tlog checkpoints", () => {
  const tree = merkleTreeOf(["a", "b", "c"].map((s) => new TextEncoder().encode(s)));
  const checkpoint = { origin: ORIGIN, size: 3, root: tree.root(), extensions: [] };

  it("formats origin, size and base64 root, and reads them back", () => {
    const text = ok(formatCheckpoint(checkpoint));
    expect(text).toBe(`${ORIGIN}\n3\n${Buffer.from(tree.root()).toString("base64")}\n`);
    expect(ok(parseCheckpoint(text))).toEqual(checkpoint);
    const withExt = { ...checkpoint, extensions: ["ext line"] };
    expect(ok(parseCheckpoint(ok(formatCheckpoint(withExt))))).toEqual(withExt);
  });

  it("signs and opens a checkpoint with the log's key; the signature line is the C2SP one", () => {
    const note = ok(signCheckpoint(checkpoint, hqSigner));
    expect(note.split("\n\n")[1]).toMatch(new RegExp(`^— ${ORIGIN.replace(/\./g, "\\.")} [A-Za-z0-9+/]{91}=\n$`));
    expect(ok(openCheckpoint(note, hqVerifier, ORIGIN))).toEqual(checkpoint);
  });

  it("refuses a wrong key, a bad signature, a wrong origin and malformed texts", () => {
    const note = ok(signCheckpoint(checkpoint, hqSigner));
    failWith(openCheckpoint(note, { name: ORIGIN, publicKey: other.publicKey }), "NoteNotSigned");
    failWith(openCheckpoint(note.replace("\n3\n", "\n4\n"), hqVerifier), "NoteSignatureInvalid");
    failWith(openCheckpoint(note, hqVerifier, "other.example/log"), "CheckpointOriginMismatch");
    for (const bad of [`${ORIGIN}\n3\n`, `${ORIGIN}\n03\nAAAA\n`, `${ORIGIN}\n3\nAAAA\n`, `\n3\n${Buffer.alloc(32).toString("base64")}\n`, `${ORIGIN}\n3\n${Buffer.alloc(32).toString("base64")}\n\n`, `${ORIGIN}\n-1\n${Buffer.alloc(32).toString("base64")}\n`]) {
      failWith(parseCheckpoint(bad), "CheckpointMalformed");
    }
    const signedGarbage = ok(signNote("just one line\n", [hqSigner]));
    failWith(openCheckpoint(signedGarbage, hqVerifier), "CheckpointMalformed");
    failWith(formatCheckpoint({ ...checkpoint, root: new Uint8Array(31) }), "CheckpointMalformed");
  });
});
