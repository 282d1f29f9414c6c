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
import { type CellDelta, EscrowCell, InsufficientRights, ReplicaIndex, cellKeyOf, cellToDelta, joinCell } from "./escrow.js";
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
  constructor(public entry: LwwEntry) {
    super();
  }
}

/** A status slot (the current status; its place in the change list). */
class StatusSlot extends ChangeListNode {
  constructor(public entry: StatusEntry) {
    super();
  }
}

type Slot = EscrowCell | RegisterSlot | StatusSlot;

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

/** The replicated state of a replica. See the module documentation. */
export class SyncState {
  private readonly cells = new Map<string, EscrowCell>();
  /** position → item → counter without lot (lookups without building a key). */
  private readonly plain = new Map<string, Map<string, EscrowCell>>();
  private readonly registers = new Map<string, RegisterSlot>();
  private readonly statuses = new Map<string, StatusSlot>();
  /** The numbering of replicas shared by every counter (their rows are arrays by replica number). */
  private readonly ids = new ReplicaIndex();
  /** The position of the last lookup and its counters by item (successive operations are mostly at one position). */
  private lastPosition: string | undefined;
  private lastByItem: Map<string, EscrowCell> | undefined;
  private lsn = 0;
  /** Every slot in the order of its last change. */
  private readonly changes = new ChangeList();
  /** The digest's lanes A and B: the sum of the terms of every entry (see `digest.ts`), kept on every write. */
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
    return this.cells.size;
  }

  private touch(slot: Slot): void {
    this.changes.touch(slot, ++this.lsn);
  }

  /** Records a change of `cell` at version `lsn + 1` whose digest terms were `a0`, `b0` before it. */
  private touchCell(cell: EscrowCell, a0: number, b0: number): void {
    this.digestA = (this.digestA + cell.digestA - a0) | 0;
    this.digestB = (this.digestB + cell.digestB - b0) | 0;
    this.changes.touch(cell, ++this.lsn);
  }

  /** Replaces a register's or status's digest terms `old` (if any) by `next`. */
  private retermEntry(old: readonly [number, number] | undefined, next: readonly [number, number]): void {
    this.digestA = (this.digestA + next[0] - (old === undefined ? 0 : old[0])) | 0;
    this.digestB = (this.digestB + next[1] - (old === undefined ? 0 : old[1])) | 0;
  }

  private cellFor(item: string, position: string, lot: string | undefined): EscrowCell {
    let cell = this.cell(item, position, lot);
    if (!cell) {
      const key = cellKeyOf(item, position, lot);
      this.cells.set(key, (cell = new EscrowCell(key, item, position, lot, this.ids)));
      if (lot === undefined) {
        let byItem = this.plain.get(position);
        if (!byItem) this.plain.set(position, (byItem = new Map()));
        byItem.set(item, cell);
      }
    }
    return cell;
  }

  /** The counter of an item at a position (and lot), if any replica ever touched it. */
  cell(item: string, position: string, lot?: string): EscrowCell | undefined {
    if (lot !== undefined) return this.cells.get(cellKeyOf(item, position, lot));
    if (position !== this.lastPosition) {
      const byItem = this.plain.get(position);
      if (byItem === undefined) return undefined;
      this.lastPosition = position;
      this.lastByItem = byItem;
    }
    return this.lastByItem!.get(item);
  }

  /** Every counter. */
  allCells(): IterableIterator<EscrowCell> {
    return this.cells.values();
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
    const cell = this.cellFor(item, position, lot);
    const n = this.ids.of(replica);
    if (cell.incAt(n) + units > Number.MAX_SAFE_INTEGER) return Result.fail(this.overflow(`inc[${replica}]`, cell));
    const a0 = cell.digestA;
    const b0 = cell.digestB;
    cell.addInc(n, units, this.lsn + 1);
    this.touchCell(cell, a0, b0);
    return OK;
  }

  /** The {@link InsufficientRights} error for `units` asked of `replica` holding `available`. */
  insufficient(replica: string, item: string, position: string, lot: string | undefined, units: number, available: number): InsufficientRights {
    const requested = formatUnits(units, this.scale);
    const avail = formatUnits(available, this.scale);
    return new InsufficientRights({
      replica,
      item,
      position,
      lot,
      requested,
      available: avail,
      message: `${replica} holds rights to ${avail} of ${item}@${position}${lot ? "#" + lot : ""}; ${requested} requested`,
    });
  }

  /** Takes `units` out within `replica`'s local rights; beyond them, {@link InsufficientRights} and nothing changes. */
  decrement(replica: string, item: string, position: string, lot: string | undefined, units: number): Result.Result<void, InsufficientRights | QuantityOverflow> {
    if (units <= 0) return OK;
    const cell = this.cell(item, position, lot);
    const n = this.ids.find(replica);
    const available = cell === undefined || n < 0 ? 0 : cell.rightsAt(n);
    if (!cell || available < units) return Result.fail(this.insufficient(replica, item, position, lot, units, available));
    if (cell.decAt(n) + units > Number.MAX_SAFE_INTEGER) return Result.fail(this.overflow(`dec[${replica}]`, cell));
    const a0 = cell.digestA;
    const b0 = cell.digestB;
    cell.addDec(n, units, this.lsn + 1);
    this.touchCell(cell, a0, b0);
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
    const a0 = cell.digestA;
    const b0 = cell.digestB;
    cell.raiseTransfer(giver, receiver, next, this.lsn + 1);
    this.touchCell(cell, a0, b0);
    return OK;
  }

  /** Writes a register if `entry` is later than the current write. Returns whether it won. */
  setRegister(entry: LwwEntry): boolean {
    const key = lwwKeyOf(entry.table, entry.key);
    const slot = this.registers.get(key);
    if (!slot) {
      const fresh = new RegisterSlot(entry);
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
      const fresh = new StatusSlot(entry);
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
      const cell = this.cellFor(d.item, d.position, d.lot);
      const a0 = cell.digestA;
      const b0 = cell.digestB;
      if (joinCell(cell, d, this.lsn + 1)) {
        this.touchCell(cell, a0, b0);
        changed++;
      }
    }
    for (const r of delta.registers) if (this.setRegister(r)) changed++;
    for (const s of delta.statuses) if (this.setStatus(s)) changed++;
    return changed;
  }

  /**
   * Everything that changed after version `after` (bounded by `maxEntries`), as a
   * {@link DeltaRange}: the counters, registers and statuses whose last change is later, in the
   * order of their changes, and of a counter only the rows changed after `after` (or
   * `rowsChangedAfter`). It reads the change list from version `after` on: the cost is the
   * number of changes since, not the size of the state.
   */
  deltaSince(after: number, options: DeltaOptions = {}): DeltaRange {
    const max = options.maxEntries ?? Number.POSITIVE_INFINITY;
    const only = options.onlyRowsOf;
    const except = options.exceptRowsOf;
    const rows = { onlyRowsOf: only, exceptRowsOf: except, changedAfter: Math.min(after, options.rowsChangedAfter ?? after) };
    const cells: CellDelta[] = [];
    const registers: LwwEntry[] = [];
    const statuses: StatusEntry[] = [];
    let count = 0;
    let to = Math.max(after, 0);
    const changes = this.changes;
    const end = changes.end;
    for (let i = after < this.lsn ? changes.firstAfter(after) : end; i < end; i++) {
      const slot = changes.at(i);
      if (slot === undefined) continue;
      if (count >= max) return { from: after, to, delta: { cells, registers, statuses }, complete: false };
      if (slot instanceof EscrowCell) {
        const d = cellToDelta(slot, rows);
        if (d.inc.length + d.dec.length + d.xfer.length > 0) {
          cells.push(d);
          count++;
        }
      } else if (slot instanceof RegisterSlot) {
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
    return { from: after, to: this.lsn, delta: { cells, registers, statuses }, complete: true };
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
    const cells = [...this.cells.values()]
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
    return digestText(this.digestA, this.digestB);
  }

  /** The state as plain data, for persistence ({@link SyncState.fromData} reads it back). */
  toData(): SyncStateData {
    return {
      version: this.lsn,
      cells: [...this.cells.values()].map((c) => [cellToDelta(c), c.changed] as const),
      registers: [...this.registers.values()].map((s) => [s.entry, s.changed] as const),
      statuses: [...this.statuses.values()].map((s) => [s.entry, s.changed] as const),
    };
  }

  /** Rebuilds a state from {@link SyncState.toData}, keeping its local change numbers. */
  static fromData(data: SyncStateData, scale: number): SyncState {
    const state = new SyncState(scale);
    const slots: Slot[] = [];
    for (const [d, changed] of data.cells) {
      const cell = state.cellFor(d.item, d.position, d.lot);
      const a0 = cell.digestA;
      const b0 = cell.digestB;
      joinCell(cell, d, changed);
      state.digestA = (state.digestA + cell.digestA - a0) | 0;
      state.digestB = (state.digestB + cell.digestB - b0) | 0;
      cell.changed = Math.max(cell.changed, changed);
      slots.push(cell);
    }
    for (const [entry, changed] of data.registers) {
      const slot = new RegisterSlot(entry);
      state.registers.set(lwwKeyOf(entry.table, entry.key), slot);
      state.retermEntry(undefined, registerTerms(entry));
      slot.changed = changed;
      slots.push(slot);
    }
    for (const [entry, changed] of data.statuses) {
      const slot = new StatusSlot(entry);
      state.statuses.set(entry.doc, slot);
      state.retermEntry(undefined, statusTerms(entry));
      slot.changed = changed;
      slots.push(slot);
    }
    // Into the change list oldest first (a slot listed twice takes its place at its latest).
    slots.sort((a, b) => a.changed - b.changed);
    let top = 0;
    for (const slot of slots) {
      state.changes.touch(slot, slot.changed);
      top = slot.changed;
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
