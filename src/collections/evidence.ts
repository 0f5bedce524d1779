import {
  closeDaysThrough,
  effectiveEvents,
  type Installment,
  type LoanEvent,
  type LoanSnapshot,
  type LoanState,
  loanAsOf,
  loanPosition,
} from '../ledger/index.js';
import { type Day, formatDate, formatMinor, invariant } from '../money/index.js';

/**
 * The evidence package (证据材料) of a legal action, as documents of text and tables: the contract and the
 * decision record, the schedule, a statement of account with the interest and penalty of every day, the
 * postings, the repayments, the reminders and the contact log, and the notices with their delivery. Courts
 * accept these electronic records (SPC evidence rules 2019 Art. 14). This module only composes: the shell
 * loads the facts, renders each document as a PDF and zips them with a manifest of hashes. The same facts
 * give the same documents, in the same order, so the package is reproducible byte for byte.
 */

/** A statement covers at most this many days back from its as-of day (about ten years). */
export const STATEMENT_DAYS_MAX = 3660;

export interface EvidenceTable {
  readonly columns: readonly string[];
  /** Columns holding amounts or numbers: rendered right-aligned. */
  readonly numeric: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
}

export interface EvidenceSection {
  readonly heading: string;
  readonly lines: readonly string[];
  readonly table?: EvidenceTable;
}

export interface EvidenceDocument {
  /** Name inside the ZIP, e.g. `03-statement-of-account.pdf`. */
  readonly fileName: string;
  readonly title: string;
  readonly sections: readonly EvidenceSection[];
}

export interface EvidenceLoan {
  readonly loanId: string;
  readonly lineId: string;
  readonly productId: string;
  readonly productVersion: number;
  readonly log: readonly LoanEvent[];
  readonly snapshots: readonly LoanSnapshot[];
  /** The loan's state now (its EOD marker bounds the statement). */
  readonly state: LoanState;
  readonly postings: readonly {
    readonly postingNo: number;
    readonly day: Day;
    readonly eventRef: string;
    readonly lines: readonly (
      | { account: string; debitMinor: number }
      | { account: string; creditMinor: number }
    )[];
  }[];
  readonly reminders: readonly {
    readonly reminderKey: string;
    readonly stageId: string;
    readonly channel: string;
    readonly scheduledAt: string;
    readonly status: string;
    readonly sentAt: string | null;
    readonly attempts: number;
    readonly legallyRequired: boolean;
    readonly subject: string;
  }[];
}

export interface EvidenceFacts {
  readonly asOfDay: Day;
  readonly caseId: string;
  readonly caseOpenedDate: string;
  readonly borrower: { readonly customerId: string; readonly name: string; readonly idNumber: string };
  readonly decision: {
    readonly decisionId: string;
    readonly applicationId: string;
    readonly decidedAt: string;
    readonly outcome: string;
    readonly limitMinor: number;
    readonly dailyRate: string | null;
    readonly apr: string | null;
    readonly policy: string;
    readonly contentHash: string;
    readonly reasons: readonly { readonly code: string; readonly message: string }[];
  } | null;
  readonly loans: readonly EvidenceLoan[];
  readonly contacts: readonly {
    readonly at: string;
    readonly channel: string;
    readonly party: string;
    readonly outcome: string;
    readonly allowed: boolean;
    readonly rule: string | null;
    readonly actor: string;
  }[];
  readonly demands: readonly {
    readonly date: string;
    readonly channel: string;
    readonly reachedDebtor: boolean;
    readonly evidence: string;
  }[];
  readonly action: {
    readonly actionId: string;
    readonly path: string;
    readonly status: string;
    readonly claimedMinor: number;
    readonly venue: string | null;
    readonly reference: string | null;
    readonly steps: readonly {
      readonly date: string;
      readonly to: string;
      readonly actor: string;
      readonly note: string | null;
    }[];
    readonly costs: readonly { readonly date: string; readonly kind: string; readonly amountMinor: number }[];
  } | null;
  readonly limitation: { readonly endDate: string; readonly restartedBy: readonly string[] } | null;
  /** The case's notes (催记), decrypted, oldest first; `at` is an instant in the lender's zone. */
  readonly notes: readonly {
    readonly noteId: string;
    readonly at: string;
    readonly author: string;
    readonly category: string;
    readonly text: string;
    readonly correctsNoteId: string | null;
  }[];
  /** The case's documents, oldest first; their bytes go into the package beside the PDFs. */
  readonly caseDocuments: readonly EvidenceCaseDocument[];
}

export interface EvidenceCaseDocument {
  readonly documentId: string;
  readonly kind: string;
  /** The name it was uploaded with. */
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly at: string;
  readonly uploadedBy: string;
}

/** One day of the statement of account. */
export interface StatementRow {
  readonly day: Day;
  readonly outstandingPrincipalMinor: number;
  readonly overdueMinor: number;
  /** Contract interest charged for this day (the change in interest charged to date). */
  readonly interestDayMinor: number;
  /** Penalty interest (罚息) charged for this day. */
  readonly penaltyDayMinor: number;
  readonly paidMinor: number;
  readonly totalOwedMinor: number;
  readonly daysPastDue: number;
}

/** Interest charged to date: posted in closed periods, plus the current period's accrual (rounded). */
function interestToDate(s: LoanState): number {
  const p = loanPosition(s);
  return (
    s.interestPostedTotalMinor -
    s.periodInterestPostedMinor +
    p.accruedInterestMinor +
    s.periodInterestPrepaidMinor
  );
}

function stateOn(loan: EvidenceLoan, day: Day): LoanState {
  const s = loanAsOf(loan.log, day, loan.snapshots);
  return s.lastClosedDay < day && s.status === 'active' ? closeDaysThrough(s, day).state : s;
}

/**
 * The loan's balances at the end of every day from its start (or `STATEMENT_DAYS_MAX` back) to `toDay`
 * (at most its EOD marker), with the day's interest, penalty and payments.
 */
export function dailyStatement(loan: EvidenceLoan, toDay: Day): StatementRow[] {
  const startDay = loan.log[0]?.day;
  invariant(startDay !== undefined, 'a loan history starts with LoanOpened');
  const lastDay = Math.min(toDay, Math.max(loan.state.lastClosedDay, loan.state.lastEventDay));
  const firstDay = Math.max(startDay, lastDay - STATEMENT_DAYS_MAX + 1);
  const paidByDay = new Map<Day, number>();
  for (const e of effectiveEvents(loan.log)) {
    if (e.type === 'Repaid') paidByDay.set(e.day, (paidByDay.get(e.day) ?? 0) + e.amountMinor);
  }
  const rows: StatementRow[] = [];
  let before = firstDay > startDay ? stateOn(loan, firstDay - 1) : undefined;
  for (let day = firstDay; day <= lastDay; day++) {
    const s = stateOn(loan, day);
    const p = loanPosition(s);
    rows.push({
      day,
      outstandingPrincipalMinor: p.outstandingPrincipalMinor,
      overdueMinor: p.overduePrincipalMinor + p.overdueInterestMinor + p.overdueFeeMinor,
      interestDayMinor: interestToDate(s) - (before === undefined ? 0 : interestToDate(before)),
      penaltyDayMinor:
        p.penaltyAccruedTotalMinor -
        (before === undefined ? 0 : loanPosition(before).penaltyAccruedTotalMinor),
      paidMinor: paidByDay.get(day) ?? 0,
      totalOwedMinor: p.totalOwedMinor,
      daysPastDue: p.daysPastDue,
    });
    before = s;
  }
  return rows;
}

const yuan = (minor: number) => formatMinor(minor);
const yn = (b: boolean) => (b ? '是 yes' : '否 no');

function contractDocument(f: EvidenceFacts): EvidenceDocument {
  const loans = f.loans.map((l) => {
    const opened = l.log[0];
    invariant(opened?.type === 'LoanOpened', 'a loan history starts with LoanOpened');
    const product = l.state.product;
    return [
      l.loanId,
      l.lineId,
      `${product.name} (${l.productId} v${l.productVersion})`,
      formatDate(opened.day),
      yuan(l.state.disbursedPrincipalMinor),
      `${product.rate.value}/${product.rate.per === 'day' ? '日 day' : '年 year'}`,
      `${product.termCount}`,
      product.method,
      l.state.status,
    ];
  });
  const d = f.decision;
  return {
    fileName: '01-contract-and-decision.pdf',
    title: '借款合同与授信决策记录 Contract and decision record',
    sections: [
      {
        heading: '借款人 Borrower',
        lines: [
          `姓名 Name: ${f.borrower.name}`,
          `身份证号 ID number: ${f.borrower.idNumber}`,
          `客户编号 Customer id: ${f.borrower.customerId}`,
          `催收案件 Case: ${f.caseId}（立案 opened ${f.caseOpenedDate}）`,
          `材料截止日 As of: ${formatDate(f.asOfDay)}`,
        ],
      },
      {
        heading: '借据 Loans',
        lines: [],
        table: {
          columns: [
            '借据 Loan',
            '额度 Line',
            '产品 Product',
            '放款日 Drawn',
            '本金 Principal',
            '利率 Rate',
            '期数 Terms',
            '还款方式 Method',
            '状态 Status',
          ],
          numeric: [false, false, false, false, true, false, true, false, false],
          rows: loans,
        },
      },
      {
        heading: '授信决策 Decision record',
        lines:
          d === null
            ? ['无授信申请记录 No application on file']
            : [
                `决策编号 Decision: ${d.decisionId}`,
                `申请编号 Application: ${d.applicationId}`,
                `决策时间 Decided at: ${d.decidedAt}`,
                `结果 Outcome: ${d.outcome}`,
                `授信额度 Limit: ${yuan(d.limitMinor)}`,
                `日利率 Daily rate: ${d.dailyRate ?? '-'}；年化利率 APR: ${d.apr ?? '-'}`,
                `政策版本 Policy: ${d.policy}`,
                `封存哈希 Content hash: ${d.contentHash}`,
                ...d.reasons.map((r) => `理由 Reason ${r.code}: ${r.message}`),
              ],
      },
    ],
  };
}

function scheduleDocument(f: EvidenceFacts): EvidenceDocument {
  return {
    fileName: '02-schedule.pdf',
    title: '还款计划 Repayment schedule',
    sections: f.loans.map((l) => ({
      heading: `借据 Loan ${l.loanId}`,
      lines: [],
      table: {
        columns: [
          '期次 No.',
          '起息日 From',
          '到期日 Due',
          '本金 Principal',
          '利息 Interest',
          '费用 Fee',
          '应还 Total',
          '剩余本金 Remaining',
        ],
        numeric: [true, false, false, true, true, true, true, true],
        rows: l.state.plan.map((i: Installment) => [
          `${i.number}`,
          formatDate(i.startDay),
          formatDate(i.dueDay),
          yuan(i.principalMinor),
          yuan(i.interestMinor),
          yuan(i.feeMinor),
          yuan(i.totalMinor),
          yuan(i.remainingPrincipalMinor),
        ]),
      },
    })),
  };
}

function statementDocument(f: EvidenceFacts): EvidenceDocument {
  return {
    fileName: '03-statement-of-account.pdf',
    title: '对账单（逐日利息与罚息） Statement of account, daily interest and penalty',
    sections: f.loans.map((l) => {
      const rows = dailyStatement(l, f.asOfDay);
      const interest = rows.reduce((s, r) => s + r.interestDayMinor, 0);
      const penalty = rows.reduce((s, r) => s + r.penaltyDayMinor, 0);
      const paid = rows.reduce((s, r) => s + r.paidMinor, 0);
      const last = rows.at(-1);
      const product = l.state.product;
      return {
        heading: `借据 Loan ${l.loanId}`,
        lines: [
          `利率 Rate: ${product.rate.value}/${product.rate.per}；罚息上浮 Penalty uplift: ${product.penalty.uplift}；罚息基数 Penalty base: ${product.penalty.base}`,
          `合计利息 Interest total: ${yuan(interest)}；合计罚息 Penalty total: ${yuan(penalty)}；合计还款 Paid total: ${yuan(paid)}`,
          `截止日欠款合计 Total owed at ${last === undefined ? '-' : formatDate(last.day)}: ${yuan(last?.totalOwedMinor ?? 0)}`,
        ],
        table: {
          columns: [
            '日期 Day',
            '剩余本金 Principal',
            '逾期 Overdue',
            '当日利息 Interest',
            '当日罚息 Penalty',
            '还款 Paid',
            '欠款合计 Owed',
            '逾期天数 DPD',
          ],
          numeric: [false, true, true, true, true, true, true, true],
          rows: rows.map((r) => [
            formatDate(r.day),
            yuan(r.outstandingPrincipalMinor),
            yuan(r.overdueMinor),
            yuan(r.interestDayMinor),
            yuan(r.penaltyDayMinor),
            yuan(r.paidMinor),
            yuan(r.totalOwedMinor),
            `${r.daysPastDue}`,
          ]),
        },
      };
    }),
  };
}

function postingsDocument(f: EvidenceFacts): EvidenceDocument {
  return {
    fileName: '04-postings.pdf',
    title: '会计分录 Postings',
    sections: f.loans.map((l) => ({
      heading: `借据 Loan ${l.loanId}`,
      lines: [],
      table: {
        columns: ['凭证 No.', '日期 Day', '事件 Event', '科目 Account', '借方 Debit', '贷方 Credit'],
        numeric: [true, false, false, false, true, true],
        rows: [...l.postings]
          .sort((a, b) => a.postingNo - b.postingNo)
          .flatMap((p) =>
            p.lines.map((line) => [
              `${p.postingNo}`,
              formatDate(p.day),
              p.eventRef,
              line.account,
              'debitMinor' in line ? yuan(line.debitMinor) : '',
              'creditMinor' in line ? yuan(line.creditMinor) : '',
            ]),
          ),
      },
    })),
  };
}

function repaymentsDocument(f: EvidenceFacts): EvidenceDocument {
  return {
    fileName: '05-repayments.pdf',
    title: '还款记录 Repayments',
    sections: f.loans.map((l) => ({
      heading: `借据 Loan ${l.loanId}`,
      lines: [],
      table: {
        columns: [
          '日期 Day',
          '金额 Amount',
          '本金 Principal',
          '利息 Interest',
          '费用 Fee',
          '罚息 Penalty',
          '指令 Client id',
        ],
        numeric: [false, true, true, true, true, true, false],
        rows: effectiveEvents(l.log)
          .filter((e) => e.type === 'Repaid')
          .map((e) => [
            formatDate(e.day),
            yuan(e.amountMinor),
            yuan(e.allocation.principalMinor),
            yuan(e.allocation.interestMinor),
            yuan(e.allocation.feeMinor),
            yuan(e.allocation.penaltyMinor),
            e.clientId,
          ]),
      },
    })),
  };
}

function contactsDocument(f: EvidenceFacts): EvidenceDocument {
  const reminders = f.loans.flatMap((l) =>
    l.reminders.map((r) => [l.loanId, r.stageId, r.channel, r.scheduledAt, r.status, r.sentAt ?? '-']),
  );
  return {
    fileName: '06-reminders-and-contacts.pdf',
    title: '提醒与催收记录 Reminders and contact log',
    sections: [
      {
        heading: '还款提醒 Reminders',
        lines: [],
        table: {
          columns: [
            '借据 Loan',
            '阶段 Stage',
            '渠道 Channel',
            '计划时间 Scheduled',
            '状态 Status',
            '发送时间 Sent',
          ],
          numeric: [false, false, false, false, false, false],
          rows: reminders,
        },
      },
      {
        heading: '联系记录 Contact log',
        lines: [],
        table: {
          columns: [
            '时间 At',
            '渠道 Channel',
            '对象 Party',
            '结果 Outcome',
            '允许 Allowed',
            '规则 Rule',
            '操作人 Actor',
          ],
          numeric: [false, false, false, false, false, false, false],
          rows: f.contacts.map((c) => [
            c.at,
            c.channel,
            c.party,
            c.outcome,
            yn(c.allowed),
            c.rule ?? '-',
            c.actor,
          ]),
        },
      },
      {
        heading: '催告 Demands for payment (民法典 Art. 195)',
        lines: [],
        table: {
          columns: ['日期 Date', '方式 Channel', '送达 Reached', '证据 Evidence'],
          numeric: [false, false, false, false],
          rows: f.demands.map((d) => [d.date, d.channel, yn(d.reachedDebtor), d.evidence]),
        },
      },
    ],
  };
}

function noticesDocument(f: EvidenceFacts): EvidenceDocument {
  const notices = f.loans.flatMap((l) =>
    l.reminders
      .filter((r) => r.legallyRequired)
      .map((r) => [
        l.loanId,
        r.subject,
        r.channel,
        r.scheduledAt,
        r.status,
        r.sentAt ?? '-',
        `${r.attempts}`,
      ]),
  );
  const action = f.action;
  return {
    fileName: '07-notices-and-delivery.pdf',
    title: '通知与送达证明 Notices with delivery proof',
    sections: [
      {
        heading: '法定通知 Notices',
        lines: notices.length === 0 ? ['无 None'] : [],
        table: {
          columns: [
            '借据 Loan',
            '主题 Subject',
            '渠道 Channel',
            '计划 Scheduled',
            '状态 Status',
            '送达 Delivered',
            '尝试 Tries',
          ],
          numeric: [false, false, false, false, false, false, true],
          rows: notices,
        },
      },
      {
        heading: '法律行动 Legal action',
        lines:
          action === null
            ? ['无 None']
            : [
                `行动 Action: ${action.actionId}（${action.path}，${action.status}）`,
                `请求金额 Claimed: ${yuan(action.claimedMinor)}`,
                `受理机构 Venue: ${action.venue ?? '-'}；案号 Reference: ${action.reference ?? '-'}`,
                `诉讼时效届满日 Limitation ends: ${f.limitation?.endDate ?? '-'}（中断 restarted: ${f.limitation?.restartedBy.join(', ') || '-'}）`,
                `费用合计 Costs: ${yuan(action.costs.reduce((s, c) => s + c.amountMinor, 0))}`,
              ],
        ...(action === null
          ? {}
          : {
              table: {
                columns: ['日期 Date', '步骤 Step', '操作人 Actor', '备注 Note'],
                numeric: [false, false, false, false],
                rows: action.steps.map((s) => [s.date, s.to, s.actor, s.note ?? '']),
              },
            }),
      },
    ],
  };
}

const EXTENSION_OF: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/**
 * Where a case document goes in the ZIP: `09-case-documents/<nn>-<documentId>.<ext>`, numbered in the
 * order of upload. The uploaded name (any script, any characters) stays in the notes PDF's index, not in
 * the ZIP's file names, so every unzip tool on every system gives the same names.
 */
export function caseDocumentEntryName(index: number, d: EvidenceCaseDocument): string {
  const ext = EXTENSION_OF[d.contentType] ?? 'bin';
  return `09-case-documents/${String(index + 1).padStart(3, '0')}-${d.documentId}.${ext}`;
}

const NOTE_CATEGORY_ZH: Readonly<Record<string, string>> = {
  'call-summary': '通话摘要',
  hardship: '困难情况',
  dispute: '争议',
  other: '其他',
};

function notesDocument(f: EvidenceFacts): EvidenceDocument {
  return {
    fileName: '08-case-notes-and-documents.pdf',
    title: '催记与案件文件 Case notes and documents',
    sections: [
      {
        heading: `催记 Case notes（${f.notes.length}）`,
        lines: f.notes.length === 0 ? ['无 None'] : [],
      },
      ...f.notes.map((n) => ({
        heading: `${n.at}  ${n.author}  ${NOTE_CATEGORY_ZH[n.category] ?? n.category} ${n.category}`,
        lines: [
          `编号 Note: ${n.noteId}${n.correctsNoteId === null ? '' : `；更正 corrects: ${n.correctsNoteId}`}`,
          ...n.text.split(/\r?\n/),
        ],
      })),
      {
        heading: `案件文件 Case documents（${f.caseDocuments.length}）`,
        lines:
          f.caseDocuments.length === 0
            ? ['无 None']
            : f.caseDocuments.flatMap((d, i) => [
                `${caseDocumentEntryName(i, d)}`,
                `    原文件名 Uploaded as: ${d.fileName}；类别 Kind: ${d.kind}；${d.contentType}，${d.sizeBytes} bytes`,
                `    上传 Uploaded: ${d.at} ${d.uploadedBy}`,
                `    SHA-256: ${d.sha256}`,
              ]),
      },
    ],
  };
}

/** The documents of the package, in the order they are numbered. */
export function composeEvidencePackage(facts: EvidenceFacts): EvidenceDocument[] {
  return [
    contractDocument(facts),
    scheduleDocument(facts),
    statementDocument(facts),
    postingsDocument(facts),
    repaymentsDocument(facts),
    contactsDocument(facts),
    noticesDocument(facts),
    notesDocument(facts),
  ];
}
