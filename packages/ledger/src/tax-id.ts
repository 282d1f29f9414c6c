import { z } from "zod";

/**
 * The 31 characters a 统一社会信用代码 (unified social credit code) may contain, in the order of
 * their values 0–30 (GB 32100-2015): the digits and the capital letters without I, O, Z, S, V.
 */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** Weights of positions 1–17 (3^(i-1) mod 31), GB 32100-2015 §5. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const BODY = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{9}$/;

/**
 * The check character (校验码, position 18) of a 统一社会信用代码 (unified social credit code,
 * GB 32100-2015) for its first 17 characters: C18 = 31 − (Σ Ci × Wi mod 31), where a result of 31
 * is written `0`.
 *
 * @param body - the first 17 characters: 登记管理部门码 and 机构类别码 (2 characters of the code
 *   alphabet), 登记管理机关行政区划码 (6 digits), 主体标识码 (9 characters of the code alphabet).
 * @returns the check character, or `undefined` when `body` is not 17 characters of that shape.
 */
export const unifiedSocialCreditCheckCharacter = (body: string): string | undefined => {
  if (!BODY.test(body)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(body.charAt(i)) * (WEIGHTS[i] ?? 0);
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
};

/**
 * What is wrong with a candidate 统一社会信用代码 (unified social credit code), or `undefined`
 * when it is well formed and its check character is right.
 */
const unifiedSocialCreditCodeProblem = (code: string): string | undefined => {
  if (code.length !== 18) return `must be 18 characters (统一社会信用代码), got ${code.length}`;
  const body = code.slice(0, 17);
  const expected = unifiedSocialCreditCheckCharacter(body);
  if (expected === undefined || !ALPHABET.includes(code.charAt(17))) {
    return "must be 2 code characters, a 6-digit 行政区划码 and 10 code characters (digits and capitals without I, O, Z, S, V)";
  }
  if (code.charAt(17) !== expected) return `check character (校验码) is ${code.charAt(17)}, GB 32100-2015 gives ${expected}`;
  return undefined;
};

/**
 * Whether `code` is a well-formed 统一社会信用代码 (unified social credit code, the 18-character
 * 纳税人识别号 of an organisation) whose check character agrees with GB 32100-2015. Capitals only:
 * the code is written in capitals, and this check does not normalise.
 */
export const isUnifiedSocialCreditCode = (code: string): boolean => unifiedSocialCreditCodeProblem(code) === undefined;

/**
 * A 统一社会信用代码 (unified social credit code) on the wire: 18 characters whose last one is the
 * GB 32100-2015 check character. One issue is reported, saying what is wrong (length, characters,
 * or the check character and the one expected).
 */
export const UnifiedSocialCreditCode = z.string().superRefine((code, ctx) => {
  const problem = unifiedSocialCreditCodeProblem(code);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});
