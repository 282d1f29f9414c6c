/**
 * Voucher derivation benchmark (`npm run bench -w @jxc/ledger`).
 *
 * A seeded generator (mulberry32) streams 1,000,000 business documents — sales-outbound,
 * purchase-receipt, sales-return, purchase-return and stocktake, 1–20 lines each — over 3,000
 * items (goods and raw materials), 5 warehouses, 2,000 customers and 300 suppliers, with prices,
 * VAT rates 0.13 / 0.09 / 0.06 (some prices tax-inclusive), and valuation costs, with the stock
 * sub-ledger the valuation would have written for each (the stock-value change per warehouse,
 * computed independently in integer cents: + net purchase value for receipts, which the default
 * general-taxpayer template books at `net`; − cost for sales, + cost for sales returns, − cost
 * for purchase returns, ± cost for stocktake gains and losses).
 *
 * Documents are made in chunks of {@link CHUNK}, outside every timed region, and dropped once
 * folded: nothing grows with the number of documents but the reconciliation's totals. Per chunk
 * it times, separately:
 *
 *  1. `voucherDeriver.derive` on the wire documents — each validated (exactly what
 *     `BusinessEventSchema` accepts) and derived into real {@link Voucher}s with decimal
 *     amounts: the documents and lines per second of the figures;
 *  2. the check of every voucher: counted, and its balance checked (`isBalanced`);
 *  3. the reconciliation: the document's sub-ledger entries and its vouchers folded into an
 *     {@link InventoryReconciler} — with the final `result()`, `reconcile_s`, which must be ok;
 *  4. on every tenth document, the one-shot `deriveVouchers` (event and entity validated per
 *     call), whose voucher lines must be those of 1.
 *
 * Rates are given per wall-clock second and per CPU second of the process (user + system, all
 * its threads, GC included), which stays meaningful on a machine shared with other work.
 * `JXC_BENCH_EVENTS` sets the number of documents. `npm run bench` compiles this file as the
 * package is compiled (`bench/tsup.config.ts`) and runs it with plain node; under a TypeScript
 * loader (`tsx bench/derive.bench.ts`) the loader's own heap makes collections dearer and the
 * rates lower.
 *
 * The last line printed holds the figures as key=value pairs: `docs_per_s`, `lines_per_s`
 * (event lines) and `voucher_lines_per_s` of 1. (wall clock), `reconcile_s`, `peak_rss_mb`,
 * then `docs_per_cpu_s`, `vouchers` (all derived and balanced), `unbalanced` and
 * `oneshot_docs_per_cpu_s`. Targets (printed, not asserted): ≥ 100,000 documents/s,
 * reconciliation < 5 s.
 */
import { Result } from "effect";
import { Dec } from "@jxc/core";
import {
  type BusinessEventInput,
  InventoryReconciler,
  type SubLedgerEntry,
  type Voucher,
  casChart,
  defaultTemplateSet,
  deriveVouchers,
  isBalanced,
  loadTemplates,
  voucherDeriver,
} from "../src/index.js";

const EVENTS = Number(process.env["JXC_BENCH_EVENTS"] ?? 1_000_000);
const CHUNK = 100;
const ITEMS = 3_000;
const WAREHOUSES = ["W1", "W2", "W3", "W4", "W5"] as const;
const CUSTOMERS = 2_000;
const SUPPLIERS = 300;
const SEED = 20260315;
const TARGET_DOCS_PER_S = 100_000;
const TARGET_RECONCILE_S = 5;
/** Every how many documents the one-shot `deriveVouchers` is timed as well. */
const ONE_SHOT_EVERY = 10;

// ——— deterministic stream ———

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const rand = mulberry32(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(rand() * xs.length)]!;

/** Integer cents (or milli-units) written as a decimal string: 12345 → "123.45". */
const fixed = (n: number, places: number): string => {
  const unit = 10 ** places;
  const a = Math.abs(n);
  return `${n < 0 ? "-" : ""}${Math.floor(a / unit)}.${String(a % unit).padStart(places, "0")}`;
};
/** ⌊n ÷ d + ½⌋ for non-negative integers, exactly (half-up). */
const divHalfUp = (n: number, d: number): number => {
  const num = 2 * n + d;
  const den = 2 * d;
  let q = Math.floor(num / den);
  if (q * den > num) q--;
  else if ((q + 1) * den <= num) q++;
  return q;
};

interface Item {
  readonly id: string;
  readonly category: "goods" | "raw-material";
  readonly taxPct: 13 | 9 | 6;
  /** Valuation cost per unit, in 1/10,000 yuan. */
  readonly unitCost4: number;
  /** Quantities in thousandths (kg, m) rather than whole units. */
  readonly fractional: boolean;
}
const items: Item[] = Array.from({ length: ITEMS }, (_, i) => {
  const r = rand();
  return {
    id: `SKU${String(i).padStart(5, "0")}`,
    category: rand() < 0.2 ? "raw-material" : "goods",
    taxPct: r < 0.75 ? 13 : r < 0.92 ? 9 : 6,
    unitCost4: int(50, 200_000) * 100 + int(0, 99), // 0.5000 … 2000.0099 yuan
    fractional: rand() < 0.15,
  };
});

const T0 = Date.parse("2025-01-01T00:00:00Z") + 8 * 3_600_000; // wall clock in Asia/Shanghai
const atOf = (n: number): string => new Date(T0 + n * 20_000).toISOString().replace(".000Z", "+08:00");

type Kind = "sales-outbound" | "purchase-receipt" | "sales-return" | "purchase-return" | "stocktake";
const kindOf = (r: number): Kind => (r < 0.45 ? "sales-outbound" : r < 0.72 ? "purchase-receipt" : r < 0.8 ? "sales-return" : r < 0.87 ? "purchase-return" : "stocktake");
const PREFIX: Record<Kind, string> = { "sales-outbound": "XSCK", "purchase-receipt": "CGRK", "sales-return": "XSTH", "purchase-return": "CGTH", stocktake: "PD" };

interface Chunk {
  readonly events: BusinessEventInput[];
  /** Per event, the sub-ledger entries the valuation wrote for it. */
  readonly entries: SubLedgerEntry[][];
  eventLines: number;
}

/** Events `from … from + count − 1`, and the sub-ledger entries the valuation would write for them. */
const generate = (from: number, count: number): Chunk => {
  const chunk: Chunk = { events: [], entries: [], eventLines: 0 };
  for (let n = from; n < from + count; n++) {
    const type = kindOf(rand());
    const businessId = `B${String(n).padStart(7, "0")}`;
    const document = `${PREFIX[type]}${String(n).padStart(7, "0")}`;
    const priceIncludesTax = type !== "stocktake" && rand() < 0.3;
    const homeWarehouse = pick(WAREHOUSES);
    const mixedWarehouses = rand() < 0.2;
    const stock = new Map<string, number>(); // warehouse → change of stock value in cents
    const lines: BusinessEventInput["lines"] = [];
    const count = int(1, 20);
    for (let k = 0; k < count; k++) {
      const item = items[int(0, ITEMS - 1)]!;
      const warehouse = mixedWarehouses ? pick(WAREHOUSES) : homeWarehouse;
      const qtyMilli = item.fractional ? int(100, 50_000) : int(1, 200) * 1000;
      // cost = round(qty × unit cost × (0.97…1.03)): 1e-3 × 1e-4 yuan = 1e-5 cents
      const unitCost4 = Math.round(item.unitCost4 * (0.97 + 0.06 * rand()));
      const cost = divHalfUp(qtyMilli * unitCost4, 100_000);
      let delta: number;
      if (type === "stocktake") {
        const gain = rand() < 0.35;
        lines.push({ item: item.id, category: item.category, warehouse, qty: fixed(gain ? qtyMilli : -qtyMilli, 3), cost: fixed(cost, 2) });
        delta = gain ? cost : -cost;
      } else {
        const sale = type === "sales-outbound" || type === "sales-return";
        // a sale marks up the cost by 15–60 %; a purchase is near the cost
        const netUnitCents = Math.max(1, Math.round((unitCost4 / 100) * (sale ? 1.15 + 0.45 * rand() : 0.98 + 0.04 * rand())));
        const unitCents = priceIncludesTax ? Math.round((netUnitCents * (100 + item.taxPct)) / 100) : netUnitCents;
        const extended = divHalfUp(qtyMilli * unitCents, 1000); // cents, half-up
        const net = priceIncludesTax ? divHalfUp(extended * 100, 100 + item.taxPct) : extended;
        // a receipt is valued at its net purchase value; everything else at the valuation's cost
        const valued = type === "purchase-receipt" ? net : cost;
        lines.push({
          item: item.id,
          category: item.category,
          warehouse,
          qty: fixed(qtyMilli, 3),
          unitPrice: fixed(unitCents, 2),
          taxRate: `0.${String(item.taxPct).padStart(2, "0")}`,
          cost: fixed(valued, 2),
        });
        delta = type === "purchase-receipt" || type === "sales-return" ? valued : -valued;
      }
      stock.set(warehouse, (stock.get(warehouse) ?? 0) + delta);
    }
    const sale = type === "sales-outbound" || type === "sales-return";
    const counterparty =
      type === "stocktake" ? {} : sale ? { customer: `C${String(int(1, CUSTOMERS)).padStart(4, "0")}` } : { supplier: `S${String(int(1, SUPPLIERS)).padStart(3, "0")}` };
    chunk.events.push({ type, businessId, document, at: atOf(n), priceIncludesTax, ...counterparty, lines });
    chunk.eventLines += lines.length;
    const entries: SubLedgerEntry[] = [];
    for (const [warehouse, cents] of stock) entries.push({ businessId, document, warehouse, value: new Dec(fixed(cents, 2)) });
    chunk.entries.push(entries);
  }
  return chunk;
};

// ——— setup ———

const chart = casChart();
const loaded = loadTemplates(defaultTemplateSet, chart);
if (Result.isFailure(loaded)) throw new Error(`default templates do not load: ${loaded.failure.message}`);
const templates = loaded.success;
const entityInput = { id: "bench", taxpayer: "general" as const };
const deriverMade = voucherDeriver(chart, templates, entityInput);
if (Result.isFailure(deriverMade)) throw new Error(`entity refused: ${deriverMade.failure.message}`);
const deriver = deriverMade.success;
const reconciler = new InventoryReconciler(chart);

/** CPU time (user + system, all threads of the process) in ms: on a shared machine, next to the wall-clock figures. */
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);
const fmt = (n: number) => n.toLocaleString("en-US");

let deriveMs = 0;
let deriveCpuMs = 0;
let checkMs = 0;
let foldMs = 0;
let foldCpuMs = 0;
let oneShotMs = 0;
let oneShotCpuMs = 0;
let oneShotDocs = 0;
let oneShotLines = 0;
let oneShotExpected = 0;
let eventLines = 0;
let vouchers = 0;
let voucherLines = 0;
let unbalanced = 0;
let firstUnbalanced = "";
let failures = 0;
let firstFailure = "";
const startCpu = process.cpuUsage();
const start = performance.now();

console.log(`ledger derive bench: ${fmt(EVENTS)} documents streamed in chunks of ${fmt(CHUNK)}, ${fmt(ITEMS)} items × ${WAREHOUSES.length} warehouses, seed ${SEED}`);

const empty: Voucher[] = [];
for (let from = 0; from < EVENTS; from += CHUNK) {
  const chunk = generate(from, Math.min(CHUNK, EVENTS - from));
  const n = chunk.events.length;
  eventLines += chunk.eventLines;

  // 1. derivation: validation of the wire document, then its vouchers
  const derived = new Array<Voucher[]>(n);
  let cpu = process.cpuUsage();
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const r = deriver.derive(chunk.events[i]);
    if (Result.isSuccess(r)) derived[i] = r.success;
    else {
      derived[i] = empty;
      if (failures++ === 0) firstFailure = `${chunk.events[i]!.businessId}: ${r.failure.message}`;
    }
  }
  deriveMs += performance.now() - t;
  deriveCpuMs += cpuMs(process.cpuUsage(cpu));

  // 2. every voucher counted and its balance checked
  t = performance.now();
  for (let i = 0; i < n; i++)
    for (const v of derived[i]!) {
      vouchers++;
      voucherLines += v.lines.length;
      if (!isBalanced(v) && unbalanced++ === 0) firstUnbalanced = v.id;
    }
  checkMs += performance.now() - t;

  // 3. the sub-ledger and the vouchers of each document folded into the reconciliation
  cpu = process.cpuUsage();
  t = performance.now();
  for (let i = 0; i < n; i++) reconciler.add(chunk.entries[i]!, derived[i]!);
  foldMs += performance.now() - t;
  foldCpuMs += cpuMs(process.cpuUsage(cpu));

  // 4. the one-shot public path on every tenth document
  let expected = 0;
  for (let i = 0; i < n; i += ONE_SHOT_EVERY) for (const v of derived[i]!) expected += v.lines.length;
  let lines = 0;
  cpu = process.cpuUsage();
  t = performance.now();
  for (let i = 0; i < n; i += ONE_SHOT_EVERY) {
    const r = deriveVouchers(chunk.events[i], chart, templates, entityInput);
    oneShotDocs++;
    if (Result.isSuccess(r)) for (const v of r.success) lines += v.lines.length;
  }
  oneShotMs += performance.now() - t;
  oneShotCpuMs += cpuMs(process.cpuUsage(cpu));
  oneShotLines += lines;
  oneShotExpected += expected;

  const done = from + n;
  if (done % 100_000 === 0 || done === EVENTS)
    console.error(
      `… ${fmt(done)} documents: ${fmt(perSecond(done, deriveMs))} docs/s (${fmt(perSecond(done, deriveCpuMs))} per CPU s), heap ${fmt(Math.round(process.memoryUsage().heapUsed / 1048576))} MB`,
    );
}

let cpu = process.cpuUsage();
let t = performance.now();
const reconciliation = reconciler.result();
const resultMs = performance.now() - t;
const resultCpuMs = cpuMs(process.cpuUsage(cpu));
const totalS = (performance.now() - start) / 1000;
const totalCpuS = cpuMs(process.cpuUsage(startCpu)) / 1000;

const docsPerS = perSecond(EVENTS, deriveMs);
const docsPerCpuS = perSecond(EVENTS, deriveCpuMs);
const linesPerS = perSecond(eventLines, deriveMs);
const voucherLinesPerS = perSecond(voucherLines, deriveMs);
const reconcileS = (foldMs + resultMs) / 1000;
const reconcileCpuS = (foldCpuMs + resultCpuMs) / 1000;
const oneShotPerCpuS = perSecond(oneShotDocs, oneShotCpuMs);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

console.log(`documents: ${fmt(EVENTS)} with ${fmt(eventLines)} lines; vouchers: ${fmt(vouchers)} with ${fmt(voucherLines)} lines, unbalanced: ${fmt(unbalanced)}`);
console.log(
  `voucherDeriver.derive:  ${fmt(docsPerS)} docs/s, ${fmt(linesPerS)} document lines/s, ${fmt(voucherLinesPerS)} voucher lines/s in ${(deriveMs / 1000).toFixed(2)} s wall ` +
    `[target ≥ ${fmt(TARGET_DOCS_PER_S)} docs/s: ${docsPerS >= TARGET_DOCS_PER_S ? "met" : "MISSED"}]; per CPU second: ${fmt(docsPerCpuS)} docs, ${fmt(perSecond(eventLines, deriveCpuMs))} document lines (${(deriveCpuMs / 1000).toFixed(2)} CPU s)`,
);
console.log(`balance check:          ${fmt(perSecond(vouchers, checkMs))} vouchers/s in ${(checkMs / 1000).toFixed(2)} s`);
console.log(
  `reconciliation:         ${fmt(EVENTS)} documents folded in ${(foldMs / 1000).toFixed(2)} s + result in ${(resultMs / 1000).toFixed(3)} s = ${reconcileS.toFixed(2)} s wall (${reconcileCpuS.toFixed(2)} CPU s), ok=${reconciliation.ok} ` +
    `(sub-ledger ${reconciliation.subLedger.toFixed(2)}, GL ${reconciliation.generalLedger.toFixed(2)}, accounts ${reconciliation.accounts.join(", ")}) ` +
    `[target < ${TARGET_RECONCILE_S} s: ${reconcileS < TARGET_RECONCILE_S ? "met" : "MISSED"}]`,
);
console.log(
  `deriveVouchers (one-shot, every ${ONE_SHOT_EVERY}th document): ${fmt(perSecond(oneShotDocs, oneShotMs))} docs/s wall, ${fmt(oneShotPerCpuS)} per CPU second`,
);
console.log(`whole run (generation included): ${totalS.toFixed(1)} s wall, ${totalCpuS.toFixed(1)} CPU s`);
if (failures > 0) console.log(`WARNING: ${fmt(failures)} documents failed to derive; first: ${firstFailure}`);
if (unbalanced > 0) console.log(`WARNING: ${fmt(unbalanced)} vouchers do not balance; first: ${firstUnbalanced}`);
if (oneShotLines !== oneShotExpected) console.log(`WARNING: the one-shot path derived ${fmt(oneShotLines)} voucher lines, the deriver ${fmt(oneShotExpected)}`);
if (!reconciliation.ok) {
  const off = reconciliation.warehouses.filter((w) => !w.difference.isZero());
  console.log(
    `WARNING: reconciliation is not ok: ${off.map((w) => `${w.warehouse} sub ${w.subLedger.toFixed(2)} ≠ GL ${w.generalLedger.toFixed(2)} (${w.businesses.length} businesses)`).join("; ") || "totals differ"}`,
  );
}
console.log(`peak RSS: ${fmt(peakRssMb)} MB`);
console.log(
  `docs_per_s=${docsPerS} lines_per_s=${linesPerS} reconcile_s=${reconcileS.toFixed(2)} peak_rss_mb=${peakRssMb} ` +
    `docs_per_cpu_s=${docsPerCpuS} voucher_lines_per_s=${voucherLinesPerS} vouchers=${vouchers} unbalanced=${unbalanced} oneshot_docs_per_cpu_s=${oneShotPerCpuS}`,
);
