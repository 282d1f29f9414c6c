/**
 * ETS — the exponential-smoothing state-space models of Hyndman, Koehler, Ord & Snyder (2008),
 * following R's `forecast::ets`: error A/M, trend N/A/Ad, season N/A/M. Initial states and
 * smoothing parameters are estimated by maximising the likelihood (R's `opt.crit = "lik"`) with
 * Nelder–Mead under R's "both" bounds (usual and admissible); for the linear classes (additive
 * error, no or additive season) the initial state is solved for exactly by least squares at
 * every step of the search, which then runs over the 1–4 smoothing parameters only (by BFGS with
 * the exact gradient when there are two or more). The recursion runs over typed arrays without
 * allocating (a ring buffer holds the seasonal states). Prediction intervals come from the
 * analytical forecast variance for the linear (additive-error, non-multiplicative) classes and
 * from seeded simulation otherwise.
 *
 * Named models: simple exponential smoothing = ETS(A,N,N), Holt = ETS(A,A,N), damped Holt =
 * ETS(A,Ad,N), Holt–Winters = ETS(A,A,A) / ETS(M,A,M).
 *
 * @module
 */
import { seededUniform, type InvalidInput } from "@jxc/core";
import { Result } from "effect";
import { normalQuantile } from "./baselines.js";
import {
  FitFailed,
  InvalidSeries,
  SeriesTooShort,
  type FitOptions,
  type Forecast,
  type ForecastError,
  type ForecastModel,
  type FittedModel,
} from "./model.js";
import { nelderMead, quasiNewton, type NelderMeadResult, type QuasiNewtonResult } from "./optimize.js";

/** Error component: additive or multiplicative. */
export type EtsErrorType = "A" | "M";
/** Trend component: none, additive, additive damped. */
export type EtsTrendType = "N" | "A" | "Ad";
/** Seasonal component: none, additive, multiplicative. */
export type EtsSeasonType = "N" | "A" | "M";

/** An ETS model class, e.g. `{ error: "M", trend: "Ad", season: "M" }` = ETS(M,Ad,M). */
export interface EtsSpec {
  /** Error type. */
  readonly error: EtsErrorType;
  /** Trend type. */
  readonly trend: EtsTrendType;
  /** Season type. */
  readonly season: EtsSeasonType;
}

/** The R-style name of an ETS class, e.g. `ETS(M,Ad,M)`. */
export const etsName = (spec: EtsSpec): string => `ETS(${spec.error},${spec.trend},${spec.season})`;

/** Options of an ETS fit (beyond {@link FitOptions}). Defaults follow `forecast::ets`. */
export interface EtsOptions {
  /** Fixed α instead of estimating it. */
  readonly alpha?: number;
  /** Fixed β (trend smoothing) instead of estimating it. */
  readonly beta?: number;
  /** Fixed γ (season smoothing) instead of estimating it. */
  readonly gamma?: number;
  /** Fixed φ (damping) instead of estimating it. */
  readonly phi?: number;
  /** Lower bounds of (α, β, γ, φ). Default `[1e-4, 1e-4, 1e-4, 0.8]`. */
  readonly lower?: readonly [number, number, number, number];
  /** Upper bounds of (α, β, γ, φ). Default `[0.9999, 0.9999, 0.9999, 0.98]`. */
  readonly upper?: readonly [number, number, number, number];
  /** Parameter space: R's `bounds`. Default `"both"`. */
  readonly bounds?: "usual" | "admissible" | "both";
  /** Estimation criterion: likelihood (default) or in-sample one-step MSE (used by `ses`/Theta). */
  readonly criterion?: "lik" | "mse";
  /** Seed of the generator used for simulated prediction intervals. Default 20080101. */
  readonly seed?: number;
  /** Number of simulated sample paths for simulated intervals. Default 5000. */
  readonly simulationPaths?: number;
  /** Nelder–Mead evaluation budget. Default 2000 (as R). */
  readonly maxEvaluations?: number;
}

/** Smoothing parameters of a fitted ETS model (absent when the component is absent). */
export interface EtsParameters {
  /** Level smoothing α. */
  readonly alpha: number;
  /** Trend smoothing β (R's β, with β ≤ α). */
  readonly beta?: number;
  /** Season smoothing γ. */
  readonly gamma?: number;
  /** Damping φ (1 for an undamped trend). */
  readonly phi?: number;
}

/** A fitted ETS model. */
export interface FittedEts extends FittedModel {
  /** The model class. */
  readonly spec: EtsSpec;
  /** Season length used (1 for non-seasonal classes). */
  readonly seasonLength: number;
  /** Estimated (or fixed) smoothing parameters. */
  readonly parameters: EtsParameters;
  /** Initial state `[l0, b0?, s0, s-1, …, s-(m-1)]` (all m seasonal states). */
  readonly initialState: Float64Array;
  /** State after the last observation, in the same layout. */
  readonly finalState: Float64Array;
  /** R's `loglik` (−½ · the concentrated likelihood criterion, without constants). */
  readonly loglik: number;
  /** Akaike information criterion (as R's `ets`). */
  readonly aic: number;
  /** Small-sample corrected AIC (as R's `ets`). */
  readonly aicc: number;
  /** Bayesian information criterion (as R's `ets`). */
  readonly bic: number;
  /** Innovation variance σ² = Σε²/(n − #parameters). */
  readonly sigma2: number;
  /** Innovations ε_t: `y − ŷ` (additive error) or `(y − ŷ)/ŷ` (multiplicative error). */
  readonly innovations: Float64Array;
  /** In-sample one-step forecasts. */
  readonly fitted: Float64Array;
  /** `y − fitted`. */
  readonly residuals: Float64Array;
}

// --- the recursions (R's etscalc.c) ----------------------------------------------------------------

const TOL = 1e-10;
const HUGEN = 1e10;

interface Shape {
  readonly m: number; // season length used by the state (1 when non-seasonal)
  readonly multError: boolean;
  readonly trend: boolean;
  readonly season: 0 | 1 | 2; // N, A, M
}

const seasonCode = (s: EtsSeasonType): 0 | 1 | 2 => (s === "N" ? 0 : s === "A" ? 1 : 2);

/** h-step point forecasts from a state (R's `forecast` in etscalc.c). */
const forecastFromState = (state: Float64Array, shape: Shape, phi: number, h: number, out: Float64Array): void => {
  const l = state[0] as number;
  const b = shape.trend ? (state[1] as number) : 0;
  const off = shape.trend ? 2 : 1;
  const m = shape.m;
  let phistar = phi;
  for (let i = 0; i < h; i++) {
    let f = shape.trend ? l + phistar * b : l;
    if (shape.season !== 0) {
      let j = m - 1 - i;
      while (j < 0) j += m;
      const s = state[off + j] as number;
      f = shape.season === 1 ? f + s : f * s;
    }
    out[i] = f;
    if (i < h - 1) phistar += Math.abs(phi - 1) < TOL ? 1 : Math.pow(phi, i + 1);
  }
};

/** State update with observation y (R's `update` in etscalc.c); writes `next` from `prev`. */
const updateState = (
  prev: Float64Array,
  next: Float64Array,
  shape: Shape,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  y: number,
): void => {
  const oldl = prev[0] as number;
  const off = shape.trend ? 2 : 1;
  const m = shape.m;
  let q: number;
  let phib = 0;
  if (!shape.trend) q = oldl;
  else {
    phib = phi * (prev[1] as number);
    q = oldl + phib;
  }
  const olds = shape.season !== 0 ? (prev[off + m - 1] as number) : 0;
  let p: number;
  if (shape.season === 0) p = y;
  else if (shape.season === 1) p = y - olds;
  else p = Math.abs(olds) < TOL ? HUGEN : y / olds;
  const l = q + alpha * (p - q);
  next[0] = l;
  if (shape.trend) next[1] = phib + (beta / alpha) * (l - oldl - phib);
  if (shape.season !== 0) {
    let t: number;
    if (shape.season === 1) t = y - q;
    else t = Math.abs(q) < TOL ? HUGEN : y / q;
    for (let j = m - 1; j >= 1; j--) next[off + j] = prev[off + j - 1] as number;
    next[off] = olds + gamma * (t - olds);
  }
};

/** Sums of one run of the recursion (see {@link runFilter}). */
interface FilterSums {
  /** Σ ε². */
  sse: number;
  /** Σ log|ŷ| (used by the multiplicative-error likelihood). */
  logf: number;
}

/**
 * Runs the model over y from state x0 (R's `etscalc`) without allocating: the seasonal states
 * live in the ring buffer `ring` (length ≥ m, oldest at the read position), so a step costs
 * O(1) instead of shifting m states. Writes innovations to `e` and one-step forecasts to `f`
 * when given, the state after the last observation to `final` when given (in the layout of x0),
 * and Σε², Σlog|ŷ| to `sums`. The arithmetic is R's, operation for operation.
 */
const runFilter = (
  y: Float64Array,
  x0: Float64Array,
  shape: Shape,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  ring: Float64Array,
  sums: FilterSums,
  e?: Float64Array,
  f?: Float64Array,
  final?: Float64Array,
): void => {
  const n = y.length;
  const m = shape.m;
  const trend = shape.trend;
  const season = shape.season;
  const multError = shape.multError;
  const off = trend ? 2 : 1;
  let l = x0[0] as number;
  let b = trend ? (x0[1] as number) : 0;
  if (season !== 0) for (let k = 0; k < m; k++) ring[k] = x0[off + m - 1 - k] as number;
  const ba = beta / alpha;
  let ptr = 0;
  let sse = 0;
  let logf = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i] as number;
    const phib = trend ? phi * b : 0;
    const q = trend ? l + phib : l;
    const olds = season !== 0 ? (ring[ptr] as number) : 0;
    let fi = season === 0 ? q : season === 1 ? q + olds : q * olds;
    let ei: number;
    if (multError) {
      if (Math.abs(fi) < TOL) fi += TOL;
      ei = (yi - fi) / fi;
      logf += Math.log(Math.abs(fi));
    } else {
      ei = yi - fi;
    }
    if (e !== undefined) e[i] = ei;
    if (f !== undefined) f[i] = fi;
    sse += ei * ei;
    const p = season === 0 ? yi : season === 1 ? yi - olds : Math.abs(olds) < TOL ? HUGEN : yi / olds;
    const lnew = q + alpha * (p - q);
    if (trend) b = phib + ba * (lnew - l - phib);
    if (season !== 0) {
      const t = season === 1 ? yi - q : Math.abs(q) < TOL ? HUGEN : yi / q;
      ring[ptr] = olds + gamma * (t - olds);
      ptr = ptr + 1 === m ? 0 : ptr + 1;
    }
    l = lnew;
  }
  sums.sse = sse;
  sums.logf = logf;
  if (final !== undefined) {
    final[0] = l;
    if (trend) final[1] = b;
    if (season !== 0) for (let j = 0; j < m; j++) final[off + j] = ring[(((ptr - 1 - j) % m) + m) % m] as number;
  }
};

/** R's criterion from the sums: n·log Σε² (+ 2 Σ log|ŷ| for multiplicative error). */
const likelihoodOf = (n: number, sums: FilterSums, multError: boolean): number =>
  multError ? n * Math.log(sums.sse) + 2 * sums.logf : n * Math.log(sums.sse);

interface FilterResult {
  readonly lik: number;
  readonly sse: number;
  readonly e: Float64Array;
  readonly f: Float64Array;
  readonly finalState: Float64Array;
}

/** Runs the model over y from state x0 and keeps everything (for the final fit). */
const filter = (
  y: Float64Array,
  x0: Float64Array,
  shape: Shape,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
): FilterResult => {
  const n = y.length;
  const e = new Float64Array(n);
  const f = new Float64Array(n);
  const finalState = new Float64Array(x0.length);
  const sums: FilterSums = { sse: 0, logf: 0 };
  runFilter(y, x0, shape, alpha, beta, gamma, phi, new Float64Array(shape.m), sums, e, f, finalState);
  return { lik: likelihoodOf(n, sums, shape.multError), sse: sums.sse, e, f, finalState };
};

/**
 * The runs of a linear class's recursion (additive error, no or additive season) that
 * {@link initialStateProfile} needs, in one pass: on y from the zero state (errors to `e0`), on
 * y = 0 from the unit slope (`slope`, only with a trend), and on y = 0 from one more unit state
 * (`unit`): the level without a season, the oldest seasonal state with one. `rings` holds three
 * seasonal ring buffers of length m (unused without a season). Writes the inner products
 * e⁰·e⁰, slope·slope, slope·e⁰ and, without a season, unit·unit, unit·e⁰, slope·unit to
 * `products` (0 where a component is absent).
 */
const linearResponses = (
  y: Float64Array,
  trend: boolean,
  seasonal: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  rings: Float64Array,
  e0: Float64Array,
  unit: Float64Array,
  slope: Float64Array,
  products: Float64Array,
): void => {
  const n = y.length;
  const m = rings.length / 3;
  const ba = beta / alpha;
  rings.fill(0);
  if (seasonal) rings[m] = 1;
  let lE = 0;
  let bE = 0;
  let lU = seasonal ? 0 : 1;
  let bU = 0;
  let lB = 0;
  let bB = 1;
  let ptr = 0;
  let ee = 0;
  let ss = 0;
  let se = 0;
  let ll = 0;
  let le = 0;
  let sl = 0;
  for (let i = 0; i < n; i++) {
    const qE = lE + phi * bE;
    const qU = lU + phi * bU;
    const sE = seasonal ? (rings[ptr] as number) : 0;
    const sU = seasonal ? (rings[m + ptr] as number) : 0;
    const eE = (y[i] as number) - qE - sE;
    const eU = -qU - sU;
    e0[i] = eE;
    unit[i] = eU;
    ee += eE * eE;
    if (!seasonal) {
      ll += eU * eU;
      le += eU * eE;
    }
    const nE = qE + alpha * eE;
    const nU = qU + alpha * eU;
    if (trend) {
      const qB = lB + phi * bB;
      const sB = seasonal ? (rings[2 * m + ptr] as number) : 0;
      const eB = -qB - sB;
      slope[i] = eB;
      ss += eB * eB;
      se += eB * eE;
      if (!seasonal) sl += eB * eU;
      const nB = qB + alpha * eB;
      bE = phi * bE + ba * (nE - qE);
      bU = phi * bU + ba * (nU - qU);
      bB = phi * bB + ba * (nB - qB);
      lB = nB;
      if (seasonal) rings[2 * m + ptr] = sB + gamma * eB;
    }
    lE = nE;
    lU = nU;
    if (seasonal) {
      rings[ptr] = sE + gamma * eE;
      rings[m + ptr] = sU + gamma * eU;
      ptr = ptr + 1 === m ? 0 : ptr + 1;
    }
  }
  products[0] = ee;
  products[1] = ss;
  products[2] = se;
  products[3] = ll;
  products[4] = le;
  products[5] = sl;
};

/**
 * Sums over t of u[t − d]·a[t], u[t − d]·b[t] and u[t − d]·u[t] for the two lags d and d + 1 in
 * one pass (`lags` is 1 or 2; more independent sums per step than one lag alone, and each sum in
 * the order of t). The first two kinds go to `ua[d]`, `ub[d]` (`b` is skipped when `withB` is
 * false); the third to `tails[d·m + j]` as its partial sum up to t = n − 1 − j, for j < m − d: the
 * sums ⟨u delayed by p, u delayed by q⟩ that {@link initialStateProfile} needs are such
 * truncated sums.
 */
const laggedProducts = (
  u: Float64Array,
  a: Float64Array,
  b: Float64Array,
  withB: boolean,
  m: number,
  d: number,
  lags: 1 | 2,
  ua: Float64Array,
  ub: Float64Array,
  tails: Float64Array,
): void => {
  const n = u.length;
  const d1 = d + 1;
  let a0 = 0;
  let b0 = 0;
  let u0 = 0;
  let a1 = 0;
  let b1 = 0;
  let u1 = 0;
  const tailFrom = n - m;
  for (let t = d; t < n; t++) {
    const at = a[t] as number;
    const ut = u[t] as number;
    const v0 = u[t - d] as number;
    a0 += v0 * at;
    u0 += v0 * ut;
    if (withB) b0 += v0 * (b[t] as number);
    if (lags === 2 && t >= d1) {
      const v1 = u[t - d1] as number;
      a1 += v1 * at;
      u1 += v1 * ut;
      if (withB) b1 += v1 * (b[t] as number);
    }
    if (t >= tailFrom) {
      const j = n - 1 - t;
      if (j < m - d) tails[d * m + j] = u0;
      if (lags === 2 && j < m - d1) tails[d1 * m + j] = u1;
    }
  }
  ua[d] = a0;
  ub[d] = b0;
  if (lags === 2) {
    ua[d1] = a1;
    ub[d1] = b1;
  }
};

/**
 * The initial state that minimises Σε² for given smoothing parameters, for the classes whose
 * recursion is linear (additive error, no or additive season). There the states, and so the
 * one-step errors, are linear in (x0, y) jointly: e(x0) = e⁰ + C·θ, where θ are the free
 * initial states (level, slope, the first m − 1 seasonal states; the last one is minus the sum
 * of the others, as in R), e⁰ the errors from the zero state and column j of C the errors of the
 * recursion started from the j-th unit state on y = 0. The best θ solves the normal equations
 * C'C θ = −C'e⁰, so the optimiser only searches the 1–4 smoothing parameters instead of up to
 * m + 5 dimensions, and the likelihood it sees is the one at the optimal initial state.
 *
 * A seasonal unit state only acts once it is the oldest: its column is the column u of the
 * oldest seasonal state delayed by its distance d. And the level's column is the sum of all m
 * seasonal columns (a unit level with every seasonal state at −1 forecasts 0 on y = 0, so
 * nothing ever moves). So C costs three runs of the recursion at most (done in one pass,
 * {@link linearResponses}) and its inner products are lagged products of u
 * ({@link laggedProducts}): O(n·m) per call instead of O(n·m²). Returns a function that writes
 * θ into the state layout `x0` (all m seasonal states) and returns the minimal Σε²; it allocates
 * nothing per call.
 */
const initialStateProfile = (
  y: Float64Array,
  shape: Shape,
): ((alpha: number, beta: number, gamma: number, phi: number, x0: Float64Array) => number) => {
  const n = y.length;
  const m = shape.m;
  const trend = shape.trend;
  const seasonal = shape.season !== 0;
  const off = trend ? 2 : 1;
  const k = off + (seasonal ? m - 1 : 0);
  const rings = new Float64Array(3 * m);
  const e0 = new Float64Array(n);
  const unit = new Float64Array(n); // the unit level's errors without a season, u with one
  const slope = new Float64Array(trend ? n : 0);
  const ue = new Float64Array(seasonal ? m : 0); // Σ_t u[t−d]·e⁰[t]
  const us = new Float64Array(seasonal ? m : 0); // Σ_t u[t−d]·slope[t]
  const tails = new Float64Array(seasonal ? m * m : 0); // see laggedProducts
  const uuAt = new Float64Array(seasonal ? m * m : 0); // ⟨u delayed by p, u delayed by q⟩
  const uuRow = new Float64Array(seasonal ? m : 0); // Σ_q ⟨u delayed by p, u delayed by q⟩
  const products = new Float64Array(6); // see linearResponses
  const gram = new Float64Array(k * k); // lower triangle of C'C, then its Cholesky factor
  const rhs = new Float64Array(k);
  const theta = new Float64Array(k);
  const kept = new Uint8Array(k);
  return (alpha, beta, gamma, phi, x0) => {
    linearResponses(y, trend, seasonal, alpha, beta, gamma, phi, rings, e0, unit, slope, products);
    const ee = products[0] as number;
    const ss = products[1] as number;
    const se = products[2] as number;
    if (!seasonal) {
      gram[0] = products[3] as number;
      rhs[0] = -(products[4] as number);
      if (trend) gram[k] = products[5] as number;
    } else {
      for (let d = 0; d < m; d += 2) laggedProducts(unit, e0, slope, trend, m, d, d + 1 < m ? 2 : 1, ue, us, tails);
      let total = 0;
      for (let p = 0; p < m; p++) {
        let row = 0;
        for (let q = 0; q < m; q++) {
          const hi = p > q ? p : q;
          const lag = p > q ? p - q : q - p;
          const v = tails[lag * m + hi - lag] as number;
          uuAt[p * m + q] = v;
          row += v;
        }
        uuRow[p] = row;
        total += row;
      }
      // the level's column is Σ_d (u delayed by d); seasonal column j is (u delayed by m − 1 − j) − u
      let le = 0;
      let sl = 0;
      for (let d = 0; d < m; d++) {
        le += ue[d] as number;
        sl += us[d] as number;
      }
      gram[0] = total;
      rhs[0] = -le;
      if (trend) gram[k] = sl;
      const uu00 = uuAt[0] as number;
      for (let a = off; a < k; a++) {
        const da = m - 1 - (a - off);
        rhs[a] = -((ue[da] as number) - (ue[0] as number));
        gram[a * k] = (uuRow[da] as number) - (uuRow[0] as number);
        if (trend) gram[a * k + 1] = (us[da] as number) - (us[0] as number);
        const uda0 = uuAt[da * m] as number;
        for (let b = off; b <= a; b++) {
          const db = m - 1 - (b - off);
          gram[a * k + b] = (uuAt[da * m + db] as number) - uda0 - (uuAt[db] as number) + uu00;
        }
      }
    }
    if (trend) {
      gram[k + 1] = ss;
      rhs[1] = -se;
    }
    const e0e0 = ee;
    // Cholesky; a column whose pivot vanishes (its initial state does not affect the fit) gets θ = 0
    for (let a = 0; a < k; a++) {
      const diag = gram[a * k + a] as number;
      let d = diag;
      const ra = a * k;
      for (let c = 0; c < a; c++) {
        const v = gram[ra + c] as number;
        d -= v * v;
      }
      if (!(d > 1e-12 * diag)) {
        kept[a] = 0;
        for (let b = a; b < k; b++) gram[b * k + a] = 0;
        continue;
      }
      kept[a] = 1;
      const sd = Math.sqrt(d);
      gram[a * k + a] = sd;
      for (let b = a + 1; b < k; b++) {
        const rb = b * k;
        let s = gram[rb + a] as number;
        for (let c = 0; c < a; c++) s -= (gram[rb + c] as number) * (gram[ra + c] as number);
        gram[rb + a] = s / sd;
      }
    }
    for (let a = 0; a < k; a++) {
      if (kept[a] === 0) {
        theta[a] = 0;
        continue;
      }
      let s = rhs[a] as number;
      for (let c = 0; c < a; c++) s -= (gram[a * k + c] as number) * (theta[c] as number);
      theta[a] = s / (gram[a * k + a] as number);
    }
    for (let a = k - 1; a >= 0; a--) {
      if (kept[a] === 0) continue;
      let s = theta[a] as number;
      for (let c = a + 1; c < k; c++) s -= (gram[c * k + a] as number) * (theta[c] as number);
      theta[a] = s / (gram[a * k + a] as number);
    }
    let thetaSum = 0;
    for (let a = off; a < k; a++) thetaSum += theta[a] as number;
    for (let a = 0; a < k; a++) x0[a] = theta[a] as number;
    if (seasonal) x0[off + m - 1] = -thetaSum;
    // Σε² at θ: e⁰'e⁰ − θ·(−C'e⁰) at the solution (the solve is backward stable, so
    // the error is of the order of the rounding of e⁰'e⁰); summed from the errors themselves
    // when that cancels to less than 1e-6 of e⁰'e⁰ (a nearly exact fit)
    let fromSolution = e0e0;
    for (let a = 0; a < k; a++) fromSolution -= (theta[a] as number) * (rhs[a] as number);
    if (fromSolution > 1e-6 * e0e0) return fromSolution;
    const tl = theta[0] as number;
    const tb = trend ? (theta[1] as number) : 0;
    let sse = 0;
    for (let t = 0; t < n; t++) {
      let v = e0[t] as number;
      if (trend) v += tb * (slope[t] as number);
      if (!seasonal) v += tl * (unit[t] as number);
      else {
        // the level's column is Σ_d (u delayed by d): each delay's coefficient is its state plus the level's
        v += (tl - thetaSum) * (unit[t] as number);
        for (let a = off; a < k; a++) {
          const d = m - 1 - (a - off);
          if (d > t) continue;
          v += ((theta[a] as number) + tl) * (unit[t - d] as number);
        }
      }
      sse += v * v;
    }
    return sse;
  };
};

/**
 * The gradient of Σε² with respect to the smoothing parameters (α, β, γ, φ) of a linear class
 * (additive error, no or additive season) with the initial state x0 held fixed (layout of x0: all
 * m seasonal states), by reverse mode: one run of the recursion from x0 that keeps the errors
 * (and the slopes, for φ), then one backward run of its adjoint (the derivatives of Σε² in each
 * state, the seasonal ones in a ring buffer), which collects all four derivatives at once — two
 * passes whatever the number of parameters. At the initial state that minimises Σε² (from
 * {@link initialStateProfile}) this is the gradient of the minimal Σε² itself, as that state is
 * optimal: moving it does not change Σε² to first order. Returns a function that writes the
 * gradient into `out` (the entries of absent components, and of φ unless `damped`, are 0); it
 * allocates nothing per call.
 */
const sseGradient = (
  y: Float64Array,
  shape: Shape,
  damped: boolean,
): ((alpha: number, beta: number, gamma: number, phi: number, x0: Float64Array, out: Float64Array) => void) => {
  const n = y.length;
  const m = shape.m;
  const trend = shape.trend;
  const seasonal = shape.season !== 0;
  const off = trend ? 2 : 1;
  const ring = new Float64Array(m); // the seasonal states, then their adjoints
  const errors = new Float64Array(n);
  const slopes = new Float64Array(damped ? n : 0); // b_{t−1}, the slope before step t
  return (alpha, beta, gamma, phi, x0, out) => {
    // forward: e_t = y_t − q_t − s_{t−m}, q_t = l_{t−1} + φ·b_{t−1}, l_t = q_t + α·e_t,
    // b_t = φ·b_{t−1} + β·e_t, s_t = s_{t−m} + γ·e_t
    let l = x0[0] as number;
    let b = trend ? (x0[1] as number) : 0;
    if (seasonal) for (let j = 0; j < m; j++) ring[j] = x0[off + m - 1 - j] as number;
    let ptr = 0;
    for (let t = 0; t < n; t++) {
      if (damped) slopes[t] = b;
      const q = l + phi * b;
      if (seasonal) {
        const s = ring[ptr] as number;
        const e = (y[t] as number) - q - s;
        errors[t] = e;
        ring[ptr] = s + gamma * e;
        ptr = ptr + 1 === m ? 0 : ptr + 1;
        l = q + alpha * e;
        b = phi * b + beta * e;
      } else {
        const e = (y[t] as number) - q;
        errors[t] = e;
        l = q + alpha * e;
        b = phi * b + beta * e;
      }
    }
    // backward: aL, aB, ring = ∂Σε²/∂(l_t, b_t, s_t) through the steps after t
    let aL = 0;
    let aB = 0;
    ring.fill(0);
    let gA = 0;
    let gB = 0;
    let gG = 0;
    let gP = 0;
    ptr = (n - 1) % m;
    for (let t = n - 1; t >= 0; t--) {
      const e = errors[t] as number;
      gA += aL * e;
      gB += aB * e;
      let aE = 2 * e + alpha * aL + beta * aB;
      if (seasonal) {
        const aS = ring[ptr] as number;
        gG += aS * e;
        aE += gamma * aS;
        ring[ptr] = aS - aE; // now the adjoint of s_{t−m}
        ptr = ptr === 0 ? m - 1 : ptr - 1;
      }
      const aQ = aL - aE;
      if (damped) gP += (slopes[t] as number) * (aB + aQ);
      aB = phi * (aB + aQ);
      aL = aQ;
    }
    out[0] = gA;
    out[1] = trend ? gB : 0;
    out[2] = seasonal ? gG : 0;
    out[3] = gP;
  };
};

// --- admissibility --------------------------------------------------------------------------------

/**
 * R's admissibility test (`admissible` in forecast's ets.R) for one season length, as a
 * function that allocates nothing per call: the characteristic polynomial of a seasonal class
 * must have all roots within |z| ≤ 1 + 1e-10, decided by the Schur–Cohn recursion on the scaled
 * polynomial (no root finding).
 */
const admissibilityTest = (m: number): ((alpha: number, beta: number | undefined, gamma: number | undefined, phi: number | undefined) => boolean) => {
  const degree = m + 1;
  const scaleOf = new Float64Array(degree + 1);
  for (let k = 0; k <= degree; k++) scaleOf[k] = Math.pow(1 + 1e-10, k);
  let c = new Float64Array(degree + 1);
  let d = new Float64Array(degree + 1);
  /** All roots of Σ c_k z^k (c in the buffer `c`, `len` coefficients) within |z| ≤ 1 + 1e-10. */
  const rootsInside = (len: number): boolean => {
    for (let k = 0; k < len; k++) c[k] = (c[k] as number) * (scaleOf[k] as number);
    while (len > 1 && c[len - 1] === 0) len--;
    while (len > 1) {
      const n = len - 1;
      const a0 = c[0] as number;
      const an = c[n] as number;
      if (Math.abs(an) <= Math.abs(a0)) return false;
      let big = 0;
      for (let j = 0; j < n; j++) {
        const v = an * (c[j + 1] as number) - a0 * (c[n - j - 1] as number);
        d[j] = v;
        big = Math.max(big, Math.abs(v));
      }
      if (big === 0) return false;
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) / big; // roots are unchanged; avoids underflow
      const t = c;
      c = d;
      d = t;
      len = n;
    }
    return true;
  };
  return (alpha, beta, gamma, phiIn) => {
    const phi = phiIn ?? 1;
    if (phi < 0 || phi > 1 + 1e-8) return false;
    if (gamma === undefined) {
      if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
      if (beta !== undefined && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
    } else if (m > 1) {
      const b = beta ?? 0;
      if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
      if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
      if (b < -(1 - phi) * (gamma / m + alpha)) return false;
      c[0] = phi * (1 - alpha - gamma);
      c[1] = alpha + b - alpha * phi + gamma - 1;
      for (let i = 0; i < m - 2; i++) c[2 + i] = alpha + b - alpha * phi;
      c[m] = alpha + b - phi;
      c[m + 1] = 1;
      if (!rootsInside(m + 2)) return false;
    }
    return true;
  };
};

// --- initial states (R's initstate) ---------------------------------------------------------------

/** Least squares with intercept of y on x: [intercept, slope]. */
const lineFit = (x: ArrayLike<number>, y: ArrayLike<number>, n: number): [number, number] => {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    sxy += dx * ((y[i] as number) - my);
    sxx += dx * dx;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return [my - slope * mx, slope];
};

/** Least squares by normal equations (Gaussian elimination with pivoting); X is row-major n×p. */
const leastSquares = (X: ReadonlyArray<ReadonlyArray<number>>, y: ArrayLike<number>): number[] => {
  const p = X[0]?.length ?? 0;
  const A: number[][] = [];
  for (let a = 0; a < p; a++) {
    const row: number[] = [];
    for (let b = 0; b <= p; b++) {
      let s = 0;
      for (let i = 0; i < X.length; i++) {
        const xi = X[i] as ReadonlyArray<number>;
        s += (xi[a] as number) * (b === p ? (y[i] as number) : (xi[b] as number));
      }
      row.push(s);
    }
    A.push(row);
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs((A[r] as number[])[c] as number) > Math.abs((A[piv] as number[])[c] as number)) piv = r;
    const t = A[c] as number[];
    A[c] = A[piv] as number[];
    A[piv] = t;
    const rc = A[c] as number[];
    const d = rc[c] as number;
    if (d === 0) continue;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const rr = A[r] as number[];
      const k = (rr[c] as number) / d;
      for (let b = c; b <= p; b++) rr[b] = (rr[b] as number) - k * (rc[b] as number);
    }
  }
  return A.map((row, i) => {
    const d = row[i] as number;
    return d === 0 ? 0 : (row[p] as number) / d;
  });
};

/**
 * Classical decomposition (R's `decompose`): centred moving-average trend and the seasonal
 * figure per cycle position (the series starts at position 1), normalised to sum 0 (additive)
 * or average 1 (multiplicative). Returns the seasonal component aligned with y.
 */
export const classicalSeasonal = (y: Float64Array, m: number, type: "additive" | "multiplicative"): Float64Array => {
  const n = y.length;
  const trend = new Float64Array(n).fill(Number.NaN);
  const half = Math.floor(m / 2);
  const w: number[] = [];
  if (m % 2 === 0) {
    w.push(0.5 / m);
    for (let i = 1; i < m; i++) w.push(1 / m);
    w.push(0.5 / m);
  } else for (let i = 0; i < m; i++) w.push(1 / m);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    for (let k = 0; k < w.length; k++) s += (w[k] as number) * (y[t - half + k] as number);
    trend[t] = s;
  }
  const figure = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    let c = 0;
    for (let t = i; t < n; t += m) {
      const tr = trend[t] as number;
      if (Number.isNaN(tr)) continue;
      s += type === "additive" ? (y[t] as number) - tr : (y[t] as number) / tr;
      c++;
    }
    figure[i] = s / c;
  }
  let mean = 0;
  for (const v of figure) mean += v;
  mean /= m;
  for (let i = 0; i < m; i++) figure[i] = type === "additive" ? (figure[i] as number) - mean : (figure[i] as number) / mean;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = figure[t % m] as number;
  return out;
};

/** R's `initstate`: [l0, b0?, s0..s_{m-2}] (the last seasonal state is implied). */
const initialState = (y: Float64Array, trend: boolean, season: 0 | 1 | 2, m: number): number[] => {
  const n = y.length;
  let ysa: Float64Array = y;
  let seas: number[] = [];
  if (season !== 0) {
    let sc: Float64Array;
    if (n < 3 * m) {
      const X: number[][] = [];
      for (let t = 1; t <= n; t++) {
        const row = [1, t];
        const ang = (2 * Math.PI * t) / m;
        if (m !== 2) row.push(Math.sin(ang));
        row.push(Math.cos(ang));
        X.push(row);
      }
      const beta = leastSquares(X, y);
      const b0 = beta[0] as number;
      const b1 = beta[1] as number;
      sc = new Float64Array(n);
      for (let t = 0; t < n; t++) {
        const tr = b0 + b1 * (t + 1);
        sc[t] = season === 1 ? (y[t] as number) - tr : (y[t] as number) / tr;
      }
    } else sc = classicalSeasonal(y, m, season === 1 ? "additive" : "multiplicative");
    for (let i = m - 1; i >= 1; i--) seas.push(sc[i] as number);
    ysa = new Float64Array(n);
    if (season === 1) for (let t = 0; t < n; t++) ysa[t] = (y[t] as number) - (sc[t] as number);
    else {
      seas = seas.map((v) => Math.max(v, 1e-2));
      const sum = seas.reduce((a, b) => a + b, 0);
      if (sum > m) {
        const denom = seas.reduce((a, b) => a + b + 1e-2, 0);
        seas = seas.map((v) => v / denom);
      }
      for (let t = 0; t < n; t++) ysa[t] = (y[t] as number) / Math.max(sc[t] as number, 1e-2);
    }
  }
  const mm = season !== 0 ? m : 1;
  const maxn = Math.min(Math.max(10, 2 * mm), n);
  if (!trend) {
    let s = 0;
    for (let i = 0; i < maxn; i++) s += ysa[i] as number;
    return [s / maxn, ...seas];
  }
  const xs = Array.from({ length: maxn }, (_, i) => i + 1);
  let [l0, b0] = lineFit(xs, ysa, maxn);
  if (Math.abs(l0 + b0) < 1e-8) {
    l0 *= 1 + 1e-3;
    b0 *= 1 + 1e-3;
  }
  return [l0, b0, ...seas];
};

/**
 * `y / scale` rounded to a grid of 2⁻³⁶ (relative to the largest |y|, about 1.5e-11): the
 * optimiser then sees bit-identical data for `y` and `c·y` (except with probability ~1e-6 per
 * value), which makes fits scale-equivariant. The rounding is far below any statistical effect.
 */
export const normalizeSeries = (y: Float64Array, scale: number): Float64Array => {
  const q = 2 ** 36;
  return y.map((v) => Math.round((v / scale) * q) / q);
};

// --- estimation -----------------------------------------------------------------------------------

/** logit(f) of each fraction f of an axis of the starting grid. */
const logits = (fractions: ReadonlyArray<number>): ReadonlyArray<number> => Object.freeze(fractions.map((f) => Math.log(f / (1 - f))));

/**
 * Axes of the starting grid of a mapped search, as logits of fractions of each searched
 * parameter's range (α; β of its range up to α; γ of its range up to 1 − α; φ): coarse enough
 * to be cheap (at most 16 points), fine enough, with the starts at the bounds that follow it, to
 * land in the basin of the better optimum when the likelihood has several.
 */
const GRID_AXES = Object.freeze({
  alpha: logits([0.02, 0.1, 0.3, 0.7]),
  beta: logits([0.05, 0.5]),
  gamma: logits([0.05, 0.5]),
  phi: logits([0.5]),
});

/**
 * The point of the starting grid (the product of `axes`, one axis per searched parameter) with
 * the lowest objective value; walks the grid without allocating per point.
 */
const bestOfGrid = (objective: (p: Float64Array) => number, axes: ReadonlyArray<ReadonlyArray<number>>): Float64Array => {
  const dims = axes.length;
  const index = new Uint8Array(dims);
  const point = new Float64Array(dims);
  const best = new Float64Array(dims);
  let bestValue = Number.POSITIVE_INFINITY;
  for (;;) {
    for (let i = 0; i < dims; i++) point[i] = (axes[i] as ReadonlyArray<number>)[index[i] as number] as number;
    const v = objective(point);
    if (v < bestValue) {
      bestValue = v;
      best.set(point);
    }
    let i = 0;
    while (i < dims && (index[i] = (index[i] as number) + 1) === (axes[i] as ReadonlyArray<number>).length) index[i++] = 0;
    if (i === dims) return best;
  }
};

/** Logits at which a mapped parameter sits at its lower or upper bound (to double precision). */
const BOUND_LOGITS = Object.freeze([-40, 40]);

/** Logit beyond which a smoothing parameter searched by quasi-Newton is tried at its bound (it is then within 0.25 % of its range from it). */
const SNAP_BEYOND = 6;

/** How much further out (in logits) a parameter is tried at its bound again after a miss. */
const SNAP_RETRY = 2;

/** lo + (hi − lo)·logistic(z): a real number mapped into (lo, hi). */
const between = (lo: number, hi: number, z: number): number => lo + (hi - lo) / (1 + Math.exp(-z));

/** The logistic function 1/(1 + e^(−z)). */
const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** d/dz of {@link between}(lo, hi, z), written in terms of v = between(lo, hi, z): (v − lo)(hi − v)/(hi − lo). */
const slopeOf = (lo: number, hi: number, v: number): number => (hi > lo ? ((v - lo) * (hi - v)) / (hi - lo) : 0);

/** The inverse of {@link between} (v clamped strictly inside the bounds). */
const logitWithin = (lo: number, hi: number, v: number): number => {
  if (!(hi > lo)) return 0;
  const u = Math.min(Math.max((v - lo) / (hi - lo), 1e-6), 1 - 1e-6);
  return Math.log(u / (1 - u));
};

const DEFAULT_LOWER = [1e-4, 1e-4, 1e-4, 0.8] as const;
const DEFAULT_UPPER = [0.9999, 0.9999, 0.9999, 0.98] as const;

/** Number of observations needed by `fitEts` for a class (R: n > npars + 4). */
export const etsMinimumLength = (spec: EtsSpec, seasonLength: number): number => {
  let npars = 2;
  if (spec.trend !== "N") npars += 2;
  if (spec.season !== "N") npars += seasonLength;
  if (spec.trend === "Ad") npars += 1;
  return npars + 5;
};

const validate = (model: string, y: Float64Array): Result.Result<void, ForecastError> => {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) return Result.fail(new InvalidSeries({ reason: `${model}: value at index ${i} is not finite` }));
  }
  return Result.succeed(undefined);
};

/**
 * Fits one ETS class to `y` as R's `ets(y, model = …, damped = …)` does: R's starting values
 * and bounds, Nelder–Mead on the concentrated likelihood. Multiplicative classes search the
 * initial state too, from R's initial-state heuristics; linear classes (additive error, no or
 * additive season) get the optimal initial state for each smoothing-parameter vector by least
 * squares and search the smoothing parameters on logits within R's usual bounds (plus the
 * admissibility test) — with two or more of them by BFGS with the exact gradient, from R's start,
 * from the best point of a coarse grid and from the bounds — so their optimum is at least as good
 * as R's, found in a few hundred cheap evaluations. For scale equivariance the optimisation runs on `y / max|y|` (states are
 * rescaled back), so results equal R's up to the optimiser's tolerance rather than bit for bit.
 *
 * Fails with `InvalidSeries` for non-finite values, a seasonal class without `seasonLength ≥ 2`
 * (or with `seasonLength > 24`), multiplicative error/season on non-positive data or the
 * forbidden additive-error/multiplicative-season class; with `SeriesTooShort` when
 * `n ≤ #parameters + 4` (R then falls back to a non-optimised Holt–Winters; jxc does not).
 */
export const fitEts = (
  y: Float64Array,
  spec: EtsSpec,
  options: FitOptions & EtsOptions = {},
): Result.Result<FittedEts, ForecastError> => {
  const name = etsName(spec);
  const ok = validate(name, y);
  if (Result.isFailure(ok)) return Result.fail(ok.failure);
  const season = seasonCode(spec.season);
  const trend = spec.trend !== "N";
  const damped = spec.trend === "Ad";
  const m = season !== 0 ? (options.seasonLength ?? 1) : 1;
  if (season !== 0 && (!Number.isInteger(m) || m < 2 || m > 24)) {
    return Result.fail(new InvalidSeries({ reason: `${name}: a seasonal class needs an integer seasonLength in [2, 24], got ${options.seasonLength}` }));
  }
  if (spec.error === "A" && spec.season === "M") {
    return Result.fail(new InvalidSeries({ reason: `${name}: additive error with multiplicative season is a forbidden combination` }));
  }
  const n = y.length;
  const needed = Math.max(etsMinimumLength(spec, m), season !== 0 ? m + 1 : 0);
  if (n < needed) return Result.fail(new SeriesTooShort({ model: name, needed, got: n }));
  let ymin = Number.POSITIVE_INFINITY;
  let scale = 0;
  for (const v of y) {
    ymin = Math.min(ymin, v);
    scale = Math.max(scale, Math.abs(v));
  }
  if ((spec.error === "M" || spec.season === "M") && !(ymin > 0)) {
    return Result.fail(new InvalidSeries({ reason: `${name}: multiplicative components need strictly positive data` }));
  }
  if (scale === 0) scale = 1;
  const shape: Shape = { m, multError: spec.error === "M", trend, season };
  const ys = normalizeSeries(y, scale);
  const crit = options.criterion ?? "lik";
  const bounds = options.bounds ?? "both";
  const lower = [...(options.lower ?? DEFAULT_LOWER)];
  const upper = [...(options.upper ?? DEFAULT_UPPER)];
  const fixA = options.alpha;
  const fixB = trend ? options.beta : undefined;
  const fixG = season !== 0 ? options.gamma : undefined;
  const fixP = damped ? options.phi : undefined;
  if (fixA !== undefined) {
    upper[1] = Math.min(fixA, upper[1] as number);
    upper[2] = Math.min(1 - fixA, upper[2] as number);
  }
  if (fixB !== undefined) lower[0] = Math.max(fixB, lower[0] as number);
  if (fixG !== undefined) upper[0] = Math.min(1 - fixG, upper[0] as number);
  // R's initparam
  const lo = [...lower];
  const up = [...upper];
  if (bounds === "admissible") {
    for (let i = 0; i < 3; i++) {
      lo[i] = 0;
      up[i] = 1e-3;
    }
  }
  const par: number[] = [];
  let a0 = fixA;
  if (a0 === undefined) {
    a0 = (lo[0] as number) + (0.2 * ((up[0] as number) - (lo[0] as number))) / m;
    if (a0 > 1 || a0 < 0) a0 = (lo[0] as number) + 2e-3;
    par.push(a0);
  }
  if (trend && fixB === undefined) {
    up[1] = Math.min(up[1] as number, a0);
    let b = (lo[1] as number) + 0.1 * ((up[1] as number) - (lo[1] as number));
    if (b < 0 || b > a0) b = a0 - 1e-3;
    par.push(b);
  }
  if (season !== 0 && fixG === undefined) {
    up[2] = Math.min(up[2] as number, 1 - a0);
    let g = (lo[2] as number) + 0.05 * ((up[2] as number) - (lo[2] as number));
    if (g < 0 || g > 1 - a0) g = 1 - a0 - 1e-3;
    par.push(g);
  }
  if (damped && fixP === undefined) {
    let p = (lo[3] as number) + 0.99 * ((up[3] as number) - (lo[3] as number));
    if (p < 0 || p > 1) p = 1 - 1e-3;
    par.push(p);
  }
  const nSmooth = par.length;
  const stateOff = trend ? 2 : 1;
  const nstate = stateOff + (season !== 0 ? m - 1 : 0);
  const nParams = nSmooth + nstate;
  if (nParams >= n - 1) return Result.fail(new SeriesTooShort({ model: name, needed: nParams + 2, got: n }));
  // Linear classes: the initial state is solved for exactly at every smoothing-parameter vector
  // (initialStateProfile); otherwise it is searched by Nelder–Mead from R's initstate.
  const profile = !shape.multError && season !== 2 ? initialStateProfile(ys, shape) : undefined;
  if (profile === undefined) par.push(...initialState(ys, trend, season, m));
  // With the initial state solved for, the search runs on logits of the smoothing parameters
  // within R's usual bounds (β ≤ α, γ ≤ 1 − α): the simplex never steps outside them, which
  // saves most of the evaluations an unmapped simplex wastes on rejected points.
  const mapped = profile !== undefined && bounds !== "admissible";
  if (mapped) {
    let k = 0;
    let alpha = fixA;
    if (alpha === undefined) {
      alpha = par[k] as number;
      par[k] = logitWithin(lower[0] as number, upper[0] as number, alpha);
      k++;
    }
    if (trend && fixB === undefined) {
      par[k] = logitWithin(lower[1] as number, Math.min(upper[1] as number, alpha), par[k] as number);
      k++;
    }
    if (season !== 0 && fixG === undefined) {
      par[k] = logitWithin(lower[2] as number, Math.min(upper[2] as number, 1 - alpha), par[k] as number);
      k++;
    }
    if (damped && fixP === undefined) par[k] = logitWithin(lower[3] as number, upper[3] as number, par[k] as number);
  }

  const admissible = admissibilityTest(m);
  const checkParams = (alpha: number, beta: number, gamma: number, phi: number): boolean => {
    if (bounds !== "admissible") {
      if (fixA === undefined && (alpha < (lower[0] as number) || alpha > (upper[0] as number))) return false;
      if (trend && fixB === undefined && (beta < (lower[1] as number) || beta > alpha || beta > (upper[1] as number))) return false;
      if (damped && fixP === undefined && (phi < (lower[3] as number) || phi > (upper[3] as number))) return false;
      if (season !== 0 && fixG === undefined && (gamma < (lower[2] as number) || gamma > 1 - alpha || gamma > (upper[2] as number))) return false;
    }
    if (bounds !== "usual") {
      if (!admissible(alpha, trend ? beta : undefined, season !== 0 ? gamma : undefined, damped ? phi : undefined)) return false;
    }
    return true;
  };
  // scratch of the objective: (α, β, γ, φ), the initial state, the seasonal ring, the sums
  const smoothing = new Float64Array(4);
  const x0 = new Float64Array(stateOff + (season !== 0 ? m : 0));
  const ring = new Float64Array(m);
  const sums: FilterSums = { sse: 0, logf: 0 };
  /** Reads (α, β, γ, φ) of the parameter vector p into `smoothing`. */
  const readSmoothing = (p: ArrayLike<number>): void => {
    let k = 0;
    if (!mapped) {
      smoothing[0] = fixA ?? (p[k++] as number);
      smoothing[1] = trend ? (fixB ?? (p[k++] as number)) : 0;
      smoothing[2] = season !== 0 ? (fixG ?? (p[k++] as number)) : 0;
      smoothing[3] = damped ? (fixP ?? (p[k++] as number)) : 1;
      return;
    }
    const alpha = fixA ?? between(lower[0] as number, upper[0] as number, p[k++] as number);
    smoothing[0] = alpha;
    smoothing[1] = trend ? (fixB ?? between(lower[1] as number, Math.min(upper[1] as number, alpha), p[k++] as number)) : 0;
    smoothing[2] = season !== 0 ? (fixG ?? between(lower[2] as number, Math.min(upper[2] as number, 1 - alpha), p[k++] as number)) : 0;
    smoothing[3] = damped ? (fixP ?? between(lower[3] as number, upper[3] as number, p[k++] as number)) : 1;
  };
  /** Writes the initial state of p (the searched classes) into `x0`; false when it is not allowed. */
  const readState = (p: ArrayLike<number>): boolean => {
    for (let i = 0; i < nstate; i++) x0[i] = p[nSmooth + i] as number;
    if (season !== 0) {
      let sum = 0;
      for (let i = stateOff; i < nstate; i++) sum += x0[i] as number;
      x0[stateOff + m - 1] = (season === 2 ? m : 0) - sum;
    }
    if (season === 2) {
      for (let i = stateOff; i < x0.length; i++) if ((x0[i] as number) < 0) return false;
    }
    return true;
  };
  const objective = (p: Float64Array): number => {
    readSmoothing(p);
    const alpha = smoothing[0] as number;
    const beta = smoothing[1] as number;
    const gamma = smoothing[2] as number;
    const phi = smoothing[3] as number;
    if (!checkParams(alpha, beta, gamma, phi)) return Number.POSITIVE_INFINITY;
    let lik: number;
    if (profile !== undefined) {
      sums.sse = profile(alpha, beta, gamma, phi, x0);
      lik = n * Math.log(sums.sse);
    } else {
      if (!readState(p)) return Number.POSITIVE_INFINITY;
      runFilter(ys, x0, shape, alpha, beta, gamma, phi, ring, sums);
      lik = likelihoodOf(n, sums, shape.multError);
    }
    if (crit === "mse") return sums.sse / n;
    if (lik < -1e10) lik = -1e10;
    if (Number.isNaN(lik)) lik = Number.POSITIVE_INFINITY;
    return lik;
  };
  // The searched classes: Nelder–Mead as R's ets, then restarted from its optimum until a restart
  // gains less than 1e-3 in −2·log-likelihood (AICc units; 1e-9 relative for the MSE criterion):
  // R's single run often stops early because its first simplex is scaled by the level of the
  // series.
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const search = (start: ArrayLike<number>): Result.Result<NelderMeadResult, InvalidInput> => {
    const first = nelderMead(objective, start, { maxEvaluations });
    if (Result.isFailure(first)) return first;
    let opt = first.success;
    for (let restart = 0; restart < 6; restart++) {
      const again = nelderMead(objective, opt.x, { maxEvaluations });
      if (Result.isFailure(again)) return again;
      const gain = crit === "lik" ? 1e-3 : 1e-9 * Math.max(1, Math.abs(opt.value));
      const improved = again.success.value < opt.value - gain;
      if (again.success.value < opt.value) opt = again.success;
      if (!improved) break;
    }
    return Result.succeed(opt);
  };
  // The mapped classes with two or more smoothing parameters: quasi-Newton on the logits with the
  // exact gradient of the profiled criterion (the gradient of Σε² at the solved initial state,
  // sseGradient), from R's start and from the best point of a coarse grid (the likelihood often
  // has two optima, e.g. a damped trend near φ = 0.8 and near 0.98), keeping the better; then,
  // while it gains, from the best point with one parameter moved to a bound (a second optimum
  // often has γ or β at its lower bound: a stable season or slope).
  const profiledSearch = (): QuasiNewtonResult => {
    const gradientAt = sseGradient(ys, shape, damped);
    const dSse = new Float64Array(4);
    /** The gradient in the logits, at the point `objective` was last called with. */
    const gradient = (z: Float64Array, g: Float64Array): void => {
      const alpha = smoothing[0] as number;
      gradientAt(alpha, smoothing[1] as number, smoothing[2] as number, smoothing[3] as number, x0, dSse);
      const unit = crit === "mse" ? 1 / n : n / sums.sse; // d criterion / dΣε²
      const dAlpha = fixA === undefined ? slopeOf(lower[0] as number, upper[0] as number, alpha) : 0;
      let k = 0;
      if (fixA === undefined) g[k++] = unit * (dSse[0] as number) * dAlpha;
      if (trend && fixB === undefined) {
        g[k] = unit * (dSse[1] as number) * slopeOf(lower[1] as number, Math.min(upper[1] as number, alpha), smoothing[1] as number);
        // β's upper bound is α when α is below it: then β moves with α
        if (fixA === undefined && alpha < (upper[1] as number)) g[0] = (g[0] as number) + unit * (dSse[1] as number) * logistic(z[k] as number) * dAlpha;
        k++;
      }
      if (season !== 0 && fixG === undefined) {
        g[k] = unit * (dSse[2] as number) * slopeOf(lower[2] as number, Math.min(upper[2] as number, 1 - alpha), smoothing[2] as number);
        // γ's upper bound is 1 − α when that is below it
        if (fixA === undefined && 1 - alpha < (upper[2] as number)) g[0] = (g[0] as number) - unit * (dSse[2] as number) * logistic(z[k] as number) * dAlpha;
        k++;
      }
      if (damped && fixP === undefined) g[k] = unit * (dSse[3] as number) * slopeOf(lower[3] as number, upper[3] as number, smoothing[3] as number);
    };
    // β, γ and φ deep in a logit's tail are tried at their bound (most optima have one or two of
    // them there, which the logits approach only by about a unit per iteration); α is not, as it
    // bounds the ranges of β and γ, and α at its lower bound would close β's range for good
    const snapToBounds = {
      beyond: Array.from({ length: nSmooth }, (_, i) => (i === 0 && fixA === undefined ? Number.POSITIVE_INFINITY : SNAP_BEYOND)),
      to: BOUND_LOGITS[1] as number,
      retry: SNAP_RETRY,
    };
    // the options are constants and the starts finite logits: the input is valid
    const descend = (start: ArrayLike<number>): QuasiNewtonResult =>
      Result.getOrThrow(quasiNewton(objective, gradient, start, { valueTol: crit === "lik" ? 1e-5 : 1e-9, snapToBounds }));
    const axes: ReadonlyArray<number>[] = [];
    if (fixA === undefined) axes.push(GRID_AXES.alpha);
    if (trend && fixB === undefined) axes.push(GRID_AXES.beta);
    if (season !== 0 && fixG === undefined) axes.push(GRID_AXES.gamma);
    if (damped && fixP === undefined) axes.push(GRID_AXES.phi);
    const fromStart = descend(par);
    const fromGrid = descend(bestOfGrid(objective, axes));
    let best = fromGrid.value < fromStart.value ? fromGrid : fromStart;
    const probe = new Float64Array(best.x.length);
    for (let round = 0; round < 3; round++) {
      let bestProbe: Float64Array | undefined;
      let bestValue = best.value;
      for (let i = 0; i < probe.length; i++) {
        for (const edge of BOUND_LOGITS) {
          probe.set(best.x);
          probe[i] = edge;
          const v = objective(probe);
          if (v < bestValue) {
            bestValue = v;
            bestProbe = Float64Array.from(probe);
          }
        }
      }
      if (bestProbe === undefined) break;
      const next = descend(bestProbe);
      if (!(next.value < best.value)) break;
      best = next;
    }
    return best;
  };
  const found = mapped && nSmooth > 1 ? Result.succeed(profiledSearch()) : search(par);
  // an evaluation budget that is not a positive integer
  if (Result.isFailure(found)) return Result.fail(new FitFailed({ model: name, reason: found.failure.message }));
  const opt = found.success;
  if (!Number.isFinite(opt.value) || opt.value >= 1e35) {
    return Result.fail(new FitFailed({ model: name, reason: "no admissible parameters found" }));
  }
  readSmoothing(opt.x);
  const best = { alpha: smoothing[0] as number, beta: smoothing[1] as number, gamma: smoothing[2] as number, phi: smoothing[3] as number };
  if (profile !== undefined) profile(best.alpha, best.beta, best.gamma, best.phi, x0);
  else readState(opt.x);
  const initial = x0.map((v, i) => (season === 2 && i >= stateOff ? v : v * scale));
  const r = filter(y, initial, shape, best.alpha, best.beta, best.gamma, best.phi);
  const np = nParams + 1;
  let lik = r.lik;
  if (lik < -1e10) lik = -1e10;
  const aic = lik + 2 * np;
  const bic = lik + Math.log(n) * np;
  const aicc = aic + (2 * np * (np + 1)) / (n - np - 1);
  const sigma2 = r.sse / (n - nParams);
  const fitted = r.f;
  const residuals = y.map((v, i) => v - (fitted[i] as number));
  const parameters: EtsParameters = {
    alpha: best.alpha,
    ...(trend ? { beta: best.beta } : {}),
    ...(season !== 0 ? { gamma: best.gamma } : {}),
    ...(trend ? { phi: best.phi } : {}),
  };
  const seed = options.seed ?? 20080101;
  const paths = options.simulationPaths ?? 5000;
  const finalState = r.finalState;
  return Result.succeed({
    name,
    spec,
    seasonLength: m,
    parameters,
    initialState: initial,
    finalState,
    loglik: -0.5 * lik,
    aic,
    aicc,
    bic,
    sigma2,
    innovations: r.e,
    fitted,
    residuals,
    forecast: (h: number, levels: ReadonlyArray<number>): Forecast =>
      etsForecast(name, shape, best.alpha, best.beta, best.gamma, best.phi, finalState, sigma2, h, levels, seed, paths),
  });
};

// --- forecasting ----------------------------------------------------------------------------------

const validLevels = (levels: ReadonlyArray<number>): number[] =>
  [...new Set(levels)].filter((p) => p > 0 && p < 1).sort((a, b) => a - b);

/** Standard normals from the seeded uniform generator (Box–Muller, both values used). */
const normalGenerator = (seed: number): (() => number) => {
  const uniform = seededUniform(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u1 = uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
};

/** R's quantile type 8 of a sorted sample. */
const quantileType8 = (sorted: Float64Array, p: number): number => {
  const n = sorted.length;
  const h = (n + 1 / 3) * p + 1 / 3;
  if (h <= 1) return sorted[0] as number;
  if (h >= n) return sorted[n - 1] as number;
  const j = Math.floor(h);
  const g = h - j;
  return (1 - g) * (sorted[j - 1] as number) + g * (sorted[j] as number);
};

const etsForecast = (
  name: string,
  shape: Shape,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  state: Float64Array,
  sigma2: number,
  hIn: number,
  levels: ReadonlyArray<number>,
  seed: number,
  paths: number,
): Forecast => {
  const h = Number.isInteger(hIn) && hIn > 0 ? hIn : 0;
  const mean = new Float64Array(h);
  forecastFromState(state, shape, phi, h, mean);
  const ps = validLevels(levels);
  const quantiles = new Map<number, Float64Array>();
  if (h === 0 || ps.length === 0) return { mean, quantiles, model: name };
  const sigma = Math.sqrt(Math.max(sigma2, 0));
  if (!shape.multError && shape.season !== 2) {
    // Class 1: var_h = σ²(1 + Σ_{j<h} c_j²), c_j = H F^{j-1} G.
    const p = state.length;
    const off = shape.trend ? 2 : 1;
    let v = new Float64Array(p);
    v[0] = alpha;
    if (shape.trend) v[1] = beta;
    if (shape.season !== 0) v[off] = gamma;
    const sd = new Float64Array(h);
    let acc = 1;
    sd[0] = sigma;
    for (let j = 1; j < h; j++) {
      let c = v[0] as number;
      if (shape.trend) c += phi * (v[1] as number);
      if (shape.season !== 0) c += v[p - 1] as number;
      acc += c * c;
      sd[j] = sigma * Math.sqrt(acc);
      const w = new Float64Array(p);
      w[0] = (v[0] as number) + (shape.trend ? phi * (v[1] as number) : 0);
      if (shape.trend) w[1] = phi * (v[1] as number);
      if (shape.season !== 0) {
        w[off] = v[p - 1] as number;
        for (let k = off + 1; k < p; k++) w[k] = v[k - 1] as number;
      }
      v = w;
    }
    for (const q of ps) {
      const z = normalQuantile(q);
      quantiles.set(q, mean.map((mu, i) => (sigma === 0 ? mu : mu + z * (sd[i] as number))));
    }
    return { mean, quantiles, model: name };
  }
  // Simulation with a seeded generator.
  const draw = normalGenerator(seed);
  const sims: Float64Array[] = Array.from({ length: h }, () => new Float64Array(paths));
  const one = new Float64Array(1);
  let cur = new Float64Array(state.length);
  let nxt = new Float64Array(state.length);
  for (let k = 0; k < paths; k++) {
    cur.set(state);
    for (let i = 0; i < h; i++) {
      forecastFromState(cur, shape, phi, 1, one);
      const f = one[0] as number;
      const e = sigma * draw();
      const yv = shape.multError ? f * (1 + e) : f + e;
      (sims[i] as Float64Array)[k] = yv;
      updateState(cur, nxt, shape, alpha, beta, gamma, phi, yv);
      const t = cur;
      cur = nxt;
      nxt = t;
    }
  }
  for (const s of sims) s.sort();
  for (const q of ps) quantiles.set(q, Float64Array.from(sims, (s) => quantileType8(s, q)));
  return { mean, quantiles, model: name };
};

// --- models ---------------------------------------------------------------------------------------

/** An ETS class as a {@link ForecastModel}; `fit` uses {@link fitEts}. */
export const etsModel = (spec: EtsSpec, options: EtsOptions = {}): ForecastModel => ({
  name: etsName(spec),
  fit: (y, fitOptions) => fitEts(y, spec, { ...options, ...fitOptions }),
});

/** Simple exponential smoothing, ETS(A,N,N). */
export const simpleExponentialSmoothing = (options: EtsOptions = {}): ForecastModel =>
  etsModel({ error: "A", trend: "N", season: "N" }, options);

/** Holt's linear trend method, ETS(A,A,N), or damped, ETS(A,Ad,N). */
export const holt = (options: EtsOptions & { readonly damped?: boolean } = {}): ForecastModel =>
  etsModel({ error: "A", trend: options.damped === true ? "Ad" : "A", season: "N" }, options);

/**
 * Holt–Winters: additive ETS(A,A,A) or multiplicative ETS(M,A,M) (optionally damped); needs
 * `seasonLength` in the fit options.
 */
export const holtWinters = (
  options: EtsOptions & { readonly seasonal?: "additive" | "multiplicative"; readonly damped?: boolean } = {},
): ForecastModel => {
  const mult = options.seasonal === "multiplicative";
  return etsModel(
    { error: mult ? "M" : "A", trend: options.damped === true ? "Ad" : "A", season: mult ? "M" : "A" },
    options,
  );
};
