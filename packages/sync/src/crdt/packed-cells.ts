/**
 * The counters of a delta packed in typed arrays: per counter its index in a state's
 * {@link CounterStore} and its selected rows — each row a kind (`inc`, `dec`, rights given),
 * a replica number (the row's owner), for rights given the receiver's number, and the total —
 * the same entries as {@link CellDelta}s, without an object per counter or per row. A replica
 * builds one per outgoing delta (`SyncState.packedDeltaSince`) and the codec writes the frame
 * from it; {@link PackedCells.cell} reads a counter back as a {@link CellDelta}.
 *
 * @module
 */
import type { CellDelta, CounterStore, RowSelection } from "./escrow.js";

/** A row adding units (`inc`). */
export const ROW_INC = 0;
/** A row taking units out (`dec`). */
export const ROW_DEC = 1;
/** A row of rights given (`xfer[giver][receiver]`). */
export const ROW_XFER = 2;

/** The rows of a delta that has none of a kind (shared, frozen). */
const NO_ROWS: readonly never[] = Object.freeze([]);

/** A typed array twice as long, the first `used` entries copied. */
const grown = <T extends Int32Array | Uint8Array | Float64Array>(old: T, used: number, make: (n: number) => T): T => {
  const next = make(Math.max(8, old.length * 2));
  next.set(old.subarray(0, used));
  return next;
};

/** Whether `selection` takes any row of counter `index` of `store` (whether {@link PackedCells.add} would append it). */
export const selectsAnyRow = (store: CounterStore, index: number, selection: RowSelection): boolean => {
  const { to, except, after } = selection;
  for (let n = selection.from; n < to; n++) {
    if (n === except || store.rowVersionAt(n, index) <= after) continue;
    if (store.incAt(n, index) !== 0 || store.decAt(n, index) !== 0) return true;
    const given = store.givenAt(n, index) === 0 ? undefined : store.rows[index]![n];
    if (given !== undefined) for (let r = 0; r < given.length; r++) if (given[r]! !== 0) return true;
  }
  return false;
};

/**
 * The counters of a delta and their selected rows, packed (see the module documentation).
 * Counters are appended with {@link PackedCells.add}; the rows of counter `k` are positions
 * `rowStart(k)` to `rowEnd(k)`, `inc` rows first, then `dec`, then rights given, each by
 * replica number (rights given by giver, then receiver) — the order of {@link CellDelta}'s lists.
 */
export class PackedCells {
  /** The number of counters. */
  count = 0;
  /** The number of rows. */
  rows = 0;
  /** Per counter, its index in the store. */
  counters = new Int32Array(16);
  /** Per counter, the position of its first row (and, at `count`, one past the last row). */
  starts = new Int32Array(17);
  /** Per row, its kind ({@link ROW_INC}, {@link ROW_DEC}, {@link ROW_XFER}). */
  kinds = new Uint8Array(16);
  /** Per row, the number of the replica owning it (the giver of rights given). */
  owners = new Int32Array(16);
  /** Per row of rights given, the receiver's number. */
  receivers = new Int32Array(16);
  /** Per row, the total. */
  totals = new Float64Array(16);

  /** An empty set of counters of `store`. */
  constructor(
    /** The store the counters and replica numbers refer to. */
    readonly store: CounterStore,
  ) {}

  /** Empties it (the arrays are kept for the next delta). */
  reset(): void {
    this.count = 0;
    this.rows = 0;
  }

  private row(kind: number, owner: number, receiver: number, total: number): void {
    const i = this.rows;
    if (i === this.kinds.length) {
      this.kinds = grown(this.kinds, i, (n) => new Uint8Array(n));
      this.owners = grown(this.owners, i, (n) => new Int32Array(n));
      this.receivers = grown(this.receivers, i, (n) => new Int32Array(n));
      this.totals = grown(this.totals, i, (n) => new Float64Array(n));
    }
    this.kinds[i] = kind;
    this.owners[i] = owner;
    this.receivers[i] = receiver;
    this.totals[i] = total;
    this.rows = i + 1;
  }

  /**
   * Appends counter `index` of the store with the rows `selection` takes of it. A counter none
   * of whose rows is taken is not appended; returns whether it was.
   */
  add(index: number, selection: RowSelection): boolean {
    const store = this.store;
    const { to, except, after } = selection;
    const first = this.rows;
    // `inc` rows in a first pass; `dec` rows and rights given in passes of their own only if there are any.
    let decs = false;
    let gives = false;
    for (let n = selection.from; n < to; n++) {
      if (n === except || store.rowVersionAt(n, index) <= after) continue;
      const inc = store.incAt(n, index);
      if (inc !== 0) this.row(ROW_INC, n, -1, inc);
      decs ||= store.decAt(n, index) !== 0;
      gives ||= store.givenAt(n, index) !== 0;
    }
    if (decs)
      for (let n = selection.from; n < to; n++) {
        if (n === except || store.rowVersionAt(n, index) <= after) continue;
        const dec = store.decAt(n, index);
        if (dec !== 0) this.row(ROW_DEC, n, -1, dec);
      }
    if (gives)
      for (let n = selection.from; n < to; n++) {
        if (n === except || store.givenAt(n, index) === 0 || store.rowVersionAt(n, index) <= after) continue;
        const given = store.rows[index]![n];
        if (given !== undefined) for (let r = 0; r < given.length; r++) if (given[r]! !== 0) this.row(ROW_XFER, n, r, given[r]!);
      }
    if (this.rows === first) return false;
    const k = this.count;
    if (k === this.counters.length) {
      this.counters = grown(this.counters, k, (n) => new Int32Array(n));
      this.starts = grown(this.starts, k + 1, (n) => new Int32Array(n + 1));
    }
    this.counters[k] = index;
    this.starts[k] = first;
    this.count = k + 1;
    this.starts[k + 1] = this.rows;
    return true;
  }

  /** The first row of counter `k`. */
  rowStart(k: number): number {
    return this.starts[k]!;
  }

  /** One past the last row of counter `k`. */
  rowEnd(k: number): number {
    return this.starts[k + 1]!;
  }

  /** The item of counter `k`. */
  item(k: number): string {
    return this.store.items[this.counters[k]!]!;
  }

  /** The position of counter `k`. */
  position(k: number): string {
    return this.store.positions[this.counters[k]!]!;
  }

  /** The lot of counter `k`, if it is per lot. */
  lot(k: number): string | undefined {
    return this.store.lots[this.counters[k]!];
  }

  /** Counter `k` as a {@link CellDelta}. */
  cell(k: number): CellDelta {
    // Row lists are allocated at their first entry; an empty one is the shared `NO_ROWS`.
    let inc: [string, number][] | undefined;
    let dec: [string, number][] | undefined;
    let xfer: [string, string, number][] | undefined;
    const names = this.store.ids.names;
    for (let i = this.starts[k]!, end = this.starts[k + 1]!; i < end; i++) {
      const owner = names[this.owners[i]!]!;
      const kind = this.kinds[i]!;
      if (kind === ROW_INC) (inc ??= []).push([owner, this.totals[i]!]);
      else if (kind === ROW_DEC) (dec ??= []).push([owner, this.totals[i]!]);
      else (xfer ??= []).push([owner, names[this.receivers[i]!]!, this.totals[i]!]);
    }
    const item = this.item(k);
    const position = this.position(k);
    const lot = this.lot(k);
    return lot === undefined
      ? { item, position, inc: inc ?? NO_ROWS, dec: dec ?? NO_ROWS, xfer: xfer ?? NO_ROWS }
      : { item, position, lot, inc: inc ?? NO_ROWS, dec: dec ?? NO_ROWS, xfer: xfer ?? NO_ROWS };
  }

  /** Every counter as a {@link CellDelta}, in the order appended. */
  cells(): CellDelta[] {
    const out = new Array<CellDelta>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.cell(k);
    return out;
  }
}
