import { loadRuleSet } from "@jxc/core";
import { describe, expect, it } from "vitest";
import { type ApprovalRequest, type RuledApproval, Replica, approvalByRules } from "@jxc/sync";
import { failWith, ok } from "../../../scripts/test-support.js";

const T0 = Date.parse("2026-08-20T09:00:00+08:00");

/** Approve a transfer to a store whose 30-day sales growth is above 20%; reject scrapping above 10 units. */
const rules = () =>
  ok(
    loadRuleSet({
      id: "transfer-approval",
      version: 1,
      mode: "first-match",
      facts: { "request.kind": { enum: ["cross-region-transfer", "scrap", "other"] }, "request.qty": "decimal", "store.salesGrowth30d": "decimal" },
      actions: { approve: { params: {} }, reject: { params: {} } },
      rules: [
        { id: "growing-store", description: "transfers to a growing store", priority: 2, condition: 'request.kind = "cross-region-transfer" and store.salesGrowth30d > 0.2', action: "approve", params: {} },
        { id: "big-scrap", description: "scrapping more than 10 units needs a person, and is refused automatically", priority: 1, condition: 'request.kind = "scrap" and request.qty > 10', action: "reject", params: {} },
      ],
    }),
  );

const growth: Record<string, string> = { s1: "0.35", s2: "0.05" };
const factsOf = (r: ApprovalRequest) => ({
  request: { kind: r.operation.kind === "transfer-out" && r.operation.crossRegion ? "cross-region-transfer" : r.operation.kind === "scrap" ? "scrap" : "other", qty: "qty" in r.operation ? r.operation.qty : "0" },
  store: { salesGrowth30d: growth[r.operation.kind === "transfer-out" ? r.operation.to : r.from] ?? "0" },
});

/** Runs frames between the center and its edges until nothing is left. */
const settle = (rs: Map<string, Replica>, now: number) => {
  for (let round = 0; round < 4; round++)
    for (const [id, r] of rs)
      for (const out of r.outgoing(now)) {
        let queue = [{ from: id, ...out }];
        while (queue.length > 0) queue = queue.flatMap((f) => ok(rs.get(f.to)!.receive(f.from, f.frame, now)).map((x) => ({ from: f.to, ...x })));
      }
};

describe("auto-approval by the core rule language", () => {
  it("approves a cross-region transfer to a growing store, leaves one to a flat store to a person, and explains itself", () => {
    const ruled: RuledApproval[] = [];
    const autoApprove = ok(approvalByRules(rules(), factsOf, (o) => ruled.push(o)));
    const rs = new Map<string, Replica>();
    rs.set("hq", ok(Replica.create({ id: "hq", role: "center", peers: ["w1"] }, T0, { autoApprove })));
    rs.set("w1", ok(Replica.create({ id: "w1", role: "edge", center: "hq" }, T0)));
    const w1 = rs.get("w1")!;
    ok(w1.localOperation({ kind: "receipt", id: "r1", item: "notebook", position: "W1", qty: "100" }, T0));
    expect(ok(w1.localOperation({ kind: "transfer-out", id: "t1", item: "notebook", from: "W1", to: "s1", qty: "30", crossRegion: true }, T0)).status).toBe("pending");
    expect(ok(w1.localOperation({ kind: "transfer-out", id: "t2", item: "notebook", from: "W1", to: "s2", qty: "30", crossRegion: true }, T0)).status).toBe("pending");
    settle(rs, T0 + 1000);
    expect(w1.status("t1")).toBe("posted");
    expect(w1.quantity("notebook", "W1").toString()).toBe("70");
    expect(w1.status("t2")).toBe("pending");
    expect(rs.get("hq")!.pendingApprovals().map((r) => r.op)).toEqual(["t2"]);
    const t1 = ruled.find((o) => o.request.op === "t1")!;
    expect(t1.decision).toBe("approved");
    expect(t1.evaluation!.fired[0]!.rule).toBe("growing-store");
    expect(t1.evaluation!.fired[0]!.explanation).toContain("store.salesGrowth30d (0.35) > 0.2");
    expect(ruled.find((o) => o.request.op === "t2")!.decision).toBeUndefined();
  });

  it("rejects by rule, and leaves a request whose facts are missing to a person with the error named", () => {
    const ruled: RuledApproval[] = [];
    const autoApprove = ok(approvalByRules(rules(), (r) => (r.op === "x2" ? { request: { kind: "scrap" } } : factsOf(r)), (o) => ruled.push(o)));
    const rs = new Map<string, Replica>();
    rs.set("hq", ok(Replica.create({ id: "hq", role: "center", peers: ["s1"] }, T0, { autoApprove })));
    rs.set("s1", ok(Replica.create({ id: "s1", role: "edge", center: "hq" }, T0)));
    const s1 = rs.get("s1")!;
    ok(s1.localOperation({ kind: "receipt", id: "r1", item: "milk", position: "S1", qty: "50" }, T0));
    ok(s1.localOperation({ kind: "scrap", id: "x1", item: "milk", position: "S1", qty: "12" }, T0));
    ok(s1.localOperation({ kind: "scrap", id: "x2", item: "milk", position: "S1", qty: "2" }, T0));
    settle(rs, T0 + 1000);
    expect(s1.status("x1")).toBe("rejected");
    expect(s1.quantity("milk", "S1").toString()).toBe("50");
    expect(s1.status("x2")).toBe("pending");
    expect(ruled.find((o) => o.request.op === "x2")!.error!.message).toContain("request.qty");
  });

  it("refuses a rule set whose actions are not approve or reject", () => {
    const set = ok(loadRuleSet({ id: "x", version: 1, mode: "first-match", facts: { a: "decimal" }, actions: { escalate: { params: {} } }, rules: [] }));
    const e = failWith(approvalByRules(set, () => ({})), "InvalidInput");
    expect(e.issues[0]!.path).toBe("actions.escalate");
  });
});
