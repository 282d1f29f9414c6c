/**
 * GS1 element strings (GS1 General Specifications §7.8): decoding a scan — raw with FNC1
 * separators, the human-readable `(AI)value` form, or a GS1 Digital Link URI — into its
 * Application Identifiers with dates, measures and amounts interpreted; and encoding AIs back
 * into either element string form.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { isDigitalLinkUri, parseDigitalLink } from "./digital-link.js";
import {
  DEFAULT_REFERENCE_YEAR,
  DuplicateAi,
  InvalidAiValue,
  MissingSeparator,
  TruncatedElementString,
  UnknownAi,
  UnsupportedSymbology,
  aiAt,
  aiDefinition,
  checkAiValue,
  gs1DateToIso,
  referenceYearOrDefault,
  type AiDefinition,
  type Gs1Error,
} from "./gs1-ai.js";

/** The FNC1 separator as scanners transmit it: ASCII GS (group separator, `\u001d`). */
export const GS = "\u001d";

/**
 * Symbology identifiers (ISO/IEC 15424) of the carriers of GS1 element strings: GS1-128 `]C1`,
 * GS1 DataBar `]e0` (and composite components `]e1`, `]e2`), GS1 DataMatrix `]d2`, GS1 QR Code
 * `]Q3`, GS1 DotCode `]J1`.
 */
export const GS1_SYMBOLOGIES: ReadonlyArray<string> = ["]C1", "]e0", "]e1", "]e2", "]d2", "]Q3", "]J1"];

/** Which form a scan was read from. */
export type Gs1Form = "raw" | "human" | "digital-link";

/** An amount or price (390n–393n, 395n) or a percentage (394n), with its implied decimal point applied. */
export interface Gs1Amount {
  /** The amount as a decimal string, e.g. `"12.50"`. */
  readonly value: string;
  /** ISO 4217 numeric currency code for 391n and 393n, e.g. `"978"`. */
  readonly currency?: string;
}

/** A decoded GS1 scan. */
export interface Gs1Element {
  /** Which form the input was in. */
  readonly form: Gs1Form;
  /** The symbology identifier that preceded a raw scan (`]C1`, `]d2`…), if any. */
  readonly symbology?: string;
  /** Every AI with its value, in input order (a Digital Link: path, then query). */
  readonly ais: ReadonlyArray<readonly [ai: string, value: string]>;
  /**
   * ISO dates `YYYY-MM-DD` of the AIs whose value starts with a date (11–17, 7003, 7006, 7007,
   * 7011, 4324–4326, 8008), by AI. Day `00` (allowed in 11–17, 4324, 4325) is the last day of
   * the month; the century follows the century rule around the reference year.
   */
  readonly dates: Readonly<Record<string, string>>;
  /** Local date-times `YYYY-MM-DDTHH:MM[:SS]` of the AIs that carry a time (7003, 4324, 4325, 7011 and 8008 when present). */
  readonly dateTimes: Readonly<Record<string, string>>;
  /** Trade measures (31nn–36nn) as decimal strings, the implied decimal point applied: `3103` `001250` → `"1.250"`. */
  readonly measures: Readonly<Record<string, string>>;
  /** Amounts, prices and percentages (390n–395n) with the implied decimal point applied. */
  readonly amounts: Readonly<Record<string, Gs1Amount>>;
  /** (01) GTIN. */
  readonly gtin?: string;
  /** (00) SSCC. */
  readonly sscc?: string;
  /** (02) GTIN of contained trade items. */
  readonly containedGtin?: string;
  /** (10) batch or lot. */
  readonly lot?: string;
  /** (21) serial number. */
  readonly serial?: string;
  /** Expiry as an ISO date: (17), else the date of (7003). */
  readonly expiry?: string;
  /** (15) best before, ISO date. */
  readonly bestBefore?: string;
  /** (16) sell by, ISO date. */
  readonly sellBy?: string;
  /** (11) production date, ISO date. */
  readonly productionDate?: string;
  /** (13) packaging date, ISO date. */
  readonly packagingDate?: string;
  /** (30) variable count of items. */
  readonly variableCount?: string;
  /** (37) count of trade items in a logistic unit. */
  readonly count?: string;
  /** (400) customer's purchase order number. */
  readonly orderNumber?: string;
}

/** The wire shape of a {@link Gs1Element} (as JSON), for reuse in APIs. */
export const Gs1ElementSchema = z.object({
  form: z.enum(["raw", "human", "digital-link"]),
  symbology: z.string().optional(),
  ais: z.array(z.tuple([z.string().regex(/^\d{2,4}$/), z.string()])),
  dates: z.record(z.string(), z.iso.date()),
  dateTimes: z.record(z.string(), z.string()),
  measures: z.record(z.string(), z.string()),
  amounts: z.record(z.string(), z.object({ value: z.string(), currency: z.string().optional() })),
  gtin: z.string().optional(),
  sscc: z.string().optional(),
  containedGtin: z.string().optional(),
  lot: z.string().optional(),
  serial: z.string().optional(),
  expiry: z.iso.date().optional(),
  bestBefore: z.iso.date().optional(),
  sellBy: z.iso.date().optional(),
  productionDate: z.iso.date().optional(),
  packagingDate: z.iso.date().optional(),
  variableCount: z.string().optional(),
  count: z.string().optional(),
  orderNumber: z.string().optional(),
});

/** Options of {@link decodeGs1}. */
export interface Gs1DecodeOptions {
  /**
   * Reference year of the century rule (GS1 General Specifications §7.12) that gives two-digit
   * years their century: the year is placed within −49…+50 years of it. It stands for “the
   * current year”, but is an argument so that decoding is deterministic; default 2026. An
   * integer 1000–9899; anything else is replaced by the default.
   */
  readonly referenceYear?: number;
}

/** Options of {@link encodeGs1}. */
export interface Gs1EncodeOptions {
  /** `human`: `(01)09506000134352(10)ABC123`; `raw`: AIs back to back, GS after variable-length fields that are not last. */
  readonly form: "human" | "raw";
  /** A symbology identifier to put before a raw element string, e.g. `]C1`; none by default. */
  readonly symbology?: string;
  /** Reference year for checking YYMMDD values (see {@link Gs1DecodeOptions.referenceYear}). */
  readonly referenceYear?: number;
}

type Pairs = Array<readonly [string, string]>;

const duplicate = (ai: string, first: string, second: string) =>
  new DuplicateAi({ ai, first, second, message: `(${ai}) appears twice with different values: ${first} and ${second}` });

/** Adds an AI to a list, refusing a second, different value of the same AI (an identical repeat is dropped). */
const addPair = (pairs: Pairs, ai: string, value: string): DuplicateAi | undefined => {
  const earlier = pairs.find(([a]) => a === ai);
  if (!earlier) pairs.push([ai, value]);
  else if (earlier[1] !== value) return duplicate(ai, earlier[1], value);
  return undefined;
};

/** Reads a raw element string (symbology identifier already removed): AIs back to back, GS after variable-length fields. */
const readRaw = (text: string, referenceYear: number): Result.Result<Pairs, Gs1Error> => {
  const pairs: Pairs = [];
  let pos = 0;
  while (pos < text.length && text[pos] === GS) pos++;
  if (pos >= text.length) return Result.fail(new TruncatedElementString({ ai: undefined, position: pos, message: "no GS1 data" }));
  while (pos < text.length) {
    if (text[pos] === GS) {
      pos++;
      continue;
    }
    const found = aiAt(text, pos);
    if ("unknown" in found) {
      if (text.length - pos < 2)
        return Result.fail(new TruncatedElementString({ ai: undefined, position: pos, message: `the element string ends inside an AI: ${JSON.stringify(text.slice(pos))}` }));
      return Result.fail(new UnknownAi({ ai: found.unknown, position: pos, message: `${JSON.stringify(found.unknown)} at position ${pos} is not a GS1 Application Identifier` }));
    }
    const definition = found.definition;
    const ai = definition.ai;
    const start = pos + ai.length;
    if (start >= text.length || text[start] === GS)
      return Result.fail(new TruncatedElementString({ ai, position: start, message: `(${ai}) has no value` }));
    let value: string;
    if (definition.predefinedLength) {
      const end = start + definition.maxLength;
      if (end > text.length)
        return Result.fail(
          new TruncatedElementString({ ai, position: text.length, message: `(${ai}) is cut short: ${text.length - start} of its ${definition.maxLength} characters` }),
        );
      value = text.slice(start, end);
      const gs = value.indexOf(GS);
      if (gs >= 0)
        return Result.fail(
          new InvalidAiValue({
            ai,
            value: value.slice(0, gs),
            reason: `ends at a separator after ${gs} characters; (${ai}) has a predefined length of ${definition.maxLength}`,
            message: `(${ai}) ends at a separator after ${gs} characters; it has a predefined length of ${definition.maxLength}`,
          }),
        );
      pos = end;
    } else {
      const gs = text.indexOf(GS, start);
      const end = gs < 0 ? text.length : gs;
      value = text.slice(start, end);
      if (value.length > definition.maxLength)
        return Result.fail(
          new MissingSeparator({
            ai,
            value,
            maxLength: definition.maxLength,
            message: `(${ai}) runs to ${value.length} characters, longer than its maximum ${definition.maxLength}: a GS separator is missing`,
          }),
        );
      pos = end;
    }
    const checked = checkAiValue(definition, value, referenceYear);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const dup = addPair(pairs, ai, value);
    if (dup) return Result.fail(dup);
  }
  return Result.succeed(pairs);
};

/** An AI in brackets that starts the next element of the human-readable form. */
const HUMAN_AI = /\((\d{2,4})\)/y;

/** Reads the human-readable form `(01)…(10)…`; `\(` in a value stands for a literal `(`. */
const readHuman = (text: string, referenceYear: number): Result.Result<Pairs, Gs1Error> => {
  const pairs: Pairs = [];
  let pos = 0;
  while (pos < text.length) {
    HUMAN_AI.lastIndex = pos;
    const m = HUMAN_AI.exec(text);
    if (!m) {
      const close = text.indexOf(")", pos);
      if (close < 0) return Result.fail(new TruncatedElementString({ ai: undefined, position: pos, message: `an AI in brackets is not closed at position ${pos}` }));
      const ai = text.slice(pos + 1, close);
      return Result.fail(new UnknownAi({ ai, position: pos + 1, message: `${JSON.stringify(ai)} at position ${pos + 1} is not a GS1 Application Identifier` }));
    }
    const ai = m[1] ?? "";
    const definition = aiDefinition(ai);
    if (!definition) return Result.fail(new UnknownAi({ ai, position: pos + 1, message: `(${ai}) is not a GS1 Application Identifier` }));
    pos += m[0].length;
    let value = "";
    while (pos < text.length) {
      const ch = text[pos] ?? "";
      if (ch === "\\" && text[pos + 1] === "(") {
        value += "(";
        pos += 2;
        continue;
      }
      if (ch === "(") {
        HUMAN_AI.lastIndex = pos;
        if (HUMAN_AI.test(text)) break;
      }
      value += ch;
      pos++;
    }
    value = value.trim();
    if (value === "" && pos >= text.length) return Result.fail(new TruncatedElementString({ ai, position: pos, message: `(${ai}) has no value` }));
    const checked = checkAiValue(definition, value, referenceYear);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const dup = addPair(pairs, ai, value);
    if (dup) return Result.fail(dup);
    while (text[pos] === " ") pos++;
  }
  return Result.succeed(pairs);
};

/** A decimal string of `digits` with `decimals` implied decimal places: `001250`, 3 → `1.250`. */
export const applyImpliedDecimals = (digits: string, decimals: number): string => {
  const padded = digits.padStart(decimals + 1, "0");
  const wholeEnd = padded.length - decimals;
  // Leading zeros of the whole part go, but its last digit stays.
  let from = 0;
  while (from < wholeEnd - 1 && padded.charCodeAt(from) === 48) from++;
  const whole = padded.slice(from, wholeEnd);
  return decimals === 0 ? whole : `${whole}.${padded.slice(wholeEnd)}`;
};

/**
 * Builds the decoded element from checked AIs, in one pass over them: dates and date-times,
 * measures and amounts by AI, and the first value of each AI a named field reports. The element's
 * keys are added in one fixed order, so that every element shares V8's few object shapes.
 */
const toElement = (pairs: ReadonlyArray<readonly [string, string]>, form: Gs1Form, symbology: string | undefined, referenceYear: number): Gs1Element => {
  const dates: Record<string, string> = {};
  const dateTimes: Record<string, string> = {};
  const measures: Record<string, string> = {};
  const amounts: Record<string, Gs1Amount> = {};
  let gtin: string | undefined;
  let sscc: string | undefined;
  let containedGtin: string | undefined;
  let lot: string | undefined;
  let serial: string | undefined;
  let variableCount: string | undefined;
  let count: string | undefined;
  let orderNumber: string | undefined;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair === undefined) continue;
    const ai = pair[0];
    const value = pair[1];
    switch (ai) {
      case "01":
        gtin ??= value;
        break;
      case "00":
        sscc ??= value;
        break;
      case "02":
        containedGtin ??= value;
        break;
      case "10":
        lot ??= value;
        break;
      case "21":
        serial ??= value;
        break;
      case "30":
        variableCount ??= value;
        break;
      case "37":
        count ??= value;
        break;
      case "400":
        orderNumber ??= value;
        break;
    }
    const definition = aiDefinition(ai);
    if (!definition) continue;
    if (definition.date !== undefined) {
      const date = gs1DateToIso(value.slice(0, 6), referenceYear, definition.date === "YYMMD0");
      if (date !== undefined) {
        dates[ai] = date;
        if (definition.date === "YYMMDDHH") {
          const mm = value.slice(8, 10) || "00";
          const ss = value.slice(10, 12);
          dateTimes[ai] = `${date}T${value.slice(6, 8)}:${mm}${ss === "" ? "" : `:${ss}`}`;
        } else if (definition.time && value.length >= 10 && definition.components.length === 2) {
          dateTimes[ai] = `${date}T${value.slice(6, 8)}:${value.slice(8, 10)}`;
        }
      }
    }
    const implied = definition.impliedDecimal;
    if (implied?.kind === "measure") measures[ai] = applyImpliedDecimals(value, implied.impliedDecimals);
    else if (implied) {
      amounts[ai] = implied.currencyPrefix
        ? { value: applyImpliedDecimals(value.slice(3), implied.impliedDecimals), currency: value.slice(0, 3) }
        : { value: applyImpliedDecimals(value, implied.impliedDecimals) };
    }
  }
  const element: { -readonly [K in keyof Gs1Element]: Gs1Element[K] } =
    symbology === undefined
      ? { form, ais: pairs, dates, dateTimes, measures, amounts }
      : { form, symbology, ais: pairs, dates, dateTimes, measures, amounts };
  if (gtin !== undefined) element.gtin = gtin;
  if (sscc !== undefined) element.sscc = sscc;
  if (containedGtin !== undefined) element.containedGtin = containedGtin;
  if (lot !== undefined) element.lot = lot;
  if (serial !== undefined) element.serial = serial;
  const expiry = dates["17"] ?? dates["7003"];
  if (expiry !== undefined) element.expiry = expiry;
  if (dates["15"] !== undefined) element.bestBefore = dates["15"];
  if (dates["16"] !== undefined) element.sellBy = dates["16"];
  if (dates["11"] !== undefined) element.productionDate = dates["11"];
  if (dates["13"] !== undefined) element.packagingDate = dates["13"];
  if (variableCount !== undefined) element.variableCount = variableCount;
  if (count !== undefined) element.count = count;
  if (orderNumber !== undefined) element.orderNumber = orderNumber;
  return element;
};

/** GTIN of an EAN/UPC scan (`]E0` 13 or 12 digits, `]E4` 8 digits) as (01), padded to 14 digits. */
const readEanUpc = (symbology: string, data: string, referenceYear: number): Result.Result<Pairs, Gs1Error> => {
  const lengths = symbology === "]E4" ? [8] : [12, 13];
  const definition = aiDefinition("01");
  if (!definition || !/^\d+$/.test(data) || !lengths.includes(data.length))
    return Result.fail(
      new InvalidAiValue({ ai: "01", value: data, reason: `${symbology} carries ${lengths.join(" or ")} digits`, message: `${symbology}${data}: not an EAN/UPC of ${lengths.join(" or ")} digits` }),
    );
  const gtin = data.padStart(14, "0");
  const checked = checkAiValue(definition, gtin, referenceYear);
  return Result.isFailure(checked) ? Result.fail(checked.failure) : Result.succeed([["01", gtin] as const]);
};

/**
 * Decodes a GS1 scan into its Application Identifiers. The input may be:
 *
 * - a raw scan as the scanner sends it: an optional symbology identifier (`]C1`, `]e0`, `]d2`,
 *   `]Q3`, `]J1`…), AIs back to back, and FNC1 transmitted as GS (`\u001d`) after each field
 *   that has no predefined length and is not the last (extra GS are tolerated). `]E0`/`]E4`
 *   (EAN-13/UPC-A, EAN-8) yield their GTIN as (01);
 * - the human-readable form `(01)09506000134352(17)201225(10)ABC123` (spaces around values are
 *   ignored; `\(` stands for a `(` inside a value);
 * - a GS1 Digital Link URI (see {@link parseDigitalLink}), also behind a symbology identifier
 *   such as `]Q1`.
 *
 * Every value is checked against its AI: length, character set, check digit
 * (`InvalidCheckDigit`), dates and times (`InvalidAiValue`). Other failures: `UnknownAi`,
 * `MissingSeparator`, `TruncatedElementString`, `DuplicateAi` (an identical repeat is read
 * once), `InvalidDigitalLink`, `UnsupportedSymbology`. Surrounding white space (a scanner's
 * CR/LF suffix) is ignored. Never throws. Associations between AIs (e.g. (10) needing (01)) are
 * not enforced, so partial data still decodes.
 */
export const decodeGs1 = (text: string, options: Gs1DecodeOptions = {}): Result.Result<Gs1Element, Gs1Error> => {
  const referenceYear = referenceYearOrDefault(options.referenceYear ?? DEFAULT_REFERENCE_YEAR);
  const input = typeof text === "string" ? text.trim() : "";
  let symbology: string | undefined;
  let data = input;
  if (input.startsWith("]")) {
    symbology = input.slice(0, 3);
    data = input.slice(3);
  }
  const done = (pairs: Result.Result<Pairs, Gs1Error>, form: Gs1Form): Result.Result<Gs1Element, Gs1Error> =>
    Result.isFailure(pairs) ? Result.fail(pairs.failure) : Result.succeed(toElement(pairs.success, form, symbology, referenceYear));
  if (isDigitalLinkUri(data)) {
    const link = parseDigitalLink(data, { referenceYear });
    return Result.isFailure(link) ? Result.fail(link.failure) : Result.succeed(toElement(link.success.ais, "digital-link", symbology, referenceYear));
  }
  if (symbology !== undefined) {
    if (symbology === "]E0" || symbology === "]E4") return done(readEanUpc(symbology, data, referenceYear), "raw");
    if (!GS1_SYMBOLOGIES.includes(symbology))
      return Result.fail(new UnsupportedSymbology({ symbology, message: `symbology identifier ${JSON.stringify(symbology)} carries no GS1 element string` }));
    return done(readRaw(data, referenceYear), "raw");
  }
  if (data.startsWith("(")) return done(readHuman(data, referenceYear), "human");
  return done(readRaw(data, referenceYear), "raw");
};

/** Escapes what would be read as the start of the next AI in the human-readable form. */
const escapeHuman = (value: string): string => value.replace(/\((?=\d{2,4}\))/g, "\\(");

/**
 * Encodes AIs as a GS1 element string: the human-readable form `(01)…(10)…` (a `(` inside a
 * value that would read as an AI is written `\(`), or the raw form with GS (`\u001d`) only
 * after fields that have no predefined length and are not the last, optionally behind a
 * symbology identifier. Values are checked as {@link decodeGs1} checks them; the same AI twice
 * with different values is `DuplicateAi`. `decodeGs1(encodeGs1(ais))` gives the AIs back.
 */
export const encodeGs1 = (ais: ReadonlyArray<readonly [ai: string, value: string]>, options: Gs1EncodeOptions): Result.Result<string, Gs1Error> => {
  const referenceYear = referenceYearOrDefault(options.referenceYear ?? DEFAULT_REFERENCE_YEAR);
  const pairs: Array<readonly [string, string, AiDefinition]> = [];
  for (const [i, [ai, value]] of ais.entries()) {
    const definition = aiDefinition(ai);
    if (!definition) return Result.fail(new UnknownAi({ ai, position: i, message: `(${ai}) is not a GS1 Application Identifier` }));
    const checked = checkAiValue(definition, value, referenceYear);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const earlier = pairs.find(([a]) => a === ai);
    if (earlier && earlier[1] !== value) return Result.fail(duplicate(ai, earlier[1], value));
    if (!earlier) pairs.push([ai, value, definition]);
  }
  if (options.form === "human") return Result.succeed(pairs.map(([ai, value]) => `(${ai})${escapeHuman(value)}`).join(""));
  const raw = pairs
    .map(([ai, value, definition], i) => `${ai}${value}${definition.predefinedLength || i === pairs.length - 1 ? "" : GS}`)
    .join("");
  return Result.succeed(`${options.symbology ?? ""}${raw}`);
};
