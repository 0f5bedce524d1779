import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NumericColumn } from '../../src/scoring/dataset.js';
import { erfc } from '../../src/scoring/linalg.js';
import { fitLogistic } from '../../src/scoring/logistic.js';
import { findColumn, targetFromColumn } from '../../src/scoring/table.js';
import { loadFixture } from './helpers.js';

interface GlmCase {
  name: string;
  file: string;
  target: string;
  bad: string;
  features: string[];
  rows: number;
  coefficients: number[];
  standardErrors: number[];
  pValues: number[];
  deviance: number;
  aic: number;
}

const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/glm/glm-reference.json', import.meta.url)), 'utf8'),
) as { cases: GlmCase[] };

function close(actual: number, expected: number, tolerance: number): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

describe('logistic regression against R glm', () => {
  for (const c of reference.cases) {
    it(`matches coefficients, standard errors and p-values to 1e-6: ${c.name}`, async () => {
      const data = await loadFixture(c.file, c.target);
      const y = targetFromColumn(data, c.target, c.bad);
      const columns = c.features.map((f) => findColumn(data, f) as NumericColumn);
      const keep: number[] = [];
      for (let r = 0; r < data.rowCount; r++)
        if (columns.every((col) => !Number.isNaN(col.values[r]!))) keep.push(r);
      expect(keep.length).toBe(c.rows);
      const xs = columns.map((col) => Float64Array.from(keep, (r) => col.values[r]!));
      const fit = fitLogistic(
        xs,
        c.features,
        Uint8Array.from(keep, (r) => y[r]!),
      );
      expect(fit.converged).toBe(true);
      const ours = [fit.intercept, ...fit.coefficients];
      ours.forEach((b, j) => {
        expect(close(b, c.coefficients[j]!, 1e-6), `coefficient ${j}: ${b} vs ${c.coefficients[j]}`).toBe(
          true,
        );
        expect(close(fit.standardErrors[j]!, c.standardErrors[j]!, 1e-6), `se ${j}`).toBe(true);
        expect(Math.abs(fit.pValues[j]! - c.pValues[j]!), `p ${j}`).toBeLessThanOrEqual(
          1e-6 * Math.max(1e-300, c.pValues[j]!) + 1e-12,
        );
      });
      expect(close(fit.deviance, c.deviance, 1e-9)).toBe(true);
      expect(close(fit.aic, c.aic, 1e-9)).toBe(true);
    });
  }

  it('reports quasi-complete separation', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => i);
    const y = Uint8Array.from({ length: 40 }, (_, i) => (i >= 20 ? 1 : 0));
    const fit = fitLogistic([x], ['x'], y);
    expect(fit.separation.detected).toBe(true);
    expect(fit.separation.message).toMatch(/separation.*x/);
  });

  it('counts the rows fitted at 0 or 1 and the iterations in the singular for one', () => {
    // Rows 0..k-1 have x = 1 and are all bad: only they are fitted at probability 1.
    const separated = (k: number) => {
      const x = Float64Array.from({ length: 40 }, (_, i) => (i < k ? 1 : 0));
      const y = Uint8Array.from({ length: 40 }, (_, i) => (i < k || i % 3 === 0 ? 1 : 0));
      return fitLogistic([x], ['x'], y);
    };
    const tail =
      ': (quasi-)complete separation is likely, led by x; coefficients and standard errors are unreliable — merge bins, drop the feature or set an L2 penalty';
    expect(separated(1).separation.message).toBe(
      `1 row is fitted with probability numerically 0 or 1${tail}`,
    );
    expect(separated(2).separation.message).toBe(
      `2 rows are fitted with probability numerically 0 or 1${tail}`,
    );
    const x = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const y = Uint8Array.from({ length: 200 }, (_, i) => (Math.sin(i) + Math.cos(3 * i) > 0 ? 1 : 0));
    const stopped = (iterationsMax: number) => fitLogistic([x], ['x'], y, { iterationsMax }).warnings;
    expect(stopped(1)).toContain('no convergence after 1 iteration');
    expect(stopped(2)).toContain('no convergence after 2 iterations');
  });

  it('shrinks coefficients with an L2 penalty and converges', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const y = Uint8Array.from({ length: 200 }, (_, i) => (Math.sin(i) + Math.cos(3 * i) > 0 ? 1 : 0));
    const plain = fitLogistic([x], ['x'], y);
    const ridge = fitLogistic([x], ['x'], y, { l2: 50 });
    expect(ridge.converged).toBe(true);
    expect(Math.abs(ridge.coefficients[0]!)).toBeLessThan(Math.abs(plain.coefficients[0]!));
  });

  it('computes erfc to near double precision', () => {
    expect(erfc(0)).toBe(1);
    expect(Math.abs(erfc(1) - 0.15729920705028513)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(3) / 2.209049699858544e-5 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(-0.5) - 1.5204998778130465)).toBeLessThan(1e-15);
  });
});
