import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiProblem } from '../api.js';
import { useI18n } from '../i18n.js';
import { amountProblem, type Loan, type PayoffQuote } from '../ledger.js';
import { can, type Role } from '../permissions.js';
import { problemsByField } from '../problem-fields.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';

interface RepaymentFields {
  amount: string;
  effectiveDate?: Dayjs | null;
  excess: 'prepay' | 'credit';
}

/**
 * 还款: checks the amount as the API does (a decimal string of yuan, at most two decimals, above 0)
 * before sending; what only the server knows (a date outside the allowed range, a settled loan) comes
 * back as problem+json and is shown under its field.
 */
export function RepaymentForm({ loan, onDone }: { loan: Loan; onDone: (after: Loan) => void }) {
  const { t, money } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<RepaymentFields>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (values: RepaymentFields) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      const body = {
        amount: values.amount,
        excess: values.excess,
        ...(values.effectiveDate ? { effectiveDate: values.effectiveDate.format('YYYY-MM-DD') } : {}),
      };
      const result = await api.post<{ loan: Loan; amount: string }>(
        `/loans/${encodeURIComponent(loan.loanId)}/repayments`,
        body,
      );
      setDone(
        t('loan.repayDone', {
          amount: money(result.amount),
          outstanding: money(result.loan.outstandingPrincipal),
        }),
      );
      form.resetFields();
      onDone(result.loan);
    } catch (e) {
      setProblem(e);
      if (e instanceof ApiProblem) {
        const { fields } = problemsByField(e.errors);
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('loan.repay')} size="small" data-testid="repayment-card">
      {done !== null ? (
        <Alert
          type="success"
          showIcon
          message={done}
          style={{ marginBottom: 16 }}
          data-testid="repayment-done"
        />
      ) : null}
      <ProblemAlert error={problem} />
      <Form<RepaymentFields>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ excess: 'prepay' }}
        data-testid="repayment-form"
      >
        <Form.Item
          name="amount"
          label={t('loan.repayAmount')}
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                const key = amountProblem(value ?? '');
                if (key !== '') throw new Error(t(key));
              },
            },
          ]}
        >
          <Input placeholder="100.00" inputMode="decimal" data-testid="repayment-amount" />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t('loan.repayDate')} extra={t('loan.repayDateHelp')}>
          <DatePicker style={{ width: '100%' }} data-testid="repayment-date" />
        </Form.Item>
        <Form.Item name="excess" label={t('loan.repayExcess')}>
          <Select
            options={[
              { value: 'prepay', label: t('excess.prepay') },
              { value: 'credit', label: t('excess.credit') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="repayment-submit">
          {t('loan.repaySubmit')}
        </Button>
      </Form>
    </Card>
  );
}

/** 提前结清报价 for a day; the server's refusal of the day is shown under the date field. */
export function PayoffQuoteForm({ loan }: { loan: Loan }) {
  const { t, money, date } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<{ date?: Dayjs | null }>();
  const [quote, setQuote] = useState<PayoffQuote | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { date?: Dayjs | null }) => {
    setBusy(true);
    setProblem(null);
    setQuote(null);
    try {
      setQuote(
        await api.get<PayoffQuote>(`/loans/${encodeURIComponent(loan.loanId)}/payoff-quote`, {
          date: values.date ? values.date.format('YYYY-MM-DD') : undefined,
        }),
      );
    } catch (e) {
      setProblem(e);
      if (e instanceof ApiProblem) {
        const here = e.errors.filter((x) => x.path === '/query/date').map((x) => x.message);
        if (here.length > 0) form.setFields([{ name: 'date', errors: here }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('loan.payoff')} size="small" data-testid="payoff-card">
      <ProblemAlert error={problem} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="date" label={t('loan.payoffDate')}>
          <DatePicker style={{ width: '100%' }} data-testid="payoff-date" />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="payoff-submit">
          {t('loan.payoffSubmit')}
        </Button>
      </Form>
      {quote !== null ? (
        <Descriptions column={1} size="small" style={{ marginTop: 16 }} bordered data-testid="payoff-quote">
          <Descriptions.Item label={t('loan.payoffDate')}>{date(quote.date)}</Descriptions.Item>
          <Descriptions.Item label={t('loan.outstanding')}>{money(quote.principal)}</Descriptions.Item>
          <Descriptions.Item label={t('loan.interest')}>{money(quote.interest)}</Descriptions.Item>
          <Descriptions.Item label={t('loan.fee')}>{money(quote.fee)}</Descriptions.Item>
          <Descriptions.Item label={t('loan.penalty')}>{money(quote.penalty)}</Descriptions.Item>
          <Descriptions.Item label={t('loan.creditBalance')}>{money(quote.credit)}</Descriptions.Item>
          <Descriptions.Item label={t('loan.payoffTotal')}>
            <strong data-testid="payoff-total">{money(quote.total)}</strong>
          </Descriptions.Item>
        </Descriptions>
      ) : null}
    </Card>
  );
}

/** The writes and quotes a role may make on an active loan; the server refuses the rest anyway. */
export function LoanActions(props: { loan: Loan; role: Role | undefined; onRepaid: (after: Loan) => void }) {
  if (props.loan.status !== 'active') return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {props.role !== undefined && can(props.role, 'loans.repay') ? (
        <RepaymentForm loan={props.loan} onDone={props.onRepaid} />
      ) : null}
      <PayoffQuoteForm loan={props.loan} />
    </Space>
  );
}
