import { type Dec, ZERO } from "@jxc/core";
import type { Journal } from "./journal.js";

/** A change of stock value in the sub-ledger (库存明细账), as `@jxc/core` valued it. */
export interface SubLedgerEntry {
  readonly businessId: string;
  readonly document?: string | undefined;
  readonly warehouse: string;
  /** Change of the warehouse's stock value (negative for an issue). */
  readonly value: Dec;
}

/** A business whose stock-value change differs between the sub-ledger and the general ledger. */
export interface BusinessDifference {
  readonly businessId: string;
  readonly subLedger: Dec;
  readonly generalLedger: Dec;
  readonly difference: Dec;
  /** The documents (sub-ledger) and vouchers (general ledger) behind the difference. */
  readonly documents: ReadonlyArray<string>;
  readonly vouchers: ReadonlyArray<string>;
}

/** Reconciliation of one warehouse: both totals and, when they differ, the businesses that explain it. */
export interface WarehouseReconciliation {
  readonly warehouse: string;
  readonly subLedger: Dec;
  readonly generalLedger: Dec;
  readonly difference: Dec;
  readonly businesses: ReadonlyArray<BusinessDifference>;
}

/** The result of {@link reconcileInventory}. */
export interface InventoryReconciliation {
  readonly ok: boolean;
  /** The inventory accounts compared. */
  readonly accounts: ReadonlyArray<string>;
  readonly subLedger: Dec;
  readonly generalLedger: Dec;
  readonly warehouses: ReadonlyArray<WarehouseReconciliation>;
}

/**
 * Reconciles the stock sub-ledger with the inventory accounts of the general ledger (库存商品 and
 * the other stock accounts, found by role), in total and per warehouse (the `warehouse`
 * auxiliary). For a warehouse whose totals differ it lists every business ID whose changes differ,
 * with its documents and vouchers — a transfer between warehouses of one entity, which derives no
 * voucher, shows up here as a difference of both warehouses that nets to zero.
 */
export const reconcileInventory = (
  journal: Journal,
  entries: Iterable<SubLedgerEntry>,
  options: { readonly roles?: ReadonlyArray<string> } = {},
): InventoryReconciliation => {
  const roles = options.roles ?? ["inventory", "raw-materials"];
  const accounts = roles.flatMap((r) => {
    const a = journal.chart.byRole(r);
    return a ? [a.code] : [];
  });
  const subByWarehouse = new Map<string, Dec>();
  const subEntries: SubLedgerEntry[] = [];
  for (const e of entries) {
    subEntries.push(e);
    subByWarehouse.set(e.warehouse, (subByWarehouse.get(e.warehouse) ?? ZERO).plus(e.value));
  }
  const glByWarehouse = new Map<string, Dec>();
  let generalLedger = ZERO;
  for (const account of accounts) {
    generalLedger = generalLedger.plus(journal.debitBalance(account));
    for (const w of journal.auxiliaryValues(account, "warehouse"))
      glByWarehouse.set(w, (glByWarehouse.get(w) ?? ZERO).plus(journal.debitBalance(account, { dimension: "warehouse", value: w })));
  }
  let subLedger = ZERO;
  for (const v of subByWarehouse.values()) subLedger = subLedger.plus(v);
  const warehouses: WarehouseReconciliation[] = [];
  const differing = new Set<string>();
  for (const w of [...new Set([...subByWarehouse.keys(), ...glByWarehouse.keys()])].sort()) {
    const sub = subByWarehouse.get(w) ?? ZERO;
    const gl = glByWarehouse.get(w) ?? ZERO;
    if (!sub.eq(gl)) differing.add(w);
    warehouses.push({ warehouse: w, subLedger: sub, generalLedger: gl, difference: sub.minus(gl), businesses: [] });
  }
  if (differing.size > 0) {
    const detail = businessDetail(journal, accounts, subEntries, differing);
    for (let i = 0; i < warehouses.length; i++) {
      const w = warehouses[i]!;
      if (differing.has(w.warehouse)) warehouses[i] = { ...w, businesses: detail.get(w.warehouse) ?? [] };
    }
  }
  return { ok: differing.size === 0 && subLedger.eq(generalLedger), accounts, subLedger, generalLedger, warehouses };
};

const businessDetail = (
  journal: Journal,
  accounts: ReadonlyArray<string>,
  entries: ReadonlyArray<SubLedgerEntry>,
  warehouses: ReadonlySet<string>,
): Map<string, BusinessDifference[]> => {
  type Acc = { sub: Dec; gl: Dec; documents: Set<string>; vouchers: Set<string> };
  const per = new Map<string, Map<string, Acc>>();
  const acc = (w: string, b: string): Acc => {
    let byBusiness = per.get(w);
    if (!byBusiness) per.set(w, (byBusiness = new Map()));
    let a = byBusiness.get(b);
    if (!a) byBusiness.set(b, (a = { sub: ZERO, gl: ZERO, documents: new Set(), vouchers: new Set() }));
    return a;
  };
  for (const e of entries) {
    if (!warehouses.has(e.warehouse)) continue;
    const a = acc(e.warehouse, e.businessId);
    a.sub = a.sub.plus(e.value);
    if (e.document) a.documents.add(e.document);
  }
  const inventory = new Set(accounts);
  for (const v of journal.vouchers())
    for (const line of v.lines) {
      const w = line.auxiliaries["warehouse"];
      if (!inventory.has(line.account) || w === undefined || !warehouses.has(w)) continue;
      const a = acc(w, v.businessId);
      a.gl = line.side === "debit" ? a.gl.plus(line.amount) : a.gl.minus(line.amount);
      a.vouchers.add(v.id);
    }
  const out = new Map<string, BusinessDifference[]>();
  for (const [w, byBusiness] of per) {
    const rows: BusinessDifference[] = [];
    for (const [businessId, a] of byBusiness)
      if (!a.sub.eq(a.gl))
        rows.push({ businessId, subLedger: a.sub, generalLedger: a.gl, difference: a.sub.minus(a.gl), documents: [...a.documents].sort(), vouchers: [...a.vouchers].sort() });
    rows.sort((x, y) => (x.businessId < y.businessId ? -1 : x.businessId > y.businessId ? 1 : 0));
    out.set(w, rows);
  }
  return out;
};
