import {
  type Calendar,
  type ComplaintSettings,
  collectionEffect,
  complaintSla,
} from '../../collections/index.js';
import { type Day, parseDate } from '../../money/index.js';
import type { ComplaintEvent, StoredComplaint } from '../../store/index.js';

/** A complaint with its SLA timers as seen on business day `today`. */
export function presentComplaint(
  c: StoredComplaint,
  today: Day,
  settings: ComplaintSettings,
  calendar: Calendar,
) {
  const sla = complaintSla(
    {
      receivedDay: parseDate(c.receivedDay),
      acknowledgedDay: c.acknowledgedDay === null ? null : parseDate(c.acknowledgedDay),
      resolvedDay: c.resolvedDay === null ? null : parseDate(c.resolvedDay),
    },
    today,
    settings,
    calendar,
  );
  return {
    complaintId: c.complaintId,
    customerId: c.customerId,
    loanId: c.loanId,
    caseId: c.caseId,
    channel: c.channel,
    category: c.category,
    summary: c.summary,
    regulatorReference: c.regulatorReference,
    receivedAt: c.receivedAt,
    receivedDate: c.receivedDay,
    status: c.status,
    acknowledgedDate: c.acknowledgedDay,
    resolvedDate: c.resolvedDay,
    outcome: c.outcome,
    rootCause: c.rootCause,
    resolution: c.resolution,
    collectionWhileOpen: collectionEffect([c], settings),
    sla,
  };
}

export function presentEvent(e: ComplaintEvent) {
  return { seq: e.seq, action: e.action, date: e.day, actor: e.actor, details: e.details };
}
