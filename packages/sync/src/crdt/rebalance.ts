/**
 * Rebalancing rights between replicas: a policy function from the state of a counter and each
 * site's forecast demand to the rights transfers the holder of a pool (usually the center)
 * should make. Only the giver can write a transfer, so the policy proposes transfers from one
 * holder; the holder applies them with `Replica.transferRights` (or `SyncState.transferRights`).
 *
 * @module
 */
import { Dec } from "@jxc/core";
import type { SyncState } from "./state.js";

/** A proposed rights transfer, in scaled units. */
export interface RightsTransferPlan {
  readonly from: string;
  readonly to: string;
  readonly item: string;
  readonly position: string;
  readonly lot?: string | undefined;
  /** Units to give (scaled integer, > 0). */
  readonly units: number;
}

/** Forecast demand of one site over the horizon the rights should cover (any non-negative unit). */
export interface SiteDemand {
  readonly replica: string;
  readonly demand: Dec;
}

/**
 * Proportional rebalancing: the rights of `holder` plus those of the sites are shared in
 * proportion to each site's forecast demand (largest remainder, exact); each site short of its
 * share receives the difference from the holder, as far as the holder's rights go (sites
 * furthest below their share first). Sites never give rights back here — a site's own row is
 * its own to write. No demand, or no rights, gives no transfers.
 */
export const proportionalRebalance = (
  state: SyncState,
  holder: string,
  counter: { readonly item: string; readonly position: string; readonly lot?: string | undefined },
  demands: ReadonlyArray<SiteDemand>,
): RightsTransferPlan[] => {
  const cell = state.cell(counter.item, counter.position, counter.lot);
  if (!cell) return [];
  const sites = demands.filter((d) => d.replica !== holder && d.demand.gt(0));
  const totalDemand = sites.reduce((s, d) => s.plus(d.demand), new Dec(0));
  if (sites.length === 0 || totalDemand.isZero()) return [];
  let pool = Math.max(0, cell.rights(holder));
  const current = sites.map((d) => Math.max(0, cell.rights(d.replica)));
  const total = current.reduce((a, b) => a + b, pool);
  // Largest remainder: floor shares, then one unit each to the largest fractional parts.
  const exact = sites.map((d) => new Dec(total).times(d.demand).dividedBy(totalDemand));
  const share = exact.map((e) => e.floor().toNumber());
  let left = total - share.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e.minus(e.floor()) }))
    .sort((a, b) => b.frac.comparedTo(a.frac) || sites[a.i]!.replica.localeCompare(sites[b.i]!.replica));
  for (const { i } of order) {
    if (left <= 0) break;
    share[i]!++;
    left--;
  }
  const needs = sites
    .map((d, i) => ({ replica: d.replica, need: share[i]! - current[i]! }))
    .filter((n) => n.need > 0)
    .sort((a, b) => b.need - a.need || (a.replica < b.replica ? -1 : 1));
  const plans: RightsTransferPlan[] = [];
  for (const { replica, need } of needs) {
    if (pool <= 0) break;
    const units = Math.min(need, pool);
    pool -= units;
    plans.push({ from: holder, to: replica, item: counter.item, position: counter.position, lot: counter.lot, units });
  }
  return plans;
};
