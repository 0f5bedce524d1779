import { addDays, addMonths, type Day, formatDate } from '../../money/index.js';
import type { EarlyWarningDocument, HealthReviewSchedule, ReviewDocumentKind } from './document.js';

/** What the health-review planner knows of one customer. */
export interface ReviewSubject {
  readonly customerId: string;
  readonly segment: string;
  readonly lang: 'zh-CN' | 'en';
  /** The day the customer's monitoring began (the line opened): the first request counts from it. */
  readonly sinceDay: Day;
  /** Last day a document of each kind was received. */
  readonly lastReceived: Partial<Record<ReviewDocumentKind, Day>>;
  /** Kinds with a request still open (not received): no second request is sent. */
  readonly openRequests: readonly ReviewDocumentKind[];
}

/** A request for a document, to be stored and sent through the reminder outbox. */
export interface PlannedReviewRequest {
  readonly customerId: string;
  readonly document: ReviewDocumentKind;
  readonly segment: string;
  readonly requestDay: Day;
  readonly dueDay: Day;
  readonly channel: HealthReviewSchedule['channel'];
  readonly lang: 'zh-CN' | 'en';
  readonly subject: string;
  readonly body: string;
  /** customerId/document/request day: planning a day twice writes nothing twice. */
  readonly requestKey: string;
}

const DOCUMENT_NAMES = {
  'business-statements': { en: 'business statements', 'zh-CN': '经营财务报表' },
  'income-evidence': { en: 'income evidence', 'zh-CN': '收入证明' },
} as const;

function render(template: string, document: ReviewDocumentKind, lang: 'zh-CN' | 'en', dueDay: Day): string {
  return template
    .replace(/\{document\}/g, DOCUMENT_NAMES[document][lang])
    .replace(/\{dueDate\}/g, formatDate(dueDay));
}

/** The schedules that apply to a segment. */
export function schedulesFor(document: EarlyWarningDocument, segment: string): HealthReviewSchedule[] {
  return document.healthReviews.filter((s) => s.segment === segment);
}

/**
 * Requests due on `day`: for each schedule of the customer's segment with no open request, a request once
 * `everyMonths` have passed since the last document of that kind was received (or monitoring began).
 */
export function planReviewRequests(
  document: EarlyWarningDocument,
  subject: ReviewSubject,
  day: Day,
): PlannedReviewRequest[] {
  const out: PlannedReviewRequest[] = [];
  for (const s of schedulesFor(document, subject.segment)) {
    if (subject.openRequests.includes(s.document)) continue;
    const from = subject.lastReceived[s.document] ?? subject.sinceDay;
    if (addMonths(from, s.everyMonths) > day) continue;
    const dueDay = addDays(day, s.dueDays);
    const t = s.templates[subject.lang];
    out.push({
      customerId: subject.customerId,
      document: s.document,
      segment: s.segment,
      requestDay: day,
      dueDay,
      channel: s.channel,
      lang: subject.lang,
      subject: render(t.subject, s.document, subject.lang, dueDay),
      body: render(t.body, s.document, subject.lang, dueDay),
      requestKey: `${subject.customerId}/${s.document}/${formatDate(day)}`,
    });
  }
  return out;
}

/** The last day a document received on `receivedDay` counts as valid evidence, by the segment's schedule. */
export function validUntil(
  document: EarlyWarningDocument,
  segment: string,
  kind: ReviewDocumentKind,
  receivedDay: Day,
  defaultMonths = 6,
): Day {
  const s = document.healthReviews.find((r) => r.segment === segment && r.document === kind);
  return addDays(addMonths(receivedDay, s?.validMonths ?? defaultMonths), -1);
}
