/**
 * `@jxc/devices` — warehouse device protocols decoded exactly and turned into `@jxc/core`
 * commands or typed errors: GS1 barcodes and Digital Link, EPC tag data, LLRP reader reports
 * and RFID read streams, VDA 5050 for AGVs, Modbus and Sparkplug B sensors, cold-chain
 * excursions and smart shelves. Codecs are pure.
 *
 * @packageDocumentation
 */
export * from "./check-digit.js";
export * from "./gs1-ai.js";
export * from "./gs1.js";
export * from "./digital-link.js";
export * from "./gs1-return.js";
export * from "./vda5050.js";
export * from "./vda5050-order.js";
export * from "./vda5050-state.js";
export * from "./modbus.js";
export * from "./modbus-registers.js";
export * from "./sparkplug.js";
export * from "./cold-chain.js";
export * from "./smart-shelf.js";
export * from "./llrp-messages.js";
export * from "./llrp.js";
export * from "./rfid-stream.js";
export * from "./cycle-count.js";
export * from "./epc.js";
