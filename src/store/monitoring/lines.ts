import { freezeLine } from '../../ledger/index.js';
import { type Day, formatDate } from '../../money/index.js';
import type { Queryable } from '../db.js';
import { insertLineChanges } from '../ledger/line-controls.js';
import { findLine, saveLine } from '../ledger/lines.js';
import { enqueueBusinessEvent } from '../reminders/outbox.js';

/** Who a signal's freeze is recorded as on the line's history (decision 0643). */
export const EARLY_WARNING_ACTOR = 'early-warning';

/**
 * A signal's limit action: every active line of the customer is frozen, recorded on its history as a
 * freeze that only a person lifts (source `operator`, actor `early-warning`, the signal's code and reason),
 * and `line.frozen` is queued for subscribers — all in the caller's transaction. Returns the lines frozen.
 */
export async function freezeLinesForSignal(
  tx: Queryable,
  customerId: string,
  day: Day,
  signal: { signalId: string; code: string; reason: string },
): Promise<string[]> {
  const { rows } = await tx.query<{ line_id: string }>(
    `select line_id from credit_lines where customer_id = $1 and status = 'active' order by line_id`,
    [customerId],
  );
  const frozen: string[] = [];
  for (const { line_id } of rows) {
    const stored = await findLine(tx, line_id, { forUpdate: true, customerId });
    if (stored === undefined || stored.state.status !== 'active') continue;
    const at = Math.max(day, stored.state.lastEventDay);
    const step = freezeLine(stored.state, signal.reason, at);
    await saveLine(tx, stored, step.line);
    await insertLineChanges(
      tx,
      stored,
      [
        {
          kind: 'frozen',
          fromStatus: stored.state.status,
          toStatus: step.line.status,
          fromLimitMinor: stored.state.limitMinor,
          toLimitMinor: step.line.limitMinor,
          code: signal.code,
          reason: signal.reason,
          day: at,
        },
      ],
      { source: 'operator', actor: EARLY_WARNING_ACTOR },
    );
    await enqueueBusinessEvent(
      tx,
      'line.frozen',
      `${line_id}:${signal.signalId}`,
      {
        lineId: line_id,
        customerId,
        day: formatDate(at),
        code: signal.code,
        reason: signal.reason,
        source: 'signal',
      },
      { customerId },
    );
    frozen.push(line_id);
  }
  return frozen;
}
