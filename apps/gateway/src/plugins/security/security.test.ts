import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.js';

describe('security headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({
      BINNACLE_ALLOWED_ORIGINS: 'https://portal.example.com',
      BINNACLE_BODY_LIMIT: '4096',
    });
    t.app.post('/echo', () => ({ ok: true }));
  });
  afterAll(() => t.close());

  it('sends a CSP and the usual hardening headers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS for a configured origin, with credentials', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/healthz',
      headers: { origin: 'https://portal.example.com', 'access-control-request-method': 'GET' },
    });
    expect(res.headers['access-control-allow-origin']).toBe('https://portal.example.com');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('gives no CORS grant to another origin', async () => {
    const res = await t.app.inject({
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body over the limit with 413 in the one error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ blob: 'x'.repeat(10_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ code: string }>().code).toBe('PayloadTooLarge');
  });
});
