/** ledger/: products, schedules, APR, loans, postings, credit lines and delinquency (pure core, no I/O). */
export * from './apr.js';
export * from './change/index.js';
export * from './commands/index.js';
export * from './credit-line/index.js';
export * from './delinquency.js';
export * from './errors.js';
export * from './loan/index.js';
export * from './postings/index.js';
export * from './product.js';
export * from './product-validate.js';
export * from './schedule.js';
export * from './schedule-types.js';
