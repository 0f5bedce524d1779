/** Revolving credit lines (授信额度): limit, used, available, status, and drawdowns against them. */

export { drawdown } from './drawdown.js';
export {
  applyLineEvent,
  assertLineConsistent,
  availableMinor,
  CREDIT_LIMIT_MINOR_MAX,
  CreditLineError,
  type CreditLineEvent,
  type CreditLineState,
  type CreditLineStatus,
  changeLimit,
  closeLine,
  drawOnLine,
  foldLineEvents,
  freezeLine,
  openLine,
  syncLoanPrincipal,
  unfreezeLine,
} from './line.js';
