import { Button, Card, DatePicker, Form, Input, List, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ItemOf } from '../api-types.js';
import { useI18n } from '../i18n.js';
import { amountProblem, type Loan } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { can, type Role } from '../permissions.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';
import { DecisionButtons, OutcomeAlert, useProposalSubmit, useProposals } from './proposals.js';

type Offer = ItemOf<'/loans/{loanId}/settlement-offers'>;

interface OfferFields {
  offer: string;
  validThrough: Dayjs;
  note?: string;
}

/**
 * 减免结清: proposes a settlement — an amount below what the loan owes that settles it if paid by a day. Within
 * the lender's threshold the offer is made at once; a deeper discount waits for a second person. The server's
 * refusals (an offer not below what is owed, a day outside the allowed range, an offer already in force) are
 * shown under their fields.
 */
export function SettlementForm({ loan, onDone }: { loan: Loan; onDone: () => void }) {
  const { t, money, date } = useI18n();
  const api = useApi();
  const [form] = Form.useForm<OfferFields>();
  const { busy, problem, done, run } = useProposalSubmit(form);

  const submit = (values: OfferFields) => {
    const body: Record<string, unknown> = {
      offer: values.offer.trim(),
      validThrough: values.validThrough.format('YYYY-MM-DD'),
    };
    if (values.note !== undefined && values.note.trim() !== '') body.note = values.note.trim();
    return run(
      () => api.post<Offer>(`/loans/${encodeURIComponent(loan.loanId)}/settlement-offers`, body),
      (result) => {
        const vars = {
          offer: money(result.offer),
          date: date(result.validThrough),
          discount: money(result.discount),
        };
        return result.status === 'pending'
          ? { type: 'info', text: t('settlement.pending', vars) }
          : { type: 'success', text: t('settlement.offered', vars) };
      },
      () => onDone(),
    );
  };

  return (
    <Card title={t('settlement.title')} size="small" data-testid="settlement-card">
      <OutcomeAlert done={done} testId="settlement-done" />
      <ProblemAlert error={problem} />
      <Typography.Paragraph type="secondary" data-testid="settlement-owed">
        {t('settlement.owedNow', { owed: money(loan.totalOwed) })}
      </Typography.Paragraph>
      <Form<OfferFields>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ validThrough: dayjs(loan.lastClosedDay).add(31, 'day') }}
        data-testid="settlement-form"
      >
        <Form.Item
          name="offer"
          label={t('settlement.offer')}
          extra={t('settlement.offerHelp')}
          rules={[
            {
              validator: async (_rule: unknown, value: string | undefined) => {
                const key = amountProblem(value ?? '');
                if (key !== '') throw new Error(t(key));
              },
            },
          ]}
        >
          <Input placeholder="5000.00" inputMode="decimal" data-testid="settlement-offer" />
        </Form.Item>
        <Form.Item
          name="validThrough"
          label={t('settlement.validThrough')}
          extra={t('settlement.validThroughHelp')}
          rules={[{ required: true, message: t('validate.required') }]}
        >
          <DatePicker style={{ width: '100%' }} data-testid="settlement-valid-through" />
        </Form.Item>
        <Form.Item name="note" label={t('settlement.note')}>
          <Input.TextArea maxLength={500} rows={2} data-testid="settlement-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="settlement-submit">
          {t('settlement.submit')}
        </Button>
      </Form>
    </Card>
  );
}

const OUTCOME_COLOURS: Record<string, string> = { 'in-force': 'blue', completed: 'green', lapsed: 'default' };

/** A loan's settlement offers with their outcome; a pending one can be approved or rejected by a second person. */
export function SettlementList({
  loanId,
  role,
  onDecided,
}: {
  loanId: string;
  role: Role | undefined;
  onDecided: (after: Loan | null) => void;
}) {
  const { t, money, date } = useI18n();
  const { items, problem, decide, act } = useProposals<Offer>(
    `/loans/${encodeURIComponent(loanId)}/settlement-offers`,
    onDecided,
  );
  /** The borrower's answer, as told to staff: recorded, changing nothing on the loan. */
  const answer = (id: string, value: 'accepted' | 'declined') =>
    act(id, 'borrower-response', { answer: value });
  if (items === null || items.length === 0) return <ProblemAlert error={problem} />;
  const mayDecide = role !== undefined && can(role, 'loans.restructure.approve');
  const mayRecord = role !== undefined && can(role, 'loans.restructure');
  return (
    <Card title={t('settlement.list')} size="small" data-testid="settlement-list" style={{ marginTop: 16 }}>
      <ProblemAlert error={problem} />
      <List
        dataSource={items}
        renderItem={(o) => (
          <List.Item data-testid={`settlement-${o.status}`}>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <Tag color={o.status === 'pending' ? 'orange' : o.status === 'offered' ? 'green' : 'default'}>
                  {t(`settlement.status.${o.status}` as MessageKey)}
                </Tag>
                {o.outcome !== null && o.outcome !== undefined ? (
                  <Tag color={OUTCOME_COLOURS[o.outcome]} data-testid="settlement-outcome">
                    {t(`settlement.outcome.${o.outcome}` as MessageKey)}
                  </Tag>
                ) : null}
              </Space>
              <span>
                {t('settlement.offer')} <strong>{money(o.offer)}</strong> · {t('settlement.validThrough')}{' '}
                {date(o.validThrough)}
              </span>
              <span>
                {t('settlement.owed')} {money(o.owed)} · {t('settlement.discount')} {money(o.discount)}
              </span>
              <Typography.Text type="secondary">
                {t('settlement.proposedBy', { user: o.proposedBy ?? '', date: date(o.proposedDate ?? '') })}
                {o.decidedBy !== null && o.decidedBy !== undefined
                  ? ` · ${t('settlement.decidedBy', { user: o.decidedBy, date: date(o.decidedDate ?? '') })}`
                  : ''}
              </Typography.Text>
              {o.note ? <Typography.Text type="secondary">{o.note}</Typography.Text> : null}
              {o.borrowerResponse ? (
                <span data-testid="settlement-borrower-response">
                  <Tag color={o.borrowerResponse.answer === 'accepted' ? 'green' : 'red'}>
                    {t(`settlement.answer.${o.borrowerResponse.answer}` as MessageKey)}
                  </Tag>
                  <Typography.Text type="secondary">
                    {t('settlement.recordedBy', {
                      user: o.borrowerResponse.recordedBy,
                      date: date(o.borrowerResponse.recordedDate),
                    })}
                  </Typography.Text>
                </span>
              ) : null}
              {o.status === 'offered' && o.outcome === 'in-force' && mayRecord ? (
                <Space wrap>
                  <Button
                    size="small"
                    onClick={() => answer(o.offerId, 'accepted')}
                    data-testid="settlement-accepted"
                  >
                    {t('settlement.recordAccepted')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() => answer(o.offerId, 'declined')}
                    data-testid="settlement-declined"
                  >
                    {t('settlement.recordDeclined')}
                  </Button>
                </Space>
              ) : null}
              {o.status === 'pending' && mayDecide ? (
                <DecisionButtons
                  testIdPrefix="settlement"
                  approveLabel={t('settlement.approve')}
                  rejectLabel={t('settlement.reject')}
                  onDecide={(action) => decide(o.offerId, action)}
                />
              ) : null}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
