import {
  type ContactHours,
  nextContactInstant,
  type ReminderChannel,
  retryDelayMs,
} from '../../monitoring/index.js';
import {
  type ClaimedMessage,
  claimDueMessages,
  customerPhone,
  type Db,
  markMessageDead,
  markMessageRetry,
  markMessagesSent,
  type PiiCipher,
  reminderEmailOf,
  webhookTarget,
} from '../../store/index.js';
import { cadenceInForce } from './cadence.js';
import { type ChannelConfig, DeliveryError, emailSender, postSigned, webhookAgents } from './channels.js';

/** Bounds of the dispatcher (decision 0613). */
export const DISPATCH_BOUNDS = {
  /** Messages claimed at most by one claim (a claim also takes no more than the deliveries it can start soon). */
  batch_default: 200,
  batch_max: 5_000,
  /** Deliveries in flight at once. */
  concurrency_default: 32,
  concurrency_max: 512,
  /** How long a claim holds a message: a dispatcher that dies leaves it to another after this. */
  lease_ms_default: 30_000,
  /** Pause when nothing is due. */
  idle_ms_default: 500,
  /** A delivery is recorded at most this long after it (sooner when a slot-full of them is waiting). */
  record_ms: 50,
  /** How long a round of subscriptions read from the database is reused (a paused one stops within this). */
  targets_ms: 1_000,
  /** Characters of an error kept on the message. */
  error_chars_max: 1_000,
} as const;

export interface DispatchOptions {
  batch?: number;
  concurrency?: number;
  lease_ms?: number;
  idle_ms?: number;
  /** Stop after one round with nothing due (the CLI's --once, tests). */
  untilIdle?: boolean;
  signal?: AbortSignal;
  /** The wall clock (default the machine's): delivery happens in real time, not business time. */
  now?: () => Date;
  /** Told of each settled message. */
  onSettled?: (message: ClaimedMessage, outcome: 'sent' | 'retry' | 'dead', error?: string) => void;
}

export interface DispatchReport {
  sent: number;
  retried: number;
  dead: number;
  rounds: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The dispatcher: claims due outbox messages under a lease, delivers each through its channel, and records
 * the outcome — sent; failed with a later attempt (exponential backoff, moved into the borrower's contact
 * hours for a reminder); or dead-lettered after the last attempt (its reminder `failed`, `reminder.failed`
 * queued). Delivery is at least once: a dispatcher killed between sending and recording leaves the message
 * to be sent again after its lease, under the same idempotency key, which receivers deduplicate on.
 */
export async function runDispatcher(
  db: Db,
  cipher: PiiCipher,
  config: ChannelConfig,
  options: DispatchOptions = {},
): Promise<DispatchReport> {
  const now = options.now ?? (() => new Date());
  const batch = options.batch ?? DISPATCH_BOUNDS.batch_default;
  const concurrency = options.concurrency ?? DISPATCH_BOUNDS.concurrency_default;
  const lease_ms = options.lease_ms ?? DISPATCH_BOUNDS.lease_ms_default;
  const idle_ms = options.idle_ms ?? DISPATCH_BOUNDS.idle_ms_default;
  const email = config.email === undefined ? undefined : emailSender(config.email);
  const agents = webhookAgents(concurrency);
  const report: DispatchReport = { sent: 0, retried: 0, dead: 0, rounds: 0 };
  let hours: ContactHours | undefined;
  // Subscriptions read once a second at most (the messages mostly share a few).
  let targets = new Map<string, ReturnType<typeof webhookTarget>>();
  let targetsRead = Date.now();
  const targetOf = (id: string) => {
    if (Date.now() - targetsRead > DISPATCH_BOUNDS.targets_ms) {
      targets = new Map();
      targetsRead = Date.now();
    }
    let t = targets.get(id);
    if (t === undefined) {
      t = webhookTarget(db, cipher, id);
      targets.set(id, t);
    }
    return t;
  };
  const deliver = async (m: ClaimedMessage): Promise<void> => {
    if (m.kind === 'event') {
      const target = m.subscriptionId === null ? undefined : await targetOf(m.subscriptionId);
      if (target === undefined || !target.active)
        throw new DeliveryError('the subscription was deleted or paused', true);
      await postSigned(
        target.url,
        target.secret,
        m.idempotencyKey,
        { idempotencyKey: m.idempotencyKey, ...m.payload },
        config.eventTimeout_ms,
        now,
        agents,
      );
      return;
    }
    const channel = m.channel as ReminderChannel;
    if (m.kind === 'otp') {
      // A sign-in code (decision 1000): useless once expired, so never sent late.
      if (Date.parse(String(m.payload.expiresAt)) <= now().getTime())
        throw new DeliveryError('the sign-in code expired before it could be sent', true);
      const hook = config.webhooks.sms;
      if (hook === undefined) throw new DeliveryError('no sms channel is configured', false);
      const phone = m.customerId === null ? undefined : await customerPhone(db, cipher, m.customerId);
      if (phone === undefined) throw new DeliveryError('the customer has no phone number', true);
      await postSigned(
        hook.url,
        hook.secret,
        m.idempotencyKey,
        {
          idempotencyKey: m.idempotencyKey,
          channel: 'sms',
          kind: 'otp',
          to: { customerId: m.customerId, phone },
          message: { body: String(m.payload.body), expiresAt: String(m.payload.expiresAt) },
        },
        hook.timeout_ms,
        now,
        agents,
      );
      return;
    }
    if (channel === 'email') {
      if (email === undefined) throw new DeliveryError('no e-mail channel is configured', false);
      const to = m.customerId === null ? null : await reminderEmailOf(db, cipher, m.customerId);
      if (to === null) throw new DeliveryError('the customer has no e-mail address for reminders', true);
      await email.send({
        to,
        subject: String(m.payload.subject),
        text: String(m.payload.body),
        idempotencyKey: m.idempotencyKey,
      });
      return;
    }
    const hook = config.webhooks[channel];
    if (hook === undefined) throw new DeliveryError(`no ${channel} channel is configured`, false);
    const phone = m.customerId === null ? undefined : await customerPhone(db, cipher, m.customerId);
    await postSigned(
      hook.url,
      hook.secret,
      m.idempotencyKey,
      {
        idempotencyKey: m.idempotencyKey,
        channel,
        to: { customerId: m.customerId, ...(phone === undefined ? {} : { phone }) },
        reminder: m.payload,
      },
      hook.timeout_ms,
      now,
      agents,
    );
  };
  // Deliveries are recorded together, one statement for many: when a slot-full has been delivered, or
  // `record_ms` after the first of them. A crash before a record sends its messages again, same keys.
  const recordAt = Math.min(batch, concurrency);
  let toRecord: ClaimedMessage[] = [];
  let recording: Promise<void> | undefined;
  let recordTimer: ReturnType<typeof setTimeout> | undefined;
  const record = async (): Promise<void> => {
    const sent = toRecord;
    toRecord = [];
    await db.transaction((tx) => markMessagesSent(tx, sent, now()));
    report.sent += sent.length;
    for (const m of sent) options.onSettled?.(m, 'sent');
  };
  function startRecording(): void {
    if (recordTimer !== undefined) {
      clearTimeout(recordTimer);
      recordTimer = undefined;
    }
    recording ??= record()
      .catch(fail)
      .finally(() => {
        recording = undefined;
        scheduleRecording();
        wake();
      });
  }
  function scheduleRecording(): void {
    if (toRecord.length === 0 || recording !== undefined || failure !== undefined) return;
    if (toRecord.length >= recordAt) startRecording();
    else recordTimer ??= setTimeout(startRecording, DISPATCH_BOUNDS.record_ms);
  }
  const settle = async (m: ClaimedMessage): Promise<void> => {
    try {
      await deliver(m);
      toRecord.push(m);
      scheduleRecording();
    } catch (error) {
      const text = (error instanceof Error ? error.message : String(error)).slice(
        0,
        DISPATCH_BOUNDS.error_chars_max,
      );
      const permanent = error instanceof DeliveryError && error.permanent;
      const delay = permanent ? null : retryDelayMs(m.attempt, config.retry);
      if (delay === null) {
        await db.transaction((tx) => markMessageDead(tx, m, text, now()));
        report.dead += 1;
        options.onSettled?.(m, 'dead', text);
        return;
      }
      let at = now().getTime() + delay;
      if (m.kind === 'reminder' && m.contactZone !== null) {
        hours ??= (await cadenceInForce(db)).document.hours;
        at = nextContactInstant(at, m.contactZone, hours);
      }
      await db.transaction((tx) => markMessageRetry(tx, m, text, new Date(at)));
      report.retried += 1;
      options.onSettled?.(m, 'retry', text);
    }
  };
  // Claimed messages are delivered as soon as a delivery slot is free, and the next claim is made while
  // deliveries are in flight (once no more than `concurrency` are held) rather than after a whole round has
  // been delivered and recorded: a message falling due waits for the next claim, not for a round to drain.
  // A claim takes at most `batch`, and no more than keeps four times `concurrency` held: a backlog is
  // claimed in pieces, so that its last messages are not claimed (and their leases running) long before
  // they can be sent.
  const queued: ClaimedMessage[] = [];
  let inFlight = 0;
  let failure: { error: unknown } | undefined;
  let waiting: (() => void) | undefined;
  function wake(): void {
    const w = waiting;
    waiting = undefined;
    w?.();
  }
  function fail(error: unknown): void {
    failure ??= { error };
    wake();
  }
  /** Resolves at the next settled delivery or record (or abort, in the claim loop). */
  const settled = () =>
    new Promise<void>((resolve) => {
      waiting = resolve;
    });
  options.signal?.addEventListener('abort', wake);
  const start = (m: ClaimedMessage): void => {
    inFlight += 1;
    settle(m)
      .catch(fail)
      .finally(() => {
        inFlight -= 1;
        const next = queued.shift();
        if (next !== undefined && failure === undefined) start(next);
        wake();
      });
  };
  const stopping = () => options.signal?.aborted === true || failure !== undefined;
  try {
    while (!stopping()) {
      const held = queued.length + inFlight;
      if (held > concurrency) {
        await settled();
        continue;
      }
      const room = Math.min(batch, 4 * concurrency - held);
      report.rounds += 1;
      const claimed = await db.transaction((tx) => claimDueMessages(tx, now(), room, lease_ms));
      for (const m of claimed) {
        if (inFlight < concurrency) start(m);
        else queued.push(m);
      }
      if (claimed.length === room) continue;
      // Nothing more is due now.
      if (options.untilIdle === true) {
        if (claimed.length === 0 && inFlight === 0) break;
        // Wait for what is in flight (a retry may fall due at once), then claim again.
        while (inFlight > 0 && !stopping()) await settled();
        continue;
      }
      await sleep(idle_ms, options.signal);
    }
    // Claimed messages are still delivered and recorded (a message left claimed waits out its lease).
    while (inFlight > 0 || recording !== undefined) await settled();
    if (recordTimer !== undefined) clearTimeout(recordTimer);
    if (toRecord.length > 0 && failure === undefined) await record();
    if (failure !== undefined) throw failure.error;
  } finally {
    options.signal?.removeEventListener('abort', wake);
    email?.close();
    agents.close();
  }
  return report;
}
