/**
 * What a recall from an agency means for the strategy's placement step (decision 0912). `place_again`: the
 * case was recalled to move it to another agency, so the step places it again (not with the agency it left).
 * `hold_step`: a recall with a reason took the case back, and the step it was on does not place it again; the
 * case refresh clears the hold once the case is on another step (or closed), so a later placement step — or
 * the same one, reached again — places it. Recalls made before this are holds on the step their case is on
 * now, so no case taken back is placed again by the upgrade.
 */
export const sql = `
alter table collection_placements
  add column place_again boolean not null default false,
  add column hold_step   text,
  add constraint collection_placements_hold_or_again check (not (place_again and hold_step is not null));
update collection_placements p set hold_step = c.strategy_step
  from collection_cases c
 where p.case_id = c.case_id and p.recalled_day is not null and c.status = 'open' and c.agency_id is null
   and c.strategy_step is not null;
create index collection_placements_hold on collection_placements (case_id) where hold_step is not null;
`;
