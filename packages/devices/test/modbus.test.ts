import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@jxc/core";
import {
  crc16Modbus,
  decodeModbusRequestPdu,
  decodeModbusResponsePdu,
  decodeModbusRtuFrame,
  decodeModbusRtuRequest,
  decodeModbusRtuResponse,
  decodeModbusTcpFrame,
  decodeModbusTcpRequest,
  decodeModbusTcpResponse,
  encodeModbusRequestPdu,
  encodeModbusResponsePdu,
  encodeModbusRtuFrame,
  encodeModbusRtuRequest,
  encodeModbusRtuResponse,
  encodeModbusTcpRequest,
  encodeModbusTcpResponse,
  modbusTcpFrameSize,
  type ModbusExceptionCode,
  type ModbusRequest,
  type ModbusResponse,
} from "../src/modbus.js";
import {
  decodeRegisterWords,
  encodeRegisterWords,
  float32ToDecimal,
  parseRegisterMap,
  planRegisterReads,
  readRegisterMap,
  registerBlockOf,
  type RegisterValueType,
  type RegisterWordOrder,
} from "../src/modbus-registers.js";
import { ok, err } from "../../../scripts/test-support.js";

const runs = { numRuns: Math.max(1000, Number(process.env.JXC_PROP_RUNS ?? 0)) };

const hex = (text: string): Uint8Array => Uint8Array.from(text.trim().split(/\s+/).map((b) => Number.parseInt(b, 16)));
const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");

/** Bit-by-bit CRC-16/MODBUS, independent of the table-driven one under test. */
const crcReference = (bytes: ArrayLike<number>): number => {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i] ?? 0;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
};

describe("CRC-16/MODBUS", () => {
  it("has the standard check value 0x4B37 over ASCII 123456789", () => {
    expect(crc16Modbus(new TextEncoder().encode("123456789"))).toBe(0x4b37);
    expect(crc16Modbus([])).toBe(0xffff);
  });

  it("agrees with a bit-by-bit reference", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc16Modbus(bytes)).toBe(crcReference(bytes));
      }),
      runs,
    );
  });
});

describe("PDUs from the MODBUS Application Protocol V1.1b3 examples", () => {
  it("0x03 read holding registers 108–110", () => {
    const request: ModbusRequest = { kind: "read-holding-registers", address: 0x6b, quantity: 3 };
    expect(toHex(ok(encodeModbusRequestPdu(request)))).toBe("03 00 6B 00 03");
    expect(ok(decodeModbusRequestPdu(hex("03 00 6B 00 03")))).toEqual(request);
    expect(ok(decodeModbusResponsePdu(hex("03 06 02 2B 00 00 00 64"), request))).toEqual({ kind: "read-holding-registers", registers: [555, 0, 100] });
  });

  it("0x04 read input register 9", () => {
    const request: ModbusRequest = { kind: "read-input-registers", address: 8, quantity: 1 };
    expect(toHex(ok(encodeModbusRequestPdu(request)))).toBe("04 00 08 00 01");
    expect(ok(decodeModbusResponsePdu(hex("04 02 00 0A"), request))).toEqual({ kind: "read-input-registers", registers: [10] });
  });

  it("0x06 write single register 2 = 3", () => {
    const request: ModbusRequest = { kind: "write-single-register", address: 1, value: 3 };
    expect(toHex(ok(encodeModbusRequestPdu(request)))).toBe("06 00 01 00 03");
    expect(ok(decodeModbusResponsePdu(hex("06 00 01 00 03"), request))).toEqual({ kind: "write-single-register", address: 1, value: 3 });
  });

  it("0x10 write registers 2–3 = 0x000A, 0x0102", () => {
    const request: ModbusRequest = { kind: "write-multiple-registers", address: 1, values: [0x000a, 0x0102] };
    expect(toHex(ok(encodeModbusRequestPdu(request)))).toBe("10 00 01 00 02 04 00 0A 01 02");
    expect(ok(decodeModbusRequestPdu(hex("10 00 01 00 02 04 00 0A 01 02")))).toEqual(request);
    expect(ok(decodeModbusResponsePdu(hex("10 00 01 00 02"), request))).toEqual({ kind: "write-multiple-registers", address: 1, quantity: 2 });
  });
});

describe("Modbus RTU frames", () => {
  it("reads holding registers from slave 0x11: 11 03 00 6B 00 03 76 87 (CRC low byte first)", () => {
    const request: ModbusRequest = { kind: "read-holding-registers", address: 0x6b, quantity: 3 };
    expect(toHex(ok(encodeModbusRtuRequest(0x11, request)))).toBe("11 03 00 6B 00 03 76 87");
    expect(ok(decodeModbusRtuRequest(hex("11 03 00 6B 00 03 76 87")))).toEqual({ address: 0x11, request });
    const response = ok(decodeModbusRtuResponse(hex("11 03 06 AE 41 56 52 43 40 49 AD"), { address: 0x11, request }));
    expect(response).toEqual({ address: 0x11, response: { kind: "read-holding-registers", registers: [0xae41, 0x5652, 0x4340] } });
  });

  it("the same request to slave 0x01 carries CRC 74 17 (76 87 belongs to slave 0x11)", () => {
    expect(toHex(ok(encodeModbusRtuRequest(1, { kind: "read-holding-registers", address: 0x6b, quantity: 3 })))).toBe("01 03 00 6B 00 03 74 17");
    expect(err(decodeModbusRtuFrame(hex("01 03 00 6B 00 03 76 87")))._tag).toBe("ModbusCrcMismatch");
  });

  it("reads input registers, writes one and several registers", () => {
    expect(toHex(ok(encodeModbusRtuRequest(0x11, { kind: "read-input-registers", address: 8, quantity: 1 })))).toBe("11 04 00 08 00 01 B2 98");
    expect(ok(decodeModbusRtuResponse(hex("11 04 02 00 0A F8 F4"))).response).toEqual({ kind: "read-input-registers", registers: [10] });
    const single: ModbusRequest = { kind: "write-single-register", address: 1, value: 3 };
    expect(toHex(ok(encodeModbusRtuRequest(0x11, single)))).toBe("11 06 00 01 00 03 9A 9B");
    expect(ok(decodeModbusRtuResponse(hex("11 06 00 01 00 03 9A 9B"), { address: 0x11, request: single })).response).toEqual({ kind: "write-single-register", address: 1, value: 3 });
    const multiple: ModbusRequest = { kind: "write-multiple-registers", address: 1, values: [0x000a, 0x0102] };
    expect(toHex(ok(encodeModbusRtuRequest(0x11, multiple)))).toBe("11 10 00 01 00 02 04 00 0A 01 02 C6 F0");
    expect(ok(decodeModbusRtuResponse(hex("11 10 00 01 00 02 12 98"), { address: 0x11, request: multiple })).response).toEqual({
      kind: "write-multiple-registers",
      address: 1,
      quantity: 2,
    });
  });

  it("refuses a CRC mismatch, a short frame, a reply from another slave, a broadcast read", () => {
    const crc = err(decodeModbusRtuFrame(hex("11 03 00 6B 00 03 76 88")));
    expect(crc).toMatchObject({ _tag: "ModbusCrcMismatch", expected: 0x8776, actual: 0x8876 });
    expect(err(decodeModbusRtuFrame(hex("11 03 76")))._tag).toBe("ModbusTruncated");
    const request: ModbusRequest = { kind: "read-input-registers", address: 8, quantity: 1 };
    expect(err(decodeModbusRtuResponse(hex("11 04 02 00 0A F8 F4"), { address: 0x12, request }))).toMatchObject({ _tag: "ModbusEchoMismatch", field: "slave address" });
    expect(err(encodeModbusRtuRequest(0, request))._tag).toBe("ModbusOutOfRange");
    expect(err(encodeModbusRtuFrame(248, hex("03 00 00 00 01")))._tag).toBe("ModbusOutOfRange");
  });
});

describe("Modbus TCP frames", () => {
  const request: ModbusRequest = { kind: "read-holding-registers", address: 0x6b, quantity: 3 };

  it("wraps the PDU in an MBAP header: transaction id, protocol 0, length = 1 + PDU, unit id", () => {
    expect(toHex(ok(encodeModbusTcpRequest({ transactionId: 1, unitId: 0x11 }, request)))).toBe("00 01 00 00 00 06 11 03 00 6B 00 03");
    expect(ok(decodeModbusTcpRequest(hex("00 01 00 00 00 06 11 03 00 6B 00 03")))).toEqual({ transactionId: 1, unitId: 0x11, request });
    const frame = hex("00 01 00 00 00 09 11 03 06 02 2B 00 00 00 64");
    expect(ok(decodeModbusTcpResponse(frame, { unitId: 0x11, request }))).toEqual({
      transactionId: 1,
      unitId: 0x11,
      response: { kind: "read-holding-registers", registers: [555, 0, 100] },
    });
    expect(modbusTcpFrameSize(frame)).toBe(15);
    expect(modbusTcpFrameSize(frame.subarray(0, 5))).toBeUndefined();
    expect(toHex(ok(encodeModbusTcpResponse({ transactionId: 0x1234, unitId: 0xff }, { kind: "write-multiple-registers", address: 1, quantity: 2 })))).toBe(
      "12 34 00 00 00 06 FF 10 00 01 00 02",
    );
  });

  it("refuses a bad protocol id, a length that disagrees with the bytes, a truncated header", () => {
    expect(err(decodeModbusTcpFrame(hex("00 01 00 01 00 06 11 03 00 6B 00 03")))._tag).toBe("ModbusBadProtocolId");
    expect(err(decodeModbusTcpFrame(hex("00 01 00 00 00 07 11 03 00 6B 00 03")))._tag).toBe("ModbusTruncated");
    expect(err(decodeModbusTcpFrame(hex("00 01 00 00 00 05 11 03 00 6B 00 03")))._tag).toBe("ModbusBadLength");
    expect(err(decodeModbusTcpFrame(hex("00 01 00 00 00 01 11")))._tag).toBe("ModbusBadLength");
    expect(err(decodeModbusTcpFrame(hex("00 01 00 00 00")))._tag).toBe("ModbusTruncated");
    expect(err(decodeModbusTcpResponse(hex("00 01 00 00 00 09 12 03 06 02 2B 00 00 00 64"), { unitId: 0x11, request }))).toMatchObject({ _tag: "ModbusEchoMismatch", field: "unit" });
  });
});

describe("exception responses", () => {
  const cases: ReadonlyArray<[ModbusExceptionCode, string]> = [
    [1, "ILLEGAL FUNCTION"],
    [2, "ILLEGAL DATA ADDRESS"],
    [3, "ILLEGAL DATA VALUE"],
    [4, "SERVER DEVICE FAILURE"],
    [5, "ACKNOWLEDGE"],
    [6, "SERVER DEVICE BUSY"],
    [8, "MEMORY PARITY ERROR"],
    [0x0a, "GATEWAY PATH UNAVAILABLE"],
    [0x0b, "GATEWAY TARGET DEVICE FAILED TO RESPOND"],
  ];

  it.each(cases)("code %i is a ModbusException named %s", (code, name) => {
    const pdu = ok(encodeModbusResponsePdu({ kind: "exception", functionCode: 3, code }));
    expect([...pdu]).toEqual([0x83, code]);
    const failure = err(decodeModbusResponsePdu(pdu, { kind: "read-holding-registers", address: 0, quantity: 1 }));
    expect(failure).toMatchObject({ _tag: "ModbusException", functionCode: 3, code, codeName: name });
  });

  it("decodes an exception over RTU (11 83 02 C1 34) and over TCP", () => {
    const request: ModbusRequest = { kind: "read-holding-registers", address: 0x6b, quantity: 3 };
    expect(toHex(ok(encodeModbusRtuResponse(0x11, { kind: "exception", functionCode: 3, code: 2 })))).toBe("11 83 02 C1 34");
    expect(err(decodeModbusRtuResponse(hex("11 83 02 C1 34"), { address: 0x11, request }))).toMatchObject({ _tag: "ModbusException", codeName: "ILLEGAL DATA ADDRESS" });
    expect(err(decodeModbusTcpResponse(hex("00 07 00 00 00 03 01 90 04")))).toMatchObject({ _tag: "ModbusException", functionCode: 0x10, code: 4 });
  });

  it("keeps an undefined code, refuses an exception to another function and a long exception PDU", () => {
    expect(err(decodeModbusResponsePdu(hex("83 07")))).toMatchObject({ _tag: "ModbusException", code: 7, codeName: "UNDEFINED" });
    expect(err(decodeModbusResponsePdu(hex("84 02"), { kind: "read-holding-registers", address: 0, quantity: 1 }))._tag).toBe("ModbusUnexpectedFunction");
    expect(err(decodeModbusResponsePdu(hex("83 02 00")))._tag).toBe("ModbusBadLength");
    expect(err(encodeModbusResponsePdu({ kind: "exception", functionCode: 3, code: 7 as ModbusExceptionCode }))._tag).toBe("ModbusOutOfRange");
  });
});

describe("validation of quantities and byte counts", () => {
  it("reads take 1–125 registers, writes 1–123", () => {
    expect(Result.isSuccess(encodeModbusRequestPdu({ kind: "read-holding-registers", address: 0, quantity: 125 }))).toBe(true);
    expect(err(encodeModbusRequestPdu({ kind: "read-holding-registers", address: 0, quantity: 126 }))).toMatchObject({ _tag: "ModbusBadQuantity", max: 125 });
    expect(err(encodeModbusRequestPdu({ kind: "read-input-registers", address: 0, quantity: 0 }))._tag).toBe("ModbusBadQuantity");
    expect(Result.isSuccess(encodeModbusRequestPdu({ kind: "write-multiple-registers", address: 0, values: Array<number>(123).fill(1) }))).toBe(true);
    expect(err(encodeModbusRequestPdu({ kind: "write-multiple-registers", address: 0, values: Array<number>(124).fill(1) }))).toMatchObject({ _tag: "ModbusBadQuantity", max: 123 });
    expect(err(encodeModbusRequestPdu({ kind: "write-multiple-registers", address: 0, values: [] }))._tag).toBe("ModbusBadQuantity");
    expect(err(decodeModbusRequestPdu(hex("03 00 00 00 7E")))._tag).toBe("ModbusBadQuantity");
    expect(err(decodeModbusRequestPdu(hex("10 00 00 00 7C F8")))._tag).toBe("ModbusBadQuantity");
  });

  it("addresses, values and address + quantity stay in the 16-bit register space", () => {
    expect(err(encodeModbusRequestPdu({ kind: "read-holding-registers", address: 0xfffe, quantity: 3 }))).toMatchObject({ _tag: "ModbusOutOfRange", field: "address + quantity" });
    expect(err(encodeModbusRequestPdu({ kind: "write-single-register", address: 0, value: 0x10000 }))).toMatchObject({ _tag: "ModbusOutOfRange", field: "value" });
    expect(err(encodeModbusRequestPdu({ kind: "write-multiple-registers", address: 0, values: [1, -1] }))).toMatchObject({ _tag: "ModbusOutOfRange", field: "values.1" });
  });

  it("byte counts must match the quantity and the bytes present", () => {
    const request: ModbusRequest = { kind: "read-holding-registers", address: 0x6b, quantity: 3 };
    expect(err(decodeModbusResponsePdu(hex("03 04 02 2B 00 00"), request))).toMatchObject({ _tag: "ModbusBadLength", field: "byte count" });
    expect(err(decodeModbusResponsePdu(hex("03 06 02 2B 00 00"), request))._tag).toBe("ModbusTruncated");
    expect(err(decodeModbusResponsePdu(hex("03 06 02 2B 00 00 00 64 00"), request))._tag).toBe("ModbusBadLength");
    expect(err(decodeModbusResponsePdu(hex("03 03 02 2B 00")))._tag).toBe("ModbusBadLength");
    expect(err(decodeModbusRequestPdu(hex("10 00 01 00 02 03 00 0A 01")))).toMatchObject({ _tag: "ModbusBadLength", field: "byte count" });
    expect(err(decodeModbusRequestPdu(hex("10 00 01 00 02 04 00 0A 01")))._tag).toBe("ModbusTruncated");
  });

  it("refuses unsupported or unexpected functions and write echoes that differ", () => {
    expect(err(decodeModbusRequestPdu(hex("01 00 00 00 08")))._tag).toBe("ModbusUnexpectedFunction");
    expect(err(decodeModbusResponsePdu(hex("04 02 00 0A"), { kind: "read-holding-registers", address: 8, quantity: 1 }))._tag).toBe("ModbusUnexpectedFunction");
    expect(err(decodeModbusResponsePdu(hex("06 00 01 00 04"), { kind: "write-single-register", address: 1, value: 3 }))).toMatchObject({ _tag: "ModbusEchoMismatch", field: "value" });
    expect(err(decodeModbusResponsePdu(hex("10 00 01 00 03"), { kind: "write-multiple-registers", address: 1, values: [1, 2] }))).toMatchObject({ _tag: "ModbusEchoMismatch", field: "quantity" });
    expect(err(decodeModbusResponsePdu(new Uint8Array()))._tag).toBe("ModbusTruncated");
  });
});

// -----------------------------------------------------------------------------------------------
// Properties
// -----------------------------------------------------------------------------------------------

const word = fc.integer({ min: 0, max: 0xffff });
const requestArb: fc.Arbitrary<ModbusRequest> = fc.oneof(
  fc
    .record({ kind: fc.constantFrom("read-holding-registers" as const, "read-input-registers" as const), quantity: fc.integer({ min: 1, max: 125 }), start: fc.nat() })
    .map(({ kind, quantity, start }) => ({ kind, quantity, address: start % (0x10000 - quantity + 1) })),
  fc.record({ kind: fc.constant("write-single-register" as const), address: word, value: word }),
  fc
    .record({ values: fc.array(word, { minLength: 1, maxLength: 123 }), start: fc.nat() })
    .map(({ values, start }) => ({ kind: "write-multiple-registers" as const, values, address: start % (0x10000 - values.length + 1) })),
);

/** A response that answers `request` (reads get random registers of the right count). */
const answerArb = (request: ModbusRequest): fc.Arbitrary<ModbusResponse> => {
  switch (request.kind) {
    case "read-holding-registers":
    case "read-input-registers":
      return fc.array(word, { minLength: request.quantity, maxLength: request.quantity }).map((registers) => ({ kind: request.kind, registers }));
    case "write-single-register":
      return fc.constant({ kind: request.kind, address: request.address, value: request.value });
    case "write-multiple-registers":
      return fc.constant({ kind: request.kind, address: request.address, quantity: request.values.length });
  }
};

describe("Modbus properties (fast-check, 1,000 runs each)", () => {
  it("request and response encode → decode round trip over TCP and RTU", () => {
    fc.assert(
      fc.property(
        requestArb.chain((request) => fc.tuple(fc.constant(request), answerArb(request))),
        word,
        fc.integer({ min: 1, max: 247 }),
        ([request, response], transactionId, unit) => {
          const tcp = ok(encodeModbusTcpRequest({ transactionId, unitId: unit }, request));
          expect(ok(decodeModbusTcpRequest(tcp))).toEqual({ transactionId, unitId: unit, request });
          const tcpReply = ok(encodeModbusTcpResponse({ transactionId, unitId: unit }, response));
          expect(ok(decodeModbusTcpResponse(tcpReply, { unitId: unit, request }))).toEqual({ transactionId, unitId: unit, response });
          const rtu = ok(encodeModbusRtuRequest(unit, request));
          expect(ok(decodeModbusRtuRequest(rtu))).toEqual({ address: unit, request });
          const rtuReply = ok(encodeModbusRtuResponse(unit, response));
          expect(ok(decodeModbusRtuResponse(rtuReply, { address: unit, request }))).toEqual({ address: unit, response });
        },
      ),
      runs,
    );
  });

  it("the CRC catches any change of a single byte of an RTU frame", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 247 }),
        fc.uint8Array({ minLength: 1, maxLength: 253 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (address, pdu, at, flip) => {
          const frame = ok(encodeModbusRtuFrame(address, pdu));
          expect(ok(decodeModbusRtuFrame(frame))).toEqual({ address, pdu });
          const changed = frame.slice();
          const i = at % changed.length;
          changed[i] = (changed[i] ?? 0) ^ flip;
          expect(err(decodeModbusRtuFrame(changed))._tag).toBe("ModbusCrcMismatch");
        },
      ),
      runs,
    );
  });
});

// -----------------------------------------------------------------------------------------------
// Register decoding
// -----------------------------------------------------------------------------------------------

const ORDERS: ReadonlyArray<RegisterWordOrder> = ["ABCD", "CDAB", "BADC", "DCBA"];

describe("register values in every word order", () => {
  const float: Record<RegisterWordOrder, number[]> = {
    ABCD: [0x42f6, 0xe979],
    CDAB: [0xe979, 0x42f6],
    BADC: [0xf642, 0x79e9],
    DCBA: [0x79e9, 0xf642],
  };
  it.each(ORDERS)("float32 123.456 (0x42F6E979) in %s", (order) => {
    expect(ok(encodeRegisterWords("float32", order, 123.456))).toEqual(float[order]);
    expect(ok(decodeRegisterWords("float32", order, float[order]))?.toString()).toBe("123.456");
  });

  const int32: Record<RegisterWordOrder, number[]> = {
    ABCD: [0xf8a4, 0x32eb],
    CDAB: [0x32eb, 0xf8a4],
    BADC: [0xa4f8, 0xeb32],
    DCBA: [0xeb32, 0xa4f8],
  };
  it.each(ORDERS)("int32 −123456789 (0xF8A432EB) and uint32 4171510507 in %s", (order) => {
    expect(ok(encodeRegisterWords("int32", order, -123456789))).toEqual(int32[order]);
    expect(ok(decodeRegisterWords("int32", order, int32[order]))?.toString()).toBe("-123456789");
    expect(ok(decodeRegisterWords("uint32", order, int32[order]))?.toString()).toBe("4171510507");
  });

  it("16-bit values: ABCD/CDAB high byte first, BADC/DCBA swapped", () => {
    expect(ok(decodeRegisterWords("int16", "ABCD", [0xff38]))?.toString()).toBe("-200");
    expect(ok(decodeRegisterWords("int16", "CDAB", [0xff38]))?.toString()).toBe("-200");
    expect(ok(decodeRegisterWords("int16", "DCBA", [0x38ff]))?.toString()).toBe("-200");
    expect(ok(decodeRegisterWords("uint16", "BADC", [0x38ff]))?.toString()).toBe("65336");
    expect(ok(encodeRegisterWords("int16", "BADC", -200))).toEqual([0x38ff]);
  });

  it("float32 becomes its shortest round-tripping decimal; NaN and infinity have none", () => {
    expect(float32ToDecimal(Math.fround(0.1))?.toString()).toBe("0.1");
    expect(float32ToDecimal(Math.fround(12.1))?.toString()).toBe("12.1");
    expect(float32ToDecimal(Math.fround(-3.4028234663852886e38))?.toString()).toBe("-3.4028235e+38");
    expect(float32ToDecimal(Math.fround(1e-45))?.toString()).toBe("1e-45");
    expect(float32ToDecimal(16777216)?.toString()).toBe("16777216");
    expect(float32ToDecimal(-0)?.toString()).toBe("0");
    expect(ok(decodeRegisterWords("float32", "ABCD", [0x7fc0, 0x0000]))).toBeUndefined();
    expect(ok(decodeRegisterWords("float32", "ABCD", [0x7f80, 0x0000]))).toBeUndefined();
  });

  it("refuses values that do not fit and the wrong number of registers", () => {
    expect(err(encodeRegisterWords("int16", "ABCD", 40000))._tag).toBe("RegisterValueOutOfRange");
    expect(err(encodeRegisterWords("uint32", "ABCD", -1))._tag).toBe("RegisterValueOutOfRange");
    expect(err(decodeRegisterWords("int32", "ABCD", [1]))._tag).toBe("RegisterValueOutOfRange");
    expect(err(decodeRegisterWords("uint16", "ABCD", [0x10000]))._tag).toBe("RegisterValueOutOfRange");
  });
});

describe("register maps", () => {
  const map = ok(
    parseRegisterMap({
      points: [
        { name: "temperature", table: "input", address: 0, type: "int16", scale: "0.1", unit: "°C" },
        { name: "humidity", table: "input", address: 1, type: "uint16", scale: "0.1", unit: "%RH" },
        { name: "energy", table: "holding", address: 10, type: "uint32", order: "CDAB", scale: "0.01", unit: "kWh" },
        { name: "weight", table: "holding", address: 12, type: "float32", order: "DCBA", unit: "kg" },
        { name: "offsetTemp", table: "holding", address: 20, type: "int16", scale: "0.5", offset: "-40", unit: "°C" },
      ],
    }),
  );

  it("decodes scaled integers exactly and floats as their shortest decimal", () => {
    const reading = readRegisterMap(map, [
      { table: "input", address: 0, registers: [0x00e7, 0x0258] },
      { table: "holding", address: 10, registers: [0xe240, 0x0001, 0x79e9, 0xf642] },
      { table: "holding", address: 20, registers: [0x0051] },
    ]);
    expect(reading.failures).toEqual([]);
    expect(reading.values.map((v) => [v.name, v.value.toString(), v.unit])).toEqual([
      ["temperature", "23.1", "°C"],
      ["humidity", "60", "%RH"],
      ["energy", "1234.56", "kWh"],
      ["weight", "123.456", "kg"],
      ["offsetTemp", "0.5", "°C"],
    ]);
    expect(reading.values[0]?.value.eq(new Dec("23.1"))).toBe(true);
  });

  it("int16 × 0.1 is exact for a negative temperature", () => {
    const r = readRegisterMap(map, [{ table: "input", address: 0, registers: [0xff38, 0] }]);
    expect(r.values[0]?.value.toString()).toBe("-20");
    expect(r.failures.map((f) => f._tag)).toEqual(["RegisterNotRead", "RegisterNotRead", "RegisterNotRead"]);
  });

  it("reports a point not read and a float that is NaN without hiding the others", () => {
    const r = readRegisterMap(map, [
      { table: "holding", address: 11, registers: [0x0001, 0x0000, 0xc07f] },
      { table: "input", address: 0, registers: [1, 2] },
    ]);
    expect(r.values.map((v) => v.name)).toEqual(["temperature", "humidity"]);
    expect(r.failures.map((f) => f._tag)).toEqual(["RegisterNotRead", "RegisterValueNotFinite", "RegisterNotRead"]);
  });

  it("plans reads that cover the map and builds blocks from responses", () => {
    expect(planRegisterReads(map)).toEqual([
      { kind: "read-holding-registers", address: 10, quantity: 4 },
      { kind: "read-holding-registers", address: 20, quantity: 1 },
      { kind: "read-input-registers", address: 0, quantity: 2 },
    ]);
    expect(planRegisterReads(map, 6)).toEqual([
      { kind: "read-holding-registers", address: 10, quantity: 11 },
      { kind: "read-input-registers", address: 0, quantity: 2 },
    ]);
    const block = registerBlockOf({ kind: "read-input-registers", address: 0, quantity: 2 }, { kind: "read-input-registers", registers: [0x00e7, 0x0258] });
    expect(readRegisterMap(map, [block]).values.map((v) => v.value.toString())).toEqual(["23.1", "60"]);
  });

  it("refuses duplicate names, bad scales, points past register 65535", () => {
    const bad = err(
      parseRegisterMap({
        points: [
          { name: "t", address: 0, type: "int16", scale: "x" },
          { name: "t", address: 0xffff, type: "float32" },
        ],
      }),
    );
    expect(bad._tag).toBe("InvalidInput");
    expect(bad.issues.map((i) => i.path).sort()).toEqual(["points.0.scale", "points.1.address"]);
    const duplicate = err(parseRegisterMap({ points: [{ name: "t", address: 0, type: "int16" }, { name: "t", address: 1, type: "int16" }] }));
    expect(duplicate.issues.map((i) => i.path)).toEqual(["points.1.name"]);
  });
});

describe("register properties (fast-check, 1,000 runs each)", () => {
  const ranges: Record<Exclude<RegisterValueType, "float32">, [number, number]> = {
    int16: [-0x8000, 0x7fff],
    uint16: [0, 0xffff],
    int32: [-0x80000000, 0x7fffffff],
    uint32: [0, 0xffffffff],
  };

  it("integers round-trip through every word order exactly", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(ranges) as Array<keyof typeof ranges>)).chain((type) => fc.tuple(fc.constant(type), fc.integer({ min: ranges[type][0], max: ranges[type][1] }))),
        fc.constantFrom(...ORDERS),
        ([type, value], order) => {
          const words = ok(encodeRegisterWords(type, order, value));
          expect(ok(decodeRegisterWords(type, order, words))?.toString()).toBe(String(value));
        },
      ),
      runs,
    );
  });

  it("float32 decodes to the shortest decimal that reads back as the same float32", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...ORDERS), (f, order) => {
        const words = ok(encodeRegisterWords("float32", order, f));
        const d = ok(decodeRegisterWords("float32", order, words));
        expect(d).toBeDefined();
        const text = d?.toString() ?? "";
        expect(Math.fround(Number(text))).toBe(f === 0 ? 0 : f);
        const digits = d?.sd() ?? 0;
        expect(digits).toBeLessThanOrEqual(9);
        if (digits > 1 && f !== 0) expect(Math.fround(Number(f.toPrecision(digits - 1)))).not.toBe(f);
      }),
      runs,
    );
  });
});
