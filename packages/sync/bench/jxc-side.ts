/**
 * The workload through jxc replicas, and the propagation latency over the in-memory transport.
 *
 * Throughput: the center receives every item's initial stock and rebalances the rights evenly
 * among the sites (by equal forecast demand); each site connects, takes the center's state
 * (setup, not timed), then applies its operations — a sale beyond its rights is refused with
 * `InsufficientRights` — and every `batch` operations hands its outgoing frames (deltas of its
 * own rows) to the network: that is the timed part, and those bytes are the bytes sent. The
 * sites run one after another (a site holds the center's state; 50 live copies would only
 * measure the heap), offline from the center until the full merge: the center receives every
 * site's frames (timed), then the stock of every item is read there.
 *
 * Latency: a center and the sites over the seeded in-memory network with 20 ms links; each
 * site does an operation at random instants and, as the runtime's `flushReplica` does, sends
 * its outgoing frames at once; a sample is the time from the operation to the center having
 * applied the frame that carries it: the network's VIRTUAL delay plus the REAL CPU time spent
 * in the replicas (operation, frame encoding, and receiving at the center).
 *
 * @module
 */
import { Dec } from "@jxc/core";
import { Result } from "effect";
import { Replica } from "../src/replica/replica.js";
import { createInMemoryNetwork, seededRandom } from "../src/testing/network.js";
import { type EdgeOps, edgeOps, itemName, collectGarbage, cpuMs, rssMb, systemReport, type SystemReport, type Workload } from "./workload.js";

const T0 = Date.UTC(2026, 0, 5, 1);
const POSITION = "P";
const HOUR = 3_600_000;

/** The latency figures of {@link measureLatency}. */
export interface LatencyReport {
  readonly samples: number;
  readonly linkDelayMs: number;
  readonly flushIntervalMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const ok = <A, E>(r: Result.Result<A, E>, what: string): A => {
  if (Result.isFailure(r)) throw new Error(`${what}: ${JSON.stringify(r.failure)}`);
  return r.success;
};

/**
 * A site's operations `from` (inclusive) to `to` at `clock`, `clock + 1`…: the timed work of one
 * batch (a function per batch, as the other systems' batches are their `change`/`transact`
 * callbacks, so that the engine optimizes it as it does theirs — not the whole run as one).
 */
const applyBatch = (edge: Replica, ids: string, ops: EdgeOps, items: ReadonlyArray<string>, from: number, to: number, clock: number, counts: { accepted: number; refused: number }): void => {
  for (let i = from; i < to; i++) {
    const delta = ops.deltas[i]!;
    const item = items[ops.items[i]!]!;
    const now = clock + (i - from);
    const r =
      delta < 0
        ? edge.localOperation({ kind: "sale", id: ids + i, item, position: POSITION, qty: String(-delta) }, now)
        : edge.localOperation({ kind: "receipt", id: ids + i, item, position: POSITION, qty: String(delta) }, now);
    if (Result.isSuccess(r)) counts.accepted++;
    else if (r.failure._tag === "InsufficientRights") counts.refused++;
    else throw new Error(`operation refused: ${JSON.stringify(r.failure)}`);
  }
};

/** Runs the workload through jxc replicas and reports. */
export const runJxc = (w: Workload): SystemReport => {
  collectGarbage();
  const baselineRssMb = rssMb();
  const edgeIds = Array.from({ length: w.edges }, (_, e) => `e${e}`);
  // The center summarizes and resends rarely: the sites run one after another while virtual time jumps by hours.
  const center = ok(Replica.create({ id: "hq", role: "center", quantityScale: 0, peers: [], summaryIntervalMs: 1_000 * HOUR, resendIntervalMs: 1_000 * HOUR }, T0), "center");
  const items = Array.from({ length: w.items }, (_, i) => itemName(i));
  for (const item of items) ok(center.localOperation({ kind: "receipt", id: `init-${item}`, item, position: POSITION, qty: String(w.initialPerItem) }, T0), "initial stock");
  const demands = edgeIds.map((replica) => ({ replica, demand: new Dec(1) }));
  for (const item of items) ok(center.rebalance({ item, position: POSITION }, demands, T0), "rebalance");

  const sent: { from: string; frame: Uint8Array }[] = [];
  let bytesSent = 0;
  const counts = { accepted: 0, refused: 0 };
  let applyMs = 0;
  let applyCpuMs = 0;
  let clock = T0;
  for (let e = 0; e < w.edges; e++) {
    collectGarbage();
    const id = edgeIds[e]!;
    const ops = edgeOps(w, e);
    clock += HOUR;
    // A resend interval longer than the run: the site is offline until the merge, nothing is acknowledged.
    const edge = ok(Replica.create({ id, role: "edge", center: "hq", quantityScale: 0, resendIntervalMs: 1_000 * HOUR, summaryIntervalMs: 1_000 * HOUR }, clock), "edge");
    // Setup: hello, the center's state (its rights), acknowledgements.
    for (let round = 0; round < 6; round++) {
      let moved = 0;
      for (const f of edge.outgoing(clock)) {
        moved++;
        for (const reply of ok(center.receive(id, f.frame, clock), "setup at center")) if (reply.to === id) ok(edge.receive("hq", reply.frame, clock), "setup at edge");
      }
      for (const f of center.outgoing(clock)) {
        if (f.to !== id) continue;
        moved++;
        for (const reply of ok(edge.receive("hq", f.frame, clock), "setup at edge")) ok(center.receive(id, reply.frame, clock), "setup at center");
      }
      if (moved === 0) break;
    }
    if (edge.rights(itemName(0), POSITION).isZero() && w.initialPerItem >= w.edges) throw new Error(`${id} has no rights after setup`);
    // Timed: the operations and the frames of every batch.
    collectGarbage(); // the setup's garbage, before the clock starts
    const t0 = performance.now();
    const c0 = cpuMs();
    const ids = `${id}-`;
    for (let start = 0; start < w.opsPerEdge; start += w.batch) {
      const end = Math.min(w.opsPerEdge, start + w.batch);
      applyBatch(edge, ids, ops, items, start, end, clock, counts);
      clock += end - start;
      for (const f of edge.outgoing(clock)) {
        sent.push({ from: id, frame: f.frame });
        bytesSent += f.frame.byteLength;
      }
    }
    applyMs += performance.now() - t0;
    applyCpuMs += cpuMs() - c0;
  }

  // The full merge at the center.
  clock += HOUR;
  const m0 = performance.now();
  for (const f of sent) ok(center.receive(f.from, f.frame, clock), "merge");
  const finalStock = new Float64Array(w.items);
  for (let i = 0; i < w.items; i++) finalStock[i] = center.quantity(items[i]!, POSITION).toNumber();
  const mergeMs = performance.now() - m0;
  return systemReport("jxc", w, { accepted: counts.accepted, refused: counts.refused, applyMs, applyCpuMs, mergeMs, bytesSent, baselineRssMb, finalStock });
};

/** Propagation latency from an edge operation to the center (see the module documentation). */
export const measureLatency = (w: Workload): LatencyReport => {
  const edges = Math.min(w.edges, 50);
  const items = Math.min(w.items, 200);
  const opsPerEdge = 40;
  const linkDelayMs = 20;
  const random = seededRandom(w.seed);
  const edgeIds = Array.from({ length: edges }, (_, e) => `e${e}`);
  const network = ok(createInMemoryNetwork({ nodes: ["hq", ...edgeIds], random: random.fork(), faults: { delayMs: linkDelayMs } }), "network");
  const now = () => T0 + network.now();
  const center = ok(Replica.create({ id: "hq", role: "center", quantityScale: 0, peers: edgeIds }, now()), "center");
  const replicas = new Map<string, Replica>([["hq", center]]);
  for (const id of edgeIds) replicas.set(id, ok(Replica.create({ id, role: "edge", center: "hq", quantityScale: 0 }, now()), "edge"));
  // Every site receives its own stock, so every operation is applied.
  for (const id of edgeIds) {
    const edge = replicas.get(id)!;
    for (let i = 0; i < items; i++) ok(edge.localOperation({ kind: "receipt", id: `${id}-init-${i}`, item: itemName(i), position: POSITION, qty: "1000" }, now()), "receipt");
  }
  // Real CPU time spent on the way of each frame, by frame.
  const cpuMs = new WeakMap<Uint8Array, number>();
  const origin = new WeakMap<Uint8Array, number>();
  const samples: number[] = [];
  const flush = (id: string, opAt: number | undefined, cpu: number) => {
    const t = performance.now();
    const frames = replicas.get(id)!.outgoing(now());
    const spent = cpu + (performance.now() - t);
    for (const f of frames) {
      network.send(id, f.to, f.frame);
      if (opAt !== undefined) {
        cpuMs.set(f.frame, spent);
        origin.set(f.frame, opAt);
      }
    }
  };
  const deliver = (until: number) => {
    for (;;) {
      const next = network.nextDeliveryAt();
      if (next === undefined || next > until) break;
      for (const d of network.advanceTo(next)) {
        const t = performance.now();
        const replies = replicas.get(d.to)!.receive(d.from, d.frame, now());
        const spent = performance.now() - t;
        if (Result.isFailure(replies)) continue;
        for (const r of replies.success) network.send(d.to, r.to, r.frame);
        if (d.to === "hq") {
          // The frame arrived as a copy: find the sample by the sender's bytes (sent in order).
          const sentFrame = pendingFrames.get(d.from)?.shift();
          if (sentFrame !== undefined && origin.has(sentFrame)) samples.push(network.now() - origin.get(sentFrame)! + (cpuMs.get(sentFrame) ?? 0) + spent);
        }
      }
    }
    network.advanceTo(until);
  };
  // Frames each edge sent towards the center, in order (links keep order without faults).
  const pendingFrames = new Map<string, Uint8Array[]>();
  const originalSend = network.send;
  network.send = (from, to, frame) => {
    if (to === "hq" && from !== "hq") pendingFrames.set(from, [...(pendingFrames.get(from) ?? []), frame]);
    return originalSend(from, to, frame);
  };
  // Connect everyone and exchange the initial stock.
  for (const id of ["hq", ...edgeIds]) flush(id, undefined, 0);
  deliver(network.now() + 1_000);
  for (const id of ["hq", ...edgeIds]) flush(id, undefined, 0);
  deliver(network.now() + 1_000);
  samples.length = 0;
  // The operations, at random instants over a minute.
  const schedule: { at: number; edge: string; n: number }[] = [];
  for (const id of edgeIds) for (let n = 0; n < opsPerEdge; n++) schedule.push({ at: network.now() + random.next() * 60_000, edge: id, n });
  schedule.sort((a, b) => a.at - b.at);
  for (const op of schedule) {
    deliver(op.at);
    const edge = replicas.get(op.edge)!;
    const t = performance.now();
    ok(edge.localOperation({ kind: "sale", id: `${op.edge}-op-${op.n}`, item: itemName(random.nextInt(items)), position: POSITION, qty: "1" }, now()), "sale");
    flush(op.edge, network.now(), performance.now() - t);
  }
  deliver(network.now() + 5_000);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return { samples: samples.length, linkDelayMs, flushIntervalMs: 0, p50Ms: at(0.5), p99Ms: at(0.99) };
};
