/**
 * The end-of-day batch's view of every loan in a narrow table of its own, `loan_eod` (partition key,
 * marker, next event day), kept by triggers on `loans`, so that `loans` has no index on a column that
 * moves every day. A loan's daily update then changes no indexed column of `loans` (the list columns of
 * migration 0005 move only when the bucket or principal does) and, with the room the fill factor leaves
 * on each page, is a HOT update: the new row version goes on the same page and no index of `loans` is
 * written (decision 0234).
 */
export const sql = `
create table loan_eod (
  customer_id       text not null,
  loan_id           text not null,
  -- As loans.partition_key: EOD partitions are ranges of it.
  partition_key     smallint generated always as ((hashtext(customer_id) & 1023)::smallint) stored,
  -- Copies of loans.last_closed_day and loans.next_event_day, set by the triggers below.
  last_closed_day   date not null,
  next_event_day    date not null,
  primary key (customer_id, loan_id)
);
insert into loan_eod (customer_id, loan_id, last_closed_day, next_event_day)
  select customer_id, loan_id, last_closed_day, next_event_day from loans;
-- The quiet-loan count and the "loans with work" pages read this index alone (loan_id included).
create index loan_eod_scan on loan_eod (partition_key, last_closed_day, next_event_day) include (loan_id);
drop index loans_eod;

create function loans_keep_eod() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into loan_eod (customer_id, loan_id, last_closed_day, next_event_day)
      values (new.customer_id, new.loan_id, new.last_closed_day, new.next_event_day);
    return null;
  end if;
  if tg_op = 'DELETE' then
    delete from loan_eod where customer_id = old.customer_id and loan_id = old.loan_id;
    return null;
  end if;
  update loan_eod set customer_id = new.customer_id, loan_id = new.loan_id,
      last_closed_day = new.last_closed_day, next_event_day = new.next_event_day
    where customer_id = old.customer_id and loan_id = old.loan_id;
  if not found then
    raise exception 'loan_eod has no row for loan % of customer %', old.loan_id, old.customer_id;
  end if;
  return null;
end
$$;
create trigger loans_keep_eod_insert_delete
  after insert or delete on loans
  for each row execute function loans_keep_eod();
-- Only when a kept column changes: a write of the state alone (same marker) leaves loan_eod alone.
create trigger loans_keep_eod_update
  after update of customer_id, loan_id, last_closed_day, next_event_day on loans
  for each row
  when ((old.customer_id, old.loan_id, old.last_closed_day, old.next_event_day)
        is distinct from (new.customer_id, new.loan_id, new.last_closed_day, new.next_event_day))
  execute function loans_keep_eod();

-- Room on every page for a new version of one of its rows (about 1.8 KB of 8 KB, the state compressed):
-- pages written from now on hold three loans, not four. Rows already stored move to such pages as they
-- are updated; VACUUM FULL (or pg_repack) gives the whole table the room at once.
alter table loans set (fillfactor = 75);
`;
