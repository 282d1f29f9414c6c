import { Result } from "effect";
import { z } from "zod";
import { Dec, DecimalString, PositiveDecimalString } from "./decimal.js";
import { RuleViolation } from "./errors.js";

/** A unit of measure code such as `件`, `箱`, `kg`, `pcs`. */
export const UnitCode = z.string().min(1).max(16);

/** One conversion: `1 unit = factor × base unit` (e.g. 1 箱 = 12 件), an exact decimal. */
export const UnitConversionSchema = z.object({
  unit: UnitCode,
  factor: PositiveDecimalString,
});
/** A parsed {@link UnitConversionSchema}. */
export type UnitConversion = z.output<typeof UnitConversionSchema>;

/** Valuation methods of the stock ledger. `lifo` is an explicit opt-in: not allowed under CAS (removed 2007) or IFRS. */
export const ValuationMethodSchema = z.enum([
  "fifo",
  "moving-average",
  "monthly-weighted-average",
  "specific",
  "standard",
  "lifo",
]);
/** FIFO, 移动加权平均, 月末一次加权平均, 个别计价, 标准成本, or LIFO (opt-in only). */
export type ValuationMethod = z.output<typeof ValuationMethodSchema>;

/** An item (物料/商品) with its base unit and conversions. */
export const ItemSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    /** The unit every quantity is kept in on the ledger. */
    baseUnit: UnitCode,
    conversions: z.array(UnitConversionSchema).default([]),
    category: z.string().min(1).optional(),
    /** Overrides the category's and the tenant's valuation method. */
    method: ValuationMethodSchema.optional(),
    /** Lot (批次) required on every move. */
    lotTracked: z.boolean().default(false),
    /** Serial numbers (序列号) required on every move, one per base unit. */
    serialTracked: z.boolean().default(false),
    /** Shelf life in days, used to derive an expiry date when a receipt gives only the production date. */
    shelfLifeDays: z.number().int().positive().optional(),
    /** Standard unit cost per base unit, for the `standard` method. */
    standardCost: DecimalString.optional(),
  })
  .superRefine((item, ctx) => {
    const seen = new Set<string>([item.baseUnit]);
    item.conversions.forEach((c, i) => {
      if (seen.has(c.unit)) ctx.addIssue({ code: "custom", path: ["conversions", i, "unit"], message: `unit ${c.unit} is defined twice` });
      seen.add(c.unit);
    });
    if (item.standardCost?.isNegative()) ctx.addIssue({ code: "custom", path: ["standardCost"], message: "must be 0 or greater" });
  });
/** A parsed {@link ItemSchema}. */
export type Item = z.output<typeof ItemSchema>;
/** An item as written on the wire (decimals as strings). */
export type ItemInput = z.input<typeof ItemSchema>;

/**
 * Converts `qty` in `unit` to the item's base unit, exactly (`qty × factor`).
 * An unknown unit is a {@link RuleViolation} naming `path`.
 */
export const toBaseQuantity = (item: Item, qty: Dec, unit: string | undefined, path: string): Result.Result<Dec, RuleViolation> => {
  if (unit === undefined || unit === item.baseUnit) return Result.succeed(qty);
  const conversion = item.conversions.find((c) => c.unit === unit);
  if (!conversion)
    return Result.fail(new RuleViolation({ path, message: `item ${item.id} has no unit ${unit} (base unit ${item.baseUnit})` }));
  return Result.succeed(qty.times(conversion.factor));
};

/** Converts a base-unit quantity to `unit` (exact division; may have many decimal places). */
export const fromBaseQuantity = (item: Item, qty: Dec, unit: string): Result.Result<Dec, RuleViolation> => {
  if (unit === item.baseUnit) return Result.succeed(qty);
  const conversion = item.conversions.find((c) => c.unit === unit);
  if (!conversion) return Result.fail(new RuleViolation({ path: "unit", message: `item ${item.id} has no unit ${unit}` }));
  return Result.succeed(new Dec(qty).dividedBy(conversion.factor));
};
