/** Revolving credit lines (授信额度): limit, used, available, status, and drawdowns against them. */

export * from './drawdown.js';
export * from './line.js';
