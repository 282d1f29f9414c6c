/**
 * `@jxc/ledger` — 业财一体化: balanced vouchers (会计凭证) derived from every posted document
 * through declarative templates over a chart of accounts, red-letter reversal, 数电发票 and the
 * business-ID trace, and the reconciliation of the stock sub-ledger with the general ledger.
 *
 * @packageDocumentation
 */
export * from "./errors.js";
export * from "./amount.js";
export * from "./chart.js";
export * from "./event.js";
export * from "./template.js";
export * from "./templates-default.js";
export * from "./voucher.js";
export * from "./derive.js";
export * from "./journal.js";
export * from "./reconcile.js";
export * from "./bridge.js";
export * from "./tax-id.js";
export * from "./invoice.js";
export * from "./trace.js";
export * from "./impairment.js";
export * from "./trace-sources.js";
