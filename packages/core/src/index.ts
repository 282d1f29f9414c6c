/**
 * `@jxc/core` — the domain of jxc: items and units, warehouses and locations, lots and serial
 * numbers, stock documents, and the stock ledger with its valuation engine.
 *
 * @packageDocumentation
 */
export { Dec, ZERO, DecimalString, PositiveDecimalString, NonNegativeDecimalString, roundMoney, formatMoney, sumDecimals } from "./decimal.js";
export * from "./errors.js";
export * from "./cheap-error.js";
export * from "./validation.js";
export * from "./item.js";
export * from "./warehouse.js";
export * from "./lot.js";
export * from "./document.js";
export * from "./move.js";
export * from "./settings.js";
export * from "./period.js";
export { documentToMoves, moveIdOf, type PostingLookup } from "./posting.js";
export type { Layer } from "./valuation/state.js";
export * from "./ledger.js";
export * from "./report.js";
export * from "./rules/index.js";

export * from "./purchase-request.js";
export * from "./random.js";
