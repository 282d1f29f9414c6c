/**
 * `@jxc/sync` — offline edge replicas that converge and never oversell.
 *
 * @packageDocumentation
 */
export * from "./clock/index.js";
export * from "./crdt/index.js";
export * from "./protocol/index.js";
export * from "./audit/index.js";
export * from "./replica/index.js";
export * from "./transport/index.js";
