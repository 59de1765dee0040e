import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import { loadSsoConfig } from '../../config/sso.js';

const oidc = {
  OIDC_ISSUER: 'https://idp.example',
  OIDC_CLIENT_ID: 'binnacle',
  OIDC_CLIENT_SECRET: 'secret',
  BINNACLE_PUBLIC_URL: 'https://binnacle.example/ignored/path',
};

describe('loadSsoConfig', () => {
  it('leaves both methods off by default', () => {
    expect(loadSsoConfig({})).toMatchObject({ oidc: undefined, host: undefined });
  });

  it('reads OIDC with its defaults and derives the redirect URI from the public URL', () => {
    const config = loadSsoConfig(oidc).oidc;
    expect(config?.scopes).toBe('openid profile email groups');
    expect(config?.groupsClaim).toBe('groups');
    expect(config?.redirectUri.href).toBe('https://binnacle.example/k8s-api/v1/auth/oidc/callback');
    expect(JSON.stringify(config)).not.toContain('secret"');
  });

  it.each([
    ['half an OIDC configuration', { OIDC_ISSUER: 'https://idp.example' }, /OIDC_CLIENT_ID/],
    ['OIDC without a public URL', { ...oidc, BINNACLE_PUBLIC_URL: '' }, /BINNACLE_PUBLIC_URL/],
    ['an http issuer off loopback', { ...oidc, OIDC_ISSUER: 'http://idp.example' }, /https/],
    ['half a host configuration', { HOST_SSO_ISSUER: 'https://portal' }, /HOST_SSO_AUDIENCE/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => loadSsoConfig(env)).toThrow(ConfigError);
    expect(() => loadSsoConfig(env)).toThrow(message);
  });
});
