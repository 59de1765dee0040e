import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebSocket } from 'ws';
import { useNamespace } from '@binnacle/testcluster/vitest/namespace';
import { KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';
import { encodeFrame } from './channel.ts';
import { forwardToLocalPort } from './local-forward.ts';
import { portForward, PortPrefixReader } from './port-forward.ts';
import { clientFor, createKwokPod } from '../testing.ts';
import { localWsServer, recordFrames, type LocalWsServer } from './test-ws-server.ts';

const port8080 = Buffer.from([0x90, 0x1f]); // 8080, little-endian

describe('PortPrefixReader', () => {
  it.each([
    { name: 'prefix alone', frames: [[0x90, 0x1f]], data: [''] },
    { name: 'prefix and data in one frame', frames: [[0x90, 0x1f, 0x61]], data: ['a'] },
    { name: 'prefix split over two frames', frames: [[0x90], [0x1f, 0x62]], data: ['', 'b'] },
    {
      name: 'later frames pass untouched',
      frames: [
        [0x90, 0x1f],
        [0x90, 0x1f],
      ],
      data: ['', '\u0090\u001f'],
    },
  ])('$name', ({ frames, data }) => {
    const reader = new PortPrefixReader(8080);
    const out = frames.map((f) => reader.take(0, Buffer.from(f)).toString('latin1'));
    expect(out).toEqual(data);
  });

  it('keeps a prefix per channel', () => {
    const reader = new PortPrefixReader(8080);
    expect(reader.take(0, port8080).length).toBe(0);
    expect(reader.take(1, Buffer.concat([port8080, Buffer.from('oops')])).toString()).toBe('oops');
  });

  it('refuses a prefix for another port', () => {
    const reader = new PortPrefixReader(8080);
    expect(() => reader.take(0, Buffer.from([0x50, 0x00]))).toThrow(/is for port 80, not 8080/);
  });
});

describe('port-forward framing against a local WebSocket endpoint', () => {
  let server: LocalWsServer | undefined;
  let client: KubeClient | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    server = undefined;
    client = undefined;
  });

  /** Speaks the port-forward framing: port prefixes first, then echoes data upper-cased. */
  async function echoServer(
    onRequest?: (req: IncomingMessage, frames: [number, string][]) => void,
  ) {
    server = await localWsServer({
      accept: ['portforward.k8s.io'],
      onConnection(ws: WebSocket, req) {
        onRequest?.(req, recordFrames(ws));
        ws.send(encodeFrame(0, port8080));
        ws.send(encodeFrame(1, port8080));
        ws.on('message', (data: Buffer) => {
          const text = data.subarray(1).toString();
          if (text === 'fail') {
            ws.send(encodeFrame(1, 'boom: no such port'));
            ws.close(1000);
          } else ws.send(encodeFrame(0, text.toUpperCase()));
        });
      },
    });
    client = new KubeClient({ server: server.server });
    return client;
  }

  it('strips the port prefixes and frames writes on channel 0', async () => {
    let request: IncomingMessage | undefined;
    let frames: [number, string][] = [];
    const kube = await echoServer((req, f) => {
      request = req;
      frames = f;
    });
    const forward = await portForward(kube, { namespace: 'ns', pod: 'p', port: 8080 });
    expect(forward.protocol).toBe('portforward.k8s.io');
    const reply = new Promise<string>((resolve) =>
      forward.stream.once('data', (d: Buffer) => {
        resolve(d.toString());
      }),
    );
    forward.stream.write('ping');
    expect(await reply).toBe('PING');
    forward.close();
    await forward.closed;
    expect(request?.url).toBe('/api/v1/namespaces/ns/pods/p/portforward?ports=8080');
    expect(request?.headers['sec-websocket-protocol']).toBe('v4.channel.k8s.io,portforward.k8s.io');
    expect(frames).toEqual([[0, 'ping']]);
  });

  it('rejects closed with the text of the error channel', async () => {
    const kube = await echoServer();
    const forward = await portForward(kube, { namespace: 'ns', pod: 'p', port: 8080 });
    const ended = new Promise((resolve) => forward.stream.once('end', resolve));
    forward.stream.resume();
    forward.stream.write('fail');
    const error = await forward.closed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).message).toBe('boom: no such port');
    await ended;
  });

  it('forwards a local TCP connection', async () => {
    const kube = await echoServer();
    const local = await forwardToLocalPort(kube, { namespace: 'ns', pod: 'p', port: 8080 });
    const socket = connect(local.port, '127.0.0.1');
    socket.write('hello');
    const reply = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => {
        resolve(d.toString());
      }),
    );
    expect(reply).toBe('HELLO');
    socket.destroy();
    await local.close();
  });
});

describe('port-forward against the test cluster', () => {
  const ns = useNamespace('streams-pf');
  let kube: KubeClient;
  beforeAll(async () => {
    kube = await clientFor(inject('kubeconfig'));
    await createKwokPod(ns, 'pf');
  });
  afterAll(async () => {
    await kube.close();
  });

  // The test cluster's kwok forwards every pod's ports 80 and 8080 to a small local HTTP app, so an
  // HTTP exchange goes all the way: us → API server → kubelet (kwok) → app, and back.
  // The app closes its side after answering, but a WebSocket port-forward carries no half-close,
  // so read until the answer is complete rather than until the stream ends.
  async function readUntil(stream: NodeJS.ReadableStream, text: string): Promise<string> {
    let got = '';
    for await (const chunk of stream) {
      got += (chunk as Buffer).toString('utf8');
      if (got.includes(text)) break;
    }
    return got;
  }

  it('carries an HTTP exchange to the pod port through the API server', async () => {
    const forward = await portForward(kube, { namespace: ns.name, pod: 'pf', port: 8080 });
    expect(forward.protocol).toBe('v4.channel.k8s.io');
    forward.stream.write('GET /through-the-api-server HTTP/1.0\r\n\r\n');
    const reply = await readUntil(forward.stream, 'through-the-api-server\n');
    expect(reply).toMatch(/^HTTP\/1\.[01] 200 OK/);
    expect(reply).toContain('hello from the binnacle demo app /through-the-api-server');
    forward.close();
  });

  it('serves a local port, one forward per TCP connection', async () => {
    const local = await forwardToLocalPort(kube, { namespace: ns.name, pod: 'pf', port: 80 });
    try {
      const replies = await Promise.all(
        ['/one', '/two'].map(async (path) => {
          const socket = connect(local.port, '127.0.0.1');
          socket.write(`GET ${path} HTTP/1.0\r\n\r\n`);
          const reply = await readUntil(socket, `${path}\n`);
          socket.destroy();
          return reply;
        }),
      );
      expect(replies[0]).toContain('demo app /one');
      expect(replies[1]).toContain('demo app /two');
    } finally {
      await local.close();
    }
  });

  it('reports what the kubelet answers for a port nothing listens on', async () => {
    const errors: KubeError[] = [];
    const local = await forwardToLocalPort(kube, {
      namespace: ns.name,
      pod: 'pf',
      port: 9999,
      onError: (err) => errors.push(err),
    });
    const socket = connect(local.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET / HTTP/1.0\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    await local.close();
    expect(errors.map((e) => e.message)).toEqual([
      `error forwarding port 9999 to pod pf/${ns.name}, uid : no forward found for port 9999 in pod "${ns.name}/pf"`,
    ]);
  });

  it('answers 404 NotFound for a missing pod', async () => {
    const error = await portForward(kube, { namespace: ns.name, pod: 'missing', port: 8080 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).code).toBe(404);
  });
});
