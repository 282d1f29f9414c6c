import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Result } from "effect";
import { StockDocumentSchema } from "@jxc/core";
import {
  Vda5050OrderSchema,
  nextHeaderId,
  parseVda5050Message,
  parseVda5050Topic,
  vda5050Topic,
  type Vda5050Connection,
  type Vda5050Order,
  type Vda5050State,
  type Vda5050Subtopic,
} from "../src/vda5050.js";
import {
  buildTransferOrder,
  mergeOrderUpdate,
  shortestSiteRoute,
  updateOrder,
  type SiteGraphInput,
  type TransferOrderRequestInput,
} from "../src/vda5050-order.js";
import {
  applyAgvConnection,
  applyAgvState,
  applyOrderUpdate,
  applyVda5050Message,
  isConnectionLost,
  startOrderTracking,
  taskProgress,
  transferDocumentFromOrder,
  type OrderTracking,
} from "../src/vda5050-state.js";
import { ok } from "../../../scripts/test-support.js";

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const failWith = <A, E extends { _tag: string }, T extends E["_tag"]>(r: Result.Result<A, E>, tag: T): Extract<E, { _tag: T }> => {
  if (Result.isSuccess(r)) throw new Error(`expected ${tag}, got success`);
  expect(r.failure._tag).toBe(tag);
  return r.failure as Extract<E, { _tag: T }>;
};
const paths = (e: { issues: ReadonlyArray<{ path: string }> }) => e.issues.map((i) => i.path);

const header = (headerId: number, timestamp = "2024-05-06T08:00:00.00Z") => ({
  headerId,
  timestamp,
  version: "2.0.0",
  manufacturer: "KUKA",
  serialNumber: "0001",
});

/** The order of Figure 5 of VDA 5050 2.x (nodes 6, 4, 7 released; 2, 8 horizon), written out in full. */
const specOrder = (): Record<string, unknown> => ({
  ...header(1),
  orderId: "1234",
  orderUpdateId: 0,
  nodes: [
    { nodeId: "6", sequenceId: 0, released: true, nodePosition: { x: 0, y: 0, mapId: "hall" }, actions: [] },
    {
      nodeId: "4",
      sequenceId: 2,
      released: true,
      nodePosition: { x: 5, y: 0, theta: 1.57, allowedDeviationXY: 0.1, mapId: "hall" },
      actions: [
        {
          actionType: "pick",
          actionId: "pick-1",
          blockingType: "HARD",
          actionParameters: [
            { key: "stationType", value: "floor" },
            { key: "loadType", value: "EPAL" },
            { key: "height", value: 0.1 },
          ],
        },
      ],
    },
    { nodeId: "7", sequenceId: 4, released: true, actions: [] },
    { nodeId: "2", sequenceId: 6, released: false, actions: [] },
    { nodeId: "8", sequenceId: 8, released: false, actions: [{ actionType: "drop", actionId: "drop-1", blockingType: "HARD" }] },
  ],
  edges: [
    { edgeId: "e1", sequenceId: 1, released: true, startNodeId: "6", endNodeId: "4", maxSpeed: 1.5, actions: [] },
    { edgeId: "e3", sequenceId: 3, released: true, startNodeId: "4", endNodeId: "7", actions: [], corridor: { leftWidth: 0.5, rightWidth: 0.5 } },
    { edgeId: "e8", sequenceId: 5, released: false, startNodeId: "7", endNodeId: "2", actions: [] },
    { edgeId: "e9", sequenceId: 7, released: false, startNodeId: "2", endNodeId: "8", actions: [] },
  ],
});

/** The update of Figure 6: orderUpdateId 1, starting at the stitching node 7. */
const specOrderUpdate = (): Record<string, unknown> => ({
  ...header(2),
  orderId: "1234",
  orderUpdateId: 1,
  nodes: [
    { nodeId: "7", sequenceId: 4, released: true, actions: [] },
    { nodeId: "2", sequenceId: 6, released: true, actions: [] },
    { nodeId: "8", sequenceId: 8, released: true, actions: [{ actionType: "drop", actionId: "drop-1", blockingType: "HARD" }] },
    { nodeId: "9", sequenceId: 10, released: false, actions: [] },
  ],
  edges: [
    { edgeId: "e8", sequenceId: 5, released: true, startNodeId: "7", endNodeId: "2", actions: [] },
    { edgeId: "e9", sequenceId: 7, released: true, startNodeId: "2", endNodeId: "8", actions: [] },
    { edgeId: "e10", sequenceId: 9, released: false, startNodeId: "8", endNodeId: "9", actions: [] },
  ],
});

const specState = (): Record<string, unknown> => ({
  ...header(17, "2024-05-06T08:00:05.12Z"),
  orderId: "1234",
  orderUpdateId: 0,
  lastNodeId: "4",
  lastNodeSequenceId: 2,
  nodeStates: [
    { nodeId: "7", sequenceId: 4, released: true },
    { nodeId: "2", sequenceId: 6, released: false, nodePosition: { x: 1, y: 2, theta: 0, mapId: "hall" } },
  ],
  edgeStates: [{ edgeId: "e3", sequenceId: 3, released: true }],
  agvPosition: { x: 5, y: 0, theta: 1.57, mapId: "hall", positionInitialized: true, localizationScore: 0.9 },
  velocity: { vx: 0, vy: 0, omega: 0 },
  loads: [{ loadId: "SSCC-1", loadType: "EPAL", weight: 350 }],
  driving: false,
  paused: false,
  newBaseRequest: false,
  actionStates: [
    { actionId: "pick-1", actionType: "pick", actionStatus: "RUNNING" },
    { actionId: "drop-1", actionStatus: "WAITING" },
  ],
  batteryState: { batteryCharge: 80.5, batteryVoltage: 48.1, batteryHealth: 97, charging: false, reach: 12000 },
  operatingMode: "AUTOMATIC",
  errors: [{ errorType: "orderUpdateError", errorLevel: "WARNING", errorReferences: [{ referenceKey: "orderId", referenceValue: "1234" }] }],
  information: [{ infoType: "battery", infoLevel: "INFO" }],
  safetyState: { eStop: "NONE", fieldViolation: false },
  maps: [{ mapId: "hall", mapVersion: "1", mapStatus: "ENABLED" }],
});

const specFactsheet = (): Record<string, unknown> => ({
  version: "2.0.0",
  manufacturer: "KUKA",
  serialNumber: "0001",
  typeSpecification: {
    seriesName: "KMP 600",
    agvKinematic: "OMNI",
    agvClass: "CARRIER",
    maxLoadMass: 600,
    localizationTypes: ["NATURAL", "DMC"],
    navigationTypes: ["AUTONOMOUS"],
  },
  physicalParameters: { speedMin: 0.01, speedMax: 1.5, accelerationMax: 0.8, decelerationMax: 1.2, heightMin: 0.3, heightMax: 0.4, width: 0.8, length: 1.2 },
  protocolLimits: {
    maxStringLens: { msgLen: 65536, idLen: 64, idNumericalOnly: false },
    maxArrayLens: { "order.nodes": 200, "order.edges": 199 },
    timing: { minOrderInterval: 0.5, minStateInterval: 0.2, defaultStateInterval: 30 },
  },
  protocolFeatures: {
    optionalParameters: [{ parameter: "order.nodes.nodePosition.allowedDeviationTheta", support: "SUPPORTED" }],
    agvActions: [
      {
        actionType: "pick",
        actionScopes: ["NODE"],
        actionParameters: [
          { key: "stationType", valueDataType: "STRING" },
          { key: "loadType", valueDataType: "STRING" },
          { key: "loadId", valueDataType: "STRING", isOptional: true },
        ],
      },
      { actionType: "drop", actionScopes: ["NODE"] },
      { actionType: "cancelOrder", actionScopes: ["INSTANT"] },
    ],
  },
  agvGeometry: { wheelDefinitions: [{ type: "MECANUM", isActiveDriven: true, isActiveSteered: false, position: { x: 0.4, y: 0.3 }, diameter: 0.2, width: 0.1 }] },
  loadSpecification: { loadPositions: ["top"], loadSets: [{ setName: "DEFAULT", loadType: "EPAL", maxWeight: 600 }] },
});

const topicOf = (subtopic: Vda5050Subtopic) => `uagv/v2/KUKA/0001/${subtopic}`;

// ---------------------------------------------------------------------------------------------
// schemas and topics
// ---------------------------------------------------------------------------------------------

describe("VDA 5050 message schemas", () => {
  it("accepts the spec's order (Figure 5) and keeps unknown fields (2.1 corridor)", () => {
    const m = ok(parseVda5050Message(topicOf("order"), JSON.stringify(specOrder())));
    expect(m.subtopic).toBe("order");
    if (m.subtopic !== "order") return;
    expect(m.message.nodes.map((n) => n.nodeId)).toEqual(["6", "4", "7", "2", "8"]);
    expect(m.message.edges[1]!.corridor).toEqual({ leftWidth: 0.5, rightWidth: 0.5 });
    expect(m.topic).toEqual({ interfaceName: "uagv", majorVersion: "v2", manufacturer: "KUKA", serialNumber: "0001", topic: "order" });
  });

  it("names the field of a wrong type by its path", () => {
    const order = specOrder();
    (order.nodes as Array<Record<string, unknown>>)[1]!.sequenceId = "2";
    const e = failWith(parseVda5050Message(topicOf("order"), order), "InvalidInput");
    expect(e.subject).toBe("VDA 5050 order message");
    expect(paths(e)).toEqual(["nodes.1.sequenceId"]);

    const state = specState();
    (state.batteryState as Record<string, unknown>).batteryCharge = "80";
    expect(paths(failWith(parseVda5050Message(topicOf("state"), state), "InvalidInput"))).toEqual(["batteryState.batteryCharge"]);

    const action = specOrder();
    ((action.nodes as Array<{ actions: Array<Record<string, unknown>> }>)[1]!.actions[0]!).blockingType = "SINGLE";
    expect(paths(failWith(parseVda5050Message(topicOf("order"), action), "InvalidInput"))).toEqual(["nodes.1.actions.0.blockingType"]);
  });

  it("checks the order graph rules: sequence ids, edge ends, base before horizon, one edge fewer than nodes", () => {
    const badSeq = specOrder();
    (badSeq.edges as Array<Record<string, unknown>>)[0]!.sequenceId = 2;
    expect(paths(failWith(parseVda5050Message(topicOf("order"), badSeq), "InvalidInput"))).toEqual(["edges.0.sequenceId"]);

    const badEnd = specOrder();
    (badEnd.edges as Array<Record<string, unknown>>)[2]!.endNodeId = "8";
    expect(paths(failWith(parseVda5050Message(topicOf("order"), badEnd), "InvalidInput"))).toEqual(["edges.2.endNodeId"]);

    const releasedAfterHorizon = specOrder();
    (releasedAfterHorizon.nodes as Array<Record<string, unknown>>)[4]!.released = true;
    expect(paths(failWith(parseVda5050Message(topicOf("order"), releasedAfterHorizon), "InvalidInput"))).toEqual(["nodes.4.released"]);

    const missingEdge = specOrder();
    (missingEdge.edges as unknown[]).pop();
    expect(paths(failWith(parseVda5050Message(topicOf("order"), missingEdge), "InvalidInput"))).toEqual(["edges"]);

    const odd = specOrderUpdate();
    (odd.nodes as Array<Record<string, unknown>>)[0]!.sequenceId = 3;
    expect(paths(failWith(parseVda5050Message(topicOf("order"), odd), "InvalidInput"))).toContain("nodes.0.sequenceId");
  });

  it("accepts a state, keeping 2.1 fields it does not model (maps)", () => {
    const m = ok(parseVda5050Message(topicOf("state"), new TextEncoder().encode(JSON.stringify(specState()))));
    if (m.subtopic !== "state") throw new Error("not a state");
    expect(m.message.actionStates.map((a) => a.actionStatus)).toEqual(["RUNNING", "WAITING"]);
    expect(m.message.maps).toEqual([{ mapId: "hall", mapVersion: "1", mapStatus: "ENABLED" }]);
  });

  it("accepts instantActions, connection, factsheet and visualization messages", () => {
    ok(parseVda5050Message(topicOf("instantActions"), { ...header(3), actions: [{ actionType: "cancelOrder", actionId: "c-1", blockingType: "HARD" }] }));
    ok(parseVda5050Message(topicOf("connection"), { ...header(0), connectionState: "CONNECTIONBROKEN" }));
    const f = ok(parseVda5050Message(topicOf("factsheet"), specFactsheet()));
    if (f.subtopic !== "factsheet") throw new Error("not a factsheet");
    expect(f.message.protocolFeatures.agvActions.map((a) => a.actionType)).toEqual(["pick", "drop", "cancelOrder"]);
    ok(parseVda5050Message(topicOf("visualization"), { agvPosition: { x: 1, y: 2, theta: 0, mapId: "hall", positionInitialized: true } }));
  });

  it("refuses an unknown connection state, a missing factsheet section, bad JSON and a header naming another AGV", () => {
    expect(paths(failWith(parseVda5050Message(topicOf("connection"), { ...header(0), connectionState: "DISCONNECTED" }), "InvalidInput"))).toEqual([
      "connectionState",
    ]);
    const factsheet = specFactsheet();
    delete factsheet.protocolFeatures;
    expect(paths(failWith(parseVda5050Message(topicOf("factsheet"), factsheet), "InvalidInput"))).toEqual(["protocolFeatures"]);
    expect(paths(failWith(parseVda5050Message(topicOf("state"), "{not json"), "InvalidInput"))).toEqual([""]);
    const other = { ...specState(), serialNumber: "0002" };
    expect(paths(failWith(parseVda5050Message(topicOf("state"), other), "InvalidInput"))).toEqual(["serialNumber"]);
    const v1 = { ...specState(), version: "1.1.0" };
    expect(paths(failWith(parseVda5050Message(topicOf("state"), v1), "InvalidInput"))).toEqual(["version"]);
    expect(paths(failWith(parseVda5050Message("uagv/v1/KUKA/0001/state", specState()), "InvalidInput"))).toEqual(["majorVersion"]);
  });
});

describe("VDA 5050 topics", () => {
  it("writes and reads interfaceName/majorVersion/manufacturer/serialNumber/topic", () => {
    const topic = ok(vda5050Topic({ manufacturer: "KUKA", serialNumber: "0001", topic: "order" }));
    expect(topic).toBe("uagv/v2/KUKA/0001/order");
    expect(ok(parseVda5050Topic(topic))).toEqual({ interfaceName: "uagv", majorVersion: "v2", manufacturer: "KUKA", serialNumber: "0001", topic: "order" });
  });

  it("refuses levels that cannot be topic levels, unknown subtopics and wrong level counts", () => {
    expect(paths(failWith(vda5050Topic({ manufacturer: "A/B", serialNumber: "1", topic: "state" }), "InvalidInput"))).toEqual(["manufacturer"]);
    expect(paths(failWith(vda5050Topic({ manufacturer: "A", serialNumber: "S N", topic: "state" }), "InvalidInput"))).toEqual(["serialNumber"]);
    expect(paths(failWith(parseVda5050Topic("uagv/v2/KUKA/0001/orders"), "InvalidInput"))).toEqual(["topic"]);
    expect(paths(failWith(parseVda5050Topic("uagv/v2/KUKA/order"), "InvalidInput"))).toEqual([""]);
    expect(paths(failWith(parseVda5050Topic("uagv/2/KUKA/0001/order"), "InvalidInput"))).toEqual(["majorVersion"]);
  });

  it("round-trips any valid levels (property)", () => {
    const level = fc.stringMatching(/^[A-Za-z0-9 _.:-]{1,12}$/).filter((s) => !s.includes("/"));
    fc.assert(
      fc.property(
        fc.record({
          interfaceName: level,
          majorVersion: fc.nat(99).map((n) => `v${n}`),
          manufacturer: level,
          serialNumber: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/),
          topic: fc.constantFrom<Vda5050Subtopic>("order", "instantActions", "state", "visualization", "connection", "factsheet"),
        }),
        (parts) => {
          expect(ok(parseVda5050Topic(ok(vda5050Topic(parts))))).toEqual(parts);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("counts headerIds per topic, from 0, wrapping after uint32", () => {
    const a = nextHeaderId({}, "uagv/v2/KUKA/0001/order");
    expect(a.headerId).toBe(0);
    const b = nextHeaderId(a.counters, "uagv/v2/KUKA/0001/order");
    expect(b.headerId).toBe(1);
    expect(nextHeaderId(b.counters, "uagv/v2/KUKA/0002/order").headerId).toBe(0);
    expect(nextHeaderId({ t: 4_294_967_295 }, "t").counters.t).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// order builder
// ---------------------------------------------------------------------------------------------

/*
 *   D(0,10) ---- C(10,10) ---- F(20,10)
 *     |        /    |            |
 *     |  diag /     |            |
 *   A(0,0) ---- B(10,0) ---- E(20,-2)
 *
 * A→F: A-C-F = 14.142 + 10 = 24.142 (shortest); A-B-C-F = 30; A-B-E-F = 10 + 10.198 + 12.042 = 32.24.
 */
const site: SiteGraphInput = {
  nodes: [
    { id: "A", x: 0, y: 0, mapId: "hall" },
    { id: "B", x: 10, y: 0, mapId: "hall" },
    { id: "C", x: 10, y: 10, mapId: "hall" },
    { id: "D", x: 0, y: 10, mapId: "hall", theta: 0 },
    { id: "E", x: 20, y: -2, mapId: "hall" },
    { id: "F", x: 20, y: 10, mapId: "hall" },
  ],
  edges: [
    { id: "e-AB", from: "A", to: "B" },
    { id: "e-BC", from: "B", to: "C" },
    { id: "e-CD", from: "C", to: "D" },
    { id: "e-AD", from: "A", to: "D" },
    { id: "e-BE", from: "B", to: "E", maxSpeed: 1.5 },
    { id: "e-EF", from: "E", to: "F" },
    { id: "e-CF", from: "C", to: "F", maxSpeed: 1.2 },
    { id: "e-AC", from: "A", to: "C" },
  ],
};
const withoutDiagonal: SiteGraphInput = { ...site, edges: site.edges.filter((e) => e.id !== "e-AC") };

const request = (over: Partial<TransferOrderRequestInput> = {}): TransferOrderRequestInput => ({
  orderId: "TO-1",
  agv: { manufacturer: "KUKA", serialNumber: "0001" },
  timestamp: "2024-05-06T16:00:00+08:00",
  from: { warehouse: "W1", location: "A-01", nodeId: "A", stationType: "floor", stationName: "A-01" },
  to: { warehouse: "W1", location: "F-07", nodeId: "F", stationType: "rack", height: 1.2 },
  load: { loadType: "EPAL", loadId: "SSCC-376123450000000018" },
  startNodeId: "D",
  releasedNodes: 2,
  ...over,
});

describe("transfer order builder", () => {
  it("routes D → A (pick) → C → F (drop) on the shortest path, base D, A and horizon C, F", () => {
    const built = ok(buildTransferOrder(site, request(), {}));
    const { order } = built;
    expect(built.topic).toBe("uagv/v2/KUKA/0001/order");
    expect(built.counters).toEqual({ "uagv/v2/KUKA/0001/order": 1 });
    expect(order.headerId).toBe(0);
    expect(order.timestamp).toBe("2024-05-06T08:00:00.000Z");
    expect(order.version).toBe("2.0.0");
    expect(order.orderUpdateId).toBe(0);
    expect(built.route.nodeIds).toEqual(["D", "A", "C", "F"]);
    expect(built.route.length).toBeCloseTo(10 + Math.SQRT2 * 10 + 10, 9);
    expect(order.nodes.map((n) => [n.nodeId, n.sequenceId, n.released])).toEqual([
      ["D", 0, true],
      ["A", 2, true],
      ["C", 4, false],
      ["F", 6, false],
    ]);
    // e-AD is configured A → D and travelled backwards: same id, ends swapped.
    expect(order.edges.map((e) => [e.edgeId, e.sequenceId, e.released, e.startNodeId, e.endNodeId, e.maxSpeed])).toEqual([
      ["e-AD", 1, true, "D", "A", undefined],
      ["e-AC", 3, false, "A", "C", undefined],
      ["e-CF", 5, false, "C", "F", 1.2],
    ]);
    expect(order.nodes[0]!.nodePosition).toEqual({ x: 0, y: 10, theta: 0, mapId: "hall" });
    expect(order.nodes.map((n) => n.actions.map((a) => a.actionType))).toEqual([[], ["pick"], [], ["drop"]]);
    expect(order.nodes[1]!.actions[0]).toEqual({
      actionId: "TO-1-pick",
      actionType: "pick",
      blockingType: "HARD",
      actionParameters: [
        { key: "stationType", value: "floor" },
        { key: "stationName", value: "A-01" },
        { key: "loadType", value: "EPAL" },
        { key: "loadId", value: "SSCC-376123450000000018" },
      ],
    });
    expect(order.nodes[3]!.actions[0]).toEqual({
      actionId: "TO-1-drop",
      actionType: "drop",
      blockingType: "HARD",
      actionParameters: [
        { key: "stationType", value: "rack" },
        { key: "loadType", value: "EPAL" },
        { key: "loadId", value: "SSCC-376123450000000018" },
        { key: "height", value: 1.2 },
      ],
    });
    expect(built.transfer).toEqual({
      orderId: "TO-1",
      from: { warehouse: "W1", location: "A-01", nodeId: "A" },
      to: { warehouse: "W1", location: "F-07", nodeId: "F" },
      pickActionId: "TO-1-pick",
      dropActionId: "TO-1-drop",
      loadType: "EPAL",
      loadId: "SSCC-376123450000000018",
    });
    // The order is a valid wire message.
    ok(parseVda5050Message(built.topic, JSON.stringify(order)));
  });

  it("starts at the source by default, releases everything by default and uses the next headerId", () => {
    const built = ok(buildTransferOrder(site, request({ startNodeId: undefined, releasedNodes: undefined }), { "uagv/v2/KUKA/0001/order": 41 }));
    expect(built.order.headerId).toBe(41);
    expect(built.order.nodes.map((n) => n.nodeId)).toEqual(["A", "C", "F"]);
    expect(built.order.nodes.every((n) => n.released) && built.order.edges.every((e) => e.released)).toBe(true);
    expect(built.order.nodes[0]!.actions.map((a) => a.actionId)).toEqual(["TO-1-pick"]);
  });

  it("refuses unknown nodes, unreachable destinations and invalid graphs with typed errors", () => {
    expect(failWith(buildTransferOrder(site, request({ to: { warehouse: "W1", nodeId: "Z" } }), {}), "UnknownReference").path).toBe("to.nodeId");
    const island: SiteGraphInput = { nodes: [...site.nodes, { id: "G", x: 50, y: 50, mapId: "hall" }], edges: site.edges };
    const noRoute = failWith(buildTransferOrder(island, request({ to: { warehouse: "W1", nodeId: "G" } }), {}), "NoRouteFound");
    expect([noRoute.from, noRoute.to]).toEqual(["A", "G"]);
    const oneWay: SiteGraphInput = { nodes: site.nodes.slice(0, 2), edges: [{ id: "e", from: "A", to: "B", oneWay: true }] };
    expect(ok(shortestSiteRoute(oneWay, "A", "B")).nodeIds).toEqual(["A", "B"]);
    failWith(shortestSiteRoute(oneWay, "B", "A"), "NoRouteFound");
    const dup: SiteGraphInput = { nodes: site.nodes, edges: [...site.edges, { id: "e-AB", from: "B", to: "X" }] };
    expect(paths(failWith(buildTransferOrder(dup, request(), {}), "InvalidInput"))).toEqual(["edges.8.id", "edges.8.to"]);
    const noStation = request();
    delete (noStation.from as { stationType?: string }).stationType;
    expect(paths(failWith(buildTransferOrder(site, noStation, {}), "InvalidInput"))).toEqual(["from.stationType"]);
    expect(paths(failWith(buildTransferOrder(site, request({ agv: { manufacturer: "A/B", serialNumber: "1" } }), {}), "InvalidInput"))).toEqual([
      "agv.manufacturer",
    ]);
  });
});

describe("order updates", () => {
  const first = () => ok(buildTransferOrder(site, request(), {}));

  it("extends the horizon: stitching node A resent, orderUpdateId + 1, sequence ids kept, next headerId", () => {
    const built = first();
    const update = ok(updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "extend", releasedNodes: 2 } }, built.counters));
    expect(update.order.orderId).toBe("TO-1");
    expect(update.order.orderUpdateId).toBe(1);
    expect(update.order.headerId).toBe(1);
    expect(update.order.nodes.map((n) => [n.nodeId, n.sequenceId, n.released])).toEqual([
      ["A", 2, true],
      ["C", 4, true],
      ["F", 6, false],
    ]);
    expect(update.order.edges.map((e) => [e.edgeId, e.sequenceId, e.released])).toEqual([
      ["e-AC", 3, true],
      ["e-CF", 5, false],
    ]);
    // The stitching node is resent unchanged, pick action included.
    expect(update.order.nodes[0]).toEqual(built.order.nodes[1]);
    const last = ok(updateOrder(update.order, { timestamp: "2024-05-06T08:02:00Z", change: { kind: "extend" } }, update.counters));
    expect(last.order.orderUpdateId).toBe(2);
    expect(last.order.headerId).toBe(2);
    expect(last.order.nodes.map((n) => [n.nodeId, n.sequenceId, n.released])).toEqual([
      ["C", 4, true],
      ["F", 6, true],
    ]);
    // Nothing left to extend.
    expect(paths(failWith(updateOrder(last.order, { timestamp: "2024-05-06T08:03:00Z", change: { kind: "extend" } }, last.counters), "InvalidInput"))).toEqual([
      "change.kind",
    ]);
  });

  it("replaces the horizon around a blocked edge, carrying the drop to the destination", () => {
    const built = first();
    const update = ok(updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "replace", graph: withoutDiagonal, releasedNodes: 3 } }, built.counters));
    expect(update.order.nodes.map((n) => [n.nodeId, n.sequenceId, n.released, n.actions.map((a) => a.actionId)])).toEqual([
      ["A", 2, true, ["TO-1-pick"]],
      ["B", 4, true, []],
      ["C", 6, true, []],
      ["F", 8, false, ["TO-1-drop"]],
    ]);
    expect(update.order.edges.map((e) => [e.edgeId, e.sequenceId, e.released])).toEqual([
      ["e-AB", 3, true],
      ["e-BC", 5, true],
      ["e-CF", 7, false],
    ]);
  });

  it("routes a replaced horizon through the pick node when the pick was still in the horizon", () => {
    const built = ok(buildTransferOrder(site, request({ releasedNodes: 1 }), {}));
    const update = ok(updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "replace", graph: withoutDiagonal } }, built.counters));
    expect(update.order.nodes.map((n) => [n.nodeId, n.sequenceId, n.actions.map((a) => a.actionType)])).toEqual([
      ["D", 0, []],
      ["A", 2, ["pick"]],
      ["B", 4, []],
      ["C", 6, []],
      ["F", 8, ["drop"]],
    ]);
    // An explicit path that skips the pick node is refused.
    const skip = updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "replace", graph: site, path: ["D", "C", "F"] } }, built.counters);
    expect(paths(failWith(skip, "InvalidInput"))).toEqual(["change.path"]);
  });

  it("refuses an update that does not start at the stitching node", () => {
    const built = first();
    const wrongSeq = failWith(
      updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", stitch: { nodeId: "A", sequenceId: 0 }, change: { kind: "extend" } }, built.counters),
      "StitchingNodeMismatch",
    );
    expect(wrongSeq.expected).toEqual({ nodeId: "A", sequenceId: 2 });
    expect(wrongSeq.path).toBe("stitch");
    const wrongPath = failWith(
      updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "replace", graph: site, path: ["C", "F"] } }, built.counters),
      "StitchingNodeMismatch",
    );
    expect(wrongPath.path).toBe("change.path.0");
    const disconnected = updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "replace", graph: site, path: ["A", "F"] } }, built.counters);
    expect(paths(failWith(disconnected, "InvalidInput"))).toEqual(["change.path.1"]);
  });

  it("merges the spec's update (Figure 6) onto Figure 5 and refuses a mismatched stitching node", () => {
    const previous = ok(Result.map(parseVda5050Message(topicOf("order"), specOrder()), (m) => m.message as Vda5050Order));
    const update = ok(Result.map(parseVda5050Message(topicOf("order"), specOrderUpdate()), (m) => m.message as Vda5050Order));
    const merged = ok(mergeOrderUpdate(previous, update));
    expect(merged.orderUpdateId).toBe(1);
    expect(merged.nodes.map((n) => [n.nodeId, n.sequenceId, n.released])).toEqual([
      ["6", 0, true],
      ["4", 2, true],
      ["7", 4, true],
      ["2", 6, true],
      ["8", 8, true],
      ["9", 10, false],
    ]);
    expect(merged.edges.map((e) => e.edgeId)).toEqual(["e1", "e3", "e8", "e9", "e10"]);
    const shifted = { ...update, nodes: [{ ...update.nodes[0]!, nodeId: "4", sequenceId: 2 }, ...update.nodes.slice(1)] };
    const e = failWith(mergeOrderUpdate(previous, shifted), "StitchingNodeMismatch");
    expect(e.expected).toEqual({ nodeId: "7", sequenceId: 4 });
    expect(paths(failWith(mergeOrderUpdate(previous, { ...update, orderUpdateId: 0 }), "InvalidInput"))).toEqual(["orderUpdateId"]);
  });
});

// ---------------------------------------------------------------------------------------------
// state tracking
// ---------------------------------------------------------------------------------------------

type ActionStates = Vda5050State["actionStates"];

const agvState = (
  headerId: number,
  second: number,
  over: Partial<Vda5050State> & { actions?: Record<string, ActionStates[number]["actionStatus"]> } = {},
): Vda5050State => {
  const { actions, ...rest } = over;
  return {
    ...header(headerId, `2024-05-06T08:00:${String(second).padStart(2, "0")}.00Z`),
    orderId: "TO-1",
    orderUpdateId: 0,
    lastNodeId: "D",
    lastNodeSequenceId: 0,
    nodeStates: [],
    edgeStates: [],
    driving: false,
    actionStates: Object.entries(actions ?? {}).map(([actionId, actionStatus]) => ({ actionId, actionStatus })),
    batteryState: { batteryCharge: 80, charging: false },
    operatingMode: "AUTOMATIC",
    errors: [],
    safetyState: { eStop: "NONE", fieldViolation: false },
    ...rest,
  };
};

const connection = (headerId: number, second: number, connectionState: Vda5050Connection["connectionState"]): Vda5050Connection => ({
  ...header(headerId, `2024-05-06T08:00:${String(second).padStart(2, "0")}.00Z`),
  connectionState,
});

const tracked = (): OrderTracking => {
  const built = ok(buildTransferOrder(site, request({ releasedNodes: undefined }), {}));
  return startOrderTracking(built.order, built.transfer);
};

const feed = (start: OrderTracking, ...states: Vda5050State[]) =>
  states.reduce<{ tracking: OrderTracking; outcomes: string[] }>(
    (acc, s) => {
      const step = applyAgvState(acc.tracking, s);
      return { tracking: step.tracking, outcomes: [...acc.outcomes, step.outcome] };
    },
    { tracking: start, outcomes: [] },
  );

describe("order state tracking", () => {
  it("reports progress node by node and action by action until done", () => {
    let t = tracked();
    expect(taskProgress(t)).toMatchObject({ orderId: "TO-1", lastNodeId: "", percent: 0, done: false, failed: false });
    t = applyAgvState(t, agvState(1, 1, { actions: { "TO-1-pick": "WAITING", "TO-1-drop": "WAITING" } })).tracking;
    let p = taskProgress(t);
    expect(p.reachedNodes.map((n) => n.nodeId)).toEqual(["D"]);
    expect(p.remainingNodes.map((n) => n.nodeId)).toEqual(["A", "C", "F"]);
    expect(p.percent).toBe(16); // 1 of 4 nodes + 2 actions
    t = applyAgvState(t, agvState(2, 2, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "RUNNING" } })).tracking;
    p = taskProgress(t);
    expect(p.actions).toEqual([
      { actionId: "TO-1-pick", actionType: "pick", status: "RUNNING" },
      { actionId: "TO-1-drop", actionType: "drop", status: "WAITING" },
    ]);
    expect(p.percent).toBe(33);
    t = applyAgvState(t, agvState(3, 3, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "FINISHED" } })).tracking;
    expect(taskProgress(t).percent).toBe(50);
    t = applyAgvState(t, agvState(4, 4, { lastNodeId: "F", lastNodeSequenceId: 6, actions: { "TO-1-pick": "FINISHED", "TO-1-drop": "RUNNING" } })).tracking;
    expect(taskProgress(t)).toMatchObject({ percent: 83, done: false });
    t = applyAgvState(t, agvState(5, 5, { lastNodeId: "F", lastNodeSequenceId: 6, actions: { "TO-1-drop": "FINISHED" } })).tracking;
    p = taskProgress(t);
    expect(p).toMatchObject({ lastNodeId: "F", lastNodeSequenceId: 6, percent: 100, done: true, failed: false });
    expect(p.remainingNodes).toEqual([]);
    expect(t.completedAt).toBe("2024-05-06T08:00:05.00Z");
  });

  it("ignores stale headerIds, out-of-order timestamps and other AGVs", () => {
    const { tracking, outcomes } = feed(
      tracked(),
      agvState(5, 10, { lastNodeId: "A", lastNodeSequenceId: 2 }),
      agvState(5, 11, { lastNodeId: "C", lastNodeSequenceId: 4 }), // same headerId
      agvState(4, 12, { lastNodeId: "C", lastNodeSequenceId: 4 }), // lower headerId
      agvState(9, 9, { lastNodeId: "C", lastNodeSequenceId: 4 }), // earlier timestamp
      { ...agvState(10, 13, { lastNodeId: "C", lastNodeSequenceId: 4 }), serialNumber: "0002" },
    );
    expect(outcomes).toEqual(["applied", "stale", "stale", "out-of-order", "other-agv"]);
    expect(taskProgress(tracking).lastNodeId).toBe("A");
    expect(tracking.ignoredMessages).toBe(4);
    // Finished and failed action states are final; a reported lower lastNodeSequenceId does not undo reached nodes.
    const later = feed(
      tracking,
      agvState(6, 14, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "FINISHED" } }),
      agvState(7, 15, { lastNodeId: "D", lastNodeSequenceId: 0, actions: { "TO-1-pick": "RUNNING" } }),
    ).tracking;
    expect(taskProgress(later).reachedNodes.map((n) => n.nodeId)).toEqual(["D", "A"]);
    expect(taskProgress(later).actions[0]!.status).toBe("FINISHED");
  });

  it("fails the task when an action fails, and refuses its transfer document", () => {
    const { tracking } = feed(
      tracked(),
      agvState(1, 1, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "RUNNING" } }),
      agvState(2, 2, {
        lastNodeId: "A",
        lastNodeSequenceId: 2,
        actions: { "TO-1-pick": "FAILED" },
        errors: [{ errorType: "pickFailed", errorLevel: "WARNING", errorReferences: [{ referenceKey: "actionId", referenceValue: "TO-1-pick" }] }],
      }),
    );
    expect(taskProgress(tracking)).toMatchObject({ done: false, failed: true });
    expect(tracking.errors.warnings.map((e) => e.errorType)).toEqual(["pickFailed"]);
    const e = failWith(transferDocumentFromOrder(tracking, { id: "TR-1", businessId: "B-1", lines: [{ item: "SKU-1", qty: "12" }] }), "TaskNotFinished");
    expect(e.failed).toBe(true);
  });

  it("fails the task while a FATAL error is active; warnings do not", () => {
    const fatal = { errorType: "laserScannerContaminated", errorLevel: "FATAL" as const, errorDescription: "clean the scanner" };
    let t = applyAgvState(tracked(), agvState(1, 1, { errors: [{ errorType: "batteryLow", errorLevel: "WARNING" }] })).tracking;
    expect(taskProgress(t).failed).toBe(false);
    t = applyAgvState(t, agvState(2, 2, { errors: [fatal] })).tracking;
    expect(t.errors.fatal).toEqual([fatal]);
    expect(taskProgress(t).failed).toBe(true);
    t = applyAgvState(t, agvState(3, 3, { errors: [] })).tracking;
    expect(taskProgress(t).failed).toBe(false);
    // A FATAL error reported while the AGV still holds another order also counts.
    const other = applyAgvState(tracked(), agvState(1, 1, { orderId: "", errors: [fatal] }));
    expect(other.outcome).toBe("other-order");
    expect(taskProgress(other.tracking).failed).toBe(true);
  });

  it("reports connection loss: CONNECTIONBROKEN (an outdated last will) applies; ONLINE restarts the headerIds", () => {
    let t = tracked();
    expect(t.connection).toBe("UNKNOWN");
    t = applyAgvConnection(t, connection(0, 1, "ONLINE")).tracking;
    t = applyAgvState(t, agvState(40, 2, { lastNodeId: "A", lastNodeSequenceId: 2 })).tracking;
    const broken = applyAgvConnection(t, connection(0, 0, "CONNECTIONBROKEN"));
    expect(broken.outcome).toBe("applied");
    t = broken.tracking;
    expect(isConnectionLost(t)).toBe(true);
    expect(t.connection).toBe("CONNECTIONBROKEN");
    expect(applyAgvConnection(t, connection(0, 0, "ONLINE")).outcome).toBe("out-of-order");
    // The AGV restarted: its counters begin again.
    expect(applyAgvState(t, agvState(1, 8, { lastNodeId: "C", lastNodeSequenceId: 4 })).outcome).toBe("stale");
    t = applyAgvConnection(t, connection(0, 7, "ONLINE")).tracking;
    expect(isConnectionLost(t)).toBe(false);
    const after = applyAgvState(t, agvState(1, 8, { lastNodeId: "C", lastNodeSequenceId: 4 }));
    expect(after.outcome).toBe("applied");
    expect(taskProgress(after.tracking).lastNodeId).toBe("C");
    t = applyAgvConnection(after.tracking, connection(1, 9, "OFFLINE")).tracking;
    expect(t.connection).toBe("OFFLINE");
    expect(isConnectionLost(t)).toBe(true);
  });

  it("follows order updates through decoded messages", () => {
    const built = ok(buildTransferOrder(site, request(), {}));
    const start = startOrderTracking(built.order, built.transfer);
    const update = ok(updateOrder(built.order, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "replace", graph: withoutDiagonal } }, built.counters));
    const decoded = ok(parseVda5050Message(update.topic, JSON.stringify(update.order)));
    const step = ok(applyVda5050Message(start, decoded));
    expect(step.tracking.order.nodes.map((n) => n.nodeId)).toEqual(["D", "A", "B", "C", "F"]);
    expect(step.tracking.order.nodes.every((n) => n.released)).toBe(true);
    const state = ok(parseVda5050Message(topicOf("state"), agvState(1, 1, { lastNodeId: "B", lastNodeSequenceId: 4 })));
    const progressed = ok(applyVda5050Message(step.tracking, state));
    expect(taskProgress(progressed.tracking).reachedNodes.map((n) => n.nodeId)).toEqual(["D", "A", "B"]);
    expect(failWith(applyOrderUpdate(start, { ...update.order, nodes: update.order.nodes.slice(1), edges: update.order.edges.slice(1) }), "StitchingNodeMismatch").path).toBe(
      "nodes.0",
    );
  });
});

describe("transfer document of a done order", () => {
  const done = () =>
    feed(
      tracked(),
      agvState(1, 1, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "FINISHED" } }),
      agvState(2, 2, { lastNodeId: "F", lastNodeSequenceId: 4 + 2, actions: { "TO-1-drop": "FINISHED" } }),
    ).tracking;

  it("maps the pick and drop places into a core transfer document, valid for StockDocumentSchema", () => {
    const doc = ok(
      transferDocumentFromOrder(done(), {
        id: "TR-1",
        businessId: "B-1",
        lines: [
          { item: "SKU-1", qty: "12" },
          { item: "SKU-2", qty: "0.5", unit: "kg", lot: "L-7" },
        ],
      }),
    );
    expect(doc).toEqual({
      id: "TR-1",
      businessId: "B-1",
      at: "2024-05-06T08:00:02.00Z",
      memo: "VDA 5050 order TO-1",
      type: "transfer",
      lines: [
        { item: "SKU-1", qty: "12", from: { warehouse: "W1", location: "A-01" }, to: { warehouse: "W1", location: "F-07" } },
        { item: "SKU-2", qty: "0.5", unit: "kg", lot: "L-7", from: { warehouse: "W1", location: "A-01" }, to: { warehouse: "W1", location: "F-07" } },
      ],
    });
    expect(StockDocumentSchema.safeParse(doc).success).toBe(true);
  });

  it("names the field core refuses and refuses an unfinished order", () => {
    const bad = transferDocumentFromOrder(done(), { id: "TR-1", businessId: "B-1", at: "2024-05-06T16:00:00+08:00", lines: [{ item: "SKU-1", qty: "0" }] });
    expect(paths(failWith(bad, "InvalidInput"))).toEqual(["lines.0.qty"]);
    const e = failWith(transferDocumentFromOrder(tracked(), { id: "TR-1", businessId: "B-1", lines: [{ item: "SKU-1", qty: "1" }] }), "TaskNotFinished");
    expect(e).toMatchObject({ orderId: "TO-1", percent: 0, failed: false });
  });
});

// ---------------------------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------------------------

interface RandomSite {
  readonly graph: SiteGraphInput;
  readonly n: number;
}

/** Connected site graphs: a two-way spanning tree plus random extra edges (some one-way). */
const randomSite: fc.Arbitrary<RandomSite> = fc.integer({ min: 2, max: 10 }).chain((n) =>
  fc
    .record({
      points: fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), { minLength: n, maxLength: n }),
      parents: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
      extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.boolean(), fc.option(fc.double({ min: 0.1, max: 3, noNaN: true }), { nil: undefined })), {
        maxLength: 2 * n,
      }),
    })
    .map(({ points, parents, extra }) => {
      const nodes = points.map(([x, y], i) => ({ id: `N${i}`, x, y, mapId: i % 3 === 0 ? "m1" : "m2" }));
      const tree = parents.map((p, k) => ({ id: `T${k + 1}`, from: `N${p % (k + 1)}`, to: `N${k + 1}` }));
      const more = extra
        .filter(([a, b]) => a !== b)
        .map(([a, b, oneWay, maxSpeed], k) => ({ id: `X${k}`, from: `N${a}`, to: `N${b}`, oneWay, ...(maxSpeed === undefined ? {} : { maxSpeed }) }));
      return { graph: { nodes, edges: [...tree, ...more] }, n };
    }),
);

/** All-pairs shortest distances (Floyd–Warshall), the reference for Dijkstra. */
const distances = (graph: SiteGraphInput): number[][] => {
  const n = graph.nodes.length;
  const idx = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (const e of graph.edges) {
    const a = idx.get(e.from)!;
    const b = idx.get(e.to)!;
    const na = graph.nodes[a]!;
    const nb = graph.nodes[b]!;
    const len = Math.hypot(nb.x - na.x, nb.y - na.y);
    d[a]![b] = Math.min(d[a]![b]!, len);
    if (e.oneWay !== true) d[b]![a] = Math.min(d[b]![a]!, len);
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i]![k]! + d[k]![j]! < d[i]![j]!) d[i]![j] = d[i]![k]! + d[k]![j]!;
  return d;
};

const transferCase = randomSite.chain((site) =>
  fc.record({
    site: fc.constant(site),
    source: fc.nat(site.n - 1),
    destination: fc.nat(site.n - 1),
    start: fc.option(fc.nat(site.n - 1), { nil: undefined }),
    releasedNodes: fc.option(fc.integer({ min: 1, max: 2 * site.n + 2 }), { nil: undefined }),
  }),
);

interface TransferCase {
  readonly site: RandomSite;
  readonly source: number;
  readonly destination: number;
  readonly start: number | undefined;
  readonly releasedNodes: number | undefined;
}

const buildCase = (c: TransferCase) =>
  buildTransferOrder(
    c.site.graph,
    {
      orderId: "P-1",
      agv: { manufacturer: "ACME", serialNumber: "7" },
      timestamp: "2024-05-06T08:00:00Z",
      from: { warehouse: "W", nodeId: `N${c.source}`, stationType: "floor" },
      to: { warehouse: "W", nodeId: `N${c.destination}` },
      load: { loadType: "EPAL" },
      ...(c.start === undefined ? {} : { startNodeId: `N${c.start}` }),
      ...(c.releasedNodes === undefined ? {} : { releasedNodes: c.releasedNodes }),
    },
    {},
  );

describe("properties", () => {
  it("every built order on a connected graph is a well-formed, shortest, real route from source to destination", () => {
    fc.assert(
      fc.property(transferCase, (c) => {
        const built = ok(buildCase(c));
        const { order, route } = built;
        const { nodes, edges } = order;
        expect(edges.length).toBe(nodes.length - 1);
        nodes.forEach((node, k) => expect(node.sequenceId).toBe(2 * k));
        edges.forEach((edge, k) => {
          expect(edge.sequenceId).toBe(2 * k + 1);
          expect(edge.startNodeId).toBe(nodes[k]!.nodeId);
          expect(edge.endNodeId).toBe(nodes[k + 1]!.nodeId);
          const configured = c.site.graph.edges.find((e) => e.id === edge.edgeId)!;
          const forward = configured.from === edge.startNodeId && configured.to === edge.endNodeId;
          const backward = configured.to === edge.startNodeId && configured.from === edge.endNodeId && configured.oneWay !== true;
          expect(forward || backward).toBe(true);
        });
        const startId = `N${c.start ?? c.source}`;
        expect(nodes[0]!.nodeId).toBe(startId);
        expect(nodes[nodes.length - 1]!.nodeId).toBe(`N${c.destination}`);
        const pickAt = nodes.findIndex((n) => n.actions.some((a) => a.actionType === "pick"));
        const dropAt = nodes.findIndex((n) => n.actions.some((a) => a.actionType === "drop"));
        expect(nodes[pickAt]!.nodeId).toBe(`N${c.source}`);
        expect(dropAt).toBe(nodes.length - 1);
        expect(pickAt).toBeLessThanOrEqual(dropAt);
        expect(nodes.flatMap((n) => n.actions).every((a) => a.blockingType === "HARD")).toBe(true);
        const released = Math.min(c.releasedNodes ?? nodes.length, nodes.length);
        expect(nodes.map((n) => n.released)).toEqual(nodes.map((_, k) => k < released));
        expect(edges.map((e) => e.released)).toEqual(edges.map((_, k) => k + 1 < released));
        const d = distances(c.site.graph);
        const s = c.start ?? c.source;
        const best = d[s]![c.source]! + d[c.source]![c.destination]!;
        expect(Math.abs(route.length - best)).toBeLessThanOrEqual(1e-9 * Math.max(1, best));
        expect(Result.isSuccess(parseVda5050Message(built.topic, JSON.stringify(order)))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("releasing the horizon step by step rebuilds the whole route with unchanged sequence ids", () => {
    fc.assert(
      fc.property(transferCase, fc.integer({ min: 2, max: 4 }), (c, step) => {
        const built = ok(buildCase({ ...c, releasedNodes: 1 }));
        let tracking = startOrderTracking(built.order, built.transfer);
        let current = built.order;
        let counters = built.counters;
        while (current.nodes.some((n) => !n.released)) {
          const update = ok(updateOrder(current, { timestamp: "2024-05-06T08:01:00Z", change: { kind: "extend", releasedNodes: step } }, counters));
          expect(update.order.orderUpdateId).toBe(current.orderUpdateId + 1);
          tracking = ok(applyOrderUpdate(tracking, update.order));
          current = update.order;
          counters = update.counters;
        }
        const merged = tracking.order;
        expect(merged.nodes.map((n) => [n.nodeId, n.sequenceId])).toEqual(built.order.nodes.map((n) => [n.nodeId, n.sequenceId]));
        expect(merged.edges.map((e) => [e.edgeId, e.sequenceId])).toEqual(built.order.edges.map((e) => [e.edgeId, e.sequenceId]));
        expect(merged.nodes.every((n) => n.released)).toBe(true);
        expect(Vda5050OrderSchema.safeParse(merged).success).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("progress never goes back, whatever order the states arrive in", () => {
    const built = ok(buildTransferOrder(site, request({ releasedNodes: undefined }), {}));
    const sequence: Vda5050State[] = [
      agvState(1, 1, { actions: { "TO-1-pick": "WAITING", "TO-1-drop": "WAITING" } }),
      agvState(2, 2, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "RUNNING" } }),
      agvState(3, 3, { lastNodeId: "A", lastNodeSequenceId: 2, actions: { "TO-1-pick": "FINISHED" } }),
      agvState(4, 4, { lastNodeId: "C", lastNodeSequenceId: 4 }),
      agvState(5, 5, { lastNodeId: "F", lastNodeSequenceId: 6, actions: { "TO-1-drop": "RUNNING" } }),
      agvState(6, 6, { lastNodeId: "F", lastNodeSequenceId: 6, actions: { "TO-1-drop": "FINISHED" } }),
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...sequence), { maxLength: 12 }), (delivered) => {
        let tracking = startOrderTracking(built.order, built.transfer);
        let percent = 0;
        for (const state of delivered) {
          tracking = applyAgvState(tracking, state).tracking;
          const p = taskProgress(tracking);
          expect(p.percent).toBeGreaterThanOrEqual(percent);
          expect(p.percent === 100).toBe(p.done);
          percent = p.percent;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("parseVda5050Message never throws on random topics and payloads", () => {
    const subtopics: Vda5050Subtopic[] = ["order", "instantActions", "state", "visualization", "connection", "factsheet"];
    const templates: Record<Vda5050Subtopic, Record<string, unknown>> = {
      order: specOrder(),
      instantActions: { ...header(3), actions: [{ actionType: "cancelOrder", actionId: "c-1", blockingType: "HARD" }] },
      state: specState(),
      visualization: { ...header(4), agvPosition: { x: 1, y: 2, theta: 0, mapId: "hall", positionInitialized: true } },
      connection: { ...header(0), connectionState: "ONLINE" },
      factsheet: specFactsheet(),
    };
    /** A valid message with one top-level field replaced by random JSON. */
    const mutated = fc
      .tuple(fc.constantFrom(...subtopics), fc.jsonValue(), fc.nat())
      .map(([subtopic, value, k]) => {
        const template = templates[subtopic];
        const keys = Object.keys(template);
        return { subtopic, payload: { ...template, [keys[k % keys.length]!]: value } as unknown };
      });
    const topic = fc.oneof(fc.constantFrom(...subtopics).map(topicOf), fc.string(), fc.constant("uagv/v2/KUKA/0001/"));
    const payload = fc.oneof(fc.json(), fc.jsonValue(), fc.string(), fc.uint8Array({ maxLength: 64 }), fc.anything());
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(topic, payload),
          mutated.map(({ subtopic, payload }) => [topicOf(subtopic), payload] as const),
          mutated.map(({ subtopic, payload }) => [topicOf(subtopic), JSON.stringify(payload)] as const),
        ),
        ([t, p]) => {
          const result = parseVda5050Message(t, p);
          if (Result.isFailure(result)) {
            expect(result.failure._tag).toBe("InvalidInput");
            expect(Array.isArray(result.failure.issues)).toBe(true);
          } else {
            expect(subtopics).toContain(result.success.subtopic);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
