/** Idempotent commands: client ids, the command log, canonical content and the differing field. */
export * from './canonical.js';
export * from './ledger-commands.js';
export * from './log.js';
