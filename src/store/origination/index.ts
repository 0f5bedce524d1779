export * from './application-path.js';
export * from './applications.js';
export * from './decision-list.js';
export * from './lists.js';
export * from './policies.js';
export * from './requests.js';
export * from './reviews.js';
