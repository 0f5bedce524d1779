/** The strategy lab as the API answers it (docs/api.md, decision 0901); amounts are decimal strings of yuan. */

import type { ResponseOf } from './api-types.js';
import type { I18n } from './i18n.js';
import { en, type MessageKey } from './messages.js';

/** A traced borrower's note of a month, as the lab gives it (src/simulation/lab/notes.ts). */
export interface LabNote {
  code: string;
  params: Record<string, string | number>;
}

/** The params a note quotes that are codes (statuses, kinds, industries, hardship causes), said as words. */
const WORDED = ['outcome', 'status', 'kind', 'industry', 'cause'];

/** A note in the reader's language; a note of a code this page does not know is shown as its code. */
export function labNoteText(note: LabNote, t: I18n['t']): string {
  const key = `labNote.${note.code}`;
  if (!(key in en)) return note.code;
  const params: Record<string, string | number> = { ...note.params };
  for (const name of WORDED) {
    const value = params[name];
    const word = `labValue.${String(value)}`;
    if (typeof value === 'string' && word in en) params[name] = t(word as MessageKey);
  }
  return t(key as MessageKey, params);
}

export type LabOptions = ResponseOf<'/simulation/options'>;
export type LabRun = Omit<ResponseOf<'/simulation/runs/{runId}'>, 'result'> & {
  result: LabComparison | null;
};

export interface LabInterval {
  mean: number | string;
  low: number | string;
  high: number | string;
}

export interface LabOutcome {
  approved: boolean;
  paid: string;
  owedAtEnd: string;
  monthsPastDue: number;
  worstDaysPastDue: number;
  lineAtEnd: string;
  creditReportAtEnd: string;
  assetClassAtEnd: string;
}

export interface LabComparison {
  run: { borrowers: number; months: number; replications: number; seed: number; scenario: string };
  strategies: { name: string; metrics: Record<string, LabInterval>; rollRates: Record<string, number> }[];
  difference: { a: string; b: string; metrics: Record<string, LabInterval> } | null;
  borrowers: {
    name: string;
    description: string;
    strategies: {
      strategy: string;
      outcome: LabOutcome;
      months: { month: number; daysPastDue: number; events: string[]; notes?: LabNote[] }[];
    }[];
  }[];
}

/** The figures the comparison shows, in order; amounts are the ones whose values are strings. */
export const LAB_FIGURES = [
  'losses',
  'lossRate',
  'recovered',
  'cashIn',
  'collectionCost',
  'disbursed',
  'approvalRate',
  'nplRatioEnd',
  'dpd90RatioEnd',
  'negativeReportBorrowers',
  'monthsOverdue',
  'lawsuits',
  'letters',
  'agencyPlacements',
  'complaints',
  'hardshipApplications',
  'incomeVerified',
  'lostContacts',
  'monthsLostContact',
] as const;

/** Ratios shown as percentages. */
export const LAB_RATIOS: ReadonlySet<string> = new Set([
  'lossRate',
  'approvalRate',
  'nplRatioEnd',
  'dpd90RatioEnd',
]);
