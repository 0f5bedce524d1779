import { afterEach, describe, expect, it } from 'vitest';
import {
  type Application,
  compilePolicy,
  type Decision,
  decide,
  retryFactsOf,
  validateApplication,
} from '../../src/origination/index.js';
import type { ServerDeps } from '../../src/server/http/context.js';
import { readShippedModels, readShippedPolicy } from '../../src/server/origination/support.js';
import {
  type AuditEntry,
  appendAudit,
  applicationWriteOf,
  type Db,
  generatePiiKey,
  getBusinessDay,
  type IdempotencyRecord,
  insertApplication,
  insertCustomer,
  insertDecision,
  insertFlags,
  insertHistory,
  insertInvitation,
  invitationsOf,
  openApprovedLine,
  originationKeyOf,
  PiiCipher,
  pastApplicationOf,
  planApproval,
  type Queryable,
  SQLSTATE_UNIQUE_VIOLATION,
  saveIdempotency,
  sqlState,
  writeApplication,
} from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { applicant } from './origination-helpers.js';

const AT = '2026-11-28T10:00:00.000Z';
const USER = 'usr_0192f3a4b5c6d7e8f9a0b1c2d3e4';
const policy = compilePolicy(readShippedPolicy());
const models = readShippedModels();

/** Columns set by the database clock (now()), which two writes never share. */
const CLOCK_COLUMNS = new Set([
  'created_at',
  'updated_at',
  'raised_at',
  'occurred_at',
  'expires_at',
  'applied_at',
  // The audit chain's hashes cover the clock and the rows written before (migration 0011).
  'prev_hash',
  'row_hash',
]);

interface Case {
  application: Application;
  decision: Decision;
  decisionId: string;
  invited: boolean;
}

async function makeCase(db: Db, cipher: PiiCipher, n: number, invited: boolean): Promise<Case> {
  const keyOf = originationKeyOf(cipher);
  const body = applicant(n, invited ? { invitationCode: `INV-${n}` } : {});
  const application = validateApplication({
    ...body,
    device: { ...(body.device as object), capturedAt: '2026-11-28T09:59:00.000Z' },
    applicationId: `app_path_${n}`,
    submittedAt: AT,
  });
  if (invited) {
    await insertInvitation(
      db,
      cipher,
      {
        invitationId: `inv_path_${n}`,
        code: `INV-${n}`,
        idNumber: application.identity.idNumber,
        applicantKey: keyOf('id-number', application.identity.idNumber),
        productIds: ['default'],
        limitCap_fen: 5_000_000,
        channels: [],
        validFrom: '2026-01-01T00:00:00.000Z',
        expiresAt: '2027-01-01T00:00:00.000Z',
      },
      USER,
    );
  }
  const applicantKey = keyOf('id-number', application.identity.idNumber);
  const decision = await decide(application, {
    businessTime: AT,
    policy,
    models,
    invitations: await invitationsOf(db, cipher, applicantKey),
    blacklist: [],
    history: { recentApplications: [] },
    keyOf,
  });
  return { application, decision, decisionId: `dec_path_${n}`, invited };
}

const flagsOf = (c: Case) => c.decision.flags.map((flag, k) => ({ flagId: `flg_path_${k}`, flag }));

function records(
  c: Case,
  approvalAudit: readonly Omit<AuditEntry, 'actorUserId' | 'actorRole' | 'requestId'>[],
) {
  const audit: AuditEntry[] = [
    {
      action: 'application.create',
      resourceType: 'application',
      resourceId: c.application.applicationId,
      customerId: null,
      details: { productId: c.application.productId },
    },
    {
      action: 'decision.record',
      resourceType: 'decision',
      resourceId: c.decisionId,
      customerId: null,
      details: { outcome: c.decision.outcome, contentHash: c.decision.contentHash },
    },
    ...approvalAudit,
  ].map((e) => ({ ...e, actorUserId: USER, actorRole: 'risk_analyst', requestId: 'req-1' }));
  const responseText = JSON.stringify({ decisionId: c.decisionId, outcome: c.decision.outcome });
  const idempotency: IdempotencyRecord = {
    userId: USER,
    key: `key-${c.application.applicationId}`,
    method: 'POST',
    route: '/applications',
    requestMac: 'mac-of-request',
    fieldMacs: { '/body/productId': 'mac-1' },
    macKeyId: 'k1',
    responseStatus: 201,
    responseBody: JSON.parse(responseText),
    resourceLocation: `/decisions/${c.decisionId}`,
  };
  return { audit, idempotency, responseText };
}

/** `per-table`, as submitApplication's general path stores an application. */
async function writeByTable(tx: Queryable, deps: ServerDeps, c: Case) {
  const keyOf = originationKeyOf(deps.cipher);
  const { application, decision } = c;
  const applicantKey = keyOf('id-number', application.identity.idNumber);
  await insertApplication(tx, deps.cipher, application, applicantKey, USER);
  await insertDecision(tx, c.decisionId, decision);
  await insertFlags(tx, application.applicationId, flagsOf(c));
  await insertHistory(
    tx,
    deps.cipher,
    { ...pastApplicationOf(application, keyOf, 'refer'), outcome: decision.outcome },
    retryFactsOf(application),
  );
  const opened =
    decision.outcome === 'approve'
      ? await openApprovedLine(tx, deps.cipher, {
          application,
          limit_fen: decision.limit_fen,
          invitationId: decision.invitationId,
          decisionId: c.decisionId,
          userId: USER,
        })
      : undefined;
  const r = records(c, opened?.audit ?? []);
  for (const entry of r.audit) await appendAudit(tx, entry);
  await saveIdempotency(tx, r.idempotency);
  return opened === undefined ? [] : [opened.customerId, opened.lineId];
}

/** `combined`, as submitApplication stores a new applicant's application. */
async function writeCombined(
  q: Queryable,
  deps: ServerDeps,
  c: Case,
  existingCustomerId: string | null = null,
) {
  const keyOf = originationKeyOf(deps.cipher);
  const { application, decision } = c;
  const applicantKey = keyOf('id-number', application.identity.idNumber);
  const approval =
    decision.outcome === 'approve'
      ? planApproval(deps.cipher, {
          application,
          limit_fen: decision.limit_fen,
          invitationId: decision.invitationId,
          decisionId: c.decisionId,
          existingCustomerId,
          businessDay: await getBusinessDay(q),
        })
      : undefined;
  const r = records(c, approval?.audit ?? []);
  const past = { ...pastApplicationOf(application, keyOf, 'refer'), outcome: decision.outcome };
  await writeApplication(
    q,
    applicationWriteOf(deps.cipher, {
      application,
      applicantKey,
      submittedAt: application.submittedAt,
      decisionId: c.decisionId,
      decision,
      flags: flagsOf(c),
      past,
      ...(approval === undefined ? {} : { approval: approval.write }),
      audit: r.audit,
      idempotency: r.idempotency,
      responseText: r.responseText,
    }),
  );
  return approval === undefined ? [] : [approval.customerId, approval.lineId];
}

/** The associated data each ciphertext column is bound to, by table (docs/security.md). */
const BOUND_TO: Record<string, (row: Record<string, string>, column: string) => string> = {
  applications: (r) => `applications.${r.application_id}.body`,
  application_keys: (r) => `application_keys.${r.application_id}.retry_facts`,
  customers: (r, column) => `customers.${r.customer_id}.${column.slice(0, -'_enc'.length)}`,
  invitations: (r) => `invitations.${r.invitation_id}.id_number`,
};

/**
 * Every row of every table, comparable across two databases: clock columns and the audit id left out,
 * ciphertexts opened (each encryption draws its own nonce), the generated customer and line ids named.
 */
async function comparable(db: Db, cipher: PiiCipher, ids: readonly string[]) {
  const dump = await dumpTables(db);
  for (const [table, rows] of Object.entries(dump)) {
    for (const row of rows as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        if (!column.endsWith('_enc') || value === null) continue;
        const bound = BOUND_TO[table];
        if (bound === undefined) throw new Error(`no binding known for ${table}.${column}`);
        row[column] = `opened:${cipher.decrypt(String(value), bound(row as Record<string, string>, column))}`;
      }
    }
  }
  let text = JSON.stringify(dump, (key, value: unknown) =>
    CLOCK_COLUMNS.has(key) || key === 'audit_id' ? undefined : value,
  );
  ids.forEach((id, k) => {
    text = text.replaceAll(id, `<generated-${k}>`);
  });
  return JSON.parse(text) as Record<string, unknown[]>;
}

describe.each(backends)('an application written combined on $name', (backend) => {
  const open: Db[] = [];
  const fresh = async () => {
    const db = await openMigrated(backend);
    open.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
  });

  for (const invited of [true, false]) {
    it(`writes exactly the rows of the per-table path (${invited ? 'approval: customer, line, invitation' : 'decline with a flag'})`, async () => {
      const cipher = new PiiCipher(generatePiiKey());
      const byTable = await fresh();
      const combined = await fresh();
      const deps = (db: Db) => ({ db, cipher }) as ServerDeps;
      const a = await makeCase(byTable, cipher, 7, invited);
      const b = await makeCase(combined, cipher, 7, invited);
      expect(JSON.stringify(b.decision)).toBe(JSON.stringify(a.decision));
      expect(a.decision.outcome).toBe(invited ? 'approve' : 'decline');
      if (!invited) expect(a.decision.flags.length).toBeGreaterThan(0);
      const idsA = await byTable.transaction((tx) => writeByTable(tx, deps(byTable), a));
      const idsB = await combined.transaction((tx) => writeCombined(tx, deps(combined), b));
      const rowsA = await comparable(byTable, cipher, idsA);
      const rowsB = await comparable(combined, cipher, idsB);
      expect(rowsB).toEqual(rowsA);
      // The rows are there, not two empty dumps.
      expect(rowsA.applications).toHaveLength(1);
      expect(rowsA.decisions).toHaveLength(1);
      expect(rowsA.audit_log).toHaveLength(invited ? 4 : 2);
      expect(rowsA.credit_lines).toHaveLength(invited ? 1 : 0);
    });
  }

  it('opens the line for a customer who exists already, registering no one', async () => {
    const cipher = new PiiCipher(generatePiiKey());
    const db = await fresh();
    const deps = { db, cipher } as ServerDeps;
    const c = await makeCase(db, cipher, 8, true);
    const existing = await insertCustomer(
      db,
      cipher,
      {
        name: c.application.identity.name,
        idNumber: c.application.identity.idNumber,
        phone: c.application.identity.phone,
        address: c.application.address,
        contacts: [],
        declaredMonthlyIncome_fen: 1_000_000,
        externalRef: null,
      },
      USER,
    );
    const [customerId, lineId] = await db.transaction((tx) =>
      writeCombined(tx, deps, c, existing.customerId),
    );
    expect(customerId).toBe(existing.customerId);
    const rows = await dumpTables(db);
    expect(rows.customers).toHaveLength(1);
    expect(rows.customer_identities).toHaveLength(2);
    expect(rows.applications).toMatchObject([{ customer_id: existing.customerId, line_id: lineId }]);
    expect(rows.invitations).toMatchObject([
      { status: 'used', used_by_application: c.application.applicationId },
    ]);
  });

  it('writes nothing when any part fails: a key stored meanwhile, a customer registered meanwhile', async () => {
    const cipher = new PiiCipher(generatePiiKey());
    const db = await fresh();
    const deps = { db, cipher } as ServerDeps;
    const c = await makeCase(db, cipher, 9, true);
    expect(c.decision.outcome).toBe('approve');
    // The idempotency record (the statement's last insert) exists already.
    await saveIdempotency(db, records(c, []).idempotency);
    const before = await dumpTables(db);
    const failure = await db.transaction((tx) => writeCombined(tx, deps, c)).catch((e: unknown) => e);
    expect(sqlState(failure)).toBe(SQLSTATE_UNIQUE_VIOLATION);
    expect(await dumpTables(db)).toEqual(before);

    // A customer with this ID number registered since the read (its identity row is unique).
    const other = await fresh();
    const d = await makeCase(other, cipher, 10, true);
    await insertCustomer(
      other,
      cipher,
      {
        name: 'x',
        idNumber: d.application.identity.idNumber,
        phone: '13900000000',
        address: d.application.address,
        contacts: [],
        declaredMonthlyIncome_fen: 0,
        externalRef: null,
      },
      USER,
    );
    const beforeOther = await dumpTables(other);
    const clash = await other
      .transaction((tx) => writeCombined(tx, { db: other, cipher } as ServerDeps, d, null))
      .catch((e: unknown) => e);
    expect(sqlState(clash)).toBe(SQLSTATE_UNIQUE_VIOLATION);
    expect(await dumpTables(other)).toEqual(beforeOther);
  });
});
