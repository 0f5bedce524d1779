/** ledger/: products, schedules, APR, loans, postings, credit lines and delinquency (pure core, no I/O). */
export * from './errors.js';
export * from './product.js';
export * from './schedule-types.js';
export * from './delinquency.js';
