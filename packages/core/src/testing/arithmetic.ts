import { Result } from "effect";
import type { StockDocumentInput } from "../document.js";
import { type LedgerConfigInput, type PostingResult, StockLedger } from "../ledger.js";
import type { LedgerError } from "../errors.js";

/** Everything a ledger says about its moves, balances, layers and booked adjustments, one line each (decimals by value). */
export const describeLedger = (ledger: StockLedger): string[] => {
  const out = ledger.moves().map((m) =>
    [
      m.id,
      m.position,
      m.cost.toFixed(),
      (m.slices ?? []).map((s) => `${s.qty.toFixed()}/${s.value.toFixed()}/${s.origin}/${s.lot ?? ""}`).join(","),
      m.priceVariance?.toFixed() ?? "-",
      m.costOfSalesDifference?.toFixed() ?? "-",
      m.provisional ? "provisional" : "",
    ].join(" "),
  );
  const balances = Result.getOrThrow(ledger.balances());
  for (const b of balances) out.push(`balance ${b.position} ${b.qty.toFixed()} ${b.value.toFixed()}`);
  for (const item of new Set(balances.map((b) => b.item))) {
    const layers = ledger.layers({ item });
    if (Result.isSuccess(layers)) for (const l of layers.success) out.push(`layer ${item} ${l.qty.toFixed()} ${l.value.toFixed()} ${l.origin} ${l.lot ?? ""}`);
  }
  for (const a of ledger.bookedAdjustments()) out.push(`adjustment ${a.id} ${a.costChange.toFixed()} ${a.stockValueChange.toFixed()}`);
  return out;
};

const answer = (r: Result.Result<PostingResult, LedgerError>): string =>
  Result.isSuccess(r)
    ? JSON.stringify({
        moves: r.success.moves.map((m) => [m.id, m.cost.toFixed(), (m.slices ?? []).map((s) => [s.qty.toFixed(), s.value.toFixed(), s.origin])]),
        changes: r.success.costChanges.map((c) => [c.move, c.oldCost.toFixed(), c.newCost.toFixed()]),
        adjustments: r.success.adjustments.map((a) => [a.id, a.costChange.toFixed(), a.stockValueChange.toFixed()]),
      })
    : `${r.failure._tag}: ${r.failure.message}`;

/**
 * Posts the documents, in order, into a ledger valued in fixed point and one valued with decimal.js
 * (`settings.arithmetic`), and lists every difference: in any posting's answer (valued moves, cost
 * changes, adjustments, or the typed error) and in the ledgers at the end (moves, slices,
 * balances, layers, adjustments). The two must never differ; an empty list says they did not.
 */
export const arithmeticDifferences = (config: LedgerConfigInput, documents: Iterable<StockDocumentInput>): string[] => {
  const fixed = Result.getOrThrow(StockLedger.create({ ...config, settings: { ...config.settings, arithmetic: "fixed" } }));
  const decimal = Result.getOrThrow(StockLedger.create({ ...config, settings: { ...config.settings, arithmetic: "decimal" } }));
  const diffs: string[] = [];
  for (const doc of documents) {
    const a = answer(fixed.post(doc));
    const b = answer(decimal.post(doc));
    if (a !== b) diffs.push(`posting ${String((doc as { id?: unknown }).id)}: fixed ${a} | decimal ${b}`);
  }
  const a = describeLedger(fixed);
  const b = describeLedger(decimal);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) diffs.push(`ledger line ${i}: fixed ${a[i] ?? "(none)"} | decimal ${b[i] ?? "(none)"}`);
  return diffs;
};
