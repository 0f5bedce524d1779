import { describe, expect, it } from 'vitest';
import { counted as cliCounted } from '../../src/cli/io.js';
import { counted } from '../../src/money/index.js';

// Counts in English: singular for one, plural otherwise (never "1 loans" or "loan(s)").
describe('counted', () => {
  it('says one in the singular and every other count in the plural', () => {
    expect(counted(1, 'loan')).toBe('1 loan');
    expect(counted(0, 'loan')).toBe('0 loans');
    expect(counted(2, 'loan')).toBe('2 loans');
    expect(counted(-1, 'day')).toBe('-1 day');
    expect(counted(1, 'open collection case')).toBe('1 open collection case');
  });

  it('takes an irregular plural', () => {
    expect(counted(1, 'breach', 'breaches')).toBe('1 breach');
    expect(counted(3, 'breach', 'breaches')).toBe('3 breaches');
    expect(counted(2, 'server process', 'server processes')).toBe('2 server processes');
  });

  it('is one helper: the command line re-exports it rather than keeping its own', () => {
    expect(cliCounted).toBe(counted);
  });
});
