import { copyRows } from './copy.js';
import type { Queryable } from './db.js';
import { newId } from './ids.js';
import type { PiiCipher } from './pii-cipher.js';

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

export interface Contact {
  name: string;
  relation: ContactRelation;
  phone: string;
}

export interface Address {
  province: string;
  city: string;
  /** District, street and number: personal data. */
  detail: string;
}

export interface NewCustomer {
  name: string;
  /** 居民身份证号码 resident ID number, 18 characters. */
  idNumber: string;
  phone: string;
  address: Address;
  contacts: Contact[];
  declaredMonthlyIncome_fen: number;
  externalRef: string | null;
}

export interface Customer extends NewCustomer {
  customerId: string;
  createdAt: string;
  createdBy: string;
}

/** Canonical forms used for blind indexes, so that lookups match however the value was typed. */
export function normaliseIdNumber(value: string): string {
  return value.trim().toUpperCase();
}
export function normalisePhone(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export interface CustomerRow {
  customer_id: string;
  created_at: Date;
  created_by: string;
  name_enc: string;
  id_number_enc: string;
  phone_enc: string;
  address_detail_enc: string;
  contacts_enc: string;
  province: string;
  city: string;
  declared_monthly_income_fen: number;
  external_ref: string | null;
}

const aad = (customerId: string, field: string) => `customers.${customerId}.${field}`;

function decryptRow(cipher: PiiCipher, r: CustomerRow): Customer {
  const open = (field: string, value: string) => cipher.decrypt(value, aad(r.customer_id, field));
  return {
    customerId: r.customer_id,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    name: open('name', r.name_enc),
    idNumber: open('id_number', r.id_number_enc),
    phone: open('phone', r.phone_enc),
    address: { province: r.province, city: r.city, detail: open('address_detail', r.address_detail_enc) },
    contacts: JSON.parse(open('contacts', r.contacts_enc)) as Contact[],
    declaredMonthlyIncome_fen: r.declared_monthly_income_fen,
    externalRef: r.external_ref,
  };
}

export class CustomerExistsError extends Error {
  constructor(readonly existingCustomerId: string) {
    super(`a customer with this ID number exists already: ${existingCustomerId}`);
    this.name = 'CustomerExistsError';
  }
}

/** Finds the customer holding an ID number under any configured key. */
export async function findCustomerIdByIdNumber(
  q: Queryable,
  cipher: PiiCipher,
  idNumber: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ customer_id: string }>(
    "select customer_id from customer_identities where kind = 'id_number' and blind_index = any($1::text[])",
    [cipher.blindIndexCandidates('id_number', normaliseIdNumber(idNumber))],
  );
  return rows[0]?.customer_id;
}

export async function insertCustomer(
  q: Queryable,
  cipher: PiiCipher,
  input: NewCustomer,
  createdBy: string,
): Promise<Customer> {
  const existing = await findCustomerIdByIdNumber(q, cipher, input.idNumber);
  if (existing !== undefined) throw new CustomerExistsError(existing);
  const customerId = newId('cus');
  const row = await insertSealedCustomer(
    q,
    customerId,
    sealCustomer(cipher, customerId, input),
    input,
    createdBy,
  );
  return decryptRow(cipher, row);
}

/** Writes a customer sealed already (`sealCustomer`) and its identities: one statement per table. */
export async function insertSealedCustomer(
  q: Queryable,
  customerId: string,
  sealed: ReturnType<typeof sealCustomer>,
  input: NewCustomer,
  createdBy: string,
): Promise<CustomerRow> {
  const { rows } = await q.query<CustomerRow>(
    `insert into customers (customer_id, created_by, name_enc, id_number_enc, phone_enc, address_detail_enc,
       contacts_enc, province, city, declared_monthly_income_fen, external_ref)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
    [
      customerId,
      createdBy,
      sealed.nameEnc,
      sealed.idNumberEnc,
      sealed.phoneEnc,
      sealed.addressDetailEnc,
      sealed.contactsEnc,
      input.address.province,
      input.address.city,
      input.declaredMonthlyIncome_fen,
      input.externalRef,
    ],
  );
  await q.query(
    `insert into customer_identities (kind, blind_index, customer_id)
     values ('id_number', $1, $3), ('phone', $2, $3)`,
    [sealed.idNumberIndex, sealed.phoneIndex, customerId],
  );
  return rows[0]!;
}

/** A new customer's personal data as stored: each field encrypted and bound to its row, and the blind indexes. */
export function sealCustomer(cipher: PiiCipher, customerId: string, input: NewCustomer) {
  const seal = (field: string, value: string) => cipher.encrypt(value, aad(customerId, field));
  const idNumber = normaliseIdNumber(input.idNumber);
  const phone = normalisePhone(input.phone);
  return {
    nameEnc: seal('name', input.name),
    idNumberEnc: seal('id_number', idNumber),
    phoneEnc: seal('phone', phone),
    addressDetailEnc: seal('address_detail', input.address.detail),
    contactsEnc: seal('contacts', JSON.stringify(input.contacts)),
    idNumberIndex: cipher.blindIndex('id_number', idNumber),
    phoneIndex: cipher.blindIndex('phone', phone),
  };
}

export async function findCustomer(
  q: Queryable,
  cipher: PiiCipher,
  customerId: string,
): Promise<Customer | undefined> {
  const { rows } = await q.query<CustomerRow>('select * from customers where customer_id = $1', [customerId]);
  return rows[0] === undefined ? undefined : decryptRow(cipher, rows[0]);
}

export interface CustomerQuery {
  afterId?: string;
  limit: number;
  idNumber?: string;
  phone?: string;
}

/** Customers in creation order; ID number and phone filters go through the blind indexes. */
export async function listCustomers(q: Queryable, cipher: PiiCipher, query: CustomerQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (query.afterId !== undefined) add((n) => `c.customer_id > ${n}`, query.afterId);
  if (query.idNumber !== undefined) {
    add(
      (n) =>
        `c.customer_id in (select customer_id from customer_identities where kind = 'id_number' and blind_index = any(${n}::text[]))`,
      cipher.blindIndexCandidates('id_number', normaliseIdNumber(query.idNumber)),
    );
  }
  if (query.phone !== undefined) {
    add(
      (n) =>
        `c.customer_id in (select customer_id from customer_identities where kind = 'phone' and blind_index = any(${n}::text[]))`,
      cipher.blindIndexCandidates('phone', normalisePhone(query.phone)),
    );
  }
  params.push(query.limit + 1);
  const { rows } = await q.query<CustomerRow>(
    `select c.* from customers c ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
     order by c.customer_id limit $${params.length}`,
    params,
  );
  return {
    items: rows.slice(0, query.limit).map((r) => decryptRow(cipher, r)),
    more: rows.length > query.limit,
  };
}

/**
 * Re-encrypts customers whose data was written under a retired key, `batchSize` rows per transaction,
 * and rewrites their blind indexes under the active key. Returns how many customers were rewritten.
 */
export async function reencryptCustomers(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  cipher: PiiCipher,
  batchSize: number,
): Promise<number> {
  let rewritten = 0;
  const prefix = `v1.${cipher.activeKeyId}.`;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const { rows } = await tx.query<CustomerRow>(
        `select * from customers
          where not (name_enc like $1 and id_number_enc like $1 and phone_enc like $1
                     and address_detail_enc like $1 and contacts_enc like $1)
          order by customer_id limit $2 for update`,
        [`${prefix}%`, batchSize],
      );
      for (const row of rows) {
        const c = decryptRow(cipher, row);
        const seal = (field: string, value: string) => cipher.encrypt(value, aad(c.customerId, field));
        await tx.query(
          `update customers set name_enc = $2, id_number_enc = $3, phone_enc = $4, address_detail_enc = $5,
             contacts_enc = $6 where customer_id = $1`,
          [
            c.customerId,
            seal('name', c.name),
            seal('id_number', c.idNumber),
            seal('phone', c.phone),
            seal('address_detail', c.address.detail),
            seal('contacts', JSON.stringify(c.contacts)),
          ],
        );
        await tx.query('delete from customer_identities where customer_id = $1', [c.customerId]);
        await tx.query(
          `insert into customer_identities (kind, blind_index, customer_id) values ('id_number', $1, $3), ('phone', $2, $3)`,
          [cipher.blindIndex('id_number', c.idNumber), cipher.blindIndex('phone', c.phone), c.customerId],
        );
      }
      return rows.length;
    });
    rewritten += count;
    if (count < batchSize) return rewritten;
  }
}

/**
 * Many new customers at once (an imported book), sealed as `insertCustomer` seals one, loaded with COPY:
 * the customer rows, then their identities. The ids are new; an ID number stored already fails the
 * unique index of identities and with it the caller's transaction.
 */
export async function insertCustomersInBulk(
  q: Queryable,
  cipher: PiiCipher,
  customers: readonly { customerId: string; input: NewCustomer }[],
  createdBy: string,
): Promise<number> {
  const sealed = customers.map((c) => ({ ...c, sealed: sealCustomer(cipher, c.customerId, c.input) }));
  const count = await copyRows(
    q,
    'customers',
    [
      'customer_id',
      'created_by',
      'name_enc',
      'id_number_enc',
      'phone_enc',
      'address_detail_enc',
      'contacts_enc',
      'province',
      'city',
      'declared_monthly_income_fen',
      'external_ref',
    ],
    sealed.map(({ customerId, input, sealed: s }) => [
      customerId,
      createdBy,
      s.nameEnc,
      s.idNumberEnc,
      s.phoneEnc,
      s.addressDetailEnc,
      s.contactsEnc,
      input.address.province,
      input.address.city,
      input.declaredMonthlyIncome_fen,
      input.externalRef,
    ]),
  );
  await copyRows(
    q,
    'customer_identities',
    ['kind', 'blind_index', 'customer_id'],
    sealed.flatMap(({ customerId, sealed: s }) => [
      ['id_number', s.idNumberIndex, customerId],
      ['phone', s.phoneIndex, customerId],
    ]),
  );
  return count;
}

/** The customers holding these ID numbers (under any configured key), by normalised ID number. */
export async function findCustomerIdsByIdNumbers(
  q: Queryable,
  cipher: PiiCipher,
  idNumbers: readonly string[],
): Promise<Map<string, string>> {
  const byIndex = new Map<string, string>();
  for (const id of idNumbers) {
    const normal = normaliseIdNumber(id);
    for (const candidate of cipher.blindIndexCandidates('id_number', normal)) byIndex.set(candidate, normal);
  }
  const found = new Map<string, string>();
  if (byIndex.size === 0) return found;
  const { rows } = await q.query<{ blind_index: string; customer_id: string }>(
    "select blind_index, customer_id from customer_identities where kind = 'id_number' and blind_index = any($1::text[])",
    [[...byIndex.keys()]],
  );
  for (const r of rows) {
    const idNumber = byIndex.get(r.blind_index);
    if (idNumber !== undefined) found.set(idNumber, r.customer_id);
  }
  return found;
}

/** A customer's phone number, decrypted (for a message about to be sent; never logged), or undefined. */
export async function customerPhone(
  q: Queryable,
  cipher: PiiCipher,
  customerId: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ phone_enc: string }>(
    'select phone_enc from customers where customer_id = $1',
    [customerId],
  );
  const enc = rows[0]?.phone_enc;
  return enc === undefined ? undefined : cipher.decrypt(enc, aad(customerId, 'phone'));
}
