import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SHIPPED_CADENCE_FILE } from '../../src/jobs/index.js';
import { capture } from './capture.js';

const parent = mkdtempSync(join(tmpdir(), 'lg-cadences-'));
const dir = join(parent, 'data');

async function run(args: readonly string[]) {
  const c = capture();
  const code = await main([...args, '--db', dir], c.io);
  return { code, out: c.out(), err: c.err() };
}

// The cadence's maker-checker from the command line: the store steps the API takes, as named users.
describe('lendguard cadences list / show / submit / approve', () => {
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('drafts as one user, refuses the author, publishes as another, and refuses a bad document', async () => {
    for (const [username, role] of [
      ['ana', 'risk_analyst'],
      ['bob', 'admin'],
      ['fin', 'finance'],
    ]) {
      const made = await run([
        'users',
        'create',
        '--username',
        username!,
        '--role',
        role!,
        '--display-name',
        username!,
      ]);
      expect(made.code, made.err).toBe(0);
    }
    const empty = await run(['cadences', 'list']);
    expect(empty.code, empty.err).toBe(0);
    expect(empty.out).toMatch(/^in force: shipped; 0 versions$/m);

    const bad = join(parent, 'bad.json');
    writeFileSync(bad, '{"steps": 3}');
    const refused = await run(['cadences', 'submit', bad, '--as', 'ana']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/\n {2}\/?\S*: /);
    const notAllowed = await run(['cadences', 'submit', SHIPPED_CADENCE_FILE, '--as', 'fin']);
    expect(notAllowed.code).not.toBe(0);
    expect(notAllowed.err).toMatch(/role finance/);

    const draft = await run([
      'cadences',
      'submit',
      SHIPPED_CADENCE_FILE,
      '--as',
      'ana',
      '--note',
      'copy',
      '--json',
    ]);
    expect(draft.code, draft.err).toBe(0);
    const v = JSON.parse(draft.out) as { version: string; status: string };
    expect(v.status).toBe('draft');

    const own = await run(['cadences', 'approve', v.version, '--as', 'ana']);
    expect(own.code).not.toBe(0);
    expect(own.err).toMatch(/another person must approve it/);
    const approved = await run(['cadences', 'approve', v.version, '--as', 'bob']);
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toMatch(new RegExp(`cadence ${v.version}: published`));
    const again = await run(['cadences', 'approve', v.version, '--as', 'bob']);
    expect(again.err).toMatch(/only a draft can be approved/);

    // One version is counted in the singular.
    const listed = await run(['cadences', 'list']);
    expect(listed.out).toMatch(new RegExp(`^in force: ${v.version}; 1 version$`, 'm'));
    const list = await run(['cadences', 'list', '--json']);
    expect(JSON.parse(list.out)).toMatchObject({ inForce: v.version, items: [{ status: 'published' }] });
    const shown = await run(['cadences', 'show', v.version, '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ version: v.version, document: expect.any(Object) });
    const missing = await run(['cadences', 'show', 'nope']);
    expect(missing.err).toMatch(/no cadence version nope/);
    const { rows } = await import('../../src/store/index.js').then(async (s) => {
      const db = await s.openDb({ kind: 'pglite', dataDir: dir });
      try {
        return await db.query<{ action: string }>(
          `select action from audit_log where resource_type = 'reminder_cadence' order by action`,
        );
      } finally {
        await db.close();
      }
    });
    expect(rows.map((r) => r.action)).toEqual(['reminder.cadence_approve', 'reminder.cadence_draft']);
  }, 300_000);
});
