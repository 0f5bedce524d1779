import {
  type ComplaintSettings,
  checkComplaintSettings,
  DEFAULT_COMPLAINT_SETTINGS,
} from '../collections/index.js';
import { eclRunOptions } from '../jobs/index.js';
import {
  checkRestructuringPolicy,
  DEFAULT_RESTRUCTURING_POLICY,
  type RestructuringPolicy,
} from '../ledger/index.js';
import type { EclLenderSettings } from '../reporting/index.js';
import {
  checkPortalSignInSettings,
  DEFAULT_PORTAL_SIGN_IN_SETTINGS,
  type PortalSignInSettings,
} from './portal/sign-in-settings.js';
/** Server settings, validated once at start and frozen. Names carry their unit last. */
export interface ServerConfig {
  /** Largest request body accepted. */
  readonly bodyLimit_bytes: number;
  /** Page size when a list request names none. */
  readonly pageSize_default: number;
  /** Largest page a list request may ask for. */
  readonly pageSize_max: number;
  /** Largest amount accepted anywhere in the API, in fen. */
  readonly amount_max_fen: number;
  /** Longest Idempotency-Key accepted. */
  readonly idempotencyKeyLength_max: number;
  /** Time allowed to receive a whole request (headers and body); slower clients are cut off. */
  readonly requestTimeout_ms: number;
  /** Log requests (method, route, status, time) to stderr. Never logs bodies or query strings. */
  readonly logRequests: boolean;
  /**
   * How long a token found valid is trusted without asking the database again (0: ask every time).
   * Revocation through the API takes effect at once; by other means within this time (docs/api.md).
   */
  readonly tokenCacheTtl_ms: number;
  /**
   * Ledger write transactions one server process runs at once on a PostgreSQL server (decision 0211);
   * below the connection pool's size so that reads still find a connection. PGlite runs one at a time.
   */
  readonly ledgerWritesInFlight_max: number;
  /** Requests one process works on at once; more are refused with 503 and Retry-After instead of queueing. */
  readonly requestsInFlight_max: number;
  /** Requests one API token may send per `rateLimitWindow_ms` (per server process). */
  readonly rateLimitPerToken_max: number;
  /** Failed authentications one client address may make per `rateLimitWindow_ms` before it gets 429. */
  readonly failedAuthPerAddress_max: number;
  /** The window of both rate limits. */
  readonly rateLimitWindow_ms: number;
  /** People one user may unmask in `unmaskAlertWindow_ms` before an alert row enters the audit log. */
  readonly unmaskAlertPeople_max: number;
  readonly unmaskAlertWindow_ms: number;
  /** The lender's IANA time zone: "today" and the time of day of business times are read in it. */
  readonly lenderTimeZone: string;
  /**
   * A restructuring forgiving more than this (fen), or a settlement offer whose discount is more than this,
   * waits for a second person's approval (maker-checker).
   */
  readonly restructuringApprovalForgivenAbove_fen: number;
  /** A restructuring moving maturity later by more than this many months waits for a second person. */
  readonly restructuringApprovalExtendedAbove_months: number;
  /** The lender's restructuring rules: longest plans, affordability cap, misses that break a plan, codes. */
  readonly restructuringPolicy: RestructuringPolicy;
  /** The longest a settlement offer may stay open, in days from the business day it is made. */
  readonly settlementValidDays_max: number;
  /** Complaints: SLA timers and the lender's calendar, collection while one is open, the spike rule. */
  readonly complaintSettings: ComplaintSettings;
  /**
   * Borrower sign-in (docs/portal.md): code lifetime and wrong answers, codes per phone and per client
   * address in the window, least time between two codes for a phone, session length. Settings left out
   * keep their defaults.
   */
  readonly portalSignIn: PortalSignInSettings;
  /**
   * The lender's ECL settings (LGD override and floor, CCF, scenario weights; docs/ecl.md), used by the ECL,
   * stress and liquidity reports and the month-end posting. Empty: the shipped settings.
   */
  readonly eclSettings: EclLenderSettings;
}

export const DEFAULT_SERVER_CONFIG: ServerConfig = Object.freeze({
  bodyLimit_bytes: 64 * 1024,
  pageSize_default: 50,
  pageSize_max: 200,
  restructuringApprovalForgivenAbove_fen: 100_000, // 1,000.00 yuan
  restructuringApprovalExtendedAbove_months: 6,
  restructuringPolicy: DEFAULT_RESTRUCTURING_POLICY,
  settlementValidDays_max: 90,
  complaintSettings: DEFAULT_COMPLAINT_SETTINGS,
  portalSignIn: DEFAULT_PORTAL_SIGN_IN_SETTINGS,
  eclSettings: Object.freeze({}),
  amount_max_fen: 1_000_000_000_00, // one billion yuan
  idempotencyKeyLength_max: 128,
  requestTimeout_ms: 30_000,
  logRequests: false,
  tokenCacheTtl_ms: 5_000,
  ledgerWritesInFlight_max: 4,
  requestsInFlight_max: 1_024,
  rateLimitPerToken_max: 30_000,
  failedAuthPerAddress_max: 50,
  rateLimitWindow_ms: 60_000,
  unmaskAlertPeople_max: 50,
  unmaskAlertWindow_ms: 3_600_000,
  lenderTimeZone: 'Asia/Shanghai',
});

/** The largest rateLimitPerToken_max a configuration may set. */
export const RATE_LIMIT_PER_TOKEN_LIMIT = 10_000_000;

/** The largest ledgerWritesInFlight_max: one less than the connection pool (store/postgres.ts, 10). */
export const LEDGER_WRITES_IN_FLIGHT_LIMIT = 9;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function positiveInteger(name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`${name} must be a whole number from 1 to ${max}; got ${String(value)}`);
  }
}

/** Fills defaults, checks every bound and returns a frozen copy. Unknown settings are refused. */
export function loadServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  for (const key of Object.keys(overrides)) {
    if (!(key in DEFAULT_SERVER_CONFIG)) {
      throw new ConfigError(
        `unknown server setting "${key}"; known: ${Object.keys(DEFAULT_SERVER_CONFIG).join(', ')}`,
      );
    }
  }
  const config = {
    ...DEFAULT_SERVER_CONFIG,
    ...overrides,
    portalSignIn: Object.freeze({
      ...DEFAULT_PORTAL_SIGN_IN_SETTINGS,
      ...((overrides.portalSignIn as Partial<PortalSignInSettings> | undefined) ?? {}),
    }),
  };
  positiveInteger('bodyLimit_bytes', config.bodyLimit_bytes, 16 * 1024 * 1024);
  positiveInteger('pageSize_max', config.pageSize_max, 10_000);
  positiveInteger('pageSize_default', config.pageSize_default, config.pageSize_max);
  positiveInteger('amount_max_fen', config.amount_max_fen, Number.MAX_SAFE_INTEGER);
  for (const key of [
    'restructuringApprovalForgivenAbove_fen',
    'restructuringApprovalExtendedAbove_months',
  ] as const) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < 0)
      throw new ConfigError(`${key} must be a whole number of 0 or more; got ${String(value)}`);
  }
  try {
    checkRestructuringPolicy(config.restructuringPolicy);
  } catch (error) {
    throw new ConfigError(`restructuringPolicy: ${error instanceof Error ? error.message : String(error)}`);
  }
  positiveInteger('settlementValidDays_max', config.settlementValidDays_max, 3660);
  try {
    checkComplaintSettings(config.complaintSettings);
  } catch (error) {
    throw new ConfigError(`complaintSettings: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    checkPortalSignInSettings(config.portalSignIn);
  } catch (error) {
    throw new ConfigError(`portalSignIn: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    eclRunOptions(config.eclSettings);
  } catch (error) {
    throw new ConfigError(`eclSettings: ${error instanceof Error ? error.message : String(error)}`);
  }
  positiveInteger('idempotencyKeyLength_max', config.idempotencyKeyLength_max, 255);
  positiveInteger('requestTimeout_ms', config.requestTimeout_ms, 600_000);
  positiveInteger('ledgerWritesInFlight_max', config.ledgerWritesInFlight_max, LEDGER_WRITES_IN_FLIGHT_LIMIT);
  positiveInteger('requestsInFlight_max', config.requestsInFlight_max, 100_000);
  positiveInteger('rateLimitPerToken_max', config.rateLimitPerToken_max, RATE_LIMIT_PER_TOKEN_LIMIT);
  positiveInteger('failedAuthPerAddress_max', config.failedAuthPerAddress_max, 1_000_000);
  positiveInteger('rateLimitWindow_ms', config.rateLimitWindow_ms, 86_400_000);
  positiveInteger('unmaskAlertPeople_max', config.unmaskAlertPeople_max, 1_000_000);
  positiveInteger('unmaskAlertWindow_ms', config.unmaskAlertWindow_ms, 7 * 86_400_000);
  if (config.tokenCacheTtl_ms !== 0) positiveInteger('tokenCacheTtl_ms', config.tokenCacheTtl_ms, 60_000);
  if (typeof config.logRequests !== 'boolean') throw new ConfigError('logRequests must be true or false');
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: String(config.lenderTimeZone) });
  } catch {
    throw new ConfigError(
      `lenderTimeZone must be an IANA time zone such as Asia/Shanghai; got ${String(config.lenderTimeZone)}`,
    );
  }
  return Object.freeze(config);
}
