import type { Application, PersonalDataField } from './types.js';

/** Fields of an application that are personal data: the shell encrypts them at rest and masks them in views. */
export const PERSONAL_DATA_FIELDS: readonly PersonalDataField[] = [
  { path: 'identity.name', kind: 'name' },
  { path: 'identity.idNumber', kind: 'id-number' },
  { path: 'identity.phone', kind: 'phone' },
  { path: 'address.detail', kind: 'address-detail' },
  { path: 'contacts[].name', kind: 'name' },
  { path: 'contacts[].phone', kind: 'phone' },
  { path: 'device.deviceId', kind: 'device' },
  { path: 'device.ip', kind: 'ip' },
  { path: 'device.sim', kind: 'sim' },
];

/** Checks an application as received (JSON, amounts as yuan strings) and returns it validated, amounts in fen. */
export function validateApplication(_raw: unknown): Application {
  throw new Error('not implemented yet');
}
