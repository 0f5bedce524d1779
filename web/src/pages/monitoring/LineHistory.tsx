import { Card, Descriptions, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../api-types.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { policyReason } from '../../policy-reasons.js';
import { Link } from '../../router.js';
import { useApi } from '../../session.js';
import { useMonitoringText } from './text.js';

type Line = ResponseOf<'/credit-lines/{lineId}'>;
type Change = Line['history'][number];

const STATUS_COLOURS: Record<string, string> = { active: 'green', frozen: 'blue', closed: 'default' };

/** A credit line's page: status, limit, why it is frozen, and its history of status and limit. */
export function LinePage({ lineId }: { lineId: string }) {
  const { m, money, date, locale } = useMonitoringText();
  // A status, change or source in the page's language; a value without a label is shown as the API gives it.
  const label = (group: string, value: string): string => {
    const key = `${group}.${value}`;
    const text = m(key);
    return text === key ? value : text;
  };
  const api = useApi();
  const [line, setLine] = useState<Line | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api
      .get<Line>(`/credit-lines/${encodeURIComponent(lineId)}`)
      .then(setLine)
      .catch(setError);
  }, [api, lineId]);
  return (
    <div data-testid="page-line">
      <Typography.Title level={2}>
        {m('line.title')} {lineId}
      </Typography.Title>
      <ProblemAlert error={error} />
      {line === null && error === null ? <Spin /> : null}
      {line !== null ? (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 4 }} data-testid="line-figures">
            <Descriptions.Item label={m('watchlist.customer')}>
              <Link to={`/customers/${line.customerId}`}>{line.customerId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={m('line.status')}>
              <Tag color={STATUS_COLOURS[line.status]} data-testid="line-status">
                {label('lineStatus', line.status)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={m('line.limit')}>
              <span data-testid="line-limit">{money(line.limit)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={m('line.available')}>{money(line.available)}</Descriptions.Item>
            {line.freeze ? (
              <Descriptions.Item label={m('line.freeze')} span={4}>
                <span data-testid="line-freeze">{policyReason(line.freeze.reason ?? '', locale)}</span>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Card title={m('line.history')} style={{ marginTop: 16 }}>
            <Table<Change>
              rowKey={(c) => `${c.day}-${c.kind}-${c.code}-${c.toLimit}`}
              dataSource={line.history}
              pagination={false}
              size="small"
              locale={{ emptyText: m('line.empty') }}
              data-testid="line-history"
              columns={[
                { title: m('line.day'), dataIndex: 'day', render: (d: string) => date(d) },
                {
                  title: m('line.change'),
                  dataIndex: 'kind',
                  render: (k: string) => <Tag>{label('lineChange', k)}</Tag>,
                },
                {
                  title: m('line.statusChange'),
                  render: (_: unknown, c) =>
                    `${label('lineStatus', c.fromStatus)} → ${label('lineStatus', c.toStatus)}`,
                },
                {
                  title: m('line.limitChange'),
                  render: (_: unknown, c) => `${money(c.fromLimit)} → ${money(c.toLimit)}`,
                },
                {
                  title: m('line.source'),
                  dataIndex: 'source',
                  render: (v: string) => label('lineSource', v),
                },
                {
                  title: m('line.reason'),
                  render: (_: unknown, c) => `${c.code}: ${policyReason(c.reason, locale)}`,
                },
              ]}
            />
          </Card>
        </>
      ) : null}
    </div>
  );
}
