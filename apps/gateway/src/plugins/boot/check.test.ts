import Fastify from 'fastify';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import boot, { RouteSchemaError, schemaProblems } from './index.js';

const ok = Type.Object({});
const response = { 200: ok };

describe('schemaProblems', () => {
  it.each([
    ['GET', '/k8s-api/v1/things', {}, 'route GET /k8s-api/v1/things declares no response schema'],
    ['GET', '/k8s-api/v1/things/:id', { response }, 'declares no params schema'],
    ['PUT', '/k8s-api/v1/things', { response }, 'declares no body schema'],
    ['PATCH', '/k8s-api/v1/things', { response }, 'declares no body schema'],
  ])('%s %s with %o: %s', (method, url, schema, problem) => {
    const [found] = schemaProblems({ method, url, schema });
    expect(found).toContain(problem);
  });

  it.each([
    ['GET', '/k8s-api/v1/things', { response }],
    ['GET', '/k8s-api/v1/things/:id', { params: ok, response }],
    ['POST', '/k8s-api/v1/things', { response }],
    ['PUT', '/k8s-api/v1/things', { body: ok, response }],
    ['HEAD', '/k8s-api/v1/things', {}],
    ['GET', '/healthz', {}],
  ])('%s %s with %o passes', (method, url, schema) => {
    expect(schemaProblems({ method, url, schema })).toEqual([]);
  });

  it('asks a WebSocket route for its query (the ticket), not for a response', () => {
    const route = { method: 'GET', url: '/k8s-api/v1/live', websocket: true };
    expect(schemaProblems({ ...route, schema: {} })[0]).toContain('no querystring schema');
    expect(schemaProblems({ ...route, schema: { querystring: ok } })).toEqual([]);
  });
});

describe('the boot plugin', () => {
  it('fails the boot naming every route without schemas', async () => {
    const app = Fastify({ logger: false });
    await app.register(boot);
    app.get('/k8s-api/v1/a', () => 'a');
    app.get('/k8s-api/v1/b/:id', { schema: { response } }, () => ({}));
    app.get('/k8s-api/v1/c', { schema: { response } }, () => ({}));
    const err = await app.ready().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await app.close();
    expect(err).toBeInstanceOf(RouteSchemaError);
    expect((err as Error).message.split('\n')).toEqual([
      'route GET /k8s-api/v1/a declares no response schema: every /k8s-api/v1 route describes what it takes and answers',
      'route GET /k8s-api/v1/b/:id declares no params schema: every /k8s-api/v1 route describes what it takes and answers',
    ]);
  });
});
