/**
 * 采购申请 — the purchase-request document: what should be bought, from which supplier, for which
 * warehouse, by when. It is a request, not a receipt: it moves no stock and derives no voucher.
 * Replenishment planning (`@jxc/forecast`) produces these; a person accepts, changes or rejects
 * them before they become purchase orders.
 *
 * @module
 */
import type { Result } from "effect";
import { z } from "zod";
import { PositiveDecimalString } from "./decimal.js";
import { DateString, InstantString } from "./document.js";
import type { InvalidInput } from "./errors.js";
import { UnitCode } from "./item.js";
import { parseInput } from "./validation.js";

const Id = z.string().min(1).max(128);

/** The life cycle of a purchase request: drafted, submitted for approval, approved, rejected, cancelled. */
export const PurchaseRequestStatusSchema = z.enum(["draft", "submitted", "approved", "rejected", "cancelled"]);
/** A {@link PurchaseRequestStatusSchema} value. */
export type PurchaseRequestStatus = z.output<typeof PurchaseRequestStatusSchema>;

/** One line of a purchase request: an item, a positive quantity (decimal string), the date it is needed by and why. */
export const PurchaseRequestLineSchema = z.strictObject({
  item: Id,
  /** Quantity in `unit` (the item's base unit when omitted), a positive decimal string. */
  qty: PositiveDecimalString,
  unit: UnitCode.optional(),
  /** The date the goods are needed in the warehouse (到货需求日期). */
  needBy: DateString,
  /** Why this quantity: the forecast, stock, pipeline, safety stock, policy and rule that fired, in words. */
  explanation: z.string().max(8000).optional(),
});
/** A parsed {@link PurchaseRequestLineSchema}. */
export type PurchaseRequestLine = z.output<typeof PurchaseRequestLineSchema>;

/** 采购申请 — a purchase request to one supplier for one warehouse. Moves no stock. */
export const PurchaseRequestSchema = z.strictObject({
  /** Unique id of the document. */
  id: Id,
  /** The business ID shared by the request and the order, receipt, invoice and payment that follow it. */
  businessId: Id,
  /** When the request was made (an instant with offset). */
  at: InstantString,
  type: z.literal("purchase-request"),
  supplier: Id,
  warehouse: Id,
  status: PurchaseRequestStatusSchema,
  memo: z.string().max(500).optional(),
  lines: z.array(PurchaseRequestLineSchema).min(1),
});
/** A parsed {@link PurchaseRequestSchema} (quantities are `Dec`). */
export type PurchaseRequest = z.output<typeof PurchaseRequestSchema>;
/** The wire form of a {@link PurchaseRequestSchema} (quantities are decimal strings). */
export type PurchaseRequestInput = z.input<typeof PurchaseRequestSchema>;

/**
 * Reads a purchase request from wire data. Malformed input is an {@link InvalidInput} naming every
 * field at fault (e.g. `lines.0.qty`).
 */
export const parsePurchaseRequest = (input: unknown): Result.Result<PurchaseRequest, InvalidInput> =>
  parseInput(PurchaseRequestSchema, input, "purchase request");

/** Writes a purchase request back to its wire form (quantities as decimal strings). */
export const purchaseRequestToWire = (request: PurchaseRequest): PurchaseRequestInput => ({
  ...request,
  lines: request.lines.map((line) => ({ ...line, qty: line.qty.toString() })),
});
