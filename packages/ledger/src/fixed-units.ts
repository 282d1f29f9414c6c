/**
 * Money as scaled integers: exact conversions between {@link Dec} and integers of units
 * 10^-scale held in doubles (every value within 2^52, so sums, products and quotients of two of
 * them stay exact), half-up division, and an exact running sum that stays on integers while it
 * can. Derivation, voucher totals and reconciliation compute in these units and build or read
 * decimals only at their boundary.
 *
 * Internal to `@jxc/ledger`: not exported from the package index.
 */
import { Dec } from "@jxc/core";
import { FIXED_LIMIT } from "./event-read.js";

/** Powers of ten that are exact in a double, 10^0 … 10^22. */
export const POW10: ReadonlyArray<number> = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** `n ÷ d` rounded half away from zero (decimal.js ROUND_HALF_UP), for integers |n|, d ≤ 2^52, d > 0; NaN outside. */
export const divHalfUp = (n: number, d: number): number => {
  if (!(n <= FIXED_LIMIT && n >= -FIXED_LIMIT) || !(d > 0 && d <= FIXED_LIMIT)) return Number.NaN;
  const a = n < 0 ? -n : n;
  let q = Math.floor(a / d);
  let r = a - q * d;
  if (r < 0) {
    q--;
    r += d;
  } else if (r >= d) {
    q++;
    r -= d;
  }
  if (r >= d - r) q++;
  return n < 0 ? -q : q;
};

/** `m × 10^-p` rounded half-up to `s` places, as an integer of units 10^-s; NaN when it leaves the exact range. */
export const rescale = (m: number, p: number, s: number): number => {
  if (p <= s) {
    const r = m * POW10[s - p]!;
    return r <= FIXED_LIMIT && r >= -FIXED_LIMIT ? r : Number.NaN;
  }
  return p - s > 22 ? Number.NaN : divHalfUp(m, POW10[p - s]!);
};

/** Whether an integer result is finite and within the exact range. */
export const inRange = (x: number): boolean => x <= FIXED_LIMIT && x >= -FIXED_LIMIT;

const WORD = 1e7;

/** Decimal digits of a positive integer below 2^53. */
const digitCount = (x: number): number => {
  let n = 1;
  while (n < 16 && x >= POW10[n]!) n++;
  return n;
};

/**
 * The decimal `units × 10^-scale` (|units| ≤ 2^52, scale 0…8), built once at the voucher
 * boundary without reading text: a {@link Dec} from its constructor, given the sign, exponent
 * and base-10^7 digit words decimal.js gives the same value read from `"<units>e-<scale>"` (words
 * aligned on the decimal point, no leading or trailing zero word). A property test holds the two
 * equal, field by field; anything outside that range is read from text.
 */
export const decOfUnits = (units: number, scale: number): Dec => {
  if (units === 0 || !inRange(units) || !(scale >= 0 && scale <= 8)) return new Dec(`${units}e-${scale}`);
  const magnitude = units < 0 ? -units : units;
  const unit = POW10[scale]!;
  const whole = quotient(magnitude, unit);
  const fraction = magnitude - whole * unit;
  const words: number[] = [];
  let exponent: number;
  if (whole > 0) {
    exponent = digitCount(whole) - 1;
    if (whole >= WORD) {
      const high = quotient(whole, WORD);
      if (high >= WORD) {
        const top = quotient(high, WORD);
        words.push(top, high - top * WORD);
      } else words.push(high);
      words.push(whole - high * WORD);
    } else words.push(whole);
  } else exponent = digitCount(fraction) - scale - 1;
  if (scale > 0) {
    // the fraction as 7 or 14 digits after the point
    const padded = scale <= 7 ? fraction * POW10[7 - scale]! : fraction * POW10[14 - scale]!;
    if (scale > 7) {
      const high = quotient(padded, WORD);
      if (whole > 0 || high > 0) words.push(high);
      words.push(padded - high * WORD);
    } else words.push(padded);
  }
  while (words.length > 1 && words[words.length - 1] === 0) words.pop();
  const value = new Dec(0) as { s: number; e: number; d: number[] };
  value.s = units < 0 ? -1 : 1;
  value.e = exponent;
  value.d = words;
  return value as unknown as Dec;
};

/** ⌊x ÷ d⌋ for integers 0 ≤ x ≤ 2^53 and 0 < d ≤ 2^53, exactly (without the slow `%` of doubles). */
const quotient = (x: number, d: number): number => {
  const q = Math.floor(x / d);
  const r = x - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
};

/**
 * The integer `value × 10^scale` when it is one within ±2^52 (the inverse of
 * {@link decOfUnits}), read from the decimal's digit words without building anything; NaN when
 * the value has more than `scale` places, more than 15 significant digits, or is not finite.
 */
export const unitsOfDec = (value: Dec, scale: number): number => {
  const d = (value as unknown as { d: number[] | null }).d;
  if (d === null || d === undefined) return Number.NaN;
  const first = d[0]!;
  if (first === 0) return 0;
  const n = d.length;
  // the words are aligned on the decimal point: the last one carries trailing zeros
  let last = d[n - 1]!;
  let zeros = 0;
  for (let q = quotient(last, 10); q * 10 === last; q = quotient(last, 10)) {
    last = q;
    zeros++;
  }
  const padded = digitCount(first) + 7 * (n - 1);
  if (padded - zeros > 15) return Number.NaN;
  let m: number;
  if (n === 1) m = last;
  else {
    m = first;
    for (let k = 1; k < n - 1; k++) m = m * WORD + d[k]!;
    m = m * POW10[7 - zeros]! + last;
  }
  // the last digit of m stands for 10^(e − padded + 1 + zeros)
  const shift = (value as unknown as { e: number }).e - padded + 1 + zeros + scale;
  let units: number;
  if (shift >= 0) {
    if (shift > 22) return Number.NaN;
    units = m * POW10[shift]!;
    if (!inRange(units)) return Number.NaN;
  } else {
    if (-shift > 22) return Number.NaN;
    const unit = POW10[-shift]!;
    units = quotient(m, unit);
    if (units * unit !== m) return Number.NaN;
  }
  return (value as unknown as { s: number }).s < 0 ? -units : units;
};

/**
 * The decimal places of a decimal (as decimal.js `decimalPlaces()` counts them: none for an
 * integer), read from its digit words without the slow `%` of doubles; NaN when not finite.
 */
export const placesOf = (value: Dec): number => {
  const d = (value as unknown as { d: number[] | null }).d;
  if (d === null || d === undefined) return Number.NaN;
  const n = d.length - 1;
  let places = (n - Math.floor((value as unknown as { e: number }).e / 7)) * 7;
  let last = d[n]!;
  if (last !== 0)
    for (let q = quotient(last, 10); q * 10 === last; q = quotient(last, 10)) {
      last = q;
      places--;
    }
  return places < 0 ? 0 : places;
};

/**
 * An exact running sum of decimals: on integers of units 10^-scale while every addend is one and
 * the sum stays within 2^52, and in decimal.js for the rest (kept apart, added at the end), so
 * the total is exact in every case.
 */
export class ExactSum {
  /** The integer part of the sum, in units 10^-scale. */
  private units = 0;
  /** What the integers could not hold. */
  private rest: Dec | undefined = undefined;

  /** Adds `value` (negated when `sign` is −1), with amounts of `scale` places on integers. */
  add(value: Dec, scale: number, sign: 1 | -1 = 1): void {
    const u = unitsOfDec(value, scale);
    if (u === u) {
      const sum = sign === 1 ? this.units + u : this.units - u;
      if (inRange(sum)) {
        this.units = sum;
        return;
      }
    }
    this.rest = this.rest === undefined ? (sign === 1 ? value : value.negated()) : sign === 1 ? this.rest.plus(value) : this.rest.minus(value);
  }

  /** Adds another sum of the same `scale` (negated when `sign` is −1). */
  addSum(other: ExactSum, scale: number, sign: 1 | -1 = 1): void {
    const sum = sign === 1 ? this.units + other.units : this.units - other.units;
    if (inRange(sum)) this.units = sum;
    else {
      const whole = decOfUnits(other.units, scale);
      this.rest = this.rest === undefined ? (sign === 1 ? whole : whole.negated()) : sign === 1 ? this.rest.plus(whole) : this.rest.minus(whole);
    }
    if (other.rest !== undefined) this.rest = this.rest === undefined ? (sign === 1 ? other.rest : other.rest.negated()) : sign === 1 ? this.rest.plus(other.rest) : this.rest.minus(other.rest);
  }

  /** Back to zero. */
  clear(): void {
    this.units = 0;
    this.rest = undefined;
  }

  /** Whether the sum is zero. */
  isZero(scale: number): boolean {
    return this.rest === undefined ? this.units === 0 : this.total(scale).isZero();
  }

  /** Whether this sum equals another. */
  equals(other: ExactSum, scale: number): boolean {
    return this.rest === undefined && other.rest === undefined ? this.units === other.units : this.total(scale).eq(other.total(scale));
  }

  /** The sum as a decimal. */
  total(scale: number): Dec {
    const whole = decOfUnits(this.units, scale);
    return this.rest === undefined ? whole : whole.plus(this.rest);
  }
}
