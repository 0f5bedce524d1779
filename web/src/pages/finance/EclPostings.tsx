import { App as AntApp, Button, Card, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { monthEndOf } from '../../finance.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { useApi, useSession } from '../../session.js';

interface PostingSummary {
  monthEnd: string;
  alreadyPosted: boolean;
  postingNo: number | null;
  opening: string;
  closing: string;
  used: string;
  charge: string;
  exposures: number | null;
  scenarioSet: string | null;
}

interface RollForwardLine {
  movement: string;
  stage1: string;
  stage2: string;
  stage3: string;
  total: string;
}

interface JournalLine {
  account: string;
  debit: string | null;
  credit: string | null;
}

interface Posting extends PostingSummary {
  rollForward: RollForwardLine[] | null;
  journal: JournalLine[];
}

/** 减值准备计提: the month ends posted, a month's roll-forward and journal lines, and posting a closed month. */
export function EclPostingsPage() {
  const { t, money } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<PostingSummary[] | null>(null);
  const [shown, setShown] = useState<Posting | null>(null);
  const [month, setMonth] = useState('');
  const [monthError, setMonthError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mayPost = can(me!.role, 'reports.ecl.post');
  const signed = (v: string) => (v.startsWith('-') ? `−${money(v.slice(1))}` : money(v));

  const load = useCallback(async () => {
    try {
      setItems((await api.get<{ items: PostingSummary[] }>('/reports/ecl/postings')).items);
    } catch (error) {
      setProblem(error);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const show = async (monthEnd: string) => {
    setProblem(null);
    try {
      setShown(await api.get<Posting>(`/reports/ecl/postings/${encodeURIComponent(monthEnd)}`));
    } catch (error) {
      setProblem(error);
    }
  };

  const post = async () => {
    const monthEnd = monthEndOf(month);
    if (monthEnd === undefined) {
      setMonthError(t('ecl.monthInvalid'));
      return;
    }
    setMonthError(null);
    setBusy(true);
    setProblem(null);
    try {
      const p = await api.post<Posting>('/reports/ecl/postings', { monthEnd });
      message.success(t(p.alreadyPosted ? 'ecl.alreadyPosted' : 'ecl.posted', { monthEnd: p.monthEnd }));
      setShown(p);
      await load();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="page-ecl-postings">
      <Typography.Title level={2}>{t('ecl.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('ecl.intro')}</Typography.Paragraph>
      {mayPost ? (
        <Card size="small" title={t('ecl.postTitle')} style={{ marginBottom: 16 }}>
          <Space align="start" wrap>
            <div>
              <Input
                value={month}
                onChange={(e) => setMonth(e.target.value)}
                placeholder="YYYY-MM"
                style={{ width: 140 }}
                status={monthError === null ? '' : 'error'}
                aria-label={t('ecl.month')}
                data-testid="ecl-month"
              />
              {monthError === null ? null : (
                <div style={{ color: '#ff4d4f' }} data-testid="ecl-month-error">
                  {monthError}
                </div>
              )}
            </div>
            <Button type="primary" loading={busy} onClick={() => void post()} data-testid="ecl-post">
              {t('ecl.post')}
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('ecl.postHelp')}
          </Typography.Paragraph>
        </Card>
      ) : null}
      <ProblemAlert error={problem} />
      <Card title={t('ecl.postings')} style={{ marginBottom: 16 }}>
        <Table<PostingSummary>
          rowKey="monthEnd"
          loading={items === null}
          dataSource={items ?? []}
          pagination={false}
          size="small"
          locale={{ emptyText: t('ecl.empty') }}
          data-testid="ecl-postings"
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('ecl.monthEnd'), dataIndex: 'monthEnd' },
            { title: t('ecl.opening'), dataIndex: 'opening', align: 'right', render: signed },
            { title: t('ecl.used'), dataIndex: 'used', align: 'right', render: signed },
            { title: t('ecl.charge'), dataIndex: 'charge', align: 'right', render: signed },
            { title: t('ecl.closing'), dataIndex: 'closing', align: 'right', render: signed },
            {
              title: t('ecl.postingNo'),
              dataIndex: 'postingNo',
              render: (n: number | null) => (n === null ? t('ecl.noEntry') : n),
            },
            { title: t('ecl.exposures'), dataIndex: 'exposures' },
            {
              title: '',
              key: 'show',
              render: (_: unknown, p: PostingSummary) => (
                <Button
                  size="small"
                  onClick={() => void show(p.monthEnd)}
                  data-testid={`ecl-show-${p.monthEnd}`}
                >
                  {t('ecl.show')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {shown === null ? null : (
        <Card
          title={t('ecl.monthTitle', { monthEnd: shown.monthEnd })}
          extra={shown.alreadyPosted ? null : <Tag color="green">{t('ecl.justPosted')}</Tag>}
          data-testid="ecl-posting"
        >
          <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('ecl.opening')}>{signed(shown.opening)}</Descriptions.Item>
            <Descriptions.Item label={t('ecl.closing')}>{signed(shown.closing)}</Descriptions.Item>
            <Descriptions.Item label={t('ecl.used')}>{signed(shown.used)}</Descriptions.Item>
            <Descriptions.Item label={t('ecl.charge')}>{signed(shown.charge)}</Descriptions.Item>
            <Descriptions.Item label={t('ecl.scenarios')}>
              {shown.scenarioSet ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('ecl.exposures')}>
              {shown.exposures ?? t('common.none')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t('ecl.rollForward')}</Typography.Title>
          <Table<RollForwardLine>
            rowKey="movement"
            dataSource={shown.rollForward ?? []}
            pagination={false}
            size="small"
            locale={{ emptyText: t('ecl.noRollForward') }}
            data-testid="ecl-roll-forward"
            style={{ marginBottom: 16 }}
            columns={[
              {
                title: t('ecl.movement'),
                dataIndex: 'movement',
                render: (m: string) => t(`reports.movement.${m}` as MessageKey),
              },
              { title: t('ecl.stage1'), dataIndex: 'stage1', align: 'right', render: signed },
              { title: t('ecl.stage2'), dataIndex: 'stage2', align: 'right', render: signed },
              { title: t('ecl.stage3'), dataIndex: 'stage3', align: 'right', render: signed },
              { title: t('ecl.total'), dataIndex: 'total', align: 'right', render: signed },
            ]}
          />
          <Typography.Title level={5}>{t('ecl.journal')}</Typography.Title>
          <Table<JournalLine & { key: number }>
            dataSource={shown.journal.map((l, key) => ({ ...l, key }))}
            pagination={false}
            size="small"
            locale={{ emptyText: t('ecl.noJournal') }}
            data-testid="ecl-journal"
            columns={[
              {
                title: t('ecl.account'),
                dataIndex: 'account',
                render: (a: string) => <code>{a}</code>,
              },
              {
                title: t('ecl.debit'),
                dataIndex: 'debit',
                align: 'right',
                render: (v: string | null) => (v === null ? '' : money(v)),
              },
              {
                title: t('ecl.credit'),
                dataIndex: 'credit',
                align: 'right',
                render: (v: string | null) => (v === null ? '' : money(v)),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
