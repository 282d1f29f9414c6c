import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CSET_82 } from "../src/check-digit.js";
import { DIGITAL_LINK_SHORT_NAMES, parseDigitalLink, percentDecode, percentEncode, toDigitalLink, type DigitalLink } from "../src/digital-link.js";
import { decodeGs1, encodeGs1 } from "../src/gs1.js";
import { AI_TABLE, type AiDefinition, type Gs1Error } from "../src/gs1-ai.js";
import { text, valueArb } from "../src/testing/gs1.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const parsed = (uri: string): DigitalLink => {
  const r = parseDigitalLink(uri);
  if (Result.isFailure(r)) throw new Error(`${uri}: ${r.failure._tag}: ${r.failure.message}`);
  return r.success;
};
const refused = (uri: string): Gs1Error => {
  const r = parseDigitalLink(uri);
  if (Result.isSuccess(r)) throw new Error(`${uri} parsed: ${JSON.stringify(r.success.ais)}`);
  return r.failure;
};
const built = (ais: ReadonlyArray<readonly [string, string]>, domain?: string): string => {
  const r = toDigitalLink(ais, domain === undefined ? {} : { domain });
  if (Result.isFailure(r)) throw new Error(`${r.failure._tag}: ${r.failure.message}`);
  return r.success;
};

describe("parseDigitalLink", () => {
  it("the GS1 Digital Link standard's example: GTIN, lot and serial in the path, expiry in the query", () => {
    const link = parsed("https://id.gs1.org/01/09506000134352/10/ABC123/21/12345?17=201225");
    expect(link).toEqual({
      base: "https://id.gs1.org",
      primaryKey: "01",
      ais: [["01", "09506000134352"], ["10", "ABC123"], ["21", "12345"], ["17", "201225"]],
      otherParameters: [],
    });
    const element = decodeGs1("https://id.gs1.org/01/09506000134352/10/ABC123/21/12345?17=201225");
    expect(Result.isSuccess(element) && element.success).toMatchObject({ form: "digital-link", dates: { "17": "2020-12-25" }, serial: "12345" });
  });

  it("any domain, a path prefix, other primary keys and their qualifiers", () => {
    expect(parsed("https://example.com/some/prefix/01/09506000134352/22/2A/10/L1").base).toBe("https://example.com/some/prefix");
    expect(parsed("https://id.gs1.org/00/106141412345678908").ais).toEqual([["00", "106141412345678908"]]);
    expect(parsed("https://id.gs1.org/414/9520123456788/254/32a%2Fb").ais).toEqual([["414", "9520123456788"], ["254", "32a/b"]]);
    expect(parsed("https://id.gs1.org/8004/0950600013435XYZ").primaryKey).toBe("8004");
    expect(parsed("https://id.gs1.org/01/09506000134352/235/TPX-1").ais).toEqual([["01", "09506000134352"], ["235", "TPX-1"]]);
    expect(parsed("https://id.gs1.org/8018/950600000000000019").primaryKey).toBe("8018");
    // a prefix segment that looks like an AI does not confuse the key path
    expect(parsed("https://example.com/01/x/01/09506000134352").ais).toEqual([["01", "09506000134352"]]);
    expect(parsed("http://example.com/01/09506000134352/").base).toBe("http://example.com");
  });

  it("data attributes by numeric AI; other parameters apart; the fragment ignored", () => {
    const link = parsed("https://example.com/01/09506000134352?3103=000195&linkType=gs1%3Apip&15=260200&context=x#top");
    expect(link.ais).toEqual([["01", "09506000134352"], ["3103", "000195"], ["15", "260200"]]);
    expect(link.otherParameters).toEqual([["linkType", "gs1:pip"], ["context", "x"]]);
    const element = decodeGs1("https://example.com/01/09506000134352?3103=000195&15=260200");
    expect(Result.isSuccess(element) && element.success).toMatchObject({ measures: { "3103": "0.195" }, dates: { "15": "2026-02-28" } });
  });

  it("short names of Digital Link 1.0 and GTIN-8/12/13 widened to 14 digits", () => {
    expect(parsed("https://example.com/gtin/9506000134352/lot/ABC/ser/1").ais).toEqual([["01", "09506000134352"], ["10", "ABC"], ["21", "1"]]);
    expect(parsed("https://example.com/01/73513537").ais).toEqual([["01", "00000073513537"]]);
    expect(parsed("https://example.com/01/036000291452").ais).toEqual([["01", "00036000291452"]]);
    expect(parsed("https://example.com/sscc/106141412345678908").primaryKey).toBe("00");
    expect(DIGITAL_LINK_SHORT_NAMES["ser"]).toBe("21");
  });

  it("percent-decoding of path and query values", () => {
    expect(parsed("https://id.gs1.org/01/09506000134352/10/A%2FB%25C%26D%3F").ais[1]).toEqual(["10", "A/B%C&D?"]);
    expect(parsed("https://id.gs1.org/01/09506000134352?10=%21%22%28x%29%2A%2B%2C").ais[1]).toEqual(["10", '!"(x)*+,']);
    expect(parsed("https://id.gs1.org/01/09506000134352?10=a+b").ais[1]).toEqual(["10", "a+b"]);
    expect(parsed("HTTPS://ID.GS1.ORG/01/09506000134352").base).toBe("https://ID.GS1.ORG");
  });

  it("refusals", () => {
    const tag = (uri: string) => refused(uri)._tag;
    expect(tag("ftp://id.gs1.org/01/09506000134352")).toBe("InvalidDigitalLink");
    expect(tag("https:///01/09506000134352")).toBe("InvalidDigitalLink");
    expect(tag("https://id.gs1.org/")).toBe("InvalidDigitalLink");
    expect(tag("https://id.gs1.org/10/ABC")).toBe("InvalidDigitalLink"); // a qualifier is no primary key
    expect(tag("https://id.gs1.org/01/09506000134352/21/S/10/L")).toBe("InvalidDigitalLink"); // out of order
    expect(tag("https://id.gs1.org/01/09506000134352/10/L/235/T")).toBe("InvalidDigitalLink"); // exclusive alternatives
    expect(tag("https://id.gs1.org/00/106141412345678908/10/L")).toBe("InvalidDigitalLink"); // SSCC takes no qualifiers
    expect(tag("https://id.gs1.org/01/09506000134352/10/A%2")).toBe("InvalidDigitalLink");
    expect(tag("https://id.gs1.org/01/09506000134352/10/%FF")).toBe("InvalidDigitalLink");
    expect(tag("https://id.gs1.org/01/09506000134352 /10/A")).toBe("InvalidDigitalLink");
    expect(refused("https://id.gs1.org/01/09506000134352/21/S/10/L")).toMatchObject({ reason: expect.stringContaining("22, 10, 21") });
    expect(tag("https://id.gs1.org/01/09506000134353")).toBe("InvalidCheckDigit");
    expect(tag("https://id.gs1.org/01/09506000134352?17=261301")).toBe("InvalidAiValue");
    expect(tag("https://id.gs1.org/01/09506000134352/10/ABCDEFGHIJKLMNOPQRSTUVWXYZ")).toBe("InvalidAiValue");
    expect(tag("https://id.gs1.org/01/09506000134352?9999=1")).toBe("UnknownAi");
    expect(tag("https://id.gs1.org/01/09506000134352/10/A?10=B")).toBe("DuplicateAi");
    expect(parsed("https://id.gs1.org/01/09506000134352/10/A?10=A").ais).toEqual([["01", "09506000134352"], ["10", "A"]]);
  });
});

describe("toDigitalLink", () => {
  it("the canonical URI: primary key and qualifiers in standard order in the path, the rest in the query", () => {
    expect(built([["01", "09506000134352"], ["17", "201225"], ["10", "ABC123"]])).toBe("https://id.gs1.org/01/09506000134352/10/ABC123?17=201225");
    expect(built([["21", "12345"], ["10", "ABC123"], ["17", "201225"], ["01", "09506000134352"], ["3103", "001250"]])).toBe(
      "https://id.gs1.org/01/09506000134352/10/ABC123/21/12345?17=201225&3103=001250",
    );
    expect(built([["00", "106141412345678908"], ["02", "09506000134352"], ["37", "20"]])).toBe("https://id.gs1.org/00/106141412345678908?02=09506000134352&37=20");
    expect(built([["01", "09506000134352"], ["235", "T1"]])).toBe("https://id.gs1.org/01/09506000134352/235/T1");
  });

  it("the domain option (with a path prefix; a trailing slash dropped)", () => {
    expect(built([["01", "09506000134352"]], "https://brand.example.com/dl/")).toBe("https://brand.example.com/dl/01/09506000134352");
  });

  it("percent-encodes every character that is not unreserved", () => {
    expect(built([["01", "09506000134352"], ["10", "A/B%C"], ["400", "PO?&=!'()*+,:;<>\""]])).toBe(
      "https://id.gs1.org/01/09506000134352/10/A%2FB%25C?400=PO%3F%26%3D%21%27%28%29%2A%2B%2C%3A%3B%3C%3E%22",
    );
    expect(percentEncode("a-b_c.d~e")).toBe("a-b_c.d~e");
    expect(percentDecode("%E6%89%B9")).toBe("批");
    expect(percentEncode("批")).toBe("%E6%89%B9");
  });

  it("refusals", () => {
    const tagOf = (r: Result.Result<string, Gs1Error>) => (Result.isFailure(r) ? r.failure._tag : "ok");
    expect(tagOf(toDigitalLink([["10", "ABC"]]))).toBe("InvalidDigitalLink");
    expect(tagOf(toDigitalLink([["01", "09506000134352"]], { domain: "id.gs1.org" }))).toBe("InvalidDigitalLink");
    expect(tagOf(toDigitalLink([["01", "09506000134352"]], { domain: "https://x.org/?a=1" }))).toBe("InvalidDigitalLink");
    expect(tagOf(toDigitalLink([["01", "09506000134353"]]))).toBe("InvalidCheckDigit");
    expect(tagOf(toDigitalLink([["01", "09506000134352"], ["23", "1"]]))).toBe("UnknownAi");
    expect(tagOf(toDigitalLink([["01", "09506000134352"], ["10", "A"], ["10", "B"]]))).toBe("DuplicateAi");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const primaryKeys = [...AI_TABLE.values()].filter((d) => d.digitalLinkPrimaryKey !== undefined).map((d) => d.ai);

/** Valid AIs, each once, at least one of them a Digital Link primary key. */
const linkAisArb = fc
  .tuple(fc.constantFrom(...primaryKeys), fc.uniqueArray(fc.constantFrom(...AI_TABLE.keys()), { maxLength: 7 }), fc.nat())
  .map(([key, others, at]) => {
    const rest = others.filter((ai) => ai !== key);
    const i = at % (rest.length + 1);
    return [...rest.slice(0, i), key, ...rest.slice(i)];
  })
  .chain((ais) => fc.tuple(...ais.map((ai) => valueArb(AI_TABLE.get(ai) as AiDefinition).map((v) => [ai, v] as const))));

const sorted = (ais: ReadonlyArray<readonly [string, string]>) => [...ais].map(([a, v]) => `${a}=${v}`).sort();

describe("properties (fast-check, 1,000 runs each)", () => {
  it("Digital Link ↔ element string: the same AIs and the same interpretation", () => {
    fc.assert(
      fc.property(linkAisArb, fc.constantFrom("https://id.gs1.org", "https://example.com/prefix", "http://a.b.c:8080"), (ais, domain) => {
        const uri = built(ais, domain);
        const link = parsed(uri);
        expect(sorted(link.ais)).toEqual(sorted(ais));
        // the first AI of the link is the first primary key of the input
        expect(link.primaryKey).toBe(ais.find(([ai]) => primaryKeys.includes(ai))?.[0]);
        const raw = encodeGs1(link.ais, { form: "raw" });
        if (Result.isFailure(raw)) throw new Error(raw.failure.message);
        const fromRaw = decodeGs1(raw.success);
        const fromLink = decodeGs1(uri);
        if (Result.isFailure(fromRaw) || Result.isFailure(fromLink)) throw new Error("decoding failed");
        const { form: _a, ...a } = fromRaw.success;
        const { form: _b, ...b } = fromLink.success;
        expect(b).toEqual(a);
        // and back: the element string's AIs build the same URI
        expect(built(fromRaw.success.ais, domain)).toBe(uri);
      }),
      runs,
    );
  });

  it("percent-encoding round-trips every string, and the encoding uses only unreserved characters and escapes", () => {
    fc.assert(
      fc.property(fc.oneof(text(CSET_82, 0, 40), fc.string({ unit: "grapheme" })), (s) => {
        const encoded = percentEncode(s);
        expect(encoded).toMatch(/^([A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
        expect(percentDecode(encoded)).toBe(s);
      }),
      runs,
    );
  });

  const uriish = fc
    .tuple(
      fc.constantFrom("https://id.gs1.org", "http://x", "https://", "HTTPS://a.b/p", "https://e.com/01/"),
      fc.string({ unit: fc.constantFrom(..."0123456789/?=&%#ABCabc+-.lotgin"), maxLength: 60 }),
    )
    .map(([a, b]) => a + b);
  it("fuzzed URIs never throw", () => {
    fc.assert(
      fc.property(fc.oneof(uriish, fc.string(), fc.string({ unit: "binary" })), (uri) => {
        const r = parseDigitalLink(uri);
        expect(Result.isResult(r)).toBe(true);
        if (Result.isFailure(r)) expect(r.failure).toBeInstanceOf(Error);
        const d = decodeGs1(uri);
        expect(Result.isResult(d)).toBe(true);
      }),
      runs,
    );
  });
});
