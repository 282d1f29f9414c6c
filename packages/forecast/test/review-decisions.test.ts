import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { adoptionRates, defaultReasonCatalogue, emptyReviewLog, extendReasonCatalogue, periodKey, recordReview, type ReviewLog } from "@jxc/forecast";
import { Dec } from "@jxc/core";
import { failWith, ok } from "../../../scripts/test-support.js";

const suggestion = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  item: `item-${id}`,
  warehouse: "WH1",
  suggestedQty: "100",
  createdAt: "2026-01-05T08:00:00+08:00",
  ...extra,
});

describe("human review of suggestions", () => {
  it("records accept, change and reject with the quantity to order", () => {
    let log = emptyReviewLog();
    log = ok(recordReview(log, suggestion("s1"), { action: "accept", reviewer: "王", at: "2026-01-05T09:00:00+08:00" }));
    log = ok(
      recordReview(log, suggestion("s2"), { action: "change", qty: "80", reason: { code: "overstock-risk" }, reviewer: "王", at: "2026-01-05T09:01:00+08:00" }),
    );
    log = ok(recordReview(log, suggestion("s3"), { action: "reject", reason: { code: "other", note: "SKU 停产" }, reviewer: "李", at: "2026-01-05T09:02:00+08:00" }));
    expect([...log.reviews.values()].map((r) => [r.decision.action, r.decision.qty.toString(), r.decision.revision])).toEqual([
      ["accept", "100", 0],
      ["change", "80", 0],
      ["reject", "0", 0],
    ]);
    expect(log.reviews.get("s3")!.decision.reason).toEqual({ code: "other", note: "SKU 停产" });
  });

  it("accepts the planner's suggestions as they are (extra fields ignored, Dec quantities)", () => {
    const planned = { ...suggestion("s9"), suggestedQty: new Dec("12.5"), explanation: { rule: "s-S" }, policy: "(s, S)" };
    const log = ok(recordReview(emptyReviewLog(), planned, { action: "accept", reviewer: "王", at: "2026-01-06T00:00:00Z" }));
    expect(log.reviews.get("s9")!.decision.qty.toString()).toBe("12.5");
    expect(log.reviews.get("s9")!.suggestion.explanation).toEqual({ rule: "s-S" });
  });

  it("a suggestion is reviewed once; a revision keeps the history and leaves the old log unchanged", () => {
    const first = ok(recordReview(emptyReviewLog(), suggestion("s1"), { action: "accept", reviewer: "王", at: "2026-01-05T09:00:00+08:00" }));
    const again = failWith(recordReview(first, suggestion("s1"), { action: "reject", reason: { code: "data-error" }, reviewer: "李", at: "2026-01-05T10:00:00+08:00" }), "AlreadyReviewed");
    expect(again.reviewer).toBe("王");
    const revised = ok(
      recordReview(first, suggestion("s1"), { action: "reject", reason: { code: "data-error" }, reviewer: "李", at: "2026-01-05T10:00:00+08:00", revision: true }),
    );
    const r = revised.reviews.get("s1")!;
    expect(r.decision).toMatchObject({ action: "reject", reviewer: "李", revision: 1 });
    expect(r.history.map((h) => h.action)).toEqual(["accept", "reject"]);
    expect(first.reviews.get("s1")!.history.length).toBe(1);
    failWith(recordReview(emptyReviewLog(), suggestion("s1"), { action: "accept", reviewer: "王", at: "2026-01-05T09:00:00+08:00", revision: true }), "NotReviewed");
  });

  it("refuses decisions without their reason, unknown codes, bad times, conflicts and unchanged quantities", () => {
    const log = emptyReviewLog();
    const at = "2026-01-05T09:00:00+08:00";
    failWith(recordReview(log, suggestion("s1"), { action: "reject", reviewer: "王", at }), "ReasonRequired");
    failWith(recordReview(log, suggestion("s1"), { action: "reject", reason: { code: "other" }, reviewer: "王", at }), "ReasonRequired");
    const unknown = failWith(recordReview(log, suggestion("s1"), { action: "reject", reason: { code: "weather" }, reviewer: "王", at }), "UnknownReasonCode");
    expect(unknown.known).toContain("promotion-known");
    failWith(recordReview(log, suggestion("s1"), { action: "accept", reviewer: "王", at: "2026-01-05T07:59:59+08:00" }), "InvalidReviewTime");
    failWith(recordReview(log, suggestion("s1"), { action: "change", qty: "100", reason: { code: "promotion-known" }, reviewer: "王", at }), "UnchangedQuantity");
    failWith(recordReview(log, suggestion("s1"), { action: "change", qty: "0", reason: { code: "promotion-known" }, reviewer: "王", at }), "InvalidInput");
    failWith(recordReview(log, suggestion("s1"), { action: "accept", reviewer: "王", at: "2026-01-05 09:00" }), "InvalidInput");
    const first = ok(recordReview(log, suggestion("s1"), { action: "accept", reviewer: "王", at }));
    const conflict = failWith(recordReview(first, suggestion("s1", { suggestedQty: "99" }), { action: "accept", reviewer: "王", at, revision: true }), "SuggestionConflict");
    expect(conflict.field).toBe("suggestedQty");
    failWith(recordReview(first, suggestion("s1"), { action: "accept", reviewer: "王", at: "2026-01-05T08:30:00+08:00", revision: true }), "InvalidReviewTime");
  });

  it("the reason catalogue is extensible, and refuses a code twice", () => {
    const catalogue = ok(extendReasonCatalogue(defaultReasonCatalogue, [{ code: "weather", label: "天气 weather" }]));
    const log = ok(recordReview(emptyReviewLog(catalogue), suggestion("s1"), { action: "reject", reason: { code: "weather" }, reviewer: "王", at: "2026-01-05T09:00:00+08:00" }));
    expect(log.reviews.get("s1")!.decision.reason?.code).toBe("weather");
    failWith(extendReasonCatalogue(catalogue, [{ code: "weather", label: "again" }]), "DuplicateReasonCode");
    failWith(extendReasonCatalogue(catalogue, [{ code: "Not Kebab", label: "x" }]), "InvalidInput");
  });
});

describe("adoption rate (采纳率)", () => {
  // Eight decisions: January (Shanghai) a a c r by 王/李, February a c r r by 王.
  const decisions: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ["s1", {}, { action: "accept", reviewer: "王", at: "2026-01-05T09:00:00+08:00" }],
    ["s2", { category: "饮料" }, { action: "accept", reviewer: "李", at: "2026-01-06T09:00:00+08:00" }],
    ["s3", { category: "饮料" }, { action: "change", qty: "50", reason: { code: "promotion-known" }, reviewer: "王", at: "2026-01-12T09:00:00+08:00" }],
    ["s4", {}, { action: "reject", reason: { code: "data-error" }, reviewer: "李", at: "2026-01-31T15:00:00Z" }], // 2026-01-31 23:00 Shanghai
    ["s5", {}, { action: "accept", reviewer: "王", at: "2026-01-31T16:30:00Z" }], // 2026-02-01 00:30 Shanghai
    ["s6", {}, { action: "change", qty: "1", reason: { code: "supplier-issue" }, reviewer: "王", at: "2026-02-02T09:00:00+08:00" }],
    ["s7", {}, { action: "reject", reason: { code: "overstock-risk" }, reviewer: "王", at: "2026-02-03T09:00:00+08:00" }],
    ["s8", {}, { action: "reject", reason: { code: "overstock-risk" }, reviewer: "王", at: "2026-02-04T09:00:00+08:00" }],
  ];
  const log: ReviewLog = decisions.reduce(
    (l, [id, extra, d]) => ok(recordReview(l, suggestion(id, { createdAt: "2026-01-01T00:00:00+08:00", ...extra }), d)),
    emptyReviewLog(),
  );

  it("per month, in Shanghai time", () => {
    const rows = ok(adoptionRates(log));
    expect(rows.map((r) => [r.period, r.reviewed, r.accepted, r.acceptedWithChange, r.rejected, r.adoptionRate, r.acceptedRate, r.changedRate])).toEqual([
      ["2026-01", 4, 2, 1, 1, 0.75, 0.5, 0.25],
      ["2026-02", 4, 1, 1, 2, 0.5, 0.25, 0.25],
    ]);
    expect(ok(adoptionRates(log, { timeZone: "UTC" })).map((r) => [r.period, r.reviewed])).toEqual([["2026-01", 5], ["2026-02", 3]]);
  });

  it("per ISO week and day, per reviewer and category, within a window", () => {
    expect(ok(adoptionRates(log, { period: "week" })).map((r) => [r.period, r.reviewed])).toEqual([
      ["2026-W02", 2],
      ["2026-W03", 1],
      ["2026-W05", 2],
      ["2026-W06", 3],
    ]);
    expect(ok(adoptionRates(log, { period: "day", from: "2026-02-01T00:00:00+08:00", to: "2026-02-03T00:00:00+08:00" })).map((r) => r.period)).toEqual([
      "2026-02-01",
      "2026-02-02",
    ]);
    expect(ok(adoptionRates(log, { by: "reviewer" })).map((r) => [r.period, r.group, r.adoptionRate])).toEqual([
      ["2026-01", "李", 0.5],
      ["2026-01", "王", 1],
      ["2026-02", "王", 0.5],
    ]);
    expect(ok(adoptionRates(log, { by: "category" })).filter((r) => r.period === "2026-01").map((r) => [r.group, r.reviewed, r.accepted, r.acceptedWithChange])).toEqual([
      ["(none)", 2, 1, 0],
      ["饮料", 2, 1, 1],
    ]);
  });

  it("counts the decision in force once a suggestion is revised", () => {
    const revised = ok(recordReview(log, suggestion("s4", { createdAt: "2026-01-01T00:00:00+08:00" }), { action: "accept", reviewer: "李", at: "2026-02-10T09:00:00+08:00", revision: true }));
    expect(ok(adoptionRates(revised)).map((r) => [r.period, r.reviewed, r.accepted])).toEqual([["2026-01", 3, 2], ["2026-02", 5, 2]]);
    expect(periodKey("2026-01-04T23:59:59+08:00", "week", "Asia/Shanghai")).toBe("2026-W01");
    expect(Result.isFailure(adoptionRates(log, { timeZone: "Mars/Base" }))).toBe(true);
  });
});
