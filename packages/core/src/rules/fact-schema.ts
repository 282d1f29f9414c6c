import { Result } from "effect";
import { z } from "zod";
import { Dec } from "../decimal.js";
import { InvalidInput, type FieldIssue } from "../errors.js";
import { parseInput } from "../validation.js";
import { isFactName } from "./ast.js";
import { isCalendarDate, isInstantText } from "./calendar.js";

/**
 * The type of a fact (or of an action parameter):
 * - `decimal` — money or a quantity, a {@link Dec} (a decimal string on the wire);
 * - `integer` — a whole number (a safe JS integer or an integer string);
 * - `boolean`, `string`;
 * - `{ enum: [...] }` — one of the listed strings;
 * - `date` — a business date `YYYY-MM-DD`; `instant` — ISO-8601 with offset;
 * - `list` — a list of strings (tags, regions…).
 */
export type FactType = "decimal" | "integer" | "boolean" | "string" | "date" | "instant" | "list" | { readonly enum: ReadonlyArray<string> };

/** Declared facts: dotted fact name → type, e.g. `{ "forecast.next7d": "decimal", "supplier.leadTimeDays": "integer" }`. */
export type FactSchema = Readonly<Record<string, FactType>>;

/** The value of a fact once read: decimals and integers as {@link Dec}, dates and instants as strings. */
export type FactValue = Dec | boolean | string | ReadonlyArray<string>;

/** The zod schema of a {@link FactType}. */
export const FactTypeSchema: z.ZodType<FactType> = z.union([
  z.enum(["decimal", "integer", "boolean", "string", "date", "instant", "list"]),
  z.strictObject({
    enum: z
      .array(z.string())
      .min(1, "an enum needs at least one value")
      .refine((values) => new Set(values).size === values.length, "enum values must be distinct"),
  }),
]);

/** The zod schema of a {@link FactSchema}: valid fact names, each with a {@link FactType}. */
export const FactSchemaSchema: z.ZodType<FactSchema> = z.record(
  z.string().refine(isFactName, "must be a dotted name such as forecast.next7d (letters, digits, _; not a reserved word)"),
  FactTypeSchema,
);

/** Reads a fact schema from JSON data. */
export const readFactSchema = (input: unknown): Result.Result<FactSchema, InvalidInput> => parseInput(FactSchemaSchema, input, "fact schema");

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;

/** Reads a decimal (or, with `integer`, a whole number) from a string, a decimal.js value or (integers only) a safe JS integer. */
const numberFrom =
  (integer: boolean) =>
  (value: unknown, ctx: z.RefinementCtx): Dec => {
    let result: Dec | undefined;
    if (typeof value === "string" && (integer ? INTEGER_TEXT : DECIMAL_TEXT).test(value)) result = new Dec(value);
    else if (Dec.isDecimal(value) && (value as Dec).isFinite()) result = new Dec((value as Dec).toString());
    else if (integer && typeof value === "number" && Number.isSafeInteger(value)) result = new Dec(value);
    if (result === undefined || (integer && !result.isInteger())) {
      ctx.addIssue({ code: "custom", message: integer ? 'must be a whole number (3 or "3")' : 'must be a decimal string such as "12.50" or a decimal.js value (not a JS number)' });
      return z.NEVER;
    }
    return result;
  };

/**
 * The zod schema of one value of a {@link FactType}, producing a {@link FactValue}. Decimals are
 * decimal strings or decimal.js values (never JS numbers, which may already have lost digits);
 * integers may also be safe JS integers.
 */
export const factValueSchema = (type: FactType): z.ZodType<FactValue> => {
  if (typeof type === "object") {
    const [first, ...rest] = type.enum;
    return z.enum([first ?? "", ...rest] as [string, ...string[]]);
  }
  switch (type) {
    case "decimal":
      return z.unknown().transform(numberFrom(false));
    case "integer":
      return z.unknown().transform(numberFrom(true));
    case "boolean":
      return z.boolean();
    case "string":
      return z.string();
    case "date":
      return z.string().refine(isCalendarDate, "must be a date YYYY-MM-DD");
    case "instant":
      return z.string().refine(isInstantText, "must be an ISO-8601 instant with offset, e.g. 2026-01-02T09:00:00+08:00");
    case "list":
      return z.array(z.string());
  }
};

/**
 * The zod schema of a set of facts declared by `schema` (optionally only `names`): a flat object
 * keyed by the dotted fact names, every one required.
 */
export const factsSchema = (schema: FactSchema, names: Iterable<string> = Object.keys(schema)): z.ZodType<Readonly<Record<string, FactValue>>> => {
  const shape: Record<string, z.ZodType<FactValue>> = {};
  for (const name of names) {
    const type = schema[name];
    if (type !== undefined) shape[name] = factValueSchema(type);
  }
  return z.object(shape) as unknown as z.ZodType<Readonly<Record<string, FactValue>>>;
};

/** A fact value on the wire and in explanations: decimals as plain decimal strings (no exponent). */
export const factValueToWire = (value: FactValue): string | boolean | ReadonlyArray<string> => (Dec.isDecimal(value) ? (value as Dec).toFixed() : (value as string | boolean | ReadonlyArray<string>));

const lookup = (facts: Readonly<Record<string, unknown>>, name: string): unknown => {
  if (Object.prototype.hasOwnProperty.call(facts, name)) return facts[name];
  let current: unknown = facts;
  for (const segment of name.split(".")) {
    if (current === null || typeof current !== "object" || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
};

const expected = (type: FactType): string => {
  if (typeof type === "object") return `one of ${type.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  switch (type) {
    case "decimal":
      return 'a decimal string such as "12.50" (or a decimal.js value)';
    case "integer":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "date":
      return "a date YYYY-MM-DD";
    case "instant":
      return "an ISO-8601 instant with offset";
    case "list":
      return "a list of strings";
  }
};

/**
 * The fast path of {@link factValueSchema} for the plain wire forms (decimal and integer strings,
 * safe integers, strings, booleans, dates, instants, enum members, arrays of strings): the value
 * exactly as the schema would read it, or `undefined` for anything else — decimal.js values,
 * doubtful values — so that the schema reads it (and names what is wrong). It never accepts what
 * the schema refuses; a property test holds it to that.
 */
export const readPlainFactValue = (type: FactType, value: unknown): FactValue | undefined => {
  if (typeof type === "object") return typeof value === "string" && type.enum.includes(value) ? value : undefined;
  switch (type) {
    case "decimal":
      return typeof value === "string" && DECIMAL_TEXT.test(value) ? new Dec(value) : undefined;
    case "integer":
      if (typeof value === "string") return INTEGER_TEXT.test(value) ? new Dec(value) : undefined;
      return typeof value === "number" && Number.isSafeInteger(value) ? new Dec(value) : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "string":
      return typeof value === "string" ? value : undefined;
    case "date":
      return typeof value === "string" && isCalendarDate(value) ? value : undefined;
    case "instant":
      return typeof value === "string" && isInstantText(value) ? value : undefined;
    case "list": {
      if (!Array.isArray(value)) return undefined;
      const list: string[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item !== "string") return undefined;
        list[i] = item;
      }
      return list;
    }
  }
};

/** Prepared readers of some declared facts: one zod schema per fact, built once and reused. */
export interface FactReader {
  /** Fact name → the zod schema of its value, in the order the facts are read. */
  readonly schemas: ReadonlyMap<string, z.ZodType<FactValue>>;
  /** Fact name → its declared type (names not declared in the schema are absent). */
  readonly types: ReadonlyMap<string, FactType>;
  /** Names asked for that the schema does not declare. */
  readonly undeclared: ReadonlyArray<string>;
}

/** Prepares the reading of facts `names` declared in `schema` (see {@link readFactsWith}). */
export const factReader = (schema: FactSchema, names: Iterable<string>): FactReader => {
  const schemas = new Map<string, z.ZodType<FactValue>>();
  const types = new Map<string, FactType>();
  const undeclared: string[] = [];
  for (const name of new Set(names)) {
    const type = Object.prototype.hasOwnProperty.call(schema, name) ? schema[name] : undefined;
    if (type === undefined) undeclared.push(name);
    else {
      types.set(name, type);
      schemas.set(name, factValueSchema(type));
    }
  }
  const reader: FactReader = { schemas, types, undeclared };
  const prepared: PreparedFacts = { names: [...schemas.keys()], types: [...types.values()], schemas: [...schemas.values()], plain: true };
  return Object.defineProperty(reader, PREPARED, { value: prepared, enumerable: false, writable: false, configurable: false });
};

/** The facts a reader reads, as arrays in reading order; `plain` when its schemas are {@link factValueSchema}'s, so that plain values may be read directly. */
interface PreparedFacts {
  readonly names: ReadonlyArray<string>;
  readonly types: ReadonlyArray<FactType>;
  readonly schemas: ReadonlyArray<z.ZodType<FactValue>>;
  readonly plain: boolean;
}

const PREPARED = Symbol("prepared facts");

/** The facts `reader` reads, in reading order, as {@link factReader} prepared them (or, for a reader made otherwise, from its maps). */
export const preparedFacts = (reader: FactReader): PreparedFacts => {
  const prepared = (reader as FactReader & { readonly [PREPARED]?: PreparedFacts })[PREPARED];
  if (prepared !== undefined) return prepared;
  const names = [...reader.schemas.keys()];
  return { names, types: names.map((name) => reader.types.get(name)!), schemas: [...reader.schemas.values()], plain: false };
};

/**
 * Reads the facts `names` (declared in `schema`) from `input`, each validated with
 * {@link factValueSchema} (together, the schema {@link factsSchema} describes). Facts are looked
 * up by their dotted name as a key (`{ "stock.onHand": "70" }`) or as a nested path
 * (`{ stock: { onHand: "70" } }`). A missing or ill-typed fact is an {@link InvalidInput} whose
 * issue path is the fact name; names not declared in `schema` are reported too.
 */
export const readFacts = (
  schema: FactSchema,
  names: Iterable<string>,
  input: unknown,
): Result.Result<Readonly<Record<string, FactValue>>, InvalidInput> => readFactsWith(factReader(schema, names), input);

/** {@link readFacts} with readers prepared by {@link factReader} (for reading many fact sets). */
export const readFactsWith = (reader: FactReader, input: unknown): Result.Result<Readonly<Record<string, FactValue>>, InvalidInput> => {
  const facts: Record<string, FactValue> = {};
  const issues: FieldIssue[] = reader.undeclared.map((name) => ({ path: name, message: "not a declared fact" }));
  const record = input !== null && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  if (record === undefined) issues.push({ path: "", message: "facts must be an object keyed by fact name" });
  else {
    const { names, types, schemas, plain: readPlain } = preparedFacts(reader);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const type = types[i]!;
      const schema = schemas[i]!;
      const value = lookup(record, name);
      if (value === undefined) {
        issues.push({ path: name, message: `missing fact: expected ${expected(type)}` });
        continue;
      }
      // Plain wire values are read directly; anything else goes through zod, which names the fault.
      const plain = readPlain ? readPlainFactValue(type, value) : undefined;
      if (plain !== undefined) {
        facts[name] = plain;
        continue;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) facts[name] = parsed.data;
      else {
        const detail = parsed.error.issues.map((i) => i.message).filter((m) => m !== "Invalid input");
        issues.push({ path: name, message: `expected ${expected(type)}${detail.length > 0 ? ` (${detail.join("; ")})` : ""}` });
      }
    }
  }
  if (issues.length > 0) {
    const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    return Result.fail(new InvalidInput({ subject: "facts", issues, message: `invalid facts: ${summary}` }));
  }
  return Result.succeed(facts);
};
