/**
 * The tamper-evident audit log: per-replica signed hash chains, the center's RFC 9162 Merkle
 * tree with inclusion and consistency proofs, C2SP signed checkpoints, and the edge's side.
 *
 * @module
 */
export { type AuditPrivateKey, type AuditPublicKey, InvalidAuditKey, rawPublicKey, publicKeyOf } from "./keys.js";
export { type AuditJson, AuditJsonSchema, canonicalJson, isCanonicalJson } from "./canonical-json.js";
export {
  GENESIS_HASH,
  AUDIT_ENTRY_FORMAT,
  AUDIT_ENTRY_KINDS,
  type AuditEntryKind,
  AuditEntryKindSchema,
  AuditReplicaIdSchema,
  AuditEntrySchema,
  type AuditEntry,
  type AuditEntryBody,
  auditEntryBody,
  auditEntryHash,
  auditEntryLeaf,
} from "./entry.js";
export {
  AuditRecordSchema,
  type AuditRecord,
  AuditKeyMismatch,
  type AuditChainBreak,
  type AuditChainBreakDetail,
  AuditChainBroken,
  type AuditKeyring,
  keyOf,
  type AuditChainHead,
  GENESIS_HEAD,
  AuditChain,
  startAuditChain,
  appendAuditEntry,
  type VerifyAuditChainOptions,
  type AuditChainVerified,
  verifyAuditChain,
  restoreAuditChain,
} from "./chain.js";
export {
  emptyTreeHash,
  merkleLeafHash,
  merkleNodeHash,
  merkleTreeHash,
  MerkleRangeError,
  MerkleProofRejected,
  MerkleTree,
  emptyMerkleTree,
  merkleTreeOf,
  verifyInclusion,
  verifyConsistency,
} from "./merkle.js";
export {
  type NoteSigner,
  type NoteVerifier,
  SignedNoteMalformed,
  NoteNotSigned,
  NoteSignatureInvalid,
  type NoteError,
  isNoteKeyName,
  noteKeyId,
  signNote,
  type NoteSignature,
  type ParsedNote,
  parseNote,
  type OpenedNote,
  openNote,
  formatVerifierKey,
  parseVerifierKey,
} from "./signed-note.js";
export { type Checkpoint, CheckpointMalformed, formatCheckpoint, parseCheckpoint, signCheckpoint, CheckpointOriginMismatch, openCheckpoint } from "./checkpoint.js";
export {
  CenterAuditLog,
  startCenterAuditLog,
  type AuditEntryAdmitted,
  admitAuditEntry,
  centerCheckpoint,
  signCenterCheckpoint,
  type EntryInclusionProof,
  AuditEntryUnknown,
  proveEntryInclusion,
  proveLogConsistency,
  CheckpointMismatch,
  type CenterLogAudit,
  auditCenterLog,
} from "./center-log.js";
export {
  type EdgeAuditLog,
  startEdgeAuditLog,
  recordEdgeOperation,
  CheckpointRollback,
  CheckpointFork,
  type CheckpointRefusal,
  type CheckpointOffer,
  acceptCheckpoint,
  EntryNotCovered,
  releaseCoveredEntries,
} from "./edge-log.js";
