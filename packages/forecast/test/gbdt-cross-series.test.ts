import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crossSeriesFeatureNames, crossSeriesFeatures, fitGbdtGlobal, periodIndex, type CrossSeriesMember, type GlobalSeries } from "@jxc/forecast";
import { err, ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

describe("the period grid shared by the series", () => {
  it("daily: day numbers; weekly: ISO weeks from Monday; monthly: year·12 + month", () => {
    expect(periodIndex("2024-01-02", "daily") - periodIndex("2024-01-01", "daily")).toBe(1);
    // 2024-01-01 is a Monday: that week runs to Sunday 2024-01-07
    expect(periodIndex("2024-01-07", "weekly")).toBe(periodIndex("2024-01-01", "weekly"));
    expect(periodIndex("2024-01-08", "weekly")).toBe(periodIndex("2024-01-01", "weekly") + 1);
    expect(periodIndex("2024-12-01", "monthly") + 1).toBe(periodIndex("2025-01-01", "monthly"));
  });
});

describe("cross-series features", () => {
  const spec = { horizon: 2, seasonLength: 2, groupings: [["item"]], windows: [2, 4] };

  it("names: level, trends between consecutive windows, shares, the seasonal ratio", () => {
    expect(crossSeriesFeatureNames({ ...spec, groupings: [["item"], ["store", "dept"]], windows: [28, 7, 28] })).toEqual([
      "group[item]:level",
      "group[item]:trend_7_28",
      "group[item]:share_7",
      "group[item]:share_28",
      "group[item]:season_ratio",
      "group[store+dept]:level",
      "group[store+dept]:trend_7_28",
      "group[store+dept]:share_7",
      "group[store+dept]:share_28",
      "group[store+dept]:season_ratio",
    ]);
    expect(crossSeriesFeatureNames({ ...spec, seasonLength: 1 })).not.toContain("group[item]:season_ratio");
  });

  it("hand-computed rows: members aligned by date, mean per member, the series' share", () => {
    // a: periods 10…15; b: periods 12…17 (starts two periods later); c: another item
    const a: CrossSeriesMember = { y: Float64Array.from([2, 4, 6, 8, 2, 4]), first: 0, period: 10, groups: { item: "x" } };
    const b: CrossSeriesMember = { y: Float64Array.from([2, 0, 4, 6, 100, 100]), first: 0, period: 12, groups: { item: "x" } };
    const c: CrossSeriesMember = { y: Float64Array.from([1, 1, 1]), first: 0, period: 10, groups: { item: "y" } };
    // origin 5 of a = period 15; b's periods 16, 17 lie after it and must not count
    const [fa, , fc3] = crossSeriesFeatures([a, b, c], [[5], [], [2]], spec);
    // group means per member on periods 10…15: 2, 4, (6+2)/2, (8+0)/2, (2+4)/2, (4+6)/2
    const mean = [2, 4, 4, 4, 3, 5];
    const over = (w: number): number => mean.slice(6 - w).reduce((s, v) => s + v, 0) / w;
    const row = (k: number): number[] => fa!.map((column) => column[k - 1]!);
    const close = (actual: number[], expected: number[]): void => {
      expect(actual.length).toBe(expected.length);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    };
    // level (window 4), trend 2/4, share 2 (own mean 3), share 4 (own mean 5), season ratio: the
    // periods 14, 12, 10 of step 1's season position over the mean of the last 4 seasons (8 periods, 6 defined)
    close(row(1), [over(4), over(2) / over(4), 3 / over(2), 5 / over(4), (mean[4]! + mean[2]! + mean[0]!) / 3 / over(6)]);
    // step 2 is in the season position of the origin itself: periods 15, 13, 11
    close([row(2)[4]!], [(mean[5]! + mean[3]! + mean[1]!) / 3 / over(6)]);
    // a group of one: the series is its whole group (share 1); its trend is its own
    expect(fc3!.map((column) => column[0]!)).toEqual([1, 1, 1, 1, 1]);
  });

  it("periods before a member's first usable period count as missing, not as zero", () => {
    const a: CrossSeriesMember = { y: Float64Array.from([4, 4, 4, 4]), first: 0, period: 0, groups: { item: "x" } };
    const late: CrossSeriesMember = { y: Float64Array.from([0, 0, 0, 8]), first: 3, period: 0, groups: { item: "x" } };
    const [fa] = crossSeriesFeatures([a, late], [[3], [3]], { ...spec, seasonLength: 1, windows: [4] });
    // means per member: 4, 4, 4, (4 + 8)/2
    expect(fa![0]![0]).toBe((4 + 4 + 4 + 6) / 4);
  });

  it("property: features at an origin never use any series' values after the origin's date (no leakage)", () => {
    const member = fc.record({
      values: fc.array(fc.oneof(fc.nat(30), fc.constant(Number.NaN)), { minLength: 1, maxLength: 50 }),
      period: fc.integer({ min: -10, max: 10 }),
      firstSeed: fc.nat(),
      item: fc.constantFrom("x", "y"),
      store: fc.constantFrom("s1", "s2", "s3"),
    });
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -5, max: 55 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 50, maxLength: 50 }),
        (ms, cutoff, h, m, windows, future) => {
          const members: CrossSeriesMember[] = ms.map((x) => ({
            y: Float64Array.from(x.values),
            first: x.firstSeed % x.values.length,
            period: x.period,
            groups: { item: x.item, store: x.store },
          }));
          // every origin of every series on or before the cutoff date
          const origins = members.map((s) => Array.from({ length: s.y.length }, (_, o) => o).filter((o) => s.period + o <= cutoff));
          const changed = members.map((s) => ({ ...s, y: Float64Array.from(s.y, (v, k) => (s.period + k > cutoff ? future[k]! : v)) }));
          const spec = { horizon: h, seasonLength: m, groupings: [["item"], ["store"], ["store", "item"]], windows };
          expect(crossSeriesFeatures(changed, origins, spec)).toEqual(crossSeriesFeatures(members, origins, spec));
        },
      ),
      runs,
    );
  });
});

describe("the global tree model with cross-series features", () => {
  const START = "2024-01-01";
  /** Two items in three stores: a store effect times an item's weekly pattern, plus noise. */
  const series: GlobalSeries[] = ["a", "b"].flatMap((item, i) =>
    ["s1", "s2", "s3"].map((store, j) => ({
      id: `${item}-${store}`,
      start: START,
      freq: "daily" as const,
      y: Float64Array.from({ length: 150 }, (_, t) => Math.round((1 + j) * (3 + i + ((t + i) % 7 === 0 ? 4 : 0)) + ((t * 7919 + j * 31 + i) % 5))),
      exogenous: {},
      groups: { item, store },
    })),
  );
  const options = { horizon: 7, crossSeries: { groupings: [["item"], ["store"]] }, booster: { iterations: 20, minDataInLeaf: 5 } };

  it("adds the group columns after the history columns and forecasts every series", () => {
    const fitted = ok(fitGbdtGlobal(series, options));
    expect(fitted.featureNames.filter((f) => f.startsWith("group["))).toEqual(crossSeriesFeatureNames({ horizon: 7, seasonLength: 7, groupings: [["item"], ["store"]], windows: [7, 28, 112] }));
    expect(fitted.featureNames.indexOf("group[item]:level")).toBe(fitted.featureNames.indexOf("age") + 1);
    expect([...ok(fitted.forecast(7, [])).keys()]).toEqual(series.map((s) => s.id));
  });

  it("names what is wrong: a missing key, malformed keys or options", () => {
    const { groups: _groups, ...bare } = series[0]!;
    expect(err(fitGbdtGlobal([bare, ...series.slice(1)], options))).toMatchObject({ _tag: "InvalidSeries", reason: expect.stringContaining("series a-s1 has no group key item") });
    expect(err(fitGbdtGlobal([{ ...series[0]!, groups: { item: "" } }], options))._tag).toBe("InvalidInput");
    expect(err(fitGbdtGlobal(series, { ...options, crossSeries: { groupings: [] } }))._tag).toBe("InvalidInput");
    expect(err(fitGbdtGlobal(series, { ...options, crossSeries: { groupings: [["item", "item"]] } }))._tag).toBe("InvalidInput");
    expect(err(fitGbdtGlobal(series, { ...options, crossSeries: { groupings: [["item"]], windows: [0] } }))._tag).toBe("InvalidInput");
  });

  it("without crossSeries, groups are ignored: the same forecasts as series without them", () => {
    const plain = { horizon: 7, booster: { iterations: 20, minDataInLeaf: 5 } };
    const withGroups = ok(ok(fitGbdtGlobal(series, plain)).forecast(7, [0.9]));
    const without = ok(ok(fitGbdtGlobal(series.map(({ groups: _g, ...s }) => s), plain)).forecast(7, [0.9]));
    expect(withGroups).toEqual(without);
  });
});
