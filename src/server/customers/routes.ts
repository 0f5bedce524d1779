import type { FastifyInstance } from 'fastify';
import { formatMinor } from '../../money/index.js';
import {
  appendAudit,
  CONTACT_RELATIONS,
  type Contact,
  type Customer,
  CustomerExistsError,
  findCustomer,
  hasAssignedOpenCase,
  hasPlacedOpenCase,
  insertCustomer,
  ledTeamOfOpenCase,
  listCustomers,
} from '../../store/index.js';
import { amountProblem, amountSchema, readAmount } from '../http/amount.js';
import type { ServerDeps } from '../http/context.js';
import { KERNEL_MESSAGES } from '../http/kernel-messages.js';
import { maskAddress, maskContact, maskIdNumber, maskName, maskPhone } from '../http/masking.js';
import { type Message, say } from '../http/messages.js';
import { type FieldProblem, fieldProblem, ProblemError, validationProblem } from '../http/problem.js';
import { allows } from '../http/roles.js';
import {
  bearerSecurity,
  decodeCursor,
  encodeCursor,
  idempotencyHeader,
  idParam,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { commitWrite } from '../http/writes.js';
import { CUSTOMER_MESSAGES } from './messages.js';

/** Most emergency contacts kept per customer. */
export const CONTACTS_MAX = 5;
/** Earliest birth date accepted in an ID number. */
const BIRTH_DATE_MIN = '1900-01-01';

const ID_NUMBER_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_NUMBER_CHECK = '10X98765432';

/**
 * Checks an 18-character resident ID number (居民身份证号码): its birth date must be a real date from
 * 1900 to `today`, and its last character the ISO 7064 MOD 11-2 check of the first 17.
 */
export function idNumberProblem(value: string, today: string): Message | undefined {
  const id = value.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return say(CUSTOMER_MESSAGES, 'id_number_form');
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const parsed = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth) {
    return say(CUSTOMER_MESSAGES, 'id_number_birth_not_a_date', { birth });
  }
  if (birth < BIRTH_DATE_MIN || birth > today) {
    return say(CUSTOMER_MESSAGES, 'id_number_birth_out_of_range', { birth, from: BIRTH_DATE_MIN, to: today });
  }
  let sum = 0;
  ID_NUMBER_WEIGHTS.forEach((w, i) => {
    sum += w * Number(id[i]);
  });
  if (ID_NUMBER_CHECK[sum % 11] !== id[17]) return say(CUSTOMER_MESSAGES, 'id_number_check_character');
  return undefined;
}

const PHONE = {
  type: 'string',
  pattern: '^1[3-9][0-9]{9}$',
  description: 'Mainland mobile number, 11 digits',
} as const;
const TEXT = (max: number, description: string) =>
  ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S', description }) as const;

const contactBody = {
  type: 'object',
  required: ['name', 'relation', 'phone'],
  additionalProperties: false,
  properties: {
    name: TEXT(64, 'Contact name'),
    relation: { type: 'string', enum: [...CONTACT_RELATIONS] },
    phone: PHONE,
  },
} as const;

const customerBody = {
  type: 'object',
  required: ['name', 'idNumber', 'phone', 'address', 'declaredMonthlyIncome'],
  additionalProperties: false,
  properties: {
    name: TEXT(64, 'Full name as on the ID card'),
    idNumber: {
      type: 'string',
      minLength: 18,
      maxLength: 18,
      description: '18-character resident ID number',
    },
    phone: PHONE,
    address: {
      type: 'object',
      required: ['province', 'city', 'detail'],
      additionalProperties: false,
      properties: {
        province: TEXT(32, 'Province, e.g. 广东省'),
        city: TEXT(32, 'City, e.g. 深圳市'),
        detail: TEXT(200, 'District, street and number'),
      },
    },
    contacts: { type: 'array', maxItems: CONTACTS_MAX, items: contactBody, default: [] },
    declaredMonthlyIncome: amountSchema,
    externalRef: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' },
  },
} as const;

const customerResponse = {
  type: 'object',
  required: ['customerId', 'createdAt', 'masked', 'name', 'idNumber', 'phone', 'address', 'contacts'],
  properties: {
    customerId: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    masked: { type: 'boolean', description: 'true when personal data below is masked' },
    name: { type: 'string' },
    idNumber: { type: 'string' },
    phone: { type: 'string' },
    address: {
      type: 'object',
      required: ['province', 'city'],
      properties: {
        province: { type: 'string' },
        city: { type: 'string' },
        detail: { type: 'string', description: 'Present only when unmasked' },
      },
    },
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'relation', 'phone'],
        properties: { name: { type: 'string' }, relation: { type: 'string' }, phone: { type: 'string' } },
      },
    },
    declaredMonthlyIncome: amountSchema,
    externalRef: { type: ['string', 'null'] },
  },
} as const;

interface CustomerBody {
  name: string;
  idNumber: string;
  phone: string;
  address: { province: string; city: string; detail: string };
  contacts: Contact[];
  declaredMonthlyIncome: string;
  externalRef?: string;
}

function present(c: Customer, unmasked: boolean) {
  const common = {
    customerId: c.customerId,
    createdAt: c.createdAt,
    declaredMonthlyIncome: formatMinor(c.declaredMonthlyIncome_fen),
    externalRef: c.externalRef,
  };
  if (unmasked) {
    return {
      ...common,
      masked: false,
      name: c.name,
      idNumber: c.idNumber,
      phone: c.phone,
      address: c.address,
      contacts: c.contacts,
    };
  }
  return {
    ...common,
    masked: true,
    name: maskName(c.name),
    idNumber: maskIdNumber(c.idNumber),
    phone: maskPhone(c.phone),
    address: maskAddress(c.address),
    contacts: c.contacts.map(maskContact),
  };
}

const customerNotFound = (id: string) =>
  new ProblemError('customer_not_found', say(CUSTOMER_MESSAGES, 'customer_not_found', { customerId: id }), [
    fieldProblem('/path/customerId', say(CUSTOMER_MESSAGES, 'no_such_customer')),
  ]);

export async function customerRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const common = { tags: ['customers'], security: bearerSecurity };

  app.post<{ Body: CustomerBody }>(
    '/customers',
    {
      config: { permission: 'customers.create' },
      schema: {
        ...common,
        summary: 'Register a customer; personal data is encrypted at rest and masked in the response',
        headers: idempotencyHeader,
        body: customerBody,
        response: { 201: customerResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const problems: FieldProblem[] = [];
      const idProblem = idNumberProblem(body.idNumber, new Date().toISOString().slice(0, 10));
      if (idProblem !== undefined) problems.push(fieldProblem('/body/idNumber', idProblem));
      const income = readAmount(body.declaredMonthlyIncome, deps.config.amount_max_fen);
      if (!income.ok) problems.push(fieldProblem('/body/declaredMonthlyIncome', income.text));
      if (problems.length > 0) {
        throw problems.length === 1 && !income.ok
          ? amountProblem('declaredMonthlyIncome', '/body/declaredMonthlyIncome', income.text)
          : validationProblem(problems);
      }
      return commitWrite(deps, request, reply, async (tx) => {
        let customer: Customer;
        try {
          customer = await insertCustomer(
            tx,
            deps.cipher,
            {
              name: body.name,
              idNumber: body.idNumber,
              phone: body.phone,
              address: body.address,
              contacts: body.contacts,
              declaredMonthlyIncome_fen: income.ok ? income.fen : 0,
              externalRef: body.externalRef ?? null,
            },
            request.principal!.userId,
          );
        } catch (error) {
          if (error instanceof CustomerExistsError) {
            throw new ProblemError(
              'customer_exists',
              say(CUSTOMER_MESSAGES, 'customer_exists', { customerId: error.existingCustomerId }),
              [
                fieldProblem(
                  '/body/idNumber',
                  say(CUSTOMER_MESSAGES, 'id_number_belongs_to', { customerId: error.existingCustomerId }),
                ),
              ],
            );
          }
          throw error;
        }
        return {
          status: 201,
          body: present(customer, false),
          location: `/customers/${customer.customerId}`,
          audit: [
            {
              action: 'customer.create',
              resourceType: 'customer',
              resourceId: customer.customerId,
              customerId: customer.customerId,
              details: { contacts: customer.contacts.length },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string; idNumber?: string; phone?: string } }>(
    '/customers',
    {
      config: { permission: 'customers.read' },
      schema: {
        ...common,
        summary: 'List customers (masked), optionally finding one by ID number or phone',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties(deps.config),
            idNumber: { type: 'string', minLength: 18, maxLength: 18, description: 'Exact ID number' },
            phone: PHONE,
          },
        },
        response: { 200: pageResponse(customerResponse), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listCustomers(deps.db, deps.cipher, {
        limit: q.limit,
        ...(q.cursor === undefined ? {} : { afterId: decodeCursor(q.cursor, 'string') }),
        ...(q.idNumber === undefined ? {} : { idNumber: q.idNumber }),
        ...(q.phone === undefined ? {} : { phone: q.phone }),
      });
      const last = page.items.at(-1);
      return {
        items: page.items.map((c) => present(c, false)),
        nextCursor: page.more && last ? encodeCursor(last.customerId) : null,
      };
    },
  );

  app.get<{ Params: { customerId: string }; Querystring: { unmask: boolean } }>(
    '/customers/:customerId',
    {
      config: { permission: 'customers.read.placed' },
      schema: {
        ...common,
        summary: 'One customer; ?unmask=true shows personal data to roles that may see it, and is audited',
        params: idParam('customerId', 'Customer id'),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { unmask: { type: 'boolean', default: false } },
        },
        response: { 200: customerResponse, ...problemResponses },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const unmask = request.query.unmask;
      if (unmask && !allows('customers.unmask', principal.role)) {
        throw new ProblemError(
          'pii_forbidden',
          say(KERNEL_MESSAGES, 'pii_forbidden', { role: principal.role }),
          [fieldProblem('/query/unmask', say(KERNEL_MESSAGES, 'unmask_not_allowed'))],
        );
      }
      // An agency's user reads only a borrower whose case is placed with their agency; any other is not
      // found to them, so that the lender's book is not disclosed.
      if (
        principal.role === 'agency' &&
        !(await hasPlacedOpenCase(deps.db, request.params.customerId, principal.agencyId ?? ''))
      )
        throw customerNotFound(request.params.customerId);
      const customer = await findCustomer(deps.db, deps.cipher, request.params.customerId);
      if (customer === undefined) throw customerNotFound(request.params.customerId);
      // A collector needs a borrower's contact data only for the cases they work, and a team lead for the
      // cases their team's collectors work (the audit entry says which team).
      let ledTeam: string | null = null;
      if (
        unmask &&
        principal.role === 'collector' &&
        !(await hasAssignedOpenCase(deps.db, customer.customerId, principal.userId))
      ) {
        ledTeam = await ledTeamOfOpenCase(deps.db, customer.customerId, principal.userId);
        if (ledTeam === null)
          throw new ProblemError('pii_forbidden', say(CUSTOMER_MESSAGES, 'collector_unmask_forbidden'), [
            fieldProblem('/query/unmask', say(CUSTOMER_MESSAGES, 'no_case_assigned')),
          ]);
      }
      if (unmask) {
        // Written before the data leaves: no audit entry, no unmasked read.
        await appendAudit(deps.db, {
          actorUserId: principal.userId,
          actorRole: principal.role,
          action: 'customer.read_pii',
          requestId: request.id,
          resourceType: 'customer',
          resourceId: customer.customerId,
          customerId: customer.customerId,
          details: {
            fields: ['name', 'idNumber', 'phone', 'address', 'contacts'],
            ...(ledTeam === null ? {} : { asLeadOfTeam: ledTeam }),
          },
        });
      }
      return present(customer, unmask);
    },
  );
}
