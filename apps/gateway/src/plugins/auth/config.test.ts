import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../config/auth.js';
import { ConfigError } from '../../config/env.js';

describe('loadAuthConfig', () => {
  it('has safe defaults', () => {
    expect(loadAuthConfig({})).toEqual({
      adminUsername: 'admin',
      adminPassword: undefined,
      insecureCookies: false,
      allowedOrigins: [],
      accessTokenTtlSeconds: 600,
      sessionIdleHours: 168,
      sessionMaxDays: 30,
      login: {
        windowSeconds: 300,
        maxPerUserAndIp: 10,
        maxPerIp: 50,
        lockoutFailures: 5,
        lockoutMinutes: 15,
      },
    });
  });

  it('reads the variables, normalising the administrator name', () => {
    const config = loadAuthConfig({
      BINNACLE_ADMIN_USER: ' Root ',
      BINNACLE_ADMIN_PASSWORD: 'a very long password',
      BINNACLE_INSECURE_COOKIES: 'true',
      BINNACLE_ALLOWED_ORIGINS: 'https://portal.example.com, http://localhost:5173',
      BINNACLE_LOCKOUT_FAILURES: '3',
    });
    expect(config.adminUsername).toBe('root');
    expect(config.adminPassword?.reveal()).toBe('a very long password');
    expect(config.insecureCookies).toBe(true);
    expect(config.allowedOrigins).toEqual(['https://portal.example.com', 'http://localhost:5173']);
    expect(config.login.lockoutFailures).toBe(3);
  });

  it('keeps the administrator password out of JSON and inspection', () => {
    const config = loadAuthConfig({ BINNACLE_ADMIN_PASSWORD: 'a very long password' });
    expect(JSON.stringify(config)).not.toContain('a very long password');
    expect(inspect(config, { depth: 5 })).not.toContain('a very long password');
  });

  it.each([
    [{ BINNACLE_ADMIN_USER: 'not a name' }, /^BINNACLE_ADMIN_USER is not a valid username/],
    [
      { BINNACLE_ADMIN_PASSWORD: 'short-pw' },
      'BINNACLE_ADMIN_PASSWORD is refused: A password needs at least 12 characters. Unset it to get a generated one.',
    ],
    [
      { BINNACLE_ADMIN_USER: 'administrator1', BINNACLE_ADMIN_PASSWORD: 'Administrator1' },
      'BINNACLE_ADMIN_PASSWORD is refused: A password must not be the username. Unset it to get a generated one.',
    ],
    [
      { BINNACLE_INSECURE_COOKIES: 'maybe' },
      'BINNACLE_INSECURE_COOKIES must be true or false, got "maybe"',
    ],
    [
      { BINNACLE_ACCESS_TOKEN_TTL_SECONDS: '86400' },
      'BINNACLE_ACCESS_TOKEN_TTL_SECONDS must be a whole number from 60 to 3600, got "86400"',
    ],
  ])('refuses %o', (env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(ConfigError);
    expect(() => loadAuthConfig(env)).toThrow(message);
    // A refused password is never repeated.
    expect(() => loadAuthConfig(env)).not.toThrow(/short-pw/);
  });
});
