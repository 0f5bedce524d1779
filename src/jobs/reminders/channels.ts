import { createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import nodemailer from 'nodemailer';
import {
  DEFAULT_RETRY_POLICY,
  REMINDER_CHANNELS,
  type ReminderChannel,
  type RetryPolicy,
  webhookUrlProblem,
} from '../../monitoring/index.js';

/**
 * Where messages go (decision 0614): e-mail over SMTP, and HTTP webhook adapters for SMS, app push, call
 * tasks and letters (the lender's gateways), each request signed with HMAC-SHA256. Read from a JSON file
 * and validated once at start; secrets come from environment variables the file names, never the file.
 */

export interface WebhookChannelConfig {
  readonly url: string;
  readonly secret: string;
  readonly timeout_ms: number;
}

export interface EmailChannelConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly from: string;
  readonly user?: string;
  readonly password?: string;
  readonly timeout_ms: number;
}

export interface ChannelConfig {
  readonly email?: EmailChannelConfig;
  readonly webhooks: Partial<Record<Exclude<ReminderChannel, 'email'>, WebhookChannelConfig>>;
  /** Timeout of a business-event webhook delivery. */
  readonly eventTimeout_ms: number;
  readonly retry: RetryPolicy;
}

export interface ChannelIssue {
  readonly path: string;
  readonly message: string;
}

export class ChannelConfigError extends Error {
  constructor(readonly issues: readonly ChannelIssue[]) {
    super(
      `channel configuration is not valid: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`,
    );
    this.name = 'ChannelConfigError';
  }
}

export const CHANNEL_BOUNDS = { timeout_ms_default: 5_000, timeout_ms_max: 60_000 } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function timeout(raw: unknown, path: string, issues: ChannelIssue[]): number {
  if (raw === undefined) return CHANNEL_BOUNDS.timeout_ms_default;
  if (!Number.isInteger(raw) || (raw as number) < 1 || (raw as number) > CHANNEL_BOUNDS.timeout_ms_max) {
    issues.push({
      path,
      message: `must be a whole number of milliseconds 1–${CHANNEL_BOUNDS.timeout_ms_max}`,
    });
    return CHANNEL_BOUNDS.timeout_ms_default;
  }
  return raw as number;
}

function secretFrom(raw: unknown, path: string, env: NodeJS.ProcessEnv, issues: ChannelIssue[]): string {
  if (typeof raw !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(raw)) {
    issues.push({
      path,
      message: 'must name an environment variable (e.g. "LENDGUARD_SMS_SECRET") that holds the secret',
    });
    return '';
  }
  const value = env[raw];
  if (value === undefined || value.length < 16) {
    issues.push({
      path,
      message: `environment variable ${raw} must be set to a secret of at least 16 characters`,
    });
    return '';
  }
  return value;
}

/**
 * Validates a channel configuration. Unknown channels, malformed webhook URLs, missing secrets and bad
 * timeouts are all reported at once, each with its place; nothing is used until all are fixed.
 */
export function parseChannelConfig(raw: unknown, env: NodeJS.ProcessEnv): ChannelConfig {
  const issues: ChannelIssue[] = [];
  if (!isRecord(raw)) throw new ChannelConfigError([{ path: '', message: 'must be a JSON object' }]);
  const known = new Set<string>([...REMINDER_CHANNELS, 'eventTimeout_ms', 'retry']);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      issues.push({
        path: `/${key}`,
        message: `unknown channel; use ${REMINDER_CHANNELS.join(', ')} (and eventTimeout_ms, retry)`,
      });
    }
  }
  let email: EmailChannelConfig | undefined;
  if (raw.email !== undefined) {
    const e = raw.email;
    if (!isRecord(e)) issues.push({ path: '/email', message: 'must be {"host", "port", "from"}' });
    else {
      if (typeof e.host !== 'string' || e.host === '')
        issues.push({ path: '/email/host', message: 'must be the SMTP host name' });
      if (!Number.isInteger(e.port) || (e.port as number) < 1 || (e.port as number) > 65535) {
        issues.push({ path: '/email/port', message: 'must be a TCP port 1–65535' });
      }
      if (typeof e.from !== 'string' || !/@/.test(e.from))
        issues.push({ path: '/email/from', message: 'must be a sender address' });
      if (e.secure !== undefined && typeof e.secure !== 'boolean')
        issues.push({ path: '/email/secure', message: 'must be true or false' });
      const password =
        e.passwordEnv === undefined
          ? undefined
          : secretFrom(e.passwordEnv, '/email/passwordEnv', env, issues);
      email = {
        host: String(e.host),
        port: Number(e.port),
        secure: e.secure === true,
        from: String(e.from),
        ...(typeof e.user === 'string' ? { user: e.user } : {}),
        ...(password === undefined ? {} : { password }),
        timeout_ms: timeout(e.timeout_ms, '/email/timeout_ms', issues),
      };
    }
  }
  const webhooks: Partial<Record<Exclude<ReminderChannel, 'email'>, WebhookChannelConfig>> = {};
  for (const channel of REMINDER_CHANNELS) {
    if (channel === 'email' || raw[channel] === undefined) continue;
    const w = raw[channel];
    const path = `/${channel}`;
    if (!isRecord(w)) {
      issues.push({ path, message: 'must be {"url", "secretEnv", "timeout_ms"}' });
      continue;
    }
    const problem = typeof w.url === 'string' ? webhookUrlProblem(w.url) : 'must be a URL text';
    if (problem !== undefined) issues.push({ path: `${path}/url`, message: problem });
    webhooks[channel] = {
      url: String(w.url),
      secret: secretFrom(w.secretEnv, `${path}/secretEnv`, env, issues),
      timeout_ms: timeout(w.timeout_ms, `${path}/timeout_ms`, issues),
    };
  }
  let retry = DEFAULT_RETRY_POLICY;
  if (raw.retry !== undefined) {
    const r = raw.retry;
    const ok = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
    if (!isRecord(r) || !ok(r.attempts_max) || !ok(r.backoffBase_ms) || !ok(r.backoffMax_ms)) {
      issues.push({
        path: '/retry',
        message: 'must be {"attempts_max", "backoffBase_ms", "backoffMax_ms"}, whole numbers ≥ 1',
      });
    } else {
      retry = {
        attempts_max: Number(r.attempts_max),
        backoffBase_ms: Number(r.backoffBase_ms),
        backoffMax_ms: Number(r.backoffMax_ms),
      };
    }
  }
  const eventTimeout_ms = timeout(raw.eventTimeout_ms, '/eventTimeout_ms', issues);
  if (issues.length > 0) throw new ChannelConfigError(issues);
  return Object.freeze({ ...(email === undefined ? {} : { email }), webhooks, eventTimeout_ms, retry });
}

/** Headers every signed delivery carries. The signature covers `timestamp.body`, as receivers verify it. */
export const SIGNATURE_HEADER = 'lendguard-signature';
export const TIMESTAMP_HEADER = 'lendguard-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A failed delivery; `permanent` when trying again cannot help (a 4xx answer, no address). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Keep-alive connections to webhook receivers, one pool per dispatcher (`close` ends them). */
export interface WebhookAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  close(): void;
}

/**
 * Agents that keep connections to each receiver open between deliveries, at most `sockets_max` per
 * receiver (the dispatcher's deliveries in flight): a fresh connection per message cost more than the
 * message (docs/performance.md, dispatch).
 */
export function webhookAgents(sockets_max: number): WebhookAgents {
  const options = { keepAlive: true, maxSockets: sockets_max, maxFreeSockets: sockets_max };
  const http = new HttpAgent(options);
  const https = new HttpsAgent(options);
  return {
    http,
    https,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

/** POSTs a signed JSON body; resolves on a 2xx answer. */
export async function postSigned(
  url: string,
  secret: string,
  idempotencyKey: string,
  body: unknown,
  timeout_ms: number,
  now: () => Date,
  agents: WebhookAgents,
): Promise<void> {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(now().getTime() / 1000));
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const status = await new Promise<number>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          [IDEMPOTENCY_HEADER]: idempotencyKey,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signBody(secret, timestamp, text),
        },
      },
      (res) => {
        // The answer's body is read and dropped, so that the connection can carry the next message.
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(new DeliveryError(`could not reach the receiver: ${error.message}`, false));
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new DeliveryError(`no answer within ${timeout_ms} ms`, false));
    }, timeout_ms);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(new DeliveryError(`could not reach the receiver: ${error.message}`, false));
    });
    req.end(text);
  });
  if (status >= 200 && status < 300) return;
  const retryable = status >= 500 || status === 408 || status === 429;
  throw new DeliveryError(`the receiver answered ${status}`, !retryable);
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
}

/** An SMTP sender over one pooled connection set; `close` ends it. */
export function emailSender(config: EmailChannelConfig): {
  send(message: EmailMessage): Promise<void>;
  close(): void;
} {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    pool: true,
    connectionTimeout: config.timeout_ms,
    greetingTimeout: config.timeout_ms,
    socketTimeout: config.timeout_ms,
    ...(config.user === undefined ? {} : { auth: { user: config.user, pass: config.password ?? '' } }),
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          // Receivers (and the SMTP server's own duplicate check) see one id per message, however often sent.
          messageId: `<${message.idempotencyKey.replace(/[^A-Za-z0-9.+-]/g, '_')}@lendguard>`,
          headers: { 'Idempotency-Key': message.idempotencyKey },
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        throw new DeliveryError(
          `SMTP: ${(error as Error).message}`,
          code !== undefined && code >= 500 && code < 600,
        );
      }
    },
    close() {
      transport.close();
    },
  };
}
