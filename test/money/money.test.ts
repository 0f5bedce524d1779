import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilArithmetic } from '../../src/money/date.js';
import {
  addMonths,
  allocate,
  civilFromDay,
  DAY_MAX,
  DAY_MIN,
  dailyRate,
  dayCountDays,
  dayFromCivil,
  daysInMonth,
  divideRounded,
  endOfMonth,
  formatDate,
  formatDecimal,
  formatMinor,
  formatMinorGrouped,
  formatScaledInteger,
  MoneyInputError,
  monthsBetween,
  nominalAnnualRate,
  parseAmount,
  parseDate,
  parseDecimal,
  parseRate,
  ROUNDING_MODES,
  rational,
  splitEvenly,
  startOfMonth,
  toExactDecimalString,
  weekday,
  yearFraction,
} from '../../src/money/index.js';

describe('rounding', () => {
  // Worked values: x.5 ties and ordinary cases, for each named mode.
  const table: [bigint, bigint, Record<string, bigint>][] = [
    [25n, 10n, { 'half-up': 3n, 'half-down': 2n, 'half-even': 2n, up: 3n, down: 2n, ceiling: 3n, floor: 2n }],
    [35n, 10n, { 'half-up': 4n, 'half-down': 3n, 'half-even': 4n, up: 4n, down: 3n, ceiling: 4n, floor: 3n }],
    [
      -25n,
      10n,
      { 'half-up': -3n, 'half-down': -2n, 'half-even': -2n, up: -3n, down: -2n, ceiling: -2n, floor: -3n },
    ],
    [26n, 10n, { 'half-up': 3n, 'half-down': 3n, 'half-even': 3n, up: 3n, down: 2n, ceiling: 3n, floor: 2n }],
    [
      -24n,
      10n,
      { 'half-up': -2n, 'half-down': -2n, 'half-even': -2n, up: -3n, down: -2n, ceiling: -2n, floor: -3n },
    ],
    [30n, 10n, { 'half-up': 3n, 'half-down': 3n, 'half-even': 3n, up: 3n, down: 3n, ceiling: 3n, floor: 3n }],
    [
      7n,
      -2n,
      { 'half-up': -4n, 'half-down': -3n, 'half-even': -4n, up: -4n, down: -3n, ceiling: -3n, floor: -4n },
    ],
  ];
  for (const [n, d, expected] of table) {
    for (const mode of ROUNDING_MODES) {
      it(`${n}/${d} ${mode} = ${expected[mode]}`, () =>
        expect(divideRounded(n, d, mode)).toBe(expected[mode]));
    }
  }

  it('every mode lands on one of the two neighbouring integers, and is exact on integers', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.constantFrom(...ROUNDING_MODES),
        (n, d, mode) => {
          const r = divideRounded(n, d, mode);
          const lower = n >= 0n ? n / d : (n - d + 1n) / d; // floor
          expect(r === lower || r === lower + 1n).toBe(true);
          if (n % d === 0n) expect(r).toBe(n / d);
          // Distance to the exact value is below one unit, and at most half for the half-* modes.
          const distanceTwice = (r * d - n) * 2n;
          const abs = distanceTwice < 0n ? -distanceTwice : distanceTwice;
          if (mode.startsWith('half')) expect(abs <= d).toBe(true);
        },
      ),
    );
  });
});

describe('decimals', () => {
  it('parses exactly and refuses exponents and junk', () => {
    expect(parseDecimal('0.0005')).toEqual({ num: 1n, den: 2000n });
    expect(parseDecimal('-12.50')).toEqual({ num: -25n, den: 2n });
    for (const bad of ['1e-4', '', '.5', '1,000', ' 1', 'NaN', '0x10']) {
      expect(() => parseDecimal(bad)).toThrow(MoneyInputError);
    }
  });

  it('formats with a named rounding', () => {
    expect(formatDecimal(rational(2, 3), 4, 'half-up')).toBe('0.6667');
    expect(formatDecimal(rational(2, 3), 4, 'down')).toBe('0.6666');
    expect(formatDecimal(rational(-1, 8), 2, 'half-even')).toBe('-0.12');
    expect(toExactDecimalString(rational(1, 2000))).toBe('0.0005');
    expect(toExactDecimalString(rational(1, 3))).toBeNull();
  });

  it('parse ∘ format is the identity on decimals of the given scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 0, max: 8 }),
        (v, scale) => {
          const r = rational(v, 10n ** BigInt(scale));
          expect(parseDecimal(formatDecimal(r, scale, 'down'))).toEqual(r);
        },
      ),
    );
  });
});

describe('amounts', () => {
  it('parses yuan strings into fen exactly', () => {
    expect(parseAmount('1234.56')).toBe(123456);
    expect(parseAmount('0.1')).toBe(10);
    expect(parseAmount('10000')).toBe(1000000);
    expect(parseAmount('0.07')).toBe(7); // no float error: 0.07 * 100 would be 7.000000000000001
  });

  it('refuses bad amounts with a message that says how to write them', () => {
    const cases: [string, string][] = [
      ['12.345', 'amount_too_precise'],
      ['-5', 'amount_negative'],
      ['0', 'amount_zero'],
      ['1e5', 'invalid_amount'],
      ['12,000', 'invalid_amount'],
      ['100000000000.01', 'amount_too_large'],
      ['abc', 'invalid_amount'],
    ];
    for (const [text, code] of cases) {
      try {
        parseAmount(text);
        expect.unreachable(`${text} should be refused`);
      } catch (error) {
        expect(error).toBeInstanceOf(MoneyInputError);
        expect((error as MoneyInputError).code).toBe(code);
        expect((error as MoneyInputError).message).toContain(text === '0' ? 'greater than 0' : text);
      }
    }
  });

  it('format ∘ parse is the identity on valid amounts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000_000 }), (minor) => {
        expect(parseAmount(formatMinor(minor))).toBe(minor);
      }),
    );
  });

  it('formats every safe integer as the bigint formatter does', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(
            fc.integer({ min: -1_000_000, max: 1_000_000 }),
            fc.maxSafeInteger(),
            fc.maxSafeNat(),
            fc.integer(),
          )
          .chain((m) =>
            fc.constantFrom(
              m,
              -m,
              Number.MAX_SAFE_INTEGER,
              Number.MIN_SAFE_INTEGER,
              Number.MAX_SAFE_INTEGER - 1,
            ),
          ),
        (minor) => {
          expect(formatMinor(minor)).toBe(formatScaledInteger(BigInt(minor), 2));
        },
      ),
    );
    expect(formatMinor(-0)).toBe('0.00');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(-5)).toBe('-0.05');
    expect(formatMinor(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('groups thousands for people', () => {
    expect(formatMinorGrouped(123456789)).toBe('1,234,567.89');
    expect(formatMinorGrouped(-100)).toBe('-1.00');
    expect(formatMinor(5)).toBe('0.05');
  });
});

describe('allocation', () => {
  it('places the remainder by the stated rule', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(100, [1, 1, 1], 'last')).toEqual([33, 33, 34]);
    expect(allocate(100, [1, 1, 1], 'first')).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(5, [0, 1, 0])).toEqual([0, 5, 0]);
    expect(splitEvenly(1000000, 12)).toEqual([
      83334, 83334, 83334, 83334, 83333, 83333, 83333, 83333, 83333, 83333, 83333, 83333,
    ]);
  });

  it('parts always sum exactly to the total and stay within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc
          .array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 40 })
          .filter((w) => w.some((x) => x > 0)),
        fc.constantFrom('largest-remainder' as const, 'first' as const, 'last' as const),
        (total, weights, rule) => {
          const parts = allocate(total, weights, rule);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          if (rule === 'largest-remainder') {
            const sum = weights.reduce((a, b) => a + b, 0);
            parts.forEach((p, i) => {
              expect(Math.abs(p - (total * weights[i]!) / sum)).toBeLessThan(1 + 1e-6);
            });
          }
        },
      ),
    );
  });
});

describe('dates', () => {
  it('round-trips every day from 1900 to 2199', () => {
    const mismatches: number[] = [];
    for (let d = parseDate('1900-01-01'); d <= parseDate('2199-12-31'); d++) {
      const c = civilFromDay(d);
      if (
        dayFromCivil(c.year, c.month, c.day) !== d ||
        formatDate(d) !== formatDate(parseDate(formatDate(d)))
      )
        mismatches.push(d);
    }
    expect(mismatches).toEqual([]);
    expect(parseDate('1970-01-01')).toBe(0);
    expect(formatDate(parseDate('2024-02-29'))).toBe('2024-02-29');
    expect(weekday(parseDate('2026-11-28'))).toBe(6); // a Saturday
  });

  it('refuses impossible dates and says why', () => {
    expect(() => parseDate('2026-02-29')).toThrow(/2026-02 has days 01 to 28/);
    expect(() => parseDate('2026-13-01')).toThrow(/months run 01 to 12/);
    expect(() => parseDate('2026/01/01')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('2300-01-01')).toThrow(/outside/);
  });

  it('reads the day table the same as the arithmetic, every day and outside the range', () => {
    const mismatches: number[] = [];
    for (let d = DAY_MIN - 800; d <= DAY_MAX + 800; d++) {
      const c = civilFromDay(d);
      const r = civilArithmetic(d);
      const last = dayFromCivil(r.year, r.month, daysInMonth(r.year, r.month));
      if (
        c.year !== r.year ||
        c.month !== r.month ||
        c.day !== r.day ||
        endOfMonth(d) !== last ||
        startOfMonth(d) !== d - r.day + 1
      )
        mismatches.push(d);
    }
    expect(mismatches).toEqual([]);
    const day = fc.integer({ min: DAY_MIN - 2000, max: DAY_MAX + 2000 });
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: -1300, max: 1300 }),
        fc.option(fc.integer({ min: 1, max: 31 })),
        (d, n, a) => {
          // addMonths against its definition: the month n on, the anchor day (or d's day) clamped to its end.
          const r = civilArithmetic(d);
          const index = r.year * 12 + r.month - 1 + n;
          const y = Math.floor(index / 12);
          const m = index - y * 12 + 1;
          const want = dayFromCivil(y, m, Math.min(a ?? r.day, daysInMonth(y, m)));
          expect(addMonths(d, n, a ?? undefined)).toBe(want);
        },
      ),
    );
    fc.assert(
      fc.property(day, day, (a, b) => {
        const x = civilArithmetic(a);
        const y = civilArithmetic(b);
        let months = (y.year - x.year) * 12 + (y.month - x.month);
        if (y.day < x.day && y.day < daysInMonth(y.year, y.month)) months -= 1;
        expect(monthsBetween(a, b)).toBe(months);
      }),
    );
    expect(() => endOfMonth(1.5)).toThrow(/not an integer/);
  });

  it('adds months clamping to the month end, keeping the anchor day', () => {
    const jan31 = parseDate('2026-01-31');
    expect(formatDate(addMonths(jan31, 1))).toBe('2026-02-28');
    expect(formatDate(addMonths(jan31, 2))).toBe('2026-03-31');
    expect(formatDate(addMonths(parseDate('2024-01-31'), 1))).toBe('2024-02-29');
    expect(formatDate(addMonths(parseDate('2026-02-28'), 1, 31))).toBe('2026-03-31');
    expect(formatDate(addMonths(parseDate('2026-01-15'), -1))).toBe('2025-12-15');
  });
});

describe('day counts', () => {
  const d = parseDate;
  it('counts a leap-year span per convention', () => {
    // 2024-01-01 → 2025-01-01: 366 actual days.
    expect(yearFraction(d('2024-01-01'), d('2025-01-01'), 'ACT/365F')).toEqual(rational(366, 365));
    expect(yearFraction(d('2024-01-01'), d('2025-01-01'), 'ACT/360')).toEqual(rational(366, 360));
    expect(yearFraction(d('2024-01-01'), d('2025-01-01'), 'ACT/ACT')).toEqual(rational(1));
    expect(yearFraction(d('2024-01-01'), d('2025-01-01'), '30/360')).toEqual(rational(1));
    // 2023-07-01 → 2024-07-01 under ACT/ACT ISDA: 184/365 + 182/366.
    expect(yearFraction(d('2023-07-01'), d('2024-07-01'), 'ACT/ACT')).toEqual(
      rational(184n * 366n + 182n * 365n, 365n * 366n),
    );
  });

  it('applies the 30/360 month-end rules', () => {
    expect(dayCountDays(d('2026-01-31'), d('2026-03-31'), '30/360')).toBe(60);
    expect(dayCountDays(d('2026-01-30'), d('2026-03-31'), '30/360')).toBe(60);
    expect(dayCountDays(d('2026-01-15'), d('2026-03-31'), '30/360')).toBe(76);
    expect(dayCountDays(d('2026-01-15'), d('2026-03-31'), '30E/360')).toBe(75);
    expect(dayCountDays(d('2026-02-28'), d('2026-03-31'), '30/360')).toBe(30);
  });

  it('year fractions add up over consecutive spans', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: d('1990-01-01'), max: d('2100-01-01') }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.constantFrom('ACT/365F' as const, 'ACT/360' as const, 'ACT/ACT' as const, '30E/360' as const),
        (a, x, y, convention) => {
          const whole = yearFraction(a, a + x + y, convention);
          const p = yearFraction(a, a + x, convention);
          const q = yearFraction(a + x, a + x + y, convention);
          expect(whole.num * p.den * q.den).toBe((p.num * q.den + q.num * p.den) * whole.den);
        },
      ),
    );
  });
});

describe('rates', () => {
  it('parses daily and annual rates with the period', () => {
    expect(parseRate('0.0005/day')).toEqual({ value: rational(1, 2000), per: 'day' });
    expect(parseRate('0.05%/day')).toEqual({ value: rational(1, 2000), per: 'day' });
    expect(parseRate('0.07/year')).toEqual({ value: rational(7, 100), per: 'year' });
    expect(() => parseRate('0.0005')).toThrow(/0.0005\/day/);
    expect(() => parseRate('5/day')).toThrow(/implausibly high/);
  });

  it('converts between daily and annual exactly under the day count', () => {
    const daily = parseRate('0.0005/day');
    expect(nominalAnnualRate(daily, 'ACT/365F')).toEqual(rational(73, 400)); // 18.25%
    expect(nominalAnnualRate(daily, 'ACT/360')).toEqual(rational(18, 100));
    const annual = parseRate('0.1825/year');
    expect(dailyRate(annual, 'ACT/365F', 2024)).toEqual(rational(1, 2000));
    expect(dailyRate(annual, 'ACT/ACT', 2024)).toEqual(rational(73, 400 * 366));
  });
});
