import { Alert, Button, Card, List, Spin, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api.js';
import { useI18n } from '../../i18n.js';
import { fenToYuanText } from '../../reasons.js';
import { useRouter } from '../../router.js';
import type { PortalLoanItem } from './Home.js';

interface Detail extends PortalLoanItem {
  loan: PortalLoanItem['loan'] & { lastClosedDay: string };
  schedule: {
    plan: { number: number; dueDate: string; total: string }[];
    dues: { installmentNumber: number; overdue: boolean; principal: string; interest: string; fee: string }[];
  };
}

interface Impact {
  rows: {
    date: string;
    daysPastDue: number;
    creditReportStatus: string;
    collectionStage: string;
    totalOwed: string;
    penaltyOutstanding: string;
  }[];
  milestones: { date: string; kind: string; description: { en: string; zh: string } }[];
}

/** Whole fen of an amount the API writes as yuan with two decimals ("908.87"). */
function fen(amount: string): number {
  const [whole, cents = ''] = amount.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

/** One loan: the plan, what is overdue, and what staying overdue would mean month by month, in plain words. */
export function PortalLoan({ api, loanId }: { api: ApiClient; loanId: string }) {
  const { t, money, date, locale } = useI18n();
  const { navigate } = useRouter();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [impact, setImpact] = useState<Impact | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<Detail>(`/portal/loans/${loanId}`).then(
      async (d) => {
        setDetail(d);
        if (d.loan.status === 'active')
          setImpact(await api.get<Impact>(`/portal/loans/${loanId}/impact`, { months: 7 }));
      },
      (e: Error) => setError(e.message),
    );
  }, [api, loanId]);
  if (error !== null) return <Alert type="error" message={error} role="alert" />;
  if (detail === null) return <Spin />;
  const billed = new Map(detail.schedule.dues.map((d) => [d.installmentNumber, d]));
  // Each instalment as the borrower reads it: billed and unpaid (overdue or still in its grace days), paid (its
  // due day is closed and it is no longer billed), or still to come. A written-off loan's past instalments are
  // not called paid.
  const planStatus = (r: { number: number; dueDate: string; total: string }): string => {
    const due = billed.get(r.number);
    if (due !== undefined) {
      const status = due.overdue ? t('portal.instalmentOverdue') : t('portal.unpaid');
      // Part paid: what is left of it (the instalment's principal, interest and fee still unpaid, to the fen).
      const left = fen(due.principal) + fen(due.interest) + fen(due.fee);
      return left < fen(r.total)
        ? t('portal.instalmentLeft', { status, amount: money(fenToYuanText(left)) })
        : status;
    }
    if (detail.loan.status === 'settled') return t('portal.instalmentPaid');
    if (detail.loan.status !== 'active') return '';
    return r.dueDate <= detail.loan.lastClosedDay ? t('portal.instalmentPaid') : t('portal.instalmentComing');
  };
  const report = (code: string) =>
    code === 'N'
      ? t('portal.report.normal')
      : /^[1-7]$/.test(code)
        ? t('portal.report.late', { n: code })
        : code;
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <Button onClick={() => navigate('/portal')}>{t('common.back')}</Button>
      {detail.loan.daysPastDue > 0 ? (
        <Alert
          type="error"
          data-testid="portal-loan-overdue"
          message={t('portal.overdueDays', {
            days: detail.loan.daysPastDue,
            total: money(detail.overdue.total),
          })}
          description={t('portal.overdueParts', {
            principal: money(detail.overdue.principal),
            interest: money(detail.overdue.interest),
            penalty: money(detail.overdue.penalty),
          })}
        />
      ) : null}
      {detail.loan.status === 'active' ? (
        <Button
          type="primary"
          block
          onClick={() => navigate(`/portal/loans/${loanId}/repay`)}
          data-testid="portal-repay"
        >
          {t('portal.repay')}
        </Button>
      ) : null}
      <Card size="small" title={t('portal.schedule')}>
        <Table
          size="small"
          pagination={false}
          rowKey="number"
          dataSource={detail.schedule.plan}
          columns={[
            { title: t('portal.installment'), dataIndex: 'number' },
            { title: t('portal.dueDate'), dataIndex: 'dueDate', render: (d: string) => date(d) },
            { title: t('portal.amount'), dataIndex: 'total', render: (a: string) => money(a) },
            {
              title: t('portal.status'),
              key: 'state',
              render: (_: unknown, r: { number: number; dueDate: string; total: string }) => (
                <span data-testid="portal-plan-status">{planStatus(r)}</span>
              ),
            },
          ]}
        />
      </Card>
      {impact !== null ? (
        <Card size="small" title={t('portal.impactTitle')} data-testid="portal-impact">
          <Typography.Paragraph type="secondary">{t('portal.impactIntro')}</Typography.Paragraph>
          <List
            size="small"
            dataSource={impact.rows}
            renderItem={(r) => (
              <List.Item data-testid="portal-impact-row">
                {t('portal.impactRow', {
                  date: date(r.date),
                  days: r.daysPastDue,
                  report: report(r.creditReportStatus),
                  stage: r.collectionStage,
                  total: money(r.totalOwed),
                  penalty: money(r.penaltyOutstanding),
                })}
              </List.Item>
            )}
          />
          <Typography.Title level={5}>{t('portal.milestones')}</Typography.Title>
          <List
            size="small"
            dataSource={impact.milestones}
            renderItem={(m) => (
              <List.Item>
                {date(m.date)}：{locale === 'zh-CN' ? m.description.zh : m.description.en}
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </div>
  );
}
