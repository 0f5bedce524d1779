import { App as AntApp, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import { can } from '../../permissions.js';
import { policyReason } from '../../policy-reasons.js';
import { useApi, useSession } from '../../session.js';

interface Band {
  from: number | null;
  to: number | null;
  lines: number;
  share: number;
  expectedShare: number;
}

interface ScoreMonth {
  month: string;
  asOf: string;
  modelId: string;
  lines: number;
  meanScore: number;
  psi: number;
  band: string;
  psiAlert: number;
  alert: boolean;
  bands: Band[];
}

interface Proposal {
  proposalId: string;
  lineId: string;
  customerId: string;
  month: string;
  action: 'raise' | 'cut' | 'freeze';
  fromLimit: string;
  toLimit: string;
  score: number;
  code: string;
  reason: string;
  status: string;
  proposedBy: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** 行为评分: the behaviour-score distribution and PSI by month, and the limit review's proposals with approval. */
export function BehaviourPage() {
  const { t, locale } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [months, setMonths] = useState<ScoreMonth[] | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [proposals, setProposals] = useState<Proposal[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const role = me!.role;

  const load = useCallback(async () => {
    try {
      const m = await api.get<{ months: ScoreMonth[] }>('/monitoring/behaviour-scores');
      setMonths(m.months);
      setShown((s) => s ?? m.months[0]?.month ?? null);
      if (can(role, 'limits.read')) {
        const p = await api.get<{ items: Proposal[] }>('/limit-reviews/proposals?status=proposed&limit=500');
        setProposals(p.items);
      }
    } catch (error) {
      setProblem(error);
    }
  }, [api, role]);
  useEffect(() => {
    void load();
  }, [load]);

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/limit-reviews/proposals/decide', { proposalIds: selected, decision });
      message.success(
        t(decision === 'approve' ? 'behaviour.approvedDone' : 'behaviour.rejectedDone', {
          n: selected.length,
        }),
      );
      setSelected([]);
      await load();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const month = months?.find((m) => m.month === shown);
  const ownSelected = (proposals ?? []).some(
    (p) => selected.includes(p.proposalId) && p.proposedBy === me!.userId,
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="behaviour-page">
      <Typography.Title level={3}>{t('behaviour.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('behaviour.intro')}</Typography.Paragraph>
      <ProblemAlert error={problem} />
      <Card title={t('behaviour.months')} data-testid="behaviour-months">
        <Table<ScoreMonth>
          rowKey="month"
          size="small"
          pagination={false}
          loading={months === null}
          dataSource={months ?? []}
          locale={{ emptyText: t('behaviour.noMonths') }}
          onRow={(m) => ({ onClick: () => setShown(m.month), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('behaviour.month'), dataIndex: 'month' },
            { title: t('behaviour.lines'), dataIndex: 'lines', align: 'right' },
            { title: t('behaviour.meanScore'), dataIndex: 'meanScore', align: 'right' },
            {
              title: 'PSI',
              key: 'psi',
              align: 'right',
              render: (_: unknown, m: ScoreMonth) => (
                <span data-testid={`psi-${m.month}`}>{m.psi.toFixed(4)}</span>
              ),
            },
            {
              title: t('behaviour.stability'),
              key: 'band',
              render: (_: unknown, m: ScoreMonth) =>
                m.alert ? (
                  <Tag color="red" data-testid={`alert-${m.month}`}>
                    {t('behaviour.alert', { threshold: m.psiAlert })}
                  </Tag>
                ) : (
                  <Tag color={m.band === 'stable' ? 'green' : 'orange'}>
                    {t(`behaviour.band.${m.band}` as never)}
                  </Tag>
                ),
            },
          ]}
        />
      </Card>
      {month !== undefined && (
        <Card
          title={t('behaviour.distribution', { month: month.month })}
          data-testid="behaviour-distribution"
        >
          <Table<Band>
            rowKey={(b) => String(b.from)}
            size="small"
            pagination={false}
            dataSource={month.bands}
            columns={[
              {
                title: t('behaviour.scoreBand'),
                key: 'range',
                render: (_: unknown, b: Band) =>
                  b.from === null ? `< ${b.to}` : b.to === null ? `≥ ${b.from}` : `${b.from} – ${b.to}`,
              },
              { title: t('behaviour.lines'), dataIndex: 'lines', align: 'right' },
              {
                title: t('behaviour.share'),
                key: 'share',
                align: 'right',
                render: (_: unknown, b: Band) => pct(b.share),
              },
              {
                title: t('behaviour.expectedShare'),
                key: 'expected',
                align: 'right',
                render: (_: unknown, b: Band) => pct(b.expectedShare),
              },
            ]}
          />
        </Card>
      )}
      {can(role, 'limits.read') && (
        <Card title={t('behaviour.proposals')} data-testid="limit-proposals">
          <Table<Proposal>
            rowKey="proposalId"
            size="small"
            pagination={{ pageSize: 50 }}
            loading={proposals === null}
            dataSource={proposals ?? []}
            locale={{ emptyText: t('behaviour.noProposals') }}
            {...(can(role, 'limits.approve')
              ? {
                  rowSelection: {
                    selectedRowKeys: selected,
                    onChange: (keys: React.Key[]) => setSelected(keys.map(String)),
                  },
                }
              : {})}
            columns={[
              { title: t('behaviour.month'), dataIndex: 'month' },
              {
                title: t('behaviour.line'),
                dataIndex: 'lineId',
                render: (id: string, p: Proposal) => <a href={`/app/customers/${p.customerId}`}>{id}</a>,
              },
              { title: t('behaviour.score'), dataIndex: 'score', align: 'right' },
              {
                title: t('behaviour.action'),
                dataIndex: 'action',
                render: (a: string) => (
                  <Tag color={a === 'raise' ? 'green' : a === 'cut' ? 'orange' : 'red'}>
                    {t(`behaviour.action.${a}` as never)}
                  </Tag>
                ),
              },
              { title: t('behaviour.fromLimit'), dataIndex: 'fromLimit', align: 'right' },
              { title: t('behaviour.toLimit'), dataIndex: 'toLimit', align: 'right' },
              {
                title: t('behaviour.reason'),
                dataIndex: 'reason',
                render: (r: string) => policyReason(r, locale),
              },
            ]}
          />
          {can(role, 'limits.approve') && (
            <Space style={{ marginTop: 12 }}>
              <Button
                type="primary"
                disabled={selected.length === 0 || ownSelected || busy}
                onClick={() => void decide('approve')}
                data-testid="proposals-approve"
              >
                {t('behaviour.approve', { n: selected.length })}
              </Button>
              <Button
                danger
                disabled={selected.length === 0 || ownSelected || busy}
                onClick={() => void decide('reject')}
                data-testid="proposals-reject"
              >
                {t('behaviour.reject', { n: selected.length })}
              </Button>
              {ownSelected && (
                <Typography.Text type="secondary">{t('behaviour.ownProposal')}</Typography.Text>
              )}
            </Space>
          )}
        </Card>
      )}
    </Space>
  );
}
