/**
 * Lead-time demand: the distribution of total demand over the protection period — the lead time
 * (random, from {@link LeadTimeDistribution}) plus the review period — from a probabilistic daily
 * forecast, and the **dynamic safety stock** read from it: the service-level quantile of lead-time
 * demand minus its mean. The classic `z·σ·√L` formula is {@link classicSafetyStock}, for comparison.
 *
 * Two methods:
 * - `simulation` (default): Monte Carlo with a seeded generator. Each draw picks a lead time from
 *   its distribution and sums daily demands drawn by inverse CDF from the forecast's quantiles
 *   (linear between levels, linear tails, never below 0; upper levels mirrored about the median
 *   when the lower ones are missing). Days are drawn independently.
 * - `normal`: analytic. Each day is normal with the forecast mean and a standard deviation read from
 *   the highest forecast quantile; the protection-period demand is the mixture over lead times of
 *   normals, and its quantile is found by bisection. Fast; for large plans with smooth demand.
 *
 * A forecast without quantiles is read as certain (no demand variability); only the lead time
 * then varies. Statistics are float64, as in the rest of `@jxc/forecast`.
 *
 * @module
 */
import { seededUniform } from "@jxc/core";
import { Result } from "effect";
import { normalQuantile } from "../baselines.js";
import type { Forecast } from "../model.js";
import { UnusableForecast } from "./errors.js";
import type { LeadTimeDistribution } from "./lead-time.js";

/** How lead-time demand is computed: Monte Carlo over the forecast quantiles or a normal mixture. */
export type LeadTimeDemandMethod = "simulation" | "normal";

/** Options of {@link leadTimeDemand}. */
export interface LeadTimeDemandOptions {
  /** Days added to the lead time (the review period R of periodic policies); default 0. */
  readonly reviewDays?: number;
  /** `simulation` (default) or `normal`. */
  readonly method?: LeadTimeDemandMethod;
  /** Number of Monte Carlo draws (default 1,000). */
  readonly samples?: number;
  /** Seed of the generator (default 1). Same seed, same result. */
  readonly seed?: number;
  /** The position, `item@warehouse`, named in errors. */
  readonly position?: string;
}

/** The distribution of demand over the protection period (lead time + review period). */
export interface LeadTimeDemand {
  /** Mean demand over the protection period. */
  readonly mean: number;
  /** Standard deviation of that demand. */
  readonly sd: number;
  /** The `p`-quantile of that demand (monotone non-decreasing in `p`). */
  readonly quantile: (p: number) => number;
  /** Sum of the forecast means over the mean protection period (what a point forecast says). */
  readonly forecastMean: number;
  /** Mean protection period in days (mean lead time + review days). */
  readonly protectionDays: number;
  /** The method used. */
  readonly method: LeadTimeDemandMethod;
}

/**
 * The forecast's daily inverse CDFs, flat: `levels` (K anchors from 0 to 1, shared by all days) and
 * `values[d·K + j]` (non-decreasing in j, never below 0). Upper levels without their mirror 1 − p
 * get it from the median, `max(0, 2·median − q_p)`. Undefined when fewer than two levels are given.
 */
interface DailyQuantiles {
  readonly levels: Float64Array;
  readonly values: Float64Array;
}

const dailyQuantiles = (forecast: Forecast, days: number): DailyQuantiles | undefined => {
  const given = [...forecast.quantiles.keys()].filter((p) => p > 0 && p < 1).sort((a, b) => a - b);
  if (given.length < 2) return undefined;
  const hasMedian = given.includes(0.5);
  // Each level: [level, source level, mirrored?]
  const spec: Array<readonly [number, number, boolean]> = given.map((p) => [p, p, false] as const);
  if (hasMedian) for (const p of given) if (p > 0.5 && !given.some((q) => Math.abs(q - (1 - p)) < 1e-12)) spec.push([1 - p, p, true] as const);
  spec.sort((a, b) => a[0] - b[0]);
  const k = spec.length;
  const K = k + 2;
  const levels = new Float64Array(K);
  for (let j = 0; j < k; j++) levels[j + 1] = spec[j]![0];
  levels[K - 1] = 1;
  const rows = spec.map(([, src]) => forecast.quantiles.get(src)!);
  const median = hasMedian ? forecast.quantiles.get(0.5)! : undefined;
  const values = new Float64Array(days * K);
  for (let d = 0; d < days; d++) {
    const o = d * K;
    let running = 0;
    for (let j = 0; j < k; j++) {
      const raw = spec[j]![2] ? 2 * median![d]! - rows[j]![d]! : rows[j]![d]!;
      running = Math.max(running, Number.isFinite(raw) ? raw : running);
      values[o + j + 1] = running;
    }
    const slopeLow = (values[o + 2]! - values[o + 1]!) / (levels[2]! - levels[1]!);
    values[o] = Math.max(0, values[o + 1]! - slopeLow * levels[1]!);
    const slopeHigh = (values[o + k]! - values[o + k - 1]!) / (levels[k]! - levels[k - 1]!);
    values[o + K - 1] = values[o + k]! + slopeHigh * (1 - levels[k]!);
  }
  return { levels, values };
};

const inverse = (q: DailyQuantiles, day: number, u: number): number => {
  const { levels, values } = q;
  const K = levels.length;
  const o = day * K;
  let i = 1;
  while (i < K - 1 && levels[i]! < u) i++;
  const l0 = levels[i - 1]!;
  const l1 = levels[i]!;
  const w = l1 > l0 ? (u - l0) / (l1 - l0) : 0;
  return values[o + i - 1]! + w * (values[o + i]! - values[o + i - 1]!);
};

/** The standard normal CDF Φ(x) (Abramowitz–Stegun 7.1.26 via erf, |error| < 1.5e-7). */
export const normalCdf = (x: number): number => {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
};

/**
 * The distribution of demand over the lead time (plus `reviewDays`) from a daily forecast whose
 * step 1 is the day after the order is placed. Fails with {@link UnusableForecast} when the
 * forecast is shorter than the longest protection period or has non-finite means.
 */
export const leadTimeDemand = (
  forecast: Forecast,
  leadTime: LeadTimeDistribution,
  options: LeadTimeDemandOptions = {},
): Result.Result<LeadTimeDemand, UnusableForecast> => {
  const position = options.position ?? "";
  const review = Math.max(0, Math.round(options.reviewDays ?? 0));
  const maxDays = (leadTime.days[leadTime.days.length - 1] ?? 0) + review;
  const h = forecast.mean.length;
  if (h < maxDays) return Result.fail(new UnusableForecast({ position, reason: `forecast covers ${h} days, the protection period needs ${maxDays}` }));
  const cumMean = new Float64Array(maxDays + 1);
  for (let d = 0; d < maxDays; d++) {
    const m = forecast.mean[d]!;
    if (!Number.isFinite(m)) return Result.fail(new UnusableForecast({ position, reason: `forecast mean of day ${d + 1} is not finite` }));
    cumMean[d + 1] = cumMean[d]! + Math.max(0, m);
  }
  const protectionDays = leadTime.mean + review;
  const lo = Math.floor(protectionDays);
  const forecastMean = cumMean[Math.min(lo, maxDays)]! + (lo < maxDays ? (protectionDays - lo) * (cumMean[lo + 1]! - cumMean[lo]!) : 0);
  const method = options.method ?? "simulation";

  if (method === "normal") {
    const topLevel = Math.max(0, ...[...forecast.quantiles.keys()].filter((p) => p > 0.5 && p < 1));
    const z = topLevel > 0.5 ? normalQuantile(topLevel) : 0;
    const cumVar = new Float64Array(maxDays + 1);
    for (let d = 0; d < maxDays; d++) {
      const q = topLevel > 0.5 ? forecast.quantiles.get(topLevel)![d]! : Number.NaN;
      const sd = Number.isFinite(q) && z > 0 ? Math.max(0, (q - Math.max(0, forecast.mean[d]!)) / z) : 0;
      cumVar[d + 1] = cumVar[d]! + sd * sd;
    }
    const comps = leadTime.days.map((l, i) => ({ p: leadTime.probabilities[i]!, mu: cumMean[l + review]!, sd: Math.sqrt(cumVar[l + review]!) }));
    let mean = 0;
    for (const c of comps) mean += c.p * c.mu;
    let second = 0;
    for (const c of comps) second += c.p * (c.sd * c.sd + c.mu * c.mu);
    const sd = Math.sqrt(Math.max(0, second - mean * mean));
    const cdf = (x: number): number => {
      let s = 0;
      for (const c of comps) s += c.p * (c.sd > 0 ? normalCdf((x - c.mu) / c.sd) : x >= c.mu ? 1 : 0);
      return s;
    };
    let hiBound = 0;
    for (const c of comps) hiBound = Math.max(hiBound, c.mu + 9 * c.sd);
    const quantile = (p: number): number => {
      if (p <= 0) return 0;
      let a = 0;
      let b = hiBound;
      for (let it = 0; it < 60 && b - a > 1e-9 * (1 + b); it++) {
        const mid = (a + b) / 2;
        if (cdf(mid) >= p) b = mid;
        else a = mid;
      }
      return b;
    };
    return Result.succeed({ mean, sd, quantile, forecastMean, protectionDays, method });
  }

  const daily = dailyQuantiles(forecast, maxDays);
  const n = Math.max(1, Math.round(options.samples ?? 1000));
  const next = seededUniform(options.seed ?? 1);
  const cumProb: number[] = [];
  let acc = 0;
  for (const p of leadTime.probabilities) cumProb.push((acc += p));
  const draws = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const u = next();
    let k = 0;
    while (k < cumProb.length - 1 && cumProb[k]! <= u) k++;
    const days = leadTime.days[k]! + review;
    let total = 0;
    if (daily === undefined) total = cumMean[days]!;
    else for (let d = 0; d < days; d++) total += inverse(daily, d, next());
    draws[s] = total;
  }
  let mean = 0;
  for (const x of draws) mean += x;
  mean /= n;
  let v = 0;
  for (const x of draws) v += (x - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  draws.sort();
  const quantile = (p: number): number => draws[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
  return Result.succeed({ mean, sd, quantile, forecastMean, protectionDays, method });
};

/**
 * Dynamic safety stock (动态安全库存): the `serviceLevel` quantile of lead-time demand minus its
 * mean. Never lower for a higher service level (same distribution). Negative when the quantile is
 * below the mean (a low service level on skewed demand).
 */
export const dynamicSafetyStock = (demand: LeadTimeDemand, serviceLevel: number): number => demand.quantile(serviceLevel) - demand.mean;

/** Inputs of {@link classicSafetyStock}. */
export interface ClassicSafetyStockInput {
  /** Cycle service level in (0, 1); z = Φ⁻¹(serviceLevel). */
  readonly serviceLevel: number;
  /** Standard deviation of daily demand. */
  readonly dailySd: number;
  /** Mean lead time in days (plus review days for periodic policies). */
  readonly leadTimeDays: number;
  /** Mean daily demand (needed only with `leadTimeSd`). */
  readonly dailyMean?: number;
  /** Standard deviation of the lead time in days (default 0). */
  readonly leadTimeSd?: number;
}

/**
 * The textbook safety stock `z·σ·√L`, or `z·√(L·σ² + μ²·σ_L²)` when the lead time varies — the
 * formula the old systems use, shown alongside the dynamic one for comparison.
 */
export const classicSafetyStock = (input: ClassicSafetyStockInput): number => {
  const z = normalQuantile(input.serviceLevel);
  const sdL = input.leadTimeSd ?? 0;
  const mu = input.dailyMean ?? 0;
  return z * Math.sqrt(input.leadTimeDays * input.dailySd * input.dailySd + mu * mu * sdL * sdL);
};
