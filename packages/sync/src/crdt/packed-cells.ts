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
  /** The number of rows. */
  rows = 0;
  /** Per counter, its index in the store. */
  private readonly counters: number[] = [];
  /** Per counter, the position of its first row; then one past the last row. */
  private readonly starts: number[] = [0];
  /** Four entries per row: its kind, its owner's number, its receiver's number (−1 but for rights given) and its total. */
  private table = new Float64Array(64);

  /** An empty set of counters of `store`. */
  constructor(
    /** The store the counters and replica numbers refer to. */
    readonly store: CounterStore,
  ) {}

  /** The number of counters. */
  get count(): number {
    return this.counters.length;
  }

  /** Empties it (the arrays are kept for the next delta). */
  reset(): void {
    this.rows = 0;
    this.counters.length = 0;
    this.starts.length = 1;
  }

  private row(kind: number, owner: number, receiver: number, total: number): void {
    const at = 4 * this.rows++;
    if (at === this.table.length) {
      const table = new Float64Array(2 * at);
      table.set(this.table);
      this.table = table;
    }
    const table = this.table;
    table[at] = kind;
    table[at + 1] = owner;
    table[at + 2] = receiver;
    table[at + 3] = total;
  }

  /**
   * Appends counter `index` of the store with the rows `selection` takes of it. A counter none
   * of whose rows is taken is not appended; returns whether it was.
   */
  add(index: number, selection: RowSelection): boolean {
    const store = this.store;
    const { from, to, except, after } = selection;
    const first = this.rows;
    // The rows of each kind in turn, each by replica number.
    for (let kind = ROW_INC; kind <= ROW_XFER; kind++)
      for (let n = from; n < to; n++) {
        if (n === except || store.rowVersionAt(n, index) <= after) continue;
        if (kind !== ROW_XFER) {
          const total = kind === ROW_INC ? store.incAt(n, index) : store.decAt(n, index);
          if (total !== 0) this.row(kind, n, -1, total);
        } else if (store.givenAt(n, index) !== 0) {
          const given = store.rows[index]![n];
          if (given !== undefined) for (let r = 0; r < given.length; r++) if (given[r]! !== 0) this.row(kind, n, r, given[r]!);
        }
      }
    if (this.rows === first) return false;
    this.counters.push(index);
    this.starts.push(this.rows);
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

  /** The kind of row `i` ({@link ROW_INC}, {@link ROW_DEC}, {@link ROW_XFER}). */
  kind(i: number): number {
    return this.table[4 * i]!;
  }

  /** The number of the replica owning row `i` (the giver of rights given). */
  owner(i: number): number {
    return this.table[4 * i + 1]!;
  }

  /** The receiver's number of row `i` of rights given. */
  receiver(i: number): number {
    return this.table[4 * i + 2]!;
  }

  /** The total of row `i`. */
  total(i: number): number {
    return this.table[4 * i + 3]!;
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
      const owner = names[this.owner(i)]!;
      const kind = this.kind(i);
      if (kind === ROW_INC) (inc ??= []).push([owner, this.total(i)]);
      else if (kind === ROW_DEC) (dec ??= []).push([owner, this.total(i)]);
      else (xfer ??= []).push([owner, names[this.receiver(i)]!, this.total(i)]);
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
    for (let k = 0; k < out.length; k++) out[k] = this.cell(k);
    return out;
  }
}
