/**
 * Tracking a VDA 5050 order through the AGV's `state` and `connection` messages: which nodes
 * are reached, how its actions stand, whether the task is done or failed (a FAILED action or an
 * active FATAL error), whether the AGV's connection is lost — ignoring stale and out-of-order
 * messages — and, once the transfer is done, the `@jxc/core` transfer document (调拨单) it
 * stands for.
 *
 * Pure: every step takes the tracking and a message and returns the next tracking.
 *
 * @module
 */
import { Data, Result } from "effect";
import { z } from "zod";
import { InstantString, InvalidInput, StockDocumentSchema, parseInput, type StockDocumentInput } from "@jxc/core";
import { mergeOrderUpdate, type StitchingNodeMismatch, type TransferPlan } from "./vda5050-order.js";
import type {
  Vda5050ActionStatus,
  Vda5050AgvError,
  Vda5050Connection,
  Vda5050ConnectionState,
  Vda5050Message,
  Vda5050Order,
  Vda5050State,
} from "./vda5050.js";

/** The connection of the AGV as last reported; UNKNOWN before any `connection` message. */
export type AgvConnectionStatus = Vda5050ConnectionState | "UNKNOWN";

/** The header of the last applied message of a topic: the watermark later messages must pass. */
export interface MessageWatermark {
  /** `-1` after a reconnection, when the AGV's counters may restart. */
  readonly headerId: number;
  readonly timestamp: string;
  /** `timestamp` in epoch milliseconds. */
  readonly at: number;
}

/** The active errors of the AGV's last applied state, by level. */
export interface AgvErrorsByLevel {
  readonly warnings: readonly Vda5050AgvError[];
  readonly fatal: readonly Vda5050AgvError[];
}

/** The tracking of one order of one AGV. Immutable; see {@link startOrderTracking}. */
export interface OrderTracking {
  /** The order as the AGV holds it (updates merged). */
  readonly order: Vda5050Order;
  /** The transfer the order carries out, when built by `buildTransferOrder`. */
  readonly transfer: TransferPlan | undefined;
  /** Highest sequence id of a reached node; `-1` before the first. */
  readonly reachedSequenceId: number;
  /** As last reported for this order; `""` / `0` before any report. */
  readonly lastNodeId: string;
  readonly lastNodeSequenceId: number;
  /** Status of the order's actions by actionId (FINISHED and FAILED are final). */
  readonly actionStatus: ReadonlyMap<string, Vda5050ActionStatus>;
  readonly errors: AgvErrorsByLevel;
  readonly connection: AgvConnectionStatus;
  readonly stateWatermark: MessageWatermark | undefined;
  readonly connectionWatermark: MessageWatermark | undefined;
  /** Timestamp of the state that completed the order (every node reached, every action finished). */
  readonly completedAt: string | undefined;
  /** How many messages were ignored (stale, out of order, another AGV). */
  readonly ignoredMessages: number;
}

/** A node of the order, by id and sequence id. */
export interface OrderNodeRef {
  readonly nodeId: string;
  readonly sequenceId: number;
  readonly released: boolean;
}

/** The progress of the task an order carries out. */
export interface TaskProgress {
  readonly orderId: string;
  readonly lastNodeId: string;
  readonly lastNodeSequenceId: number;
  readonly reachedNodes: readonly OrderNodeRef[];
  readonly remainingNodes: readonly OrderNodeRef[];
  readonly actions: ReadonlyArray<{ readonly actionId: string; readonly actionType: string; readonly status: Vda5050ActionStatus }>;
  /**
   * 0–100: reached nodes and finished actions over all nodes and actions of the order, 100
   * only when done.
   */
  readonly percent: number;
  /** Every node reached and every action finished (final once reached). */
  readonly done: boolean;
  /** Not done, and an action FAILED or a FATAL error is active. */
  readonly failed: boolean;
}

/**
 * What became of a message: `applied`; `stale` (headerId not above the last applied one);
 * `out-of-order` (timestamp before the last applied one); `other-agv` (header names another
 * AGV); `other-order` (a fresh state about another order: its errors count, not its progress).
 */
export type TrackingOutcome = "applied" | "stale" | "out-of-order" | "other-agv" | "other-order";

/** The tracking after a message, and what became of the message. */
export interface TrackingStep {
  readonly tracking: OrderTracking;
  readonly outcome: TrackingOutcome;
}

const NO_ERRORS: AgvErrorsByLevel = { warnings: [], fatal: [] };

const orderActions = (order: Vda5050Order) => [...order.nodes.flatMap((n) => n.actions), ...order.edges.flatMap((e) => e.actions)];

/** Starts tracking a sent order (and the transfer it carries out, when there is one). */
export const startOrderTracking = (order: Vda5050Order, transfer?: TransferPlan): OrderTracking => ({
  order,
  transfer,
  reachedSequenceId: -1,
  lastNodeId: "",
  lastNodeSequenceId: 0,
  actionStatus: new Map(orderActions(order).map((a) => [a.actionId, "WAITING" as const])),
  errors: NO_ERRORS,
  connection: "UNKNOWN",
  stateWatermark: undefined,
  connectionWatermark: undefined,
  completedAt: undefined,
  ignoredMessages: 0,
});

/** Merges a sent order update into the tracked order (see `mergeOrderUpdate`); statuses already known are kept. */
export const applyOrderUpdate = (tracking: OrderTracking, update: Vda5050Order): Result.Result<OrderTracking, InvalidInput | StitchingNodeMismatch> =>
  Result.map(mergeOrderUpdate(tracking.order, update), (order) => {
    const actionStatus = new Map<string, Vda5050ActionStatus>(orderActions(order).map((a) => [a.actionId, tracking.actionStatus.get(a.actionId) ?? "WAITING"]));
    return { ...tracking, order, actionStatus, completedAt: undefined };
  });

const isFinal = (status: Vda5050ActionStatus) => status === "FINISHED" || status === "FAILED";

const sameAgv = (tracking: OrderTracking, message: { manufacturer: string; serialNumber: string }) =>
  message.manufacturer === tracking.order.manufacturer && message.serialNumber === tracking.order.serialNumber;

const ignore = (tracking: OrderTracking, outcome: TrackingOutcome): TrackingStep => ({
  tracking: { ...tracking, ignoredMessages: tracking.ignoredMessages + 1 },
  outcome,
});

const isComplete = (order: Vda5050Order, reachedSequenceId: number, actionStatus: ReadonlyMap<string, Vda5050ActionStatus>) => {
  const last = order.nodes[order.nodes.length - 1]!;
  return reachedSequenceId >= last.sequenceId && [...actionStatus.values()].every((s) => s === "FINISHED");
};

/**
 * Applies an AGV `state` message. Ignored when it names another AGV, when its timestamp is
 * before the last applied state's (`out-of-order`) or its headerId is not above it (`stale`).
 * Otherwise its errors become the active errors; if it reports this order, the reached node
 * (when `lastNodeId` is the order's node at `lastNodeSequenceId`), and the statuses of the
 * order's actions (FINISHED and FAILED stay), advance.
 */
export const applyAgvState = (tracking: OrderTracking, state: Vda5050State): TrackingStep => {
  if (!sameAgv(tracking, state)) return ignore(tracking, "other-agv");
  const at = Date.parse(state.timestamp);
  const mark = tracking.stateWatermark;
  if (mark !== undefined && at < mark.at) return ignore(tracking, "out-of-order");
  if (mark !== undefined && state.headerId <= mark.headerId) return ignore(tracking, "stale");
  const errors: AgvErrorsByLevel = {
    warnings: state.errors.filter((e) => e.errorLevel === "WARNING"),
    fatal: state.errors.filter((e) => e.errorLevel === "FATAL"),
  };
  const base = { ...tracking, errors, stateWatermark: { headerId: state.headerId, timestamp: state.timestamp, at } };
  if (state.orderId !== tracking.order.orderId) return { tracking: base, outcome: "other-order" };

  const node = tracking.order.nodes.find((n) => n.sequenceId === state.lastNodeSequenceId);
  const reachedSequenceId =
    node !== undefined && node.nodeId === state.lastNodeId ? Math.max(tracking.reachedSequenceId, state.lastNodeSequenceId) : tracking.reachedSequenceId;
  const actionStatus = new Map(tracking.actionStatus);
  for (const reported of state.actionStates) {
    const current = actionStatus.get(reported.actionId);
    if (current !== undefined && !isFinal(current)) actionStatus.set(reported.actionId, reported.actionStatus);
  }
  const completedAt =
    tracking.completedAt ?? (isComplete(tracking.order, reachedSequenceId, actionStatus) ? state.timestamp : undefined);
  return {
    tracking: { ...base, lastNodeId: state.lastNodeId, lastNodeSequenceId: state.lastNodeSequenceId, reachedSequenceId, actionStatus, completedAt },
    outcome: "applied",
  };
};

/**
 * Applies a `connection` message. CONNECTIONBROKEN is the broker's last will, whose header was
 * fixed when the AGV connected, so it is always applied; ONLINE and OFFLINE are ignored when
 * older than the last applied one (timestamp, then headerId). ONLINE starts a new session: the
 * AGV's headerId counters may restart, so the state headerId watermark is reset (its timestamp
 * is kept).
 */
export const applyAgvConnection = (tracking: OrderTracking, connection: Vda5050Connection): TrackingStep => {
  if (!sameAgv(tracking, connection)) return ignore(tracking, "other-agv");
  if (connection.connectionState === "CONNECTIONBROKEN") return { tracking: { ...tracking, connection: "CONNECTIONBROKEN" }, outcome: "applied" };
  const at = Date.parse(connection.timestamp);
  const mark = tracking.connectionWatermark;
  if (mark !== undefined && at < mark.at) return ignore(tracking, "out-of-order");
  if (mark !== undefined && at === mark.at && connection.headerId <= mark.headerId) return ignore(tracking, "stale");
  const stateWatermark =
    connection.connectionState === "ONLINE" && tracking.stateWatermark !== undefined ? { ...tracking.stateWatermark, headerId: -1 } : tracking.stateWatermark;
  return {
    tracking: {
      ...tracking,
      connection: connection.connectionState,
      connectionWatermark: { headerId: connection.headerId, timestamp: connection.timestamp, at },
      stateWatermark,
    },
    outcome: "applied",
  };
};

/**
 * Applies a decoded message (from `parseVda5050Message`): `state` and `connection` advance the
 * tracking, an `order` of the same orderId is merged as an update; anything else leaves it as
 * it is.
 */
export const applyVda5050Message = (tracking: OrderTracking, message: Vda5050Message): Result.Result<TrackingStep, InvalidInput | StitchingNodeMismatch> => {
  switch (message.subtopic) {
    case "state":
      return Result.succeed(applyAgvState(tracking, message.message));
    case "connection":
      return Result.succeed(applyAgvConnection(tracking, message.message));
    case "order":
      if (message.message.orderId !== tracking.order.orderId || message.message.orderUpdateId <= tracking.order.orderUpdateId) {
        return Result.succeed({ tracking, outcome: "other-order" });
      }
      return Result.map(applyOrderUpdate(tracking, message.message), (t): TrackingStep => ({ tracking: t, outcome: "applied" }));
    default:
      return Result.succeed({ tracking, outcome: "applied" });
  }
};

/** The connection to the AGV is lost (OFFLINE or CONNECTIONBROKEN); it still drives its base, but reports nothing. */
export const isConnectionLost = (tracking: OrderTracking): boolean => tracking.connection === "OFFLINE" || tracking.connection === "CONNECTIONBROKEN";

/** The progress of the tracked task. */
export const taskProgress = (tracking: OrderTracking): TaskProgress => {
  const { order } = tracking;
  const ref = (n: Vda5050Order["nodes"][number]): OrderNodeRef => ({ nodeId: n.nodeId, sequenceId: n.sequenceId, released: n.released });
  const reachedNodes = order.nodes.filter((n) => n.sequenceId <= tracking.reachedSequenceId).map(ref);
  const remainingNodes = order.nodes.filter((n) => n.sequenceId > tracking.reachedSequenceId).map(ref);
  const actions = orderActions(order).map((a) => ({ actionId: a.actionId, actionType: a.actionType, status: tracking.actionStatus.get(a.actionId) ?? "WAITING" }));
  const done = tracking.completedAt !== undefined;
  const finished = actions.filter((a) => a.status === "FINISHED").length;
  const total = order.nodes.length + actions.length;
  const percent = done ? 100 : Math.min(99, Math.floor((100 * (reachedNodes.length + finished)) / total));
  const failed = !done && (actions.some((a) => a.status === "FAILED") || tracking.errors.fatal.length > 0);
  return {
    orderId: order.orderId,
    lastNodeId: tracking.lastNodeId,
    lastNodeSequenceId: tracking.lastNodeSequenceId,
    reachedNodes,
    remainingNodes,
    actions,
    percent,
    done,
    failed,
  };
};

// ---------------------------------------------------------------------------------------------
// the transfer document
// ---------------------------------------------------------------------------------------------

/** The order is not done (yet, or it failed): no stock has provably moved. */
export class TaskNotFinished extends Data.TaggedError("TaskNotFinished")<{
  readonly orderId: string;
  readonly percent: number;
  readonly failed: boolean;
  readonly message: string;
}> {}

const Place = z.object({ warehouse: z.string().min(1), location: z.string().min(1).optional() });

/**
 * What the caller adds to a done transfer order to make its `@jxc/core` transfer document: the
 * document and business ids, the items and quantities (decimal strings) moved, and optionally
 * the business time (default: when the AGV reported completion) and the places (default: those
 * of the transfer plan).
 */
export const TransferDocumentRequestSchema = z.object({
  id: z.string().min(1),
  businessId: z.string().min(1),
  at: InstantString.optional(),
  memo: z.string().max(500).optional(),
  lines: z
    .array(
      z.object({
        item: z.string().min(1),
        qty: z.string(),
        unit: z.string().optional(),
        lot: z.string().optional(),
        serials: z.array(z.string()).optional(),
      }),
    )
    .min(1),
  from: Place.optional(),
  to: Place.optional(),
});
/** A transfer document request as written by the caller. */
export type TransferDocumentRequestInput = z.input<typeof TransferDocumentRequestSchema>;

/** A `@jxc/core` transfer document (调拨单) as written on the wire. */
export type TransferDocumentInput = Extract<StockDocumentInput, { type: "transfer" }>;

const placeOf = (p: { warehouse: string; location?: string | undefined }) =>
  p.location === undefined ? { warehouse: p.warehouse } : { warehouse: p.warehouse, location: p.location };

/**
 * The transfer document of a done transfer order: every line from the pick place to the drop
 * place, at the completion time unless given, memo naming the order; validated with
 * `StockDocumentSchema`. A task not done is a {@link TaskNotFinished}; an order without a
 * transfer plan and without places given, or a document core refuses, an {@link InvalidInput}.
 */
export const transferDocumentFromOrder = (
  tracking: OrderTracking,
  request: TransferDocumentRequestInput,
): Result.Result<TransferDocumentInput, InvalidInput | TaskNotFinished> => {
  const progress = taskProgress(tracking);
  if (!progress.done || tracking.completedAt === undefined) {
    return Result.fail(
      new TaskNotFinished({
        orderId: progress.orderId,
        percent: progress.percent,
        failed: progress.failed,
        message: `order "${progress.orderId}" is ${progress.failed ? "failed" : `not done (${progress.percent}%)`}`,
      }),
    );
  }
  const parsed = parseInput(TransferDocumentRequestSchema, request, "transfer document request");
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
  const r = parsed.success;
  const from = r.from ?? tracking.transfer?.from;
  const to = r.to ?? tracking.transfer?.to;
  if (from === undefined || to === undefined) {
    const path = from === undefined ? "from" : "to";
    return Result.fail(
      new InvalidInput({ subject: "transfer document request", issues: [{ path, message: "required: the tracked order carries no transfer plan" }], message: `invalid transfer document request: ${path}: required` }),
    );
  }
  const document: TransferDocumentInput = {
    id: r.id,
    businessId: r.businessId,
    at: r.at ?? tracking.completedAt,
    memo: r.memo ?? `VDA 5050 order ${tracking.order.orderId}`,
    type: "transfer",
    lines: r.lines.map((line) => ({ ...line, from: placeOf(from), to: placeOf(to) })),
  };
  const checked = parseInput(StockDocumentSchema, document, "transfer document");
  if (Result.isFailure(checked)) return Result.fail(checked.failure);
  return Result.succeed(document);
};
