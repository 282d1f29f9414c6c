/**
 * Replicas (center and edges), their operations, the authority policy and their errors.
 *
 * @module
 */
export * from "./errors.js";
export * from "./operation.js";
export * from "./policy.js";
export * from "./replica.js";
export * from "./approval-rules.js";
