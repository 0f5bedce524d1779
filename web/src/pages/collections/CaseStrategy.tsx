import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { type CaseDetail, type NegotiationOffer, VERDICTS } from '../../collections.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useI18n } from '../../i18n.js';
import { en, type MessageKey } from '../../messages.js';
import { policyReason } from '../../policy-reasons.js';
import { useApi } from '../../session.js';
import { stepOutcomeText } from '../../step-outcomes.js';

/**
 * The strategy's step and the ability/willingness assessment of a case, with the override (a note required)
 * and the negotiation offer previewed by the ledger.
 */
export function CaseStrategy({
  detail,
  mayWork,
  onChanged,
}: {
  detail: CaseDetail;
  mayWork: boolean;
  onChanged: () => void;
}) {
  const { t, money, date, locale } = useI18n();
  const api = useApi();
  const [problem, setProblem] = useState<unknown>(null);
  const [offer, setOffer] = useState<NegotiationOffer | null>(null);
  const [income, setIncome] = useState('');
  const [form] = Form.useForm<{ verdict: string; note: string }>();
  const open = detail.status === 'open';
  const a = detail.assessment ?? null;
  const hold = detail.placementHold ?? null;

  const override = async (values: { verdict: string; note: string }) => {
    setProblem(null);
    try {
      await api.post(`/collections/cases/${encodeURIComponent(detail.caseId)}/assessment-override`, {
        verdict: values.verdict === 'none' ? null : values.verdict,
        note: values.note,
      });
      form.resetFields();
      onChanged();
    } catch (error) {
      setProblem(error);
    }
  };
  const preview = async () => {
    setProblem(null);
    try {
      setOffer(
        await api.get<NegotiationOffer>(
          `/collections/cases/${encodeURIComponent(detail.caseId)}/negotiation-offer`,
          income.trim() === '' ? {} : { monthlyIncome: income.trim() },
        ),
      );
    } catch (error) {
      setProblem(error);
    }
  };

  return (
    <Card title={t('strategy.card')} size="small" data-testid="case-strategy">
      <ProblemAlert error={problem} />
      <Descriptions column={{ xs: 1, md: 3 }} size="small">
        <Descriptions.Item label={t('strategy.nextAction')}>
          <span data-testid="case-next-action">
            {detail.nextAction ? t(`action.${detail.nextAction}` as MessageKey) : t('common.none')}
            {detail.nextActionChannel ? ` · ${detail.nextActionChannel}` : ''}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.due')}>
          {detail.nextActionDueDate ? date(detail.nextActionDueDate) : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.step')}>
          <code data-testid="case-step">{detail.strategyStep ?? t('common.none')}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.reason')} span={3}>
          {detail.nextActionReason ? policyReason(detail.nextActionReason, locale) : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.arm')}>
          {detail.strategyArm ? t(`arm.${detail.strategyArm}` as MessageKey) : t('common.none')} ·{' '}
          {detail.strategyVersion ?? ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.priority')}>
          {detail.priority ? money(detail.priority) : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.cureProbability')}>
          {detail.cureProbability ?? t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.verdict')}>
          <Tag
            color={
              detail.verdict === 'inability' ? 'blue' : detail.verdict === 'unwillingness' ? 'red' : 'default'
            }
            data-testid="case-verdict"
          >
            {t(`verdict.${detail.verdict ?? 'undetermined'}` as MessageKey)}
          </Tag>
          {detail.assessmentOverride ? (
            <span data-testid="case-override">
              {t('strategy.overriddenBy', { by: detail.assessmentOverride.by })}:{' '}
              {detail.assessmentOverride.note}
            </span>
          ) : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('strategy.vulnerable')}>
          {(detail.vulnerabilities ?? []).length === 0
            ? t('common.none')
            : (detail.vulnerabilities ?? []).map((v) => <Tag key={v}>{v}</Tag>)}
        </Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={a?.reasons ?? []}
        locale={{ emptyText: t('strategy.noReasons') }}
        data-testid="case-reasons"
        columns={[
          { title: t('strategy.reasonCode'), dataIndex: 'code' },
          {
            title: t('strategy.side'),
            dataIndex: 'side',
            render: (s: string) => t(`verdict.${s}` as MessageKey),
          },
          { title: t('strategy.points'), dataIndex: 'points' },
          {
            title: t('strategy.evidence'),
            dataIndex: 'text',
            // The reason in the page's language (codes the page does not know show the API's text).
            render: (text: string, r: { code: string }) => {
              const key = `assessmentReason.${r.code}`;
              return Object.hasOwn(en, key) ? t(key as MessageKey) : text;
            },
          },
          { title: t('strategy.seen'), dataIndex: 'seen' },
        ]}
      />
      {hold ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="case-placement-hold"
          message={t('strategy.holdTitle')}
          description={
            <>
              <div data-testid="case-placement-hold-text">
                {t(hold.placementActionSkipped ? 'strategy.holdSkipped' : 'strategy.holdNotPlacing', {
                  step: hold.step,
                  agency:
                    hold.agencyName === hold.agencyId
                      ? hold.agencyId
                      : `${hold.agencyName} (${hold.agencyId})`,
                  date: date(hold.recalledDate),
                  reason: hold.reason,
                  by: hold.recalledBy,
                })}
              </div>
              <div data-testid="case-placement-hold-move">{t('strategy.holdPlaceAgain')}</div>
            </>
          }
        />
      ) : null}
      <Table
        rowKey={(r) => `${r.kind}:${r.step}:${r.date}`}
        size="small"
        pagination={false}
        style={{ marginTop: 12 }}
        title={() => t('strategy.actions')}
        dataSource={detail.stepActions ?? []}
        locale={{ emptyText: t('strategy.noActions') }}
        data-testid="case-step-actions"
        columns={[
          {
            title: t('strategy.actionKind'),
            dataIndex: 'kind',
            render: (k: string) => t(`action.${k}` as MessageKey),
          },
          { title: t('strategy.step'), dataIndex: 'step', render: (c: string) => <code>{c}</code> },
          { title: t('strategy.actionDay'), dataIndex: 'date', render: (d: string) => date(d) },
          {
            title: t('strategy.actionStatus'),
            dataIndex: 'status',
            render: (st: string) => (
              <Tag color={st === 'done' ? 'green' : st === 'pending' ? 'orange' : 'default'}>
                {t(`stepActionStatus.${st}` as MessageKey)}
              </Tag>
            ),
          },
          {
            title: t('strategy.actionOutcome'),
            dataIndex: 'outcome',
            render: (o: string) => stepOutcomeText(o, locale),
          },
          {
            title: t('strategy.actionReference'),
            dataIndex: 'reference',
            render: (r: string | null) => r ?? '',
          },
        ]}
      />
      {mayWork && open ? (
        <Space direction="vertical" style={{ marginTop: 12, width: '100%' }}>
          <Form form={form} layout="inline" onFinish={override} data-testid="override-form">
            <Form.Item name="verdict" rules={[{ required: true, message: t('strategy.verdictRequired') }]}>
              <Select
                style={{ width: 200 }}
                data-testid="override-verdict"
                placeholder={t('strategy.override')}
                options={[
                  ...VERDICTS.map((v) => ({ value: v, label: t(`verdict.${v}` as MessageKey) })),
                  { value: 'none', label: t('strategy.clearOverride') },
                ]}
              />
            </Form.Item>
            <Form.Item name="note" rules={[{ required: true, min: 5, message: t('strategy.noteRequired') }]}>
              <Input style={{ width: 320 }} placeholder={t('strategy.note')} data-testid="override-note" />
            </Form.Item>
            <Button htmlType="submit" data-testid="override-submit">
              {t('strategy.overrideSave')}
            </Button>
          </Form>
          <Space>
            <Input
              style={{ width: 200 }}
              value={income}
              onChange={(e) => setIncome(e.target.value)}
              placeholder={t('strategy.offerIncome')}
              data-testid="offer-income"
            />
            <Button onClick={preview} data-testid="offer-preview">
              {t('strategy.offer')}
            </Button>
          </Space>
          {offer === null ? null : (
            <Table
              rowKey="loanId"
              size="small"
              pagination={false}
              dataSource={offer.loans}
              data-testid="offer-table"
              columns={[
                { title: t('case.loans'), dataIndex: 'loanId' },
                {
                  title: t('strategy.offerMonths'),
                  dataIndex: 'months',
                  render: (m: number | null) => m ?? t('strategy.offerNone'),
                },
                {
                  title: t('strategy.offerInstallment'),
                  dataIndex: 'installment',
                  render: (v: string | null) => (v === null ? t('common.none') : money(v)),
                },
                {
                  title: t('strategy.offerForgiven'),
                  dataIndex: 'forgiven',
                  render: (v: string) => money(v),
                },
                {
                  title: t('strategy.offerRefusal'),
                  dataIndex: 'refusal',
                  render: (v: string | null) => v ?? t('common.none'),
                },
              ]}
            />
          )}
        </Space>
      ) : null}
    </Card>
  );
}
