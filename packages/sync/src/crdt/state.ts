/**
 * The replicated state of one replica: escrow counters, last-writer-wins master data and
 * document statuses, with one local change number (`version`) shared by all three so that a
 * delta is "everything that changed after version N" — bounded by the number of counters and
 * registers touched, not by the number of operations (an edge offline for days catches up in
 * one exchange).
 *
 * Mutable in place for speed (the hot path allocates nothing per operation once a counter
 * exists), with value-style helpers for the CRDT laws: {@link SyncState.clone},
 * {@link SyncState.fullDelta}, {@link joinStates}, {@link SyncState.canonical}.
 *
 * @module
 */
import { Result } from "effect";
import { compareHlc } from "../clock/hlc.js";
import { ChangeList, ChangeListNode } from "./change-list.js";
import { digestText, registerTerms, statusTerms } from "./digest.js";
import { type CellDelta, CounterStore, EscrowCell, InsufficientRights, cellKeyOf, cellToDelta, joinCell, selectRows } from "./escrow.js";
import { PackedCells, selectsAnyRow } from "./packed-cells.js";
import { type LwwEntry, joinLww, lwwKeyOf } from "./lww.js";
import { QuantityOverflow, formatUnits } from "./quantity.js";
import { type StatusEntry, joinStatusEntry } from "./status.js";

/** A set of changes to a {@link SyncState}: counters, registers and statuses. */
export interface StateDelta {
  readonly cells: ReadonlyArray<CellDelta>;
  readonly registers: ReadonlyArray<LwwEntry>;
  readonly statuses: ReadonlyArray<StatusEntry>;
}

/** The changes after local version `from` up to and including `to`. */
export interface DeltaRange {
  /** Exclusive lower bound (the version the peer acknowledged). */
  readonly from: number;
  /** Inclusive upper bound: every change numbered `≤ to` is in this delta or was before `from`. */
  readonly to: number;
  readonly delta: StateDelta;
  /** Whether `to` is the current version (false when `maxEntries` cut the delta). */
  readonly complete: boolean;
}

/**
 * The changes after local version `from` up to and including `to`, the counters packed
 * ({@link SyncState.packedDeltaSince}): what {@link DeltaRange} holds, without an object per counter.
 */
export interface PackedDeltaRange {
  /** Exclusive lower bound (the version the peer acknowledged). */
  readonly from: number;
  /** Inclusive upper bound, as in {@link DeltaRange}. */
  readonly to: number;
  /** The counters, in counter order, and their selected rows. */
  readonly cells: PackedCells;
  readonly registers: ReadonlyArray<LwwEntry>;
  readonly statuses: ReadonlyArray<StatusEntry>;
  /** Whether `to` is the current version (false when `maxEntries` cut the delta). */
  readonly complete: boolean;
}

/** Options of {@link SyncState.deltaSince}. */
export interface DeltaOptions {
  /** Only the rows, registers and statuses written by this replica (what a non-relaying edge sends). */
  readonly onlyRowsOf?: string;
  /** Not the rows and registers written by this replica (what the center relays to it: it has its own). */
  readonly exceptRowsOf?: string;
  /** At most this many counters + registers + statuses (the rest follows in the next delta). */
  readonly maxEntries?: number;
  /**
   * Of a counter, the rows changed after this version (default: `after`). A delta cut by
   * `maxEntries` continues from its `to` with the first delta's `after` here: a counter in the
   * continuation may hold rows changed before that `to` that no earlier delta carried.
   */
  readonly rowsChangedAfter?: number;
}

/** A register slot (the current winning write; its place in the change list). */
class RegisterSlot extends ChangeListNode {
  constructor(
    public entry: LwwEntry,
    /** Its slot number in the change list. */
    readonly slot: number,
  ) {
    super();
  }
}

/** A status slot (the current status; its place in the change list). */
class StatusSlot extends ChangeListNode {
  constructor(
    public entry: StatusEntry,
    /** Its slot number in the change list. */
    readonly slot: number,
  ) {
    super();
  }
}

/** The change-list slot of counter `index` (registers and statuses take the odd numbers). */
const counterSlot = (index: number): number => 2 * index;

const OK: Result.Result<void, never> = Result.succeed(undefined);

/** Persisted form of a {@link SyncState} (plain JSON data). */
export interface SyncStateData {
  /** The local version. */
  readonly version: number;
  /** Every counter with its local change number. */
  readonly cells: ReadonlyArray<readonly [CellDelta, number]>;
  /** Every register with its local change number. */
  readonly registers: ReadonlyArray<readonly [LwwEntry, number]>;
  /** Every status with its local change number. */
  readonly statuses: ReadonlyArray<readonly [StatusEntry, number]>;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counter indexes by item (of one position): an object without prototype used as a dictionary,
 * so every text is an ordinary key ("__proto__" too). The engine keys it by unique copies of the
 * texts, which makes a lookup cheaper than a `Map`'s (which compares the texts themselves).
 */
type ItemIndex = Record<string, number | undefined>;

/** Counter order: by item, position, then lot (no lot first), each text by UTF-16 code units. */
export const compareCounters = (a: { readonly item: string; readonly position: string; readonly lot?: string | undefined }, b: typeof a): number =>
  byString(a.item, b.item) || byString(a.position, b.position) || (a.lot === b.lot ? 0 : a.lot === undefined ? -1 : b.lot === undefined ? 1 : byString(a.lot, b.lot));

/** The replicated state of a replica. See the module documentation. */
export class SyncState {
  /** Counter index by cell key. */
  private readonly cells = new Map<string, number>();
  /** position → item → index of the counter without lot (lookups without building a key). */
  private readonly plain = new Map<string, ItemIndex>();
  /** The counters by index. */
  private readonly counters: EscrowCell[] = [];
  /** The register and status slots by `(slot − 1) / 2`. */
  private readonly entrySlots: (RegisterSlot | StatusSlot)[] = [];
  private readonly registers = new Map<string, RegisterSlot>();
  private readonly statuses = new Map<string, StatusSlot>();
  /** The entries of every counter, by replica number and counter index. */
  private readonly store = new CounterStore();
  /** The counters of the latest {@link SyncState.packedDeltaSince} (reused from delta to delta). */
  private readonly packed = new PackedCells(this.store);
  /** The numbering of replicas shared by every counter. */
  private readonly ids = this.store.ids;
  /** The position of the last lookup and its counters by item (successive operations are mostly at one position). */
  private lastPosition: string | undefined;
  private lastByItem: ItemIndex | undefined;
  private lsn = 0;
  /** Every slot in the order of its last change. */
  private readonly changes = new ChangeList((slot) => (slot % 2 === 0 ? this.store.changedAt(slot / 2) : this.entrySlots[(slot - 1) / 2]!.changed));
  /** The counters in counter order (see {@link compareCounters}), but for those created since it was last brought up to date. */
  private readonly ordered: EscrowCell[] = [];
  /** Counters not yet in {@link SyncState.ordered}. */
  private unordered: EscrowCell[] = [];
  /** By counter index, its place in {@link SyncState.ordered}. */
  private readonly ranks: number[] = [];
  /** A bitset of ranks (all clear between uses), to list counters in counter order without sorting. */
  private rankMarks = new Int32Array(0);
  /** The digest's lanes A and B of the registers and statuses (the counters' is the store's; see `digest.ts`), kept on every write. */
  private digestA = 0;
  private digestB = 0;

  /** An empty state whose quantities have `scale` decimal places (used to word errors). */
  constructor(
    /** Decimal places of a quantity unit. */
    readonly scale: number,
  ) {}

  /** The local version: the number of the latest change. */
  get version(): number {
    return this.lsn;
  }

  /** The number of counters. */
  get cellCount(): number {
    return this.counters.length;
  }

  /** Records a change of a register or status slot at version `lsn + 1`. */
  private touch(slot: RegisterSlot | StatusSlot): void {
    const fresh = slot.changed === 0;
    slot.changed = ++this.lsn;
    this.changes.touch(slot.slot, slot.changed, fresh);
  }

  /** Records a change of counter `index` at version `lsn + 1`. */
  private touchCounter(index: number): void {
    const fresh = this.store.changedAt(index) === 0;
    this.store.setChanged(index, ++this.lsn);
    this.changes.touch(counterSlot(index), this.lsn, fresh);
  }

  /** A new register or status slot's number. */
  private nextEntrySlot(): number {
    return 2 * this.entrySlots.length + 1;
  }

  /** Replaces a register's or status's digest terms `old` (if any) by `next`. */
  private retermEntry(old: readonly [number, number] | undefined, next: readonly [number, number]): void {
    this.digestA = (this.digestA + next[0] - (old === undefined ? 0 : old[0])) | 0;
    this.digestB = (this.digestB + next[1] - (old === undefined ? 0 : old[1])) | 0;
  }

  /** The index of the counter of an item at a position (and lot), created if there is none. */
  private counterFor(item: string, position: string, lot: string | undefined): number {
    let index = this.counterIndex(item, position, lot);
    if (index < 0) {
      const key = cellKeyOf(item, position, lot);
      const cell = new EscrowCell(key, item, position, lot, this.store);
      index = cell.index;
      this.counters.push(cell);
      this.cells.set(key, index);
      // Counters created in counter order (as a delta lists them) extend the order at once.
      const last = this.ordered[this.ordered.length - 1];
      if (this.unordered.length === 0 && (last === undefined || compareCounters(last, cell) < 0)) {
        this.ranks[index] = this.ordered.length;
        this.ordered.push(cell);
      } else this.unordered.push(cell);
      if (lot === undefined) {
        let byItem = this.plain.get(position);
        if (!byItem) this.plain.set(position, (byItem = Object.create(null) as ItemIndex));
        byItem[item] = index;
      }
    }
    return index;
  }

  /** The index of the counter of an item at a position (and lot), or −1 if no replica ever touched it. */
  private counterIndex(item: string, position: string, lot: string | undefined): number {
    if (lot !== undefined) return this.cells.get(cellKeyOf(item, position, lot)) ?? -1;
    if (position !== this.lastPosition) {
      const byItem = this.plain.get(position);
      if (byItem === undefined) return -1;
      this.lastPosition = position;
      this.lastByItem = byItem;
    }
    return this.lastByItem![item] ?? -1;
  }

  /** The counter of an item at a position (and lot), if any replica ever touched it. */
  cell(item: string, position: string, lot?: string): EscrowCell | undefined {
    const index = this.counterIndex(item, position, lot);
    return index < 0 ? undefined : this.counters[index];
  }

  /** Every counter. */
  allCells(): IterableIterator<EscrowCell> {
    return this.counters.values();
  }

  /** Local rights of `replica` on a counter, in units. */
  rights(replica: string, item: string, position: string, lot?: string): number {
    return this.cell(item, position, lot)?.rights(replica) ?? 0;
  }

  /** The quantity of a counter, in units. */
  value(item: string, position: string, lot?: string): number {
    return this.cell(item, position, lot)?.value() ?? 0;
  }

  private overflow(what: string, cell: EscrowCell): QuantityOverflow {
    return new QuantityOverflow({ counter: `${what} of ${cell.item}@${cell.position}${cell.lot ? "#" + cell.lot : ""}`, message: `${what} of ${cell.item}@${cell.position} would exceed the exact range` });
  }

  /** Adds `units` to `replica`'s increments (a receipt: rights are created where the stock arrives). */
  increment(replica: string, item: string, position: string, lot: string | undefined, units: number): Result.Result<void, QuantityOverflow> {
    if (units <= 0) return OK;
    const index = this.counterFor(item, position, lot);
    const n = this.ids.of(replica);
    const total = this.store.incAt(n, index) + units;
    if (total > Number.MAX_SAFE_INTEGER) return Result.fail(this.overflow(`inc[${replica}]`, this.counters[index]!));
    this.store.setInc(n, index, total, this.lsn + 1);
    this.touchCounter(index);
    return OK;
  }

  /** The {@link InsufficientRights} error for `units` asked of `replica` holding `available`. */
  insufficient(replica: string, item: string, position: string, lot: string | undefined, units: number, available: number): InsufficientRights {
    return new InsufficientRights({ replica, item, position, lot, requested: formatUnits(units, this.scale), available: formatUnits(available, this.scale) });
  }

  /** Takes `units` out within `replica`'s local rights; beyond them, {@link InsufficientRights} and nothing changes. */
  decrement(replica: string, item: string, position: string, lot: string | undefined, units: number): Result.Result<void, InsufficientRights | QuantityOverflow> {
    if (units <= 0) return OK;
    const index = this.counterIndex(item, position, lot);
    const n = this.ids.find(replica);
    const available = index < 0 || n < 0 ? 0 : this.store.rightsAt(n, index);
    if (available < units) return Result.fail(this.insufficient(replica, item, position, lot, units, available));
    const total = this.store.decAt(n, index) + units;
    if (total > Number.MAX_SAFE_INTEGER) return Result.fail(this.overflow(`dec[${replica}]`, this.counters[index]!));
    this.store.setDec(n, index, total, this.lsn + 1);
    this.touchCounter(index);
    return OK;
  }

  /** Gives `units` of `giver`'s rights to `receiver`, within the giver's local rights. */
  transferRights(
    giver: string,
    receiver: string,
    item: string,
    position: string,
    lot: string | undefined,
    units: number,
  ): Result.Result<void, InsufficientRights | QuantityOverflow> {
    if (units <= 0 || giver === receiver) return OK;
    const cell = this.cell(item, position, lot);
    const available = cell?.rights(giver) ?? 0;
    if (!cell || available < units) return Result.fail(this.insufficient(giver, item, position, lot, units, available));
    const next = cell.transferOf(giver, receiver) + units;
    if (next > Number.MAX_SAFE_INTEGER) return Result.fail(this.overflow(`xfer[${giver}][${receiver}]`, cell));
    cell.raiseTransfer(giver, receiver, next, this.lsn + 1);
    this.touchCounter(cell.index);
    return OK;
  }

  /** Writes a register if `entry` is later than the current write. Returns whether it won. */
  setRegister(entry: LwwEntry): boolean {
    const key = lwwKeyOf(entry.table, entry.key);
    const slot = this.registers.get(key);
    if (!slot) {
      const fresh = new RegisterSlot(entry, this.nextEntrySlot());
      this.entrySlots.push(fresh);
      this.registers.set(key, fresh);
      this.retermEntry(undefined, registerTerms(entry));
      this.touch(fresh);
      return true;
    }
    if (compareHlc(entry.hlc, slot.entry.hlc) <= 0) return false;
    const old = registerTerms(slot.entry);
    slot.entry = joinLww(slot.entry, entry);
    this.retermEntry(old, registerTerms(slot.entry));
    this.touch(slot);
    return true;
  }

  /** The current write of a register. */
  register(table: string, key: string): LwwEntry | undefined {
    return this.registers.get(lwwKeyOf(table, key))?.entry;
  }

  /** Every register of a table (deleted ones included, with value `null`). */
  registersOf(table: string): LwwEntry[] {
    const out: LwwEntry[] = [];
    for (const slot of this.registers.values()) if (slot.entry.table === table) out.push(slot.entry);
    return out;
  }

  /** Moves a document's status forward (joins it in). Returns whether it changed. */
  setStatus(entry: StatusEntry): boolean {
    const slot = this.statuses.get(entry.doc);
    if (!slot) {
      const fresh = new StatusSlot(entry, this.nextEntrySlot());
      this.entrySlots.push(fresh);
      this.statuses.set(entry.doc, fresh);
      this.retermEntry(undefined, statusTerms(entry));
      this.touch(fresh);
      return true;
    }
    const joined = joinStatusEntry(slot.entry, entry);
    if (joined.status === slot.entry.status && joined.by === slot.entry.by) return false;
    this.retermEntry(statusTerms(slot.entry), statusTerms(joined));
    slot.entry = joined;
    this.touch(slot);
    return true;
  }

  /** The status of a document. */
  status(doc: string): StatusEntry | undefined {
    return this.statuses.size === 0 ? undefined : this.statuses.get(doc)?.entry;
  }

  /** Every document status. */
  allStatuses(): StatusEntry[] {
    return [...this.statuses.values()].map((s) => s.entry);
  }

  /** Joins a delta in (pointwise maximum, later write, forward status). Returns how many entries changed. */
  applyDelta(delta: StateDelta): number {
    let changed = 0;
    for (const d of delta.cells) {
      const index = this.counterFor(d.item, d.position, d.lot);
      if (joinCell(this.counters[index]!, d, this.lsn + 1)) {
        this.touchCounter(index);
        changed++;
      }
    }
    for (const r of delta.registers) if (this.setRegister(r)) changed++;
    for (const s of delta.statuses) if (this.setStatus(s)) changed++;
    return changed;
  }

  /** Brings the counter order up to date: the new counters sorted, then merged in. */
  private rankCounters(): void {
    if (this.unordered.length === 0) return;
    const fresh = this.unordered.sort(compareCounters);
    this.unordered = [];
    const old = this.ordered.splice(0);
    for (let i = 0, j = 0; i < old.length || j < fresh.length; ) {
      const next = j >= fresh.length || (i < old.length && compareCounters(old[i]!, fresh[j]!) < 0) ? old[i++]! : fresh[j++]!;
      this.ranks[next.index] = this.ordered.length;
      this.ordered.push(next);
    }
  }

  /**
   * Counter indexes `counters` (distinct) in counter order, in place. Many of the counters (one
   * in 16 or more): their ranks marked in a bitset read in order, no comparison; few: one numeric
   * sort of `rank × n + place` (no comparator: ranks are distinct).
   */
  private inCounterOrder(counters: number[]): number[] {
    const n = counters.length;
    if (n < 2) return counters;
    this.rankCounters();
    const ranks = this.ranks;
    const ordered = this.ordered;
    if (n * 16 < ordered.length) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = ranks[counters[i]!]! * n + i;
      keys.sort();
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) out[i] = counters[keys[i]! % n]!;
      return out;
    }
    const words = (ordered.length + 31) >>> 5;
    if (this.rankMarks.length < words) this.rankMarks = new Int32Array(2 * words);
    const marks = this.rankMarks;
    for (let i = 0; i < n; i++) {
      const rank = ranks[counters[i]!]!;
      marks[rank >>> 5] = marks[rank >>> 5]! | (1 << (rank & 31));
    }
    let k = 0;
    for (let w = 0; w < words; w++) {
      let bits = marks[w]!;
      if (bits === 0) continue;
      marks[w] = 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        counters[k++] = ordered[(w << 5) + 31 - Math.clz32(lowest)]!.index;
        bits ^= lowest;
      }
    }
    return counters;
  }

  /**
   * Everything that changed after version `after` (bounded by `maxEntries`), as a
   * {@link DeltaRange}: the counters, registers and statuses whose last change is later — the
   * counters in counter order (item, position, then lot, no lot first: the order a frame writes
   * them in), the registers and statuses in the order of their changes — and of a counter only
   * the rows changed after `after` (or
   * `rowsChangedAfter`). It reads the change list from version `after` on: the cost is the
   * number of changes since, not the size of the state.
   */
  deltaSince(after: number, options: DeltaOptions = {}): DeltaRange {
    const range = this.packedDeltaSince(after, options, new PackedCells(this.store));
    return { from: range.from, to: range.to, delta: { cells: range.cells.cells(), registers: range.registers, statuses: range.statuses }, complete: range.complete };
  }

  /**
   * {@link SyncState.deltaSince} with the counters packed into `into` (emptied first; by
   * default one the state keeps and reuses: valid until the next call) — what a replica encodes
   * a frame from, without an object per counter or row.
   */
  packedDeltaSince(after: number, options: DeltaOptions = {}, into: PackedCells = this.packed): PackedDeltaRange {
    const max = options.maxEntries ?? Number.POSITIVE_INFINITY;
    const only = options.onlyRowsOf;
    const except = options.exceptRowsOf;
    const store = this.store;
    const rows = selectRows(store, { onlyRowsOf: only, exceptRowsOf: except, changedAfter: Math.min(after, options.rowsChangedAfter ?? after) });
    const counters: number[] = [];
    const registers: LwwEntry[] = [];
    const statuses: StatusEntry[] = [];
    let count = 0;
    let to = Math.max(after, 0);
    let complete = true;
    const changes = this.changes;
    const end = changes.end;
    for (let i = after < this.lsn ? changes.firstAfter(after) : end; i < end; i++) {
      const number = changes.at(i);
      if (number < 0) continue;
      if (count >= max) {
        complete = false;
        break;
      }
      if (number % 2 === 0) {
        const index = number / 2;
        if (selectsAnyRow(store, index, rows)) {
          counters.push(index);
          count++;
        }
        to = store.changedAt(index);
        continue;
      }
      const slot = this.entrySlots[(number - 1) / 2]!;
      if (slot instanceof RegisterSlot) {
        const by = slot.entry.hlc.node;
        if ((only === undefined || by === only) && by !== except) {
          registers.push(slot.entry);
          count++;
        }
      } else if (slot instanceof StatusSlot) {
        // Not filtered by `exceptRowsOf`: a joined status (approved ⊔ rejected = cancelled) names
        // one of its writers as `by` without that replica having written it.
        if (only === undefined || slot.entry.by === only) {
          statuses.push(slot.entry);
          count++;
        }
      }
      to = slot.changed;
    }
    into.reset();
    const ordered = this.inCounterOrder(counters);
    for (let k = 0; k < ordered.length; k++) into.add(ordered[k]!, rows);
    return { from: after, to: complete ? this.lsn : to, cells: into, registers, statuses, complete };
  }

  /** The whole state as one delta. */
  fullDelta(): StateDelta {
    return this.deltaSince(0).delta;
  }

  /** A copy with the same entries (local change numbers renumbered). */
  clone(): SyncState {
    const copy = new SyncState(this.scale);
    copy.applyDelta(this.fullDelta());
    return copy;
  }

  /**
   * A canonical text of the state, independent of local change numbers and of the order in
   * which changes arrived: equal on replicas that converged.
   */
  canonical(): string {
    const cells = this.counters
      .map((c) => {
        const inc = [...c.inc].sort((a, b) => byString(a[0], b[0]));
        const dec = [...c.dec].sort((a, b) => byString(a[0], b[0]));
        const xfer = [...c.xfer]
          .flatMap(([g, row]) => [...row].map(([r, v]) => [g, r, v] as const))
          .sort((a, b) => byString(a[0], b[0]) || byString(a[1], b[1]));
        return [c.key, inc, dec, xfer] as const;
      })
      .filter(([, inc, dec, xfer]) => inc.length + dec.length + xfer.length > 0)
      .sort((a, b) => byString(a[0], b[0]));
    const registers = [...this.registers.entries()].sort((a, b) => byString(a[0], b[0])).map(([, s]) => s.entry);
    const statuses = [...this.statuses.entries()].sort((a, b) => byString(a[0], b[0])).map(([, s]) => s.entry);
    return JSON.stringify({ cells, registers, statuses });
  }

  /**
   * A 64-bit digest of the entries (16 hex digits), equal on converged replicas: the sum of one
   * term per entry, kept up to date on every write (O(1), see `digest.ts`).
   */
  digest(): string {
    return digestText((this.digestA + this.store.digestA) | 0, (this.digestB + this.store.digestB) | 0);
  }

  /** The state as plain data, for persistence ({@link SyncState.fromData} reads it back). */
  toData(): SyncStateData {
    return {
      version: this.lsn,
      cells: this.counters.map((c) => [cellToDelta(c), c.changed] as const),
      registers: [...this.registers.values()].map((s) => [s.entry, s.changed] as const),
      statuses: [...this.statuses.values()].map((s) => [s.entry, s.changed] as const),
    };
  }

  /** Rebuilds a state from {@link SyncState.toData}, keeping its local change numbers. */
  static fromData(data: SyncStateData, scale: number): SyncState {
    const state = new SyncState(scale);
    const store = state.store;
    const slots = new Set<number>();
    for (const [d, changed] of data.cells) {
      const index = state.counterFor(d.item, d.position, d.lot);
      joinCell(state.counters[index]!, d, changed);
      store.setChanged(index, Math.max(store.changedAt(index), changed));
      slots.add(counterSlot(index));
    }
    for (const [entry, changed] of data.registers) {
      const slot = new RegisterSlot(entry, state.nextEntrySlot());
      state.entrySlots.push(slot);
      state.registers.set(lwwKeyOf(entry.table, entry.key), slot);
      state.retermEntry(undefined, registerTerms(entry));
      slot.changed = changed;
      slots.add(slot.slot);
    }
    for (const [entry, changed] of data.statuses) {
      const slot = new StatusSlot(entry, state.nextEntrySlot());
      state.entrySlots.push(slot);
      state.statuses.set(entry.doc, slot);
      state.retermEntry(undefined, statusTerms(entry));
      slot.changed = changed;
      slots.add(slot.slot);
    }
    // Into the change list oldest first (a slot listed twice takes its place once, at its latest).
    const versionOf = (slot: number) => (slot % 2 === 0 ? store.changedAt(slot / 2) : state.entrySlots[(slot - 1) / 2]!.changed);
    const order = [...slots].sort((a, b) => versionOf(a) - versionOf(b));
    let top = 0;
    for (const slot of order) {
      top = versionOf(slot);
      state.changes.touch(slot, top, true);
    }
    state.lsn = Math.max(data.version, top, 0);
    return state;
  }
}

/** The join of two states as a new state (neither input changes). */
export const joinStates = (a: SyncState, b: SyncState): SyncState => {
  const out = a.clone();
  out.applyDelta(b.fullDelta());
  return out;
};
