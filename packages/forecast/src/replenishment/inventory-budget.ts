/**
 * Service levels under an inventory budget (库存资金预算): in {@link valueBasedServiceLevel} the
 * weight λ is the price of a unit of money held; given instead a budget for the value of stock
 * held on average, {@link lambdaForInventoryBudget} finds the λ at which the assortment's
 * expected stock is worth the budget — the fewest expected stockouts the budget buys, spread over
 * the SKUs by value. A smaller λ holds more, so the budget is met by the smallest λ within it.
 *
 * The expected stock of a position is that of a base-stock policy (order back up to S at every
 * review) whose demand over the protection period is normal, `D ~ N(μ, σ²)`, with S its
 * service-level quantile `μ + z·σ`: what is left when that demand has been served,
 * `E[(S − D)⁺] = σ·(z·Φ(z) + φ(z))` ({@link baseStockExpectedOnHand}) — the safety stock plus
 * the expected shortfall. Real stock is larger (whole units, intermittent demand, orders that
 * arrive after demand fell); a planner scales the budget by the ratio of simulated to expected
 * stock measured on past windows (the replenishment bench does).
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { normalQuantile } from "../baselines.js";
import { normalCdf } from "./lead-time-demand.js";
import { valueBasedServiceLevel } from "./service-level.js";

/**
 * The expected stock `E[(S − D)⁺] = σ·(z·Φ(z) + φ(z))`, `z = Φ⁻¹(serviceLevel)`, left by a base-stock
 * level at the `serviceLevel` quantile of normal demand with standard deviation `leadTimeDemandSd`
 * (see the module description). Never negative, never below the safety stock `z·σ`, and never
 * lower for a higher level or a wider spread.
 */
export const baseStockExpectedOnHand = (leadTimeDemandSd: number, serviceLevel: number): number => {
  const sd = Math.max(0, leadTimeDemandSd);
  if (sd === 0) return 0;
  const z = normalQuantile(serviceLevel);
  return sd * Math.max(0, z * normalCdf(z) + Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI));
};

const Finite = z.number().finite().min(0);

/** What {@link lambdaForInventoryBudget} spreads a budget over, and the budget. */
export const InventoryBudgetSchema = z
  .strictObject({
    /** The SKUs (or positions): unit cost and the standard deviation of demand over the protection period. */
    positions: z.array(z.strictObject({ unitCost: Finite, leadTimeDemandSd: Finite })),
    /** The expected value of stock to hold, summed over the positions (money at cost). */
    budget: Finite,
    /** Lowest service level (as in {@link valueBasedServiceLevel}); default 0.5. */
    min: z.number().gt(0).lt(1).default(0.5),
    /** Highest service level; default 0.9995. */
    max: z.number().gt(0).lt(1).default(0.9995),
  })
  .refine((x) => x.min <= x.max, { message: "min must not exceed max", path: ["max"] });

/** A {@link InventoryBudgetSchema} value as given. */
export type InventoryBudget = z.input<typeof InventoryBudgetSchema>;

/** The weight found by {@link lambdaForInventoryBudget}. */
export interface BudgetedLambda {
  /** λ for {@link valueBasedServiceLevel}; 0 when the budget covers every position at the highest level. */
  readonly lambda: number;
  /** Σ unit cost × {@link baseStockExpectedOnHand} at that λ. */
  readonly expectedValue: number;
  /** False when even every position at the lowest level is worth more than the budget (λ is then the smallest that puts every one there). */
  readonly withinBudget: boolean;
}

/**
 * The smallest λ whose service levels ({@link valueBasedServiceLevel}) keep the expected stock value
 * `Σ c·σ·(z·Φ(z) + φ(z))` within the budget, by bisection on log λ (relative precision 1e-9). The
 * expected value never rises with λ, and it is flat outside `[φ(z_max) / max c·σ, φ(z_low) / min c·σ]`
 * (`φ(z) = λ·c·σ`; every position at the highest level below, at the lowest above, `z_low` that of
 * the larger of `min` and ½), so the search stays between. Positions with `c·σ = 0` hold nothing.
 * Fails with {@link InvalidInput} on negative or non-finite costs, spreads or budget, or levels
 * outside (0, 1) or in the wrong order.
 */
export const lambdaForInventoryBudget = (input: InventoryBudget): Result.Result<BudgetedLambda, InvalidInput> => {
  const parsed = parseInput(InventoryBudgetSchema, input, "inventory budget");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const { positions, budget, min, max } = parsed.success;
  const priced = positions.filter((p) => p.unitCost * p.leadTimeDemandSd > 0);
  const valueAt = (lambda: number): number => {
    let v = 0;
    for (const p of priced) v += p.unitCost * baseStockExpectedOnHand(p.leadTimeDemandSd, valueBasedServiceLevel({ ...p, lambda, min, max }));
    return v;
  };
  const density = (p: number): number => Math.exp(-(normalQuantile(p) ** 2) / 2) / Math.sqrt(2 * Math.PI);
  let dearest = 0;
  let cheapest = Number.POSITIVE_INFINITY;
  for (const p of priced) {
    dearest = Math.max(dearest, p.unitCost * p.leadTimeDemandSd);
    cheapest = Math.min(cheapest, p.unitCost * p.leadTimeDemandSd);
  }
  const top = valueAt(0);
  if (top <= budget) return Result.succeed({ lambda: 0, expectedValue: top, withinBudget: true });
  // Every level is at max for λ ≤ lo and at its lowest (never below ½) for λ ≥ hi; bisection on log λ.
  let lo = Math.log(density(max)) - Math.log(dearest);
  let hi = Math.log(density(Math.max(min, 0.5))) - Math.log(cheapest) + 1e-9; // past rounding: every level there is the lowest
  const floor = valueAt(Math.exp(hi));
  if (floor > budget) return Result.succeed({ lambda: Math.exp(hi), expectedValue: floor, withinBudget: false });
  for (let it = 0; it < 200 && hi - lo > 1e-9; it++) {
    const mid = (lo + hi) / 2;
    if (valueAt(Math.exp(mid)) <= budget) hi = mid;
    else lo = mid;
  }
  return Result.succeed({ lambda: Math.exp(hi), expectedValue: valueAt(Math.exp(hi)), withinBudget: true });
};
