import { Alert, Button, Card, Input, Space, Spin, Table, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { Link } from '../../router.js';
import { useApi } from '../../session.js';

interface Counts {
  attempts: number;
  refused: number;
  breaches: number;
}
interface Attempt {
  attemptId: string;
  caseId: string;
  customerId: string;
  at: string;
  channel: string;
  party: string;
  collector: string;
  rule: string;
}
interface Breach extends Attempt {
  outcome: string;
  message: string;
}
interface ComplianceReport {
  from: string;
  to: string;
  zone: string;
  totals: Counts & { allowed: number };
  byRule: { rule: string; refused: number; breaches: number }[];
  byCollector: (Counts & { collector: string })[];
  byDay: (Counts & { date: string })[];
  refusals: Attempt[];
  refusalsTruncated: boolean;
  breaches: Breach[];
}

const LINK_BLUE = '#0958d9';

/** A figure with its title, in the body text's colour (the theme's grey titles fall short of 4.5:1). */
function Figure({ title, value, style }: { title: string; value: string | number; style?: CSSProperties }) {
  return (
    <div>
      <Typography.Text>{title}</Typography.Text>
      <div style={{ fontSize: 24, ...style }}>{value}</div>
    </div>
  );
}

/** Refusals the server lists at most (COMPLIANCE_REFUSALS_LISTED_MAX); the export lists all. */
const REFUSALS_LISTED_MAX = 1000;

/**
 * The compliance team's report of the contact log (合规报告): what the conduct rules refused, by rule,
 * collector and day, and the breaches — attempts logged as allowed that the rules now refuse — over a window,
 * with its Excel export.
 */
export function CompliancePage() {
  const { t, locale, date } = useI18n();
  const api = useApi();
  const [report, setReport] = useState<ComplianceReport | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(null);

  const window = useCallback(
    () => ({ ...(from === '' ? {} : { from }), ...(to === '' ? {} : { to }) }),
    [from, to],
  );
  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await api.get<ComplianceReport>('/collections/compliance', window());
      setReport(r);
      setFrom(r.from);
      setTo(r.to);
    } catch (e) {
      setError(e);
    }
  }, [api, window]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the first window is the server's default; later ones load on Show.
  useEffect(() => {
    void load();
  }, []);

  const exportReport = async () => {
    setError(null);
    try {
      const blob = await api.download('/collections/compliance/export', { ...window(), lang: locale });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `compliance-${report?.from ?? from}-${report?.to ?? to}.xlsx`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };

  if (report === null) return error === null ? <Spin /> : <ProblemAlert error={error} />;
  const rule = (r: string) => <Tag>{t(`contactRule.${r}` as MessageKey) ?? r}</Tag>;
  const attemptColumns = [
    { title: t('compliance.at'), dataIndex: 'at' },
    {
      title: t('compliance.case'),
      dataIndex: 'caseId',
      render: (id: string) => (
        <Link to={`/collections/${id}`}>
          {/* A darker blue than the theme's link: 4.5:1 on white (WCAG AA). */}
          <span style={{ color: LINK_BLUE }}>{id}</span>
        </Link>
      ),
    },
    {
      title: t('compliance.channel'),
      dataIndex: 'channel',
      render: (c: string, a: Attempt) =>
        `${t(`channel.${c}` as MessageKey)} · ${t(`party.${a.party}` as MessageKey)}`,
    },
    { title: t('compliance.collector'), dataIndex: 'collector' },
    { title: t('compliance.rule'), dataIndex: 'rule', render: rule },
  ];
  return (
    <div data-testid="page-compliance">
      <Typography.Title level={2}>{t('compliance.title')}</Typography.Title>
      <ProblemAlert error={error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Space wrap size="middle">
            <Input
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-label={t('compliance.from')}
              addonBefore={t('compliance.from')}
              data-testid="compliance-from"
            />
            <Input
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label={t('compliance.to')}
              addonBefore={t('compliance.to')}
              data-testid="compliance-to"
            />
            <Button onClick={() => void load()} data-testid="compliance-show">
              {t('compliance.show')}
            </Button>
            <Button onClick={exportReport} data-testid="compliance-export">
              {t('compliance.export')}
            </Button>
          </Space>
        </Card>
        <Card size="small">
          <Space size="large" wrap data-testid="compliance-totals">
            <Figure title={t('compliance.window')} value={`${date(report.from)} – ${date(report.to)}`} />
            <Figure title={t('compliance.attempts')} value={report.totals.attempts} />
            <Figure title={t('compliance.allowed')} value={report.totals.allowed} />
            <Figure title={t('compliance.refused')} value={report.totals.refused} />
            <Figure
              title={t('compliance.breaches')}
              value={report.totals.breaches}
              style={report.totals.breaches > 0 ? { color: '#a8071a' } : undefined}
            />
          </Space>
        </Card>
        <Card title={t('compliance.breachList')} size="small">
          {report.breaches.length === 0 ? (
            <Alert type="success" showIcon message={t('compliance.noBreaches')} />
          ) : (
            <Table<Breach>
              rowKey="attemptId"
              size="small"
              pagination={false}
              dataSource={report.breaches}
              data-testid="compliance-breaches"
              columns={[...attemptColumns, { title: t('compliance.why'), dataIndex: 'message' }]}
            />
          )}
        </Card>
        <Card title={t('compliance.byRule')} size="small">
          <Table
            rowKey="rule"
            size="small"
            pagination={false}
            dataSource={report.byRule}
            data-testid="compliance-by-rule"
            columns={[
              { title: t('compliance.rule'), dataIndex: 'rule', render: rule },
              { title: t('compliance.refused'), dataIndex: 'refused', align: 'right' },
              { title: t('compliance.breaches'), dataIndex: 'breaches', align: 'right' },
            ]}
          />
        </Card>
        <Card title={t('compliance.byCollector')} size="small">
          <Table
            rowKey="collector"
            size="small"
            pagination={false}
            dataSource={report.byCollector}
            data-testid="compliance-by-collector"
            columns={[
              { title: t('compliance.collector'), dataIndex: 'collector' },
              { title: t('compliance.attempts'), dataIndex: 'attempts', align: 'right' },
              { title: t('compliance.refused'), dataIndex: 'refused', align: 'right' },
              { title: t('compliance.breaches'), dataIndex: 'breaches', align: 'right' },
            ]}
          />
        </Card>
        <Card title={t('compliance.byDay')} size="small">
          <Table
            rowKey="date"
            size="small"
            pagination={{ pageSize: 31, hideOnSinglePage: true }}
            dataSource={report.byDay}
            data-testid="compliance-by-day"
            columns={[
              { title: t('compliance.date'), dataIndex: 'date', render: (d: string) => date(d) },
              { title: t('compliance.attempts'), dataIndex: 'attempts', align: 'right' },
              { title: t('compliance.refused'), dataIndex: 'refused', align: 'right' },
              { title: t('compliance.breaches'), dataIndex: 'breaches', align: 'right' },
            ]}
          />
        </Card>
        <Card title={t('compliance.refusals')} size="small">
          {report.refusalsTruncated ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              message={t('compliance.truncated', { n: REFUSALS_LISTED_MAX })}
            />
          ) : null}
          <Table<Attempt>
            rowKey="attemptId"
            size="small"
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={report.refusals}
            data-testid="compliance-refusals"
            locale={{ emptyText: t('compliance.noRefusals') }}
            columns={attemptColumns}
          />
        </Card>
      </Space>
    </div>
  );
}
