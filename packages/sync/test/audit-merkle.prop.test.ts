import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { merkleLeafHash, merkleTreeHash, merkleTreeOf, verifyConsistency, verifyInclusion } from "@jxc/sync";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** Distinct random leaves (1..40). */
const leavesArb = fc.uniqueArray(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 40, selector: hex });
const ok = (r: Result.Result<unknown, unknown>) => Result.isSuccess(r);

describe("RFC 9162 Merkle tree properties (fast-check, 1,000 runs each)", () => {
  it("the incremental tree head equals MTH by the recursive definition, for the tree and every earlier size", () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const tree = merkleTreeOf(leaves);
        expect(hex(tree.root())).toBe(hex(merkleTreeHash(leaves)));
        for (let m = 0; m <= leaves.length; m++) expect(hex(Result.getOrThrow(tree.rootAt(m)))).toBe(hex(merkleTreeHash(leaves.slice(0, m))));
      }),
      runs,
    );
  });

  it("inclusion proofs verify for every leaf of every tree size, and fail for a wrong leaf, index, size or root", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, pick) => {
        const tree = merkleTreeOf(leaves);
        const n = leaves.length;
        const size = 1 + (pick % n);
        const root = Result.getOrThrow(tree.rootAt(size));
        for (let i = 0; i < size; i++) {
          const proof = Result.getOrThrow(tree.inclusionProof(i, size));
          const leaf = merkleLeafHash(leaves[i]!);
          expect(ok(verifyInclusion(leaf, i, size, proof, root))).toBe(true);
          // wrong leaf: any other leaf of the tree
          if (size > 1) expect(ok(verifyInclusion(merkleLeafHash(leaves[(i + 1) % size]!), i, size, proof, root))).toBe(false);
          // wrong index
          for (const j of [i - 1, i + 1, i ^ 1, size]) if (j !== i && j >= 0) expect(ok(verifyInclusion(leaf, j, size, proof, root))).toBe(false);
          // wrong size, against that size's real root
          for (let s = i + 1; s <= n; s++) if (s !== size) expect(ok(verifyInclusion(leaf, i, s, proof, Result.getOrThrow(tree.rootAt(s))))).toBe(false);
          // wrong root, extra or missing path element
          expect(ok(verifyInclusion(leaf, i, size, proof, merkleLeafHash(Uint8Array.of(1, 2, 3))))).toBe(false);
          expect(ok(verifyInclusion(leaf, i, size, [...proof, root], root))).toBe(false);
          if (proof.length > 0) expect(ok(verifyInclusion(leaf, i, size, proof.slice(1), root))).toBe(false);
        }
      }),
      runs,
    );
  });

  it("consistency proofs verify for every m ≤ n, and fail when the old tree is not a prefix of the new one", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.uint8Array({ minLength: 13, maxLength: 13 }), (leaves, pick, stranger) => {
        const tree = merkleTreeOf(leaves);
        const n = leaves.length;
        const root2 = tree.root();
        for (let m = 0; m <= n; m++) {
          const proof = Result.getOrThrow(tree.consistencyProof(m, n));
          const root1 = Result.getOrThrow(tree.rootAt(m));
          expect(ok(verifyConsistency(m, n, root1, root2, proof))).toBe(true);
          if (m === 0) continue;
          // an old tree that differs in one of its first m leaves (the stranger has 13 bytes, no generated leaf does)
          const changed = leaves.slice(0, m);
          changed[pick % m] = stranger;
          const otherRoot1 = merkleTreeHash(changed);
          expect(ok(verifyConsistency(m, n, otherRoot1, root2, proof))).toBe(false);
          // the new tree forked after a change in the first m leaves: its own proof does not link the old root
          const forked = merkleTreeOf([...changed, ...leaves.slice(m)]);
          if (m < n) expect(ok(verifyConsistency(m, n, root1, forked.root(), Result.getOrThrow(forked.consistencyProof(m, n))))).toBe(false);
          // a wrong old size
          if (m < n) expect(ok(verifyConsistency(m + 1, n, root1, root2, proof))).toBe(false);
        }
      }),
      runs,
    );
  });

  it("appending to an older tree value never changes a newer one (structural sharing is safe)", () => {
    fc.assert(
      fc.property(leavesArb, leavesArb, fc.nat(), (a, b, cut) => {
        const base = merkleTreeOf(a.slice(0, cut % (a.length + 1)));
        let left = base;
        for (const leaf of a.slice(base.size)) left = left.append(leaf);
        let right = base;
        for (const leaf of b) right = right.append(leaf);
        expect(hex(left.root())).toBe(hex(merkleTreeHash(a)));
        expect(hex(right.root())).toBe(hex(merkleTreeHash([...a.slice(0, base.size), ...b])));
        expect(hex(base.root())).toBe(hex(merkleTreeHash(a.slice(0, base.size))));
      }),
      runs,
    );
  });
});
