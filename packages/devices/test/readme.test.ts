import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodeEpc, decodeGs1 } from "@jxc/devices";

describe("the README example", () => {
  it("decodes a raw GS1 scan, an SGTIN and a GID, and refuses a wrong check digit", () => {
    const scan = Result.getOrThrow(decodeGs1("]C101095060001343521726120010ABC123\u001d3103001250"));
    expect([scan.gtin, scan.dates["17"], scan.measures["3103"]]).toEqual(["09506000134352", "2026-12-31", "1.250"]);
    const tag = Result.getOrThrow(decodeEpc("3074257BF7194E4000001A85"));
    expect(tag.pureIdentityUri).toBe("urn:epc:id:sgtin:0614141.812345.6789");
    const gid = Result.getOrThrow(decodeEpc("350007AB70425D4000000586"));
    expect(gid.tagUri).toBe("urn:epc:tag:gid-96:31415.271828.1414");
    const bad = decodeGs1("(01)09506000134353");
    expect(Result.isFailure(bad) && bad.failure._tag).toBe("InvalidCheckDigit");
  });
});
