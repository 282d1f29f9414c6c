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
  /** At most this many counters + registers + statuses (the rest follows in the next delta). */
  readonly maxEntries?: number;
}

/** A register slot (the current winning write and its local change number). */
class RegisterSlot {
  constructor(
    public entry: LwwEntry,
    public changed: number,
  ) {}
}

/** A status slot (the current status and its local change number). */
class StatusSlot {
  constructor(
    public entry: StatusEntry,
    public changed: number,
  ) {}
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
  private digestAt = -1;
  private digestText: string | undefined;

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
    slot.changed = ++this.lsn;
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
    cell.addInc(n, units);
    this.touch(cell);
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
    cell.addDec(n, units);
    this.touch(cell);
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
    cell.raiseTransfer(giver, receiver, next);
    this.touch(cell);
    return OK;
  }

  /** Writes a register if `entry` is later than the current write. Returns whether it won. */
  setRegister(entry: LwwEntry): boolean {
    const key = lwwKeyOf(entry.table, entry.key);
    const slot = this.registers.get(key);
    if (!slot) {
      const fresh = new RegisterSlot(entry, 0);
      this.registers.set(key, fresh);
      this.touch(fresh);
      return true;
    }
    if (compareHlc(entry.hlc, slot.entry.hlc) <= 0) return false;
    slot.entry = joinLww(slot.entry, entry);
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
      const fresh = new StatusSlot(entry, 0);
      this.statuses.set(entry.doc, fresh);
      this.touch(fresh);
      return true;
    }
    const joined = joinStatusEntry(slot.entry, entry);
    if (joined.status === slot.entry.status && joined.by === slot.entry.by) return false;
    slot.entry = joined;
    this.touch(slot);
    return true;
  }

  /** The status of a document. */
  status(doc: string): StatusEntry | undefined {
    return this.statuses.get(doc)?.entry;
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
      if (joinCell(cell, d)) {
        this.touch(cell);
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
   * order of their changes (a scan of the state: no per-operation bookkeeping on the hot path).
   */
  deltaSince(after: number, options: DeltaOptions = {}): DeltaRange {
    const max = options.maxEntries ?? Number.POSITIVE_INFINITY;
    const only = options.onlyRowsOf;
    const cells: CellDelta[] = [];
    const registers: LwwEntry[] = [];
    const statuses: StatusEntry[] = [];
    const changed: Slot[] = [];
    if (after < this.lsn) {
      for (const c of this.cells.values()) if (c.changed > after) changed.push(c);
      for (const r of this.registers.values()) if (r.changed > after) changed.push(r);
      for (const t of this.statuses.values()) if (t.changed > after) changed.push(t);
    }
    if (changed.length > max) changed.sort((a, b) => a.changed - b.changed);
    let count = 0;
    let to = Math.max(after, 0);
    for (const slot of changed) {
      if (count >= max) return { from: after, to, delta: { cells, registers, statuses }, complete: false };
      if (slot instanceof EscrowCell) {
        const d = cellToDelta(slot, only);
        if (d.inc.length + d.dec.length + d.xfer.length > 0) {
          cells.push(d);
          count++;
        }
      } else if (slot instanceof RegisterSlot) {
        if (only === undefined || slot.entry.hlc.node === only) {
          registers.push(slot.entry);
          count++;
        }
      } else if (only === undefined || slot.entry.by === only) {
        statuses.push(slot.entry);
        count++;
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

  /** A short hash of {@link SyncState.canonical} (FNV-1a, 2 × 32 bits): equal on converged replicas. Computed once per version. */
  digest(): string {
    if (this.digestAt !== this.lsn || this.digestText === undefined) {
      this.digestText = fnv64(this.canonical());
      this.digestAt = this.lsn;
    }
    return this.digestText;
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
      joinCell(cell, d);
      cell.changed = changed;
      slots.push(cell);
    }
    for (const [entry, changed] of data.registers) {
      const slot = new RegisterSlot(entry, changed);
      state.registers.set(lwwKeyOf(entry.table, entry.key), slot);
      slots.push(slot);
    }
    for (const [entry, changed] of data.statuses) {
      const slot = new StatusSlot(entry, changed);
      state.statuses.set(entry.doc, slot);
      slots.push(slot);
    }
    let top = 0;
    for (const slot of slots) if (slot.changed > top) top = slot.changed;
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

/** FNV-1a over UTF-16 code units, two independent 32-bit lanes, as 16 hex digits. */
export const fnv64 = (text: string): string => {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 + 2) >>> 0;
    h2 = (h2 ^ (h2 >>> 15)) >>> 0;
  }
  return h1.toString(16).padStart(8, "0") + h2.toString(16).padStart(8, "0");
};
