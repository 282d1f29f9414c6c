/**
 * Histogram binning of feature columns (LightGBM style): each feature's values are mapped to at
 * most 255 bins whose upper bounds are quantiles of the training values; missing values (NaN)
 * get their own bin.
 *
 * Layout: bin 0 is the missing bin; value bins are 1…k (k ≤ `maxBins − 1`). Value bin j holds
 * the values v with `upper[j − 2] < v ≤ upper[j − 1]` (the last bound is `+∞`). When a feature
 * has at most `maxBins − 1` distinct values every distinct value gets its own bin with the bound
 * halfway to the next value; otherwise the bounds are the distinct values at evenly spaced ranks
 * of the sorted values (equal-frequency bins; at most 200,000 values decide, taken at an even
 * stride). A tree split "bin ≤ k" is therefore exactly the raw test "v ≤ upper[k − 1]", so trees
 * predict identically on binned and raw data.
 *
 * @module
 */

/** The bin bounds of one feature. */
export interface FeatureBinning {
  /** Upper bounds of the value bins 1…k (`upper[j − 1]` bounds bin j); the last is `+∞`. */
  readonly upper: Float64Array;
  /** Number of bins including the missing bin 0 (k + 1, at most 256). */
  readonly bins: number;
}

/** Feature columns mapped to bins: one `Uint8Array` per feature, one byte per row. */
export interface BinnedColumns {
  readonly rows: number;
  readonly columns: ReadonlyArray<Uint8Array>;
}

/**
 * Computes the bins of one feature from its training values (NaN = missing, ignored here).
 *
 * @param maxBins at most this many bins including the missing bin (2…256; LightGBM's default 255)
 */
export const fitFeatureBinning = (values: Float64Array, maxBins: number): FeatureBinning => {
  // at most 200,000 values decide the bounds (LightGBM's bin_construct_sample_cnt), taken at an even stride
  const stride = Math.max(1, Math.ceil(values.length / 200_000));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i]!;
    if (!Number.isNaN(v)) sample.push(v);
  }
  const finite = Float64Array.from(sample).sort();
  const distinct: number[] = [];
  for (const v of finite) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
  const valueBins = Math.max(1, Math.min(255, maxBins - 1));
  const upper: number[] = [];
  if (distinct.length <= valueBins) {
    for (let j = 0; j + 1 < distinct.length; j++) upper.push((distinct[j]! + distinct[j + 1]!) / 2);
  } else {
    // equal-frequency bounds: the value at rank ⌈n·j/k⌉, deduplicated
    const n = finite.length;
    for (let j = 1; j < valueBins; j++) {
      const v = finite[Math.min(n - 1, Math.ceil((n * j) / valueBins) - 1)]!;
      if (upper.length === 0 || v > upper[upper.length - 1]!) upper.push(v);
    }
  }
  upper.push(Number.POSITIVE_INFINITY);
  return { upper: Float64Array.from(upper), bins: upper.length + 1 };
};

/** The bin of value `v` under `binning`: 0 for NaN, else the first j ≥ 1 with `v ≤ upper[j − 1]`. */
export const binOf = (binning: FeatureBinning, v: number): number => {
  if (Number.isNaN(v)) return 0;
  const upper = binning.upper;
  let lo = 0;
  let hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= upper[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
};

/** Maps every column to its bins (the columns must have equal length). */
export const binColumns = (columns: ReadonlyArray<Float64Array>, binnings: ReadonlyArray<FeatureBinning>): BinnedColumns => {
  const rows = columns[0]?.length ?? 0;
  const out = columns.map((column, f) => {
    const binning = binnings[f]!;
    const bins = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) bins[r] = binOf(binning, column[r]!);
    return bins;
  });
  return { rows, columns: out };
};
