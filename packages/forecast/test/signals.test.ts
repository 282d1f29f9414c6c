import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { joinSignals, robustZScores, type ExternalSignal, type JoinedSignals } from "../src/signals.js";

const obs = (pairs: ReadonlyArray<readonly [string, number]>) => pairs.map(([date, value]) => ({ date, value }));

const trend: ExternalSignal = {
  name: "douyin-trend",
  kind: "social-trend",
  lead: 2,
  observations: obs([
    ["2025-02-27", 1], ["2025-02-28", 2], ["2025-03-01", 3], ["2025-03-02", 4],
    ["2025-03-03", 5], ["2025-03-04", 6], ["2025-03-05", 7], ["2025-03-07", 100],
  ]),
};
const weather: ExternalSignal = {
  name: "temperature",
  kind: "weather",
  observations: obs([["2025-03-03", 12], ["2025-03-01", 10], ["2025-03-02", 11], ["2025-03-15", 20]]),
};
const empty: ExternalSignal = { name: "competitor", kind: "competitor-promotion", observations: [] };

const join = (signals: ExternalSignal[], start = "2025-03-01", end = "2025-03-10"): JoinedSignals => {
  const r = joinSignals(signals, { start, end });
  if (Result.isFailure(r)) throw new Error(r.failure.message);
  return r.success;
};

describe("joinSignals", () => {
  const j = join([trend, weather, empty]);

  it("shifts each signal by its lead: value on t is the observation at t − lead", () => {
    expect(j.dates.length).toBe(10);
    const col = [...j.columns.get("douyin-trend")!];
    // target Mar 1 ← Feb 27 (1), …, Mar 7 ← Mar 5 (7), Mar 8 ← Mar 6 (missing), Mar 9 ← Mar 7 (100), Mar 10 ← Mar 8 (missing)
    expect(col.slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Number.isNaN(col[7]!)).toBe(true);
    expect(col[8]).toBe(100);
    expect(Number.isNaN(col[9]!)).toBe(true);
    const w = [...j.columns.get("temperature")!];
    expect(w.slice(0, 3)).toEqual([10, 11, 12]);
    expect(w.slice(3).every(Number.isNaN)).toBe(true);
  });

  it("coverage, gaps, staleness, outliers and usable share of a leading signal", () => {
    const q = j.quality.get("douyin-trend")!;
    expect(q.kind).toBe("social-trend");
    expect(q.lead).toBe(2);
    expect(q.observed).toBe(8);
    expect(q.coverage).toBe(0.8);
    expect(q.gaps).toEqual([
      { start: "2025-03-08", sourceStart: "2025-03-06", length: 1 },
      { start: "2025-03-10", sourceStart: "2025-03-08", length: 1 },
    ]);
    // source window ends Mar 10 − 2 = Mar 8; last observation Mar 7
    expect(q.lastObservation).toBe("2025-03-07");
    expect(q.staleness).toBe(1);
    // values 1..7, 100: median 4.5; |dev| sorted 0.5,0.5,1.5,1.5,2.5,2.5,3.5,95.5 → MAD 2
    // z(100) = 0.6745 · 95.5 / 2 = 32.207…; z(1) = 0.6745 · −3.5 / 2 = −1.18
    expect(q.outliers.length).toBe(1);
    expect(q.outliers[0]!.date).toBe("2025-03-07");
    expect(q.outliers[0]!.value).toBe(100);
    expect(q.outliers[0]!.robustZ).toBeCloseTo((0.6745 * 95.5) / 2, 10);
    // (8 observed − 1 outlier) / 10 days
    expect(q.usableShare).toBeCloseTo(0.7, 12);
  });

  it("a signal that stopped reporting: stale, one long gap, observations after the range ignored", () => {
    const q = j.quality.get("temperature")!;
    expect(q.coverage).toBeCloseTo(0.3, 12);
    expect(q.gaps).toEqual([{ start: "2025-03-04", sourceStart: "2025-03-04", length: 7 }]);
    expect(q.lastObservation).toBe("2025-03-03");
    expect(q.staleness).toBe(7);
    expect(q.outliers).toEqual([]); // 10, 11, 12: z = ±0.6745
    expect(q.usableShare).toBeCloseTo(0.3, 12);
  });

  it("a signal without observations", () => {
    const q = j.quality.get("competitor")!;
    expect(q.coverage).toBe(0);
    expect(q.gaps).toEqual([{ start: "2025-03-01", sourceStart: "2025-03-01", length: 10 }]);
    expect(q.staleness).toBeNull();
    expect(q.lastObservation).toBeNull();
    expect(q.usableShare).toBe(0);
  });

  it("falls back to the mean absolute deviation when MAD is 0", () => {
    // median 5, MAD 0, mean |dev| = 45/5 = 9 → z(50) = 45 / (1.2533 · 9) ≈ 3.99
    const z = robustZScores([5, 5, 5, 5, 50]);
    expect(z[4]).toBeCloseTo(45 / (1.2533141373155 * 9), 10);
    expect(z[0]).toBe(0);
    expect([...robustZScores([3, 3, 3])]).toEqual([0, 0, 0]);
    const s: ExternalSignal = {
      name: "promo",
      kind: "custom",
      observations: obs([["2025-03-01", 5], ["2025-03-02", 5], ["2025-03-03", 5], ["2025-03-04", 5], ["2025-03-05", 50]]),
    };
    const q = join([s], "2025-03-01", "2025-03-05").quality.get("promo")!;
    expect(q.outliers.map((o) => o.date)).toEqual(["2025-03-05"]);
    expect(q.usableShare).toBeCloseTo(0.8, 12);
  });

  it("a negative lead reads ahead (planned signals)", () => {
    const s: ExternalSignal = { name: "school", kind: "school-calendar", lead: -1, observations: obs([["2025-03-02", 1]]) };
    const col = [...join([s], "2025-03-01", "2025-03-02").columns.get("school")!];
    expect(col[0]).toBe(1);
    expect(Number.isNaN(col[1]!)).toBe(true);
  });

  it("rejects malformed input as InvalidInput", () => {
    const bad: unknown[][] = [
      [{ ...weather, kind: "rumour" }],
      [{ ...weather, observations: obs([["2025-03-01", 1], ["2025-03-01", 2]]) }],
      [weather, { ...weather }],
      [{ ...weather, observations: [{ date: "2025-13-01", value: 1 }] }],
      [{ ...weather, observations: [{ date: "2025-03-01", value: Number.NaN }] }],
    ];
    for (const signals of bad) {
      const r = joinSignals(signals as ExternalSignal[], { start: "2025-03-01", end: "2025-03-10" });
      expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
    }
    const r = joinSignals([weather], { start: "2025-03-10", end: "2025-03-01" });
    expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
  });
});
