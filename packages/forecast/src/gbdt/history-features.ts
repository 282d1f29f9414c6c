/**
 * Features of a series' own history for the global tree model, built for the **direct
 * multi-horizon** strategy: a row is (origin o, step k) with target period t = o + k, 1 ≤ k ≤ h,
 * and every history feature reads only `y[0 … o]`. One model forecasts every step from the
 * same origin (the step is a feature) and a forecast never feeds on another forecast.
 *
 * Columns (NaN where undefined, e.g. before the series' first usable period):
 *
 * - `step` = k;
 * - `lag_j` = y[o − j] for each lag j ≥ 0 (periods before the origin);
 * - `season_lag_1`, `season_lag_2` = the latest and second latest values at or before the origin
 *   in the same season position as the target (y[t − m·⌈k/m⌉] and m periods earlier; m the
 *   season length), `season_mean_4` = mean of the latest four such values;
 * - `roll_mean_w`, `roll_std_w`, `zero_share_w` = mean, population standard deviation and share
 *   of zeros of the observed values in y[o − w + 1 … o];
 * - `level` = mean of every observed value up to o (the series-level scale);
 * - `periods_since_nonzero` = o − the last period ≤ o with y > 0;
 * - `age` = o − first usable period.
 *
 * Missing observations (NaN) are skipped by the rolling statistics. Periods before `first`
 * (e.g. zeros before an item's first sale) count as missing.
 *
 * @module
 */

/** Which history features to build. */
export interface HistoryFeatureSpec {
  /** Forecast horizon h (≥ 1): each origin gives the rows of steps 1…h. */
  readonly horizon: number;
  /** Season length m (≥ 1) of the same-season features. */
  readonly seasonLength: number;
  /** Lags j ≥ 0: `lag_j` = y[origin − j]. */
  readonly lags: ReadonlyArray<number>;
  /** Rolling window lengths (each ≥ 1), ending at the origin. */
  readonly windows: ReadonlyArray<number>;
}

/** The column names of {@link historyFeatures}, in column order. */
export const historyFeatureNames = (spec: HistoryFeatureSpec): ReadonlyArray<string> => [
  "step",
  ...spec.lags.map((l) => `lag_${l}`),
  "season_lag_1",
  "season_lag_2",
  "season_mean_4",
  ...spec.windows.flatMap((w) => [`roll_mean_${w}`, `roll_std_${w}`, `zero_share_${w}`]),
  "level",
  "periods_since_nonzero",
  "age",
];

/**
 * History feature columns of the rows (origin, step) for every origin in `origins` and every
 * step 1…h: row `i·h + k − 1` is origin `origins[i]`, step k. Origins must lie in `[0, y.length)`.
 * `first` is the series' first usable period.
 */
export const historyFeatures = (
  y: Float64Array,
  first: number,
  origins: ReadonlyArray<number>,
  spec: HistoryFeatureSpec,
): Float64Array[] => {
  const n = y.length;
  const h = spec.horizon;
  const m = Math.max(1, spec.seasonLength);
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
  const value = (k: number, o: number): number => (k >= first && k >= 0 && k <= o ? y[k]! : Number.NaN);
  const names = historyFeatureNames(spec);
  const rows = origins.length * h;
  const columns = names.map(() => new Float64Array(rows).fill(Number.NaN));
  for (let i = 0; i < origins.length; i++) {
    const o = origins[i]!;
    // the origin's own features, shared by its h rows
    const shared: number[] = [];
    for (const j of spec.lags) shared.push(value(o - j, o));
    const windowed: number[] = [];
    for (const w of spec.windows) {
      const a = Math.max(first, o - w + 1);
      const cnt = o >= first ? C[o + 1]! - C[a]! : 0;
      if (cnt > 0) {
        const mean = (S[o + 1]! - S[a]!) / cnt;
        windowed.push(mean, Math.sqrt(Math.max(0, (Q[o + 1]! - Q[a]!) / cnt - mean * mean)), (Z[o + 1]! - Z[a]!) / cnt);
      } else windowed.push(Number.NaN, Number.NaN, Number.NaN);
    }
    const total = o >= first ? C[o + 1]! - C[first]! : 0;
    const level = total > 0 ? (S[o + 1]! - S[first]!) / total : Number.NaN;
    const last = o >= first ? lastNonzero[o]! : -1;
    const since = last >= first ? o - last : Number.NaN;
    const age = o >= first ? o - first : Number.NaN;
    for (let k = 1; k <= h; k++) {
      const r = i * h + k - 1;
      let c = 0;
      columns[c++]![r] = k;
      for (const v of shared) columns[c++]![r] = v;
      const d1 = o + k - m * Math.ceil(k / m);
      columns[c++]![r] = value(d1, o);
      columns[c++]![r] = value(d1 - m, o);
      let sum = 0;
      let count = 0;
      for (let q = 0; q < 4; q++) {
        const v = value(d1 - q * m, o);
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      columns[c++]![r] = count > 0 ? sum / count : Number.NaN;
      for (const v of windowed) columns[c++]![r] = v;
      columns[c++]![r] = level;
      columns[c++]![r] = since;
      columns[c++]![r] = age;
    }
  }
  return columns;
};
