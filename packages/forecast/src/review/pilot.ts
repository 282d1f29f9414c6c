/**
 * Pilot selection (试点 SKU 选择): the SKUs worth starting replenishment with — those covering the
 * first `profitShare` of gross profit (ABC class A with boundary `profitShare`, see
 * {@link classifySkus}) whose demand coefficient of variation is above `minCv`, the top `limit`
 * of them by gross profit. Defaults: 60 %, CV > 1.8, top 20. Volatile, profitable SKUs are where a
 * forecast-driven policy gains most over a static safety stock.
 *
 * Ties are broken deterministically: by gross profit, descending, then by SKU code, ascending
 * (the classification's rank). Every SKU gets its reason: why it was selected, or which rule left
 * it out.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { Dec, parseInput, type InvalidInput } from "@jxc/core";
import { classifySkus } from "./classify.js";
import type { DuplicateSku, InvalidClassBoundaries } from "./errors.js";

/** Options of {@link selectPilotSkus}: profit share covered (default 0.6), CV threshold (default 1.8, strict), number of SKUs (default 20). */
export const PilotOptionsSchema = z.strictObject({
  profitShare: z.number().gt(0).lte(1).default(0.6),
  minCv: z.number().nonnegative().default(1.8),
  limit: z.number().int().positive().default(20),
});
/** A {@link PilotOptionsSchema} input. */
export type PilotOptions = z.input<typeof PilotOptionsSchema>;

/** Why a SKU was left out of the pilot. */
export type PilotExclusion = "outside-profit-share" | "stable-demand" | "beyond-limit";

/** A SKU considered for the pilot, with its figures and the reason for the decision. */
export interface PilotCandidate {
  /** The SKU. */
  readonly sku: string;
  /** Rank by gross profit (1 = largest). */
  readonly rank: number;
  /** Gross profit. */
  readonly grossProfit: Dec;
  /** Cumulative gross-profit share of the SKUs ranked before it. */
  readonly cumulativeShareBefore: Dec;
  /** Demand coefficient of variation (`NaN` when mean demand is 0). */
  readonly cv: number;
  /** `undefined` when selected, otherwise the rule that left it out. */
  readonly excludedBy?: PilotExclusion | undefined;
  /** The reason in words, with the figures. */
  readonly reason: string;
}

/** The pilot: the selected SKUs in rank order, and every other SKU with why it was left out. */
export interface PilotSelection {
  /** Selected SKUs, by gross profit descending (at most `limit`). */
  readonly selected: ReadonlyArray<PilotCandidate>;
  /** The other SKUs, in rank order. */
  readonly excluded: ReadonlyArray<PilotCandidate>;
  /** The options used. */
  readonly options: z.output<typeof PilotOptionsSchema>;
}

const percent = (share: Dec): string => `${share.times(100).toDecimalPlaces(1).toFixed(1)}%`;

/**
 * Selects the pilot SKUs from their histories (the {@link classifySkus} input). Fails like
 * {@link classifySkus}, and with `InvalidInput` on malformed options.
 */
export const selectPilotSkus = (
  histories: unknown,
  options: PilotOptions = {},
): Result.Result<PilotSelection, InvalidInput | DuplicateSku | InvalidClassBoundaries> => {
  const parsedOptions = parseInput(PilotOptionsSchema, options, "pilot options");
  if (Result.isFailure(parsedOptions)) return Result.fail(parsedOptions.failure);
  const opts = parsedOptions.success;
  const classified = classifySkus(histories, { abc: { a: opts.profitShare, b: Math.max(opts.profitShare, 0.95) } });
  if (Result.isFailure(classified)) return Result.fail(classified.failure);
  const selected: PilotCandidate[] = [];
  const excluded: PilotCandidate[] = [];
  const threshold = percent(new Dec(opts.profitShare));
  for (const s of classified.success.skus) {
    const base = { sku: s.sku, rank: s.rank, grossProfit: s.grossProfit, cumulativeShareBefore: s.cumulativeShareBefore, cv: s.cv };
    const profitText = `rank ${s.rank} by gross profit ${s.grossProfit.toFixed(2)}, ${percent(s.cumulativeShareBefore)} of gross profit before it`;
    const cvText = `CV ${Number.isNaN(s.cv) ? "undefined (no demand)" : s.cv.toFixed(2)}`;
    const candidate = (excludedBy: PilotExclusion | undefined, reason: string): PilotCandidate => ({
      ...base,
      ...(excludedBy === undefined ? {} : { excludedBy }),
      reason,
    });
    if (s.abc !== "A") {
      excluded.push(candidate("outside-profit-share", `${profitText}: not among the SKUs covering the first ${threshold} of gross profit`));
    } else if (!(s.cv > opts.minCv)) {
      excluded.push(candidate("stable-demand", `${profitText}, but ${cvText} is not above ${opts.minCv}`));
    } else if (selected.length >= opts.limit) {
      excluded.push(candidate("beyond-limit", `${profitText}, ${cvText} > ${opts.minCv}, but the top ${opts.limit} are already selected`));
    } else {
      selected.push(candidate(undefined, `${profitText} (within the first ${threshold}), ${cvText} > ${opts.minCv}: selected as number ${selected.length + 1}`));
    }
  }
  return Result.succeed({ selected, excluded, options: opts });
};

