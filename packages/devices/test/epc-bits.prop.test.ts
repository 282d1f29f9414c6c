import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalOf, padDigits } from "../src/epc-bits.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** Integers below 2^53 of every length, with the values next to powers of ten and to 2^53. */
const integer = fc.oneof(
  fc.maxSafeNat(),
  fc.integer({ min: 0, max: 15 }).chain((k) => fc.integer({ min: 0, max: 10 ** (k + 1) - 1 })),
  fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: -1, max: 1 })).map(([k, d]) => 10 ** k + d),
  fc.integer({ min: 1, max: 3000 }).map((d) => Number.MAX_SAFE_INTEGER + 1 - d),
);

describe("decimal text of EPC fields, written from digit tables", () => {
  it("decimalOf writes what String writes, for every integer below 2^53", () => {
    fc.assert(
      fc.property(integer, (value) => {
        expect(decimalOf(value)).toBe(String(value));
      }),
      runs,
    );
  });

  it("padDigits zero-pads to the width, writes a wider value in full, and writes nothing for width 0", () => {
    fc.assert(
      fc.property(integer, fc.integer({ min: 0, max: 18 }), (value, digits) => {
        expect(padDigits(value, digits)).toBe(digits === 0 ? "" : String(value).padStart(digits, "0"));
      }),
      runs,
    );
  });
});
