import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Column, Dataset } from '../../../src/scoring/dataset.js';

/** A minimal reader for the quoted, comma-separated fixture files (no embedded commas or quotes in them). */
function readRows(file: string): string[][] {
  const text = readFileSync(fileURLToPath(new URL(`../../fixtures/data/${file}`, import.meta.url)), 'utf8');
  return text
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1')));
}

/** Loads a fixture as a Dataset: columns whose every present cell is a number are numeric, others categorical. */
export function loadFixture(
  file: string,
  targetName: string,
  badLabel: string,
): { data: Dataset; y: Uint8Array } {
  const [header, ...rows] = readRows(file);
  if (!header) throw new Error(`${file} is empty`);
  const targetIndex = header.indexOf(targetName);
  const y = Uint8Array.from(rows, (row) => (row[targetIndex] === badLabel ? 1 : 0));
  const columns: Column[] = [];
  header.forEach((name, c) => {
    if (c === targetIndex) return;
    const cells = rows.map((row) => row[c] ?? 'NA');
    const numeric = cells.every((cell) => cell === 'NA' || cell === '' || Number.isFinite(Number(cell)));
    if (numeric) {
      const values = Float64Array.from(cells, (cell) =>
        cell === 'NA' || cell === '' ? Number.NaN : Number(cell),
      );
      columns.push({ kind: 'numeric', name, values, specialValues: [] });
    } else {
      const levels = [...new Set(cells.filter((cell) => cell !== 'NA' && cell !== ''))].sort();
      const codes = Int32Array.from(cells, (cell) => levels.indexOf(cell));
      columns.push({ kind: 'categorical', name, codes, levels });
    }
  });
  return { data: { rowCount: rows.length, columns }, y };
}

/** Seeded stratified split of row indices into a training share and the rest. */
export function stratifiedRows(
  y: Uint8Array,
  trainShare: number,
  seed: number,
): { train: number[]; test: number[] } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4_294_967_296;
  };
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [0, 1]) {
    const members = [...y.keys()].filter((r) => y[r] === label);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    const cut = Math.round(members.length * trainShare);
    for (const [i, r] of members.entries()) (i < cut ? train : test).push(r);
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** The rows of a dataset at the given indices. */
export function takeRows(data: Dataset, rows: readonly number[]): Dataset {
  const columns = data.columns.map((column): Column => {
    if (column.kind === 'numeric') {
      return { ...column, values: Float64Array.from(rows, (r) => column.values[r]!) };
    }
    return { ...column, codes: Int32Array.from(rows, (r) => column.codes[r]!) };
  });
  return { rowCount: rows.length, columns };
}

/** Area under the ROC curve by the rank-sum formula, ties given their mean rank. */
export function rocAuc(score: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = score.length;
  const order = [...Array(n).keys()].sort((a, b) => score[a]! - score[b]!);
  let rankSumBad = 0;
  let bad = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]!] === score[order[i]!]) j++;
    const meanRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (y[order[k]!] === 1) {
        rankSumBad += meanRank;
        bad++;
      }
    }
    i = j + 1;
  }
  const good = n - bad;
  return (rankSumBad - (bad * (bad + 1)) / 2) / (bad * good);
}
