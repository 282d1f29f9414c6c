import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { documentToMoves, ItemSchema, type PostingLookup, StockDocumentSchema, StockLedger, WarehouseSchema, ZERO } from "@jxc/core";
import { scenarioArb } from "@jxc/core/testing";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** The stock-move fields of a move as JSON (decimals as their strings), without its valuation. */
const moveFields = (m: Record<string, unknown>): string =>
  JSON.stringify({
    id: m.id,
    document: m.document,
    documentType: m.documentType,
    businessId: m.businessId,
    line: m.line,
    at: m.at,
    item: m.item,
    warehouse: m.warehouse,
    location: m.location,
    lot: m.lot,
    serials: m.serials,
    direction: m.direction,
    qty: m.qty,
    source: m.source,
  });

describe("moves of plain lines, rebuilt from the document, equal the moves posting built (fast-check, 1,000 runs)", () => {
  it("every receipt, outbound and transfer move the ledger answers is the one documentToMoves builds for its line", () => {
    fc.assert(
      fc.property(scenarioArb({ backdatedShare: 0.2 }), ({ config, documents }) => {
        const ledger = Result.getOrThrow(StockLedger.create(config));
        const items = new Map((config.items ?? []).map((i) => [i.id, ItemSchema.parse(i)]));
        const warehouses = new Map((config.warehouses ?? []).map((w) => [w.id, WarehouseSchema.parse(w)]));
        // receipts, outbounds and transfers read nothing of the ledger but the master data
        const lookup: PostingLookup = {
          item: (id) => items.get(id),
          warehouse: (id) => warehouses.get(id),
          moveOfLine: () => undefined,
          returnedQty: () => ZERO,
          bookQtyAt: () => ZERO,
        };
        for (const input of documents) {
          const posted = ledger.post(input);
          const type = (input as { type: string }).type;
          if (Result.isFailure(posted) || (type !== "purchase-receipt" && type !== "sales-outbound" && type !== "transfer")) continue;
          const expected = Result.getOrThrow(documentToMoves(StockDocumentSchema.parse(input), lookup)).map((m) => moveFields({ ...m }));
          const id = (input as { id: string }).id;
          expect(posted.success.moves.map((m) => moveFields({ ...m }))).toEqual(expected);
          expect(ledger.document(id)!.moves.map((m) => moveFields({ ...m }))).toEqual(expected);
          for (const m of posted.success.moves) expect(moveFields({ ...ledger.move(m.id)! })).toBe(moveFields({ ...m }));
        }
      }),
      runs,
    );
  });
});
