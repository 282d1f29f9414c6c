/**
 * GS1 check digits (GS1 General Specifications §7.9): the mod-10 check digit of the numeric keys
 * (GTIN-8/12/13/14, SSCC-18, GLN-13, GRAI, GSIN-17, GSRN-18, GDTI, GCN, ITIP…) and the
 * alphanumeric check character pair of the Global Model Number (GMN, AI 8013).
 *
 * @module
 */

const DIGITS = /^\d+$/;

/**
 * The GS1 mod-10 check digit of a numeric key without its check digit: from the right-most
 * digit leftwards the digits are weighted 3, 1, 3, 1, …; the check digit is the amount that
 * brings the weighted sum up to the next multiple of ten.
 *
 * Works for every length (GTIN-13 data `950600013435` → `2`; SSCC data `10614141234567890` → `8`).
 * Returns `NaN` when the input is empty or holds anything but the digits 0–9.
 */
export const gs1CheckDigit = (digitsWithoutCheck: string): number => {
  if (!DIGITS.test(digitsWithoutCheck)) return Number.NaN;
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10;
};

/**
 * Whether the last digit of a numeric GS1 key is the right check digit for the digits before it
 * (`09506000134352` → true). False for fewer than two characters or any non-digit.
 */
export const hasValidCheckDigit = (digits: string): boolean =>
  digits.length >= 2 && DIGITS.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;

/** CSET 82 (GS1 General Specifications Figure 7.11-1) in the order that gives each character its value 0–81. */
export const CSET_82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/** CSET 32, the characters of the alphanumeric check character pair, in value order 0–31. */
const CSET_32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const PRIMES: ReadonlyArray<number> = (() => {
  const primes: number[] = [];
  for (let n = 2; primes.length < 97; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
})();

/**
 * The alphanumeric check character pair (GS1 General Specifications §7.9.5, used by the GMN, AI
 * 8013) of `data` without its pair: each CSET 82 character's value is weighted by ascending
 * primes (2, 3, 5, …) from the right, the sum taken modulo 1021, and that 10-bit number split
 * into two 5-bit halves that index CSET 32. `1987654Ad4X4bL5ttr2310c` → `2K`.
 *
 * Undefined when `data` holds a character outside CSET 82 or is longer than 97 characters.
 */
export const gs1CheckCharacterPair = (data: string): string | undefined => {
  if (data.length > PRIMES.length) return undefined;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const value = CSET_82.indexOf(data.charAt(i));
    if (value < 0) return undefined;
    sum += value * (PRIMES[data.length - 1 - i] ?? 0);
  }
  sum %= 1021;
  return CSET_32.charAt(sum >> 5) + CSET_32.charAt(sum & 31);
};

/** Whether the last two characters of `data` are its right {@link gs1CheckCharacterPair}. */
export const hasValidCheckCharacterPair = (data: string): boolean =>
  data.length >= 2 && gs1CheckCharacterPair(data.slice(0, -2)) === data.slice(-2);
