/** Restructuring requests (maker-checker) of loans: migration 0012. */
import type { RestructureRequest } from '../../ledger/index.js';
import type { Day } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { dayFromSql, sqlDate } from './codec.js';

export type RestructuringStatus = 'pending' | 'applied' | 'rejected';

export interface StoredRestructuring {
  customerId: string;
  restructuringId: string;
  loanId: string;
  status: RestructuringStatus;
  request: RestructureRequest;
  forgivenMinor: number;
  monthsExtended: number;
  proposedBy: string;
  proposedDay: Day;
  decidedBy: string | null;
  decidedDay: Day | null;
  note: string | null;
  /** Seq of the loan's `LoanRestructured` event once applied. */
  eventSeq: number | null;
  createdAt: string;
}

interface Row {
  customer_id: string;
  restructuring_id: string;
  loan_id: string;
  status: RestructuringStatus;
  request: string;
  forgiven_minor: string | number;
  months_extended: number;
  proposed_by: string;
  proposed_day: string;
  decided_by: string | null;
  decided_day: string | null;
  note: string | null;
  event_seq: number | null;
  created_at: string;
}

const COLUMNS = `customer_id, restructuring_id, loan_id, status, request::text as request, forgiven_minor,
  months_extended, proposed_by, proposed_day::text as proposed_day, decided_by, decided_day::text as decided_day,
  note, event_seq, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`;

function fromRow(r: Row): StoredRestructuring {
  return {
    customerId: r.customer_id,
    restructuringId: r.restructuring_id,
    loanId: r.loan_id,
    status: r.status,
    request: JSON.parse(r.request) as RestructureRequest,
    forgivenMinor: Number(r.forgiven_minor),
    monthsExtended: r.months_extended,
    proposedBy: r.proposed_by,
    proposedDay: dayFromSql(r.proposed_day),
    decidedBy: r.decided_by,
    decidedDay: r.decided_day === null ? null : dayFromSql(r.decided_day),
    note: r.note,
    eventSeq: r.event_seq,
    createdAt: r.created_at,
  };
}

export async function insertRestructuring(
  q: Queryable,
  r: Omit<StoredRestructuring, 'createdAt'>,
): Promise<StoredRestructuring> {
  const { rows } = await q.query<Row>(
    `insert into loan_restructurings (customer_id, restructuring_id, loan_id, status, kind, request, forgiven_minor,
       months_extended, proposed_by, proposed_day, decided_by, decided_day, note, event_seq)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10::date, $11, $12::date, $13, $14)
     returning ${COLUMNS}`,
    [
      r.customerId,
      r.restructuringId,
      r.loanId,
      r.status,
      r.request.kind,
      JSON.stringify(r.request),
      r.forgivenMinor,
      r.monthsExtended,
      r.proposedBy,
      sqlDate(r.proposedDay),
      r.decidedBy,
      r.decidedDay === null ? null : sqlDate(r.decidedDay),
      r.note,
      r.eventSeq,
    ],
  );
  return fromRow(rows[0]!);
}

export async function findRestructuring(
  q: Queryable,
  loanId: string,
  restructuringId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredRestructuring | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from loan_restructurings where loan_id = $1 and restructuring_id = $2
     ${options.forUpdate === true ? 'for update' : ''}`,
    [loanId, restructuringId],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** A loan's restructuring requests, oldest first. */
export async function listRestructurings(q: Queryable, loanId: string): Promise<StoredRestructuring[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from loan_restructurings where loan_id = $1 order by created_at, restructuring_id`,
    [loanId],
  );
  return rows.map(fromRow);
}

/** Records the decision on a pending request (the caller holds it locked). */
export async function decideRestructuring(
  q: Queryable,
  r: StoredRestructuring,
  decision: {
    status: 'applied' | 'rejected';
    decidedBy: string;
    decidedDay: Day;
    note: string | null;
    eventSeq: number | null;
  },
): Promise<StoredRestructuring> {
  const { rows } = await q.query<Row>(
    `update loan_restructurings set status = $3, decided_by = $4, decided_day = $5::date, note = $6, event_seq = $7,
       updated_at = now()
     where customer_id = $1 and restructuring_id = $2 and status = 'pending' returning ${COLUMNS}`,
    [
      r.customerId,
      r.restructuringId,
      decision.status,
      decision.decidedBy,
      sqlDate(decision.decidedDay),
      decision.note,
      decision.eventSeq,
    ],
  );
  if (rows[0] === undefined) throw new Error(`assertion: restructuring ${r.restructuringId} was not pending`);
  return fromRow(rows[0]);
}
