import { z } from "zod";
import { DecimalString } from "./decimal.js";
import { ValuationMethodSchema } from "./item.js";

/** The grain at which stock is valued: one cost pool per item × company, × warehouse or × location. */
export const ValuationGrainSchema = z.enum(["company", "warehouse", "location"]);
/** A parsed {@link ValuationGrainSchema}. */
export type ValuationGrain = z.output<typeof ValuationGrainSchema>;

/** Settings of a tenant's stock ledger, validated when the ledger is created. */
export const LedgerSettingsSchema = z
  .object({
    /** Cost pool grain; `warehouse` by default. */
    grain: ValuationGrainSchema.default("warehouse"),
    /** Value each lot as its own position too. */
    byLot: z.boolean().default(false),
    /** Default valuation method of the tenant. */
    method: ValuationMethodSchema.default("moving-average"),
    /** Method per item category; an item's own `method` wins over it. */
    methodByCategory: z.record(z.string(), ValuationMethodSchema).default({}),
    /** LIFO is not allowed under CAS (since 2007) or IFRS; it must be enabled explicitly. */
    allowLifo: z.boolean().default(false),
    /** `replay` re-values later moves of the touched positions; `immutable` posts the difference as adjustments. */
    backdating: z.enum(["replay", "immutable"]).default("replay"),
    /** `reject` refuses an issue beyond on-hand; `allow` costs it provisionally and trues it up when stock arrives. */
    negativeStock: z.enum(["reject", "allow"]).default("reject"),
    /** Unit cost used for a shortage when the position has never had a cost (negative stock `allow`). */
    provisionalUnitCost: DecimalString.optional(),
    /** Decimal places of money, rounded half-up (2 = 分). */
    moneyScale: z.number().int().min(0).max(8).default(2),
    /** The zone in which months (periods) are cut. */
    timeZone: z.string().min(1).default("Asia/Shanghai"),
    /**
     * How valuation computes: `fixed` (default) values moving-average and FIFO positions in exact
     * scaled integers and switches a position to decimal.js at the first move that needs it
     * (shortages, landed costs, figures beyond 2^52…); `decimal` uses decimal.js for every move,
     * a reference for audits. Both give identical results, to the last digit.
     */
    arithmetic: z.enum(["fixed", "decimal"]).default("fixed"),
    /** A checkpoint of each position's valuation state is kept every this many moves. */
    checkpointEvery: z.number().int().min(1).max(1_000_000).default(64),
  })
  .superRefine((s, ctx) => {
    const methods = [s.method, ...Object.values(s.methodByCategory)];
    if (!s.allowLifo && methods.includes("lifo"))
      ctx.addIssue({ code: "custom", path: ["method"], message: "LIFO is not allowed under CAS and IFRS; set allowLifo to opt in" });
    try {
      new Intl.DateTimeFormat("en", { timeZone: s.timeZone });
    } catch {
      ctx.addIssue({ code: "custom", path: ["timeZone"], message: `unknown time zone ${s.timeZone}` });
    }
  });
/** Parsed ledger settings. */
export type LedgerSettings = z.output<typeof LedgerSettingsSchema>;
/** Ledger settings as written in configuration. */
export type LedgerSettingsInput = z.input<typeof LedgerSettingsSchema>;
