/**
 * The GS1 Application Identifier (AI) table and what a value of each AI must look like.
 *
 * The table follows the GS1 General Specifications (§3 Application Identifier definitions, §7.8
 * element string processing) in the machine-readable form of the GS1 Barcode Syntax Dictionary:
 * each AI's data title, its format split into components (`N` digits, `X` CSET 82, `Y` CSET 39,
 * `Z` CSET 64; fixed length `N14` or variable up to `X..20`, optional trailing components in
 * brackets) and the checks (“linters”) its components must pass — check digit, YYMMDD date,
 * time, and so on. It also carries what a decoder needs beyond syntax: whether the AI is a
 * date, a measure or an amount with an implied decimal point, whether it has a predefined
 * length (no FNC1 separator after it), and its role in a GS1 Digital Link URI.
 *
 * The expected failures of reading GS1 data are defined here too, as `Data.TaggedError`-based
 * classes built without a stack trace (see `decode-error.ts`), since every GS1 reader of the
 * package shares them.
 *
 * @module
 */
import { Result } from "effect";
import { TaggedDecodeError } from "./decode-error.js";
import { CSET_82, gs1CheckCharacterPair, gs1CheckDigit } from "./check-digit.js";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** A GS1 key (GTIN, SSCC, GLN, GRAI, GSRN…) or GMN whose check digit (or check pair) is wrong. */
export class InvalidCheckDigit extends TaggedDecodeError("InvalidCheckDigit")<{
  /** The AI whose value carries the check digit, e.g. `01`. */
  readonly ai: string;
  /** The whole value as read. */
  readonly value: string;
  /** The check digit (or, for a GMN, the check character pair) the value should end with. */
  readonly expected: string;
  readonly message: string;
}> {}

/** Digits where an Application Identifier should be that name no AI of the GS1 table. */
export class UnknownAi extends TaggedDecodeError("UnknownAi")<{
  /** The digits read as an AI (2–4 characters). */
  readonly ai: string;
  /** Where in the input they start (0-based, after any symbology identifier). */
  readonly position: number;
  readonly message: string;
}> {}

/**
 * A value that does not fit its AI: wrong length, a character outside its character set, an
 * impossible date (month 13, 31 February) or time, a broken component rule.
 */
export class InvalidAiValue extends TaggedDecodeError("InvalidAiValue")<{
  readonly ai: string;
  readonly value: string;
  /** What is wrong, in words. */
  readonly reason: string;
  readonly message: string;
}> {}

/**
 * A raw element string whose variable-length field runs past its AI's maximum length: the FNC1
 * (GS, `\u001d`) that should end it is missing.
 */
export class MissingSeparator extends TaggedDecodeError("MissingSeparator")<{
  readonly ai: string;
  /** The characters read for the field up to the next separator or the end. */
  readonly value: string;
  /** The AI's maximum length. */
  readonly maxLength: number;
  readonly message: string;
}> {}

/** An element string that ends early: an AI with no value, or a fixed-length value cut short. */
export class TruncatedElementString extends TaggedDecodeError("TruncatedElementString")<{
  /** The AI being read when the data ran out, if one was. */
  readonly ai: string | undefined;
  /** Where the data ran out (0-based). */
  readonly position: number;
  readonly message: string;
}> {}

/** The same AI twice with different values (identical repeats are accepted and read once). */
export class DuplicateAi extends TaggedDecodeError("DuplicateAi")<{
  readonly ai: string;
  readonly first: string;
  readonly second: string;
  readonly message: string;
}> {}

/** A GS1 Digital Link URI that cannot be read: not http(s), no primary key in its path, qualifiers out of order, bad percent-encoding… */
export class InvalidDigitalLink extends TaggedDecodeError("InvalidDigitalLink")<{
  readonly uri: string;
  readonly reason: string;
  readonly message: string;
}> {}

/** A scan whose symbology identifier says it carries no GS1 data (e.g. `]C0`, plain Code 128) and which is not a Digital Link URI either. */
export class UnsupportedSymbology extends TaggedDecodeError("UnsupportedSymbology")<{
  /** The symbology identifier, e.g. `]C0`. */
  readonly symbology: string;
  readonly message: string;
}> {}

/** Every failure of reading or writing GS1 data. */
export type Gs1Error =
  | InvalidCheckDigit
  | UnknownAi
  | InvalidAiValue
  | MissingSeparator
  | TruncatedElementString
  | DuplicateAi
  | InvalidDigitalLink
  | UnsupportedSymbology;

// ---------------------------------------------------------------------------------------------
// The shape of a definition
// ---------------------------------------------------------------------------------------------

/** Character set of a component: `N` digits, `X` CSET 82, `Y` CSET 39, `Z` CSET 64 (base64url). */
export type Gs1Charset = "N" | "X" | "Y" | "Z";

/**
 * A content rule of a component, named as in the GS1 Barcode Syntax Dictionary. Enforced by
 * {@link checkAiValue}: `csum`, `csumalpha`, `yymmd0`, `yymmdd`, `yymmddhh`, `hhmm`,
 * `mmoptss`, `zero`, `nonzero`, `yesno`, `winding`, `pieceoftotal`, `nozeroprefix`, `hyphen`,
 * `latitude`, `longitude`, `pcenc`, `iso3166alpha2` (syntax only). Recorded but not enforced
 * (they need code lists): `iso3166`, `iso3166999`, `iso3166list`, `iso4217`, `iban`,
 * `importeridx`, `mediatype`, `couponcode`, `couponposoffer`.
 */
export type Gs1Linter =
  | "csum"
  | "csumalpha"
  | "yymmd0"
  | "yymmdd"
  | "yymmddhh"
  | "hhmm"
  | "mmoptss"
  | "zero"
  | "nonzero"
  | "yesno"
  | "winding"
  | "pieceoftotal"
  | "nozeroprefix"
  | "hyphen"
  | "latitude"
  | "longitude"
  | "pcenc"
  | "iso3166"
  | "iso3166999"
  | "iso3166list"
  | "iso3166alpha2"
  | "iso4217"
  | "iban"
  | "importeridx"
  | "mediatype"
  | "couponcode"
  | "couponposoffer";

/** One component of an AI's data field, e.g. the `N13,csum` GLN part of a GDTI (253). */
export interface AiComponent {
  readonly charset: Gs1Charset;
  /** Shortest allowed length (equals {@link AiComponent.maxLength} for a fixed-length component). */
  readonly minLength: number;
  readonly maxLength: number;
  /** An optional trailing component (`[X..17]`) that may be left out entirely. */
  readonly optional: boolean;
  readonly linters: ReadonlyArray<Gs1Linter>;
}

/** An AI whose value is a quantity with an implied decimal point: the AI's last digit says how many of its digits are decimals. */
export interface AiImpliedDecimal {
  /** `measure`: trade measures 31nn–36nn; `amount`/`price`: 390n–393n; `price-per-unit`: 395n; `percent`: 394n. */
  readonly kind: "measure" | "amount" | "price" | "price-per-unit" | "percent";
  /** Digits after the implied decimal point (the last digit of the AI). */
  readonly impliedDecimals: number;
  /** Unit of a measure: `kg`, `m`, `m2`, `l`, `m3`, `lb`, `in`, `ft`, `yd`, `in2`, `ft2`, `yd2`, `troy oz`, `fl oz`, `qt`, `gal`, `in3`, `ft3`, `yd3`, `kg/m2`. */
  readonly unit?: string;
  /** Whether the value starts with a 3-digit ISO 4217 currency code (391n, 393n). */
  readonly currencyPrefix: boolean;
}

/** One Application Identifier of the GS1 table. */
export interface AiDefinition {
  /** The AI, `01`, `3103`, `8004`. */
  readonly ai: string;
  /** GS1 data title, as printed under barcodes, e.g. `BATCH/LOT`. */
  readonly title: string;
  /** What the value is, in words. */
  readonly description: string;
  /** The format in GS1 notation, components joined by `+`: `N14`, `X..20`, `N3+X..9`, `N13+[X..17]`. */
  readonly format: string;
  readonly components: ReadonlyArray<AiComponent>;
  /** `numeric` when every component is digits, else `alphanumeric`. */
  readonly charset: "numeric" | "alphanumeric";
  readonly minLength: number;
  readonly maxLength: number;
  /** Whether every value has the same length (`N14`, `N6`, `N10`). */
  readonly fixedLength: boolean;
  /** Whether the value carries a GS1 mod-10 check digit (or, for the GMN, a check character pair). */
  readonly checkDigit: boolean;
  /**
   * How the value starts with a date: `YYMMDD` (a real day), `YYMMD0` (day `00` allowed,
   * meaning the last day of the month), `YYMMDDHH` (8008); undefined when it is no date.
   */
  readonly date: "YYMMDD" | "YYMMD0" | "YYMMDDHH" | undefined;
  /** Whether a time of day (HHMM) follows the date (7003, 4324, 4325; optional in 7011, 8008). */
  readonly time: boolean;
  /** Present for measures, amounts, prices and percentages with an implied decimal point. */
  readonly impliedDecimal: AiImpliedDecimal | undefined;
  /** Whether the AI is a trade measure (31nn–36nn); its {@link AiDefinition.impliedDecimal} says the decimals. */
  readonly measure: boolean;
  /**
   * Whether the AI is of predefined length (GS1 General Specifications Figure 7.8.5-2: AIs
   * starting 00–04, 11–20, 31–36, 41): no FNC1 separator follows it in a barcode. Every other
   * AI — fixed length or not — is followed by an FNC1 unless it is the last.
   */
  readonly predefinedLength: boolean;
  /**
   * Its role in a GS1 Digital Link URI: a primary key (with the alternative ordered sequences of
   * key qualifiers that may follow it in the path) — undefined for AIs that are only data
   * attributes (query string) or qualifiers.
   */
  readonly digitalLinkPrimaryKey: { readonly qualifiers: ReadonlyArray<ReadonlyArray<string>> } | undefined;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** `[ai, spec, title, description, Digital Link primary key qualifiers]` — spec in syntax-dictionary notation. */
type Row = readonly [ai: string, spec: string, title: string, description: string, dlpkey?: string];

const ROWS: ReadonlyArray<Row> = [
  ["00", "N18,csum", "SSCC", "Serial Shipping Container Code (SSCC)", ""],
  ["01", "N14,csum", "GTIN", "Global Trade Item Number (GTIN)", "22,10,21|235"],
  ["02", "N14,csum", "CONTENT", "GTIN of the trade items contained in a logistic unit"],
  ["10", "X..20", "BATCH/LOT", "Batch or lot number"],
  ["11", "N6,yymmd0", "PROD DATE", "Production date (YYMMDD)"],
  ["12", "N6,yymmd0", "DUE DATE", "Due date for the amount on a payment slip (YYMMDD)"],
  ["13", "N6,yymmd0", "PACK DATE", "Packaging date (YYMMDD)"],
  ["15", "N6,yymmd0", "BEST BEFORE or BEST BY", "Best before date (YYMMDD)"],
  ["16", "N6,yymmd0", "SELL BY", "Sell by date (YYMMDD)"],
  ["17", "N6,yymmd0", "USE BY OR EXPIRY", "Expiration date (YYMMDD)"],
  ["20", "N2", "VARIANT", "Internal product variant"],
  ["21", "X..20", "SERIAL", "Serial number"],
  ["22", "X..20", "CPV", "Consumer product variant"],
  ["235", "X..28", "TPX", "Third-party controlled, serialised extension of the GTIN"],
  ["240", "X..30", "ADDITIONAL ID", "Additional product identification assigned by the manufacturer"],
  ["241", "X..30", "CUST. PART No.", "Customer part number"],
  ["242", "N..6", "MTO VARIANT", "Made-to-order variation number"],
  ["243", "X..20", "PCN", "Packaging component number"],
  ["250", "X..30", "SECONDARY SERIAL", "Secondary serial number"],
  ["251", "X..30", "REF. TO SOURCE", "Reference to source entity"],
  ["253", "N13,csum [X..17]", "GDTI", "Global Document Type Identifier (GDTI)", ""],
  ["254", "X..20", "GLN EXTENSION COMPONENT", "GLN extension component"],
  ["255", "N13,csum [N..12]", "GCN", "Global Coupon Number (GCN)", ""],
  ["30", "N..8", "VAR. COUNT", "Variable count of items (variable measure trade item)"],
  ["37", "N..8", "COUNT", "Count of trade items or trade item pieces contained in a logistic unit"],
  ["400", "X..30", "ORDER NUMBER", "Customer's purchase order number"],
  ["401", "X..30", "GINC", "Global Identification Number for Consignment (GINC)", ""],
  ["402", "N17,csum", "GSIN", "Global Shipment Identification Number (GSIN)", ""],
  ["403", "X..30", "ROUTE", "Routing code"],
  ["410", "N13,csum", "SHIP TO LOC", "Ship to / deliver to Global Location Number (GLN)"],
  ["411", "N13,csum", "BILL TO", "Bill to / invoice to GLN"],
  ["412", "N13,csum", "PURCHASE FROM", "Purchased from GLN"],
  ["413", "N13,csum", "SHIP FOR LOC", "Ship for / deliver for / forward to GLN"],
  ["414", "N13,csum", "LOC No.", "Identification of a physical location (GLN)", "254|7040"],
  ["415", "N13,csum", "PAY TO", "GLN of the invoicing party", "8020"],
  ["416", "N13,csum", "PROD/SERV LOC", "GLN of the production or service location"],
  ["417", "N13,csum", "PARTY", "Party GLN", "7040"],
  ["420", "X..20", "SHIP TO POST", "Ship to / deliver to postal code within a single postal authority"],
  ["421", "N3,iso3166 X..9", "SHIP TO POST", "Ship to / deliver to postal code with ISO country code"],
  ["422", "N3,iso3166", "ORIGIN", "Country of origin of a trade item (ISO 3166 numeric)"],
  ["423", "N..15,iso3166list", "COUNTRY - INITIAL PROCESS.", "Country of initial processing"],
  ["424", "N3,iso3166", "COUNTRY - PROCESS.", "Country of processing"],
  ["425", "N..15,iso3166list", "COUNTRY - DISASSEMBLY", "Country of disassembly"],
  ["426", "N3,iso3166", "COUNTRY - FULL PROCESS", "Country covering the full process chain"],
  ["427", "X..3", "ORIGIN SUBDIVISION", "Country subdivision of origin (ISO 3166-2)"],
  ["4300", "X..35,pcenc", "SHIP TO COMP", "Ship-to / deliver-to company name"],
  ["4301", "X..35,pcenc", "SHIP TO NAME", "Ship-to / deliver-to contact"],
  ["4302", "X..70,pcenc", "SHIP TO ADD1", "Ship-to / deliver-to address line 1"],
  ["4303", "X..70,pcenc", "SHIP TO ADD2", "Ship-to / deliver-to address line 2"],
  ["4304", "X..70,pcenc", "SHIP TO SUB", "Ship-to / deliver-to suburb"],
  ["4305", "X..70,pcenc", "SHIP TO LOC", "Ship-to / deliver-to locality"],
  ["4306", "X..70,pcenc", "SHIP TO REG", "Ship-to / deliver-to region"],
  ["4307", "X2,iso3166alpha2", "SHIP TO COUNTRY", "Ship-to / deliver-to country code (ISO 3166 alpha-2)"],
  ["4308", "X..30", "SHIP TO PHONE", "Ship-to / deliver-to telephone number"],
  ["4309", "N10,latitude N10,longitude", "SHIP TO GEO", "Ship-to / deliver-to GEO location"],
  ["4310", "X..35,pcenc", "RTN TO COMP", "Return-to company name"],
  ["4311", "X..35,pcenc", "RTN TO NAME", "Return-to contact"],
  ["4312", "X..70,pcenc", "RTN TO ADD1", "Return-to address line 1"],
  ["4313", "X..70,pcenc", "RTN TO ADD2", "Return-to address line 2"],
  ["4314", "X..70,pcenc", "RTN TO SUB", "Return-to suburb"],
  ["4315", "X..70,pcenc", "RTN TO LOC", "Return-to locality"],
  ["4316", "X..70,pcenc", "RTN TO REG", "Return-to region"],
  ["4317", "X2,iso3166alpha2", "RTN TO COUNTRY", "Return-to country code (ISO 3166 alpha-2)"],
  ["4318", "X..20", "RTN TO POST", "Return-to postal code"],
  ["4319", "X..30", "RTN TO PHONE", "Return-to telephone number"],
  ["4320", "X..35,pcenc", "SRV DESCRIPTION", "Service code description"],
  ["4321", "N1,yesno", "DANGEROUS GOODS", "Dangerous goods flag"],
  ["4322", "N1,yesno", "AUTH TO LEAVE", "Authority to leave"],
  ["4323", "N1,yesno", "SIG REQUIRED", "Signature required flag"],
  ["4324", "N6,yymmd0 N4,hhmm", "NOT BEF DEL DT", "Not before delivery date and time"],
  ["4325", "N6,yymmd0 N4,hhmm", "NOT AFT DEL DT", "Not after delivery date and time"],
  ["4326", "N6,yymmdd", "REL DATE", "Release date"],
  ["4330", "N6 [X1],hyphen", "MAX TEMP F.", "Maximum temperature in Fahrenheit"],
  ["4331", "N6 [X1],hyphen", "MAX TEMP C.", "Maximum temperature in Celsius"],
  ["4332", "N6 [X1],hyphen", "MIN TEMP F.", "Minimum temperature in Fahrenheit"],
  ["4333", "N6 [X1],hyphen", "MIN TEMP C.", "Minimum temperature in Celsius"],
  ["7001", "N13", "NSN", "NATO Stock Number (NSN)"],
  ["7002", "X..30", "MEAT CUT", "UN/ECE meat carcasses and cuts classification"],
  ["7003", "N6,yymmdd N4,hhmm", "EXPIRY TIME", "Expiration date and time (YYMMDDHHMM)"],
  ["7004", "N..4", "ACTIVE POTENCY", "Active potency"],
  ["7005", "X..12", "CATCH AREA", "Catch area"],
  ["7006", "N6,yymmdd", "FIRST FREEZE DATE", "First freeze date"],
  ["7007", "N6,yymmdd [N6],yymmdd", "HARVEST DATE", "Harvest date (a day, or a first and last day)"],
  ["7008", "X..3", "AQUATIC SPECIES", "Species for fishery purposes"],
  ["7009", "X..10", "FISHING GEAR TYPE", "Fishing gear type"],
  ["7010", "X..2", "PROD METHOD", "Production method"],
  ["7011", "N6,yymmdd [N4],hhmm", "TEST BY DATE", "Test by date"],
  ["7020", "X..20", "REFURB LOT", "Refurbishment lot ID"],
  ["7021", "X..20", "FUNC STAT", "Functional status"],
  ["7022", "X..20", "REV STAT", "Revision status"],
  ["7023", "X..30", "GIAI - ASSEMBLY", "Global Individual Asset Identifier (GIAI) of an assembly"],
  ["7030-7039", "N3,iso3166999 X..27", "PROCESSOR # {d}", "Number of processor {d} with ISO country code"],
  ["7040", "N1 X1 X1 X1,importeridx", "UIC+EXT", "GS1 UIC with extension 1 and importer index"],
  ["710", "X..20", "NHRN PZN", "National healthcare reimbursement number — Germany PZN"],
  ["711", "X..20", "NHRN CIP", "National healthcare reimbursement number — France CIP"],
  ["712", "X..20", "NHRN CN", "National healthcare reimbursement number — Spain CN"],
  ["713", "X..20", "NHRN DRN", "National healthcare reimbursement number — Brazil DRN"],
  ["714", "X..20", "NHRN AIM", "National healthcare reimbursement number — Portugal AIM"],
  ["715", "X..20", "NHRN NDC", "National healthcare reimbursement number — United States NDC"],
  ["7230-7239", "X2 X..28", "CERT # {d+1}", "Certification reference {d+1}"],
  ["7240", "X..20", "PROTOCOL", "Protocol ID"],
  ["7241", "N2,mediatype", "AIDC MEDIA TYPE", "AIDC media type"],
  ["7242", "X..25", "VCN", "Version control number"],
  ["8001", "N4,nonzero N5,nonzero N3,nonzero N1,winding N1", "DIMENSIONS", "Roll products: width, length, core diameter, direction, splices"],
  ["8002", "X..20", "CMT No.", "Cellular mobile telephone identifier"],
  ["8003", "N1,zero N13,csum [X..16]", "GRAI", "Global Returnable Asset Identifier (GRAI)", ""],
  ["8004", "X..30", "GIAI", "Global Individual Asset Identifier (GIAI)", "7040"],
  ["8005", "N6", "PRICE PER UNIT", "Price per unit of measure"],
  ["8006", "N14,csum N4,pieceoftotal", "ITIP", "Identification of an individual trade item piece (ITIP)", "22,10,21"],
  ["8007", "X..34,iban", "IBAN", "International Bank Account Number (IBAN)"],
  ["8008", "N8,yymmddhh [N..4],mmoptss", "PROD TIME", "Date and time of production"],
  ["8009", "X..50", "OPTSEN", "Optically readable sensor indicator"],
  ["8010", "Y..30", "CPID", "Component / part identifier (CPID)", "8011"],
  ["8011", "N..12,nozeroprefix", "CPID SERIAL", "Component / part identifier serial number"],
  ["8012", "X..20", "VERSION", "Software version"],
  ["8013", "X..25,csumalpha", "GMN", "Global Model Number (GMN)", ""],
  ["8017", "N18,csum", "GSRN - PROVIDER", "Global Service Relation Number (GSRN) of the service provider", "8019"],
  ["8018", "N18,csum", "GSRN - RECIPIENT", "Global Service Relation Number (GSRN) of the service recipient", "8019"],
  ["8019", "N..10", "SRIN", "Service Relation Instance Number (SRIN)"],
  ["8020", "X..25", "REF No.", "Payment slip reference number"],
  ["8026", "N14,csum N4,pieceoftotal", "ITIP CONTENT", "ITIP of the pieces contained in a logistic unit"],
  ["8030", "Z..90", "DIGSIG", "Digital signature"],
  ["8110", "X..70,couponcode", "-", "Coupon code identification for use in North America"],
  ["8111", "N4", "POINTS", "Loyalty points of a coupon"],
  ["8112", "X..70,couponposoffer", "-", "Positive offer file coupon code identification for use in North America"],
  ["8200", "X..70", "PRODUCT URL", "Extended packaging URL"],
  ["90", "X..30", "INTERNAL", "Information mutually agreed between trading partners"],
  ["91-99", "X..90", "INTERNAL", "Company internal information"],
];

/** Trade measures 31nn–36nn: `[first three digits, unit, title, description]`; the fourth digit (0–5) is the number of decimals. */
const MEASURES: ReadonlyArray<readonly [string, string, string, string]> = [
  ["310", "kg", "NET WEIGHT (kg)", "Net weight, kilograms"],
  ["311", "m", "LENGTH (m)", "Length or first dimension, metres"],
  ["312", "m", "WIDTH (m)", "Width, diameter or second dimension, metres"],
  ["313", "m", "HEIGHT (m)", "Depth, thickness, height or third dimension, metres"],
  ["314", "m2", "AREA (m²)", "Area, square metres"],
  ["315", "l", "NET VOLUME (l)", "Net volume, litres"],
  ["316", "m3", "NET VOLUME (m³)", "Net volume, cubic metres"],
  ["320", "lb", "NET WEIGHT (lb)", "Net weight, pounds"],
  ["321", "in", "LENGTH (in)", "Length or first dimension, inches"],
  ["322", "ft", "LENGTH (ft)", "Length or first dimension, feet"],
  ["323", "yd", "LENGTH (yd)", "Length or first dimension, yards"],
  ["324", "in", "WIDTH (in)", "Width, diameter or second dimension, inches"],
  ["325", "ft", "WIDTH (ft)", "Width, diameter or second dimension, feet"],
  ["326", "yd", "WIDTH (yd)", "Width, diameter or second dimension, yards"],
  ["327", "in", "HEIGHT (in)", "Depth, thickness, height or third dimension, inches"],
  ["328", "ft", "HEIGHT (ft)", "Depth, thickness, height or third dimension, feet"],
  ["329", "yd", "HEIGHT (yd)", "Depth, thickness, height or third dimension, yards"],
  ["330", "kg", "GROSS WEIGHT (kg)", "Logistic weight, kilograms"],
  ["331", "m", "LENGTH (m), log", "Length or first dimension of a logistic unit, metres"],
  ["332", "m", "WIDTH (m), log", "Width, diameter or second dimension of a logistic unit, metres"],
  ["333", "m", "HEIGHT (m), log", "Depth, thickness, height or third dimension of a logistic unit, metres"],
  ["334", "m2", "AREA (m²), log", "Area of a logistic unit, square metres"],
  ["335", "l", "VOLUME (l), log", "Logistic volume, litres"],
  ["336", "m3", "VOLUME (m³), log", "Logistic volume, cubic metres"],
  ["337", "kg/m2", "KG PER m²", "Kilograms per square metre"],
  ["340", "lb", "GROSS WEIGHT (lb)", "Logistic weight, pounds"],
  ["341", "in", "LENGTH (in), log", "Length or first dimension of a logistic unit, inches"],
  ["342", "ft", "LENGTH (ft), log", "Length or first dimension of a logistic unit, feet"],
  ["343", "yd", "LENGTH (yd), log", "Length or first dimension of a logistic unit, yards"],
  ["344", "in", "WIDTH (in), log", "Width, diameter or second dimension of a logistic unit, inches"],
  ["345", "ft", "WIDTH (ft), log", "Width, diameter or second dimension of a logistic unit, feet"],
  ["346", "yd", "WIDTH (yd), log", "Width, diameter or second dimension of a logistic unit, yards"],
  ["347", "in", "HEIGHT (in), log", "Depth, thickness, height or third dimension of a logistic unit, inches"],
  ["348", "ft", "HEIGHT (ft), log", "Depth, thickness, height or third dimension of a logistic unit, feet"],
  ["349", "yd", "HEIGHT (yd), log", "Depth, thickness, height or third dimension of a logistic unit, yards"],
  ["350", "in2", "AREA (in²)", "Area, square inches"],
  ["351", "ft2", "AREA (ft²)", "Area, square feet"],
  ["352", "yd2", "AREA (yd²)", "Area, square yards"],
  ["353", "in2", "AREA (in²), log", "Area of a logistic unit, square inches"],
  ["354", "ft2", "AREA (ft²), log", "Area of a logistic unit, square feet"],
  ["355", "yd2", "AREA (yd²), log", "Area of a logistic unit, square yards"],
  ["356", "troy oz", "NET WEIGHT (t oz)", "Net weight, troy ounces"],
  ["357", "fl oz", "NET VOLUME (oz)", "Net volume, (U.S.) fluid ounces"],
  ["360", "qt", "NET VOLUME (qt)", "Net volume, (U.S.) quarts"],
  ["361", "gal", "NET VOLUME (gal.)", "Net volume, (U.S.) gallons"],
  ["362", "qt", "VOLUME (qt), log", "Logistic volume, (U.S.) quarts"],
  ["363", "gal", "VOLUME (gal.), log", "Logistic volume, (U.S.) gallons"],
  ["364", "in3", "VOLUME (in³)", "Net volume, cubic inches"],
  ["365", "ft3", "VOLUME (ft³)", "Net volume, cubic feet"],
  ["366", "yd3", "VOLUME (yd³)", "Net volume, cubic yards"],
  ["367", "in3", "VOLUME (in³), log", "Logistic volume, cubic inches"],
  ["368", "ft3", "VOLUME (ft³), log", "Logistic volume, cubic feet"],
  ["369", "yd3", "VOLUME (yd³), log", "Logistic volume, cubic yards"],
];

/** Amounts and prices 390n–395n: `[first three digits, spec, kind, last n, currency prefix, title, description]`. */
const AMOUNTS: ReadonlyArray<readonly [string, string, AiImpliedDecimal["kind"], number, boolean, string, string]> = [
  ["390", "N..15", "amount", 9, false, "AMOUNT", "Amount payable or coupon value, single monetary area"],
  ["391", "N3,iso4217 N..15", "amount", 9, true, "AMOUNT", "Amount payable with ISO currency code"],
  ["392", "N..15", "price", 9, false, "PRICE", "Amount payable for a variable measure trade item, single monetary area"],
  ["393", "N3,iso4217 N..15", "price", 9, true, "PRICE", "Amount payable for a variable measure trade item with ISO currency code"],
  ["394", "N4", "percent", 3, false, "PRCNT OFF", "Percentage discount of a coupon"],
  ["395", "N6", "price-per-unit", 5, false, "PRICE/UoM", "Amount payable per unit of measure, single monetary area (variable measure trade item)"],
];

const COMPONENT = /^(\[?)([NXYZ])(\.\.)?(\d+)\]?((?:,[a-z0-9]+)*)$/;

const parseSpec = (spec: string): ReadonlyArray<AiComponent> =>
  spec.split(" ").map((part) => {
    const m = COMPONENT.exec(part);
    if (!m) throw new Error(`bad AI spec component ${part}`); // the table is static data: a typo fails at load in every test run
    const length = Number(m[4]);
    return {
      charset: m[2] as Gs1Charset,
      minLength: m[3] ? 1 : length,
      maxLength: length,
      optional: m[1] === "[",
      linters: (m[5] ?? "").split(",").filter((l) => l !== "") as Gs1Linter[],
    };
  });

const formatOf = (components: ReadonlyArray<AiComponent>): string =>
  components
    .map((c) => {
      const f = `${c.charset}${c.minLength === c.maxLength ? "" : ".."}${c.maxLength}`;
      return c.optional ? `[${f}]` : f;
    })
    .join("+");

const PREDEFINED_LENGTH_PREFIXES = new Set(["00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "31", "32", "33", "34", "35", "36", "41"]);

/**
 * Whether an AI has a predefined length, so that no FNC1 separator follows it (GS1 General
 * Specifications Figure 7.8.5-2, decided by the AI's first two digits: 00–04, 11–20, 31–36, 41).
 */
export const isPredefinedLength = (ai: string): boolean => PREDEFINED_LENGTH_PREFIXES.has(ai.slice(0, 2));

const define = (
  ai: string,
  spec: string,
  title: string,
  description: string,
  dlpkey: string | undefined,
  impliedDecimal: AiImpliedDecimal | undefined,
): AiDefinition => {
  const components = parseSpec(spec);
  const first = components[0];
  const linters = components.flatMap((c) => c.linters);
  const minLength = components.filter((c) => !c.optional).reduce((n, c) => n + c.minLength, 0);
  const maxLength = components.reduce((n, c) => n + c.maxLength, 0);
  return {
    ai,
    title,
    description,
    format: formatOf(components),
    components,
    charset: components.every((c) => c.charset === "N") ? "numeric" : "alphanumeric",
    minLength,
    maxLength,
    fixedLength: minLength === maxLength,
    checkDigit: linters.includes("csum") || linters.includes("csumalpha"),
    date: first?.linters.includes("yymmd0") ? "YYMMD0" : first?.linters.includes("yymmdd") ? "YYMMDD" : first?.linters.includes("yymmddhh") ? "YYMMDDHH" : undefined,
    time: linters.includes("hhmm") || linters.includes("yymmddhh"),
    impliedDecimal,
    measure: impliedDecimal?.kind === "measure",
    predefinedLength: isPredefinedLength(ai),
    digitalLinkPrimaryKey:
      dlpkey === undefined ? undefined : { qualifiers: dlpkey === "" ? [] : dlpkey.split("|").map((alternative) => alternative.split(",")) },
  };
};

const buildTable = (): ReadonlyMap<string, AiDefinition> => {
  const table = new Map<string, AiDefinition>();
  const add = (d: AiDefinition) => table.set(d.ai, d);
  for (const [ai, spec, title, description, dlpkey] of ROWS) {
    const range = /^(\d+)-(\d+)$/.exec(ai);
    if (!range) {
      add(define(ai, spec, title, description, dlpkey, undefined));
      continue;
    }
    const from = Number(range[1]);
    const to = Number(range[2]);
    const width = (range[1] ?? "").length;
    for (let n = from; n <= to; n++) {
      const code = String(n).padStart(width, "0");
      const s = code.slice(-1);
      const digit = (text: string) => text.replace("{d}", s).replace("{d+1}", String(Number(s) + 1));
      add(define(code, spec, digit(title), digit(description), dlpkey, undefined));
    }
  }
  for (const [prefix, unit, title, description] of MEASURES)
    for (let n = 0; n <= 5; n++)
      add(
        define(`${prefix}${n}`, "N6", title, `${description} (${n} decimal${n === 1 ? "" : "s"})`, undefined, {
          kind: "measure",
          impliedDecimals: n,
          unit,
          currencyPrefix: false,
        }),
      );
  for (const [prefix, spec, kind, last, currencyPrefix, title, description] of AMOUNTS)
    for (let n = 0; n <= last; n++)
      add(define(`${prefix}${n}`, spec, title, `${description} (${n} decimal${n === 1 ? "" : "s"})`, undefined, { kind, impliedDecimals: n, currencyPrefix }));
  return new Map([...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/** The GS1 Application Identifier table, by AI, in lexical order of the AI. */
export const AI_TABLE: ReadonlyMap<string, AiDefinition> = buildTable();

/** The definition of an AI, or undefined when the GS1 table has no such AI. */
export const aiDefinition = (ai: string): AiDefinition | undefined => AI_TABLE.get(ai);

/** Length of the AI that starts with these two digits (GS1 General Specifications Figure 3.2-1), used to name an unknown AI. */
const aiLengthOfPrefix = (prefix: string): number => {
  const p = Number(prefix);
  if (!/^\d\d$/.test(prefix)) return 2;
  if (p >= 23 && p <= 25) return 3;
  if ((p >= 31 && p <= 36) || p === 39 || p === 43 || p === 70 || p === 72 || (p >= 80 && p <= 82)) return 4;
  if ((p >= 40 && p <= 42) || p === 71) return 3;
  return 2;
};

/**
 * The AI at `position` of an element string: the definition whose AI the text starts with there
 * (the GS1 AIs are prefix-free, so at most one matches), or, when none does, the digits that
 * stand where an AI should (their length taken from the AI's first two digits).
 */
export const aiAt = (text: string, position: number): { readonly definition: AiDefinition } | { readonly unknown: string } => {
  // The AI's digits as a number, read one digit at a time: 2-, 3- then 4-digit AIs by table.
  let code = 0;
  for (let length = 1; length <= 4; length++) {
    const digit = text.charCodeAt(position + length - 1) - 48;
    if (!(digit >= 0 && digit <= 9)) break;
    code = code * 10 + digit;
    const found = length >= 2 ? AI_FOUND_BY_CODE[length - 2]?.[code] : undefined;
    if (found !== undefined) return found;
  }
  return { unknown: text.slice(position, position + aiLengthOfPrefix(text.slice(position, position + 2))) };
};

/**
 * The answers of {@link aiAt} for the AIs of 2, 3 and 4 digits, indexed by the AI's value
 * (`"01"` → 1, `"310"` → 310): built once, so finding an AI allocates nothing.
 */
const AI_FOUND_BY_CODE: ReadonlyArray<ReadonlyArray<{ readonly definition: AiDefinition } | undefined>> = [2, 3, 4].map((length) => {
  const byCode = new Array<{ readonly definition: AiDefinition } | undefined>(10 ** length).fill(undefined);
  for (const definition of AI_TABLE.values())
    if (definition.ai.length === length) byCode[Number(definition.ai)] = Object.freeze({ definition });
  return byCode;
});

// ---------------------------------------------------------------------------------------------
// Dates: YYMMDD and the century rule
// ---------------------------------------------------------------------------------------------

/** The reference year of the century rule when none is given (fixed, so decoding is deterministic). */
export const DEFAULT_REFERENCE_YEAR = 2026;

/**
 * The full year of a two-digit `YY` (GS1 General Specifications §7.12): the year is placed
 * within −49…+50 years of `referenceYear` — if `YY` minus the reference year's last two digits
 * is 51…99 the year is in the previous century, if it is −99…−50 in the next, else in the
 * reference year's century. With reference year 2026: `76` → 2076, `77` → 1977, `00` → 2000.
 */
export const resolveCentury = (yy: number, referenceYear: number): number => {
  const ref = referenceYearOrDefault(referenceYear);
  const century = ref - (ref % 100);
  const difference = yy - (ref % 100);
  if (difference >= 51) return century - 100 + yy;
  if (difference <= -50) return century + 100 + yy;
  return century + yy;
};

/** An integer year 1000–9899 as given, anything else replaced by {@link DEFAULT_REFERENCE_YEAR}. */
export const referenceYearOrDefault = (year: number | undefined): number =>
  year !== undefined && Number.isInteger(year) && year >= 1000 && year <= 9899 ? year : DEFAULT_REFERENCE_YEAR;

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in a month of a year (month 1–12). */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeap(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/** `00`–`99` by value, for writing months, days and the last digits of years. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));

/** The value of the two decimal digits at `at`, or −1 when either is not a digit. */
const twoDigitsAt = (text: string, at: number): number => {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
};

/**
 * A GS1 date `YYMMDD` as an ISO date `YYYY-MM-DD`, the century by {@link resolveCentury}. With
 * `dayZeroAllowed` (the `YYMMD0` AIs 11–17, 4324, 4325) day `00` means the last day of the
 * month: `260200` → `2026-02-28`, `240200` → `2024-02-29`. Undefined for an impossible date.
 */
export const gs1DateToIso = (yymmdd: string, referenceYear: number, dayZeroAllowed: boolean): string | undefined => {
  if (typeof yymmdd !== "string" || yymmdd.length !== 6) return undefined;
  const yy = twoDigitsAt(yymmdd, 0);
  const month = twoDigitsAt(yymmdd, 2);
  let day = twoDigitsAt(yymmdd, 4);
  if (yy < 0 || month < 0 || day < 0) return undefined;
  const year = resolveCentury(yy, referenceYear);
  if (month < 1 || month > 12) return undefined;
  if (day === 0 && dayZeroAllowed) day = daysInMonth(year, month);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  // The century rule keeps years within 950–9949: two digits of century, two of year.
  return `${TWO_DIGITS[Math.floor(year / 100)] ?? ""}${TWO_DIGITS[year % 100] ?? ""}-${TWO_DIGITS[month] ?? ""}-${TWO_DIGITS[day] ?? ""}`;
};

// ---------------------------------------------------------------------------------------------
// Checking a value
// ---------------------------------------------------------------------------------------------

const CHARSET: Record<Gs1Charset, RegExp> = {
  N: /^[0-9]*$/,
  X: new RegExp(`^[${CSET_82.replace(/[\\\]^-]/g, "\\$&")}]*$`),
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[A-Za-z0-9_\-=]*$/,
};

const CHARSET_NAME: Record<Gs1Charset, string> = {
  N: "digits",
  X: "characters of GS1 CSET 82",
  Y: "characters of GS1 CSET 39",
  Z: "characters of GS1 CSET 64",
};

/**
 * Splits a value into the parts of its AI's components (fixed components take their length, the
 * one variable or optional trailing component takes the rest). A string saying what is wrong
 * when the value's length does not fit.
 */
export const splitComponents = (definition: AiDefinition, value: string): ReadonlyArray<string> | string => {
  const parts: string[] = [];
  let rest = value;
  for (const component of definition.components) {
    if (rest === "") {
      if (component.optional) break;
      return value === "" ? "empty value" : `too short: ${value.length} character${value.length === 1 ? "" : "s"}, needs ${definition.minLength}${definition.fixedLength ? "" : " or more"}`;
    }
    const fixed = component.minLength === component.maxLength;
    if (fixed && rest.length < component.maxLength)
      return `wrong length: ${value.length} character${value.length === 1 ? "" : "s"}, format ${definition.format}`;
    const take = fixed ? component.maxLength : Math.min(rest.length, component.maxLength);
    parts.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  if (rest !== "") return `too long: ${value.length} characters, at most ${definition.maxLength} (format ${definition.format})`;
  return parts;
};

const validTime = (hhmm: string): boolean => /^\d{4}$/.test(hhmm) && Number(hhmm.slice(0, 2)) <= 23 && Number(hhmm.slice(2)) <= 59;

/** Why a component part breaks a linter, or undefined when it passes (check digits are checked apart). */
const lint = (linter: Gs1Linter, part: string, referenceYear: number): string | undefined => {
  switch (linter) {
    case "yymmd0":
    case "yymmdd":
      return gs1DateToIso(part, referenceYear, linter === "yymmd0") === undefined ? `${part} is not a date YYMMDD${linter === "yymmd0" ? " (day 00 allowed)" : ""}` : undefined;
    case "yymmddhh":
      return gs1DateToIso(part.slice(0, 6), referenceYear, false) === undefined || Number(part.slice(6, 8)) > 23 ? `${part} is not a date and hour YYMMDDHH` : undefined;
    case "hhmm":
      return validTime(part) ? undefined : `${part} is not a time HHMM`;
    case "mmoptss":
      return /^(\d\d|\d{4})$/.test(part) && Number(part.slice(0, 2)) <= 59 && (part.length === 2 || Number(part.slice(2)) <= 59)
        ? undefined
        : `${part} is not minutes MM or minutes and seconds MMSS`;
    case "zero":
      return part === "0" ? undefined : "must be 0";
    case "nonzero":
      return /^0+$/.test(part) ? "must not be zero" : undefined;
    case "yesno":
      return part === "0" || part === "1" ? undefined : "must be 0 or 1";
    case "winding":
      return ["0", "1", "9"].includes(part) ? undefined : "winding direction must be 0, 1 or 9";
    case "pieceoftotal": {
      const piece = Number(part.slice(0, 2));
      const total = Number(part.slice(2, 4));
      return piece >= 1 && total >= 1 && piece <= total ? undefined : `piece ${part.slice(0, 2)} of total ${part.slice(2, 4)} is not a piece of the total`;
    }
    case "nozeroprefix":
      return part.length > 1 && part.startsWith("0") ? "must not start with 0" : undefined;
    case "hyphen":
      return part === "-" ? undefined : "the sign must be -";
    case "latitude":
      return Number(part) <= 1_800_000_000 ? undefined : "latitude out of range";
    case "longitude":
      return Number(part) <= 3_600_000_000 ? undefined : "longitude out of range";
    case "pcenc":
      return /%(?![0-9A-Fa-f]{2})/.test(part) ? "broken percent-encoding" : undefined;
    case "iso3166alpha2":
      return /^[A-Z]{2}$/.test(part) ? undefined : "must be an ISO 3166 alpha-2 country code";
    default:
      return undefined;
  }
};

/**
 * Checks a value against its AI: length and character set of every component, then its check
 * digit (`InvalidCheckDigit`) and content rules — dates, times, flags… (`InvalidAiValue`).
 * `referenceYear` resolves YYMMDD dates for the leap-day check (see {@link resolveCentury}).
 */
export const checkAiValue = (
  definition: AiDefinition,
  value: string,
  referenceYear: number = DEFAULT_REFERENCE_YEAR,
): Result.Result<ReadonlyArray<string>, InvalidAiValue | InvalidCheckDigit> => {
  const invalid = (reason: string) =>
    Result.fail(new InvalidAiValue({ ai: definition.ai, value, reason, message: `(${definition.ai}) ${JSON.stringify(value)}: ${reason}` }));
  const parts = splitComponents(definition, value);
  if (typeof parts === "string") return invalid(parts);
  const components = definition.components;
  for (let i = 0; i < components.length; i++) {
    const component = components[i];
    const part = parts[i];
    if (part === undefined || component === undefined) break;
    if (!CHARSET[component.charset].test(part)) return invalid(`${JSON.stringify(part)} must be ${CHARSET_NAME[component.charset]}`);
  }
  for (let i = 0; i < components.length; i++) {
    const component = components[i];
    const part = parts[i];
    if (part === undefined || component === undefined) break;
    if (component.linters.length === 0) continue;
    if (component.linters.includes("csum")) {
      const expected = gs1CheckDigit(part.slice(0, -1));
      if (String(expected) !== part.slice(-1))
        return Result.fail(
          new InvalidCheckDigit({
            ai: definition.ai,
            value,
            expected: String(expected),
            message: `(${definition.ai}) ${value}: check digit ${part.slice(-1)} is wrong, expected ${expected}`,
          }),
        );
    }
    if (component.linters.includes("csumalpha")) {
      const expected = part.length >= 2 ? gs1CheckCharacterPair(part.slice(0, -2)) : undefined;
      if (expected === undefined) return invalid("too short for a check character pair");
      if (expected !== part.slice(-2))
        return Result.fail(
          new InvalidCheckDigit({
            ai: definition.ai,
            value,
            expected,
            message: `(${definition.ai}) ${value}: check character pair ${part.slice(-2)} is wrong, expected ${expected}`,
          }),
        );
    }
    for (const linter of component.linters) {
      const problem = lint(linter, part, referenceYear);
      if (problem !== undefined) return invalid(problem);
    }
  }
  return Result.succeed(parts);
};
