/**
 * The binary frame codec. Layout (all integers are LEB128 varints unless noted):
 *
 * ```
 * magic 0xA7 ‘J’ (2 bytes) · protocol version (1 byte)
 * string table: count · per string (sorted, front-coded): shared-prefix length · suffix byte length · UTF-8 suffix
 * header: sender · to (string indexes) · epoch · seq (u64) · hlc wall · hlc logical · hlc node · scale (1 byte) · message count
 * messages: kind (1 byte) · fields
 * ```
 *
 * Every string (ids, items, positions, JSON texts) is written once per frame in the table and
 * referenced by index. The counters of a delta are written in the order of their item,
 * position and lot (their strings' order in the table), whatever their order in the message:
 * the order carries no meaning, and sorted counters cost two or three bytes each. A quantity is `units / 10^t` with up to three trailing decimal zeros
 * folded into two low bits, so whole numbers at scale 3 cost one byte up to 31. A counter in a
 * delta is a flags byte (lot, position change, the shape of its rows, the item's index as a
 * difference from the previous counter's) and its quantities: two or three bytes for a counter
 * of the sender's own rows when counters are sorted by item (as replicas send them). Other rows
 * are `replica index × 3 + kind` (inc, dec, xfer) and the quantity.
 *
 * Decoding never throws: bytes that are not a frame give {@link MalformedFrame}, a decoded
 * frame that breaks the message schemas gives {@link InvalidFrame}.
 *
 * @module
 */
import { Data, Result } from "effect";
import type { CellDelta } from "../crdt/escrow.js";
import { PackedCells, ROW_DEC, ROW_INC, ROW_XFER } from "../crdt/packed-cells.js";
import type { LwwEntry } from "../crdt/lww.js";
import type { DocumentStatus, StatusEntry } from "../crdt/status.js";
import { type DeltaMessage, type Frame, FrameSchema, type Message, PROTOCOL_VERSION, WireFrameSchema } from "./messages.js";

/** Bytes that cannot be decoded as a frame (truncated, bad magic, bad varint, bad UTF-8, index out of range…). */
export class MalformedFrame extends Data.TaggedError("MalformedFrame")<{
  /** Byte offset where decoding stopped. */
  readonly offset: number;
  /** What was wrong. */
  readonly reason: string;
  readonly message: string;
}> {}

/** A decoded frame whose content breaks the message schemas (or a frame to encode that does). */
export class InvalidFrame extends Data.TaggedError("InvalidFrame")<{
  /** Each problem, with the path of the field. */
  readonly issues: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  readonly message: string;
}> {}

const MAGIC0 = 0xa7;
const MAGIC1 = 0x4a;
const KINDS = ["hello", "summary", "delta", "ack", "rights-request", "rights-grant", "op-request", "decision"] as const;
const STATUSES: readonly DocumentStatus[] = ["draft", "pending", "approved", "rejected", "posted", "cancelled"];
const encoder = new TextEncoder();

/**
 * A growable byte buffer frames are encoded into. A replica keeps one and encodes every frame
 * into it ({@link encodeFrameUnchecked}): the buffer is allocated once and only the finished
 * frame's bytes are copied out.
 */
export class FrameBuffer {
  /** The bytes (the first {@link FrameBuffer.len} are written). */
  buf = new Uint8Array(256);
  /** The number of bytes written. */
  len = 0;
  /** Starts over: nothing written. */
  reset(): void {
    this.len = 0;
  }
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  /** Writes one byte. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Writes a non-negative safe integer as a LEB128 varint. */
  uint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }
  /** Writes a non-negative bigint as a LEB128 varint. */
  big(n: bigint): void {
    this.ensure(10);
    while (n >= 0x80n) {
      this.buf[this.len++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.len++] = Number(n);
  }
  /** Writes bytes as they are. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  /** The characters of an ASCII text from `start` on, one byte each. */
  ascii(text: string, start: number): void {
    const n = text.length;
    this.ensure(n - start);
    const buf = this.buf;
    let len = this.len;
    for (let i = start; i < n; i++) buf[len++] = text.charCodeAt(i);
    this.len = len;
  }
    /** Writes a quantity in units: trailing decimal zeros (up to 3) folded into the two low bits. */
  qty(units: number): void {
    let q = units;
    let t = 0;
    while (t < 3 && q !== 0 && q % 10 === 0) {
      q /= 10;
      t++;
    }
    if (q <= (Number.MAX_SAFE_INTEGER - 3) / 4) this.uint(q * 4 + t);
    else this.big(BigInt(q) * 4n + BigInt(t));
  }
}

class Fail {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes as text: ASCII directly (TextDecoder's per-call cost dominates short ids), the rest strictly decoded. */
const utf8Text = (bytes: Uint8Array): string => {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  if (!ascii || bytes.length > 4096) return decoder.decode(bytes);
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
};

/** Text as UTF-8 bytes: ASCII directly, the rest through TextEncoder. */
const utf8Bytes = (text: string): Uint8Array => {
  const n = text.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(text);
    out[i] = c;
  }
  return out;
};

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  byte(): number {
    if (this.pos >= this.buf.length) throw new Fail(this.pos, "truncated");
    return this.buf[this.pos++]!;
  }
  uint(): number {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if (n > Number.MAX_SAFE_INTEGER) throw new Fail(this.pos, "integer too large");
      if (b < 0x80) return n;
      mul *= 0x80;
    }
    throw new Fail(this.pos, "varint too long");
  }
  big(): bigint {
    let n = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      n |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (n >= 2n ** 64n) throw new Fail(this.pos, "sequence beyond 64 bits");
        return n;
      }
      shift += 7n;
    }
    throw new Fail(this.pos, "varint too long");
  }
  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) throw new Fail(this.pos, "truncated");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  qty(): number {
    const start = this.pos;
    let raw: number;
    try {
      raw = this.uint();
    } catch {
      this.pos = start;
      const big = this.big();
      const q = big >> 2n;
      const v = q * 10n ** (big & 3n);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Fail(start, "quantity too large");
      return Number(v);
    }
    const t = raw % 4;
    const v = Math.floor(raw / 4) * [1, 10, 100, 1000][t]!;
    if (v > Number.MAX_SAFE_INTEGER) throw new Fail(start, "quantity too large");
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/** A `delta` message whose counters are packed (a replica's own deltas, {@link PackedCells}): encoded as the same bytes as with its counters as {@link CellDelta}s. */
export type PackedDeltaMessage = Omit<DeltaMessage, "cells" | "registers" | "statuses"> & {
  readonly cells: PackedCells;
  readonly registers: ReadonlyArray<LwwEntry>;
  readonly statuses: ReadonlyArray<StatusEntry>;
};

/** A frame to encode: a {@link Frame} whose deltas may carry packed counters ({@link PackedDeltaMessage}). */
export type FrameToEncode = Omit<Frame, "messages"> & { readonly messages: ReadonlyArray<Message | PackedDeltaMessage> };

/** Adds the strings of packed counters to `set`: items (if `withItems`), positions, lots, and the replicas of their rows. */
const addPackedStrings = (set: Set<string>, packed: PackedCells, withItems: boolean): void => {
  const names = packed.store.ids.names;
  let position: string | undefined;
  for (let k = 0; k < packed.count; k++) {
    if (withItems) set.add(packed.item(k));
    const p = packed.position(k);
    if (p !== position) set.add((position = p));
    const lot = packed.lot(k);
    if (lot !== undefined) set.add(lot);
  }
  // Repeated owners (the sender's rows) skip the set.
  let owner = -1;
  for (let i = 0; i < packed.rows; i++) {
    if (packed.owner(i) !== owner) set.add(names[(owner = packed.owner(i))]!);
    if (packed.kind(i) === ROW_XFER) set.add(names[packed.receiver(i)]!);
  }
};

/** Every string of a frame, sorted, once each; without the items of counters when `withItems` is false. */
const collectStrings = (frame: FrameToEncode, withItems = true): string[] => {
  const set = new Set<string>([frame.sender, frame.to, frame.hlc.node]);
  for (const m of frame.messages) {
    switch (m.kind) {
      case "summary":
        set.add(m.digest);
        break;
      case "delta":
        {
          // Repeated strings (one position, the sender's rows) skip the set.
          let position: string | undefined;
          let last = frame.sender;
          const add = (text: string) => {
            if (text !== last) set.add((last = text));
          };
          if (m.cells instanceof PackedCells) addPackedStrings(set, m.cells, withItems);
          else
            for (const c of m.cells) {
              if (withItems) set.add(c.item);
              if (c.position !== position) set.add((position = c.position));
              if (c.lot !== undefined) set.add(c.lot);
              for (let i = 0; i < c.inc.length; i++) add(c.inc[i]![0]);
              for (let i = 0; i < c.dec.length; i++) add(c.dec[i]![0]);
              for (let i = 0; i < c.xfer.length; i++) {
                add(c.xfer[i]![0]);
                add(c.xfer[i]![1]);
              }
            }
        }
        for (const r of m.registers) {
          set.add(r.table);
          set.add(r.key);
          set.add(JSON.stringify(r.value));
          set.add(r.hlc.node);
        }
        for (const s of m.statuses) {
          set.add(s.doc);
          set.add(s.by);
        }
        break;
      case "rights-request":
      case "rights-grant":
        set.add(m.request);
        set.add(m.item);
        set.add(m.position);
        if (m.lot !== undefined) set.add(m.lot);
        break;
      case "op-request":
        set.add(m.op);
        set.add(m.operation);
        break;
      case "decision":
        set.add(m.op);
        if (m.reason !== undefined) set.add(m.reason);
        break;
      default:
        break;
    }
  }
  return [...set].sort();
};

/**
 * Encodes a frame. The frame is checked against {@link FrameSchema} first; a frame that breaks
 * it is an {@link InvalidFrame} (nothing is encoded).
 */
export const encodeFrame = (frame: Frame): Result.Result<Uint8Array, InvalidFrame> => {
  const checked = FrameSchema.safeParse(frame);
  if (!checked.success) return Result.fail(invalid(checked.error.issues));
  return Result.succeed(encodeFrameUnchecked(frame));
};

/** The string table of a frame: its strings sorted, each one's index, and the table index of each counter's item. */
interface StringTable {
  readonly strings: string[];
  readonly index: Map<string, number>;
  /** Per delta message, per counter, the index of its item (`undefined`: look the item up in `index`). */
  readonly items: ReadonlyArray<ReadonlyArray<number> | undefined>;
}

/** Whether the counters are in counter order: item, position, then lot (no lot first). */
const inCounterOrder = (cells: ReadonlyArray<CellDelta>): boolean => {
  for (let i = 1; i < cells.length; i++) {
    const a = cells[i - 1]!;
    const b = cells[i]!;
    if (a.item !== b.item) {
      if (a.item > b.item) return false;
    } else if (a.position !== b.position) {
      if (a.position > b.position) return false;
    } else if (a.lot !== b.lot && (b.lot === undefined || (a.lot !== undefined && a.lot > b.lot))) return false;
  }
  return true;
};

/** Whether packed counters are in counter order, as {@link inCounterOrder} (the order `SyncState.packedDeltaSince` gives). */
const packedInCounterOrder = (packed: PackedCells): boolean => {
  for (let k = 1; k < packed.count; k++) {
    const a = packed.item(k - 1);
    const b = packed.item(k);
    if (a !== b) {
      if (a > b) return false;
      continue;
    }
    const pa = packed.position(k - 1);
    const pb = packed.position(k);
    if (pa !== pb) {
      if (pa > pb) return false;
      continue;
    }
    const la = packed.lot(k - 1);
    const lb = packed.lot(k);
    if (la !== lb && (lb === undefined || (la !== undefined && la > lb))) return false;
  }
  return true;
};

/**
 * The string table of a frame. Counters in counter order (as replicas send them) take the fast
 * way: their items arrive sorted, so only the other strings (sender, positions, replicas…,
 * few) go through a set and a sort, and are merged with the items; otherwise every string does.
 */
const stringTable = (frame: FrameToEncode): StringTable => {
  const deltas = frame.messages.filter((m) => m.kind === "delta");
  const delta = deltas.length === 1 ? deltas[0]! : undefined;
  const cells = delta?.cells;
  const count = cells === undefined ? 0 : cells instanceof PackedCells ? cells.count : cells.length;
  if (cells === undefined || (cells instanceof PackedCells ? !packedInCounterOrder(cells) : !inCounterOrder(cells))) {
    const strings = collectStrings(frame);
    const index = new Map<string, number>();
    for (let i = 0; i < strings.length; i++) index.set(strings[i]!, i);
    return { strings, index, items: [] };
  }
  const others = collectStrings(frame, false);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const items: number[] = [];
  let j = 0;
  let previous: string | undefined;
  for (let c = 0; c < count; c++) {
    const item = cells instanceof PackedCells ? cells.item(c) : cells[c]!.item;
    if (item === previous) {
      items.push(items[c - 1]!);
      continue;
    }
    previous = item;
    while (j < others.length && others[j]! < item) {
      index.set(others[j]!, strings.length);
      strings.push(others[j++]!);
    }
    if (j < others.length && others[j] === item) {
      index.set(item, strings.length);
      j++;
    }
    items.push(strings.length);
    strings.push(item);
  }
  for (; j < others.length; j++) {
    index.set(others[j]!, strings.length);
    strings.push(others[j]!);
  }
  return { strings, index, items: frame.messages.map((m) => (m === delta ? items : undefined)) };
};

/** The frame with the packed counters of its deltas as {@link CellDelta}s. */
const unpacked = (frame: FrameToEncode): Frame => ({
  ...frame,
  messages: frame.messages.map((m) => (m.kind === "delta" && m.cells instanceof PackedCells ? ({ ...m, cells: m.cells.cells() } as Message) : (m as Message))),
});

/**
 * Encodes a frame known to be valid (built by a replica); see {@link encodeFrame}. Into `buffer`
 * when given (reused from frame to frame: only the frame's bytes are allocated).
 */
export const encodeFrameUnchecked = (frame: FrameToEncode, buffer: FrameBuffer = new FrameBuffer()): Uint8Array => {
  const w = buffer;
  w.reset();
  w.byte(MAGIC0);
  w.byte(MAGIC1);
  w.byte(PROTOCOL_VERSION);
  const table = stringTable(frame);
  // Packed counters out of order (never from a state) are written as counter objects, sorted.
  if (table.items.length === 0 && frame.messages.some((m) => m.kind === "delta" && m.cells instanceof PackedCells)) return encodeFrameUnchecked(unpacked(frame), buffer);
  const { strings, index, items } = table;
  w.uint(strings.length);
  let prev = "";
  let prevAscii = true;
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i]!;
    const ascii = isAscii(text);
    if (ascii && prevAscii) {
      // One byte per character: the shared prefix is counted on the text.
      let shared = 0;
      const limit = Math.min(prev.length, text.length);
      while (shared < limit && prev.charCodeAt(shared) === text.charCodeAt(shared)) shared++;
      w.uint(shared);
      w.uint(text.length - shared);
      w.ascii(text, shared);
    } else {
      const bytes = utf8Bytes(text);
      const before = utf8Bytes(prev);
      let shared = 0;
      const limit = Math.min(before.length, bytes.length);
      while (shared < limit && before[shared] === bytes[shared]) shared++;
      w.uint(shared);
      w.uint(bytes.length - shared);
      w.bytes(bytes.subarray(shared));
    }
    prev = text;
    prevAscii = ascii;
  }
  const s = (text: string) => w.uint(index.get(text)!);
  const opt = (text: string | undefined) => w.uint(text === undefined ? 0 : index.get(text)! + 1);
  s(frame.sender);
  s(frame.to);
  w.uint(frame.epoch);
  w.big(frame.seq);
  w.uint(frame.hlc.wall);
  w.uint(frame.hlc.logical);
  s(frame.hlc.node);
  w.byte(frame.scale);
  w.uint(frame.messages.length);
  for (let mi = 0; mi < frame.messages.length; mi++) {
    const m = frame.messages[mi]!;
    w.byte(KINDS.indexOf(m.kind));
    switch (m.kind) {
      case "hello":
        w.byte(m.role === "center" ? 0 : 1);
        w.uint(m.version);
        break;
      case "summary":
        w.uint(m.acked);
        w.uint(m.version);
        s(m.digest);
        break;
      case "delta":
        w.uint(m.from);
        w.uint(m.to);
        w.byte(m.complete ? 1 : 0);
        w.uint(m.cells instanceof PackedCells ? m.cells.count : m.cells.length);
        {
          const cur: CellCursor = { item: 0, position: -1 };
          const sorted = items[mi];
          const cells = m.cells;
          if (cells instanceof PackedCells) writePackedCells(w, index, cells, sorted!, frame.sender, cur);
          else if (sorted !== undefined) for (let c = 0; c < cells.length; c++) writeCell(w, index, cells[c]!, sorted[c]!, frame.sender, cur);
          else for (const c of inTableOrder(cells, index)) writeCell(w, index, c, index.get(c.item)!, frame.sender, cur);
        }
        w.uint(m.registers.length);
        for (const r of m.registers) {
          s(r.table);
          s(r.key);
          s(JSON.stringify(r.value));
          w.uint(r.hlc.wall);
          w.uint(r.hlc.logical);
          s(r.hlc.node);
        }
        w.uint(m.statuses.length);
        for (const st of m.statuses) {
          s(st.doc);
          w.byte(STATUSES.indexOf(st.status));
          s(st.by);
        }
        break;
      case "ack":
        w.uint(m.upTo);
        break;
      case "rights-request":
      case "rights-grant":
        s(m.request);
        s(m.item);
        s(m.position);
        opt(m.lot);
        w.qty(m.units);
        break;
      case "op-request":
        s(m.op);
        s(m.operation);
        w.byte(m.reason === "policy" ? 0 : 1);
        break;
      case "decision":
        s(m.op);
        w.byte(m.decision === "approved" ? 0 : 1);
        opt(m.reason);
        break;
    }
  }
  return w.buf.slice(0, w.len);
};

/** Whether a text is ASCII (one UTF-8 byte per character). */
const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
};

/**
 * The counters of a delta ordered by the table indexes of their item, then position, then lot
 * (the strings' order): a bucket per item index, so O(counters + strings) — no comparison sort.
 * Counters already in that order come back as they are.
 */
const inTableOrder = (cells: ReadonlyArray<CellDelta>, index: Map<string, number>): ReadonlyArray<CellDelta> => {
  const n = cells.length;
  if (n < 2) return cells;
  const items = new Int32Array(n);
  let sorted = true;
  let top = 0;
  for (let i = 0; i < n; i++) {
    const k = index.get(cells[i]!.item)!;
    items[i] = k;
    if (k > top) top = k;
    if (i > 0 && compareCells(cells[i - 1]!, cells[i]!, items[i - 1]!, k, index) > 0) sorted = false;
  }
  if (sorted) return cells;
  // Counting sort by item index (stable), then the rare counters sharing an item by position and lot.
  const starts = new Int32Array(top + 2);
  for (let i = 0; i < n; i++) starts[items[i]! + 1] = starts[items[i]! + 1]! + 1;
  for (let k = 1; k < starts.length; k++) starts[k] = starts[k]! + starts[k - 1]!;
  const out = new Array<CellDelta>(n);
  const outItems = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = starts[items[i]!]!;
    starts[items[i]!] = at + 1;
    out[at] = cells[i]!;
    outItems[at] = items[i]!;
  }
  for (let i = 1; i < n; i++) {
    // Insertion within a run of one item (runs are short: one counter per position and lot).
    const c = out[i]!;
    const k = outItems[i]!;
    let j = i - 1;
    while (j >= 0 && outItems[j] === k && compareCells(out[j]!, c, k, k, index) > 0) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = c;
  }
  return out;
};

/** Orders two counters whose item indexes are `ia` and `ib`: by item, position, then lot (no lot first). */
const compareCells = (a: CellDelta, b: CellDelta, ia: number, ib: number, index: Map<string, number>): number => {
  if (ia !== ib) return ia - ib;
  if (a.position !== b.position) return index.get(a.position)! - index.get(b.position)!;
  if (a.lot === b.lot) return 0;
  if (a.lot === undefined) return -1;
  if (b.lot === undefined) return 1;
  return index.get(a.lot)! - index.get(b.lot)!;
};

/** Cursor of the compact cell encoding: the previous cell's item and position indexes. */
interface CellCursor {
  item: number;
  position: number;
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/**
 * A counter of a delta. One flags byte: bit 0 lot present; bit 1 position differs from the
 * previous counter's; bits 2–3 the rows' shape (0: one `dec` row of the sender, 1: one `inc`
 * row of the sender, 2: `inc` and `dec` rows of the sender, 3: any rows, counted and tagged);
 * bits 4–7 the zigzag difference of the item's string index from the previous counter's (15:
 * a varint follows). Counters sorted by item cost two or three bytes each.
 */
const writeCell = (w: FrameBuffer, index: Map<string, number>, c: CellDelta, item: number, sender: string, cur: CellCursor): void => {
  const position = index.get(c.position)!;
  let shape = 3;
  if (c.xfer.length === 0) {
    if (c.inc.length === 0 && c.dec.length === 1 && c.dec[0]![0] === sender) shape = 0;
    else if (c.dec.length === 0 && c.inc.length === 1 && c.inc[0]![0] === sender) shape = 1;
    else if (c.inc.length === 1 && c.dec.length === 1 && c.inc[0]![0] === sender && c.dec[0]![0] === sender) shape = 2;
  }
  const gap = zigzag(item - cur.item);
  w.byte((c.lot !== undefined ? 1 : 0) | (position !== cur.position ? 2 : 0) | (shape << 2) | (Math.min(gap, 15) << 4));
  if (gap >= 15) w.uint(gap - 15);
  if (position !== cur.position) w.uint(position);
  if (c.lot !== undefined) w.uint(index.get(c.lot)!);
  cur.item = item;
  cur.position = position;
  if (shape === 0) w.qty(c.dec[0]![1]);
  else if (shape === 1) w.qty(c.inc[0]![1]);
  else if (shape === 2) {
    w.qty(c.inc[0]![1]);
    w.qty(c.dec[0]![1]);
  } else {
    w.uint(c.inc.length + c.dec.length + c.xfer.length);
    for (const [r, v] of c.inc) {
      w.uint(index.get(r)! * 3);
      w.qty(v);
    }
    for (const [r, v] of c.dec) {
      w.uint(index.get(r)! * 3 + 1);
      w.qty(v);
    }
    for (const [g, r, v] of c.xfer) {
      w.uint(index.get(g)! * 3 + 2);
      w.uint(index.get(r)!);
      w.qty(v);
    }
  }
};

/**
 * The packed counters of a delta, in their order (counter order: `items` holds each one's item
 * index in the table), written as {@link writeCell} writes the same counters as {@link CellDelta}s:
 * the same bytes, read from the typed arrays.
 */
const writePackedCells = (w: FrameBuffer, index: Map<string, number>, packed: PackedCells, items: ReadonlyArray<number>, sender: string, cur: CellCursor): void => {
  const names = packed.store.ids.names;
  const senderNumber = names.indexOf(sender);
  let positionText: string | undefined;
  let position = -1;
  for (let k = 0; k < packed.count; k++) {
    const p = packed.position(k);
    if (p !== positionText) position = index.get((positionText = p))!;
    const lot = packed.lot(k);
    const start = packed.rowStart(k);
    const end = packed.rowEnd(k);
    // The rows' shape: 0 one `dec` of the sender, 1 one `inc` of the sender, 2 `inc` and `dec` of the sender, 3 any (counted and tagged).
    let shape = 3;
    if (end - start === 1 && packed.owner(start) === senderNumber) shape = packed.kind(start) === ROW_DEC ? 0 : packed.kind(start) === ROW_INC ? 1 : 3;
    else if (end - start === 2 && packed.owner(start) === senderNumber && packed.owner(start + 1) === senderNumber && packed.kind(start) === ROW_INC && packed.kind(start + 1) === ROW_DEC) shape = 2;
    const gap = zigzag(items[k]! - cur.item);
    w.byte((lot !== undefined ? 1 : 0) | (position !== cur.position ? 2 : 0) | (shape << 2) | (Math.min(gap, 15) << 4));
    if (gap >= 15) w.uint(gap - 15);
    if (position !== cur.position) w.uint(position);
    if (lot !== undefined) w.uint(index.get(lot)!);
    cur.item = items[k]!;
    cur.position = position;
    // Every shape writes its totals in one loop; only shape 3 counts and tags its rows.
    if (shape === 3) w.uint(end - start);
    for (let i = start; i < end; i++) {
      if (shape === 3) {
        const kind = packed.kind(i);
        w.uint(index.get(names[packed.owner(i)]!)! * 3 + (kind === ROW_INC ? 0 : kind === ROW_DEC ? 1 : 2));
        if (kind === ROW_XFER) w.uint(index.get(names[packed.receiver(i)]!)!);
      }
      w.qty(packed.total(i));
    }
  }
};

const invalid = (issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): InvalidFrame => {
  const list = issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  return new InvalidFrame({ issues: list, message: `invalid frame: ${list.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}` });
};

/**
 * Decodes a frame. Never throws: bytes that are not a frame are a {@link MalformedFrame}
 * (with the offset), content that breaks the schemas an {@link InvalidFrame}.
 */
export const decodeFrame = (bytes: Uint8Array): Result.Result<Frame, MalformedFrame | InvalidFrame> => {
  let frame: unknown;
  const r = new Reader(bytes instanceof Uint8Array ? bytes : new Uint8Array(0));
  try {
    frame = readFrame(r);
  } catch (e) {
    const f = e instanceof Fail ? e : new Fail(r.pos, e instanceof Error ? e.message : "undecodable");
    return Result.fail(new MalformedFrame({ offset: f.offset, reason: f.reason, message: `malformed frame at byte ${f.offset}: ${f.reason}` }));
  }
  const checked = WireFrameSchema.safeParse(frame);
  if (!checked.success) return Result.fail(invalid(checked.error.issues));
  return Result.succeed(checked.data as Frame);
};

const readFrame = (r: Reader): unknown => {
  if (r.byte() !== MAGIC0 || r.byte() !== MAGIC1) throw new Fail(0, "not a jxc sync frame (bad magic)");
  const version = r.byte();
  if (version !== PROTOCOL_VERSION) throw new Fail(2, `unsupported protocol version ${version}`);
  const count = r.uint();
  if (count > 1_000_000) throw new Fail(r.pos, "string table too large");
  const strings: string[] = [];
  let prev = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const shared = r.uint();
    const n = r.uint();
    if (shared > prev.length) throw new Fail(r.pos, "string prefix longer than the previous string");
    const suffix = r.bytes(n);
    const full = new Uint8Array(shared + n);
    full.set(prev.subarray(0, shared));
    full.set(suffix, shared);
    strings.push(utf8Text(full));
    prev = full;
  }
  const s = (): string => {
    const at = r.pos;
    const i = r.uint();
    if (i >= strings.length) throw new Fail(at, `string index ${i} out of range`);
    return strings[i]!;
  };
  const opt = (): string | undefined => {
    const at = r.pos;
    const i = r.uint();
    if (i === 0) return undefined;
    if (i > strings.length) throw new Fail(at, `string index ${i - 1} out of range`);
    return strings[i - 1]!;
  };
  const sender = s();
  const to = s();
  const epoch = r.uint();
  const seq = r.big();
  const hlc = { wall: r.uint(), logical: r.uint(), node: s() };
  const scale = r.byte();
  const n = r.uint();
  const messages: Message[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const kind = KINDS[r.byte()];
    switch (kind) {
      case "hello": {
        const role = r.byte();
        if (role > 1) throw new Fail(r.pos - 1, "bad role");
        messages.push({ kind, role: role === 0 ? "center" : "edge", version: r.uint() });
        break;
      }
      case "summary":
        messages.push({ kind, acked: r.uint(), version: r.uint(), digest: s() });
        break;
      case "delta": {
        const from = r.uint();
        const toV = r.uint();
        const complete = r.byte();
        if (complete > 1) throw new Fail(r.pos - 1, "bad flag");
        const cells: CellDelta[] = [];
        const nc = r.uint();
        let curItem = 0;
        let curPosition = -1;
        for (let c = 0; c < nc; c++) {
          const at1 = r.pos;
          const flags = r.byte();
          let gap = flags >> 4;
          if (gap === 15) gap += r.uint();
          curItem += unzigzag(gap);
          if (flags & 2) curPosition = r.uint();
          if (curItem < 0 || curItem >= strings.length || curPosition < 0 || curPosition >= strings.length) throw new Fail(at1, "counter names a string out of range");
          const item = strings[curItem]!;
          const position = strings[curPosition]!;
          const lot = flags & 1 ? s() : undefined;
          const inc: [string, number][] = [];
          const dec: [string, number][] = [];
          const xfer: [string, string, number][] = [];
          const shape = (flags >> 2) & 3;
          if (shape === 0) dec.push([sender, r.qty()]);
          else if (shape === 1) inc.push([sender, r.qty()]);
          else if (shape === 2) {
            inc.push([sender, r.qty()]);
            dec.push([sender, r.qty()]);
          } else {
            const rows = r.uint();
            for (let k = 0; k < rows; k++) {
              const at2 = r.pos;
              const tagged = r.uint();
              const idx = Math.floor(tagged / 3);
              if (idx >= strings.length) throw new Fail(at2, `string index ${idx} out of range`);
              const who = strings[idx]!;
              const tag = tagged % 3;
              if (tag === 0) inc.push([who, r.qty()]);
              else if (tag === 1) dec.push([who, r.qty()]);
              else xfer.push([who, s(), r.qty()]);
            }
          }
          cells.push(lot === undefined ? { item, position, inc, dec, xfer } : { item, position, lot, inc, dec, xfer });
        }
        const registers = [];
        const nr = r.uint();
        for (let k = 0; k < nr; k++) {
          const table = s();
          const key = s();
          const text = s();
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            throw new Fail(r.pos, "register value is not JSON");
          }
          registers.push({ table, key, value, hlc: { wall: r.uint(), logical: r.uint(), node: s() } });
        }
        const statuses = [];
        const ns = r.uint();
        for (let k = 0; k < ns; k++) {
          const doc = s();
          const st = STATUSES[r.byte()];
          if (st === undefined) throw new Fail(r.pos - 1, "bad status");
          statuses.push({ doc, status: st, by: s() });
        }
        messages.push({ kind, from, to: toV, complete: complete === 1, cells, registers, statuses } as Message);
        break;
      }
      case "ack":
        messages.push({ kind, upTo: r.uint() });
        break;
      case "rights-request":
      case "rights-grant": {
        const request = s();
        const item = s();
        const position = s();
        const lot = opt();
        const units = r.qty();
        messages.push(lot === undefined ? { kind, request, item, position, units } : { kind, request, item, position, lot, units });
        break;
      }
      case "op-request": {
        const op = s();
        const operation = s();
        const reason = r.byte();
        if (reason > 1) throw new Fail(r.pos - 1, "bad reason");
        messages.push({ kind, op, operation, reason: reason === 0 ? "policy" : "rights" });
        break;
      }
      case "decision": {
        const op = s();
        const d = r.byte();
        if (d > 1) throw new Fail(r.pos - 1, "bad decision");
        const reason = opt();
        messages.push(reason === undefined ? { kind, op, decision: d === 0 ? "approved" : "rejected" } : { kind, op, decision: d === 0 ? "approved" : "rejected", reason });
        break;
      }
      default:
        throw new Fail(at, "unknown message kind");
    }
  }
  if (!r.done) throw new Fail(r.pos, "trailing bytes after the last message");
  return { version, sender, to, epoch, seq, hlc, scale, messages };
};
