import type { Column, Dataset, Target } from '../dataset.js';
import { GbmError } from './errors.js';
import type { GbmFeatureEncoding } from './types.js';

/**
 * Pseudo-rows of the overall bad rate mixed into each level's rate before levels are ordered, so that a
 * level seen a handful of times sits near the middle rather than at an extreme.
 */
export const LEVEL_SMOOTHING_ROWS = 20;

/**
 * Encodings learned on training data: numeric columns pass through; categorical levels are ordered by their
 * smoothed bad rate, so a tree can group similar levels with one threshold. Levels absent from the training
 * rows are left out and so scored as missing.
 */
export function learnEncodings(data: Dataset, target: Target): GbmFeatureEncoding[] {
  if (target.length !== data.rowCount) {
    throw new GbmError(
      'GBM_INVALID_TARGET',
      `target has ${target.length} rows but the data has ${data.rowCount}; give one target per row`,
    );
  }
  const seen = new Set<string>();
  let bad = 0;
  for (let r = 0; r < target.length; r++) bad += target[r] === 1 ? 1 : 0;
  const prior = data.rowCount === 0 ? 0 : bad / data.rowCount;
  return data.columns.map((column): GbmFeatureEncoding => {
    if (seen.has(column.name)) {
      throw new GbmError(
        'GBM_COLUMN_KIND',
        `column ${column.name} appears twice; give each column a distinct name`,
      );
    }
    seen.add(column.name);
    if (column.kind === 'numeric') return { name: column.name, kind: 'numeric' };
    const rows = new Float64Array(column.levels.length);
    const bads = new Float64Array(column.levels.length);
    for (let r = 0; r < column.codes.length; r++) {
      const code = column.codes[r]!;
      if (code < 0) continue;
      if (code >= column.levels.length) {
        throw new GbmError(
          'GBM_COLUMN_KIND',
          `column ${column.name} row ${r} has code ${code} beyond its ${column.levels.length} levels; fix the column's codes`,
        );
      }
      rows[code]! += 1;
      bads[code]! += target[r] === 1 ? 1 : 0;
    }
    const present: { level: string; rate: number }[] = [];
    for (let code = 0; code < column.levels.length; code++) {
      if (rows[code]! === 0) continue;
      const rate = (bads[code]! + LEVEL_SMOOTHING_ROWS * prior) / (rows[code]! + LEVEL_SMOOTHING_ROWS);
      present.push({ level: column.levels[code]!, rate });
    }
    present.sort((a, b) => a.rate - b.rate || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
    return { name: column.name, kind: 'categorical', levels: present.map((p) => p.level) };
  });
}

/** Finds each model feature's column by name and turns it into the numbers the trees compare. */
export function encodeColumns(
  encodings: readonly GbmFeatureEncoding[],
  data: Dataset,
): { columns: Float64Array[]; sources: Column[] } {
  const byName = new Map<string, Column>();
  for (const column of data.columns) if (!byName.has(column.name)) byName.set(column.name, column);
  const sources: Column[] = [];
  const columns = encodings.map((encoding) => {
    const column = byName.get(encoding.name);
    if (!column) {
      throw new GbmError(
        'GBM_MISSING_COLUMN',
        `the model needs column ${encoding.name}, which the data lacks; add it (missing values are allowed)`,
      );
    }
    if (column.kind !== encoding.kind) {
      throw new GbmError(
        'GBM_COLUMN_KIND',
        `column ${encoding.name} is ${column.kind} but the model was trained on it as ${encoding.kind}; load it as ${encoding.kind}`,
      );
    }
    sources.push(column);
    if (column.kind === 'numeric') {
      if (column.values.length !== data.rowCount) {
        throw new GbmError(
          'GBM_COLUMN_KIND',
          `column ${column.name} has ${column.values.length} values for ${data.rowCount} rows`,
        );
      }
      return column.values;
    }
    if (column.codes.length !== data.rowCount) {
      throw new GbmError(
        'GBM_COLUMN_KIND',
        `column ${column.name} has ${column.codes.length} codes for ${data.rowCount} rows`,
      );
    }
    const levels = encoding.kind === 'categorical' ? encoding.levels : [];
    const ordered = new Map<string, number>(levels.map((level, index) => [level, index]));
    const translate = column.levels.map((level) => ordered.get(level) ?? Number.NaN);
    const values = new Float64Array(data.rowCount);
    for (let r = 0; r < data.rowCount; r++) {
      const code = column.codes[r]!;
      values[r] = code < 0 ? Number.NaN : (translate[code] ?? Number.NaN);
    }
    return values;
  });
  return { columns, sources };
}

/** A row's raw value as text, for reason codes. */
export function valueText(column: Column, row: number): string {
  if (column.kind === 'numeric') {
    const v = column.values[row]!;
    return Number.isNaN(v) ? 'missing' : String(v);
  }
  const code = column.codes[row]!;
  return code < 0 ? 'missing' : (column.levels[code] ?? 'missing');
}
