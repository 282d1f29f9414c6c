/**
 * 扫码退货 — a red-letter sales return (销售退货, 红字出库) created by scanning the QR code printed on
 * the original outbound document. The QR carries a GS1 Digital Link or element string with
 * (400) the customer order / outbound document number, (01) the GTIN, (10) the lot and
 * optionally (37) or (30) the quantity; the return references the outbound line it reverses so
 * that it comes back in at that line's cost.
 *
 * @module
 */
import { Dec, InvalidInput, SalesReturnSchema, parseInput, type StockDocumentInput } from "@jxc/core";
import { Data, Result } from "effect";
import { decodeGs1, type Gs1DecodeOptions } from "./gs1.js";
import type { Gs1Error } from "./gs1-ai.js";

/** A sales return as written on the wire — the `sales-return` member of `StockDocumentInput`. */
export type SalesReturnInput = Extract<StockDocumentInput, { type: "sales-return" }>;

/** An outbound (销售出库) line as the caller's store knows it. */
export interface OutboundLine {
  /** The outbound document's id. */
  readonly document: string;
  /** The line's 0-based index in that document. */
  readonly line: number;
  readonly item: string;
  readonly warehouse: string;
  readonly location?: string;
  readonly lot?: string;
  /** Unit of {@link OutboundLine.qty} (the item's base unit when omitted); the return uses the same unit. */
  readonly unit?: string;
  /** Quantity shipped on the line. */
  readonly qty: Dec;
  /** Quantity already returned against the line by earlier returns. */
  readonly returned: Dec;
}

/** What {@link returnFromQr} asks of the caller's store. */
export interface ReturnLookup {
  /** The outbound line of `document` (the QR's (400)) that shipped `gtin` (and `lot`, when the QR has one). */
  outboundLine(document: string, gtin: string, lot?: string): OutboundLine | undefined;
  /** The item of a GTIN; when given, a line of another item is refused as `UnknownOutboundLine`. */
  itemOfGtin?(gtin: string): string | undefined;
}

/** The header of the return, supplied by the caller (no clock, no id generator inside). */
export interface ReturnHeader {
  /** Unique id of the return document. */
  readonly id: string;
  /** The business ID (usually the outbound document's). */
  readonly businessId: string;
  /** Business time, ISO-8601 with offset. */
  readonly at: string;
  readonly customer?: string;
  readonly memo?: string;
  /** Warehouse (and location) the goods come back into; default the outbound line's. */
  readonly warehouse?: string;
  readonly location?: string;
  /** Quantity returned, overriding the QR's (37)/(30); default the QR's, else everything left to return. */
  readonly qty?: Dec | string;
}

/** The QR lacks what a return needs: (400) the document number or (01) the GTIN. */
export class IncompleteReturnQr extends Data.TaggedError("IncompleteReturnQr")<{
  /** The missing AIs, e.g. `["400"]`. */
  readonly missing: ReadonlyArray<string>;
  readonly message: string;
}> {}

/** No outbound line of that document shipped that GTIN (and lot): the return references nothing real. */
export class UnknownOutboundLine extends Data.TaggedError("UnknownOutboundLine")<{
  readonly document: string;
  readonly gtin: string;
  readonly lot: string | undefined;
  readonly message: string;
}> {}

/** The return asks for more than is left to return on the outbound line (shipped − already returned). */
export class ReturnExceedsOutbound extends Data.TaggedError("ReturnExceedsOutbound")<{
  readonly document: string;
  readonly line: number;
  /** Quantity asked for, decimal string. */
  readonly requested: string;
  /** Quantity still returnable, decimal string. */
  readonly remaining: string;
  readonly message: string;
}> {}

/** A quantity that is not a positive decimal (from the QR's (37)/(30) or the header). */
export class InvalidReturnQuantity extends Data.TaggedError("InvalidReturnQuantity")<{
  readonly qty: string;
  readonly message: string;
}> {}

/** Every failure of {@link returnFromQr}. */
export type ReturnFromQrError = Gs1Error | IncompleteReturnQr | UnknownOutboundLine | ReturnExceedsOutbound | InvalidReturnQuantity | InvalidInput;

const DECIMAL = /^\d+(\.\d+)?$/;

const quantityOf = (qty: Dec | string): Result.Result<Dec, InvalidReturnQuantity> => {
  if (typeof qty !== "string") {
    return qty.isFinite() && qty.gt(0) ? Result.succeed(qty) : Result.fail(new InvalidReturnQuantity({ qty: qty.toString(), message: `return quantity ${qty.toString()} must be greater than 0` }));
  }
  if (!DECIMAL.test(qty)) return Result.fail(new InvalidReturnQuantity({ qty, message: `return quantity ${JSON.stringify(qty)} is not a decimal` }));
  const value = new Dec(qty);
  return value.gt(0) ? Result.succeed(value) : Result.fail(new InvalidReturnQuantity({ qty, message: `return quantity ${qty} must be greater than 0` }));
};

/**
 * Builds a `sales-return` document from the QR code of the original outbound order: decodes it
 * (Digital Link or element string, see `decodeGs1`), finds the outbound line of (400) + (01)
 * [+ (10)] through `lookup`, and returns one line referencing it (`ref: { document, line }`),
 * in the outbound line's item, unit, warehouse and lot (the warehouse may be overridden by the
 * header). The quantity is the header's, else the QR's (37) or (30), else all that is left.
 *
 * Failures: any GS1 decoding error; `IncompleteReturnQr` without (400) or (01);
 * `UnknownOutboundLine`; `InvalidReturnQuantity`; `ReturnExceedsOutbound` when the quantity is
 * more than shipped minus already returned; `InvalidInput` when the header does not make a valid
 * document (e.g. an `at` without offset).
 */
export const returnFromQr = (
  qrText: string,
  lookup: ReturnLookup,
  header: ReturnHeader,
  options: Gs1DecodeOptions = {},
): Result.Result<SalesReturnInput, ReturnFromQrError> => {
  const decoded = decodeGs1(qrText, options);
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure);
  const element = decoded.success;
  const document = element.orderNumber;
  const gtin = element.gtin;
  if (document === undefined || gtin === undefined) {
    const missing = [...(document === undefined ? ["400"] : []), ...(gtin === undefined ? ["01"] : [])];
    return Result.fail(new IncompleteReturnQr({ missing, message: `the QR code has no ${missing.map((ai) => `(${ai})`).join(" and ")}: it does not name an outbound line` }));
  }
  const lot = element.lot;
  const line = lookup.outboundLine(document, gtin, lot);
  const item = lookup.itemOfGtin?.(gtin);
  if (!line || (lookup.itemOfGtin !== undefined && item !== line.item))
    return Result.fail(
      new UnknownOutboundLine({
        document,
        gtin,
        lot,
        message: line
          ? `outbound ${document} line ${line.line} is item ${line.item}, but GTIN ${gtin} is ${item ?? "no known item"}`
          : `outbound ${document} has no line of GTIN ${gtin}${lot === undefined ? "" : ` lot ${lot}`}`,
      }),
    );
  const remaining = line.qty.minus(line.returned);
  const asked = header.qty ?? element.count ?? element.variableCount;
  let qty: Dec;
  if (asked === undefined) qty = remaining;
  else {
    const parsed = quantityOf(asked);
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    qty = parsed.success;
  }
  if (qty.gt(remaining) || !remaining.gt(0))
    return Result.fail(
      new ReturnExceedsOutbound({
        document: line.document,
        line: line.line,
        requested: qty.toFixed(),
        remaining: remaining.toFixed(),
        message: `return of ${qty.toFixed()} exceeds what is left to return on ${line.document} line ${line.line}: ${remaining.toFixed()} (shipped ${line.qty.toFixed()}, returned ${line.returned.toFixed()})`,
      }),
    );
  const location = header.warehouse !== undefined ? header.location : (header.location ?? line.location);
  const returnLot = line.lot ?? lot;
  const doc: SalesReturnInput = {
    id: header.id,
    businessId: header.businessId,
    at: header.at,
    type: "sales-return",
    ...(header.customer === undefined ? {} : { customer: header.customer }),
    ...(header.memo === undefined ? {} : { memo: header.memo }),
    lines: [
      {
        item: line.item,
        qty: qty.toFixed(),
        ...(line.unit === undefined ? {} : { unit: line.unit }),
        warehouse: header.warehouse ?? line.warehouse,
        ...(location === undefined ? {} : { location }),
        ...(returnLot === undefined ? {} : { lot: returnLot }),
        ref: { document: line.document, line: line.line },
      },
    ],
  };
  const valid = parseInput(SalesReturnSchema, doc, "sales return");
  return Result.isFailure(valid) ? Result.fail(valid.failure) : Result.succeed(doc);
};
