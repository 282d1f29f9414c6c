import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BusinessTrace,
  TRACE_EVENT_KINDS,
  checkCompliance,
  instantEpochNanos,
  type ComplianceFinding,
  type TraceEvent,
  type TraceEventKind,
} from "../src/trace.js";
import { ok, failWith } from "../../../scripts/test-support.js";


/** 2026-07-01T10:00:00+08:00 in epoch milliseconds. */
const T0 = Date.parse("2026-07-01T10:00:00+08:00");

/** An instant `ms` after T0, written in Shanghai time (+08:00) with milliseconds. */
const sh = (ms: number): string => new Date(T0 + ms + 8 * 3_600_000).toISOString().replace("Z", "+08:00");

const ev = (kind: TraceEventKind, id: string, businessId: string, ms: number): TraceEvent => ({ kind, id, businessId, at: sh(ms) });

const traceOf = (events: ReadonlyArray<TraceEvent>): BusinessTrace => ok(BusinessTrace.empty().add(events));

const summary = (findings: ReadonlyArray<ComplianceFinding>) => findings.map((f) => [f.businessId, f.rule]);

/** A complete sale: 出库, 发票, 收款, 凭证, 成本结转 within `spanMs`. */
const sale = (businessId: string, startMs: number, spanMs: number): TraceEvent[] => [
  ev("outbound", `OUT-${businessId}`, businessId, startMs),
  ev("invoice", `INV-${businessId}`, businessId, startMs + Math.floor(spanMs / 3)),
  ev("payment", `PAY-${businessId}`, businessId, startMs + Math.floor(spanMs / 2)),
  ev("voucher", `V-${businessId}`, businessId, startMs + Math.floor((2 * spanMs) / 3)),
  ev("cost-carry-over", `CC-${businessId}`, businessId, startMs + spanMs),
];

describe("instantEpochNanos", () => {
  it("is exact to the nanosecond, independent of the offset written", () => {
    expect(instantEpochNanos("2026-07-01T10:00:00+08:00")).toBe(BigInt(T0) * 1_000_000n);
    expect(instantEpochNanos("2026-07-01T02:00:00Z")).toBe(BigInt(T0) * 1_000_000n);
    expect(instantEpochNanos("2026-07-01T10:00:00.000001+08:00")).toBe(BigInt(T0) * 1_000_000n + 1_000n);
    expect(instantEpochNanos("2026-07-01T10:00:00.123456789+08:00")).toBe(BigInt(T0) * 1_000_000n + 123_456_789n);
  });

  it("refuses what is not an instant with offset, or names no real time", () => {
    expect(instantEpochNanos("2026-07-01T10:00:00")).toBeUndefined();
    expect(instantEpochNanos("2026-02-30T10:00:00+08:00")).toBeUndefined();
    expect(instantEpochNanos("yesterday")).toBeUndefined();
  });
});

describe("BusinessTrace", () => {
  it("lists the events of one business in time order; the trace it came from is unchanged", () => {
    const empty = BusinessTrace.empty();
    const trace = ok(empty.add([ev("payment", "P1", "B1", 2000), ev("outbound", "O1", "B1", 0), ev("invoice", "I1", "B1", 1000), ev("outbound", "O2", "B2", 0)]));
    expect(trace.ofBusiness("B1").map((e) => e.id)).toEqual(["O1", "I1", "P1"]);
    expect(trace.businesses()).toEqual(["B1", "B2"]);
    expect(trace.size).toBe(4);
    expect(empty.size).toBe(0);
    expect(empty.ofBusiness("B1")).toEqual([]);
    expect(Object.isFrozen(trace)).toBe(true);
  });

  it("orders events at the same instant by kind (outbound before invoice…), then id", () => {
    const trace = traceOf([ev("cost-carry-over", "C", "B", 0), ev("invoice", "I2", "B", 0), ev("invoice", "I1", "B", 0), ev("outbound", "O", "B", 0)]);
    expect(trace.ofBusiness("B").map((e) => e.id)).toEqual(["O", "I1", "I2", "C"]);
  });

  it("adding an event again (same kind and id) is idempotent, even written in another offset", () => {
    const once = traceOf([ev("invoice", "I1", "B1", 0)]);
    const twice = ok(once.add([{ kind: "invoice", id: "I1", businessId: "B1", at: "2026-07-01T02:00:00Z" }, ev("invoice", "I1", "B1", 0)]));
    expect(twice.size).toBe(1);
    expect(twice.ofBusiness("B1")).toEqual([ev("invoice", "I1", "B1", 0)]);
    // the same id under another kind is another event
    expect(ok(once.add([ev("voucher", "I1", "B1", 0)])).size).toBe(2);
  });

  it("the same kind and id with another business or instant is refused (DuplicateDocument), and nothing of the batch is added", () => {
    const once = traceOf([ev("invoice", "I1", "B1", 0)]);
    expect(failWith(once.add([ev("payment", "P1", "B1", 0), ev("invoice", "I1", "B2", 0)]), "DuplicateDocument").document).toBe("invoice:I1");
    expect(failWith(once.add([ev("invoice", "I1", "B1", 1)]), "DuplicateDocument").document).toBe("invoice:I1");
    expect(once.size).toBe(1);
  });

  it("malformed events are InvalidInput naming index and field", () => {
    const e = failWith(
      BusinessTrace.empty().add([ev("invoice", "I1", "B1", 0), { kind: "shipment", id: "S", businessId: "B1", at: sh(0) }, { kind: "payment", id: "P", businessId: "", at: "2026-07-01 10:00" }]),
      "InvalidInput",
    );
    expect(e.issues.map((i) => i.path).sort()).toEqual(["1.kind", "2.at", "2.businessId"]);
    expect(failWith(BusinessTrace.empty().add({ kind: "invoice" }), "InvalidInput").issues[0]?.path).toBe("");
  });
});

describe("checkCompliance", () => {
  it("the 52-minute case: an invoice 52 minutes before its receipt gives time-skew and invoice-before-goods", () => {
    const invoice = ev("invoice", "26442000000012345678", "PO-1", 0);
    const receipt = ev("inbound", "GR-1", "PO-1", 52 * 60_000);
    const voucher = ev("voucher", "V-1", "PO-1", 52 * 60_000 + 1_000);
    const payment = ev("payment", "PAY-1", "PO-1", 52 * 60_000 + 2_000);
    const findings = checkCompliance(traceOf([receipt, voucher, payment, invoice]));
    expect(findings).toEqual([
      { businessId: "PO-1", rule: "time-skew", message: expect.any(String), evidence: [invoice, payment], skewMs: 52 * 60_000 + 2_000 },
      { businessId: "PO-1", rule: "invoice-before-goods", message: expect.any(String), evidence: [invoice, receipt], skewMs: 52 * 60_000 },
    ]);
    expect(findings[1]?.message).toContain("26442000000012345678");
  });

  it("a complete sale with every record within 3 s gives no finding", () => {
    expect(checkCompliance(traceOf(sale("SO-1", 0, 2_999)))).toEqual([]);
    expect(checkCompliance(traceOf([...sale("SO-1", 0, 3_000), ...sale("SO-2", 86_400_000, 10)]))).toEqual([]);
  });

  it("exactly 3000 ms apart is compliant; 3001 ms is not", () => {
    expect(checkCompliance(traceOf(sale("SO-1", 0, 3_000)))).toEqual([]);
    const findings = checkCompliance(traceOf(sale("SO-1", 0, 3_001)));
    expect(summary(findings)).toEqual([["SO-1", "time-skew"]]);
    expect(findings[0]?.skewMs).toBe(3_001);
    expect(findings[0]?.evidence.map((e) => e.kind)).toEqual(["outbound", "cost-carry-over"]);
  });

  it("an invoice exactly 3000 ms before the goods counts as simultaneous; 3001 ms before is invoice-before-goods too", () => {
    const at = (invoiceMs: number) => [
      ev("invoice", "I", "B", invoiceMs),
      ev("outbound", "O", "B", 3_000),
      ev("cost-carry-over", "C", "B", 3_000),
    ];
    expect(checkCompliance(traceOf(at(0)))).toEqual([]);
    expect(summary(checkCompliance(traceOf(at(-1))))).toEqual([
      ["B", "time-skew"],
      ["B", "invoice-before-goods"],
    ]);
  });

  it("a sub-millisecond excess is a finding (instants compare exactly)", () => {
    const events: TraceEvent[] = [
      { kind: "outbound", id: "O", businessId: "B", at: "2026-07-01T10:00:00.000000+08:00" },
      { kind: "invoice", id: "I", businessId: "B", at: "2026-07-01T10:00:03.000001+08:00" },
      { kind: "cost-carry-over", id: "C", businessId: "B", at: "2026-07-01T10:00:03+08:00" },
    ];
    const findings = checkCompliance(traceOf(events));
    expect(summary(findings)).toEqual([["B", "time-skew"]]);
    expect(findings[0]?.skewMs).toBeCloseTo(3_000.001, 6);
  });

  it("the same instant written in different offsets is no skew", () => {
    const events: TraceEvent[] = [
      { kind: "outbound", id: "O", businessId: "B", at: "2026-07-01T10:00:00+08:00" },
      { kind: "invoice", id: "I", businessId: "B", at: "2026-07-01T02:00:01Z" },
      { kind: "cost-carry-over", id: "C", businessId: "B", at: "2026-07-01T01:30:02-00:30" },
    ];
    expect(checkCompliance(traceOf(events))).toEqual([]);
  });

  it("invoiceMustFollowGoods: false leaves only the time skew; toleranceMs widens the window", () => {
    const events = [ev("invoice", "I", "B", 0), ev("inbound", "G", "B", 60_000)];
    expect(summary(checkCompliance(traceOf(events), { invoiceMustFollowGoods: false }))).toEqual([["B", "time-skew"]]);
    expect(checkCompliance(traceOf(events), { toleranceMs: 60_000 })).toEqual([]);
    expect(summary(checkCompliance(traceOf(events), { toleranceMs: 59_999 }))).toEqual([
      ["B", "time-skew"],
      ["B", "invoice-before-goods"],
    ]);
  });

  it("missing-link: an invoice without goods movement, and an invoiced outbound without cost carry-over", () => {
    const noGoods = [ev("invoice", "I1", "A", 0), ev("payment", "P1", "A", 0)];
    const noCarryOver = [ev("outbound", "O2", "B", 0), ev("invoice", "I2", "B", 100), ev("voucher", "V2", "B", 200)];
    const findings = checkCompliance(traceOf([...noCarryOver, ...noGoods]));
    expect(findings).toEqual([
      { businessId: "A", rule: "missing-link", message: expect.stringContaining("without any goods movement"), evidence: [noGoods[0]] },
      { businessId: "B", rule: "missing-link", message: expect.stringContaining("cost-carry-over"), evidence: [noCarryOver[0], noCarryOver[1]] },
    ]);
  });

  it("no missing-link for a purchase (inbound needs no cost carry-over), an unpaid sale, or a business without an invoice", () => {
    const purchase = [ev("inbound", "GR", "P", 0), ev("invoice", "I-P", "P", 500), ev("voucher", "V-P", "P", 900)];
    const unpaid = [ev("outbound", "O-S", "S", 0), ev("invoice", "I-S", "S", 0), ev("cost-carry-over", "C-S", "S", 0)];
    const uninvoiced = [ev("outbound", "O-U", "U", 0), ev("voucher", "V-U", "U", 0)];
    expect(checkCompliance(traceOf([...purchase, ...unpaid, ...uninvoiced]))).toEqual([]);
  });

  it("findings are ordered by business ID, then rule, whatever the order events were added in", () => {
    const events = [
      ...sale("Z", 0, 10_000),
      ev("invoice", "I-A", "A", 0),
      ev("outbound", "O-A", "A", 3_600_000),
      ...sale("M", 0, 100),
    ];
    const expected = [
      ["A", "time-skew"],
      ["A", "invoice-before-goods"],
      ["A", "missing-link"],
      ["Z", "time-skew"],
    ];
    expect(summary(checkCompliance(traceOf(events)))).toEqual(expected);
    expect(checkCompliance(traceOf([...events].reverse()))).toEqual(checkCompliance(traceOf(events)));
  });

  it("a negative or non-finite tolerance is a programming error (RangeError)", () => {
    expect(() => checkCompliance(BusinessTrace.empty(), { toleranceMs: -1 })).toThrow(RangeError);
    expect(() => checkCompliance(BusinessTrace.empty(), { toleranceMs: Number.NaN })).toThrow(RangeError);
  });
});

describe("compliance properties (fast-check)", () => {
  const TOLERANCE = 3_000;
  const kindArb = fc.constantFrom(...TRACE_EVENT_KINDS);
  /** Events of up to 4 businesses over ±2 hours, ids unique per (kind, id) by construction. */
  const eventsArb = fc
    .array(
      fc.record({ business: fc.constantFrom("B1", "B2", "B3", "B4"), kind: kindArb, ms: fc.oneof(fc.integer({ min: -7_200_000, max: 7_200_000 }), fc.integer({ min: -4_000, max: 4_000 })) }),
      { minLength: 1, maxLength: 25 },
    )
    .map((raw) => raw.map(({ business, kind, ms }, i) => ev(kind, `E${i}`, business, ms)));

  const shift = (events: ReadonlyArray<TraceEvent>, businessId: string, ms: number): TraceEvent[] =>
    events.map((e) => (e.businessId === businessId ? { ...e, at: sh(Date.parse(e.at) - T0 + ms) } : e));

  /** Findings without the instants of their evidence (which a shift moves). */
  const shape = (findings: ReadonlyArray<ComplianceFinding>) => findings.map((f) => ({ ...f, evidence: f.evidence.map((e) => `${e.kind}:${e.id}`) }));

  it("shifting every event of one business by the same offset never changes the findings", () => {
    fc.assert(
      fc.property(eventsArb, fc.constantFrom("B1", "B2", "B3", "B4"), fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 }), (events, business, offset) => {
        const before = checkCompliance(traceOf(events));
        const after = checkCompliance(traceOf(shift(events, business, offset)));
        expect(shape(after)).toEqual(shape(before));
      }),
      { numRuns: 500 },
    );
  });

  it("no time-skew or invoice-before-goods finding names a business whose events all lie within the tolerance; a complete one has no finding at all", () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const findings = checkCompliance(traceOf(events), { toleranceMs: TOLERANCE });
        const span = new Map<string, { min: number; max: number }>();
        for (const e of events) {
          const ms = Date.parse(e.at);
          const s = span.get(e.businessId) ?? { min: ms, max: ms };
          span.set(e.businessId, { min: Math.min(s.min, ms), max: Math.max(s.max, ms) });
        }
        for (const [businessId, { min, max }] of span) {
          const named = findings.filter((f) => f.businessId === businessId);
          const withinTolerance = max - min <= TOLERANCE;
          expect(named.some((f) => f.rule === "time-skew")).toBe(!withinTolerance);
          if (withinTolerance) {
            expect(named.filter((f) => f.rule !== "missing-link")).toEqual([]);
            const kinds = new Set(events.filter((e) => e.businessId === businessId).map((e) => e.kind));
            const complete = !kinds.has("invoice") || ((kinds.has("outbound") || kinds.has("inbound") || kinds.has("return")) && (!kinds.has("outbound") || kinds.has("cost-carry-over")));
            if (complete) expect(named).toEqual([]);
          }
        }
        for (const f of findings) {
          expect(span.has(f.businessId)).toBe(true);
          if (f.skewMs !== undefined) expect(f.skewMs).toBeGreaterThan(TOLERANCE);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("findings do not depend on the order or batching in which events were added", () => {
    fc.assert(
      fc.property(
        eventsArb.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.nat(events.length))),
        ([events, shuffled, cut]) => {
          const batched = ok(ok(BusinessTrace.empty().add(shuffled.slice(0, cut))).add(shuffled.slice(cut)));
          expect(checkCompliance(batched)).toEqual(checkCompliance(traceOf(events)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
