import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { Page } from '../api.js';
import { PagerBar } from '../components/PagerBar.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { usePaged } from '../components/usePaged.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { can } from '../permissions.js';
import { POLICY_STATUS_COLORS, POLICY_STATUSES, type PolicyStatus, type PolicyVersion } from '../policies.js';
import { Link, useRouter } from '../router.js';
import { useApi, useSession } from '../session.js';

export function PolicyStatusTag({ status }: { status: PolicyStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={POLICY_STATUS_COLORS[status] ?? 'default'} data-testid={`policy-status-${status}`}>
      {t(`policyStatus.${status}` as MessageKey)}
    </Tag>
  );
}

/** A user id, with "you" beside it when it is the signed-in user (an author sees their own drafts). */
export function UserCell({ userId }: { userId: string | null | undefined }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (userId == null) return <>{t('common.none')}</>;
  return (
    <span>
      <code>{userId}</code>
      {me?.userId === userId ? <Tag style={{ marginInlineStart: 6 }}>{t('policy.you')}</Tag> : null}
    </span>
  );
}

export function PoliciesPage() {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const { navigate } = useRouter();
  const [status, setStatus] = useState<PolicyStatus | undefined>(undefined);
  const [productId, setProductId] = useState('');
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<PolicyVersion>>('/policies', { limit, cursor, status, productId: productId.trim() }),
    [api, status, productId],
  );
  const paged = usePaged(load);
  const when = (v: string | null) => (v === null ? t('common.none') : dateTime(v));

  return (
    <div data-testid="page-policies">
      <Typography.Title level={2}>{t('policies.title')}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('policies.filterStatus')}
            value={status}
            onChange={(v: PolicyStatus | undefined) => setStatus(v)}
            style={{ width: 160 }}
            options={POLICY_STATUSES.map((s) => ({ value: s, label: t(`policyStatus.${s}` as MessageKey) }))}
            data-testid="policies-status"
          />
          <Input.Search
            allowClear
            placeholder={t('policies.filterProduct')}
            onSearch={(v) => setProductId(v)}
            style={{ width: 200 }}
            data-testid="policies-product"
          />
          {me !== null && can(me.role, 'policies.draft') ? (
            <Button
              type="primary"
              onClick={() => navigate('/policies/drafts/new')}
              data-testid="policies-new"
            >
              {t('policies.newDraft')}
            </Button>
          ) : null}
        </Space>
        <ProblemAlert error={paged.error} />
        {!paged.loading && paged.error === null && !paged.items.some((p) => p.inForce) ? (
          <Alert
            type="info"
            showIcon
            message={t('policies.noneInForce')}
            style={{ marginBottom: 16 }}
            data-testid="policies-none-in-force"
          />
        ) : null}
        <Table<PolicyVersion>
          rowKey="version"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          locale={{ emptyText: t('policies.empty') }}
          data-testid="policies-table"
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('policy.version'),
              dataIndex: 'version',
              render: (v: string, p: PolicyVersion) => (
                <Space>
                  <Link to={`/policies/${encodeURIComponent(v)}`} testId={`policy-link-${v}`}>
                    {v}
                  </Link>
                  {p.inForce ? (
                    <Tag color="green" data-testid={`policy-in-force-${v}`}>
                      {t('policies.inForce')}
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('policy.status'),
              dataIndex: 'status',
              render: (s: PolicyStatus) => <PolicyStatusTag status={s} />,
            },
            { title: t('policy.product'), dataIndex: 'productId' },
            { title: t('policy.policyId'), dataIndex: 'policyId' },
            {
              title: t('policy.createdBy'),
              dataIndex: 'createdBy',
              render: (u: string) => <UserCell userId={u} />,
            },
            { title: t('policy.createdAt'), dataIndex: 'createdAt', render: when },
            {
              title: t('policy.approvedBy'),
              dataIndex: 'approvedBy',
              render: (u: string | null) => <UserCell userId={u} />,
            },
            { title: t('policy.approvedAt'), dataIndex: 'approvedAt', render: when },
            { title: t('policy.publishedAt'), dataIndex: 'publishedAt', render: when },
            { title: t('policy.retiredAt'), dataIndex: 'retiredAt', render: when },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
