/**
 * What each role may do, as the server's table says (src/server/roles.ts; a test keeps the two equal).
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
} as const satisfies Record<string, readonly Role[]>;

export type UiPermission = keyof typeof UI_PERMISSIONS;

export function can(role: Role, permission: UiPermission): boolean {
  return (UI_PERMISSIONS[permission] as readonly Role[]).includes(role);
}
