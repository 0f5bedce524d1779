/**
 * Month-end portfolio reports: `GET /reports/{kind}` (JSON or `?format=xlsx`), the loans behind a figure, and
 * manual five-category overrides proposed by one person and decided by another.
 */
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { stringifyChunked } from '@discoveryjs/json-ext';
import type { FastifyInstance } from 'fastify';
import {
  computeEcl,
  decideClassOverrideIn,
  type EclPostingResult,
  eclPostingAudit,
  eclPostingMonthEnd,
  eclPostingSummary,
  eclPostingView,
  eclRunOptions,
  loadEclBookAsOf,
  loadReport,
  loadReportCell,
  loadRiskReport,
  overrideAudit,
  proposeClassOverrideIn,
  ReportError,
  readFundingOutflows,
  refuseEarlierThanPosted,
  reportXlsxBuffer,
  riskReportHtml,
  riskReportPdf,
  type StressSimulation,
  writeFundingOutflows,
  writeMonthEndEcl,
} from '../../jobs/index.js';
import { type Day, formatDate, formatMinor, parseDate } from '../../money/index.js';
import { type AssetClass, REPORT_KINDS, type Report, ReportInputError } from '../../reporting/index.js';
import {
  ClassOverrideError,
  findEclPosting,
  listEclPostings,
  listStoredFundingOutflows,
  type StoredClassOverride,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { fill, say } from '../http/messages.js';
import { fieldProblem, type ProblemCode, ProblemError } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { REPORT_MESSAGES, REPORT_REFUSALS_ZH } from './messages.js';
import {
  cellLoansSchema,
  decisionBody,
  eclPostingBody,
  eclPostingListSchema,
  eclPostingParam,
  eclPostingSchema,
  fundingOutflowListSchema,
  fundingOutflowsBody,
  fundingOutflowsQuery,
  fundingOutflowsSchema,
  overrideBody,
  overrideSchema,
  reportCellQuery,
  reportKindParam,
  reportQuery,
  reportSchema,
  riskReportQuery,
} from './schemas.js';

const common = { tags: ['reports'], security: bearerSecurity };
/** Most loan ids a drill-down answer lists. */
export const CELL_LOANS_MAX = 10_000;
/** Month ends an ECL posting list shows at most (ten years of month ends). */
export const ECL_POSTINGS_LIST_MAX = 120;
/** Funding outflows a list shows at most (a named bound; `truncated` says when more are stored). */
export const FUNDING_OUTFLOWS_LIST_MAX = 5_000;
/**
 * The report without the named tables (the summary and notes stay); a name it has no table of is refused, so
 * that a mistyped name does not send what it was meant to leave out.
 */
function withoutTables(report: Report, names: readonly string[]): Report {
  const known = new Set(report.tables.map((t) => t.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw reportProblem(
      new ReportError(
        'report_table_unknown',
        400,
        `the ${report.kind} report has no table ${unknown.map((n) => `"${n}"`).join(', ')}; its tables are ${[...known].join(', ')}`,
        'omit',
      ),
    );
  const left = new Set(names);
  return { ...report, tables: report.tables.filter((t) => !left.has(t.name)) };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const REPORT_PROBLEMS: Record<string, ProblemCode> = {
  report_kind_unknown: 'report_kind_unknown',
  report_not_available: 'report_not_available',
  report_date_invalid: 'report_date_invalid',
  report_month_not_closed: 'report_month_not_closed',
  report_day_not_closed: 'report_day_not_closed',
  report_scenario_unsupported: 'report_scenario_unsupported',
  report_scenario_unknown: 'report_scenario_unknown',
  report_grouping_unsupported: 'report_grouping_unsupported',
  report_cell_not_found: 'report_cell_not_found',
  report_table_unknown: 'report_table_unknown',
  report_not_month_end: 'report_not_month_end',
  ecl_posting_out_of_order: 'ecl_posting_out_of_order',
  class_override_loan_not_found: 'class_override_loan_not_found',
  class_override_below_floor: 'class_override_below_floor',
  class_override_exists: 'class_override_exists',
  class_override_not_found: 'class_override_not_found',
  class_override_decided: 'class_override_decided',
  class_override_by_proposer: 'class_override_by_proposer',
};

function reportProblem(error: unknown): unknown {
  if (!(error instanceof ReportError) && !(error instanceof ClassOverrideError)) return error;
  const code = REPORT_PROBLEMS[error.code] ?? 'conflict';
  const field = error instanceof ReportError ? error.field : undefined;
  const path =
    field === 'kind'
      ? '/path/kind'
      : field === 'monthEnd'
        ? '/body/monthEnd'
        : field === undefined
          ? '/query'
          : `/query/${field}`;
  const zh = REPORT_REFUSALS_ZH[error.code];
  const text = say(REPORT_MESSAGES, 'report_refused', {
    en_fault: error.message,
    zh_fault: zh === undefined ? error.message : fill(zh, { kinds: REPORT_KINDS.join(', ') }),
  });
  return new ProblemError(code, text, [fieldProblem(path, text)]);
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw reportProblem(error);
  }
}

const LAB_DIR = fileURLToPath(new URL('../../../policies/simulation/', import.meta.url));

/** A shipped strategy-lab document by id (policies/simulation/<kind>-<id>.json), or a 400. */
function labDocument(kind: 'population' | 'strategy', id: string): string {
  const path = `${LAB_DIR}${kind}-${id}.json`;
  if (existsSync(path)) return path;
  const text = say(REPORT_MESSAGES, 'simulate_document_unknown', { field: kind, id });
  throw new ProblemError('validation_failed', text, [fieldProblem(`/query/${kind}`, text)]);
}

/**
 * `GET /reports/stress?simulate=true`: the simulator's arguments (shipped documents only, the sizes capped by
 * the schema); run on one worker thread so that the server goes on answering.
 */
function stressSimulationOf(
  kind: string,
  q: {
    simulate: boolean;
    population?: string;
    strategy?: string;
    borrowers: number;
    months: number;
    seed: number;
  },
): StressSimulation | undefined {
  if (!q.simulate) {
    const stray = (['population', 'strategy'] as const).find((f) => q[f] !== undefined);
    if (stray === undefined) return undefined;
    const text = say(REPORT_MESSAGES, 'simulate_options_without_simulate', { field: stray });
    throw new ProblemError('validation_failed', text, [fieldProblem(`/query/${stray}`, text)]);
  }
  if (kind !== 'stress') {
    const text = say(REPORT_MESSAGES, 'simulate_stress_only', { kind });
    throw new ProblemError('validation_failed', text, [fieldProblem('/query/simulate', text)]);
  }
  return {
    ...(q.population === undefined ? {} : { population: labDocument('population', q.population) }),
    strategy: labDocument('strategy', q.strategy ?? 'default'),
    borrowers: q.borrowers,
    months: q.months,
    seed: q.seed,
    workers: 1,
  };
}

function monthEndOf(text: string, path = '/body/monthEnd'): Day {
  try {
    return parseDate(text, 'monthEnd');
  } catch {
    throw new ProblemError('validation_failed', say(REPORT_MESSAGES, 'month_end_not_a_date', { text }), [
      fieldProblem(path, say(REPORT_MESSAGES, 'not_a_date')),
    ]);
  }
}

function dayOf(text: string, name: 'from' | 'to'): Day {
  try {
    return parseDate(text, name);
  } catch {
    throw new ProblemError('validation_failed', say(REPORT_MESSAGES, 'day_not_a_date', { name, text }), [
      fieldProblem(`/query/${name}`, say(REPORT_MESSAGES, 'not_a_date')),
    ]);
  }
}

function presentOverride(o: StoredClassOverride) {
  return {
    overrideId: o.overrideId,
    loanId: o.loanId,
    monthEnd: formatDate(o.monthEnd),
    assetClass: o.assetClass,
    rulesClass: o.rulesClass,
    reason: o.reason,
    status: o.status,
    proposedBy: o.proposedBy,
    decidedBy: o.decidedBy,
    decisionNote: o.decisionNote,
  };
}

export async function reportRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  /** The lender's ECL settings (validated at start) with the scenario pack, read afresh for each request. */
  const context = () => ({ ecl: eclRunOptions(deps.config.eclSettings) });
  app.get<{
    Params: { kind: string };
    Querystring: {
      asOf: string;
      scenario?: string;
      by?: string;
      format: 'json' | 'xlsx';
      omit?: string;
      simulate: boolean;
      population?: string;
      strategy?: string;
      borrowers: number;
      months: number;
      seed: number;
    };
  }>(
    '/reports/:kind',
    {
      config: { permission: 'reports.read' },
      schema: {
        ...common,
        summary:
          'A month-end report (classification, npl, roll-rates, vintage, recovery …) as data, or as an Excel workbook with ?format=xlsx',
        params: reportKindParam,
        querystring: reportQuery,
        response: {
          200: {
            description: 'The report; with ?format=xlsx an Excel workbook of the same figures',
            content: {
              'application/json': { schema: reportSchema },
              [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { asOf, scenario, by, format, omit } = request.query;
      const simulation = stressSimulationOf(request.params.kind, request.query);
      const report = await guarded(() =>
        loadReport(
          deps.db,
          request.params.kind,
          {
            asOf,
            ...(scenario === undefined ? {} : { scenario }),
            ...(by === undefined ? {} : { by }),
          },
          undefined,
          simulation === undefined ? context() : { ...context(), stressSimulation: simulation },
        ),
      );
      const chosen = omit === undefined ? report : withoutTables(report, omit.split(','));
      if (format === 'xlsx') {
        const body = await reportXlsxBuffer(chosen);
        return reply
          .type(XLSX_TYPE)
          .header('content-disposition', `attachment; filename="${report.kind}-${report.asOf}.xlsx"`)
          .send(body);
      }
      // A piece at a time: the text of a report of many rows (the ECL's row per exposure of a large book)
      // can pass the longest string this process can hold.
      return reply.type('application/json').send(Readable.from(stringifyChunked(chosen)));
    },
  );

  app.get<{ Querystring: { asOf: string; format: 'html' | 'pdf'; locale: 'zh-CN' | 'en' } }>(
    '/reports/monthly-risk',
    {
      config: { permission: 'reports.read' },
      schema: {
        ...common,
        summary:
          'The monthly risk report of a month end (portfolio, classification and NPL, roll rates, vintages, ECL, stress, liquidity) as HTML or PDF',
        querystring: riskReportQuery,
        response: {
          200: {
            description: 'The report as one self-contained HTML file, or with ?format=pdf as a PDF',
            content: {
              'text/html': { schema: { type: 'string' } },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { asOf, format, locale } = request.query;
      const doc = await guarded(() => loadRiskReport(deps.db, asOf, locale, undefined, context()));
      if (format === 'pdf') {
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="risk-report-${doc.asOf}-${locale}.pdf"`)
          .send(await riskReportPdf(doc));
      }
      return reply.type('text/html; charset=utf-8').send(riskReportHtml(doc));
    },
  );

  app.get<{
    Params: { kind: string };
    Querystring: {
      asOf: string;
      scenario?: string;
      by?: string;
      table: string;
      row: string;
      column: string;
    };
  }>(
    '/reports/:kind/cell',
    {
      config: { permission: 'reports.read' },
      schema: {
        ...common,
        summary: 'The loans behind one figure of a report (drill-down): its table, row key and column key',
        params: reportKindParam,
        querystring: reportCellQuery,
        response: { 200: cellLoansSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { asOf, scenario, by, table, row, column } = request.query;
      const ids = await guarded(() =>
        loadReportCell(
          deps.db,
          request.params.kind,
          {
            asOf,
            ...(scenario === undefined ? {} : { scenario }),
            ...(by === undefined ? {} : { by }),
          },
          { table, row, column },
        ),
      );
      return {
        kind: request.params.kind,
        asOf,
        table,
        row,
        column,
        loans: ids.length,
        loanIds: ids.slice(0, CELL_LOANS_MAX),
        truncated: ids.length > CELL_LOANS_MAX,
      };
    },
  );

  app.post<{ Body: { monthEnd: string } }>(
    '/reports/ecl/postings',
    {
      config: { permission: 'reports.ecl.post' },
      schema: {
        ...common,
        summary:
          'Post the month-end ECL (减值准备计提): measure the closed month end, store the run the next month rolls forward from, and book the loss allowance to it; once a month',
        headers: idempotencyHeader,
        body: eclPostingBody,
        response: { 200: eclPostingSchema, 201: eclPostingSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const monthEnd = monthEndOf(request.body.monthEnd);
      await guarded(() => eclPostingMonthEnd(deps.db, monthEnd));
      // The measurement reads the whole book: made before the write's transaction, and only when needed.
      const unposted = (await findEclPosting(deps.db, monthEnd)) === null;
      if (unposted) await guarded(() => refuseEarlierThanPosted(deps.db, monthEnd));
      const run = unposted
        ? await guarded(() => computeEcl(deps.db, monthEnd, context().ecl, loadEclBookAsOf))
        : null;
      return commitWrite(deps, request, reply, async (tx) => {
        const posted = await findEclPosting(tx, monthEnd);
        const result: EclPostingResult =
          run === null || posted !== null
            ? { monthEnd, alreadyPosted: true, posting: posted!, rollForward: null }
            : await guarded(() => writeMonthEndEcl(tx, run));
        const body = await eclPostingView(tx, result.posting, result.alreadyPosted);
        const location = `/reports/ecl/postings/${body.monthEnd}`;
        if (result.alreadyPosted) return { status: 200, body, location, audit: [] };
        return { status: 201, body, location, audit: [eclPostingAudit(result)] };
      });
    },
  );

  app.get(
    '/reports/ecl/postings',
    {
      config: { permission: 'reports.read' },
      schema: {
        ...common,
        summary: 'The month ends whose ECL has been posted, newest first, with their figures',
        response: { 200: eclPostingListSchema, ...problemResponses },
      },
    },
    async () => {
      const postings = await listEclPostings(deps.db, ECL_POSTINGS_LIST_MAX);
      const items = [];
      for (const p of postings) items.push(await eclPostingSummary(deps.db, p, true));
      return { items };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/reports/funding-outflows',
    {
      config: { permission: 'reports.read' },
      schema: {
        ...common,
        summary:
          'The funding outflows stored for the liquidity report, by day (the report uses those after its month end within its horizon)',
        querystring: fundingOutflowsQuery,
        response: { 200: fundingOutflowListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const range = {
        ...(from === undefined ? {} : { from: dayOf(from, 'from') }),
        ...(to === undefined ? {} : { to: dayOf(to, 'to') }),
      };
      const rows = await listStoredFundingOutflows(deps.db, range, FUNDING_OUTFLOWS_LIST_MAX + 1);
      return {
        items: rows.slice(0, FUNDING_OUTFLOWS_LIST_MAX).map((r) => ({
          outflowId: r.outflowId,
          day: formatDate(r.day),
          amount: formatMinor(r.amountMinor),
          label: r.label,
          enteredBy: r.createdBy,
        })),
        truncated: rows.length > FUNDING_OUTFLOWS_LIST_MAX,
      };
    },
  );

  app.post<{ Body: { outflows: { day: string; amount: string; label: string }[] } }>(
    '/reports/funding-outflows',
    {
      config: { permission: 'reports.funding' },
      schema: {
        ...common,
        summary:
          'Enter funding outflows (资金流出) for the liquidity report: every row is checked first, and a bad one writes nothing',
        headers: idempotencyHeader,
        body: fundingOutflowsBody,
        response: { 201: fundingOutflowsSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const userId = request.principal!.userId;
      let rows: ReturnType<typeof readFundingOutflows>;
      try {
        rows = readFundingOutflows(JSON.stringify(request.body.outflows), 'json');
      } catch (error) {
        if (!(error instanceof ReportInputError)) throw error;
        const row = /funding outflow (\d+)/.exec(error.message)?.[1];
        const text = say(REPORT_MESSAGES, 'funding_outflows_invalid', { fault: error.message });
        throw new ProblemError('funding_outflows_invalid', text, [
          fieldProblem(row === undefined ? '/body/outflows' : `/body/outflows/${Number(row) - 1}`, text),
        ]);
      }
      return commitWrite(deps, request, reply, async (tx) => {
        const stored = await writeFundingOutflows(tx, rows, userId);
        return {
          status: 201,
          body: { stored },
          audit: [
            {
              action: 'funding.import',
              resourceType: 'funding_outflows',
              resourceId: null,
              customerId: null,
              details: { outflows: stored },
            },
          ],
        };
      });
    },
  );

  app.get<{ Params: { monthEnd: string } }>(
    '/reports/ecl/postings/:monthEnd',
    {
      config: { permission: 'reports.read' },
      schema: {
        ...common,
        summary: "A month end's ECL posting: the allowance before and after, the write-offs used, the charge",
        params: eclPostingParam,
        response: { 200: eclPostingSchema, ...problemResponses },
      },
    },
    async (request) => {
      const monthEnd = monthEndOf(request.params.monthEnd, '/path/monthEnd');
      const posting = await findEclPosting(deps.db, monthEnd);
      if (posting === null) {
        throw new ProblemError(
          'ecl_posting_not_found',
          say(REPORT_MESSAGES, 'ecl_posting_not_found', { monthEnd: formatDate(monthEnd) }),
        );
      }
      return eclPostingView(deps.db, posting, true);
    },
  );

  app.post<{ Body: { loanId: string; monthEnd: string; assetClass: AssetClass; reason: string } }>(
    '/reports/classification/overrides',
    {
      config: { permission: 'reports.classify' },
      schema: {
        ...common,
        summary:
          'Propose a manual five-category class (人工认定) for a loan at a month end, with the reason; a second person decides',
        headers: idempotencyHeader,
        body: overrideBody,
        response: { 201: overrideSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const userId = request.principal!.userId;
      const monthEnd = monthEndOf(request.body.monthEnd);
      return commitWrite(deps, request, reply, async (tx) => {
        const o = await guarded(() =>
          proposeClassOverrideIn(tx, userId, {
            loanId: request.body.loanId,
            monthEnd,
            assetClass: request.body.assetClass,
            reason: request.body.reason,
          }),
        );
        return { status: 201, body: presentOverride(o), audit: [overrideAudit('propose', o)] };
      });
    },
  );

  app.post<{ Params: { overrideId: string }; Body: { decision: 'approve' | 'reject'; note?: string } }>(
    '/reports/classification/overrides/:overrideId/decision',
    {
      config: { permission: 'reports.classify.approve' },
      schema: {
        ...common,
        summary: 'Approve or reject a proposed manual class (never one’s own)',
        headers: idempotencyHeader,
        params: idParam('overrideId', 'The override id from the proposal'),
        body: decisionBody,
        response: { 200: overrideSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const userId = request.principal!.userId;
      return commitWrite(deps, request, reply, async (tx) => {
        const o = await guarded(() =>
          decideClassOverrideIn(
            tx,
            userId,
            request.params.overrideId,
            request.body.decision,
            request.body.note ?? null,
          ),
        );
        return { status: 200, body: presentOverride(o), audit: [overrideAudit(request.body.decision, o)] };
      });
    },
  );
}
