import { App as AntApp, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useI18n } from '../i18n.js';
import { can } from '../permissions.js';
import { useApi, useSession } from '../session.js';

interface Candidate {
  loanId: string;
  customerId: string;
  daysPastDue: number;
  assetClass: string;
  principal: string;
  total: string;
}

interface Proposal {
  proposalId: string;
  status: 'proposed' | 'approved' | 'rejected';
  proposedOn: string;
  proposedBy: string;
  decidedBy: string | null;
  total: string;
  note: string | null;
  loans: { loanId: string; evidenceRef: string }[];
}

/** 核销: the candidates of the lender's rule, a proposal with evidence per loan, and a second person's decision. */
export function WriteOffsPage() {
  const { t } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [businessDay, setBusinessDay] = useState('');
  const [proposals, setProposals] = useState<Proposal[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [evidence, setEvidence] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const role = me!.role;

  const load = useCallback(async () => {
    try {
      const c = await api.get<{ businessDay: string; items: Candidate[] }>('/write-offs/candidates');
      setCandidates(c.items);
      setBusinessDay(c.businessDay);
      const p = await api.get<{ items: Proposal[] }>('/write-offs/proposals');
      setProposals(p.items);
    } catch (error) {
      setProblem(error);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const propose = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/write-offs/proposals', {
        loans: selected.map((loanId) => ({ loanId, evidenceRef: (evidence[loanId] ?? '').trim() })),
      });
      message.success(t('writeOffs.proposed'));
      setSelected([]);
      await load();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const decide = async (proposalId: string, decision: 'approve' | 'reject') => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`/write-offs/proposals/${encodeURIComponent(proposalId)}/${decision}`, {});
      message.success(t(decision === 'approve' ? 'writeOffs.approvedDone' : 'writeOffs.rejectedDone'));
      await load();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const evidenceMissing = selected.some((id) => (evidence[id] ?? '').trim() === '');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="write-offs-page">
      <Typography.Title level={3}>{t('writeOffs.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('writeOffs.intro')}</Typography.Paragraph>
      <ProblemAlert error={problem} />
      <Card title={t('writeOffs.candidates', { day: businessDay })} data-testid="write-off-candidates">
        <Table<Candidate>
          rowKey="loanId"
          size="small"
          pagination={false}
          loading={candidates === null}
          dataSource={candidates ?? []}
          locale={{ emptyText: t('writeOffs.noCandidates') }}
          {...(can(role, 'writeoffs.propose')
            ? {
                rowSelection: {
                  selectedRowKeys: selected,
                  onChange: (keys: React.Key[]) => setSelected(keys.map(String)),
                },
              }
            : {})}
          columns={[
            {
              title: t('writeOffs.loan'),
              dataIndex: 'loanId',
              render: (id: string) => <a href={`/app/loans/${id}`}>{id}</a>,
            },
            { title: t('writeOffs.dpd'), dataIndex: 'daysPastDue', align: 'right' },
            {
              title: t('writeOffs.class'),
              dataIndex: 'assetClass',
              render: (c: string) => <Tag color="red">{t(`writeOffs.class.${c}` as never)}</Tag>,
            },
            { title: t('writeOffs.principal'), dataIndex: 'principal', align: 'right' },
            { title: t('writeOffs.total'), dataIndex: 'total', align: 'right' },
            {
              title: t('writeOffs.evidence'),
              key: 'evidence',
              render: (_: unknown, c: Candidate) => (
                <Input
                  size="small"
                  maxLength={200}
                  placeholder={t('writeOffs.evidenceHint')}
                  value={evidence[c.loanId] ?? ''}
                  onChange={(e) => setEvidence({ ...evidence, [c.loanId]: e.target.value })}
                  data-testid={`evidence-${c.loanId}`}
                  disabled={!can(role, 'writeoffs.propose')}
                />
              ),
            },
          ]}
        />
        {can(role, 'writeoffs.propose') && (
          <Button
            type="primary"
            style={{ marginTop: 12 }}
            disabled={selected.length === 0 || evidenceMissing || busy}
            onClick={() => void propose()}
            data-testid="write-off-propose"
          >
            {t('writeOffs.propose', { n: selected.length })}
          </Button>
        )}
      </Card>
      <Card title={t('writeOffs.proposals')} data-testid="write-off-proposals">
        <Table<Proposal>
          rowKey="proposalId"
          size="small"
          pagination={false}
          loading={proposals === null}
          dataSource={proposals ?? []}
          locale={{ emptyText: t('writeOffs.noProposals') }}
          columns={[
            { title: t('writeOffs.proposedOn'), dataIndex: 'proposedOn' },
            {
              title: t('writeOffs.loans'),
              key: 'loans',
              render: (_: unknown, p: Proposal) => p.loans.length,
              align: 'right',
            },
            { title: t('writeOffs.total'), dataIndex: 'total', align: 'right' },
            {
              title: t('writeOffs.status'),
              dataIndex: 'status',
              render: (s: string) => <Tag>{t(`writeOffs.status.${s}` as never)}</Tag>,
            },
            {
              title: '',
              key: 'actions',
              render: (_: unknown, p: Proposal) =>
                p.status !== 'proposed' || !can(role, 'writeoffs.approve') ? null : p.proposedBy ===
                  me!.userId ? (
                  <Typography.Text type="secondary" data-testid={`own-${p.proposalId}`}>
                    {t('writeOffs.ownProposal')}
                  </Typography.Text>
                ) : (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      disabled={busy}
                      onClick={() => void decide(p.proposalId, 'approve')}
                      data-testid={`approve-${p.proposalId}`}
                    >
                      {t('writeOffs.approve')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      disabled={busy}
                      onClick={() => void decide(p.proposalId, 'reject')}
                      data-testid={`reject-${p.proposalId}`}
                    >
                      {t('writeOffs.reject')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
