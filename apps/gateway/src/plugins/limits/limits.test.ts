// Request rate limits, request timeouts: in the assembled gateway, with small limits.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type TestApp } from '../../../test/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await testApp({
    BINNACLE_RATE_LIMIT_ANONYMOUS: '5',
    BINNACLE_RATE_LIMIT_PER_PERSON: '8',
    BINNACLE_RATE_LIMIT_WINDOW_SECONDS: '600',
    BINNACLE_REQUEST_TIMEOUT_SECONDS: '1',
  });
});
afterAll(() => t.close());

const me = (headers: Record<string, string>, remoteAddress = '10.3.0.1') =>
  t.app.inject({ url: '/k8s-api/v1/me', headers, remoteAddress });

describe('request rate limits', () => {
  it('answers 429 RateLimited past the anonymous limit of one address, naming the limit', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await me({}, '10.3.1.1')).statusCode).toBe(401);
    }
    const refused = await me({}, '10.3.1.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({
      code: 'RateLimited',
      message: expect.stringContaining('BINNACLE_RATE_LIMIT_ANONYMOUS, 5 per 600 s') as unknown,
      details: { limit: 'anonymous', max: 5, window: 600 },
    });
    // Another address has a budget of its own.
    expect((await me({}, '10.3.1.2')).statusCode).toBe(401);
    // Static pages and health checks are not limited.
    expect((await t.app.inject({ url: '/healthz', remoteAddress: '10.3.1.1' })).statusCode).toBe(
      200,
    );
  });

  it('limits a signed-in person across addresses, and nobody else', async () => {
    const admin = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
    const again = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push((await me(i % 2 === 0 ? admin : again, `10.3.2.${String(i)}`)).statusCode);
    }
    expect(seen).toEqual(Array.from({ length: 8 }, () => 200));
    const refused = await me(again, '10.3.2.99');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'RateLimited',
      message: expect.stringContaining('BINNACLE_RATE_LIMIT_PER_PERSON, 8 per 600 s') as unknown,
    });
    // The person's budget is not the address's: anonymous callers there are still answered.
    expect((await me({}, '10.3.2.99')).statusCode).toBe(401);
  });
});

describe('request timeouts', () => {
  it('answers 408 to a client that does not finish sending its request in time', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        // Headers, then nothing: the body never comes.
        socket.write(
          'POST /k8s-api/v1/auth/login HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n',
        );
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => {
        resolve(text);
      });
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'RequestTimeout',
      message: 'The request was not sent within 1 s (BINNACLE_REQUEST_TIMEOUT_SECONDS).',
    });
  });
});
