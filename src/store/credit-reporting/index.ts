export {
  type DisputeEvent,
  disputeEvents,
  findDispute,
  insertDispute,
  listDisputes,
  type StoredDispute,
  updateDispute,
} from './disputes.js';
export {
  accountsForMonth,
  findRecord,
  loanLogs,
  monthRecords,
  type NoticeFacts,
  noticeFacts,
  type RecordToSave,
  recordBatch,
  type StoredCreditRecord,
  saveCorrection,
  saveRecords,
  setDisputed,
} from './records.js';
