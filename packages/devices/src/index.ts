/**
 * `@jxc/devices` — warehouse device protocols decoded exactly and turned into `@jxc/core`
 * commands or typed errors.
 *
 * @packageDocumentation
 */
export {};
