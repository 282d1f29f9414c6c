import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, roundMoney, type StockDocumentInput } from "@jxc/core";
import { arithmeticDifferences, type Scenario, scenarioArb } from "@jxc/core/testing";
import { decOf, decimalOfText } from "../src/decimal.js";
import { fixedOf, QTY_SCALE, shareFixed, timesFixed, unboxedInt } from "../src/valuation/fixed.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** Integers across every magnitude up to 2^51, signed, with the edges drawn often. */
const scaledArb = (max = 2 ** 51) =>
  fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ min: 0, max: Math.log2(max), noNaN: true }).chain((e) => fc.constantFrom(1, -1).map((s) => s * Math.floor(2 ** e))),
    fc.constantFrom(0, 1, -1, max - 1, -(max - 1), 5, 50, 500),
  );

describe("fixed-point arithmetic equals decimal.js (fast-check, 1,000 runs each)", () => {
  it("decOf and fixedOf are exact inverses at every scale", () => {
    fc.assert(
      fc.property(scaledArb(2 ** 49), fc.integer({ min: 0, max: 8 }), (n, scale) => {
        const d = decOf(n, scale);
        const parsed = new Dec(n).dividedBy(new Dec(10).pow(scale));
        // the same decimal.js fields (digits words, exponent, sign) as decimal.js builds itself
        expect({ d: (d as unknown as { d: number[] }).d, e: d.e, s: d.s }).toEqual({ d: (parsed as unknown as { d: number[] }).d, e: parsed.e, s: parsed.s });
        expect(d.toString()).toBe(parsed.toString());
        // a decimal of decimal.js's own: its class, its configuration, its arithmetic
        expect(d).toBeInstanceOf(Dec);
        expect(Dec.isDecimal(d)).toBe(true);
        expect(d.constructor).toBe(Dec);
        expect(d.plus(parsed).eq(parsed.times(2))).toBe(true);
        expect(fixedOf(d, scale)).toBe(n);
        expect(fixedOf(parsed, scale)).toBe(n);
      }),
      runs,
    );
  });

  it("unboxedInt answers the same integer, over the whole fixed range", () => {
    fc.assert(
      fc.property(fc.oneof(scaledArb(2 ** 52), fc.constantFrom(2 ** 30, -(2 ** 30), 2 ** 30 - 1, -(2 ** 30) - 1, 2 ** 31, -(2 ** 31))), (n) => {
        expect(unboxedInt(n) === n).toBe(true);
      }),
      runs,
    );
  });

  it("decimalOfText builds exactly the decimal decimal.js reads from the text, field for field", () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
    const text = fc.oneof(
      digits(1, 20),
      fc.tuple(digits(1, 12), digits(1, 12)).map(([a, b]) => `${a}.${b}`),
      fc.tuple(fc.constantFrom("", "-", "+"), digits(0, 3), digits(1, 5), fc.constantFrom("", "e3", "E-2", "e+11")).map(([s, a, b, e]) => `${s}${a}.${b}${e}`),
      fc.tuple(digits(1, 8), fc.constantFrom("e5", "e-3")).map(([a, e]) => a + e),
    );
    fc.assert(
      fc.property(text, (t) => {
        const mine = decimalOfText(t) as unknown as { d: number[]; e: number; s: number };
        const ref = new Dec(t) as unknown as { d: number[]; e: number; s: number };
        expect({ d: mine.d, e: mine.e, s: mine.s }).toEqual({ d: ref.d, e: ref.e, s: ref.s });
        expect(String(mine)).toBe(String(ref));
      }),
      runs,
    );
  });

  it("fixedOf refuses a decimal with more places than the scale, and answers NaN beyond 2^50", () => {
    fc.assert(
      fc.property(scaledArb(2 ** 49), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (n, scale, more) => {
        const finer = new Dec(n).times(10).plus(n < 0 ? -1 : 1).dividedBy(new Dec(10).pow(scale + 1));
        expect(Number.isNaN(fixedOf(finer, scale))).toBe(true);
        expect(Number.isNaN(fixedOf(new Dec(2).pow(50).plus(Math.abs(n)), 0))).toBe(true);
        expect(fixedOf(new Dec(n).times(new Dec(10).pow(more)), 0)).toBe(Math.abs(n * 10 ** more) < 2 ** 50 ? n * 10 ** more : Number.NaN);
      }),
      runs,
    );
  });

  it("shareFixed is round(total × part ÷ whole) half-up, as the decimal engine computes it", () => {
    fc.assert(
      fc.property(scaledArb(), scaledArb(2 ** 51).map(Math.abs), scaledArb(2 ** 51).map((w) => Math.abs(w) + 1), (total, part, whole) => {
        const expected = roundMoney(new Dec(total).times(part).dividedBy(whole), 0);
        const got = shareFixed(total, part, whole);
        if (Number.isNaN(got)) expect(expected.abs().gte(2 ** 52)).toBe(true);
        else expect(new Dec(got).eq(expected)).toBe(true);
      }),
      runs,
    );
  });

  it("timesFixed is round(a × b) to the target scale, half-up, or NaN beyond the exact range", () => {
    fc.assert(
      fc.property(
        scaledArb(),
        fc.integer({ min: 0, max: QTY_SCALE }),
        scaledArb(),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 8 }),
        (a, aScale, b, bScale, scale) => {
          const exact = decOf(a, aScale).times(decOf(b, bScale));
          const expected = roundMoney(exact, scale).times(new Dec(10).pow(scale));
          const got = timesFixed(a, aScale, b, bScale, scale);
          if (Number.isNaN(got)) expect(expected.abs().gte(2 ** 52)).toBe(true);
          else expect(new Dec(got).eq(expected)).toBe(true);
        },
      ),
      runs,
    );
  });
});

/** Posts each document into a fixed-point and a decimal ledger: no answer and nothing in the ledgers may differ. */
const compareEngines = ({ config, documents }: Scenario, extra: ReadonlyArray<StockDocumentInput> = []): void => {
  expect(arithmeticDifferences(config, [...documents, ...extra])).toEqual([]);
};

describe("the fixed-point engine values every ledger exactly as the decimal engine (fast-check, 1,000 runs each)", () => {
  it("FIFO and moving average, backdated documents, returns, transfers and landed costs (reject policy)", () => {
    fc.assert(
      fc.property(
        fc
          .record({ method: fc.constantFrom("fifo" as const, "moving-average" as const), checkpointEvery: fc.integer({ min: 1, max: 6 }) })
          .chain(({ method, checkpointEvery }) => scenarioArb({ method, backdatedShare: 0.4, settings: { checkpointEvery } })),
        (s) => compareEngines(s),
      ),
      runs,
    );
  });

  it("negative stock allowed (shortages switch positions to decimals) and the immutable back-dating policy", () => {
    fc.assert(
      fc.property(
        fc
          .record({
            method: fc.constantFrom("fifo" as const, "moving-average" as const),
            backdating: fc.constantFrom("replay" as const, "immutable" as const),
            checkpointEvery: fc.integer({ min: 1, max: 6 }),
          })
          .chain(({ method, backdating, checkpointEvery }) =>
            scenarioArb({ method, backdatedShare: 0.4, settings: { negativeStock: "allow", backdating, checkpointEvery } }),
          ),
        (s) => compareEngines(s),
      ),
      runs,
    );
  });

  it("every method mixed, and documents that must be refused (too much issued, huge figures)", () => {
    fc.assert(
      fc.property(scenarioArb({ backdatedShare: 0.3 }), fc.constantFrom("A", "B", "C"), (s, item) =>
        compareEngines(s, [
          { id: "X1", businessId: "X1", at: "2026-06-01T00:00:00+08:00", type: "sales-outbound", lines: [{ item, warehouse: "W1", qty: "1000000" }] },
          { id: "X2", businessId: "X2", at: "2026-06-02T00:00:00+08:00", type: "purchase-receipt", lines: [{ item, warehouse: "W1", qty: "3", unitCost: "9999999999999.999999" }] },
          { id: "X3", businessId: "X3", at: "2026-06-03T00:00:00+08:00", type: "sales-outbound", lines: [{ item, warehouse: "W1", qty: "2" }] },
          { id: "X4", businessId: "X4", at: "2026-06-04T00:00:00+08:00", type: "purchase-receipt", lines: [{ item, warehouse: "W1", qty: "0.0000001", unitCost: "1" }] },
        ]),
      ),
      runs,
    );
  });
});

describe("documents of several lines on the same positions (fast-check, 1,000 runs)", () => {
  const item = fc.constantFrom("A", "B");
  const warehouse = fc.constantFrom("W1", "W2");
  const qty = fc.integer({ min: 1, max: 30 }).map(String);
  const line = fc.oneof(
    fc.record({ kind: fc.constant("receipt" as const), item, warehouse, qty, unitCost: fc.integer({ min: 1, max: 99_999 }).map((c) => (c / 100).toFixed(2)) }),
    fc.record({ kind: fc.constant("outbound" as const), item, warehouse, qty }),
    fc.record({ kind: fc.constant("transfer" as const), item, warehouse, qty }),
  );
  const documents = fc.array(fc.tuple(fc.constantFrom("purchase-receipt" as const, "sales-outbound" as const, "transfer" as const), fc.array(line, { minLength: 1, maxLength: 4 })), {
    minLength: 1,
    maxLength: 25,
  });

  it("post or are refused exactly as the decimal engine does, whichever line runs short", () => {
    fc.assert(
      fc.property(fc.constantFrom("fifo" as const, "moving-average" as const), documents, (method, docs) => {
        const config = {
          settings: { method },
          items: [
            { id: "A", name: "A", baseUnit: "件" },
            { id: "B", name: "B", baseUnit: "件" },
          ],
          warehouses: [{ id: "W1" }, { id: "W2" }],
        };
        const inputs: StockDocumentInput[] = docs.map(([type, lines], i) => {
          const head = { id: `D${i}`, businessId: `B${i}`, at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() };
          if (type === "purchase-receipt")
            return { ...head, type, lines: lines.map((l) => ({ item: l.item, warehouse: l.warehouse, qty: l.qty, unitCost: "unitCost" in l ? l.unitCost : "1.00" })) };
          if (type === "sales-outbound") return { ...head, type, lines: lines.map((l) => ({ item: l.item, warehouse: l.warehouse, qty: l.qty })) };
          return { ...head, type, lines: lines.map((l) => ({ item: l.item, qty: l.qty, from: { warehouse: l.warehouse }, to: { warehouse: l.warehouse === "W1" ? "W2" : "W1" } })) };
        });
        expect(arithmeticDifferences(config, inputs)).toEqual([]);
      }),
      runs,
    );
  });
});
