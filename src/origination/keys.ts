import type { Application, DecisionOutcome, KeyOf, PastApplication, RetryFacts } from './types.js';

/** Plain values compared as they are: for the command line and tests; the shell passes its blind index. */
export const identityKey: KeyOf = (_kind, value) => value;

/** The facts a later retry is compared on. */
export function retryFactsOf(application: Application): RetryFacts {
  return {
    declaredMonthlyIncome_fen: application.income.declaredMonthly_fen,
    occupation: application.employment.occupation,
    industry: application.employment.industry,
    employer: application.employment.employer ?? '',
    monthsInRole: application.employment.monthsInRole,
    assetsTotal_fen: application.assets.reduce((s, a) => s + a.value_fen, 0),
    monthlyDebtPayments_fen: application.debts.reduce((s, d) => s + d.monthlyPayment_fen, 0),
    birthDate: application.identity.birthDate,
  };
}

/** The history row of an application, as the store keeps it for later detectors (keys only, no plain data). */
export function pastApplicationOf(
  application: Application,
  keyOf: KeyOf = identityKey,
  outcome?: DecisionOutcome,
): PastApplication {
  return {
    applicationId: application.applicationId,
    applicantKey: keyOf('id-number', application.identity.idNumber),
    submittedAt: application.submittedAt,
    channel: application.channel,
    installSource: application.device.installSource,
    deviceKey: keyOf('device', application.device.deviceId),
    ipKey: keyOf('ip', application.device.ip),
    simKey: keyOf('sim', application.device.sim),
    phoneKey: keyOf('phone', application.identity.phone),
    contactPhoneKeys: application.contacts.map((c) => keyOf('phone', c.phone)),
    ...(outcome === undefined ? {} : { outcome }),
    facts: retryFactsOf(application),
  };
}
