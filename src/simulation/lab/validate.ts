/**
 * Checks of the strategy lab's input files (population, scenario, strategy): every problem is reported with
 * its JSON path and what to write instead, all at once, so that a file is fixed in one pass.
 */
import { counted } from '../../money/index.js';

export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** A population, scenario or strategy file that cannot be used, with each problem by path. */
export class SimulationInputError extends Error {
  constructor(
    readonly code: 'population_invalid' | 'scenario_invalid' | 'strategy_invalid',
    readonly file: string,
    readonly issues: readonly InputIssue[],
  ) {
    super(
      `${file}: ${counted(issues.length, 'problem')}:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'SimulationInputError';
  }
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects issues while reading an object; each reader returns a usable value (the default) on a problem. */
export class Reader {
  readonly issues: InputIssue[] = [];

  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Keys of `obj` not in `known` are reported (a misspelt key is otherwise silently ignored). */
  known(obj: Obj, path: string, known: readonly string[]): void {
    for (const k of Object.keys(obj))
      if (!known.includes(k))
        this.issue(`${path}.${k}`, `is not a known field; expected one of ${known.join(', ')}`);
  }

  number(
    obj: Obj,
    key: string,
    path: string,
    fallback: number,
    min: number,
    max: number,
    integer = false,
  ): number {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (integer && !Number.isInteger(v)) ||
      v < min ||
      v > max
    ) {
      this.issue(
        `${path}.${key}`,
        `is ${JSON.stringify(v)}; give ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
      );
      return fallback;
    }
    return v;
  }

  string(obj: Obj, key: string, path: string, fallback: string): string {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || v.trim() === '') {
      this.issue(`${path}.${key}`, `is ${JSON.stringify(v)}; give a non-empty string`);
      return fallback;
    }
    return v;
  }

  boolean(obj: Obj, key: string, path: string, fallback: boolean): boolean {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.issue(`${path}.${key}`, `is ${JSON.stringify(v)}; give true or false`);
      return fallback;
    }
    return v;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, fallback: T, allowed: readonly T[]): T {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      this.issue(
        `${path}.${key}`,
        `is ${JSON.stringify(v)}; give one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
      );
      return fallback;
    }
    return v as T;
  }

  object(obj: Obj, key: string, path: string): Obj | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!isObj(v)) {
      this.issue(`${path}.${key}`, `is ${JSON.stringify(v)}; give an object`);
      return undefined;
    }
    return v;
  }

  array(obj: Obj, key: string, path: string): unknown[] | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.issue(`${path}.${key}`, `is ${JSON.stringify(v)}; give an array`);
      return undefined;
    }
    return v;
  }

  strings(obj: Obj, key: string, path: string, fallback: readonly string[]): string[] {
    const v = this.array(obj, key, path);
    if (v === undefined) return [...fallback];
    const out: string[] = [];
    v.forEach((x, i) => {
      if (typeof x !== 'string' || x === '') this.issue(`${path}.${key}[${i}]`, 'give a non-empty string');
      else out.push(x);
    });
    return out;
  }

  /** The file's `format` and `formatVersion` header. */
  header(obj: Obj, format: string): void {
    if (obj.format !== format)
      this.issue(
        '$.format',
        `is ${JSON.stringify(obj.format)}; a file of this kind starts with "format": "${format}"`,
      );
    if (obj.formatVersion !== 1)
      this.issue('$.formatVersion', `is ${JSON.stringify(obj.formatVersion)}; the only version is 1`);
  }
}

/** Shares (a map of name → share) summing to 1 within a tolerance. */
export function readShares(
  r: Reader,
  obj: Obj,
  key: string,
  path: string,
  fallback: Readonly<Record<string, number>>,
): Record<string, number> {
  const v = r.object(obj, key, path);
  if (v === undefined) return { ...fallback };
  const out: Record<string, number> = {};
  let sum = 0;
  for (const [k, share] of Object.entries(v)) {
    if (typeof share !== 'number' || !(share >= 0) || share > 1) {
      r.issue(`${path}.${key}.${k}`, `is ${JSON.stringify(share)}; give a share from 0 to 1`);
      continue;
    }
    out[k] = share;
    sum += share;
  }
  if (Object.keys(out).length === 0) r.issue(`${path}.${key}`, 'is empty; give at least one share');
  else if (Math.abs(sum - 1) > 1e-6)
    r.issue(`${path}.${key}`, `shares sum to ${Number(sum.toFixed(6))}; they must sum to 1`);
  return out;
}
