import { type Day, divideRounded, formatDate, formatMinor } from '../money/index.js';
import { basePd, type EclExposure, type EclModel, measureExposure } from './ecl/ecl.js';
import { col, fig, l, ratioText } from './ecl/ecl-report.js';
import { clampMicro, formatMicro, MICRO_ONE, type Micro, mulMicro } from './ecl/micro.js';
import { type Scenario, type Shock, scenarioPdMultiplier } from './ecl/scenarios.js';
import { eclStage } from './ecl/staging.js';
import { markovStateOfBucket } from './ecl/transitions.js';
import type { Report } from './report.js';

/**
 * Stress tests (item 5 of the risk reports): every scenario of the pack taken as certain, its shocks applied to
 * the PDs through the stated sensitivities (scenarioPdMultiplier), and for each: the ECL, the expected NPL
 * ratio in 12 months, the 12-month losses and the expected cash-in over 12 months.
 *
 * - expected NPL in 12 months = drawn EAD already in stage 3 + Σ other drawn EAD × 12-month PD under the
 *   scenario (undiscounted), over the drawn EAD;
 * - 12-month loss = Σ drawn and undrawn EAD × 12-month PD × LGD under the scenario (PD 1 in stage 3), each
 *   exposure rounded once half-up to the fen.
 */
export interface StressResult {
  readonly scenario: Scenario;
  readonly eclMinor: number;
  readonly nplMinor: number;
  readonly drawnEadMinor: number;
  readonly lossMinor: number;
  readonly cashInMinor: number | null;
}

const YEAR_MONTHS = 12;

export function stressScenario(
  model: EclModel,
  exposures: readonly EclExposure[],
  scenario: Scenario,
): StressResult {
  const certain: EclModel = { ...model, scenarios: [{ ...scenario, weight_micro: MICRO_ONE }] };
  let ecl = 0;
  let npl = 0n;
  let drawn = 0;
  let loss = 0;
  for (const e of exposures) {
    const row = measureExposure(certain, e);
    ecl += row.eclMinor;
    const stage = eclStage(e.staging, model.settings.staging).stage;
    const multiplier = scenarioPdMultiplier(scenario, e.borrower, model.sensitivities);
    const pd12: Micro =
      stage === 3
        ? MICRO_ONE
        : clampMicro(
            mulMicro(basePd(model, e.segment, markovStateOfBucket(e.bucket), YEAR_MONTHS, 0), multiplier),
          );
    const lgd = row.scenarios[0]?.lgd_micro ?? 0;
    loss += Number(
      divideRounded(BigInt(row.eadMinor) * BigInt(pd12) * BigInt(lgd), BigInt(MICRO_ONE) ** 2n, 'half-up'),
    );
    if (e.kind === 'drawn') {
      drawn += row.eadMinor;
      npl += BigInt(row.eadMinor) * BigInt(pd12);
    }
  }
  return {
    scenario,
    eclMinor: ecl,
    nplMinor: Number(divideRounded(npl, BigInt(MICRO_ONE), 'half-up')),
    drawnEadMinor: drawn,
    lossMinor: loss,
    cashInMinor: null,
  };
}

function shockText(s: Shock): string {
  switch (s.kind) {
    case 'unemployment':
      return `unemployment +${formatMicro(s.pointsUp_micro)} pp`;
    case 'rates':
      return `rates +${s.basisPointsUp} bp`;
    case 'income':
      return `income ${formatMicro(s.incomeChange_micro)} for ${[...s.occupations, ...s.industries].join('/') || 'everyone'}`;
    case 'closure':
      return `${s.industries.join('/')} closed ${s.months} months`;
  }
}

export function buildStressReport(input: {
  readonly asOf: Day;
  readonly model: EclModel;
  readonly results: readonly StressResult[];
  /** The weighted ECL the book carries (the ecl report's total), to compare against. */
  readonly weightedEclMinor: number;
  readonly currentNplMinor: number;
  readonly scenario?: string;
}): Report {
  const { results, model } = input;
  const worst = results.reduce<StressResult | null>(
    (w, r) => (w === null || r.eclMinor > w.eclMinor ? r : w),
    null,
  );
  const drawn = results[0]?.drawnEadMinor ?? 0;
  const report: Report = {
    kind: 'stress',
    asOf: formatDate(input.asOf),
    title: l('Stress tests', '压力测试'),
    summary: [
      fig(
        'ecl-weighted',
        'ECL, scenarios weighted',
        '加权情景ECL',
        'money',
        formatMinor(input.weightedEclMinor),
      ),
      fig(
        'npl-now',
        'NPL ratio now (stage 3 ÷ drawn EAD)',
        '当前不良率(第三阶段÷表内敞口)',
        'ratio',
        ratioText(input.currentNplMinor, drawn),
      ),
      fig('worst-scenario', 'Most severe scenario', '最严重情景', 'text', worst?.scenario.id ?? ''),
      fig('ecl-worst', 'ECL under it', '该情景下ECL', 'money', formatMinor(worst?.eclMinor ?? 0)),
    ],
    tables: [
      {
        name: 'scenarios',
        label: l('Results under each scenario', '各情景结果'),
        columns: [
          col('scenario', 'Scenario', '情景', 'text'),
          col('shocks', 'Shocks', '冲击', 'text'),
          col('ecl', 'ECL', '预期信用损失', 'money'),
          col('ecl-change', 'ECL change against the weighted ECL', '较加权ECL的变动', 'money'),
          col('npl-12m', 'Expected NPL in 12 months', '12个月后预期不良余额', 'money'),
          col('npl-ratio-12m', 'Expected NPL ratio in 12 months', '12个月后预期不良率', 'ratio'),
          col('loss-12m', '12-month losses', '12个月损失', 'money'),
          col('cash-in-12m', 'Expected cash-in over 12 months', '12个月预期回款', 'money'),
        ],
        rows: results.map((r) => ({
          scenario: r.scenario.id,
          shocks: [
            `PD × ${formatMicro(r.scenario.pdMultiplier_micro)}`,
            ...r.scenario.shocks.map(shockText),
          ].join('; '),
          ecl: formatMinor(r.eclMinor),
          'ecl-change': formatMinor(r.eclMinor - input.weightedEclMinor),
          'npl-12m': formatMinor(r.nplMinor),
          'npl-ratio-12m': ratioText(r.nplMinor, r.drawnEadMinor),
          'loss-12m': formatMinor(r.lossMinor),
          'cash-in-12m': r.cashInMinor === null ? null : formatMinor(r.cashInMinor),
        })),
      },
      {
        name: 'sensitivities',
        label: l('Sensitivities: PD × (1 + sensitivity × shock)', '敏感性:PD × (1 + 敏感系数 × 冲击)'),
        columns: [
          col('shock', 'Shock', '冲击', 'text'),
          col('sensitivity', 'Sensitivity', '敏感系数', 'ratio'),
        ],
        rows: [
          {
            shock: 'unemployment, per percentage point',
            sensitivity: formatMicro(model.sensitivities.unemploymentPerPoint_micro),
          },
          { shock: 'rates, per 100 bp', sensitivity: formatMicro(model.sensitivities.ratesPer100bp_micro) },
          {
            shock: 'income, per 10% lost',
            sensitivity: formatMicro(model.sensitivities.incomeDropPerTenPercent_micro),
          },
          {
            shock: 'closure, per month',
            sensitivity: formatMicro(model.sensitivities.closurePerMonth_micro),
          },
        ],
      },
    ],
    notes: [
      l(
        'Each scenario is taken as certain. Expected NPL in 12 months = stage 3 drawn EAD + Σ other drawn EAD × 12-month PD under the scenario; 12-month losses = Σ EAD × 12-month PD × LGD, each exposure rounded once half-up.',
        '每个情景按确定发生计算。12个月后预期不良 = 第三阶段表内敞口 + Σ其他表内敞口 × 情景下12个月违约概率;12个月损失 = ΣEAD × 12个月PD × LGD,逐笔一次四舍五入到分。',
      ),
    ],
  };
  return input.scenario === undefined ? report : { ...report, scenario: input.scenario };
}
