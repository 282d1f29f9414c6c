/**
 * Signed checkpoints of the center's log in the C2SP tlog-checkpoint format: a signed note whose
 * text is the origin line, the tree size in decimal, the base64 root hash, and optional
 * extension lines.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import type { InvalidAuditKey } from "./keys.js";
import { openNote, signNote, type NoteError, type NoteSigner, type NoteVerifier, type SignedNoteMalformed } from "./signed-note.js";

/** A log checkpoint: which log, how many leaves, the RFC 9162 tree head, and extension lines. */
export interface Checkpoint {
  /** The log's origin line, e.g. `hq.example.com/jxc-audit`. */
  readonly origin: string;
  /** The number of leaves. */
  readonly size: number;
  /** The 32-byte RFC 9162 tree head at that size. */
  readonly root: Uint8Array;
  /** Optional extension lines (non-empty; NOT RECOMMENDED by the spec). */
  readonly extensions: ReadonlyArray<string>;
}

/** A checkpoint text that does not follow the tlog-checkpoint format. */
export class CheckpointMalformed extends Data.TaggedError("CheckpointMalformed")<{
  /** What is wrong. */
  readonly reason: string;
  readonly message: string;
}> {}

const malformed = (reason: string) => Result.fail(new CheckpointMalformed({ reason, message: `malformed checkpoint: ${reason}` }));

const CheckpointSchema = z.object({
  origin: z.string(),
  size: z.number(),
  root: z.instanceof(Uint8Array),
  extensions: z.array(z.string()),
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The problem with a checkpoint's fields, if any. */
const problem = (c: Checkpoint): string | undefined => {
  if (c.origin.length === 0 || c.origin.includes("\n")) return "the origin must be one non-empty line";
  if (!Number.isSafeInteger(c.size) || c.size < 0) return "the size must be a non-negative integer";
  if (!(c.root instanceof Uint8Array) || c.root.length !== 32) return "the root hash must have 32 bytes";
  if (c.extensions.some((e) => e.length === 0 || e.includes("\n"))) return "extension lines must be non-empty single lines";
  return undefined;
};

/** The note text of a checkpoint: origin, size, base64 root, extension lines, each ending in a newline. */
export const formatCheckpoint = (checkpoint: Checkpoint): Result.Result<string, CheckpointMalformed> => {
  const shape = CheckpointSchema.safeParse(checkpoint);
  if (!shape.success) return malformed(shape.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const p = problem(checkpoint);
  if (p !== undefined) return malformed(p);
  const lines = [checkpoint.origin, String(checkpoint.size), Buffer.from(checkpoint.root).toString("base64"), ...checkpoint.extensions];
  return Result.succeed(lines.map((l) => `${l}\n`).join(""));
};

/** Reads a checkpoint note text (without signatures). */
export const parseCheckpoint = (text: string): Result.Result<Checkpoint, CheckpointMalformed> => {
  if (typeof text !== "string") return malformed("a checkpoint must be text");
  if (!text.endsWith("\n")) return malformed("the text must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) return malformed("a checkpoint has at least three lines: origin, size, root hash");
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) return malformed("the origin is empty");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) return malformed(`the tree size ${JSON.stringify(sizeText)} is not a decimal without leading zeros`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return malformed(`the tree size ${sizeText} is too large`);
  if (!BASE64.test(rootText)) return malformed("the root hash is not base64");
  const root = Buffer.from(rootText, "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) return malformed("the root hash is not the base64 of 32 bytes");
  if (extensions.some((e) => e.length === 0)) return malformed("extension lines must be non-empty");
  return Result.succeed({ origin, size, root: new Uint8Array(root), extensions });
};

/** Signs a checkpoint: the signed note (checkpoint text, blank line, signature line). */
export const signCheckpoint = (checkpoint: Checkpoint, signer: NoteSigner): Result.Result<string, CheckpointMalformed | SignedNoteMalformed | InvalidAuditKey> => {
  const text = formatCheckpoint(checkpoint);
  if (Result.isFailure(text)) return Result.fail(text.failure);
  return signNote(text.success, [signer]);
};

/** The origin of a checkpoint is not the log the verifier expects. */
export class CheckpointOriginMismatch extends Data.TaggedError("CheckpointOriginMismatch")<{
  /** The origin expected. */
  readonly expected: string;
  /** The origin found. */
  readonly found: string;
  readonly message: string;
}> {}

/**
 * Verifies a signed checkpoint against the log's key and reads it. With `origin`, the
 * checkpoint must be of that log.
 */
export const openCheckpoint = (
  note: string,
  verifier: NoteVerifier,
  origin?: string,
): Result.Result<Checkpoint, NoteError | CheckpointMalformed | CheckpointOriginMismatch | InvalidAuditKey> => {
  const opened = openNote(note, [verifier]);
  if (Result.isFailure(opened)) return Result.fail(opened.failure);
  const checkpoint = parseCheckpoint(opened.success.text);
  if (Result.isFailure(checkpoint)) return checkpoint;
  if (origin !== undefined && checkpoint.success.origin !== origin) {
    return Result.fail(new CheckpointOriginMismatch({ expected: origin, found: checkpoint.success.origin, message: `the checkpoint is of ${checkpoint.success.origin}, not ${origin}` }));
  }
  return checkpoint;
};
