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
  // `plc_` since placements stopped sharing complaints' `cpl_`; older placements keep their `cpl_` ids, which
  // stay valid: an id is an opaque string, never read for its prefix.
  const placementId = newId('plc');
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

/** A case's latest recall from an agency, as the strategy's placement step reads it (decision 0912). */
export interface LatestRecall {
  readonly placementId: string;
  readonly agencyId: string;
  /** The agency's name (its id when the agency is not registered). */
  readonly agencyName: string;
  readonly recalledDay: string;
  readonly reason: string;
  readonly recalledBy: string;
  readonly placeAgain: boolean;
  /** The step the recall holds the case off; null once the case left it, or when made to move agencies. */
  readonly holdStep: string | null;
}

/** The latest recall of each of the cases that has one (then the latest placement, then the highest id). */
export async function loadLatestRecalls(
  q: Queryable,
  caseIds: readonly string[],
): Promise<Map<string, LatestRecall>> {
  const out = new Map<string, LatestRecall>();
  if (caseIds.length === 0) return out;
  const { rows } = await q.query<{
    case_id: string;
    placement_id: string;
    agency_id: string;
    agency_name: string | null;
    recalled_day: string;
    recall_reason: string | null;
    recalled_by: string | null;
    place_again: boolean;
    hold_step: string | null;
  }>(
    `select distinct on (p.case_id) p.case_id, p.placement_id, p.agency_id, a.name as agency_name,
            p.recalled_day::text as recalled_day, p.recall_reason, p.recalled_by, p.place_again, p.hold_step
       from collection_placements p left join collection_agencies a on a.agency_id = p.agency_id
      where p.case_id = any($1::text[]) and p.recalled_day is not null
      order by p.case_id, p.recalled_day desc, p.placed_day desc, p.placement_id desc`,
    [caseIds],
  );
  for (const r of rows)
    out.set(r.case_id, {
      placementId: r.placement_id,
      agencyId: r.agency_id,
      agencyName: r.agency_name ?? r.agency_id,
      recalledDay: r.recalled_day,
      reason: r.recall_reason ?? '',
      recalledBy: r.recalled_by ?? '',
      placeAgain: r.place_again,
      holdStep: r.hold_step,
    });
  return out;
}
