import type { Day } from '../../money/index.js';
import type { EventBuilder } from './builder.js';

/**
 * Breaks a restructured plan when `missedInstallmentsToBreak` of its instalments were missed (run at the
 * start of each business day, after instalments became overdue).
 */
export function emitRestructuringBroken(b: EventBuilder, day: Day): void {
  const r = b.state.restructuring;
  if (r === undefined || r.status !== 'active' || r.missedInLatest < r.missedInstallmentsToBreak) return;
  b.emit({ type: 'RestructuringBroken', day, missedInstallments: r.missedInLatest });
}
