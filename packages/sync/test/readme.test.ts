import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { Replica } from "@jxc/sync";

describe("the README example", () => {
  it("sells offline within rights, refuses beyond them, and converges", () => {
    const t = Date.parse("2026-01-05T09:00:00+08:00");
    const hq = Result.getOrThrow(Replica.create({ id: "hq", role: "center", peers: ["store-1"] }, t));
    const store = Result.getOrThrow(Replica.create({ id: "store-1", role: "edge", center: "hq" }, t));

    hq.localOperation({ kind: "receipt", id: "PR-1", item: "tea", position: "SH", qty: "100" }, t);
    hq.transferRights("store-1", { item: "tea", position: "SH" }, "30", t);

    const exchange = (now: number) => {
      for (const f of hq.outgoing(now)) for (const r of Result.getOrThrow(store.receive("hq", f.frame, now))) hq.receive("store-1", r.frame, now);
      for (const f of store.outgoing(now)) for (const r of Result.getOrThrow(hq.receive("store-1", f.frame, now))) store.receive("hq", r.frame, now);
    };
    exchange(t);

    expect(Result.isSuccess(store.localOperation({ kind: "sale", id: "SO-1", item: "tea", position: "SH", qty: "25" }, t + 60_000))).toBe(true);
    const refused = store.localOperation({ kind: "sale", id: "SO-2", item: "tea", position: "SH", qty: "10" }, t + 60_000);
    expect(Result.isFailure(refused) && refused.failure._tag).toBe("InsufficientRights");
    expect(Result.isFailure(refused) && refused.failure).toMatchObject({ requested: "10", available: "5" });

    exchange(t + 120_000);
    expect(hq.quantity("tea", "SH").toString()).toBe("75");
    expect(hq.digest()).toBe(store.digest());
  });
});
