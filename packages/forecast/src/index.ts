/**
 * `@jxc/forecast` — demand forecasting for replenishment: series frames, baselines, exponential
 * smoothing and ETS, Theta, intermittent-demand methods, probabilistic forecasts (quantiles),
 * calendar and external-signal features, rolling-origin backtests and metrics. Pure and
 * deterministic.
 *
 * @packageDocumentation
 */

export * from "./model.js";
export * from "./frame.js";
export * from "./baselines.js";
export * from "./metrics.js";
export * from "./backtest.js";
export * from "./conformal.js";
export * from "./intermittent.js";
export * from "./calendar.js";
export * from "./signals.js";
export * from "./optimize.js";
export * from "./ets.js";
export * from "./ets-auto.js";
export * from "./theta.js";
export * from "./stl.js";
export * from "./box-cox.js";
export * from "./mstl.js";
export * from "./gbdt/index.js";
export * from "./replenishment/index.js";
export * from "./review/index.js";
