import type { StockLedger } from "@jxc/core";
import type { Journal } from "./journal.js";
import type { TraceEventInput } from "./trace.js";

const KIND_OF_DOCUMENT: Record<string, TraceEventInput["kind"] | undefined> = {
  "purchase-receipt": "inbound",
  "sales-outbound": "outbound",
  "purchase-return": "outbound",
  "sales-return": "return",
};

/**
 * The trace events of the books: one goods movement per posted stock document (入库单, 出库单,
 * 退货单) and one event per voucher — a cost carry-over (成本结转) for the `cost` voucher of a
 * sale, otherwise a voucher — each with its business ID and instant. Add invoices
 * (`traceEventOfInvoice`) and payments, then run `checkCompliance`.
 */
export const traceEventsOfBooks = (stock: StockLedger | undefined, journal: Journal | undefined): TraceEventInput[] => {
  const events: TraceEventInput[] = [];
  for (const id of stock?.documentIds() ?? []) {
    const doc = stock!.document(id)!.document;
    const kind = KIND_OF_DOCUMENT[doc.type];
    if (kind) events.push({ kind, id: doc.id, businessId: doc.businessId, at: doc.at });
  }
  for (const v of journal?.vouchers() ?? [])
    events.push({ kind: v.event === "sales-outbound" && v.kind === "cost" ? "cost-carry-over" : "voucher", id: v.id, businessId: v.businessId, at: v.at });
  return events;
};
