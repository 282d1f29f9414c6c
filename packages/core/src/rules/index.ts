/**
 * The rule language of jxc: typed, JSON-serializable conditions over declared facts, with text
 * syntax, checking before evaluation, explained evaluation, and versioned rule sets.
 *
 * @module
 */
export * from "./ast.js";
export * from "./fact-schema.js";
export * from "./rule-errors.js";
export * from "./parse.js";
export * from "./format.js";
export * from "./check.js";
export * from "./evaluate.js";
export * from "./rule-set.js";
export { sha256Hex } from "./content-hash.js";
