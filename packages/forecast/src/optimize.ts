/**
 * Minimisation: the Nelder–Mead simplex method, written to follow R's
 * `optim(method = "Nelder-Mead")` (`nmmin` in R's `src/appl/optim.c`, also used by
 * `forecast::ets`) step by step, so that fits land on the same optimum as R's; and BFGS
 * (`quasiNewton`) for smooth functions whose gradient is known.
 *
 * Both validate their input (the functions, the start point and the options) with zod at entry
 * and answer bad input with an `InvalidInput` naming the field at fault.
 *
 * @module
 */
import { parseInput, type InvalidInput } from "@jxc/core";
import { Result } from "effect";
import { z } from "zod";

/** A function argument. */
const FunctionSchema = z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { message: "must be a function" });

/** An array (or typed array) of numbers each of which passes `each`. */
const numbers = (each: (v: number) => boolean, message: string) =>
  z.custom<ArrayLike<number>>(
    (v) =>
      typeof v === "object" &&
      v !== null &&
      Number.isInteger((v as ArrayLike<unknown>).length) &&
      Array.prototype.every.call(v, (x: unknown) => typeof x === "number" && each(x)),
    { message },
  );

/** A starting point: finite numbers. */
const StartSchema = numbers(Number.isFinite, "must be an array of finite numbers");

/** Schema of {@link NelderMeadOptions} (unknown keys are refused). */
export const NelderMeadOptionsSchema = z.strictObject({
  absTol: z.union([z.number(), z.literal(Number.NEGATIVE_INFINITY)]).optional(),
  relTol: z.number().nonnegative().optional(),
  alpha: z.number().positive().optional(),
  beta: z.number().gt(0).lt(1).optional(),
  gamma: z.number().gt(1).optional(),
  maxEvaluations: z.number().int().positive().optional(),
});

/** The arguments of {@link nelderMead}. */
const NelderMeadInputSchema = z.object({ f: FunctionSchema, start: StartSchema, options: NelderMeadOptionsSchema });

/** Options of {@link nelderMead}; the defaults are R's `optim` / `forecast::ets` defaults. */
export interface NelderMeadOptions {
  /** Absolute tolerance on the function value (stop when the best value ≤ this). Default `-Infinity`. */
  readonly absTol?: number;
  /** Relative tolerance on the spread of the simplex values. Default `√ε ≈ 1.49e-8`. */
  readonly relTol?: number;
  /** Reflection coefficient. Default 1. */
  readonly alpha?: number;
  /** Contraction coefficient. Default 0.5. */
  readonly beta?: number;
  /** Expansion coefficient. Default 2. */
  readonly gamma?: number;
  /** Maximum number of function evaluations. Default 2000 (as `forecast::ets`). */
  readonly maxEvaluations?: number;
}

/** Result of {@link nelderMead}. */
export interface NelderMeadResult {
  /** The best point found. */
  readonly x: Float64Array;
  /** The function value at {@link NelderMeadResult.x}. */
  readonly value: number;
  /** Number of function evaluations used. */
  readonly evaluations: number;
  /** `true` when the simplex met the tolerance (not stopped by the evaluation budget or a failed shrink). */
  readonly converged: boolean;
}

/** Value used in place of a non-finite function value (R's `big`). */
const BIG = 1.0e35;

/**
 * Minimises `f` from the starting point `start` by the Nelder–Mead simplex method (R's `nmmin`).
 * Non-finite function values are treated as `1e35`, so `f` may return `Infinity` to reject a
 * point (a bound or admissibility violation). Deterministic; `start` is not modified.
 *
 * If `f(start)` is not finite the start is returned with `converged: false`. A start point with a
 * non-finite coordinate or an option out of its range (see {@link NelderMeadOptionsSchema}) is an
 * `InvalidInput`.
 */
export const nelderMead = (
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): Result.Result<NelderMeadResult, InvalidInput> => {
  const input = parseInput(NelderMeadInputSchema, { f, start, options }, "nelderMead input");
  if (Result.isFailure(input)) return Result.fail(input.failure);
  return Result.succeed(simplexSearch(f, start, options));
};

/** {@link nelderMead} on validated input. */
const simplexSearch = (f: (x: Float64Array) => number, start: ArrayLike<number>, options: NelderMeadOptions): NelderMeadResult => {
  const absTol = options.absTol ?? Number.NEGATIVE_INFINITY;
  const relTol = options.relTol ?? Math.sqrt(Number.EPSILON);
  const alpha = options.alpha ?? 1;
  const bet = options.beta ?? 0.5;
  const gamm = options.gamma ?? 2;
  const maxit = options.maxEvaluations ?? 2000;
  const n = start.length;
  const bvec = Float64Array.from(start);
  let fv = f(bvec);
  if (!Number.isFinite(fv) || n === 0) return { x: bvec, value: fv, evaluations: 1, converged: n === 0 };
  let funcount = 1;
  const convtol = relTol * (Math.abs(fv) + relTol);
  const n1 = n + 1;
  // P[j] is vertex j (0..n), P[n1] is the centroid; values are in vals[j].
  const P: Float64Array[] = [];
  for (let j = 0; j <= n1; j++) P.push(new Float64Array(n));
  const vals = new Float64Array(n1 + 1);
  const at = (j: number): Float64Array => P[j] as Float64Array;
  at(0).set(bvec);
  vals[0] = fv;
  let L = 0;
  let size = 0;
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(bvec[i] as number));
  if (step === 0) step = 0.1;
  for (let j = 1; j <= n; j++) {
    const v = at(j);
    v.set(bvec);
    let trystep = step;
    while (v[j - 1] === bvec[j - 1]) {
      v[j - 1] = (bvec[j - 1] as number) + trystep;
      trystep *= 10;
    }
    size += trystep;
  }
  let oldsize = size;
  let calcvert = true;
  let fail = false;
  const C = n1;
  const evalAt = (x: Float64Array): number => {
    const v = f(x);
    funcount++;
    return Number.isFinite(v) ? v : BIG;
  };
  do {
    if (calcvert) {
      for (let j = 0; j < n1; j++) {
        if (j !== L) vals[j] = evalAt(at(j));
      }
      calcvert = false;
    }
    let VL = vals[L] as number;
    let VH = VL;
    let H = L;
    for (let j = 0; j < n1; j++) {
      if (j !== L) {
        const v = vals[j] as number;
        if (v < VL) {
          L = j;
          VL = v;
        }
        if (v > VH) {
          H = j;
          VH = v;
        }
      }
    }
    if (VH <= VL + convtol || VL <= absTol) break;
    const c = at(C);
    const hv = at(H);
    for (let i = 0; i < n; i++) {
      let temp = -(hv[i] as number);
      for (let j = 0; j < n1; j++) temp += at(j)[i] as number;
      c[i] = temp / n;
    }
    for (let i = 0; i < n; i++) bvec[i] = (1 + alpha) * (c[i] as number) - alpha * (hv[i] as number);
    fv = evalAt(bvec);
    const VR = fv;
    if (VR < VL) {
      vals[C] = fv;
      for (let i = 0; i < n; i++) {
        const e = gamm * (bvec[i] as number) + (1 - gamm) * (c[i] as number);
        c[i] = bvec[i] as number;
        bvec[i] = e;
      }
      fv = evalAt(bvec);
      if (fv < VR) {
        hv.set(bvec);
        vals[H] = fv;
      } else {
        hv.set(c);
        vals[H] = VR;
      }
    } else {
      if (VR < VH) {
        hv.set(bvec);
        vals[H] = VR;
      }
      for (let i = 0; i < n; i++) bvec[i] = (1 - bet) * (hv[i] as number) + bet * (c[i] as number);
      fv = evalAt(bvec);
      if (fv < (vals[H] as number)) {
        hv.set(bvec);
        vals[H] = fv;
      } else if (VR >= VH) {
        calcvert = true;
        size = 0;
        const lv = at(L);
        for (let j = 0; j < n1; j++) {
          if (j !== L) {
            const v = at(j);
            for (let i = 0; i < n; i++) {
              v[i] = bet * ((v[i] as number) - (lv[i] as number)) + (lv[i] as number);
              size += Math.abs((v[i] as number) - (lv[i] as number));
            }
          }
        }
        if (size < oldsize) oldsize = size;
        else {
          fail = true;
          break;
        }
      }
    }
  } while (funcount <= maxit);
  return {
    x: Float64Array.from(at(L)),
    value: vals[L] as number,
    evaluations: funcount,
    converged: !fail && funcount <= maxit,
  };
};

/** Schema of {@link QuasiNewtonOptions} (unknown keys are refused). */
export const QuasiNewtonOptionsSchema = z.strictObject({
  valueTol: z.number().nonnegative().optional(),
  maxStep: z.number().positive().optional(),
  maxIterations: z.number().int().nonnegative().optional(),
  snapToBounds: z
    .strictObject({
      beyond: numbers((v) => v >= 0, "must be an array of numbers ≥ 0 (Infinity: never)"),
      to: z.number().positive(),
      retry: z.number().nonnegative(),
    })
    .optional(),
});

/** The arguments of {@link quasiNewton}: `snapToBounds.beyond` has one entry per coordinate. */
const QuasiNewtonInputSchema = z
  .object({ f: FunctionSchema, gradient: FunctionSchema, start: StartSchema, options: QuasiNewtonOptionsSchema })
  .refine((input) => input.options.snapToBounds === undefined || input.options.snapToBounds.beyond.length === input.start.length, {
    message: "must have one entry per coordinate of start",
    path: ["options", "snapToBounds", "beyond"],
  });

/** Options of {@link quasiNewton}. */
export interface QuasiNewtonOptions {
  /** Stop when an iteration lowers the value by less than this (absolute). Default 1e-7. */
  readonly valueTol?: number;
  /** Largest step of the first trial point of a line search, in max-norm (it may grow to 4 × this while such steps are taken whole). Default 1. */
  readonly maxStep?: number;
  /** Maximum number of iterations. Default 200. */
  readonly maxIterations?: number;
  /**
   * For coordinates that are logits of bounded quantities (a bound is approached only as the
   * coordinate goes to ±∞, by about one unit per iteration): once an accepted point has a
   * coordinate beyond ±`beyond`, the point with that coordinate at ±`to` (the bound to double
   * precision) is tried as well and taken when it is not worse (after a miss, again `retry`
   * units further out). The coordinate's gradient vanishes there, so it stays: an optimum inside
   * the range but deeper in the tail than `beyond` may be passed over. Default none.
   */
  readonly snapToBounds?: { readonly beyond: ArrayLike<number>; readonly to: number; readonly retry: number };
}

/** How far the first-trial step limit of {@link quasiNewton} may grow, in units of `maxStep`. */
const GROWTH_LIMIT = 4;

/** Result of {@link quasiNewton}. */
export interface QuasiNewtonResult {
  /** The best point found. */
  readonly x: Float64Array;
  /** The function value at {@link QuasiNewtonResult.x}. */
  readonly value: number;
  /** Number of calls of the function (the gradient is called at accepted points only). */
  readonly evaluations: number;
}

/**
 * Minimises a smooth `f` from `start` by BFGS (an inverse-Hessian estimate built from gradient
 * differences) with a backtracking line search (Armijo's condition, first trial step at most
 * `maxStep` in max-norm, up to 4 × `maxStep` while such long steps are taken whole). `f(x)` returns the value at x; it may return `Infinity` (or NaN) to
 * reject a point, and the line search then backtracks. `gradient(x, g)` writes the gradient at x
 * into g; it is called only right after `f(x)` at the same x returned a finite value (so it may
 * reuse what `f` computed), and only at accepted points. Stops when an iteration gains less than
 * `valueTol`, when no step along the search direction lowers the value, or after
 * `maxIterations`. Deterministic; `start` is not modified.
 *
 * With `snapToBounds`, a coordinate that an accepted step took deep into a logit's tail, with the
 * gradient still pushing it outwards, is tried at its bound (one more call of `f`); when that is
 * not worse the point jumps there and the coordinate's row and column of the inverse-Hessian
 * estimate start afresh — a bound reached in one call instead of one iteration per unit of logit.
 *
 * A start point with a non-finite coordinate or an option out of its range (see
 * {@link QuasiNewtonOptionsSchema}) is an `InvalidInput`.
 */
export const quasiNewton = (
  f: (x: Float64Array) => number,
  gradient: (x: Float64Array, g: Float64Array) => void,
  start: ArrayLike<number>,
  options: QuasiNewtonOptions = {},
): Result.Result<QuasiNewtonResult, InvalidInput> => {
  const input = parseInput(QuasiNewtonInputSchema, { f, gradient, start, options }, "quasiNewton input");
  if (Result.isFailure(input)) return Result.fail(input.failure);
  return Result.succeed(descent(f, gradient, start, options));
};

/** {@link quasiNewton} on validated input. */
const descent = (
  f: (x: Float64Array) => number,
  gradient: (x: Float64Array, g: Float64Array) => void,
  start: ArrayLike<number>,
  options: QuasiNewtonOptions,
): QuasiNewtonResult => {
  const valueTol = options.valueTol ?? 1e-7;
  const maxStep = options.maxStep ?? 1;
  const maxIterations = options.maxIterations ?? 200;
  const d = start.length;
  const x = Float64Array.from(start);
  const g = new Float64Array(d);
  let fx = f(x);
  let evaluations = 1;
  if (!(fx < Number.POSITIVE_INFINITY) || d === 0) return { x, value: fx < Number.POSITIVE_INFINITY ? fx : Number.POSITIVE_INFINITY, evaluations };
  gradient(x, g);
  const H = new Float64Array(d * d); // inverse-Hessian estimate
  const resetH = (): void => {
    H.fill(0);
    for (let i = 0; i < d; i++) H[i * d + i] = 1;
  };
  resetH();
  const p = new Float64Array(d);
  const xn = new Float64Array(d);
  const gn = new Float64Array(d);
  const s = new Float64Array(d);
  const yv = new Float64Array(d);
  const hy = new Float64Array(d);
  const snap = options.snapToBounds;
  const snapBeyond = Float64Array.from({ length: d }, (_, i) => snap?.beyond[i] ?? Number.POSITIVE_INFINITY);
  const snapped = new Uint8Array(d);
  const xs = new Float64Array(d);
  let stepLimit = maxStep;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let slope = 0;
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v -= (H[i * d + j] as number) * (g[j] as number);
      p[i] = v;
      slope += v * (g[i] as number);
    }
    if (!(slope < 0)) {
      // not a descent direction: start again from steepest descent
      resetH();
      slope = 0;
      for (let i = 0; i < d; i++) {
        p[i] = -(g[i] as number);
        slope -= (g[i] as number) * (g[i] as number);
      }
      if (!(slope < 0)) break;
    }
    // the quadratic model predicts a gain of −slope/2 from a full step: done when that is negligible
    if (-slope < 2 * valueTol) break;
    let largest = 0;
    for (let i = 0; i < d; i++) largest = Math.max(largest, Math.abs(p[i] as number));
    const clipped = largest > stepLimit;
    let t = clipped ? stepLimit / largest : 1;
    let fn = Number.POSITIVE_INFINITY;
    let accepted = false;
    let trial = 0;
    for (; trial < 40; trial++) {
      for (let i = 0; i < d; i++) xn[i] = (x[i] as number) + t * (p[i] as number);
      fn = f(xn);
      evaluations++;
      if (fn <= fx + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break;
    // a long way downhill (a parameter walking to a bound of a mapped range): longer steps while
    // the clipped first trial is accepted, back to maxStep when the line search shortens one
    stepLimit = clipped && trial === 0 ? Math.min(2 * stepLimit, GROWTH_LIMIT * maxStep) : maxStep;
    gradient(xn, gn);
    if (snap !== undefined) {
      let current = true; // f and the gradient were last called at xn
      let any = false;
      snapped.fill(0);
      for (let i = 0; i < d; i++) {
        const v = xn[i] as number;
        // deep in the tail, and the gradient still pushing outwards
        if (!(Math.abs(v) > (snapBeyond[i] as number)) || Math.abs(v) >= snap.to || !((gn[i] as number) * v < 0)) continue;
        xs.set(xn);
        xs[i] = v < 0 ? -snap.to : snap.to;
        const fs = f(xs);
        evaluations++;
        if (fs <= fn) {
          xn[i] = xs[i] as number;
          fn = fs;
          snapped[i] = 1;
          any = true;
          current = true;
        } else {
          snapBeyond[i] = Math.abs(v) + snap.retry;
          current = false;
        }
      }
      if (any) {
        if (!current) {
          f(xn);
          evaluations++;
        }
        gradient(xn, gn);
      }
    }
    let sy = 0;
    for (let i = 0; i < d; i++) {
      const jumped = snapped[i] === 1;
      s[i] = jumped ? 0 : (xn[i] as number) - (x[i] as number);
      yv[i] = jumped ? 0 : (gn[i] as number) - (g[i] as number);
      sy += (s[i] as number) * (yv[i] as number);
      if (jumped) {
        // a jump to the bound says nothing of the curvature: that coordinate starts afresh
        for (let j = 0; j < d; j++) {
          H[i * d + j] = 0;
          H[j * d + i] = 0;
        }
        H[i * d + i] = 1;
      }
    }
    x.set(xn);
    g.set(gn);
    fx = fn;
    if (sy > 0) {
      let yhy = 0;
      for (let i = 0; i < d; i++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += (H[i * d + j] as number) * (yv[j] as number);
        hy[i] = v;
        yhy += (yv[i] as number) * v;
      }
      const a = (sy + yhy) / (sy * sy);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          H[i * d + j] = (H[i * d + j] as number) + a * (s[i] as number) * (s[j] as number) - ((hy[i] as number) * (s[j] as number) + (s[i] as number) * (hy[j] as number)) / sy;
        }
      }
    }
  }
  return { x, value: fx, evaluations };
};
