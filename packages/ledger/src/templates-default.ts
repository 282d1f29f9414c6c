import type { TemplateInput, TemplateSetInput } from "./template.js";

const inventory = { mapping: { by: "category" as const, map: { "raw-material": { role: "raw-materials" } }, default: { role: "inventory" } } };
const stockAux = ["warehouse" as const, "item" as const];

/** 销售: receivable, revenue and output VAT in one voucher; the cost carry-over (成本结转) in another. */
const sales = (id: string, event: "sales-outbound" | "sales-return", taxpayer: "general" | "small-scale", sign: 1 | -1): TemplateInput => ({
  id,
  event,
  when: { taxpayer },
  sign,
  lines: [
    { key: "receivable", account: { role: "receivable" }, side: "debit", amount: "gross", auxiliaries: ["customer"], summary: "应收账款" },
    { key: "revenue", account: { role: "revenue" }, side: "credit", amount: "net", summary: "主营业务收入" },
    { account: { role: taxpayer === "general" ? "vat-output" : "vat-simple" }, side: "credit", amount: "tax", locked: true, key: "vat", summary: "销项税额" },
    { key: "cogs", voucher: "cost", account: { role: "cogs" }, side: "debit", amount: "cost", summary: "结转销售成本" },
    { voucher: "cost", account: inventory, side: "credit", amount: "cost", auxiliaries: stockAux, summary: "库存商品" },
  ],
});

/** 采购入库: a general taxpayer deducts the input VAT; a small-scale one capitalises it. */
const purchase = (id: string, event: "purchase-receipt" | "purchase-return", taxpayer: "general" | "small-scale", sign: 1 | -1): TemplateInput => ({
  id,
  event,
  when: { taxpayer },
  sign,
  lines:
    event === "purchase-return"
      ? [
          // 红字: the stock leaves at the cost the valuation gave it; a difference from the price goes to cost of sales
          { key: "inventory", account: inventory, side: "debit", amount: "cost", auxiliaries: stockAux, summary: "采购退货" },
          { account: { role: "cogs" }, side: "debit", amount: taxpayer === "general" ? "net - cost" : "gross - cost", summary: "退货价差" },
          ...(taxpayer === "general" ? [{ account: { role: "vat-input" }, side: "debit" as const, amount: "tax", locked: true, key: "vat", summary: "进项税额" }] : []),
          { key: "payable", account: { role: "payable" }, side: "credit", amount: "gross", auxiliaries: ["supplier"], summary: "应付账款" },
        ]
      : taxpayer === "general"
      ? [
          { key: "inventory", account: inventory, side: "debit", amount: "net", auxiliaries: stockAux, summary: "库存商品" },
          { account: { role: "vat-input" }, side: "debit", amount: "tax", locked: true, key: "vat", summary: "进项税额" },
          { key: "payable", account: { role: "payable" }, side: "credit", amount: "gross", auxiliaries: ["supplier"], summary: "应付账款" },
        ]
      : [
          { key: "inventory", account: inventory, side: "debit", amount: "gross", auxiliaries: stockAux, summary: "库存商品（含税成本）" },
          { key: "payable", account: { role: "payable" }, side: "credit", amount: "gross", auxiliaries: ["supplier"], summary: "应付账款" },
        ],
});

/**
 * The default template set over the roles of the built-in charts (企业会计准则 and 小企业会计准则).
 * Amount names: `net`, `tax`, `gross` (= net + tax), `cost` (valuation), `fee`, `amount`, `gain`, `loss`.
 */
export const defaultTemplateSet: TemplateSetInput = {
  id: "jxc-default",
  templates: [
    purchase("purchase-receipt/general", "purchase-receipt", "general", 1),
    purchase("purchase-receipt/small-scale", "purchase-receipt", "small-scale", 1),
    purchase("purchase-return/general", "purchase-return", "general", -1),
    purchase("purchase-return/small-scale", "purchase-return", "small-scale", -1),
    {
      id: "purchase-receipt-estimated",
      event: "purchase-receipt-estimated",
      description: "暂估入库: the invoice has not arrived; goods at the price without tax, reversed in red when it does",
      lines: [
        { account: inventory, side: "debit", amount: "net", auxiliaries: stockAux, summary: "暂估入库" },
        { account: { role: "payable" }, side: "credit", amount: "net", auxiliaries: ["supplier"], summary: "应付账款—暂估" },
      ],
    },
    {
      id: "purchase-estimate-reversal",
      event: "purchase-estimate-reversal",
      sign: -1,
      description: "暂估冲回 (红字) when the invoice arrives",
      lines: [
        { account: inventory, side: "debit", amount: "net", auxiliaries: stockAux, summary: "冲回暂估" },
        { account: { role: "payable" }, side: "credit", amount: "net", auxiliaries: ["supplier"], summary: "应付账款—暂估" },
      ],
    },
    sales("sales-outbound/general", "sales-outbound", "general", 1),
    sales("sales-outbound/small-scale", "sales-outbound", "small-scale", 1),
    sales("sales-return/general", "sales-return", "general", -1),
    sales("sales-return/small-scale", "sales-return", "small-scale", -1),
    {
      id: "sales-outbound/export-rebate",
      event: "sales-outbound",
      when: { taxpayer: "general", exportRebate: true, export: true },
      description: "出口销售 (免抵退) of an entity qualified for 出口退税, for an export event: zero-rated revenue; `amount` = 不得免征和抵扣税额 (transferred out of input VAT to cost); `fee` = 应退税额",
      lines: [
        { account: { role: "receivable" }, side: "debit", amount: "gross", auxiliaries: ["customer"], summary: "应收外汇账款" },
        { account: { role: "revenue" }, side: "credit", amount: "net", summary: "出口销售收入" },
        { account: { role: "vat-output" }, side: "credit", amount: "tax", locked: true, key: "vat", summary: "销项税额" },
        { voucher: "cost", account: { role: "cogs" }, side: "debit", amount: "cost", summary: "结转销售成本" },
        { voucher: "cost", account: inventory, side: "credit", amount: "cost", auxiliaries: stockAux },
        { voucher: "rebate", account: { role: "cogs" }, side: "debit", amount: "amount", summary: "不得免征和抵扣税额" },
        { voucher: "rebate", account: { role: "vat-input-transfer-out" }, side: "credit", amount: "amount", locked: true, key: "vat", summary: "进项税额转出" },
        { voucher: "rebate", account: { role: "export-rebate-receivable" }, side: "debit", amount: "fee", summary: "应收出口退税款" },
        { voucher: "rebate", account: { role: "vat-export-rebate" }, side: "credit", amount: "fee", locked: true, key: "vat", summary: "出口退税" },
      ],
    },
    {
      id: "stocktake",
      event: "stocktake",
      description: "盘盈/盘亏: the differences wait in 待处理财产损溢 until approved",
      lines: [
        { account: { role: "pending-loss" }, side: "debit", amount: "loss", summary: "盘亏" },
        { account: inventory, side: "credit", amount: "loss", auxiliaries: stockAux, summary: "盘亏" },
        { account: inventory, side: "debit", amount: "gain", auxiliaries: stockAux, summary: "盘盈" },
        { account: { role: "pending-loss" }, side: "credit", amount: "gain", summary: "盘盈" },
      ],
    },
    {
      id: "stocktake-approval",
      event: "stocktake-approval",
      description:
        "审批: losses to 管理费用 (category `abnormal`: 营业外支出), gains against 管理费用; a loss through mismanagement transfers its input VAT out (`lossTax`, from unitPrice × qty × taxRate of loss lines)",
      lines: [
        { account: { mapping: { by: "category", map: { abnormal: { role: "non-operating-expense" } }, default: { role: "admin-expense" } } }, side: "debit", amount: "loss + lossTax", summary: "盘亏处理" },
        { account: { role: "pending-loss" }, side: "credit", amount: "loss", summary: "盘亏处理" },
        { key: "vat", account: { role: "vat-input-transfer-out" }, side: "credit", amount: "lossTax", locked: true, summary: "进项税额转出" },
        { account: { role: "pending-loss" }, side: "debit", amount: "gain", summary: "盘盈处理" },
        { account: { role: "admin-expense" }, side: "credit", amount: "gain", summary: "盘盈冲减管理费用" },
      ],
    },
    {
      id: "scrap",
      event: "scrap",
      description: "报废: the cost (and, for mismanagement, the input VAT transferred out) waits in 待处理财产损溢",
      lines: [
        { account: { role: "pending-loss" }, side: "debit", amount: "cost + tax", summary: "报废" },
        { account: inventory, side: "credit", amount: "cost", auxiliaries: stockAux, summary: "报废" },
        { account: { role: "vat-input-transfer-out" }, side: "credit", amount: "tax", locked: true, key: "vat", summary: "进项税额转出" },
      ],
    },
    { id: "transfer", event: "transfer", description: "调拨 inside one entity: no voucher (the warehouse is an auxiliary dimension)", lines: [] },
    { id: "vmi-transfer", event: "vmi-transfer", description: "VMI: the supplier still owns the goods; no revenue, no voucher", lines: [] },
    {
      id: "consignment-out",
      event: "consignment-out",
      description: "委托代销: goods shipped to the consignee (发出商品)",
      lines: [
        { account: { role: "goods-shipped" }, side: "debit", amount: "cost", summary: "发出商品" },
        { account: inventory, side: "credit", amount: "cost", auxiliaries: stockAux },
      ],
    },
    {
      id: "consignment-settlement",
      event: "consignment-settlement",
      when: { taxpayer: "general" },
      description: "委托代销 结算: revenue on the consignee's settlement list, cost from 发出商品, commission (`fee`) to 销售费用",
      lines: [
        { account: { role: "receivable" }, side: "debit", amount: "gross - fee", auxiliaries: ["customer"] },
        { account: { role: "selling-expense" }, side: "debit", amount: "fee", summary: "代销手续费" },
        { account: { role: "revenue" }, side: "credit", amount: "net" },
        { account: { role: "vat-output" }, side: "credit", amount: "tax", locked: true, key: "vat" },
        { voucher: "cost", account: { role: "cogs" }, side: "debit", amount: "cost" },
        { voucher: "cost", account: { role: "goods-shipped" }, side: "credit", amount: "cost" },
      ],
    },
    {
      id: "consignment-in-receipt",
      event: "consignment-in-receipt",
      when: { standard: "CAS" },
      description: "受托代销: goods received at the agreed price (受托代销商品 / 受托代销商品款)",
      lines: [
        { account: { role: "consignment-in-goods" }, side: "debit", amount: "net" },
        { account: { role: "consignment-in-payable" }, side: "credit", amount: "net" },
      ],
    },
    {
      id: "consignment-in-sale",
      event: "consignment-in-sale",
      when: { standard: "CAS", taxpayer: "general" },
      description: "受托代销 (收取手续费方式): sold at the agreed price; the commission (`fee`) is 其他业务收入",
      lines: [
        { account: { role: "receivable" }, side: "debit", amount: "gross", auxiliaries: ["customer"] },
        { account: { role: "payable" }, side: "credit", amount: "net - fee", auxiliaries: ["supplier"] },
        { account: { role: "other-revenue" }, side: "credit", amount: "fee", summary: "代销手续费收入" },
        { account: { role: "vat-output" }, side: "credit", amount: "tax", locked: true, key: "vat" },
        { voucher: "goods", account: { role: "consignment-in-payable" }, side: "debit", amount: "net" },
        { voucher: "goods", account: { role: "consignment-in-goods" }, side: "credit", amount: "net" },
      ],
    },
    {
      id: "production-issue",
      event: "production-issue",
      description: "生产领料",
      lines: [
        { account: { role: "production-cost" }, side: "debit", amount: "cost", auxiliaries: ["project"] },
        { account: { mapping: { by: "category", map: { goods: { role: "inventory" } }, default: { role: "raw-materials" } } }, side: "credit", amount: "cost", auxiliaries: stockAux },
      ],
    },
    {
      id: "production-receipt",
      event: "production-receipt",
      description: "完工入库",
      lines: [
        { account: inventory, side: "debit", amount: "cost", auxiliaries: stockAux },
        { account: { role: "production-cost" }, side: "credit", amount: "cost", auxiliaries: ["project"] },
      ],
    },
    {
      id: "standard-cost-variance",
      event: "standard-cost-variance",
      description: "材料成本差异: `amount` = actual − standard of a receipt (positive: unfavourable); the receipt was booked at actual, the variance moves out of stock",
      lines: [
        { account: { role: "material-cost-variance" }, side: "debit", amount: "amount" },
        { account: inventory, side: "credit", amount: "amount", auxiliaries: stockAux },
      ],
    },
    {
      id: "landed-cost",
      event: "landed-cost",
      description: "入库成本调整: `amount` = the charge, `cost` = the part added to stock on hand; the rest was issued and goes to cost of sales",
      lines: [
        { account: inventory, side: "debit", amount: "cost", auxiliaries: stockAux },
        { account: { role: "cogs" }, side: "debit", amount: "amount - cost", summary: "已售部分计入成本" },
        { account: { role: "payable" }, side: "credit", amount: "amount", auxiliaries: ["supplier"] },
      ],
    },
    {
      id: "revaluation",
      event: "revaluation",
      description: "成本重估: a backdated document changed the cost of an issue already carried over; `amount` = new − old cost",
      lines: [
        { account: { role: "cogs" }, side: "debit", amount: "amount", summary: "成本差异调整" },
        { account: inventory, side: "credit", amount: "amount", auxiliaries: stockAux },
      ],
    },
    {
      id: "impairment",
      event: "impairment",
      when: { standard: "CAS" },
      description: "存货跌价准备 计提 (CAS 1 art. 15)",
      lines: [
        { account: { role: "impairment-loss" }, side: "debit", amount: "amount" },
        { account: { role: "inventory-impairment" }, side: "credit", amount: "amount", auxiliaries: ["item"] },
      ],
    },
    {
      id: "impairment-reversal",
      event: "impairment-reversal",
      when: { standard: "CAS" },
      description: "存货跌价准备 转回 (only up to what was provided)",
      lines: [
        { account: { role: "inventory-impairment" }, side: "debit", amount: "amount", auxiliaries: ["item"] },
        { account: { role: "impairment-loss" }, side: "credit", amount: "amount" },
      ],
    },
    {
      id: "impairment-transfer",
      event: "impairment-transfer",
      when: { standard: "CAS" },
      description: "结转已售存货的跌价准备: the allowance of the units sold reduces the cost carried over",
      lines: [
        { account: { role: "inventory-impairment" }, side: "debit", amount: "amount", auxiliaries: ["item"], summary: "结转已售存货跌价准备" },
        { account: { role: "cogs" }, side: "credit", amount: "amount", summary: "冲减主营业务成本" },
      ],
    },
  ],
};
