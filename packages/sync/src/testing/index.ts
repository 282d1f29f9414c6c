/**
 * `@jxc/sync/testing` — arbitraries, the in-memory network and the deterministic simulator.
 *
 * @packageDocumentation
 */
export * from "./crdt.js";
export * from "./network.js";
export * from "./simulator.js";
export * from "./audit.js";
