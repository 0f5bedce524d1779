import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { LoanActions } from '../components/LoanActions.js';
import { EventTimeline, ImpactView, PostingsTable } from '../components/LoanHistory.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { RestructuringForm, RestructuringList } from '../components/RestructuringForm.js';
import { SettlementForm, SettlementList } from '../components/SettlementForm.js';
import { useI18n } from '../i18n.js';
import type { Due, Installment, Loan, Schedule } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import { Link } from '../router.js';
import { useApi, useSession } from '../session.js';
import { BucketTag } from './Loans.js';
import { LoanMonitoring } from './monitoring/LoanReminders.js';

/** The balances of a loan, now or as of a replayed day. */
function Balances({ loan }: { loan: Loan }) {
  const { t, money, date, count } = useI18n();
  const m = (v: string | undefined) => (v === undefined ? t('common.none') : money(v));
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="loan-balances">
      <Descriptions.Item label={t('loan.asOf')}>
        <span data-testid="loan-as-of">{date(loan.asOf)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.status')}>
        {t(`status.${loan.status}` as MessageKey)}
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.bucket')}>
        <BucketTag bucket={loan.bucket} /> {t('loan.dpd')} {count(loan.daysPastDue)}
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.principal')}>{money(loan.principal)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.outstanding')}>
        <strong data-testid="loan-outstanding">{money(loan.outstandingPrincipal)}</strong>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.totalOwed')}>
        <strong data-testid="loan-total-owed">{money(loan.totalOwed)}</strong>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.overduePrincipal')}>{m(loan.overduePrincipal)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.overdueInterest')}>{m(loan.overdueInterest)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.overdueFee')}>{m(loan.overdueFee)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.duePrincipal')}>{m(loan.duePrincipal)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.dueInterest')}>{m(loan.dueInterest)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.accruedInterest')}>{m(loan.accruedInterest)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.penalty')}>{m(loan.penaltyOutstanding)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.creditBalance')}>{m(loan.credit)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.lastClosedDay')}>{date(loan.lastClosedDay)}</Descriptions.Item>
      {loan.restructuring !== undefined ? (
        <Descriptions.Item label={t('restructure.state')}>
          <Tag
            color={loan.restructuring.status === 'broken' ? 'red' : 'blue'}
            data-testid="loan-restructured"
          >
            {t(`restructure.state.${loan.restructuring.status ?? 'active'}` as MessageKey)}
          </Tag>
          {t(`restructure.kind.${loan.restructuring.latestKind ?? 'negotiated-plan'}` as MessageKey)}
        </Descriptions.Item>
      ) : null}
      {loan.restructuring !== undefined ? (
        <Descriptions.Item label={t('restructure.class')}>
          <span data-testid="loan-class">
            {t(`class.${loan.restructuring.assetClass ?? 'normal'}` as MessageKey)}
          </span>
          {loan.restructuring.observationEndDate && loan.restructuring.inObservation
            ? ` · ${t('restructure.observationEnd')} ${date(loan.restructuring.observationEndDate)}`
            : ''}
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

interface ScheduleRow extends Installment {
  due?: Due;
}

function ScheduleTable({ loanId }: { loanId: string }) {
  const { t, money, date } = useI18n();
  const api = useApi();
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Schedule>(`/loans/${encodeURIComponent(loanId)}/schedule`).then(setSchedule, setError);
  }, [api, loanId]);
  const dues = new Map((schedule?.dues ?? []).map((d) => [d.installmentNumber, d]));
  const rows: ScheduleRow[] = (schedule?.plan ?? []).map((i) => {
    const due = dues.get(i.number);
    return due === undefined ? i : { ...i, due };
  });
  return (
    <Card title={t('loan.schedule')} size="small" data-testid="schedule">
      <ProblemAlert error={error} />
      <Table<ScheduleRow>
        size="small"
        rowKey="number"
        pagination={false}
        dataSource={rows}
        className="nowrap-table"
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('loan.installment'), dataIndex: 'number', width: 70 },
          { title: t('loan.dueDate'), dataIndex: 'dueDate', render: (d: string) => date(d) },
          {
            title: t('loan.schedulePrincipal'),
            dataIndex: 'principal',
            align: 'right',
            render: (v: string) => money(v),
          },
          {
            title: t('loan.interest'),
            dataIndex: 'interest',
            align: 'right',
            render: (v: string) => money(v),
          },
          { title: t('loan.fee'), dataIndex: 'fee', align: 'right', render: (v: string) => money(v) },
          { title: t('loan.total'), dataIndex: 'total', align: 'right', render: (v: string) => money(v) },
          {
            title: t('loan.remaining'),
            dataIndex: 'remainingPrincipal',
            align: 'right',
            render: (v: string) => money(v),
          },
          {
            title: t('loan.unpaid'),
            render: (_: unknown, r: ScheduleRow) =>
              r.due === undefined ? null : (
                <Tag color={r.due.overdue ? 'red' : 'orange'}>
                  {r.due.overdue ? t('loan.overdue') : t('loan.dueInGrace')}{' '}
                  {money(addYuan([r.due.principal, r.due.interest, r.due.fee]))}
                </Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

/** Sums decimal strings of yuan exactly (as fen in BigInt). */
function addYuan(amounts: readonly string[]): string {
  let fen = 0n;
  for (const a of amounts) {
    const [whole, fraction = ''] = a.split('.');
    fen += BigInt(whole ?? '0') * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  }
  return `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;
}

export function LoanPage({ loanId }: { loanId: string }) {
  const { t, date } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [current, setCurrent] = useState<Loan | null>(null);
  const [asOf, setAsOf] = useState<string | null>(null);
  const [replayed, setReplayed] = useState<Loan | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** Bumped after a repayment: each section is keyed by it, so it mounts again and reads anew. */
  const [version, setVersion] = useState(0);
  const path = `/loans/${encodeURIComponent(loanId)}`;

  useEffect(() => {
    setError(null);
    api.get<Loan>(path).then(setCurrent, setError);
  }, [api, path]);
  useEffect(() => {
    setReplayed(null);
    if (asOf === null) return;
    setError(null);
    api.get<Loan>(path, { asOf }).then(setReplayed, setError);
  }, [api, path, asOf]);

  const onRepaid = useCallback((after: Loan) => {
    setCurrent(after);
    setAsOf(null);
    setVersion((v) => v + 1);
  }, []);

  /** After a restructuring: the loan as it left it (or read anew when it waits for approval). */
  const onRestructured = useCallback(
    (after: Loan | null) => {
      if (after !== null) setCurrent(after);
      else api.get<Loan>(path).then(setCurrent, setError);
      setAsOf(null);
      setVersion((v) => v + 1);
    },
    [api, path],
  );

  const shown = asOf === null ? current : replayed;
  const role = me?.role;
  const disabledDate = (d: Dayjs) =>
    current === null || d.isBefore(dayjs(current.openedOn)) || d.isAfter(dayjs(current.lastClosedDay));

  return (
    <div data-testid="page-loan">
      <Space align="center" wrap>
        {current !== null ? (
          <Link to={`/customers/${encodeURIComponent(current.customerId)}`} testId="loan-borrower-link">
            {t('loan.backToBorrower')} {current.customerId}
          </Link>
        ) : null}
      </Space>
      <Typography.Title level={2}>
        {t('loan.title')} {loanId}
      </Typography.Title>
      <ProblemAlert error={error} />
      {current === null && error === null ? <Spin /> : null}
      {current !== null ? (
        <>
          <Space style={{ marginBottom: 16 }} wrap>
            <Typography.Text>{t('loan.asOfPick')}</Typography.Text>
            <DatePicker
              value={asOf === null ? null : dayjs(asOf)}
              disabledDate={disabledDate}
              onChange={(d) => setAsOf(d === null ? null : d.format('YYYY-MM-DD'))}
              data-testid="as-of-picker"
            />
            <Button onClick={() => setAsOf(null)} disabled={asOf === null} data-testid="as-of-now">
              {t('loan.asOfNow')}
            </Button>
            <Typography.Text type="secondary">
              {t('loan.product')} {current.productId} · {t('loan.openedOn')} {date(current.openedOn)}
            </Typography.Text>
          </Space>
          {asOf !== null ? (
            <Alert
              type="info"
              showIcon
              message={t('loan.asOfNotice', { date: date(asOf) })}
              style={{ marginBottom: 16 }}
              data-testid="as-of-notice"
            />
          ) : null}
          {shown !== null ? <Balances loan={shown} /> : <Spin />}
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={16}>
              <ScheduleTable key={`schedule-${version}`} loanId={loanId} />
            </Col>
            <Col xs={24} xl={8}>
              <LoanActions loan={current} role={role} onRepaid={onRepaid} />
              <RestructuringList
                key={`restructurings-${version}`}
                loanId={loanId}
                role={role}
                onDecided={onRestructured}
              />
              {current.status === 'active' && role !== undefined && can(role, 'loans.restructure') ? (
                <div style={{ marginTop: 16 }}>
                  <RestructuringForm loan={current} onDone={onRestructured} />
                </div>
              ) : null}
              <SettlementList
                key={`settlements-${version}`}
                loanId={loanId}
                role={role}
                onDecided={onRestructured}
              />
              {current.status === 'active' && role !== undefined && can(role, 'loans.restructure') ? (
                <div style={{ marginTop: 16 }}>
                  <SettlementForm loan={current} onDone={() => onRestructured(null)} />
                </div>
              ) : null}
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={10}>
              <EventTimeline key={`events-${version}`} loanId={loanId} />
            </Col>
            <Col xs={24} xl={14}>
              {role !== undefined && can(role, 'journal.read') ? (
                <PostingsTable key={`postings-${version}`} loanId={loanId} />
              ) : null}
            </Col>
          </Row>
          <div style={{ marginTop: 16 }}>
            {current.status === 'active' ? (
              <ImpactView key={`impact-${version}`} loanId={loanId} />
            ) : (
              <Alert type="success" showIcon message={t('loan.settledNoImpact')} />
            )}
          </div>
          <LoanMonitoring key={`monitoring-${version}`} loanId={loanId} lineId={current.lineId} />
        </>
      ) : null}
    </div>
  );
}
