/**
 * monitoring/ (贷后监控): the watch over loans once they are on the book — line controls (额度管控) so far;
 * early-warning signals, score and population drift to follow. The measures it will use (PSI, KS, AUC)
 * live in scoring/, the delinquency buckets in ledger/. It may import money/, ledger/, scoring/ and
 * origination/ (decision 0011).
 */
export { DEFAULT_LINE_CONTROLS } from './default-line-controls.js';
export {
  type CompiledLineControls,
  compileLineControls,
  evaluateLineControls,
  LINE_CONTROL_ACTIONS,
  type LineControlAction,
  type LineControlChange,
  type LineControlDecision,
  LineControlError,
  type LineControlFacts,
  type LineControlPlan,
  lineControlFactsOf,
  planLineControl,
  severest,
} from './line-controls.js';
