import { Button, Card, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ItemOf } from '../../api-types.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { can } from '../../permissions.js';
import { Link } from '../../router.js';
import { useApi, useSession } from '../../session.js';
import { useMonitoringText } from './text.js';

export type Signal = ItemOf<'/signals'>;

const SEVERITY_COLOURS: Record<string, string> = {
  critical: 'magenta',
  high: 'red',
  medium: 'orange',
  low: 'blue',
};

/** The facts a rule saw, as "name: value" lines (ratios as percentages). */
export function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const { count } = useMonitoringText();
  return (
    <span>
      {Object.entries(evidence).map(([k, v]) => (
        <Tag key={k} data-testid={`evidence-${k}`}>
          {k}:{' '}
          {typeof v === 'number' && /Change|utilisation|Share/.test(k)
            ? `${(v * 100).toFixed(1)}%`
            : typeof v === 'number'
              ? count(v)
              : String(v)}
        </Tag>
      ))}
    </span>
  );
}

type Severity = 'all' | 'critical' | 'high' | 'medium' | 'low';
type Status = 'live' | 'resolved' | 'cleared';

/** The watchlist: signals by severity with their evidence, owner queue and action; acknowledge and resolve. */
export function WatchlistPage() {
  const { m, locale, date } = useMonitoringText();
  const api = useApi();
  const { me } = useSession();
  const [severity, setSeverity] = useState<Severity>('all');
  const [status, setStatus] = useState<Status>('live');
  const [items, setItems] = useState<Signal[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [resolving, setResolving] = useState<Signal | null>(null);
  const [note, setNote] = useState('');
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.get<{ items: Signal[] }>('/signals', {
        ...(severity === 'all' ? {} : { severity }),
        ...(status === 'live' ? {} : { status }),
        limit: 200,
      });
      setItems(r.items);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [api, severity, status]);
  useEffect(() => {
    void load();
  }, [load]);
  const role = me?.role;
  const mayWork = role !== undefined && can(role, 'signals.work');
  const mayAct = role !== undefined && can(role, 'signals.act');
  const write = async (path: string, body: unknown) => {
    try {
      await api.post(path, body);
      setError(null);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div data-testid="page-watchlist">
      <Typography.Title level={2}>{m('watchlist.title')}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<Severity>
            value={severity}
            onChange={setSeverity}
            options={(['all', 'critical', 'high', 'medium', 'low'] as const).map((s) => ({
              value: s,
              label: s === 'all' ? m('watchlist.all') : m(`severity.${s}`),
            }))}
            data-testid="watchlist-severity"
          />
          <Segmented<Status>
            value={status}
            onChange={setStatus}
            options={(['live', 'resolved', 'cleared'] as const).map((s) => ({
              value: s,
              label: m(`watchlist.${s}`),
            }))}
            data-testid="watchlist-status"
          />
        </Space>
        <ProblemAlert error={error} />
        <Table<Signal>
          rowKey="signalId"
          loading={loading}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: m('watchlist.empty') }}
          data-testid="watchlist-table"
          rowClassName={(s) => `signal-${s.code}`}
          columns={[
            {
              title: m('watchlist.severity'),
              dataIndex: 'severity',
              render: (s: string) => <Tag color={SEVERITY_COLOURS[s]}>{m(`severity.${s}`)}</Tag>,
            },
            {
              title: m('watchlist.customer'),
              dataIndex: 'customerId',
              width: 180,
              ellipsis: true,
              render: (id: string) => <Link to={`/customers/${id}`}>{id}</Link>,
            },
            {
              title: m('watchlist.signal'),
              width: 300,
              render: (_: unknown, s) => (
                <span data-testid={`signal-${s.signalId}`}>
                  <Typography.Text strong>{s.code}</Typography.Text>
                  <br />
                  {locale === 'zh-CN' ? s.reason['zh-CN'] : s.reason.en}
                </span>
              ),
            },
            {
              title: m('watchlist.evidence'),
              render: (_: unknown, s) => <Evidence evidence={s.evidence as Record<string, unknown>} />,
            },
            { title: m('watchlist.queue'), dataIndex: 'queue', render: (q: string) => <Tag>{q}</Tag> },
            {
              title: m('watchlist.action'),
              render: (_: unknown, s) => (
                <span>
                  {m(`action.${s.action}`)}{' '}
                  {s.actionStatus === 'none' ? null : <Tag>{m(`actionStatus.${s.actionStatus}`)}</Tag>}
                </span>
              ),
            },
            { title: m('watchlist.raised'), dataIndex: 'raisedDate', render: (d: string) => date(d) },
            {
              title: m('watchlist.status'),
              render: (_: unknown, s) => (
                <Space wrap>
                  <Tag data-testid={`signal-status-${s.signalId}`}>{m(`signalStatus.${s.status}`)}</Tag>
                  {mayWork && s.status === 'open' ? (
                    <Button
                      size="small"
                      onClick={() => void write(`/signals/${s.signalId}/acknowledge`, {})}
                      data-testid={`ack-${s.signalId}`}
                    >
                      {m('watchlist.acknowledge')}
                    </Button>
                  ) : null}
                  {mayWork && (s.status === 'open' || s.status === 'acknowledged') ? (
                    <Button
                      size="small"
                      onClick={() => setResolving(s)}
                      data-testid={`resolve-${s.signalId}`}
                    >
                      {m('watchlist.resolve')}
                    </Button>
                  ) : null}
                  {mayAct && (s.actionStatus === 'pending' || s.actionStatus === 'failed') ? (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => void write(`/signals/${s.signalId}/act`, undefined)}
                      data-testid={`act-${s.signalId}`}
                    >
                      {m('watchlist.act')}
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={resolving !== null}
        title={m('watchlist.resolveTitle')}
        okButtonProps={{ disabled: note.trim() === '', id: 'resolve-ok' }}
        onCancel={() => setResolving(null)}
        onOk={async () => {
          const s = resolving;
          setResolving(null);
          if (s !== null) await write(`/signals/${s.signalId}/resolve`, { note: note.trim() });
          setNote('');
        }}
      >
        <Input.TextArea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={m('watchlist.note')}
          maxLength={500}
          data-testid="resolve-note"
        />
      </Modal>
    </div>
  );
}
