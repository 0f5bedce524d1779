/** store/behaviour: the book read as behaviour histories, the monthly behaviour scores and limit reviews. */
export {
  deleteFoldsBefore,
  deleteMonthFolds,
  hasMonthFolds,
  insertMonthFolds,
  saveFoldMonth,
} from './folds.js';
export {
  BEHAVIOUR_CUSTOMERS_PER_PAGE,
  type BehaviourPage,
  type FoldedPageSource,
  type FoldsSuperseded,
  forEachBehaviourPage,
  loadBehaviourPage,
  loadFoldedBehaviourPage,
  type PageFold,
} from './history.js';
export {
  deletePendingProposals,
  insertProposals,
  LIMIT_PROPOSALS_DECIDED_MAX,
  LIMIT_PROPOSALS_PAGE_MAX,
  listProposals,
  lockProposals,
  type ProposalQuery,
  type ProposalStatus,
  proposalIdOf,
  type ScoredLine,
  type StoredLimitProposal,
  scoredLinesPage,
  setProposalStatus,
} from './limit-reviews.js';
export {
  type BehaviourScoreRow,
  CUSTOMER_SCORE_MONTHS_MAX,
  customerInBook,
  customerScores,
  deleteMonthScores,
  insertBehaviourScores,
  latestCustomerScores,
  lineScores,
  listScoreMonths,
  monthScores,
  type StoredLineScore,
  type StoredScoreMonth,
  saveScoreMonth,
} from './scores.js';
