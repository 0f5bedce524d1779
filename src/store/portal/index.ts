export * from './payments.js';
export * from './sessions.js';
