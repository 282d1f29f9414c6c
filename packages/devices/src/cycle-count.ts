/**
 * RFID cycle count (循环盘点): the EPCs read at a location, identified by a caller-given lookup
 * (e.g. SGTIN → GTIN + serial → item), compared with the book stock of that location. Yields the
 * input of a `@jxc/core` stocktake (盘点) document and a report of missing and unexpected serials.
 *
 * Each tag is one unit of its item's base unit. A tag is told apart by its item + serial when the
 * lookup gives a serial, else by its EPC.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { Dec, InstantString, StocktakeSchema, ZERO, parseInput, type InvalidInput } from "@jxc/core";

/** What a tag stands for: the item, and its serial and lot when the tag says them. */
export interface TagItemIdentity {
  readonly item: string;
  readonly serial?: string;
  readonly lot?: string;
}

/** Identifies an EPC (hex or URI as read); `undefined` for a tag that is not one of ours. */
export type EpcLookup = (epc: string) => TagItemIdentity | undefined;

const Id = z.string().min(1).max(128);

/** One line of book stock at the counted location: a quantity, a serial list, or both. */
export const BookStockLineSchema = z
  .object({
    item: Id,
    lot: Id.optional(),
    /** Book quantity in the item's base unit; the number of `serials` when omitted. */
    qty: z.custom<Dec>((v) => Dec.isDecimal(v), { message: "must be a decimal (Dec)" }).optional(),
    /** Serials on the books at the location (compared with the serials read). */
    serials: z.array(Id).optional(),
  })
  .refine((l) => l.qty !== undefined || l.serials !== undefined, { message: "give qty, serials, or both" });
/** A book stock line. */
export type BookStockLine = z.input<typeof BookStockLineSchema>;

/**
 * Which items the count covers. Only covered items get stocktake lines; a covered item on the
 * books but not seen is counted "0", an item outside the count never is.
 * - `"book"` — the whole location: every item on the books there, and every item seen;
 * - `"seen"` — a spot check: only the items with at least one tag read;
 * - `{ items }` — exactly these items (tags of other items are reported as out of scope).
 */
export const CycleCountScopeSchema = z.union([z.literal("book"), z.literal("seen"), z.object({ items: z.array(Id).min(1) })]);
/** A {@link CycleCountScopeSchema}. */
export type CycleCountScope = z.output<typeof CycleCountScopeSchema>;

/** The data of a cycle count (everything but the lookup function). */
export const CycleCountSchema = z.object({
  /** Id, business ID, business time and memo of the stocktake document. */
  id: Id,
  businessId: Id,
  at: InstantString,
  memo: z.string().max(500).optional(),
  warehouse: Id,
  location: Id.optional(),
  scope: CycleCountScopeSchema.default("book"),
  book: z.array(BookStockLineSchema),
  /** EPCs read at the location (repeats are harmless). */
  seen: z.array(z.string().min(1)),
});
/** A cycle count as given by a caller. */
export type CycleCountInput = z.input<typeof CycleCountSchema>;

/** The stocktake document input a cycle count yields (decimals as strings). */
export type StocktakeInput = z.input<typeof StocktakeSchema>;

/** A cycle count that covers no item at all (a stocktake needs at least one line). */
export class EmptyCycleCount extends Data.TaggedError("EmptyCycleCount")<{
  readonly message: string;
}> {}

/** One counted position: book and counted quantities and their difference (counted − book). */
export interface CycleCountLine {
  readonly item: string;
  readonly lot?: string;
  readonly book: Dec;
  readonly counted: Dec;
  readonly difference: Dec;
}

/** A serial of an item (and the lot of its line). */
export interface CountedSerial {
  readonly item: string;
  readonly lot?: string;
  readonly serial: string;
}

/** What a cycle count found besides the quantities. */
export interface CycleCountReport {
  /** Every covered position, sorted by item then lot. */
  readonly lines: readonly CycleCountLine[];
  /** On the books (serial lists of covered items) but not read. */
  readonly missingSerials: readonly CountedSerial[];
  /** Read for a covered item but not on its book serial list (or the item not on the books here). */
  readonly unexpectedSerials: readonly (CountedSerial & { readonly epc: string })[];
  /** Several EPCs read that decode to the same item + serial (counted once). */
  readonly duplicateSerials: readonly (CountedSerial & { readonly epcs: readonly string[] })[];
  /** EPCs the lookup does not know. */
  readonly unknownEpcs: readonly string[];
  /** EPCs of items outside the count's scope (not in the document). */
  readonly outOfScope: readonly { readonly epc: string; readonly item: string }[];
}

/** The stocktake document input and the report of a cycle count. */
export interface CycleCountResult {
  readonly document: StocktakeInput;
  readonly report: CycleCountReport;
}

const SEP = "\u0000";
const positionKey = (item: string, lot: string | undefined): string => item + SEP + (lot ?? "");
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const bySerial = (a: CountedSerial, b: CountedSerial): number => compare(a.item, b.item) || compare(a.serial, b.serial);

/**
 * Compares the EPCs read at a location with its book stock and yields a stocktake document input
 * (validated against `StocktakeSchema`) with one line per covered item and lot, plus a report.
 * Quantities are counted in the item's base unit (one tag, one unit); `unit` is left out.
 */
export const buildCycleCount = (
  input: CycleCountInput,
  identify: EpcLookup,
): Result.Result<CycleCountResult, InvalidInput | EmptyCycleCount> => {
  const parsed = parseInput(CycleCountSchema, input, "cycle count");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const count = parsed.success;

  // Book stock by position; serial lists by item.
  const book = new Map<string, { item: string; lot: string | undefined; qty: Dec }>();
  const bookSerials = new Map<string, Map<string, string | undefined>>(); // item → serial → lot
  for (const line of count.book) {
    const key = positionKey(line.item, line.lot);
    const qty = line.qty !== undefined ? new Dec(line.qty) : new Dec(line.serials!.length);
    const prior = book.get(key);
    book.set(key, { item: line.item, lot: line.lot, qty: prior ? prior.qty.plus(qty) : qty });
    if (line.serials) {
      const serials = bookSerials.get(line.item) ?? new Map<string, string | undefined>();
      for (const s of line.serials) serials.set(s, line.lot);
      bookSerials.set(line.item, serials);
    }
  }

  // Tags read, identified and de-duplicated.
  const unknownEpcs = new Set<string>();
  const tags = new Map<string, { identity: TagItemIdentity; epcs: string[] }>(); // tag key → identity
  for (const epc of new Set(count.seen)) {
    const identity = identify(epc);
    if (identity === undefined) {
      unknownEpcs.add(epc);
      continue;
    }
    const key = identity.serial !== undefined ? `s${SEP}${identity.item}${SEP}${identity.serial}` : `e${SEP}${epc}`;
    const tag = tags.get(key);
    if (tag) tag.epcs.push(epc);
    else tags.set(key, { identity, epcs: [epc] });
  }

  const bookItems = new Set([...book.values()].map((b) => b.item));
  const seenItems = new Set([...tags.values()].map((t) => t.identity.item));
  const covers = (item: string): boolean =>
    count.scope === "book"
      ? true
      : count.scope === "seen"
        ? seenItems.has(item)
        : count.scope.items.includes(item);

  const counted = new Map<string, { item: string; lot: string | undefined; qty: Dec }>();
  const outOfScope: { epc: string; item: string }[] = [];
  const unexpectedSerials: (CountedSerial & { epc: string })[] = [];
  const duplicateSerials: (CountedSerial & { epcs: string[] })[] = [];
  const seenSerials = new Map<string, Set<string>>(); // item → serials read
  for (const { identity, epcs } of tags.values()) {
    const { item, lot, serial } = identity;
    if (!covers(item)) {
      for (const epc of epcs) outOfScope.push({ epc, item });
      continue;
    }
    const key = positionKey(item, lot);
    const prior = counted.get(key);
    counted.set(key, { item, lot, qty: (prior?.qty ?? ZERO).plus(1) });
    if (serial === undefined) continue;
    const sorted = [...epcs].sort(compare);
    if (epcs.length > 1) duplicateSerials.push({ item, ...(lot !== undefined && { lot }), serial, epcs: sorted });
    seenSerials.set(item, (seenSerials.get(item) ?? new Set()).add(serial));
    const onBook = bookSerials.get(item);
    if ((onBook && !onBook.has(serial)) || !bookItems.has(item)) {
      unexpectedSerials.push({ item, ...(lot !== undefined && { lot }), serial, epc: sorted[0]! });
    }
  }

  const missingSerials: CountedSerial[] = [];
  for (const [item, serials] of bookSerials) {
    if (!covers(item)) continue;
    const read = seenSerials.get(item);
    for (const [serial, lot] of serials) if (!read?.has(serial)) missingSerials.push({ item, ...(lot !== undefined && { lot }), serial });
  }

  // Covered positions: on the books or read, for covered items only.
  const positions = new Map<string, { item: string; lot: string | undefined }>();
  for (const [key, b] of book) if (covers(b.item)) positions.set(key, b);
  for (const [key, c] of counted) positions.set(key, c);
  const lines: CycleCountLine[] = [...positions.entries()]
    .sort(([, a], [, b]) => compare(a.item, b.item) || compare(a.lot ?? "", b.lot ?? ""))
    .map(([key, { item, lot }]) => {
      const bookQty = book.get(key)?.qty ?? ZERO;
      const countedQty = counted.get(key)?.qty ?? ZERO;
      return { item, ...(lot !== undefined && { lot }), book: bookQty, counted: countedQty, difference: countedQty.minus(bookQty) };
    });
  if (lines.length === 0) {
    return Result.fail(new EmptyCycleCount({ message: "the cycle count covers no item: nothing on the books in scope and nothing read" }));
  }

  const document: StocktakeInput = {
    id: count.id,
    businessId: count.businessId,
    at: count.at,
    ...(count.memo !== undefined && { memo: count.memo }),
    type: "stocktake",
    lines: lines.map((l) => ({
      item: l.item,
      warehouse: count.warehouse,
      ...(count.location !== undefined && { location: count.location }),
      ...(l.lot !== undefined && { lot: l.lot }),
      counted: l.counted.toFixed(),
    })),
  };
  const checked = parseInput(StocktakeSchema, document, "stocktake");
  if (Result.isFailure(checked)) return Result.fail(checked.failure);

  return Result.succeed({
    document,
    report: {
      lines,
      missingSerials: missingSerials.sort(bySerial),
      unexpectedSerials: unexpectedSerials.sort(bySerial),
      duplicateSerials: duplicateSerials.sort(bySerial),
      unknownEpcs: [...unknownEpcs].sort(compare),
      outOfScope: outOfScope.sort((a, b) => compare(a.item, b.item) || compare(a.epc, b.epc)),
    },
  });
};
