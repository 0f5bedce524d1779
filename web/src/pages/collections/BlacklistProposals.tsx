import { Button, Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import { BLACKLIST_STATUSES, type BlacklistProposal } from '../../legal.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { Link } from '../../router.js';
import { useApi, useSession } from '../../session.js';

type Filter = 'undecided' | (typeof BLACKLIST_STATUSES)[number];

/**
 * Blacklist proposals under due process: the notice and its delivery, the objection window, and — for a
 * person other than the proposer, once the window has ended or an objection is on file — the decision.
 */
export function BlacklistProposalsPage() {
  const { t, date } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const mayDecide = me !== null && can(me.role, 'blacklist.manage');
  const [filter, setFilter] = useState<Filter>('undecided');
  const [items, setItems] = useState<BlacklistProposal[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const load = useCallback(() => {
    const statuses = filter === 'undecided' ? ['noticed', 'objected'] : [filter];
    Promise.all(
      statuses.map((status) => api.get<{ items: BlacklistProposal[] }>('/blacklist-proposals', { status })),
    ).then((pages) => setItems(pages.flatMap((p) => p.items)), setProblem);
  }, [api, filter]);
  useEffect(load, [load]);
  const decide = async (p: BlacklistProposal, outcome: 'list' | 'reject') => {
    setProblem(null);
    try {
      await api.post(`/blacklist-proposals/${encodeURIComponent(p.proposalId)}/decision`, {
        outcome,
        note:
          note.trim() === '' ? t(outcome === 'list' ? 'blacklist.noteList' : 'blacklist.noteReject') : note,
      });
      setNote('');
      load();
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <div data-testid="page-blacklist-proposals">
      <Typography.Title level={2}>{t('blacklist.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('blacklist.intro')}</Typography.Paragraph>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            data-testid="blacklist-filter"
            options={[
              { value: 'undecided', label: t('blacklist.undecided') },
              ...BLACKLIST_STATUSES.map((s) => ({
                value: s,
                label: t(`blacklist.status.${s}` as MessageKey),
              })),
            ]}
          />
          {mayDecide ? (
            <Input
              placeholder={t('blacklist.note')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              style={{ width: 260 }}
              data-testid="blacklist-note"
            />
          ) : null}
        </Space>
        <ProblemAlert error={problem} />
        <Table<BlacklistProposal>
          rowKey="proposalId"
          size="small"
          loading={items === null}
          dataSource={items ?? []}
          pagination={false}
          locale={{ emptyText: t('blacklist.empty') }}
          data-testid="blacklist-proposals"
          columns={[
            {
              title: t('cases.customer'),
              dataIndex: 'customerId',
              render: (id: string) => <Link to={`/customers/${id}`}>{id}</Link>,
            },
            {
              title: t('blacklist.source'),
              dataIndex: 'source',
              render: (s: string) => t(`blacklist.source.${s}` as MessageKey),
            },
            { title: t('blacklist.reason'), dataIndex: 'reason' },
            {
              title: t('blacklist.notice'),
              dataIndex: 'notice',
              render: (n: BlacklistProposal['notice'], p) =>
                `${date(p.noticeDate)} · ${n === null ? t('common.none') : t(`blacklist.delivery.${n.status}` as MessageKey)}`,
            },
            {
              title: t('blacklist.objectionUntil'),
              dataIndex: 'objectionUntil',
              render: (d: string, p) => (
                <Space direction="vertical" size={0}>
                  {date(d)}
                  {p.objection === null ? null : (
                    <Typography.Text type="warning">{p.objection}</Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('blacklist.statusLabel'),
              dataIndex: 'status',
              render: (s: string, p) => (
                <Space direction="vertical" size={0}>
                  <Tag data-testid={`blacklist-status-${p.proposalId}`}>
                    {t(`blacklist.status.${s}` as MessageKey)}
                  </Tag>
                  {p.expiresDate === null ? null : `${t('blacklist.expires')} ${date(p.expiresDate)}`}
                </Space>
              ),
            },
            {
              title: t('blacklist.decision'),
              key: 'decide',
              render: (_: unknown, p) =>
                mayDecide && (p.status === 'noticed' || p.status === 'objected') ? (
                  p.proposedBy === me?.userId ? (
                    <Typography.Text type="secondary">{t('blacklist.ownProposal')}</Typography.Text>
                  ) : (
                    <Space>
                      <Button
                        size="small"
                        danger
                        onClick={() => decide(p, 'list')}
                        data-testid={`blacklist-list-${p.proposalId}`}
                      >
                        {t('blacklist.list')}
                      </Button>
                      <Button
                        size="small"
                        onClick={() => decide(p, 'reject')}
                        data-testid={`blacklist-reject-${p.proposalId}`}
                      >
                        {t('blacklist.reject')}
                      </Button>
                    </Space>
                  )
                ) : null,
            },
          ]}
        />
      </Card>
    </div>
  );
}
