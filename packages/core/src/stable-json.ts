/** JSON with object keys sorted, so that equal content gives equal text (document fingerprints). */
export const stableStringify = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** A parsed value back on the wire: decimals as strings (decimal.js writes itself as a string in JSON). */
export const toWire = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;
