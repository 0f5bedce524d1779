/** Settlement offers (减免结清) with maker-checker: migration 0025. */
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from './codec.js';

export type SettlementOfferStatus = 'pending' | 'offered' | 'rejected';

/** What became of an offer that was made: still open, paid (the loan settled), or lapsed unpaid. */
export type SettlementOfferOutcome = 'in-force' | 'completed' | 'lapsed';

/** The borrower's answer to an offer made, as a member of staff recorded it (decision 0368). */
export interface SettlementBorrowerResponse {
  answer: 'accepted' | 'declined';
  recordedBy: string;
  recordedDay: Day;
}

/** The audit action that records a borrower's answer; the latest one is the answer in force. */
export const SETTLEMENT_RESPONSE_ACTION = 'loan.settlement.borrower-response';

export interface StoredSettlementOffer {
  customerId: string;
  offerId: string;
  loanId: string;
  status: SettlementOfferStatus;
  offerMinor: number;
  validThroughDay: Day;
  /** What was owed on the day it was proposed (or made), and the discount stated to the borrower. */
  owedMinor: number;
  discountMinor: number;
  proposedBy: string;
  proposedDay: Day;
  decidedBy: string | null;
  decidedDay: Day | null;
  note: string | null;
  /** Seq of the loan's `SettlementOffered` event once made. */
  eventSeq: number | null;
  /** For an offer made: in force, completed or lapsed (from the loan's events); null otherwise. */
  outcome: SettlementOfferOutcome | null;
  /** The borrower's latest answer recorded by staff, or null. */
  borrowerResponse: SettlementBorrowerResponse | null;
  createdAt: string;
}

interface Row {
  customer_id: string;
  offer_id: string;
  loan_id: string;
  status: SettlementOfferStatus;
  offer_minor: string | number;
  valid_through: string;
  owed_minor: string | number;
  discount_minor: string | number;
  proposed_by: string;
  proposed_day: string;
  decided_by: string | null;
  decided_day: string | null;
  note: string | null;
  event_seq: number | null;
  outcome: SettlementOfferOutcome | null;
  borrower_response: { answer: 'accepted' | 'declined'; recordedBy: string; recordedDay: string } | null;
  created_at: string;
}

/** The outcome is read from the loan's events that name the offer's event. */
const COLUMNS = `o.customer_id, o.offer_id, o.loan_id, o.status, o.offer_minor, o.valid_through::text as valid_through,
  o.owed_minor, o.discount_minor, o.proposed_by, o.proposed_day::text as proposed_day, o.decided_by,
  o.decided_day::text as decided_day, o.note, o.event_seq,
  case when o.event_seq is null then null
       else coalesce((select case e.type when 'SettlementCompleted' then 'completed' else 'lapsed' end
                        from loan_events e
                       where e.customer_id = o.customer_id and e.loan_id = o.loan_id
                         and e.type in ('SettlementCompleted', 'SettlementLapsed')
                         and (e.payload->>'offerSeq')::int = o.event_seq
                       order by e.seq limit 1), 'in-force') end as outcome,
  (select jsonb_build_object('answer', a.details->>'answer', 'recordedBy', a.actor_user_id,
                             'recordedDay', a.details->>'day')
     from audit_log a
    where a.customer_id = o.customer_id and a.action = '${SETTLEMENT_RESPONSE_ACTION}'
      and a.details->>'offerId' = o.offer_id
    order by a.audit_id desc limit 1) as borrower_response,
  to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`;

function fromRow(r: Row): StoredSettlementOffer {
  return {
    customerId: r.customer_id,
    offerId: r.offer_id,
    loanId: r.loan_id,
    status: r.status,
    offerMinor: Number(r.offer_minor),
    validThroughDay: dayFromSql(r.valid_through),
    owedMinor: Number(r.owed_minor),
    discountMinor: Number(r.discount_minor),
    proposedBy: r.proposed_by,
    proposedDay: dayFromSql(r.proposed_day),
    decidedBy: r.decided_by,
    decidedDay: r.decided_day === null ? null : dayFromSql(r.decided_day),
    note: r.note,
    eventSeq: r.event_seq,
    outcome: r.outcome,
    borrowerResponse:
      r.borrower_response === null
        ? null
        : {
            answer: r.borrower_response.answer,
            recordedBy: r.borrower_response.recordedBy,
            recordedDay: dayFromSql(r.borrower_response.recordedDay),
          },
    createdAt: r.created_at,
  };
}

async function byId(q: Queryable, customerId: string, offerId: string): Promise<StoredSettlementOffer> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from settlement_offers o where o.customer_id = $1 and o.offer_id = $2`,
    [customerId, offerId],
  );
  if (rows[0] === undefined)
    throw new Error(`assertion: settlement offer ${offerId} just written is missing`);
  return fromRow(rows[0]);
}

export async function insertSettlementOffer(
  q: Queryable,
  o: Omit<StoredSettlementOffer, 'createdAt' | 'outcome' | 'borrowerResponse'>,
): Promise<StoredSettlementOffer> {
  await q.query(
    `insert into settlement_offers (customer_id, offer_id, loan_id, status, offer_minor, valid_through, owed_minor,
       discount_minor, proposed_by, proposed_day, decided_by, decided_day, note, event_seq)
     values ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10::date, $11, $12::date, $13, $14)`,
    [
      o.customerId,
      o.offerId,
      o.loanId,
      o.status,
      o.offerMinor,
      sqlDate(o.validThroughDay),
      o.owedMinor,
      o.discountMinor,
      o.proposedBy,
      sqlDate(o.proposedDay),
      o.decidedBy,
      o.decidedDay === null ? null : sqlDate(o.decidedDay),
      o.note,
      o.eventSeq,
    ],
  );
  return byId(q, o.customerId, o.offerId);
}

export async function findSettlementOffer(
  q: Queryable,
  loanId: string,
  offerId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredSettlementOffer | undefined> {
  if (options.forUpdate === true) {
    await q.query('select 1 from settlement_offers where loan_id = $1 and offer_id = $2 for update', [
      loanId,
      offerId,
    ]);
  }
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from settlement_offers o where o.loan_id = $1 and o.offer_id = $2`,
    [loanId, offerId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** A loan's settlement offers, oldest first. */
export async function listSettlementOffers(q: Queryable, loanId: string): Promise<StoredSettlementOffer[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from settlement_offers o where o.loan_id = $1 order by o.created_at, o.offer_id`,
    [loanId],
  );
  return rows.map(fromRow);
}

/** Records the decision on a pending offer (the caller holds it locked). */
export async function decideSettlementOffer(
  q: Queryable,
  o: StoredSettlementOffer,
  decision: {
    status: 'offered' | 'rejected';
    decidedBy: string;
    decidedDay: Day;
    note: string | null;
    eventSeq: number | null;
    owedMinor?: number;
    discountMinor?: number;
  },
): Promise<StoredSettlementOffer> {
  const { rowCount } = await q.query(
    `update settlement_offers set status = $3, decided_by = $4, decided_day = $5::date, note = $6, event_seq = $7,
       owed_minor = $8, discount_minor = $9, updated_at = now()
     where customer_id = $1 and offer_id = $2 and status = 'pending'`,
    [
      o.customerId,
      o.offerId,
      decision.status,
      decision.decidedBy,
      sqlDate(decision.decidedDay),
      decision.note,
      decision.eventSeq,
      decision.owedMinor ?? o.owedMinor,
      decision.discountMinor ?? o.discountMinor,
    ],
  );
  if (rowCount !== 1) throw new Error(`assertion: settlement offer ${o.offerId} was not pending`);
  return byId(q, o.customerId, o.offerId);
}
