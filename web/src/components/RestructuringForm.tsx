import { Button, Card, Checkbox, Form, Input, InputNumber, List, Select, Space, Tag } from 'antd';
import type { ItemOf } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { amountProblem, type Loan } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { can, type Role } from '../permissions.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';
import { DecisionButtons, OutcomeAlert, useProposalSubmit, useProposals } from './proposals.js';

type Restructuring = ItemOf<'/loans/{loanId}/restructurings'>;
type Kind = 'negotiated-plan' | 'term-extension' | 'payment-holiday' | 'rate-reduction';

interface RestructuringFields {
  kind: Kind;
  months?: number;
  extensionMonths?: number;
  holidayMonths?: number;
  holidayInterest?: 'accrue' | 'waive';
  rate?: string;
  penalty?: 'waive' | 'capitalise';
  downPayment?: string;
  monthlyIncome?: string;
  relief?: boolean;
  note?: string;
}

const KINDS: readonly Kind[] = ['negotiated-plan', 'term-extension', 'payment-holiday', 'rate-reduction'];

/** An optional amount field: empty is fine, anything else must be a valid amount. */
function optionalAmount(t: (key: MessageKey) => string) {
  return {
    validator: async (_rule: unknown, value: string | undefined) => {
      if (value === undefined || value === '') return;
      const key = amountProblem(value);
      if (key !== '') throw new Error(t(key));
    },
  };
}

/** The request body: only the fields the chosen kind takes, empty ones left out. */
function bodyOf(v: RestructuringFields): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: v.kind };
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') body[key] = value;
  };
  if (v.kind === 'negotiated-plan') put('months', v.months);
  if (v.kind === 'term-extension') put('extensionMonths', v.extensionMonths);
  if (v.kind === 'payment-holiday') {
    put('holidayMonths', v.holidayMonths);
    put('holidayInterest', v.holidayInterest);
    if (v.relief === true) body.relief = true;
  }
  put('rate', v.rate);
  put('penalty', v.penalty);
  put('downPayment', v.downPayment);
  put('monthlyIncome', v.monthlyIncome);
  put('note', v.note);
  return body;
}

/**
 * 重组: proposes a 协商分期 negotiated plan, 展期 term extension, payment holiday or rate reduction. Below the
 * lender's thresholds the server applies it at once; above, it waits for a second person. The server's
 * refusals (a loan not past due, too many months, an unaffordable plan with its figures) are shown under
 * their fields.
 */
export function RestructuringForm({ loan, onDone }: { loan: Loan; onDone: (after: Loan | null) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<RestructuringFields>();
  const kind = Form.useWatch('kind', form) ?? 'negotiated-plan';
  const { busy, problem, done, run } = useProposalSubmit(form);

  const submit = (values: RestructuringFields) =>
    run(
      () =>
        api.post<Restructuring & { loan?: Loan }>(
          `/loans/${encodeURIComponent(loan.loanId)}/restructurings`,
          bodyOf(values),
        ),
      (result) => {
        const kindText = t(`restructure.kind.${result.kind}` as MessageKey);
        return result.status === 'pending'
          ? { type: 'info', text: t('restructure.pending', { kind: kindText }) }
          : { type: 'success', text: t('restructure.applied', { kind: kindText }) };
      },
      (result) => onDone(result.loan ?? null),
    );

  const treatment = [
    { value: 'waive', label: t('restructure.waive') },
    { value: 'capitalise', label: t('restructure.capitalise') },
  ];
  return (
    <Card title={t('restructure.title')} size="small" data-testid="restructure-card">
      <OutcomeAlert done={done} testId="restructure-done" />
      <ProblemAlert error={problem} />
      <Form<RestructuringFields>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'negotiated-plan', penalty: 'waive', holidayInterest: 'accrue' }}
        data-testid="restructure-form"
      >
        <Form.Item name="kind" label={t('restructure.kind')}>
          <Select
            data-testid="restructure-kind"
            options={KINDS.map((k) => ({ value: k, label: t(`restructure.kind.${k}` as MessageKey) }))}
          />
        </Form.Item>
        {kind === 'negotiated-plan' ? (
          <Form.Item name="months" label={t('restructure.months')} extra={t('restructure.monthsHelp')}>
            <InputNumber min={1} style={{ width: '100%' }} data-testid="restructure-months" />
          </Form.Item>
        ) : null}
        {kind === 'term-extension' ? (
          <Form.Item name="extensionMonths" label={t('restructure.extensionMonths')}>
            <InputNumber min={1} style={{ width: '100%' }} data-testid="restructure-extension" />
          </Form.Item>
        ) : null}
        {kind === 'payment-holiday' ? (
          <>
            <Form.Item name="holidayMonths" label={t('restructure.holidayMonths')}>
              <InputNumber min={1} style={{ width: '100%' }} data-testid="restructure-holiday" />
            </Form.Item>
            <Form.Item name="holidayInterest" label={t('restructure.holidayInterest')}>
              <Select
                options={[
                  { value: 'accrue', label: t('restructure.holidayAccrue') },
                  { value: 'waive', label: t('restructure.holidayWaive') },
                ]}
              />
            </Form.Item>
            <Form.Item name="relief" valuePropName="checked">
              <Checkbox data-testid="restructure-relief">{t('restructure.relief')}</Checkbox>
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="rate" label={t('restructure.rate')} extra={t('restructure.rateHelp')}>
          <Input placeholder="0.0003" inputMode="decimal" data-testid="restructure-rate" />
        </Form.Item>
        <Form.Item name="penalty" label={t('restructure.penalty')}>
          <Select options={treatment} />
        </Form.Item>
        <Form.Item name="downPayment" label={t('restructure.downPayment')} rules={[optionalAmount(t)]}>
          <Input placeholder="0.00" inputMode="decimal" data-testid="restructure-down-payment" />
        </Form.Item>
        <Form.Item
          name="monthlyIncome"
          label={t('restructure.monthlyIncome')}
          extra={t('restructure.monthlyIncomeHelp')}
          rules={[optionalAmount(t)]}
        >
          <Input placeholder="8000.00" inputMode="decimal" data-testid="restructure-income" />
        </Form.Item>
        <Form.Item name="note" label={t('restructure.note')}>
          <Input.TextArea maxLength={500} rows={2} data-testid="restructure-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="restructure-submit">
          {t('restructure.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** A loan's restructurings; a pending one can be approved or rejected by a second person. */
export function RestructuringList({
  loanId,
  role,
  onDecided,
}: {
  loanId: string;
  role: Role | undefined;
  onDecided: (after: Loan | null) => void;
}) {
  const { t, money, date } = useI18n();
  const { items, problem, decide } = useProposals<Restructuring>(
    `/loans/${encodeURIComponent(loanId)}/restructurings`,
    onDecided,
  );
  if (items === null || items.length === 0) return <ProblemAlert error={problem} />;
  const mayDecide = role !== undefined && can(role, 'loans.restructure.approve');
  return (
    <Card title={t('restructure.list')} size="small" data-testid="restructure-list">
      <ProblemAlert error={problem} />
      <List
        dataSource={items}
        renderItem={(r) => (
          <List.Item data-testid={`restructuring-${r.status}`}>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <Tag color={r.status === 'pending' ? 'orange' : r.status === 'applied' ? 'green' : 'default'}>
                  {t(`restructure.status.${r.status}` as MessageKey)}
                </Tag>
                {t(`restructure.kind.${r.kind}` as MessageKey)}
              </Space>
              <span>
                {t('restructure.forgiven')} {money(r.forgiven)} · {t('restructure.monthsExtended')}{' '}
                {r.monthsExtended} · {date(r.proposedDate ?? '')}
              </span>
              {r.status === 'pending' && mayDecide ? (
                <DecisionButtons
                  testIdPrefix="restructure"
                  approveLabel={t('restructure.approve')}
                  rejectLabel={t('restructure.reject')}
                  onDecide={(action) => decide(r.restructuringId, action)}
                />
              ) : null}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
