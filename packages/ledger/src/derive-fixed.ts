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
  // the summed voucher lines in the order they first appear, as parallel arrays: account, template
  // line (side, summary, auxiliary dimensions), the event line whose auxiliary values they carry,
  // amount, and voucher (index into kinds)
  const accAccount: string[] = [];
  const accTl: CompiledLine[] = [];
  const accLine: LineRecord[] = [];
  const accAmount: number[] = [];
  const accKind: number[] = [];
  // the value of each summed line's last auxiliary dimension ("" for none): the candidates a new
  // line may sum into have its value; past SCAN_LIMIT lines they are found through byTail,
  // chained by accNext
  const accTail: string[] = [];
  let byTail: Map<string, number> | undefined;
  const accNext: number[] = [];
  const kinds: string[] = [];
  for (let t = 0; t < tls.length; t++) {
    const tl = tls[t]!;
    const f = tl.factors;
    const f0 = f[0]!, f1 = f[1]!, f2 = f[2]!, f3 = f[3]!, f4 = f[4]!, f5 = f[5]!, f6 = f[6]!, f7 = f[7]!;
    const dims = tl.auxiliaries;
    const side = tl.side;
    const weight = Math.abs(f0) + Math.abs(f1) + Math.abs(f2) + Math.abs(f3) + Math.abs(f4) + Math.abs(f5) + Math.abs(f6) + Math.abs(f7);
    // every term stays within 2^52 (and so every partial sum is exact) when weight × largest ≤ 2^52
    const careful = weight * largest > FIXED_LIMIT;
    let kind = -1;
    let last = -1;
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
      if (kind < 0) {
        kind = kinds.indexOf(tl.voucher);
        if (kind < 0) kind = kinds.push(tl.voucher) - 1;
      }
      // lines sum by account, side and auxiliary values (most template lines sum every event line
      // into one: the last one is tried first)
      let found = last >= 0 && accAccount[last] === account && sameKey(accTl[last]!, accLine[last]!, tl, line, event) ? last : -1;
      let tail = "";
      if (found < 0) {
        if (dims.length > 0) tail = auxiliaryValue(dims[dims.length - 1]!, line, event) ?? "";
        if (byTail === undefined) {
          for (let e = 0; e < accTail.length; e++)
            if (accTail[e] === tail && accKind[e] === kind && accAccount[e] === account && accTl[e]!.side === side && sameKey(accTl[e]!, accLine[e]!, tl, line, event)) {
              found = e;
              break;
            }
        } else
          for (let e = byTail.get(tail) ?? -1; e >= 0; e = accNext[e]!)
            if (accKind[e] === kind && accAccount[e] === account && accTl[e]!.side === side && sameKey(accTl[e]!, accLine[e]!, tl, line, event)) {
              found = e;
              break;
            }
      }
      if (found >= 0) {
        const sum = accAmount[found]! + value;
        if (!inRange(sum)) return undefined;
        accAmount[found] = sum;
        last = found;
      } else {
        // the reference sums by the key `account|side|value…` ("" for an absent value), where
        // values holding a `|` may meet another key (`a|b` + `c` is `a` + `b|c`): such go the
        // reference way. Two keys can meet only if one holds a `|`, and every key is checked here
        // when its first line is added.
        for (let k = 0; k < dims.length; k++) {
          const v = auxiliaryValue(dims[k]!, line, event);
          if (v !== undefined && v.includes("|")) return undefined;
        }
        last = accAccount.push(account) - 1;
        accTail.push(tail);
        if (byTail === undefined && last === SCAN_LIMIT) {
          byTail = new Map();
          for (let e = 0; e < last; e++) {
            accNext.push(byTail.get(accTail[e]!) ?? -1);
            byTail.set(accTail[e]!, e);
          }
        }
        if (byTail !== undefined) {
          accNext.push(byTail.get(tail) ?? -1);
          byTail.set(tail, last);
        }
        accTl.push(tl);
        accLine.push(line);
        accAmount.push(value);
        accKind.push(kind);
      }
    }
  }
  const day = date ?? businessDate(event.at, entity.timeZone);
  const vouchers: Voucher[] = [];
  for (let g = 0; g < kinds.length; g++) {
    const voucherLines: VoucherLine[] = [];
    let debit = 0;
    let credit = 0;
    for (let e = 0; e < accAccount.length; e++) {
      const amount = accAmount[e]!;
      if (accKind[e] !== g || amount === 0) continue;
      const tl = accTl[e]!;
      if (tl.side === "debit") debit += amount;
      else credit += amount;
      if (!inRange(debit) || !inRange(credit)) return undefined;
      voucherLines.push({ account: accAccount[e]!, side: tl.side, amount: decOfUnits(amount, scale), auxiliaries: auxiliariesOf(tl.auxiliaries, accLine[e]!, event), summary: tl.summary });
    }
    if (voucherLines.length === 0) continue;
    // an unbalanced voucher (or totals beyond the exact range) is for the reference path to report
    if (debit !== credit) return undefined;
    const kind = kinds[g]!;
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

/** How many summed lines of an event are searched one by one before they are indexed by their last auxiliary value. */
const SCAN_LIMIT = 48;

/** Whether two template lines on two event lines give the same auxiliary values, position by position ("" for an absent one). */
const sameKey = (a: CompiledLine, lineA: LineRecord, b: CompiledLine, lineB: LineRecord, event: EventRecord): boolean => {
  const da = a.auxiliaries;
  const db = b.auxiliaries;
  if (da.length !== db.length) return false;
  for (let k = 0; k < da.length; k++) if ((auxiliaryValue(da[k]!, lineA, event) ?? "") !== (auxiliaryValue(db[k]!, lineB, event) ?? "")) return false;
  return true;
};

/** The auxiliaries (辅助核算) of a voucher line: the values of its dimensions that the event or its line gives. */
const auxiliariesOf = (dims: ReadonlyArray<string>, line: LineRecord, event: EventRecord): Record<string, string> => {
  if (dims.length === 2 && dims[0] === "warehouse" && dims[1] === "item" && line.warehouse !== undefined) return { warehouse: line.warehouse, item: line.item };
  const auxiliaries: Record<string, string> = {};
  for (let k = 0; k < dims.length; k++) {
    const dim = dims[k]!;
    const v = auxiliaryValue(dim, line, event);
    if (v !== undefined) auxiliaries[dim] = v;
  }
  return auxiliaries;
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
