/**
 * fast-check arbitraries of demand series for property tests. All noise is drawn by fast-check
 * itself, so a failing case is reproducible from the runner's seed and shrinks.
 *
 * @module
 */
import fc from "fast-check";

/** Length bounds of generated series. */
export interface SeriesLengthOptions {
  /** Minimum length (default 2). */
  readonly minLength?: number;
  /** Maximum length (default 60). */
  readonly maxLength?: number;
}

const lengthOf = (options: SeriesLengthOptions): fc.Arbitrary<number> =>
  fc.integer({ min: options.minLength ?? 2, max: Math.max(options.minLength ?? 2, options.maxLength ?? 60) });

const level = fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });

/** Noise values in [−scale, scale], `length` of them. */
const noise = (length: number, scale: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: -scale, max: scale, noNaN: true, noDefaultInfinity: true }), { minLength: length, maxLength: length });

/** A constant series: the same finite value (possibly 0 or negative) at every step. */
export const constantSeries = (options: SeriesLengthOptions = {}): fc.Arbitrary<Float64Array> =>
  fc.tuple(lengthOf(options), level).map(([n, v]) => new Float64Array(n).fill(v));

/** A linear trend `a + b·t` plus bounded noise. */
export const trendSeries = (options: SeriesLengthOptions = {}): fc.Arbitrary<Float64Array> =>
  fc
    .tuple(lengthOf(options), level, fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }))
    .chain(([n, a, b, scale]) => noise(n, scale).map((e) => Float64Array.from(e, (x, t) => a + b * t + x)));

/** Options of {@link seasonalSeries}. */
export interface SeasonalSeriesOptions extends SeriesLengthOptions {
  /** Season length (default 7). */
  readonly seasonLength?: number;
}

/** A seasonal series: a level, a repeating seasonal profile of `seasonLength` and noise. */
export const seasonalSeries = (options: SeasonalSeriesOptions = {}): fc.Arbitrary<Float64Array> => {
  const m = options.seasonLength ?? 7;
  return fc
    .tuple(
      lengthOf({ minLength: Math.max(options.minLength ?? 2, m), maxLength: options.maxLength ?? 8 * m }),
      fc.double({ min: 0, max: 500, noNaN: true }),
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: m, maxLength: m }),
      fc.double({ min: 0, max: 10, noNaN: true }),
    )
    .chain(([n, base, profile, scale]) =>
      noise(n, scale).map((e) => Float64Array.from(e, (x, t) => base + (profile[t % m] ?? 0) + x)),
    );
};

/** Options of {@link intermittentSeries}. */
export interface IntermittentSeriesOptions extends SeriesLengthOptions {
  /** Maximum demand size of a non-zero period (default 20). */
  readonly maxSize?: number;
}

/** Intermittent demand: non-negative integer counts, mostly zeros (about 70 % of periods). */
export const intermittentSeries = (options: IntermittentSeriesOptions = {}): fc.Arbitrary<Float64Array> =>
  lengthOf(options).chain((n) =>
    fc
      .array(
        fc.oneof(
          { weight: 7, arbitrary: fc.constant(0) },
          { weight: 3, arbitrary: fc.integer({ min: 1, max: options.maxSize ?? 20 }) },
        ),
        { minLength: n, maxLength: n },
      )
      .map((values) => Float64Array.from(values)),
  );

/** Any of the series shapes above. */
export const demandSeries = (options: SeriesLengthOptions = {}): fc.Arbitrary<Float64Array> =>
  fc.oneof(constantSeries(options), trendSeries(options), seasonalSeries(options), intermittentSeries(options));
