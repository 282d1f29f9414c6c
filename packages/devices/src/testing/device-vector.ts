import { Result } from "effect";
import { z } from "zod";
import { decodeEpc } from "../epc.js";
import { decodeGs1 } from "../gs1.js";

/** The shape of a device golden vector (see ../shared/conformance/README.md). */
export const DeviceVectorSchema = z.object({
  name: z.string(),
  kind: z.enum(["epc", "gs1"]),
  input: z.object({ hex: z.string().optional(), text: z.string().optional() }),
  expect: z.record(z.string(), z.unknown()),
});

/** The outcome of one device vector: its name and every mismatch (none when it passes). */
export interface DeviceVectorOutcome {
  readonly name: string;
  readonly failures: ReadonlyArray<string>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runs one device golden vector: `epc` vectors through {@link decodeEpc}, `gs1` vectors through
 * {@link decodeGs1}; compares every expected field, or the expected error's tag.
 */
export const runDeviceVector = (json: unknown): DeviceVectorOutcome => {
  const parsed = DeviceVectorSchema.safeParse(json);
  const name = typeof (json as { name?: unknown })?.name === "string" ? (json as { name: string }).name : "(unnamed)";
  if (!parsed.success) return { name, failures: [`unreadable vector: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`] };
  const v = parsed.data;
  const decoded: Result.Result<object, { readonly _tag: string; readonly message: string }> =
    v.kind === "epc" ? decodeEpc(v.input.hex ?? "") : decodeGs1(v.input.text ?? "");
  const expectedError = v.expect["error"] as { tag?: string } | undefined;
  if (expectedError) {
    if (Result.isSuccess(decoded)) return { name: v.name, failures: [`expected error ${expectedError.tag ?? "(any typed error)"}, but it decoded`] };
    return { name: v.name, failures: expectedError.tag && expectedError.tag !== decoded.failure._tag ? [`expected error ${expectedError.tag}, got ${decoded.failure._tag}`] : [] };
  }
  if (Result.isFailure(decoded)) return { name: v.name, failures: [`decoding failed: ${decoded.failure._tag}: ${decoded.failure.message}`] };
  const got = decoded.success as Record<string, unknown>;
  const failures: string[] = [];
  for (const [key, expected] of Object.entries(v.expect)) {
    const actual = got[key];
    if (key === "dates" || key === "measures") {
      for (const [ai, value] of Object.entries(expected as Record<string, unknown>)) {
        const a = (actual as Record<string, unknown> | undefined)?.[ai];
        if (String(a) !== String(value)) failures.push(`${key}.${ai}: expected ${String(value)}, got ${String(a)}`);
      }
    } else if (key === "ais") {
      if (!same(actual, expected)) failures.push(`ais: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    } else if (String(actual) !== String(expected)) failures.push(`${key}: expected ${String(expected)}, got ${String(actual)}`);
  }
  return { name: v.name, failures };
};
