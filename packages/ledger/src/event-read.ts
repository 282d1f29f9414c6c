/**
 * The fast structural reading of business events and entities: hand-written checks that accept
 * exactly what `BusinessEventSchema` and `EntitySchema` accept (a fast-check property
 * proves it over valid and mutated inputs), reading every decimal straight into a scaled integer.
 * On a refusal the caller asks zod, which names what is wrong; nothing here builds an error.
 *
 * Internal to `@jxc/ledger`: not exported from the package index.
 */
import type { Dec } from "@jxc/core";
import { BusinessEventSchema, EVENT_TYPES, type Entity, type EventType } from "./event.js";

/** The largest magnitude the integer path works with (2^52): sums, products and quotients of two such values stay exact in a double. */
export const FIXED_LIMIT = 2 ** 52;

/** A decimal read as `m × 10^-p`; `m` is `NaN` when the value is valid but outside the fast integer path (exponent, > 15 digits). */
export interface FixedDecimal {
  m: number;
  p: number;
}

const EMPTY = 0;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO_CODE = 48;
const NINE_CODE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * Reads a wire decimal: accepts exactly `^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$` (the
 * grammar of `@jxc/core`'s `DecimalString`). Returns false when the text does not match;
 * otherwise fills `out` (with `m = NaN` when the value does not fit the integer path).
 */
export const scanDecimal = (text: string, out: FixedDecimal): boolean => {
  const n = text.length;
  let i = 0;
  let c = n > 0 ? text.charCodeAt(0) : EMPTY;
  let negative = false;
  if (c === PLUS || c === MINUS) {
    negative = c === MINUS;
    i = 1;
  }
  let m = 0;
  let digits = 0; // significant digits in m
  let intDigits = 0;
  let fracDigits = 0;
  for (; i < n; i++) {
    c = text.charCodeAt(i);
    if (c < ZERO_CODE || c > NINE_CODE) break;
    intDigits++;
    if (m !== 0 || c !== ZERO_CODE) {
      m = m * 10 + (c - ZERO_CODE);
      digits++;
    }
  }
  if (i < n && text.charCodeAt(i) === DOT) {
    for (i++; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < ZERO_CODE || c > NINE_CODE) break;
      fracDigits++;
      if (m !== 0 || c !== ZERO_CODE) {
        m = m * 10 + (c - ZERO_CODE);
        digits++;
      }
    }
  }
  if (intDigits === 0 && fracDigits === 0) return false;
  let exponent = false;
  if (i < n) {
    c = text.charCodeAt(i);
    if (c !== LOWER_E && c !== UPPER_E) return false;
    i++;
    if (i < n && (text.charCodeAt(i) === PLUS || text.charCodeAt(i) === MINUS)) i++;
    const start = i;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c < ZERO_CODE || c > NINE_CODE) return false;
    }
    if (i === start) return false;
    exponent = true;
  }
  if (exponent || digits > 15 || fracDigits > 15) {
    out.m = Number.NaN;
    out.p = 0;
  } else {
    out.m = negative && m !== 0 ? -m : m;
    out.p = fracDigits;
  }
  return true;
};

/** Reads a decimal that is already a {@link Dec} (a parsed event) the same way as {@link scanDecimal}. */
export const scanDec = (value: Dec, out: FixedDecimal): void => {
  if (!value.isFinite() || value.decimalPlaces() > 15 || value.precision(true) > 15) {
    out.m = Number.NaN;
    out.p = 0;
    return;
  }
  scanDecimal(value.toFixed(), out);
};

/** One event line with its decimals as scaled integers (absent decimals are 0 with `has…` false). */
export class LineRecord {
  /** Fields of the line, as in `EventLineSchema`. */
  item = "";
  /** Item category. */
  category: string | undefined = undefined;
  /** Warehouse. */
  warehouse: string | undefined = undefined;
  /** Project. */
  project: string | undefined = undefined;
  /** Department. */
  department: string | undefined = undefined;
  /** Whether the line has a quantity, and a unit price. */
  hasQty = false;
  /** See {@link LineRecord.hasQty}. */
  hasPrice = false;
  /** Quantity `qtyM × 10^-qtyP`. */
  qtyM = 0;
  /** See {@link LineRecord.qtyM}. */
  qtyP = 0;
  /** Unit price. */
  priceM = 0;
  /** See {@link LineRecord.priceM}. */
  priceP = 0;
  /** Tax rate. */
  rateM = 0;
  /** See {@link LineRecord.rateM}. */
  rateP = 0;
  /** Cost. */
  costM = 0;
  /** See {@link LineRecord.costM}. */
  costP = 0;
  /** Fee. */
  feeM = 0;
  /** See {@link LineRecord.feeM}. */
  feeP = 0;
  /** Given amount. */
  amountM = 0;
  /** See {@link LineRecord.amountM}. */
  amountP = 0;
}

/** A business event read by {@link readBusinessEvent}: the fields of `BusinessEvent`, decimals as scaled integers. */
export interface EventRecord {
  readonly type: EventType;
  readonly businessId: string;
  readonly document: string | undefined;
  readonly at: string;
  readonly priceIncludesTax: boolean;
  /** The document is an export (出口). */
  readonly export: boolean;
  readonly customer: string | undefined;
  readonly supplier: string | undefined;
  readonly counterpartyType: string | undefined;
  readonly accountOverrides: Record<string, string>;
  readonly lines: ReadonlyArray<LineRecord>;
  /** Every decimal fits the integer path (otherwise derivation takes the decimal.js path). */
  readonly exact: boolean;
}

const EVENT_TYPE_SET: ReadonlySet<unknown> = new Set<unknown>(EVENT_TYPES);

// `z.iso.datetime({ offset: true })` of zod 4: a valid calendar date, `T`, hh:mm:ss with an
// optional fraction, then `Z` or ±hh:mm.
const INSTANT =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `z.string().min(1).optional()`: undefined, or a non-empty string. */
const optionalName = (v: unknown): v is string | undefined => v === undefined || (typeof v === "string" && v.length > 0);

const OVERRIDES = BusinessEventSchema.shape.accountOverrides;

/**
 * Reads a business event in one pass, or returns undefined when {@link BusinessEventSchema} would
 * refuse it (ask zod for the error then). Accepts exactly what the schema accepts.
 */
export const readBusinessEvent = (input: unknown): EventRecord | undefined => {
  if (!isObject(input)) return undefined;
  const type = input["type"];
  if (!EVENT_TYPE_SET.has(type)) return undefined;
  const businessId = input["businessId"];
  if (typeof businessId !== "string" || businessId.length === 0) return undefined;
  const document = input["document"];
  if (!optionalName(document)) return undefined;
  const at = input["at"];
  if (typeof at !== "string" || !INSTANT.test(at)) return undefined;
  let priceIncludesTax = input["priceIncludesTax"];
  if (priceIncludesTax === undefined) priceIncludesTax = false;
  else if (typeof priceIncludesTax !== "boolean") return undefined;
  let exported = input["export"];
  if (exported === undefined) exported = false;
  else if (typeof exported !== "boolean") return undefined;
  const customer = input["customer"];
  const supplier = input["supplier"];
  const counterpartyType = input["counterpartyType"];
  if (!optionalName(customer) || !optionalName(supplier) || !optionalName(counterpartyType)) return undefined;
  let accountOverrides: Record<string, string>;
  const overrides = input["accountOverrides"];
  if (overrides === undefined) accountOverrides = {};
  else {
    // rare: the record's own rules (plain objects, string keys and values) are zod's
    const parsed = OVERRIDES.safeParse(overrides);
    if (!parsed.success) return undefined;
    accountOverrides = parsed.data;
  }
  const rawLines = input["lines"];
  if (!Array.isArray(rawLines) || rawLines.length === 0) return undefined;
  const lines: LineRecord[] = new Array<LineRecord>(rawLines.length);
  const d: FixedDecimal = { m: 0, p: 0 };
  let exact = true;
  for (let i = 0; i < rawLines.length; i++) {
    const raw: unknown = rawLines[i];
    if (!isObject(raw)) return undefined;
    const line = new LineRecord();
    const item = raw["item"];
    if (typeof item !== "string" || item.length === 0) return undefined;
    line.item = item;
    const category = raw["category"];
    const warehouse = raw["warehouse"];
    const project = raw["project"];
    const department = raw["department"];
    if (!optionalName(category) || !optionalName(warehouse) || !optionalName(project) || !optionalName(department)) return undefined;
    line.category = category;
    line.warehouse = warehouse;
    line.project = project;
    line.department = department;
    let v = raw["qty"];
    if (v !== undefined) {
      if (typeof v !== "string" || !scanDecimal(v, d)) return undefined;
      line.hasQty = true;
      line.qtyM = d.m;
      line.qtyP = d.p;
      if (d.m !== d.m) exact = false;
    }
    v = raw["unitPrice"];
    if (v !== undefined) {
      if (typeof v !== "string" || !scanDecimal(v, d)) return undefined;
      line.hasPrice = true;
      line.priceM = d.m;
      line.priceP = d.p;
      if (d.m !== d.m) exact = false;
    }
    v = raw["taxRate"];
    if (v !== undefined) {
      if (typeof v !== "string" || !scanDecimal(v, d)) return undefined;
      line.rateM = d.m;
      line.rateP = d.p;
      if (d.m !== d.m) exact = false;
    }
    v = raw["cost"];
    if (v !== undefined) {
      if (typeof v !== "string" || !scanDecimal(v, d)) return undefined;
      line.costM = d.m;
      line.costP = d.p;
      if (d.m !== d.m) exact = false;
    }
    v = raw["fee"];
    if (v !== undefined) {
      if (typeof v !== "string" || !scanDecimal(v, d)) return undefined;
      line.feeM = d.m;
      line.feeP = d.p;
      if (d.m !== d.m) exact = false;
    }
    v = raw["amount"];
    if (v !== undefined) {
      if (typeof v !== "string" || !scanDecimal(v, d)) return undefined;
      line.amountM = d.m;
      line.amountP = d.p;
      if (d.m !== d.m) exact = false;
    }
    lines[i] = line;
  }
  return { type: type as EventType, businessId, document, at, priceIncludesTax: priceIncludesTax as boolean, export: exported as boolean, customer, supplier, counterpartyType, accountOverrides, lines, exact };
};

/** The record of an already parsed event (decimals as {@link Dec}), for the parsed hot path. */
export const recordOfParsed = (event: {
  readonly type: EventType;
  readonly businessId: string;
  readonly document?: string | undefined;
  readonly at: string;
  readonly priceIncludesTax: boolean;
  readonly export: boolean;
  readonly customer?: string | undefined;
  readonly supplier?: string | undefined;
  readonly counterpartyType?: string | undefined;
  readonly accountOverrides: Record<string, string>;
  readonly lines: ReadonlyArray<{
    readonly item: string;
    readonly category?: string | undefined;
    readonly warehouse?: string | undefined;
    readonly project?: string | undefined;
    readonly department?: string | undefined;
    readonly qty?: Dec | undefined;
    readonly unitPrice?: Dec | undefined;
    readonly taxRate?: Dec | undefined;
    readonly cost?: Dec | undefined;
    readonly fee?: Dec | undefined;
    readonly amount?: Dec | undefined;
  }>;
}): EventRecord => {
  const d: FixedDecimal = { m: 0, p: 0 };
  let exact = true;
  const lines = event.lines.map((raw) => {
    const line = new LineRecord();
    line.item = raw.item;
    line.category = raw.category;
    line.warehouse = raw.warehouse;
    line.project = raw.project;
    line.department = raw.department;
    if (raw.qty !== undefined) {
      scanDec(raw.qty, d);
      line.hasQty = true;
      line.qtyM = d.m;
      line.qtyP = d.p;
      if (d.m !== d.m) exact = false;
    }
    if (raw.unitPrice !== undefined) {
      scanDec(raw.unitPrice, d);
      line.hasPrice = true;
      line.priceM = d.m;
      line.priceP = d.p;
      if (d.m !== d.m) exact = false;
    }
    if (raw.taxRate !== undefined) {
      scanDec(raw.taxRate, d);
      line.rateM = d.m;
      line.rateP = d.p;
      if (d.m !== d.m) exact = false;
    }
    if (raw.cost !== undefined) {
      scanDec(raw.cost, d);
      line.costM = d.m;
      line.costP = d.p;
      if (d.m !== d.m) exact = false;
    }
    if (raw.fee !== undefined) {
      scanDec(raw.fee, d);
      line.feeM = d.m;
      line.feeP = d.p;
      if (d.m !== d.m) exact = false;
    }
    if (raw.amount !== undefined) {
      scanDec(raw.amount, d);
      line.amountM = d.m;
      line.amountP = d.p;
      if (d.m !== d.m) exact = false;
    }
    return line;
  });
  return {
    type: event.type,
    businessId: event.businessId,
    document: event.document,
    at: event.at,
    priceIncludesTax: event.priceIncludesTax,
    export: event.export,
    customer: event.customer,
    supplier: event.supplier,
    counterpartyType: event.counterpartyType,
    accountOverrides: event.accountOverrides,
    lines,
    exact: exact && event.lines.length > 0,
  };
};

const TAXPAYERS: ReadonlySet<unknown> = new Set<unknown>(["general", "small-scale"]);
const STANDARDS: ReadonlySet<unknown> = new Set<unknown>(["CAS", "small-enterprise"]);

/**
 * Reads an entity, or returns undefined when `EntitySchema` would refuse it (ask zod for the
 * error then). Accepts exactly what the schema accepts and fills the same defaults.
 */
export const readEntity = (input: unknown): Entity | undefined => {
  if (!isObject(input)) return undefined;
  let id = input["id"];
  if (id === undefined) id = "default";
  else if (typeof id !== "string" || id.length === 0) return undefined;
  const taxpayer = input["taxpayer"];
  if (!TAXPAYERS.has(taxpayer)) return undefined;
  let standard = input["standard"];
  if (standard === undefined) standard = "CAS";
  else if (!STANDARDS.has(standard)) return undefined;
  let exportRebate = input["exportRebate"];
  if (exportRebate === undefined) exportRebate = false;
  else if (typeof exportRebate !== "boolean") return undefined;
  let moneyScale = input["moneyScale"];
  if (moneyScale === undefined) moneyScale = 2;
  else if (typeof moneyScale !== "number" || !Number.isInteger(moneyScale) || moneyScale < 0 || moneyScale > 8) return undefined;
  let timeZone = input["timeZone"];
  if (timeZone === undefined) timeZone = "Asia/Shanghai";
  else if (typeof timeZone !== "string") return undefined;
  return {
    id: id as string,
    taxpayer: taxpayer as Entity["taxpayer"],
    standard: standard as Entity["standard"],
    exportRebate: exportRebate as boolean,
    moneyScale: moneyScale as number,
    timeZone: timeZone as string,
  };
};
