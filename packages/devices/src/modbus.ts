/**
 * Modbus frames for the register functions a warehouse sensor gateway uses: read holding registers
 * (0x03), read input registers (0x04), write single register (0x06) and write multiple registers
 * (0x10), over Modbus TCP (MBAP header) and Modbus RTU (serial line, CRC-16/MODBUS).
 *
 * Sources: MODBUS Application Protocol Specification V1.1b3 (PDU layouts §6.3, §6.4, §6.6, §6.12;
 * exception responses §7), MODBUS Messaging on TCP/IP Implementation Guide V1.0b (MBAP header
 * §3.1.3) and MODBUS over Serial Line V1.02 (RTU framing §2.5.1, CRC §6.2.2).
 *
 * Every codec here is pure. Malformed input is returned as a typed error, never thrown; an
 * exception response from a server is returned as a {@link ModbusException} failure.
 *
 * @module
 */
import { Data, Result } from "effect";

// ---------------------------------------------------------------------------------------------
// Function codes, limits, exception codes
// ---------------------------------------------------------------------------------------------

/** The function codes this module reads and writes (MODBUS Application Protocol V1.1b3 §6). */
export const ModbusFunction = {
  /** 0x03 Read Holding Registers. */
  readHoldingRegisters: 0x03,
  /** 0x04 Read Input Registers. */
  readInputRegisters: 0x04,
  /** 0x06 Write Single Register. */
  writeSingleRegister: 0x06,
  /** 0x10 Write Multiple Registers. */
  writeMultipleRegisters: 0x10,
} as const;

/** One of the supported function codes: 3, 4, 6 or 16. */
export type ModbusFunctionCode = (typeof ModbusFunction)[keyof typeof ModbusFunction];

/** Most registers one read request may ask for: 125 (0x7D), so the response fits a 253-byte PDU. */
export const MODBUS_MAX_READ_QUANTITY = 125;

/** Most registers one Write Multiple Registers request may carry: 123 (0x7B). */
export const MODBUS_MAX_WRITE_QUANTITY = 123;

/** Largest PDU (function code + data): 253 bytes, from the 256-byte serial-line ADU limit. */
export const MODBUS_MAX_PDU_LENGTH = 253;

/** Names of the exception codes of MODBUS Application Protocol V1.1b3 §7, by code. */
export const MODBUS_EXCEPTION_NAMES = {
  1: "ILLEGAL FUNCTION",
  2: "ILLEGAL DATA ADDRESS",
  3: "ILLEGAL DATA VALUE",
  4: "SERVER DEVICE FAILURE",
  5: "ACKNOWLEDGE",
  6: "SERVER DEVICE BUSY",
  8: "MEMORY PARITY ERROR",
  10: "GATEWAY PATH UNAVAILABLE",
  11: "GATEWAY TARGET DEVICE FAILED TO RESPOND",
} as const;

/** An exception code defined by the specification: 1–4, 5, 6, 8, 0x0A or 0x0B. */
export type ModbusExceptionCode = keyof typeof MODBUS_EXCEPTION_NAMES;

/** The specification's name of an exception code, e.g. `ILLEGAL DATA ADDRESS`. */
export type ModbusExceptionName = (typeof MODBUS_EXCEPTION_NAMES)[ModbusExceptionCode];

/** Whether `code` is one of the exception codes the specification defines. */
export const isModbusExceptionCode = (code: number): code is ModbusExceptionCode => Object.hasOwn(MODBUS_EXCEPTION_NAMES, code);

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * An exception response from a server (function code | 0x80, then the exception code): the
 * request was understood as Modbus but refused. Codes outside the specification's list keep
 * their number and are named `UNDEFINED`.
 */
export class ModbusException extends Data.TaggedError("ModbusException")<{
  /** The function code of the refused request (the response's code without bit 0x80). */
  readonly functionCode: number;
  /** The exception code as received. */
  readonly code: number;
  /** The specification's name of the code. */
  readonly codeName: ModbusExceptionName | "UNDEFINED";
  readonly message: string;
}> {}

/** An RTU frame whose CRC-16/MODBUS does not match its content. */
export class ModbusCrcMismatch extends Data.TaggedError("ModbusCrcMismatch")<{
  /** The CRC computed over address and PDU. */
  readonly expected: number;
  /** The CRC carried by the frame (low byte first on the wire). */
  readonly actual: number;
  readonly message: string;
}> {}

/** Fewer bytes than the frame or PDU announces or needs. */
export class ModbusTruncated extends Data.TaggedError("ModbusTruncated")<{
  /** What was being read, e.g. `MBAP header`, `read holding registers response`. */
  readonly what: string;
  /** Bytes needed, and bytes present. */
  readonly needed: number;
  readonly actual: number;
  readonly message: string;
}> {}

/** A length or byte count that contradicts the bytes present or the limits of the specification. */
export class ModbusBadLength extends Data.TaggedError("ModbusBadLength")<{
  /** The field at fault, e.g. `MBAP length`, `byte count`, `PDU length`. */
  readonly field: string;
  /** What the field says, or the length found. */
  readonly actual: number;
  /** What was expected, in words (e.g. `2 × quantity = 6`, `exactly 5`). */
  readonly expected: string;
  readonly message: string;
}> {}

/** A function code that is not supported here, or not the one of the request being answered. */
export class ModbusUnexpectedFunction extends Data.TaggedError("ModbusUnexpectedFunction")<{
  /** The function code received. */
  readonly functionCode: number;
  /** The function codes that would have been accepted. */
  readonly expected: ReadonlyArray<number>;
  readonly message: string;
}> {}

/** An MBAP header whose protocol identifier is not 0 (0 = MODBUS). */
export class ModbusBadProtocolId extends Data.TaggedError("ModbusBadProtocolId")<{
  readonly protocolId: number;
  readonly message: string;
}> {}

/** A register quantity outside 1–125 (reads) or 1–123 (writes). */
export class ModbusBadQuantity extends Data.TaggedError("ModbusBadQuantity")<{
  readonly functionCode: number;
  readonly quantity: number;
  readonly min: number;
  readonly max: number;
  readonly message: string;
}> {}

/** A field that does not fit its width: an address, a register value, a unit id, a transaction id. */
export class ModbusOutOfRange extends Data.TaggedError("ModbusOutOfRange")<{
  /** The field, e.g. `address`, `values.3`, `transactionId`. */
  readonly field: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly message: string;
}> {}

/** A response that does not echo what the request sent (write responses, RTU address, TCP unit). */
export class ModbusEchoMismatch extends Data.TaggedError("ModbusEchoMismatch")<{
  /** The echoed field: `address`, `value`, `quantity`, `unit` (TCP) or `slave address` (RTU). */
  readonly field: string;
  readonly expected: number;
  readonly actual: number;
  readonly message: string;
}> {}

/** Every way encoding a request or response can fail. */
export type ModbusEncodeError = ModbusBadQuantity | ModbusOutOfRange;

/** Every way decoding a frame or PDU can fail (a {@link ModbusException} is separate). */
export type ModbusDecodeError =
  | ModbusCrcMismatch
  | ModbusTruncated
  | ModbusBadLength
  | ModbusUnexpectedFunction
  | ModbusBadProtocolId
  | ModbusBadQuantity
  | ModbusEchoMismatch;

// ---------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------

/** Read `quantity` holding (0x03) or input (0x04) registers starting at the 0-based PDU `address`. */
export interface ModbusReadRequest {
  readonly kind: "read-holding-registers" | "read-input-registers";
  /** 0-based PDU address of the first register (register 40001 is address 0). */
  readonly address: number;
  /** Number of registers, 1–125. */
  readonly quantity: number;
}

/** Write one 16-bit `value` at `address` (0x06). */
export interface ModbusWriteSingleRequest {
  readonly kind: "write-single-register";
  readonly address: number;
  /** Register value, 0–65535 (a signed value is written as its two's complement). */
  readonly value: number;
}

/** Write 1–123 consecutive registers starting at `address` (0x10). */
export interface ModbusWriteMultipleRequest {
  readonly kind: "write-multiple-registers";
  readonly address: number;
  /** Register values, 0–65535 each. */
  readonly values: ReadonlyArray<number>;
}

/** A request of one of the supported functions. */
export type ModbusRequest = ModbusReadRequest | ModbusWriteSingleRequest | ModbusWriteMultipleRequest;

/** The registers a read returned, in address order. */
export interface ModbusReadResponse {
  readonly kind: "read-holding-registers" | "read-input-registers";
  /** Register values, 0–65535 each. */
  readonly registers: ReadonlyArray<number>;
}

/** A Write Single Register response: the echo of the request. */
export interface ModbusWriteSingleResponse {
  readonly kind: "write-single-register";
  readonly address: number;
  readonly value: number;
}

/** A Write Multiple Registers response: the starting address and the quantity written. */
export interface ModbusWriteMultipleResponse {
  readonly kind: "write-multiple-registers";
  readonly address: number;
  readonly quantity: number;
}

/** A normal response of one of the supported functions. */
export type ModbusResponse = ModbusReadResponse | ModbusWriteSingleResponse | ModbusWriteMultipleResponse;

/** An exception response to send (a server or simulator encodes it; a client decodes it as a {@link ModbusException}). */
export interface ModbusExceptionReply {
  readonly kind: "exception";
  /** The function code of the refused request (without bit 0x80). */
  readonly functionCode: number;
  readonly code: ModbusExceptionCode;
}

/** The function code of a request or response kind. */
export const modbusFunctionCodeOf = (kind: ModbusRequest["kind"]): ModbusFunctionCode => {
  switch (kind) {
    case "read-holding-registers":
      return ModbusFunction.readHoldingRegisters;
    case "read-input-registers":
      return ModbusFunction.readInputRegisters;
    case "write-single-register":
      return ModbusFunction.writeSingleRegister;
    case "write-multiple-registers":
      return ModbusFunction.writeMultipleRegisters;
  }
};

const SUPPORTED: ReadonlyArray<number> = [0x03, 0x04, 0x06, 0x10];

const hex = (n: number, width = 2): string => `0x${n.toString(16).toUpperCase().padStart(width, "0")}`;

// ---------------------------------------------------------------------------------------------
// CRC-16/MODBUS
// ---------------------------------------------------------------------------------------------

const CRC_TABLE: ReadonlyArray<number> = (() => {
  const table: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table.push(c);
  }
  return table;
})();

/**
 * CRC-16/MODBUS of `bytes`: polynomial 0x8005 reflected (0xA001), initial value 0xFFFF, no final
 * XOR (MODBUS over Serial Line V1.02 §6.2.2). The check value, over ASCII `123456789`, is 0x4B37.
 * On the wire the low byte goes first.
 */
export const crc16Modbus = (bytes: Uint8Array | ReadonlyArray<number>): number => {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  }
  return crc;
};

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const u16 = (bytes: Uint8Array, at: number): number => (((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0)) >>> 0;

const checkRange = (field: string, value: number, min: number, max: number): ModbusOutOfRange | undefined =>
  Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : new ModbusOutOfRange({ field, value, min, max, message: `${field}: ${value} is not an integer in ${min}–${max}` });

const checkQuantity = (functionCode: number, quantity: number, max: number): ModbusBadQuantity | undefined =>
  Number.isInteger(quantity) && quantity >= 1 && quantity <= max
    ? undefined
    : new ModbusBadQuantity({
        functionCode,
        quantity,
        min: 1,
        max,
        message: `function ${hex(functionCode)}: quantity ${quantity} is not in 1–${max}`,
      });

const exactLength = (what: string, pdu: Uint8Array, length: number): ModbusTruncated | ModbusBadLength | undefined => {
  if (pdu.length < length) {
    return new ModbusTruncated({ what, needed: length, actual: pdu.length, message: `${what}: needs ${length} bytes, got ${pdu.length}` });
  }
  if (pdu.length > length) {
    return new ModbusBadLength({ field: "PDU length", actual: pdu.length, expected: `exactly ${length}`, message: `${what}: ${pdu.length} bytes, expected exactly ${length}` });
  }
  return undefined;
};

const unexpectedFunction = (functionCode: number, expected: ReadonlyArray<number>, context: string): ModbusUnexpectedFunction =>
  new ModbusUnexpectedFunction({
    functionCode,
    expected,
    message: `${context}: function code ${hex(functionCode)}, expected ${expected.map((c) => hex(c)).join(" or ")}`,
  });

const kindOfFunction = (code: number): ModbusRequest["kind"] | undefined =>
  code === 0x03
    ? "read-holding-registers"
    : code === 0x04
      ? "read-input-registers"
      : code === 0x06
        ? "write-single-register"
        : code === 0x10
          ? "write-multiple-registers"
          : undefined;

// ---------------------------------------------------------------------------------------------
// PDU codecs
// ---------------------------------------------------------------------------------------------

/**
 * The PDU (function code + data) of a request. Quantities must be 1–125 for reads and 1–123 for
 * writes; addresses, values and `address + quantity` must fit the 16-bit register space.
 */
export const encodeModbusRequestPdu = (request: ModbusRequest): Result.Result<Uint8Array, ModbusEncodeError> => {
  const fc = modbusFunctionCodeOf(request.kind);
  const address = checkRange("address", request.address, 0, 0xffff);
  if (address) return Result.fail(address);
  switch (request.kind) {
    case "read-holding-registers":
    case "read-input-registers": {
      const q = checkQuantity(fc, request.quantity, MODBUS_MAX_READ_QUANTITY);
      if (q) return Result.fail(q);
      const end = checkRange("address + quantity", request.address + request.quantity, 1, 0x10000);
      if (end) return Result.fail(end);
      return Result.succeed(Uint8Array.of(fc, request.address >> 8, request.address & 0xff, request.quantity >> 8, request.quantity & 0xff));
    }
    case "write-single-register": {
      const v = checkRange("value", request.value, 0, 0xffff);
      if (v) return Result.fail(v);
      return Result.succeed(Uint8Array.of(fc, request.address >> 8, request.address & 0xff, request.value >> 8, request.value & 0xff));
    }
    case "write-multiple-registers": {
      const n = request.values.length;
      const q = checkQuantity(fc, n, MODBUS_MAX_WRITE_QUANTITY);
      if (q) return Result.fail(q);
      const end = checkRange("address + quantity", request.address + n, 1, 0x10000);
      if (end) return Result.fail(end);
      const pdu = new Uint8Array(6 + 2 * n);
      pdu.set([fc, request.address >> 8, request.address & 0xff, n >> 8, n & 0xff, 2 * n]);
      for (let i = 0; i < n; i++) {
        const value = request.values[i] ?? -1;
        const bad = checkRange(`values.${i}`, value, 0, 0xffff);
        if (bad) return Result.fail(bad);
        pdu[6 + 2 * i] = value >> 8;
        pdu[7 + 2 * i] = value & 0xff;
      }
      return Result.succeed(pdu);
    }
  }
};

/**
 * Reads a request PDU (what a server or a sniffer sees): the function code must be one of 3, 4,
 * 6, 16; the PDU length must be exact; quantities and the byte count of 0x10 are checked.
 */
export const decodeModbusRequestPdu = (pdu: Uint8Array): Result.Result<ModbusRequest, ModbusDecodeError> => {
  if (pdu.length < 1) return Result.fail(new ModbusTruncated({ what: "request PDU", needed: 1, actual: 0, message: "request PDU: empty" }));
  const fc = pdu[0] ?? 0;
  const kind = kindOfFunction(fc);
  if (kind === undefined) return Result.fail(unexpectedFunction(fc, SUPPORTED, "request"));
  switch (kind) {
    case "read-holding-registers":
    case "read-input-registers": {
      const bad = exactLength(`${kind} request`, pdu, 5);
      if (bad) return Result.fail(bad);
      const address = u16(pdu, 1);
      const quantity = u16(pdu, 3);
      const q = checkQuantity(fc, quantity, MODBUS_MAX_READ_QUANTITY);
      if (q) return Result.fail(q);
      return Result.succeed({ kind, address, quantity });
    }
    case "write-single-register": {
      const bad = exactLength(`${kind} request`, pdu, 5);
      if (bad) return Result.fail(bad);
      return Result.succeed({ kind, address: u16(pdu, 1), value: u16(pdu, 3) });
    }
    case "write-multiple-registers": {
      if (pdu.length < 6) {
        return Result.fail(new ModbusTruncated({ what: `${kind} request`, needed: 6, actual: pdu.length, message: `${kind} request: needs at least 6 bytes, got ${pdu.length}` }));
      }
      const address = u16(pdu, 1);
      const quantity = u16(pdu, 3);
      const q = checkQuantity(fc, quantity, MODBUS_MAX_WRITE_QUANTITY);
      if (q) return Result.fail(q);
      const byteCount = pdu[5] ?? 0;
      if (byteCount !== 2 * quantity) {
        return Result.fail(new ModbusBadLength({ field: "byte count", actual: byteCount, expected: `2 × quantity = ${2 * quantity}`, message: `${kind} request: byte count ${byteCount}, expected 2 × ${quantity}` }));
      }
      const bad = exactLength(`${kind} request`, pdu, 6 + byteCount);
      if (bad) return Result.fail(bad);
      const values: number[] = [];
      for (let i = 0; i < quantity; i++) values.push(u16(pdu, 6 + 2 * i));
      return Result.succeed({ kind, address, values });
    }
  }
};

/** The PDU of a normal or exception response (what a server or a simulator sends). */
export const encodeModbusResponsePdu = (response: ModbusResponse | ModbusExceptionReply): Result.Result<Uint8Array, ModbusEncodeError> => {
  switch (response.kind) {
    case "exception": {
      const fc = checkRange("functionCode", response.functionCode, 1, 0x7f);
      if (fc) return Result.fail(fc);
      if (!isModbusExceptionCode(response.code)) {
        return Result.fail(new ModbusOutOfRange({ field: "code", value: response.code, min: 1, max: 11, message: `code: ${response.code} is not an exception code of the specification` }));
      }
      return Result.succeed(Uint8Array.of(response.functionCode | 0x80, response.code));
    }
    case "read-holding-registers":
    case "read-input-registers": {
      const fcode = modbusFunctionCodeOf(response.kind);
      const n = response.registers.length;
      const q = checkQuantity(fcode, n, MODBUS_MAX_READ_QUANTITY);
      if (q) return Result.fail(q);
      const pdu = new Uint8Array(2 + 2 * n);
      pdu[0] = fcode;
      pdu[1] = 2 * n;
      for (let i = 0; i < n; i++) {
        const value = response.registers[i] ?? -1;
        const bad = checkRange(`registers.${i}`, value, 0, 0xffff);
        if (bad) return Result.fail(bad);
        pdu[2 + 2 * i] = value >> 8;
        pdu[3 + 2 * i] = value & 0xff;
      }
      return Result.succeed(pdu);
    }
    case "write-single-register": {
      const a = checkRange("address", response.address, 0, 0xffff) ?? checkRange("value", response.value, 0, 0xffff);
      if (a) return Result.fail(a);
      return Result.succeed(Uint8Array.of(0x06, response.address >> 8, response.address & 0xff, response.value >> 8, response.value & 0xff));
    }
    case "write-multiple-registers": {
      const a = checkRange("address", response.address, 0, 0xffff);
      if (a) return Result.fail(a);
      const q = checkQuantity(0x10, response.quantity, MODBUS_MAX_WRITE_QUANTITY);
      if (q) return Result.fail(q);
      return Result.succeed(Uint8Array.of(0x10, response.address >> 8, response.address & 0xff, response.quantity >> 8, response.quantity & 0xff));
    }
  }
};

const echo = (field: string, expected: number, actual: number): ModbusEchoMismatch | undefined =>
  expected === actual ? undefined : new ModbusEchoMismatch({ field, expected, actual, message: `response ${field} ${actual} does not echo the request's ${expected}` });

/**
 * Reads a response PDU. An exception response (function code | 0x80, exception code) fails with
 * a {@link ModbusException}. When `request` is given, the response must answer it: the same
 * function, a byte count of 2 × the quantity asked for, and write responses must echo the address,
 * value or quantity sent.
 */
export const decodeModbusResponsePdu = (pdu: Uint8Array, request?: ModbusRequest): Result.Result<ModbusResponse, ModbusDecodeError | ModbusException> => {
  if (pdu.length < 1) return Result.fail(new ModbusTruncated({ what: "response PDU", needed: 1, actual: 0, message: "response PDU: empty" }));
  const raw = pdu[0] ?? 0;
  const fc = raw & 0x7f;
  const expected = request === undefined ? SUPPORTED : [modbusFunctionCodeOf(request.kind)];
  if (!expected.includes(fc)) return Result.fail(unexpectedFunction(raw, expected, "response"));
  if (raw & 0x80) {
    const bad = exactLength("exception response", pdu, 2);
    if (bad) return Result.fail(bad);
    const code = pdu[1] ?? 0;
    const codeName = isModbusExceptionCode(code) ? MODBUS_EXCEPTION_NAMES[code] : "UNDEFINED";
    return Result.fail(new ModbusException({ functionCode: fc, code, codeName, message: `function ${hex(fc)} refused with exception ${hex(code)} ${codeName}` }));
  }
  const kind = kindOfFunction(fc);
  switch (kind) {
    case "read-holding-registers":
    case "read-input-registers": {
      if (pdu.length < 2) return Result.fail(new ModbusTruncated({ what: `${kind} response`, needed: 2, actual: pdu.length, message: `${kind} response: no byte count` }));
      const byteCount = pdu[1] ?? 0;
      const wanted = request !== undefined && request.kind === kind ? 2 * request.quantity : undefined;
      if (wanted !== undefined ? byteCount !== wanted : byteCount < 2 || byteCount > 2 * MODBUS_MAX_READ_QUANTITY || byteCount % 2 !== 0) {
        const expectedText = wanted !== undefined ? `2 × quantity = ${wanted}` : `an even number in 2–${2 * MODBUS_MAX_READ_QUANTITY}`;
        return Result.fail(new ModbusBadLength({ field: "byte count", actual: byteCount, expected: expectedText, message: `${kind} response: byte count ${byteCount}, expected ${expectedText}` }));
      }
      const bad = exactLength(`${kind} response`, pdu, 2 + byteCount);
      if (bad) return Result.fail(bad);
      const registers: number[] = [];
      for (let i = 0; i < byteCount / 2; i++) registers.push(u16(pdu, 2 + 2 * i));
      return Result.succeed({ kind, registers });
    }
    case "write-single-register": {
      const bad = exactLength(`${kind} response`, pdu, 5);
      if (bad) return Result.fail(bad);
      const address = u16(pdu, 1);
      const value = u16(pdu, 3);
      if (request !== undefined && request.kind === kind) {
        const e = echo("address", request.address, address) ?? echo("value", request.value, value);
        if (e) return Result.fail(e);
      }
      return Result.succeed({ kind, address, value });
    }
    case "write-multiple-registers":
    default: {
      const bad = exactLength("write-multiple-registers response", pdu, 5);
      if (bad) return Result.fail(bad);
      const address = u16(pdu, 1);
      const quantity = u16(pdu, 3);
      const q = checkQuantity(0x10, quantity, MODBUS_MAX_WRITE_QUANTITY);
      if (q) return Result.fail(q);
      if (request !== undefined && request.kind === "write-multiple-registers") {
        const e = echo("address", request.address, address) ?? echo("quantity", request.values.length, quantity);
        if (e) return Result.fail(e);
      }
      return Result.succeed({ kind: "write-multiple-registers", address, quantity });
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Modbus TCP (MBAP)
// ---------------------------------------------------------------------------------------------

/** The MBAP header fields a caller chooses: transaction id (0–65535) and unit id (0–255). */
export interface ModbusTcpHeader {
  /** Pairs a response with its request; the server copies it. */
  readonly transactionId: number;
  /** The serial-line slave behind a gateway; 0xFF (or 0) when addressing the TCP device itself. */
  readonly unitId: number;
}

/** A Modbus TCP ADU taken apart: the MBAP header fields and the PDU. */
export interface ModbusTcpFrame extends ModbusTcpHeader {
  readonly pdu: Uint8Array;
}

/** Length of the MBAP header: transaction id (2), protocol id (2), length (2), unit id (1). */
export const MBAP_HEADER_LENGTH = 7;

/**
 * The Modbus TCP ADU around `pdu`: MBAP header (transaction id, protocol id 0, length = 1 + PDU
 * length, unit id), then the PDU. Everything big-endian.
 */
export const encodeModbusTcpFrame = (header: ModbusTcpHeader, pdu: Uint8Array): Result.Result<Uint8Array, ModbusOutOfRange> => {
  const bad =
    checkRange("transactionId", header.transactionId, 0, 0xffff) ??
    checkRange("unitId", header.unitId, 0, 0xff) ??
    checkRange("PDU length", pdu.length, 1, MODBUS_MAX_PDU_LENGTH);
  if (bad) return Result.fail(bad);
  const length = pdu.length + 1;
  const frame = new Uint8Array(6 + length);
  frame.set([header.transactionId >> 8, header.transactionId & 0xff, 0, 0, length >> 8, length & 0xff, header.unitId]);
  frame.set(pdu, MBAP_HEADER_LENGTH);
  return Result.succeed(frame);
};

/**
 * The total size of the TCP ADU whose header starts `bytes` (6 + the MBAP length field), or
 * `undefined` while fewer than 6 bytes are present. Use it to cut frames out of a TCP stream.
 */
export const modbusTcpFrameSize = (bytes: Uint8Array): number | undefined => (bytes.length < 6 ? undefined : 6 + u16(bytes, 4));

/**
 * Takes one Modbus TCP ADU apart. `bytes` must be exactly one frame: the protocol id must be 0,
 * the length field must cover the unit id and a PDU of 1–253 bytes, and match the bytes present.
 */
export const decodeModbusTcpFrame = (bytes: Uint8Array): Result.Result<ModbusTcpFrame, ModbusTruncated | ModbusBadLength | ModbusBadProtocolId> => {
  if (bytes.length < MBAP_HEADER_LENGTH) {
    return Result.fail(new ModbusTruncated({ what: "MBAP header", needed: MBAP_HEADER_LENGTH, actual: bytes.length, message: `MBAP header: needs 7 bytes, got ${bytes.length}` }));
  }
  const protocolId = u16(bytes, 2);
  if (protocolId !== 0) return Result.fail(new ModbusBadProtocolId({ protocolId, message: `MBAP protocol id ${protocolId}, expected 0 (MODBUS)` }));
  const length = u16(bytes, 4);
  if (length < 2 || length > MODBUS_MAX_PDU_LENGTH + 1) {
    return Result.fail(new ModbusBadLength({ field: "MBAP length", actual: length, expected: `2–${MODBUS_MAX_PDU_LENGTH + 1}`, message: `MBAP length ${length}, expected 2–${MODBUS_MAX_PDU_LENGTH + 1}` }));
  }
  if (bytes.length < 6 + length) {
    return Result.fail(new ModbusTruncated({ what: "Modbus TCP frame", needed: 6 + length, actual: bytes.length, message: `Modbus TCP frame: MBAP length ${length} needs ${6 + length} bytes, got ${bytes.length}` }));
  }
  if (bytes.length > 6 + length) {
    return Result.fail(new ModbusBadLength({ field: "MBAP length", actual: length, expected: `${bytes.length - 6} (the bytes present)`, message: `Modbus TCP frame: ${bytes.length} bytes, but MBAP length ${length} covers ${6 + length}` }));
  }
  return Result.succeed({ transactionId: u16(bytes, 0), unitId: bytes[6] ?? 0, pdu: bytes.slice(MBAP_HEADER_LENGTH) });
};

// ---------------------------------------------------------------------------------------------
// Modbus RTU
// ---------------------------------------------------------------------------------------------

/** A Modbus RTU ADU taken apart: the slave address and the PDU (the CRC checked and dropped). */
export interface ModbusRtuFrame {
  /** Slave address: 0 broadcast, 1–247 a device (248–255 are reserved). */
  readonly address: number;
  readonly pdu: Uint8Array;
}

/** The Modbus RTU ADU: address, PDU, then CRC-16/MODBUS low byte first. At most 256 bytes. */
export const encodeModbusRtuFrame = (address: number, pdu: Uint8Array): Result.Result<Uint8Array, ModbusOutOfRange> => {
  const bad = checkRange("address", address, 0, 247) ?? checkRange("PDU length", pdu.length, 1, MODBUS_MAX_PDU_LENGTH);
  if (bad) return Result.fail(bad);
  const frame = new Uint8Array(pdu.length + 3);
  frame[0] = address;
  frame.set(pdu, 1);
  const crc = crc16Modbus(frame.subarray(0, pdu.length + 1));
  frame[pdu.length + 1] = crc & 0xff;
  frame[pdu.length + 2] = crc >> 8;
  return Result.succeed(frame);
};

/**
 * Takes one Modbus RTU ADU apart (the bytes between two silent intervals of 3.5 characters):
 * 4–256 bytes, and the CRC over address and PDU must match the last two bytes (low byte first).
 */
export const decodeModbusRtuFrame = (bytes: Uint8Array): Result.Result<ModbusRtuFrame, ModbusTruncated | ModbusBadLength | ModbusCrcMismatch> => {
  if (bytes.length < 4) {
    return Result.fail(new ModbusTruncated({ what: "Modbus RTU frame", needed: 4, actual: bytes.length, message: `Modbus RTU frame: needs at least 4 bytes (address, function, CRC), got ${bytes.length}` }));
  }
  if (bytes.length > 256) {
    return Result.fail(new ModbusBadLength({ field: "RTU frame length", actual: bytes.length, expected: "at most 256", message: `Modbus RTU frame: ${bytes.length} bytes, at most 256 allowed` }));
  }
  const body = bytes.subarray(0, bytes.length - 2);
  const expected = crc16Modbus(body);
  const actual = (bytes[bytes.length - 2] ?? 0) | ((bytes[bytes.length - 1] ?? 0) << 8);
  if (expected !== actual) {
    return Result.fail(new ModbusCrcMismatch({ expected, actual, message: `Modbus RTU frame: CRC ${hex(actual, 4)} received, ${hex(expected, 4)} computed` }));
  }
  return Result.succeed({ address: bytes[0] ?? 0, pdu: bytes.slice(1, bytes.length - 2) });
};

// ---------------------------------------------------------------------------------------------
// Whole ADUs: the calls a client or a server makes
// ---------------------------------------------------------------------------------------------

/** A decoded Modbus TCP request with its header. */
export interface ModbusTcpRequest extends ModbusTcpHeader {
  readonly request: ModbusRequest;
}

/** A decoded Modbus TCP response with its header. */
export interface ModbusTcpResponse extends ModbusTcpHeader {
  readonly response: ModbusResponse;
}

/** A decoded Modbus RTU request with the slave address. */
export interface ModbusRtuRequest {
  readonly address: number;
  readonly request: ModbusRequest;
}

/** A decoded Modbus RTU response with the slave address. */
export interface ModbusRtuResponse {
  readonly address: number;
  readonly response: ModbusResponse;
}

/** A client's Modbus TCP request ADU. */
export const encodeModbusTcpRequest = (header: ModbusTcpHeader, request: ModbusRequest): Result.Result<Uint8Array, ModbusEncodeError> =>
  Result.flatMap(encodeModbusRequestPdu(request), (pdu) => encodeModbusTcpFrame(header, pdu));

/** A server's reading of a Modbus TCP request ADU. */
export const decodeModbusTcpRequest = (bytes: Uint8Array): Result.Result<ModbusTcpRequest, ModbusDecodeError> =>
  Result.flatMap(decodeModbusTcpFrame(bytes), (frame) =>
    Result.map(decodeModbusRequestPdu(frame.pdu), (request) => ({ transactionId: frame.transactionId, unitId: frame.unitId, request })),
  );

/** A server's Modbus TCP response ADU (normal or exception). */
export const encodeModbusTcpResponse = (header: ModbusTcpHeader, response: ModbusResponse | ModbusExceptionReply): Result.Result<Uint8Array, ModbusEncodeError> =>
  Result.flatMap(encodeModbusResponsePdu(response), (pdu) => encodeModbusTcpFrame(header, pdu));

/**
 * A client's reading of a Modbus TCP response ADU. With `expect`, the response must answer that
 * request ({@link decodeModbusResponsePdu}) and carry the same unit id; matching the transaction id
 * is left to the caller, which may have several requests in flight.
 */
export const decodeModbusTcpResponse = (
  bytes: Uint8Array,
  expect?: { readonly unitId: number; readonly request: ModbusRequest },
): Result.Result<ModbusTcpResponse, ModbusDecodeError | ModbusException> =>
  Result.flatMap(decodeModbusTcpFrame(bytes), (frame) => {
    if (expect !== undefined) {
      const e = echo("unit", expect.unitId, frame.unitId);
      if (e) return Result.fail(e);
    }
    return Result.map(decodeModbusResponsePdu(frame.pdu, expect?.request), (response) => ({ transactionId: frame.transactionId, unitId: frame.unitId, response }));
  });

/** A client's Modbus RTU request ADU. Reads may not be broadcast (address 0). */
export const encodeModbusRtuRequest = (address: number, request: ModbusRequest): Result.Result<Uint8Array, ModbusEncodeError> => {
  if (address === 0 && (request.kind === "read-holding-registers" || request.kind === "read-input-registers")) {
    return Result.fail(new ModbusOutOfRange({ field: "address", value: 0, min: 1, max: 247, message: "address: a read cannot be broadcast (address 0)" }));
  }
  return Result.flatMap(encodeModbusRequestPdu(request), (pdu) => encodeModbusRtuFrame(address, pdu));
};

/** A server's reading of a Modbus RTU request ADU. */
export const decodeModbusRtuRequest = (bytes: Uint8Array): Result.Result<ModbusRtuRequest, ModbusDecodeError> =>
  Result.flatMap(decodeModbusRtuFrame(bytes), (frame) => Result.map(decodeModbusRequestPdu(frame.pdu), (request) => ({ address: frame.address, request })));

/** A server's Modbus RTU response ADU (normal or exception). */
export const encodeModbusRtuResponse = (address: number, response: ModbusResponse | ModbusExceptionReply): Result.Result<Uint8Array, ModbusEncodeError> =>
  Result.flatMap(encodeModbusResponsePdu(response), (pdu) => encodeModbusRtuFrame(address, pdu));

/**
 * A client's reading of a Modbus RTU response ADU: the CRC is checked first. With `expect`, the
 * response must come from the address asked and answer that request.
 */
export const decodeModbusRtuResponse = (
  bytes: Uint8Array,
  expect?: { readonly address: number; readonly request: ModbusRequest },
): Result.Result<ModbusRtuResponse, ModbusDecodeError | ModbusException> =>
  Result.flatMap(decodeModbusRtuFrame(bytes), (frame) => {
    if (expect !== undefined) {
      const e = echo("slave address", expect.address, frame.address);
      if (e) return Result.fail(e);
    }
    return Result.map(decodeModbusResponsePdu(frame.pdu, expect?.request), (response) => ({ address: frame.address, response }));
  });
