import { describe, expect, it } from "vitest";
import { LEVELS, clairvoyantLevelForecasts, loadCarparts, loadM5, scoreDataset, zeroForecasts } from "../bench/protocol.js";

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

// The m5 protocol on an earlier window (--m5-origin N): the same series and columns, cut at d_N.
describe("bench protocol on m5 windows", () => {
  const official = loadM5();
  const early = loadM5(undefined, 1885);

  it("the default is the official protocol: d_1…d_1913 for training, 28 days scored", () => {
    expect(official.name).toBe("m5");
    expect(official.series.length).toBe(280);
    for (const s of official.series) expect(s.test.length).toBe(28);
  });

  it("origin 1885 trains on d_1…d_1885 and scores d_1886…d_1913, the official training days", () => {
    expect(early.name).toBe("m5@1885");
    const byId = new Map(official.series.map((s) => [s.id, s]));
    for (const s of early.series) {
      const o = byId.get(s.id)!;
      expect(s.start).toBe(o.start);
      expect(s.train.length).toBe(o.train.length - 28);
      expect(Array.from(s.train)).toEqual(Array.from(o.train.subarray(0, o.train.length - 28)));
      expect(Array.from(s.test)).toEqual(Array.from(o.train.subarray(o.train.length - 28)));
      // exogenous columns reach over the scored days and no further
      expect(s.exogenous?.sell_price?.length).toBe(s.train.length + 28);
      expect(Array.from(s.exogenous!.snap!)).toEqual(Array.from(o.exogenous!.snap!.subarray(0, s.train.length + 28)));
    }
  });

  it("leaves out series without a sale by the origin and refuses origins outside 28…1913", () => {
    const first = loadM5(undefined, 60);
    expect(first.series.length).toBeLessThan(official.series.length);
    for (const s of first.series) expect(s.train.some((v) => v > 0)).toBe(true);
    expect(() => loadM5(undefined, 1914)).toThrow(RangeError);
    expect(() => loadM5(undefined, 27)).toThrow(/origin/);
  });

  // The reference row "true level": 0.2698 on the official window and 0.6795 on m5@1885 were
  // computed separately (numpy, from sales.csv) when the row was added.
  it("the true-level reference is each series' hold-out mean, and no flat line scores better", () => {
    const scores = scoreDataset(official, clairvoyantLevelForecasts(official));
    expect(scores.rmsse).toBeCloseTo(0.2698, 4);
    expect(Number.isNaN(scores.pinball)).toBe(true);
    expect(scoreDataset(early, clairvoyantLevelForecasts(early)).rmsse).toBeCloseTo(0.6795, 4);
    const reference = clairvoyantLevelForecasts(early);
    for (const shift of [-0.05, 0.05]) {
      const shifted = reference.map((f) => ({ mean: f.mean.map((v) => v * (1 + shift) + shift), quantiles: f.quantiles }));
      expect(scoreDataset(early, shifted).rmsse).toBeGreaterThan(scoreDataset(early, reference).rmsse);
    }
  });
});
