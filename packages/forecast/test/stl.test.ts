import { describe, expect, it } from "vitest";
import { nextOdd, stl } from "../src/stl.js";
import { err, ok } from "../../../scripts/test-support.js";
import fixture from "./fixtures/r-stl-mstl.json" with { type: "json" };

// Fixtures: R 4.2.2, stats::stl — see fixtures/generate-r-mstl-fixtures.R (the provenance).
interface RStl {
  y: number[];
  period: number;
  seasonal: number[];
  trend: number[];
  remainder: number[];
  weights: number[];
  windows: { s: number; t: number; l: number };
  degrees: { s: number; t: number; l: number };
}
const cases = fixture.stl as unknown as Record<string, RStl>;

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe("stl against R's stats::stl", () => {
  const options: Record<string, Parameters<typeof stl>[1]> = {
    nottem_periodic: { period: 12, seasonalWindow: "periodic" },
    nottem_7: { period: 12, seasonalWindow: 7 },
    nottem_7_robust: { period: 12, seasonalWindow: 7, robust: true },
    co2_21_t1: { period: 12, seasonalWindow: 21, seasonalDegree: 1 },
  };
  for (const [name, r] of Object.entries(cases)) {
    it(`${name}: seasonal, trend, remainder and weights to 1e-9`, () => {
      const d = ok(stl(Float64Array.from(r.y), options[name]!));
      expect(maxAbs(d.seasonal, r.seasonal)).toBeLessThan(1e-9);
      expect(maxAbs(d.trend, r.trend)).toBeLessThan(1e-9);
      expect(maxAbs(d.remainder, r.remainder)).toBeLessThan(1e-9);
      expect(maxAbs(d.weights, r.weights)).toBeLessThan(1e-9);
    });
  }
});

describe("stl", () => {
  it("uses R's default windows (nextodd)", () => {
    expect(nextOdd(12)).toBe(13);
    expect(nextOdd(365.25)).toBe(365);
    expect(nextOdd(Math.ceil((1.5 * 12) / (1 - 1.5 / 7)))).toBe(cases.nottem_7!.windows.t);
  });

  it("components add up to the series", () => {
    const y = Float64Array.from({ length: 60 }, (_, t) => 10 + t / 5 + 3 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5) / 10);
    const d = ok(stl(y, { period: 12, seasonalWindow: 9 }));
    for (let t = 0; t < y.length; t++) expect(d.seasonal[t]! + d.trend[t]! + d.remainder[t]!).toBeCloseTo(y[t]!, 12);
  });

  it("a periodic seasonal repeats exactly", () => {
    const y = Float64Array.from({ length: 48 }, (_, t) => t + ((t % 12) - 5) ** 2);
    const d = ok(stl(y, { period: 12, seasonalWindow: "periodic" }));
    for (let t = 12; t < y.length; t++) expect(d.seasonal[t]).toBe(d.seasonal[t - 12]);
  });

  it("names what is wrong", () => {
    expect(err(stl(Float64Array.from([1, 2, 3, 4]), { period: 2, seasonalWindow: 7 }))._tag).toBe("SeriesTooShort");
    expect(err(stl(Float64Array.from([1, Number.NaN, 3, 4, 5]), { period: 2, seasonalWindow: 7 }))._tag).toBe("InvalidSeries");
    expect(err(stl(Float64Array.from([1, 2, 3, 4, 5]), { period: 1, seasonalWindow: 7 }))._tag).toBe("InvalidInput");
  });
});
