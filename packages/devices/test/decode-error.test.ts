import { Effect, Result } from "effect";
import { describe, expect, it } from "vitest";
import { InvalidEpcValue, decodeEpc } from "../src/epc.js";

describe("decode errors without a stack trace", () => {
  it("are still tagged Errors with their fields, message and name, and fail an Effect when yielded", async () => {
    const result = decodeEpc("307C257BF7194E4000001A85");
    expect(Result.isFailure(result)).toBe(true);
    if (Result.isSuccess(result)) return;
    const e = result.failure;
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ _tag: "InvalidPartition", name: "InvalidPartition", scheme: "sgtin-96", partition: 7 });
    expect(e.message).toBe("sgtin-96: partition value 7 is not assigned");
    expect(e.stack).toBe("InvalidPartition: sgtin-96: partition value 7 is not assigned");
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ _tag: "InvalidPartition", partition: 7, message: e.message });
    const direct = new InvalidEpcValue({ field: "serial", value: "x", message: "serial: x" });
    expect(direct).toBeInstanceOf(InvalidEpcValue);
    expect(Object.keys(direct).sort()).toEqual(["_tag", "field", "value"]);
    const exit = await Effect.runPromiseExit(Effect.gen(function* () {
      return yield* direct;
    }));
    expect(exit._tag).toBe("Failure");
  });

  it("leave Error.stackTraceLimit as it was", () => {
    const before = Error.stackTraceLimit;
    decodeEpc("30");
    new InvalidEpcValue({ field: "f", value: "v", message: "m" });
    expect(Error.stackTraceLimit).toBe(before);
  });
});
