import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SERVER_CONFIG, loadServerConfig } from '../../src/server/index.js';

describe('server configuration', () => {
  it('fills defaults and freezes the result', () => {
    const config = loadServerConfig({ pageSize_max: 500 });
    expect(config.pageSize_max).toBe(500);
    expect(config.bodyLimit_bytes).toBe(DEFAULT_SERVER_CONFIG.bodyLimit_bytes);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ bodyLimit_bytes: 0 }, /bodyLimit_bytes must be a whole number/],
    [{ pageSize_max: 1.5 }, /pageSize_max/],
    [{ pageSize_default: 300, pageSize_max: 200 }, /pageSize_default must be a whole number from 1 to 200/],
    [{ amount_max_fen: -5 }, /amount_max_fen/],
    [{ pageSizeMax: 5 } as never, /unknown server setting "pageSizeMax"/],
  ])('refuses %j', (overrides, message) => {
    expect(() => loadServerConfig(overrides)).toThrow(ConfigError);
    expect(() => loadServerConfig(overrides)).toThrow(message);
  });
});
