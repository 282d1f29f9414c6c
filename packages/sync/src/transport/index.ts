/**
 * The Transport port, its in-memory binding and the replica runtime.
 *
 * @module
 */
export * from "./transport.js";
export * from "./in-memory.js";
export * from "./runtime.js";
