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
    // What strangers can push is bounded; the gateway describes itself only when asked to.
    expect(config.limits).toEqual({
      rateLimitWindowSeconds: 60,
      rateLimitPerPerson: 1200,
      rateLimitAnonymous: 300,
      requestTimeoutSeconds: 30,
      connectionTimeoutSeconds: 120,
      upstreamTimeoutSeconds: 30,
      auditAnonymousPerAddress: 60,
      auditAnonymousWindowSeconds: 600,
    });
    expect(config.ops).toEqual({ metrics: false, apiDocs: false });
  });

  it.each([
    [{ BINNACLE_PORT: 'eighty' }, /BINNACLE_PORT must be a port number/],
    [{ BINNACLE_PORT: '70000' }, /BINNACLE_PORT must be a port number/],
    [{ BINNACLE_LOG_LEVEL: 'loud' }, /BINNACLE_LOG_LEVEL must be one of/],
    [{ BINNACLE_RATE_LIMIT_PER_PERSON: '0' }, /BINNACLE_RATE_LIMIT_PER_PERSON must be a whole/],
    [{ BINNACLE_METRICS: 'sometimes' }, /BINNACLE_METRICS must be true or false/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
