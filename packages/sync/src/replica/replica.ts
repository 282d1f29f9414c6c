/**
 * A replica — the center (headquarters) or an edge (store, regional warehouse, 3PL, VMI site):
 * the replicated {@link SyncState}, a hybrid logical clock, the exactly-once sessions of its
 * peers, the authority policy and, optionally, an `@jxc/core` {@link StockLedger} that posts
 * every operation as a core document so the replica values and costs what it did.
 *
 * Pure and deterministic: time is the `now` argument (epoch milliseconds) of every call; there
 * is no I/O. A runtime (see `runReplica` in the transport module, or the simulator) hands
 * {@link Replica.outgoing} frames to a transport and incoming bytes to {@link Replica.receive}.
 *
 * Topology: a star. Edges talk to their center only and send only what they own (their rows of
 * the counters, their registers and statuses); the center relays everything to every edge. The
 * center checks that no edge claims rights nobody gave it.
 *
 * Persistence rule (write-ahead): persist {@link Replica.snapshot} before handing the frames of
 * `outgoing`/`receive` to the transport, so a restarted replica never knows less of its own
 * rows than a peer does. {@link Replica.restore} starts a new connection epoch; peers then
 * resend everything since the beginning — bounded by the number of counters, not operations.
 *
 * @module
 */
import { type Dec, type LedgerConfigInput, type LedgerError, type StockDocumentInput, InvalidInput, StockLedger, parseInput } from "@jxc/core";
import { Result } from "effect";
import { z } from "zod";
import { type ClockDrift, type ClockOverflow, type Hlc, HLC_ZERO, nextHlc, receiveHlc, tickExhausted, tickHlc } from "../clock/hlc.js";
import { type CellDelta, InsufficientRights } from "../crdt/escrow.js";
import type { JsonValue, LwwEntry } from "../crdt/lww.js";
import { type InvalidQuantity, type QuantityOverflow, DEFAULT_QUANTITY_SCALE, MAX_QUANTITY_SCALE, fromUnits, toUnits } from "../crdt/quantity.js";
import { type SiteDemand, proportionalRebalance } from "../crdt/rebalance.js";
import { SyncState, type SyncStateData } from "../crdt/state.js";
import type { DocumentStatus, StatusEntry } from "../crdt/status.js";
import { FrameBuffer, type FrameToEncode, type InvalidFrame, type MalformedFrame, type PackedDeltaMessage, decodeFrame, encodeFrameUnchecked } from "../protocol/codec.js";
import { type Frame, type Message, PROTOCOL_VERSION } from "../protocol/messages.js";
import { type PeerSession, type ReplayedFrame, SessionTracker, type StaleEpoch } from "../protocol/session.js";
import { DuplicateOperation, ForgedFrame, NotApplicable, RightsViolation } from "./errors.js";
import { BareStockOperation, type BareStockInput, type LocalOperation, type LocalOperationInput, LocalOperationSchema, bareStockUnits, operationToJson, parseOperation } from "./operation.js";
import { AuthorityPolicySchema, needsApproval } from "./policy.js";
import {
  type AuditChain,
  type AuditChainBroken,
  type AuditChainHead,
  type AuditEntry,
  type AuditPrivateKey,
  type InvalidAuditKey,
  appendAuditEntry,
  publicKeyOf,
  restoreAuditChain,
  startAuditChain,
} from "../audit/index.js";

const Id = z.string().min(1).max(128);

/** The configuration of a replica (plain data). */
export const ReplicaConfigSchema = z
  .object({
    /** This replica's id (its node name on the network). */
    id: Id,
    /** `center` (headquarters: relays, approves, grants rights) or `edge`. */
    role: z.enum(["center", "edge"]),
    /** The center's id (required for an edge; for the center, its own id). */
    center: Id.optional(),
    /** The authority policy of edges (defaults: see `AuthorityPolicySchema`). */
    policy: AuthorityPolicySchema.default(AuthorityPolicySchema.parse({})),
    /** The furthest a peer's clock may run ahead of local wall time, in ms (default 60 s). */
    maxDriftMs: z.number().int().nonnegative().default(60_000),
    /** Interval of the summary message, in ms (default 30 s). */
    summaryIntervalMs: z.number().int().positive().default(30_000),
    /** After this long without an acknowledgement, unacknowledged changes are sent again (default: the summary interval). */
    resendIntervalMs: z.number().int().positive().optional(),
    /** Decimal places of quantities (default 3). */
    quantityScale: z.number().int().min(0).max(MAX_QUANTITY_SCALE).default(DEFAULT_QUANTITY_SCALE),
    /** At most this many counters + registers + statuses per delta frame (default 10,000). */
    maxEntriesPerFrame: z.number().int().positive().default(10_000),
    /** Peers known from the start (the center's edges); others are learnt from their frames unless `closedPeers`. */
    peers: z.array(Id).default([]),
    /** Accept frames only from `peers` (and, for an edge, its center). */
    closedPeers: z.boolean().default(false),
    /**
     * Ship every operation as a register of the `ops` table (its JSON), so the center posts the
     * edges' documents to its own ledger and values them. Costs bytes on the wire; off by default.
     */
    journal: z.boolean().default(false),
    /**
     * A core stock ledger to post every operation to (a `StockLedger.create` configuration).
     * Omit it for a light replica (counters only): typically the center posts and edges may not.
     */
    ledger: z.custom<LedgerConfigInput>((v) => typeof v === "object" && v !== null, { message: "must be a ledger configuration object" }).optional(),
  })
  .refine((c) => c.role === "center" || c.center !== undefined, { message: "an edge needs the id of its center", path: ["center"] })
  .refine((c) => c.role === "edge" || c.center === undefined || c.center === c.id, { message: "the center's `center` is its own id", path: ["center"] });
/** A parsed replica configuration. */
export type ReplicaConfig = z.output<typeof ReplicaConfigSchema>;
/** A replica configuration as written. */
export type ReplicaConfigInput = z.input<typeof ReplicaConfigSchema>;

/** An operation waiting for the center's approval, as the center sees it. */
export interface ApprovalRequest {
  /** The operation id. */
  readonly op: string;
  /** The edge that asked. */
  readonly from: string;
  readonly operation: LocalOperation;
  /** `policy` (the kind needs approval) or `rights` (the edge ran out of rights). */
  readonly reason: "policy" | "rights";
}

/** Functions a replica is given besides its configuration. */
export interface ReplicaOptions {
  /**
   * At the center: decides a request on arrival — `approved`, `rejected`, or `undefined` to
   * leave it for {@link Replica.decide}. Build it from a rule set of the core rule language with
   * `approvalByRules`.
   */
  readonly autoApprove?: (request: ApprovalRequest) => "approved" | "rejected" | boolean | undefined;
  /**
   * Keep this replica's tamper-evident log: every key operation it does — stock changed, transfer
   * created, price or master data changed, and at the center every approval or rejection — is
   * appended to its audit chain ({@link Replica.audit}), signed with this ed25519 private key.
   * The chain is part of the snapshot; restore with the same key to go on appending.
   */
  readonly audit?: { readonly key: AuditPrivateKey };
}

/** What a local operation did. */
export interface OperationOutcome {
  readonly op: string;
  /** `applied` (done and counted), or `pending` (waiting for the center). */
  readonly status: "applied" | "pending";
  /** Why it is pending. */
  readonly reason?: "policy" | "rights";
  /** Its timestamp. */
  readonly hlc: Hlc;
}

/** A frame to send: the receiving replica and the bytes. */
export interface OutgoingFrame {
  readonly to: string;
  readonly frame: Uint8Array;
}

/** Every failure of {@link Replica.localOperation}. */
export type OperationError =
  | InvalidInput
  | InvalidQuantity
  | QuantityOverflow
  | InsufficientRights
  | ClockOverflow
  | DuplicateOperation
  | LedgerError;

/** Every reason {@link Replica.receive} refuses a frame (the replica is then unchanged). */
export type ReceiveError = MalformedFrame | InvalidFrame | ForgedFrame | ReplayedFrame | StaleEpoch | ClockDrift | ClockOverflow | RightsViolation;

/** The persisted form of a replica (JSON-serializable). */
export interface ReplicaSnapshot {
  readonly format: 1;
  readonly config: ReplicaConfigInput;
  readonly epoch: number;
  readonly hlc: Hlc;
  readonly state: SyncStateData;
  readonly sessions: Readonly<Record<string, PeerSession>>;
  readonly peers: ReadonlyArray<string>;
  /** Edge: operations waiting for the center, `[op, operation JSON, reason]`. */
  readonly pending: ReadonlyArray<readonly [string, string, "policy" | "rights"]>;
  /** Center: undecided requests, `[op, from, operation JSON, reason]`. */
  readonly approvals: ReadonlyArray<readonly [string, string, string, "policy" | "rights"]>;
  /** Edge: rights requests not yet answered, `[request, item, position, lot, units]`. */
  readonly rightsRequests: ReadonlyArray<readonly [string, string, string, string | null, number]>;
  /** Center: answered rights requests, `[request, units]`. */
  readonly grants: ReadonlyArray<readonly [string, number]>;
  /** Ledger documents in posting order (when the replica has a ledger). */
  readonly documents: ReadonlyArray<unknown>;
  /** The request counter. */
  readonly requests: number;
  /** The audit chain, when the replica keeps one: the head before its first entry, and the entries. */
  readonly audit?: { readonly base: AuditChainHead; readonly entries: ReadonlyArray<AuditEntry> };
}

const ReplicaSnapshotSchema = z.object({
  format: z.literal(1),
  config: z.record(z.string(), z.unknown()),
  epoch: z.number().int().nonnegative(),
  hlc: z.object({ wall: z.number().int().nonnegative(), logical: z.number().int().nonnegative(), node: z.string() }),
  state: z.object({ version: z.number().int().nonnegative(), cells: z.array(z.unknown()), registers: z.array(z.unknown()), statuses: z.array(z.unknown()) }),
  sessions: z.record(z.string(), z.object({ epoch: z.number(), highest: z.string().regex(/^\d+$/), seen: z.array(z.string().regex(/^\d+$/)) })),
  peers: z.array(z.string()),
  pending: z.array(z.tuple([z.string(), z.string(), z.enum(["policy", "rights"])])),
  approvals: z.array(z.tuple([z.string(), z.string(), z.string(), z.enum(["policy", "rights"])])),
  rightsRequests: z.array(z.tuple([z.string(), z.string(), z.string(), z.string().nullable(), z.number().int().nonnegative()])),
  grants: z.array(z.tuple([z.string(), z.number().int().nonnegative()])),
  documents: z.array(z.unknown()),
  requests: z.number().int().nonnegative(),
  audit: z.object({ base: z.object({ sequence: z.number().int().nonnegative(), hash: z.string() }), entries: z.array(z.unknown()) }).optional(),
});

/** Per-peer bookkeeping of the delta exchange. */
interface Link {
  /** The peer's version applied here without gaps. */
  received: number;
  /** This replica's version the peer acknowledged. */
  acked: number;
  /** This replica's version sent up to (in frames maybe not yet acknowledged). */
  sent: number;
  /** Version up to which the unsent range is known to hold nothing for this peer. */
  scanned: number;
  /** Since when changes sent to the peer wait for its acknowledgement (reset whenever it advances). */
  waitingSince: number;
  /** The sequence of the peer's frame that gave `acked` (a later frame's word replaces it). */
  ackSeq: bigint;
  lastSummary: number;
  nextSeq: bigint;
  hello: boolean;
  ackDue: boolean;
  /** Messages waiting for the next frame to this peer (grants, decisions). */
  queued: Message[];
}

const newLink = (): Link => ({
  received: 0,
  acked: 0,
  sent: 0,
  scanned: 0,
  waitingSince: Number.NEGATIVE_INFINITY,
  ackSeq: 0n,
  lastSummary: Number.NEGATIVE_INFINITY,
  nextSeq: 1n,
  hello: false,
  ackDue: false,
  queued: [],
});

/** A stock effect of an operation: units in (+) or out (−) of a counter. */
interface Effect {
  readonly item: string;
  readonly position: string;
  readonly lot: string | undefined;
  readonly units: number;
}

/** A replica. See the module documentation. */
export class Replica {
  private readonly state: SyncState;
  private hlc: Hlc;
  private readonly sessions: SessionTracker;
  private readonly links = new Map<string, Link>();
  private readonly pending = new Map<string, { operation: LocalOperation; reason: "policy" | "rights"; lastSent: number; approved: boolean }>();
  private readonly approvals = new Map<string, ApprovalRequest>();
  private readonly rightsRequests = new Map<string, { item: string; position: string; lot: string | undefined; units: number; lastSent: number }>();
  private readonly grants = new Map<string, number>();
  private readonly ledgerDocuments: unknown[] = [];
  private readonly ledgerIssues: { op: string; error: LedgerError }[] = [];
  private requests = 0;
  private auditLog: AuditChain | undefined = undefined;
  private readonly resendMs: number;
  private readonly centerId: string;
  /** The buffer every outgoing frame is encoded into. */
  private readonly frameBuffer = new FrameBuffer();
  // The configuration as the hot path of local operations reads it (plain fields of the replica).
  /** This replica's id. */
  private readonly ownId: string;
  /** No ledger and no journal: a bare stock operation only counts. */
  private readonly countsOnly: boolean;
  /** The kinds this replica must ask the center for (none at the center). */
  private readonly askedKinds: ReadonlySet<string>;
  /** An edge that queues an operation beyond its rights for the center. */
  private readonly queuesRefusals: boolean;

  private constructor(
    /** The parsed configuration. */
    readonly config: ReplicaConfig,
    private readonly configInput: ReplicaConfigInput,
    private readonly options: ReplicaOptions,
    /** The connection epoch of this run (birth/death sequence): a new one at every start and restore. */
    readonly epoch: number,
    /** The core ledger, when configured. */
    readonly ledger: StockLedger | undefined,
    state: SyncState,
    hlc: Hlc,
    sessions: SessionTracker,
  ) {
    this.state = state;
    this.hlc = hlc;
    this.sessions = sessions;
    this.resendMs = config.resendIntervalMs ?? config.summaryIntervalMs;
    this.centerId = config.role === "center" ? config.id : config.center!;
    this.ownId = config.id;
    this.countsOnly = ledger === undefined && !config.journal;
    this.askedKinds = new Set(config.role === "edge" ? config.policy.approval : []);
    this.queuesRefusals = config.role === "edge" && config.policy.outOfRights === "queue";
    if (config.role === "edge") this.links.set(this.centerId, newLink());
    for (const p of config.peers) if (p !== config.id && !this.links.has(p)) this.links.set(p, newLink());
  }

  /** Creates a replica with an empty state; `now` (epoch ms) starts its connection epoch. */
  static create(config: ReplicaConfigInput, now: number, options: ReplicaOptions = {}): Result.Result<Replica, InvalidInput | InvalidAuditKey> {
    const parsed = parseInput(ReplicaConfigSchema, config, "replica configuration");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const c = parsed.success;
    let ledger: StockLedger | undefined;
    if (c.ledger !== undefined) {
      const l = StockLedger.create(c.ledger);
      if (Result.isFailure(l)) return Result.fail(l.failure);
      ledger = l.success;
    }
    const epoch = Math.max(1, Math.floor(Number.isFinite(now) ? now : 1));
    const replica = new Replica(inOneShape(c), config, options, epoch, ledger, new SyncState(c.quantityScale), { ...HLC_ZERO, node: c.id }, new SessionTracker());
    if (options.audit !== undefined) {
      const chain = Result.flatMap(publicKeyOf(options.audit.key), (publicKey) => startAuditChain({ replica: c.id, publicKey }));
      if (Result.isFailure(chain)) return Result.fail(chain.failure);
      replica.auditLog = chain.success;
    }
    return Result.succeed(replica);
  }

  /** This replica's audit chain, when it keeps one ({@link ReplicaOptions.audit}). */
  get audit(): AuditChain | undefined {
    return this.auditLog;
  }

  /** Appends a key operation to the audit chain, when the replica keeps one. */
  private audited(kind: string, businessId: string, payload: Readonly<Record<string, string>>, now: number): void {
    if (this.auditLog === undefined) return;
    const timestamp = new Date(Number.isFinite(now) ? now : 0).toISOString();
    // The chain was started from this key and the record is plain strings: an append cannot fail.
    this.auditLog = Result.getOrThrow(appendAuditEntry(this.auditLog, { kind, timestamp, businessId, payload }, this.options.audit!.key)).chain;
  }

  /** Audits an operation this replica applied. */
  private auditApplied(op: LocalOperation, now: number): void {
    if (this.auditLog === undefined) return;
    const kind = op.kind === "transfer-out" ? "transfer-created" : op.kind === "price-change" ? "price-changed" : op.kind === "master-data" ? "master-data-changed" : "stock-changed";
    this.audited(kind, op.id, { operation: operationToJson(op) }, now);
  }

  /** This replica's id. */
  get id(): string {
    return this.config.id;
  }

  /** `center` or `edge`. */
  get role(): "center" | "edge" {
    return this.config.role;
  }

  /** The local version of the replicated state (the number of its latest change). */
  get version(): number {
    return this.state.version;
  }

  /** The latest timestamp of this replica's clock. */
  get clock(): Hlc {
    return this.hlc;
  }

  /** The replicated state (read it; change it only through the replica). */
  get replicatedState(): SyncState {
    return this.state;
  }

  /** The peers this replica exchanges with. */
  peers(): string[] {
    return [...this.links.keys()];
  }

  // -------------------------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------------------------

  private dec(units: number): Dec {
    return fromUnits(units, this.config.quantityScale);
  }

  /** This replica's rights on a counter: what it may still take out without asking. */
  rights(item: string, position: string, lot?: string): Dec {
    return this.dec(this.state.rights(this.config.id, item, position, lot));
  }

  /** The rights of another replica on a counter, as far as this replica knows. */
  rightsOf(replica: string, item: string, position: string, lot?: string): Dec {
    return this.dec(this.state.rights(replica, item, position, lot));
  }

  /** The quantity at a position (all replicas' receipts minus all their issues, as known here). */
  quantity(item: string, position: string, lot?: string): Dec {
    return this.dec(this.state.value(item, position, lot));
  }

  /** The current write of a register (master data). */
  register(table: string, key: string): JsonValue | undefined {
    return this.state.register(table, key)?.value;
  }

  /** The status of an operation that went through approval. */
  status(op: string): DocumentStatus | undefined {
    return this.state.status(op)?.status;
  }

  /** Edge: operations waiting for the center's decision (or, once approved, for the rights to do them). */
  pendingOperations(): { op: string; operation: LocalOperation; reason: "policy" | "rights"; approved: boolean }[] {
    return [...this.pending].map(([op, p]) => ({ op, operation: p.operation, reason: p.reason, approved: p.approved }));
  }

  /** Center: requests not yet decided. */
  pendingApprovals(): ApprovalRequest[] {
    return [...this.approvals.values()];
  }

  /** Center: operations of edges (journal) its ledger refused, with why. */
  ledgerRefusals(): ReadonlyArray<{ readonly op: string; readonly error: LedgerError }> {
    return this.ledgerIssues;
  }

  /** A digest of the replicated state: equal on replicas that converged. */
  digest(): string {
    return this.state.digest();
  }

  // -------------------------------------------------------------------------------------------
  // Local operations
  // -------------------------------------------------------------------------------------------

  private tick(now: number): Result.Result<Hlc, ClockOverflow> {
    return tickHlc(this.hlc, now, this.config.id);
  }

  /**
   * Does a local operation at `now`: validated (zod), stamped with the clock, checked against
   * the authority policy and this replica's rights, posted to the ledger if there is one, and
   * counted. An edge's operation that needs approval becomes `pending`; one beyond its rights is
   * refused with {@link InsufficientRights} or, under `outOfRights: "queue"`, becomes pending
   * for the center. Any failure leaves the replica unchanged.
   */
  localOperation(input: LocalOperationInput | unknown, now: number): Result.Result<OperationOutcome, OperationError> {
    if (this.countsOnly && this.auditLog === undefined) {
      const units = bareStockUnits(input, this.state.scale);
      if (units > 0) {
        const done = this.localBareOperation(input as BareStockInput, units, now);
        if (done !== undefined) return done;
      }
    }
    const parsed = parseOperation(input, this.config.quantityScale);
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const op = parsed.success;
    const stamped = this.tick(now);
    if (Result.isFailure(stamped)) return Result.fail(stamped.failure);
    const hlc = stamped.success;
    if ((this.pending.size > 0 && this.pending.has(op.id)) || this.state.status(op.id) !== undefined)
      return Result.fail(new DuplicateOperation({ op: op.id, message: `operation ${op.id} was already requested` }));
    if (this.config.role === "edge" && needsApproval(this.config.policy, op)) {
      this.hlc = hlc;
      this.enqueuePending(op, "policy");
      return Result.succeed({ op: op.id, status: "pending", reason: "policy", hlc });
    }
    const applied = op instanceof BareStockOperation && this.ledger === undefined && !this.config.journal ? this.applyBare(op) : this.apply(op, hlc, now);
    if (Result.isFailure(applied)) {
      const e = applied.failure;
      if (e._tag === "InsufficientRights" && this.config.role === "edge" && this.config.policy.outOfRights === "queue") {
        this.hlc = hlc;
        this.enqueuePending(op, "rights");
        return Result.succeed({ op: op.id, status: "pending", reason: "rights", hlc });
      }
      return applied as Result.Result<never, OperationError>;
    }
    this.hlc = hlc;
    this.auditApplied(op, now);
    return Result.succeed({ op: op.id, status: "applied", hlc });
  }

  /**
   * The hot path of {@link Replica.localOperation}: a bare stock operation of a replica without
   * ledger or journal, read in place from the input (no operation object is built; the clock's
   * timestamp only once the operation is counted). `undefined` leaves
   * the rare cases to the general path, which decides them the same way from scratch (nothing
   * has changed): a duplicate id, an operation needing approval, an exhausted clock, a refusal
   * to queue for the center.
   */
  private localBareOperation(v: BareStockInput, units: number, now: number): Result.Result<OperationOutcome, OperationError> | undefined {
    if ((this.pending.size > 0 && this.pending.has(v.id)) || this.state.status(v.id) !== undefined) return undefined;
    if (this.askedKinds.size > 0 && this.askedKinds.has(v.kind)) return undefined;
    if (tickExhausted(this.hlc, now)) return undefined;
    const me = this.ownId;
    const applied =
      v.kind === "receipt" || v.kind === "transfer-in"
        ? this.state.increment(me, v.item, v.position, v.lot, units)
        : this.state.decrement(me, v.item, v.position, v.lot, units);
    if (Result.isFailure(applied)) {
      if (this.queuesRefusals && applied.failure._tag === "InsufficientRights") return undefined;
      return applied as Result.Result<never, OperationError>;
    }
    const hlc = nextHlc(this.hlc, now, me);
    this.hlc = hlc;
    return Result.succeed({ op: v.id, status: "applied", hlc });
  }

  private enqueuePending(op: LocalOperation, reason: "policy" | "rights"): void {
    this.pending.set(op.id, { operation: op, reason, lastSent: Number.NEGATIVE_INFINITY, approved: false });
    this.state.setStatus({ doc: op.id, status: "pending", by: this.config.id });
  }

  /** The stock effects of an operation, in units (checked for scale). */
  private effectsOf(op: LocalOperation): Result.Result<Effect[], InvalidQuantity | QuantityOverflow> {
    if (op instanceof BareStockOperation)
      return Result.succeed([{ item: op.item, position: op.position, lot: op.lot, units: op.kind === "receipt" || op.kind === "transfer-in" ? op.units : -op.units }]);
    const scale = this.config.quantityScale;
    switch (op.kind) {
      case "sale":
      case "requisition":
      case "scrap":
        return singleEffect(op.item, op.position, op.lot, op.qty, -1, scale);
      case "receipt":
      case "transfer-in":
        return singleEffect(op.item, op.position, op.lot, op.qty, 1, scale);
      case "transfer-out":
        return singleEffect(op.item, op.from, op.lot, op.qty, -1, scale);
      case "move": {
        const u = toUnits(op.qty, scale);
        if (Result.isFailure(u)) return Result.fail(u.failure);
        return Result.succeed(
          op.from === op.to
            ? []
            : [
                { item: op.item, position: op.from, lot: op.lot, units: -u.success },
                { item: op.item, position: op.to, lot: op.lot, units: u.success },
              ],
        );
      }
      case "stocktake": {
        const u = toUnits(op.counted, scale);
        if (Result.isFailure(u)) return Result.fail(u.failure);
        const diff = u.success - this.state.value(op.item, op.position, op.lot);
        return Result.succeed(diff === 0 ? [] : [{ item: op.item, position: op.position, lot: op.lot, units: diff }]);
      }
      default:
        return Result.succeed([]);
    }
  }

  /** The hot path of {@link Replica.apply}: one counter, no ledger, no journal. */
  private applyBare(op: BareStockOperation): Result.Result<void, InsufficientRights | QuantityOverflow> {
    return op.kind === "receipt" || op.kind === "transfer-in"
      ? this.state.increment(this.config.id, op.item, op.position, op.lot, op.units)
      : this.state.decrement(this.config.id, op.item, op.position, op.lot, op.units);
  }

  /** Applies an operation: checks every effect first, posts to the ledger, then counts. */
  private apply(op: LocalOperation, hlc: Hlc, now: number): Result.Result<void, OperationError> {
    const effects = this.effectsOf(op);
    if (Result.isFailure(effects)) return Result.fail(effects.failure);
    const me = this.config.id;
    for (const e of effects.success) {
      if (e.units < 0) {
        const available = this.state.rights(me, e.item, e.position, e.lot);
        if (available < -e.units) return Result.fail(this.state.insufficient(me, e.item, e.position, e.lot, -e.units, available));
      }
    }
    if (this.ledger) {
      const doc = documentOf(op, new Date(hlc.wall).toISOString());
      if (doc) {
        const posted = this.ledger.post(doc, { now: new Date(now).toISOString() });
        if (Result.isFailure(posted)) return Result.fail(posted.failure);
        this.ledgerDocuments.push(doc);
      }
    }
    for (const e of effects.success) {
      const r = e.units < 0 ? this.state.decrement(me, e.item, e.position, e.lot, -e.units) : this.state.increment(me, e.item, e.position, e.lot, e.units);
      if (Result.isFailure(r)) return Result.fail(r.failure); // only an overflow past 2^53 units can reach here
    }
    if (op.kind === "price-change") this.state.setRegister({ table: "prices", key: op.item, value: op.price.toString(), hlc });
    else if (op.kind === "master-data") this.state.setRegister({ table: op.table, key: op.key, value: op.value, hlc });
    if (this.config.journal && this.config.role === "edge") this.state.setRegister({ table: "ops", key: op.id, value: operationToJson(op), hlc });
    return Result.succeed(undefined);
  }

  // -------------------------------------------------------------------------------------------
  // Rights
  // -------------------------------------------------------------------------------------------

  /**
   * Gives `qty` of this replica's rights on a counter to another replica (on demand, or as a
   * rebalancing policy proposes). Beyond this replica's rights: {@link InsufficientRights}.
   */
  transferRights(
    to: string,
    counter: { readonly item: string; readonly position: string; readonly lot?: string | undefined },
    qty: Dec | string,
    now: number,
  ): Result.Result<void, InvalidInput | InvalidQuantity | QuantityOverflow | InsufficientRights | ClockOverflow> {
    const input = parseInput(TransferRightsSchema, { to, ...counter, qty }, "rights transfer");
    if (Result.isFailure(input)) return Result.fail(input.failure);
    const units = toUnits(input.success.qty, this.config.quantityScale);
    if (Result.isFailure(units)) return Result.fail(units.failure);
    const stamped = this.tick(now);
    if (Result.isFailure(stamped)) return Result.fail(stamped.failure);
    const r = this.state.transferRights(this.config.id, input.success.to, input.success.item, input.success.position, input.success.lot, units.success);
    if (Result.isFailure(r)) return Result.fail(r.failure);
    this.hlc = stamped.success;
    return Result.succeed(undefined);
  }

  /**
   * Rebalances this replica's rights on a counter among sites in proportion to their forecast
   * demand ({@link proportionalRebalance}) and makes the transfers. Returns what each site got.
   */
  rebalance(
    counter: { readonly item: string; readonly position: string; readonly lot?: string | undefined },
    demands: ReadonlyArray<SiteDemand>,
    now: number,
  ): Result.Result<{ readonly to: string; readonly qty: Dec }[], InvalidInput | ClockOverflow> {
    const input = parseInput(CounterSchema, counter, "counter");
    if (Result.isFailure(input)) return Result.fail(input.failure);
    const stamped = this.tick(now);
    if (Result.isFailure(stamped)) return Result.fail(stamped.failure);
    const plans = proportionalRebalance(this.state, this.config.id, input.success, demands);
    for (const p of plans) this.state.transferRights(p.from, p.to, p.item, p.position, p.lot, p.units);
    this.hlc = stamped.success;
    return Result.succeed(plans.map((p) => ({ to: p.to, qty: this.dec(p.units) })));
  }

  /**
   * Edge: asks the center for `qty` of rights on a counter. The request travels with the next
   * frames (again until answered); the grant arrives as a delta. Returns the request id.
   */
  requestRights(
    counter: { readonly item: string; readonly position: string; readonly lot?: string | undefined },
    qty: Dec | string,
  ): Result.Result<string, InvalidInput | InvalidQuantity | QuantityOverflow | NotApplicable> {
    if (this.config.role !== "edge") return Result.fail(new NotApplicable({ action: "requestRights", reason: "the center grants rights, it does not ask", message: "the center does not request rights" }));
    const input = parseInput(TransferRightsSchema, { to: this.centerId, ...counter, qty }, "rights request");
    if (Result.isFailure(input)) return Result.fail(input.failure);
    const units = toUnits(input.success.qty, this.config.quantityScale);
    if (Result.isFailure(units)) return Result.fail(units.failure);
    const request = `${this.config.id}:${this.epoch}:${++this.requests}`;
    this.rightsRequests.set(request, { item: input.success.item, position: input.success.position, lot: input.success.lot, units: units.success, lastSent: Number.NEGATIVE_INFINITY });
    return Result.succeed(request);
  }

  // -------------------------------------------------------------------------------------------
  // Approvals
  // -------------------------------------------------------------------------------------------

  /** Center: approves or rejects a pending request. */
  decide(op: string, decision: "approved" | "rejected", now: number, reason?: string): Result.Result<void, NotApplicable | ClockOverflow> {
    const request = this.approvals.get(op);
    if (this.config.role !== "center" || !request)
      return Result.fail(new NotApplicable({ action: "decide", reason: `no pending request ${op}`, message: `no pending request ${op} at ${this.config.id}` }));
    const stamped = this.tick(now);
    if (Result.isFailure(stamped)) return Result.fail(stamped.failure);
    this.hlc = stamped.success;
    this.settle(request, decision, now, reason);
    return Result.succeed(undefined);
  }

  private settle(request: ApprovalRequest, decision: "approved" | "rejected", now: number, reason?: string): void {
    let final = decision;
    let why = reason;
    if (decision === "approved" && request.reason === "rights") {
      // Grant the rights the edge lacks, from the center's own rights; if it cannot, reject.
      const effects = this.effectsOfRemote(request.operation);
      const needs: { e: Effect; units: number }[] = [];
      for (const e of effects) {
        if (e.units >= 0) continue;
        const lacking = -e.units - this.state.rights(request.from, e.item, e.position, e.lot);
        if (lacking > 0) needs.push({ e, units: lacking });
      }
      if (needs.some(({ e, units }) => this.state.rights(this.config.id, e.item, e.position, e.lot) < units)) {
        final = "rejected";
        why = "the center holds too few rights";
      } else for (const { e, units } of needs) this.state.transferRights(this.config.id, request.from, e.item, e.position, e.lot, units);
    }
    this.approvals.delete(request.op);
    this.state.setStatus({ doc: request.op, status: final, by: this.config.id });
    const link = this.linkOf(request.from);
    link.queued.push(why === undefined ? { kind: "decision", op: request.op, decision: final } : { kind: "decision", op: request.op, decision: final, reason: why });
    this.audited("approval", request.op, { from: request.from, decision: final, operation: operationToJson(request.operation), ...(why === undefined ? {} : { reason: why }) }, now);
  }

  private effectsOfRemote(op: LocalOperation): Effect[] {
    const effects = this.effectsOf(op);
    return Result.isSuccess(effects) ? effects.success : [];
  }

  /**
   * Edge: acts on the center's decision about one of its pending operations. An approved
   * operation that does not fit the edge's rights when the decision message arrives (the rights
   * the center granted may still be on their way) waits, marked approved; once the approval is
   * in the replicated state (`final`: the center's delta that carried it, and its grants, has
   * been applied) it is done or, still beyond the edge's rights, cancelled.
   */
  private resolvePending(op: string, decision: "approved" | "rejected", now: number, final: boolean): void {
    const p = this.pending.get(op);
    if (!p) return;
    if (decision === "rejected") {
      this.pending.delete(op);
      return;
    }
    const stamped = this.tick(now);
    const hlc = Result.isSuccess(stamped) ? stamped.success : this.hlc;
    const applied = this.apply(p.operation, hlc, now);
    if (!final && Result.isFailure(applied) && applied.failure._tag === "InsufficientRights") {
      p.approved = true;
      return;
    }
    this.pending.delete(op);
    this.hlc = hlc;
    this.state.setStatus({ doc: op, status: Result.isSuccess(applied) ? "posted" : "cancelled", by: this.config.id });
    if (Result.isSuccess(applied)) this.auditApplied(p.operation, now);
  }

  // -------------------------------------------------------------------------------------------
  // The exchange
  // -------------------------------------------------------------------------------------------

  private linkOf(peer: string): Link {
    let link = this.links.get(peer);
    if (!link) this.links.set(peer, (link = newLink()));
    return link;
  }

  private forged(sender: string, reason: string): ForgedFrame {
    return new ForgedFrame({ sender, reason, message: `forged frame from ${sender}: ${reason}` });
  }

  /** Checks a decoded frame against roles, ownership and rights; nothing changes. */
  private checkFrame(from: string, frame: Frame): ReceiveError | undefined {
    const me = this.config.id;
    const s = frame.sender;
    if (frame.to !== me) return this.forged(s, `addressed to ${frame.to}, not ${me}`);
    if (from !== s) return this.forged(s, `sent by ${from} but names ${s} as its sender`);
    if (s === me) return this.forged(s, "names this replica as its sender");
    if (frame.hlc.node !== s) return this.forged(s, `clock of ${frame.hlc.node}`);
    const senderIsCenter = s === this.centerId;
    if (this.config.role === "edge" && !senderIsCenter) return this.forged(s, `an edge talks only to its center ${this.centerId}`);
    if (this.config.closedPeers && !this.links.has(s)) return this.forged(s, "not a known peer");
    if (frame.scale !== this.config.quantityScale) return this.forged(s, `quantity scale ${frame.scale}, expected ${this.config.quantityScale}`);
    const relay = senderIsCenter;
    const link = this.links.get(s);
    const epoch = this.sessions.epochOf(s);
    const received = link === undefined || (epoch !== undefined && frame.epoch > epoch) ? 0 : link.received;
    for (const m of frame.messages) {
      switch (m.kind) {
        case "hello":
          if ((m.role === "center") !== senderIsCenter) return this.forged(s, `claims the role ${m.role}`);
          break;
        case "delta": {
          if (!this.deltaApplies(s, m.from, received)) break;
          for (const c of m.cells) {
            if (!relay) {
              for (const [r] of c.inc) if (r !== s) return this.forged(s, `row inc[${r}] of ${c.item}@${c.position} written by ${s}`);
              for (const [r] of c.dec) if (r !== s) return this.forged(s, `row dec[${r}] of ${c.item}@${c.position} written by ${s}`);
              for (const [g] of c.xfer) if (g !== s) return this.forged(s, `row xfer[${g}] of ${c.item}@${c.position} written by ${s}`);
            }
            const violation = this.rightsCheck(s, c);
            if (violation) return violation;
          }
          if (!relay) {
            for (const r of m.registers) if (r.hlc.node !== s) return this.forged(s, `register ${r.table}/${r.key} written by ${r.hlc.node}`);
            for (const st of m.statuses) {
              if (st.by !== s) return this.forged(s, `status of ${st.doc} set by ${st.by}`);
              if (st.status === "approved" || st.status === "rejected") return this.forged(s, `${st.status} ${st.doc}: only the center decides`);
            }
          }
          break;
        }
        case "rights-request":
        case "op-request":
          if (this.config.role !== "center") return this.forged(s, `${m.kind} sent to an edge`);
          if (m.kind === "op-request" && opRequestOperation(m.operation) === undefined) return this.forged(s, `op-request ${m.op} carries no valid operation`);
          break;
        case "rights-grant":
        case "decision":
          if (!senderIsCenter) return this.forged(s, `${m.kind} from an edge`);
          break;
        default:
          break;
      }
    }
    return undefined;
  }

  /**
   * Whether a delta from `peer` starting after the peer's version `from` is applied, given the
   * peer's version applied here without gaps. The center relays only the rows changed since
   * what an edge was sent, which complete the edge's state only in order: an edge sets aside a
   * relayed delta with a gap (lost or reordered frames before it) — the center sends it again
   * from what the edge acknowledged. An edge's own rows (all of them, per counter) join in any
   * order.
   */
  private deltaApplies(peer: string, from: number, received: number): boolean {
    return this.config.role === "center" || peer !== this.centerId || from <= received;
  }

  /** The rights check of one counter of a delta: nobody whose rows it carries may end with negative rights. */
  private rightsCheck(sender: string, c: CellDelta): RightsViolation | undefined {
    const cell = this.state.cell(c.item, c.position, c.lot);
    if (c.inc.length + c.dec.length + c.xfer.length === 0) return undefined;
    let owners: string[] | undefined;
    const first = c.dec[0]?.[0] ?? c.inc[0]?.[0] ?? c.xfer[0]![0];
    for (const [r] of c.inc) if (r !== first) (owners ??= []).push(r);
    for (const [r] of c.dec) if (r !== first) (owners ??= []).push(r);
    for (const [g] of c.xfer) if (g !== first) (owners ??= []).push(g);
    const check = (owner: string): RightsViolation | undefined => {
      let inc = cell?.incOf(owner) ?? 0;
      let dec = cell?.decOf(owner) ?? 0;
      for (const [r, v] of c.inc) if (r === owner && v > inc) inc = v;
      for (const [r, v] of c.dec) if (r === owner && v > dec) dec = v;
      let rights = inc - dec;
      // Rights given and received: each entry the larger of the local and incoming totals.
      if (cell) rights += cell.receivedBy(owner) - cell.transferOf(owner, owner) - cell.givenBy(owner);
      for (const [g, r, v] of c.xfer) {
        if (g === owner) rights -= Math.max(0, v - (cell?.transferOf(owner, r) ?? 0));
        else if (r === owner) rights += Math.max(0, v - (cell?.transferOf(g, r) ?? 0));
      }
      if (rights >= 0) return undefined;
      const shown = this.dec(-rights).negated().toString();
      return new RightsViolation({
        sender,
        replica: owner,
        item: c.item,
        position: c.position,
        lot: c.lot,
        rights: shown,
        message: `after the delta from ${sender}, ${owner} would hold ${shown} rights on ${c.item}@${c.position}: it claims rights nobody gave it`,
      });
    };
    const v = check(first);
    if (v || owners === undefined) return v;
    for (const o of new Set(owners)) {
      const w = check(o);
      if (w) return w;
    }
    return undefined;
  }

  /**
   * Applies a frame received from `from`: decoded, checked (addressing, sender, roles, row
   * ownership, rights, replay, clock drift) and applied exactly once. Returns the frames to
   * send back: the acknowledgement, and grants and decisions together with the changes the
   * peer has not seen (other changes wait for {@link Replica.outgoing}, so a center merging
   * many frames relays once per flush, not once per frame). A refused frame leaves the replica
   * unchanged.
   */
  receive(from: string, bytes: Uint8Array, now: number): Result.Result<OutgoingFrame[], ReceiveError> {
    const decoded = decodeFrame(bytes);
    if (Result.isFailure(decoded)) return Result.fail(decoded.failure);
    const frame = decoded.success;
    const bad = this.checkFrame(from, frame);
    if (bad) return Result.fail(bad);
    const fresh = this.sessions.check(frame.sender, frame.epoch, frame.seq);
    if (Result.isFailure(fresh)) return Result.fail(fresh.failure);
    const clock = receiveHlc(this.hlc, frame.hlc, now, this.config.id, this.config.maxDriftMs);
    if (Result.isFailure(clock)) return Result.fail(clock.failure);

    // From here on nothing fails: apply.
    const peer = frame.sender;
    const previousEpoch = this.sessions.epochOf(peer);
    this.sessions.record(peer, frame.epoch, frame.seq);
    this.hlc = clock.success;
    let link = this.linkOf(peer);
    if (previousEpoch !== undefined && frame.epoch > previousEpoch) {
      // The peer restarted or reconnected: start both directions over (a bounded full exchange).
      const queued = link.queued;
      link = newLink();
      link.queued = queued;
      link.nextSeq = this.links.get(peer)!.nextSeq;
      this.links.set(peer, link);
    }
    let deltaApplied = false;
    for (const m of frame.messages) {
      switch (m.kind) {
        case "hello":
          break;
        case "summary":
          this.acknowledged(link, m.acked, frame.seq, now);
          if (m.version > link.received) link.ackDue = true;
          break;
        case "ack":
          this.acknowledged(link, m.upTo, frame.seq, now);
          break;
        case "delta":
          link.ackDue = true;
          if (!this.deltaApplies(peer, m.from, link.received)) break;
          this.applyDelta(peer, m.cells, m.registers, m.statuses, now);
          if (m.from <= link.received) link.received = Math.max(link.received, m.to);
          deltaApplied = true;
          break;
        case "rights-request":
          this.grant(peer, link, m.request, m.item, m.position, m.lot, m.units);
          break;
        case "rights-grant":
          this.rightsRequests.delete(m.request);
          break;
        case "op-request":
          this.requestApproval(peer, m.op, m.operation, m.reason, now);
          break;
        case "decision":
          break;
      }
    }
    // Decisions last, so that the rights granted in the same frame's delta are already in.
    for (const m of frame.messages) if (m.kind === "decision") this.resolvePending(m.op, m.decision, now, false);
    if (deltaApplied && this.config.role === "edge") for (const op of [...this.pending.keys()]) this.checkDecided(op, now);
    const replies = this.framesFor(peer, link, now, false, link.queued.length > 0);
    return Result.succeed(replies);
  }

  /**
   * The peer, in its frame `seq`, acknowledged this replica's changes up to `upTo`. The peer's
   * latest word counts even when lower: after this replica restarted, an acknowledgement the
   * peer gave before it saw the new epoch (it then starts over from nothing) must not hold back
   * the changes the peer no longer counts as received — they are sent again at once.
   */
  private acknowledged(link: Link, upTo: number, seq: bigint, now: number): void {
    if (seq <= link.ackSeq) return;
    link.ackSeq = seq;
    const acked = Math.min(upTo, this.state.version);
    if (acked === link.acked) return;
    if (acked < link.acked) link.sent = link.scanned = acked;
    link.acked = acked;
    link.waitingSince = now;
    if (link.sent < acked) link.sent = link.scanned = acked;
  }

  private checkDecided(op: string, now: number): void {
    const s = this.state.status(op);
    if (s && (s.status === "approved" || s.status === "rejected")) this.resolvePending(op, s.status, now, true);
    else if (s && s.status === "cancelled") this.pending.delete(op);
  }

  private applyDelta(peer: string, cells: ReadonlyArray<CellDelta>, registers: ReadonlyArray<LwwEntry>, statuses: ReadonlyArray<StatusEntry>, now: number): void {
    const journal = this.ledger && this.config.role === "center" ? registers.filter((r) => r.table === "ops" && r.hlc.node === peer && this.state.register("ops", r.key) === undefined) : [];
    this.state.applyDelta({ cells, registers, statuses });
    for (const r of journal) {
      if (typeof r.value !== "string") continue;
      const op = opRequestOperation(r.value);
      if (!op) continue;
      const doc = documentOf(op, new Date(r.hlc.wall).toISOString());
      if (!doc) continue;
      const posted = this.ledger!.post(doc, { now: new Date(now).toISOString() });
      if (Result.isFailure(posted)) this.ledgerIssues.push({ op: op.id, error: posted.failure });
      else this.ledgerDocuments.push(doc);
    }
  }

  private grant(peer: string, link: Link, request: string, item: string, position: string, lot: string | undefined, units: number): void {
    let given = this.grants.get(request);
    if (given === undefined) {
      given = Math.max(0, Math.min(units, this.state.rights(this.config.id, item, position, lot)));
      if (given > 0) this.state.transferRights(this.config.id, peer, item, position, lot, given);
      this.grants.set(request, given);
    }
    link.queued.push(lot === undefined ? { kind: "rights-grant", request, item, position, units: given } : { kind: "rights-grant", request, item, position, lot, units: given });
  }

  private requestApproval(peer: string, op: string, operationJson: string, reason: "policy" | "rights", now: number): void {
    const status = this.state.status(op)?.status;
    if (status === "approved" || status === "rejected") {
      this.linkOf(peer).queued.push({ kind: "decision", op, decision: status });
      return;
    }
    if (this.approvals.has(op) || status === "posted" || status === "cancelled") return;
    const operation = opRequestOperation(operationJson)!;
    const request: ApprovalRequest = { op, from: peer, operation, reason };
    this.approvals.set(op, request);
    const verdict = this.options.autoApprove?.(request);
    if (verdict === true || verdict === "approved") this.settle(request, "approved", now);
    else if (verdict === false || verdict === "rejected") this.settle(request, "rejected", now, "rejected by rule");
  }

  private frame(peer: string, link: Link, messages: ReadonlyArray<Message | PackedDeltaMessage>, now: number): OutgoingFrame {
    const stamped = this.tick(now);
    if (Result.isSuccess(stamped)) this.hlc = stamped.success;
    const frame: FrameToEncode = {
      version: PROTOCOL_VERSION,
      sender: this.config.id,
      to: peer,
      epoch: this.epoch,
      seq: link.nextSeq++,
      hlc: this.hlc,
      scale: this.config.quantityScale,
      messages,
    };
    return { to: peer, frame: encodeFrameUnchecked(frame, this.frameBuffer) };
  }

  /** The frames due to one peer: hello, summary, ack, queued messages, requests, and deltas. */
  private framesFor(peer: string, link: Link, now: number, periodic: boolean, withDeltas = true): OutgoingFrame[] {
    const out: OutgoingFrame[] = [];
    const control: Message[] = [];
    if (!link.hello) {
      control.push({ kind: "hello", role: this.config.role, version: this.state.version });
      link.hello = true;
    }
    if (periodic && now - link.lastSummary >= this.config.summaryIntervalMs) {
      control.push({ kind: "summary", acked: link.received, version: this.state.version, digest: this.state.digest() });
      link.lastSummary = now;
      link.ackDue = false;
    }
    if (link.ackDue) {
      control.push({ kind: "ack", upTo: link.received });
      link.ackDue = false;
    }
    control.push(...link.queued);
    link.queued = [];
    if (this.config.role === "edge") {
      for (const [op, p] of this.pending)
        if (!p.approved && now - p.lastSent >= this.resendMs) {
          control.push({ kind: "op-request", op, operation: operationToJson(p.operation), reason: p.reason });
          p.lastSent = now;
        }
      for (const [request, r] of this.rightsRequests)
        if (now - r.lastSent >= this.resendMs) {
          control.push(
            r.lot === undefined
              ? { kind: "rights-request", request, item: r.item, position: r.position, units: r.units }
              : { kind: "rights-request", request, item: r.item, position: r.position, lot: r.lot, units: r.units },
          );
          r.lastSent = now;
        }
    }
    // Unacknowledged for too long (lost, or set aside after a gap): send again from what the peer acknowledged.
    if (link.sent > link.acked && now - link.waitingSince >= this.resendMs) link.sent = link.scanned = link.acked;
    // An edge sends its own rows; the center relays the rows changed since, except the peer's own.
    const rows = this.config.role === "center" ? { exceptRowsOf: peer } : { onlyRowsOf: this.config.id };
    let pendingControl = control;
    // Frames cut by `maxEntriesPerFrame` carry the rows changed since the first one's start.
    const rowsChangedAfter = link.scanned;
    for (let guard = 0; withDeltas && guard < 1000 && link.scanned < this.state.version; guard++) {
      // The counters packed in the state's reused arrays: encoded into the frame before the next delta is taken.
      const range = this.state.packedDeltaSince(link.scanned, { ...rows, maxEntries: this.config.maxEntriesPerFrame, rowsChangedAfter });
      if (range.cells.count + range.registers.length + range.statuses.length === 0) {
        link.scanned = range.to;
        if (range.complete) break;
        continue;
      }
      const msg: PackedDeltaMessage = { kind: "delta", from: link.sent, to: range.to, complete: range.complete, cells: range.cells, registers: range.registers, statuses: range.statuses };
      out.push(this.frame(peer, link, [...pendingControl, msg], now));
      pendingControl = [];
      if (link.sent === link.acked) link.waitingSince = now;
      link.sent = link.scanned = range.to;
      if (range.complete) break;
    }
    if (pendingControl.length > 0) out.push(this.frame(peer, link, pendingControl, now));
    return out;
  }

  /**
   * The frames due at `now`, for every peer: `hello` after a start, the summary every
   * `summaryIntervalMs`, acknowledgements, the changes each peer has not been sent (and, after
   * `resendIntervalMs` without an acknowledgement, those it has not acknowledged), pending
   * operation and rights requests (again until answered), grants and decisions.
   */
  outgoing(now: number): OutgoingFrame[] {
    const out: OutgoingFrame[] = [];
    for (const [peer, link] of this.links) out.push(...this.framesFor(peer, link, now, true, true));
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Persistence
  // -------------------------------------------------------------------------------------------

  /** The replica as JSON-serializable data, to persist (see the write-ahead rule above). */
  snapshot(): ReplicaSnapshot {
    return {
      format: 1,
      config: this.configInput,
      epoch: this.epoch,
      hlc: this.hlc,
      state: this.state.toData(),
      sessions: this.sessions.toData(),
      peers: [...this.links.keys()],
      pending: [...this.pending].map(([op, p]) => [op, operationToJson(p.operation), p.reason] as const),
      approvals: [...this.approvals.values()].map((a) => [a.op, a.from, operationToJson(a.operation), a.reason] as const),
      rightsRequests: [...this.rightsRequests].map(([id, r]) => [id, r.item, r.position, r.lot ?? null, r.units] as const),
      grants: [...this.grants],
      documents: [...this.ledgerDocuments],
      requests: this.requests,
      ...(this.auditLog === undefined ? {} : { audit: { base: this.auditLog.base, entries: this.auditLog.entries() } }),
    };
  }

  /**
   * Restarts a replica from a {@link Replica.snapshot} at `now`: a new connection epoch
   * (`max(previous + 1, now)`), the same state, clock, sessions, pending work and ledger (its
   * documents posted again in order). Peers resend what the replica may have missed.
   */
  static restore(
    snapshot: ReplicaSnapshot | unknown,
    now: number,
    options: ReplicaOptions = {},
  ): Result.Result<Replica, InvalidInput | LedgerError | InvalidAuditKey | AuditChainBroken> {
    const parsed = parseInput(ReplicaSnapshotSchema, snapshot, "replica snapshot");
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure);
    const snap = snapshot as ReplicaSnapshot;
    const cfg = parseInput(ReplicaConfigSchema, snap.config, "replica configuration");
    if (Result.isFailure(cfg)) return Result.fail(cfg.failure);
    const c = cfg.success;
    let ledger: StockLedger | undefined;
    if (c.ledger !== undefined) {
      const l = StockLedger.create(c.ledger);
      if (Result.isFailure(l)) return Result.fail(l.failure);
      ledger = l.success;
      for (const doc of snap.documents) {
        const posted = ledger.post(doc);
        if (Result.isFailure(posted)) return Result.fail(posted.failure);
      }
    }
    const epoch = Math.max(snap.epoch + 1, Math.floor(Number.isFinite(now) ? now : 0));
    const replica = new Replica(inOneShape(c), snap.config, options, epoch, ledger, SyncState.fromData(snap.state, c.quantityScale), { ...snap.hlc }, new SessionTracker(snap.sessions));
    for (const p of snap.peers) replica.linkOf(p);
    for (const [op, json, reason] of snap.pending) {
      const operation = opRequestOperation(json);
      if (operation) replica.pending.set(op, { operation, reason, lastSent: Number.NEGATIVE_INFINITY, approved: false });
    }
    for (const [op, from, json, reason] of snap.approvals) {
      const operation = opRequestOperation(json);
      if (operation) replica.approvals.set(op, { op, from, operation, reason });
    }
    for (const [id, item, position, lot, units] of snap.rightsRequests)
      replica.rightsRequests.set(id, { item, position, lot: lot ?? undefined, units, lastSent: Number.NEGATIVE_INFINITY });
    for (const [id, units] of snap.grants) replica.grants.set(id, units);
    replica.ledgerDocuments.push(...snap.documents);
    replica.requests = snap.requests;
    if (options.audit !== undefined) {
      const key = options.audit.key;
      const chain = Result.flatMap(publicKeyOf(key), (publicKey) =>
        snap.audit === undefined ? startAuditChain({ replica: c.id, publicKey }) : restoreAuditChain(snap.audit.entries, { replica: c.id, publicKey, from: snap.audit.base }),
      );
      if (Result.isFailure(chain)) return Result.fail(chain.failure);
      replica.auditLog = chain.success;
    }
    return Result.succeed(replica);
  }
}

/**
 * A parsed configuration with every field present, in one order: the configurations of the
 * center and of every edge share one object shape, so code optimized for one replica's reads
 * stays valid for the next (and for an edge that replaces one that is gone).
 */
const inOneShape = (c: ReplicaConfig): ReplicaConfig => ({
  id: c.id,
  role: c.role,
  center: c.center,
  policy: c.policy,
  maxDriftMs: c.maxDriftMs,
  summaryIntervalMs: c.summaryIntervalMs,
  resendIntervalMs: c.resendIntervalMs,
  quantityScale: c.quantityScale,
  maxEntriesPerFrame: c.maxEntriesPerFrame,
  peers: c.peers,
  closedPeers: c.closedPeers,
  journal: c.journal,
  ledger: c.ledger,
});

const singleEffect = (item: string, position: string, lot: string | undefined, qty: Dec, sign: 1 | -1, scale: number): Result.Result<Effect[], InvalidQuantity | QuantityOverflow> => {
  const u = toUnits(qty, scale);
  return Result.isFailure(u) ? Result.fail(u.failure) : Result.succeed([{ item, position, lot, units: sign * u.success }]);
};

const CounterSchema = z.object({ item: Id, position: Id, lot: Id.optional() });
const TransferRightsSchema = CounterSchema.extend({ to: Id, qty: z.custom<Dec>((v) => typeof v === "string" || (typeof v === "object" && v !== null)) }).transform((v, ctx) => {
  const q = LocalOperationSchema.options[0].shape.qty.safeParse(v.qty);
  if (!q.success) {
    ctx.addIssue({ code: "custom", path: ["qty"], message: "must be a decimal greater than 0" });
    return z.NEVER;
  }
  return { ...v, qty: q.data };
});

/** Reads an operation's JSON text (as in an `op-request` or the journal); `undefined` if it is not one. */
const opRequestOperation = (json: string): LocalOperation | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = LocalOperationSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/**
 * The core document of an operation (positions are warehouse ids), or `undefined` when it has
 * none (price and master-data changes; a transfer-in, whose goods the transfer-out document
 * already moved in the books).
 */
export const documentOf = (op: LocalOperation, at: string): StockDocumentInput | undefined => {
  const lot = op.kind !== "price-change" && op.kind !== "master-data" && op.lot !== undefined ? { lot: op.lot } : {};
  const head = { id: op.id, businessId: op.id, at };
  switch (op.kind) {
    case "sale":
      return { ...head, type: "sales-outbound", lines: [{ item: op.item, warehouse: op.position, qty: op.qty.toString(), ...lot, ...(op.price ? { price: op.price.toString() } : {}) }] };
    case "receipt":
      return { ...head, type: "purchase-receipt", lines: [{ item: op.item, warehouse: op.position, qty: op.qty.toString(), unitCost: (op.unitCost ?? "0").toString(), ...lot }] };
    case "requisition":
    case "scrap":
      return { ...head, type: "adjustment", reason: op.kind, lines: [{ item: op.item, warehouse: op.position, qty: op.qty.negated().toString(), ...lot }] };
    case "transfer-out":
    case "move":
      return { ...head, type: "transfer", lines: [{ item: op.item, qty: op.qty.toString(), from: { warehouse: op.from }, to: { warehouse: op.to }, ...lot }] };
    case "stocktake":
      return { ...head, type: "stocktake", lines: [{ item: op.item, warehouse: op.position, counted: op.counted.toString(), ...lot }] };
    default:
      return undefined;
  }
};
