import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import { type Voucher, isBalanced, voucherTotals } from "@jxc/ledger";
import { ExactSum, decOfUnits, placesOf, unitsOfDec } from "../src/fixed-units.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/**
 * Decimals of every shape: small and huge, few and many places, exponent form — below 10^21
 * with at most 12 places, so that sums of a few dozen stay within the 34 digits decimal.js
 * keeps (and its sums are exact too).
 */
const decimal = fc.oneof(
  fc.tuple(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: 0, max: 10 })).map(([m, p]) => new Dec(`${m}e-${p}`)),
  fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 })).map(([m, p]) => new Dec(`${m}e${-p}`)),
  fc.tuple(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), fc.integer({ min: 1, max: 3 })).map(([m, p]) => new Dec(`${m}e+${p}`)),
  fc.integer({ min: -99_999_999, max: 99_999_999 }).map((c) => new Dec(c).dividedBy(100)),
);

describe("money as scaled integers (fast-check, 1,000 runs each)", () => {
  it("unitsOfDec reads value × 10^scale when it is an integer within 2^52 of at most 15 digits, and NaN otherwise", () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 8 }), (value, scale) => {
        const units = unitsOfDec(value, scale);
        const exact = value.times(new Dec(10).pow(scale));
        if (Number.isNaN(units)) expect(exact.isInteger() && exact.abs().lte(2 ** 52) && exact.precision(true) <= 15).toBe(false);
        else expect(new Dec(units).eq(exact)).toBe(true);
      }),
      runs,
    );
  });

  it("placesOf counts the places decimal.js counts", () => {
    fc.assert(
      fc.property(decimal, (value) => {
        expect(placesOf(value)).toBe(value.decimalPlaces());
      }),
      runs,
    );
  });

  it("unitsOfDec inverts decOfUnits", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), fc.integer({ min: 0, max: 8 }), (units, scale) => {
        expect(unitsOfDec(decOfUnits(units, scale), scale)).toBe(units);
      }),
      runs,
    );
  });

  it("ExactSum adds and subtracts exactly what decimal.js adds and subtracts, whatever the places and magnitudes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(decimal, fc.boolean()), { maxLength: 30 }), fc.integer({ min: 0, max: 8 }), (terms, scale) => {
        const sum = new ExactSum();
        const other = new ExactSum();
        let expected = new Dec(0);
        for (const [value, negative] of terms) {
          sum.add(value, scale, negative ? -1 : 1);
          other.add(negative ? value.negated() : value, scale);
          expected = negative ? expected.minus(value) : expected.plus(value);
        }
        expect(sum.total(scale).eq(expected)).toBe(true);
        expect(sum.isZero(scale)).toBe(expected.isZero());
        expect(sum.equals(other, scale)).toBe(true);
      }),
      runs,
    );
  });

  it("isBalanced answers what the decimal totals answer", () => {
    const line = fc.record({ side: fc.constantFrom("debit" as const, "credit" as const), amount: decimal });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (lines, mirror) => {
        // a mirrored voucher balances by construction; the raw one rarely does
        const all = mirror ? [...lines, ...lines.map((l) => ({ ...l, side: l.side === "debit" ? ("credit" as const) : ("debit" as const) }))] : lines;
        const voucher: Voucher = {
          id: "v",
          businessId: "b",
          event: "scrap",
          kind: "main",
          template: "t",
          entity: "e",
          at: "2026-01-01T00:00:00+08:00",
          date: "2026-01-01",
          lines: all.map((l) => ({ account: "1405", side: l.side, amount: l.amount, auxiliaries: {} })),
        };
        const { debit, credit } = voucherTotals(voucher);
        expect(isBalanced(voucher)).toBe(debit.eq(credit));
        if (mirror) expect(isBalanced(voucher)).toBe(true);
      }),
      runs,
    );
  });
});
