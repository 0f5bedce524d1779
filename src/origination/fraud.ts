import { counted } from '../money/index.js';
import { instantMs } from './application.js';
import { identityKey, retryFactsOf } from './keys.js';
import type {
  Application,
  FraudSettings,
  HistoryFacts,
  JsonValue,
  KeyOf,
  PastApplication,
  RetryFacts,
  ReviewFlag,
} from './types.js';

/** Other application ids listed in a flag's evidence (the count is always complete). */
export const EVIDENCE_IDS_MAX = 20;

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;
/** Months of tenure may grow by the months elapsed plus this slack between two applications. */
const TENURE_SLACK_MONTHS = 1;

function within(past: PastApplication, now: number, window_ms: number): boolean {
  const t = instantMs(past.submittedAt);
  return t <= now && now - t <= window_ms;
}

function ids(rows: readonly PastApplication[]): string[] {
  return rows
    .map((r) => r.applicationId)
    .sort()
    .slice(0, EVIDENCE_IDS_MAX);
}

function distinctApplicants(rows: readonly PastApplication[]): number {
  return new Set(rows.map((r) => r.applicantKey)).size;
}

/** Same device, IP or SIM used by more than the allowed number of other applicants in the window. */
function sharedIdentifier(
  kind: 'shared-device' | 'shared-ip' | 'shared-sim',
  label: string,
  key: string,
  pick: (p: PastApplication) => string,
  others: readonly PastApplication[],
  max: number,
  window_days: number,
): ReviewFlag | undefined {
  const sharing = others.filter((p) => pick(p) === key);
  const applicants = distinctApplicants(sharing);
  if (applicants <= max) return undefined;
  return {
    kind,
    severity: kind === 'shared-ip' ? 'review' : 'refuse',
    summary: `the ${label} was used by ${counted(applicants, 'other applicant')} in ${counted(window_days, 'day')} (at most ${max} allowed)`,
    evidence: {
      otherApplicants: applicants,
      applicantsMax: max,
      window_days,
      applications: sharing.length,
      applicationIds: ids(sharing),
    },
  };
}

function relativeChange(before: number, after: number): number {
  if (before === after) return 0;
  return Math.abs(after - before) / Math.max(Math.abs(before), 1);
}

/** Fields whose answers changed between an earlier application and this one beyond what time explains. */
function alteredFields(
  before: RetryFacts,
  after: RetryFacts,
  elapsedMonths: number,
  changeMax: number,
): { [field: string]: JsonValue } {
  const changed: { [field: string]: JsonValue } = {};
  for (const field of ['occupation', 'industry', 'employer', 'birthDate'] as const) {
    if (before[field] !== after[field]) changed[field] = { before: before[field], after: after[field] };
  }
  for (const field of ['declaredMonthlyIncome_fen', 'assetsTotal_fen', 'monthlyDebtPayments_fen'] as const) {
    if (relativeChange(before[field], after[field]) > changeMax)
      changed[field] = { before: before[field], after: after[field] };
  }
  const tenureGrowth = after.monthsInRole - before.monthsInRole;
  if (tenureGrowth < 0 || tenureGrowth > elapsedMonths + TENURE_SLACK_MONTHS)
    changed.monthsInRole = { before: before.monthsInRole, after: after.monthsInRole };
  return changed;
}

/**
 * The 强开 detectors over history facts, each flag with its evidence: device, IP or SIM shared across many
 * applicants; bursts from one channel and install source; many applicants naming the same contact numbers;
 * answers altered between retries; the same applicant applying too often. Rows of this application are ignored.
 */
export function detectFraud(
  application: Application,
  history: HistoryFacts,
  settings: FraudSettings,
  businessTime: string,
  keyOf: KeyOf = identityKey,
): ReviewFlag[] {
  const now = instantMs(businessTime);
  const applicantKey = keyOf('id-number', application.identity.idNumber);
  const past = history.recentApplications.filter((p) => p.applicationId !== application.applicationId);
  const sharedWindow = past.filter((p) => within(p, now, settings.sharedWindow_days * MS_PER_DAY));
  const others = sharedWindow.filter((p) => p.applicantKey !== applicantKey);
  const own = past.filter((p) => p.applicantKey === applicantKey);
  const flags: ReviewFlag[] = [];
  const push = (f: ReviewFlag | undefined) => {
    if (f) flags.push(f);
  };

  push(
    sharedIdentifier(
      'shared-device',
      'device',
      keyOf('device', application.device.deviceId),
      (p) => p.deviceKey,
      others,
      settings.sharedDeviceApplicantsMax,
      settings.sharedWindow_days,
    ),
  );
  push(
    sharedIdentifier(
      'shared-ip',
      'network address',
      keyOf('ip', application.device.ip),
      (p) => p.ipKey,
      others,
      settings.sharedIpApplicantsMax,
      settings.sharedWindow_days,
    ),
  );
  push(
    sharedIdentifier(
      'shared-sim',
      'SIM card',
      keyOf('sim', application.device.sim),
      (p) => p.simKey,
      others,
      settings.sharedSimApplicantsMax,
      settings.sharedWindow_days,
    ),
  );

  const burst = past.filter(
    (p) =>
      within(p, now, settings.burstWindow_minutes * MS_PER_MINUTE) &&
      p.channel === application.channel &&
      p.installSource === application.device.installSource,
  );
  if (burst.length + 1 > settings.burstApplicationsMax)
    flags.push({
      kind: 'burst-from-source',
      severity: 'refuse',
      summary: `${counted(burst.length + 1, 'application')} from channel "${application.channel}" and install source "${application.device.installSource}" within ${counted(settings.burstWindow_minutes, 'minute')} (at most ${settings.burstApplicationsMax})`,
      evidence: {
        channel: application.channel,
        installSource: application.device.installSource,
        applications: burst.length + 1,
        applicationsMax: settings.burstApplicationsMax,
        window_minutes: settings.burstWindow_minutes,
        distinctApplicants: distinctApplicants(burst),
        applicationIds: ids(burst),
      },
    });

  const contactKeys = new Set(application.contacts.map((c) => keyOf('phone', c.phone)));
  const sharingContacts = others.filter((p) => p.contactPhoneKeys.some((k) => contactKeys.has(k)));
  const contactApplicants = distinctApplicants(sharingContacts);
  if (contactApplicants > settings.sharedContactApplicantsMax)
    flags.push({
      kind: 'shared-contact-numbers',
      severity: 'review',
      summary: `${counted(contactApplicants, 'other applicant')} named the same contact numbers in ${counted(settings.sharedWindow_days, 'day')} (at most ${settings.sharedContactApplicantsMax})`,
      evidence: {
        otherApplicants: contactApplicants,
        applicantsMax: settings.sharedContactApplicantsMax,
        window_days: settings.sharedWindow_days,
        applicationIds: ids(sharingContacts),
      },
    });

  const facts = retryFactsOf(application);
  const retries = own
    .filter((p) => p.facts !== undefined && within(p, now, settings.retryWindow_days * MS_PER_DAY))
    .sort((a, b) => instantMs(b.submittedAt) - instantMs(a.submittedAt));
  for (const earlier of retries) {
    const elapsedMonths = Math.floor(
      (instantMs(application.submittedAt) - instantMs(earlier.submittedAt)) / (30 * MS_PER_DAY),
    );
    const changed = alteredFields(
      earlier.facts!,
      facts,
      Math.max(0, elapsedMonths),
      settings.retryIncomeChangeMax,
    );
    if (Object.keys(changed).length > 0) {
      flags.push({
        kind: 'altered-between-retries',
        severity: 'refuse',
        summary: `answers changed since application ${earlier.applicationId}: ${Object.keys(changed).join(', ')}`,
        evidence: {
          earlierApplicationId: earlier.applicationId,
          earlierSubmittedAt: earlier.submittedAt,
          changed,
        },
      });
      break;
    }
  }

  const recentOwn = own.filter((p) => within(p, now, settings.velocityWindow_hours * MS_PER_HOUR));
  if (recentOwn.length + 1 > settings.velocityApplicationsMax)
    flags.push({
      kind: 'velocity',
      severity: 'refuse',
      summary: `${counted(recentOwn.length + 1, 'application')} by this applicant within ${counted(settings.velocityWindow_hours, 'hour')} (at most ${settings.velocityApplicationsMax})`,
      evidence: {
        applications: recentOwn.length + 1,
        applicationsMax: settings.velocityApplicationsMax,
        window_hours: settings.velocityWindow_hours,
        applicationIds: ids(recentOwn),
      },
    });
  return flags;
}
