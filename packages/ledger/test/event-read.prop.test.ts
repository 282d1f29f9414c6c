import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import { BusinessEventSchema, EVENT_TYPES, EntitySchema } from "@jxc/ledger";
import { readBusinessEvent, readEntity } from "../src/event-read.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** Mostly a valid value, sometimes a mutation of it (weight 1 in `1 + validWeight`). */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>, validWeight = 30): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: valid, weight: validWeight }, { arbitrary: invalid, weight: 1 });

const digits = (max: number) => fc.stringMatching(new RegExp(`^\\d{0,${max}}$`));
/** Decimal text, valid or nearly so: signs, points, exponents, too many digits, stray characters. */
const decimalText = fc
  .tuple(
    fc.constantFrom("", "", "", "+", "-"),
    digits(18),
    fc.constantFrom("", ".", ".", "."),
    digits(18),
    fc.constantFrom("", "", "", "", "e5", "E-3", "e+12", "e", "e+", "x", " ", "e99999999999"),
  )
  .map((parts) => parts.join(""));
const validDecimal = fc.oneof(
  fc.integer({ min: -9_999_999, max: 99_999_999 }).map((n) => (n / 100).toFixed(2)),
  fc.integer({ min: 0, max: 99 }).map((n) => `0.${String(n).padStart(2, "0")}`),
  decimalText.filter((t) => /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)),
);
const decimal = mostly(fc.option(validDecimal, { nil: undefined }), fc.oneof(decimalText, fc.double(), fc.constant(null), fc.string({ maxLength: 4 })), 12);
const name = mostly(fc.option(fc.constantFrom("W1", "raw-material", "goods", "a|b", "toString", "x"), { nil: undefined }), fc.oneof(fc.constant(""), fc.integer(), fc.constant(null)));
const instant = fc
  .tuple(
    fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true }),
    mostly(fc.constantFrom("Z", "+08:00", "-05:30", "+23:59"), fc.constantFrom("+24:00", "+08:60", "z", "+0800", ""), 6),
    mostly(fc.constantFrom(".000", "", ".5", ".123456789"), fc.constant("."), 6),
  )
  .map(([d, zone, fraction]) => d.toISOString().slice(0, 19) + fraction + zone);
const oddInstant = fc.constantFrom(
  "2025-02-29T10:00:00Z",
  "2024-02-29T10:00:00+08:00",
  "2100-02-29T00:00:00Z",
  "2000-02-29T00:00:00Z",
  "2025-04-31T00:00:00Z",
  "2025-01-01T24:00:00Z",
  "2025-01-01T10:00+08:00",
  "2025-01-01t10:00:00Z",
  "2025-01-01 10:00:00Z",
  "2025-13-01T10:00:00Z",
  "2025-1-01T10:00:00Z",
);

const line = mostly(
  fc.record(
    {
      item: mostly(fc.constantFrom("A", "B", "A|B", "toString"), fc.oneof(fc.constant(""), fc.integer())),
      category: name,
      warehouse: name,
      qty: decimal,
      unitPrice: decimal,
      taxRate: decimal,
      cost: decimal,
      fee: decimal,
      amount: decimal,
      project: name,
      department: name,
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.oneof(fc.constant(null), fc.constant([]), fc.string(), fc.constant(undefined)),
  40,
);

const event = mostly(
  fc.record(
    {
      type: mostly(fc.constantFrom(...EVENT_TYPES), fc.oneof(fc.constant("nope"), fc.integer(), fc.constant(undefined))),
      businessId: mostly(fc.constantFrom("B1", "B|2"), fc.oneof(fc.constant(""), fc.integer(), fc.constant(undefined))),
      document: name,
      at: mostly(instant, oddInstant, 4),
      priceIncludesTax: mostly(fc.option(fc.boolean(), { nil: undefined }), fc.oneof(fc.constant("true"), fc.constant(0), fc.constant(null))),
      export: mostly(fc.option(fc.boolean(), { nil: undefined }), fc.oneof(fc.constant("false"), fc.constant(1), fc.constant(null))),
      customer: name,
      supplier: name,
      counterpartyType: name,
      accountOverrides: mostly(
        fc.option(fc.constantFrom({}, { receivable: "1122" }, { "": "x" }), { nil: undefined }),
        fc.oneof(fc.constant({ receivable: 1122 }), fc.constant([]), fc.constant(null), fc.constant("x")),
      ),
      lines: mostly(fc.array(line, { minLength: 1, maxLength: 4 }), fc.oneof(fc.constant([]), fc.constant(undefined), fc.constant("x"), fc.constant({ 0: {} }))),
      unknownKey: fc.anything(),
    },
    { requiredKeys: ["type", "businessId", "at", "lines"] },
  ),
  fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.constant([]), fc.integer()),
  40,
);

const entity = mostly(
  fc.record(
    {
      id: mostly(fc.constantFrom("e1", "default"), fc.oneof(fc.constant(""), fc.integer(), fc.constant(null))),
      taxpayer: mostly(fc.constantFrom("general", "small-scale"), fc.oneof(fc.constant("GENERAL"), fc.constant(undefined), fc.integer())),
      standard: mostly(fc.constantFrom("CAS", "small-enterprise", undefined), fc.oneof(fc.constant("IFRS"), fc.constant(null))),
      exportRebate: mostly(fc.option(fc.boolean(), { nil: undefined }), fc.oneof(fc.constant(1), fc.constant("false"))),
      moneyScale: mostly(
        fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
        fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(2.5, Number.NaN, Number.POSITIVE_INFINITY, -0, "2", 1e21)),
      ),
      timeZone: mostly(fc.constantFrom("Asia/Shanghai", "UTC", "Not/AZone", "", undefined), fc.oneof(fc.integer(), fc.constant(null))),
    },
    { requiredKeys: ["taxpayer"] },
  ),
  fc.oneof(fc.constant(null), fc.string(), fc.constant([])),
  40,
);

const sameDecimal = (m: number, p: number, value: Dec | undefined): boolean => value !== undefined && new Dec(`${m}e-${p}`).eq(value);

describe("the fast event and entity readers accept exactly what zod accepts (fast-check)", () => {
  it("readBusinessEvent accepts ⇔ BusinessEventSchema accepts, and reads the same values", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(event, (input) => {
        const fast = readBusinessEvent(input);
        const zod = BusinessEventSchema.safeParse(input);
        expect(fast !== undefined).toBe(zod.success);
        if (fast === undefined || !zod.success) {
          refused++;
          return;
        }
        accepted++;
        const parsed = zod.data;
        expect({ ...fast, lines: undefined, exact: undefined }).toEqual({
          type: parsed.type,
          businessId: parsed.businessId,
          document: parsed.document,
          at: parsed.at,
          priceIncludesTax: parsed.priceIncludesTax,
          export: parsed.export,
          customer: parsed.customer,
          supplier: parsed.supplier,
          counterpartyType: parsed.counterpartyType,
          accountOverrides: parsed.accountOverrides,
          lines: undefined,
          exact: undefined,
        });
        expect(fast.lines.length).toBe(parsed.lines.length);
        let exact = true;
        fast.lines.forEach((l, i) => {
          const z = parsed.lines[i]!;
          expect([l.item, l.category, l.warehouse, l.project, l.department]).toEqual([z.item, z.category, z.warehouse, z.project, z.department]);
          expect([l.hasQty, l.hasPrice]).toEqual([z.qty !== undefined, z.unitPrice !== undefined]);
          const pairs: [number, number, Dec | undefined][] = [
            [l.qtyM, l.qtyP, z.qty],
            [l.priceM, l.priceP, z.unitPrice],
            [l.rateM, l.rateP, z.taxRate],
            [l.costM, l.costP, z.cost],
            [l.feeM, l.feeP, z.fee],
            [l.amountM, l.amountP, z.amount],
          ];
          for (const [m, p, value] of pairs) {
            if (Number.isNaN(m)) exact = false;
            else if (value === undefined) expect(m).toBe(0);
            else expect(sameDecimal(m, p, value)).toBe(true);
          }
        });
        expect(fast.exact).toBe(exact);
      }),
      runs,
    );
    expect(accepted).toBeGreaterThan(runs.numRuns / 20);
    expect(refused).toBeGreaterThan(runs.numRuns / 20);
  });

  it("readEntity accepts ⇔ EntitySchema accepts, with the same defaults", () => {
    let accepted = 0;
    fc.assert(
      fc.property(entity, (input) => {
        const fast = readEntity(input);
        const zod = EntitySchema.safeParse(input);
        expect(fast !== undefined).toBe(zod.success);
        if (fast !== undefined && zod.success) {
          accepted++;
          expect(fast).toEqual(zod.data);
        }
      }),
      runs,
    );
    expect(accepted).toBeGreaterThan(runs.numRuns / 20);
  });
});
