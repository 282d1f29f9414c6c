import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { boxCox, boxCoxLambda, inverseBoxCox, mstl, mstlModel } from "@jxc/forecast";
import fixture from "./fixtures/r-box-cox.json" with { type: "json" };

// Fixtures: R 4.2.2, forecast 8.20 BoxCox.lambda (Guerrero) and mstl(x, lambda = "auto") — see fixtures/generate-r-box-cox-fixtures.R.

describe("Box–Cox λ by Guerrero's method, as R's BoxCox.lambda", () => {
  for (const c of fixture.lambdas) {
    it(`${c.name} (frequency ${c.frequency}): λ = ${c.lambda}`, () => {
      const lambda = boxCoxLambda(Float64Array.from(c.y), c.frequency, { lower: c.lower, upper: c.upper });
      // the same Brent iterations as stats::optimize: equal to rounding
      expect(Math.abs(lambda - c.lambda)).toBeLessThan(1e-9);
    });
  }

  it("a series with a value ≤ 0 searches λ ≥ 0 only; at most two seasons gives 1", () => {
    const y = Float64Array.from({ length: 60 }, (_, t) => (t % 12 === 0 ? 0 : 10 + (t % 12) * t * 0.2));
    expect(boxCoxLambda(y, 12)).toBeGreaterThanOrEqual(0);
    expect(boxCoxLambda(y.subarray(0, 24), 12)).toBe(1);
  });

  it("inverseBoxCox undoes boxCox", () => {
    const y = Float64Array.from([0.5, 1, 2, 30, 400]);
    for (const lambda of [-0.5, 0, 0.3, 1, 1.7]) {
      const back = inverseBoxCox(boxCox(y, lambda), lambda);
      back.forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 9));
    }
  });
});

describe('MSTL with lambda "auto", as R\'s mstl(x, lambda = "auto")', () => {
  const { y, periods, lambda, trend, remainder } = fixture.mstlAuto;

  it(`chooses λ = ${lambda} and decomposes as R`, () => {
    const fit = Result.getOrThrow(mstl(Float64Array.from(y), { periods, lambda: "auto" }));
    expect(Math.abs(fit.lambda! - lambda)).toBeLessThan(1e-9);
    fit.trend.forEach((v, t) => expect(Math.abs(v - trend[t]!)).toBeLessThan(1e-7));
    fit.remainder.forEach((v, t) => expect(Math.abs(v - remainder[t]!)).toBeLessThan(1e-7));
  });

  it("forecasts on the original scale with the chosen λ", () => {
    const model = Result.getOrThrow(mstlModel({ periods, lambda: "auto" }));
    const fitted = Result.getOrThrow(model.fit(Float64Array.from(y), {}));
    const fc = fitted.forecast(14, [0.1, 0.9]);
    expect(fc.mean.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it('refuses a λ that is neither a number nor "auto", naming the field', () => {
    const r = mstl(Float64Array.from(y), { periods, lambda: "guess" as unknown as "auto" });
    expect(Result.isFailure(r) && r.failure.message).toMatch(/lambda/);
  });
});
