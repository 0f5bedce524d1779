/**
 * The chart of accounts (会计科目表) the loan books post to. Codes follow the shape of the Chinese
 * enterprise chart for lenders (1xxx assets, 2xxx liabilities, 6xxx profit and loss, 7xxx memo), so that
 * a finance team recognises them; the mapping to a lender's own general ledger is a setting of the shell.
 */

export type AccountKind = 'asset' | 'liability' | 'income' | 'expense' | 'memo';

/** The side on which an account's balance normally sits (余额方向). */
export type NormalSide = 'debit' | 'credit';

export interface Account {
  readonly code: string;
  readonly nameEn: string;
  readonly nameZh: string;
  readonly kind: AccountKind;
  readonly normalSide: NormalSide;
}

export const ACCOUNTS = {
  /** 现金及清算: money received from or paid to borrowers through the payment channel. */
  cashClearing: {
    code: '1002',
    nameEn: 'Cash and clearing',
    nameZh: '现金及清算款项',
    kind: 'asset',
    normalSide: 'debit',
  },
  /** 贷款本金—正常: principal not yet past its due date. */
  principalCurrent: {
    code: '1303.01',
    nameEn: 'Principal receivable, current',
    nameZh: '贷款本金—正常',
    kind: 'asset',
    normalSide: 'debit',
  },
  /** 贷款本金—逾期: principal past its due date and unpaid. */
  principalOverdue: {
    code: '1303.02',
    nameEn: 'Principal receivable, overdue',
    nameZh: '贷款本金—逾期',
    kind: 'asset',
    normalSide: 'debit',
  },
  /** 应收利息: contract interest accrued and not yet paid. */
  interestReceivable: {
    code: '1132.01',
    nameEn: 'Interest receivable',
    nameZh: '应收利息',
    kind: 'asset',
    normalSide: 'debit',
  },
  /** 应收罚息: penalty interest accrued and not yet paid. */
  penaltyReceivable: {
    code: '1132.02',
    nameEn: 'Penalty interest receivable',
    nameZh: '应收罚息',
    kind: 'asset',
    normalSide: 'debit',
  },
  /** 应收手续费: fees charged and not yet paid. */
  feeReceivable: {
    code: '1132.03',
    nameEn: 'Fee receivable',
    nameZh: '应收手续费',
    kind: 'asset',
    normalSide: 'debit',
  },
  /** 暂收款—待分配: cash received but not (yet) owed — overpayments; owed back to the borrower. */
  suspense: {
    code: '2241',
    nameEn: 'Suspense (unapplied cash)',
    nameZh: '暂收款项—待分配',
    kind: 'liability',
    normalSide: 'credit',
  },
  /** 利息收入. */
  interestIncome: {
    code: '6011.01',
    nameEn: 'Interest income',
    nameZh: '利息收入',
    kind: 'income',
    normalSide: 'credit',
  },
  /** 罚息收入. */
  penaltyIncome: {
    code: '6011.02',
    nameEn: 'Penalty interest income',
    nameZh: '罚息收入',
    kind: 'income',
    normalSide: 'credit',
  },
  /** 手续费收入. */
  feeIncome: {
    code: '6021',
    nameEn: 'Fee income',
    nameZh: '手续费及佣金收入',
    kind: 'income',
    normalSide: 'credit',
  },
  /** 贷款核销损失: principal taken off the books (核销). */
  writeOffLoss: {
    code: '6701',
    nameEn: 'Loan write-off loss',
    nameZh: '贷款核销损失',
    kind: 'expense',
    normalSide: 'debit',
  },
  /** 已核销贷款收回: cash recovered on written-off loans (the claim stays open after write-off). */
  recoveriesIncome: {
    code: '6301',
    nameEn: 'Recoveries on written-off loans',
    nameZh: '已核销贷款收回',
    kind: 'income',
    normalSide: 'credit',
  },
  /**
   * 贷款损失准备: the IFRS 9 / CAS 22 loss allowance (expected credit loss) against the loans, a contra-asset
   * with a credit balance; set each month end to the month's ECL (docs/ecl.md).
   */
  lossAllowance: {
    code: '1304',
    nameEn: 'Loan loss allowance',
    nameZh: '贷款损失准备',
    kind: 'asset',
    normalSide: 'credit',
  },
  /** 信用减值损失: the charge (or, credited, the release) that moves the loss allowance. */
  impairmentLoss: {
    code: '6702',
    nameEn: 'Credit impairment loss',
    nameZh: '信用减值损失',
    kind: 'expense',
    normalSide: 'debit',
  },
  /** 已核销贷款本金(表外备查): principal written off and still claimed, kept off the balance sheet. */
  writtenOffPrincipalMemo: {
    code: '7001',
    nameEn: 'Written-off principal (memo)',
    nameZh: '已核销贷款本金(备查)',
    kind: 'memo',
    normalSide: 'debit',
  },
  /** The memo account's other side, so that memo entries balance too. */
  writtenOffPrincipalMemoContra: {
    code: '7002',
    nameEn: 'Written-off principal (memo contra)',
    nameZh: '已核销贷款本金(备查对方)',
    kind: 'memo',
    normalSide: 'credit',
  },
} as const satisfies Record<string, Account>;

export type AccountName = keyof typeof ACCOUNTS;

export const ACCOUNT_NAMES = Object.keys(ACCOUNTS) as AccountName[];

/** The receivable accounts of a loan: what the borrower owes, which must equal the engine's balances. */
export const RECEIVABLE_ACCOUNTS: readonly AccountName[] = [
  'principalCurrent',
  'principalOverdue',
  'interestReceivable',
  'penaltyReceivable',
  'feeReceivable',
];
