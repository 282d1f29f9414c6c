import { DecimalString, Dec, DuplicateDocument, InstantString, InvalidInput, RuleViolation, UnknownReference, parseInput, roundMoney, sumDecimals } from "@jxc/core";
import { Data, Result } from "effect";
import { z } from "zod";
import { UnifiedSocialCreditCode } from "./tax-id.js";
import { instantEpochNanos, type TraceEvent } from "./trace.js";

// ---------------------------------------------------------------------------------------------
// Data shapes
// ---------------------------------------------------------------------------------------------

/** A 数电发票号码 (number of a fully digitalised e-invoice): exactly 20 digits. */
export const InvoiceNumber = z.string().regex(/^\d{20}$/, { message: "must be exactly 20 digits (数电发票号码)" });

/** A 商品和服务税收分类编码 (tax classification code of goods and services): exactly 19 digits. */
export const TaxClassificationCode = z.string().regex(/^\d{19}$/, { message: "must be exactly 19 digits (商品和服务税收分类编码)" });

/**
 * The VAT rates (税率/征收率) a 数电发票 line may carry: 0 (免税, 不征税 or 零税率), the 1 %, 3 % and
 * 5 % 征收率 of simplified collection, and the 6 %, 9 % and 13 % 税率.
 */
export const VAT_RATES = ["0", "0.01", "0.03", "0.05", "0.06", "0.09", "0.13"] as const;

/** A VAT rate on the wire: a decimal string equal to one of {@link VAT_RATES} (`"0.13"`, `"0.130"`…); others are refused. */
export const VatRateString = DecimalString.refine((rate) => VAT_RATES.some((allowed) => rate.eq(allowed)), {
  message: `must be one of the VAT rates ${VAT_RATES.join(", ")}`,
});

/** Money on an invoice: a decimal string with at most 2 decimal places (分), signed (red invoices are negative). */
export const InvoiceMoneyString = DecimalString.refine((value) => value.decimalPlaces() <= 2, {
  message: "must have at most 2 decimal places (分)",
});

const Text = z.string().min(1).max(300);
const Id = z.string().min(1).max(128);

/** A party of an invoice: 销售方 (seller) or 购买方 (buyer), with its 纳税人识别号 as a 统一社会信用代码. */
export const InvoicePartySchema = z.object({
  /** 名称 — registered name, or the name of a natural person. */
  name: Text,
  /** 统一社会信用代码/纳税人识别号; only a natural-person buyer of an ordinary invoice may have none. */
  taxId: UnifiedSocialCreditCode.optional(),
});
/** A parsed {@link InvoicePartySchema}. */
export type InvoiceParty = z.output<typeof InvoicePartySchema>;

/** One line (明细) of a 数电发票. Amounts are net of VAT (不含税金额). */
export const InvoiceLineSchema = z.object({
  /** 项目名称 — name of the goods or service. */
  name: Text,
  /** 商品和服务税收分类编码, 19 digits. */
  taxCode: TaxClassificationCode,
  /** 规格型号. */
  specification: Text.optional(),
  /** 单位. */
  unit: Text.optional(),
  /** 数量 — negative on a red invoice. */
  qty: DecimalString.optional(),
  /** 单价 (net of VAT). */
  unitPrice: DecimalString.optional(),
  /** 金额 — net amount, positive on a blue invoice and negative on a red one. */
  amount: InvoiceMoneyString,
  /** 税率/征收率, one of {@link VAT_RATES}. */
  taxRate: VatRateString,
  /** 税额. */
  tax: InvoiceMoneyString,
});
/** A parsed {@link InvoiceLineSchema} (decimals as {@link Dec}). */
export type InvoiceLine = z.output<typeof InvoiceLineSchema>;

/** The totals (合计) of an invoice: net amount (合计金额), tax (合计税额) and total (价税合计). */
export const InvoiceTotalsSchema = z.object({
  /** 合计金额 — the sum of the lines' net amounts. */
  amount: InvoiceMoneyString,
  /** 合计税额 — the sum of the lines' taxes. */
  tax: InvoiceMoneyString,
  /** 价税合计 — amount plus tax. */
  total: InvoiceMoneyString,
});
/** Parsed invoice totals, also the shape of what remains of a blue invoice ({@link InvoiceRegister.remaining}). */
export type InvoiceTotals = z.output<typeof InvoiceTotalsSchema>;

/** What a red invoice (红字发票) reverses: the blue invoice and the 红字发票信息确认单 that allowed it. */
export const RedInvoiceReferenceSchema = z.object({
  /** 对应蓝字发票号码 — the blue invoice reversed, 20 digits. */
  blueNumber: InvoiceNumber,
  /** 红字发票信息确认单编号 — the confirmation agreed by seller and buyer on the tax platform, 20 digits. */
  confirmationNumber: z.string().regex(/^\d{20}$/, { message: "must be exactly 20 digits (红字确认单编号)" }),
});
/** A parsed {@link RedInvoiceReferenceSchema}. */
export type RedInvoiceReference = z.output<typeof RedInvoiceReferenceSchema>;

/**
 * A 数电发票 (fully digitalised e-invoice) as stored by jxc: a blue invoice (蓝字发票), or a red one
 * (红字发票) when `red` is present. Shape only; the arithmetic is checked by {@link checkInvoice}.
 *
 * A special invoice (增值税专用发票) needs the buyer's 统一社会信用代码; an ordinary invoice (普通发票)
 * may be issued to a natural person without one.
 */
export const DigitalInvoiceSchema = z
  .object({
    /** 发票号码, 20 digits. */
    number: InvoiceNumber,
    /** `special` 增值税专用发票 or `ordinary` 普通发票. */
    kind: z.enum(["special", "ordinary"]),
    /** 开票日期 — the instant of issue, ISO-8601 with offset. */
    issuedAt: InstantString,
    /** The business ID shared with the goods movement, payment and vouchers of the transaction. */
    businessId: Id,
    /** 销售方. */
    seller: InvoicePartySchema.extend({ taxId: UnifiedSocialCreditCode }),
    /** 购买方. */
    buyer: InvoicePartySchema,
    /** 明细, at least one line. */
    lines: z.array(InvoiceLineSchema).min(1),
    /** 合计. */
    totals: InvoiceTotalsSchema,
    /** Present on a red invoice (红字发票) only. */
    red: RedInvoiceReferenceSchema.optional(),
  })
  .superRefine((invoice, ctx) => {
    if (invoice.kind === "special" && invoice.buyer.taxId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["buyer", "taxId"],
        message: "a special invoice (增值税专用发票) needs the buyer's 统一社会信用代码",
      });
    }
  });
/** A parsed 数电发票 (decimals as {@link Dec}). */
export type DigitalInvoice = z.output<typeof DigitalInvoiceSchema>;
/** A 数电发票 as written on the wire (decimals as strings). */
export type DigitalInvoiceInput = z.input<typeof DigitalInvoiceSchema>;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** An invoice whose figures do not add up: a line's tax, a total, or the sign of an amount. */
export class InvoiceMismatch extends Data.TaggedError("InvoiceMismatch")<{
  /** The invoice number. */
  readonly invoice: string;
  /** The field at fault, e.g. `lines.0.tax` or `totals.total`. */
  readonly field: string;
  /** What the field should be: a decimal string, or a sign condition such as `> 0`. */
  readonly expected: string;
  /** What the field is, as a decimal string. */
  readonly actual: string;
  readonly message: string;
}> {}

/** A red invoice (红字发票) that would reverse more than what remains of its blue invoice. */
export class RedInvoiceExceedsBlue extends Data.TaggedError("RedInvoiceExceedsBlue")<{
  /** The red invoice refused. */
  readonly invoice: string;
  /** The blue invoice it references. */
  readonly blueNumber: string;
  /** Which figure is exceeded: the net amount (金额) or the tax (税额). */
  readonly field: "amount" | "tax";
  /** What remains of the blue invoice before this red one, a positive decimal string. */
  readonly remaining: string;
  /** What this red invoice reverses, as a positive decimal string. */
  readonly requested: string;
  readonly message: string;
}> {}

/** Every failure {@link InvoiceRegister.register} returns. */
export type InvoiceRegisterError =
  | InvalidInput
  | InvoiceMismatch
  | DuplicateDocument
  | UnknownReference
  | RuleViolation
  | RedInvoiceExceedsBlue;

// ---------------------------------------------------------------------------------------------
// Checking one invoice
// ---------------------------------------------------------------------------------------------

/** Options of {@link checkInvoice}. */
export interface CheckInvoiceOptions {
  /**
   * How far (in yuan) a line's tax may differ from round-half-up(amount × rate, 2), and a line's
   * amount from round-half-up(qty × unitPrice, 2). Default `"0.01"`, as the tax platform allows:
   * an invoice priced tax-inclusive (含税) splits the gross into amount = round(gross / (1 + rate))
   * and tax = gross − amount, which can differ from round(amount × rate) by one 分 (gross 100.00 at
   * 13 %: amount 88.50, tax 11.50, while 88.50 × 13 % rounds to 11.51). A tolerance of 0 would refuse
   * such genuine invoices; pass `"0"` to insist on net pricing. Totals are always exact sums.
   */
  readonly lineTolerance?: string | Dec;
}

const DEFAULT_LINE_TOLERANCE = new Dec("0.01");

const OptionsSchema = z.object({
  lineTolerance: z
    .union([DecimalString, z.custom<Dec>((value) => Dec.isDecimal(value)).transform((value) => new Dec(value))])
    .refine((tolerance) => tolerance.gte(0), { message: "must be 0 or greater" })
    .optional(),
});

const money = (value: Dec): string => value.toFixed(2);

const mismatch = (invoice: string, field: string, expected: string, actual: string, why: string): InvoiceMismatch =>
  new InvoiceMismatch({ invoice, field, expected, actual, message: `invoice ${invoice}: ${field} is ${actual}, expected ${expected} (${why})` });

/** The first arithmetic or sign mismatch of a schema-valid invoice, in the order lines → totals. */
const arithmeticMismatch = (invoice: DigitalInvoice, tolerance: Dec): InvoiceMismatch | undefined => {
  const red = invoice.red !== undefined;
  const colour = red ? "a red invoice (红字发票) is negative" : "a blue invoice (蓝字发票) is positive";
  for (const [i, line] of invoice.lines.entries()) {
    const at = `lines.${i}`;
    if (red ? !line.amount.lt(0) : !line.amount.gt(0)) {
      return mismatch(invoice.number, `${at}.amount`, red ? "< 0" : "> 0", money(line.amount), colour);
    }
    if (red ? !line.tax.lte(0) : !line.tax.gte(0)) {
      return mismatch(invoice.number, `${at}.tax`, red ? "≤ 0" : "≥ 0", money(line.tax), colour);
    }
    if (line.qty !== undefined && line.unitPrice !== undefined) {
      const expected = roundMoney(line.qty.times(line.unitPrice), 2);
      if (expected.minus(line.amount).abs().gt(tolerance)) {
        return mismatch(invoice.number, `${at}.amount`, money(expected), money(line.amount), `qty × unitPrice, tolerance ${tolerance.toFixed()}`);
      }
    }
    const expectedTax = roundMoney(line.amount.times(line.taxRate), 2);
    if (expectedTax.minus(line.tax).abs().gt(tolerance)) {
      return mismatch(invoice.number, `${at}.tax`, money(expectedTax), money(line.tax), `amount × rate ${line.taxRate.toFixed()}, rounded half-up, tolerance ${tolerance.toFixed()}`);
    }
  }
  const amount = sumDecimals(invoice.lines.map((line) => line.amount));
  if (!amount.eq(invoice.totals.amount)) {
    return mismatch(invoice.number, "totals.amount", money(amount), money(invoice.totals.amount), "the sum of the lines' amounts");
  }
  const tax = sumDecimals(invoice.lines.map((line) => line.tax));
  if (!tax.eq(invoice.totals.tax)) {
    return mismatch(invoice.number, "totals.tax", money(tax), money(invoice.totals.tax), "the sum of the lines' taxes");
  }
  const total = invoice.totals.amount.plus(invoice.totals.tax);
  if (!total.eq(invoice.totals.total)) {
    return mismatch(invoice.number, "totals.total", money(total), money(invoice.totals.total), "价税合计 = amount + tax");
  }
  return undefined;
};

const freezeDeep = <T>(value: T): T => {
  if (Array.isArray(value)) {
    for (const element of value) freezeDeep(element);
    return Object.freeze(value);
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const element of Object.values(value)) freezeDeep(element);
    return Object.freeze(value);
  }
  return value;
};

/**
 * Checks a 数电发票 (fully digitalised e-invoice): first its shape ({@link DigitalInvoiceSchema};
 * failures are an {@link InvalidInput} naming every field, e.g. `lines.0.taxCode`), then its
 * arithmetic, reporting the first {@link InvoiceMismatch} in the order lines → totals:
 *
 * - a blue invoice's line amounts are > 0 and taxes ≥ 0; a red invoice's amounts < 0 and taxes ≤ 0;
 * - where a line has both, amount = round-half-up(qty × unitPrice, 2) within the line tolerance;
 * - each line's tax = round-half-up(amount × taxRate, 2) within the line tolerance (default 0.01,
 *   see {@link CheckInvoiceOptions.lineTolerance}); half-up rounds away from zero, so a red line
 *   that negates a blue one has exactly the negated tax;
 * - totals.amount and totals.tax are the exact sums of the lines, and totals.total = amount + tax.
 *
 * @returns the parsed invoice (decimals as {@link Dec}, deeply frozen).
 */
export const checkInvoice = (
  input: DigitalInvoiceInput | unknown,
  options: CheckInvoiceOptions = {},
): Result.Result<DigitalInvoice, InvalidInput | InvoiceMismatch> => {
  const parsedOptions = parseInput(OptionsSchema, options, "invoice check options");
  if (Result.isFailure(parsedOptions)) return Result.fail(parsedOptions.failure);
  const parsed = parseInput(DigitalInvoiceSchema, input, "invoice");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const failure = arithmeticMismatch(parsed.success, parsedOptions.success.lineTolerance ?? DEFAULT_LINE_TOLERANCE);
  if (failure !== undefined) return Result.fail(failure);
  return Result.succeed(freezeDeep(parsed.success));
};

/**
 * The trace event of an invoice (kind `invoice`, id = the invoice number, at = the instant of
 * issue), for {@link BusinessTrace.add}.
 */
export const traceEventOfInvoice = (invoice: DigitalInvoice): TraceEvent => ({
  kind: "invoice",
  id: invoice.number,
  businessId: invoice.businessId,
  at: invoice.issuedAt,
});

// ---------------------------------------------------------------------------------------------
// The register
// ---------------------------------------------------------------------------------------------

interface RegisterState {
  /** Every invoice by number, in registration order. */
  readonly invoices: ReadonlyMap<string, DigitalInvoice>;
  /** Invoice numbers per business ID. */
  readonly byBusiness: ReadonlyMap<string, ReadonlyArray<string>>;
  /** Red invoice numbers per blue invoice number. */
  readonly reds: ReadonlyMap<string, ReadonlyArray<string>>;
  /** 红字确认单编号 already used, with the red invoice that used it. */
  readonly confirmations: ReadonlyMap<string, string>;
}

const issuedNanos = (invoice: DigitalInvoice): bigint => instantEpochNanos(invoice.issuedAt) ?? 0n;

const byIssue = (a: DigitalInvoice, b: DigitalInvoice): number => {
  const ta = issuedNanos(a);
  const tb = issuedNanos(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
};

const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => new Map(map).set(key, value);

/**
 * A register of 数电发票: blue invoices (蓝字发票) and the red invoices (红字发票) that reverse them,
 * wholly or in part. Pure and immutable: {@link InvoiceRegister.register} returns a new register and
 * leaves this one as it was.
 *
 * Rules: invoice numbers are unique; a red invoice references a registered blue invoice of the same
 * kind, seller and buyer, is issued no earlier than it, uses a 红字确认单 not used before, and
 * together with the earlier reds of that blue invoice reverses at most its net amount and at most
 * its tax (checked on the totals; the reds' lines are not matched to the blue's lines).
 */
export class InvoiceRegister {
  private constructor(
    private readonly state: RegisterState,
    private readonly options: CheckInvoiceOptions,
  ) {
    Object.freeze(this);
  }

  /**
   * An empty register.
   *
   * @param options - how invoices are checked on {@link InvoiceRegister.register} (see {@link checkInvoice}).
   */
  static empty(options: CheckInvoiceOptions = {}): InvoiceRegister {
    return new InvoiceRegister({ invoices: new Map(), byBusiness: new Map(), reds: new Map(), confirmations: new Map() }, options);
  }

  /**
   * Registers an invoice given as on the wire: checks it with {@link checkInvoice}, then the
   * register's rules (see {@link InvoiceRegister}).
   *
   * @returns a new register holding the invoice, or the first rule broken: {@link InvalidInput} or
   *   {@link InvoiceMismatch} from the check; `DuplicateDocument` for a number already registered;
   *   `UnknownReference` (path `red.blueNumber`) for a red invoice whose blue invoice is not
   *   registered; `RuleViolation` naming the field for a red invoice that references a red one,
   *   differs in kind, seller or buyer, precedes its blue invoice or reuses a 红字确认单; and
   *   {@link RedInvoiceExceedsBlue} when it would reverse more than remains.
   */
  register(input: DigitalInvoiceInput | unknown): Result.Result<InvoiceRegister, InvoiceRegisterError> {
    const checked = checkInvoice(input, this.options);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
    const invoice = checked.success;
    if (this.state.invoices.has(invoice.number)) {
      return Result.fail(new DuplicateDocument({ document: invoice.number, message: `invoice ${invoice.number} is already registered` }));
    }
    let { reds, confirmations } = this.state;
    if (invoice.red !== undefined) {
      const refused = this.redInvoiceProblem(invoice, invoice.red);
      if (refused !== undefined) return Result.fail(refused);
      reds = withEntry(reds, invoice.red.blueNumber, [...(reds.get(invoice.red.blueNumber) ?? []), invoice.number]);
      confirmations = withEntry(confirmations, invoice.red.confirmationNumber, invoice.number);
    }
    const invoices = withEntry(this.state.invoices, invoice.number, invoice);
    const byBusiness = withEntry(this.state.byBusiness, invoice.businessId, [...(this.state.byBusiness.get(invoice.businessId) ?? []), invoice.number]);
    return Result.succeed(new InvoiceRegister({ invoices, byBusiness, reds, confirmations }, this.options));
  }

  private redInvoiceProblem(invoice: DigitalInvoice, red: RedInvoiceReference): InvoiceRegisterError | undefined {
    const blue = this.state.invoices.get(red.blueNumber);
    const number = invoice.number;
    if (blue === undefined) {
      return new UnknownReference({ kind: "blue invoice", ref: red.blueNumber, path: "red.blueNumber", message: `red invoice ${number} references ${red.blueNumber}, which is not a registered invoice` });
    }
    if (blue.red !== undefined) {
      return new RuleViolation({ path: "red.blueNumber", message: `red invoice ${number} references ${red.blueNumber}, which is itself a red invoice` });
    }
    if (blue.kind !== invoice.kind) {
      return new RuleViolation({ path: "kind", message: `red invoice ${number} is ${invoice.kind}, its blue invoice ${blue.number} is ${blue.kind}` });
    }
    if (blue.seller.taxId !== invoice.seller.taxId) {
      return new RuleViolation({ path: "seller.taxId", message: `red invoice ${number} has seller ${invoice.seller.taxId}, its blue invoice ${blue.number} has ${blue.seller.taxId}` });
    }
    if (blue.buyer.taxId !== invoice.buyer.taxId) {
      return new RuleViolation({ path: "buyer.taxId", message: `red invoice ${number} has buyer ${invoice.buyer.taxId ?? "(none)"}, its blue invoice ${blue.number} has ${blue.buyer.taxId ?? "(none)"}` });
    }
    if (blue.buyer.taxId === undefined && blue.buyer.name !== invoice.buyer.name) {
      return new RuleViolation({ path: "buyer.name", message: `red invoice ${number} has buyer ${invoice.buyer.name}, its blue invoice ${blue.number} has ${blue.buyer.name}` });
    }
    if (issuedNanos(invoice) < issuedNanos(blue)) {
      return new RuleViolation({ path: "issuedAt", message: `red invoice ${number} is issued at ${invoice.issuedAt}, before its blue invoice ${blue.number} (${blue.issuedAt})` });
    }
    const usedBy = this.state.confirmations.get(red.confirmationNumber);
    if (usedBy !== undefined) {
      return new RuleViolation({ path: "red.confirmationNumber", message: `红字确认单 ${red.confirmationNumber} was already used by red invoice ${usedBy}` });
    }
    const remaining = this.remaining(blue.number);
    if (remaining === undefined) return undefined; // unreachable: blue is a registered blue invoice
    for (const field of ["amount", "tax"] as const) {
      const requested = invoice.totals[field].neg();
      if (requested.gt(remaining[field])) {
        return new RedInvoiceExceedsBlue({
          invoice: number,
          blueNumber: blue.number,
          field,
          remaining: money(remaining[field]),
          requested: money(requested),
          message: `red invoice ${number} reverses ${field} ${money(requested)} of blue invoice ${blue.number}, of which only ${money(remaining[field])} remains`,
        });
      }
    }
    return undefined;
  }

  /** The invoice with this 发票号码, blue or red. */
  byNumber(number: string): DigitalInvoice | undefined {
    return this.state.invoices.get(number);
  }

  /** The invoices (blue and red) of one business ID, ordered by instant of issue, then number. */
  byBusiness(businessId: string): ReadonlyArray<DigitalInvoice> {
    return this.numbersToInvoices(this.state.byBusiness.get(businessId) ?? []);
  }

  /** The red invoices (红字发票) that reverse this blue invoice, ordered by instant of issue, then number. */
  redsOf(blueNumber: string): ReadonlyArray<DigitalInvoice> {
    return this.numbersToInvoices(this.state.reds.get(blueNumber) ?? []);
  }

  /**
   * What remains of a blue invoice after its red invoices: its totals minus what the reds
   * reverse (positive figures, zero when wholly reversed).
   *
   * @returns `undefined` when `blueNumber` is not a registered blue invoice.
   */
  remaining(blueNumber: string): InvoiceTotals | undefined {
    const blue = this.state.invoices.get(blueNumber);
    if (blue === undefined || blue.red !== undefined) return undefined;
    const reds = this.redsOf(blueNumber);
    const amount = blue.totals.amount.plus(sumDecimals(reds.map((red) => red.totals.amount)));
    const tax = blue.totals.tax.plus(sumDecimals(reds.map((red) => red.totals.tax)));
    return Object.freeze({ amount, tax, total: amount.plus(tax) });
  }

  /** Every registered invoice, in registration order. */
  invoices(): ReadonlyArray<DigitalInvoice> {
    return [...this.state.invoices.values()];
  }

  /** How many invoices are registered. */
  get size(): number {
    return this.state.invoices.size;
  }

  private numbersToInvoices(numbers: ReadonlyArray<string>): ReadonlyArray<DigitalInvoice> {
    const found: DigitalInvoice[] = [];
    for (const number of numbers) {
      const invoice = this.state.invoices.get(number);
      if (invoice !== undefined) found.push(invoice);
    }
    return found.sort(byIssue);
  }
}
