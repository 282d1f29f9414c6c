/**
 * Losses of the gradient-boosted trees, with LightGBM's gradients and hessians. Scores `s` are
 * on the link scale: the prediction is `s` (squared error) or `exp(s)` (Poisson, Tweedie).
 *
 * | loss | per-row loss ℓ(y, s) | gradient | hessian |
 * | --- | --- | --- | --- |
 * | squared | ½(s − y)² | s − y | 1 |
 * | Poisson | exp(s) − y·s | exp(s) − y | exp(s + maxDeltaStep) (LightGBM: δ = 0.7) |
 * | Tweedie (1 < p < 2) | −y·e^{(1−p)s}/(1−p) + e^{(2−p)s}/(2−p) | −y·e^{(1−p)s} + e^{(2−p)s} | −y(1−p)e^{(1−p)s} + (2−p)e^{(2−p)s} |
 *
 * The Poisson hessian is LightGBM's safeguarded one (`poisson_max_delta_step`): larger than the
 * true second derivative, it damps the Newton step. Poisson and Tweedie need `y ≥ 0`.
 *
 * @module
 */
import { z } from "zod";

/** A boosting loss: squared error, Poisson (log link) or Tweedie with power 1 < p < 2 (log link). */
export const BoostingLossSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("squared") }),
  z.strictObject({
    kind: z.literal("poisson"),
    /** LightGBM's `poisson_max_delta_step`: the hessian is exp(s + maxDeltaStep). Default 0.7. */
    maxDeltaStep: z.number().min(0).max(10).default(0.7),
  }),
  z.strictObject({
    kind: z.literal("tweedie"),
    /** Variance power p, 1 < p < 2 (LightGBM's `tweedie_variance_power`, default 1.5). */
    power: z.number().gt(1).lt(2).default(1.5),
  }),
]);

/** A boosting loss as given. */
export type BoostingLossInput = z.input<typeof BoostingLossSchema>;
/** A boosting loss with its defaults applied. */
export type BoostingLoss = z.output<typeof BoostingLossSchema>;

/** Whether the loss uses the log link (predictions `exp(score)`, never negative). */
export const usesLogLink = (loss: BoostingLoss): boolean => loss.kind !== "squared";

/** The loss of one row: ℓ(y, s) as in the module table. */
export const rowLoss = (loss: BoostingLoss, y: number, s: number): number => {
  switch (loss.kind) {
    case "squared":
      return 0.5 * (s - y) * (s - y);
    case "poisson":
      return Math.exp(s) - y * s;
    case "tweedie": {
      const p = loss.power;
      return (-y * Math.exp((1 - p) * s)) / (1 - p) + Math.exp((2 - p) * s) / (2 - p);
    }
  }
};

/**
 * Mean loss over the rows, weighted by `weight` when given: Σ w·ℓ / Σ w (NaN for no rows or a
 * zero total weight). Like `y` and `score`, `weight` must have one entry per row: these kernels
 * do not check their arrays ({@link trainBooster} does before calling them).
 */
export const meanLoss = (loss: BoostingLoss, y: Float64Array, score: Float64Array, weight?: Float64Array): number => {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weight === undefined ? 1 : weight[i]!;
    sum += w * rowLoss(loss, y[i]!, score[i]!);
    total += w;
  }
  return y.length === 0 || total === 0 ? Number.NaN : sum / total;
};

/**
 * Fills `grad` and `hess` with the gradients and hessians of every row (module table), each
 * multiplied by the row's `weight` when given (LightGBM's sample weights). Unchecked, like
 * {@link meanLoss}: every array must have one entry per row.
 */
export const gradients = (loss: BoostingLoss, y: Float64Array, score: Float64Array, grad: Float64Array, hess: Float64Array, weight?: Float64Array): void => {
  unweightedGradients(loss, y, score, grad, hess);
  if (weight === undefined) return;
  for (let i = 0; i < y.length; i++) {
    grad[i] = grad[i]! * weight[i]!;
    hess[i] = hess[i]! * weight[i]!;
  }
};

const unweightedGradients = (loss: BoostingLoss, y: Float64Array, score: Float64Array, grad: Float64Array, hess: Float64Array): void => {
  const n = y.length;
  switch (loss.kind) {
    case "squared":
      for (let i = 0; i < n; i++) {
        grad[i] = score[i]! - y[i]!;
        hess[i] = 1;
      }
      return;
    case "poisson": {
      const shift = Math.exp(loss.maxDeltaStep);
      for (let i = 0; i < n; i++) {
        const mu = Math.exp(score[i]!);
        grad[i] = mu - y[i]!;
        hess[i] = mu * shift;
      }
      return;
    }
    case "tweedie": {
      const p = loss.power;
      for (let i = 0; i < n; i++) {
        const s = score[i]!;
        const a = Math.exp((1 - p) * s);
        const b = Math.exp((2 - p) * s);
        grad[i] = -y[i]! * a + b;
        hess[i] = -y[i]! * (1 - p) * a + (2 - p) * b;
      }
      return;
    }
  }
};

/**
 * The initial score (LightGBM's `boost_from_average`): the mean of y, or log of it for log
 * links. With per-row offsets (link scale) it is the best constant on top of them:
 * mean(y − offset), or log(Σy / Σ exp(offset)); with row weights, the weighted mean and sums.
 */
export const initialScore = (loss: BoostingLoss, y: Float64Array, offset?: Float64Array, weight?: Float64Array): number => {
  let sum = 0;
  let base = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weight === undefined ? 1 : weight[i]!;
    sum += w * y[i]!;
    base += w * (offset === undefined ? (loss.kind === "squared" ? 0 : 1) : loss.kind === "squared" ? offset[i]! : Math.exp(offset[i]!));
    total += w;
  }
  if (y.length === 0 || total === 0) return 0;
  // log links: the mean target is floored at 1e-12 (all-zero targets), per unit of weight
  return loss.kind === "squared" ? (sum - base) / total : Math.log(Math.max(sum, 1e-12 * total) / Math.max(base, 1e-300));
};

/** The prediction (response scale) of a score: `s` or `exp(s)`. */
export const responseOf = (loss: BoostingLoss, s: number): number => (loss.kind === "squared" ? s : Math.exp(s));
