import type { Catalogue } from '../http/messages.js';

/** The ledger routes' own messages (decision 0412). */
export const LEDGER_MESSAGES = {
  loan_not_found: {
    en: 'There is no loan {loanId}; list loans with GET /loans.',
    zh: '没有借据 {loanId}；用 GET /loans 列出借据。',
  },
  no_such_loan: { en: 'no such loan', zh: '没有这笔借据' },
  line_not_found: {
    en: 'There is no credit line {lineId}; list lines with GET /credit-lines.',
    zh: '没有授信额度 {lineId}；用 GET /credit-lines 列出授信额度。',
  },
  no_such_line: { en: 'no such credit line', zh: '没有这个授信额度' },
  product_not_found: {
    en: 'There is no product {productId}; list products with GET /products.',
    zh: '没有产品 {productId}；用 GET /products 列出产品。',
  },
  no_such_product: { en: 'no such product (or version)', zh: '没有这个产品（或版本）' },
  customer_not_found: {
    en: 'There is no customer {customerId}; find customers with GET /customers.',
    zh: '没有客户 {customerId}；用 GET /customers 查找客户。',
  },
  no_such_customer: { en: 'no such customer', zh: '没有这个客户' },
  fix_date: { en: 'Fix this date and send again: {en_fault}', zh: '请修改此日期后重新发送：{zh_fault}' },
  money_in_future: {
    en: '{date} is after the business day {businessDay}; money cannot be received in the future — give {businessDay} or earlier',
    zh: '{date} 晚于营业日 {businessDay}；不能收取未来的款项——请填 {businessDay} 或更早的日期',
  },
  on_or_before: { en: 'must be on or before {date}', zh: '不得晚于 {date}' },
  backdated_too_far: {
    en: '{date} is more than {days} days before the business day {businessDay}; give {earliest} or later',
    zh: '{date} 早于营业日 {businessDay} 超过 {days} 天；请填 {earliest} 或更晚的日期',
  },
  on_or_after: { en: 'must be on or after {date}', zh: '不得早于 {date}' },
  after_drawdown: {
    en: 'date must be after the drawdown day {startDay}',
    zh: '日期须晚于放款日 {startDay}',
  },
  must_be_after: { en: 'must be after {date}', zh: '须晚于 {date}' },
  range_reversed: {
    en: '{fromName} {from} is after {toName} {to}; swap them',
    zh: '{fromName} {from} 晚于 {toName} {to}；请交换两者',
  },
  on_or_before_field: { en: 'must be on or before {toName}', zh: '不得晚于 {toName}' },
  loan_cursor_invalid: {
    en: 'The cursor belongs to another sort order or is not one this API gave out; pass nextCursor from the previous page with the same sort and order, or omit it to start over.',
    zh: '该游标属于另一种排序或不是本 API 给出的；请以相同的排序传入上一页的 nextCursor，或省略它从头开始。',
  },
  loan_cursor_not_of_list: { en: 'not a cursor of this list and order', zh: '不是此列表与排序的游标' },
  line_events_ahead: {
    en: 'credit line {lineId} already has events on {eventDay}, after the business day {businessDay}; draw once the business day reaches it',
    zh: '授信额度 {lineId} 在 {eventDay} 已有事件，晚于营业日 {businessDay}；请在营业日到达该日后再借款',
  },
  loan_settled_impact: {
    en: 'Loan {loanId} is settled; nothing can stay overdue. Pick an active loan.',
    zh: '借据 {loanId} 已结清，不会再逾期。请选择一笔未结清的借据。',
  },
  is_settled: { en: 'is settled', zh: '已结清' },
  as_of_refused: { en: 'asOf: {en_fault}', zh: '回放日期 asOf：{zh_fault}' },
  product_fix: { en: 'Fix the product and send again: {en_fault}', zh: '请修改产品后重新发送：{zh_fault}' },
  ledger_refused: { en: '{en_fault} ({code})', zh: '{zh_fault}（{code}）' },
  line_frozen: {
    en: 'credit line {lineId} is frozen{en_since}: {en_reason}. No drawdown is possible {en_until}.',
    zh: '额度 {lineId} 已冻结{zh_since}：{zh_reason}。{zh_until}前不能提款。',
  },
  line_frozen_field: { en: 'frozen: {code}', zh: '已冻结：{code}' },
  restructuring_not_found: {
    en: 'Loan {loanId} has no restructuring {restructuringId}; list them with GET /loans/{loanId}/restructurings.',
    zh: '借据 {loanId} 没有重组 {restructuringId}；用 GET /loans/{loanId}/restructurings 列出。',
  },
  no_such_restructuring: { en: 'no such restructuring of this loan', zh: '该借据没有这个重组' },
  restructuring_status_conflict: {
    en: 'Restructuring {restructuringId} is {status}; only a pending one can be approved or rejected.',
    zh: '重组 {restructuringId} 的状态为 {status}；只有待审批的重组可以批准或拒绝。',
  },
  restructuring_by_proposer: {
    en: 'You proposed restructuring {restructuringId}; another risk analyst or an admin must approve it.',
    zh: '重组 {restructuringId} 由您提出；须由另一位风险分析师或管理员批准。',
  },
  write_off_loan_not_found: {
    en: 'no such loan: {loanId}; list loans with GET /loans',
    zh: '没有借据 {loanId}；用 GET /loans 列出借据。',
  },
  write_off_refused: { en: '{en_fault}', zh: '{zh_fault}' },
  settlement_valid_through: {
    en: 'validThrough {date} is outside {from} to {through}: an offer runs from the business day for at most {days} days.',
    zh: '有效期 validThrough {date} 不在 {from} 至 {through} 之间：结清方案自营业日起最长 {days} 天。',
  },
  between_dates: { en: 'must be from {from} to {through}', zh: '须在 {from} 至 {through} 之间' },
  settlement_offer_not_found: {
    en: 'Loan {loanId} has no settlement offer {offerId}; list them with GET /loans/{loanId}/settlement-offers.',
    zh: '借据 {loanId} 没有结清方案 {offerId}；用 GET /loans/{loanId}/settlement-offers 列出。',
  },
  no_such_settlement_offer: { en: 'no such settlement offer of this loan', zh: '该借据没有这个结清方案' },
  settlement_offer_status_conflict: {
    en: 'Settlement offer {offerId} is {status}; only a pending one can be approved or rejected.',
    zh: '结清方案 {offerId} 的状态为 {status}；只有待审批的方案可以批准或拒绝。',
  },
  settlement_response_not_in_force: {
    en: "Settlement offer {offerId} is not in force ({state}); the borrower's answer is recorded only for an offer made and neither paid nor lapsed.",
    zh: '结清方案 {offerId} 不在有效期内（{state}）；只有已生效且未还清、未失效的方案可以登记借款人的答复。',
  },
  settlement_by_proposer: {
    en: 'You proposed settlement offer {offerId}; another risk analyst or an admin must approve it.',
    zh: '结清方案 {offerId} 由您提出；须由另一位风险分析师或管理员批准。',
  },
} as const satisfies Catalogue;
