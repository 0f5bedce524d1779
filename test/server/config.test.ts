import { describe, expect, it } from 'vitest';
import { parseEclLenderSettings } from '../../src/reporting/index.js';
import { ConfigError, DEFAULT_SERVER_CONFIG, loadServerConfig } from '../../src/server/index.js';

describe('server configuration', () => {
  it('fills defaults and freezes the result', () => {
    const config = loadServerConfig({ pageSize_max: 500 });
    expect(config.pageSize_max).toBe(500);
    expect(config.bodyLimit_bytes).toBe(DEFAULT_SERVER_CONFIG.bodyLimit_bytes);
    expect(Object.isFrozen(config)).toBe(true);
    // A nested setting left out keeps its default.
    const portal = loadServerConfig({ portalSignIn: { codesPerPhone_max: 3 } } as never).portalSignIn;
    expect(portal).toMatchObject({ codesPerPhone_max: 3, codesPerAddress_max: 20, codeTtl_ms: 300_000 });
  });

  it.each([
    [{ bodyLimit_bytes: 0 }, /bodyLimit_bytes must be a whole number/],
    [{ pageSize_max: 1.5 }, /pageSize_max/],
    [{ pageSize_default: 300, pageSize_max: 200 }, /pageSize_default must be a whole number from 1 to 200/],
    [{ amount_max_fen: -5 }, /amount_max_fen/],
    [{ pageSizeMax: 5 } as never, /unknown server setting "pageSizeMax"/],
    [{ portalSignIn: { codesPerPhone_max: 0 } } as never, /portalSignIn: codesPerPhone_max must be a whole/],
    [{ portalSignIn: { codeTtl_ms: 90_000 } } as never, /portalSignIn: codeTtl_ms must be whole minutes/],
    [
      { portalSignIn: { resendInterval_ms: 7_200_000 } } as never,
      /portalSignIn: resendInterval_ms \(7200000\) must not be longer than rateWindow_ms/,
    ],
    [{ portalSignIn: { codeTTL: 5 } } as never, /portalSignIn: unknown setting "codeTTL"/],
  ])('refuses %j', (overrides, message) => {
    expect(() => loadServerConfig(overrides)).toThrow(ConfigError);
    expect(() => loadServerConfig(overrides)).toThrow(message);
  });
});

describe("the lender's ECL settings in the server configuration", () => {
  it('takes valid settings and refuses weights that miss a scenario, at start', () => {
    const config = loadServerConfig({
      eclSettings: parseEclLenderSettings({ ccf: '0.4', lgdOverride: null }),
    });
    expect(config.eclSettings).toEqual({ ccf_micro: 400_000, lgdOverride_micro: null });
    expect(() =>
      loadServerConfig({ eclSettings: parseEclLenderSettings({ scenarioWeights: { base: '1' } }) }),
    ).toThrow(/eclSettings: scenarioWeights: give a weight to every scenario/);
  });
});
