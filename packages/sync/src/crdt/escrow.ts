/**
 * Escrow (bounded) counters — O'Neil's escrow (1986), the bounded counter of Balegas et al.
 * (2015) and AntidoteDB. One counter per item × position (× lot) holds:
 *
 * - `inc[r]`: the total that replica `r` added (receipts create rights where stock arrives);
 * - `xfer[g][r]`: the total of rights replica `g` gave replica `r` (the row belongs to the giver);
 * - `dec[r]`: the total that replica `r` took out (sales, requisitions, transfers out…).
 *
 * Every entry is a monotone total written only by the replica that owns its row, so the join
 * of two states is the pointwise maximum: commutative, associative and idempotent.
 *
 * Local rights of `r` = `inc[r] + Σg xfer[g][r] − Σs xfer[r][s] − dec[r]`. A replica decrements
 * or gives away only within its own rights, so the value `Σ inc − Σ dec` (the sum of all
 * rights) can never become negative, whatever the replicas do offline and in whatever order
 * their states meet.
 *
 * Quantities are integers of scaled units here (see `toUnits`); the replica converts at its API.
 *
 * @module
 */
import { TaggedCheapError } from "@jxc/core";
import { ENTRY_DEC, ENTRY_INC, ENTRY_XFER, entryTermChange, textLanes } from "./digest.js";
import { PackedCells } from "./packed-cells.js";

/** Separates item, position and lot in a cell key (a control character never found in ids). */
export const KEY_SEPARATOR = "\u001f";

/** The key of the counter of an item at a position (and lot). */
export const cellKeyOf = (item: string, position: string, lot?: string): string =>
  lot === undefined ? item + KEY_SEPARATOR + position : item + KEY_SEPARATOR + position + KEY_SEPARATOR + lot;

/** The fields of an {@link InsufficientRights}. */
export interface InsufficientRightsFields {
  /** The replica that asked. */
  readonly replica: string;
  readonly item: string;
  readonly position: string;
  readonly lot: string | undefined;
  /** Quantity asked for and rights available, as decimal strings in base units. */
  readonly requested: string;
  readonly available: string;
}

/** Nothing for the base class to copy: {@link InsufficientRights} stores its own fields. */
const NO_ARGUMENTS = Object.freeze({}) as InsufficientRightsFields & { readonly message: string };

/**
 * A decrement or rights transfer larger than the replica's local rights; nothing was changed.
 * An expected value on the hot path (a busy store refuses many sales), so it is built without
 * a stack trace (`TaggedCheapError`), its fields are stored by its own constructor in one order
 * (every instance has one shape, nothing is copied key by key), and its message is worded only
 * when read.
 */
export class InsufficientRights extends TaggedCheapError("InsufficientRights")<InsufficientRightsFields & { readonly message: string }> {
  /** The refusal of `fields.requested` to `fields.replica` holding `fields.available`. */
  constructor(fields: InsufficientRightsFields) {
    super(NO_ARGUMENTS);
    const self = this as { -readonly [K in keyof InsufficientRightsFields]: InsufficientRightsFields[K] };
    self.replica = fields.replica;
    self.item = fields.item;
    self.position = fields.position;
    self.lot = fields.lot;
    self.requested = fields.requested;
    self.available = fields.available;
  }

  /** What was refused, e.g. `store-1 holds rights to 5 of tea@SH; 10 requested`. */
  override get message(): string {
    return `${this.replica} holds rights to ${this.available} of ${this.item}@${this.position}${this.lot ? "#" + this.lot : ""}; ${this.requested} requested`;
  }

  /** Replaces the message (an own property from then on, as on any `Error`). */
  override set message(value: string) {
    Object.defineProperty(this, "message", { value, writable: true, enumerable: false, configurable: true });
  }

  /** The fields, the tag and the message (as `Data.TaggedError` gives them). */
  override toJSON(): object {
    return { ...this, message: this.message };
  }
}

/**
 * One refusal that lives as long as the module, never handed out: the engine forgets an object
 * shape once no object has it, and with it the code optimized for it — a replica's refusals
 * (each one short-lived) would otherwise reoptimize their path after every full collection.
 */
const REFUSAL_SHAPE = new InsufficientRights({ replica: "", item: "", position: "", lot: undefined, requested: "0", available: "0" });
void REFUSAL_SHAPE;

/**
 * The replicas of a state numbered 0, 1, 2… in the order first seen: the index of the rows of
 * every counter of that state (counters keep their rows in arrays, not maps).
 */
export class ReplicaIndex {
  /** Replica ids by number. */
  readonly names: string[] = [];
  /** Hashes of the ids by number, lane A and lane B (weights of the digest, see `digest.ts`). */
  readonly hashA: number[] = [];
  /** See {@link ReplicaIndex.hashA}. */
  readonly hashB: number[] = [];
  private readonly numbers = new Map<string, number>();
  private lastName: string | undefined;
  private lastNumber = -1;

  /** The number of `name`, given at first sight. */
  of(name: string): number {
    if (name === this.lastName) return this.lastNumber;
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.names.length;
      this.names.push(name);
      const [a, b] = textLanes(name);
      this.hashA.push(a);
      this.hashB.push(b);
      this.numbers.set(name, n);
    }
    this.lastName = name;
    this.lastNumber = n;
    return n;
  }

  /** The number of `name`, or −1 if it was never seen (nothing is numbered). */
  find(name: string): number {
    if (name === this.lastName) return this.lastNumber;
    return this.numbers.get(name) ?? -1;
  }
}

/** `a[n]`, or 0 beyond the array. */
const at = (a: readonly number[], n: number): number => (n < a.length ? a[n]! : 0);

/** Sets `a[n] = v`, growing `a` with zeros (so the array stays packed). */
const put = (a: number[], n: number, v: number): void => {
  while (a.length < n) a.push(0);
  a[n] = v;
};

/** Offsets of a counter's entries in a replica's column: five per counter at `5 × counter index`. */
const INC = 0;
const DEC = 1;
const GIVE = 2;
const RECV = 3;
/** The local version of the last change of a row the replica owns (its `inc`, `dec` or rights given). */
const STAMP = 4;
const STRIDE = 5;

/**
 * The counters of a state, struct-of-arrays, by counter index. Their entries: per replica number
 * (its {@link ReplicaIndex}) one column, a `Float64Array` holding five entries per counter —
 * added, taken out, rights given, rights received, and the local version of the last change of
 * a row the replica owns; a column is allocated at its replica's first entry, and an absent
 * column reads as zeros. Per counter also the hashes of its key (its entries' digest weights) and
 * the local version of its last change; and the digest of every entry (see `digest.ts`), updated
 * on every write. A replica's own operations touch its own column and these arrays only — dense
 * whatever the number of replicas and counters, so the hot path stays in cache.
 */
export class CounterStore {
  /** The numbering of replicas (the columns' index). */
  readonly ids = new ReplicaIndex();
  /** Columns by replica number (`undefined`: no entry yet). */
  columns: (Float64Array | undefined)[] = [];
  /** Rights given, by counter index: by giver number, the totals by receiver number. */
  readonly rows: (number[] | undefined)[][] = [];
  /** The item of each counter, by counter index. */
  readonly items: string[] = [];
  /** The position of each counter, by counter index. */
  readonly positions: string[] = [];
  /** The lot of each counter (if per lot), by counter index. */
  readonly lots: (string | undefined)[] = [];
  /** The digest of every entry, lane A (sum mod 2³² of the entries' terms). */
  digestA = 0;
  /** The digest of every entry, lane B. */
  digestB = 0;
  /** Per counter, the hashes of its key, lanes A and B. */
  private keys = new Int32Array(0);
  /** Per counter, the local version of its last change (0: never changed). */
  private changes = new Float64Array(0);
  private capacity = 0;
  private count = 0;

  /** A new counter's index (its entries all zero): of `item` at `position` (and `lot`), whose key ({@link cellKeyOf}) hashes to `keyA`, `keyB`. */
  add(item: string, position: string, lot: string | undefined, keyA: number, keyB: number): number {
    if (this.count === this.capacity) {
      const capacity = Math.max(64, this.capacity * 2);
      const grow = <T extends Float64Array | Int32Array>(old: T, next: T): T => {
        next.set(old);
        return next;
      };
      for (let n = 0; n < this.columns.length; n++) {
        const old = this.columns[n];
        if (old !== undefined) this.columns[n] = grow(old, new Float64Array(capacity * STRIDE));
      }
      this.keys = grow(this.keys, new Int32Array(capacity * 2));
      this.changes = grow(this.changes, new Float64Array(capacity));
      this.capacity = capacity;
    }
    const index = this.count++;
    this.keys[2 * index] = keyA;
    this.keys[2 * index + 1] = keyB;
    this.rows.push([]);
    this.items.push(item);
    this.positions.push(position);
    this.lots.push(lot);
    return index;
  }

  /** The column of the replica numbered `n`, allocated if it has none. */
  columnOf(n: number): Float64Array {
    let column = this.columns[n];
    if (column === undefined) {
      while (this.columns.length < n) this.columns.push(undefined);
      this.columns[n] = column = new Float64Array(this.capacity * STRIDE);
    }
    return column;
  }

  /** Entry `k` of counter `cell` in the column of replica `n` (0 when absent). */
  entry(n: number, cell: number, k: number): number {
    const column = this.columns[n];
    return column === undefined ? 0 : column[cell * STRIDE + k]!;
  }

  /** Local rights of the replica numbered `n` on counter `cell`, in units. */
  rightsAt(n: number, cell: number): number {
    const v = this.columns[n];
    if (v === undefined) return 0;
    const i = cell * STRIDE;
    return v[i + INC]! + v[i + RECV]! - v[i + GIVE]! - v[i + DEC]!;
  }

  /** The local version of the last change of counter `cell`. */
  changedAt(cell: number): number {
    return this.changes[cell]!;
  }

  /** Records that counter `cell` changed at local version `version`. */
  setChanged(cell: number, version: number): void {
    this.changes[cell] = version;
  }

  /** Total added by the replica numbered `n` on counter `cell`. */
  incAt(n: number, cell: number): number {
    return this.entry(n, cell, INC);
  }

  /** Total taken out by the replica numbered `n` on counter `cell`. */
  decAt(n: number, cell: number): number {
    return this.entry(n, cell, DEC);
  }

  /** Total of rights the replica numbered `n` gave (to anyone) on counter `cell`. */
  givenAt(n: number, cell: number): number {
    return this.entry(n, cell, GIVE);
  }

  /** The local version of the last change of a row owned by the replica numbered `n` on counter `cell` (0: none). */
  rowVersionAt(n: number, cell: number): number {
    return this.entry(n, cell, STAMP);
  }

  /** Raises `inc[n]` of counter `cell` to `total` at local version `stamp` (the caller checks that it rises). */
  setInc(n: number, cell: number, total: number, stamp: number): void {
    this.setOwn(n, cell, INC, ENTRY_INC, total, stamp);
  }

  /** Raises `dec[n]` of counter `cell` to `total` at local version `stamp` (the caller checks that it rises). */
  setDec(n: number, cell: number, total: number, stamp: number): void {
    this.setOwn(n, cell, DEC, ENTRY_DEC, total, stamp);
  }

  /** Sets entry `k` (`inc` or `dec`, digest kind `kind`) of replica `n` on counter `cell` to `next`, at local version `stamp`. */
  private setOwn(n: number, cell: number, k: number, kind: number, next: number, stamp: number): void {
    const v = this.columnOf(n);
    const i = cell * STRIDE;
    const old = v[i + k]!;
    v[i + k] = next;
    if (stamp > v[i + STAMP]!) v[i + STAMP] = stamp;
    const ids = this.ids;
    const a = ids.hashA[n]!;
    const b = ids.hashB[n]!;
    const keyA = this.keys[2 * cell]!;
    const keyB = this.keys[2 * cell + 1]!;
    this.digestA = (this.digestA + entryTermChange(keyA, kind, a, 0, old, next)) | 0;
    this.digestB = (this.digestB + entryTermChange(keyB, kind, b, 0, old, next)) | 0;
  }

  /** Raises `xfer[g][r]` (replica numbers) of counter `cell` to `total` (never lowers it) at local version `stamp`. Returns whether it changed. */
  raiseTransfer(cell: number, g: number, r: number, total: number, stamp: number): boolean {
    const rows = this.rows[cell]!;
    let row = rows[g];
    const old = row === undefined ? 0 : at(row, r);
    if (total <= old) return false;
    if (row === undefined) {
      while (rows.length < g) rows.push(undefined);
      rows[g] = row = [];
    }
    put(row, r, total);
    const i = cell * STRIDE;
    const given = this.columnOf(g);
    const received = this.columnOf(r);
    given[i + GIVE] = given[i + GIVE]! + total - old;
    received[i + RECV] = received[i + RECV]! + total - old;
    if (stamp > given[i + STAMP]!) given[i + STAMP] = stamp;
    const ids = this.ids;
    const ga = ids.hashA[g]!;
    const ra = ids.hashA[r]!;
    const gb = ids.hashB[g]!;
    const rb = ids.hashB[r]!;
    const keyA = this.keys[2 * cell]!;
    const keyB = this.keys[2 * cell + 1]!;
    this.digestA = (this.digestA + entryTermChange(keyA, ENTRY_XFER, ga, ra, old, total)) | 0;
    this.digestB = (this.digestB + entryTermChange(keyB, ENTRY_XFER, gb, rb, old, total)) | 0;
    return true;
  }
}

/**
 * The counter of one item × position (× lot): a view of its entries in its state's
 * {@link CounterStore} at its index — per replica number added, taken out, rights given,
 * rights received, and the local version of the last change of a row the replica owns — and
 * its rows of rights given (arrays by receiver number). An entry of 0 is an absent entry (every
 * entry written is a positive total). Changed in place by its {@link SyncState}; treat as
 * read-only.
 */
export class EscrowCell {
  /** This counter's index in {@link EscrowCell.store}. */
  readonly index: number;

  /** A counter with no entries. */
  constructor(
    /** The cell key ({@link cellKeyOf}). */
    readonly key: string,
    /** The item. */
    readonly item: string,
    /** The position (warehouse, or warehouse/location). */
    readonly position: string,
    /** The lot, if the counter is per lot. */
    readonly lot: string | undefined,
    /** Where the entries are (shared by the counters of a state). */
    readonly store: CounterStore = new CounterStore(),
  ) {
    const [a, b] = textLanes(key);
    this.index = store.add(item, position, lot, a, b);
  }

  /** The numbering of replicas (shared by the counters of a state). */
  get ids(): ReplicaIndex {
    return this.store.ids;
  }

  /** The local version of this counter's last change (0: never changed). */
  get changed(): number {
    return this.store.changedAt(this.index);
  }

  /** Rights given: by giver number, the totals by receiver number. */
  get rows(): ReadonlyArray<ReadonlyArray<number> | undefined> {
    return this.store.rows[this.index]!;
  }

  /** One past the highest replica number that may have entries here. */
  get width(): number {
    return this.store.columns.length;
  }

  /** Local rights of the replica numbered `n`, in units. */
  rightsAt(n: number): number {
    return this.store.rightsAt(n, this.index);
  }

  /** Total added by the replica numbered `n`. */
  incAt(n: number): number {
    return this.store.entry(n, this.index, INC);
  }

  /** Total taken out by the replica numbered `n`. */
  decAt(n: number): number {
    return this.store.entry(n, this.index, DEC);
  }

  /** Total of rights the replica numbered `n` gave (to anyone). */
  givenAt(n: number): number {
    return this.store.givenAt(n, this.index);
  }

  /** The local version of the last change of a row owned by the replica numbered `n` (0: none). */
  rowVersionAt(n: number): number {
    return this.store.rowVersionAt(n, this.index);
  }

  /** Local rights of `replica`, in units. */
  rights(replica: string): number {
    const n = this.ids.find(replica);
    return n < 0 ? 0 : this.rightsAt(n);
  }

  /** Total added by `replica`. */
  incOf(replica: string): number {
    const n = this.ids.find(replica);
    return n < 0 ? 0 : this.incAt(n);
  }

  /** Total taken out by `replica`. */
  decOf(replica: string): number {
    const n = this.ids.find(replica);
    return n < 0 ? 0 : this.decAt(n);
  }

  private entry(n: number, k: number): number {
    return this.store.entry(n, this.index, k);
  }

  /** Total of rights `giver` gave `receiver`. */
  transferOf(giver: string, receiver: string): number {
    const g = this.ids.find(giver);
    const row = g < 0 ? undefined : this.rows[g];
    if (row === undefined) return 0;
    const r = this.ids.find(receiver);
    return r < 0 ? 0 : at(row, r);
  }

  /** Total of rights `replica` gave (to anyone). */
  givenBy(replica: string): number {
    const n = this.ids.find(replica);
    return n < 0 ? 0 : this.entry(n, GIVE);
  }

  /** Total of rights `replica` received (from anyone). */
  receivedBy(replica: string): number {
    const n = this.ids.find(replica);
    return n < 0 ? 0 : this.entry(n, RECV);
  }

  /** Adds `units` to the increments of replica `n` at local version `stamp`; returns the new total (not checked: the caller guards the range). */
  addInc(n: number, units: number, stamp: number): number {
    const next = this.entry(n, INC) + units;
    this.store.setInc(n, this.index, next, stamp);
    return next;
  }

  /** Adds `units` to the decrements of replica `n` at local version `stamp`; returns the new total. */
  addDec(n: number, units: number, stamp: number): number {
    const next = this.entry(n, DEC) + units;
    this.store.setDec(n, this.index, next, stamp);
    return next;
  }

  /** Raises `inc[n]` to `total` (never lowers it) at local version `stamp`. Returns whether it changed. */
  raiseIncAt(n: number, total: number, stamp: number): boolean {
    if (total <= this.entry(n, INC)) return false;
    this.store.setInc(n, this.index, total, stamp);
    return true;
  }

  /** Raises `dec[n]` to `total` (never lowers it) at local version `stamp`. Returns whether it changed. */
  raiseDecAt(n: number, total: number, stamp: number): boolean {
    if (total <= this.entry(n, DEC)) return false;
    this.store.setDec(n, this.index, total, stamp);
    return true;
  }

  /** Raises `xfer[g][r]` (replica numbers) to `total` (never lowers it) at local version `stamp`. Returns whether it changed. */
  raiseTransferAt(g: number, r: number, total: number, stamp: number): boolean {
    return this.store.raiseTransfer(this.index, g, r, total, stamp);
  }

  /** Raises `xfer[giver][receiver]` to `total` (never lowers it) at local version `stamp`. Returns whether it changed. */
  raiseTransfer(giver: string, receiver: string, total: number, stamp: number): boolean {
    return this.raiseTransferAt(this.ids.of(giver), this.ids.of(receiver), total, stamp);
  }

  /** The quantity at the position, in units: `Σ inc − Σ dec`. */
  value(): number {
    let total = 0;
    const columns = this.store.columns;
    const i = this.index * STRIDE;
    for (let n = 0; n < columns.length; n++) {
      const v = columns[n];
      if (v !== undefined) total += v[i + INC]! - v[i + DEC]!;
    }
    return total;
  }

  /** Totals added, per replica (a new map of the non-zero entries). */
  get inc(): Map<string, number> {
    return this.column(INC);
  }

  /** Totals taken out, per replica (a new map of the non-zero entries). */
  get dec(): Map<string, number> {
    return this.column(DEC);
  }

  /** Rights given: giver → receiver → total (new maps of the non-zero entries). */
  get xfer(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    const rows = this.rows;
    for (let g = 0; g < rows.length; g++) {
      const row = rows[g];
      if (row === undefined) continue;
      const m = this.rowMap(row);
      if (m.size > 0) out.set(this.ids.names[g]!, m);
    }
    return out;
  }

  private column(k: number): Map<string, number> {
    const out = new Map<string, number>();
    for (let n = 0; n < this.width; n++) {
      const x = this.entry(n, k);
      if (x !== 0) out.set(this.ids.names[n]!, x);
    }
    return out;
  }

  private rowMap(a: ReadonlyArray<number>): Map<string, number> {
    const out = new Map<string, number>();
    for (let n = 0; n < a.length; n++) if (a[n]! !== 0) out.set(this.ids.names[n]!, a[n]!);
    return out;
  }

  /** Every replica that has a row or receives rights in this counter. */
  replicas(): Set<string> {
    const out = new Set<string>();
    const names = this.ids.names;
    for (let n = 0; n < this.width; n++) if (this.entry(n, INC) !== 0 || this.entry(n, DEC) !== 0) out.add(names[n]!);
    const rows = this.rows;
    for (let g = 0; g < rows.length; g++) {
      const row = rows[g];
      if (row === undefined) continue;
      for (let r = 0; r < row.length; r++)
        if (row[r]! !== 0) {
          out.add(names[g]!);
          out.add(names[r]!);
        }
    }
    return out;
  }
}

/** The entries of one counter as data: a delta, or the full state of the counter. Units are scaled integers. */
export interface CellDelta {
  readonly item: string;
  readonly position: string;
  readonly lot?: string | undefined;
  /** `[replica, total added]`. */
  readonly inc: ReadonlyArray<readonly [string, number]>;
  /** `[replica, total taken out]`. */
  readonly dec: ReadonlyArray<readonly [string, number]>;
  /** `[giver, receiver, total given]`. */
  readonly xfer: ReadonlyArray<readonly [string, string, number]>;
}

/** The rows of a delta that has none of a kind (shared, frozen). */
const NO_ROWS: readonly never[] = Object.freeze([]);

/** Which rows of a counter {@link cellToDelta} takes (all of them when omitted). */
export interface RowFilter {
  /** Only the rows owned by this replica (what an edge sends: it writes no other row). */
  readonly onlyRowsOf?: string | undefined;
  /** Not the rows owned by this replica (the center relaying to an edge: the edge has its own rows). */
  readonly exceptRowsOf?: string | undefined;
  /** Only the rows changed after this local version (the rows a peer that has every change up to it lacks). */
  readonly changedAfter?: number | undefined;
}

/**
 * The entries of a counter as a {@link CellDelta}, every row or those `rows` selects. A row is
 * everything one replica owns in the counter: its `inc` and `dec` entries and the rights it gave.
 */
export const cellToDelta = (cell: EscrowCell, rows: RowFilter = {}): CellDelta => counterDelta(cell.store, cell.index, rows);

/**
 * {@link cellToDelta} of the counter at `index` of `store`, read from the store's arrays only
 * (a state's deltas are built without touching the counters' objects).
 */
export const counterDelta = (store: CounterStore, index: number, rows: RowFilter = {}): CellDelta => selectedRowsDelta(store, index, selectRows(store, rows));

/** A {@link RowFilter} resolved against a store's numbering of replicas (see {@link selectRows}). */
export interface RowSelection {
  /** The first replica number whose row may be taken. */
  readonly from: number;
  /** One past the last. */
  readonly to: number;
  /** The replica number whose rows are left out (−1: none). */
  readonly except: number;
  /** Rows changed at or before this local version are left out. */
  readonly after: number;
}

/**
 * `rows` resolved once against `store`'s numbering of replicas, for the deltas of many counters
 * ({@link selectedRowsDelta}); valid until the store numbers a new replica.
 */
export const selectRows = (store: CounterStore, rows: RowFilter): RowSelection => {
  const ids = store.ids;
  let from = 0;
  let to = store.columns.length;
  if (rows.onlyRowsOf !== undefined) {
    from = ids.find(rows.onlyRowsOf);
    to = from < 0 ? 0 : Math.min(to, from + 1);
  }
  return { from, to, except: rows.exceptRowsOf === undefined ? -1 : ids.find(rows.exceptRowsOf), after: rows.changedAfter ?? Number.NEGATIVE_INFINITY };
};

/** {@link counterDelta} with the rows already resolved by {@link selectRows}. */
export const selectedRowsDelta = (store: CounterStore, index: number, rows: RowSelection): CellDelta => {
  const packed = new PackedCells(store);
  if (packed.add(index, rows)) return packed.cell(0);
  const lot = store.lots[index];
  const item = store.items[index]!;
  const position = store.positions[index]!;
  return lot === undefined ? { item, position, inc: NO_ROWS, dec: NO_ROWS, xfer: NO_ROWS } : { item, position, lot, inc: NO_ROWS, dec: NO_ROWS, xfer: NO_ROWS };
};

/**
 * Joins a delta into a counter (pointwise maximum); the rows that rise are marked changed at
 * local version `stamp`. Returns whether anything changed.
 */
export const joinCell = (cell: EscrowCell, delta: CellDelta, stamp = 0): boolean => {
  let changed = false;
  const ids = cell.ids;
  for (const [r, v] of delta.inc) if (cell.raiseIncAt(ids.of(r), v, stamp)) changed = true;
  for (const [r, v] of delta.dec) if (cell.raiseDecAt(ids.of(r), v, stamp)) changed = true;
  for (const [g, r, v] of delta.xfer) if (cell.raiseTransferAt(ids.of(g), ids.of(r), v, stamp)) changed = true;
  return changed;
};

/**
 * The rights every replica would hold after joining `delta` into `cell` (or into an empty
 * counter), without changing either; used to refuse a delta that claims rights nobody gave.
 */
export const rightsAfterJoin = (cell: EscrowCell | undefined, delta: CellDelta): Map<string, number> => {
  const probe = new EscrowCell("", delta.item, delta.position, delta.lot);
  if (cell) joinCell(probe, cellToDelta(cell));
  joinCell(probe, delta);
  const out = new Map<string, number>();
  for (const r of probe.replicas()) out.set(r, probe.rights(r));
  return out;
};
