import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { autoEts } from "@jxc/forecast";

describe("the README example", () => {
  it("fits AutoETS to two seasons and gives ordered quantiles", () => {
    const y = Float64Array.from([112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140]);
    const fitted = Result.getOrThrow(autoEts().fit(y, { seasonLength: 12 }));
    const forecast = fitted.forecast(6, [0.5, 0.9, 0.95]);
    expect(forecast.mean.length).toBe(6);
    const q50 = forecast.quantiles.get(0.5)!;
    const q95 = forecast.quantiles.get(0.95)!;
    for (let h = 0; h < 6; h++) {
      expect(Number.isFinite(forecast.mean[h]!)).toBe(true);
      expect(q95[h]!).toBeGreaterThanOrEqual(q50[h]!);
    }
  });
});
