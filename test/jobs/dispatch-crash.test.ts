import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createWebhookSubscription,
  enqueueBusinessEvents,
  loadPiiKeys,
  migrate,
  openPglite,
  outboxCounts,
} from '../../src/store/index.js';
import { startReceiver } from './receivers.js';

/**
 * Reliability: the real command (`node bin/lendguard.js dispatch`, compiled code in dist/) is killed with
 * SIGKILL several times while it delivers a load of signed webhooks, and started again until it finishes.
 * The receiver counts deliveries by idempotency key: every message must arrive (none lost) and, counted by
 * key, once (a message in flight when its dispatcher died is delivered again under the same key, which
 * the receiver deduplicates; no message is ever delivered under two keys).
 */

const CLI = join(process.cwd(), 'bin', 'lendguard.js');
const MESSAGES = 1_500;
const KILLS = 4;
const ATTEMPTS_MAX = 12;

function run(
  dir: string,
  channels: string,
): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'dispatch',
      '--db',
      dir,
      '--channels',
      channels,
      '--once',
      '--lease-ms',
      '1000',
      '--batch',
      '50',
      '--concurrency',
      '16',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

describe('the dispatcher killed with SIGKILL under load', () => {
  const root = mkdtempSync(join(tmpdir(), 'lendguard-dispatch-crash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('loses no message and delivers each once by idempotency key', { timeout: 300_000 }, async () => {
    const dir = join(root, 'db');
    let secret = '';
    const receiver = await startReceiver(() => secret);
    try {
      const db = await openPglite({ dataDir: dir });
      await migrate(db);
      const { cipher } = loadPiiKeys({ kind: 'pglite', dataDir: dir });
      const sub = await createWebhookSubscription(
        db,
        cipher,
        { url: receiver.url, eventTypes: ['loan.past_due'], description: 'crash test' },
        'usr_test',
      );
      secret = sub.secret;
      await db.transaction((tx) =>
        enqueueBusinessEvents(
          tx,
          'loan.past_due',
          Array.from({ length: MESSAGES }, (_, i) => ({ subjectKey: `ln_${i}:2026-02-10`, data: { n: i } })),
        ),
      );
      await db.close();
      const channels = join(root, 'channels.json');
      writeFileSync(channels, JSON.stringify({ eventTimeout_ms: 5000 }));

      let kills = 0;
      let finished = false;
      for (let attempt = 0; attempt < ATTEMPTS_MAX && !finished; attempt++) {
        const before = receiver.byKey.size;
        const { child, done } = run(dir, channels);
        if (kills < KILLS) {
          // Kill once deliveries are flowing: some messages are sent, some claimed and in flight.
          const started = Date.now();
          while (receiver.byKey.size < before + 50 && Date.now() - started < 60_000) {
            await new Promise((r) => setTimeout(r, 20));
          }
          process.kill(-child.pid!, 'SIGKILL');
          const r = await done;
          expect(r.code).toBeNull();
          kills += 1;
          // Messages claimed by the dead process wait for their lease (1 s) before another takes them.
          await new Promise((r) => setTimeout(r, 1_100));
          continue;
        }
        const r = await done;
        expect(r.code, r.stderr).toBe(0);
        finished = true;
      }
      expect(kills).toBe(KILLS);
      expect(finished).toBe(true);

      const after = await openPglite({ dataDir: dir });
      try {
        expect(await outboxCounts(after)).toEqual({ sent: MESSAGES });
      } finally {
        await after.close();
      }
      expect(receiver.badSignatures).toBe(0);
      // None lost: every key arrived. None doubled: counted by key, each is one message.
      const expected = Array.from(
        { length: MESSAGES },
        (_, i) => `event:loan.past_due:ln_${i}:2026-02-10:${sub.subscription.subscriptionId}`,
      );
      expect([...receiver.byKey.keys()].sort()).toEqual(expected.sort());
      const redelivered = [...receiver.byKey.values()].filter((n) => n > 1).length;
      // Only messages in flight at a kill may come again: at most one batch per kill.
      expect(redelivered).toBeLessThanOrEqual(KILLS * 50);
      console.info(
        `dispatch crash test: ${KILLS} kills, ${receiver.requests} requests, ${redelivered} messages delivered again under their key`,
      );
    } finally {
      await receiver.close();
    }
  });
});
