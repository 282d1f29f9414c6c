/**
 * Cold-chain excursion detection (温湿度超标): temperature and humidity readings checked against a
 * storage profile such as GSP 2–8 °C (药品经营质量管理规范 cold storage), as a pure state machine
 * per sensor, with data gaps reported and quarantine suggestions for the lots stored where an
 * excursion happened.
 *
 * Timing rules, by readings (sensors sample; nothing is interpolated):
 *
 * - An excursion **starts** at the first reading outside the limits, and **ends** at the first
 *   reading back inside them (`[start, end)`, half-open). A reading on a limit is inside.
 * - While open, its duration runs to the latest reading; once closed, it is `end − start`.
 * - A reading on the other side of the range (above max, then below min) closes the excursion
 *   and opens a new one at that reading.
 * - Two readings of one sensor further apart than `maxGapMinutes` are a **data gap**, reported on
 *   its own. An excursion open before a gap stays open through it (what was not measured is not
 *   assumed to have recovered).
 * - **Out-of-order readings are refused** by {@link stepColdChain}: a reading must be strictly
 *   later than the sensor's previous one (a repeat of the same instant is refused too).
 *   {@link detectExcursions} takes a batch in any order and sorts it by instant first (ties keep
 *   their input order, so the second reading of an instant is the one refused).
 *
 * Levels: every excursion is at least a `warning`; it becomes an `alarm` (then `critical`) once
 * it has lasted at least the level's `afterMinutes`, or its peak is more than the level's `beyond`
 * outside the limit. So "excursions shorter than 30 min and within 2 °C of the limit are only
 * warnings" is `alarm: { afterMinutes: 30, beyond: "2" }`.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { Dec, DecimalString, NonNegativeDecimalString, parseInput, type InvalidInput } from "@jxc/core";

// ---------------------------------------------------------------------------------------------
// Profile
// ---------------------------------------------------------------------------------------------

/** What a reading measures. */
export const ColdChainQuantity = z.enum(["temperature", "humidity"]);
/** `temperature` or `humidity`. */
export type ColdChainQuantity = z.infer<typeof ColdChainQuantity>;

/** Excursion levels, from least to most severe. */
export const ExcursionLevel = z.enum(["warning", "alarm", "critical"]);
/** `warning` → `alarm` → `critical`. */
export type ExcursionLevel = z.infer<typeof ExcursionLevel>;

const LEVEL_RANK: Record<ExcursionLevel, number> = { warning: 0, alarm: 1, critical: 2 };

/** The worse of two levels. */
export const worseLevel = (a: ExcursionLevel, b: ExcursionLevel): ExcursionLevel => (LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b);

/** When an excursion reaches a level: after lasting `afterMinutes`, or with a peak more than `beyond` outside the limit (either suffices). */
export const EscalationThreshold = z
  .object({
    /** Reached once the excursion has lasted at least this many minutes. */
    afterMinutes: z.number().positive().optional(),
    /** Reached once the peak is more than this far outside the limit, e.g. `"2"` (°C). */
    beyond: NonNegativeDecimalString.optional(),
  })
  .refine((t) => t.afterMinutes !== undefined || t.beyond !== undefined, { message: "give afterMinutes, beyond, or both" });

/** Escalation threshold as configured. */
export type EscalationThresholdInput = z.input<typeof EscalationThreshold>;
/** Escalation threshold validated. */
export type EscalationThreshold = z.output<typeof EscalationThreshold>;

/** The allowed range of one quantity (limits inclusive) and how excursions escalate. */
export const ColdChainLimits = z
  .object({
    /** Lowest allowed value, e.g. `"2"`; absent = no lower limit. */
    min: DecimalString.optional(),
    /** Highest allowed value, e.g. `"8"`; absent = no upper limit. */
    max: DecimalString.optional(),
    /** Unit of the values, for messages: `°C`, `%RH`. */
    unit: z.string().default("°C"),
    /** From `warning` to `alarm`. */
    alarm: EscalationThreshold,
    /** From `alarm` to `critical`; absent = never critical. */
    critical: EscalationThreshold.optional(),
  })
  .superRefine((l, ctx) => {
    if (l.min === undefined && l.max === undefined) ctx.addIssue({ code: "custom", message: "give min, max, or both" });
    if (l.min !== undefined && l.max !== undefined && l.min.gt(l.max)) ctx.addIssue({ code: "custom", path: ["min"], message: "min must not exceed max" });
  });

/** Limits as configured. */
export type ColdChainLimitsInput = z.input<typeof ColdChainLimits>;
/** Limits validated. */
export type ColdChainLimits = z.output<typeof ColdChainLimits>;

/**
 * A storage profile, e.g. GSP cold storage:
 * `{ name: "GSP 2–8 °C", limits: { temperature: { min: "2", max: "8", alarm: { afterMinutes: 30,
 * beyond: "2" }, critical: { afterMinutes: 120, beyond: "5" } } }, maxGapMinutes: 15 }`.
 */
export const ColdChainProfile = z
  .object({
    name: z.string().min(1),
    /** Limits per quantity; readings of a quantity without limits are refused. */
    limits: z.object({ temperature: ColdChainLimits.optional(), humidity: ColdChainLimits.optional() }),
    /** Longest silence between two readings of a sensor before it is reported as a data gap. */
    maxGapMinutes: z.number().positive(),
    /** Lowest excursion level that suggests quarantining the lots stored there; `alarm` by default. */
    quarantineFrom: ExcursionLevel.default("alarm"),
    /** Whether a data gap alone suggests quarantine (for review); `false` by default. */
    quarantineOnGap: z.boolean().default(false),
  })
  .refine((p) => p.limits.temperature !== undefined || p.limits.humidity !== undefined, { path: ["limits"], message: "give limits for temperature, humidity, or both" });

/** A profile as configured (decimals as strings). */
export type ColdChainProfileInput = z.input<typeof ColdChainProfile>;
/** A validated profile. */
export type ColdChainProfile = z.output<typeof ColdChainProfile>;

/** Validates a cold-chain profile; every field at fault is named in the {@link InvalidInput}. */
export const parseColdChainProfile = (input: unknown): Result.Result<ColdChainProfile, InvalidInput> => parseInput(ColdChainProfile, input, "cold-chain profile");

// ---------------------------------------------------------------------------------------------
// Readings, excursions, gaps
// ---------------------------------------------------------------------------------------------

/** A reading on the wire: `{ sensor, at, value: "5.3", quantity? }`. */
export const ColdChainReadingWire = z.object({
  sensor: z.string().min(1),
  /** ISO-8601 instant with offset. */
  at: z.iso.datetime({ offset: true }),
  value: DecimalString,
  quantity: ColdChainQuantity.default("temperature"),
});

/** One reading of a sensor. `quantity` is `temperature` when absent. */
export interface ColdChainReading {
  readonly sensor: string;
  /** ISO-8601 instant with offset, e.g. `2024-07-01T10:00:00+08:00`. */
  readonly at: string;
  readonly value: Dec;
  readonly quantity?: ColdChainQuantity;
}

/** A period with a value outside the limits. */
export interface Excursion {
  readonly sensor: string;
  readonly quantity: ColdChainQuantity;
  /** `high`: above max; `low`: below min. */
  readonly side: "high" | "low";
  /** The limit crossed. */
  readonly limit: Dec;
  /** Instant of the first reading outside the limits (as given). */
  readonly start: string;
  /** Instant of the first reading back inside; absent while open. */
  readonly end?: string;
  /** The most extreme value (highest for `high`, lowest for `low`), and when it was read. */
  readonly peak: Dec;
  readonly peakAt: string;
  /** Instant of the latest reading outside the limits. */
  readonly lastOutAt: string;
  /** `end − start` once closed; latest reading − start while open. */
  readonly durationMs: number;
  readonly level: ExcursionLevel;
  /** Readings outside the limits. */
  readonly readings: number;
}

/** A silence longer than the profile's `maxGapMinutes` between two readings of a sensor. */
export interface DataGap {
  readonly sensor: string;
  readonly quantity: ColdChainQuantity;
  /** The last reading before the silence, and the first after it (or the `asOf` instant of {@link silentSensors}). */
  readonly from: string;
  readonly to: string;
  readonly durationMs: number;
}

/** A reading the state machine would not take. */
export class ColdChainReadingRefused extends Data.TaggedError("ColdChainReadingRefused")<{
  readonly sensor: string;
  readonly at: string;
  /** `out-of-order`: not later than the sensor's previous reading; `invalid-time`: not an ISO instant with offset; `no-limits`: the profile has no limits for the quantity. */
  readonly reason: "out-of-order" | "invalid-time" | "no-limits";
  readonly message: string;
}> {}

/** What a reading changed. */
export type ColdChainEvent =
  | { readonly kind: "excursion-opened"; readonly excursion: Excursion }
  | { readonly kind: "excursion-escalated"; readonly excursion: Excursion; readonly from: ExcursionLevel }
  | { readonly kind: "excursion-closed"; readonly excursion: Excursion }
  | { readonly kind: "data-gap"; readonly gap: DataGap };

/** What the detector keeps per sensor and measured quantity. */
export interface Track {
  readonly sensor: string;
  readonly quantity: ColdChainQuantity;
  readonly lastAt: string;
  readonly lastMs: number;
  readonly open: (Excursion & { readonly startMs: number }) | undefined;
}

/** What the detector knows: per sensor and quantity, the latest reading and the open excursion. Immutable. */
export interface ColdChainState {
  readonly tracks: ReadonlyMap<string, Track>;
}

/** The state before any reading. */
export const initialColdChainState: ColdChainState = { tracks: new Map() };

const ISO_WITH_OFFSET = ColdChainReadingWire.shape.at;

const instantMs = (at: string): number | undefined => (ISO_WITH_OFFSET.safeParse(at).success ? Date.parse(at) : undefined);

const trackKey = (sensor: string, quantity: ColdChainQuantity): string => `${quantity}\u0000${sensor}`;

const MINUTE = 60_000;

const reaches = (t: EscalationThreshold, durationMs: number, deviation: Dec): boolean =>
  (t.afterMinutes !== undefined && durationMs >= t.afterMinutes * MINUTE) || (t.beyond !== undefined && deviation.gt(t.beyond));

/** The level of an excursion that has lasted `durationMs` with a peak `deviation` outside the limit. */
export const excursionLevel = (limits: ColdChainLimits, durationMs: number, deviation: Dec): ExcursionLevel =>
  limits.critical !== undefined && reaches(limits.critical, durationMs, deviation) ? "critical" : reaches(limits.alarm, durationMs, deviation) ? "alarm" : "warning";

const sideOf = (limits: ColdChainLimits, value: Dec): "high" | "low" | undefined =>
  limits.max !== undefined && value.gt(limits.max) ? "high" : limits.min !== undefined && value.lt(limits.min) ? "low" : undefined;

const publicExcursion = (open: Excursion & { readonly startMs: number }): Excursion => {
  const { startMs: _startMs, ...excursion } = open;
  return excursion;
};

/** One step of the state machine: what the state and events are after `reading`. */
export interface ColdChainStep {
  readonly state: ColdChainState;
  readonly events: ReadonlyArray<ColdChainEvent>;
}

/**
 * Takes one reading. Refused (state unchanged) when it is not strictly later than the sensor's
 * previous reading of the same quantity, when `at` is not an ISO instant with offset, or when the
 * profile has no limits for its quantity.
 */
export const stepColdChain = (profile: ColdChainProfile, state: ColdChainState, reading: ColdChainReading): Result.Result<ColdChainStep, ColdChainReadingRefused> => {
  const quantity = reading.quantity ?? "temperature";
  const refuse = (reason: ColdChainReadingRefused["reason"], message: string) =>
    Result.fail(new ColdChainReadingRefused({ sensor: reading.sensor, at: reading.at, reason, message: `${reading.sensor} at ${reading.at}: ${message}` }));
  const limits = profile.limits[quantity];
  if (limits === undefined) return refuse("no-limits", `profile ${profile.name} has no ${quantity} limits`);
  const ms = instantMs(reading.at);
  if (ms === undefined) return refuse("invalid-time", "not an ISO-8601 instant with offset");
  const key = trackKey(reading.sensor, quantity);
  const track = state.tracks.get(key);
  if (track !== undefined && ms <= track.lastMs) return refuse("out-of-order", `not later than the previous reading at ${track.lastAt}`);

  const events: ColdChainEvent[] = [];
  if (track !== undefined && ms - track.lastMs > profile.maxGapMinutes * MINUTE) {
    events.push({ kind: "data-gap", gap: { sensor: reading.sensor, quantity, from: track.lastAt, to: reading.at, durationMs: ms - track.lastMs } });
  }

  let open = track?.open;
  const side = sideOf(limits, reading.value);
  if (open !== undefined && open.side !== side) {
    // Back in range (or over to the other side): the excursion ends at this reading.
    const durationMs = ms - open.startMs;
    const level = worseLevel(open.level, excursionLevel(limits, durationMs, open.side === "high" ? open.peak.minus(open.limit) : open.limit.minus(open.peak)));
    const closed: Excursion = { ...publicExcursion(open), end: reading.at, durationMs, level };
    if (level !== open.level) events.push({ kind: "excursion-escalated", excursion: closed, from: open.level });
    events.push({ kind: "excursion-closed", excursion: closed });
    open = undefined;
  }
  if (side !== undefined) {
    const limit = side === "high" ? (limits.max ?? reading.value) : (limits.min ?? reading.value);
    if (open === undefined) {
      const deviation = side === "high" ? reading.value.minus(limit) : limit.minus(reading.value);
      open = {
        sensor: reading.sensor,
        quantity,
        side,
        limit,
        start: reading.at,
        startMs: ms,
        peak: reading.value,
        peakAt: reading.at,
        lastOutAt: reading.at,
        durationMs: 0,
        level: excursionLevel(limits, 0, deviation),
        readings: 1,
      };
      events.push({ kind: "excursion-opened", excursion: publicExcursion(open) });
    } else {
      const morePeak = side === "high" ? reading.value.gt(open.peak) : reading.value.lt(open.peak);
      const peak = morePeak ? reading.value : open.peak;
      const durationMs = ms - open.startMs;
      const level = worseLevel(open.level, excursionLevel(limits, durationMs, side === "high" ? peak.minus(limit) : limit.minus(peak)));
      const next = { ...open, peak, peakAt: morePeak ? reading.at : open.peakAt, lastOutAt: reading.at, durationMs, level, readings: open.readings + 1 };
      if (level !== open.level) events.push({ kind: "excursion-escalated", excursion: publicExcursion(next), from: open.level });
      open = next;
    }
  }

  const tracks = new Map(state.tracks);
  tracks.set(key, { sensor: reading.sensor, quantity, lastAt: reading.at, lastMs: ms, open });
  return Result.succeed({ state: { tracks }, events });
};

/** The excursions still open, in start order. */
export const openExcursions = (state: ColdChainState): Excursion[] =>
  [...state.tracks.values()]
    .flatMap((t) => (t.open === undefined ? [] : [t.open]))
    .sort((a, b) => a.startMs - b.startMs || (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0))
    .map(publicExcursion);

/**
 * Sensors silent for longer than the profile's `maxGapMinutes` at `asOf` (an ISO instant with
 * offset): each as a gap from its last reading to `asOf`. Time is an argument; nothing reads a clock.
 */
export const silentSensors = (profile: ColdChainProfile, state: ColdChainState, asOf: string): DataGap[] => {
  const now = instantMs(asOf);
  if (now === undefined) return [];
  return [...state.tracks.values()]
    .filter((t) => now - t.lastMs > profile.maxGapMinutes * MINUTE)
    .map((t) => ({ sensor: t.sensor, quantity: t.quantity, from: t.lastAt, to: asOf, durationMs: now - t.lastMs }));
};

/** Everything found in a batch of readings. */
export interface ColdChainReport {
  /** Closed excursions and those still open at the last reading, by start instant then sensor. */
  readonly excursions: ReadonlyArray<Excursion>;
  readonly gaps: ReadonlyArray<DataGap>;
  /** Readings not taken, with the reason. */
  readonly refused: ReadonlyArray<ColdChainReadingRefused>;
  /** The state after the batch, to continue with {@link stepColdChain}. */
  readonly state: ColdChainState;
}

/**
 * Runs a batch of readings through {@link stepColdChain}, after sorting them by instant (ties
 * keep input order). Continue from an earlier `state` to process readings as they arrive.
 */
export const detectExcursions = (profile: ColdChainProfile, readings: ReadonlyArray<ColdChainReading>, state: ColdChainState = initialColdChainState): ColdChainReport => {
  const order = readings.map((reading, i) => ({ reading, i, ms: instantMs(reading.at) ?? Number.NEGATIVE_INFINITY }));
  order.sort((a, b) => a.ms - b.ms || a.i - b.i);
  const closed: Array<Excursion & { readonly startMs: number }> = [];
  const gaps: DataGap[] = [];
  const refused: ColdChainReadingRefused[] = [];
  let current = state;
  for (const { reading } of order) {
    const step = stepColdChain(profile, current, reading);
    if (Result.isFailure(step)) {
      refused.push(step.failure);
      continue;
    }
    current = step.success.state;
    for (const e of step.success.events) {
      if (e.kind === "excursion-closed") closed.push({ ...e.excursion, startMs: Date.parse(e.excursion.start) });
      else if (e.kind === "data-gap") gaps.push(e.gap);
    }
  }
  const open = [...current.tracks.values()].flatMap((t) => (t.open === undefined ? [] : [t.open]));
  const excursions = [...closed, ...open]
    .sort((a, b) => a.startMs - b.startMs || (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0))
    .map(publicExcursion);
  return { excursions, gaps, refused, state: current };
};

// ---------------------------------------------------------------------------------------------
// Quarantine suggestions
// ---------------------------------------------------------------------------------------------

/** A lot found at a location during a period. */
export interface ColdChainLot {
  readonly item: string;
  readonly lot: string;
}

/** Where sensors are and what was stored there: supplied by the caller (pure lookups, no I/O). */
export interface ColdChainPlaces {
  /** The storage location a sensor watches, or `undefined` when unknown. */
  readonly locationOf: (sensor: string) => string | undefined;
  /** The lots stored at `location` at any time between the ISO instants `from` and `to`. */
  readonly lotsAt: (location: string, from: string, to: string) => ReadonlyArray<ColdChainLot>;
}

/** Why a lot is suggested for quarantine: an excursion or a data gap at its location. */
export type QuarantineEvidence =
  | { readonly kind: "excursion"; readonly location: string; readonly excursion: Excursion; readonly summary: string }
  | { readonly kind: "data-gap"; readonly location: string; readonly gap: DataGap; readonly summary: string };

/** A lot to hold (质量待定/隔离) pending a quality decision, with the reason and the evidence. */
export interface QuarantineSuggestion {
  readonly item: string;
  readonly lot: string;
  /** The worst excursion level among the evidence; `undefined` when only data gaps are evidence. */
  readonly level: ExcursionLevel | undefined;
  /** The evidence summaries, one per line. */
  readonly reason: string;
  readonly evidence: ReadonlyArray<QuarantineEvidence>;
}

/** Suggestions, and the sensors whose location is unknown (their excursions could not be traced to lots). */
export interface QuarantineReport {
  readonly suggestions: ReadonlyArray<QuarantineSuggestion>;
  readonly unlocatedSensors: ReadonlyArray<string>;
}

const minutes = (ms: number): string => {
  const m = ms / MINUTE;
  return Number.isInteger(m) ? `${m} min` : `${m.toFixed(1)} min`;
};

const describeExcursion = (profile: ColdChainProfile, e: Excursion, location: string): string => {
  const unit = profile.limits[e.quantity]?.unit ?? "";
  const where = e.side === "high" ? "above" : "below";
  const period = e.end === undefined ? `from ${e.start}, still open at ${e.lastOutAt}` : `from ${e.start} to ${e.end}`;
  return `${e.level}: ${e.quantity} ${where} ${e.limit.toString()} ${unit} at ${location} (sensor ${e.sensor}) ${period}, ${minutes(e.durationMs)}, peak ${e.peak.toString()} ${unit} at ${e.peakAt} (profile ${profile.name})`;
};

const describeGap = (g: DataGap, location: string): string =>
  `data gap: no ${g.quantity} reading at ${location} (sensor ${g.sensor}) from ${g.from} to ${g.to}, ${minutes(g.durationMs)}`;

/**
 * Lots to quarantine: for each excursion at or above the profile's `quarantineFrom` level (and
 * each data gap, when `quarantineOnGap`), the lots stored at the sensor's location during it
 * (`lotsAt(location, start, end)`; an open excursion up to its latest reading). One suggestion per
 * item and lot, with every piece of evidence, in the order first found.
 */
export const suggestQuarantine = (
  profile: ColdChainProfile,
  found: { readonly excursions: ReadonlyArray<Excursion>; readonly gaps?: ReadonlyArray<DataGap> },
  places: ColdChainPlaces,
): QuarantineReport => {
  const byLot = new Map<string, { item: string; lot: string; evidence: QuarantineEvidence[] }>();
  const unlocated = new Set<string>();
  const add = (lots: ReadonlyArray<ColdChainLot>, evidence: QuarantineEvidence) => {
    for (const l of lots) {
      const key = `${l.item}\u0000${l.lot}`;
      const entry = byLot.get(key) ?? { item: l.item, lot: l.lot, evidence: [] };
      if (!entry.evidence.includes(evidence)) entry.evidence.push(evidence);
      byLot.set(key, entry);
    }
  };
  for (const e of found.excursions) {
    if (LEVEL_RANK[e.level] < LEVEL_RANK[profile.quarantineFrom]) continue;
    const location = places.locationOf(e.sensor);
    if (location === undefined) {
      unlocated.add(e.sensor);
      continue;
    }
    add(places.lotsAt(location, e.start, e.end ?? e.lastOutAt), { kind: "excursion", location, excursion: e, summary: describeExcursion(profile, e, location) });
  }
  if (profile.quarantineOnGap) {
    for (const g of found.gaps ?? []) {
      const location = places.locationOf(g.sensor);
      if (location === undefined) {
        unlocated.add(g.sensor);
        continue;
      }
      add(places.lotsAt(location, g.from, g.to), { kind: "data-gap", location, gap: g, summary: describeGap(g, location) });
    }
  }
  const suggestions = [...byLot.values()].map(({ item, lot, evidence }) => {
    let level: ExcursionLevel | undefined;
    for (const ev of evidence) if (ev.kind === "excursion") level = level === undefined ? ev.excursion.level : worseLevel(level, ev.excursion.level);
    return { item, lot, level, reason: evidence.map((ev) => ev.summary).join("\n"), evidence };
  });
  return { suggestions, unlocatedSensors: [...unlocated] };
};
