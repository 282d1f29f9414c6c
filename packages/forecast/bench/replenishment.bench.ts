/**
 * Replenishment benchmark: the static policy of the old systems against jxc's dynamic policy, on the
 * daily retail data of ../shared/data/m5-tiny with a back-to-school-style surge injected into the
 * hold-out, replayed day by day by the inventory simulator; then the time to plan 10,000 SKUs × 5
 * warehouses with forecasts given (synthetic).
 *
 * - Hold-out: the last `--holdout` days (default 56) of each series (training d_1…d_1913 plus the 28
 *   test days). Surge (the scenario parameter `--surge`, default 1.0 = +100% at the peak): from hold-out
 *   day `--surge-start` (default 14), demand × (1 + surge·ramp), ramp rising over 7 days, 14 days at
 *   the peak, falling over 7 days; rounded to whole units.
 * - Supplier: promised 2 days; delays 0/1/3 days with probabilities 0.6/0.25/0.15. The dynamic policy
 *   learns this from 60 synthetic receipts; actual lead times of simulated orders are drawn from it
 *   (seeded, the same draws for both policies).
 * - Static policy (s,S), reviewed daily: mean = mean daily demand of the last 365 history days;
 *   s = mean × mean lead time + mean × `--factor` (safety stock = historical mean × factor, default 3);
 *   S = s + 7 × mean. Never updated.
 * - Dynamic policy (s,S), reviewed daily: each day, per series, the model chosen by a rolling backtest
 *   (scaled pinball loss over the quantiles 0.5…0.99, 4 windows of 7 days) among window averages (7, 28 days) and SES is refitted on the last
 *   `--fit-days` days (default 180) and forecasts with quantiles; `planReplenishment` gives s (the
 *   `--service` quantile, default 0.9, of lead-time demand) and S (s + the forecast of the `--cycle`
 *   days after, default 5). `--tsb` adds TSB to the candidates, `--mae` selects by MAE instead.
 * - KPIs as defined by the simulator (lost sales): stockout rate = SKU-days with unmet demand ÷
 *   SKU-days with demand; fill rate; average inventory value at cost (0.7 × shelf price); turnover days.
 *
 * Run: `npx tsx packages/forecast/bench/replenishment.bench.ts [--surge 1] [--series N] [--factor 3]`.
 * The last line is machine-readable key=value pairs.
 */
import { seededUniform } from "@jxc/core";
import { performance } from "node:perf_hooks";
import { Result } from "effect";
import {
  aggregateSimulations,
  leadTimeFor,
  learnSupplierDelay,
  normalForecast,
  planReplenishment,
  selectModel,
  simpleExponentialSmoothing,
  simulateInventory,
  tsbModel,
  windowAverage,
  addDays,
  type ForecastModel,
  type LeadTimeDistribution,
  type ReplenishmentPosition,
  type SimulationReport,
} from "../src/index.js";
import { LEVELS, loadM5 } from "./protocol.js";

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const surge = arg("--surge", 1);
const surgeStart = arg("--surge-start", 14);
const holdout = arg("--holdout", 56);
const factor = arg("--factor", 3);
const service = arg("--service", 0.9);
const fitDays = arg("--fit-days", 180);
const dynamicCycle = arg("--cycle", 5);
const seriesLimit = arg("--series", Number.POSITIVE_INFINITY);
const planSkus = arg("--plan-skus", 10_000);
const planWarehouses = arg("--plan-warehouses", 5);

const must = <A>(r: Result.Result<A, unknown>): A => {
  if (Result.isFailure(r)) throw new Error(`bench: ${String(r.failure)}`);
  return r.success;
};
const fmt = (x: number, d = 4): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

// --- supplier and its receipts ------------------------------------------------------------------
const DELAYS = [
  { days: 0, p: 0.6 },
  { days: 1, p: 0.25 },
  { days: 3, p: 0.15 },
];
const drawDelay = (u: number): number => (u < 0.6 ? 0 : u < 0.85 ? 1 : 3);
const receiptRng = seededUniform(42);
const receipts = Array.from({ length: 60 }, (_, i) => {
  const ordered = addDays("2016-01-01", i * 2);
  return { ordered, promised: addDays(ordered, 2), received: addDays(ordered, 2 + drawDelay(receiptRng())) };
});
const learned = must(learnSupplierDelay(receipts));
const leadTime: LeadTimeDistribution = leadTimeFor(learned, 2);
const trueMeanLead = 2 + DELAYS.reduce((a, d) => a + d.days * d.p, 0);

// --- data, surge --------------------------------------------------------------------------------
const m5 = loadM5();
const series = m5.series.slice(0, Math.min(m5.series.length, seriesLimit));
const surgeFactor = (t: number): number => {
  const k = t - surgeStart;
  if (k < 0 || k >= 28) return 1;
  const ramp = k < 7 ? (k + 1) / 7 : k < 21 ? 1 : (28 - k) / 7;
  return 1 + surge * ramp;
};

const metric = process.argv.includes("--mae") ? ("mae" as const) : ("spl" as const);
const candidates: ForecastModel[] = [windowAverage(7), windowAverage(28), simpleExponentialSmoothing()];
if (process.argv.includes("--tsb")) candidates.push(must(tsbModel()));
const started = performance.now();
const staticReports: SimulationReport[] = [];
const dynamicReports: SimulationReport[] = [];
let forecastSeconds = 0;
let planSeconds = 0;
for (const [k, s] of series.entries()) {
  const full = Float64Array.from([...s.train, ...s.test]);
  if (full.length < holdout + 400) continue;
  const cut = full.length - holdout;
  const history = full.subarray(0, cut);
  const demand = Array.from(full.subarray(cut), (d, t) => Math.round(d * surgeFactor(t)));
  const prices = s.exogenous?.sell_price ?? new Float64Array();
  let price = 1;
  for (let i = prices.length - 1; i >= 0; i--) if (Number.isFinite(prices[i])) { price = prices[i]!; break; }
  const unitCost = Math.round(price * 70) / 100;

  const recent = history.subarray(history.length - 365);
  const mean = recent.reduce((a, x) => a + x, 0) / recent.length;
  const sStatic = mean * trueMeanLead + mean * factor;
  const SStatic = sStatic + 7 * mean;

  // Dynamic: pick a model once on the history, refit daily.
  const t0 = performance.now();
  const pick = selectModel(history.subarray(history.length - fitDays - 28), candidates, { horizon: 7, windows: 4, metric, levels: LEVELS });
  const model = Result.isSuccess(pick) ? pick.success.best : candidates[0]!;
  const sDyn: number[] = [];
  const SDyn: number[] = [];
  const positions: ReplenishmentPosition[] = [];
  const forecastH = 5 + 7 + 2;
  for (let t = 0; t < holdout; t++) {
    const seen = Float64Array.from([...history.subarray(history.length - fitDays), ...demand.slice(0, t + 1)].slice(-fitDays));
    const fitted = model.fit(seen, { seasonLength: 7 });
    const f = Result.isSuccess(fitted) ? fitted.success.forecast(forecastH, LEVELS) : normalForecast("mean", new Float64Array(forecastH).fill(mean), new Float64Array(forecastH).fill(Math.sqrt(mean)), LEVELS);
    positions.push({ item: s.id, warehouse: `day${t}`, supplier: "S1", unitCost: unitCost.toFixed(2), onHand: "0", forecast: f, leadTime, policy: { kind: "s,S", cycleDays: dynamicCycle } });
  }
  const t1 = performance.now();
  const plan = must(planReplenishment({ asOf: "2016-04-01", positions, serviceLevel: service, seed: k + 1 }));
  const t2 = performance.now();
  forecastSeconds += (t1 - t0) / 1000;
  planSeconds += (t2 - t1) / 1000;
  const byDay = new Map<string, { s: number; S: number }>();
  for (const x of [...plan.suggestions.map((y) => ({ w: y.warehouse, e: y.explanation })), ...plan.skipped.map((y) => ({ w: y.warehouse, e: y.explanation }))]) {
    if (x.e !== undefined) byDay.set(x.w, { s: x.e.reorderPoint.toNumber(), S: x.e.orderUpTo.toNumber() });
  }
  for (let t = 0; t < holdout; t++) {
    const p = byDay.get(`day${t}`)!;
    sDyn.push(p.s);
    SDyn.push(p.S);
  }

  // The same actual lead times for both policies.
  const rng = seededUniform(1000 + k);
  const leads = Array.from({ length: holdout }, () => 2 + drawDelay(rng()));
  const common = { demand, leadTimeDays: leads, unitCost, unitPrice: price };
  staticReports.push(must(simulateInventory({ ...common, initialOnHand: Math.round(SStatic), policy: { kind: "s,S", reorderPoint: sStatic, orderUpTo: SStatic } })));
  dynamicReports.push(must(simulateInventory({ ...common, initialOnHand: Math.round(SDyn[0]!), policy: { kind: "s,S", reorderPoint: sDyn, orderUpTo: SDyn } })));
}
const st = aggregateSimulations(staticReports);
const dy = aggregateSimulations(dynamicReports);
const row = (name: string, r: SimulationReport): string =>
  `${name.padEnd(8)} stockout ${fmt(r.stockoutRate)}  fill ${fmt(r.fillRate)}  avg inventory value ${fmt(r.averageInventoryValue, 2)}  turnover days ${fmt(r.turnoverDays, 2)}  lost sales value ${fmt(r.lostSalesValue, 2)}  缺货损失率 ${fmt(r.stockoutLossRate)}  orders ${r.orders}`;
console.log(`m5-tiny: ${staticReports.length} series, hold-out ${holdout} days, surge +${surge * 100}% from day ${surgeStart} (28 days), supplier lead time learned from ${learned.receipts} receipts: mean ${fmt(leadTime.mean, 2)} sd ${fmt(leadTime.sd, 2)} days`);
console.log(`static: safety stock = historical mean × ${factor}; dynamic: (s,S) at service level ${service}, refitted daily (${fmt(forecastSeconds, 1)} s forecasting, ${fmt(planSeconds, 1)} s planning)`);
console.log(row("static", st));
console.log(row("dynamic", dy));

// --- planning 10,000 SKUs × 5 warehouses, forecasts given ------------------------------------------
const gen = seededUniform(7);
const synthetic: ReplenishmentPosition[] = [];
for (let i = 0; i < planSkus; i++) {
  for (let w = 0; w < planWarehouses; w++) {
    const level = gen() * 20;
    const f = normalForecast("given", new Float64Array(21).fill(level), new Float64Array(21).fill(Math.sqrt(level + 1)), LEVELS);
    synthetic.push({
      item: `SKU${i}`,
      warehouse: `WH${w}`,
      supplier: `S${i % 50}`,
      unitCost: (1 + (i % 97)).toFixed(2),
      onHand: String(Math.floor(gen() * level * 8)),
      forecast: f,
      leadTime,
      policy: { kind: i % 4 === 0 ? "s,Q" : i % 4 === 1 ? "s,S" : i % 4 === 2 ? "R,S" : "R,s,S", reviewDays: 7 },
      moq: "6",
      packSize: "6",
      ...(i % 3 === 0 ? { shelfLifeDays: 10 } : {}),
    });
  }
}
const p0 = performance.now();
const c0 = process.cpuUsage();
// The given forecasts are normal distributions, so lead-time demand is computed analytically.
const big = must(planReplenishment({ asOf: "2026-09-01", positions: synthetic, budget: "5000000", method: "normal" }));
const planS = (performance.now() - p0) / 1000;
const planCpu = process.cpuUsage(c0).user / 1e6;
console.log(`plan: ${synthetic.length} positions (${planSkus} SKUs × ${planWarehouses} warehouses), ${big.suggestions.length} suggestions, value ${big.totalValue.toFixed(2)}, ${fmt(planS, 2)} s wall, ${fmt(planCpu, 2)} s CPU (analytic lead-time demand: the given forecasts are normal); total bench ${fmt((performance.now() - started) / 1000, 1)} s`);
console.log(
  `static_stockout=${fmt(st.stockoutRate)} dynamic_stockout=${fmt(dy.stockoutRate)} static_fill=${fmt(st.fillRate)} dynamic_fill=${fmt(dy.fillRate)} static_avg_inventory=${fmt(st.averageInventoryValue, 2)} dynamic_avg_inventory=${fmt(dy.averageInventoryValue, 2)} plan_s=${fmt(planS, 2)}`,
);
