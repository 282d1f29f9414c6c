/**
 * The benchmark workload, the same for every system: `edges` sites each apply `opsPerEdge`
 * stock operations on `items` items — sales (−1…−3 units) and, one in ten, receipts (+1…+10
 * units) — generated from a seed, so every child process regenerates exactly the same demand.
 *
 * Every item starts with `initialPerItem` units in stock (at the center). A site decides a sale
 * on what it knows between two exchanges: jxc on its escrow rights (the center's stock split
 * evenly among the sites, plus its own receipts); Automerge and Yjs on their counter — the
 * initial stock plus the site's own changes — because a counter cannot refuse a concurrent
 * decrement. After the full merge, an item below zero is oversold by that many units.
 *
 * Sites exchange with the center every `batch` operations (one delta frame, one Automerge
 * change, one Yjs transaction) — the bench's stand-in for the 30-second summary.
 *
 * @module
 */
import { seededRandom } from "../src/testing/network.js";
import { collectGarbage, cpuMs } from "../../../scripts/bench-gc.js";

export { collectGarbage, cpuMs };

/** Sizes of the workload. */
export interface Workload {
  readonly edges: number;
  readonly opsPerEdge: number;
  readonly items: number;
  readonly initialPerItem: number;
  readonly batch: number;
  readonly seed: number;
}

/** The workload from the environment (defaults: the 50 × 20,000 on 5,000 items). */
export const workloadFromEnv = (): Workload => {
  const n = (name: string, fallback: number) => {
    const v = Number(process.env[name] ?? fallback);
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  const edges = n("JXC_BENCH_EDGES", 50);
  return {
    edges,
    opsPerEdge: n("JXC_BENCH_OPS", 20_000),
    items: n("JXC_BENCH_ITEMS", 5_000),
    // Two units of rights per site and item: demand (≈ 3.3 units sold per site and item) exceeds it.
    initialPerItem: n("JXC_BENCH_INITIAL", 2 * edges),
    batch: n("JXC_BENCH_BATCH", 1_000),
    seed: n("JXC_BENCH_SEED", 20_260_101),
  };
};

/** The operations of one site: item index and signed quantity (negative: sale, positive: receipt). */
export interface EdgeOps {
  readonly items: Uint32Array;
  readonly deltas: Int32Array;
}

/** The operations of site `edge` (0-based), the same in every process. */
export const edgeOps = (w: Workload, edge: number): EdgeOps => {
  const random = seededRandom((w.seed ^ Math.imul(edge + 1, 0x9e3779b1)) >>> 0);
  const items = new Uint32Array(w.opsPerEdge);
  const deltas = new Int32Array(w.opsPerEdge);
  for (let i = 0; i < w.opsPerEdge; i++) {
    items[i] = random.nextInt(w.items);
    deltas[i] = random.next() < 0.1 ? 1 + random.nextInt(10) : -(1 + random.nextInt(3));
  }
  return { items, deltas };
};

/** Item names as the systems store them. */
export const itemName = (i: number): string => `i${i}`;

/** Units oversold: the sum over items of how far below zero each ends. */
export const oversold = (finalStock: ArrayLike<number>): number => {
  let units = 0;
  for (let i = 0; i < finalStock.length; i++) if (finalStock[i]! < 0) units -= finalStock[i]!;
  return units;
};

/** What one system's child process reports. */
export interface SystemReport {
  readonly system: string;
  readonly ops: number;
  readonly accepted: number;
  readonly refused: number;
  readonly applySeconds: number;
  readonly opsPerSecond: number;
  /** CPU seconds of this process (all threads, garbage collection included) in the timed part. */
  readonly applyCpuSeconds: number;
  /** Operations per CPU second: steadier than the wall-clock rate on a shared machine. */
  readonly opsPerCpuSecond: number;
  readonly mergeSeconds: number;
  readonly bytesSent: number;
  readonly bytesPer100: number;
  readonly peakRssMb: number;
  /** Resident memory after loading the libraries, before the workload (the same code is loaded in every child). */
  readonly baselineRssMb: number;
  readonly oversold: number;
  /** Stock after the merge, summed over items (a cross-check between systems). */
  readonly totalStock: number;
  readonly note?: string;
}

/** What a system measured, before the figures derived from it. */
export interface SystemMeasurement {
  readonly accepted: number;
  readonly refused: number;
  readonly applyMs: number;
  /** CPU time of the timed part ({@link cpuMs} differences). */
  readonly applyCpuMs: number;
  readonly mergeMs: number;
  readonly bytesSent: number;
  readonly baselineRssMb: number;
  /** Stock per item at the center after the merge. */
  readonly finalStock: ArrayLike<number>;
}

/** A system's report: its measurements with the rates, bytes per 100 operations, peak memory and oversold units derived. */
export const systemReport = (system: string, w: Workload, m: SystemMeasurement): SystemReport => {
  const ops = w.edges * w.opsPerEdge;
  let totalStock = 0;
  for (let i = 0; i < m.finalStock.length; i++) totalStock += m.finalStock[i]!;
  return {
    system,
    ops,
    accepted: m.accepted,
    refused: m.refused,
    applySeconds: m.applyMs / 1000,
    opsPerSecond: Math.round(ops / (m.applyMs / 1000)),
    applyCpuSeconds: m.applyCpuMs / 1000,
    opsPerCpuSecond: Math.round(ops / (m.applyCpuMs / 1000)),
    mergeSeconds: m.mergeMs / 1000,
    bytesSent: m.bytesSent,
    bytesPer100: (100 * m.bytesSent) / ops,
    peakRssMb: peakRssMb(),
    baselineRssMb: m.baselineRssMb,
    oversold: oversold(m.finalStock),
    totalStock,
  };
};


/** Peak resident memory of this process so far, in MB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** Resident memory now, in MB. */
export const rssMb = (): number => process.memoryUsage().rss / 1048576;

