// Opens live subscribers against the gateway: one socket each (a ticket per socket), subscribed
// in `changes` mode to one (cluster, resource, namespace); resolves once every one is subscribed.
import { LiveType, livePath, type LiveServerMessage } from '@binnacle/contract';
import { WebSocket } from 'undici';
import type { Gateway } from './gateway.ts';

export interface Subscribers {
  close: () => void;
}

async function subscriber(
  gateway: Gateway,
  target: { cluster: string; resource: string; namespace: string },
  id: string,
): Promise<WebSocket> {
  const { ticket } = await gateway.api<{ ticket: string }>('POST', '/k8s-api/v1/auth/ticket');
  const socket = new WebSocket(
    `${gateway.url.replace('http', 'ws')}${livePath}?ticket=${encodeURIComponent(ticket)}`,
  );
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: LiveType.subscribe, id, mode: 'changes', ...target }));
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as LiveServerMessage;
      if (message.type === LiveType.subscribed) resolve(socket);
      if (message.type === LiveType.error) reject(new Error(message.message));
    });
    socket.addEventListener('error', () => {
      reject(new Error('a live socket failed'));
    });
  });
}

export async function openSubscribers(
  gateway: Gateway,
  target: { cluster: string; resource: string; namespace: string },
  count: number,
): Promise<Subscribers> {
  const sockets: WebSocket[] = [];
  // A few at a time: tickets are per request and the point is the shared upstream, not a stampede.
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) =>
      subscriber(gateway, target, `s${String(i + j)}`),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return {
    close: () => {
      for (const socket of sockets) socket.close();
    },
  };
}
