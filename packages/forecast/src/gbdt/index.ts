/**
 * The gradient-boosted tree models of `@jxc/forecast`: histogram binning, leaf-wise trees,
 * losses, boosting, history features, features across series, the global-model interface and its
 * backtest, and the global tree model.
 *
 * @module
 */
export * from "./binning.js";
export * from "./loss.js";
export * from "./tree.js";
export * from "./booster.js";
export * from "./history-features.js";
export * from "./cross-series-features.js";
export * from "./global-model.js";
export * from "./global-gbdt.js";
export * from "./per-series.js";
