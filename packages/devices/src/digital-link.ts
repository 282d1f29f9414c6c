/**
 * GS1 Digital Link URIs (GS1 Digital Link standard, URI syntax): a web address that carries GS1
 * Application Identifiers — a primary key and its key qualifiers as path segments
 * (`/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}`) and other data attributes in the query string
 * (`?17=261231&3103=001250`) — on any domain.
 *
 * @module
 */
import { Result } from "effect";
import {
  AI_TABLE,
  DEFAULT_REFERENCE_YEAR,
  DuplicateAi,
  InvalidDigitalLink,
  UnknownAi,
  aiDefinition,
  checkAiValue,
  type AiDefinition,
  type Gs1Error,
} from "./gs1-ai.js";

/** The canonical resolver of GS1 Digital Link URIs, the default domain of {@link toDigitalLink}. */
export const GS1_RESOLVER = "https://id.gs1.org";

/** A GS1 Digital Link URI read into its parts. */
export interface DigitalLink {
  /** Scheme, authority and any path prefix before the primary key, e.g. `https://example.com/products`. */
  readonly base: string;
  /** The AI of the primary key, e.g. `01`. */
  readonly primaryKey: string;
  /** Every AI with its value: the primary key and its qualifiers from the path, then the query's data attributes, each in the URI's order. */
  readonly ais: ReadonlyArray<readonly [ai: string, value: string]>;
  /** Query parameters that are not AIs (`linkType`, `context`…), decoded, in order. */
  readonly otherParameters: ReadonlyArray<readonly [key: string, value: string]>;
}

/** Options of {@link parseDigitalLink}. */
export interface DigitalLinkParseOptions {
  /** Reference year of the century rule for YYMMDD values (see `resolveCentury`); default 2026. */
  readonly referenceYear?: number;
}

/** Options of {@link toDigitalLink}. */
export interface DigitalLinkOptions {
  /** Scheme, domain and optional path prefix of the URI; default {@link GS1_RESOLVER}. */
  readonly domain?: string;
  /** Reference year of the century rule when checking YYMMDD values (see `resolveCentury`); default 2026. */
  readonly referenceYear?: number;
}

/**
 * The convenience short names of primary keys and key qualifiers of GS1 Digital Link 1.0
 * (`/gtin/…/lot/…/ser/…`), accepted in the path as the numeric AIs they stand for. URIs are
 * always written with numeric AIs.
 */
export const DIGITAL_LINK_SHORT_NAMES: Readonly<Record<string, string>> = {
  gtin: "01",
  itip: "8006",
  cpid: "8010",
  gln: "414",
  payTo: "415",
  gsrnp: "8017",
  gsrn: "8018",
  gcn: "255",
  sscc: "00",
  gdti: "253",
  ginc: "401",
  gsin: "402",
  grai: "8003",
  giai: "8004",
  cpv: "22",
  lot: "10",
  ser: "21",
  cpsn: "8011",
  glnx: "254",
  refno: "8020",
  srin: "8019",
};

const URI = /^(https?):\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i;

/** Whether the text is an http(s) URI, so that it is read as a GS1 Digital Link. */
export const isDigitalLinkUri = (text: string): boolean => /^https?:\/\//i.test(text);

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const UTF8 = new TextEncoder();

/**
 * Percent-encodes a value for a Digital Link path segment or query value: every character but
 * RFC 3986's unreserved `A–Z a–z 0–9 - . _ ~` is written `%XX` (UTF-8, upper-case hex), so
 * `/`, `?`, `&`, `%`, `(`, `)`, `!`, `*`, `'`… of CSET 82 values survive the trip.
 */
export const percentEncode = (value: string): string => {
  let out = "";
  for (const ch of value) {
    if (UNRESERVED.test(ch)) out += ch;
    else for (const byte of UTF8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
};

/** Decodes `%XX` escapes (UTF-8); undefined when an escape is broken or the bytes are not UTF-8. A `+` stays a `+`. */
export const percentDecode = (text: string): string | undefined => {
  if (!text.includes("%")) return text;
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

const invalid = (uri: string, reason: string) => Result.fail(new InvalidDigitalLink({ uri, reason, message: `${uri}: ${reason}` }));

const keyOf = (segment: string): string | undefined => {
  const ai = Object.hasOwn(DIGITAL_LINK_SHORT_NAMES, segment) ? (DIGITAL_LINK_SHORT_NAMES[segment] ?? segment) : segment;
  return /^\d{2,4}$/.test(ai) ? ai : undefined;
};

/** Why the AI codes of a path (primary key, then qualifiers) are not a valid key path, or undefined. */
const keyPathProblem = (codes: ReadonlyArray<string | undefined>): string | undefined => {
  const key = codes[0];
  const definition = key === undefined ? undefined : aiDefinition(key);
  if (key === undefined || !definition?.digitalLinkPrimaryKey) return "not a primary key";
  const qualifiers = codes.slice(1);
  const fits = (alternative: ReadonlyArray<string>): boolean => {
    let at = 0;
    for (const q of qualifiers) {
      const i = q === undefined ? -1 : alternative.indexOf(q, at);
      if (i < 0) return false;
      at = i + 1;
    }
    return true;
  };
  const alternatives = definition.digitalLinkPrimaryKey.qualifiers;
  if (qualifiers.length === 0 || alternatives.some(fits)) return undefined;
  return alternatives.length === 0
    ? `the primary key (${key}) takes no key qualifiers in the path`
    : `the key qualifiers after (${key}) must be, in this order, ${alternatives.map((a) => a.join(", ")).join(" or ")}`;
};

const GTIN_SHORT = /^(\d{8}|\d{12}|\d{13})$/;

/**
 * Reads a GS1 Digital Link URI on any domain: the primary key (00, 01, 253, 255, 401, 402, 414,
 * 415, 417, 8003, 8004, 8006, 8010, 8013, 8017, 8018) and its qualifiers in their standard order
 * from the path — after any path prefix — and the data attributes from the query string by
 * numeric AI. Values are percent-decoded and checked against their AI (length, character set,
 * check digit, dates). A GTIN of 8, 12 or 13 digits in the path is widened to 14 digits. The
 * convenience short names of Digital Link 1.0 (`/gtin/…/lot/…`) are accepted in the path.
 * Query parameters that are not AIs (`linkType`…) are returned apart; a numeric one that is no
 * AI is refused (`UnknownAi`). The same AI twice with different values is `DuplicateAi`.
 */
export const parseDigitalLink = (uri: string, options: DigitalLinkParseOptions = {}): Result.Result<DigitalLink, Gs1Error> => {
  const referenceYear = options.referenceYear ?? DEFAULT_REFERENCE_YEAR;
  const m = URI.exec(uri);
  if (!m) return invalid(uri, "not an http or https URI with a host");
  const [, scheme = "", authority = "", path = "", query] = m;
  if (/\s/.test(uri)) return invalid(uri, "white space in the URI");
  const segments = path.split("/").slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  const codes = segments.map(keyOf);
  let start = -1;
  let problem: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    if ((segments.length - i) % 2 !== 0) continue;
    const code = codes[i];
    if (code === undefined || !aiDefinition(code)?.digitalLinkPrimaryKey) continue;
    const codePath = codes.filter((_, j) => j >= i && (j - i) % 2 === 0);
    const why = keyPathProblem(codePath);
    if (why === undefined) {
      start = i;
      break;
    }
    problem ??= why;
  }
  if (start < 0) return invalid(uri, problem ?? "no GS1 primary key (such as /01/{gtin} or /00/{sscc}) in the path");

  const ais: Array<readonly [string, string]> = [];
  const add = (ai: string, value: string): Result.Result<void, Gs1Error> => {
    const earlier = ais.find(([a]) => a === ai);
    if (earlier) {
      if (earlier[1] === value) return Result.succeed(undefined);
      return Result.fail(new DuplicateAi({ ai, first: earlier[1], second: value, message: `(${ai}) appears twice with different values: ${earlier[1]} and ${value}` }));
    }
    const definition = aiDefinition(ai);
    if (!definition) return Result.fail(new UnknownAi({ ai, position: -1, message: `(${ai}) is not a GS1 Application Identifier` }));
    const checked = checkAiValue(definition, value, referenceYear);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    ais.push([ai, value]);
    return Result.succeed(undefined);
  };

  for (let i = start; i < segments.length; i += 2) {
    const ai = codes[i] ?? "";
    const raw = percentDecode(segments[i + 1] ?? "");
    if (raw === undefined) return invalid(uri, `broken percent-encoding in the value of (${ai})`);
    const value = i === start && ai === "01" && GTIN_SHORT.test(raw) ? raw.padStart(14, "0") : raw;
    const added = add(ai, value);
    if (Result.isFailure(added)) return Result.fail(added.failure);
  }

  const otherParameters: Array<readonly [string, string]> = [];
  if (query !== undefined && query !== "") {
    let offset = uri.indexOf("?") + 1;
    for (const pair of query.split("&")) {
      const here = offset;
      offset += pair.length + 1;
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
      const value = percentDecode(eq < 0 ? "" : pair.slice(eq + 1));
      if (key === undefined || value === undefined) return invalid(uri, `broken percent-encoding in the query parameter ${pair}`);
      if (/^\d+$/.test(key)) {
        if (!AI_TABLE.has(key)) return Result.fail(new UnknownAi({ ai: key, position: here, message: `query parameter ${key} is not a GS1 Application Identifier` }));
        const added = add(key, value);
        if (Result.isFailure(added)) return Result.fail(added.failure);
      } else otherParameters.push([key, value]);
    }
  }

  const base = `${scheme.toLowerCase()}://${authority}${segments.slice(0, start).map((s) => `/${s}`).join("")}`;
  return Result.succeed({ base, primaryKey: codes[start] ?? "", ais, otherParameters });
};

/**
 * Writes AIs as a canonical GS1 Digital Link URI: the first AI that is a Digital Link primary
 * key goes into the path, followed by those of its key qualifiers that are present, in the
 * standard order (for a GTIN: 22, 10, 21 — or 235); every other AI becomes a query parameter, in
 * the given order. Values are checked against their AIs first and percent-encoded.
 * `InvalidDigitalLink` when no AI is a primary key or the domain is not an http(s) URI.
 *
 * @example
 * toDigitalLink([["01", "09506000134352"], ["17", "201225"], ["10", "ABC123"]])
 * // → Result.succeed("https://id.gs1.org/01/09506000134352/10/ABC123?17=201225")
 */
export const toDigitalLink = (
  ais: ReadonlyArray<readonly [ai: string, value: string]>,
  options: DigitalLinkOptions = {},
): Result.Result<string, Gs1Error> => {
  const domain = (options.domain ?? GS1_RESOLVER).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(domain)) return invalid(domain, "the domain must be an http or https URI without query or fragment");
  const unique: Array<readonly [string, string, AiDefinition]> = [];
  for (const [i, [ai, value]] of ais.entries()) {
    const definition = aiDefinition(ai);
    if (!definition) return Result.fail(new UnknownAi({ ai, position: i, message: `(${ai}) is not a GS1 Application Identifier` }));
    const checked = checkAiValue(definition, value, options.referenceYear ?? DEFAULT_REFERENCE_YEAR);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const earlier = unique.find(([a]) => a === ai);
    if (earlier && earlier[1] !== value)
      return Result.fail(new DuplicateAi({ ai, first: earlier[1], second: value, message: `(${ai}) appears twice with different values: ${earlier[1]} and ${value}` }));
    if (!earlier) unique.push([ai, value, definition]);
  }
  const key = unique.find(([, , d]) => d.digitalLinkPrimaryKey !== undefined);
  if (!key) return invalid(domain, "none of the AIs is a Digital Link primary key (00, 01, 253, 255, 401, 402, 414, 415, 417, 8003, 8004, 8006, 8010, 8013, 8017, 8018)");
  const present = new Set(unique.map(([ai]) => ai));
  const alternatives = key[2].digitalLinkPrimaryKey?.qualifiers ?? [];
  let qualifiers: ReadonlyArray<string> = [];
  for (const alternative of alternatives) {
    const here = alternative.filter((q) => present.has(q));
    if (here.length > qualifiers.length) qualifiers = here;
  }
  const inPath = new Set([key[0], ...qualifiers]);
  const valueOf = (ai: string) => unique.find(([a]) => a === ai)?.[1] ?? "";
  const path = [key[0], ...qualifiers].map((ai) => `/${ai}/${percentEncode(valueOf(ai))}`).join("");
  const query = unique
    .filter(([ai]) => !inPath.has(ai))
    .map(([ai, value]) => `${ai}=${percentEncode(value)}`)
    .join("&");
  return Result.succeed(`${domain}${path}${query === "" ? "" : `?${query}`}`);
};
