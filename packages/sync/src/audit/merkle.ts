/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2) §2.1, as the center keeps over all
 * replicas' audit entries: leaf and node hashing with domain separation, the tree head MTH,
 * inclusion proofs (§2.1.3) and consistency proofs (§2.1.4), generation and verification.
 *
 * The tree stores every complete subtree hash (about 2n hashes), so appending costs amortised
 * O(1) hashes and a root or proof O(log² n) at worst, never a recomputation over all leaves.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { Data, Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";

const LeafHashSchema = z.instanceof(Uint8Array).refine((b) => b.length === 32, "a leaf hash has 32 bytes");

const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};


/** The hash of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const emptyTreeHash = (): Uint8Array => sha256();

/** The leaf hash: SHA-256(0x00 || leaf) (RFC 9162 §2.1.1). */
export const merkleLeafHash = (leaf: Uint8Array): Uint8Array => sha256(Uint8Array.of(0x00), leaf);

/** The interior node hash: SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export const merkleNodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(Uint8Array.of(0x01), left, right);

/** The largest power of two smaller than `n` (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

const isPowerOfTwo = (n: number): boolean => n >= 1 && Number.isInteger(Math.log2(n)) && 2 ** Math.log2(n) === n;

/**
 * MTH(D[n]) computed from the leaves by the recursive definition of RFC 9162 §2.1.1 — the
 * reference the incremental {@link MerkleTree} is checked against. O(n).
 */
export const merkleTreeHash = (leaves: ReadonlyArray<Uint8Array>): Uint8Array => {
  const mth = (from: number, to: number): Uint8Array => {
    const n = to - from;
    if (n === 0) return emptyTreeHash();
    if (n === 1) return merkleLeafHash(leaves[from] as Uint8Array);
    const k = splitPoint(n);
    return merkleNodeHash(mth(from, from + k), mth(from + k, to));
  };
  return mth(0, leaves.length);
};

/** A proof was asked for positions the tree does not have (index ≥ size, size beyond the tree, m > n). */
export class MerkleRangeError extends Data.TaggedError("MerkleRangeError")<{
  /** What was asked: `inclusion`, `consistency` or `root`. */
  readonly proof: "inclusion" | "consistency" | "root";
  /** The leaf index or old tree size asked for. */
  readonly index: number;
  /** The tree size asked for. */
  readonly size: number;
  /** The tree's actual size. */
  readonly treeSize: number;
  readonly message: string;
}> {}

/** A proof that does not verify (RFC 9162 §2.1.3.2 / §2.1.4.2), with the reason. */
export class MerkleProofRejected extends Data.TaggedError("MerkleProofRejected")<{
  /** Which kind of proof. */
  readonly proof: "inclusion" | "consistency";
  /** Why: bad arguments, a proof of the wrong length, or a root that does not match. */
  readonly reason: string;
  readonly message: string;
}> {}

interface TreeStore {
  /** levels[h][i]: the hash of the complete subtree of 2^h leaves starting at leaf i·2^h. */
  readonly levels: Uint8Array[][];
}

/**
 * An append-only RFC 9162 Merkle tree, immutable: {@link MerkleTree.append} returns a new tree
 * sharing storage with this one (appending to an older value copies, so every value keeps its
 * leaves). Leaves are given as data (hashed with {@link merkleLeafHash}) or as leaf hashes.
 */
export class MerkleTree {
  /** Number of leaves. */
  readonly size: number;
  readonly #store: TreeStore;

  /** @internal Use {@link emptyMerkleTree}. */
  constructor(store: { readonly levels: Uint8Array[][] }, size: number) {
    this.#store = store;
    this.size = size;
  }

  /** A tree with one more leaf, whose data is `leaf` (hashed with {@link merkleLeafHash}). */
  append(leaf: Uint8Array): MerkleTree {
    return this.#appendHash(merkleLeafHash(leaf));
  }

  /** A tree with one more leaf given by its 32-byte leaf hash; anything else is refused. */
  appendLeafHash(leafHash: Uint8Array): Result.Result<MerkleTree, InvalidInput> {
    return Result.map(parseInput(LeafHashSchema, leafHash, "Merkle leaf hash"), (h) => this.#appendHash(new Uint8Array(h)));
  }

  #appendHash(leafHash: Uint8Array): MerkleTree {
    const own = (this.#store.levels[0]?.length ?? 0) === this.size;
    const store: TreeStore = own ? this.#store : { levels: this.#store.levels.map((level, h) => level.slice(0, Math.floor(this.size / 2 ** h))) };
    const levels = store.levels;
    (levels[0] ??= []).push(leafHash);
    let index = this.size;
    let height = 0;
    while (index % 2 === 1) {
      const level = levels[height] as Uint8Array[];
      const parent = merkleNodeHash(level[index - 1] as Uint8Array, level[index] as Uint8Array);
      height += 1;
      (levels[height] ??= []).push(parent);
      index = (index - 1) / 2;
    }
    return new MerkleTree(store, this.size + 1);
  }

  /** The leaf hash at `index`, if the tree has it. */
  leafHash(index: number): Uint8Array | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.size ? this.#store.levels[0]?.[index] : undefined;
  }

  /** MTH(D[start:end]) for a range that is a subtree of some RFC 9162 tree over these leaves. */
  #hashRange(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return emptyTreeHash();
    if (isPowerOfTwo(n) && start % n === 0) return this.#store.levels[Math.log2(n)]?.[start / n] as Uint8Array;
    const k = splitPoint(n);
    return merkleNodeHash(this.#hashRange(start, start + k), this.#hashRange(start + k, end));
  }

  /** The tree head MTH of the current tree. */
  root(): Uint8Array {
    return this.#hashRange(0, this.size);
  }

  /** The tree head of the first `size` leaves (an earlier version of this tree). */
  rootAt(size: number): Result.Result<Uint8Array, MerkleRangeError> {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) return Result.fail(this.#range("root", size, size));
    return Result.succeed(this.#hashRange(0, size));
  }

  #range(proof: "inclusion" | "consistency" | "root", index: number, size: number): MerkleRangeError {
    return new MerkleRangeError({ proof, index, size, treeSize: this.size, message: `no ${proof} proof for ${index} in a tree of ${size} (the tree has ${this.size} leaves)` });
  }

  /** The inclusion proof PATH(index, D[size]) of RFC 9162 §2.1.3.1 (default size: the whole tree). */
  inclusionProof(index: number, size: number = this.size): Result.Result<ReadonlyArray<Uint8Array>, MerkleRangeError> {
    if (!Number.isSafeInteger(size) || size < 1 || size > this.size || !Number.isSafeInteger(index) || index < 0 || index >= size) {
      return Result.fail(this.#range("inclusion", index, size));
    }
    const path: Uint8Array[] = [];
    const walk = (m: number, start: number, end: number): void => {
      if (end - start <= 1) return;
      const k = splitPoint(end - start);
      if (m < k) {
        walk(m, start, start + k);
        path.push(this.#hashRange(start + k, end));
      } else {
        walk(m - k, start + k, end);
        path.push(this.#hashRange(start, start + k));
      }
    };
    walk(index, 0, size);
    return Result.succeed(path);
  }

  /** The consistency proof PROOF(m, D[n]) of RFC 9162 §2.1.4.1 (default n: the whole tree); empty for m = 0 or m = n. */
  consistencyProof(m: number, n: number = this.size): Result.Result<ReadonlyArray<Uint8Array>, MerkleRangeError> {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.size || !Number.isSafeInteger(m) || m < 0 || m > n) return Result.fail(this.#range("consistency", m, n));
    const proof: Uint8Array[] = [];
    const subproof = (m1: number, start: number, end: number, complete: boolean): void => {
      const size = end - start;
      if (m1 === size) {
        if (!complete) proof.push(this.#hashRange(start, end));
        return;
      }
      const k = splitPoint(size);
      if (m1 <= k) {
        subproof(m1, start, start + k, complete);
        proof.push(this.#hashRange(start + k, end));
      } else {
        subproof(m1 - k, start + k, end, false);
        proof.push(this.#hashRange(start, start + k));
      }
    };
    if (m > 0 && m < n) subproof(m, 0, n, true);
    return Result.succeed(proof);
  }
}

/** A new empty tree (a fresh value each call: trees own their storage). */
export const emptyMerkleTree = (): MerkleTree => new MerkleTree({ levels: [[]] }, 0);

/** A tree over the given leaves (data, hashed with {@link merkleLeafHash}). */
export const merkleTreeOf = (leaves: Iterable<Uint8Array>): MerkleTree => {
  let tree = emptyMerkleTree();
  for (const leaf of leaves) tree = tree.append(leaf);
  return tree;
};

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const rejected = (proof: "inclusion" | "consistency", reason: string) =>
  Result.fail(new MerkleProofRejected({ proof, reason, message: `${proof} proof rejected: ${reason}` }));

const validSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2: that the leaf with hash
 * `leafHash` is at `index` in the tree of `size` leaves whose head is `root`.
 */
export const verifyInclusion = (
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: ReadonlyArray<Uint8Array>,
  root: Uint8Array,
): Result.Result<void, MerkleProofRejected> => {
  if (!validSize(index) || !validSize(size) || index >= size) return rejected("inclusion", `leaf index ${index} is not in a tree of ${size}`);
  if (leafHash.length !== 32 || root.length !== 32 || proof.some((p) => p.length !== 32)) return rejected("inclusion", "hashes must have 32 bytes");
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return rejected("inclusion", "the proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return rejected("inclusion", "the proof is too short");
  if (!equalBytes(r, root)) return rejected("inclusion", "the computed root does not match");
  return Result.void;
};

/**
 * Verifies a consistency proof by the algorithm of RFC 9162 §2.1.4.2: that the tree of `n`
 * leaves with head `root2` extends the tree of `m` leaves with head `root1`. For m = n the proof
 * must be empty and the roots equal; for m = 0 the proof must be empty.
 */
export const verifyConsistency = (
  m: number,
  n: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: ReadonlyArray<Uint8Array>,
): Result.Result<void, MerkleProofRejected> => {
  if (!validSize(m) || !validSize(n) || m > n) return rejected("consistency", `an old size ${m} cannot precede a new size ${n}`);
  if (root1.length !== 32 || root2.length !== 32 || proof.some((p) => p.length !== 32)) return rejected("consistency", "hashes must have 32 bytes");
  if (m === n) {
    if (proof.length !== 0) return rejected("consistency", "equal sizes take an empty proof");
    return equalBytes(root1, root2) ? Result.void : rejected("consistency", "equal sizes with different roots");
  }
  if (m === 0) return proof.length === 0 ? Result.void : rejected("consistency", "an empty old tree takes an empty proof");
  if (proof.length === 0) return rejected("consistency", "the proof is empty");
  const path = isPowerOfTwo(m) ? [root1, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0) return rejected("consistency", "the proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      fr = merkleNodeHash(c, fr);
      sr = merkleNodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = merkleNodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return rejected("consistency", "the proof is too short");
  if (!equalBytes(fr, root1)) return rejected("consistency", "the old root does not match");
  if (!equalBytes(sr, root2)) return rejected("consistency", "the new root does not match");
  return Result.void;
};
