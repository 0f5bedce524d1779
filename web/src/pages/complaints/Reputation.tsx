import { Alert, Card, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { COMPLAINT_CATEGORIES, type Reputation } from '../../complaints.js';
import { type ChartOption, EChart } from '../../components/EChart.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { useApi } from '../../session.js';

/** Complaints per 10,000 active borrowers by category and month, with the spike alerts and their rule. */
export function ReputationPage() {
  const { t } = useI18n();
  const api = useApi();
  const [view, setView] = useState<Reputation | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<Reputation>('/complaints/reputation').then(setView, setError);
  }, [api]);
  const option = useMemo<ChartOption | null>(() => {
    if (view === null) return null;
    const months = view.months.map((m) => m.month);
    const rate = (month: string, category: string) => {
      const cell = view.cells.find((c) => c.month === month && c.category === category);
      return cell?.per10k === null || cell === undefined ? 0 : Number(cell.per10k);
    };
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll' },
      grid: { left: 48, right: 16, bottom: 32, top: 48 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: t('reputation.per10k') },
      series: COMPLAINT_CATEGORIES.map((c) => ({
        name: t(`complaintCategory.${c}` as MessageKey),
        type: 'bar',
        stack: 'all',
        data: months.map((m) => rate(m, c)),
      })),
    };
  }, [view, t]);
  if (view === null) return error === null ? <Spin /> : <ProblemAlert error={error} />;
  const totals = view.months.map((m) => ({
    ...m,
    ...(view.cells.find((c) => c.month === m.month && c.category === 'all') ?? {
      count: 0,
      per10k: null,
      spike: false,
    }),
  }));
  return (
    <div data-testid="page-reputation">
      <Typography.Title level={2}>{t('reputation.title')}</Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small" data-testid="reputation-alerts">
          {view.alerts.length === 0 ? (
            <Alert type="success" showIcon message={t('reputation.noAlerts')} />
          ) : (
            view.alerts.map((a) => (
              <Alert
                key={`${a.month}-${a.category}`}
                type="error"
                showIcon
                style={{ marginBottom: 8 }}
                data-testid={`alert-${a.month}-${a.category}`}
                message={t('reputation.alert', {
                  month: a.month,
                  category:
                    a.category === 'all'
                      ? t('reputation.all')
                      : t(`complaintCategory.${a.category}` as MessageKey),
                  n: a.count,
                  rate: a.per10k,
                })}
                description={a.message}
              />
            ))
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="reputation-rule">
            {t('reputation.rule')}: {view.rule}
          </Typography.Paragraph>
        </Card>
        <Card size="small">
          {option === null ? null : <EChart option={option} height={360} testId="reputation-chart" />}
        </Card>
        <Card size="small">
          <Table
            rowKey="month"
            dataSource={totals}
            pagination={false}
            size="small"
            data-testid="reputation-table"
            columns={[
              { title: t('reputation.month'), dataIndex: 'month' },
              { title: t('reputation.active'), dataIndex: 'activeBorrowers', align: 'right' },
              { title: t('reputation.count'), dataIndex: 'count', align: 'right' },
              {
                title: t('reputation.per10k'),
                dataIndex: 'per10k',
                align: 'right',
                render: (v: string | null) => v ?? t('common.none'),
              },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
