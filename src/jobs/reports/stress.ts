import type { Day } from '../../money/index.js';
import { buildStressReport, type Report, ReportInputError, stressScenario } from '../../reporting/index.js';
import type { Queryable } from '../../store/index.js';
import { requestClosedDay } from './closed-day.js';
import { computeEcl, type EclRunOptions } from './ecl.js';
import { computeLiquidity, modelOf } from './liquidity.js';
import type { ReportLoader } from './loader.js';
import { loadScenarioPack } from './scenarios.js';

/** Every scenario of the pack (or the one asked for) as certain: ECL, NPL, losses and cash-in. */
export async function stressReport(
  q: Queryable,
  asOf: Day,
  scenario?: string,
  options: EclRunOptions = {},
  progress?: (done: number, total: number) => void,
): Promise<Report> {
  const pack = options.pack ?? loadScenarioPack();
  const chosen = scenario === undefined ? pack.scenarios : pack.scenarios.filter((s) => s.id === scenario);
  if (chosen.length === 0) throw new ReportInputError(`unknown scenario "${scenario}"`);
  const total = chosen.length + 2;
  progress?.(0, total);
  const weighted = await computeEcl(q, asOf, { ...options, pack });
  const book = weighted.book;
  const model = modelOf(book, pack, options.settings);
  progress?.(1, total);
  const { projection } = await computeLiquidity(q, book, model, chosen);
  progress?.(2, total);
  const results = chosen.map((s, i) => {
    const r = stressScenario(model, book.exposures, s);
    progress?.(3 + i, total);
    const cashIn = projection.periods.months.reduce(
      (a, p) => a + (projection.rows.get(p.key)?.expectedMinor.get(s.id) ?? 0),
      0,
    );
    return { ...r, cashInMinor: cashIn };
  });
  const currentNpl = weighted.rows
    .filter((r) => r.kind === 'drawn' && r.stage === 3)
    .reduce((a, r) => a + r.eadMinor, 0);
  return buildStressReport({
    asOf,
    model,
    results,
    weightedEclMinor: weighted.rows.reduce((a, r) => a + r.eclMinor, 0),
    currentNplMinor: currentNpl,
    ...(scenario === undefined ? {} : { scenario }),
  });
}

export const stressLoader: ReportLoader = {
  kind: 'stress',
  async load(db, request, progress, context) {
    return stressReport(db, await requestClosedDay(db, request), request.scenario, context?.ecl, progress);
  },
};
