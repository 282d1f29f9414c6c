/**
 * `@jxc/forecast/testing` — fast-check arbitraries of demand series for property tests.
 *
 * @packageDocumentation
 */
export * from "./series.js";
