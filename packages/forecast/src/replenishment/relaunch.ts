/**
 * Relaunched items (复售): a run of at least `minDays` days without a sale that ends with sales
 * again is read as the item having been off the shelf (delisted, out of stock upstream) rather
 * than as demand of zero. {@link fillDormantRuns} replaces such a run in a sales history by the
 * mean demand of the `levelDays` days before it, so that a model fitted on the history orders for
 * the item's old level as soon as it sells again, instead of averaging the months of zeros in.
 * A run that is still going on (the item is not back) and a run at the start of the history (the
 * item was not launched yet) stay zeros.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";

/** Options of {@link fillDormantRuns}. */
export const DormantRunSchema = z.strictObject({
  /** Days without a sale from which a run counts as the item off the shelf; default 28. */
  minDays: z.number().int().min(1).default(28),
  /** Days before the run whose mean demand fills it; default 28. */
  levelDays: z.number().int().min(1).default(28),
});

/** Options of {@link fillDormantRuns} as given. */
export type DormantRunOptions = z.input<typeof DormantRunSchema>;

/**
 * A copy of the daily demand `y` in which every run of at least `minDays` zeros that has a sale
 * before and after it is replaced by the mean of the (up to) `levelDays` days before it; every
 * other day is unchanged. Fails with {@link InvalidInput} on a non-finite or negative demand or
 * malformed options.
 */
export const fillDormantRuns = (y: Float64Array, options: DormantRunOptions = {}): Result.Result<Float64Array, InvalidInput> => {
  const parsed = parseInput(
    z.strictObject({
      y: z.instanceof(Float64Array).refine((v) => v.every((x) => Number.isFinite(x) && x >= 0), "every demand must be a finite number, 0 or more"),
      options: DormantRunSchema,
    }),
    { y, options },
    "dormant runs",
  );
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const { minDays, levelDays } = parsed.success.options;
  const out = Float64Array.from(y);
  let i = 0;
  while (i < out.length) {
    if (out[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < out.length && out[end] === 0) end++;
    if (i > 0 && end < out.length && end - i >= minDays) {
      const from = Math.max(0, i - levelDays);
      let level = 0;
      for (let k = from; k < i; k++) level += y[k]!;
      out.fill(level / (i - from), i, end);
    }
    i = end;
  }
  return Result.succeed(out);
};
