import { Result } from "effect";
import fc from "fast-check";
import { type Dec, sumDecimals } from "../decimal.js";
import type { StockDocumentInput } from "../document.js";
import type { LedgerError } from "../errors.js";
import { type LedgerConfigInput, StockLedger } from "../ledger.js";
import { type InvariantReport, invariantReport } from "../report.js";

/** A ledger built from a configuration and documents, with the documents it refused. */
export interface Built {
  readonly ledger: StockLedger;
  readonly refused: ReadonlyArray<{ readonly document: string; readonly error: LedgerError }>;
}

/** Creates a ledger and posts documents in the given order, collecting refusals. */
export const buildLedger = (config: LedgerConfigInput, documents: Iterable<StockDocumentInput>): Built => {
  const ledger = Result.getOrThrow(StockLedger.create(config));
  const refused: { document: string; error: LedgerError }[] = [];
  for (const doc of documents) {
    const r = ledger.post(doc);
    if (Result.isFailure(r)) refused.push({ document: doc.id, error: r.failure });
  }
  return { ledger, refused };
};

/** Documents sorted by business time; ties keep their order in the list. */
export const sortByBusinessTime = (documents: ReadonlyArray<StockDocumentInput>): StockDocumentInput[] =>
  documents
    .map((d, i) => ({ d, i }))
    .sort((a, b) => Date.parse(a.d.at) - Date.parse(b.d.at) || a.i - b.i)
    .map(({ d }) => d);

/** Ids of the documents a document references (returns, cost adjustments). */
export const referencesOf = (doc: StockDocumentInput): string[] => {
  if (doc.type === "cost-adjustment") return [doc.receipt];
  if (doc.type === "sales-return" || doc.type === "purchase-return") return doc.lines.map((l) => l.ref.document);
  return [];
};

/**
 * Another arrival order of the same documents: a permutation drawn by fast-check in which every
 * document still arrives after the documents it references.
 */
export const arrivalOrderArb = (documents: ReadonlyArray<StockDocumentInput>): fc.Arbitrary<StockDocumentInput[]> =>
  fc.array(fc.nat(), { minLength: documents.length, maxLength: documents.length }).map((keys) => {
    const order = documents.map((d, i) => ({ d, key: keys[i]! })).sort((a, b) => a.key - b.key).map(({ d }) => d);
    const placed = new Set<string>();
    const out: StockDocumentInput[] = [];
    const waiting = [...order];
    while (waiting.length > 0) {
      const k = waiting.findIndex((d) => referencesOf(d).every((r) => placed.has(r)));
      const [next] = waiting.splice(k === -1 ? 0 : k, 1);
      out.push(next!);
      placed.add(next!.id);
    }
    return out;
  });

/** Every difference between two ledgers: move costs by id, moves present in one only, balances by position (an empty position equals an absent one). */
export const ledgerDifferences = (a: StockLedger, b: StockLedger): string[] => {
  const diffs: string[] = [];
  const bMoves = new Map(b.moves().map((m) => [m.id, m]));
  for (const m of a.moves()) {
    const other = bMoves.get(m.id);
    if (!other) diffs.push(`move ${m.id} only in the first ledger`);
    else {
      if (!other.cost.eq(m.cost)) diffs.push(`move ${m.id}: cost ${m.cost} vs ${other.cost}`);
      bMoves.delete(m.id);
    }
  }
  for (const id of bMoves.keys()) diffs.push(`move ${id} only in the second ledger`);
  const bBalances = new Map(Result.getOrThrow(b.balances()).map((x) => [x.position, x]));
  for (const x of Result.getOrThrow(a.balances())) {
    const y = bBalances.get(x.position);
    const empty = x.qty.isZero() && x.value.isZero();
    if (y ? !y.qty.eq(x.qty) || !y.value.eq(x.value) : !empty)
      diffs.push(`balance ${x.position}: ${x.qty} / ${x.value} vs ${y ? `${y.qty} / ${y.value}` : "absent"}`);
    bBalances.delete(x.position);
  }
  for (const [position, y] of bBalances) if (!y.qty.isZero() || !y.value.isZero()) diffs.push(`balance ${position} only in the second ledger`);
  return diffs;
};

/** The ledger invariant report (conservation, zero quantity ⇒ zero value, no negative stock, transfers, recompute). */
export const checkLedgerInvariants = (ledger: StockLedger): InvariantReport => invariantReport(ledger);

/** Sum of all positions' book quantities and values, for "a transfer changes no total". */
export const ledgerTotals = (ledger: StockLedger): { qty: Dec; value: Dec } => {
  const balances = Result.getOrThrow(ledger.balances());
  return { qty: sumDecimals(balances.map((b) => b.qty)), value: sumDecimals(balances.map((b) => b.value)) };
};
