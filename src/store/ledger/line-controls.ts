/**
 * Credit-line history and the line controls' shell step: load a line and its loans, ask the policy's
 * `lineControls` table (monitoring/), write what it plans — the line's new state and one history row per
 * change — in the caller's transaction.
 */
import type { CreditLineState } from '../../ledger/index.js';
import { type CurrencyCode, type Day, formatDate } from '../../money/index.js';
import {
  type CompiledLineControls,
  compileLineControls,
  DEFAULT_LINE_CONTROLS,
  evaluateLineControls,
  type LineControlChange,
  type LineControlDecision,
  lineControlFactsOf,
  planLineControl,
  severest,
} from '../../monitoring/index.js';
import type { Queryable } from '../db.js';
import { findPublishedPolicy, policyDocument } from '../origination/policies.js';
import { queueLineNotices } from '../reminders/line-notices.js';
import { enqueueBusinessEvent } from '../reminders/outbox.js';
import { dayFromSql, sqlDate } from './codec.js';
import { findLine, saveLine } from './lines.js';
import { LOAN_COLUMNS, loanFromRow, type StoredLoan } from './loan-rows.js';

export type LineChangeSource = 'control' | 'operator';

/** One row of a line's history of status and limit. */
export interface LineChangeRecord {
  readonly changeNo: number;
  readonly day: Day;
  readonly kind: LineControlChange['kind'];
  readonly fromStatus: string;
  readonly toStatus: string;
  readonly fromLimitMinor: number;
  readonly toLimitMinor: number;
  readonly source: LineChangeSource;
  readonly code: string;
  readonly reason: string;
  readonly policyVersion: string | null;
  readonly actor: string | null;
}

/**
 * Records a line's changes on its history and, in the same transaction, queues the borrower's notice of
 * each (decision 0623): every writer of a line change — the controls, an operator, a limit review, an
 * early-warning freeze — comes through here, so none is left unnoticed.
 */
export async function insertLineChanges(
  q: Queryable,
  line: { customerId: string; lineId: string; state: { currency: CurrencyCode } },
  changes: readonly LineControlChange[],
  by: { source: LineChangeSource; policyVersion?: string | null; actor?: string | null },
): Promise<void> {
  await queueLineNotices(
    q,
    { customerId: line.customerId, lineId: line.lineId, currency: line.state.currency },
    changes,
    Date.now(),
  );
  for (const c of changes) {
    await q.query(
      `insert into credit_line_changes (customer_id, line_id, day, kind, from_status, to_status, from_limit_minor,
         to_limit_minor, source, code, reason, policy_version, actor)
       values ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        line.customerId,
        line.lineId,
        sqlDate(c.day),
        c.kind,
        c.fromStatus,
        c.toStatus,
        c.fromLimitMinor,
        c.toLimitMinor,
        by.source,
        c.code,
        c.reason,
        by.policyVersion ?? null,
        by.actor ?? null,
      ],
    );
  }
}

interface ChangeRow {
  change_no: string | number;
  day: string;
  kind: LineControlChange['kind'];
  from_status: string;
  to_status: string;
  from_limit_minor: string | number;
  to_limit_minor: string | number;
  source: LineChangeSource;
  code: string;
  reason: string;
  policy_version: string | null;
  actor: string | null;
}

const CHANGE_COLUMNS = `change_no, to_char(day, 'YYYY-MM-DD') as day, kind, from_status, to_status, from_limit_minor,
  to_limit_minor, source, code, reason, policy_version, actor`;

function changeFromRow(r: ChangeRow): LineChangeRecord {
  return {
    changeNo: Number(r.change_no),
    day: dayFromSql(r.day),
    kind: r.kind,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    fromLimitMinor: Number(r.from_limit_minor),
    toLimitMinor: Number(r.to_limit_minor),
    source: r.source,
    code: r.code,
    reason: r.reason,
    policyVersion: r.policy_version,
    actor: r.actor,
  };
}

/** A line's history of status and limit changes, oldest first. */
export async function listLineChanges(q: Queryable, lineId: string): Promise<LineChangeRecord[]> {
  const { rows } = await q.query<ChangeRow>(
    `select ${CHANGE_COLUMNS} from credit_line_changes where line_id = $1 order by change_no`,
    [lineId],
  );
  return rows.map(changeFromRow);
}

/** The change that froze the line last (undefined for a line never frozen since the history began). */
export async function lastFreeze(q: Queryable, lineId: string): Promise<LineChangeRecord | undefined> {
  const { rows } = await q.query<ChangeRow>(
    `select ${CHANGE_COLUMNS} from credit_line_changes where line_id = $1 and kind = 'frozen'
     order by change_no desc limit 1`,
    [lineId],
  );
  return rows[0] === undefined ? undefined : changeFromRow(rows[0]);
}

/** Every loan drawn on a line (settled ones too). */
export async function loansOfLine(q: Queryable, lineId: string, customerId: string): Promise<StoredLoan[]> {
  const { rows } = await q.query(
    `select ${LOAN_COLUMNS} from loans where customer_id = $1 and line_id = $2 order by loan_id`,
    [customerId, lineId],
  );
  return rows.map((r) => loanFromRow(r as unknown as Parameters<typeof loanFromRow>[0]));
}

/**
 * Lines the controls must look at on a day: open lines with a loan past due (the partial index of the
 * loan list holds only those), and lines the controls froze (to unfreeze them on cure).
 */
export async function linesToControl(q: Queryable): Promise<{ customerId: string; lineId: string }[]> {
  const { rows } = await q.query<{ customer_id: string; line_id: string }>(
    `select distinct l.customer_id, l.line_id from loans l
       join credit_lines c on c.customer_id = l.customer_id and c.line_id = l.line_id
       where l.bucket <> 'M0' and l.status = 'active' and c.status <> 'closed'
     union
     select c.customer_id, c.line_id from credit_lines c
       where c.status = 'frozen' and (select f.source from credit_line_changes f
         where f.line_id = c.line_id and f.kind = 'frozen' order by f.change_no desc limit 1) = 'control'
     order by 2`,
  );
  return rows.map((r) => ({ customerId: r.customer_id, lineId: r.line_id }));
}

const compiled = new Map<string, CompiledLineControls>();
const SHIPPED = 'shipped-default';

/**
 * The line controls in force for a loan product: those of the product's published policy, or the shipped
 * default when it carries none. Compiled once per policy version.
 */
async function controlsFor(
  q: Queryable,
  productId: string,
): Promise<{ version: string; controls: CompiledLineControls }> {
  const published = await findPublishedPolicy(q, productId);
  let version = SHIPPED;
  let graph: unknown = DEFAULT_LINE_CONTROLS;
  if (published !== undefined) {
    const cachedPublished = compiled.get(published.version);
    if (cachedPublished !== undefined) return { version: published.version, controls: cachedPublished };
    const document = await policyDocument(q, published.version);
    if (document?.graphs.lineControls !== undefined) {
      version = published.version;
      graph = document.graphs.lineControls;
    }
  }
  let controls = compiled.get(version);
  if (controls === undefined) {
    controls = compileLineControls(graph);
    compiled.set(version, controls);
    if (published !== undefined && version === SHIPPED) compiled.set(published.version, controls);
  }
  return { version, controls };
}

export interface LineControlOutcome {
  readonly lineId: string;
  readonly decision: LineControlDecision;
  readonly changes: readonly LineControlChange[];
  readonly line: CreditLineState;
}

/**
 * Applies the line controls to one line on `day` in the caller's transaction (the line row locked):
 * evaluates the policy of each product drawn on the line, applies the most severe decision, writes the
 * line and its history. Returns undefined for an unknown line.
 */
export async function applyLineControls(
  tx: Queryable,
  lineId: string,
  day: Day,
): Promise<LineControlOutcome | undefined> {
  const stored = await findLine(tx, lineId, { forUpdate: true });
  if (stored === undefined) return undefined;
  const loans = await loansOfLine(tx, lineId, stored.customerId);
  const facts = lineControlFactsOf(
    stored.state,
    loans.map((l) => l.state),
  );
  const products = [...new Set(loans.map((l) => l.productId))].sort();
  const decisions: (LineControlDecision & { version: string })[] = [];
  for (const productId of products.length === 0 ? ['default'] : products) {
    const { version, controls } = await controlsFor(tx, productId);
    decisions.push({ ...(await evaluateLineControls(controls, facts)), version });
  }
  const decision = severest(decisions) as LineControlDecision & { version?: string };
  const frozen = stored.state.status === 'frozen' ? await lastFreeze(tx, lineId) : undefined;
  const plan = planLineControl(stored.state, decision, frozen?.source === 'control', day);
  if (plan.events.length > 0) {
    await saveLine(tx, stored, plan.line);
    await insertLineChanges(tx, stored, plan.changes, {
      source: 'control',
      policyVersion: decision.version ?? SHIPPED,
    });
    // line.frozen for subscribers, in the transaction of the freeze (a cut freezes too).
    const frozen = plan.changes.find((c) => c.kind === 'frozen');
    if (frozen !== undefined)
      await enqueueBusinessEvent(
        tx,
        'line.frozen',
        `${lineId}:${formatDate(frozen.day)}:${frozen.code}`,
        {
          lineId,
          customerId: stored.customerId,
          day: formatDate(frozen.day),
          code: frozen.code,
          reason: frozen.reason,
          source: 'control',
        },
        { customerId: stored.customerId },
      );
  }
  return { lineId, decision, changes: plan.changes, line: plan.line };
}

/** What the follow-ups of a repayment or waiver need to know, in one indexed read (no transaction, no lock). */
export interface AfterRepaymentFacts {
  /** The line is not active, or a loan on it is past due: the line controls may have something to change. */
  readonly lineControlsMayAct: boolean;
  /** The borrower has an open collection case to refresh. */
  readonly openCase: boolean;
  /** The loan has reminders not yet sent, which the payment may have made moot. */
  readonly plannedReminders: boolean;
}

/**
 * Whether the work after a repayment is needed at all. Most repayments are on time, by borrowers whose line
 * is active and who have no case: for them the line controls could only confirm what EOD applied (a
 * payment lowers days past due, it raises nothing the controls act on) and there is no case to refresh,
 * so neither transaction is worth its locks (docs/performance.md, repayments).
 */
export async function afterRepaymentFacts(q: Queryable, loanId: string): Promise<AfterRepaymentFacts> {
  const { rows } = await q.query<{
    line_status: string;
    past_due: boolean;
    open_case: boolean;
    planned_reminders: boolean;
  }>(
    `select cl.status as line_status,
            exists (select 1 from reminders r where r.loan_id = l.loan_id and r.status = 'planned')
              as planned_reminders,
            exists (select 1 from loans o
                     where o.customer_id = l.customer_id and o.line_id = l.line_id
                       and o.status = 'active' and o.bucket <> 'M0') as past_due,
            exists (select 1 from collection_cases c
                     where c.customer_id = l.customer_id and c.status = 'open') as open_case
       from loans l
       join credit_lines cl on cl.customer_id = l.customer_id and cl.line_id = l.line_id
      where l.loan_id = $1`,
    [loanId],
    { name: 'after_repayment_facts' },
  );
  const row = rows[0];
  if (row === undefined) return { lineControlsMayAct: false, openCase: false, plannedReminders: false };
  return {
    lineControlsMayAct: row.line_status !== 'active' || row.past_due,
    openCase: row.open_case,
    plannedReminders: row.planned_reminders,
  };
}
