import { Data } from "effect";

/** A character range in rule text: `start` inclusive, `end` exclusive (UTF-16 offsets, as `String.slice`). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Rule text that does not parse: where, and what was expected. */
export class RuleSyntaxError extends Data.TaggedError("RuleSyntaxError")<{
  /** The offending characters (empty at the end of the text). */
  readonly span: Span;
  /** 1-based line and column of `span.start`. */
  readonly line: number;
  readonly column: number;
  /** The rule in a rule set, when the text belongs to one. */
  readonly rule?: string;
  readonly message: string;
}> {}

/** One type problem in a rule: the node at fault (AST path and, for parsed text, its span). */
export interface RuleTypeIssue {
  /** Dotted path of the node in the AST, e.g. `left.right` (empty for the whole condition). */
  readonly path: string;
  /** The characters of the node in the rule text, when the rule came from text. */
  readonly span?: Span;
  /** What is wrong, in words. */
  readonly message: string;
}

/**
 * A rule refused by the checker before any evaluation: an unknown fact, a date compared with a
 * quantity, a string added to a decimal, `in` against a non-list… Lists every problem found.
 */
export class RuleTypeError extends Data.TaggedError("RuleTypeError")<{
  readonly issues: ReadonlyArray<RuleTypeIssue>;
  /** The rule in a rule set, when the condition belongs to one. */
  readonly rule?: string;
  readonly message: string;
}> {}

/** Why the evaluation of a checked rule could not finish. */
export type RuleEvaluationProblem = "division-by-zero" | "date-out-of-range";

/** A checked rule whose evaluation cannot produce a value: division by zero, a date beyond 9999-12-31. */
export class RuleEvaluationError extends Data.TaggedError("RuleEvaluationError")<{
  readonly problem: RuleEvaluationProblem;
  /** Dotted AST path of the node that failed. */
  readonly path: string;
  /** The rule in a rule set, when the condition belongs to one. */
  readonly rule?: string;
  readonly message: string;
}> {}

/** 1-based line and column of a character offset in `text`. */
export const lineColumnOf = (text: string, offset: number): { readonly line: number; readonly column: number } => {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
};
