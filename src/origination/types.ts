import type { ModelArtifact } from '../scoring/index.js';

/**
 * Origination (授信): the public types of applications, invitations, blacklists, history facts, policies,
 * models, decisions, review flags and re-assessment. Amounts are integer fen (`_fen`), rates decimal strings,
 * instants ISO 8601 strings with an offset (`2026-11-28T09:30:00+08:00`), dates `YYYY-MM-DD`.
 *
 * These types are a contract with the store and the HTTP API: fields are only ever added, never changed.
 */

// ---------------------------------------------------------------------------------------------------------
// Application

/** 职业: the applicant's occupation. */
export type Occupation =
  | 'salaried'
  | 'civil-servant'
  | 'freelancer'
  | 'business-owner'
  | 'student'
  | 'retired'
  | 'other';

export const OCCUPATIONS: readonly Occupation[] = [
  'salaried',
  'civil-servant',
  'freelancer',
  'business-owner',
  'student',
  'retired',
  'other',
];

/** What proves the income: verified kinds count as verified income, `self-declared` does not. */
export type IncomeEvidenceKind =
  | 'self-declared'
  | 'payslip'
  | 'bank-statement'
  | 'tax-record'
  | 'social-insurance'
  | 'business-statements';

export const INCOME_EVIDENCE_KINDS: readonly IncomeEvidenceKind[] = [
  'self-declared',
  'payslip',
  'bank-statement',
  'tax-record',
  'social-insurance',
  'business-statements',
];

export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed' | 'separated';
export const MARITAL_STATUSES: readonly MaritalStatus[] = [
  'single',
  'married',
  'divorced',
  'widowed',
  'separated',
];

/** Housing: owner (incl. mortgage), renting, with parents, employer-provided, other. */
export type Housing = 'owner' | 'rent' | 'parents' | 'employer' | 'other';
export const HOUSINGS: readonly Housing[] = ['owner', 'rent', 'parents', 'employer', 'other'];

export type ContactRelation = 'spouse' | 'parent' | 'sibling' | 'child' | 'friend' | 'colleague' | 'other';
export const CONTACT_RELATIONS: readonly ContactRelation[] = [
  'spouse',
  'parent',
  'sibling',
  'child',
  'friend',
  'colleague',
  'other',
];

/** 身份与联系方式. Every field here except `birthDate` is personal data (see PERSONAL_DATA_FIELDS). */
export interface Identity {
  readonly name: string;
  /** 居民身份证号码, 18 characters. */
  readonly idNumber: string;
  /** Mobile number, 11 digits. */
  readonly phone: string;
  readonly birthDate: string;
}

export interface ApplicantAddress {
  readonly province: string;
  readonly city: string;
  /** District, street and number: personal data. */
  readonly detail: string;
}

export interface ApplicantContact {
  /** Personal data. */
  readonly name: string;
  readonly relation: ContactRelation;
  /** Personal data. */
  readonly phone: string;
}

export interface Employment {
  readonly occupation: Occupation;
  /** Industry as a short code (GB/T 4754 section letter or a name, e.g. "catering", "I"). */
  readonly industry: string;
  readonly employer?: string;
  /** Months with the current employer or in the current business. */
  readonly monthsInRole: number;
}

export interface IncomeEvidence {
  readonly kind: IncomeEvidenceKind;
  /** Monthly income the document supports, fen. */
  readonly monthlyAmount_fen: number;
  /** Reference of the document held by the shell (never its content). */
  readonly documentRef?: string;
}

export interface Income {
  readonly declaredMonthly_fen: number;
  readonly evidence: readonly IncomeEvidence[];
}

export type AssetKind = 'property' | 'vehicle' | 'deposit' | 'investment' | 'business-equity' | 'other';
export const ASSET_KINDS: readonly AssetKind[] = [
  'property',
  'vehicle',
  'deposit',
  'investment',
  'business-equity',
  'other',
];

export interface Asset {
  readonly kind: AssetKind;
  readonly value_fen: number;
}

export type DebtKind = 'mortgage' | 'car-loan' | 'consumer-loan' | 'credit-card' | 'business-loan' | 'other';
export const DEBT_KINDS: readonly DebtKind[] = [
  'mortgage',
  'car-loan',
  'consumer-loan',
  'credit-card',
  'business-loan',
  'other',
];

export interface Debt {
  readonly kind: DebtKind;
  readonly outstanding_fen: number;
  readonly monthlyPayment_fen: number;
}

/** 征信 summary: outstanding balances, 多头 (lenders asked or lent recently), past overdue. */
export interface BureauSummary {
  readonly outstandingBalance_fen: number;
  /** Distinct lenders with an inquiry or a new loan in the last 3, 6 and 12 months (多头借贷). */
  readonly lenders3m: number;
  readonly lenders6m: number;
  readonly lenders12m: number;
  /** Worst days past due ever reported (0 = never overdue). */
  readonly worstDaysPastDue: number;
  /** Months with an overdue status in the last 24 months. */
  readonly overdueMonths24m: number;
  /** Months since the first credit account was opened; 0 for a thin file. */
  readonly historyMonths: number;
}

/** Where and how the application arrived. IP, SIM and device id are personal data. */
export interface DeviceFacts {
  readonly deviceId: string;
  readonly ip: string;
  /** SIM serial (ICCID) or a stable hash of it. */
  readonly sim: string;
  /** App store, partner or campaign that installed the app, e.g. "huawei-appgallery", "partner:abc". */
  readonly installSource: string;
  /** When the device captured the application. */
  readonly capturedAt: string;
}

/** 经营计划: what the money is for and what the business expects. */
export interface BusinessPlan {
  readonly purpose: string;
  readonly projectedMonthlyRevenue_fen: number;
  readonly projectedMonthlyCosts_fen: number;
  /** Months until revenue covers costs; 0 when it already does. */
  readonly monthsToBreakEven: number;
}

/** 财务报表 over a period: monthly averages of revenue, costs and operating cash flow. */
export interface FinancialStatements {
  readonly periodMonths: number;
  readonly monthlyRevenue_fen: number;
  readonly monthlyCosts_fen: number;
  readonly monthlyOperatingCashFlow_fen: number;
  readonly cashBalance_fen: number;
  /** Monthly repayments of the business's own debts. */
  readonly monthlyDebtService_fen: number;
  readonly monthsTrading: number;
}

export interface BusinessFacts {
  readonly name: string;
  readonly industry: string;
  readonly plan?: BusinessPlan;
  readonly statements?: FinancialStatements;
}

/** A validated application: what `validateApplication` returns. */
export interface Application {
  readonly applicationId: string;
  /** The shell's customer id when the applicant is a customer already. */
  readonly customerId?: string;
  readonly invitationCode?: string;
  readonly productId: string;
  readonly requestedLimit_fen: number;
  /** Term the applicant expects to borrow for, months; absent = the policy's longest term option. */
  readonly requestedTerm_months?: number;
  /** Channel the application came through, e.g. "app", "h5", "partner:abc". */
  readonly channel: string;
  readonly submittedAt: string;
  readonly identity: Identity;
  readonly address: ApplicantAddress;
  readonly contacts: readonly ApplicantContact[];
  readonly maritalStatus: MaritalStatus;
  readonly housing: Housing;
  readonly dependants: number;
  readonly employment: Employment;
  readonly income: Income;
  readonly monthlyExpenses_fen: number;
  readonly assets: readonly Asset[];
  readonly debts: readonly Debt[];
  readonly bureau: BureauSummary;
  readonly device: DeviceFacts;
  readonly business?: BusinessFacts;
}

/** How the shell protects a personal-data field: which masking rule and which blind index (if any). */
export type PersonalDataKind = 'name' | 'id-number' | 'phone' | 'address-detail' | 'device' | 'ip' | 'sim';

/** A personal-data field of an application: a path (`[]` for each element of a list) and its kind. */
export interface PersonalDataField {
  readonly path: string;
  readonly kind: PersonalDataKind;
}

/** One problem with an input: the field (JSON path like `income.evidence[0].kind`) and how to fix it. */
/** The stable keys of the field issues the origination core raises (the edge says each in every language). */
export const ORIGINATION_ISSUE_KEYS = [
  'not_object',
  'unknown_field',
  'text_required',
  'text_blank',
  'text_long',
  'choice_required',
  'choice_invalid',
  'amount_required',
  'amount_not_string',
  'count_required',
  'count_invalid',
  'instant_required',
  'instant_invalid',
  'date_required',
  'date_invalid',
  'list_required',
  'list_invalid',
  'list_long',
  'id_number_form',
  'id_number_check',
  'birth_date_mismatch',
  'phone_form',
  'lenders_order',
  'period_months_zero',
  'limit_zero',
  'term_range',
  'business_required',
  'policy_not_object',
  'policy_unknown_setting',
  'policy_whole_number',
  'policy_number',
  'policy_fraud_required',
  'policy_challenger_required',
  'policy_challenger_mode',
  'policy_required',
  'policy_product_required',
  'policy_apr_cap',
  'policy_term_options',
  'policy_boolean',
  'policy_limit_order',
  'policy_graph_form',
  'policy_table_form',
  'policy_hit_policy',
  'policy_expression',
  'policy_format',
  'policy_format_version',
  'policy_graphs_required',
  'policy_engine_refused',
] as const;
export type OriginationIssueKey = (typeof ORIGINATION_ISSUE_KEYS)[number];

export interface FieldIssue {
  readonly path: string;
  /** What is wrong and how to fix it, in English. */
  readonly message: string;
  /**
   * A stable key for the message (`text_required`, `id_number_check`, `engine.<money code>`…) and the
   * values it quotes, so the edge can say it in another language; absent on issues without one.
   */
  readonly key?: OriginationIssueKey | `engine.${string}`;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** Measures derived from an application, fed to the rules. Ratios are plain numbers, null when undefined. */
export interface DerivedMeasures {
  readonly ageYears: number;
  /** Income counted for limits: verified when evidence exists, else none (0). */
  readonly verifiedMonthlyIncome_fen: number;
  readonly incomeVerified: boolean;
  readonly monthlyDebtPayments_fen: number;
  readonly assetsTotal_fen: number;
  readonly debtsOutstanding_fen: number;
  /** Existing monthly debt payments ÷ monthly income (verified if any, else declared); null without income. */
  readonly debtToIncome: number | null;
  /** Business borrowers: operating cash flow ÷ (business debt service + the requested line's instalment). */
  readonly debtServiceCoverage: number | null;
  /** Business borrowers: months the cash balance lasts at the current net burn; null when cash flow ≥ 0. */
  readonly cashRunwayMonths: number | null;
  readonly businessMonthsTrading: number | null;
  /** True when a business borrower's request is above the policy's threshold for statements. */
  readonly businessStatementsRequired: boolean;
  readonly businessStatementsSupplied: boolean;
  /** Monthly instalment of the requested limit drawn in full over the policy's longest term, fen. */
  readonly requestedInstalment_fen: number;
}

// ---------------------------------------------------------------------------------------------------------
// Invitations, blacklist, history

/** 白名单邀请: an invited customer's terms. The applicant key is what `keyOf('id-number', …)` gives. */
export interface Invitation {
  readonly invitationId: string;
  readonly code: string;
  readonly applicantKey: string;
  readonly productIds: readonly string[];
  readonly limitCap_fen: number;
  /** Channels the invitation may be taken up through; empty = any. */
  readonly channels: readonly string[];
  readonly validFrom: string;
  readonly expiresAt: string;
  readonly status: 'active' | 'used' | 'revoked';
}

/** What a blacklist entry matches, compared through `keyOf`. */
export type BlacklistSubject = 'id-number' | 'phone' | 'device' | 'ip' | 'sim';

export const BLACKLIST_SUBJECTS: readonly BlacklistSubject[] = ['id-number', 'phone', 'device', 'ip', 'sim'];

/** Where an entry comes from: a court list (失信被执行人), the lender's own review, a consortium, a regulator. */
export type BlacklistSource = 'court-dishonest-debtor' | 'internal-review' | 'fraud-consortium' | 'regulator';

export interface BlacklistEntry {
  readonly entryId: string;
  readonly subject: BlacklistSubject;
  /** The key of the value (`keyOf(subject, value)`), never the plain value. */
  readonly key: string;
  readonly reason: string;
  readonly source: BlacklistSource;
  /** What supports the entry (a case number, a review id); shown to an analyst and in an explanation. */
  readonly evidence: string;
  readonly listedAt: string;
  /** Every entry expires (民法典 Art. 1024, 1029); an expired entry is ignored. */
  readonly expiresAt: string;
}

export interface BlacklistHit {
  readonly entryId: string;
  readonly subject: BlacklistSubject;
  readonly reason: string;
  readonly source: BlacklistSource;
  readonly evidence: string;
  readonly expiresAt: string;
  /** Plain-language explanation for the applicant and the analyst. */
  readonly explanation: string;
}

/** Facts that a retry is compared on (data altered between retries). */
export interface RetryFacts {
  readonly declaredMonthlyIncome_fen: number;
  readonly occupation: Occupation;
  readonly industry: string;
  readonly employer: string;
  readonly monthsInRole: number;
  readonly assetsTotal_fen: number;
  readonly monthlyDebtPayments_fen: number;
  readonly birthDate: string;
}

/** An earlier application as the detectors need it: keys only, no plain personal data. */
export interface PastApplication {
  readonly applicationId: string;
  readonly applicantKey: string;
  readonly submittedAt: string;
  readonly channel: string;
  readonly installSource: string;
  readonly deviceKey: string;
  readonly ipKey: string;
  readonly simKey: string;
  /** Keys of the applicant's own phone and of the contacts' phones. */
  readonly phoneKey: string;
  readonly contactPhoneKeys: readonly string[];
  readonly outcome?: DecisionOutcome;
  /** Present for the same applicant's earlier applications, so that changed answers can be shown. */
  readonly facts?: RetryFacts;
}

/**
 * What the store knows about applications before this one: the shell queries by the application's keys
 * (device, IP, SIM, phones, applicant) over the policy's look-back windows and passes the rows here.
 */
export interface HistoryFacts {
  readonly recentApplications: readonly PastApplication[];
}

/** Turns a personal-data value into the key it is compared by (the shell passes its blind index). */
export type KeyOf = (kind: PersonalDataKind, value: string) => string;

// ---------------------------------------------------------------------------------------------------------
// Review flags (强开 defence)

export type ReviewFlagKind =
  | 'outside-invitation'
  | 'outside-invitation-terms'
  | 'shared-device'
  | 'shared-ip'
  | 'shared-sim'
  | 'burst-from-source'
  | 'shared-contact-numbers'
  | 'altered-between-retries'
  | 'velocity';

export const REVIEW_FLAG_KINDS: readonly ReviewFlagKind[] = [
  'outside-invitation',
  'outside-invitation-terms',
  'shared-device',
  'shared-ip',
  'shared-sim',
  'burst-from-source',
  'shared-contact-numbers',
  'altered-between-retries',
  'velocity',
];

/** `refuse`: the decision is a decline; `review`: the decision is a referral to an analyst. */
export type ReviewFlagSeverity = 'refuse' | 'review';

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

export interface ReviewFlag {
  readonly kind: ReviewFlagKind;
  readonly severity: ReviewFlagSeverity;
  /** One sentence an analyst reads first. */
  readonly summary: string;
  /** What was seen: counts, thresholds, windows, the other application ids, changed fields. */
  readonly evidence: { readonly [k: string]: JsonValue };
}

// ---------------------------------------------------------------------------------------------------------
// Policy

/** The JSON of one GoRules JDM decision graph (nodes and edges), held as data. */
export interface JdmGraph {
  readonly nodes: readonly { readonly [k: string]: JsonValue }[];
  readonly edges: readonly { readonly [k: string]: JsonValue }[];
  readonly [k: string]: JsonValue;
}

/** The five graphs of a policy, evaluated in this order. */
export type PolicyGraphName = 'knockout' | 'cutoffs' | 'limits' | 'pricing' | 'referral';
export const POLICY_GRAPH_NAMES: readonly PolicyGraphName[] = [
  'knockout',
  'cutoffs',
  'limits',
  'pricing',
  'referral',
];

export type ChallengerMode = 'off' | 'shadow' | 'split';

/** Settings a policy carries besides its rule tables. Every bound names its unit last. */
export interface PolicySettings {
  readonly productId: string;
  /** Highest APR including all fees, decimal string (domain.md §1: 24% barred above, a setting). */
  readonly aprCap: string;
  /** Term options offered, in months (convention 3/6/12, up to 24). */
  readonly termOptions_months: readonly number[];
  /** A line opens only within an invitation. */
  readonly invitationRequired: boolean;
  /** Business owners asking more than this must supply a plan and statements. */
  readonly businessStatementsAbove_fen: number;
  /** Limit never above this multiple of verified monthly income. */
  readonly incomeMultipleMax: number;
  /** Limits are rounded down to a multiple of this. */
  readonly limitStep_fen: number;
  readonly limitMin_fen: number;
  readonly limitMax_fen: number;
  /** Score reason codes kept in a decision. */
  readonly reasonCount: number;
  readonly fraud: FraudSettings;
  readonly challenger: ChallengerSettings;
}

export interface FraudSettings {
  /** Look-back window for shared device / IP / SIM. */
  readonly sharedWindow_days: number;
  /** Distinct other applicants on one device, IP or SIM above which the application is flagged. */
  readonly sharedDeviceApplicantsMax: number;
  readonly sharedIpApplicantsMax: number;
  readonly sharedSimApplicantsMax: number;
  /** Applications from one channel + install source within the burst window above which it is a burst. */
  readonly burstWindow_minutes: number;
  readonly burstApplicationsMax: number;
  /** Distinct other applicants naming any of the same contact numbers within the shared window. */
  readonly sharedContactApplicantsMax: number;
  /** Same applicant's applications allowed within the velocity window (this one included). */
  readonly velocityWindow_hours: number;
  readonly velocityApplicationsMax: number;
  /** Look-back for retries compared field by field. */
  readonly retryWindow_days: number;
  /** Relative change of declared income between retries that counts as altered. */
  readonly retryIncomeChangeMax: number;
}

export interface ChallengerSettings {
  /** `shadow`: the challenger is scored and recorded, the champion decides; `split`: a share decides. */
  readonly mode: ChallengerMode;
  /** Share of applications decided by the challenger under `split` (by a hash of the application id). */
  readonly share: number;
}

/** A policy as data: settings and five JDM graphs. `lendguard.policy`, format version 1. */
export interface PolicyDocument {
  readonly format: 'lendguard.policy';
  readonly formatVersion: 1;
  readonly policyId: string;
  /** Version label of this document, e.g. "2026.11.1". */
  readonly version: string;
  readonly description: string;
  readonly settings: PolicySettings;
  readonly graphs: { readonly [G in PolicyGraphName]: JdmGraph } & {
    /** Optional: the line controls (额度管控) EOD and repayments apply to credit lines (docs/monitoring.md). */
    readonly lineControls?: JdmGraph;
    /** Optional: the monthly limit review (动态额度) over the behaviour score (docs/monitoring.md). */
    readonly limitReview?: JdmGraph;
  };
}

export type PolicyVersionStatus = 'draft' | 'approved' | 'published' | 'retired' | 'rejected';

/** A stored version of a policy with its maker-checker trail (kept by the store; the core only reads it). */
export interface PolicyVersion {
  readonly policyId: string;
  readonly version: string;
  /** sha256 of the canonical JSON of the document. */
  readonly documentHash: string;
  readonly status: PolicyVersionStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  readonly publishedAt?: string;
  readonly document: PolicyDocument;
}

/** Reference to the policy that made a decision. */
export interface PolicyRef {
  readonly policyId: string;
  readonly version: string;
  readonly documentHash: string;
}

// ---------------------------------------------------------------------------------------------------------
// Models

/** A model in use: the artifact and a version (its kind and a hash of its document). */
export interface ModelRef {
  readonly modelId: string;
  readonly kind: 'scorecard' | 'gbm';
  /** sha256 (first 16 hex) of the serialised model. */
  readonly version: string;
}

export interface LoadedModel {
  readonly ref: ModelRef;
  readonly artifact: ModelArtifact;
}

export interface ModelSet {
  readonly champion: LoadedModel;
  readonly challenger?: LoadedModel;
}

export interface ScoreReason {
  readonly feature: string;
  readonly value: string;
  /** Points lost against the feature's best bin. */
  readonly pointsLost: number;
}

export interface ScoreResult {
  readonly model: ModelRef;
  readonly score: number;
  readonly probabilityBad: number;
  readonly reasons: readonly ScoreReason[];
  /** Model inputs as mapped from the application (see docs/origination.md). */
  readonly features: { readonly [feature: string]: number | string | null };
}

// ---------------------------------------------------------------------------------------------------------
// Decision

export type DecisionOutcome = 'approve' | 'decline' | 'refer';

/** Where a reason comes from. */
export type ReasonSource =
  | 'knockout'
  | 'cutoff'
  | 'limit'
  | 'pricing'
  | 'referral'
  | 'blacklist'
  | 'invitation'
  | 'fraud'
  | 'score'
  | 'cap'
  /** A person's reasons when they decided a referred or objected-to application (review.ts). */
  | 'review';

/** A rule of a policy graph that fired, with the values it saw and what it gave. */
export interface FiredRule {
  readonly graph: PolicyGraphName;
  /** Decision-table node name. */
  readonly table: string;
  readonly ruleId: string;
  readonly values: { readonly [field: string]: JsonValue };
  readonly outputs: { readonly [field: string]: JsonValue };
}

export interface DecisionReason {
  readonly source: ReasonSource;
  /** Stable code, e.g. `KO_AGE`, `SCORE_BELOW_CUTOFF`, `BLACKLIST_HIT`. */
  readonly code: string;
  readonly message: string;
  readonly values: { readonly [field: string]: JsonValue };
}

export interface TermOption {
  readonly months: number;
  readonly method: 'equal-installment';
  /** APR including all fees at the limit drawn in full, decimal string. */
  readonly apr: string;
  /** First instalment at the limit drawn in full, fen. */
  readonly instalment_fen: number;
}

export interface ChallengerRecord {
  /** `shadow`: recorded only; `served`: the challenger made this decision and the champion is recorded. */
  readonly role: 'shadow' | 'served';
  readonly outcome: DecisionOutcome;
  readonly limit_fen: number;
  readonly riskGrade: string | null;
  readonly score: ScoreResult;
}

/** An immutable decision record: deep-frozen, with a sha256 of its canonical JSON in `contentHash`. */
export interface Decision {
  readonly format: 'lendguard.decision';
  readonly formatVersion: 1;
  readonly applicationId: string;
  readonly decidedAt: string;
  readonly outcome: DecisionOutcome;
  readonly limit_fen: number;
  readonly riskGrade: string | null;
  /** 日利率, decimal string; null when declined. */
  readonly dailyRate: string | null;
  /** APR including all fees, decimal string, at the longest term offered; null when declined. */
  readonly apr: string | null;
  readonly termOptions: readonly TermOption[];
  readonly reasons: readonly DecisionReason[];
  readonly rulesFired: readonly FiredRule[];
  readonly score: ScoreResult;
  readonly challenger?: ChallengerRecord;
  readonly flags: readonly ReviewFlag[];
  readonly blacklistHits: readonly BlacklistHit[];
  readonly derived: DerivedMeasures;
  readonly invitationId: string | null;
  readonly policy: PolicyRef;
  /** Set on a person's decision: the automated decision it replaces (review.ts). */
  readonly supersedes?: string;
  /** Set on a person's decision: the user who made it. */
  readonly decidedBy?: string;
  /** Set on a person's decision: their reasons, the cap they were held to, the automated decision referred to. */
  readonly review?: ReviewRecord;
  readonly contentHash: string;
}

/** What a person's decision records besides the outcome (src/origination/review.ts). */
export interface ReviewRecord {
  readonly reasonCodes: readonly string[];
  readonly note: string | null;
  /** The automated decision by reference: its reasons stay in its own sealed record. */
  readonly automated: {
    readonly decisionId: string;
    readonly outcome: DecisionOutcome;
    readonly limit_fen: number;
    readonly contentHash: string;
  };
  /** The highest limit the person could grant, and the caps that make it (null on a decline). */
  readonly limitCap_fen: number | null;
  readonly caps: readonly { readonly code: string; readonly cap_fen: number }[];
}

/** Everything a decision depends on besides the application: passed in, never read by the core. */
export interface DecisionContext {
  /** The business time of the decision (expiry, windows and ages are measured from it). */
  readonly businessTime: string;
  readonly policy: CompiledPolicyHandle;
  readonly models: ModelSet;
  readonly invitations: readonly Invitation[];
  readonly blacklist: readonly BlacklistEntry[];
  readonly history: HistoryFacts;
  /** The applicant's own book at this lender (lines, loans, days past due); default: none. */
  readonly book?: import('./book.js').OwnBook;
  /** Defaults to the identity (plain values compared); the shell passes its blind index. */
  readonly keyOf?: KeyOf;
}

/** A policy checked and loaded into the rules engine (`compilePolicy`). Opaque beyond these fields. */
export interface CompiledPolicyHandle {
  readonly document: PolicyDocument;
  readonly ref: PolicyRef;
}

// ---------------------------------------------------------------------------------------------------------
// Re-assessment

/** New financial facts for an existing customer; absent fields keep the last known facts. */
export interface FinancialChanges {
  readonly income?: Income;
  readonly newDebts?: readonly Debt[];
  readonly bureau?: BureauSummary;
  readonly business?: BusinessFacts;
  readonly employment?: Employment;
}

export interface ReassessmentInput {
  readonly customerId: string;
  readonly currentLimit_fen: number;
  readonly currentDailyRate: string;
  /** The customer's last known application facts. */
  readonly lastApplication: Application;
  readonly changes: FinancialChanges;
}

export type ReassessmentAction = 'increase' | 'decrease' | 'keep' | 'suspend';

export interface Reassessment {
  readonly format: 'lendguard.reassessment';
  readonly formatVersion: 1;
  readonly customerId: string;
  readonly assessedAt: string;
  readonly action: ReassessmentAction;
  readonly previousLimit_fen: number;
  readonly limit_fen: number;
  readonly previousDailyRate: string;
  readonly dailyRate: string | null;
  readonly apr: string | null;
  readonly riskGrade: string | null;
  readonly reasons: readonly DecisionReason[];
  readonly rulesFired: readonly FiredRule[];
  readonly score: ScoreResult;
  readonly derived: DerivedMeasures;
  readonly policy: PolicyRef;
  readonly contentHash: string;
}

/** Context of a re-assessment: no invitation or 强开 checks (the customer has a line already). */
export interface ReassessmentContext {
  readonly businessTime: string;
  readonly policy: CompiledPolicyHandle;
  readonly models: ModelSet;
  readonly blacklist: readonly BlacklistEntry[];
  /** The customer's own book at this lender (lines, loans, days past due); default: none. */
  readonly book?: import('./book.js').OwnBook;
  readonly keyOf?: KeyOf;
}
