import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useI18n } from '../i18n.js';
import { useSession } from '../session.js';

/** Tokens as the server issues them (lgt_ then base64url); the server checks them anyway. */
const TOKEN_FORM = /^lgt_[A-Za-z0-9_-]{1,196}$/;

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ token }: { token: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(token.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card style={{ maxWidth: 480, margin: '64px auto' }} data-testid="login">
      <Typography.Title level={3}>{t('login.title')}</Typography.Title>
      <ProblemAlert error={error} />
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="token"
          label={t('login.token')}
          extra={t('login.tokenHelp')}
          rules={[
            { required: true, message: t('login.tokenRequired') },
            { pattern: TOKEN_FORM, message: t('login.tokenForm') },
          ]}
        >
          <Input.Password autoComplete="off" data-testid="login-token" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </Card>
  );
}
