import type { Queryable } from '../db.js';
import { newId } from '../ids.js';

/** A repayment started from the portal and carried by the payment gateway (docs/portal.md). */
export interface PortalPayment {
  customerId: string;
  paymentId: string;
  loanId: string;
  purpose: 'instalment' | 'overdue' | 'payoff';
  amountMinor: number;
  currency: string;
  status: 'pending' | 'paid' | 'failed';
  gatewayPaymentId: string | null;
  payUrl: string | null;
  eventSeq: number | null;
  createdAt: string;
  updatedAt: string;
}

interface PaymentRow {
  customer_id: string;
  payment_id: string;
  loan_id: string;
  purpose: PortalPayment['purpose'];
  amount_minor: string | number;
  currency: string;
  status: PortalPayment['status'];
  gateway_payment_id: string | null;
  pay_url: string | null;
  event_seq: number | null;
  created_at: Date;
  updated_at: Date;
}

function toPayment(r: PaymentRow): PortalPayment {
  return {
    customerId: r.customer_id,
    paymentId: r.payment_id,
    loanId: r.loan_id,
    purpose: r.purpose,
    amountMinor: Number(r.amount_minor),
    currency: r.currency,
    status: r.status,
    gatewayPaymentId: r.gateway_payment_id,
    payUrl: r.pay_url,
    eventSeq: r.event_seq,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function newPaymentId(now: Date): string {
  return newId('pay', now.getTime());
}

/** A new pending payment; a key the borrower used before gives the earlier payment instead (`created` false). */
export async function insertPortalPayment(
  q: Queryable,
  p: Pick<PortalPayment, 'customerId' | 'paymentId' | 'loanId' | 'purpose' | 'amountMinor' | 'currency'> & {
    idempotencyKey: string;
  },
): Promise<{ payment: PortalPayment; created: boolean }> {
  const { rows } = await q.query<PaymentRow>(
    `insert into portal_payments (customer_id, payment_id, loan_id, purpose, amount_minor, currency, status, idempotency_key)
     values ($1, $2, $3, $4, $5, $6, 'pending', $7)
     on conflict (customer_id, idempotency_key) do nothing returning *`,
    [p.customerId, p.paymentId, p.loanId, p.purpose, p.amountMinor, p.currency, p.idempotencyKey],
  );
  if (rows[0] !== undefined) return { payment: toPayment(rows[0]), created: true };
  const earlier = await q.query<PaymentRow>(
    'select * from portal_payments where customer_id = $1 and idempotency_key = $2',
    [p.customerId, p.idempotencyKey],
  );
  return { payment: toPayment(earlier.rows[0]!), created: false };
}

export async function setPaymentGateway(
  q: Queryable,
  paymentId: string,
  gatewayPaymentId: string,
  payUrl: string,
): Promise<void> {
  await q.query(
    'update portal_payments set gateway_payment_id = $2, pay_url = $3, updated_at = now() where payment_id = $1',
    [paymentId, gatewayPaymentId, payUrl],
  );
}

export async function findPortalPayment(
  q: Queryable,
  paymentId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PortalPayment | undefined> {
  const { rows } = await q.query<PaymentRow>(
    `select * from portal_payments where payment_id = $1${options.forUpdate === true ? ' for update' : ''}`,
    [paymentId],
  );
  return rows[0] === undefined ? undefined : toPayment(rows[0]);
}

export async function settlePortalPayment(
  q: Queryable,
  paymentId: string,
  status: 'paid' | 'failed',
  eventSeq: number | null,
): Promise<void> {
  await q.query(
    `update portal_payments set status = $2, event_seq = $3, updated_at = now()
     where payment_id = $1 and status = 'pending'`,
    [paymentId, status, eventSeq],
  );
}

export async function testGatewayOn(q: Queryable): Promise<boolean> {
  const { rows } = await q.query<{ test_gateway: boolean }>(
    'select test_gateway from portal_settings where only_row',
  );
  return rows[0]?.test_gateway === true;
}

/** Turns the built-in test payment gateway on or off (the demo and tests only). */
export async function setTestGateway(q: Queryable, on: boolean): Promise<void> {
  await q.query('update portal_settings set test_gateway = $1 where only_row', [on]);
}
