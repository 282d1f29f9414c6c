/**
 * The local operations a replica accepts, as zod schemas. Quantities are {@link Dec} values or
 * decimal strings (`"12.5"`), never JS numbers; they are exact to the replica's quantity scale.
 *
 * | kind            | 中文      | stock effect at the replica                      |
 * |-----------------|-----------|--------------------------------------------------|
 * | `sale`          | 销售出库  | − qty at `position` (consumes local rights)      |
 * | `requisition`   | 领用      | − qty at `position`                              |
 * | `scrap`         | 报废      | − qty at `position`                              |
 * | `receipt`       | 入库      | + qty at `position` (creates rights here)        |
 * | `transfer-out`  | 调拨出库  | − qty at `from` (goods in transit to `to`)       |
 * | `transfer-in`   | 调拨入库  | + qty at `position` (when the goods arrive)      |
 * | `move`          | 移库      | − qty at `from`, + qty at `to`, atomically       |
 * | `stocktake`     | 盘点      | to `counted`: gain (+) or loss (− within rights) |
 * | `price-change`  | 调价      | the item's price register (last writer wins)     |
 * | `master-data`   | 主数据    | a register of a table (items, policies…)         |
 *
 * @module
 */
import { Dec } from "@jxc/core";
import { z } from "zod";
import { JsonValueSchema } from "../protocol/messages.js";

const Id = z.string().min(1).max(128);

const DECIMAL_TEXT = /^[+]?(\d+(\.\d*)?|\.\d+)$/;

/** A non-negative quantity: a {@link Dec} or a decimal string; parses into a {@link Dec}. */
export const QuantitySchema = z.union([
  z.custom<Dec>((v) => Dec.isDecimal(v) && (v as Dec).isFinite() && !(v as Dec).isNegative(), { message: "must be a finite decimal ≥ 0" }),
  z
    .string()
    .regex(DECIMAL_TEXT, { message: 'must be a decimal string ≥ 0 such as "12.5"' })
    .transform((s) => new Dec(s)),
]);
/** A quantity as written: a {@link Dec} or a decimal string. */
export type QuantityInput = Dec | string;

const PositiveQuantity = QuantitySchema.refine((d) => d.gt(0), { message: "must be greater than 0" });

const at = { id: Id, item: Id, position: Id, lot: Id.optional() };

/** 销售出库 — a sale out of `position`. */
export const SaleSchema = z.object({ kind: z.literal("sale"), ...at, qty: PositiveQuantity, price: QuantitySchema.optional(), customer: Id.optional() });
/** 领用 — a staff requisition out of `position`. */
export const RequisitionSchema = z.object({ kind: z.literal("requisition"), ...at, qty: PositiveQuantity, department: Id.optional() });
/** 报废 — scrapping stock at `position`. */
export const ScrapSchema = z.object({ kind: z.literal("scrap"), ...at, qty: PositiveQuantity, reason: z.string().max(200).optional() });
/** 入库 — a receipt into `position` (rights are created here). */
export const ReceiptSchema = z.object({ kind: z.literal("receipt"), ...at, qty: PositiveQuantity, unitCost: QuantitySchema.optional(), supplier: Id.optional() });
/** 调拨出库 — goods leave `from` for `to`; `crossRegion` marks a transfer between regions. */
export const TransferOutSchema = z.object({
  kind: z.literal("transfer-out"),
  id: Id,
  item: Id,
  from: Id,
  to: Id,
  lot: Id.optional(),
  qty: PositiveQuantity,
  crossRegion: z.boolean().default(false),
});
/** 调拨入库 — goods of a transfer arrive at `position`. */
export const TransferInSchema = z.object({ kind: z.literal("transfer-in"), ...at, qty: PositiveQuantity, transfer: Id.optional() });
/** 移库 — a move between two positions of this replica, out and in at once. */
export const MoveSchema = z.object({ kind: z.literal("move"), id: Id, item: Id, from: Id, to: Id, lot: Id.optional(), qty: PositiveQuantity });
/** 盘点 — a count: the position is brought to `counted` (a loss needs rights). */
export const StocktakeSchema = z.object({ kind: z.literal("stocktake"), ...at, counted: QuantitySchema });
/** 调价 — a new price for an item (the `prices` register). */
export const PriceChangeSchema = z.object({ kind: z.literal("price-change"), id: Id, item: Id, price: QuantitySchema });
/** 主数据 — a master-data register write (`value: null` deletes). */
export const MasterDataSchema = z.object({ kind: z.literal("master-data"), id: Id, table: Id, key: Id, value: JsonValueSchema });

/** Any local operation. */
export const LocalOperationSchema = z.discriminatedUnion("kind", [
  SaleSchema,
  RequisitionSchema,
  ScrapSchema,
  ReceiptSchema,
  TransferOutSchema,
  TransferInSchema,
  MoveSchema,
  StocktakeSchema,
  PriceChangeSchema,
  MasterDataSchema,
]);
/** A parsed local operation. */
export type LocalOperation = z.output<typeof LocalOperationSchema>;
/** A local operation as written (quantities as {@link Dec} or decimal strings). */
export type LocalOperationInput = z.input<typeof LocalOperationSchema>;
/** The kind of a local operation. */
export type OperationKind = LocalOperation["kind"];

/** A local operation as JSON (quantities as decimal strings), to travel in an `op-request`. */
export const operationToJson = (op: LocalOperation): string =>
  JSON.stringify(op, (_k, v: unknown) => (Dec.isDecimal(v) ? (v as Dec).toString() : v));
