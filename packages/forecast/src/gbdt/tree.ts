/**
 * One regression tree of the gradient-boosted model, grown leaf-wise (best-first, as LightGBM)
 * on histograms of binned features, with the histogram subtraction trick: of two children only
 * the smaller one's histogram is built from its rows; the larger one's is the parent's minus it
 * (unless it has so few rows that building it directly is cheaper).
 *
 * Split gain (LightGBM, L2 regularisation λ): `G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ)`
 * over sums of gradients G and hessians H. A split is allowed when each child has at least
 * `minDataInLeaf` rows and `minSumHessianInLeaf` hessian, and its gain exceeds `minGainToSplit`.
 * Missing values (bin 0) go to the side that gives the larger gain (the node's default
 * direction); a split may also separate missing from present values. The leaf with the largest
 * gain is split next, until `maxLeaves` leaves or no allowed split remains (or `maxDepth`).
 * Ties go to the lower feature index, then the lower threshold: growth is deterministic.
 *
 * @module
 */
import type { BinnedColumns, FeatureBinning } from "./binning.js";

/**
 * A fitted regression tree in flat arrays. Internal node `i` sends a row left when its value of
 * `feature[i]` is `≤ threshold[i]` (or, when missing, when `missingLeft[i]` is 1); a child index
 * `≥ 0` is an internal node, a negative one `c` is the leaf `−c − 1`. A tree without internal
 * nodes is the single leaf 0.
 */
export interface RegressionTree {
  /** Feature index tested at each internal node. */
  readonly feature: Int32Array;
  /** The value bin k of the test "bin ≤ k" at each internal node. */
  readonly thresholdBin: Int32Array;
  /** The raw value bound of the test "value ≤ threshold" at each internal node. */
  readonly threshold: Float64Array;
  /** 1 when missing values go left at each internal node. */
  readonly missingLeft: Uint8Array;
  /** Left child of each internal node (≥ 0 node, < 0 leaf `−c − 1`). */
  readonly left: Int32Array;
  /** Right child of each internal node (≥ 0 node, < 0 leaf `−c − 1`). */
  readonly right: Int32Array;
  /** Split gain of each internal node (for feature importance). */
  readonly gain: Float64Array;
  /** Output of each leaf (already scaled by the learning rate). */
  readonly leafValue: Float64Array;
}

/** Limits of tree growth (see the module notes). */
export interface TreeGrowthLimits {
  /** Maximum number of leaves (≥ 2). */
  readonly maxLeaves: number;
  /** Maximum depth (root = depth 0), or `undefined` for no limit. */
  readonly maxDepth: number | undefined;
  /** Minimum rows in a leaf. */
  readonly minDataInLeaf: number;
  /** Minimum sum of hessians in a leaf. */
  readonly minSumHessianInLeaf: number;
  /** L2 regularisation λ of leaf outputs and gains. */
  readonly lambdaL2: number;
  /** Minimum gain of a split. */
  readonly minGainToSplit: number;
}

/** What {@link growTree} needs: binned features, gradients, the rows and features to use. */
export interface TreeGrowthInput {
  readonly binned: BinnedColumns;
  readonly binnings: ReadonlyArray<FeatureBinning>;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  /** Rows to grow on (bagged rows), ascending. */
  readonly rows: Int32Array;
  /** Features the tree may split on (subsampled features), ascending. */
  readonly features: Int32Array;
  readonly limits: TreeGrowthLimits;
  /**
   * The output of a leaf from its rows and gradient/hessian sums: the booster applies the
   * learning rate (and its loss safeguard) here.
   */
  readonly leafOutput: (rows: Int32Array, sumGrad: number, sumHess: number) => number;
}

interface Split {
  readonly gain: number;
  readonly feature: number;
  readonly bin: number;
  readonly missingLeft: boolean;
  readonly leftGrad: number;
  readonly leftHess: number;
  readonly leftCount: number;
}

interface Leaf {
  begin: number;
  end: number;
  depth: number;
  hist: Float64Array | undefined;
  sumGrad: number;
  sumHess: number;
  split: Split | undefined;
  /** Internal node whose child this leaf is (−1 for the root) and on which side. */
  parent: number;
  isLeft: boolean;
}

const score = (g: number, h: number, lambda: number): number => (g * g) / (h + lambda);

/** Grows one tree (see the module notes). */
export const growTree = (input: TreeGrowthInput): RegressionTree => {
  const { binned, binnings, grad, hess, features, limits } = input;
  const offsets = new Int32Array(binnings.length + 1);
  binnings.forEach((b, f) => (offsets[f + 1] = offsets[f]! + b.bins));
  const totalBins = offsets[binnings.length]!;
  let usedBins = 0;
  for (let k = 0; k < features.length; k++) usedBins += binnings[features[k]!]!.bins;
  const idx = Int32Array.from(input.rows);
  const scratch = new Int32Array(idx.length);
  const gBuf = new Float64Array(idx.length);
  const hBuf = new Float64Array(idx.length);

  const buildHist = (begin: number, end: number): Float64Array => {
    const hist = new Float64Array(totalBins * 3);
    const n = end - begin;
    for (let i = 0; i < n; i++) {
      const r = idx[begin + i]!;
      gBuf[i] = grad[r]!;
      hBuf[i] = hess[r]!;
    }
    for (let k = 0; k < features.length; k++) {
      const f = features[k]!;
      const col = binned.columns[f]!;
      const base = offsets[f]! * 3;
      for (let i = 0; i < n; i++) {
        const o = base + col[idx[begin + i]!]! * 3;
        hist[o] = hist[o]! + gBuf[i]!;
        hist[o + 1] = hist[o + 1]! + hBuf[i]!;
        hist[o + 2] = hist[o + 2]! + 1;
      }
    }
    return hist;
  };

  const bestSplit = (leaf: Leaf): Split | undefined => {
    const hist = leaf.hist;
    const count = leaf.end - leaf.begin;
    if (hist === undefined || count < 2 * limits.minDataInLeaf || count < 2) return undefined;
    if (limits.maxDepth !== undefined && leaf.depth >= limits.maxDepth) return undefined;
    const { lambdaL2: lambda, minDataInLeaf: minData, minSumHessianInLeaf: minHess } = limits;
    const G = leaf.sumGrad;
    const H = leaf.sumHess;
    const parentScore = score(G, H, lambda);
    let best: Split | undefined;
    for (let k = 0; k < features.length; k++) {
      const f = features[k]!;
      const nb = binnings[f]!.bins;
      const base = offsets[f]! * 3;
      const gM = hist[base]!;
      const hM = hist[base + 1]!;
      const cM = hist[base + 2]!;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 1; b < nb; b++) {
        const o = base + b * 3;
        gl += hist[o]!;
        hl += hist[o + 1]!;
        const cb = hist[o + 2]!;
        cl += cb;
        if (cb === 0 && b < nb - 1) continue; // an empty bin gives the same split as the previous one
        for (let side = 0; side < 2; side++) {
          const mLeft = side === 1;
          if (mLeft && cM === 0) continue;
          if (!mLeft && b === nb - 1 && cM === 0) continue;
          if (mLeft && b === nb - 1) continue;
          const GL = mLeft ? gl + gM : gl;
          const HL = mLeft ? hl + hM : hl;
          const CL = mLeft ? cl + cM : cl;
          const CR = count - CL;
          const HR = H - HL;
          if (CL < minData || CR < minData || CL === 0 || CR === 0 || HL < minHess || HR < minHess) continue;
          const gain = score(GL, HL, lambda) + score(G - GL, HR, lambda) - parentScore;
          if (gain > limits.minGainToSplit && (best === undefined || gain > best.gain)) {
            best = { gain, feature: f, bin: b, missingLeft: mLeft, leftGrad: GL, leftHess: HL, leftCount: CL };
          }
        }
      }
    }
    return best;
  };

  const rootHist = buildHist(0, idx.length);
  let G0 = 0;
  let H0 = 0;
  for (let i = 0; i < idx.length; i++) {
    G0 += grad[idx[i]!]!;
    H0 += hess[idx[i]!]!;
  }
  const leaves: Leaf[] = [{ begin: 0, end: idx.length, depth: 0, hist: rootHist, sumGrad: G0, sumHess: H0, split: undefined, parent: -1, isLeft: false }];
  leaves[0]!.split = bestSplit(leaves[0]!);

  const feature: number[] = [];
  const thresholdBin: number[] = [];
  const threshold: number[] = [];
  const missingLeft: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const gains: number[] = [];

  while (leaves.length < limits.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i]!.split;
      if (s !== undefined && (pick < 0 || s.gain > leaves[pick]!.split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const leaf = leaves[pick]!;
    const split = leaf.split!;
    // new internal node replaces the leaf in its parent
    const node = feature.length;
    feature.push(split.feature);
    thresholdBin.push(split.bin);
    threshold.push(binnings[split.feature]!.upper[split.bin - 1]!);
    missingLeft.push(split.missingLeft ? 1 : 0);
    gains.push(split.gain);
    left.push(0);
    right.push(0);
    if (leaf.parent >= 0) (leaf.isLeft ? left : right)[leaf.parent] = node;
    // stable partition of the leaf's rows
    const col = binned.columns[split.feature]!;
    let nl = 0;
    let nr = 0;
    for (let i = leaf.begin; i < leaf.end; i++) {
      const r = idx[i]!;
      const b = col[r]!;
      const goLeft = b === 0 ? split.missingLeft : b <= split.bin;
      if (goLeft) idx[leaf.begin + nl++] = r;
      else scratch[nr++] = r;
    }
    idx.set(scratch.subarray(0, nr), leaf.begin + nl);
    const mid = leaf.begin + nl;
    const leftLeaf: Leaf = {
      begin: leaf.begin, end: mid, depth: leaf.depth + 1, hist: undefined,
      sumGrad: split.leftGrad, sumHess: split.leftHess, split: undefined, parent: node, isLeft: true,
    };
    const rightLeaf: Leaf = {
      begin: mid, end: leaf.end, depth: leaf.depth + 1, hist: undefined,
      sumGrad: leaf.sumGrad - split.leftGrad, sumHess: leaf.sumHess - split.leftHess, split: undefined, parent: node, isLeft: false,
    };
    const parentHist = leaf.hist!;
    const [small, large] = nl <= nr ? [leftLeaf, rightLeaf] : [rightLeaf, leftLeaf];
    const smallHist = buildHist(small.begin, small.end);
    small.hist = smallHist;
    if ((large.end - large.begin) * features.length < usedBins) {
      // a few rows: building the histogram is cheaper than subtracting one
      large.hist = buildHist(large.begin, large.end);
    } else {
      for (let k = 0; k < features.length; k++) {
        const f = features[k]!;
        const from = offsets[f]! * 3;
        const to = offsets[f + 1]! * 3;
        for (let o = from; o < to; o++) parentHist[o] = parentHist[o]! - smallHist[o]!;
      }
      large.hist = parentHist;
    }
    leftLeaf.split = bestSplit(leftLeaf);
    rightLeaf.split = bestSplit(rightLeaf);
    if (leftLeaf.split === undefined) leftLeaf.hist = undefined;
    if (rightLeaf.split === undefined) rightLeaf.hist = undefined;
    leaves.splice(pick, 1, leftLeaf, rightLeaf);
  }

  const leafValue = new Float64Array(leaves.length);
  leaves.forEach((leaf, i) => {
    leafValue[i] = input.leafOutput(idx.subarray(leaf.begin, leaf.end), leaf.sumGrad, leaf.sumHess);
    if (leaf.parent >= 0) (leaf.isLeft ? left : right)[leaf.parent] = -i - 1;
  });
  return {
    feature: Int32Array.from(feature),
    thresholdBin: Int32Array.from(thresholdBin),
    threshold: Float64Array.from(threshold),
    missingLeft: Uint8Array.from(missingLeft),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    gain: Float64Array.from(gains),
    leafValue,
  };
};

/** The leaf index a row of raw feature values reaches (`value(f)` reads feature f of the row). */
export const treeLeaf = (tree: RegressionTree, value: (feature: number) => number): number => {
  if (tree.feature.length === 0) return 0;
  let node = 0;
  for (;;) {
    const v = value(tree.feature[node]!);
    const goLeft = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= tree.threshold[node]!;
    const child = goLeft ? tree.left[node]! : tree.right[node]!;
    if (child < 0) return -child - 1;
    node = child;
  }
};

/** Adds the tree's output for every row of binned data to `score` (in place). */
export const addTreeOutputBinned = (tree: RegressionTree, binned: BinnedColumns, score: Float64Array): void => {
  if (tree.feature.length === 0) {
    const v = tree.leafValue[0]!;
    for (let r = 0; r < binned.rows; r++) score[r] = score[r]! + v;
    return;
  }
  for (let r = 0; r < binned.rows; r++) {
    let node = 0;
    for (;;) {
      const b = binned.columns[tree.feature[node]!]![r]!;
      const goLeft = b === 0 ? tree.missingLeft[node] === 1 : b <= tree.thresholdBin[node]!;
      const child = goLeft ? tree.left[node]! : tree.right[node]!;
      if (child < 0) {
        score[r] = score[r]! + tree.leafValue[-child - 1]!;
        break;
      }
      node = child;
    }
  }
};
