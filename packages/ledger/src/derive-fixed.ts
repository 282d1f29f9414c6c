/**
 * The fast path of voucher derivation: amounts as scaled integers (units of 10^-moneyScale) in
 * doubles, every intermediate checked to stay within 2^52 so that it is exact, converted to
 * {@link Dec} only at the voucher boundary. It gives the vouchers of the reference decimal.js
 * derivation (`deriveWithDecimals`) to the digit, and answers `undefined` — take the reference
 * path — for whatever it does not cover: decimals outside the integer range, account overrides,
 * mappings resolved against another chart, and every failure (so errors come from one place).
 *
 * Internal to `@jxc/ledger`: not exported from the package index.
 */
import { businessDate } from "@jxc/core";
import type { ChartOfAccounts } from "./chart.js";
import type { Entity } from "./event.js";
import { type EventRecord, FIXED_LIMIT, type LineRecord } from "./event-read.js";
import { POW10, decOfUnits, divHalfUp, inRange, rescale } from "./fixed-units.js";
import { type CompiledLine, type TemplateSet, chooseTemplate } from "./template.js";
import type { Voucher, VoucherLine } from "./voucher.js";

/**
 * The eight base amounts of every line (in the order of `BASE_AMOUNTS`: net, tax, cost, fee,
 * amount, gain, loss, lossTax) as integers of units 10^-scale, written into `out` at 8 × line.
 * Returns the largest magnitude among them, or −1 when one leaves the exact range.
 */
export const baseAmounts = (lines: ReadonlyArray<LineRecord>, priceIncludesTax: boolean, scale: number, out: number[]): number => {
  let largest = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let net = 0;
    let tax = 0;
    if (line.hasPrice && line.hasQty) {
      const qty = line.qtyM < 0 ? -line.qtyM : line.qtyM;
      const product = qty * line.priceM;
      if (!inRange(product)) return -1;
      const extended = rescale(product, line.qtyP + line.priceP, scale);
      if (extended !== extended) return -1;
      if (priceIncludesTax) {
        // net = round(extended ÷ (1 + rate)): exact rational rounding; the 34-digit quotient of
        // decimal.js rounds the same way, since a quotient with denominator < 2^52 cannot come
        // within 10^-18 units of a half without being one
        const denominator = POW10[line.rateP]! + line.rateM;
        if (!(denominator > 0)) return -1;
        const numerator = extended * POW10[line.rateP]!;
        if (!inRange(numerator)) return -1;
        net = divHalfUp(numerator, denominator);
        if (net !== net) return -1;
        tax = extended - net;
      } else {
        net = extended;
        const taxed = net * line.rateM;
        if (!inRange(taxed)) return -1;
        tax = rescale(taxed, line.rateP + scale, scale);
        if (tax !== tax) return -1;
      }
    }
    const cost = line.costM === 0 ? 0 : rescale(line.costM, line.costP, scale);
    const fee = line.feeM === 0 ? 0 : rescale(line.feeM, line.feeP, scale);
    const amount = line.amountM === 0 ? 0 : rescale(line.amountM, line.amountP, scale);
    if (cost !== cost || fee !== fee || amount !== amount) return -1;
    const o = 8 * i;
    out[o] = net;
    out[o + 1] = tax;
    out[o + 2] = cost;
    out[o + 3] = fee;
    out[o + 4] = amount;
    out[o + 5] = line.qtyM > 0 ? cost : 0;
    out[o + 6] = line.qtyM < 0 ? cost : 0;
    out[o + 7] = line.qtyM < 0 ? tax : 0;
    const big = Math.max(Math.abs(net), Math.abs(tax), Math.abs(cost), Math.abs(fee), Math.abs(amount));
    if (big > largest) largest = big;
  }
  return largest;
};

/** One summed voucher line while it accumulates. */
interface Accumulating {
  readonly account: string;
  readonly side: "debit" | "credit";
  amount: number;
  readonly auxiliaries: Record<string, string>;
  readonly summary: string | undefined;
  /** The auxiliary values of the key ("" for an absent one). */
  readonly values: ReadonlyArray<string>;
}

/** The summed lines of one voucher, in the order they first appeared, and the maps that find them. */
interface Group {
  readonly byAccount: Map<string, Accumulating[]>;
  readonly lines: Accumulating[];
}

const auxiliaryValue = (dim: string, line: LineRecord, event: EventRecord): string | undefined =>
  dim === "customer" ? event.customer : dim === "supplier" ? event.supplier : dim === "item" ? line.item : dim === "warehouse" ? line.warehouse : dim === "project" ? line.project : line.department;

/** The account of a template line for one event line, from what was compiled at load; undefined: take the reference path. */
const accountOfLine = (tl: CompiledLine, line: LineRecord, event: EventRecord): string | undefined => {
  const mapped = tl.mapped;
  if (mapped === undefined) return tl.code;
  const value = mapped.by === "category" ? line.category : mapped.by === "warehouse" ? line.warehouse : event.counterpartyType;
  if (value === undefined) return mapped.fallback;
  const code = mapped.codes.get(value);
  if (code !== undefined) return code;
  // a value the mapping does not list takes the default, unless it names an inherited property
  // of the map object (`toString`…), which the reference resolves its own way
  return "mapping" in tl.account && (tl.account.mapping.map as Record<string, unknown>)[value] !== undefined ? undefined : mapped.fallback;
};

/**
 * Derives the vouchers of a read event on the integer path, or answers undefined when the
 * reference decimal.js path must decide (see the module comment).
 */
export const deriveFixed = (event: EventRecord, chart: ChartOfAccounts, templates: TemplateSet, entity: Entity, date?: string): Voucher[] | undefined => {
  if (!event.exact) return undefined;
  // the same choice as the reference path; none, a tie or a failing rule is for it to report
  const choice = chooseTemplate(templates, event, entity);
  if (!("template" in choice)) return undefined;
  const template = choice.template;
  const selection = choice.explanation;
  const overrides = event.accountOverrides;
  for (const _ in overrides) if (Object.prototype.hasOwnProperty.call(overrides, _)) return undefined;
  const mappingsHold = templates.chart === chart;
  const tls = template.lines;
  for (let t = 0; t < tls.length; t++) {
    const tl = tls[t]!;
    if (tl.factors === undefined) return undefined;
    if (tl.key !== undefined && overrides[tl.key] !== undefined) return undefined;
    if (tl.mapped === undefined ? tl.code === undefined : !mappingsHold) return undefined;
  }
  const scale = entity.moneyScale;
  const lines = event.lines;
  const n = lines.length;
  const base: number[] = new Array<number>(8 * n);
  const largest = baseAmounts(lines, event.priceIncludesTax, scale, base);
  if (largest < 0) return undefined;
  const negate = template.sign === -1;
  const values: string[] = [];
  const kinds: string[] = [];
  const groups: Group[] = [];
  for (let t = 0; t < tls.length; t++) {
    const tl = tls[t]!;
    const f = tl.factors;
    const f0 = f[0]!, f1 = f[1]!, f2 = f[2]!, f3 = f[3]!, f4 = f[4]!, f5 = f[5]!, f6 = f[6]!, f7 = f[7]!;
    const dims = tl.auxiliaries;
    const weight = Math.abs(f0) + Math.abs(f1) + Math.abs(f2) + Math.abs(f3) + Math.abs(f4) + Math.abs(f5) + Math.abs(f6) + Math.abs(f7);
    // every term stays within 2^52 (and so every partial sum is exact) when weight × largest ≤ 2^52
    const careful = weight * largest > FIXED_LIMIT;
    let group: Group | undefined;
    let last: Accumulating | undefined;
    for (let i = 0; i < n; i++) {
      const o = 8 * i;
      let value = 0;
      if (careful) {
        value = exactSum(f, base, o);
        if (value !== value) return undefined;
      } else {
        if (f0 !== 0) value += f0 * base[o]!;
        if (f1 !== 0) value += f1 * base[o + 1]!;
        if (f2 !== 0) value += f2 * base[o + 2]!;
        if (f3 !== 0) value += f3 * base[o + 3]!;
        if (f4 !== 0) value += f4 * base[o + 4]!;
        if (f5 !== 0) value += f5 * base[o + 5]!;
        if (f6 !== 0) value += f6 * base[o + 6]!;
        if (f7 !== 0) value += f7 * base[o + 7]!;
      }
      if (value === 0) continue;
      if (negate) value = -value;
      const line = lines[i]!;
      const account = accountOfLine(tl, line, event);
      if (account === undefined) return undefined;
      if (group === undefined) {
        const at = kinds.indexOf(tl.voucher);
        if (at >= 0) group = groups[at]!;
        else {
          kinds.push(tl.voucher);
          groups.push((group = { byAccount: new Map(), lines: [] }));
        }
      }
      // the reference sums by the key `account|side|value…` (one value per auxiliary, "" when
      // absent); here by account, then side, number of values and the values themselves — the
      // same key as long as no value holds a `|` (`a|b` + `c` is `a` + `b|c` there): such go the
      // reference way
      for (let k = 0; k < dims.length; k++) {
        const v = auxiliaryValue(dims[k]!, line, event);
        if (v !== undefined && v.includes("|")) return undefined;
        values[k] = v ?? "";
      }
      // most template lines sum every event line into one voucher line: try the last one first
      let known = last !== undefined && last.account === account && sameValues(last.values, values) ? last : undefined;
      let list: Accumulating[] | undefined;
      if (known === undefined) {
        list = group.byAccount.get(account);
        if (list === undefined) group.byAccount.set(account, (list = []));
        for (let e = 0; e < list.length; e++) {
          const candidate = list[e]!;
          if (candidate.side === tl.side && candidate.values.length === dims.length && sameValues(candidate.values, values)) {
            known = candidate;
            break;
          }
        }
      }
      if (known !== undefined) {
        const sum = known.amount + value;
        if (!inRange(sum)) return undefined;
        known.amount = sum;
        last = known;
      } else {
        const auxiliaries: Record<string, string> = {};
        for (let k = 0; k < dims.length; k++) {
          const dim = dims[k]!;
          const v = auxiliaryValue(dim, line, event);
          if (v !== undefined) auxiliaries[dim] = v;
        }
        const entry: Accumulating = { account, side: tl.side, amount: value, auxiliaries, summary: tl.summary, values: values.slice(0, dims.length) };
        list!.push(entry);
        group.lines.push(entry);
        last = entry;
      }
    }
  }
  const day = date ?? businessDate(event.at, entity.timeZone);
  const vouchers: Voucher[] = [];
  for (let g = 0; g < groups.length; g++) {
    const kind = kinds[g]!;
    const voucherLines: VoucherLine[] = [];
    let debit = 0;
    let credit = 0;
    for (const l of groups[g]!.lines) {
      if (l.amount === 0) continue;
      if (l.side === "debit") debit += l.amount;
      else credit += l.amount;
      if (!inRange(debit) || !inRange(credit)) return undefined;
      voucherLines.push({ account: l.account, side: l.side, amount: decOfUnits(l.amount, scale), auxiliaries: l.auxiliaries, summary: l.summary });
    }
    if (voucherLines.length === 0) continue;
    // an unbalanced voucher (or totals beyond the exact range) is for the reference path to report
    if (debit !== credit) return undefined;
    vouchers.push({
      id: `${entity.id}/${event.businessId}/${event.document ?? event.at}/${event.type}/${kind}`,
      businessId: event.businessId,
      document: event.document,
      event: event.type,
      kind,
      template: template.id,
      entity: entity.id,
      at: event.at,
      date: day,
      lines: voucherLines,
      ...(selection ? { selection } : {}),
    });
  }
  return vouchers;
};

/** Whether the first `a.length` values of `b` are those of `a`. */
const sameValues = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
};

/** A line value term by term, every term and partial sum checked to stay exact; NaN when one does not. */
const exactSum = (f: ReadonlyArray<number>, base: ReadonlyArray<number>, o: number): number => {
  let total = 0;
  for (let k = 0; k < 8; k++) {
    const factor = f[k]!;
    if (factor === 0) continue;
    const term = factor * base[o + k]!;
    if (!inRange(term)) return Number.NaN;
    total += term;
    if (!inRange(total)) return Number.NaN;
  }
  return total;
};
