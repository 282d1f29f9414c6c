import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StockDocumentSchema } from "@jxc/core";
import { scenarioArb } from "@jxc/core/testing";
import { readPlainDocument } from "../src/document-fast.js";
import { stableStringify } from "../src/stable-json.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const documentArb = scenarioArb()
  .filter(({ documents }) => documents.length > 0)
  .chain(({ documents }) => fc.constantFrom(...documents));

/** Values a mutated field may take: near misses of valid values and plain junk. */
const junkArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("0", "-1", "0.00", "-0", "1e3", "abc", "", "1,5") },
  fc.constantFrom("", "0", "-1", "1e3", "1.5e-2", ".5", "5.", "abc", " 1", "１", "x".repeat(129), "2026-01-01", "2026-13-01T00:00:00Z", "2026-01-01T09:00:00+08:00"),
  fc.constantFrom(undefined, null, 0, 1, -1, NaN, true, [], {}, ["S1"], { warehouse: "W1" }, { warehouse: "W1", location: "" }),
  fc.string(),
  fc.anything(),
);

/** A copy of a document with one field of the header, a line or a place replaced, removed or added. */
const mutate = (doc: unknown, pick: number, key: string, value: unknown, mode: "set" | "delete"): unknown => {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const lines = (Array.isArray(copy.lines) ? copy.lines : []) as Record<string, unknown>[];
  const targets: Record<string, unknown>[] = [copy, ...lines];
  for (const line of lines) for (const k of ["from", "to"]) if (line[k] && typeof line[k] === "object") targets.push(line[k] as Record<string, unknown>);
  const target = targets[pick % targets.length]!;
  const keys = Object.keys(target);
  const name = keys.length > 0 && key.length === 0 ? keys[pick % keys.length]! : key || "extra";
  if (mode === "delete") delete target[name];
  else target[name] = value;
  return copy;
};

const fieldArb = fc.oneof({ weight: 4, arbitrary: fc.constant("") }, fc.constantFrom("id", "businessId", "at", "type", "memo", "supplier", "customer", "lines", "item", "qty", "unit", "warehouse", "location", "lot", "serials", "unitCost", "price", "from", "to", "productionDate", "extra"));
/** Documents the fast path reads, so that mutations hit it. */
const plainDocumentArb = documentArb.filter((d) => ["purchase-receipt", "sales-outbound", "transfer"].includes(d.type));

/** The fast path agrees with the schema: whatever it accepts, the schema accepts with the same result. */
const agrees = (input: unknown): void => {
  const fast = readPlainDocument(input);
  if (fast === undefined) return;
  const reference = StockDocumentSchema.safeParse(input);
  expect(reference.success).toBe(true);
  expect(stableStringify(fast)).toBe(stableStringify(reference.data));
  expect(Object.keys(fast)).toEqual(Object.keys(reference.data!));
};

describe("fast document reading (fast-check, 1,000 runs each)", () => {
  it("reads every plain receipt, outbound and transfer exactly as the schema does", () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const plain = ["purchase-receipt", "sales-outbound", "transfer"].includes(doc.type) && !JSON.stringify(doc).includes("Date");
        if (plain) expect(readPlainDocument(doc)).toBeDefined();
        agrees(doc);
      }),
      runs,
    );
  });

  it("never accepts a mutated document the schema refuses, and reads the ones it accepts identically", () => {
    fc.assert(
      fc.property(plainDocumentArb, fc.nat(), fieldArb, junkArb, fc.constantFrom("set" as const, "delete" as const), (doc, pick, key, value, mode) => {
        agrees(mutate(doc, pick, key, value, mode));
      }),
      runs,
    );
  });
});
