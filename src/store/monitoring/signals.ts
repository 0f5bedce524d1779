import type { Day } from '../../money/index.js';
import type {
  KnownSignal,
  PlanOffer,
  SignalAction,
  SignalHit,
  SignalPlan,
  SignalSeverity,
  SignalStatus,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';

export type SignalActionStatus = 'none' | 'pending' | 'done' | 'failed';

export interface StoredSignal {
  signalId: string;
  customerId: string;
  code: string;
  kind: string;
  severity: SignalSeverity;
  queue: string;
  action: SignalAction;
  offer: PlanOffer | null;
  reason: { en: string; 'zh-CN': string };
  evidence: Record<string, number | string | boolean | null>;
  documentVersion: string;
  status: SignalStatus;
  raisedDay: Day;
  lastSeenDay: Day;
  raisedBy: string;
  actionStatus: SignalActionStatus;
  actionRef: string | null;
  actionNote: string | null;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  clearedDay: Day | null;
}

interface Row {
  signal_id: string;
  customer_id: string;
  code: string;
  kind: string;
  severity: SignalSeverity;
  queue: string;
  action: SignalAction;
  offer: string | null;
  reason_en: string;
  reason_zh: string;
  evidence: string;
  document_version: string;
  status: SignalStatus;
  raised_day: string;
  last_seen_day: string;
  raised_by: string;
  action_status: SignalActionStatus;
  action_ref: string | null;
  action_note: string | null;
  acknowledged_by: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
  cleared_day: string | null;
}
const COLUMNS = `signal_id, customer_id, code, kind, severity, queue, action, offer::text as offer, reason_en, reason_zh,
  evidence::text as evidence, document_version, status, raised_day::text as raised_day,
  last_seen_day::text as last_seen_day, raised_by, action_status, action_ref, action_note, acknowledged_by,
  resolved_by, resolution_note, cleared_day::text as cleared_day`;
const fromRow = (r: Row): StoredSignal => ({
  signalId: r.signal_id,
  customerId: r.customer_id,
  code: r.code,
  kind: r.kind,
  severity: r.severity,
  queue: r.queue,
  action: r.action,
  offer: r.offer === null ? null : (JSON.parse(r.offer) as PlanOffer),
  reason: { en: r.reason_en, 'zh-CN': r.reason_zh },
  evidence: JSON.parse(r.evidence) as StoredSignal['evidence'],
  documentVersion: r.document_version,
  status: r.status,
  raisedDay: dayFromSql(r.raised_day),
  lastSeenDay: dayFromSql(r.last_seen_day),
  raisedBy: r.raised_by,
  actionStatus: r.action_status,
  actionRef: r.action_ref,
  actionNote: r.action_note,
  acknowledgedBy: r.acknowledged_by,
  resolvedBy: r.resolved_by,
  resolutionNote: r.resolution_note,
  clearedDay: r.cleared_day === null ? null : dayFromSql(r.cleared_day),
});

/** Every signal of these customers, for the planner (latest per code and evidence is enough; all are read). */
export async function knownSignals(
  q: Queryable,
  customerIds: readonly string[],
): Promise<Map<string, KnownSignal[]>> {
  const { rows } = await q.query<{
    customer_id: string;
    signal_id: string;
    code: string;
    status: SignalStatus;
    evidence_key: string;
  }>(
    `select customer_id, signal_id, code, status, evidence_key from signals where customer_id = any($1::text[])`,
    [customerIds],
  );
  const out = new Map<string, KnownSignal[]>();
  for (const r of rows) {
    const list = out.get(r.customer_id) ?? [];
    list.push({ signalId: r.signal_id, code: r.code, status: r.status, evidenceKey: r.evidence_key });
    out.set(r.customer_id, list);
  }
  return out;
}

const initialActionStatus = (hit: SignalHit): SignalActionStatus =>
  hit.action === 'none' ? 'none' : 'pending';

/**
 * Writes what the planner decided for one customer: new signals (their action `pending` until carried
 * out), refreshed evidence, and signals no rule supports any more marked cleared. Returns the raised ones.
 */
export async function applySignalPlan(
  q: Queryable,
  customerId: string,
  plan: SignalPlan,
  meta: { documentVersion: string; raisedBy: string },
): Promise<StoredSignal[]> {
  const raised: StoredSignal[] = [];
  for (const hit of plan.raise) {
    const { rows } = await q.query<Row>(
      `insert into signals (customer_id, signal_id, code, kind, severity, queue, action, offer, reason_en, reason_zh,
         evidence, evidence_key, document_version, status, raised_day, last_seen_day, raised_by, action_status)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb, $12, $13, 'open', $14::date, $14::date, $15, $16)
       returning ${COLUMNS}`,
      [
        customerId,
        newId('sig'),
        hit.code,
        hit.kind,
        hit.severity,
        hit.queue,
        hit.action,
        hit.offer === null ? null : JSON.stringify(hit.offer),
        hit.reason.en,
        hit.reason['zh-CN'],
        JSON.stringify(hit.evidence),
        hit.evidenceKey,
        meta.documentVersion,
        sqlDate(plan.day),
        meta.raisedBy,
        initialActionStatus(hit),
      ],
    );
    raised.push(fromRow(rows[0]!));
  }
  for (const r of plan.refresh)
    await q.query(
      `update signals set evidence = $3::jsonb, evidence_key = $4, last_seen_day = $5::date, updated_at = now()
       where customer_id = $1 and signal_id = $2`,
      [customerId, r.signalId, JSON.stringify(r.hit.evidence), r.evidenceKey, sqlDate(plan.day)],
    );
  if (plan.clear.length > 0)
    await q.query(
      `update signals set status = 'cleared', cleared_day = $3::date, updated_at = now()
       where customer_id = $1 and signal_id = any($2::text[]) and status in ('open', 'acknowledged')`,
      [customerId, plan.clear, sqlDate(plan.day)],
    );
  return raised;
}

export async function setSignalAction(
  q: Queryable,
  customerId: string,
  signalId: string,
  status: SignalActionStatus,
  ref: string | null,
  note: string | null,
): Promise<void> {
  await q.query(
    `update signals set action_status = $3, action_ref = $4, action_note = $5, updated_at = now()
     where customer_id = $1 and signal_id = $2`,
    [customerId, signalId, status, ref, note],
  );
}

export interface SignalQuery {
  customerId?: string;
  statuses?: readonly SignalStatus[];
  severity?: SignalSeverity;
  queue?: string;
  /** Keyset: signals after this id in the list's order. */
  afterSignalId?: string | null;
  limit: number;
}

const SEVERITY_RANK = `case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

/** Signals, most severe first, then newest. */
export async function listSignals(q: Queryable, query: SignalQuery): Promise<StoredSignal[]> {
  const { rows } = await q.query<Row & { rank: number }>(
    `select ${COLUMNS}, ${SEVERITY_RANK} as rank from signals
     where ($1::text is null or customer_id = $1) and ($2::text[] is null or status = any($2::text[]))
       and ($3::text is null or severity = $3) and ($4::text is null or queue = $4)
     order by rank, raised_day desc, signal_id desc
     limit $5`,
    [
      query.customerId ?? null,
      query.statuses ?? null,
      query.severity ?? null,
      query.queue ?? null,
      query.limit,
    ],
  );
  return rows.map(fromRow);
}

export async function findSignal(
  q: Queryable,
  signalId: string,
  forUpdate = false,
): Promise<StoredSignal | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from signals where signal_id = $1 ${forUpdate ? 'for update' : ''}`,
    [signalId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** A person takes a signal in hand (acknowledged) or settles it (resolved) with a note. */
export async function decideSignal(
  q: Queryable,
  signal: StoredSignal,
  decision: 'acknowledged' | 'resolved',
  by: string,
  note: string | null,
): Promise<StoredSignal> {
  const { rows } = await q.query<Row>(
    decision === 'acknowledged'
      ? `update signals set status = 'acknowledged', acknowledged_by = $3, acknowledged_at = now(), updated_at = now()
         where customer_id = $1 and signal_id = $2 returning ${COLUMNS}`
      : `update signals set status = 'resolved', resolved_by = $3, resolved_at = now(), resolution_note = $4, updated_at = now()
         where customer_id = $1 and signal_id = $2 returning ${COLUMNS}`,
    decision === 'acknowledged'
      ? [signal.customerId, signal.signalId, by]
      : [signal.customerId, signal.signalId, by, note],
  );
  return fromRow(rows[0]!);
}
