import { Result } from "effect";
import { loadChart, type ChartInput, type ChartOfAccounts } from "./chart.js";
import { accountSection as section } from "./chart-rows.js";

/** 小企业会计准则 附录 会计科目 (财会〔2011〕17号), with jxc's added accounts, sub-accounts and roles. */
const SMALL_ENTERPRISE_CHART: ChartInput = {
  id: "small-enterprise",
  name: "小企业会计准则科目表",
  standard: "small-enterprise",
  accounts: [
    ...section("asset", [
      ["1001", "库存现金", "Cash on hand", "debit", { roles: ["cash"] }],
      ["1002", "银行存款", "Cash in bank", "debit", { roles: ["bank"] }],
      ["1012", "其他货币资金", "Other monetary funds", "debit"],
      ["1101", "短期投资", "Short-term investments", "debit"],
      ["1121", "应收票据", "Notes receivable", "debit", { auxiliaries: ["customer"] }],
      ["1122", "应收账款", "Accounts receivable", "debit", { auxiliaries: ["customer"], roles: ["receivable"] }],
      ["1123", "预付账款", "Prepayments", "debit", { auxiliaries: ["supplier"], roles: ["prepayment"] }],
      ["1131", "应收股利", "Dividends receivable", "debit"],
      ["1132", "应收利息", "Interest receivable", "debit"],
      ["1221", "其他应收款", "Other receivables", "debit", { roles: ["other-receivable"] }],
      ["1221.01", "应收出口退税款", "Export tax rebates receivable", "debit", { roles: ["export-rebate-receivable"] }],
      ["1221.99", "其他", "Other", "debit"],
      // Not in the standard's appendix; added (as many 小企业 charts do) so that consignment-in
      // templates work under both standards.
      ["1321", "受托代销商品", "Consignment-in goods", "debit", { auxiliaries: ["supplier", "item"], roles: ["consignment-in-goods"] }],
      ["1401", "材料采购", "Materials purchase", "debit", { auxiliaries: ["supplier"], roles: ["materials-purchase"] }],
      ["1402", "在途物资", "Goods in transit", "debit", { auxiliaries: ["supplier"], roles: ["in-transit"] }],
      ["1403", "原材料", "Raw materials", "debit", { auxiliaries: ["warehouse", "item"], roles: ["raw-materials"] }],
      ["1404", "材料成本差异", "Material cost variance", "debit", { roles: ["material-cost-variance"] }],
      ["1405", "库存商品", "Inventory goods", "debit", { auxiliaries: ["warehouse", "item"], roles: ["inventory"] }],
      // Not in the standard's appendix; added as many 小企业 charts do.
      ["1406", "发出商品", "Goods shipped", "debit", { auxiliaries: ["customer", "item"], roles: ["goods-shipped"] }],
      ["1407", "商品进销差价", "Merchandise price differential", "credit"],
      ["1408", "委托加工物资", "Materials in outsourced processing", "debit", { auxiliaries: ["supplier", "item"], roles: ["processing"] }],
      ["1411", "周转材料", "Revolving materials", "debit", { auxiliaries: ["warehouse", "item"] }],
      ["1421", "消耗性生物资产", "Consumable biological assets", "debit"],
      ["1501", "长期债券投资", "Long-term bond investments", "debit"],
      ["1511", "长期股权投资", "Long-term equity investments", "debit"],
      ["1601", "固定资产", "Fixed assets", "debit", { auxiliaries: ["department"] }],
      ["1602", "累计折旧", "Accumulated depreciation", "credit"],
      ["1604", "在建工程", "Construction in progress", "debit", { auxiliaries: ["project"] }],
      ["1605", "工程物资", "Construction materials", "debit"],
      ["1606", "固定资产清理", "Disposal of fixed assets", "debit"],
      ["1621", "生产性生物资产", "Productive biological assets", "debit"],
      ["1622", "生产性生物资产累计折旧", "Accumulated depreciation of productive biological assets", "credit"],
      ["1701", "无形资产", "Intangible assets", "debit"],
      ["1702", "累计摊销", "Accumulated amortization", "credit"],
      ["1801", "长期待摊费用", "Long-term prepaid expenses", "debit"],
      ["1901", "待处理财产损溢", "Unsettled gains and losses on property", "debit", { roles: ["pending-loss"] }],
    ]),
    ...section("liability", [
      ["2001", "短期借款", "Short-term borrowings", "credit"],
      ["2201", "应付票据", "Notes payable", "credit", { auxiliaries: ["supplier"] }],
      ["2202", "应付账款", "Accounts payable", "credit", { auxiliaries: ["supplier"], roles: ["payable"] }],
      ["2203", "预收账款", "Advances from customers", "credit", { auxiliaries: ["customer"], roles: ["advance-receipt"] }],
      ["2211", "应付职工薪酬", "Employee benefits payable", "credit"],
      ["2221", "应交税费", "Taxes payable", "credit"],
      ["2221.01", "应交增值税", "VAT payable", "credit", { roles: ["vat", "vat-simple"], postable: true }],
      ["2221.01.01", "进项税额", "Input VAT", "debit", { roles: ["vat-input"] }],
      ["2221.01.02", "销项税额", "Output VAT", "credit", { roles: ["vat-output"] }],
      ["2221.01.03", "进项税额转出", "Input VAT transferred out", "credit", { roles: ["vat-input-transfer-out"] }],
      ["2221.01.04", "出口退税", "Export VAT rebate", "credit", { roles: ["vat-export-rebate"] }],
      ["2221.01.05", "出口抵减内销产品应纳税额", "Export credit against domestic VAT payable", "debit", { roles: ["vat-export-offset"] }],
      ["2221.01.06", "已交税金", "VAT paid in the period", "debit"],
      ["2221.01.07", "转出未交增值税", "Unpaid VAT transferred out", "debit"],
      ["2221.01.08", "转出多交增值税", "Overpaid VAT transferred out", "credit"],
      ["2221.01.09", "减免税款", "VAT reductions and exemptions", "debit"],
      ["2221.02", "未交增值税", "Unpaid VAT", "credit"],
      ["2221.03", "应交消费税", "Consumption tax payable", "credit"],
      ["2221.04", "应交企业所得税", "Corporate income tax payable", "credit"],
      ["2221.05", "应交个人所得税", "Individual income tax withheld", "credit"],
      ["2221.06", "应交城市维护建设税", "Urban maintenance and construction tax payable", "credit"],
      ["2221.07", "应交教育费附加", "Education surcharge payable", "credit"],
      ["2221.08", "应交地方教育附加", "Local education surcharge payable", "credit"],
      ["2221.09", "应交印花税", "Stamp duty payable", "credit"],
      ["2231", "应付利息", "Interest payable", "credit"],
      ["2232", "应付利润", "Profits payable", "credit"],
      ["2241", "其他应付款", "Other payables", "credit"],
      // Not in the standard's appendix; added together with 1321 (CAS codes).
      ["2314", "受托代销商品款", "Payables for consignment-in goods", "credit", { auxiliaries: ["supplier"], roles: ["consignment-in-payable"] }],
      ["2401", "递延收益", "Deferred income", "credit"],
      ["2501", "长期借款", "Long-term borrowings", "credit"],
      ["2701", "长期应付款", "Long-term payables", "credit"],
    ]),
    ...section("equity", [
      ["3001", "实收资本", "Paid-in capital", "credit", { roles: ["paid-in-capital"] }],
      ["3002", "资本公积", "Capital reserve", "credit"],
      ["3101", "盈余公积", "Surplus reserve", "credit"],
      ["3103", "本年利润", "Current-year profit", "credit", { roles: ["current-year-profit"] }],
      ["3104", "利润分配", "Profit distribution", "credit", { roles: ["retained-earnings"] }],
    ]),
    ...section("cost", [
      ["4001", "生产成本", "Production cost", "debit", { auxiliaries: ["item"], roles: ["production-cost"] }],
      ["4101", "制造费用", "Manufacturing overhead", "debit", { auxiliaries: ["department"], roles: ["manufacturing-overhead"] }],
      ["4301", "研发支出", "Research and development expenditure", "debit", { auxiliaries: ["project"] }],
      ["4401", "工程施工", "Construction contracts in progress", "debit", { auxiliaries: ["project"] }],
      ["4403", "机械作业", "Machinery operations", "debit"],
    ]),
    ...section("profit-loss", [
      ["5001", "主营业务收入", "Main operating revenue", "credit", { roles: ["revenue"] }],
      ["5051", "其他业务收入", "Other operating revenue", "credit", { roles: ["other-revenue"] }],
      ["5111", "投资收益", "Investment income", "credit"],
      ["5301", "营业外收入", "Non-operating income", "credit", { roles: ["non-operating-income"] }],
      ["5401", "主营业务成本", "Main operating costs", "debit", { roles: ["cogs"] }],
      ["5402", "其他业务成本", "Other operating costs", "debit", { roles: ["other-cogs"] }],
      ["5403", "税金及附加", "Taxes and surcharges", "debit", { roles: ["tax-surcharges"] }],
      ["5601", "销售费用", "Selling expenses", "debit", { auxiliaries: ["department"], roles: ["selling-expense"] }],
      ["5602", "管理费用", "Administrative expenses", "debit", { auxiliaries: ["department"], roles: ["admin-expense"] }],
      ["5603", "财务费用", "Finance expenses", "debit", { roles: ["finance-expense"] }],
      ["5711", "营业外支出", "Non-operating expenses", "debit", { roles: ["non-operating-expense"] }],
      ["5801", "所得税费用", "Income tax expense", "debit"],
    ]),
  ],
};

/**
 * The chart of accounts of 小企业会计准则 (Accounting Standards for Small Enterprises, 财会〔2011〕17号):
 * the first-level accounts of its appendix, with 1221 其他应收款 and 2221 应交税费 broken into the
 * same sub-accounts as the CAS chart (2221.01 应交增值税 postable, its 2221.01.xx columns as used in
 * practice).
 *
 * Added to the appendix, as many 小企业 charts do, so that every template works under both
 * standards: 1406 发出商品 (goods-shipped), 1321 受托代销商品 (consignment-in-goods) and 2314
 * 受托代销商品款 (consignment-in-payable), at their CAS codes. 小企业会计准则 recognizes no
 * impairment, so there is no 存货跌价准备 or 资产减值损失 and the roles `inventory-impairment` and
 * `impairment-loss` are absent: a template that needs them must fail on this chart.
 */
export const smallEnterpriseChart = (): ChartOfAccounts => {
  const loaded = loadChart(SMALL_ENTERPRISE_CHART);
  if (Result.isFailure(loaded)) throw new Error(`built-in small-enterprise chart is invalid: ${loaded.failure.message}`);
  return loaded.success;
};
