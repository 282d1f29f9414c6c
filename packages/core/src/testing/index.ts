export * from "./valuation-vector.js";
