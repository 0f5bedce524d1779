import type { Day } from '../../money/index.js';
import type { StatementFigures } from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';
import { dayFromSql, sqlDate } from '../ledger/codec.js';

/** What monitoring keeps of a customer so that no batch has to open the encrypted application. */
export interface MonitoringProfile {
  customerId: string;
  segment: string;
  industry: string;
  lang: 'zh-CN' | 'en';
  sinceDay: Day;
  applicationLenders3m: number | null;
  applicationIncomeMinor: number | null;
  applicationStatements: StatementFigures | null;
}

/** Writes the profile (from the latest approved application); the day monitoring began is kept. */
export async function saveMonitoringProfile(q: Queryable, p: MonitoringProfile): Promise<void> {
  await q.query(
    `insert into monitoring_profiles (customer_id, segment, industry, lang, since_day, application_lenders3m,
       application_income_minor, application_statements)
     values ($1, $2, $3, $4, $5::date, $6, $7, $8::jsonb)
     on conflict (customer_id) do update set segment = excluded.segment, industry = excluded.industry,
       lang = excluded.lang, application_lenders3m = excluded.application_lenders3m,
       application_income_minor = excluded.application_income_minor,
       application_statements = excluded.application_statements, updated_at = now()`,
    [
      p.customerId,
      p.segment,
      p.industry,
      p.lang,
      sqlDate(p.sinceDay),
      p.applicationLenders3m,
      p.applicationIncomeMinor,
      p.applicationStatements === null ? null : JSON.stringify(p.applicationStatements),
    ],
  );
}

interface ProfileRow {
  customer_id: string;
  segment: string;
  industry: string;
  lang: 'zh-CN' | 'en';
  since_day: string;
  application_lenders3m: number | null;
  application_income_minor: string | number | null;
  application_statements: string | null;
}
const PROFILE_COLUMNS = `customer_id, segment, industry, lang, since_day::text as since_day, application_lenders3m,
  application_income_minor, application_statements::text as application_statements`;
const profileFromRow = (r: ProfileRow): MonitoringProfile => ({
  customerId: r.customer_id,
  segment: r.segment,
  industry: r.industry,
  lang: r.lang,
  sinceDay: dayFromSql(r.since_day),
  applicationLenders3m: r.application_lenders3m,
  applicationIncomeMinor: r.application_income_minor === null ? null : Number(r.application_income_minor),
  applicationStatements:
    r.application_statements === null ? null : (JSON.parse(r.application_statements) as StatementFigures),
});

export async function monitoringProfiles(
  q: Queryable,
  customerIds: readonly string[],
): Promise<Map<string, MonitoringProfile>> {
  const { rows } = await q.query<ProfileRow>(
    `select ${PROFILE_COLUMNS} from monitoring_profiles where customer_id = any($1::text[])`,
    [customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, profileFromRow(r)]));
}

/** Customers with a profile in an industry (to evaluate them when it joins the shock list). */
export async function customersInIndustry(q: Queryable, industry: string): Promise<string[]> {
  const { rows } = await q.query<{ customer_id: string }>(
    'select customer_id from monitoring_profiles where industry = $1 order by customer_id',
    [industry],
  );
  return rows.map((r) => r.customer_id);
}

/** Customers with an approved application and an open line but no profile yet. */
export async function customersWithoutProfile(q: Queryable, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ customer_id: string }>(
    `select distinct c.customer_id from credit_lines c
     where c.status <> 'closed' and not exists (select 1 from monitoring_profiles p where p.customer_id = c.customer_id)
       and exists (select 1 from applications a where a.customer_id = c.customer_id)
     order by c.customer_id limit $1`,
    [limit],
  );
  return rows.map((r) => r.customer_id);
}

// --- income declarations ---------------------------------------------------------------------------------

export interface IncomeDeclaration {
  declarationId: string;
  customerId: string;
  day: Day;
  declaredMonthlyMinor: number;
  note: string | null;
  createdBy: string;
}

export async function insertIncomeDeclaration(
  q: Queryable,
  d: Omit<IncomeDeclaration, 'declarationId'>,
): Promise<IncomeDeclaration> {
  const declarationId = newId('inc');
  await q.query(
    `insert into income_declarations (customer_id, declaration_id, day, declared_monthly_minor, note, created_by)
     values ($1, $2, $3::date, $4, $5, $6)`,
    [d.customerId, declarationId, sqlDate(d.day), d.declaredMonthlyMinor, d.note, d.createdBy],
  );
  return { ...d, declarationId };
}

// --- bureau refreshes ------------------------------------------------------------------------------------

export interface BureauRefresh {
  customerId: string;
  asOfDay: Day;
  lenders3m: number;
  lenders6m: number;
  lenders12m: number;
  outstandingMinor: number;
  worstDaysPastDue: number;
}

/** Stores a file's refreshes; a customer's refresh as of a day already stored is replaced. Returns rows written. */
export async function insertBureauRefreshes(
  q: Queryable,
  rows: readonly BureauRefresh[],
  fileSha256: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await q.query(
    `insert into bureau_refreshes (customer_id, as_of_day, lenders3m, lenders6m, lenders12m, outstanding_minor,
       worst_days_past_due, source_file_sha256)
     select * , $8 from unnest($1::text[], $2::date[], $3::int[], $4::int[], $5::int[], $6::bigint[], $7::int[])
     on conflict (customer_id, as_of_day) do update set lenders3m = excluded.lenders3m, lenders6m = excluded.lenders6m,
       lenders12m = excluded.lenders12m, outstanding_minor = excluded.outstanding_minor,
       worst_days_past_due = excluded.worst_days_past_due, source_file_sha256 = excluded.source_file_sha256,
       imported_at = now()`,
    [
      rows.map((x) => x.customerId),
      rows.map((x) => sqlDate(x.asOfDay)),
      rows.map((x) => x.lenders3m),
      rows.map((x) => x.lenders6m),
      rows.map((x) => x.lenders12m),
      rows.map((x) => x.outstandingMinor),
      rows.map((x) => x.worstDaysPastDue),
      fileSha256,
    ],
  );
  return r.rowCount;
}

/** Which of these customer ids exist (an import names the rows whose customer is unknown). */
export async function existingCustomerIds(q: Queryable, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await q.query<{ customer_id: string }>(
    'select customer_id from customers where customer_id = any($1::text[])',
    [ids],
  );
  return new Set(rows.map((r) => r.customer_id));
}

// --- industry shock list ---------------------------------------------------------------------------------

export interface IndustryShock {
  shockId: string;
  industry: string;
  fromDay: Day;
  toDay: Day | null;
  reason: string;
  createdBy: string;
  endedBy: string | null;
}

interface ShockRow {
  shock_id: string;
  industry: string;
  from_day: string;
  to_day: string | null;
  reason: string;
  created_by: string;
  ended_by: string | null;
}
const SHOCK_COLUMNS =
  'shock_id, industry, from_day::text as from_day, to_day::text as to_day, reason, created_by, ended_by';
const shockFromRow = (r: ShockRow): IndustryShock => ({
  shockId: r.shock_id,
  industry: r.industry,
  fromDay: dayFromSql(r.from_day),
  toDay: r.to_day === null ? null : dayFromSql(r.to_day),
  reason: r.reason,
  createdBy: r.created_by,
  endedBy: r.ended_by,
});

export async function insertIndustryShock(
  q: Queryable,
  s: Omit<IndustryShock, 'shockId' | 'endedBy'>,
): Promise<IndustryShock> {
  const { rows } = await q.query<ShockRow>(
    `insert into industry_shocks (shock_id, industry, from_day, to_day, reason, created_by)
     values ($1, $2, $3::date, $4::date, $5, $6) returning ${SHOCK_COLUMNS}`,
    [
      newId('shk'),
      s.industry,
      sqlDate(s.fromDay),
      s.toDay === null ? null : sqlDate(s.toDay),
      s.reason,
      s.createdBy,
    ],
  );
  return shockFromRow(rows[0]!);
}

export async function updateIndustryShock(
  q: Queryable,
  shockId: string,
  patch: { toDay?: Day | null; reason?: string },
): Promise<IndustryShock | undefined> {
  const { rows } = await q.query<ShockRow>(
    `update industry_shocks set to_day = case when $2 then $3::date else to_day end, reason = coalesce($4, reason)
     where shock_id = $1 and ended_at is null returning ${SHOCK_COLUMNS}`,
    [
      shockId,
      patch.toDay !== undefined,
      patch.toDay == null ? null : sqlDate(patch.toDay),
      patch.reason ?? null,
    ],
  );
  return rows[0] === undefined ? undefined : shockFromRow(rows[0]);
}

/** Ends an entry: it no longer counts from now on (kept for the record). */
export async function endIndustryShock(q: Queryable, shockId: string, by: string): Promise<boolean> {
  const r = await q.query(
    'update industry_shocks set ended_by = $2, ended_at = now() where shock_id = $1 and ended_at is null',
    [shockId, by],
  );
  return r.rowCount === 1;
}

export async function listIndustryShocks(q: Queryable, includeEnded = false): Promise<IndustryShock[]> {
  const { rows } = await q.query<ShockRow>(
    `select ${SHOCK_COLUMNS} from industry_shocks where $1 or ended_at is null order by industry, from_day, shock_id`,
    [includeEnded],
  );
  return rows.map(shockFromRow);
}

export async function findIndustryShock(q: Queryable, shockId: string): Promise<IndustryShock | undefined> {
  const { rows } = await q.query<ShockRow>(
    `select ${SHOCK_COLUMNS} from industry_shocks where shock_id = $1`,
    [shockId],
  );
  return rows[0] === undefined ? undefined : shockFromRow(rows[0]);
}
