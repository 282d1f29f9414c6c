import { describe, expect, it } from "vitest";
import {
  bias,
  intervalCoverage,
  maseScale,
  meanAbsoluteError,
  meanAbsoluteScaledError,
  pinballLoss,
  rmsseScale,
  rootMeanSquaredError,
  rootMeanSquaredScaledError,
  scaledPinballLoss,
  scoreForecast,
  weightedAbsolutePercentageError,
} from "../src/metrics.js";

const f = (...v: number[]) => Float64Array.from(v);

describe("point metrics on tiny vectors (hand-checked)", () => {
  const actual = f(1, 2, 3, 4);
  const forecast = f(2, 2, 1, 5); // errors (forecast − actual): 1, 0, −2, 1

  it("MAE, RMSE, bias, WAPE", () => {
    expect(meanAbsoluteError(actual, forecast)).toBe(1); // (1+0+2+1)/4
    expect(rootMeanSquaredError(actual, forecast)).toBeCloseTo(Math.sqrt(6 / 4), 15); // (1+0+4+1)/4
    expect(bias(actual, forecast)).toBe(0); // (1+0−2+1)/4
    expect(weightedAbsolutePercentageError(actual, forecast)).toBe(0.4); // 4/10
  });

  it("MASE and RMSSE scales and values", () => {
    const insample = f(1, 3, 2, 6); // one-step diffs 2, −1, 4
    expect(maseScale(insample)).toBe(7 / 3);
    expect(rmsseScale(insample)).toBe(21 / 3);
    expect(maseScale(f(1, 2, 5, 3), 2)).toBe(2.5); // |5−1|, |3−2| → 5/2
    expect(meanAbsoluteScaledError(actual, forecast, insample)).toBeCloseTo(1 / (7 / 3), 15);
    expect(rootMeanSquaredScaledError(actual, forecast, insample)).toBeCloseTo(Math.sqrt(1.5 / 7), 15);
  });

  it("pinball loss and scaled pinball loss", () => {
    // τ = 0.9, actual 10, quantile 8 → 0.9·2 = 1.8 ; quantile 12 → 0.1·2 = 0.2
    expect(pinballLoss(f(10, 10), f(8, 12), 0.9)).toBeCloseTo(1.0, 15);
    // τ = 0.1, same → 0.1·2 = 0.2 ; 0.9·2 = 1.8 → mean 1.0
    const quantiles = new Map([
      [0.1, f(8, 12)],
      [0.9, f(8, 12)],
    ]);
    const insample = f(0, 2, 0, 2); // MASE scale 2
    expect(scaledPinballLoss(f(10, 10), quantiles, insample)).toBeCloseTo(0.5, 15);
    expect(scaledPinballLoss(f(10), new Map(), insample)).toBeNaN();
  });

  it("interval coverage", () => {
    expect(intervalCoverage(f(1, 5, 9, 3), f(0, 0, 0, 3), f(2, 4, 10, 3))).toBe(0.75);
  });

  it("NaN-safe: skips non-finite pairs; NaN when nothing is usable", () => {
    expect(meanAbsoluteError(f(1, Number.NaN, 3), f(2, 2, Number.NaN))).toBe(1);
    expect(meanAbsoluteError(f(Number.NaN), f(1))).toBeNaN();
    expect(meanAbsoluteError(f(), f())).toBeNaN();
    expect(maseScale(f(1, Number.NaN, 3, 5))).toBe(2);
  });

  it("zero scale gives Infinity (constant history)", () => {
    expect(meanAbsoluteScaledError(f(1), f(2), f(3, 3, 3))).toBe(Number.POSITIVE_INFINITY);
  });

  it("length mismatch is a programming error", () => {
    expect(() => meanAbsoluteError(f(1, 2), f(1))).toThrow(RangeError);
  });

  it("scoreForecast reports coverage of central intervals", () => {
    const scores = scoreForecast(
      f(1, 5),
      { mean: f(1, 4), model: "m", quantiles: new Map([[0.05, f(0, 0)], [0.5, f(1, 4)], [0.95, f(2, 4.5)]]) },
      f(0, 1, 2),
    );
    expect(scores.mae).toBe(0.5);
    expect(scores.coverage.get(0.9)).toBe(0.5);
    expect(Number.isFinite(scores.spl)).toBe(true);
  });
});
