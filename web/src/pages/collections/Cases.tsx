import { Card, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { Page } from '../../api.js';
import type { CollectionCase } from '../../collections.js';
import { PagerBar } from '../../components/PagerBar.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { usePaged } from '../../components/usePaged.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { Link } from '../../router.js';
import { useApi, useSession } from '../../session.js';

const BUCKETS = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7'];

/** The collector's work list: open cases, worst first; "mine" for the cases assigned to the user. */
export function CasesPage() {
  const { t, money, date } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [mine, setMine] = useState<'all' | 'mine'>('all');
  const [bucket, setBucket] = useState<string | undefined>(undefined);
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<CollectionCase>>('/collections/cases', {
        limit,
        cursor,
        status,
        bucket,
        assignee: mine === 'mine' ? me?.userId : undefined,
      }),
    [api, status, bucket, mine, me],
  );
  const paged = usePaged(load);
  return (
    <div data-testid="page-cases">
      <Typography.Title level={2}>{t('cases.title')}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<'open' | 'closed'>
            value={status}
            onChange={setStatus}
            options={[
              { value: 'open', label: t('caseStatus.open') },
              { value: 'closed', label: t('caseStatus.closed') },
            ]}
            data-testid="cases-status"
          />
          <Segmented<'all' | 'mine'>
            value={mine}
            onChange={setMine}
            options={[
              { value: 'all', label: t('cases.all') },
              { value: 'mine', label: t('cases.mine') },
            ]}
            data-testid="cases-mine"
          />
          <Select
            allowClear
            placeholder={t('cases.bucket')}
            value={bucket}
            onChange={(v: string | undefined) => setBucket(v)}
            style={{ width: 200 }}
            options={BUCKETS.map((b) => ({ value: b, label: t(`bucket.${b}` as MessageKey) }))}
            data-testid="cases-bucket"
          />
        </Space>
        <ProblemAlert error={paged.error} />
        <Table<CollectionCase>
          rowKey="caseId"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          locale={{ emptyText: t('cases.empty') }}
          data-testid="cases-table"
          columns={[
            {
              title: t('cases.case'),
              dataIndex: 'caseId',
              render: (id: string) => (
                <Link to={`/collections/${id}`} testId={`case-link-${id}`}>
                  {id}
                </Link>
              ),
            },
            {
              title: t('cases.customer'),
              dataIndex: 'customerId',
              render: (id: string) => <Link to={`/customers/${id}`}>{id}</Link>,
            },
            { title: t('cases.bucket'), dataIndex: 'bucket', render: (b: string) => <Tag>{b}</Tag> },
            { title: t('cases.daysPastDue'), dataIndex: 'maxDaysPastDue', align: 'right' },
            {
              title: t('cases.overdue'),
              dataIndex: 'overdue',
              align: 'right',
              render: (v: string) => money(v),
            },
            {
              title: t('cases.totalOwed'),
              dataIndex: 'totalOwed',
              align: 'right',
              render: (v: string) => money(v),
            },
            { title: t('cases.opened'), dataIndex: 'openedDate', render: (d: string) => date(d) },
            {
              title: t('cases.assignee'),
              dataIndex: 'assignee',
              render: (a: string | null) =>
                a === null ? t('common.none') : a === me?.userId ? t('cases.me') : a,
            },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
