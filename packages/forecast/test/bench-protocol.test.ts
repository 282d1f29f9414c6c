import { describe, expect, it } from "vitest";
import { LEVELS, loadCarparts, scoreDataset, zeroForecasts } from "../bench/protocol.js";

// The metric pipeline of the benchmark on the real carparts data, against the data README's
// anchors (R 4.2.2, forecast 8.20): 2,459 usable series; all-zero forecast MASE 0.7059, RMSSE 0.5480.
describe("bench protocol on carparts", () => {
  const data = loadCarparts();

  it("keeps the 2,459 usable series, 45 months of training and 6 held out", () => {
    expect(data.series.length).toBe(2459);
    for (const s of data.series) {
      expect(s.train.length).toBe(45);
      expect(s.test.length).toBe(6);
    }
  });

  it("scores the all-zero forecast as the README's anchor", () => {
    const scores = scoreDataset(data, zeroForecasts(data));
    expect(scores.rmsse).toBeCloseTo(0.548, 3);
    expect(scores.mase).toBeCloseTo(0.7059, 3);
    expect(scores.forecasts).toBe(2459);
  });

  it("clips forecasts at zero and needs every quantile level for the pinball loss", () => {
    const negative = data.series.map(() => ({ mean: new Float64Array(6).fill(-5), quantiles: new Map<number, Float64Array>() }));
    const scores = scoreDataset(data, negative);
    expect(scores.rmsse).toBeCloseTo(0.548, 3);
    expect(Number.isNaN(scores.pinball)).toBe(true);
    expect(LEVELS).toContain(0.5);
  });
});
