import { App as AntApp, Button, ConfigProvider, Segmented, Space, type ThemeConfig, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useI18n } from '../../i18n.js';
import type { Locale } from '../../money.js';
import { matchPath, useRouter } from '../../router.js';
import { ActionsEntry, actionPage } from './actions/index.js';
import { PortalHome } from './Home.js';
import { PortalLoan } from './Loan.js';
import { PortalRepay, PortalRepayResult } from './Repay.js';
import { PortalSignIn } from './SignIn.js';
import { portalClient, portalToken, savePortalToken } from './session.js';

/**
 * The portal's colours meet WCAG 2 AA contrast (4.5:1 for text) on white and on the page's grey: antd's
 * default blue under white button text (#1677ff, 4.1:1), its red under a danger button's text (#ff4d4f,
 * 3.3:1) and its 45 % grey for labels, hints and secondary text (#8c8c8c, 3.4:1) do not, so all three are
 * darkened here, for the borrower's pages only.
 */
const PORTAL_THEME: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    colorError: '#cf1322',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
  },
};

/**
 * A focus ring a keyboard user sees on every control: antd's inputs show focus only as a faint glow
 * (10 % blue) and its buttons as a pale blue outline (#91caff, 1.8:1 on white), under the 3:1 that WCAG
 * asks of a focus indicator. Important because antd's own rules set `outline: 0` on focused inputs.
 */
const PORTAL_FOCUS_STYLE =
  '.lg-portal :focus-visible { outline: 2px solid #0958d9 !important; outline-offset: 2px !important; }';

/** The borrower's mobile pages (H5): sign in, home, a loan, repay. Chinese first, English available. */
export function PortalApp() {
  const { t, locale, setLocale } = useI18n();
  const { path, navigate } = useRouter();
  const [token, setToken] = useState<string | null>(portalToken);
  const api = useMemo(
    () =>
      token === null
        ? null
        : portalClient(
            token,
            () => setToken(null),
            () => locale,
          ),
    [token, locale],
  );
  const signOut = async () => {
    await api?.post('/portal/sign-out', {}).catch(() => undefined);
    savePortalToken(null);
    setToken(null);
    navigate('/portal');
  };

  let body: ReactNode;
  if (api === null) {
    body = (
      <PortalSignIn
        onSignedIn={(next) => {
          savePortalToken(next);
          setToken(next);
          navigate('/portal');
        }}
      />
    );
  } else {
    const loan = matchPath('/portal/loans/:loanId', path);
    const repay = matchPath('/portal/loans/:loanId/repay', path);
    const result = matchPath('/portal/payments/:paymentId', path);
    // The borrower's requests and settings (hardship help, uploads, reminders, decisions, complaints).
    const action = actionPage(path, api);
    if (action !== undefined) body = action;
    else if (repay !== undefined) body = <PortalRepay api={api} loanId={repay.loanId!} />;
    else if (loan !== undefined) body = <PortalLoan api={api} loanId={loan.loanId!} />;
    else if (result !== undefined) body = <PortalRepayResult api={api} paymentId={result.paymentId!} />;
    else
      body = (
        <>
          <PortalHome api={api} />
          <div style={{ marginTop: 12 }}>
            <ActionsEntry />
          </div>
        </>
      );
  }

  return (
    <ConfigProvider theme={PORTAL_THEME}>
      <AntApp>
        <style>{PORTAL_FOCUS_STYLE}</style>
        <div
          className="lg-portal"
          style={{ maxWidth: 480, margin: '0 auto', padding: 16, minHeight: '100vh', background: '#f5f7fa' }}
        >
          <header style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 16 }}>
            <Typography.Title level={4} style={{ margin: 0, flex: 1, color: '#1f1f1f' }}>
              {t('portal.title')}
            </Typography.Title>
            <Space size="small">
              <Segmented<Locale>
                size="small"
                value={locale}
                onChange={setLocale}
                options={[
                  { value: 'zh-CN', label: '中文' },
                  { value: 'en', label: 'EN' },
                ]}
                data-testid="portal-language"
                aria-label={t('lang.switch')}
              />
              {api !== null ? (
                <Button size="small" onClick={signOut} data-testid="portal-sign-out">
                  {t('portal.signOut')}
                </Button>
              ) : null}
            </Space>
          </header>
          <main>{body}</main>
        </div>
      </AntApp>
    </ConfigProvider>
  );
}
