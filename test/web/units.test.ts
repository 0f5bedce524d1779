import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COLLECTION_STAGES } from '../../src/collections/index.js';
import { ACCOUNTS, BUCKETS } from '../../src/ledger/index.js';
import { ASSET_CLASSES } from '../../src/reporting/index.js';
import { refuseCollectorOffCase } from '../../src/server/collections/legal-messages.js';
import {
  loadServerConfig,
  PERMISSIONS,
  readAmount as parseAmount,
  idNumberProblem as serverIdNumberProblem,
  shareText,
} from '../../src/server/index.js';
import { LAB_NOTE_CODES, LAB_NOTES_EN } from '../../src/simulation/index.js';
import { collectorOffCase } from '../../web/src/collections.js';
import { customerSearch, idNumberProblem } from '../../web/src/customer.js';
import { bucketChartOption } from '../../web/src/data/bucket-chart.js';
import { completeBuckets, formatShare, loansLink } from '../../web/src/data/portfolio.js';
import { fillMessage } from '../../web/src/fill.js';
import { AMOUNT_MAX_FEN_DEFAULT, amountProblem } from '../../web/src/ledger.js';
import { en, zhCN } from '../../web/src/messages.js';
import { formatBusinessDate, formatDateTime, formatMoney } from '../../web/src/money.js';
import { ROLES, UI_PERMISSIONS } from '../../web/src/permissions.js';
import { fieldName, problemsByField } from '../../web/src/problem-fields.js';
import { idNumberFor } from '../server/helpers.js';

describe('money shown from decimal strings', () => {
  it('groups the whole part and keeps the fen exactly, in both languages', () => {
    expect(formatMoney('1234567.8', 'en')).toBe('¥1,234,567.80');
    expect(formatMoney('1234567.8', 'zh-CN')).toBe('¥1,234,567.80');
    expect(formatMoney('0', 'en')).toBe('¥0.00');
    // Beyond 2^53 a float would lose the last digits; the string does not.
    expect(formatMoney('90071992547409931.99', 'en')).toBe('¥90,071,992,547,409,931.99');
  });

  it('shows anything that is not a plain amount as it came', () => {
    expect(formatMoney('1e3', 'en')).toBe('1e3');
    expect(formatMoney('-5.00', 'en')).toBe('-5.00');
  });

  it('writes dates in one style in both languages, never moved through a time zone', () => {
    // One date style, the pickers' own, in both languages.
    expect(formatBusinessDate('2026-01-01', 'en')).toBe('2026-01-01');
    expect(formatBusinessDate('2026-01-01', 'zh-CN')).toBe('2026-01-01');
    // Times in the lender's zone, 24-hour: 16:30 UTC is half past midnight the next day in Shanghai.
    expect(formatDateTime('2026-01-01T16:30:05Z', 'en')).toBe('2026-01-02 00:30:05');
    expect(formatDateTime('2026-01-01T16:30:05Z', 'zh-CN')).toBe('2026-01-02 00:30:05');
  });
});

describe('problem paths to form fields', () => {
  it('maps body pointers to antd field names, array indexes as numbers', () => {
    expect(fieldName('/body/phone')).toEqual(['phone']);
    expect(fieldName('/body/address/city')).toEqual(['address', 'city']);
    expect(fieldName('/body/contacts/0/phone')).toEqual(['contacts', 0, 'phone']);
    expect(fieldName('/query/unmask')).toBeUndefined();
  });

  it('groups messages by field and keeps the rest for the general notice', () => {
    const grouped = problemsByField([
      { path: '/body/phone', message: 'a' },
      { path: '/body/phone', message: 'b' },
      { path: '/header/idempotency-key', message: 'c' },
    ]);
    expect(grouped.fields).toEqual([{ name: ['phone'], errors: ['a', 'b'] }]);
    expect(grouped.unplaced).toEqual([{ path: '/header/idempotency-key', message: 'c' }]);
  });
});

describe('the dashboard agrees with the server', () => {
  it('hides exactly what the server refuses', () => {
    // One table: the dashboard's is the server's, as the build copied it (npm run build:web).
    expect(UI_PERMISSIONS).toEqual(PERMISSIONS);
  });

  it("offers a case's entry forms exactly to whom the API lets enter them", () => {
    const refused = (me: { role: string; userId: string }, kase: { assignee: string | null }) => {
      try {
        refuseCollectorOffCase(me, kase, { key: 'not_your_case', texts: { en: '', zh: '' }, params: {} });
        return false;
      } catch {
        return true;
      }
    };
    for (const role of ROLES) {
      for (const assignee of [null, 'usr_me', 'usr_teammate']) {
        const me = { role, userId: 'usr_me' };
        expect(collectorOffCase(me, { assignee }), `${role} on a case of ${assignee}`).toBe(
          refused(me, { assignee }),
        );
      }
    }
    expect(collectorOffCase({ role: 'collector', userId: 'usr_me' }, { assignee: 'usr_teammate' })).toBe(
      true,
    );
    expect(collectorOffCase({ role: 'collector', userId: 'usr_me' }, { assignee: 'usr_me' })).toBe(false);
    expect(collectorOffCase({ role: 'agency', userId: 'usr_me' }, { assignee: null })).toBe(false);
  });

  it('judges ID numbers as the API does', () => {
    const today = '2026-11-28';
    const agree = (id: string) =>
      expect(idNumberProblem(id, today) === undefined, id).toBe(
        serverIdNumberProblem(id, today) === undefined,
      );
    for (let i = 0; i < 50; i += 1) agree(idNumberFor(i));
    [
      '11010519491231002X',
      '11010519491231002x',
      '110105194912310021',
      '110105202712310028',
      '1101051949123100',
    ].forEach(agree);
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6}(19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9X]$/), (id) => {
        agree(id);
      }),
      { numRuns: 500 },
    );
  });

  it('recognises a search as a phone or an ID number', () => {
    expect(customerSearch(' 13812345678 ')).toEqual({ phone: '13812345678' });
    expect(customerSearch('11010519491231002x')).toEqual({ idNumber: '11010519491231002X' });
    expect(customerSearch('12345')).toBeUndefined();
  });

  it('has every label in both languages, none empty', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(zhCN)) expect(text.trim(), key).not.toBe('');
  });
});

describe('counts in English', () => {
  it('says "1 loan" and "2 loans", from counts given as numbers or formatted text', () => {
    expect(fillMessage(en['reports.loans'], { n: 1 })).toBe('1 loan');
    expect(fillMessage(en['reports.loans'], { n: 2 })).toBe('2 loans');
    expect(fillMessage(en['reports.loans'], { n: 0 })).toBe('0 loans');
    expect(fillMessage(en['loans.total'], { count: '1' })).toBe('1 loan');
    expect(fillMessage(en['loans.total'], { count: '1,001' })).toBe('1,001 loans');
    expect(fillMessage(en['complaint.daysLeft'], { n: 1 })).toBe('1 day left');
    expect(fillMessage(en['eod.days'], { days: 1 })).toBe('1 day will be closed');
    expect(fillMessage(en['policy.graphCounts'], { tables: 1, rules: 3 })).toBe('1 table, 3 rules');
    expect(fillMessage(en['behaviour.rejectedDone'], { n: 1 })).toBe('1 proposal rejected');
    expect(fillMessage(en['funding.stored'], { n: 1 })).toBe('Stored 1 outflow');
    expect(fillMessage(en['funding.stored'], { n: 3 })).toBe('Stored 3 outflows');
    // A parameter not given stays visible, as before.
    expect(fillMessage(en['reports.loans'], {})).toBe('{n} {n|loan|loans}');
  });

  it('has no English count of 1 read with a plural noun, and the Chinese needs no plural token', () => {
    // Said only of a list cut short, so of at least two loans.
    const neverOne = new Set(['reports.drillTruncated']);
    for (const [key, text] of Object.entries(en)) {
      if (neverOne.has(key)) continue;
      const params = Object.fromEntries([...text.matchAll(/\{([a-zA-Z]+)/g)].map((m) => [m[1], 1]));
      const said = fillMessage(text, params);
      expect(said, key).not.toMatch(
        /\b1 (loans|cases|days|months|rules|tables|proposals|complaints|bytes|hours|points|outflows)\b/,
      );
      // Never a noun with "(s)" or "(es)" left for the reader to choose.
      expect(text, key).not.toMatch(/[a-z]\((s|es)\)/);
    }
    for (const [key, text] of Object.entries(zhCN)) expect(text, key).not.toMatch(/\{[a-zA-Z]+\|/);
  });
});

describe('the bucket chart', () => {
  const text = {
    bucketLabel: (b: string) => `${b} label`,
    axisName: 'axis',
    money: (amount: string) => formatMoney(amount, 'en'),
    count: (n: number) => String(n),
    loansLabel: 'loans',
    emptyText: 'No loans yet',
  };

  it('draws every bucket M0 to M7, and says so when the book is empty rather than showing figures', () => {
    const shares = completeBuckets([]);
    expect(shares.map((s) => s.bucket)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7']);
    const option = bucketChartOption(shares, text) as { graphic: { style: { text: string } }[] };
    expect(option.graphic[0]?.style.text).toBe('No loans yet');
  });

  it('plots outstanding principal per bucket and names exact amounts in the tooltip', () => {
    const shares = completeBuckets([
      { bucket: 'M0', loans: 3, outstandingPrincipal: '90071992547409931.99' },
      { bucket: 'M3', loans: 1, outstandingPrincipal: '500.10' },
    ]);
    const option = bucketChartOption(shares, text) as {
      graphic: unknown[];
      series: {
        data: { value: number }[];
        label: { show: boolean; formatter: (p: { dataIndex: number }) => string };
      }[];
      tooltip: { formatter: (p: { dataIndex: number }) => string };
      xAxis: { data: string[]; axisLabel: { interval: number } };
    };
    expect(option.graphic).toEqual([]);
    // Every bucket has its label on the axis (none skipped for room) and its loan count over the bar.
    expect(option.xAxis.data).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7']);
    expect(option.xAxis.axisLabel.interval).toBe(0);
    expect(option.series[0]?.label.show).toBe(true);
    expect(option.series[0]?.label.formatter({ dataIndex: 3 })).toBe('1');
    expect(option.series[0]?.data.map((d) => d.value)).toEqual([
      Number('90071992547409931.99'),
      0,
      0,
      500.1,
      0,
      0,
      0,
      0,
    ]);
    expect(option.tooltip.formatter({ dataIndex: 0 })).toBe(
      'M0 label<br/>¥90,071,992,547,409,931.99 · loans 3',
    );
  });
});

describe('ledger forms and figures agree with the server', () => {
  it('accepts exactly the repayment amounts the API accepts', () => {
    expect(AMOUNT_MAX_FEN_DEFAULT).toBe(loadServerConfig().amount_max_fen);
    const amount = fc.oneof(
      fc.stringMatching(/^[0-9]{1,12}(\.[0-9]{0,3})?$/),
      fc.stringMatching(/^[-+ 0-9.eE]{0,8}$/),
      fc.constantFrom('0', '0.0', '0.00', '0.01', '01', '1.', '.5', '1e3', ' 1', '-1'),
    );
    fc.assert(
      fc.property(amount, (text) => {
        const server = parseAmount(text, AMOUNT_MAX_FEN_DEFAULT);
        const serverAccepts = server.ok && server.fen > 0;
        expect(amountProblem(text) === '', text).toBe(serverAccepts);
      }),
      { numRuns: 2000 },
    );
  });

  it('shows the API shares as percentages without floats', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, b) => {
        const share = shareText(Math.min(a, b), b);
        const shown = formatShare(share);
        expect(shown).toBe(`${(BigInt(share.replace('.', '')) / 100n).toString()}.${share.slice(-2)}%`);
      }),
    );
    expect(formatShare('0.0523')).toBe('5.23%');
    expect(formatShare('1.0000')).toBe('100.00%');
    expect(formatShare('0.0000')).toBe('0.00%');
  });

  it('links a figure to the Loans page with its filter', () => {
    expect(loansLink({ bucket: 'M3', status: 'active' })).toBe('/loans?bucket=M3&status=active');
    expect(loansLink({ bucket: 'M1,M2', status: undefined })).toBe('/loans?bucket=M1%2CM2');
    expect(loansLink({})).toBe('/loans');
  });

  it('has a label for every event type, account, class and collection stage the server names', () => {
    const keys = new Set(Object.keys(en));
    for (const a of Object.keys(ACCOUNTS)) expect(keys.has(`account.${a}`), a).toBe(true);
    for (const c of ASSET_CLASSES) expect(keys.has(`class.${c}`), c).toBe(true);
    for (const s of DEFAULT_COLLECTION_STAGES) expect(keys.has(`stage.${s.id}`), s.id).toBe(true);
    for (const b of BUCKETS) expect(keys.has(`bucket.${b}`), b).toBe(true);
  });
});

describe("the strategy lab's month notes", () => {
  it('every note the lab writes has words in both languages, quoting the same values', () => {
    const names = (t: string) => [...t.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort();
    for (const code of LAB_NOTE_CODES) {
      const key = `labNote.${code}` as keyof typeof en;
      expect(en[key], code).toBeDefined();
      expect(names(zhCN[key]), code).toEqual(names(LAB_NOTES_EN[code]));
      expect(names(en[key]), code).toEqual(names(LAB_NOTES_EN[code]));
    }
  });
});
