import { Card, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { ItemOf } from '../../api-types.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Link } from '../../router.js';
import { useApi } from '../../session.js';
import { useMonitoringText } from './text.js';

type Reminder = ItemOf<'/loans/{loanId}/reminders'>;

const STATUS_COLOURS: Record<string, string> = {
  planned: 'blue',
  sent: 'green',
  cancelled: 'default',
  failed: 'red',
};

/** The loan's reminders with their delivery status, and a link to its line's history (the loan page's 贷中 part). */
export function LoanMonitoring({ loanId, lineId }: { loanId: string; lineId: string }) {
  const { m, money, dateTime } = useMonitoringText();
  const api = useApi();
  const [items, setItems] = useState<Reminder[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api
      .get<{ items: Reminder[] }>(`/loans/${encodeURIComponent(loanId)}/reminders`)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [api, loanId]);
  return (
    <Card
      title={m('reminders.title')}
      extra={
        <Link to={`/credit-lines/${encodeURIComponent(lineId)}`} testId="loan-line-link">
          {m('line.open')}
        </Link>
      }
      style={{ marginTop: 16 }}
      data-testid="loan-reminders"
    >
      <ProblemAlert error={error} />
      <Table<Reminder>
        rowKey="reminderKey"
        loading={items === null && error === null}
        dataSource={items ?? []}
        pagination={false}
        size="small"
        locale={{ emptyText: m('reminders.empty') }}
        columns={[
          {
            title: m('reminders.stage'),
            render: (_: unknown, r) => (
              <span>
                {r.stage} {r.legallyRequired ? <Tag color="purple">{m('reminders.legal')}</Tag> : null}
              </span>
            ),
          },
          { title: m('reminders.channel'), dataIndex: 'channel' },
          { title: m('reminders.scheduled'), dataIndex: 'scheduledAt', render: (t: string) => dateTime(t) },
          {
            title: m('reminders.amount'),
            dataIndex: 'amountDue',
            align: 'right',
            render: (a: string) => money(a),
          },
          {
            title: m('reminders.status'),
            dataIndex: 'status',
            render: (s: string, r) => (
              <Tag color={STATUS_COLOURS[s]} data-testid={`reminder-status-${r.stage}`}>
                {m(`reminderStatus.${s}`)}
              </Tag>
            ),
          },
          { title: m('reminders.attempts'), dataIndex: 'attempts', align: 'right' },
          { title: m('reminders.why'), render: (_: unknown, r) => r.cancelReason ?? r.failure ?? '' },
        ]}
      />
    </Card>
  );
}
