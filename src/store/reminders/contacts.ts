import {
  isContactTimeZone,
  REMINDER_CHANNELS,
  REMINDER_LANGS,
  type ReminderBorrower,
  type ReminderChannel,
  type ReminderLang,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import type { PiiCipher } from '../pii-cipher.js';

/** How a customer is reminded; unset fields take the lender's defaults. */
export interface ReminderContact {
  customerId: string;
  timeZone: string;
  lang: ReminderLang;
  segment: string;
  optOuts: ReminderChannel[];
  email: string | null;
}

export interface ReminderContactDefaults {
  timeZone: string;
  lang: ReminderLang;
}

export class ReminderContactError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReminderContactError';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Associated data of the e-mail ciphertext: it belongs to this customer's reminder contact only. */
export const emailAad = (customerId: string) => `reminder_contacts.email:${customerId}`;

/** Sets a customer's reminder contact (validated; nothing written when a field is wrong). */
export async function saveReminderContact(
  q: Queryable,
  cipher: PiiCipher,
  contact: ReminderContact,
): Promise<void> {
  if (!isContactTimeZone(contact.timeZone)) {
    throw new ReminderContactError(
      '/timeZone',
      `unknown time zone "${contact.timeZone}"; use an IANA name such as Asia/Shanghai`,
    );
  }
  if (!(REMINDER_LANGS as readonly string[]).includes(contact.lang)) {
    throw new ReminderContactError('/lang', `unknown language "${contact.lang}"; use zh-CN or en`);
  }
  for (const c of contact.optOuts) {
    if (!(REMINDER_CHANNELS as readonly string[]).includes(c)) {
      throw new ReminderContactError(
        '/optOuts',
        `unknown channel "${c}"; use ${REMINDER_CHANNELS.join(', ')}`,
      );
    }
  }
  if (contact.email !== null && !EMAIL.test(contact.email)) {
    throw new ReminderContactError('/email', 'is not an e-mail address');
  }
  await q.query(
    `insert into reminder_contacts (customer_id, time_zone, lang, segment, opt_outs, email_enc)
     values ($1, $2, $3, $4, $5::text[], $6)
     on conflict (customer_id) do update set time_zone = excluded.time_zone, lang = excluded.lang,
       segment = excluded.segment, opt_outs = excluded.opt_outs, email_enc = excluded.email_enc, updated_at = now()`,
    [
      contact.customerId,
      contact.timeZone,
      contact.lang,
      contact.segment,
      contact.optOuts,
      contact.email === null ? null : cipher.encrypt(contact.email, emailAad(contact.customerId)),
    ],
  );
}

/** The borrowers of `customerIds` as the planner sees them (no personal data), with their segment. */
export async function loadReminderBorrowers(
  q: Queryable,
  customerIds: readonly string[],
  defaults: ReminderContactDefaults,
): Promise<Map<string, { borrower: ReminderBorrower; segment: string }>> {
  const out = new Map<string, { borrower: ReminderBorrower; segment: string }>();
  const fallback = {
    borrower: { timeZone: defaults.timeZone, lang: defaults.lang, optOuts: [] },
    segment: '*',
  };
  for (const id of customerIds) out.set(id, fallback);
  if (customerIds.length === 0) return out;
  const { rows } = await q.query<{
    customer_id: string;
    time_zone: string;
    lang: ReminderLang;
    segment: string;
    opt_outs: string[];
    contact_start_minute: number | null;
    contact_end_minute: number | null;
  }>(
    `select customer_id, time_zone, lang, segment, opt_outs, contact_start_minute, contact_end_minute
       from reminder_contacts where customer_id = any($1::text[])`,
    [customerIds],
  );
  for (const r of rows) {
    out.set(r.customer_id, {
      borrower: {
        timeZone: r.time_zone,
        lang: r.lang,
        optOuts: r.opt_outs as ReminderChannel[],
        window:
          r.contact_start_minute === null || r.contact_end_minute === null
            ? null
            : { startMinute: r.contact_start_minute, endMinute: r.contact_end_minute },
      },
      segment: r.segment,
    });
  }
  return out;
}

/** The e-mail address to send a customer's reminder to (decrypted at send time only), or null. */
export async function reminderEmailOf(
  q: Queryable,
  cipher: PiiCipher,
  customerId: string,
): Promise<string | null> {
  const { rows } = await q.query<{ email_enc: string | null }>(
    'select email_enc from reminder_contacts where customer_id = $1',
    [customerId],
  );
  const enc = rows[0]?.email_enc ?? null;
  return enc === null ? null : cipher.decrypt(enc, emailAad(customerId));
}

/** A borrower's own reminder preferences as stored (the lender's defaults where they never set any). */
export interface StoredReminderPreferences {
  optOuts: ReminderChannel[];
  window: { startMinute: number; endMinute: number } | null;
  timeZone: string;
  lang: ReminderLang;
}

export async function reminderPreferencesOf(
  q: Queryable,
  customerId: string,
  defaults: ReminderContactDefaults,
): Promise<StoredReminderPreferences> {
  const { rows } = await q.query<{
    time_zone: string;
    lang: ReminderLang;
    opt_outs: string[];
    contact_start_minute: number | null;
    contact_end_minute: number | null;
  }>(
    `select time_zone, lang, opt_outs, contact_start_minute, contact_end_minute from reminder_contacts
      where customer_id = $1`,
    [customerId],
  );
  const r = rows[0];
  if (r === undefined) return { optOuts: [], window: null, ...defaults };
  return {
    optOuts: r.opt_outs as ReminderChannel[],
    window:
      r.contact_start_minute === null || r.contact_end_minute === null
        ? null
        : { startMinute: r.contact_start_minute, endMinute: r.contact_end_minute },
    timeZone: r.time_zone,
    lang: r.lang,
  };
}

/**
 * Sets the borrower's own channels and window (checked by the core before), keeping the rest of their
 * reminder contact; a borrower without one gets the lender's zone and language.
 */
export async function saveReminderPreferences(
  q: Queryable,
  customerId: string,
  p: { optOuts: readonly ReminderChannel[]; window: { startMinute: number; endMinute: number } | null },
  defaults: ReminderContactDefaults,
): Promise<void> {
  await q.query(
    `insert into reminder_contacts (customer_id, time_zone, lang, opt_outs, contact_start_minute, contact_end_minute)
     values ($1, $2, $3, $4::text[], $5, $6)
     on conflict (customer_id) do update set opt_outs = excluded.opt_outs,
       contact_start_minute = excluded.contact_start_minute, contact_end_minute = excluded.contact_end_minute,
       updated_at = now()`,
    [
      customerId,
      defaults.timeZone,
      defaults.lang,
      [...p.optOuts],
      p.window?.startMinute ?? null,
      p.window?.endMinute ?? null,
    ],
  );
}
