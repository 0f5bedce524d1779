import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumnWidths, renderTable } from '../../src/cli/io.js';

describe('tables fit the terminal', () => {
  const columns = [{ header: 'loan' }, { header: 'reason' }, { header: '金额', align: 'right' as const }];
  const rows = [
    [
      'loan_0123456789abcdef0123456789ab',
      '逾期 45 天，已进入催收阶段，客户承诺下周还款，需要跟进',
      '12,345.67',
    ],
  ];

  it('keeps a table that fits as it is, and wraps the widest columns of one that does not', () => {
    expect(fitColumnWidths([4, 6], 80)).toBeUndefined();
    const wide = renderTable(columns, rows, undefined);
    const widest = Math.max(...wide.split('\n').map(displayWidth));
    expect(widest).toBeGreaterThan(60);
    for (const width of [60, 72]) {
      const narrow = renderTable(columns, rows, width);
      for (const line of narrow.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      expect(narrow.replace(/[\s│|─┌┐└┘├┤┬┴┼-]/g, '')).toContain('12,345.67');
    }
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('逾期abc')).toBe(7);
  });
});
