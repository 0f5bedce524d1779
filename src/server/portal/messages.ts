import type { Catalogue } from '../http/messages.js';

/** The borrower portal's messages (docs/portal.md). */
export const PORTAL_MESSAGES = {
  otp_sms_body: {
    en: 'Your Lendguard sign-in code is {code}. It expires in {minutes} minutes. Never tell it to anyone, including staff.',
    zh: '您的 Lendguard 登录验证码为 {code}，{minutes} 分钟内有效。请勿将验证码告诉任何人，包括工作人员。',
  },
  phone_rate_limited: {
    en: 'Too many codes were asked for this phone number ({max} in {window} minutes); try again in {seconds} s.',
    zh: '该手机号请求验证码次数过多（{window} 分钟内 {max} 次）；请 {seconds} 秒后重试。',
  },
  phone_resend_too_soon: {
    en: 'A code was sent to this phone number less than {interval} s ago; wait {seconds} s before asking again.',
    zh: '验证码已在 {interval} 秒内发送到该手机号；请等待 {seconds} 秒后再请求。',
  },
  address_rate_limited: {
    en: 'Too many codes were asked from your network address ({max} in {window} minutes); try again in {seconds} s.',
    zh: '您的网络地址请求验证码次数过多（{window} 分钟内 {max} 次）；请 {seconds} 秒后重试。',
  },
  code_wrong: {
    en: 'The code is not right; {remaining} tries left. Check the text message and type the six digits again.',
    zh: '验证码不正确；还可尝试 {remaining} 次。请核对短信后重新输入六位数字。',
  },
  code_expired: {
    en: 'This code has expired or was used already; ask for a new code.',
    zh: '该验证码已过期或已使用；请重新获取验证码。',
  },
  code_attempts_exceeded: {
    en: 'The code was typed wrong {max} times and no longer works; ask for a new code.',
    zh: '验证码已输错 {max} 次，已失效；请重新获取验证码。',
  },
  code_field: { en: 'six digits from the text message', zh: '短信中的六位数字' },
  challenge_field: { en: 'no such sign-in code request', zh: '没有这次验证码请求' },
  borrower_token_missing: {
    en: 'Sign in first: send "Authorization: Bearer <token>" with the token from POST /portal/sign-in.',
    zh: '请先登录：在请求头 "Authorization: Bearer <token>" 中发送 POST /portal/sign-in 返回的令牌。',
  },
  borrower_token_invalid: {
    en: 'Your sign-in has ended (expired, signed out or revoked), or this is not a borrower token; sign in again.',
    zh: '您的登录已失效（已过期、已退出或已被撤销），或这不是借款人令牌；请重新登录。',
  },
  session_not_found: {
    en: 'Customer {customerId} has no portal session {sessionId}; list them with GET /customers/{customerId}/portal-sessions.',
    zh: '客户 {customerId} 没有门户会话 {sessionId}；用 GET /customers/{customerId}/portal-sessions 查看。',
  },
  no_such_session: { en: 'no such session of this customer', zh: '该客户没有这个会话' },
  loan_not_yours: {
    en: 'You have no loan {loanId}; your loans are listed at GET /portal/loans.',
    zh: '您没有借据 {loanId}；您的借款见 GET /portal/loans。',
  },
  loan_closed: {
    en: 'Loan {loanId} is closed (settled or written off): nothing more is due on it, so there is no overdue path to show.',
    zh: '借款 {loanId} 已结清或已核销：无需再还款，因此没有逾期后果可显示。',
  },
  payments_unavailable: {
    en: 'Repayments from the portal are not available here: no payment gateway is set up. Repay through your usual channel.',
    zh: '此处暂不支持在线还款：未配置支付通道。请通过您常用的渠道还款。',
  },
  key_invalid: {
    en: 'The Idempotency-Key header must be 1 to 128 letters, digits or _ . : -; send a fresh UUID per payment.',
    zh: 'Idempotency-Key 请求头须为 1 至 128 个字母、数字或 _ . : -；每笔还款请发送新的 UUID。',
  },
  key_chars: { en: 'letters, digits, _ . : - only', zh: '只能包含字母、数字和 _ . : -' },
  key_reused: {
    en: 'This Idempotency-Key started another payment already; send a fresh key for a new payment.',
    zh: '该 Idempotency-Key 已用于另一笔还款；新的还款请使用新的键值。',
  },
  nothing_to_pay: {
    en: 'There is nothing to pay as "{purpose}" on this loan today; look at the repayment quote again.',
    zh: '该借款今日没有"{purpose}"类的应还金额；请重新查看还款报价。',
  },
  purpose_not_offered: { en: 'not offered today', zh: '今日不可选' },
  quote_changed: {
    en: 'The amount due has changed since it was shown: it is now {amount}. Look at the quote again and confirm.',
    zh: '应还金额在显示后已变化：现为 {amount}。请重新查看报价并确认。',
  },
  amount_now: { en: 'is now {amount}', zh: '现为 {amount}' },
  payment_not_found: {
    en: 'There is no such payment of yours; your payments are started from a loan’s repayment page.',
    zh: '没有您的这笔还款；还款请从借款的还款页面发起。',
  },
  no_such_payment: { en: 'no such payment', zh: '没有这笔还款' },
  callback_signature: {
    en: 'The callback is not signed by the payment gateway (signature or timestamp missing, wrong or too old); nothing was recorded.',
    zh: '回调未经支付通道签名（签名或时间戳缺失、错误或过旧）；未记录任何内容。',
  },
  callback_mismatch: {
    en: 'The callback does not match the payment (gateway payment id, amount, currency or an outcome recorded before); nothing was recorded.',
    zh: '回调与该笔还款不符（通道支付号、金额、币种或此前记录的结果）；未记录任何内容。',
  },
  no_such_loan: { en: 'not one of your loans', zh: '不是您的借款' },
} as const satisfies Catalogue;
