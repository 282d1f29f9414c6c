import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { businessDate } from "@jxc/core";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

describe("business dates (fast-check, 1,000 runs)", () => {
  it("are the calendar date of the instant in the tenant's zone, as date-fns formats it (1906–2096, zones with odd offsets and DST)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2e12, max: 4e12 }),
        fc.constantFrom("Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"),
        (ms, zone) => {
          expect(businessDate(ms, zone)).toBe(format(new TZDate(ms, zone), "yyyy-MM-dd"));
          expect(businessDate(new Date(ms).toISOString(), zone)).toBe(businessDate(ms, zone));
        },
      ),
      runs,
    );
  });
});
