import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import {
  ShelfReadingWire,
  countUnits,
  initialShelfState,
  parseShelfConfig,
  replayShelf,
  stepShelf,
  type ShelfConfig,
  type ShelfEvent,
  type ShelfReading,
} from "../src/smart-shelf.js";
import { ok, err } from "../../../scripts/test-support.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };


const shelf = ok(parseShelfConfig({ shelf: "A-01-3", item: "SKU-1", tare: "412.5", unitWeight: "250", tolerance: "20", stableReadings: 3, stableEpsilon: "5" }));

describe("weight → count", () => {
  it("counts round((gross − tare) / unit weight) when the remainder is within tolerance", () => {
    expect(ok(countUnits(shelf, new Dec("1419.5"))).toString()).toBe("4"); // net 1007, remainder +7
    expect(ok(countUnits(shelf, new Dec("1392.5"))).toString()).toBe("4"); // net 980, remainder −20 (on the tolerance)
    expect(ok(countUnits(shelf, new Dec("1432.5"))).toString()).toBe("4"); // net 1020, remainder +20
    expect(ok(countUnits(shelf, new Dec("400"))).toString()).toBe("0"); // 12.5 below the tare, within tolerance
    expect(ok(countUnits(shelf, new Dec("412.5"))).toString()).toBe("0");
  });

  it("a remainder beyond the tolerance is an AmbiguousWeight with the two candidate counts", () => {
    const half = err(countUnits(shelf, new Dec("1537.5"))); // net 1125 = 4.5 units
    expect(half).toMatchObject({ _tag: "AmbiguousWeight", shelf: "A-01-3", item: "SKU-1" });
    if (half._tag !== "AmbiguousWeight") throw new Error("not ambiguous");
    expect(half.candidates.map(String)).toEqual(["4", "5"]);
    expect(half.net.toString()).toBe("1125");
    const justOut = err(countUnits(shelf, new Dec("1392.4")));
    expect(justOut._tag === "AmbiguousWeight" && justOut.candidates.map(String)).toEqual(["3", "4"]);
    const almostOne = err(countUnits(shelf, new Dec("600")));
    expect(almostOne._tag === "AmbiguousWeight" && almostOne.candidates.map(String)).toEqual(["0", "1"]);
  });

  it("a weight below the tare by more than the tolerance is a WeightBelowTare", () => {
    expect(err(countUnits(shelf, new Dec("380")))._tag).toBe("WeightBelowTare");
    expect(err(countUnits(shelf, new Dec("162.5")))._tag).toBe("WeightBelowTare");
  });

  it("validates the configuration: the tolerance must stay under half a unit", () => {
    const bad = err(parseShelfConfig({ shelf: "A", item: "I", tare: "0", unitWeight: "10", tolerance: "5", stableEpsilon: "1" }));
    expect(bad.issues.map((i) => i.path)).toEqual(["tolerance"]);
    expect(err(parseShelfConfig({ shelf: "A", item: "I", tare: "0", unitWeight: "0", tolerance: "1", stableEpsilon: "1" })).issues.map((i) => i.path)).toEqual(["unitWeight"]);
    const defaults = ok(parseShelfConfig({ shelf: "A", item: "I", tare: "0", unitWeight: "10", tolerance: "4.9", stableEpsilon: "1" }));
    expect([defaults.stableReadings, defaults.unit]).toEqual([3, "g"]);
  });
});

const at = (second: number): string => `2024-07-01T10:00:${String(second).padStart(2, "0")}+08:00`;
const readings = (...grams: string[]): ShelfReading[] => grams.map((g, i) => ({ at: at(i), gross: new Dec(g) }));
const show = (events: ReadonlyArray<ShelfEvent>) =>
  events.map((e) =>
    e.kind === "uncountable" ? `${e.kind}@${e.at.slice(17, 19)}:${e.error._tag}` : e.kind === "counted" ? `counted@${e.at.slice(17, 19)}:${e.count}` : `${e.kind}@${e.at.slice(17, 19)}:${e.delta}→${e.count}`,
  );

describe("stabilisation and pick/put events", () => {
  it("ignores readings until N agree within ε, then counts; picks and puts follow count changes", () => {
    const { events, refused } = replayShelf(
      shelf,
      readings(
        "1412", // 00
        "1415", // 01
        "1413", // 02 stable: mean 1413.33 → 4 units (baseline)
        "1414", // 03 still stable: nothing new
        "1300", // 04 a hand on the shelf
        "1163", // 05
        "1162", // 06
        "1161", // 07 stable at 1162 → 3 units: pick of 1
        "1660", // 08
        "1663", // 09
        "1662", // 10 stable at 1661.67 → 5 units: put of 2
        "1537.5", // 11
        "1537.5", // 12
        "1537.5", // 13 stable at 4.5 units: uncountable, count kept at 5
        "1662.5", // 14
        "1662.5", // 15
        "1662.5", // 16 stable at 5 units: no change from 5
      ),
    );
    expect(refused).toEqual([]);
    expect(show(events)).toEqual(["counted@02:4", "pick@07:-1→3", "put@10:2→5", "uncountable@13:AmbiguousWeight"]);
    const pick = events[1];
    expect(pick).toMatchObject({ kind: "pick", shelf: "A-01-3", item: "SKU-1", at: at(7) });
  });

  it("starts from a known count and reports the first difference as a pick or put", () => {
    const { events } = replayShelf(shelf, readings("1412.5", "1412.5", "1412.5"), initialShelfState(new Dec(6)));
    expect(show(events)).toEqual(["pick@02:-2→4"]);
  });

  it("a one-reading window counts every change beyond ε, and a slow drift is recounted without an event", () => {
    const single = { ...shelf, stableReadings: 1 } satisfies ShelfConfig;
    expect(show(replayShelf(single, readings("1412.5", "1413", "1162.5", "1163", "1412.5")).events)).toEqual(["counted@00:4", "pick@02:-1→3", "put@04:1→4"]);
    expect(show(replayShelf(shelf, readings("1412", "1414", "1416", "1418", "1420", "1422", "1424", "1426")).events)).toEqual(["counted@02:4"]);
  });

  it("refuses readings out of order and instants without an offset", () => {
    const s = ok(stepShelf(shelf, initialShelfState(), { at: at(5), gross: new Dec(1412) })).state;
    expect(err(stepShelf(shelf, s, { at: at(4), gross: new Dec(1412) }))).toMatchObject({ _tag: "ShelfReadingRefused", reason: "out-of-order" });
    expect(err(stepShelf(shelf, s, { at: at(5), gross: new Dec(1412) }))).toMatchObject({ reason: "out-of-order" });
    expect(err(stepShelf(shelf, s, { at: "2024-07-01T10:00:06", gross: new Dec(1412) }))).toMatchObject({ reason: "invalid-time" });
    expect(ShelfReadingWire.parse({ at: at(1), gross: "1412.50" }).gross.toString()).toBe("1412.5");
  });
});

// -----------------------------------------------------------------------------------------------
// Properties
// -----------------------------------------------------------------------------------------------

const tenths = (n: number) => new Dec(n).div(10);

/** A shelf whose tolerance is under half a unit, with exact decimal tare, unit and tolerance (0.1 g steps). */
const shelfArb = fc
  .record({ tare: fc.integer({ min: 0, max: 100_000 }), unit: fc.integer({ min: 1, max: 100_000 }), tolFraction: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ tare, unit, tolFraction }) => {
    const maxTol = Math.ceil(unit / 2) - 1; // tolerance < unit / 2, in tenths
    const tol = Math.floor(tolFraction * maxTol);
    return { tareT: tare, unitT: unit, tolT: tol };
  });

describe("smart-shelf properties (fast-check, 1,000 runs each)", () => {
  it("a weight of tare + k × unit + noise within the tolerance counts exactly k", () => {
    fc.assert(
      fc.property(shelfArb, fc.integer({ min: 0, max: 10_000 }), fc.double({ min: -1, max: 1, noNaN: true }), ({ tareT, unitT, tolT }, k, noiseFraction) => {
        const config = ok(
          parseShelfConfig({ shelf: "S", item: "I", tare: tenths(tareT).toString(), unitWeight: tenths(unitT).toString(), tolerance: tenths(tolT).toString(), stableEpsilon: "0" }),
        );
        const noiseT = Math.trunc(noiseFraction * tolT);
        const gross = tenths(tareT + k * unitT + noiseT);
        expect(ok(countUnits(config, gross)).toString()).toBe(String(k));
      }),
      runs,
    );
  });

  it("plateaus of counts with noise give one event per change, with the exact delta", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 500 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ count: fc.integer({ min: 0, max: 50 }), noise: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 5, maxLength: 8 }) }), { minLength: 1, maxLength: 8 }),
        (m, n, plateaus) => {
          // unit = 20m tenths, ε = 2m, tolerance = 5m, noise within ±m: two plateaus never look stable together.
          const config = ok(
            parseShelfConfig({ shelf: "S", item: "I", tare: "100", unitWeight: tenths(20 * m).toString(), tolerance: tenths(5 * m).toString(), stableReadings: n, stableEpsilon: tenths(2 * m).toString() }),
          );
          const series: ShelfReading[] = [];
          for (const p of plateaus) {
            for (const noise of p.noise) {
              const noiseT = Math.round((noise / 1000) * m);
              series.push({ at: new Date(Date.UTC(2024, 6, 1) + series.length * 1000).toISOString(), gross: tenths(1000 + p.count * 20 * m + noiseT) });
            }
          }
          const { events, refused, state } = replayShelf(config, series);
          expect(refused).toEqual([]);
          const expected: string[] = [`counted:${plateaus[0]?.count}`];
          plateaus.forEach((p, i) => {
            const before = plateaus[i - 1];
            if (before !== undefined && p.count !== before.count) expected.push(`${p.count < before.count ? "pick" : "put"}:${p.count - before.count}`);
          });
          expect(events.map((e) => (e.kind === "counted" ? `counted:${e.count}` : e.kind === "uncountable" ? "uncountable" : `${e.kind}:${e.delta}`))).toEqual(expected);
          expect(state.count?.toString()).toBe(String(plateaus[plateaus.length - 1]?.count));
        },
      ),
      runs,
    );
  });
});
