import { Alert, Button, Card, DatePicker, Form, Modal, Progress, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem, type Page } from '../api.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { eodDateAllowed, eodDaysClosed } from '../data/eod.js';
import { useI18n } from '../i18n.js';
import type { EodPartition, EodRun, EodRunDetail } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { todayInShanghai } from '../money.js';
import { can } from '../permissions.js';
import { problemsByField } from '../problem-fields.js';
import { useApi, useSession } from '../session.js';

/** How often a working run is read again. */
const POLL_INTERVAL_MS = 1_000;
/** Runs listed, newest first. */
const RUNS_SHOWN = 20;

const STATUS_COLOURS: Record<string, string> = {
  pending: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'default'} data-testid={`eod-status-${status}`}>
      {t(`eodStatus.${status}` as MessageKey)}
    </Tag>
  );
}

function StartRunForm({ onStarted, runs }: { onStarted: (run: EodRun) => void; runs: unknown }) {
  const { t, date, count } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<{ businessDate?: Dayjs | null }>();
  const [problem, setProblem] = useState<unknown>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [businessDay, setBusinessDay] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ day: string; days: number } | null>(null);
  const today = todayInShanghai();
  useEffect(() => {
    // Read again whenever the runs change (`runs` is read so the effect runs then): a run that finished
    // moved the business day on. The business day is what the portfolio summary is as of.
    if (runs === undefined) return;
    api.get<{ asOf: string }>('/portfolio/summary').then(
      (s) => setBusinessDay(s.asOf),
      (e: unknown) => setProblem(e),
    );
  }, [api, runs]);
  const picked = Form.useWatch('businessDate', form);
  const pickedDay = picked?.format('YYYY-MM-DD');
  const start = async (day: string) => {
    setBusy(true);
    setProblem(null);
    setStarted(null);
    try {
      const run = await api.post<EodRun>('/eod-runs', { businessDate: day });
      setStarted(t('eod.started', { date: date(run.businessDate) }));
      onStarted(run);
    } catch (e) {
      setProblem(e);
      if (e instanceof ApiProblem) {
        form.setFields(problemsByField(e.errors).fields as Parameters<typeof form.setFields>[0]);
      }
    } finally {
      setBusy(false);
    }
  };
  const submit = async (values: { businessDate?: Dayjs | null }) => {
    const day = values.businessDate?.format('YYYY-MM-DD') ?? '';
    const days = businessDay === null ? 1 : eodDaysClosed(day, businessDay);
    // Closing several days at once (catching up after an outage) is asked for in so many words.
    if (days > 1) setConfirming({ day, days });
    else await start(day);
  };
  return (
    <Card title={t('eod.start')} size="small" style={{ marginBottom: 16 }}>
      {started !== null ? (
        <Alert type="success" showIcon message={started} style={{ marginBottom: 16 }} />
      ) : null}
      <ProblemAlert error={problem} />
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item
          name="businessDate"
          label={t('eod.businessDate')}
          rules={[{ required: true, message: t('validate.required') }]}
          extra={
            businessDay === null ? null : (
              <span data-testid="eod-range">
                {t('eod.range', { from: date(businessDay), to: date(today) })}
                {pickedDay !== undefined && eodDateAllowed(pickedDay, businessDay, today)
                  ? ` · ${t('eod.days', { days: count(eodDaysClosed(pickedDay, businessDay)) })}`
                  : ''}
              </span>
            )
          }
        >
          <DatePicker
            data-testid="eod-date"
            disabled={businessDay === null}
            // The calendar opens on the business day's month, where the next day to close is.
            defaultPickerValue={businessDay === null ? undefined : dayjs(businessDay)}
            disabledDate={(d: Dayjs) =>
              businessDay === null || !eodDateAllowed(d.format('YYYY-MM-DD'), businessDay, today)
            }
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="eod-start">
          {t('eod.startSubmit')}
        </Button>
      </Form>
      <Modal
        open={confirming !== null}
        title={confirming === null ? '' : t('eod.confirmTitle', { days: count(confirming.days) })}
        okText={confirming === null ? '' : t('eod.confirmOk', { days: count(confirming.days) })}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'eod-confirm-ok' } as object) }}
        cancelButtonProps={{ ...({ 'data-testid': 'eod-confirm-cancel' } as object) }}
        onCancel={() => setConfirming(null)}
        onOk={() => {
          const day = confirming?.day;
          setConfirming(null);
          if (day !== undefined) void start(day);
        }}
        data-testid="eod-confirm"
      >
        {confirming === null || businessDay === null ? null : (
          <Typography.Paragraph data-testid="eod-confirm-body">
            {t('eod.confirmBody', {
              from: date(businessDay),
              to: date(confirming.day),
              days: count(confirming.days),
            })}
          </Typography.Paragraph>
        )}
      </Modal>
    </Card>
  );
}

function RunDetail({ runId, onChange }: { runId: string; onChange: () => void }) {
  const { t, count, dateTime } = useI18n();
  const api = useApi();
  const [run, setRun] = useState<EodRunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const read = async () => {
      try {
        const detail = await api.get<EodRunDetail>(`/eod-runs/${encodeURIComponent(runId)}`);
        if (!live) return;
        setRun(detail);
        setError(null);
        if (detail.status === 'running') timer = setTimeout(read, POLL_INTERVAL_MS);
        else onChange();
      } catch (e) {
        if (live) setError(e);
      }
    };
    void read();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, runId, onChange]);
  if (run === null) return <ProblemAlert error={error} />;
  const done = run.partitions.filter((p) => p.status === 'succeeded').length;
  return (
    <Card
      size="small"
      title={`${t('eod.run')} ${run.businessDate}`}
      extra={<StatusTag status={run.status} />}
      data-testid="eod-run-detail"
    >
      <ProblemAlert error={error} />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Progress
          percent={Math.round((done / Math.max(1, run.partitionsTotal)) * 100)}
          status={run.status === 'failed' ? 'exception' : run.status === 'running' ? 'active' : 'success'}
          format={() => `${count(done)} / ${count(run.partitionsTotal)}`}
          data-testid="eod-progress"
        />
        {run.status === 'running' ? (
          <Typography.Text type="secondary">
            {t('eod.watching', { seconds: POLL_INTERVAL_MS / 1000 })}
          </Typography.Text>
        ) : null}
        <Typography.Text>
          {t('eod.loansClosed')} {count(run.loansClosed)} · {t('eod.loansAdvanced')}{' '}
          {count(run.loansAdvanced)} · {t('eod.events')} {count(run.eventsWritten)} · {t('eod.resumes')}{' '}
          {count(run.resumes)}
        </Typography.Text>
        <Table<EodPartition>
          size="small"
          rowKey="partitionNo"
          pagination={false}
          dataSource={run.partitions}
          data-testid="eod-partitions"
          scroll={{ y: 400 }}
          columns={[
            { title: t('eod.partition'), dataIndex: 'partitionNo', width: 90 },
            {
              title: t('eod.keys'),
              render: (_: unknown, p: EodPartition) => `${p.keyFrom}–${p.keyTo}`,
              width: 110,
            },
            { title: t('eod.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            {
              title: t('eod.claimedBy'),
              dataIndex: 'claimedBy',
              render: (w: string | null) => w ?? t('common.none'),
            },
            { title: t('eod.claims'), dataIndex: 'claims', align: 'right' },
            {
              title: t('eod.loansClosed'),
              dataIndex: 'loansClosed',
              align: 'right',
              render: (n: number) => count(n),
            },
            {
              title: t('eod.loansAdvanced'),
              dataIndex: 'loansAdvanced',
              align: 'right',
              render: (n: number) => count(n),
            },
            {
              title: t('eod.errors'),
              dataIndex: 'errors',
              render: (errors: EodPartition['errors']) =>
                errors.length === 0 ? (
                  <Typography.Text type="secondary">{t('eod.noErrors')}</Typography.Text>
                ) : (
                  <Space direction="vertical" data-testid="eod-partition-errors">
                    {errors.map((e) => (
                      <Typography.Text type="danger" key={`${e.at}-${e.worker}`}>
                        {dateTime(e.at)} {e.loanId ?? ''}: {e.message}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}

export function EodRunsPage() {
  const { t, count, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [runs, setRuns] = useState<EodRun[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    api.get<Page<EodRun>>('/eod-runs', { limit: RUNS_SHOWN }).then((p) => {
      setRuns(p.items);
      setSelected((s) => s ?? p.items[0]?.runId ?? null);
    }, setError);
  }, [api]);
  useEffect(reload, [reload]);
  const mayStart = me !== null && can(me.role, 'eod.run');
  return (
    <div data-testid="page-eod">
      <Typography.Title level={2}>{t('eod.title')}</Typography.Title>
      {mayStart ? (
        <StartRunForm
          runs={runs}
          onStarted={(run) => {
            setSelected(run.runId);
            reload();
          }}
        />
      ) : (
        <Alert type="info" showIcon message={t('eod.mayNotStart')} style={{ marginBottom: 16 }} />
      )}
      <ProblemAlert error={error} />
      {selected !== null ? <RunDetail key={selected} runId={selected} onChange={reload} /> : null}
      <Card title={t('eod.runs')} size="small" style={{ marginTop: 16 }}>
        <Table<EodRun>
          size="small"
          rowKey="runId"
          pagination={false}
          loading={runs === null}
          dataSource={runs ?? []}
          locale={{ emptyText: t('eod.empty') }}
          onRow={(run) => ({ onClick: () => setSelected(run.runId), style: { cursor: 'pointer' } })}
          rowClassName={(run) => (run.runId === selected ? 'ant-table-row-selected' : '')}
          data-testid="eod-runs"
          columns={[
            { title: t('eod.businessDate'), dataIndex: 'businessDate' },
            { title: t('eod.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            { title: t('eod.partitions'), dataIndex: 'partitionsTotal', align: 'right' },
            {
              title: t('eod.loansClosed'),
              dataIndex: 'loansClosed',
              align: 'right',
              render: (n: number) => count(n),
            },
            {
              title: t('eod.events'),
              dataIndex: 'eventsWritten',
              align: 'right',
              render: (n: number) => count(n),
            },
            { title: t('eod.requestedBy'), dataIndex: 'requestedBy' },
            { title: t('eod.startedAt'), dataIndex: 'startedAt', render: (v: string) => dateTime(v) },
            {
              title: t('eod.finishedAt'),
              dataIndex: 'finishedAt',
              render: (v: string | null) => (v === null ? t('common.none') : dateTime(v)),
            },
          ]}
        />
      </Card>
    </div>
  );
}
