import { Card, Empty, Progress, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { Page } from '../api.js';
import { useI18n } from '../i18n.js';
import type { CreditLine, Loan } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { BucketTag } from '../pages/Loans.js';
import { Link } from '../router.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';

/** Lines and loans a borrower has at most, shown on one page (more are on the Loans page). */
const BORROWER_ROWS_MAX = 100;

/** Percent of a limit used, from decimal strings (a picture: rounding is harmless here). */
function usedPercent(line: CreditLine): number {
  const limit = Number(line.limit);
  return limit === 0 ? 0 : Math.min(100, Math.round((Number(line.used) / limit) * 100));
}

/** A borrower's credit lines with their usage, and their loans linking to each loan's page. */
export function BorrowerLedger({ customerId }: { customerId: string }) {
  const { t, money, date, count } = useI18n();
  const api = useApi();
  const [lines, setLines] = useState<CreditLine[] | null>(null);
  const [loans, setLoans] = useState<Loan[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api
      .get<Page<CreditLine>>('/credit-lines', { customerId, limit: BORROWER_ROWS_MAX })
      .then((p) => setLines(p.items), setError);
    api
      .get<Page<Loan>>('/loans', { customerId, limit: BORROWER_ROWS_MAX, sort: 'openedDay', order: 'desc' })
      .then((p) => setLoans(p.items), setError);
  }, [api, customerId]);
  return (
    <>
      <Card title={t('borrower.lines')} style={{ marginTop: 16 }} data-testid="borrower-lines">
        <ProblemAlert error={error} />
        {lines !== null && lines.length === 0 ? (
          <Empty description={t('borrower.noLoans')} data-testid="borrower-no-loans" />
        ) : (
          <Table<CreditLine>
            size="small"
            rowKey="lineId"
            pagination={false}
            className="nowrap-table"
            scroll={{ x: 'max-content' }}
            loading={lines === null}
            dataSource={lines ?? []}
            columns={[
              { title: t('line.id'), dataIndex: 'lineId' },
              {
                title: t('line.status'),
                dataIndex: 'status',
                render: (s: string) => <Tag>{t(`lineStatus.${s}` as MessageKey)}</Tag>,
              },
              { title: t('line.limit'), dataIndex: 'limit', align: 'right', render: (m: string) => money(m) },
              { title: t('line.used'), dataIndex: 'used', align: 'right', render: (m: string) => money(m) },
              {
                title: t('line.available'),
                dataIndex: 'available',
                align: 'right',
                render: (m: string) => money(m),
              },
              {
                title: t('line.used'),
                width: 160,
                render: (_: unknown, line: CreditLine) => (
                  <Progress percent={usedPercent(line)} size="small" />
                ),
              },
              { title: t('loan.openedOn'), dataIndex: 'openedOn', render: (d: string) => date(d) },
            ]}
          />
        )}
      </Card>
      {loans !== null && loans.length > 0 ? (
        <Card title={t('borrower.loanList')} style={{ marginTop: 16 }} data-testid="borrower-loans">
          <Table<Loan>
            size="small"
            rowKey="loanId"
            pagination={false}
            dataSource={loans}
            className="nowrap-table"
            scroll={{ x: 'max-content' }}
            columns={[
              {
                title: t('loan.id'),
                dataIndex: 'loanId',
                render: (id: string) => (
                  <Link to={`/loans/${encodeURIComponent(id)}`} testId="borrower-loan-link">
                    {id}
                  </Link>
                ),
              },
              { title: t('loan.product'), dataIndex: 'productId' },
              { title: t('loan.openedOn'), dataIndex: 'openedOn', render: (d: string) => date(d) },
              {
                title: t('loan.principal'),
                dataIndex: 'principal',
                align: 'right',
                render: (m: string) => money(m),
              },
              {
                title: t('loan.outstanding'),
                dataIndex: 'outstandingPrincipal',
                align: 'right',
                render: (m: string) => money(m),
              },
              {
                title: t('loan.bucket'),
                dataIndex: 'bucket',
                render: (b: string) => <BucketTag bucket={b} />,
              },
              {
                title: t('loan.dpd'),
                dataIndex: 'daysPastDue',
                align: 'right',
                render: (n: number) => count(n),
              },
              {
                title: t('loan.status'),
                dataIndex: 'status',
                render: (s: string) => t(`status.${s}` as MessageKey),
              },
            ]}
          />
        </Card>
      ) : null}
    </>
  );
}
