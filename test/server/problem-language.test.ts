/**
 * Problems in the request's language (decision 0412): the same refusal answered in English by default or
 * for `Accept-Language: en`, in Chinese for `zh-CN`, with the same code, status and field paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate } from '../../src/money/index.js';
import { readShippedPolicy } from '../../src/server/origination/support.js';
import { type Db, type Role, setBusinessDay } from '../../src/store/index.js';
import { backends, dumpTables, openMigrated } from '../store/backends.js';
import { auth, freshKey, idNumberFor, json, startApi, type TestApi, validCustomer } from './helpers.js';
import { applicant, patched } from './origination-helpers.js';

/** An application whose ID number has a wrong check character (the 18th). */
function wrongCheckCharacter(): Record<string, unknown> {
  const good = idNumberFor(71);
  const wrong = `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`;
  return patched(applicant(71), { identity: { idNumber: wrong } });
}

const HAN = /\p{Script=Han}/u;
const UNKNOWN_LOAN = 'ln_0192f3a4b5c6d7e8f9a0b1c2d3e4';

interface Case {
  name: string;
  method: 'GET' | 'POST';
  url: (loanId: string, customerId: string) => string;
  as: Role | null;
  payload?: unknown;
  code: string;
  path?: string;
  en: RegExp;
  zh: RegExp;
  zhField?: RegExp;
}

const cases: Case[] = [
  {
    name: 'ledger: a negative repayment',
    method: 'POST',
    url: (loanId) => `/loans/${loanId}/repayments`,
    as: 'collector',
    payload: { amount: '-5.00' },
    code: 'amount_invalid',
    path: '/body/amount',
    en: /amount must be positive/,
    zh: /amount 必须为正数/,
    zhField: /^必须为正数/,
  },
  {
    name: 'ledger: an amount with three decimals',
    method: 'POST',
    url: (loanId) => `/loans/${loanId}/repayments`,
    as: 'collector',
    payload: { amount: '1.005' },
    code: 'amount_invalid',
    path: '/body/amount',
    en: /more than 2 decimal places/,
    zh: /小数位过多/,
  },
  {
    name: 'ledger: no such loan',
    method: 'GET',
    url: () => `/loans/${UNKNOWN_LOAN}`,
    as: 'collector',
    code: 'loan_not_found',
    path: '/path/loanId',
    en: new RegExp(`There is no loan ${UNKNOWN_LOAN}`),
    zh: new RegExp(`没有借据 ${UNKNOWN_LOAN}`),
    zhField: /没有这笔借据/,
  },
  {
    name: 'ledger: a loan id of the wrong form',
    method: 'GET',
    url: () => '/loans/nope',
    as: 'collector',
    code: 'validation_failed',
    path: '/path/loanId',
    en: /no such loan \(loan ids are a short prefix/,
    zh: /没有这个借据/,
  },
  {
    name: 'ledger: a repayment dated in the future',
    method: 'POST',
    url: (loanId) => `/loans/${loanId}/repayments`,
    as: 'collector',
    payload: { amount: '1.00', effectiveDate: '2026-07-01' },
    code: 'date_out_of_range',
    path: '/body/effectiveDate',
    en: /after the business day 2026-06-15/,
    zh: /晚于营业日 2026-06-15/,
  },
  {
    name: 'validation: an unknown field',
    method: 'POST',
    url: (loanId) => `/loans/${loanId}/repayments`,
    as: 'collector',
    payload: { amount: '1.00', amout: '1.00' },
    code: 'validation_failed',
    path: '/body/amout',
    en: /Fix these fields and send again: \/body\/amout: is not a known field/,
    zh: /请修改以下字段后重新发送：\/body\/amout: 不是已知字段/,
    zhField: /^不是已知字段/,
  },
  {
    name: 'validation: a phone number of the wrong form',
    method: 'POST',
    url: () => '/customers',
    as: 'admin',
    payload: validCustomer({ idNumber: idNumberFor(41), phone: '12345' }),
    code: 'validation_failed',
    path: '/body/phone',
    en: /must be a mainland mobile number/,
    zh: /中国大陆手机号/,
  },
  {
    name: 'customers: no such customer',
    method: 'GET',
    url: () => '/customers/cu_0192f3a4b5c6d7e8f9a0b1c2d3e4',
    as: 'admin',
    code: 'customer_not_found',
    path: '/path/customerId',
    en: /There is no customer/,
    zh: /没有客户 cu_/,
  },
  {
    name: 'customers: a declared income with three decimals',
    method: 'POST',
    url: () => '/customers',
    as: 'admin',
    payload: validCustomer({ idNumber: idNumberFor(42), declaredMonthlyIncome: '1.234' }),
    code: 'amount_invalid',
    path: '/body/declaredMonthlyIncome',
    en: /declaredMonthlyIncome has more than 2 decimal places/,
    zh: /declaredMonthlyIncome 小数位过多/,
  },
  {
    name: 'origination: no such application',
    method: 'GET',
    url: () => '/applications/ap_0192f3a4b5c6d7e8f9a0b1c2d3e4',
    as: 'risk_analyst',
    code: 'application_not_found',
    path: '/path/applicationId',
    en: /There is no application/,
    zh: /没有申请 ap_/,
  },
  {
    name: 'ledger: no such restructuring',
    method: 'POST',
    url: (loanId) => `/loans/${loanId}/restructurings/rs_0192f3a4b5c6d7e8f9a0b1c2d3e4/approve`,
    as: 'risk_analyst',
    payload: {},
    code: 'restructuring_not_found',
    path: '/path/restructuringId',
    en: /has no restructuring rs_/,
    zh: /没有重组 rs_/,
    zhField: /该借据没有这个重组/,
  },
  {
    name: 'reminders: a webhook URL with a password',
    method: 'POST',
    url: () => '/webhook-subscriptions',
    as: 'admin',
    payload: { url: 'https://user:pw@example.com/hook', eventTypes: ['loan.past_due'] },
    code: 'validation_failed',
    path: '/body/url',
    en: /carries a user name or password/,
    zh: /包含用户名或密码/,
    zhField: /包含用户名或密码/,
  },
  {
    name: 'origination: a decision list from after its end',
    method: 'GET',
    url: () => '/decisions?decidedFrom=2026-06-10&decidedTo=2026-06-01',
    as: 'risk_analyst',
    code: 'date_out_of_range',
    path: '/query/decidedFrom',
    en: /decidedFrom 2026-06-10 is after decidedTo 2026-06-01; swap them/,
    zh: /晚于 decidedTo 2026-06-01；请对调两者/,
    zhField: /须不晚于 decidedTo/,
  },
  {
    name: 'collections: no such case',
    method: 'GET',
    url: () => '/collections/cases/cc_0192f3a4b5c6d7e8f9a0b1c2d3e4',
    as: 'collector',
    code: 'case_not_found',
    en: /^no such collection case cc_0192f3a4b5c6d7e8f9a0b1c2d3e4$/,
    zh: /^没有催收案件 cc_0192f3a4b5c6d7e8f9a0b1c2d3e4$/,
  },
  {
    name: 'complaints: no such complaint',
    method: 'GET',
    url: () => '/complaints/cp_0192f3a4b5c6d7e8f9a0b1c2d3e4',
    as: 'compliance',
    code: 'complaint_not_found',
    en: /^no such complaint cp_0192f3a4b5c6d7e8f9a0b1c2d3e4$/,
    zh: /^没有投诉 cp_0192f3a4b5c6d7e8f9a0b1c2d3e4$/,
  },
  {
    name: 'credit reports: no such objection',
    method: 'GET',
    url: () => '/credit-reports/disputes/cd_0192f3a4b5c6d7e8f9a0b1c2d3e4',
    as: 'compliance',
    code: 'dispute_not_found',
    en: /^no such objection cd_/,
    zh: /^没有征信异议 cd_/,
  },
  {
    name: 'reports: an unknown report kind',
    method: 'GET',
    url: () => '/reports/no-such-kind?asOf=2026-05-31',
    as: 'risk_analyst',
    code: 'report_kind_unknown',
    path: '/path/kind',
    en: /no report kind "no-such-kind"; the kinds are classification, /,
    zh: /^没有这种报表；报表种类为：classification, /,
    zhField: /^没有这种报表/,
  },
  {
    name: 'monitoring: no such signal',
    method: 'POST',
    url: () => '/signals/sg_0192f3a4b5c6d7e8f9a0b1c2d3e4/acknowledge',
    as: 'risk_analyst',
    payload: {},
    code: 'signal_not_found',
    path: '/params/signalId',
    en: /^No signal sg_0192f3a4b5c6d7e8f9a0b1c2d3e4\. The watchlist is GET \/signals\.$/,
    zh: /^没有预警信号 sg_0192f3a4b5c6d7e8f9a0b1c2d3e4。预警名单见 GET \/signals。$/,
    zhField: /^不存在$/,
  },
  {
    name: 'kernel: no token',
    method: 'GET',
    url: () => '/loans',
    as: null,
    code: 'unauthenticated',
    en: /Send an API token/,
    zh: /请在请求头 "Authorization: Bearer <token>" 中发送 API 令牌/,
  },
  {
    name: 'kernel: a role that may not',
    method: 'POST',
    url: () => '/products',
    as: 'collector',
    payload: { id: 'x-1', termCount: 6 },
    code: 'forbidden',
    en: /Your role collector may not POST \/products/,
    zh: /你的角色 collector 无权执行 POST \/products/,
  },
  {
    name: 'origination: an ID number with a wrong check character',
    method: 'POST',
    url: () => '/applications',
    as: 'risk_analyst',
    payload: wrongCheckCharacter(),
    code: 'application_invalid',
    path: '/body/identity/idNumber',
    en: /identity\/idNumber/,
    zh: /校验码（第 18 位）不正确/,
    zhField: /^校验码（第 18 位）不正确/,
  },
  {
    name: 'origination: a policy of another format version',
    method: 'POST',
    url: () => '/policies',
    as: 'risk_analyst',
    payload: { ...readShippedPolicy(), version: 'zh-check-1', formatVersion: 99 },
    code: 'policy_invalid',
    path: '/body/formatVersion',
    en: /formatVersion: is 99; this version reads format version/,
    zh: /formatVersion：取值 99 无效；本版本读取格式版本/,
    zhField: /^取值 99 无效/,
  },
  {
    name: 'kernel: no such route',
    method: 'GET',
    url: () => '/no-such-route',
    as: 'admin',
    code: 'route_not_found',
    en: /There is no route GET \/no-such-route/,
    zh: /没有路由 GET \/no-such-route/,
  },
];

describe.each(backends)('problems in the language asked for, on $name', (backend) => {
  let db: Db;
  let api: TestApi;
  let loanId: string;
  let customerId: string;

  async function post(role: Role, url: string, payload: object) {
    const res = await api.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(api.tokens[role]), 'idempotency-key': freshKey() },
      payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return json(res);
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    api = await startApi(db);
    await setBusinessDay(db, parseDate('2026-06-01'));
    customerId = (await post('admin', '/customers', validCustomer({ idNumber: idNumberFor(40) })))
      .customerId as string;
    await post('risk_analyst', '/products', { id: 'cash-6m', termCount: 6 });
    const lineId = (
      await post('risk_analyst', `/customers/${customerId}/credit-lines`, { limit: '10000.00' })
    ).lineId as string;
    loanId = (
      await post('admin', `/credit-lines/${lineId}/drawdowns`, { amount: '6000.00', productId: 'cash-6m' })
    ).loanId as string;
    await setBusinessDay(db, parseDate('2026-06-15'));
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  async function ask(c: Case, acceptLanguage: string | undefined) {
    const headers: Record<string, string> = {};
    if (c.as !== null) Object.assign(headers, auth(api.tokens[c.as]));
    if (c.method === 'POST') headers['idempotency-key'] = freshKey();
    if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
    return api.app.inject({
      method: c.method,
      url: c.url(loanId, customerId),
      headers,
      ...(c.payload === undefined ? {} : { payload: c.payload as object }),
    });
  }

  it.each(cases)('$name: the same code in English and Chinese, nothing written', async (c) => {
    const before = await dumpTables(db);
    const plain = await ask(c, undefined);
    const en = await ask(c, 'en-GB,en;q=0.9');
    const zh = await ask(c, 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(await dumpTables(db)).toEqual(before);

    for (const res of [plain, en, zh]) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(json(res).code, res.body).toBe(c.code);
      expect(res.headers.vary).toMatch(/Accept-Language/i);
    }
    expect(plain.statusCode).toBe(zh.statusCode);
    expect(json(plain).detail).toBe(json(en).detail);
    expect(plain.headers['content-language']).toBe('en');
    expect(zh.headers['content-language']).toBe('zh-CN');

    const enBody = json(en) as {
      title: string;
      detail: string;
      errors?: { path: string; message: string }[];
    };
    const zhBody = json(zh) as typeof enBody;
    expect(enBody.detail).toMatch(c.en);
    expect(enBody.detail).not.toMatch(HAN);
    expect(enBody.title).not.toMatch(HAN);
    expect(zhBody.detail).toMatch(c.zh);
    expect(zhBody.title).toMatch(HAN);
    expect((zhBody.errors ?? []).map((e) => e.path)).toEqual((enBody.errors ?? []).map((e) => e.path));
    if (c.path !== undefined) {
      const zhField = zhBody.errors?.find((e) => e.path === c.path);
      expect(zhField, zh.body).toBeDefined();
      expect(zhField?.message).toMatch(c.zhField ?? HAN);
      expect(enBody.errors?.find((e) => e.path === c.path)?.message).not.toMatch(HAN);
    }
  });
});
