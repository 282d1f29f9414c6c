import { Dec } from "@jxc/core";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { type Frame, type OutgoingFrame, Replica, type ReplicaOptions, decodeFrame, encodeFrame } from "@jxc/sync";
import { err, failWith, ok } from "../../../scripts/test-support.js";

const T0 = Date.parse("2026-01-05T09:00:00+08:00");

type Net = Map<string, Replica>;

/** Delivers frames and their replies until quiet. */
const deliver = (net: Net, frames: ReadonlyArray<OutgoingFrame>, from: string, now: number): void => {
  let queue = frames.map((f) => ({ from, ...f }));
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const f of queue) next.push(...ok(net.get(f.to)!.receive(f.from, f.frame, now)).map((x) => ({ from: f.to, ...x })));
    queue = next;
  }
};
const sync = (net: Net, now: number) => {
  for (let round = 0; round < 3; round++) for (const [id, r] of net) deliver(net, r.outgoing(now), id, now);
};

const star = (edges: string[], edgeConfig: Record<string, unknown> = {}, options: ReplicaOptions = {}, centerConfig: Record<string, unknown> = {}): Net => {
  const net: Net = new Map();
  net.set("hq", ok(Replica.create({ id: "hq", role: "center", peers: edges, ...centerConfig }, T0, options)));
  for (const e of edges) net.set(e, ok(Replica.create({ id: e, role: "edge", center: "hq", ...edgeConfig }, T0)));
  return net;
};

/** Re-encodes a frame after changing it (as a forger would). */
const forge = (bytes: Uint8Array, change: (f: Frame) => Frame): Uint8Array => ok(encodeFrame(change(Result.getOrThrow(decodeFrame(bytes)))));

/** A counter of a delta message, as the frame carries it. */
type FrameCell = Extract<Frame["messages"][number], { kind: "delta" }>["cells"][number];

/** Re-encodes a frame with every counter of its deltas changed. */
const forgeCells = (bytes: Uint8Array, change: (c: FrameCell) => FrameCell): Uint8Array =>
  forge(bytes, (fr) => ({ ...fr, messages: fr.messages.map((m) => (m.kind === "delta" ? { ...m, cells: m.cells.map(change) } : m)) }));

describe("replica exchange: bad input leaves the replica unchanged", () => {
  it("a frame writing another replica's row is ForgedFrame", () => {
    const net = star(["s1", "s2"]);
    const s1 = net.get("s1")!;
    const hq = net.get("hq")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    const f = s1.outgoing(T0)[0]!;
    const forged = forgeCells(f.frame, (c) => ({ ...c, inc: [["s2", 99000]] }));
    const before = hq.digest();
    expect(failWith(hq.receive("s1", forged, T0), "ForgedFrame").reason).toContain("inc[s2]");
    expect(hq.digest()).toBe(before);
    ok(hq.receive("s1", f.frame, T0)); // the genuine frame still applies afterwards
    expect(hq.quantity("tea", "S1").toString()).toBe("5");
  });

  it("a delta claiming rights nobody gave is RightsViolation", () => {
    const net = star(["s1"]);
    const s1 = net.get("s1")!;
    const hq = net.get("hq")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    const f = s1.outgoing(T0)[0]!;
    const forged = forgeCells(f.frame, (c) => ({ ...c, dec: [["s1", 7000]] }));
    const e = failWith(hq.receive("s1", forged, T0), "RightsViolation");
    expect(e.replica).toBe("s1");
    expect(e.rights).toBe("-2");
    expect(hq.quantity("tea", "S1").toString()).toBe("0");
  });

  it("misaddressed, impersonating, replayed, drifting and stale-epoch frames are refused", () => {
    const net = star(["s1", "s2"]);
    const s1 = net.get("s1")!;
    const hq = net.get("hq")!;
    const s2 = net.get("s2")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    const f = s1.outgoing(T0)[0]!;
    expect(failWith(s2.receive("s1", f.frame, T0), "ForgedFrame").reason).toContain("addressed to hq");
    expect(failWith(hq.receive("s2", f.frame, T0), "ForgedFrame").reason).toContain("sent by s2");
    failWith(hq.receive("s1", f.frame, T0 - 120_000), "ClockDrift");
    ok(hq.receive("s1", f.frame, T0));
    failWith(hq.receive("s1", f.frame, T0), "ReplayedFrame");
    // s1 restarts: a new epoch; frames of the old one are refused afterwards.
    const restarted = ok(Replica.restore(s1.snapshot(), T0 + 5000));
    ok(restarted.localOperation({ kind: "receipt", id: "r2", item: "tea", position: "S1", qty: "1" }, T0 + 5000));
    for (const g of restarted.outgoing(T0 + 5000)) ok(hq.receive("s1", g.frame, T0 + 5000));
    const old = forge(f.frame, (fr) => ({ ...fr, seq: 9n }));
    failWith(hq.receive("s1", old, T0 + 5000), "StaleEpoch");
    expect(hq.quantity("tea", "S1").toString()).toBe("6");
    expect(err(hq.receive("s1", Uint8Array.from([0xa7, 0x4a, 1, 200]), T0 + 5000))).toMatchObject({ _tag: "MalformedFrame" });
  });

  it("an edge may not decide approvals or grant rights", () => {
    const net = star(["s1"]);
    const s1 = net.get("s1")!;
    const hq = net.get("hq")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    const f = s1.outgoing(T0)[0]!;
    const forged = forge(f.frame, (fr) => ({ ...fr, messages: [{ kind: "decision", op: "x", decision: "approved" }] }));
    expect(failWith(hq.receive("s1", forged, T0), "ForgedFrame").reason).toContain("decision from an edge");
  });
});

describe("replica exchange: rights, approvals, persistence", () => {
  it("out of rights with outOfRights=queue: the center grants what it holds and approves", () => {
    const net = star(["s1"], { policy: { outOfRights: "queue" } });
    const hq = net.get("hq")!;
    const s1 = net.get("s1")!;
    ok(hq.localOperation({ kind: "receipt", id: "PR-1", item: "tea", position: "SH", qty: "10" }, T0));
    sync(net, T0);
    const out = ok(s1.localOperation({ kind: "sale", id: "SO-1", item: "tea", position: "SH", qty: "3" }, T0 + 1000));
    expect(out).toMatchObject({ status: "pending", reason: "rights" });
    expect(hq.pendingApprovals()).toEqual([]);
    sync(net, T0 + 2000);
    expect(hq.pendingApprovals().map((a) => a.op)).toEqual(["SO-1"]);
    ok(hq.decide("SO-1", "approved", T0 + 3000));
    sync(net, T0 + 4000);
    expect(s1.status("SO-1")).toBe("posted");
    expect(hq.quantity("tea", "SH").toString()).toBe("7");
    expect(hq.rights("tea", "SH").toString()).toBe("7");
    expect(s1.rights("tea", "SH").toString()).toBe("0");
    expect(s1.digest()).toBe(hq.digest());
  });

  it("a rejected request leaves stock as it was", () => {
    const net = star(["s1"], {}, { autoApprove: () => "rejected" });
    const s1 = net.get("s1")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    ok(s1.localOperation({ kind: "transfer-out", id: "T1", item: "tea", from: "S1", to: "GZ", qty: "2", crossRegion: true }, T0));
    sync(net, T0 + 1000);
    expect(s1.status("T1")).toBe("rejected");
    expect(s1.quantity("tea", "S1").toString()).toBe("5");
    expect(s1.pendingOperations()).toEqual([]);
  });

  it("rights on request, and proportional rebalancing by forecast demand", () => {
    const net = star(["s1", "s2"]);
    const hq = net.get("hq")!;
    const s1 = net.get("s1")!;
    const s2 = net.get("s2")!;
    ok(hq.localOperation({ kind: "receipt", id: "PR-1", item: "tea", position: "SH", qty: "100" }, T0));
    const given = ok(hq.rebalance({ item: "tea", position: "SH" }, [
      { replica: "s1", demand: new Dec(30) },
      { replica: "s2", demand: new Dec(10) },
    ], T0));
    expect(given.map((g) => [g.to, g.qty.toString()])).toEqual([["s1", "75"], ["s2", "25"]]);
    sync(net, T0);
    expect(s2.rights("tea", "SH").toString()).toBe("25");
    ok(s2.localOperation({ kind: "sale", id: "s2-1", item: "tea", position: "SH", qty: "25" }, T0 + 10));
    ok(s1.transferRights("hq", { item: "tea", position: "SH" }, "5", T0 + 10));
    sync(net, T0 + 20);
    ok(s2.requestRights({ item: "tea", position: "SH" }, "4"));
    sync(net, T0 + 30);
    expect(s2.rights("tea", "SH").toString()).toBe("4");
    expect(hq.rights("tea", "SH").toString()).toBe("1");
    expect(new Set([hq.digest(), s1.digest(), s2.digest()]).size).toBe(1);
  });

  it("restores from a snapshot, keeps pending work, and catches up in one exchange", () => {
    const net = star(["s1"]);
    const hq = net.get("hq")!;
    const s1 = net.get("s1")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    ok(s1.localOperation({ kind: "scrap", id: "x1", item: "tea", position: "S1", qty: "1" }, T0));
    sync(net, T0);
    const snap = JSON.parse(JSON.stringify(s1.snapshot()));
    const back = ok(Replica.restore(snap, T0 + 60_000));
    net.set("s1", back);
    expect(back.pendingOperations().map((p) => p.op)).toEqual(["x1"]);
    expect(back.epoch).toBeGreaterThan(s1.epoch);
    // Meanwhile the center moved on; one exchange brings the edge up to date.
    ok(hq.localOperation({ kind: "price-change", id: "p1", item: "tea", price: "12.50" }, T0 + 60_000));
    ok(hq.decide("x1", "approved", T0 + 60_000));
    sync(net, T0 + 61_000);
    expect(back.register("prices", "tea")).toBe("12.5");
    expect(back.status("x1")).toBe("posted");
    expect(back.quantity("tea", "S1").toString()).toBe("4");
    expect(back.digest()).toBe(hq.digest());
  });

  it("the center posts to its ledger, including the edges' journaled operations", () => {
    const ledger = { settings: { negativeStock: "allow" as const }, items: [{ id: "tea", name: "绿茶", baseUnit: "件" }], warehouses: [{ id: "SH" }, { id: "S1" }] };
    const net = star(["s1"], { journal: true }, {}, { ledger });
    const hq = net.get("hq")!;
    const s1 = net.get("s1")!;
    ok(hq.localOperation({ kind: "receipt", id: "PR-1", item: "tea", position: "SH", qty: "10", unitCost: "8.00" }, T0));
    ok(hq.transferRights("s1", { item: "tea", position: "SH" }, "10", T0));
    sync(net, T0);
    ok(s1.localOperation({ kind: "sale", id: "SO-1", item: "tea", position: "SH", qty: "4" }, T0 + 1000));
    sync(net, T0 + 2000);
    expect(hq.ledgerRefusals()).toEqual([]);
    const balance = ok(hq.ledger!.balance({ item: "tea", warehouse: "SH" }));
    expect(balance.qty.toString()).toBe("6");
    expect(balance.value.toFixed(2)).toBe("48.00");
  });

  it("a refused ledger posting leaves the counters as they were", () => {
    const ledger = { items: [{ id: "tea", name: "绿茶", baseUnit: "件" }], warehouses: [{ id: "SH" }] };
    const hq = ok(Replica.create({ id: "hq", role: "center", ledger }, T0));
    failWith(hq.localOperation({ kind: "receipt", id: "PR-1", item: "coffee", position: "SH", qty: "10" }, T0), "UnknownReference");
    expect(hq.quantity("coffee", "SH").toString()).toBe("0");
    expect(hq.version).toBe(0);
  });
});

describe("catching up", () => {
  it("an edge offline while 10,000 operations happened catches up in one exchange, bounded by the counters touched", () => {
    const net = star(["s1"], {}, {}, { maxEntriesPerFrame: 40 });
    const hq = net.get("hq")!;
    const s1 = net.get("s1")!;
    sync(net, T0);
    for (let i = 0; i < 10_000; i++) {
      const item = `item-${Math.floor(i / 2) % 100}`;
      ok(hq.localOperation(i % 2 === 0 ? { kind: "receipt", id: `r${i}`, item, position: "SH", qty: "3" } : { kind: "sale", id: `s${i}`, item, position: "SH", qty: "1" }, T0 + 1000 + i));
    }
    const frames = hq.outgoing(T0 + 3 * 86_400_000);
    expect(frames.length).toBe(3); // 100 counters, 40 per frame
    const bytes = frames.reduce((n, f) => n + f.frame.length, 0);
    console.log(`catch-up after 10,000 operations on 100 items: ${frames.length} frames, ${bytes} bytes`);
    for (const f of frames) for (const r of ok(s1.receive("hq", f.frame, T0 + 3 * 86_400_000))) ok(hq.receive("s1", r.frame, T0 + 3 * 86_400_000));
    expect(s1.digest()).toBe(hq.digest());
    expect(s1.quantity("item-7", "SH").toString()).toBe("100");
  });
});

describe("replica exchange over a lossy, duplicating, reordering link", () => {
  it("converges with no unit oversold", () => {
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const edges = ["s1", "s2", "s3"];
    const net = star(edges);
    const hq = net.get("hq")!;
    for (const item of ["a", "b", "c"]) {
      ok(hq.localOperation({ kind: "receipt", id: `PR-${item}`, item, position: "SH", qty: "30" }, T0));
      for (const e of edges) ok(hq.transferRights(e, { item, position: "SH" }, "10", T0));
    }
    let inFlight: { from: string; to: string; frame: Uint8Array }[] = [];
    let sold = 0;
    for (let t = 0; t < 400; t++) {
      const now = T0 + t * 1000;
      const e = edges[Math.floor(random() * 3)]!;
      const r = net.get(e)!.localOperation({ kind: "sale", id: `${e}-${t}`, item: ["a", "b", "c"][Math.floor(random() * 3)]!, position: "SH", qty: "1" }, now);
      if (Result.isSuccess(r)) sold++;
      for (const [id, rep] of net) for (const f of rep.outgoing(now)) inFlight.push({ from: id, ...f });
      const keep: typeof inFlight = [];
      inFlight.sort(() => random() - 0.5);
      for (const f of inFlight) {
        const x = random();
        if (x < 0.2) continue; // lost
        if (x < 0.3) {
          keep.push(f); // delayed
          continue;
        }
        const replies = net.get(f.to)!.receive(f.from, f.frame, now);
        if (x < 0.4) net.get(f.to)!.receive(f.from, f.frame, now); // duplicated: refused the second time
        if (Result.isSuccess(replies)) for (const g of replies.success) keep.push({ from: f.to, ...g });
      }
      inFlight = keep;
    }
    for (let k = 0; k < 10; k++) sync(net, T0 + 1_000_000 + k * 40_000);
    expect(sold).toBe(90);
    expect(new Set([...net.values()].map((r) => r.digest())).size).toBe(1);
    for (const item of ["a", "b", "c"]) expect(hq.quantity(item, "SH").toString()).toBe("0");
  });
});
