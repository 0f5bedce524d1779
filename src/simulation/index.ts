/**
 * simulation/: seeded synthetic data and the independent reference model of a loan's balances (pure core;
 * every draw comes from a seed argument). The demo book's plan, its people and applications are used by
 * jobs/ and the CLI; the reference model checks the ledger in the seeded run of the test suite.
 */
export {
  BEHAVIOURS,
  type Behaviour,
  BOOK_PRODUCTS,
  type BookSpec,
  DEMO_BEHAVIOURS,
  pickBehaviour,
} from './book-plan.js';
export { DEMO_APPLICANTS, type DemoApplicationPlan, demoApplicationPlan } from './demo-applications.js';
export {
  type ReferenceBalances,
  ReferenceLoan,
  type ReferencePayment,
  type ReferenceSpec,
} from './reference-model.js';
export { randomInt, seededId, seededRandom } from './seeded.js';
export { type SyntheticCustomer, type SyntheticRelation, syntheticCustomer } from './synthetic-people.js';
