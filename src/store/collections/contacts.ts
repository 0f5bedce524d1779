import {
  CONTACT_CHANNEL_OF_REMINDER,
  type ContactChannel,
  type ContactDecision,
  type ContactOutcome,
  type ContactParty,
  type ContactRules,
  checkNewPromise,
  checkNoPendingPromise,
  DEFAULT_CONTACT_RULES,
  DEFAULT_PROMISE_SETTINGS,
  decideContact,
  type LoggedContact,
  owedOnDayMinor,
  type PromiseSettings,
  paidToDateMinor,
} from '../../collections/index.js';
import { type Day, parseDate } from '../../money/index.js';
import type { ReminderChannel } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { loanStateFromColumns, sqlDate } from '../ledger/index.js';
import type { StoredCase } from './cases.js';

export interface StoredContact {
  readonly attemptId: string;
  readonly caseId: string;
  readonly at: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly outcome: ContactOutcome;
  readonly allowed: boolean;
  readonly rule: string | null;
  readonly nextAllowedAt: string | null;
  readonly actor: string;
  readonly note: string | null;
}

interface ContactRow {
  attempt_id: string;
  case_id: string;
  at_ms: string | number;
  channel: ContactChannel;
  party: ContactParty;
  outcome: ContactOutcome;
  allowed: boolean;
  rule: string | null;
  next_ms: string | number | null;
  actor: string;
  note: string | null;
}

const CONTACT_COLUMNS = `attempt_id, case_id, (extract(epoch from at) * 1000)::bigint as at_ms, channel, party, outcome,
  allowed, rule, (extract(epoch from next_allowed_at) * 1000)::bigint as next_ms, actor, note`;

function contactFromRow(r: ContactRow, zoneIso: (ms: number) => string): StoredContact {
  return {
    attemptId: r.attempt_id,
    caseId: r.case_id,
    at: zoneIso(Number(r.at_ms)),
    channel: r.channel,
    party: r.party,
    outcome: r.outcome,
    allowed: r.allowed,
    rule: r.rule,
    nextAllowedAt: r.next_ms === null ? null : zoneIso(Number(r.next_ms)),
    actor: r.actor,
    note: r.note,
  };
}

/** A case's contact log, oldest first, with instants in the borrower's zone. */
export async function listContacts(
  q: Queryable,
  caseId: string,
  zoneIso: (ms: number) => string,
): Promise<StoredContact[]> {
  const { rows } = await q.query<ContactRow>(
    `select ${CONTACT_COLUMNS} from collection_contacts where case_id = $1 order by at, attempt_id`,
    [caseId],
  );
  return rows.map((r) => contactFromRow(r, zoneIso));
}

export interface ContactInput {
  readonly atMs: number;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly outcome: ContactOutcome;
  readonly note: string | null;
  readonly actor: string;
  /** The borrower's open complaints stop this attempt (rule `complaint_open`); decided by the caller. */
  readonly complaintOpen?: boolean;
}

/**
 * Decides an attempt against the rules with the case's log as it stands (the case row is locked by the
 * caller, so two collectors cannot both take the last call of the day) and logs it, allowed or refused.
 */
export async function logContact(
  tx: Queryable,
  kase: StoredCase,
  input: ContactInput,
  rules: ContactRules = DEFAULT_CONTACT_RULES,
): Promise<{ attemptId: string; decision: ContactDecision }> {
  const history = [
    ...(await contactHistory(tx, kase.caseId, input.atMs)),
    ...(await stepMessagesInFlight(tx, kase.caseId, input.atMs)),
  ];
  const decision = decideContact(
    { atMs: input.atMs, channel: input.channel, party: input.party },
    history,
    { zone: kase.borrowerZone, lostContact: kase.lostContact, complaintOpen: input.complaintOpen ?? false },
    rules,
  );
  const [attemptId] = await insertContactAttempts(tx, [
    {
      caseId: kase.caseId,
      atMs: input.atMs,
      channel: input.channel,
      party: input.party,
      outcome: input.outcome,
      decision,
      actor: input.actor,
      note: input.note,
    },
  ]);
  return { attemptId: attemptId!, decision };
}

/** The case's log the rules read for an attempt at `atMs`: the 30 days before it, oldest first. */
export async function contactHistory(q: Queryable, caseId: string, atMs: number): Promise<LoggedContact[]> {
  return (await contactHistories(q, [caseId], atMs)).get(caseId) ?? [];
}

/** The logs of several cases as `contactHistory` reads one, in one query; a case with none is absent. */
export async function contactHistories(
  q: Queryable,
  caseIds: readonly string[],
  atMs: number,
): Promise<Map<string, LoggedContact[]>> {
  const { rows } = await q.query<{
    case_id: string;
    at_ms: string | number;
    channel: ContactChannel;
    party: ContactParty;
    outcome: ContactOutcome;
    allowed: boolean;
  }>(
    `select case_id, (extract(epoch from at) * 1000)::bigint as at_ms, channel, party, outcome, allowed
       from collection_contacts
      where case_id = any($1::text[]) and at > $2::timestamptz - interval '30 days' order by case_id, at`,
    [caseIds, new Date(atMs).toISOString()],
  );
  const out = new Map<string, LoggedContact[]>();
  for (const r of rows) {
    const list = out.get(r.case_id) ?? [];
    list.push({
      atMs: Number(r.at_ms),
      channel: r.channel,
      party: r.party,
      outcome: r.outcome,
      allowed: r.allowed,
    });
    out.set(r.case_id, list);
  }
  return out;
}

/** An attempt to write to a case's log, with the rules' decision on it. */
export interface ContactAttemptRow {
  readonly caseId: string;
  readonly atMs: number;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly outcome: ContactOutcome;
  readonly decision: ContactDecision;
  readonly actor: string;
  readonly note: string | null;
}

/** Writes attempts to the contact log (one statement); their ids in order. */
export async function insertContactAttempts(
  q: Queryable,
  attempts: readonly ContactAttemptRow[],
): Promise<string[]> {
  if (attempts.length === 0) return [];
  const ids = attempts.map(() => newId('ca'));
  const iso = (ms: number) => new Date(ms).toISOString();
  await q.query(
    `insert into collection_contacts (attempt_id, case_id, at, channel, party, outcome, allowed, rule, next_allowed_at,
       actor, note)
     select u.id, u.case_id, u.at, u.channel, u.party, u.outcome, u.allowed, u.rule, u.next_at, u.actor, u.note
       from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::boolean[],
                   $8::text[], $9::timestamptz[], $10::text[], $11::text[])
         as u(id, case_id, at, channel, party, outcome, allowed, rule, next_at, actor, note)`,
    [
      ids,
      attempts.map((a) => a.caseId),
      attempts.map((a) => iso(a.atMs)),
      attempts.map((a) => a.channel),
      attempts.map((a) => a.party),
      attempts.map((a) => a.outcome),
      attempts.map((a) => a.decision.allowed),
      attempts.map((a) => (a.decision.allowed ? null : a.decision.rule)),
      attempts.map((a) =>
        a.decision.allowed || a.decision.nextAllowedAtMs === null ? null : iso(a.decision.nextAllowedAtMs),
      ),
      attempts.map((a) => a.actor),
      attempts.map((a) => a.note),
    ],
  );
  return ids;
}

export interface StoredPromise {
  readonly promiseId: string;
  readonly caseId: string;
  readonly amountMinor: number;
  readonly promisedDate: string;
  readonly madeDate: string;
  readonly status: 'pending' | 'kept' | 'broken';
  readonly decidedDate: string | null;
  readonly paidMinor: number | null;
  readonly actor: string;
}

interface PromiseRow {
  promise_id: string;
  case_id: string;
  amount_minor: string | number;
  promised_day: string;
  made_day: string;
  status: 'pending' | 'kept' | 'broken';
  decided_day: string | null;
  paid_minor: string | number | null;
  actor: string;
}

const PROMISE_COLUMNS = `promise_id, case_id, amount_minor, promised_day::text as promised_day, made_day::text as made_day,
  status, decided_day::text as decided_day, paid_minor, actor`;

function promiseFromRow(r: PromiseRow): StoredPromise {
  return {
    promiseId: r.promise_id,
    caseId: r.case_id,
    amountMinor: Number(r.amount_minor),
    promisedDate: r.promised_day,
    madeDate: r.made_day,
    status: r.status,
    decidedDate: r.decided_day,
    paidMinor: r.paid_minor === null ? null : Number(r.paid_minor),
    actor: r.actor,
  };
}

export async function listPromises(q: Queryable, caseId: string): Promise<StoredPromise[]> {
  const { rows } = await q.query<PromiseRow>(
    `select ${PROMISE_COLUMNS} from collection_promises where case_id = $1 order by made_day, promise_id`,
    [caseId],
  );
  return rows.map(promiseFromRow);
}

/**
 * Records a promise made on business day `day`: checked by the core, with what the borrower had paid in
 * all so far as its baseline (a later payment keeps it).
 */
export async function addPromise(
  tx: Queryable,
  kase: StoredCase,
  amountMinor: number,
  promisedDay: Day,
  day: Day,
  actor: string,
  settings: PromiseSettings = DEFAULT_PROMISE_SETTINGS,
): Promise<StoredPromise> {
  checkNewPromise(amountMinor, promisedDay, day, settings);
  checkNoPendingPromise(
    (await listPromises(tx, kase.caseId)).map((p) => ({
      amountMinor: p.amountMinor,
      promisedDay: parseDate(p.promisedDate),
      status: p.status,
    })),
    settings,
  );
  const loans = await tx.query<{ state: string; terms: string }>(
    'select state::text as state, terms::text as terms from loans where customer_id = $1',
    [kase.customerId],
  );
  const states = loans.rows.map((r) => loanStateFromColumns(r.state, r.terms));
  checkNewPromise(amountMinor, promisedDay, day, settings, owedOnDayMinor(states, promisedDay));
  const baseline = paidToDateMinor(states);
  const { rows } = await tx.query<PromiseRow>(
    `insert into collection_promises (promise_id, case_id, amount_minor, promised_day, made_day, paid_baseline_minor, status, actor)
     values ($1, $2, $3, $4, $5, $6, 'pending', $7) returning ${PROMISE_COLUMNS}`,
    [newId('pp'), kase.caseId, amountMinor, sqlDate(promisedDay), sqlDate(day), baseline, actor],
  );
  return promiseFromRow(rows[0] as PromiseRow);
}

/**
 * A strategy step's messages the dispatcher has claimed and not yet settled (decision 0911): they count as sent
 * at `atMs`, so that a collector's message logged while one is on its way cannot take the borrower past the
 * day's cap. The dispatcher logs each as sent (or undelivered) when it settles it, in the transaction that ends
 * its claim, so none is counted twice. A claimed message the rules then refuse counts here until it is moved
 * or cancelled: the cap errs on the borrower's side.
 */
export async function stepMessagesInFlight(
  q: Queryable,
  caseId: string,
  atMs: number,
): Promise<LoggedContact[]> {
  // Through the case's own step actions, whose reference is the reminder's key (indexed in the outbox).
  const { rows } = await q.query<{ channel: string }>(
    `select o.channel from collection_step_actions a
       join outbox_messages o on o.kind = 'reminder' and o.reminder_key = a.reference
      where a.case_id = $1 and a.kind = 'reminder' and a.reference is not null
        and o.status = 'pending' and o.lease_until > $2::timestamptz and o.next_attempt_at <= $2::timestamptz`,
    [caseId, new Date(atMs).toISOString()],
  );
  return rows.flatMap((r) => {
    const channel = CONTACT_CHANNEL_OF_REMINDER[r.channel as ReminderChannel] ?? null;
    return channel === null
      ? []
      : [{ atMs, channel, party: 'borrower' as const, outcome: 'sent' as const, allowed: true }];
  });
}
