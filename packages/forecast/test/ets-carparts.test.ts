import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitAutoEts } from "../src/ets-auto.js";
import { etsName, fitEts, type EtsSpec, type FittedEts } from "../src/ets.js";
import { ok } from "../../../scripts/test-support.js";
import { specOf } from "./ets-spec.js";
import fixture from "./fixtures/r-ets-carparts.json" with { type: "json" };

// Fixture: R 4.2.2, forecast 8.20 on carparts series — see fixtures/generate-r-ets-carparts.R.
interface RFit {
  method: string;
  aicc: number;
}
interface RSeries {
  y: number[];
  models: Record<string, RFit>;
  auto: RFit;
}
const series = fixture.series as unknown as Record<string, RSeries>;
const m = fixture.frequency;



const cases = Object.entries(series).flatMap(([id, s]) => Object.keys(s.models).map((code) => [id, code] as const));

describe("ETS on intermittent carparts series against R forecast::ets (fixtures/r-ets-carparts.json)", () => {
  // The linear classes solve for the initial state exactly, so their optimum is never worse than
  // R's (the tolerance is Nelder–Mead's on the smoothing parameters).
  it.each(cases)("%s %s: AICc ≤ R's + 0.01", (id, code) => {
    const s = series[id] as RSeries;
    const r = s.models[code] as RFit;
    const f = ok(fitEts(Float64Array.from(s.y), specOf(code), { seasonLength: m }));
    expect(f.name).toBe(r.method);
    expect(f.aicc).toBeLessThanOrEqual(r.aicc + 0.01);
  });

  it.each(Object.keys(series))("%s: AutoETS reaches an AICc ≤ R's selection + 0.01", (id) => {
    const s = series[id] as RSeries;
    const f = ok(fitAutoEts(Float64Array.from(s.y), { seasonLength: m }));
    expect(f.aicc).toBeLessThanOrEqual(s.auto.aicc + 0.01);
    // zeros in the data: only additive-error, non-multiplicative classes are candidates
    expect(f.candidates.every((c) => c.spec.error === "A" && c.spec.season !== "M")).toBe(true);
    expect(f.candidates).toHaveLength(6);
  });
});

/** Σε² of an additive-error, additive-season recursion (R's etscalc) from x0 = [l, b, s0 … s(m−1)]. */
const sseFrom = (y: Float64Array, x0: ArrayLike<number>, f: FittedEts): number => {
  const { alpha, beta = 0, gamma = 0, phi = 1 } = f.parameters;
  const trend = f.spec.trend !== "N";
  const season = f.spec.season !== "N";
  const p = f.seasonLength;
  let l = x0[0] as number;
  let b = trend ? (x0[1] as number) : 0;
  const s = season ? Array.from({ length: p }, (_, j) => x0[(trend ? 2 : 1) + j] as number) : [];
  let sse = 0;
  for (const v of y) {
    const q = l + phi * b;
    const olds = season ? (s[p - 1] as number) : 0;
    const e = v - q - olds;
    sse += e * e;
    const lnew = q + alpha * e;
    b = phi * b + beta * e;
    if (season) s.unshift(s.pop()! + gamma * e);
    l = lnew;
  }
  return sse;
};

describe("ETS linear classes: the initial state is the least-squares optimum", () => {
  const linear: EtsSpec[] = [
    { error: "A", trend: "N", season: "N" },
    { error: "A", trend: "A", season: "N" },
    { error: "A", trend: "Ad", season: "N" },
    { error: "A", trend: "N", season: "A" },
    { error: "A", trend: "A", season: "A" },
  ];
  it("no perturbation of the fitted initial state (seasonal states summing to 0) lowers Σε²", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 20, maxLength: 30 }),
        fc.constantFrom(...linear),
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (values, spec, at, delta) => {
          const y = Float64Array.from(values);
          const fit = fitEts(y, spec, { seasonLength: 4 });
          if (Result.isFailure(fit)) return;
          const f = fit.success;
          const x0 = Array.from(f.initialState);
          const base = sseFrom(y, x0, f);
          // the recursion in the test reproduces the fit's own innovations
          let own = 0;
          for (const e of f.innovations) own += e * e;
          expect(Math.abs(base - own)).toBeLessThanOrEqual(1e-9 * Math.max(1, own));
          const i = at % x0.length;
          const moved = [...x0];
          const step = delta * (1 + Math.abs(x0[i] as number)) * 1e-2;
          moved[i] = (moved[i] as number) + step;
          const off = spec.trend === "N" ? 1 : 2;
          if (spec.season !== "N" && i >= off) moved[off + ((i - off + 1) % 4)] = (moved[off + ((i - off + 1) % 4)] as number) - step;
          expect(sseFrom(y, moved, f)).toBeGreaterThanOrEqual(base * (1 - 1e-9) - 1e-9);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("names the class fitted", () => {
    const y = Float64Array.from((series["21050849"] as RSeries).y);
    expect(etsName(ok(fitEts(y, specOf("AAdN"), {})).spec)).toBe("ETS(A,Ad,N)");
  });
});
