/** store/behaviour: the book read as behaviour histories, the monthly behaviour scores and limit reviews. */
export { BEHAVIOUR_CUSTOMERS_PER_PAGE, forEachBehaviourPage, loadBehaviourPage } from './history.js';
export {
  type BehaviourScoreRow,
  deleteMonthScores,
  insertBehaviourScores,
  lineScores,
  listScoreMonths,
  monthScores,
  type StoredLineScore,
  type StoredScoreMonth,
  saveScoreMonth,
} from './scores.js';
