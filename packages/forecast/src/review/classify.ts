/**
 * ABC/XYZ classification of SKUs (ABC/XYZ 分类).
 *
 * - **ABC by gross-profit contribution** (毛利贡献): each SKU's gross profit is
 *   Σ (price − cost) × qty over its sales lines, exact in decimals. SKUs are ranked by gross
 *   profit, descending (ties by SKU code, ascending by UTF-16 code units, so the ranking never
 *   depends on input order). A SKU's share is its gross profit ÷ the total of the positive gross
 *   profits; its class is set by the cumulative share of the SKUs ranked **before** it: A while
 *   that is below boundary `a`, B while below `b`, C otherwise. So A holds the SKUs that cover
 *   the first `a` of gross profit (the SKU that crosses the boundary belongs to A), and A's share
 *   is at most `a` plus the share of its last SKU. SKUs with zero or negative gross profit are
 *   always C (their share counts as 0); when no SKU has a positive gross profit every SKU is C.
 * - **XYZ by demand volatility**: the coefficient of variation (CV, 变异系数) of demand per period,
 *   population standard deviation ÷ mean, over the periods given (include zero-demand periods).
 *   X when CV ≤ `x`, Y when CV ≤ `y`, Z otherwise; a SKU whose mean demand is zero has CV `NaN`
 *   and is Z. The CV is a statistic (float64); it is computed in decimals and converted once.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { Dec, DecimalString, NonNegativeDecimalString, ZERO, parseInput, type InvalidInput } from "@jxc/core";
import { DuplicateSku, InvalidClassBoundaries } from "./errors.js";

/** One sales line of a SKU: quantity sold at a unit price and a unit cost (negative quantities are returns). */
export const SkuSalesLineSchema = z.strictObject({
  qty: DecimalString,
  price: NonNegativeDecimalString,
  cost: NonNegativeDecimalString,
});
/** A {@link SkuSalesLineSchema} value. */
export type SkuSalesLine = z.output<typeof SkuSalesLineSchema>;

/**
 * The history of one SKU to classify: its sales lines (for gross profit) and its demand per
 * period, oldest first, zero-demand periods included (for the CV). `category` is carried through.
 */
export const SkuHistorySchema = z.strictObject({
  sku: z.string().min(1),
  category: z.string().min(1).optional(),
  sales: z.array(SkuSalesLineSchema),
  demand: z.array(NonNegativeDecimalString).min(1),
});
/** A {@link SkuHistorySchema} input (decimals as strings). */
export type SkuHistoryInput = z.input<typeof SkuHistorySchema>;
/** A parsed {@link SkuHistorySchema} value. */
export type SkuHistory = z.output<typeof SkuHistorySchema>;

const Share = z.number().gt(0).lte(1);

/** ABC boundaries as cumulative gross-profit shares in (0, 1]: A below `a`, B below `b` (default 0.8 / 0.95). */
export const AbcBoundariesSchema = z.strictObject({ a: Share.default(0.8), b: Share.default(0.95) });
/** An {@link AbcBoundariesSchema} value. */
export type AbcBoundaries = z.output<typeof AbcBoundariesSchema>;

/** XYZ boundaries as coefficients of variation: X up to `x`, Y up to `y` (default 0.5 / 1.0). */
export const XyzBoundariesSchema = z.strictObject({ x: z.number().nonnegative().default(0.5), y: z.number().nonnegative().default(1) });
/** An {@link XyzBoundariesSchema} value. */
export type XyzBoundaries = z.output<typeof XyzBoundariesSchema>;

/** Options of {@link classifySkus}: the class boundaries. */
export const ClassificationOptionsSchema = z.strictObject({
  abc: AbcBoundariesSchema.prefault({}),
  xyz: XyzBoundariesSchema.prefault({}),
});
/** An {@link ClassificationOptionsSchema} input. */
export type ClassificationOptions = z.input<typeof ClassificationOptionsSchema>;

/** ABC class by gross-profit contribution. */
export type AbcClass = "A" | "B" | "C";
/** XYZ class by demand volatility. */
export type XyzClass = "X" | "Y" | "Z";

/** One SKU's classification. */
export interface SkuClassification {
  /** The SKU. */
  readonly sku: string;
  /** Its category, when given. */
  readonly category?: string | undefined;
  /** Rank by gross profit, 1 = largest (ties by SKU code). */
  readonly rank: number;
  /** Gross profit Σ (price − cost) × qty. */
  readonly grossProfit: Dec;
  /** Share of the total positive gross profit (0 for zero or negative gross profit). */
  readonly share: Dec;
  /** Cumulative share of the SKUs ranked before this one. */
  readonly cumulativeShareBefore: Dec;
  /** Cumulative share including this one. */
  readonly cumulativeShare: Dec;
  /** ABC class. */
  readonly abc: AbcClass;
  /** Mean demand per period. */
  readonly meanDemand: Dec;
  /** Coefficient of variation of demand per period (population sd ÷ mean); `NaN` when the mean is 0. */
  readonly cv: number;
  /** XYZ class. */
  readonly xyz: XyzClass;
  /** Number of demand periods read. */
  readonly periods: number;
}

/** The classification of a set of SKUs, ranked by gross profit. */
export interface Classification {
  /** Every SKU, in rank order. */
  readonly skus: ReadonlyArray<SkuClassification>;
  /** Σ gross profit over all SKUs (negative ones included). */
  readonly totalGrossProfit: Dec;
  /** Σ of the positive gross profits — the denominator of the shares. */
  readonly positiveGrossProfit: Dec;
  /** The boundaries used. */
  readonly boundaries: { readonly abc: AbcBoundaries; readonly xyz: XyzBoundaries };
}

/** Gross profit of sales lines: Σ (price − cost) × qty, exact. */
export const grossProfitOf = (sales: ReadonlyArray<SkuSalesLine>): Dec => {
  let total = ZERO;
  for (const line of sales) total = total.plus(line.price.minus(line.cost).times(line.qty));
  return total;
};

/**
 * Coefficient of variation of demand per period: population standard deviation ÷ mean, computed
 * in decimals and returned as a float64 statistic; `NaN` when there is no period or the mean is 0.
 */
export const demandCv = (demand: ReadonlyArray<Dec>): { readonly mean: Dec; readonly cv: number } => {
  if (demand.length === 0) return { mean: ZERO, cv: Number.NaN };
  const n = new Dec(demand.length);
  let sum = ZERO;
  for (const d of demand) sum = sum.plus(d);
  const mean = sum.div(n);
  if (mean.isZero()) return { mean, cv: Number.NaN };
  let ss = ZERO;
  for (const d of demand) ss = ss.plus(d.minus(mean).pow(2));
  return { mean, cv: ss.div(n).sqrt().div(mean).toNumber() };
};

/** The XYZ class of a coefficient of variation (`NaN` is Z). */
export const xyzClassOf = (cv: number, boundaries: XyzBoundaries): XyzClass =>
  cv <= boundaries.x ? "X" : cv <= boundaries.y ? "Y" : "Z";

const bySku = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Classifies SKUs by ABC (gross-profit contribution) and XYZ (demand CV) with the boundaries as
 * parameters. Fails with `InvalidInput` on malformed input, {@link DuplicateSku} when a SKU is
 * given twice and {@link InvalidClassBoundaries} when `a > b` or `x > y`.
 */
export const classifySkus = (
  histories: unknown,
  options: ClassificationOptions = {},
): Result.Result<Classification, InvalidInput | DuplicateSku | InvalidClassBoundaries> => {
  const parsedOptions = parseInput(ClassificationOptionsSchema, options, "classification options");
  if (Result.isFailure(parsedOptions)) return Result.fail(parsedOptions.failure);
  const { abc, xyz } = parsedOptions.success;
  if (abc.a > abc.b) return Result.fail(new InvalidClassBoundaries({ kind: "abc", reason: `a (${abc.a}) is above b (${abc.b})` }));
  if (xyz.x > xyz.y) return Result.fail(new InvalidClassBoundaries({ kind: "xyz", reason: `x (${xyz.x}) is above y (${xyz.y})` }));
  const parsed = parseInput(z.array(SkuHistorySchema), histories, "SKU histories");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const seen = new Set<string>();
  for (const h of parsed.success) {
    if (seen.has(h.sku)) return Result.fail(new DuplicateSku({ sku: h.sku }));
    seen.add(h.sku);
  }
  const rows = parsed.success.map((h) => ({ history: h, grossProfit: grossProfitOf(h.sales) }));
  rows.sort((p, q) => q.grossProfit.comparedTo(p.grossProfit) || bySku(p.history.sku, q.history.sku));
  let total = ZERO;
  let positive = ZERO;
  for (const r of rows) {
    total = total.plus(r.grossProfit);
    if (r.grossProfit.gt(0)) positive = positive.plus(r.grossProfit);
  }
  const a = new Dec(abc.a);
  const b = new Dec(abc.b);
  let cumulative = ZERO;
  const skus = rows.map((r, i): SkuClassification => {
    const share = positive.gt(0) && r.grossProfit.gt(0) ? r.grossProfit.div(positive) : ZERO;
    const before = cumulative;
    cumulative = cumulative.plus(share);
    const abcClass: AbcClass = share.isZero() ? "C" : before.lt(a) ? "A" : before.lt(b) ? "B" : "C";
    const { mean, cv } = demandCv(r.history.demand);
    return {
      sku: r.history.sku,
      ...(r.history.category === undefined ? {} : { category: r.history.category }),
      rank: i + 1,
      grossProfit: r.grossProfit,
      share,
      cumulativeShareBefore: before,
      cumulativeShare: cumulative,
      abc: abcClass,
      meanDemand: mean,
      cv,
      xyz: xyzClassOf(cv, xyz),
      periods: r.history.demand.length,
    };
  });
  return Result.succeed({ skus, totalGrossProfit: total, positiveGrossProfit: positive, boundaries: { abc, xyz } });
};
