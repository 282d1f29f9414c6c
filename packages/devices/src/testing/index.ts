/**
 * `@jxc/devices/testing` — the runner of the device golden vectors.
 *
 * @packageDocumentation
 */
export * from "./device-vector.js";
export * from "./gs1.js";
