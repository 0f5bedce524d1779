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
  Switch,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import {
  DEMAND_CHANNELS,
  type Demand,
  LEGAL_COST_KINDS,
  LEGAL_PATHS,
  type LegalAction,
  type LegalOverview,
  type LegalStep,
} from '../../legal.js';
import type { MessageKey } from '../../messages.js';
import { can } from '../../permissions.js';
import { useApi, useSession } from '../../session.js';

const day = (d: Dayjs | null | undefined) => d?.format('YYYY-MM-DD') ?? '';

/** 法律诉讼 on the case page: the limitation period, demands, the actions with their steps and costs. */
export function LegalPanel({ caseId, open }: { caseId: string; open: boolean }) {
  const { t, date } = useI18n();
  const api = useApi();
  const { me } = useSession();
  const mayPropose = me !== null && can(me.role, 'collections.legal.propose');
  const mayAct = me !== null && can(me.role, 'collections.legal');
  const base = `/collections/cases/${encodeURIComponent(caseId)}/legal`;
  const [overview, setOverview] = useState<LegalOverview | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const load = useCallback(() => {
    api.get<LegalOverview>(base).then(setOverview, setProblem);
  }, [api, base]);
  useEffect(load, [load]);
  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
      load();
      return true;
    } catch (error) {
      setProblem(error);
      return false;
    }
  };
  const download = () =>
    act(async () => {
      const blob = await api.download(`${base}/evidence-package`);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `evidence-${caseId}.zip`;
      a.click();
      URL.revokeObjectURL(a.href);
    });
  const live = overview?.actions.find(
    (a) => !['rejected', 'withdrawn', 'closed', 'objected'].includes(a.status),
  );
  const limitation = overview?.limitation ?? null;
  return (
    <Card title={t('legal.title')} size="small" data-testid="legal-panel">
      <ProblemAlert error={problem} />
      {limitation === null ? null : (
        <Alert
          type={limitation.expired ? 'error' : limitation.daysLeft < 180 ? 'warning' : 'info'}
          showIcon
          data-testid="legal-limitation"
          message={t('legal.limitation', {
            end: date(limitation.endDate),
            days: String(limitation.daysLeft),
          })}
          description={t('legal.limitationFrom', {
            start: date(limitation.startDate),
            restarts: limitation.restartedBy.map(date).join(', ') || t('common.none'),
          })}
          style={{ marginBottom: 12 }}
        />
      )}
      <Space direction="vertical" style={{ width: '100%' }}>
        {(overview?.actions ?? []).map((a) => (
          <ActionCard key={a.actionId} action={a} base={base} mayAct={mayAct} act={act} />
        ))}
        {mayPropose && open && live === undefined ? <ProposeForm base={base} act={act} /> : null}
        {mayAct && (overview?.actions.length ?? 0) > 0 ? (
          <Button onClick={download} data-testid="legal-evidence">
            {t('legal.evidence')}
          </Button>
        ) : null}
        <Table<Demand>
          rowKey="demandId"
          size="small"
          pagination={false}
          dataSource={overview?.demands ?? []}
          locale={{ emptyText: t('legal.noDemands') }}
          data-testid="legal-demands"
          title={() => t('legal.demands')}
          columns={[
            { title: t('legal.date'), dataIndex: 'date', render: (d: string) => date(d) },
            {
              title: t('legal.channel'),
              dataIndex: 'channel',
              render: (c: string) => t(`legal.demandChannel.${c}` as MessageKey),
            },
            {
              title: t('legal.reached'),
              dataIndex: 'reachedDebtor',
              render: (r: boolean) => (r ? t('legal.yes') : t('legal.no')),
            },
            { title: t('legal.evidenceRef'), dataIndex: 'evidence' },
          ]}
        />
        {mayPropose ? <DemandForm base={base} act={act} /> : null}
      </Space>
    </Card>
  );
}

function ActionCard({
  action,
  base,
  mayAct,
  act,
}: {
  action: LegalAction;
  base: string;
  mayAct: boolean;
  act: (w: () => Promise<unknown>) => Promise<boolean>;
}) {
  const { t, money, date } = useI18n();
  const api = useApi();
  const [cost] = Form.useForm<{ kind: string; amount: string; date: Dayjs | null }>();
  const url = `${base}/actions/${encodeURIComponent(action.actionId)}`;
  return (
    <Card
      size="small"
      type="inner"
      data-testid={`legal-action-${action.actionId}`}
      title={
        <Space>
          {t(`legal.path.${action.path}` as MessageKey)}
          <Tag data-testid="legal-status">{t(`legal.status.${action.status}` as MessageKey)}</Tag>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('legal.claimed')}>{money(action.claimed)}</Descriptions.Item>
        <Descriptions.Item label={t('legal.reason')}>{action.reason}</Descriptions.Item>
        <Descriptions.Item label={t('legal.venue')}>{action.venue ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('legal.reference')}>
          {action.reference ?? t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('legal.costTotal')}>
          <span data-testid="legal-cost-total">{money(action.costTotal)}</span>
        </Descriptions.Item>
      </Descriptions>
      <Table<LegalStep>
        rowKey="seq"
        size="small"
        pagination={false}
        dataSource={action.steps}
        data-testid="legal-steps"
        columns={[
          { title: t('legal.date'), dataIndex: 'date', render: (d: string) => date(d) },
          {
            title: t('legal.step'),
            dataIndex: 'to',
            render: (s: string) => t(`legal.status.${s}` as MessageKey),
          },
          { title: t('legal.actor'), dataIndex: 'actor' },
          {
            title: t('legal.deadlines'),
            dataIndex: 'deadlines',
            render: (ds: LegalStep['deadlines']) =>
              ds.map((d) => `${t(`legal.deadline.${d.name}` as MessageKey)} ${date(d.date)}`).join('; '),
          },
        ]}
      />
      {mayAct && action.nextStatuses.length > 0 ? (
        <Space wrap style={{ marginTop: 8 }}>
          {action.nextStatuses.map((to) => (
            <Button
              key={to}
              size="small"
              data-testid={`legal-to-${to}`}
              onClick={() => act(() => api.post(`${url}/steps`, { to }))}
            >
              {t(`legal.do.${to}` as MessageKey)}
            </Button>
          ))}
        </Space>
      ) : null}
      {mayAct && !['rejected', 'withdrawn'].includes(action.status) ? (
        <Form
          form={cost}
          layout="inline"
          style={{ marginTop: 8, rowGap: 8 }}
          initialValues={{ kind: 'court-fee' }}
          onFinish={async (v) => {
            const ok = await act(() =>
              api.post(`${url}/costs`, { kind: v.kind, amount: v.amount, date: day(v.date) }),
            );
            if (ok) cost.resetFields();
          }}
        >
          <Form.Item name="kind">
            <Select
              style={{ width: 150 }}
              data-testid="legal-cost-kind"
              options={LEGAL_COST_KINDS.map((k) => ({ value: k, label: t(`legal.cost.${k}` as MessageKey) }))}
            />
          </Form.Item>
          <Form.Item name="amount" rules={[{ required: true, message: t('case.amountRequired') }]}>
            <Input placeholder={t('case.amount')} style={{ width: 120 }} data-testid="legal-cost-amount" />
          </Form.Item>
          <Form.Item name="date" rules={[{ required: true, message: t('case.dateRequired') }]}>
            <DatePicker data-testid="legal-cost-date" />
          </Form.Item>
          <Button htmlType="submit" data-testid="legal-cost-submit">
            {t('legal.addCost')}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}

function ProposeForm({ base, act }: { base: string; act: (w: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<{ path: string; reason: string; venue?: string }>();
  return (
    <Form
      form={form}
      layout="inline"
      style={{ rowGap: 8 }}
      initialValues={{ path: 'lawsuit' }}
      data-testid="legal-propose"
      onFinish={async (v) => {
        const ok = await act(() =>
          api.post(`${base}/actions`, {
            path: v.path,
            reason: v.reason,
            ...(v.venue === undefined || v.venue.trim() === '' ? {} : { venue: v.venue }),
          }),
        );
        if (ok) form.resetFields();
      }}
    >
      <Form.Item name="path">
        <Select
          style={{ width: 170 }}
          data-testid="legal-path"
          options={LEGAL_PATHS.map((p) => ({ value: p, label: t(`legal.path.${p}` as MessageKey) }))}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        rules={[{ required: true, whitespace: true, message: t('legal.reasonRequired') }]}
      >
        <Input placeholder={t('legal.reason')} style={{ width: 260 }} data-testid="legal-reason" />
      </Form.Item>
      <Form.Item name="venue">
        <Input placeholder={t('legal.venue')} style={{ width: 180 }} data-testid="legal-venue" />
      </Form.Item>
      <Button type="primary" htmlType="submit" data-testid="legal-propose-submit">
        {t('legal.propose')}
      </Button>
    </Form>
  );
}

function DemandForm({ base, act }: { base: string; act: (w: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<{ channel: string; date: Dayjs | null; evidence: string; reached: boolean }>();
  return (
    <Form
      form={form}
      layout="inline"
      style={{ rowGap: 8 }}
      initialValues={{ channel: 'lawyer-letter', reached: true }}
      onFinish={async (v) => {
        const ok = await act(() =>
          api.post(`${base}/demands`, {
            date: day(v.date),
            channel: v.channel,
            reachedDebtor: v.reached,
            evidence: v.evidence,
          }),
        );
        if (ok) form.resetFields();
      }}
    >
      <Form.Item name="channel">
        <Select
          style={{ width: 140 }}
          data-testid="demand-channel"
          options={DEMAND_CHANNELS.map((c) => ({
            value: c,
            label: t(`legal.demandChannel.${c}` as MessageKey),
          }))}
        />
      </Form.Item>
      <Form.Item name="date" rules={[{ required: true, message: t('case.dateRequired') }]}>
        <DatePicker data-testid="demand-date" />
      </Form.Item>
      <Form.Item
        name="evidence"
        rules={[{ required: true, whitespace: true, message: t('legal.evidenceRequired') }]}
      >
        <Input placeholder={t('legal.evidenceRef')} style={{ width: 220 }} data-testid="demand-evidence" />
      </Form.Item>
      <Form.Item name="reached" valuePropName="checked" label={t('legal.reached')}>
        <Switch data-testid="demand-reached" />
      </Form.Item>
      <Button htmlType="submit" data-testid="demand-submit">
        {t('legal.recordDemand')}
      </Button>
    </Form>
  );
}
