import fc from "fast-check";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { Replica } from "@jxc/sync";
import { ok } from "../../../scripts/test-support.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };
const T0 = Date.parse("2026-01-05T09:00:00+08:00");
const EDGES = ["s1", "s2"] as const;

const qty = fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom("0.5", "1.25", "-1", "abc", "0.0001"));
const opArb = fc.record({
  at: fc.constantFrom("hq", ...EDGES),
  kind: fc.constantFrom("sale", "receipt", "requisition", "scrap", "transfer-out", "transfer-in", "move", "stocktake", "price-change", "rights", "request", "exchange"),
  item: fc.constantFrom("tea", "rice"),
  qty,
  to: fc.constantFrom("hq", ...EDGES),
  dt: fc.integer({ min: 0, max: 40_000 }),
});

describe("replica invariants (fast-check, 1,000 runs each)", () => {
  it("whatever edges and the center do and whenever they exchange, no one's rights and no position go negative, nothing throws, and they converge", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.boolean(), (ops, queue) => {
        const net = new Map<string, Replica>();
        net.set("hq", ok(Replica.create({ id: "hq", role: "center", peers: [...EDGES] }, T0, { autoApprove: (r) => r.operation.kind !== "price-change" })));
        for (const e of EDGES) net.set(e, ok(Replica.create({ id: e, role: "edge", center: "hq", policy: { outOfRights: queue ? "queue" : "refuse" } }, T0)));
        let now = T0;
        let n = 0;
        const exchange = () => {
          for (let round = 0; round < 3; round++)
            for (const [id, r] of net)
              for (const f of r.outgoing(now)) {
                const replies = net.get(f.to)!.receive(id, f.frame, now);
                expect(Result.isSuccess(replies)).toBe(true);
                if (Result.isSuccess(replies)) for (const g of replies.success) expect(Result.isSuccess(net.get(g.to)!.receive(f.to, g.frame, now))).toBe(true);
              }
        };
        for (const op of ops) {
          now += op.dt;
          const r = net.get(op.at)!;
          const id = `${op.at}-${n++}`;
          const P = op.at === "hq" ? "SH" : op.at.toUpperCase();
          switch (op.kind) {
            case "rights":
              r.transferRights(op.to, { item: op.item, position: "SH" }, op.qty, now);
              break;
            case "request":
              r.requestRights({ item: op.item, position: "SH" }, op.qty);
              break;
            case "exchange":
              exchange();
              break;
            case "transfer-out":
            case "move":
              r.localOperation({ kind: op.kind, id, item: op.item, from: P, to: "SH", qty: op.qty, ...(op.kind === "transfer-out" ? { crossRegion: op.to === "hq" } : {}) }, now);
              break;
            case "stocktake":
              r.localOperation({ kind: op.kind, id, item: op.item, position: P, counted: op.qty }, now);
              break;
            case "price-change":
              r.localOperation({ kind: op.kind, id, item: op.item, price: op.qty }, now);
              break;
            default:
              r.localOperation({ kind: op.kind, id, item: op.item, position: op.kind === "sale" ? "SH" : P, qty: op.qty }, now);
          }
          for (const rep of net.values())
            for (const cell of rep.replicatedState.allCells()) {
              expect(cell.value()).toBeGreaterThanOrEqual(0);
              for (const who of cell.replicas()) expect(cell.rights(who)).toBeGreaterThanOrEqual(0);
            }
        }
        now += 60_000;
        exchange();
        now += 60_000;
        exchange();
        expect(new Set([...net.values()].map((r) => r.digest())).size).toBe(1);
      }),
      runs,
    );
  });

  it("any bytes given to receive are a typed refusal or applied, never a throw, and a refusal changes nothing", () => {
    const hq = ok(Replica.create({ id: "hq", role: "center" }, T0));
    ok(hq.localOperation({ kind: "receipt", id: "r", item: "tea", position: "SH", qty: "5" }, T0));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, magic) => {
        const b = magic ? Uint8Array.from([0xa7, 0x4a, 1, ...bytes]) : bytes;
        const before = hq.digest();
        const r = hq.receive("s1", b, T0);
        if (Result.isFailure(r)) expect(hq.digest()).toBe(before);
      }),
      runs,
    );
  });
});
