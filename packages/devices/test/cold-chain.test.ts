import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import {
  ColdChainReadingWire,
  detectExcursions,
  excursionLevel,
  initialColdChainState,
  openExcursions,
  parseColdChainProfile,
  silentSensors,
  stepColdChain,
  suggestQuarantine,
  type ColdChainLot,
  type ColdChainReading,
  type ColdChainState,
  type Excursion,
} from "../src/cold-chain.js";
import { ok, err } from "../../../scripts/test-support.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };


const gsp = ok(
  parseColdChainProfile({
    name: "GSP 2–8 °C",
    limits: {
      temperature: { min: "2", max: "8", unit: "°C", alarm: { afterMinutes: 30, beyond: "2" }, critical: { afterMinutes: 120, beyond: "5" } },
      humidity: { max: "75", unit: "%RH", alarm: { afterMinutes: 60 } },
    },
    maxGapMinutes: 15,
  }),
);

const at = (hhmm: string): string => `2024-07-01T${hhmm}:00+08:00`;
const t = (sensor: string, hhmm: string, value: string): ColdChainReading => ({ sensor, at: at(hhmm), value: new Dec(value) });
const h = (sensor: string, hhmm: string, value: string): ColdChainReading => ({ ...t(sensor, hhmm, value), quantity: "humidity" });
const MIN = 60_000;

/** An excursion as plain strings, for readable expectations. */
const plain = (e: Excursion) => ({
  sensor: e.sensor,
  quantity: e.quantity,
  side: e.side,
  limit: e.limit.toString(),
  start: e.start,
  end: e.end,
  peak: e.peak.toString(),
  peakAt: e.peakAt,
  lastOutAt: e.lastOutAt,
  durationMs: e.durationMs,
  level: e.level,
  readings: e.readings,
});

describe("excursions against a GSP 2–8 °C profile", () => {
  it("a short, small excursion is a warning: start, end, peak and duration by readings", () => {
    const report = detectExcursions(gsp, [t("S1", "10:00", "5.0"), t("S1", "10:05", "8.5"), t("S1", "10:10", "9.2"), t("S1", "10:15", "7.9"), t("S1", "10:20", "6.0")]);
    expect(report.excursions.map(plain)).toEqual([
      {
        sensor: "S1",
        quantity: "temperature",
        side: "high",
        limit: "8",
        start: at("10:05"),
        end: at("10:15"),
        peak: "9.2",
        peakAt: at("10:10"),
        lastOutAt: at("10:10"),
        durationMs: 10 * MIN,
        level: "warning",
        readings: 2,
      },
    ]);
    expect(report.gaps).toEqual([]);
    expect(report.refused).toEqual([]);
  });

  it("30 minutes out of range escalates to alarm; the escalation happens at the 30-minute reading", () => {
    const readings = ["8.3", "8.6", "8.9", "8.7", "8.5", "8.2", "8.4"].map((v, i) => t("S1", `10:${String(i * 5).padStart(2, "0")}`, v));
    readings.push(t("S1", "10:35", "7.5"));
    let state: ColdChainState = initialColdChainState;
    const log: string[] = [];
    for (const r of readings) {
      const step = ok(stepColdChain(gsp, state, r));
      state = step.state;
      for (const e of step.events) log.push(`${e.kind}@${r.at.slice(11, 16)}${e.kind === "excursion-escalated" ? `:${e.from}→${e.excursion.level}` : ""}`);
    }
    expect(log).toEqual(["excursion-opened@10:00", "excursion-escalated@10:30:warning→alarm", "excursion-closed@10:35"]);
    expect(detectExcursions(gsp, readings).excursions.map(plain)).toEqual([
      expect.objectContaining({ start: at("10:00"), end: at("10:35"), peak: "8.9", peakAt: at("10:10"), durationMs: 35 * MIN, level: "alarm", readings: 7 }),
    ]);
  });

  it("more than 2 °C beyond the limit is an alarm at once, more than 5 °C critical; exactly 2 °C is still a warning", () => {
    const report = detectExcursions(gsp, [t("S1", "10:00", "7.0"), t("S1", "10:05", "10.5"), t("S1", "10:10", "13.1"), t("S1", "10:15", "6.0")]);
    expect(report.excursions.map(plain)).toEqual([expect.objectContaining({ start: at("10:05"), end: at("10:15"), peak: "13.1", durationMs: 10 * MIN, level: "critical" })]);
    const opened = ok(stepColdChain(gsp, initialColdChainState, t("S1", "10:05", "10.5"))).events[0];
    expect(opened?.kind === "excursion-opened" && opened.excursion.level).toBe("alarm");
    expect(detectExcursions(gsp, [t("S2", "10:00", "10.0"), t("S2", "10:05", "8.0")]).excursions.map((e) => e.level)).toEqual(["warning"]);
    const limits = gsp.limits.temperature;
    if (limits === undefined) throw new Error("no limits");
    expect(excursionLevel(limits, 119 * MIN, new Dec("5"))).toBe("alarm");
    expect(excursionLevel(limits, 120 * MIN, new Dec("0.1"))).toBe("critical");
    expect(excursionLevel(limits, 29 * MIN, new Dec("2"))).toBe("warning");
  });

  it("a value on a limit is in range; below the minimum is a low excursion", () => {
    const report = detectExcursions(gsp, [t("S1", "10:00", "1.5"), t("S1", "10:05", "1.9"), t("S1", "10:10", "2.0"), t("S1", "10:15", "8.0")]);
    expect(report.excursions.map(plain)).toEqual([
      {
        sensor: "S1",
        quantity: "temperature",
        side: "low",
        limit: "2",
        start: at("10:00"),
        end: at("10:10"),
        peak: "1.5",
        peakAt: at("10:00"),
        lastOutAt: at("10:05"),
        durationMs: 10 * MIN,
        level: "warning",
        readings: 2,
      },
    ]);
  });

  it("a gap longer than the maximum is reported; an excursion stays open through it", () => {
    const report = detectExcursions(gsp, [t("S2", "10:00", "8.5"), t("S2", "10:40", "7.0"), t("S2", "10:45", "7.0")]);
    expect(report.gaps).toEqual([{ sensor: "S2", quantity: "temperature", from: at("10:00"), to: at("10:40"), durationMs: 40 * MIN }]);
    expect(report.excursions.map(plain)).toEqual([expect.objectContaining({ start: at("10:00"), end: at("10:40"), durationMs: 40 * MIN, level: "alarm", readings: 1 })]);
    expect(detectExcursions(gsp, [t("S2", "10:00", "5"), t("S2", "10:15", "5")]).gaps).toEqual([]);
  });

  it("an excursion still out of range at the last reading is open; crossing to the other side closes and opens", () => {
    const open = detectExcursions(gsp, [t("S1", "10:00", "9"), t("S1", "10:05", "9.5")]);
    expect(open.excursions.map(plain)).toEqual([expect.objectContaining({ start: at("10:00"), end: undefined, durationMs: 5 * MIN, peak: "9.5", lastOutAt: at("10:05") })]);
    expect(openExcursions(open.state).map((e) => e.start)).toEqual([at("10:00")]);
    const across = detectExcursions(gsp, [t("S1", "10:00", "9"), t("S1", "10:05", "1")]);
    expect(across.excursions.map((e) => [e.side, e.start, e.end])).toEqual([
      ["high", at("10:00"), at("10:05")],
      ["low", at("10:05"), undefined],
    ]);
  });

  it("humidity is tracked apart from temperature", () => {
    const readings = [h("S1", "10:00", "70"), t("S1", "10:00", "5"), h("S1", "10:10", "80")];
    for (const hhmm of ["10:20", "10:30", "10:40", "10:50", "11:00"]) readings.push(h("S1", hhmm, "78"));
    readings.push(h("S1", "11:10", "74"));
    const report = detectExcursions(gsp, readings);
    expect(report.refused).toEqual([]);
    expect(report.excursions.map(plain)).toEqual([
      expect.objectContaining({ quantity: "humidity", side: "high", limit: "75", start: at("10:10"), end: at("11:10"), peak: "80", durationMs: 60 * MIN, level: "alarm", readings: 6 }),
    ]);
  });

  it("out-of-order readings are refused by the state machine; a batch is sorted first", () => {
    const s = ok(stepColdChain(gsp, initialColdChainState, t("S1", "10:00", "5"))).state;
    expect(err(stepColdChain(gsp, s, t("S1", "09:59", "9")))).toMatchObject({ _tag: "ColdChainReadingRefused", reason: "out-of-order" });
    expect(err(stepColdChain(gsp, s, t("S1", "10:00", "9")))).toMatchObject({ reason: "out-of-order" });
    expect(Result.isSuccess(stepColdChain(gsp, s, t("S2", "09:59", "9")))).toBe(true);
    expect(err(stepColdChain(gsp, s, { sensor: "S1", at: "2024-07-01 10:05", value: new Dec(5) }))).toMatchObject({ reason: "invalid-time" });

    const inOrder = [t("S1", "10:00", "5.0"), t("S1", "10:05", "8.5"), t("S1", "10:10", "9.2"), t("S1", "10:15", "7.9")];
    const shuffled = [inOrder[2], inOrder[0], inOrder[3], inOrder[1]].filter((r): r is ColdChainReading => r !== undefined);
    expect(detectExcursions(gsp, shuffled).excursions).toEqual(detectExcursions(gsp, inOrder).excursions);
    const dup = detectExcursions(gsp, [...inOrder, t("S1", "10:10", "1.0")]);
    expect(dup.refused.map((r) => [r.at, r.reason])).toEqual([[at("10:10"), "out-of-order"]]);
  });

  it("readings of a quantity without limits are refused; instants may use any offset", () => {
    const tempOnly = ok(parseColdChainProfile({ name: "15–25 °C", limits: { temperature: { min: "15", max: "25", alarm: { afterMinutes: 60 } } }, maxGapMinutes: 30 }));
    expect(err(stepColdChain(tempOnly, initialColdChainState, h("S1", "10:00", "50")))).toMatchObject({ reason: "no-limits" });
    const report = detectExcursions(tempOnly, [
      { sensor: "S1", at: "2024-07-01T02:00:00Z", value: new Dec(26) },
      { sensor: "S1", at: "2024-07-01T10:30:00+08:00", value: new Dec(20) },
    ]);
    expect(report.excursions.map((e) => [e.start, e.end, e.durationMs])).toEqual([["2024-07-01T02:00:00Z", "2024-07-01T10:30:00+08:00", 30 * MIN]]);
  });

  it("reports sensors silent for longer than the maximum as of a given instant", () => {
    const { state } = detectExcursions(gsp, [t("S1", "10:00", "5"), t("S1", "10:20", "5"), t("S2", "10:30", "5")]);
    expect(silentSensors(gsp, state, at("10:40"))).toEqual([{ sensor: "S1", quantity: "temperature", from: at("10:20"), to: at("10:40"), durationMs: 20 * MIN }]);
  });

  it("validates profiles and wire readings", () => {
    const issues = (input: unknown) => err(parseColdChainProfile(input)).issues.map((i) => i.path).sort();
    expect(issues({ name: "x", limits: { temperature: { min: "9", max: "8", alarm: { afterMinutes: 30 } } }, maxGapMinutes: 15 })).toEqual(["limits.temperature.min"]);
    expect(issues({ name: "x", limits: { temperature: { max: "8", alarm: {} } }, maxGapMinutes: 0 })).toEqual(["limits.temperature.alarm", "maxGapMinutes"]);
    expect(issues({ name: "x", limits: {}, maxGapMinutes: 15 })).toEqual(["limits"]);
    expect(issues({ name: "x", limits: { temperature: { alarm: { beyond: "-1" } } }, maxGapMinutes: 15 })).toEqual(["limits.temperature.alarm.beyond"]);
    const wire = ColdChainReadingWire.parse({ sensor: "S1", at: at("10:00"), value: "5.30" });
    expect([wire.quantity, wire.value.toString()]).toEqual(["temperature", "5.3"]);
    expect(ColdChainReadingWire.safeParse({ sensor: "S1", at: at("10:00"), value: 5.3 }).success).toBe(false);
  });
});

describe("quarantine suggestions", () => {
  const stock: ReadonlyArray<{ location: string; from: string; to: string } & ColdChainLot> = [
    { location: "冷库A-01", item: "疫苗X", lot: "L1", from: at("08:00"), to: at("12:00") },
    { location: "冷库A-01", item: "疫苗Y", lot: "L2", from: at("10:50"), to: at("12:00") },
    { location: "冷库A-02", item: "胰岛素Z", lot: "L3", from: at("08:00"), to: at("12:00") },
    { location: "冷库A-02", item: "疫苗X", lot: "L1", from: at("08:00"), to: at("09:00") },
  ];
  const places = {
    locationOf: (sensor: string) => ({ S1: "冷库A-01", S2: "冷库A-02" })[sensor],
    lotsAt: (location: string, from: string, to: string) =>
      stock.filter((s) => s.location === location && Date.parse(s.from) <= Date.parse(to) && Date.parse(s.to) >= Date.parse(from)).map(({ item, lot }) => ({ item, lot })),
  };

  it("suggests the lots stored during an alarm, with the reason and the evidence; warnings suggest nothing", () => {
    const readings = [
      ...["8.3", "8.6", "8.9", "8.7", "8.5", "8.2", "8.4"].map((v, i) => t("S1", `10:${String(i * 5).padStart(2, "0")}`, v)),
      t("S1", "10:35", "7.5"),
      t("S2", "10:00", "8.5"),
      t("S2", "10:05", "7.0"),
      t("S9", "10:00", "12"),
    ];
    const report = detectExcursions(gsp, readings);
    const q = suggestQuarantine(gsp, report, places);
    expect(q.unlocatedSensors).toEqual(["S9"]);
    expect(q.suggestions.map((s) => [s.item, s.lot, s.level])).toEqual([["疫苗X", "L1", "alarm"]]);
    const [suggestion] = q.suggestions;
    expect(suggestion?.reason).toBe(
      "alarm: temperature above 8 °C at 冷库A-01 (sensor S1) from 2024-07-01T10:00:00+08:00 to 2024-07-01T10:35:00+08:00, 35 min, peak 8.9 °C at 2024-07-01T10:10:00+08:00 (profile GSP 2–8 °C)",
    );
    expect(suggestion?.evidence).toEqual([{ kind: "excursion", location: "冷库A-01", excursion: report.excursions[0], summary: suggestion?.reason }]);
  });

  it("one suggestion per lot, with every excursion as evidence; an open excursion counts up to its latest reading; gaps when asked", () => {
    const readings = [t("S1", "10:00", "11"), t("S1", "10:05", "7"), t("S1", "10:45", "13.5"), t("S1", "10:50", "13.6"), t("S2", "09:00", "5"), t("S2", "10:00", "5")];
    const report = detectExcursions(gsp, readings);
    expect(report.excursions.map((e) => [e.sensor, e.level, e.end])).toEqual([
      ["S1", "alarm", at("10:05")],
      ["S1", "critical", undefined],
    ]);
    const q = suggestQuarantine(gsp, report, places);
    expect(q.suggestions.map((s) => [s.item, s.lot, s.level, s.evidence.length])).toEqual([
      ["疫苗X", "L1", "critical", 2],
      ["疫苗Y", "L2", "critical", 1],
    ]);
    expect(q.suggestions[1]?.reason).toContain("still open at 2024-07-01T10:50:00+08:00");

    const withGaps = { ...gsp, quarantineOnGap: true };
    const gq = suggestQuarantine(withGaps, report, places);
    expect(gq.suggestions.map((s) => [s.item, s.lot, s.level, s.evidence.map((e) => e.kind).join("+")])).toEqual([
      ["疫苗X", "L1", "critical", "excursion+excursion+data-gap+data-gap"],
      ["疫苗Y", "L2", "critical", "excursion"],
      ["胰岛素Z", "L3", undefined, "data-gap"],
    ]);
    expect(gq.suggestions[2]?.reason).toBe("data gap: no temperature reading at 冷库A-02 (sensor S2) from 2024-07-01T09:00:00+08:00 to 2024-07-01T10:00:00+08:00, 60 min");
  });
});

// -----------------------------------------------------------------------------------------------
// Properties
// -----------------------------------------------------------------------------------------------

const BASE = Date.parse("2024-07-01T10:00:00+08:00");
const iso = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().replace("Z", "+08:00");

const sensorSeries = (sensor: string) =>
  fc
    .array(fc.record({ step: fc.integer({ min: 1, max: 25 }), tenths: fc.integer({ min: -20, max: 140 }) }), { maxLength: 40 })
    .map((points) => {
      let minute = 0;
      return points.map(({ step, tenths }) => {
        minute += step;
        return { sensor, at: iso(BASE + minute * MIN), value: new Dec(tenths).div(10) } satisfies ColdChainReading;
      });
    });

const batchArb = fc
  .tuple(sensorSeries("S1"), sensorSeries("S2"), sensorSeries("S3"))
  .map((series) => series.flat())
  .chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }));

describe("cold-chain properties (fast-check, 1,000 runs each)", () => {
  it("excursions never overlap per sensor, and every reading out of range lies inside one on its side", () => {
    fc.assert(
      fc.property(batchArb, (readings) => {
        const report = detectExcursions(gsp, readings);
        expect(report.refused).toEqual([]);
        const limits = gsp.limits.temperature;
        if (limits === undefined) throw new Error("no limits");
        for (const sensor of ["S1", "S2", "S3"]) {
          const mine = report.excursions.filter((e) => e.sensor === sensor);
          mine.forEach((e, i) => {
            const next = mine[i + 1];
            if (next !== undefined) {
              expect(e.end).toBeDefined();
              expect(Date.parse(e.end ?? "")).toBeLessThanOrEqual(Date.parse(next.start));
            }
            const deviation = e.side === "high" ? e.peak.minus(e.limit) : e.limit.minus(e.peak);
            expect(e.level).toBe(excursionLevel(limits, e.durationMs, deviation));
          });
          const covering = (ms: number) => mine.filter((e) => Date.parse(e.start) <= ms && (e.end === undefined ? ms <= Date.parse(e.lastOutAt) : ms < Date.parse(e.end)));
          let outside = 0;
          for (const r of readings.filter((x) => x.sensor === sensor)) {
            const side = r.value.gt(8) ? "high" : r.value.lt(2) ? "low" : undefined;
            const inside = covering(Date.parse(r.at));
            if (side !== undefined) {
              outside++;
              expect(inside.map((e) => e.side)).toEqual([side]);
            } else {
              expect(inside).toEqual([]);
            }
          }
          expect(mine.reduce((n, e) => n + e.readings, 0)).toBe(outside);
        }
      }),
      runs,
    );
  });
});
