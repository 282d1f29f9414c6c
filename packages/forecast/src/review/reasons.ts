/**
 * Reason codes of human review (审核原因): a typed, extensible catalogue. The built-in codes are
 * `promotion-known` (a promotion the forecast does not know), `supplier-issue`, `overstock-risk`,
 * `data-error` and `other` (which requires a note). A tenant extends the catalogue with its own
 * codes; decisions are checked against the catalogue of their review log.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";
import { DuplicateReasonCode } from "./errors.js";

/** The built-in reason codes. */
export const BUILT_IN_REASON_CODES = ["promotion-known", "supplier-issue", "overstock-risk", "data-error", "other"] as const;

/** A built-in reason code. */
export type BuiltInReasonCode = (typeof BUILT_IN_REASON_CODES)[number];

/** A reason code: a built-in one or one a catalogue adds (autocompletes the built-ins, accepts any string). */
export type ReasonCode = BuiltInReasonCode | (string & {});

/** The definition of one reason code: code (kebab-case), label, and whether a note is required. */
export const ReasonCodeDefinitionSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case, e.g. supplier-issue"),
  label: z.string().min(1),
  requiresNote: z.boolean().default(false),
});
/** A {@link ReasonCodeDefinitionSchema} input. */
export type ReasonCodeDefinitionInput = z.input<typeof ReasonCodeDefinitionSchema>;
/** A {@link ReasonCodeDefinitionSchema} value. */
export type ReasonCodeDefinition = z.output<typeof ReasonCodeDefinitionSchema>;

/** A set of reason codes, in definition order. */
export interface ReasonCatalogue {
  /** The definitions, in order. */
  readonly codes: ReadonlyArray<ReasonCodeDefinition>;
}

/** The built-in catalogue (labels in Chinese and English). */
export const defaultReasonCatalogue: ReasonCatalogue = Object.freeze({
  codes: Object.freeze([
    { code: "promotion-known", label: "已知促销 promotion known to the reviewer", requiresNote: false },
    { code: "supplier-issue", label: "供应商问题 supplier issue", requiresNote: false },
    { code: "overstock-risk", label: "积压风险 overstock risk", requiresNote: false },
    { code: "data-error", label: "数据错误 data error", requiresNote: false },
    { code: "other", label: "其他 other (note required)", requiresNote: true },
  ]),
});

/**
 * A catalogue extended with more codes (appended after the base's). Fails with `InvalidInput` on
 * a malformed definition and {@link DuplicateReasonCode} when a code is already defined.
 */
export const extendReasonCatalogue = (
  base: ReasonCatalogue,
  definitions: unknown,
): Result.Result<ReasonCatalogue, InvalidInput | DuplicateReasonCode> => {
  const parsed = parseInput(z.array(ReasonCodeDefinitionSchema), definitions, "reason codes");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const known = new Set(base.codes.map((c) => c.code));
  for (const d of parsed.success) {
    if (known.has(d.code)) return Result.fail(new DuplicateReasonCode({ code: d.code }));
    known.add(d.code);
  }
  return Result.succeed({ codes: [...base.codes, ...parsed.success] });
};

/** The definition of `code` in a catalogue, or `undefined`. */
export const findReasonCode = (catalogue: ReasonCatalogue, code: string): ReasonCodeDefinition | undefined =>
  catalogue.codes.find((c) => c.code === code);
