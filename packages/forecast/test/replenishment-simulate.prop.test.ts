import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import { aggregateSimulations, simulateInventory, type ReplenishmentPolicyKind, type SimulationReport } from "../src/index.js";
import { ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

/** A decimal string with up to `places` decimal places, at most `max`. */
const dec = (max: number, places: number): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max: max * 10 ** places }).map((n) => new Dec(n).div(10 ** places).toString());

const inputArb = fc
  .record({
    kind: fc.constantFrom<ReplenishmentPolicyKind>("s,Q", "s,S", "R,S", "R,s,S"),
    demand: fc.array(fc.oneof(dec(30, 0), dec(30, 3)), { minLength: 0, maxLength: 40 }),
    initialOnHand: fc.oneof(dec(100, 0), dec(100, 2)),
    openOrders: fc.array(fc.record({ qty: dec(50, 1), day: fc.integer({ min: 0, max: 45 }) }), { maxLength: 3 }),
    leadTimeDays: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 40 })),
    reorderPoint: fc.oneof(dec(60, 4), fc.array(dec(60, 4), { minLength: 1, maxLength: 40 })),
    orderUpTo: fc.oneof(dec(120, 4), fc.array(dec(120, 4), { minLength: 1, maxLength: 40 })),
    orderQty: fc.oneof(dec(40, 1), fc.array(dec(40, 1), { minLength: 1, maxLength: 40 })),
    reviewDays: fc.integer({ min: 1, max: 7 }),
    moq: fc.option(dec(20, 1), { nil: undefined }),
    packSize: fc.option(dec(12, 2).filter((s) => s !== "0"), { nil: undefined }),
    unmet: fc.constantFrom("lost" as const, "backorder" as const),
    unitCost: dec(100, 2),
    unitPrice: dec(150, 2),
  })
  .map((r) => ({
    demand: r.demand,
    initialOnHand: r.initialOnHand,
    openOrders: r.openOrders,
    leadTimeDays: r.leadTimeDays,
    unmet: r.unmet,
    unitCost: r.unitCost,
    unitPrice: r.unitPrice,
    policy: {
      kind: r.kind,
      reorderPoint: r.reorderPoint,
      orderUpTo: r.orderUpTo,
      orderQty: r.orderQty,
      reviewDays: r.reviewDays,
      ...(r.moq === undefined ? {} : { moq: r.moq }),
      ...(r.packSize === undefined ? {} : { packSize: r.packSize }),
    },
  }));
type Input = typeof inputArb extends fc.Arbitrary<infer A> ? A : never;

/** The simulator written directly in decimals, day by day: the oracle the scaled-integer replay must equal. */
const reference = (x: Input) => {
  const d = (v: string): Dec => new Dec(v);
  const at = (v: string | string[], t: number): Dec => d(typeof v === "string" ? v : v[Math.min(t, v.length - 1)]!);
  const arrivals = new Map<number, Dec>();
  const add = (day: number, q: Dec): void => void arrivals.set(day, (arrivals.get(day) ?? new Dec(0)).add(q));
  let pipeline = new Dec(0);
  for (const o of x.openOrders) {
    add(o.day, d(o.qty));
    pipeline = pipeline.add(o.qty);
  }
  let onHand = d(x.initialOnHand);
  let backlog = new Dec(0);
  let lost = new Dec(0);
  let served = new Dec(0);
  let orderedQty = new Dec(0);
  let stockoutDays = 0;
  const trail: Dec[] = [];
  const orders: Dec[] = [];
  const arrivesOn: number[] = [];
  const p = x.policy;
  const periodic = p.kind === "R,S" || p.kind === "R,s,S";
  const pack = d(p.packSize ?? "1");
  const moq = d(p.moq ?? "0");
  for (let t = 0; t < x.demand.length; t++) {
    const arriving = arrivals.get(t) ?? new Dec(0);
    onHand = onHand.add(arriving);
    pipeline = pipeline.sub(arriving);
    if (x.unmet === "backorder") {
      const b = Dec.min(backlog, onHand);
      onHand = onHand.sub(b);
      backlog = backlog.sub(b);
      served = served.add(b);
    }
    const demand = d(x.demand[t]!);
    const now = Dec.min(demand, onHand);
    onHand = onHand.sub(now);
    served = served.add(now);
    if (demand.gt(0) && now.lt(demand)) stockoutDays++;
    if (x.unmet === "backorder") backlog = backlog.add(demand.sub(now));
    else lost = lost.add(demand.sub(now));
    if (!periodic || t % p.reviewDays === 0) {
      const ip = onHand.add(pipeline).sub(backlog);
      const s = at(p.reorderPoint, t);
      const S = at(p.orderUpTo, t);
      const Q = at(p.orderQty, t);
      let q = new Dec(0);
      if (p.kind === "s,Q") q = ip.lte(s) && Q.gt(0) ? s.sub(ip).div(Q).floor().add(1).mul(Q) : q;
      else if (p.kind === "R,S") q = ip.lt(S) ? S.sub(ip) : q;
      else q = ip.lte(s) && S.gt(ip) ? S.sub(ip) : q;
      if (q.gt(0)) {
        q = Dec.max(q, moq).div(pack).ceil().mul(pack);
        const lt = Math.max(1, typeof x.leadTimeDays === "number" ? x.leadTimeDays : x.leadTimeDays[Math.min(t, x.leadTimeDays.length - 1)]!);
        add(t + lt, q);
        pipeline = pipeline.add(q);
        orderedQty = orderedQty.add(q);
        orders.push(q);
        arrivesOn.push(t + lt);
      }
    }
    trail.push(onHand);
  }
  return { trail, lost, served, orderedQty, orders, arrivesOn, stockoutDays };
};

describe("inventory simulator properties", () => {
  it("the scaled-integer replay equals the replay in decimals, exactly", () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const r = ok(simulateInventory(x));
        const e = reference(x);
        expect(r.onHand.map(String)).toEqual(e.trail.map(String));
        expect(r.lost.eq(e.lost)).toBe(true);
        expect(r.served.eq(e.served)).toBe(true);
        expect(r.orderedQty.eq(e.orderedQty)).toBe(true);
        expect(r.orders).toBe(e.orders.length);
        expect(r.stockoutDays).toBe(e.stockoutDays);
        // money is quantity × price exactly
        expect(r.lostSalesValue.eq(e.lost.mul(x.unitPrice))).toBe(true);
        expect(r.sums.inventoryValueDays.eq(e.trail.reduce((a, q) => a.add(q), new Dec(0)).mul(x.unitCost))).toBe(true);
      }),
      runs,
    );
  });

  it("stock is conserved exactly: opening + received = served + closing; under lost sales demand = served + lost, under backorders nothing is lost", () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const r = ok(simulateInventory(x));
        const e = reference(x);
        const n = x.demand.length;
        expect(r.orderedQty.eq(e.orderedQty)).toBe(true);
        const closing = n > 0 ? r.onHand[n - 1]! : new Dec(x.initialOnHand);
        // received = everything whose arrival day is before the end
        let received = new Dec(0);
        for (const o of x.openOrders) if (o.day < n) received = received.add(o.qty);
        let ordersReceived = new Dec(0);
        e.orders.forEach((q, i) => {
          if (e.arrivesOn[i]! < n) ordersReceived = ordersReceived.add(q);
        });
        expect(new Dec(x.initialOnHand).add(received).add(ordersReceived).eq(r.served.add(closing))).toBe(true);
        const demand = x.demand.reduce((a, q) => a.add(q), new Dec(0));
        expect(r.demand.eq(demand)).toBe(true);
        expect(r.served.add(r.lost).lte(demand)).toBe(true);
        if (x.unmet === "lost") expect(r.served.add(r.lost).eq(demand)).toBe(true);
        else expect(r.lost.isZero()).toBe(true);
      }),
      runs,
    );
  });

  it("every order is at least the MOQ and whole packs", () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const e = reference(x);
        const pack = new Dec(x.policy.packSize ?? "1");
        const moq = new Dec(x.policy.moq ?? "0");
        for (const q of e.orders) {
          expect(q.gte(moq)).toBe(true);
          expect(q.mod(pack).isZero()).toBe(true);
        }
        // and the simulator ordered the same total
        expect(ok(simulateInventory(x)).orderedQty.eq(e.orders.reduce((a, q) => a.add(q), new Dec(0)))).toBe(true);
      }),
      runs,
    );
  });

  it("aggregating reports sums them exactly", () => {
    fc.assert(
      fc.property(fc.array(inputArb, { minLength: 1, maxLength: 4 }), (xs) => {
        const reports: SimulationReport[] = xs.map((x) => ok(simulateInventory(x)));
        const agg = aggregateSimulations(reports);
        const sum = (f: (r: SimulationReport) => Dec): Dec => reports.reduce((a, r) => a.add(f(r)), new Dec(0));
        expect(agg.sums.inventoryValueDays.eq(sum((r) => r.sums.inventoryValueDays))).toBe(true);
        expect(agg.lost.eq(sum((r) => r.lost))).toBe(true);
        expect(agg.servedOnDay.eq(sum((r) => r.servedOnDay))).toBe(true);
        expect(agg.stockoutDays).toBe(reports.reduce((a, r) => a + r.stockoutDays, 0));
      }),
      runs,
    );
  });
});
