/** Idempotent commands: client ids, the command log, canonical content and the differing field. */
export {
  type CanonicalValue,
  COMMAND_DEPTH_MAX,
  canonicalize,
  canonicalJson,
  type FieldDifference,
  firstDifference,
} from './canonical.js';
export {
  closeBusinessDaysThrough,
  EMPTY_LEDGER_BOOK,
  handleCommand,
  type LedgerBook,
  type LedgerCommand,
  type LedgerCommandResult,
} from './ledger-commands.js';
export {
  CLIENT_ID_LENGTH_MAX,
  type ClientCommand,
  COMMAND_LOG_BUCKET_COUNT,
  CommandConflictError,
  type CommandLog,
  type CommandLogEntry,
  type CommandLookup,
  commandFingerprint,
  commandLogBucket,
  commandLogEntries,
  commandLogEntry,
  emptyCommandLog,
  lookupCommand,
  recordCommand,
  runIdempotent,
  validateClientId,
} from './log.js';
