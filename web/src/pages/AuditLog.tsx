import { Card, Select, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { Page } from '../api.js';
import { PagerBar } from '../components/PagerBar.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { usePaged } from '../components/usePaged.js';
import { useI18n } from '../i18n.js';
import { en, type MessageKey } from '../messages.js';
import { auditDetailsText, labelOf } from '../reasons.js';
import { Link } from '../router.js';
import { useApi } from '../session.js';

interface AuditEntry {
  auditId: number;
  occurredAt: string;
  actorUserId: string | null;
  actorRole: string;
  action: string;
  requestId: string | null;
  resourceType: string;
  resourceId: string | null;
  customerId: string | null;
  details: Record<string, unknown>;
}

/** Actions the dashboard names in both languages; others are shown by their code. */

/** The actions the server records (src/server routes' audit entries), each labelled in messages.ts. */
const AUDIT_ACTIONS = Object.keys(en)
  .filter((k) => k.startsWith('action.'))
  .map((k) => k.slice('action.'.length));

export function AuditLogPage() {
  const { t, dateTime, money, locale } = useI18n();
  const api = useApi();
  const [action, setAction] = useState<string | undefined>(undefined);
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<AuditEntry>>('/audit-log', { limit, cursor, action }),
    [api, action],
  );
  const paged = usePaged(load);
  // Every action the server records has a label (audit actions are listed in messages.ts); a new one
  // shows as the server names it until it gets one.
  const actionLabel = (a: string) => (Object.hasOwn(en, `action.${a}`) ? t(`action.${a}` as MessageKey) : a);
  const roleLabel = (r: string) => t(`role.${r}` as MessageKey);

  return (
    <div data-testid="page-audit">
      <Typography.Title level={2}>{t('audit.title')}</Typography.Title>
      <Card>
        <Select
          allowClear
          placeholder={t('audit.filterAction')}
          value={action}
          onChange={(v: string | undefined) => setAction(v)}
          style={{ width: 260, marginBottom: 16 }}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
          data-testid="audit-filter"
        />
        <ProblemAlert error={paged.error} />
        <Table<AuditEntry>
          rowKey="auditId"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          locale={{ emptyText: t('audit.empty') }}
          data-testid="audit-table"
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('audit.occurredAt'),
              dataIndex: 'occurredAt',
              width: 190,
              render: (v: string) => dateTime(v),
            },
            {
              title: t('audit.actor'),
              render: (_: unknown, e: AuditEntry) => (
                <>
                  {e.actorUserId ?? t('common.none')} <Tag>{roleLabel(e.actorRole)}</Tag>
                </>
              ),
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              render: (a: string) => (
                <Tag color={a === 'customer.read_pii' ? 'red' : 'blue'} data-testid={`audit-action-${a}`}>
                  {actionLabel(a)}
                </Tag>
              ),
            },
            {
              title: t('audit.resource'),
              render: (_: unknown, e: AuditEntry) =>
                e.resourceType === 'customer' && e.resourceId !== null ? (
                  <Link to={`/customers/${encodeURIComponent(e.resourceId)}`}>{e.resourceId}</Link>
                ) : (
                  `${labelOf('resource', e.resourceType, t)} ${e.resourceId ?? ''}`
                ),
            },
            {
              title: t('audit.requestId'),
              dataIndex: 'requestId',
              render: (v: string | null) => v ?? t('common.none'),
            },
            {
              title: t('audit.details'),
              dataIndex: 'details',
              width: 240,
              ellipsis: true,
              render: (d: Record<string, unknown>) => (
                <span title={JSON.stringify(d)} data-testid="audit-details">
                  {auditDetailsText(d, t, money, locale === 'zh-CN' ? '；' : '; ')}
                </span>
              ),
            },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
