/**
 * Exact quantities as scaled integers. At the API quantities are `Dec` values; inside
 * the counters they are integers of `10^-scale` base units (scale 3 = thousandths), held in JS
 * numbers and guarded to stay safe integers, so arithmetic is exact and cheap.
 *
 * @module
 */
import { Dec } from "@jxc/core";
import { Data, Result } from "effect";

/** The default number of decimal places a quantity may carry (thousandths of a base unit). */
export const DEFAULT_QUANTITY_SCALE = 3;

/** The largest scale supported (millionths). */
export const MAX_QUANTITY_SCALE = 6;

/** A quantity with more decimal places than the scale allows, negative, or not finite. */
export class InvalidQuantity extends Data.TaggedError("InvalidQuantity")<{
  /** The quantity as text. */
  readonly quantity: string;
  /** The scale in force. */
  readonly scale: number;
  readonly message: string;
}> {}

/** A counter that would leave the exactly representable range (±2^53 units). */
export class QuantityOverflow extends Data.TaggedError("QuantityOverflow")<{
  /** What overflowed, e.g. `dec[store-1] of tea@SH`. */
  readonly counter: string;
  readonly message: string;
}> {}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/** The multiplier of a scale (`10^scale`). */
export const scaleFactor = (scale: number): number => POW10[scale] ?? 1000;

/**
 * Converts a non-negative quantity to scaled integer units. Fails with {@link InvalidQuantity}
 * if it is negative or has more places than `scale`, and with {@link QuantityOverflow} if the
 * units are not a safe integer.
 */
export const toUnits = (qty: Dec, scale: number): Result.Result<number, InvalidQuantity | QuantityOverflow> => {
  if (!qty.isFinite() || qty.isNegative() || qty.decimalPlaces() > scale)
    return Result.fail(
      new InvalidQuantity({ quantity: qty.toString(), scale, message: `quantity ${qty.toString()} must be non-negative with at most ${scale} decimal places` }),
    );
  // Fast exact path: a value with at most `scale` places whose units stay below 2^50 is
  // rounded exactly from its double (the error of x·10^scale is far below one half).
  const approx = qty.toNumber() * scaleFactor(scale);
  if (approx < 2 ** 50) return Result.succeed(Math.round(approx));
  const scaled = qty.times(scaleFactor(scale));
  if (scaled.gt(Number.MAX_SAFE_INTEGER))
    return Result.fail(new QuantityOverflow({ counter: qty.toString(), message: `quantity ${qty.toString()} is too large for exact counting` }));
  return Result.succeed(scaled.toNumber());
};

/** Converts scaled integer units back to an exact `Dec`. */
export const fromUnits = (units: number, scale: number): Dec => new Dec(units).dividedBy(scaleFactor(scale));

/** Scaled integer units as decimal text (`1500` at scale 3 → `"1.5"`), without decimal arithmetic. */
export const formatUnits = (units: number, scale: number): string => {
  if (scale === 0) return String(units);
  const f = scaleFactor(scale);
  const abs = Math.abs(units);
  const whole = Math.floor(abs / f);
  let frac = scale === 0 ? "" : String(abs - whole * f).padStart(scale, "0").replace(/0+$/, "");
  if (frac !== "") frac = "." + frac;
  return (units < 0 ? "-" : "") + String(whole) + frac;
};
