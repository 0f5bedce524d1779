/** The strategy lab as the API answers it (docs/api.md, decision 0901); amounts are decimal strings of yuan. */

import type { ResponseOf } from './api-types.js';

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
      months: { month: number; daysPastDue: number; events: string[] }[];
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
  'complaints',
] as const;

/** Ratios shown as percentages. */
export const LAB_RATIOS: ReadonlySet<string> = new Set([
  'lossRate',
  'approvalRate',
  'nplRatioEnd',
  'dpd90RatioEnd',
]);
