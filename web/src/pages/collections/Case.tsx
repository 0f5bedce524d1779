import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from '../../api.js';
import {
  type CaseDetail,
  CHANNELS,
  type ContactAttempt,
  collectorOffCase,
  OUTCOMES_BY_CHANNEL,
  type PromiseToPay,
} from '../../collections.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { Link } from '../../router.js';
import { useApi, useSession } from '../../session.js';
import { DocumentsPanel, NotesPanel } from './CaseNotes.js';
import { CaseStrategy } from './CaseStrategy.js';
import { LegalPanel } from './LegalPanel.js';

interface AttemptValues {
  channel: string;
  party: 'borrower' | 'contact';
  outcome: string;
  note?: string;
}

/** A refused contact: the rule and when contact is next allowed, in the page's language. */
function Refusal({ problem }: { problem: ApiProblem }) {
  const { t, dateTime } = useI18n();
  const rule = String(problem.extra.rule ?? '');
  const next = problem.extra.nextAllowedAt;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="contact-refused"
      message={t(`contactRule.${rule}` as MessageKey)}
      description={
        <>
          <div>{problem.detail}</div>
          <div data-testid="contact-next-allowed">
            {typeof next === 'string'
              ? t('case.nextAllowedAt', { at: dateTime(next) })
              : t('case.noTimeAllows')}
          </div>
        </>
      }
    />
  );
}

function AttemptForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<AttemptValues>();
  const [problem, setProblem] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const channel = Form.useWatch('channel', form) ?? 'call';
  const submit = async (values: AttemptValues) => {
    setSending(true);
    setProblem(null);
    try {
      await api.post(`/collections/cases/${encodeURIComponent(caseId)}/contact-attempts`, {
        channel: values.channel,
        party: values.party,
        outcome: values.outcome,
        ...(values.note === undefined || values.note.trim() === '' ? {} : { note: values.note }),
      });
      form.resetFields(['note']);
      onDone();
    } catch (error) {
      setProblem(error);
      // A refusal is logged too: show it in the log.
      if (error instanceof ApiProblem && error.code === 'contact_refused') onDone();
    } finally {
      setSending(false);
    }
  };
  return (
    <Card title={t('case.logAttempt')} size="small" data-testid="attempt-form">
      {problem instanceof ApiProblem && problem.code === 'contact_refused' ? (
        <Refusal problem={problem} />
      ) : (
        <ProblemAlert error={problem} />
      )}
      <Form<AttemptValues>
        form={form}
        layout="inline"
        initialValues={{ channel: 'call', party: 'borrower', outcome: 'answered' }}
        onFinish={submit}
        style={{ rowGap: 8, marginTop: 8 }}
      >
        <Form.Item name="channel">
          <Select
            style={{ width: 130 }}
            data-testid="attempt-channel"
            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}` as MessageKey) }))}
            onChange={(c: string) => form.setFieldValue('outcome', OUTCOMES_BY_CHANNEL[c]?.[0])}
          />
        </Form.Item>
        <Form.Item name="party">
          <Select
            style={{ width: 140 }}
            data-testid="attempt-party"
            options={[
              { value: 'borrower', label: t('party.borrower') },
              { value: 'contact', label: t('party.contact') },
            ]}
          />
        </Form.Item>
        <Form.Item name="outcome">
          <Select
            style={{ width: 150 }}
            data-testid="attempt-outcome"
            options={(OUTCOMES_BY_CHANNEL[channel] ?? []).map((o) => ({
              value: o,
              label: t(`outcome.${o}` as MessageKey),
            }))}
          />
        </Form.Item>
        <Form.Item name="note" rules={[{ max: 500 }]}>
          <Input placeholder={t('case.note')} style={{ width: 220 }} data-testid="attempt-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={sending} data-testid="attempt-submit">
          {t('case.log')}
        </Button>
      </Form>
    </Card>
  );
}

function PromiseForm({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<{ amount: string; promisedDate: Dayjs | null }>();
  const [problem, setProblem] = useState<unknown>(null);
  const submit = async (values: { amount: string; promisedDate: Dayjs | null }) => {
    setProblem(null);
    try {
      await api.post(`/collections/cases/${encodeURIComponent(caseId)}/promises`, {
        amount: values.amount,
        promisedDate: values.promisedDate?.format('YYYY-MM-DD') ?? '',
      });
      form.resetFields();
      onDone();
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <Card title={t('case.promise')} size="small" data-testid="promise-form">
      <ProblemAlert error={problem} />
      <Form form={form} layout="inline" onFinish={submit} style={{ rowGap: 8, marginTop: 8 }}>
        <Form.Item name="amount" rules={[{ required: true, message: t('case.amountRequired') }]}>
          <Input placeholder={t('case.amount')} style={{ width: 140 }} data-testid="promise-amount" />
        </Form.Item>
        <Form.Item name="promisedDate" rules={[{ required: true, message: t('case.dateRequired') }]}>
          <DatePicker placeholder={t('case.promisedDate')} data-testid="promise-date" />
        </Form.Item>
        <Button htmlType="submit" data-testid="promise-submit">
          {t('case.recordPromise')}
        </Button>
      </Form>
    </Card>
  );
}

/** One case: the figures, the contact log with refusals, promises, and the collector's entries. */
export function CasePage({ caseId }: { caseId: string }) {
  const { t, money, date, dateTime } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const mayWork = me !== null && can(me.role, 'collections.work');
  // Notes and documents: whoever works the case (an agency on its placed cases too).
  const mayWriteNotes = me !== null && can(me.role, 'collections.placed.work');
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.get<CaseDetail>(`/collections/cases/${encodeURIComponent(caseId)}`).then(setDetail, setError);
  }, [api, caseId]);
  useEffect(load, [load]);
  const setLostContact = async (lostContact: boolean) => {
    try {
      setDetail({
        ...(detail as CaseDetail),
        ...(await api.patch(`/collections/cases/${encodeURIComponent(caseId)}`, { lostContact })),
      });
    } catch (e) {
      setError(e);
    }
  };
  if (detail === null) return error === null ? <Spin /> : <ProblemAlert error={error} />;
  const open = detail.status === 'open';
  // The API bounds a collector's attempts, promises, notes and documents (reading them too) to the cases
  // assigned to them: on a teammate's case (or one assigned to no one) the page shows none of those, and
  // says why.
  const offCase = me !== null && collectorOffCase(me, detail);
  const mayEnter = open && !offCase;
  return (
    <div data-testid="page-case">
      <Typography.Title level={2}>
        {t('case.title')}{' '}
        <Tag color={open ? 'processing' : 'default'}>{t(`caseStatus.${detail.status}` as MessageKey)}</Tag>
      </Typography.Title>
      <ProblemAlert error={error} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, md: 3 }} size="small" data-testid="case-figures">
            <Descriptions.Item label={t('cases.customer')}>
              <Link to={`/customers/${detail.customerId}`}>{detail.customerId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('cases.bucket')}>{detail.bucket}</Descriptions.Item>
            <Descriptions.Item label={t('cases.daysPastDue')}>{detail.maxDaysPastDue}</Descriptions.Item>
            <Descriptions.Item label={t('cases.overdue')}>{money(detail.overdue)}</Descriptions.Item>
            <Descriptions.Item label={t('cases.totalOwed')}>{money(detail.totalOwed)}</Descriptions.Item>
            <Descriptions.Item label={t('cases.opened')}>{date(detail.openedDate)}</Descriptions.Item>
            <Descriptions.Item label={t('case.loans')}>
              <Space wrap>
                {detail.pastDueLoanIds.map((id) => (
                  <Link key={id} to={`/loans/${id}`}>
                    {id}
                  </Link>
                ))}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('case.zone')}>{detail.borrowerZone}</Descriptions.Item>
            <Descriptions.Item label={t('case.lostContact')}>
              <Switch
                checked={detail.lostContact}
                disabled={!mayWork || !open}
                onChange={setLostContact}
                data-testid="case-lost-contact"
              />
            </Descriptions.Item>
            {detail.closedDate === null ? null : (
              <Descriptions.Item label={t('case.closed')}>
                {date(detail.closedDate)} · {t(`closeReason.${detail.closeReason}` as MessageKey)}
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <CaseStrategy detail={detail} mayWork={mayWork} onChanged={load} />
        {offCase ? (
          <Alert type="info" showIcon data-testid="case-not-yours" message={t('case.notYours')} />
        ) : null}
        {mayWork && mayEnter ? <AttemptForm caseId={caseId} onDone={load} /> : null}
        <Card title={t('case.contacts')} size="small">
          <Table<ContactAttempt>
            rowKey="attemptId"
            dataSource={detail.contacts}
            pagination={false}
            size="small"
            locale={{ emptyText: t('case.noContacts') }}
            data-testid="case-contacts"
            columns={[
              { title: t('case.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
              {
                title: t('case.channel'),
                dataIndex: 'channel',
                render: (c: string) => t(`channel.${c}` as MessageKey),
              },
              {
                title: t('case.party'),
                dataIndex: 'party',
                render: (p: string) => t(`party.${p}` as MessageKey),
              },
              {
                title: t('case.outcome'),
                dataIndex: 'outcome',
                render: (o: string) => t(`outcome.${o}` as MessageKey),
              },
              {
                title: t('case.rules'),
                dataIndex: 'rule',
                render: (rule: string | null) =>
                  rule === null ? (
                    <Tag color="success">{t('case.allowed')}</Tag>
                  ) : (
                    <Tag color="error" data-testid={`refused-${rule}`}>
                      {t(`contactRule.${rule}` as MessageKey)}
                    </Tag>
                  ),
              },
              {
                title: t('case.note'),
                dataIndex: 'note',
                render: (n: string | null) => n ?? t('common.none'),
              },
            ]}
          />
        </Card>
        {mayWork && mayEnter ? <PromiseForm caseId={caseId} onDone={load} /> : null}
        {offCase ? null : <NotesPanel caseId={caseId} api={api} mayWrite={mayWriteNotes && open} />}
        {offCase ? null : <DocumentsPanel caseId={caseId} api={api} mayWrite={mayWriteNotes && open} />}
        <LegalPanel caseId={caseId} open={open} />
        <Card title={t('case.promises')} size="small">
          <Table<PromiseToPay>
            rowKey="promiseId"
            dataSource={detail.promises}
            pagination={false}
            size="small"
            locale={{ emptyText: t('case.noPromises') }}
            data-testid="case-promises"
            columns={[
              { title: t('case.amount'), dataIndex: 'amount', render: (v: string) => money(v) },
              { title: t('case.promisedDate'), dataIndex: 'promisedDate', render: (d: string) => date(d) },
              { title: t('case.madeDate'), dataIndex: 'madeDate', render: (d: string) => date(d) },
              {
                title: t('case.promiseStatus'),
                dataIndex: 'status',
                render: (s: string) => <Tag>{t(`promiseStatus.${s}` as MessageKey)}</Tag>,
              },
              {
                title: t('case.paid'),
                dataIndex: 'paid',
                render: (v: string | null) => (v === null ? t('common.none') : money(v)),
              },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
