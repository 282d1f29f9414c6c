/**
 * Smart shelves (智能货架): a load cell under a shelf or bin weighs what is on it; the weight
 * becomes a unit count, and changes of the count become pick and put events. Pure: the state
 * machine takes readings as arguments and returns its next state.
 *
 * - **Counting**: `count = round((gross − tare) / unitWeight)`, accepted only when the
 *   remainder `gross − tare − count × unitWeight` is within `tolerance`; otherwise the weight is
 *   {@link AmbiguousWeight}, with the two counts it lies between.
 * - **Stabilisation**: readings are ignored until `stableReadings` consecutive readings lie
 *   within `stableEpsilon` of each other (largest − smallest ≤ ε); their mean is then counted.
 *   While the weight stays stable it is not counted again, unless the stable mean moves more
 *   than ε away from the weight last counted (so a one-reading window, or a slow drift, still
 *   gets recounted).
 * - **Events**: the first count is a `counted` event (the baseline); each later change of the
 *   count is a `pick` (fewer units) or a `put` (more), with the signed `delta`.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { Dec, DecimalString, NonNegativeDecimalString, PositiveDecimalString, parseInput, type InvalidInput } from "@jxc/core";

/**
 * One load cell and the item it holds. Weights are in one unit (`unit`, grams by default):
 * `{ shelf: "A-01-3", item: "SKU-1", tare: "412.5", unitWeight: "250", tolerance: "20",
 * stableReadings: 3, stableEpsilon: "5" }`.
 */
export const ShelfConfig = z
  .object({
    /** The shelf, bin or load cell. */
    shelf: z.string().min(1),
    /** The item stored on it. */
    item: z.string().min(1),
    /** Weight read with nothing on it (tray, bin). */
    tare: DecimalString,
    /** Weight of one unit of the item. */
    unitWeight: PositiveDecimalString,
    /** Largest |remainder| still counted; must be less than half a unit, so a weight never fits two counts. */
    tolerance: NonNegativeDecimalString,
    /** N: consecutive readings that must agree before the weight is trusted. */
    stableReadings: z.number().int().min(1).default(3),
    /** ε: largest spread (max − min) of those N readings. */
    stableEpsilon: NonNegativeDecimalString,
    /** Weight unit, for messages. */
    unit: z.string().default("g"),
  })
  .superRefine((c, ctx) => {
    if (!c.tolerance.lt(c.unitWeight.div(2))) ctx.addIssue({ code: "custom", path: ["tolerance"], message: "tolerance must be less than half the unit weight" });
  });

/** A shelf configuration as written (decimals as strings). */
export type ShelfConfigInput = z.input<typeof ShelfConfig>;
/** A validated shelf configuration. */
export type ShelfConfig = z.output<typeof ShelfConfig>;

/** Validates a shelf configuration; every field at fault is named in the {@link InvalidInput}. */
export const parseShelfConfig = (input: unknown): Result.Result<ShelfConfig, InvalidInput> => parseInput(ShelfConfig, input, "shelf configuration");

/** A weight between two counts: its remainder is beyond the tolerance of both. */
export class AmbiguousWeight extends Data.TaggedError("AmbiguousWeight")<{
  readonly shelf: string;
  readonly item: string;
  readonly gross: Dec;
  /** gross − tare. */
  readonly net: Dec;
  /** The two counts the weight lies between, lower first. */
  readonly candidates: readonly [Dec, Dec];
  readonly message: string;
}> {}

/** A weight below the tare by more than the tolerance: a fault, or the tray was removed. */
export class WeightBelowTare extends Data.TaggedError("WeightBelowTare")<{
  readonly shelf: string;
  readonly gross: Dec;
  readonly tare: Dec;
  readonly message: string;
}> {}

/** Why a weight cannot be counted. */
export type ShelfCountError = AmbiguousWeight | WeightBelowTare;

/** The number of units on the shelf for a gross weight, or why it cannot be told. */
export const countUnits = (config: ShelfConfig, gross: Dec): Result.Result<Dec, ShelfCountError> => {
  const net = gross.minus(config.tare);
  const exact = net.div(config.unitWeight);
  const nearest = exact.toDecimalPlaces(0, Dec.ROUND_HALF_UP);
  const remainder = net.minus(nearest.times(config.unitWeight));
  const belowTare = () =>
    Result.fail(
      new WeightBelowTare({
        shelf: config.shelf,
        gross,
        tare: config.tare,
        message: `${config.shelf}: ${gross.toString()} ${config.unit} is below the tare ${config.tare.toString()} ${config.unit} by more than the tolerance`,
      }),
    );
  if (remainder.abs().lte(config.tolerance)) return nearest.isNegative() && !nearest.isZero() ? belowTare() : Result.succeed(nearest.abs().isZero() ? new Dec(0) : nearest);
  const lower = exact.floor();
  if (lower.isNegative()) return belowTare();
  const upper = lower.plus(1);
  return Result.fail(
    new AmbiguousWeight({
      shelf: config.shelf,
      item: config.item,
      gross,
      net,
      candidates: [lower, upper],
      message: `${config.shelf}: net ${net.toString()} ${config.unit} is ${lower.toString()} or ${upper.toString()} × ${config.unitWeight.toString()} ${config.unit}, beyond the tolerance ${config.tolerance.toString()} of both`,
    }),
  );
};

/** One load-cell reading: when, and the gross weight. */
export interface ShelfReading {
  /** ISO-8601 instant with offset. */
  readonly at: string;
  readonly gross: Dec;
}

/** A reading on the wire: `{ at, gross: "912.5" }`. */
export const ShelfReadingWire = z.object({ at: z.iso.datetime({ offset: true }), gross: DecimalString });

/** A reading the state machine would not take: `at` not an ISO instant with offset, or not later than the previous reading. */
export class ShelfReadingRefused extends Data.TaggedError("ShelfReadingRefused")<{
  readonly shelf: string;
  readonly at: string;
  readonly reason: "out-of-order" | "invalid-time";
  readonly message: string;
}> {}

/** What a stable weight meant. */
export type ShelfEvent =
  | { readonly kind: "counted"; readonly shelf: string; readonly item: string; readonly count: Dec; readonly at: string }
  | { readonly kind: "pick" | "put"; readonly shelf: string; readonly item: string; readonly delta: Dec; readonly count: Dec; readonly at: string }
  | { readonly kind: "uncountable"; readonly shelf: string; readonly item: string; readonly at: string; readonly error: ShelfCountError };

/** What the shelf machine knows; immutable. */
export interface ShelfState {
  /** The latest readings, at most `stableReadings`. */
  readonly window: ReadonlyArray<ShelfReading>;
  /** The stable mean last counted, while the weight has stayed stable since; `undefined` after an unstable window. */
  readonly settledWeight: Dec | undefined;
  /** The last count, `undefined` before the first. */
  readonly count: Dec | undefined;
  readonly lastAt: string | undefined;
  readonly lastMs: number | undefined;
}

/** The state before any reading; `count` is a known starting count (e.g. from the stock records), if any. */
export const initialShelfState = (count?: Dec): ShelfState => ({ window: [], settledWeight: undefined, count, lastAt: undefined, lastMs: undefined });

/** One step: the next state and the events of this reading (none while unstable). */
export interface ShelfStep {
  readonly state: ShelfState;
  readonly events: ReadonlyArray<ShelfEvent>;
}

const ISO_WITH_OFFSET = ShelfReadingWire.shape.at;

/**
 * Takes one reading. While the last `stableReadings` readings spread more than `stableEpsilon`,
 * nothing is counted. When they agree, their mean is counted (once per stable period, again only
 * if it moves more than ε from the weight last counted): the first count is `counted`, a later
 * different count a `pick` or `put`, an uncountable weight `uncountable` (the count is kept).
 * Readings not strictly later than the previous one are refused.
 */
export const stepShelf = (config: ShelfConfig, state: ShelfState, reading: ShelfReading): Result.Result<ShelfStep, ShelfReadingRefused> => {
  const ms = ISO_WITH_OFFSET.safeParse(reading.at).success ? Date.parse(reading.at) : undefined;
  if (ms === undefined) {
    return Result.fail(new ShelfReadingRefused({ shelf: config.shelf, at: reading.at, reason: "invalid-time", message: `${config.shelf}: ${reading.at} is not an ISO-8601 instant with offset` }));
  }
  if (state.lastMs !== undefined && ms <= state.lastMs) {
    return Result.fail(
      new ShelfReadingRefused({ shelf: config.shelf, at: reading.at, reason: "out-of-order", message: `${config.shelf}: ${reading.at} is not later than the previous reading at ${state.lastAt}` }),
    );
  }
  const window = [...state.window, reading].slice(-config.stableReadings);
  const base = { window, lastAt: reading.at, lastMs: ms };
  let low = reading.gross;
  let high = reading.gross;
  for (const r of window) {
    if (r.gross.lt(low)) low = r.gross;
    if (r.gross.gt(high)) high = r.gross;
  }
  const stable = window.length === config.stableReadings && high.minus(low).lte(config.stableEpsilon);
  if (!stable) return Result.succeed({ state: { ...state, ...base, settledWeight: undefined }, events: [] });
  const mean = window.reduce((sum, r) => sum.plus(r.gross), new Dec(0)).div(window.length);
  if (state.settledWeight !== undefined && mean.minus(state.settledWeight).abs().lte(config.stableEpsilon)) {
    return Result.succeed({ state: { ...state, ...base }, events: [] });
  }

  const counted = countUnits(config, mean);
  const who = { shelf: config.shelf, item: config.item, at: reading.at };
  if (Result.isFailure(counted)) {
    return Result.succeed({ state: { ...state, ...base, settledWeight: mean }, events: [{ kind: "uncountable", ...who, error: counted.failure }] });
  }
  const count = counted.success;
  const next: ShelfState = { ...base, settledWeight: mean, count };
  if (state.count === undefined) return Result.succeed({ state: next, events: [{ kind: "counted", ...who, count }] });
  const delta = count.minus(state.count);
  if (delta.isZero()) return Result.succeed({ state: next, events: [] });
  return Result.succeed({ state: next, events: [{ kind: delta.isNegative() ? "pick" : "put", ...who, delta, count }] });
};

/** Runs readings in order through {@link stepShelf}: every event, every refusal, and the final state. */
export const replayShelf = (
  config: ShelfConfig,
  readings: ReadonlyArray<ShelfReading>,
  state: ShelfState = initialShelfState(),
): { readonly events: ReadonlyArray<ShelfEvent>; readonly refused: ReadonlyArray<ShelfReadingRefused>; readonly state: ShelfState } => {
  const events: ShelfEvent[] = [];
  const refused: ShelfReadingRefused[] = [];
  let current = state;
  for (const r of readings) {
    const step = stepShelf(config, current, r);
    if (Result.isFailure(step)) refused.push(step.failure);
    else {
      current = step.success.state;
      events.push(...step.success.events);
    }
  }
  return { events, refused, state: current };
};
