/**
 * RFID read-stream processing as a pure, deterministic state machine: deduplication of repeated
 * reads, RSSI smoothing, antenna → zone mapping, and zone presence events (`enter`, periodic
 * `stay`, `leave`) per EPC and zone.
 *
 * ```ts
 * let state = Result.getOrThrow(startRfidStream({ zones: [{ zone: "dock-1", antennas: [1, 2] }] }));
 * const r = stepRfidStream(state, { epc: "3034…", antenna: 1, rssi: -52, at: 1767225600000 });
 * // r.success.events: [{ type: "enter", epc: "3034…", zone: "dock-1", … }]
 * ```
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { InstantString, parseInput, type InvalidInput } from "@jxc/core";
import type { RoAccessReport } from "./llrp-messages.js";

// ---------------------------------------------------------------------------------------------
// Configuration and inputs
// ---------------------------------------------------------------------------------------------

const AntennaId = z.number().int().min(0).max(0xffff);

/** Settings of a read stream (one reader, or several whose antenna numbers do not collide). */
export const RfidStreamConfigSchema = z
  .object({
    /** Antenna → zone mapping; an antenna belongs to at most one zone. Reads from other antennas are ignored. */
    zones: z.array(z.object({ zone: z.string().min(1), antennas: z.array(AntennaId).min(1) })).min(1),
    /** Reads of the same EPC on the same antenna within this many ms of the first one count as one read. */
    dedupWindowMs: z.number().int().nonnegative().default(1000),
    /** Weight of the newest RSSI sample in the exponential moving average per EPC (1 = no smoothing). */
    rssiAlpha: z.number().gt(0).lte(1).default(0.3),
    /** Emit `stay` for a present EPC every this many ms; no `stay` events when absent. */
    stayIntervalMs: z.number().int().positive().optional(),
    /** An EPC leaves a zone after this many ms without a read there. */
    leaveAfterMs: z.number().int().positive().default(5000),
  })
  .superRefine((config, ctx) => {
    const owner = new Map<number, string>();
    config.zones.forEach((z, i) =>
      z.antennas.forEach((antenna, j) => {
        const other = owner.get(antenna);
        if (other !== undefined && other !== z.zone) {
          ctx.addIssue({ code: "custom", path: ["zones", i, "antennas", j], message: `antenna ${antenna} is already in zone ${other}` });
        }
        owner.set(antenna, z.zone);
      }),
    );
  });

/** Read-stream settings as written by a caller (defaults omitted). */
export type RfidStreamConfigInput = z.input<typeof RfidStreamConfigSchema>;
/** Parsed read-stream settings. */
export type RfidStreamConfig = z.output<typeof RfidStreamConfigSchema>;

/** An instant: epoch milliseconds, or ISO-8601 with an explicit offset. */
const Instant = z.union([z.number().finite(), InstantString]);

/** One tag read: EPC (hex or URI; hex is compared case-insensitively), antenna, RSSI in dBm, and its instant. */
export const TagReadSchema = z.object({
  epc: z.string().min(1),
  antenna: AntennaId,
  rssi: z.number().finite(),
  at: Instant,
});
/** A tag read. */
export type TagRead = z.input<typeof TagReadSchema>;

/** The passage of time without a read: lets `leave` and `stay` events fire. */
export interface RfidTick {
  readonly type: "tick";
  readonly now: number | string;
}

/** A tick as data: `{ type: "tick", now }`. */
export const RfidTickSchema = z.object({ type: z.literal("tick"), now: Instant });

/** A tick at `now` (epoch ms or ISO-8601 with offset). */
export const rfidTick = (now: number | string): RfidTick => ({ type: "tick", now });

/** What the state machine consumes: a read or a tick. */
export type RfidStreamInput = TagRead | RfidTick;

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** A deduplicated read: `count` raw reads of an EPC on one antenna within the window, emitted when the window closes. */
export interface RfidReadEvent {
  readonly type: "read";
  readonly epc: string;
  readonly antenna: number;
  readonly zone: string;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly count: number;
  /** Smoothed RSSI of the EPC at the last read of the window. */
  readonly rssi: number;
  /** Strongest raw RSSI of the window. */
  readonly peakRssi: number;
}

/** An EPC first read in a zone (or read again after it left). */
export interface RfidEnterEvent {
  readonly type: "enter";
  readonly epc: string;
  readonly zone: string;
  readonly antenna: number;
  readonly at: number;
  readonly rssi: number;
}

/** An EPC still present in a zone, every `stayIntervalMs`. */
export interface RfidStayEvent {
  readonly type: "stay";
  readonly epc: string;
  readonly zone: string;
  readonly at: number;
  readonly enteredAt: number;
  readonly lastSeenAt: number;
  readonly rssi: number;
}

/** An EPC not read in a zone for `leaveAfterMs`; `at` is `lastSeenAt + leaveAfterMs`. */
export interface RfidLeaveEvent {
  readonly type: "leave";
  readonly epc: string;
  readonly zone: string;
  readonly at: number;
  readonly enteredAt: number;
  readonly lastSeenAt: number;
}

/** Every event of the read stream, discriminated by `type`. */
export type RfidEvent = RfidReadEvent | RfidEnterEvent | RfidStayEvent | RfidLeaveEvent;

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/** An open deduplication window of one EPC on one antenna. */
export interface RfidDedupWindow {
  readonly epc: string;
  readonly antenna: number;
  readonly zone: string;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly count: number;
  readonly peakRssi: number;
}

/** The presence of one EPC in one zone. */
export interface RfidPresence {
  readonly epc: string;
  readonly zone: string;
  readonly enteredAt: number;
  readonly lastSeenAt: number;
  /** Instant of the `enter` or the last `stay`. */
  readonly lastReportAt: number;
}

/** The state of a read stream: immutable; every step returns a new one. */
export interface RfidStreamState {
  readonly config: RfidStreamConfig;
  /** Antenna → zone, from the config. */
  readonly zoneOf: ReadonlyMap<number, string>;
  /** The latest instant the stream has reached (epoch ms); undefined before the first mapped read or tick. */
  readonly clock: number | undefined;
  /** Open dedup windows by `epc \u0000 antenna`. */
  readonly windows: ReadonlyMap<string, RfidDedupWindow>;
  /** Smoothed RSSI by EPC. */
  readonly rssi: ReadonlyMap<string, number>;
  /** Presences by `epc \u0000 zone`. */
  readonly presence: ReadonlyMap<string, RfidPresence>;
}

/** The outcome of one step: the next state and the events, in time order. */
export interface RfidStep {
  readonly state: RfidStreamState;
  readonly events: readonly RfidEvent[];
}

/** Starts a read stream from settings ({@link RfidStreamConfigSchema}). */
export const startRfidStream = (config: RfidStreamConfigInput): Result.Result<RfidStreamState, InvalidInput> => {
  const parsed = parseInput(RfidStreamConfigSchema, config, "RFID stream settings");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const zoneOf = new Map<number, string>();
  for (const z of parsed.success.zones) for (const a of z.antennas) zoneOf.set(a, z.zone);
  return Result.succeed({ config: parsed.success, zoneOf, clock: undefined, windows: new Map(), rssi: new Map(), presence: new Map() });
};

const toEpochMs = (at: number | string): number => (typeof at === "number" ? at : Date.parse(at));

const normaliseEpc = (epc: string): string => (/^[0-9a-fA-F]+$/.test(epc) ? epc.toUpperCase() : epc);

const SEP = "\u0000";

interface Pending {
  readonly at: number;
  readonly rank: number;
  readonly key: string;
  readonly event: RfidEvent;
}

const byTime = (a: Pending, b: Pending): number => a.at - b.at || a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Mutable working copy of a state, for one step. */
interface Work {
  windows: Map<string, RfidDedupWindow>;
  rssi: Map<string, number>;
  presence: Map<string, RfidPresence>;
}

/** Closes the dedup windows due at `now` and fires the `leave` / `stay` events due at `now`. */
const advance = (config: RfidStreamConfig, work: Work, now: number): Pending[] => {
  const out: Pending[] = [];
  for (const [key, w] of work.windows) {
    const closesAt = w.firstAt + config.dedupWindowMs;
    if (closesAt <= now) {
      work.windows.delete(key);
      out.push({
        at: closesAt,
        rank: 0,
        key,
        event: { type: "read", epc: w.epc, antenna: w.antenna, zone: w.zone, firstAt: w.firstAt, lastAt: w.lastAt, count: w.count, rssi: work.rssi.get(w.epc)!, peakRssi: w.peakRssi },
      });
    }
  }
  for (const [key, p] of work.presence) {
    const leavesAt = p.lastSeenAt + config.leaveAfterMs;
    if (leavesAt <= now) {
      work.presence.delete(key);
      out.push({ at: leavesAt, rank: 1, key, event: { type: "leave", epc: p.epc, zone: p.zone, at: leavesAt, enteredAt: p.enteredAt, lastSeenAt: p.lastSeenAt } });
    } else if (config.stayIntervalMs !== undefined && now - p.lastReportAt >= config.stayIntervalMs) {
      work.presence.set(key, { ...p, lastReportAt: now });
      out.push({
        at: now,
        rank: 2,
        key,
        event: { type: "stay", epc: p.epc, zone: p.zone, at: now, enteredAt: p.enteredAt, lastSeenAt: p.lastSeenAt, rssi: work.rssi.get(p.epc)! },
      });
    }
  }
  return out.sort(byTime);
};

/**
 * One step of the read stream. Time only moves forward: a read or tick earlier than the stream's
 * clock is taken as happening at the clock. A read from an antenna outside every zone is ignored
 * entirely (same state, no events). Otherwise, in order:
 * 1. dedup windows due by the step's instant close (`read` events), presences not read for
 *    `leaveAfterMs` leave, present ones due a `stay` get it;
 * 2. the read updates the EPC's smoothed RSSI (EMA), joins or opens the window of EPC+antenna, and
 *    enters the zone if the EPC is not present there (`enter`).
 *
 * Fails with `InvalidInput` (state unchanged) for a malformed read or tick.
 */
export const stepRfidStream = (state: RfidStreamState, input: RfidStreamInput): Result.Result<RfidStep, InvalidInput> => {
  let now: number;
  let read: { epc: string; antenna: number; rssi: number; zone: string } | undefined;
  if ("epc" in input) {
    const parsed = parseInput(TagReadSchema, input, "tag read");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const zone = state.zoneOf.get(parsed.success.antenna);
    if (zone === undefined) return Result.succeed({ state, events: [] });
    now = toEpochMs(parsed.success.at);
    read = { epc: normaliseEpc(parsed.success.epc), antenna: parsed.success.antenna, rssi: parsed.success.rssi, zone };
  } else {
    const parsed = parseInput(RfidTickSchema, input, "tick");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    now = toEpochMs(parsed.success.now);
  }
  if (state.clock !== undefined && now < state.clock) now = state.clock;
  const config = state.config;
  const work: Work = { windows: new Map(state.windows), rssi: new Map(state.rssi), presence: new Map(state.presence) };
  const events: RfidEvent[] = advance(config, work, now).map((p) => p.event);

  if (read) {
    const previous = work.rssi.get(read.epc);
    const smoothed = previous === undefined ? read.rssi : config.rssiAlpha * read.rssi + (1 - config.rssiAlpha) * previous;
    work.rssi.set(read.epc, smoothed);

    const presenceKey = read.epc + SEP + read.zone;
    const present = work.presence.get(presenceKey);
    if (present) work.presence.set(presenceKey, { ...present, lastSeenAt: now });
    else {
      work.presence.set(presenceKey, { epc: read.epc, zone: read.zone, enteredAt: now, lastSeenAt: now, lastReportAt: now });
      events.push({ type: "enter", epc: read.epc, zone: read.zone, antenna: read.antenna, at: now, rssi: smoothed });
    }

    const windowKey = read.epc + SEP + read.antenna;
    const open = work.windows.get(windowKey);
    if (open) work.windows.set(windowKey, { ...open, lastAt: now, count: open.count + 1, peakRssi: Math.max(open.peakRssi, read.rssi) });
    else if (config.dedupWindowMs > 0) {
      work.windows.set(windowKey, { epc: read.epc, antenna: read.antenna, zone: read.zone, firstAt: now, lastAt: now, count: 1, peakRssi: read.rssi });
    } else {
      // A zero-length window: every read is its own.
      events.push({ type: "read", epc: read.epc, antenna: read.antenna, zone: read.zone, firstAt: now, lastAt: now, count: 1, rssi: smoothed, peakRssi: read.rssi });
    }
  }

  // Forget the smoothed RSSI of EPCs that left every zone and have no open window.
  for (const e of events) {
    if (e.type !== "leave" && e.type !== "read") continue;
    if (!work.rssi.has(e.epc)) continue;
    const tracked =
      [...new Set(state.zoneOf.values())].some((zone) => work.presence.has(e.epc + SEP + zone)) ||
      [...state.zoneOf.keys()].some((antenna) => work.windows.has(e.epc + SEP + antenna));
    if (!tracked) work.rssi.delete(e.epc);
  }

  return Result.succeed({ state: { ...state, clock: now, ...work }, events });
};

/** The result of running several inputs: final state, all events in order, and the inputs refused (by index). */
export interface RfidRun {
  readonly state: RfidStreamState;
  readonly events: readonly RfidEvent[];
  readonly rejected: readonly { readonly index: number; readonly error: InvalidInput }[];
}

/** Folds {@link stepRfidStream} over `inputs`; a refused input leaves the state as it was and is listed. */
export const runRfidStream = (state: RfidStreamState, inputs: Iterable<RfidStreamInput>): RfidRun => {
  const events: RfidEvent[] = [];
  const rejected: { index: number; error: InvalidInput }[] = [];
  let current = state;
  let index = 0;
  for (const input of inputs) {
    const r = stepRfidStream(current, input);
    if (Result.isSuccess(r)) {
      current = r.success.state;
      for (const e of r.success.events) events.push(e);
    } else rejected.push({ index, error: r.failure });
    index++;
  }
  return { state: current, events, rejected };
};

/** Options of {@link tagReadsFromReport}. */
export interface TagReadsFromReportOptions {
  /** When the report arrived (epoch ms): the instant of tag reports without a UTC timestamp. */
  readonly receivedAt: number;
  /** RSSI to assume when a tag report has no PeakRSSI (default −128 dBm, the weakest). */
  readonly defaultRssi?: number;
}

/**
 * Turns the tag reports of an RO_ACCESS_REPORT into tag reads: EPC hex, AntennaID (0 — "unknown" —
 * when absent), PeakRSSI, and the LastSeen (else FirstSeen) UTC timestamp in epoch ms, else
 * `receivedAt`. TagSeenCount is not expanded: one report is one read.
 */
export const tagReadsFromReport = (report: RoAccessReport, options: TagReadsFromReportOptions): TagRead[] =>
  report.tagReports.map((t) => {
    const micros = t.lastSeenUtc ?? t.firstSeenUtc;
    return {
      epc: t.epc.hex,
      antenna: t.antennaId ?? 0,
      rssi: t.peakRssi ?? options.defaultRssi ?? -128,
      at: micros === undefined ? options.receivedAt : Number(micros / 1000n),
    };
  });
