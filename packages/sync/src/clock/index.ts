/**
 * Hybrid logical clocks.
 *
 * @module
 */
export * from "./hlc.js";
