/**
 * MQTT as an Effect port: {@link Mqtt} (subscribe as a `Stream`, publish as an `Effect`),
 * provided by {@link mqttLayer} (mqtt.js against a broker URL) or {@link mqttEmbeddedLayer}
 * (an in-process aedes broker on a free port, for embedded defaults and tests); and, on top of
 * the port, the streams of the device protocols that travel over MQTT: {@link vda5050Messages}
 * and {@link sparkplugNode}.
 *
 * @module
 */
import * as net from "node:net";
import { Cause, Context, Data, Duration, Effect, Layer, Option, Queue, Result, Scope, Stream } from "effect";
import { connect as connectMqtt, type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import type { InvalidInput } from "@jxc/core";
import {
  decodeSparkplugPayload,
  formatSparkplugTopic,
  initialSparkplugSession,
  parseSparkplugTopic,
  stepSparkplugSession,
  type SparkplugBadTopic,
  type SparkplugMalformedPayload,
  type SparkplugNodeSession,
  type SparkplugSessionError,
  type SparkplugSessionEvent,
} from "../sparkplug.js";
import { parseVda5050Message, vda5050Topic, type Vda5050Message } from "../vda5050.js";

// ---------------------------------------------------------------------------------------------
// The port
// ---------------------------------------------------------------------------------------------

/** MQTT quality of service. */
export type MqttQos = 0 | 1 | 2;

/** A message received on a subscription. */
export interface MqttMessage {
  readonly topic: string;
  /** The payload bytes (a copy owned by the receiver). */
  readonly payload: Uint8Array;
  readonly qos: MqttQos;
  /** True for a retained message delivered because of a (new) subscription. */
  readonly retain: boolean;
}

/** Options of {@link MqttPort.publish}. */
export interface MqttPublishOptions {
  /** Default 0. QoS 1 and 2 complete when the broker acknowledged the message. */
  readonly qos?: MqttQos;
  /** Default false. */
  readonly retain?: boolean;
}

/** Options of {@link MqttPort.subscribe}. */
export interface MqttSubscribeOptions {
  /** Maximum QoS of the subscription (default 1). */
  readonly qos?: MqttQos;
  /** Messages buffered ahead of the consumer before the client stops reading from the broker (default 256). */
  readonly bufferSize?: number;
}

/** A failure of the MQTT client: connecting, a refused subscription, or a failed publish. */
export class MqttError extends Data.TaggedError("MqttError")<{
  readonly operation: "connect" | "subscribe" | "publish";
  readonly cause?: unknown;
  readonly message: string;
}> {}

/** The MQTT port: what the device streams need from a broker connection. */
export interface MqttPort {
  /**
   * The messages whose topic matches one of `topicFilter` (MQTT wildcards `+` and `#`), in the
   * order the broker delivered them. Subscribes when the stream starts and unsubscribes when it
   * ends (a filter shared with another live stream stays subscribed). Each stream starts a new
   * MQTT subscription, so retained messages are delivered to it (and again to other streams on
   * the same filter, flagged `retain`).
   *
   * Backpressure: while a stream's buffer (`bufferSize`) is full, the client stops processing
   * incoming packets (mqtt.js `handleMessage`), so a slow consumer slows the whole connection
   * (other subscriptions, and the acknowledgements of this client's own QoS 1/2 publishes)
   * instead of losing messages; the broker queues meanwhile. Consume promptly, or give a slow
   * consumer a larger `bufferSize`.
   */
  readonly subscribe: (topicFilter: string | ReadonlyArray<string>, options?: MqttSubscribeOptions) => Stream.Stream<MqttMessage, MqttError>;
  /**
   * Like {@link subscribe}, but subscribes now, in the current `Scope`: when this Effect
   * completes the broker has acknowledged the subscription, and the returned stream holds every
   * message from then on (until the scope closes).
   */
  readonly subscription: (topicFilter: string | ReadonlyArray<string>, options?: MqttSubscribeOptions) => Effect.Effect<Stream.Stream<MqttMessage>, MqttError, Scope.Scope>;
  /** Publishes `payload` (bytes, or a string sent as UTF-8). */
  readonly publish: (topic: string, payload: Uint8Array | string, options?: MqttPublishOptions) => Effect.Effect<void, MqttError>;
}

/** The MQTT port as an Effect service. */
export class Mqtt extends Context.Service<Mqtt, MqttPort>()("@jxc/devices/Mqtt") {}

// ---------------------------------------------------------------------------------------------
// Topic filters
// ---------------------------------------------------------------------------------------------

/**
 * Whether `topic` matches the MQTT topic filter `filter`: `+` matches one level, a final `#`
 * any number of levels (including none), and filters starting with a wildcard do not match
 * topics starting with `$`. A shared subscription `$share/{group}/{filter}` matches as `filter`.
 */
export const mqttTopicMatches = (filter: string, topic: string): boolean => {
  const effective = filter.startsWith("$share/") ? filter.split("/").slice(2).join("/") : filter;
  const f = effective.split("/");
  const t = topic.split("/");
  if (topic.startsWith("$") && (f[0] === "+" || f[0] === "#")) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === "#") return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== "+" && level !== t[i]) return false;
  }
  return f.length === t.length;
};

// ---------------------------------------------------------------------------------------------
// mqtt.js
// ---------------------------------------------------------------------------------------------

interface Subscriber {
  readonly filters: ReadonlyArray<string>;
  readonly queue: Queue.Queue<MqttMessage, Cause.Done>;
}

const errorText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

const toBuffer = (payload: Uint8Array | string): Buffer =>
  typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);

/** Unsubscribing waits at most this long (the client may be offline): finalizers must not hang. */
const UNSUBSCRIBE_TIMEOUT = Duration.seconds(5);

/**
 * The port over an mqtt.js client that is already connected, for the life of the current
 * `Scope` (the client itself is not ended: its owner does that). It takes over the client's
 * `handleMessage` hook to deliver messages with backpressure, and restores it on close.
 */
export const mqttClientPort = (client: MqttClient): Effect.Effect<MqttPort, never, Scope.Scope> =>
  Effect.gen(function* () {
    const subscribers = new Set<Subscriber>();
    const filterCounts = new Map<string, number>();
    const originalHandleMessage = client.handleMessage;

    client.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void) => {
      const raw = packet.payload;
      const message: MqttMessage = {
        topic: packet.topic,
        payload: typeof raw === "string" ? new TextEncoder().encode(raw) : new Uint8Array(raw),
        qos: packet.qos,
        retain: packet.retain,
      };
      const blocked: Subscriber[] = [];
      for (const s of subscribers) {
        if (!s.filters.some((f) => mqttTopicMatches(f, message.topic))) continue;
        // A full queue refuses the offer (a shut-down one too, but it is then not full: skipped).
        if (!Queue.offerUnsafe(s.queue, message) && Queue.isFullUnsafe(s.queue)) blocked.push(s);
      }
      if (blocked.length === 0) return callback();
      // Some consumer is behind: hold the client (no further packets are processed) until there is room.
      Effect.runFork(Effect.ensuring(Effect.forEach(blocked, (s) => Queue.offer(s.queue, message), { discard: true }), Effect.sync(() => callback())));
    };
    yield* Effect.addFinalizer(() => Effect.sync(() => (client.handleMessage = originalHandleMessage)));

    const subscription = (topicFilter: string | ReadonlyArray<string>, options: MqttSubscribeOptions = {}) =>
      Effect.gen(function* () {
        const filters = typeof topicFilter === "string" ? [topicFilter] : [...topicFilter];
        const queue = yield* Queue.bounded<MqttMessage, Cause.Done>(Math.max(1, options.bufferSize ?? 256));
        const subscriber: Subscriber = { filters, queue };
        yield* Effect.acquireRelease(
          Effect.sync(() => {
            subscribers.add(subscriber);
            for (const f of filters) filterCounts.set(f, (filterCounts.get(f) ?? 0) + 1);
          }),
          () =>
            Effect.gen(function* () {
              subscribers.delete(subscriber);
              yield* Queue.shutdown(queue);
              const unused = filters.filter((f) => {
                const n = (filterCounts.get(f) ?? 1) - 1;
                if (n === 0) filterCounts.delete(f);
                else filterCounts.set(f, n);
                return n === 0;
              });
              if (unused.length > 0 && client.connected) {
                yield* Effect.promise(() => client.unsubscribeAsync(unused).catch(() => undefined)).pipe(Effect.timeoutOption(UNSUBSCRIBE_TIMEOUT));
              }
            }),
        );
        const granted = yield* Effect.tryPromise({
          try: () => client.subscribeAsync(filters, { qos: options.qos ?? 1 }),
          catch: (cause) => new MqttError({ operation: "subscribe", cause, message: `subscribe ${filters.join(", ")}: ${errorText(cause)}` }),
        });
        const refused = granted.filter((g) => g.qos === 128);
        if (refused.length > 0) {
          return yield* Effect.fail(new MqttError({ operation: "subscribe", message: `subscribe refused by the broker: ${refused.map((g) => g.topic).join(", ")}` }));
        }
        return Stream.fromQueue(queue);
      });

    const subscribe = (topicFilter: string | ReadonlyArray<string>, options?: MqttSubscribeOptions) => Stream.unwrap(subscription(topicFilter, options));

    const publish = (topic: string, payload: Uint8Array | string, options: MqttPublishOptions = {}) =>
      Effect.tryPromise({
        try: () => client.publishAsync(topic, toBuffer(payload), { qos: options.qos ?? 0, retain: options.retain ?? false }),
        catch: (cause) => new MqttError({ operation: "publish", cause, message: `publish ${topic}: ${errorText(cause)}` }),
      }).pipe(Effect.asVoid);

    return { subscribe, subscription, publish } satisfies MqttPort;
  });

/** Options of {@link mqttConnect} and {@link mqttLayer}. */
export interface MqttConnectOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883` (also `mqtts://`, `ws://`, `wss://`). */
  readonly url: string;
  /** Default: a random `jxc-…` id. */
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  /** Time allowed for the first connection (default 10 s); after that, mqtt.js reconnects by itself. */
  readonly connectTimeout?: Duration.Input;
  /** Delay between reconnection attempts after a drop (default 1 s). */
  readonly reconnectPeriod?: Duration.Input;
  /** Keepalive interval in seconds (default 30). */
  readonly keepalive?: number;
  /** Further mqtt.js options (take precedence). */
  readonly clientOptions?: IClientOptions;
}

/**
 * Connects an mqtt.js client for the life of the current `Scope`: fails with
 * {@link MqttError} if the first connection is not established within `connectTimeout`;
 * afterwards drops are retried by mqtt.js every `reconnectPeriod` (subscriptions are restored,
 * publishes wait). Closing the scope ends the client (DISCONNECT, then the socket).
 */
export const mqttConnect = (options: MqttConnectOptions): Effect.Effect<MqttClient, MqttError, Scope.Scope> => {
  const timeout = options.connectTimeout ?? Duration.seconds(10);
  return Effect.acquireRelease(
    Effect.callback<MqttClient, MqttError>((resume) => {
      const client = connectMqtt(options.url, {
        clientId: options.clientId ?? `jxc-${Math.random().toString(16).slice(2, 10)}`,
        connectTimeout: Duration.toMillis(timeout),
        reconnectPeriod: Duration.toMillis(options.reconnectPeriod ?? Duration.seconds(1)),
        keepalive: options.keepalive ?? 30,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
        ...options.clientOptions,
      });
      const cleanup = () => {
        client.off("connect", onConnect);
        client.off("error", onError);
        client.off("close", onClose);
      };
      const failed = (cause: unknown) => {
        cleanup();
        client.end(true);
        resume(Effect.fail(new MqttError({ operation: "connect", cause, message: `connect to ${options.url}: ${errorText(cause)}` })));
      };
      const onConnect = () => {
        cleanup();
        resume(Effect.succeed(client));
      };
      const onError = (cause: Error) => failed(cause);
      const onClose = () => failed(new Error("connection closed before CONNACK"));
      client.on("connect", onConnect);
      client.on("error", onError);
      client.on("close", onClose);
      return Effect.sync(() => {
        cleanup();
        client.end(true);
      });
    }).pipe(
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () => Effect.fail(new MqttError({ operation: "connect", message: `connect to ${options.url}: no CONNACK within ${Duration.toMillis(timeout)} ms` })),
      }),
    ),
    endClient,
  );
};

/**
 * Ends a client: offline, at once; online, with DISCONNECT once the QoS 1/2 messages in flight
 * are acknowledged, giving up waiting for them after 5 s.
 */
const endClient = (client: MqttClient): Effect.Effect<void> =>
  Effect.gen(function* () {
    if (!client.connected) return yield* Effect.promise(() => client.endAsync(true));
    const ended = yield* Effect.promise(() => client.endAsync()).pipe(Effect.timeoutOption(Duration.seconds(5)));
    // Still waiting for acknowledgements: stop waiting (mqtt.js finishes the end on this event).
    if (Option.isNone(ended)) client.emit("outgoingEmpty");
  });

/** The {@link Mqtt} port over mqtt.js, connected to `options.url`. */
export const mqttLayer = (options: MqttConnectOptions): Layer.Layer<Mqtt, MqttError> =>
  Layer.effect(Mqtt, Effect.flatMap(mqttConnect(options), mqttClientPort));

// ---------------------------------------------------------------------------------------------
// Embedded broker
// ---------------------------------------------------------------------------------------------

/** The in-process broker of {@link mqttEmbeddedLayer}. */
export interface EmbeddedMqttBrokerInfo {
  readonly host: string;
  readonly port: number;
  /** `mqtt://host:port`, for other clients (devices, tests, tools). */
  readonly url: string;
}

/** The in-process MQTT broker, when one was started. */
export class EmbeddedMqttBroker extends Context.Service<EmbeddedMqttBroker, EmbeddedMqttBrokerInfo>()("@jxc/devices/EmbeddedMqttBroker") {}

/** Options of {@link embeddedMqttBrokerLayer}. */
export interface EmbeddedMqttBrokerOptions {
  /** Interface to listen on (default `127.0.0.1`: only this machine). */
  readonly host?: string;
  /** Port (default 0: a free port chosen by the system). */
  readonly port?: number;
}

/**
 * Starts an in-process MQTT broker (aedes, in-memory persistence) listening on
 * `host:port` for the life of the layer; stopping it closes every client connection.
 */
export const embeddedMqttBrokerLayer = (options: EmbeddedMqttBrokerOptions = {}): Layer.Layer<EmbeddedMqttBroker, MqttError> =>
  Layer.effect(
    EmbeddedMqttBroker,
    Effect.gen(function* () {
      const host = options.host ?? "127.0.0.1";
      const { Aedes } = yield* Effect.tryPromise({
        try: () => import("aedes"),
        catch: (cause) => new MqttError({ operation: "connect", cause, message: `embedded broker: cannot load aedes: ${errorText(cause)}` }),
      });
      const broker = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => Aedes.createBroker(),
          catch: (cause) => new MqttError({ operation: "connect", cause, message: `embedded broker: ${errorText(cause)}` }),
        }),
        (b) => Effect.callback<void>((resume) => b.close(() => resume(Effect.void))),
      );
      const sockets = new Set<net.Socket>();
      const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        broker.handle(socket);
      });
      const port = yield* Effect.acquireRelease(
        Effect.callback<number, MqttError>((resume) => {
          const onError = (cause: Error) => resume(Effect.fail(new MqttError({ operation: "connect", cause, message: `embedded broker: cannot listen on ${host}:${options.port ?? 0}: ${cause.message}` })));
          server.once("error", onError);
          server.listen(options.port ?? 0, host, () => {
            server.off("error", onError);
            resume(Effect.succeed((server.address() as net.AddressInfo).port));
          });
        }),
        () =>
          Effect.callback<void>((resume) => {
            for (const s of sockets) s.destroy();
            server.close(() => resume(Effect.void));
          }),
      );
      return { host, port, url: `mqtt://${host}:${port}` };
    }),
  );

/**
 * The {@link Mqtt} port connected to a broker started in-process ({@link embeddedMqttBrokerLayer}):
 * the embedded default, needing no broker installed. The broker's URL is available as
 * {@link EmbeddedMqttBroker} for devices and other clients.
 */
export const mqttEmbeddedLayer = (
  options: EmbeddedMqttBrokerOptions & Omit<MqttConnectOptions, "url"> = {},
): Layer.Layer<Mqtt | EmbeddedMqttBroker, MqttError> =>
  Layer.effect(
    Mqtt,
    Effect.gen(function* () {
      const broker = yield* EmbeddedMqttBroker;
      const { host: _host, port: _port, ...connect } = options;
      return yield* Effect.flatMap(mqttConnect({ ...connect, url: broker.url }), mqttClientPort);
    }),
  ).pipe(Layer.provideMerge(embeddedMqttBrokerLayer({ ...(options.host === undefined ? {} : { host: options.host }), ...(options.port === undefined ? {} : { port: options.port }) })));

// ---------------------------------------------------------------------------------------------
// VDA 5050
// ---------------------------------------------------------------------------------------------

/** A message on an AGV's topics that {@link parseVda5050Message} refused. */
export class Vda5050Rejected extends Data.TaggedError("Vda5050Rejected")<{
  readonly topic: string;
  readonly payload: Uint8Array;
  /** What was wrong, field by field. */
  readonly error: InvalidInput;
  readonly message: string;
}> {}

/** The AGV whose messages {@link vda5050Messages} follows. */
export interface Vda5050Agv {
  readonly manufacturer: string;
  readonly serialNumber: string;
  /** Default `uagv`. */
  readonly interfaceName?: string;
}

/**
 * The VDA 5050 (v2) messages of one AGV: a subscription to
 * `{interfaceName}/v2/{manufacturer}/{serialNumber}/+`, each message parsed with
 * {@link parseVda5050Message}.
 *
 * Errors: a message that does not parse (bad JSON, a field against the schema, a header naming
 * another AGV) does not end the stream: it is an element `Result.fail(Vda5050Rejected)` with
 * the topic, the raw payload and the field-level `InvalidInput`, so one bad message from an
 * AGV cannot stop the others. The stream fails only on MQTT errors, or at once with
 * `InvalidInput` if `agv` cannot form a topic.
 */
export const vda5050Messages = (
  mqtt: MqttPort,
  agv: Vda5050Agv,
  options?: MqttSubscribeOptions,
): Stream.Stream<Result.Result<Vda5050Message, Vda5050Rejected>, MqttError | InvalidInput> => {
  const topic = vda5050Topic({ manufacturer: agv.manufacturer, serialNumber: agv.serialNumber, topic: "state", ...(agv.interfaceName === undefined ? {} : { interfaceName: agv.interfaceName }) });
  if (Result.isFailure(topic)) return Stream.fail(topic.failure);
  const filter = topic.success.replace(/\/state$/, "/+");
  return mqtt.subscribe(filter, options).pipe(
    Stream.map((m) =>
      Result.mapError(parseVda5050Message(m.topic, m.payload), (error) => new Vda5050Rejected({ topic: m.topic, payload: m.payload, error, message: `${m.topic}: ${error.message}` })),
    ),
  );
};

// ---------------------------------------------------------------------------------------------
// Sparkplug B
// ---------------------------------------------------------------------------------------------

/** One message of an edge node, applied to its session by {@link stepSparkplugSession}. */
export interface SparkplugReceived {
  readonly topic: string;
  /** The session after the message (unchanged when the topic or payload could not be read). */
  readonly session: SparkplugNodeSession;
  /** What the message meant, or the rule it broke, or why it could not be read. */
  readonly result: Result.Result<SparkplugSessionEvent, SparkplugSessionError | SparkplugMalformedPayload>;
}

/**
 * The session of one Sparkplug B edge node as seen by a host: a subscription to the node's
 * topics (`spBv1.0/{group}/+/{edgeNode}` and its devices' `spBv1.0/{group}/+/{edgeNode}/+`, in
 * one subscription so that their order is kept), each message decoded and stepped through
 * {@link stepSparkplugSession} from {@link initialSparkplugSession}.
 *
 * Errors: every message yields an element; a broken rule (sequence gap, DATA before BIRTH…), a
 * topic that is not the node's, or a payload that is not Sparkplug protobuf
 * (`SparkplugMalformedPayload`, the session unchanged) is its `result` failure, so the stream
 * goes on (watch `session.needsRebirth` to send a rebirth request). The stream fails only on
 * MQTT errors, or at once with `SparkplugBadTopic` if `group` or `edgeNode` cannot be topic levels.
 */
export const sparkplugNode = (
  mqtt: MqttPort,
  group: string,
  edgeNode: string,
  options?: MqttSubscribeOptions,
): Stream.Stream<SparkplugReceived, MqttError | SparkplugBadTopic> => {
  const valid = formatSparkplugTopic({ kind: "node", group, type: "NDATA", edgeNode });
  if (Result.isFailure(valid)) return Stream.fail(valid.failure);
  const filters = [`spBv1.0/${group}/+/${edgeNode}`, `spBv1.0/${group}/+/${edgeNode}/+`];
  return mqtt.subscribe(filters, options).pipe(
    Stream.mapAccum(
      () => initialSparkplugSession(group, edgeNode),
      (session, m): readonly [SparkplugNodeSession, ReadonlyArray<SparkplugReceived>] => {
        const topic = parseSparkplugTopic(m.topic);
        if (Result.isFailure(topic)) return [session, [{ topic: m.topic, session, result: Result.fail(topic.failure) }]];
        const payload = decodeSparkplugPayload(m.payload);
        if (Result.isFailure(payload)) return [session, [{ topic: m.topic, session, result: Result.fail(payload.failure) }]];
        const step = stepSparkplugSession(session, topic.success, payload.success);
        return [step.session, [{ topic: m.topic, session: step.session, result: step.result }]];
      },
    ),
  );
};
