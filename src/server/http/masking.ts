import type { Address, Contact } from '../../store/index.js';

/**
 * Masking of personal data for roles that may not see it (or did not ask to).
 * ID number and phone: first 3 and last 4 characters; name: family name then one * per other
 * character; address: province and city only.
 */

function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

export const maskIdNumber = (value: string): string => keepEnds(value, 3, 4);
export const maskPhone = (value: string): string => keepEnds(value, 3, 4);

/** Chinese names: the first character is the family name. Latin names: the first word. */
export function maskName(value: string): string {
  const trimmed = value.trim();
  if (/\s/.test(trimmed)) {
    const [family, ...rest] = trimmed.split(/\s+/);
    return [family, ...rest.map((w) => '*'.repeat([...w].length))].join(' ');
  }
  const chars = [...trimmed];
  return chars[0] === undefined ? '' : chars[0] + '*'.repeat(chars.length - 1);
}

export function maskAddress(address: Address): { province: string; city: string } {
  return { province: address.province, city: address.city };
}

export function maskContact(contact: Contact): Contact {
  return { name: maskName(contact.name), relation: contact.relation, phone: maskPhone(contact.phone) };
}
