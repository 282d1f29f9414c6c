import { type Dec, type DecimalFields } from "../decimal.js";

/**
 * Exact fixed-point arithmetic on scaled integers held in JS numbers, for the valuation's hot
 * path. A value `x` at scale `s` is the integer `x × 10^s`; every function either returns the
 * exact result decimal.js would give (half-up rounding, 四舍五入) or `NaN` when the integers
 * would leave the range where a double is exact, so that the caller falls back to decimal.js.
 * Nothing here is approximate.
 */

/** Decimal places of quantities held as scaled integers; a quantity with more places stays a decimal. */
export const QTY_SCALE = 6;

/** Largest integer handled: below 2^53 with room for one addition of two such values. */
const LIMIT = 2 ** 52;

const POW10: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const POW10N: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

/** Whether a number is an integer the fixed-point functions accept. */
export const isFixed = (x: number): boolean => x === Math.trunc(x) && x < LIMIT && x > -LIMIT;

/** A decimal as an integer at `scale`, or `NaN` when it has more places or is too large. */
export const fixedOf = (d: Dec, scale: number): number => {
  const { d: words, e, s } = d as unknown as DecimalFields;
  if (words === null || d.decimalPlaces() > scale) return Number.NaN;
  const top = Math.floor(e / 7);
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    const p = 7 * (top - i) + scale;
    if (p > 15) return Number.NaN;
    n += p >= 0 ? words[i]! * POW10[p]! : words[i]! / POW10[-p]!;
  }
  if (n >= 2 ** 50) return Number.NaN;
  return s < 0 ? -n : n;
};

/** Half-up (away from zero on ties) rounding of the exact quotient n ÷ d, with d > 0. */
const divRound = (n: number, d: number): number => {
  const neg = n < 0;
  const a = neg ? -n : n;
  let q = Math.floor(a / d);
  let r = a - q * d;
  // the double quotient can be one off; the remainder is exact since q × d ≤ a < 2^53
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  if (2 * r >= d) q += 1;
  return neg ? -q : q;
};

const divRoundBig = (n: bigint, d: bigint): number => {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  if (2n * (a % d) >= d) q += 1n;
  const out = Number(neg ? -q : q);
  return Math.abs(out) < LIMIT ? out : Number.NaN;
};

/**
 * round(total × part ÷ whole) at the scale of `total`, half-up; `part` and `whole` at one common
 * scale (whole > 0). This is decimal.js's `total.times(part).dividedBy(whole)` rounded to money:
 * with both operands below 2^53 its 34 significant digits cannot move a half-way tie.
 */
export const shareFixed = (total: number, part: number, whole: number): number => {
  if (part === whole) return total;
  // equal powers of ten in part and whole cancel (quantities are often whole units)
  while (part % 1_000 === 0 && whole % 1_000 === 0) {
    part /= 1_000;
    whole /= 1_000;
  }
  const product = total * part;
  if (product < LIMIT && product > -LIMIT) return divRound(product, whole);
  return divRoundBig(BigInt(total) * BigInt(part), BigInt(whole));
};

/**
 * round(a × b) to `scale` places, half-up, where `a` is at scale `aScale` and `b` at `bScale`
 * (a quantity times a unit cost). `NaN` when the result is too large.
 */
export const timesFixed = (a: number, aScale: number, b: number, bScale: number, scale: number): number => {
  const shift = aScale + bScale - scale;
  const product = a * b;
  if (product < LIMIT && product > -LIMIT) {
    if (shift <= 0) return shift === 0 ? product : product * POW10[-shift]!;
    return divRound(product, POW10[shift]!);
  }
  const big = BigInt(a) * BigInt(b);
  if (shift <= 0) {
    const out = Number(big * POW10N[-shift]!);
    return Math.abs(out) < LIMIT ? out : Number.NaN;
  }
  return divRoundBig(big, POW10N[shift]!);
};

/**
 * The same integer, made a small integer of the engine when it fits 31 bits. A figure read from
 * a field that once held a fraction or NaN comes boxed (a heap number), and a field that keeps it
 * keeps the box: 16 more bytes and one more object per kept figure. `n | 0` is that integer
 * unboxed. (`-0` becomes `0`, equal for every use of a fixed figure.)
 */
export const unboxedInt = (n: number): number => (n <= 0x3fffffff && n >= -0x40000000 ? n | 0 : n);

/** a + b, or `NaN` when the sum leaves the exact range. */
export const plusFixed = (a: number, b: number): number => {
  const s = a + b;
  return s < LIMIT && s > -LIMIT ? s : Number.NaN;
};
