import type { Catalogue } from '../http/messages.js';

/** The EOD routes' messages (decision 0412). */
export const EOD_MESSAGES = {
  run_conflict: { en: '{en_fault}', zh: '须等另一次日终批处理结束后再运行' },
  date_invalid: {
    en: 'Fix this field and send again: /body/businessDate: {en_fault}',
    zh: '请修改此字段后重新发送：/body/businessDate：营业日期无效，请写作 YYYY-MM-DD',
  },
  date_invalid_field: { en: '{en_fault}', zh: '营业日期无效，请写作 YYYY-MM-DD' },
  date_out_of_range: {
    en: 'The business date cannot be closed: {en_fault} (allowed: {from} through {through}).',
    zh: '该营业日期不能关账：须在 {from} 至 {through} 之间（不早于当前营业日，不晚于今天）。',
  },
  date_from_through: { en: 'must be from {from} through {through}', zh: '须在 {from} 至 {through} 之间' },
  date_cannot_close: { en: 'The business date cannot be closed: {en_fault}.', zh: '该营业日期不能关账。' },
  run_not_found: {
    en: 'No EOD run has id {runId}; list runs with GET /eod-runs',
    zh: '没有编号为 {runId} 的日终批处理；用 GET /eod-runs 列出。',
  },
} as const satisfies Catalogue;
