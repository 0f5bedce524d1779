import { randomBytes } from 'node:crypto';
import type { BusinessEventType } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import type { PiiCipher } from '../pii-cipher.js';

/** A business-event webhook subscription, without its secret. */
export interface WebhookSubscription {
  subscriptionId: string;
  url: string;
  eventTypes: BusinessEventType[];
  description: string;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const ISO = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${c}`;
const COLUMNS = `subscription_id, url, event_types, description, active, created_by, ${ISO('created_at')}, ${ISO('updated_at')}`;
export const secretAad = (id: string) => `webhook_subscriptions.secret:${id}`;

interface Row {
  subscription_id: string;
  url: string;
  event_types: string[];
  description: string;
  active: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: Row): WebhookSubscription {
  return {
    subscriptionId: r.subscription_id,
    url: r.url,
    eventTypes: r.event_types as BusinessEventType[],
    description: r.description,
    active: r.active,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * A new subscription with a fresh signing secret, returned once (as an API token is); stored encrypted.
 * The caller has validated the URL and the event types.
 */
export async function createWebhookSubscription(
  q: Queryable,
  cipher: PiiCipher,
  input: { url: string; eventTypes: readonly BusinessEventType[]; description: string },
  createdBy: string,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const subscriptionId = newId('whk');
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const { rows } = await q.query<Row>(
    `insert into webhook_subscriptions (subscription_id, url, event_types, secret_enc, description, created_by)
     values ($1, $2, $3::text[], $4, $5, $6) returning ${COLUMNS}`,
    [
      subscriptionId,
      input.url,
      input.eventTypes,
      cipher.encrypt(secret, secretAad(subscriptionId)),
      input.description,
      createdBy,
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: insert returned no row');
  return { subscription: fromRow(row), secret };
}

export async function listWebhookSubscriptions(q: Queryable): Promise<WebhookSubscription[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from webhook_subscriptions order by subscription_id`,
  );
  return rows.map(fromRow);
}

export async function findWebhookSubscription(
  q: Queryable,
  id: string,
): Promise<WebhookSubscription | undefined> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from webhook_subscriptions where subscription_id = $1`,
    [id],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Changes what is given; undefined when there is no such subscription. */
export async function updateWebhookSubscription(
  q: Queryable,
  id: string,
  change: { url?: string; eventTypes?: readonly BusinessEventType[]; description?: string; active?: boolean },
): Promise<WebhookSubscription | undefined> {
  const { rows } = await q.query<Row>(
    `update webhook_subscriptions set url = coalesce($2, url), event_types = coalesce($3::text[], event_types),
       description = coalesce($4, description), active = coalesce($5, active), updated_at = now()
     where subscription_id = $1 returning ${COLUMNS}`,
    [id, change.url ?? null, change.eventTypes ?? null, change.description ?? null, change.active ?? null],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Removes a subscription; its messages not yet delivered are cancelled. False when there was none. */
export async function deleteWebhookSubscription(q: Queryable, id: string): Promise<boolean> {
  await q.query(
    `update outbox_messages set status = 'cancelled', lease_until = null where subscription_id = $1 and status = 'pending'`,
    [id],
  );
  const r = await q.query('delete from webhook_subscriptions where subscription_id = $1', [id]);
  return r.rowCount === 1;
}

/** Where and with which key to deliver a subscription's message; undefined once it is deleted. */
export async function webhookTarget(
  q: Queryable,
  cipher: PiiCipher,
  id: string,
): Promise<{ url: string; secret: string; active: boolean } | undefined> {
  const { rows } = await q.query<{ url: string; secret_enc: string; active: boolean }>(
    'select url, secret_enc, active from webhook_subscriptions where subscription_id = $1',
    [id],
  );
  const r = rows[0];
  return r === undefined
    ? undefined
    : { url: r.url, secret: cipher.decrypt(r.secret_enc, secretAad(id)), active: r.active };
}
