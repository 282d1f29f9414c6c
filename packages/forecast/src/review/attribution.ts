/**
 * The monthly review report (月度复盘): every stockout (断货) and overstock (积压) of an item on a
 * day is attributed to one primary cause, and the causes are summed per month so that sales,
 * purchasing and IT each see their share.
 *
 * The causes and what makes each one present for an event (tolerances are options):
 *
 * | cause            | stockout                                                                | overstock                                                                |
 * |------------------|-------------------------------------------------------------------------|--------------------------------------------------------------------------|
 * | `human-override` | the reviewer ordered less: decided < suggested × (1 − overrideTolerance) | the reviewer ordered more: decided > suggested × (1 + overrideTolerance) |
 * | `supplier`       | late (actual lead days > promised + leadTimeToleranceDays) or short (received < ordered × (1 − fillTolerance)) | early (actual < promised − leadTimeToleranceDays) or over-delivered (received > ordered × (1 + fillTolerance)) |
 * | `data-quality`   | a signal feeding the forecast missed more than `gapTolerance` of its expected points | same                                                     |
 * | `forecast-error` | under-forecast: forecast < actual × (1 − forecastTolerance)              | over-forecast: forecast > actual × (1 + forecastTolerance)               |
 *
 * **Precedence** (default, configurable): when several causes are present, the primary cause is
 * the first present in `human-override` → `supplier` → `data-quality` → `forecast-error`. The
 * reasoning walks the chain from the decision to the model: a reviewer's explicit override
 * replaced the system's plan, so the plan's own errors did not decide the order; a supplier's
 * deviation spoils a plan that was right; a forecast error on a signal with gaps is rooted in the
 * data (IT), not in demand planning; only a forecast error on clean data is the forecast's own.
 * An event with no cause present is `unexplained`. Every present cause is still listed
 * (`contributing`), so the report can be re-read under another precedence.
 *
 * Departments (default, configurable): forecast error → `sales` (demand knowledge, promotions),
 * supplier → `purchasing`, data quality → `it`, human override → `purchasing` (the reviewers),
 * unexplained → `unassigned`.
 *
 * Human overrides come either inline (`evidence.override`) or from the review log: an event that
 * names `evidence.suggestion` reads that suggestion's decision in force (suggested vs decided
 * quantity, reviewer, reason); when an event gives both, the review log's decision is read.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { Dec, NonNegativeDecimalString, ZERO, parseInput, type InvalidInput } from "@jxc/core";
import { UnknownSuggestion } from "./errors.js";
import type { ReviewLog, ReviewReason } from "./review.js";

/** The causes a stockout or overstock can be attributed to. */
export const OUTCOME_CAUSES = ["human-override", "supplier", "data-quality", "forecast-error"] as const;
/** A cause of a stockout or overstock. */
export type OutcomeCause = (typeof OUTCOME_CAUSES)[number];
/** A cause, or `unexplained` when no evidence crossed its tolerance. */
export type AttributedCause = OutcomeCause | "unexplained";

const Cause = z.enum(OUTCOME_CAUSES);
const Days = z.number().int().nonnegative();

/** Forecast vs actual demand over the period that decided the outcome (e.g. the lead time). */
export const ForecastEvidenceSchema = z.strictObject({ forecast: NonNegativeDecimalString, actual: NonNegativeDecimalString });
/** The supplier's promise vs delivery for the order that should have covered the day. */
export const SupplierEvidenceSchema = z.strictObject({
  promisedLeadDays: Days,
  actualLeadDays: Days,
  orderedQty: NonNegativeDecimalString,
  receivedQty: NonNegativeDecimalString,
});
/** A signal's data quality over the forecast's inputs: points expected and points missing. */
export const SignalGapEvidenceSchema = z
  .strictObject({ signal: z.string().min(1), expected: z.number().int().positive(), missing: z.number().int().nonnegative() })
  .refine((s) => s.missing <= s.expected, { message: "missing must not exceed expected", path: ["missing"] });
/** An override given inline: the quantity suggested and the quantity decided. */
export const OverrideEvidenceSchema = z.strictObject({
  suggestedQty: NonNegativeDecimalString,
  decidedQty: NonNegativeDecimalString,
  reviewer: z.string().min(1).optional(),
});

/** One item/warehouse/day outcome with the evidence of its possible causes; `none` days are skipped. */
export const OutcomeDaySchema = z.strictObject({
  item: z.string().min(1),
  warehouse: z.string().min(1),
  date: z.iso.date(),
  outcome: z.enum(["stockout", "overstock", "none"]),
  demand: NonNegativeDecimalString,
  stock: NonNegativeDecimalString,
  /** Money impact (lost sales for a stockout, overstock value), summed per cause. */
  impact: NonNegativeDecimalString.optional(),
  evidence: z
    .strictObject({
      forecast: ForecastEvidenceSchema.optional(),
      supplier: SupplierEvidenceSchema.optional(),
      signals: z.array(SignalGapEvidenceSchema).optional(),
      override: OverrideEvidenceSchema.optional(),
      suggestion: z.string().min(1).optional(),
    })
    .prefault({}),
});
/** An {@link OutcomeDaySchema} input (decimals as strings). */
export type OutcomeDayInput = z.input<typeof OutcomeDaySchema>;

const Tolerance = z.number().nonnegative();

/** Options of {@link attributeOutcomes} and {@link monthlyReviewReports}: tolerances, precedence and departments. */
export const AttributionOptionsSchema = z.strictObject({
  forecastTolerance: Tolerance.default(0.2),
  leadTimeToleranceDays: Days.default(1),
  fillTolerance: Tolerance.default(0.05),
  gapTolerance: Tolerance.default(0.1),
  overrideTolerance: Tolerance.default(0),
  precedence: z
    .array(Cause)
    .length(OUTCOME_CAUSES.length)
    .refine((p) => new Set(p).size === p.length, "must list each cause once")
    .default([...OUTCOME_CAUSES]),
  departments: z
    .strictObject({
      "human-override": z.string().min(1).default("purchasing"),
      supplier: z.string().min(1).default("purchasing"),
      "data-quality": z.string().min(1).default("it"),
      "forecast-error": z.string().min(1).default("sales"),
      unexplained: z.string().min(1).default("unassigned"),
    })
    .prefault({}),
});
/** An {@link AttributionOptionsSchema} input. */
export type AttributionOptions = z.input<typeof AttributionOptionsSchema>;

/** The attribution of one stockout or overstock. */
export interface OutcomeAttribution {
  /** The item. */
  readonly item: string;
  /** The warehouse. */
  readonly warehouse: string;
  /** The business date. */
  readonly date: string;
  /** Stockout or overstock. */
  readonly outcome: "stockout" | "overstock";
  /** The primary cause. */
  readonly cause: AttributedCause;
  /** The department the primary cause belongs to. */
  readonly department: string;
  /** Every cause present, in precedence order (the first is `cause`). */
  readonly contributing: ReadonlyArray<OutcomeCause>;
  /** What each present cause's evidence showed, in words. */
  readonly findings: ReadonlyArray<string>;
  /** The money impact, 0 when not given. */
  readonly impact: Dec;
  /** The review decision behind a human override, when read from the review log. */
  readonly override?: { readonly suggestion: string; readonly reviewer: string; readonly reason?: ReviewReason | undefined } | undefined;
}

/** Counts (and impact) of one cause or department. */
export interface AttributionTally {
  /** Stockouts attributed. */
  readonly stockouts: number;
  /** Overstocks attributed. */
  readonly overstocks: number;
  /** stockouts + overstocks. */
  readonly events: number;
  /** events ÷ all events of the month (0 when there is none). */
  readonly share: number;
  /** Σ impact. */
  readonly impact: Dec;
}

/** The review report of one month. */
export interface MonthlyReviewReport {
  /** The month, `YYYY-MM`. */
  readonly month: string;
  /** Stockouts and overstocks in the month. */
  readonly events: number;
  /** Stockouts in the month. */
  readonly stockouts: number;
  /** Overstocks in the month. */
  readonly overstocks: number;
  /** Tally per cause (every cause and `unexplained`, zeros included); the events sum to `events`. */
  readonly byCause: Readonly<Record<AttributedCause, AttributionTally>>;
  /** Tally per department, by department name; the events sum to `events`. */
  readonly byDepartment: ReadonlyArray<{ readonly department: string } & AttributionTally>;
  /** Every event's attribution, by date, item, warehouse. */
  readonly attributions: ReadonlyArray<OutcomeAttribution>;
}

type Options = z.output<typeof AttributionOptionsSchema>;
type OutcomeDay = z.output<typeof OutcomeDaySchema>;

const ONE = new Dec(1);

const findCauses = (
  day: OutcomeDay,
  outcome: "stockout" | "overstock",
  override: { suggested: Dec; decided: Dec } | undefined,
  o: Options,
): Map<OutcomeCause, string> => {
  const found = new Map<OutcomeCause, string>();
  const short = outcome === "stockout";
  const e = day.evidence;
  if (override !== undefined) {
    const t = new Dec(o.overrideTolerance);
    if (short ? override.decided.lt(override.suggested.times(ONE.minus(t))) : override.decided.gt(override.suggested.times(ONE.plus(t)))) {
      found.set("human-override", `reviewer ordered ${override.decided.toString()} instead of the suggested ${override.suggested.toString()}`);
    }
  }
  if (e.supplier !== undefined) {
    const s = e.supplier;
    const f = new Dec(o.fillTolerance);
    const late = s.actualLeadDays > s.promisedLeadDays + o.leadTimeToleranceDays;
    const early = s.actualLeadDays < s.promisedLeadDays - o.leadTimeToleranceDays;
    const shortFill = s.receivedQty.lt(s.orderedQty.times(ONE.minus(f)));
    const overFill = s.receivedQty.gt(s.orderedQty.times(ONE.plus(f)));
    const parts: string[] = [];
    if (short ? late : early) parts.push(`lead time ${s.actualLeadDays} days against ${s.promisedLeadDays} promised`);
    if (short ? shortFill : overFill) parts.push(`received ${s.receivedQty.toString()} of ${s.orderedQty.toString()} ordered`);
    if (parts.length > 0) found.set("supplier", `supplier: ${parts.join(", ")}`);
  }
  if (e.signals !== undefined) {
    const gaps = e.signals.filter((s) => s.missing / s.expected > o.gapTolerance);
    if (gaps.length > 0) {
      found.set("data-quality", `signal gaps: ${gaps.map((s) => `${s.signal} missed ${s.missing} of ${s.expected}`).join(", ")}`);
    }
  }
  if (e.forecast !== undefined) {
    const { forecast, actual } = e.forecast;
    const t = new Dec(o.forecastTolerance);
    if (short ? forecast.lt(actual.times(ONE.minus(t))) : forecast.gt(actual.times(ONE.plus(t)))) {
      found.set("forecast-error", `forecast ${forecast.toString()} against actual demand ${actual.toString()}`);
    }
  }
  return found;
};

/**
 * Attributes every stockout and overstock to its primary cause, in date, item, warehouse order.
 * Fails with `InvalidInput` on malformed outcomes or options and {@link UnknownSuggestion} when
 * an outcome names a suggestion the review log does not hold (or no log is given).
 */
export const attributeOutcomes = (
  outcomes: unknown,
  options: AttributionOptions = {},
  reviewLog?: ReviewLog,
): Result.Result<ReadonlyArray<OutcomeAttribution>, InvalidInput | UnknownSuggestion> => {
  const parsedOptions = parseInput(AttributionOptionsSchema, options, "attribution options");
  if (Result.isFailure(parsedOptions)) return Result.fail(parsedOptions.failure);
  const o = parsedOptions.success;
  const parsed = parseInput(z.array(OutcomeDaySchema), outcomes, "outcomes");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const attributions: OutcomeAttribution[] = [];
  for (const [i, day] of parsed.success.entries()) {
    if (day.outcome === "none") continue;
    const outcome = day.outcome;
    let override: { suggested: Dec; decided: Dec } | undefined;
    let fromLog: OutcomeAttribution["override"];
    const id = day.evidence.suggestion;
    if (id !== undefined) {
      const review = reviewLog?.reviews.get(id);
      if (review === undefined) return Result.fail(new UnknownSuggestion({ suggestion: id, path: `outcomes.${i}.evidence.suggestion` }));
      override = { suggested: review.suggestion.suggestedQty, decided: review.decision.qty };
      fromLog = {
        suggestion: id,
        reviewer: review.decision.reviewer,
        ...(review.decision.reason === undefined ? {} : { reason: review.decision.reason }),
      };
    } else if (day.evidence.override !== undefined) {
      override = { suggested: day.evidence.override.suggestedQty, decided: day.evidence.override.decidedQty };
    }
    const found = findCauses(day, outcome, override, o);
    const contributing = o.precedence.filter((c) => found.has(c));
    const cause: AttributedCause = contributing[0] ?? "unexplained";
    attributions.push({
      item: day.item,
      warehouse: day.warehouse,
      date: day.date,
      outcome,
      cause,
      department: o.departments[cause],
      contributing,
      findings: contributing.map((c) => found.get(c)!),
      impact: day.impact ?? ZERO,
      ...(fromLog !== undefined && found.has("human-override") ? { override: fromLog } : {}),
    });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  attributions.sort((a, b) => cmp(a.date, b.date) || cmp(a.item, b.item) || cmp(a.warehouse, b.warehouse));
  return Result.succeed(attributions);
};

const emptyTally = (): { stockouts: number; overstocks: number; impact: Dec } => ({ stockouts: 0, overstocks: 0, impact: ZERO });

/**
 * The monthly review reports of a set of outcomes (one report per month that has an event,
 * ascending): stockouts and overstocks attributed to their primary cause, tallied per cause and
 * per department. Fails like {@link attributeOutcomes}.
 */
export const monthlyReviewReports = (
  outcomes: unknown,
  options: AttributionOptions = {},
  reviewLog?: ReviewLog,
): Result.Result<ReadonlyArray<MonthlyReviewReport>, InvalidInput | UnknownSuggestion> => {
  const attributed = attributeOutcomes(outcomes, options, reviewLog);
  if (Result.isFailure(attributed)) return Result.fail(attributed.failure);
  const byMonth = new Map<string, OutcomeAttribution[]>();
  for (const a of attributed.success) {
    const month = a.date.slice(0, 7);
    const list = byMonth.get(month);
    if (list === undefined) byMonth.set(month, [a]);
    else list.push(a);
  }
  const reports: MonthlyReviewReport[] = [];
  for (const [month, list] of [...byMonth.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const events = list.length;
    const causes = new Map<AttributedCause, { stockouts: number; overstocks: number; impact: Dec }>();
    for (const c of [...OUTCOME_CAUSES, "unexplained" as const]) causes.set(c, emptyTally());
    const departments = new Map<string, { stockouts: number; overstocks: number; impact: Dec }>();
    for (const a of list) {
      let department = departments.get(a.department);
      if (department === undefined) {
        department = emptyTally();
        departments.set(a.department, department);
      }
      for (const t of [causes.get(a.cause)!, department]) {
        if (a.outcome === "stockout") t.stockouts++;
        else t.overstocks++;
        t.impact = t.impact.plus(a.impact);
      }
    }
    const finish = (t: { stockouts: number; overstocks: number; impact: Dec }): AttributionTally => ({
      stockouts: t.stockouts,
      overstocks: t.overstocks,
      events: t.stockouts + t.overstocks,
      share: events === 0 ? 0 : (t.stockouts + t.overstocks) / events,
      impact: t.impact,
    });
    const byCause = Object.fromEntries([...causes.entries()].map(([c, t]) => [c, finish(t)])) as Record<AttributedCause, AttributionTally>;
    const byDepartment = [...departments.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([department, t]) => ({ department, ...finish(t) }));
    reports.push({
      month,
      events,
      stockouts: list.filter((a) => a.outcome === "stockout").length,
      overstocks: list.filter((a) => a.outcome === "overstock").length,
      byCause,
      byDepartment,
      attributions: list,
    });
  }
  return Result.succeed(reports);
};
