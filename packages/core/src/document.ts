import { z } from "zod";
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString } from "./decimal.js";
import { UnitCode } from "./item.js";

/** An instant, ISO-8601 with an explicit offset (`2026-01-02T09:00:00+08:00`). */
export const InstantString = z.iso.datetime({ offset: true });

/** A calendar date, `YYYY-MM-DD`. */
export const DateString = z.iso.date();

const Id = z.string().min(1).max(128);

/** A reference to one line of an earlier document (0-based line index). */
export const LineRefSchema = z.object({ document: Id, line: z.number().int().nonnegative() });
/** A parsed {@link LineRefSchema}. */
export type LineRef = z.output<typeof LineRefSchema>;

const header = {
  /** Unique id of the document. */
  id: Id,
  /** The business ID shared by every document, voucher, invoice and payment of one business. */
  businessId: Id,
  /** Business time (业务时间): where the document sits in the ledger. */
  at: InstantString,
  memo: z.string().max(500).optional(),
};

const stockLine = {
  item: Id,
  /** Quantity in `unit` (the item's base unit when omitted). */
  qty: PositiveDecimalString,
  unit: UnitCode.optional(),
  warehouse: Id,
  location: Id.optional(),
  lot: Id.optional(),
  serials: z.array(Id).optional(),
};

/** 采购入库 — purchase receipt: stock in at the purchase unit cost (net of deductible VAT). */
export const PurchaseReceiptSchema = z.object({
  ...header,
  type: z.literal("purchase-receipt"),
  supplier: Id.optional(),
  lines: z
    .array(
      z.object({
        ...stockLine,
        /** Cost per `unit`, excluding deductible input VAT. */
        unitCost: NonNegativeDecimalString,
        productionDate: DateString.optional(),
        expiryDate: DateString.optional(),
      }),
    )
    .min(1),
});

/** 销售出库 — sales outbound: stock out at the valuation method's cost. */
export const SalesOutboundSchema = z.object({
  ...header,
  type: z.literal("sales-outbound"),
  customer: Id.optional(),
  lines: z.array(z.object({ ...stockLine, price: NonNegativeDecimalString.optional() })).min(1),
});

/** 销售退货 (红字出库) — sales return: back in at the cost of the outbound line it references. */
export const SalesReturnSchema = z.object({
  ...header,
  type: z.literal("sales-return"),
  customer: Id.optional(),
  lines: z.array(z.object({ ...stockLine, ref: LineRefSchema })).min(1),
});

/** 采购退货 — purchase return: out at the cost of the receipt line it references. */
export const PurchaseReturnSchema = z.object({
  ...header,
  type: z.literal("purchase-return"),
  supplier: Id.optional(),
  lines: z.array(z.object({ ...stockLine, ref: LineRefSchema })).min(1),
});

const place = z.object({ warehouse: Id, location: Id.optional() });

/** 调拨 — transfer between warehouses or locations: out at cost, in at the same cost (FIFO layers travel). */
export const TransferSchema = z.object({
  ...header,
  type: z.literal("transfer"),
  lines: z
    .array(
      z.object({
        item: Id,
        qty: PositiveDecimalString,
        unit: UnitCode.optional(),
        lot: Id.optional(),
        serials: z.array(Id).optional(),
        from: place,
        to: place,
      }),
    )
    .min(1),
});

/** 盘点 — stocktake: counted quantities; differences become gain/loss moves at the position's current cost. */
export const StocktakeSchema = z.object({
  ...header,
  type: z.literal("stocktake"),
  lines: z
    .array(
      z.object({
        item: Id,
        warehouse: Id,
        location: Id.optional(),
        lot: Id.optional(),
        unit: UnitCode.optional(),
        counted: NonNegativeDecimalString,
      }),
    )
    .min(1),
});

/** 调整 — quantity adjustment: `qty` signed; an increase comes in at `unitCost` (or the current cost), a decrease goes out at cost. */
export const AdjustmentSchema = z.object({
  ...header,
  type: z.literal("adjustment"),
  reason: z.string().max(200).optional(),
  lines: z
    .array(
      z.object({
        item: Id,
        qty: DecimalString.refine((d) => !d.isZero(), { message: "must not be 0" }),
        unit: UnitCode.optional(),
        warehouse: Id,
        location: Id.optional(),
        lot: Id.optional(),
        unitCost: NonNegativeDecimalString.optional(),
      }),
    )
    .min(1),
});

/**
 * 入库成本调整 — a zero-quantity cost adjustment linked to a receipt: a landed cost (freight, duty…)
 * or a revaluation (e.g. the supplier's invoice differs from the provisional price). The amount
 * is split between the receipt's units still on hand (added to stock value) and those already
 * issued (reported as a cost-of-sales difference).
 */
export const CostAdjustmentSchema = z.object({
  ...header,
  type: z.literal("cost-adjustment"),
  reason: z.enum(["landed-cost", "revaluation"]),
  /** The purchase receipt the cost belongs to. */
  receipt: Id,
  /** Either per receipt line amounts, or one amount allocated over the lines by value or quantity. */
  allocation: z.discriminatedUnion("by", [
    z.object({ by: z.literal("lines"), lines: z.array(z.object({ line: z.number().int().nonnegative(), amount: DecimalString })).min(1) }),
    z.object({ by: z.enum(["value", "qty"]), amount: DecimalString }),
  ]),
});

/** 期初 — opening balances when a tenant starts on jxc: quantity and value per position. */
export const OpeningBalanceSchema = z.object({
  ...header,
  type: z.literal("opening-balance"),
  lines: z
    .array(
      z.object({
        item: Id,
        qty: PositiveDecimalString,
        unit: UnitCode.optional(),
        value: NonNegativeDecimalString,
        warehouse: Id,
        location: Id.optional(),
        lot: Id.optional(),
        serials: z.array(Id).optional(),
      }),
    )
    .min(1),
});

/** Every stock document the ledger posts, discriminated by `type`. */
export const StockDocumentSchema = z.discriminatedUnion("type", [
  PurchaseReceiptSchema,
  SalesOutboundSchema,
  SalesReturnSchema,
  PurchaseReturnSchema,
  TransferSchema,
  StocktakeSchema,
  AdjustmentSchema,
  CostAdjustmentSchema,
  OpeningBalanceSchema,
]);
/** A parsed stock document (decimals as {@link Dec}). */
export type StockDocument = z.output<typeof StockDocumentSchema>;
/** A stock document as written on the wire (decimals as strings). */
export type StockDocumentInput = z.input<typeof StockDocumentSchema>;
/** The `type` of a stock document. */
export type StockDocumentType = StockDocument["type"];
