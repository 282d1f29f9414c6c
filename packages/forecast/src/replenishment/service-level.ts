/**
 * Service levels by value (按价值区分服务水平): across an assortment, one service level for every
 * SKU is not the cheapest way to a given stockout rate. Minimising the expected stockouts plus λ
 * times the value of the stock held, `P(D > S) + λ · c · S` per SKU with normal lead-time demand
 * `D ~ N(μ, σ²)` and unit cost `c`, gives `φ(z) = λ · c · σ` at `S = μ + z·σ`:
 *
 * `z = √(−2 · ln(λ · c · σ · √(2π)))`, service level `Φ(z)` (z = 0 when `λ·c·σ·√(2π) ≥ 1`),
 *
 * so a SKU whose uncertainty is cheap to cover (low cost, little spread) gets a high level and an
 * expensive, volatile one a lower level. One λ for the assortment sets the trade-off (a larger λ
 * holds less); it is chosen like a service level, on data before the period it is used for. The
 * level is a property of the SKU for a period (a service class), set from its usual lead-time
 * demand and given to {@link planReplenishment} as the position's `serviceLevel` — not recomputed
 * from a forecast that a known event inflates, which would lower the service exactly when demand
 * peaks.
 *
 * @module
 */
import { normalCdf } from "./lead-time-demand.js";
import type { planReplenishment } from "./plan.js";

/** Inputs of {@link valueBasedServiceLevel}. */
export interface ValueBasedServiceLevelInput {
  /** Unit cost c (money per unit). */
  readonly unitCost: number;
  /** Standard deviation σ of lead-time demand, in units. */
  readonly leadTimeDemandSd: number;
  /** Weight λ of one unit of money held against one expected stockout (> 0). */
  readonly lambda: number;
  /** Lowest level returned (default 0.5). */
  readonly min?: number | undefined;
  /** Highest level returned (default 0.9995). */
  readonly max?: number | undefined;
}

/**
 * The service level `Φ(z)`, `z = √(−2 ln(λ·c·σ·√(2π)))`, within `[min, max]` (see the module
 * description). Never higher for a higher unit cost, a larger spread or a larger λ; `max` when the
 * cost of covering the spread is nil (σ = 0 or c = 0).
 */
export const valueBasedServiceLevel = (input: ValueBasedServiceLevelInput): number => {
  const min = input.min ?? 0.5;
  const max = input.max ?? 0.9995;
  const x = input.lambda * Math.max(0, input.unitCost) * Math.max(0, input.leadTimeDemandSd) * Math.sqrt(2 * Math.PI);
  if (!(x > 0)) return max;
  const level = x >= 1 ? 0.5 : normalCdf(Math.sqrt(-2 * Math.log(x)));
  return Math.min(max, Math.max(min, level));
};
