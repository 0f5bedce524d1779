import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../src/jobs/index.js';

/** A real SMTP server on a free local port that keeps every message's headers, counted by Idempotency-Key. */
export async function startSmtp(): Promise<{
  port: number;
  byKey: Map<string, number>;
  mails: { to: string; subject: string; text: string; key: string }[];
  close(): Promise<void>;
}> {
  const byKey = new Map<string, number>();
  const mails: { to: string; subject: string; text: string; key: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [head = '', ...rest] = raw.split(/\r\n\r\n/);
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
        const key = header('Idempotency-Key');
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          subject: header('Subject'),
          text: rest.join('\r\n\r\n'),
          key,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, byKey, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface Receiver {
  url: string;
  /** Deliveries with a valid signature, by idempotency key. */
  byKey: Map<string, number>;
  bodies: Map<string, Record<string, unknown>>;
  badSignatures: number;
  requests: number;
  /** Answers the next requests with these statuses first (then 200). */
  failNext(statuses: number[]): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A real HTTP receiver that verifies each request's HMAC-SHA256 signature and counts deliveries by key. */
export async function startReceiver(secret: () => string): Promise<Receiver> {
  const queue: number[] = [];
  const r: Omit<Receiver, 'url' | 'close'> & { failNext(s: number[]): void } = {
    byKey: new Map(),
    bodies: new Map(),
    badSignatures: 0,
    requests: 0,
    failNext: (s) => queue.push(...s),
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    r.requests += 1;
    const status = queue.shift();
    if (status !== undefined) {
      res.writeHead(status).end();
      return;
    }
    const ts = String(req.headers[TIMESTAMP_HEADER] ?? '');
    const given = Buffer.from(String(req.headers[SIGNATURE_HEADER] ?? ''));
    const wanted = Buffer.from(signBody(secret(), ts, body));
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      r.badSignatures += 1;
      res.writeHead(401).end();
      return;
    }
    const key = String(req.headers[IDEMPOTENCY_HEADER] ?? '');
    r.byKey.set(key, (r.byKey.get(key) ?? 0) + 1);
    r.bodies.set(key, JSON.parse(body) as Record<string, unknown>);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as Receiver;
}
