import type { Dec } from "@jxc/core";
import type { ChartOfAccounts } from "./chart.js";
import { ExactSum } from "./fixed-units.js";
import type { Journal } from "./journal.js";
import type { Voucher } from "./voucher.js";

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

/** The result of {@link reconcileInventory} and {@link InventoryReconciler.result}. */
export interface InventoryReconciliation {
  readonly ok: boolean;
  /** The inventory accounts compared. */
  readonly accounts: ReadonlyArray<string>;
  readonly subLedger: Dec;
  readonly generalLedger: Dec;
  readonly warehouses: ReadonlyArray<WarehouseReconciliation>;
}

/** A business and warehouse whose stock-value changes do not agree (yet). */
interface Pending {
  readonly businessId: string;
  readonly sub: ExactSum;
  readonly gl: ExactSum;
  readonly documents: Set<string>;
  readonly vouchers: Set<string>;
}

/** Per-warehouse totals of both sides. */
interface Totals {
  readonly warehouse: string;
  readonly sub: ExactSum;
  readonly gl: ExactSum;
  /** The businesses of the warehouse whose sides differ. */
  readonly pending: Map<string, Pending>;
  /** What the fold under way changes, per business (empty between folds). */
  readonly changes: Map<string, Change>;
}

/** What one fold changes for a business in a warehouse (reused from fold to fold). */
interface Change {
  totals: Totals;
  businessId: string;
  readonly sub: ExactSum;
  readonly gl: ExactSum;
  /** The business kept as differing, whose evidence this fold adds to. */
  kept: Pending | undefined;
}

/**
 * Reconciliation of the stock sub-ledger with the inventory accounts of the general ledger as
 * postings arrive: each {@link InventoryReconciler.add} folds the sub-ledger entries of one
 * posting and the vouchers derived from it into totals per warehouse, and keeps a business (per
 * warehouse) only while its two sides differ — so memory stays bounded by the businesses that do
 * not agree, however many are folded. Amounts are summed exactly as integers of the money unit
 * while they can be, in decimal.js otherwise.
 *
 * A business folded in one `add` is reported with all its documents and vouchers; for one
 * folded over several, the figures and evidence of a difference are those since its two sides
 * last agreed.
 *
 * @example
 * ```ts
 * const reconciler = new InventoryReconciler(chart);
 * for (const posting of postings) reconciler.add(posting.entries, posting.vouchers);
 * reconciler.result().ok;
 * ```
 */
export class InventoryReconciler {
  /** The inventory accounts compared (库存商品 and the other stock accounts, by role). */
  readonly accounts: ReadonlyArray<string>;
  private readonly inventory: ReadonlySet<string>;
  private readonly scale: number;
  /** Inventory lines without a warehouse: in the general ledger's total, in no warehouse. */
  private readonly glElsewhere = new ExactSum();
  private readonly byWarehouse = new Map<string, Totals>();
  private readonly changes: Change[] = [];
  private changeCount = 0;
  /** The change found last in the fold under way (lines of one voucher mostly share it). */
  private lastChange: Change | undefined = undefined;

  /**
   * @param chart The chart whose accounts of `roles` are the inventory accounts.
   * @param options `roles` of the inventory accounts (default `inventory`, `raw-materials`);
   *   `moneyScale`, the places summed as integers (default 2; other amounts stay exact in decimal.js).
   */
  constructor(chart: ChartOfAccounts, options: { readonly roles?: ReadonlyArray<string>; readonly moneyScale?: number } = {}) {
    const roles = options.roles ?? ["inventory", "raw-materials"];
    this.accounts = roles.flatMap((r) => {
      const a = chart.byRole(r);
      return a ? [a.code] : [];
    });
    this.inventory = new Set(this.accounts);
    this.scale = options.moneyScale ?? 2;
  }

  /** Folds one posting: its sub-ledger entries and the vouchers derived from it (either may be empty). */
  add(entries: Iterable<SubLedgerEntry>, vouchers: Iterable<Voucher>): void {
    const scale = this.scale;
    const entryList = Array.isArray(entries) ? (entries as ReadonlyArray<SubLedgerEntry>) : [...entries];
    const voucherList = Array.isArray(vouchers) ? (vouchers as ReadonlyArray<Voucher>) : [...vouchers];
    for (let i = 0; i < entryList.length; i++) {
      const e = entryList[i]!;
      this.changeOf(e.warehouse, e.businessId).sub.add(e.value, scale);
    }
    for (let i = 0; i < voucherList.length; i++) {
      const v = voucherList[i]!;
      const lines = v.lines;
      for (let j = 0; j < lines.length; j++) {
        const line = lines[j]!;
        if (!this.inventory.has(line.account)) continue;
        const sign = line.side === "debit" ? 1 : -1;
        const w = line.auxiliaries["warehouse"];
        if (w !== undefined) this.changeOf(w, v.businessId).gl.add(line.amount, scale, sign);
        else this.glElsewhere.add(line.amount, scale, sign);
      }
    }
    // into the totals; a business is kept while its sides differ, with the evidence of this fold
    let evidence = false;
    const n = this.changeCount;
    for (let i = 0; i < n; i++) {
      const c = this.changes[i]!;
      const totals = c.totals;
      totals.sub.addSum(c.sub, scale);
      totals.gl.addSum(c.gl, scale);
      let p = totals.pending.get(c.businessId);
      if (p === undefined) {
        if (c.sub.equals(c.gl, scale)) continue;
        p = { businessId: c.businessId, sub: new ExactSum(), gl: new ExactSum(), documents: new Set(), vouchers: new Set() };
        totals.pending.set(c.businessId, p);
      }
      p.sub.addSum(c.sub, scale);
      p.gl.addSum(c.gl, scale);
      c.kept = p;
      evidence = true;
    }
    if (evidence) {
      for (let i = 0; i < entryList.length; i++) {
        const e = entryList[i]!;
        const kept = this.byWarehouse.get(e.warehouse)!.changes.get(e.businessId)!.kept;
        if (kept !== undefined && e.document) kept.documents.add(e.document);
      }
      for (let i = 0; i < voucherList.length; i++) {
        const v = voucherList[i]!;
        for (const line of v.lines) {
          const w = line.auxiliaries["warehouse"];
          if (w === undefined || !this.inventory.has(line.account)) continue;
          const kept = this.byWarehouse.get(w)!.changes.get(v.businessId)!.kept;
          if (kept !== undefined) kept.vouchers.add(v.id);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const c = this.changes[i]!;
      if (c.kept !== undefined && c.kept.sub.equals(c.kept.gl, scale)) c.totals.pending.delete(c.businessId);
      c.totals.changes.clear();
      c.kept = undefined;
    }
    this.changeCount = 0;
    this.lastChange = undefined;
  }

  /** The reconciliation of everything folded so far. */
  result(): InventoryReconciliation {
    const scale = this.scale;
    const warehouses: WarehouseReconciliation[] = [];
    let differing = 0;
    const subTotal = new ExactSum();
    const glTotal = new ExactSum();
    glTotal.addSum(this.glElsewhere, scale);
    for (const w of [...this.byWarehouse.keys()].sort()) {
      const t = this.byWarehouse.get(w)!;
      const sub = t.sub.total(scale);
      const gl = t.gl.total(scale);
      subTotal.addSum(t.sub, scale);
      glTotal.addSum(t.gl, scale);
      const businesses: BusinessDifference[] = [];
      if (!t.sub.equals(t.gl, scale)) {
        differing++;
        for (const p of t.pending.values()) {
          const s = p.sub.total(scale);
          const g = p.gl.total(scale);
          businesses.push({ businessId: p.businessId, subLedger: s, generalLedger: g, difference: s.minus(g), documents: [...p.documents].sort(), vouchers: [...p.vouchers].sort() });
        }
        businesses.sort((x, y) => (x.businessId < y.businessId ? -1 : x.businessId > y.businessId ? 1 : 0));
      }
      warehouses.push({ warehouse: w, subLedger: sub, generalLedger: gl, difference: sub.minus(gl), businesses });
    }
    return {
      ok: differing === 0 && subTotal.equals(glTotal, scale),
      accounts: this.accounts,
      subLedger: subTotal.total(scale),
      generalLedger: glTotal.total(scale),
      warehouses,
    };
  }

  /** What the fold under way changes for a business in a warehouse. */
  private changeOf(warehouse: string, businessId: string): Change {
    const last = this.lastChange;
    if (last !== undefined && last.businessId === businessId && last.totals.warehouse === warehouse) return last;
    let totals = this.byWarehouse.get(warehouse);
    if (totals === undefined) this.byWarehouse.set(warehouse, (totals = { warehouse, sub: new ExactSum(), gl: new ExactSum(), pending: new Map(), changes: new Map() }));
    let c = totals.changes.get(businessId);
    if (c !== undefined) return (this.lastChange = c);
    c = this.changes[this.changeCount];
    if (c === undefined) this.changes.push((c = { totals, businessId, sub: new ExactSum(), gl: new ExactSum(), kept: undefined }));
    else {
      c.totals = totals;
      c.businessId = businessId;
      c.sub.clear();
      c.gl.clear();
    }
    this.changeCount++;
    totals.changes.set(businessId, c);
    return (this.lastChange = c);
  }
}

/**
 * Reconciles the stock sub-ledger with the inventory accounts of a journal (库存商品 and the
 * other stock accounts, found by role), in total and per warehouse (the `warehouse` auxiliary).
 * For a warehouse whose totals differ it lists every business ID whose changes differ, with its
 * documents and vouchers — a transfer between warehouses of one entity, which derives no
 * voucher, shows up here as a difference of both warehouses that nets to zero. Each business is
 * folded into an {@link InventoryReconciler} once, with all its entries and vouchers.
 */
export const reconcileInventory = (
  journal: Journal,
  entries: Iterable<SubLedgerEntry>,
  options: { readonly roles?: ReadonlyArray<string>; readonly moneyScale?: number } = {},
): InventoryReconciliation => {
  const reconciler = new InventoryReconciler(journal.chart, options);
  const byBusiness = new Map<string, SubLedgerEntry[]>();
  for (const e of entries) {
    const list = byBusiness.get(e.businessId);
    if (list === undefined) byBusiness.set(e.businessId, [e]);
    else list.push(e);
  }
  for (const [businessId, list] of byBusiness) reconciler.add(list, journal.ofBusiness(businessId));
  const rest = new Map<string, Voucher[]>();
  for (const v of journal.vouchers()) {
    if (byBusiness.has(v.businessId)) continue;
    const list = rest.get(v.businessId);
    if (list === undefined) rest.set(v.businessId, [v]);
    else list.push(v);
  }
  for (const vouchers of rest.values()) reconciler.add([], vouchers);
  return reconciler.result();
};
