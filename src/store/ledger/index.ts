/** store/ledger: persistence of products, credit lines, loans, their events, snapshots and postings. */
export * from './bulk.js';
export * from './codec.js';
export * from './command-path.js';
export * from './journal.js';
export * from './lines.js';
export * from './loan-rows.js';
export * from './loan-writers.js';
export * from './loans.js';
export * from './products.js';
