/**
 * Features of a series' own history for the global tree model, built for the **direct**
 * strategy: the feature row of target period t reads only `y[0 … t − h]` (h = the horizon),
 * so one model forecasts every step 1…h from the same origin and a forecast never feeds on
 * another forecast. Every lag is therefore ≥ h and every rolling window ends at t − h.
 *
 * Columns (NaN where undefined, e.g. before the series' first usable period):
 *
 * - `lag_L` = y[t − L] for each lag L ≥ h;
 * - `roll_mean_w`, `roll_std_w`, `zero_share_w` = mean, population standard deviation and share
 *   of zeros of the observed values in y[t − h − w + 1 … t − h];
 * - `level` = mean of every observed value up to t − h (the series-level scale);
 * - `periods_since_nonzero` = (t − h) − the last period ≤ t − h with y > 0;
 * - `age` = t − first usable period.
 *
 * Missing observations (NaN) are skipped by the rolling statistics. Periods before `first`
 * (e.g. zeros before an item's first sale) count as missing.
 *
 * @module
 */

/** Which history features to build. */
export interface HistoryFeatureSpec {
  /** Forecast horizon h (≥ 1): the feature row of period t reads y only up to t − h. */
  readonly horizon: number;
  /** Lags (each ≥ horizon). */
  readonly lags: ReadonlyArray<number>;
  /** Rolling window lengths (each ≥ 1). */
  readonly windows: ReadonlyArray<number>;
}

/** The column names of {@link historyFeatures}, in column order. */
export const historyFeatureNames = (spec: HistoryFeatureSpec): ReadonlyArray<string> => [
  ...spec.lags.map((l) => `lag_${l}`),
  ...spec.windows.flatMap((w) => [`roll_mean_${w}`, `roll_std_${w}`, `zero_share_${w}`]),
  "level",
  "periods_since_nonzero",
  "age",
];

/** Default lags for horizon h and season m: h … h + 6, then the first four multiples of m above h + 6. */
export const defaultLags = (horizon: number, seasonLength: number): ReadonlyArray<number> => {
  const lags: number[] = [];
  for (let l = horizon; l < horizon + 7; l++) lags.push(l);
  const m = Math.max(1, seasonLength);
  let k = Math.floor((horizon + 6) / m) + 1;
  while (lags.length < 11) lags.push(m * k++);
  return lags;
};

/**
 * History feature columns for the target periods `from … to − 1` of `y` (targets may lie beyond
 * the end of `y`, up to `y.length − 1 + h`). `first` is the series' first usable period.
 */
export const historyFeatures = (
  y: Float64Array,
  first: number,
  from: number,
  to: number,
  spec: HistoryFeatureSpec,
): Float64Array[] => {
  const n = y.length;
  const h = spec.horizon;
  // prefix sums over the usable observations: sum, sum of squares, count, zero count
  const S = new Float64Array(n + 1);
  const Q = new Float64Array(n + 1);
  const C = new Float64Array(n + 1);
  const Z = new Float64Array(n + 1);
  const lastNonzero = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    const v = k >= first ? y[k]! : Number.NaN;
    const ok = !Number.isNaN(v);
    S[k + 1] = S[k]! + (ok ? v : 0);
    Q[k + 1] = Q[k]! + (ok ? v * v : 0);
    C[k + 1] = C[k]! + (ok ? 1 : 0);
    Z[k + 1] = Z[k]! + (ok && v === 0 ? 1 : 0);
    lastNonzero[k] = ok && v > 0 ? k : k > 0 ? lastNonzero[k - 1]! : -1;
  }
  const rows = Math.max(0, to - from);
  const names = historyFeatureNames(spec);
  const columns = names.map(() => new Float64Array(rows).fill(Number.NaN));
  for (let i = 0; i < rows; i++) {
    const t = from + i;
    const o = t - h; // the origin: last period the row may read
    let c = 0;
    for (const L of spec.lags) {
      const k = t - L;
      columns[c++]![i] = k >= first && k < n && k <= o ? y[k]! : Number.NaN;
    }
    if (o < first || o >= n) {
      c += 3 * spec.windows.length + 3;
      continue;
    }
    for (const w of spec.windows) {
      const a = Math.max(first, o - w + 1);
      const cnt = C[o + 1]! - C[a]!;
      if (cnt > 0) {
        const mean = (S[o + 1]! - S[a]!) / cnt;
        columns[c]![i] = mean;
        columns[c + 1]![i] = Math.sqrt(Math.max(0, (Q[o + 1]! - Q[a]!) / cnt - mean * mean));
        columns[c + 2]![i] = (Z[o + 1]! - Z[a]!) / cnt;
      }
      c += 3;
    }
    const total = C[o + 1]! - C[first]!;
    columns[c++]![i] = total > 0 ? (S[o + 1]! - S[first]!) / total : Number.NaN;
    const last = lastNonzero[o]!;
    columns[c++]![i] = last >= first ? o - last : Number.NaN;
    columns[c++]![i] = t - first;
  }
  return columns;
};
