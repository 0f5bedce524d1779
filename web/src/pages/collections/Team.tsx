import { Button, Card, Input, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CollectionCase } from '../../collections.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { Link } from '../../router.js';
import { useApi, useSession } from '../../session.js';

interface TeamRow {
  teamId: string;
  name: string;
  buckets: string[];
  lead: string | null;
  collectors: number;
  capacity: number;
  openCases: number;
  openOverdue: string;
  contactRate: string | null;
  promisesMade: number;
  promiseKeptRate: string | null;
  casesCured: number;
  recovered: string;
}
interface CollectorRow {
  userId: string;
  teamId: string | null;
  openCases: number;
  openOverdue: string;
  attempts: number;
  contactRate: string | null;
  promisesMade: number;
  promiseKeptRate: string | null;
  casesCured: number;
  recovered: string;
}
interface TeamView {
  from: string;
  date: string;
  teams: TeamRow[];
  collectors: CollectorRow[];
  book: {
    casesOpened: number;
    rolled: number;
    cured: number;
    rollRate: string | null;
    cureRate: string | null;
  };
  agencies: { agencyId: string; name: string; placed: number; active: number; recovered: string }[];
}
interface Worklist {
  assignee: string;
  date: string;
  items: CollectionCase[];
}

/** A ratio as a percentage with one decimal, or a dash. */
function pct(r: string | null): string {
  return r === null ? '—' : `${(Number(r) * 100).toFixed(1)}%`;
}

/**
 * The team lead's view (催收组长): allocation and results per team and collector — contact rate, promises and
 * the kept rate, cures, amounts recovered — roll and cure of the cases opened, agencies' results; and a
 * collector's list for today with its Excel export.
 */
export function TeamPage() {
  const { t, locale, money, date } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [view, setView] = useState<TeamView | null>(null);
  const [list, setList] = useState<Worklist | null>(null);
  const [assignee, setAssignee] = useState<string>(me?.userId ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setView(await api.get<TeamView>('/collections/team-view'));
      setList(await api.get<Worklist>('/collections/worklist', assignee === '' ? {} : { assignee }));
    } catch (e) {
      setError(e);
    }
  }, [api, assignee]);
  useEffect(() => {
    void load();
  }, [load]);

  const allocate = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/collections/allocations', undefined);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const exportList = async () => {
    setError(null);
    try {
      const blob = await api.download('/collections/worklist/export', {
        lang: locale,
        ...(assignee === '' ? {} : { assignee }),
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `worklist-${list?.assignee ?? 'me'}-${list?.date ?? ''}.xlsx`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };

  if (view === null) return error === null ? <Spin /> : <ProblemAlert error={error} />;
  return (
    <div data-testid="page-team">
      <Typography.Title level={2}>{t('team.title')}</Typography.Title>
      <ProblemAlert error={error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Space size="large" wrap data-testid="team-book">
            <Statistic title={t('team.window')} value={`${date(view.from)} – ${date(view.date)}`} />
            <Statistic title={t('team.casesOpened')} value={view.book.casesOpened} />
            <Statistic title={t('team.rollRate')} value={pct(view.book.rollRate)} />
            <Statistic title={t('team.cureRate')} value={pct(view.book.cureRate)} />
            {me?.role === 'admin' ? (
              <Button onClick={allocate} loading={busy} data-testid="team-allocate">
                {t('team.allocate')}
              </Button>
            ) : null}
          </Space>
        </Card>
        <Card title={t('team.teams')} size="small">
          <Table<TeamRow>
            rowKey="teamId"
            size="small"
            pagination={false}
            dataSource={view.teams}
            data-testid="team-teams"
            locale={{ emptyText: t('team.noTeams') }}
            columns={[
              { title: t('team.team'), dataIndex: 'name' },
              { title: t('cases.bucket'), dataIndex: 'buckets', render: (b: string[]) => b.join(', ') },
              { title: t('team.collectors'), dataIndex: 'collectors' },
              { title: t('team.capacity'), dataIndex: 'capacity' },
              { title: t('team.openCases'), dataIndex: 'openCases' },
              { title: t('cases.overdue'), dataIndex: 'openOverdue', render: (v: string) => money(v) },
              { title: t('team.contactRate'), dataIndex: 'contactRate', render: pct },
              { title: t('team.promises'), dataIndex: 'promisesMade' },
              { title: t('team.keptRate'), dataIndex: 'promiseKeptRate', render: pct },
              { title: t('team.cured'), dataIndex: 'casesCured' },
              { title: t('team.recovered'), dataIndex: 'recovered', render: (v: string) => money(v) },
            ]}
          />
        </Card>
        <Card title={t('team.collectorRows')} size="small">
          <Table<CollectorRow>
            rowKey="userId"
            size="small"
            pagination={false}
            dataSource={view.collectors}
            data-testid="team-collectors"
            columns={[
              {
                title: t('team.collector'),
                dataIndex: 'userId',
                render: (u: string) => (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setAssignee(u)}
                    data-testid={`team-pick-${u}`}
                  >
                    {u === me?.userId ? t('cases.me') : u}
                  </Button>
                ),
              },
              {
                title: t('team.team'),
                dataIndex: 'teamId',
                render: (v: string | null) => v ?? t('common.none'),
              },
              { title: t('team.openCases'), dataIndex: 'openCases' },
              { title: t('cases.overdue'), dataIndex: 'openOverdue', render: (v: string) => money(v) },
              { title: t('team.attempts'), dataIndex: 'attempts' },
              { title: t('team.contactRate'), dataIndex: 'contactRate', render: pct },
              { title: t('team.promises'), dataIndex: 'promisesMade' },
              { title: t('team.keptRate'), dataIndex: 'promiseKeptRate', render: pct },
              { title: t('team.cured'), dataIndex: 'casesCured' },
              { title: t('team.recovered'), dataIndex: 'recovered', render: (v: string) => money(v) },
            ]}
          />
        </Card>
        <Card
          title={t('team.worklist', {
            who: list?.assignee === me?.userId ? t('cases.me') : (list?.assignee ?? ''),
          })}
          size="small"
          extra={
            <Space>
              <Input
                style={{ width: 260 }}
                value={assignee}
                onChange={(e) => setAssignee(e.target.value.trim())}
                placeholder={t('team.assignee')}
                data-testid="team-assignee"
              />
              <Button onClick={exportList} data-testid="team-export">
                {t('team.export')}
              </Button>
            </Space>
          }
        >
          <Table<CollectionCase>
            rowKey="caseId"
            size="small"
            pagination={false}
            dataSource={list?.items ?? []}
            data-testid="team-worklist"
            locale={{ emptyText: t('team.emptyList') }}
            columns={[
              {
                title: t('team.case'),
                dataIndex: 'caseId',
                render: (id: string) => (
                  <Link to={`/collections/${id}`} testId={`worklist-${id}`}>
                    {id}
                  </Link>
                ),
              },
              { title: t('cases.bucket'), dataIndex: 'bucket' },
              { title: t('cases.overdue'), dataIndex: 'overdue', render: (v: string) => money(v) },
              { title: t('strategy.priority'), dataIndex: 'priority', render: (v: string) => money(v) },
              {
                title: t('strategy.nextAction'),
                dataIndex: 'nextAction',
                render: (a: string | null) =>
                  a ? <Tag>{t(`action.${a}` as MessageKey)}</Tag> : t('common.none'),
              },
              {
                title: t('strategy.due'),
                dataIndex: 'nextActionDueDate',
                render: (d: string | null) => (d ? date(d) : t('common.none')),
              },
              {
                title: t('team.promiseDue'),
                dataIndex: 'nextPromiseDate',
                render: (d: string | null) => (d ? date(d) : t('common.none')),
              },
              {
                title: t('strategy.verdict'),
                dataIndex: 'verdict',
                render: (v: string) => t(`verdict.${v ?? 'undetermined'}` as MessageKey),
              },
            ]}
          />
        </Card>
        <Card title={t('team.agencies')} size="small">
          <Table
            rowKey="agencyId"
            size="small"
            pagination={false}
            dataSource={view.agencies}
            data-testid="team-agencies"
            locale={{ emptyText: t('team.noAgencies') }}
            columns={[
              { title: t('team.agency'), dataIndex: 'name' },
              { title: t('team.placed'), dataIndex: 'placed' },
              { title: t('team.stillPlaced'), dataIndex: 'active' },
              { title: t('team.recovered'), dataIndex: 'recovered', render: (v: string) => money(v) },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
