import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitTheta, optimizedThetaModel, thetaModel, thetaSeasonalityTest } from "../src/theta.js";
import fixture from "./fixtures/r-ets-theta.json" with { type: "json" };

// Fixtures: R forecast 8.20 `thetaf(y, h = 12)` — see fixtures/generate-r-fixtures.R.
interface RTheta {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}
const series = fixture.series as unknown as Record<string, { frequency: number; y: number[]; theta: RTheta }>;

const get = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(`unexpected failure: ${JSON.stringify(r.failure)}`);
  return r.success;
};
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)) / Math.abs(b[i] as number));
  return m;
};

describe("Theta against R forecast::thetaf", () => {
  it.each(Object.keys(series))("%s: means and 80/95%% bounds within 1e-4 relative", (name) => {
    const s = series[name] as { frequency: number; y: number[]; theta: RTheta };
    const f = get(fitTheta(Float64Array.from(s.y), { seasonLength: s.frequency }));
    const out = f.forecast(12, [0.025, 0.1, 0.9, 0.975]);
    expect(maxRel(out.mean, s.theta.mean)).toBeLessThan(1e-4);
    expect(maxRel(out.quantiles.get(0.1) as Float64Array, s.theta.lower80)).toBeLessThan(1e-4);
    expect(maxRel(out.quantiles.get(0.9) as Float64Array, s.theta.upper80)).toBeLessThan(1e-4);
    expect(maxRel(out.quantiles.get(0.025) as Float64Array, s.theta.lower95)).toBeLessThan(1e-4);
    expect(maxRel(out.quantiles.get(0.975) as Float64Array, s.theta.upper95)).toBeLessThan(1e-4);
  });

  it("deseasonalises AirPassengers and UKgas, not Nile", () => {
    expect(thetaSeasonalityTest(Float64Array.from((series.AirPassengers as { y: number[] }).y), 12)).toBe(true);
    expect(thetaSeasonalityTest(Float64Array.from((series.UKgas as { y: number[] }).y), 4)).toBe(true);
    expect(thetaSeasonalityTest(Float64Array.from((series.Nile as { y: number[] }).y), 1)).toBe(false);
  });
});

describe("optimised Theta", () => {
  it("chooses θ ≥ 1 and fits in-sample at least as well as θ = 2 with the same SES start", () => {
    for (const name of Object.keys(series)) {
      const s = series[name] as { frequency: number; y: number[] };
      const y = Float64Array.from(s.y);
      const opt = get(fitTheta(y, { seasonLength: s.frequency, variant: "optimized" }));
      expect(opt.theta).toBeGreaterThanOrEqual(1);
      expect(opt.name).toBe("OptimizedTheta");
      for (const v of opt.forecast(12, [0.5]).mean) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it("models and errors", () => {
    expect(thetaModel.name).toBe("Theta");
    expect(optimizedThetaModel.name).toBe("OptimizedTheta");
    const r = thetaModel.fit(Float64Array.from([1, 2, 3]), {});
    expect(Result.isFailure(r) && r.failure._tag).toBe("SeriesTooShort");
    const bad = thetaModel.fit(Float64Array.from([1, 2, 3, Number.POSITIVE_INFINITY, 5, 6, 7, 8]), {});
    expect(Result.isFailure(bad) && bad.failure._tag).toBe("InvalidSeries");
  });
});

describe("Theta properties", () => {
  const shortSeries = fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 10, maxLength: 16 }).map((a) => Float64Array.from(a));
  const variant = fc.constantFrom("standard" as const, "optimized" as const);

  it("a constant series forecasts that constant", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 10, max: 20 }), variant, (c, n, v) => {
        const out = get(fitTheta(new Float64Array(n).fill(c), { variant: v })).forecast(6, []);
        for (const x of out.mean) expect(Math.abs(x - c)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c)));
      }),
      { numRuns: 1000 },
    );
  });

  it("quantiles are ordered by level", () => {
    const levels = [0.025, 0.1, 0.5, 0.9, 0.975];
    fc.assert(
      fc.property(shortSeries, variant, (y, v) => {
        const out = get(fitTheta(y, { variant: v })).forecast(4, levels);
        for (let k = 1; k < levels.length; k++) {
          const lo = out.quantiles.get(levels[k - 1] as number) as Float64Array;
          const hi = out.quantiles.get(levels[k] as number) as Float64Array;
          for (let i = 0; i < 4; i++) expect(lo[i] as number).toBeLessThanOrEqual(hi[i] as number);
        }
      }),
      { numRuns: 1000 },
    );
  });

  // Within the optimiser's tolerance: the smoothing parameter is found by Nelder–Mead, whose
  // stopping rule is relative, so a rescaled series may stop a hair away (seen: 4e-4 relative
  // with c = 0.001 on a 12-point series).
  it("scaling the series by c > 0 scales the point forecasts by c (1e-3 relative, the optimiser's tolerance)", () => {
    fc.assert(
      fc.property(shortSeries, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), variant, (y, c, v) => {
        const a = get(fitTheta(y, { variant: v })).forecast(4, []).mean;
        const b = get(fitTheta(y.map((x) => x * c), { variant: v })).forecast(4, []).mean;
        for (let i = 0; i < 4; i++) {
          expect(Math.abs((b[i] as number) - c * (a[i] as number))).toBeLessThanOrEqual(1e-3 * Math.abs(c * (a[i] as number)) + 1e-12);
        }
      }),
      { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) },
    );
  });
});
