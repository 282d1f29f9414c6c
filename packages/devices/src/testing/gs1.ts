import fc from "fast-check";
import { CSET_82, gs1CheckCharacterPair, gs1CheckDigit } from "../check-digit.js";
import { daysInMonth, resolveCentury, type AiComponent, type AiDefinition } from "../gs1-ai.js";

const CSET_39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CSET_64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const chars = { N: "0123456789", X: CSET_82, Y: CSET_39, Z: CSET_64 } as const;
/** A string over an alphabet, of a length between `min` and `max`. */
export const text = (alphabet: string, min: number, max: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, "0"));
/** A GS1 date YYMMDD (day `00` allowed when `dayZero`), with the century rule of reference year 2026. */
export const dateArb = (dayZero: boolean) =>
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 })).chain(([yy, mm]) =>
    fc
      .integer({ min: dayZero ? 0 : 1, max: daysInMonth(resolveCentury(yy, 2026), mm) })
      .map((dd) => `${String(yy).padStart(2, "0")}${String(mm).padStart(2, "0")}${String(dd).padStart(2, "0")}`),
  );

/** A valid part for one component of an AI. */
/** A valid value of one component of an AI (check digits, dates, code lists drawn correctly). */
export const componentArb = (c: AiComponent): fc.Arbitrary<string> => {
  const has = (l: string) => (c.linters as ReadonlyArray<string>).includes(l);
  if (has("csum")) return text("0123456789", c.maxLength - 1, c.maxLength - 1).map((d) => `${d}${gs1CheckDigit(d)}`);
  if (has("csumalpha")) return text(CSET_82, Math.max(0, c.minLength - 2), c.maxLength - 2).map((d) => `${d}${gs1CheckCharacterPair(d) ?? ""}`);
  if (has("yymmd0")) return dateArb(true);
  if (has("yymmdd")) return dateArb(false);
  if (has("yymmddhh")) return fc.tuple(dateArb(false), two(0, 23)).map(([d, h]) => d + h);
  if (has("hhmm")) return fc.tuple(two(0, 23), two(0, 59)).map(([h, m]) => h + m);
  if (has("mmoptss")) return fc.oneof(two(0, 59), fc.tuple(two(0, 59), two(0, 59)).map(([m, s]) => m + s));
  if (has("zero")) return fc.constant("0");
  if (has("yesno")) return fc.constantFrom("0", "1");
  if (has("winding")) return fc.constantFrom("0", "1", "9");
  if (has("hyphen")) return fc.constant("-");
  if (has("pieceoftotal")) return fc.integer({ min: 1, max: 99 }).chain((total) => fc.integer({ min: 1, max: total }).map((piece) => `${String(piece).padStart(2, "0")}${String(total).padStart(2, "0")}`));
  if (has("nonzero")) return text("0123456789", c.maxLength, c.maxLength).filter((d) => !/^0+$/.test(d));
  if (has("nozeroprefix")) return text("0123456789", c.minLength, c.maxLength).filter((d) => d.length === 1 || !d.startsWith("0"));
  if (has("latitude")) return fc.integer({ min: 0, max: 1_800_000_000 }).map((n) => String(n).padStart(10, "0"));
  if (has("longitude")) return fc.integer({ min: 0, max: 2_147_483_647 }).map((n) => String(n).padStart(10, "0"));
  if (has("iso3166alpha2")) return text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2, 2);
  if (has("pcenc")) return text(CSET_82.replace("%", ""), c.minLength, c.maxLength);
  return text(chars[c.charset], c.minLength, c.maxLength);
};

/** A valid value of an AI. */
/** A valid value of an AI, every component drawn with {@link componentArb}. */
export const valueArb = (d: AiDefinition): fc.Arbitrary<string> =>
  fc
    .tuple(...d.components.map((c) => (c.optional ? fc.option(componentArb(c), { nil: "" }) : componentArb(c))))
    .map((parts) => parts.join(""));

/** Valid AIs with values, each AI at most once. */
