/**
 * VDA 5050 (version 2.x) — the interface between a master control and automated guided vehicles
 * (AGVs, 自动导引车): the zod schemas of its MQTT messages (`order`, `instantActions`, `state`,
 * `connection`, `factsheet`, `visualization`), its topic structure
 * `interfaceName/majorVersion/manufacturer/serialNumber/topic`, and a decoder that turns a topic
 * and a payload into a typed message or an {@link InvalidInput} naming the field at fault.
 *
 * The schemas follow the tables of the VDA 5050 2.0/2.1 document and the JSON schemas published
 * with it. Every object is "loose": fields this module does not model are kept, so messages of a
 * later minor version (2.1 `corridor`, `maps`…) or vendor extensions pass through untouched.
 *
 * @module
 */
import { Result } from "effect";
import { z } from "zod";
import { InvalidInput, parseInput, type FieldIssue } from "@jxc/core";

/** The protocol version jxc writes into the headers of the messages it sends. */
export const VDA5050_VERSION = "2.0.0";

/** The largest `uint32`, the type of header ids and sequence ids. */
export const VDA5050_UINT32_MAX = 4_294_967_295;

const Uint32 = z.number().int().min(0).max(VDA5050_UINT32_MAX);
/** Angles in radians within [-π, π] (the bound of the published schemas). */
const Angle = z.number().min(-3.14159265359).max(3.14159265359);
const Id = z.string().min(1);
/** `[Major].[Minor].[Patch]`, e.g. `2.0.0`. */
const ProtocolVersion = z.string().regex(/^\d+\.\d+\.\d+$/, { message: "must be [Major].[Minor].[Patch], e.g. 2.0.0" });
/** ISO-8601 timestamp; the protocol writes UTC (`2017-04-15T11:40:03.12Z`), offsets are accepted. */
const Timestamp = z.iso.datetime({ offset: true });

/**
 * The protocol header every message starts with (it is not a JSON object of its own: the fields
 * sit at the top level of each message).
 */
export const Vda5050HeaderSchema = z.looseObject({
  /** Per topic, incremented by 1 with each sent (not necessarily received) message. */
  headerId: Uint32,
  /** ISO-8601 timestamp, UTC. */
  timestamp: Timestamp,
  /** Protocol version `[Major].[Minor].[Patch]`. */
  version: ProtocolVersion,
  /** Manufacturer of the AGV. */
  manufacturer: z.string(),
  /** Serial number of the AGV. */
  serialNumber: z.string(),
});
/** A parsed {@link Vda5050HeaderSchema}. */
export type Vda5050Header = z.output<typeof Vda5050HeaderSchema>;

const header = Vda5050HeaderSchema.shape;

// ---------------------------------------------------------------------------------------------
// order and instantActions
// ---------------------------------------------------------------------------------------------

/** A position on a map (`nodePosition`): metres and radians in the project's map coordinates. */
export const Vda5050NodePositionSchema = z.looseObject({
  x: z.number(),
  y: z.number(),
  /** Absolute orientation the AGV must assume on the node; omitted when the AGV may choose. */
  theta: Angle.optional(),
  /** Deviation radius (m) within which the node counts as traversed. */
  allowedDeviationXY: z.number().min(0).optional(),
  /** Allowed deviation of theta (rad), [0, π]. */
  allowedDeviationTheta: z.number().min(0).max(3.14159265359).optional(),
  mapId: z.string(),
  mapDescription: z.string().optional(),
});
/** A parsed {@link Vda5050NodePositionSchema}. */
export type Vda5050NodePosition = z.output<typeof Vda5050NodePositionSchema>;

/** `blockingType` of an action: NONE (drive and act), SOFT (no driving), HARD (nothing else at all). */
export const Vda5050BlockingTypeSchema = z.enum(["NONE", "SOFT", "HARD"]);
/** A parsed {@link Vda5050BlockingTypeSchema}. */
export type Vda5050BlockingType = z.output<typeof Vda5050BlockingTypeSchema>;

/** The JSON value of an action parameter: a string, number, boolean, array or object (never null). */
const ParameterValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** One `{ key, value }` action parameter, e.g. `{ "key": "loadType", "value": "EPAL" }`. */
export const Vda5050ActionParameterSchema = z.looseObject({ key: z.string().min(1), value: ParameterValue });
/** A parsed {@link Vda5050ActionParameterSchema}. */
export type Vda5050ActionParameter = z.output<typeof Vda5050ActionParameterSchema>;

/** An action on a node, on an edge or sent as an instant action (`pick`, `drop`, `startPause`…). */
export const Vda5050ActionSchema = z.looseObject({
  actionType: z.string().min(1),
  /** Unique id, mapped to the `actionState` of the same id in the AGV's state. */
  actionId: Id,
  actionDescription: z.string().optional(),
  blockingType: Vda5050BlockingTypeSchema,
  actionParameters: z.array(Vda5050ActionParameterSchema).optional(),
});
/** A parsed {@link Vda5050ActionSchema}. */
export type Vda5050Action = z.output<typeof Vda5050ActionSchema>;

/** A NURBS trajectory of an edge. */
export const Vda5050TrajectorySchema = z.looseObject({
  degree: z.number().min(1),
  knotVector: z.array(z.number().min(0).max(1)),
  controlPoints: z.array(z.looseObject({ x: z.number(), y: z.number(), weight: z.number().min(0).optional() })),
});
/** A parsed {@link Vda5050TrajectorySchema}. */
export type Vda5050Trajectory = z.output<typeof Vda5050TrajectorySchema>;

/** A node of an order: released (base) or not (horizon), with the actions to run on it. */
export const Vda5050NodeSchema = z.looseObject({
  nodeId: Id,
  /** Runs across the nodes and edges of one order: nodes even (0, 2, 4…), edges odd. */
  sequenceId: Uint32,
  nodeDescription: z.string().optional(),
  /** `true`: part of the base; `false`: part of the horizon. */
  released: z.boolean(),
  nodePosition: Vda5050NodePositionSchema.optional(),
  actions: z.array(Vda5050ActionSchema),
});
/** A parsed {@link Vda5050NodeSchema}. */
export type Vda5050Node = z.output<typeof Vda5050NodeSchema>;

/** A directed edge of an order, from `startNodeId` to `endNodeId`. */
export const Vda5050EdgeSchema = z.looseObject({
  edgeId: Id,
  sequenceId: Uint32,
  edgeDescription: z.string().optional(),
  released: z.boolean(),
  startNodeId: Id,
  endNodeId: Id,
  /** Permitted maximum speed on the edge, m/s. */
  maxSpeed: z.number().min(0).optional(),
  maxHeight: z.number().optional(),
  minHeight: z.number().optional(),
  orientation: Angle.optional(),
  orientationType: z.enum(["GLOBAL", "TANGENTIAL"]).optional(),
  direction: z.string().optional(),
  rotationAllowed: z.boolean().optional(),
  maxRotationSpeed: z.number().optional(),
  trajectory: Vda5050TrajectorySchema.optional(),
  /** Length of the path from start to end node, m. */
  length: z.number().min(0).optional(),
  actions: z.array(Vda5050ActionSchema),
});
/** A parsed {@link Vda5050EdgeSchema}. */
export type Vda5050Edge = z.output<typeof Vda5050EdgeSchema>;

/** The nodes and edges of an order, as the graph rules see them. */
export interface OrderGraph {
  readonly nodes: ReadonlyArray<{ nodeId: string; sequenceId: number; released: boolean; actions: ReadonlyArray<{ actionId: string }> }>;
  readonly edges: ReadonlyArray<{ edgeId: string; sequenceId: number; released: boolean; startNodeId: string; endNodeId: string; actions: ReadonlyArray<{ actionId: string }> }>;
}

/**
 * The graph rules of an order message beyond its JSON shape, each problem naming its field:
 * one edge fewer than nodes; sequence ids alternating node/edge and consecutive from an even
 * first node (0, 1, 2… in a new order; the stitching node's id in an update); edge `i` leading
 * from node `i` to node `i + 1`; base before horizon (nothing released after something
 * unreleased, an edge released only with both its nodes); action ids unique in the order.
 */
export const vda5050OrderGraphIssues = (order: OrderGraph): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const { nodes, edges } = order;
  if (nodes.length === 0) return [{ path: "nodes", message: "an order needs at least one node" }];
  if (edges.length !== nodes.length - 1) {
    issues.push({ path: "edges", message: `an order with ${nodes.length} node(s) needs exactly ${nodes.length - 1} edge(s), got ${edges.length}` });
  }
  const first = nodes[0]!.sequenceId;
  if (first % 2 !== 0) issues.push({ path: "nodes.0.sequenceId", message: `nodes take even sequence ids, got ${first}` });
  let horizonStarted = false;
  const markRelease = (released: boolean, path: string) => {
    if (released && horizonStarted) issues.push({ path, message: "must not be released after an unreleased node or edge (base before horizon)" });
    if (!released) horizonStarted = true;
  };
  nodes.forEach((node, i) => {
    if (node.sequenceId !== first + 2 * i) {
      issues.push({ path: `nodes.${i}.sequenceId`, message: `expected ${first + 2 * i} (nodes even, consecutive with the edges), got ${node.sequenceId}` });
    }
    markRelease(node.released, `nodes.${i}.released`);
    const edge = edges[i];
    if (edge === undefined) return;
    if (edge.sequenceId !== first + 2 * i + 1) {
      issues.push({ path: `edges.${i}.sequenceId`, message: `expected ${first + 2 * i + 1} (edges odd, between their nodes), got ${edge.sequenceId}` });
    }
    if (edge.startNodeId !== node.nodeId) {
      issues.push({ path: `edges.${i}.startNodeId`, message: `must be the preceding node "${node.nodeId}", got "${edge.startNodeId}"` });
    }
    const next = nodes[i + 1];
    if (next !== undefined && edge.endNodeId !== next.nodeId) {
      issues.push({ path: `edges.${i}.endNodeId`, message: `must be the following node "${next.nodeId}", got "${edge.endNodeId}"` });
    }
    markRelease(edge.released, `edges.${i}.released`);
    if (edge.released && next !== undefined && !next.released) {
      issues.push({ path: `edges.${i}.released`, message: "an edge can only be released when both its nodes are released" });
    }
  });
  const seen = new Set<string>();
  const checkActions = (kind: "nodes" | "edges", i: number, actions: ReadonlyArray<{ actionId: string }>) =>
    actions.forEach((action, j) => {
      if (seen.has(action.actionId)) issues.push({ path: `${kind}.${i}.actions.${j}.actionId`, message: `duplicate actionId "${action.actionId}"` });
      seen.add(action.actionId);
    });
  nodes.forEach((node, i) => checkActions("nodes", i, node.actions));
  edges.forEach((edge, i) => checkActions("edges", i, edge.actions));
  return issues;
};

/**
 * The `order` message (master control → AGV): a graph of nodes and edges, the released base
 * followed by the unreleased horizon, checked against the graph rules of
 * {@link vda5050OrderGraphIssues}.
 */
export const Vda5050OrderSchema = z
  .looseObject({
    ...header,
    /** Identifies all order messages that belong to the same order. */
    orderId: Id,
    /** Unique per orderId, 0 for a new order, incremented with each update. */
    orderUpdateId: Uint32,
    orderDescription: z.string().optional(),
    zoneSetId: z.string().optional(),
    nodes: z.array(Vda5050NodeSchema).min(1),
    edges: z.array(Vda5050EdgeSchema),
  })
  .superRefine((order, ctx) => {
    for (const issue of vda5050OrderGraphIssues(order)) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path === "" ? [] : issue.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) });
    }
  });
/** A parsed {@link Vda5050OrderSchema}. */
export type Vda5050Order = z.output<typeof Vda5050OrderSchema>;

/** The `instantActions` message (master control → AGV): actions to run immediately. */
export const Vda5050InstantActionsSchema = z.looseObject({ ...header, actions: z.array(Vda5050ActionSchema) });
/** A parsed {@link Vda5050InstantActionsSchema}. */
export type Vda5050InstantActions = z.output<typeof Vda5050InstantActionsSchema>;

// ---------------------------------------------------------------------------------------------
// state
// ---------------------------------------------------------------------------------------------

/** `actionStatus`: WAITING → INITIALIZING → RUNNING ⇄ PAUSED → FINISHED | FAILED. */
export const Vda5050ActionStatusSchema = z.enum(["WAITING", "INITIALIZING", "RUNNING", "PAUSED", "FINISHED", "FAILED"]);
/** A parsed {@link Vda5050ActionStatusSchema}. */
export type Vda5050ActionStatus = z.output<typeof Vda5050ActionStatusSchema>;

/** `errorLevel`: WARNING (self-resolving, AGV ready) or FATAL (not in running condition, human intervention needed). */
export const Vda5050ErrorLevelSchema = z.enum(["WARNING", "FATAL"]);
/** A parsed {@link Vda5050ErrorLevelSchema}. */
export type Vda5050ErrorLevel = z.output<typeof Vda5050ErrorLevelSchema>;

/** `operatingMode` of the AGV. */
export const Vda5050OperatingModeSchema = z.enum(["AUTOMATIC", "SEMIAUTOMATIC", "MANUAL", "SERVICE", "TEACHIN"]);
/** A parsed {@link Vda5050OperatingModeSchema}. */
export type Vda5050OperatingMode = z.output<typeof Vda5050OperatingModeSchema>;

const Reference = z.looseObject({ referenceKey: z.string(), referenceValue: z.string() });

/** A node the AGV still has to traverse (`nodeStates`). */
export const Vda5050NodeStateSchema = z.looseObject({
  nodeId: Id,
  sequenceId: Uint32,
  nodeDescription: z.string().optional(),
  released: z.boolean(),
  nodePosition: Vda5050NodePositionSchema.optional(),
});
/** A parsed {@link Vda5050NodeStateSchema}. */
export type Vda5050NodeState = z.output<typeof Vda5050NodeStateSchema>;

/** An edge the AGV still has to traverse (`edgeStates`). */
export const Vda5050EdgeStateSchema = z.looseObject({
  edgeId: Id,
  sequenceId: Uint32,
  edgeDescription: z.string().optional(),
  released: z.boolean(),
  trajectory: Vda5050TrajectorySchema.optional(),
});
/** A parsed {@link Vda5050EdgeStateSchema}. */
export type Vda5050EdgeState = z.output<typeof Vda5050EdgeStateSchema>;

/** The AGV's position on a map (`agvPosition`). */
export const Vda5050AgvPositionSchema = z.looseObject({
  x: z.number(),
  y: z.number(),
  theta: z.number(),
  mapId: z.string(),
  mapDescription: z.string().optional(),
  positionInitialized: z.boolean(),
  localizationScore: z.number().min(0).max(1).optional(),
  deviationRange: z.number().optional(),
});
/** A parsed {@link Vda5050AgvPositionSchema}. */
export type Vda5050AgvPosition = z.output<typeof Vda5050AgvPositionSchema>;

/** The AGV's velocity in vehicle coordinates. */
export const Vda5050VelocitySchema = z.looseObject({ vx: z.number().optional(), vy: z.number().optional(), omega: z.number().optional() });
/** A parsed {@link Vda5050VelocitySchema}. */
export type Vda5050Velocity = z.output<typeof Vda5050VelocitySchema>;

/** A load the AGV carries. */
export const Vda5050LoadSchema = z.looseObject({
  loadId: z.string().optional(),
  loadType: z.string().optional(),
  loadPosition: z.string().optional(),
  boundingBoxReference: z.looseObject({ x: z.number(), y: z.number(), z: z.number(), theta: z.number().optional() }).optional(),
  loadDimensions: z.looseObject({ length: z.number(), width: z.number(), height: z.number().optional() }).optional(),
  /** kg. */
  weight: z.number().min(0).optional(),
});
/** A parsed {@link Vda5050LoadSchema}. */
export type Vda5050Load = z.output<typeof Vda5050LoadSchema>;

/** The state of one action of the order or of an instant action (`actionStates`). */
export const Vda5050ActionStateSchema = z.looseObject({
  actionId: Id,
  actionType: z.string().optional(),
  actionDescription: z.string().optional(),
  actionStatus: Vda5050ActionStatusSchema,
  resultDescription: z.string().optional(),
});
/** A parsed {@link Vda5050ActionStateSchema}. */
export type Vda5050ActionState = z.output<typeof Vda5050ActionStateSchema>;

/** Battery information (`batteryState`). */
export const Vda5050BatteryStateSchema = z.looseObject({
  /** State of charge, %. */
  batteryCharge: z.number(),
  batteryVoltage: z.number().optional(),
  batteryHealth: z.number().int().min(0).max(100).optional(),
  charging: z.boolean(),
  reach: Uint32.optional(),
});
/** A parsed {@link Vda5050BatteryStateSchema}. */
export type Vda5050BatteryState = z.output<typeof Vda5050BatteryStateSchema>;

/** An active error of the AGV. */
export const Vda5050AgvErrorSchema = z.looseObject({
  errorType: z.string(),
  errorReferences: z.array(Reference).optional(),
  errorDescription: z.string().optional(),
  errorHint: z.string().optional(),
  errorLevel: Vda5050ErrorLevelSchema,
});
/** A parsed {@link Vda5050AgvErrorSchema}. */
export type Vda5050AgvError = z.output<typeof Vda5050AgvErrorSchema>;

/** An information message (for visualization and debugging only, never for logic). */
export const Vda5050InfoSchema = z.looseObject({
  infoType: z.string(),
  infoReferences: z.array(Reference).optional(),
  infoDescription: z.string().optional(),
  infoLevel: z.enum(["DEBUG", "INFO"]),
});
/** A parsed {@link Vda5050InfoSchema}. */
export type Vda5050Info = z.output<typeof Vda5050InfoSchema>;

/** Safety information (`safetyState`). */
export const Vda5050SafetyStateSchema = z.looseObject({
  eStop: z.enum(["AUTOACK", "MANUAL", "REMOTE", "NONE"]),
  fieldViolation: z.boolean(),
});
/** A parsed {@link Vda5050SafetyStateSchema}. */
export type Vda5050SafetyState = z.output<typeof Vda5050SafetyStateSchema>;

/** The `state` message (AGV → master control): order progress, actions, errors, battery, safety. */
export const Vda5050StateSchema = z.looseObject({
  ...header,
  /** Current or previous order; `""` when none. */
  orderId: z.string(),
  /** `0` when none. */
  orderUpdateId: Uint32,
  zoneSetId: z.string().optional(),
  /** Last reached node (or the node the AGV stands on); `""` when none. */
  lastNodeId: z.string(),
  /** Sequence id of `lastNodeId`; `0` when none. */
  lastNodeSequenceId: Uint32,
  /** Nodes still to traverse (base and horizon); empty when idle. */
  nodeStates: z.array(Vda5050NodeStateSchema),
  edgeStates: z.array(Vda5050EdgeStateSchema),
  agvPosition: Vda5050AgvPositionSchema.optional(),
  velocity: Vda5050VelocitySchema.optional(),
  loads: z.array(Vda5050LoadSchema).optional(),
  driving: z.boolean(),
  paused: z.boolean().optional(),
  newBaseRequest: z.boolean().optional(),
  distanceSinceLastNode: z.number().optional(),
  actionStates: z.array(Vda5050ActionStateSchema),
  batteryState: Vda5050BatteryStateSchema,
  operatingMode: Vda5050OperatingModeSchema,
  errors: z.array(Vda5050AgvErrorSchema),
  information: z.array(Vda5050InfoSchema).optional(),
  safetyState: Vda5050SafetyStateSchema,
});
/** A parsed {@link Vda5050StateSchema}. */
export type Vda5050State = z.output<typeof Vda5050StateSchema>;

// ---------------------------------------------------------------------------------------------
// connection, visualization, factsheet
// ---------------------------------------------------------------------------------------------

/** `connectionState`: ONLINE, OFFLINE (coordinated) or CONNECTIONBROKEN (the broker's last will). */
export const Vda5050ConnectionStateSchema = z.enum(["ONLINE", "OFFLINE", "CONNECTIONBROKEN"]);
/** A parsed {@link Vda5050ConnectionStateSchema}. */
export type Vda5050ConnectionState = z.output<typeof Vda5050ConnectionStateSchema>;

/**
 * The `connection` message (AGV or broker → master control, retained, QoS 1). The
 * CONNECTIONBROKEN message is the MQTT last will, set when the AGV connects: its headerId and
 * timestamp are outdated by design.
 */
export const Vda5050ConnectionSchema = z.looseObject({ ...header, connectionState: Vda5050ConnectionStateSchema });
/** A parsed {@link Vda5050ConnectionSchema}. */
export type Vda5050Connection = z.output<typeof Vda5050ConnectionSchema>;

/**
 * The `visualization` message: position and velocity at a higher rate, for display only. The
 * published schema makes every field optional, the header included.
 */
export const Vda5050VisualizationSchema = z.looseObject({
  headerId: Uint32.optional(),
  timestamp: Timestamp.optional(),
  version: ProtocolVersion.optional(),
  manufacturer: z.string().optional(),
  serialNumber: z.string().optional(),
  agvPosition: Vda5050AgvPositionSchema.optional(),
  velocity: Vda5050VelocitySchema.optional(),
});
/** A parsed {@link Vda5050VisualizationSchema}. */
export type Vda5050Visualization = z.output<typeof Vda5050VisualizationSchema>;

/** An action type the AGV supports and where it may be used (`protocolFeatures.agvActions`). */
export const Vda5050AgvActionSchema = z.looseObject({
  actionType: z.string().min(1),
  actionDescription: z.string().optional(),
  actionScopes: z.array(z.enum(["INSTANT", "NODE", "EDGE"])),
  actionParameters: z
    .array(
      z.looseObject({
        key: z.string(),
        valueDataType: z.enum(["BOOL", "NUMBER", "INTEGER", "FLOAT", "STRING", "OBJECT", "ARRAY"]),
        description: z.string().optional(),
        isOptional: z.boolean().optional(),
      }),
    )
    .optional(),
  resultDescription: z.string().optional(),
});
/** A parsed {@link Vda5050AgvActionSchema}. */
export type Vda5050AgvAction = z.output<typeof Vda5050AgvActionSchema>;

const optionalUint32Fields = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, Uint32.optional()])) as Record<K, z.ZodOptional<typeof Uint32>>;

/**
 * The `factsheet` message (AGV → master control, retained): the parts an integration needs —
 * type and physical parameters, protocol limits, supported optional fields and actions, load
 * handling — each object loose, so geometry details and vendor fields pass through. As in the
 * published 2.0 schema, `headerId` and `timestamp` are optional here.
 */
export const Vda5050FactsheetSchema = z.looseObject({
  headerId: Uint32.optional(),
  timestamp: Timestamp.optional(),
  version: ProtocolVersion,
  manufacturer: z.string(),
  serialNumber: z.string(),
  typeSpecification: z.looseObject({
    seriesName: z.string(),
    seriesDescription: z.string().optional(),
    /** DIFF, OMNI, THREEWHEEL (kept open: later versions extend the list). */
    agvKinematic: z.string(),
    /** FORKLIFT, CONVEYOR, TUGGER, CARRIER (kept open). */
    agvClass: z.string(),
    /** kg. */
    maxLoadMass: z.number().min(0),
    localizationTypes: z.array(z.string()),
    navigationTypes: z.array(z.string()),
  }),
  physicalParameters: z.looseObject({
    speedMin: z.number(),
    speedMax: z.number(),
    angularSpeedMin: z.number().optional(),
    angularSpeedMax: z.number().optional(),
    accelerationMax: z.number(),
    decelerationMax: z.number(),
    heightMin: z.number().optional(),
    heightMax: z.number(),
    width: z.number(),
    length: z.number(),
  }),
  protocolLimits: z.looseObject({
    maxStringLens: z.looseObject({
      ...optionalUint32Fields(["msgLen", "topicSerialLen", "topicElemLen", "idLen", "enumLen", "loadIdLen"] as const),
      idNumericalOnly: z.boolean().optional(),
    }),
    maxArrayLens: z.looseObject(
      optionalUint32Fields([
        "order.nodes",
        "order.edges",
        "node.actions",
        "edge.actions",
        "actions.actionsParameters",
        "instantActions",
        "trajectory.knotVector",
        "trajectory.controlPoints",
        "state.nodeStates",
        "state.edgeStates",
        "state.loads",
        "state.actionStates",
        "state.errors",
        "state.information",
        "error.errorReferences",
        "information.infoReferences",
      ] as const),
    ),
    timing: z.looseObject({
      /** s. */
      minOrderInterval: z.number(),
      minStateInterval: z.number(),
      defaultStateInterval: z.number().optional(),
      visualizationInterval: z.number().optional(),
    }),
  }),
  protocolFeatures: z.looseObject({
    optionalParameters: z.array(
      z.looseObject({ parameter: z.string(), support: z.enum(["SUPPORTED", "REQUIRED"]), description: z.string().optional() }),
    ),
    agvActions: z.array(Vda5050AgvActionSchema),
  }),
  agvGeometry: z.looseObject({
    wheelDefinitions: z.array(z.looseObject({})).optional(),
    envelopes2d: z.array(z.looseObject({})).optional(),
    envelopes3d: z.array(z.looseObject({})).optional(),
  }),
  loadSpecification: z.looseObject({
    loadPositions: z.array(z.string()).optional(),
    loadSets: z
      .array(z.looseObject({ setName: z.string(), loadType: z.string(), loadPositions: z.array(z.string()).optional(), maxWeight: z.number().optional() }))
      .optional(),
  }),
});
/** A parsed {@link Vda5050FactsheetSchema}. */
export type Vda5050Factsheet = z.output<typeof Vda5050FactsheetSchema>;

// ---------------------------------------------------------------------------------------------
// topics
// ---------------------------------------------------------------------------------------------

/** The subtopics of VDA 5050 2.x. */
export const Vda5050SubtopicSchema = z.enum(["order", "instantActions", "state", "visualization", "connection", "factsheet"]);
/** A parsed {@link Vda5050SubtopicSchema}. */
export type Vda5050Subtopic = z.output<typeof Vda5050SubtopicSchema>;

/** One level of an MQTT topic: not empty, no `/`, no wildcards `+` `#`, no `$`. */
const TopicLevel = z
  .string()
  .min(1)
  .regex(/^[^/+#$\u0000]+$/, { message: "must not contain / + # $ (MQTT topic level)" });

/**
 * The levels of a VDA 5050 topic `interfaceName/majorVersion/manufacturer/serialNumber/topic`,
 * e.g. `uagv/v2/KUKA/0001/order`. `interfaceName` defaults to `uagv`, `majorVersion` to `v2`;
 * the serial number uses the characters the protocol allows (`A-Z a-z 0-9 _ . : -`).
 */
export const Vda5050TopicSchema = z.object({
  interfaceName: TopicLevel.default("uagv"),
  majorVersion: z
    .string()
    .regex(/^v\d+$/, { message: 'must be the major version preceded by "v", e.g. v2' })
    .default("v2"),
  manufacturer: TopicLevel,
  serialNumber: z.string().regex(/^[A-Za-z0-9_.:-]+$/, { message: "must use only A-Z a-z 0-9 _ . : -" }),
  topic: Vda5050SubtopicSchema,
});
/** The levels of a topic as given to {@link vda5050Topic} (defaults may be omitted). */
export type Vda5050TopicInput = z.input<typeof Vda5050TopicSchema>;
/** The levels of a topic, all present. */
export type Vda5050TopicParts = z.output<typeof Vda5050TopicSchema>;

/** Writes the MQTT topic of an AGV, e.g. `uagv/v2/KUKA/0001/order`; a level that cannot be a topic level is an {@link InvalidInput}. */
export const vda5050Topic = (parts: Vda5050TopicInput): Result.Result<string, InvalidInput> =>
  Result.map(
    parseInput(Vda5050TopicSchema, parts, "VDA 5050 topic"),
    (p) => `${p.interfaceName}/${p.majorVersion}/${p.manufacturer}/${p.serialNumber}/${p.topic}`,
  );

const TOPIC_LEVELS = ["interfaceName", "majorVersion", "manufacturer", "serialNumber", "topic"] as const;

/** Reads an MQTT topic `interfaceName/majorVersion/manufacturer/serialNumber/topic` into its levels. */
export const parseVda5050Topic = (topic: string): Result.Result<Vda5050TopicParts, InvalidInput> => {
  const levels = typeof topic === "string" ? topic.split("/") : [];
  if (levels.length !== TOPIC_LEVELS.length) {
    const issues = [{ path: "", message: `expected 5 levels interfaceName/majorVersion/manufacturer/serialNumber/topic, got ${levels.length}` }];
    return Result.fail(new InvalidInput({ subject: "VDA 5050 topic", issues, message: `invalid VDA 5050 topic: ${issues[0]!.message}` }));
  }
  const parts = Object.fromEntries(TOPIC_LEVELS.map((name, i) => [name, levels[i]]));
  return parseInput(Vda5050TopicSchema, parts, "VDA 5050 topic");
};

// ---------------------------------------------------------------------------------------------
// header ids
// ---------------------------------------------------------------------------------------------

/**
 * The headerId counters of a sender, per full topic (`uagv/v2/KUKA/0001/order` → the next
 * headerId to use). Immutable: each send returns new counters.
 */
export type HeaderIdCounters = Readonly<Record<string, number>>;

/** The headerId to send next on `topic` (0 for a topic not yet used) and the counters after it (wrapping after uint32). */
export const nextHeaderId = (counters: HeaderIdCounters, topic: string): { readonly headerId: number; readonly counters: HeaderIdCounters } => {
  const stored = Object.prototype.hasOwnProperty.call(counters, topic) ? counters[topic] : undefined;
  const headerId = stored !== undefined && Number.isInteger(stored) && stored >= 0 && stored <= VDA5050_UINT32_MAX ? stored : 0;
  return { headerId, counters: { ...counters, [topic]: headerId === VDA5050_UINT32_MAX ? 0 : headerId + 1 } };
};

// ---------------------------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------------------------

const MESSAGE_SCHEMAS = {
  order: Vda5050OrderSchema,
  instantActions: Vda5050InstantActionsSchema,
  state: Vda5050StateSchema,
  visualization: Vda5050VisualizationSchema,
  connection: Vda5050ConnectionSchema,
  factsheet: Vda5050FactsheetSchema,
} as const satisfies Record<Vda5050Subtopic, z.ZodType>;

/** The parsed message of each subtopic. */
export interface Vda5050MessageBySubtopic {
  order: Vda5050Order;
  instantActions: Vda5050InstantActions;
  state: Vda5050State;
  visualization: Vda5050Visualization;
  connection: Vda5050Connection;
  factsheet: Vda5050Factsheet;
}

/** A decoded VDA 5050 message, discriminated by `subtopic`, with the levels of its topic. */
export type Vda5050Message = {
  [K in Vda5050Subtopic]: { readonly subtopic: K; readonly topic: Vda5050TopicParts; readonly message: Vda5050MessageBySubtopic[K] };
}[Vda5050Subtopic];

const invalid = (subject: string, issues: FieldIssue[]): InvalidInput =>
  new InvalidInput({ subject, issues, message: `invalid ${subject}: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}` });

const decodePayload = (payload: unknown, subject: string): Result.Result<unknown, InvalidInput> => {
  let text: string;
  if (typeof payload === "string") text = payload;
  else if (payload instanceof Uint8Array) text = new TextDecoder().decode(payload);
  else return Result.succeed(payload);
  try {
    return Result.succeed(JSON.parse(text) as unknown);
  } catch {
    return Result.fail(invalid(subject, [{ path: "", message: "is not valid JSON" }]));
  }
};

/**
 * Decodes a message received on `topic`. The payload is the raw MQTT payload (a string or bytes,
 * read as JSON) or an already parsed JSON value. The topic must be a v2 VDA 5050 topic; the
 * message must match the schema of its subtopic (an order also its graph rules), and its header
 * must name the AGV of the topic (`manufacturer`, `serialNumber`) and a 2.x `version`. Any
 * problem is an {@link InvalidInput} naming the field; nothing throws.
 */
export const parseVda5050Message = (topic: string, payload: unknown): Result.Result<Vda5050Message, InvalidInput> => {
  const parsedTopic = parseVda5050Topic(topic);
  if (Result.isFailure(parsedTopic)) return Result.fail(parsedTopic.failure);
  const parts = parsedTopic.success;
  if (parts.majorVersion !== "v2") {
    return Result.fail(invalid("VDA 5050 topic", [{ path: "majorVersion", message: `only v2 is supported, got ${parts.majorVersion}` }]));
  }
  const subject = `VDA 5050 ${parts.topic} message`;
  const decoded = decodePayload(payload, subject);
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure);
  const parsed = parseInput(MESSAGE_SCHEMAS[parts.topic] as z.ZodType, decoded.success, subject);
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const message = parsed.success as { manufacturer?: string; serialNumber?: string; version?: string };
  const issues: FieldIssue[] = [];
  if (message.manufacturer !== undefined && message.manufacturer !== parts.manufacturer) {
    issues.push({ path: "manufacturer", message: `"${message.manufacturer}" does not match the topic's manufacturer "${parts.manufacturer}"` });
  }
  if (message.serialNumber !== undefined && message.serialNumber !== parts.serialNumber) {
    issues.push({ path: "serialNumber", message: `"${message.serialNumber}" does not match the topic's serial number "${parts.serialNumber}"` });
  }
  if (message.version !== undefined && !message.version.startsWith("2.")) {
    issues.push({ path: "version", message: `protocol ${message.version} does not match the topic's major version v2` });
  }
  if (issues.length > 0) return Result.fail(invalid(subject, issues));
  return Result.succeed({ subtopic: parts.topic, topic: parts, message: parsed.success } as Vda5050Message);
};
