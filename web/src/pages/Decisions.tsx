import { Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import type { Page } from '../api.js';
import { PagerBar } from '../components/PagerBar.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { usePaged } from '../components/usePaged.js';
import {
  aprPercent,
  type DecisionListItem,
  OUTCOME_COLORS,
  OUTCOMES,
  type Outcome,
  percent,
} from '../decisions.js';
import { useI18n } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { Link } from '../router.js';
import { useApi } from '../session.js';

export function OutcomeTag({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  return (
    <Tag color={OUTCOME_COLORS[outcome]} data-testid={`outcome-${outcome}`}>
      {t(`outcome.${outcome}` as MessageKey)}
    </Tag>
  );
}

export function DecisionsPage() {
  const { t, money, dateTime } = useI18n();
  const api = useApi();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [productId, setProductId] = useState<string>('');
  const [openFlags, setOpenFlags] = useState<'yes' | 'no' | undefined>(undefined);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<DecisionListItem>>('/decisions', {
        limit,
        cursor,
        outcome,
        productId: productId.trim(),
        decidedFrom: from,
        decidedTo: to,
        hasOpenFlags: openFlags === undefined ? undefined : openFlags === 'yes',
      }),
    [api, outcome, productId, openFlags, from, to],
  );
  const paged = usePaged(load);

  return (
    <div data-testid="page-decisions">
      <Typography.Title level={2}>{t('decisions.title')}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            allowClear
            placeholder={t('decisions.filterOutcome')}
            value={outcome}
            onChange={(v: Outcome | undefined) => setOutcome(v)}
            style={{ width: 160 }}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}` as MessageKey) }))}
            data-testid="decisions-outcome"
          />
          <Input.Search
            allowClear
            placeholder={t('decisions.filterProduct')}
            onSearch={(v) => setProductId(v)}
            style={{ width: 200 }}
            data-testid="decisions-product"
          />
          <Select
            allowClear
            placeholder={t('decisions.filterOpenFlags')}
            value={openFlags}
            onChange={(v: 'yes' | 'no' | undefined) => setOpenFlags(v)}
            style={{ width: 200 }}
            options={[
              { value: 'yes', label: t('decisions.withOpenFlags') },
              { value: 'no', label: t('decisions.withoutOpenFlags') },
            ]}
            data-testid="decisions-open-flags"
          />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} data-testid="decisions-range" />
        </Space>
        <ProblemAlert error={paged.error} />
        <Table<DecisionListItem>
          rowKey="decisionId"
          loading={paged.loading}
          dataSource={paged.items}
          pagination={false}
          locale={{ emptyText: t('decisions.empty') }}
          data-testid="decisions-table"
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('decisions.decidedAt'),
              dataIndex: 'decidedAt',
              render: (v: string) => dateTime(v),
            },
            {
              title: t('decisions.decision'),
              dataIndex: 'decisionId',
              render: (id: string) => (
                <Link to={`/decisions/${encodeURIComponent(id)}`} testId={`decision-link-${id}`}>
                  {id}
                </Link>
              ),
            },
            {
              title: t('decisions.outcome'),
              dataIndex: 'outcome',
              render: (o: Outcome) => <OutcomeTag outcome={o} />,
            },
            { title: t('decisions.product'), dataIndex: 'productId' },
            {
              title: t('decisions.limit'),
              dataIndex: 'limit',
              align: 'right',
              // A decline offers no line: its limit is none, not ¥0.00.
              render: (v: string, d: DecisionListItem) =>
                d.outcome === 'decline' ? t('common.none') : money(v),
            },
            { title: t('decisions.dailyRate'), dataIndex: 'dailyRate', align: 'right', render: percent },
            { title: t('decisions.apr'), dataIndex: 'apr', align: 'right', render: aprPercent },
            {
              title: t('decisions.flags'),
              render: (_: unknown, d: DecisionListItem) =>
                d.openFlags > 0 ? (
                  <Tag color="volcano">{t('decisions.openFlagsCount', { n: d.openFlags })}</Tag>
                ) : d.flags > 0 ? (
                  <Tag>{t('decisions.resolvedFlagsCount', { n: d.flags })}</Tag>
                ) : (
                  t('common.none')
                ),
            },
            { title: t('decisions.policyVersion'), dataIndex: 'policyVersion' },
            { title: t('decisions.modelVersion'), dataIndex: 'modelVersion' },
          ]}
        />
        <PagerBar {...paged} />
      </Card>
    </div>
  );
}
