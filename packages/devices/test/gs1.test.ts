import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Dec, SalesReturnSchema } from "@jxc/core";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSharedConformance } from "../../../scripts/shared-dir.js";
import { valueArb } from "../src/testing/gs1.js";
import { gs1CheckCharacterPair, gs1CheckDigit, hasValidCheckCharacterPair, hasValidCheckDigit } from "../src/check-digit.js";
import { GS, Gs1ElementSchema, applyImpliedDecimals, decodeGs1, encodeGs1, type Gs1Element } from "../src/gs1.js";
import {
  AI_TABLE,
  aiDefinition,
  checkAiValue,
  gs1DateToIso,
  resolveCentury,
  type AiDefinition,
  type Gs1Error,
} from "../src/gs1-ai.js";
import { returnFromQr, type OutboundLine, type ReturnLookup } from "../src/gs1-return.js";

// JXC_PROP_RUNS raises the number of runs for a deeper search (never below 1,000).
const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const decoded = (text: string, referenceYear?: number): Gs1Element => {
  const r = decodeGs1(text, referenceYear === undefined ? {} : { referenceYear });
  if (Result.isFailure(r)) throw new Error(`${text}: ${r.failure._tag}: ${r.failure.message}`);
  return r.success;
};

const failure = (text: string): Gs1Error => {
  const r = decodeGs1(text);
  if (Result.isSuccess(r)) throw new Error(`${text} decoded: ${JSON.stringify(r.success.ais)}`);
  return r.failure;
};

// ---------------------------------------------------------------------------------------------
// Golden vectors
// ---------------------------------------------------------------------------------------------

describe("conformance vectors devices/gs1-*.json", () => {
  const dir = join(findSharedConformance() ?? "/work/shared/conformance", "devices");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^gs1-.*\.json$/.test(f)).sort() : [];

  it("finds the gs1 vectors", () => expect(files.length).toBeGreaterThanOrEqual(5));

  for (const file of files) {
    it(file, () => {
      const vector = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
        kind: string;
        input: { text: string };
        expect: { ais?: unknown; dates?: Record<string, string>; measures?: Record<string, string>; error?: { tag?: string } };
      };
      expect(vector.kind).toBe("gs1");
      const result = decodeGs1(vector.input.text);
      if (vector.expect.error) {
        expect(Result.isFailure(result)).toBe(true);
        if (Result.isFailure(result) && vector.expect.error.tag) expect(result.failure._tag).toBe(vector.expect.error.tag);
        return;
      }
      if (Result.isFailure(result)) throw new Error(`${result.failure._tag}: ${result.failure.message}`);
      const element = result.success;
      if (vector.expect.ais) expect(element.ais).toEqual(vector.expect.ais);
      for (const [ai, date] of Object.entries(vector.expect.dates ?? {})) expect(element.dates[ai]).toBe(date);
      for (const [ai, measure] of Object.entries(vector.expect.measures ?? {})) expect(element.measures[ai]).toBe(measure);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Check digits
// ---------------------------------------------------------------------------------------------

describe("check digits", () => {
  it("GS1 mod-10 check digit of well-known keys", () => {
    expect(gs1CheckDigit("0950600013435")).toBe(2); // GTIN-14 of the GS1 General Specifications examples
    expect(gs1CheckDigit("950600013435")).toBe(2); // the same as GTIN-13
    expect(gs1CheckDigit("400638133393")).toBe(1); // EAN-13 4006381333931
    expect(gs1CheckDigit("03600029145")).toBe(2); // UPC-A 036000291452
    expect(gs1CheckDigit("7351353")).toBe(7); // EAN-8 73513537
    expect(gs1CheckDigit("629104150021")).toBe(3); // GS1 check digit calculator example
    expect(gs1CheckDigit("10614141234567890")).toBe(8); // SSCC 106141412345678908
    expect(gs1CheckDigit("0000000000")).toBe(0);
  });

  it("validates whole keys of every length", () => {
    for (const key of ["73513537", "036000291452", "4006381333931", "09506000134352", "106141412345678908"]) {
      expect(hasValidCheckDigit(key)).toBe(true);
      const wrong = key.slice(0, -1) + String((Number(key.slice(-1)) + 1) % 10);
      expect(hasValidCheckDigit(wrong)).toBe(false);
    }
  });

  it("refuses what is not digits", () => {
    expect(gs1CheckDigit("")).toBeNaN();
    expect(gs1CheckDigit("12a4")).toBeNaN();
    expect(hasValidCheckDigit("0")).toBe(false);
    expect(hasValidCheckDigit("0950600013435x")).toBe(false);
  });

  it("check digit = what makes the weighted sum a multiple of 10 (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 30 }), (digits) => {
        const check = gs1CheckDigit(digits);
        const full = `${digits}${check}`;
        let sum = 0;
        for (let i = 0; i < full.length; i++) sum += Number(full[full.length - 1 - i]) * (i % 2 === 0 ? 1 : 3);
        expect(sum % 10).toBe(0);
        expect(hasValidCheckDigit(full)).toBe(true);
      }),
      runs,
    );
  });

  it("alphanumeric check character pair (GMN) — the GS1 reference linter's vectors", () => {
    for (const gmn of [
      "1987654Ad4X4bL5ttr2310c2K",
      "12345678901234567890123NT",
      "12345_ABCDEFGHIJKLMCP",
      "12345_NOPQRSTUVWXYZDN",
      "12345_abcdefghijklmN3",
      "12345_nopqrstuvwxyzP2",
      "12345_!\"%&'()*+,-./LC",
      "12345_0123456789:;<=>?62",
      "7907665Bm8v2AB",
      "00000!HV",
      "99999zzzzzzzzzzzzzzzzzzT2",
      "22",
    ])
      expect(hasValidCheckCharacterPair(gmn)).toBe(true);
    expect(gs1CheckCharacterPair("1987654Ad4X4bL5ttr2310c")).toBe("2K");
    expect(hasValidCheckCharacterPair("1987654Ad4X4bL5ttr2310cXK")).toBe(false);
    expect(hasValidCheckCharacterPair("33")).toBe(false);
    expect(gs1CheckCharacterPair("a b")).toBeUndefined();
    expect(decoded("(8013)1987654Ad4X4bL5ttr2310c2K").ais).toEqual([["8013", "1987654Ad4X4bL5ttr2310c2K"]]);
    const bad = failure("(8013)1987654Ad4X4bL5ttr2310cXK");
    expect(bad).toMatchObject({ _tag: "InvalidCheckDigit", ai: "8013", expected: "2K" });
  });
});

// ---------------------------------------------------------------------------------------------
// The AI table
// ---------------------------------------------------------------------------------------------

describe("the AI table", () => {
  const def = (ai: string): AiDefinition => {
    const d = aiDefinition(ai);
    if (!d) throw new Error(`no AI ${ai}`);
    return d;
  };

  it("has every AI the package promises, with its format", () => {
    const expected: Record<string, string> = {
      "00": "N18", "01": "N14", "02": "N14", "10": "X..20", "11": "N6", "12": "N6", "13": "N6", "15": "N6", "16": "N6", "17": "N6",
      "20": "N2", "21": "X..20", "22": "X..20", "240": "X..30", "241": "X..30", "250": "X..30", "30": "N..8", "37": "N..8",
      "3100": "N6", "3105": "N6", "3160": "N6", "3200": "N6", "3695": "N6", "3900": "N..15", "3909": "N..15", "3920": "N..15",
      "3911": "N3+N..15", "400": "X..30", "401": "X..30", "402": "N17", "403": "X..30", "410": "N13", "411": "N13", "412": "N13",
      "413": "N13", "414": "N13", "415": "N13", "416": "N13", "417": "N13", "420": "X..20", "421": "N3+X..9", "422": "N3",
      "7003": "N6+N4", "8003": "N1+N13+[X..16]", "8004": "X..30", "8018": "N18", "8200": "X..70", "90": "X..30", "91": "X..90", "99": "X..90",
    };
    for (const [ai, format] of Object.entries(expected)) expect([ai, def(ai).format]).toEqual([ai, format]);
  });

  it("marks check digits, dates, measures and amounts", () => {
    for (const ai of ["00", "01", "02", "253", "255", "402", "410", "414", "417", "8003", "8006", "8013", "8017", "8018", "8026"]) expect([ai, def(ai).checkDigit]).toEqual([ai, true]);
    for (const ai of ["10", "21", "30", "37", "400", "8004", "7003"]) expect([ai, def(ai).checkDigit]).toEqual([ai, false]);
    for (const ai of ["11", "12", "13", "15", "16", "17"]) expect(def(ai).date).toBe("YYMMD0");
    expect(def("7003")).toMatchObject({ date: "YYMMDD", time: true, fixedLength: true, predefinedLength: false });
    expect(def("7006").date).toBe("YYMMDD");
    expect(def("10").date).toBeUndefined();
    for (let n = 0; n <= 5; n++) {
      expect(def(`310${n}`)).toMatchObject({ measure: true, impliedDecimal: { kind: "measure", impliedDecimals: n, unit: "kg" } });
      expect(def(`320${n}`).impliedDecimal?.unit).toBe("lb");
    }
    for (let n = 0; n <= 9; n++) {
      expect(def(`390${n}`)).toMatchObject({ measure: false, impliedDecimal: { kind: "amount", impliedDecimals: n, currencyPrefix: false } });
      expect(def(`392${n}`).impliedDecimal).toMatchObject({ kind: "price", impliedDecimals: n });
      expect(def(`391${n}`).impliedDecimal?.currencyPrefix).toBe(true);
    }
    expect(def("30").impliedDecimal).toBeUndefined();
  });

  it("predefined length exactly for the AIs starting 00–04, 11–20, 31–36, 41 (GS1 General Specifications Figure 7.8.5-2)", () => {
    const predefined = [...AI_TABLE.values()].filter((d) => d.predefinedLength).map((d) => d.ai);
    const byPrefix = /^(0[0-4]|1[1-9]|20|3[1-6]|41)/;
    expect(predefined.length).toBeGreaterThan(100);
    for (const d of AI_TABLE.values()) expect([d.ai, d.predefinedLength]).toEqual([d.ai, byPrefix.test(d.ai)]);
    // every predefined-length AI has a fixed length (the syntax dictionary's `*` flag)
    for (const ai of predefined) expect(def(ai).fixedLength).toBe(true);
    // fixed length is not predefined length: (7003), (8001), (4321) still need a separator
    for (const ai of ["7003", "8001", "4321", "422", "8005"]) expect([ai, def(ai).fixedLength, def(ai).predefinedLength]).toEqual([ai, true, false]);
  });

  it("Digital Link primary keys and their qualifier sequences", () => {
    expect(def("01").digitalLinkPrimaryKey?.qualifiers).toEqual([["22", "10", "21"], ["235"]]);
    expect(def("00").digitalLinkPrimaryKey?.qualifiers).toEqual([]);
    expect(def("414").digitalLinkPrimaryKey?.qualifiers).toEqual([["254"], ["7040"]]);
    expect(def("8004").digitalLinkPrimaryKey?.qualifiers).toEqual([["7040"]]);
    expect(def("10").digitalLinkPrimaryKey).toBeUndefined();
    expect(def("7231").title).toBe("CERT # 2");
  });

  it("is prefix-free: no AI is the start of another", () => {
    const ais = [...AI_TABLE.keys()];
    expect(ais.filter((a) => ais.some((b) => b !== a && b.startsWith(a)))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Decoding: published examples, forms, dates, measures
// ---------------------------------------------------------------------------------------------

describe("decodeGs1", () => {
  it("the GS1 General Specifications example (01)09506000134352(17)201225(10)ABC123", () => {
    const e = decoded("(01)09506000134352(17)201225(10)ABC123");
    expect(e).toMatchObject({
      form: "human",
      ais: [["01", "09506000134352"], ["17", "201225"], ["10", "ABC123"]],
      dates: { "17": "2020-12-25" },
      gtin: "09506000134352",
      lot: "ABC123",
      expiry: "2020-12-25",
    });
    expect(Gs1ElementSchema.safeParse(JSON.parse(JSON.stringify(e))).success).toBe(true);
  });

  it("raw scans: symbology identifiers, predefined-length AIs back to back, GS after variable fields", () => {
    const raw = "0109506000134352172012251" + "0ABC123" + GS + "21" + "12345";
    for (const symbology of ["", "]C1", "]e0", "]d2", "]Q3", "]J1"]) {
      const e = decoded(`${symbology}${raw}`);
      expect(e.ais).toEqual([["01", "09506000134352"], ["17", "201225"], ["10", "ABC123"], ["21", "12345"]]);
      expect(e.form).toBe("raw");
      expect(e.symbology).toBe(symbology === "" ? undefined : symbology);
    }
    // an FNC1 in first position, a separator after a predefined-length field and a scanner's CR LF are tolerated
    expect(decoded(`]d2${GS}0109506000134352${GS}10ABC123\r\n`).ais).toEqual([["01", "09506000134352"], ["10", "ABC123"]]);
    // a separator after every field, even fixed-length ones that need none
    expect(decoded(`00106141412345678908${GS}3300000125${GS}`).ais).toEqual([["00", "106141412345678908"], ["3300", "000125"]]);
  });

  it("(7003) is fixed length but not predefined: it needs a separator", () => {
    const e = decoded(`010950600013435270032612311430${GS}10ABC`);
    expect(e.ais).toEqual([["01", "09506000134352"], ["7003", "2612311430"], ["10", "ABC"]]);
    expect(e.dates["7003"]).toBe("2026-12-31");
    expect(e.dateTimes["7003"]).toBe("2026-12-31T14:30");
    expect(e.expiry).toBe("2026-12-31");
    expect(failure("0109506000134352700326123114301" + "0ABC")).toMatchObject({ _tag: "MissingSeparator", ai: "7003" });
  });

  it("EAN/UPC scans give their GTIN as (01)", () => {
    expect(decoded("]E04006381333931").ais).toEqual([["01", "04006381333931"]]);
    expect(decoded("]E4" + "73513537").gtin).toBe("00000073513537");
    expect(failure("]E04006381333932")._tag).toBe("InvalidCheckDigit");
  });

  it("human-readable form: spaces around values, escaped brackets", () => {
    expect(decoded("(01) 09506000134352 (10) ABC123").ais).toEqual([["01", "09506000134352"], ["10", "ABC123"]]);
    expect(decoded("(10)AB\\(12)C(21)X(1").ais).toEqual([["10", "AB(12)C"], ["21", "X(1"]]);
    expect(decoded("(10)A(B)(21)1").ais).toEqual([["10", "A(B)"], ["21", "1"]]);
  });

  it("an identical repeat is read once", () => {
    expect(decoded("(01)09506000134352(10)A(01)09506000134352").ais).toEqual([["01", "09506000134352"], ["10", "A"]]);
  });

  it("convenience fields", () => {
    const e = decoded("(00)106141412345678908(02)09506000134352(37)12(400)PO-7(11)260101(13)260102(15)260300(16)260401(21)S1(30)5");
    expect(e).toMatchObject({
      sscc: "106141412345678908",
      containedGtin: "09506000134352",
      count: "12",
      variableCount: "5",
      orderNumber: "PO-7",
      productionDate: "2026-01-01",
      packagingDate: "2026-01-02",
      bestBefore: "2026-03-31",
      sellBy: "2026-04-01",
      serial: "S1",
    });
    expect(e.gtin).toBeUndefined();
  });

  describe("dates", () => {
    it("day 00 is the last day of the month", () => {
      expect(decoded("(17)260200").dates["17"]).toBe("2026-02-28");
      expect(decoded("(17)240200").dates["17"]).toBe("2024-02-29");
      expect(decoded("(15)000200").dates["15"]).toBe("2000-02-29"); // 2000 is a leap year
      expect(decoded("(11)250400").dates["11"]).toBe("2025-04-30");
      expect(decoded("(16)261200").dates["16"]).toBe("2026-12-31");
      expect(decoded("(15)260200", 2060).dates["15"]).toBe("2026-02-28");
      expect(gs1DateToIso("000200", 2100, true)).toBe("2100-02-28"); // 2100 is not
    });

    it("day 00 only where the AI allows it (YYMMD0), real days everywhere", () => {
      expect(failure("(01)09506000134352(7006)260200")).toMatchObject({ _tag: "InvalidAiValue", ai: "7006" });
      expect(failure("(17)261301")).toMatchObject({ _tag: "InvalidAiValue", ai: "17" }); // month 13
      expect(failure("(17)260001")).toMatchObject({ _tag: "InvalidAiValue", ai: "17" }); // month 00
      expect(failure("(17)260230")).toMatchObject({ _tag: "InvalidAiValue", ai: "17" });
      expect(failure("(17)250229")).toMatchObject({ _tag: "InvalidAiValue", ai: "17" }); // 2025 is no leap year
      expect(decoded("(17)240229").dates["17"]).toBe("2024-02-29");
      expect(failure("(17)260431")).toMatchObject({ _tag: "InvalidAiValue", ai: "17" });
      expect(failure("(7003)2612312400")).toMatchObject({ _tag: "InvalidAiValue", ai: "7003" }); // hour 24
      expect(failure("(7003)2612311460")).toMatchObject({ _tag: "InvalidAiValue", ai: "7003" }); // minute 60
    });

    it("century rule (§7.12): within −49…+50 years of the reference year", () => {
      expect(resolveCentury(76, 2026)).toBe(2076);
      expect(resolveCentury(77, 2026)).toBe(1977);
      expect(resolveCentury(0, 2026)).toBe(2000);
      expect(resolveCentury(26, 2026)).toBe(2026);
      expect(resolveCentury(50, 2000)).toBe(2050);
      expect(resolveCentury(51, 2000)).toBe(1951);
      expect(resolveCentury(49, 2099)).toBe(2149);
      expect(resolveCentury(50, 2099)).toBe(2050);
      expect(decoded("(17)760101").dates["17"]).toBe("2076-01-01");
      expect(decoded("(17)770101").dates["17"]).toBe("1977-01-01");
      expect(decoded("(17)770101", 2030).dates["17"]).toBe("2077-01-01");
      expect(decoded("(17)800101", 2030).dates["17"]).toBe("2080-01-01");
      expect(decoded("(17)810101", 2030).dates["17"]).toBe("1981-01-01");
      // a reference year that is no integer year falls back to 2026
      expect(decoded("(17)770101", Number.NaN).dates["17"]).toBe("1977-01-01");
    });

    it("the resolved year always lies within −49…+50 of the reference (property)", () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1100, max: 9800 }), (yy, ref) => {
          const year = resolveCentury(yy, ref);
          expect(year % 100).toBe(yy);
          expect(year - ref).toBeGreaterThanOrEqual(-49);
          expect(year - ref).toBeLessThanOrEqual(50);
        }),
        runs,
      );
    });

    it("date-times of (8008), (7011), (4324)", () => {
      const e = decoded("(01)09506000134352(8008)26123112(7011)260101(4324)2601010830");
      expect(e.dateTimes).toEqual({ "8008": "2026-12-31T12:00", "4324": "2026-01-01T08:30" });
      expect(e.dates).toMatchObject({ "8008": "2026-12-31", "7011": "2026-01-01", "4324": "2026-01-01" });
      expect(decoded("(8008)2612311205").dateTimes["8008"]).toBe("2026-12-31T12:05");
      expect(decoded("(8008)261231120530").dateTimes["8008"]).toBe("2026-12-31T12:05:30");
      expect(decoded("(7011)2601011745").dateTimes["7011"]).toBe("2026-01-01T17:45");
    });
  });

  describe("measures and amounts", () => {
    it("each implied-decimal n of a measure", () => {
      const expected = ["1250", "125.0", "12.50", "1.250", "0.1250", "0.01250"];
      for (let n = 0; n <= 5; n++) expect(decoded(`(310${n})001250`).measures).toEqual({ [`310${n}`]: expected[n] });
      expect(decoded("(3203)000000").measures["3203"]).toBe("0.000");
      expect(decoded("(3300)999999").measures["3300"]).toBe("999999");
      expect(decoded("(3105)123456").measures["3105"]).toBe("1.23456");
      expect(decoded(`]C1010950600013435231030012503302000456`).measures).toEqual({ "3103": "1.250", "3302": "4.56" });
    });

    it("amounts, prices with currency, percentages", () => {
      const e = decoded("(01)09506000134352(3922)1250(3933)15601999(3941)0250(3900)7(3955)001234");
      expect(e.amounts).toEqual({
        "3922": { value: "12.50" },
        "3933": { value: "1.999", currency: "156" },
        "3941": { value: "25.0" },
        "3900": { value: "7" },
        "3955": { value: "0.01234" },
      });
      expect(e.measures).toEqual({});
      expect(decoded("(3909)5").amounts["3909"]?.value).toBe("0.000000005");
    });

    it("applyImpliedDecimals", () => {
      expect(applyImpliedDecimals("000000", 0)).toBe("0");
      expect(applyImpliedDecimals("5", 3)).toBe("0.005");
      expect(applyImpliedDecimals("100000", 1)).toBe("10000.0");
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Errors: every tag
// ---------------------------------------------------------------------------------------------

describe("typed errors", () => {
  it("InvalidCheckDigit names the AI, the value and the expected digit", () => {
    expect(failure("(01)09506000134353")).toMatchObject({ _tag: "InvalidCheckDigit", ai: "01", value: "09506000134353", expected: "2" });
    expect(failure("00106141412345678907")).toMatchObject({ _tag: "InvalidCheckDigit", ai: "00", expected: "8" });
    expect(failure("(414)9506000000001")).toMatchObject({ _tag: "InvalidCheckDigit", ai: "414" });
    expect(failure("(8003)0950600013435X")).toMatchObject({ _tag: "InvalidAiValue", ai: "8003" });
    expect(failure("(8003)09506000134353ABC")).toMatchObject({ _tag: "InvalidCheckDigit", ai: "8003", expected: "2" });
    expect(decoded("(8003)09506000134352ABC").ais).toEqual([["8003", "09506000134352ABC"]]);
    expect(failure("(01)09506000134353")).toBeInstanceOf(Error);
  });

  it("UnknownAi", () => {
    expect(failure("(23)123")).toMatchObject({ _tag: "UnknownAi", ai: "23" });
    expect(failure("0109506000134352" + "2399")).toMatchObject({ _tag: "UnknownAi", ai: "239", position: 16 });
    expect(failure("(99999)1")).toMatchObject({ _tag: "UnknownAi" });
    expect(failure("hello")).toMatchObject({ _tag: "UnknownAi", ai: "he" });
    expect(failure("(abc)1")._tag).toBe("UnknownAi");
  });

  it("InvalidAiValue: length, character set, content", () => {
    expect(failure("(01)0950600013435")).toMatchObject({ _tag: "InvalidAiValue", ai: "01" });
    expect(failure("(01)095060001343520")).toMatchObject({ _tag: "InvalidAiValue", ai: "01" });
    expect(failure("(10)ABCDEFGHIJKLMNOPQRSTU")).toMatchObject({ _tag: "InvalidAiValue", ai: "10" });
    expect(failure("(10)AB C")).toMatchObject({ _tag: "InvalidAiValue", ai: "10" });
    expect(failure("(10)批号")).toMatchObject({ _tag: "InvalidAiValue", ai: "10" });
    expect(failure("(3103)00125X")).toMatchObject({ _tag: "InvalidAiValue", ai: "3103" });
    expect(failure("(20)1")).toMatchObject({ _tag: "InvalidAiValue", ai: "20" });
    expect(failure("(10)(21)1")).toMatchObject({ _tag: "InvalidAiValue", ai: "10" });
    expect(failure("(8006)095060001343520302")).toMatchObject({ _tag: "InvalidAiValue", ai: "8006" }); // piece 3 of 2
    expect(failure("(4321)2")).toMatchObject({ _tag: "InvalidAiValue", ai: "4321" });
    expect(failure("(421)156")).toMatchObject({ _tag: "InvalidAiValue", ai: "421" });
    expect(failure(`01095060${GS}0134352`)).toMatchObject({ _tag: "InvalidAiValue", ai: "01" });
  });

  it("MissingSeparator: a variable field longer than its maximum", () => {
    const e = failure("010950600013435210ABC123" + "3103001250" + "21SERIAL");
    expect(e).toMatchObject({ _tag: "MissingSeparator", ai: "10", maxLength: 20 });
  });

  it("TruncatedElementString", () => {
    expect(failure("")).toMatchObject({ _tag: "TruncatedElementString" });
    expect(failure("]C1")).toMatchObject({ _tag: "TruncatedElementString" });
    expect(failure("0109506000")).toMatchObject({ _tag: "TruncatedElementString", ai: "01" });
    expect(failure("010950600013435210")).toMatchObject({ _tag: "TruncatedElementString", ai: "10" });
    expect(failure("01095060001343521")).toMatchObject({ _tag: "TruncatedElementString" });
    expect(failure("(01")).toMatchObject({ _tag: "TruncatedElementString" });
    expect(failure("(01)09506000134352(10)")).toMatchObject({ _tag: "TruncatedElementString", ai: "10" });
  });

  it("DuplicateAi: the same AI with different values", () => {
    expect(failure("(10)A(10)B")).toMatchObject({ _tag: "DuplicateAi", ai: "10", first: "A", second: "B" });
    expect(failure(`10A${GS}10B`)).toMatchObject({ _tag: "DuplicateAi", ai: "10" });
    expect(failure("https://id.gs1.org/01/09506000134352/10/A?10=B")).toMatchObject({ _tag: "DuplicateAi", ai: "10" });
  });

  it("InvalidDigitalLink and UnsupportedSymbology", () => {
    expect(failure("https://example.com/no/key/here")._tag).toBe("InvalidDigitalLink");
    expect(failure("https://id.gs1.org/01/09506000134352/21/1/10/A")._tag).toBe("InvalidDigitalLink");
    expect(failure("]C0ABC123")).toMatchObject({ _tag: "UnsupportedSymbology", symbology: "]C0" });
    expect(failure("]Q1just text")._tag).toBe("UnsupportedSymbology");
  });

  it("every error is a real Error with a message", () => {
    for (const text of ["(01)09506000134353", "(23)1", "(17)261301", "10" + "A".repeat(25), "0109", "(10)A(10)B", "https://x.org/", "]C0A"]) {
      const e = failure(text);
      expect(e).toBeInstanceOf(Error);
      expect(e.message.length).toBeGreaterThan(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

describe("encodeGs1", () => {
  const ok = (r: Result.Result<string, Gs1Error>): string => {
    if (Result.isFailure(r)) throw new Error(r.failure.message);
    return r.success;
  };
  const ais = [["01", "09506000134352"], ["17", "201225"], ["10", "ABC123"], ["3103", "001250"], ["21", "12345"]] as const;

  it("human-readable form", () => {
    expect(ok(encodeGs1(ais, { form: "human" }))).toBe("(01)09506000134352(17)201225(10)ABC123(3103)001250(21)12345");
    expect(ok(encodeGs1([["10", "AB(12)C"]], { form: "human" }))).toBe("(10)AB\\(12)C");
  });

  it("raw form: GS only after variable-length fields that are not last", () => {
    expect(ok(encodeGs1(ais, { form: "raw" }))).toBe(`01095060001343521720122510ABC123${GS}31030012502112345`);
    expect(ok(encodeGs1(ais, { form: "raw", symbology: "]C1" }))).toBe(`]C101095060001343521720122510ABC123${GS}31030012502112345`);
    expect(ok(encodeGs1([["7003", "2612311430"], ["01", "09506000134352"]], { form: "raw" }))).toBe(`70032612311430${GS}0109506000134352`);
  });

  it("refuses what it would refuse to decode", () => {
    const tagOf = (r: Result.Result<string, Gs1Error>) => (Result.isFailure(r) ? r.failure._tag : "ok");
    expect(tagOf(encodeGs1([["01", "09506000134353"]], { form: "raw" }))).toBe("InvalidCheckDigit");
    expect(tagOf(encodeGs1([["23", "1"]], { form: "raw" }))).toBe("UnknownAi");
    expect(tagOf(encodeGs1([["10", "A B"]], { form: "human" }))).toBe("InvalidAiValue");
    expect(tagOf(encodeGs1([["10", "A"], ["10", "B"]], { form: "human" }))).toBe("DuplicateAi");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const aisArb = fc
  .uniqueArray(fc.constantFrom(...AI_TABLE.keys()), { minLength: 1, maxLength: 8 })
  .chain((ais) => fc.tuple(...ais.map((ai) => valueArb(AI_TABLE.get(ai) as AiDefinition).map((v) => [ai, v] as const))));

describe("properties (fast-check, 1,000 runs each)", () => {
  it("generated values pass their AI's check", () => {
    fc.assert(
      fc.property(aisArb, (ais) => {
        for (const [ai, value] of ais) expect(Result.isSuccess(checkAiValue(AI_TABLE.get(ai) as AiDefinition, value))).toBe(true);
      }),
      runs,
    );
  });

  it("encode → decode gives the AIs back, in both forms", () => {
    fc.assert(
      fc.property(aisArb, (ais) => {
        for (const form of ["human", "raw"] as const) {
          const encoded = encodeGs1(ais, { form });
          if (Result.isFailure(encoded)) throw new Error(encoded.failure.message);
          expect(decoded(encoded.success).ais).toEqual(ais);
        }
      }),
      runs,
    );
  });

  it("raw (with any GS1 symbology identifier) and human-readable forms decode identically", () => {
    fc.assert(
      fc.property(aisArb, fc.constantFrom("", "]C1", "]e0", "]d2", "]Q3", "]J1"), (ais, symbology) => {
        const raw = encodeGs1(ais, { form: "raw", symbology });
        const human = encodeGs1(ais, { form: "human" });
        if (Result.isFailure(raw) || Result.isFailure(human)) throw new Error("encoding failed");
        const a = decoded(raw.success);
        const b = decoded(human.success);
        const { form: _fa, symbology: _sa, ...restA } = a;
        const { form: _fb, symbology: _sb, ...restB } = b;
        expect(restA).toEqual(restB);
      }),
      runs,
    );
  });

  const gs1ish = fc.string({ unit: fc.constantFrom(..."0123456789()]CdQe1" + GS + "ABC/%?=&:htps."), maxLength: 60 });
  it("fuzzed strings never throw: always a Result, a failure always a tagged Error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), gs1ish, fc.string({ unit: "grapheme" })), (input) => {
        const r = decodeGs1(input);
        expect(Result.isResult(r)).toBe(true);
        if (Result.isFailure(r)) {
          expect(r.failure).toBeInstanceOf(Error);
          expect(typeof r.failure._tag).toBe("string");
        }
      }),
      runs,
    );
  });

  it("mutated valid element strings never throw, and what decodes is valid", () => {
    fc.assert(
      fc.property(aisArb, fc.constantFrom("human", "raw") as fc.Arbitrary<"human" | "raw">, fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 }), (ais, form, at, insert, cut) => {
        const encoded = encodeGs1(ais, { form });
        if (Result.isFailure(encoded)) throw new Error("encoding failed");
        const s = encoded.success;
        const i = at % (s.length + 1);
        const mutated = s.slice(0, i) + insert + s.slice(i + cut);
        const r = decodeGs1(mutated);
        expect(Result.isResult(r)).toBe(true);
        if (Result.isSuccess(r))
          for (const [ai, value] of r.success.ais) expect(Result.isSuccess(checkAiValue(AI_TABLE.get(ai) as AiDefinition, value))).toBe(true);
      }),
      runs,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Red-letter return from the outbound order's QR code
// ---------------------------------------------------------------------------------------------

describe("returnFromQr", () => {
  const line: OutboundLine = { document: "SO-2026-001", line: 1, item: "milk-1l", warehouse: "WH-SH", lot: "L240101", qty: new Dec(10), returned: new Dec(3) };
  const lookup: ReturnLookup = {
    outboundLine: (document, gtin, lot) =>
      document === "SO-2026-001" && gtin === "09506000134352" && (lot === undefined || lot === "L240101") ? line : undefined,
  };
  const header = { id: "SR-1", businessId: "B-1", at: "2026-03-01T10:00:00+08:00" };
  const ok = (r: ReturnType<typeof returnFromQr>) => {
    if (Result.isFailure(r)) throw new Error(`${r.failure._tag}: ${r.failure.message}`);
    return r.success;
  };
  const tagOf = (r: ReturnType<typeof returnFromQr>) => (Result.isFailure(r) ? r.failure._tag : "ok");

  it("a Digital Link QR with (400), (01), (10) and (37) makes a sales return referencing the outbound line", () => {
    const doc = ok(returnFromQr("https://example.com/01/09506000134352/10/L240101?400=SO-2026-001&37=2", lookup, header));
    expect(doc).toEqual({
      id: "SR-1",
      businessId: "B-1",
      at: "2026-03-01T10:00:00+08:00",
      type: "sales-return",
      lines: [{ item: "milk-1l", qty: "2", warehouse: "WH-SH", lot: "L240101", ref: { document: "SO-2026-001", line: 1 } }],
    });
    expect(SalesReturnSchema.safeParse(doc).success).toBe(true);
  });

  it("an element string QR; without a quantity everything left is returned", () => {
    const doc = ok(returnFromQr("]Q3400SO-2026-001" + GS + "0109506000134352", lookup, { ...header, customer: "C-9", warehouse: "WH-RET" }));
    expect(doc.customer).toBe("C-9");
    expect(doc.lines[0]).toMatchObject({ qty: "7", warehouse: "WH-RET", ref: { document: "SO-2026-001", line: 1 } });
  });

  it("the header's quantity wins; (30) counts too", () => {
    expect(ok(returnFromQr("(400)SO-2026-001(01)09506000134352(30)4", lookup, header)).lines[0]?.qty).toBe("4");
    expect(ok(returnFromQr("(400)SO-2026-001(01)09506000134352(30)4", lookup, { ...header, qty: "1.5" })).lines[0]?.qty).toBe("1.5");
    expect(ok(returnFromQr("(400)SO-2026-001(01)09506000134352", lookup, { ...header, qty: new Dec(7) })).lines[0]?.qty).toBe("7");
  });

  it("refuses a return that references no real outbound line", () => {
    expect(tagOf(returnFromQr("(400)SO-OTHER(01)09506000134352", lookup, header))).toBe("UnknownOutboundLine");
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352(10)OTHERLOT", lookup, header))).toBe("UnknownOutboundLine");
    const wrongItem: ReturnLookup = { ...lookup, itemOfGtin: () => "yoghurt" };
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352", wrongItem, header))).toBe("UnknownOutboundLine");
    const sameItem: ReturnLookup = { ...lookup, itemOfGtin: () => "milk-1l" };
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352", sameItem, header))).toBe("ok");
  });

  it("refuses more than is left to return", () => {
    const r = returnFromQr("(400)SO-2026-001(01)09506000134352(37)8", lookup, header);
    expect(Result.isFailure(r) && r.failure).toMatchObject({ _tag: "ReturnExceedsOutbound", requested: "8", remaining: "7", line: 1 });
    const done: ReturnLookup = { outboundLine: () => ({ ...line, returned: new Dec(10) }) };
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352", done, header))).toBe("ReturnExceedsOutbound");
  });

  it("other refusals: incomplete QR, bad quantity, bad header, bad GS1 data", () => {
    const r = returnFromQr("(01)09506000134352(10)L240101", lookup, header);
    expect(Result.isFailure(r) && r.failure).toMatchObject({ _tag: "IncompleteReturnQr", missing: ["400"] });
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352(37)0", lookup, header))).toBe("InvalidReturnQuantity");
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352", lookup, { ...header, qty: "-1" }))).toBe("InvalidReturnQuantity");
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134352", lookup, { ...header, at: "2026-03-01" }))).toBe("InvalidInput");
    expect(tagOf(returnFromQr("(400)SO-2026-001(01)09506000134353", lookup, header))).toBe("InvalidCheckDigit");
  });
});
