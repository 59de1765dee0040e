import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';

describe('ops', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
  });
  afterAll(() => app.close());

  it.each(['/healthz', '/readyz'])('%s answers ok', async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers 404 for an unknown path', async () => {
    const res = await app.inject({ url: '/nope' });
    expect(res.statusCode).toBe(404);
  });
});
