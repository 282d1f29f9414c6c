/**
 * The local operations a replica accepts, as zod schemas. Quantities are `Dec` values or
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
import { Dec, type InvalidInput, parseInput } from "@jxc/core";
import { Result } from "effect";
import { z } from "zod";
import { JsonValueSchema } from "../protocol/messages.js";

const Id = z.string().min(1).max(128);

const DECIMAL_TEXT = /^[+]?(\d+(\.\d*)?|\.\d+)$/;

/** A non-negative quantity: a `Dec` or a decimal string; parses into a `Dec`. */
export const QuantitySchema = z.unknown().transform((v, ctx): Dec => {
  if (typeof v === "string") {
    if (DECIMAL_TEXT.test(v)) return new Dec(v);
    ctx.addIssue({ code: "custom", message: 'must be a decimal string ≥ 0 such as "12.5"' });
    return z.NEVER;
  }
  if (Dec.isDecimal(v) && (v as Dec).isFinite() && !(v as Dec).isNegative()) return v as Dec;
  ctx.addIssue({ code: "custom", message: "must be a decimal (a Dec or a decimal string) ≥ 0" });
  return z.NEVER;
});
/** A quantity as written: a `Dec` or a decimal string. */
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
/** A local operation as written (quantities as `Dec` or decimal strings). */
export type LocalOperationInput = z.input<typeof LocalOperationSchema>;
/** The kind of a local operation. */
export type OperationKind = LocalOperation["kind"];

/** A local operation as JSON (quantities as decimal strings), to travel in an `op-request`. */
export const operationToJson = (op: LocalOperation): string =>
  JSON.stringify(op, (_k, v: unknown) => (Dec.isDecimal(v) ? (v as Dec).toString() : v));

const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 128;

/**
 * A bare stock operation read by the fast path of {@link parseOperation}: the same fields as
 * the schema's output, with its quantity already in scaled units (`units`); `qty` is built on
 * demand.
 */
export class BareStockOperation {
  /** A bare operation; `units` is `q` in units of `10^-scale`. */
  constructor(
    /** The kind. */
    readonly kind: "sale" | "receipt" | "requisition" | "transfer-in" | "scrap",
    /** The operation id. */
    readonly id: string,
    /** The item. */
    readonly item: string,
    /** The position. */
    readonly position: string,
    /** The lot, if any. */
    readonly lot: string | undefined,
    private readonly q: string | Dec,
    /** The quantity in scaled units. */
    readonly units: number,
  ) {}

  /** The quantity. */
  get qty(): Dec {
    return typeof this.q === "string" ? new Dec(this.q) : this.q;
  }

  /** The operation as the schema's output (plain data). */
  toJSON(): Record<string, unknown> {
    const base = { kind: this.kind, id: this.id, item: this.item, position: this.position, qty: this.qty.toString() };
    return this.lot === undefined ? base : { ...base, lot: this.lot };
  }
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** Units of a plain decimal string (`"12"`, `"0.5"`) at `scale`, or -1 when the fast path should not decide. */
const unitsOfText = (text: string, scale: number): number => {
  let units = 0;
  let places = -1;
  const n = text.length;
  if (n === 0 || n > 15) return -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (places >= 0) return -1;
      places = 0;
    } else if (c >= 48 && c <= 57) {
      if (places >= 0) {
        if (++places > scale) return -1;
      }
      units = units * 10 + (c - 48);
    } else return -1;
  }
  if (places === 0 && n === 1) return -1;
  return units * POW10[scale - (places < 0 ? 0 : places)]!;
};

/** The fields of a bare stock operation as given (checked by {@link bareStockUnits}). */
export interface BareStockInput {
  readonly kind: "sale" | "receipt" | "requisition" | "transfer-in" | "scrap";
  readonly id: string;
  readonly item: string;
  readonly position: string;
  readonly lot?: string | undefined;
  readonly qty: string | Dec;
}

/**
 * The quantity in units of `10^-scale` of a bare stock operation (sale, receipt, requisition,
 * transfer-in, scrap without optional fields, with a plain quantity that fits `scale`) — `input`
 * then is a valid {@link BareStockInput} — or -1 when it is not one (zod decides). Reads the
 * input without allocating: the hot path of a replica's local operations.
 */
export const bareStockUnits = (input: unknown, scale: number): number => {
  if (typeof input !== "object" || input === null) return -1;
  const v = input as Record<string, unknown>;
  const kind = v.kind;
  if (kind !== "sale" && kind !== "receipt" && kind !== "requisition" && kind !== "transfer-in" && kind !== "scrap") return -1;
  if (!isId(v.id) || !isId(v.item) || !isId(v.position) || (v.lot !== undefined && !isId(v.lot))) return -1;
  if (v.price !== undefined || v.customer !== undefined || v.unitCost !== undefined || v.supplier !== undefined) return -1;
  if (v.department !== undefined || v.reason !== undefined || v.transfer !== undefined) return -1;
  const q = v.qty;
  let units: number;
  if (typeof q === "string") units = unitsOfText(q, scale);
  else if (Dec.isDecimal(q) && (q as Dec).isFinite() && (q as Dec).gt(0) && (q as Dec).decimalPlaces() <= scale) units = Math.round((q as Dec).toNumber() * POW10[scale]!);
  else return -1;
  return units > 0 && units < 2 ** 50 ? units : -1;
};

/** The fast path of {@link parseOperation}: a bare stock operation, or `undefined` to let zod decide. */
const parseBareStockOperation = (input: unknown, scale: number): BareStockOperation | undefined => {
  const units = bareStockUnits(input, scale);
  if (units < 0) return undefined;
  const v = input as BareStockInput;
  return new BareStockOperation(v.kind, v.id, v.item, v.position, v.lot, v.qty, units);
};

/**
 * Validates a local operation against {@link LocalOperationSchema}. Bare stock operations
 * (sale, receipt, requisition, transfer-in, scrap without optional fields, with a plain
 * quantity that fits `scale`) are read by a hand-written fast path that accepts only what the
 * schema accepts; everything else, and every error, goes through zod.
 */
export const parseOperation = (input: unknown, scale = 3): Result.Result<LocalOperation, InvalidInput> => {
  const fast = parseBareStockOperation(input, scale);
  return fast !== undefined ? Result.succeed(fast as unknown as LocalOperation) : parseInput(LocalOperationSchema, input, "operation");
};
