/**
 * What happened to a traced borrower in a month, as data: a code and the values it quotes. The lab's
 * reports (CLI, HTML) say it in English with `labNoteEnglish`; the dashboard says it in the reader's language
 * from its own catalogue (`labNote.<code>`), so a Chinese page does not show English notes.
 */
export const LAB_NOTES_EN = {
  decision: 'decision {outcome}: {reasons}',
  decision_limit: 'decision {outcome} limit {limit} yuan: {reasons}',
  draw_refused: 'draw refused: line {status}',
  drew_first: 'drew {amount} yuan (first drawdown)',
  drew_past_due: 'drew {amount} yuan (while past due)',
  drew_to_pay: 'drew {amount} yuan (to pay the instalment)',
  drew_spending: 'drew {amount} yuan (spending)',
  line_change: 'line {kind} ({code})',
  income_falls: 'income falls to {percent} %',
  shock: '{kind}',
  business_fails: 'business fails',
  loses_job: 'loses job',
  income_back: 'income back',
  illness: 'illness',
  industry_closed: '{industry} closed',
  forgot_due_date: 'forgot the due date',
  missed_instalment: 'missed the instalment',
  paid_part: 'paid part ({paid} of {due} yuan)',
  case_opened: 'collection case opened',
  hardship_applied: 'applied for hardship ({cause})',
  income_verified: 'income verified: {amount} yuan a month',
  lost_contact: 'lost contact (失联) after {calls} unanswered calls',
  contact_restored: 'answered: contact restored',
  behaviour_score: 'behaviour score {score}',
  collection_step: 'collection step {code} ({action})',
  agency_placed: 'placed with a collection agency: {amount} yuan recovered',
  declined_offer: 'declined the {kind} offered',
  payment_holiday: 'payment holiday {months} months',
  negotiated_plan: '协商分期 {months} months',
  offer_refused: '{kind} refused: {code}',
  promise: 'promise {status}',
  complained: 'complained',
  paid_arrears_late: 'paid the arrears late',
  lawsuit_filed: 'lawsuit filed',
  judgement_enforced: 'judgement enforced: {amount} yuan recovered',
  written_off: 'written off: {amount} yuan',
} as const;

export type LabNoteCode = keyof typeof LAB_NOTES_EN;
export const LAB_NOTE_CODES = Object.keys(LAB_NOTES_EN) as LabNoteCode[];

export interface LabNote {
  readonly code: LabNoteCode;
  readonly params: Readonly<Record<string, string | number>>;
}

/** The note in English, as the lab's reports print it. */
export function labNoteEnglish(note: LabNote): string {
  return LAB_NOTES_EN[note.code].replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    const value = note.params[name];
    if (value === undefined) return whole;
    // A scripted shock's kind is a code such as business-failure: said as words.
    return (note.code === 'shock' && name === 'kind') ||
      (note.code === 'hardship_applied' && name === 'cause')
      ? String(value).replace('-', ' ')
      : String(value);
  });
}
