import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withMigratedDb } from '../../src/cli/commands/db-options.js';
import { main } from '../../src/cli/main.js';
import { findUserByName, saveAgency } from '../../src/store/index.js';
import { capture } from './capture.js';

describe('users create --agency', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-cli-agency-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const create = async (...extra: string[]) => {
    const run = capture();
    const status = await main(['users', 'create', '--db', dir, '--json', ...extra], run.io);
    return { status, out: run.out(), err: run.err() };
  };
  const userNamed = (username: string) => withMigratedDb(dir, (db) => findUserByName(db, username));

  it('refuses role agency without --agency, and --agency on any other role', async () => {
    const missing = await create('--username', 'agent1', '--role', 'agency');
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/--agency <agencyId> is required for role agency/);
    const misplaced = await create('--username', 'analyst1', '--role', 'risk_analyst', '--agency', 'acme');
    expect(misplaced.status).toBe(2);
    expect(misplaced.err).toMatch(/--agency is only for role agency/);
    expect(await userNamed('agent1')).toBeUndefined();
    expect(await userNamed('analyst1')).toBeUndefined();
  });

  it('refuses an unknown or inactive agency and writes nothing', async () => {
    await withMigratedDb(dir, (db) => saveAgency(db, 'closed', 'Closed Collections Ltd', false));
    for (const agency of ['nobody', 'closed']) {
      const refused = await create('--username', 'agent2', '--role', 'agency', '--agency', agency);
      expect(refused.status, refused.err).toBe(2);
      expect(refused.err).toContain(`no active collection agency ${agency}`);
      expect(refused.out).toBe('');
    }
    expect(await userNamed('agent2')).toBeUndefined();
  });

  it('creates an agency user tied to the agency, as POST /users does', async () => {
    await withMigratedDb(dir, (db) => saveAgency(db, 'acme', 'Acme Recoveries', true));
    const made = await create('--username', 'agent3', '--role', 'agency', '--agency', 'acme');
    expect(made.status, made.err).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({
      user: { username: 'agent3', role: 'agency', agencyId: 'acme' },
    });
    expect(await userNamed('agent3')).toMatchObject({ role: 'agency', agencyId: 'acme' });
  });
});
