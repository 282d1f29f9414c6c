import { Result } from "effect";
import { z } from "zod";
import { type Dec, ZERO } from "@jxc/core";
import { InvalidInput } from "@jxc/core";

/**
 * The amounts a template line can take from a document line:
 * `net` (不含税金额), `tax` (税额), `cost` (the valuation's cost), `fee` (a fee or commission),
 * `amount` (a given amount: landed cost, write-down, variance…), `gain` / `loss` (the cost of a
 * stocktake line that is a gain / a loss), `lossTax` (the tax of a loss line: input VAT to
 * transfer out), and `gross` (价税合计) = net + tax.
 */
export const BASE_AMOUNTS = ["net", "tax", "cost", "fee", "amount", "gain", "loss", "lossTax"] as const;
/** One of {@link BASE_AMOUNTS}. */
export type BaseAmount = (typeof BASE_AMOUNTS)[number];

/** An amount expression as a linear combination of base amounts: `gross - cost` → {net: 1, tax: 1, cost: -1}. */
export type AmountFormula = Readonly<Partial<Record<BaseAmount, number>>>;

const TERM = /^([+-]?)\s*(?:(\d+)\s*\*\s*)?([a-zA-Z]+)$/;

/**
 * Parses an amount expression: base amounts (and `gross`) joined by `+` and `-`, each with an
 * optional integer factor (`2 * tax`). Anything else is an {@link InvalidInput} naming `path`.
 */
export const parseAmount = (text: string, path: string): Result.Result<AmountFormula, InvalidInput> => {
  const formula: Partial<Record<BaseAmount, number>> = {};
  const terms = text.replace(/\s+/g, " ").trim().replace(/\s*\*\s*/g, "*").replace(/\s*([+-])\s*/g, " $1").split(" ").filter(Boolean);
  const bad = (message: string) =>
    Result.fail(new InvalidInput({ subject: "amount expression", issues: [{ path, message }], message: `${path}: ${message}` }));
  if (terms.length === 0) return bad("empty amount expression");
  for (const term of terms) {
    const m = TERM.exec(term.replace(/\s+/g, ""));
    if (!m) return bad(`cannot read "${term}" in "${text}"`);
    const sign = m[1] === "-" ? -1 : 1;
    const factor = sign * Number(m[2] ?? 1);
    const name = m[3]!;
    const parts: BaseAmount[] = name === "gross" ? ["net", "tax"] : (BASE_AMOUNTS as ReadonlyArray<string>).includes(name) ? [name as BaseAmount] : [];
    if (parts.length === 0) return bad(`unknown amount "${name}" (known: gross, ${BASE_AMOUNTS.join(", ")})`);
    for (const p of parts) formula[p] = (formula[p] ?? 0) + factor;
  }
  return Result.succeed(formula);
};

/** Zod schema of an amount expression (validated by {@link parseAmount} when a template set is loaded). */
export const AmountExpression = z.string().min(1).max(200);

/** Evaluates a formula over the base amounts of a document line. */
export const evaluateAmount = (formula: AmountFormula, amounts: Readonly<Record<BaseAmount, Dec>>): Dec => {
  let total = ZERO;
  for (const name in formula) {
    const factor = formula[name as BaseAmount]!;
    const amount = amounts[name as BaseAmount];
    if (factor === 1) total = total.isZero() ? amount : total.plus(amount);
    else if (factor === -1) total = total.minus(amount);
    else if (factor !== 0) total = total.plus(amount.times(factor));
  }
  return total;
};

/** Adds formulas (with a sign each); terms that cancel disappear. */
export const addFormulas = (terms: ReadonlyArray<{ formula: AmountFormula; sign: 1 | -1 }>): AmountFormula => {
  const sum: Partial<Record<BaseAmount, number>> = {};
  for (const { formula, sign } of terms)
    for (const [name, factor] of Object.entries(formula) as [BaseAmount, number][]) sum[name] = (sum[name] ?? 0) + sign * factor;
  for (const name of Object.keys(sum) as BaseAmount[]) if (sum[name] === 0) delete sum[name];
  return sum;
};

/** A formula written back as text (`tax - cost`), `0` when empty. */
export const formatFormula = (formula: AmountFormula): string => {
  const parts = (Object.entries(formula) as [BaseAmount, number][]).map(([n, f]) => `${f < 0 ? "-" : "+"} ${Math.abs(f) === 1 ? "" : `${Math.abs(f)} * `}${n}`);
  return parts.length === 0 ? "0" : parts.join(" ").replace(/^\+ /, "");
};
