import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({ host: '127.0.0.1', port: 8080, logLevel: 'info' });
  });

  it.each([
    [{ BINNACLE_PORT: 'eighty' }, /BINNACLE_PORT must be a port number/],
    [{ BINNACLE_PORT: '70000' }, /BINNACLE_PORT must be a port number/],
    [{ BINNACLE_LOG_LEVEL: 'loud' }, /BINNACLE_LOG_LEVEL must be one of/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
