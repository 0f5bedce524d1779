import { ROLES, type Role } from '../../store/index.js';

/** The lender's own staff: every role but an outside agency's users, who see only their placed cases. */
const STAFF: readonly Role[] = ROLES.filter((r) => r !== 'agency');

/**
 * Who may do what. Every route names one of these permissions in its config; a route that names none is
 * refused to everyone (closed by default). docs/api.md shows the same table.
 */
export const PERMISSIONS = {
  /** Create customers: onboarding is done by risk staff. */
  'customers.create': ['admin', 'risk_analyst'],
  /** Read customers with personal data masked. */
  'customers.read': ['admin', 'risk_analyst', 'collector', 'finance', 'auditor', 'compliance'],
  /** See unmasked personal data (`?unmask=true`); every such read is audited. */
  'customers.unmask': ['admin', 'risk_analyst', 'collector', 'agency'],
  /**
   * Read one customer: staff who read customers, and an agency's users for a borrower whose case is placed
   * with their agency (any other is not found to them).
   */
  'customers.read.placed': [
    'admin',
    'risk_analyst',
    'collector',
    'finance',
    'auditor',
    'compliance',
    'agency',
  ],
  /** Users and their API tokens. */
  'users.manage': ['admin'],
  /** Read the audit log. */
  'audit.read': ['admin', 'auditor'],
  /** Create product versions: product terms are risk policy. */
  'products.manage': ['admin', 'risk_analyst'],
  /** Read products. */
  'products.read': [...STAFF],
  /** Open credit lines, change limits, freeze, unfreeze and close them. */
  'lines.manage': ['admin', 'risk_analyst'],
  /** Read credit lines. */
  'lines.read': [...STAFF],
  /** Draw on a credit line (a new loan). */
  'loans.draw': ['admin', 'risk_analyst'],
  /** Record repayments received. */
  'loans.repay': ['admin', 'collector', 'finance'],
  /** Waive penalty, interest or fees. */
  'loans.waive': ['admin', 'risk_analyst'],
  /** Propose a restructuring (协商分期, 展期, payment holiday, rate reduction); applied at once below the thresholds. */
  'loans.restructure': ['admin', 'risk_analyst', 'collector'],
  /** Approve or reject a restructuring above the thresholds (never one's own: maker-checker). */
  'loans.restructure.approve': ['admin', 'risk_analyst'],
  /** Read loans, schedules, payoff quotes and events (no personal data in them). */
  'loans.read': [...STAFF],
  /** Read the journal of postings and the trial balance. */
  'journal.read': ['admin', 'finance', 'auditor'],
  /** Start or resume the end-of-day batch. */
  'eod.run': ['admin', 'finance'],
  /** Watch EOD runs: per-partition status and errors. */
  'eod.read': ['admin', 'risk_analyst', 'finance', 'auditor'],
  /** Submit applications (授信申请): each is decided at once and an approval opens a credit line. */
  'applications.create': ['admin', 'risk_analyst'],
  /** Read applications with personal data masked. */
  'applications.read': ['admin', 'risk_analyst', 'auditor'],
  /** See an application's personal data unmasked (`?unmask=true`); every such read is audited. */
  'applications.unmask': ['admin', 'risk_analyst'],
  /** Read decision records with their reasons. */
  'decisions.read': ['admin', 'risk_analyst', 'auditor'],
  /** Record an applicant's explanation request or objection (PIPL Art. 24) and answer it. */
  'decisions.requests': ['admin', 'risk_analyst'],
  /** Decide a referred application, or a declined one whose objection was overturned (a person's decision). */
  'decisions.review': ['admin', 'risk_analyst'],
  /** Write a policy version as a draft. */
  'policies.draft': ['admin', 'risk_analyst'],
  /** Approve a draft (never one's own: maker-checker), publish an approved version, roll back. */
  'policies.approve': ['admin', 'risk_analyst'],
  /** Read policy versions and their trail. */
  'policies.read': ['admin', 'risk_analyst', 'auditor'],
  /** Read the review queue of 强开 flags. */
  'review.read': ['admin', 'risk_analyst', 'auditor'],
  /** Resolve a review flag with a note. */
  'review.resolve': ['admin', 'risk_analyst'],
  /** Invite customers (白名单) and end invitations. */
  'invitations.manage': ['admin', 'risk_analyst'],
  'invitations.read': ['admin', 'risk_analyst', 'auditor'],
  /** Add blacklist entries (reason, source, evidence, expiry) and end them. */
  'blacklist.manage': ['admin', 'risk_analyst'],
  'blacklist.read': ['admin', 'risk_analyst', 'auditor'],
  /** Re-assess a customer's limit and price from new financial facts. */
  'reassessments.create': ['admin', 'risk_analyst'],
  'reassessments.read': ['admin', 'risk_analyst', 'auditor'],
  /** Read collection cases, their contact logs and promises. */
  'collections.read': ['admin', 'collector', 'risk_analyst', 'compliance', 'auditor'],
  /** Log contact attempts, record promises to pay, mark lost contact (assigning a case: admin only). */
  'collections.work': ['admin', 'collector'],
  /**
   * A case and its log, and the case list: staff who read collections, and an agency's users for the cases
   * placed with their agency only (others are not found; the list holds only theirs).
   */
  'collections.placed.read': ['admin', 'collector', 'risk_analyst', 'compliance', 'auditor', 'agency'],
  /** Log contact attempts, record promises and evidence on a case: collectors, and an agency on its cases. */
  'collections.placed.work': ['admin', 'collector', 'agency'],
  /**
   * The compliance report of the contact log: refusals by rule, collector and day, and breaches (allowed
   * attempts the conduct rules now refuse), with its Excel export.
   */
  'collections.compliance': ['admin', 'compliance', 'auditor'],
  /** Read complaints (投诉) with their SLA timers, and the reputation view. */
  'complaints.read': ['admin', 'compliance', 'collector', 'auditor'],
  /** Record a complaint as it comes in (hotline, app, regulator referral, social media). */
  'complaints.intake': ['admin', 'compliance', 'collector'],
  /** Acknowledge and resolve complaints (outcome, root cause): the compliance team's work. */
  'complaints.handle': ['admin', 'compliance'],
  /** Read credit-report (征信) records and objections (异议). */
  'creditreports.read': ['admin', 'compliance', 'risk_analyst', 'auditor'],
  /** Record objections and take them through investigation to correction or rejection. */
  'creditreports.disputes': ['admin', 'compliance'],
  /** Propose a legal action on a case and record demands for payment (催告). */
  'collections.legal.propose': ['admin', 'risk_analyst', 'collector'],
  /**
   * Legal work: approve (never one's own proposal), file and follow an action, record its costs, and
   * download the evidence package (it holds the borrower's name and ID number; every download is audited).
   */
  'collections.legal': ['admin', 'risk_analyst'],
  /** Propose blacklisting a borrower (from a legal action or a fraud finding): notice and objection follow. */
  'blacklist.propose': ['admin', 'risk_analyst'],
  /** Read write-off (核销) candidates, proposals and the rule. */
  'writeoffs.read': ['admin', 'risk_analyst', 'finance', 'auditor'],
  /** Propose loans for write-off with their evidence. */
  'writeoffs.propose': ['admin', 'risk_analyst', 'finance'],
  /** Approve or reject a write-off proposal (never one's own: maker-checker). */
  'writeoffs.approve': ['admin', 'risk_analyst', 'finance'],
  /** Subscribe URLs to business events (webhooks), change and remove them. */
  'webhooks.manage': ['admin'],
  /** Read webhook subscriptions (never their secrets). */
  'webhooks.read': ['admin', 'auditor'],
  /** Read month-end portfolio reports (classification, NPL, roll rates, vintages …) and the loans behind a figure. */
  'reports.read': ['admin', 'risk_analyst', 'finance', 'compliance', 'auditor'],
  /** Post the month-end ECL loss allowance (减值准备计提) to the books: a finance controller's month close. */
  'reports.ecl.post': ['admin', 'finance'],
  /** Enter the funding outflows (资金流出) the liquidity report sets expected cash-in against. */
  'reports.funding': ['admin', 'finance'],
  /** Propose a manual five-category class (人工认定) with a reason. */
  'reports.classify': ['admin', 'risk_analyst'],
  /** Approve or reject a manual class (never one's own: maker-checker). */
  'reports.classify.approve': ['admin', 'risk_analyst'],
  /** Read behaviour scores (B卡) with their reasons, their monthly distribution and PSI. */
  'behaviour.read': ['admin', 'risk_analyst', 'auditor'],
  /** Read the monthly limit review's proposals. */
  'limits.read': ['admin', 'risk_analyst', 'auditor'],
  /** Approve or reject limit-review proposals in bulk (never one's own: maker-checker). */
  'limits.approve': ['admin', 'risk_analyst'],
  /** Read early-warning signals (the watchlist), health reviews and the industry shock list. */
  'signals.read': ['admin', 'risk_analyst', 'collector', 'auditor'],
  /** Acknowledge or resolve a signal (the owner queues' work). */
  'signals.work': ['admin', 'risk_analyst', 'collector'],
  /** Carry out a signal's action: a re-assessment or an offered plan adjustment. */
  'signals.act': ['admin', 'risk_analyst'],
  /** Record what a borrower declares or sends: a declared income, a health-review document. */
  'monitoring.record': ['admin', 'risk_analyst', 'collector'],
  /** Keep the industry shock list. */
  'shocks.manage': ['admin', 'risk_analyst'],
  /** Write an early-warning document as a draft. */
  'early-warning.draft': ['admin', 'risk_analyst'],
  /** Approve a draft (never one's own: maker-checker). */
  'early-warning.approve': ['admin', 'risk_analyst'],
  /** Read the early-warning document in force and its versions. */
  'early-warning.read': ['admin', 'risk_analyst', 'auditor'],
  /** Run the strategy lab: simulate a population under strategies and compare them (decision 0901). */
  'simulations.run': ['admin', 'risk_analyst'],
  /** Read strategy-lab runs, their progress and comparisons. */
  'simulations.read': ['admin', 'risk_analyst', 'auditor'],
  /** See oneself. */
  'self.read': [...ROLES],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allows(permission: Permission, role: Role): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
