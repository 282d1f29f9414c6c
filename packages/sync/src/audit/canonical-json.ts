/**
 * Canonical JSON of audit payloads: object keys sorted by UTF-16 code units, no insignificant
 * whitespace, numbers and strings as ECMAScript's `JSON.stringify` writes them (the JCS rules of
 * RFC 8785 for the values a payload may hold). Equal values give equal text, so equal hashes.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput, type InvalidInput } from "@jxc/core";

/** A JSON value an audit payload may hold (finite numbers only; money and quantities go as strings). */
export type AuditJson = string | number | boolean | null | readonly AuditJson[] | { readonly [key: string]: AuditJson };

/** The zod schema of a JSON value (`z.json()`): what an audit payload may be. */
export const AuditJsonSchema = z.json();

/** The canonical text of a value already known to be JSON (internal; callers use {@link canonicalJson}). */
export const writeCanonicalJson = (value: AuditJson): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(writeCanonicalJson).join(",")}]`;
  const record = value as { readonly [key: string]: AuditJson };
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${writeCanonicalJson(record[k] as AuditJson)}`).join(",")}}`;
};

/** The canonical JSON text of a payload; refuses values that are not JSON (`undefined`, NaN, functions…). */
export const canonicalJson = (value: unknown): Result.Result<string, InvalidInput> =>
  Result.map(parseInput(AuditJsonSchema, value, "audit payload"), (v) => writeCanonicalJson(v as AuditJson));

/** Whether `text` is the canonical JSON text of some JSON value. */
export const isCanonicalJson = (text: string): boolean => {
  try {
    return writeCanonicalJson(JSON.parse(text) as AuditJson) === text;
  } catch {
    return false;
  }
};
