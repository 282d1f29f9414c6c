import { defineConfig } from "tsup";

/**
 * The build of every jxc package: ESM + CJS + `.d.ts` for `src/index.ts`, `src/testing/index.ts`
 * and any extra entry points (subpath exports), for Node 20.
 */
export const packageBuild = (extra: Record<string, string> = {}) =>
  defineConfig({
    entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts", ...extra },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
  });
