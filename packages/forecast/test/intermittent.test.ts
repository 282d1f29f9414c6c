import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adidaModel,
  crostonModel,
  imapaModel,
  poissonQuantile,
  sbaModel,
  tsbModel,
} from "../src/intermittent.js";
import type { ForecastModel } from "../src/model.js";

const Y = Float64Array.from([0, 0, 3, 0, 0, 0, 2, 0, 4, 0]);

const fitForecast = (model: ForecastModel, y: Float64Array, h = 3, levels: number[] = []) => {
  const fitted = model.fit(y, {});
  if (Result.isFailure(fitted)) throw new Error(`fit failed: ${fitted.failure._tag}`);
  return fitted.success.forecast(h, levels);
};

const models: ReadonlyArray<readonly [string, ForecastModel]> = [
  ["croston", Result.getOrThrow(crostonModel())],
  ["sba", Result.getOrThrow(sbaModel())],
  ["tsb", Result.getOrThrow(tsbModel())],
  ["adida", Result.getOrThrow(adidaModel())],
  ["imapa", Result.getOrThrow(imapaModel())],
];

describe("hand-computed forecasts on [0,0,3,0,0,0,2,0,4,0], α = 0.1", () => {
  it("Croston matches R's forecast::croston", () => {
    // demands at 1-based positions 3, 7, 9 → sizes 3, 2, 4; intervals diff(c(0, 3, 7, 9)) = 3, 4, 2
    // sizes:     z = 3 → 3 + 0.1·(2 − 3) = 2.9 → 2.9 + 0.1·(4 − 2.9) = 3.01
    // intervals: p = 3 → 3 + 0.1·(4 − 3) = 3.1 → 3.1 + 0.1·(2 − 3.1) = 2.99
    // forecast = 3.01 / 2.99 = 1.00668896…
    const f = fitForecast(models[0]![1], Y);
    expect(f.mean.length).toBe(3);
    for (const v of f.mean) expect(v).toBeCloseTo(3.01 / 2.99, 12);
    expect(f.model).toBe("croston[q=poisson]");
  });

  it("Croston fitted values are NaN before the first demand, size/interval after one demand", () => {
    const fit = Result.getOrThrow(models[0]![1].fit(Y, {}));
    // after y[2] = 3 (first demand at position 3): 3 / 3 = 1 until the next demand
    expect(Number.isNaN(fit.fitted![2]!)).toBe(true);
    expect(fit.fitted![3]).toBeCloseTo(1, 12);
    expect(fit.fitted![7]).toBeCloseTo(2.9 / 3.1, 12);
  });

  it("SBA = (1 − α/2) · Croston", () => {
    // 0.95 · 3.01 / 2.99 = 0.95635451…
    const f = fitForecast(models[1]![1], Y);
    expect(f.mean[0]).toBeCloseTo((0.95 * 3.01) / 2.99, 12);
  });

  it("TSB updates the probability every period", () => {
    // z0 = 3 (first demand), p0 = 1/3 (first demand at position 3); β = α = 0.1
    // t1 y=0: p = 0.3; t2 y=0: 0.27; t3 y=3: 0.27 + 0.1·0.73 = 0.343, z = 3
    // t4..t6 zeros: 0.3087, 0.27783, 0.250047
    // t7 y=2: 0.250047 + 0.1·0.749953 = 0.3250423, z = 2.9
    // t8 y=0: 0.29253807; t9 y=4: 0.29253807 + 0.1·0.70746193 = 0.363284263, z = 3.01
    // t10 y=0: 0.3269558367 → forecast = 0.3269558367 · 3.01 = 0.98413707…
    const f = fitForecast(models[2]![1], Y);
    expect(f.mean[0]).toBeCloseTo(0.3269558367 * 3.01, 9);
  });

  it("ADIDA aggregates into end-aligned buckets", () => {
    // default k = round(mean interval (3+4+2)/3) = 3; drop n mod k = 1 leading value
    // buckets [0,3,0]=3, [0,0,2]=2, [0,4,0]=4 → SES: 3 → 2.9 → 3.01; per period 3.01/3
    const f = fitForecast(models[3]![1], Y);
    expect(f.mean[0]).toBeCloseTo(3.01 / 3, 12);
    expect(f.model).toBe("adida(k=3)[q=poisson]");
    const k2 = fitForecast(Result.getOrThrow(adidaModel({ aggregationLevel: 2 })), Y);
    // buckets [0,0]=0,[3,0]=3,[0,0]=0,[2,0]=2,[4,0]=4 → 0, 0.3, 0.27, 0.443, 0.7987 → /2
    expect(k2.mean[0]).toBeCloseTo(0.7987 / 2, 12);
  });

  it("IMAPA averages levels 1..max interval", () => {
    // max interval = 4
    // k=1: SES on y from 0: …, t6 0.39683, t7 0.357147, t8 0.7214323, t9 0.64928907
    // k=2: 0.7987/2 = 0.39935; k=3: 3.01/3 = 1.0033333; k=4: buckets [3,0,0,0]=3, [2,0,4,0]=6 → 3.3/4 = 0.825
    // mean = (0.64928907 + 0.39935 + 1.00333333… + 0.825) / 4 = 0.71924310…
    const f = fitForecast(models[4]![1], Y);
    expect(f.mean[0]).toBeCloseTo((0.64928907 + 0.39935 + 3.01 / 3 + 0.825) / 4, 8);
    expect(f.model).toBe("imapa(k=1..4)[q=poisson]");
  });
});

describe("edge cases", () => {
  it("an all-zero series forecasts zero with zero quantiles, for every model", () => {
    for (const [, m] of models) {
      const f = fitForecast(m, new Float64Array(8), 4, [0.1, 0.5, 0.9]);
      expect([...f.mean]).toEqual([0, 0, 0, 0]);
      for (const q of f.quantiles.values()) expect([...q]).toEqual([0, 0, 0, 0]);
    }
  });

  it("an empty series is SeriesTooShort, a negative or non-finite value InvalidSeries", () => {
    for (const [, m] of models) {
      const empty = m.fit(new Float64Array(0), {});
      expect(Result.isFailure(empty) && empty.failure._tag).toBe("SeriesTooShort");
      const neg = m.fit(Float64Array.from([1, -1, 2]), {});
      expect(Result.isFailure(neg) && neg.failure._tag).toBe("InvalidSeries");
      const nan = m.fit(Float64Array.from([1, Number.NaN, 2]), {});
      expect(Result.isFailure(nan) && nan.failure._tag).toBe("InvalidSeries");
    }
  });

  it("ADIDA with a bucket longer than the series is SeriesTooShort", () => {
    const r = Result.getOrThrow(adidaModel({ aggregationLevel: 5 })).fit(Float64Array.from([1, 0, 2]), {});
    expect(Result.isFailure(r) && r.failure._tag).toBe("SeriesTooShort");
  });

  it("invalid options are InvalidInput", () => {
    const r = crostonModel({ alpha: 1.5 });
    expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
  });

  it("Poisson quantiles are ordered and match known values", () => {
    // Poisson(1): P(0) = 0.3679, P(≤1) = 0.7358, P(≤2) = 0.9197 → q(0.5) = 1, q(0.9) = 2
    expect(poissonQuantile(1, 0.5)).toBe(1);
    expect(poissonQuantile(1, 0.9)).toBe(2);
    expect(poissonQuantile(1, 0.3)).toBe(0);
    for (const [, m] of models) {
      const f = fitForecast(m, Y, 2, [0.05, 0.5, 0.95, 0.99]);
      const qs = [0.05, 0.5, 0.95, 0.99].map((l) => f.quantiles.get(l)![0]!);
      for (let i = 1; i < qs.length; i++) expect(qs[i]!).toBeGreaterThanOrEqual(qs[i - 1]!);
    }
  });

  it("empirical quantiles are ordered, non-negative and marked in the model name", () => {
    const m = Result.getOrThrow(crostonModel({ quantiles: "empirical" }));
    const f = fitForecast(m, Y, 2, [0.1, 0.5, 0.9]);
    expect(f.model).toBe("croston[q=empirical]");
    const qs = [0.1, 0.5, 0.9].map((l) => f.quantiles.get(l)![0]!);
    expect(qs[0]!).toBeGreaterThanOrEqual(0);
    expect(qs[1]!).toBeGreaterThanOrEqual(qs[0]!);
    expect(qs[2]!).toBeGreaterThanOrEqual(qs[1]!);
  });
});

describe("properties", () => {
  const demand = fc.float({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true });
  const series = fc
    .array(fc.oneof(fc.constant(0), fc.constant(0), demand), { minLength: 1, maxLength: 40 })
    .map((xs) => Float64Array.from(xs));
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

  for (const [name, m] of models) {
    it(`${name}: a constant positive series forecasts that constant (rate × size)`, () => {
      fc.assert(
        fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 30 }), (c, n) => {
          const f = fitForecast(m, new Float64Array(n).fill(c), 3);
          // every period has demand: rate 1, size c; SBA keeps its deliberate factor 1 − α/2
          const expected = name === "sba" ? 0.95 * c : c;
          return [...f.mean].every((v) => close(v, expected));
        }),
        { numRuns: 1000 },
      );
    });

    it(`${name}: scaling the series by c > 0 scales the forecast by c`, () => {
      fc.assert(
        fc.property(series, fc.double({ min: 0.01, max: 100, noNaN: true }), (y, c) => {
          const a = fitForecast(m, y, 2);
          const b = fitForecast(m, y.map((v) => v * c), 2);
          return [...a.mean].every((v, i) => close(v * c, b.mean[i]!));
        }),
        { numRuns: 1000 },
      );
    });

    it(`${name}: forecasts and quantiles are never negative and quantiles are ordered`, () => {
      fc.assert(
        fc.property(series, (y) => {
          const f = fitForecast(m, y, 3, [0.1, 0.5, 0.9]);
          if (![...f.mean].every((v) => v >= 0 && Number.isFinite(v))) return false;
          const q = [0.1, 0.5, 0.9].map((l) => f.quantiles.get(l));
          for (const col of q) if (col && ![...col].every((v) => v >= 0)) return false;
          const [lo, mid, hi] = q;
          return !lo || !mid || !hi || (lo[0]! <= mid[0]! && mid[0]! <= hi[0]!);
        }),
        { numRuns: 1000 },
      );
    });
  }

  it("empirical quantiles are never negative and ordered (Croston, TSB)", () => {
    const ms = [Result.getOrThrow(crostonModel({ quantiles: "empirical" })), Result.getOrThrow(tsbModel({ quantiles: "empirical" }))];
    fc.assert(
      fc.property(series, (y) =>
        ms.every((m) => {
          const f = fitForecast(m, y, 2, [0.1, 0.5, 0.9]);
          const q = [0.1, 0.5, 0.9].map((l) => f.quantiles.get(l)?.[0]);
          if (q.some((v) => v === undefined)) return q.every((v) => v === undefined) || f.mean[0] === 0;
          const [lo, mid, hi] = q as number[];
          return lo! >= 0 && lo! <= mid! && mid! <= hi!;
        }),
      ),
      { numRuns: 1000 },
    );
  });
});
