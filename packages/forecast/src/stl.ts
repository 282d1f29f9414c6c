/**
 * STL: Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae & Terpenning, *Journal
 * of Official Statistics* 6(1), 1990), a faithful port of the Fortran routines behind R's
 * `stats::stl` (`stl`, `stlstp`, `stlss`, `stlfts`, `stless`, `stlest`, `stlrwt`, `stlma`).
 *
 * - **Inner loop** (`inner` passes): detrend; smooth each cycle-subseries by loess (tricube
 *   weights, degree `seasonalDegree`, window `seasonalWindow`) extended one period at each end;
 *   low-pass filter it (moving averages of length np, np, 3 then loess with `lowpassWindow`);
 *   seasonal = smoothed subseries − low-pass; deseasonalise; trend = loess (`trendWindow`).
 * - **Outer loop** (`outer` passes): robustness weights `B(|r| / 6·median|r|)` (bisquare) of the
 *   remainder multiply the loess weights of the next inner loop.
 * - Loess fits are computed every `jump` points and linearly interpolated in between.
 *
 * Defaults are R's: `seasonalDegree` 0, `trendDegree` 1, `lowpassDegree` = `trendDegree`,
 * `lowpassWindow` = the next odd integer ≥ period, `trendWindow` =
 * nextodd(⌈1.5·period / (1 − 1.5/seasonalWindow)⌉), jumps ⌈window/10⌉, `robust` false (inner 2,
 * outer 0; robust: inner 1, outer 15). With `seasonalWindow: "periodic"` the seasonal window is
 * 10n + 1, the degree 0, and the seasonal component is then averaged per cycle position so that
 * it is exactly periodic. The period may be non-integer (R's `frequency`, e.g. 365.25): the
 * cycle length used by the smoother is its integer part, the default windows use the real value.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { InvalidSeries, SeriesTooShort } from "./model.js";

const degree = z.union([z.literal(0), z.literal(1)]);
const window = z.number().int().min(1);

/** Options of {@link stl}, validated with zod. Windows are lengths in observations. */
export const StlOptionsSchema = z.strictObject({
  /** Seasonal period (R's `frequency`), at least 2; may be non-integer (365.25). */
  period: z.number().gte(2).finite(),
  /** Seasonal loess window (odd; even values are increased by one) or `"periodic"`. */
  seasonalWindow: z.union([z.literal("periodic"), window]),
  /** Degree of the seasonal loess (0 or 1); default 0. Ignored (0) for `"periodic"`. */
  seasonalDegree: degree.default(0),
  /** Trend loess window; default nextodd(⌈1.5·period / (1 − 1.5/seasonalWindow)⌉). */
  trendWindow: window.optional(),
  /** Degree of the trend loess; default 1. */
  trendDegree: degree.default(1),
  /** Low-pass loess window; default the next odd integer ≥ period. */
  lowpassWindow: window.optional(),
  /** Degree of the low-pass loess; default `trendDegree`. */
  lowpassDegree: degree.optional(),
  /** Seasonal loess jump; default ⌈seasonalWindow / 10⌉. */
  seasonalJump: window.optional(),
  /** Trend loess jump; default ⌈trendWindow / 10⌉. */
  trendJump: window.optional(),
  /** Low-pass loess jump; default ⌈lowpassWindow / 10⌉. */
  lowpassJump: window.optional(),
  /** Robust fitting (outer loop with robustness weights); default false. */
  robust: z.boolean().default(false),
  /** Inner-loop passes; default 2 (1 when robust). */
  inner: z.number().int().min(1).optional(),
  /** Outer-loop passes; default 0 (15 when robust). */
  outer: z.number().int().min(0).optional(),
});

/** Options of {@link stl} as given (only `period` and `seasonalWindow` are required). */
export type StlOptions = z.input<typeof StlOptionsSchema>;

/** An STL decomposition: `y = seasonal + trend + remainder`, each aligned with `y`. */
export interface StlDecomposition {
  /** Seasonal component. */
  readonly seasonal: Float64Array;
  /** Trend component. */
  readonly trend: Float64Array;
  /** Remainder `y − seasonal − trend`. */
  readonly remainder: Float64Array;
  /** Final robustness weights (all 1 without an outer loop). */
  readonly weights: Float64Array;
}

/** The smallest odd integer ≥ round(x), as R's `nextodd` inside `stl`. */
export const nextOdd = (x: number): number => {
  const r = Math.round(x);
  return r % 2 === 0 ? r + 1 : r;
};

// The Fortran source writes `.999` and `.001` as single-precision literals; their float32 values
// decide ties at the edge of a loess window or of the bisquare, so they are kept here.
const F999 = Math.fround(0.999);
const F001 = Math.fround(0.001);

// ---------------------------------------------------------------------------------------------
// The Fortran routines. Arrays are addressed 1-based through an offset: Fortran `y(j)` of a
// slice starting at `yo` is `y[yo + j - 1]`.

/** Local loess estimate at `xs` over `nleft..nright` (stlest); NaN when every weight is 0. */
const stlest = (
  y: Float64Array, yo: number, n: number, len: number, ideg: number, xs: number,
  nleft: number, nright: number, w: Float64Array, userw: boolean, rw: Float64Array, rwo: number,
): number => {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.trunc((len - n) / 2);
  const h9 = F999 * h;
  const h1 = F001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    w[j - 1] = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      if (r <= h1) w[j - 1] = 1;
      else {
        const q = 1 - (r / h) ** 3;
        w[j - 1] = q * q * q;
      }
      if (userw) w[j - 1] = rw[rwo + j - 1]! * w[j - 1]!;
      a += w[j - 1]!;
    }
  }
  if (a <= 0) return Number.NaN;
  for (let j = nleft; j <= nright; j++) w[j - 1] = w[j - 1]! / a;
  if (h > 0 && ideg > 0) {
    a = 0;
    for (let j = nleft; j <= nright; j++) a += w[j - 1]! * j;
    let b = xs - a;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j - 1]! * (j - a) * (j - a);
    if (Math.sqrt(c) > F001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j - 1] = w[j - 1]! * (b * (j - a) + 1);
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j - 1]! * y[yo + j - 1]!;
  return ys;
};

/** Loess smoothing of `y(1..n)` into `ys(1..n)` with fits every `njump` points (stless). */
const stless = (
  y: Float64Array, yo: number, n: number, len: number, ideg: number, njump: number,
  userw: boolean, rw: Float64Array, rwo: number, ys: Float64Array, yso: number, res: Float64Array,
): void => {
  if (n < 2) {
    ys[yso] = y[yo]!;
    return;
  }
  const est = (i: number, nleft: number, nright: number): void => {
    const v = stlest(y, yo, n, len, ideg, i, nleft, nright, res, userw, rw, rwo);
    ys[yso + i - 1] = Number.isNaN(v) ? y[yo + i - 1]! : v;
  };
  const newnj = Math.min(njump, n - 1);
  let nleft = 1;
  let nright = n;
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (let i = 1; i <= n; i += newnj) est(i, nleft, nright);
  } else if (newnj === 1) {
    const nsh = Math.trunc((len + 1) / 2);
    nleft = 1;
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      est(i, nleft, nright);
    }
  } else {
    const nsh = Math.trunc((len + 1) / 2);
    for (let i = 1; i <= n; i += newnj) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      est(i, nleft, nright);
    }
  }
  if (newnj !== 1) {
    for (let i = 1; i <= n - newnj; i += newnj) {
      const delta = (ys[yso + i + newnj - 1]! - ys[yso + i - 1]!) / newnj;
      for (let j = i + 1; j <= i + newnj - 1; j++) ys[yso + j - 1] = ys[yso + i - 1]! + delta * (j - i);
    }
    const k = Math.trunc((n - 1) / newnj) * newnj + 1;
    if (k !== n) {
      est(n, nleft, nright);
      if (k !== n - 1) {
        const delta = (ys[yso + n - 1]! - ys[yso + k - 1]!) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[yso + j - 1] = ys[yso + k - 1]! + delta * (j - k);
      }
    }
  }
};

/** Moving average of length `len` of `x(1..n)` into `ave(1..n-len+1)` (stlma). */
const stlma = (x: Float64Array, xo: number, n: number, len: number, ave: Float64Array, aveo: number): void => {
  const newn = n - len + 1;
  let v = 0;
  for (let i = 1; i <= len; i++) v += x[xo + i - 1]!;
  ave[aveo] = v / len;
  let k = len;
  let m = 0;
  for (let j = 2; j <= newn; j++) {
    k++;
    m++;
    v = v - x[xo + m - 1]! + x[xo + k - 1]!;
    ave[aveo + j - 1] = v / len;
  }
};

/** Seasonal smoothing of the cycle-subseries, extended by one cycle at each end (stlss). */
const stlss = (
  y: Float64Array, n: number, np: number, ns: number, isdeg: number, nsjump: number, userw: boolean,
  rw: Float64Array, season: Float64Array, work1: Float64Array, work2: Float64Array, work3: Float64Array, work4: Float64Array,
): void => {
  for (let j = 1; j <= np; j++) {
    const k = Math.trunc((n - j) / np) + 1;
    for (let i = 1; i <= k; i++) work1[i - 1] = y[(i - 1) * np + j - 1]!;
    if (userw) for (let i = 1; i <= k; i++) work3[i - 1] = rw[(i - 1) * np + j - 1]!;
    stless(work1, 0, k, ns, isdeg, nsjump, userw, work3, 0, work2, 1, work4);
    const nright = Math.min(ns, k);
    const first = stlest(work1, 0, k, ns, isdeg, 0, 1, nright, work4, userw, work3, 0);
    work2[0] = Number.isNaN(first) ? work2[1]! : first;
    const nleft = Math.max(1, k - ns + 1);
    const last = stlest(work1, 0, k, ns, isdeg, k + 1, nleft, k, work4, userw, work3, 0);
    work2[k + 1] = Number.isNaN(last) ? work2[k]! : last;
    for (let m = 1; m <= k + 2; m++) season[(m - 1) * np + j - 1] = work2[m - 1]!;
  }
};

/** One inner loop pass set (stlstp); `work` holds 5 columns of length n + 2np. */
const stlstp = (
  y: Float64Array, n: number, np: number, ns: number, nt: number, nl: number, isdeg: number, itdeg: number, ildeg: number,
  nsjump: number, ntjump: number, nljump: number, ni: number, userw: boolean, rw: Float64Array,
  season: Float64Array, trend: Float64Array, work: ReadonlyArray<Float64Array>,
): void => {
  const [w1, w2, w3, w4, w5] = work as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let pass = 0; pass < ni; pass++) {
    for (let i = 0; i < n; i++) w1[i] = y[i]! - trend[i]!;
    stlss(w1, n, np, ns, isdeg, nsjump, userw, rw, w2, w3, w4, w5, season);
    // stlfts: moving averages np, np, 3 of the extended seasonal (length n + 2np) into w3(1..n)
    stlma(w2, 0, n + 2 * np, np, w3, 0);
    stlma(w3, 0, n + np + 1, np, w1, 0);
    stlma(w1, 0, n + 2, 3, w3, 0);
    stless(w3, 0, n, nl, ildeg, nljump, false, w4, 0, w1, 0, w5);
    for (let i = 0; i < n; i++) season[i] = w2[np + i]! - w1[i]!;
    for (let i = 0; i < n; i++) w1[i] = y[i]! - season[i]!;
    stless(w1, 0, n, nt, itdeg, ntjump, userw, rw, 0, trend, 0, w3);
  }
};

/**
 * R's `psort` (Singleton's partial quicksort, as in stl.f), ported statement by statement: R's
 * robustness weights use the values it leaves at the two middle positions, which are not always
 * the exact order statistics, so an exact median would not reproduce R.
 */
const psort = (a0: Float64Array, n: number, ind0: ReadonlyArray<number>): void => {
  const ni = ind0.length;
  if (n < 2 || ni === 0) return;
  // 1-based views
  const a = (i: number): number => a0[i - 1]!;
  const set = (i: number, v: number): void => {
    a0[i - 1] = v;
  };
  const ind = (i: number): number => ind0[i - 1]!;
  const indu = new Int32Array(17);
  const indl = new Int32Array(17);
  const iu = new Int32Array(17);
  const il = new Int32Array(17);
  let jl = 1;
  let ju = ni;
  indl[1] = 1;
  indu[1] = ni;
  let i = 1;
  let j = n;
  let m = 1;
  let k = 0;
  let l = 0;
  let p = 0;
  let ij = 0;
  let t = 0;
  let tt = 0;
  let label = 161;
  for (;;) {
    switch (label) {
      case 161:
        label = i < j ? 10 : 166;
        break;
      case 166:
        m = m - 1;
        if (m === 0) return;
        i = il[m]!;
        j = iu[m]!;
        jl = indl[m]!;
        ju = indu[m]!;
        label = jl <= ju ? 173 : 166;
        break;
      case 173:
        label = j - i > 10 ? 10 : 174;
        break;
      case 10:
        k = i;
        ij = Math.trunc((i + j) / 2);
        t = a(ij);
        if (a(i) > t) {
          set(ij, a(i));
          set(i, t);
          t = a(ij);
        }
        l = j;
        if (a(j) < t) {
          set(ij, a(j));
          set(j, t);
          t = a(ij);
          if (a(i) > t) {
            set(ij, a(i));
            set(i, t);
            t = a(ij);
          }
        }
        label = 181;
        break;
      case 181:
        l = l - 1;
        if (a(l) <= t) {
          tt = a(l);
          do k = k + 1;
          while (!(a(k) >= t));
          if (k > l) {
            label = 183;
            break;
          }
          set(l, a(k));
          set(k, tt);
        }
        label = 181;
        break;
      case 183:
        indl[m] = jl;
        indu[m] = ju;
        p = m;
        m = m + 1;
        if (l - i <= j - k) {
          il[p] = k;
          iu[p] = j;
          j = l;
          for (;;) {
            if (jl > ju) {
              label = 166;
              break;
            }
            if (ind(ju) > j) ju = ju - 1;
            else {
              indl[p] = ju + 1;
              label = 173;
              break;
            }
          }
        } else {
          il[p] = i;
          iu[p] = l;
          i = k;
          for (;;) {
            if (jl > ju) {
              label = 166;
              break;
            }
            if (ind(jl) < i) jl = jl + 1;
            else {
              indu[p] = jl - 1;
              label = 173;
              break;
            }
          }
        }
        break;
      case 174:
        if (i !== 1) {
          i = i - 1;
          for (;;) {
            i = i + 1;
            if (i === j) break;
            t = a(i + 1);
            if (a(i) > t) {
              k = i;
              do {
                set(k + 1, a(k));
                k = k - 1;
              } while (!(t >= a(k)));
              set(k + 1, t);
            }
          }
          label = 166;
        } else label = 161;
        break;
      default:
        return;
    }
  }
};

/** Robustness weights from the fit (stlrwt): bisquare of |y − fit| / (6 · median). */
const stlrwt = (y: Float64Array, fit: Float64Array, rw: Float64Array): void => {
  const n = y.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = Math.abs(y[i]! - fit[i]!);
  const mid1 = Math.trunc(n / 2) + 1;
  const mid2 = n - mid1 + 1;
  const a = Float64Array.from(r);
  psort(a, n, [mid1, mid2]);
  const cmad = 3 * (a[mid1 - 1]! + a[mid2 - 1]!);
  const c9 = F999 * cmad;
  const c1 = F001 * cmad;
  for (let i = 0; i < n; i++) {
    const v = r[i]!;
    if (v <= c1) rw[i] = 1;
    else if (v <= c9) {
      const q = 1 - (v / cmad) ** 2;
      rw[i] = q * q;
    } else rw[i] = 0;
  }
};

/**
 * Decomposes `y` into seasonal, trend and remainder by STL, as R's
 * `stl(ts(y, frequency = period), s.window = …)` with the same defaults (see the module notes).
 * Fails with `InvalidInput` for invalid options, `InvalidSeries` for a non-finite value and
 * `SeriesTooShort` when the series does not have more than two periods (R's condition).
 */
export const stl = (
  y: Float64Array,
  options: StlOptions,
): Result.Result<StlDecomposition, InvalidInput | InvalidSeries | SeriesTooShort> => {
  const parsed = parseInput(StlOptionsSchema, options, "stl options");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const o = parsed.success;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) return Result.fail(new InvalidSeries({ reason: `STL: y[${i}] is not finite` }));
  }
  if (n <= 2 * o.period) return Result.fail(new SeriesTooShort({ model: "STL", needed: Math.floor(2 * o.period) + 1, got: n }));
  const periodic = o.seasonalWindow === "periodic";
  const sWindow = periodic ? 10 * n + 1 : (o.seasonalWindow as number);
  const sDegree = periodic ? 0 : o.seasonalDegree;
  const tWindow = o.trendWindow ?? nextOdd(Math.ceil((1.5 * o.period) / (1 - 1.5 / sWindow)));
  const lWindow = o.lowpassWindow ?? nextOdd(o.period);
  const lDegree = o.lowpassDegree ?? o.trendDegree;
  const sJump = o.seasonalJump ?? Math.ceil(sWindow / 10);
  const tJump = o.trendJump ?? Math.ceil(tWindow / 10);
  const lJump = o.lowpassJump ?? Math.ceil(lWindow / 10);
  const inner = o.inner ?? (o.robust ? 1 : 2);
  const outer = o.outer ?? (o.robust ? 15 : 0);
  const np = Math.max(2, Math.trunc(o.period));
  const odd = (w: number): number => {
    const v = Math.max(3, w);
    return v % 2 === 0 ? v + 1 : v;
  };
  const ns = odd(sWindow);
  const nt = odd(tWindow);
  const nl = odd(lWindow);

  const trend = new Float64Array(n);
  const season = new Float64Array(n);
  const rw = new Float64Array(n);
  const work = Array.from({ length: 5 }, () => new Float64Array(n + 2 * np));
  let userw = false;
  for (let k = 0; ; ) {
    stlstp(y, n, np, ns, nt, nl, sDegree, o.trendDegree, lDegree, sJump, tJump, lJump, inner, userw, rw, season, trend, work);
    k++;
    if (k > outer) break;
    const fit = new Float64Array(n);
    for (let i = 0; i < n; i++) fit[i] = trend[i]! + season[i]!;
    stlrwt(y, fit, rw);
    userw = true;
  }
  if (outer <= 0) rw.fill(1);

  const seasonal = Float64Array.from(season);
  if (periodic) {
    const sums = new Float64Array(np);
    const counts = new Float64Array(np);
    for (let i = 0; i < n; i++) {
      sums[i % np] = sums[i % np]! + seasonal[i]!;
      counts[i % np] = counts[i % np]! + 1;
    }
    for (let i = 0; i < n; i++) seasonal[i] = sums[i % np]! / counts[i % np]!;
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = y[i]! - seasonal[i]! - trend[i]!;
  return Result.succeed({ seasonal, trend: Float64Array.from(trend), remainder, weights: rw });
};
