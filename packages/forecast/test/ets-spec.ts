import type { EtsSpec } from "../src/ets.js";

/** The ETS spec of an R model code such as `AAdN` or `MNM` (error, trend with `d` for damped, season). */
export const specOf = (code: string): EtsSpec => ({
  error: code[0] as EtsSpec["error"],
  trend: code.includes("Ad") ? "Ad" : (code[1] as EtsSpec["trend"]),
  season: code[code.length - 1] as EtsSpec["season"],
});
