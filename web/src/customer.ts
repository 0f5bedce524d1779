import type { ItemOf } from './api-types.js';

/** A customer as GET /customers answers it (personal data masked unless asked and allowed). */
export type Customer = ItemOf<'/customers'>;

export const CONTACT_RELATIONS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'relative',
  'friend',
  'colleague',
] as const;
export type ContactRelation = (typeof CONTACT_RELATIONS)[number];
/** Most emergency contacts the API keeps per customer. */
export const CONTACTS_MAX = 5;

export const PHONE_PATTERN = /^1[3-9][0-9]{9}$/;
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)(?:\.[0-9]{1,2})?$/;
export const EXTERNAL_REF_PATTERN = /^[A-Za-z0-9_.:-]+$/;

const ID_NUMBER_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_NUMBER_CHECK = '10X98765432';
const BIRTH_DATE_MIN = '1900-01-01';

export type IdNumberProblem = { kind: 'form' } | { kind: 'date'; date: string } | { kind: 'check' };

/** The same checks as the API's (src/server/customers/routes.ts): form, birth date, MOD 11-2 check. */
export function idNumberProblem(value: string, today: string): IdNumberProblem | undefined {
  const id = value.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return { kind: 'form' };
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const parsed = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth) {
    return { kind: 'date', date: birth };
  }
  if (birth < BIRTH_DATE_MIN || birth > today) return { kind: 'date', date: birth };
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += ID_NUMBER_WEIGHTS[i]! * Number(id[i]);
  return ID_NUMBER_CHECK[sum % 11] === id[17] ? undefined : { kind: 'check' };
}

/** Which search a text is: an ID number (18 characters) or a mobile number; undefined if neither. */
export function customerSearch(text: string): { idNumber: string } | { phone: string } | undefined {
  const value = text.trim().toUpperCase();
  if (PHONE_PATTERN.test(value)) return { phone: value };
  if (/^[0-9]{17}[0-9X]$/.test(value)) return { idNumber: value };
  return undefined;
}
