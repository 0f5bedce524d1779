import { counted } from '../money/index.js';
import type { Column, Dataset } from './dataset.js';
import { ScoringError } from './errors.js';

/** Cell texts read as a missing value (after trimming). */
export const MISSING_TEXTS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'NaN', 'null', 'NULL']);

/**
 * Past this many distinct texts a column that has only held numbers stops keeping its texts: a later
 * non-numeric cell is then an error ("text where numbers are expected"), not a reason to treat it as categorical.
 */
export const LEVELS_TRACKED_MAX = 1000;

const INITIAL_CAPACITY_ROWS = 1024;

/**
 * A column whose non-missing cells are at least this share numbers is numeric, and its few texts are errors
 * ("text where numbers are expected") rather than categories.
 */
export const NUMERIC_SHARE_FOR_NUMERIC_COLUMN = 0.9;

export type ColumnKind = 'numeric' | 'categorical';

export interface TableOptions {
  /** Force the kind of some columns (the scorer uses the model's kinds; the target is read as categorical). */
  readonly kinds?: ReadonlyMap<string, ColumnKind>;
  /** Declared special values of numeric columns, by column name; `*` applies to every numeric column. */
  readonly specialValues?: ReadonlyMap<string, readonly number[]>;
}

/** Parses a cell as a finite number, or returns undefined. Accepts what `Number()` accepts except blanks and hex. */
export function parseNumber(text: string): number | undefined {
  if (text.length === 0 || /^0[xob]/i.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

class ColumnBuilder {
  values = new Float64Array(INITIAL_CAPACITY_ROWS);
  codes: Int32Array | undefined = new Int32Array(INITIAL_CAPACITY_ROWS);
  levels: string[] = [];
  levelIndex = new Map<string, number>();
  sawText = false;
  numbers = 0;
  texts = 0;
  firstTextRow = -1;
  firstText = '';

  constructor(
    readonly name: string,
    readonly forced: ColumnKind | undefined,
  ) {
    if (forced === 'numeric') this.codes = undefined;
  }

  push(row: number, raw: string): void {
    if (row >= this.values.length) this.grow(row);
    const text = raw.trim();
    if (MISSING_TEXTS.has(text)) {
      this.values[row] = Number.NaN;
      if (this.codes) this.codes[row] = -1;
      return;
    }
    const number = this.forced === 'categorical' ? undefined : parseNumber(text);
    if (number === undefined && this.forced !== 'categorical') {
      if (this.forced === 'numeric' || !this.codes) {
        throw new ScoringError(
          'TEXT_IN_NUMERIC_COLUMN',
          `column "${this.name}", data row ${row + 1}: found text "${text}" where numbers are expected ` +
            `(the column is numeric${this.forced ? ' in the model' : ': earlier rows held many distinct numbers'}); ` +
            'fix the value or mark it missing (empty or NA)',
        );
      }
      if (!this.sawText) {
        this.sawText = true;
        this.firstTextRow = row;
        this.firstText = text;
      }
    }
    this.values[row] = number ?? Number.NaN;
    if (number === undefined) this.texts++;
    else this.numbers++;
    if (this.codes) {
      let code = this.levelIndex.get(text);
      if (code === undefined) {
        code = this.levels.length;
        this.levels.push(text);
        this.levelIndex.set(text, code);
      }
      this.codes[row] = code;
      // A numeric column with many distinct values stops keeping texts (memory); it can no longer turn categorical.
      if (!this.sawText && this.forced !== 'categorical' && this.levels.length > LEVELS_TRACKED_MAX) {
        this.codes = undefined;
        this.levels = [];
        this.levelIndex.clear();
      }
    }
  }

  private grow(row: number): void {
    let capacity = this.values.length;
    while (capacity <= row) capacity *= 2;
    const values = new Float64Array(capacity);
    values.set(this.values);
    this.values = values;
    if (this.codes) {
      const codes = new Int32Array(capacity);
      codes.set(this.codes);
      this.codes = codes;
    }
  }

  finish(rowCount: number, specials: readonly number[]): Column {
    if (
      this.forced === undefined &&
      this.sawText &&
      this.numbers >= NUMERIC_SHARE_FOR_NUMERIC_COLUMN * (this.numbers + this.texts)
    ) {
      throw new ScoringError(
        'TEXT_IN_NUMERIC_COLUMN',
        `column "${this.name}", data row ${this.firstTextRow + 1}: found text "${this.firstText}" where numbers are expected ` +
          `(${this.numbers} of ${this.numbers + this.texts} values are numbers); fix the value or mark it missing (empty or NA)`,
      );
    }
    const categorical = this.forced === 'categorical' || (this.forced === undefined && this.sawText);
    if (categorical) {
      if (!this.codes) throw new Error(`assertion: categorical column ${this.name} lost its codes`);
      return {
        kind: 'categorical',
        name: this.name,
        codes: this.codes.slice(0, rowCount),
        levels: this.levels,
      };
    }
    return {
      kind: 'numeric',
      name: this.name,
      values: this.values.slice(0, rowCount),
      specialValues: specials,
    };
  }
}

/**
 * Builds a columnar Dataset from rows of cell texts, one row at a time, so a file can be streamed through it.
 * A column is numeric when every non-missing cell parses as a number, else categorical.
 */
export class TableBuilder {
  private readonly builders: ColumnBuilder[];
  private rows = 0;

  constructor(
    readonly header: readonly string[],
    private readonly options: TableOptions = {},
  ) {
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name)) {
        throw new ScoringError(
          'DUPLICATE_COLUMN',
          `column "${name}" appears twice in the header; rename one`,
        );
      }
      seen.add(name);
    }
    this.builders = header.map((name) => new ColumnBuilder(name, options.kinds?.get(name)));
  }

  get rowCount(): number {
    return this.rows;
  }

  addRow(cells: readonly string[]): void {
    if (cells.length !== this.builders.length) {
      throw new ScoringError(
        'RAGGED_ROW',
        `data row ${this.rows + 1} has ${counted(cells.length, 'cell')} but the header has ${this.builders.length}; fix the file`,
      );
    }
    for (let c = 0; c < this.builders.length; c++) this.builders[c]!.push(this.rows, cells[c]!);
    this.rows++;
  }

  finish(): Dataset {
    const all = this.options.specialValues?.get('*') ?? [];
    const columns = this.builders.map((b) => {
      const own = this.options.specialValues?.get(b.name) ?? [];
      return b.finish(this.rows, [...new Set([...all, ...own])]);
    });
    return { rowCount: this.rows, columns };
  }
}

export function findColumn(data: Dataset, name: string): Column | undefined {
  return data.columns.find((c) => c.name === name);
}

/**
 * Turns a column into the binary target: rows equal to `badValue` are 1, the one other class is 0.
 * Fails unless the column holds exactly two classes and no missing value.
 */
export function targetFromColumn(data: Dataset, name: string, badValue: string): Uint8Array {
  const column = findColumn(data, name);
  if (!column) {
    throw new ScoringError(
      'NO_TARGET_COLUMN',
      `no column named "${name}" in the data; columns are: ${data.columns.map((c) => c.name).join(', ')}`,
    );
  }
  const texts = new Map<string, number>();
  const target = new Uint8Array(data.rowCount);
  for (let r = 0; r < data.rowCount; r++) {
    let text: string | undefined;
    if (column.kind === 'categorical') {
      const code = column.codes[r]!;
      text = code < 0 ? undefined : column.levels[code];
    } else {
      const v = column.values[r]!;
      text = Number.isNaN(v) ? undefined : String(v);
    }
    if (text === undefined) {
      throw new ScoringError(
        'MISSING_TARGET',
        `target column "${name}" is missing in data row ${r + 1}; every row needs a target`,
      );
    }
    texts.set(text, (texts.get(text) ?? 0) + 1);
    target[r] = text === badValue ? 1 : 0;
  }
  const classes = [...texts.keys()];
  if (classes.length !== 2) {
    throw new ScoringError(
      'TARGET_NOT_BINARY',
      `target column "${name}" must hold exactly two classes, found ${classes.length}` +
        (classes.length ? ` (${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', …' : ''})` : ''),
    );
  }
  if (!texts.has(badValue)) {
    throw new ScoringError(
      'BAD_VALUE_ABSENT',
      `target column "${name}" has no value "${badValue}"; its classes are ${classes.join(' and ')}: pass one as --bad`,
    );
  }
  return target;
}

/** The dataset without the named columns. */
export function withoutColumns(data: Dataset, names: ReadonlySet<string>): Dataset {
  return { rowCount: data.rowCount, columns: data.columns.filter((c) => !names.has(c.name)) };
}

/** Selects rows by index, keeping column kinds and levels. */
export function selectRows(data: Dataset, rows: Int32Array | readonly number[]): Dataset {
  const n = rows.length;
  const columns = data.columns.map((column): Column => {
    if (column.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[rows[i]!]!;
      return { ...column, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = column.codes[rows[i]!]!;
    return { ...column, codes };
  });
  return { rowCount: n, columns };
}
