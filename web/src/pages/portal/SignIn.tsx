import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n.js';
import { publicPost } from './session.js';

/** Phone number, then the six-digit code from the text message. */
export function PortalSignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const { t, locale } = useI18n();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [challengeId, setChallengeId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const askCode = async () => {
    setError(null);
    if (!/^1[3-9][0-9]{9}$/.test(phone)) {
      setError(t('portal.phoneInvalid'));
      return;
    }
    setBusy(true);
    try {
      const r = await publicPost<{ challengeId: string }>('/portal/sign-in/codes', { phone }, locale);
      setChallengeId(r.challengeId);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const signIn = async () => {
    setError(null);
    if (challengeId === null) return;
    if (!/^[0-9]{6}$/.test(code)) {
      setError(t('portal.codeInvalid'));
      return;
    }
    setBusy(true);
    try {
      const r = await publicPost<{ token: string }>('/portal/sign-in', { challengeId, code }, locale);
      onSignedIn(r.token);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <Typography.Title level={5}>{t('portal.signInTitle')}</Typography.Title>
      <Form layout="vertical" onFinish={challengeId === null ? askCode : signIn}>
        <Form.Item label={t('portal.phone')} htmlFor="portal-phone">
          <Input
            id="portal-phone"
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            value={phone}
            onChange={(e) => setPhone(e.target.value.trim())}
            data-testid="portal-phone"
          />
        </Form.Item>
        {challengeId !== null ? (
          <Form.Item label={t('portal.code')} htmlFor="portal-code" extra={t('portal.codeSent')}>
            <Input
              id="portal-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
              data-testid="portal-code"
            />
          </Form.Item>
        ) : null}
        {error !== null ? (
          <Alert
            type="error"
            showIcon
            message={error}
            role="alert"
            style={{ marginBottom: 12 }}
            data-testid="portal-error"
          />
        ) : null}
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="portal-submit">
          {challengeId === null ? t('portal.sendCode') : t('portal.signIn')}
        </Button>
      </Form>
    </Card>
  );
}
