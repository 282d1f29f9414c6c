import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { calendarFeatures, hasHolidayData, springFestivalDate, type CalendarFeatures } from "../src/calendar.js";

const feats = (start: string, end: string, extra: Record<string, unknown> = {}): CalendarFeatures => {
  const r = calendarFeatures({ start, end, ...extra });
  if (Result.isFailure(r)) throw new Error(r.failure.message);
  return r.success;
};
const at = (f: CalendarFeatures, name: string, date: string): number => {
  const i = f.dates.indexOf(date);
  expect(i).toBeGreaterThanOrEqual(0);
  return f.columns.get(name)![i]!;
};

describe("calendarFeatures", () => {
  const f = feats("2024-12-30", "2026-03-01");

  it("produces one Float64Array per feature, one value per date", () => {
    expect(f.dates[0]).toBe("2024-12-30");
    expect(f.dates.at(-1)).toBe("2026-03-01");
    for (const col of f.columns.values()) {
      expect(col).toBeInstanceOf(Float64Array);
      expect(col.length).toBe(f.dates.length);
    }
  });

  it("basic calendar fields", () => {
    // 2024-12-30 is a Monday in ISO week 1 of 2025
    expect(at(f, "day_of_week", "2024-12-30")).toBe(1);
    expect(at(f, "week_of_year", "2024-12-30")).toBe(1);
    expect(at(f, "day_of_week", "2025-01-26")).toBe(7);
    expect(at(f, "is_weekend", "2025-01-26")).toBe(1);
    expect(at(f, "is_weekend", "2025-01-27")).toBe(0);
    expect(at(f, "month", "2025-07-15")).toBe(7);
    expect(at(f, "day_of_month", "2025-07-15")).toBe(15);
    expect(at(f, "week_of_year", "2025-12-31")).toBe(1); // ISO week 1 of 2026
    expect(at(f, "week_of_year", "2025-06-30")).toBe(27);
  });

  it("flags Spring Festival 2025-01-29 and 2026-02-17", () => {
    expect(springFestivalDate(2025)).toBe("2025-01-29");
    expect(springFestivalDate(2026)).toBe("2026-02-17");
    expect(at(f, "is_spring_festival", "2025-01-29")).toBe(1);
    expect(at(f, "is_spring_festival", "2026-02-17")).toBe(1);
    expect(at(f, "is_spring_festival", "2025-01-30")).toBe(0);
    expect(at(f, "is_public_holiday", "2025-01-29")).toBe(1);
    expect(at(f, "is_public_holiday", "2026-02-17")).toBe(1);
    const total = f.columns.get("is_spring_festival")!.reduce((a, b) => a + b, 0);
    expect(total).toBe(2);
  });

  it("flags 调休 working weekends of the 2025 schedule (Sun 2025-01-26, Sat 2025-02-08)", () => {
    for (const d of ["2025-01-26", "2025-02-08"]) {
      expect(at(f, "is_adjusted_workday", d)).toBe(1);
      expect(at(f, "is_working_day", d)).toBe(1);
      expect(at(f, "is_public_holiday", d)).toBe(0);
    }
    // an ordinary weekend and an ordinary weekday
    expect(at(f, "is_adjusted_workday", "2025-03-01")).toBe(0);
    expect(at(f, "is_working_day", "2025-03-01")).toBe(0);
    expect(at(f, "is_working_day", "2025-03-03")).toBe(1);
    // a weekend inside the Spring Festival block is a holiday
    expect(at(f, "is_public_holiday", "2025-02-01")).toBe(1);
  });

  it("lunar festivals of 2025", () => {
    expect(at(f, "is_lantern_festival", "2025-02-12")).toBe(1);
    expect(at(f, "is_qingming", "2025-04-04")).toBe(1);
    expect(at(f, "is_dragon_boat", "2025-05-31")).toBe(1);
    expect(at(f, "is_mid_autumn", "2025-10-06")).toBe(1);
    expect(at(f, "is_double_ninth", "2025-10-29")).toBe(1);
    for (const c of ["is_lantern_festival", "is_qingming", "is_dragon_boat", "is_mid_autumn", "is_double_ninth"]) {
      // exactly one of each in calendar year 2025
      const i0 = f.dates.indexOf("2025-01-01");
      const i1 = f.dates.indexOf("2025-12-31");
      expect(f.columns.get(c)!.slice(i0, i1 + 1).reduce((a, b) => a + b, 0)).toBe(1);
    }
  });

  it("days to / since Spring Festival move with the festival", () => {
    expect(at(f, "days_to_spring_festival", "2025-01-01")).toBe(28);
    expect(at(f, "days_to_spring_festival", "2025-01-29")).toBe(0);
    expect(at(f, "days_since_spring_festival", "2025-02-01")).toBe(3);
    expect(at(f, "days_to_spring_festival", "2025-02-01")).toBe(381); // to 2026-02-17
    expect(at(f, "days_since_spring_festival", "2025-01-01")).toBe(326); // since 2024-02-10: 19 days left in Feb + 306 (Mar–Dec) + 1
  });

  it("event windows with lead and lag", () => {
    const g = feats("2025-08-20", "2025-09-20", {
      events: [
        { name: "开学季", start: "2025-08-25", end: "2025-09-07" },
        { name: "开学季", start: "2025-09-15", end: "2025-09-15" },
      ],
      eventLeadDays: 3,
      eventLagDays: 2,
    });
    const col = g.columns.get("event:开学季")!;
    const on = g.dates.filter((_, i) => col[i] === 1);
    expect(on[0]).toBe("2025-08-22");
    expect(on).toContain("2025-09-09");
    expect(on).not.toContain("2025-09-10");
    expect(on).toContain("2025-09-12");
    expect(on.at(-1)).toBe("2025-09-17");
    expect(on.length).toBe(19 + 6);
  });

  it("years without holiday data: typed error by default, explicit unknown on request", () => {
    expect(hasHolidayData(2025)).toBe(true);
    expect(hasHolidayData(2099)).toBe(false);
    const err = calendarFeatures({ start: "2099-01-01", end: "2099-01-10" });
    expect(Result.isFailure(err) && err.failure._tag).toBe("HolidayDataUnavailable");
    const g = feats("2099-01-01", "2099-01-10", { outsideHolidayCoverage: "unknown" });
    expect(at(g, "holiday_known", "2099-01-05")).toBe(0);
    expect(Number.isNaN(at(g, "is_public_holiday", "2099-01-05"))).toBe(true);
    expect(Number.isNaN(at(g, "is_adjusted_workday", "2099-01-05"))).toBe(true);
    expect(at(g, "is_weekend", "2099-01-04")).toBe(1); // a Sunday
    expect(at(f, "holiday_known", "2025-01-05")).toBe(1);
  });

  it("invalid options are InvalidInput", () => {
    for (const bad of [
      { start: "2025-02-30", end: "2025-03-01" },
      { start: "2025-03-02", end: "2025-03-01" },
      { start: "1899-01-01", end: "1899-02-01" },
      { start: "2025-01-01", end: "2025-01-02", events: [{ name: "x", start: "2025-01-05", end: "2025-01-01" }] },
    ]) {
      const r = calendarFeatures(bad);
      expect(Result.isFailure(r) && r.failure._tag).toBe("InvalidInput");
    }
  });
});
