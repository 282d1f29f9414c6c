/**
 * Histogram-based gradient boosting (LightGBM style): quantile-binned features
 * ({@link fitFeatureBinning}), leaf-wise trees on gradient histograms ({@link growTree}), the
 * losses of {@link BoostingLossSchema}, shrinkage, L2 regularisation, seeded row bagging and
 * feature subsampling, early stopping on a validation slice, per-row offsets and per-row
 * weights (`BoosterData.weight`: gradients, hessians, the starting constant and the tracked
 * losses are weighted, as LightGBM's sample weights).
 *
 * Leaf outputs are LightGBM's Newton steps `−η·G/(H + λ)` (η the learning rate). One safeguard
 * LightGBM lacks: if a leaf's step would increase the training loss of that leaf's rows, it is
 * halved (up to 30 times, then 0). With every row in the bag (`rowSubsample: 1`) the training
 * loss therefore never increases from one iteration to the next; for squared error the check
 * never triggers (the Newton step is exact there).
 *
 * Determinism: the same data, parameters and `seed` give the same trees, bit for bit.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import type { BacktestProgress } from "../backtest.js";
import { binColumns, fitFeatureBinning, type BinnedColumns, type FeatureBinning } from "./binning.js";
import { BoostingLossSchema, gradients, initialScore, meanLoss, responseOf, rowLoss, type BoostingLoss } from "./loss.js";
import { seededUniform } from "@jxc/core";
import { addTreeOutputBinned, growTree, type RegressionTree } from "./tree.js";

/** Parameters of {@link trainBooster}; defaults follow LightGBM where it has one. */
export const BoosterParamsSchema = z.strictObject({
  /** Loss (default squared error). */
  loss: BoostingLossSchema.default({ kind: "squared" }),
  /** Boosting iterations (trees), default 100. */
  iterations: z.number().int().min(1).max(100_000).default(100),
  /** Shrinkage η in (0, 1], default 0.1. */
  learningRate: z.number().gt(0).max(1).default(0.1),
  /** Maximum leaves per tree, default 31. */
  maxLeaves: z.number().int().min(2).max(65_536).default(31),
  /** Maximum tree depth (root = 0); no limit when absent. */
  maxDepth: z.number().int().min(1).max(64).optional(),
  /** Minimum rows per leaf, default 20. */
  minDataInLeaf: z.number().int().min(1).default(20),
  /** Minimum hessian sum per leaf, default 1e-3. */
  minSumHessianInLeaf: z.number().min(0).default(1e-3),
  /** L2 regularisation λ, default 0. */
  lambdaL2: z.number().min(0).default(0),
  /** Minimum split gain, default 0. */
  minGainToSplit: z.number().min(0).default(0),
  /** Bins per feature including the missing bin (2…256), default 255. */
  maxBins: z.number().int().min(2).max(256).default(255),
  /** Share of rows drawn (Bernoulli, per iteration) for each tree, default 1 (all). */
  rowSubsample: z.number().gt(0).max(1).default(1),
  /** Share of features drawn for each tree, default 1 (all). */
  featureSubsample: z.number().gt(0).max(1).default(1),
  /** Seed of the bagging and feature draws, default 0. */
  seed: z.number().int().default(0),
  /** Stop when the validation loss has not improved for this many iterations (needs a validation slice). */
  earlyStoppingRounds: z.number().int().min(1).optional(),
});

/** Parameters of {@link trainBooster} as given. */
export type BoosterParams = z.input<typeof BoosterParamsSchema>;
/** Parameters of {@link trainBooster} with defaults applied. */
export type ResolvedBoosterParams = z.output<typeof BoosterParamsSchema>;

/** A data set for boosting: feature columns (one `Float64Array` per feature, NaN = missing) and the target. */
export interface BoosterData {
  /** Feature columns, each of the target's length. */
  readonly columns: ReadonlyArray<Float64Array>;
  /** Target per row (finite; non-negative for Poisson and Tweedie). */
  readonly y: Float64Array;
  /**
   * Per-row starting score on the link scale (LightGBM's `init_score`), e.g. the log of a
   * baseline forecast: the trees then learn corrections to it. Absent = 0.
   */
  readonly offset?: Float64Array;
  /**
   * Per-row weight (finite, ≥ 0, not all 0; LightGBM's sample weights): a row's gradient,
   * hessian and loss count this many times. Absent = 1. `minDataInLeaf` still counts rows.
   */
  readonly weight?: Float64Array;
}

/** Input of {@link trainBooster}. */
export interface BoosterTrainingInput {
  /** Training rows. */
  readonly train: BoosterData;
  /** Validation slice for early stopping (binned with the training bins). */
  readonly validation?: BoosterData;
  /** Feature names (default `f0`, `f1`, …). */
  readonly featureNames?: ReadonlyArray<string>;
  /** Called after each iteration (`done` trees of at most `total`). */
  readonly onProgress?: (progress: BacktestProgress) => void;
}

/** A trained boosted model. */
export interface Booster {
  readonly loss: BoostingLoss;
  /** Score every prediction starts from (link scale), on top of the row's offset if any. */
  readonly initScore: number;
  /** The trees, in boosting order (truncated to the best iteration under early stopping). */
  readonly trees: ReadonlyArray<RegressionTree>;
  /** Feature names, one per column. */
  readonly featureNames: ReadonlyArray<string>;
  /** The bins of each feature. */
  readonly binnings: ReadonlyArray<FeatureBinning>;
  /** Mean training loss before the first tree (index 0) and after each iteration. */
  readonly trainLoss: Float64Array;
  /** Mean validation loss likewise (empty without a validation slice). */
  readonly validationLoss: Float64Array;
  /** Number of trees kept (the best iteration under early stopping, else all). */
  readonly bestIteration: number;
}

/** The training data do not fit together or do not suit the loss. */
export class InvalidTrainingData extends Data.TaggedError("InvalidTrainingData")<{
  /** What is wrong, naming the column or row. */
  readonly reason: string;
}> {}

const checkData = (data: BoosterData, features: number, loss: BoostingLoss, name: string): InvalidTrainingData | undefined => {
  if (data.columns.length !== features) return new InvalidTrainingData({ reason: `${name}: ${data.columns.length} feature columns, expected ${features}` });
  for (let f = 0; f < data.columns.length; f++) {
    if (data.columns[f]!.length !== data.y.length) {
      return new InvalidTrainingData({ reason: `${name}: feature column ${f} has ${data.columns[f]!.length} rows, the target ${data.y.length}` });
    }
  }
  if (data.offset !== undefined) {
    if (data.offset.length !== data.y.length) return new InvalidTrainingData({ reason: `${name}: ${data.offset.length} offsets for ${data.y.length} rows` });
    for (let i = 0; i < data.offset.length; i++) {
      if (!Number.isFinite(data.offset[i]!)) return new InvalidTrainingData({ reason: `${name}: offset of row ${i} is not finite` });
    }
  }
  if (data.weight !== undefined) {
    if (data.weight.length !== data.y.length) return new InvalidTrainingData({ reason: `${name}: ${data.weight.length} weights for ${data.y.length} rows` });
    let total = 0;
    for (let i = 0; i < data.weight.length; i++) {
      const w = data.weight[i]!;
      if (!Number.isFinite(w) || w < 0) return new InvalidTrainingData({ reason: `${name}: weight of row ${i} is ${w}; weights must be finite and ≥ 0` });
      total += w;
    }
    if (data.y.length > 0 && total === 0) return new InvalidTrainingData({ reason: `${name}: every weight is 0` });
  }
  for (let i = 0; i < data.y.length; i++) {
    const v = data.y[i]!;
    if (!Number.isFinite(v)) return new InvalidTrainingData({ reason: `${name}: target of row ${i} is not finite` });
    if (loss.kind !== "squared" && v < 0) return new InvalidTrainingData({ reason: `${name}: target of row ${i} is negative (${v}); ${loss.kind} needs y ≥ 0` });
  }
  return undefined;
};

/**
 * Trains a boosted model (see the module notes). Invalid parameters are an
 * {@link InvalidInput}; data that do not fit together (lengths, non-finite or, for log links,
 * negative targets, no rows) an {@link InvalidTrainingData}.
 */
export const trainBooster = (
  input: BoosterTrainingInput,
  params: BoosterParams = {},
): Result.Result<Booster, InvalidInput | InvalidTrainingData> => {
  const parsed = parseInput(BoosterParamsSchema, params, "booster parameters");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const p = parsed.success;
  const { train, validation } = input;
  const F = train.columns.length;
  if (F === 0) return Result.fail(new InvalidTrainingData({ reason: "no feature columns" }));
  if (train.y.length === 0) return Result.fail(new InvalidTrainingData({ reason: "no training rows" }));
  const bad = checkData(train, F, p.loss, "training data") ?? (validation === undefined ? undefined : checkData(validation, F, p.loss, "validation data"));
  if (bad !== undefined) return Result.fail(bad);
  if (input.featureNames !== undefined && input.featureNames.length !== F) {
    return Result.fail(new InvalidTrainingData({ reason: `${input.featureNames.length} feature names for ${F} columns` }));
  }
  if (p.earlyStoppingRounds !== undefined && (validation === undefined || validation.y.length === 0)) {
    return Result.fail(new InvalidTrainingData({ reason: "earlyStoppingRounds needs a non-empty validation slice" }));
  }
  const featureNames = input.featureNames ?? Array.from({ length: F }, (_, f) => `f${f}`);
  const binnings = train.columns.map((c) => fitFeatureBinning(c, p.maxBins));
  const binned = binColumns(train.columns, binnings);
  const validBinned: BinnedColumns | undefined = validation === undefined ? undefined : binColumns(validation.columns, binnings);

  const loss = p.loss;
  const n = train.y.length;
  const weight = train.weight;
  const init = initialScore(loss, train.y, train.offset, weight);
  const score = new Float64Array(n).fill(init);
  if (train.offset !== undefined) for (let i = 0; i < n; i++) score[i] = score[i]! + train.offset[i]!;
  const validScore = new Float64Array(validation?.y.length ?? 0).fill(init);
  if (validation?.offset !== undefined) for (let i = 0; i < validScore.length; i++) validScore[i] = validScore[i]! + validation.offset[i]!;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const uniform = seededUniform(p.seed);
  const trees: RegressionTree[] = [];
  const trainLoss: number[] = [meanLoss(loss, train.y, score, weight)];
  const validLoss: number[] = validation === undefined ? [] : [meanLoss(loss, validation.y, validScore, validation.weight)];
  let best = 0;
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const featureCount = Math.max(1, Math.round(p.featureSubsample * F));
  const limits = {
    maxLeaves: p.maxLeaves,
    maxDepth: p.maxDepth,
    minDataInLeaf: p.minDataInLeaf,
    minSumHessianInLeaf: p.minSumHessianInLeaf,
    lambdaL2: p.lambdaL2,
    minGainToSplit: p.minGainToSplit,
  };
  const leafOutput = (rows: Int32Array, G: number, H: number): number => {
    let step = (-p.learningRate * G) / (H + p.lambdaL2);
    if (!Number.isFinite(step)) return 0;
    let before = 0;
    const w = (r: number): number => (weight === undefined ? 1 : weight[r]!);
    for (let i = 0; i < rows.length; i++) before += w(rows[i]!) * rowLoss(loss, train.y[rows[i]!]!, score[rows[i]!]!);
    for (let attempt = 0; attempt <= 30; attempt++) {
      let after = 0;
      for (let i = 0; i < rows.length; i++) after += w(rows[i]!) * rowLoss(loss, train.y[rows[i]!]!, score[rows[i]!]! + step);
      if (after <= before) return step;
      step /= 2;
    }
    return 0;
  };

  for (let iteration = 1; iteration <= p.iterations; iteration++) {
    gradients(loss, train.y, score, grad, hess, weight);
    let rows = allRows;
    if (p.rowSubsample < 1) {
      const picked: number[] = [];
      for (let i = 0; i < n; i++) if (uniform() < p.rowSubsample) picked.push(i);
      rows = picked.length === 0 ? Int32Array.of(Math.min(n - 1, Math.floor(uniform() * n))) : Int32Array.from(picked);
    }
    let features: Int32Array;
    if (featureCount < F) {
      const order = Array.from({ length: F }, (_, f) => f);
      for (let i = 0; i < featureCount; i++) {
        const j = i + Math.floor(uniform() * (F - i));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      features = Int32Array.from(order.slice(0, featureCount)).sort();
    } else features = Int32Array.from({ length: F }, (_, f) => f);
    const tree = growTree({ binned, binnings, grad, hess, rows, features, limits, leafOutput });
    trees.push(tree);
    addTreeOutputBinned(tree, binned, score);
    trainLoss.push(meanLoss(loss, train.y, score, weight));
    if (validation !== undefined && validBinned !== undefined) {
      addTreeOutputBinned(tree, validBinned, validScore);
      const v = meanLoss(loss, validation.y, validScore, validation.weight);
      validLoss.push(v);
      if (v < validLoss[best]!) best = iteration;
    } else best = iteration;
    input.onProgress?.({ done: iteration, total: p.iterations });
    if (p.earlyStoppingRounds !== undefined && iteration - best >= p.earlyStoppingRounds) break;
  }
  const kept = p.earlyStoppingRounds === undefined ? trees.length : best;
  return Result.succeed({
    loss,
    initScore: init,
    trees: trees.slice(0, kept),
    featureNames,
    binnings,
    trainLoss: Float64Array.from(trainLoss),
    validationLoss: Float64Array.from(validLoss),
    bestIteration: kept,
  });
};

/**
 * Link-scale scores of rows given as feature columns (raw values, NaN = missing), using the
 * first `iterations` trees (default all), on top of the rows' `offset` when the booster was
 * trained with offsets.
 */
export const boosterScores = (
  booster: Booster,
  columns: ReadonlyArray<Float64Array>,
  iterations = booster.trees.length,
  offset?: Float64Array,
): Float64Array => {
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n).fill(booster.initScore);
  if (offset !== undefined) for (let r = 0; r < n; r++) out[r] = out[r]! + offset[r]!;
  const trees = booster.trees.slice(0, iterations);
  for (const tree of trees) {
    if (tree.feature.length === 0) {
      const v = tree.leafValue[0]!;
      for (let r = 0; r < n; r++) out[r] = out[r]! + v;
      continue;
    }
    for (let r = 0; r < n; r++) {
      let node = 0;
      for (;;) {
        const v = columns[tree.feature[node]!]![r]!;
        const goLeft = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= tree.threshold[node]!;
        const child = goLeft ? tree.left[node]! : tree.right[node]!;
        if (child < 0) {
          out[r] = out[r]! + tree.leafValue[-child - 1]!;
          break;
        }
        node = child;
      }
    }
  }
  return out;
};

/**
 * Predictions (response scale: the score, or `exp(score)` for Poisson and Tweedie — never
 * negative there) of rows given as feature columns, using the first `iterations` trees, on top
 * of the rows' `offset` (link scale) when the booster was trained with offsets.
 */
export const predictBooster = (booster: Booster, columns: ReadonlyArray<Float64Array>, iterations?: number, offset?: Float64Array): Float64Array => {
  const scores = boosterScores(booster, columns, iterations, offset);
  for (let i = 0; i < scores.length; i++) scores[i] = responseOf(booster.loss, scores[i]!);
  return scores;
};

/** Total split gain per feature name (LightGBM's `importance_type = "gain"`), largest first. */
export const featureImportance = (booster: Booster): ReadonlyArray<{ readonly feature: string; readonly gain: number }> => {
  const totals = new Float64Array(booster.featureNames.length);
  for (const tree of booster.trees) for (let i = 0; i < tree.feature.length; i++) totals[tree.feature[i]!] = totals[tree.feature[i]!]! + tree.gain[i]!;
  return booster.featureNames
    .map((feature, f) => ({ feature, gain: totals[f]! }))
    .sort((a, b) => b.gain - a.gain || (a.feature < b.feature ? -1 : 1));
};
