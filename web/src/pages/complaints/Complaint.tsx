import { Button, Card, Descriptions, Form, Input, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  COMPLAINT_OUTCOMES,
  COMPLAINT_ROOT_CAUSES,
  type ComplaintDetail,
  SLA_COLOURS,
  type TimerState,
} from '../../complaints.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { Link } from '../../router.js';
import { useApi, useSession } from '../../session.js';

function Timer({ timer, testId }: { timer: TimerState; testId: string }) {
  const { t, date } = useI18n();
  return (
    <Space data-testid={testId}>
      <Tag color={SLA_COLOURS[timer.state]}>{t(`sla.${timer.state}` as MessageKey)}</Tag>
      <span>{t('complaint.dueOn', { date: date(timer.dueDate) })}</span>
      {timer.daysLeft === null ? null : <span>{t('complaint.daysLeft', { n: timer.daysLeft })}</span>}
    </Space>
  );
}

interface ResolveValues {
  outcome: string;
  rootCause: string;
  resolution: string;
}

function Handling({ detail, onDone }: { detail: ComplaintDetail; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<ResolveValues>();
  const [problem, setProblem] = useState<unknown>(null);
  const base = `/complaints/${encodeURIComponent(detail.complaintId)}`;
  const run = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
      onDone();
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <Card title={t('complaint.handle')} size="small" data-testid="complaint-handle">
      <ProblemAlert error={problem} />
      <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
        {detail.status === 'received' ? (
          <Button onClick={() => run(() => api.post(`${base}/acknowledge`, {}))} data-testid="acknowledge">
            {t('complaint.acknowledge')}
          </Button>
        ) : null}
        <Form<ResolveValues>
          form={form}
          layout="inline"
          initialValues={{ outcome: 'upheld', rootCause: 'collector_conduct' }}
          onFinish={(v) => run(() => api.post(`${base}/resolve`, v))}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="outcome">
            <Select
              style={{ width: 150 }}
              data-testid="resolve-outcome"
              options={COMPLAINT_OUTCOMES.map((o) => ({
                value: o,
                label: t(`complaintOutcome.${o}` as MessageKey),
              }))}
            />
          </Form.Item>
          <Form.Item name="rootCause">
            <Select
              style={{ width: 180 }}
              data-testid="resolve-root-cause"
              options={COMPLAINT_ROOT_CAUSES.map((o) => ({
                value: o,
                label: t(`rootCause.${o}` as MessageKey),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="resolution"
            rules={[{ required: true, message: t('complaint.resolutionRequired') }]}
          >
            <Input
              placeholder={t('complaint.resolution')}
              style={{ width: 320 }}
              data-testid="resolve-text"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="resolve-submit">
            {t('complaint.resolve')}
          </Button>
        </Form>
      </Space>
    </Card>
  );
}

/** One complaint: its timers, what collection may do meanwhile, its steps, and the handling forms. */
export function ComplaintPage({ complaintId }: { complaintId: string }) {
  const { t, date, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [detail, setDetail] = useState<ComplaintDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.get<ComplaintDetail>(`/complaints/${encodeURIComponent(complaintId)}`).then(setDetail, setError);
  }, [api, complaintId]);
  useEffect(load, [load]);
  if (detail === null) return error === null ? <Spin /> : <ProblemAlert error={error} />;
  const mayHandle = me !== null && can(me.role, 'complaints.handle') && detail.status !== 'resolved';
  return (
    <div data-testid="page-complaint">
      <Typography.Title level={2}>
        {t('complaint.title')}{' '}
        <Tag data-testid="complaint-status">{t(`complaintStatus.${detail.status}` as MessageKey)}</Tag>
      </Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, md: 2 }} size="small" data-testid="complaint-facts">
            <Descriptions.Item label={t('complaints.customer')}>
              <Link to={`/customers/${detail.customerId}`}>{detail.customerId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.case')}>
              {detail.caseId === null ? (
                t('common.none')
              ) : (
                <Link to={`/collections/${detail.caseId}`}>{detail.caseId}</Link>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.channel')}>
              {t(`complaintChannel.${detail.channel}` as MessageKey)}
              {detail.regulatorReference === null ? '' : ` · ${detail.regulatorReference}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.category')}>
              {t(`complaintCategory.${detail.category}` as MessageKey)}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.received')}>
              {dateTime(detail.receivedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('complaint.collection')}>
              <Tag data-testid="collection-while-open">
                {t(`collectionWhileOpen.${detail.collectionWhileOpen}` as MessageKey)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('complaint.acknowledgeTimer')}>
              <Timer timer={detail.sla.acknowledge} testId="timer-acknowledge" />
            </Descriptions.Item>
            <Descriptions.Item label={t('complaint.resolveTimer')}>
              <Timer timer={detail.sla.resolve} testId="timer-resolve" />
            </Descriptions.Item>
            <Descriptions.Item label={t('complaints.summary')} span={2}>
              {detail.summary}
            </Descriptions.Item>
            {detail.outcome === null ? null : (
              <Descriptions.Item label={t('complaint.outcome')} span={2}>
                <span data-testid="complaint-outcome">
                  {t(`complaintOutcome.${detail.outcome}` as MessageKey)} ·{' '}
                  {t(`rootCause.${detail.rootCause}` as MessageKey)} · {detail.resolution}
                </span>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        {mayHandle ? <Handling detail={detail} onDone={load} /> : null}
        <Card title={t('complaint.steps')} size="small">
          <Table
            rowKey="seq"
            dataSource={detail.events}
            pagination={false}
            size="small"
            data-testid="complaint-events"
            columns={[
              {
                title: t('complaint.step'),
                dataIndex: 'action',
                render: (a: string) => t(`complaintStatus.${a}` as MessageKey),
              },
              { title: t('complaints.received'), dataIndex: 'date', render: (d: string) => date(d) },
              { title: t('complaint.actor'), dataIndex: 'actor' },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
