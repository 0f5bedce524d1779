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
  id_number_form: {
    en: 'must be 18 characters: 17 digits then a digit or X',
    zh: '须为 18 位：17 位数字后跟一位数字或 X',
  },
  id_number_birth_not_a_date: {
    en: 'holds birth date {birth}, which is not a calendar date',
    zh: '其中的出生日期 {birth} 不是有效日期',
  },
  id_number_birth_out_of_range: {
    en: 'holds birth date {birth}, which is outside {from} to {to}',
    zh: '其中的出生日期 {birth} 不在 {from} 至 {to} 之间',
  },
  id_number_check_character: {
    en: 'has a wrong check character (last character); check for a typo',
    zh: '校验码（最后一位）错误；请检查是否输入有误',
  },
  collector_unmask_forbidden: {
    en: "A collector sees a borrower's personal data only while the borrower's open collection case is assigned to them, or (a team lead) to a collector of a team they lead; drop ?unmask=true, or have the case assigned to you.",
    zh: '催收员只有在借款人的未结催收案件分配给自己（或作为组长，分配给其所带小组的催收员）时才能查看其个人信息；请去掉 ?unmask=true，或请求将案件分配给您。',
  },
  no_case_assigned: {
    en: 'no open case of this borrower is assigned to you or to a collector of a team you lead',
    zh: '该借款人没有分配给您或您所带小组催收员的未结案件',
  },
} as const satisfies Catalogue;
