import { ROLES, type Role } from '../store/index.js';

/**
 * Who may do what. Every route names one of these permissions in its config; a route that names none is
 * refused to everyone (closed by default). docs/api.md shows the same table.
 */
export const PERMISSIONS = {
  /** Create customers: onboarding is done by risk staff. */
  'customers.create': ['admin', 'risk_analyst'],
  /** Read customers with personal data masked. */
  'customers.read': ['admin', 'risk_analyst', 'collector', 'finance', 'auditor'],
  /** See unmasked personal data (`?unmask=true`); every such read is audited. */
  'customers.unmask': ['admin', 'risk_analyst', 'collector'],
  /** Users and their API tokens. */
  'users.manage': ['admin'],
  /** Read the audit log. */
  'audit.read': ['admin', 'auditor'],
  /** See oneself. */
  'self.read': [...ROLES],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(permission: Permission, role: Role): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
