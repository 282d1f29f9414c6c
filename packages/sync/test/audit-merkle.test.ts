import { describe, expect, it } from "vitest";
import { emptyMerkleTree, emptyTreeHash, merkleLeafHash, merkleTreeHash, merkleTreeOf, verifyConsistency, verifyInclusion } from "@jxc/sync";
import { failWith, ok } from "../../../scripts/test-support.js";

// RFC 6962 test data as reproduced in transparency-dev/merkle, proof/verify_test.go
// (commit 02194e9afb6c1d95b5381350007963aa70fff472): the leaves, the tree heads of sizes 1..8,
// and the known inclusion and consistency proofs (leaf numbers there are 1-based).
const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(hex);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION: Array<[leaf: number, size: number, proof: string[]]> = [
  [1, 1, []],
  [1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]],
  [6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]],
  [3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]],
];
const CONSISTENCY: Array<[m: number, n: number, proof: string[]]> = [
  [1, 1, []],
  [1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]],
  [6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]],
  [2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]],
  [6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]],
];

const tree = merkleTreeOf(LEAVES);

describe("RFC 9162 Merkle tree against the RFC 6962 test vectors", () => {
  it("computes the empty tree head and the tree heads of sizes 1..8, incrementally and by the recursive definition", () => {
    expect(toHex(emptyTreeHash())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(emptyMerkleTree().root())).toBe(toHex(emptyTreeHash()));
    ROOTS.forEach((root, i) => {
      expect(toHex(merkleTreeHash(LEAVES.slice(0, i + 1)))).toBe(root);
      expect(toHex(ok(tree.rootAt(i + 1)))).toBe(root);
      expect(toHex(merkleTreeOf(LEAVES.slice(0, i + 1)).root())).toBe(root);
    });
  });

  it("generates and verifies the known inclusion proofs", () => {
    for (const [leaf, size, proof] of INCLUSION) {
      const generated = ok(tree.inclusionProof(leaf - 1, size));
      expect(generated.map(toHex)).toEqual(proof);
      ok(verifyInclusion(merkleLeafHash(LEAVES[leaf - 1]!), leaf - 1, size, proof.map(hex), hex(ROOTS[size - 1]!)));
    }
  });

  it("generates and verifies the known consistency proofs", () => {
    for (const [m, n, proof] of CONSISTENCY) {
      expect(ok(tree.consistencyProof(m, n)).map(toHex)).toEqual(proof);
      ok(verifyConsistency(m, n, hex(ROOTS[m - 1]!), hex(ROOTS[n - 1]!), proof.map(hex)));
    }
  });

  it("rejects corrupted inclusion proofs (wrong index, size, leaf, root, extra or missing hashes, flipped bits)", () => {
    const [leaf, size, proofHex] = INCLUSION[2]!;
    const proof = proofHex.map(hex);
    const leafHash = merkleLeafHash(LEAVES[leaf - 1]!);
    const root = hex(ROOTS[size - 1]!);
    const index = leaf - 1;
    const flipped = proof.map((p, i) => (i === 1 ? Uint8Array.from(p, (b, j) => (j === 0 ? b ^ 8 : b)) : p));
    const probes: Array<[number, number, Uint8Array, Uint8Array[], Uint8Array]> = [
      [index - 1, size, leafHash, proof, root],
      [index + 1, size, leafHash, proof, root],
      [index ^ 2, size, leafHash, proof, root],
      [index, size * 2, leafHash, proof, root],
      [index, size / 2, leafHash, proof, root],
      [index, size, merkleLeafHash(Uint8Array.of(1)), proof, root],
      [index, size, leafHash, proof, emptyTreeHash()],
      [index, size, leafHash, [...proof, root], root],
      [index, size, leafHash, [root, ...proof], root],
      [index, size, leafHash, proof.slice(0, -1), root],
      [index, size, leafHash, flipped, root],
    ];
    for (const [i, s, l, p, r] of probes) failWith(verifyInclusion(l, i, s, p, r), "MerkleProofRejected");
  });

  it("rejects corrupted consistency proofs and time travel", () => {
    const [m, n, proofHex] = CONSISTENCY[2]!;
    const proof = proofHex.map(hex);
    const r1 = hex(ROOTS[m - 1]!);
    const r2 = hex(ROOTS[n - 1]!);
    const probes: Array<[number, number, Uint8Array, Uint8Array, Uint8Array[]]> = [
      [m - 1, n, r1, r2, proof],
      [m + 1, n, r1, r2, proof],
      [m ^ 2, n, r1, r2, proof],
      [m, n * 2, r1, r2, proof],
      [m, n / 2, r1, r2, proof],
      [m, n, r2, r1, proof],
      [m, n, emptyTreeHash(), r2, proof],
      [m, n, r1, r2, []],
      [m, n, r1, r2, [...proof, r1]],
      [m, n, r1, r2, [r2, ...proof]],
      [m, n, r1, r2, proof.slice(0, -1)],
      [n, m, r2, r1, proof],
      [m, m, r1, r2, []],
    ];
    for (const [a, b, x, y, p] of probes) failWith(verifyConsistency(a, b, x, y, p), "MerkleProofRejected");
    ok(verifyConsistency(0, 5, emptyTreeHash(), r2, []));
  });

  it("refuses proofs for positions the tree does not have", () => {
    failWith(tree.inclusionProof(8), "MerkleRangeError");
    failWith(tree.inclusionProof(0, 9), "MerkleRangeError");
    failWith(tree.consistencyProof(5, 3), "MerkleRangeError");
    failWith(tree.rootAt(9), "MerkleRangeError");
    failWith(tree.appendLeafHash(new Uint8Array(31)), "InvalidInput");
    expect(ok(tree.appendLeafHash(merkleLeafHash(Uint8Array.of(7)))).size).toBe(9);
    expect(tree.size).toBe(8);
  });

  it("is immutable: appending to an older tree forks it and leaves the newer one intact", () => {
    const five = merkleTreeOf(LEAVES.slice(0, 5));
    const six = five.append(LEAVES[5]!);
    const other = five.append(Uint8Array.of(0xff));
    expect(toHex(six.root())).toBe(ROOTS[5]);
    expect(toHex(five.root())).toBe(ROOTS[4]);
    expect(toHex(other.root())).not.toBe(ROOTS[5]);
    expect(toHex(six.append(LEAVES[6]!).root())).toBe(ROOTS[6]);
  });
});
