import type { Catalogue } from '../http/messages.js';

/** The strategy lab's messages (decision 0412). */
export const SIMULATION_MESSAGES = {
  run_not_found: {
    en: 'No strategy-lab run has id {runId}; list runs with GET /simulation/runs',
    zh: '没有编号为 {runId} 的策略实验；用 GET /simulation/runs 列出。',
  },
  too_large: {
    en: 'The run is too large: {size} borrower-months (borrowers × months × strategies × replications); at most {max} over the API. Run it with `lendguard simulate` instead.',
    zh: '实验规模过大：{size} 借款人·月（借款人数 × 月数 × 策略数 × 重复次数），通过 API 最多 {max}。更大的实验请用 lendguard simulate 运行。',
  },
  too_large_field: {
    en: 'makes the run {size} borrower-months; at most {max}',
    zh: '使实验达到 {size} 借款人·月，最多 {max}',
  },
  busy: {
    en: '{open} strategy-lab runs are still queued or running; at most {max} at a time. Try again when one has finished.',
    zh: '仍有 {open} 个策略实验在排队或运行，同时最多 {max} 个。请待其中一个结束后再试。',
  },
  strategies_repeated: {
    en: 'Fix this field and send again: /body/strategies: name each strategy once',
    zh: '请修改此字段后重新发送：/body/strategies：每个策略只能出现一次',
  },
  strategies_repeated_field: { en: 'name each strategy once', zh: '每个策略只能出现一次' },
  start_date_invalid: {
    en: 'Fix this field and send again: /body/startDate: must be the first day of a month (YYYY-MM-01)',
    zh: '请修改此字段后重新发送：/body/startDate：须为某月的第一天（YYYY-MM-01）',
  },
  start_date_invalid_field: {
    en: 'must be the first day of a month (YYYY-MM-01)',
    zh: '须为某月的第一天（YYYY-MM-01）',
  },
} as const satisfies Catalogue;
