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
  /** Create product versions: product terms are risk policy. */
  'products.manage': ['admin', 'risk_analyst'],
  /** Read products. */
  'products.read': [...ROLES],
  /** Open credit lines, change limits, freeze, unfreeze and close them. */
  'lines.manage': ['admin', 'risk_analyst'],
  /** Read credit lines. */
  'lines.read': [...ROLES],
  /** Draw on a credit line (a new loan). */
  'loans.draw': ['admin', 'risk_analyst'],
  /** Record repayments received. */
  'loans.repay': ['admin', 'collector', 'finance'],
  /** Waive penalty, interest or fees. */
  'loans.waive': ['admin', 'risk_analyst'],
  /** Read loans, schedules, payoff quotes and events (no personal data in them). */
  'loans.read': [...ROLES],
  /** Read the journal of postings and the trial balance. */
  'journal.read': ['admin', 'finance', 'auditor'],
  /** Start or resume the end-of-day batch. */
  'eod.run': ['admin', 'finance'],
  /** Watch EOD runs: per-partition status and errors. */
  'eod.read': ['admin', 'risk_analyst', 'finance', 'auditor'],
  /** See oneself. */
  'self.read': [...ROLES],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(permission: Permission, role: Role): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
