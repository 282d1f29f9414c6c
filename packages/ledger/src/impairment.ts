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

/** A sales return (红字出库) of units whose sale transferred allowance out, for {@link ImpairmentAllowance.restoreOnReturn}. */
export const ImpairmentReturnSchema = z.object({
  item: z.string().min(1),
  warehouse: z.string().min(1).optional(),
  /** The business ID of the return. */
  businessId: z.string().min(1),
  /** The return document, when there is one. */
  document: z.string().min(1).optional(),
  at: InstantString,
  /** The outbound document of the original sale (the one whose transfer is given back). */
  saleDocument: z.string().min(1),
  /** Quantity returned. */
  qtyReturned: DecimalString,
});
/** A sales return as written on the wire, for {@link ImpairmentAllowance.restoreOnReturn}. */
export type ImpairmentReturnInput = z.input<typeof ImpairmentReturnSchema>;

/** What a sales return gives back to an item's allowance. */
export interface ImpairmentRestoration {
  readonly item: string;
  /** The allowance the sale transferred out and no return has given back yet, before this one. */
  readonly open: Dec;
  /** Given back: open × returned ÷ (sold and not yet returned), half-up; all that is open when the rest comes back. */
  readonly restored: Dec;
  /** The red-letter event (the sale's transfer with negative quantity and amount), when something is given back. */
  readonly event?: BusinessEventInput | undefined;
}

/** A sale's transfer still open to returns: units sold and not returned, and their allowance. */
interface OpenTransfer {
  readonly qty: Dec;
  readonly amount: Dec;
}

const saleKey = (document: string, item: string): string => `${document}\u0000${item}`;

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
  private constructor(
    private readonly byItem: ReadonlyMap<string, Dec>,
    /** Transfers of sales with a document, open to returns, by document and item. */
    private readonly sold: ReadonlyMap<string, OpenTransfer> = new Map(),
  ) {}

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
    return Result.succeed({ assessment: { item: t.item, required, provided, change, event }, allowance: new ImpairmentAllowance(next, this.sold) });
  }

  /**
   * Transfers out the allowance of units sold (结转已售存货的跌价准备, CAS 1): when stock that
   * carries an allowance is sold and its cost carried over, the allowance of the units sold,
   * provided × sold ÷ on hand rounded half-up (all that is left when the sale empties the stock),
   * is debited to 存货跌价准备 and credited to 主营业务成本 — never more than is provided. Under
   * 小企业会计准则 there is no allowance, so nothing is transferred. A sale of more than is on
   * hand, or of nothing, is a `RuleViolation`. The transfer of a sale with a document stays open
   * to its returns ({@link ImpairmentAllowance.restoreOnReturn}).
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
    let sold = this.sold;
    if (s.document !== undefined && !transferred.isZero()) {
      const key = saleKey(s.document, s.item);
      const open = sold.get(key);
      sold = new Map(sold).set(key, open ? { qty: open.qty.plus(s.qtySold), amount: open.amount.plus(transferred) } : { qty: s.qtySold, amount: transferred });
    }
    return Result.succeed({ transfer: { item: s.item, provided, transferred, event }, allowance: new ImpairmentAllowance(next, sold) });
  }

  /**
   * Gives back, on a sales return (销售退货, 红字), the allowance the original sale transferred out
   * for the units that come back: open × returned ÷ (units of that sale not yet returned), half-up,
   * and all that is open when the last of them comes back. The event is the sale's transfer in red
   * (negative quantity and amount on its sides: 借 存货跌价准备 贷 主营业务成本, both negative), so
   * the return nets the transfer as the return nets the sale. A sale that transferred nothing
   * (no allowance, no document, 小企业会计准则) gives nothing back; returning more than is open
   * is a `RuleViolation`.
   */
  restoreOnReturn(
    input: ImpairmentReturnInput,
    entity: Pick<Entity, "standard" | "moneyScale">,
  ): Result.Result<{ readonly restoration: ImpairmentRestoration; readonly allowance: ImpairmentAllowance }, InvalidInput | RuleViolation> {
    const parsed = parseInput(ImpairmentReturnSchema, input, "impairment return");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const r = parsed.success;
    if (!r.qtyReturned.gt(0)) return Result.fail(new RuleViolation({ path: "qtyReturned", message: "qtyReturned: must be greater than 0" }));
    const key = saleKey(r.saleDocument, r.item);
    const open = this.sold.get(key);
    if (entity.standard === "small-enterprise" || open === undefined)
      return Result.succeed({ restoration: { item: r.item, open: ZERO, restored: ZERO }, allowance: this });
    if (r.qtyReturned.gt(open.qty))
      return Result.fail(new RuleViolation({ path: "qtyReturned", message: `qtyReturned: ${r.qtyReturned} is more than the ${open.qty} of ${r.saleDocument} not yet returned` }));
    const restored = r.qtyReturned.eq(open.qty) ? open.amount : roundMoney(open.amount.times(r.qtyReturned).dividedBy(open.qty), entity.moneyScale);
    const sold = new Map(this.sold);
    if (r.qtyReturned.eq(open.qty)) sold.delete(key);
    else sold.set(key, { qty: open.qty.minus(r.qtyReturned), amount: open.amount.minus(restored) });
    const byItem = new Map(this.byItem).set(r.item, this.provided(r.item).plus(restored));
    const event: BusinessEventInput | undefined = restored.isZero()
      ? undefined
      : {
          type: "impairment-transfer",
          businessId: r.businessId,
          ...(r.document ? { document: r.document } : {}),
          at: r.at,
          lines: [{ item: r.item, ...(r.warehouse ? { warehouse: r.warehouse } : {}), qty: r.qtyReturned.negated().toFixed(), amount: restored.negated().toFixed() }],
        };
    return Result.succeed({ restoration: { item: r.item, open: open.amount, restored, event }, allowance: new ImpairmentAllowance(byItem, sold) });
  }
}
