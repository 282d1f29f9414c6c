import { Result } from "effect";
import { z } from "zod";
import { type Dec, DecimalString, InstantString, RuleViolation, ZERO, parseInput, roundMoney, type InvalidInput } from "@jxc/core";
import type { BusinessEventInput, Entity } from "./event.js";

/** One item's lower-of-cost-and-NRV test (成本与可变现净值孰低, CAS 1 art. 15). */
export const ImpairmentTestSchema = z.object({
  item: z.string().min(1),
  warehouse: z.string().min(1).optional(),
  businessId: z.string().min(1),
  at: InstantString,
  /** Book cost of the item's stock. */
  cost: DecimalString,
  /** Net realisable value (可变现净值): estimated selling price less costs to complete and sell. */
  netRealisableValue: DecimalString,
});
/** An impairment test as written on the wire. */
export type ImpairmentTestInput = z.input<typeof ImpairmentTestSchema>;

/** What an impairment test concluded. */
export interface ImpairmentAssessment {
  readonly item: string;
  /** The allowance the item needs now: max(0, cost − NRV). */
  readonly required: Dec;
  /** The allowance provided before. */
  readonly provided: Dec;
  /** required − provided: positive = 计提, negative = 转回 (never more than was provided). */
  readonly change: Dec;
  /** The event to derive the voucher from, when there is a change. */
  readonly event?: BusinessEventInput | undefined;
}

/** A sale (cost carry-over) of an item that may carry an allowance: how much of the stock left. */
export const ImpairmentSaleSchema = z.object({
  item: z.string().min(1),
  warehouse: z.string().min(1).optional(),
  /** The business ID of the sale: the transfer belongs to the same business. */
  businessId: z.string().min(1),
  /** The outbound document (出库单), when there is one. */
  document: z.string().min(1).optional(),
  at: InstantString,
  /** Quantity sold. */
  qtySold: DecimalString,
  /** Quantity of the item held before the sale (the stock the allowance covers). */
  qtyOnHand: DecimalString,
});
/** A sale as written on the wire, for {@link ImpairmentAllowance.transferOnSale}. */
export type ImpairmentSaleInput = z.input<typeof ImpairmentSaleSchema>;

/** What a sale takes out of an item's allowance. */
export interface ImpairmentTransfer {
  readonly item: string;
  /** The allowance provided before the sale. */
  readonly provided: Dec;
  /** The allowance of the units sold: provided × sold ÷ on hand (half-up), all of it when the stock is sold out. */
  readonly transferred: Dec;
  /** The event to derive the voucher from (借 存货跌价准备 贷 主营业务成本), when something is transferred. */
  readonly event?: BusinessEventInput | undefined;
}

/**
 * 存货跌价准备 — the write-down allowance per item, kept separately from the stock's cost. Each
 * test sets the allowance to max(0, cost − NRV): a rise is provided (资产减值损失 / 存货跌价准备),
 * a fall is reversed, and a reversal can never exceed what was provided. Not available under
 * 小企业会计准则, which has no impairment. Immutable: a test returns a new allowance.
 */
export class ImpairmentAllowance {
  private constructor(private readonly byItem: ReadonlyMap<string, Dec>) {}

  /** No allowance for any item. */
  static empty(): ImpairmentAllowance {
    return new ImpairmentAllowance(new Map());
  }

  /** The allowance provided for an item. */
  provided(item: string): Dec {
    return this.byItem.get(item) ?? ZERO;
  }

  /** Runs a lower-of-cost-and-NRV test for one item. */
  assess(
    input: ImpairmentTestInput,
    entity: Pick<Entity, "standard" | "moneyScale">,
  ): Result.Result<{ readonly assessment: ImpairmentAssessment; readonly allowance: ImpairmentAllowance }, InvalidInput | RuleViolation> {
    if (entity.standard === "small-enterprise")
      return Result.fail(new RuleViolation({ path: "entity.standard", message: "小企业会计准则 has no 存货跌价准备: stock stays at cost" }));
    const parsed = parseInput(ImpairmentTestSchema, input, "impairment test");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const t = parsed.success;
    if (t.cost.isNegative()) return Result.fail(new RuleViolation({ path: "cost", message: "cost: must be 0 or greater" }));
    const gap = roundMoney(t.cost.minus(t.netRealisableValue), entity.moneyScale);
    const required = gap.gt(0) ? gap : ZERO;
    const provided = this.provided(t.item);
    const change = required.minus(provided);
    const event: BusinessEventInput | undefined = change.isZero()
      ? undefined
      : {
          type: change.gt(0) ? "impairment" : "impairment-reversal",
          businessId: t.businessId,
          document: `impairment/${t.item}/${t.at}`,
          at: t.at,
          lines: [{ item: t.item, ...(t.warehouse ? { warehouse: t.warehouse } : {}), amount: change.abs().toString() }],
        };
    const next = new Map(this.byItem);
    next.set(t.item, required);
    return Result.succeed({ assessment: { item: t.item, required, provided, change, event }, allowance: new ImpairmentAllowance(next) });
  }

  /**
   * Transfers out the allowance of units sold (结转已售存货的跌价准备, CAS 1): when stock that
   * carries an allowance is sold and its cost carried over, the allowance of the units sold,
   * provided × sold ÷ on hand rounded half-up (all that is left when the sale empties the stock),
   * is debited to 存货跌价准备 and credited to 主营业务成本 — never more than is provided. Under
   * 小企业会计准则 there is no allowance, so nothing is transferred. A sale of more than is on
   * hand, or of nothing, is a `RuleViolation`.
   */
  transferOnSale(
    input: ImpairmentSaleInput,
    entity: Pick<Entity, "standard" | "moneyScale">,
  ): Result.Result<{ readonly transfer: ImpairmentTransfer; readonly allowance: ImpairmentAllowance }, InvalidInput | RuleViolation> {
    const parsed = parseInput(ImpairmentSaleSchema, input, "impairment sale");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const s = parsed.success;
    if (!s.qtySold.gt(0)) return Result.fail(new RuleViolation({ path: "qtySold", message: "qtySold: must be greater than 0" }));
    if (s.qtySold.gt(s.qtyOnHand)) return Result.fail(new RuleViolation({ path: "qtySold", message: `qtySold: ${s.qtySold} is more than the ${s.qtyOnHand} on hand` }));
    const provided = this.provided(s.item);
    if (entity.standard === "small-enterprise" || provided.isZero())
      return Result.succeed({ transfer: { item: s.item, provided, transferred: ZERO }, allowance: this });
    const share = s.qtySold.eq(s.qtyOnHand) ? provided : roundMoney(provided.times(s.qtySold).dividedBy(s.qtyOnHand), entity.moneyScale);
    const transferred = share.gt(provided) ? provided : share;
    const event: BusinessEventInput | undefined = transferred.isZero()
      ? undefined
      : {
          type: "impairment-transfer",
          businessId: s.businessId,
          ...(s.document ? { document: s.document } : {}),
          at: s.at,
          lines: [{ item: s.item, ...(s.warehouse ? { warehouse: s.warehouse } : {}), qty: s.qtySold.toFixed(), amount: transferred.toFixed() }],
        };
    const next = new Map(this.byItem);
    next.set(s.item, provided.minus(transferred));
    return Result.succeed({ transfer: { item: s.item, provided, transferred, event }, allowance: new ImpairmentAllowance(next) });
  }
}
