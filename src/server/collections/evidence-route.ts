import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  caseDocumentEntryName,
  composeEvidencePackage,
  type EvidenceFacts,
  type EvidenceLoan,
  isoInZone,
} from '../../collections/index.js';
import { formatDate } from '../../money/index.js';
import {
  appendAudit,
  caseDocumentContent,
  findCustomer,
  getBusinessDay,
  ID_PATTERN,
  latestApprovedApplication,
  listCaseDocuments,
  listCaseNotes,
  listContacts,
  listLegalActions,
  listLegalCosts,
  listLegalSteps,
  listLoanReminders,
  listLoans,
  listPostings,
  loadLoanLog,
  loadSnapshots,
  type Queryable,
  type StoredCase,
} from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { say } from '../http/messages.js';
import { ProblemError } from '../http/problem.js';
import { bearerSecurity, idParam, problemResponses } from '../http/schemas.js';
import { buildEvidencePackage, type EvidenceAttachment } from './evidence-files.js';
import { caseOr404, legalOverview } from './legal-overview.js';
import { COLLECTIONS_MESSAGES } from './messages.js';
import { inZone } from './presenters.js';

/** Bounds of what one package reads. */
const LOANS_PER_PACKAGE_MAX = 100;
const POSTINGS_PER_LOAN_MAX = 20_000;
const REMINDERS_PER_LOAN_MAX = 1_000;
const PRODUCER = 'Lendguard evidence package';
/** Notes and documents of the case read into one package (the notes routes list at most 1,000 of each). */
const NOTES_PER_PACKAGE_MAX = 10_000;
const DOCUMENTS_PER_PACKAGE_MAX = 1_000;

/**
 * The case's documents with their bytes, each checked against the SHA-256 recorded at upload: a document
 * whose bytes changed is not put before a court, and the package is refused naming it.
 */
async function caseAttachments(
  q: Queryable,
  caseId: string,
  documents: EvidenceFacts['caseDocuments'],
): Promise<EvidenceAttachment[]> {
  const attachments: EvidenceAttachment[] = [];
  for (const [i, d] of documents.entries()) {
    const stored = await caseDocumentContent(q, caseId, d.documentId);
    if (stored === undefined) throw new Error(`assertion: document ${d.documentId} of ${caseId} vanished`);
    const actual = createHash('sha256').update(stored.content).digest('hex');
    if (actual !== stored.sha256 || stored.content.length !== stored.sizeBytes) {
      throw new ProblemError(
        'case_document_corrupt',
        say(COLLECTIONS_MESSAGES, 'case_document_corrupt', {
          caseId,
          documentId: d.documentId,
          sha256: stored.sha256,
        }),
      );
    }
    attachments.push({ name: caseDocumentEntryName(i, d), data: stored.content });
  }
  return attachments;
}

async function evidenceFacts(
  q: Queryable,
  deps: ServerDeps,
  kase: StoredCase,
  actionId: string | undefined,
): Promise<EvidenceFacts> {
  const asOfDay = await getBusinessDay(q);
  const customer = await findCustomer(q, deps.cipher, kase.customerId);
  if (customer === undefined) throw new Error(`assertion: case ${kase.caseId} names no customer`);
  const stored = (await listLoans(q, { customerId: kase.customerId }, null, LOANS_PER_PACKAGE_MAX)).filter(
    (l) => l.state.status !== 'settled' || kase.pastDueLoanIds.includes(l.loanId),
  );
  const loans: EvidenceLoan[] = [];
  for (const l of stored) {
    const [log, snapshots, postings, reminders] = await Promise.all([
      loadLoanLog(q, l.customerId, l.loanId),
      loadSnapshots(q, l.customerId, l.loanId),
      listPostings(q, { customerId: l.customerId, loanId: l.loanId }, 0, POSTINGS_PER_LOAN_MAX),
      listLoanReminders(q, l.loanId, REMINDERS_PER_LOAN_MAX),
    ]);
    loans.push({
      loanId: l.loanId,
      lineId: l.lineId,
      productId: l.productId,
      productVersion: l.productVersion,
      log,
      snapshots,
      state: l.state,
      postings,
      reminders: [...reminders].sort((a, b) =>
        a.scheduledAt === b.scheduledAt
          ? a.reminderKey.localeCompare(b.reminderKey)
          : a.scheduledAt.localeCompare(b.scheduledAt),
      ),
    });
  }
  const application = await latestApprovedApplication(q, deps.cipher, kase.customerId);
  const overview = await legalOverview(q, kase, asOfDay);
  const actions = await listLegalActions(q, kase.caseId);
  const action = actionId === undefined ? actions.at(-1) : actions.find((a) => a.actionId === actionId);
  if (actionId !== undefined && action === undefined) {
    throw new ProblemError(
      'legal_action_not_found',
      say(COLLECTIONS_MESSAGES, 'legal_action_not_found', { caseId: kase.caseId, actionId }),
    );
  }
  const [steps, costs] =
    action === undefined
      ? [[], []]
      : await Promise.all([listLegalSteps(q, [action.actionId]), listLegalCosts(q, [action.actionId])]);
  const contacts = await listContacts(q, kase.caseId, inZone(kase.borrowerZone));
  // Notes and documents up to the as-of day: the package is of the data as of that day.
  const zone = deps.config.lenderTimeZone;
  const notes = (await listCaseNotes(q, deps.cipher, kase.caseId, NOTES_PER_PACKAGE_MAX)).filter(
    (n) => n.day <= asOfDay,
  );
  const caseDocuments = (await listCaseDocuments(q, kase.caseId, DOCUMENTS_PER_PACKAGE_MAX)).filter(
    (x) => x.day <= asOfDay,
  );
  const d = application?.decision;
  return {
    asOfDay,
    caseId: kase.caseId,
    caseOpenedDate: kase.openedDay,
    borrower: { customerId: customer.customerId, name: customer.name, idNumber: customer.idNumber },
    decision:
      d === undefined
        ? null
        : {
            decisionId: d.decisionId,
            applicationId: d.applicationId,
            decidedAt: d.decision.decidedAt,
            outcome: d.decision.outcome,
            limitMinor: d.decision.limit_fen,
            dailyRate: d.decision.dailyRate,
            apr: d.decision.apr,
            policy: JSON.stringify(d.decision.policy),
            contentHash: d.decision.contentHash,
            reasons: d.decision.reasons.map((r) => ({ code: r.code, message: r.message })),
          },
    loans,
    contacts: contacts.map((c) => ({
      at: c.at,
      channel: c.channel,
      party: c.party,
      outcome: c.outcome,
      allowed: c.allowed,
      rule: c.rule,
      actor: c.actor,
    })),
    demands: overview.demands.map((x) => ({
      date: x.date,
      channel: x.channel,
      reachedDebtor: x.reachedDebtor,
      evidence: x.evidence,
    })),
    action:
      action === undefined
        ? null
        : {
            actionId: action.actionId,
            path: action.path,
            status: action.status,
            claimedMinor: action.claimedMinor,
            venue: action.venue,
            reference: action.reference,
            steps: steps.map((s) => ({ date: formatDate(s.day), to: s.to, actor: s.actor, note: s.note })),
            costs: costs.map((c) => ({ date: formatDate(c.day), kind: c.kind, amountMinor: c.amountMinor })),
          },
    limitation:
      overview.limitation === null
        ? null
        : { endDate: overview.limitation.endDate, restartedBy: overview.limitation.restartedBy },
    notes: notes.map((n) => ({
      noteId: n.noteId,
      at: isoInZone(n.atMs, zone),
      author: n.author,
      category: n.category,
      text: n.text,
      correctsNoteId: n.correctsNoteId,
    })),
    caseDocuments: caseDocuments.map((x) => ({
      documentId: x.documentId,
      kind: x.kind,
      fileName: x.fileName,
      contentType: x.contentType,
      sizeBytes: x.sizeBytes,
      sha256: x.sha256,
      at: isoInZone(x.atMs, zone),
      uploadedBy: x.uploadedBy,
    })),
  };
}

/**
 * The evidence package as a ZIP of PDFs and the case's documents with a manifest of SHA-256 hashes, as of
 * the business day. It holds the borrower's name and ID number and the case notes decrypted (a court needs
 * them), so it is for the legal roles only and every download is audited with the manifest's hash and the
 * ids of the notes and documents it holds, before the bytes leave.
 */
export async function evidencePackageRoute(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Params: { caseId: string }; Querystring: { actionId?: string } }>(
    '/collections/cases/:caseId/legal/evidence-package',
    {
      config: { permission: 'collections.legal' },
      schema: {
        tags: ['collections: legal'],
        security: bearerSecurity,
        summary:
          'The evidence package (证据材料): a ZIP of PDFs — contract and decision, schedule, daily statement, postings, repayments, reminders and contacts, notices, case notes (decrypted) — and the case documents, with manifest.json and SHA256SUMS; the same data give the same bytes',
        params: idParam('caseId', 'Collection case id'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actionId: {
              type: 'string',
              pattern: ID_PATTERN,
              description: 'The legal action the package is for; default the latest',
            },
          },
        },
        response: {
          200: {
            description: 'application/zip; headers x-manifest-sha256 and x-package-sha256',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const kase = await caseOr404(deps.db, request.params.caseId);
      const facts = await evidenceFacts(deps.db, deps, kase, request.query.actionId);
      const documents = composeEvidencePackage(facts);
      const attachments = await caseAttachments(deps.db, kase.caseId, facts.caseDocuments);
      const pkg = await buildEvidencePackage(
        documents,
        { caseId: kase.caseId, customerId: kase.customerId, actionId: facts.action?.actionId ?? null },
        facts.asOfDay,
        PRODUCER,
        attachments,
      );
      const principal = request.principal!;
      await appendAudit(deps.db, {
        actorUserId: principal.userId,
        actorRole: principal.role,
        requestId: request.id,
        action: 'collection.evidence_package',
        resourceType: 'collection_case',
        resourceId: kase.caseId,
        customerId: kase.customerId,
        details: {
          actionId: facts.action?.actionId ?? null,
          asOf: formatDate(facts.asOfDay),
          manifestSha256: pkg.manifestSha256,
          packageSha256: pkg.zipSha256,
          // The notes decrypted into the package (ids only; their text stays out of the log).
          noteIds: facts.notes.map((n) => n.noteId),
          documentIds: facts.caseDocuments.map((x) => x.documentId),
        },
      });
      return reply
        .type('application/zip')
        .header(
          'content-disposition',
          `attachment; filename="evidence-${kase.caseId}-${formatDate(facts.asOfDay)}.zip"`,
        )
        .header('x-manifest-sha256', pkg.manifestSha256)
        .header('x-package-sha256', pkg.zipSha256)
        .send(pkg.zip);
    },
  );
}
