/**
 * Bounds of borrower sign-in (decision 1000), a server setting (`portalSignIn`, src/server/config.ts) with
 * these defaults. Counted in the database, so every server process shares them.
 */
export interface PortalSignInSettings {
  /** How long a code works; whole minutes (the text message says the minutes). */
  readonly codeTtl_ms: number;
  /** Wrong answers a code takes before it stops working. */
  readonly codeAttempts_max: number;
  /** Codes one phone number may ask for in `rateWindow_ms`. */
  readonly codesPerPhone_max: number;
  /** Codes one client address may ask for in `rateWindow_ms` (several phones behind one address). */
  readonly codesPerAddress_max: number;
  /** The window of both counts; whole minutes. */
  readonly rateWindow_ms: number;
  /** Least time between two codes for one phone number; whole seconds. */
  readonly resendInterval_ms: number;
  /** How long a borrower session lasts; sign in again after. */
  readonly sessionTtl_ms: number;
}

export const DEFAULT_PORTAL_SIGN_IN_SETTINGS: PortalSignInSettings = Object.freeze({
  codeTtl_ms: 5 * 60_000,
  codeAttempts_max: 5,
  codesPerPhone_max: 5,
  codesPerAddress_max: 20,
  rateWindow_ms: 60 * 60_000,
  resendInterval_ms: 60_000,
  sessionTtl_ms: 30 * 60_000,
});

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Largest value, and the unit the value must be a whole number of, for each setting. */
const BOUNDS: Record<keyof PortalSignInSettings, { max: number; unit: number; unitName?: string }> = {
  codeTtl_ms: { max: 60 * MINUTE, unit: MINUTE, unitName: 'minutes' },
  codeAttempts_max: { max: 20, unit: 1 },
  codesPerPhone_max: { max: 1_000, unit: 1 },
  codesPerAddress_max: { max: 100_000, unit: 1 },
  rateWindow_ms: { max: DAY, unit: MINUTE, unitName: 'minutes' },
  resendInterval_ms: { max: DAY, unit: 1_000, unitName: 'seconds' },
  sessionTtl_ms: { max: DAY, unit: 1, unitName: 'milliseconds' },
};

/** Throws with a message naming the setting when a value is out of its bounds or a setting is unknown. */
export function checkPortalSignInSettings(settings: PortalSignInSettings): void {
  if (typeof settings !== 'object' || settings === null) throw new Error('must be an object');
  for (const key of Object.keys(settings))
    if (!(key in BOUNDS))
      throw new Error(`unknown setting "${key}"; known: ${Object.keys(BOUNDS).join(', ')}`);
  for (const [key, { max, unit, unitName }] of Object.entries(BOUNDS)) {
    const value = settings[key as keyof PortalSignInSettings];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < unit || value > max)
      throw new Error(`${key} must be a whole number from ${unit} to ${max}; got ${String(value)}`);
    if (value % unit !== 0)
      throw new Error(`${key} must be whole ${unitName ?? 'units'} (a multiple of ${unit}); got ${value}`);
  }
  if (settings.resendInterval_ms > settings.rateWindow_ms)
    throw new Error(
      `resendInterval_ms (${settings.resendInterval_ms}) must not be longer than rateWindow_ms (${settings.rateWindow_ms})`,
    );
}
