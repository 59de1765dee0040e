import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, logLevel: 'info' });
    expect(config.db).toMatchObject({
      dialect: 'sqlite',
      file: expect.stringMatching(/\/data\/binnacle\.db$/) as unknown,
    });
    // No default key: the keyring plugin refuses to start without one.
    expect(config.keyring.keys).toEqual([]);
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
