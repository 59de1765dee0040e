import { LiveType } from '@binnacle/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/fake-socket';
import { LiveClient, type LiveStatus } from './live-client';

const pods = { cluster: 'dev', resource: 'pods', namespace: 'demo', mode: 'changes' } as const;
const deployments = { cluster: 'dev', resource: 'deployments.apps', mode: 'objects' } as const;

function setup(connect?: () => Promise<FakeSocket>) {
  const sockets: FakeSocket[] = [];
  const statuses: LiveStatus[] = [];
  const open = vi.fn(() => {
    const socket = new FakeSocket();
    sockets.push(socket);
    return Promise.resolve(socket);
  });
  const client = new LiveClient({
    connect: connect ?? open,
    retryMinMs: 1000,
    retryMaxMs: 8000,
    silenceMs: 40_000,
    onStatus: (status) => statuses.push(status),
  });
  return { client, sockets, open, statuses };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('LiveClient', () => {
  it('connects on the first subscription and sends every subscription once open', async () => {
    const { client, sockets, open } = setup();
    client.subscribe(pods, () => undefined);
    client.subscribe(deployments, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(open).toHaveBeenCalledTimes(1);
    const socket = sockets[0];
    if (socket === undefined) throw new Error('no socket');
    socket.open();
    expect(socket.messages()).toEqual([
      { ...pods, type: LiveType.subscribe, id: 's1' },
      { ...deployments, type: LiveType.subscribe, id: 's2' },
    ]);
  });

  it('routes messages to the subscription they name', async () => {
    const { client, sockets } = setup();
    const first = vi.fn();
    const second = vi.fn();
    client.subscribe(pods, first);
    client.subscribe(deployments, second);
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    sockets[0]?.receive({ type: LiveType.changed, id: 's1', count: 2 });
    sockets[0]?.receive({ type: LiveType.heartbeat, at: 1 });
    sockets[0]?.receive({ type: 'not-a-message' });
    expect(first).toHaveBeenCalledWith({ type: LiveType.changed, id: 's1', count: 2 });
    expect(second).not.toHaveBeenCalled();
  });

  it('after a drop, reconnects with backoff and subscribes again under the same ids', async () => {
    const { client, sockets, open } = setup();
    const stop = client.subscribe(pods, () => undefined);
    client.subscribe(deployments, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    stop();
    sockets[0]?.drop();

    await vi.advanceTimersByTimeAsync(999);
    expect(open).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(open).toHaveBeenCalledTimes(2);
    sockets[1]?.drop(); // dropped before it opened: the next wait doubles
    await vi.advanceTimersByTimeAsync(1999);
    expect(open).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(open).toHaveBeenCalledTimes(3);

    sockets[2]?.open();
    // The ended subscription is not sent again; the other keeps its id.
    expect(sockets[2]?.messages()).toEqual([
      { ...deployments, type: LiveType.subscribe, id: 's2' },
    ]);
  });

  it('retries when the ticket cannot be had', async () => {
    let failures = 1;
    const sockets: FakeSocket[] = [];
    const { client } = setup(() => {
      if (failures-- > 0) return Promise.reject(new Error('gateway down'));
      const socket = new FakeSocket();
      sockets.push(socket);
      return Promise.resolve(socket);
    });
    client.subscribe(pods, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(1);
  });

  it('treats a silent connection as dead and reconnects', async () => {
    const { client, sockets, open } = setup();
    client.subscribe(pods, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(sockets[0]?.readyState).toBe(FakeSocket.CLOSED);
    await vi.advanceTimersByTimeAsync(1000);
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('unsubscribes on the socket, and closes it when nothing is left', async () => {
    const { client, sockets } = setup();
    const stopPods = client.subscribe(pods, () => undefined);
    const stopDeployments = client.subscribe(deployments, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    stopPods();
    expect(sockets[0]?.messages().at(-1)).toEqual({ type: LiveType.unsubscribe, id: 's1' });
    stopDeployments();
    expect(sockets[0]?.readyState).toBe(FakeSocket.CLOSED);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('close() ends the socket and never reconnects', async () => {
    const { client, sockets, open, statuses } = setup();
    client.subscribe(pods, () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    client.close();
    expect(sockets[0]?.readyState).toBe(FakeSocket.CLOSED);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(open).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toBe('closed');
  });

  it('closes a socket that arrives after the client was closed', async () => {
    let resolve: (socket: FakeSocket) => void = () => undefined;
    const { client } = setup(() => new Promise((done) => (resolve = done)));
    client.subscribe(pods, () => undefined);
    client.close();
    const late = new FakeSocket();
    resolve(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.readyState).toBe(FakeSocket.CLOSED);
  });
});
