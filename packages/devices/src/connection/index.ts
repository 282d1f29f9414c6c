/**
 * Device connections as Effect resources and streams: TCP with backpressure and reconnection,
 * an LLRP reader client, a Modbus TCP client, and the MQTT port with the VDA 5050 and
 * Sparkplug B streams built on it. Unlike the codecs of `@jxc/devices`, everything here does
 * I/O: connections are scoped Effects, ports are Effect services provided as Layers.
 *
 * @module
 */
export * from "./tcp.js";
export * from "./llrp-client.js";
export * from "./modbus-client.js";
export * from "./mqtt.js";
