import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nelderMead, quasiNewton } from "../src/optimize.js";
import { failWith, ok } from "../../../scripts/test-support.js";

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
          const r = ok(quasiNewton(f, grad, start, { valueTol: 1e-14 }));
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
    const r = ok(quasiNewton(f, grad, [-1.2, 1], { valueTol: 1e-14 }));
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
          const r = ok(quasiNewton(f, grad, start));
          expect(r.x[0] as number).toBeGreaterThan(0);
          expect(r.value).toBeLessThanOrEqual(inner(Float64Array.from(start)));
          expect(r.value).toBe(inner(r.x));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("returns the start when the function rejects it", () => {
    const r = ok(quasiNewton(() => Number.POSITIVE_INFINITY, () => undefined, [1, 2]));
    expect(Array.from(r.x)).toEqual([1, 2]);
    expect(r.value).toBe(Number.POSITIVE_INFINITY);
    expect(r.evaluations).toBe(1);
  });
});

/** σ(z) = 1/(1 + e^(−z)). */
const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

describe("quasiNewton with snapToBounds (coordinates that are logits of bounded quantities)", () => {
  // f(z) = Σ a_i σ(z_i) + b_i σ(z_i)²: a_i ≥ 0 puts the minimum over σ ∈ [0, 1] at σ = 0 (z_i → −∞);
  // a_i ≤ −2 b_i at σ = 1 (z_i → +∞); otherwise inside, at σ = −a_i / (2 b_i)
  const separable = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => {
    const f = (z: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < z.length; i++) {
        const u = logistic(z[i] as number);
        s += (a[i] as number) * u + (b[i] as number) * u * u;
      }
      return s;
    };
    const grad = (z: Float64Array, g: Float64Array): void => {
      for (let i = 0; i < z.length; i++) {
        const u = logistic(z[i] as number);
        g[i] = ((a[i] as number) + 2 * (b[i] as number) * u) * u * (1 - u);
      }
    };
    let inf = 0;
    for (let i = 0; i < a.length; i++) {
      const ai = a[i] as number;
      const bi = b[i] as number;
      const u = Math.min(Math.max(-ai / (2 * bi), 0), 1);
      inf += ai * u + bi * u * u;
    }
    return { f, grad, inf };
  };

  it("reaches the infimum, with the coordinates whose optimum is a bound exactly at ±to, in fewer evaluations than without", () => {
    let withSnap = 0;
    let without = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) =>
          fc.tuple(
            fc.array(fc.double({ min: -6, max: 3, noNaN: true }), { minLength: d, maxLength: d }),
            fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: d, maxLength: d }),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }),
          ),
        ),
        ([a, b, start]) => {
          // an optimum inside but deeper in the tail than `beyond` can be jumped over (the jump is
          // taken when the bound beats the current point): not what this property is about; and
          // within 5 % of a bound the function is so flat in logit space that valueTol stops BFGS
          // up to ~1e-3·|inf| short of it, snapping or not (seen at 1 %: a gap of 6e-8, CI seed 2053744961)
          for (let i = 0; i < a.length; i++) {
            const inside = -(a[i] as number) / (2 * (b[i] as number));
            fc.pre(inside <= 0 || inside >= 1 || (inside > 0.05 && inside < 0.95));
          }
          const { f, grad, inf } = separable(a, b);
          const snapToBounds = { beyond: start.map(() => 6), to: 40, retry: 2 };
          const r = ok(quasiNewton(f, grad, start, { valueTol: 1e-10, snapToBounds }));
          const plain = ok(quasiNewton(f, grad, start, { valueTol: 1e-10 }));
          withSnap += r.evaluations;
          without += plain.evaluations;
          expect(r.value).toBe(f(r.x));
          expect(r.value).toBeLessThanOrEqual(inf + 1e-8);
          expect(r.value).toBeLessThanOrEqual(f(Float64Array.from(start)));
          for (let i = 0; i < a.length; i++) {
            const ai = a[i] as number;
            const bi = b[i] as number;
            if (ai > 0.1) expect(r.x[i]).toBe(-40);
            if (ai < -2 * bi - 0.1) expect(r.x[i]).toBe(40);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(withSnap).toBeLessThan(0.75 * without);
  });

  it("never takes a jump that is worse or leaves the allowed region", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.array(fc.double({ min: 0.1, max: 8, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (l, c, start) => {
          // a quadratic (no logits at all): a jump of a coordinate to ±40 is never better
          const { f: inner, grad } = quadratic(l, c, 2);
          const f = (x: Float64Array): number => ((x[0] as number) > 0 ? inner(x) : Number.POSITIVE_INFINITY);
          const r = ok(quasiNewton(f, grad, start, { snapToBounds: { beyond: [1, 1], to: 40, retry: 1 } }));
          expect(r.x[0] as number).toBeGreaterThan(0);
          expect(r.value).toBeLessThanOrEqual(inner(Float64Array.from(start)));
          expect(r.value).toBe(inner(r.x));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("nelderMead and quasiNewton validate their input", () => {
  const f = (x: Float64Array): number => (x[0] as number) ** 2;
  const grad = (x: Float64Array, g: Float64Array): void => {
    g[0] = 2 * (x[0] as number);
  };
  const notANumber = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "1", null);

  it("an option out of its range is an InvalidInput naming it; valid options minimise", () => {
    const badNelderMead = fc.oneof(
      fc.tuple(fc.constant("relTol"), fc.oneof(fc.double({ max: -1e-9, noNaN: true }), notANumber)),
      fc.tuple(fc.constant("alpha"), fc.oneof(fc.double({ max: 0, noNaN: true }), notANumber)),
      fc.tuple(fc.constant("beta"), fc.oneof(fc.double({ min: 1, noNaN: true }), fc.double({ max: 0, noNaN: true }), notANumber)),
      fc.tuple(fc.constant("gamma"), fc.oneof(fc.double({ max: 1, noNaN: true }), notANumber)),
      fc.tuple(fc.constant("maxEvaluations"), fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 1.1, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v)), notANumber)),
      fc.tuple(fc.constant("absTol"), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "0")),
      fc.tuple(fc.constant("unknown"), fc.constant(1)),
    );
    fc.assert(
      fc.property(badNelderMead, ([key, value]) => {
        const e = failWith(nelderMead(f, [1], { [key]: value } as never), "InvalidInput");
        expect(e.subject).toBe("nelderMead input");
        expect(e.issues.map((i) => i.path)).toContain(key === "unknown" ? "options" : `options.${key}`);
      }),
      { numRuns: 300 },
    );
    const badQuasiNewton = fc.oneof(
      fc.tuple(fc.constant("valueTol"), fc.oneof(fc.double({ max: -1e-9, noNaN: true }), notANumber)),
      fc.tuple(fc.constant("maxStep"), fc.oneof(fc.double({ max: 0, noNaN: true }), notANumber)),
      fc.tuple(fc.constant("maxIterations"), fc.oneof(fc.integer({ max: -1 }), fc.constant(2.5), notANumber)),
      fc.tuple(fc.constant("unknown"), fc.constant(1)),
    );
    fc.assert(
      fc.property(badQuasiNewton, ([key, value]) => {
        const e = failWith(quasiNewton(f, grad, [1], { [key]: value } as never), "InvalidInput");
        expect(e.subject).toBe("quasiNewton input");
        expect(e.issues.map((i) => i.path)).toContain(key === "unknown" ? "options" : `options.${key}`);
      }),
      { numRuns: 300 },
    );
    expect(Math.abs(ok(nelderMead(f, [1], { maxEvaluations: 500, relTol: 1e-12 })).x[0] as number)).toBeLessThan(1e-4);
    expect(ok(quasiNewton(f, grad, [1], { valueTol: 0, maxStep: 0.5, maxIterations: 50 })).value).toBeLessThan(1e-12);
  });

  it("a start point with a coordinate that is not a finite number is an InvalidInput naming start", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { maxLength: 4 }), fc.nat(4), notANumber, (point, at, bad) => {
        const start = [...point.slice(0, at), bad, ...point.slice(at)] as number[];
        expect(failWith(nelderMead(f, start), "InvalidInput").issues.map((i) => i.path)).toContain("start");
        expect(failWith(quasiNewton(f, grad, start), "InvalidInput").issues.map((i) => i.path)).toContain("start");
      }),
      { numRuns: 200 },
    );
  });

  it("functions that are not functions, and snapToBounds whose beyond does not match start, are InvalidInput", () => {
    expect(failWith(nelderMead(1 as never, [1]), "InvalidInput").issues.map((i) => i.path)).toContain("f");
    expect(failWith(quasiNewton(f, "g" as never, [1]), "InvalidInput").issues.map((i) => i.path)).toContain("gradient");
    const snap = (beyond: number[]) => ({ snapToBounds: { beyond, to: 40, retry: 2 } });
    expect(failWith(quasiNewton(f, grad, [1, 2], snap([6])), "InvalidInput").issues.map((i) => i.path)).toContain("options.snapToBounds.beyond");
    expect(failWith(quasiNewton(f, grad, [1], snap([-1])), "InvalidInput").issues.map((i) => i.path)).toContain("options.snapToBounds.beyond");
    expect(ok(quasiNewton(f, grad, [1, 2], snap([6, Number.POSITIVE_INFINITY]))).value).toBeLessThan(1e-6);
  });
});
