import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SyncState, joinStates } from "@jxc/sync";
import { ITEM_IDS, POSITION_IDS, REPLICA_IDS, historyArb, playHistory, recomputeDigest, scanDeltaSince } from "@jxc/sync/testing";
import { entryTerm, entryTermChange } from "../src/crdt/digest.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** A version of `s` drawn by a fraction of its current one. */
const versionAt = (s: SyncState, fraction: number): number => Math.floor(s.version * fraction);

/** More changes to a state: every other state merged in, then receipts of its own. */
const advance = (s: SyncState, others: ReadonlyArray<SyncState>, me: string, units: number): void => {
  for (const o of others) s.applyDelta(o.fullDelta());
  for (const item of ITEM_IDS) s.increment(me, item, POSITION_IDS[0], undefined, units);
};

describe("change tracking and the incremental digest (fast-check, 1,000 runs each)", () => {
  it("the delta from the change list equals the delta of a full scan, for every version and row selection", () => {
    fc.assert(
      fc.property(historyArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.constantFrom(...REPLICA_IDS), { nil: undefined }), (h, fraction, only) => {
        const { states } = playHistory(h);
        for (const s of states) {
          const after = versionAt(s, fraction);
          const tracked = s.deltaSince(after, only === undefined ? {} : { onlyRowsOf: only });
          expect(tracked).toEqual(scanDeltaSince(s, after, only));
        }
      }),
      runs,
    );
  });

  it("a peer that holds version v and joins the deltas since v (only rows changed since, in bounded frames) holds the whole state", () => {
    fc.assert(
      fc.property(historyArb(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 }), (h, maxEntries, units) => {
        const { states } = playHistory(h);
        const s = states[0]!;
        const v = s.version;
        const peer = SyncState.fromData(s.toData(), 3);
        advance(s, states.slice(1), REPLICA_IDS[0], units);
        let from = v;
        for (let guard = 0; guard < 1000; guard++) {
          const range = s.deltaSince(from, { maxEntries, rowsChangedAfter: v });
          peer.applyDelta(range.delta);
          from = range.to;
          if (range.complete) break;
        }
        expect(from).toBe(s.version);
        expect(peer.canonical()).toBe(s.canonical());
        expect(peer.digest()).toBe(s.digest());
      }),
      runs,
    );
  });

  it("the incremental digest equals the digest recomputed from every entry, and converged states agree on it", () => {
    fc.assert(
      fc.property(historyArb(), (h) => {
        const { states } = playHistory(h);
        for (const s of states) {
          expect(s.digest()).toBe(recomputeDigest(s));
          const back = SyncState.fromData(JSON.parse(JSON.stringify(s.toData())), 3);
          expect(back.digest()).toBe(s.digest());
        }
        const a = states[0]!;
        const b = states[states.length - 1]!;
        const ab = joinStates(a, b);
        const ba = joinStates(b, a);
        expect(ab.digest()).toBe(recomputeDigest(ab));
        expect(ab.digest()).toBe(ba.digest());
        expect(ab.canonical() === a.canonical()).toBe(ab.digest() === a.digest());
      }),
      runs,
    );
  });

  it("a write changes the digest by the difference of the entry's terms, whatever the totals (above 2³² too)", () => {
    const hash = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    const total = fc.oneof(fc.nat({ max: 2 ** 32 + 5 }), fc.maxSafeNat());
    fc.assert(
      fc.property(hash, fc.constantFrom(1, 2, 3), hash, hash, total, total, (cell, kind, owner, receiver, old, next) => {
        expect(entryTermChange(cell, kind, owner, receiver, old, next)).toBe((entryTerm(cell, kind, owner, receiver, next) - entryTerm(cell, kind, owner, receiver, old)) | 0);
      }),
      runs,
    );
  });
});
