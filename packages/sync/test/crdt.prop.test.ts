import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SyncState, joinStates, joinStatus, statusLeq, DocumentStatusSchema } from "@jxc/sync";
import { historyArb, playHistory } from "@jxc/sync/testing";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** Three states from one played history (repeating the last when there are fewer replicas). */
const triple = historyArb().map((h) => {
  const { states } = playHistory(h);
  return [states[0]!, states[1]!, states[states.length - 1]!] as const;
});

describe("CRDT laws (fast-check, 1,000 runs each)", () => {
  it("join is commutative", () => {
    fc.assert(
      fc.property(triple, ([a, b]) => {
        expect(joinStates(a, b).canonical()).toBe(joinStates(b, a).canonical());
      }),
      runs,
    );
  });

  it("join is associative", () => {
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        expect(joinStates(joinStates(a, b), c).canonical()).toBe(joinStates(a, joinStates(b, c)).canonical());
      }),
      runs,
    );
  });

  it("join is idempotent, and the digest follows the canonical form", () => {
    fc.assert(
      fc.property(triple, ([a, b]) => {
        expect(joinStates(a, a).canonical()).toBe(a.canonical());
        const ab = joinStates(a, b);
        expect(joinStates(ab, b).digest()).toBe(ab.digest());
      }),
      runs,
    );
  });

  it("the deltas extracted along the way, joined, equal the full state (in any order)", () => {
    fc.assert(
      fc.property(historyArb(), fc.boolean(), (h, reverse) => {
        const { states, deltas } = playHistory(h);
        states.forEach((state, i) => {
          const rebuilt = new SyncState(3);
          const list = reverse ? [...deltas[i]!].reverse() : deltas[i]!;
          for (const d of list) rebuilt.applyDelta(d);
          expect(rebuilt.canonical()).toBe(state.canonical());
        });
      }),
      runs,
    );
  });

  it("local rights are never negative and no counter goes below zero, whatever the operations and merges", () => {
    fc.assert(
      fc.property(historyArb(80), (h) => {
        const played = playHistory(h);
        expect(played.lowestRights).toBeGreaterThanOrEqual(0);
        expect(played.lowestValue).toBeGreaterThanOrEqual(0);
      }),
      runs,
    );
  });

  it("a persisted state reads back equal and keeps its version", () => {
    fc.assert(
      fc.property(historyArb(), (h) => {
        const { states } = playHistory(h);
        for (const s of states) {
          const back = SyncState.fromData(JSON.parse(JSON.stringify(s.toData())), 3);
          expect(back.canonical()).toBe(s.canonical());
          expect(back.version).toBe(s.version);
          expect(back.deltaSince(0).delta.cells.length).toBe(s.deltaSince(0).delta.cells.length);
        }
      }),
      runs,
    );
  });

  it("the status join is the least upper bound of the status lattice", () => {
    const status = fc.constantFrom(...DocumentStatusSchema.options);
    fc.assert(
      fc.property(status, status, status, (a, b, c) => {
        const j = joinStatus(a, b);
        expect(j).toBe(joinStatus(b, a));
        expect(joinStatus(joinStatus(a, b), c)).toBe(joinStatus(a, joinStatus(b, c)));
        expect(joinStatus(a, a)).toBe(a);
        expect(statusLeq(a, j) && statusLeq(b, j)).toBe(true);
        if (statusLeq(a, c) && statusLeq(b, c)) expect(statusLeq(j, c)).toBe(true);
      }),
      runs,
    );
  });

  it("items named like object members or numbers are counters of their own", () => {
    const s = new SyncState(0);
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "0", "123", "1e3", "-1", "i1"];
    names.forEach((item, k) => s.increment("hq", item, "P", undefined, k + 1));
    expect(s.cellCount).toBe(names.length);
    names.forEach((item, k) => {
      expect(s.value(item, "P")).toBe(k + 1);
      expect(s.rights("hq", item, "P")).toBe(k + 1);
    });
    expect(s.value("prototype", "P")).toBe(0);
    expect(s.decrement("hq", "__proto__", "P", undefined, 1)._tag).toBe("Success");
    expect(s.value("__proto__", "P")).toBe(0);
  });
});
