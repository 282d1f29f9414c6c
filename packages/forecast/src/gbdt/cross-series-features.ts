/**
 * Features **across series** for the global tree model: how the groups a series belongs to
 * (the same item in every store, the store's total, the department in that store…) are doing
 * at the forecast origin, and where the series stands in them. One series' recent sales are
 * noisy; the sum of its group moves more smoothly, so the group's trend and weekly profile are
 * better estimates of what is coming than the series' own.
 *
 * A series names its groups by **hierarchy keys** ({@link SeriesGroupsSchema}, the optional
 * `groups` of a `GlobalSeries`, e.g. `{ item: "FOODS_1_033", store: "CA_1", dept: "FOODS_1" }`).
 * A **grouping** is a list of key names: the series that agree on all of them form one group
 * (`["item"]`: the item over all stores; `["store", "dept"]`: one department of one store).
 * Series are aligned by date on a common period grid ({@link periodIndex}), so members may start
 * on different dates.
 *
 * The group's signal is its **mean per member** on each period: the sum of the usable values of
 * its members there divided by how many members have one (a member's periods before its first
 * usable period, e.g. before the first sale, count as missing — so an item launched later does
 * not dilute its group's earlier level). With windows w₁ < w₂ < … (default 7, 28, 112), per
 * grouping `g` and row (origin o, step k, target t = o + k) — every value read at or before the
 * **date of the origin**, for the series itself and for every other member:
 *
 * - `group[g]:level` = the group's mean per member over the longest window;
 * - `group[g]:trend_wᵢ_wᵢ₊₁` = its mean over wᵢ ÷ its mean over wᵢ₊₁ (is the group rising?);
 * - `group[g]:share_w` = the series' own mean over w ÷ the group's mean per member over w (the
 *   series' level relative to its group; 1 = a typical member);
 * - `group[g]:season_ratio` = the group's mean on the latest four periods in the target's
 *   season position (same weekday for daily data), ÷ its mean over the last four seasons — the
 *   group's seasonal profile at the target (season length > 1 only).
 *
 * A ratio whose denominator is 0 or undefined is NaN (missing). The features of a row never
 * change when any series' values after the origin's date change (property-tested).
 *
 * @module
 */
import { z } from "zod";
import { epochDayOf } from "../calendar.js";
import type { Frequency } from "../frame.js";

/**
 * Hierarchy keys of one series: key name → the series' value of it, e.g.
 * `{ item: "FOODS_1_033", store: "CA_1", dept: "FOODS_1", cat: "FOODS" }`.
 */
export const SeriesGroupsSchema = z.record(z.string().min(1), z.string().min(1));

/** Hierarchy keys of one series as given. */
export type SeriesGroups = z.input<typeof SeriesGroupsSchema>;

/**
 * Options of the cross-series features of {@link crossSeriesFeatures} (the `crossSeries`
 * option of the global tree model).
 */
export const CrossSeriesOptionsSchema = z.strictObject({
  /**
   * Groupings, each a non-empty list of distinct hierarchy key names, e.g.
   * `[["item"], ["store"], ["store", "dept"]]`. Every series must carry every key named.
   */
  groupings: z
    .array(
      z
        .array(z.string().min(1))
        .min(1)
        .refine((keys) => new Set(keys).size === keys.length, "a grouping names a key twice"),
    )
    .min(1),
  /** Window lengths of the group means, trends and shares (sorted, duplicates dropped); default [7, 28, 112]. */
  windows: z.array(z.number().int().min(1)).min(1).default([7, 28, 112]),
});

/** Options of the cross-series features as given. */
export type CrossSeriesOptions = z.input<typeof CrossSeriesOptionsSchema>;

/** Which cross-series features to build (options resolved). */
export interface CrossSeriesSpec {
  /** Forecast horizon h (≥ 1): each origin gives the rows of steps 1…h. */
  readonly horizon: number;
  /** Season length m (≥ 1) of `season_ratio` (no such column when m = 1). */
  readonly seasonLength: number;
  /** Groupings (lists of key names). */
  readonly groupings: ReadonlyArray<ReadonlyArray<string>>;
  /** Window lengths (each ≥ 1). */
  readonly windows: ReadonlyArray<number>;
}

/** One series as the cross-series features read it. */
export interface CrossSeriesMember {
  /** Observations (NaN = missing), oldest first. */
  readonly y: Float64Array;
  /** First usable period: earlier values count as missing. */
  readonly first: number;
  /** Index of `y[0]` on the common period grid ({@link periodIndex}). */
  readonly period: number;
  /** The series' hierarchy keys; must hold every key of every grouping. */
  readonly groups: Readonly<Record<string, string>>;
}

/**
 * Index of the period that starts on `date` (`YYYY-MM-DD`) on a grid shared by every series of
 * a frequency: the day number for daily data, the ISO week (weeks start on Monday) for weekly,
 * year·12 + month for monthly. Consecutive periods of a series have consecutive indices.
 */
export const periodIndex = (date: string, freq: Frequency): number => {
  if (freq === "monthly") return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  const day = epochDayOf(date);
  // day 0 (1970-01-01) is a Thursday; day −3 a Monday
  return freq === "weekly" ? Math.floor((day + 3) / 7) : day;
};

const sortedWindows = (windows: ReadonlyArray<number>): number[] => [...new Set(windows)].sort((a, b) => a - b);

/** The column names of {@link crossSeriesFeatures}, in column order. */
export const crossSeriesFeatureNames = (spec: CrossSeriesSpec): ReadonlyArray<string> => {
  const windows = sortedWindows(spec.windows);
  return spec.groupings.flatMap((by) => {
    const g = `group[${by.join("+")}]`;
    return [
      `${g}:level`,
      ...windows.slice(1).map((w, i) => `${g}:trend_${windows[i]}_${w}`),
      ...windows.map((w) => `${g}:share_${w}`),
      ...(spec.seasonLength > 1 ? [`${g}:season_ratio`] : []),
    ];
  });
};

/** A group's mean per member on each period of its span, with prefix sums over the defined ones. */
interface GroupSignal {
  /** Grid index of `mean[0]`. */
  readonly lo: number;
  /** Mean per member on each period (NaN where no member has a usable value). */
  readonly mean: Float64Array;
  /** Prefix sums of the defined means and of their count (length + 1). */
  readonly sum: Float64Array;
  readonly count: Float64Array;
}

const groupSignal = (members: ReadonlyArray<CrossSeriesMember>): GroupSignal => {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of members) {
    lo = Math.min(lo, s.period);
    hi = Math.max(hi, s.period + s.y.length - 1);
  }
  const length = Math.max(0, hi - lo + 1);
  const total = new Float64Array(length);
  const present = new Float64Array(length);
  for (const s of members) {
    for (let k = Math.max(0, s.first); k < s.y.length; k++) {
      const v = s.y[k]!;
      if (Number.isNaN(v)) continue;
      total[s.period + k - lo]! += v;
      present[s.period + k - lo]!++;
    }
  }
  const mean = new Float64Array(length);
  const sum = new Float64Array(length + 1);
  const count = new Float64Array(length + 1);
  for (let d = 0; d < length; d++) {
    const defined = present[d]! > 0;
    mean[d] = defined ? total[d]! / present[d]! : Number.NaN;
    sum[d + 1] = sum[d]! + (defined ? mean[d]! : 0);
    count[d + 1] = count[d]! + (defined ? 1 : 0);
  }
  return { lo, mean, sum, count };
};

/** The group's mean per member over the `w` periods ending at grid index `end` (NaN if none). */
const groupMean = (g: GroupSignal, end: number, w: number): number => {
  const b = Math.min(end - g.lo + 1, g.mean.length);
  const a = Math.max(0, end - w + 1 - g.lo);
  if (b <= a) return Number.NaN;
  const n = g.count[b]! - g.count[a]!;
  return n > 0 ? (g.sum[b]! - g.sum[a]!) / n : Number.NaN;
};

const ratio = (a: number, b: number): number => (b > 0 && Number.isFinite(a) ? a / b : Number.NaN);

/**
 * Cross-series feature columns (see the module notes) of every series: `result[s]` holds the
 * columns of series `s`, whose row `i·h + k − 1` is origin `origins[s][i]`, step k — the layout
 * of {@link historyFeatures}. Origins must lie in `[0, y.length)` of their series. Every series
 * must carry every key of every grouping (the caller checks).
 */
export const crossSeriesFeatures = (
  members: ReadonlyArray<CrossSeriesMember>,
  origins: ReadonlyArray<ReadonlyArray<number>>,
  spec: CrossSeriesSpec,
): Float64Array[][] => {
  const h = spec.horizon;
  const m = Math.max(1, spec.seasonLength);
  const windows = sortedWindows(spec.windows);
  const names = crossSeriesFeatureNames(spec);
  // per grouping: the group of each series and the groups' signals
  const signals = spec.groupings.map((by) => {
    const index = new Map<string, number>();
    const groupOf = members.map((s) => {
      const key = JSON.stringify(by.map((name) => s.groups[name]));
      let g = index.get(key);
      if (g === undefined) index.set(key, (g = index.size));
      return g;
    });
    const signal = [...index.values()].map((g) => groupSignal(members.filter((_, i) => groupOf[i] === g)));
    return groupOf.map((g) => signal[g]!);
  });
  return members.map((s, si) => {
    const n = s.y.length;
    const own = new Float64Array(n + 1);
    const ownCount = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) {
      const v = k >= s.first ? s.y[k]! : Number.NaN;
      const ok = !Number.isNaN(v);
      own[k + 1] = own[k]! + (ok ? v : 0);
      ownCount[k + 1] = ownCount[k]! + (ok ? 1 : 0);
    }
    const ownMean = (o: number, w: number): number => {
      const a = Math.max(0, Math.max(s.first, o - w + 1));
      const c = o + 1 > a ? ownCount[o + 1]! - ownCount[a]! : 0;
      return c > 0 ? (own[o + 1]! - own[a]!) / c : Number.NaN;
    };
    const list = origins[si]!;
    const columns = names.map(() => new Float64Array(list.length * h).fill(Number.NaN));
    list.forEach((o, i) => {
      const end = s.period + o;
      let c0 = 0;
      for (const perSeries of signals) {
        const g = perSeries[si]!;
        const means = windows.map((w) => groupMean(g, end, w));
        const shared = [
          means[means.length - 1]!,
          ...means.slice(1).map((v, j) => ratio(means[j]!, v)),
          ...windows.map((w, j) => ratio(ownMean(o, w), means[j]!)),
        ];
        const seasonal = m > 1 ? groupMean(g, end, 4 * m) : Number.NaN;
        for (let k = 1; k <= h; k++) {
          const r = i * h + k - 1;
          let c = c0;
          for (const v of shared) columns[c++]![r] = v;
          if (m > 1) {
            // the latest period at or before the origin in the target's season position
            const d1 = end + k - m * Math.ceil(k / m);
            let sum = 0;
            let count = 0;
            for (let q = 0; q < 4; q++) {
              const d = d1 - q * m - g.lo;
              if (d < 0 || d >= g.mean.length) continue;
              const v = g.mean[d]!;
              if (!Number.isNaN(v)) {
                sum += v;
                count++;
              }
            }
            columns[c++]![r] = count > 0 ? ratio(sum / count, seasonal) : Number.NaN;
          }
        }
        c0 += 1 + 2 * windows.length - 1 + (m > 1 ? 1 : 0);
      }
    });
    return columns;
  });
};
