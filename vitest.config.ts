import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@jxc\/core\/testing$/, replacement: src("./packages/core/src/testing/index.ts") },
      { find: /^@jxc\/core$/, replacement: src("./packages/core/src/index.ts") },
      { find: /^@jxc\/ledger\/testing$/, replacement: src("./packages/ledger/src/testing/index.ts") },
      { find: /^@jxc\/ledger$/, replacement: src("./packages/ledger/src/index.ts") },
      { find: /^@jxc\/devices\/connection$/, replacement: src("./packages/devices/src/connection/index.ts") },
      { find: /^@jxc\/devices\/testing$/, replacement: src("./packages/devices/src/testing/index.ts") },
      { find: /^@jxc\/devices$/, replacement: src("./packages/devices/src/index.ts") },
      { find: /^@jxc\/sync\/testing$/, replacement: src("./packages/sync/src/testing/index.ts") },
      { find: /^@jxc\/sync$/, replacement: src("./packages/sync/src/index.ts") },
      { find: /^@jxc\/forecast\/testing$/, replacement: src("./packages/forecast/src/testing/index.ts") },
      { find: /^@jxc\/forecast$/, replacement: src("./packages/forecast/src/index.ts") },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 120_000,
  },
});
