/**
 * The rule language of jxc: typed, JSON-serializable conditions over declared facts, with text
 * syntax, checking before evaluation, explained evaluation, and versioned rule sets.
 *
 * @module
 */
export {
  ExprSchema,
  isFactName,
  isVariableName,
  maxExpressionDepth,
  readCondition,
  reservedWords,
  type ArithmeticOperator,
  type ComparisonOperator,
  type Expr,
  type ExprKind,
  type RuleFunction,
} from "./ast.js";
export {
  FactSchemaSchema,
  FactTypeSchema,
  factReader,
  factsSchema,
  factValueSchema,
  factValueToWire,
  readFacts,
  readFactsWith,
  readFactSchema,
  type FactReader,
  type FactSchema,
  type FactType,
  type FactValue,
} from "./fact-schema.js";
export { RuleEvaluationError, RuleSyntaxError, RuleTypeError, type RuleEvaluationProblem, type RuleTypeIssue, type Span } from "./rule-errors.js";
export { parseCondition, type ParsedCondition, type SourceMap } from "./parse.js";
export { formatCondition } from "./format.js";
export { checkCondition, compileCondition, ruleTypeName, type CheckedCondition, type CheckOptions, type RuleType } from "./check.js";
export { evaluateCondition, evaluateWithFacts, explainTrace, type ConditionEvaluation, type TraceStep, type TraceValue } from "./evaluate.js";
export * from "./rule-set.js";
export { sha256Hex } from "./content-hash.js";
