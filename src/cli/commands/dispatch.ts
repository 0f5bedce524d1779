import { readFileSync } from 'node:fs';
import {
  type ChannelConfig,
  ChannelConfigError,
  DISPATCH_BOUNDS,
  parseChannelConfig,
  runDispatcher,
} from '../../jobs/index.js';
import { outboxCounts, resolveDbTarget } from '../../store/index.js';
import { type CliIo, UsageError, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, keysFor, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

interface DispatchCliOptions {
  channels?: string;
  once?: boolean;
  batch?: string;
  concurrency?: string;
  leaseMs?: string;
  db?: string;
}

const LEASE_MS_MAX = 3_600_000;

/**
 * Reads and validates a channel configuration file (docs/monitoring.md, "Reminders"); every problem is
 * named at once and nothing is started until the file is right.
 */
export function readChannelConfig(file: string, env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--channels ${file}: ${(error as Error).message}`);
  }
  try {
    return parseChannelConfig(raw, env);
  } catch (error) {
    if (error instanceof ChannelConfigError) throw new UsageError(`--channels ${file}: ${error.message}`);
    throw error;
  }
}

async function runDispatchCommand(io: CliIo, o: DispatchCliOptions): Promise<void> {
  if (o.channels === undefined)
    throw new UsageError('--channels FILE is required: where reminders and webhooks go');
  const config = readChannelConfig(o.channels);
  const batch =
    o.batch === undefined
      ? DISPATCH_BOUNDS.batch_default
      : parsePositiveInt(o.batch, '--batch', DISPATCH_BOUNDS.batch_max);
  const concurrency =
    o.concurrency === undefined
      ? DISPATCH_BOUNDS.concurrency_default
      : parsePositiveInt(o.concurrency, '--concurrency', DISPATCH_BOUNDS.concurrency_max);
  const lease_ms =
    o.leaseMs === undefined
      ? DISPATCH_BOUNDS.lease_ms_default
      : parsePositiveInt(o.leaseMs, '--lease-ms', LEASE_MS_MAX);
  const target = resolveDbTarget(o.db);
  const { cipher } = keysFor(target);
  await withMigratedDb(o.db, async (db) => {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const report = await runDispatcher(db, cipher, config, {
        batch,
        concurrency,
        lease_ms,
        untilIdle: o.once === true,
        signal: stop.signal,
      });
      const counts = await outboxCounts(db);
      writeLine(
        io.stdout,
        `dispatch: ${report.sent} sent, ${report.cancelled} cancelled as moot, ${report.contactMoved + report.contactCancelled} refused by the contact rules, ${report.retried} to retry, ${report.dead} dead-lettered; outbox ${JSON.stringify(counts)}`,
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}

export const registerDispatch: RegisterCommand = (program, io) => {
  addDbOption(
    program
      .command('dispatch')
      .description(
        'Deliver reminders and business-event webhooks from the outbox: retries with backoff, dead letters, one idempotency key per message',
      )
      .option(
        '--channels <file>',
        'channel configuration (JSON): SMTP and webhook adapters, secrets by environment variable',
      )
      .option('--once', 'stop when nothing is due (default: keep watching until SIGINT/SIGTERM)')
      .option('--batch <n>', `messages claimed per round (default ${DISPATCH_BOUNDS.batch_default})`)
      .option('--concurrency <n>', `deliveries in flight (default ${DISPATCH_BOUNDS.concurrency_default})`)
      .option(
        '--lease-ms <n>',
        `a claimed message is left to another dispatcher after this (default ${DISPATCH_BOUNDS.lease_ms_default})`,
      ),
  ).action((options: DispatchCliOptions) => explained(() => runDispatchCommand(io, options)));
};
