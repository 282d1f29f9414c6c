/**
 * The Box–Cox transform and the choice of its λ, as R's forecast package does them:
 * `BoxCox`, `InvBoxCox` (without bias adjustment) and `BoxCox.lambda` by Guerrero's method
 * (the λ that makes the coefficient of variation of the per-season ratios sd ÷ mean^(1−λ) the
 * smallest), minimised over [lower, upper] with Brent's method exactly as `stats::optimize`.
 */

/** Box–Cox transform as R's `forecast::BoxCox` (λ = 0: log; λ < 0: negative values become NaN). */
export const boxCox = (y: Float64Array, lambda: number): Float64Array =>
  y.map((v) => {
    if (lambda < 0 && v < 0) return Number.NaN;
    if (lambda === 0) return Math.log(v);
    return (Math.sign(v) * Math.abs(v) ** lambda - 1) / lambda;
  });

/** Inverse Box–Cox transform as R's `forecast::InvBoxCox` without bias adjustment. */
export const inverseBoxCox = (x: Float64Array, lambda: number): Float64Array =>
  x.map((v) => {
    if (lambda === 0) return Math.exp(v);
    let t = v * lambda + 1;
    if (lambda < 0) t = t < 0 ? Number.NaN : t;
    return Math.sign(t) * Math.abs(t) ** (1 / lambda);
  });

/** Bounds of the λ search of {@link boxCoxLambda}; R's defaults are −1 and 2. */
export interface LambdaBounds {
  readonly lower?: number;
  readonly upper?: number;
}

/**
 * Box–Cox λ by Guerrero's method, as R's `forecast::BoxCox.lambda(x, lower, upper)` for a series
 * of the given frequency: 1 when the series has at most two seasons, the lower bound raised to
 * 0 when a value is ≤ 0, and otherwise the minimiser found by `stats::optimize`.
 */
export const boxCoxLambda = (y: Float64Array, frequency: number, bounds: LambdaBounds = {}): number => {
  let lower = bounds.lower ?? -1;
  const upper = bounds.upper ?? 2;
  if (y.some((v) => v <= 0)) lower = Math.max(lower, 0);
  if (y.length <= 2 * frequency) return 1;
  const period = Math.round(Math.max(2, frequency));
  const years = Math.floor(y.length / period);
  const used = years * period;
  const start = y.length - used;
  const means = new Float64Array(years);
  const sds = new Float64Array(years);
  for (let k = 0; k < years; k++) {
    const block = y.subarray(start + k * period, start + (k + 1) * period);
    means[k] = mean(block);
    sds[k] = sampleSd(block);
  }
  const ratios = new Float64Array(years);
  const coefficientOfVariation = (lambda: number): number => {
    // as R's sd(…, na.rm = TRUE) / mean(…, na.rm = TRUE): a negative mean gives no ratio
    let kept = 0;
    for (let k = 0; k < years; k++) {
      const ratio = sds[k]! / means[k]! ** (1 - lambda);
      if (!Number.isNaN(ratio)) ratios[kept++] = ratio;
    }
    const usable = ratios.subarray(0, kept);
    return sampleSd(usable) / mean(usable);
  };
  return brentMinimum(coefficientOfVariation, lower, upper, Number.EPSILON ** 0.25);
};

const mean = (x: Float64Array): number => {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
};

const sampleSd = (x: Float64Array): number => {
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
};

/**
 * Brent's minimisation without derivatives on [a, b] (golden sections and parabolic steps), step
 * for step as `stats::optimize` (R's `Brent_fmin`), so that the same function gives the same λ.
 */
const brentMinimum = (f: (x: number) => number, a: number, b: number, tol: number): number => {
  const c = (3 - Math.sqrt(5)) * 0.5;
  const eps = Math.sqrt(Number.EPSILON);
  let v = a + c * (b - a);
  let w = v;
  let x = v;
  let d = 0;
  let e = 0;
  let fx = f(x);
  let fv = fx;
  let fw = fx;
  const tol3 = tol / 3;
  for (;;) {
    const xm = (a + b) * 0.5;
    const tol1 = eps * Math.abs(x) + tol3;
    const t2 = tol1 * 2;
    if (Math.abs(x - xm) <= t2 - (b - a) * 0.5) break;
    let p = 0;
    let q = 0;
    let r = 0;
    if (Math.abs(e) > tol1) {
      // fit a parabola
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      p = (x - v) * q - (x - w) * r;
      q = (q - r) * 2;
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
    }
    if (Math.abs(p) >= Math.abs(q * 0.5 * r) || p <= q * (a - x) || p >= q * (b - x)) {
      // a golden-section step
      e = x < xm ? b - x : a - x;
      d = c * e;
    } else {
      // a parabolic-interpolation step, not too close to the ends
      d = p / q;
      const u = x + d;
      if (u - a < t2 || b - u < t2) d = x >= xm ? -tol1 : tol1;
    }
    const u = Math.abs(d) >= tol1 ? x + d : d > 0 ? x + tol1 : x - tol1;
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return x;
};
