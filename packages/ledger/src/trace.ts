import { DuplicateDocument, InstantString, InvalidInput, parseInput } from "@jxc/core";
import { Result } from "effect";
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Instants
// ---------------------------------------------------------------------------------------------

const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Nanoseconds since 1970-01-01T00:00:00Z of an ISO-8601 instant with offset
 * (`2026-07-01T09:00:00.250+08:00`), exact to the nanosecond (fractions beyond 9 digits are cut).
 * Exact integers, so that instants from PostgreSQL (microseconds) or Java (nanoseconds) compare
 * without the rounding of a JS `number` of milliseconds.
 *
 * @returns `undefined` when `instant` is not such an instant or names no real time (`2026-02-30`).
 */
export const instantEpochNanos = (instant: string): bigint | undefined => {
  const match = INSTANT.exec(instant);
  if (match === null) return undefined;
  const [, base = "", fraction = "", offset = ""] = match;
  const seconds = Date.parse(`${base}${offset}`);
  if (Number.isNaN(seconds)) return undefined;
  // Date.parse rolls 2026-02-30 over into March; a real instant round-trips its calendar fields.
  const local = new Date(seconds + offsetMinutes(offset) * 60_000).toISOString().slice(0, 19);
  if (local !== base) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.slice(0, 9).padEnd(9, "0"));
};

const offsetMinutes = (offset: string): number => {
  if (offset === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
};

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/**
 * The kinds of linked records of one business, in the order a sale normally runs: 出库单
 * (`outbound`), 入库单 (`inbound`), 退货单 (`return`), 数电发票 (`invoice`), 收款/付款 (`payment`),
 * 会计凭证 (`voucher`) and the 成本结转 voucher (`cost-carry-over`).
 */
export const TRACE_EVENT_KINDS = ["outbound", "inbound", "return", "invoice", "payment", "voucher", "cost-carry-over"] as const;

/** One of {@link TRACE_EVENT_KINDS}. */
export const TraceEventKind = z.enum(TRACE_EVENT_KINDS);
/** A kind of trace event. */
export type TraceEventKind = z.output<typeof TraceEventKind>;

/**
 * One record in the business-ID trace (出库单 ↔ 数电发票 ↔ 收款 ↔ 成本结转): what it is, its own id
 * (the document, invoice number, payment or voucher id), the business ID it belongs to, and its
 * time stamp.
 */
export const TraceEventSchema = z.object({
  /** What the record is. */
  kind: TraceEventKind,
  /** Its own id; unique per kind. */
  id: z.string().min(1).max(128),
  /** The business ID shared by every record of one transaction. */
  businessId: z.string().min(1).max(128),
  /** Its time stamp, ISO-8601 with offset. */
  at: InstantString,
});
/** A parsed {@link TraceEventSchema}. */
export type TraceEvent = Readonly<z.output<typeof TraceEventSchema>>;
/** A trace event as written on the wire. */
export type TraceEventInput = z.input<typeof TraceEventSchema>;

const TraceEventsSchema = z.array(TraceEventSchema);

const KIND_RANK: Readonly<Record<TraceEventKind, number>> = Object.fromEntries(TRACE_EVENT_KINDS.map((kind, rank) => [kind, rank])) as Record<TraceEventKind, number>;

interface Entry {
  readonly event: TraceEvent;
  readonly nanos: bigint;
}

const compareEntries = (a: Entry, b: Entry): number => {
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  const kinds = KIND_RANK[a.event.kind] - KIND_RANK[b.event.kind];
  if (kinds !== 0) return kinds;
  return a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0;
};

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const keyOf = (event: TraceEvent): string => `${event.kind}\u0000${event.id}`;

/**
 * The business-ID trace: every linked record (goods movements, invoices, payments, vouchers) by
 * business ID. Pure and immutable: {@link BusinessTrace.add} returns a new trace.
 */
export class BusinessTrace {
  private constructor(
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly businessIndex: ReadonlyMap<string, ReadonlyArray<Entry>>,
  ) {
    Object.freeze(this);
  }

  /** The empty trace. */
  static empty(): BusinessTrace {
    return new BusinessTrace(new Map(), new Map());
  }

  /**
   * Adds events. An event whose kind and id are already in the trace (or earlier in `events`)
   * with the same business ID and the same instant is taken once (idempotent; the offset it is
   * written in does not matter); with another business ID or instant it is refused.
   *
   * @returns a new trace, an {@link InvalidInput} naming the field at fault (e.g. `2.at`), or a
   *   `DuplicateDocument` naming `kind:id` for a conflicting event. Nothing is added on failure.
   */
  add(events: ReadonlyArray<TraceEventInput> | unknown): Result.Result<BusinessTrace, InvalidInput | DuplicateDocument> {
    const parsed = parseInput(TraceEventsSchema, events, "trace events");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const entries = new Map(this.entries);
    const touched = new Map<string, Entry[]>();
    for (const raw of parsed.success) {
      const event: TraceEvent = Object.freeze({ ...raw });
      const nanos = instantEpochNanos(event.at) ?? 0n;
      const key = keyOf(event);
      const known = entries.get(key);
      if (known !== undefined) {
        if (known.event.businessId === event.businessId && known.nanos === nanos) continue;
        return Result.fail(
          new DuplicateDocument({
            document: `${event.kind}:${event.id}`,
            message: `trace event ${event.kind} ${event.id} is already in the trace for business ${known.event.businessId} at ${known.event.at}; refused for business ${event.businessId} at ${event.at}`,
          }),
        );
      }
      const entry: Entry = { event, nanos };
      entries.set(key, entry);
      const list = touched.get(event.businessId) ?? [...(this.businessIndex.get(event.businessId) ?? [])];
      list.push(entry);
      touched.set(event.businessId, list);
    }
    if (touched.size === 0) return Result.succeed(this);
    const businessIndex = new Map(this.businessIndex);
    for (const [businessId, list] of touched) businessIndex.set(businessId, Object.freeze(list.sort(compareEntries)));
    return Result.succeed(new BusinessTrace(entries, businessIndex));
  }

  /** The events of one business, in time order (ties: in the order of {@link TRACE_EVENT_KINDS}, then by id). */
  ofBusiness(businessId: string): ReadonlyArray<TraceEvent> {
    return (this.businessIndex.get(businessId) ?? []).map((entry) => entry.event);
  }

  /** The business IDs in the trace, sorted. */
  businesses(): ReadonlyArray<string> {
    return [...this.businessIndex.keys()].sort(compareText);
  }

  /** How many distinct events the trace holds. */
  get size(): number {
    return this.entries.size;
  }
}

// ---------------------------------------------------------------------------------------------
// Compliance
// ---------------------------------------------------------------------------------------------

/**
 * The rules {@link checkCompliance} applies, in the order its findings are listed per business:
 * `time-skew` (linked time stamps too far apart), `invoice-before-goods` (invoice issued before the
 * goods moved) and `missing-link` (a record the auditor expects is absent).
 */
export const COMPLIANCE_RULES = ["time-skew", "invoice-before-goods", "missing-link"] as const;

/** One of {@link COMPLIANCE_RULES}. */
export type ComplianceRule = (typeof COMPLIANCE_RULES)[number];

/** One finding of {@link checkCompliance}. */
export interface ComplianceFinding {
  /** The business at fault. */
  readonly businessId: string;
  /** The rule broken. */
  readonly rule: ComplianceRule;
  /** What is wrong, in words (event ids and durations; no absolute times). */
  readonly message: string;
  /** The events involved, in time order. */
  readonly evidence: ReadonlyArray<TraceEvent>;
  /** For `time-skew` and `invoice-before-goods`: how far apart the evidence lies, in milliseconds (fractional below 1 ms). */
  readonly skewMs?: number;
}

/** Options of {@link checkCompliance}. */
export interface ComplianceOptions {
  /** The largest allowed distance between linked time stamps, in milliseconds; default 3000 (3 s). Equal is compliant. */
  readonly toleranceMs?: number;
  /** Whether an invoice issued before the first goods movement is a finding; default `true`. */
  readonly invoiceMustFollowGoods?: boolean;
}

/** The kinds that move goods: 出库单, 入库单 and 退货单. */
const GOODS: ReadonlySet<TraceEventKind> = new Set<TraceEventKind>(["outbound", "inbound", "return"]);

const RULE_RANK: Readonly<Record<ComplianceRule, number>> = { "time-skew": 0, "invoice-before-goods": 1, "missing-link": 2 };

const nanosToMs = (nanos: bigint): number => Number(nanos) / 1_000_000;

const names = (events: ReadonlyArray<TraceEvent>): string => events.map((event) => `${event.kind} ${event.id}`).join(", ");

/**
 * Checks every business of a trace against the 2026 rules for transactions with a 数电发票, and
 * returns the findings ordered by business ID, then rule ({@link COMPLIANCE_RULES}), then message.
 * Pure and deterministic; instants compare exactly (see {@link instantEpochNanos}).
 *
 * - `time-skew`: the time stamps of one business (goods movements, invoices, payments, vouchers,
 *   cost carry-over — every event under its business ID) span more than `toleranceMs`. Evidence:
 *   the earliest and the latest event; `skewMs` the span. A return (退货) with its red invoice and
 *   reversing vouchers is a transaction of its own and should carry its own business ID.
 * - `invoice-before-goods` (when `invoiceMustFollowGoods`): an invoice precedes the business's first
 *   goods movement (outbound, inbound or return) by more than `toleranceMs`. Within the tolerance
 *   the records count as simultaneous: the tolerance is what the rule accepts as the same moment,
 *   and clocks of different systems may order them either way. Evidence: every such invoice and
 *   the first goods movement; `skewMs` how far the earliest invoice precedes it.
 * - `missing-link`, for a business with an invoice only: no goods movement at all (an invoice
 *   without goods, 票货分离, is what an auditor looks at first; evidence: the invoices), or an
 *   outbound without a `cost-carry-over` voucher (revenue without its 主营业务成本 breaks
 *   matching; evidence: the outbounds and invoices). An inbound needs no cost carry-over (the goods
 *   are an asset until sold, under the sale's business ID), a missing payment is a receivable or
 *   payable rather than a broken link (credit terms), and a return's kind does not tell a sales
 *   return from a purchase return, so none of these is a finding.
 *
 * @throws RangeError when `toleranceMs` is negative or not finite (a programming error, not a
 *   finding).
 */
export const checkCompliance = (trace: BusinessTrace, options: ComplianceOptions = {}): ReadonlyArray<ComplianceFinding> => {
  const toleranceMs = options.toleranceMs ?? 3000;
  if (!Number.isFinite(toleranceMs) || toleranceMs < 0) throw new RangeError(`toleranceMs must be a finite number ≥ 0, got ${toleranceMs}`);
  const tolerance = Number.isInteger(toleranceMs) ? BigInt(toleranceMs) * 1_000_000n : BigInt(Math.round(toleranceMs * 1_000_000));
  const invoiceMustFollowGoods = options.invoiceMustFollowGoods ?? true;
  const findings: ComplianceFinding[] = [];
  for (const businessId of trace.businesses()) {
    const events = trace.ofBusiness(businessId);
    const timed = events.map((event) => ({ event, nanos: instantEpochNanos(event.at) ?? 0n }));
    const first = timed[0];
    const last = timed[timed.length - 1];
    if (first !== undefined && last !== undefined && last.nanos - first.nanos > tolerance) {
      const skewMs = nanosToMs(last.nanos - first.nanos);
      findings.push({
        businessId,
        rule: "time-skew",
        message: `business ${businessId}: ${first.event.kind} ${first.event.id} and ${last.event.kind} ${last.event.id} are ${skewMs} ms apart, more than the ${toleranceMs} ms allowed`,
        evidence: [first.event, last.event],
        skewMs,
      });
    }
    const invoices = timed.filter((t) => t.event.kind === "invoice");
    if (invoices.length === 0) continue;
    const firstGoods = timed.find((t) => GOODS.has(t.event.kind));
    if (firstGoods === undefined) {
      findings.push({
        businessId,
        rule: "missing-link",
        message: `business ${businessId}: ${names(invoices.map((t) => t.event))} without any goods movement (outbound, inbound or return)`,
        evidence: invoices.map((t) => t.event),
      });
      continue;
    }
    if (invoiceMustFollowGoods) {
      const early = invoices.filter((t) => firstGoods.nanos - t.nanos > tolerance);
      const earliest = early[0];
      if (earliest !== undefined) {
        const skewMs = nanosToMs(firstGoods.nanos - earliest.nanos);
        findings.push({
          businessId,
          rule: "invoice-before-goods",
          message: `business ${businessId}: ${names(early.map((t) => t.event))} issued before ${firstGoods.event.kind} ${firstGoods.event.id}, the earliest by ${skewMs} ms`,
          evidence: [...early.map((t) => t.event), firstGoods.event],
          skewMs,
        });
      }
    }
    const outbounds = timed.filter((t) => t.event.kind === "outbound");
    if (outbounds.length > 0 && !timed.some((t) => t.event.kind === "cost-carry-over")) {
      const evidence = timed.filter((t) => t.event.kind === "outbound" || t.event.kind === "invoice").map((t) => t.event);
      findings.push({
        businessId,
        rule: "missing-link",
        message: `business ${businessId}: ${names(outbounds.map((t) => t.event))} invoiced without a cost-carry-over voucher (成本结转)`,
        evidence,
      });
    }
  }
  return findings.sort(
    (a, b) => compareText(a.businessId, b.businessId) || RULE_RANK[a.rule] - RULE_RANK[b.rule] || compareText(a.message, b.message),
  );
};
