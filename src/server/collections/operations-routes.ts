import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ASSESSMENT_VERDICTS,
  type AssessmentVerdict,
  compareArms,
  HARDSHIP_CAUSES,
  type HardshipCause,
  negotiationOffer,
  ratio4,
  type StrategyArm,
  StrategyError,
} from '../../collections/index.js';
import { BUCKETS, type Bucket } from '../../ledger/index.js';
import { addDays, formatDate, formatMinor, MoneyInputError, parseDate } from '../../money/index.js';
import {
  addEvidence,
  agencyResults,
  allocateOpenCases,
  approveStrategy,
  armCaseResults,
  collectorFigures,
  draftStrategy,
  type EvidenceInput,
  findAgency,
  findCase,
  findUser,
  getBusinessDay,
  ID_PATTERN,
  listEvidence,
  listLoans,
  listStrategyVersions,
  listTeams,
  overrideAssessment,
  placeCase,
  type Queryable,
  recallCase,
  rollAndCure,
  type StoredCase,
  type StoredStrategyVersion,
  StrategyVersionError,
  saveAgency,
  saveTeam,
  strategyDocument,
  worklist,
} from '../../store/index.js';
import { amountProblem, readAmount } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { documentIssueZh } from '../http/document-issues.js';
import { engineRefusal } from '../http/engine-refusals.js';
import { say } from '../http/messages.js';
import { type FieldProblem, fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { bearerSecurity, idempotencyHeader, idParam, problemResponses } from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { assessmentWeightsRoutes } from './assessment-weights-routes.js';
import { caseClosed, caseNotFound, inAgencyScope } from './legal-messages.js';
import { COLLECTIONS_MESSAGES, STRATEGY_REFUSALS_ZH } from './messages.js';
import { presentAssessment, presentCase } from './presenters.js';
import { assessmentSchema, caseSchema } from './schemas.js';
import { worklistWorkbook } from './worklist-export.js';

const tags = ['collections'];
const caseParams = idParam('caseId', 'Collection case id');
const AMOUNT = { type: 'string', description: 'yuan, e.g. "1234.56"' } as const;
/** Names a lender chooses (team, agency, strategy version): lower-case letters, digits, - and _. */
const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]{0,39}$';
const slugParam = (name: string, description: string) =>
  ({
    type: 'object',
    required: [name],
    additionalProperties: false,
    properties: { [name]: { type: 'string', pattern: SLUG_PATTERN, description } },
  }) as const;
/** Cases on one work list page (a named bound). */
const WORKLIST_LIMIT_MAX = 500;
/** Days a results window reaches back by default. */
const RESULTS_WINDOW_DAYS_DEFAULT = 90;

const strategyVersionSchema = {
  type: 'object',
  properties: {
    version: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published', 'retired', 'rejected'] },
    arm: { type: ['string', 'null'], enum: ['champion', 'challenger', null] },
    challengerShare_bp: { type: ['integer', 'null'] },
    documentHash: { type: 'string' },
    note: { type: ['string', 'null'] },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    approvedBy: { type: ['string', 'null'] },
  },
} as const;

const armSchema = {
  type: 'object',
  properties: {
    arm: { type: 'string' },
    cases: { type: 'integer' },
    cured: { type: 'integer' },
    cureRate: { type: ['string', 'null'] },
    recovered: AMOUNT,
    openingOverdue: AMOUNT,
    recoveryRate: { type: ['string', 'null'] },
    promisesKept: { type: 'integer' },
    promisesDecided: { type: 'integer' },
    promiseKeptRate: { type: ['string', 'null'] },
  },
} as const;

const evidenceSchema = {
  type: 'object',
  properties: {
    evidenceId: { type: 'string' },
    caseId: { type: 'string' },
    kind: { type: 'string' },
    cause: { type: ['string', 'null'] },
    amount: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    date: { type: 'string' },
    actor: { type: 'string' },
  },
} as const;

const teamSchema = {
  type: 'object',
  properties: {
    teamId: { type: 'string' },
    name: { type: 'string' },
    buckets: { type: 'array', items: { type: 'string' } },
    lead: { type: ['string', 'null'] },
    members: {
      type: 'array',
      items: { type: 'object', properties: { userId: { type: 'string' }, capacity: { type: 'integer' } } },
    },
  },
} as const;

const worklistItemSchema = {
  type: 'object',
  properties: { ...caseSchema.properties, nextPromiseDate: { type: ['string', 'null'], format: 'date' } },
} as const;

function presentVersion(v: StoredStrategyVersion) {
  return { ...v };
}

function strategyProblem(error: unknown): never {
  if (error instanceof StrategyError)
    throw new ProblemError(
      'strategy_invalid',
      say(COLLECTIONS_MESSAGES, 'strategy_invalid', {
        en_fault: error.message,
        zh_fault: STRATEGY_REFUSALS_ZH[error.code],
      }),
      error.issues.map((i) =>
        fieldProblem(
          `/body/graph${i.path.replace(/^strategy/, '').replace(/\./g, '/')}`,
          say(COLLECTIONS_MESSAGES, 'strategy_issue', {
            en_fault: i.message,
            zh_fault: documentIssueZh(i.message) ?? i.message,
          }),
        ),
      ),
    );
  if (error instanceof StrategyVersionError) {
    const text = say(COLLECTIONS_MESSAGES, 'strategy_refused', {
      en_fault: error.message,
      zh_fault: STRATEGY_REFUSALS_ZH[error.code],
    });
    if (error.code === 'strategy_not_found') throw new ProblemError('strategy_not_found', text);
    if (error.code === 'strategy_not_draft') throw new ProblemError('strategy_status_conflict', text);
    if (error.code === 'strategy_own_draft') throw new ProblemError('approval_by_author', text);
    throw validationProblem([fieldProblem('/body/challengerShare_bp', text)]);
  }
  throw error;
}

async function caseOr404(q: Queryable, caseId: string, forUpdate = false): Promise<StoredCase> {
  const kase = await findCase(q, caseId, forUpdate);
  if (kase === undefined) throw caseNotFound(caseId);
  return kase;
}

function openOr409(kase: StoredCase): StoredCase {
  if (kase.status !== 'open') throw caseClosed(kase, 'case_closed_on');
  return kase;
}

type AdminOnly =
  | 'admin_sets_teams'
  | 'admin_allocates'
  | 'admin_registers_agencies'
  | 'admin_places'
  | 'admin_recalls';

function adminOnly(request: FastifyRequest, what: AdminOnly): void {
  if (request.principal?.role !== 'admin')
    throw new ProblemError('forbidden', say(COLLECTIONS_MESSAGES, what));
}

/** A window that starts after the business day has seen nothing yet: its zeros would read as figures. */
function refuseFromAhead(from: number, today: number): void {
  if (from <= today) return;
  const text = say(COLLECTIONS_MESSAGES, 'team_view_from_ahead', {
    from: formatDate(from),
    businessDay: formatDate(today),
  });
  throw new ProblemError('date_out_of_range', text, [fieldProblem('/query/from', text)]);
}

function dayParam(value: string | undefined, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  try {
    return parseDate(value, path);
  } catch (error) {
    if (error instanceof MoneyInputError)
      throw validationProblem([fieldProblem(path, engineRefusal(error.code, error.message))]);
    throw error;
  }
}

/**
 * Whose work list a user may read: their own; an admin, risk analyst or auditor anyone's; a team lead the
 * lists of their team's members.
 */
async function mayReadList(q: Queryable, request: FastifyRequest, assignee: string): Promise<boolean> {
  const p = request.principal!;
  if (p.userId === assignee || p.role !== 'collector') return true;
  const teams = await listTeams(q);
  return teams.some((t) => t.lead === p.userId && t.members.some((m) => m.userId === assignee));
}

/** 催收 operations: strategies, assessment and negotiation, allocation and work lists, agencies, results. */
export async function collectionOperationsRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await assessmentWeightsRoutes(app, deps);
  // ---------------------------------------------------------------- strategies (maker-checker)
  app.get(
    '/collections/strategies',
    {
      config: { permission: 'policies.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Collection strategy versions, newest first, with their maker-checker trail and arm',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: strategyVersionSchema } } },
          ...problemResponses,
        },
      },
    },
    async () => ({ items: (await listStrategyVersions(deps.db)).map(presentVersion) }),
  );

  app.get<{ Params: { version: string } }>(
    '/collections/strategies/:version/graph',
    {
      config: { permission: 'policies.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'A strategy version’s GoRules graph ("shipped" = the default strategy)',
        params: slugParam('version', 'Strategy version, or "shipped"'),
        response: { 200: { type: 'object', additionalProperties: true }, ...problemResponses },
      },
    },
    async (request) => {
      const doc = await strategyDocument(deps.db, request.params.version);
      if (doc === undefined)
        throw new ProblemError(
          'strategy_not_found',
          say(COLLECTIONS_MESSAGES, 'strategy_not_found', { version: request.params.version }),
        );
      return doc;
    },
  );

  app.post<{ Body: { graph: unknown; note?: string } }>(
    '/collections/strategies',
    {
      config: { permission: 'policies.draft' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Draft a strategy version: a GoRules graph checked before it is stored',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['graph'],
          additionalProperties: false,
          properties: {
            graph: { type: 'object', additionalProperties: true },
            note: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 201: strategyVersionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: StoredStrategyVersion;
        try {
          v = await draftStrategy(
            tx,
            request.body.graph,
            request.principal!.userId,
            request.body.note ?? null,
          );
        } catch (error) {
          strategyProblem(error);
        }
        return {
          status: 201,
          body: presentVersion(v),
          audit: [
            {
              action: 'collection.strategy_draft',
              resourceType: 'collection_strategy',
              customerId: null,
              resourceId: v.version,
              details: { documentHash: v.documentHash },
            },
          ],
        };
      }),
  );

  app.post<{ Params: { version: string }; Body: { arm: StrategyArm; challengerShare_bp?: number } }>(
    '/collections/strategies/:version/approve',
    {
      config: { permission: 'policies.approve' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Approve a draft as the champion, or as the challenger with its share of cases (basis points); never one’s own',
        params: slugParam('version', 'Strategy version'),
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['arm'],
          additionalProperties: false,
          properties: {
            arm: { type: 'string', enum: ['champion', 'challenger'] },
            challengerShare_bp: { type: 'integer', minimum: 0, maximum: 10_000 },
          },
        },
        response: { 200: strategyVersionSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        let v: StoredStrategyVersion;
        try {
          v = await approveStrategy(
            tx,
            request.params.version,
            request.principal!.userId,
            request.body.arm,
            request.body.challengerShare_bp ?? null,
          );
        } catch (error) {
          strategyProblem(error);
        }
        return {
          status: 200,
          body: presentVersion(v),
          audit: [
            {
              action: 'collection.strategy_approve',
              resourceType: 'collection_strategy',
              customerId: null,
              resourceId: v.version,
              details: { arm: v.arm, challengerShare_bp: v.challengerShare_bp },
            },
          ],
        };
      }),
  );

  app.get<{ Querystring: { from?: string } }>(
    '/collections/strategies/results',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Champion against challenger: cure rate, amounts recovered and promises kept per arm',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: {
              type: 'string',
              maxLength: 10,
              description: 'Cases opened from this date (default 90 days back)',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { from: { type: 'string' }, arms: { type: 'array', items: armSchema } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const today = await getBusinessDay(deps.db);
      const from = dayParam(request.query.from, '/query/from', addDays(today, -RESULTS_WINDOW_DAYS_DEFAULT));
      refuseFromAhead(from, today);
      const arms = compareArms(await armCaseResults(deps.db, from));
      return {
        from: request.query.from ?? formatDate(from),
        arms: arms.map((a) => ({
          arm: a.arm,
          cases: a.cases,
          cured: a.cured,
          cureRate: a.cureRate,
          recovered: formatMinor(a.recoveredMinor),
          openingOverdue: formatMinor(a.openingOverdueMinor),
          recoveryRate: a.recoveryRate,
          promisesKept: a.promisesKept,
          promisesDecided: a.promisesDecided,
          promiseKeptRate: a.promiseKeptRate,
        })),
      };
    },
  );

  // ---------------------------------------------------------------- evidence, assessment, negotiation
  app.get<{ Params: { caseId: string } }>(
    '/collections/cases/:caseId/assessment',
    {
      config: { permission: 'collections.placed.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Ability or willingness: the assessment with its reasons, the override and the evidence',
        params: caseParams,
        response: {
          200: {
            type: 'object',
            properties: {
              caseId: { type: 'string' },
              verdict: { type: 'string' },
              assessment: assessmentSchema,
              assessmentOverride: caseSchema.properties.assessmentOverride,
              evidence: { type: 'array', items: evidenceSchema },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const kase = inAgencyScope(request.principal!, await caseOr404(deps.db, request.params.caseId));
      const shown = presentCase(kase);
      return {
        caseId: kase.caseId,
        verdict: shown.verdict,
        assessment: presentAssessment(kase.assessment),
        assessmentOverride: kase.assessmentOverride,
        evidence: (await listEvidence(deps.db, kase.caseId)).map(presentEvidence),
      };
    },
  );

  app.post<{
    Params: { caseId: string };
    Body: { kind: 'hardship' | 'income' | 'evasion'; cause?: HardshipCause; amount?: string; note?: string };
  }>(
    '/collections/cases/:caseId/evidence',
    {
      config: { permission: 'collections.placed.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Record evidence: a hardship application (with its cause), verified monthly income, or a sign of evasion; the next refresh reads it',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['kind'],
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['hardship', 'income', 'evasion'] },
            cause: { type: 'string', enum: [...HARDSHIP_CAUSES] },
            amount: { ...AMOUNT, maxLength: 24, description: 'income: verified monthly income, yuan' },
            note: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 201: evidenceSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      let input: EvidenceInput;
      if (b.kind === 'hardship') {
        if (b.cause === undefined)
          throw validationProblem([
            fieldProblem(
              '/body/cause',
              say(COLLECTIONS_MESSAGES, 'hardship_cause', { causes: HARDSHIP_CAUSES.join(', ') }),
            ),
          ]);
        input = { kind: 'hardship', cause: b.cause, note: b.note ?? null };
      } else if (b.kind === 'income') {
        const amount = b.amount === undefined ? undefined : readAmount(b.amount, deps.config.amount_max_fen);
        if (amount === undefined || !amount.ok)
          throw new ProblemError('amount_invalid', say(COLLECTIONS_MESSAGES, 'income_needs_amount'), [
            fieldProblem(
              '/body/amount',
              amount === undefined ? say(COLLECTIONS_MESSAGES, 'required_for_income') : amount.text,
            ),
          ]);
        input = { kind: 'income', amountMinor: amount.fen, note: b.note ?? null };
      } else {
        if (b.note === undefined)
          throw validationProblem([fieldProblem('/body/note', say(COLLECTIONS_MESSAGES, 'evasion_note'))]);
        input = { kind: 'evasion', note: b.note };
      }
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = openOr409(
          inAgencyScope(request.principal!, await caseOr404(tx, request.params.caseId, true)),
        );
        const e = await addEvidence(
          tx,
          kase.caseId,
          input,
          await getBusinessDay(tx),
          request.principal!.userId,
        );
        return {
          status: 201,
          body: presentEvidence(e),
          audit: [
            {
              action: 'collection.evidence',
              resourceType: 'collection_case',
              resourceId: kase.caseId,
              customerId: kase.customerId,
              details: { kind: e.kind, cause: e.cause },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { caseId: string }; Body: { verdict: AssessmentVerdict | null; note: string } }>(
    '/collections/cases/:caseId/assessment-override',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Override the assessment with a note (audited); a null verdict returns to the assessment',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['verdict', 'note'],
          additionalProperties: false,
          properties: {
            verdict: { type: ['string', 'null'], enum: [...ASSESSMENT_VERDICTS, null] },
            note: { type: 'string', minLength: 5, maxLength: 500 },
          },
        },
        response: { 200: caseSchema, ...problemResponses },
      },
    },
    async (request, reply) =>
      commitWrite(deps, request, reply, async (tx) => {
        const kase = openOr409(await caseOr404(tx, request.params.caseId, true));
        const updated = await overrideAssessment(
          tx,
          kase.caseId,
          request.body.verdict,
          request.body.note,
          request.principal!.userId,
          await getBusinessDay(tx),
        );
        return {
          status: 200,
          body: presentCase(updated),
          audit: [
            {
              action: 'collection.assessment_override',
              resourceType: 'collection_case',
              resourceId: kase.caseId,
              customerId: kase.customerId,
              details: {
                from: kase.assessment?.verdict ?? null,
                to: request.body.verdict,
                note: request.body.note,
              },
            },
          ],
        };
      }),
  );

  app.get<{ Params: { caseId: string }; Querystring: { monthlyIncome?: string } }>(
    '/collections/cases/:caseId/negotiation-offer',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          '协商分期 offer: per loan past due, the shortest negotiated plan the borrower can afford, previewed by the ledger (nothing is written)',
        params: caseParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            monthlyIncome: { ...AMOUNT, maxLength: 24, description: 'default: the latest income evidence' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              caseId: { type: 'string' },
              monthlyIncome: AMOUNT,
              totalInstallment: AMOUNT,
              loans: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    loanId: { type: 'string' },
                    months: { type: ['integer', 'null'] },
                    installment: { type: ['string', 'null'] },
                    forgiven: AMOUNT,
                    refusal: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const kase = openOr409(await caseOr404(deps.db, request.params.caseId));
      let income: number | undefined;
      if (request.query.monthlyIncome !== undefined) {
        const a = readAmount(request.query.monthlyIncome, deps.config.amount_max_fen);
        if (!a.ok) throw amountProblem('monthlyIncome', '/query/monthlyIncome', a.text);
        // No income affords no plan: said here, not as each loan's refusal in the ledger's own terms.
        if (a.fen === 0) {
          throw amountProblem(
            'monthlyIncome',
            '/query/monthlyIncome',
            engineRefusal('amount_zero', 'must be above 0.00; send the amount in yuan, e.g. "100.00"'),
          );
        }
        income = a.fen;
      } else {
        const latest = (await listEvidence(deps.db, kase.caseId)).filter((e) => e.kind === 'income').at(-1);
        income = latest?.amountMinor ?? undefined;
      }
      if (income === undefined)
        throw validationProblem([
          fieldProblem('/query/monthlyIncome', say(COLLECTIONS_MESSAGES, 'no_income_evidence')),
        ]);
      const loans = await listLoans(deps.db, { customerId: kase.customerId, status: 'active' }, null, 100);
      const offer = negotiationOffer(
        loans.map((l) => l.state),
        income,
        await getBusinessDay(deps.db),
        deps.config.restructuringPolicy,
      );
      return {
        caseId: kase.caseId,
        monthlyIncome: formatMinor(offer.monthlyIncomeMinor),
        totalInstallment: formatMinor(offer.totalInstallmentMinor),
        loans: offer.loans.map((o) => ({
          loanId: o.loanId,
          months: o.months,
          installment: o.installmentMinor === null ? null : formatMinor(o.installmentMinor),
          forgiven: formatMinor(o.forgivenMinor),
          refusal: o.refusal,
        })),
      };
    },
  );

  // ---------------------------------------------------------------- teams, allocation, work lists
  app.get(
    '/collections/teams',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Teams: buckets worked, lead, collectors and capacity',
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: teamSchema } } },
          ...problemResponses,
        },
      },
    },
    async () => ({ items: await listTeams(deps.db) }),
  );

  app.put<{
    Params: { teamId: string };
    Body: {
      name: string;
      buckets: Bucket[];
      lead?: string | null;
      members: { userId: string; capacity: number }[];
    };
  }>(
    '/collections/teams/:teamId',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Set a team (admin): the buckets it works, its lead, its collectors with their capacity',
        params: slugParam('teamId', 'Team id, e.g. early'),
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['name', 'buckets', 'members'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            buckets: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: BUCKETS.filter((b) => b !== 'M0') },
            },
            lead: { type: ['string', 'null'], pattern: ID_PATTERN },
            members: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['userId', 'capacity'],
                additionalProperties: false,
                properties: {
                  userId: { type: 'string', pattern: ID_PATTERN },
                  capacity: { type: 'integer', minimum: 0, maximum: 100_000 },
                },
              },
            },
          },
        },
        response: { 200: teamSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      adminOnly(request, 'admin_sets_teams');
      const b = request.body;
      return commitWrite(deps, request, reply, async (tx) => {
        const others = (await listTeams(tx)).filter((t) => t.teamId !== request.params.teamId);
        const problems: FieldProblem[] = [];
        b.buckets.forEach((bucket, i) => {
          const owner = others.find((t) => t.buckets.includes(bucket));
          if (owner !== undefined)
            problems.push(
              fieldProblem(
                `/body/buckets/${i}`,
                say(COLLECTIONS_MESSAGES, 'bucket_taken', { bucket, teamId: owner.teamId }),
              ),
            );
        });
        for (const [i, m] of b.members.entries()) {
          const user = await findUser(tx, m.userId);
          if (user === undefined || (user.role !== 'collector' && user.role !== 'admin'))
            problems.push(
              fieldProblem(`/body/members/${i}/userId`, say(COLLECTIONS_MESSAGES, 'not_a_collector')),
            );
        }
        if (problems.length > 0) throw validationProblem(problems);
        const team = await saveTeam(tx, {
          teamId: request.params.teamId,
          name: b.name,
          buckets: b.buckets,
          lead: b.lead ?? null,
          members: b.members,
        });
        return {
          status: 200,
          body: team,
          audit: [
            {
              action: 'collection.team_set',
              resourceType: 'collection_team',
              customerId: null,
              resourceId: team.teamId,
              details: { ...b },
            },
          ],
        };
      });
    },
  );

  app.post(
    '/collections/allocations',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Allocate the open cases (admin): teams by bucket, capacity per collector, balanced by count and amount, highest priority first',
        headers: idempotencyHeader,
        response: {
          200: {
            type: 'object',
            properties: {
              changed: { type: 'integer' },
              kept: { type: 'integer' },
              unassigned: { type: 'integer' },
              loads: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    userId: { type: 'string' },
                    teamId: { type: 'string' },
                    capacity: { type: 'integer' },
                    cases: { type: 'integer' },
                    overdue: AMOUNT,
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      adminOnly(request, 'admin_allocates');
      return commitWrite(deps, request, reply, async (tx) => {
        const plan = await allocateOpenCases(tx, await getBusinessDay(tx));
        return {
          status: 200,
          body: {
            changed: plan.changes.length,
            kept: plan.kept,
            unassigned: plan.unassigned,
            loads: plan.loads.map((l) => ({
              userId: l.userId,
              teamId: l.teamId,
              capacity: l.capacity,
              cases: l.cases,
              overdue: formatMinor(l.overdueMinor),
            })),
          },
          audit: [
            {
              action: 'collection.allocate',
              resourceType: 'collection_allocation',
              customerId: null,
              resourceId: 'all',
              details: { changed: plan.changes.length, kept: plan.kept, unassigned: plan.unassigned },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { assignee?: string; limit?: number } }>(
    '/collections/worklist',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          "Today's list of a collector (default: oneself): promises due first, then actions due, then by priority (expected recovery)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            assignee: { type: 'string', pattern: ID_PATTERN },
            limit: { type: 'integer', minimum: 1, maximum: WORKLIST_LIMIT_MAX, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              assignee: { type: 'string' },
              date: { type: 'string' },
              items: { type: 'array', items: worklistItemSchema },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const assignee = request.query.assignee ?? request.principal!.userId;
      if (!(await mayReadList(deps.db, request, assignee)))
        throw new ProblemError('forbidden', say(COLLECTIONS_MESSAGES, 'worklist_own'));
      const day = await getBusinessDay(deps.db);
      const items = await worklist(deps.db, assignee, day, request.query.limit ?? 100);
      return {
        assignee,
        date: formatDate(day),
        items: items.map((i) => ({ ...presentCase(i.kase), nextPromiseDate: i.nextPromiseDay })),
      };
    },
  );

  app.get<{ Querystring: { assignee?: string; lang?: 'en' | 'zh-CN' } }>(
    '/collections/worklist/export',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: "A collector's list as an Excel workbook (.xlsx), in English or Chinese",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            assignee: { type: 'string', pattern: ID_PATTERN },
            lang: { type: 'string', enum: ['en', 'zh-CN'], default: 'en' },
          },
        },
        response: {
          200: { description: 'The workbook', type: 'string', format: 'binary' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const assignee = request.query.assignee ?? request.principal!.userId;
      if (!(await mayReadList(deps.db, request, assignee)))
        throw new ProblemError('forbidden', say(COLLECTIONS_MESSAGES, 'worklist_export_own'));
      const day = await getBusinessDay(deps.db);
      const items = await worklist(deps.db, assignee, day, WORKLIST_LIMIT_MAX);
      const buffer = await worklistWorkbook(items, formatDate(day), request.query.lang ?? 'en');
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="worklist-${assignee}-${formatDate(day)}.xlsx"`);
      return reply.send(buffer);
    },
  );

  // ---------------------------------------------------------------- agencies (委外)
  app.put<{ Params: { agencyId: string }; Body: { name: string; active?: boolean } }>(
    '/collections/agencies/:agencyId',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Register or change a collection agency (admin; the lender stays liable for its conduct)',
        params: slugParam('agencyId', 'Agency id'),
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, active: { type: 'boolean' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              agencyId: { type: 'string' },
              name: { type: 'string' },
              active: { type: 'boolean' },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      adminOnly(request, 'admin_registers_agencies');
      return commitWrite(deps, request, reply, async (tx) => {
        const active = request.body.active ?? true;
        await saveAgency(tx, request.params.agencyId, request.body.name, active);
        return {
          status: 200,
          body: { agencyId: request.params.agencyId, name: request.body.name, active },
          audit: [
            {
              action: 'collection.agency_set',
              resourceType: 'collection_agency',
              customerId: null,
              resourceId: request.params.agencyId,
              details: { ...request.body },
            },
          ],
        };
      });
    },
  );

  app.get(
    '/collections/agencies',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Agencies with their results: cases placed, still placed, and paid by the borrowers while placed',
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    agencyId: { type: 'string' },
                    name: { type: 'string' },
                    placed: { type: 'integer' },
                    active: { type: 'integer' },
                    recovered: AMOUNT,
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async () => ({
      items: (await agencyResults(deps.db)).map((a) => ({
        agencyId: a.agencyId,
        name: a.name,
        placed: a.placed,
        active: a.active,
        recovered: formatMinor(a.recoveredMinor),
      })),
    }),
  );

  const placementSchema = {
    type: 'object',
    properties: {
      placementId: { type: 'string' },
      caseId: { type: 'string' },
      agencyId: { type: 'string' },
      placedDate: { type: 'string' },
      recalledDate: { type: ['string', 'null'] },
      recallReason: { type: ['string', 'null'] },
      placeAgain: { type: 'boolean' },
      recovered: AMOUNT,
    },
  } as const;

  app.post<{ Params: { caseId: string }; Body: { agencyId: string } }>(
    '/collections/cases/:caseId/placement',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary: 'Place a case with an agency (委外, admin): it leaves the in-house lists until recalled',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['agencyId'],
          additionalProperties: false,
          properties: { agencyId: { type: 'string', pattern: SLUG_PATTERN } },
        },
        response: { 201: placementSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      adminOnly(request, 'admin_places');
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = openOr409(await caseOr404(tx, request.params.caseId, true));
        const agency = await findAgency(tx, request.body.agencyId);
        if (agency === undefined || !agency.active)
          throw new ProblemError(
            'agency_not_found',
            say(COLLECTIONS_MESSAGES, 'agency_not_found', { agencyId: request.body.agencyId }),
            [fieldProblem('/body/agencyId', say(COLLECTIONS_MESSAGES, 'not_an_active_agency'))],
          );
        if (kase.agencyId !== null)
          throw new ProblemError(
            'case_placement_conflict',
            say(COLLECTIONS_MESSAGES, 'case_placed', { caseId: kase.caseId, agencyId: kase.agencyId }),
          );
        const p = await placeCase(
          tx,
          kase,
          agency.agencyId,
          await getBusinessDay(tx),
          request.principal!.userId,
        );
        return {
          status: 201,
          body: presentPlacement(p),
          audit: [
            {
              action: 'collection.placement',
              resourceType: 'collection_case',
              resourceId: kase.caseId,
              customerId: kase.customerId,
              details: { agencyId: agency.agencyId },
            },
          ],
        };
      });
    },
  );

  app.post<{ Params: { caseId: string }; Body: { reason: string; placeAgain?: boolean } }>(
    '/collections/cases/:caseId/recall',
    {
      config: { permission: 'collections.work' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          'Recall a case from its agency (admin), recording what the borrower paid while it was placed',
        params: caseParams,
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', minLength: 1, maxLength: 500 },
            placeAgain: {
              type: 'boolean',
              default: false,
              description:
                "Recalled to move the case to another agency: the strategy's placement step places it again, not with this agency. Without it the case was taken back, and the step it is on does not place it again (decision 0912).",
            },
          },
        },
        response: { 200: placementSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      adminOnly(request, 'admin_recalls');
      return commitWrite(deps, request, reply, async (tx) => {
        const kase = await caseOr404(tx, request.params.caseId, true);
        const p = await recallCase(
          tx,
          kase,
          request.body.reason,
          await getBusinessDay(tx),
          request.principal!.userId,
          request.body.placeAgain === true,
        );
        if (p === undefined)
          throw new ProblemError(
            'case_placement_conflict',
            say(COLLECTIONS_MESSAGES, 'case_not_placed', { caseId: kase.caseId }),
          );
        return {
          status: 200,
          body: presentPlacement(p),
          audit: [
            {
              action: 'collection.recall',
              resourceType: 'collection_case',
              resourceId: kase.caseId,
              customerId: kase.customerId,
              details: {
                agencyId: p.agencyId,
                reason: request.body.reason,
                placeAgain: p.placeAgain,
                recovered: formatMinor(p.recoveredMinor),
              },
            },
          ],
        };
      });
    },
  );

  // ---------------------------------------------------------------- the team lead's view
  app.get<{ Querystring: { from?: string } }>(
    '/collections/team-view',
    {
      config: { permission: 'collections.read' },
      schema: {
        tags,
        security: bearerSecurity,
        summary:
          "The team lead's view: per collector and team — allocation, contact rate, promises and kept rate, cures, amounts recovered; roll and cure of the cases opened",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: { type: 'string', maxLength: 10 } },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...problemResponses },
      },
    },
    async (request) => {
      const today = await getBusinessDay(deps.db);
      const from = dayParam(request.query.from, '/query/from', addDays(today, -30));
      refuseFromAhead(from, today);
      const people = await collectorFigures(deps.db, from);
      const teams = await listTeams(deps.db);
      const p = request.principal!;
      // A collector sees their own figures, and a lead their team's.
      const ledTeams = new Set(teams.filter((t) => t.lead === p.userId).map((t) => t.teamId));
      const visible =
        p.role === 'collector'
          ? people.filter((x) => x.userId === p.userId || (x.teamId !== null && ledTeams.has(x.teamId)))
          : people;
      const row = (x: (typeof people)[number]) => ({
        userId: x.userId,
        teamId: x.teamId,
        openCases: x.openCases,
        openOverdue: formatMinor(x.openOverdueMinor),
        attempts: x.attempts,
        reached: x.reached,
        contactRate: ratio4(x.reached, x.attempts),
        promisesMade: x.promisesMade,
        promisesKept: x.promisesKept,
        promisesBroken: x.promisesBroken,
        promiseKeptRate: ratio4(x.promisesKept, x.promisesKept + x.promisesBroken),
        casesCured: x.casesCured,
        recovered: formatMinor(x.recoveredMinor),
      });
      const teamRows = teams.map((t) => {
        const members = visible.filter((x) => x.teamId === t.teamId);
        const sum = (f: (x: (typeof people)[number]) => number) => members.reduce((s, x) => s + f(x), 0);
        const kept = sum((x) => x.promisesKept);
        const broken = sum((x) => x.promisesBroken);
        return {
          teamId: t.teamId,
          name: t.name,
          buckets: t.buckets,
          lead: t.lead,
          collectors: members.length,
          capacity: t.members.reduce((s, m) => s + m.capacity, 0),
          openCases: sum((x) => x.openCases),
          openOverdue: formatMinor(sum((x) => x.openOverdueMinor)),
          contactRate: ratio4(
            sum((x) => x.reached),
            sum((x) => x.attempts),
          ),
          promisesMade: sum((x) => x.promisesMade),
          promiseKeptRate: ratio4(kept, kept + broken),
          casesCured: sum((x) => x.casesCured),
          recovered: formatMinor(sum((x) => x.recoveredMinor)),
        };
      });
      const rc = await rollAndCure(deps.db, from);
      return {
        from: formatDate(from),
        date: formatDate(today),
        teams: p.role === 'collector' ? teamRows.filter((t) => ledTeams.has(t.teamId)) : teamRows,
        collectors: visible.map(row),
        book: {
          casesOpened: rc.cases,
          rolled: rc.rolled,
          cured: rc.cured,
          rollRate: ratio4(rc.rolled, rc.cases),
          cureRate: ratio4(rc.cured, rc.cases),
        },
        agencies: (await agencyResults(deps.db)).map((a) => ({
          agencyId: a.agencyId,
          name: a.name,
          placed: a.placed,
          active: a.active,
          recovered: formatMinor(a.recoveredMinor),
        })),
      };
    },
  );
}

function presentEvidence(e: Awaited<ReturnType<typeof listEvidence>>[number]) {
  return {
    evidenceId: e.evidenceId,
    caseId: e.caseId,
    kind: e.kind,
    cause: e.cause,
    amount: e.amountMinor === null ? null : formatMinor(e.amountMinor),
    note: e.note,
    date: e.day,
    actor: e.actor,
  };
}

function presentPlacement(p: Awaited<ReturnType<typeof placeCase>>) {
  return {
    placementId: p.placementId,
    caseId: p.caseId,
    agencyId: p.agencyId,
    placedDate: p.placedDay,
    recalledDate: p.recalledDay,
    recallReason: p.recallReason,
    placeAgain: p.placeAgain,
    recovered: formatMinor(p.recoveredMinor),
  };
}
