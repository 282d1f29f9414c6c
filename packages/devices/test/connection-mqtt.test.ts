import * as net from "node:net";
import { Deferred, Effect, Fiber, Layer, Result, Scope, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  EmbeddedMqttBroker,
  Mqtt,
  mqttConnect,
  mqttClientPort,
  mqttEmbeddedLayer,
  mqttLayer,
  mqttTopicMatches,
  sparkplugNode,
  vda5050Messages,
  type MqttError,
  type MqttPort,
} from "../src/connection/mqtt.js";
import { encodeSparkplugPayload, type SparkplugPayload } from "../src/sparkplug.js";

// ---------------------------------------------------------------------------------------------
// Brokers: the embedded one always; the real Mosquitto at 127.0.0.1:1883 when it answers.
// ---------------------------------------------------------------------------------------------

/** The real broker: 127.0.0.1:1883 unless `JXC_MQTT_TEST_BROKER=host:port` says otherwise. */
const MOSQUITTO = (() => {
  const [host = "127.0.0.1", port = "1883"] = (process.env.JXC_MQTT_TEST_BROKER ?? "").split(":").filter((s) => s.length > 0);
  return { host, port: Number(port) };
})();

/** A quick TCP connect with a short timeout: is a broker listening? */
const reachable = (host: string, port: number, timeoutMs = 500): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });

const mosquittoReachable = await reachable(MOSQUITTO.host, MOSQUITTO.port);

interface Broker {
  readonly name: string;
  /** Appended to every test name, so a skipped run says what it needed. */
  readonly suffix: string;
  readonly skip: boolean;
  readonly layer: () => Layer.Layer<Mqtt, MqttError>;
}

const brokers: readonly Broker[] = [
  { name: "embedded broker (aedes, in-process)", suffix: "", skip: false, layer: () => mqttEmbeddedLayer() },
  {
    name: `Mosquitto at ${MOSQUITTO.host}:${MOSQUITTO.port}`,
    suffix: ` [needs Mosquitto at ${MOSQUITTO.host}:${MOSQUITTO.port}]`,
    skip: !mosquittoReachable,
    layer: () => mqttLayer({ url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}` }),
  },
];

/** Topics unique to this run, so runs sharing a real broker cannot see each other's messages. */
const runId = `${process.pid}-${Date.now().toString(36)}`;

const runWith = <A, E>(layer: Layer.Layer<Mqtt, MqttError>, effect: Effect.Effect<A, E, Mqtt | Scope.Scope>): Promise<A> =>
  Effect.runPromise(Effect.scoped(effect).pipe(Effect.provide(layer)));

/** The port, but `subscribe` completes `ready` once the broker acknowledged the subscription. */
const announcing = (port: MqttPort, ready: Deferred.Deferred<void>): MqttPort => ({
  ...port,
  subscribe: (filter, options) => Stream.unwrap(Effect.tap(port.subscription(filter, options), () => Deferred.succeed(ready, undefined))),
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const vdaHeader = (serialNumber: string, headerId: number) => ({
  headerId,
  timestamp: "2026-01-01T08:00:00.000Z",
  version: "2.0.0",
  manufacturer: "jxc-test",
  serialNumber,
});

const long = (value: bigint) => ({ kind: "long" as const, value });
const sparkplugBytes = (payload: SparkplugPayload): Uint8Array => {
  const r = encodeSparkplugPayload(payload);
  if (Result.isFailure(r)) throw new Error(r.failure.message);
  return r.success;
};

// ---------------------------------------------------------------------------------------------

describe("mqttTopicMatches", () => {
  it("follows the MQTT wildcard rules", () => {
    expect(mqttTopicMatches("a/+/c", "a/b/c")).toBe(true);
    expect(mqttTopicMatches("a/+/c", "a/b/d")).toBe(false);
    expect(mqttTopicMatches("a/+", "a/b/c")).toBe(false);
    expect(mqttTopicMatches("a/#", "a")).toBe(true);
    expect(mqttTopicMatches("a/#", "a/b/c")).toBe(true);
    expect(mqttTopicMatches("#", "$SYS/broker")).toBe(false);
    expect(mqttTopicMatches("+/broker", "$SYS/broker")).toBe(false);
    expect(mqttTopicMatches("$SYS/#", "$SYS/broker")).toBe(true);
    expect(mqttTopicMatches("a/+", "a/")).toBe(true);
    expect(mqttTopicMatches("$share/g/a/+", "a/b")).toBe(true);
  });
});

for (const broker of brokers) {
  describe(`MQTT over the ${broker.name}`, { timeout: 15_000 }, () => {
    it.skipIf(broker.skip)(`publish/subscribe round trip${broker.suffix}`, () =>
      runWith(
        broker.layer(),
        Effect.gen(function* () {
          const mqtt = yield* Mqtt;
          const base = `jxc-test/${runId}/round-trip`;
          const messages = yield* mqtt.subscription(`${base}/#`);
          yield* mqtt.publish(`${base}/a`, Uint8Array.of(0, 1, 2, 255), { qos: 1 });
          yield* mqtt.publish(`${base}/b/c`, "温度 21.5", { qos: 1 });
          yield* mqtt.publish(`jxc-test/${runId}/elsewhere`, "not for us", { qos: 1 });
          yield* mqtt.publish(`${base}/a`, "", { qos: 0 });
          const got = yield* messages.pipe(Stream.take(3), Stream.runCollect);
          expect(got.map((m) => m.topic)).toEqual([`${base}/a`, `${base}/b/c`, `${base}/a`]);
          expect(got[0]!.payload).toEqual(Uint8Array.of(0, 1, 2, 255));
          expect(text(got[1]!.payload)).toBe("温度 21.5");
          expect(got[2]!.payload).toEqual(new Uint8Array(0));
          expect(got.map((m) => m.retain)).toEqual([false, false, false]);
        }),
      ),
    );

    it.skipIf(broker.skip)(`delivers a retained message to a later subscriber${broker.suffix}`, () =>
      runWith(
        broker.layer(),
        Effect.gen(function* () {
          const mqtt = yield* Mqtt;
          const topic = `jxc-test/${runId}/retained`;
          yield* mqtt.publish(topic, "last known value", { qos: 1, retain: true });
          const [m] = yield* mqtt.subscribe(topic).pipe(Stream.take(1), Stream.runCollect);
          expect(m).toMatchObject({ topic, retain: true });
          expect(text(m!.payload)).toBe("last known value");
          yield* mqtt.publish(topic, "", { qos: 1, retain: true }); // clear it on the broker
        }),
      ),
    );

    it.skipIf(broker.skip)(`parses VDA 5050 messages, rejected ones as elements${broker.suffix}`, () =>
      runWith(
        broker.layer(),
        Effect.gen(function* () {
          const mqtt = yield* Mqtt;
          const serialNumber = `agv-${runId}`;
          const topic = (sub: string) => `uagv/v2/jxc-test/${serialNumber}/${sub}`;
          const ready = yield* Deferred.make<void>();
          const fiber = yield* vda5050Messages(announcing(mqtt, ready), { manufacturer: "jxc-test", serialNumber }).pipe(
            Stream.take(4),
            Stream.runCollect,
            Effect.forkChild,
          );
          yield* Deferred.await(ready);
          yield* mqtt.publish(topic("connection"), JSON.stringify({ ...vdaHeader(serialNumber, 0), connectionState: "ONLINE" }), { qos: 1 });
          yield* mqtt.publish(topic("order"), "{ not json", { qos: 1 });
          yield* mqtt.publish(topic("instantActions"), JSON.stringify({ ...vdaHeader("someone-else", 1), actions: [] }), { qos: 1 });
          yield* mqtt.publish(
            topic("instantActions"),
            JSON.stringify({ ...vdaHeader(serialNumber, 2), actions: [{ actionId: "a1", actionType: "startPause", blockingType: "HARD" }] }),
            { qos: 1 },
          );
          const results = yield* Fiber.join(fiber);
          expect(results.map((r) => (Result.isSuccess(r) ? `ok ${r.success.subtopic}` : `rejected ${r.failure.topic}`))).toEqual([
            "ok connection",
            `rejected ${topic("order")}`,
            `rejected ${topic("instantActions")}`,
            "ok instantActions",
          ]);
          const [connection, badJson, otherAgv, actions] = results;
          expect(Result.isSuccess(connection!) && connection.success.message).toMatchObject({ connectionState: "ONLINE", serialNumber });
          expect(Result.isFailure(badJson!) && badJson.failure).toMatchObject({ _tag: "Vda5050Rejected", error: { _tag: "InvalidInput", issues: [{ path: "", message: "is not valid JSON" }] } });
          expect(Result.isFailure(otherAgv!) && otherAgv.failure.error.issues.map((i) => i.path)).toEqual(["serialNumber"]);
          expect(Result.isSuccess(actions!) && actions.success.message).toMatchObject({ actions: [{ actionId: "a1" }] });
        }),
      ),
    );

    it.skipIf(broker.skip)(`follows a Sparkplug B edge node session${broker.suffix}`, () =>
      runWith(
        broker.layer(),
        Effect.gen(function* () {
          const mqtt = yield* Mqtt;
          const group = `jxc-test-${runId}`;
          const ready = yield* Deferred.make<void>();
          const fiber = yield* sparkplugNode(announcing(mqtt, ready), group, "gateway-1").pipe(Stream.take(4), Stream.runCollect, Effect.forkChild);
          yield* Deferred.await(ready);
          const nodeTopic = (type: string) => `spBv1.0/${group}/${type}/gateway-1`;
          yield* mqtt.publish(
            nodeTopic("NBIRTH"),
            sparkplugBytes({ seq: 0n, metrics: [{ name: "bdSeq", datatype: 8, value: long(0n) }, { name: "Temperature", alias: 1n, datatype: 10, value: { kind: "double", value: 4.5 } }] }),
            { qos: 0 },
          );
          yield* mqtt.publish(nodeTopic("NDATA"), sparkplugBytes({ seq: 1n, metrics: [{ alias: 1n, value: { kind: "double", value: 5.25 } }] }), { qos: 0 });
          yield* mqtt.publish(`${nodeTopic("DDATA")}/sensor-7`, Uint8Array.of(0xff, 0xff, 0xff), { qos: 0 });
          yield* mqtt.publish(nodeTopic("NDATA"), sparkplugBytes({ seq: 5n, metrics: [{ alias: 1n, value: { kind: "double", value: 6 } }] }), { qos: 0 });
          const steps = yield* Fiber.join(fiber);
          expect(steps.map((s) => (Result.isSuccess(s.result) ? s.result.success.kind : s.result.failure._tag))).toEqual([
            "node-birth",
            "node-data",
            "SparkplugMalformedPayload",
            "SparkplugSequenceGap",
          ]);
          const data = steps[1]!.result;
          expect(Result.isSuccess(data) && data.success).toMatchObject({ kind: "node-data", metrics: [{ name: "Temperature", value: { kind: "double", value: 5.25 } }] });
          expect(steps.map((s) => [s.session.status, s.session.needsRebirth])).toEqual([
            ["online", false],
            ["online", false],
            ["online", false],
            ["online", true],
          ]);
        }),
      ),
    );
  });
}

describe("embedded broker", { timeout: 15_000 }, () => {
  it("holds the client while a subscriber's buffer is full, and loses nothing", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const mqtt = yield* Mqtt;
          const broker = yield* EmbeddedMqttBroker;
          const messages = yield* mqtt.subscription("pallet/+/scan", { bufferSize: 2 });
          const device = yield* Effect.flatMap(mqttConnect({ url: broker.url, clientId: "scanner" }), mqttClientPort);
          // 20 messages into a buffer of 2 while nobody consumes: the client stops reading, the broker queues.
          for (let i = 0; i < 20; i++) yield* device.publish(`pallet/${i}/scan`, String(i), { qos: 1 });
          const got = yield* messages.pipe(Stream.take(20), Stream.runCollect);
          expect(got.map((m) => text(m.payload))).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
        }),
      ).pipe(Effect.provide(mqttEmbeddedLayer())),
    ));

  it("serves other clients at its URL (devices, tools) and stops with the layer", async () => {
    const url = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const mqtt = yield* Mqtt;
          const broker = yield* EmbeddedMqttBroker;
          expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
          const messages = yield* mqtt.subscription("dock/+/weight");
          // A second, independent client (as a device would be) publishes through the broker.
          const device = yield* Effect.flatMap(mqttConnect({ url: broker.url, clientId: "shelf-3" }), mqttClientPort);
          yield* device.publish("dock/3/weight", "12.400", { qos: 1 });
          const [m] = yield* messages.pipe(Stream.take(1), Stream.runCollect);
          expect(m).toMatchObject({ topic: "dock/3/weight" });
          expect(text(m!.payload)).toBe("12.400");
          return broker.url;
        }),
      ).pipe(Effect.provide(mqttEmbeddedLayer())),
    );
    // The layer is released: nothing listens at the URL any more.
    const { hostname, port } = new URL(url);
    expect(await reachable(hostname, Number(port))).toBe(false);
  });
});
