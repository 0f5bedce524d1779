import { Card, Descriptions, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../api-types.js';
import type { DecisionDetail } from '../decisions.js';
import { useI18n } from '../i18n.js';
import { en, type MessageKey } from '../messages.js';
import { fenToYuanText, labelOf } from '../reasons.js';
import { Link } from '../router.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';

type StoredApplication = ResponseOf<'/applications/{applicationId}'>;

/** The parts of an application the reviewer reads (the API's document leaves the application open). */
interface ApplicationBody {
  requestedLimit?: string;
  channel?: string;
  submittedAt?: string;
  identity?: { name?: string; idNumber?: string; phone?: string; birthDate?: string };
  maritalStatus?: string;
  housing?: string;
  dependants?: number;
  employment?: { occupation?: string; industry?: string; employer?: string; monthsInRole?: number };
  income?: { declaredMonthly?: string; evidence?: { kind?: string; monthlyAmount?: string }[] };
  monthlyExpenses?: string;
  bureau?: {
    outstandingBalance?: string;
    lenders3m?: number;
    lenders6m?: number;
    lenders12m?: number;
    worstDaysPastDue?: number;
    overdueMonths24m?: number;
    historyMonths?: number;
  };
}

/** The measures the decision derived from the application (sealed in the record; amounts in fen). */
interface Derived {
  ageYears?: number;
  debtToIncome?: number | null;
  incomeVerified?: boolean;
  verifiedMonthlyIncome_fen?: number;
  assetsTotal_fen?: number;
  debtsOutstanding_fen?: number;
  monthlyDebtPayments_fen?: number;
  requestedInstalment_fen?: number;
  cashRunwayMonths?: number | null;
  debtServiceCoverage?: number | null;
  businessMonthsTrading?: number | null;
}

const labelOr = (t: (k: MessageKey) => string, key: string, fallback: string) =>
  Object.hasOwn(en, key) ? t(key as MessageKey) : fallback;

/**
 * The application a decision was made on, and who the applicant is: what a reviewer weighs before deciding
 * a referral (income, occupation, the credit bureau's summary, the measures the policy derived), with
 * personal data masked as the API gives it.
 */
export function ApplicationCard({
  applicationId,
  customerId,
  decision,
}: {
  applicationId: string;
  customerId: string | null;
  decision: Pick<DecisionDetail, 'record'>;
}) {
  const { t, money, count, dateTime } = useI18n();
  const api = useApi();
  const [stored, setStored] = useState<StoredApplication | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api.get<StoredApplication>(`/applications/${encodeURIComponent(applicationId)}`).then(
      (a) => live && setStored(a),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, applicationId]);

  const none = t('common.none');
  const yuan = (v: string | undefined) => (v === undefined ? none : money(v));
  const fen = (v: number | undefined | null) =>
    typeof v === 'number' && Number.isSafeInteger(v) ? money(fenToYuanText(v)) : none;
  const num = (v: number | undefined | null) => (typeof v === 'number' ? count(v) : none);
  const ratio = (v: number | undefined | null) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : none);

  if (error !== null)
    return (
      <Card title={t('application.title')} data-testid="application-card">
        <ProblemAlert error={error} />
      </Card>
    );
  if (stored === null)
    return (
      <Card title={t('application.title')} data-testid="application-card">
        <Spin />
      </Card>
    );
  const a = stored.application as ApplicationBody;
  const derived = ((decision.record as { derived?: Derived } | undefined)?.derived ?? {}) as Derived;
  const customer = customerId ?? stored.customerId ?? null;
  const b = a.bureau;
  return (
    <Card title={t('application.title')} data-testid="application-card">
      <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small" title={t('application.applicant')}>
        <Descriptions.Item label={t('application.customer')}>
          {customer === null ? (
            t('application.newCustomer')
          ) : (
            <Link to={`/customers/${encodeURIComponent(customer)}`} testId="application-customer">
              {customer}
            </Link>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.applicant')}>
          <span data-testid="application-name">{a.identity?.name ?? none}</span> · {a.identity?.phone ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.requestedLimit')}>
          {yuan(a.requestedLimit)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.occupation')}>
          <span data-testid="application-occupation">
            {a.employment?.occupation === undefined
              ? none
              : labelOr(t, `occupation.${a.employment.occupation}`, a.employment.occupation)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('application.employer')}>
          {[
            a.employment?.employer,
            a.employment?.industry === undefined ? undefined : labelOf('industry', a.employment.industry, t),
          ]
            .filter((x) => x !== undefined)
            .join(' · ') || none}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.monthsInRole')}>
          {num(a.employment?.monthsInRole)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.declaredIncome')}>
          <span data-testid="application-income">{yuan(a.income?.declaredMonthly)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('application.incomeEvidence')}>
          {(a.income?.evidence ?? [])
            .map(
              (e) =>
                `${labelOr(t, `evidence.${e.kind}`, e.kind ?? '')} ${e.monthlyAmount === undefined ? '' : yuan(e.monthlyAmount)}`,
            )
            .join('; ') || none}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.monthlyExpenses')}>
          {yuan(a.monthlyExpenses)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.marital')}>
          {a.maritalStatus === undefined ? none : labelOr(t, `marital.${a.maritalStatus}`, a.maritalStatus)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.housing')}>
          {a.housing === undefined ? none : labelOr(t, `housing.${a.housing}`, a.housing)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.dependants')}>{num(a.dependants)}</Descriptions.Item>
        <Descriptions.Item label={t('application.channel')}>{a.channel ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('application.submittedAt')}>
          {a.submittedAt === undefined ? none : dateTime(a.submittedAt)}
        </Descriptions.Item>
      </Descriptions>
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        bordered
        size="small"
        title={t('application.bureau')}
        style={{ marginTop: 16 }}
        data-testid="application-bureau"
      >
        {b === undefined ? (
          <Descriptions.Item>{t('application.noBureau')}</Descriptions.Item>
        ) : (
          <>
            <Descriptions.Item label={t('application.bureauOutstanding')}>
              {yuan(b.outstandingBalance)}
            </Descriptions.Item>
            <Descriptions.Item label={t('application.bureauLenders')}>
              {[b.lenders3m, b.lenders6m, b.lenders12m].map(num).join(' / ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('application.bureauWorstDpd')}>
              {num(b.worstDaysPastDue)}
            </Descriptions.Item>
            <Descriptions.Item label={t('application.bureauOverdueMonths')}>
              {num(b.overdueMonths24m)}
            </Descriptions.Item>
            <Descriptions.Item label={t('application.bureauHistory')}>
              {num(b.historyMonths)}
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        bordered
        size="small"
        title={t('application.derived')}
        style={{ marginTop: 16 }}
        data-testid="application-derived"
      >
        <Descriptions.Item label={t('application.age')}>{num(derived.ageYears)}</Descriptions.Item>
        <Descriptions.Item label={t('application.incomeVerified')}>
          {derived.incomeVerified === undefined ? none : t(derived.incomeVerified ? 'value.yes' : 'value.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.verifiedIncome')}>
          <span data-testid="application-verified-income">{fen(derived.verifiedMonthlyIncome_fen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('application.debtToIncome')}>
          <span data-testid="application-dti">{ratio(derived.debtToIncome)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('application.monthlyDebtPayments')}>
          {fen(derived.monthlyDebtPayments_fen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.requestedInstalment')}>
          {fen(derived.requestedInstalment_fen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.assetsTotal')}>
          {fen(derived.assetsTotal_fen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('application.debtsOutstanding')}>
          {fen(derived.debtsOutstanding_fen)}
        </Descriptions.Item>
        {derived.businessMonthsTrading == null ? null : (
          <Descriptions.Item label={t('application.businessMonths')}>
            {num(derived.businessMonthsTrading)}
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
