import { Alert, App as AntApp, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { useApi, useSession } from '../../session.js';
import { UserCell } from '../Policies.js';

type CadenceStatus = 'draft' | 'published' | 'retired' | 'rejected' | 'shipped';

interface CadenceVersion {
  version: string;
  status: CadenceStatus;
  documentHash: string;
  note: string | null;
  createdBy: string;
  createdAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  inForce: boolean;
}

const STATUS_COLORS: Record<CadenceStatus, string> = {
  draft: 'gold',
  published: 'green',
  retired: 'default',
  rejected: 'red',
  shipped: 'blue',
};

/** 提醒节奏: cadence versions with their maker and checker, and approval (publication) by a second person. */
export function ReminderCadencesPage() {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<CadenceVersion[] | null>(null);
  const [inForce, setInForce] = useState<string>('');
  const [document, setDocument] = useState<{ version: string; text: string } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const mayApprove = can(me!.role, 'policies.approve');
  const when = (v: string | null) => (v === null ? t('common.none') : dateTime(v));

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ inForce: string; items: CadenceVersion[] }>('/reminder-cadences');
      setItems(r.items);
      setInForce(r.inForce);
    } catch (error) {
      setProblem(error);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const approve = async (version: string) => {
    setBusy(version);
    setProblem(null);
    try {
      await api.post(`/reminder-cadences/${encodeURIComponent(version)}/approve`, {});
      message.success(t('cadences.approved', { version }));
      await load();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(null);
    }
  };

  const view = async (version: string) => {
    setProblem(null);
    try {
      const r = await api.get<{ document: unknown }>(`/reminder-cadences/${encodeURIComponent(version)}`);
      setDocument({ version, text: JSON.stringify(r.document, null, 2) });
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <div data-testid="page-reminder-cadences">
      <Typography.Title level={2}>{t('cadences.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('cadences.intro')}</Typography.Paragraph>
      <ProblemAlert error={problem} />
      {inForce === 'shipped' ? (
        <Alert
          type="info"
          showIcon
          message={t('cadences.shippedInForce')}
          style={{ marginBottom: 16 }}
          action={
            <Button size="small" onClick={() => void view('shipped')} data-testid="cadence-view-shipped">
              {t('cadences.view')}
            </Button>
          }
          data-testid="cadences-shipped"
        />
      ) : null}
      <Card>
        <Table<CadenceVersion>
          rowKey="version"
          loading={items === null}
          dataSource={items ?? []}
          pagination={false}
          locale={{ emptyText: t('cadences.empty') }}
          data-testid="cadences-table"
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('policy.version'),
              dataIndex: 'version',
              render: (v: string, c: CadenceVersion) => (
                <Space>
                  <code>{v}</code>
                  {c.inForce ? <Tag color="green">{t('policies.inForce')}</Tag> : null}
                </Space>
              ),
            },
            {
              title: t('policy.status'),
              dataIndex: 'status',
              render: (s: CadenceStatus) => (
                <Tag color={STATUS_COLORS[s]} data-testid={`cadence-status-${s}`}>
                  {t(`cadences.status.${s}` as MessageKey)}
                </Tag>
              ),
            },
            {
              title: t('cadences.maker'),
              dataIndex: 'createdBy',
              render: (u: string) => <UserCell userId={u} />,
            },
            { title: t('policy.createdAt'), dataIndex: 'createdAt', render: when },
            {
              title: t('cadences.checker'),
              dataIndex: 'approvedBy',
              render: (u: string | null) => <UserCell userId={u} />,
            },
            { title: t('policy.approvedAt'), dataIndex: 'approvedAt', render: when },
            {
              title: t('cadences.note'),
              dataIndex: 'note',
              render: (n: string | null) => n ?? t('common.none'),
            },
            {
              title: '',
              key: 'actions',
              render: (_: unknown, c: CadenceVersion) => (
                <Space>
                  <Button
                    size="small"
                    onClick={() => void view(c.version)}
                    data-testid={`cadence-view-${c.version}`}
                  >
                    {t('cadences.view')}
                  </Button>
                  {mayApprove && c.status === 'draft' ? (
                    <Button
                      size="small"
                      type="primary"
                      loading={busy === c.version}
                      onClick={() => void approve(c.version)}
                      data-testid={`cadence-approve-${c.version}`}
                    >
                      {t('cadences.approve')}
                    </Button>
                  ) : null}
                  {mayApprove && c.status === 'draft' && c.createdBy === me!.userId ? (
                    <Typography.Text type="secondary" data-testid={`cadence-own-${c.version}`}>
                      {t('cadences.ownDraft')}
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {document === null ? null : (
        <Card
          title={t('cadences.document', { version: document.version })}
          style={{ marginTop: 16 }}
          data-testid="cadence-document"
        >
          <pre style={{ maxHeight: 480, overflow: 'auto', margin: 0 }}>{document.text}</pre>
        </Card>
      )}
    </div>
  );
}
