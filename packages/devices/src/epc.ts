/**
 * EPC tag data (GS1 EPC Tag Data Standard 2.x): the binary EPC of a Gen2 RFID tag's EPC bank ⇄
 * EPC tag URI ⇄ pure identity URI ⇄ GS1 keys, for SGTIN-96/198, SSCC-96, SGLN-96/195,
 * GRAI-96/170 and GIAI-96/202, and the General Identifier GID-96 (binary ⇄ URIs; it has no GS1
 * key, no filter and no partition).
 *
 * Every function is pure; expected failures are returned as `Result` failures carrying one of
 * the tagged errors below, never thrown.
 *
 * @example
 * ```ts
 * const epc = decodeEpc("3074257BF7194E4000001A85");
 * // Result.succeed({ scheme: "sgtin-96", filter: 3, gtin: "80614141123458", serial: "6789",
 * //   tagUri: "urn:epc:tag:sgtin-96:3.0614141.812345.6789", … })
 * encodeEpc("urn:epc:id:sgtin:0614141.812345.6789", { scheme: "sgtin-96", filter: 3 });
 * // Result.succeed("3074257BF7194E4000001A85")
 * ```
 *
 * @module
 */
import { Result } from "effect";
import { TaggedDecodeError } from "./decode-error.js";
import {
  POW10,
  POW2,
  bitsAreZero,
  escapeUriComponent,
  firstNonGs1Char82,
  hexToWords,
  hexWordAt,
  decimalOf,
  mod10CheckDigitOf,
  isDigits,
  mod10CheckDigit,
  padDigits,
  readBigUint,
  readSevenBit,
  readUint,
  type SevenBitProblem,
  unescapeUriComponent,
  wordsToHex,
  writeBigUint,
  writeSevenBit,
  writeUint,
} from "./epc-bits.js";
import {
  GIAI202_PARTITIONS,
  GIAI96_PARTITIONS,
  GRAI_PARTITIONS,
  SGLN_PARTITIONS,
  SGTIN_PARTITIONS,
  SSCC_PARTITIONS,
  partitionOfCompanyPrefixLength,
  type EpcPartitionTable,
} from "./epc-partition.js";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The first 8 bits of the EPC name no scheme this codec reads (or none at all, e.g. `0x00`). */
export class UnknownEpcHeader extends TaggedDecodeError("UnknownEpcHeader")<{
  /** The header value, 0–255. */
  readonly header: number;
  readonly message: string;
}> {}

/** The input is not the hex of an EPC: empty, a character that is not a hex digit, or a length that does not fit its scheme. */
export class InvalidEpcHex extends TaggedDecodeError("InvalidEpcHex")<{
  /** The hex as given. */
  readonly hex: string;
  /** `characters` (a non-hex character) or `length`. */
  readonly reason: "characters" | "length";
  readonly message: string;
}> {}

/**
 * No partition fits: the binary EPC carries the unassigned partition value 7, or the GS1 Company
 * Prefix to encode is not 6–12 digits long (the only lengths the binary encodings support).
 */
export class InvalidPartition extends TaggedDecodeError("InvalidPartition")<{
  /** The scheme being read or written, e.g. `sgtin-96`. */
  readonly scheme: string;
  /** The partition value read from the tag, when decoding. */
  readonly partition?: number;
  /** The company prefix length asked for, when encoding. */
  readonly companyPrefixLength?: number;
  readonly message: string;
}> {}

/**
 * A field holds a value that is not valid for it, whatever the scheme: a company prefix field
 * beyond its digits, a non-numeric GTIN or a wrong check digit, a serial outside GS1 character
 * set 82, a filter outside 0–7, non-zero padding bits…
 */
export class InvalidEpcValue extends TaggedDecodeError("InvalidEpcValue")<{
  /** The field at fault, e.g. `companyPrefix`, `itemReference`, `serial`, `gtin`, `filter`, `padding`. */
  readonly field: string;
  /** The value as read or given. */
  readonly value: string;
  readonly message: string;
}> {}

/** Text that is not an EPC tag URI or pure identity URI of a supported scheme. */
export class InvalidEpcUri extends TaggedDecodeError("InvalidEpcUri")<{
  /** The URI as given. */
  readonly uri: string;
  readonly message: string;
}> {}

/**
 * A valid identity that the chosen binary scheme cannot carry: a serial that is not a decimal
 * integer without leading zeros below 2^38 in SGTIN-96/GRAI-96, an identity of another kind than
 * the scheme, a GRAI without serial…
 */
export class EpcNotEncodable extends TaggedDecodeError("EpcNotEncodable")<{
  /** The scheme asked for, e.g. `sgtin-96`. */
  readonly scheme: string;
  /** The field that does not fit, e.g. `serial`. */
  readonly field: string;
  /** The value of that field. */
  readonly value: string;
  readonly message: string;
}> {}

/** Every failure of the EPC codec. */
export type EpcError =
  | UnknownEpcHeader
  | InvalidEpcHex
  | InvalidPartition
  | InvalidEpcValue
  | InvalidEpcUri
  | EpcNotEncodable;

// ---------------------------------------------------------------------------------------------
// Identities, schemes, decoded tags
// ---------------------------------------------------------------------------------------------

/** The binary EPC schemes this codec reads and writes (lower case, as in tag URIs). */
export type EpcScheme =
  | "sgtin-96"
  | "sgtin-198"
  | "sscc-96"
  | "sgln-96"
  | "sgln-195"
  | "grai-96"
  | "grai-170"
  | "giai-96"
  | "giai-202"
  | "gid-96";

/** The binary schemes of GS1 keys: every {@link EpcScheme} but `gid-96`; they carry a filter value. */
export type Gs1EpcScheme = Exclude<EpcScheme, "gid-96">;

/** Every supported binary scheme with its 8-bit header (TDS Table 14-1). */
export const EPC_SCHEME_HEADERS: Readonly<Record<EpcScheme, number>> = {
  "sgtin-96": 0x30,
  "sscc-96": 0x31,
  "sgln-96": 0x32,
  "grai-96": 0x33,
  "giai-96": 0x34,
  "sgtin-198": 0x36,
  "grai-170": 0x37,
  "giai-202": 0x38,
  "sgln-195": 0x39,
  "gid-96": 0x35,
};

/** The EPC schemes of pure identity URIs (`urn:epc:id:<kind>:…`) this codec handles. */
export type EpcIdentityKind = "sgtin" | "sscc" | "sgln" | "grai" | "giai" | "gid";

/** Serialised Global Trade Item Number: a GTIN plus a serial (AI 01 + AI 21). */
export interface SgtinIdentity {
  readonly kind: "sgtin";
  /** GS1 Company Prefix, its digits as assigned (leading zeros kept). */
  readonly companyPrefix: string;
  /** Indicator digit followed by the item reference; with the company prefix 13 digits. */
  readonly itemReference: string;
  /** Serial number (AI 21): 1–20 characters of GS1 set 82, unescaped. */
  readonly serial: string;
}

/** Serial Shipping Container Code (AI 00). */
export interface SsccIdentity {
  readonly kind: "sscc";
  /** GS1 Company Prefix. */
  readonly companyPrefix: string;
  /** Extension digit followed by the serial reference; with the company prefix 17 digits. */
  readonly serialReference: string;
}

/** Serialised Global Location Number: a GLN plus its extension (AI 414 + AI 254). */
export interface SglnIdentity {
  readonly kind: "sgln";
  /** GS1 Company Prefix. */
  readonly companyPrefix: string;
  /** Location reference; with the company prefix 12 digits (empty for a 12-digit prefix). */
  readonly locationReference: string;
  /** GLN extension (AI 254), 1–20 characters of set 82; `"0"` means no extension. */
  readonly extension: string;
}

/** Global Returnable Asset Identifier with its serial (AI 8003). */
export interface GraiIdentity {
  readonly kind: "grai";
  /** GS1 Company Prefix. */
  readonly companyPrefix: string;
  /** Asset type; with the company prefix 12 digits (empty for a 12-digit prefix). */
  readonly assetType: string;
  /** Serial of the asset, 1–16 characters of set 82 (an EPC GRAI always has one). */
  readonly serial: string;
}

/** Global Individual Asset Identifier (AI 8004). */
export interface GiaiIdentity {
  readonly kind: "giai";
  /** GS1 Company Prefix. */
  readonly companyPrefix: string;
  /** Individual asset reference: characters of set 82, at most 30 with the company prefix. */
  readonly individualAssetReference: string;
}

/**
 * General Identifier (TDS §6.3.9), independent of any GS1 key: a General Manager Number assigned
 * to an organisation, an object class it assigns, and a serial. Each is a decimal integer without
 * leading zeros, within the ranges of GID-96, the scheme's only binary encoding.
 */
export interface GidIdentity {
  readonly kind: "gid";
  /** General Manager Number, below 2^28 (268435456). */
  readonly generalManagerNumber: string;
  /** Object class, below 2^24 (16777216). */
  readonly objectClass: string;
  /** Serial number, below 2^36 (68719476736). */
  readonly serial: string;
}

/** The identities named by GS1 keys: every {@link EpcIdentity} but the GID. */
export type Gs1EpcIdentity = SgtinIdentity | SsccIdentity | SglnIdentity | GraiIdentity | GiaiIdentity;

/** A pure identity: what `urn:epc:id:…` names, independent of any tag encoding. */
export type EpcIdentity = Gs1EpcIdentity | GidIdentity;

/** What every decoded tag of a GS1 key carries besides its identity. */
export interface EpcTagFields {
  /** The binary scheme read from the header. */
  readonly scheme: Gs1EpcScheme;
  /** Filter value 0–7 (e.g. SGTIN: 1 point-of-sale item, 2 full case, 6 unit load). */
  readonly filter: number;
  /** EPC tag URI, e.g. `urn:epc:tag:sgtin-96:3.0614141.812345.6789`. */
  readonly tagUri: string;
  /** Pure identity URI, e.g. `urn:epc:id:sgtin:0614141.812345.6789`. */
  readonly pureIdentityUri: string;
  /** GS1 element string in human-readable form, e.g. `(01)80614141123458(21)6789`. */
  readonly elementString: string;
}

/** A decoded SGTIN-96/198 tag. */
export interface SgtinDecoded extends SgtinIdentity, EpcTagFields {
  readonly scheme: "sgtin-96" | "sgtin-198";
  /** GTIN-14 with its check digit. */
  readonly gtin: string;
}

/** A decoded SSCC-96 tag. */
export interface SsccDecoded extends SsccIdentity, EpcTagFields {
  readonly scheme: "sscc-96";
  /** SSCC, 18 digits with its check digit. */
  readonly sscc: string;
}

/** A decoded SGLN-96/195 tag. */
export interface SglnDecoded extends SglnIdentity, EpcTagFields {
  readonly scheme: "sgln-96" | "sgln-195";
  /** GLN, 13 digits with its check digit. */
  readonly gln: string;
}

/** A decoded GRAI-96/170 tag. */
export interface GraiDecoded extends GraiIdentity, EpcTagFields {
  readonly scheme: "grai-96" | "grai-170";
  /** The value of AI 8003: `0`, the 13-digit GRAI with check digit, then the serial. */
  readonly grai: string;
}

/** A decoded GIAI-96/202 tag. */
export interface GiaiDecoded extends GiaiIdentity, EpcTagFields {
  readonly scheme: "giai-96" | "giai-202";
  /** The value of AI 8004: company prefix followed by the individual asset reference. */
  readonly giai: string;
}

/**
 * A decoded GID-96 tag (TDS §14.6.10): header `0x35`, then the General Manager Number (28 bits),
 * the object class (24 bits) and the serial (36 bits). No filter, no GS1 key, no element string.
 */
export interface GidDecoded extends GidIdentity {
  readonly scheme: "gid-96";
  /** EPC tag URI, e.g. `urn:epc:tag:gid-96:31415.271828.1414`. */
  readonly tagUri: string;
  /** Pure identity URI, e.g. `urn:epc:id:gid:31415.271828.1414`. */
  readonly pureIdentityUri: string;
}

/**
 * A decoded EPC: its identity, scheme, URIs, and for the GS1 schemes its filter, GS1 keys and
 * element string. Discriminate on `kind` or `scheme`.
 */
export type EpcDecoded = SgtinDecoded | SsccDecoded | SglnDecoded | GraiDecoded | GiaiDecoded | GidDecoded;

/** An EPC tag URI of a GS1 key read into its parts, e.g. `urn:epc:tag:sgtin-96:3.0614141.812345.6789`. */
export interface Gs1EpcTagUri {
  readonly form: "tag";
  readonly scheme: Gs1EpcScheme;
  /** Filter value 0–7. */
  readonly filter: number;
  readonly identity: Gs1EpcIdentity;
}

/** A GID-96 tag URI read into its parts, e.g. `urn:epc:tag:gid-96:31415.271828.1414` (no filter). */
export interface GidTagUri {
  readonly form: "tag";
  readonly scheme: "gid-96";
  readonly identity: GidIdentity;
}

/** An EPC tag URI read into its parts. */
export type EpcTagUri = Gs1EpcTagUri | GidTagUri;

/** An EPC pure identity URI read into its parts. */
export interface EpcPureIdentityUri {
  readonly form: "pure-identity";
  readonly identity: EpcIdentity;
}

/** Either kind of EPC URI, read into its parts. */
export type EpcUri = EpcTagUri | EpcPureIdentityUri;

/** The two forms of EPC URI. */
export type EpcUriForm = EpcUri["form"];

/**
 * GS1 keys as they appear in element strings, with the length of the GS1 Company Prefix they
 * start with (a key does not say where its company prefix ends).
 */
export type EpcGs1Keys =
  | { readonly gtin: string; readonly serial: string; readonly companyPrefixLength: number }
  | { readonly sscc: string; readonly companyPrefixLength: number }
  | { readonly gln: string; readonly extension?: string; readonly companyPrefixLength: number }
  | { readonly grai: string; readonly companyPrefixLength: number }
  | { readonly giai: string; readonly companyPrefixLength: number };

/** The binary scheme and filter value to write. */
export interface EpcEncodeOptions {
  readonly scheme: EpcScheme;
  /** Filter value 0–7; `gid-96` has no filter bits and takes only 0. */
  readonly filter: number;
}

// ---------------------------------------------------------------------------------------------
// Scheme table
// ---------------------------------------------------------------------------------------------

/** The identity kinds of GS1 keys. */
type Gs1Kind = Exclude<EpcIdentityKind, "gid">;

interface SchemeSpec {
  readonly scheme: Gs1EpcScheme;
  readonly header: number;
  readonly kind: Gs1Kind;
  /** Length of the EPC in bits. */
  readonly bits: number;
  /** Hex digits written: the EPC padded with zeros to whole 16-bit words, as in the EPC bank. */
  readonly hexLength: number;
  /** Fewest hex digits that hold the EPC. */
  readonly minHexLength: number;
  readonly partitions: EpcPartitionTable;
  /** The field after the reference: an integer, a 7-bit string, or none (SSCC, GIAI). */
  readonly tail: "integer" | "string" | "none";
  /** Bits of the tail field. */
  readonly tailBits: number;
  /** Most characters of a string tail. */
  readonly tailChars: number;
}

const spec = (
  scheme: Gs1EpcScheme,
  kind: Gs1Kind,
  bits: number,
  partitions: EpcPartitionTable,
  tail: SchemeSpec["tail"],
  tailBits = 0,
  tailChars = 0,
): SchemeSpec => ({
  scheme,
  header: EPC_SCHEME_HEADERS[scheme],
  kind,
  bits,
  hexLength: Math.ceil(bits / 16) * 4,
  minHexLength: Math.ceil(bits / 4),
  partitions,
  tail,
  tailBits,
  tailChars,
});

const SPECS: readonly SchemeSpec[] = [
  spec("sgtin-96", "sgtin", 96, SGTIN_PARTITIONS, "integer", 38),
  spec("sgtin-198", "sgtin", 198, SGTIN_PARTITIONS, "string", 140, 20),
  spec("sscc-96", "sscc", 96, SSCC_PARTITIONS, "none", 24),
  spec("sgln-96", "sgln", 96, SGLN_PARTITIONS, "integer", 41),
  spec("sgln-195", "sgln", 195, SGLN_PARTITIONS, "string", 140, 20),
  spec("grai-96", "grai", 96, GRAI_PARTITIONS, "integer", 38),
  spec("grai-170", "grai", 170, GRAI_PARTITIONS, "string", 112, 16),
  spec("giai-96", "giai", 96, GIAI96_PARTITIONS, "none"),
  spec("giai-202", "giai", 202, GIAI202_PARTITIONS, "none"),
];

/** The header of GID-96, the one scheme without filter or partition. */
const GID96_HEADER = 0x35;

const SPEC_BY_HEADER: readonly (SchemeSpec | undefined)[] = (() => {
  const byHeader = new Array<SchemeSpec | undefined>(256).fill(undefined);
  for (const s of SPECS) byHeader[s.header] = s;
  return byHeader;
})();

const SPEC_BY_SCHEME: ReadonlyMap<string, SchemeSpec> = new Map(SPECS.map((s) => [s.scheme, s]));

/** Names of headers of the TDS that this codec does not read, for error messages. */
const OTHER_HEADERS: ReadonlyMap<number, string> = new Map([
  [0x00, "unprogrammed tag"],
  [0x2c, "GDTI-96"],
  [0x2d, "GSRN-96"],
  [0x2e, "GSRNP-96"],
  [0x2f, "USDOD-96"],
  [0x3a, "GDTI-113"],
  [0x3b, "ADI-var"],
  [0x3c, "CPI-96"],
  [0x3d, "CPI-var"],
  [0x3e, "GDTI-174"],
  [0x3f, "SGCN-96"],
  [0x40, "ITIP-110"],
  [0x41, "ITIP-212"],
]);

/** Names of the field after the company prefix, by kind. */
const REFERENCE_FIELD: Readonly<Record<Gs1Kind, string>> = {
  sgtin: "itemReference",
  sscc: "serialReference",
  sgln: "locationReference",
  grai: "assetType",
  giai: "individualAssetReference",
};

/** Names of the alphanumeric (or integer) last field, by kind. */
const TAIL_FIELD: Readonly<Record<Gs1Kind, string>> = {
  sgtin: "serial",
  sscc: "serialReference",
  sgln: "extension",
  grai: "serial",
  giai: "individualAssetReference",
};

/** Total digits of company prefix + reference, by kind (GIAI: most characters of the whole). */
const KEY_DIGITS: Readonly<Record<Gs1Kind, number>> = { sgtin: 13, sscc: 17, sgln: 12, grai: 12, giai: 30 };

/** Most characters of the alphanumeric last field by GS1 rules (AI 21, AI 254, AI 8003 serial). */
const TAIL_MAX: Readonly<Record<Gs1Kind, number>> = { sgtin: 20, sscc: 0, sgln: 20, grai: 16, giai: 30 };

// ---------------------------------------------------------------------------------------------
// Describing an identity: URIs, GS1 keys, element string
// ---------------------------------------------------------------------------------------------

const ID_PREFIX = "urn:epc:id:";
const TAG_PREFIX = "urn:epc:tag:";

const withCheckDigit = (digits: string): string => digits + mod10CheckDigit(digits);

/** The body of a URI after `urn:epc:id:<kind>:` (or after the filter of a tag URI). */
const uriBody = (identity: EpcIdentity): string => {
  switch (identity.kind) {
    case "sgtin":
      return `${identity.companyPrefix}.${identity.itemReference}.${escapeUriComponent(identity.serial)}`;
    case "sscc":
      return `${identity.companyPrefix}.${identity.serialReference}`;
    case "sgln":
      return `${identity.companyPrefix}.${identity.locationReference}.${escapeUriComponent(identity.extension)}`;
    case "grai":
      return `${identity.companyPrefix}.${identity.assetType}.${escapeUriComponent(identity.serial)}`;
    case "giai":
      return `${identity.companyPrefix}.${escapeUriComponent(identity.individualAssetReference)}`;
    case "gid":
      return `${identity.generalManagerNumber}.${identity.objectClass}.${identity.serial}`;
  }
};

/**
 * Everything a tag says besides its identity. The objects are written out field by field: an
 * object spread here costs V8 a hundred times more (dictionary-mode objects), and this is the
 * hot path of {@link decodeEpc}.
 */
const describe = (identity: Gs1EpcIdentity, scheme: Gs1EpcScheme, filter: number): EpcDecoded => {
  const body = uriBody(identity);
  const tagUri = `${TAG_PREFIX}${scheme}:${filter}.${body}`;
  const pureIdentityUri = `${ID_PREFIX}${identity.kind}:${body}`;
  const companyPrefix = identity.companyPrefix;
  switch (identity.kind) {
    case "sgtin": {
      const itemReference = identity.itemReference;
      const serial = identity.serial;
      const gtin = withCheckDigit(itemReference.charAt(0) + companyPrefix + itemReference.slice(1));
      const elementString = `(01)${gtin}(21)${serial}`;
      return {
        kind: "sgtin",
        companyPrefix,
        itemReference,
        serial,
        scheme: scheme as SgtinDecoded["scheme"],
        filter,
        tagUri,
        pureIdentityUri,
        elementString,
        gtin,
      };
    }
    case "sscc": {
      const serialReference = identity.serialReference;
      const sscc = withCheckDigit(serialReference.charAt(0) + companyPrefix + serialReference.slice(1));
      return {
        kind: "sscc",
        companyPrefix,
        serialReference,
        scheme: "sscc-96",
        filter,
        tagUri,
        pureIdentityUri,
        elementString: `(00)${sscc}`,
        sscc,
      };
    }
    case "sgln": {
      const locationReference = identity.locationReference;
      const extension = identity.extension;
      const gln = withCheckDigit(companyPrefix + locationReference);
      return {
        kind: "sgln",
        companyPrefix,
        locationReference,
        extension,
        scheme: scheme as SglnDecoded["scheme"],
        filter,
        tagUri,
        pureIdentityUri,
        elementString: extension === "0" ? `(414)${gln}` : `(414)${gln}(254)${extension}`,
        gln,
      };
    }
    case "grai": {
      const assetType = identity.assetType;
      const serial = identity.serial;
      const grai = `0${withCheckDigit(companyPrefix + assetType)}${serial}`;
      return {
        kind: "grai",
        companyPrefix,
        assetType,
        serial,
        scheme: scheme as GraiDecoded["scheme"],
        filter,
        tagUri,
        pureIdentityUri,
        elementString: `(8003)${grai}`,
        grai,
      };
    }
    case "giai": {
      const individualAssetReference = identity.individualAssetReference;
      const giai = companyPrefix + individualAssetReference;
      return {
        kind: "giai",
        companyPrefix,
        individualAssetReference,
        scheme: scheme as GiaiDecoded["scheme"],
        filter,
        tagUri,
        pureIdentityUri,
        elementString: `(8004)${giai}`,
        giai,
      };
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

const invalidValue = (field: string, value: string, message: string): Result.Result<never, EpcError> =>
  Result.fail(new InvalidEpcValue({ field, value, message: `${field}: ${message}` }));

const buildIdentity = (kind: Gs1Kind, companyPrefix: string, reference: string, tail: string): Gs1EpcIdentity => {
  switch (kind) {
    case "sgtin":
      return { kind, companyPrefix, itemReference: reference, serial: tail };
    case "sscc":
      return { kind, companyPrefix, serialReference: reference };
    case "sgln":
      return { kind, companyPrefix, locationReference: reference, extension: tail };
    case "grai":
      return { kind, companyPrefix, assetType: reference, serial: tail };
    case "giai":
      return { kind, companyPrefix, individualAssetReference: reference };
  }
};

/**
 * Decodes the EPC of a tag's EPC bank, given as hex (either case, no separators; the EPC itself,
 * padded to whole 16-bit words or not), into its scheme, filter, identity, tag URI, pure identity
 * URI, GS1 keys and element string.
 *
 * Refuses, as a `Result` failure: non-hex input or a length that does not fit the scheme
 * (`InvalidEpcHex`), a header of no supported scheme (`UnknownEpcHeader`), partition 7
 * (`InvalidPartition`), and fields the standard does not allow (`InvalidEpcValue`: a company
 * prefix or reference beyond its digits, a 7-bit character outside set 82, an empty string,
 * non-zero bits after a string's end, in SSCC-96's unallocated bits or in the padding).
 *
 * @example
 * ```ts
 * decodeEpc("3174257BF4499602D2000000");
 * // success: { scheme: "sscc-96", filter: 3, sscc: "106141412345678908",
 * //            tagUri: "urn:epc:tag:sscc-96:3.0614141.1234567890", … }
 * ```
 */
export const decodeEpc = (hex: string): Result.Result<EpcDecoded, EpcError> => {
  if (typeof hex === "string" && hex.length === 24) {
    const fast = decodeSgtin96(hex);
    if (fast !== undefined) return fast;
  }
  return decodeAnyEpc(hex);
};

/** One SGTIN-96 partition row with the constants of the hot path precomputed. */
interface Sgtin96Row {
  /** 2^(item reference bits): splits company prefix and item reference. */
  readonly itemScale: number;
  /** 10^(company prefix digits): the first company prefix value that is not legal. */
  readonly companyPrefixLimit: number;
  /** 10^(item reference digits − 1): splits the indicator digit from the rest. */
  readonly indicatorScale: number;
  readonly companyPrefixDigits: number;
  /** Digits of the item reference, its indicator digit included. */
  readonly referenceDigits: number;
  /** Digits of the item reference after its indicator digit. */
  readonly restDigits: number;
}

const SGTIN96_ROWS: readonly Sgtin96Row[] = SGTIN_PARTITIONS.map((row) => ({
  itemScale: 2 ** row.referenceBits,
  companyPrefixLimit: 10 ** row.companyPrefixDigits,
  indicatorScale: 10 ** (row.referenceDigits - 1),
  companyPrefixDigits: row.companyPrefixDigits,
  referenceDigits: row.referenceDigits,
  restDigits: row.referenceDigits - 1,
}));

/** `urn:epc:tag:sgtin-96:<filter>.` by filter value. */
const SGTIN96_TAG_PREFIX: readonly string[] = Array.from({ length: 8 }, (_, filter) => `${TAG_PREFIX}sgtin-96:${filter}.`);

/** The digit characters "0"–"9" by value. */
const DIGIT: readonly string[] = Array.from({ length: 10 }, (_, d) => String(d));

/**
 * The hot path of {@link decodeEpc}: 24 hex digits of an SGTIN-96, read with `number` arithmetic
 * on three 32-bit words (company prefix + item reference are 44 bits, the serial 38: both exact
 * in a double), every constant from a table, each digit string built once and shared by the URIs,
 * the GTIN and the element string. Its refusals (partition 7, a company prefix or item reference
 * beyond its digits) are those of the general path, word for word. `undefined` for anything else
 * (another header, a character that is not a hex digit), which the general path then decodes or
 * refuses.
 */
const decodeSgtin96 = (hex: string): Result.Result<EpcDecoded, EpcError> | undefined => {
  const w0 = hexWordAt(hex, 0);
  if (w0 < 0x30000000 || w0 >= 0x31000000) return undefined;
  const w1 = hexWordAt(hex, 8);
  const w2 = hexWordAt(hex, 16);
  if (w1 < 0 || w2 < 0) return undefined;
  const partition = (w0 >>> 18) & 7;
  const row = SGTIN96_ROWS[partition];
  if (row === undefined)
    return Result.fail(new InvalidPartition({ scheme: "sgtin-96", partition, message: `sgtin-96: partition value ${partition} is not assigned` }));
  const cpAndItem = (w0 & 0x3ffff) * 0x4000000 + (w1 >>> 6);
  const cpValue = Math.floor(cpAndItem / row.itemScale);
  const itemValue = cpAndItem - cpValue * row.itemScale;
  const indicatorScale = row.indicatorScale;
  if (cpValue >= row.companyPrefixLimit)
    return invalidValue("companyPrefix", String(cpValue), `${cpValue} has more than ${row.companyPrefixDigits} digits`);
  if (itemValue >= indicatorScale * 10)
    return invalidValue("itemReference", String(itemValue), `${itemValue} has more than ${row.referenceDigits} digits`);
  const filter = (w0 >>> 21) & 7;
  const indicator = Math.floor(itemValue / indicatorScale);
  const rest = itemValue - indicator * indicatorScale;
  const companyPrefix = padDigits(cpValue, row.companyPrefixDigits);
  const indicatorText = DIGIT[indicator] ?? "";
  const restText = padDigits(rest, row.restDigits);
  const itemReference = indicatorText + restText;
  const serial = decimalOf((w1 & 0x3f) * 0x100000000 + w2);
  const body = companyPrefix + "." + itemReference + "." + serial;
  // GTIN-13 body as a number: indicator digit, company prefix, item reference without indicator.
  const gtinCheck = mod10CheckDigitOf(indicator * 1e12 + cpValue * indicatorScale + rest);
  const gtin = indicatorText + companyPrefix + restText + (DIGIT[gtinCheck] ?? "");
  const decoded: SgtinDecoded = {
    kind: "sgtin",
    companyPrefix,
    itemReference,
    serial,
    scheme: "sgtin-96",
    filter,
    tagUri: (SGTIN96_TAG_PREFIX[filter] ?? "") + body,
    pureIdentityUri: "urn:epc:id:sgtin:" + body,
    elementString: "(01)" + gtin + "(21)" + serial,
    gtin,
  };
  return Result.succeed(decoded);
};

/** {@link decodeEpc} for every scheme, with every check and error. */
const decodeAnyEpc = (hex: string): Result.Result<EpcDecoded, EpcError> => {
  if (typeof hex !== "string" || hex.length < 2)
    return Result.fail(
      new InvalidEpcHex({ hex: String(hex), reason: "length", message: "an EPC needs at least its 8-bit header (2 hex digits)" }),
    );
  const words = hexToWords(hex);
  if (typeof words === "number")
    return Result.fail(
      new InvalidEpcHex({ hex, reason: "characters", message: `character ${-words - 1} of the EPC is not a hex digit` }),
    );
  const first = words[0] ?? 0;
  const header = first >>> 24;
  if (header === GID96_HEADER) return decodeGid96(hex, words);
  const s = SPEC_BY_HEADER[header];
  if (s === undefined) {
    const known = OTHER_HEADERS.get(header);
    const hh = header.toString(16).toUpperCase().padStart(2, "0");
    return Result.fail(
      new UnknownEpcHeader({
        header,
        message: known ? `header 0x${hh} (${known}) is not supported` : `header 0x${hh} names no EPC scheme`,
      }),
    );
  }
  if (hex.length < s.minHexLength || hex.length > s.hexLength)
    return Result.fail(
      new InvalidEpcHex({
        hex,
        reason: "length",
        message: `${s.scheme} is ${s.bits} bits: ${s.minHexLength}${s.minHexLength === s.hexLength ? "" : `–${s.hexLength}`} hex digits, not ${hex.length}`,
      }),
    );
  if (hex.length * 4 > s.bits && !bitsAreZero(words, s.bits, hex.length * 4))
    return invalidValue("padding", hex.slice(Math.floor(s.bits / 4)), "the bits after the EPC must be zero");
  const filter = (first >>> 21) & 7;
  const partition = (first >>> 18) & 7;
  const row = s.partitions[partition];
  if (row === undefined)
    return Result.fail(
      new InvalidPartition({ scheme: s.scheme, partition, message: `${s.scheme}: partition value ${partition} is not assigned` }),
    );

  let at = 14;
  const cpValue = readUint(words, at, row.companyPrefixBits);
  at += row.companyPrefixBits;
  if (cpValue >= (POW10[row.companyPrefixDigits] ?? Infinity))
    return invalidValue("companyPrefix", String(cpValue), `${cpValue} has more than ${row.companyPrefixDigits} digits`);
  const companyPrefix = padDigits(cpValue, row.companyPrefixDigits);

  if (s.kind === "giai") {
    let reference: string;
    if (s.scheme === "giai-96") {
      reference =
        row.referenceBits <= 53 ? decimalOf(readUint(words, at, row.referenceBits)) : String(readBigUint(words, at, row.referenceBits));
    } else {
      const read = readSevenBit(words, at, row.referenceBits, row.referenceDigits);
      if (typeof read !== "string")
        return invalidValue("individualAssetReference", "", sevenBitMessage(read, row.referenceDigits));
      reference = read;
    }
    return Result.succeed(describe({ kind: "giai", companyPrefix, individualAssetReference: reference }, s.scheme, filter));
  }

  const refValue = readUint(words, at, row.referenceBits);
  at += row.referenceBits;
  if (refValue >= (POW10[row.referenceDigits] ?? Infinity))
    return invalidValue(
      REFERENCE_FIELD[s.kind],
      String(refValue),
      row.referenceDigits === 0 ? "must be 0 for a 12-digit company prefix" : `${refValue} has more than ${row.referenceDigits} digits`,
    );
  const reference = padDigits(refValue, row.referenceDigits);

  let tail = "";
  if (s.tail === "integer") {
    tail = decimalOf(readUint(words, at, s.tailBits));
  } else if (s.tail === "string") {
    const read = readSevenBit(words, at, s.tailBits, s.tailChars);
    if (typeof read !== "string") return invalidValue(TAIL_FIELD[s.kind], "", sevenBitMessage(read, s.tailChars));
    tail = read;
  } else if (!bitsAreZero(words, at, s.bits)) {
    return invalidValue("unallocated", String(readUint(words, at, s.bits - at)), "the 24 unallocated bits of SSCC-96 must be zero");
  }
  return Result.succeed(describe(buildIdentity(s.kind, companyPrefix, reference, tail), s.scheme, filter));
};

/** GID-96 (TDS §14.6.10): every 96-bit value with its header decodes; the URIs are decimal. */
const decodeGid96 = (hex: string, words: readonly number[]): Result.Result<EpcDecoded, EpcError> => {
  if (hex.length !== 24)
    return Result.fail(new InvalidEpcHex({ hex, reason: "length", message: `gid-96 is 96 bits: 24 hex digits, not ${hex.length}` }));
  const generalManagerNumber = decimalOf(readUint(words, 8, 28));
  const objectClass = decimalOf(readUint(words, 36, 24));
  const serial = decimalOf(readUint(words, 60, 36));
  const body = generalManagerNumber + "." + objectClass + "." + serial;
  const decoded: GidDecoded = {
    kind: "gid",
    generalManagerNumber,
    objectClass,
    serial,
    scheme: "gid-96",
    tagUri: TAG_PREFIX + "gid-96:" + body,
    pureIdentityUri: ID_PREFIX + "gid:" + body,
  };
  return Result.succeed(decoded);
};

const sevenBitMessage = ({ problem }: SevenBitProblem, maxChars: number): string =>
  problem === "character"
    ? "a 7-bit character outside GS1 set 82"
    : problem === "padding"
      ? "non-zero bits after the end of the string"
      : problem === "length"
        ? `more than ${maxChars} characters`
        : "empty";

/**
 * Decodes an EPC given as hex (see {@link decodeEpc}) and returns its tag URI (the default) or
 * its pure identity URI.
 */
export const epcToUri = (hex: string, form: EpcUriForm = "tag"): Result.Result<string, EpcError> => {
  const decoded = decodeEpc(hex);
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure);
  return Result.succeed(form === "tag" ? decoded.success.tagUri : decoded.success.pureIdentityUri);
};

// ---------------------------------------------------------------------------------------------
// Checking identities
// ---------------------------------------------------------------------------------------------

/** Where an identity came from, to word its errors: a URI (then `InvalidEpcUri`) or fields. */
type Source = { readonly uri: string } | undefined;

const refuse = (source: Source, field: string, value: string, message: string): EpcError =>
  source
    ? new InvalidEpcUri({ uri: source.uri, message: `${field}: ${message}` })
    : new InvalidEpcValue({ field, value, message: `${field}: ${message}` });

const checkAlphanumeric = (source: Source, field: string, value: unknown, max: number): EpcError | undefined => {
  if (typeof value !== "string" || value.length === 0) return refuse(source, field, String(value), "must not be empty");
  const bad = firstNonGs1Char82(value);
  if (bad >= 0) return refuse(source, field, value, `character ${JSON.stringify(value.charAt(bad))} is not in GS1 set 82`);
  if (value.length > max) return refuse(source, field, value, `more than ${max} characters`);
  return undefined;
};

/** The fields of a GID with their widths in GID-96 (TDS §14.6.10). */
const GID_FIELDS = [
  ["generalManagerNumber", 28],
  ["objectClass", 24],
  ["serial", 36],
] as const;

/** Checks a GID: three decimal integers without leading zeros, each within its GID-96 field. */
const checkGid = (identity: GidIdentity, source: Source): EpcError | undefined => {
  for (const [field, bits] of GID_FIELDS) {
    const value: unknown = identity[field];
    const limit = POW2[bits] ?? 0;
    if (typeof value !== "string" || !isCanonicalInteger(value, 11) || Number(value) >= limit)
      return refuse(source, field, String(value), `must be a decimal integer without leading zeros below 2^${bits} (${limit})`);
  }
  return undefined;
};

/** Checks an identity against the rules of its GS1 key (or of the GID), whatever the scheme. */
const checkIdentity = (identity: EpcIdentity, source: Source): EpcError | undefined => {
  if (identity.kind === "gid") return checkGid(identity, source);
  const kind = identity.kind;
  const cp: unknown = identity.companyPrefix;
  if (typeof cp !== "string" || !isDigits(cp) || cp.length > 12)
    return refuse(source, "companyPrefix", String(cp), "must be 1–12 digits");
  if (kind === "giai") {
    return checkAlphanumeric(source, "individualAssetReference", identity.individualAssetReference, KEY_DIGITS.giai - cp.length);
  }
  const reference: unknown =
    kind === "sgtin"
      ? identity.itemReference
      : kind === "sscc"
        ? identity.serialReference
        : kind === "sgln"
          ? identity.locationReference
          : identity.assetType;
  const field = REFERENCE_FIELD[kind];
  const mayBeEmpty = kind === "sgln" || kind === "grai";
  if (typeof reference !== "string" || !(isDigits(reference) || (mayBeEmpty && reference === "")))
    return refuse(source, field, String(reference), mayBeEmpty ? "must be digits (or empty)" : "must be digits");
  if (cp.length + reference.length !== KEY_DIGITS[kind])
    return refuse(
      source,
      field,
      reference,
      `company prefix and ${field} must have ${KEY_DIGITS[kind]} digits together, not ${cp.length + reference.length}`,
    );
  if (kind === "sgtin") return checkAlphanumeric(source, "serial", identity.serial, TAIL_MAX.sgtin);
  if (kind === "sgln") return checkAlphanumeric(source, "extension", identity.extension, TAIL_MAX.sgln);
  if (kind === "grai") return checkAlphanumeric(source, "serial", identity.serial, TAIL_MAX.grai);
  return undefined;
};

/** A decimal integer without leading zeros, at most `maxDigits` digits. */
const isCanonicalInteger = (text: string, maxDigits: number): boolean =>
  text.length <= maxDigits && isDigits(text) && (text.length === 1 || text.charCodeAt(0) !== 48);

const notEncodable = (s: SchemeSpec, field: string, value: string, message: string): EpcError =>
  new EpcNotEncodable({ scheme: s.scheme, field, value, message: `${s.scheme} cannot carry ${field} ${JSON.stringify(value)}: ${message}` });

/** The last field of an identity (serial, extension, individual asset reference). */
const tailOf = (identity: EpcIdentity): string =>
  identity.kind === "sgtin" || identity.kind === "grai"
    ? identity.serial
    : identity.kind === "sgln"
      ? identity.extension
      : identity.kind === "giai"
        ? identity.individualAssetReference
        : "";

/** Checks that a (valid) identity fits a binary scheme, and writes it. */
const writeEpc = (identity: EpcIdentity, s: SchemeSpec, filter: number): Result.Result<string, EpcError> => {
  if (identity.kind === "gid" || identity.kind !== s.kind)
    return Result.fail(
      new EpcNotEncodable({
        scheme: s.scheme,
        field: "scheme",
        value: identity.kind,
        message: `${s.scheme} cannot carry an ${identity.kind.toUpperCase()}`,
      }),
    );
  const cp = identity.companyPrefix;
  const partition = partitionOfCompanyPrefixLength(cp.length);
  const row = partition === undefined ? undefined : s.partitions[partition];
  if (row === undefined)
    return Result.fail(
      new InvalidPartition({
        scheme: s.scheme,
        companyPrefixLength: cp.length,
        message: `${s.scheme}: a ${cp.length}-digit company prefix has no partition (6–12 digits)`,
      }),
    );
  const tail = tailOf(identity);
  let bigTail: bigint | undefined;
  if (s.kind === "giai") {
    if (s.scheme === "giai-96") {
      if (!isCanonicalInteger(tail, row.referenceDigits))
        return Result.fail(
          notEncodable(s, "individualAssetReference", tail, `must be a decimal integer without leading zeros of at most ${row.referenceDigits} digits`),
        );
      bigTail = BigInt(tail);
      if (bigTail >= 1n << BigInt(row.referenceBits))
        return Result.fail(notEncodable(s, "individualAssetReference", tail, `must be below 2^${row.referenceBits}`));
    } else if (tail.length > row.referenceDigits) {
      return Result.fail(notEncodable(s, "individualAssetReference", tail, `more than ${row.referenceDigits} characters`));
    }
  } else if (s.tail === "integer") {
    const max = 2 ** s.tailBits;
    if (!isCanonicalInteger(tail, 16) || Number(tail) >= max)
      return Result.fail(
        notEncodable(s, TAIL_FIELD[s.kind], tail, `must be a decimal integer without leading zeros below 2^${s.tailBits} (${max})`),
      );
  } else if (s.tail === "string" && tail.length > s.tailChars) {
    return Result.fail(notEncodable(s, TAIL_FIELD[s.kind], tail, `more than ${s.tailChars} characters`));
  }

  const words = new Array<number>(Math.ceil(s.hexLength / 8)).fill(0);
  writeUint(words, 0, 8, s.header);
  writeUint(words, 8, 3, filter);
  writeUint(words, 11, 3, row.partition);
  let at = 14;
  writeUint(words, at, row.companyPrefixBits, Number(cp));
  at += row.companyPrefixBits;
  if (identity.kind === "giai") {
    if (bigTail !== undefined) writeBigUint(words, at, row.referenceBits, bigTail);
    else writeSevenBit(words, at, tail);
    return Result.succeed(wordsToHex(words, s.hexLength));
  }
  const reference =
    identity.kind === "sgtin"
      ? identity.itemReference
      : identity.kind === "sscc"
        ? identity.serialReference
        : identity.kind === "sgln"
          ? identity.locationReference
          : identity.assetType;
  writeUint(words, at, row.referenceBits, reference === "" ? 0 : Number(reference));
  at += row.referenceBits;
  if (s.tail === "integer") writeUint(words, at, s.tailBits, Number(tail));
  else if (s.tail === "string") writeSevenBit(words, at, tail);
  return Result.succeed(wordsToHex(words, s.hexLength));
};

/** Writes a (valid) GID as GID-96: header `0x35`, manager (28 bits), class (24), serial (36). */
const writeGid96 = (identity: EpcIdentity): Result.Result<string, EpcError> => {
  if (identity.kind !== "gid")
    return Result.fail(
      new EpcNotEncodable({ scheme: "gid-96", field: "scheme", value: identity.kind, message: `gid-96 cannot carry an ${identity.kind.toUpperCase()}` }),
    );
  const words = [0, 0, 0];
  writeUint(words, 0, 8, GID96_HEADER);
  writeUint(words, 8, 28, Number(identity.generalManagerNumber));
  writeUint(words, 36, 24, Number(identity.objectClass));
  writeUint(words, 60, 36, Number(identity.serial));
  return Result.succeed(wordsToHex(words, 24));
};

/** The result of {@link writeEpc} without the hex: whether a valid identity fits a scheme. */
const checkEncodable = (identity: EpcIdentity, s: SchemeSpec): EpcError | undefined => {
  const written = writeEpc(identity, s, 0);
  return Result.isFailure(written) ? written.failure : undefined;
};

// ---------------------------------------------------------------------------------------------
// URIs
// ---------------------------------------------------------------------------------------------

const IDENTITY_KINDS: ReadonlySet<string> = new Set<EpcIdentityKind>(["sgtin", "sscc", "sgln", "grai", "giai", "gid"]);

/** Splits the body of a URI into `count` dot-terminated numeric parts and the rest. */
const splitBody = (body: string, count: number): string[] | undefined => {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < count; i++) {
    const dot = body.indexOf(".", from);
    if (dot < 0) return undefined;
    parts.push(body.slice(from, dot));
    from = dot + 1;
  }
  parts.push(body.slice(from));
  return parts;
};

const parseBody = (kind: EpcIdentityKind, body: string, uri: string): Result.Result<EpcIdentity, EpcError> =>
  kind === "gid" ? parseGidBody(body, uri) : parseGs1Body(kind, body, uri);

/** The body of a GID URI: `M.C.S`, three decimal integers. */
const parseGidBody = (body: string, uri: string): Result.Result<GidIdentity, EpcError> => {
  const parts = splitBody(body, 2);
  if (parts === undefined) return Result.fail(new InvalidEpcUri({ uri, message: "a gid URI has 3 dot-separated components" }));
  const [generalManagerNumber = "", objectClass = "", serial = ""] = parts;
  const identity: GidIdentity = { kind: "gid", generalManagerNumber, objectClass, serial };
  const problem = checkGid(identity, { uri });
  return problem ? Result.fail(problem) : Result.succeed(identity);
};

const parseGs1Body = (kind: Gs1Kind, body: string, uri: string): Result.Result<Gs1EpcIdentity, EpcError> => {
  const numericParts = kind === "sscc" || kind === "giai" ? 1 : 2;
  const parts = splitBody(body, numericParts);
  const bad = (message: string) => Result.fail(new InvalidEpcUri({ uri, message }));
  if (parts === undefined) return bad(`a ${kind} URI has ${numericParts + 1} dot-separated components`);
  const [companyPrefix = "", second = "", third = ""] = parts;
  let identity: Gs1EpcIdentity;
  if (kind === "sscc") {
    identity = { kind, companyPrefix, serialReference: second };
  } else if (kind === "giai") {
    const reference = unescapeUriComponent(second);
    if (reference === undefined) return bad("individualAssetReference: characters outside GS1 set 82 or a malformed %-escape");
    identity = { kind, companyPrefix, individualAssetReference: reference };
  } else {
    const last = unescapeUriComponent(third);
    if (last === undefined) return bad(`${TAIL_FIELD[kind]}: characters outside GS1 set 82 or a malformed %-escape`);
    identity = buildIdentity(kind, companyPrefix, second, last);
  }
  const problem = checkIdentity(identity, { uri });
  return problem ? Result.fail(problem) : Result.succeed(identity);
};

/**
 * Reads an EPC tag URI (`urn:epc:tag:sgtin-96:3.0614141.812345.6789`) or pure identity URI
 * (`urn:epc:id:sgtin:0614141.812345.6789`) into its parts; `%XX` escapes in serials are undone.
 *
 * Malformed text is an `InvalidEpcUri`. A tag URI must also be encodable in its scheme: a serial
 * with a leading zero in `sgtin-96` is an `EpcNotEncodable`, a company prefix of other than 6–12
 * digits an `InvalidPartition`.
 */
export const parseEpcUri = (uri: string): Result.Result<EpcUri, EpcError> => {
  if (typeof uri !== "string") return Result.fail(new InvalidEpcUri({ uri: String(uri), message: "not text" }));
  if (uri.startsWith(ID_PREFIX)) {
    const colon = uri.indexOf(":", ID_PREFIX.length);
    const kind = colon < 0 ? "" : uri.slice(ID_PREFIX.length, colon);
    if (!IDENTITY_KINDS.has(kind))
      return Result.fail(new InvalidEpcUri({ uri, message: `urn:epc:id:${kind || "…"}: not a supported EPC scheme` }));
    const identity = parseBody(kind as EpcIdentityKind, uri.slice(colon + 1), uri);
    if (Result.isFailure(identity)) return Result.fail(identity.failure);
    return Result.succeed({ form: "pure-identity", identity: identity.success });
  }
  if (uri.startsWith(TAG_PREFIX)) {
    const colon = uri.indexOf(":", TAG_PREFIX.length);
    const schemeName = colon < 0 ? "" : uri.slice(TAG_PREFIX.length, colon);
    if (schemeName === "gid-96") {
      const identity = parseGidBody(uri.slice(colon + 1), uri);
      if (Result.isFailure(identity)) return Result.fail(identity.failure);
      return Result.succeed({ form: "tag", scheme: "gid-96", identity: identity.success });
    }
    const s = SPEC_BY_SCHEME.get(schemeName);
    if (s === undefined) return Result.fail(new InvalidEpcUri({ uri, message: "not a supported EPC tag scheme" }));
    const filterCode = uri.charCodeAt(colon + 1);
    if (!(filterCode >= 48 && filterCode <= 55) || uri.charCodeAt(colon + 2) !== 46)
      return Result.fail(new InvalidEpcUri({ uri, message: "the filter value must be one digit 0–7 followed by '.'" }));
    const identity = parseGs1Body(s.kind, uri.slice(colon + 3), uri);
    if (Result.isFailure(identity)) return Result.fail(identity.failure);
    const problem = checkEncodable(identity.success, s);
    if (problem) return Result.fail(problem);
    return Result.succeed({ form: "tag", scheme: s.scheme, filter: filterCode - 48, identity: identity.success });
  }
  return Result.fail(new InvalidEpcUri({ uri, message: "an EPC URI starts with urn:epc:id: or urn:epc:tag:" }));
};

/**
 * Writes an EPC URI from its parts (as {@link parseEpcUri} returns them), escaping the characters
 * of serials that URIs escape (`"` `%` `&` `/` `<` `>` `?`).
 */
export const formatEpcUri = (uri: EpcUri): string =>
  uri.form === "pure-identity"
    ? `${ID_PREFIX}${uri.identity.kind}:${uriBody(uri.identity)}`
    : uri.scheme === "gid-96"
      ? `${TAG_PREFIX}gid-96:${uriBody(uri.identity)}`
      : `${TAG_PREFIX}${uri.scheme}:${uri.filter}.${uriBody(uri.identity)}`;

// ---------------------------------------------------------------------------------------------
// GS1 keys
// ---------------------------------------------------------------------------------------------

const checkKey = (field: string, value: unknown, lengths: readonly number[]): EpcError | undefined => {
  if (typeof value !== "string" || !isDigits(value) || !lengths.includes(value.length))
    return new InvalidEpcValue({ field, value: String(value), message: `${field}: must be ${lengths.join(" or ")} digits` });
  if (mod10CheckDigit(value.slice(0, -1)) !== value.charCodeAt(value.length - 1) - 48)
    return new InvalidEpcValue({ field, value, message: `${field}: wrong check digit` });
  return undefined;
};

const checkPrefixLength = (length: unknown, max: number): EpcError | undefined =>
  typeof length === "number" && Number.isInteger(length) && length >= 1 && length <= max
    ? undefined
    : new InvalidEpcValue({
        field: "companyPrefixLength",
        value: String(length),
        message: `companyPrefixLength: must be an integer 1–${max}`,
      });

/**
 * The pure identity named by GS1 keys: a GTIN with a serial, an SSCC, a GLN with an optional
 * extension (none is written `"0"`), a GRAI (AI 8003 value, which must include a serial for an
 * EPC) or a GIAI, each with the length of its GS1 Company Prefix. GTIN-8/12/13 are taken as
 * GTIN-14 with leading zeros.
 *
 * A malformed key (digits, length, check digit) or serial is an `InvalidEpcValue` naming it.
 */
export const epcIdentityFromGs1Keys = (keys: EpcGs1Keys): Result.Result<EpcIdentity, EpcError> => {
  const L = keys.companyPrefixLength;
  let identity: EpcIdentity;
  if ("gtin" in keys) {
    const problem = checkKey("gtin", keys.gtin, [8, 12, 13, 14]) ?? checkPrefixLength(L, 12);
    if (problem) return Result.fail(problem);
    const gtin = keys.gtin.padStart(14, "0");
    identity = { kind: "sgtin", companyPrefix: gtin.slice(1, 1 + L), itemReference: gtin.charAt(0) + gtin.slice(1 + L, 13), serial: keys.serial };
  } else if ("sscc" in keys) {
    const problem = checkKey("sscc", keys.sscc, [18]) ?? checkPrefixLength(L, 12);
    if (problem) return Result.fail(problem);
    identity = { kind: "sscc", companyPrefix: keys.sscc.slice(1, 1 + L), serialReference: keys.sscc.charAt(0) + keys.sscc.slice(1 + L, 17) };
  } else if ("gln" in keys) {
    const problem = checkKey("gln", keys.gln, [13]) ?? checkPrefixLength(L, 12);
    if (problem) return Result.fail(problem);
    identity = { kind: "sgln", companyPrefix: keys.gln.slice(0, L), locationReference: keys.gln.slice(L, 12), extension: keys.extension ?? "0" };
  } else if ("grai" in keys) {
    const grai: unknown = keys.grai;
    if (typeof grai !== "string" || grai.charAt(0) !== "0")
      return Result.fail(new InvalidEpcValue({ field: "grai", value: String(grai), message: "grai: the value of AI 8003 starts with 0" }));
    const problem = checkKey("grai", grai.slice(1, 14), [13]) ?? checkPrefixLength(L, 12);
    if (problem) return Result.fail(problem);
    if (grai.length === 14)
      return Result.fail(
        new EpcNotEncodable({ scheme: "grai", field: "serial", value: "", message: "a GRAI without serial has no EPC" }),
      );
    identity = { kind: "grai", companyPrefix: grai.slice(1, 1 + L), assetType: grai.slice(1 + L, 13), serial: grai.slice(14) };
  } else if ("giai" in keys) {
    const giai: unknown = keys.giai;
    const problem = checkPrefixLength(L, 12);
    if (problem) return Result.fail(problem);
    if (typeof giai !== "string" || giai.length <= L)
      return Result.fail(
        new InvalidEpcValue({ field: "giai", value: String(giai), message: "giai: a company prefix and an individual asset reference" }),
      );
    identity = { kind: "giai", companyPrefix: giai.slice(0, L), individualAssetReference: giai.slice(L) };
  } else {
    return Result.fail(
      new InvalidEpcValue({ field: "keys", value: JSON.stringify(keys), message: "keys: expected gtin, sscc, gln, grai or giai" }),
    );
  }
  const problem = checkIdentity(identity, undefined);
  return problem ? Result.fail(problem) : Result.succeed(identity);
};

/**
 * The SGTIN of a GTIN (8, 12, 13 or 14 digits with check digit) and a serial, the GTIN's GS1
 * Company Prefix being `companyPrefixLength` digits long: the indicator digit moves to the front
 * of the item reference and the check digit is dropped.
 *
 * @example
 * ```ts
 * sgtinFromGtin("80614141123458", "6789", 7);
 * // success: { kind: "sgtin", companyPrefix: "0614141", itemReference: "812345", serial: "6789" }
 * ```
 */
export const sgtinFromGtin = (
  gtin: string,
  serial: string,
  companyPrefixLength: number,
): Result.Result<SgtinIdentity, EpcError> => {
  const identity = epcIdentityFromGs1Keys({ gtin, serial, companyPrefixLength });
  return identity as Result.Result<SgtinIdentity, EpcError>;
};

/**
 * The GTIN-14 (with check digit) of an SGTIN, given as its parts or as a tag or pure identity
 * URI. Anything that is not a valid SGTIN is refused.
 */
export const gtinOfSgtin = (sgtin: SgtinIdentity | string): Result.Result<string, EpcError> => {
  let identity: EpcIdentity;
  if (typeof sgtin === "string") {
    const parsed = parseEpcUri(sgtin);
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    identity = parsed.success.identity;
    if (identity.kind !== "sgtin") return Result.fail(new InvalidEpcUri({ uri: sgtin, message: "not an SGTIN" }));
  } else {
    identity = sgtin;
    const problem = checkIdentity(identity, undefined);
    if (problem) return Result.fail(problem);
  }
  const ir = identity.itemReference;
  return Result.succeed(withCheckDigit(ir.charAt(0) + identity.companyPrefix + ir.slice(1)));
};

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/**
 * Encodes an EPC as hex (upper case, padded to whole 16-bit words as written to the EPC bank:
 * 24 digits for the 96-bit schemes, 52 for SGTIN-198/SGLN-195/GIAI-202, 44 for GRAI-170).
 *
 * The input is a tag URI (its scheme and filter are used; `options`, when given, must agree),
 * or a pure identity URI, an identity ({@link EpcIdentity}, or an {@link EpcDecoded}) or GS1 keys
 * ({@link EpcGs1Keys}) together with the `scheme` and `filter` to write. The partition comes from
 * the length of the company prefix.
 *
 * Refuses: malformed URIs (`InvalidEpcUri`), invalid keys and fields (`InvalidEpcValue`),
 * company prefixes of other than 6–12 digits (`InvalidPartition`), and identities the scheme
 * cannot carry (`EpcNotEncodable`: in SGTIN-96/GRAI-96 a serial that is not a decimal integer
 * without leading zeros below 2^38, in SGTIN-198 a serial of more than 20 characters, …).
 */
export function encodeEpc(tagUri: string | EpcTagUri, options?: Partial<EpcEncodeOptions>): Result.Result<string, EpcError>;
export function encodeEpc(
  input: string | EpcUri | EpcIdentity | EpcGs1Keys,
  options: EpcEncodeOptions,
): Result.Result<string, EpcError>;
export function encodeEpc(
  input: string | EpcUri | EpcIdentity | EpcGs1Keys,
  options?: Partial<EpcEncodeOptions>,
): Result.Result<string, EpcError> {
  let identity: EpcIdentity;
  let scheme: string | undefined = options?.scheme;
  let filter: unknown = options?.filter;
  let fromTag: EpcTagUri | undefined;
  if (typeof input === "string") {
    const parsed = parseEpcUri(input);
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    identity = parsed.success.identity;
    if (parsed.success.form === "tag") fromTag = parsed.success;
  } else if ("form" in input) {
    identity = input.identity;
    const problem = checkIdentity(identity, undefined);
    if (problem) return Result.fail(problem);
    if (input.form === "tag") fromTag = input;
  } else if ("kind" in input) {
    identity = input;
    const problem = checkIdentity(identity, undefined);
    if (problem) return Result.fail(problem);
  } else {
    const fromKeys = epcIdentityFromGs1Keys(input);
    if (Result.isFailure(fromKeys)) return Result.fail(fromKeys.failure);
    identity = fromKeys.success;
  }
  if (fromTag) {
    if (scheme !== undefined && scheme !== fromTag.scheme)
      return Result.fail(
        new InvalidEpcValue({ field: "scheme", value: scheme, message: `scheme: ${scheme} asked for a ${fromTag.scheme} tag URI` }),
      );
    // A GID-96 tag URI has no filter: its only filter is 0, none written.
    const tagFilter = fromTag.scheme === "gid-96" ? 0 : fromTag.filter;
    if (filter !== undefined && filter !== tagFilter)
      return Result.fail(
        new InvalidEpcValue({ field: "filter", value: String(filter), message: `filter: ${String(filter)} asked for a tag URI with filter ${tagFilter}` }),
      );
    scheme = fromTag.scheme;
    filter = tagFilter;
  }
  if (scheme === "gid-96") {
    if (filter !== 0)
      return Result.fail(new InvalidEpcValue({ field: "filter", value: String(filter), message: "filter: gid-96 has no filter bits; it takes only 0" }));
    return writeGid96(identity);
  }
  const s = scheme === undefined ? undefined : SPEC_BY_SCHEME.get(scheme);
  if (s === undefined)
    return Result.fail(
      new InvalidEpcValue({ field: "scheme", value: String(scheme), message: `scheme: expected one of ${SPECS.map((x) => x.scheme).join(", ")}, gid-96` }),
    );
  if (typeof filter !== "number" || !Number.isInteger(filter) || filter < 0 || filter > 7)
    return Result.fail(new InvalidEpcValue({ field: "filter", value: String(filter), message: "filter: must be an integer 0–7" }));
  return writeEpc(identity, s, filter);
}
