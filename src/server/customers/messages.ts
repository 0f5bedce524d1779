import type { Catalogue } from '../http/messages.js';

/** The customer routes' messages (decision 0412). */
export const CUSTOMER_MESSAGES = {
  customer_not_found: {
    en: 'There is no customer {customerId}; find customers with GET /customers.',
    zh: '没有客户 {customerId}；用 GET /customers 查找客户。',
  },
  no_such_customer: { en: 'no such customer', zh: '没有这个客户' },
  customer_exists: {
    en: 'A customer with this ID number exists already ({customerId}); use that customer.',
    zh: '该证件号码的客户已存在（{customerId}）；请使用该客户。',
  },
  id_number_belongs_to: { en: 'belongs to {customerId}', zh: '属于 {customerId}' },
} as const satisfies Catalogue;
