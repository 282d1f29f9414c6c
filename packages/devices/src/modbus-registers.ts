/**
 * Register maps: which Modbus registers hold which sensor value, in which type and word order,
 * and how the raw value is scaled. Decoding produces exact decimals (`Dec`): a scaled integer is
 * exact (int16 × 0.1 stays a decimal with one place), and a float32 becomes the shortest decimal
 * string that reads back as the same float32.
 *
 * Word orders name where the bytes A B C D of the big-endian 32-bit value sit in the two
 * registers as they come off the wire (first register high byte first):
 *
 * | order  | name                 | registers          |
 * | ------ | -------------------- | ------------------ |
 * | `ABCD` | big-endian           | `AB` `CD`          |
 * | `CDAB` | word-swapped         | `CD` `AB`          |
 * | `BADC` | byte-swapped         | `BA` `DC`          |
 * | `DCBA` | little-endian        | `DC` `BA`          |
 *
 * A 16-bit type uses one register: `ABCD` and `CDAB` read it high byte first (as Modbus sends
 * it), `BADC` and `DCBA` with its two bytes swapped.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { Dec, DecimalString, parseInput, type InvalidInput } from "@jxc/core";
import type { ModbusReadRequest, ModbusReadResponse } from "./modbus.js";

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/** The four byte arrangements of a 32-bit value over two registers (see the module comment). */
export const RegisterWordOrder = z.enum(["ABCD", "CDAB", "BADC", "DCBA"]);
/** `ABCD` big-endian, `CDAB` word-swapped, `BADC` byte-swapped, `DCBA` little-endian. */
export type RegisterWordOrder = z.infer<typeof RegisterWordOrder>;

/** The value types a register point may hold. */
export const RegisterValueType = z.enum(["int16", "uint16", "int32", "uint32", "float32"]);
/** `int16`/`uint16` take one register; `int32`/`uint32`/`float32` take two. */
export type RegisterValueType = z.infer<typeof RegisterValueType>;

/** The two register tables the supported functions read: holding (0x03) and input (0x04). */
export const RegisterTable = z.enum(["holding", "input"]);
/** `holding` (read with 0x03) or `input` (read with 0x04). */
export type RegisterTable = z.infer<typeof RegisterTable>;

/** Number of registers a value type takes. */
export const registerWidth = (type: RegisterValueType): 1 | 2 => (type === "int16" || type === "uint16" ? 1 : 2);

/**
 * One named value in a device's register map, e.g. a temperature in input register 0 as int16
 * tenths of a degree: `{ name: "temperature", table: "input", address: 0, type: "int16",
 * scale: "0.1", unit: "°C" }`. The value is `raw × scale + offset`.
 */
export const RegisterPoint = z
  .object({
    /** Name of the value, unique in the map (e.g. `temperature`, `humidity`). */
    name: z.string().min(1),
    /** Register table; holding by default. */
    table: RegisterTable.default("holding"),
    /** 0-based PDU address of the (first) register. */
    address: z.number().int().min(0).max(0xffff),
    type: RegisterValueType,
    /** Byte arrangement; big-endian `ABCD` by default. */
    order: RegisterWordOrder.default("ABCD"),
    /** Multiplier of the raw value, a decimal string such as `"0.1"`; 1 when absent. */
    scale: DecimalString.optional(),
    /** Added after scaling, a decimal string; 0 when absent. */
    offset: DecimalString.optional(),
    /** Unit of the scaled value, e.g. `°C`, `%RH`, `kg`. */
    unit: z.string().optional(),
  })
  .superRefine((point, ctx) => {
    if (point.address + registerWidth(point.type) > 0x10000) {
      ctx.addIssue({ code: "custom", path: ["address"], message: `a ${point.type} at ${point.address} runs past register 65535` });
    }
  });

/** A register point as written in configuration (decimals as strings). */
export type RegisterPointInput = z.input<typeof RegisterPoint>;
/** A validated register point (decimals parsed, defaults filled). */
export type RegisterPoint = z.output<typeof RegisterPoint>;

/** A device's register map: its named points, names unique. */
export const RegisterMap = z
  .object({
    points: z.array(RegisterPoint).min(1),
  })
  .superRefine((map, ctx) => {
    const seen = new Set<string>();
    map.points.forEach((point, i) => {
      if (seen.has(point.name)) ctx.addIssue({ code: "custom", path: ["points", i, "name"], message: `duplicate point name ${point.name}` });
      seen.add(point.name);
    });
  });

/** A register map as written in configuration. */
export type RegisterMapInput = z.input<typeof RegisterMap>;
/** A validated register map. */
export type RegisterMap = z.output<typeof RegisterMap>;

/** Validates a register map configuration; every field at fault is named in the {@link InvalidInput}. */
export const parseRegisterMap = (input: unknown): Result.Result<RegisterMap, InvalidInput> => parseInput(RegisterMap, input, "register map");

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** A point whose registers are not (all) in the blocks read. */
export class RegisterNotRead extends Data.TaggedError("RegisterNotRead")<{
  readonly point: string;
  readonly table: RegisterTable;
  readonly address: number;
  readonly width: number;
  readonly message: string;
}> {}

/** A float32 point holding NaN or ±Infinity, which has no decimal value. */
export class RegisterValueNotFinite extends Data.TaggedError("RegisterValueNotFinite")<{
  readonly point: string;
  /** The registers as read. */
  readonly words: ReadonlyArray<number>;
  readonly message: string;
}> {}

/** Registers that do not fit the type: too few words, or a word outside 0–65535; or a value to encode that does not fit. */
export class RegisterValueOutOfRange extends Data.TaggedError("RegisterValueOutOfRange")<{
  readonly type: RegisterValueType;
  /** The offending value or word, as text. */
  readonly value: string;
  readonly message: string;
}> {}

/** Every way reading a point can fail. */
export type RegisterReadError = RegisterNotRead | RegisterValueNotFinite | RegisterValueOutOfRange;

// ---------------------------------------------------------------------------------------------
// Bytes ↔ words
// ---------------------------------------------------------------------------------------------

/** The positions (in wire order) of value bytes A, B, C, D for each word order. */
const POSITIONS: Record<RegisterWordOrder, readonly [number, number, number, number]> = {
  ABCD: [0, 1, 2, 3],
  CDAB: [2, 3, 0, 1],
  BADC: [1, 0, 3, 2],
  DCBA: [3, 2, 1, 0],
};

const swapsBytes = (order: RegisterWordOrder): boolean => order === "BADC" || order === "DCBA";

/** The big-endian bytes of the value held in `words` (1 or 2 registers) under `order`. */
const valueBytes = (words: ReadonlyArray<number>, order: RegisterWordOrder): Uint8Array => {
  const wire = new Uint8Array(words.length * 2);
  words.forEach((w, i) => {
    wire[2 * i] = w >> 8;
    wire[2 * i + 1] = w & 0xff;
  });
  if (words.length === 1) return swapsBytes(order) ? Uint8Array.of(wire[1] ?? 0, wire[0] ?? 0) : wire;
  const [a, b, c, d] = POSITIONS[order];
  return Uint8Array.of(wire[a] ?? 0, wire[b] ?? 0, wire[c] ?? 0, wire[d] ?? 0);
};

/** The registers that hold big-endian `bytes` (2 or 4) under `order`. */
const wordsOf = (bytes: Uint8Array, order: RegisterWordOrder): number[] => {
  if (bytes.length === 2) {
    const [hi, lo] = swapsBytes(order) ? [bytes[1] ?? 0, bytes[0] ?? 0] : [bytes[0] ?? 0, bytes[1] ?? 0];
    return [(hi << 8) | lo];
  }
  const wire = new Uint8Array(4);
  POSITIONS[order].forEach((position, i) => {
    wire[position] = bytes[i] ?? 0;
  });
  return [((wire[0] ?? 0) << 8) | (wire[1] ?? 0), ((wire[2] ?? 0) << 8) | (wire[3] ?? 0)];
};

// ---------------------------------------------------------------------------------------------
// Float32 as its shortest decimal
// ---------------------------------------------------------------------------------------------

const roundTripsAsFloat32 = (text: string, f: number): boolean => Math.fround(Number(text)) === f;

/**
 * The shortest decimal that reads back (`Math.fround(Number(text))`) as the float32 `f`, as a
 * {@link Dec}; among shortest candidates the one nearest `f`. `123.456` stored as float32
 * (0x42F6E979) gives `123.456`, not `123.45600128173828`. Both zeros give 0. Not finite:
 * `undefined`.
 */
export const float32ToDecimal = (f: number): Dec | undefined => {
  const value = Math.fround(f);
  if (!Number.isFinite(value)) return undefined;
  if (value === 0) return new Dec(0);
  for (let p = 1; p <= 9; p++) {
    const nearest = new Dec(value.toPrecision(p));
    const ulp = new Dec(10).pow(nearest.abs().e - p + 1);
    const candidates = [nearest, nearest.minus(ulp), nearest.plus(ulp)].filter((c) => c.sd() <= p && roundTripsAsFloat32(c.toString(), value));
    let best: Dec | undefined;
    for (const c of candidates) {
      if (best === undefined || Math.abs(c.toNumber() - value) < Math.abs(best.toNumber() - value)) best = c;
    }
    if (best !== undefined) return best;
  }
  // 9 significant digits always round-trip a float32; kept for totality.
  return new Dec(value.toPrecision(9));
};

// ---------------------------------------------------------------------------------------------
// Decoding and encoding values
// ---------------------------------------------------------------------------------------------

const checkWords = (type: RegisterValueType, words: ReadonlyArray<number>): RegisterValueOutOfRange | undefined => {
  const width = registerWidth(type);
  if (words.length !== width) {
    return new RegisterValueOutOfRange({ type, value: `${words.length} registers`, message: `a ${type} takes ${width} register(s), got ${words.length}` });
  }
  const bad = words.find((w) => !Number.isInteger(w) || w < 0 || w > 0xffff);
  return bad === undefined ? undefined : new RegisterValueOutOfRange({ type, value: String(bad), message: `register value ${bad} is not in 0–65535` });
};

/**
 * The raw (unscaled) value held in `words` as `type` under `order`: an exact integer for the
 * integer types, the shortest round-tripping decimal for float32 ({@link float32ToDecimal}).
 * A float32 NaN or infinity is `undefined` inside a success, so callers decide how to report it.
 */
export const decodeRegisterWords = (
  type: RegisterValueType,
  order: RegisterWordOrder,
  words: ReadonlyArray<number>,
): Result.Result<Dec | undefined, RegisterValueOutOfRange> => {
  const bad = checkWords(type, words);
  if (bad) return Result.fail(bad);
  const view = new DataView(valueBytes(words, order).buffer);
  switch (type) {
    case "int16":
      return Result.succeed(new Dec(view.getInt16(0)));
    case "uint16":
      return Result.succeed(new Dec(view.getUint16(0)));
    case "int32":
      return Result.succeed(new Dec(view.getInt32(0)));
    case "uint32":
      return Result.succeed(new Dec(view.getUint32(0)));
    case "float32":
      return Result.succeed(float32ToDecimal(view.getFloat32(0)));
  }
};

const INTEGER_RANGE: Record<Exclude<RegisterValueType, "float32">, readonly [number, number]> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

/**
 * The registers that hold raw `value` as `type` under `order` — what a device or a simulator
 * writes. Integers must fit the type; a float32 is rounded to the nearest float32.
 */
export const encodeRegisterWords = (type: RegisterValueType, order: RegisterWordOrder, value: number): Result.Result<number[], RegisterValueOutOfRange> => {
  const bytes = new Uint8Array(registerWidth(type) * 2);
  const view = new DataView(bytes.buffer);
  if (type === "float32") {
    view.setFloat32(0, value);
  } else {
    const [min, max] = INTEGER_RANGE[type];
    if (!Number.isInteger(value) || value < min || value > max) {
      return Result.fail(new RegisterValueOutOfRange({ type, value: String(value), message: `${value} does not fit ${type} (${min}–${max})` }));
    }
    if (type === "int16") view.setInt16(0, value);
    else if (type === "uint16") view.setUint16(0, value);
    else if (type === "int32") view.setInt32(0, value);
    else view.setUint32(0, value);
  }
  return Result.succeed(wordsOf(bytes, order));
};

// ---------------------------------------------------------------------------------------------
// Reading a map out of register blocks
// ---------------------------------------------------------------------------------------------

/** Registers read in one request: `registers[i]` is the register at `address + i` of `table`. */
export interface RegisterBlock {
  readonly table: RegisterTable;
  readonly address: number;
  readonly registers: ReadonlyArray<number>;
}

/** The block a read request and its response cover. */
export const registerBlockOf = (request: ModbusReadRequest, response: ModbusReadResponse): RegisterBlock => ({
  table: request.kind === "read-input-registers" ? "input" : "holding",
  address: request.address,
  registers: response.registers,
});

/** One decoded point: its name, scaled value, unit, and the registers it came from. */
export interface RegisterReading {
  readonly name: string;
  /** `raw × scale + offset`, exact. */
  readonly value: Dec;
  readonly unit: string | undefined;
  /** The registers as read, in wire order. */
  readonly words: ReadonlyArray<number>;
}

const ONE = new Dec(1);
const ZERO = new Dec(0);

/** The words of a point, from the first block of its table that holds all of them. */
const wordsFor = (point: RegisterPoint, blocks: ReadonlyArray<RegisterBlock>): number[] | undefined => {
  const width = registerWidth(point.type);
  for (const block of blocks) {
    if (block.table !== point.table) continue;
    const from = point.address - block.address;
    if (from >= 0 && from + width <= block.registers.length) return block.registers.slice(from, from + width);
  }
  return undefined;
};

/** Decodes one point from the blocks read. */
export const readRegisterPoint = (point: RegisterPoint, blocks: ReadonlyArray<RegisterBlock>): Result.Result<RegisterReading, RegisterReadError> => {
  const width = registerWidth(point.type);
  const words = wordsFor(point, blocks);
  if (words === undefined) {
    return Result.fail(
      new RegisterNotRead({ point: point.name, table: point.table, address: point.address, width, message: `${point.name}: ${point.table} registers ${point.address}–${point.address + width - 1} were not read` }),
    );
  }
  return Result.flatMap(decodeRegisterWords(point.type, point.order, words), (raw) =>
    raw === undefined
      ? Result.fail(new RegisterValueNotFinite({ point: point.name, words, message: `${point.name}: float32 registers ${words.map((w) => w.toString(16).padStart(4, "0")).join(" ")} hold NaN or infinity` }))
      : Result.succeed({ name: point.name, value: raw.times(point.scale ?? ONE).plus(point.offset ?? ZERO), unit: point.unit, words }),
  );
};

/** Every point of a map decoded: the values read, and what could not be read (one bad point does not hide the others). */
export interface RegisterMapReading {
  readonly values: ReadonlyArray<RegisterReading>;
  readonly failures: ReadonlyArray<RegisterReadError>;
}

/** Decodes every point of `map` from the blocks read, in map order. */
export const readRegisterMap = (map: RegisterMap, blocks: ReadonlyArray<RegisterBlock>): RegisterMapReading => {
  const values: RegisterReading[] = [];
  const failures: RegisterReadError[] = [];
  for (const point of map.points) {
    const r = readRegisterPoint(point, blocks);
    if (Result.isSuccess(r)) values.push(r.success);
    else failures.push(r.failure);
  }
  return { values, failures };
};

/**
 * The read requests that cover every point of `map`: per table, points sorted by address and
 * merged while the merged span stays within 125 registers and the hole between two points is at
 * most `maxGap` registers (read but unused).
 */
export const planRegisterReads = (map: RegisterMap, maxGap = 0): ModbusReadRequest[] => {
  const requests: ModbusReadRequest[] = [];
  for (const table of ["holding", "input"] as const) {
    const spans = map.points
      .filter((p) => p.table === table)
      .map((p) => [p.address, p.address + registerWidth(p.type)] as const)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let current: [number, number] | undefined;
    const flush = () => {
      if (current) {
        requests.push({ kind: table === "holding" ? "read-holding-registers" : "read-input-registers", address: current[0], quantity: current[1] - current[0] });
      }
    };
    for (const [from, to] of spans) {
      if (current && from - current[1] <= maxGap && Math.max(current[1], to) - current[0] <= 125) {
        current = [current[0], Math.max(current[1], to)];
      } else {
        flush();
        current = [from, to];
      }
    }
    flush();
  }
  return requests;
};
