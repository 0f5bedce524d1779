/**
 * What each role may do, as the server's table says (src/server/http/roles.ts; a test keeps the two equal).
 * The dashboard only hides what a role may not do; the server refuses it anyway.
 */
export const ROLES = ['admin', 'risk_analyst', 'collector', 'finance', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const UI_PERMISSIONS = {
  'customers.create': ['admin', 'risk_analyst'],
  'customers.read': ['admin', 'risk_analyst', 'collector', 'finance', 'auditor'],
  'customers.unmask': ['admin', 'risk_analyst', 'collector'],
  'audit.read': ['admin', 'auditor'],
  'lines.read': ['admin', 'risk_analyst', 'collector', 'finance', 'auditor'],
  'loans.read': ['admin', 'risk_analyst', 'collector', 'finance', 'auditor'],
  'loans.repay': ['admin', 'collector', 'finance'],
  'journal.read': ['admin', 'finance', 'auditor'],
  'eod.run': ['admin', 'finance'],
  'eod.read': ['admin', 'risk_analyst', 'finance', 'auditor'],
  'applications.create': ['admin', 'risk_analyst'],
  'applications.read': ['admin', 'risk_analyst', 'auditor'],
  'applications.unmask': ['admin', 'risk_analyst'],
  'decisions.read': ['admin', 'risk_analyst', 'auditor'],
  'decisions.requests': ['admin', 'risk_analyst'],
  'decisions.review': ['admin', 'risk_analyst'],
  'policies.draft': ['admin', 'risk_analyst'],
  'policies.approve': ['admin', 'risk_analyst'],
  'policies.read': ['admin', 'risk_analyst', 'auditor'],
  'review.read': ['admin', 'risk_analyst', 'auditor'],
  'review.resolve': ['admin', 'risk_analyst'],
  'invitations.manage': ['admin', 'risk_analyst'],
  'invitations.read': ['admin', 'risk_analyst', 'auditor'],
  'blacklist.manage': ['admin', 'risk_analyst'],
  'blacklist.read': ['admin', 'risk_analyst', 'auditor'],
  'reassessments.create': ['admin', 'risk_analyst'],
  'reassessments.read': ['admin', 'risk_analyst', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type UiPermission = keyof typeof UI_PERMISSIONS;

export function can(role: Role, permission: UiPermission): boolean {
  return (UI_PERMISSIONS[permission] as readonly Role[]).includes(role);
}
