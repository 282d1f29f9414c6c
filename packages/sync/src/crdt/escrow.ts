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

/** Separates item, position and lot in a cell key (a control character never found in ids). */
export const KEY_SEPARATOR = "\u001f";

/** The key of the counter of an item at a position (and lot). */
export const cellKeyOf = (item: string, position: string, lot?: string): string =>
  lot === undefined ? item + KEY_SEPARATOR + position : item + KEY_SEPARATOR + position + KEY_SEPARATOR + lot;

/**
 * A decrement or rights transfer larger than the replica's local rights; nothing was changed.
 * An expected value on the hot path (a busy store refuses many sales), so it is built without
 * a stack trace (`TaggedCheapError`).
 */
export class InsufficientRights extends TaggedCheapError("InsufficientRights")<{
  /** The replica that asked. */
  readonly replica: string;
  readonly item: string;
  readonly position: string;
  readonly lot: string | undefined;
  /** Quantity asked for and rights available, as decimal strings in base units. */
  readonly requested: string;
  readonly available: string;
  readonly message: string;
}> {}

/** The counter of one item × position (× lot). Mutable in place by its {@link SyncState}; treat as read-only. */
export class EscrowCell {
  /** Totals added, per replica. */
  readonly inc = new Map<string, number>();
  /** Totals taken out, per replica. */
  readonly dec = new Map<string, number>();
  /** Rights given: giver → receiver → total. */
  readonly xfer = new Map<string, Map<string, number>>();
  /** Sum of rights given, per giver (kept with `xfer`). */
  private readonly given = new Map<string, number>();
  /** Sum of rights received, per receiver (kept with `xfer`). */
  private readonly received = new Map<string, number>();
  /** Local change number of the last change (for delta extraction). */
  changed = 0;

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
  ) {}

  /** Local rights of `replica`, in units. */
  rights(replica: string): number {
    return (this.inc.get(replica) ?? 0) + (this.received.get(replica) ?? 0) - (this.given.get(replica) ?? 0) - (this.dec.get(replica) ?? 0);
  }

  /** Raises `xfer[giver][receiver]` to `total` (never lowers it). Returns whether it changed. */
  raiseTransfer(giver: string, receiver: string, total: number): boolean {
    let row = this.xfer.get(giver);
    const old = row?.get(receiver) ?? 0;
    if (total <= old) return false;
    if (!row) this.xfer.set(giver, (row = new Map()));
    row.set(receiver, total);
    this.given.set(giver, (this.given.get(giver) ?? 0) + total - old);
    this.received.set(receiver, (this.received.get(receiver) ?? 0) + total - old);
    return true;
  }

  /** The quantity at the position, in units: `Σ inc − Σ dec`. */
  value(): number {
    let v = 0;
    for (const x of this.inc.values()) v += x;
    for (const x of this.dec.values()) v -= x;
    return v;
  }

  /** Every replica that has a row or receives rights in this counter. */
  replicas(): Set<string> {
    const out = new Set<string>([...this.inc.keys(), ...this.dec.keys()]);
    for (const [giver, row] of this.xfer) {
      out.add(giver);
      for (const receiver of row.keys()) out.add(receiver);
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

/**
 * The entries of a counter as a {@link CellDelta}; with `onlyRowsOf`, just the rows owned by
 * that replica (what an edge sends: it writes no other row).
 */
export const cellToDelta = (cell: EscrowCell, onlyRowsOf?: string): CellDelta => {
  const inc: [string, number][] = [];
  const dec: [string, number][] = [];
  const xfer: [string, string, number][] = [];
  if (onlyRowsOf === undefined) {
    for (const [r, v] of cell.inc) inc.push([r, v]);
    for (const [r, v] of cell.dec) dec.push([r, v]);
    for (const [g, row] of cell.xfer) for (const [r, v] of row) xfer.push([g, r, v]);
  } else {
    const i = cell.inc.get(onlyRowsOf);
    if (i !== undefined) inc.push([onlyRowsOf, i]);
    const d = cell.dec.get(onlyRowsOf);
    if (d !== undefined) dec.push([onlyRowsOf, d]);
    const row = cell.xfer.get(onlyRowsOf);
    if (row !== undefined) for (const [r, v] of row) xfer.push([onlyRowsOf, r, v]);
  }
  return cell.lot === undefined
    ? { item: cell.item, position: cell.position, inc, dec, xfer }
    : { item: cell.item, position: cell.position, lot: cell.lot, inc, dec, xfer };
};

/**
 * Joins a delta into a counter (pointwise maximum). Returns whether anything changed.
 */
export const joinCell = (cell: EscrowCell, delta: CellDelta): boolean => {
  let changed = false;
  for (const [r, v] of delta.inc)
    if (v > (cell.inc.get(r) ?? 0)) {
      cell.inc.set(r, v);
      changed = true;
    }
  for (const [r, v] of delta.dec)
    if (v > (cell.dec.get(r) ?? 0)) {
      cell.dec.set(r, v);
      changed = true;
    }
  for (const [g, r, v] of delta.xfer) if (cell.raiseTransfer(g, r, v)) changed = true;
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
