/**
 * The workload through Automerge 3: one document of counters (item → `Counter`, starting at the
 * initial stock) that every site loads; each site applies its operations in batched changes
 * (one `change` per `batch` operations) and sends each change's bytes; the center loads the
 * same base document and applies every site's changes (the full merge), then reads the counters.
 *
 * @module
 */
import * as A from "@automerge/automerge";
import { edgeOps, itemName, collectGarbage, cpuMs, rssMb, systemReport, type SystemReport, type Workload } from "./workload.js";

type Stock = Record<string, A.Counter>;

/** Runs the workload through Automerge and reports. */
export const runAutomerge = (w: Workload): SystemReport => {
  collectGarbage();
  const baselineRssMb = rssMb();
  let base = A.init<Stock>();
  base = A.change(base, (d) => {
    for (let i = 0; i < w.items; i++) d[itemName(i)] = new A.Counter(w.initialPerItem);
  });
  const baseBytes = A.save(base);
  const sent: Uint8Array[] = [];
  let bytesSent = 0;
  let accepted = 0;
  let refused = 0;
  let applyMs = 0;
  let applyCpuMs = 0;
  for (let e = 0; e < w.edges; e++) {
    collectGarbage();
    const ops = edgeOps(w, e);
    let doc = A.load<Stock>(baseBytes);
    const view = new Int32Array(w.items).fill(w.initialPerItem);
    collectGarbage(); // the setup's garbage, before the clock starts
    const t0 = performance.now();
    const c0 = cpuMs();
    for (let start = 0; start < w.opsPerEdge; start += w.batch) {
      const end = Math.min(w.opsPerEdge, start + w.batch);
      doc = A.change(doc, (d) => {
        for (let i = start; i < end; i++) {
          const item = ops.items[i]!;
          const delta = ops.deltas[i]!;
          if (delta < 0 && view[item]! < -delta) {
            refused++;
            continue;
          }
          view[item]! += delta;
          d[itemName(item)]!.increment(delta);
          accepted++;
        }
      });
      const change = A.getLastLocalChange(doc);
      if (change !== undefined) {
        sent.push(change);
        bytesSent += change.byteLength;
      }
    }
    applyMs += performance.now() - t0;
    applyCpuMs += cpuMs() - c0;
  }
  const m0 = performance.now();
  let center = A.load<Stock>(baseBytes);
  [center] = A.applyChanges(center, sent);
  const finalStock = new Float64Array(w.items);
  for (let i = 0; i < w.items; i++) finalStock[i] = center[itemName(i)]!.value;
  const mergeMs = performance.now() - m0;
  return systemReport("automerge", w, { accepted, refused, applyMs, applyCpuMs, mergeMs, bytesSent, baselineRssMb, finalStock });
};
