import type { Catalogue } from '../http/messages.js';

/** The credit-report (征信) objection routes' messages (decision 0412). */
export const CREDIT_REPORT_MESSAGES = {
  dispute_not_found: { en: 'no such objection {disputeId}', zh: '没有征信异议 {disputeId}' },
  received_by_business_day: {
    en: 'an objection is received by the business day {day}',
    zh: '异议的接收日期须不晚于营业日 {day}',
  },
  on_or_before: { en: 'must be on or before {day}', zh: '须不晚于 {day}' },
  claim_says_what: { en: 'the claim must say what is wrong', zh: '异议内容须写明哪里有误' },
  must_say_what: { en: 'must say what is wrong', zh: '须写明哪里有误' },
  record_not_found: {
    en: 'no credit-report record of loan {loanId} for {month}',
    zh: '借据 {loanId} 在 {month} 没有征信报送记录',
  },
  not_investigable: {
    en: 'an objection {status} cannot be taken into investigation',
    zh: '状态为 {status} 的异议不能转入核查',
  },
  only_after_investigation: {
    en: 'an objection is {en_action}ed only after investigation; it is {status}',
    zh: '异议须经核查后才能{zh_action}；当前状态为 {status}',
  },
} as const satisfies Catalogue;
