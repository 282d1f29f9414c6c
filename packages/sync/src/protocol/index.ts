/**
 * The transport-agnostic protocol: messages, binary frames and exactly-once sessions.
 *
 * @module
 */
export * from "./messages.js";
export * from "./codec.js";
export * from "./session.js";
