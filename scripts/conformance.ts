/**
 * `npm run conformance -- <dir>`: runs every golden vector of a conformance folder (laid out as
 * shared/conformance/README.md describes) through the package that owns it, prints one line
 * per vector and ends with `N passed, N failed`. Exits non-zero when a vector fails.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runValuationVector, type VectorOutcome } from "@jxc/core/testing";
import { runVoucherVector } from "@jxc/ledger/testing";
import { runDeviceVector } from "@jxc/devices/testing";
import { findSharedConformance } from "./shared-dir.js";

const runners: Record<string, (json: unknown) => VectorOutcome> = {
  valuation: runValuationVector,
  vouchers: runVoucherVector,
  devices: runDeviceVector,
};

const dir = process.argv[2] ? resolve(process.argv[2]) : findSharedConformance();
if (!dir || !existsSync(dir)) {
  console.error(`conformance folder not found: ${dir ?? "(give one: npm run conformance -- <dir>)"}`);
  process.exit(2);
}
let passed = 0;
let failed = 0;
for (const folder of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  const files = readdirSync(join(dir, folder)).filter((f) => f.endsWith(".json")).sort();
  const runner = runners[folder];
  if (!runner) {
    console.log(`FAIL ${folder}/: ${files.length} vectors, and no package runs this folder`);
    failed += files.length;
    continue;
  }
  for (const file of files) {
    let outcome: VectorOutcome;
    try {
      outcome = runner(JSON.parse(readFileSync(join(dir, folder, file), "utf8")));
    } catch (error) {
      outcome = { name: file, failures: [`could not run: ${String(error)}`] };
    }
    if (outcome.failures.length === 0) {
      passed++;
      console.log(`pass ${folder}/${file} — ${outcome.name}`);
    } else {
      failed++;
      console.log(`FAIL ${folder}/${file} — ${outcome.name}\n  ${outcome.failures.join("\n  ")}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
