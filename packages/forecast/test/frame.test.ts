import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { seriesDate, toSeries, type ToSeriesOptions } from "../src/frame.js";

const run = (frame: unknown, options: ToSeriesOptions) => toSeries(frame, options);
const ok = (frame: unknown, options: ToSeriesOptions) => {
  const r = run(frame, options);
  if (Result.isFailure(r)) throw new Error(`${r.failure._tag}: ${r.failure.message}`);
  return r.success;
};
const failure = (frame: unknown, options: ToSeriesOptions) => {
  const r = run(frame, options);
  if (Result.isSuccess(r)) throw new Error("expected a failure");
  return r.failure;
};

describe("toSeries", () => {
  it("groups by id, sorts by date, converts decimal strings", () => {
    const series = ok(
      [
        { id: "b", date: "2024-01-02", y: "2.5" },
        { id: "a", date: "2024-01-02", y: 3, price: "9.90" },
        { id: "a", date: "2024-01-01", y: "1", price: 10, promo: true },
        { id: "b", date: "2024-01-01", y: 0 },
      ],
      { freq: "daily", fill: "zero" },
    );
    expect(series.map((s) => s.id)).toEqual(["a", "b"]);
    const a = series[0];
    expect(a?.start).toBe("2024-01-01");
    expect([...(a?.y ?? [])]).toEqual([1, 3]);
    expect([...(a?.exogenous["price"] ?? [])]).toEqual([10, 9.9]);
    expect([...(a?.exogenous["promo"] ?? [])]).toEqual([1, Number.NaN]);
    expect([...(series[1]?.y ?? [])]).toEqual([0, 2.5]);
  });

  it("fills zero-sales days explicitly with fill: zero", () => {
    const [s] = ok(
      [
        { id: "a", date: "2024-02-27", y: 4, price: 1 },
        { id: "a", date: "2024-03-01", y: 2, price: 1 },
      ],
      { freq: "daily", fill: "zero" },
    );
    // 2024 is a leap year: 27, 28, 29 Feb, 1 Mar
    expect([...(s?.y ?? [])]).toEqual([4, 0, 0, 2]);
    expect(s?.filled).toEqual([1, 2]);
    expect([...(s?.exogenous["price"] ?? [])]).toEqual([1, Number.NaN, Number.NaN, 1]);
    expect(seriesDate(s ?? { start: "", freq: "daily" }, 2)).toBe("2024-02-29");
  });

  it("marks gaps as missing (NaN) with fill: missing, and null y as missing", () => {
    const [s] = ok(
      [
        { id: "a", date: "2024-01-01", y: 1 },
        { id: "a", date: "2024-01-15", y: null },
        { id: "a", date: "2024-01-22", y: 5 },
      ],
      { freq: "weekly", fill: "missing" },
    );
    expect([...(s?.y ?? [])]).toEqual([1, Number.NaN, Number.NaN, 5]);
    expect(s?.filled).toEqual([1]);
  });

  it("rejects gaps with fill: reject, naming the row", () => {
    const e = failure(
      [
        { id: "a", date: "2024-01-01", y: 1 },
        { id: "a", date: "2024-01-02", y: 1 },
        { id: "a", date: "2024-01-05", y: 1 },
      ],
      { freq: "daily", fill: "reject" },
    );
    expect(e._tag).toBe("DateGap");
    if (e._tag === "DateGap") expect([e.row, e.missing, e.after, e.before]).toEqual([2, 2, "2024-01-02", "2024-01-05"]);
  });

  it("rejects duplicate dates, naming both rows", () => {
    const e = failure(
      [
        { id: "a", date: "2024-01-01", y: 1 },
        { id: "b", date: "2024-01-01", y: 1 },
        { id: "a", date: "2024-01-01", y: 2 },
      ],
      { freq: "daily", fill: "zero" },
    );
    expect(e._tag).toBe("DuplicateDate");
    if (e._tag === "DuplicateDate") expect([e.id, e.firstRow, e.row]).toEqual(["a", 0, 2]);
  });

  it("monthly series: first of month, gaps by months", () => {
    const [s] = ok(
      [
        { id: "p", date: "2001-11-01", y: 1 },
        { id: "p", date: "2002-02-01", y: 2 },
      ],
      { freq: "monthly", fill: "zero" },
    );
    expect([...(s?.y ?? [])]).toEqual([1, 0, 0, 2]);
    const e = failure([{ id: "p", date: "2002-02-15", y: 1 }], { freq: "monthly", fill: "zero" });
    expect(e._tag).toBe("MisalignedDate");
    const w = failure(
      [
        { id: "w", date: "2024-01-01", y: 1 },
        { id: "w", date: "2024-01-09", y: 1 },
      ],
      { freq: "weekly", fill: "zero" },
    );
    expect(w._tag === "MisalignedDate" && w.row).toBe(1);
  });

  it("rejects malformed rows with InvalidInput naming the field", () => {
    const e = failure(
      [
        { id: "a", date: "2024-01-01", y: 1 },
        { id: "a", date: "2024-02-30", y: "1,5" },
      ],
      { freq: "daily", fill: "zero" },
    );
    expect(e._tag).toBe("InvalidInput");
    if (e._tag === "InvalidInput") expect(e.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["1.date", "1.y"]));
    expect(failure([{ id: "a", date: "2024-01-01", y: Number.POSITIVE_INFINITY }], { freq: "daily", fill: "zero" })._tag).toBe(
      "InvalidInput",
    );
  });
});
