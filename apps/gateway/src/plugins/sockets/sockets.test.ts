// The WebSocket guard, metrics and shutdown, in the assembled gateway with a socket route of the
// test's own (pods/exec in a cluster named by the path), so no cluster is needed.
import { CloseCode } from '@binnacle/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from '@fastify/websocket';
import { signIn, testApp, type TestApp } from '../../../test/app.js';
import { RefusedUpgrade, StreamClient } from '../../../test/streams-app.js';
import { fromParam } from '../rbac/index.js';
import Type from 'typebox';

interface Served {
  socket: WebSocket;
  upstream: AbortController;
}

const path = '/k8s-api/v1/clusters/:cluster/test-socket';

async function gateway(): Promise<{ t: TestApp; served: Served[]; origin: string }> {
  const t = await testApp({ BINNACLE_ALLOWED_ORIGINS: 'https://portal.example.com' });
  const served: Served[] = [];
  t.app.get(
    path,
    {
      websocket: true,
      schema: {
        params: Type.Object({ cluster: Type.String() }),
        querystring: Type.Object({ ticket: Type.Optional(Type.String()) }),
      },
      preValidation: t.app.sockets.guard,
      config: { rbac: { resource: 'pods', verb: 'exec', cluster: fromParam('cluster') } },
    },
    (socket, request) => {
      // What a stream handler does: track, count, and abort its upstream when the socket closes.
      const upstream = new AbortController();
      served.push({ socket, upstream });
      t.app.sockets.track(socket, { kind: 'exec', request });
      socket.on('message', (data: Buffer) => {
        t.app.sockets.message('exec', 'in');
        socket.send(data.toString('utf8'));
        t.app.sockets.message('exec', 'out');
      });
      socket.once('close', () => {
        upstream.abort();
      });
    },
  );
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, served, origin: address.replace(/^http/, 'ws') };
}

let t: TestApp;
let served: Served[];
let origin: string;
let admin: { authorization: string };

async function ticketFor(headers: { authorization: string }): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/k8s-api/v1/auth/ticket', headers });
  expect(res.statusCode).toBe(200);
  return res.json<{ ticket: string }>().ticket;
}

const url = (ticket?: string): string =>
  `${origin}/k8s-api/v1/clusters/one/test-socket${ticket === undefined ? '' : `?ticket=${ticket}`}`;

async function refusal(promise: Promise<unknown>): Promise<RefusedUpgrade> {
  const err = await promise.then(
    () => new Error('the upgrade was accepted'),
    (e: unknown) => e,
  );
  if (!(err instanceof RefusedUpgrade)) throw err;
  return err;
}

beforeAll(async () => {
  ({ t, served, origin } = await gateway());
  admin = { authorization: `Bearer ${(await signIn(t.app)).accessToken}` };
});
afterAll(() => t.close());

describe('the upgrade guard', () => {
  it('refuses a foreign Origin with 403 before the upgrade, and keeps the ticket', async () => {
    const ticket = await ticketFor(admin);
    const err = await refusal(StreamClient.open(url(ticket), { origin: 'https://evil.example' }));
    expect(err.status).toBe(403);
    expect(JSON.parse(err.body)).toMatchObject({ code: 'OriginNotAllowed' });
    expect(served).toHaveLength(0);
    // an allowed page may still use it
    const client = await StreamClient.open(url(ticket), { origin: 'https://portal.example.com' });
    client.socket.close();
    await client.closed;
  });

  it('refuses a missing, a spent and an expired ticket with 401', async () => {
    expect((await refusal(StreamClient.open(url()))).status).toBe(401);
    const ticket = await ticketFor(admin);
    const first = await StreamClient.open(url(ticket));
    first.socket.close();
    await first.closed;
    const spent = await refusal(StreamClient.open(url(ticket)));
    expect(spent.status).toBe(401);
    expect(JSON.parse(spent.body)).toEqual({
      code: 'Unauthorized',
      message: 'The connection ticket is missing, used or expired; open the view again.',
    });
    const old = await ticketFor(admin);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      expect((await refusal(StreamClient.open(url(old)))).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a viewer asking for exec with 403', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/users',
      headers: admin,
      payload: { username: 'vera', password: 'a-long-enough-password' },
    });
    expect(created.statusCode).toBe(201);
    const bound = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/rolebindings',
      headers: admin,
      payload: { roleId: 'builtin-viewer', subjectKind: 'user', subject: 'vera' },
    });
    expect(bound.statusCode).toBe(201);
    const vera = {
      authorization: `Bearer ${(await signIn(t.app, 'vera', 'a-long-enough-password')).accessToken}`,
    };
    const before = served.length;
    const err = await refusal(StreamClient.open(url(await ticketFor(vera))));
    expect(err.status).toBe(403);
    expect(JSON.parse(err.body)).toMatchObject({ code: 'Forbidden' });
    expect(served).toHaveLength(before);
  });
});

describe('socket metrics', () => {
  it('counts open sockets, messages both ways and closes by code', async () => {
    const metric = async (name: string): Promise<number> => {
      const body = (await t.app.inject({ url: '/metrics' })).body;
      const line = body.split('\n').find((l) => l.startsWith(name));
      return Number(line?.split(' ').at(-1) ?? Number.NaN);
    };
    const open = 'binnacle_websocket_connections{kind="exec"}';
    const received = 'binnacle_websocket_messages_total{kind="exec",direction="in"}';
    const closedNormally = 'binnacle_websocket_closed_total{kind="exec",code="1000"}';
    const before = {
      open: await metric(open),
      closed: (await metric(closedNormally)) || 0,
      received: (await metric(received)) || 0,
    };
    const client = await StreamClient.open(url(await ticketFor(admin)));
    client.send({ hello: 1 });
    await client.until((c) => c.messages.length === 1);
    expect(await metric(open)).toBe(before.open + 1);
    expect(await metric(received)).toBe(before.received + 1);
    client.socket.close(1000);
    await client.closed;
    await expect.poll(() => metric(open)).toBe(before.open);
    expect(await metric(closedNormally)).toBe(before.closed + 1);
  });
});

describe('shutdown', () => {
  /** A gateway of its own with `count` sockets open on it. */
  async function withSockets(count: number) {
    const other = await gateway();
    const token = (await signIn(other.t.app)).accessToken;
    const clients: StreamClient[] = [];
    for (let i = 0; i < count; i++) {
      const res = await other.t.app.inject({
        method: 'POST',
        url: '/k8s-api/v1/auth/ticket',
        headers: { authorization: `Bearer ${token}` },
      });
      const { ticket } = res.json<{ ticket: string }>();
      clients.push(
        await StreamClient.open(
          `${other.origin}/k8s-api/v1/clusters/one/test-socket?ticket=${ticket}`,
        ),
      );
    }
    return { ...other, clients };
  }

  it('sends every open socket 1001 and aborts their upstreams', async () => {
    const { t: other, served: otherServed, clients } = await withSockets(2);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    for (const client of clients) {
      expect(await client.closed).toEqual({
        code: CloseCode.goingAway,
        reason: 'The gateway is restarting; reconnect in a moment.',
      });
    }
    expect(otherServed.map((s) => s.upstream.signal.aborted)).toEqual([true, true]);
  });

  it('cuts a socket that does not answer the close frame after 3 s', async () => {
    const { t: other, served: otherServed, clients } = await withSockets(1);
    const [client] = clients;
    client?.socket.pause(); // reads nothing, so never answers the close frame
    const started = Date.now();
    await other.close();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(2900);
    // Generous: on a busy machine the close itself takes a while.
    expect(took).toBeLessThan(15_000);
    expect(otherServed[0]?.upstream.signal.aborted).toBe(true);
    // The frame was sent; the gateway just did not wait for the answer.
    client?.socket.resume();
    expect((await client?.closed)?.code).toBe(CloseCode.goingAway);
  }, 30_000);
});
