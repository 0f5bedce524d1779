import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useI18n } from '../i18n.js';
import {
  LAB_FIGURES,
  LAB_RATIOS,
  type LabComparison,
  type LabInterval,
  type LabOptions,
  type LabRun,
  labNoteText,
} from '../lab.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import { useRouter } from '../router.js';
import { useApi, useSession } from '../session.js';

/** How often a queued or running run is read again. */
const POLL_INTERVAL_MS = 1_000;

interface LabForm {
  strategies: string[];
  scenario: string;
  population: string;
  borrowers: number;
  months: number;
  replications: number;
  seed: number;
}

/** A figure as the locale writes it: yuan for amounts, a percentage for ratios, a count otherwise. */
function useFigure() {
  const { money, locale } = useI18n();
  return (figure: string, value: number | string): string => {
    if (typeof value === 'string') return value.startsWith('-') ? `−${money(value.slice(1))}` : money(value);
    if (LAB_RATIOS.has(figure))
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(value);
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  };
}

function RunForm({ options, onStarted }: { options: LabOptions; onStarted: (runId: string) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<LabForm>();
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: LabForm) => {
    setBusy(true);
    setProblem(null);
    try {
      const run = await api.post<{ runId: string }>('/simulation/runs', values);
      onStarted(run.runId);
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('lab.start')} size="small" style={{ marginBottom: 16 }}>
      <ProblemAlert error={problem} />
      <Form<LabForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          strategies: options.strategies.slice(0, 2).map((s) => s.id),
          scenario: options.scenarios[0]?.id,
          population: options.populations[0]?.id,
          borrowers: 200,
          months: 24,
          replications: 2,
          seed: 1,
        }}
      >
        <Form.Item
          name="strategies"
          label={t('lab.strategies')}
          extra={t('lab.strategiesHelp')}
          rules={[
            { required: true, message: t('validate.required') },
            { type: 'array', max: 2, message: t('lab.strategiesMax') },
          ]}
        >
          <Select
            mode="multiple"
            data-testid="lab-strategies"
            options={options.strategies.map((s) => ({ value: s.id, label: s.name, title: s.description }))}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="population" label={t('lab.population')}>
            <Select
              style={{ minWidth: 160 }}
              data-testid="lab-population"
              options={options.populations.map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="scenario" label={t('lab.scenario')}>
            <Select
              style={{ minWidth: 160 }}
              data-testid="lab-scenario"
              options={options.scenarios.map((s) => ({ value: s.id, label: s.name, title: s.description }))}
            />
          </Form.Item>
          <Form.Item name="borrowers" label={t('lab.borrowers')} rules={[{ required: true }]}>
            <InputNumber min={10} max={options.bounds.borrowers_max} data-testid="lab-borrowers" />
          </Form.Item>
          <Form.Item name="months" label={t('lab.months')} rules={[{ required: true }]}>
            <InputNumber
              min={options.bounds.months_min}
              max={options.bounds.months_max}
              data-testid="lab-months"
            />
          </Form.Item>
          <Form.Item name="replications" label={t('lab.replications')}>
            <InputNumber min={1} max={options.bounds.replications_max} data-testid="lab-replications" />
          </Form.Item>
          <Form.Item name="seed" label={t('lab.seed')}>
            <InputNumber min={0} data-testid="lab-seed" />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary">{t('lab.borrowersNamed')}</Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="lab-run">
          {t('lab.run')}
        </Button>
      </Form>
    </Card>
  );
}

function Interval({ figure, value }: { figure: string; value: LabInterval | undefined }) {
  const show = useFigure();
  if (value === undefined) return null;
  const same = value.low === value.high;
  return (
    <span>
      {show(figure, value.mean)}
      {same ? null : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {' '}
          [{show(figure, value.low)}, {show(figure, value.high)}]
        </Typography.Text>
      )}
    </span>
  );
}

function Comparison({ result }: { result: LabComparison }) {
  const { t, locale } = useI18n();
  const show = useFigure();
  type Row = { key: string; figure: string };
  const columns = [
    {
      title: t('lab.figure'),
      key: 'figure',
      render: (_: unknown, r: Row) => t(`lab.fig.${r.figure}` as MessageKey),
    },
    ...result.strategies.map((s) => ({
      title: s.name,
      key: s.name,
      render: (_: unknown, r: Row) => <Interval figure={r.figure} value={s.metrics[r.figure]} />,
    })),
    ...(result.difference === null
      ? []
      : [
          {
            title: t('lab.difference', { a: result.difference.a, b: result.difference.b }),
            key: 'difference',
            render: (_: unknown, r: Row) => (
              <Interval figure={r.figure} value={result.difference!.metrics[r.figure]} />
            ),
          },
        ]),
  ];
  const rolls = Object.keys(result.strategies[0]?.rollRates ?? {});
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="lab-comparison">
      <Card size="small" title={t('lab.comparison')}>
        <Table<Row>
          size="small"
          pagination={false}
          rowKey="key"
          data-testid="lab-figures"
          columns={columns}
          dataSource={LAB_FIGURES.map((f) => ({ key: f, figure: f }))}
          onRow={(r) => ({ 'data-testid': `lab-figure-${r.figure}` }) as object}
        />
        <Typography.Text type="secondary">{t('lab.intervalHelp')}</Typography.Text>
      </Card>
      <Card size="small" title={t('lab.rollRates')}>
        <Table
          size="small"
          pagination={false}
          rowKey="roll"
          data-testid="lab-roll-rates"
          columns={[
            { title: t('lab.roll'), dataIndex: 'roll', key: 'roll' },
            ...result.strategies.map((s) => ({
              title: s.name,
              key: s.name,
              render: (_: unknown, r: { roll: string }) => show('lossRate', s.rollRates[r.roll] ?? 0),
            })),
          ]}
          dataSource={rolls.map((roll) => ({ roll }))}
        />
      </Card>
      <Card size="small" title={t('lab.borrowersTitle')} data-testid="lab-borrowers-outcomes">
        {result.borrowers.map((b) => (
          <div key={b.name} style={{ marginBottom: 16 }} data-testid={`lab-borrower-${b.name}`}>
            <Typography.Title level={5}>
              {b.name} · {t(`lab.archetype.${b.name}` as MessageKey)}
            </Typography.Title>
            <Table
              size="small"
              pagination={false}
              rowKey="strategy"
              columns={[
                { title: t('lab.strategy'), dataIndex: 'strategy', key: 'strategy' },
                {
                  title: t('lab.approved'),
                  key: 'approved',
                  render: (_: unknown, r: (typeof b.strategies)[number]) =>
                    r.outcome.approved ? (
                      <Tag color="blue">{t('lab.yes')}</Tag>
                    ) : (
                      <Tag>{t('lab.refused')}</Tag>
                    ),
                },
                {
                  title: t('lab.paid'),
                  key: 'paid',
                  render: (_: unknown, r: (typeof b.strategies)[number]) => show('paid', r.outcome.paid),
                },
                {
                  title: t('lab.owedAtEnd'),
                  key: 'owed',
                  render: (_: unknown, r: (typeof b.strategies)[number]) => show('owed', r.outcome.owedAtEnd),
                },
                {
                  title: t('lab.monthsPastDue'),
                  key: 'mpd',
                  render: (_: unknown, r: (typeof b.strategies)[number]) => r.outcome.monthsPastDue,
                },
                {
                  title: t('lab.worstDpd'),
                  key: 'dpd',
                  render: (_: unknown, r: (typeof b.strategies)[number]) => r.outcome.worstDaysPastDue,
                },
                {
                  title: t('lab.lineAtEnd'),
                  key: 'line',
                  render: (_: unknown, r: (typeof b.strategies)[number]) =>
                    r.outcome.lineAtEnd === 'none'
                      ? t('common.none')
                      : t(`lineStatus.${r.outcome.lineAtEnd}` as MessageKey),
                },
                {
                  title: t('lab.creditReport'),
                  key: 'report',
                  render: (_: unknown, r: (typeof b.strategies)[number]) => r.outcome.creditReportAtEnd,
                },
                {
                  title: t('lab.assetClass'),
                  key: 'class',
                  render: (_: unknown, r: (typeof b.strategies)[number]) =>
                    r.outcome.assetClassAtEnd === '-'
                      ? t('common.none')
                      : t(`class.${r.outcome.assetClassAtEnd}` as MessageKey),
                },
              ]}
              dataSource={b.strategies}
              expandable={{
                expandedRowRender: (r) => (
                  <ul style={{ margin: 0 }}>
                    {r.months
                      .filter((m) => m.events.length > 0)
                      .map((m) => (
                        <li key={m.month}>
                          {t('lab.month', { month: m.month })}:{' '}
                          {(m.notes ?? []).length > 0
                            ? m.notes!.map((n) => labNoteText(n, t)).join(locale === 'zh-CN' ? '；' : '; ')
                            : m.events.join('; ')}
                        </li>
                      ))}
                  </ul>
                ),
              }}
            />
          </div>
        ))}
      </Card>
    </Space>
  );
}

function RunView({ runId }: { runId: string }) {
  const { t, count } = useI18n();
  const api = useApi();
  const [run, setRun] = useState<LabRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const read = async () => {
      try {
        const r = await api.get<LabRun>(`/simulation/runs/${encodeURIComponent(runId)}`);
        if (!live) return;
        setRun(r);
        setError(null);
        if (r.status === 'queued' || r.status === 'running') timer = setTimeout(read, POLL_INTERVAL_MS);
      } catch (e) {
        if (live) setError(e);
      }
    };
    void read();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, runId]);
  if (run === null) return <ProblemAlert error={error} />;
  const request = run.request as { strategies?: string[]; scenario?: string; population?: string };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('lab.runTitle')}
        extra={
          <Tag data-testid={`lab-status-${run.status}`}>{t(`lab.status.${run.status}` as MessageKey)}</Tag>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('lab.strategies')}>{request.strategies?.join(' · ')}</Descriptions.Item>
          <Descriptions.Item label={t('lab.population')}>{request.population}</Descriptions.Item>
          <Descriptions.Item label={t('lab.scenario')}>{request.scenario}</Descriptions.Item>
        </Descriptions>
        <Progress
          percent={Math.round((run.borrowersDone / Math.max(1, run.borrowersTotal)) * 100)}
          status={run.status === 'failed' ? 'exception' : run.status === 'succeeded' ? 'success' : 'active'}
          format={() => `${count(run.borrowersDone)} / ${count(run.borrowersTotal)}`}
          data-testid="lab-progress"
        />
        {run.status === 'failed' ? <Alert type="error" showIcon message={run.error ?? ''} /> : null}
      </Card>
      {run.result === null ? null : <Comparison result={run.result} />}
    </Space>
  );
}

/** The strategy lab: pick strategies and a population, run them, and compare (decision 0901). */
export function LabPage() {
  const { t } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { search, replaceSearch } = useRouter();
  const [options, setOptions] = useState<LabOptions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const runId = new URLSearchParams(search).get('run');
  useEffect(() => {
    api.get<LabOptions>('/simulation/options').then(setOptions, setError);
  }, [api]);
  return (
    <div data-testid="page-lab">
      <Typography.Title level={3}>{t('lab.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('lab.intro')}</Typography.Paragraph>
      <ProblemAlert error={error} />
      {options !== null && me !== null && can(me.role, 'simulations.run') ? (
        <RunForm options={options} onStarted={(id) => replaceSearch(`run=${encodeURIComponent(id)}`)} />
      ) : null}
      {runId === null ? null : <RunView key={runId} runId={runId} />}
    </div>
  );
}
