/**
 * Last-writer-wins registers keyed by hybrid logical clock, grouped in maps by table — the
 * master data of a replica (items, prices, policies). The entry with the later timestamp wins;
 * timestamps are totally ordered (node id breaks ties), so the join is commutative,
 * associative and idempotent. A `null` value is a deletion (a tombstone that still wins by time).
 *
 * @module
 */
import { type Hlc, compareHlc } from "../clock/hlc.js";

/** A JSON value (what a register holds). */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue };

/** One register: a table, a key, the value and the timestamp of the write. */
export interface LwwEntry {
  /** The table, e.g. `items`, `prices`, `policies`. */
  readonly table: string;
  readonly key: string;
  /** The value; `null` deletes. */
  readonly value: JsonValue;
  /** When it was written, and by whom (`hlc.node`). */
  readonly hlc: Hlc;
}

/** The key of a register within a replica's state. */
export const lwwKeyOf = (table: string, key: string): string => table + "\u001f" + key;

/** Joins two writes of the same register: the later one wins. */
export const joinLww = (a: LwwEntry, b: LwwEntry): LwwEntry => (compareHlc(a.hlc, b.hlc) >= 0 ? a : b);
