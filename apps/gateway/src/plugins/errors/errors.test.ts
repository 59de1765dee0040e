import { KubeError } from '@binnacle/kube';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import errors, { HttpError } from './index.js';

async function app() {
  const a = Fastify({ logger: false });
  await a.register(errors);
  a.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  a.get('/conflict', () => {
    throw HttpError.conflict('A cluster named "prod" already exists.');
  });
  a.get('/kube-refusal', () => {
    throw new KubeError({
      code: 409,
      reason: 'AlreadyExists',
      message: 'pods "web" already exists',
    });
  });
  a.get('/kube-down', () => {
    throw new KubeError({
      code: 0,
      reason: 'NetworkError',
      message: 'connect ECONNREFUSED 10.0.0.1:6443',
    });
  });
  a.post(
    '/typed',
    {
      schema: {
        body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
    },
    () => ({ ok: true }),
  );
  return a;
}

describe('errors', () => {
  it('hides internals of a 5xx', async () => {
    const res = await (await app()).inject({ url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      code: 'InternalError',
      message: 'Something went wrong on our side; try again later.',
    });
    expect(res.body).not.toContain('hunter2');
  });

  it.each([
    ['/kube-refusal', 409, { code: 'AlreadyExists', message: 'pods "web" already exists' }],
    [
      '/kube-down',
      502,
      {
        code: 'BadGateway',
        message:
          'The cluster could not answer; check its health on the clusters page and try again.',
      },
    ],
  ])('answers a Kubernetes error %s in the same shape', async (url, status, body) => {
    const res = await (await app()).inject({ url });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual(body);
    expect(res.body).not.toContain('10.0.0.1');
  });

  it('passes a deliberate 4xx through', async () => {
    const res = await (await app()).inject({ url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      code: 'Conflict',
      message: 'A cluster named "prod" already exists.',
    });
  });

  it('explains a body that fails its schema', async () => {
    const res = await (await app()).inject({ method: 'POST', url: '/typed', payload: { nope: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BadRequest', details: [{ field: 'name' }] });
  });

  it('answers malformed JSON with 400', async () => {
    const res = await (
      await app()
    ).inject({
      method: 'POST',
      url: '/typed',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('BadRequest');
  });

  it('answers an unknown path with 404 in the same shape', async () => {
    const res = await (await app()).inject({ url: '/nowhere?x=1' });
    expect(res.json()).toEqual({ code: 'NotFound', message: 'No such page: GET /nowhere' });
  });
});
