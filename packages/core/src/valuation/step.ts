import { InsufficientStock, ValuationError } from "../errors.js";
import type { MoveValuation } from "../move.js";
import { applyEntry, settleClosedMonth } from "./apply.js";
import { NEEDS_DECIMAL, type FixedValuation, applyFixed } from "./apply-fixed.js";
import type { Entry, FixedSlices, ValuationContext, ValuationFailure } from "./context.js";
import { FixedState, type ValuationState, toDecimalState } from "./fixed-state.js";

/**
 * The running valuation of a position during a replay: its state (fixed point while the fixed
 * engine can value its moves, decimal from the first move it cannot) and the valuation of the
 * last move — fixed point in `cost`/`slices`, or decimal in `general`. One per replay, reused.
 */
export class ValuationStep implements FixedValuation {
  cost = Number.NaN;
  slices: FixedSlices | undefined = undefined;
  /** The last move's decimal valuation, when the decimal engine valued it. */
  general: MoveValuation | undefined = undefined;

  constructor(public state: ValuationState) {}
}

/**
 * Values `entries[i]` against the step's state: in fixed point when it can, otherwise on the
 * state's decimal twin (which the step keeps from then on). Answers the failure that stops it.
 */
export const valueEntry = (step: ValuationStep, entries: ReadonlyArray<Entry>, i: number, ctx: ValuationContext): ValuationFailure | undefined => {
  const entry = entries[i]!;
  let state = step.state;
  if (state instanceof FixedState) {
    const fixed = applyFixed(state, entry, ctx, step);
    if (fixed === undefined) {
      step.general = undefined;
      return undefined;
    }
    if (fixed !== NEEDS_DECIMAL) return fixed;
    state = step.state = toDecimalState(state, ctx.moneyScale);
  }
  if (ctx.method === "monthly-weighted-average" && entry.period !== state.period && ctx.isClosed(entry.period)) settleClosedMonth(state, entries, i, ctx);
  const val = applyEntry(state, entry, ctx);
  if (val instanceof InsufficientStock || val instanceof ValuationError) return val;
  step.general = val;
  return undefined;
};
