import type { AccountCategory, AccountInput, BalanceDirection } from "./chart.js";

/** Optional parts of a built-in account row. */
type Extra = Pick<AccountInput, "auxiliaries" | "roles" | "postable">;

/** A built-in account written compactly: code, Chinese name, English name, balance direction, extras. */
export type AccountRow = readonly [code: string, name: string, nameEn: string, direction: BalanceDirection, extra?: Extra];

/** The accounts of one category (资产, 负债…) of a built-in chart, from compact rows. */
export const accountSection = (category: AccountCategory, rows: ReadonlyArray<AccountRow>): AccountInput[] =>
  rows.map(([code, name, nameEn, direction, extra]) => ({ code, name, nameEn, direction, category, ...extra }));
