import { Alert, Button, Card, Descriptions, Empty, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api.js';
import { useI18n } from '../../i18n.js';
import { policyReason } from '../../policy-reasons.js';
import { useRouter } from '../../router.js';

export interface PortalLoanItem {
  loan: {
    loanId: string;
    status: string;
    openedOn: string;
    principal: string;
    daysPastDue: number;
    bucket: string;
    outstandingPrincipal: string;
    totalOwed: string;
  };
  nextDue: { dueDate: string; amount: string; installmentNumber: number; overdue: boolean } | null;
  /** The next instalment not yet due: shown as the next payment when what is billed is already overdue. */
  upcoming: { dueDate: string; amount: string; installmentNumber: number } | null;
  overdue: { principal: string; interest: string; fee: string; penalty: string; total: string };
}

interface PortalLine {
  lineId: string;
  status: string;
  limit: string;
  used: string;
  available: string;
  freeze: { reason: string; code: string | null; since: string | null; liftsOnCure: boolean } | null;
}

/** Lines and limits, what is due next, what is overdue. */
export function PortalHome({ api }: { api: ApiClient }) {
  const { t, money, date, locale } = useI18n();
  const { navigate } = useRouter();
  const [lines, setLines] = useState<PortalLine[] | null>(null);
  const [loans, setLoans] = useState<PortalLoanItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([
      api.get<{ items: PortalLine[] }>('/portal/lines'),
      api.get<{ items: PortalLoanItem[] }>('/portal/loans'),
    ]).then(
      ([l, n]) => {
        setLines(l.items);
        setLoans(n.items);
      },
      (e: Error) => setError(e.message),
    );
  }, [api]);
  if (error !== null) return <Alert type="error" message={error} role="alert" />;
  if (lines === null || loans === null) return <Spin />;
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('portal.lines')}
      </Typography.Title>
      {lines.length === 0 ? <Empty description={t('portal.noLines')} /> : null}
      {lines.map((l) => (
        <Card key={l.lineId} size="small" data-testid="portal-line">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('portal.limit')}>{money(l.limit)}</Descriptions.Item>
            <Descriptions.Item label={t('portal.available')}>{money(l.available)}</Descriptions.Item>
          </Descriptions>
          {l.freeze !== null ? (
            <Alert
              type="warning"
              data-testid="portal-freeze"
              message={t('portal.frozen')}
              description={`${t('portal.frozenReason', { reason: policyReason(l.freeze.reason, locale) })} ${l.freeze.liftsOnCure ? t('portal.frozenCure') : t('portal.frozenStaff')}`}
            />
          ) : null}
        </Card>
      ))}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('portal.loans')}
      </Typography.Title>
      {loans.length === 0 ? <Empty description={t('portal.noLoans')} /> : null}
      {loans.map((item) => {
        // What is billed and overdue is in the alert above; the next payment is then the instalment to come.
        const next = item.nextDue?.overdue === true ? item.upcoming : item.nextDue;
        return (
          <Card
            key={item.loan.loanId}
            size="small"
            data-testid="portal-loan"
            title={
              <span data-testid="portal-loan-title">
                {t('portal.loanTitle', {
                  amount: money(item.loan.principal),
                  date: date(item.loan.openedOn),
                })}
              </span>
            }
          >
            {item.loan.daysPastDue > 0 ? (
              <Alert
                type="error"
                style={{ marginBottom: 8 }}
                data-testid="portal-overdue"
                message={t('portal.overdueDays', {
                  days: item.loan.daysPastDue,
                  total: money(item.overdue.total),
                })}
                description={t('portal.overdueParts', {
                  principal: money(item.overdue.principal),
                  interest: money(item.overdue.interest),
                  penalty: money(item.overdue.penalty),
                })}
              />
            ) : null}
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('portal.status')}>
                <Tag color={item.loan.status === 'active' ? 'blue' : 'default'}>
                  {t(`portal.status.${item.loan.status === 'active' ? 'active' : 'closed'}`)}
                </Tag>
              </Descriptions.Item>
              {next ? (
                <Descriptions.Item label={t('portal.nextDue')}>
                  <span data-testid="portal-next-due">
                    {t('portal.nextDueText', { date: date(next.dueDate), amount: money(next.amount) })}
                  </span>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('portal.totalOwed')}>
                {money(item.loan.totalOwed)}
              </Descriptions.Item>
            </Descriptions>
            <Button
              block
              onClick={() => navigate(`/portal/loans/${item.loan.loanId}`)}
              data-testid="portal-open-loan"
            >
              {t('portal.openLoan')}
            </Button>
          </Card>
        );
      })}
    </div>
  );
}
