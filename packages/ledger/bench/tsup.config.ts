import { defineConfig } from "tsup";

/**
 * The benchmark compiled as the package is (esbuild, Node 20), with `@jxc/core` bundled from its
 * source, into a cache folder: `npm run bench` runs it with plain node, so that the figures are
 * of the library and not of a TypeScript loader (whose own heap, a few hundred MB, makes every
 * major collection of the run dearer).
 */
export default defineConfig({
  entry: { "derive.bench": "bench/derive.bench.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "../../node_modules/.cache/jxc-ledger-bench",
  tsconfig: "../../tsconfig.json",
  noExternal: ["@jxc/core"],
  dts: false,
  clean: true,
  silent: true,
});
