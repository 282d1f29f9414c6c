import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, parseInput } from "@jxc/core";
import {
  BusinessEventSchema,
  type ChartOfAccounts,
  EVENT_TYPES,
  EntitySchema,
  type TemplateSet,
  casChart,
  defaultTemplateSet,
  derive,
  deriveVouchers,
  loadTemplates,
  smallEnterpriseChart,
  voucherDeriver,
} from "@jxc/ledger";
import { deriveWithDecimals } from "../src/derive-decimal.js";
import { deriveFixed } from "../src/derive-fixed.js";
import { decOfUnits, divHalfUp } from "../src/fixed-units.js";
import { readBusinessEvent, readEntity } from "../src/event-read.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const books = (chart: ChartOfAccounts): { chart: ChartOfAccounts; templates: TemplateSet } => {
  const loaded = loadTemplates(defaultTemplateSet, chart);
  if (Result.isFailure(loaded)) throw new Error(loaded.failure.message);
  return { chart, templates: loaded.success };
};
const cas = books(casChart());
const small = books(smallEnterpriseChart());

/** The derivation before the integer path: zod, then decimal.js throughout. */
const reference = (input: unknown, chart: ChartOfAccounts, templates: TemplateSet, entityInput: unknown) => {
  const event = parseInput(BusinessEventSchema, input, "business event");
  if (Result.isFailure(event)) return Result.fail(event.failure);
  const entity = parseInput(EntitySchema, entityInput, "entity");
  if (Result.isFailure(entity)) return Result.fail(entity.failure);
  return deriveWithDecimals(event.success, chart, templates, entity.success);
};

/** A result as plain data: every voucher field (amounts as decimal.js fields and text), or the error's tag and message. */
const plain = (r: Result.Result<ReadonlyArray<unknown>, { readonly _tag: string; readonly message: string }>) =>
  Result.isSuccess(r)
    ? {
        vouchers: r.success.map((v) => ({
          ...(v as object),
          lines: (v as { lines: ReadonlyArray<{ amount: Dec }> }).lines.map((l) => ({ ...l, amount: { text: l.amount.toString(), fields: { ...l.amount } } })),
        })),
      }
    : { error: r.failure._tag, message: r.failure.message };

// money-like decimals mostly, with the edges of the integer path: many digits, exponents, tiny and negative values
const money = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 99_999_999 }).map((n) => (n / 100).toFixed(2)), weight: 60 },
  { arbitrary: fc.integer({ min: -99_999, max: 999_999 }).map((n) => (n / 1000).toFixed(3)), weight: 15 },
  { arbitrary: fc.integer({ min: 0, max: 999 }).map((n) => `${n}.005`), weight: 10 },
  {
    arbitrary: fc.constantFrom("0", "-0", "0.00", "1e3", "1.5E-2", "123456789012345.67", "9999999999999999", "0.0000000000000001", "4503599627370496", ".5", "7.", "+3.25"),
    weight: 1,
  },
);
const qty = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 500 }).map(String), weight: 30 },
  { arbitrary: fc.integer({ min: -50_000, max: 50_000 }).map((n) => (n / 1000).toFixed(3)), weight: 20 },
  { arbitrary: fc.constantFrom("0", "-0", "1e2", "12345678901234567", "0.3333333333333333"), weight: 1 },
);
const rate = fc.oneof(
  { arbitrary: fc.constantFrom("0.13", "0.09", "0.06", "0.03", "0.01", "0", "0.135"), weight: 40 },
  { arbitrary: fc.constantFrom("-0.5", "-1", "-2", "1e-1", "0.1234567890123456", "3"), weight: 1 },
);
/** Undefined, a common value, or (rarely) an odd one: a `|` that the integer path leaves to the reference, an inherited property name. */
const name = (values: ReadonlyArray<string>, odd: ReadonlyArray<string> = []) =>
  fc.option(odd.length === 0 ? fc.constantFrom(...values) : fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 30 }, { arbitrary: fc.constantFrom(...odd), weight: 1 }), { nil: undefined, freq: 4 });

const line = fc.record(
  {
    item: fc.oneof({ arbitrary: fc.constantFrom("A", "B", "C"), weight: 40 }, { arbitrary: fc.constant("A|B"), weight: 1 }),
    category: name(["raw-material", "goods", "finished"], ["toString", "__proto__"]),
    warehouse: name(["W1", "W2"], ["W|1"]),
    qty,
    unitPrice: money,
    taxRate: rate,
    cost: money,
    fee: money,
    amount: money,
    project: name(["P1"]),
    department: name(["D1", "D2"]),
  },
  { requiredKeys: ["item"] },
);

const event = fc.record(
  {
    type: fc.constantFrom(...EVENT_TYPES),
    businessId: fc.constantFrom("B1", "B2"),
    document: name(["DOC-1"]),
    at: fc
      .tuple(fc.date({ min: new Date("1950-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), fc.constantFrom("Z", "+08:00", "-05:00", "+05:45"))
      .map(([d, zone]) => d.toISOString().slice(0, 19) + zone),
    priceIncludesTax: fc.option(fc.boolean(), { nil: undefined }),
    export: fc.option(fc.boolean(), { nil: undefined }),
    customer: name(["C1", "C2"], ["C|2"]),
    supplier: name(["S1"]),
    counterpartyType: name(["export", "domestic"], ["constructor"]),
    accountOverrides: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 12 },
      { arbitrary: fc.constantFrom({}, { receivable: "1122" }, { vat: "2221.01.01" }, { nope: "1122" }, { revenue: "9999" }, { inventory: "1403" }), weight: 2 },
    ),
    lines: fc.array(line, { minLength: 1, maxLength: 6 }),
  },
  { requiredKeys: ["type", "businessId", "at", "lines"] },
);

const entity = fc.record(
  {
    id: fc.constantFrom("e1", "e2"),
    taxpayer: fc.constantFrom("general" as const, "small-scale" as const),
    standard: fc.constantFrom("CAS" as const, "small-enterprise" as const),
    exportRebate: fc.boolean(),
    moneyScale: fc.oneof({ arbitrary: fc.constant(2), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 8 }), weight: 1 }),
    timeZone: fc.constantFrom("Asia/Shanghai", "UTC", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "America/Sao_Paulo"),
  },
  { requiredKeys: ["taxpayer", "standard"] },
);

const booksOf = (e: { standard: string }) => (e.standard === "CAS" ? cas : small);

describe("the integer path derives the vouchers of the decimal.js reference (fast-check)", () => {
  it("deriveVouchers ≡ zod + decimal.js derivation: same vouchers to every digit, same errors", () => {
    let onIntegerPath = 0;
    fc.assert(
      fc.property(event, entity, (input, entityInput) => {
        const { chart, templates } = booksOf(entityInput);
        const fast = deriveVouchers(input, chart, templates, entityInput);
        const slow = reference(input, chart, templates, entityInput);
        expect(plain(fast)).toEqual(plain(slow));
        const integer = deriveFixed(readBusinessEvent(input)!, chart, templates, readEntity(entityInput)!);
        if (integer !== undefined && integer.length > 0) onIntegerPath++;
      }),
      runs,
    );
    // most cases must have taken the integer path, or the property proves little
    expect(onIntegerPath).toBeGreaterThan(runs.numRuns / 3);
  });

  it("long documents (past the lines searched one by one, items repeated) derive what the reference derives", () => {
    const longLine = fc.record({
      item: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 80 }).map((i) => `I${i}`), weight: 1000 }, { arbitrary: fc.constant("I|1"), weight: 1 }),
      category: name(["raw-material", "goods"]),
      warehouse: name(["W1", "W2", "W3"]),
      qty: fc.integer({ min: -50, max: 500 }).map(String),
      // amounts the integer path takes (the odd ones are the other properties' business)
      unitPrice: fc.integer({ min: 0, max: 99_999_999 }).map((n) => (n / 100).toFixed(2)),
      taxRate: fc.constantFrom("0.13", "0.09", "0.06", "0"),
      cost: fc.integer({ min: 0, max: 99_999_999 }).map((n) => (n / 100).toFixed(2)),
    });
    let onIntegerPath = 0;
    fc.assert(
      fc.property(
        fc.constantFrom("sales-outbound", "purchase-receipt", "stocktake", "sales-return"),
        fc.array(longLine, { minLength: 40, maxLength: 160 }),
        entity,
        (type, lines, entityInput) => {
          const input = { type, businessId: "B1", at: "2026-03-01T09:00:00+08:00", customer: "C1", supplier: "S1", lines };
          const { chart, templates } = booksOf(entityInput);
          expect(plain(deriveVouchers(input, chart, templates, entityInput))).toEqual(plain(reference(input, chart, templates, entityInput)));
          const integer = deriveFixed(readBusinessEvent(input)!, chart, templates, readEntity(entityInput)!);
          if (integer !== undefined && integer.some((v) => v.lines.length > 48)) onIntegerPath++;
        },
      ),
      runs,
    );
    expect(onIntegerPath).toBeGreaterThan(runs.numRuns / 4);
  });

  it("a voucherDeriver and the parsed path derive what deriveVouchers derives", () => {
    fc.assert(
      fc.property(event, entity, (input, entityInput) => {
        const { chart, templates } = booksOf(entityInput);
        const expected = plain(deriveVouchers(input, chart, templates, entityInput));
        const deriver = voucherDeriver(chart, templates, entityInput);
        if (Result.isFailure(deriver)) throw new Error(deriver.failure.message);
        expect(plain(deriver.success.derive(input))).toEqual(expected);
        const parsed = BusinessEventSchema.safeParse(input);
        if (parsed.success) expect(plain(derive(parsed.data, chart, templates, deriver.success.entity))).toEqual(expected);
      }),
      runs,
    );
  });

  it("a template set used with another chart than it was loaded for derives what the reference derives", () => {
    const other = casChart();
    fc.assert(
      fc.property(event, (input) => {
        const entityInput = { taxpayer: "general", standard: "CAS" };
        expect(plain(deriveVouchers(input, other, cas.templates, entityInput))).toEqual(plain(reference(input, other, cas.templates, entityInput)));
      }),
      { numRuns: Math.ceil(runs.numRuns / 4) },
    );
  });

  it("decimals are built from integers with the fields decimal.js reads from text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: -99_999_999, max: 99_999_999 })), fc.integer({ min: 0, max: 8 }), (units, scale) => {
        fc.pre(units !== 0);
        const built = decOfUnits(units, scale);
        const read = new Dec(`${units}e-${scale}`);
        expect({ ...built }).toEqual({ ...read });
        expect(built.toString()).toBe(read.toString());
        expect(built).toBeInstanceOf(Dec);
      }),
      runs,
    );
  });

  it("integer division rounds half away from zero, as decimal.js does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: 1, max: 2 ** 52 }), (n, d) => {
        expect(new Dec(divHalfUp(n, d)).eq(new Dec(n).dividedBy(d).toDecimalPlaces(0, Dec.ROUND_HALF_UP))).toBe(true);
      }),
      runs,
    );
  });
});
