/**
 * Voucher derivation benchmark (`npm run bench -w @jxc/ledger`).
 *
 * A seeded generator (mulberry32) builds 1,000,000 business events — sales-outbound,
 * purchase-receipt, sales-return, purchase-return and stocktake, 1–20 lines each — over 3,000
 * items (goods and raw materials), 5 warehouses, 2,000 customers and 300 suppliers, with prices,
 * VAT rates 0.13 / 0.09 / 0.06 (some prices tax-inclusive), and valuation costs. Events are built
 * in chunks of 50,000 outside every timed region; per chunk it then times, separately:
 *
 *  1. the full public path `deriveVouchers` on the wire events (validation of event and entity,
 *     then derivation), and the same through a `voucherDeriver` made once for the entity (the
 *     entity validated once, business dates from one `Intl` date format of its zone);
 *  2. zod parsing alone (`BusinessEventSchema.parse`), which yields the parsed events for
 *  3. the parsed hot path `derive` (its vouchers are counted, checked against 1., and dropped);
 *  4. `Journal.post` of the vouchers of 1.
 *
 * Alongside it builds the stock sub-ledger the valuation would have written — the stock-value
 * change per business and warehouse, computed independently in integer cents: + net purchase
 * value for receipts (the default general-taxpayer template books 库存商品 at `net`), − cost for
 * sales, + cost for sales returns, − cost for purchase returns, ± cost for stocktake gains and
 * losses — and finally times `reconcileInventory` over the whole journal, which must report ok.
 *
 * The journal keeps every posted voucher (≈ 6 GB of heap for 1,000,000 events), more than Node's
 * default heap limit: when the limit is below {@link HEAP_MB}, the bench re-runs itself in a child
 * process with `--max-old-space-size` (or set `NODE_OPTIONS=--max-old-space-size=12288`).
 *
 * Rates are wall-clock; the derivation lines also give documents per CPU second of the process
 * (all its threads, GC included), which stays meaningful on a machine shared with other work.
 * `JXC_BENCH_EVENTS` sets the number of events.
 *
 * The last line printed holds the figures as key=value pairs: `docs_per_s` and `lines_per_s` of
 * `deriveVouchers`, `reconcile_s`, `peak_rss_mb`, then `deriver_docs_per_s` of the
 * `voucherDeriver`. Targets (printed, not asserted): ≥ 100,000 documents/s, reconciliation < 5 s.
 */
import { spawnSync } from "node:child_process";
import { getHeapStatistics } from "node:v8";
import { Result } from "effect";
import { Dec } from "@jxc/core";
import {
  type BusinessEvent,
  BusinessEventSchema,
  type BusinessEventInput,
  EntitySchema,
  Journal,
  type SubLedgerEntry,
  type Voucher,
  casChart,
  defaultTemplateSet,
  derive,
  deriveVouchers,
  loadTemplates,
  reconcileInventory,
  voucherDeriver,
} from "../src/index.js";

const EVENTS = Number(process.env["JXC_BENCH_EVENTS"] ?? 1_000_000);
const CHUNK = 50_000;
const ITEMS = 3_000;
const WAREHOUSES = ["W1", "W2", "W3", "W4", "W5"] as const;
const CUSTOMERS = 2_000;
const SUPPLIERS = 300;
const SEED = 20260315;
const TARGET_DOCS_PER_S = 100_000;
const TARGET_RECONCILE_S = 5;
const HEAP_MB = 12_288;

if (getHeapStatistics().heap_size_limit < (HEAP_MB - 1024) * 1024 * 1024 && process.env["JXC_BENCH_CHILD"] === undefined) {
  console.log(`heap limit ${Math.round(getHeapStatistics().heap_size_limit / 1048576)} MB is too small: re-running with --max-old-space-size=${HEAP_MB}`);
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, JXC_BENCH_CHILD: "1" },
  });
  process.exit(child.status ?? 1);
}

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
  readonly entries: SubLedgerEntry[];
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
    for (const [warehouse, cents] of stock) chunk.entries.push({ businessId, document, warehouse, value: new Dec(fixed(cents, 2)) });
  }
  return chunk;
};

// ——— setup ———

const chart = casChart();
const loaded = loadTemplates(defaultTemplateSet, chart);
if (Result.isFailure(loaded)) throw new Error(`default templates do not load: ${loaded.failure.message}`);
const templates = loaded.success;
const entityInput = { id: "bench", taxpayer: "general" as const };
const entity = EntitySchema.parse(entityInput);
const deriverMade = voucherDeriver(chart, templates, entityInput);
if (Result.isFailure(deriverMade)) throw new Error(`entity refused: ${deriverMade.failure.message}`);
const deriver = deriverMade.success;
const journal = new Journal(chart);
const subLedger: SubLedgerEntry[] = [];

const seconds = (ms: number) => ms / 1000;
/** CPU time (user + system, all threads of the process) in ms: on a shared machine, next to the wall-clock figures. */
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);
const fmt = (n: number) => n.toLocaleString("en-US");

let publicMs = 0;
let publicCpuMs = 0;
let deriverMs = 0;
let deriverCpuMs = 0;
let deriverLines = 0;
let parseMs = 0;
let hotMs = 0;
let postMs = 0;
let eventLines = 0;
let publicVouchers = 0;
let publicLines = 0;
let hotLines = 0;
let failures = 0;
let firstFailure = "";
let rejected = 0;
let firstRejection = "";

console.log(`ledger derive bench: ${fmt(EVENTS)} events in chunks of ${fmt(CHUNK)}, ${fmt(ITEMS)} items × ${WAREHOUSES.length} warehouses, seed ${SEED}`);

for (let from = 0; from < EVENTS; from += CHUNK) {
  const chunk = generate(from, Math.min(CHUNK, EVENTS - from));
  eventLines += chunk.eventLines;

  // 1. public path: zod parsing of the wire event and the entity, then derivation
  const vouchers: Voucher[] = [];
  let cpu = process.cpuUsage();
  let t = performance.now();
  for (const event of chunk.events) {
    const r = deriveVouchers(event, chart, templates, entityInput);
    if (Result.isSuccess(r)) for (const v of r.success) vouchers.push(v);
    else if (failures++ === 0) firstFailure = `${event.businessId}: ${r.failure.message}`;
  }
  publicMs += performance.now() - t;
  publicCpuMs += cpuMs(process.cpuUsage(cpu));
  for (const v of vouchers) publicLines += v.lines.length;
  publicVouchers += vouchers.length;

  // 1b. the same events through a voucherDeriver (its vouchers are counted, checked against 1., and dropped)
  let linesOfDeriver = 0;
  cpu = process.cpuUsage();
  t = performance.now();
  for (const event of chunk.events) {
    const r = deriver.derive(event);
    if (Result.isSuccess(r)) for (const v of r.success) linesOfDeriver += v.lines.length;
  }
  deriverMs += performance.now() - t;
  deriverCpuMs += cpuMs(process.cpuUsage(cpu));
  deriverLines += linesOfDeriver;

  // 2. zod parsing alone, which gives the parsed events of the hot path
  t = performance.now();
  const parsed: BusinessEvent[] = chunk.events.map((e) => BusinessEventSchema.parse(e));
  parseMs += performance.now() - t;

  // 3. parsed hot path
  let lines = 0;
  t = performance.now();
  for (const event of parsed) {
    const r = derive(event, chart, templates, entity);
    if (Result.isSuccess(r)) for (const v of r.success) lines += v.lines.length;
  }
  hotMs += performance.now() - t;
  hotLines += lines;

  // 4. posting (atomic per chunk)
  t = performance.now();
  const posted = journal.post(vouchers);
  postMs += performance.now() - t;
  if (Result.isFailure(posted) && rejected++ === 0) firstRejection = posted.failure.message;

  for (const e of chunk.entries) subLedger.push(e);
  const done = from + chunk.events.length;
  if (done % 100_000 === 0 || done === EVENTS)
    console.error(`… ${fmt(done)} events: public ${fmt(perSecond(done, publicMs))} docs/s, deriver ${fmt(perSecond(done, deriverMs))} docs/s, hot ${fmt(perSecond(done, hotMs))} docs/s, heap ${fmt(Math.round(process.memoryUsage().heapUsed / 1048576))} MB`);
}

// 5. reconciliation of the sub-ledger with 1403 原材料 and 1405 库存商品, per warehouse
let t = performance.now();
const reconciliation = reconcileInventory(journal, subLedger);
const reconcileMs = performance.now() - t;
t = performance.now();
const trial = journal.trialBalance();
const trialMs = performance.now() - t;

const docsPerS = perSecond(EVENTS, publicMs);
const linesPerS = perSecond(publicLines, publicMs);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const reconcileS = seconds(reconcileMs);

console.log(`events: ${fmt(EVENTS)} with ${fmt(eventLines)} lines; vouchers: ${fmt(publicVouchers)} with ${fmt(publicLines)} lines`);
console.log(
  `deriveVouchers (one-shot):     ${fmt(docsPerS)} docs/s, ${fmt(linesPerS)} voucher lines/s in ${seconds(publicMs).toFixed(2)} s ` +
    `[target ≥ ${fmt(TARGET_DOCS_PER_S)} docs/s: ${docsPerS >= TARGET_DOCS_PER_S ? "met" : "MISSED"}] (per CPU second: ${fmt(perSecond(EVENTS, publicCpuMs))} docs)`,
);
const deriverDocsPerS = perSecond(EVENTS, deriverMs);
console.log(
  `voucherDeriver.derive:         ${fmt(deriverDocsPerS)} docs/s, ${fmt(perSecond(deriverLines, deriverMs))} voucher lines/s in ${seconds(deriverMs).toFixed(2)} s ` +
    `[target ≥ ${fmt(TARGET_DOCS_PER_S)} docs/s: ${deriverDocsPerS >= TARGET_DOCS_PER_S ? "met" : "MISSED"}] (per CPU second: ${fmt(perSecond(EVENTS, deriverCpuMs))} docs)`,
);
console.log(`derive (parsed hot path):      ${fmt(perSecond(EVENTS, hotMs))} docs/s, ${fmt(perSecond(hotLines, hotMs))} voucher lines/s in ${seconds(hotMs).toFixed(2)} s`);
console.log(`zod parse alone:               ${fmt(perSecond(EVENTS, parseMs))} docs/s in ${seconds(parseMs).toFixed(2)} s`);
console.log(`Journal.post:                  ${fmt(perSecond(publicVouchers, postMs))} vouchers/s, ${fmt(perSecond(publicLines, postMs))} lines/s in ${seconds(postMs).toFixed(2)} s`);
console.log(
  `reconcileInventory:            ${fmt(subLedger.length)} sub-ledger entries in ${reconcileS.toFixed(2)} s, ok=${reconciliation.ok} ` +
    `(sub-ledger ${reconciliation.subLedger.toFixed(2)}, GL ${reconciliation.generalLedger.toFixed(2)}, accounts ${reconciliation.accounts.join(", ")}) ` +
    `[target < ${TARGET_RECONCILE_S} s: ${reconcileS < TARGET_RECONCILE_S ? "met" : "MISSED"}]`,
);
console.log(`trialBalance:                  ${trial.rows.length} rows in ${seconds(trialMs).toFixed(2)} s, balanced=${trial.balanced}`);
if (failures > 0) console.log(`WARNING: ${fmt(failures)} events failed to derive; first: ${firstFailure}`);
if (deriverLines !== publicLines) console.log(`WARNING: the deriver derived ${fmt(deriverLines)} voucher lines, the public path ${fmt(publicLines)}`);
if (hotLines !== publicLines) console.log(`WARNING: the hot path derived ${fmt(hotLines)} voucher lines, the public path ${fmt(publicLines)}`);
if (rejected > 0) console.log(`WARNING: the journal rejected ${rejected} chunk(s); first: ${firstRejection}`);
if (!reconciliation.ok) {
  const off = reconciliation.warehouses.filter((w) => !w.difference.isZero());
  console.log(
    `WARNING: reconciliation is not ok: ${off.map((w) => `${w.warehouse} sub ${w.subLedger.toFixed(2)} ≠ GL ${w.generalLedger.toFixed(2)} (${w.businesses.length} businesses)`).join("; ") || "totals differ"}`,
  );
}
if (!trial.balanced) console.log(`WARNING: trial balance does not balance: ${trial.debit.toFixed(2)} ≠ ${trial.credit.toFixed(2)}`);
console.log(`peak RSS: ${fmt(peakRssMb)} MB`);
console.log(`docs_per_s=${docsPerS} lines_per_s=${linesPerS} reconcile_s=${reconcileS.toFixed(2)} peak_rss_mb=${peakRssMb} deriver_docs_per_s=${deriverDocsPerS}`);
