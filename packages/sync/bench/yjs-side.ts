/**
 * The workload through Yjs: Yjs has no counter type, so each site keeps a `Y.Map` of counters
 * it alone writes (item → the site's running total of changes), one transaction per `batch`
 * operations, and sends each transaction's update; the center applies every update to one
 * document (the full merge) and adds the sites' totals to the initial stock.
 *
 * @module
 */
import * as Y from "yjs";
import { edgeOps, itemName, collectGarbage, cpuMs, rssMb, systemReport, type SystemReport, type Workload } from "./workload.js";

/** Runs the workload through Yjs and reports. */
export const runYjs = (w: Workload): SystemReport => {
  collectGarbage();
  const baselineRssMb = rssMb();
  const sent: Uint8Array[] = [];
  let bytesSent = 0;
  let accepted = 0;
  let refused = 0;
  let applyMs = 0;
  let applyCpuMs = 0;
  for (let e = 0; e < w.edges; e++) {
    collectGarbage();
    const ops = edgeOps(w, e);
    const doc = new Y.Doc();
    const counters = doc.getMap<number>(`site${e}`);
    doc.on("update", (update: Uint8Array) => {
      sent.push(update);
      bytesSent += update.byteLength;
    });
    const view = new Int32Array(w.items).fill(w.initialPerItem);
    const own = new Int32Array(w.items);
    collectGarbage(); // the setup's garbage, before the clock starts
    const t0 = performance.now();
    const c0 = cpuMs();
    for (let start = 0; start < w.opsPerEdge; start += w.batch) {
      const end = Math.min(w.opsPerEdge, start + w.batch);
      doc.transact(() => {
        for (let i = start; i < end; i++) {
          const item = ops.items[i]!;
          const delta = ops.deltas[i]!;
          if (delta < 0 && view[item]! < -delta) {
            refused++;
            continue;
          }
          view[item]! += delta;
          own[item]! += delta;
          counters.set(itemName(item), own[item]!);
          accepted++;
        }
      });
    }
    applyMs += performance.now() - t0;
    applyCpuMs += cpuMs() - c0;
    doc.destroy();
  }
  const m0 = performance.now();
  const center = new Y.Doc();
  for (const update of sent) Y.applyUpdate(center, update);
  const finalStock = new Float64Array(w.items).fill(w.initialPerItem);
  for (let e = 0; e < w.edges; e++) {
    for (const [key, total] of center.getMap<number>(`site${e}`)) finalStock[Number(key.slice(1))]! += total;
  }
  const mergeMs = performance.now() - m0;
  return systemReport("yjs", w, { accepted, refused, applyMs, applyCpuMs, mergeMs, bytesSent, baselineRssMb, finalStock });
};
