/** money/: exact amounts, rates, rounding, allocation, calendar dates and day counts. */
export * from './allocate.js';
export * from './amount.js';
export * from './date.js';
export * from './day-count.js';
export * from './errors.js';
export * from './rate.js';
export * from './rational.js';
export * from './rounding.js';
