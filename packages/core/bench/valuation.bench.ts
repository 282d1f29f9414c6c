/**
 * Valuation benchmark of the stock ledger (`npm run bench -w @jxc/core`).
 *
 * A seeded generator (mulberry32) builds a stream of 1,000,000 moves over 10,000 items × 5
 * warehouses in business-time order: purchase receipts, sales outbounds (never beyond what is
 * on hand) and some transfers (a transfer line is 2 moves), 10–50 lines per document; the first
 * 50,000 moves are receipts (opening stock-up). Every document object is built before any timing.
 * It then measures, in this order:
 *
 *  1. a bare decimal.js FIFO loop over the same documents, first, on a clean heap (decimal
 *     strings parsed in the loop, a plain array of layers per item × warehouse, money rounded
 *     half-up to 2 places);
 *  2. moves valued per second posting the whole stream through `ledger.post` (validation,
 *     move building, valuation, bookkeeping), once with FIFO and once with moving average,
 *     each on a fresh ledger;
 *  3. in each of those ledgers, the time of one backdated purchase receipt into a position
 *     holding 10,000 later moves (receipts and issues), which re-values all of them — the
 *     median of 5 runs on 5 different items; `backdated_ms` is the worse of the two methods;
 *  4. peak RSS of the process (`resourceUsage().maxRSS`), and the ratio ledger FIFO ÷ bare.
 *     The ledger and the bare loop must agree on the closing FIFO stock value (checked).
 *
 * Rates and times are per CPU-second of this process (all its threads, garbage collection
 * included), so that other work on a shared machine does not count; wall-clock figures are
 * printed beside them. Right before each clock starts — the bare loop, each ledger's stream,
 * each backdated receipt — the garbage of what ran before is collected (`collectGarbage`, with
 * node's `--expose-gc`, as `npm run bench` runs it): a backdated post would otherwise pay for
 * promoting the 10,000 postings of its setup, and each section for sweeping the one before. The last line printed holds every figure as key=value pairs. Targets (printed, not asserted):
 * ≥ 250,000 moves/s per method, backdated post < 50 ms, ratio to bare ≥ 0.5.
 */
import Decimal from "decimal.js";
import { Result } from "effect";
import { StockLedger, type StockDocumentInput, type ValuationMethod } from "../src/index.js";
import { collectGarbage } from "../../../scripts/bench-gc.js";

const MOVES = Number(process.env.JXC_BENCH_MOVES ?? 1_000_000);
const ITEMS = 10_000;
const WAREHOUSES = ["W1", "W2", "W3", "W4", "W5"];
const BACKDATED_MOVES = 10_000;
const BACKDATED_RUNS = 5;

type Doc<T extends StockDocumentInput["type"]> = Extract<StockDocumentInput, { type: T }>;

// ——— deterministic stream ———

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const rand = mulberry32(20260101);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

const T0 = Date.parse("2025-01-01T00:00:00Z");
let minute = 0;
const nextAt = (): string => new Date(T0 + (minute += 5) * 60_000).toISOString();

const itemId = (i: number): string => `SKU${String(i).padStart(5, "0")}`;
const baseCost = Array.from({ length: ITEMS }, () => int(100, 50_000)); // 分
const unitCost = (i: number): string => ((baseCost[i]! * (0.9 + 0.2 * rand())) / 100).toFixed(4);
const onHand = new Int32Array(ITEMS * WAREHOUSES.length); // index item × warehouse
const pickStocked = (): number => {
  for (let tries = 0; tries < 20; tries++) {
    const p = int(0, onHand.length - 1);
    if (onHand[p]! > 0) return p;
  }
  return -1;
};

const docs: StockDocumentInput[] = [];
for (let moves = 0; moves < MOVES; ) {
  const id = `D${docs.length}`;
  const header = { id, businessId: `B${docs.length}`, at: nextAt() };
  const r = rand();
  const n = int(10, 50);
  if (r < 0.4 || moves < 50_000) {
    const lines: Doc<"purchase-receipt">["lines"] = [];
    for (let k = 0; k < Math.min(n, MOVES - moves); k++) {
      const i = int(0, ITEMS - 1);
      const w = int(0, WAREHOUSES.length - 1);
      const qty = int(10, 100);
      onHand[i * WAREHOUSES.length + w]! += qty;
      lines.push({ item: itemId(i), warehouse: WAREHOUSES[w]!, qty: String(qty), unitCost: unitCost(i) });
    }
    docs.push({ ...header, type: "purchase-receipt", supplier: `S${int(1, 200)}`, lines });
    moves += lines.length;
  } else if (r < 0.9) {
    const lines: Doc<"sales-outbound">["lines"] = [];
    for (let k = 0; k < Math.min(n, MOVES - moves); k++) {
      const p = pickStocked();
      if (p < 0) continue;
      const qty = int(1, Math.min(onHand[p]!, 60));
      onHand[p]! -= qty;
      lines.push({ item: itemId(Math.floor(p / WAREHOUSES.length)), warehouse: WAREHOUSES[p % WAREHOUSES.length]!, qty: String(qty) });
    }
    if (lines.length > 0) docs.push({ ...header, type: "sales-outbound", customer: `C${int(1, 2000)}`, lines });
    moves += lines.length;
  } else {
    const lines: Doc<"transfer">["lines"] = [];
    for (let k = 0; k < Math.min(n, Math.floor((MOVES - moves) / 2)); k++) {
      const p = pickStocked();
      if (p < 0) continue;
      const item = Math.floor(p / WAREHOUSES.length);
      const from = p % WAREHOUSES.length;
      const to = (from + int(1, WAREHOUSES.length - 1)) % WAREHOUSES.length;
      const qty = int(1, Math.min(onHand[p]!, 40));
      onHand[p]! -= qty;
      onHand[item * WAREHOUSES.length + to]! += qty;
      lines.push({ item: itemId(item), qty: String(qty), from: { warehouse: WAREHOUSES[from]! }, to: { warehouse: WAREHOUSES[to]! } });
    }
    if (lines.length > 0) docs.push({ ...header, type: "transfer", lines });
    moves += 2 * lines.length;
  }
}

// Backdating: per run, one item at W1 with 10,000 moves after the stream, then one receipt dated before everything.
const backdated = Array.from({ length: BACKDATED_RUNS }, (_, run) => {
  const item = `BACK${run}`;
  const setup: StockDocumentInput[] = [];
  let stock = 0;
  for (let m = 0; m < BACKDATED_MOVES; m++) {
    const header = { id: `${item}-${m}`, businessId: `${item}-${m}`, at: nextAt() };
    if (stock === 0 || rand() < 0.5) {
      const qty = int(10, 100);
      stock += qty;
      setup.push({ ...header, type: "purchase-receipt", lines: [{ item, warehouse: "W1", qty: String(qty), unitCost: (10 + 5 * rand()).toFixed(4) }] });
    } else {
      const qty = int(1, stock);
      stock -= qty;
      setup.push({ ...header, type: "sales-outbound", lines: [{ item, warehouse: "W1", qty: String(qty) }] });
    }
  }
  const late: StockDocumentInput = {
    id: `${item}-backdated`,
    businessId: `${item}-backdated`,
    at: new Date(T0 - 86_400_000).toISOString(),
    type: "purchase-receipt",
    lines: [{ item, warehouse: "W1", qty: "50", unitCost: "9.8765" }],
  };
  return { setup, late };
});

const items = [
  ...Array.from({ length: ITEMS }, (_, i) => ({ id: itemId(i), name: `Item ${i}`, baseUnit: "pcs" })),
  ...backdated.map((_, run) => ({ id: `BACK${run}`, name: `Backdated ${run}`, baseUnit: "pcs" })),
];
const warehouses = WAREHOUSES.map((id) => ({ id }));

// ——— measurements ———

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall-clock and CPU time (this process, all its threads: GC included) of a section. */
interface Clock {
  readonly wall: bigint;
  readonly cpu: NodeJS.CpuUsage;
}
const startClock = (): Clock => ({ wall: process.hrtime.bigint(), cpu: process.cpuUsage() });
const elapsed = (c: Clock): { wallS: number; cpuS: number } => {
  const cpu = process.cpuUsage(c.cpu);
  return { wallS: Number(process.hrtime.bigint() - c.wall) / 1e9, cpuS: (cpu.user + cpu.system) / 1e6 };
};

const post = (ledger: StockLedger, doc: StockDocumentInput): void => {
  const r = ledger.post(doc);
  if (Result.isFailure(r)) throw new Error(`posting ${String((doc as { id: string }).id)}: ${r.failure.message}`);
};

const runLedger = (method: ValuationMethod) => {
  const created = StockLedger.create({ settings: { method }, items, warehouses });
  if (!Result.isSuccess(created)) throw new Error(created.failure.message);
  const ledger = created.success;
  collectGarbage();
  const clock = startClock();
  for (const doc of docs) post(ledger, doc);
  const { wallS, cpuS } = elapsed(clock);
  const movesPerS = MOVES / cpuS;
  const balances = ledger.balances();
  if (!Result.isSuccess(balances)) throw new Error(balances.failure.message);
  const stockValue = balances.success.reduce((sum, b) => sum.plus(b.value), new Decimal(0));
  const times = backdated.map(({ setup, late }) => {
    for (const doc of setup) post(ledger, doc);
    collectGarbage();
    const c = startClock();
    post(ledger, late);
    const { wallS, cpuS } = elapsed(c);
    return { wallMs: wallS * 1000, cpuMs: cpuS * 1000 };
  });
  const backdatedMs = median(times.map((t) => t.cpuMs));
  console.log(
    `${method}: ${ledger.size} moves, ${Math.round(movesPerS)} moves per CPU-second (${Math.round(MOVES / wallS)} per wall-clock second); ` +
      `backdated receipt over ${BACKDATED_MOVES} moves: median ${backdatedMs.toFixed(2)} CPU ms ` +
      `(runs ${times.map((t) => t.cpuMs.toFixed(1)).join(", ")}; wall ${times.map((t) => t.wallMs.toFixed(1)).join(", ")})`,
  );
  return { movesPerS, backdatedMs, stockValue };
};

/** FIFO with nothing but decimal.js: a plain array of layers per item × warehouse. */
const runBare = () => {
  const D = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });
  type Layer = { qty: Decimal; value: Decimal };
  const pools = new Map<string, Layer[]>();
  const pool = (key: string): Layer[] => {
    let layers = pools.get(key);
    if (!layers) pools.set(key, (layers = []));
    return layers;
  };
  const take = (layers: Layer[], qty: Decimal): Layer[] => {
    const slices: Layer[] = [];
    let left = qty;
    while (left.gt(0)) {
      const layer = layers[0]!;
      if (layer.qty.lte(left)) {
        slices.push(layer);
        layers.shift();
        left = left.minus(layer.qty);
      } else {
        const value = layer.value.times(left).dividedBy(layer.qty).toDecimalPlaces(2);
        slices.push({ qty: left, value });
        layers[0] = { qty: layer.qty.minus(left), value: layer.value.minus(value) };
        left = new D(0);
      }
    }
    return slices;
  };
  let costOfSales = new D(0);
  let moves = 0;
  collectGarbage();
  const clock = startClock();
  for (const doc of docs) {
    switch (doc.type) {
      case "purchase-receipt":
        for (const line of doc.lines) {
          const qty = new D(line.qty);
          pool(`${line.item}@${line.warehouse}`).push({ qty, value: qty.times(line.unitCost).toDecimalPlaces(2) });
          moves++;
        }
        break;
      case "sales-outbound":
        for (const line of doc.lines) {
          for (const s of take(pool(`${line.item}@${line.warehouse}`), new D(line.qty))) costOfSales = costOfSales.plus(s.value);
          moves++;
        }
        break;
      case "transfer":
        for (const line of doc.lines) {
          const slices = take(pool(`${line.item}@${line.from.warehouse}`), new D(line.qty));
          pool(`${line.item}@${line.to.warehouse}`).push(...slices);
          moves += 2;
        }
        break;
    }
  }
  const { wallS, cpuS } = elapsed(clock);
  const movesPerS = moves / cpuS;
  let stockValue = new D(0);
  for (const layers of pools.values()) for (const l of layers) stockValue = stockValue.plus(l.value);
  console.log(
    `bare decimal.js FIFO: ${moves} moves, ${Math.round(movesPerS)} moves per CPU-second (${Math.round(moves / wallS)} per wall-clock second); cost of sales ${costOfSales.toFixed(2)}`,
  );
  return { movesPerS, stockValue };
};

console.log(`stream: ${docs.length} documents, ${MOVES} moves, ${ITEMS} items × ${WAREHOUSES.length} warehouses`);
const bare = runBare();
const fifo = runLedger("fifo");
const ma = runLedger("moving-average");
// The backdated positions are valued after the stream's stock value was taken, so both values cover the same moves.
if (!fifo.stockValue.eq(bare.stockValue))
  throw new Error(`FIFO stock value differs: ledger ${fifo.stockValue.toFixed(2)}, bare ${bare.stockValue.toFixed(2)}`);
console.log(`closing stock value (FIFO) ${fifo.stockValue.toFixed(2)}: ledger and bare loop agree; moving average ${ma.stockValue.toFixed(2)}`);

const peakRssMb = process.resourceUsage().maxRSS / 1024;
const backdatedMs = Math.max(fifo.backdatedMs, ma.backdatedMs);
const ratio = fifo.movesPerS / bare.movesPerS;
console.log(
  `targets: ≥250000 moves/s ${fifo.movesPerS >= 250_000 && ma.movesPerS >= 250_000 ? "met" : "MISSED"}, ` +
    `backdated <50 ms ${backdatedMs < 50 ? "met" : "MISSED"}, ratio ≥0.5 ${ratio >= 0.5 ? "met" : "MISSED"}`,
);
console.log(
  `fifo_moves_per_s=${Math.round(fifo.movesPerS)} ma_moves_per_s=${Math.round(ma.movesPerS)} backdated_ms=${backdatedMs.toFixed(2)} ` +
    `peak_rss_mb=${peakRssMb.toFixed(1)} bare_moves_per_s=${Math.round(bare.movesPerS)} ratio_to_bare=${ratio.toFixed(2)}`,
);
