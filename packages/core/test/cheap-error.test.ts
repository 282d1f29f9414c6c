import { Data, Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { TaggedCheapError } from "@jxc/core";

class Refused extends TaggedCheapError("Refused")<{ readonly item: string; readonly message: string }> {}
class Reference extends Data.TaggedError("Refused")<{ readonly item: string; readonly message: string }> {}

describe("TaggedCheapError", () => {
  it("behaves as Data.TaggedError for what callers read: Error, tag, fields, message, name, JSON", () => {
    const cheap = new Refused({ item: "tea", message: "no rights for tea" });
    const full = new Reference({ item: "tea", message: "no rights for tea" });
    expect(cheap).toBeInstanceOf(Error);
    expect(cheap).toBeInstanceOf(Refused);
    expect(cheap._tag).toBe(full._tag);
    expect(cheap.item).toBe("tea");
    expect(cheap.message).toBe(full.message);
    expect(cheap.name).toBe(full.name);
    expect(JSON.parse(JSON.stringify(cheap))).toEqual(JSON.parse(JSON.stringify(full)));
    expect(Object.keys(cheap).sort()).toEqual(Object.keys(full).sort());
  });

  it("captures no call stack: its stack is its first line", () => {
    const cheap = new Refused({ item: "tea", message: "no rights for tea" });
    expect(cheap.stack?.split("\n")).toHaveLength(1);
    expect(cheap.stack).toContain("no rights for tea");
  });

  it("fails an effect when yielded, with itself as the error", () => {
    const exit = Effect.runSyncExit(
      Effect.gen(function* () {
        return yield* new Refused({ item: "milk", message: "no rights for milk" });
      }),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("milk");
  });
});
