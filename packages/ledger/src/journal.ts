import { Data, Result } from "effect";
import { type Dec, ZERO } from "@jxc/core";
import type { ChartOfAccounts } from "./chart.js";
import { type Voucher, isBalanced, voucherTotals } from "./voucher.js";

/** A voucher the journal refuses: unbalanced, a duplicate id, no business ID, an unknown account, a reversal of nothing. */
export class VoucherRejected extends Data.TaggedError("VoucherRejected")<{
  readonly voucher: string;
  readonly message: string;
}> {}

/** Debit and credit turnover of an account (optionally of one auxiliary value). */
export interface Turnover {
  readonly debit: Dec;
  readonly credit: Dec;
}

/** One row of a trial balance (试算平衡表). */
export interface TrialBalanceRow {
  readonly account: string;
  readonly name: string;
  readonly level: number;
  readonly debit: Dec;
  readonly credit: Dec;
  /** Balance in the account's own direction (余额): debit − credit for debit accounts, credit − debit otherwise. */
  readonly balance: Dec;
  readonly direction: "debit" | "credit";
}

/** A trial balance: rows per account (leaves and their parents) and the grand totals, which must be equal. */
export interface TrialBalance {
  readonly rows: ReadonlyArray<TrialBalanceRow>;
  readonly debit: Dec;
  readonly credit: Dec;
  readonly balanced: boolean;
}

const key = (account: string, dimension: string, value: string) => `${account}|${dimension}=${value}`;

/**
 * The general journal (总账) of one entity: posted vouchers, append-only. Posting is atomic: a
 * batch with one bad voucher posts nothing. A posted voucher is never changed; a correction is
 * its reversal (linked by `reverses`) plus a new voucher. Turnovers per account and per
 * auxiliary value are kept as vouchers arrive, so balances and reconciliation cost no replay.
 */
export class Journal {
  private readonly posted = new Map<string, Voucher>();
  private readonly order: string[] = [];
  private readonly reversedBy = new Map<string, string>();
  private readonly byBusiness = new Map<string, string[]>();
  private readonly turnovers = new Map<string, { debit: Dec; credit: Dec }>();

  /** @param chart The chart every voucher line must post to. */
  constructor(readonly chart: ChartOfAccounts) {}

  /** Posts vouchers atomically, or refuses the batch naming the first bad voucher. */
  post(vouchers: ReadonlyArray<Voucher>): Result.Result<void, VoucherRejected> {
    const ids = new Set<string>();
    for (const v of vouchers) {
      const refuse = (message: string) => Result.fail(new VoucherRejected({ voucher: v.id, message: `voucher ${v.id}: ${message}` }));
      if (this.posted.has(v.id) || ids.has(v.id)) return refuse("already posted");
      if (!v.businessId) return refuse("has no business ID");
      if (!isBalanced(v)) {
        const t = voucherTotals(v);
        return refuse(`does not balance (${t.debit} ≠ ${t.credit})`);
      }
      for (const line of v.lines) if (!this.chart.isPostable(line.account)) return refuse(`account ${line.account} is not a postable account of chart ${this.chart.id}`);
      if (v.reverses !== undefined) {
        if (!this.posted.has(v.reverses) && !vouchers.some((o) => o.id === v.reverses)) return refuse(`reverses ${v.reverses}, which is not posted`);
        if (this.reversedBy.has(v.reverses)) return refuse(`${v.reverses} is already reversed by ${this.reversedBy.get(v.reverses)}`);
      }
      ids.add(v.id);
    }
    for (const v of vouchers) {
      this.posted.set(v.id, v);
      this.order.push(v.id);
      if (v.reverses !== undefined) this.reversedBy.set(v.reverses, v.id);
      const list = this.byBusiness.get(v.businessId) ?? [];
      list.push(v.id);
      this.byBusiness.set(v.businessId, list);
      for (const line of v.lines) {
        this.addTurnover(line.account, line.side, line.amount);
        for (const [dimension, value] of Object.entries(line.auxiliaries)) this.addTurnover(key(line.account, dimension, value), line.side, line.amount);
      }
    }
    return Result.succeed(undefined);
  }

  private addTurnover(k: string, side: "debit" | "credit", amount: Dec): void {
    const t = this.turnovers.get(k) ?? { debit: ZERO, credit: ZERO };
    if (side === "debit") t.debit = t.debit.plus(amount);
    else t.credit = t.credit.plus(amount);
    this.turnovers.set(k, t);
  }

  /** A posted voucher. */
  voucher(id: string): Voucher | undefined {
    return this.posted.get(id);
  }

  /** Every posted voucher, in posting order. */
  vouchers(): Voucher[] {
    return this.order.map((id) => this.posted.get(id)!);
  }

  /** The vouchers of one business ID. */
  ofBusiness(businessId: string): Voucher[] {
    return (this.byBusiness.get(businessId) ?? []).map((id) => this.posted.get(id)!);
  }

  /** The voucher that reverses `id`, if any. */
  reversalOf(id: string): string | undefined {
    return this.reversedBy.get(id);
  }

  /** Turnover of an account, or of one auxiliary value of it (e.g. `warehouse`, `W1`). */
  turnover(account: string, auxiliary?: { readonly dimension: string; readonly value: string }): Turnover {
    const t = this.turnovers.get(auxiliary ? key(account, auxiliary.dimension, auxiliary.value) : account);
    return t ? { debit: t.debit, credit: t.credit } : { debit: ZERO, credit: ZERO };
  }

  /** Debit − credit of an account (or an auxiliary value of it). */
  debitBalance(account: string, auxiliary?: { readonly dimension: string; readonly value: string }): Dec {
    const t = this.turnover(account, auxiliary);
    return t.debit.minus(t.credit);
  }

  /** Values of an auxiliary dimension that appear on an account (e.g. the warehouses of 1405). */
  auxiliaryValues(account: string, dimension: string): string[] {
    const prefix = `${account}|${dimension}=`;
    return [...this.turnovers.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).sort();
  }

  /** The trial balance: every account with turnover, rolled up to its parents; grand totals over leaves. */
  trialBalance(): TrialBalance {
    const rows = new Map<string, { debit: Dec; credit: Dec }>();
    let debit = ZERO;
    let credit = ZERO;
    for (const [k, t] of this.turnovers) {
      if (k.includes("|")) continue;
      debit = debit.plus(t.debit);
      credit = credit.plus(t.credit);
      for (let code: string | undefined = k; code !== undefined; code = this.chart.parent(code)?.code) {
        const r = rows.get(code) ?? { debit: ZERO, credit: ZERO };
        rows.set(code, { debit: r.debit.plus(t.debit), credit: r.credit.plus(t.credit) });
      }
    }
    const out: TrialBalanceRow[] = [...rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([account, t]) => {
        const a = this.chart.account(account);
        const direction = a?.direction ?? "debit";
        return {
          account,
          name: a?.name ?? account,
          level: this.chart.level(account),
          debit: t.debit,
          credit: t.credit,
          direction,
          balance: direction === "debit" ? t.debit.minus(t.credit) : t.credit.minus(t.debit),
        };
      });
    return { rows: out, debit, credit, balanced: debit.eq(credit) };
  }
}
