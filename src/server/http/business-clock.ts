import { businessInstant } from '../../jobs/index.js';
import type { Queryable } from '../../store/index.js';
import type { ServerDeps } from './context.js';

/**
 * The business time of an action taken now: the system business day (the ledger's day, moved by EOD) with
 * the lender's time of day. Applications, invitations, blacklist entries and decisions are dated by it, so
 * that origination and the ledger keep one clock: an invitation valid from the business day is valid for an
 * application made on it, whatever the machine's date.
 */
export async function businessNow(
  deps: Pick<ServerDeps, 'db' | 'config' | 'now'>,
  q?: Queryable,
): Promise<string> {
  const { rows } = await (q ?? deps.db).query<{ day: string }>('select day::text as day from business_day');
  const day = rows[0]?.day;
  if (day === undefined) throw new Error('assertion: business_day has no row (migration 0002 inserts it)');
  return businessInstant(day, deps.config.lenderTimeZone, deps.now());
}
