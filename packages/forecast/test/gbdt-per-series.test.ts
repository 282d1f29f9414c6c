import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  backtest,
  backtestGlobal,
  fitGbdtGlobal,
  gbdtGlobalModel,
  gbdtSeriesModel,
  naive,
  perSeriesGlobalModel,
  selectModel,
  selectPerSeries,
  seasonalNaive,
  toSeries,
  withFutureExogenous,
  type GlobalSeries,
} from "@jxc/forecast";
import { err, ok } from "../../../scripts/test-support.js";

/** Weekly-patterned daily demand with a level per series. */
const weekly = (id: string, level: number, length: number): GlobalSeries => ({
  id,
  start: "2025-01-06",
  freq: "daily",
  y: Float64Array.from({ length }, (_, t) => level * [1, 1, 1.2, 1, 1.5, 3, 2.5][t % 7]! + ((t * 37) % 5) / 5),
  exogenous: {},
});

describe("per-series and global models side by side", () => {
  const series = [weekly("a", 4, 160), weekly("b", 10, 160), weekly("c", 1, 120)];

  it("backtests a per-series model on the global windows and selects per series", () => {
    const opts = { horizon: 7, windows: 2 };
    const naiveResult = ok(backtestGlobal(series, perSeriesGlobalModel(naive), opts));
    const seasonal = ok(backtestGlobal(series, perSeriesGlobalModel(seasonalNaive, { seasonLength: 7 }), opts));
    const trees = ok(backtestGlobal(series, gbdtGlobalModel({ horizon: 7, booster: { iterations: 60, minDataInLeaf: 5, maxLeaves: 15 } }), opts));
    expect(naiveResult.windows[1]!.series.get("a")!.origin).toBe(trees.windows[1]!.series.get("a")!.origin);
    const choice = selectPerSeries([naiveResult, seasonal, trees], "mae");
    expect([...choice.keys()].sort()).toEqual(["a", "b", "c"]);
    for (const c of choice.values()) expect(c.model).not.toBe(naiveResult.model); // a weekly pattern beats naive
  });

  it("runs the tree model as a per-series ForecastModel in backtest and selectModel", () => {
    const y = series[1]!.y;
    const model = gbdtSeriesModel({ horizon: 7, booster: { iterations: 40, minDataInLeaf: 5, maxLeaves: 7 } });
    const result = ok(backtest(y, model, { horizon: 7, windows: 2, levels: [0.1, 0.9] }));
    expect(result.windows).toHaveLength(2);
    expect(Number.isFinite(result.summary.mae)).toBe(true);
    const selection = ok(selectModel(y, [naive, model], { horizon: 7, windows: 2, metric: "mae" }));
    expect(selection.best.name).toBe("gbdt");
    const fitted = ok(model.fit(y, {}));
    const beyond = fitted.forecast(9, []);
    expect(beyond.mean.length).toBe(9);
    expect(Number.isNaN(beyond.mean[8]!)).toBe(true); // beyond the fitted horizon
  });

  it("maps option errors to the per-series error types", () => {
    expect(err(gbdtSeriesModel({ horizon: 0 }).fit(Float64Array.from([1, 2, 3]), {}))._tag).toBe("InvalidSeries");
  });
});

describe("the README example", () => {
  it("fits a frame with planned prices and promotions and forecasts quantiles", () => {
    const rows = [];
    const planned = [];
    for (const [id, level] of [["SKU-1", 5], ["SKU-2", 12]] as const) {
      for (let d = 0; d < 148; d++) {
        const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
        const promo = d % 10 === 0;
        const price = promo ? "8.90" : "9.90";
        if (d < 120) rows.push({ id, date, y: String(level * (promo ? 3 : 1) + (d % 3)), price, promo });
        else planned.push({ id, date, price, promo });
      }
    }
    const trend = Array.from({ length: 200 }, (_, i) => ({ date: new Date(Date.UTC(2025, 11, 1 + i)).toISOString().slice(0, 10), value: Math.sin(i / 9) }));
    const history = Result.getOrThrow(toSeries(rows, { freq: "daily", fill: "zero" }));
    const series = Result.getOrThrow(withFutureExogenous(history, planned));
    expect(series[0]!.exogenous["price"]!.length).toBe(148);
    const fitted = Result.getOrThrow(
      fitGbdtGlobal(series, {
        horizon: 28,
        relativeExogenous: ["price"],
        signals: [{ name: "douyin-trend", kind: "social-trend", lead: 12, observations: trend }],
        maxTrainingPeriods: 730,
        booster: { seed: 1, minDataInLeaf: 5 },
      }),
    );
    const forecasts = Result.getOrThrow(fitted.forecast(28, [0.5, 0.8, 0.9, 0.95, 0.99]));
    const q95 = forecasts.get("SKU-1")!.quantiles.get(0.95)!;
    expect(q95.length).toBe(28);
    expect(fitted.importance.slice(0, 5).length).toBe(5);
    // promotion days (every 10th) are forecast higher than the other days
    const mean = forecasts.get("SKU-2")!.mean;
    expect(mean[0]!).toBeGreaterThan(mean[1]!); // day 120 is a promotion day
  });

  it("withFutureExogenous names rows it cannot place", () => {
    const s = [{ id: "x", start: "2026-01-01", freq: "daily" as const, y: Float64Array.from([1, 2, 3]), exogenous: {} }];
    expect(err(withFutureExogenous(s, [{ id: "y", date: "2026-01-05", price: 1 }]))._tag).toBe("InvalidSeries");
    expect(err(withFutureExogenous(s, [{ id: "x", date: "2026-01-02", price: 1 }]))._tag).toBe("InvalidSeries");
    expect(err(withFutureExogenous(s, [{ id: "x", date: "not a date" }]))._tag).toBe("InvalidInput");
    const ok1 = ok(withFutureExogenous(s, [{ id: "x", date: "2026-01-05", price: "2.5", promo: true }]));
    expect([...ok1[0]!.exogenous["price"]!]).toEqual([NaN, NaN, NaN, NaN, 2.5]);
    expect(ok1[0]!.exogenous["promo"]![4]).toBe(1);
  });
});
