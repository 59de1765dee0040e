// proxy-url: requests tunnel through an HTTP CONNECT proxy to the real API server.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeClient } from '../client.ts';
import { core } from '../resource.ts';
import { connectionFromFile } from '../testing.ts';

let proxy: Server;
const tunnels: string[] = [];

beforeAll(async () => {
  proxy = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});

afterAll(
  () =>
    new Promise<void>((resolve) =>
      proxy.close(() => {
        resolve();
      }),
    ),
);

describe('proxy-url', () => {
  it('sends requests through the proxy', async () => {
    const conn = connectionFromFile(inject('kubeconfig'));
    const { port } = proxy.address() as AddressInfo;
    const client = new KubeClient({ ...conn, proxyUrl: `http://127.0.0.1:${port}` });
    try {
      const list = await client.list(core.namespaces);
      expect(list.items.map((n) => n.metadata.name)).toContain('demo');
      expect(tunnels).toContain(new URL(conn.server).host);
    } finally {
      await client.close();
    }
  });
});
