import { describe, expect, it } from 'vitest';
import {
  isOriginationError,
  PERSONAL_DATA_FIELDS,
  validateApplication,
} from '../../src/origination/index.js';
import { merge, salariedWire } from './helpers.js';

function issuesOf(raw: unknown) {
  try {
    validateApplication(raw);
  } catch (error) {
    if (isOriginationError(error)) {
      expect(error.code).toBe('application_invalid');
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected the application to be refused');
}

describe('validateApplication', () => {
  it('counts one invalid field in the singular, two in the plural', () => {
    const message = (patch: Parameters<typeof merge>[1]) => {
      try {
        validateApplication(merge(salariedWire(), patch));
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected the application to be refused');
    };
    expect(message({ requestedLimit: 30000 })).toMatch(
      /^the application has 1 invalid field; first: requestedLimit /,
    );
    expect(message({ requestedLimit: 30000, identity: { phone: '12345' } })).toMatch(
      /^the application has 2 invalid fields; first: /,
    );
  });

  it('accepts the salaried applicant and turns yuan strings into fen', () => {
    const app = validateApplication(salariedWire());
    expect(app.requestedLimit_fen).toBe(3_000_000);
    expect(app.income.declaredMonthly_fen).toBe(1_500_000);
    expect(app.income.evidence[0]).toEqual({
      kind: 'payslip',
      monthlyAmount_fen: 1_480_000,
      documentRef: 'doc-778',
    });
    expect(app.debts[0]).toEqual({
      kind: 'mortgage',
      outstanding_fen: 60_000_000,
      monthlyPayment_fen: 420_000,
    });
    expect(app.business).toBeUndefined();
  });

  it.each([
    ['a JSON number as an amount', { requestedLimit: 30000 }, 'requestedLimit', /string/],
    ['three decimals', { requestedLimit: '100.123' }, 'requestedLimit', /decimals/],
    ['a zero limit', { requestedLimit: '0' }, 'requestedLimit', /more than 0/],
    [
      'a wrong ID check character',
      { identity: { idNumber: '110105199003071230' } },
      'identity.idNumber',
      /check character/,
    ],
    [
      'an ID number of 15 digits',
      { identity: { idNumber: '110105900307123' } },
      'identity.idNumber',
      /18-character/,
    ],
    [
      'a birth date unlike the ID number',
      { identity: { birthDate: '1991-03-07' } },
      'identity.birthDate',
      /does not match/,
    ],
    ['a landline', { identity: { phone: '010-12345678' } }, 'identity.phone', /11-digit/],
    [
      'an unknown occupation',
      { employment: { occupation: 'astronaut' } },
      'employment.occupation',
      /salaried, civil-servant/,
    ],
    [
      'a negative month count',
      { employment: { monthsInRole: -1 } },
      'employment.monthsInRole',
      /whole number/,
    ],
    [
      'an unknown evidence kind',
      { income: { evidence: [{ kind: 'rumour', monthlyAmount: '1.00' }] } },
      'income.evidence[0].kind',
      /payslip/,
    ],
    [
      'lenders fewer over a longer window',
      { bureau: { lenders3m: 4, lenders6m: 2 } },
      'bureau.lenders6m',
      /lenders3m ≤ lenders6m/,
    ],
    ['a time without offset', { submittedAt: '2026-11-28T09:58:00' }, 'submittedAt', /offset/],
    [
      'a date that does not exist',
      { identity: { birthDate: '1990-02-30' } },
      'identity.birthDate',
      /does not exist/,
    ],
    ['an unknown field', { favouriteColour: 'red' }, 'favouriteColour', /not a field/],
    [
      'a business owner without business facts',
      { employment: { occupation: 'business-owner' } },
      'business',
      /required for a business owner/,
    ],
    [
      'statements covering no months',
      {
        employment: { occupation: 'business-owner' },
        business: {
          name: 'x',
          industry: 'catering',
          statements: {
            periodMonths: 0,
            monthlyRevenue: '1',
            monthlyCosts: '1',
            monthlyOperatingCashFlow: '0',
            cashBalance: '0',
            monthlyDebtService: '0',
            monthsTrading: 3,
          },
        },
      },
      'business.statements.periodMonths',
      /at least 1/,
    ],
  ])('refuses %s, naming the field', (_name, patch, path, message) => {
    const issues = issuesOf(merge(salariedWire(), patch));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('reports every faulty field at once', () => {
    const issues = issuesOf(merge(salariedWire(), { requestedLimit: 'ten', channel: '', housing: 'castle' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['channel', 'housing', 'requestedLimit']);
  });

  it('refuses something that is not an object', () => {
    expect(issuesOf([1, 2])[0]!.path).toBe('(body)');
  });

  it('accepts a negative operating cash flow for a business', () => {
    const app = validateApplication(
      merge(salariedWire(), {
        employment: { occupation: 'business-owner' },
        business: {
          name: '小馆子',
          industry: 'catering',
          statements: {
            periodMonths: 12,
            monthlyRevenue: '80000.00',
            monthlyCosts: '90000.00',
            monthlyOperatingCashFlow: '-10000.00',
            cashBalance: '50000.00',
            monthlyDebtService: '0.00',
            monthsTrading: 30,
          },
        },
      }),
    );
    expect(app.business?.statements?.monthlyOperatingCashFlow_fen).toBe(-1_000_000);
  });

  it('marks every personal-data field, each resolving to a text in the application', () => {
    const app = validateApplication(salariedWire()) as unknown as Record<string, unknown>;
    for (const { path } of PERSONAL_DATA_FIELDS) {
      const values = path.split('.').reduce<unknown[]>(
        (acc, part) => {
          const key = part.replace('[]', '');
          return acc.flatMap((v) => {
            const next = (v as Record<string, unknown>)[key];
            return part.endsWith('[]') ? (next as unknown[]) : [next];
          });
        },
        [app],
      );
      expect(values.length, path).toBeGreaterThan(0);
      for (const v of values) expect(typeof v, path).toBe('string');
    }
  });
});
