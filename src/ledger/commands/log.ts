import { invariant } from '../../money/index.js';
import { LedgerInputError } from '../errors.js';
import { type CanonicalValue, canonicalize, type FieldDifference, firstDifference } from './canonical.js';
import { sha256Hex } from './sha256.js';

/** Longest client id accepted (characters); a bound on what a client can make the log store. */
export const CLIENT_ID_LENGTH_MAX = 128;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Every command carries the client's idempotency key (幂等键). */
export interface ClientCommand {
  readonly clientId: string;
}

/** What the log keeps for one client id: the canonical command, its content hash and the first result. */
export interface CommandLogEntry<R> {
  readonly contentHash: string;
  readonly command: CanonicalValue;
  readonly result: R;
}

/** Buckets the log's entries are spread over, so that recording one copies a bucket, not the whole log. */
export const COMMAND_LOG_BUCKET_COUNT = 256;

/**
 * The idempotency log: client id → first accepted command and its result. Plain JSON data, never mutated
 * (every change returns a new log that shares the untouched buckets), so the shell can store it as it is
 * or as rows keyed by client id. Entries sit in `buckets[commandLogBucket(clientId)][clientId]`.
 */
export interface CommandLog<R> {
  readonly buckets: { readonly [bucket: string]: { readonly [clientId: string]: CommandLogEntry<R> } };
}

export function emptyCommandLog<R>(): CommandLog<R> {
  return { buckets: {} };
}

/** The bucket of a client id: FNV-1a over its UTF-16 code units, modulo the bucket count, as a string. */
export function commandLogBucket(clientId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < clientId.length; i++) h = Math.imul(h ^ clientId.charCodeAt(i), 0x01000193);
  return String((h >>> 0) % COMMAND_LOG_BUCKET_COUNT);
}

/** The entry recorded for a client id, if any. */
export function commandLogEntry<R>(log: CommandLog<R>, clientId: string): CommandLogEntry<R> | undefined {
  const bucket = log.buckets[commandLogBucket(clientId)];
  return bucket !== undefined && Object.hasOwn(bucket, clientId) ? bucket[clientId] : undefined;
}

/** Every recorded entry (for the shell to store them as rows). */
export function* commandLogEntries<R>(log: CommandLog<R>): Generator<[string, CommandLogEntry<R>]> {
  for (const bucket of Object.values(log.buckets)) yield* Object.entries(bucket);
}

/**
 * The same client id was used for a different command. `field` is the first field that differs (dotted path
 * such as `amountMinor` or `product.rate.value`).
 */
export class CommandConflictError extends LedgerInputError {
  constructor(
    readonly clientId: string,
    readonly difference: FieldDifference,
  ) {
    const show = (v: CanonicalValue | undefined) => (v === undefined ? 'absent' : JSON.stringify(v));
    const where = difference.path === '' ? 'the command' : `field "${difference.path}"`;
    super(
      'command_conflict',
      difference.path,
      `client id "${clientId}" was already used for a different command: ${where} was ${show(difference.before)}, now ${show(difference.after)}; ` +
        'resend the original command unchanged, or give this new command a new client id',
    );
    this.name = 'CommandConflictError';
  }
}

export function validateClientId(clientId: unknown): string {
  if (typeof clientId !== 'string' || clientId.length === 0) {
    throw new LedgerInputError(
      'client_id_missing',
      'clientId',
      'every command needs a clientId (idempotency key); generate one per intended action, e.g. a UUID',
    );
  }
  if (clientId.length > CLIENT_ID_LENGTH_MAX || !CLIENT_ID_PATTERN.test(clientId)) {
    throw new LedgerInputError(
      'client_id_invalid',
      'clientId',
      `clientId "${clientId.slice(0, 40)}" is not accepted: use up to ${CLIENT_ID_LENGTH_MAX} letters, digits and . _ : - (starting with a letter or digit)`,
    );
  }
  return clientId;
}

/** Canonical form and content hash of a command (the client id is part of the content). */
export function commandFingerprint(command: ClientCommand): {
  canonical: CanonicalValue;
  contentHash: string;
} {
  const canonical = canonicalize(command);
  return { canonical, contentHash: sha256Hex(JSON.stringify(canonical)) };
}

export type CommandLookup<R> =
  | { readonly kind: 'new'; readonly canonical: CanonicalValue; readonly contentHash: string }
  | { readonly kind: 'repeat'; readonly result: R };

/**
 * Looks a command up by its client id: `new` when the id is unseen, `repeat` with the first result when the
 * same command was seen; throws `CommandConflictError` naming the field when the id was used for different
 * content.
 */
export function lookupCommand<R, C extends ClientCommand = ClientCommand>(
  log: CommandLog<R>,
  command: C,
): CommandLookup<R> {
  const clientId = validateClientId(command.clientId);
  const { canonical, contentHash } = commandFingerprint(command);
  const entry = commandLogEntry(log, clientId);
  if (entry === undefined) return { kind: 'new', canonical, contentHash };
  if (entry.contentHash === contentHash) return { kind: 'repeat', result: entry.result };
  const difference = firstDifference(entry.command, canonical);
  // Equal hashes for unequal content, or unequal hashes for equal content, would be a broken hash.
  invariant(difference !== null, () => `client id ${clientId}: hashes differ but the commands are equal`);
  throw new CommandConflictError(clientId, difference);
}

/** Records the first result of a new command; recording an id twice is an impossible state. */
export function recordCommand<R>(log: CommandLog<R>, command: ClientCommand, result: R): CommandLog<R> {
  const clientId = validateClientId(command.clientId);
  invariant(
    commandLogEntry(log, clientId) === undefined,
    () => `client id ${clientId} is already in the command log`,
  );
  const { canonical, contentHash } = commandFingerprint(command);
  const key = commandLogBucket(clientId);
  const bucket = { ...log.buckets[key], [clientId]: { contentHash, command: canonical, result } };
  return { buckets: { ...log.buckets, [key]: bucket } };
}

/**
 * Runs a command at most once per client id. A repeat of the same command returns the first result and
 * leaves `state` and the log as they were; different content under a used id throws `CommandConflictError`.
 * A command that `execute` refuses (throws) is not recorded: it changed nothing, so the client may fix it and
 * send it again under the same id.
 */
export function runIdempotent<S, C extends ClientCommand, R>(
  state: S,
  log: CommandLog<R>,
  command: C,
  execute: (state: S, command: C) => { state: S; result: R },
): { state: S; log: CommandLog<R>; result: R; repeated: boolean } {
  const found = lookupCommand(log, command);
  if (found.kind === 'repeat') return { state, log, result: found.result, repeated: true };
  const done = execute(state, command);
  return {
    state: done.state,
    log: recordCommand(log, command, done.result),
    result: done.result,
    repeated: false,
  };
}
