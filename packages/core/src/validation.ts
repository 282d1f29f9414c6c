import { Result } from "effect";
import type { z } from "zod";
import { InvalidInput, type FieldIssue } from "./errors.js";

/**
 * Parses `input` with a zod schema. Malformed input becomes an {@link InvalidInput} naming every
 * field at fault; nothing throws.
 */
export const parseInput = <S extends z.ZodType>(
  schema: S,
  input: unknown,
  subject: string,
): Result.Result<z.output<S>, InvalidInput> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return Result.succeed(parsed.data);
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
  return Result.fail(new InvalidInput({ subject, issues, message: `invalid ${subject}: ${summary}` }));
};
