import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type AuditEntry,
  appendAudit,
  findIdempotency,
  type IdempotencyRecord,
  type PiiCipher,
  type Queryable,
  requestLockKey,
  SQLSTATE_UNIQUE_VIOLATION,
  saveIdempotency,
  sqlState,
} from '../../store/index.js';
import type { ServerDeps } from './context.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { say } from './messages.js';
import { fieldProblem, missingIdempotencyKey, ProblemError } from './problem.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[A-Za-z0-9_.:-]+$/;
/** Header set on a response that repeats the first response to an earlier request with the same key. */
export const REPLAY_HEADER = 'idempotent-replayed';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function leaves(value: unknown, pointer: string, out: Map<string, string>): void {
  const isContainer = value !== null && typeof value === 'object';
  const entries = isContainer ? Object.entries(value as Record<string, unknown>) : [];
  if (!isContainer || entries.length === 0) {
    out.set(pointer, canonical(value));
    return;
  }
  for (const [k, v] of entries) leaves(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
}

function requestShape(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    params: request.params ?? {},
    query: request.query ?? {},
    body: request.body ?? null,
  };
}

/** Keyed MACs of the whole request and of each field: no content is kept, differences can be named. */
function fingerprint(cipher: PiiCipher, keyId: string, request: FastifyRequest) {
  const shape = requestShape(request);
  const fields = new Map<string, string>();
  leaves(shape, '', fields);
  const mac = (data: string) => {
    const m = cipher.mac(keyId, data);
    if (m === undefined) throw new Error(`assertion: MAC key ${keyId} vanished`);
    return m;
  };
  const fieldMacs: Record<string, string> = {};
  for (const [pointer, text] of fields) fieldMacs[pointer] = mac(`${pointer}\u0000${text}`);
  return { requestMac: mac(canonical(shape)), fieldMacs };
}

function differences(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}

async function replayOrRefuse(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  record: IdempotencyRecord,
): Promise<boolean> {
  const again = fingerprint(deps.cipher, record.macKeyId, request);
  if (cipherHas(deps.cipher, record.macKeyId) && again.requestMac === record.requestMac) {
    reply.code(record.responseStatus).header(REPLAY_HEADER, 'true');
    if (record.resourceLocation !== null) reply.header('location', record.resourceLocation);
    await reply.send(record.responseBody);
    return true;
  }
  const paths = differences(record.fieldMacs, again.fieldMacs);
  throw new ProblemError(
    'idempotency_key_reused',
    say(KERNEL_MESSAGES, 'idempotency_key_reused', { key: record.key, paths: paths.join(', ') }),
    paths.map((path) => fieldProblem(path, say(KERNEL_MESSAGES, 'differs_from_first'))),
  );
}

function cipherHas(cipher: PiiCipher, keyId: string): boolean {
  return cipher.keyIds.includes(keyId);
}

/** The request's Idempotency-Key, refused when absent or malformed. */
function checkedKey(deps: ServerDeps, request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    throw missingIdempotencyKey();
  }
  if (
    typeof key !== 'string' ||
    key.length > deps.config.idempotencyKeyLength_max ||
    !KEY_PATTERN.test(key)
  ) {
    throw new ProblemError(
      'idempotency_key_invalid',
      say(KERNEL_MESSAGES, 'idempotency_key_invalid', { max: deps.config.idempotencyKeyLength_max }),
      [fieldProblem('/header/idempotency-key', say(KERNEL_MESSAGES, 'idempotency_key_chars'))],
    );
  }
  return key;
}

/** Who a write is recorded for: a staff user, or another actor (a signed-in borrower) with a role name. */
export interface WriteActor {
  userId: string;
  role: string;
}

/**
 * The idempotency context of a write by an actor who is not a staff user (a borrower signed in to the
 * portal): the same key rules, fingerprint and replay as staff writes, keyed by the actor's id. Answers a
 * repeat itself and returns true; false when the write is to run.
 */
export async function prepareActorWrite(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: WriteActor,
): Promise<boolean> {
  const key = checkedKey(deps, request);
  const existing = await findIdempotency(deps.db, actor.userId, key);
  if (existing !== undefined) {
    await replayOrRefuse(deps, request, reply, existing);
    return true;
  }
  const macKeyId = deps.cipher.activeKeyId;
  request.idempotency = { key, macKeyId, ...fingerprint(deps.cipher, macKeyId, request) };
  return false;
}

/**
 * Every write (POST, PUT, PATCH, DELETE) carries an Idempotency-Key, scoped to the calling user. Runs
 * after validation, so a request refused for its shape records nothing. A key seen before with the
 * same request replays the first response; with another request it is refused, naming the fields.
 */
export function registerIdempotency(app: FastifyInstance, deps: ServerDeps): void {
  app.decorateRequest('idempotency', null);
  app.addHook('preHandler', async (request, reply) => {
    if (!WRITE_METHODS.has(request.method) || request.principal === null) return;
    const key = checkedKey(deps, request);
    // Routes that look the key up in their own transaction save this round trip (a repeat is found there).
    if (request.routeOptions.config.idempotencyInTransaction !== true) {
      const existing = await findIdempotency(deps.db, request.principal.userId, key);
      if (existing !== undefined) {
        await replayOrRefuse(deps, request, reply, existing);
        return reply;
      }
    }
    const macKeyId = deps.cipher.activeKeyId;
    request.idempotency = { key, macKeyId, ...fingerprint(deps.cipher, macKeyId, request) };
  });
}

export interface WriteOutcome<Body> {
  status: number;
  body: Body;
  /** Location header of a created resource. */
  location?: string;
  /** What a replay of this request answers instead of `body` (e.g. without a one-time secret). */
  replayBody?: Body;
  /**
   * The response as a replay answers it, when the body is not serialised through a plain response schema
   * (a problem with extension members, whose schema is keyed by content type: Fastify's reply.serialize
   * cannot pick one of those).
   */
  replayText?: string;
  audit: Omit<AuditEntry, 'actorUserId' | 'actorRole' | 'requestId'>[];
}

/**
 * Runs a write in one transaction together with its audit entries and its idempotency record, then
 * sends the response. Requests with the same user and key are serialised by an advisory lock; the
 * later one finds the earlier one's record and is answered like a repeat. Should two still collide on
 * the record's primary key, the loser is rolled back whole and answered the same way.
 */
export async function commitWrite<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Queryable) => Promise<WriteOutcome<Body>>,
): Promise<FastifyReply> {
  const principal = request.principal;
  if (principal === null) throw new Error('assertion: a write runs only after auth and idempotency');
  return commitWriteAs(deps, request, reply, { userId: principal.userId, role: principal.role }, work);
}

/** `commitWrite` for a given actor (a borrower's write, prepared by `prepareActorWrite`). */
export async function commitWriteAs<Body>(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  principal: WriteActor,
  work: (tx: Queryable) => Promise<WriteOutcome<Body>>,
): Promise<FastifyReply> {
  const idem = request.idempotency;
  if (idem === null) throw new Error('assertion: a write runs only after auth and idempotency');
  try {
    const outcome = await deps.db.transaction(async (tx) => {
      // Requests with the same user and key take turns; a later one sees the earlier one's record
      // and replays it instead of running the write again (and failing on what it created).
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        requestLockKey(principal.userId, idem.key),
      ]);
      const earlier = await findIdempotency(tx, principal.userId, idem.key);
      if (earlier !== undefined) return { replay: earlier, done: undefined };
      const result = await work(tx);
      for (const entry of result.audit) {
        await appendAudit(tx, {
          ...entry,
          actorUserId: principal.userId,
          actorRole: principal.role,
          requestId: request.id,
        });
      }
      reply.code(result.status);
      const storedText = result.replayText ?? String(reply.serialize(result.replayBody ?? result.body));
      await saveIdempotency(
        tx,
        {
          userId: principal.userId,
          key: idem.key,
          method: request.method,
          route: request.routeOptions.url ?? request.url,
          requestMac: idem.requestMac,
          fieldMacs: idem.fieldMacs,
          macKeyId: idem.macKeyId,
          responseStatus: result.status,
          responseBody: null,
          resourceLocation: result.location ?? null,
        },
        storedText,
      );
      return { replay: undefined, done: result };
    });
    if (outcome.replay !== undefined) {
      await replayOrRefuse(deps, request, reply, outcome.replay);
      return reply;
    }
    const done = outcome.done;
    if (done.location !== undefined) reply.header('location', done.location);
    return reply.code(done.status).send(done.body);
  } catch (error) {
    if (sqlState(error) === SQLSTATE_UNIQUE_VIOLATION) {
      const winner = await findIdempotency(deps.db, principal.userId, idem.key);
      if (winner !== undefined) {
        await replayOrRefuse(deps, request, reply, winner);
        return reply;
      }
    }
    throw error;
  }
}

/**
 * For a route that looks its key up in its own transaction (`idempotencyInTransaction`) and refused a
 * request before getting there: a key used before still replays the first response (or is refused as
 * reused), as the look-up before the handler would have done. True when it answered.
 */
export async function replayIfSeen(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const principal = request.principal;
  const idem = request.idempotency;
  if (principal === null || idem === null) return false;
  const earlier = await findIdempotency(deps.db, principal.userId, idem.key);
  if (earlier === undefined) return false;
  await replayOrRefuse(deps, request, reply, earlier);
  return true;
}

/** What a write leaves besides its own rows: audit entries, the idempotency record, the response text. */
export interface SealedWrite {
  status: number;
  location: string | undefined;
  audit: AuditEntry[];
  idempotency: IdempotencyRecord;
  /** The response body serialised by the route's response schema, as sent. */
  bodyText: string;
  /** What a replay answers (the same text unless the outcome has a replay body), stored with the key. */
  responseText: string;
}

/**
 * The records of a write made by a route that writes them itself (in one statement with its own rows),
 * with the response serialised once. `sendSealed` answers with it after the commit.
 */
export function sealWrite<Body>(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: WriteOutcome<Body>,
): SealedWrite {
  const principal = request.principal;
  const idem = request.idempotency;
  if (principal === null || idem === null)
    throw new Error('assertion: a write runs only after auth and idempotency');
  reply.code(outcome.status);
  const bodyText = String(reply.serialize(outcome.body));
  const storedText =
    outcome.replayBody === undefined ? bodyText : String(reply.serialize(outcome.replayBody));
  return {
    status: outcome.status,
    location: outcome.location,
    audit: outcome.audit.map((entry) => ({
      ...entry,
      actorUserId: principal.userId,
      actorRole: principal.role,
      requestId: request.id,
    })),
    idempotency: {
      userId: principal.userId,
      key: idem.key,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      requestMac: idem.requestMac,
      fieldMacs: idem.fieldMacs,
      macKeyId: idem.macKeyId,
      responseStatus: outcome.status,
      responseBody: null,
      resourceLocation: outcome.location ?? null,
    },
    bodyText,
    responseText: storedText,
  };
}

/** Answers a committed sealed write with its serialised body. */
export function sendSealed(reply: FastifyReply, sealed: SealedWrite): FastifyReply {
  if (sealed.location !== undefined) reply.header('location', sealed.location);
  return reply.code(sealed.status).type('application/json; charset=utf-8').send(sealed.bodyText);
}
