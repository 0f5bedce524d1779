/** jobs/: the end-of-day batch (runs, partitions, workers) over the ledger store. See docs/eod.md. */
export * from './book.js';
export * from './config.js';
export * from './eod.js';
export * from './ledger-eod.js';
export * from './runs.js';
export * from './worker.js';
