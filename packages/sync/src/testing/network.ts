/**
 * The in-memory network of `@jxc/sync/testing`: byte frames between named nodes, in virtual
 * time, with injectable loss, duplication, reordering, delay and partitions. Deterministic: all
 * chance comes from a {@link RandomSource} passed in (see {@link seededRandom}), time advances
 * only when the caller says so ({@link InMemoryNetwork.advanceTo}), nothing runs by itself.
 * The same seed, the same sends and the same advances give the same deliveries, byte for byte.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { parseInput, seededUint32, type InvalidInput } from "@jxc/core";

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** A deterministic source of chance: the only randomness the network and the simulator use. */
export interface RandomSource {
  /** The seed this source started from (for reports). */
  readonly seed: number;
  /** The next number, uniform in [0, 1). */
  next(): number;
  /** The next integer, uniform in [0, bound) (`bound` ≥ 1). */
  nextInt(bound: number): number;
  /** An independent source derived from this one's stream (for a sub-system), advancing this one once. */
  fork(): RandomSource;
}

/**
 * A seeded {@link RandomSource}: xoshiro128** seeded through splitmix32 from the 32-bit
 * integer `seed` (any finite number is reduced modulo 2³²). Equal seeds give equal streams.
 */
export const seededRandom = (seed: number): RandomSource => {
  const nextU32 = seededUint32(seed);
  const source: RandomSource = {
    seed: Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0,
    next: () => nextU32() / 4294967296,
    nextInt: (bound) => Math.floor((nextU32() / 4294967296) * Math.max(1, Math.floor(bound))),
    fork: () => seededRandom(nextU32()),
  };
  return source;
};

// ---------------------------------------------------------------------------------------------
// Faults and schedules
// ---------------------------------------------------------------------------------------------

/** The behaviour of a link (one direction between two nodes). Times in virtual milliseconds. */
export interface LinkFaults {
  /** One-way delay of every frame (default 20 ms). */
  readonly delayMs: number;
  /** Extra delay, uniform in [0, jitterMs) per frame (default 0); frames overtake each other when it exceeds their spacing. */
  readonly jitterMs: number;
  /** Probability that a frame is lost (default 0). */
  readonly loss: number;
  /** Probability that a frame is delivered twice (default 0); the copy takes its own delay. */
  readonly duplication: number;
  /** Probability that a frame is held back by up to {@link LinkFaults.reorderDelayMs} more, so later frames overtake it (default 0). */
  readonly reordering: number;
  /** The most a reordered frame is held back (default 10 × `delayMs`). */
  readonly reorderDelayMs: number;
}

/** A perfect link with 20 ms delay. */
export const defaultLinkFaults: LinkFaults = { delayMs: 20, jitterMs: 0, loss: 0, duplication: 0, reordering: 0, reorderDelayMs: 200 };

/**
 * A change of the network's partitions at a virtual instant: `split` cuts the network into
 * `groups` (nodes in different groups cannot reach each other; nodes named in no group form one
 * more group together), `heal` joins everything again.
 */
export type PartitionChange =
  | { readonly at: number; readonly kind: "split"; readonly groups: ReadonlyArray<ReadonlyArray<string>> }
  | { readonly at: number; readonly kind: "heal" };

/** Configuration of {@link createInMemoryNetwork}. */
export interface InMemoryNetworkConfig {
  /** The names of the nodes. Frames to or from other names are refused. */
  readonly nodes: ReadonlyArray<string>;
  /** The source of every chance decision (loss, duplication, jitter, reordering). */
  readonly random: RandomSource;
  /** Faults of every link (missing fields from {@link defaultLinkFaults}). */
  readonly faults?: Partial<LinkFaults>;
  /** Faults of particular links, keyed `"from->to"`, over `faults`. */
  readonly links?: Readonly<Record<string, Partial<LinkFaults>>>;
  /** Partitions over time, applied as virtual time reaches each `at` (in order of `at`). */
  readonly partitions?: ReadonlyArray<PartitionChange>;
  /** The virtual instant the network starts at (default 0). */
  readonly startMs?: number;
}

/** A frame arriving at its destination. */
export interface Delivery {
  readonly from: string;
  readonly to: string;
  /** The bytes, a copy owned by the receiver. */
  readonly frame: Uint8Array;
  /** When it was sent (virtual ms). */
  readonly sentAt: number;
  /** When it arrives (virtual ms). */
  readonly deliverAt: number;
  /** True for the extra copy of a duplicated frame. */
  readonly duplicate: boolean;
}

/** Counters of what the network did. */
export interface NetworkStats {
  /** Frames handed to {@link InMemoryNetwork.send}. */
  readonly sent: number;
  /** Bytes handed to {@link InMemoryNetwork.send}. */
  readonly bytesSent: number;
  /** Frames delivered (duplicates included). */
  readonly delivered: number;
  /** Frames lost by chance. */
  readonly lost: number;
  /** Extra copies made. */
  readonly duplicated: number;
  /** Frames held back for reordering. */
  readonly reordered: number;
  /** Frames dropped because sender and receiver were partitioned (at send or at arrival) or the receiver was down. */
  readonly cut: number;
}

/** A frame from or to a node the network does not know, or a partition naming one. */
export class UnknownNode extends Data.TaggedError("UnknownNode")<{
  /** The name as given. */
  readonly node: string;
  readonly message: string;
}> {}

const unknownNode = (node: string) => new UnknownNode({ node, message: `unknown node ${JSON.stringify(node)}` });

const probability = z.number().min(0).max(1);
const milliseconds = z.number().finite().min(0);

/** The shape of {@link LinkFaults} (every field optional). */
export const LinkFaultsSchema = z
  .object({
    delayMs: milliseconds,
    jitterMs: milliseconds,
    loss: probability,
    duplication: probability,
    reordering: probability,
    reorderDelayMs: milliseconds,
  })
  .partial()
  .strict();

/** The shape of {@link PartitionChange}. */
export const PartitionChangeSchema = z.discriminatedUnion("kind", [
  z.object({ at: milliseconds, kind: z.literal("split"), groups: z.array(z.array(z.string())) }).strict(),
  z.object({ at: milliseconds, kind: z.literal("heal") }).strict(),
]);

const NetworkConfigSchema = z
  .object({
    nodes: z
      .array(z.string().min(1))
      .min(1)
      .refine((n) => new Set(n).size === n.length, "node names must be unique"),
    faults: LinkFaultsSchema.optional(),
    links: z.record(z.string(), LinkFaultsSchema).optional(),
    partitions: z.array(PartitionChangeSchema).optional(),
    startMs: milliseconds.optional(),
  })
  .superRefine((c, ctx) => {
    const known = new Set(c.nodes);
    for (const key of Object.keys(c.links ?? {})) {
      const [from, to, ...rest] = key.split("->");
      if (rest.length > 0 || from === undefined || to === undefined || !known.has(from) || !known.has(to)) {
        ctx.addIssue({ code: "custom", path: ["links", key], message: `not a link "from->to" between known nodes` });
      }
    }
    (c.partitions ?? []).forEach((p, i) => {
      if (p.kind === "split") for (const n of p.groups.flat()) if (!known.has(n)) ctx.addIssue({ code: "custom", path: ["partitions", i, "groups"], message: `unknown node ${JSON.stringify(n)}` });
    });
  });

/** The in-memory network. Its state is its own (no module state); only the calls below change it. */
export interface InMemoryNetwork {
  /** The names of the nodes. */
  readonly nodes: ReadonlyArray<string>;
  /** The current virtual instant (ms). */
  now(): number;
  /**
   * Sends `frame` from `from` to `to` at the current instant. Loss, duplication, delay and
   * reordering are decided now; partitions are checked now and again at arrival.
   * Fails with {@link UnknownNode} for a name not in `nodes` (nothing is sent).
   */
  send(from: string, to: string, frame: Uint8Array): Result.Result<void, UnknownNode>;
  /** Sends `frame` from `from` to every other node. */
  broadcast(from: string, frame: Uint8Array): Result.Result<void, UnknownNode>;
  /** The instant of the next arrival in flight, if any. */
  nextDeliveryAt(): number | undefined;
  /**
   * Moves virtual time to `instant` (never backwards) and returns the frames arriving up to
   * it, in order of arrival (ties in order of sending), applying scheduled partitions on the way.
   */
  advanceTo(instant: number): ReadonlyArray<Delivery>;
  /** Delivers the next arrival(s) due at the earliest instant in flight, advancing time to it (none in flight: nothing). */
  step(): ReadonlyArray<Delivery>;
  /** Cuts the network into `groups` now (see {@link PartitionChange}); fails, changing nothing, on an unknown name. */
  split(groups: ReadonlyArray<ReadonlyArray<string>>): Result.Result<void, UnknownNode>;
  /** Joins every partition now. */
  heal(): void;
  /** Takes `node` down (frames to it are dropped on arrival) or back up. */
  setDown(node: string, down: boolean): Result.Result<void, UnknownNode>;
  /** Whether `a` and `b` can currently reach each other. */
  connected(a: string, b: string): boolean;
  /** Replaces the faults of every link from now on (frames in flight keep theirs; per-link faults still apply over them). */
  setFaults(faults: Partial<LinkFaults>): Result.Result<void, InvalidInput>;
  /** Frames in flight. */
  inFlight(): number;
  /** What the network did so far. */
  stats(): NetworkStats;
}

interface InFlight {
  readonly seq: number;
  readonly delivery: Delivery;
}

/** Min-heap on (deliverAt, seq). */
class ArrivalQueue {
  private readonly items: InFlight[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): InFlight | undefined {
    return this.items[0];
  }
  push(item: InFlight): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): InFlight | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: InFlight, y: InFlight): boolean =>
  x.delivery.deliverAt < y.delivery.deliverAt || (x.delivery.deliverAt === y.delivery.deliverAt && x.seq < y.seq);

const withDefaults = (base: LinkFaults, over: Partial<LinkFaults> | undefined): LinkFaults => {
  const merged = { ...base, ...over };
  if (over?.delayMs !== undefined && over.reorderDelayMs === undefined && base === defaultLinkFaults) {
    return { ...merged, reorderDelayMs: 10 * over.delayMs };
  }
  return merged;
};

/**
 * A new in-memory network over `config.nodes`, at virtual instant `config.startMs` (default 0),
 * with no frame in flight and no partition (until the schedule says otherwise). Fails with
 * `InvalidInput` on a malformed configuration (duplicate names, a probability outside [0, 1], a
 * negative delay, a link or partition naming an unknown node).
 */
export const createInMemoryNetwork = (config: InMemoryNetworkConfig): Result.Result<InMemoryNetwork, InvalidInput> => {
  const { random, ...shape } = config;
  return Result.map(parseInput(NetworkConfigSchema, shape, "in-memory network configuration"), (parsed) => buildNetwork(parsed, random));
};

const buildNetwork = (config: z.output<typeof NetworkConfigSchema>, random: RandomSource): InMemoryNetwork => {
  const nodes = [...config.nodes];
  const known = new Set(nodes);
  let faults = withDefaults(defaultLinkFaults, config.faults);
  const linkOverrides = new Map(Object.entries(config.links ?? {}));
  const linkCache = new Map<string, LinkFaults>();
  const schedule = [...(config.partitions ?? [])].sort((x, y) => x.at - y.at);
  let nextChange = 0;
  let now = config.startMs ?? 0;
  let seq = 0;
  // Group number of each node; undefined = no partition.
  let group: Map<string, number> | undefined;
  const down = new Set<string>();
  const queue = new ArrivalQueue();
  const stats = { sent: 0, bytesSent: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0, cut: 0 };
  const OK = Result.succeed(undefined as void);

  const linkFaults = (from: string, to: string): LinkFaults => {
    const key = `${from}->${to}`;
    let f = linkCache.get(key);
    if (f === undefined) {
      f = withDefaults(faults, linkOverrides.get(key));
      linkCache.set(key, f);
    }
    return f;
  };
  const connected = (a: string, b: string): boolean => group === undefined || group.get(a) === group.get(b);
  const split = (groups: ReadonlyArray<ReadonlyArray<string>>): Result.Result<void, UnknownNode> => {
    const g = new Map<string, number>();
    for (let i = 0; i < groups.length; i++) {
      for (const n of groups[i]!) {
        if (!known.has(n)) return Result.fail(unknownNode(n));
        g.set(n, i);
      }
    }
    for (const n of nodes) if (!g.has(n)) g.set(n, groups.length);
    group = g;
    return OK;
  };
  const heal = () => {
    group = undefined;
  };
  const applySchedule = (upTo: number) => {
    while (nextChange < schedule.length && schedule[nextChange]!.at <= upTo) {
      const change = schedule[nextChange++]!;
      if (change.kind === "split") split(change.groups);
      else heal();
    }
  };
  applySchedule(now);

  const enqueue = (from: string, to: string, frame: Uint8Array, f: LinkFaults, duplicate: boolean) => {
    let delay = f.delayMs;
    if (f.jitterMs > 0) delay += random.next() * f.jitterMs;
    if (f.reordering > 0 && random.next() < f.reordering) {
      delay += random.next() * f.reorderDelayMs;
      stats.reordered++;
    }
    queue.push({ seq: seq++, delivery: { from, to, frame, sentAt: now, deliverAt: now + delay, duplicate } });
  };

  const send = (from: string, to: string, frame: Uint8Array): Result.Result<void, UnknownNode> => {
    if (!known.has(from)) return Result.fail(unknownNode(from));
    if (!known.has(to)) return Result.fail(unknownNode(to));
    stats.sent++;
    stats.bytesSent += frame.byteLength;
    if (!connected(from, to)) {
      stats.cut++;
      return OK;
    }
    const f = linkFaults(from, to);
    if (f.loss > 0 && random.next() < f.loss) {
      stats.lost++;
      return OK;
    }
    const copy = frame.slice();
    enqueue(from, to, copy, f, false);
    if (f.duplication > 0 && random.next() < f.duplication) {
      stats.duplicated++;
      enqueue(from, to, copy.slice(), f, true);
    }
    return OK;
  };

  const advanceTo = (instant: number): ReadonlyArray<Delivery> => {
    const target = Math.max(now, instant);
    const out: Delivery[] = [];
    for (;;) {
      const head = queue.peek();
      const nextChangeAt = nextChange < schedule.length ? schedule[nextChange]!.at : Infinity;
      const headAt = head === undefined ? Infinity : head.delivery.deliverAt;
      // A partition change at the same instant as an arrival applies first.
      if (nextChangeAt <= target && nextChangeAt <= headAt) {
        now = Math.max(now, nextChangeAt);
        applySchedule(now);
        continue;
      }
      if (head === undefined || headAt > target) break;
      queue.pop();
      now = Math.max(now, headAt);
      const d = head.delivery;
      if (!connected(d.from, d.to) || down.has(d.to)) {
        stats.cut++;
        continue;
      }
      stats.delivered++;
      out.push(d);
    }
    now = target;
    return out;
  };

  return {
    nodes,
    now: () => now,
    send,
    broadcast: (from, frame) => {
      if (!known.has(from)) return Result.fail(unknownNode(from));
      for (const n of nodes) if (n !== from) send(from, n, frame);
      return OK;
    },
    nextDeliveryAt: () => queue.peek()?.delivery.deliverAt,
    advanceTo,
    step: () => {
      const head = queue.peek();
      return head === undefined ? [] : advanceTo(head.delivery.deliverAt);
    },
    split,
    heal,
    setDown: (node, isDown) => {
      if (!known.has(node)) return Result.fail(unknownNode(node));
      if (isDown) down.add(node);
      else down.delete(node);
      return OK;
    },
    connected: (a, b) => connected(a, b),
    setFaults: (f) =>
      Result.map(parseInput(LinkFaultsSchema, f, "link faults"), (parsed) => {
        faults = withDefaults(defaultLinkFaults, parsed);
        linkCache.clear();
      }),
    inFlight: () => queue.size,
    stats: () => ({ ...stats }),
  };
};
