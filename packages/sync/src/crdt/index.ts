/**
 * Delta-state CRDTs: escrow counters, last-writer-wins registers, document statuses, the
 * replicated state that holds them, and rights rebalancing.
 *
 * @module
 */
export * from "./quantity.js";
export * from "./escrow.js";
export * from "./packed-cells.js";
export * from "./lww.js";
export * from "./status.js";
export * from "./change-list.js";
export * from "./state.js";
export * from "./rebalance.js";
