/**
 * VDA 5050 orders for warehouse transfers (调拨搬运): the shortest route on a site graph from the
 * source location's node to the destination's, a `pick` at the source and a `drop` at the
 * destination, the base released up to a configurable horizon, and order updates that release
 * or replace the horizon while keeping the stitching node rule of the protocol.
 *
 * Pure: time (`timestamp`) and the headerId counters are arguments; nothing is sent.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { InvalidInput, UnknownReference, parseInput, type FieldIssue } from "@jxc/core";
import {
  VDA5050_UINT32_MAX,
  VDA5050_VERSION,
  Vda5050ActionSchema,
  Vda5050OrderSchema,
  nextHeaderId,
  vda5050Topic,
  type HeaderIdCounters,
  type Vda5050Action,
  type Vda5050Edge,
  type Vda5050Node,
  type Vda5050NodePosition,
  type Vda5050Order,
} from "./vda5050.js";

const Id = z.string().min(1).max(128);
const Timestamp = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// site graph
// ---------------------------------------------------------------------------------------------

/** A node of the site graph: a point (m, rad) on a map where AGVs stop or turn. */
export const SiteNodeSchema = z.object({
  id: Id,
  x: z.number(),
  y: z.number(),
  /** Orientation the AGV must assume on the node; omitted when free. */
  theta: z.number().min(-Math.PI).max(Math.PI).optional(),
  mapId: z.string().min(1),
});
/** A parsed {@link SiteNodeSchema}. */
export type SiteNode = z.output<typeof SiteNodeSchema>;

/**
 * An edge of the site graph between two nodes. Travelled both ways unless `oneWay` (then only
 * `from` → `to`); an order that uses it backwards names it with the same id and its start and
 * end nodes swapped. Its cost is the Euclidean distance between its nodes.
 */
export const SiteEdgeSchema = z.object({
  id: Id,
  from: Id,
  to: Id,
  /** m/s, written to the order edge's `maxSpeed`. */
  maxSpeed: z.number().positive().optional(),
  oneWay: z.boolean().optional(),
});
/** A parsed {@link SiteEdgeSchema}. */
export type SiteEdge = z.output<typeof SiteEdgeSchema>;

/** The site graph held by the master control: unique node and edge ids, edges between two distinct known nodes. */
export const SiteGraphSchema = z
  .object({ nodes: z.array(SiteNodeSchema).min(1), edges: z.array(SiteEdgeSchema) })
  .superRefine((graph, ctx) => {
    const nodeIds = new Set<string>();
    graph.nodes.forEach((node, i) => {
      if (nodeIds.has(node.id)) ctx.addIssue({ code: "custom", path: ["nodes", i, "id"], message: `duplicate node id "${node.id}"` });
      nodeIds.add(node.id);
    });
    const edgeIds = new Set<string>();
    graph.edges.forEach((edge, i) => {
      if (edgeIds.has(edge.id)) ctx.addIssue({ code: "custom", path: ["edges", i, "id"], message: `duplicate edge id "${edge.id}"` });
      edgeIds.add(edge.id);
      if (!nodeIds.has(edge.from)) ctx.addIssue({ code: "custom", path: ["edges", i, "from"], message: `unknown node "${edge.from}"` });
      if (!nodeIds.has(edge.to)) ctx.addIssue({ code: "custom", path: ["edges", i, "to"], message: `unknown node "${edge.to}"` });
      if (edge.from === edge.to) ctx.addIssue({ code: "custom", path: ["edges", i, "to"], message: "an edge must connect two different nodes" });
    });
  });
/** A site graph as configured. */
export type SiteGraphInput = z.input<typeof SiteGraphSchema>;
/** A parsed {@link SiteGraphSchema}. */
export type SiteGraph = z.output<typeof SiteGraphSchema>;

/** No route leads from one node to the other on the site graph (edges missing, or one-way against the travel). */
export class NoRouteFound extends Data.TaggedError("NoRouteFound")<{
  readonly from: string;
  readonly to: string;
  readonly message: string;
}> {}

/**
 * An order update whose first node is not the stitching node — the last released node of the
 * previous base (same `nodeId` and `sequenceId`).
 */
export class StitchingNodeMismatch extends Data.TaggedError("StitchingNodeMismatch")<{
  readonly orderId: string;
  /** The last released node of the previous base. */
  readonly expected: { readonly nodeId: string; readonly sequenceId: number };
  /** The node the update starts from. */
  readonly actual: { readonly nodeId: string; readonly sequenceId?: number };
  /** The field at fault, e.g. `nodes.0` or `change.path.0`. */
  readonly path: string;
  readonly message: string;
}> {}

interface Arc {
  readonly edge: SiteEdge;
  readonly to: number;
  readonly length: number;
}

interface CompiledGraph {
  readonly nodes: readonly SiteNode[];
  readonly index: ReadonlyMap<string, number>;
  readonly out: ReadonlyArray<readonly Arc[]>;
}

const compile = (graph: SiteGraph): CompiledGraph => {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i] as const));
  const out: Arc[][] = graph.nodes.map(() => []);
  for (const edge of graph.edges) {
    const a = index.get(edge.from)!;
    const b = index.get(edge.to)!;
    const na = graph.nodes[a]!;
    const nb = graph.nodes[b]!;
    const length = Math.hypot(nb.x - na.x, nb.y - na.y);
    out[a]!.push({ edge, to: b, length });
    if (edge.oneWay !== true) out[b]!.push({ edge, to: a, length });
  }
  return { nodes: graph.nodes, index, out };
};

/** A route on the site graph: node indices, the arcs between them, the length in metres. */
interface Path {
  readonly nodes: readonly number[];
  readonly arcs: readonly Arc[];
  readonly length: number;
}

/** Dijkstra with a binary heap; ties are broken by node index, so equal inputs give equal routes. */
const dijkstra = (g: CompiledGraph, from: number, to: number): Path | undefined => {
  const n = g.nodes.length;
  const dist = new Array<number>(n).fill(Infinity);
  const via: Array<{ prev: number; arc: Arc } | undefined> = new Array(n).fill(undefined);
  const done = new Uint8Array(n);
  const heap: Array<readonly [number, number]> = [];
  const less = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const push = (item: readonly [number, number]) => {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): readonly [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  dist[from] = 0;
  push([0, from]);
  while (heap.length > 0) {
    const [d, u] = pop();
    if (done[u] === 1) continue;
    done[u] = 1;
    if (u === to) break;
    for (const arc of g.out[u]!) {
      const nd = d + arc.length;
      if (nd < dist[arc.to]!) {
        dist[arc.to] = nd;
        via[arc.to] = { prev: u, arc };
        push([nd, arc.to]);
      }
    }
  }
  if (dist[to] === Infinity) return undefined;
  const nodes = [to];
  const arcs: Arc[] = [];
  for (let v = to; v !== from; ) {
    const step = via[v]!;
    arcs.push(step.arc);
    nodes.push(step.prev);
    v = step.prev;
  }
  return { nodes: nodes.reverse(), arcs: arcs.reverse(), length: dist[to]! };
};

const joinPaths = (paths: readonly Path[]): Path => ({
  nodes: paths.flatMap((p, i) => (i === 0 ? p.nodes : p.nodes.slice(1))),
  arcs: paths.flatMap((p) => p.arcs),
  length: paths.reduce((sum, p) => sum + p.length, 0),
});

const lookupNode = (g: CompiledGraph, nodeId: string, path: string): Result.Result<number, UnknownReference> => {
  const i = g.index.get(nodeId);
  return i === undefined
    ? Result.fail(new UnknownReference({ kind: "site node", ref: nodeId, path, message: `unknown site node "${nodeId}" at ${path}` }))
    : Result.succeed(i);
};

const shortest = (g: CompiledGraph, from: number, to: number): Result.Result<Path, NoRouteFound> => {
  const path = dijkstra(g, from, to);
  const a = g.nodes[from]!.id;
  const b = g.nodes[to]!.id;
  return path === undefined ? Result.fail(new NoRouteFound({ from: a, to: b, message: `no route from site node "${a}" to "${b}"` })) : Result.succeed(path);
};

/** A route found on the site graph. */
export interface SiteRoute {
  /** The nodes travelled, first to last. */
  readonly nodeIds: readonly string[];
  /** The edges travelled, each in its direction of travel. */
  readonly edges: ReadonlyArray<{ readonly edgeId: string; readonly startNodeId: string; readonly endNodeId: string }>;
  /** Euclidean length, m. */
  readonly length: number;
}

const toRoute = (g: CompiledGraph, path: Path): SiteRoute => ({
  nodeIds: path.nodes.map((i) => g.nodes[i]!.id),
  edges: path.arcs.map((arc, k) => ({ edgeId: arc.edge.id, startNodeId: g.nodes[path.nodes[k]!]!.id, endNodeId: g.nodes[arc.to]!.id })),
  length: path.length,
});

/** The shortest route (Dijkstra, Euclidean edge lengths) between two nodes of a site graph. */
export const shortestSiteRoute = (
  graph: SiteGraphInput,
  fromNodeId: string,
  toNodeId: string,
): Result.Result<SiteRoute, InvalidInput | UnknownReference | NoRouteFound> => {
  const parsed = parseInput(SiteGraphSchema, graph, "site graph");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const g = compile(parsed.success);
  const from = lookupNode(g, fromNodeId, "from");
  if (Result.isFailure(from)) return Result.fail(from.failure);
  const to = lookupNode(g, toNodeId, "to");
  if (Result.isFailure(to)) return Result.fail(to.failure);
  return Result.map(shortest(g, from.success, to.success), (p) => toRoute(g, p));
};

// ---------------------------------------------------------------------------------------------
// building orders
// ---------------------------------------------------------------------------------------------

const AgvSchema = z.object({
  manufacturer: z.string().min(1),
  serialNumber: z.string().min(1),
  /** Topic level 1, default `uagv`. */
  interfaceName: z.string().optional(),
  /** Topic level 2, default `v2`. */
  majorVersion: z.string().optional(),
});

const EndpointShape = {
  /** The stock place (as in a `@jxc/core` transfer line). */
  warehouse: Id,
  location: Id.optional(),
  /** The site node where the AGV handles the load at that place. */
  nodeId: Id,
  /** pick/drop parameters of VDA 5050 (floor, rack, conveyor…). */
  stationType: z.string().min(1).optional(),
  stationName: z.string().min(1).optional(),
  /** Load handling device, for AGVs with several. */
  lhd: z.string().min(1).optional(),
  /** Bottom of the load above the floor, m. */
  height: z.number().min(0).optional(),
  /** For forklifts, m. */
  depth: z.number().min(0).optional(),
  side: z.string().min(1).optional(),
};

/** Where a transfer picks or drops its load: a stock place and its site node, with the station parameters of the action. */
export const TransferEndpointSchema = z.object(EndpointShape);
/** A parsed {@link TransferEndpointSchema}. */
export type TransferEndpoint = z.output<typeof TransferEndpointSchema>;

/**
 * A warehouse transfer to turn into an order: the AGV, the source (`pick`, whose `stationType`
 * the protocol requires) and the destination (`drop`), the load, and how much of the route to
 * release now (`releasedNodes`, counting from the first node; the rest is horizon; default all).
 * The AGV starts at `startNodeId` (default: the source node, where it already stands).
 */
export const TransferOrderRequestSchema = z
  .object({
    orderId: Id,
    agv: AgvSchema,
    /** Sending time; written in UTC as the protocol asks. */
    timestamp: Timestamp,
    version: z.string().regex(/^2\.\d+\.\d+$/, { message: "must be a 2.x protocol version, e.g. 2.0.0" }).default(VDA5050_VERSION),
    from: z.object({ ...EndpointShape, stationType: z.string().min(1) }),
    to: TransferEndpointSchema,
    load: z.object({ loadType: z.string().min(1), loadId: z.string().min(1).optional() }),
    startNodeId: Id.optional(),
    releasedNodes: z.number().int().min(1).optional(),
    /** Default `<orderId>-pick` / `<orderId>-drop`. */
    pickActionId: Id.optional(),
    dropActionId: Id.optional(),
    orderDescription: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    const pick = r.pickActionId ?? `${r.orderId}-pick`;
    const drop = r.dropActionId ?? `${r.orderId}-drop`;
    if (pick === drop) ctx.addIssue({ code: "custom", path: ["dropActionId"], message: "must differ from the pick action id" });
  });
/** A transfer order request as written by the caller. */
export type TransferOrderRequestInput = z.input<typeof TransferOrderRequestSchema>;

/** What a built order carries and moves: the link between the VDA 5050 order and the stock places of the transfer. */
export interface TransferPlan {
  readonly orderId: string;
  readonly from: { readonly warehouse: string; readonly location?: string; readonly nodeId: string };
  readonly to: { readonly warehouse: string; readonly location?: string; readonly nodeId: string };
  readonly pickActionId: string;
  readonly dropActionId: string;
  readonly loadType: string;
  readonly loadId?: string;
}

/** An order message ready to publish, its topic, and the headerId counters after it. */
export interface BuiltOrderMessage {
  readonly order: Vda5050Order;
  readonly topic: string;
  readonly counters: HeaderIdCounters;
}

/** A transfer order: the message, the transfer it carries out and the route it takes. */
export interface BuiltTransferOrder extends BuiltOrderMessage {
  readonly transfer: TransferPlan;
  readonly route: SiteRoute;
}

interface PlannedNode {
  readonly nodeId: string;
  readonly nodePosition?: Vda5050NodePosition;
  readonly actions: readonly Vda5050Action[];
}

interface PlannedEdge {
  readonly edgeId: string;
  readonly startNodeId: string;
  readonly endNodeId: string;
  readonly maxSpeed?: number;
}

const nodePositionOf = (node: SiteNode): Vda5050NodePosition =>
  node.theta === undefined ? { x: node.x, y: node.y, mapId: node.mapId } : { x: node.x, y: node.y, theta: node.theta, mapId: node.mapId };

const planPath = (g: CompiledGraph, path: Path, actionsAt: ReadonlyMap<number, readonly Vda5050Action[]>): { nodes: PlannedNode[]; edges: PlannedEdge[] } => ({
  nodes: path.nodes.map((i, k) => ({ nodeId: g.nodes[i]!.id, nodePosition: nodePositionOf(g.nodes[i]!), actions: actionsAt.get(k) ?? [] })),
  edges: path.arcs.map((arc, k) => {
    const edge = { edgeId: arc.edge.id, startNodeId: g.nodes[path.nodes[k]!]!.id, endNodeId: g.nodes[arc.to]!.id };
    return arc.edge.maxSpeed === undefined ? edge : { ...edge, maxSpeed: arc.edge.maxSpeed };
  }),
});

/** Numbers planned nodes and edges from `firstSequenceId` (nodes even, edges odd) and releases the first `releasedNodes` nodes and the edges between them. */
const sequencePlan = (
  plan: { nodes: readonly PlannedNode[]; edges: readonly PlannedEdge[] },
  firstSequenceId: number,
  releasedNodes: number,
): { nodes: Vda5050Node[]; edges: Vda5050Edge[] } => ({
  nodes: plan.nodes.map((node, k) => {
    const out: Vda5050Node = { nodeId: node.nodeId, sequenceId: firstSequenceId + 2 * k, released: k < releasedNodes, actions: [...node.actions] };
    if (node.nodePosition !== undefined) out.nodePosition = node.nodePosition;
    return out;
  }),
  edges: plan.edges.map((edge, k) => {
    const out: Vda5050Edge = {
      edgeId: edge.edgeId,
      sequenceId: firstSequenceId + 2 * k + 1,
      released: k + 1 < releasedNodes,
      startNodeId: edge.startNodeId,
      endNodeId: edge.endNodeId,
      actions: [],
    };
    if (edge.maxSpeed !== undefined) out.maxSpeed = edge.maxSpeed;
    return out;
  }),
});

const prefixIssues = (error: InvalidInput, prefix: string, subject: string): InvalidInput => {
  const issues = error.issues.map((i) => ({ path: i.path === "" ? prefix : `${prefix}.${i.path}`, message: i.message }));
  return new InvalidInput({ subject, issues, message: `invalid ${subject}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}` });
};

const orderTopic = (
  agv: { manufacturer: string; serialNumber: string; interfaceName?: string | undefined; majorVersion?: string | undefined },
  subject: string,
): Result.Result<string, InvalidInput> => {
  const parts: Record<string, string> = { manufacturer: agv.manufacturer, serialNumber: agv.serialNumber, topic: "order" };
  if (agv.interfaceName !== undefined) parts.interfaceName = agv.interfaceName;
  if (agv.majorVersion !== undefined) parts.majorVersion = agv.majorVersion;
  return Result.mapError(vda5050Topic(parts as Parameters<typeof vda5050Topic>[0]), (e) => prefixIssues(e, "agv", subject));
};

const utc = (timestamp: string): string => new Date(timestamp).toISOString();

const parameters = (entries: ReadonlyArray<readonly [string, string | number | undefined]>) =>
  entries.flatMap(([key, value]) => (value === undefined ? [] : [{ key, value }]));

/**
 * Builds the order of a warehouse transfer: the shortest route (Dijkstra over Euclidean edge
 * lengths) from the AGV's start node through the source node to the destination node; nodes at
 * sequence ids 0, 2, 4… and edges at 1, 3, 5…; a HARD-blocking `pick` (stationType, stationName,
 * loadType, loadId, lhd, height, depth, side when given) at the source node and a HARD `drop` at
 * the destination; the first `releasedNodes` nodes released (base), the rest horizon;
 * orderUpdateId 0; the headerId taken from `counters` for the AGV's `order` topic.
 */
export const buildTransferOrder = (
  graph: SiteGraphInput,
  request: TransferOrderRequestInput,
  counters: HeaderIdCounters,
): Result.Result<BuiltTransferOrder, InvalidInput | UnknownReference | NoRouteFound> => {
  const parsedGraph = parseInput(SiteGraphSchema, graph, "site graph");
  if (Result.isFailure(parsedGraph)) return Result.fail(parsedGraph.failure);
  const parsed = parseInput(TransferOrderRequestSchema, request, "transfer order request");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const r = parsed.success;
  const topic = orderTopic(r.agv, "transfer order request");
  if (Result.isFailure(topic)) return Result.fail(topic.failure);

  const g = compile(parsedGraph.success);
  const start = lookupNode(g, r.startNodeId ?? r.from.nodeId, r.startNodeId === undefined ? "from.nodeId" : "startNodeId");
  if (Result.isFailure(start)) return Result.fail(start.failure);
  const source = lookupNode(g, r.from.nodeId, "from.nodeId");
  if (Result.isFailure(source)) return Result.fail(source.failure);
  const destination = lookupNode(g, r.to.nodeId, "to.nodeId");
  if (Result.isFailure(destination)) return Result.fail(destination.failure);
  const approach = shortest(g, start.success, source.success);
  if (Result.isFailure(approach)) return Result.fail(approach.failure);
  const carry = shortest(g, source.success, destination.success);
  if (Result.isFailure(carry)) return Result.fail(carry.failure);
  const path = joinPaths([approach.success, carry.success]);

  const pickActionId = r.pickActionId ?? `${r.orderId}-pick`;
  const dropActionId = r.dropActionId ?? `${r.orderId}-drop`;
  const pick: Vda5050Action = {
    actionId: pickActionId,
    actionType: "pick",
    blockingType: "HARD",
    actionParameters: parameters([
      ["stationType", r.from.stationType],
      ["stationName", r.from.stationName],
      ["loadType", r.load.loadType],
      ["loadId", r.load.loadId],
      ["lhd", r.from.lhd],
      ["height", r.from.height],
      ["depth", r.from.depth],
      ["side", r.from.side],
    ]),
  };
  const drop: Vda5050Action = {
    actionId: dropActionId,
    actionType: "drop",
    blockingType: "HARD",
    actionParameters: parameters([
      ["stationType", r.to.stationType],
      ["stationName", r.to.stationName],
      ["loadType", r.load.loadType],
      ["loadId", r.load.loadId],
      ["lhd", r.to.lhd],
      ["height", r.to.height],
      ["depth", r.to.depth],
      ["side", r.to.side],
    ]),
  };
  const pickIndex = approach.success.nodes.length - 1;
  const dropIndex = path.nodes.length - 1;
  const actionsAt = new Map<number, Vda5050Action[]>([[pickIndex, [pick]]]);
  actionsAt.set(dropIndex, [...(actionsAt.get(dropIndex) ?? []), drop]);

  const { nodes, edges } = sequencePlan(planPath(g, path, actionsAt), 0, r.releasedNodes ?? path.nodes.length);
  const next = nextHeaderId(counters, topic.success);
  const order: Vda5050Order = {
    headerId: next.headerId,
    timestamp: utc(r.timestamp),
    version: r.version,
    manufacturer: r.agv.manufacturer,
    serialNumber: r.agv.serialNumber,
    orderId: r.orderId,
    orderUpdateId: 0,
    ...(r.orderDescription === undefined ? {} : { orderDescription: r.orderDescription }),
    nodes,
    edges,
  };
  const checked = parseInput(Vda5050OrderSchema, order, "transfer order");
  if (Result.isFailure(checked)) return Result.fail(checked.failure);
  const transfer: TransferPlan = {
    orderId: r.orderId,
    from: placeOf(r.from),
    to: placeOf(r.to),
    pickActionId,
    dropActionId,
    loadType: r.load.loadType,
    ...(r.load.loadId === undefined ? {} : { loadId: r.load.loadId }),
  };
  return Result.succeed({ order: checked.success, topic: topic.success, counters: next.counters, transfer, route: toRoute(g, path) });
};

const placeOf = (e: { warehouse: string; location?: string | undefined; nodeId: string }) =>
  e.location === undefined ? { warehouse: e.warehouse, nodeId: e.nodeId } : { warehouse: e.warehouse, location: e.location, nodeId: e.nodeId };

// ---------------------------------------------------------------------------------------------
// order updates
// ---------------------------------------------------------------------------------------------

/** The stitching node of an order: its last released node, where an update must start. */
export const stitchingNodeOf = (order: Pick<Vda5050Order, "nodes">): { readonly index: number; readonly node: Vda5050Node } | undefined => {
  for (let i = order.nodes.length - 1; i >= 0; i--) {
    const node = order.nodes[i]!;
    if (node.released) return { index: i, node };
  }
  return undefined;
};

const NodeRefSchema = z.object({ nodeId: Id, sequenceId: z.number().int().min(0) });

/**
 * How an update changes the previous order after its stitching node:
 * - `extend`: releases the previous horizon, the first `releasedNodes` nodes of the update
 *   (the stitching node included; default all), keeping its sequence ids;
 * - `replace`: a new horizon on `graph` — the given `path` (starting at the stitching node) or
 *   the shortest route to `to` (default: the previous last node) through every previous horizon
 *   node that carries actions, in order. Node actions of the previous horizon are carried over
 *   (those of the previous last node, e.g. the `drop`, to the new last node, or `finalActions`).
 */
export const OrderUpdateChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("extend"), releasedNodes: z.number().int().min(1).optional() }),
  z.object({
    kind: z.literal("replace"),
    graph: SiteGraphSchema,
    path: z.array(Id).min(1).optional(),
    to: Id.optional(),
    finalActions: z.array(Vda5050ActionSchema).optional(),
    releasedNodes: z.number().int().min(1).optional(),
  }),
]);

/**
 * An order update request: the sending time, the change, and optionally the node the update
 * must start from (e.g. the AGV's reported `lastNodeId`/`lastNodeSequenceId` when it has
 * finished its base) — refused unless it is the stitching node.
 */
export const OrderUpdateRequestSchema = z.object({
  timestamp: Timestamp,
  change: OrderUpdateChangeSchema,
  stitch: NodeRefSchema.optional(),
  interfaceName: z.string().optional(),
  majorVersion: z.string().optional(),
});
/** An order update request as written by the caller. */
export type OrderUpdateRequestInput = z.input<typeof OrderUpdateRequestSchema>;

const refuseStitch = (orderId: string, expected: Vda5050Node, actual: { nodeId: string; sequenceId?: number }, path: string) =>
  new StitchingNodeMismatch({
    orderId,
    expected: { nodeId: expected.nodeId, sequenceId: expected.sequenceId },
    actual,
    path,
    message: `an update of order "${orderId}" must start at its last released node "${expected.nodeId}" (sequenceId ${expected.sequenceId}), got "${actual.nodeId}"${actual.sequenceId === undefined ? "" : ` (sequenceId ${actual.sequenceId})`}`,
  });

const invalid = (subject: string, issues: FieldIssue[]) =>
  new InvalidInput({ subject, issues, message: `invalid ${subject}: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}` });

/**
 * Updates a sent order: same orderId, orderUpdateId + 1, first node the stitching node (the last
 * released node of the previous base, resent unchanged, as the protocol requires), then the
 * extended or replaced horizon with sequence ids continuing from it. A `stitch` or `path` that
 * does not start at the stitching node is a {@link StitchingNodeMismatch}.
 */
export const updateOrder = (
  previous: Vda5050Order,
  request: OrderUpdateRequestInput,
  counters: HeaderIdCounters,
): Result.Result<BuiltOrderMessage, InvalidInput | UnknownReference | NoRouteFound | StitchingNodeMismatch> => {
  const prev = parseInput(Vda5050OrderSchema, previous, "previous order");
  if (Result.isFailure(prev)) return Result.fail(prev.failure);
  const parsed = parseInput(OrderUpdateRequestSchema, request, "order update");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const p = prev.success;
  const r = parsed.success;
  if (p.orderUpdateId === VDA5050_UINT32_MAX) return Result.fail(invalid("previous order", [{ path: "orderUpdateId", message: "no orderUpdateId is left" }]));
  const stitching = stitchingNodeOf(p);
  if (stitching === undefined) return Result.fail(invalid("previous order", [{ path: "nodes.0.released", message: "the previous order has no base to stitch to" }]));
  const stitch = { ...stitching.node, released: true };
  if (r.stitch !== undefined && (r.stitch.nodeId !== stitch.nodeId || r.stitch.sequenceId !== stitch.sequenceId)) {
    return Result.fail(refuseStitch(p.orderId, stitch, r.stitch, "stitch"));
  }
  const horizonNodes = p.nodes.slice(stitching.index + 1);
  const horizonEdges = p.edges.slice(stitching.index);
  let nodes: Vda5050Node[];
  let edges: Vda5050Edge[];
  const change = r.change;
  if (change.kind === "extend") {
    if (horizonNodes.length === 0) {
      return Result.fail(invalid("order update", [{ path: "change.kind", message: "the previous order has no horizon to release; replace it instead" }]));
    }
    const released = change.releasedNodes ?? horizonNodes.length + 1;
    nodes = [stitch, ...horizonNodes.map((n, k) => ({ ...n, released: k + 1 < released }))];
    edges = horizonEdges.map((e, k) => ({ ...e, released: k + 1 < released }));
  } else {
    if (change.path !== undefined && change.to !== undefined) {
      return Result.fail(invalid("order update", [{ path: "change.to", message: "give either a path or a destination, not both" }]));
    }
    const g = compile(change.graph);
    const last = p.nodes[p.nodes.length - 1]!;
    const carriesFinal = horizonNodes.length > 0 && last.actions.length > 0;
    const waypoints = horizonNodes.filter((n, k) => n.actions.length > 0 && !(carriesFinal && k === horizonNodes.length - 1));
    const finalActions = change.finalActions ?? (carriesFinal ? last.actions : []);
    const stitchIndex = lookupNode(g, stitch.nodeId, "change.graph");
    if (Result.isFailure(stitchIndex)) return Result.fail(stitchIndex.failure);
    let path: Path;
    const actionsAt = new Map<number, Vda5050Action[]>();
    const addActions = (k: number, actions: readonly Vda5050Action[]) => actionsAt.set(k, [...(actionsAt.get(k) ?? []), ...actions]);
    if (change.path !== undefined) {
      if (change.path[0] !== stitch.nodeId) return Result.fail(refuseStitch(p.orderId, stitch, { nodeId: change.path[0]! }, "change.path.0"));
      const indices: number[] = [];
      for (const [k, nodeId] of change.path.entries()) {
        const i = lookupNode(g, nodeId, `change.path.${k}`);
        if (Result.isFailure(i)) return Result.fail(i.failure);
        indices.push(i.success);
      }
      const arcs: Arc[] = [];
      for (let k = 0; k + 1 < indices.length; k++) {
        const a = indices[k]!;
        const b = indices[k + 1]!;
        const arc = g.out[a]!.filter((x) => x.to === b).reduce<Arc | undefined>((best, x) => (best === undefined || x.length < best.length ? x : best), undefined);
        if (arc === undefined) {
          return Result.fail(invalid("order update", [{ path: `change.path.${k + 1}`, message: `no edge leads from "${g.nodes[a]!.id}" to "${g.nodes[b]!.id}"` }]));
        }
        arcs.push(arc);
      }
      path = { nodes: indices, arcs, length: arcs.reduce((s, a) => s + a.length, 0) };
      let from = 1;
      for (const waypoint of waypoints) {
        const k = change.path.findIndex((id, j) => j >= from && id === waypoint.nodeId);
        if (k < 0) {
          const ids = waypoint.actions.map((a) => a.actionId).join(", ");
          return Result.fail(invalid("order update", [{ path: "change.path", message: `the new route does not pass node "${waypoint.nodeId}" carrying actions ${ids}` }]));
        }
        addActions(k, waypoint.actions);
        from = k;
      }
    } else {
      const to = lookupNode(g, change.to ?? last.nodeId, "change.to");
      if (Result.isFailure(to)) return Result.fail(to.failure);
      const stops: number[] = [stitchIndex.success];
      for (const waypoint of waypoints) {
        const i = lookupNode(g, waypoint.nodeId, "change.graph");
        if (Result.isFailure(i)) return Result.fail(i.failure);
        stops.push(i.success);
      }
      stops.push(to.success);
      const legs: Path[] = [];
      for (let k = 0; k + 1 < stops.length; k++) {
        const leg = shortest(g, stops[k]!, stops[k + 1]!);
        if (Result.isFailure(leg)) return Result.fail(leg.failure);
        legs.push(leg.success);
        if (k < waypoints.length) addActions(legs.reduce((n, l) => n + l.arcs.length, 0), waypoints[k]!.actions);
      }
      path = joinPaths(legs);
    }
    addActions(path.nodes.length - 1, finalActions);
    const lost = actionsAt.get(0) ?? [];
    if (lost.length > 0) {
      const ids = lost.map((a) => a.actionId).join(", ");
      return Result.fail(
        invalid("order update", [{ path: change.path === undefined ? "change.to" : "change.path", message: `actions ${ids} would fall on the stitching node, which cannot change` }]),
      );
    }
    const plan = planPath(g, path, actionsAt);
    const released = change.releasedNodes ?? plan.nodes.length;
    const sequenced = sequencePlan(plan, stitch.sequenceId, released);
    nodes = [stitch, ...sequenced.nodes.slice(1)];
    edges = sequenced.edges;
  }
  const topic = orderTopic({ manufacturer: p.manufacturer, serialNumber: p.serialNumber, interfaceName: r.interfaceName, majorVersion: r.majorVersion }, "order update");
  if (Result.isFailure(topic)) return Result.fail(topic.failure);
  const next = nextHeaderId(counters, topic.success);
  const order: Vda5050Order = {
    ...p,
    headerId: next.headerId,
    timestamp: utc(r.timestamp),
    orderUpdateId: p.orderUpdateId + 1,
    nodes,
    edges,
  };
  const checked = parseInput(Vda5050OrderSchema, order, "order update");
  if (Result.isFailure(checked)) return Result.fail(checked.failure);
  return Result.succeed({ order: checked.success, topic: topic.success, counters: next.counters });
};

/**
 * The whole order as the AGV holds it after accepting `update`: the previous nodes and edges up
 * to the stitching node, then the update's. Refused when the update belongs to another order,
 * is not newer (`orderUpdateId`), or does not start at the stitching node of `previous`.
 */
export const mergeOrderUpdate = (previous: Vda5050Order, update: Vda5050Order): Result.Result<Vda5050Order, InvalidInput | StitchingNodeMismatch> => {
  if (update.orderId !== previous.orderId) {
    return Result.fail(invalid("order update", [{ path: "orderId", message: `belongs to order "${update.orderId}", not "${previous.orderId}"` }]));
  }
  if (update.orderUpdateId <= previous.orderUpdateId) {
    return Result.fail(invalid("order update", [{ path: "orderUpdateId", message: `must be greater than ${previous.orderUpdateId} (deprecated or repeated update)` }]));
  }
  const stitching = stitchingNodeOf(previous);
  if (stitching === undefined) return Result.fail(invalid("previous order", [{ path: "nodes.0.released", message: "the previous order has no base to stitch to" }]));
  const first = update.nodes[0];
  if (first === undefined || first.nodeId !== stitching.node.nodeId || first.sequenceId !== stitching.node.sequenceId) {
    return Result.fail(refuseStitch(previous.orderId, stitching.node, first ?? { nodeId: "" }, "nodes.0"));
  }
  const merged: Vda5050Order = {
    ...update,
    nodes: [...previous.nodes.slice(0, stitching.index + 1), ...update.nodes.slice(1)],
    edges: [...previous.edges.slice(0, stitching.index), ...update.edges],
  };
  return parseInput(Vda5050OrderSchema, merged, "merged order");
};
