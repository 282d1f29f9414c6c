import { Result } from "effect";
import { z } from "zod";
import { formatMoney } from "../decimal.js";
import type { StockDocumentInput } from "../document.js";
import type { ItemInput, ValuationMethod } from "../item.js";
import { StockLedger } from "../ledger.js";

const Amount = z.string().regex(/^[+-]?\d+(\.\d+)?$/);

const VectorMove = z.object({
  id: z.string().min(1),
  at: z.string().min(1),
  type: z.enum(["receipt", "issue", "transfer", "return"]),
  item: z.string().min(1),
  warehouse: z.string().min(1),
  toWarehouse: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
  lot: z.string().min(1).optional(),
  qty: Amount,
  unitCost: Amount.optional(),
  ref: z.string().min(1).optional(),
});

/** The shape of a valuation golden vector (see ../shared/conformance/README.md). */
export const ValuationVectorSchema = z.object({
  name: z.string(),
  method: z.enum(["fifo", "moving-average", "monthly-weighted-average", "specific", "standard", "lifo"]),
  settings: z
    .object({
      moneyScale: z.number().int().min(0).max(8).default(2),
      negativeStock: z.enum(["reject", "allow"]).default("reject"),
      timeZone: z.string().default("Asia/Shanghai"),
      /** Standard unit cost per item, for `standard` vectors. */
      standardCosts: z.record(z.string(), Amount).optional(),
    })
    .default({ moneyScale: 2, negativeStock: "reject", timeZone: "Asia/Shanghai" }),
  opening: z.array(z.object({ item: z.string(), warehouse: z.string(), qty: Amount, value: Amount, asOf: z.string() })).default([]),
  moves: z.array(VectorMove),
  closePeriods: z.array(z.string()).default([]),
  expect: z.object({
    costs: z.record(z.string(), Amount).optional(),
    balances: z.array(z.object({ item: z.string(), warehouse: z.string(), qty: Amount, value: Amount })).optional(),
    error: z.object({ tag: z.string().optional(), move: z.string().optional() }).optional(),
  }),
});
/** A parsed valuation vector. */
export type ValuationVector = z.output<typeof ValuationVectorSchema>;

/** The outcome of one vector: its name and every mismatch (none when it passes). */
export interface VectorOutcome {
  readonly name: string;
  readonly failures: ReadonlyArray<string>;
}

const toDocument = (m: z.output<typeof VectorMove>): StockDocumentInput => {
  const head = { id: m.id, businessId: m.id, at: m.at };
  const place = { warehouse: m.warehouse, ...(m.location ? { location: m.location } : {}) };
  const lot = m.lot ? { lot: m.lot } : {};
  switch (m.type) {
    case "receipt":
      return { ...head, type: "purchase-receipt", lines: [{ item: m.item, qty: m.qty, unitCost: m.unitCost ?? "", ...place, ...lot }] };
    case "issue":
      return { ...head, type: "sales-outbound", lines: [{ item: m.item, qty: m.qty, ...place, ...lot }] };
    case "transfer":
      return { ...head, type: "transfer", lines: [{ item: m.item, qty: m.qty, ...lot, from: place, to: { warehouse: m.toWarehouse ?? "" } }] };
    case "return":
      return { ...head, type: "sales-return", lines: [{ item: m.item, qty: m.qty, ...place, ...lot, ref: { document: m.ref ?? "", line: 0 } }] };
  }
};

/**
 * Runs one valuation golden vector through a {@link StockLedger} (each vector move becomes a
 * one-line document) and compares costs, balances or the expected error. A vector that cannot
 * be read or run is a failure, never a skip.
 */
export const runValuationVector = (json: unknown): VectorOutcome => {
  const parsed = ValuationVectorSchema.safeParse(json);
  const name = typeof (json as { name?: unknown })?.name === "string" ? (json as { name: string }).name : "(unnamed)";
  if (!parsed.success) return { name, failures: [`unreadable vector: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`] };
  const v = parsed.data;
  const failures: string[] = [];
  const scale = v.settings.moneyScale;
  const itemIds = new Set([...v.moves.map((m) => m.item), ...v.opening.map((o) => o.item)]);
  const warehouseIds = new Set([...v.moves.flatMap((m) => [m.warehouse, ...(m.toWarehouse ? [m.toWarehouse] : [])]), ...v.opening.map((o) => o.warehouse)]);
  const locations = new Map<string, Set<string>>();
  for (const m of v.moves) if (m.location) locations.set(m.warehouse, (locations.get(m.warehouse) ?? new Set()).add(m.location));
  const items: ItemInput[] = [...itemIds].map((id) => ({
    id,
    name: id,
    baseUnit: "pcs",
    ...(v.settings.standardCosts?.[id] ? { standardCost: v.settings.standardCosts[id] } : {}),
  }));
  const created = StockLedger.create({
    settings: {
      method: v.method as ValuationMethod,
      allowLifo: v.method === "lifo",
      moneyScale: scale,
      negativeStock: v.settings.negativeStock,
      timeZone: v.settings.timeZone,
    },
    items,
    warehouses: [...warehouseIds].map((id) => ({ id, locations: [...(locations.get(id) ?? [])].map((l) => ({ id: l })) })),
  });
  if (Result.isFailure(created)) return { name: v.name, failures: [`ledger: ${created.failure.message}`] };
  const ledger = created.success;
  v.opening.forEach((o, i) => {
    const r = ledger.post({
      id: `opening-${i}`,
      businessId: `opening-${i}`,
      at: o.asOf,
      type: "opening-balance",
      lines: [{ item: o.item, warehouse: o.warehouse, qty: o.qty, value: o.value }],
    });
    if (Result.isFailure(r)) failures.push(`opening ${i}: ${r.failure.message}`);
  });
  let error: { tag: string; document: string } | undefined;
  for (const m of v.moves) {
    const r = ledger.post(toDocument(m));
    if (Result.isFailure(r)) {
      const f = r.failure as { _tag: string; document?: string; message: string };
      error = { tag: f._tag, document: f.document ?? m.id };
      if (!v.expect.error) failures.push(`move ${m.id}: ${f.message}`);
      break;
    }
  }
  for (const period of v.closePeriods) {
    if (error) break;
    const r = ledger.closePeriod(period);
    if (Result.isFailure(r)) failures.push(`close ${period}: ${r.failure.message}`);
  }
  if (v.expect.error) {
    if (!error) failures.push(`expected error ${v.expect.error.tag ?? "(any)"}, but every move posted`);
    else {
      if (v.expect.error.tag && error.tag !== v.expect.error.tag) failures.push(`expected error ${v.expect.error.tag}, got ${error.tag}`);
      if (v.expect.error.move && error.document !== v.expect.error.move) failures.push(`expected the error to name ${v.expect.error.move}, it names ${error.document}`);
    }
  }
  for (const [id, cost] of Object.entries(v.expect.costs ?? {})) {
    const move = ledger.move(`${id}#0`) ?? ledger.move(`${id}#0:out`);
    if (!move) failures.push(`cost of ${id}: no such move`);
    else if (!move.cost.eq(cost))
      failures.push(`cost of ${id}: expected ${cost}, got ${formatMoney(move.cost, scale)}`);
  }
  for (const b of v.expect.balances ?? []) {
    const r = ledger.balance({ item: b.item, warehouse: b.warehouse });
    if (Result.isFailure(r)) failures.push(`balance ${b.item}@${b.warehouse}: ${r.failure.message}`);
    else {
      const got = { qty: r.success.qty.toString(), value: formatMoney(r.success.value, scale) };
      if (!r.success.qty.eq(b.qty) || !r.success.value.eq(b.value))
        failures.push(`balance ${b.item}@${b.warehouse}: expected ${b.qty} / ${b.value}, got ${got.qty} / ${got.value}`);
    }
  }
  return { name: v.name, failures };
};
