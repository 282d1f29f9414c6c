/**
 * Does an m5-tiny scoring window look like the training days before it?
 * (`npx tsx packages/forecast/bench/m5-holdout-check.ts [origin …]`, default 1829 1857 1885 1913.)
 *
 * For each origin N (train d_1…d_N, score d_N+1…d_N+28, as the forecast bench's protocol), it
 * compares the 28 scored days with the 28 training days right before them, on the figures a
 * forecaster relies on:
 *
 *  - `level`: total units sold in the window ÷ total of the 28 days before;
 *  - `week`: the weekly cycle — the best weekday's total ÷ the worst's (each weekday occurs 4 times);
 *  - on the series that sell more than 10 units a day before the window: `dispersion`, the median
 *    variance ÷ mean of a series' days (retail demand is over-dispersed); `zeros`, the share of
 *    days without a sale; `uniform`, the median Kolmogorov–Smirnov distance between a series'
 *    days and the uniform distribution on 0…its own maximum (small when the days look like
 *    uniform draws, large for demand that clusters around its level); and `max/level`, the
 *    median of a series' largest day ÷ its mean over the 28 days before.
 *
 * Bench code: it reads ../shared/data and prints a table; it changes nothing.
 */
import { loadM5 } from "./protocol.js";

const HORIZON = 28;
const BUSY = 10;

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sum = (xs: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += xs[i]!;
  return total;
};

/** Kolmogorov–Smirnov distance between the values and the uniform distribution on 0…max. */
const uniformDistance = (values: ArrayLike<number>): number => {
  const xs = Array.from(values).sort((a, b) => a - b);
  const top = xs[xs.length - 1]!;
  if (top === 0) return Number.NaN;
  let d = 0;
  for (let i = 0; i < xs.length; i++) {
    const cdf = (xs[i]! + 1) / (top + 1);
    d = Math.max(d, Math.abs((i + 1) / xs.length - cdf), Math.abs(i / xs.length - xs[i]! / (top + 1)));
  }
  return d;
};

const windowFigures = (origin: number) => {
  const { series } = loadM5(undefined, origin);
  const scored = new Float64Array(HORIZON);
  const before = new Float64Array(HORIZON);
  const dispersion: number[] = [];
  const zeros: number[] = [];
  const uniform: number[] = [];
  const maxOverLevel: number[] = [];
  for (const s of series) {
    const prior = s.train.subarray(s.train.length - HORIZON);
    for (let d = 0; d < HORIZON; d++) {
      scored[d]! += s.test[d]!;
      before[d]! += prior[d] ?? 0;
    }
    const level = sum(prior) / HORIZON;
    if (prior.length < HORIZON || level <= BUSY) continue;
    const mean = sum(s.test) / HORIZON;
    const variance = sum(s.test.map((v) => (v - mean) ** 2)) / HORIZON;
    dispersion.push(variance / mean);
    zeros.push(s.test.filter((v) => v === 0).length / HORIZON);
    uniform.push(uniformDistance(s.test));
    maxOverLevel.push(Math.max(...s.test) / level);
  }
  const weekdays = Array.from({ length: 7 }, (_, w) => scored[w]! + scored[w + 7]! + scored[w + 14]! + scored[w + 21]!);
  return {
    origin,
    level: sum(scored) / sum(before),
    week: Math.max(...weekdays) / Math.min(...weekdays),
    busy: dispersion.length,
    dispersion: median(dispersion),
    zeros: median(zeros),
    uniform: median(uniform),
    maxOverLevel: median(maxOverLevel),
  };
};

const origins = process.argv.slice(2).map(Number);
const rows = (origins.length > 0 ? origins : [1829, 1857, 1885, 1913]).map(windowFigures);
console.log(`m5-tiny scoring windows against the ${HORIZON} training days before each (series selling > ${BUSY}/day for the last five columns)`);
console.log("window          level   week   busy  dispersion  zeros  uniform  max/level");
for (const r of rows) {
  console.log(
    [
      `d_${r.origin + 1}–d_${r.origin + HORIZON}`.padEnd(14),
      r.level.toFixed(2).padStart(6),
      r.week.toFixed(2).padStart(6),
      String(r.busy).padStart(6),
      r.dispersion.toFixed(2).padStart(11),
      r.zeros.toFixed(3).padStart(6),
      r.uniform.toFixed(3).padStart(8),
      r.maxOverLevel.toFixed(2).padStart(10),
    ].join(" "),
  );
}
