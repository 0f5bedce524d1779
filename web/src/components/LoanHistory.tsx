import { Alert, Button, Card, Col, Empty, Row, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Page } from '../api.js';
import { impactPlan } from '../data/impact.js';
import { useI18n } from '../i18n.js';
import type { Impact, ImpactMilestone, ImpactRow, LoanEventItem, Posting } from '../ledger.js';
import { type MessageKey, en as messages } from '../messages.js';
import { legalSource } from '../reasons.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';

/** Rows asked for per page of events and postings. */
const HISTORY_PAGE_SIZE = 100;

/** Reads a keyset list page by page on demand ("more"), keeping what was read. */
function useMore<T>(path: string, query: Record<string, string>) {
  const api = useApi();
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify(query);
  const read = useCallback(
    async (after: string | null, reset: boolean) => {
      setLoading(true);
      try {
        const page = await api.get<Page<T>>(path, {
          ...(JSON.parse(key) as Record<string, string>),
          limit: HISTORY_PAGE_SIZE,
          cursor: after ?? undefined,
        });
        setItems((old) => (reset ? page.items : [...old, ...page.items]));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [api, path, key],
  );
  return { items, cursor, error, loading, read };
}

const EVENT_COLOURS: Record<string, string> = {
  LoanOpened: 'blue',
  Repaid: 'green',
  LoanSettled: 'green',
  InstallmentOverdue: 'red',
  DelinquencyChanged: 'red',
  EventsSuperseded: 'gray',
};

/** The few figures of an event worth a glance: amounts (decimal strings) and buckets. */
function eventSummary(
  detail: Record<string, unknown>,
  money: (a: string) => string,
  label: (name: string) => string,
): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(detail)) {
    if (typeof value !== 'string') continue;
    if (/^[0-9]+\.[0-9]{2}$/.test(value) && value !== '0.00') parts.push(`${label(name)} ${money(value)}`);
    else if (/^M[0-7]$/.test(value)) parts.push(`${label(name)} ${value}`);
  }
  return parts.slice(0, 4).join(' · ');
}

/** The loan's event log as a timeline, oldest first, read a page at a time. */
export function EventTimeline({ loanId }: { loanId: string }) {
  const { t, date, money } = useI18n();
  const events = useMore<LoanEventItem>(`/loans/${encodeURIComponent(loanId)}/events`, {});
  const { read } = events;
  useEffect(() => {
    void read(null, true);
  }, [read]);
  return (
    <Card title={t('loan.events')} size="small" data-testid="event-timeline">
      <ProblemAlert error={events.error} />
      {events.items.length === 0 && !events.loading ? <Empty /> : null}
      <Timeline
        items={events.items.map((e) => ({
          color: EVENT_COLOURS[e.type] ?? 'gray',
          children: (
            <div data-testid={`event-${e.type}`}>
              <Typography.Text strong>{date(e.day)}</Typography.Text>{' '}
              <Tag>{labelOr(t, `event.${e.type}`, e.type)}</Tag>
              <Typography.Text type="secondary">
                {eventSummary(e.detail, money, (name) => labelOr(t, `detail.${name}`, name))}
              </Typography.Text>
            </div>
          ),
        }))}
      />
      {events.cursor !== null ? (
        <Button onClick={() => read(events.cursor, false)} loading={events.loading}>
          {t('loan.moreEvents')}
        </Button>
      ) : null}
    </Card>
  );
}

/** A label when the tables have it, else the code as the server sent it (a kind added later). */
function labelOr(t: (k: MessageKey) => string, key: string, fallback: string): string {
  return Object.hasOwn(messages, key) ? t(key as MessageKey) : fallback;
}

interface PostingLineRow {
  key: string;
  postingNo: number;
  day: string;
  account: string;
  debit?: string;
  credit?: string;
}

/** The loan's postings in journal order, one row per line. */
export function PostingsTable({ loanId }: { loanId: string }) {
  const { t, date, money } = useI18n();
  const postings = useMore<Posting>('/postings', { loanId });
  const { read } = postings;
  useEffect(() => {
    void read(null, true);
  }, [read]);
  const rows: PostingLineRow[] = postings.items.flatMap((p) =>
    p.lines.map((l, i) => ({
      key: `${p.postingNo}-${i}`,
      postingNo: p.postingNo,
      day: p.day,
      account: l.account,
      ...(l.debit === undefined ? {} : { debit: l.debit }),
      ...(l.credit === undefined ? {} : { credit: l.credit }),
    })),
  );
  return (
    <Card title={t('loan.postings')} size="small" data-testid="postings">
      <ProblemAlert error={postings.error} />
      <Table<PostingLineRow>
        size="small"
        rowKey="key"
        pagination={false}
        loading={postings.loading}
        dataSource={rows}
        scroll={{ y: 360 }}
        columns={[
          { title: t('journal.no'), dataIndex: 'postingNo', width: 90 },
          { title: t('journal.day'), dataIndex: 'day', width: 130, render: (d: string) => date(d) },
          {
            title: t('journal.account'),
            dataIndex: 'account',
            render: (a: string) => labelOr(t, `account.${a}`, a),
          },
          {
            title: t('journal.debit'),
            dataIndex: 'debit',
            align: 'right',
            render: (m?: string) => (m === undefined ? '' : money(m)),
          },
          {
            title: t('journal.credit'),
            dataIndex: 'credit',
            align: 'right',
            render: (m?: string) => (m === undefined ? '' : money(m)),
          },
        ]}
      />
      {postings.cursor !== null ? (
        <Button
          onClick={() => read(postings.cursor, false)}
          loading={postings.loading}
          style={{ marginTop: 8 }}
        >
          {t('loan.morePostings')}
        </Button>
      ) : null}
    </Card>
  );
}

/** Months the impact view offers. */
const IMPACT_MONTH_CHOICES = [3, 7, 12, 24] as const;

/** What staying overdue means for this loan, month end by month end, with the milestones. */
export function ImpactView({ loanId }: { loanId: string }) {
  const { t, date, money, count } = useI18n();
  const api = useApi();
  const [months, setMonths] = useState<number>(7);
  const [impact, setImpact] = useState<Impact | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    api.get<Impact>(`/loans/${encodeURIComponent(loanId)}/impact`, { months }).then(setImpact, setError);
  }, [api, loanId, months]);
  return (
    <Card
      title={t('loan.impact')}
      size="small"
      data-testid="impact"
      extra={
        <span>
          {t('loan.impactMonths')}{' '}
          {IMPACT_MONTH_CHOICES.map((m) => (
            <Button
              key={m}
              size="small"
              type={m === months ? 'primary' : 'default'}
              onClick={() => setMonths(m)}
              style={{ marginLeft: 4 }}
            >
              {count(m)}
            </Button>
          ))}
        </span>
      }
    >
      <ProblemAlert error={error} />
      {impact !== null ? (
        <>
          <Typography.Paragraph type="secondary">
            {t('loan.impactExplain', { date: date(impact.from), due: date(impact.missedDueDate) })}
          </Typography.Paragraph>
          <Table<ImpactRow>
            size="small"
            rowKey="date"
            pagination={false}
            dataSource={impact.rows}
            scroll={{ x: 'max-content' }}
            className="nowrap-table"
            data-testid="impact-table"
            columns={[
              { title: t('journal.day'), dataIndex: 'date', render: (d: string) => date(d) },
              { title: t('loan.dpd'), dataIndex: 'daysPastDue', align: 'right' },
              { title: t('loan.bucket'), dataIndex: 'bucket' },
              {
                title: t('loan.creditReport'),
                dataIndex: 'creditReportStatus',
                render: (c: string) => labelOr(t, `creditStatus.${c}`, c),
              },
              {
                title: t('loan.assetClass'),
                dataIndex: 'assetClass',
                render: (c: string) => labelOr(t, `class.${c}`, c),
              },
              {
                title: t('loan.ifrs9'),
                dataIndex: 'ifrs9Stage',
                render: (stage: number) => t('loan.ifrs9Stage', { stage }),
              },
              {
                title: t('loan.collectionStage'),
                dataIndex: 'collectionStage',
                render: (s: string) => labelOr(t, `stage.${s}`, s),
              },
              {
                title: t('loan.overduePrincipal'),
                dataIndex: 'overduePrincipal',
                align: 'right',
                render: (m: string) => money(m),
              },
              {
                title: t('loan.interestOwed'),
                dataIndex: 'interestOwed',
                align: 'right',
                render: (m: string) => money(m),
              },
              {
                title: t('loan.penalty'),
                dataIndex: 'penaltyOutstanding',
                align: 'right',
                render: (m: string) => money(m),
              },
              {
                title: t('loan.totalOwed'),
                dataIndex: 'totalOwed',
                align: 'right',
                render: (m: string) => money(m),
              },
            ]}
          />
          <Milestones impact={impact} />
        </>
      ) : null}
    </Card>
  );
}

/** A milestone in words for staff, about the borrower (the server's own text speaks to the borrower). */
function milestoneText(
  m: ImpactMilestone,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
) {
  const stage = labelOr(t, `stage.${m.value}`, m.value);
  const params = {
    bucket: labelOr(t, `bucket.${m.value}`, m.value),
    assetClass: labelOr(t, `class.${m.value}`, m.value),
    stage: m.kind === 'ifrs9-stage-change' ? m.value : stage,
    value: m.value,
  };
  const key = `milestone.${m.kind}`;
  return Object.hasOwn(messages, key) ? t(key as MessageKey, params) : m.kind;
}

function milestoneAction(
  m: ImpactMilestone,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
) {
  const key = `milestoneAction.${m.kind}`;
  return Object.hasOwn(messages, key)
    ? t(key as MessageKey, { stage: labelOr(t, `stage.${m.value}`, m.value) })
    : milestoneText(m, t);
}

/**
 * The milestones split at the loan's last closed day: what has happened, what comes next if nothing is
 * paid, and the next action staff must take with its date.
 */
function Milestones({ impact }: { impact: Impact }) {
  const { t, date, locale } = useI18n();
  const plan = impactPlan(impact.milestones, impact.from);
  const item = (m: ImpactMilestone, upcoming: boolean) => ({
    color: m === plan.nextAction ? 'red' : upcoming ? (m.withinPeriodShown ? 'orange' : 'gray') : 'green',
    children: (
      <div data-testid={upcoming ? 'milestone-next' : 'milestone-happened'}>
        <Typography.Text strong>{date(m.date)}</Typography.Text>{' '}
        {m.daysPastDue == null || m.daysPastDue <= 0 ? null : (
          <Tag>{`${t('loan.dpd')} ${m.daysPastDue}`}</Tag>
        )}
        {m === plan.nextAction ? (
          <Tag color="red" data-testid="milestone-next-action-tag">
            {t('impact.nextAction')}
          </Tag>
        ) : null}
        {milestoneText(m, t)}
        {m.withinPeriodShown ? null : (
          <Typography.Text type="secondary">{` (${t('loan.beyondPeriod')})`}</Typography.Text>
        )}
        <br />
        <Typography.Text type="secondary" data-testid="milestone-source">
          {[m.source === '' ? '' : legalSource(m.source, locale), m.convention ? t('loan.convention') : '']
            .filter((x) => x !== '')
            .join(locale === 'en' ? '; ' : '；')}
        </Typography.Text>
      </div>
    ),
  });
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('loan.milestones')}
      </Typography.Title>
      {plan.nextAction === undefined ? (
        <Alert type="info" showIcon message={t('impact.noAction')} style={{ marginBottom: 16 }} />
      ) : (
        <Alert
          type="warning"
          showIcon
          data-testid="milestone-next-action"
          message={t('impact.nextAction')}
          description={t('impact.nextActionOn', {
            action: milestoneAction(plan.nextAction, t),
            date: date(plan.nextAction.date),
          })}
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Typography.Text strong>{t('impact.happened')}</Typography.Text>
          {plan.happened.length === 0 ? (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('impact.nothingYet')}
            </Typography.Paragraph>
          ) : (
            <Timeline
              style={{ marginTop: 12 }}
              data-testid="milestones-happened"
              items={plan.happened.map((m) => item(m, false))}
            />
          )}
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Text strong>{t('impact.next')}</Typography.Text>
          <Timeline
            style={{ marginTop: 12 }}
            data-testid="milestones-next"
            items={plan.next.map((m) => item(m, true))}
          />
        </Col>
      </Row>
    </>
  );
}
