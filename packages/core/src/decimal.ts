import DecimalJs from "decimal.js";
import { z } from "zod";

/**
 * The package-local decimal type: decimal.js cloned with 34 significant digits and half-up
 * rounding (四舍五入). jxc never touches decimal.js's global configuration.
 */
export const Dec = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_UP });

/** A decimal value of {@link Dec}. Money and quantities are always this type, never `number`. */
export type Dec = InstanceType<typeof Dec>;

/** Zero, shared (decimal values are immutable). */
export const ZERO: Dec = new Dec(0);

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Reads a wire decimal in one pass (the schemas below run on every line of every document). */
const decimalFrom = (check: (d: Dec) => string | undefined) => (text: string, ctx: z.RefinementCtx): Dec => {
  if (!DECIMAL_TEXT.test(text)) {
    ctx.addIssue({ code: "custom", message: 'must be a decimal string such as "12.50"' });
    return z.NEVER;
  }
  const value = new Dec(text);
  const problem = check(value);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return value;
};

/**
 * A decimal on the wire: a string such as `"12.50"` (numbers are refused, since a JS number
 * may already have lost digits). Parses into a {@link Dec}.
 */
export const DecimalString = z.string().transform(decimalFrom(() => undefined));

/** A decimal string that must be greater than zero. */
export const PositiveDecimalString = z.string().transform(decimalFrom((d) => (d.gt(0) ? undefined : "must be greater than 0")));

/** A decimal string that must be zero or greater. */
export const NonNegativeDecimalString = z.string().transform(decimalFrom((d) => (d.gte(0) ? undefined : "must be 0 or greater")));

/** Rounds money half-up (四舍五入) to `scale` decimal places (2 = 分). */
export const roundMoney = (value: Dec, scale: number): Dec => value.toDecimalPlaces(scale, Dec.ROUND_HALF_UP);

/** Formats a decimal with exactly `scale` places, as decimals are written on the wire. */
export const formatMoney = (value: Dec, scale: number): string => roundMoney(value, scale).toFixed(scale);

/** Sum of decimals; the empty sum is zero. */
export const sumDecimals = (values: Iterable<Dec>): Dec => {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
};
