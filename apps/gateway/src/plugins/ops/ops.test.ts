import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/app.js';

describe('ops', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('answers /healthz', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the store and the keyring are', async () => {
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { store: true, keyring: true } });
  });

  it('is not ready when the store stops answering', async () => {
    const broken = await testApp();
    await broken.app.db.destroy();
    const res = await broken.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', checks: { store: false, keyring: true } });
    await broken.close().catch(() => undefined);
  });

  it('serves Prometheus metrics of the requests answered', async () => {
    await t.app.inject({ url: '/healthz' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /binnacle_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(res.body).toContain('binnacle_process_cpu_seconds_total');
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = await t.app.inject({ url: '/k8s-api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const body = doc.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    const ui = await t.app.inject({ url: '/k8s-api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers with a request id of its own, whatever the caller sent', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const again = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.headers['x-request-id']).not.toBe(given.headers['x-request-id']);
  });

  it('serves neither metrics nor the OpenAPI document unless the settings ask for them', async () => {
    const plain = await testApp({ BINNACLE_METRICS: 'false', BINNACLE_API_DOCS: 'false' });
    try {
      expect((await plain.app.inject({ url: '/metrics' })).statusCode).toBe(404);
      expect((await plain.app.inject({ url: '/k8s-api/docs/json' })).statusCode).toBe(404);
      expect((await plain.app.inject({ url: '/k8s-api/docs/' })).statusCode).toBe(404);
      expect((await plain.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('answers 404 for an unknown path', async () => {
    const res = await t.app.inject({ url: '/nope' });
    expect(res.statusCode).toBe(404);
  });
});
