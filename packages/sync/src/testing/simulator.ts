/**
 * The deterministic simulator: one center and N edges (default 20) as real {@link Replica}s
 * over the {@link InMemoryNetwork}, driven through a seeded random workload — sales, receipts,
 * requisitions, transfers (cross-region ones wait for the center's approval), rights requests,
 * rebalancing by forecast demand, approvals and rejections — while the network loses,
 * duplicates, delays and reorders frames, partitions split and heal, and replicas crash and
 * restart from their last persisted snapshot (persisted after every call, the write-ahead rule).
 *
 * Checked at every step: no position is negative, and no replica holds negative rights, in any
 * replica's view nor in the join of all views. After the faults stop (heal, restart, no loss)
 * it runs to quiescence and checks: every replica has the same digest; no acknowledged
 * operation was lost (the center's counters hold exactly what the acknowledged operations
 * added and took out, replica by replica); no honest frame was refused as forged or malformed;
 * every replica's signed audit chain verifies and holds every entry it appended; and the
 * center's RFC 9162 Merkle log verifies. With audit on, every K steps (2 to 6 times in the run,
 * drawn from the seed) the center admits into its Merkle log the entries it received from the replicas that
 * reach it and publishes a signed checkpoint; each edge that receives it checks the consistency
 * proof from the last checkpoint it accepted (refusing an inconsistent one) and releases the
 * entries it covers on their inclusion proofs (uploads and offers are lost like frames, and the
 * center rebuilds its log from its persisted entries after a crash). At the end every chain must
 * be in the log whole, every edge must accept the final checkpoint, each of every replica's
 * entries must have a verified inclusion proof in it, and an audit of the whole log must verify.
 *
 * Everything comes from the seed: the same seed gives the same report, byte for byte, so a
 * failing seed reproduces exactly (`npm run simulate -w @jxc/sync -- --seeds 1 --seed-start S`).
 *
 * @module
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { Dec, parseInput, type InvalidInput } from "@jxc/core";
import { Result } from "effect";
import { z } from "zod";
import { appendAuditEntry, startAuditChain, verifyAuditChain, type AuditChain } from "../audit/index.js";
import { startSimulatedAuditLog, type SimulatedAuditLog } from "./simulated-audit-log.js";
import { Replica, type ReplicaSnapshot } from "../replica/replica.js";
import { createInMemoryNetwork, seededRandom, type InMemoryNetwork, type NetworkStats } from "./network.js";

// ---------------------------------------------------------------------------------------------
// Configuration and report
// ---------------------------------------------------------------------------------------------

/** The faults of a simulation. Probabilities per frame; flags switch whole fault families. */
export interface SimulationFaults {
  /** Probability that a frame is lost. */
  readonly loss: number;
  /** Probability that a frame is delivered twice. */
  readonly duplication: number;
  /** Probability that a frame is held back so later ones overtake it. */
  readonly reordering: number;
  /** Random extra delay per frame, up to this many ms (on 20 ms links). */
  readonly jitterMs: number;
  /** Whether partitions split the network (and heal) during the run. */
  readonly partitions: boolean;
  /** Whether replicas crash and restart from their persisted snapshot. */
  readonly crashes: boolean;
}

/** Configuration of {@link simulate}. */
export interface SimulationConfig {
  /** The seed: everything else follows from it. */
  readonly seed: number;
  /** Number of edges (default 20). */
  readonly edges?: number;
  /** Workload steps of 250 virtual ms before the faults stop (default 200). */
  readonly steps?: number;
  /** Faults; missing fields are drawn from the seed (loss ≤ 15 %, duplication ≤ 10 %, reordering ≤ 20 %, jitter ≤ 30 ms, partitions and crashes on). */
  readonly faults?: Partial<SimulationFaults>;
  /** Whether replicas keep signed audit chains that are verified at the end (default true). */
  readonly audit?: boolean;
}

const probability = z.number().min(0).max(1);

/** The shape of {@link SimulationConfig}. */
export const SimulationConfigSchema = z
  .object({
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    edges: z.number().int().min(1).max(200).optional(),
    steps: z.number().int().min(1).max(1_000_000).optional(),
    faults: z
      .object({ loss: probability.max(0.9), duplication: probability, reordering: probability, jitterMs: z.number().min(0).max(10_000), partitions: z.boolean(), crashes: z.boolean() })
      .partial()
      .strict()
      .optional(),
    audit: z.boolean().optional(),
  })
  .strict();

/** What a simulation checks. */
export type SimulationCheck =
  | "negative-position"
  | "negative-rights"
  | "divergence"
  | "lost-operation"
  | "refused-frame"
  | "audit"
  | "audit-log"
  | "no-quiescence"
  | "replica-error";

/** A check that failed, with where and when. */
export interface SimulationFailure {
  /** The check. */
  readonly check: SimulationCheck;
  /** The workload step (or `steps + round` during quiescence). */
  readonly step: number;
  /** The replica concerned, if one. */
  readonly replica?: string;
  /** What was found. */
  readonly message: string;
}

/** Counts of the workload. */
export interface SimulationOperations {
  /** Local operations tried. */
  readonly attempted: number;
  /** Applied at once (acknowledged). */
  readonly applied: number;
  /** Waiting for the center at first. */
  readonly pending: number;
  /** Refused (beyond rights, mostly). */
  readonly refused: number;
  /** Pending operations the center approved / rejected. */
  readonly approved: number;
  /** Pending operations the center rejected. */
  readonly rejected: number;
  /** Rights requests made by edges. */
  readonly rightsRequests: number;
  /** Rebalancings made by the center. */
  readonly rebalances: number;
}

/** The result of one simulation. */
export interface SimulationReport {
  /** The seed. */
  readonly seed: number;
  /** Edges simulated. */
  readonly edges: number;
  /** Workload steps. */
  readonly steps: number;
  /** The faults used (drawn from the seed where not given). */
  readonly faults: SimulationFaults;
  /** True when every check passed. */
  readonly ok: boolean;
  /** The failed checks (the first few of each kind). */
  readonly failures: ReadonlyArray<SimulationFailure>;
  /** The workload. */
  readonly operations: SimulationOperations;
  /** What the network did. */
  readonly network: NetworkStats;
  /** Frames refused by replicas as replays or from stale epochs (expected with duplication and restarts). */
  readonly refusedReplays: number;
  /** Crashes (each followed by a restart from the persisted snapshot). */
  readonly crashes: number;
  /** Partitions started. */
  readonly partitions: number;
  /** Rounds needed to reach quiescence after healing. */
  readonly quiescenceRounds: number;
  /** The common digest at the end (the center's when they differ). */
  readonly digest: string;
  /** Audit entries appended (all verified when `ok`). */
  readonly auditEntries: number;
  /** Signed checkpoints the center published of its Merkle log (with audit). */
  readonly checkpoints: number;
  /** Entries in the center's Merkle log at the end (with audit): every replica's chain. */
  readonly auditLogSize: number;
  /** One line for logs. */
  readonly summary: string;
}

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

const CENTER = "hq";
const REGIONS = ["R1", "R2", "R3", "R4"] as const;
const ITEMS = ["tea", "rice", "oil", "soap", "milk"] as const;
const STEP_MS = 250;
const START_MS = Date.UTC(2026, 0, 1);
const SUMMARY_MS = 2_000;
const MAX_QUIESCENCE_ROUNDS = 600;
const MAX_FAILURES_PER_CHECK = 3;
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

const edgeName = (i: number) => `e${String(i + 1).padStart(2, "0")}`;

/** A replica as the simulator keeps it: live or crashed, with what it persisted. */
interface Node {
  readonly id: string;
  readonly region: (typeof REGIONS)[number] | undefined;
  live: Replica | undefined;
  persisted: ReplicaSnapshot;
  restartAt: number;
  audit: AuditChain | undefined;
  persistedAudit: AuditChain | undefined;
  auditAppended: number;
  readonly key: KeyObject | undefined;
  readonly publicKey: KeyObject | undefined;
  nextOp: number;
}

interface Effects {
  readonly inc: Map<string, number>;
  readonly dec: Map<string, number>;
}

interface Transit {
  readonly transfer: string;
  readonly item: string;
  readonly to: string;
  readonly qty: number;
  arriveAt: number;
}

/**
 * Runs one simulation (see the module documentation). Fails with `InvalidInput` on a malformed
 * configuration; a failed check is not an error but a report with `ok: false`.
 */
export const simulate = (config: SimulationConfig): Result.Result<SimulationReport, InvalidInput> => {
  const parsed = parseInput(SimulationConfigSchema, config, "simulation configuration");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  return Result.succeed(run(parsed.success));
};

const run = (config: z.output<typeof SimulationConfigSchema>): SimulationReport => {
  const seed = config.seed;
  const random = seededRandom(seed);
  const chance = random.fork();
  const netRandom = random.fork();
  const keyRandom = random.fork();
  const auditRandom = random.fork();
  const edgeCount = config.edges ?? 20;
  const steps = config.steps ?? 200;
  const withAudit = config.audit ?? true;
  const given = config.faults ?? {};
  const faults: SimulationFaults = {
    loss: given.loss ?? round3(chance.next() * 0.15),
    duplication: given.duplication ?? round3(chance.next() * 0.1),
    reordering: given.reordering ?? round3(chance.next() * 0.2),
    jitterMs: given.jitterMs ?? Math.floor(chance.next() * 30),
    partitions: given.partitions ?? true,
    crashes: given.crashes ?? true,
  };

  const failures: SimulationFailure[] = [];
  const failureCounts = new Map<SimulationCheck, number>();
  const fail = (check: SimulationCheck, step: number, message: string, replica?: string) => {
    const n = failureCounts.get(check) ?? 0;
    failureCounts.set(check, n + 1);
    if (n < MAX_FAILURES_PER_CHECK) failures.push(replica === undefined ? { check, step, message } : { check, step, replica, message });
  };

  const edgeIds = Array.from({ length: edgeCount }, (_, i) => edgeName(i));
  const ids = [CENTER, ...edgeIds];
  const network: InMemoryNetwork = Result.getOrThrow(
    createInMemoryNetwork({
      nodes: ids,
      random: netRandom,
      faults: { delayMs: 20, jitterMs: faults.jitterMs, loss: faults.loss, duplication: faults.duplication, reordering: faults.reordering, reorderDelayMs: 400 },
    }),
  );
  const now = () => START_MS + network.now();

  // Replicas ---------------------------------------------------------------------------------
  const nodes = new Map<string, Node>();
  for (const id of ids) {
    let key: KeyObject | undefined;
    let publicKey: KeyObject | undefined;
    let audit: AuditChain | undefined;
    if (withAudit) {
      const raw = new Uint8Array(32).map(() => keyRandom.nextInt(256));
      key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw]), format: "der", type: "pkcs8" });
      publicKey = createPublicKey(key); // a KeyObject: verification converts no raw key
      audit = Result.getOrThrow(startAuditChain({ replica: id, publicKey }));
    }
    // With audit, each replica also keeps its own chain (in its snapshot, verified on restore).
    const replica = Result.getOrThrow(
      Replica.create(
        id === CENTER
          ? { id, role: "center", peers: edgeIds, closedPeers: true, quantityScale: 0, summaryIntervalMs: SUMMARY_MS }
          : { id, role: "edge", center: CENTER, closedPeers: true, quantityScale: 0, summaryIntervalMs: SUMMARY_MS },
        now(),
        key === undefined ? {} : { audit: { key } },
      ),
    );
    const region = id === CENTER ? undefined : REGIONS[(Number(id.slice(1)) - 1) % REGIONS.length];
    nodes.set(id, { id, region, live: replica, persisted: replica.snapshot(), restartAt: 0, audit, persistedAudit: audit, auditAppended: 0, key, publicKey, nextOp: 0 });
  }
  const center = () => nodes.get(CENTER)!;
  // The center's Merkle log: it publishes a checkpoint every K steps — 2 to 6 times in the run,
  // drawn from the seed — and at the end; the edges check consistency and inclusion proofs.
  let auditLog: SimulatedAuditLog | undefined;
  const checkpointEvery = Math.ceil(steps / (2 + auditRandom.nextInt(5)));
  if (withAudit) {
    const raw = new Uint8Array(32).map(() => keyRandom.nextInt(256));
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw]), format: "der", type: "pkcs8" });
    const origin = `${CENTER}.jxc-sim/audit`;
    auditLog = startSimulatedAuditLog({
      center: CENTER,
      participants: [...nodes.values()].map((n) => ({
        id: n.id,
        publicKey: n.publicKey!,
        chain: () => n.live?.audit,
        reachesCenter: () => n.live !== undefined && nodes.get(CENTER)!.live !== undefined && network.connected(n.id, CENTER),
      })),
      signer: { name: origin, key },
      verifier: { name: origin, publicKey: createPublicKey(key) },
      random: auditRandom,
      loss: faults.loss,
      fail: (message, replica) => fail("audit-log", step, message, replica),
    });
  }
  const edgesOf = (region: string) => edgeIds.filter((e) => nodes.get(e)!.region === region);
  // The write-ahead rule: a replica persists its snapshot after every call, before its frames
  // leave. Crashes happen between calls, so the last persisted snapshot is the snapshot at the
  // crash: taken then (cheaper, the same state), and restored from its JSON text.
  const persist = (_node: Node) => {};
  const record = (node: Node, kind: string, businessId: string, payload: unknown) => {
    if (!withAudit || node.audit === undefined || node.key === undefined) return;
    const appended = appendAuditEntry(node.audit, { kind, timestamp: new Date(now()).toISOString(), businessId, payload }, node.key);
    if (Result.isFailure(appended)) {
      fail("audit", -1, `append refused: ${appended.failure.message}`, node.id);
      return;
    }
    node.audit = appended.success.chain;
    node.auditAppended++;
  };

  // The model of what was acknowledged -------------------------------------------------------
  const expected = new Map<string, Effects>(); // cell key → per-replica totals
  const effectsAt = (item: string, position: string) => {
    const key = `${item}@${position}`;
    let e = expected.get(key);
    if (e === undefined) expected.set(key, (e = { inc: new Map(), dec: new Map() }));
    return e;
  };
  const expect = (replica: string, item: string, position: string, units: number) => {
    const e = effectsAt(item, position);
    const side = units >= 0 ? e.inc : e.dec;
    side.set(replica, (side.get(replica) ?? 0) + Math.abs(units));
  };
  /** Pending operations: op → the replica, and its effects if it is finally posted. */
  const pendingOps = new Map<string, { replica: string; effects: ReadonlyArray<readonly [string, string, number]>; transit?: Omit<Transit, "arriveAt"> }>();
  const transits: Transit[] = [];

  const ops = { attempted: 0, applied: 0, pending: 0, refused: 0, approved: 0, rejected: 0, rightsRequests: 0, rebalances: 0 };
  let refusedReplays = 0;
  let crashes = 0;
  let partitions = 0;
  let step = 0;

  /** Does a local operation at `node`, and books it in the model. */
  const operate = (
    node: Node,
    input: Record<string, unknown> & { kind: string },
    effects: ReadonlyArray<readonly [string, string, number]>,
    transit?: Omit<Transit, "arriveAt">,
  ): "applied" | "pending" | "refused" => {
    const replica = node.live;
    if (replica === undefined) return "refused";
    ops.attempted++;
    const id = `${node.id}-${++node.nextOp}`;
    const outcome = replica.localOperation({ ...input, id }, now());
    if (Result.isFailure(outcome)) {
      ops.refused++;
      const tag = outcome.failure._tag;
      if (tag !== "InsufficientRights") fail("replica-error", step, `${input.kind} refused with ${tag}: ${outcome.failure.message}`, node.id);
      return "refused";
    }
    if (outcome.success.status === "applied") {
      ops.applied++;
      for (const [item, position, units] of effects) expect(node.id, item, position, units);
      record(node, input.kind === "transfer-out" ? "transfer-created" : "stock-changed", id, { ...input, id });
      if (transit) transits.push({ ...transit, transfer: id, arriveAt: step + 2 + chance.nextInt(20) });
    } else {
      ops.pending++;
      pendingOps.set(id, transit === undefined ? { replica: node.id, effects } : { replica: node.id, effects, transit: { ...transit, transfer: id } });
      record(node, "operation-requested", id, { ...input, id });
    }
    persist(node);
    return outcome.success.status;
  };

  // The workload -----------------------------------------------------------------------------
  const pick = <T>(xs: ReadonlyArray<T>): T => xs[chance.nextInt(xs.length)]!;
  const liveEdges = () => edgeIds.map((e) => nodes.get(e)!).filter((n) => n.live !== undefined);

  const workloadAction = () => {
    const roll = chance.next();
    const edges = liveEdges();
    const c = center();
    if (roll < 0.4 && edges.length > 0) {
      // 销售出库 / 领用: sales and requisitions within the edge's rights.
      const n = pick(edges);
      const item = pick(ITEMS);
      const qty = 1 + chance.nextInt(5);
      const kind = chance.next() < 0.85 ? "sale" : "requisition";
      operate(n, { kind, item, position: n.region!, qty: String(qty) }, [[item, n.region!, -qty]]);
    } else if (roll < 0.52 && edges.length > 0) {
      // 入库 at an edge: rights created where the stock arrives.
      const n = pick(edges);
      const item = pick(ITEMS);
      const qty = 1 + chance.nextInt(10);
      operate(n, { kind: "receipt", item, position: n.region!, qty: String(qty) }, [[item, n.region!, qty]]);
    } else if (roll < 0.62 && c.live !== undefined) {
      // 入库 at the center, into a region's stock.
      const item = pick(ITEMS);
      const region = pick(REGIONS);
      const qty = 5 + chance.nextInt(30);
      operate(c, { kind: "receipt", item, position: region, qty: String(qty) }, [[item, region, qty]]);
    } else if (roll < 0.72 && edges.length > 0) {
      // 调拨: a transfer out of the edge's region; cross-region ones wait for approval.
      const n = pick(edges);
      const item = pick(ITEMS);
      const to = chance.next() < 0.5 ? n.region! : pick(REGIONS);
      const qty = 1 + chance.nextInt(4);
      operate(n, { kind: "transfer-out", item, from: n.region!, to, qty: String(qty), crossRegion: to !== n.region }, [[item, n.region!, -qty]], {
        transfer: "",
        item,
        to,
        qty,
      });
    } else if (roll < 0.8 && edges.length > 0) {
      // Rights request to the center.
      const n = pick(edges);
      const r = n.live!.requestRights({ item: pick(ITEMS), position: n.region! }, String(1 + chance.nextInt(8)));
      if (Result.isFailure(r)) fail("replica-error", step, `rights request refused: ${r.failure.message}`, n.id);
      else {
        ops.rightsRequests++;
        persist(n);
      }
    } else if (roll < 0.86 && c.live !== undefined) {
      // Rebalancing a region's rights by forecast demand.
      const region = pick(REGIONS);
      const demands = edgesOf(region).map((replica) => ({ replica, demand: new Dec(chance.nextInt(20)) }));
      const r = c.live.rebalance({ item: pick(ITEMS), position: region }, demands, now());
      if (Result.isFailure(r)) fail("replica-error", step, `rebalance refused: ${r.failure.message}`, CENTER);
      else {
        ops.rebalances++;
        if (r.success.length > 0) record(c, "rights-rebalanced", `rebalance-${step}`, r.success.map((t) => ({ to: t.to, qty: t.qty.toString() })));
        persist(c);
      }
    } else if (roll < 0.95 && c.live !== undefined) {
      // The center decides a pending request.
      const requests = c.live.pendingApprovals();
      if (requests.length > 0) decide(pick(requests).op, chance.next() < 0.75 ? "approved" : "rejected");
    } else if (edges.length > 0) {
      // 盘点 — a stocktake: the count differs from what the edge knows by a small gain or loss
      // (a loss needs rights, like a sale).
      const n = pick(edges);
      const item = pick(ITEMS);
      const known = n.live!.quantity(item, n.region!).toNumber();
      const counted = Math.max(0, known + chance.nextInt(5) - 2);
      const change = counted - known;
      operate(n, { kind: "stocktake", item, position: n.region!, counted: String(counted) }, change === 0 ? [] : [[item, n.region!, change]]);
    }
  };

  const decide = (op: string, decision: "approved" | "rejected") => {
    const c = center();
    if (c.live === undefined) return;
    const r = c.live.decide(op, decision, now());
    if (Result.isFailure(r)) {
      fail("replica-error", step, `decide refused: ${r.failure.message}`, CENTER);
      return;
    }
    if (decision === "approved") ops.approved++;
    else ops.rejected++;
    record(c, "approval", op, { decision });
    persist(c);
  };

  /** Transfers whose goods arrive: 调拨入库 by an edge of the destination region (or the center). */
  const arrivals = () => {
    for (let i = transits.length - 1; i >= 0; i--) {
      const t = transits[i]!;
      if (t.arriveAt > step) continue;
      const candidates = [...edgesOf(t.to), CENTER].map((id) => nodes.get(id)!).filter((n) => n.live !== undefined);
      if (candidates.length === 0) continue;
      const n = pick(candidates);
      const result = operate(n, { kind: "transfer-in", item: t.item, position: t.to, qty: String(t.qty), transfer: t.transfer }, [[t.item, t.to, t.qty]]);
      if (result !== "refused") transits.splice(i, 1);
    }
  };

  // Faults -----------------------------------------------------------------------------------
  let partitioned = false;
  const faultsStep = () => {
    if (faults.partitions) {
      if (!partitioned && chance.next() < 0.03) {
        const cut = edgeIds.filter(() => chance.next() < 0.3);
        if (cut.length > 0) {
          const isolatedCenter = chance.next() < 0.2;
          network.split(isolatedCenter ? [[CENTER]] : [cut]);
          partitioned = true;
          partitions++;
        }
      } else if (partitioned && chance.next() < 0.08) {
        network.heal();
        partitioned = false;
      }
    }
    if (faults.crashes) {
      if (chance.next() < 0.02) {
        const victim = chance.next() < 0.15 ? center() : nodes.get(pick(edgeIds))!;
        if (victim.live !== undefined) {
          victim.persisted = victim.live.snapshot();
          victim.persistedAudit = victim.audit;
          victim.live = undefined;
          if (victim.id === CENTER) auditLog?.crashCenter();
          victim.restartAt = step + 2 + chance.nextInt(30);
          network.setDown(victim.id, true);
          crashes++;
        }
      }
      for (const n of nodes.values()) if (n.live === undefined && n.restartAt <= step) restart(n);
    }
  };
  const restart = (n: Node) => {
    // Through JSON, as it would be stored.
    const restored = Replica.restore(JSON.parse(JSON.stringify(n.persisted)) as unknown, now(), n.key === undefined ? {} : { audit: { key: n.key } });
    if (Result.isFailure(restored)) {
      fail("replica-error", step, `restore failed: ${restored.failure.message}`, n.id);
      return;
    }
    n.live = restored.success;
    n.audit = n.persistedAudit;
    if (n.id === CENTER) auditLog?.restartCenter();
    network.setDown(n.id, false);
  };

  // The exchange -----------------------------------------------------------------------------
  const send = (from: string, frames: ReadonlyArray<{ readonly to: string; readonly frame: Uint8Array }>) => {
    for (const f of frames) {
      const sent = network.send(from, f.to, f.frame);
      if (Result.isFailure(sent)) fail("replica-error", step, `frame to unknown node ${f.to}`, from);
    }
  };
  const deliverUntil = (target: number) => {
    for (;;) {
      const next = network.nextDeliveryAt();
      if (next === undefined || next > target) break;
      for (const d of network.advanceTo(next)) {
        const node = nodes.get(d.to)!;
        const replica = node.live;
        if (replica === undefined) continue;
        const result = replica.receive(d.from, d.frame, now());
        if (Result.isFailure(result)) {
          const tag = result.failure._tag;
          if (tag === "ReplayedFrame" || tag === "StaleEpoch") refusedReplays++;
          else fail("refused-frame", step, `frame from ${d.from} refused with ${tag}: ${result.failure.message}`, node.id);
          continue;
        }
        persist(node);
        send(node.id, result.success);
      }
    }
    network.advanceTo(target);
  };
  const flushAll = () => {
    for (const node of nodes.values()) {
      if (node.live === undefined) continue;
      const frames = node.live.outgoing(now());
      persist(node);
      send(node.id, frames);
    }
  };
  /** Pending operations whose fate the edge now knows: book the posted ones. */
  const settlePending = () => {
    for (const [op, p] of pendingOps) {
      const replica = nodes.get(p.replica)!.live;
      if (replica === undefined) continue;
      const status = replica.status(op);
      if (status === "posted") {
        for (const [item, position, units] of p.effects) expect(p.replica, item, position, units);
        if (p.transit) transits.push({ ...p.transit, arriveAt: step + 2 + chance.nextInt(20) });
        record(nodes.get(p.replica)!, p.transit ? "transfer-created" : "stock-changed", op, { op, decision: "approved" });
        persist(nodes.get(p.replica)!);
        pendingOps.delete(op);
      } else if (status === "rejected" || status === "cancelled") {
        pendingOps.delete(op);
      }
    }
  };

  // Invariants -------------------------------------------------------------------------------
  const checkInvariants = () => {
    const joinedInc = new Map<string, Map<string, number>>();
    const joinedDec = new Map<string, Map<string, number>>();
    for (const node of nodes.values()) {
      const replica = node.live;
      if (replica === undefined) continue;
      for (const cell of replica.replicatedState.allCells()) {
        const value = cell.value();
        if (value < 0) fail("negative-position", step, `${cell.item}@${cell.position} is ${value} in ${node.id}'s view`, node.id);
        const own = cell.rights(node.id);
        if (own < 0) fail("negative-rights", step, `${node.id} holds ${own} rights on ${cell.item}@${cell.position}`, node.id);
        const key = `${cell.item}@${cell.position}`;
        maxInto(joinedInc, key, cell.inc);
        maxInto(joinedDec, key, cell.dec);
      }
    }
    for (const [key, inc] of joinedInc) {
      let value = 0;
      for (const v of inc.values()) value += v;
      for (const v of joinedDec.get(key)?.values() ?? []) value -= v;
      if (value < 0) fail("negative-position", step, `${key} is ${value} in the join of all replicas`);
    }
  };

  // Run --------------------------------------------------------------------------------------
  for (step = 0; step < steps; step++) {
    faultsStep();
    const actions = 1 + chance.nextInt(3);
    for (let a = 0; a < actions; a++) workloadAction();
    arrivals();
    deliverUntil(network.now() + STEP_MS);
    flushAll();
    settlePending();
    checkInvariants();
    if ((step + 1) % checkpointEvery === 0) auditLog?.publish();
  }

  // Heal, restart, stop the faults, finish the work, and run to quiescence.
  network.heal();
  Result.getOrThrow(network.setFaults({ delayMs: 20 }));
  for (const n of nodes.values()) if (n.live === undefined) restart(n);
  let rounds = 0;
  let stable = 0;
  let digest = "";
  for (; rounds < MAX_QUIESCENCE_ROUNDS; rounds++) {
    step = steps + rounds;
    const c = center().live;
    if (c !== undefined) for (const r of c.pendingApprovals()) decide(r.op, chance.next() < 0.75 ? "approved" : "rejected");
    arrivals();
    deliverUntil(network.now() + STEP_MS);
    flushAll();
    settlePending();
    checkInvariants();
    // Summaries never stop, so frames are always in flight: quiescent is "the same digest
    // everywhere and no work left" (frames still in flight then carry nothing new: every
    // replica already holds the join of all states).
    let settled = transits.length === 0 && pendingOps.size === 0 && (c?.pendingApprovals().length ?? 0) === 0;
    if (settled) {
      digest = center().live?.digest() ?? "";
      for (const n of nodes.values()) if (n.live?.digest() !== digest) settled = false;
    }
    stable = settled ? stable + 1 : 0;
    if (stable > 0) break;
  }
  step = steps + rounds;
  if (rounds >= MAX_QUIESCENCE_ROUNDS) {
    const byDigest = new Map<string, string[]>();
    for (const n of nodes.values()) {
      const d = n.live?.digest() ?? "(down)";
      byDigest.set(d, [...(byDigest.get(d) ?? []), n.id]);
    }
    if (byDigest.size > 1) {
      fail("divergence", step, `replicas differ after ${rounds} rounds: ${[...byDigest.values()].map((g) => g.join(",")).join(" | ")}`);
    } else {
      fail("no-quiescence", step, `not quiescent after ${rounds} rounds: ${network.inFlight()} frames in flight, ${transits.length} transfers in transit, ${pendingOps.size} operations pending`);
    }
  }

  // No acknowledged operation lost: the center's counters hold exactly the acknowledged effects.
  const c = center().live;
  if (c !== undefined) {
    const state = c.replicatedState;
    const seen = new Set<string>();
    for (const cell of state.allCells()) {
      const key = `${cell.item}@${cell.position}`;
      seen.add(key);
      const e = expected.get(key) ?? { inc: new Map<string, number>(), dec: new Map<string, number>() };
      compareTotals(key, "added", cell.inc, e.inc, (m) => fail("lost-operation", step, m));
      compareTotals(key, "taken out", cell.dec, e.dec, (m) => fail("lost-operation", step, m));
    }
    for (const [key, e] of expected) {
      if (seen.has(key)) continue;
      const any = [...e.inc.values(), ...e.dec.values()].some((v) => v !== 0);
      if (any) fail("lost-operation", step, `${key}: acknowledged operations, but the center has no counter`);
    }
  }

  // The center's Merkle log holds every chain whole, every edge accepted the final checkpoint,
  // and every entry's inclusion proof verifies.
  auditLog?.finish();

  // The audit chains verify and hold every entry appended.
  let auditEntries = 0;
  if (withAudit) {
    for (const n of nodes.values()) {
      if (n.audit === undefined || n.publicKey === undefined) continue;
      auditEntries += n.audit.length;
      const verified = verifyAuditChain(n.audit.entries(), { replica: n.id, keys: { [n.id]: n.publicKey } });
      if (Result.isFailure(verified)) fail("audit", step, verified.failure.message, n.id);
      else if (verified.success.length !== n.auditAppended) {
        fail("audit", step, `${n.id}'s chain holds ${verified.success.length} entries, ${n.auditAppended} were appended`, n.id);
      }
      // the replica's own chain, carried through its crashes and restarts, verifies too
      const own = n.live?.audit;
      if (n.live !== undefined && own === undefined) fail("audit", step, `${n.id} keeps no audit chain of its own`, n.id);
      else if (own !== undefined) {
        const ownVerified = verifyAuditChain(own.entries(), { replica: n.id, keys: { [n.id]: n.publicKey } });
        if (Result.isFailure(ownVerified)) fail("audit", step, `${n.id}'s own chain: ${ownVerified.failure.message}`, n.id);
        else {
          auditEntries += ownVerified.success.length;
          // every stock change, transfer and approval the harness saw this replica do is in it
          const logged = new Set(own.entries().map((e) => `${e.kind} ${e.businessId}`));
          const missing = n.audit.entries().find((e) => (e.kind === "stock-changed" || e.kind === "transfer-created" || e.kind === "approval") && !logged.has(`${e.kind} ${e.businessId}`));
          if (missing !== undefined) fail("audit", step, `${n.id}'s own chain lacks ${missing.kind} ${missing.businessId}`, n.id);
        }
      }
    }
  }

  const stats = network.stats();
  const ok = failures.length === 0;
  const summary =
    `seed ${seed}: ${ok ? "ok" : `${failures.length} failure(s)`} — ${edgeCount} edges, ${steps} steps, ` +
    `${ops.attempted} operations (${ops.applied} applied, ${ops.pending} pending, ${ops.refused} refused; ${ops.approved} approved, ${ops.rejected} rejected), ` +
    `${ops.rightsRequests} rights requests, ${ops.rebalances} rebalances, ${crashes} crashes, ${partitions} partitions, ` +
    `frames ${stats.sent} sent / ${stats.lost} lost / ${stats.duplicated} duplicated / ${stats.reordered} reordered / ${stats.cut} cut, ` +
    `quiescent after ${rounds} rounds, ` +
    (auditLog === undefined ? "" : `${auditLog.checkpoints} checkpoints of a log of ${auditLog.size} entries, `) +
    `digest ${digest}`;
  return {
    seed,
    edges: edgeCount,
    steps,
    faults,
    ok,
    failures,
    operations: { ...ops },
    network: stats,
    refusedReplays,
    crashes,
    partitions,
    quiescenceRounds: rounds,
    digest,
    auditEntries,
    checkpoints: auditLog?.checkpoints ?? 0,
    auditLogSize: auditLog?.size ?? 0,
    summary,
  };
};

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const maxInto = (into: Map<string, Map<string, number>>, key: string, from: ReadonlyMap<string, number>) => {
  let m = into.get(key);
  if (m === undefined) into.set(key, (m = new Map()));
  for (const [r, v] of from) if (v > (m.get(r) ?? 0)) m.set(r, v);
};

const compareTotals = (key: string, what: string, actual: ReadonlyMap<string, number>, wanted: ReadonlyMap<string, number>, report: (message: string) => void) => {
  const replicas = new Set([...actual.keys(), ...wanted.keys()]);
  for (const r of replicas) {
    const a = actual.get(r) ?? 0;
    const w = wanted.get(r) ?? 0;
    if (a !== w) report(`${key}: ${r} ${what} ${w} in acknowledged operations, the center counts ${a}`);
  }
};
