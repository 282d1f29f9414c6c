import { Dec } from "@jxc/core";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { type OutgoingFrame, Replica, decodeFrame } from "@jxc/sync";
import { err, failWith, ok } from "../../../scripts/test-support.js";

const T0 = Date.parse("2026-01-05T09:00:00+08:00");

/** Delivers frames (and their replies) until nothing is left; returns the number of frames. */
const deliver = (replicas: Map<string, Replica>, frames: OutgoingFrame[], from: string, now: number): number => {
  let queue = frames.map((f) => ({ from, ...f }));
  let n = 0;
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const f of queue) {
      n++;
      const r = ok(replicas.get(f.to)!.receive(f.from, f.frame, now));
      next.push(...r.map((x) => ({ from: f.to, ...x })));
    }
    queue = next;
  }
  return n;
};

const sync = (replicas: Map<string, Replica>, now: number) => {
  for (let round = 0; round < 3; round++) for (const [id, r] of replicas) deliver(replicas, r.outgoing(now), id, now);
};

const star = (edges: string[], policy = {}) => {
  const replicas = new Map<string, Replica>();
  replicas.set("hq", ok(Replica.create({ id: "hq", role: "center", peers: edges }, T0)));
  for (const e of edges) replicas.set(e, ok(Replica.create({ id: e, role: "edge", center: "hq", policy }, T0)));
  return replicas;
};

describe("replica", () => {
  it("receipts at the center, rights to edges, sales offline, convergence and no oversell", () => {
    const rs = star(["s1", "s2"]);
    const hq = rs.get("hq")!;
    const s1 = rs.get("s1")!;
    const s2 = rs.get("s2")!;
    ok(hq.localOperation({ kind: "receipt", id: "PR-1", item: "tea", position: "SH", qty: "10", unitCost: "8" }, T0));
    ok(hq.transferRights("s1", { item: "tea", position: "SH" }, "4", T0));
    ok(hq.transferRights("s2", { item: "tea", position: "SH" }, new Dec(4), T0));
    sync(rs, T0 + 1000);
    expect(s1.rights("tea", "SH").toString()).toBe("4");
    ok(s1.localOperation({ kind: "sale", id: "s1-1", item: "tea", position: "SH", qty: "3" }, T0 + 2000));
    const refused = failWith(s1.localOperation({ kind: "sale", id: "s1-2", item: "tea", position: "SH", qty: "2" }, T0 + 2000), "InsufficientRights");
    expect(refused.requested).toBe("2");
    expect(refused.available).toBe("1");
    ok(s2.localOperation({ kind: "sale", id: "s2-1", item: "tea", position: "SH", qty: "4" }, T0 + 2000));
    sync(rs, T0 + 40_000);
    expect(hq.quantity("tea", "SH").toString()).toBe("3");
    expect(s1.digest()).toBe(hq.digest());
    expect(s2.digest()).toBe(hq.digest());
  });

  it("a frame delivered twice is applied once; the second is ReplayedFrame", () => {
    const rs = star(["s1"]);
    const s1 = rs.get("s1")!;
    const hq = rs.get("hq")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    const frames = s1.outgoing(T0);
    expect(frames.length).toBe(1);
    ok(hq.receive("s1", frames[0]!.frame, T0));
    const digest = hq.digest();
    failWith(hq.receive("s1", frames[0]!.frame, T0), "ReplayedFrame");
    expect(hq.digest()).toBe(digest);
    expect(hq.quantity("tea", "S1").toString()).toBe("5");
  });

  it("pending approval for scrap at an edge, auto-approved by the center's predicate", () => {
    const rs = new Map<string, Replica>();
    rs.set("hq", ok(Replica.create({ id: "hq", role: "center", peers: ["s1"] }, T0, { autoApprove: (r) => r.operation.kind === "scrap" })));
    rs.set("s1", ok(Replica.create({ id: "s1", role: "edge", center: "hq" }, T0)));
    const s1 = rs.get("s1")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "milk", position: "S1", qty: "5" }, T0));
    const out = ok(s1.localOperation({ kind: "scrap", id: "x1", item: "milk", position: "S1", qty: "2" }, T0));
    expect(out.status).toBe("pending");
    expect(s1.quantity("milk", "S1").toString()).toBe("5");
    sync(rs, T0 + 1000);
    expect(s1.status("x1")).toBe("posted");
    expect(s1.quantity("milk", "S1").toString()).toBe("3");
    expect(rs.get("hq")!.digest()).toBe(s1.digest());
  });

  it("decodes what it sends", () => {
    const rs = star(["s1"]);
    const s1 = rs.get("s1")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "tea", position: "S1", qty: "5" }, T0));
    const f = s1.outgoing(T0)[0]!;
    const frame = Result.getOrThrow(decodeFrame(f.frame));
    expect(frame.sender).toBe("s1");
    expect(err(rs.get("hq")!.receive("s2", f.frame, T0))).toMatchObject({ _tag: "ForgedFrame" });
  });
});
