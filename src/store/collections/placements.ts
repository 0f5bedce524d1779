import { type Day, formatDate } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';

/** Placements (委外) of cases with agencies: by a person (the placement route) or by the strategy's step. */
export interface StoredPlacement {
  readonly placementId: string;
  readonly caseId: string;
  readonly agencyId: string;
  readonly placedDay: string;
  readonly recalledDay: string | null;
  readonly recallReason: string | null;
  /** Paid by the borrower since placement: at recall, or so far while placed. */
  readonly recoveredMinor: number;
  /** Recalled to move the case to another agency: the strategy's placement step places it again (0912). */
  readonly placeAgain: boolean;
}

/** Places an open case with an agency: it leaves the in-house lists (assignee cleared). */
export async function placeCase(
  q: Queryable,
  kase: { readonly caseId: string; readonly paidToDateMinor: number },
  agencyId: string,
  day: Day,
  by: string,
): Promise<StoredPlacement> {
  const placementId = newId('cpl');
  await q.query(
    `insert into collection_placements (placement_id, case_id, agency_id, placed_day, paid_at_placement, placed_by)
     values ($1, $2, $3, $4, $5, $6)`,
    [placementId, kase.caseId, agencyId, formatDate(day), kase.paidToDateMinor, by],
  );
  await q.query(
    `update collection_cases set agency_id = $2, assignee = null, row_version = row_version + 1, updated_at = now()
      where case_id = $1`,
    [kase.caseId, agencyId],
  );
  return {
    placementId,
    caseId: kase.caseId,
    agencyId,
    placedDay: formatDate(day),
    recalledDay: null,
    recallReason: null,
    recoveredMinor: 0,
    placeAgain: false,
  };
}
