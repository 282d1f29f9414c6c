/**
 * The state digest, kept incrementally: a 64-bit checksum (two 32-bit lanes) that is the sum,
 * modulo 2³², of one term per entry of the state — per counter entry (`inc`, `dec`, `xfer`) a
 * weight drawn from the counter's key, the kind and the replica names, times the entry's total;
 * per register and per document status a hash of the entry. A sum does not depend on the order
 * in which entries were written or arrived, so replicas that converged have the same digest; and
 * a write changes it by the difference of one term, so the state updates it in O(1) per write
 * instead of hashing its canonical text (see `recomputeDigest` in `@jxc/sync/testing`, which sums
 * every term again and is proven equal by a property).
 *
 * A checksum to detect divergence between honest replicas (as the summary message uses it), not
 * a cryptographic commitment: the tamper-evident log is the audit chain.
 *
 * @module
 */
import type { LwwEntry } from "./lww.js";
import type { StatusEntry } from "./status.js";

/** The kinds of counter entries, as they enter an entry's weight. */
export const ENTRY_INC = 1;
/** A `dec` entry (see {@link ENTRY_INC}). */
export const ENTRY_DEC = 2;
/** An `xfer` entry (see {@link ENTRY_INC}). */
export const ENTRY_XFER = 3;

/** Murmur3's 32-bit finalizer: every input bit affects every output bit. */
const fmix32 = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** FNV-1a of a text over UTF-16 code units with `seed` as offset basis, finalized. */
const fnv32 = (text: string, seed: number): number => {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h);
};

/** Two independent 32-bit hashes of a text (a counter key or a replica name): lane A and lane B. */
export const textLanes = (text: string): readonly [number, number] => [fnv32(text, 0x811c9dc5), fnv32(text, 0x9e3779b9)];

const TWO_32 = 4294967296;

/**
 * The term of a counter entry in one lane: `w·lo + w'·hi (mod 2³²)` for a total `lo + 2³²·hi`
 * (a safe integer ≥ 0), where `w` (odd) mixes the counter's key hash, the entry kind and the
 * owner's (and for `xfer` the receiver's) name hash, and `w'` is derived from `w`.
 */
export const entryTerm = (cellHash: number, kind: number, owner: number, receiver: number, total: number): number => {
  const w = entryWeight(cellHash, kind, owner, receiver);
  return (Math.imul(w, total >>> 0) + Math.imul(fmix32(w) | 1, Math.floor(total / TWO_32))) | 0;
};

/** The weight `w` of an entry's low word (odd). */
const entryWeight = (cellHash: number, kind: number, owner: number, receiver: number): number =>
  fmix32(cellHash ^ Math.imul(owner, 0x9e3779b1) ^ Math.imul(receiver, 0x27d4eb2f) ^ Math.imul(kind, 0x165667b1)) | 1;

/**
 * `entryTerm(…, next) − entryTerm(…, old)` (mod 2³²): what the digest changes by when an entry
 * goes from `old` to `next` — the weight mixed once, its high-word weight only when the totals'
 * high words differ (totals below 2³² never need it).
 */
export const entryTermChange = (cellHash: number, kind: number, owner: number, receiver: number, old: number, next: number): number => {
  const w = entryWeight(cellHash, kind, owner, receiver);
  const low = Math.imul(w, (next >>> 0) - (old >>> 0));
  const high = Math.floor(next / TWO_32) - Math.floor(old / TWO_32);
  return (high === 0 ? low : low + Math.imul(fmix32(w) | 1, high)) | 0;
};

/** The terms of a register in lanes A and B (a hash of its table, key, value and timestamp). */
export const registerTerms = (entry: LwwEntry): readonly [number, number] =>
  textLanes(`r\u001f${entry.table}\u001f${entry.key}\u001f${JSON.stringify(entry.value)}\u001f${entry.hlc.wall}\u001f${entry.hlc.logical}\u001f${entry.hlc.node}`);

/** The terms of a document status in lanes A and B. */
export const statusTerms = (entry: StatusEntry): readonly [number, number] => textLanes(`s\u001f${entry.doc}\u001f${entry.status}\u001f${entry.by}`);

/** A digest's text: both lanes as 16 hex digits. */
export const digestText = (laneA: number, laneB: number): string => (laneA >>> 0).toString(16).padStart(8, "0") + (laneB >>> 0).toString(16).padStart(8, "0");
