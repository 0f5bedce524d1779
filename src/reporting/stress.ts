import { counted, type Day, divideRounded, formatDate, formatMinor } from '../money/index.js';
import { basePd, type EclExposure, type EclModel, measureExposure } from './ecl/ecl.js';
import { col, fig, l, ratioText } from './ecl/ecl-report.js';
import { clampMicro, formatMicro, MICRO_ONE, type Micro, mulMicro } from './ecl/micro.js';
import { type Scenario, type Shock, scenarioPdMultiplier } from './ecl/scenarios.js';
import { eclStage } from './ecl/staging.js';
import { markovStateOfBucket } from './ecl/transitions.js';
import type { Report, ReportTable } from './report.js';

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
      return `${s.industries.join('/')} closed ${counted(s.months, 'month')}`;
    case 'hazard':
      return `job loss and business failure × ${formatMicro(s.lossMultiplier_micro)} for ${[...s.occupations, ...s.industries].join('/') || 'everyone'} (simulator only)`;
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

/**
 * What the strategy lab's simulator gave under one scenario (its report's figures for the one strategy run,
 * one replication): the stress report's "simulated" section is made of these, beside the sensitivity results.
 */
export interface SimulatedStress {
  readonly scenario: string;
  /** The industries the scenario closes at some point. */
  readonly closedIndustries: readonly string[];
  readonly disbursed_fen: number;
  /** Written off less recovered over the horizon. */
  readonly losses_fen: number;
  readonly cashIn_fen: number;
  readonly nplRatioEnd: number;
  readonly eclEnd_fen: number;
  /** Month by month (1 … months). */
  readonly overTime: {
    readonly nplRatio: readonly number[];
    readonly ecl_fen: readonly number[];
    readonly cashIn_fen: readonly number[];
    readonly writtenOff_fen: readonly number[];
  };
  readonly byIndustry: Readonly<
    Record<
      string,
      { readonly disbursed_fen: number; readonly lossRate: number; readonly defaultRate: number }
    >
  >;
}

/** How the simulated section was run (for its note): the same arguments give the same section. */
export interface SimulatedStressRun {
  readonly population: string;
  readonly strategy: string;
  readonly borrowers: number;
  readonly months: number;
  readonly seed: number;
  readonly startDate: string;
}

const money = (fen: number) => formatMinor(Math.round(fen));
const share = (x: number) => x.toFixed(6);

/**
 * The stress report with the simulator's results added: per scenario the NPL ratio and ECL at the end of the
 * horizon, the losses and cash-in over it (table `simulated`), the same month by month (`simulated-months`) and
 * the loss and default rates by industry, the closed industries marked (`simulated-industries`).
 */
export function withSimulatedStress(
  report: Report,
  runs: readonly SimulatedStress[],
  run: SimulatedStressRun,
): Report {
  const simulated: ReportTable = {
    name: 'simulated',
    label: l('Simulated under each scenario (strategy lab)', '各情景模拟结果(策略实验室)'),
    columns: [
      col('scenario', 'Scenario', '情景', 'text'),
      col('closed', 'Industries closed', '停业行业', 'text'),
      col('disbursed', 'Disbursed', '放款', 'money'),
      col('npl-ratio-end', 'NPL ratio at the end', '期末不良率', 'ratio'),
      col('ecl-end', 'ECL at the end', '期末预期信用损失', 'money'),
      col('losses', 'Losses (written off less recovered)', '损失(核销减回收)', 'money'),
      col('cash-in', 'Cash-in', '回款', 'money'),
    ],
    rows: runs.map((r) => ({
      scenario: r.scenario,
      closed: r.closedIndustries.join(', '),
      disbursed: money(r.disbursed_fen),
      'npl-ratio-end': share(r.nplRatioEnd),
      'ecl-end': money(r.eclEnd_fen),
      losses: money(r.losses_fen),
      'cash-in': money(r.cashIn_fen),
    })),
  };
  const months: ReportTable = {
    name: 'simulated-months',
    label: l('Simulated month by month', '逐月模拟结果'),
    columns: [
      col('key', 'Scenario and month', '情景与月份', 'text'),
      col('scenario', 'Scenario', '情景', 'text'),
      col('month', 'Month', '月份', 'int'),
      col('npl-ratio', 'NPL ratio', '不良率', 'ratio'),
      col('ecl', 'ECL', '预期信用损失', 'money'),
      col('cash-in', 'Cash-in', '回款', 'money'),
      col('written-off', 'Written off', '核销', 'money'),
    ],
    rows: runs.flatMap((r) =>
      r.overTime.nplRatio.map((npl, i) => ({
        key: `${r.scenario}/${i + 1}`,
        scenario: r.scenario,
        month: i + 1,
        'npl-ratio': share(npl),
        ecl: money(r.overTime.ecl_fen[i] ?? 0),
        'cash-in': money(r.overTime.cashIn_fen[i] ?? 0),
        'written-off': money(r.overTime.writtenOff_fen[i] ?? 0),
      })),
    ),
  };
  const industries: ReportTable = {
    name: 'simulated-industries',
    label: l('Simulated losses by industry', '分行业模拟损失'),
    columns: [
      col('key', 'Scenario and industry', '情景与行业', 'text'),
      col('scenario', 'Scenario', '情景', 'text'),
      col('industry', 'Industry', '行业', 'text'),
      col('closed', 'Closed by the scenario', '情景中停业', 'text'),
      col('disbursed', 'Disbursed', '放款', 'money'),
      col('loss-rate', 'Loss rate (written off ÷ disbursed)', '损失率(核销÷放款)', 'ratio'),
      col('default-rate', 'Default rate (ever 90+ ÷ disbursed)', '违约率(曾逾期90天以上÷放款)', 'ratio'),
    ],
    rows: runs.flatMap((r) =>
      Object.entries(r.byIndustry).map(([industry, v]) => ({
        key: `${r.scenario}/${industry}`,
        scenario: r.scenario,
        industry,
        closed: r.closedIndustries.includes(industry) ? 'yes' : 'no',
        disbursed: money(v.disbursed_fen),
        'loss-rate': share(v.lossRate),
        'default-rate': share(v.defaultRate),
      })),
    ),
  };
  return {
    ...report,
    tables: [...report.tables, simulated, months, industries],
    notes: [
      ...report.notes,
      l(
        `Simulated: the strategy lab ran population ${run.population} under strategy ${run.strategy}, ${counted(run.borrowers, 'borrower')} × ${counted(run.months, 'month')} from ${run.startDate}, seed ${run.seed}, once under each scenario with the same borrowers; the same arguments give the same figures. The simulator applies each scenario's income, closure and hazard shocks month by month; unemployment and rates move only the sensitivity results above.`,
        `模拟:策略实验室以客群${run.population}、策略${run.strategy}运行,${run.borrowers}名借款人 × ${run.months}个月,自${run.startDate}起,种子${run.seed},每个情景以同一批借款人各运行一次;参数相同则结果相同。模拟逐月施加各情景的收入、停业与风险事件冲击;失业率与利率冲击只通过敏感系数影响上方结果。`,
      ),
    ],
  };
}
