import { App as AntApp, Button, Layout, Menu, Result, Segmented, Space, Spin, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.js';
import type { MessageKey } from './messages.js';
import type { Locale } from './money.js';
import { AuditLogPage } from './pages/AuditLog.js';
import { BorrowerPage } from './pages/Borrower.js';
import { CreateCustomerPage } from './pages/CreateCustomer.js';
import { CustomersPage } from './pages/Customers.js';
import { BlacklistProposalsPage } from './pages/collections/BlacklistProposals.js';
import { CasePage } from './pages/collections/Case.js';
import { CasesPage } from './pages/collections/Cases.js';
import { CompliancePage } from './pages/collections/Compliance.js';
import { TeamPage } from './pages/collections/Team.js';
import { ComplaintPage } from './pages/complaints/Complaint.js';
import { ComplaintsPage } from './pages/complaints/Complaints.js';
import { ReputationPage } from './pages/complaints/Reputation.js';
import { DecisionPage } from './pages/Decision.js';
import { DecisionsPage } from './pages/Decisions.js';
import { EodRunsPage } from './pages/EodRuns.js';
import { EclPostingsPage } from './pages/finance/EclPostings.js';
import { FundingOutflowsPage } from './pages/finance/FundingOutflows.js';
import { LabPage } from './pages/Lab.js';
import { LoanPage } from './pages/Loan.js';
import { LoansPage } from './pages/Loans.js';
import { LoginPage } from './pages/Login.js';
import { BehaviourPage } from './pages/monitoring/Behaviour.js';
import { LinePage } from './pages/monitoring/LineHistory.js';
import { ReminderCadencesPage } from './pages/monitoring/ReminderCadences.js';
import { WatchlistPage } from './pages/monitoring/Watchlist.js';
import { PoliciesPage } from './pages/Policies.js';
import { PolicyPage } from './pages/Policy.js';
import { PolicyDraftPage } from './pages/PolicyDraft.js';
import { PortfolioPage } from './pages/Portfolio.js';
import { ReviewQueuePage } from './pages/ReviewQueue.js';
import { ReportsPage } from './pages/reports/Reports.js';
import { WriteOffsPage } from './pages/WriteOffs.js';
import { can, type UiPermission } from './permissions.js';
import { matchPath, useRouter } from './router.js';
import { useSession } from './session.js';

interface NavItem {
  path: string;
  label: MessageKey;
  /** Shown only to roles with this permission; the server refuses the others anyway. */
  needs?: UiPermission;
}

const NAV: NavItem[] = [
  { path: '/', label: 'nav.portfolio' },
  { path: '/loans', label: 'nav.loans', needs: 'loans.read' },
  { path: '/customers', label: 'nav.customers', needs: 'customers.read' },
  { path: '/customers/new', label: 'nav.newCustomer', needs: 'customers.create' },
  { path: '/decisions', label: 'nav.decisions', needs: 'decisions.read' },
  { path: '/review', label: 'nav.review', needs: 'review.read' },
  { path: '/policies', label: 'nav.policies', needs: 'policies.read' },
  { path: '/watchlist', label: 'nav.watchlist', needs: 'signals.read' },
  { path: '/collections', label: 'nav.collections', needs: 'collections.read' },
  { path: '/complaints', label: 'nav.complaints', needs: 'complaints.read' },
  { path: '/collections/team', label: 'nav.collectionsTeam', needs: 'collections.read' },
  { path: '/collections/compliance', label: 'nav.compliance', needs: 'collections.compliance' },
  { path: '/blacklist-proposals', label: 'nav.blacklistProposals', needs: 'blacklist.read' },
  { path: '/write-offs', label: 'nav.writeOffs', needs: 'writeoffs.read' },
  { path: '/reports', label: 'nav.reports', needs: 'reports.read' },
  { path: '/ecl-postings', label: 'nav.eclPostings', needs: 'reports.read' },
  { path: '/funding-outflows', label: 'nav.fundingOutflows', needs: 'reports.read' },
  { path: '/behaviour', label: 'nav.behaviour', needs: 'behaviour.read' },
  { path: '/reminder-cadences', label: 'nav.reminderCadences', needs: 'policies.read' },
  { path: '/eod', label: 'nav.eod', needs: 'eod.read' },
  { path: '/lab', label: 'nav.lab', needs: 'simulations.read' },
  { path: '/audit', label: 'nav.audit', needs: 'audit.read' },
];

function LanguageSwitch() {
  const { locale, setLocale } = useI18n();
  return (
    <Segmented<Locale>
      value={locale}
      onChange={setLocale}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
      data-testid="language-switch"
    />
  );
}

function Page({ path }: { path: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const role = me!.role;
  const forbidden = (
    <Result status="403" title="403" subTitle={t('common.forbidden')} data-testid="forbidden" />
  );
  const allowed = (needs: UiPermission, page: ReactNode) => (can(role, needs) ? page : forbidden);
  if (path === '/') return <PortfolioPage />;
  if (path === '/customers') return allowed('customers.read', <CustomersPage />);
  if (path === '/customers/new') return allowed('customers.create', <CreateCustomerPage />);
  const borrower = matchPath('/customers/:customerId', path);
  if (borrower !== undefined)
    return allowed('customers.read', <BorrowerPage customerId={borrower.customerId!} />);
  if (path === '/audit') return allowed('audit.read', <AuditLogPage />);
  if (path === '/loans') return allowed('loans.read', <LoansPage />);
  const loan = matchPath('/loans/:loanId', path);
  if (loan !== undefined) return allowed('loans.read', <LoanPage key={loan.loanId} loanId={loan.loanId!} />);
  if (path === '/watchlist') return allowed('signals.read', <WatchlistPage />);
  const line = matchPath('/credit-lines/:lineId', path);
  if (line !== undefined) return allowed('lines.read', <LinePage key={line.lineId} lineId={line.lineId!} />);
  if (path === '/collections') return allowed('collections.read', <CasesPage />);
  if (path === '/collections/team') return allowed('collections.read', <TeamPage />);
  if (path === '/collections/compliance') return allowed('collections.compliance', <CompliancePage />);
  if (path === '/blacklist-proposals') return allowed('blacklist.read', <BlacklistProposalsPage />);
  const kase = matchPath('/collections/:caseId', path);
  if (kase !== undefined)
    return allowed('collections.read', <CasePage key={kase.caseId} caseId={kase.caseId!} />);
  if (path === '/complaints') return allowed('complaints.read', <ComplaintsPage />);
  if (path === '/complaints/reputation') return allowed('complaints.read', <ReputationPage />);
  const complaint = matchPath('/complaints/:complaintId', path);
  if (complaint !== undefined)
    return allowed(
      'complaints.read',
      <ComplaintPage key={complaint.complaintId} complaintId={complaint.complaintId!} />,
    );
  if (path === '/eod') return allowed('eod.read', <EodRunsPage />);
  if (path === '/lab') return allowed('simulations.read', <LabPage />);
  if (path === '/write-offs') return allowed('writeoffs.read', <WriteOffsPage />);
  if (path === '/reports') return allowed('reports.read', <ReportsPage />);
  if (path === '/ecl-postings') return allowed('reports.read', <EclPostingsPage />);
  if (path === '/funding-outflows') return allowed('reports.read', <FundingOutflowsPage />);
  if (path === '/reminder-cadences') return allowed('policies.read', <ReminderCadencesPage />);
  if (path === '/behaviour') return allowed('behaviour.read', <BehaviourPage />);
  if (path === '/decisions') return allowed('decisions.read', <DecisionsPage />);
  const decision = matchPath('/decisions/:decisionId', path);
  if (decision !== undefined)
    return allowed(
      'decisions.read',
      <DecisionPage key={decision.decisionId} decisionId={decision.decisionId!} />,
    );
  if (path === '/review') return allowed('review.read', <ReviewQueuePage />);
  if (path === '/policies') return allowed('policies.read', <PoliciesPage />);
  // Three segments: never taken for a version label (labels have no slash), whatever a label is called.
  if (path === '/policies/drafts/new') return allowed('policies.draft', <PolicyDraftPage />);
  const policy = matchPath('/policies/:version', path);
  if (policy !== undefined)
    return allowed('policies.read', <PolicyPage key={policy.version} version={policy.version!} />);
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}

export function DashboardApp() {
  const { t } = useI18n();
  const { me, checking, logout } = useSession();
  const { path, navigate } = useRouter();

  let body: ReactNode;
  if (checking) body = <Spin style={{ display: 'block', marginTop: 96 }} />;
  else if (me === null) body = <LoginPage />;
  else body = <Page path={path} />;

  const items = NAV.filter((n) => me !== null && (n.needs === undefined || can(me.role, n.needs))).map(
    (n) => ({
      key: n.path,
      label: <span data-testid={`nav-${n.label.slice(4)}`}>{t(n.label)}</span>,
    }),
  );
  const selected = NAV.map((n) => n.path)
    .filter((p) => p === path || (p !== '/' && path.startsWith(`${p}/`) && !NAV.some((n) => n.path === path)))
    .slice(0, 1);

  return (
    <AntApp>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 24 }}>
          <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
            {t('app.title')}
          </Typography.Text>
          <Typography.Text style={{ color: 'rgba(255,255,255,0.65)', whiteSpace: 'nowrap' }}>
            {t('app.subtitle')}
          </Typography.Text>
          <div style={{ flex: 1 }} />
          <Space>
            {me !== null ? (
              <>
                <Typography.Text style={{ color: '#fff' }} data-testid="whoami">
                  {me.username}
                </Typography.Text>
                <Tag color="geekblue" data-testid="role">
                  {t(`role.${me.role}` as MessageKey)}
                </Tag>
              </>
            ) : null}
            <LanguageSwitch />
            {me !== null ? (
              <Button size="small" onClick={logout} data-testid="logout">
                {t('nav.logout')}
              </Button>
            ) : null}
          </Space>
        </Layout.Header>
        <Layout>
          {me !== null ? (
            <Layout.Sider width={200} theme="light">
              <Menu
                mode="inline"
                selectedKeys={selected}
                items={items}
                onClick={({ key }) => navigate(key)}
                style={{ height: '100%' }}
                data-testid="nav"
              />
            </Layout.Sider>
          ) : null}
          <Layout.Content style={{ padding: 24 }}>{body}</Layout.Content>
        </Layout>
      </Layout>
    </AntApp>
  );
}
