/**
 * Replenishment (补货): lead-time demand and dynamic safety stock from probabilistic forecasts,
 * supplier lead times learned from receipts, reorder policies with their constraints, suggested
 * purchase requests with explanations, and an inventory simulator.
 *
 * @module
 */
export * from "./errors.js";
export * from "./lead-time.js";
export * from "./lead-time-demand.js";
export * from "./event-uplift.js";
export * from "./weekday-profile.js";
export * from "./relaunch.js";
export * from "./service-level.js";
export * from "./inventory-budget.js";
export * from "./calendar.js";
export * from "./trigger-rules.js";
export * from "./plan.js";
export * from "./purchase-requests.js";
export * from "./simulate.js";
