/**
 * `@jxc/ledger/testing` — for auditors: the runner of the voucher golden vectors, fast-check
 * arbitraries of business events and the ledger invariants.
 *
 * @packageDocumentation
 */
export * from "./voucher-vector.js";
