import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, roundMoney } from "@jxc/core";
import {
  InvoiceRegister,
  checkInvoice,
  traceEventOfInvoice,
  type DigitalInvoice,
  type DigitalInvoiceInput,
  type InvoiceRegisterError,
} from "../src/invoice.js";
import { UnifiedSocialCreditCode, isUnifiedSocialCreditCode, unifiedSocialCreditCheckCharacter } from "../src/tax-id.js";
import { ok, failWith } from "../../../scripts/test-support.js";

const paths = (issues: ReadonlyArray<{ path: string }>) => issues.map((i) => i.path);

/** The published example code of GB 32100-2015 guides (福建). */
const SELLER_TAX_ID = "91350100M000100Y43";
/** Body chosen for the tests; the check character `E` is what {@link unifiedSocialCreditCheckCharacter} computes. */
const BUYER_TAX_ID = "91110108MA01ABCD1E";
const OTHER_TAX_ID = "92440300MA5F0TQX19";

const BLUE = "26442000000012345678";
const RED = "26442000000012345679";

const blueInvoice = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  number: BLUE,
  kind: "special",
  issuedAt: "2026-07-01T10:00:00+08:00",
  businessId: "B-0701-001",
  seller: { name: "深圳市示例科技有限公司", taxId: SELLER_TAX_ID },
  buyer: { name: "北京示例贸易有限公司", taxId: BUYER_TAX_ID },
  lines: [
    { name: "*电子元件*电阻", taxCode: "1090511990000000000", specification: "0603", unit: "个", qty: "1000", unitPrice: "0.5", amount: "500.00", taxRate: "0.13", tax: "65.00" },
    // 100.05 × 6 % = 6.003 → 6.00
    { name: "*现代服务*技术服务费", taxCode: "3040203000000000000", amount: "100.05", taxRate: "0.06", tax: "6.00" },
  ],
  totals: { amount: "600.05", tax: "71.00", total: "671.05" },
  ...over,
});

const redInvoice = (over: Record<string, unknown> = {}, amount = "-100.00", tax = "-13.00", qty = "-200"): Record<string, unknown> => ({
  number: RED,
  kind: "special",
  issuedAt: "2026-07-03T15:00:00+08:00",
  businessId: "B-0703-R01",
  seller: { name: "深圳市示例科技有限公司", taxId: SELLER_TAX_ID },
  buyer: { name: "北京示例贸易有限公司", taxId: BUYER_TAX_ID },
  lines: [{ name: "*电子元件*电阻", taxCode: "1090511990000000000", qty, unitPrice: "0.5", amount, taxRate: "0.13", tax }],
  totals: { amount, tax, total: new Dec(amount).plus(tax).toFixed(2) },
  red: { blueNumber: BLUE, confirmationNumber: "44030026070100000001" },
  ...over,
});

const withLine = (base: Record<string, unknown>, index: number, line: Record<string, unknown>): Record<string, unknown> => {
  const lines = [...(base.lines as Record<string, unknown>[])];
  lines[index] = { ...lines[index], ...line };
  return { ...base, lines };
};

describe("tax-id: 统一社会信用代码 check character (GB 32100-2015)", () => {
  it("accepts the published example and computes its check character", () => {
    expect(unifiedSocialCreditCheckCharacter(SELLER_TAX_ID.slice(0, 17))).toBe("3");
    expect(isUnifiedSocialCreditCode(SELLER_TAX_ID)).toBe(true);
  });

  it("a code completed by the implementation is valid; the same code with another check character is not", () => {
    const body = BUYER_TAX_ID.slice(0, 17);
    expect(unifiedSocialCreditCheckCharacter(body)).toBe("E");
    expect(isUnifiedSocialCreditCode(BUYER_TAX_ID)).toBe(true);
    expect(isUnifiedSocialCreditCode(`${body}F`)).toBe(false);
    const issue = UnifiedSocialCreditCode.safeParse(`${body}F`).error?.issues[0];
    expect(issue?.message).toContain("GB 32100-2015 gives E");
  });

  it("a check value of 31 mod 31 is written 0", () => {
    // find a body whose check value is 0, by varying the last body character
    const body = [..."0123456789ABCDEFGHJKLMNPQRTUWXY"].map((c) => `9111010800000000${c}`).find((b) => unifiedSocialCreditCheckCharacter(b) === "0");
    expect(body).toBeDefined();
    expect(isUnifiedSocialCreditCode(`${body}0`)).toBe(true);
  });

  it("refuses wrong length, lower case, letters I/O/S/V/Z and letters in the 行政区划码", () => {
    for (const code of ["91350100M000100Y4", "91350100M000100Y433", "91350100m000100Y43", "91350100M0O0100Y43", "91350100M000100S43", "9135010AM000100Y43"]) {
      expect(isUnifiedSocialCreditCode(code), code).toBe(false);
    }
    expect(unifiedSocialCreditCheckCharacter("short")).toBeUndefined();
  });

  it("property: every 17-character body completed with its check character is valid, and every other final character is refused", () => {
    const alphabet = [..."0123456789ABCDEFGHJKLMNPQRTUWXY"];
    const code = fc.constantFrom(...alphabet);
    const digit = fc.constantFrom(..."0123456789");
    const body = fc
      .tuple(fc.array(code, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(code, { minLength: 9, maxLength: 9 }))
      .map(([a, b, c]) => [...a, ...b, ...c].join(""));
    fc.assert(
      fc.property(body, code, (b, other) => {
        const check = unifiedSocialCreditCheckCharacter(b);
        expect(check).toBeDefined();
        expect(isUnifiedSocialCreditCode(`${b}${check}`)).toBe(true);
        if (other !== check) expect(isUnifiedSocialCreditCode(`${b}${other}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe("checkInvoice: valid invoices", () => {
  it("a blue special invoice parses, decimals as Dec, deeply frozen", () => {
    const invoice = ok(checkInvoice(blueInvoice()));
    expect(invoice.red).toBeUndefined();
    expect(invoice.totals.total.toFixed(2)).toBe("671.05");
    expect(invoice.lines[1]?.taxRate.eq("0.06")).toBe(true);
    expect(Object.isFrozen(invoice)).toBe(true);
    expect(Object.isFrozen(invoice.lines)).toBe(true);
    expect(Object.isFrozen(invoice.lines[0])).toBe(true);
  });

  it("a red invoice (红字发票) with negative amounts and qty parses", () => {
    const invoice = ok(checkInvoice(redInvoice()));
    expect(invoice.red).toEqual({ blueNumber: BLUE, confirmationNumber: "44030026070100000001" });
    expect(invoice.totals.total.toFixed(2)).toBe("-113.00");
  });

  it("half-up rounds away from zero, so a red line negating a blue one has exactly the negated tax", () => {
    // 100.05 × 13 % = 13.0065 → 13.01; −100.05 × 13 % → −13.01
    const blue = blueInvoice({ lines: [{ name: "x", taxCode: "1090511990000000000", amount: "100.05", taxRate: "0.13", tax: "13.01" }], totals: { amount: "100.05", tax: "13.01", total: "113.06" } });
    ok(checkInvoice(blue, { lineTolerance: "0" }));
    ok(checkInvoice(redInvoice({}, "-100.05", "-13.01", "-200.1"), { lineTolerance: "0" }));
  });

  it("an ordinary invoice (普通发票) to a natural person needs no buyer taxId; a special one does", () => {
    ok(checkInvoice(blueInvoice({ kind: "ordinary", buyer: { name: "张三" } })));
    const e = failWith(checkInvoice(blueInvoice({ buyer: { name: "张三" } })), "InvalidInput");
    expect(paths(e.issues)).toEqual(["buyer.taxId"]);
  });

  it("a tax rate written with more places (\"0.130\") is the same rate", () => {
    ok(checkInvoice(withLine(blueInvoice(), 0, { taxRate: "0.130" })));
  });

  it("a zero-rated line (免税/零税率) carries zero tax", () => {
    const invoice = blueInvoice({
      kind: "ordinary",
      lines: [{ name: "*蔬菜*白菜", taxCode: "1010112010000000000", amount: "50.00", taxRate: "0", tax: "0.00" }],
      totals: { amount: "50.00", tax: "0.00", total: "50.00" },
    });
    ok(checkInvoice(invoice));
  });
});

describe("checkInvoice: malformed fields are InvalidInput naming the path", () => {
  const invalid = (input: unknown) => failWith(checkInvoice(input), "InvalidInput");

  it("an invoice number that is not 20 digits names `number`", () => {
    for (const number of ["2644200000001234567", "264420000000123456789", "2644200000001234567A", 26442000000012345678]) {
      const e = invalid(blueInvoice({ number }));
      expect(e.subject).toBe("invoice");
      expect(paths(e.issues)).toEqual(["number"]);
    }
  });

  it("a corrupted seller taxId names `seller.taxId`; a missing one too", () => {
    expect(paths(invalid(blueInvoice({ seller: { name: "s", taxId: "91350100M000100Y44" } })).issues)).toEqual(["seller.taxId"]);
    expect(paths(invalid(blueInvoice({ seller: { name: "s" } })).issues)).toEqual(["seller.taxId"]);
  });

  it("a corrupted buyer taxId names `buyer.taxId` and says which check character is right", () => {
    const e = invalid(blueInvoice({ buyer: { name: "b", taxId: "91110108MA01ABCD1F" } }));
    expect(paths(e.issues)).toEqual(["buyer.taxId"]);
    expect(e.issues[0]?.message).toContain("gives E");
  });

  it("a tax classification code that is not 19 digits names `lines.0.taxCode`", () => {
    expect(paths(invalid(withLine(blueInvoice(), 0, { taxCode: "109051199000000000" })).issues)).toEqual(["lines.0.taxCode"]);
    expect(paths(invalid(withLine(blueInvoice(), 1, { taxCode: "30402030000000000001" })).issues)).toEqual(["lines.1.taxCode"]);
  });

  it("a tax rate outside 0/1/3/5/6/9/13 % names `lines.0.taxRate`", () => {
    for (const taxRate of ["0.17", "0.16", "0.10", "13", "13%", 0.13]) {
      expect(paths(invalid(withLine(blueInvoice(), 0, { taxRate })).issues), String(taxRate)).toEqual(["lines.0.taxRate"]);
    }
  });

  it("a red invoice without its 红字确认单编号 names `red.confirmationNumber`", () => {
    const e = invalid(redInvoice({ red: { blueNumber: BLUE } }));
    expect(paths(e.issues)).toEqual(["red.confirmationNumber"]);
    expect(paths(invalid(redInvoice({ red: { blueNumber: "123", confirmationNumber: "44030026070100000001" } })).issues)).toEqual(["red.blueNumber"]);
  });

  it("money as a JS number, or with more than 2 places, names the field", () => {
    expect(paths(invalid(withLine(blueInvoice(), 0, { amount: 500 })).issues)).toEqual(["lines.0.amount"]);
    expect(paths(invalid(withLine(blueInvoice(), 0, { tax: "65.001" })).issues)).toEqual(["lines.0.tax"]);
    expect(paths(invalid(blueInvoice({ totals: { amount: "600.05", tax: "71.00" } })).issues)).toEqual(["totals.total"]);
  });

  it("an instant without offset, an unknown kind and empty lines are each named; every issue is reported", () => {
    const e = invalid(blueInvoice({ issuedAt: "2026-07-01T10:00:00", kind: "vat", lines: [] }));
    expect(paths(e.issues).sort()).toEqual(["issuedAt", "kind", "lines"]);
  });

  it("a negative line tolerance is refused as invalid options", () => {
    const e = failWith(checkInvoice(blueInvoice(), { lineTolerance: "-0.01" }), "InvalidInput");
    expect(e.subject).toBe("invoice check options");
    expect(paths(e.issues)).toEqual(["lineTolerance"]);
  });
});

describe("checkInvoice: arithmetic mismatches are InvoiceMismatch naming field, expected and actual", () => {
  it("a line tax two 分 off names lines.1.tax with expected and actual", () => {
    const e = failWith(checkInvoice(withLine(blueInvoice({ totals: { amount: "600.05", tax: "71.02", total: "671.07" } }), 1, { tax: "6.02" })), "InvoiceMismatch");
    expect(e).toMatchObject({ invoice: BLUE, field: "lines.1.tax", expected: "6.00", actual: "6.02" });
  });

  it("one 分 is within the default tolerance (tax-inclusive pricing), and refused with tolerance 0", () => {
    // gross 100.00 at 13 %: amount = round(100 / 1.13) = 88.50, tax = 11.50; 88.50 × 13 % rounds to 11.51
    const inclusive = blueInvoice({
      lines: [{ name: "*日用品*杯子", taxCode: "1060512990000000000", amount: "88.50", taxRate: "0.13", tax: "11.50" }],
      totals: { amount: "88.50", tax: "11.50", total: "100.00" },
    });
    ok(checkInvoice(inclusive));
    const e = failWith(checkInvoice(inclusive, { lineTolerance: "0" }), "InvoiceMismatch");
    expect(e).toMatchObject({ field: "lines.0.tax", expected: "11.51", actual: "11.50" });
    ok(checkInvoice(inclusive, { lineTolerance: new Dec("0.01") }));
  });

  it("totals that are not the sums name totals.amount / totals.tax; total ≠ amount + tax names totals.total", () => {
    expect(failWith(checkInvoice(blueInvoice({ totals: { amount: "600.00", tax: "71.00", total: "671.00" } })), "InvoiceMismatch")).toMatchObject({
      field: "totals.amount",
      expected: "600.05",
      actual: "600.00",
    });
    expect(failWith(checkInvoice(blueInvoice({ totals: { amount: "600.05", tax: "71.01", total: "671.06" } })), "InvoiceMismatch")).toMatchObject({
      field: "totals.tax",
      expected: "71.00",
      actual: "71.01",
    });
    expect(failWith(checkInvoice(blueInvoice({ totals: { amount: "600.05", tax: "71.00", total: "671.00" } })), "InvoiceMismatch")).toMatchObject({
      field: "totals.total",
      expected: "671.05",
      actual: "671.00",
    });
  });

  it("qty × unitPrice that does not give the amount names the line's amount", () => {
    const e = failWith(checkInvoice(withLine(blueInvoice(), 0, { unitPrice: "0.51" })), "InvoiceMismatch");
    expect(e).toMatchObject({ field: "lines.0.amount", expected: "510.00", actual: "500.00" });
  });

  it("a negative amount on a blue invoice, and a positive one on a red invoice, are refused", () => {
    const negativeBlue = blueInvoice({
      lines: [{ name: "x", taxCode: "1090511990000000000", amount: "-10.00", taxRate: "0.13", tax: "-1.30" }],
      totals: { amount: "-10.00", tax: "-1.30", total: "-11.30" },
    });
    expect(failWith(checkInvoice(negativeBlue), "InvoiceMismatch")).toMatchObject({ field: "lines.0.amount", expected: "> 0", actual: "-10.00" });
    expect(failWith(checkInvoice(redInvoice({}, "100.00", "13.00", "200")), "InvoiceMismatch")).toMatchObject({ field: "lines.0.amount", expected: "< 0", actual: "100.00" });
  });
});

describe("InvoiceRegister", () => {
  const withBlue = () => ok(InvoiceRegister.empty().register(blueInvoice()));

  it("stores blue and red invoices; queries by number, business and blue; remaining shrinks; the old register is unchanged", () => {
    const blueOnly = withBlue();
    const both = ok(blueOnly.register(redInvoice()));
    expect(blueOnly.size).toBe(1);
    expect(blueOnly.byNumber(RED)).toBeUndefined();
    expect(both.size).toBe(2);
    expect(both.byNumber(RED)?.red?.blueNumber).toBe(BLUE);
    expect(both.byBusiness("B-0701-001").map((i) => i.number)).toEqual([BLUE]);
    expect(both.byBusiness("B-0703-R01").map((i) => i.number)).toEqual([RED]);
    expect(both.byBusiness("nope")).toEqual([]);
    expect(both.redsOf(BLUE).map((i) => i.number)).toEqual([RED]);
    const before = blueOnly.remaining(BLUE);
    const after = both.remaining(BLUE);
    expect([before?.amount.toFixed(2), before?.tax.toFixed(2), before?.total.toFixed(2)]).toEqual(["600.05", "71.00", "671.05"]);
    expect([after?.amount.toFixed(2), after?.tax.toFixed(2), after?.total.toFixed(2)]).toEqual(["500.05", "58.00", "558.05"]);
    expect(both.remaining(RED)).toBeUndefined();
    expect(both.remaining("00000000000000000000")).toBeUndefined();
    expect(Object.isFrozen(both)).toBe(true);
  });

  it("partial reds may reverse exactly what remains; one 分 more is refused with RedInvoiceExceedsBlue", () => {
    const first = ok(withBlue().register(redInvoice()));
    const second = {
      ...redInvoice(),
      number: "26442000000012345680",
      red: { blueNumber: BLUE, confirmationNumber: "44030026070100000002" },
      lines: [
        { name: "*电子元件*电阻", taxCode: "1090511990000000000", amount: "-400.00", taxRate: "0.13", tax: "-52.00" },
        { name: "*现代服务*技术服务费", taxCode: "3040203000000000000", amount: "-100.06", taxRate: "0.06", tax: "-6.00" },
      ],
      totals: { amount: "-500.06", tax: "-58.00", total: "-558.06" },
    };
    const e = failWith(first.register(second), "RedInvoiceExceedsBlue");
    expect(e).toMatchObject({ invoice: "26442000000012345680", blueNumber: BLUE, field: "amount", remaining: "500.05", requested: "500.06" });
    const exact = {
      ...second,
      lines: [second.lines[0], { ...second.lines[1], amount: "-100.05" }],
      totals: { amount: "-500.05", tax: "-58.00", total: "-558.05" },
    };
    const full = ok(first.register(exact));
    expect(full.remaining(BLUE)?.total.isZero()).toBe(true);
    const third = { ...redInvoice({}, "-0.10", "-0.01", "-0.2"), number: "26442000000012345681", red: { blueNumber: BLUE, confirmationNumber: "44030026070100000003" } };
    expect(failWith(full.register(third), "RedInvoiceExceedsBlue").field).toBe("amount");
  });

  it("a red over the blue's tax is refused naming the tax", () => {
    // −546.15 × 13 % = −70.9995 → −71.00, so −71.01 is within the 1-分 line tolerance; the amount fits (546.15 ≤ 600.05) but the blue's tax is 71.00
    const big = redInvoice({}, "-546.15", "-71.01", "-1092.3");
    const e = failWith(withBlue().register(big), "RedInvoiceExceedsBlue");
    expect(e).toMatchObject({ field: "tax", remaining: "71.00", requested: "71.01" });
  });

  it("a duplicate number is refused (DuplicateDocument), even with the same content", () => {
    const e = failWith(withBlue().register(blueInvoice()), "DuplicateDocument");
    expect(e.document).toBe(BLUE);
  });

  it("a red invoice of an unknown blue invoice is refused (UnknownReference at red.blueNumber)", () => {
    const e = failWith(InvoiceRegister.empty().register(redInvoice()), "UnknownReference");
    expect(e).toMatchObject({ kind: "blue invoice", ref: BLUE, path: "red.blueNumber" });
  });

  it("a red invoice must match the blue one's seller, buyer and kind, follow it, and not reuse a 红字确认单", () => {
    const register = withBlue();
    const violation = (input: unknown) => failWith(register.register(input) as Result.Result<InvoiceRegister, InvoiceRegisterError>, "RuleViolation").path;
    expect(violation(redInvoice({ buyer: { name: "别家", taxId: OTHER_TAX_ID } }))).toBe("buyer.taxId");
    expect(violation(redInvoice({ seller: { name: "别家", taxId: OTHER_TAX_ID } }))).toBe("seller.taxId");
    expect(violation(redInvoice({ kind: "ordinary" }))).toBe("kind");
    expect(violation(redInvoice({ issuedAt: "2026-07-01T09:59:59+08:00" }))).toBe("issuedAt");
    const once = ok(register.register(redInvoice()));
    const reuse = { ...redInvoice(), number: "26442000000012345680" };
    expect(failWith(once.register(reuse), "RuleViolation").path).toBe("red.confirmationNumber");
    const redOfRed = { ...redInvoice(), number: "26442000000012345680", red: { blueNumber: RED, confirmationNumber: "44030026070100000002" } };
    expect(failWith(once.register(redOfRed), "RuleViolation").path).toBe("red.blueNumber");
  });

  it("an invalid or mismatching invoice is refused with the check's error and leaves nothing behind", () => {
    const register = withBlue();
    expect(failWith(register.register(redInvoice({ red: { blueNumber: BLUE } })), "InvalidInput").issues[0]?.path).toBe("red.confirmationNumber");
    const strict = ok(InvoiceRegister.empty({ lineTolerance: "0" }).register(blueInvoice()));
    expect(failWith(strict.register(redInvoice({}, "-100.00", "-12.99")), "InvoiceMismatch").field).toBe("lines.0.tax");
    expect(register.size).toBe(1);
  });

  it("an invoice gives its trace event", () => {
    const invoice = ok(checkInvoice(blueInvoice()));
    expect(traceEventOfInvoice(invoice)).toEqual({ kind: "invoice", id: BLUE, businessId: "B-0701-001", at: "2026-07-01T10:00:00+08:00" });
  });
});

describe("invoice properties (fast-check)", () => {
  const rates = ["0", "0.01", "0.03", "0.05", "0.06", "0.09", "0.13"] as const;
  const lineArb = fc.record({
    cents: fc.integer({ min: 1, max: 10_000_000 }),
    rate: fc.constantFrom(...rates),
  });

  const build = (number: string, lines: ReadonlyArray<{ cents: number; rate: string }>, sign: 1 | -1, red?: { blueNumber: string; confirmationNumber: string }): DigitalInvoiceInput => {
    const built = lines.map(({ cents, rate }) => {
      const amount = new Dec(cents).times(sign).div(100);
      const tax = roundMoney(amount.times(rate), 2);
      return { name: "*货物*x", taxCode: "1090511990000000000", amount: amount.toFixed(2), taxRate: rate, tax: tax.toFixed(2) };
    });
    const amount = built.reduce((sum, l) => sum.plus(l.amount), new Dec(0));
    const tax = built.reduce((sum, l) => sum.plus(l.tax), new Dec(0));
    return {
      ...(blueInvoice() as DigitalInvoiceInput),
      number,
      lines: built,
      totals: { amount: amount.toFixed(2), tax: tax.toFixed(2), total: amount.plus(tax).toFixed(2) },
      ...(red ? { red, issuedAt: "2026-07-02T10:00:00+08:00" } : {}),
    };
  };

  it("an invoice whose taxes are round-half-up(amount × rate) checks with tolerance 0; its full red negation registers and leaves nothing", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), (lines) => {
        const blue = build(BLUE, lines, 1);
        const checked: DigitalInvoice = ok(checkInvoice(blue, { lineTolerance: "0" }));
        const register = ok(InvoiceRegister.empty({ lineTolerance: "0" }).register(blue));
        const red = build(RED, lines, -1, { blueNumber: BLUE, confirmationNumber: "44030026070100000001" });
        const reversed = ok(register.register(red));
        const remaining = reversed.remaining(BLUE);
        expect(remaining?.amount.isZero() && remaining.tax.isZero()).toBe(true);
        expect(checked.totals.total.gt(0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
