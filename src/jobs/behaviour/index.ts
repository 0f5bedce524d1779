export {
  BehaviourJobError,
  buildBehaviourTable,
  type LoadedBehaviourModel,
  loadBehaviourModel,
  parseMonth,
  type ScoreMonthOptions,
  type ScoreMonthReport,
  SHIPPED_BEHAVIOUR_MODEL,
  SHIPPED_BEHAVIOUR_REFERENCE,
  scoreBehaviourMonth,
  shippedBehaviourModel,
} from './score-month.js';
