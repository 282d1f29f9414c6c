import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boosterScores, meanLoss, predictBooster, trainBooster, type BoostingLossInput } from "@jxc/forecast";
import { ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000). Each run
// trains a small booster (≤ 60 rows, ≤ 4 features, ≤ 12 trees): cheap enough for 1,000 runs.
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const featureValue = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) },
);

/** A small data set: rows × features values, non-negative targets (counts or amounts). */
const dataSet = fc
  .record({ rows: fc.integer({ min: 1, max: 60 }), features: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, features }) =>
    fc.record({
      columns: fc.array(fc.array(featureValue, { minLength: rows, maxLength: rows }), { minLength: features, maxLength: features }),
      y: fc.array(fc.oneof(fc.nat(30), fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true })), { minLength: rows, maxLength: rows }),
    }),
  )
  .map(({ columns, y }) => ({ columns: columns.map((c) => Float64Array.from(c)), y: Float64Array.from(y) }));

const loss: fc.Arbitrary<BoostingLossInput> = fc.oneof(
  fc.constant({ kind: "squared" as const }),
  fc.record({ kind: fc.constant("poisson" as const), maxDeltaStep: fc.double({ min: 0, max: 2, noNaN: true }) }),
  fc.record({ kind: fc.constant("tweedie" as const), power: fc.double({ min: 1.01, max: 1.99, noNaN: true }) }),
);

const params = fc.record({
  iterations: fc.integer({ min: 1, max: 12 }),
  learningRate: fc.double({ min: 0.01, max: 1, noNaN: true }),
  maxLeaves: fc.integer({ min: 2, max: 16 }),
  minDataInLeaf: fc.integer({ min: 1, max: 8 }),
  lambdaL2: fc.double({ min: 0, max: 5, noNaN: true }),
  maxBins: fc.integer({ min: 2, max: 255 }),
  featureSubsample: fc.double({ min: 0.1, max: 1, noNaN: true }),
  seed: fc.integer(),
});

describe("gradient boosting properties", () => {
  it("Poisson and Tweedie predictions are never negative (and finite)", () => {
    fc.assert(
      fc.property(dataSet, dataSet, loss.filter((l) => l.kind !== "squared"), params, fc.double({ min: 0.1, max: 1, noNaN: true }), (train, other, l, p, bag) => {
        const b = ok(trainBooster({ train }, { ...p, loss: l, rowSubsample: bag }));
        // on the training rows and on unseen rows with other values
        const unseen = other.columns.slice(0, train.columns.length);
        while (unseen.length < train.columns.length) unseen.push(new Float64Array(other.y.length).fill(Number.NaN));
        for (const v of [...predictBooster(b, train.columns), ...predictBooster(b, unseen)]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(v)).toBe(true);
        }
      }),
      runs,
    );
  });

  it("the training loss never increases from one iteration to the next (all rows in the bag)", () => {
    fc.assert(
      fc.property(dataSet, loss, params, (train, l, p) => {
        const b = ok(trainBooster({ train }, { ...p, loss: l }));
        expect(b.trainLoss.length).toBe(p.iterations + 1);
        for (let k = 1; k < b.trainLoss.length; k++) {
          const before = b.trainLoss[k - 1]!;
          expect(b.trainLoss[k]!).toBeLessThanOrEqual(before + 1e-9 * Math.max(1, Math.abs(before)));
        }
      }),
      runs,
    );
  });

  it("trees decide the same on raw values as on their bins: predicting the training rows reproduces the training loss", () => {
    fc.assert(
      fc.property(dataSet, loss, params, (train, l, p) => {
        const b = ok(trainBooster({ train }, { ...p, loss: l }));
        const recomputed = meanLoss(b.loss, train.y, boosterScores(b, train.columns));
        const tracked = b.trainLoss[b.trainLoss.length - 1]!;
        expect(Math.abs(recomputed - tracked)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(tracked)));
      }),
      runs,
    );
  });

  it("the same seed gives the same booster", () => {
    fc.assert(
      fc.property(dataSet, loss, params, fc.double({ min: 0.1, max: 1, noNaN: true }), (train, l, p, bag) => {
        const a = ok(trainBooster({ train }, { ...p, loss: l, rowSubsample: bag }));
        const b = ok(trainBooster({ train }, { ...p, loss: l, rowSubsample: bag }));
        expect(b.trees).toEqual(a.trees);
      }),
      runs,
    );
  });

  it("row weights: one squared-loss tree with learning rate 1 predicts each leaf's weighted mean", () => {
    const weighted = dataSet.chain((d) => fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: d.y.length, maxLength: d.y.length }).map((w) => ({ ...d, weight: Float64Array.from(w) })));
    fc.assert(
      fc.property(weighted, params, (train, p) => {
        const b = ok(trainBooster({ train }, { ...p, loss: { kind: "squared" }, iterations: 1, learningRate: 1, lambdaL2: 0, featureSubsample: 1 }));
        const predicted = predictBooster(b, train.columns);
        // rows of one leaf share a prediction; leaves that happen to share one still average to it
        const groups = new Map<number, { wy: number; w: number }>();
        predicted.forEach((v, i) => {
          const g = groups.get(v) ?? { wy: 0, w: 0 };
          g.wy += train.weight[i]! * train.y[i]!;
          g.w += train.weight[i]!;
          groups.set(v, g);
        });
        for (const [v, g] of groups) expect(Math.abs(g.wy / g.w - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
      }),
      runs,
    );
  });

  it("row weights: scaling every weight by a power of two changes no split or leaf; all ones equal no weights", () => {
    fc.assert(
      fc.property(dataSet, loss, params, fc.integer({ min: 0, max: 8 }), (train, l, p, k) => {
        // upwards only: halving a subnormal target's gradient would round
        const exact = { ...p, loss: l, lambdaL2: 0, minSumHessianInLeaf: 0 };
        const plain = ok(trainBooster({ train }, exact));
        const ones = ok(trainBooster({ train: { ...train, weight: new Float64Array(train.y.length).fill(1) } }, exact));
        const scaled = ok(trainBooster({ train: { ...train, weight: new Float64Array(train.y.length).fill(2 ** k) } }, exact));
        expect(ones.trees).toEqual(plain.trees);
        // the same splits and leaves; only the recorded split gains scale with the weights
        expect(scaled.trees.map((t) => ({ ...t, gain: t.gain.map((g) => g / 2 ** k) }))).toEqual(plain.trees);
        expect(predictBooster(scaled, train.columns)).toEqual(predictBooster(plain, train.columns));
      }),
      runs,
    );
  });
});
