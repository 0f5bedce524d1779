import { Button, Card, Form, Input, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import type { Page } from '../../api.js';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, type Complaint, SLA_COLOURS } from '../../complaints.js';
import { PagerBar } from '../../components/PagerBar.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { usePaged } from '../../components/usePaged.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { Link, useRouter } from '../../router.js';
import { useApi, useSession } from '../../session.js';

interface IntakeValues {
  customerId: string;
  channel: string;
  category: string;
  summary: string;
  regulatorReference?: string;
}

/** Records a complaint as it comes in; the new complaint's page opens. */
function IntakeForm() {
  const { t } = useI18n();
  const api = useApi();
  const { navigate } = useRouter();
  const [form] = Form.useForm<IntakeValues>();
  const [problem, setProblem] = useState<unknown>(null);
  const channel = Form.useWatch('channel', form);
  const submit = async (v: IntakeValues) => {
    setProblem(null);
    try {
      const created = await api.post<Complaint>('/complaints', {
        customerId: v.customerId.trim(),
        channel: v.channel,
        category: v.category,
        summary: v.summary,
        ...(v.regulatorReference === undefined || v.regulatorReference.trim() === ''
          ? {}
          : { regulatorReference: v.regulatorReference.trim() }),
      });
      navigate(`/complaints/${created.complaintId}`);
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <Card title={t('complaints.intake')} size="small" data-testid="complaint-intake">
      <ProblemAlert error={problem} />
      <Form<IntakeValues>
        form={form}
        layout="inline"
        initialValues={{ channel: 'hotline', category: 'collection_conduct' }}
        onFinish={submit}
        style={{ rowGap: 8, marginTop: 8 }}
      >
        <Form.Item name="customerId" rules={[{ required: true, message: t('complaints.customerRequired') }]}>
          <Input
            placeholder={t('complaints.customer')}
            style={{ width: 300 }}
            data-testid="intake-customer"
          />
        </Form.Item>
        <Form.Item name="channel">
          <Select
            style={{ width: 150 }}
            data-testid="intake-channel"
            options={COMPLAINT_CHANNELS.map((c) => ({
              value: c,
              label: t(`complaintChannel.${c}` as MessageKey),
            }))}
          />
        </Form.Item>
        <Form.Item name="category">
          <Select
            style={{ width: 160 }}
            data-testid="intake-category"
            options={COMPLAINT_CATEGORIES.map((c) => ({
              value: c,
              label: t(`complaintCategory.${c}` as MessageKey),
            }))}
          />
        </Form.Item>
        {channel === 'regulator_referral' ? (
          <Form.Item name="regulatorReference">
            <Input
              placeholder={t('complaints.reference')}
              style={{ width: 160 }}
              data-testid="intake-reference"
            />
          </Form.Item>
        ) : null}
        <Form.Item name="summary" rules={[{ required: true, message: t('complaints.summaryRequired') }]}>
          <Input placeholder={t('complaints.summary')} style={{ width: 320 }} data-testid="intake-summary" />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="intake-submit">
          {t('complaints.record')}
        </Button>
      </Form>
    </Card>
  );
}

/** Complaints, newest first, each with the state of its SLA timers. */
export function ComplaintsPage() {
  const { t, date } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const [open, setOpen] = useState<'open' | 'resolved' | 'all'>('open');
  const load = useCallback(
    (cursor: string | undefined, limit: number) =>
      api.get<Page<Complaint>>('/complaints', {
        limit,
        cursor,
        open: open === 'all' ? undefined : open === 'open' ? 'true' : 'false',
      }),
    [api, open],
  );
  const paged = usePaged(load);
  return (
    <div data-testid="page-complaints">
      <Typography.Title level={2}>{t('complaints.title')}</Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {me !== null && can(me.role, 'complaints.intake') ? <IntakeForm /> : null}
        <Card>
          <Space wrap style={{ marginBottom: 16 }}>
            <Segmented<'open' | 'resolved' | 'all'>
              value={open}
              onChange={setOpen}
              options={[
                { value: 'open', label: t('complaints.open') },
                { value: 'resolved', label: t('complaints.resolved') },
                { value: 'all', label: t('cases.all') },
              ]}
              data-testid="complaints-open"
            />
            <Link to="/complaints/reputation" testId="reputation-link">
              {t('reputation.title')}
            </Link>
          </Space>
          <ProblemAlert error={paged.error} />
          <Table<Complaint>
            rowKey="complaintId"
            loading={paged.loading}
            dataSource={paged.items}
            pagination={false}
            locale={{ emptyText: t('complaints.empty') }}
            data-testid="complaints-table"
            columns={[
              {
                title: t('complaints.complaint'),
                dataIndex: 'complaintId',
                render: (id: string) => (
                  <Link to={`/complaints/${id}`} testId={`complaint-link-${id}`}>
                    {id}
                  </Link>
                ),
              },
              {
                title: t('complaints.received'),
                dataIndex: 'receivedDate',
                render: (d: string) => date(d),
              },
              {
                title: t('complaints.channel'),
                dataIndex: 'channel',
                render: (c: string) => t(`complaintChannel.${c}` as MessageKey),
              },
              {
                title: t('complaints.category'),
                dataIndex: 'category',
                render: (c: string) => t(`complaintCategory.${c}` as MessageKey),
              },
              {
                title: t('complaints.status'),
                dataIndex: 'status',
                render: (s: string) => <Tag>{t(`complaintStatus.${s}` as MessageKey)}</Tag>,
              },
              {
                title: t('complaints.sla'),
                key: 'sla',
                render: (_: unknown, c: Complaint) => (
                  <Tag color={SLA_COLOURS[c.sla.state]} data-testid={`sla-${c.complaintId}`}>
                    {t(`sla.${c.sla.state}` as MessageKey)}
                  </Tag>
                ),
              },
              {
                title: t('complaints.resolveBy'),
                key: 'due',
                render: (_: unknown, c: Complaint) => date(c.sla.resolve.dueDate),
              },
              {
                title: t('complaints.case'),
                dataIndex: 'caseId',
                render: (id: string | null) =>
                  id === null ? t('common.none') : <Link to={`/collections/${id}`}>{id}</Link>,
              },
            ]}
          />
          <PagerBar {...paged} />
        </Card>
      </Space>
    </div>
  );
}
