import { balancedPosting, credit, debit, type Posting, type PostingLine } from '../../ledger/index.js';
import { type Day, invariant } from '../../money/index.js';
import type { Ifrs9Stage } from '../ifrs9.js';

/** One exposure's provision at a month end, as a stored ECL run keeps it. */
export interface ProvisionPosition {
  readonly exposureId: string;
  readonly stage: Ifrs9Stage;
  readonly eclMinor: number;
}

/**
 * The movements of the loss allowance between two month ends (IFRS 7 §35H), per stage:
 * - `new`: exposures not in the opening run (new loans and limits), at their closing ECL;
 * - `transfer-to-N`: an exposure whose stage changed moves its opening ECL from its old stage to N (zero in
 *   total);
 * - `derecognised`: exposures gone for any reason but write-off (repaid, settled, limit closed), at −opening;
 * - `write-off`: exposures written off during the month, at −opening (the allowance used);
 * - `remeasurement`: closing − opening of exposures in both runs, in their closing stage.
 */
export const ROLL_FORWARD_MOVEMENTS = [
  'opening',
  'transfer-to-1',
  'transfer-to-2',
  'transfer-to-3',
  'new',
  'derecognised',
  'write-off',
  'remeasurement',
  'closing',
] as const;
export type RollForwardMovement = (typeof ROLL_FORWARD_MOVEMENTS)[number];

export interface RollForwardLine {
  readonly movement: RollForwardMovement;
  /** Fen by stage 1, 2, 3. */
  readonly byStage: readonly [number, number, number];
  readonly totalMinor: number;
}

export interface RollForwardDetail {
  readonly exposureId: string;
  readonly openingStage: Ifrs9Stage | null;
  readonly closingStage: Ifrs9Stage | null;
  readonly openingMinor: number;
  readonly closingMinor: number;
  readonly movement: 'new' | 'derecognised' | 'write-off' | 'remeasurement' | 'transfer';
}

export interface RollForward {
  readonly lines: readonly RollForwardLine[];
  readonly details: readonly RollForwardDetail[];
  readonly openingMinor: number;
  readonly closingMinor: number;
  /** The opening ECL of the exposures written off in the month: the allowance the write-offs use. */
  readonly writtenOffMinor: number;
}

function byId(rows: readonly ProvisionPosition[]): Map<string, ProvisionPosition> {
  const out = new Map<string, ProvisionPosition>();
  for (const r of rows) {
    invariant(!out.has(r.exposureId), () => `exposure ${r.exposureId} appears twice in one run`);
    invariant(
      Number.isSafeInteger(r.eclMinor) && r.eclMinor >= 0,
      () => `${r.exposureId}: ECL must be ≥ 0 fen`,
    );
    out.set(r.exposureId, r);
  }
  return out;
}

export function provisionRollForward(
  opening: readonly ProvisionPosition[],
  closing: readonly ProvisionPosition[],
  writtenOff: ReadonlySet<string>,
): RollForward {
  const open = byId(opening);
  const close = byId(closing);
  const sums = new Map<RollForwardMovement, [number, number, number]>(
    ROLL_FORWARD_MOVEMENTS.map((m) => [m, [0, 0, 0]]),
  );
  const add = (m: RollForwardMovement, stage: Ifrs9Stage, minor: number): void => {
    const row = sums.get(m) as [number, number, number];
    row[stage - 1] = (row[stage - 1] as number) + minor;
  };
  const details: RollForwardDetail[] = [];
  const ids = [...new Set([...open.keys(), ...close.keys()])].sort();
  for (const id of ids) {
    const o = open.get(id);
    const c = close.get(id);
    if (o !== undefined) add('opening', o.stage, o.eclMinor);
    if (c !== undefined) add('closing', c.stage, c.eclMinor);
    const base = {
      exposureId: id,
      openingStage: o?.stage ?? null,
      closingStage: c?.stage ?? null,
      openingMinor: o?.eclMinor ?? 0,
      closingMinor: c?.eclMinor ?? 0,
    };
    if (o === undefined && c !== undefined) {
      add('new', c.stage, c.eclMinor);
      details.push({ ...base, movement: 'new' });
    } else if (o !== undefined && c === undefined) {
      const m = writtenOff.has(id) ? 'write-off' : 'derecognised';
      add(m, o.stage, -o.eclMinor);
      details.push({ ...base, movement: m });
    } else if (o !== undefined && c !== undefined) {
      if (o.stage !== c.stage) {
        add(`transfer-to-${c.stage}`, o.stage, -o.eclMinor);
        add(`transfer-to-${c.stage}`, c.stage, o.eclMinor);
      }
      add('remeasurement', c.stage, c.eclMinor - o.eclMinor);
      details.push({ ...base, movement: o.stage !== c.stage ? 'transfer' : 'remeasurement' });
    }
  }
  const lines = ROLL_FORWARD_MOVEMENTS.map((movement) => {
    const byStage = sums.get(movement) as [number, number, number];
    return { movement, byStage, totalMinor: byStage[0] + byStage[1] + byStage[2] } as RollForwardLine;
  });
  // The movements close each stage to the fen: opening + every movement = closing.
  for (let s = 0; s < 3; s += 1) {
    let running = 0;
    for (const line of lines) if (line.movement !== 'closing') running += line.byStage[s] as number;
    const closingLine = lines.at(-1) as RollForwardLine;
    invariant(running === closingLine.byStage[s], () => `stage ${s + 1}: roll-forward does not close`);
  }
  const total = (m: RollForwardMovement) =>
    (lines.find((l) => l.movement === m) as RollForwardLine).totalMinor;
  return {
    lines,
    details,
    openingMinor: total('opening'),
    closingMinor: total('closing'),
    writtenOffMinor: 0 - total('write-off'), // 0 − x, not −x: no negative zero
  };
}

/**
 * The month's journal entry that brings the loss allowance on the books to the closing ECL:
 * the allowance used by the month's write-offs (Dr 1304 loss allowance, Cr 6701 write-off loss: the loss was
 * provided for, up to what the books hold), then the charge or release of the rest (Dr 6702 impairment loss /
 * Cr 1304, or the reverse). `allowanceOnBooksMinor` is the 1304 credit balance before the entry.
 */
export function provisionPosting(input: {
  readonly eventRef: string;
  readonly day: Day;
  readonly allowanceOnBooksMinor: number;
  readonly closingMinor: number;
  readonly writtenOffMinor: number;
}): { posting: Posting | null; usedMinor: number; chargeMinor: number } {
  invariant(
    input.allowanceOnBooksMinor >= 0 && input.closingMinor >= 0 && input.writtenOffMinor >= 0,
    'amounts must be ≥ 0',
  );
  const used = Math.min(input.writtenOffMinor, input.allowanceOnBooksMinor);
  const charge = input.closingMinor - (input.allowanceOnBooksMinor - used);
  const lines: PostingLine[] = [debit('lossAllowance', used), credit('writeOffLoss', used)];
  if (charge >= 0) lines.push(debit('impairmentLoss', charge), credit('lossAllowance', charge));
  else lines.push(debit('lossAllowance', -charge), credit('impairmentLoss', -charge));
  return { posting: balancedPosting(lines, input.eventRef, input.day), usedMinor: used, chargeMinor: charge };
}
