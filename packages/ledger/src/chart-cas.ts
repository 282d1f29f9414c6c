import { Result } from "effect";
import { loadChart, type ChartInput, type ChartOfAccounts } from "./chart.js";
import { accountSection as section } from "./chart-rows.js";

/** 企业会计准则—应用指南 附录 会计科目, the commonly used first-level accounts, with jxc's sub-accounts and roles. */
const CAS_CHART: ChartInput = {
  id: "cas",
  name: "企业会计准则科目表",
  standard: "CAS",
  accounts: [
    ...section("asset", [
      ["1001", "库存现金", "Cash on hand", "debit", { roles: ["cash"] }],
      ["1002", "银行存款", "Cash in bank", "debit", { roles: ["bank"] }],
      ["1012", "其他货币资金", "Other monetary funds", "debit"],
      ["1101", "交易性金融资产", "Trading financial assets", "debit"],
      ["1121", "应收票据", "Notes receivable", "debit", { auxiliaries: ["customer"] }],
      ["1122", "应收账款", "Accounts receivable", "debit", { auxiliaries: ["customer"], roles: ["receivable"] }],
      ["1123", "预付账款", "Prepayments", "debit", { auxiliaries: ["supplier"], roles: ["prepayment"] }],
      ["1131", "应收股利", "Dividends receivable", "debit"],
      ["1132", "应收利息", "Interest receivable", "debit"],
      ["1221", "其他应收款", "Other receivables", "debit", { roles: ["other-receivable"] }],
      ["1221.01", "应收出口退税款", "Export tax rebates receivable", "debit", { roles: ["export-rebate-receivable"] }],
      ["1221.99", "其他", "Other", "debit"],
      ["1231", "坏账准备", "Allowance for bad debts", "credit"],
      ["1321", "受托代销商品", "Consignment-in goods", "debit", { auxiliaries: ["supplier", "item"], roles: ["consignment-in-goods"] }],
      ["1401", "材料采购", "Materials purchase", "debit", { auxiliaries: ["supplier"], roles: ["materials-purchase"] }],
      ["1402", "在途物资", "Goods in transit", "debit", { auxiliaries: ["supplier"], roles: ["in-transit"] }],
      ["1403", "原材料", "Raw materials", "debit", { auxiliaries: ["warehouse", "item"], roles: ["raw-materials"] }],
      ["1404", "材料成本差异", "Material cost variance", "debit", { roles: ["material-cost-variance"] }],
      ["1405", "库存商品", "Inventory goods", "debit", { auxiliaries: ["warehouse", "item"], roles: ["inventory"] }],
      ["1406", "发出商品", "Goods shipped", "debit", { auxiliaries: ["customer", "item"], roles: ["goods-shipped"] }],
      ["1407", "商品进销差价", "Merchandise price differential", "credit"],
      ["1408", "委托加工物资", "Materials in outsourced processing", "debit", { auxiliaries: ["supplier", "item"], roles: ["processing"] }],
      ["1411", "周转材料", "Revolving materials", "debit", { auxiliaries: ["warehouse", "item"] }],
      ["1471", "存货跌价准备", "Inventory impairment provision", "credit", { auxiliaries: ["item"], roles: ["inventory-impairment"] }],
      ["1501", "债权投资", "Debt investments", "debit"],
      ["1511", "长期股权投资", "Long-term equity investments", "debit"],
      ["1512", "长期股权投资减值准备", "Impairment provision for long-term equity investments", "credit"],
      ["1521", "投资性房地产", "Investment property", "debit"],
      ["1531", "长期应收款", "Long-term receivables", "debit"],
      ["1601", "固定资产", "Fixed assets", "debit", { auxiliaries: ["department"] }],
      ["1602", "累计折旧", "Accumulated depreciation", "credit"],
      ["1603", "固定资产减值准备", "Impairment provision for fixed assets", "credit"],
      ["1604", "在建工程", "Construction in progress", "debit", { auxiliaries: ["project"] }],
      ["1605", "工程物资", "Construction materials", "debit"],
      ["1606", "固定资产清理", "Disposal of fixed assets", "debit"],
      ["1701", "无形资产", "Intangible assets", "debit"],
      ["1702", "累计摊销", "Accumulated amortization", "credit"],
      ["1703", "无形资产减值准备", "Impairment provision for intangible assets", "credit"],
      ["1711", "商誉", "Goodwill", "debit"],
      ["1801", "长期待摊费用", "Long-term prepaid expenses", "debit"],
      ["1811", "递延所得税资产", "Deferred tax assets", "debit"],
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
      ["2232", "应付股利", "Dividends payable", "credit"],
      ["2241", "其他应付款", "Other payables", "credit"],
      ["2314", "受托代销商品款", "Payables for consignment-in goods", "credit", { auxiliaries: ["supplier"], roles: ["consignment-in-payable"] }],
      ["2401", "递延收益", "Deferred income", "credit"],
      ["2501", "长期借款", "Long-term borrowings", "credit"],
      ["2502", "应付债券", "Bonds payable", "credit"],
      ["2701", "长期应付款", "Long-term payables", "credit"],
      ["2801", "预计负债", "Provisions", "credit"],
      ["2901", "递延所得税负债", "Deferred tax liabilities", "credit"],
    ]),
    ...section("common", [
      ["3101", "衍生工具", "Derivatives", "debit"],
      ["3201", "套期工具", "Hedging instruments", "debit"],
      ["3202", "被套期项目", "Hedged items", "debit"],
    ]),
    ...section("equity", [
      ["4001", "实收资本", "Paid-in capital", "credit", { roles: ["paid-in-capital"] }],
      ["4002", "资本公积", "Capital reserve", "credit"],
      ["4003", "其他综合收益", "Other comprehensive income", "credit"],
      ["4101", "盈余公积", "Surplus reserve", "credit"],
      ["4103", "本年利润", "Current-year profit", "credit", { roles: ["current-year-profit"] }],
      ["4104", "利润分配", "Profit distribution", "credit", { roles: ["retained-earnings"] }],
      ["4201", "库存股", "Treasury shares", "debit"],
    ]),
    ...section("cost", [
      ["5001", "生产成本", "Production cost", "debit", { auxiliaries: ["item"], roles: ["production-cost"] }],
      ["5101", "制造费用", "Manufacturing overhead", "debit", { auxiliaries: ["department"], roles: ["manufacturing-overhead"] }],
      ["5201", "劳务成本", "Service cost", "debit", { auxiliaries: ["project"] }],
      ["5301", "研发支出", "Research and development expenditure", "debit", { auxiliaries: ["project"] }],
    ]),
    ...section("profit-loss", [
      ["6001", "主营业务收入", "Main operating revenue", "credit", { roles: ["revenue"] }],
      ["6051", "其他业务收入", "Other operating revenue", "credit", { roles: ["other-revenue"] }],
      ["6101", "公允价值变动损益", "Gains and losses from changes in fair value", "credit"],
      ["6111", "投资收益", "Investment income", "credit"],
      ["6115", "资产处置损益", "Gains and losses on disposal of assets", "credit"],
      ["6117", "其他收益", "Other income", "credit"],
      ["6301", "营业外收入", "Non-operating income", "credit", { roles: ["non-operating-income"] }],
      ["6401", "主营业务成本", "Main operating costs", "debit", { roles: ["cogs"] }],
      ["6402", "其他业务成本", "Other operating costs", "debit", { roles: ["other-cogs"] }],
      ["6403", "税金及附加", "Taxes and surcharges", "debit", { roles: ["tax-surcharges"] }],
      ["6601", "销售费用", "Selling expenses", "debit", { auxiliaries: ["department"], roles: ["selling-expense"] }],
      ["6602", "管理费用", "Administrative expenses", "debit", { auxiliaries: ["department"], roles: ["admin-expense"] }],
      ["6603", "财务费用", "Finance expenses", "debit", { roles: ["finance-expense"] }],
      ["6701", "资产减值损失", "Asset impairment losses", "debit", { roles: ["impairment-loss"] }],
      ["6702", "信用减值损失", "Credit impairment losses", "debit"],
      ["6711", "营业外支出", "Non-operating expenses", "debit", { roles: ["non-operating-expense"] }],
      ["6801", "所得税费用", "Income tax expense", "debit"],
      ["6901", "以前年度损益调整", "Prior-year profit and loss adjustment", "credit"],
    ]),
  ],
};

/**
 * The chart of accounts of 企业会计准则 (Accounting Standards for Business Enterprises, CAS), the
 * default chart of jxc: the commonly used first-level accounts of the 应用指南 appendix with
 * 1221 其他应收款 and 2221 应交税费 broken into sub-accounts, and every role of `ACCOUNT_ROLES`.
 *
 * Codes follow the appendix; 1321 and 2314 carry their common practical names 受托代销商品 and
 * 受托代销商品款. 2221.01 应交增值税 is postable although it has sub-accounts (a small-scale
 * taxpayer posts its VAT to it directly); 1901 待处理财产损溢 is a postable leaf.
 */
export const casChart = (): ChartOfAccounts => {
  const loaded = loadChart(CAS_CHART);
  if (Result.isFailure(loaded)) throw new Error(`built-in CAS chart is invalid: ${loaded.failure.message}`);
  return loaded.success;
};
