import DecimalJs from "decimal.js";
import { z } from "zod";

/**
 * The package-local decimal type: decimal.js cloned with 34 significant digits and half-up
 * rounding (四舍五入). jxc never touches decimal.js's global configuration.
 */
export const Dec = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_UP });

/** A decimal value of {@link Dec}. Money and quantities are always this type, never `number`. */
export type Dec = InstanceType<typeof Dec>;

/** Zero, shared (decimal values are immutable). */
export const ZERO: Dec = new Dec(0);

const POW10: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const WORD = 1e7;
/** The decimals 0 … 4095, built once: a ledger holds one quantity per move and most are small whole numbers. */
const SMALL_WHOLES: Dec[] = Array.from({ length: 4096 }, (_, i) => new Dec(i));

/**
 * decimal.js's documented instance fields: `d` the digits in base 10^7 words (most significant
 * first, no trailing zero word), `e` the base-10 exponent of the first digit, `s` the sign. The
 * conversions below read and write them directly instead of going through strings; a property
 * test holds them equal, field for field, to what decimal.js builds from the decimal string.
 */
export interface DecimalFields {
  d: number[] | null;
  e: number;
  s: number;
}

/**
 * A {@link Dec} made from its fields, without decimal.js's constructor (which inspects and
 * parses its argument). decimal.js gives each decimal an own `constructor` field (its class, whose
 * configuration its arithmetic reads); these find it one step up, on a prototype of their own
 * that inherits {@link Dec}'s — a decimal of decimal.js's own (`instanceof Dec`), one field smaller.
 */
const DecimalOfFields = function (this: DecimalFields, s: number, e: number, d: number[]) {
  this.s = s;
  this.e = e;
  this.d = d;
} as unknown as new (s: number, e: number, d: number[]) => Dec;
const fieldsPrototype = Object.create(Dec.prototype) as { constructor: unknown };
fieldsPrototype.constructor = Dec;
(DecimalOfFields as unknown as { prototype: unknown }).prototype = fieldsPrototype;

/** The decimal an integer at `scale` stands for (exact), built without a string. */
export const decOf = (n: number, scale: number): Dec => {
  if (n === 0) return ZERO;
  const unit = POW10[scale]!;
  if (n % unit === 0) {
    const whole = n / unit;
    // small whole numbers (most quantities) are shared, as decimals are immutable
    if (whole > 0 && whole < SMALL_WHOLES.length) return SMALL_WHOLES[whole]!;
    // whole numbers below 10^7: one word, as decimal.js's own small-integer path builds them
    if (whole < 1e7 && whole > -1e7) {
      const w = whole < 0 ? -whole : whole;
      let e = 0;
      while (e < 6 && w >= POW10[e + 1]!) e++;
      return new DecimalOfFields(whole < 0 ? -1 : 1, e, [w]);
    }
  }
  let m = n < 0 ? -n : n;
  while (m % 10 === 0) {
    m /= 10;
    scale--;
  }
  let k = 1;
  while (k < 16 && m >= POW10[k]!) k++;
  const e = k - 1 - scale;
  let first = (e + 1) % 7;
  if (e < 0) first += 7;
  // digits of m × 10^j fill whole words after a first word of `first` digits
  const j = k <= first ? first - k : (7 - ((k - first) % 7)) % 7;
  const q = POW10[j]!;
  const a0 = m % WORD;
  const rest = (m - a0) / WORD;
  const a1 = rest % WORD;
  const a2 = (rest - a1) / WORD;
  let c = a0 * q;
  const w0 = c % WORD;
  c = a1 * q + (c - w0) / WORD;
  const w1 = c % WORD;
  c = a2 * q + (c - w1) / WORD;
  const w2 = c % WORD;
  const w3 = (c - w2) / WORD;
  const words = w3 > 0 ? [w3, w2, w1, w0] : w2 > 0 ? [w2, w1, w0] : w1 > 0 ? [w1, w0] : [w0];
  return new DecimalOfFields(n < 0 ? -1 : 1, e, words);
};

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal string (already known to match the decimal syntax) as a {@link Dec} that holds no
 * more memory than its digits need. Plain digits with an optional fraction and at most 15 of
 * them are read straight into an integer and built with {@link decOf}; anything else goes
 * through decimal.js, whose digit array is then cut to its length (decimal.js grows it by
 * pushing, which reserves ~17 words for a one-word number — a posted line keeps two such
 * decimals for as long as the ledger lives). Equal field for field to `new Dec(text)`.
 */
export const decimalOfText = (text: string): Dec => {
  const n = text.length;
  if (n <= 16) {
    let m = 0;
    let scale = -1;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        if (scale >= 0) scale++;
      } else if (c === 46 && scale < 0 && i > 0 && i < n - 1) scale = 0;
      else break;
    }
    if (i === n && n > 0 && (scale >= 0 || n <= 15)) return decOf(m, scale < 0 ? 0 : scale);
  }
  const value = new Dec(text);
  const fields = value as unknown as DecimalFields;
  if (fields.d !== null) fields.d = fields.d.slice();
  return value;
};

/** Reads a wire decimal in one pass (the schemas below run on every line of every document). */
const decimalFrom = (check: (d: Dec) => string | undefined) => (text: string, ctx: z.RefinementCtx): Dec => {
  if (!DECIMAL_TEXT.test(text)) {
    ctx.addIssue({ code: "custom", message: 'must be a decimal string such as "12.50"' });
    return z.NEVER;
  }
  const value = decimalOfText(text);
  const problem = check(value);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return value;
};

/**
 * A decimal on the wire: a string such as `"12.50"` (numbers are refused, since a JS number
 * may already have lost digits). Parses into a {@link Dec}.
 */
export const DecimalString = z.string().transform(decimalFrom(() => undefined));

/** A decimal string that must be greater than zero. */
export const PositiveDecimalString = z.string().transform(decimalFrom((d) => (d.gt(0) ? undefined : "must be greater than 0")));

/** A decimal string that must be zero or greater. */
export const NonNegativeDecimalString = z.string().transform(decimalFrom((d) => (d.gte(0) ? undefined : "must be 0 or greater")));

/** Rounds money half-up (四舍五入) to `scale` decimal places (2 = 分). */
export const roundMoney = (value: Dec, scale: number): Dec => value.toDecimalPlaces(scale, Dec.ROUND_HALF_UP);

/** Formats a decimal with exactly `scale` places, as decimals are written on the wire. */
export const formatMoney = (value: Dec, scale: number): string => roundMoney(value, scale).toFixed(scale);

/** Sum of decimals; the empty sum is zero. */
export const sumDecimals = (values: Iterable<Dec>): Dec => {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
};
