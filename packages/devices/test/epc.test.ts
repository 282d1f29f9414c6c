import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSharedConformance } from "../../../scripts/shared-dir.js";
import {
  EPC_SCHEME_HEADERS,
  EpcNotEncodable,
  InvalidEpcHex,
  InvalidEpcUri,
  InvalidEpcValue,
  InvalidPartition,
  UnknownEpcHeader,
  decodeEpc,
  encodeEpc,
  epcIdentityFromGs1Keys,
  epcToUri,
  formatEpcUri,
  gtinOfSgtin,
  parseEpcUri,
  sgtinFromGtin,
  type EpcDecoded,
  type EpcError,
  type EpcIdentity,
  type EpcScheme,
  type GidDecoded,
  type SgtinDecoded,
  type Gs1EpcIdentity,
  type Gs1EpcScheme,
} from "../src/epc.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const ok = <A>(result: Result.Result<A, EpcError>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${result.failure._tag}: ${result.failure.message}`);
  return result.success;
};

const failure = <A>(result: Result.Result<A, EpcError>): EpcError => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.success)}`);
  return result.failure;
};

const ERROR_TAGS = ["UnknownEpcHeader", "InvalidEpcHex", "InvalidPartition", "InvalidEpcValue", "InvalidEpcUri", "EpcNotEncodable"];

// ---------------------------------------------------------------------------------------------
// An independent reference of the TDS bit layout, written from the standard's tables with bit
// strings and bigints (slow and obvious), to check the codec's hex against.
// ---------------------------------------------------------------------------------------------

/** [company prefix bits, reference bits] by partition 0–6, copied from TDS Tables 14-2 … 14-15. */
const REF_TABLES: Record<string, ReadonlyArray<readonly [number, number]>> = {
  sgtin: [[40, 4], [37, 7], [34, 10], [30, 14], [27, 17], [24, 20], [20, 24]],
  sscc: [[40, 18], [37, 21], [34, 24], [30, 28], [27, 31], [24, 34], [20, 38]],
  sgln: [[40, 1], [37, 4], [34, 7], [30, 11], [27, 14], [24, 17], [20, 21]],
  grai: [[40, 4], [37, 7], [34, 10], [30, 14], [27, 17], [24, 20], [20, 24]],
  "giai-96": [[40, 42], [37, 45], [34, 48], [30, 52], [27, 55], [24, 58], [20, 62]],
  "giai-202": [[40, 148], [37, 151], [34, 154], [30, 158], [27, 161], [24, 164], [20, 168]],
};

/** The schemes of GS1 keys (every scheme but gid-96, which has its own tests). */
const GS1_SCHEMES = (Object.keys(EPC_SCHEME_HEADERS) as EpcScheme[]).filter((s): s is Gs1EpcScheme => s !== "gid-96");

/** A decoded tag of a GS1 key (a GID fails the test). */
const gs1 = (decoded: EpcDecoded): Exclude<EpcDecoded, GidDecoded> => {
  if (decoded.kind === "gid") throw new Error(`expected a GS1 key, decoded ${decoded.tagUri}`);
  return decoded;
};

const REF_SCHEMES: Record<Gs1EpcScheme, { header: number; bits: number; tail: ["int" | "str" | "zero" | "none", number] }> = {
  "sgtin-96": { header: 0x30, bits: 96, tail: ["int", 38] },
  "sgtin-198": { header: 0x36, bits: 198, tail: ["str", 140] },
  "sscc-96": { header: 0x31, bits: 96, tail: ["zero", 24] },
  "sgln-96": { header: 0x32, bits: 96, tail: ["int", 41] },
  "sgln-195": { header: 0x39, bits: 195, tail: ["str", 140] },
  "grai-96": { header: 0x33, bits: 96, tail: ["int", 38] },
  "grai-170": { header: 0x37, bits: 170, tail: ["str", 112] },
  "giai-96": { header: 0x34, bits: 96, tail: ["none", 0] },
  "giai-202": { header: 0x38, bits: 202, tail: ["none", 0] },
};

const bin = (value: bigint | number, bits: number): string => BigInt(value).toString(2).padStart(bits, "0");
const bitsToHex = (bits: string): string => {
  const padded = bits.padEnd(Math.ceil(bits.length / 16) * 16, "0");
  return BigInt(`0b${padded}`).toString(16).toUpperCase().padStart(padded.length / 4, "0");
};
const sevenBit = (text: string, bits: number): string =>
  [...text].map((c) => bin(c.charCodeAt(0), 7)).join("").padEnd(bits, "0");

/** The hex of an identity per the TDS layout, padded to 16-bit words. */
const referenceHex = (scheme: Gs1EpcScheme, filter: number, id: Gs1EpcIdentity): string => {
  const s = REF_SCHEMES[scheme];
  const table = REF_TABLES[id.kind === "giai" ? scheme : id.kind]!;
  const partition = 12 - id.companyPrefix.length;
  const [cpBits, refBits] = table[partition]!;
  let bits = bin(s.header, 8) + bin(filter, 3) + bin(partition, 3) + bin(BigInt(id.companyPrefix), cpBits);
  if (id.kind === "giai") {
    bits += scheme === "giai-96" ? bin(BigInt(id.individualAssetReference), refBits) : sevenBit(id.individualAssetReference, refBits);
  } else {
    const ref =
      id.kind === "sgtin" ? id.itemReference : id.kind === "sscc" ? id.serialReference : id.kind === "sgln" ? id.locationReference : id.assetType;
    bits += bin(BigInt(ref === "" ? "0" : ref), refBits);
    const tail = id.kind === "sgtin" || id.kind === "grai" ? id.serial : id.kind === "sgln" ? id.extension : "";
    const [how, tailBits] = s.tail;
    if (how === "int") bits += bin(BigInt(tail), tailBits);
    else if (how === "str") bits += sevenBit(tail, tailBits);
    else if (how === "zero") bits += "0".repeat(tailBits);
  }
  expect(bits.length).toBe(s.bits);
  return bitsToHex(bits);
};

/**
 * A reference SGTIN-96 decoder over bit strings, for the codec's number-arithmetic hot path: the
 * whole decoded tag, or the error the TDS rules give (its tag and field).
 */
const referenceSgtin96 = (hex: string): { readonly refused: Readonly<Record<string, unknown>> } | { readonly decoded: SgtinDecoded } => {
  const bits = BigInt(`0x${hex}`).toString(2).padStart(96, "0");
  const partition = parseInt(bits.slice(11, 14), 2);
  const row = REF_TABLES.sgtin![partition];
  if (row === undefined) return { refused: { _tag: "InvalidPartition", scheme: "sgtin-96", partition } };
  const [cpBits] = row;
  const cp = BigInt(`0b${bits.slice(14, 14 + cpBits)}`);
  const ref = BigInt(`0b${bits.slice(14 + cpBits, 58)}`);
  const cpDigits = 12 - partition;
  if (cp >= 10n ** BigInt(cpDigits)) return { refused: { _tag: "InvalidEpcValue", field: "companyPrefix", value: String(cp) } };
  if (ref >= 10n ** BigInt(13 - cpDigits)) return { refused: { _tag: "InvalidEpcValue", field: "itemReference", value: String(ref) } };
  const companyPrefix = cp.toString().padStart(cpDigits, "0");
  const itemReference = ref.toString().padStart(13 - cpDigits, "0");
  const serial = BigInt(`0b${bits.slice(58)}`).toString();
  const body = itemReference[0] + companyPrefix + itemReference.slice(1);
  const digits = [...body].map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  const gtin = body + ((10 - (sum % 10)) % 10);
  const filter = parseInt(bits.slice(8, 11), 2);
  const uriBody = `${companyPrefix}.${itemReference}.${serial}`;
  return {
    decoded: {
      kind: "sgtin",
      scheme: "sgtin-96",
      filter,
      companyPrefix,
      itemReference,
      serial,
      gtin,
      tagUri: `urn:epc:tag:sgtin-96:${filter}.${uriBody}`,
      pureIdentityUri: `urn:epc:id:sgtin:${uriBody}`,
      elementString: `(01)${gtin}(21)${serial}`,
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Golden vectors
// ---------------------------------------------------------------------------------------------

describe("EPC golden vectors (devices/epc-*.json)", () => {
  const shared = join(findSharedConformance() ?? "(shared/conformance not found)", "devices");
  const dirs = [shared, ...(process.env.JXC_CONFORMANCE_DIR ? [join(process.env.JXC_CONFORMANCE_DIR, "devices")] : [])];
  it("finds the shared EPC vectors", () => {
    expect(existsSync(shared)).toBe(true);
    expect(readdirSync(shared).filter((f) => /^epc-.*\.json$/.test(f)).length).toBeGreaterThan(0);
  });
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      it(`reads ${dir}`, () => expect.fail(`conformance folder ${dir} does not exist`));
      continue;
    }
    for (const file of readdirSync(dir).filter((f) => /^epc-.*\.json$/.test(f)).sort()) {
      it(file, () => {
        const vector = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
          kind: string;
          input: { hex: string };
          expect: Record<string, unknown> & { error?: { tag?: string } };
        };
        expect(vector.kind).toBe("epc");
        const result = decodeEpc(vector.input.hex);
        if (vector.expect.error !== undefined) {
          const error = failure(result);
          expect(ERROR_TAGS).toContain(error._tag);
          if (vector.expect.error.tag !== undefined) expect(error._tag).toBe(vector.expect.error.tag);
          return;
        }
        const decoded = ok(result) as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(vector.expect)) expect({ [key]: decoded[key] }).toEqual({ [key]: value });
        // and back
        expect(ok(encodeEpc(decoded.tagUri as string))).toBe(vector.input.hex.toUpperCase());
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// TDS worked examples, hex computed by hand from the bit layout (and by the reference above)
// ---------------------------------------------------------------------------------------------

const EXAMPLES: ReadonlyArray<{
  tagUri: string;
  hex: string;
  pureIdentityUri: string;
  elementString: string;
  keys: Record<string, string>;
}> = [
  {
    // 00110000 011 101 | 0614141 in 24 bits | 812345 in 20 bits | 6789 in 38 bits
    tagUri: "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
    hex: "3074257BF7194E4000001A85",
    pureIdentityUri: "urn:epc:id:sgtin:0614141.812345.6789",
    elementString: "(01)80614141123458(21)6789",
    keys: { gtin: "80614141123458", serial: "6789" },
  },
  {
    // extension digit 1 leads the serial reference 1234567890 (34 bits), then 24 zero bits
    tagUri: "urn:epc:tag:sscc-96:3.0614141.1234567890",
    hex: "3174257BF4499602D2000000",
    pureIdentityUri: "urn:epc:id:sscc:0614141.1234567890",
    elementString: "(00)106141412345678908",
    keys: { sscc: "106141412345678908" },
  },
  {
    // 00110010 011 101 | 0614141 (24) | 12345 (17 bits: 00011000000111001) | 400 (41 bits)
    tagUri: "urn:epc:tag:sgln-96:3.0614141.12345.400",
    hex: "3274257BF460720000000190",
    pureIdentityUri: "urn:epc:id:sgln:0614141.12345.400",
    elementString: "(414)0614141123452(254)400",
    keys: { gln: "0614141123452", extension: "400" },
  },
  {
    // 00110011 011 101 | 0614141 (24) | 12345 (20 bits) | 400 (38 bits)
    tagUri: "urn:epc:tag:grai-96:3.0614141.12345.400",
    hex: "3374257BF40C0E4000000190",
    pureIdentityUri: "urn:epc:id:grai:0614141.12345.400",
    elementString: "(8003)00614141123452400",
    keys: { grai: "00614141123452400" },
  },
  {
    // 00110100 011 101 | 0614141 (24) | 12345400 = 0xBC6038 (58 bits)
    tagUri: "urn:epc:tag:giai-96:3.0614141.12345400",
    hex: "3474257BF400000000BC6038",
    pureIdentityUri: "urn:epc:id:giai:0614141.12345400",
    elementString: "(8004)061414112345400",
    keys: { giai: "061414112345400" },
  },
  {
    // 00110110 011 101 | 0614141 | 812345 | "32a/b" as 7-bit 0110011 0110010 1100001 0101111 1100010, zero-filled to 140 bits
    tagUri: "urn:epc:tag:sgtin-198:3.0614141.812345.32a%2Fb",
    hex: "3674257BF7194E59B2C2BF100000000000000000000000000000",
    pureIdentityUri: "urn:epc:id:sgtin:0614141.812345.32a%2Fb",
    elementString: "(01)80614141123458(21)32a/b",
    keys: { gtin: "80614141123458", serial: "32a/b" },
  },
  {
    tagUri: "urn:epc:tag:sgln-195:3.0614141.12345.32a%2Fb",
    hex: "3974257BF46072CD9615F8800000000000000000000000000000",
    pureIdentityUri: "urn:epc:id:sgln:0614141.12345.32a%2Fb",
    elementString: "(414)0614141123452(254)32a/b",
    keys: { gln: "0614141123452", extension: "32a/b" },
  },
  {
    tagUri: "urn:epc:tag:grai-170:3.0614141.12345.32a%2Fb",
    hex: "3774257BF40C0E59B2C2BF1000000000000000000000",
    pureIdentityUri: "urn:epc:id:grai:0614141.12345.32a%2Fb",
    elementString: "(8003)0061414112345232a/b",
    keys: { grai: "0061414112345232a/b" },
  },
  {
    tagUri: "urn:epc:tag:giai-202:3.0614141.12345ABC%2F",
    hex: "3874257BF58B266D1AC1850D7800000000000000000000000000",
    pureIdentityUri: "urn:epc:id:giai:0614141.12345ABC%2F",
    elementString: "(8004)061414112345ABC/",
    keys: { giai: "061414112345ABC/" },
  },
];

describe("TDS worked examples", () => {
  for (const example of EXAMPLES) {
    it(`${example.tagUri} ⇄ ${example.hex}`, () => {
      const parsed = ok(parseEpcUri(example.tagUri));
      expect(parsed.form).toBe("tag");
      if (parsed.form !== "tag" || parsed.scheme === "gid-96") throw new Error("expected a GS1 tag URI");
      expect(referenceHex(parsed.scheme, parsed.filter, parsed.identity)).toBe(example.hex);
      expect(ok(encodeEpc(example.tagUri))).toBe(example.hex);
      const decoded = gs1(ok(decodeEpc(example.hex)));
      expect(decoded.tagUri).toBe(example.tagUri);
      expect(decoded.pureIdentityUri).toBe(example.pureIdentityUri);
      expect(decoded.elementString).toBe(example.elementString);
      expect(decoded).toMatchObject(example.keys);
      expect(decoded.filter).toBe(3);
      expect(ok(decodeEpc(example.hex.toLowerCase()))).toEqual(decoded);
      expect(ok(epcToUri(example.hex, "pure-identity"))).toBe(example.pureIdentityUri);
      expect(ok(encodeEpc(example.pureIdentityUri, { scheme: decoded.scheme, filter: 3 }))).toBe(example.hex);
    });
  }

  it("encodes from GS1 keys", () => {
    expect(ok(encodeEpc({ gtin: "80614141123458", serial: "6789", companyPrefixLength: 7 }, { scheme: "sgtin-96", filter: 3 }))).toBe(
      "3074257BF7194E4000001A85",
    );
    expect(ok(encodeEpc({ sscc: "106141412345678908", companyPrefixLength: 7 }, { scheme: "sscc-96", filter: 3 }))).toBe(
      "3174257BF4499602D2000000",
    );
    expect(ok(encodeEpc({ gln: "0614141123452", extension: "400", companyPrefixLength: 7 }, { scheme: "sgln-96", filter: 3 }))).toBe(
      "3274257BF460720000000190",
    );
    expect(ok(encodeEpc({ grai: "00614141123452400", companyPrefixLength: 7 }, { scheme: "grai-96", filter: 3 }))).toBe(
      "3374257BF40C0E4000000190",
    );
    expect(ok(encodeEpc({ giai: "061414112345400", companyPrefixLength: 7 }, { scheme: "giai-96", filter: 3 }))).toBe(
      "3474257BF400000000BC6038",
    );
    expect(ok(encodeEpc({ gtin: "80614141123458", serial: "32a/b", companyPrefixLength: 7 }, { scheme: "sgtin-198", filter: 3 }))).toBe(
      "3674257BF7194E59B2C2BF100000000000000000000000000000",
    );
  });

  it("converts between GTIN and SGTIN", () => {
    const sgtin = ok(sgtinFromGtin("80614141123458", "6789", 7));
    expect(sgtin).toEqual({ kind: "sgtin", companyPrefix: "0614141", itemReference: "812345", serial: "6789" });
    expect(ok(gtinOfSgtin(sgtin))).toBe("80614141123458");
    expect(ok(gtinOfSgtin("urn:epc:id:sgtin:0614141.812345.6789"))).toBe("80614141123458");
    expect(ok(gtinOfSgtin("urn:epc:tag:sgtin-96:3.0614141.812345.6789"))).toBe("80614141123458");
    // GTIN-13 and GTIN-12 are GTIN-14 with leading zeros (indicator 0)
    expect(ok(sgtinFromGtin("9506000134352", "1", 7))).toEqual({
      kind: "sgtin",
      companyPrefix: "9506000",
      itemReference: "013435",
      serial: "1",
    });
    expect(ok(gtinOfSgtin(ok(sgtinFromGtin("9506000134352", "1", 7))))).toBe("09506000134352");
    expect(failure(gtinOfSgtin("urn:epc:id:sscc:0614141.1234567890"))._tag).toBe("InvalidEpcUri");
  });

  it("writes the GLN without AI 254 when the extension is 0, and reads it back", () => {
    const hex = ok(encodeEpc({ gln: "0614141123452", companyPrefixLength: 7 }, { scheme: "sgln-96", filter: 0 }));
    const decoded = ok(decodeEpc(hex));
    expect(decoded).toMatchObject({ gln: "0614141123452", extension: "0", elementString: "(414)0614141123452" });
    expect(decoded.pureIdentityUri).toBe("urn:epc:id:sgln:0614141.12345.0");
  });

  it("escapes and unescapes the URI characters of set 82", () => {
    const serial = `!"%&'()*+,-./:;<=>?_Az`;
    const id = ok(sgtinFromGtin("80614141123458", serial.slice(0, 20), 7));
    const hex = ok(encodeEpc(id, { scheme: "sgtin-198", filter: 1 }));
    const decoded = ok(decodeEpc(hex));
    expect(decoded.tagUri).toBe("urn:epc:tag:sgtin-198:1.0614141.812345.!%22%25%26'()*+,-.%2F:;%3C=%3E%3F_");
    expect(decoded).toMatchObject({ serial: serial.slice(0, 20) });
    expect(ok(parseEpcUri(decoded.tagUri))).toEqual({ form: "tag", scheme: "sgtin-198", filter: 1, identity: id });
    // escapes in lower case are read too
    expect(ok(parseEpcUri("urn:epc:id:sgtin:0614141.812345.32a%2fb")).identity).toMatchObject({ serial: "32a/b" });
  });

  it("reads a 198-bit EPC given with or without its word padding", () => {
    const hex = "3674257BF7194E59B2C2BF100000000000000000000000000000";
    expect(ok(decodeEpc(hex.slice(0, 50))).tagUri).toBe("urn:epc:tag:sgtin-198:3.0614141.812345.32a%2Fb");
    expect(failure(decodeEpc(hex.slice(0, 49)))._tag).toBe("InvalidEpcHex");
    expect(failure(decodeEpc(`${hex.slice(0, 51)}1`))).toMatchObject({ _tag: "InvalidEpcValue", field: "padding" });
  });
});

// ---------------------------------------------------------------------------------------------
// Every partition value
// ---------------------------------------------------------------------------------------------

const identityFor = (scheme: Gs1EpcScheme, partition: number): Gs1EpcIdentity => {
  const cpDigits = 12 - partition;
  const companyPrefix = "0614141999999".slice(0, cpDigits);
  const digits = (n: number) => "9876543210987654".slice(0, n);
  switch (scheme) {
    case "sgtin-96":
    case "sgtin-198":
      return { kind: "sgtin", companyPrefix, itemReference: digits(13 - cpDigits), serial: scheme === "sgtin-96" ? "274877906943" : "ABC/xyz" };
    case "sscc-96":
      return { kind: "sscc", companyPrefix, serialReference: digits(17 - cpDigits) };
    case "sgln-96":
    case "sgln-195":
      return { kind: "sgln", companyPrefix, locationReference: digits(12 - cpDigits), extension: scheme === "sgln-96" ? "2199023255551" : "Dock%7" };
    case "grai-96":
    case "grai-170":
      return { kind: "grai", companyPrefix, assetType: digits(12 - cpDigits), serial: scheme === "grai-96" ? "274877906943" : "ZZ-01234567890123".slice(0, 16) };
    case "giai-96":
      return { kind: "giai", companyPrefix, individualAssetReference: String(2n ** BigInt(REF_TABLES["giai-96"]![partition]![1]) - 1n) };
    case "giai-202":
      return { kind: "giai", companyPrefix, individualAssetReference: "A".repeat(30 - cpDigits) };
  }
};

describe("every partition value 0–6 of every scheme", () => {
  for (const scheme of GS1_SCHEMES) {
    for (let partition = 0; partition <= 6; partition++) {
      it(`${scheme} partition ${partition}`, () => {
        const identity = identityFor(scheme, partition);
        const hex = ok(encodeEpc(identity, { scheme, filter: partition }));
        expect(hex).toBe(referenceHex(scheme, partition, identity));
        expect((parseInt(hex.slice(2, 4), 16) >> 2) & 7).toBe(partition);
        const decoded = ok(decodeEpc(hex));
        expect(decoded).toMatchObject({ ...identity, scheme, filter: partition });
        expect(ok(parseEpcUri(decoded.tagUri))).toEqual({ form: "tag", scheme, filter: partition, identity });
        expect(ok(encodeEpc(decoded.tagUri))).toBe(hex);
      });
    }
  }

  it("GS1 keys split at every company prefix length", () => {
    for (let L = 6; L <= 12; L++) {
      const id = ok(epcIdentityFromGs1Keys({ gtin: "80614141123458", serial: "1", companyPrefixLength: L }));
      expect(id).toMatchObject({ companyPrefix: "0614141123458".slice(0, L), itemReference: `8${"0614141123458".slice(L, 12)}` });
      expect(ok(decodeEpc(ok(encodeEpc(id, { scheme: "sgtin-96", filter: 1 }))))).toMatchObject({ gtin: "80614141123458" });
      const sscc = ok(decodeEpc(ok(encodeEpc({ sscc: "106141412345678908", companyPrefixLength: L }, { scheme: "sscc-96", filter: 0 }))));
      expect(sscc).toMatchObject({ sscc: "106141412345678908", companyPrefix: "06141412345678908".slice(0, L) });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every error
// ---------------------------------------------------------------------------------------------

describe("every error is typed", () => {
  it("UnknownEpcHeader", () => {
    expect(failure(decodeEpc("FF74257BF7194E4000001A85"))).toBeInstanceOf(UnknownEpcHeader);
    expect(failure(decodeEpc("0000000000000000000000000"))).toMatchObject({ _tag: "UnknownEpcHeader", header: 0 });
    expect(failure(decodeEpc("2D74257BF7194E4000001A85")).message).toContain("GSRN-96");
  });

  it("InvalidEpcHex", () => {
    expect(failure(decodeEpc(""))).toBeInstanceOf(InvalidEpcHex);
    expect(failure(decodeEpc("3074257BF7194E4000001A8G"))).toMatchObject({ _tag: "InvalidEpcHex", reason: "characters" });
    expect(failure(decodeEpc("3074257BF7194E4000001A8"))).toMatchObject({ _tag: "InvalidEpcHex", reason: "length" });
    expect(failure(decodeEpc("3074257BF7194E4000001A8500"))).toMatchObject({ _tag: "InvalidEpcHex", reason: "length" });
    expect(failure(decodeEpc(" 3074257BF7194E4000001A85"))).toMatchObject({ _tag: "InvalidEpcHex" });
  });

  it("InvalidPartition", () => {
    // partition bits 111
    expect(failure(decodeEpc("307C257BF7194E4000001A85"))).toMatchObject({ _tag: "InvalidPartition", partition: 7, scheme: "sgtin-96" });
    expect(failure(decodeEpc("317C257BF4499602D2000000"))).toBeInstanceOf(InvalidPartition);
    expect(
      failure(encodeEpc({ kind: "sgtin", companyPrefix: "06141", itemReference: "41812345", serial: "1" }, { scheme: "sgtin-96", filter: 0 })),
    ).toMatchObject({ _tag: "InvalidPartition", companyPrefixLength: 5 });
    expect(failure(encodeEpc({ gtin: "80614141123458", serial: "1", companyPrefixLength: 4 }, { scheme: "sgtin-96", filter: 0 }))._tag).toBe(
      "InvalidPartition",
    );
    expect(failure(parseEpcUri("urn:epc:tag:sgtin-96:3.06141.41812345.6789"))._tag).toBe("InvalidPartition");
  });

  it("InvalidEpcValue, naming the field", () => {
    // partition 6: a 20-bit company prefix field of 2^20 − 1 = 1048575, more than 6 digits
    const cpTooLong = bitsToHex(bin(0x30, 8) + bin(3, 3) + bin(6, 3) + bin(2 ** 20 - 1, 20) + bin(0, 24) + bin(1, 38));
    expect(failure(decodeEpc(cpTooLong))).toMatchObject({ _tag: "InvalidEpcValue", field: "companyPrefix" });
    // partition 0: a 4-bit item reference field of 15, more than 1 digit
    const irTooLong = bitsToHex(bin(0x30, 8) + bin(3, 3) + bin(0, 3) + bin(614141, 40) + bin(15, 4) + bin(1, 38));
    expect(failure(decodeEpc(irTooLong))).toMatchObject({ _tag: "InvalidEpcValue", field: "itemReference" });
    // SGLN partition 0: the 1-bit location reference must be 0
    const lrNotZero = bitsToHex(bin(0x32, 8) + bin(3, 3) + bin(0, 3) + bin(614141, 40) + bin(1, 1) + bin(1, 41));
    expect(failure(decodeEpc(lrNotZero))).toMatchObject({ _tag: "InvalidEpcValue", field: "locationReference" });
    // SSCC-96 with non-zero unallocated bits
    expect(failure(decodeEpc("3174257BF4499602D2000001"))).toMatchObject({ _tag: "InvalidEpcValue", field: "unallocated" });
    // SGTIN-198 with an all-zero serial, with a 7-bit character outside set 82 (0x23 '#'), with bits after the end
    const sgtin198 = (serialField: string) =>
      bitsToHex(bin(0x36, 8) + bin(3, 3) + bin(5, 3) + bin(614141, 24) + bin(812345, 20) + serialField);
    expect(failure(decodeEpc(sgtin198("0".repeat(140))))).toMatchObject({ _tag: "InvalidEpcValue", field: "serial" });
    expect(failure(decodeEpc(sgtin198(sevenBit("1#2", 140))))).toMatchObject({ _tag: "InvalidEpcValue", field: "serial" });
    const afterEnd = sevenBit("32a/b", 140);
    expect(failure(decodeEpc(sgtin198(`${afterEnd.slice(0, 100)}1${afterEnd.slice(101)}`)))).toMatchObject({
      _tag: "InvalidEpcValue",
      field: "serial",
    });
    expect(ok(decodeEpc(sgtin198(afterEnd)))).toMatchObject({ serial: "32a/b" });
    expect(failure(encodeEpc({ gtin: "80614141123457", serial: "1", companyPrefixLength: 7 }, { scheme: "sgtin-96", filter: 0 }))).toMatchObject({
      _tag: "InvalidEpcValue",
      field: "gtin",
    });
    expect(failure(encodeEpc("urn:epc:id:sgtin:0614141.812345.6789", { scheme: "sgtin-96", filter: 8 }))).toMatchObject({
      _tag: "InvalidEpcValue",
      field: "filter",
    });
    expect(failure(encodeEpc("urn:epc:tag:sgtin-96:3.0614141.812345.6789", { filter: 2 }))).toMatchObject({ field: "filter" });
    expect(failure(encodeEpc("urn:epc:id:sgtin:0614141.812345.6789"))).toMatchObject({ _tag: "InvalidEpcValue", field: "scheme" });
    expect(
      failure(encodeEpc({ kind: "sgtin", companyPrefix: "0614141", itemReference: "812345", serial: "a#b" }, { scheme: "sgtin-198", filter: 0 })),
    ).toMatchObject({ _tag: "InvalidEpcValue", field: "serial" });
    expect(failure(encodeEpc({ kind: "sgtin", companyPrefix: "0614141", itemReference: "81234", serial: "1" }, { scheme: "sgtin-96", filter: 0 }))).toBeInstanceOf(
      InvalidEpcValue,
    );
    expect(failure(encodeEpc({ sscc: "10614141234567890", companyPrefixLength: 7 }, { scheme: "sscc-96", filter: 0 }))).toMatchObject({ field: "sscc" });
    expect(failure(encodeEpc({ grai: "10614141123452400", companyPrefixLength: 7 }, { scheme: "grai-96", filter: 0 }))).toMatchObject({ field: "grai" });
  });

  it("InvalidEpcUri", () => {
    for (const uri of [
      "",
      "urn:epc:id:foo:1.2.3",
      "urn:epc:tag:sgtin-64:3.0614141.812345.6789",
      "urn:epc:id:sgtin:0614141.812345",
      "urn:epc:id:sgtin:0614141.81234.6789",
      "urn:epc:id:sgtin:0614141.812345.a/b",
      "urn:epc:id:sgtin:0614141.812345.a%2",
      "urn:epc:id:sgtin:0614141.812345.a%23b",
      "urn:epc:id:sgtin:0614141.812345.123456789012345678901",
      "urn:epc:tag:sgtin-96:8.0614141.812345.6789",
      "urn:epc:tag:sgtin-96:.0614141.812345.6789",
      "urn:epc:id:sscc:0614141.12345678901",
      "urn:epc:id:grai:0614141.12345.",
      "URN:EPC:ID:SGTIN:0614141.812345.6789",
    ]) {
      const error = failure(parseEpcUri(uri));
      expect(error, uri).toBeInstanceOf(InvalidEpcUri);
    }
  });

  it("EpcNotEncodable, naming the field", () => {
    const cases: ReadonlyArray<[string, Gs1EpcScheme, string]> = [
      ["urn:epc:id:sgtin:0614141.812345.06789", "sgtin-96", "serial"],
      ["urn:epc:id:sgtin:0614141.812345.274877906944", "sgtin-96", "serial"],
      ["urn:epc:id:sgtin:0614141.812345.12a", "sgtin-96", "serial"],
      ["urn:epc:id:sgln:0614141.12345.2199023255552", "sgln-96", "extension"],
      ["urn:epc:id:grai:0614141.12345.X1", "grai-96", "serial"],
      ["urn:epc:id:giai:0614141.012345", "giai-96", "individualAssetReference"],
      ["urn:epc:id:giai:0614141.288230376151711744", "giai-96", "individualAssetReference"],
      ["urn:epc:id:giai:061414123456.12345678901234", "giai-96", "individualAssetReference"],
      ["urn:epc:id:sgtin:0614141.812345.6789", "sscc-96", "scheme"],
    ];
    for (const [uri, scheme, field] of cases) {
      const error = failure(encodeEpc(uri, { scheme, filter: 0 }));
      expect(error, uri).toBeInstanceOf(EpcNotEncodable);
      expect(error, uri).toMatchObject({ scheme, field });
    }
    expect(failure(parseEpcUri("urn:epc:tag:sgtin-96:3.0614141.812345.06789"))).toMatchObject({ _tag: "EpcNotEncodable", field: "serial" });
    expect(failure(encodeEpc({ grai: "00614141123452", companyPrefixLength: 7 }, { scheme: "grai-96", filter: 0 }))).toMatchObject({
      _tag: "EpcNotEncodable",
      field: "serial",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const SET_82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const digitString = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
const set82 = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...SET_82), minLength: min, maxLength: max });
const integerText = (bits: number) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n }).map(String);
const SCHEMES = GS1_SCHEMES;

/** An identity that `scheme` can carry, over every partition. */
const encodable = (scheme: Gs1EpcScheme): fc.Arbitrary<Gs1EpcIdentity> =>
  fc.integer({ min: 0, max: 6 }).chain((partition): fc.Arbitrary<Gs1EpcIdentity> => {
    const cpDigits = 12 - partition;
    const companyPrefix = digitString(cpDigits);
    switch (scheme) {
      case "sgtin-96":
      case "sgtin-198":
        return fc.record({
          kind: fc.constant("sgtin" as const),
          companyPrefix,
          itemReference: digitString(13 - cpDigits),
          serial: scheme === "sgtin-96" ? integerText(38) : set82(1, 20),
        });
      case "sscc-96":
        return fc.record({ kind: fc.constant("sscc" as const), companyPrefix, serialReference: digitString(17 - cpDigits) });
      case "sgln-96":
      case "sgln-195":
        return fc.record({
          kind: fc.constant("sgln" as const),
          companyPrefix,
          locationReference: digitString(12 - cpDigits),
          extension: scheme === "sgln-96" ? integerText(41) : set82(1, 20),
        });
      case "grai-96":
      case "grai-170":
        return fc.record({
          kind: fc.constant("grai" as const),
          companyPrefix,
          assetType: digitString(12 - cpDigits),
          serial: scheme === "grai-96" ? integerText(38) : set82(1, 16),
        });
      case "giai-96":
        return fc.record({
          kind: fc.constant("giai" as const),
          companyPrefix,
          individualAssetReference: integerText(REF_TABLES["giai-96"]![partition]![1]),
        });
      case "giai-202":
        return fc.record({ kind: fc.constant("giai" as const), companyPrefix, individualAssetReference: set82(1, 30 - cpDigits) });
    }
  });

const tagged = fc.constantFrom(...SCHEMES).chain((scheme) =>
  fc.record({ scheme: fc.constant(scheme), filter: fc.integer({ min: 0, max: 7 }), identity: encodable(scheme) }),
);

/** The identity fields of a decoded EPC. */
const identityOf = (decoded: EpcDecoded): EpcIdentity => ok(parseEpcUri(decoded.pureIdentityUri)).identity;

describe("properties", () => {
  it("encode → decode gives back the identity, scheme and filter, and the layout of the standard", () => {
    fc.assert(
      fc.property(tagged, ({ scheme, filter, identity }) => {
        const hex = ok(encodeEpc(identity, { scheme, filter }));
        expect(hex).toBe(referenceHex(scheme, filter, identity));
        const decoded = gs1(ok(decodeEpc(hex)));
        expect(decoded.scheme).toBe(scheme);
        expect(decoded.filter).toBe(filter);
        expect(identityOf(decoded)).toEqual(identity);
        expect(decoded).toMatchObject(identity);
      }),
      runs,
    );
  });

  it("decode → encode gives back the hex, for generated and for random EPCs", () => {
    const randomEpc = fc.constantFrom(...SCHEMES).chain((scheme) => {
      const { header, bits } = REF_SCHEMES[scheme];
      return fc.bigInt({ min: 0n, max: 2n ** BigInt(bits - 8) - 1n }).map((rest) => {
        const padded = Math.ceil(bits / 16) * 16;
        const value = ((BigInt(header) << BigInt(bits - 8)) | rest) << BigInt(padded - bits);
        return value.toString(16).toUpperCase().padStart(padded / 4, "0");
      });
    });
    const generated = tagged.map(({ scheme, filter, identity }) => ok(encodeEpc(identity, { scheme, filter })));
    let decodedCount = 0;
    fc.assert(
      fc.property(fc.oneof(randomEpc, generated), (hex) => {
        const decoded = decodeEpc(hex);
        if (Result.isFailure(decoded)) {
          expect(ERROR_TAGS).toContain(decoded.failure._tag);
          return;
        }
        decodedCount++;
        const d = gs1(decoded.success);
        expect(ok(encodeEpc(d, { scheme: d.scheme, filter: d.filter }))).toBe(hex);
        expect(ok(encodeEpc(decoded.success.tagUri))).toBe(hex);
      }),
      runs,
    );
    expect(decodedCount).toBeGreaterThan(runs.numRuns / 3);
  });

  it("URIs round-trip: format ∘ parse is the identity on tag and pure identity URIs", () => {
    fc.assert(
      fc.property(tagged, ({ scheme, filter, identity }) => {
        const tagUri = formatEpcUri({ form: "tag", scheme, filter, identity });
        const pureUri = formatEpcUri({ form: "pure-identity", identity });
        expect(ok(parseEpcUri(tagUri))).toEqual({ form: "tag", scheme, filter, identity });
        expect(ok(parseEpcUri(pureUri))).toEqual({ form: "pure-identity", identity });
        expect(formatEpcUri(ok(parseEpcUri(tagUri)))).toBe(tagUri);
        const hex = ok(encodeEpc(tagUri));
        expect(ok(epcToUri(hex))).toBe(tagUri);
        expect(ok(epcToUri(hex, "pure-identity"))).toBe(pureUri);
        if (identity.kind === "sgtin") {
          const gtin = ok(gtinOfSgtin(identity));
          expect(ok(sgtinFromGtin(gtin, identity.serial, identity.companyPrefix.length))).toEqual(identity);
        }
      }),
      runs,
    );
  });

  it("the SGTIN-96 fast path agrees with a bit-string reference decoder", () => {
    // Each field anywhere in its bits, small, at its extremes or next to a power of ten (where
    // the decimal text gains a digit), so that valid tags and every refusal both occur.
    const field = (bits: number) => {
      const max = 2n ** BigInt(bits) - 1n;
      const nearPowerOfTen = fc
        .tuple(fc.integer({ min: 0, max: 13 }), fc.integer({ min: -1, max: 0 }))
        .map(([k, d]) => 10n ** BigInt(k) + BigInt(d))
        .filter((v) => v <= max);
      return fc.oneof(fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 0n, max: max < 2000n ? max : 2000n }), fc.constantFrom(0n, max), nearPowerOfTen);
    };
    const sgtinHex = fc.integer({ min: 0, max: 7 }).chain((partition) => {
      const [cpBits] = REF_TABLES.sgtin![partition] ?? [22];
      return fc
        .tuple(fc.integer({ min: 0, max: 7 }), field(cpBits), field(44 - cpBits), field(38), fc.boolean())
        .map(([filter, cp, reference, serial, lower]) => {
          const value =
            (0x30n << 88n) | (BigInt(filter) << 85n) | (BigInt(partition) << 82n) | (cp << BigInt(82 - cpBits)) | (reference << 38n) | serial;
          const hex = value.toString(16).toUpperCase().padStart(24, "0");
          return lower ? hex.toLowerCase() : hex;
        });
    });
    let decodedCount = 0;
    fc.assert(
      fc.property(sgtinHex, (hex) => {
        const expected = referenceSgtin96(hex.toUpperCase());
        const decoded = decodeEpc(hex);
        if ("refused" in expected) expect(failure(decoded)).toMatchObject(expected.refused);
        else {
          decodedCount++;
          expect(ok(decoded)).toEqual(expected.decoded);
        }
      }),
      runs,
    );
    expect(decodedCount).toBeGreaterThan(runs.numRuns / 4);
  });

  it("random text never throws: it decodes or returns a typed error", () => {
    const hexish = fc.string({ unit: fc.constantFrom(..."0123456789ABCDEFabcdef3036x G"), maxLength: 64 });
    const headed = fc
      .tuple(fc.constantFrom("30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "00", "FF"), fc.string({ unit: fc.constantFrom(..."0123456789ABCDEF"), minLength: 0, maxLength: 60 }))
      .map(([h, rest]) => h + rest);
    fc.assert(
      fc.property(fc.oneof(hexish, headed, fc.string()), (text) => {
        const result = decodeEpc(text);
        if (Result.isFailure(result)) {
          expect(ERROR_TAGS).toContain(result.failure._tag);
          expect(result.failure).toBeInstanceOf(Error);
        } else {
          expect(result.success.tagUri.startsWith("urn:epc:tag:")).toBe(true);
        }
        const uri = parseEpcUri(text);
        if (Result.isFailure(uri)) expect(ERROR_TAGS).toContain(uri.failure._tag);
      }),
      runs,
    );
  });

  it("random URIs never throw", () => {
    const uri = fc
      .tuple(
        fc.constantFrom("urn:epc:id:sgtin:", "urn:epc:id:giai:", "urn:epc:tag:sgtin-198:", "urn:epc:tag:sgtin-96:3.", "urn:epc:tag:giai-96:1.", "urn:epc:id:sgln:"),
        fc.string({ unit: fc.constantFrom(..."0123456789.%2Fa/#"), maxLength: 40 }),
      )
      .map(([p, rest]) => p + rest);
    fc.assert(
      fc.property(uri, (text) => {
        const parsed = parseEpcUri(text);
        if (Result.isFailure(parsed)) {
          expect(ERROR_TAGS).toContain(parsed.failure._tag);
          return;
        }
        expect(ok(parseEpcUri(formatEpcUri(parsed.success)))).toEqual(parsed.success);
      }),
      runs,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// GID-96 (TDS §14.6.10): header 0x35, manager 28 bits, class 24 bits, serial 36 bits
// ---------------------------------------------------------------------------------------------

describe("GID-96", () => {
  const GID_EXAMPLES = [
    // TDS §6.3.9's example of a GID pure identity URI, encoded per §14.6.10.
    { id: "urn:epc:id:gid:95100000.12345.400", tag: "urn:epc:tag:gid-96:95100000.12345.400", hex: "355AB1C60003039000000190" },
    { id: "urn:epc:id:gid:31415.271828.1414", tag: "urn:epc:tag:gid-96:31415.271828.1414", hex: "350007AB70425D4000000586" },
    { id: "urn:epc:id:gid:31231.11.12", tag: "urn:epc:tag:gid-96:31231.11.12", hex: "3500079FF00000B00000000C" },
    { id: "urn:epc:id:gid:0.0.0", tag: "urn:epc:tag:gid-96:0.0.0", hex: "350000000000000000000000" },
    {
      id: "urn:epc:id:gid:268435455.16777215.68719476735",
      tag: "urn:epc:tag:gid-96:268435455.16777215.68719476735",
      hex: "35FFFFFFFFFFFFFFFFFFFFFF",
    },
  ];

  for (const example of GID_EXAMPLES) {
    it(`${example.tag} ⇄ ${example.hex}`, () => {
      const [generalManagerNumber, objectClass, serial] = example.id.slice("urn:epc:id:gid:".length).split(".");
      expect(ok(decodeEpc(example.hex))).toEqual({
        kind: "gid",
        generalManagerNumber,
        objectClass,
        serial,
        scheme: "gid-96",
        tagUri: example.tag,
        pureIdentityUri: example.id,
      });
      expect(ok(decodeEpc(example.hex.toLowerCase()))).toEqual(ok(decodeEpc(example.hex)));
      expect(ok(encodeEpc(example.tag))).toBe(example.hex);
      expect(ok(encodeEpc(example.id, { scheme: "gid-96", filter: 0 }))).toBe(example.hex);
      expect(ok(epcToUri(example.hex))).toBe(example.tag);
      expect(ok(epcToUri(example.hex, "pure-identity"))).toBe(example.id);
      const tag = ok(parseEpcUri(example.tag));
      expect(tag).toEqual({ form: "tag", scheme: "gid-96", identity: { kind: "gid", generalManagerNumber, objectClass, serial } });
      expect(formatEpcUri(tag)).toBe(example.tag);
      expect(formatEpcUri(ok(parseEpcUri(example.id)))).toBe(example.id);
    });
  }

  it("refuses a GID-96 of other than 24 hex digits", () => {
    expect(failure(decodeEpc("350007AB70425D400000058"))).toMatchObject({ _tag: "InvalidEpcHex", reason: "length" });
    expect(failure(decodeEpc("350007AB70425D40000005860000"))).toMatchObject({ _tag: "InvalidEpcHex", reason: "length" });
    expect(failure(decodeEpc("35"))).toMatchObject({ _tag: "InvalidEpcHex", reason: "length" });
  });

  it("refuses URIs whose fields are not decimal integers without leading zeros within GID-96", () => {
    for (const [uri, field] of [
      ["urn:epc:id:gid:268435456.1.1", "generalManagerNumber"],
      ["urn:epc:id:gid:1.16777216.1", "objectClass"],
      ["urn:epc:tag:gid-96:1.1.68719476736", "serial"],
      ["urn:epc:id:gid:01.1.1", "generalManagerNumber"],
      ["urn:epc:id:gid:1..1", "objectClass"],
      ["urn:epc:id:gid:1.2.3.4", "serial"],
      ["urn:epc:tag:gid-96:1.2.x", "serial"],
    ] as const) {
      const e = failure(parseEpcUri(uri));
      expect(e).toBeInstanceOf(InvalidEpcUri);
      expect(e.message.startsWith(`${field}:`)).toBe(true);
    }
    expect(failure(parseEpcUri("urn:epc:id:gid:1.2"))).toBeInstanceOf(InvalidEpcUri);
    expect(failure(parseEpcUri("urn:epc:tag:gid-96:3.1.2.3"))).toBeInstanceOf(InvalidEpcUri);
    expect(failure(encodeEpc({ kind: "gid", generalManagerNumber: "1", objectClass: "2", serial: "-3" }, { scheme: "gid-96", filter: 0 }))).toMatchObject({
      _tag: "InvalidEpcValue",
      field: "serial",
    });
  });

  it("a GID goes only into GID-96, without a filter, and GID-96 carries only a GID", () => {
    const gid = { kind: "gid", generalManagerNumber: "1", objectClass: "2", serial: "3" } as const;
    expect(ok(encodeEpc(gid, { scheme: "gid-96", filter: 0 }))).toBe("350000001000002000000003");
    expect(failure(encodeEpc(gid, { scheme: "gid-96", filter: 1 }))).toMatchObject({ _tag: "InvalidEpcValue", field: "filter" });
    expect(failure(encodeEpc("urn:epc:tag:gid-96:1.2.3", { filter: 3 }))).toMatchObject({ _tag: "InvalidEpcValue", field: "filter" });
    expect(failure(encodeEpc(gid, { scheme: "sgtin-96", filter: 0 }))).toMatchObject({ _tag: "EpcNotEncodable", field: "scheme" });
    expect(failure(encodeEpc("urn:epc:id:sgtin:0614141.812345.6789", { scheme: "gid-96", filter: 0 }))).toMatchObject({
      _tag: "EpcNotEncodable",
      scheme: "gid-96",
    });
  });
});
