import { defineConfig } from "tsup";

/**
 * The benchmark compiled as the package is (esbuild, Node 20) into a cache folder: `npm run bench`
 * runs it with plain node, so that the figures are of the library and not of a TypeScript loader
 * (whose own heap and per-closure name helpers make the run dearer).
 */
export default defineConfig({
  entry: { "valuation.bench": "bench/valuation.bench.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "../../node_modules/.cache/jxc-core-bench",
  tsconfig: "../../tsconfig.json",
  dts: false,
  clean: true,
  silent: true,
});
