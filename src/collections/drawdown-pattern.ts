import type { Day } from '../money/index.js';

/**
 * Drawdown and spending pattern before default (违约前的用信行为): how the borrower used their credit lines in
 * the days before the first missed due date. A borrower who draws the line to (near) full just before they
 * stop paying (a "bust-out") shows a willingness or fraud sign; one with a long, steady history of draws who
 * then misses a payment shows nothing either way. Pure: the ledger's drawdowns and the lines' limits come in.
 */
export interface DrawdownHistory {
  /** The first missed due date: the oldest due date still unpaid on the borrower's loans. */
  readonly firstMissedDueDay: Day;
  /** Every drawdown on the borrower's lines (each a loan drawn): its day and principal, fen. */
  readonly draws: readonly { readonly day: Day; readonly principalMinor: number }[];
  /** The borrower's lines' limits in force on the first missed due date, summed, fen. */
  readonly limitMinor: number;
  /** Principal outstanding on the borrower's loans at the close of the first missed due date, fen. */
  readonly usedOnMissedDayMinor: number;
}

/** What the assessment reads of the history: every figure is shown with the reason it gives. */
export interface DrawdownFacts {
  readonly firstMissedDueDay: Day;
  /** The window: the `windowDays` days up to and including the first missed due date. */
  readonly windowDays: number;
  readonly limitMinor: number;
  /** Drawdowns in the window, and their principal. */
  readonly windowDraws: number;
  readonly windowDrawnMinor: number;
  /** The window's drawn principal as a share of the limit, basis points (floored; 0 without a limit). */
  readonly windowDrawn_bp: number;
  /** The line used at the close of the first missed due date, basis points of the limit (floored). */
  readonly usedOnMissedDay_bp: number;
  /** Drawdowns after the first missed due date (the line controls let them through). */
  readonly drawsAfterMissed: number;
  /** Drawdowns before the window: the history of use. */
  readonly drawsBeforeWindow: number;
  /** Days from the first drawdown to the first missed due date (0 without a drawdown before it). */
  readonly historyDays: number;
}

const share_bp = (partMinor: number, limitMinor: number): number =>
  limitMinor <= 0 ? 0 : Math.floor((Math.max(0, partMinor) * 10_000) / limitMinor);

/** The facts of a history for a window of `windowDays` days (≥ 1). */
export function drawdownFacts(h: DrawdownHistory, windowDays: number): DrawdownFacts {
  const from = h.firstMissedDueDay - windowDays + 1;
  let windowDraws = 0;
  let windowDrawnMinor = 0;
  let drawsAfterMissed = 0;
  let drawsBeforeWindow = 0;
  let firstDraw: Day | null = null;
  for (const d of h.draws) {
    if (d.day > h.firstMissedDueDay) {
      drawsAfterMissed++;
      continue;
    }
    if (firstDraw === null || d.day < firstDraw) firstDraw = d.day;
    if (d.day >= from) {
      windowDraws++;
      windowDrawnMinor += d.principalMinor;
    } else drawsBeforeWindow++;
  }
  return {
    firstMissedDueDay: h.firstMissedDueDay,
    windowDays,
    limitMinor: h.limitMinor,
    windowDraws,
    windowDrawnMinor,
    windowDrawn_bp: share_bp(windowDrawnMinor, h.limitMinor),
    usedOnMissedDay_bp: share_bp(h.usedOnMissedDayMinor, h.limitMinor),
    drawsAfterMissed,
    drawsBeforeWindow,
    historyDays: firstDraw === null ? 0 : h.firstMissedDueDay - firstDraw,
  };
}

/** What the pattern reads as (each with the facts shown beside it). */
export interface DrawdownReading {
  /** Drew the line to near full in the window: a willingness (or fraud) sign. */
  readonly bustOut: boolean;
  /** Drew heavily or often in the window, not to near full, without a steady history. */
  readonly drawnBeforeDefault: boolean;
  /** Drew after the first missed due date. */
  readonly drawAfterMissed: boolean;
  /** A long, steady history of use before the window: neutral (it suppresses `drawnBeforeDefault`). */
  readonly steady: boolean;
}

export interface DrawdownThresholds {
  /** Used share of the limit at the close of the first missed due date that reads as near full, percent. */
  readonly bustOutUsed_pct: number;
  /** Share of the limit drawn in the window from which the window's draws read as heavy, percent. */
  readonly windowDrawn_pct: number;
  /** Draws in the window from which they read as frequent. */
  readonly windowDrawsMin: number;
  /** A history of use at least this long before the first missed due date reads as steady … */
  readonly steadyHistoryDays: number;
  /** … with at least this many draws before the window. */
  readonly steadyDrawsMin: number;
}

/** Reads the facts against the thresholds. */
export function readDrawdowns(f: DrawdownFacts, t: DrawdownThresholds): DrawdownReading {
  const heavy = f.limitMinor > 0 && f.windowDrawn_bp >= t.windowDrawn_pct * 100;
  const nearFull = f.limitMinor > 0 && f.usedOnMissedDay_bp >= t.bustOutUsed_pct * 100;
  const steady = f.historyDays >= t.steadyHistoryDays && f.drawsBeforeWindow >= t.steadyDrawsMin;
  const bustOut = heavy && nearFull;
  return {
    bustOut,
    drawnBeforeDefault: !bustOut && !steady && (heavy || f.windowDraws >= t.windowDrawsMin),
    drawAfterMissed: f.drawsAfterMissed > 0,
    steady,
  };
}
