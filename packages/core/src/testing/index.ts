/**
 * `@jxc/core/testing` — for auditors: fast-check arbitraries of items, lots and valid document
 * sequences (with backdated documents, returns and transfers), the ledger invariants as
 * functions, the comparison of fixed-point and decimal.js valuation, and the runner of the
 * valuation golden vectors.
 *
 * @packageDocumentation
 */
export * from "./arbitraries.js";
export * from "./invariants.js";
export * from "./arithmetic.js";
export * from "./valuation-vector.js";
export { invariantReport, type InvariantReport, type InvariantViolation } from "../report.js";
export * from "./rules.js";
