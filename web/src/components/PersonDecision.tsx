import { Alert, App as AntApp, Button, Card, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ApiProblem, WriteKeys } from '../api.js';
import {
  type DecisionDetail,
  type DecisionRequest,
  percent,
  REVIEW_NOTE_LENGTH_MAX,
  REVIEW_REASON_CODES,
  reviewable,
} from '../decisions.js';
import { useI18n } from '../i18n.js';
import { amountProblem } from '../ledger.js';
import type { MessageKey } from '../messages.js';
import { problemsByField } from '../problem-fields.js';
import { useRouter } from '../router.js';
import { useApi } from '../session.js';
import { ProblemAlert } from './ProblemAlert.js';

/** 日利率 as the API takes it: a decimal below 1 with at most 8 places. */
const DAILY_RATE_PATTERN = /^0\.[0-9]{1,8}$/;

interface PersonDecisionFields {
  outcome?: 'approve' | 'decline';
  limit?: string;
  dailyRate?: string;
  reasons?: string[];
  note?: string;
}

/**
 * A person decides a referred application, or a declined one whose objection was answered "overturned"
 * (POST /decisions/{id}/review, decision 0524): a new sealed record; the page then opens it. Shown only to
 * roles with `decisions.review`; the server checks everything again and its refusal is shown at the form.
 */
export function PersonDecisionCard({
  decision,
  requests,
}: {
  decision: DecisionDetail;
  requests: readonly DecisionRequest[];
}) {
  const { t } = useI18n();
  const state = reviewable(decision, requests);
  if (state === 'no') return null;
  if (state === 'needs-objection')
    return (
      <Card title={t('personDecision.title')} data-testid="person-decision">
        <Typography.Text type="secondary">{t('personDecision.declineNeedsObjection')}</Typography.Text>
      </Card>
    );
  return <PersonDecisionForm decision={decision} state={state} />;
}

function PersonDecisionForm({ decision, state }: { decision: DecisionDetail; state: 'refer' | 'decline' }) {
  const { t } = useI18n();
  const api = useApi();
  const { navigate } = useRouter();
  const { message, modal } = AntApp.useApp();
  const [form] = Form.useForm<PersonDecisionFields>();
  const outcome = Form.useWatch('outcome', form);
  const [problem, setProblem] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const keys = useRef(new WriteKeys());

  const send = async (values: PersonDecisionFields) => {
    const approve = values.outcome === 'approve';
    const rate = values.dailyRate?.trim() ?? '';
    const body = {
      outcome: values.outcome,
      ...(approve ? { limit: values.limit?.trim() } : {}),
      ...(approve && rate !== '' ? { dailyRate: rate } : {}),
      reasons: values.reasons ?? [],
      note: values.note?.trim() ?? '',
    };
    const path = `/decisions/${encodeURIComponent(decision.decisionId)}/review`;
    setSending(true);
    setProblem(null);
    try {
      const made = await api.post<DecisionDetail>(path, body, keys.current.keyFor(path, body));
      message.success(t('personDecision.done'));
      navigate(`/decisions/${encodeURIComponent(made.decisionId)}`);
    } catch (error) {
      setProblem(error);
      if (error instanceof ApiProblem) {
        const { fields } = problemsByField(error.errors);
        form.setFields(fields as Parameters<typeof form.setFields>[0]);
      }
    } finally {
      setSending(false);
    }
  };

  const confirmThenSend = (values: PersonDecisionFields) => {
    modal.confirm({
      title: t('personDecision.title'),
      content: t('personDecision.confirm', {
        outcome: t(`outcome.${values.outcome}` as MessageKey),
        application: decision.applicationId,
      }),
      okText: t('personDecision.submit'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'person-decision-confirm' } as never,
      onOk: () => send(values),
    });
  };

  return (
    <Card title={t('personDecision.title')} data-testid="person-decision">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={t(state === 'refer' ? 'personDecision.help.refer' : 'personDecision.help.decline')}
      />
      <ProblemAlert error={problem} />
      <Form<PersonDecisionFields>
        form={form}
        layout="vertical"
        onFinish={confirmThenSend}
        style={{ maxWidth: 720 }}
      >
        <Form.Item
          name="outcome"
          label={t('personDecision.outcome')}
          rules={[{ required: true, message: t('personDecision.outcomeRequired') }]}
        >
          <Radio.Group data-testid="person-decision-outcome">
            <Radio value="approve" data-testid="person-decision-approve">
              {t('outcome.approve')}
            </Radio>
            <Radio value="decline" data-testid="person-decision-decline">
              {t('outcome.decline')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {outcome === 'approve' ? (
          <Space align="start" wrap>
            <Form.Item
              name="limit"
              label={t('personDecision.limit')}
              extra={<div style={{ maxWidth: 360 }}>{t('personDecision.limitHelp')}</div>}
              rules={[
                {
                  validator: async (_, v: string | undefined) => {
                    const why = amountProblem(v ?? '');
                    if (why !== '') throw new Error(t(why));
                  },
                },
              ]}
            >
              <Input style={{ width: 220 }} inputMode="decimal" data-testid="person-decision-limit" />
            </Form.Item>
            <Form.Item
              name="dailyRate"
              label={t('personDecision.dailyRate')}
              extra={
                decision.dailyRate === null
                  ? t('personDecision.dailyRateNeeded')
                  : t('personDecision.dailyRateHelp', { rate: percent(decision.dailyRate) })
              }
              rules={[
                // A decline gave no rate to keep: the person names one (the server asks the same).
                {
                  required: decision.dailyRate === null,
                  message: t('personDecision.dailyRateForm'),
                },
                { pattern: DAILY_RATE_PATTERN, message: t('personDecision.dailyRateForm') },
              ]}
            >
              <Input
                style={{ width: 220 }}
                placeholder={decision.dailyRate ?? ''}
                data-testid="person-decision-rate"
              />
            </Form.Item>
          </Space>
        ) : null}
        <Form.Item
          name="reasons"
          label={t('personDecision.reasons')}
          rules={[{ required: true, type: 'array', min: 1, message: t('personDecision.reasonsRequired') }]}
        >
          <Select
            mode="multiple"
            options={REVIEW_REASON_CODES.map((c) => ({
              value: c,
              label: t(`reviewReason.${c}` as MessageKey),
            }))}
            data-testid="person-decision-reasons"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('personDecision.note')}
          rules={[
            { required: true, whitespace: true, message: t('personDecision.noteRequired') },
            {
              max: REVIEW_NOTE_LENGTH_MAX,
              message: t('review.noteTooLong', { n: REVIEW_NOTE_LENGTH_MAX }),
            },
          ]}
        >
          <Input.TextArea rows={3} data-testid="person-decision-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={sending} data-testid="person-decision-submit">
          {t('personDecision.submit')}
        </Button>
      </Form>
    </Card>
  );
}
