import { Result } from "effect";
import { z } from "zod";
import { type Dec, ZERO } from "./decimal.js";
import { type StockDocument, type StockDocumentInput, StockDocumentSchema, InstantString } from "./document.js";
import {
  DuplicateDocument,
  InsufficientStock,
  type InvalidInput,
  type LedgerError,
  PeriodClosed,
  RuleViolation,
  UnknownReference,
  ValuationError,
} from "./errors.js";
import { type Item, type ItemInput, ItemSchema, type ValuationMethod } from "./item.js";
import { type Lot, type LotQuantity, expiryFromShelfLife } from "./lot.js";
import { type CostChange, type LayerSlice, type MoveCostSource, type MoveDirection, type MoveValuation, type StockMove, type ValuedMove, stockValueEffect } from "./move.js";
import { PeriodCalendar, PeriodSchema } from "./period.js";
import {
  type Checkpoint,
  type Position,
  checkpointAtOrBefore,
  compareEntries,
  indexOfEntry,
  positionKey,
  upperBound,
} from "./position.js";
import { readPlainDocument } from "./document-fast.js";
import { documentToMoves, moveIdOf, type PostingLookup } from "./posting.js";
import { type LedgerSettings, type LedgerSettingsInput, LedgerSettingsSchema } from "./settings.js";
import { stableStringify, toWire } from "./stable-json.js";
import { parseInput } from "./validation.js";
import { applyEntry } from "./valuation/apply.js";
import { NEEDS_DECIMAL, applyFixed } from "./valuation/apply-fixed.js";
import { type BookedValuation, Entry, type EntryValuation, type PostingStamp, costOf, type ValuationContext, type ValuationFailure } from "./valuation/context.js";
import { FixedState, cloneAnyState, initialState, toDecimalState } from "./valuation/fixed-state.js";
import { type Layer, type PositionState, bookQty, bookValue } from "./valuation/state.js";
import { ValuationStep, valueEntry } from "./valuation/step.js";
import { type Warehouse, type WarehouseInput, WarehouseSchema } from "./warehouse.js";

/** Master data and settings a ledger starts with. */
export const LedgerConfigSchema = z.object({
  settings: LedgerSettingsSchema.default(LedgerSettingsSchema.parse({})),
  items: z.array(ItemSchema).default([]),
  warehouses: z.array(WarehouseSchema).default([]),
});
/** Ledger configuration as written (decimals as strings). */
export interface LedgerConfigInput {
  readonly settings?: LedgerSettingsInput;
  readonly items?: ReadonlyArray<ItemInput>;
  readonly warehouses?: ReadonlyArray<WarehouseInput>;
}

/** Options of an operation that changes the ledger. */
export interface OperationOptions {
  /**
   * The current instant (ISO-8601 with offset): the date of the adjustment moves of the
   * `immutable` back-dating policy. Defaults to the latest business time in the ledger, or the
   * start of the first open period if that is later.
   */
  readonly now?: string;
}

/** A zero-quantity adjustment posted under the `immutable` back-dating policy: the change of a move's cost, booked now. */
export interface BookedAdjustment {
  readonly id: string;
  /** The move whose cost changed. */
  readonly move: string;
  readonly document: string;
  readonly businessId: string;
  readonly position: string;
  /** When the adjustment is booked (in the current open period). */
  readonly at: string;
  /** Change of the move's cost since it was last booked (new − booked). */
  readonly costChange: Dec;
  /** Change of the position's stock value; `costChange` less this goes to cost of sales (for an outbound move it is −costChange). */
  readonly stockValueChange: Dec;
}

/** What posting (or cancelling, or closing a period) did: the posting event the ledger package derives vouchers from. */
export interface PostingResult {
  /** The document posted or cancelled; empty for a period close. */
  readonly document: string;
  readonly businessId: string;
  readonly action: "post" | "cancel" | "close-period";
  /** The document's own moves, valued (none for a cancel or close). */
  readonly moves: ReadonlyArray<ValuedMove>;
  /** Every earlier move whose cost changed (old → new), whatever the back-dating policy. */
  readonly costChanges: ReadonlyArray<CostChange>;
  /** `immutable` policy: the adjustments booked for those changes. */
  readonly adjustments: ReadonlyArray<BookedAdjustment>;
}

/** Quantity and value of a position (or a sum of positions). */
export interface Balance {
  readonly qty: Dec;
  readonly value: Dec;
}

/** A position's balance with its address (the parts the grain keeps). */
export interface PositionBalance extends Balance {
  readonly position: string;
  readonly item: string;
  readonly company: string;
  /** Absent under the `company` grain. */
  readonly warehouse?: string | undefined;
  /** Present under the `location` grain. */
  readonly location?: string | undefined;
  /** Present when lots are valued separately. */
  readonly lot?: string | undefined;
  readonly method: ValuationMethod;
}

/** Selects positions: an item, optionally narrowed by warehouse (or company), location and lot, at or above the grain. */
export const PositionFilterSchema = z.object({
  item: z.string().min(1),
  warehouse: z.string().min(1).optional(),
  company: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
  lot: z.string().min(1).optional(),
  /** Instant (ISO-8601 with offset); the end of the ledger when omitted. */
  asOf: InstantString.optional(),
});
/** A parsed {@link PositionFilterSchema}. */
export type PositionFilter = z.input<typeof PositionFilterSchema>;

interface PostedDocument {
  readonly document: StockDocument;
  readonly entries: Entry[];
}

type Undo = () => void;

/** A line of a purchase receipt, sales outbound or transfer, as {@link StockLedger.postsAsPlainLines} reads it. */
interface PlainLineShape {
  readonly item: string;
  readonly qty: Dec;
  readonly unit?: string | undefined;
  readonly unitCost?: Dec | undefined;
  readonly warehouse?: string | undefined;
  readonly location?: string | undefined;
  readonly lot?: string | undefined;
  readonly serials?: ReadonlyArray<string> | undefined;
  readonly from?: { readonly warehouse: string; readonly location?: string | undefined };
  readonly to?: { readonly warehouse: string; readonly location?: string | undefined };
}

/** What the ledger keeps of an item: the item, its input as given, and its positions. */
interface ItemRecord {
  item: Item;
  input: ItemInput;
  /** Neither lot- nor serial-tracked (read by the plain-line check without touching the item). */
  untracked: boolean;
  /** The item's base unit. */
  baseUnit: string;
  /** Its positions, in order of creation. */
  readonly positions: Position[];
  /** Under the warehouse grain without lots: its positions by warehouse number (`warehouseNumbers`). */
  readonly byWarehouse: (Position | undefined)[];
}

/** What a re-valuation changed: the cost changes to report, and every pre-existing entry whose valuation changed. */
interface Revaluation {
  readonly costChanges: CostChange[];
  readonly changed: Entry[];
}

/**
 * The stock ledger (库存台账) of one tenant: an append-only list of stock moves per position,
 * ordered by business time with arrival order as the tie-break, valued by each item's method.
 *
 * Every operation is atomic: it either succeeds completely or returns its error and leaves the
 * ledger as it was. A backdated document is inserted at its business time; only the positions it
 * touches (and those its transfers and returns lead to) are re-valued, from the insertion point
 * on, starting from the nearest checkpoint — synchronously, in the same call.
 */
export class StockLedger {
  /** Every item of the master data with what the ledger keeps of it (one map read finds a line's item and its positions). */
  private readonly items = new Map<string, ItemRecord>();
  private readonly warehouses = new Map<string, Warehouse>();
  private readonly positions = new Map<string, Position>();
  /** The number of each warehouse, in order of first appearance (never reused). */
  private readonly warehouseNumbers = new Map<string, number>();
  /** The entries of each document in the ledger, in their order (a move is found by its document). */
  private readonly entriesByDocument = new Map<string, Entry[]>();
  private moveCount = 0;
  /** The entries of the moves that reference a move (returns, cost adjustments), by the id they reference; transfer-ins are found by `dependentsOf`. */
  private readonly dependents = new Map<string, Entry[]>();
  /** The valuation context shared by the positions of each method whose items have no standard cost. */
  private readonly methodContexts = new Map<ValuationMethod, ValuationContext>();
  /** The shared empty checkpoint per valuation method (see `emptyCheckpoint`). */
  private readonly emptyCheckpoints = new Map<ValuationMethod, Checkpoint>();
  /** Immutable back-dating policy: per move, the valuation as first posted and its effect and cost as booked since. */
  private readonly bookings = new Map<Entry, BookedValuation>();
  private readonly documents = new Map<string, PostedDocument>();
  private readonly byBusinessId = new Map<string, string[]>();
  private readonly lots = new Map<string, Lot>();
  private readonly serials = new Map<string, string>();
  private readonly adjustments: BookedAdjustment[] = [];
  private readonly calendar: PeriodCalendar;
  private closedThrough: string | undefined;
  private seq = 0;
  private latestMs = Number.NEGATIVE_INFINITY;

  private readonly warehouseInputs = new Map<string, WarehouseInput>();
  /** Number of calls of the fixed-point append path (marks the positions a call has checked). */
  private appendCalls = 0;
  /** What every position's valuation context reads of the ledger (one function each, shared by the contexts). */
  private readonly referencedEntry = (id: string): Entry | undefined => this.entryById(id);
  private readonly periodIsClosed = (period: string): boolean => this.isClosed(period);
  /** The item record of each line of the document `postsAsPlainLines` last accepted. */
  private readonly scratchRecords: ItemRecord[] = [];
  /** Scratch valuation of the fixed-point append path (reused; nothing survives a call in it). */
  private readonly fixedStep = new ValuationStep(new FixedState());

  private constructor(
    readonly settings: LedgerSettings,
    private readonly settingsInput: LedgerSettingsInput,
  ) {
    this.calendar = new PeriodCalendar(settings.timeZone);
  }

  /** Creates an empty ledger; the configuration is validated (an {@link InvalidInput} names the field at fault). */
  static create(config: LedgerConfigInput = {}): Result.Result<StockLedger, InvalidInput> {
    const parsed = parseInput(LedgerConfigSchema, config, "ledger configuration");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const ledger = new StockLedger(parsed.success.settings, config.settings ?? {});
    parsed.success.items.forEach((item, i) => ledger.items.set(item.id, itemRecord(item, config.items![i]!)));
    parsed.success.warehouses.forEach((wh, i) => {
      ledger.warehouses.set(wh.id, wh);
      ledger.warehouseInputs.set(wh.id, config.warehouses![i]!);
    });
    return Result.succeed(ledger);
  }

  /** Adds or replaces an item. Its valuation method cannot change once it has moves. */
  upsertItem(input: ItemInput): Result.Result<Item, InvalidInput | RuleViolation> {
    const parsed = parseInput(ItemSchema, input, "item");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const item = parsed.success;
    const record = this.items.get(item.id);
    if (record === undefined) {
      this.items.set(item.id, itemRecord(item, input));
      return Result.succeed(item);
    }
    if (record.positions.length > 0) {
      if (this.methodOf(record.item) !== this.methodOf(item))
        return Result.fail(new RuleViolation({ path: "method", message: `item ${item.id} has moves; its valuation method cannot change` }));
      if (record.item.baseUnit !== item.baseUnit)
        return Result.fail(new RuleViolation({ path: "baseUnit", message: `item ${item.id} has moves; its base unit cannot change` }));
    }
    record.item = item;
    record.input = input;
    record.untracked = isUntracked(item);
    record.baseUnit = item.baseUnit;
    for (const position of record.positions) position.context = undefined;
    return Result.succeed(item);
  }

  /** Adds or replaces a warehouse. */
  upsertWarehouse(input: WarehouseInput): Result.Result<Warehouse, InvalidInput> {
    const parsed = parseInput(WarehouseSchema, input, "warehouse");
    if (Result.isSuccess(parsed)) {
      this.warehouses.set(parsed.success.id, parsed.success);
      this.warehouseInputs.set(parsed.success.id, input);
    }
    return parsed;
  }

  /** The valuation method of an item: its own, else its category's, else the tenant's. */
  methodOf(item: Item): ValuationMethod {
    return item.method ?? (item.category ? this.settings.methodByCategory[item.category] : undefined) ?? this.settings.method;
  }

  /**
   * Posts a document: validates it, turns it into moves, inserts them at their business time,
   * re-values what they affect and returns the posting event. Posting the same document (same
   * id, same content) again changes nothing and returns its moves as they are valued now.
   */
  post(input: StockDocumentInput | unknown, options: OperationOptions = {}): Result.Result<PostingResult, LedgerError> {
    const plain = readPlainDocument(input);
    const parsed = plain ? Result.succeed(plain) : parseInput(StockDocumentSchema, input, "document");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const doc = parsed.success;
    const existing = this.documents.get(doc.id);
    if (existing) {
      if (stableStringify(existing.document) === stableStringify(doc)) return Result.succeed(this.repostResult(existing));
      return Result.fail(new DuplicateDocument({ document: doc.id, message: `document ${doc.id} was already posted with other content` }));
    }
    const nowCheck = this.checkNow(options);
    if (nowCheck) return Result.fail(nowCheck);
    const atMs = Date.parse(doc.at);
    const period = this.calendar.periodOf(atMs);
    if (this.isClosed(period))
      return Result.fail(new PeriodClosed({ period, document: doc.id, message: `period ${period} is closed; document ${doc.id} dated ${doc.at} is refused` }));
    const plainLines = plain !== undefined && this.postsAsPlainLines(doc) ? this.appendInFixedPoint(doc, undefined, atMs, period) : undefined;
    if (plainLines) return Result.succeed(this.recordPosting(doc, plainLines, [], [], atMs));
    const moves = documentToMoves(doc, this.lookup);
    if (Result.isFailure(moves)) return Result.fail(moves.failure);
    const appended = this.appendInFixedPoint(doc, moves.success, atMs, period);
    if (appended) return Result.succeed(this.recordPosting(doc, appended, [], [], atMs));

    const journal: Undo[] = [];
    const fresh = new Set<Entry>();
    const dirty = new Map<Position, number>();
    const failure = this.registerTracking(doc, moves.success, journal);
    if (failure) return this.rollback(journal, failure);
    const created: Entry[] = [];
    const stamp: PostingStamp = { doc, atMs, period, moneyScale: this.settings.moneyScale };
    for (const move of moves.success) {
      const position = this.positionFor(move, journal);
      if (!(position instanceof Object && "entries" in position)) return this.rollback(journal, position);
      const entry = Entry.ofMove(move, stamp, this.seq + created.length, position.key, this.fixedFor(position));
      created.push(entry);
      fresh.add(entry);
      this.insertEntry(position, entry, journal, dirty);
    }
    const short = this.checkPlaces(created.map((e) => e.move));
    if (short) return this.rollback(journal, short);
    const revalued = this.revalue(dirty, fresh, journal);
    if (!("changed" in revalued)) return this.rollback(journal, revalued);
    const adjustments = this.bookAdjustments(revalued.changed, fresh, options);
    return Result.succeed(this.recordPosting(doc, created, revalued.costChanges, adjustments, atMs));
  }

  /** Records a posted document and its entries, and answers its posting event. */
  private recordPosting(
    doc: StockDocument,
    created: Entry[],
    costChanges: ReadonlyArray<CostChange>,
    adjustments: ReadonlyArray<BookedAdjustment>,
    atMs: number,
  ): PostingResult {
    this.seq += created.length;
    const moves: ValuedMove[] = new Array(created.length);
    for (let i = 0; i < created.length; i++) moves[i] = this.valued(created[i]!);
    // the document's list of entries holds exactly these: kept once, not twice
    const listed = this.entriesByDocument.get(doc.id);
    this.documents.set(doc.id, { document: doc, entries: listed !== undefined && sameEntries(listed, created) ? listed : created });
    const ids = this.byBusinessId.get(doc.businessId);
    if (ids) ids.push(doc.id);
    else this.byBusinessId.set(doc.businessId, [doc.id]);
    if (atMs > this.latestMs) this.latestMs = atMs;
    return { document: doc.id, businessId: doc.businessId, action: "post", moves, costChanges, adjustments };
  }

  /**
   * The common case without a journal: every move lands after everything in its position (no
   * back-dating), on a fixed-point moving-average or FIFO position, with a cost of its own, from
   * an issue, or from a transfer-out of the same document — and nothing can fail, since the
   * quantities were checked first. Values the moves on the positions' end states in place and
   * answers the entries, or `undefined` (having changed nothing) for the general path.
   *
   * `moves` are the document's moves; without them the document is one whose lines
   * {@link StockLedger.postsAsPlainLines} accepted: each line's entry is read straight from the
   * line (`Entry.ofPlainLine`), and no move is built for it.
   */
  private appendInFixedPoint(doc: StockDocument, moves: ReadonlyArray<StockMove> | undefined, atMs: number, period: string): Entry[] | undefined {
    const { settings } = this;
    if (settings.arithmetic !== "fixed" || settings.backdating !== "replay" || settings.grain !== "warehouse" || settings.byLot) return undefined;
    const transfer = doc.type === "transfer";
    const lineCount = (doc as { lines?: ReadonlyArray<unknown> }).lines?.length ?? 0;
    const n = moves !== undefined ? moves.length : transfer ? 2 * lineCount : lineCount;
    if (n === 0) return undefined;
    const created: Entry[] = new Array(n);
    const places: (Position | undefined)[] = new Array(n);
    // running quantity per position for the checks: on the position, marked with this call's
    // number (positions not created yet: by key, in a map made only if one appears)
    const mark = ++this.appendCalls;
    const stamp: PostingStamp = { doc, atMs, period, moneyScale: settings.moneyScale };
    let unborn: Map<string, number> | undefined;
    const lines = moves === undefined ? (doc as { lines: ReadonlyArray<PlainLineShape> }).lines : undefined;
    for (let k = 0; k < n; k++) {
      let entry: Entry;
      let position: Position | undefined;
      let key: string | undefined;
      let item: string;
      if (lines !== undefined) {
        // a plain line (see postsAsPlainLines): read from the line, no move built
        const i = transfer ? k >> 1 : k;
        const line = lines[i]!;
        const direction: MoveDirection = transfer ? ((k & 1) === 1 ? "in" : "out") : doc.type === "sales-outbound" ? "out" : "in";
        const record = this.scratchRecords[i]!;
        const warehouse = transfer ? (direction === "in" ? line.to! : line.from!).warehouse : line.warehouse!;
        position = record.byWarehouse[this.warehouseNumbers.get(warehouse)!];
        item = line.item;
        key = position?.key ?? `${item}@${warehouse}`;
        entry = Entry.ofPlainLine(stamp, i, direction, this.seq + k, key);
        if (entry.qtyN === undefined || (direction === "in" && !transfer && entry.inN === undefined)) return undefined;
      } else {
        const move = moves![k]!;
        if (move.lot !== undefined || move.location !== undefined || move.serials !== undefined) return undefined;
        const src = move.source.type;
        if (move.direction === "in" ? src !== "unit-cost" && src !== "value" && src !== "transfer-in" : move.direction !== "out" || src !== "issue") return undefined;
        if (src === "transfer-in" && (k === 0 || moves![k - 1]!.id !== (move.source as { from: string }).from)) return undefined;
        position = this.knownPosition(move.item, move.warehouse);
        item = move.item;
        key = position?.key ?? `${move.item}@${move.warehouse}`;
        entry = Entry.ofMove(move, stamp, this.seq + k, key, true);
        if (entry.qtyN === undefined || (src !== "issue" && src !== "transfer-in" && entry.inN === undefined)) return undefined;
      }
      let qty: number;
      if (position) {
        const entries = position.entries;
        if (position.endCount !== entries.length || !(position.end instanceof FixedState)) return undefined;
        // nothing in the ledger is dated after `latestMs`: only an earlier document reads its position's last move
        if (atMs < this.latestMs && entries.length > 0 && entries[entries.length - 1]!.atMs > atMs) return undefined;
        qty = position.checkMark === mark ? position.checkQty : position.end.qty;
      } else {
        const method = this.methodOf(this.items.get(item)!.item);
        if (method !== "moving-average" && method !== "fifo") return undefined;
        qty = unborn?.get(key) ?? 0;
      }
      const qtyN = entry.qtyN;
      if (entry.direction === "out") {
        if (qtyN > qty) return undefined;
        qty -= qtyN;
      } else qty += qtyN;
      if (position) {
        position.checkMark = mark;
        position.checkQty = qty;
      } else (unborn ??= new Map()).set(key, qty);
      created[k] = entry;
      places[k] = position;
    }
    // nothing can fail from here on
    const every = settings.checkpointEvery;
    const step = this.fixedStep;
    const noUndo: Undo[] = [];
    const ofDocument = this.documentEntries(doc.id, noUndo);
    noUndo.length = 0;
    for (let k = 0; k < n; k++) {
      const entry = created[k]!;
      let position = places[k];
      if (position === undefined) {
        // a position this document creates (its first line there), or found again for a later line
        position = this.positionFor(moves !== undefined ? moves[k]! : plainLinePlace(entry, lines![entry.line]!), noUndo) as Position;
        noUndo.length = 0;
      }
      const index = position.entries.length;
      if (index > 0 && index % every === 0 && position.checkpoints[position.checkpoints.length - 1]!.index < index)
        position.checkpoints.push({ index, state: cloneAnyState(position.end) });
      position.entries.push(entry);
      ofDocument.push(entry);
      // its transfer-out finds it in the document (see dependentsOf)
      if (entry.sourceType === "transfer-in") created[k - 1]!.referenced = true;
      const ctx = this.context(position);
      const state = position.end;
      // a transfer-in's transfer-out is the entry before it, in this document
      const answer = state instanceof FixedState ? applyFixed(state, entry, ctx, step, entry.sourceType === "transfer-in" ? created[k - 1] : undefined) : NEEDS_DECIMAL;
      if (answer === undefined) entry.setFixed(step.cost, step.slices);
      else {
        // beyond the fixed range (figures over 2^52): the position goes on in decimals
        const decimal = toDecimalState(state, settings.moneyScale);
        const val = applyEntry(decimal, entry, ctx);
        if (val instanceof InsufficientStock || val instanceof ValuationError) throw new Error(`unreachable: ${val.message}`);
        position.end = decimal;
        entry.val = val;
      }
      position.endCount = position.entries.length;
    }
    this.moveCount += n;
    return created;
  }

  /**
   * Whether a purchase receipt, sales outbound or transfer posts exactly as its lines read: known
   * items and warehouses, quantities in base units, no location, lot or serials, items tracked
   * by neither, a transfer between two warehouses. `documentToMoves` would build each line's
   * move as it stands; anything else goes through it (and its checks name what is wrong).
   */
  private postsAsPlainLines(doc: StockDocument): boolean {
    if (doc.type !== "purchase-receipt" && doc.type !== "sales-outbound" && doc.type !== "transfer") return false;
    const lines = doc.lines as ReadonlyArray<PlainLineShape>;
    const records = this.scratchRecords;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const record = this.items.get(line.item);
      if (record === undefined || line.lot !== undefined || line.serials !== undefined || line.location !== undefined) return false;
      records[i] = record;
      if (!record.untracked || (line.unit !== undefined && line.unit !== record.baseUnit)) return false;
      if (line.from === undefined) {
        if (!this.warehouses.has(line.warehouse!)) return false;
      } else {
        const from = line.from;
        const to = line.to!;
        if (from.location !== undefined || to.location !== undefined || from.warehouse === to.warehouse) return false;
        if (!this.warehouses.has(from.warehouse) || !this.warehouses.has(to.warehouse)) return false;
      }
    }
    return true;
  }

  /** The entries of a document, registered (with its undo) on first use. */
  private documentEntries(document: string, journal: Undo[]): Entry[] {
    let list = this.entriesByDocument.get(document);
    if (list === undefined) {
      const created: Entry[] = (list = []);
      this.entriesByDocument.set(document, created);
      journal.push(() => {
        if (created.length === 0) this.entriesByDocument.delete(document);
      });
    }
    return list;
  }

  /**
   * The entries of the moves that take their cost from `entry`. A transfer-out's is the transfer-in
   * of the same line of its document (the only move that references a transfer-out), found
   * there; the others are registered in `dependents` by the id they reference.
   */
  private dependentsOf(entry: Entry): ReadonlyArray<Entry> {
    if (entry.direction === "out" && entry.doc.type === "transfer") {
      const line = entry.line;
      for (const other of this.entriesByDocument.get(entry.doc.id) ?? []) if (other.line === line && other.direction === "in") return [other];
      return [];
    }
    return this.dependents.get(entry.id) ?? [];
  }

  /** A move's entry by id (`<document>#<line>`, transfers with `:out` / `:in`), found among its document's entries. */
  private entryById(id: string): Entry | undefined {
    const hash = id.lastIndexOf("#");
    if (hash <= 0) return undefined;
    const list = this.entriesByDocument.get(id.slice(0, hash));
    if (list === undefined) return undefined;
    const colon = id.indexOf(":", hash);
    const lineText = colon < 0 ? id.slice(hash + 1) : id.slice(hash + 1, colon);
    const line = Number(lineText);
    if (!Number.isInteger(line) || String(line) !== lineText) return undefined;
    const suffix = colon < 0 ? "" : id.slice(colon);
    for (const entry of list) if (entry.isLine(line, suffix)) return entry;
    return undefined;
  }

  /** The position of an item at a warehouse under the warehouse grain without lots, if it exists. */
  private knownPosition(item: string, warehouse: string): Position | undefined {
    const number = this.warehouseNumbers.get(warehouse);
    return number === undefined ? undefined : this.items.get(item)?.byWarehouse[number];
  }

  /**
   * Cancels (作废) a posted document as if it had never been posted: its moves leave the ledger
   * and what they affected is re-valued. Refused in a closed period, while another document
   * references its lines (cancel that first), and under the `immutable` policy (post a reversing
   * document there instead).
   */
  cancel(documentId: string, options: OperationOptions = {}): Result.Result<PostingResult, LedgerError> {
    const id = parseInput(z.string().min(1), documentId, "document id");
    if (Result.isFailure(id)) return Result.fail(id.failure);
    const posted = this.documents.get(documentId);
    if (!posted) return Result.fail(new UnknownReference({ kind: "document", ref: documentId, path: "document", message: `no posted document ${documentId}` }));
    if (this.settings.backdating === "immutable")
      return Result.fail(new RuleViolation({ path: "document", message: `the immutable policy rewrites nothing: post a reversing document for ${documentId} instead` }));
    const nowCheck = this.checkNow(options);
    if (nowCheck) return Result.fail(nowCheck);
    const doc = posted.document;
    const period = this.calendar.periodOf(Date.parse(doc.at));
    if (this.isClosed(period))
      return Result.fail(new PeriodClosed({ period, document: doc.id, message: `period ${period} is closed; document ${doc.id} cannot be cancelled` }));
    // a copy: removing the entries empties the document's list, which `posted.entries` may be
    const entries = posted.entries.slice();
    const own = new Set(entries);
    for (const entry of entries)
      for (const dep of this.dependentsOf(entry))
        if (!own.has(dep))
          return Result.fail(new RuleViolation({ path: "document", message: `${dep.move.document} references ${entry.move.id}; cancel it first` }));

    const journal: Undo[] = [];
    const dirty = new Map<Position, number>();
    for (const entry of entries) this.removeEntry(entry, journal, dirty);
    this.unregisterTracking(doc, entries, journal);
    const short = this.checkPlaces(entries.map((e) => e.move));
    if (short) return this.rollback(journal, short);
    const revalued = this.revalue(dirty, new Set(), journal);
    if (!("changed" in revalued)) return this.rollback(journal, revalued);
    this.documents.delete(documentId);
    if (this.entriesByDocument.get(documentId)?.length === 0) this.entriesByDocument.delete(documentId);
    const ids = this.byBusinessId.get(doc.businessId) ?? [];
    this.byBusinessId.set(
      doc.businessId,
      ids.filter((id) => id !== documentId),
    );
    return Result.succeed({ document: documentId, businessId: doc.businessId, action: "cancel", moves: [], costChanges: revalued.costChanges, adjustments: [] });
  }

  /**
   * Closes every period up to and including `period` (月结): documents dated in them are refused
   * from now on, and monthly weighted average positions get their final costs for those months.
   */
  closePeriod(period: string, options: OperationOptions = {}): Result.Result<PostingResult, LedgerError> {
    const parsed = parseInput(PeriodSchema, period, "period");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    if (this.closedThrough !== undefined && period <= this.closedThrough)
      return Result.fail(new PeriodClosed({ period, document: "", message: `period ${period} is already closed` }));
    const nowCheck = this.checkNow(options);
    if (nowCheck) return Result.fail(nowCheck);
    const journal: Undo[] = [];
    const previous = this.closedThrough;
    this.closedThrough = period;
    journal.push(() => (this.closedThrough = previous));
    const fromMs = previous === undefined ? Number.NEGATIVE_INFINITY : this.calendar.endOf(previous);
    const dirty = new Map<Position, number>();
    for (const position of this.positions.values()) {
      if (position.method !== "monthly-weighted-average") continue;
      const from = upperBound(position.entries, fromMs - 1, Number.POSITIVE_INFINITY);
      if (from < position.entries.length && position.entries[from]!.period <= period) dirty.set(position, from);
    }
    const revalued = this.revalue(dirty, new Set(), journal);
    if (!("changed" in revalued)) return this.rollback(journal, revalued);
    const adjustments = this.bookAdjustments(revalued.changed, new Set(), options);
    return Result.succeed({ document: "", businessId: "", action: "close-period", moves: [], costChanges: revalued.costChanges, adjustments });
  }

  /** The last closed period (`YYYY-MM`), if any. */
  get closedPeriod(): string | undefined {
    return this.closedThrough;
  }

  /** Balance of the positions an item filter selects (at or above the grain), as of an instant. */
  balance(input: PositionFilter): Result.Result<Balance, RuleViolation | InvalidInput> {
    const states = this.statesAt(input);
    if (Result.isFailure(states)) return Result.fail(states.failure);
    let qty = ZERO;
    let value = ZERO;
    for (const { state } of states.success) {
      qty = qty.plus(bookQty(state));
      value = value.plus(bookValue(state));
    }
    return Result.succeed({ qty, value });
  }

  /** The states, as of the filter's instant, of the positions a filter selects. */
  private statesAt(input: PositionFilter): Result.Result<{ position: Position; state: PositionState }[], RuleViolation | InvalidInput> {
    const parsed = parseInput(PositionFilterSchema, input, "position filter");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const asOf = this.asOfMs(parsed.success.asOf);
    if (Result.isFailure(asOf)) return Result.fail(asOf.failure);
    const selected = this.selectPositions(parsed.success);
    if (Result.isFailure(selected)) return Result.fail(selected.failure);
    return Result.succeed(selected.success.map((position) => ({ position, state: this.stateAt(position, asOf.success) })));
  }

  /** Every position that has moves, with its balance, as of an instant (the end of the ledger by default). */
  balances(asOf?: string): Result.Result<PositionBalance[], InvalidInput> {
    const at = this.asOfMs(asOf);
    if (Result.isFailure(at)) return Result.fail(at.failure);
    const out: PositionBalance[] = [];
    for (const position of this.positions.values()) {
      if (position.entries.length === 0 || position.entries[0]!.atMs > at.success) continue;
      const state = this.stateAt(position, at.success);
      const first = position.entries[0]!.move;
      const { grain, byLot } = this.settings;
      out.push({
        position: position.key,
        item: position.item,
        company: this.warehouses.get(first.warehouse)?.company ?? "default",
        warehouse: grain === "company" ? undefined : first.warehouse,
        location: grain === "location" ? first.location : undefined,
        lot: byLot ? first.lot : undefined,
        method: position.method,
        qty: bookQty(state),
        value: bookValue(state),
      });
    }
    out.sort((a, b) => a.position.localeCompare(b.position));
    return Result.succeed(out);
  }

  /** Cost layers of the selected positions as of an instant (one layer for average and standard methods). */
  layers(input: PositionFilter): Result.Result<Layer[], RuleViolation | InvalidInput> {
    const states = this.statesAt(input);
    if (Result.isFailure(states)) return Result.fail(states.failure);
    const out: Layer[] = [];
    for (const { position, state } of states.success) {
      if (state.layers.length > 0 || state.qty.isZero()) out.push(...state.layers);
      else out.push({ qty: state.qty, value: state.value, origin: position.key });
    }
    return Result.succeed(out);
  }

  /** Quantity per lot and place as of an instant, with the lots' expiry dates (for FEFO and shelf-life reports). */
  lotQuantities(item?: string, asOf?: string): Result.Result<LotQuantity[], InvalidInput> {
    const at = this.asOfMs(asOf);
    if (Result.isFailure(at)) return Result.fail(at.failure);
    const sums = new Map<string, { item: string; warehouse: string; location?: string | undefined; lot: string; qty: Dec }>();
    const positions = item === undefined ? [...this.positions.values()] : (this.items.get(item)?.positions ?? []);
    for (const position of positions) {
      const end = upperBound(position.entries, at.success, Number.POSITIVE_INFINITY);
      for (let i = 0; i < end; i++) {
        const { move } = position.entries[i]!;
        if (move.lot === undefined || move.direction === "value") continue;
        const key = `${move.item}|${move.warehouse}|${move.location ?? ""}|${move.lot}`;
        const sum = sums.get(key) ?? { item: move.item, warehouse: move.warehouse, location: move.location, lot: move.lot, qty: ZERO };
        sum.qty = move.direction === "in" ? sum.qty.plus(move.qty) : sum.qty.minus(move.qty);
        sums.set(key, sum);
      }
    }
    return Result.succeed(
      [...sums.values()]
        .filter((s) => !s.qty.isZero())
        .map((s) => ({ ...s, expiryDate: this.lots.get(`${s.item}|${s.lot}`)?.expiryDate })),
    );
  }

  /** A lot's master data as registered by receipts. */
  lot(item: string, lot: string): Lot | undefined {
    return this.lots.get(`${item}|${lot}`);
  }

  /** Every move of a business ID (all its documents), in ledger order, with the adjustments booked for them. */
  movesOf(businessId: string): { moves: ValuedMove[]; adjustments: BookedAdjustment[] } {
    const moves: ValuedMove[] = [];
    for (const id of this.byBusinessId.get(businessId) ?? [])
      for (const entry of this.documents.get(id)?.entries ?? []) moves.push(this.valued(entry));
    moves.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
    return { moves, adjustments: this.adjustments.filter((a) => a.businessId === businessId) };
  }

  /** Every move of the ledger, ordered by business time then arrival. */
  moves(): ValuedMove[] {
    const all: Entry[] = [];
    for (const position of this.positions.values()) all.push(...position.entries);
    all.sort(compareEntries);
    return all.map((e) => this.valued(e));
  }

  /** One move by id, valued. */
  move(id: string): ValuedMove | undefined {
    const entry = this.entryById(id);
    return entry && this.valued(entry);
  }

  /** Every adjustment booked under the `immutable` policy. */
  bookedAdjustments(): ReadonlyArray<BookedAdjustment> {
    return this.adjustments;
  }

  /** A posted document: parsed, on the wire (decimals as strings, defaults filled in), and its moves as valued now. */
  document(id: string): { document: StockDocument; input: StockDocumentInput; moves: ValuedMove[] } | undefined {
    const posted = this.documents.get(id);
    return posted && { document: posted.document, input: toWire(posted.document), moves: posted.entries.map((e) => this.valued(e)) };
  }

  /** The result of posting a document that is already posted: its moves as valued now, nothing changed. */
  private repostResult(posted: PostedDocument): PostingResult {
    const doc = posted.document;
    return { document: doc.id, businessId: doc.businessId, action: "post", moves: posted.entries.map((e) => this.valued(e)), costChanges: [], adjustments: [] };
  }

  /** The configuration the ledger runs on, as given (settings, items, warehouses), to build an equal ledger. */
  configuration(): LedgerConfigInput {
    return { settings: this.settingsInput, items: [...this.items.values()].map((r) => r.input), warehouses: [...this.warehouseInputs.values()] };
  }

  /** Ids of the posted documents, in arrival order. */
  documentIds(): string[] {
    return [...this.documents.keys()];
  }

  /** Number of moves in the ledger. */
  get size(): number {
    return this.moveCount;
  }

  // ——— internals ———

  private readonly lookup: PostingLookup = {
    item: (id) => this.items.get(id)?.item,
    warehouse: (id) => this.warehouses.get(id),
    moveOfLine: (document, line) => this.entryById(moveIdOf(document, line))?.move,
    returnedQty: (moveId) => {
      let total = ZERO;
      for (const dep of this.dependents.get(moveId) ?? []) {
        const t = dep.move.source.type;
        if (t === "sales-return" || t === "purchase-return") total = total.plus(dep.move.qty);
      }
      return total;
    },
    bookQtyAt: (item, warehouse, location, lot, atMs) => {
      let qty = ZERO;
      for (const position of this.items.get(item)?.positions ?? []) {
        const end = upperBound(position.entries, atMs, Number.POSITIVE_INFINITY);
        for (let i = 0; i < end; i++) {
          const { move } = position.entries[i]!;
          if (move.warehouse !== warehouse || move.direction === "value") continue;
          if (location !== undefined && move.location !== location) continue;
          if (lot !== undefined && move.lot !== lot) continue;
          qty = move.direction === "in" ? qty.plus(move.qty) : qty.minus(move.qty);
        }
      }
      return qty;
    },
  };

  /** Default date of booked adjustments: the latest business time, but never inside a closed period. */
  private firstOpenInstant(): number {
    const open = this.closedThrough === undefined ? Number.NEGATIVE_INFINITY : this.calendar.endOf(this.closedThrough);
    const latest = Math.max(open, this.latestMs);
    return Number.isFinite(latest) ? latest : 0;
  }

  private isClosed(period: string): boolean {
    return this.closedThrough !== undefined && period <= this.closedThrough;
  }

  private checkNow(options: OperationOptions): LedgerError | undefined {
    if (options.now === undefined) return undefined;
    const parsed = parseInput(InstantString, options.now, "options.now");
    if (Result.isFailure(parsed)) return parsed.failure;
    const period = this.calendar.periodOf(Date.parse(options.now));
    if (this.isClosed(period)) return new PeriodClosed({ period, document: "", message: `options.now falls in closed period ${period}` });
    return undefined;
  }

  private asOfMs(asOf: string | undefined): Result.Result<number, InvalidInput> {
    if (asOf === undefined) return Result.succeed(Number.POSITIVE_INFINITY);
    const parsed = parseInput(InstantString, asOf, "asOf");
    return Result.isFailure(parsed) ? Result.fail(parsed.failure) : Result.succeed(Date.parse(asOf));
  }

  private rollback<A>(journal: Undo[], error: LedgerError): Result.Result<A, LedgerError> {
    for (let i = journal.length - 1; i >= 0; i--) journal[i]!();
    return Result.fail(error);
  }

  private selectPositions(filter: PositionFilter): Result.Result<Position[], RuleViolation> {
    const { grain, byLot } = this.settings;
    if (filter.warehouse !== undefined && grain === "company")
      return Result.fail(new RuleViolation({ path: "warehouse", message: "stock is valued per company; a warehouse has no value of its own" }));
    if (filter.location !== undefined && grain !== "location")
      return Result.fail(new RuleViolation({ path: "location", message: `stock is valued per ${grain}; a location has no value of its own` }));
    if (filter.lot !== undefined && !byLot)
      return Result.fail(new RuleViolation({ path: "lot", message: "lots are not valued separately (settings.byLot); use layers or lotQuantities" }));
    const selected = (this.items.get(filter.item)?.positions ?? []).filter((p) => {
      const first = p.entries[0]?.move;
      if (!first) return false;
      const company = this.warehouses.get(first.warehouse)?.company;
      if (filter.company !== undefined && company !== filter.company) return false;
      if (filter.warehouse !== undefined && first.warehouse !== filter.warehouse) return false;
      if (filter.location !== undefined && first.location !== filter.location) return false;
      if (filter.lot !== undefined && first.lot !== filter.lot) return false;
      return true;
    });
    return Result.succeed(selected);
  }

  /**
   * The checkpoint at index 0 of a position valued by `method`: its empty state, shared by all
   * such positions (checkpoint states are only ever cloned, never changed).
   */
  private emptyCheckpoint(method: ValuationMethod): Checkpoint {
    let cp = this.emptyCheckpoints.get(method);
    if (cp === undefined) this.emptyCheckpoints.set(method, (cp = { index: 0, state: initialState(method, this.settings.arithmetic) }));
    return cp;
  }

  private positionFor(move: MovePlace, journal: Undo[]): Position | LedgerError {
    const { grain, byLot } = this.settings;
    const plain = grain === "warehouse" && !byLot;
    if (plain) {
      const known = this.knownPosition(move.item, move.warehouse);
      if (known) return known;
    }
    const key = plain
        ? `${move.item}@${move.warehouse}`
        : positionKey(
            { item: move.item, company: this.warehouses.get(move.warehouse)?.company ?? "default", warehouse: move.warehouse, location: move.location, lot: move.lot },
            grain,
            byLot,
          );
    const existing = this.positions.get(key);
    if (existing) return existing;
    const record = this.items.get(move.item)!;
    const item = record.item;
    const method = this.methodOf(item);
    if (method === "lifo" && !this.settings.allowLifo)
      return new ValuationError({ move: move.id, message: `item ${item.id}: LIFO is not allowed under CAS and IFRS; set allowLifo to opt in` });
    if (method === "standard" && item.standardCost === undefined)
      return new ValuationError({ move: move.id, message: `item ${item.id} is valued at standard cost but has no standardCost` });
    const arithmetic = this.settings.arithmetic;
    const position: Position = {
      key,
      item: move.item,
      warehouse: move.warehouse,
      method,
      entries: [],
      checkpoints: [this.emptyCheckpoint(method)],
      end: initialState(method, arithmetic),
      endCount: 0,
      context: undefined,
      checkQty: 0,
      checkMark: 0,
    };
    this.positions.set(key, position);
    const list = record.positions;
    list.push(position);
    journal.push(() => {
      this.positions.delete(key);
      list.pop();
    });
    if (plain) {
      let number = this.warehouseNumbers.get(move.warehouse);
      if (number === undefined) this.warehouseNumbers.set(move.warehouse, (number = this.warehouseNumbers.size));
      const byWarehouse = record.byWarehouse;
      while (byWarehouse.length <= number) byWarehouse.push(undefined);
      byWarehouse[number] = position;
      journal.push(() => (byWarehouse[number] = undefined));
    }
    return position;
  }

  private insertEntry(position: Position, entry: Entry, journal: Undo[], dirty: Map<Position, number>): void {
    const index = upperBound(position.entries, entry.atMs, entry.seq);
    if (index === position.entries.length) {
      position.entries.push(entry);
      journal.push(() => position.entries.pop());
    } else {
      position.entries.splice(index, 0, entry);
      journal.push(() => position.entries.splice(index, 1));
      this.invalidateEnd(position, journal);
      const cps = position.checkpoints;
      journal.push(() => (position.checkpoints = cps));
      position.checkpoints = cps.filter((c) => c.index <= index);
    }
    const known = dirty.get(position);
    if (known === undefined || index < known) dirty.set(position, index);
    const ofDocument = this.documentEntries(entry.doc.id, journal);
    ofDocument.push(entry);
    this.moveCount++;
    journal.push(() => {
      ofDocument.pop();
      this.moveCount--;
    });
    const ref = referenceOf(entry.source);
    if (ref !== undefined) {
      // a transfer-in is found in its document by its transfer-out (see dependentsOf), not registered
      if (entry.sourceType !== "transfer-in") {
        const deps = this.dependents.get(ref) ?? [];
        deps.push(entry);
        this.dependents.set(ref, deps);
        journal.push(() => deps.pop());
      }
      const target = this.entryById(ref);
      if (target && !target.referenced) {
        target.referenced = true;
        journal.push(() => (target.referenced = false));
      }
    }
  }

  /**
   * Under the `reject` policy, checks the physical places (warehouse, location, lot) the moves
   * touch whenever they are finer than the valuation position (the position itself is checked
   * by the valuation): no place may go below zero at any instant.
   */
  private checkPlaces(moves: ReadonlyArray<StockMove>): InsufficientStock | undefined {
    if (this.settings.negativeStock !== "reject") return undefined;
    const seen = new Set<string>();
    for (const move of moves) {
      if (move.direction === "value") continue;
      const company = this.warehouses.get(move.warehouse)?.company ?? "default";
      const key = positionKey({ item: move.item, company, warehouse: move.warehouse, location: move.location, lot: move.lot }, this.settings.grain, this.settings.byLot);
      const place = `${key}|${move.warehouse}|${move.location ?? ""}|${move.lot ?? ""}`;
      const finer =
        this.settings.grain === "company" ||
        (this.settings.grain === "warehouse" && move.location !== undefined) ||
        (!this.settings.byLot && move.lot !== undefined);
      if (!finer || seen.has(place)) continue;
      seen.add(place);
      const position = this.positions.get(key);
      if (!position) continue;
      let qty = ZERO;
      for (const entry of position.entries) {
        const m = entry.move;
        if (m.direction === "value" || m.warehouse !== move.warehouse || m.location !== move.location || m.lot !== move.lot) continue;
        qty = m.direction === "in" ? qty.plus(m.qty) : qty.minus(m.qty);
        if (qty.isNegative()) {
          const onHand = qty.plus(m.qty);
          return new InsufficientStock({
            move: m.id,
            document: m.document,
            line: m.line,
            position: place,
            requested: m.qty.toString(),
            onHand: onHand.toString(),
            shortage: qty.negated().toString(),
            message: `${m.document} line ${m.line}: ${m.qty} of ${m.item} requested at ${m.warehouse}${m.location ? `/${m.location}` : ""}${m.lot ? ` lot ${m.lot}` : ""} at ${m.at}, ${onHand} there, short ${qty.negated()}`,
          });
        }
      }
    }
    return undefined;
  }

  /** The end state no longer follows the last entry: the next replay starts from a checkpoint. */
  private invalidateEnd(position: Position, journal: Undo[]): void {
    const count = position.endCount;
    position.endCount = -1;
    journal.push(() => (position.endCount = count));
  }

  private removeEntry(entry: Entry, journal: Undo[], dirty: Map<Position, number>): void {
    const position = this.positions.get(entry.position)!;
    const index = indexOfEntry(position.entries, entry);
    position.entries.splice(index, 1);
    journal.push(() => position.entries.splice(index, 0, entry));
    this.invalidateEnd(position, journal);
    const cps = position.checkpoints;
    journal.push(() => (position.checkpoints = cps));
    position.checkpoints = cps.filter((c) => c.index <= index);
    for (const [p, i] of dirty) if (p === position && i > index) dirty.set(p, index);
    const known = dirty.get(position);
    if (known === undefined || index < known) dirty.set(position, index);
    const ofDocument = this.entriesByDocument.get(entry.doc.id)!;
    const at = ofDocument.indexOf(entry);
    ofDocument.splice(at, 1);
    this.moveCount--;
    journal.push(() => {
      ofDocument.splice(at, 0, entry);
      this.moveCount++;
    });
    const ref = referenceOf(entry.source);
    if (ref !== undefined && entry.sourceType !== "transfer-in") {
      const deps = this.dependents.get(ref) ?? [];
      const k = deps.indexOf(entry);
      if (k >= 0) {
        deps.splice(k, 1);
        journal.push(() => deps.splice(k, 0, entry));
      }
    }
  }

  /** Whether the fixed-point engine values a position's moves (moving average and FIFO, unless decimal arithmetic is set). */
  private fixedFor(position: Position): boolean {
    return this.settings.arithmetic === "fixed" && (position.method === "moving-average" || position.method === "fifo");
  }

  private context(position: Position): ValuationContext {
    const cached = position.context;
    if (cached) return cached;
    const standardCost = this.items.get(position.item)?.item.standardCost;
    // one context per method for the items without a standard cost (most): one object, kept warm
    let ctx = standardCost === undefined ? this.methodContexts.get(position.method) : undefined;
    if (ctx === undefined) {
      ctx = {
        method: position.method,
        moneyScale: this.settings.moneyScale,
        negativeStock: this.settings.negativeStock,
        provisionalUnitCost: this.settings.provisionalUnitCost,
        standardCost,
        referenced: this.referencedEntry,
        isClosed: this.periodIsClosed,
      };
      if (standardCost === undefined) this.methodContexts.set(position.method, ctx);
    }
    position.context = ctx;
    return ctx;
  }

  /**
   * Re-values every dirty position from its dirty index on, following transfers and returns to
   * the positions they lead to, earliest business time first. Returns the cost changes of moves
   * that existed before the operation, or the failure that stops it.
   */
  private revalue(dirty: Map<Position, number>, fresh: Set<Entry>, journal: Undo[]): Revaluation | ValuationFailure {
    const changes = new Map<Entry, Dec>();
    let rounds = 0;
    const limit = 64 * (dirty.size + 16);
    while (dirty.size > 0) {
      if (++rounds > limit) return new ValuationError({ move: "", message: "re-valuation did not settle (transfer cycle)" });
      let next: Position | undefined;
      let nextIndex = 0;
      for (const [position, index] of dirty) {
        if (next === undefined || earlier(position, index, next, nextIndex)) {
          next = position;
          nextIndex = index;
        }
      }
      dirty.delete(next!);
      const failure = this.replay(next!, nextIndex, journal, (entry, old, at) => {
        if (old !== undefined && !fresh.has(entry) && !changes.has(entry)) changes.set(entry, costOf(old, entry.moneyScale));
        if (!entry.referenced) return;
        for (const dep of this.dependentsOf(entry)) {
          const position = this.positions.get(dep.position)!;
          const index = indexOfEntry(position.entries, dep);
          if (position === next && index > at) continue;
          const known = dirty.get(position);
          if (known === undefined || index < known) dirty.set(position, index);
        }
      });
      if (failure) return failure;
    }
    const changed = [...changes.keys()].sort(compareEntries);
    const out: CostChange[] = [];
    for (const entry of changed) {
      const oldCost = changes.get(entry)!;
      const newCost = entry.cost;
      if (oldCost.eq(newCost)) continue;
      const { doc } = entry;
      out.push({ move: entry.id, document: doc.id, businessId: doc.businessId, position: entry.position, oldCost, newCost });
    }
    return { costChanges: out, changed };
  }

  private replay(
    position: Position,
    from: number,
    journal: Undo[],
    onChange: (entry: Entry, old: EntryValuation | undefined, index: number) => void,
  ): ValuationFailure | undefined {
    const entries = position.entries;
    const every = this.settings.checkpointEvery;
    let start = Math.min(from, entries.length);
    if (position.method === "monthly-weighted-average" && start > 0) {
      const period = (entries[start] ?? entries[start - 1])!.period;
      while (start > 0 && entries[start - 1]!.period === period) start--;
    }
    const oldCheckpoints = position.checkpoints;
    const oldCheckpointCount = oldCheckpoints.length;
    const oldEnd = position.end;
    const oldEndCount = position.endCount;
    journal.push(() => {
      position.checkpoints = oldCheckpoints;
      oldCheckpoints.length = oldCheckpointCount;
      position.end = oldEnd;
      position.endCount = oldEndCount;
    });
    let begin: number;
    let start0;
    let kept: Checkpoint[];
    if (start === position.endCount) {
      // Appending after everything valued so far: continue from the end state.
      begin = start;
      start0 = cloneAnyState(position.end);
      kept = oldCheckpoints;
    } else {
      const cp = checkpointAtOrBefore(oldCheckpoints, start);
      begin = cp.index;
      start0 = cloneAnyState(cp.state);
      kept = oldCheckpoints.filter((c) => c.index <= cp.index);
    }
    const step = new ValuationStep(start0);
    const ctx = this.context(position);
    // Valuations replaced in this replay, restored in reverse on rollback (one undo for all).
    const replaced: Entry[] = [];
    const previous: EntryValuation[] = [];
    journal.push(() => {
      for (let k = replaced.length - 1; k >= 0; k--) replaced[k]!.restore(previous[k]!);
    });
    for (let i = begin; i < entries.length; i++) {
      if (i > 0 && i % every === 0 && kept[kept.length - 1]!.index < i) kept.push({ index: i, state: cloneAnyState(step.state) });
      const entry = entries[i]!;
      const failure = valueEntry(step, entries, i, ctx);
      if (failure) return failure;
      const general = step.general;
      if (!entry.isValued) {
        // a move of this operation: nothing to undo, nobody to tell but its dependents
        if (general === undefined) entry.setFixed(step.cost, step.slices);
        else entry.val = general;
        onChange(entry, undefined, i);
      } else if (general === undefined ? !entry.sameAsFixed(step.cost, step.slices) : !sameValuation(entry.val, general)) {
        const old = entry.snapshot();
        replaced.push(entry);
        previous.push(old);
        if (general === undefined) entry.setFixed(step.cost, step.slices);
        else entry.val = general;
        onChange(entry, old, i);
      }
    }
    position.checkpoints = kept;
    position.end = step.state;
    position.endCount = entries.length;
    return undefined;
  }

  /** The state of a position just after every move at or before `atMs` (read-only replay from a checkpoint). */
  private stateAt(position: Position, atMs: number): PositionState {
    const entries = position.entries;
    const end = upperBound(entries, atMs, Number.POSITIVE_INFINITY);
    const scale = this.settings.moneyScale;
    if (end === entries.length) return toDecimalState(position.end, scale);
    const cp = checkpointAtOrBefore(position.checkpoints, end);
    const step = new ValuationStep(cloneAnyState(cp.state));
    const ctx = this.context(position);
    for (let i = cp.index; i < end; i++) valueEntry(step, entries, i, ctx);
    return toDecimalState(step.state, scale);
  }

  private bookAdjustments(changed: ReadonlyArray<Entry>, fresh: Set<Entry>, options: OperationOptions): BookedAdjustment[] {
    if (this.settings.backdating !== "immutable") return [];
    const booked: BookedAdjustment[] = [];
    const at = options.now ?? new Date(this.firstOpenInstant()).toISOString();
    for (const entry of changed) {
      const m = entry.move;
      const effect = stockValueEffect(m.direction, entry.val);
      const asBooked = this.bookings.get(entry)!;
      const costChange = entry.cost.minus(asBooked.cost);
      const stockValueChange = effect.minus(asBooked.effect);
      if (costChange.isZero() && stockValueChange.isZero()) continue;
      asBooked.effect = effect;
      asBooked.cost = entry.cost;
      const adjustment: BookedAdjustment = {
        id: `${m.id}~adj${this.adjustments.length + 1}`,
        move: m.id,
        document: m.document,
        businessId: m.businessId,
        position: entry.position,
        at,
        costChange,
        stockValueChange,
      };
      this.adjustments.push(adjustment);
      booked.push(adjustment);
    }
    for (const entry of fresh) {
      const first = entry.val;
      this.bookings.set(entry, { first, effect: stockValueEffect(entry.direction, first), cost: first.cost });
    }
    return booked;
  }

  /** Registers lots (with their dates) and serial numbers; refuses conflicting lot dates and serials not where they should be. */
  private registerTracking(doc: StockDocument, moves: ReadonlyArray<StockMove>, journal: Undo[]): LedgerError | undefined {
    if (doc.type === "purchase-receipt") {
      for (const [i, line] of doc.lines.entries()) {
        if (line.lot === undefined) continue;
        const item = this.items.get(line.item)!.item;
        const expiry =
          line.expiryDate ?? (line.productionDate && item.shelfLifeDays ? expiryFromShelfLife(line.productionDate, item.shelfLifeDays) : undefined);
        const key = `${line.item}|${line.lot}`;
        const known = this.lots.get(key);
        if (known) {
          if ((expiry !== undefined && known.expiryDate !== undefined && known.expiryDate !== expiry) ||
              (line.productionDate !== undefined && known.productionDate !== undefined && known.productionDate !== line.productionDate))
            return new RuleViolation({ path: `lines.${i}.lot`, message: `lines.${i}.lot: lot ${line.lot} of ${line.item} is known with other dates` });
          continue;
        }
        this.lots.set(key, { item: line.item, lot: line.lot, productionDate: line.productionDate, expiryDate: expiry });
        journal.push(() => this.lots.delete(key));
      }
    }
    for (const move of moves) {
      if (!move.serials) continue;
      for (const serial of move.serials) {
        const key = `${move.item}|${serial}`;
        const at = this.serials.get(key);
        if (move.direction === "in") {
          if (at !== undefined && move.source.type !== "transfer-in")
            return new RuleViolation({ path: `lines.${move.line}.serials`, message: `lines.${move.line}.serials: serial ${serial} of ${move.item} is already in stock at ${at}` });
          this.serials.set(key, move.warehouse);
          journal.push(() => (at === undefined ? this.serials.delete(key) : this.serials.set(key, at)));
        } else if (move.direction === "out") {
          if (at !== move.warehouse)
            return new RuleViolation({ path: `lines.${move.line}.serials`, message: `lines.${move.line}.serials: serial ${serial} of ${move.item} is not in stock at ${move.warehouse}` });
          this.serials.delete(key);
          journal.push(() => this.serials.set(key, at));
        }
      }
    }
    return undefined;
  }

  private unregisterTracking(_doc: StockDocument, entries: ReadonlyArray<Entry>, journal: Undo[]): void {
    for (let k = entries.length - 1; k >= 0; k--) {
      const move = entries[k]!.move;
      for (const serial of move.serials ?? []) {
        const key = `${move.item}|${serial}`;
        const at = this.serials.get(key);
        if (move.direction === "in") this.serials.delete(key);
        else if (move.direction === "out") this.serials.set(key, move.warehouse);
        journal.push(() => (at === undefined ? this.serials.delete(key) : this.serials.set(key, at)));
      }
    }
  }

  private valued(entry: Entry): ValuedMove {
    return entry.valued((this.bookings.size > 0 ? this.bookings.get(entry)?.first : undefined) ?? entry.val);
  }
}


/** The move an entry takes its cost from, if any (transfer source, returned issue or receipt, adjusted receipt). */
const itemRecord = (item: Item, input: ItemInput): ItemRecord => ({ item, input, untracked: isUntracked(item), baseUnit: item.baseUnit, positions: [], byWarehouse: [] });

const isUntracked = (item: Item): boolean => !item.lotTracked && !item.serialTracked;

/** Where a move goes, as finding or creating its position reads it (`id` for messages). */
type MovePlace = Pick<StockMove, "id" | "item" | "warehouse" | "location" | "lot">;

/** The place of a plain line's entry, read from its line (its id is built only if a message needs it). */
const plainLinePlace = (entry: Entry, line: PlainLineShape): MovePlace => ({
  get id() {
    return entry.id;
  },
  item: line.item,
  warehouse: line.from === undefined ? line.warehouse! : entry.direction === "out" ? line.from.warehouse : line.to!.warehouse,
  location: undefined,
  lot: undefined,
});

const sameEntries = (a: ReadonlyArray<Entry>, b: ReadonlyArray<Entry>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const referenceOf = (s: MoveCostSource): string | undefined => {
  switch (s.type) {
    case "transfer-in":
      return s.from;
    case "sales-return":
    case "purchase-return":
    case "cost-adjustment":
      return s.of;
    default:
      return undefined;
  }
};

const earlier = (a: Position, ai: number, b: Position, bi: number): boolean => {
  const ea = a.entries[ai];
  const eb = b.entries[bi];
  if (!ea) return false;
  if (!eb) return true;
  return compareEntries(ea, eb) < 0;
};

const sameSlices = (a: ReadonlyArray<LayerSlice> | undefined, b: ReadonlyArray<LayerSlice> | undefined): boolean => {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((s, i) => s.origin === b[i]!.origin && s.qty.eq(b[i]!.qty) && s.value.eq(b[i]!.value));
};

const sameOptional = (a: Dec | undefined, b: Dec | undefined): boolean => (a === undefined ? b === undefined : b !== undefined && a.eq(b));

const sameValuation = (a: MoveValuation, b: MoveValuation): boolean =>
  a.cost.eq(b.cost) &&
  sameSlices(a.slices, b.slices) &&
  sameOptional(a.priceVariance, b.priceVariance) &&
  sameOptional(a.costOfSalesDifference, b.costOfSalesDifference) &&
  (a.provisional ?? false) === (b.provisional ?? false);
