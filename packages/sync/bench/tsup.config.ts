import { defineConfig } from "tsup";

/**
 * The benchmark compiled as the package is (esbuild, Node 20), with `@jxc/core` bundled from its
 * source, into a cache folder: `npm run bench` runs it with plain node, as the core and ledger
 * benchmarks are run, so that jxc's figures are of the library as published (Automerge and Yjs
 * already run from their built packages, which stay external) and not of a TypeScript loader.
 */
export default defineConfig({
  entry: { "sync.bench": "bench/sync.bench.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "../../node_modules/.cache/jxc-sync-bench",
  tsconfig: "../../tsconfig.json",
  noExternal: ["@jxc/core"],
  external: ["@automerge/automerge", "yjs"],
  dts: false,
  clean: true,
  silent: true,
});
