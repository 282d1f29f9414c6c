import { Result } from "effect";
import { type Dec, InvalidInput, type RuleEvaluationError, ZERO, businessDate, roundMoney } from "@jxc/core";
import { type BaseAmount, evaluateAmount } from "./amount.js";
import type { ChartOfAccounts } from "./chart.js";
import { AccountError, LockedAccountMapping, TemplateSelection, UnbalancedVoucher } from "./errors.js";
import type { BusinessEvent, Entity, EventLine } from "./event.js";
import { type CompiledLine, type TemplateSet, chooseTemplate, resolveAccountName } from "./template.js";
import { type Voucher, type VoucherLine, isBalanced, voucherTotals } from "./voucher.js";

/** Every failure of voucher derivation (`deriveVouchers`). */
export type DerivationError = InvalidInput | TemplateSelection | AccountError | LockedAccountMapping | UnbalancedVoucher | RuleEvaluationError;

/**
 * The base amounts of one event line: net and tax per line with half-up rounding (含税价: net =
 * round(gross ÷ (1 + rate)), tax = gross − net; otherwise tax = round(net × rate)), and the cost,
 * fee, given amount, and stocktake gain or loss.
 */
export const lineAmounts = (line: EventLine, priceIncludesTax: boolean, scale: number): Record<BaseAmount, Dec> => {
  const rate = line.taxRate ?? ZERO;
  let net = ZERO;
  let tax = ZERO;
  if (line.unitPrice !== undefined && line.qty !== undefined) {
    const extended = roundMoney(line.qty.abs().times(line.unitPrice), scale);
    if (priceIncludesTax) {
      net = roundMoney(extended.dividedBy(rate.plus(1)), scale);
      tax = extended.minus(net);
    } else {
      net = extended;
      tax = roundMoney(net.times(rate), scale);
    }
  }
  const cost = line.cost === undefined ? ZERO : roundMoney(line.cost, scale);
  const signed = line.qty ?? ZERO;
  return {
    net,
    tax,
    cost,
    fee: line.fee === undefined ? ZERO : roundMoney(line.fee, scale),
    amount: line.amount === undefined ? ZERO : roundMoney(line.amount, scale),
    gain: signed.gt(0) ? cost : ZERO,
    loss: signed.lt(0) ? cost : ZERO,
    lossTax: signed.lt(0) ? tax : ZERO,
  };
};

/**
 * The reference derivation, in decimal.js throughout: `(parsed event, chart, templates, entity) →
 * vouchers`. The template is chosen by event type and the entity's qualification (taxpayer,
 * standard, export rebate); each template line is evaluated per event line, its account resolved
 * (by code, role or mapping), and lines with the same account, side and auxiliaries are summed.
 * The fast integer path of `deriveVouchers` gives the same vouchers and falls back to this
 * one for whatever it does not cover (large or exponent decimals, account overrides, errors).
 */
export const deriveWithDecimals = (event: BusinessEvent, chart: ChartOfAccounts, templates: TemplateSet, entity: Entity): Result.Result<Voucher[], DerivationError> => {
  const choice = chooseTemplate(templates, event, entity);
  if (!("none" in choice) && !("template" in choice)) return Result.fail(choice);
  if ("none" in choice)
    return Result.fail(
      new TemplateSelection({
        event: event.type,
        candidates: choice.candidates,
        message:
          choice.candidates.length === 0
            ? `no template of set ${templates.id} fits ${event.type} for a ${entity.taxpayer} taxpayer under ${entity.standard}`
            : `templates ${choice.candidates.join(", ")} fit ${event.type} equally; make one more specific`,
      }),
    );
  const template = choice.template;
  for (const [key] of Object.entries(event.accountOverrides)) {
    const line = template.lines.find((l) => l.key === key);
    if (!line)
      return Result.fail(
        new InvalidInput({
          subject: "business event",
          issues: [{ path: `accountOverrides.${key}`, message: `template ${template.id} has no line ${key}` }],
          message: `accountOverrides.${key}: template ${template.id} has no line ${key} (keys: ${template.lines.flatMap((l) => (l.key ? [l.key] : [])).join(", ")})`,
        }),
      );
    if (line.locked)
      return Result.fail(new LockedAccountMapping({ template: template.id, line: key, message: `template ${template.id} locks the account of line ${key}; a document cannot override it` }));
  }
  const amounts = event.lines.map((line) => lineAmounts(line, event.priceIncludesTax, entity.moneyScale));
  const negate = template.sign === -1;
  type Accumulating = { account: string; side: "debit" | "credit"; amount: Dec; auxiliaries: Record<string, string>; summary: string | undefined };
  const groups = new Map<string, Map<string, Accumulating>>();
  for (const [t, tl] of template.lines.entries()) {
    let group = groups.get(tl.voucher);
    for (const [i, line] of event.lines.entries()) {
      let value = evaluateAmount(tl.formula, amounts[i]!);
      if (value.isZero()) continue;
      if (negate) value = value.negated();
      const account = accountOf(tl, line, event, chart, t, template.id);
      if (typeof account !== "string") return Result.fail(account);
      const auxiliaries = auxiliariesOf(tl, line, event);
      let key = `${account}|${tl.side}`;
      for (const dim of tl.auxiliaries) key += `|${auxiliaries[dim] ?? ""}`;
      if (!group) groups.set(tl.voucher, (group = new Map()));
      const known = group.get(key);
      if (known) known.amount = known.amount.plus(value);
      else group.set(key, { account, side: tl.side, amount: value, auxiliaries, summary: tl.summary });
    }
  }
  const date = businessDate(event.at, entity.timeZone);
  const vouchers: Voucher[] = [];
  for (const [kind, lines] of groups) {
    const voucher: Voucher = {
      id: `${entity.id}/${event.businessId}/${event.document ?? event.at}/${event.type}/${kind}`,
      businessId: event.businessId,
      document: event.document,
      event: event.type,
      kind,
      template: template.id,
      entity: entity.id,
      at: event.at,
      date,
      lines: [...lines.values()].filter((l) => !l.amount.isZero()).map((l): VoucherLine => ({ account: l.account, side: l.side, amount: l.amount, auxiliaries: l.auxiliaries, summary: l.summary })),
      ...(choice.explanation ? { selection: choice.explanation } : {}),
    };
    if (voucher.lines.length === 0) continue;
    if (!isBalanced(voucher)) {
      const { debit, credit } = voucherTotals(voucher);
      return Result.fail(new UnbalancedVoucher({ voucher: voucher.id, debit: debit.toString(), credit: credit.toString(), message: `voucher ${voucher.id} does not balance: ${debit} ≠ ${credit}` }));
    }
    vouchers.push(voucher);
  }
  return Result.succeed(vouchers);
};

const accountOf = (tl: CompiledLine, line: EventLine, event: BusinessEvent, chart: ChartOfAccounts, index: number, template: string): string | AccountError => {
  const override = tl.key !== undefined ? event.accountOverrides[tl.key] : undefined;
  if (override !== undefined) return resolveAccountName({ code: override }, chart, `accountOverrides.${tl.key}`);
  if (tl.code !== undefined) return tl.code;
  const path = `template ${template} line ${index}`;
  const ref = tl.account;
  if (!("mapping" in ref)) return resolveAccountName(ref, chart, path);
  const by = ref.mapping.by;
  const value = by === "category" ? line.category : by === "warehouse" ? line.warehouse : event.counterpartyType;
  const name = (value !== undefined ? ref.mapping.map[value] : undefined) ?? ref.mapping.default;
  return resolveAccountName(name, chart, path);
};

const auxiliariesOf = (tl: CompiledLine, line: EventLine, event: BusinessEvent): Record<string, string> => {
  const aux: Record<string, string> = {};
  for (const dim of tl.auxiliaries) {
    const value =
      dim === "customer" ? event.customer : dim === "supplier" ? event.supplier : dim === "item" ? line.item : dim === "warehouse" ? line.warehouse : dim === "project" ? line.project : line.department;
    if (value !== undefined) aux[dim] = value;
  }
  return aux;
};
