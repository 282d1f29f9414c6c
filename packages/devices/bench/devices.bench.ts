/**
 * Device-codec benchmark: jxc against the npm packages `epc-tds` (EPC) and `gs1-barcode-parser`
 * (GS1 element strings), plus LLRP RO_ACCESS_REPORT decoding. Inputs are generated
 * deterministically (seeded PRNG); every input also carries the result the standard gives it,
 * computed here independently of both contestants, so each disagreement between them is
 * attributed to the side that agrees with the standard.
 *
 * Run: `npm run bench -w @jxc/devices`. The last line is machine-readable.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import vm from "node:vm";
import { Result } from "effect";
import { LlrpFrameDecoder, decodeEpc, decodeGs1, decodeLlrp, encodeEpc, encodeGs1, encodeLlrp } from "../src/index.js";
import type { LlrpMessage, TagReportData } from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

const EPC_COUNT = 1_000_000;
const GS1_COUNT = 100_000;
const LLRP_REPORTS = 200;
const TAGS_PER_REPORT = 100;
const REFERENCE_YEAR = 2026; // GS1 century rule (§7.12): the "current year"; jxc's deterministic default

/** mulberry32: a small deterministic 32-bit PRNG. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** Uniform integer in [0, n), n up to 2^53. */
  const below = (n: number): number => {
    const x = Math.floor(next() * 2 ** 21) * 2 ** 32 + Math.floor(next() * 2 ** 32);
    return Math.floor((x / 2 ** 53) * n);
  };
  const pick = <T>(xs: readonly T[]): T => xs[below(xs.length)] as T;
  return { next, below, pick };
};

let sink = 0;

type Run = (input: never) => number;

/** Runs `run` over the first inputs a few times so that V8 optimises it before timing. */
const warmUp = (inputs: readonly unknown[], run: Run): void => {
  const f = run as (input: unknown) => number;
  const warm = Math.min(inputs.length, 50_000);
  for (let r = 0; r < 3; r++) for (let i = 0; i < warm; i++) sink += f(inputs[i]);
};

/**
 * CPU milliseconds (user + system, all threads of this process) of one pass of `run` over every
 * input. CPU time, not wall time: on a shared machine wall time also counts the time other
 * processes hold the cores, which says nothing about either contestant. GC helper threads are
 * counted too, so the figure errs on the low side.
 */
const timePass = (inputs: readonly unknown[], run: Run): number => {
  const f = run as (input: unknown) => number;
  const c0 = process.cpuUsage();
  for (let i = 0; i < inputs.length; i++) sink += f(inputs[i]);
  const used = process.cpuUsage(c0);
  return (used.user + used.system) / 1000;
};

/**
 * Operations per second of each contestant over the same inputs: all are warmed up, then the
 * timed passes alternate between them (round-robin, so machine noise hits every side alike) and
 * the best pass of each counts. `passes[i]` is how many timed passes contestant i gets.
 */
const race = (inputs: readonly unknown[], runs: readonly Run[], passes: readonly number[], units = 1): number[] => {
  for (const run of runs) warmUp(inputs, run);
  const best = runs.map(() => Infinity);
  const rounds = Math.max(...passes);
  for (let r = 0; r < rounds; r++)
    runs.forEach((run, i) => {
      if (r < (passes[i] ?? 1)) best[i] = Math.min(best[i] ?? Infinity, timePass(inputs, run));
    });
  return best.map((ms) => Math.round((inputs.length * units) / (ms / 1000)));
};

const throughput = (inputs: readonly unknown[], run: Run, passes: number, units = 1): number => race(inputs, [run], [passes], units)[0] ?? 0;

const fmt = (n: number): string => n.toLocaleString("en-US").padStart(12);
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(1)}×` : "n/a");

interface Disagreement {
  count: number;
  example: string;
  jxc: string;
  other: string;
  standard: string;
  jxcRight: boolean;
  otherRight: boolean;
  rule: string;
}

const printClasses = (title: string, other: string, classes: Map<string, Disagreement>): void => {
  console.log(`  disagreement classes (${classes.size}):`);
  const sorted = [...classes.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [key, d] of sorted) {
    const verdict = d.jxcRight && !d.otherRight ? "jxc" : d.otherRight && !d.jxcRight ? other : d.jxcRight ? "both" : "neither";
    console.log(`  • [${d.count}] ${key} — standard agrees with: ${verdict}`);
    console.log(`      rule: ${d.rule}`);
    console.log(`      e.g. ${JSON.stringify(d.example)}`);
    console.log(`        jxc:      ${d.jxc}`);
    console.log(`        ${`${other}:`.padEnd(9)} ${d.other}`);
    console.log(`        ${`${title}:`.padEnd(9)} ${d.standard}`);
  }
};

// ---------------------------------------------------------------------------------------------
// Contestants from npm
// ---------------------------------------------------------------------------------------------

interface TdsEpc {
  toTagURI(): string;
  toIdURI(): string;
  getGtin?: () => string;
  getSerial?: () => number | string;
}
type TdsValueOf = (hex: string) => TdsEpc;

let tdsValueOf: TdsValueOf | undefined;
try {
  const mod = await import("epc-tds");
  const candidate: unknown = (mod.default as { valueOf?: unknown } | undefined)?.valueOf;
  if (typeof candidate === "function" && candidate !== Object.prototype.valueOf) {
    const tds = mod.default;
    tdsValueOf = (hex) => tds.valueOf(hex) as unknown as TdsEpc;
  } else console.log("epc-tds: loaded, but its default export has no valueOf(); reporting 0");
} catch (e) {
  console.log(`epc-tds: cannot be loaded (${String(e)}); reporting 0`);
}

interface ParsedItem {
  readonly ai: string;
  readonly data: string | number | Date;
}
type ParseBarcode = (barcode: string) => { codeName: string; parsedCodeItems: ParsedItem[] };

let parseBarcode: ParseBarcode | undefined;
{
  const name = "gs1-barcode-parser"; // untyped package: a dynamic import through a variable is typed `any`
  try {
    const mod: { default?: unknown; parseBarcode?: unknown } = await import(name);
    const exported = typeof mod.parseBarcode === "function" ? mod.parseBarcode : typeof mod.default === "function" ? mod.default : undefined;
    if (exported) parseBarcode = exported as ParseBarcode;
    else {
      // The package is a browser script (`var parseBarcode = (function () {…}())`, no module.exports):
      // importing it yields {}. Its README loads it with a <script> tag; do the same with node:vm.
      const file = createRequire(import.meta.url).resolve(name);
      const script = new vm.Script(`(function () {\n${readFileSync(file, "utf8")}\nreturn parseBarcode;\n})()`, { filename: file });
      const fn: unknown = script.runInThisContext();
      if (typeof fn === "function") {
        parseBarcode = fn as ParseBarcode;
        console.log(`${name}: its module exports nothing (a browser <script>); loaded ${name}/src/BarcodeParser.js as a classic script via node:vm`);
      } else console.log(`${name}: loaded, but no parseBarcode function found; reporting 0`);
    }
  } catch (e) {
    console.log(`${name}: cannot be loaded (${String(e)}); reporting 0`);
  }
}

// ---------------------------------------------------------------------------------------------
// (1) EPC: generation with the standard's verdict (TDS 2.x §14), independent of both decoders
// ---------------------------------------------------------------------------------------------

const CP_BITS = [40, 37, 34, 30, 27, 24, 20] as const;
const SGTIN_REF_BITS = [4, 7, 10, 14, 17, 20, 24] as const;
const SSCC_REF_BITS = [18, 21, 24, 28, 31, 34, 38] as const;

const bitsOf = (value: number | bigint, width: number): string => value.toString(2).padStart(width, "0");
const bitsToHex = (bits: string): string => {
  const padded = bits.padEnd(Math.ceil(bits.length / 4) * 4, "0");
  return BigInt(`0b${padded}`).toString(16).toUpperCase().padStart(padded.length / 4, "0");
};
const gs1Check = (digits: string): number => {
  let sum = 0;
  for (let i = digits.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (digits.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
};
const pad = (n: number, digits: number): string => String(n).padStart(digits, "0");
/** TDS Table A-1: characters an EPC URI writes as %-escapes. */
const uriEscape = (s: string): string => s.replace(/["%&/<>?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

type EpcExpected = { readonly ok: true; readonly key: string; readonly tagUri: string } | { readonly ok: false; readonly why: string };

interface EpcCase {
  readonly hex: string;
  readonly category: string;
  readonly expected: EpcExpected;
}

const EPC_RULES: Record<string, string> = {
  "sgtin-96 valid": "TDS 2.x SGTIN-96: header 0x30, filter, partition (Table 14-2), company prefix, indicator+item reference, 38-bit serial",
  "sgtin-96 valid (lower-case hex)": "hex case is notation only; same bits as a valid SGTIN-96",
  "sgtin-96 company prefix ≥ 10^digits": "TDS 2.x partition-table decoding: a company-prefix integer ≥ 10^L is not a legal encoding — decoding fails",
  "sgtin-96 item reference ≥ 10^digits": "TDS 2.x partition-table decoding: an item-reference integer ≥ 10^(13−L) is not a legal encoding — decoding fails",
  "sgtin-96 partition 7": "TDS 2.x SGTIN partition table: partition value 7 is not assigned — decoding fails",
  "sgtin-96 truncated (23 hex digits)": "TDS 2.x: an SGTIN-96 is 96 bits (24 hex digits); a 92-bit string is not one — decoding fails",
  "sgtin-96 non-hex character": "the input is not a bit string — decoding fails",
  "sscc-96 valid": "TDS 2.x SSCC-96 (24 unallocated zero bits)",
  "sgtin-198 valid": "TDS 2.x SGTIN-198: 7-bit serial (set 82), URI form per Table A-1",
  "sgtin-198 serial with URI-reserved character": "TDS 2.x Table A-1 (URI form of set 82): \" % & / < > ? are written %22 %25 %26 %2F %3C %3E %3F in EPC URIs",
  "gid-96 valid": "TDS 2.x GID-96: header 0x35, 28-bit manager, 24-bit class, 36-bit serial (no filter); tag URI urn:epc:tag:gid-96:M.C.S",
};

const SET82_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:;=+*()',!";
const SET82_RESERVED = "\"%&/<>?";

const sgtin96 = (rand: ReturnType<typeof prng>) => {
  const filter = rand.below(8);
  const partition = rand.below(7);
  const cpDigits = 12 - partition;
  const refDigits = 1 + partition;
  const cp = rand.below(10 ** cpDigits);
  const item = rand.below(10 ** refDigits);
  const serial = rand.next() < 0.3 ? rand.below(1_000_000) : rand.below(2 ** 38);
  const cpText = pad(cp, cpDigits);
  const itemText = pad(item, refDigits);
  const gtin13 = itemText.charAt(0) + cpText + itemText.slice(1);
  const gtin = gtin13 + gs1Check(gtin13);
  const body = `${cpText}.${itemText}.${serial}`;
  const tagUri = `urn:epc:tag:sgtin-96:${filter}.${body}`;
  const bits = (cpBits: number, refBits: number, cpv: number, refv: number, part: number) =>
    bitsOf(0x30, 8) + bitsOf(filter, 3) + bitsOf(part, 3) + bitsOf(cpv, cpBits) + bitsOf(refv, refBits) + bitsOf(serial, 38);
  const hex = bitsToHex(bits(CP_BITS[partition] ?? 0, SGTIN_REF_BITS[partition] ?? 0, cp, item, partition));
  return { filter, partition, serial, hex, tagUri, key: `${tagUri}|urn:epc:id:sgtin:${body}|${gtin}|${serial}`, bits };
};

const generateEpcs = (count: number): EpcCase[] => {
  const rand = prng(0x5eed_e9c0);
  const out: EpcCase[] = new Array<EpcCase>(count);
  for (let n = 0; n < count; n++) {
    const roll = rand.next();
    const base = sgtin96(rand);
    const valid: EpcExpected = { ok: true, key: base.key, tagUri: base.tagUri };
    let c: EpcCase;
    if (roll < 0.94) c = { hex: base.hex, category: "sgtin-96 valid", expected: valid };
    else if (roll < 0.95) c = { hex: base.hex.toLowerCase(), category: "sgtin-96 valid (lower-case hex)", expected: valid };
    else if (roll < 0.96) {
      const p = base.partition;
      const cpBits = CP_BITS[p] ?? 0;
      const cp = 10 ** (12 - p) + rand.below(2 ** cpBits - 10 ** (12 - p));
      const hex = bitsToHex(base.bits(cpBits, SGTIN_REF_BITS[p] ?? 0, cp, 0, p));
      c = { hex, category: "sgtin-96 company prefix ≥ 10^digits", expected: { ok: false, why: "company prefix integer has more than L digits" } };
    } else if (roll < 0.97) {
      const p = base.partition;
      const refBits = SGTIN_REF_BITS[p] ?? 0;
      const item = 10 ** (1 + p) + rand.below(2 ** refBits - 10 ** (1 + p));
      const hex = bitsToHex(base.bits(CP_BITS[p] ?? 0, refBits, 0, item, p));
      c = { hex, category: "sgtin-96 item reference ≥ 10^digits", expected: { ok: false, why: "item reference integer has more than 13−L digits" } };
    } else if (roll < 0.975) {
      const hex = bitsToHex(bitsOf(0x30, 8) + bitsOf(base.filter, 3) + bitsOf(7, 3) + bitsOf(rand.below(2 ** 44), 44) + bitsOf(base.serial, 38));
      c = { hex, category: "sgtin-96 partition 7", expected: { ok: false, why: "partition 7 unassigned" } };
    } else if (roll < 0.98) {
      c = { hex: base.hex.slice(0, 23), category: "sgtin-96 truncated (23 hex digits)", expected: { ok: false, why: "95 or fewer bits" } };
    } else if (roll < 0.985) {
      const at = 2 + rand.below(22);
      const hex = base.hex.slice(0, at) + rand.pick(["G", "Z", "-", " "]) + base.hex.slice(at + 1);
      c = { hex, category: "sgtin-96 non-hex character", expected: { ok: false, why: "not hex" } };
    } else if (roll < 0.99) {
      const p = rand.below(7);
      const cpDigits = 12 - p;
      const refDigits = 5 + p;
      const cp = rand.below(10 ** cpDigits);
      const ref = rand.below(10 ** refDigits);
      const filter = rand.below(8);
      const hex = bitsToHex(bitsOf(0x31, 8) + bitsOf(filter, 3) + bitsOf(p, 3) + bitsOf(cp, CP_BITS[p] ?? 0) + bitsOf(ref, SSCC_REF_BITS[p] ?? 0) + bitsOf(0, 24));
      const body = `${pad(cp, cpDigits)}.${pad(ref, refDigits)}`;
      const tagUri = `urn:epc:tag:sscc-96:${filter}.${body}`;
      c = { hex, category: "sscc-96 valid", expected: { ok: true, key: `${tagUri}|urn:epc:id:sscc:${body}`, tagUri } };
    } else if (roll < 0.995) {
      const reserved = rand.next() < 0.3;
      const length = 1 + rand.below(20);
      let serial = "";
      for (let i = 0; i < length; i++) serial += rand.pick([...SET82_SAFE]);
      if (reserved) {
        const at = rand.below(length);
        serial = serial.slice(0, at) + rand.pick([...SET82_RESERVED]) + serial.slice(at + 1);
      }
      const p = base.partition;
      const [cpText, itemText] = base.tagUri.slice("urn:epc:tag:sgtin-96:".length).split(".").slice(1, 3) as [string, string];
      let serialBits = "";
      for (const ch of serial) serialBits += bitsOf(ch.charCodeAt(0), 7);
      const bits =
        bitsOf(0x36, 8) + bitsOf(base.filter, 3) + bitsOf(p, 3) + bitsOf(Number(cpText), CP_BITS[p] ?? 0) +
        bitsOf(Number(itemText), SGTIN_REF_BITS[p] ?? 0) + serialBits.padEnd(140, "0");
      const hex = bitsToHex(bits.padEnd(208, "0"));
      const gtin13 = itemText.charAt(0) + cpText + itemText.slice(1);
      const body = `${cpText}.${itemText}.${uriEscape(serial)}`;
      const tagUri = `urn:epc:tag:sgtin-198:${base.filter}.${body}`;
      c = {
        hex,
        category: reserved && uriEscape(serial) !== serial ? "sgtin-198 serial with URI-reserved character" : "sgtin-198 valid",
        expected: { ok: true, key: `${tagUri}|urn:epc:id:sgtin:${body}|${gtin13}${gs1Check(gtin13)}|${serial}`, tagUri },
      };
    } else {
      const manager = rand.below(2 ** 28);
      const klass = rand.below(2 ** 24);
      const serial = rand.below(2 ** 36);
      const hex = bitsToHex(bitsOf(0x35, 8) + bitsOf(manager, 28) + bitsOf(klass, 24) + bitsOf(serial, 36));
      const tagUri = `urn:epc:tag:gid-96:${manager}.${klass}.${serial}`;
      c = { hex, category: "gid-96 valid", expected: { ok: true, key: `${tagUri}|urn:epc:id:gid:${manager}.${klass}.${serial}`, tagUri } };
    }
    out[n] = c;
  }
  return out;
};

/** The comparable view of a decode: tag URI | pure identity URI (| GTIN | serial for SGTIN), or a failure. */
const jxcEpcKey = (hex: string): string => {
  const r = decodeEpc(hex);
  if (Result.isFailure(r)) {
    const e = r.failure;
    return `FAIL ${e._tag}${"field" in e ? `(${e.field})` : "reason" in e ? `(${e.reason})` : ""}`;
  }
  const d = r.success;
  return d.kind === "sgtin" ? `${d.tagUri}|${d.pureIdentityUri}|${d.gtin}|${d.serial}` : `${d.tagUri}|${d.pureIdentityUri}`;
};

const tdsEpcKey = (hex: string): string => {
  if (!tdsValueOf) return "FAIL not loaded";
  try {
    const e = tdsValueOf(hex);
    const tag = e.toTagURI();
    return tag.startsWith("urn:epc:tag:sgtin") ? `${tag}|${e.toIdURI()}|${e.getGtin?.() ?? ""}|${String(e.getSerial?.() ?? "")}` : `${tag}|${e.toIdURI()}`;
  } catch (err) {
    return `FAIL throws ${(err as Error).constructor.name}`;
  }
};

const outcome = (key: string): string => (key.startsWith("FAIL") ? key.replace("FAIL", "refuses:") : "decodes");
const matches = (key: string, expected: EpcExpected): boolean => (expected.ok ? key === expected.key : key.startsWith("FAIL"));

// ---------------------------------------------------------------------------------------------
// (2) GS1: generation with the standard's verdict (GS1 General Specifications §3, §7.8, §7.12)
// ---------------------------------------------------------------------------------------------

interface Gs1Case {
  readonly text: string;
  readonly ais: ReadonlyArray<readonly [string, string]>;
  /** `ai=normalised value|…`: dates as ISO dates, measures and amounts as numbers. */
  readonly expected: string;
  readonly tags: readonly string[];
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
/** GS1 GenSpecs §7.12: the year lies within −49…+50 years of the reference year. */
const century = (yy: number): number => {
  const base = REFERENCE_YEAR - (REFERENCE_YEAR % 100);
  const diff = yy - (REFERENCE_YEAR % 100);
  return diff >= 51 ? base - 100 + yy : diff <= -50 ? base + 100 + yy : base + yy;
};
const isoDate = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

const GS = "\u001d";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const XCHARS = `${ALNUM}abcdefghijklmnopqrstuvwxyz-./_`;
const SYMBOLOGIES = ["", "", "", "", "", "", "]C1", "]C1", "]C1", "]d2", "]d2", "]d2", "]Q3", "]Q3", "]e0", "]J1"] as const;

const GS1_RULES: Record<string, string> = {
  "date YY 51–76": "GS1 GenSpecs §7.12 century rule with reference year 2026: YY 51–76 lie within +50 years → 2051–2076",
  "392n value shorter than its decimals": "GS1 GenSpecs, AI 392n: the last digit n of the AI is the number of implied decimals, so 3922 \"5\" is 0.05",
  "AI 414": "GS1 GenSpecs AI (414): GLN of a physical location, N13 with check digit — a defined AI",
  "symbology ]J1": "ISO/IEC 15424 / GS1 GenSpecs: ]J1 is the symbology identifier of GS1 DotCode, a GS1 data carrier",
};

const generateGs1 = (count: number): Gs1Case[] => {
  const rand = prng(0x65_1ba7c0);
  const str = (alphabet: string, min: number, max: number) => {
    const n = min + rand.below(max - min + 1);
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet.charAt(rand.below(alphabet.length));
    return s;
  };
  const digits = (n: number) => str("0123456789", n, n);
  const withCheck = (body: string) => body + gs1Check(body);
  const out: Gs1Case[] = [];
  const others = ["10", "11", "15", "17", "21", "30", "37", "310", "3922", "400", "41x"] as const;
  for (let n = 0; n < count; n++) {
    const chosen: string[] = rand.next() < 0.85 ? ["01"] : [];
    const extra = 1 + rand.below(5);
    const pool = [...others];
    for (let i = 0; i < extra && pool.length > 0; i++) chosen.push(pool.splice(rand.below(pool.length), 1)[0] as string);
    const ais: Array<readonly [string, string]> = [];
    const norm: string[] = [];
    const tags = new Set<string>();
    for (const kind of chosen) {
      switch (kind) {
        case "01": {
          const v = withCheck(rand.next() < 0.3 ? `0${digits(12)}` : digits(13));
          ais.push(["01", v]);
          norm.push(`01=${v}`);
          break;
        }
        case "10":
        case "21":
        case "400": {
          const v = str(XCHARS, 1, kind === "400" ? 30 : 20);
          ais.push([kind, v]);
          norm.push(`${kind}=${v}`);
          break;
        }
        case "30":
        case "37": {
          const v = String(1 + rand.below(99_999_999)).padStart(rand.next() < 0.2 ? 8 : 1, "0").slice(-8);
          ais.push([kind, v]);
          norm.push(`${kind}=${v}`);
          break;
        }
        case "11":
        case "15":
        case "17": {
          const yy = rand.below(100);
          const mm = 1 + rand.below(12);
          const year = century(yy);
          const dd = kind !== "11" && rand.next() < 0.15 ? 0 : 1 + rand.below(monthDays(year, mm));
          ais.push([kind, `${pad(yy, 2)}${pad(mm, 2)}${pad(dd, 2)}`]);
          norm.push(`${kind}=${isoDate(year, mm, dd === 0 ? monthDays(year, mm) : dd)}`);
          if (yy >= 51 && yy <= 76) tags.add("date YY 51–76");
          break;
        }
        case "310": {
          const d = rand.below(6);
          const v = digits(6);
          ais.push([`310${d}`, v]);
          norm.push(`310${d}=${Number(v) / 10 ** d}`);
          break;
        }
        case "3922": {
          const len = 1 + rand.below(15);
          const v = len === 1 ? digits(1) : String(1 + rand.below(9)) + digits(len - 1);
          ais.push(["3922", v]);
          norm.push(`3922=${Number(`${v.slice(0, -2) || "0"}.${v.padStart(2, "0").slice(-2)}`)}`);
          if (v.length === 1 && v !== "0") tags.add("392n value shorter than its decimals");
          break;
        }
        case "41x": {
          const ai = `41${rand.below(5)}`;
          const v = withCheck(digits(12));
          ais.push([ai, v]);
          norm.push(`${ai}=${v}`);
          if (ai === "414") tags.add("AI 414");
          break;
        }
      }
    }
    // Raw form: GS after every variable-length field that is not last (GenSpecs §7.8.5).
    let raw = "";
    ais.forEach(([ai, v], i) => {
      const predefined = /^(0[0-4]|1[1-9]|20|3[1-6]|41)/.test(ai);
      raw += ai + v + (predefined || i === ais.length - 1 ? "" : GS);
    });
    const sym = rand.pick(SYMBOLOGIES);
    if (sym === "]J1") tags.add("symbology ]J1");
    out.push({ text: sym + raw, ais, expected: norm.join("|"), tags: [...tags] });
  }
  return out;
};

const jxcGs1Key = (text: string): string => {
  const r = decodeGs1(text);
  if (Result.isFailure(r)) return `FAIL ${r.failure._tag}`;
  const e = r.success;
  return e.ais
    .map(([ai, v]) => {
      const date = e.dates[ai];
      if (date !== undefined) return `${ai}=${date}`;
      const measure = e.measures[ai];
      if (measure !== undefined) return `${ai}=${Number(measure)}`;
      const amount = e.amounts[ai];
      if (amount !== undefined) return `${ai}=${Number(amount.value)}`;
      return `${ai}=${v}`;
    })
    .join("|");
};

const parserGs1Key = (text: string): string => {
  if (!parseBarcode) return "FAIL not loaded";
  try {
    return parseBarcode(text)
      .parsedCodeItems.map(({ ai, data }) =>
        data instanceof Date ? `${ai}=${isoDate(data.getFullYear(), data.getMonth() + 1, data.getDate())}` : `${ai}=${String(data)}`,
      )
      .join("|");
  } catch (err) {
    return `FAIL throws ${JSON.stringify(String(err))}`;
  }
};

/** Which elements of two `ai=value|…` keys differ, for naming a class. */
const diffAis = (a: string, b: string): string => {
  if (a.startsWith("FAIL") || b.startsWith("FAIL")) return "";
  const xs = a.split("|");
  const ys = b.split("|");
  const diff = new Set<string>();
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) if (xs[i] !== ys[i]) diff.add((xs[i] ?? ys[i] ?? "").split("=")[0] ?? "");
  return [...diff].join(",");
};

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

console.log(`node ${process.version}; jxc @jxc/devices (src) vs epc-tds, gs1-barcode-parser; rates per CPU-second of this process (best pass)\n`);

// (1) EPC ------------------------------------------------------------------------------------
const tGen = performance.now();
const epcs = generateEpcs(EPC_COUNT);
const epcHex = epcs.map((c) => c.hex);
console.log(`(1) EPC — ${EPC_COUNT.toLocaleString("en-US")} tags (seeded; 94% valid SGTIN-96 over all partitions/filters, 6% other schemes/invalid), generated in ${Math.round(performance.now() - tGen)} ms`);

// Oracle self-check: re-encode a sample of the expected tag URIs with encodeEpc (TDS encoding rules).
let sampled = 0;
let reencodeMismatch = 0;
for (let i = 0; i < epcs.length; i += 97) {
  const c = epcs[i];
  if (!c || !c.expected.ok) continue;
  sampled++;
  const r = encodeEpc(c.expected.tagUri);
  if (!(Result.isSuccess(r) && r.success === c.hex.toUpperCase())) reencodeMismatch++;
}
console.log(`  oracle self-check: ${sampled} sampled expected tag URIs re-encoded with encodeEpc → ${reencodeMismatch} differ from the generated hex`);

const jxcEpcRun = (hex: string): number => {
  const r = decodeEpc(hex);
  return Result.isSuccess(r) ? r.success.tagUri.length : 1;
};
const tdsEpcRun = (hex: string): number => {
  try {
    const e = (tdsValueOf as TdsValueOf)(hex);
    return e.toTagURI().length + e.toIdURI().length + (e.getGtin?.().length ?? 0) + String(e.getSerial?.() ?? "").length;
  } catch {
    return 1;
  }
};
const tdsEpcLazyRun = (hex: string): number => {
  try {
    return (tdsValueOf as TdsValueOf)(hex) === undefined ? 0 : 1;
  } catch {
    return 1;
  }
};
const [epcJxc = 0, epcTds = 0, epcTdsLazy = 0] = tdsValueOf ? race(epcHex, [jxcEpcRun, tdsEpcRun, tdsEpcLazyRun], [5, 1, 1]) : [throughput(epcHex, jxcEpcRun, 5), 0, 0];
const epcJxcValid = throughput(epcs.filter((c) => c.category === "sgtin-96 valid").map((c) => c.hex), jxcEpcRun, 3);
const epcJxcRest = throughput(epcs.filter((c) => c.category !== "sgtin-96 valid").map((c) => c.hex), jxcEpcRun, 3);
console.log(`  decodes/s  jxc decodeEpc ........................ ${fmt(epcJxc)}   (all fields: URIs, GTIN, serial, element string)`);
console.log(`               of which: the 94% valid SGTIN-96 ... ${fmt(epcJxcValid)};  the 6% others/invalid ${fmt(epcJxcRest)}`);
console.log(`             epc-tds valueOf+toTagURI+toIdURI+GTIN . ${fmt(epcTds)}   jxc ${ratio(epcJxc, epcTds)}`);
console.log(`             epc-tds valueOf only (lazy, no fields) ${fmt(epcTdsLazy)}`);

const epcClasses = new Map<string, Disagreement>();
let epcSame = 0;
let jxcWrongEpc = 0;
for (const c of epcs) {
  const a = jxcEpcKey(c.hex);
  const b = tdsEpcKey(c.hex);
  if (!matches(a, c.expected)) jxcWrongEpc++;
  if (a === b || (a.startsWith("FAIL") && b.startsWith("FAIL"))) {
    epcSame++;
    continue;
  }
  const key = `${c.category}: jxc ${outcome(a)} / epc-tds ${outcome(b)}`;
  const d = epcClasses.get(key);
  if (d) d.count++;
  else {
    let standard = c.expected.ok ? `decodes ${c.expected.key}` : `refuses (${c.expected.why})`;
    if (c.expected.ok) {
      const re = encodeEpc(c.expected.tagUri);
      standard += Result.isSuccess(re) && re.success === c.hex.toUpperCase() ? "  [re-encoded by encodeEpc → same hex ✓]" : "  [re-encode differs ✗]";
    }
    epcClasses.set(key, {
      count: 1,
      example: c.hex,
      jxc: a,
      other: b,
      standard,
      jxcRight: matches(a, c.expected),
      otherRight: matches(b, c.expected),
      rule: EPC_RULES[c.category] ?? "",
    });
  }
}
const epcDisagree = epcs.length - epcSame;
console.log(`  identical results (tag URI | pure identity URI | GTIN | serial, or both refuse): ${epcSame.toLocaleString("en-US")} / ${epcs.length.toLocaleString("en-US")}; disagreements: ${epcDisagree.toLocaleString("en-US")}`);
console.log(`  jxc vs the standard on all ${epcs.length.toLocaleString("en-US")} tags: ${jxcWrongEpc.toLocaleString("en-US")} differ`);
printClasses("TDS", "epc-tds", epcClasses);

// (2) GS1 ------------------------------------------------------------------------------------
const gs1 = generateGs1(GS1_COUNT);
const gs1Text = gs1.map((c) => c.text);
let gs1Reencode = 0;
for (let i = 0; i < gs1.length; i += 13) {
  const c = gs1[i];
  if (!c) continue;
  const sym = c.text.startsWith("]") ? c.text.slice(0, 3) : "";
  const r = encodeGs1(c.ais, { form: "raw", referenceYear: REFERENCE_YEAR });
  if (!(Result.isSuccess(r) && sym + r.success === c.text)) gs1Reencode++;
}
console.log(`\n(2) GS1 — ${GS1_COUNT.toLocaleString("en-US")} raw element strings (AIs 01 10 11 15 17 21 30 37 310n 3922 400 410–414; GS after variable-length fields; 60% with ]C1/]d2/]Q3/]e0/]J1)`);
console.log(`  generator self-check: every 13th string re-encoded with encodeGs1 → ${gs1Reencode} differ`);
const jxcGs1Run = (t: string): number => {
  const r = decodeGs1(t);
  return Result.isSuccess(r) ? r.success.ais.length : 1;
};
const parserGs1Run = (t: string): number => {
  try {
    return (parseBarcode as ParseBarcode)(t).parsedCodeItems.length;
  } catch {
    return 1;
  }
};
const [gs1Jxc = 0, gs1Parser = 0] = parseBarcode ? race(gs1Text, [jxcGs1Run, parserGs1Run], [7, 7]) : [throughput(gs1Text, jxcGs1Run, 7), 0];
console.log(`  parses/s   jxc decodeGs1 ................ ${fmt(gs1Jxc)}   (validates check digits/dates/charsets, builds dates/measures/amounts)`);
console.log(`             gs1-barcode-parser ........... ${fmt(gs1Parser)}   jxc ${ratio(gs1Jxc, gs1Parser)}`);

const gs1Classes = new Map<string, Disagreement>();
let gs1Same = 0;
let jxcWrongGs1 = 0;
for (const c of gs1) {
  const a = jxcGs1Key(c.text);
  const b = parserGs1Key(c.text);
  if (a !== c.expected) jxcWrongGs1++;
  if (a === b) {
    gs1Same++;
    continue;
  }
  const differing = diffAis(a, b);
  const causes = new Set<string>();
  if (b.startsWith("FAIL") && c.tags.includes("symbology ]J1")) causes.add("symbology ]J1");
  else if (b.startsWith("FAIL") && c.tags.includes("AI 414")) causes.add("AI 414");
  for (const ai of differing.split(",").filter((x) => x !== ""))
    causes.add(ai === "11" || ai === "15" || ai === "17" ? "date YY 51–76" : ai === "3922" ? "392n value shorter than its decimals" : `other (${ai})`);
  if (causes.size === 0) causes.add("other (failure)");
  const cause = [...causes].sort().join(" + ");
  const key = `${cause}: jxc ${a.startsWith("FAIL") ? outcome(a) : "parses"} / parser ${b.startsWith("FAIL") ? "throws" : "parses, differs"}`;
  const d = gs1Classes.get(key);
  if (d) d.count++;
  else
    gs1Classes.set(key, {
      count: 1,
      example: c.text,
      jxc: a,
      other: b,
      standard: c.expected,
      jxcRight: a === c.expected,
      otherRight: b === c.expected,
      rule: [...causes].map((x) => GS1_RULES[x] ?? x).join("; "),
    });
}
const gs1Disagree = gs1.length - gs1Same;
console.log(`  identical results (AI, value; dates as ISO, measures/amounts as numbers): ${gs1Same.toLocaleString("en-US")} / ${gs1.length.toLocaleString("en-US")}; disagreements: ${gs1Disagree.toLocaleString("en-US")}`);
console.log(`  jxc vs the standard on all ${gs1.length.toLocaleString("en-US")} strings: ${jxcWrongGs1.toLocaleString("en-US")} differ`);
printClasses("GS1", "parser", gs1Classes);

// (3) LLRP -----------------------------------------------------------------------------------
const rand = prng(0x11e9);
const validSgtins = epcs.filter((c) => c.category === "sgtin-96 valid").map((c) => c.hex);
const frames: Uint8Array[] = [];
for (let r = 0; r < LLRP_REPORTS; r++) {
  const tagReports: TagReportData[] = [];
  for (let t = 0; t < TAGS_PER_REPORT; t++) {
    const first = 1_764_000_000_000_000n + BigInt(rand.below(1e12));
    tagReports.push({
      epc: { form: "EPC-96", hex: validSgtins[r * TAGS_PER_REPORT + t] ?? "" },
      roSpecId: 1,
      antennaId: 1 + rand.below(4),
      peakRssi: -30 - rand.below(50),
      channelIndex: 1 + rand.below(50),
      firstSeenUtc: first,
      lastSeenUtc: first + BigInt(rand.below(5_000_000)),
      tagSeenCount: 1 + rand.below(20),
    });
  }
  const message: LlrpMessage = { type: "RO_ACCESS_REPORT", version: 1, id: r + 1, tagReports };
  frames.push(encodeLlrp(message));
}
const checkFrame = frames[0] ? decodeLlrp(frames[0]) : undefined;
const llrpOk = checkFrame !== undefined && Result.isSuccess(checkFrame) && checkFrame.success.type === "RO_ACCESS_REPORT" && checkFrame.success.tagReports.length === TAGS_PER_REPORT;
const ROUNDS = 10;
const frameInputs: Uint8Array[] = [];
for (let i = 0; i < ROUNDS; i++) frameInputs.push(...frames);
const llrpTags = throughput(frameInputs, (bytes: Uint8Array) => {
  const r = decodeLlrp(bytes);
  return Result.isSuccess(r) && r.success.type === "RO_ACCESS_REPORT" ? r.success.tagReports.length : 0;
}, 3, TAGS_PER_REPORT);
const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
{
  let at = 0;
  for (const f of frames) {
    stream.set(f, at);
    at += f.length;
  }
}
const chunks: Uint8Array[] = [];
for (let at = 0; at < stream.length; at += 65_536) chunks.push(stream.subarray(at, at + 65_536));
const streamRuns = Array.from({ length: ROUNDS }, () => chunks);
const llrpStreamTags = throughput(streamRuns, (cs: Uint8Array[]) => {
  let decoder = LlrpFrameDecoder.start();
  let tags = 0;
  for (const chunk of cs) {
    const pushed = decoder.push(chunk);
    for (const m of pushed.messages) if (m.type === "RO_ACCESS_REPORT") tags += m.tagReports.length;
    decoder = pushed.decoder;
  }
  return tags;
}, 3, LLRP_REPORTS * TAGS_PER_REPORT);
console.log(`\n(3) LLRP — ${LLRP_REPORTS} RO_ACCESS_REPORTs × ${TAGS_PER_REPORT} TagReportData (EPC-96, antenna, RSSI, channel, first/last seen, count), ${frames[0]?.length ?? 0} B each; round trip ${llrpOk ? "✓" : "✗"}`);
console.log(`  tags/s     decodeLlrp per frame ......... ${fmt(llrpTags)}`);
console.log(`             LlrpFrameDecoder, 64 KiB chunks ${fmt(llrpStreamTags)}`);

// Summary ------------------------------------------------------------------------------------
const disagreements = epcDisagree + gs1Disagree;
console.log(`\ntargets: jxc ahead of epc-tds ${epcJxc > epcTds ? "✓" : "✗"}, ahead of gs1-barcode-parser ${gs1Jxc > gs1Parser ? "✓" : "✗"}, ≥ 2,000,000 EPC decodes/s ${epcJxc >= 2_000_000 ? "✓" : "✗"}`);
if (sink === 42) console.log("");
console.log(`epc_per_s=${epcJxc} epc_tds_per_s=${epcTds} gs1_per_s=${gs1Jxc} gs1_parser_per_s=${gs1Parser} llrp_tags_per_s=${llrpTags} disagreements=${disagreements}`);
