/**
 * Supplier lead times learned from receipt history: for each past order, the days promised
 * (ordered → promised date) and the days it actually took (ordered → received). The delay
 * (actual − promised, in days, negative when early) gives an empirical distribution; a new order
 * promised in `P` days then arrives in `P + delay` days with the delay's probabilities.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { InvalidReceiptHistory } from "./errors.js";

const IsoDate = z.iso.date();

/** One past receipt of a supplier: when it was ordered, the date promised and the date received. */
export const ReceiptRecordSchema = z.strictObject({
  ordered: IsoDate,
  promised: IsoDate,
  received: IsoDate,
});
/** A {@link ReceiptRecordSchema} value. */
export type ReceiptRecord = z.output<typeof ReceiptRecordSchema>;

/**
 * A discrete lead-time distribution in whole days: `days[i]` with probability `probabilities[i]`
 * (days ascending, probabilities summing to 1), with its mean and standard deviation.
 */
export interface LeadTimeDistribution {
  /** Possible lead times in days, ascending, each ≥ 0. */
  readonly days: ReadonlyArray<number>;
  /** Probability of each lead time. */
  readonly probabilities: ReadonlyArray<number>;
  /** Mean lead time in days. */
  readonly mean: number;
  /** Standard deviation of the lead time in days. */
  readonly sd: number;
}

/** What a supplier's receipt history says about its reliability. */
export interface SupplierDelay {
  /** Number of receipts read. */
  readonly receipts: number;
  /** Delay (actual − promised days) → probability, ascending by delay. */
  readonly delays: ReadonlyArray<{ readonly days: number; readonly probability: number }>;
  /** Mean delay in days (negative when the supplier is early on average). */
  readonly meanDelay: number;
  /** Standard deviation of the delay in days. */
  readonly sdDelay: number;
  /** Share of receipts that arrived after the promised date (交付延迟率). */
  readonly lateShare: number;
  /** Mean promised lead time in days. */
  readonly meanPromisedDays: number;
}

const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/** Whole days from `from` to `to` (calendar dates `YYYY-MM-DD`). */
export const daysBetweenDates = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/**
 * Learns a supplier's delay distribution from its receipt history (promised vs actual dates).
 * Fails with {@link InvalidInput} on malformed records and {@link InvalidReceiptHistory} when
 * there are none or a date is before its order date.
 */
export const learnSupplierDelay = (receipts: unknown): Result.Result<SupplierDelay, InvalidInput | InvalidReceiptHistory> => {
  const parsed = parseInput(z.array(ReceiptRecordSchema), receipts, "receipt history");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const records = parsed.success;
  if (records.length === 0) return Result.fail(new InvalidReceiptHistory({ reason: "no receipts" }));
  const counts = new Map<number, number>();
  let sum = 0;
  let sumSq = 0;
  let late = 0;
  let promisedSum = 0;
  for (const [i, r] of records.entries()) {
    const promised = daysBetweenDates(r.ordered, r.promised);
    const actual = daysBetweenDates(r.ordered, r.received);
    if (promised < 0 || actual < 0) return Result.fail(new InvalidReceiptHistory({ reason: `receipt ${i}: promised or received before ordered` }));
    const delay = actual - promised;
    counts.set(delay, (counts.get(delay) ?? 0) + 1);
    sum += delay;
    sumSq += delay * delay;
    if (delay > 0) late++;
    promisedSum += promised;
  }
  const n = records.length;
  const meanDelay = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * meanDelay * meanDelay) / (n - 1)) : 0;
  const delays = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([days, c]) => ({ days, probability: c / n }));
  return Result.succeed({ receipts: n, delays, meanDelay, sdDelay: Math.sqrt(variance), lateShare: late / n, meanPromisedDays: promisedSum / n });
};

/** Builds a distribution from (days, probability) pairs: merges equal days, clips at 0, normalises. */
export const leadTimeDistribution = (pairs: ReadonlyArray<{ readonly days: number; readonly probability: number }>): LeadTimeDistribution => {
  const merged = new Map<number, number>();
  let total = 0;
  for (const p of pairs) {
    const d = Math.max(0, Math.round(p.days));
    merged.set(d, (merged.get(d) ?? 0) + p.probability);
    total += p.probability;
  }
  const sorted = [...merged.entries()].sort((a, b) => a[0] - b[0]);
  const days = sorted.map(([d]) => d);
  const probabilities = sorted.map(([, p]) => p / total);
  let mean = 0;
  for (let i = 0; i < days.length; i++) mean += days[i]! * probabilities[i]!;
  let v = 0;
  for (let i = 0; i < days.length; i++) v += probabilities[i]! * (days[i]! - mean) ** 2;
  return { days, probabilities, mean, sd: Math.sqrt(v) };
};

/** A fixed lead time of `days` days (no variability). */
export const fixedLeadTime = (days: number): LeadTimeDistribution => leadTimeDistribution([{ days, probability: 1 }]);

/**
 * The lead time of a new order promised in `promisedDays`: promised days plus the supplier's
 * learned delay distribution (a lead time never goes below 0 days).
 */
export const leadTimeFor = (delay: SupplierDelay, promisedDays: number): LeadTimeDistribution =>
  leadTimeDistribution(delay.delays.map((d) => ({ days: promisedDays + d.days, probability: d.probability })));
