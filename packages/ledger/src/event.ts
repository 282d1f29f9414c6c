import { DecimalString, InstantString } from "@jxc/core";
import { z } from "zod";

/**
 * The business events vouchers are derived from. The stock ones come from `@jxc/core` postings;
 * the others (settlement, approval, write-down…) from the ERP's own documents.
 */
export const EVENT_TYPES = [
  "purchase-receipt", // 采购入库 (invoice received)
  "purchase-receipt-estimated", // 暂估入库 (invoice not yet received)
  "purchase-estimate-reversal", // 暂估冲回 (red, when the invoice arrives)
  "purchase-return", // 采购退货
  "sales-outbound", // 销售出库 with cost carry-over
  "sales-return", // 销售退货 (红字)
  "stocktake", // 盘盈/盘亏 into 待处理财产损溢
  "stocktake-approval", // 审批: clears 待处理财产损溢
  "scrap", // 报废
  "transfer", // 调拨 between warehouses of one entity: no voucher
  "vmi-transfer", // VMI 移库: no revenue
  "consignment-out", // 委托代销 发出商品
  "consignment-settlement", // 委托代销 结算 (revenue, cost, commission)
  "consignment-in-receipt", // 受托代销 收到商品
  "consignment-in-sale", // 受托代销 售出 (收取手续费方式)
  "production-issue", // 生产领料
  "production-receipt", // 完工入库
  "standard-cost-variance", // 材料成本差异
  "landed-cost", // 入库成本调整 (运费、关税…)
  "revaluation", // 成本重估: a backdated document changed costs already carried over
  "impairment", // 存货跌价准备 计提
  "impairment-reversal", // 存货跌价准备 转回
  "impairment-transfer", // 结转已售存货的跌价准备 (the allowance of the units sold, against cost of sales)
] as const;

/** The type of a business event. */
export const EventTypeSchema = z.enum(EVENT_TYPES);
/** One of {@link EVENT_TYPES}. */
export type EventType = z.output<typeof EventTypeSchema>;

/** One line of a business event: what was moved or sold, at what price, tax and cost. */
export const EventLineSchema = z.object({
  item: z.string().min(1),
  /** Item category, for account mappings by category. */
  category: z.string().min(1).optional(),
  warehouse: z.string().min(1).optional(),
  /** Quantity; signed for stocktakes (a loss is negative). */
  qty: DecimalString.optional(),
  /** Price per unit, with or without tax as the event says. */
  unitPrice: DecimalString.optional(),
  /** VAT rate, e.g. `0.13`. */
  taxRate: DecimalString.optional(),
  /** The cost the valuation assigned to the line (total, not per unit). */
  cost: DecimalString.optional(),
  /** A fee or commission on the line. */
  fee: DecimalString.optional(),
  /** A given amount: a landed cost, a variance, a write-down, a revaluation difference. */
  amount: DecimalString.optional(),
  project: z.string().min(1).optional(),
  department: z.string().min(1).optional(),
});
/** A parsed {@link EventLineSchema}. */
export type EventLine = z.output<typeof EventLineSchema>;

/** A business event with one business ID: the input of voucher derivation. */
export const BusinessEventSchema = z.object({
  type: EventTypeSchema,
  businessId: z.string().min(1),
  /** The source document (出库单, 入库单…), when there is one. */
  document: z.string().min(1).optional(),
  at: InstantString,
  /** Prices include VAT (含税价): net = round(gross ÷ (1 + rate)), tax = gross − net, per line. */
  priceIncludesTax: z.boolean().default(false),
  /**
   * The document is an export (出口, declared at customs): an entity qualified for 出口退税
   * (`exportRebate`) books it by the export template (免抵退), its domestic sales by the domestic one.
   */
  export: z.boolean().default(false),
  customer: z.string().min(1).optional(),
  supplier: z.string().min(1).optional(),
  /** Customer or supplier type, for account mappings by counterparty type. */
  counterpartyType: z.string().min(1).optional(),
  /** Accounts the document asks for, by template line key (refused where the template locks the mapping). */
  accountOverrides: z.record(z.string(), z.string()).default({}),
  lines: z.array(EventLineSchema).min(1),
});
/** A parsed business event. */
export type BusinessEvent = z.output<typeof BusinessEventSchema>;
/** A business event as written on the wire. */
export type BusinessEventInput = z.input<typeof BusinessEventSchema>;

/** The entity (核算主体) whose books the vouchers go to. */
export const EntitySchema = z.object({
  id: z.string().min(1).default("default"),
  /** 一般纳税人 or 小规模纳税人. */
  taxpayer: z.enum(["general", "small-scale"]),
  /** 企业会计准则 (CAS) or 小企业会计准则. */
  standard: z.enum(["CAS", "small-enterprise"]).default("CAS"),
  /** Export with VAT rebate (出口退税). */
  exportRebate: z.boolean().default(false),
  /** Decimal places of money, half-up. */
  moneyScale: z.number().int().min(0).max(8).default(2),
  /** Zone of business dates. */
  timeZone: z.string().default("Asia/Shanghai"),
});
/** A parsed {@link EntitySchema}. */
export type Entity = z.output<typeof EntitySchema>;
/** An entity as written in configuration. */
export type EntityInput = z.input<typeof EntitySchema>;
