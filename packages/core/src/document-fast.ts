import { decimalOfText, type Dec } from "./decimal.js";
import { InstantString, type StockDocument } from "./document.js";

/**
 * The fast path of {@link StockDocumentSchema} for the documents posted most (采购入库, 销售出库,
 * 调拨) in their plain form. It returns the parsed document exactly as the schema would, or
 * `undefined` for anything it does not recognise as plainly valid — unknown keys, keys present
 * with `undefined`, any doubtful value — so that the schema parses it (and names what is wrong).
 * It never accepts what the schema refuses; a property test holds it to that.
 */
export const readPlainDocument = (input: unknown): StockDocument | undefined => {
  if (!isRecord(input)) return undefined;
  const type = input.type;
  if (type !== "purchase-receipt" && type !== "sales-outbound" && type !== "transfer") return undefined;
  const party = type === "purchase-receipt" ? "supplier" : type === "sales-outbound" ? "customer" : undefined;
  let keys = 5; // id, businessId, at, type, lines
  if (!isId(input.id) || !isId(input.businessId) || typeof input.at !== "string" || !Array.isArray(input.lines) || input.lines.length === 0) return undefined;
  if ("memo" in input) {
    if (typeof input.memo !== "string" || input.memo.length > 500) return undefined;
    keys++;
  }
  if (party !== undefined && party in input) {
    if (!isId(input[party])) return undefined;
    keys++;
  }
  if (Object.keys(input).length !== keys) return undefined;
  if (!InstantString.safeParse(input.at).success) return undefined;
  const lines: unknown[] = new Array(input.lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = input.lines[i];
    const parsed = type === "purchase-receipt" ? receiptLine(line) : type === "sales-outbound" ? outboundLine(line) : transferLine(line);
    if (parsed === undefined) return undefined;
    lines[i] = parsed;
  }
  const doc: Record<string, unknown> = { id: input.id, businessId: input.businessId, at: input.at };
  if ("memo" in input) doc.memo = input.memo;
  doc.type = type;
  if (party !== undefined && party in input) doc[party] = input[party];
  doc.lines = lines;
  return doc as StockDocument;
};

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const isId = (v: unknown): v is string => typeof v === "string" && v.length >= 1 && v.length <= 128;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal string > 0 (`positive`) or ≥ 0, parsed; undefined otherwise. */
const decimal = (v: unknown, positive: boolean): Dec | undefined => {
  if (typeof v !== "string" || !DECIMAL_TEXT.test(v)) return undefined;
  const d = decimalOfText(v);
  // sign tests that do not build a decimal zero to compare with
  return (positive ? d.isPositive() && !d.isZero() : d.isPositive() || d.isZero()) ? d : undefined;
};

/** Copies the optional keys of a stock line that are present and valid into `out`; returns how many, or -1. */
const optionalStockKeys = (line: Rec, out: Rec, withPlace: boolean): number => {
  let n = 0;
  if ("unit" in line) {
    const unit = line.unit;
    if (typeof unit !== "string" || unit.length < 1 || unit.length > 16) return -1;
    out.unit = unit;
    n++;
  }
  if (withPlace) {
    if (!isId(line.warehouse)) return -1;
    out.warehouse = line.warehouse;
    n++;
    if ("location" in line) {
      if (!isId(line.location)) return -1;
      out.location = line.location;
      n++;
    }
  }
  if ("lot" in line) {
    if (!isId(line.lot)) return -1;
    out.lot = line.lot;
    n++;
  }
  if ("serials" in line) {
    const serials = line.serials;
    if (!Array.isArray(serials) || !serials.every(isId)) return -1;
    out.serials = serials.slice();
    n++;
  }
  return n;
};

/** Number of own keys of a plain record, counted without building the array of them. */
const keyCount = (r: Rec): number => {
  let n = 0;
  for (const _ in r) n++;
  return n;
};

const receiptLine = (line: unknown): Rec | undefined => {
  if (!isRecord(line) || !isId(line.item)) return undefined;
  const qty = decimal(line.qty, true);
  const unitCost = decimal(line.unitCost, false);
  if (qty === undefined || unitCost === undefined) return undefined;
  // the usual shape in one object literal: item, warehouse, qty, unit cost and nothing else
  if (keyCount(line) === 4 && isId(line.warehouse)) return { item: line.item, qty, warehouse: line.warehouse, unitCost };
  const out: Rec = { item: line.item, qty };
  const n = optionalStockKeys(line, out, true);
  if (n < 0) return undefined;
  out.unitCost = unitCost;
  // Dates are left to the schema (its calendar check is the reference).
  if ("productionDate" in line || "expiryDate" in line) return undefined;
  return Object.keys(line).length === 3 + n ? out : undefined;
};

const outboundLine = (line: unknown): Rec | undefined => {
  if (!isRecord(line) || !isId(line.item)) return undefined;
  const qty = decimal(line.qty, true);
  if (qty === undefined) return undefined;
  if (keyCount(line) === 3 && isId(line.warehouse)) return { item: line.item, qty, warehouse: line.warehouse };
  const out: Rec = { item: line.item, qty };
  let n = optionalStockKeys(line, out, true);
  if (n < 0) return undefined;
  if ("price" in line) {
    const price = decimal(line.price, false);
    if (price === undefined) return undefined;
    out.price = price;
    n++;
  }
  return Object.keys(line).length === 2 + n ? out : undefined;
};

const place = (v: unknown): Rec | undefined => {
  if (!isRecord(v) || !isId(v.warehouse)) return undefined;
  if (!("location" in v)) return Object.keys(v).length === 1 ? { warehouse: v.warehouse } : undefined;
  return isId(v.location) && Object.keys(v).length === 2 ? { warehouse: v.warehouse, location: v.location } : undefined;
};

const transferLine = (line: unknown): Rec | undefined => {
  if (!isRecord(line) || !isId(line.item)) return undefined;
  const qty = decimal(line.qty, true);
  const from = place(line.from);
  const to = place(line.to);
  if (qty === undefined || from === undefined || to === undefined) return undefined;
  const out: Rec = { item: line.item, qty };
  const n = optionalStockKeys(line, out, false);
  if (n < 0) return undefined;
  out.from = from;
  out.to = to;
  return Object.keys(line).length === 4 + n ? out : undefined;
};
