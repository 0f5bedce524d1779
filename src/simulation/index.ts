/**
 * simulation/: seeded synthetic data, the independent reference model of a loan's balances, and the strategy
 * lab (lab/): populations, scenarios and strategies as data, run through the real origination, ledger,
 * monitoring, collections and reporting code (pure core; every draw comes from a seed argument). The demo
 * book's plan, its people and applications are used by jobs/ and the CLI; the reference model checks the
 * ledger in the seeded run of the test suite.
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
export { type RunContext, simulateBorrower, type TraceRow } from './lab/borrower-run.js';
export {
  applicationOf,
  archetypes,
  borrowerSeed,
  drawBorrower,
  type ScriptedEvent,
  type SimBorrower,
} from './lab/borrowers.js';
export { CHAIN_WINDOW, eclByMonth, LAB_PRODUCT, labMonthEnd } from './lab/ecl.js';
export { LAB_NOTE_CODES, LAB_NOTES_EN, type LabNote, type LabNoteCode, labNoteEnglish } from './lab/notes.js';
export {
  type BehaviourParameters,
  DEFAULT_POPULATION,
  INCOME_PROCESSES,
  type IncomeProcess,
  type OccupationGroup,
  POPULATION_FORMAT,
  type PopulationSpec,
  parsePopulation,
} from './lab/population.js';
export {
  buildReport,
  difference,
  eclOfReplications,
  flowRatesOfRun,
  type Interval,
  interval,
  METRICS,
  type Metric,
  REPORT_FORMAT,
  rollRates,
  type SimulationReport,
  type StrategyResult,
  strategyResult,
  vintageCurves,
} from './lab/report.js';
export { reportHtml } from './lab/report-html.js';
export { type ArchetypeTrace, type RunPart, runPart, traceArchetypes } from './lab/run.js';
export {
  BASE_SCENARIO,
  closedIndustries,
  conditionsFor,
  labScenarioOf,
  type MonthConditions,
  parseScenario,
  SCENARIO_FORMAT,
  type ScenarioSpec,
  type Shock,
} from './lab/scenario.js';
export {
  type CollectionStrategy,
  DEFAULT_COLLECTIONS,
  type EclChoice,
  type LabEcl,
  parseStrategy,
  type ResolvedStrategy,
  resolveStrategy,
  STRATEGY_FORMAT,
  type StepWork,
  type StrategyDocuments,
  type StrategyFile,
  WORKED_ACTIONS,
  type WorkedAction,
} from './lab/strategy.js';
export {
  addTotals,
  emptyTotals,
  SERIES,
  type Series,
  TOTALS_FORMAT,
  type Totals,
  totalsFromText,
  totalsToText,
} from './lab/totals.js';
export { type InputIssue, SimulationInputError } from './lab/validate.js';
export {
  type ReferenceBalances,
  ReferenceLoan,
  type ReferenceOffer,
  type ReferenceOfferOutcome,
  type ReferencePayment,
  type ReferenceRestructuring,
  type ReferenceRestructuringOutcome,
  type ReferenceSpec,
} from './reference-model.js';
export { randomInt, seededId, seededRandom } from './seeded.js';
export { type SyntheticCustomer, type SyntheticRelation, syntheticCustomer } from './synthetic-people.js';
