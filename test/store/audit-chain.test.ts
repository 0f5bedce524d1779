import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  type AuditEntry,
  appendAudit,
  migrate,
  openPglite,
  verifyAuditChain,
} from '../../src/store/index.js';
import { capture } from '../cli/capture.js';
import { backends, openMigrated } from './backends.js';

const entry = (i: number): AuditEntry => ({
  actorUserId: i % 2 === 0 ? `usr_${i}` : null,
  actorRole: 'admin',
  action: 'customer.read',
  requestId: `req-${i}`,
  resourceType: 'customer',
  resourceId: `cus_${i}`,
  customerId: `cus_${i}`,
  details: { fields: ['name', 'phone'], n: i, nested: { a: 'ä' } },
});

describe.each(backends)('the audit log hash chain on $name', (backend) => {
  it('chains every row to the one before and names the first changed or removed row', async () => {
    const db = await openMigrated(backend);
    try {
      for (let i = 1; i <= 6; i += 1) await appendAudit(db, entry(i));
      expect(await verifyAuditChain(db)).toEqual({ rowsChecked: 6 });
      const ids = (
        await db.query<{ audit_id: number }>('select audit_id from audit_log order by audit_id')
      ).rows.map((r) => Number(r.audit_id));
      // The owner can switch the guard off and rewrite history; the chain shows where.
      await db.query('alter table audit_log disable trigger audit_log_no_update_or_delete');
      await db.query(`update audit_log set details = '{"fields":["name"]}' where audit_id = $1`, [ids[3]]);
      expect((await verifyAuditChain(db)).firstBroken).toEqual({
        auditId: ids[3],
        reason: 'its content does not match its hash: the row was changed',
      });
      await db.query(`update audit_log set details = $2::jsonb where audit_id = $1`, [
        ids[3],
        JSON.stringify(entry(4).details),
      ]);
      expect(await verifyAuditChain(db)).toEqual({ rowsChecked: 6 });
      await db.query('delete from audit_log where audit_id = $1', [ids[2]]);
      expect((await verifyAuditChain(db)).firstBroken?.auditId).toBe(ids[3]);
    } finally {
      await db.close();
    }
  });
});

const root = mkdtempSync(join(tmpdir(), 'lg-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lendguard audit verify', () => {
  it('says the log is intact, or exits 1 naming the first broken row', async () => {
    const dir = join(root, 'db');
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
    for (let i = 1; i <= 3; i += 1) await appendAudit(db, entry(i));
    await db.close();
    const ok = capture();
    expect(await main(['audit', 'verify', '--db', dir], ok.io)).toBe(0);
    expect(ok.out()).toContain('audit log intact: 3 rows');
    const tamper = await openPglite({ dataDir: dir });
    await tamper.query('alter table audit_log disable trigger audit_log_no_update_or_delete');
    await tamper.query("update audit_log set action = 'nothing' where audit_id = 2");
    await tamper.close();
    const broken = capture();
    expect(await main(['audit', 'verify', '--db', dir], broken.io)).toBe(1);
    expect(broken.err()).toContain('audit log broken at row 2: its content does not match its hash');
  }, 60_000);
});
