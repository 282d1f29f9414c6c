/**
 * The deterministic simulator from the command line:
 *
 * ```sh
 * npm run simulate -w @jxc/sync -- --seeds 1000 --seed-start 1 [--edges 20] [--steps 300] [--workers 2]
 * ```
 *
 * runs the seeds `S … S+N−1`, prints every failing seed with the command that replays it
 * (a seed reproduces exactly), and ends with `N passed, M failed`; the exit code is 1 when a
 * seed failed (or a worker died) and 2 when the arguments are wrong. With `--workers W` the
 * seeds are dealt to W child processes (seed `S+i` to worker `i mod W`); the failures are
 * printed in seed order at the end, the same as with one process.
 *
 * @module
 */
import { fork } from "node:child_process";
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
    workers: Count(16).default(1),
    verbose: z.literal(true).optional(),
  })
  .strict();

const USAGE = "usage: npm run simulate -w @jxc/sync -- --seeds N --seed-start S [--edges E] [--steps T] [--workers W] [--verbose]";

/** A worker process runs the seeds `S+i` with `i mod W = k`, named by this variable as `k/W`. */
const WORKER_ENV = "JXC_SIMULATE_WORKER";

type Args = z.output<typeof ArgsSchema>;

/** The outcome of one seed: its log lines (the verbose line, or the failure and how to replay it). */
interface SeedOutcome {
  readonly seed: number;
  readonly ok: boolean;
  readonly lines: ReadonlyArray<string>;
}

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
  const worker = process.env[WORKER_ENV];
  if (worker !== undefined) return runWorker(args, worker);
  if (args.workers > 1) {
    void runWorkers(args).then((code) => (process.exitCode = code));
    return 0;
  }
  const outcomes: SeedOutcome[] = [];
  for (let seed = args["seed-start"]; seed < args["seed-start"] + args.seeds; seed++) {
    const outcome = runSeed(args, seed);
    if (outcome === undefined) return 2;
    for (const line of outcome.lines) console.log(line);
    outcomes.push(outcome);
  }
  return finish(outcomes);
};

/** Runs one seed; `undefined` (after printing why) when the simulator refuses the configuration. */
const runSeed = (args: Args, seed: number): SeedOutcome | undefined => {
  const run = simulate({ seed, edges: args.edges, ...(args.steps === undefined ? {} : { steps: args.steps }) });
  if (Result.isFailure(run)) {
    console.error(`simulate: ${run.failure.message}`);
    return undefined;
  }
  const report = run.success;
  if (report.ok) return { seed, ok: true, lines: args.verbose ? [`seed ${seed} ok: ${report.summary}`] : [] };
  const extra = `${args.edges === 20 ? "" : ` --edges ${args.edges}`}${args.steps === undefined ? "" : ` --steps ${args.steps}`}`;
  return {
    seed,
    ok: false,
    lines: [
      `seed ${seed} FAILED: ${report.failures.map((f) => `${f.check} — ${f.message}`).join("; ")}`,
      `  replay: npm run simulate -w @jxc/sync -- --seeds 1 --seed-start ${seed}${extra} --verbose`,
    ],
  };
};

/** Prints the tally; the exit code. */
const finish = (outcomes: ReadonlyArray<SeedOutcome>): number => {
  const failed = outcomes.filter((o) => !o.ok).length;
  console.log(`${outcomes.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
};

/** In a worker: runs its share of the seeds and sends each outcome to the parent. */
const runWorker = (args: Args, worker: string): number => {
  const [k, w] = worker.split("/").map(Number) as [number, number];
  let code = 0;
  for (let seed = args["seed-start"] + k; seed < args["seed-start"] + args.seeds; seed += w) {
    const outcome = runSeed(args, seed);
    if (outcome === undefined) {
      code = 2;
      break;
    }
    process.send!(outcome);
  }
  // Close the channel once everything is sent, so that the process can end.
  process.send!({ done: true }, () => process.disconnect());
  return code;
};

/** Deals the seeds to `args.workers` child processes; prints the outcomes in seed order. */
const runWorkers = async (args: Args): Promise<number> => {
  const outcomes: SeedOutcome[] = [];
  const codes = await Promise.all(
    Array.from(
      { length: args.workers },
      (_, k) =>
        new Promise<number>((resolve) => {
          const child = fork(process.argv[1]!, process.argv.slice(2), { env: { ...process.env, [WORKER_ENV]: `${k}/${args.workers}` }, execArgv: process.execArgv });
          child.on("message", (message: SeedOutcome | { readonly done: true }) => {
            if ("seed" in message) outcomes.push(message);
          });
          child.on("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
        }),
    ),
  );
  outcomes.sort((a, b) => a.seed - b.seed);
  for (const o of outcomes) for (const line of o.lines) console.log(line);
  const bad = codes.findIndex((c) => c !== 0);
  if (bad >= 0 || outcomes.length !== args.seeds) {
    console.error(`simulate: worker ${bad} exited with code ${codes[bad]}; ${outcomes.length} of ${args.seeds} seeds reported`);
    finish(outcomes);
    return codes[bad] === 2 ? 2 : 1;
  }
  return finish(outcomes);
};

process.exitCode = main();
