import type { ValuationMethod } from "./item.js";
import type { ValuationGrain } from "./settings.js";
import type { Entry, ValuationContext } from "./valuation/context.js";
import type { ValuationState } from "./valuation/fixed-state.js";

/** The state of a position before the entry at `index`. */
export interface Checkpoint {
  readonly index: number;
  readonly state: ValuationState;
}

/** A valuation position: one cost pool (item × company/warehouse/location, optionally × lot) and its moves in ledger order. */
export interface Position {
  readonly key: string;
  readonly item: string;
  /** The warehouse of the position's first move (its only warehouse under the `warehouse` and `location` grains). */
  readonly warehouse: string;
  readonly method: ValuationMethod;
  /** Moves in ledger order: business time, then arrival. */
  entries: Entry[];
  /** Sorted by index; the first is always the empty state at index 0. */
  checkpoints: Checkpoint[];
  /** State after the first `endCount` entries (all of them, except in the middle of an operation). */
  end: ValuationState;
  /** How many entries `end` covers; -1 once an insertion or removal in the middle made it stale. */
  endCount: number;
  /** What valuing its moves needs, built on first use (cleared when the item changes). */
  context?: ValuationContext | undefined;
  /** The fixed-point append path's running quantity while it checks a document (valid when `checkMark` is that call's number). */
  checkQty: number;
  /** The number of the append-path call that last set `checkQty`. */
  checkMark: number;
}

/** What a move's place resolves to at a grain. */
export interface PositionAddress {
  readonly item: string;
  readonly company: string;
  readonly warehouse: string;
  readonly location?: string | undefined;
  readonly lot?: string | undefined;
}

/**
 * The key of the position a move belongs to: `item@company`, `item@warehouse` or
 * `item@warehouse/location`, followed by `#lot` when lots are valued separately.
 */
export const positionKey = (a: PositionAddress, grain: ValuationGrain, byLot: boolean): string => {
  let key = grain === "company" ? `${a.item}@${a.company}` : `${a.item}@${a.warehouse}`;
  if (grain === "location") key += `/${a.location ?? ""}`;
  if (byLot) key += `#${a.lot ?? ""}`;
  return key;
};

/** Orders entries: business time, then arrival number. */
export const compareEntries = (a: Entry, b: Entry): number => a.atMs - b.atMs || a.seq - b.seq;

/** Index of the first entry that sorts after `probe` (binary search). */
export const upperBound = (entries: ReadonlyArray<Entry>, atMs: number, seq: number): number => {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = entries[mid]!;
    if (e.atMs < atMs || (e.atMs === atMs && e.seq <= seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Index of an entry in its position (binary search by business time and arrival). */
export const indexOfEntry = (entries: ReadonlyArray<Entry>, entry: Entry): number => {
  const i = upperBound(entries, entry.atMs, entry.seq) - 1;
  return i >= 0 && entries[i] === entry ? i : -1;
};

/** The last checkpoint at or before `index`. */
export const checkpointAtOrBefore = (checkpoints: ReadonlyArray<Checkpoint>, index: number): Checkpoint => {
  let lo = 0;
  let hi = checkpoints.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (checkpoints[mid]!.index <= index) lo = mid;
    else hi = mid - 1;
  }
  return checkpoints[lo]!;
};
