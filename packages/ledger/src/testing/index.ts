/**
 * `@jxc/ledger/testing` — for auditors: the runner of the voucher golden vectors, fast-check
 * arbitraries of booked document sequences, and the ledger invariants (every voucher balances,
 * a reversal nets its original to zero, the sub-ledger equals the general ledger, no voucher
 * lacks a business ID).
 *
 * @packageDocumentation
 */
export * from "./voucher-vector.js";
export * from "./arbitraries.js";
export * from "./invariants.js";
