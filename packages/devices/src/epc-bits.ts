/**
 * Bit-level helpers of the EPC codec: hex ⇄ 32-bit words, reading and writing unsigned fields
 * at any bit offset with `number` arithmetic (fields up to 53 bits) or `bigint` (wider fields),
 * the 7-bit string encoding of TDS §14.3.5, the URI escaping of TDS Table A-1 and the GS1
 * mod-10 check digit. Internal to `@jxc/devices`; pure, no module-level mutable state.
 *
 * @module
 */

/** Value of each hex digit by character code (0–127); −1 for anything else. */
const NIBBLE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[65 + i] = 10 + i;
    t[97 + i] = 10 + i;
  }
  return t;
})();

/** The value of a hex digit by its character code, or −1. */
const hexDigitValue = (code: number): number => (code < 128 ? (NIBBLE[code] ?? -1) : -1);

/**
 * Reads a hex string into big-endian 32-bit words (the last one left-aligned, padded with zero
 * nibbles). The index of the first character that is not a hex digit is returned instead, as a
 * negative number `-(index + 1)`.
 */
export const hexToWords = (hex: string): number[] | number => {
  const length = hex.length;
  const count = (length + 7) >>> 3;
  const words: number[] = new Array<number>(count);
  let i = 0;
  for (let w = 0; w < count; w++) {
    let value = 0;
    for (let j = 0; j < 8; j++, i++) {
      let nibble = 0;
      if (i < length) {
        nibble = hexDigitValue(hex.charCodeAt(i));
        if (nibble < 0) return -(i + 1);
      }
      value = (value << 4) | nibble;
    }
    words[w] = value >>> 0;
  }
  return words;
};

/**
 * Value of each hex digit by UTF-16 code unit (0–0xFFFF, so any `charCodeAt` result indexes it
 * without a range check); −1 for anything else. 64 KiB, built once.
 */
const NIBBLE_OF_UNIT: Int8Array = (() => {
  const t = new Int8Array(0x10000).fill(-1);
  t.set(NIBBLE);
  return t;
})();

/**
 * Reads 8 hex digits from `offset` as an unsigned 32-bit value (a double), or −1 when one of
 * them is not a hex digit. The caller guarantees `offset + 8 <= hex.length`. Unrolled, one table
 * look-up per digit and one test for all eight: the first step of every SGTIN-96 decode.
 */
export const hexWordAt = (hex: string, offset: number): number => {
  const a = NIBBLE_OF_UNIT[hex.charCodeAt(offset)] ?? -1;
  const b = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 1)] ?? -1;
  const c = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 2)] ?? -1;
  const d = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 3)] ?? -1;
  const e = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 4)] ?? -1;
  const f = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 5)] ?? -1;
  const g = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 6)] ?? -1;
  const h = NIBBLE_OF_UNIT[hex.charCodeAt(offset + 7)] ?? -1;
  if ((a | b | c | d | e | f | g | h) < 0) return -1;
  return ((a << 28) | (b << 24) | (c << 20) | (d << 16) | (e << 12) | (f << 8) | (g << 4) | h) >>> 0;
};

/** Writes `words` as `hexLength` upper-case hex digits. */
export const wordsToHex = (words: readonly number[], hexLength: number): string => {
  let out = "";
  for (const word of words) out += word.toString(16).padStart(8, "0");
  return out.slice(0, hexLength).toUpperCase();
};

/** 2^n for n = 0…53 as exact doubles. */
export const POW2: readonly number[] = Array.from({ length: 54 }, (_, i) => 2 ** i);

/** Reads the unsigned field of `bits` bits (0–53) starting `offset` bits into `words`. */
export const readUint = (words: readonly number[], offset: number, bits: number): number => {
  let value = 0;
  while (bits > 0) {
    const inWord = offset & 31;
    const available = 32 - inWord;
    const take = bits < available ? bits : available;
    const word = words[offset >>> 5] ?? 0;
    const chunk = take === 32 ? word : (word >>> (available - take)) & ((1 << take) - 1);
    value = value * (POW2[take] ?? 2 ** take) + (chunk >>> 0);
    offset += take;
    bits -= take;
  }
  return value;
};

/** Reads the unsigned field of `bits` bits (up to 85) as a `bigint`. */
export const readBigUint = (words: readonly number[], offset: number, bits: number): bigint =>
  bits <= 32
    ? BigInt(readUint(words, offset, bits))
    : (BigInt(readUint(words, offset, bits - 32)) << 32n) | BigInt(readUint(words, offset + bits - 32, 32));

/** Writes `value` (an integer below 2^bits, bits ≤ 53) as the field of `bits` bits at `offset`. */
export const writeUint = (words: number[], offset: number, bits: number, value: number): void => {
  while (bits > 0) {
    const inWord = offset & 31;
    const available = 32 - inWord;
    const take = bits < available ? bits : available;
    const rest = bits - take;
    const chunk = Math.floor(value / (POW2[rest] ?? 2 ** rest)) % (POW2[take] ?? 2 ** take);
    const index = offset >>> 5;
    words[index] = ((words[index] ?? 0) | (chunk << (available - take))) >>> 0;
    offset += take;
    bits -= take;
  }
};

/** Writes a `bigint` below 2^bits (bits up to 85) as the field of `bits` bits at `offset`. */
export const writeBigUint = (words: number[], offset: number, bits: number, value: bigint): void => {
  if (bits <= 32) {
    writeUint(words, offset, bits, Number(value));
    return;
  }
  writeUint(words, offset, bits - 32, Number(value >> 32n));
  writeUint(words, offset + bits - 32, 32, Number(value & 0xffffffffn));
};

/** True when every bit from `offset` to `end` (exclusive) is zero. */
export const bitsAreZero = (words: readonly number[], offset: number, end: number): boolean => {
  while (offset < end) {
    const take = Math.min(32 - (offset & 31), end - offset);
    if (readUint(words, offset, take) !== 0) return false;
    offset += take;
  }
  return true;
};

/**
 * True for a character of the GS1 AI encodable character set 82 (TDS Table A-1), the only
 * characters an alphanumeric EPC component may hold: `! " % & ' ( ) * + , - . /`, digits,
 * `: ; < = > ?`, `A–Z`, `_`, `a–z`.
 */
export const isGs1Char82 = (code: number): boolean =>
  code === 0x21 ||
  code === 0x22 ||
  (code >= 0x25 && code <= 0x3f) ||
  (code >= 0x41 && code <= 0x5a) ||
  code === 0x5f ||
  (code >= 0x61 && code <= 0x7a);

/** The position of the first character outside set 82 in `text`, or −1. */
export const firstNonGs1Char82 = (text: string): number => {
  for (let i = 0; i < text.length; i++) if (!isGs1Char82(text.charCodeAt(i))) return i;
  return -1;
};

/** True when `text` is only decimal digits (and not empty). */
export const isDigits = (text: string): boolean => {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** Characters that an EPC URI writes as `%XX` escapes (TDS Table A-1). */
const URI_ESCAPES: Readonly<Record<string, string>> = {
  '"': "%22",
  "%": "%25",
  "&": "%26",
  "/": "%2F",
  "<": "%3C",
  ">": "%3E",
  "?": "%3F",
};

const NEEDS_ESCAPE = /["%&/<>?]/;
const NEEDS_ESCAPE_ALL = /["%&/<>?]/g;

/** Escapes a set-82 component for an EPC URI (`/` → `%2F`, …). */
export const escapeUriComponent = (text: string): string =>
  NEEDS_ESCAPE.test(text) ? text.replace(NEEDS_ESCAPE_ALL, (c) => URI_ESCAPES[c] ?? c) : text;

/** True for a character an EPC URI may hold unescaped in an alphanumeric component. */
const isRawUriChar = (code: number): boolean =>
  isGs1Char82(code) && code !== 0x22 && code !== 0x26 && code !== 0x2f && code !== 0x3c && code !== 0x3e && code !== 0x3f;

/**
 * Reads a component of an EPC URI back to its characters: `%XX` escapes (hex in either case)
 * become the character they name, which must be in set 82; an unescaped character must be in
 * set 82 and not one of those that need escaping. `undefined` when the component is malformed.
 */
export const unescapeUriComponent = (text: string): string | undefined => {
  if (text.indexOf("%") < 0) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!isRawUriChar(c)) return undefined;
    }
    return text;
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= text.length) return undefined;
      const hi = hexDigitValue(text.charCodeAt(i + 1));
      const lo = hexDigitValue(text.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      const code = hi * 16 + lo;
      if (!isGs1Char82(code)) return undefined;
      out += String.fromCharCode(code);
      i += 2;
    } else {
      if (!isRawUriChar(c)) return undefined;
      out += text[i];
    }
  }
  return out;
};

/** Why a 7-bit string field could not be read. */
export interface SevenBitProblem {
  /** `character`: a 7-bit value outside set 82; `padding`: non-zero bits after the end; `length`: too many characters; `empty`: no character. */
  readonly problem: "character" | "padding" | "length" | "empty";
}

/**
 * Reads the 7-bit string field of `bits` bits at `offset` (TDS §14.3.5): characters up to the
 * first all-zero 7-bit group; every bit after it must be zero, every character must be in set 82,
 * and there must be 1 to `maxChars` of them.
 */
export const readSevenBit = (
  words: readonly number[],
  offset: number,
  bits: number,
  maxChars: number,
): string | SevenBitProblem => {
  const end = offset + bits;
  let out = "";
  let at = offset;
  while (at + 7 <= end) {
    const code = readUint(words, at, 7);
    if (code === 0) break;
    if (!isGs1Char82(code)) return { problem: "character" };
    out += String.fromCharCode(code);
    at += 7;
  }
  if (!bitsAreZero(words, at, end)) return { problem: "padding" };
  if (out.length > maxChars) return { problem: "length" };
  if (out.length === 0) return { problem: "empty" };
  return out;
};

/** Writes `text` (set-82 characters, at most ⌊bits/7⌋) as the 7-bit string field at `offset`. */
export const writeSevenBit = (words: number[], offset: number, text: string): void => {
  for (let i = 0; i < text.length; i++) writeUint(words, offset + 7 * i, 7, text.charCodeAt(i));
};

/**
 * The GS1 mod-10 check digit of a string of digits (the key without its check digit): weights
 * 3 and 1 alternate from the rightmost digit, which weighs 3.
 */
export const mod10CheckDigit = (digits: string): number => {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
};

/**
 * Decimal text of the integers 0–999 written with exactly `width` digits (zero-padded), by
 * width 0–3: `PADDED_DIGITS[3][7]` is `"007"`, `PADDED_DIGITS[0][0]` is `""`. Built once (1,111
 * short strings); numbers are written three digits at a time from it, as looking text up is much
 * cheaper than converting a number, and a double above 2^31 the most of all.
 */
const PADDED_DIGITS: readonly (readonly string[])[] = [0, 1, 2, 3].map((width) =>
  Array.from({ length: 10 ** width }, (_, n) => String(n).padStart(width, "0")),
);

/** `PADDED_DIGITS[3]`: the three-digit groups `"000"`–`"999"`. */
const DIGIT_GROUPS: readonly string[] = PADDED_DIGITS[3] ?? [];

/** Decimal text of 0–999 without leading zeros (`"0"`, `"7"`, `"42"`, `"999"`). */
const SHORT_DECIMALS: readonly string[] = Array.from({ length: 1000 }, (_, n) => String(n));

/**
 * The decimal digits of a non-negative integer below 2^53, written three digits at a time from
 * a table (no number-to-text conversion). The quotients by 1000 are exact below 2^53: a
 * remainder is at most 999, too far from the next multiple of 1000 for the division to round up.
 */
export const decimalOf = (value: number): string => {
  if (value < 1000) return SHORT_DECIMALS[value] ?? String(value);
  const quotient = Math.floor(value / 1000);
  return decimalOf(quotient) + (DIGIT_GROUPS[value - quotient * 1000] ?? "");
};

/**
 * `value` (a non-negative integer below 2^53) written with at least `digits` digits,
 * zero-padded; `""` when `digits` is 0 or less. A value of more than `digits` digits is written
 * in full.
 */
export const padDigits = (value: number, digits: number): string => {
  if (digits <= 3) return digits <= 0 ? "" : (PADDED_DIGITS[digits]?.[value] ?? decimalOf(value));
  const quotient = Math.floor(value / 1000);
  return padDigits(quotient, digits - 3) + (DIGIT_GROUPS[value - quotient * 1000] ?? "");
};

/**
 * The GS1 mod-10 check digit of the digits of `value` (a non-negative integer below 10^14, read
 * as if written with any number of leading zeros), computed without building its text.
 */
export const mod10CheckDigitOf = (value: number): number => {
  const upper = Math.floor(value / 1e7);
  let low = (value - upper * 1e7) | 0;
  let high = upper | 0;
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const rest = (low / 10) | 0;
    sum += (low - rest * 10) * (i & 1 ? 1 : 3);
    low = rest;
  }
  for (let i = 7; high > 0; i++) {
    const rest = (high / 10) | 0;
    sum += (high - rest * 10) * (i & 1 ? 1 : 3);
    high = rest;
  }
  return (10 - (sum % 10)) % 10;
};

/** 10^n for n = 0…22 as exact doubles (up to 10^22). */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
