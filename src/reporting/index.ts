/** reporting/: credit-report status, five-category classification, IFRS 9 stage and the overdue milestones (pure core). */
export * from './classification.js';
export * from './credit-report.js';
export * from './ifrs9.js';
export * from './impact.js';
export * from './milestones.js';
export * from './months.js';
export * from './overdue-projection.js';
