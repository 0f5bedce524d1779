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

describe.each(backends)('the chain inside transactions on $name', (backend) => {
  it('chains several rows of one transaction and one statement, and forgets a row rolled back to a savepoint', async () => {
    const db = await openMigrated(backend);
    try {
      await appendAudit(db, entry(1));
      await db.transaction(async (tx) => {
        await appendAudit(tx, entry(2));
        await appendAudit(tx, entry(3));
        await tx.query('savepoint s');
        await appendAudit(tx, entry(4));
        await tx.query('rollback to savepoint s');
        await appendAudit(tx, entry(5));
        await tx.query(
          `insert into audit_log (actor_role, action, resource_type) values ('admin', 'a', 'x'), ('admin', 'b', 'x')`,
        );
      });
      await appendAudit(db, entry(6));
      // The rows of the rolled-back savepoint are gone; had the chain remembered its hash, row 5 would
      // name a row that does not exist and the walk would stop there.
      expect(await verifyAuditChain(db)).toEqual({ rowsChecked: 7 });
      // A failed transaction leaves the chain as it was.
      await expect(
        db.transaction(async (tx) => {
          await appendAudit(tx, entry(7));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await appendAudit(db, entry(8));
      // Ten ids and more: the walk goes in the order of the numbers, not of their text ("10" < "2").
      expect(await verifyAuditChain(db)).toEqual({ rowsChecked: 8 });
    } finally {
      await db.close();
    }
  });
});

describe.each(backends.filter((b) => b.name === 'postgres'))(
  'two schemas of one database on $name',
  (backend) => {
    it('do not wait for each other: an open transaction in one does not hold back an insert in the other', async () => {
      const a = await openMigrated(backend);
      const b = await openMigrated(backend);
      try {
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let inserted!: () => void;
        const insertedInA = new Promise<void>((resolve) => {
          inserted = resolve;
        });
        const open = a.transaction(async (tx) => {
          await appendAudit(tx, entry(1));
          inserted();
          await held;
        });
        await insertedInA;
        // With one lock for the whole database this insert would wait for the transaction above, which
        // waits for it: the test would never finish. With a lock per schema it commits at once.
        await appendAudit(b, entry(2));
        expect(await verifyAuditChain(b)).toEqual({ rowsChecked: 1 });
        release();
        await open;
        expect(await verifyAuditChain(a)).toEqual({ rowsChecked: 1 });
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);

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

  it('counts one row checked in the singular, two in the plural', async () => {
    const dir = join(root, 'counts');
    const db = await openPglite({ dataDir: dir });
    await migrate(db);
    await appendAudit(db, entry(1));
    await db.close();
    const verify = async () => {
      const c = capture();
      const code = await main(['audit', 'verify', '--db', dir], c.io);
      return { code, out: c.out(), err: c.err() };
    };
    expect(await verify()).toMatchObject({ code: 0, out: 'audit log intact: 1 row, every link holds\n' });
    const more = await openPglite({ dataDir: dir });
    await appendAudit(more, entry(2));
    await appendAudit(more, entry(3));
    await more.close();
    expect(await verify()).toMatchObject({ code: 0, out: 'audit log intact: 3 rows, every link holds\n' });
    const tamper = await openPglite({ dataDir: dir });
    await tamper.query('alter table audit_log disable trigger audit_log_no_update_or_delete');
    await tamper.query("update audit_log set action = 'nothing' where audit_id = 3");
    await tamper.close();
    const two = await verify();
    expect(two.code).toBe(1);
    expect(two.err).toContain(
      'audit log broken at row 3: its content does not match its hash: the row was changed (before it, 2 rows checked and intact)',
    );
    const again = await openPglite({ dataDir: dir });
    await again.query("update audit_log set action = 'nothing' where audit_id = 2");
    await again.close();
    const one = await verify();
    expect(one.code).toBe(1);
    expect(one.err).toContain(
      'audit log broken at row 2: its content does not match its hash: the row was changed (before it, 1 row checked and intact)',
    );
  }, 60_000);
});
