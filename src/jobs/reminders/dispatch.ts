import { type ComplaintSettings, type ContactRules, isStepReminderStage } from '../../collections/index.js';
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
  gateStepMessages,
  logStepMessages,
  markMessageDead,
  markMessageRetry,
  markMessagesSent,
  type PiiCipher,
  reminderEmailOf,
  type StepMessage,
  webhookTarget,
} from '../../store/index.js';
import { cadenceInForce } from './cadence.js';
import { type ChannelConfig, DeliveryError, emailSender, postSigned, webhookAgents } from './channels.js';
import { cancelMootBeforeSending } from './plan.js';

/** Bounds of the dispatcher (decision 0613). */
export const DISPATCH_BOUNDS = {
  /** Messages claimed per round. */
  batch_default: 200,
  batch_max: 5_000,
  /** Deliveries in flight at once. */
  concurrency_default: 32,
  concurrency_max: 512,
  /** How long a claim holds a message: a dispatcher that dies leaves it to another after this. */
  lease_ms_default: 30_000,
  /** Pause when nothing is due. */
  idle_ms_default: 500,
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
  /** The contact rules a strategy step's message is checked against when it would go out (decision 0911). */
  contactRules?: ContactRules;
  /** Which open complaints pause collection messages (the lender's complaint settings). */
  complaintSettings?: ComplaintSettings;
  /** Told of each settled message. */
  onSettled?: (message: ClaimedMessage, outcome: 'sent' | 'retry' | 'dead', error?: string) => void;
}

export interface DispatchReport {
  sent: number;
  /** Reminders found moot right before sending (the loan was paid, restructured …): cancelled, not sent. */
  cancelled: number;
  retried: number;
  dead: number;
  /** Strategy-step messages the contact rules refused when they were due: moved to the end of the quiet hours. */
  contactMoved: number;
  /** … or cancelled (the day's message cap, a complaint's cool-off). Each refusal is in the case's contact log. */
  contactCancelled: number;
  rounds: number;
}

/** Waits `ms`, or less on abort; the abort listener goes with the wait (a watching dispatcher sleeps often). */
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

/** Runs `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
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
  const report: DispatchReport = {
    sent: 0,
    cancelled: 0,
    retried: 0,
    dead: 0,
    contactMoved: 0,
    contactCancelled: 0,
    rounds: 0,
  };
  // The round's strategy-step messages the rules allowed, with their cases: logged with what the delivery says.
  let steps: ReadonlyMap<number, StepMessage> = new Map();
  let hours: ContactHours | undefined;
  // Subscriptions read once per round (a round's messages mostly share a few).
  let targets = new Map<string, ReturnType<typeof webhookTarget>>();
  const targetOf = (id: string) => {
    let t = targets.get(id);
    if (t === undefined) {
      t = webhookTarget(db, cipher, id);
      targets.set(id, t);
    }
    return t;
  };
  let delivered: ClaimedMessage[] = [];
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
  const settle = async (m: ClaimedMessage): Promise<void> => {
    try {
      await deliver(m);
      delivered.push(m);
    } catch (error) {
      const text = (error instanceof Error ? error.message : String(error)).slice(
        0,
        DISPATCH_BOUNDS.error_chars_max,
      );
      const permanent = error instanceof DeliveryError && error.permanent;
      const delay = permanent ? null : retryDelayMs(m.attempt, config.retry);
      if (delay === null) {
        const step = steps.get(m.messageId);
        await db.transaction(async (tx) => {
          const at = now();
          await markMessageDead(tx, m, text, at);
          if (step !== undefined) await logStepMessages(tx, [step], 'undelivered', at.getTime());
        });
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
  try {
    while (options.signal?.aborted !== true) {
      report.rounds += 1;
      const claimed = await db.transaction((tx) => claimDueMessages(tx, now(), batch, lease_ms));
      if (claimed.length === 0) {
        if (options.untilIdle === true) break;
        await sleep(idle_ms, options.signal);
        continue;
      }
      targets = new Map();
      delivered = [];
      // A reminder the loan's change made moot since it was planned (a payment, a restructuring, a
      // write-off whose own cancellation has not run, or failed) is cancelled here, not sent.
      const reminders = claimed.flatMap((m) =>
        m.kind === 'reminder' && m.loanId !== null && m.reminderKey !== null
          ? [{ loanId: m.loanId, reminderKey: m.reminderKey }]
          : [],
      );
      const moot =
        reminders.length === 0
          ? new Set<string>()
          : await db.transaction((tx) => cancelMootBeforeSending(tx, reminders));
      report.cancelled += moot.size;
      const live =
        moot.size === 0 ? claimed : claimed.filter((m) => !moot.has(`${m.loanId}/${m.reminderKey}`));
      // A strategy step's message goes only if the contact rules allow it now (decision 0911).
      const stepMessages = live.filter(
        (m) => m.kind === 'reminder' && isStepReminderStage(m.payload.stageId),
      );
      let toDeliver = live;
      steps = new Map();
      if (stepMessages.length > 0) {
        const gate = await db.transaction((tx) =>
          gateStepMessages(
            tx,
            stepMessages,
            now().getTime(),
            options.contactRules,
            options.complaintSettings,
          ),
        );
        steps = gate.allowed;
        report.contactMoved += gate.moved;
        report.contactCancelled += gate.cancelled;
        if (gate.refused.size > 0) toDeliver = live.filter((m) => !gate.refused.has(m.messageId));
      }
      await eachLimited(toDeliver, concurrency, settle);
      // The round's deliveries are recorded together, a step message's contact attempt with them; a crash
      // before this sends them again, same keys.
      const sent = delivered;
      const sentSteps = sent.flatMap((m) => {
        const step = steps.get(m.messageId);
        return step === undefined ? [] : [step];
      });
      await db.transaction(async (tx) => {
        const at = now();
        await markMessagesSent(tx, sent, at);
        await logStepMessages(tx, sentSteps, 'sent', at.getTime());
      });
      report.sent += sent.length;
      for (const m of sent) options.onSettled?.(m, 'sent');
    }
  } finally {
    email?.close();
    agents.close();
  }
  return report;
}
