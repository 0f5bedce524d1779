import { sql as initial } from './0001_initial.js';
import { sql as ledger } from './0002_ledger.js';
import { sql as eod } from './0003_eod.js';
import { sql as origination } from './0004_origination.js';
import { sql as loanListAndPortfolio } from './0005_loan_list_and_portfolio.js';
import { sql as decisionReviews } from './0006_decision_reviews.js';
import { sql as idempotencyText } from './0007_idempotency_text.js';
import { sql as loanEod } from './0008_loan_eod.js';
import { sql as loanTerms } from './0009_loan_terms.js';
import { sql as loanFiguresInOnePass } from './0010_loan_figures_in_one_pass.js';
import { sql as lenderDayAndAuditChain } from './0011_lender_day_and_audit_chain.js';
import { sql as loanRestructurings } from './0012_loan_restructurings.js';
import { sql as collections } from './0013_collections.js';
import { sql as writeOffs } from './0014_write_offs.js';
import { sql as creditLineChanges } from './0015_credit_line_changes.js';
import { sql as reminders } from './0016_reminders.js';
import { sql as monthEndClassification } from './0017_month_end_classification.js';
import { sql as eclRuns } from './0018_ecl_runs.js';
import { sql as collectionOperations } from './0019_collection_operations.js';
import { sql as collectionLegal } from './0020_collection_legal.js';
import { sql as complaintsAndCreditReporting } from './0021_complaints_and_credit_reporting.js';
import { sql as behaviourScores } from './0022_behaviour_scores.js';
import { sql as earlyWarning } from './0023_early_warning.js';
import { sql as auditChainPerSchema } from './0024_audit_chain_per_schema.js';
import { sql as settlementOffers } from './0025_settlement_offers.js';
import { sql as borrowerPortal } from './0026_borrower_portal.js';
import { sql as portalActions } from './0027_portal_actions.js';
import { sql as collectionAims } from './0028_collection_aims.js';
import { sql as simulationRuns } from './0029_simulation_runs.js';
import { sql as behaviourLoanMonths } from './0031_behaviour_loan_months.js';
import { sql as caseCloseReasons } from './0035_case_close_reasons.js';
import { sql as caseNotesAndDocuments } from './0039_case_notes_and_documents.js';
import { sql as collectionStepActions } from './0040_collection_step_actions.js';
import { sql as piiReencryptionAndContactIndexes } from './0042_pii_reencryption_and_contact_indexes.js';
import { sql as simulationSplitRuns } from './0044_simulation_split_runs.js';
import { sql as placementRecallHold } from './0045_placement_recall_hold.js';
import { sql as behaviourFoldsByMonthChanged } from './0046_behaviour_folds_by_month_changed.js';
import { sql as monthEndReceivable } from './0047_month_end_receivable.js';
import { sql as loanEventsReportKinds } from './0048_loan_events_report_kinds.js';

/** One forward-only schema change. The text must never change once released: add a new one instead. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration in order. They are TypeScript modules exporting SQL text, so they compile into
 * dist/ with the rest of the code and need no file copying at build or run time.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'ledger', sql: ledger },
  { version: 3, name: 'eod', sql: eod },
  { version: 4, name: 'origination', sql: origination },
  { version: 5, name: 'loan_list_and_portfolio', sql: loanListAndPortfolio },
  { version: 6, name: 'decision_reviews', sql: decisionReviews },
  { version: 7, name: 'idempotency_text', sql: idempotencyText },
  { version: 8, name: 'loan_eod', sql: loanEod },
  { version: 9, name: 'loan_terms', sql: loanTerms },
  { version: 10, name: 'loan_figures_in_one_pass', sql: loanFiguresInOnePass },
  { version: 11, name: 'lender_day_and_audit_chain', sql: lenderDayAndAuditChain },
  { version: 12, name: 'loan_restructurings', sql: loanRestructurings },
  { version: 13, name: 'collections', sql: collections },
  { version: 14, name: 'write_offs', sql: writeOffs },
  { version: 15, name: 'credit_line_changes', sql: creditLineChanges },
  { version: 16, name: 'reminders', sql: reminders },
  { version: 17, name: 'month_end_classification', sql: monthEndClassification },
  { version: 18, name: 'ecl_runs', sql: eclRuns },
  { version: 19, name: 'collection_operations', sql: collectionOperations },
  { version: 20, name: 'collection_legal', sql: collectionLegal },
  { version: 21, name: 'complaints_and_credit_reporting', sql: complaintsAndCreditReporting },
  { version: 22, name: 'behaviour_scores', sql: behaviourScores },
  { version: 23, name: 'early_warning', sql: earlyWarning },
  { version: 24, name: 'audit_chain_per_schema', sql: auditChainPerSchema },
  { version: 25, name: 'settlement_offers', sql: settlementOffers },
  { version: 26, name: 'borrower_portal', sql: borrowerPortal },
  { version: 27, name: 'portal_actions', sql: portalActions },
  { version: 28, name: 'collection_aims', sql: collectionAims },
  { version: 29, name: 'simulation_runs', sql: simulationRuns },
  { version: 31, name: 'behaviour_loan_months', sql: behaviourLoanMonths },
  { version: 35, name: 'case_close_reasons', sql: caseCloseReasons },
  { version: 39, name: 'case_notes_and_documents', sql: caseNotesAndDocuments },
  { version: 40, name: 'collection_step_actions', sql: collectionStepActions },
  { version: 42, name: 'pii_reencryption_and_contact_indexes', sql: piiReencryptionAndContactIndexes },
  { version: 44, name: 'simulation_split_runs', sql: simulationSplitRuns },
  { version: 45, name: 'placement_recall_hold', sql: placementRecallHold },
  { version: 46, name: 'behaviour_folds_by_month_changed', sql: behaviourFoldsByMonthChanged },
  { version: 47, name: 'month_end_receivable', sql: monthEndReceivable },
  { version: 48, name: 'loan_events_report_kinds', sql: loanEventsReportKinds },
];
