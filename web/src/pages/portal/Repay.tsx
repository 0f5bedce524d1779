import { Alert, Button, Card, Descriptions, Radio, Result, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api.js';
import { newIdempotencyKey } from '../../api.js';
import { useI18n } from '../../i18n.js';
import { useRouter } from '../../router.js';

interface Quote {
  date: string;
  options: { purpose: 'instalment' | 'overdue' | 'payoff'; amount: string }[];
  payoffQuote: {
    principal: string;
    interest: string;
    fee: string;
    penalty: string;
    credit: string;
    total: string;
  } | null;
}

interface Payment {
  paymentId: string;
  amount: string;
  status: 'pending' | 'paid' | 'failed';
  payUrl: string | null;
}

/** Quote first, then pay at the gateway (the test gateway in the demo), then the result. */
export function PortalRepay({ api, loanId }: { api: ApiClient; loanId: string }) {
  const { t, money, date } = useI18n();
  const { navigate } = useRouter();
  const [quote, setQuote] = useState<Quote | null>(null);
  const [purpose, setPurpose] = useState<string | null>(null);
  const [payment, setPayment] = useState<Payment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  useEffect(() => {
    api.get<Quote>(`/portal/loans/${loanId}/repayment-quote`).then(
      (q) => {
        setQuote(q);
        setPurpose(q.options[0]?.purpose ?? null);
      },
      (e: Error) => setError(e.message),
    );
  }, [api, loanId]);
  if (quote === null) return error !== null ? <Alert type="error" message={error} role="alert" /> : <Spin />;
  const chosen = quote.options.find((o) => o.purpose === purpose);
  const start = async () => {
    if (chosen === undefined) return;
    setError(null);
    try {
      const p = await api.request<Payment>('POST', `/portal/loans/${loanId}/payments`, {
        body: { purpose: chosen.purpose, amount: chosen.amount },
        idempotencyKey: `${key}-${chosen.purpose}`,
      });
      setPayment(p);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const pay = async (outcome: 'paid' | 'failed') => {
    if (payment?.payUrl == null) return;
    const r = await fetch(`${payment.payUrl}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome }),
    });
    if (!r.ok) {
      setError(`HTTP ${r.status}`);
      return;
    }
    navigate(`/portal/payments/${payment.paymentId}`);
  };
  const q = quote.payoffQuote;
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <Button onClick={() => navigate(`/portal/loans/${loanId}`)}>{t('common.back')}</Button>
      {q !== null ? (
        <Card
          size="small"
          title={t('portal.payoffQuote', { date: date(quote.date) })}
          data-testid="portal-quote"
        >
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('portal.principal')}>{money(q.principal)}</Descriptions.Item>
            <Descriptions.Item label={t('portal.interest')}>{money(q.interest)}</Descriptions.Item>
            <Descriptions.Item label={t('portal.penalty')}>{money(q.penalty)}</Descriptions.Item>
            <Descriptions.Item label={t('portal.fee')}>{money(q.fee)}</Descriptions.Item>
            <Descriptions.Item label={t('portal.total')}>{money(q.total)}</Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}
      {payment === null ? (
        <Card size="small" title={t('portal.choose')}>
          <Radio.Group
            value={purpose}
            onChange={(e) => setPurpose(e.target.value as string)}
            aria-label={t('portal.choose')}
            style={{ display: 'grid', gap: 8 }}
          >
            {quote.options.map((o) => (
              <Radio key={o.purpose} value={o.purpose} data-testid={`portal-option-${o.purpose}`}>
                {t(`portal.purpose.${o.purpose}`)} — {money(o.amount)}
              </Radio>
            ))}
          </Radio.Group>
          <Button
            type="primary"
            block
            style={{ marginTop: 12 }}
            onClick={start}
            disabled={chosen === undefined}
            data-testid="portal-confirm"
          >
            {chosen === undefined
              ? t('portal.nothingDue')
              : t('portal.confirm', { amount: money(chosen.amount) })}
          </Button>
        </Card>
      ) : (
        <Card size="small" title={t('portal.gateway')} data-testid="portal-gateway">
          <p>{t('portal.gatewayText', { amount: money(payment.amount) })}</p>
          <Space>
            <Button type="primary" onClick={() => pay('paid')} data-testid="portal-pay">
              {t('portal.pay')}
            </Button>
            <Button onClick={() => pay('failed')}>{t('portal.payFail')}</Button>
          </Space>
        </Card>
      )}
      {error !== null ? <Alert type="error" message={error} role="alert" data-testid="portal-error" /> : null}
    </div>
  );
}

export function PortalRepayResult({ api, paymentId }: { api: ApiClient; paymentId: string }) {
  const { t, money } = useI18n();
  const { navigate } = useRouter();
  const [payment, setPayment] = useState<(Payment & { loanId: string }) | null>(null);
  useEffect(() => {
    api.get<Payment & { loanId: string }>(`/portal/payments/${paymentId}`).then(setPayment, () => undefined);
  }, [api, paymentId]);
  if (payment === null) return <Spin />;
  return (
    <Result
      status={payment.status === 'paid' ? 'success' : payment.status === 'failed' ? 'error' : 'info'}
      title={<span data-testid="portal-result">{t(`portal.result.${payment.status}`)}</span>}
      subTitle={money(payment.amount)}
      extra={
        <Button type="primary" onClick={() => navigate(`/portal/loans/${payment.loanId}`)}>
          {t('portal.backToLoan')}
        </Button>
      }
    />
  );
}
