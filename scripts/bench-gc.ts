/**
 * What the benchmarks share to keep garbage collection of their setup out of their timed parts:
 * CPU time of the whole process, and a full collection that waits for the collector's background
 * threads. Used by `npm run bench` of @jxc/core and @jxc/sync (both run node with `--expose-gc`).
 */

/** CPU time of this process so far (user + system, every thread), in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * A full garbage collection when the process runs with `--expose-gc` — never timed: a benchmark
 * collects right before its clock starts, so that the garbage of its setup (or of the section
 * before) is not collected inside the timed operations.
 *
 * Two collections, then a wait until the collector's background threads are done: V8 leaves a
 * full collection's sweeping (going over every page of the heap to free what it found dead) to
 * background threads, which would otherwise still be at work — and counted in this process's
 * CPU time — in the timed operations that follow. The second collection completes the first
 * one's sweeping, and finds next to nothing of its own, but its own sweeping of the whole live
 * heap runs on; so the process then waits, in steps of 5 ms, until a step costs it (every
 * thread) less than 0.5 ms of CPU (at most half a second).
 */
export const collectGarbage = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return;
  gc();
  gc();
  const idle = new Int32Array(new SharedArrayBuffer(4));
  for (let step = 0; step < 100; step++) {
    const before = cpuMs();
    Atomics.wait(idle, 0, 0, 5);
    if (cpuMs() - before < 0.5) return;
  }
};
