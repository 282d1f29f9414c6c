/**
 * fast-check arbitraries for the CRDTs, clocks and frames of `@jxc/sync`, and helpers that play
 * a generated history, so auditors can state their own properties:
 *
 * - {@link historyArb}: replicas doing escrow operations, register writes and status changes,
 *   and merging each other's states in any order; {@link playHistory} runs it and returns every
 *   replica's state, the deltas extracted along the way, and the lowest rights ever seen.
 * - {@link hlcEventsArb}: local and remote clock events for monotonicity.
 * - {@link frameArb}: valid protocol frames, for codec round trips.
 * - {@link recomputeDigest} and {@link scanDeltaSince}: the state digest and a delta computed
 *   from scratch by reading every entry — references for the incremental digest and the change
 *   list the state keeps.
 *
 * @module
 */
import fc from "fast-check";
import { Result } from "effect";
import type { Hlc } from "../clock/hlc.js";
import { ENTRY_DEC, ENTRY_INC, ENTRY_XFER, digestText, entryTerm, registerTerms, statusTerms, textLanes } from "../crdt/digest.js";
import { type CellDelta, cellToDelta } from "../crdt/escrow.js";
import type { JsonValue } from "../crdt/lww.js";
import { type DeltaRange, type StateDelta, SyncState } from "../crdt/state.js";
import { type DocumentStatus, DocumentStatusSchema } from "../crdt/status.js";
import { type Frame, type Message, PROTOCOL_VERSION } from "../protocol/messages.js";

/** Replica ids used by the arbitraries (`hq` plus three edges). */
export const REPLICA_IDS = ["hq", "e1", "e2", "e3"] as const;
/** Item ids used by the arbitraries. */
export const ITEM_IDS = ["tea", "rice", "milk"] as const;
/** Positions used by the arbitraries. */
export const POSITION_IDS = ["SH", "BJ"] as const;

/** One step of a generated history. */
export type HistoryStep =
  | { readonly kind: "inc" | "dec"; readonly at: number; readonly item: string; readonly position: string; readonly lot?: string; readonly units: number }
  | { readonly kind: "xfer"; readonly at: number; readonly to: number; readonly item: string; readonly position: string; readonly units: number }
  | { readonly kind: "register"; readonly at: number; readonly key: string; readonly value: JsonValue; readonly wall: number }
  | { readonly kind: "status"; readonly at: number; readonly doc: string; readonly status: DocumentStatus }
  | { readonly kind: "merge"; readonly at: number; readonly from: number }
  | { readonly kind: "extract"; readonly at: number; readonly maxEntries: number };

/** A history: how many replicas and the steps they take. */
export interface History {
  readonly replicas: number;
  readonly steps: ReadonlyArray<HistoryStep>;
}

/** A history step on `n` replicas. */
export const historyStepArb = (n: number): fc.Arbitrary<HistoryStep> => {
  const at = fc.integer({ min: 0, max: n - 1 });
  const item = fc.constantFrom(...ITEM_IDS);
  const position = fc.constantFrom(...POSITION_IDS);
  const units = fc.integer({ min: 1, max: 5000 });
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("inc" as const), at, item, position, units }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("inc" as const), at, item, position, lot: fc.constantFrom("L1", "L2"), units }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("dec" as const), at, item, position, units }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("xfer" as const), at, to: fc.integer({ min: 0, max: n - 1 }), item, position, units }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("register" as const),
        at,
        key: fc.constantFrom("tea", "rice"),
        value: fc.oneof(fc.constant(null), fc.string({ maxLength: 6 }), fc.integer()),
        wall: fc.integer({ min: 0, max: 20 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("status" as const), at, doc: fc.constantFrom("d1", "d2"), status: fc.constantFrom(...DocumentStatusSchema.options) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("merge" as const), at, from: fc.integer({ min: 0, max: n - 1 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("extract" as const), at, maxEntries: fc.integer({ min: 1, max: 8 }) }) },
  );
};

/** A history of 2–4 replicas and up to `maxSteps` steps. */
export const historyArb = (maxSteps = 60): fc.Arbitrary<History> =>
  fc.integer({ min: 2, max: REPLICA_IDS.length }).chain((replicas) => fc.record({ replicas: fc.constant(replicas), steps: fc.array(historyStepArb(replicas), { maxLength: maxSteps }) }));

/** What {@link playHistory} returns. */
export interface PlayedHistory {
  /** The state of every replica at the end. */
  readonly states: ReadonlyArray<SyncState>;
  /** Per replica, the deltas extracted from it in order (each after the previous one's `to`). */
  readonly deltas: ReadonlyArray<ReadonlyArray<StateDelta>>;
  /** The lowest rights any replica held on any counter, in any replica's view, after any step. */
  readonly lowestRights: number;
  /** The lowest counter value seen anywhere. */
  readonly lowestValue: number;
  /** Decrements and transfers refused for lack of rights. */
  readonly refused: number;
}

/**
 * Plays a history: every replica starts empty (the first is `hq`); `inc`, `dec` and `xfer`
 * go through the escrow rules (refused beyond the replica's rights), `merge` joins another
 * replica's full state, `extract` takes a bounded delta since the last extraction.
 */
export const playHistory = (history: History, scale = 3): PlayedHistory => {
  const ids = REPLICA_IDS.slice(0, history.replicas);
  const states = ids.map(() => new SyncState(scale));
  const extracted = ids.map(() => 0);
  const deltas: StateDelta[][] = ids.map(() => []);
  let lowestRights = 0;
  let lowestValue = 0;
  let refused = 0;
  for (const step of history.steps) {
    const me = ids[step.at]!;
    const state = states[step.at]!;
    switch (step.kind) {
      case "inc":
        state.increment(me, step.item, step.position, step.lot, step.units);
        break;
      case "dec":
        if (Result.isFailure(state.decrement(me, step.item, step.position, undefined, step.units))) refused++;
        break;
      case "xfer":
        if (Result.isFailure(state.transferRights(me, ids[step.to]!, step.item, step.position, undefined, step.units))) refused++;
        break;
      case "register":
        state.setRegister({ table: "prices", key: step.key, value: step.value, hlc: { wall: step.wall, logical: 0, node: me } });
        break;
      case "status":
        state.setStatus({ doc: step.doc, status: step.status, by: me });
        break;
      case "merge":
        state.applyDelta(states[step.from]!.fullDelta());
        break;
      case "extract": {
        const range = state.deltaSince(extracted[step.at]!, { maxEntries: step.maxEntries });
        deltas[step.at]!.push(range.delta);
        extracted[step.at] = range.to;
        break;
      }
    }
    for (const s of states)
      for (const cell of s.allCells()) {
        lowestValue = Math.min(lowestValue, cell.value());
        for (const r of cell.replicas()) lowestRights = Math.min(lowestRights, cell.rights(r));
      }
  }
  // A last extraction per replica so that the deltas cover every change.
  states.forEach((s, i) => {
    for (;;) {
      const range = s.deltaSince(extracted[i]!, { maxEntries: 8 });
      if (range.to === extracted[i] && range.delta.cells.length + range.delta.registers.length + range.delta.statuses.length === 0) break;
      deltas[i]!.push(range.delta);
      extracted[i] = range.to;
      if (range.complete) break;
    }
  });
  return { states, deltas, lowestRights, lowestValue, refused };
};

/** A clock event: a local tick at `now`, or a message stamped `remote` received at `now`. */
export type HlcEvent = { readonly kind: "tick"; readonly now: number } | { readonly kind: "receive"; readonly now: number; readonly remote: Hlc };

/** A timestamp near `base` (wall within ±`spread` ms). */
export const hlcArb = (base = 1_767_225_600_000, spread = 5_000): fc.Arbitrary<Hlc> =>
  fc.record({
    wall: fc.integer({ min: base - spread, max: base + spread }),
    logical: fc.integer({ min: 0, max: 20 }),
    node: fc.constantFrom(...REPLICA_IDS),
  });

/** Clock events whose wall time wanders (it may go backwards, as real clocks do). */
export const hlcEventsArb = (base = 1_767_225_600_000): fc.Arbitrary<HlcEvent[]> =>
  fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant("tick" as const), now: fc.integer({ min: base - 2_000, max: base + 2_000 }) }),
      fc.record({ kind: fc.constant("receive" as const), now: fc.integer({ min: base - 2_000, max: base + 2_000 }), remote: hlcArb(base, 2_000) }),
    ),
    { maxLength: 50 },
  );

const idArb = fc.oneof(fc.constantFrom(...REPLICA_IDS, ...ITEM_IDS, "仓库-上海", "item-00042"), fc.string({ minLength: 1, maxLength: 12 }));
const unitsArb = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 1000, 31000, 2 ** 53 - 1));

/** A counter of a delta with rows of any replicas. */
export const cellDeltaArb = (): fc.Arbitrary<CellDelta> =>
  fc.record(
    {
      item: idArb,
      position: idArb,
      lot: idArb,
      inc: fc.array(fc.tuple(idArb, unitsArb), { maxLength: 3 }),
      dec: fc.array(fc.tuple(idArb, unitsArb), { maxLength: 3 }),
      xfer: fc.array(fc.tuple(idArb, idArb, unitsArb), { maxLength: 3 }),
    },
    { requiredKeys: ["item", "position", "inc", "dec", "xfer"] },
  );

const jsonArb: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);

/** Any message. */
export const messageArb = (): fc.Arbitrary<Message> => {
  const version = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const hlc = fc.record({ wall: fc.integer({ min: 0, max: 2 ** 48 - 1 }), logical: fc.integer({ min: 0, max: 0xffff }), node: idArb });
  return fc.oneof(
    fc.record({ kind: fc.constant("hello" as const), role: fc.constantFrom("center" as const, "edge" as const), version }),
    fc.record({ kind: fc.constant("summary" as const), acked: version, version, digest: fc.string({ maxLength: 16 }) }),
    fc.record({
      kind: fc.constant("delta" as const),
      from: version,
      to: version,
      complete: fc.boolean(),
      cells: fc.array(cellDeltaArb(), { maxLength: 5 }),
      registers: fc.array(fc.record({ table: idArb, key: idArb, value: jsonArb, hlc }), { maxLength: 3 }),
      statuses: fc.array(fc.record({ doc: idArb, status: fc.constantFrom(...DocumentStatusSchema.options), by: idArb }), { maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant("ack" as const), upTo: version }),
    fc.record(
      { kind: fc.constant("rights-request" as const), request: idArb, item: idArb, position: idArb, lot: idArb, units: unitsArb },
      { requiredKeys: ["kind", "request", "item", "position", "units"] },
    ),
    fc.record(
      { kind: fc.constant("rights-grant" as const), request: idArb, item: idArb, position: idArb, lot: idArb, units: unitsArb },
      { requiredKeys: ["kind", "request", "item", "position", "units"] },
    ),
    fc.record({ kind: fc.constant("op-request" as const), op: idArb, operation: fc.string({ maxLength: 40 }), reason: fc.constantFrom("policy" as const, "rights" as const) }),
    fc.record(
      { kind: fc.constant("decision" as const), op: idArb, decision: fc.constantFrom("approved" as const, "rejected" as const), reason: fc.string({ maxLength: 20 }) },
      { requiredKeys: ["kind", "op", "decision"] },
    ),
  ) as fc.Arbitrary<Message>;
};

/** A valid frame. */
export const frameArb = (): fc.Arbitrary<Frame> =>
  fc.record({
    version: fc.constant(PROTOCOL_VERSION as 1),
    sender: idArb,
    to: idArb,
    epoch: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    seq: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
    hlc: fc.record({ wall: fc.integer({ min: 0, max: 2 ** 48 - 1 }), logical: fc.integer({ min: 0, max: 0xffff }), node: idArb }),
    scale: fc.integer({ min: 0, max: 6 }),
    messages: fc.array(messageArb(), { maxLength: 4 }),
  });

/**
 * The digest of a state recomputed from scratch: every entry's term summed again (see
 * `SyncState.digest`, which keeps the same sum up to date on every write). Equal to
 * `state.digest()` for every state — a property of the package.
 */
export const recomputeDigest = (state: SyncState): string => {
  let a = 0;
  let b = 0;
  const add = (terms: readonly [number, number]) => {
    a = (a + terms[0]) | 0;
    b = (b + terms[1]) | 0;
  };
  for (const cell of state.allCells()) {
    const [ka, kb] = textLanes(cell.key);
    const term = (kind: number, owner: string, receiver: string | undefined, total: number) => {
      const [oa, ob] = textLanes(owner);
      const [ra, rb] = receiver === undefined ? [0, 0] : textLanes(receiver);
      add([entryTerm(ka, kind, oa, ra, total), entryTerm(kb, kind, ob, rb, total)]);
    };
    for (const [r, v] of cell.inc) term(ENTRY_INC, r, undefined, v);
    for (const [r, v] of cell.dec) term(ENTRY_DEC, r, undefined, v);
    for (const [g, row] of cell.xfer) for (const [r, v] of row) term(ENTRY_XFER, g, r, v);
  }
  const data = state.toData();
  for (const [entry] of data.registers) add(registerTerms(entry));
  for (const [entry] of data.statuses) add(statusTerms(entry));
  return digestText(a, b);
};

/**
 * What changed after version `after`, found by scanning every counter, register and status of
 * the state (no change list): the reference {@link SyncState.deltaSince} is checked against.
 * Rows are selected as `deltaSince` does (changed after `after`, `onlyRowsOf`) and counters come
 * in the same order (item, position, lot); no bound on the number of entries.
 */
export const scanDeltaSince = (state: SyncState, after: number, onlyRowsOf?: string): DeltaRange => {
  const data = state.toData();
  type Changed = { readonly changed: number; readonly add: (d: { cells: CellDelta[]; registers: unknown[]; statuses: unknown[] }) => void };
  const changed: Changed[] = [];
  for (const cell of state.allCells())
    if (cell.changed > after)
      changed.push({
        changed: cell.changed,
        add: (d) => {
          const c = cellToDelta(cell, { onlyRowsOf, changedAfter: after });
          if (c.inc.length + c.dec.length + c.xfer.length > 0) d.cells.push(c);
        },
      });
  for (const [entry, at] of data.registers)
    if (at > after && (onlyRowsOf === undefined || entry.hlc.node === onlyRowsOf)) changed.push({ changed: at, add: (d) => d.registers.push(entry) });
  for (const [entry, at] of data.statuses)
    if (at > after && (onlyRowsOf === undefined || entry.by === onlyRowsOf)) changed.push({ changed: at, add: (d) => d.statuses.push(entry) });
  changed.sort((x, y) => x.changed - y.changed);
  const delta = { cells: [] as CellDelta[], registers: [] as unknown[], statuses: [] as unknown[] };
  for (const c of changed) c.add(delta);
  // Counters by item, position, then lot (ids are never empty: no lot sorts first).
  const text = (c: CellDelta) => [c.item, c.position, c.lot ?? ""];
  delta.cells.sort((x, y) => {
    const [a, b] = [text(x), text(y)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return 0;
  });
  return { from: after, to: state.version, delta: delta as StateDelta, complete: true };
};
