import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/index.js';
import { backends, openMigrated } from './backends.js';

/**
 * The trigger that keeps a loan's list columns (bucket, outstanding and overdue principal) computes them in
 * one pass over the dues since migration 0010 (decision 0236). For any state — a loan's, or a damaged one
 * with fields missing, null or of the wrong type — it must give exactly what migration 0005's two SQL
 * functions give, on insert and on every later write of the state.
 */

const due = fc.record(
  {
    principalMinor: fc.oneof(fc.integer({ min: 0, max: 1_000_000_000 }), fc.constant(null)),
    overdue: fc.oneof(fc.boolean(), fc.constant(null)),
    interestMinor: fc.integer({ min: 0, max: 1_000_000 }),
  },
  { requiredKeys: ['interestMinor'] },
);

const state = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        bucket: fc.constantFrom('M0', 'M1', 'M2', 'M3', 'M7'),
        notDuePrincipalMinor: fc.oneof(fc.integer({ min: 0, max: 9_000_000_000_000 }), fc.constant(null)),
        dues: fc.array(due, { maxLength: 12 }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'text', 42, [], {}) },
);

async function figures(db: Db, loanId: string) {
  const { rows } = await db.query<{
    bucket: string | null;
    outstanding: string;
    overdue: string;
    expected_bucket: string | null;
    expected_outstanding: string;
    expected_overdue: string;
  }>(
    `select bucket, outstanding_principal_minor::text as outstanding, overdue_principal_minor::text as overdue,
       state->>'bucket' as expected_bucket,
       coalesce(loan_outstanding_principal_minor(state), 0)::text as expected_outstanding,
       coalesce(loan_overdue_principal_minor(state), 0)::text as expected_overdue
     from loans where customer_id = 'cus_f' and loan_id = $1`,
    [loanId],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`no loan ${loanId}`);
  return row;
}

function expectSame(row: Awaited<ReturnType<typeof figures>>) {
  expect({ bucket: row.bucket, outstanding: row.outstanding, overdue: row.overdue }).toEqual({
    bucket: row.expected_bucket,
    outstanding: row.expected_outstanding,
    overdue: row.expected_overdue,
  });
}

describe.each(backends)('the loan list columns on $name', (backend) => {
  it('are what the SQL functions of migration 0005 give, for any state, on insert and update', async () => {
    const db = await openMigrated(backend);
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(state, state, async (first, second) => {
          n += 1;
          const loanId = `ln_${n}`;
          await db.query(
            `insert into loans (customer_id, loan_id, line_id, product_id, product_version, status, principal_minor,
               opened_day, state, terms, seq, last_closed_day, next_event_day)
             values ('cus_f', $1, 'cl_1', 'p', 1, 'active', 100, '2026-01-01', $2::jsonb, '{}', 1,
               '2026-01-31', '2026-02-10')`,
            [loanId, JSON.stringify(first)],
          );
          expectSame(await figures(db, loanId));
          await db.query(`update loans set state = $2::jsonb where customer_id = 'cus_f' and loan_id = $1`, [
            loanId,
            JSON.stringify(second),
          ]);
          expectSame(await figures(db, loanId));
        }),
        { numRuns: 60 },
      );
      // A loan with dues overdue and not: the figures are not all zero, so the comparison says something.
      await db.query(
        `insert into loans (customer_id, loan_id, line_id, product_id, product_version, status, principal_minor,
           opened_day, state, terms, seq, last_closed_day, next_event_day)
         values ('cus_f', 'ln_known', 'cl_1', 'p', 1, 'active', 100, '2026-01-01', $1::jsonb, '{}', 1,
           '2026-01-31', '2026-02-10')`,
        [
          JSON.stringify({
            bucket: 'M1',
            notDuePrincipalMinor: 5000,
            dues: [
              { principalMinor: 700, overdue: true },
              { principalMinor: 300, overdue: false },
            ],
          }),
        ],
      );
      expect(await figures(db, 'ln_known')).toMatchObject({
        bucket: 'M1',
        outstanding: '6000',
        overdue: '700',
      });
    } finally {
      await db.close();
    }
  });
});
