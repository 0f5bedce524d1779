import { Alert, Button, Card, Space } from 'antd';
import type { ReactNode } from 'react';
import type { ApiClient } from '../../../api.js';
import { matchPath, useRouter } from '../../../router.js';
import { ComplaintPage, ComplaintsPage } from './Complaints.js';
import { DecisionsPage } from './Decisions.js';
import { HardshipApply, HardshipList, HardshipRequestPage } from './Hardship.js';
import { RemindersPage } from './Reminders.js';
import { useActionsText } from './text.js';
import { UploadsPage } from './Uploads.js';

/** The menu of what a borrower can ask for or set. */
export function ActionsMenu() {
  const { tx } = useActionsText();
  const { navigate } = useRouter();
  const items: { to: string; label: string; testId: string }[] = [
    { to: '/portal/hardship', label: tx('act.hardship'), testId: 'act-menu-hardship' },
    { to: '/portal/uploads', label: tx('act.uploads'), testId: 'act-menu-uploads' },
    { to: '/portal/reminders', label: tx('act.reminders'), testId: 'act-menu-reminders' },
    { to: '/portal/decisions', label: tx('act.decisions'), testId: 'act-menu-decisions' },
    { to: '/portal/complaints', label: tx('act.complaints'), testId: 'act-menu-complaints' },
  ];
  return (
    <div style={{ display: 'grid', gap: 12, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <Button size="small" onClick={() => navigate('/portal')} data-testid="act-back">
          {tx('act.home')}
        </Button>
        <h2 style={{ margin: 0, fontSize: 18, flex: 1 }}>{tx('act.menu')}</h2>
      </div>
      <Alert type="info" message={tx('act.menuIntro')} />
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          {items.map((i) => (
            <Button key={i.to} block size="large" onClick={() => navigate(i.to)} data-testid={i.testId}>
              {i.label}
            </Button>
          ))}
        </Space>
      </Card>
    </div>
  );
}

/** The way into the action pages from the portal's home page. */
export function ActionsEntry() {
  const { tx } = useActionsText();
  const { navigate } = useRouter();
  return (
    <Button block type="dashed" onClick={() => navigate('/portal/help')} data-testid="act-open-menu">
      {tx('act.menu')}
    </Button>
  );
}

/** The action page for a path under /portal/, or undefined when the path is not one of them. */
export function actionPage(path: string, api: ApiClient): ReactNode | undefined {
  if (path === '/portal/help') return <ActionsMenu />;
  if (path === '/portal/hardship') return <HardshipList api={api} />;
  if (path === '/portal/hardship/new') return <HardshipApply api={api} />;
  const request = matchPath('/portal/hardship/:requestId', path);
  if (request !== undefined)
    return <HardshipRequestPage key={request.requestId} api={api} requestId={request.requestId!} />;
  if (path === '/portal/uploads') return <UploadsPage api={api} />;
  if (path === '/portal/reminders') return <RemindersPage api={api} />;
  if (path === '/portal/decisions') return <DecisionsPage api={api} />;
  if (path === '/portal/complaints') return <ComplaintsPage api={api} />;
  const complaint = matchPath('/portal/complaints/:complaintId', path);
  if (complaint !== undefined)
    return <ComplaintPage key={complaint.complaintId} api={api} complaintId={complaint.complaintId!} />;
  return undefined;
}
