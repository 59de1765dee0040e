import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { KubeClient } from '../client.ts';
import { KubeError, type Status } from '../errors.ts';
import { decodeFrame, encodeFrame } from './channel.ts';
import { exec } from './exec.ts';
import { exitFromStatus } from './session.ts';
import { localWsServer, recordFrames, type LocalWsServer } from './test-ws-server.ts';

describe('channel frames', () => {
  it.each([
    { channel: 0, payload: 'hello', bytes: [0, 104, 101, 108, 108, 111] },
    { channel: 255, payload: Buffer.from([0]), bytes: [255, 0] },
    { channel: 4, payload: '', bytes: [4] },
  ])('channel $channel', ({ channel, payload, bytes }) => {
    const frame = encodeFrame(channel, payload);
    expect([...frame]).toEqual(bytes);
    const decoded = decodeFrame(frame);
    expect(decoded?.channel).toBe(channel);
    expect(decoded?.payload.toString()).toBe(Buffer.from(payload).toString());
  });

  it('decodes an empty message as nothing', () => {
    expect(decodeFrame(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('exitFromStatus', () => {
  const nonZero = (causes: Status['details']): Status => ({
    status: 'Failure',
    reason: 'NonZeroExitCode',
    message: 'command terminated with non-zero exit code',
    details: causes,
  });
  const cases: { name: string; status: Status; code?: number; error?: string }[] = [
    { name: 'success', status: { status: 'Success' }, code: 0 },
    {
      name: 'exit code cause',
      status: nonZero({ causes: [{ reason: 'ExitCode', message: '3' }] }),
      code: 3,
    },
    { name: 'no exit code cause', status: nonZero({ causes: [] }), error: 'NonZeroExitCode' },
    {
      name: 'garbled exit code',
      status: nonZero({ causes: [{ reason: 'ExitCode', message: 'x' }] }),
      error: 'NonZeroExitCode',
    },
    {
      name: 'a failure to run',
      status: {
        status: 'Failure',
        reason: 'InternalError',
        code: 500,
        message: 'exit status 3',
      },
      error: 'InternalError',
    },
  ];
  it.each(cases)('$name', ({ status, code, error }) => {
    const result = exitFromStatus(status);
    if (error === undefined) expect(result).toEqual({ code, status });
    else {
      expect(result).toBeInstanceOf(KubeError);
      expect((result as KubeError).reason).toBe(error);
    }
  });
});

describe('exec framing against a local WebSocket endpoint', () => {
  let server: LocalWsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function clientOf(local: LocalWsServer): KubeClient {
    return new KubeClient({ server: local.server, token: 'secret-token' });
  }

  it('offers v5 then v4, sends stdin, resize and the stdin close frame in order', async () => {
    let request: IncomingMessage | undefined;
    let frames: [number, string][] = [];
    server = await localWsServer({
      accept: ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
      onConnection(ws: WebSocket, req) {
        request = req;
        frames = recordFrames(ws);
        ws.send(encodeFrame(1, ''));
        ws.send(encodeFrame(1, 'out'));
        ws.send(encodeFrame(2, 'err'));
        ws.on('message', (data: Buffer) => {
          if (data[0] !== 255) return;
          const status = {
            status: 'Failure',
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: '7' }] },
          };
          ws.send(encodeFrame(3, JSON.stringify(status)));
          ws.close(1000);
        });
      },
    });
    const client = clientOf(server);
    const session = await exec(client, {
      namespace: 'ns',
      pod: 'p',
      container: 'c',
      command: ['sh', '-c', 'cat'],
      stdin: true,
    });
    expect(session.protocol).toBe('v5.channel.k8s.io');
    let out = '';
    let err = '';
    session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    session.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    session.stdin.write('hello');
    session.resize({ cols: 80, rows: 24 });
    session.closeStdin();
    const exit = await session.exit;
    await client.close();

    expect(exit.code).toBe(7);
    expect({ out, err }).toEqual({ out: 'out', err: 'err' });
    expect(request?.headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io,v4.channel.k8s.io');
    expect(request?.headers.authorization).toBe('Bearer secret-token');
    expect(request?.url).toBe(
      '/api/v1/namespaces/ns/pods/p/exec?command=sh&command=-c&command=cat&container=c&stdin=true&stdout=true&stderr=true&tty=false',
    );
    // an idle Writable hands its first write over at once; the close frame waits for the writes
    expect(frames).toEqual([
      [0, 'hello'],
      [4, '{"Width":80,"Height":24}'],
      [255, '\u0000'],
    ]);
  });

  it('falls back to v4, where closing stdin is refused', async () => {
    let frames: [number, string][] = [];
    server = await localWsServer({
      accept: ['v4.channel.k8s.io'],
      onConnection(ws: WebSocket) {
        frames = recordFrames(ws);
      },
    });
    const client = clientOf(server);
    const session = await exec(client, {
      namespace: 'ns',
      pod: 'p',
      command: ['cat'],
      stdin: true,
    });
    expect(session.protocol).toBe('v4.channel.k8s.io');
    expect(() => {
      session.closeStdin();
    }).toThrow(/closing stdin needs v5\.channel\.k8s\.io/);
    session.stdin.end('last');
    await delay(100);
    session.close();
    const error = await session.exit.catch((e: unknown) => e);
    await client.close();
    expect(frames).toEqual([[0, 'last']]);
    expect((error as KubeError).reason).toBe('Aborted');
  });

  it('rejects exit when the socket closes without a Status', async () => {
    server = await localWsServer({
      accept: ['v5.channel.k8s.io'],
      onConnection(ws: WebSocket) {
        ws.send(encodeFrame(1, 'partial'));
        ws.close(1000);
      },
    });
    const client = clientOf(server);
    const session = await exec(client, { namespace: 'ns', pod: 'p', command: ['x'] });
    const error = await session.exit.catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).reason).toBe('ProtocolError');
  });

  it('maps a refused upgrade to a KubeError without credentials', async () => {
    const status = {
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
      message: 'Unauthorized',
    };
    const local = await localWsServer({
      accept: [],
      refuse: { code: 401, body: JSON.stringify(status) },
      onConnection() {},
    });
    server = local;
    const client = clientOf(local);
    const error = await exec(client, { namespace: 'ns', pod: 'p', command: ['x'] }).catch(
      (e: unknown) => e,
    );
    await client.close();
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).toJSON()).toEqual({
      code: 401,
      reason: 'Unauthorized',
      message: 'Unauthorized',
    });
  });

  it('fails with ProtocolError when the server picks no subprotocol', async () => {
    const local = await localWsServer({ accept: [], onConnection() {} });
    server = local;
    const client = clientOf(local);
    const error = await exec(client, { namespace: 'ns', pod: 'p', command: ['x'] }).catch(
      (e: unknown) => e,
    );
    await client.close();
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).reason).toBe('ProtocolError');
    expect((error as KubeError).message).toMatch(/Server sent no subprotocol/);
  });
});
