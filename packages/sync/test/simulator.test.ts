import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { simulate } from "@jxc/sync/testing";
import { failWith, ok } from "../../../scripts/test-support.js";

// JXC_SIM_SEEDS raises the number of seeds (the CLI runs thousands: `npm run simulate -w @jxc/sync`).
const SEEDS = Math.max(250, Number(process.env.JXC_SIM_SEEDS ?? 0));
const STEPS = 30;

describe("simulator", () => {
  // In blocks of 25 seeds, so that no single test runs for long on a busy machine.
  for (let from = 1; from <= SEEDS; from += 25) {
    const to = Math.min(SEEDS, from + 24);
    it(`seeds ${from}–${to}: converge, never negative, no acknowledged operation lost, audit log verifies`, () => {
      const failed: string[] = [];
      let crashes = 0;
      let partitions = 0;
      let lost = 0;
      let duplicated = 0;
      for (let seed = from; seed <= to; seed++) {
        const report = ok(simulate({ seed, steps: STEPS }));
        if (!report.ok) failed.push(`${report.summary}\n  ${report.failures.map((f) => `${f.check}: ${f.message}`).join("\n  ")}`);
        crashes += report.crashes;
        partitions += report.partitions;
        lost += report.network.lost;
        duplicated += report.network.duplicated;
      }
      expect(failed).toEqual([]);
      // The faults did happen.
      expect(crashes).toBeGreaterThan(0);
      expect(partitions).toBeGreaterThan(0);
      expect(lost).toBeGreaterThan(0);
      expect(duplicated).toBeGreaterThan(0);
    });
  }

  it("reproduces a seed exactly", () => {
    const a = ok(simulate({ seed: 4242, steps: 60 }));
    const b = ok(simulate({ seed: 4242, steps: 60 }));
    expect(b).toEqual(a);
    const c = ok(simulate({ seed: 4243, steps: 60 }));
    expect(c.summary).not.toEqual(a.summary);
  });

  it("runs the full default scenario (1 center + 20 edges, 200 steps, audit on)", () => {
    const report = ok(simulate({ seed: 7 }));
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.edges).toBe(20);
    expect(report.auditEntries).toBeGreaterThan(0);
    // The center's Merkle log held every chain and published checkpoints the edges checked.
    expect(report.checkpoints).toBeGreaterThan(1);
    expect(report.auditLogSize).toBeGreaterThan(0);
    expect(report.operations.applied).toBeGreaterThan(0);
    expect(report.operations.refused).toBeGreaterThan(0); // escrow refused sales beyond rights
    expect(report.operations.approved + report.operations.rejected).toBeGreaterThan(0);
  });

  it("keeps no audit log when audit is off", () => {
    const report = ok(simulate({ seed: 8, steps: 20, audit: false }));
    expect(report.ok).toBe(true);
    expect(report.auditEntries + report.checkpoints + report.auditLogSize).toBe(0);
  });

  it("converges at once on a perfect network", () => {
    const report = ok(simulate({ seed: 9, steps: 40, faults: { loss: 0, duplication: 0, reordering: 0, jitterMs: 0, partitions: false, crashes: false } }));
    expect(report.ok).toBe(true);
    expect(report.network.lost + report.network.duplicated + report.network.cut).toBe(0);
    expect(report.crashes + report.partitions).toBe(0);
  });

  it("survives heavy faults", () => {
    for (const seed of [11, 12, 13]) {
      const report = ok(simulate({ seed, steps: 60, faults: { loss: 0.4, duplication: 0.3, reordering: 0.5, jitterMs: 200 } }));
      expect(report.failures).toEqual([]);
    }
  });

  it("refuses a malformed configuration with a typed error", () => {
    failWith(simulate({ seed: -1 }), "InvalidInput");
    failWith(simulate({ seed: 1, edges: 0 }), "InvalidInput");
    failWith(simulate({ seed: 1, faults: { loss: 2 } }), "InvalidInput");
    expect(Result.isFailure(simulate({ seed: 1, steps: 1.5 }))).toBe(true);
  });
});
