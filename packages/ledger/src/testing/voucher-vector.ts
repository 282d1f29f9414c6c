import { Result } from "effect";
import { z } from "zod";
import { Dec } from "@jxc/core";
import { casChart, smallEnterpriseChart } from "../chart.js";
import { deriveVouchers } from "../derive.js";
import { loadTemplates } from "../template.js";
import { defaultTemplateSet } from "../templates-default.js";
import { isBalanced } from "../voucher.js";

const Amount = z.string().regex(/^[+-]?\d+(\.\d+)?$/);

/** The shape of a voucher golden vector (see ../shared/conformance/README.md). */
export const VoucherVectorSchema = z.object({
  name: z.string(),
  entity: z.object({ taxpayer: z.enum(["general", "small-scale"]), standard: z.enum(["CAS", "small-enterprise"]).optional() }).passthrough(),
  document: z.record(z.string(), z.unknown()),
  expect: z.object({
    lines: z.array(z.object({ account: z.string(), debit: Amount.optional(), credit: Amount.optional() })).optional(),
    error: z.object({ tag: z.string().optional() }).optional(),
  }),
});

/** The outcome of one voucher vector: its name and every mismatch (none when it passes). */
export interface VoucherVectorOutcome {
  readonly name: string;
  readonly failures: ReadonlyArray<string>;
}

/**
 * Runs one voucher golden vector: derives the vouchers of its document with the default templates
 * over the default chart of the entity's standard, checks that each voucher balances, and compares
 * the amounts summed per account and side with the expected lines summed the same way.
 */
export const runVoucherVector = (json: unknown): VoucherVectorOutcome => {
  const parsed = VoucherVectorSchema.safeParse(json);
  const name = typeof (json as { name?: unknown })?.name === "string" ? (json as { name: string }).name : "(unnamed)";
  if (!parsed.success) return { name, failures: [`unreadable vector: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`] };
  const v = parsed.data;
  const standard = v.entity.standard ?? "CAS";
  const chart = standard === "CAS" ? casChart() : smallEnterpriseChart();
  const templates = loadTemplates(defaultTemplateSet, chart);
  if (Result.isFailure(templates)) return { name: v.name, failures: [`default templates: ${templates.failure.message}`] };
  const derived = deriveVouchers({ ...v.document, document: v.document["document"] ?? v.document["id"] }, chart, templates.success, { ...v.entity, standard });
  if (v.expect.error) {
    if (Result.isSuccess(derived)) return { name: v.name, failures: [`expected error ${v.expect.error.tag ?? "(any)"}, but vouchers were derived`] };
    const tag = derived.failure._tag;
    return { name: v.name, failures: v.expect.error.tag && v.expect.error.tag !== tag ? [`expected error ${v.expect.error.tag}, got ${tag}`] : [] };
  }
  if (Result.isFailure(derived)) return { name: v.name, failures: [`derivation failed: ${derived.failure.message}`] };
  const failures: string[] = [];
  for (const voucher of derived.success) if (!isBalanced(voucher)) failures.push(`voucher ${voucher.id} does not balance`);
  const sum = (entries: Iterable<[string, Dec]>) => {
    const totals = new Map<string, Dec>();
    for (const [key, amount] of entries) totals.set(key, (totals.get(key) ?? new Dec(0)).plus(amount));
    return totals;
  };
  const actual = sum(derived.success.flatMap((voucher) => voucher.lines.map((l): [string, Dec] => [`${l.account} ${l.side}`, l.amount])));
  const expected = sum(
    (v.expect.lines ?? []).flatMap((l): [string, Dec][] => [
      ...(l.debit !== undefined ? [[`${l.account} debit`, new Dec(l.debit)] as [string, Dec]] : []),
      ...(l.credit !== undefined ? [[`${l.account} credit`, new Dec(l.credit)] as [string, Dec]] : []),
    ]),
  );
  for (const [key, amount] of expected) {
    const got = actual.get(key);
    if (!got || !got.eq(amount)) failures.push(`${key}: expected ${amount.toFixed(2)}, got ${got ? got.toFixed(2) : "nothing"}`);
  }
  for (const [key, amount] of actual) if (!expected.has(key) && !amount.isZero()) failures.push(`${key}: ${amount.toFixed(2)} not expected`);
  return { name: v.name, failures };
};
