import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quasiNewton } from "../src/optimize.js";

/** f(x) = ½ (x − c)' A (x − c) with A = L L' + I (positive definite), and its gradient. */
const quadratic = (l: ReadonlyArray<number>, c: ReadonlyArray<number>, d: number) => {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < d; k++) s += (l[i * d + k] as number) * (l[j * d + k] as number);
      a[i * d + j] = s;
    }
  }
  const grad = (x: Float64Array, g: Float64Array): void => {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (a[i * d + j] as number) * ((x[j] as number) - (c[j] as number));
      g[i] = s;
    }
  };
  const g = new Float64Array(d);
  const f = (x: Float64Array): number => {
    grad(x, g);
    let s = 0;
    for (let i = 0; i < d; i++) s += 0.5 * (g[i] as number) * ((x[i] as number) - (c[i] as number));
    return s;
  };
  return { f, grad };
};

describe("quasiNewton (BFGS with a backtracking line search)", () => {
  it("finds the minimum of positive-definite quadratics in 1–4 dimensions", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d * d, maxLength: d * d }),
            fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
            fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
          ),
        ),
        ([d, l, c, start]) => {
          const { f, grad } = quadratic(l, c, d);
          const r = quasiNewton(f, grad, start, { valueTol: 1e-14 });
          expect(r.value).toBeLessThanOrEqual(1e-8);
          expect(r.value).toBe(f(r.x));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("minimises Rosenbrock's function from (−1.2, 1)", () => {
    const f = (x: Float64Array): number => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;
    const grad = (x: Float64Array, g: Float64Array): void => {
      const [a, b] = [x[0] as number, x[1] as number];
      g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
      g[1] = 200 * (b - a * a);
    };
    const r = quasiNewton(f, grad, [-1.2, 1], { valueTol: 1e-14 });
    expect(Math.abs((r.x[0] as number) - 1)).toBeLessThan(1e-4);
    expect(Math.abs((r.x[1] as number) - 1)).toBeLessThan(1e-4);
  });

  it("never accepts a rejected point and never returns a worse value than the start", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (l, c, start) => {
          // the half-plane x0 > 0 is allowed (the start lies in it); the minimum may lie outside
          const { f: inner, grad } = quadratic(l, c, 2);
          const f = (x: Float64Array): number => ((x[0] as number) > 0 ? inner(x) : Number.POSITIVE_INFINITY);
          const r = quasiNewton(f, grad, start);
          expect(r.x[0] as number).toBeGreaterThan(0);
          expect(r.value).toBeLessThanOrEqual(inner(Float64Array.from(start)));
          expect(r.value).toBe(inner(r.x));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("returns the start when the function rejects it", () => {
    const r = quasiNewton(() => Number.POSITIVE_INFINITY, () => undefined, [1, 2]);
    expect(Array.from(r.x)).toEqual([1, 2]);
    expect(r.value).toBe(Number.POSITIVE_INFINITY);
    expect(r.evaluations).toBe(1);
  });
});
