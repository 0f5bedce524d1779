/** The books: chart of accounts, balanced postings from loan events, trial balance and reconciliation. */
export * from './accounts.js';
export * from './books.js';
export * from './posting.js';
export * from './reconcile.js';
export * from './rules.js';
export * from './write-off.js';
