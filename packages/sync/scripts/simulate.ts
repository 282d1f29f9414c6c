/**
 * The deterministic simulator from the command line:
 *
 * ```sh
 * npm run simulate -w @jxc/sync -- --seeds 1000 --seed-start 1 [--edges 20] [--steps 300]
 * ```
 *
 * runs the seeds `S … S+N−1`, prints every failing seed with the command that replays it
 * (a seed reproduces exactly), and ends with `N passed, M failed`; the exit code is 1 when a
 * seed failed and 2 when the arguments are wrong.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { parseInput } from "@jxc/core";
import { simulate } from "../src/testing/simulator.js";

const Count = (max: number) => z.coerce.number().int().min(1).max(max);

const ArgsSchema = z
  .object({
    seeds: Count(1_000_000).default(100),
    "seed-start": z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
    edges: Count(200).default(20),
    steps: Count(1_000_000).optional(),
    verbose: z.literal(true).optional(),
  })
  .strict();

const USAGE = "usage: npm run simulate -w @jxc/sync -- --seeds N --seed-start S [--edges E] [--steps T] [--verbose]";

/** Reads `--name value` pairs (and the `--verbose` flag) into an object for the schema. */
const readArgs = (argv: ReadonlyArray<string>): Result.Result<Record<string, unknown>, string> => {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) return Result.fail(`unexpected argument ${JSON.stringify(arg)}`);
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (name === "verbose") {
      out[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) return Result.fail(`--${name} needs a value`);
    out[name] = value;
  }
  return Result.succeed(out);
};

const main = (): number => {
  const raw = readArgs(process.argv.slice(2));
  if (Result.isFailure(raw)) {
    console.error(`simulate: ${raw.failure}\n${USAGE}`);
    return 2;
  }
  const parsed = parseInput(ArgsSchema, raw.success, "simulate arguments");
  if (Result.isFailure(parsed)) {
    for (const issue of parsed.failure.issues) console.error(`simulate: ${issue.path ? `--${issue.path}` : "arguments"}: ${issue.message}`);
    console.error(USAGE);
    return 2;
  }
  const args = parsed.success;
  let passed = 0;
  let failed = 0;
  for (let seed = args["seed-start"]; seed < args["seed-start"] + args.seeds; seed++) {
    const run = simulate({ seed, edges: args.edges, ...(args.steps === undefined ? {} : { steps: args.steps }) });
    if (Result.isFailure(run)) {
      console.error(`simulate: ${run.failure.message}`);
      return 2;
    }
    const report = run.success;
    if (report.ok) {
      passed++;
      if (args.verbose) console.log(`seed ${seed} ok: ${report.summary}`);
      continue;
    }
    failed++;
    const extra = `${args.edges === 20 ? "" : ` --edges ${args.edges}`}${args.steps === undefined ? "" : ` --steps ${args.steps}`}`;
    console.log(`seed ${seed} FAILED: ${report.failures.map((f) => `${f.check} — ${f.message}`).join("; ")}`);
    console.log(`  replay: npm run simulate -w @jxc/sync -- --seeds 1 --seed-start ${seed}${extra} --verbose`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
};

process.exitCode = main();
