/**
 * `npm run bench -w @jxc/sync` — jxc replicas, Automerge 3 and Yjs side by side on one workload
 * (see `workload.ts`: 50 sites × 20,000 stock operations on 5,000 items, then a full merge at
 * the center). Each system runs in its own child process (this file re-spawned with
 * `--system <name>`), so the peak resident memory printed is that system's alone.
 *
 * Printed per system: operations applied per second (at the sites, including producing the
 * bytes they send) in wall-clock time and per CPU second of the child process (the steadier
 * figure on a shared machine; the last three key=value pairs), merge time at the center, bytes sent per 100 operations, peak RSS (every
 * child loads the same code — all three systems — and collects garbage before and after each site's untimed setup; the RSS
 * after loading is printed too), and the
 * units oversold after the merge (the demand is the same for all; only jxc's escrow refuses a
 * sale beyond the site's rights). Then the end-to-end propagation latency p50/p99 from an edge
 * operation to the center over the in-memory transport with 20 ms link delay, measured in
 * VIRTUAL time (the simulated network's clock: link delay + waiting for the next flush; CPU
 * time is not included). The last line holds the figures as key=value pairs.
 *
 * Sizes by environment: JXC_BENCH_EDGES, JXC_BENCH_OPS (per site), JXC_BENCH_ITEMS,
 * JXC_BENCH_BATCH (operations between two exchanges), JXC_BENCH_SYSTEMS (comma-separated).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { runAutomerge } from "./automerge-side.js";
import { runJxc, measureLatency, type LatencyReport } from "./jxc-side.js";
import { runYjs } from "./yjs-side.js";
import { workloadFromEnv, type SystemReport } from "./workload.js";

const SYSTEMS = ["jxc", "automerge", "yjs"] as const;
type System = (typeof SYSTEMS)[number];
const RESULT = "RESULT ";

const w = workloadFromEnv();
const systemArg = process.argv.indexOf("--system");

if (systemArg >= 0) {
  // Child: one system.
  const system = process.argv[systemArg + 1] as System | "latency";
  const report: SystemReport | LatencyReport =
    system === "jxc" ? runJxc(w) : system === "automerge" ? runAutomerge(w) : system === "yjs" ? runYjs(w) : measureLatency(w);
  console.log(RESULT + JSON.stringify(report));
} else {
  const wanted = (process.env["JXC_BENCH_SYSTEMS"] ?? SYSTEMS.join(",")).split(",") as System[];
  console.log(`@jxc/sync bench — ${w.edges} sites × ${w.opsPerEdge.toLocaleString("en")} stock operations on ${w.items.toLocaleString("en")} items (${(w.edges * w.opsPerEdge).toLocaleString("en")} in all), ${w.initialPerItem} units per item at start, an exchange every ${w.batch} operations; node ${process.version}`);
  const runChild = (name: string): unknown => {
    const child = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", process.argv[1]!, "--system", name], {
      encoding: "utf8",
      env: process.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout.split("\n").find((l) => l.startsWith(RESULT));
    if (child.status !== 0 || line === undefined) {
      console.log(`  ${name}: FAILED (exit ${child.status})\n${child.stderr.slice(-2000)}`);
      return undefined;
    }
    return JSON.parse(line.slice(RESULT.length));
  };
  const reports = new Map<string, SystemReport>();
  for (const s of wanted) {
    const r = runChild(s) as SystemReport | undefined;
    if (r === undefined) continue;
    reports.set(s, r);
    console.log(
      `  ${s.padEnd(9)} ${Math.round(r.opsPerSecond).toLocaleString("en").padStart(12)} ops/s (${Math.round(r.opsPerCpuSecond).toLocaleString("en")} per CPU-s)  merge ${r.mergeSeconds.toFixed(3).padStart(7)} s  ${r.bytesPer100.toFixed(1).padStart(7)} B/100 ops  peak RSS ${r.peakRssMb.toFixed(0).padStart(5)} MB (${r.baselineRssMb.toFixed(0)} MB after loading)  oversold ${r.oversold.toLocaleString("en").padStart(9)} units  (accepted ${r.accepted.toLocaleString("en")}, refused ${r.refused.toLocaleString("en")}, stock after merge ${r.totalStock.toLocaleString("en")})${r.note ? `  [${r.note}]` : ""}`,
    );
  }
  const latency = runChild("latency") as LatencyReport | undefined;
  if (latency !== undefined) {
    console.log(
      `  latency   edge operation → applied at the center, in-memory transport, ${latency.linkDelayMs} ms links, flush every ${latency.flushIntervalMs} ms (virtual time, ${latency.samples} samples): p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms`,
    );
  }
  const jxc = reports.get("jxc");
  const am = reports.get("automerge");
  const yjs = reports.get("yjs");
  if (jxc && am && yjs) {
    const mark = (ok: boolean) => (ok ? "✓" : "✗");
    const cpu = (r: SystemReport) => r.opsPerCpuSecond;
    console.log(
      `targets: ≥100× Automerge ${mark(jxc.opsPerSecond >= 100 * am.opsPerSecond)} (${(jxc.opsPerSecond / am.opsPerSecond).toFixed(1)}×; per CPU-s ${(cpu(jxc) / cpu(am)).toFixed(1)}×), ≥5× Yjs ${mark(jxc.opsPerSecond >= 5 * yjs.opsPerSecond)} (${(jxc.opsPerSecond / yjs.opsPerSecond).toFixed(1)}×; per CPU-s ${(cpu(jxc) / cpu(yjs)).toFixed(1)}×), ≤300 B/100 ops ${mark(jxc.bytesPer100 <= 300)}, less peak memory than both ${mark(jxc.peakRssMb < am.peakRssMb && jxc.peakRssMb < yjs.peakRssMb)}, 0 oversold ${mark(jxc.oversold === 0)}`,
    );
  }
  const num = (r: SystemReport | undefined, f: (r: SystemReport) => number, digits = 0) => (r === undefined ? "NaN" : f(r).toFixed(digits));
  console.log(
    [
      `jxc_ops_per_s=${num(jxc, (r) => r.opsPerSecond)}`,
      `automerge_ops_per_s=${num(am, (r) => r.opsPerSecond)}`,
      `yjs_ops_per_s=${num(yjs, (r) => r.opsPerSecond)}`,
      `jxc_bytes_per_100=${num(jxc, (r) => r.bytesPer100, 1)}`,
      `automerge_bytes_per_100=${num(am, (r) => r.bytesPer100, 1)}`,
      `yjs_bytes_per_100=${num(yjs, (r) => r.bytesPer100, 1)}`,
      `jxc_oversold=${num(jxc, (r) => r.oversold)}`,
      `automerge_oversold=${num(am, (r) => r.oversold)}`,
      `yjs_oversold=${num(yjs, (r) => r.oversold)}`,
      `p50_ms=${latency === undefined ? "NaN" : latency.p50Ms.toFixed(1)}`,
      `p99_ms=${latency === undefined ? "NaN" : latency.p99Ms.toFixed(1)}`,
      `jxc_ops_per_cpu_s=${num(jxc, (r) => r.opsPerCpuSecond)}`,
      `automerge_ops_per_cpu_s=${num(am, (r) => r.opsPerCpuSecond)}`,
      `yjs_ops_per_cpu_s=${num(yjs, (r) => r.opsPerCpuSecond)}`,
    ].join(" "),
  );
}
