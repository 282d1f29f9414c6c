import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  binOf,
  fitFeatureBinning,
  gradients,
  predictBooster,
  rowLoss,
  trainBooster,
  type BoostingLoss,
} from "@jxc/forecast";
import { err, ok } from "../../../scripts/test-support.js";

const col = (xs: ReadonlyArray<number>): Float64Array => Float64Array.from(xs);

describe("histogram binning", () => {
  it("gives each of few distinct values its own bin, bounds halfway, NaN in bin 0", () => {
    const b = fitFeatureBinning(col([3, 1, 2, 2, Number.NaN, 1]), 255);
    expect([...b.upper]).toEqual([1.5, 2.5, Number.POSITIVE_INFINITY]);
    expect(b.bins).toBe(4);
    expect([Number.NaN, 1, 1.5, 2, 2.6, 3, 99].map((v) => binOf(b, v))).toEqual([0, 1, 1, 2, 3, 3, 3]);
  });

  it("caps the bins at maxBins (missing bin included) with equal-frequency bounds", () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007);
    const b = fitFeatureBinning(values, 255);
    expect(b.bins).toBeLessThanOrEqual(255);
    expect(b.bins).toBeGreaterThan(200);
    const counts = new Map<number, number>();
    for (const v of values) counts.set(binOf(b, v), (counts.get(binOf(b, v)) ?? 0) + 1);
    for (const c of counts.values()) expect(c).toBeLessThanOrEqual(2 * Math.ceil(10_000 / 254));
  });
});

describe("losses: LightGBM gradients and hessians", () => {
  const cases: ReadonlyArray<[number, number]> = [[0, -1.2], [0, 0.3], [1, 0], [3, 1.1], [7, 2.5], [0.5, -0.4]];
  const check = (loss: BoostingLoss, trueHessian: boolean): void => {
    for (const [y, s] of cases) {
      const grad = new Float64Array(1);
      const hess = new Float64Array(1);
      gradients(loss, col([y]), col([s]), grad, hess);
      const e = 1e-5;
      const numGrad = (rowLoss(loss, y, s + e) - rowLoss(loss, y, s - e)) / (2 * e);
      const numHess = (rowLoss(loss, y, s + e) - 2 * rowLoss(loss, y, s) + rowLoss(loss, y, s - e)) / (e * e);
      expect(grad[0]!).toBeCloseTo(numGrad, 6);
      if (trueHessian) expect(hess[0]! / numHess).toBeCloseTo(1, 3);
      else expect(hess[0]!).toBeCloseTo(Math.exp(s + 0.7), 12); // LightGBM: exp(s + poisson_max_delta_step)
    }
  };
  it("Poisson: gradient exp(s) − y is the derivative of exp(s) − y·s; hessian exp(s + 0.7)", () => check({ kind: "poisson", maxDeltaStep: 0.7 }, false));
  it("Tweedie p = 1.1 and 1.5: gradient and hessian are the derivatives of the Tweedie loss", () => {
    check({ kind: "tweedie", power: 1.1 }, true);
    check({ kind: "tweedie", power: 1.5 }, true);
  });
  it("squared error: gradient s − y, hessian 1", () => check({ kind: "squared" }, true));
  it("matches LightGBM's closed forms at a point", () => {
    const grad = new Float64Array(1);
    const hess = new Float64Array(1);
    gradients({ kind: "tweedie", power: 1.5 }, col([2]), col([0.5]), grad, hess);
    expect(grad[0]!).toBeCloseTo(-2 * Math.exp(-0.25) + Math.exp(0.25), 14);
    expect(hess[0]!).toBeCloseTo(-2 * -0.5 * Math.exp(-0.25) + 0.5 * Math.exp(0.25), 14);
  });
});

describe("a single tree on a hand-computable data set", () => {
  // x = 1, 2, 3, 4; y = 1, 1, 3, 3. Start 2 (the mean); gradients s − y = 1, 1, −1, −1, hessians 1.
  // Best split x ≤ 2.5: gain G_L²/H_L + G_R²/H_R − G²/H = 4/2 + 4/2 − 0 = 4; leaves −2/2 = −1 and +1.
  const train = { columns: [col([1, 2, 3, 4])], y: col([1, 1, 3, 3]) };
  const params = { iterations: 1, learningRate: 1, maxLeaves: 2, minDataInLeaf: 1 };

  it("splits at 2.5 with gain 4 and leaf outputs −1 and +1", () => {
    const b = ok(trainBooster({ train }, params));
    expect(b.initScore).toBe(2);
    const tree = b.trees[0]!;
    expect([...tree.threshold]).toEqual([2.5]);
    expect([...tree.gain]).toEqual([4]);
    expect([...tree.leafValue]).toEqual([-1, 1]);
    expect([...predictBooster(b, train.columns)]).toEqual([1, 1, 3, 3]);
    expect(b.trainLoss[0]).toBe(0.5); // ½ mean (s − y)² = ½
    expect(b.trainLoss[1]).toBe(0);
  });

  it("with λ = 1 the gain is 4/3 + 4/3 = 8/3 and the leaves −2/3 and +2/3", () => {
    const b = ok(trainBooster({ train }, { ...params, lambdaL2: 1 }));
    expect(b.trees[0]!.gain[0]!).toBeCloseTo(8 / 3, 14);
    expect(b.trees[0]!.leafValue[0]!).toBeCloseTo(-2 / 3, 14);
    expect(b.trees[0]!.leafValue[1]!).toBeCloseTo(2 / 3, 14);
  });

  it("learning rate 0.1 shrinks the leaves to −0.1 and +0.1", () => {
    const b = ok(trainBooster({ train }, { ...params, learningRate: 0.1 }));
    expect(b.trees[0]!.leafValue[0]!).toBeCloseTo(-0.1, 14);
    expect(b.trees[0]!.leafValue[1]!).toBeCloseTo(0.1, 14);
  });

  it("minDataInLeaf 3 forbids every split: one leaf", () => {
    const b = ok(trainBooster({ train }, { ...params, minDataInLeaf: 3 }));
    expect(b.trees[0]!.feature.length).toBe(0);
    expect([...predictBooster(b, train.columns)]).toEqual([2, 2, 2, 2]);
  });
});

describe("known results", () => {
  it("learns a two-step function exactly", () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => i / 2);
    const y = x.map((v) => (v < 37 ? 5 : v < 70 ? 12 : -3));
    const b = ok(trainBooster({ train: { columns: [x, Float64Array.from(x, (v) => (v * 13) % 7)], y } }, { iterations: 1, learningRate: 1, maxLeaves: 3, minDataInLeaf: 1 }));
    const p = predictBooster(b, [col([0, 36.5, 37, 69.5, 70, 99.5]), col([0, 0, 0, 0, 0, 0])]);
    [5, 5, 12, 12, -3, -3].forEach((v, i) => expect(p[i]!).toBeCloseTo(v, 12));
  });

  it("routes missing values to the side that fits them", () => {
    const x = col([1, 2, 3, 4, Number.NaN, Number.NaN, 5, 6]);
    const y = col([0, 0, 0, 0, 10, 10, 0, 0]);
    const b = ok(trainBooster({ train: { columns: [x], y } }, { iterations: 1, learningRate: 1, maxLeaves: 2, minDataInLeaf: 1 }));
    const p = predictBooster(b, [col([Number.NaN, 3])]);
    expect(p[0]!).toBeCloseTo(10, 12);
    expect(p[1]!).toBeCloseTo(0, 12);
  });

  it("fits Poisson counts with a log link: a rate per group", () => {
    const g = Float64Array.from({ length: 300 }, (_, i) => i % 3);
    const y = g.map((v, i) => [1, 4, 9][v]! + (Math.floor(i / 3) % 3) - 1);
    const groupMean = (k: number): number => y.filter((_, i) => g[i] === k).reduce((a, b) => a + b, 0) / 100;
    const b = ok(trainBooster({ train: { columns: [g], y } }, { loss: { kind: "poisson" }, iterations: 300, learningRate: 0.3, minDataInLeaf: 5 }));
    const p = predictBooster(b, [col([0, 1, 2])]);
    [0, 1, 2].forEach((k) => expect(p[k]!).toBeCloseTo(groupMean(k), 5)); // the Poisson MLE of a group is its mean
  });

  it("stops early on a validation slice of pure noise and keeps the best trees", () => {
    const n = 400;
    const noise = (i: number): number => (((i * 2654435761) >>> 0) % 1000) / 100;
    const x = Float64Array.from({ length: n }, (_, i) => noise(i + 7));
    const y = Float64Array.from({ length: n }, (_, i) => noise(i));
    const b = ok(trainBooster(
      { train: { columns: [x.slice(0, 300)], y: y.slice(0, 300) }, validation: { columns: [x.slice(300)], y: y.slice(300) } },
      { iterations: 200, learningRate: 0.3, minDataInLeaf: 2, earlyStoppingRounds: 10 },
    ));
    expect(b.bestIteration).toBeLessThan(200);
    expect(b.trees.length).toBe(b.bestIteration);
    expect(b.validationLoss.length).toBeLessThanOrEqual(b.bestIteration + 11);
  });
});

describe("per-row offsets (LightGBM's init_score)", () => {
  it("start every row from its offset plus the best constant on top", () => {
    // Poisson: init = log(Σy / Σ exp(offset)) = log(12 / (2 + 4)) = log 2
    const train = { columns: [col([0, 0])], y: col([4, 8]), offset: col([Math.log(2), Math.log(4)]) };
    const b = ok(trainBooster({ train }, { loss: { kind: "poisson" }, iterations: 1, minDataInLeaf: 1 }));
    expect(b.initScore).toBeCloseTo(Math.log(2), 14);
    const p = predictBooster(b, train.columns, 0, train.offset);
    expect(p[0]!).toBeCloseTo(4, 12);
    expect(p[1]!).toBeCloseTo(8, 12);
    // squared: init = mean(y − offset)
    const sq = ok(trainBooster({ train: { columns: [col([0, 0])], y: col([4, 8]), offset: col([1, 3]) } }, { iterations: 1 }));
    expect(sq.initScore).toBe(4);
  });
  it("reject offsets of another length or not finite", () => {
    expect(err(trainBooster({ train: { columns: [col([0, 0])], y: col([4, 8]), offset: col([1]) } }))._tag).toBe("InvalidTrainingData");
    expect(err(trainBooster({ train: { columns: [col([0, 0])], y: col([4, 8]), offset: col([1, Number.NaN]) } }))._tag).toBe("InvalidTrainingData");
  });
});

describe("row weights (LightGBM's sample weights)", () => {
  it("weigh the starting constant and the leaf steps", () => {
    // squared: init = Σw·y / Σw = (3·0 + 1·10) / 4 = 2.5; a constant feature allows no split
    const train = { columns: [col([0, 0])], y: col([0, 10]), weight: col([3, 1]) };
    const sq = ok(trainBooster({ train }, { iterations: 3, learningRate: 1, minDataInLeaf: 1 }));
    expect(sq.initScore).toBe(2.5);
    expect([...predictBooster(sq, train.columns)]).toEqual([2.5, 2.5]);
    // Poisson with offsets: init = log(Σw·y / Σw·exp(offset)) = log((3·4 + 8) / (3·2 + 4)) = log 2
    const poisson = ok(trainBooster({ train: { ...train, y: col([4, 8]), offset: col([Math.log(2), Math.log(4)]) } }, { loss: { kind: "poisson" }, iterations: 1, minDataInLeaf: 1 }));
    expect(poisson.initScore).toBeCloseTo(Math.log(2), 14);
    // one split, learning rate 1: each side predicts its weighted mean
    const split = { columns: [col([0, 0, 1, 1])], y: col([0, 4, 10, 20]), weight: col([1, 3, 2, 0.5]) };
    const tree = ok(trainBooster({ train: split }, { iterations: 1, learningRate: 1, minDataInLeaf: 1 }));
    const p = predictBooster(tree, split.columns);
    expect(p[0]!).toBeCloseTo(3, 12);
    expect(p[2]!).toBeCloseTo((2 * 10 + 0.5 * 20) / 2.5, 12);
  });
  it("weigh the training and validation losses", () => {
    const train = { columns: [col([0, 0])], y: col([0, 10]), weight: col([3, 1]) };
    const b = ok(trainBooster({ train, validation: { ...train, weight: col([0, 1]) } }, { iterations: 1, minDataInLeaf: 1 }));
    // ½(2.5 − 0)²·3/4 + ½(2.5 − 10)²·1/4 and, with weights 0 and 1, ½(2.5 − 10)²
    expect(b.trainLoss[0]!).toBeCloseTo((0.5 * 6.25 * 3 + 0.5 * 56.25) / 4, 12);
    expect(b.validationLoss[0]!).toBeCloseTo(0.5 * 56.25, 12);
  });
  it("reject weights of another length, negative, not finite or all zero, naming the row", () => {
    const base = { columns: [col([0, 0])], y: col([4, 8]) };
    const reason = (r: ReturnType<typeof trainBooster>): string => {
      const e = err(r);
      return e._tag === "InvalidTrainingData" ? e.reason : `unexpected ${e._tag}`;
    };
    expect(reason(trainBooster({ train: { ...base, weight: col([1]) } }))).toMatch(/1 weights for 2 rows/);
    expect(reason(trainBooster({ train: { ...base, weight: col([1, -1]) } }))).toMatch(/weight of row 1/);
    expect(reason(trainBooster({ train: { ...base, weight: col([Number.NaN, 1]) } }))).toMatch(/weight of row 0/);
    expect(reason(trainBooster({ train: { ...base, weight: col([0, 0]) } }))).toMatch(/every weight is 0/);
    expect(reason(trainBooster({ train: { ...base, weight: col([1, 1]) }, validation: { ...base, weight: col([1, Number.POSITIVE_INFINITY]) } }))).toMatch(/validation data: weight of row 1/);
  });
});

describe("determinism and seeds", () => {
  const n = 500;
  const columns = Array.from({ length: 6 }, (_, f) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (f + 1) * 0.37) + f));
  const y = Float64Array.from({ length: n }, (_, i) => Math.max(0, 3 * columns[0]![i]! - columns[2]![i]! + Math.cos(i)));
  const params = { loss: { kind: "tweedie" as const, power: 1.2 }, iterations: 30, rowSubsample: 0.6, featureSubsample: 0.5, minDataInLeaf: 5 };
  it("the same seed gives identical trees and predictions", () => {
    const a = ok(trainBooster({ train: { columns, y } }, { ...params, seed: 42 }));
    const b = ok(trainBooster({ train: { columns, y } }, { ...params, seed: 42 }));
    expect(predictBooster(a, columns)).toEqual(predictBooster(b, columns));
    expect(a.trees).toEqual(b.trees);
  });
  it("another seed draws other rows and features", () => {
    const a = ok(trainBooster({ train: { columns, y } }, { ...params, seed: 1 }));
    const b = ok(trainBooster({ train: { columns, y } }, { ...params, seed: 2 }));
    expect(predictBooster(a, columns)).not.toEqual(predictBooster(b, columns));
  });
});

describe("expected failures", () => {
  const train = { columns: [col([1, 2, 3])], y: col([1, 2, 3]) };
  it("rejects invalid parameters with an InvalidInput naming the field", () => {
    const e = err(trainBooster({ train }, { learningRate: 0 }));
    expect(e._tag).toBe("InvalidInput");
    expect(JSON.stringify(e)).toContain("learningRate");
  });
  it("rejects negative targets for Poisson and Tweedie", () => {
    const e = err(trainBooster({ train: { columns: train.columns, y: col([1, -2, 3]) } }, { loss: { kind: "poisson" } }));
    expect(e._tag).toBe("InvalidTrainingData");
    expect(Result.isSuccess(trainBooster({ train: { columns: train.columns, y: col([1, -2, 3]) } }, { loss: { kind: "squared" } }))).toBe(true);
  });
  it("rejects columns of another length and early stopping without a validation slice", () => {
    expect(err(trainBooster({ train: { columns: [col([1, 2])], y: col([1, 2, 3]) } }))._tag).toBe("InvalidTrainingData");
    expect(err(trainBooster({ train }, { earlyStoppingRounds: 5 }))._tag).toBe("InvalidTrainingData");
    expect(err(trainBooster({ train: { columns: [], y: col([1]) } }))._tag).toBe("InvalidTrainingData");
  });
});
