import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsv } from '../../src/cli/csv-load.js';

const dir = mkdtempSync(join(tmpdir(), 'lendguard-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('streaming CSV loader', () => {
  it('reads numbers, categories, quoted cells, a BOM and every missing marker into typed columns', async () => {
    const path = file(
      'a.csv',
      '\uFEFFage,"city, region",score\n30,"Shanghai, SH",1.5\nNA,Beijing,\n  41 ,,NaN\n',
    );
    const data = await loadCsv(path);
    expect(data.rowCount).toBe(3);
    const [age, city, score] = data.columns;
    expect(age).toMatchObject({ kind: 'numeric', name: 'age' });
    if (age?.kind !== 'numeric' || city?.kind !== 'categorical' || score?.kind !== 'numeric')
      throw new Error('kinds');
    expect(Array.from(age.values)).toEqual([30, Number.NaN, 41]);
    expect(city.name).toBe('city, region');
    expect(Array.from(city.codes)).toEqual([0, 1, -1]);
    expect(city.levels).toEqual(['Shanghai, SH', 'Beijing']);
    expect(Array.from(score.values)).toEqual([1.5, Number.NaN, Number.NaN]);
  });

  it('imposes column kinds and declared special values', async () => {
    const path = file('b.csv', 'code,x\n01,-999\n02,5\n');
    const data = await loadCsv(path, {
      kinds: new Map([['code', 'categorical']]),
      specialValues: new Map([['*', [-999]]]),
    });
    expect(data.columns[0]).toMatchObject({ kind: 'categorical', levels: ['01', '02'] });
    expect(data.columns[1]).toMatchObject({ kind: 'numeric', specialValues: [-999] });
  });

  it('names the row of a ragged line and refuses empty files', async () => {
    await expect(loadCsv(file('c.csv', 'a,b\n1,2\n3\n'))).rejects.toThrow(
      /data row 2 has 1 cell but the header has 2/,
    );
    await expect(loadCsv(file('d.csv', ''))).rejects.toThrow(/is empty/);
    await expect(loadCsv(file('e.csv', 'a,b\n'))).rejects.toThrow(/no data rows/);
    await expect(loadCsv(join(dir, 'absent.csv'))).rejects.toThrow(/no such file/);
  });

  it('counts rows on the progress bar of a terminal in the singular for one', async () => {
    const shown = async (text: string) => {
      let out = '';
      const tty = Object.assign(
        new Writable({
          write(chunk, _encoding, done) {
            out += String(chunk);
            done();
          },
        }),
        { isTTY: true, columns: 120 },
      );
      await loadCsv(file('bar.csv', text), { progressStream: tty });
      return out;
    };
    const one = await shown('a,b\n1,2\n');
    expect(one).toMatch(/100% \| 1 row\b/);
    expect(one).not.toContain('1 rows');
    expect(await shown('a,b\n1,2\n3,4\n')).toMatch(/100% \| 2 rows/);
  });
});
