import { counted, type Day, divideRounded, formatDate, formatMinor } from '../../money/index.js';
import type { Label, Report, ReportColumn, ReportFigure, ReportTable, ReportValueType } from '../report.js';
import { type EclModel, type EclRow, eclUnderWeights, shiftedWeights } from './ecl.js';
import { formatMicro, MICRO_ONE, type Micro } from './micro.js';
import type { RollForward } from './roll-forward.js';
import { cumulativePd, LIVE_STATES, MARKOV_STATES, type TransitionMatrix } from './transitions.js';

export const l = (en: string, zh: string): Label => ({ en, zh });
export const col = (key: string, en: string, zh: string, type: ReportValueType): ReportColumn => ({
  key,
  label: l(en, zh),
  type,
});
export const fig = (
  key: string,
  en: string,
  zh: string,
  type: ReportValueType,
  value: string | number,
): ReportFigure => ({
  key,
  label: l(en, zh),
  type,
  value,
});

/** A ratio of two fen amounts to six places, half-up ("0.000000" when the base is 0). */
export function ratioText(part: number, whole: number): string {
  if (whole === 0) return formatMicro(0);
  return formatMicro(Number(divideRounded(BigInt(part) * BigInt(MICRO_ONE), BigInt(whole), 'half-up')));
}

/** The weight shift whose effect the sensitivity table shows: 10 percentage points. */
export const WEIGHT_SHIFT_MICRO: Micro = 100_000;

/** Exposures, balance, EAD and ECL summed over rows. */
interface Sums {
  exposures: number;
  balance: number;
  ead: number;
  ecl: number;
}

function sumsBy(rows: readonly EclRow[], key: (r: EclRow) => string): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const r of rows) {
    const k = key(r);
    let s = out.get(k);
    if (s === undefined) {
      s = { exposures: 0, balance: 0, ead: 0, ecl: 0 };
      out.set(k, s);
    }
    s.exposures += 1;
    s.balance += r.balanceMinor;
    s.ead += r.eadMinor;
    s.ecl += r.eclMinor;
  }
  return out;
}

const NO_SUMS: Sums = Object.freeze({ exposures: 0, balance: 0, ead: 0, ecl: 0 });

function stageTable(byStage: ReadonlyMap<string, Sums>): ReportTable {
  const out: Record<string, string | number>[] = [];
  for (const stage of [1, 2, 3] as const) {
    const s = byStage.get(String(stage)) ?? NO_SUMS;
    out.push({
      stage,
      exposures: s.exposures,
      balance: formatMinor(s.balance),
      ead: formatMinor(s.ead),
      ecl: formatMinor(s.ecl),
      coverage: ratioText(s.ecl, s.ead),
    });
  }
  return {
    name: 'stages',
    label: l('ECL by stage', '按阶段的预期信用损失'),
    columns: [
      col('stage', 'Stage', '阶段', 'int'),
      col('exposures', 'Exposures', '敞口数', 'int'),
      col('balance', 'Gross balance', '账面余额', 'money'),
      col('ead', 'EAD', '违约风险敞口', 'money'),
      col('ecl', 'ECL', '预期信用损失', 'money'),
      col('coverage', 'Coverage (ECL ÷ EAD)', '拨备覆盖(ECL÷EAD)', 'ratio'),
    ],
    rows: out,
  };
}

function segmentTable(rows: readonly EclRow[]): ReportTable {
  const sums = sumsBy(rows, (r) => `${r.segment}\u0000${r.stage}`);
  const keys = [...sums.keys()].sort();
  return {
    name: 'segments',
    label: l('ECL by segment and stage', '按细分与阶段的预期信用损失'),
    columns: [
      col('segment', 'Segment', '细分', 'text'),
      col('stage', 'Stage', '阶段', 'int'),
      col('exposures', 'Exposures', '敞口数', 'int'),
      col('ead', 'EAD', '违约风险敞口', 'money'),
      col('ecl', 'ECL', '预期信用损失', 'money'),
    ],
    rows: keys.map((k) => {
      const [segment, stage] = k.split('\u0000') as [string, string];
      const s = sums.get(k) as Sums;
      return {
        segment,
        stage: Number(stage),
        exposures: s.exposures,
        ead: formatMinor(s.ead),
        ecl: formatMinor(s.ecl),
      };
    }),
  };
}

/** formatMicro kept by value for one report: the exposure table repeats a few hundred parameters. */
function keptFormatMicro(): (value: Micro) => string {
  const kept = new Map<Micro, string>();
  return (value) => {
    let text = kept.get(value);
    if (text === undefined) {
      text = formatMicro(value);
      kept.set(value, text);
    }
    return text;
  };
}

function exposureTable(model: EclModel, rows: readonly EclRow[]): ReportTable {
  const micro = keptFormatMicro();
  return {
    name: 'exposures',
    label: l('ECL per exposure, with its parameters', '逐笔敞口的预期信用损失及参数'),
    columns: [
      col('exposure', 'Exposure', '敞口', 'text'),
      col('kind', 'Kind', '类型', 'text'),
      col('customer', 'Customer', '客户', 'text'),
      col('segment', 'Segment', '细分', 'text'),
      col('bucket', 'Bucket', '逾期档', 'text'),
      col('stage', 'Stage', '阶段', 'int'),
      col('reasons', 'Stage reasons', '分阶段原因', 'text'),
      col('balance', 'Balance', '余额', 'money'),
      col('ccf', 'CCF', '信用转换系数', 'ratio'),
      col('ead', 'EAD', '违约风险敞口', 'money'),
      col('horizon', 'Horizon (months)', '期限(月)', 'int'),
      col('rate', 'Discount rate', '折现率', 'ratio'),
      col('pd', 'PD (discounted)', '违约概率(折现)', 'ratio'),
      col('lgd', 'LGD', '违约损失率', 'ratio'),
      ...model.scenarios.map((s) => col(`pd-${s.id}`, `PD ${s.label.en}`, `违约概率 ${s.label.zh}`, 'ratio')),
      col('ecl', 'ECL', '预期信用损失', 'money'),
    ],
    rows: rows.map((r) => {
      const row: Record<string, string | number> = {
        exposure: r.exposureId,
        kind: r.kind,
        customer: r.customerId,
        segment: r.segment,
        bucket: r.bucket,
        stage: r.stage,
        reasons: r.reasons.join(' '),
        balance: formatMinor(r.balanceMinor),
        ccf: micro(r.ccf_micro),
        ead: formatMinor(r.eadMinor),
        horizon: r.horizonMonths,
        rate: r.discountRate,
        pd: micro(r.pd_micro),
        lgd: micro(r.lgd_micro),
      };
      for (const s of r.scenarios) row[`pd-${s.scenario}`] = micro(s.pd_micro);
      row.ecl = formatMinor(r.eclMinor);
      return row;
    }),
  };
}

function scenarioTable(model: EclModel, rows: readonly EclRow[], total: number): ReportTable {
  return {
    name: 'scenarios',
    label: l('Scenarios and the sensitivity of ECL to their weights', '情景及预期信用损失对情景权重的敏感性'),
    columns: [
      col('scenario', 'Scenario', '情景', 'text'),
      col('weight', 'Weight', '权重', 'ratio'),
      col('pd-multiplier', 'PD multiplier', '违约概率乘数', 'ratio'),
      col('lgd-add-on', 'LGD add-on', '违约损失率加成', 'ratio'),
      col('ecl-alone', 'ECL were it certain', '情景权重为1时的ECL', 'money'),
      col('ecl-shifted', 'ECL with its weight +10 pp', '权重+10个百分点时的ECL', 'money'),
      col('change', 'Change', '变动', 'money'),
    ],
    rows: model.scenarios.map((s, i) => {
      let alone = 0;
      for (const r of rows) {
        const own =
          r.scenarios[i]?.scenario === s.id ? r.scenarios[i] : r.scenarios.find((x) => x.scenario === s.id);
        alone += own?.eclMinor ?? 0;
      }
      const shifted = eclUnderWeights(rows, shiftedWeights(model.scenarios, s.id, WEIGHT_SHIFT_MICRO));
      return {
        scenario: s.id,
        weight: formatMicro(s.weight_micro),
        'pd-multiplier': formatMicro(s.pdMultiplier_micro),
        'lgd-add-on': formatMicro(s.lgdAddOn_micro),
        'ecl-alone': formatMinor(alone),
        'ecl-shifted': formatMinor(shifted),
        change: formatMinor(shifted - total),
      };
    }),
  };
}

function matrices(model: EclModel): TransitionMatrix[] {
  return [model.transitions.pooled, ...model.transitions.bySegment.values()];
}

function transitionTable(model: EclModel): ReportTable {
  const out: Record<string, string | number>[] = [];
  for (const m of matrices(model)) {
    for (const from of LIVE_STATES) {
      const i = MARKOV_STATES.indexOf(from);
      const row: Record<string, string | number> = {
        segment: m.segment,
        from,
        observations: (m.counts[i] as number[]).reduce((a, b) => a + b, 0),
        source: m.rowSource[i] as string,
      };
      MARKOV_STATES.forEach((to, j) => {
        row[to] = (m.probabilities[i] as number[])[j]?.toFixed(6) ?? '0.000000';
      });
      out.push(row);
    }
  }
  return {
    name: 'transitions',
    label: l('Monthly transition matrices', '月度迁移矩阵'),
    columns: [
      col('segment', 'Segment', '细分', 'text'),
      col('from', 'From', '起始状态', 'text'),
      col('observations', 'Observations', '观测数', 'int'),
      col('source', 'Row source', '行来源', 'text'),
      ...MARKOV_STATES.map((s) => col(s, `To ${s}`, `至 ${s}`, 'ratio')),
    ],
    rows: out,
  };
}

function termTable(model: EclModel): ReportTable {
  const life = model.settings.lifetimeMonths_max;
  const out: Record<string, string | number>[] = [];
  for (const m of matrices(model)) {
    for (const from of LIVE_STATES) {
      const c = cumulativePd(m, from, life);
      out.push({
        segment: m.segment,
        from,
        'pd-12': (c[12] as number).toFixed(6),
        'pd-lifetime': (c[life] as number).toFixed(6),
      });
    }
  }
  return {
    name: 'pd-term-structures',
    label: l('Cumulative PD from the chain (undiscounted)', '马尔可夫链累计违约概率(未折现)'),
    columns: [
      col('segment', 'Segment', '细分', 'text'),
      col('from', 'From', '起始状态', 'text'),
      col('pd-12', 'PD 12 months', '12个月违约概率', 'ratio'),
      col('pd-lifetime', `PD ${counted(life, 'month')}`, `${life}个月违约概率`, 'ratio'),
    ],
    rows: out,
  };
}

function lgdTable(model: EclModel): ReportTable {
  const all = [model.lgd.pooled, ...model.lgd.bySegment.values()];
  return {
    name: 'lgd',
    label: l('Workout LGD', '清收法违约损失率'),
    columns: [
      col('segment', 'Segment', '细分', 'text'),
      col('source', 'Source', '来源', 'text'),
      col('workouts', 'Workouts', '清收样本', 'int'),
      col('ead-at-default', 'EAD at default', '违约时敞口', 'money'),
      col('recovered-pv', 'Recoveries (present value)', '回收现值', 'money'),
      col('lgd', 'LGD', '违约损失率', 'ratio'),
    ],
    rows: all.map((e) => ({
      segment: e.segment,
      source: e.source,
      workouts: e.workouts,
      'ead-at-default': formatMinor(e.eadAtDefaultMinor),
      'recovered-pv': formatMinor(e.recoveredPresentValueMinor),
      lgd: formatMicro(e.lgd_micro),
    })),
  };
}

export function rollForwardTable(rf: RollForward): ReportTable {
  return {
    name: 'roll-forward',
    label: l('Loss allowance roll-forward', '损失准备变动表'),
    columns: [
      col('movement', 'Movement', '变动项', 'text'),
      col('stage-1', 'Stage 1', '第一阶段', 'money'),
      col('stage-2', 'Stage 2', '第二阶段', 'money'),
      col('stage-3', 'Stage 3', '第三阶段', 'money'),
      col('total', 'Total', '合计', 'money'),
    ],
    rows: rf.lines.map((line) => ({
      movement: line.movement,
      'stage-1': formatMinor(line.byStage[0]),
      'stage-2': formatMinor(line.byStage[1]),
      'stage-3': formatMinor(line.byStage[2]),
      total: formatMinor(line.totalMinor),
    })),
  };
}

export interface EclReportInput {
  readonly asOf: Day;
  readonly model: EclModel;
  readonly rows: readonly EclRow[];
  /** Against the previous month end's stored run, when there is one. */
  readonly rollForward?: RollForward | null;
}

/** The `ecl` report: the figures, then every table a reader needs to trace them to loans and parameters. */
export function buildEclReport(input: EclReportInput): Report {
  const { rows, model } = input;
  const total = rows.reduce((a, r) => a + r.eclMinor, 0);
  const ead = rows.reduce((a, r) => a + r.eadMinor, 0);
  const byStage = sumsBy(rows, (r) => String(r.stage));
  const stageEcl = (s: 1 | 2 | 3) => (byStage.get(String(s)) ?? NO_SUMS).ecl;
  const tables = [
    stageTable(byStage),
    segmentTable(rows),
    scenarioTable(model, rows, total),
    transitionTable(model),
    termTable(model),
    lgdTable(model),
  ];
  if (input.rollForward) tables.push(rollForwardTable(input.rollForward));
  tables.push(exposureTable(model, rows));
  return {
    kind: 'ecl',
    asOf: formatDate(input.asOf),
    title: l('IFRS 9 expected credit loss', 'IFRS 9 预期信用损失'),
    summary: [
      fig('ecl', 'Total ECL (loss allowance)', '预期信用损失合计(损失准备)', 'money', formatMinor(total)),
      fig('ecl-stage-1', 'ECL stage 1', '第一阶段ECL', 'money', formatMinor(stageEcl(1))),
      fig('ecl-stage-2', 'ECL stage 2', '第二阶段ECL', 'money', formatMinor(stageEcl(2))),
      fig('ecl-stage-3', 'ECL stage 3', '第三阶段ECL', 'money', formatMinor(stageEcl(3))),
      fig('ead', 'Total EAD', '违约风险敞口合计', 'money', formatMinor(ead)),
      fig('coverage', 'Coverage (ECL ÷ EAD)', '拨备覆盖(ECL÷EAD)', 'ratio', ratioText(total, ead)),
      fig('exposures', 'Exposures', '敞口数', 'int', rows.length),
    ],
    tables,
    notes: [
      l(
        'ECL per exposure = Σ over scenarios of weight × EAD × PD × LGD, rounded once half-up to the fen; totals are sums of the exposure rows.',
        '逐笔ECL = Σ(情景权重 × EAD × PD × LGD),一次四舍五入到分;合计为逐笔之和。',
      ),
      l(
        `Stage 1: ${model.settings.stage1HorizonMonths}-month PD; stage 2: lifetime PD (the remaining term + ${counted(model.settings.defaultAfterMaturityMonths, 'month')} for a default after maturity, at most ${model.settings.lifetimeMonths_max}; revolving limits ${model.settings.revolvingLifetimeMonths}); stage 3: PD 1. PDs from the monthly Markov chain of each segment, marginal defaults discounted at the contract rate; EAD held at the reporting-date balance.`,
        `第一阶段用${model.settings.stage1HorizonMonths}个月违约概率;第二阶段用整个存续期(剩余期限加到期后可能违约的${model.settings.defaultAfterMaturityMonths}个月,最长${model.settings.lifetimeMonths_max}个月,循环额度${model.settings.revolvingLifetimeMonths}个月);第三阶段违约概率为1。违约概率来自各细分的月度马尔可夫链,按合同利率折现;EAD取报告日余额。`,
      ),
      l(
        `EAD of an undrawn revolving limit = CCF ${formatMicro(model.settings.ccf_micro)} × undrawn amount. LGD floor ${formatMicro(model.settings.lgd.floor_micro)}${model.settings.lgd.override_micro === null ? '' : `, overridden by the lender at ${formatMicro(model.settings.lgd.override_micro)}`}.`,
        `未使用循环额度的EAD = 信用转换系数 ${formatMicro(model.settings.ccf_micro)} × 未使用额度。违约损失率下限 ${formatMicro(model.settings.lgd.floor_micro)}${model.settings.lgd.override_micro === null ? '' : `,贷款人覆盖值 ${formatMicro(model.settings.lgd.override_micro)}`}。`,
      ),
    ],
  };
}
